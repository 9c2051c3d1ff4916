/* What the files of the store's conformance suite share (conformance.c has
 * the helpers and main; conformance_security.c the accounts, one-time
 * links, the audit log's chain, private and erased records;
 * conformance_corrections.c what a person corrects in a record, and who
 * entered it). */
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
/* The test's database `name`, opened; fails the test when it cannot be. */
tpt_store *open_store(const char *name);
/* A window in which other processes would get in, were they let in. */
void pause_briefly(void);
/* Runs fn(i) in `n` processes at once; each must exit 0. */
void in_processes(int n, int (*fn)(int i));
/* An entry with leg and back pain (-1 for none) and nothing else. */
tpt_log_entry entry(int64_t patient, const char *at, int leg, int back);
/* Such an entry kept; its id. */
int64_t log_at(tpt_store *s, int64_t patient, const char *at, int leg, int back);
/* How many entries the patient's log holds. */
size_t log_count(tpt_store *s, int64_t patient);

extern const struct CMUnitTest conformance_security_tests[];
extern const size_t conformance_security_count;
void corrections_change_only_the_record_they_name(void **state);
void authors_and_settings_are_kept(void **state);

#endif
