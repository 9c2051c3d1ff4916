/* A clinic visit's note in SOAP form, as JSON: what it may hold, checked
 * against the body regions, the atlas and the treatment data, and the
 * evidence it gives the engine (the drawing, the examination findings, and
 * the palpation findings that count as a tender trigger point).
 *
 *   {"kind": "intake" | "follow-up",
 *    "subjective": {"leg_pain", "back_pain" (0-10 or null), "changes" (text),
 *                   "history": {...} (the intake's: onset, how_started,
 *                   duration_weeks, aggravating, easing, perpetuating [ids],
 *                   work, sitting_hours, prior_treatments)},
 *    "objective": {"marks": [...], "findings": [{"finding", "side"}],
 *                  "palpation": [{"muscle", "side", "tender", "taut_band",
 *                                 "twitch", "reproduces"}]},
 *    "assessment": {"own_words": text},
 *    "plan": {"compression": [{"muscle", "side"}],
 *             "needling": [{"muscle", "side", "count"}],
 *             "acupoints": [{"point", "count"}],
 *             "cupping", "tuina", "gua_sha": [region ids],
 *             "heat_minutes", "stretches": [technique ids],
 *             "home_program": true|false, "notes": text}}
 *
 * Every part may be left out but "kind"; docs/internals/visit.md says more. */
#ifndef TPT_VISIT_H
#define TPT_VISIT_H

#include <jansson.h>

#include "tpt/atlas.h"
#include "tpt/body.h"
#include "tpt/infer.h"
#include "tpt/techniques.h"

#define TPT_VISIT_TEXT_MAX 4000 /* bytes of one free-text field */

/* The perpetuating factors a history may name. */
extern const char *const tpt_perpetuating_factors[]; /* NULL-terminated */

/* What a note gives the engine. */
typedef struct tpt_visit_evidence {
    const char *marks[TPT_MAX_REGIONS]; /* borrowed from the note */
    size_t nmarks;
    tpt_finding findings[TPT_MAX_FINDINGS]; /* examination findings, then palpation's */
    size_t nfindings, nexam;                /* nexam: how many came from the examination */
} tpt_visit_evidence;

/* Checks a note; 0 and its evidence, or TPT_ERR_INPUT naming the field
 * ("objective.palpation[1].muscle: ...") and what is wrong. A palpation
 * finding counts as evidence (tender:<muscle>:<side>, the interface's
 * finding) when the spot is tender and reproduces the familiar pain. */
int tpt_visit_note_check(const tpt_regions *regions, const tpt_atlas *atlas,
                         const tpt_techniques *techniques, const json_t *note,
                         tpt_visit_evidence *out, tpt_error *err);

#endif
