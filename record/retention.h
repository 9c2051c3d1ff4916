/* How long the audit log is kept: a setting of the installation (none: for
 * ever), and pruning by it, which both programs do (tpt audit prune, and
 * tpt serve once a day). Health records law often asks for years of audit
 * log: the shortest retention allowed is TPT_RETENTION_MIN days. */
#ifndef TPT_RECORD_RETENTION_H
#define TPT_RECORD_RETENTION_H

#include <stdint.h>

#include "store.h"

#define TPT_RETENTION_MIN 30
#define TPT_RETENTION_MAX 36500

/* The retention in days, 0 when the log is kept for ever. */
int tpt_retention_days(tpt_store *store, int *days, tpt_error *err);
/* Sets it (0: for ever; else TPT_RETENTION_MIN to TPT_RETENTION_MAX days),
 * with its audit line by `user` (0: the command line) at `now`, in one
 * transaction. */
int tpt_retention_set(tpt_store *store, int days, int64_t user, int64_t now, tpt_error *err);
/* Removes the lines older than the retention at `now` (seconds since
 * 1970), with a line that says how many went, in one transaction: *removed
 * and `before` (the time they were older than; "" when the log is kept for
 * ever, and nothing is removed). */
int tpt_retention_apply(tpt_store *store, int64_t now, int64_t *removed, char before[TPT_TIME_MAX],
                        tpt_error *err);

#endif
