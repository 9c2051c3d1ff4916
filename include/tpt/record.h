/* A person's record as tpt keeps it: the patient, the daily log, what tpt
 * produced (screens, drawings, plans, sessions), a clinic's visits in SOAP
 * form with their amendments, and outcome measures. Plain values: the store
 * (store/store.h) keeps and reads them, the record layer (record/) and the
 * two programs show them.
 *
 * Ownership, the same for every list here: a list owns its items and every
 * string in them; the list's _free releases all of it and leaves an empty
 * list; NULL and an empty list are safe to free. Times are stored times
 * (tpt/time.h). */
#ifndef TPT_RECORD_H
#define TPT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/time.h"

#define TPT_TEXT_MAX 4096 /* bytes of a free-text field (note, medication) */
#define TPT_NAME_MAX 200  /* characters of a name: a patient's, a clinic's, an account's */

/* ---- patients ---- */

typedef struct tpt_patient {
    int64_t id, clinic;
    char name[TPT_NAME_MAX + 1];
    int birth_year;                 /* 0 when not given */
    char contact[TPT_NAME_MAX + 1]; /* phone or email as the clinic keeps it; "" when not given */
    char consent[TPT_TIME_MAX];     /* when consent to treatment was recorded; "" when not */
    char archived[TPT_TIME_MAX];    /* when the record was archived; "" while active */
    int planned_visits;             /* the planned course of care, in visits */
    int64_t private_to;             /* an account keeping its own record to itself, or 0 */
    char erased[TPT_TIME_MAX];      /* when the record was erased (a tombstone); "" when not */
} tpt_patient;

typedef struct tpt_patient_list {
    size_t count;
    tpt_patient *items; /* by name */
} tpt_patient_list;

void tpt_patient_list_free(tpt_patient_list *list);

/* ---- log entries ---- */

typedef struct tpt_log_entry {
    int64_t id, patient;
    int64_t author; /* the account that entered it, or 0 (the command line, an import) */
    char at[TPT_TIME_MAX];
    int leg_pain, back_pain;              /* 0-10, or -1 when not given */
    int sitting_minutes, walking_minutes; /* 0-1440, or -1 */
    int sleep_disturbed;                  /* 1 yes, 0 no, -1 not given */
    char *medication, *note;              /* NULL when not given */
} tpt_log_entry;

typedef struct tpt_log_list {
    size_t count;
    tpt_log_entry *items; /* oldest first */
} tpt_log_list;

void tpt_log_list_free(tpt_log_list *list);

/* ---- what tpt produced: screens, drawings, plans, sessions ---- */

typedef enum tpt_record_kind {
    TPT_RECORD_SCREEN = 0, /* input: the answers; json: the screen result; summary: level */
    TPT_RECORD_DRAWING,    /* input: findings and marks as typed ("--finding F ... MARK..."); json:
                              the map result; summary: pattern */
    TPT_RECORD_PLAN,       /* input: "screen:ID drawing:ID", the records it was made from,
                              or NULL (kept by an older tpt); json: the plan; summary: level */
    TPT_RECORD_SESSION,    /* json: the session summary; summary: how it ended */
    TPT_RECORD_KIND_COUNT
} tpt_record_kind;

typedef struct tpt_record {
    int64_t id, patient;
    char at[TPT_TIME_MAX];
    tpt_record_kind kind;
    char *summary, *input, *json; /* input may be NULL */
    int64_t author;               /* the account that kept it, or 0 (the command line) */
    /* Kept by a clinician about someone else: a clinic's admin or
     * practitioner on a patient's record, or a visit note's drawing. A flag
     * it raises is lifted only by a clinician (record/flags.h). */
    bool clinician;
} tpt_record;

typedef struct tpt_record_list {
    size_t count;
    tpt_record *items; /* oldest first */
} tpt_record_list;

void tpt_record_list_free(tpt_record_list *list);
const char *tpt_record_kind_name(tpt_record_kind kind); /* "screen", "drawing", ...; "?" */
/* The kind of a name: 0, or TPT_ERR_INPUT for an unknown name. */
int tpt_record_kind_parse(const char *name, tpt_record_kind *out);

/* ---- a clinician's assessment of a red flag ---- */

