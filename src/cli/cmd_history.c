/* tpt history: what tpt kept of your screens, drawings, plans and sessions. */
#include <string.h>

#include "cli.h"

const char cmd_history_help[] =
    "usage: tpt history [screen|drawing|plan|session] [--json] [--db PATH]\n"
    "\n"
    "Lists what tpt kept in your record, oldest first: red-flag screens (with their\n"
    "level), pain drawings (with their pattern), plans and guided sessions (with how\n"
    "they ended). Name a kind to see only that kind. --json prints every record\n"
    "with what tpt printed at the time.\n"
    "\n"
    "  --db PATH   the record (default $XDG_DATA_HOME/tpt/tpt.db)\n";

int cmd_history(int argc, char **argv)
{
    int opt, kind = -1;
    cli_args opts;
    cli_args_init(&opts, "history", argc, argv, NULL, CLI_JSON | CLI_DB);
    if ((opt = cli_args_next(&opts)) != 0)
        return opt < 0 ? opts.code : cli_bad_option("history", argv);
    if (optind < argc) {
        for (int k = 0; k < TPT_RECORD_KIND_COUNT; k++)
            if (strcmp(argv[optind], tpt_record_kind_name((tpt_record_kind)k)) == 0) kind = k;
        if (kind < 0)
            return cli_usage("history", "unknown kind '%s' (screen, drawing, plan or session)",
                             argv[optind]);
        if (++optind < argc) return cli_usage("history", "unexpected argument '%s'", argv[optind]);
    }
    tpt_store *store;
    int64_t patient;
    int code = cli_open_store(opts.common.db, &store, &patient);
    if (code) return code;
    tpt_record_list list;
    tpt_error err = {0};
    if (tpt_store_record_list(store, patient, kind, &list, &err) != 0) {
        tpt_store_close(store);
        return cli_report(&err);
    }
    if (opts.common.json) {
        json_t *a = json_array();
        for (size_t i = 0; i < list.count; i++) {
            const tpt_record *r = &list.items[i];
            json_t *body = json_loads(r->json, 0, NULL);
            json_array_append_new(
                a, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:o?}", "id", (json_int_t)r->id, "kind",
                             tpt_record_kind_name(r->kind), "at", r->at, "summary", r->summary,
                             "input", r->input, "body", body));
        }
        code = cli_print_json(json_pack("{s:o}", "records", a), stdout, 0);
    } else {
        for (size_t i = 0; i < list.count; i++) {
            char when[64];
            cli_local_time(list.items[i].at, when, sizeof when);
            printf("%s  %-8s %s\n", when, tpt_record_kind_name(list.items[i].kind),
                   list.items[i].summary);
        }
        if (list.count == 0) printf("Nothing kept yet.\n");
    }
    tpt_record_list_free(&list);
    tpt_store_close(store);
    return code;
}
