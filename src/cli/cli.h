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

enum { EXIT_BAD_INPUT = 2 };

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

/* Reads a whole file ("-" for standard input) of at most max bytes; the caller frees *out. */
int cli_read_file(const char *path, size_t max, char **out, size_t *len, tpt_error *err);
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

/* The default database's path ($XDG_DATA_HOME/tpt/tpt.db, else
 * ~/.local/share/tpt/tpt.db), its directory made when missing; 0 or -1. */
int cli_default_db_path(char *out, size_t size);
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
/* Seconds since the epoch as the store keeps times (UTC). */
void cli_utc_time(int64_t t, char out[TPT_TIME_MAX]);
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
int cmd_serve(int argc, char **argv);
extern const char cmd_serve_help[];

extern const char cmd_map_help[], cmd_regions_help[], cmd_atlas_help[], cmd_screen_help[],
    cmd_plan_help[], cmd_session_help[], cmd_log_help[], cmd_db_help[], cmd_history_help[];

/* ---- exports: CSV and FHIR R4 (cmd_export.c, cmd_import.c, fhir.c) ---- */

int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
extern const char cmd_export_help[], cmd_import_help[];

/* A JSON number as a person reads it (0.7, 12, 1234.5); empty for anything else. */
void cli_number_text(const json_t *v, char *out, size_t size);
/* The patient's log, records and outcome measures (may be NULL) as a FHIR
 * R4 Bundle (a new reference), or NULL when out of memory; each measure is a
 * QuestionnaireResponse of its answers and an Observation of its score
 * derived from it. *replaced
 * (when not NULL) counts the texts that were not UTF-8 and went out with
 * their bad bytes replaced. */
json_t *cli_fhir_bundle(const tpt_log_list *log, const tpt_record_list *records,
                        const tpt_measure_list *measures, size_t *replaced);
/* Reads back a Bundle that cli_fhir_bundle made: TPT_ERR_INPUT naming what is
 * wrong, for anything else. A measure's answers are scored again and must
 * give its score. The caller frees the lists (empty on failure). Measures
 * come back without their visit and author, which the export does not hold. */
int cli_fhir_read(const json_t *bundle, tpt_log_list *log, tpt_record_list *records,
                  tpt_measure_list *measures, tpt_error *err);
typedef struct cli_import_counts {
    size_t log, records, measures, present; /* stored, and already in the record */
} cli_import_counts;
/* Stores, in one transaction, whatever of what cli_fhir_read read the
 * patient's record does not hold yet; on any error, nothing. */
int cli_fhir_import(tpt_store *store, int64_t patient, const tpt_log_list *log,
                    const tpt_record_list *records, const tpt_measure_list *measures,
                    cli_import_counts *counts, tpt_error *err);

/* ---- the record as progress and report read it (progress_input.c) ---- */

int cmd_report(int argc, char **argv);
extern const char cmd_report_help[];

typedef struct cli_progress_record {
    tpt_log_list log;        /* the whole log, oldest first */
    tpt_record_list records; /* every record, oldest first */
    tpt_pain_point *pain;    /* the log entries that rate pain */
    const char **notes;      /* the note of each pain point, or NULL (borrowed from log) */
    size_t npain;
    tpt_session_point *sessions;        /* the sessions that began ("end" is not "none") */
    const tpt_record **session_records; /* the record of each (borrowed from records) */
    json_t **session_bodies;            /* the summary of each, parsed (owned) */
    size_t nsessions;
    size_t nflags; /* red flags standing (cli_standing_flags), the most serious and its advice */
    tpt_level flag_level;
    char *flag_advice;
    bool new_numbness, new_weakness;
} cli_progress_record;

/* Reads the patient's log and records and gathers what the progress rules
 * judge. Prints why on failure and returns the exit code; on success the
 * caller frees with cli_progress_record_free. */
int cli_progress_gather(tpt_store *store, int64_t patient, const tpt_progress_rules *rules,
                        cli_progress_record *out);
void cli_progress_record_free(cli_progress_record *record);
/* The red flags standing in a record: the flags of screens and the warnings
 * saved drawings raised, each until a later complete screen below urgent
 * clears it. Returns how many stand, with the most serious level and its
 * advice (malloc'd, the caller frees; NULL when none). */
