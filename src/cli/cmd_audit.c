/* tpt audit: the audit log on the server: its lines, how long it is kept,
 * and pruning what is older (tpt serve prunes once a day by itself). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "record/retention.h"

const char cmd_audit_help[] =
    "usage: tpt audit show [--patient ID] [--limit N] [--json] [--db PATH]\n"
    "       tpt audit retention [DAYS | forever] [--db PATH]\n"
    "       tpt audit prune [--db PATH]\n"
    "\n"
    "The audit log of the web application and of the clinic's commands: who read\n"
    "or changed what, whose record, when and from where, and who tried and was\n"
    "refused. Each line is chained to the one before by a hash: tpt db check\n"
    "verifies the chain.\n"
    "\n"
    "show       the latest lines, newest first (control characters shown as \\xNN)\n"
    "retention  how long lines are kept: for ever (the default), or DAYS (30 to\n"
    "           36500); many health records laws ask for six years (2190 days) or\n"
    "           more. tpt serve then removes older lines once a day\n"
    "prune      removes the lines older than the retention now\n"
    "\n"
    "options:\n"
    "  --patient ID  the lines of one record\n"
    "  --limit N     at most N lines (default 50)\n"
    "  --json        as JSON\n"
    "  --db PATH     the database (default $XDG_DATA_HOME/tpt/tpt.db)\n";

enum { O_PATIENT = CLI_OWN(0), O_LIMIT = CLI_OWN(1) };

static int show(tpt_store *store, int64_t patient, long limit, bool as_json)
{
    tpt_audit_filter f = {.patient = patient, .limit = (size_t)limit};
    tpt_audit_list list;
    tpt_error err = {0};
    if (tpt_store_audit_list(store, &f, &list, &err) != 0) return cli_report(&err);
    /* reading the log is a line of it too, written before anything is shown */
    int code = cli_audit(
        store, 0, patient ? "read the audit log of the record" : "read the audit log", patient);
    if (code) {
        tpt_audit_list_free(&list);
        return code;
    }
    json_t *items = as_json ? json_array() : NULL;
    for (size_t i = 0; i < list.count; i++) {
        const tpt_audit_entry *e = &list.items[i];
        if (as_json) {
            json_array_append_new(
                items,
                json_pack("{s:I, s:s, s:o, s:s, s:o, s:s}", "id", (json_int_t)e->id, "at", e->at,
                          "user", e->user ? json_integer(e->user) : json_null(), "action",
                          e->action, "patient", e->patient ? json_integer(e->patient) : json_null(),
                          "address", e->address));
            continue;
        }
        char when[64], who[TPT_NAME_MAX * 4 + TPT_EMAIL_MAX * 4 + 8],
            action[TPT_ACTION_MAX * 4 + 1], name[TPT_NAME_MAX * 4 + 1],
            email[TPT_EMAIL_MAX * 4 + 1], whose[TPT_NAME_MAX * 4 + 32];
        cli_local_time(e->at, when, sizeof when);
        if (e->user)
            snprintf(who, sizeof who, "%s <%s>",
                     tpt_text_printable(e->user_name, name, sizeof name),
                     tpt_text_printable(e->user_email, email, sizeof email));
        else
            snprintf(who, sizeof who, "-");
        if (e->patient)
            snprintf(whose, sizeof whose, " [patient %lld, %s]", (long long)e->patient,
                     tpt_text_printable(e->patient_name, name, sizeof name));
        else
            *whose = '\0';
        printf("%-6lld %s  %s: %s%s%s%s\n", (long long)e->id, when, who,
               tpt_text_printable(e->action, action, sizeof action), whose,
               *e->address ? " from " : "", e->address);
    }
    if (!as_json && !list.count)
        printf("The audit log holds no line%s.\n", patient ? " of it" : "");
    tpt_audit_list_free(&list);
    return as_json ? cli_print_json(json_pack("{s:o}", "entries", items), stdout, 0) : 0;
}

static int retention(tpt_store *store, const char *given)
{
    tpt_error err = {0};
    int days;
    if (given) {
        char *end;
        long v = strcmp(given, "forever") == 0 ? 0 : strtol(given, &end, 10);
        if (strcmp(given, "forever") != 0 &&
            (end == given || *end || v < TPT_RETENTION_MIN || v > TPT_RETENTION_MAX))
            return cli_usage("audit", "the retention is forever, or %d to %d days, not '%s'",
                             TPT_RETENTION_MIN, TPT_RETENTION_MAX, given);
        if (tpt_retention_set(store, (int)v, 0, (int64_t)time(NULL), &err) != 0)
            return cli_report(&err);
    }
    if (tpt_retention_days(store, &days, &err) != 0) return cli_report(&err);
    if (days)
        printf("The audit log keeps its lines for %d days; tpt serve removes older ones once a "
               "day (tpt audit prune at once).\n",
               days);
    else
        printf("The audit log is kept for ever (tpt audit retention DAYS keeps it DAYS "
               "days).\n");
    return 0;
}

static int prune(tpt_store *store)
{
    tpt_error err = {0};
    int64_t removed;
    char before[TPT_TIME_MAX], when[64];
    if (tpt_retention_apply(store, (int64_t)time(NULL), &removed, before, &err) != 0)
        return cli_report(&err);
    if (!*before) {
        printf("The audit log is kept for ever: nothing to prune (tpt audit retention DAYS).\n");
        return 0;
    }
    cli_local_time(before, when, sizeof when);
    printf("Removed %lld line%s older than %s.\n", (long long)removed, removed == 1 ? "" : "s",
           when);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    static const struct option own[] = {
        {"patient", required_argument, NULL, 'p'}, {"limit", required_argument, NULL, 'l'}, {0}};
    cli_args a;
    cli_args_init(&a, "audit", argc, argv, own, CLI_DB | CLI_JSON);
    const char *patient_text = NULL, *limit_text = NULL;
    int opt;
    while ((opt = cli_args_next(&a)) > 0) {
        if (opt == 'p') patient_text = optarg;
        if (opt == 'l') limit_text = optarg;
    }
    if (opt < 0) return a.code;
    if (optind >= argc) return cli_usage("audit", "say show, retention or prune");
    const char *verb = argv[optind++];
    int which = strcmp(verb, "show") == 0        ? 0
                : strcmp(verb, "retention") == 0 ? 1
                : strcmp(verb, "prune") == 0     ? 2
                                                 : -1;
    if (which < 0)
        return cli_usage("audit", "unknown action '%s' (show, retention or prune)", verb);
    if (argc - optind > (which == 1 ? 1 : 0))
        return cli_usage("audit", "unexpected argument '%s'", argv[optind + (which == 1)]);
    int code =
        cli_args_only(&a, verb, which == 0 ? CLI_DB | CLI_JSON | O_PATIENT | O_LIMIT : CLI_DB);
    if (code) return code;
    int64_t patient = 0;
    long limit = 50;
    if (patient_text && (code = cli_parse_id("audit", "--patient", patient_text, &patient)))
        return code;
    if (limit_text) {
        char *end;
        limit = strtol(limit_text, &end, 10);
        if (end == limit_text || *end || limit < 1 || limit > 100000)
            return cli_usage("audit", "--limit takes 1 to 100000, not '%s'", limit_text);
    }
    tpt_store *store;
    if ((code = cli_open_store(a.common.db, &store, NULL))) return code;
    if (which == 0)
        code = show(store, patient, limit, a.common.json);
    else if (which == 1)
        code = retention(store, optind < argc ? argv[optind] : NULL);
    else
        code = prune(store);
    tpt_store_close(store);
    return code;
}
