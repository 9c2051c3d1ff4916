#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/evidence.h"
#include "tpt/json.h"
#include "tpt/notice.h"

/* jansson's "o" and "s" packers return NULL on any allocation failure, and
 * json_array_append_new/json_object_set_new take ownership even on failure,
 * so each builder checks once at the end instead of after every call. */

static json_t *strings_json(const tpt_strings *s)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->count; i++)
        json_array_append_new(a, json_string(s->items[i]));
    return a;
}

static json_t *number_json(const tpt_number *n)
{
    return json_pack("{s:f, s:o}", "value", n->value, "source", strings_json(&n->source));
}

/* ---- the map result, written directly ---- */

/* The map answer is written piece by piece many thousand times a second: a
 * piece that fits is copied here, the rest goes through tpt_buf_put. */
static inline void put(tpt_buf *b, const char *s, size_t n)
{
    if (!b->failed && b->len + n + 1 <= b->cap) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
        return;
    }
    tpt_buf_put(b, s, n);
}

/* A piece of JSON spelled out in the source. */
#define RAW(b, literal) put((b), literal, sizeof literal - 1)

static void raw(tpt_buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A JSON string: quotes, backslashes and control characters escaped; other
 * bytes (UTF-8 included) pass through. */
/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 if it is not one. */
static size_t utf8_length(const unsigned char *s)
{
    if (s[0] < 0x80) return 1;
    size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (n == 0 || (s[0] >= 0xf8)) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
    }
    /* overlong three-byte forms, surrogates, and code points past U+10FFFF */
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return n;
}

/* Whether any of 8 bytes needs more than copying: a control character, a
 * byte of a multibyte sequence, a quote or a backslash (the "has less" and
 * "has zero byte" bit tricks). */
static bool word_needs_care(uint64_t x)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    uint64_t quote = x ^ (ones * '"'), slash = x ^ (ones * '\\');
    return ((x - ones * 0x20) | x | ((quote - ones) & ~quote) | ((slash - ones) & ~slash)) & highs;
}

/* A JSON string. Controls, the quote and the backslash are escaped, and bytes
 * that are not UTF-8 (a user's mark quoted in an error, say) become U+FFFD, so
 * the output is always valid JSON. */
