/* The red flags that stand in a person's record: the safety check behind
 * every place that shows self-treatment (the plan, its handout, sessions,
 * letters, the report, the patients list), and who may lift each one.
 *
 * A flag is raised by a screen (one of its rules) or by a saved drawing
 * (one of its warnings), and stands until the right person lifts it:
 *
 * - raised by the person's own screen: a later complete screen whose flags
 *   are all below urgent (the person's or a clinician's);
 * - raised by the person's own drawing: a newer drawing (the person's or a
 *   clinician's) that does not raise it; it stands while that drawing is
 *   the latest, and no screen lifts it;
 * - raised by a clinician (a screen or drawing a clinic's admin or
 *   practitioner kept on someone else's record, or a visit note's drawing):
 *   only a clinician, by their own later clear screen or newer drawing
 *   without it, as above, or by a signed visit whose drawing does not raise
 *   it;
 * - any flag: a clinician's assessment of it (tpt_assessment), which lifts
 *   every flag of that id raised until then. A flag about something lasting
 *   (a rule with "lasting": a past cancer, thin bones) that a clinician
 *   assessed is not raised again by later screens that raise it from the
 *   same answers (or fewer); a new answer behind it raises it again.
 *
 * A screen's flags that an assessment covers do not count against it: a
 * person assessed for a past cancer who answers everything else clear has a
 * clear screen. Nothing unreadable is taken lightly: a flag of an unknown
 * level counts as urgent, a screen whose level cannot be read lifts
 * nothing. */
#ifndef TPT_RECORD_FLAGS_H
#define TPT_RECORD_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"
#include "tpt/level.h"
#include "tpt/record.h"

typedef struct tpt_flag {
    char id[TPT_FLAG_ID_MAX + 1]; /* the rule's id, or the drawing warning's */
    tpt_level level;
    char *reason;           /* what it means (a screen's rule), or NULL (a drawing's warning) */
    char *advice;           /* what to do, or NULL when the record holds none */
    tpt_record_kind source; /* TPT_RECORD_SCREEN or TPT_RECORD_DRAWING */
    int64_t record;         /* the screen or drawing that raised it */
    char at[TPT_TIME_MAX];  /* when that was kept */
    int64_t author;         /* the account that kept it, or 0 */
    bool clinician;         /* raised by a clinician: only a clinician lifts it */
    bool lasting;           /* an assessment of it covers later screens (see above) */
} tpt_flag;

typedef struct tpt_flags {
    size_t count;
    tpt_flag *items; /* most serious first; of equal level, the latest first */
    tpt_level level; /* the most serious standing; TPT_LEVEL_NONE when none */
} tpt_flags;

/* The flags standing in a record: its records (oldest first, as the store
 * lists them; kinds other than screens and drawings are passed over), its
 * visits (only signed ones count; may be NULL) and its assessments (may be
 * NULL). 0, or TPT_ERR_NOMEM; *out is freed with tpt_flags_free either way. */
int tpt_flags_judge(const tpt_record_list *records, const tpt_visit_list *visits,
                    const tpt_assessment_list *assessments, tpt_flags *out);
/* The same, read from the store (the records too, unless the caller has
 * them all already: `records` may be NULL): 0, or a status with err filled. */
int tpt_flags_read(tpt_store *store, int64_t patient, const tpt_record_list *records,
                   tpt_flags *out, tpt_error *err);
void tpt_flags_free(tpt_flags *flags); /* NULL and a freed one are safe */

/* Whether a flag at urgent or above stands: no self-treatment then. */
bool tpt_flags_stop(const tpt_flags *flags);
/* The advice of the most serious flag, or NULL. */
const char *tpt_flags_advice(const tpt_flags *flags);
/* The standing flag of an id, or NULL. */
const tpt_flag *tpt_flags_find(const tpt_flags *flags, const char *id);

#endif