size_t cli_standing_flags(const tpt_record_list *records, tpt_level *level, char **advice);
/* The progress input for the gathered record (borrowing from it) at `now`. */
void cli_progress_input(const cli_progress_record *record, int64_t now, tpt_progress_input *in);
/* When the home program in use began: the first session kept since the
 * latest plan (seconds since the epoch), or -1 when none has been; its week
 * sets the graded steps (tpt_program_week). */
int64_t cli_program_began(const tpt_record_list *records);
/* A stored time ("2026-11-20T08:30:00Z") in seconds since the epoch; 0 if malformed. */
int64_t cli_time_seconds(const char *at);
/* Calls fn with each mark (REGION[:KIND][:INTENSITY]) of a drawing kept as
 * typed ("--finding F ... MARK..."). */
void cli_drawing_each_mark(const char *input, void (*fn)(const char *mark, void *ctx), void *ctx);

/* ---- the record as people read it (record_views.c) ---- */

/* The progress verdict and the figures behind it (tpt progress --json), or
 * NULL when out of memory. */
json_t *cli_progress_json(const tpt_progress_rules *rules, const tpt_progress *p,
                          const char *flag_advice);
/* The patient's report page (tpt report) appended to html; chart may be NULL,
 * and so may the instruments (then the page has no outcome measures). Prints
 * why on failure and returns the exit code. */
int cli_report_html(tpt_store *store, int64_t patient, const tpt_progress_rules *rules,
                    const tpt_regions *regions, const tpt_chart *chart,
                    const tpt_instruments *instruments, tpt_buf *html);
/* A score to one decimal, as people read it and the record shows it. */
double cli_tenth(double v);
/* A clinic patient's details (GET /patients/ID/details, tpt patient --json). */
json_t *cli_patient_details_json(const tpt_patient *p);
/* A visit; `whole` adds its note, the engine's answers and the amendments. */
json_t *cli_visit_json(tpt_store *store, const tpt_visit *v, bool whole);
/* The engine's answer for a note's drawing, alone and with the note's
 * findings, as {"drawing_only": ..., "with_findings": ...} (*out malloc'd);
 * 0, or the libtpt status (err says why when the engine refused). */
int cli_visit_engine_answers(const tpt_atlas *atlas, const tpt_drawing *drawing,
                             const tpt_visit_evidence *ev, char **out, tpt_error *err);
/* A kept outcome measure; and per instrument first -> latest, the change and
 * whether it reaches the instrument's MCID for the better. */
json_t *cli_measure_json(const tpt_measure *m);
json_t *cli_measure_trends_json(const tpt_instruments *set, const tpt_measure_list *list);
/* Those trends (borrowed: `trends` must outlive `out`) for a printed table,
 * in the order of the instruments; returns how many, at most max. */
size_t cli_measure_trends(const tpt_instruments *set, const json_t *trends, tpt_measure_trend *out,
                          size_t max);
/* ---- the course of care and the clinic's outcomes (course.c) ---- */

/* A patient's course of care judged against the outcome measures' MCIDs
 * (GET /patients/ID/course): planned and signed visits, the reassessment due,
 * the verdict (improving, review, in-course) in a sentence, the trends. The
 * caller owns it; NULL with err filled. */
json_t *cli_course_json(const tpt_instruments *set, tpt_store *store, int64_t patient,
                        tpt_error *err);
/* A clinic's view (GET /api/v1/clinic): caseload, who is due for a
 * reassessment, who has not improved after the planned course, and the
 * outcomes (share reaching the MCID, median change per instrument, median
 * visits to improvement). The caller owns it; NULL with err filled. */
json_t *cli_clinic_outcomes_json(const tpt_instruments *set, tpt_store *store, int64_t clinic,
                                 tpt_error *err);

/* A log entry as JSON (tpt log --json): absent values are null. */
json_t *cli_log_entry_json(const tpt_log_entry *e);
/* The log, or the sessions, as CSV (RFC 4180) on out; prints why on failure
 * and returns the exit code. */
int cli_csv_log(tpt_store *store, int64_t patient, FILE *out);
int cli_csv_sessions(tpt_store *store, int64_t patient, FILE *out);

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
