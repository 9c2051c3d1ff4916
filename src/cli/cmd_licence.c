/* tpt licence: a clinic's licensed wording of the ODI, the RMDQ and STarT
 * Back, kept in the database for that clinic alone, as the web
 * application's PUT /api/v1/instrument-texts/ID keeps it
 * (record/instrument_texts.h). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cmd_licence_help[] =
    "usage: tpt licence list [--json]\n"
    "       tpt licence add FILE\n"
    "       tpt licence remove INSTRUMENT\n"
    "  each with [--clinic ID] [--db PATH|URI]\n"
    "\n"
    "The ODI, the RMDQ and STarT Back are licensed questionnaires: tpt ships their\n"
    "scoring but not their wording. A clinic that holds a licence keeps its copy's\n"
    "wording here, as an item-text file (docs/internals/instruments.md); the\n"
    "clinic's forms in the web application and tpt measure show --clinic ID then\n"
    "show the questions and answers. The text is the clinic's alone: another\n"
    "clinic on the same server never sees it.\n"
    "\n"
    "list    the clinic's licensed texts: instrument, file, when kept\n"
    "add     checks FILE against its instrument's definition and keeps it for the\n"
    "        clinic, replacing the text it had of that instrument\n"
    "remove  forgets the clinic's text of INSTRUMENT (odi, rmdq or start-back):\n"
    "        its forms take the values of the paper form again\n"
    "\n"
    "options:\n"
    "  --json          as JSON, as the web application's API answers\n"
    "  --clinic ID     the clinic (needed when the database holds several)\n"
    "  --db PATH|URI   the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "Exit status: 0 done (also a list with nothing in it, or no clinic yet); 2 bad\n"
    "input (a file that does not fit its instrument, an instrument whose wording is\n"
    "tpt's own, no such clinic or text).\n"
    "\n"
    "example: tpt licence add odi-2.1a.json --clinic 2\n";

static int list(tpt_store *store, const tpt_clinic *clinic, bool json)
{
    tpt_instrument_text_list texts = {0};
    tpt_error err = {0};
    /* a database without a clinic keeps no text: nothing to list, as tpt
     * patient list says of it */
    if (clinic->id && tpt_store_instrument_text_list(store, clinic->id, &texts, &err) != 0)
        return cli_report(&err);
    int code = 0;
    if (json) {
        json_t *items = json_array();
        for (size_t i = 0; i < texts.count; i++)
            json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "instrument",
                                                   texts.items[i].instrument, "file",
                                                   texts.items[i].file, "at", texts.items[i].at));
        code = cli_print_json(json_pack("{s:o}", "texts", items), stdout, 0);
    } else if (!clinic->id) {
        printf("This database holds no clinic yet, so no licensed text: tpt licence add FILE "
               "makes the clinic and keeps it.\n");
    } else if (!texts.count) {
        printf("%s keeps no licensed text (tpt licence add FILE).\n", clinic->name);
    } else {
        printf("The licensed texts of %s:\n", clinic->name);
        for (size_t i = 0; i < texts.count; i++) {
            char when[64];
            cli_local_time(texts.items[i].at, when, sizeof when);
            printf("  %-11s %s, kept %s\n", texts.items[i].instrument, texts.items[i].file, when);
        }
    }
    tpt_instrument_text_list_free(&texts);
    return code;
}

static int add(tpt_store *store, const tpt_clinic *clinic, const char *path)
{
    char *json = NULL, at[TPT_TIME_MAX], instrument[TPT_INSTRUMENT_ID_MAX + 1] = "";
    size_t len = 0;
    tpt_error err = {0};
    if (tpt_file_read(path, TPT_INSTRUMENT_FILE_MAX, &json, &len, &err) != 0) {
        if (err.status == TPT_ERR_DATA) err.status = TPT_ERR_INPUT; /* too large: the file given */
        return cli_report(&err);
    }
    const char *slash = strrchr(path, '/');
    tpt_text_file file = {slash ? slash + 1 : path, json, len};
    bool replaced = false;
    cli_now(at);
    /* the text and its audit line are kept together, or neither */
    int code = cli_change_begin(store);
    if (code) {
        free(json);
        return code;
    }
    if (tpt_licensed_text_keep(store, clinic->id, 0, at, &file, NULL, instrument, &replaced,
                               &err) != 0)
        code = cli_report(&err);
    char action[128];
    snprintf(action, sizeof action, "%s the clinic's licensed text of %s",
             replaced ? "replaced" : "added", instrument);
    code = cli_change_end(store, code, 0, action, 0);
    if (!code)
        printf("%s the licensed text of %s for %s (from %s).\n", replaced ? "Replaced" : "Kept",
               instrument, clinic->name, file.name);
    free(json);
    return code;
}

static int remove_text(tpt_store *store, const tpt_clinic *clinic, const char *instrument)
{
    tpt_error err = {0};
    int code = cli_change_begin(store);
    if (code) return code;
    if (tpt_store_instrument_text_delete(store, clinic->id, instrument, &err) != 0)
        code = cli_report(&err);
    char action[128];
    snprintf(action, sizeof action, "removed the clinic's licensed text of %s", instrument);
    if ((code = cli_change_end(store, code, 0, action, 0))) return code;
    printf("Removed the licensed text of %s from %s.\n", instrument, clinic->name);
    return 0;
}

int cmd_licence(int argc, char **argv)
{
    cli_args opts;
    int opt;
    cli_args_init(&opts, "licence", argc, argv, NULL, CLI_CLINIC | CLI_DB | CLI_JSON);
    while ((opt = cli_args_next(&opts)) > 0)
        ;
    if (opt < 0) return opts.code;
    if (optind >= argc) return cli_usage("licence", "say list, add or remove");
    const char *verb = argv[optind++];
    bool listing = strcmp(verb, "list") == 0, adding = strcmp(verb, "add") == 0;
    if (!listing && !adding && strcmp(verb, "remove") != 0)
        return cli_usage("licence", "unknown action '%s' (list, add or remove)", verb);
    int code =
        cli_args_only(&opts, verb, listing ? CLI_CLINIC | CLI_DB | CLI_JSON : CLI_CLINIC | CLI_DB);
    if (code) return code;
    const char *what = optind < argc ? argv[optind++] : NULL;
    if (!listing && !what)
        return cli_usage("licence", "%s",
                         adding ? "add needs the item-text FILE"
                                : "remove needs the INSTRUMENT (odi, rmdq or "
                                  "start-back)");
    if (optind < argc || (listing && what))
        return cli_usage("licence", "unexpected argument '%s'", listing ? what : argv[optind]);
    tpt_store *store;
    tpt_clinic clinic;
    if ((code = cli_open_store(opts.common.db, &store, NULL))) return code;
    code = cli_clinic_find(store, "licence", opts.common.clinic, adding, &clinic);
    if (!code && !clinic.id && !listing) {
        fprintf(stderr, "tpt: this database holds no clinic yet, so no licensed text to remove\n");
        code = TPT_EXIT_BAD_INPUT;
    }
    if (!code)
        code = listing  ? list(store, &clinic, opts.common.json)
               : adding ? add(store, &clinic, what)
                        : remove_text(store, &clinic, what);
    tpt_store_close(store);
    return code;
}