static void str(tpt_buf *b, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    put(b, "\"", 1);
    for (;;) {
        const unsigned char *plain = s;
        /* eight bytes at a time while they are all plain and all there */
        size_t left = strlen((const char *)s);
        while (left >= 8) {
            uint64_t x;
            memcpy(&x, s, 8);
            if (word_needs_care(x)) break;
            s += 8;
            left -= 8;
        }
        while (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
            s++;
        put(b, (const char *)plain, (size_t)(s - plain));
        if (!*s) break;
        if (*s >= 0x80) {
            size_t n = utf8_length(s);
            if (n)
                put(b, (const char *)s, n);
            else
                RAW(b, "\\ufffd");
            s += n ? n : 1;
            continue;
        }
        char esc[8];
        if (*s == '"' || *s == '\\')
            snprintf(esc, sizeof esc, "\\%c", *s);
        else
            snprintf(esc, sizeof esc, "\\u%04x", *s);
        raw(b, esc);
        s++;
    }
    put(b, "\"", 1);
}

/* A probability to three decimals ("0.25", "1", "0"): all the precision the
 * model deserves, and cheaper than printf on a path taken for every candidate. */
static void probability(tpt_buf *b, double p)
{
    long k = lround(p * 1000);
    /* The model is never certain: a near-certain fit prints as 0.999, not 1. */
    if (k >= 1000) k = 999;
    if (k <= 0) {
        RAW(b, "0");
        return;
    }
    char text[6] = {
        '0', '.', (char)('0' + k / 100), (char)('0' + k / 10 % 10), (char)('0' + k % 10), '\0'};
    size_t n = 5;
    while (text[n - 1] == '0')
        n--;
    put(b, text, n);
}

/* Region ids need no escaping: the region loader allows only a-z, 0-9, '-'
 * and '.' in them. */
static void region_list(tpt_buf *b, const tpt_regions *regions, const int *idx, size_t n)
{
    RAW(b, "[");
    for (size_t i = 0; i < n; i++) {
        raw(b, i ? ",\"" : "\"");
        raw(b, regions->region[idx[i]].id);
        RAW(b, "\"");
    }
    RAW(b, "]");
}

static void cause_ref(tpt_buf *b, const tpt_atlas *atlas, tpt_cause_ref ref, bool either_side)
{
    RAW(b, "{\"cause\":");
    str(b, atlas->causes[ref.cause].id);
    RAW(b, ",\"side\":");
    str(b, tpt_side_id(ref.side));
    if (either_side) RAW(b, ",\"either_side\":true");
    RAW(b, "}");
}

static void candidate(tpt_buf *b, const tpt_atlas *atlas, const tpt_drawing *d, const tpt_result *r,
                      const tpt_candidate *cand, bool either_side)
{
    const tpt_cause *c = &atlas->causes[cand->ref.cause];
    tpt_fit fit;
    tpt_cause_fit(atlas, d, r->findings, r->nfindings, cand->ref, &fit);
    RAW(b, "{\"cause\":");
    str(b, c->id);
    if (cand->ref.side == TPT_LEFT)
        RAW(b, ",\"side\":\"l\"");
    else
        RAW(b, ",\"side\":\"r\"");
    if (c->kind == TPT_ROOT)
        RAW(b, ",\"kind\":\"root\"");
    else
        RAW(b, ",\"kind\":\"trigger-point\"");
    RAW(b, ",\"label\":");
    str(b, c->label);
    RAW(b, ",\"probability\":");
    probability(b, cand->probability);
    RAW(b, ",\"explains\":");
    region_list(b, atlas->regions, fit.explains, fit.nexplains);
    RAW(b, ",\"missing\":");
    region_list(b, atlas->regions, fit.missing, fit.nmissing);
    if (either_side) RAW(b, ",\"either_side\":true");
    RAW(b, "}");
}

/* What each finding did: {"finding", "side", "name", "text", "effects":
 * [{"cause", "side", "label", "lr"}]}. */
static void evidence_list(tpt_buf *b, const tpt_atlas *atlas, const tpt_result *r)
{
    RAW(b, "[");
    for (size_t i = 0; i < r->nfindings; i++) {
        const tpt_finding *f = &r->findings[i];
        char text[512];
        tpt_cause_ref refs[TPT_MAX_CAUSES];
        double lrs[TPT_MAX_CAUSES];
        size_t n = tpt_finding_effects(atlas, f, refs, lrs, TPT_MAX_CAUSES);
        raw(b, i ? ",{\"finding\":" : "{\"finding\":");
        tpt_finding_id(atlas, f, text, sizeof text);
        str(b, text);
        RAW(b, ",\"side\":");
        str(b, tpt_side_id(f->side));
        RAW(b, ",\"name\":");
        tpt_finding_name(atlas, f, text, sizeof text);
        str(b, text);
        if (atlas->findings[f->finding].negative)
            RAW(b, ",\"negative\":true,\"text\":");
        else
            RAW(b, ",\"negative\":false,\"text\":");
        tpt_finding_text(atlas, f, text, sizeof text);
        str(b, text);
        RAW(b, ",\"effects\":[");
        for (size_t k = 0; k < n; k++) {
            char number[32];
            snprintf(number, sizeof number, "%.4g", lrs[k]);
            raw(b, k ? ",{\"cause\":" : "{\"cause\":");
            str(b, atlas->causes[refs[k].cause].id);
            RAW(b, ",\"side\":");
            str(b, tpt_side_id(refs[k].side));
            RAW(b, ",\"label\":");
            str(b, atlas->causes[refs[k].cause].label);
            RAW(b, ",\"lr\":");
            raw(b, number);
            RAW(b, "}");
        }
        RAW(b, "]}");
    }
    RAW(b, "]");
}

static void warning_list(tpt_buf *b, const tpt_atlas *atlas, unsigned warnings)
{
    RAW(b, "[");
    int first = 1;
    for (int w = 0; w < TPT_WARNING_COUNT; w++) {
        if (!(warnings & (1u << w))) continue;
        const tpt_warning_def *def = &atlas->warnings[w];
        raw(b, first ? "{\"id\":" : ",{\"id\":");
        str(b, def->id);
        RAW(b, ",\"level\":");
        str(b, tpt_level_name(def->level));
        RAW(b, ",\"advice\":");
        str(b, def->advice);
        RAW(b, "}");
        first = 0;
    }
    RAW(b, "]");
}

int tpt_line_error_write_json(const tpt_atlas *atlas, size_t line, const char *message,
                              unsigned warnings, tpt_buf *b)
{
    char number[32];
    snprintf(number, sizeof number, "%zu", line);
    b->len = 0;
    b->failed = 0;
    RAW(b, "{\"line\":");
    raw(b, number);
    RAW(b, ",\"error\":");
    str(b, message);
    if (warnings) {
        RAW(b, ",\"warnings\":");
        warning_list(b, atlas, warnings);
    }
    RAW(b, "}");
    return b->failed ? TPT_ERR_NOMEM : 0;
}

int tpt_result_write_json(const tpt_atlas *atlas, const tpt_drawing *d, const tpt_result *r,
                          tpt_buf *b)
{
    b->len = 0;
    b->failed = 0;
    RAW(b, "{\"pattern\":");
    str(b, tpt_pattern_name(r->pattern));
    /* these sentences, and the notice below, are tpt's own plain text: no
     * character of them needs escaping (test_json checks) */
    RAW(b, ",\"pattern_sentence\":\"");
    raw(b, tpt_pattern_sentence(r->pattern));
    RAW(b, "\"");
    RAW(b, ",\"candidates\":[");
    for (size_t i = 0; i < r->ncandidates; i++) {
        if (i) RAW(b, ",");
        candidate(b, atlas, d, r, &r->candidates[i], r->either_side[i]);
    }
    RAW(b, "],\"explanation\":{\"causes\":[");
    for (size_t i = 0; i < r->nexplanation; i++) {
        if (i) RAW(b, ",");
        cause_ref(b, atlas, r->explanation[i], r->explanation_either[i]);
    }
    RAW(b, "],\"unexplained\":");
    region_list(b, atlas->regions, r->unexplained, r->nunexplained);
    RAW(b, "},\"warnings\":");
    warning_list(b, atlas, r->warnings);
    RAW(b, ",\"evidence\":");
    evidence_list(b, atlas, r);
    RAW(b, ",\"notice\":\"" TPT_NOT_A_DIAGNOSIS "\"");
    RAW(b, "}");
    return b->failed ? TPT_ERR_NOMEM : 0;
}

json_t *tpt_why_json(const tpt_atlas *atlas, const tpt_finding *findings, const tpt_why *w)
{
    json_t *marks = json_array(), *unmarked = json_array(), *found = json_array();
    for (size_t j = 0; marks && j < w->nmarks; j++)
        json_array_append_new(marks, json_pack("{s:s, s:s, s:f, s:f}", "region",
                                               atlas->regions->region[w->marks[j].region].id,
                                               "kind", tpt_kind_name(w->marks[j].kind), "p",
                                               w->marks[j].p, "factor", w->marks[j].factor));
    for (size_t z = 0; unmarked && z < w->nunmarked; z++)
        json_array_append_new(unmarked, json_pack("{s:s, s:f}", "region",
                                                  atlas->regions->region[w->unmarked[z]].id, "p",
                                                  w->unmarked_p[z]));
    for (size_t i = 0; found && i < w->nfindings; i++) {
        char id[128];
        const tpt_finding *f = &findings[w->finding[i]];
        tpt_finding_id(atlas, f, id, sizeof id);
        json_array_append_new(found, json_pack("{s:s, s:s, s:f}", "finding", id, "side",
                                               tpt_side_id(f->side), "lr", w->lr[i]));
    }
    json_t *out =
        json_pack("{s:s, s:s, s:o, s:b, s:f, s:f, s:o, s:f, s:o, s:f, s:f, s:o, s:f, s:f}", "cause",
                  atlas->causes[w->ref.cause].id, "side", tpt_side_id(w->ref.side), "rank",
                  w->rank >= 0 ? json_integer(w->rank + 1) : json_null(), "either_side",
                  w->either_side, "probability", w->probability, "prior_odds", w->prior_odds,
                  "marks", marks, "marks_factor", w->marks_factor, "unmarked", unmarked, "absent",
                  w->absent, "absent_weight", w->absent_weight, "findings", found,
                  "findings_factor", w->findings_factor, "score", w->score);
    return out;
}

json_t *tpt_result_json(const tpt_atlas *atlas, const tpt_drawing *d, const tpt_result *r)
{
    tpt_buf b = {0};
    json_t *value = NULL;
    if (tpt_result_write_json(atlas, d, r, &b) == 0) value = json_loadb(b.data, b.len, 0, NULL);
    tpt_buf_free(&b);
    return value;
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
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s, s:f, s:o, s:o}", "cause", c->id, "kind",
                                        tpt_cause_kind_name(c->kind), "label", c->label, "prior",
                                        c->prior.value, "muscle",
                                        c->muscle ? json_string(c->muscle) : json_null(), "site",
                                        c->site ? json_string(c->site) : json_null()));
    }
    return json_pack("{s:o}", "causes", list);
}

