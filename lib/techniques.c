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
    /* graded: a little more each week, up to a most */
    bool weekly = json_object_get(item, "weekly_seconds") != NULL;
    if (weekly != (json_object_get(item, "max_seconds") != NULL))
        return tpt__invalid(V, "a graded step needs both \"weekly_seconds\" and \"max_seconds\"");
    if (weekly && ((rc = whole(l, item, "weekly_seconds", 1, 3600, &s->weekly_seconds)) ||
                   (rc = whole(l, item, "max_seconds", s->seconds, 3600, &s->max_seconds))))
        return rc;
    /* a plan says "5 min more each week": whole minutes */
    if (weekly && (s->seconds % 60 || s->weekly_seconds % 60 || s->max_seconds % 60))
        return tpt__invalid(V, "a graded step counts whole minutes (multiples of 60 s)");
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
    if (h->cautions.count > TPT_MAX_TECHNIQUE_CAUTIONS)
        return tpt__invalid(V, "at most %d cautions", TPT_MAX_TECHNIQUE_CAUTIONS);
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
        if (json_array_size(points) == 0 || json_array_size(points) > TPT_MAX_POINTS)
            return tpt__invalid(V, "name from 1 to %d points", TPT_MAX_POINTS);
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
    if (t->nclinic > TPT_MAX_MODALITIES) {
        tpt__path_key(V, "clinic");
        return tpt__invalid(V, "at most %d clinic modalities", TPT_MAX_MODALITIES);
    }
    t->home = home;
    t->stretches = stretches;
    t->clinic = clinic;
    l->t->ntreatments++; /* counted as they load so duplicates are seen */
    return 0;
}

static int guideline(loader *l, json_t *item, void *out)
{
    tpt_guideline *g = out;
    int rc;
    if ((rc = one_of(l, item, "modality", modalities, &g->modality)) ||
        (rc = text(l, item, "text", &g->text)))
        return rc;
    return source(l, item, &g->source);
}

/* obj[key], when present: a list whose every item passes `known`. */
typedef bool (*known_fn)(loader *l, const char *item);
static int list_of(loader *l, json_t *obj, const char *key, known_fn known, const char *what,
                   tpt_strings *out)
{
    json_t *list;
    int rc = tpt__get_array(V, obj, key, false, &list);
    if (rc || !list) return rc;
    tpt__path_key(V, key);
    if ((rc = tpt__load_strings(V, ARENA, list, out))) return rc;
    for (size_t i = 0; i < out->count; i++) {
        tpt__path_index(V, i);
        if (!known(l, out->items[i]))
            return tpt__invalid(V, "\"%s\" is not %s", out->items[i], what);
        tpt__path_pop(V);
    }
    tpt__path_pop(V);
    return 0;
}

static bool is_modality(loader *l, const char *m)
{
    (void)l;
    for (const char *const *a = modalities; *a; a++)
        if (strcmp(*a, m) == 0) return true;
    return false;
}

static bool is_step(loader *l, const char *id)
{
    if (strcmp(id, "pressure") == 0 || strcmp(id, "stretch") == 0) return true;
    for (size_t i = 0; i < l->t->nbefore; i++)
        if (strcmp(l->t->before[i].id, id) == 0) return true;
    for (size_t i = 0; i < l->t->nafter; i++)
        if (strcmp(l->t->after[i].id, id) == 0) return true;
    return false;
}

static bool is_trigger_point(loader *l, const char *id)
{
    int c = tpt_atlas_find_cause(l->atlas, id);
    return c >= 0 && l->atlas->causes[c].kind == TPT_TRIGGER_POINT;
}

static bool is_acupoint(loader *l, const char *id)
{
    return tpt_acupoint_find(l->t, id) != NULL;
}

