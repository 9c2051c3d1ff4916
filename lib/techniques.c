#include <stdlib.h>
#include <string.h>

#include "tpt/techniques.h"
#include "validate.h"

static const char *const tools[] = {"tennis-ball", "two-balls", "firm-ball", "foam-roller",
                                    "thumb",       "hands",     NULL};
static const char *const positions[] = {"against-wall",  "lying-on-floor", "sitting-on-two-balls",
                                        "lying-on-side", "lying-on-back",  "sitting",
                                        "standing",      "kneeling",       NULL};
static const char *const modalities[] = {
    "manual-compression", "dry-needling", "acupuncture", "cupping", "tui-na", "gua-sha",
    "moist-heat",         "stretching",   NULL};

typedef struct loader {
    tpt__validator v;
    tpt_techniques *t;
    const tpt_atlas *atlas;
    /* every id of the file, to keep them unique */
    size_t nids;
    const char *ids[1024];
} loader;

#define V (&l->v)
#define ARENA (l->t->arena)

static int text(loader *l, json_t *obj, const char *key, const char **out)
{
    const char *s;
    int rc = tpt__get_string(V, obj, key, true, &s);
    return rc ? rc : tpt__copy(V, ARENA, s, out);
}

static int source(loader *l, json_t *obj, tpt_strings *out)
{
    return tpt__load_source(V, ARENA, &l->t->sources, obj, out);
}

static int whole(loader *l, json_t *obj, const char *key, long min, long max, long *out)
{
    json_t *n = json_object_get(obj, key);
    if (!n) return tpt__invalid(V, "missing field \"%s\"", key);
    tpt__path_key(V, key);
    if (!json_is_integer(n) || json_integer_value(n) < min || json_integer_value(n) > max)
        return tpt__invalid(V, "\"%s\" must be a whole number from %ld to %ld", key, min, max);
    *out = (long)json_integer_value(n);
    tpt__path_pop(V);
    return 0;
}

static int one_of(loader *l, json_t *obj, const char *key, const char *const *allowed,
                  const char **out)
{
    int rc = text(l, obj, key, out);
    if (rc) return rc;
    for (const char *const *a = allowed; *a; a++) {
        if (strcmp(*a, *out) == 0) return 0;
    }
    tpt__path_key(V, key);
    return tpt__invalid(V, "\"%s\" is not a known %s", *out, key);
}

static int unique_id(loader *l, json_t *obj, const char **out)
{
    int rc = text(l, obj, "id", out);
    if (rc) return rc;
    for (size_t i = 0; i < l->nids; i++) {
        if (strcmp(l->ids[i], *out) == 0) {
            tpt__path_key(V, "id");
            return tpt__invalid(V, "duplicate id \"%s\"", *out);
        }
    }
    if (l->nids == sizeof l->ids / sizeof *l->ids) return tpt__invalid(V, "too many ids");
    l->ids[l->nids++] = *out;
    return 0;
}

/* Each element of obj[key] (an array) through fn; *n counts them. */
typedef int (*element_fn)(loader *l, json_t *item, void *out);
static int each(loader *l, json_t *obj, const char *key, bool need_one, size_t size,
                const char *const *keys, element_fn fn, void **out, size_t *n)
{
    json_t *list;
    int rc = tpt__get_array(V, obj, key, true, &list);
    if (rc) return rc;
    if (need_one && json_array_size(list) == 0) {
        tpt__path_key(V, key);
        return tpt__invalid(V, "\"%s\" needs at least one entry", key);
    }
    *out = tpt__arena_alloc(ARENA, (json_array_size(list) + 1) * size);
    if (!*out) return tpt__fail(V->err, TPT_ERR_NOMEM, "out of memory");
    tpt__path_key(V, key);
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        tpt__path_index(V, i);
        if (!json_is_object(item)) return tpt__invalid(V, "expected an object");
        if ((rc = tpt__only_keys(V, item, keys)) || (rc = fn(l, item, (char *)*out + i * size)))
            return rc;
        tpt__path_pop(V);
    }
    *n = json_array_size(list);
    tpt__path_pop(V);
    return 0;
}

/* ---- elements ---- */

static int acupoint(loader *l, json_t *item, void *out)
{
    tpt_acupoint *a = out;
    int rc;
    if ((rc = unique_id(l, item, &a->id)) || (rc = text(l, item, "name", &a->name)) ||
        (rc = text(l, item, "location", &a->location)))
        return rc;
    return source(l, item, &a->source);
}

static int timed_step(loader *l, json_t *item, void *out)
{
    tpt_timed_step *s = out;
    int rc;
    if ((rc = unique_id(l, item, &s->id)) || (rc = text(l, item, "title", &s->title)) ||
        (rc = text(l, item, "instructions", &s->instructions)) ||
        (rc = whole(l, item, "seconds", 1, 3600, &s->seconds)))
        return rc;
    return source(l, item, &s->source);
}

