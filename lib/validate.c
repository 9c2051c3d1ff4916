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
        tpt__fail(v->err, v->status ? v->status : TPT_ERR_DATA, "%s:%d:%d: %s", v->name, jerr.line,
                  jerr.column, jerr.text);
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
    return tpt__fail(v->err, v->status ? v->status : TPT_ERR_DATA, "%s:%d:%d: %s", v->name, line,
                     column, what);
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

/* Data files are shown on terminals and in pages: no escape sequences. */
static bool has_control(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return true;
    }
    return false;
}

int tpt__get_string(tpt__validator *v, json_t *obj, const char *key, bool required,
                    const char **out)
{
    json_t *value;
    *out = NULL;
    int rc = get_member(v, obj, key, required, JSON_STRING, "a string", &value);
    if (rc == 0 && value) {
        *out = json_string_value(value);
        if (**out == '\0' || has_control(*out)) {
            tpt__path_key(v, key);
            rc = tpt__invalid(v, "\"%s\" must be non-empty text without control characters", key);
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

/* ---- sourced values ---- */

const char *tpt_sources_text(const tpt_sources *sources, const char *key)
{
    /* the first letter first: a data file cites its sources hundreds of times */
    for (size_t i = 0; i < sources->count; i++) {
        const char *k = sources->items[i].key;
        if (k[0] == key[0] && strcmp(k, key) == 0) return sources->items[i].text;
    }
    return NULL;
}

int tpt__copy(tpt__validator *v, tpt__arena *arena, const char *s, const char **out)
{
    *out = tpt__arena_strdup(arena, s);
    return *out ? 0 : tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
}

int tpt__load_sources(tpt__validator *v, tpt__arena *arena, json_t *root, tpt_sources *out)
{
    json_t *sources;
    int rc = tpt__get_object(v, root, "sources", true, &sources);
    if (rc) return rc;
    out->count = 0;
    out->items = tpt__arena_alloc(arena, (json_object_size(sources) + 1) * sizeof *out->items);
    if (!out->items) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    tpt__path_key(v, "sources");
    const char *key;
    json_t *text;
    json_object_foreach(sources, key, text)
    {
        tpt__path_key(v, key);
        if (!json_is_string(text) || !*json_string_value(text) ||
            has_control(json_string_value(text)))
            return tpt__invalid(v, "source \"%s\" must be a non-empty citation", key);
        if (strncmp(key, "tpt:", 4) == 0)
            return tpt__invalid(v, "source keys must not start with \"tpt:\"");
        tpt_source *item = &out->items[out->count];
        if ((rc = tpt__copy(v, arena, key, &item->key)) ||
            (rc = tpt__copy(v, arena, json_string_value(text), &item->text)))
            return rc;
        out->count++;
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    return 0;
}

int tpt__load_strings(tpt__validator *v, tpt__arena *arena, json_t *array, tpt_strings *out)
{
    out->count = json_array_size(array);
    out->items = tpt__arena_alloc(arena, (out->count + 1) * sizeof *out->items);
    if (!out->items) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        const char *s = json_string_value(item);
        tpt__path_index(v, i);
        if (!s || !*s || has_control(s))
            return tpt__invalid(v, "expected non-empty text without control characters");
        int rc = tpt__copy(v, arena, s, &out->items[i]);
        if (rc) return rc;
        tpt__path_pop(v);
    }
    return 0;
}

int tpt__load_source(tpt__validator *v, tpt__arena *arena, const tpt_sources *sources, json_t *obj,
                     tpt_strings *out)
{
    json_t *array;
    int rc = tpt__get_array(v, obj, "source", true, &array);
    if (rc) return rc;
    tpt__path_key(v, "source");
    if (json_array_size(array) == 0) return tpt__invalid(v, "a source list must not be empty");
    if ((rc = tpt__load_strings(v, arena, array, out))) return rc;
    for (size_t i = 0; i < out->count; i++) {
        const char *s = out->items[i];
        tpt__path_index(v, i);
        if (strncmp(s, "tpt:", 4) == 0) {
            if (strlen(s) < 10)
                return tpt__invalid(v, "a \"tpt:\" source must say why tpt chose this");
        } else if (!tpt_sources_text(sources, s)) {
            return tpt__invalid(v, "unknown source key \"%s\" (not in \"sources\")", s);
        }
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    return 0;
}

int tpt__load_number(tpt__validator *v, tpt__arena *arena, const tpt_sources *sources, json_t *obj,
                     const char *key, tpt__range range, tpt_number *out)
{
    static const char *const keys[] = {"value", "source", NULL};
    json_t *n;
    int rc = tpt__get_object(v, obj, key, true, &n);
    if (rc) return rc;
    tpt__path_key(v, key);
    if ((rc = tpt__only_keys(v, n, keys))) return rc;
    json_t *value = json_object_get(n, "value");
    if (!value) return tpt__invalid(v, "missing field \"value\"");
    tpt__path_key(v, "value");
    if (!json_is_number(value)) return tpt__invalid(v, "\"value\" must be a number");
    out->value = json_number_value(value);
    if (out->value < range.min || (range.min_open && out->value == range.min) ||
        out->value > range.max || (range.max_open && out->value == range.max))
        return tpt__invalid(v, "%s %g is outside %s%g, %g%s", key, out->value,
                            range.min_open ? "(" : "[", range.min, range.max,
                            range.max_open ? ")" : "]");
    tpt__path_pop(v);
    if ((rc = tpt__load_source(v, arena, sources, n, &out->source))) return rc;
    tpt__path_pop(v);
    return 0;
}
