/* FHIR R4: a person's record as a Bundle (tpt export --fhir, GET
 * /patients/ID/export.fhir) and that Bundle read back and stored (tpt
 * import). docs/internals/export.md has the mapping. */
#ifndef TPT_RECORD_FHIR_H
#define TPT_RECORD_FHIR_H

#include <jansson.h>

#include "store.h"

/* The patient's log, records and outcome measures (may be NULL) as a Bundle
 * (a new reference), or NULL when out of memory; each measure is a
 * QuestionnaireResponse of its answers and an Observation of its score
 * derived from it. *replaced (when not NULL) counts the texts that were not
 * UTF-8 and went out with their bad bytes replaced. The same record gives
 * the same Bundle, byte for byte. */
json_t *tpt_fhir_bundle(const tpt_log_list *log, const tpt_record_list *records,
                        const tpt_measure_list *measures, size_t *replaced);
/* Reads back a Bundle that tpt_fhir_bundle made: TPT_ERR_INPUT naming what
 * is wrong, for anything else. A measure's answers are scored again and must
 * give its score. The caller frees the lists (empty on failure). Measures
 * come back without their visit and author, which the export does not hold. */
int tpt_fhir_read(const json_t *bundle, tpt_log_list *log, tpt_record_list *records,
                  tpt_measure_list *measures, tpt_error *err);

typedef struct tpt_fhir_import_counts {
    size_t log, records, measures, present; /* stored, and already in the record */
} tpt_fhir_import_counts;

/* Stores, in one transaction, whatever of what tpt_fhir_read read the
 * patient's record does not hold yet; on any error, nothing. */
int tpt_fhir_import(tpt_store *store, int64_t patient, const tpt_log_list *log,
                    const tpt_record_list *records, const tpt_measure_list *measures,
                    tpt_fhir_import_counts *counts, tpt_error *err);

#endif
