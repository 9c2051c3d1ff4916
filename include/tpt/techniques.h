/* Treatment data: for each trigger point of the atlas, what a person does at
 * home (pressure with a ball or roller, stretches) and what a practitioner
 * does in the clinic, plus the general home strategies, the expected course
 * and the stop rules; read from data/techniques.json and validated. */
#ifndef TPT_TECHNIQUES_H
#define TPT_TECHNIQUES_H

#include <stdbool.h>
#include <stddef.h>

#include "tpt/atlas.h"
#include "tpt/error.h"
#include "tpt/sourced.h"

/* Bounds the loader holds the data to, so that a plan can keep them in place. */
#define TPT_MAX_MODALITIES 8 /* clinic modalities of one trigger point */
#define TPT_MAX_POINTS 16    /* acupoints of one acupuncture entry */
#define TPT_MAX_TECHNIQUE_CAUTIONS 6

/* A timed general step (moist heat, a walk, relaxation). A graded step
 * starts at `seconds` and grows by `weekly_seconds` each week of the
 * program, up to `max_seconds` (both 0 for a step that stays the same). */
typedef struct tpt_timed_step {
    const char *id, *title, *instructions;
    long seconds, weekly_seconds, max_seconds;
    tpt_strings source;
} tpt_timed_step;

/* Pressure on a trigger point: `rounds` holds of hold_seconds, rest between. */
typedef struct tpt_home_technique {
    const char *id, *title, *tool, *position, *placement, *instructions;
    long hold_seconds, rest_seconds, rounds, sessions_per_day;
    tpt_strings cautions, source;
} tpt_home_technique;

typedef struct tpt_stretch {
    const char *id, *title, *position, *instructions;
    long hold_seconds, repetitions;
    tpt_strings source;
} tpt_stretch;

typedef struct tpt_modality {
    const char *modality, *detail;
    tpt_strings points; /* acupuncture: acupoint ids */
    tpt_strings source;
} tpt_modality;

typedef struct tpt_treatment {
    int cause; /* index into atlas->causes */
    size_t nhome, nstretches, nclinic;
    tpt_home_technique *home;
    tpt_stretch *stretches;
    tpt_modality *clinic;
    const char *evidence;
} tpt_treatment;

/* A caution a plan shows with the techniques it names: always, or only when
 * the person's answers or drawing call for it. An `avoid` caution leaves
 * the clinic modalities it names out of the plan, or, with `points`, those
 * acupuncture points; other cautions are shown beside the technique. */
typedef struct tpt_caution {
    const char *id, *text;
    const char *when_answer; /* a screen answer key, applying on yes or "not sure"; or NULL */
    int when_drawn;          /* a tpt_kind marked anywhere on the drawing, or -1 */
    bool avoid;
    tpt_strings modalities; /* clinic modalities it is about */
    tpt_strings steps;      /* home steps: a general step's id, "pressure" or "stretch" */
    tpt_strings causes;     /* only for these trigger points (all when empty) */
    tpt_strings points;     /* acupoints left out (with avoid and acupuncture) */
    tpt_strings source;
} tpt_caution;

/* What the guidelines say of a clinic modality, where they differ. */
typedef struct tpt_guideline {
    const char *modality, *text;
    tpt_strings source;
} tpt_guideline;

typedef struct tpt_acupoint {
    const char *id, *name, *location;
    tpt_strings source;
} tpt_acupoint;

/* A sentence with its sources (habits, stop rules). */
typedef struct tpt_rule {
    const char *id; /* NULL for habits */
    const char *text;
    tpt_strings source;
} tpt_rule;

typedef struct tpt_techniques {
    tpt_sources sources;
    size_t nacupoints, nbefore, nafter, nhabits, nstop_rules, ntreatments, ncautions, nguidelines;
    tpt_acupoint *acupoints;
    tpt_rule pressure; /* the default pressure, in words */
    tpt_number hold_seconds, rest_seconds, rounds, sessions_per_day;
    tpt_timed_step *before, *after;
    tpt_rule *habits, *stop_rules;
    struct {
        tpt_number reassess_after_sessions, reassess_after_weeks;
        long improve_min, improve_max;
        tpt_strings improve_source;
        const char *advice;
        tpt_strings source;
    } course;
    tpt_treatment *treatments;
    tpt_caution *cautions;
    tpt_guideline *guidelines;
    struct tpt__arena *arena;
} tpt_techniques;

/* Loads and validates treatment data for the causes of `atlas` (which must
 * outlive the result); name is used as name:line:column in messages. */
tpt_techniques *tpt_techniques_load(const tpt_atlas *atlas, const char *json, size_t len,
                                    const char *name, tpt_error *err);
tpt_techniques *tpt_techniques_default(const tpt_atlas *atlas, tpt_error *err);
void tpt_techniques_free(tpt_techniques *t);

/* The treatment of an atlas cause, or NULL (roots, or a cause the data lacks). */
const tpt_treatment *tpt_treatment_of(const tpt_techniques *t, int cause);
const tpt_acupoint *tpt_acupoint_find(const tpt_techniques *t, const char *id);
/* What the guidelines say of a modality, or NULL. */
const tpt_guideline *tpt_guideline_of(const tpt_techniques *t, const char *modality);

#endif
