/* The one place where core types become JSON (spec/interface.md). Every
 * function returns a new jansson reference owned by the caller (json_decref),
 * or NULL when out of memory. */
#ifndef TPT_JSON_H
#define TPT_JSON_H

#include <jansson.h>

#include "tpt/atlas.h"
#include "tpt/buf.h"
#include "tpt/body.h"
#include "tpt/eval.h"
#include "tpt/evidence.h"
#include "tpt/infer.h"
#include "tpt/instruments.h"
#include "tpt/plan.h"
#include "tpt/protocol.h"
#include "tpt/screen.h"

/* Flags for printing tpt's JSON: probabilities to three significant digits. */
#define TPT_JSON_DUMP_FLAGS (JSON_REAL_PRECISION(3) | JSON_PRESERVE_ORDER)

/* The answer of `tpt map --json` for one drawing, written as compact JSON
 * text (no newline) into buf, replacing its content. Written directly rather
 * than through jansson objects because batch mode answers many thousands of
 * drawings a second. Returns 0, or TPT_ERR_NOMEM. */
int tpt_result_write_json(const tpt_atlas *atlas, const tpt_drawing *drawing,
                          const tpt_result *result, tpt_buf *buf);
/* The answer of `tpt map --batch --json` for a bad line: {"line": N, "error":
 * "...", "warnings": [...]} with the warnings of what could be read (the
 * member is left out when there are none). */
int tpt_line_error_write_json(const tpt_atlas *atlas, size_t line, const char *message,
                              unsigned warnings, tpt_buf *buf);
/* The same answer as a jansson value. */
json_t *tpt_result_json(const tpt_atlas *atlas, const tpt_drawing *drawing,
                        const tpt_result *result);
/* One cause's terms against a drawing (tpt map --why): cause, side, rank
 * (1-based, null when not listed), either_side, probability, prior_odds,
 * marks [{region, kind, p, factor}], marks_factor, unmarked [{region, p}],
 * absent, absent_weight, findings [{finding, side, lr}], findings_factor,
 * score. `findings` are those the answer was given with. */
json_t *tpt_why_json(const tpt_atlas *atlas, const tpt_finding *findings, const tpt_why *why);
/* The region table and the symptom kinds. */
json_t *tpt_regions_json(const tpt_regions *regions);
/* One line per cause: id, kind, label, prior. */
json_t *tpt_atlas_list_json(const tpt_atlas *atlas);
/* Everything the atlas knows of one cause, with the full text of its sources. */
json_t *tpt_cause_json(const tpt_atlas *atlas, int cause);

/* A plan as `tpt plan --json` prints it and `tpt session --plan` reads it. */
json_t *tpt_plan_json(const tpt_atlas *atlas, const tpt_techniques *techniques,
                      const tpt_plan *plan);

/* The summary of a guided session: how it ended, steps done and skipped,
 * seconds, pain before and after, each step's status and the stop advice
 * when the stop rule ended it. `seconds` is the caller's measure of time. */
json_t *tpt_session_summary_json(const tpt_session *session, double seconds);

/* The screen's groups and questions, in asking order, for a page to ask
 * (GET /screen/questions). */
json_t *tpt_screen_questions_json(const tpt_screen_def *def);
/* The figures of `tpt eval --json` for a set of cases: top-1, top-3 and
 * pattern (counts and rates), the confusion between muscles and roots and of
 * the patterns, the reliability table and Brier scores, the misses, and the
 * warning cases' confusion (docs/internals/eval.md). The summary has only
 * the counts and rates. */
json_t *tpt_eval_json(const tpt_atlas *atlas, const tpt_eval *eval);
json_t *tpt_eval_summary_json(const tpt_eval *eval);

/* The answer of `tpt screen --json`. */
json_t *tpt_screen_result_json(const tpt_screen_def *def, const tpt_screen_result *result);
/* Answers as the JSON object tpt_answers_parse reads (for --save). */
json_t *tpt_answers_json(const tpt_screen_def *def, const tpt_answers *answers);

/* An instrument's definition: items (text null where none is known), the
 * rule, range and direction of the score, MCID, bands, licence and the full
 * text of its sources. */
json_t *tpt_instrument_json(const tpt_instrument *instrument);
/* A score of the instrument: the value to one decimal (null when the
 * instrument refused), items answered, the band or risk group, the subscale
 * (start-back), the copyright notice and the not-a-diagnosis notice. */
json_t *tpt_score_json(const tpt_instrument *instrument, const tpt_score *score);

#endif
