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
#define TPT_PLAN_MAX_CAUTIONS 12 /* on one step or one clinic modality */
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
    long hold_seconds, rest_seconds, repeats; /* hold_seconds: the first week's, when graded */
    long weekly_seconds, max_seconds;         /* graded: more each week, up to a most; else 0 */
    /* The technique's own cautions, then those this person's answers and
     * drawing call for. */
    size_t ncautions;
    const char *cautions[TPT_PLAN_MAX_CAUTIONS];
} tpt_plan_step;

/* A clinic modality for one trigger point, as it stands for this person. */
typedef struct tpt_plan_modality {
    const tpt_modality *modality;
    bool avoid; /* left out for this person: its cautions say why */
    size_t ncautions;
    const tpt_caution *cautions[TPT_PLAN_MAX_CAUTIONS];
    size_t npoints, navoided; /* acupuncture: the points to use, and those left out */
    const tpt_acupoint *points[TPT_MAX_POINTS], *avoided[TPT_MAX_POINTS];
} tpt_plan_modality;

typedef struct tpt_plan_clinic {
    size_t nmodalities;
    tpt_plan_modality modalities[TPT_MAX_MODALITIES];
} tpt_plan_clinic;

typedef struct tpt_plan {
    const tpt_screen_def *screen_def;
    tpt_screen_result screen;
    /* Self-treatment may be shown: below urgent and a complete screen. */
    bool self_care;
    /* The drawing looks radicular or mixed: see a clinician about the nerve root. */
    bool root_note;
    tpt_pattern pattern;
    size_t ncauses;
    tpt_candidate causes[TPT_PLAN_MAX_CAUSES];   /* the trigger points the plan treats */
    tpt_plan_clinic clinic[TPT_PLAN_MAX_CAUSES]; /* the clinic plan, one per cause */
    size_t nsteps;
    tpt_plan_step steps[TPT_PLAN_MAX_STEPS]; /* the home program, in order */
    unsigned warnings;                       /* of the drawing */
} tpt_plan;

/* Builds the plan from a screen and a drawing with its map. An incomplete
 * screen below urgent is an input error: no plan can clear self-treatment
 * without the serious questions answered. The cautions of the techniques
 * data that this person's answers (blood thinners, pregnancy, ...) and
 * drawing (numb skin) call for are placed on the steps and modalities they
 * are about; a caution naming an answer key the screen lacks is a data
 * error. */
int tpt_plan_build(const tpt_atlas *atlas, const tpt_techniques *techniques,
                   const tpt_screen_def *screen_def, const tpt_screen_result *screen,
                   const tpt_drawing *drawing, const tpt_result *map, tpt_plan *out,
                   tpt_error *err);

/* The plan's advice, most serious first: where to go for the level (screen
 * and drawing together), each warning of the drawing, the nerve root note,
 * and what an unclear drawing or a cautious level means for the program.
 * Returns the number of sentences written to out (at most max). */
size_t tpt_plan_advice(const tpt_plan *plan, const tpt_atlas *atlas, const char **out, size_t max);

#endif