static json_t *zone_json(const tpt_atlas *atlas, const tpt_cause *c, bool core)
{
    json_t *list = json_array();
    for (size_t z = 0; list && z < c->nzone; z++) {
        if (c->zone[z].core != core) continue;
        /* Shown side-less: on the left side's region, minus its "l." */
        const tpt_region *r =
            &atlas->regions->region[tpt_region_at(atlas->regions, c->zone[z].key, TPT_LEFT)];
        const char *name = r->side == TPT_MIDLINE ? r->id : r->id + 2;
        json_array_append_new(list, json_pack("{s:s, s:s, s:f}", "region", name, "label", r->label,
                                              "p", c->zone[z].p));
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
        json_array_append_new(
            findings, json_pack("{s:s, s:s, s:f, s:o}", "finding", atlas->findings[f->finding].id,
                                "label", atlas->findings[f->finding].label, "lr", f->lr.value,
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
        "occasional", zone_json(atlas, c, false), "source", strings_json(&c->zone_source), "kinds",
        "share", kinds, "source", strings_json(&c->kinds_source), "aggravators", "items",
        strings_json(&c->aggravators), "source", strings_json(&c->aggravators_source), "findings",
        findings, "sources", cited);
    if (out && c->muscle) json_object_set_new(out, "muscle", json_string(c->muscle));
    if (out) json_object_set_new(out, "site", c->site ? json_string(c->site) : json_null());
    return out;
}

/* ---- the screen ---- */

static json_t *question_keys(const tpt_screen_def *def, const int *idx, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++)
        json_array_append_new(list, json_string(def->questions[idx[i]].key));
    return list;
}

json_t *tpt_screen_result_json(const tpt_screen_def *def, const tpt_screen_result *r)
{
    json_t *flags = json_array();
    for (size_t i = 0; flags && i < r->nflags; i++) {
        const tpt_screen_rule *rule = &def->rules[r->flags[i]];
        int because[TPT_SCREEN_MAX_QUESTIONS];
        size_t n = tpt_screen_flag_answers(def, r, r->flags[i], because, TPT_SCREEN_MAX_QUESTIONS);
        json_t *flag = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", rule->id, "level",
                                 tpt_level_name(rule->level), "reason", rule->reason, "advice",
                                 rule->advice, "answers", question_keys(def, because, n));
        if (flag && rule->lasting) json_object_set_new(flag, "lasting", json_true());
        json_array_append_new(flags, flag);
    }
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:s}", "level",
                     tpt_level_name(r->level), "self_care", tpt_self_care_name(r->level), "advice",
                     def->levels[r->level].advice, "flags", flags, "unanswered",
                     question_keys(def, r->unanswered, r->nunanswered), "unsure",
                     question_keys(def, r->unsure, r->nunsure), "needed",
                     question_keys(def, r->needed, r->nneeded), "missing",
                     question_keys(def, r->missing, r->nmissing), "complete", r->complete, "notice",
                     TPT_NOT_A_DIAGNOSIS);
}

