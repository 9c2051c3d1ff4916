/* Shared internals of libtpt: not part of the public interface. */
#ifndef TPT_INTERNAL_H
#define TPT_INTERNAL_H

#include <stddef.h>

#include "tpt/error.h"

#if defined(__GNUC__)
#define TPT__PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define TPT__PRINTF(fmt, args)
#endif

/* Sets err (if not NULL) and returns status, so callers can `return tpt__fail(...)`. */
#define tpt__fail tpt_error_set

/* An arena owns every allocation of a loaded data set, so that a loader that
 * fails half way frees everything with one call. Memory is zeroed. */
typedef struct tpt__arena tpt__arena;
tpt__arena *tpt__arena_new(void);
void *tpt__arena_alloc(tpt__arena *arena, size_t size);
char *tpt__arena_strdup(tpt__arena *arena, const char *s);
void tpt__arena_free(tpt__arena *arena);

/* Edit distance between two ids (Levenshtein), capped at `cap`. */
size_t tpt__edit_distance(const char *a, const char *b, size_t cap);

/* Where the value at a path lies in a JSON text that is known to be valid.
 * A path is a list of steps: an object key, or an array index (key == NULL).
 * Returns 0 and a 1-based line and column, or -1 when the path is not found. */
typedef struct tpt__json_step {
    const char *key;
    size_t index;
} tpt__json_step;
int tpt__json_locate(const char *text, size_t len, const tpt__json_step *path, size_t depth,
                     int *line, int *column);

/* The default data files, embedded at build time (tools/embed.c). */
extern const unsigned char tpt__data_regions[];
extern const size_t tpt__data_regions_len;
extern const unsigned char tpt__data_atlas[];
extern const size_t tpt__data_atlas_len;
extern const unsigned char tpt__data_screen[];
extern const size_t tpt__data_screen_len;
extern const unsigned char tpt__data_techniques[];
extern const size_t tpt__data_techniques_len;
extern const unsigned char tpt__data_progress[];
extern const size_t tpt__data_progress_len;
extern const unsigned char tpt__data_chart[];
extern const size_t tpt__data_chart_len;
/* the default outcome measures (instruments.c), whose translations words.c reads */
extern const unsigned char tpt__data_instrument_nrs_leg[], tpt__data_instrument_nrs_back[],
    tpt__data_instrument_odi[], tpt__data_instrument_rmdq[], tpt__data_instrument_sbi[],
    tpt__data_instrument_psfs[], tpt__data_instrument_start_back[];
extern const size_t tpt__data_instrument_nrs_leg_len, tpt__data_instrument_nrs_back_len,
    tpt__data_instrument_odi_len, tpt__data_instrument_rmdq_len, tpt__data_instrument_sbi_len,
    tpt__data_instrument_psfs_len, tpt__data_instrument_start_back_len;

#endif
