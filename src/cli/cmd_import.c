/* tpt import: a FHIR Bundle that tpt exported, back into the record. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The largest Bundle tpt import reads: years of daily entries fit many times. */
#define TPT_IMPORT_FILE_MAX ((size_t)64 << 20)

const char cmd_import_help[] =
    "usage: tpt import FILE|- [--db PATH]\n"
    "\n"
    "Reads a FHIR R4 Bundle made by tpt export --fhir (from FILE, or from standard\n"
    "input for -) and stores what it holds in your record: the log entries, the\n"
    "screens, drawings, plans and sessions, and the outcome measures (their answers\n"
    "scored again). All of it is stored or, on any error,\n"
    "nothing. What the record already holds is not stored twice, so importing the\n"
    "same file again changes nothing; an export of the new record is byte for byte\n"
    "the export that was imported.\n"
    "\n"
    "tpt import reads tpt's own exports, unchanged: a file that is not JSON, not a\n"
    "Bundle, holds a resource tpt does not write, a value out of range (pain 11) or\n"
    "was edited is refused with the reason (exit status 2), and nothing is stored.\n"
    "\n"
    "options:\n"
    "  --db PATH   the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "example:\n"
    "  tpt export --fhir > bundle.json\n"
    "  tpt import bundle.json --db new.db\n";

int cmd_import(int argc, char **argv)
{
    int opt;
    cli_args opts;
    cli_args_init(&opts, "import", argc, argv, NULL, CLI_DB);
    if ((opt = cli_args_next(&opts)) != 0)
        return opt < 0 ? opts.code : cli_bad_option("import", argv);
    if (optind >= argc)
        return cli_usage("import", "name the file to import (- for standard input)");
    if (optind + 1 < argc) return cli_usage("import", "unexpected argument '%s'", argv[optind + 1]);
    const char *path = argv[optind];
    const char *name = strcmp(path, "-") == 0 ? "standard input" : path;

    tpt_error err = {0};
    char *text;
    size_t len;
    if (tpt_file_read(path, TPT_IMPORT_FILE_MAX, &text, &len, &err) != 0) return cli_report(&err);
    json_error_t jerr;
    json_t *bundle = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    free(text);
    if (!bundle) {
        fprintf(stderr, "tpt: %s is not valid JSON: line %d, column %d: %s\n", name, jerr.line,
                jerr.column, jerr.text);
        return TPT_EXIT_BAD_INPUT;
    }
    tpt_log_list log;
    tpt_record_list records;
    tpt_measure_list measures;
    int rc = tpt_fhir_read(bundle, &log, &records, &measures, &err);
    json_decref(bundle);
    if (rc) {
        fprintf(stderr, "tpt: %s: %s\nNothing was imported.\n", name, err.message);
        return tpt_exit_status(rc);
    }

    /* the database is opened only for a file that is sound */
    tpt_store *store;
    int64_t patient;
    int code = cli_open_store(opts.common.db, &store, &patient);
    if (!code) {
        tpt_fhir_import_counts counts;
        if (tpt_fhir_import(store, patient, &log, &records, &measures, &counts, &err) != 0) {
            fprintf(stderr, "tpt: %s: %s\nNothing was imported.\n", name, err.message);
            code = tpt_exit_status(err.status);
        } else {
            printf("Imported %zu log entr%s, %zu record%s and %zu outcome measure%s", counts.log,
                   counts.log == 1 ? "y" : "ies", counts.records, counts.records == 1 ? "" : "s",
                   counts.measures, counts.measures == 1 ? "" : "s");
            if (counts.present) printf("; %zu already in the record", counts.present);
            printf(".\n");
        }
        tpt_store_close(store);
    }
    tpt_log_list_free(&log);
    tpt_record_list_free(&records);
    tpt_measure_list_free(&measures);
    return code;
}
