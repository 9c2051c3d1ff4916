#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/atlas.h"
#include "validate.h"

/* Findings of the interface spec: a custom atlas may add more, never fewer. */
static const char *const required_findings[] = {"slr",
                                                "crossed-slr",
                                                "knee-reflex-reduced",
                                                "ankle-reflex-reduced",
                                                "weak-knee-extension",
                                                "weak-big-toe-extension",
                                                "weak-toe-walk",
                                                "tender",
                                                NULL};

static const char *const warning_ids[TPT_WARNING_COUNT] = {"cauda-equina", "bilateral-sciatica",
                                                           "saddle-pain", "numbness"};
static const char *const kind_set_names[3] = {"trigger-point", "root", "leak"};

const char *tpt_cause_kind_name(tpt_cause_kind kind)
{
    return kind == TPT_ROOT ? "root" : "trigger-point";
}

typedef struct loader {
    tpt__validator v;
    tpt_atlas *atlas;
} loader;

#define NOMEM(l) tpt__fail((l)->v.err, TPT_ERR_NOMEM, "out of memory")

static char *copy(loader *l, const char *s)
{
    return tpt__arena_strdup(l->atlas->arena, s);
}

/* ---- small pieces ---- */

static int load_string_list(loader *l, json_t *array, tpt_strings *out)
{
    return tpt__load_strings(&l->v, l->atlas->arena, array, out);
}

static int load_source(loader *l, json_t *obj, tpt_strings *out)
{
    return tpt__load_source(&l->v, l->atlas->arena, &l->atlas->sources, obj, out);
}

static int load_number(loader *l, json_t *obj, const char *key, double min, bool min_open,
                       double max, bool max_open, tpt_number *out)
{
    return tpt__load_number(&l->v, l->atlas->arena, &l->atlas->sources, obj, key,
                            (tpt__range){min, max, min_open, max_open}, out);
}

/* A constant an older atlas may leave out: then `otherwise`, with no source. */
static int load_optional(loader *l, json_t *obj, const char *key, double min, bool min_open,
                         double max, bool max_open, double otherwise, tpt_number *out)
{
    if (json_object_get(obj, key))
        return load_number(l, obj, key, min, min_open, max, max_open, out);
    *out = (tpt_number){.value = otherwise};
    return 0;
}

/* Probability-like members of a kinds object ("ache": 1.0, ...); missing kinds keep `out`. */
static int load_kinds(loader *l, json_t *obj, double out[TPT_KIND_COUNT], bool all_required,
                      tpt_strings *source)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        if (strcmp(key, "source") == 0) continue;
        tpt_kind kind;
        tpt__path_key(&l->v, key);
        if (tpt_kind_parse(key, &kind) != 0)
            return tpt__invalid(&l->v, "unknown symptom kind \"%s\"", key);
        if (!json_is_number(value) || json_number_value(value) < 0 || json_number_value(value) > 1)
            return tpt__invalid(&l->v, "\"%s\" must be a number from 0 to 1", key);
        out[kind] = json_number_value(value);
        tpt__path_pop(&l->v);
    }
    if (all_required) {
        for (int k = 0; k < TPT_KIND_COUNT; k++) {
            if (!json_object_get(obj, tpt_kind_name((tpt_kind)k)))
                return tpt__invalid(&l->v, "missing symptom kind \"%s\"",
                                    tpt_kind_name((tpt_kind)k));
        }
    }
    return load_source(l, obj, source);
}

/* A side-less region name as used in zones: a sided part or a midline id. */
static int zone_key(const tpt_regions *r, const char *name)
{
    char sided[TPT_MARK_TEXT_MAX];
    snprintf(sided, sizeof sided, "l.%s", name);
    int i = tpt_region_find(r, sided);
    if (i < 0) i = tpt_region_find(r, name);
    if (i < 0 || (r->region[i].side == TPT_RIGHT)) return -1;
    /* "l.x" names the left side's part x; "x" alone only a midline region */
    if (r->region[i].side == TPT_LEFT && strcmp(r->region[i].id + 2, name) != 0) return -1;
    if (r->region[i].side == TPT_MIDLINE && strcmp(r->region[i].id, name) != 0) return -1;
    return r->region[i].key;
}