json_t *tpt_screen_questions_json(const tpt_screen_def *def)
{
    json_t *groups = json_array(), *questions = json_array();
    for (size_t i = 0; groups && i < def->ngroups; i++)
        json_array_append_new(groups,
                              json_pack("{s:s, s:s, s:s}", "id", def->groups[i].id, "title",
                                        def->groups[i].title, "intro", def->groups[i].intro));
    for (size_t i = 0; questions && i < def->nquestions; i++) {
        const tpt_question *q = &def->questions[i];
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "key", q->key, "group",
                      def->groups[q->group].id, "question", q->question, "example", q->example,
                      "type", q->type == TPT_QUESTION_INTEGER ? "integer" : "boolean", "level",
                      tpt_level_name(q->level), "unsure_is_yes", q->unsure_is_yes);
        if (o && q->type == TPT_QUESTION_INTEGER) {
            json_object_set_new(o, "min", json_integer(q->min));
            json_object_set_new(o, "max", json_integer(q->max));
        }
        json_array_append_new(questions, o);
    }
    return json_pack("{s:o, s:o}", "groups", groups, "questions", questions);
}

json_t *tpt_answers_json(const tpt_screen_def *def, const tpt_answers *answers)
{
    json_t *out = json_object();
    for (size_t i = 0; out && i < def->nquestions; i++) {
        const tpt_answer *a = &answers->answer[i];
        json_t *value = a->state == TPT_ANSWER_YES      ? json_true()
                        : a->state == TPT_ANSWER_NO     ? json_false()
                        : a->state == TPT_ANSWER_UNSURE ? json_string("not-sure")
                        : a->state == TPT_ANSWER_NUMBER ? json_integer(a->number)
                                                        : NULL;
        if (value) json_object_set_new(out, def->questions[i].key, value);
    }
    return out;
}

/* ---- the plan ---- */

static const char *const step_kinds[] = {"general", "pressure", "stretch"};

