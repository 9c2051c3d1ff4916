/* Reading a request's JSON body: the body itself and its fields, each
 * mistake a 400 naming the field. */
#ifndef TPT_SERVER_FIELDS_H
#define TPT_SERVER_FIELDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "reply.h"
#include "request.h"

/* The body as a JSON object (a new reference), or NULL with a 400 in res. */
json_t *srv_parse_body(const srv_request *req, srv_response *res);
/* A required non-empty string field, or NULL with a 400 in res. */
const char *srv_string_field(json_t *body, const char *key, srv_response *res);
/* An id field: a positive integer, 0 when absent or null, -1 with a 400 in res. */
int64_t srv_id_field(json_t *body, const char *key, srv_response *res);
/* A path's id ("12" of /log/12): a positive whole number and nothing else,
 * else 0 (which no record has). */
int64_t srv_path_id(const char *text);
/* Whether v is an integer from min to max. */
bool srv_int_in(const json_t *v, long long min, long long max);
/* A whole-number query argument from min to max, or def when absent; -1
 * with a 400 in res. */
long long srv_number_arg(const srv_request *req, const char *name, long long min, long long max,
                         long long def, srv_response *res);
/* Optional fields of a body: 1 when given (and copied into *out), 0 when
 * absent, -1 with a 400 naming the field in res. A text's null is "". */
int srv_text_field(json_t *body, const char *key, char *out, size_t size, srv_response *res);
int srv_bool_field(json_t *body, const char *key, bool *out, srv_response *res);
int srv_int_field(json_t *body, const char *key, long long min, long long max, int *out,
                  srv_response *res);
/* Every field of body one of `known` (a list ending in NULL): 0, or -1
 * with a 400 naming the first field the request does not take, so that a
 * misspelt field is refused rather than silently ignored. A missing body
 * (NULL) has no fields. */
int srv_known_fields(json_t *body, const char *const known[], srv_response *res);
/* The field a check's message names first ("slug: ..." -> "slug"), into
 * out; NULL when it names none. */
const char *srv_field_of(const char *message, char *out, size_t size);
/* An account's email and name: 0, or a 400 naming the field in res. */
int srv_check_person(const char *email, const char *name, srv_response *res);

#endif