#define TPT_FLAG_ID_MAX 63 /* bytes of a flag's id: a rule's or a drawing warning's */

/* A clinician recorded that the concern behind a flag standing in the
 * record was assessed: who, when, what was found. Never changed; it lifts
 * the flag (record/flags.h). */
typedef struct tpt_assessment {
    int64_t id, patient;
    char at[TPT_TIME_MAX];
    int64_t author;                 /* the clinician's account */
    int64_t record;                 /* the screen or drawing that raised the flag */
    char flag[TPT_FLAG_ID_MAX + 1]; /* the flag's id: "cancer-history", "cauda-equina" */
    char *finding;                  /* what the clinician found, 1 to TPT_TEXT_MAX bytes */
} tpt_assessment;

typedef struct tpt_assessment_list {
    size_t count;
    tpt_assessment *items; /* oldest first */
} tpt_assessment_list;

void tpt_assessment_list_free(tpt_assessment_list *list);

/* ---- clinic visits: notes in SOAP form, signed and then locked ---- */

typedef struct tpt_visit {
    int64_t id, patient;
    int number; /* 1 for the first visit (the intake), counted per patient */
    char at[TPT_TIME_MAX];
    int64_t author;               /* the account that wrote it, or 0 */
    char signed_at[TPT_TIME_MAX]; /* "" while a draft */
    int64_t signed_by;            /* 0 while a draft */
    char *note;                   /* the note as JSON (lib/visit.c checks it) */
    char *result; /* the engine's answer for its drawing and findings as JSON, or NULL */
} tpt_visit;

typedef struct tpt_visit_list {
    size_t count;
    tpt_visit *items; /* by number */
} tpt_visit_list;

void tpt_visit_list_free(tpt_visit_list *list);

typedef struct tpt_amendment {
    int64_t id, visit, author;
    char at[TPT_TIME_MAX];
    char *text;
} tpt_amendment;

typedef struct tpt_amendment_list {
    size_t count;
    tpt_amendment *items; /* oldest first */
} tpt_amendment_list;

void tpt_amendment_list_free(tpt_amendment_list *list);

/* ---- outcome measures (lib/instruments.c scores them) ---- */

typedef struct tpt_measure {
    int64_t id, patient;
    char instrument[64]; /* its id: "odi", "nrs-leg", ... */
    char at[TPT_TIME_MAX];
    int visit;      /* the number of the visit it was taken at, or 0 */
    int64_t author; /* the account that entered it, or 0 */
    char *answers;  /* the answers as JSON ({"item": value, ...}) */
    char *names;    /* the names given to named items as JSON ({"item": "name", ...}), or NULL */
    double score;
    char band[64]; /* the band or risk group's id, or "" */
} tpt_measure;

typedef struct tpt_measure_list {
    size_t count;
    tpt_measure *items; /* oldest first */
} tpt_measure_list;

void tpt_measure_list_free(tpt_measure_list *list);

/* ---- a clinic's licensed wording of an outcome measure ---- */

#define TPT_INSTRUMENT_ID_MAX 63             /* bytes of an instrument's id: "odi" */
#define TPT_INSTRUMENT_TEXT_MAX (256u << 10) /* bytes of an item-text file (JSON) */

/* The item texts of a licensed questionnaire (ODI, RMDQ, STarT Back) as one
 * clinic holds them under its own licence: the item-text file as given
 * (docs/internals/instruments.md), kept for that clinic only, at most one
 * per instrument. */
typedef struct tpt_instrument_text {
    int64_t clinic;
    char instrument[TPT_INSTRUMENT_ID_MAX + 1]; /* the instrument's id */
    char file[TPT_NAME_MAX + 1];                /* the name of the file it came from */
    char at[TPT_TIME_MAX];                      /* when it was kept */
    int64_t author;                             /* the account that kept it, or 0 */
    char *text;                                 /* the item-text file, JSON */
} tpt_instrument_text;

typedef struct tpt_instrument_text_list {
    size_t count;
    tpt_instrument_text *items; /* by instrument id */
} tpt_instrument_text_list;

void tpt_instrument_text_list_free(tpt_instrument_text_list *list);

#endif