static json_t *plan_steps(const tpt_atlas *atlas, const tpt_plan *p)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < p->nsteps; i++) {
        const tpt_plan_step *s = &p->steps[i];
        json_t *step =
            json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "id", s->id, "kind",
                      step_kinds[s->kind], "title", s->title, "instructions", s->instructions,
                      "hold_seconds", (json_int_t)s->hold_seconds, "rest_seconds",
                      (json_int_t)s->rest_seconds, "repeats", (json_int_t)s->repeats);
        if (step && s->cause >= 0) {
            json_object_set_new(step, "cause", json_string(atlas->causes[s->cause].id));
            json_object_set_new(step, "side", json_string(tpt_side_id(s->side)));
        }
        if (step && s->placement) json_object_set_new(step, "placement", json_string(s->placement));
        if (step && s->weekly_seconds)
            json_object_set_new(step, "graded",
                                json_pack("{s:I, s:I}", "weekly_seconds",
                                          (json_int_t)s->weekly_seconds, "max_seconds",
                                          (json_int_t)s->max_seconds));
        if (step && s->ncautions) {
            json_t *cautions = json_array();
            for (size_t k = 0; cautions && k < s->ncautions; k++)
                json_array_append_new(cautions, json_string(s->cautions[k]));
            json_object_set_new(step, "cautions", cautions);
        }
        json_array_append_new(list, step);
    }
    return list;
}

static json_t *points_json(const tpt_acupoint *const *points, size_t n)
{
    json_t *list = json_array();
    for (size_t k = 0; list && k < n; k++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "id", points[k]->id, "name",
                                              points[k]->name, "location", points[k]->location));
    return list;
}

static json_t *modality_json(const tpt_techniques *t, const tpt_plan_modality *pm)
{
    const tpt_modality *m = pm->modality;
    json_t *entry = json_pack("{s:s, s:s, s:b}", "modality", m->modality, "detail", m->detail,
                              "avoid", pm->avoid);
    json_t *cautions = json_array();
    for (size_t k = 0; cautions && k < pm->ncautions; k++) {
        const tpt_caution *c = pm->cautions[k];
        json_array_append_new(cautions,
                              json_pack("{s:s, s:s, s:b, s:o}", "id", c->id, "text", c->text,
                                        "avoid", c->avoid, "source", strings_json(&c->source)));
    }
    json_object_set_new(entry, "cautions", cautions);
    if (m->points.count) {
        json_object_set_new(entry, "points", points_json(pm->points, pm->npoints));
        json_object_set_new(entry, "avoided_points", points_json(pm->avoided, pm->navoided));
    }
    const tpt_guideline *g = tpt_guideline_of(t, m->modality);
    if (g)
        json_object_set_new(
            entry, "guidelines",
            json_pack("{s:s, s:o}", "text", g->text, "source", strings_json(&g->source)));
    return entry;
}

static json_t *clinic_json(const tpt_atlas *atlas, const tpt_techniques *t, const tpt_plan *p)
{
    json_t *list = json_array();
    for (size_t c = 0; list && c < p->ncauses; c++) {
        const tpt_treatment *tr = tpt_treatment_of(t, p->causes[c].ref.cause);
        json_t *mods = json_array();
        for (size_t m = 0; mods && m < p->clinic[c].nmodalities; m++)
            json_array_append_new(mods, modality_json(t, &p->clinic[c].modalities[m]));
        const tpt_cause *cause = &atlas->causes[tr->cause];
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s, s:o, s:s}", "cause", cause->id, "side",
                                        tpt_side_id(p->causes[c].ref.side), "label", cause->label,
                                        "modalities", mods, "evidence", tr->evidence));
    }
    return list;
}

json_t *tpt_plan_json(const tpt_atlas *atlas, const tpt_techniques *t, const tpt_plan *p)
{
    const char *advice[16];
    size_t nadvice = tpt_plan_advice(p, atlas, advice, 16);
    json_t *advice_list = json_array(), *causes = json_array(), *warnings = json_array(),
           *stops = json_array(), *flags = json_array();
    for (size_t i = 0; advice_list && i < nadvice; i++)
        json_array_append_new(advice_list, json_string(advice[i]));
    for (size_t i = 0; causes && i < p->ncauses; i++) {
        const tpt_cause *c = &atlas->causes[p->causes[i].ref.cause];
        double prob = round(p->causes[i].probability * 1000) / 1000;
        json_array_append_new(causes,
                              json_pack("{s:s, s:s, s:s, s:f}", "cause", c->id, "side",
                                        tpt_side_id(p->causes[i].ref.side), "label", c->label,
                                        "probability", prob > 0.999 ? 0.999 : prob));
    }
    for (int w = 0; warnings && w < TPT_WARNING_COUNT; w++) {
        if (p->warnings & (1u << w))
            json_array_append_new(warnings, json_string(atlas->warnings[w].id));
    }
    for (size_t i = 0; flags && i < p->screen.nflags; i++)
        json_array_append_new(flags, json_string(p->screen_def->rules[p->screen.flags[i]].id));
    for (size_t i = 0; stops && i < t->nstop_rules; i++)
        json_array_append_new(stops, json_pack("{s:s, s:s}", "id", t->stop_rules[i].id, "text",
                                               t->stop_rules[i].text));
    json_t *home = json_null(), *course = json_null(), *clinic = json_array();
    if (p->self_care) {
        json_t *habits = json_array();
        for (size_t i = 0; habits && i < t->nhabits; i++)
            json_array_append_new(habits, json_string(t->habits[i].text));
        home = json_pack("{s:o, s:s, s:I, s:o}", "steps", plan_steps(atlas, p), "pressure",
                         t->pressure.text, "sessions_per_day",
                         (json_int_t)t->sessions_per_day.value, "habits", habits);
        course = json_pack(
            "{s:s, s:I, s:I, s:[I, I]}", "advice", t->course.advice, "reassess_after_sessions",
            (json_int_t)t->course.reassess_after_sessions.value, "reassess_after_weeks",
            (json_int_t)t->course.reassess_after_weeks.value, "improve_within_sessions",
            (json_int_t)t->course.improve_min, (json_int_t)t->course.improve_max);
        json_decref(clinic);
        clinic = clinic_json(atlas, t, p);
    }
    return json_pack("{s:s, s:i, s:s, s:s, s:o, s:{s:o, s:b}, s:o, s:s, s:o, s:o, s:o, s:o, "
                     "s:o, s:s}",
                     "format", "tpt-plan", "version", 1, "level", tpt_level_name(p->screen.level),
                     "self_care", p->self_care ? tpt_self_care_name(p->screen.level) : "stop",
                     "advice", advice_list, "screen", "flags", flags, "complete",
                     p->screen.complete, "warnings", warnings, "pattern",
                     tpt_pattern_name(p->pattern), "causes", causes, "home", home, "clinic", clinic,
                     "course", course, "stop_rules", stops, "notice", TPT_NOT_A_DIAGNOSIS);
}

