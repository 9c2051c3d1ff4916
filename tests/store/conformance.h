/* The conformance suite's shared helpers (conformance.c) and the tests
 * kept in files of their own (conformance_corrections.c: what a person
 * corrects in a record, and who entered it). */
#ifndef TPT_TESTS_CONFORMANCE_H
#define TPT_TESTS_CONFORMANCE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The test's database `name`, opened; fails the test when it cannot be. */
tpt_store *open_store(const char *name);
/* An entry with leg and back pain (-1 for none) and nothing else. */
tpt_log_entry entry(int64_t patient, const char *at, int leg, int back);
/* Such an entry kept; its id. */
int64_t log_at(tpt_store *s, int64_t patient, const char *at, int leg, int back);
/* How many entries the patient's log holds. */
size_t log_count(tpt_store *s, int64_t patient);

void corrections_change_only_the_record_they_name(void **state);
void authors_and_settings_are_kept(void **state);

#endif
