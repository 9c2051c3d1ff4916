/* The checker of a visit note (include/tpt/visit.h): every field against
 * what it may hold, each error naming the field. */
#include "tpt/visit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const tpt_perpetuating_factors[] = {"repetitive-use", "posture", "long-sitting",
                                                "trauma",         "stress",  NULL};

/* The path of the field being checked, "objective.palpation[1].muscle". */
typedef struct checker {
    const tpt_regions *regions;
    const tpt_atlas *atlas;
    const tpt_techniques *techniques;
    tpt_error *err;
    char path[128];
} checker;

static int bad(checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(checker *c, const char *fmt, ...)
{
    if (!c->err) return TPT_ERR_INPUT;
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(c->err->message, sizeof c->err->message, "%s: %s", c->path, what);
    c->err->status = TPT_ERR_INPUT;
    return TPT_ERR_INPUT;
}

/* Enters a field (or an index, with key NULL); returns where to go back to. */
static size_t enter(checker *c, const char *key, size_t index)
{
    size_t at = strlen(c->path);
    if (key)
        snprintf(c->path + at, sizeof c->path - at, "%s%s", at ? "." : "", key);
    else
        snprintf(c->path + at, sizeof c->path - at, "[%zu]", index);
    return at;
}

static void leave(checker *c, size_t at)
{
    c->path[at] = '\0';
}

/* An object whose keys are all among `keys`. */
static int object_of(checker *c, const json_t *o, const char *const *keys)
{
    if (!json_is_object(o)) return bad(c, "must be an object");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        const char *const *k = keys;
        while (*k && strcmp(*k, key) != 0)
            k++;
        if (!*k) {
            size_t at = enter(c, key, 0);
            int rc = bad(c, "not a field of a visit note");
            leave(c, at);
            return rc;
        }
    }
    return 0;
}

/* Each check below looks at o[key] when present (null counts as absent). */
static const json_t *field(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_null(v) ? NULL : v;
}

static int text(checker *c, const json_t *o, const char *key)
{
    const json_t *v = field(o, key);
    if (!v) return 0;
    size_t at = enter(c, key, 0);
    int rc = !json_is_string(v) ? bad(c, "must be text")
             : json_string_length(v) > TPT_VISIT_TEXT_MAX
                 ? bad(c, "is longer than %d bytes", TPT_VISIT_TEXT_MAX)
                 : 0;
    leave(c, at);
    return rc;
}

static int number(checker *c, const json_t *o, const char *key, double min, double max, bool whole)
{
    const json_t *v = field(o, key);
    if (!v) return 0;
    size_t at = enter(c, key, 0);
    double x = json_number_value(v);
    int rc = 0;
    if (!(whole ? json_is_integer(v) : json_is_number(v)) || x < min || x > max)
        rc = bad(c, "must be a%s number from %g to %g", whole ? " whole" : "", min, max);
    leave(c, at);
    return rc;
}

static int boolean(checker *c, const json_t *o, const char *key)
{
    const json_t *v = field(o, key);
    if (!v || json_is_boolean(v)) return 0;
    size_t at = enter(c, key, 0);
    int rc = bad(c, "must be true or false");
    leave(c, at);
    return rc;
}

/* A list of items, each checked by fn; at most max. */
static int list(checker *c, const json_t *o, const char *key, size_t max,
                int (*fn)(checker *, const json_t *, void *), void *ctx)
{
    const json_t *v = field(o, key);
    if (!v) return 0;
    size_t at = enter(c, key, 0);
    int rc = 0;
    if (!json_is_array(v))
        rc = bad(c, "must be a list");
    else if (json_array_size(v) > max)
        rc = bad(c, "has more than %zu items", max);
    for (size_t i = 0; !rc && i < json_array_size(v); i++) {
        size_t item = enter(c, NULL, i);
        rc = fn(c, json_array_get(v, i), ctx);
        leave(c, item);
    }
    leave(c, at);
    return rc;
}