static int unknown_zone_region(loader *l, const char *name)
{
    const tpt_regions *r = l->atlas->regions;
    const char *best = NULL;
    size_t best_d = 4;
    for (size_t i = 0; i < r->count; i++) {
        if (r->region[i].side == TPT_RIGHT) continue;
        const char *n = r->region[i].side == TPT_LEFT ? r->region[i].id + 2 : r->region[i].id;
        size_t d = tpt__edit_distance(name, n, best_d);
        if (d < best_d) {
            best_d = d;
            best = n;
        }
    }
    if (best)
        return tpt__invalid(&l->v, "unknown region \"%s\" (did you mean \"%s\"?)", name, best);
    return tpt__invalid(&l->v,
                        "unknown region \"%s\" (zones use side-less names such as "
                        "\"thigh.outer.upper\" or midline ids such as \"sacrum\")",
                        name);
}

/* ---- sections ---- */

static int load_model(loader *l, json_t *root)
{
    static const char *const keys[] = {"leak",           "core_p",
                                       "occasional_p",   "tender_lr",
                                       "tender_reach",   "unclear_below",
                                       "absence_weight", "absent_floor",
                                       "mixed_gain",     "calibration_slope",
                                       "kinds",          NULL};
    tpt_atlas *a = l->atlas;
    json_t *model, *kinds;
    int rc = tpt__get_object(&l->v, root, "model", true, &model);
    if (rc) return rc;
    tpt__path_key(&l->v, "model");
    if ((rc = tpt__only_keys(&l->v, model, keys)) ||
        (rc = load_number(l, model, "leak", 0.001, false, 0.5, false, &a->leak)) ||
        (rc = load_number(l, model, "core_p", 0, true, 1, true, &a->core_p)) ||
        (rc = load_number(l, model, "occasional_p", 0, true, 1, true, &a->occasional_p)) ||
        (rc = load_number(l, model, "tender_lr", 0, true, 1000, false, &a->tender_lr)) ||
        (rc = load_optional(l, model, "tender_reach", 0, false, 1, false, 0, &a->tender_reach)) ||
        (rc = load_number(l, model, "unclear_below", 0, false, 1, false, &a->unclear_below)) ||
        (rc = load_optional(l, model, "absence_weight", 0, false, 1, false, 1,
                            &a->absence_weight)) ||
        (rc = load_optional(l, model, "absent_floor", 0, false, 1, true, 0, &a->absent_floor)) ||
        (rc = load_optional(l, model, "mixed_gain", 1, false, 1e6, false, 1, &a->mixed_gain)) ||
        (rc = load_optional(l, model, "calibration_slope", 0, true, 1, false, 1,
                            &a->calibration_slope)) ||
        (rc = tpt__get_object(&l->v, model, "kinds", true, &kinds)))
        return rc;
    tpt__path_key(&l->v, "kinds");
    for (int s = 0; s < 3; s++) {
        json_t *set;
        if ((rc = tpt__get_object(&l->v, kinds, kind_set_names[s], true, &set))) return rc;
        tpt__path_key(&l->v, kind_set_names[s]);
        if ((rc = load_kinds(l, set, a->kinds[s], true, &a->kinds_source[s]))) return rc;
        for (int k = 0; s == 2 && k < TPT_KIND_COUNT; k++) {
            /* The leak must be able to produce every kind, or a drawing could be impossible. */
            if (a->kinds[s][k] < 0.05)
                return tpt__invalid(&l->v, "leak kinds must be at least 0.05");
        }
        tpt__path_pop(&l->v);
    }
    tpt__path_pop(&l->v);
    tpt__path_pop(&l->v);
    return 0;
}

