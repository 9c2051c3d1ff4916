/* Shared pieces of the `tpt` command: loading data, reporting errors and the
 * mapping from a libtpt status to an exit code (the only place it is made). */
#ifndef TPT_CLI_H
#define TPT_CLI_H

#include <jansson.h>
#include <stdio.h>

#include "tpt/atlas.h"
#include "tpt/body.h"
#include "tpt/buf.h"
#include "tpt/chart.h"
#include "tpt/error.h"
#include "tpt/progress.h"
#include "store.h"
#include "tpt/screen.h"
#include "tpt/instruments.h"
#include "tpt/trend_table.h"
#include "tpt/visit.h"
#include "record/course.h"
#include "record/csv.h"
#include "record/fhir.h"
#include "record/program.h"
#include "record/flags.h"
#include "record/progress_record.h"
#include "record/report_page.h"
#include "record/views.h"

enum { EXIT_BAD_INPUT = TPT_EXIT_BAD_INPUT };

typedef struct cli_data {
    tpt_regions *regions;
    tpt_atlas *atlas;
} cli_data;

/* Loads the regions and the atlas (the built-in one, or the file at
 * atlas_path when not NULL). On failure prints why and returns the exit code. */
int cli_load(cli_data *data, const char *atlas_path);
void cli_data_free(cli_data *data);

/* Prints "tpt: <message>" on stderr and returns the exit code for the status. */
int cli_report(const tpt_error *err);
/* Prints a usage problem of `command` and returns the bad-input exit code. */
int cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports the option getopt_long just refused. */
int cli_bad_option(const char *command, char **argv);
/* The exit code for a libtpt status. */
int cli_exit_code(int status);

/* Prints JSON (consumed: the reference is released) followed by a newline;
 * compact for one-line-per-record output. Returns 0 or an exit code. */
int cli_print_json(json_t *value, FILE *out, int compact);

/* Reads screen answers from a JSON file ("-" for standard input); prints why on failure. */
int cli_read_answers(const tpt_screen_def *def, const char *path, tpt_answers *answers);
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

/* Opens the database (db_path, or the default under $XDG_DATA_HOME) and, when
 * patient is not NULL, finds the person's own record. Prints why on failure
 * and returns the exit code. */
int cli_open_store(const char *db_path, tpt_store **store, int64_t *patient);
/* Stores what a command produced (body consumed) in the person's record at
 * db_path (or the default database). Prints why on failure and returns the
 * exit code; the command's answer has already been printed by then. */
int cli_save_record(const char *db_path, tpt_record_kind kind, const char *summary,
                    const char *input, json_t *body);
/* The current time as the store keeps it (UTC). */
void cli_now(char out[TPT_TIME_MAX]);
/* A time a person typed: 2026-11-20T08:30 (local), with :SS, with Z (UTC), or
 * a date alone; 0 and the UTC form, or -1. */
int cli_parse_time(const char *text, char out[TPT_TIME_MAX]);
/* A stored time shown in local time, "2026-11-20 08:30". */
void cli_local_time(const char *at, char *out, size_t size);

/* Whether `arg` asks for help. */
int cli_is_help(const char *arg);

int cmd_map(int argc, char **argv);
int cmd_regions(int argc, char **argv);
int cmd_atlas(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_session(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_progress(int argc, char **argv);
extern const char cmd_progress_help[];
int cmd_history(int argc, char **argv);

extern const char cmd_map_help[], cmd_regions_help[], cmd_atlas_help[], cmd_screen_help[],
    cmd_plan_help[], cmd_session_help[], cmd_log_help[], cmd_db_help[], cmd_history_help[];

/* ---- exports: CSV and FHIR R4 (cmd_export.c, cmd_import.c, fhir.c) ---- */

int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
extern const char cmd_export_help[], cmd_import_help[];

int cmd_report(int argc, char **argv);
extern const char cmd_report_help[];

/* A stored time ("2026-11-20T08:30:00Z") in seconds since the epoch; 0 if malformed. */
int64_t cli_time_seconds(const char *at);

/* ---- a clinic's records: patients, visits, measures (clinic.c) ---- */

int cmd_patient(int argc, char **argv);
int cmd_visit(int argc, char **argv);
int cmd_measure(int argc, char **argv);
extern const char cmd_patient_help[], cmd_visit_help[], cmd_measure_help[];

/* An id typed as `what` (PATIENT, --clinic, N): a whole number from 1 up;
 * 0, or a usage problem of `command` printed and its exit code. */
int cli_parse_id(const char *command, const char *what, const char *text, int64_t *out);
/* The clinic a command works in: the one `given` (its id as typed), else the
 * database's only clinic; with none, a new "My clinic" when `make` is set,
 * else out->id 0 (a clinic without patients). Several clinics and none given
 * is an error that names them. Prints why on failure and returns the exit code. */
int cli_clinic_find(tpt_store *store, const char *command, const char *given, bool make,
                    tpt_clinic *out);
/* The patient `id` of the clinic; a patient of another clinic (or the
 * person's own record) is "no patient N", exit code 2. */
int cli_clinic_patient(tpt_store *store, int64_t clinic, int64_t id, tpt_patient *out);
/* Opens the database, finds the clinic (as cli_clinic_find without making
 * one) and the patient typed as patient_text in it. Prints why on failure
 * and returns the exit code; on success the caller closes *store. */
int cli_open_patient(const char *db, const char *command, const char *clinic_given,
                     const char *patient_text, tpt_store **store, tpt_patient *patient);
/* The account with this email, which must be a practitioner's or an admin's
 * of the clinic; prints why not and returns the exit code. */
int cli_account(tpt_store *store, const char *email, int64_t clinic, tpt_user *out);
/* An account as people read it, "Ruth Ames <ruth@clinic.example>". */
void cli_account_text(tpt_store *store, int64_t user, char *out, size_t size);
/* Writes a change made on the command line to the audit log (user 0: none). */
void cli_audit(tpt_store *store, int64_t user, const char *action, int64_t patient);

#endif
