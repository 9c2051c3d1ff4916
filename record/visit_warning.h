/* A visit note's drawing that raises an urgent or emergency warning is
 * also kept as a drawing of the record, kept by a clinician, so that the
 * warning stands there as any drawing's does (record/flags.h): self-care
 * held, the patients list flagged, until a clinician lifts it. The web
 * application and tpt visit both keep it when a note is saved. */
#ifndef TPT_RECORD_VISIT_WARNING_H
#define TPT_RECORD_VISIT_WARNING_H

#include <stdbool.h>

#include "store.h"

/* From a checked note (its text) and the engine's answers for it (text, or
 * NULL for a note without a drawing): keeps the drawing when its warnings
 * hold one at urgent or above, with `base`'s patient, time and author.
 * 0 (*kept says whether it was kept), or a status with err filled. */
int tpt_visit_warning_keep(tpt_store *store, const tpt_record *base, const char *note,
                           const char *result, bool *kept, tpt_error *err);

#endif
