/* What the letters of a clinic record are made from (GET
 * /patients/ID/letters/NAME): the patient and clinic, the visits with their
 * notes, the engine's answers and amendments, the course of care and the
 * outcome measures' trends, the latest plan and the standing flags,
 * gathered into the plain input of lib/letters.c. */
#ifndef TPT_RECORD_LETTER_RECORD_H
#define TPT_RECORD_LETTER_RECORD_H

#include <jansson.h>

#include "store.h"
#include "tpt/instruments.h"
#include "tpt/letters.h"

/* The data a letter is written with (borrowed). */
typedef struct tpt_letter_sources {
    const tpt_regions *regions;
    const tpt_atlas *atlas;
    const tpt_techniques *techniques;
    const tpt_chart *chart;
    const tpt_instruments *instruments;
} tpt_letter_sources;

/* Everything a letter is made from: `in` is the letters' input, the rest
 * owns what it points into. */
typedef struct tpt_letter_record {
    tpt_patient patient;
    tpt_clinic clinic;
    tpt_visit_list visits;
    tpt_letter_visit *letter_visits;
    tpt_amendment_list *amendment_lists;
    tpt_letter_amendment **amendments;
    struct tpt__letter_name *names; /* the accounts' names, looked up once */
    tpt_record_list plans;
    json_t *plan;
    char *flag_advice;
    json_t *course;
    tpt_measure_trend measures[TPT_INSTRUMENTS_MAX];
    tpt_letter_input in;
} tpt_letter_record;

/* Gathers the patient's record as of `now` (seconds since 1970, UTC; dates
 * in the local time zone); 0, or a status with err (not NULL) filled. The
 * caller frees *out with tpt_letter_record_free, also after a failure. */
int tpt_letter_record_read(tpt_store *store, int64_t patient, const tpt_letter_sources *src,
                           int64_t now, tpt_letter_record *out, tpt_error *err);
void tpt_letter_record_free(tpt_letter_record *record);

#endif