/* ---- a guided session ---- */

json_t *tpt_session_summary_json(const tpt_session *s, double seconds)
{
    const tpt_program *p = s->program;
    json_t *steps = json_array();
    size_t done = 0, skipped = 0;
    for (size_t i = 0; steps && i < p->nsteps; i++) {
        done += s->status[i] == TPT_STEP_DONE;
        skipped += s->status[i] == TPT_STEP_SKIPPED;
        json_array_append_new(steps, json_pack("{s:s, s:s, s:s}", "id", p->steps[i].id, "title",
                                               p->steps[i].title, "status",
                                               tpt_step_status_name(s->status[i])));
    }
    json_t *out = json_pack(
        "{s:s, s:I, s:I, s:I, s:f, s:o, s:o, s:o, s:s}", "end", tpt_session_end_name(s->end),
        "steps_total", (json_int_t)p->nsteps, "steps_done", (json_int_t)done, "steps_skipped",
        (json_int_t)skipped, "seconds", round(seconds * 10) / 10, "pain_before",
        s->pain_before >= 0 ? json_integer(s->pain_before) : json_null(), "pain_after",
        s->pain_after >= 0 ? json_integer(s->pain_after) : json_null(), "steps", steps, "notice",
        TPT_NOT_A_DIAGNOSIS);
    if (out) json_object_set_new(out, "week", json_integer(p->week));
    if (out && s->end == TPT_END_SHARP_OR_NEW_PAIN)
        json_object_set_new(out, "advice", json_string(p->stop_advice));
    return out;
}

/* ---- outcome-measure instruments ---- */

/* Item values and most bounds are whole numbers: written as such (4, not 4.0). */
static json_t *num(double x)
{
    if (x == floor(x) && fabs(x) < 1e15) return json_integer((json_int_t)x);
    return json_real(x);
}

static json_t *maybe_text(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *options_json(const tpt_option *o, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++)
        json_array_append_new(
            list, json_pack("{s:o, s:o}", "value", num(o[i].value), "text", maybe_text(o[i].text)));
    return list;
}

static json_t *item_json(const tpt_item *item)
{
    json_t *out = json_pack("{s:s, s:o, s:b}", "id", item->id, "text", maybe_text(item->text),
                            "named", item->named);
    if (!out) return NULL;
    if (item->is_range)
        json_object_set_new(out, "range",
                            json_pack("{s:o, s:o, s:o}", "min", num(item->min), "max",
                                      num(item->max), "anchors",
                                      options_json(item->anchors, item->nanchors)));
    else
        json_object_set_new(out, "options", options_json(item->options, item->noptions));
    return out;
}

static json_t *maybe_number_json(const tpt_maybe_number *n)
{
    return json_pack("{s:o, s:o}", "value", n->known ? num(n->number.value) : json_null(), "source",
                     strings_json(&n->number.source));
}

