#include <math.h>

#include "tpt/json.h"
#include "tpt/notice.h"

/* jansson's "o" and "s" packers return NULL on any allocation failure, and
 * json_array_append_new/json_object_set_new take ownership even on failure,
 * so each builder checks once at the end instead of after every call. */

static json_t *strings_json(const tpt_strings *s)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->count; i++) json_array_append_new(a, json_string(s->items[i]));
    return a;
}

static json_t *number_json(const tpt_number *n)
{
    return json_pack("{s:f, s:o}", "value", n->value, "source", strings_json(&n->source));
}

static json_t *ref_json(const tpt_atlas *atlas, tpt_cause_ref ref)
{
    return json_pack("{s:s, s:s}", "cause", atlas->causes[ref.cause].id, "side",
                     tpt_side_id(ref.side));
}

static json_t *candidate_json(const tpt_atlas *atlas, const tpt_drawing *d,
                              const tpt_candidate *cand)
{
    const tpt_cause *c = &atlas->causes[cand->ref.cause];
    const tpt_regions *regions = atlas->regions;
    json_t *explains = json_array(), *missing = json_array();
    bool marked[TPT_MAX_REGIONS] = {false};
    for (size_t j = 0; j < d->count; j++) {
        marked[d->marks[j].region] = true;
        if (tpt_cause_region_p(atlas, cand->ref, d->marks[j].region) > 0)
            json_array_append_new(explains, json_string(regions->region[d->marks[j].region].id));
    }
    for (size_t z = 0; z < c->nzone; z++) {
        int r = tpt_region_at(regions, c->zone[z].key, cand->ref.side);
        if (c->zone[z].core && !marked[r])
            json_array_append_new(missing, json_string(regions->region[r].id));
    }
    /* Three decimals are all the model's precision deserves. */
    double p = round(cand->probability * 1000) / 1000;
    return json_pack("{s:s, s:s, s:s, s:s, s:f, s:o, s:o}", "cause", c->id, "side",
                     tpt_side_id(cand->ref.side), "kind", tpt_cause_kind_name(c->kind), "label",
                     c->label, "probability", p, "explains", explains, "missing", missing);
}

json_t *tpt_result_json(const tpt_atlas *atlas, const tpt_drawing *d, const tpt_result *r)
{
    json_t *candidates = json_array(), *causes = json_array(), *unexplained = json_array(),
           *warnings = json_array();
    for (size_t i = 0; i < r->ncandidates; i++)
        json_array_append_new(candidates, candidate_json(atlas, d, &r->candidates[i]));
    for (size_t i = 0; i < r->nexplanation; i++)
        json_array_append_new(causes, ref_json(atlas, r->explanation[i]));
    for (size_t i = 0; i < r->nunexplained; i++)
        json_array_append_new(unexplained,
                              json_string(atlas->regions->region[r->unexplained[i]].id));
    for (int w = 0; w < TPT_WARNING_COUNT; w++) {
        if (!(r->warnings & (1u << w))) continue;
        const tpt_warning_def *def = &atlas->warnings[w];
        json_array_append_new(warnings, json_pack("{s:s, s:s, s:s}", "id", def->id, "level",
                                                  tpt_level_name(def->level), "advice",
                                                  def->advice));
    }
    return json_pack("{s:s, s:o, s:{s:o, s:o}, s:o, s:s}", "pattern",
                     tpt_pattern_name(r->pattern), "candidates", candidates, "explanation",
                     "causes", causes, "unexplained", unexplained, "warnings", warnings,
                     "notice", TPT_NOT_A_DIAGNOSIS);
}