static const char *string_of(checker *c, const json_t *o, const char *key, int *rc)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s) {
        size_t at = enter(c, key, 0);
        *rc = bad(c, "is required (text)");
        leave(c, at);
    }
    return s;
}

/* ---- the parts ---- */

static int perpetuating(checker *c, const json_t *v, void *ctx)
{
    (void)ctx;
    for (const char *const *f = tpt_perpetuating_factors; json_is_string(v) && *f; f++)
        if (strcmp(json_string_value(v), *f) == 0) return 0;
    return bad(c, "a perpetuating factor is repetitive-use, posture, long-sitting, trauma or "
                  "stress");
}

static int history(checker *c, const json_t *h)
{
    static const char *const keys[] = {
        "onset",        "how_started", "duration_weeks", "aggravating",      "easing",
        "perpetuating", "work",        "sitting_hours",  "prior_treatments", NULL};
    int rc;
    if ((rc = object_of(c, h, keys)) || (rc = text(c, h, "onset")) ||
        (rc = text(c, h, "how_started")) || (rc = number(c, h, "duration_weeks", 0, 5200, true)) ||
        (rc = text(c, h, "aggravating")) || (rc = text(c, h, "easing")) ||
        (rc = list(c, h, "perpetuating", 5, perpetuating, NULL)) || (rc = text(c, h, "work")) ||
        (rc = number(c, h, "sitting_hours", 0, 24, false)) || (rc = text(c, h, "prior_treatments")))
        return rc;
    return 0;
}

static int subjective(checker *c, const json_t *s)
{
    static const char *const keys[] = {"leg_pain", "back_pain", "changes", "history", NULL};
    int rc;
    if ((rc = object_of(c, s, keys)) || (rc = number(c, s, "leg_pain", 0, 10, true)) ||
        (rc = number(c, s, "back_pain", 0, 10, true)) || (rc = text(c, s, "changes")))
        return rc;
    const json_t *h = field(s, "history");
    if (!h) return 0;
    size_t at = enter(c, "history", 0);
    rc = history(c, h);
    if (!rc) leave(c, at);
    return rc;
}

static int mark(checker *c, const json_t *v, void *ctx)
{
    tpt_visit_evidence *ev = ctx;
    tpt_mark m;
    tpt_error e = {0};
    if (!json_is_string(v)) return bad(c, "a mark is \"region[:kind][:intensity]\"");
    if (tpt_mark_parse(c->regions, json_string_value(v), &m, &e) != 0)
        return bad(c, "%s", e.message);
    ev->marks[ev->nmarks++] = json_string_value(v);
    return 0;
}

static int add_finding(checker *c, tpt_visit_evidence *ev, const char *text)
{
    tpt_error e = {0};
    if (ev->nfindings == TPT_MAX_FINDINGS) return bad(c, "too many findings");
    if (tpt_finding_parse(c->atlas, text, &ev->findings[ev->nfindings], &e) != 0)
        return bad(c, "%s", e.message);
    ev->nfindings++;
    return 0;
}

static int finding(checker *c, const json_t *v, void *ctx)
{
    char t[96];
    const char *name = json_string_value(json_object_get(v, "finding")),
               *side = json_string_value(json_object_get(v, "side"));
    if (json_is_string(v))
        snprintf(t, sizeof t, "%s", json_string_value(v));
    else if (name && side && json_object_size(v) == 2)
        snprintf(t, sizeof t, "%s:%s", name, side);
    else
        return bad(c, "a finding is {\"finding\": NAME, \"side\": \"l\"|\"r\"}");
    return add_finding(c, ctx, t);
}

static bool known_muscle(const tpt_atlas *atlas, const char *muscle)
{
    for (size_t i = 0; i < atlas->ncauses; i++)
        if (atlas->causes[i].muscle && strcmp(atlas->causes[i].muscle, muscle) == 0) return true;
    return false;
}

