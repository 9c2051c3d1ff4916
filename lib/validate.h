/* Walking a parsed JSON data file while keeping the path, so that every
 * complaint about its content can say file:line:column. */
#ifndef TPT_VALIDATE_H
#define TPT_VALIDATE_H

#include <jansson.h>
#include <stdbool.h>

#include "internal.h"
#include "tpt/sourced.h"

#define TPT__PATH_MAX 16

typedef struct tpt__validator {
    const char *name; /* file name for messages */
    const char *text;
    size_t len;
    tpt_error *err;
    int status; /* reported for problems: TPT_ERR_DATA when 0, or TPT_ERR_INPUT for user files */
    tpt__json_step path[TPT__PATH_MAX];
    size_t depth;
} tpt__validator;

/* Parses text with jansson; a syntax error becomes "name:line:column: message". */
json_t *tpt__parse_json(tpt__validator *v);

void tpt__path_key(tpt__validator *v, const char *key);
void tpt__path_index(tpt__validator *v, size_t index);
void tpt__path_pop(tpt__validator *v);

/* Reports a problem with the value at the current path; returns TPT_ERR_DATA. */
int tpt__invalid(tpt__validator *v, const char *fmt, ...) TPT__PRINTF(2, 3);

/* Checks that an object has only the listed keys (NULL-terminated). */
int tpt__only_keys(tpt__validator *v, json_t *obj, const char *const *allowed);

/* Member accessors: each pushes the key, checks the type, and on failure
 * reports at the member (or at the object when it is missing). */
int tpt__get_string(tpt__validator *v, json_t *obj, const char *key, bool required,
                    const char **out);
int tpt__get_array(tpt__validator *v, json_t *obj, const char *key, bool required, json_t **out);
int tpt__get_object(tpt__validator *v, json_t *obj, const char *key, bool required, json_t **out);

/* ---- sourced values (tpt/sourced.h); copies go into the arena ---- */

/* "sources": {"KEY": "citation", ...} of a data file. */
int tpt__load_sources(tpt__validator *v, tpt__arena *arena, json_t *root, tpt_sources *out);
/* An array of non-empty strings. */
int tpt__load_strings(tpt__validator *v, tpt__arena *arena, json_t *array, tpt_strings *out);
/* obj's "source": a non-empty list of keys of `sources` or "tpt: ..." sentences. */
int tpt__load_source(tpt__validator *v, tpt__arena *arena, const tpt_sources *sources, json_t *obj,
                     tpt_strings *out);
/* obj's `key`: {"value": number in [min, max] (open ends when asked), "source": [...]}. */
typedef struct tpt__range {
    double min, max;
    bool min_open, max_open;
} tpt__range;
int tpt__load_number(tpt__validator *v, tpt__arena *arena, const tpt_sources *sources, json_t *obj,
                     const char *key, tpt__range range, tpt_number *out);
/* A copy of a string in the arena, or an out-of-memory error. */
int tpt__copy(tpt__validator *v, tpt__arena *arena, const char *s, const char **out);

#endif
