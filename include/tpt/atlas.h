/* The atlas: trigger point and nerve root causes with their referral zones,
 * the examination findings, the model's constants and the safety warnings,
 * loaded from a data file (data/atlas.json) and validated. Every number keeps
 * the sources it came from. */
#ifndef TPT_ATLAS_H
#define TPT_ATLAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/body.h"
#include "tpt/error.h"
#include "tpt/level.h"
#include "tpt/sourced.h"

#define TPT_MAX_CAUSES 64             /* causes per side an atlas may define */
#define TPT_MAX_ZONE 32               /* regions in one referral zone */
#define TPT_ATLAS_FILE_MAX (4u << 20) /* bytes of an atlas file the command line reads */

typedef enum tpt_cause_kind { TPT_TRIGGER_POINT = 0, TPT_ROOT = 1 } tpt_cause_kind;

typedef struct tpt_zone_region {
    int key; /* side-less region key (tpt_region_at gives the region on a side) */
    double p;
    bool core;
} tpt_zone_region;

typedef struct tpt_cause_finding {
    int finding; /* index into atlas->findings */
    tpt_number lr;
} tpt_cause_finding;

typedef struct tpt_cause {
    const char *id, *label, *location;
    const char *site; /* the side-less region where it lies (the location on the chart), or NULL */
    const char *muscle; /* trigger points: the name used by tender:<muscle>; NULL for roots */
    tpt_cause_kind kind;
    tpt_number prior;
    size_t nzone;
    tpt_zone_region *zone;
    tpt_strings zone_source;
    double kinds[TPT_KIND_COUNT]; /* how likely a symptom of this cause is felt as each kind */
    /* Derived: the highest level (from the back down) its core zone reaches,
     * or TPT_LIMB_NONE; a tender trigger point reproduces the pain from there down. */
    tpt_limb_level reach_from;
    tpt_strings kinds_source;
    tpt_strings aggravators, aggravators_source;
    size_t nfindings;
    tpt_cause_finding *findings;
} tpt_cause;

typedef struct tpt_finding_def {
    const char *id, *label;
    const char *name; /* a short name ("straight leg raise"): "short", else the id */
    bool sided;
    bool weakness; /* muscle weakness: on both sides it raises the cauda equina warning */
} tpt_finding_def;

/* Warnings a drawing itself can raise, the most serious first; the atlas
 * must define all of them. */
typedef enum tpt_warning_id {
    TPT_WARN_CAUDA_EQUINA = 0,
    TPT_WARN_BILATERAL_SCIATICA,
    TPT_WARN_SADDLE_PAIN,
    TPT_WARN_NUMBNESS,
    TPT_WARNING_COUNT
} tpt_warning_id;

typedef struct tpt_warning_def {
    const char *id, *advice;
    tpt_level level;
    tpt_strings source;
} tpt_warning_def;

typedef struct tpt_cover {
    int instance; /* side * ncauses + cause */
    double p;     /* the zone probability of the region */
} tpt_cover;

typedef struct tpt_atlas {
    const tpt_regions *regions; /* borrowed: must outlive the atlas */
    tpt_number leak, core_p, occasional_p, tender_lr, unclear_below;
    /* How a cause's unmarked zone weighs against it: the probability that it
     * stays unmarked raised to absence_weight (1: fully), never below
     * absent_floor (0: no floor); and how much heavier a set holding both a
     * trigger point and a root must be than the best of one kind to be the
     * explanation (1: no more). */
    tpt_number absence_weight, absent_floor, mixed_gain;
    /* How far a tender trigger point that reproduces the familiar pain
     * reaches the drawing's marks beyond its zone (0: not at all), and the
     * calibration slope of the reported probabilities (1: as computed). */
    tpt_number tender_reach, calibration_slope;
    double kinds[3][TPT_KIND_COUNT]; /* trigger point, root, leak */
    tpt_strings kinds_source[3];
    tpt_sources sources;
    size_t ncauses, nfindings;
    tpt_cause *causes;
    tpt_finding_def *findings;
    tpt_warning_def warnings[TPT_WARNING_COUNT];
    /* Derived at load for the inference. key_p: zone probability by cause and
     * region key (ncauses x nkeys, 0 outside the zone). cover: for each region,
     * the causes on a side (side * ncauses + cause) whose zone holds it, in
     * cover[cover_start[r] .. cover_start[r + 1]). absent_all: by cause, the
     * probability that none of its zone is marked. */
    size_t nkeys;
    double *key_p;
    size_t *cover_start;
    struct tpt_cover *cover;
    double *absent_all, *absent_all_weight; /* and as tpt_absent_weight weighs it */
    double *prior_odds;                     /* by cause, prior / (1 - prior) */
    struct tpt__arena *arena;
} tpt_atlas;

/* Loads and validates an atlas from JSON text; `name` is used in messages as
 * name:line:column. Returns NULL and fills err on failure. The caller owns the
 * result (tpt_atlas_free); `regions` must outlive it. */
tpt_atlas *tpt_atlas_load(const tpt_regions *regions, const char *json, size_t len,
                          const char *name, tpt_error *err);
/* The atlas compiled into the library. */
tpt_atlas *tpt_atlas_default(const tpt_regions *regions, tpt_error *err);
void tpt_atlas_free(tpt_atlas *atlas);

/* How much a cause's unmarked zone weighs against it: the probability that
 * those regions stay unmarked, softened by the atlas's absence_weight (an
 * exponent) and never below its absent_floor, so that what a drawing leaves
 * blank cannot outweigh the priors and the findings by more than that. */
double tpt_absent_weight(const tpt_atlas *atlas, double absent);

/* Index of a cause id ("tp:piriformis"), or -1. */
int tpt_atlas_find_cause(const tpt_atlas *atlas, const char *id);
/* The text of a source key, or NULL for "tpt: ..." sentences and unknown keys. */
const char *tpt_atlas_source_text(const tpt_atlas *atlas, const char *key);
const char *tpt_cause_kind_name(tpt_cause_kind kind); /* "trigger-point", "root" */

/* An examination finding on one side. */
typedef struct tpt_finding {
    int finding; /* index into atlas->findings */
    tpt_side side;
    uint64_t tender_causes; /* for tender:MUSCLE, the causes (bit = cause index) it names */
} tpt_finding;

/* A finding as the interface names it ("slr", "tender:piriformis"), and
 * as people read it ("straight leg raise", "tender trigger point in
 * piriformis"), into out (cut to size). */
void tpt_finding_id(const tpt_atlas *atlas, const tpt_finding *f, char *out, size_t size);
void tpt_finding_name(const tpt_atlas *atlas, const tpt_finding *f, char *out, size_t size);

/* Parses NAME:SIDE or tender:MUSCLE:SIDE (spec/interface.md). */
int tpt_finding_parse(const tpt_atlas *atlas, const char *text, tpt_finding *out, tpt_error *err);

#endif
