/* Body regions, sides, symptom kinds and marks: the vocabulary of a pain
 * drawing (spec/body-regions.md). */
#ifndef TPT_BODY_H
#define TPT_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include "tpt/error.h"

typedef enum tpt_side { TPT_LEFT = 0, TPT_RIGHT = 1, TPT_MIDLINE = 2 } tpt_side;

typedef enum tpt_kind {
    TPT_ACHE = 0,
    TPT_SHARP,
    TPT_BURNING,
    TPT_TINGLING,
    TPT_NUMB,
    TPT_KIND_COUNT
} tpt_kind;

/* The chart views a region is drawn in (a bit set). */
enum tpt_view { TPT_VIEW_FRONT = 1, TPT_VIEW_BACK = 2, TPT_VIEW_LEFT = 4, TPT_VIEW_RIGHT = 8 };

/* Bounds on what comes from outside. */
#define TPT_MAX_REGIONS 256 /* regions a data file may define; also the marks of a drawing */
#define TPT_MARK_TEXT_MAX 128

/* Where a region of the low back, buttock or leg lies, from the back down:
 * pain spanning two of these on a leg radiates down it; an ache kept to one
 * (both heels, both outer hips) is local. */
typedef enum tpt_limb_level {
    TPT_LIMB_NONE = 0,
    TPT_LIMB_BACK, /* low back, sacroiliac, buttock; midline low back, sacrum, coccyx */
    TPT_LIMB_HIP,
    TPT_LIMB_THIGH,
    TPT_LIMB_KNEE,
    TPT_LIMB_LEG, /* below the knee: shin, calf, sides */
    TPT_LIMB_FOOT /* ankle and foot */
} tpt_limb_level;

typedef struct tpt_region {
    const char *id;    /* "r.thigh.outer.upper", "perineum" */
    const char *label; /* plain English */
    tpt_side side;
    int key;             /* the side-less place: zones of the atlas are written in keys */
    unsigned views;      /* enum tpt_view bits */
    bool leg;            /* part of the lower limb (counts for "symptoms in both legs") */
    tpt_limb_level limb; /* from the back down, or TPT_LIMB_NONE */
} tpt_region;

/* The region table. Sided parts come first for the left side, then the same
 * parts for the right side, then the midline regions; a key is the index of a
 * part (0 .. nparts-1) or nparts + the index of a midline region. */
typedef struct tpt_regions {
    size_t count, nparts, nmidline;
    tpt_region *region;
    int perineum; /* the saddle region, which the cauda equina warning watches */
    int *by_id;   /* region indexes sorted by id, for lookups */
    struct tpt__arena *arena;
} tpt_regions;

/* Loads a region table from JSON text (data/regions.json); `name` is used in
 * error messages as file:line:column. Returns NULL and fills err on failure.
 * The caller owns the result: tpt_regions_free. */
tpt_regions *tpt_regions_load(const char *json, size_t len, const char *name, tpt_error *err);
/* The region table compiled into the library. */
tpt_regions *tpt_regions_default(tpt_error *err);
void tpt_regions_free(tpt_regions *regions);

/* Index of a region id, or -1. */
int tpt_region_find(const tpt_regions *regions, const char *id);
/* The region at `key` on `side` (the side is ignored for midline keys). */
int tpt_region_at(const tpt_regions *regions, int key, tpt_side side);
/* Up to `max` region indexes whose ids are closest to `text`, closest first. */
size_t tpt_region_suggest(const tpt_regions *regions, const char *text, int *out, size_t max);

const char *tpt_kind_name(tpt_kind kind);
int tpt_kind_parse(const char *name, tpt_kind *out);
const char *tpt_side_id(tpt_side side);   /* "l", "r", "" */
const char *tpt_side_word(tpt_side side); /* "left", "right", "midline" */
/* The word of a side as a record's JSON names it ("l" -> "left", "r" ->
 * "right"); NULL for anything else, NULL included. */
const char *tpt_side_id_word(const char *id);
int tpt_side_parse(const char *text, tpt_side *out);

/* One mark of a drawing: region, kind (ache by default), intensity 1-10 or 0 if not given. */
typedef struct tpt_mark {
    int region;
    tpt_kind kind;
    int intensity;
} tpt_mark;

typedef struct tpt_drawing {
    size_t count;
    tpt_mark marks[TPT_MAX_REGIONS];
} tpt_drawing;

/* Parses `region[:kind][:intensity]`. On a bad mark, err names it (and for a
 * region, the closest valid ids); nothing is guessed. On failure out->region
 * is still the region when that part could be read, else -1. */
int tpt_mark_parse(const tpt_regions *regions, const char *text, tpt_mark *out, tpt_error *err);
/* Adds a mark; a region marked twice is an error. */
int tpt_drawing_add(tpt_drawing *drawing, const tpt_regions *regions, const tpt_mark *mark,
                    tpt_error *err);

#endif