/* {"muscle", "side"} and the keys given; rc set on error. */
static int muscle_side(checker *c, const json_t *v, const char *const *keys)
{
    int rc = object_of(c, v, keys);
    const char *muscle = rc ? NULL : string_of(c, v, "muscle", &rc);
    const char *side = rc ? NULL : string_of(c, v, "side", &rc);
    if (rc) return rc;
    if (!known_muscle(c->atlas, muscle)) {
        size_t at = enter(c, "muscle", 0);
        rc = bad(c, "no muscle '%s' in the atlas", muscle);
        leave(c, at);
        return rc;
    }
    if (strcmp(side, "l") != 0 && strcmp(side, "r") != 0) {
        size_t at = enter(c, "side", 0);
        rc = bad(c, "a side is \"l\" or \"r\"");
        leave(c, at);
    }
    return rc;
}

static int palpation(checker *c, const json_t *v, void *ctx)
{
    static const char *const keys[] = {"muscle", "side",       "tender", "taut_band",
                                       "twitch", "reproduces", NULL};
    int rc;
    if ((rc = muscle_side(c, v, keys)) || (rc = boolean(c, v, "tender")) ||
        (rc = boolean(c, v, "taut_band")) || (rc = boolean(c, v, "twitch")) ||
        (rc = boolean(c, v, "reproduces")))
        return rc;
    /* the interface's tender:<muscle>: a tender spot that reproduces the
     * familiar pain; a taut band or twitch alone is kept, not weighed */
    if (!json_is_true(json_object_get(v, "tender")) ||
        !json_is_true(json_object_get(v, "reproduces")))
        return 0;
    char t[96];
    snprintf(t, sizeof t, "tender:%s:%s", json_string_value(json_object_get(v, "muscle")),
             json_string_value(json_object_get(v, "side")));
    if ((rc = add_finding(c, ctx, t))) return rc;
    /* the same muscle and side found tender twice is refused at its row,
     * where it can be put right, rather than by the ranking afterwards */
    tpt_visit_evidence *ev = ctx;
    tpt_error e = {0};
    return tpt_findings_check(c->atlas, ev->findings, ev->nfindings, &e) ? bad(c, "%s", e.message)
                                                                         : 0;
}

static int objective(checker *c, const json_t *o, tpt_visit_evidence *ev)
{
    static const char *const keys[] = {"marks", "findings", "palpation", NULL};
    int rc;
    if ((rc = object_of(c, o, keys)) || (rc = list(c, o, "marks", TPT_MAX_REGIONS, mark, ev)) ||
        (rc = list(c, o, "findings", TPT_MAX_FINDINGS, finding, ev)))
        return rc;
    ev->nexam = ev->nfindings;
    /* a test found both positive and normal on a side is refused here, with
     * the note's field, rather than left for the ranking to fail on */
    tpt_error e = {0};
    if (tpt_findings_check(c->atlas, ev->findings, ev->nfindings, &e) != 0) {
        enter(c, "findings", 0);
        return bad(c, "%s", e.message);
    }
    return list(c, o, "palpation", 64, palpation, ev);
}

static int assessment(checker *c, const json_t *a)
{
    static const char *const keys[] = {"own_words", NULL};
    int rc = object_of(c, a, keys);
    return rc ? rc : text(c, a, "own_words");
}

static int site(checker *c, const json_t *v, void *ctx)
{
    (void)ctx;
    if (!json_is_string(v) || tpt_region_find(c->regions, json_string_value(v)) < 0)
        return bad(c, "a region id of the body chart (tpt regions), such as \"r.buttock.center\"");
    return 0;
}

static int compression(checker *c, const json_t *v, void *ctx)
{
    (void)ctx;
    static const char *const keys[] = {"muscle", "side", NULL};
    return muscle_side(c, v, keys);
}