static int habit(loader *l, json_t *item, void *out)
{
    tpt_rule *r = out;
    int rc = text(l, item, "text", &r->text);
    return rc ? rc : source(l, item, &r->source);
}

static int stop_rule(loader *l, json_t *item, void *out)
{
    tpt_rule *r = out;
    int rc = unique_id(l, item, &r->id);
    return rc ? rc : habit(l, item, out);
}

static int home_technique(loader *l, json_t *item, void *out)
{
    tpt_home_technique *h = out;
    json_t *cautions;
    int rc;
    if ((rc = unique_id(l, item, &h->id)) || (rc = text(l, item, "title", &h->title)) ||
        (rc = one_of(l, item, "tool", tools, &h->tool)) ||
        (rc = one_of(l, item, "position", positions, &h->position)) ||
        (rc = text(l, item, "placement", &h->placement)) ||
        (rc = text(l, item, "instructions", &h->instructions)) ||
        (rc = whole(l, item, "hold_seconds", 5, 600, &h->hold_seconds)) ||
        (rc = whole(l, item, "rest_seconds", 0, 600, &h->rest_seconds)) ||
        (rc = whole(l, item, "rounds", 1, 10, &h->rounds)) ||
        (rc = whole(l, item, "sessions_per_day", 1, 10, &h->sessions_per_day)) ||
        (rc = tpt__get_array(V, item, "cautions", true, &cautions)))
        return rc;
    tpt__path_key(V, "cautions");
    if ((rc = tpt__load_strings(V, ARENA, cautions, &h->cautions))) return rc;
    tpt__path_pop(V);
    return source(l, item, &h->source);
}

static int stretch(loader *l, json_t *item, void *out)
{
    tpt_stretch *s = out;
    int rc;
    if ((rc = unique_id(l, item, &s->id)) || (rc = text(l, item, "title", &s->title)) ||
        (rc = one_of(l, item, "position", positions, &s->position)) ||
        (rc = text(l, item, "instructions", &s->instructions)) ||
        (rc = whole(l, item, "hold_seconds", 5, 300, &s->hold_seconds)) ||
        (rc = whole(l, item, "repetitions", 1, 20, &s->repetitions)))
        return rc;
    return source(l, item, &s->source);
}

static int modality(loader *l, json_t *item, void *out)
{
    tpt_modality *m = out;
    json_t *points;
    int rc;
    if ((rc = one_of(l, item, "modality", modalities, &m->modality)) ||
        (rc = text(l, item, "detail", &m->detail)) ||
        (rc = tpt__get_array(V, item, "points", false, &points)))
        return rc;
    bool acupuncture = strcmp(m->modality, "acupuncture") == 0;
    if (acupuncture != (points != NULL))
        return tpt__invalid(V, acupuncture ? "acupuncture needs \"points\""
                                           : "only acupuncture has \"points\"");
    if (points) {
        tpt__path_key(V, "points");
        if (json_array_size(points) == 0) return tpt__invalid(V, "name at least one point");
        if ((rc = tpt__load_strings(V, ARENA, points, &m->points))) return rc;
        for (size_t i = 0; i < m->points.count; i++) {
            tpt__path_index(V, i);
            if (!tpt_acupoint_find(l->t, m->points.items[i]))
                return tpt__invalid(V, "unknown acupoint \"%s\"", m->points.items[i]);
            tpt__path_pop(V);
        }
        tpt__path_pop(V);
    }
    return source(l, item, &m->source);
}

static int treatment(loader *l, json_t *item, void *out)
{
    static const char *const home_keys[] = {
        "id",     "title",        "tool",         "position",         "placement", "instructions",
        "rounds", "hold_seconds", "rest_seconds", "sessions_per_day", "cautions",  "source",
        NULL};
    static const char *const stretch_keys[] = {
        "id", "title", "position", "instructions", "hold_seconds", "repetitions", "source", NULL};
    static const char *const clinic_keys[] = {"modality", "detail", "points", "source", NULL};
    tpt_treatment *t = out;
    const char *id;
    int rc = tpt__get_string(V, item, "cause", true, &id);
    if (rc) return rc;
    t->cause = tpt_atlas_find_cause(l->atlas, id);
    if (t->cause < 0 || l->atlas->causes[t->cause].kind != TPT_TRIGGER_POINT) {
        tpt__path_key(V, "cause");
        return tpt__invalid(V, "\"%s\" is not a trigger point of the atlas", id);
    }
    for (size_t i = 0; i < l->t->ntreatments; i++) {
        if (l->t->treatments[i].cause == t->cause) {
            tpt__path_key(V, "cause");
            return tpt__invalid(V, "\"%s\" has two entries", id);
        }
    }
    void *home, *stretches, *clinic;
    if ((rc = each(l, item, "home", true, sizeof *t->home, home_keys, home_technique, &home,
                   &t->nhome)) ||
        (rc = each(l, item, "stretches", true, sizeof *t->stretches, stretch_keys, stretch,
                   &stretches, &t->nstretches)) ||
        (rc = each(l, item, "clinic", true, sizeof *t->clinic, clinic_keys, modality, &clinic,
                   &t->nclinic)) ||
        (rc = text(l, item, "evidence", &t->evidence)))
        return rc;
    t->home = home;
    t->stretches = stretches;
    t->clinic = clinic;
    l->t->ntreatments++; /* counted as they load so duplicates are seen */
    return 0;
}

