/* The `tpt` command: one file per command (cmd_*.c), over the record layer
 * (record/), the store and libtpt; and what the commands share, here:
 * printing and errors (cli.c; the exit statuses are record/program.h's),
 * options (options.c), the database and times as people type them
 * (records.c), and a clinic's patients and accounts (clinic.c). */
#ifndef TPT_CLI_H
#define TPT_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "record/course.h"
#include "record/csv.h"
#include "record/fhir.h"
#include "record/flags.h"
#include "record/instrument_texts.h"
#include "record/program.h"
#include "record/progress_record.h"
#include "record/report_page.h"
#include "record/views.h"
#include "store.h"
#include "tpt/atlas.h"
#include "tpt/body.h"
#include "tpt/buf.h"
#include "tpt/chart.h"
#include "tpt/error.h"
#include "tpt/infer.h"
#include "tpt/instruments.h"
#include "tpt/progress.h"
#include "tpt/screen.h"
#include "tpt/printable.h"
#include "tpt/trend_table.h"
#include "tpt/visit.h"

/* ---- the commands (main.c dispatches) ---- */

int cmd_map(int argc, char **argv);

/* ---- tpt map --why (map_why.c) ---- */

/* CAUSE or CAUSE:l or CAUSE:r; *sided says whether a side was given. Prints
 * why not and returns the exit code. */
int cli_why_parse(const tpt_atlas *atlas, const char *text, tpt_cause_ref *ref, bool *sided);
/* The side for a cause asked without one: where it ranks higher, else where
 * it alone fits the drawing better. */
void cli_why_side(const tpt_atlas *atlas, const tpt_drawing *drawing, const tpt_finding *findings,
                  size_t nfindings, const tpt_result *result, tpt_cause_ref *ref);
/* Each cause's terms, and against the first candidate (the second for the
 * first), as text; or as "why" (an array) added to a map answer's JSON.
 * cli_why_add_json consumes nothing and returns nonzero when out of memory. */
void cli_why_print(const tpt_atlas *atlas, const tpt_drawing *drawing, const tpt_finding *findings,
                   size_t nfindings, const tpt_result *result, const tpt_cause_ref *refs, size_t n);
int cli_why_add_json(const tpt_atlas *atlas, const tpt_drawing *drawing,
                     const tpt_finding *findings, size_t nfindings, const tpt_result *result,
                     const tpt_cause_ref *refs, size_t n, json_t *answer);
