/* Walking a parsed JSON data file while keeping the path, so that every
 * complaint about its content can say file:line:column. */
#ifndef TPT_VALIDATE_H
#define TPT_VALIDATE_H

#include <jansson.h>
#include <stdbool.h>

#include "internal.h"

#define TPT__PATH_MAX 16

typedef struct tpt__validator {
    const char *name; /* file name for messages */
    const char *text;
    size_t len;
    tpt_error *err;
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

#endif
