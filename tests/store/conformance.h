/* What the files of the store's conformance suite share (conformance.c has
 * the helpers and main; conformance_security.c the accounts, one-time
 * links, the audit log's chain, private and erased records). */
#ifndef TPT_TESTS_CONFORMANCE_H
#define TPT_TESTS_CONFORMANCE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store.h"

/* The address of a test's database, under the suite's base. */
const char *db(const char *name);
/* That database opened, or the test fails. */
tpt_store *open_store(const char *name);
/* A window in which other processes would get in, were they let in. */
void pause_briefly(void);
/* Runs fn(i) in `n` processes at once; each must exit 0. */
void in_processes(int n, int (*fn)(int i));

extern const struct CMUnitTest conformance_security_tests[];
extern const size_t conformance_security_count;

#endif