int cmd_regions(int argc, char **argv);
int cmd_atlas(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_session(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_progress(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_patient(int argc, char **argv);
int cmd_visit(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_flag(int argc, char **argv);
int cmd_account(int argc, char **argv);
int cmd_operator(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_appointment(int argc, char **argv);
int cmd_availability(int argc, char **argv);
int cmd_licence(int argc, char **argv);
extern const char cmd_account_help[], cmd_operator_help[], cmd_audit_help[];
extern const char cmd_map_help[], cmd_regions_help[], cmd_atlas_help[], cmd_screen_help[],
    cmd_plan_help[], cmd_session_help[], cmd_log_help[], cmd_progress_help[], cmd_report_help[],
    cmd_history_help[], cmd_export_help[], cmd_import_help[], cmd_db_help[], cmd_patient_help[],
    cmd_visit_help[], cmd_measure_help[], cmd_eval_help[], cmd_flag_help[], cmd_appointment_help[],
    cmd_availability_help[], cmd_licence_help[];

/* ---- printing and errors (cli.c) ---- */

/* Prints "tpt: <message>" on stderr and returns the exit status of the status. */
int cli_report(const tpt_error *err);
/* Prints a usage problem of `command` and returns the bad-input exit status. */
int cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports the option getopt_long just refused. */
int cli_bad_option(const char *command, char **argv);
/* Whether `arg` asks for help. */
int cli_is_help(const char *arg);

/* Prints JSON (consumed: the reference is released) followed by a newline;
 * compact for one-line-per-record output. Returns 0 or an exit status. */
int cli_print_json(json_t *value, FILE *out, int compact);
/* Writes JSON (consumed) to a file, replacing it whole or not at all ("-" is
 * standard output; a device or a pipe is written in place). */
int cli_write_json(json_t *value, const char *path);
/* Prints text word-wrapped to 78 columns, every line indented. */
void cli_wrap(FILE *out, int indent, const char *text);
/* The same with the first line indented `first` and the others `rest`. */
void cli_wrap_hanging(FILE *out, int first, int rest, const char *text);
/* Prints the warnings of a drawing, the most serious first: on stdout with a
 * result, or on stderr beside an error so that a typo never hides them. */
void cli_print_warnings(FILE *out, const tpt_atlas *atlas, unsigned warnings);

typedef struct cli_data {
    tpt_regions *regions;
    tpt_atlas *atlas;
} cli_data;

/* Loads the regions and the atlas (the built-in one, or the file at
 * atlas_path when not NULL). On failure prints why and returns the exit status. */
int cli_load(cli_data *data, const char *atlas_path);
void cli_data_free(cli_data *data);
/* Reads screen answers from a JSON file ("-" for standard input); prints why on failure. */
int cli_read_answers(const tpt_screen_def *def, const char *path, tpt_answers *answers);

/* ---- options (options.c) ---- */

/* The options several commands share, defined once: each a bit. */
enum {
    CLI_DB = 1u << 0,     /* --db PATH: the database (default $XDG_DATA_HOME/tpt/tpt.db) */
    CLI_JSON = 1u << 1,   /* --json: the answer as JSON */
    CLI_CLINIC = 1u << 2, /* --clinic ID: the clinic, in a database of several */
    CLI_AS = 1u << 3,     /* --as EMAIL: the account that writes or signs */
};
/* The bit of the command's own option at index i of its table. */
#define CLI_OWN(i) (1u << (4 + (i)))

typedef struct cli_common {
    const char *db, *clinic, *as; /* NULL when not given */
    bool json;
} cli_common;

#define CLI_OPTIONS_MAX 24

/* A command's options being read: its own (a getopt_long table of
 * characters) and the shared ones it takes, kept in `common`. */
typedef struct cli_args {
    const char *command;
    int argc;
    char **argv;
    struct option all[CLI_OPTIONS_MAX + 1];
    size_t nown;    /* the command's own come first in `all` */
    unsigned given; /* the options given: CLI_ bits and CLI_OWN(i) */
    cli_common common;
    int code; /* after a usage problem: the exit status */
} cli_args;

/* Starts reading argv with the command's own options ({0}-terminated, may
 * be NULL) and the shared ones `takes` names (CLI_ bits). */
void cli_args_init(cli_args *a, const char *command, int argc, char **argv,
                   const struct option *own, unsigned takes);
/* The next of the command's own options (its character; its value in
 * optarg), 0 when none is left (optind is then the first argument), or -1
 * after a usage problem, printed (a->code is the exit status). */
int cli_args_next(cli_args *a);
/* 0 when every option given is one of `allowed` (CLI_ and CLI_OWN bits);
 * else "VERB does not take --NAME" printed as a usage problem, and its exit
 * status. */
int cli_args_only(const cli_args *a, const char *verb, unsigned allowed);

/* ---- the database and times (records.c) ---- */

/* Opens the database (db, a path or a URI; NULL: the default under
 * $XDG_DATA_HOME) and, when patient is not NULL, finds the person's own
 * record. Prints why on failure and returns the exit status. */
int cli_open_store(const char *db, tpt_store **store, int64_t *patient);
/* Stores what a command produced (body consumed) in the person's record at
 * db (or the default database). Prints why on failure and returns the
 * exit status; the command's answer has already been printed by then. */
int cli_save_record(const char *db, tpt_record_kind kind, const char *summary, const char *input,
                    json_t *body);
/* A drawing as the record keeps it, findings first ("--finding slr:r ...
 * MARK ..."): enough to map it again. Returns false when it does not fit. */
bool cli_drawing_typed(const char *const *findings, size_t nfindings, char *const *marks,
                       size_t nmarks, char *out, size_t size);
/* The current time as the store keeps it (UTC). */
void cli_now(char out[TPT_TIME_MAX]);
/* A time a person typed: 2026-11-20T08:30 (local), with :SS, with Z (UTC), or
 * a date alone; 0 and the UTC form, or -1. */
int cli_parse_time(const char *text, char out[TPT_TIME_MAX]);
/* A stored time shown in local time, "2026-11-20 08:30". */
void cli_local_time(const char *at, char *out, size_t size);
/* A stored time ("2026-11-20T08:30:00Z") in seconds since the epoch; 0 if malformed. */
int64_t cli_time_seconds(const char *at);

/* ---- a clinic's patients and accounts (clinic.c) ---- */

/* An id typed as `what` (PATIENT, --clinic, N): a whole number from 1 up;
 * 0, or a usage problem of `command` printed and its exit status. */
int cli_parse_id(const char *command, const char *what, const char *text, int64_t *out);
/* The clinic a command works in: the one `given` (its id as typed), else the
 * database's only clinic; with none, a new "My clinic" when `make` is set,
 * else out->id 0 (a clinic without patients). Several clinics and none given
 * is an error that names them. Prints why on failure and returns the exit
 * status. Made in a transaction (tpt_store_begin), two commands at once make
 * one clinic. */
int cli_clinic_find(tpt_store *store, const char *command, const char *given, bool make,
                    tpt_clinic *out);
/* The patient `id` of the clinic; a patient of another clinic (or the
 * person's own record) is "no patient N", exit status 2. */
int cli_clinic_patient(tpt_store *store, int64_t clinic, int64_t id, tpt_patient *out);
/* Opens the database, finds the clinic (as cli_clinic_find without making
 * one) and the patient typed as patient_text in it, and writes that the
 * record was opened to the audit log. Prints why on failure and returns the
 * exit status; on success the caller closes *store. */
int cli_open_patient(const char *db, const char *command, const char *clinic_given,
                     const char *patient_text, tpt_store **store, tpt_patient *patient);
/* The account with this email, which must be a practitioner's or an admin's
 * of the clinic; prints why not and returns the exit status. */
int cli_account(tpt_store *store, const char *email, int64_t clinic, tpt_user *out);
/* An account as people read it, "Ruth Ames <ruth@clinic.example>". */
void cli_account_text(tpt_store *store, int64_t user, char *out, size_t size);
/* Writes a change made on the command line to the audit log (user 0: the
 * command line): 0, or the failure printed and its exit status. Called in
 * the change's transaction, before its commit, so that a change whose line
 * cannot be written is not kept. */
int cli_audit(tpt_store *store, int64_t user, const char *action, int64_t patient);
/* A change and its audit line, together: cli_change_begin opens the
 * transaction (0, or the failure printed and its exit status); after the
 * change, cli_change_end(code) writes the line and commits when code is 0,
 * else (or when either fails) rolls back; it returns the exit status. */
int cli_change_begin(tpt_store *store);
int cli_change_end(tpt_store *store, int code, int64_t user, const char *action, int64_t patient);

#endif