static int load_findings(loader *l, json_t *root)
{
    static const char *const keys[] = {"id", "short", "label", "sided", "weakness", NULL};
    tpt_atlas *a = l->atlas;
    json_t *findings;
    int rc = tpt__get_array(&l->v, root, "findings", true, &findings);
    if (rc) return rc;
    a->findings = tpt__arena_alloc(a->arena, (json_array_size(findings) + 1) * sizeof *a->findings);
    if (!a->findings) return NOMEM(l);
    tpt__path_key(&l->v, "findings");
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        tpt_finding_def *def = &a->findings[i];
        const char *id, *label, *name;
        tpt__path_index(&l->v, i);
        if (!json_is_object(f)) return tpt__invalid(&l->v, "a finding must be an object");
        if ((rc = tpt__only_keys(&l->v, f, keys)) ||
            (rc = tpt__get_string(&l->v, f, "id", true, &id)) ||
            (rc = tpt__get_string(&l->v, f, "short", false, &name)) ||
            (rc = tpt__get_string(&l->v, f, "label", true, &label)))
            return rc;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(a->findings[j].id, id) == 0)
                return tpt__invalid(&l->v, "duplicate finding \"%s\"", id);
        }
        json_t *sided = json_object_get(f, "sided");
        if (!json_is_boolean(sided)) return tpt__invalid(&l->v, "\"sided\" must be true or false");
        def->id = copy(l, id);
        def->name = copy(l, name ? name : id);
        def->label = copy(l, label);
        def->sided = json_is_true(sided);
        json_t *weakness = json_object_get(f, "weakness");
        if (weakness && !json_is_boolean(weakness)) {
            tpt__path_key(&l->v, "weakness");
            return tpt__invalid(&l->v, "\"weakness\" must be true or false");
        }
        def->weakness = json_is_true(weakness);
        if (!def->id || !def->name || !def->label) return NOMEM(l);
        a->nfindings++;
        tpt__path_pop(&l->v);
    }
    for (const char *const *req = required_findings; *req; req++) {
        bool found = false;
        for (size_t j = 0; j < a->nfindings; j++)
            found = found || !strcmp(a->findings[j].id, *req);
        if (!found) return tpt__invalid(&l->v, "the finding \"%s\" is missing", *req);
    }
    tpt__path_pop(&l->v);
    return 0;
}

static int load_warnings(loader *l, json_t *root)
{
    static const char *const keys[] = {"level", "advice", "source", NULL};
    json_t *warnings;
    int rc = tpt__get_object(&l->v, root, "warnings", true, &warnings);
    if (rc) return rc;
    tpt__path_key(&l->v, "warnings");
    const char *key;
    json_t *w;
    json_object_foreach(warnings, key, w)
    {
        int id = -1;
        for (int i = 0; i < TPT_WARNING_COUNT; i++)
            id = strcmp(warning_ids[i], key) ? id : i;
        tpt__path_key(&l->v, key);
        if (id < 0) return tpt__invalid(&l->v, "unknown warning \"%s\"", key);
        if (!json_is_object(w)) return tpt__invalid(&l->v, "a warning must be an object");
        tpt_warning_def *def = &l->atlas->warnings[id];
        const char *level, *advice;
        if ((rc = tpt__only_keys(&l->v, w, keys)) ||
            (rc = tpt__get_string(&l->v, w, "level", true, &level)) ||
            (rc = tpt__get_string(&l->v, w, "advice", true, &advice)) ||
            (rc = load_source(l, w, &def->source)))
            return rc;
        tpt_level lv;
        if (tpt_level_parse(level, &lv) != 0 || lv == TPT_LEVEL_NONE) {
            tpt__path_key(&l->v, "level");
            return tpt__invalid(&l->v, "\"level\" must be soon, urgent or emergency");
        }
        def->id = warning_ids[id];
        def->level = lv;
        if (!(def->advice = copy(l, advice))) return NOMEM(l);
        tpt__path_pop(&l->v);
    }
    for (int i = 0; i < TPT_WARNING_COUNT; i++) {
        if (!l->atlas->warnings[i].id)
            return tpt__invalid(&l->v, "the warning \"%s\" is missing", warning_ids[i]);
    }
    /* The saddle warnings are a safety promise: data may not soften them. */
    if (l->atlas->warnings[TPT_WARN_CAUDA_EQUINA].level != TPT_LEVEL_EMERGENCY) {
        tpt__path_key(&l->v, "cauda-equina");
        return tpt__invalid(&l->v, "the cauda-equina warning must have level emergency");
    }
    static const tpt_warning_id at_least_urgent[] = {TPT_WARN_BILATERAL_SCIATICA,
                                                     TPT_WARN_SADDLE_PAIN};
    for (size_t i = 0; i < sizeof at_least_urgent / sizeof *at_least_urgent; i++) {
        if (l->atlas->warnings[at_least_urgent[i]].level < TPT_LEVEL_URGENT) {
            tpt__path_key(&l->v, warning_ids[at_least_urgent[i]]);
            return tpt__invalid(&l->v, "the %s warning must have level urgent or emergency",
                                warning_ids[at_least_urgent[i]]);
        }
    }
    tpt__path_pop(&l->v);
    return 0;
}