/* ---- sections ---- */

static int load_defaults(loader *l, json_t *root)
{
    static const char *const keys[] = {"pressure", "hold_seconds",     "rest_seconds",
                                       "rounds",   "sessions_per_day", NULL};
    static const char *const pressure_keys[] = {"text", "source", NULL};
    tpt_techniques *t = l->t;
    json_t *d, *pressure;
    int rc;
    if ((rc = tpt__get_object(V, root, "defaults", true, &d))) return rc;
    tpt__path_key(V, "defaults");
    if ((rc = tpt__only_keys(V, d, keys)) ||
        (rc = tpt__get_object(V, d, "pressure", true, &pressure)))
        return rc;
    tpt__path_key(V, "pressure");
    if ((rc = tpt__only_keys(V, pressure, pressure_keys)) ||
        (rc = text(l, pressure, "text", &t->pressure.text)) ||
        (rc = source(l, pressure, &t->pressure.source)))
        return rc;
    tpt__path_pop(V);
    if ((rc = tpt__load_number(V, ARENA, &t->sources, d, "hold_seconds",
                               (tpt__range){5, 600, false, false}, &t->hold_seconds)) ||
        (rc = tpt__load_number(V, ARENA, &t->sources, d, "rest_seconds",
                               (tpt__range){0, 600, false, false}, &t->rest_seconds)) ||
        (rc = tpt__load_number(V, ARENA, &t->sources, d, "rounds",
                               (tpt__range){1, 10, false, false}, &t->rounds)) ||
        (rc = tpt__load_number(V, ARENA, &t->sources, d, "sessions_per_day",
                               (tpt__range){1, 10, false, false}, &t->sessions_per_day)))
        return rc;
    tpt__path_pop(V);
    return 0;
}

static int load_general(loader *l, json_t *root)
{
    static const char *const keys[] = {"before", "after", "habits", NULL};
    static const char *const step_keys[] = {"id",      "title",  "instructions",
                                            "seconds", "source", NULL};
    static const char *const habit_keys[] = {"text", "source", NULL};
    tpt_techniques *t = l->t;
    json_t *g;
    void *before, *after, *habits;
    int rc;
    if ((rc = tpt__get_object(V, root, "general", true, &g))) return rc;
    tpt__path_key(V, "general");
    if ((rc = tpt__only_keys(V, g, keys)) ||
        (rc = each(l, g, "before", false, sizeof *t->before, step_keys, timed_step, &before,
                   &t->nbefore)) ||
        (rc = each(l, g, "after", false, sizeof *t->after, step_keys, timed_step, &after,
                   &t->nafter)) ||
        (rc = each(l, g, "habits", false, sizeof *t->habits, habit_keys, habit, &habits,
                   &t->nhabits)))
        return rc;
    t->before = before;
    t->after = after;
    t->habits = habits;
    tpt__path_pop(V);
    return 0;
}

static int load_course(loader *l, json_t *root)
{
    static const char *const keys[] = {"reassess_after_sessions",
                                       "reassess_after_weeks",
                                       "improve_within_sessions",
                                       "advice",
                                       "source",
                                       NULL};
    static const char *const range_keys[] = {"min", "max", "source", NULL};
    tpt_techniques *t = l->t;
    json_t *c, *range;
    int rc;
    if ((rc = tpt__get_object(V, root, "course", true, &c))) return rc;
    tpt__path_key(V, "course");
    if ((rc = tpt__only_keys(V, c, keys)) ||
        (rc = tpt__load_number(V, ARENA, &t->sources, c, "reassess_after_sessions",
                               (tpt__range){1, 100, false, false},
                               &t->course.reassess_after_sessions)) ||
        (rc = tpt__load_number(V, ARENA, &t->sources, c, "reassess_after_weeks",
                               (tpt__range){1, 52, false, false},
                               &t->course.reassess_after_weeks)) ||
        (rc = tpt__get_object(V, c, "improve_within_sessions", true, &range)))
        return rc;
    tpt__path_key(V, "improve_within_sessions");
    if ((rc = tpt__only_keys(V, range, range_keys)) ||
        (rc = whole(l, range, "min", 1, 100, &t->course.improve_min)) ||
        (rc = whole(l, range, "max", t->course.improve_min, 100, &t->course.improve_max)) ||
        (rc = source(l, range, &t->course.improve_source)))
        return rc;
    tpt__path_pop(V);
    if ((rc = text(l, c, "advice", &t->course.advice)) || (rc = source(l, c, &t->course.source)))
        return rc;
    tpt__path_pop(V);
    return 0;
}

