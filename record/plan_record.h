/* The plan a record holds: what it was made from, and whether those are
 * still the latest. A plan is made from a screen and a drawing of the
 * record and names them (its input "screen:ID drawing:ID", its JSON
 * "made_from"). Once a newer screen or drawing is kept the plan is stale:
 * no session and no handout come from it until a new plan is made from the
 * latest ones (DESIGN.md's safety promises). A plan that names none (kept by
 * an older tpt, or imported from another database) counts as stale as soon
 * as the record holds a screen or a drawing, since nothing shows it was
 * made from them. */
#ifndef TPT_RECORD_PLAN_RECORD_H
#define TPT_RECORD_PLAN_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "record/flags.h"
#include "store.h"
#include "tpt/plan.h"

typedef struct tpt_plan_state {
    const tpt_record *plan;          /* the latest plan, or NULL (borrowed from the list) */
    int64_t screen, drawing;         /* the records it was made from; 0 when it names none */
    const tpt_record *latest_screen; /* the latest of each kind, or NULL (borrowed) */
    const tpt_record *latest_drawing;
    bool stale; /* a screen or drawing newer than those the plan was made from */
} tpt_plan_state;

/* The state of the latest plan among a record's records (oldest first). */
void tpt_plan_state_of(const tpt_record_list *records, tpt_plan_state *out);
/* The screen and drawing a plan's input names: true, or false when it names
 * none. */
bool tpt_plan_made_from(const char *input, int64_t *screen, int64_t *drawing);
/* Keeps a plan made from a screen and a drawing of the record: `base` gives
 * the patient, time, author, clinician and summary; its input names the two
 * and `plan` (the plan's JSON) gains "made_from": {"screen", "drawing"}
 * before it is kept, for the caller to answer with. */
int tpt_plan_keep(tpt_store *store, const tpt_record *base, int64_t screen, int64_t drawing,
                  json_t *plan, int64_t *id, tpt_error *err);

/* What a plan is made with: the engine's data. */
typedef struct tpt_plan_data {
    const tpt_regions *regions;
    const tpt_atlas *atlas;
    const tpt_techniques *techniques;
    const tpt_screen_def *screen;
} tpt_plan_data;

/* What a clinician lifted shows in the plan as well: a flag of the screen
 * (id `screen`), or a warning of the drawing (id `drawing`), that no longer
 * stands in the record (record/flags.h: an assessment, a signed visit)
 * holds no self-treatment back. Drops those from the screen's result and
 * the drawing's map before tpt_plan_build; an id of 0 names no record. */
void tpt_plan_lifted(const tpt_plan_data *data, const tpt_flags *standing, int64_t screen,
                     int64_t drawing, tpt_screen_result *result, tpt_result *map);
/* The plan for a screen and a drawing the record kept, made again from
 * what they hold (the answers; the findings and marks as typed), with what
 * a clinician lifted among the flags `standing` (may be NULL: nothing
 * lifted): 0; TPT_ERR_DATA naming the one that cannot be read again (kept
 * by another version of the data); or the engine's refusal (TPT_ERR_INPUT:
 * a screen that leaves a serious question unanswered). */
int tpt_plan_remake(const tpt_plan_data *data, const tpt_flags *standing, const tpt_record *screen,
                    const tpt_record *drawing, tpt_plan *out, tpt_error *err);

/* When the home program in use began (seconds since 1970), or -1 when no
 * session has been kept since: the first session after the earliest of the
 * latest plans in a row with the same home program (the same steps in the
 * same order). A new plan that keeps the program, as one that replaces a
 * stale plan after answering the same questions again does, goes on in the
 * same week; a plan with another program, or one that held self-treatment
 * back, starts again from week 1. Its week sets the graded steps
 * (tpt_program_week). */
int64_t tpt_program_began(const tpt_record_list *records);

#endif