json_t *tpt_regions_json(const tpt_regions *regions)
{
    static const char *const view_names[] = {"front", "back", "left", "right"};
    json_t *list = json_array(), *kinds = json_array();
    for (size_t i = 0; list && i < regions->count; i++) {
        const tpt_region *r = &regions->region[i];
        json_t *views = json_array();
        for (int v = 0; v < 4; v++) {
            if (r->views & (1u << v)) json_array_append_new(views, json_string(view_names[v]));
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o, s:b}", "id", r->id, "label",
                                              r->label, "side", tpt_side_word(r->side), "views",
                                              views, "leg", r->leg));
    }
    for (int k = 0; k < TPT_KIND_COUNT; k++)
        json_array_append_new(kinds, json_string(tpt_kind_name((tpt_kind)k)));
    return json_pack("{s:o, s:o}", "regions", list, "kinds", kinds);
}

json_t *tpt_atlas_list_json(const tpt_atlas *atlas)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < atlas->ncauses; i++) {
        const tpt_cause *c = &atlas->causes[i];
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:f}", "cause", c->id, "kind",
                                              tpt_cause_kind_name(c->kind), "label", c->label,
                                              "prior", c->prior.value));
    }
    return json_pack("{s:o}", "causes", list);
}

static json_t *zone_json(const tpt_atlas *atlas, const tpt_cause *c, bool core)
{
    json_t *list = json_array();
    for (size_t z = 0; list && z < c->nzone; z++) {
        if (c->zone[z].core != core) continue;
        /* Shown side-less: on the left side's region, minus its "l." */
        const tpt_region *r = &atlas->regions->region[tpt_region_at(atlas->regions,
                                                                     c->zone[z].key, TPT_LEFT)];
        const char *name = r->side == TPT_MIDLINE ? r->id : r->id + 2;
        json_array_append_new(list, json_pack("{s:s, s:s, s:f}", "region", name, "label",
                                              r->label, "p", c->zone[z].p));
    }
    return list;
}

/* Every source key a cause cites, with its citation, once each. */
static void add_cited(const tpt_atlas *atlas, json_t *cited, const tpt_strings *source)
{
    for (size_t i = 0; i < source->count; i++) {
        const char *text = tpt_atlas_source_text(atlas, source->items[i]);
        if (text) json_object_set_new(cited, source->items[i], json_string(text));
    }
}

json_t *tpt_cause_json(const tpt_atlas *atlas, int cause)
{
    const tpt_cause *c = &atlas->causes[cause];
    json_t *kinds = json_object(), *findings = json_array(), *cited = json_object();
    for (int k = 0; kinds && k < TPT_KIND_COUNT; k++)
        json_object_set_new(kinds, tpt_kind_name((tpt_kind)k), json_real(c->kinds[k]));
    for (size_t i = 0; findings && i < c->nfindings; i++) {
        const tpt_cause_finding *f = &c->findings[i];
        json_array_append_new(findings,
                              json_pack("{s:s, s:s, s:f, s:o}", "finding",
                                        atlas->findings[f->finding].id, "label",
                                        atlas->findings[f->finding].label, "lr", f->lr.value,
                                        "source", strings_json(&f->lr.source)));
        if (cited) add_cited(atlas, cited, &f->lr.source);
    }
    if (cited) {
        add_cited(atlas, cited, &c->prior.source);
        add_cited(atlas, cited, &c->zone_source);
        add_cited(atlas, cited, &c->kinds_source);
        add_cited(atlas, cited, &c->aggravators_source);
    }
    json_t *out = json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:{s:o, s:o, s:o}, s:{s:o, s:o}, s:{s:o, s:o}, s:o, s:o}",
        "cause", c->id, "kind", tpt_cause_kind_name(c->kind), "label", c->label, "location",
        c->location, "prior", number_json(&c->prior), "zone", "core", zone_json(atlas, c, true),
        "occasional", zone_json(atlas, c, false), "source", strings_json(&c->zone_source),
        "kinds", "share", kinds, "source", strings_json(&c->kinds_source), "aggravators",
        "items", strings_json(&c->aggravators), "source", strings_json(&c->aggravators_source),
        "findings", findings, "sources", cited);
    if (out && c->muscle) json_object_set_new(out, "muscle", json_string(c->muscle));
    return out;
}