static int needling(checker *c, const json_t *v, void *ctx)
{
    (void)ctx;
    static const char *const keys[] = {"muscle", "side", "count", NULL};
    int rc = muscle_side(c, v, keys);
    return rc ? rc : number(c, v, "count", 1, 50, true);
}

static int acupoint(checker *c, const json_t *v, void *ctx)
{
    (void)ctx;
    static const char *const keys[] = {"point", "count", NULL};
    int rc = object_of(c, v, keys);
    const char *point = rc ? NULL : string_of(c, v, "point", &rc);
    if (rc) return rc;
    for (size_t i = 0; i < c->techniques->nacupoints; i++)
        if (strcmp(c->techniques->acupoints[i].id, point) == 0)
            return number(c, v, "count", 1, 20, true);
    size_t at = enter(c, "point", 0);
    rc = bad(c, "no acupuncture point '%s' in the treatment data", point);
    leave(c, at);
    return rc;
}

static int stretch(checker *c, const json_t *v, void *ctx)
{
    (void)ctx;
    const tpt_techniques *t = c->techniques;
    for (size_t i = 0; json_is_string(v) && i < t->ntreatments; i++)
        for (size_t j = 0; j < t->treatments[i].nstretches; j++)
            if (strcmp(t->treatments[i].stretches[j].id, json_string_value(v)) == 0) return 0;
    return bad(c, "a stretch id of the treatment data (tpt plan --json shows them)");
}

static int plan(checker *c, const json_t *p)
{
    static const char *const keys[] = {"compression",  "needling", "acupoints", "cupping",
                                       "heat_minutes", "tuina",    "gua_sha",   "stretches",
                                       "home_program", "notes",    NULL};
    int rc;
    if ((rc = object_of(c, p, keys)) || (rc = list(c, p, "compression", 32, compression, NULL)) ||
        (rc = list(c, p, "needling", 32, needling, NULL)) ||
        (rc = list(c, p, "acupoints", 32, acupoint, NULL)) ||
        (rc = list(c, p, "cupping", 32, site, NULL)) ||
        (rc = number(c, p, "heat_minutes", 0, 60, true)) ||
        (rc = list(c, p, "tuina", 32, site, NULL)) ||
        (rc = list(c, p, "gua_sha", 32, site, NULL)) ||
        (rc = list(c, p, "stretches", 32, stretch, NULL)) || (rc = boolean(c, p, "home_program")) ||
        (rc = text(c, p, "notes")))
        return rc;
    return 0;
}

int tpt_visit_note_check(const tpt_regions *regions, const tpt_atlas *atlas,
                         const tpt_techniques *techniques, const json_t *note,
                         tpt_visit_evidence *out, tpt_error *err)
{
    static const char *const keys[] = {"kind",       "subjective", "objective",
                                       "assessment", "plan",       NULL};
    checker c = {regions, atlas, techniques, err, "note"};
    memset(out, 0, sizeof *out);
    if (!json_is_object(note)) return bad(&c, "must be an object");
    c.path[0] = '\0'; /* fields of the note are named from here on */
    int rc = object_of(&c, note, keys);
    if (rc) return rc;
    const char *kind = json_string_value(json_object_get(note, "kind"));
    if (!kind || (strcmp(kind, "intake") != 0 && strcmp(kind, "follow-up") != 0)) {
        enter(&c, "kind", 0);
        return bad(&c, "is \"intake\" or \"follow-up\"");
    }
    static const struct {
        const char *key;
        int (*check)(checker *, const json_t *);
    } parts[] = {{"subjective", subjective}, {"assessment", assessment}, {"plan", plan}};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        const json_t *v = field(note, parts[i].key);
        if (!v) continue;
        size_t at = enter(&c, parts[i].key, 0);
        if ((rc = parts[i].check(&c, v))) return rc;
        leave(&c, at);
    }
    const json_t *o = field(note, "objective");
    if (!o) return 0;
    enter(&c, "objective", 0);
    return objective(&c, o, out);
}