static int load_zone_list(loader *l, json_t *zone, const char *key, bool core, tpt_cause *c,
                          tpt_zone_region *out)
{
    json_t *list;
    int rc = tpt__get_array(&l->v, zone, key, core, &list);
    if (rc || !list) return rc;
    tpt__path_key(&l->v, key);
    if (core && json_array_size(list) == 0)
        return tpt__invalid(&l->v, "a zone needs at least one core region");
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        tpt__path_index(&l->v, i);
        const char *name = json_string_value(item);
        double p = core ? l->atlas->core_p.value : l->atlas->occasional_p.value;
        if (json_is_object(item)) {
            static const char *const keys[] = {"region", "p", NULL};
            json_t *pv = json_object_get(item, "p");
            if ((rc = tpt__only_keys(&l->v, item, keys)) ||
                (rc = tpt__get_string(&l->v, item, "region", true, &name)))
                return rc;
            if (pv) {
                tpt__path_key(&l->v, "p");
                if (!json_is_number(pv)) return tpt__invalid(&l->v, "probability must be a number");
                p = json_number_value(pv);
                if (!(p > 0 && p < 1))
                    return tpt__invalid(&l->v, "probability %g is outside 0-1 (exclusive)", p);
                tpt__path_pop(&l->v);
            }
        } else if (!name) {
            return tpt__invalid(&l->v, "a zone region is a name or {\"region\": ..., \"p\": ...}");
        }
        int k = zone_key(l->atlas->regions, name);
        if (k < 0) return unknown_zone_region(l, name);
        for (size_t j = 0; j < c->nzone; j++) {
            if (c->zone[j].key == k)
                return tpt__invalid(&l->v, "region \"%s\" is twice in the zone", name);
        }
        if (c->nzone >= TPT_MAX_ZONE)
            return tpt__invalid(&l->v, "a zone has at most %d regions", TPT_MAX_ZONE);
        out[c->nzone++] = (tpt_zone_region){.key = k, .p = p, .core = core};
        tpt__path_pop(&l->v);
    }
    tpt__path_pop(&l->v);
    return 0;
}

static int load_zone(loader *l, json_t *cobj, tpt_cause *c)
{
    static const char *const keys[] = {"core", "occasional", "source", NULL};
    json_t *zone;
    int rc = tpt__get_object(&l->v, cobj, "zone", true, &zone);
    if (rc) return rc;
    tpt__path_key(&l->v, "zone");
    c->zone = tpt__arena_alloc(l->atlas->arena, TPT_MAX_ZONE * sizeof *c->zone);
    if (!c->zone) return NOMEM(l);
    if ((rc = tpt__only_keys(&l->v, zone, keys)) ||
        (rc = load_zone_list(l, zone, "core", true, c, c->zone)) ||
        (rc = load_zone_list(l, zone, "occasional", false, c, c->zone)) ||
        (rc = load_source(l, zone, &c->zone_source)))
        return rc;
    tpt__path_pop(&l->v);
    return 0;
}

