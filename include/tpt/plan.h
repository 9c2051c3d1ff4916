/* Treatment plans: from a screen and a pain map, a clinic plan for the
 * practitioner and a home program for the person, or, when a red flag stands,
 * only the advice of where to go. */
#ifndef TPT_PLAN_H
#define TPT_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "tpt/infer.h"
#include "tpt/screen.h"
#include "tpt/techniques.h"

#define TPT_PLAN_MAX_CAUSES 3
#define TPT_PLAN_MAX_STEPS 32
/* A trigger point outside the explanation joins the plan from this probability. */
#define TPT_PLAN_MIN_P 0.5

typedef enum tpt_step_kind {
    TPT_STEP_GENERAL = 0, /* moist heat, a walk, relaxation: one timed period */
    TPT_STEP_PRESSURE,    /* rounds of holding pressure on a point, with rest between */
    TPT_STEP_STRETCH      /* repetitions of a held stretch */
} tpt_step_kind;

typedef struct tpt_plan_step {
    tpt_step_kind kind;
    const char *id, *title, *instructions;
    const char *placement; /* pressure only */
    int cause;             /* the atlas cause it treats, or -1 */
    tpt_side side;
    long hold_seconds, rest_seconds, repeats;
    const tpt_strings *cautions; /* pressure only, else NULL */
} tpt_plan_step;

typedef struct tpt_plan {
    const tpt_screen_def *screen_def;
    tpt_screen_result screen;
    /* Self-treatment may be shown: below urgent and a complete screen. */
    bool self_care;
    /* The drawing looks radicular or mixed: see a clinician about the nerve root. */
    bool root_note;
    tpt_pattern pattern;
    size_t ncauses;
    tpt_candidate causes[TPT_PLAN_MAX_CAUSES]; /* the trigger points the plan treats */
    size_t nsteps;
    tpt_plan_step steps[TPT_PLAN_MAX_STEPS]; /* the home program, in order */
    unsigned warnings;                       /* of the drawing */
} tpt_plan;

/* Builds the plan. An incomplete screen below urgent is an input error: no
 * plan can clear self-treatment without the serious questions answered. */
int tpt_plan_build(const tpt_atlas *atlas, const tpt_techniques *techniques,
                   const tpt_screen_def *screen_def, const tpt_screen_result *screen,
                   const tpt_result *map, tpt_plan *out, tpt_error *err);

/* The plan's advice, most serious first: where to go for the level (screen
 * and drawing together), each warning of the drawing, the nerve root note,
 * and what an unclear drawing or a cautious level means for the program.
 * Returns the number of sentences written to out (at most max). */
size_t tpt_plan_advice(const tpt_plan *plan, const tpt_atlas *atlas, const char **out, size_t max);

#endif
