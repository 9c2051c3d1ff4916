/* tpt export: the record as CSV for a spreadsheet, or as a FHIR R4 Bundle for
 * other health systems (and for tpt import). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cmd_export_help[] =
    "usage: tpt export --csv [--what log|sessions] [--db PATH]\n"
    "       tpt export --fhir [--db PATH]\n"
    "\n"
    "Writes your record to standard output.\n"
    "\n"
    "options:\n"
    "  --csv            comma-separated values as RFC 4180 has them (CRLF line ends;\n"
    "                   a field with a comma, a quote or a line break in double\n"
    "                   quotes, quotes doubled), with a header row\n"
    "  --what log       the log entries (the default): at, leg_pain, back_pain,\n"
    "                   sitting_minutes, walking_minutes, sleep_disturbed (yes/no),\n"
    "                   medication, note\n"
    "  --what sessions  the guided sessions: at, end, steps_done, steps_total,\n"
    "                   seconds, pain_before, pain_after\n"
    "  --fhir           everything as a FHIR R4 Bundle (JSON): pain scores as\n"
    "                   Observations (LOINC 72514-3, with the body site), screens as\n"
    "                   QuestionnaireResponses, sessions as Procedures, plans as\n"
    "                   CarePlans, and each record as tpt keeps it, so that\n"
    "                   tpt import reads it back whole\n"
    "  --db PATH        the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "Times are in UTC as they are kept (2026-11-21T08:30:00Z); an empty CSV field is\n"
    "a value that was not given. The same record gives the same export, byte for\n"
    "byte.\n"
    "\n"
    "examples:\n"
    "  tpt export --csv > log.csv\n"
    "  tpt export --csv --what sessions > sessions.csv\n"
    "  tpt export --fhir > bundle.json\n";

static int fhir(tpt_store *store, int64_t patient)
{
    tpt_log_list log;
    tpt_record_list records;
    tpt_measure_list measures;
    tpt_error err = {0};
    if (tpt_store_log_list(store, patient, &log, &err) != 0) return cli_report(&err);
    if (tpt_store_record_list(store, patient, -1, &records, &err) != 0) {
        tpt_log_list_free(&log);
        return cli_report(&err);
    }
    if (tpt_store_measure_list(store, patient, &measures, &err) != 0) {
        tpt_log_list_free(&log);
        tpt_record_list_free(&records);
        return cli_report(&err);
    }
    size_t replaced = 0;
    json_t *bundle = tpt_fhir_bundle(&log, &records, &measures, &replaced);
    tpt_log_list_free(&log);
    tpt_record_list_free(&records);
    tpt_measure_list_free(&measures);
    if (replaced)
        fprintf(stderr,
                "tpt: warning: %zu text%s in the record %s not UTF-8; the export has each bad "
                "byte replaced by U+FFFD\n",
                replaced, replaced == 1 ? "" : "s", replaced == 1 ? "was" : "were");
    return cli_print_json(bundle, stdout, 0);
}

int cmd_export(int argc, char **argv)
{
    static const struct option options[] = {
        {"csv", no_argument, NULL, 'c'},
        {"fhir", no_argument, NULL, 'f'},
        {"what", required_argument, NULL, 'w'},
        {0},
    };
    const char *what = NULL;
    int opt, csv = 0, fhir_ = 0;
    cli_args opts;
    cli_args_init(&opts, "export", argc, argv, options, CLI_DB);
    while ((opt = cli_args_next(&opts)) > 0) {
        switch (opt) {
        case 'c':
            csv = 1;
            break;
        case 'f':
            fhir_ = 1;
            break;
        case 'w':
            what = optarg;
            break;
        }
    }
    if (opt < 0) return opts.code;
    if (optind < argc) return cli_usage("export", "unexpected argument '%s'", argv[optind]);
    if (csv == fhir_) return cli_usage("export", "say --csv or --fhir");
    if (what && !csv) return cli_usage("export", "--what goes with --csv");
    int sessions = 0;
    if (what && strcmp(what, "sessions") == 0)
        sessions = 1;
    else if (what && strcmp(what, "log") != 0)
        return cli_usage("export", "--what takes log or sessions, not '%s'", what);

    tpt_store *store;
    int64_t patient;
    int code = cli_open_store(opts.common.db, &store, &patient);
    if (code) return code;
    if (fhir_) {
        code = fhir(store, patient);
    } else {
        tpt_buf csv = {0};
        tpt_error err = {0};
        if ((sessions ? tpt_csv_sessions : tpt_csv_log)(store, patient, &csv, &err) != 0)
            code = cli_report(&err);
        else
            fwrite(csv.data, 1, csv.len, stdout); /* main says when it did not reach its reader */
        tpt_buf_free(&csv);
    }
    tpt_store_close(store);
    return code;
}