static int load_cause_findings(loader *l, json_t *cobj, tpt_cause *c)
{
    static const char *const keys[] = {"finding", "lr", "source", NULL};
    json_t *list;
    int rc = tpt__get_array(&l->v, cobj, "findings", false, &list);
    if (rc || !list) return rc;
    c->findings =
        tpt__arena_alloc(l->atlas->arena, (json_array_size(list) + 1) * sizeof *c->findings);
    if (!c->findings) return NOMEM(l);
    tpt__path_key(&l->v, "findings");
    size_t i;
    json_t *f;
    json_array_foreach(list, i, f)
    {
        tpt__path_index(&l->v, i);
        const char *name;
        if (!json_is_object(f)) return tpt__invalid(&l->v, "a cause finding must be an object");
        if ((rc = tpt__only_keys(&l->v, f, keys)) ||
            (rc = tpt__get_string(&l->v, f, "finding", true, &name)))
            return rc;
        int idx = -1;
        for (size_t j = 0; j < l->atlas->nfindings; j++)
            idx = strcmp(l->atlas->findings[j].id, name) ? idx : (int)j;
        if (idx < 0) return tpt__invalid(&l->v, "unknown finding \"%s\"", name);
        for (size_t j = 0; j < c->nfindings; j++) {
            if (c->findings[j].finding == idx)
                return tpt__invalid(&l->v, "finding \"%s\" is listed twice", name);
        }
        tpt_cause_finding *cf = &c->findings[c->nfindings];
        cf->finding = idx;
        /* load_number expects {"value", "source"}; a cause finding keeps them flat. */
        json_t *lr = json_object_get(f, "lr");
        if (!json_is_number(lr) || json_number_value(lr) <= 0 || json_number_value(lr) > 1000) {
            tpt__path_key(&l->v, "lr");
            return tpt__invalid(&l->v, "\"lr\" must be a likelihood ratio above 0 (at most 1000)");
        }
        cf->lr.value = json_number_value(lr);
        if ((rc = load_source(l, f, &cf->lr.source))) return rc;
        c->nfindings++;
        tpt__path_pop(&l->v);
    }
    tpt__path_pop(&l->v);
    return 0;
}

static int load_cause(loader *l, json_t *cobj, tpt_cause *c)
{
    static const char *const keys[] = {"id",    "kind", "label", "muscle",      "location", "site",
                                       "prior", "zone", "kinds", "aggravators", "findings", NULL};
    tpt_atlas *a = l->atlas;
    const char *id, *kind, *label, *muscle, *location, *site;
    int rc;
    if (!json_is_object(cobj)) return tpt__invalid(&l->v, "a cause must be an object");
    if ((rc = tpt__only_keys(&l->v, cobj, keys)) ||
        (rc = tpt__get_string(&l->v, cobj, "id", true, &id)) ||
        (rc = tpt__get_string(&l->v, cobj, "kind", true, &kind)) ||
        (rc = tpt__get_string(&l->v, cobj, "label", true, &label)) ||
        (rc = tpt__get_string(&l->v, cobj, "muscle", false, &muscle)) ||
        (rc = tpt__get_string(&l->v, cobj, "location", true, &location)) ||
        (rc = tpt__get_string(&l->v, cobj, "site", false, &site)))
        return rc;
    if (site) { /* a region as zones name them: one without its side */
        tpt__path_key(&l->v, "site");
        if (zone_key(a->regions, site) < 0) return unknown_zone_region(l, site);
        tpt__path_pop(&l->v);
    }

    tpt__path_key(&l->v, "id");
    bool is_tp = strncmp(id, "tp:", 3) == 0, is_root = strncmp(id, "root:", 5) == 0;
    if (!is_tp && !is_root)
        return tpt__invalid(&l->v, "cause id \"%s\" must start with tp: or root:", id);
    if (tpt_atlas_find_cause(a, id) >= 0) return tpt__invalid(&l->v, "duplicate cause \"%s\"", id);
    tpt__path_pop(&l->v);
    tpt__path_key(&l->v, "kind");
    if (strcmp(kind, is_tp ? "trigger-point" : "root") != 0)
        return tpt__invalid(&l->v, "cause \"%s\" must have kind \"%s\"", id,
                            is_tp ? "trigger-point" : "root");
    tpt__path_pop(&l->v);
    if (is_tp && !muscle) return tpt__invalid(&l->v, "trigger point \"%s\" needs a \"muscle\"", id);
    if (!is_tp && muscle) return tpt__invalid(&l->v, "root \"%s\" has no \"muscle\"", id);

    c->kind = is_tp ? TPT_TRIGGER_POINT : TPT_ROOT;
    c->id = copy(l, id);
    c->label = copy(l, label);
    c->location = copy(l, location);
    c->muscle = muscle ? copy(l, muscle) : NULL;
    c->site = site ? copy(l, site) : NULL;
    if (!c->id || !c->label || !c->location || (muscle && !c->muscle) || (site && !c->site))
        return NOMEM(l);

    if ((rc = load_number(l, cobj, "prior", 0, true, 1, true, &c->prior)) ||
        (rc = load_zone(l, cobj, c)) || (rc = load_cause_findings(l, cobj, c)))
        return rc;

    memcpy(c->kinds, a->kinds[c->kind], sizeof c->kinds);
    c->kinds_source = a->kinds_source[c->kind];
    json_t *kinds;
    if ((rc = tpt__get_object(&l->v, cobj, "kinds", false, &kinds))) return rc;
    if (kinds) {
        tpt__path_key(&l->v, "kinds");
        if ((rc = load_kinds(l, kinds, c->kinds, false, &c->kinds_source))) return rc;
        tpt__path_pop(&l->v);
    }

    json_t *aggr;
    if ((rc = tpt__get_object(&l->v, cobj, "aggravators", is_tp, &aggr))) return rc;
    if (aggr) {
        static const char *const akeys[] = {"items", "source", NULL};
        json_t *items;
        tpt__path_key(&l->v, "aggravators");
        if ((rc = tpt__only_keys(&l->v, aggr, akeys)) ||
            (rc = tpt__get_array(&l->v, aggr, "items", true, &items)))
            return rc;
        tpt__path_key(&l->v, "items");
        if ((rc = load_string_list(l, items, &c->aggravators))) return rc;
        tpt__path_pop(&l->v);
        if ((rc = load_source(l, aggr, &c->aggravators_source))) return rc;
        tpt__path_pop(&l->v);
    }
    return 0;
}

