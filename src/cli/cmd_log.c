/* tpt log: the daily record of pain and what a person can do. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

const char cmd_log_help[] =
    "usage: tpt log [--at TIME] [--leg N] [--back N] [--sitting MIN] [--walking MIN]\n"
    "               [--sleep-disturbed yes|no] [--medication TEXT] [--note TEXT] [--json]\n"
    "               [--db PATH]\n"
    "       tpt log --list [--json] [--db PATH]\n"
    "\n"
    "Adds an entry to your log: how bad the leg and the back pain are (0 none to 10\n"
    "worst), how long you can sit and walk (minutes), whether pain disturbed your\n"
    "sleep, medication taken and a note. Give at least one of them; several entries\n"
    "a day are fine. tpt progress and tpt report read the log.\n"
    "\n"
    "options:\n"
    "  --at TIME           when (default now): 2026-11-20T08:30 or 2026-11-20 08:30 in\n"
    "                      local time, or with a Z for UTC\n"
    "  --leg N, --back N   pain 0-10\n"
    "  --sitting MIN       how long you can sit, in minutes (0-1440)\n"
    "  --walking MIN       how long you can walk, in minutes (0-1440)\n"
    "  --sleep-disturbed yes|no\n"
    "  --medication TEXT, --note TEXT   free text\n"
    "  --list              show the log instead (--json for JSON)\n"
    "  --db PATH           the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "example: tpt log --leg 6 --back 3 --sitting 20 --note \"after gardening\"\n";

static int number(const char *option, const char *text, int min, int max, int *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (end == text || *end || v < min || v > max)
        return cli_usage("log", "%s takes a whole number from %d to %d, not '%s'", option, min, max,
                         text);
    *out = (int)v;
    return 0;
}

static void print_entry(const tpt_log_entry *e)
{
    char when[64];
    cli_local_time(e->at, when, sizeof when);
    printf("%s", when);
    if (e->leg_pain >= 0) printf("  leg %d/10", e->leg_pain);
    if (e->back_pain >= 0) printf("  back %d/10", e->back_pain);
    if (e->sitting_minutes >= 0) printf("  sitting %d min", e->sitting_minutes);
    if (e->walking_minutes >= 0) printf("  walking %d min", e->walking_minutes);
    if (e->sleep_disturbed >= 0) printf("  sleep %s", e->sleep_disturbed ? "disturbed" : "fine");
    if (e->medication) printf("  medication: %s", e->medication);
    if (e->note) printf("  note: %s", e->note);
    putchar('\n');
}

static int list(tpt_store *store, int64_t patient, int json)
{
    tpt_log_list log;
    tpt_error err = {0};
    if (tpt_store_log_list(store, patient, &log, &err) != 0) return cli_report(&err);
    int code = 0;
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < log.count; i++)
            json_array_append_new(a, tpt_log_entry_json(&log.items[i]));
        code = cli_print_json(json_pack("{s:o}", "entries", a), stdout, 0);
    } else {
        for (size_t i = 0; i < log.count; i++)
            print_entry(&log.items[i]);
        if (log.count == 0) printf("The log is empty: add an entry with tpt log --leg N.\n");
    }
    tpt_log_list_free(&log);
    return code;
}

int cmd_log(int argc, char **argv)
{
    static const struct option options[] = {
        {"at", required_argument, NULL, 'a'},
        {"leg", required_argument, NULL, 'l'},
        {"back", required_argument, NULL, 'b'},
        {"sitting", required_argument, NULL, 's'},
        {"walking", required_argument, NULL, 'w'},
        {"sleep-disturbed", required_argument, NULL, 'S'},
        {"medication", required_argument, NULL, 'm'},
        {"note", required_argument, NULL, 'n'},
        {"list", no_argument, NULL, 'L'},
        {0},
    };
    tpt_log_entry e = {.leg_pain = -1,
                       .back_pain = -1,
                       .sitting_minutes = -1,
                       .walking_minutes = -1,
                       .sleep_disturbed = -1};
    int opt, listing = 0, code = 0;
    cli_now(e.at);
    cli_args opts;
    cli_args_init(&opts, "log", argc, argv, options, CLI_JSON | CLI_DB);
    while ((opt = cli_args_next(&opts)) > 0) {
        switch (opt) {
        case 'a':
            if (cli_parse_time(optarg, e.at) != 0)
                return cli_usage("log", "cannot read the time '%s' (2026-11-20T08:30)", optarg);
            /* a mistyped year would stay "latest" for ever: the future is refused */
            if (cli_time_seconds(e.at) > (int64_t)time(NULL) + 86400)
                return cli_usage("log", "the time '%s' is in the future", optarg);
            break;
        case 'l':
            code = number("--leg", optarg, 0, 10, &e.leg_pain);
            break;
        case 'b':
            code = number("--back", optarg, 0, 10, &e.back_pain);
            break;
        case 's':
            code = number("--sitting", optarg, 0, 1440, &e.sitting_minutes);
            break;
        case 'w':
            code = number("--walking", optarg, 0, 1440, &e.walking_minutes);
            break;
        case 'S':
            if (strcmp(optarg, "yes") == 0)
                e.sleep_disturbed = 1;
            else if (strcmp(optarg, "no") == 0)
                e.sleep_disturbed = 0;
            else
                return cli_usage("log", "--sleep-disturbed takes yes or no");
            break;
        case 'm':
            e.medication = optarg;
            break;
        case 'n':
            e.note = optarg;
            break;
        case 'L':
            listing = 1;
            break;
        }
        if (code) return code;
    }
    if (opt < 0) return opts.code;
    int json = opts.common.json;
    const char *db = opts.common.db;
    if (optind < argc) return cli_usage("log", "unexpected argument '%s'", argv[optind]);
    if (listing && (e.leg_pain >= 0 || e.back_pain >= 0 || e.sitting_minutes >= 0 ||
                    e.walking_minutes >= 0 || e.sleep_disturbed >= 0 || e.medication || e.note))
        return cli_usage("log", "--list shows the log; add an entry without it");

    tpt_store *store;
    int64_t patient;
    if ((code = cli_open_store(db, &store, &patient))) return code;
    if (listing) {
        code = list(store, patient, json);
    } else {
        tpt_error err = {0};
        e.patient = patient;
        if (tpt_store_log_add(store, &e, &e.id, &err) != 0) {
            code = cli_report(&err);
        } else if (json) {
            code = cli_print_json(tpt_log_entry_json(&e), stdout, 0);
        } else {
            printf("Logged: ");
            print_entry(&e);
        }
    }
    tpt_store_close(store);
    return code;
}