json_t *tpt_instrument_json(const tpt_instrument *in)
{
    json_t *items = json_array(), *bands = json_array(), *sources = json_object();
    for (size_t i = 0; items && i < in->nitems; i++)
        json_array_append_new(items, item_json(&in->items[i]));
    for (size_t i = 0; bands && i < in->nbands; i++) {
        const tpt_band *b = &in->bands[i];
        json_t *band = json_pack("{s:s, s:s}", "id", b->id, "label", b->label);
        if (band && b->has_max) json_object_set_new(band, "max", num(b->max));
        json_array_append_new(bands, band);
    }
    json_t *banding = in->nbands ? json_pack("{s:o, s:o}", "list", bands, "source",
                                             strings_json(&in->bands_source))
                                 : (json_decref(bands), json_null());
    for (size_t i = 0; sources && i < in->sources.count; i++)
        json_object_set_new(sources, in->sources.items[i].key,
                            json_string(in->sources.items[i].text));
    json_t *score = json_pack(
        "{s:s, s:o, s:o, s:s, s:s, s:o, s:o}", "rule", tpt_score_rule_name(in->rule), "min",
        num(in->min), "max", num(in->max), "higher", in->higher_is_worse ? "worse" : "better",
        "unit", in->rule == TPT_RULE_PERCENT_OF_ANSWERED ? "percent" : "points", "min_answered",
        number_json(&in->min_answered), "source", strings_json(&in->rule_source));
    if (score && in->rule == TPT_RULE_START_BACK) {
        json_t *ids = json_array();
        for (size_t i = 0; ids && i < in->nsubscale; i++)
            json_array_append_new(ids, json_string(in->items[in->subscale[i]].id));
        json_object_set_new(
            score, "subscale",
            json_pack("{s:o, s:o}", "items", ids, "source", strings_json(&in->subscale_source)));
        json_object_set_new(score, "low_max", number_json(&in->low_max));
        json_object_set_new(score, "high_subscale_min", number_json(&in->high_subscale_min));
    }
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:{s:o, s:o}, s:o, s:{s:o, s:s, s:s, s:o, s:o, s:o}, "
        "s:o}",
        "id", in->id, "name", in->name, "version", in->version, "about", in->about, "source",
        strings_json(&in->source), "items", items, "score", score, "mcid", "points",
        maybe_number_json(&in->mcid_points), "percent", maybe_number_json(&in->mcid_percent),
        "bands", banding, "licence", "notice", maybe_text(in->licence.notice), "terms",
        in->licence.terms, "item_text", in->licence.text_from_clinic ? "clinic" : "shipped",
        "source", strings_json(&in->licence.source), "text_file", maybe_text(in->text_file),
        "text_licence", maybe_text(in->text_licence), "sources", sources);
}

json_t *tpt_score_json(const tpt_instrument *in, const tpt_score *s)
{
    json_t *out = json_pack(
        "{s:s, s:s, s:b, s:o, s:s, s:s, s:o, s:o, s:I, s:I, s:o, s:o, s:s}", "instrument", in->id,
        "version", in->version, "scored", s->scored, "score",
        s->scored ? json_real(round(s->value * 10) / 10) : json_null(), "unit",
        in->rule == TPT_RULE_PERCENT_OF_ANSWERED ? "percent" : "points", "higher",
        in->higher_is_worse ? "worse" : "better", "min", num(in->min), "max", num(in->max),
        "answered", (json_int_t)s->answered, "items", (json_int_t)s->items, "band",
        s->band ? json_pack("{s:s, s:s}", "id", s->band->id, "label", s->band->label) : json_null(),
        "copyright", maybe_text(in->licence.notice), "notice", TPT_NOT_A_DIAGNOSIS);
    if (out && s->scored) json_object_set_new(out, "sum", num(s->sum));
    if (out && s->has_subscale) json_object_set_new(out, "subscale", num(s->subscale));
    return out;
}

/* ---- the evaluation of a case set ---- */

static json_t *rate_json(size_t k, size_t n)
{
    return n ? json_real((double)k / (double)n) : json_null();
}

static json_t *cause_ref_json(const tpt_atlas *atlas, tpt_cause_ref ref)
{
    return json_pack("{s:s, s:s}", "cause", atlas->causes[ref.cause].id, "side",
                     tpt_side_id(ref.side));
}

static json_t *score_json(double score)
{
    return isnan(score) ? json_null() : json_real(score);
}

json_t *tpt_eval_summary_json(const tpt_eval *e)
{
    return json_pack(
        "{s:I, s:I, s:o, s:I, s:o, s:I, s:o, s:I, s:I, s:o, s:o}", "cases", (json_int_t)e->n,
        "top1", (json_int_t)e->top1, "top1_rate", rate_json(e->top1, e->n), "top3",
        (json_int_t)e->top3, "top3_rate", rate_json(e->top3, e->n), "pattern",
        (json_int_t)e->pattern, "pattern_rate", rate_json(e->pattern, e->n), "warning_cases",
        (json_int_t)e->nwarn, "warnings_agree", (json_int_t)e->warn_agree, "brier",
        score_json(tpt_eval_brier(e)), "brier_first", score_json(tpt_eval_brier_first(e)));
}