/* The cover lists: which causes, on which side, can explain a mark on a region. */
static int build_cover(loader *l, size_t max)
{
    tpt_atlas *a = l->atlas;
    const tpt_regions *regions = a->regions;
    a->cover_start = tpt__arena_alloc(a->arena, (regions->count + 1) * sizeof *a->cover_start);
    a->cover = tpt__arena_alloc(a->arena, (max + 1) * sizeof *a->cover);
    if (!a->cover_start || !a->cover) return NOMEM(l);
    size_t n = 0;
    for (size_t r = 0; r < regions->count; r++) {
        a->cover_start[r] = n;
        const tpt_region *region = &regions->region[r];
        for (int side = TPT_LEFT; side <= TPT_RIGHT; side++) {
            if (region->side != TPT_MIDLINE && region->side != (tpt_side)side) continue;
            for (size_t c = 0; c < a->ncauses; c++) {
                double p = a->key_p[c * a->nkeys + (size_t)region->key];
                if (p > 0) a->cover[n++] = (tpt_cover){(int)(side * a->ncauses + c), p};
            }
        }
    }
    a->cover_start[regions->count] = n;
    return 0;
}

static int load_causes(loader *l, json_t *root)
{
    json_t *causes;
    int rc = tpt__get_array(&l->v, root, "causes", true, &causes);
    if (rc) return rc;
    size_t n = json_array_size(causes);
    if (n == 0 || n > TPT_MAX_CAUSES) {
        tpt__path_key(&l->v, "causes");
        return tpt__invalid(&l->v, "an atlas has between 1 and %d causes", TPT_MAX_CAUSES);
    }
    tpt_atlas *a = l->atlas;
    a->causes = tpt__arena_alloc(a->arena, n * sizeof *a->causes);
    if (!a->causes) return NOMEM(l);
    tpt__path_key(&l->v, "causes");
    for (size_t i = 0; i < n; i++) {
        tpt__path_index(&l->v, i);
        if ((rc = load_cause(l, json_array_get(causes, i), &a->causes[i]))) return rc;
        a->ncauses++;
        tpt__path_pop(&l->v);
    }
    tpt__path_pop(&l->v);

    a->nkeys = a->regions->nparts + a->regions->nmidline;
    a->key_p = tpt__arena_alloc(a->arena, n * a->nkeys * sizeof *a->key_p);
    if (!a->key_p) return NOMEM(l);
    a->absent_all = tpt__arena_alloc(a->arena, n * sizeof *a->absent_all);
    a->absent_all_weight = tpt__arena_alloc(a->arena, n * sizeof *a->absent_all_weight);
    a->prior_odds = tpt__arena_alloc(a->arena, n * sizeof *a->prior_odds);
    if (!a->absent_all || !a->absent_all_weight || !a->prior_odds) return NOMEM(l);
    size_t ncover = 0;
    for (size_t c = 0; c < n; c++) {
        a->absent_all[c] = 1;
        a->causes[c].reach_from = TPT_LIMB_NONE;
        for (size_t z = 0; z < a->causes[c].nzone; z++) {
            /* the reach starts at the core zone: a rare occasional region
             * (soleus's sacroiliac joint) is not where its pain lies */
            tpt_limb_level level =
                a->regions->region[tpt_region_at(a->regions, a->causes[c].zone[z].key, TPT_RIGHT)]
                    .limb;
            if (a->causes[c].zone[z].core && level &&
                (!a->causes[c].reach_from || level < a->causes[c].reach_from))
                a->causes[c].reach_from = level;
            a->key_p[c * a->nkeys + (size_t)a->causes[c].zone[z].key] = a->causes[c].zone[z].p;
            a->absent_all[c] *= 1 - a->causes[c].zone[z].p;
            ncover += 2; /* at most once per side */
        }
        a->absent_all_weight[c] = tpt_absent_weight(a, a->absent_all[c]);
        a->prior_odds[c] = a->causes[c].prior.value / (1 - a->causes[c].prior.value);
    }
    return build_cover(l, ncover);
}