static int caution(loader *l, json_t *item, void *out)
{
    static const char *const when_keys[] = {"answer", "drawn", NULL};
    tpt_caution *c = out;
    json_t *when, *avoid = json_object_get(item, "avoid");
    int rc;
    c->when_drawn = -1;
    if ((rc = unique_id(l, item, &c->id)) || (rc = text(l, item, "text", &c->text)) ||
        (rc = tpt__get_object(V, item, "when", false, &when)) ||
        (rc = list_of(l, item, "modalities", is_modality, "a known modality", &c->modalities)) ||
        (rc = list_of(l, item, "steps", is_step, "a general step's id, \"pressure\" or \"stretch\"",
                      &c->steps)) ||
        (rc = list_of(l, item, "causes", is_trigger_point, "a trigger point of the atlas",
                      &c->causes)) ||
        (rc = list_of(l, item, "points", is_acupoint, "a known acupoint", &c->points)))
        return rc;
    if (when) {
        tpt__path_key(V, "when");
        const char *answer = json_string_value(json_object_get(when, "answer"));
        const char *drawn = json_string_value(json_object_get(when, "drawn"));
        tpt_kind kind;
        if ((rc = tpt__only_keys(V, when, when_keys))) return rc;
        if (json_object_size(when) != 1 || (!answer && !drawn) ||
            (drawn && tpt_kind_parse(drawn, &kind) != 0))
            return tpt__invalid(V, "\"when\" is {\"answer\": KEY} (a screen answer key) or "
                                   "{\"drawn\": KIND} (a symptom kind of the drawing)");
        if (answer && (rc = tpt__copy(V, ARENA, answer, &c->when_answer))) return rc;
        if (drawn) c->when_drawn = (int)kind;
        tpt__path_pop(V);
    }
    if (avoid && !json_is_boolean(avoid)) {
        tpt__path_key(V, "avoid");
        return tpt__invalid(V, "\"avoid\" must be true or false");
    }
    c->avoid = json_is_true(avoid);
    if (c->modalities.count + c->steps.count == 0)
        return tpt__invalid(V, "a caution names the \"modalities\" or \"steps\" it is about");
    /* leaving a treatment out depends on the person; home steps are only ever shown with care */
    if (c->avoid && (!when || c->steps.count))
        return tpt__invalid(V, "\"avoid\" needs a \"when\" and is for clinic modalities only");
    if (c->points.count &&
        (!c->avoid || c->modalities.count != 1 || strcmp(c->modalities.items[0], "acupuncture")))
        return tpt__invalid(V, "\"points\" are left out of acupuncture: they need \"avoid\" "
                               "and \"modalities\": [\"acupuncture\"]");
    return source(l, item, &c->source);
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
    static const char *const step_keys[] = {
        "id", "title", "instructions", "seconds", "weekly_seconds", "max_seconds", "source", NULL};
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
    static const char *const keys[] = {
        "format",     "version", "sources",    "acupoints", "defaults",     "general", "course",
        "stop_rules", "causes",  "guidelines", "cautions",  "translations", NULL};
    static const char *const guideline_keys[] = {"modality", "text", "source", NULL};
    static const char *const caution_keys[] = {"id",    "text",   "when",   "avoid",  "modalities",
                                               "steps", "causes", "points", "source", NULL};
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

    void *guidelines, *cautions;
    if ((rc = each(l, root, "guidelines", false, sizeof *t->guidelines, guideline_keys, guideline,
                   &guidelines, &t->nguidelines)))
        return rc;
    t->guidelines = guidelines;
    for (size_t g = 1; g < t->nguidelines; g++) {
        if (tpt_guideline_of(t, t->guidelines[g].modality) != &t->guidelines[g]) {
            tpt__path_key(V, "guidelines");
            tpt__path_index(V, g);
            tpt__path_key(V, "modality");
            return tpt__invalid(V, "\"%s\" has two entries", t->guidelines[g].modality);
        }
    }
    if ((rc = each(l, root, "cautions", false, sizeof *t->cautions, caution_keys, caution,
                   &cautions, &t->ncautions)))
        return rc;
    t->cautions = cautions;
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

const tpt_guideline *tpt_guideline_of(const tpt_techniques *t, const char *modality)
{
    for (size_t i = 0; i < t->nguidelines; i++) {
        if (strcmp(t->guidelines[i].modality, modality) == 0) return &t->guidelines[i];
    }
    return NULL;
}
