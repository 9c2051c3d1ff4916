/* Reading a request's JSON body and arguments (fields.h). */
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "tpt/account.h"

json_t *srv_parse_body(const srv_request *req, srv_response *res)
{
    json_error_t e;
    json_t *body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &e);
    if (!body) {
        srv_reply_error(res, 400, "invalid-json", NULL, "line %d, column %d: %s", e.line, e.column,
                        e.text);
        return NULL;
    }
    if (!json_is_object(body)) {
        srv_reply_error(res, 400, "invalid-json", NULL, "the body must be a JSON object");
        json_decref(body);
        return NULL;
    }
    return body;
}

int srv_known_fields(json_t *body, const char *const known[], srv_response *res)
{
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        size_t i = 0;
        while (known[i] && strcmp(known[i], key) != 0)
            i++;
        if (!known[i]) {
            srv_reply_error(res, 400, "invalid-field", key, "\"%s\" is not a field of this request",
                            key);
            return -1;
        }
    }
    return 0;
}

const char *srv_string_field(json_t *body, const char *key, srv_response *res)
{
    const char *v = json_string_value(json_object_get(body, key));
    if (!v || !*v) srv_reply_error(res, 400, "invalid-field", key, "\"%s\" is required", key);
    return v && *v ? v : NULL;
}

int64_t srv_id_field(json_t *body, const char *key, srv_response *res)
{
    json_t *v = json_object_get(body, key);
    if (!v || json_is_null(v)) return 0;
    if (json_is_integer(v) && json_integer_value(v) > 0) return json_integer_value(v);
    srv_reply_error(res, 400, "invalid-field", key, "\"%s\" is the id of a %s", key, key);
    return -1;
}

bool srv_int_in(const json_t *v, long long min, long long max)
{
    return json_is_integer(v) && json_integer_value(v) >= min && json_integer_value(v) <= max;
}

long long srv_number_arg(const srv_request *req, const char *name, long long min, long long max,
                         long long def, srv_response *res)
{
    const char *text = srv_request_arg(req, name);
    if (!text) return def;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*text && !*end && v >= min && v <= max) return v;
    srv_reply_error(res, 400, "invalid-field", name, "\"%s\" is a whole number from %lld to %lld",
                    name, min, max);
    return -1;
}

int srv_check_person(const char *email, const char *name, srv_response *res)
{
    if (!strchr(email, '@') || strlen(email) > TPT_EMAIL_MAX) {
        srv_reply_error(res, 400, "invalid-field", "email", "give an email address");
        return -1;
    }
    if (strlen(name) > 200) {
        srv_reply_error(res, 400, "invalid-field", "name", "a name has at most 200 characters");
        return -1;
    }
    return 0;
}

int srv_text_field(json_t *body, const char *key, char *out, size_t size, srv_response *res)
{
    json_t *v = json_object_get(body, key);
    if (!v) return 0;
    const char *text = json_is_null(v) ? "" : json_string_value(v);
    if (!text || strlen(text) >= size) {
        srv_reply_error(res, 400, "invalid-field", key, "\"%s\" is a text of at most %zu bytes",
                        key, size - 1);
        return -1;
    }
    memcpy(out, text, strlen(text) + 1);
    return 1;
}

int srv_bool_field(json_t *body, const char *key, bool *out, srv_response *res)
{
    json_t *v = json_object_get(body, key);
    if (!v) return 0;
    if (!json_is_boolean(v)) {
        srv_reply_error(res, 400, "invalid-field", key, "\"%s\" is true or false", key);
        return -1;
    }
    *out = json_is_true(v);
    return 1;
}

int srv_int_field(json_t *body, const char *key, long long min, long long max, int *out,
                  srv_response *res)
{
    json_t *v = json_object_get(body, key);
    if (!v) return 0;
    if (!srv_int_in(v, min, max)) {
        srv_reply_error(res, 400, "invalid-field", key,
                        "\"%s\" is a whole number from %lld to %lld", key, min, max);
        return -1;
    }
    *out = (int)json_integer_value(v);
    return 1;
}

const char *srv_field_of(const char *message, char *out, size_t size)
{
    size_t n = strcspn(message, ": [.");
    if (!n || n >= size || message[n] != ':') return NULL;
    memcpy(out, message, n);
    out[n] = '\0';
    return out;
}

int64_t srv_path_id(const char *text)
{
    if (!text || *text < '1' || *text > '9' || strlen(text) > 18) return 0;
    for (const char *p = text; *p; p++)
        if (*p < '0' || *p > '9') return 0;
    return (int64_t)strtoll(text, NULL, 10);
}