static int load_atlas(loader *l, json_t *root)
{
    static const char *const keys[] = {"format",   "version", "sources",      "model", "findings",
                                       "warnings", "causes",  "translations", NULL};
    const char *format;
    int rc;
    if (!json_is_object(root)) return tpt__invalid(&l->v, "an atlas must be a JSON object");
    if ((rc = tpt__only_keys(&l->v, root, keys)) ||
        (rc = tpt__get_string(&l->v, root, "format", true, &format)))
        return rc;
    if (strcmp(format, "tpt-atlas") != 0) {
        tpt__path_key(&l->v, "format");
        return tpt__invalid(&l->v, "\"format\" must be \"tpt-atlas\"");
    }
    json_t *version = json_object_get(root, "version");
    if (!json_is_integer(version) || json_integer_value(version) != 1) {
        tpt__path_key(&l->v, "version");
        return tpt__invalid(&l->v, "this tpt reads atlas version 1");
    }
    /* Order matters: sources before anything that cites them, model defaults
     * and findings before the causes that use them. */
    if ((rc = tpt__load_sources(&l->v, l->atlas->arena, root, &l->atlas->sources)) ||
        (rc = load_model(l, root)) || (rc = load_findings(l, root)) ||
        (rc = load_warnings(l, root)) || (rc = load_causes(l, root)))
        return rc;
    return 0;
}

