/* The audit log's retention (retention.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/retention.h"
#include "tpt/time.h"

#define KEY "audit_retention_days"

int tpt_retention_days(tpt_store *store, int *days, tpt_error *err)
{
    char value[32];
    *days = 0;
    int rc = tpt_store_setting_get(store, KEY, value, sizeof value, err);
    if (rc || !*value) return rc;
    char *end;
    long v = strtol(value, &end, 10);
    if (*end || v < TPT_RETENTION_MIN || v > TPT_RETENTION_MAX)
        return tpt_error_set(err, TPT_ERR_DATA, "the audit log's retention is damaged: '%s'",
                             value);
    *days = (int)v;
    return 0;
}

/* Writes an audit line of the installation (no record) at `now`. */
static int line(tpt_store *store, int64_t user, int64_t now, const char *action, tpt_error *err)
{
    tpt_audit_line l = {.user = user, .action = action};
    tpt_time_format(now, l.at);
    return tpt_store_audit_add(store, &l, err);
}

/* Runs the group in one transaction, rolled back on failure. */
static int together(tpt_store *store, int rc, tpt_error *err)
{
    if (!rc) rc = tpt_store_commit(store, err);
    if (rc) tpt_store_rollback(store);
    return rc;
}

int tpt_retention_set(tpt_store *store, int days, int64_t user, int64_t now, tpt_error *err)
{
    if (days && (days < TPT_RETENTION_MIN || days > TPT_RETENTION_MAX))
        return tpt_error_set(err, TPT_ERR_INPUT, "the audit log is kept for ever, or %d to %d days",
                             TPT_RETENTION_MIN, TPT_RETENTION_MAX);
    char value[32] = "", action[TPT_ACTION_MAX + 1];
    if (days) snprintf(value, sizeof value, "%d", days);
    if (days)
        snprintf(action, sizeof action, "set the audit log's retention to %d days", days);
    else
        snprintf(action, sizeof action, "set the audit log to be kept for ever");
    int rc = tpt_store_begin(store, err);
    if (rc) return rc;
    rc = tpt_store_setting_set(store, KEY, value, err);
    if (!rc) rc = line(store, user, now, action, err);
    return together(store, rc, err);
}

int tpt_retention_apply(tpt_store *store, int64_t now, int64_t *removed, char before[TPT_TIME_MAX],
                        tpt_error *err)
{
    int days;
    *removed = 0;
    *before = '\0';
    int rc = tpt_store_begin(store, err);
    if (rc) return rc;
    if ((rc = tpt_retention_days(store, &days, err)) || !days) return together(store, rc, err);
    tpt_time_format(now - (int64_t)days * 86400, before);
    rc = tpt_store_audit_prune(store, before, removed, err);
    if (!rc && *removed) {
        char action[TPT_ACTION_MAX + 1];
        snprintf(action, sizeof action,
                 "removed %lld audit lines older than %s (a retention of %d days)",
                 (long long)*removed, before, days);
        rc = line(store, 0, now, action, err);
    }
    return together(store, rc, err);
}
