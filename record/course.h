/* The course of care and the clinic's outcomes: a patient's course judged
 * against the outcome measures' MCIDs (tpt patient show, GET
 * /patients/ID/course, the letters), and a clinic's caseload, reassessments
 * due, patients not improving and outcomes (tpt measure outcomes, GET
 * /api/v1/clinic). Each returns a new reference, or NULL with err filled. */
#ifndef TPT_RECORD_COURSE_H
#define TPT_RECORD_COURSE_H

#include <jansson.h>

#include "store.h"
#include "tpt/instruments.h"

/* Planned and signed visits, the reassessment due, the verdict (improving,
 * review, in-course) in a sentence, the trends. */
json_t *tpt_course_json(const tpt_instruments *set, tpt_store *store, int64_t patient,
                        tpt_error *err);
/* Caseload, who is due for a reassessment, who has not improved after the
 * planned course, and the outcomes (share reaching the MCID, median change
 * per instrument, median visits to improvement). */
json_t *tpt_clinic_outcomes_json(const tpt_instruments *set, tpt_store *store, int64_t clinic,
                                 tpt_error *err);

#endif