tpt_atlas *tpt_atlas_load(const tpt_regions *regions, const char *json, size_t len,
                          const char *name, tpt_error *err)
{
    loader l = {.v = {.name = name, .text = json, .len = len, .err = err}};
    l.atlas = calloc(1, sizeof *l.atlas);
    if (!l.atlas || !(l.atlas->arena = tpt__arena_new())) {
        free(l.atlas);
        tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    l.atlas->regions = regions;
    json_t *root = tpt__parse_json(&l.v);
    int rc = root ? load_atlas(&l, root) : TPT_ERR_DATA;
    json_decref(root);
    if (rc) {
        tpt_atlas_free(l.atlas);
        return NULL;
    }
    return l.atlas;
}

tpt_atlas *tpt_atlas_default(const tpt_regions *regions, tpt_error *err)
{
    return tpt_atlas_load(regions, (const char *)tpt__data_atlas, tpt__data_atlas_len,
                          "data/atlas.json", err);
}

void tpt_atlas_free(tpt_atlas *atlas)
{
    if (!atlas) return;
    tpt__arena_free(atlas->arena);
    free(atlas);
}

double tpt_absent_weight(const tpt_atlas *atlas, double absent)
{
    double k = atlas->absence_weight.value;
    double w = k == 1 ? absent : k == 0.5 ? sqrt(absent) : pow(absent, k);
    return w > atlas->absent_floor.value ? w : atlas->absent_floor.value;
}

int tpt_atlas_find_cause(const tpt_atlas *atlas, const char *id)
{
    for (size_t i = 0; i < atlas->ncauses; i++) {
        if (strcmp(atlas->causes[i].id, id) == 0) return (int)i;
    }
    return -1;
}

const char *tpt_atlas_source_text(const tpt_atlas *atlas, const char *key)
{
    return tpt_sources_text(&atlas->sources, key);
}

/* ---- findings given by a user ---- */

/* The muscle a tender finding names, from the first cause it bears on. */
static const char *tender_muscle(const tpt_atlas *atlas, const tpt_finding *f)
{
    for (size_t i = 0; i < atlas->ncauses; i++) {
        if (f->tender_causes & (UINT64_C(1) << i)) return atlas->causes[i].muscle;
    }
    return "?";
}

void tpt_finding_id(const tpt_atlas *atlas, const tpt_finding *f, char *out, size_t size)
{
    if (f->tender_causes)
        snprintf(out, size, "%s:%s", atlas->findings[f->finding].id, tender_muscle(atlas, f));
    else
        snprintf(out, size, "%s", atlas->findings[f->finding].id);
}

void tpt_finding_name(const tpt_atlas *atlas, const tpt_finding *f, char *out, size_t size)
{
    const char *name = atlas->findings[f->finding].name;
    if (!f->tender_causes) {
        snprintf(out, size, "%s", name);
        return;
    }
    int n = snprintf(out, size, "%s in ", name);
    /* the muscle as words: gluteus-minimus is gluteus minimus */
    for (const char *m = tender_muscle(atlas, f); n >= 0 && (size_t)n + 1 < size && *m; m++)
        out[n++] = *m == '-' ? ' ' : *m;
    if (n >= 0 && (size_t)n < size) out[n] = '\0';
}

int tpt_finding_parse(const tpt_atlas *atlas, const char *text, tpt_finding *out, tpt_error *err)
{
    char buf[TPT_MARK_TEXT_MAX];
    if (strlen(text) >= sizeof buf)
        return tpt__fail(err, TPT_ERR_INPUT, "finding '%.40s...' is too long", text);
    strcpy(buf, text);
    char *name = buf, *muscle = NULL, *side = strrchr(buf, ':');
    if (side) *side++ = '\0';
    if (strncmp(name, "tender:", 7) == 0 || strcmp(name, "tender") == 0) {
        muscle = name[6] == ':' ? name + 7 : NULL;
        name[6] = '\0';
    }
    memset(out, 0, sizeof *out);
    out->finding = -1;
    for (size_t i = 0; i < atlas->nfindings; i++) {
        if (strcmp(atlas->findings[i].id, name) == 0) out->finding = (int)i;
    }
    if (out->finding < 0) {
        char names[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < atlas->nfindings && used < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     atlas->findings[i].id);
        return tpt__fail(err, TPT_ERR_INPUT, "unknown finding '%s' in '%s' (findings: %s)", name,
                         text, names);
    }
    if (!side || tpt_side_parse(side, &out->side) != 0)
        return tpt__fail(err, TPT_ERR_INPUT,
                         "finding '%s' needs a side: %s:l or %s:r (l and r are the person's own "
                         "left and right)",
                         text, strcmp(name, "tender") ? name : "tender:MUSCLE",
                         strcmp(name, "tender") ? name : "tender:MUSCLE");
    if (strcmp(name, "tender") == 0) {
        if (!muscle || !*muscle)
            return tpt__fail(err, TPT_ERR_INPUT,
                             "finding '%s' must name the muscle: tender:MUSCLE:SIDE, for example "
                             "tender:piriformis:r",
                             text);
        for (size_t i = 0; i < atlas->ncauses; i++) {
            const tpt_cause *c = &atlas->causes[i];
            if (c->muscle && (strcmp(c->muscle, muscle) == 0 || strcmp(c->id + 3, muscle) == 0))
                out->tender_causes |= UINT64_C(1) << i;
        }
        if (!out->tender_causes)
            return tpt__fail(err, TPT_ERR_INPUT,
                             "unknown muscle '%s' in finding '%s' (tpt atlas list shows the "
                             "trigger points)",
                             muscle, text);
    }
    return 0;
}
