/* The record as people read it, the same on the command line (--json) and
 * in the API: the progress verdict, a clinic patient's details, visits,
 * outcome measures and their trends, log entries. Each returns a new
 * reference (the caller owns it) or NULL when out of memory. */
#ifndef TPT_RECORD_VIEWS_H
#define TPT_RECORD_VIEWS_H

#include <jansson.h>
#include <stdbool.h>

#include "record/flags.h"
#include "store.h"
#include "tpt/infer.h"
#include "tpt/instruments.h"
#include "tpt/progress.h"
#include "tpt/trend_table.h"
#include "tpt/visit.h"

/* The progress verdict and the figures behind it (tpt progress --json). */
json_t *tpt_progress_json(const tpt_progress_rules *rules, const tpt_progress *p,
                          const char *flag_advice);
/* A clinic patient's details (GET /patients/ID/details, tpt patient --json). */
json_t *tpt_patient_details_json(const tpt_patient *p);
/* A visit with its author's and signer's names; `whole` adds its note, the
 * engine's answers and the amendments. */
json_t *tpt_visit_json(tpt_store *store, const tpt_visit *v, bool whole);
/* The engine's answer for a note's drawing, alone and with the note's
 * findings, as {"drawing_only": ..., "with_findings": ...} (*out malloc'd);
 * 0, or the status (err says why when the engine refused). */
int tpt_visit_engine_answers(const tpt_atlas *atlas, const tpt_drawing *drawing,
                             const tpt_visit_evidence *ev, char **out, tpt_error *err);
/* A kept outcome measure. */
json_t *tpt_measure_json(const tpt_measure *m);
/* Per instrument: first and latest score, their times, how many, the change
 * and whether it reaches the instrument's MCID for the better. */
json_t *tpt_measure_trends_json(const tpt_instruments *set, const tpt_measure_list *list);
/* Those trends (borrowed: `trends` must outlive `out`) for a printed table,
 * in the order of the instruments; returns how many, at most max. */
size_t tpt_measure_trends(const tpt_instruments *set, const json_t *trends, tpt_measure_trend *out,
                          size_t max);
/* The flags standing in a record, each with what raised it and who kept
 * that (the account's name), and who may lift it ("lifted_by": clinician,
 * screen or drawing); and the record's assessments, with the clinician's
 * name. */
json_t *tpt_flags_json(tpt_store *store, const tpt_flags *flags);
json_t *tpt_assessment_json(tpt_store *store, const tpt_assessment *a);
/* A log entry (tpt log --json): absent values are null. */
json_t *tpt_log_entry_json(const tpt_log_entry *e);
/* A score to one decimal, as people read it and the record shows it. */
double tpt_tenth(double v);
/* A JSON number as a person reads it (0.7, 12, 1234.5: the fewest decimals
 * that give the same number back); empty for anything else. */
void tpt_json_number_text(const json_t *v, char *out, size_t size);

#endif
