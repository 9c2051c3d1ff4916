/* The printable letters of a clinic record: a visit summary for the patient,
 * a summary letter to the referring doctor, and a discharge summary. Each is
 * one self-contained HTML page (its own CSS, the body chart inline, no
 * scripts, fonts or links) that prints to a clean PDF. The writers work on
 * plain values the caller gathers: no store, no clock (docs/internals/letters.md). */
#ifndef TPT_LETTERS_H
#define TPT_LETTERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/atlas.h"
#include "tpt/body.h"
#include "tpt/buf.h"
#include "tpt/chart.h"
#include "tpt/instruments.h"
#include "tpt/level.h"
#include "tpt/trend_table.h"
#include "tpt/techniques.h"
#include "tpt/words.h"

/* Times are seconds since the epoch, shown as dates in the zone of the
 * input's utc_offset. */

/* A correction appended to a signed visit. */
typedef struct tpt_letter_amendment {
    int64_t at;
    const char *author; /* the name of who wrote it, or NULL */
    const char *text;
} tpt_letter_amendment;

/* One clinic visit. */
typedef struct tpt_letter_visit {
    int number; /* 1 for the first */
    int64_t at;
    const char *author;    /* the name of who wrote the note, or NULL */
    int64_t signed_at;     /* 0 while a draft */
    const char *signed_by; /* the name of who signed it, or NULL */
    /* The note in SOAP form as include/tpt/visit.h gives it (checked by
     * tpt_visit_note_check when it was kept), and the engine's answers
     * {"drawing_only", "with_findings"} for its drawing, or NULL: borrowed. */
    const json_t *note;
    const json_t *result;
    const tpt_letter_amendment *amendments; /* oldest first */
    size_t namendments;
} tpt_letter_visit;

/* The course of care as the clinic judges it. */
typedef struct tpt_letter_course {
    int planned, signed_visits;
    int reassessment_due; /* the visit a reassessment is due at, or 0 */
    const char *verdict;  /* "improving", "review", "in-course", or NULL when not known */
    const char *sentence; /* the verdict in words, or NULL */
} tpt_letter_course;

typedef struct tpt_letter_input {
    const char *clinic;  /* the clinic's name for the letterhead, or NULL */
    const char *patient; /* the patient's name */
    int birth_year;      /* 0 when not given */
    int64_t now;         /* the date of the letter */
    long utc_offset;     /* seconds east of UTC */

    /* What names things: regions and chart (may be NULL: no drawing), the
     * atlas (causes, muscles, findings) and the treatment data (acupuncture
     * points, stretches, the expected course, the stop rules). */
    const tpt_regions *regions;
    const tpt_atlas *atlas;
    const tpt_techniques *techniques;
    const tpt_chart *chart;

    /* Every visit of the record, drafts too, by number. */
    const tpt_letter_visit *visits;
    size_t nvisits;

    /* The latest plan as tpt plan --json prints it (borrowed), or NULL. */
    const json_t *plan;

    const tpt_measure_trend *measures;
    size_t nmeasures;
    tpt_letter_course course;

    /* Red flags standing in the record: how many, the most serious level
     * and its advice (may be NULL). At urgent and above no self-treatment
     * guidance is written, the advice instead. */
    size_t nflags;
    tpt_level flag_level;
    const char *flag_advice;

    /* The language of the visit summary, the patient's letter (NULL:
     * English); the letters to the doctor and of discharge are English. */
    const tpt_words *words;
} tpt_letter_input;

/* The summary of the visit numbered `number` for the patient: the date,
 * what was done, the home program with where to press on the body chart,
 * what to expect and when to come back, the stop rules. Returns 0,
 * TPT_ERR_INPUT when the record has no such visit, or TPT_ERR_NOMEM. */
int tpt_letter_visit_write_html(const tpt_letter_input *in, int number, tpt_buf *out);

/* The summary letter to the referring doctor, from the signed notes only:
 * history, examination, the engine's assessment beside the practitioner's,
 * treatments given, outcome measures, the course, any standing red flag;
 * signed by whoever signed the intake. Returns 0 or TPT_ERR_NOMEM. */
int tpt_letter_doctor_write_html(const tpt_letter_input *in, tpt_buf *out);

/* The discharge summary, from the signed notes only: visits done of those
 * planned, the outcome measures at baseline and at discharge against their
 * MCIDs, the course, the home program to keep up (or the flag's advice) and
 * when to seek help again. Returns 0 or TPT_ERR_NOMEM. */
int tpt_letter_discharge_write_html(const tpt_letter_input *in, tpt_buf *out);

#endif