static const char *const eval_kind_names[] = {"trigger-point", "root", "none"};

static json_t *eval_misses_json(const tpt_atlas *atlas, const tpt_eval *e)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < e->nmisses; i++) {
        const tpt_eval_miss *m = &e->misses[i];
        json_t *first = json_null();
        if (m->first.ref.cause >= 0) {
            first = cause_ref_json(atlas, m->first.ref);
            json_object_set_new(first, "probability", json_real(m->first.probability));
        }
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:o, s:b, s:o, s:o, s:o, s:s, s:s}", "id", m->c->id,
                            "split", tpt_split_name(m->c->split), "established",
                            cause_ref_json(atlas, m->c->established), "top1", m->top1, "rank",
                            m->truth_rank >= 0 ? json_integer(m->truth_rank + 1) : json_null(),
                            "probability", m->truth_rank >= 0 ? json_real(m->truth_p) : json_null(),
                            "first", first, "pattern", tpt_pattern_name(m->pattern), "case_pattern",
                            tpt_pattern_name(m->c->pattern)));
    }
    return list;
}

static json_t *eval_warnings_json(const tpt_eval *e)
{
    static const tpt_level expected[] = {TPT_LEVEL_NONE, TPT_LEVEL_URGENT, TPT_LEVEL_EMERGENCY};
    json_t *confusion = json_object(), *misses = json_array();
    for (size_t i = 0; confusion && i < 3; i++) {
        json_t *row = json_object();
        for (int raised = TPT_LEVEL_NONE; row && raised <= TPT_LEVEL_EMERGENCY; raised++)
            json_object_set_new(row, tpt_level_name((tpt_level)raised),
                                json_integer((json_int_t)e->warnings[expected[i]][raised]));
        json_object_set_new(confusion, tpt_level_name(expected[i]), row);
    }
    for (size_t i = 0; misses && i < e->nwarn_misses; i++) {
        const tpt_eval_warning_miss *m = &e->warn_misses[i];
        json_array_append_new(misses, json_pack("{s:s, s:s, s:s, s:s}", "id", m->c->id, "split",
                                                tpt_split_name(m->c->split), "expected",
                                                tpt_level_name(m->c->expected_warning), "raised",
                                                tpt_level_name(m->raised)));
    }
    return json_pack("{s:I, s:I, s:o, s:o, s:o}", "cases", (json_int_t)e->nwarn, "agree",
                     (json_int_t)e->warn_agree, "agree_rate", rate_json(e->warn_agree, e->nwarn),
                     "confusion", confusion, "misses", misses);
}

json_t *tpt_eval_json(const tpt_atlas *atlas, const tpt_eval *e)
{
    json_t *kinds = json_object(), *patterns = json_object(), *bins = json_array();
    for (int t = 0; kinds && t < 2; t++) {
        json_t *row = json_object();
        for (int f = 0; row && f < 3; f++)
            json_object_set_new(row, eval_kind_names[f], json_integer((json_int_t)e->kinds[t][f]));
        json_object_set_new(kinds, eval_kind_names[t], row);
    }
    for (int t = 0; patterns && t < 3; t++) {
        json_t *row = json_object();
        for (int f = 0; row && f <= TPT_UNCLEAR; f++)
            json_object_set_new(row, tpt_pattern_name((tpt_pattern)f),
                                json_integer((json_int_t)e->patterns[t][f]));
        json_object_set_new(patterns, tpt_pattern_name((tpt_pattern)t), row);
    }
    for (int b = 0; bins && b < TPT_EVAL_BINS; b++) {
        size_t n = e->bins[b].n;
        json_array_append_new(bins, json_pack("{s:f, s:f, s:I, s:o, s:o}", "from",
                                              (double)b / TPT_EVAL_BINS, "to",
                                              (double)(b + 1) / TPT_EVAL_BINS, "candidates",
                                              (json_int_t)n, "mean_probability",
                                              n ? json_real(e->bins[b].p / (double)n) : json_null(),
                                              "right_rate", rate_json(e->bins[b].right, n)));
    }
    json_t *out = tpt_eval_summary_json(e);
    json_t *calibration =
        json_pack("{s:o, s:o, s:o}", "bins", bins, "brier", score_json(tpt_eval_brier(e)),
                  "brier_first", score_json(tpt_eval_brier_first(e)));
    if (out) {
        json_object_set_new(out, "kinds", kinds);
        json_object_set_new(out, "patterns", patterns);
        json_object_set_new(out, "calibration", calibration);
        json_object_set_new(out, "misses", eval_misses_json(atlas, e));
        json_object_set_new(out, "warnings", eval_warnings_json(e));
    } else {
        json_decref(kinds);
        json_decref(patterns);
        json_decref(calibration);
    }
    return out;
}