static int load_techniques(loader *l, json_t *root)
{
    static const char *const keys[] = {"format",   "version",      "sources", "acupoints",
                                       "defaults", "general",      "course",  "stop_rules",
                                       "causes",   "translations", NULL};
    static const char *const acupoint_keys[] = {"id", "name", "location", "source", NULL};
    static const char *const rule_keys[] = {"id", "text", "source", NULL};
    static const char *const cause_keys[] = {"cause",  "home",     "stretches",
                                             "clinic", "evidence", NULL};
    tpt_techniques *t = l->t;
    const char *format;
    int rc;
    if (!json_is_object(root)) return tpt__invalid(V, "the techniques file must be a JSON object");
    if ((rc = tpt__only_keys(V, root, keys)) ||
        (rc = tpt__get_string(V, root, "format", true, &format)))
        return rc;
    if (strcmp(format, "tpt-techniques") != 0) {
        tpt__path_key(V, "format");
        return tpt__invalid(V, "\"format\" must be \"tpt-techniques\"");
    }
    void *acupoints, *rules;
    if ((rc = tpt__load_sources(V, ARENA, root, &t->sources)) ||
        (rc = each(l, root, "acupoints", true, sizeof *t->acupoints, acupoint_keys, acupoint,
                   &acupoints, &t->nacupoints)))
        return rc;
    t->acupoints = acupoints;
    if ((rc = load_defaults(l, root)) || (rc = load_general(l, root)) ||
        (rc = load_course(l, root)) ||
        (rc = each(l, root, "stop_rules", true, sizeof *t->stop_rules, rule_keys, stop_rule, &rules,
                   &t->nstop_rules)))
        return rc;
    t->stop_rules = rules;

    /* Treatments are counted as they load (treatment() checks duplicates). */
    json_t *causes;
    if ((rc = tpt__get_array(V, root, "causes", true, &causes))) return rc;
    t->treatments = tpt__arena_alloc(ARENA, (json_array_size(causes) + 1) * sizeof *t->treatments);
    if (!t->treatments) return tpt__fail(V->err, TPT_ERR_NOMEM, "out of memory");
    tpt__path_key(V, "causes");
    size_t i;
    json_t *item;
    json_array_foreach(causes, i, item)
    {
        tpt__path_index(V, i);
        if (!json_is_object(item)) return tpt__invalid(V, "expected an object");
        if ((rc = tpt__only_keys(V, item, cause_keys)) ||
            (rc = treatment(l, item, &t->treatments[i])))
            return rc;
        tpt__path_pop(V);
    }
    tpt__path_pop(V);
    return 0;
}

tpt_techniques *tpt_techniques_load(const tpt_atlas *atlas, const char *json, size_t len,
                                    const char *name, tpt_error *err)
{
    loader *l = calloc(1, sizeof *l);
    tpt_techniques *t = calloc(1, sizeof *t);
    if (!l || !t || !(t->arena = tpt__arena_new())) {
        free(l);
        free(t);
        tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    l->v = (tpt__validator){.name = name, .text = json, .len = len, .err = err};
    l->t = t;
    l->atlas = atlas;
    json_t *root = tpt__parse_json(&l->v);
    int rc = root ? load_techniques(l, root) : TPT_ERR_DATA;
    json_decref(root);
    free(l);
    if (rc) {
        tpt_techniques_free(t);
        return NULL;
    }
    return t;
}

tpt_techniques *tpt_techniques_default(const tpt_atlas *atlas, tpt_error *err)
{
    return tpt_techniques_load(atlas, (const char *)tpt__data_techniques, tpt__data_techniques_len,
                               "data/techniques.json", err);
}

void tpt_techniques_free(tpt_techniques *t)
{
    if (!t) return;
    tpt__arena_free(t->arena);
    free(t);
}

const tpt_treatment *tpt_treatment_of(const tpt_techniques *t, int cause)
{
    for (size_t i = 0; i < t->ntreatments; i++) {
        if (t->treatments[i].cause == cause) return &t->treatments[i];
    }
    return NULL;
}

const tpt_acupoint *tpt_acupoint_find(const tpt_techniques *t, const char *id)
{
    for (size_t i = 0; i < t->nacupoints; i++) {
        if (strcmp(t->acupoints[i].id, id) == 0) return &t->acupoints[i];
    }
    return NULL;
}
