#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "validate.h"

/* ---- locating a path in JSON text ----
 * jansson keeps no positions for values, so a complaint about content (not
 * syntax) finds its place by walking the text again along the path. The text
 * has already been parsed, so the walker can assume it is well formed. */

typedef struct cursor {
    const char *s, *end;
} cursor;

static void skip_ws(cursor *c)
{
    while (c->s < c->end && isspace((unsigned char)*c->s))
        c->s++;
}

static void skip_string(cursor *c)
{
    c->s++; /* opening quote */
    while (c->s < c->end && *c->s != '"')
        c->s += (*c->s == '\\') ? 2 : 1;
    c->s++;
}

static void skip_value(cursor *c)
{
    skip_ws(c);
    if (c->s >= c->end) return;
    if (*c->s == '"') {
        skip_string(c);
        return;
    }
    if (*c->s == '{' || *c->s == '[') {
        int depth = 0;
        while (c->s < c->end) {
            char ch = *c->s;
            if (ch == '"') {
                skip_string(c);
                continue;
            }
            if (ch == '{' || ch == '[') depth++;
            if (ch == '}' || ch == ']') depth--;
            c->s++;
            if (depth == 0) return;
        }
        return;
    }
    while (c->s < c->end && !strchr(",}] \t\r\n", *c->s))
        c->s++;
}

/* Moves the cursor from a container's opening bracket to the wanted member. */
static int enter(cursor *c, const tpt__json_step *step)
{
    skip_ws(c);
    if (c->s >= c->end) return -1;
    char open = *c->s;
    if ((step->key && open != '{') || (!step->key && open != '[')) return -1;
    c->s++;
    for (size_t i = 0;; i++) {
        skip_ws(c);
        if (c->s >= c->end || *c->s == '}' || *c->s == ']') return -1;
        if (step->key) {
            const char *k = c->s + 1;
            skip_string(c);
            size_t klen = (size_t)(c->s - 1 - k);
            skip_ws(c);
            c->s++; /* colon */
            skip_ws(c);
            if (klen == strlen(step->key) && memcmp(k, step->key, klen) == 0) return 0;
        } else if (i == step->index) {
            return 0;
        }
        skip_value(c);
        skip_ws(c);
        if (c->s < c->end && *c->s == ',') c->s++;
    }
}

int tpt__json_locate(const char *text, size_t len, const tpt__json_step *path, size_t depth,
                     int *line, int *column)
{
    cursor c = {text, text + len};
    for (size_t i = 0; i < depth; i++) {
        if (enter(&c, &path[i]) != 0) return -1;
    }
    skip_ws(&c);
    *line = 1;
    *column = 1;
    for (const char *p = text; p < c.s; p++) {
        if (*p == '\n') {
            (*line)++;
            *column = 1;
        } else {
            (*column)++;
        }
    }
    return 0;
}

/* ---- the validator ---- */

json_t *tpt__parse_json(tpt__validator *v)
{
    json_error_t jerr;
    json_t *root = json_loadb(v->text, v->len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        tpt__fail(v->err, TPT_ERR_DATA, "%s:%d:%d: %s", v->name, jerr.line, jerr.column, jerr.text);
    }
    return root;
}

void tpt__path_key(tpt__validator *v, const char *key)
{
    if (v->depth < TPT__PATH_MAX) v->path[v->depth] = (tpt__json_step){key, 0};
    v->depth++;
}

void tpt__path_index(tpt__validator *v, size_t index)
{
    if (v->depth < TPT__PATH_MAX) v->path[v->depth] = (tpt__json_step){NULL, index};
    v->depth++;
}

void tpt__path_pop(tpt__validator *v)
{
    if (v->depth > 0) v->depth--;
}

int tpt__invalid(tpt__validator *v, const char *fmt, ...)
{
    char what[TPT_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);

    int line = 0, column = 0;
    size_t depth = v->depth < TPT__PATH_MAX ? v->depth : TPT__PATH_MAX;
    /* A missing member has no place of its own: point at the deepest step that exists. */
    while (tpt__json_locate(v->text, v->len, v->path, depth, &line, &column) != 0 && depth > 0)
        depth--;
    return tpt__fail(v->err, TPT_ERR_DATA, "%s:%d:%d: %s", v->name, line, column, what);
}

int tpt__only_keys(tpt__validator *v, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        bool known = false;
        for (const char *const *a = allowed; *a; a++)
            known = known || strcmp(*a, key) == 0;
        if (!known) {
            tpt__path_key(v, key);
            return tpt__invalid(v, "unknown field \"%s\"", key);
        }
    }
    return 0;
}

static int get_member(tpt__validator *v, json_t *obj, const char *key, bool required,
                      json_type type, const char *type_name, json_t **out)
{
    *out = json_object_get(obj, key);
    if (!*out) {
        if (!required) return 0;
        return tpt__invalid(v, "missing field \"%s\"", key);
    }
    if (json_typeof(*out) != type) {
        tpt__path_key(v, key);
        int rc = tpt__invalid(v, "\"%s\" must be %s", key, type_name);
        tpt__path_pop(v);
        return rc;
    }
    return 0;
}

int tpt__get_string(tpt__validator *v, json_t *obj, const char *key, bool required,
                    const char **out)
{
    json_t *value;
    *out = NULL;
    int rc = get_member(v, obj, key, required, JSON_STRING, "a string", &value);
    if (rc == 0 && value) {
        *out = json_string_value(value);
        if (**out == '\0') {
            tpt__path_key(v, key);
            rc = tpt__invalid(v, "\"%s\" must not be empty", key);
            tpt__path_pop(v);
        }
    }
    return rc;
}

int tpt__get_array(tpt__validator *v, json_t *obj, const char *key, bool required, json_t **out)
{
    return get_member(v, obj, key, required, JSON_ARRAY, "an array", out);
}

int tpt__get_object(tpt__validator *v, json_t *obj, const char *key, bool required, json_t **out)
{
    return get_member(v, obj, key, required, JSON_OBJECT, "an object", out);
}
