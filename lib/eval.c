/* A case set: loading and checking it, and the figures of the engine on it
 * (include/tpt/eval.h, docs/internals/eval.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/eval.h"
#include "validate.h"

static const char *const split_names[TPT_SPLIT_COUNT + 1] = {"tune", "held-out", NULL};

const char *tpt_split_name(tpt_split split)
{
    return (unsigned)split < TPT_SPLIT_COUNT ? split_names[split] : "?";
}

int tpt_split_parse(const char *name, tpt_split *out)
{
    for (int s = 0; s < TPT_SPLIT_COUNT; s++) {
        if (strcmp(name, split_names[s]) == 0) {
            *out = (tpt_split)s;
            return 0;
        }
    }
    return TPT_ERR_INPUT;
}

/* ---- loading ---- */

typedef struct loader {
    tpt__validator v;
    const tpt_atlas *atlas;
    tpt_cases *cases;
} loader;

/* One of a fixed list of names; the index, or a complaint listing them. */
static int one_of(loader *l, json_t *obj, const char *key, const char *const *names, int *out)
{
    const char *value;
    int rc = tpt__get_string(&l->v, obj, key, true, &value);
    if (rc) return rc;
    for (int i = 0; names[i]; i++) {
        if (strcmp(names[i], value) == 0) {
            *out = i;
            return 0;
        }
    }
    char list[256] = "";
    for (size_t i = 0, used = 0; names[i] && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    tpt__path_key(&l->v, key);
    return tpt__invalid(&l->v, "\"%s\" is not one of %s", value, list);
}

/* {"cause": "...", "side": "l"|"r"} with a cause of the atlas. */
static int load_cause_ref(loader *l, json_t *obj, const char *const *keys, tpt_cause_ref *out)
{
    const char *cause, *side;
    int rc;
    if (!json_is_object(obj))
        return tpt__invalid(&l->v, "expected {\"cause\": ..., \"side\": ...}");
    if ((rc = tpt__only_keys(&l->v, obj, keys)) ||
        (rc = tpt__get_string(&l->v, obj, "cause", true, &cause)) ||
        (rc = tpt__get_string(&l->v, obj, "side", true, &side)))
        return rc;
    out->cause = tpt_atlas_find_cause(l->atlas, cause);
    if (out->cause < 0) {
        tpt__path_key(&l->v, "cause");
        return tpt__invalid(&l->v, "unknown cause \"%s\" (tpt atlas list shows the causes)", cause);
    }
    if (tpt_side_parse(side, &out->side) != 0) {
        tpt__path_key(&l->v, "side");
        return tpt__invalid(&l->v, "side \"%s\" must be l or r", side);
    }
    return 0;
}

static int load_cause_list(loader *l, json_t *c, const char *key, tpt_cause_ref *out, size_t *n)
{
    static const char *const keys[] = {"cause", "side", NULL};
    json_t *list;
    int rc = tpt__get_array(&l->v, c, key, false, &list);
    if (rc || !list) return rc;
    tpt__path_key(&l->v, key);
    if (json_array_size(list) > TPT_CASE_MAX_CAUSES)
        return tpt__invalid(&l->v, "at most %d causes", TPT_CASE_MAX_CAUSES);
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        tpt__path_index(&l->v, i);
        if ((rc = load_cause_ref(l, item, keys, &out[i]))) return rc;
        tpt__path_pop(&l->v);
    }
    *n = json_array_size(list);
    tpt__path_pop(&l->v);
    return 0;
}

/* An array of non-empty strings, each handed to `each`. */
static int load_texts(loader *l, json_t *c, const char *key, bool required, bool nonempty,
                      int (*each)(loader *, tpt_case *, const char *), tpt_case *out)
{
    json_t *list;
    int rc = tpt__get_array(&l->v, c, key, required, &list);
    if (rc || !list) return rc;
    tpt__path_key(&l->v, key);
    if (nonempty && json_array_size(list) == 0) return tpt__invalid(&l->v, "must not be empty");
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        tpt__path_index(&l->v, i);
        const char *s = json_string_value(item);
        if (!s || !*s) return tpt__invalid(&l->v, "expected non-empty text");
        if (each && (rc = each(l, out, s))) return rc;
        tpt__path_pop(&l->v);
    }
    tpt__path_pop(&l->v);
    return 0;
}

static int add_mark(loader *l, tpt_case *c, const char *text)
{
    tpt_mark mark;
    tpt_error err = {0};
    if (tpt_mark_parse(l->atlas->regions, text, &mark, &err) != 0 ||
        tpt_drawing_add(&c->drawing, l->atlas->regions, &mark, &err) != 0)
        return tpt__invalid(&l->v, "%s", err.message);
    return 0;
}

static int add_finding(loader *l, tpt_case *c, const char *text)
{
    tpt_error err = {0};
    tpt_finding *f = &c->findings[c->nfindings];
    if (c->nfindings == TPT_MAX_FINDINGS)
        return tpt__invalid(&l->v, "at most %d findings", TPT_MAX_FINDINGS);
    if (tpt_finding_parse(l->atlas, text, f, &err) != 0)
        return tpt__invalid(&l->v, "%s", err.message);
    for (size_t k = 0; k < c->nfindings; k++) {
        if (c->findings[k].finding == f->finding && c->findings[k].side == f->side &&
            c->findings[k].tender_causes == f->tender_causes)
            return tpt__invalid(&l->v, "the finding %s is given twice", text);
    }
    c->nfindings++;
    return 0;
}

/* "Authors (year). Title. Journal." from the citation, which must name its
 * authors, title, journal and year, and a DOI or an address. */
static int load_citation(loader *l, json_t *c, tpt_case *out)
{
    static const char *const keys[] = {"authors",      "title", "journal", "year",
                                       "volume_pages", "doi",   "url",     NULL};
    json_t *cit;
    const char *authors, *title, *journal, *pages, *doi, *url;
    int rc = tpt__get_object(&l->v, c, "citation", true, &cit);
    if (rc) return rc;
    tpt__path_key(&l->v, "citation");
    if ((rc = tpt__only_keys(&l->v, cit, keys)) ||
        (rc = tpt__get_string(&l->v, cit, "authors", true, &authors)) ||
        (rc = tpt__get_string(&l->v, cit, "title", true, &title)) ||
        (rc = tpt__get_string(&l->v, cit, "journal", true, &journal)) ||
        (rc = tpt__get_string(&l->v, cit, "volume_pages", false, &pages)))
        return rc;
    /* an empty DOI beside an address (or the reverse) says "none" */
    json_t *d = json_object_get(cit, "doi"), *u = json_object_get(cit, "url");
    if ((d && !json_is_string(d)) || (u && !json_is_string(u))) {
        tpt__path_key(&l->v, d && !json_is_string(d) ? "doi" : "url");
        return tpt__invalid(&l->v, "must be text");
    }
    doi = d ? json_string_value(d) : "";
    url = u ? json_string_value(u) : "";
    if (!*doi && !*url) return tpt__invalid(&l->v, "a citation needs a \"doi\" or a \"url\"");
    /* null when the source shows no date (a web case library) */
    json_t *year = json_object_get(cit, "year");
    if (!year) return tpt__invalid(&l->v, "missing field \"year\" (null when the source has none)");
    if (!json_is_null(year) && (!json_is_integer(year) || json_integer_value(year) < 1800 ||
                                json_integer_value(year) > 2100)) {
        tpt__path_key(&l->v, "year");
        return tpt__invalid(&l->v, "\"year\" must be a year such as 2015, or null");
    }
    char when[16] = "n.d.", text[1024];
    if (!json_is_null(year))
        snprintf(when, sizeof when, "%lld", (long long)json_integer_value(year));
    snprintf(text, sizeof text, "%s (%s). %s. %s%s%s.%s%s", authors, when, title, journal,
             pages ? " " : "", pages ? pages : "", *doi ? " doi:" : "", *doi ? doi : "");
    if (!(out->citation = tpt__arena_strdup(l->cases->arena, text)))
        return tpt__fail(l->v.err, TPT_ERR_NOMEM, "out of memory");
    tpt__path_pop(&l->v);
    return 0;
}

static int load_case(loader *l, json_t *c, tpt_case *out)
{
    static const char *const keys[] = {
        "id",      "split", "citation", "described",  "established",      "accept", "also",
        "pattern", "marks", "findings", "judgements", "expected_warning", "why",    NULL};
    static const char *const ref_keys[] = {"cause", "side", "how", NULL};
    static const char *const patterns[] = {"myofascial", "radicular", "mixed", NULL};
    static const char *const levels[] = {"none", "urgent", "emergency", NULL};
    const char *id, *text;
    int rc, index;
    if (!json_is_object(c)) return tpt__invalid(&l->v, "a case must be an object");
    if ((rc = tpt__get_string(&l->v, c, "id", true, &id))) return rc;
    if (!(out->id = tpt__arena_strdup(l->cases->arena, id)))
        return tpt__fail(l->v.err, TPT_ERR_NOMEM, "out of memory");
    if ((rc = tpt__only_keys(&l->v, c, keys)) || (rc = one_of(l, c, "split", split_names, &index)))
        return rc;
    out->split = (tpt_split)index;
    if ((rc = load_citation(l, c, out)) ||
        (rc = tpt__get_string(&l->v, c, "described", true, &text)) ||
        (rc = load_texts(l, c, "marks", true, true, add_mark, out)) ||
        (rc = load_texts(l, c, "findings", false, false, add_finding, out)) ||
        (rc = load_texts(l, c, "judgements", false, false, NULL, out)))
        return rc;

    json_t *established = json_object_get(c, "established");
    out->is_warning = json_object_get(c, "expected_warning") != NULL;
    if (out->is_warning) {
        /* a warning case says what the drawing should raise, and why */
        static const char *const diagnosis_only[] = {"established", "accept", "also", "pattern",
                                                     NULL};
        for (const char *const *k = diagnosis_only; *k; k++) {
            if (json_object_get(c, *k)) {
                tpt__path_key(&l->v, *k);
                return tpt__invalid(&l->v,
                                    "a warning case (with \"expected_warning\") has no \"%s\"", *k);
            }
        }
        static const tpt_level level_of[] = {TPT_LEVEL_NONE, TPT_LEVEL_URGENT, TPT_LEVEL_EMERGENCY};
        if ((rc = one_of(l, c, "expected_warning", levels, &index)) ||
            (rc = tpt__get_string(&l->v, c, "why", true, &text)))
            return rc;
        out->expected_warning = level_of[index];
        return 0;
    }
    if (json_object_get(c, "why")) {
        tpt__path_key(&l->v, "why");
        return tpt__invalid(&l->v, "\"why\" goes with \"expected_warning\"");
    }
    if (!established)
        return tpt__invalid(&l->v, "missing field \"established\" (or \"expected_warning\")");
    tpt__path_key(&l->v, "established");
    if ((rc = load_cause_ref(l, established, ref_keys, &out->established)) ||
        (rc = tpt__get_string(&l->v, established, "how", true, &text)))
        return rc;
    tpt__path_pop(&l->v);
    if ((rc = load_cause_list(l, c, "accept", out->accept, &out->naccept)) ||
        (rc = load_cause_list(l, c, "also", out->also, &out->nalso)) ||
        (rc = one_of(l, c, "pattern", patterns, &index)))
        return rc;
    out->pattern = (tpt_pattern)index; /* the names are in the order of tpt_pattern */
    return 0;
}

/* "where: what" becomes "where: case 'ID': FIELD: what", FIELD being the path
 * inside the case at which the complaint was made. */
static void name_case(loader *l, const char *id)
{
    tpt_error *err = l->v.err;
    if (!err) return;
    char field[160] = "";
    size_t used = 0, depth = l->v.depth < TPT__PATH_MAX ? l->v.depth : TPT__PATH_MAX;
    for (size_t i = 2; i < depth && used < sizeof field; i++) {
        const tpt__json_step *s = &l->v.path[i];
        used += s->key ? (size_t)snprintf(field + used, sizeof field - used, "%s%s",
                                          used ? "." : "", s->key)
                       : (size_t)snprintf(field + used, sizeof field - used, "[%zu]", s->index);
    }
    /* the place is "name:line:column: "; the message follows it */
    const char *what = strstr(err->message + strlen(l->v.name), ": ");
    if (!what) return;
    what += 2;
    char place[TPT_ERROR_MESSAGE_MAX];
    snprintf(place, sizeof place, "%.*s", (int)(what - err->message), err->message);
    char rest[TPT_ERROR_MESSAGE_MAX];
    snprintf(rest, sizeof rest, "%s", what);
    /* a message too long for the error is cut, as every message is */
    int whole = snprintf(err->message, sizeof err->message, "%scase '%s': %s%s%s", place,
                         id ? id : "?", field, *field ? ": " : "", rest);
    (void)whole;
}

static int load_file(loader *l, json_t *root)
{
    static const char *const keys[] = {"format", "version", "cases", NULL};
    const char *format;
    json_t *list;
    int rc;
    if (!json_is_object(root)) return tpt__invalid(&l->v, "a case file must be a JSON object");
    if ((rc = tpt__only_keys(&l->v, root, keys)) ||
        (rc = tpt__get_string(&l->v, root, "format", true, &format)))
        return rc;
    if (strcmp(format, "tpt-cases") != 0) {
        tpt__path_key(&l->v, "format");
        return tpt__invalid(&l->v, "\"format\" must be \"tpt-cases\"");
    }
    json_t *version = json_object_get(root, "version");
    if (!json_is_integer(version) || json_integer_value(version) != 1) {
        tpt__path_key(&l->v, "version");
        return tpt__invalid(&l->v, "this tpt reads case files of version 1");
    }
    if ((rc = tpt__get_array(&l->v, root, "cases", true, &list))) return rc;
    size_t n = json_array_size(list);
    tpt_cases *cases = l->cases;
    if (n && !(cases->cases = tpt__arena_alloc(cases->arena, n * sizeof *cases->cases)))
        return tpt__fail(l->v.err, TPT_ERR_NOMEM, "out of memory");
    tpt__path_key(&l->v, "cases");
    for (size_t i = 0; i < n; i++) {
        tpt_case *c = &cases->cases[i];
        tpt__path_index(&l->v, i);
        if ((rc = load_case(l, json_array_get(list, i), c))) {
            if (rc != TPT_ERR_NOMEM) name_case(l, c->id);
            return rc;
        }
        for (size_t k = 0; k < i; k++) {
            if (strcmp(cases->cases[k].id, c->id) == 0) {
                tpt__path_key(&l->v, "id");
                rc = tpt__invalid(&l->v, "the id is used twice in this file");
                name_case(l, c->id);
                return rc;
            }
        }
        cases->count++;
        tpt__path_pop(&l->v);
    }
    return 0;
}

tpt_cases *tpt_cases_load(const tpt_atlas *atlas, const char *text, size_t len, const char *name,
                          tpt_error *err)
{
    loader l = {.v = {.name = name, .text = text, .len = len, .err = err, .status = TPT_ERR_INPUT},
                .atlas = atlas};
    l.cases = calloc(1, sizeof *l.cases);
    if (!l.cases || !(l.cases->arena = tpt__arena_new())) {
        free(l.cases);
        tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    json_t *root = tpt__parse_json(&l.v);
    int rc = root ? load_file(&l, root) : TPT_ERR_INPUT;
    json_decref(root);
    if (rc) {
        tpt_cases_free(l.cases);
        return NULL;
    }
    return l.cases;
}

void tpt_cases_free(tpt_cases *cases)
{
    if (!cases) return;
    tpt__arena_free(cases->arena);
    free(cases);
}

/* ---- the figures ---- */

static bool same(tpt_cause_ref a, tpt_cause_ref b)
{
    return a.cause == b.cause && a.side == b.side;
}

/* A candidate stands for its cause on either side when the drawing cannot
 * tell the sides apart. */
static bool names(const tpt_result *r, size_t i, tpt_cause_ref ref)
{
    const tpt_cause_ref got = r->candidates[i].ref;
    return r->either_side[i] ? got.cause == ref.cause : same(got, ref);
}

static bool names_right(const tpt_case *c, const tpt_result *r, size_t i)
{
    if (names(r, i, c->established)) return true;
    for (size_t k = 0; k < c->naccept; k++) {
        if (names(r, i, c->accept[k])) return true;
    }
    return false;
}

static bool names_active(const tpt_case *c, const tpt_result *r, size_t i)
{
    for (size_t k = 0; k < c->nalso; k++) {
        if (names(r, i, c->also[k])) return true;
    }
    return names_right(c, r, i);
}

static int listed(const tpt_result *r, tpt_cause_ref ref)
{
    for (size_t i = 0; i < r->ncandidates; i++) {
        if (names(r, i, ref)) return (int)i;
    }
    return -1;
}

tpt_level tpt_warnings_level(const tpt_atlas *atlas, unsigned warnings)
{
    tpt_level level = TPT_LEVEL_NONE;
    for (int w = 0; w < TPT_WARNING_COUNT; w++) {
        if ((warnings & (1u << w)) && atlas->warnings[w].level > level)
            level = atlas->warnings[w].level;
    }
    return level;
}

bool tpt_eval_warning_agrees(tpt_level expected, tpt_level raised)
{
    if (raised == TPT_LEVEL_SOON) raised = TPT_LEVEL_NONE;
    return expected == raised;
}

/* Appends to a growing array of `size`-byte items; -1 when memory ran out. */
static int grow(void **items, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        size_t want = *cap ? 2 * *cap : 16;
        void *bigger = realloc(*items, want * size);
        if (!bigger) return -1;
        *items = bigger;
        *cap = want;
    }
    return 0;
}

static int add_warning_case(tpt_eval *e, const tpt_atlas *atlas, const tpt_case *c,
                            const tpt_result *r, tpt_error *err)
{
    tpt_level raised = tpt_warnings_level(atlas, r->warnings);
    e->nwarn++;
    e->warnings[c->expected_warning][raised]++;
    if (tpt_eval_warning_agrees(c->expected_warning, raised)) {
        e->warn_agree++;
        return 0;
    }
    if (grow((void **)&e->warn_misses, &e->nwarn_misses, &e->warn_misses_cap,
             sizeof *e->warn_misses))
        return tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
    e->warn_misses[e->nwarn_misses++] = (tpt_eval_warning_miss){c, raised};
    return 0;
}

/* The reliability table and the Brier scores. Every listed candidate is a
 * forecast that it is active in this person; a right cause (or a group of
 * causes the source could not tell apart) left off the list was forecast at 0. */
static void calibrate(tpt_eval *e, const tpt_case *c, const tpt_result *r, int truth_rank)
{
    for (size_t i = 0; i < r->ncandidates; i++) {
        double p = r->candidates[i].probability;
        bool y = names_active(c, r, i);
        int bin = (int)(p * TPT_EVAL_BINS);
        if (bin >= TPT_EVAL_BINS) bin = TPT_EVAL_BINS - 1;
        e->bins[bin].n++;
        e->bins[bin].p += p;
        e->bins[bin].right += y;
        e->brier += (p - y) * (p - y);
        e->brier_n++;
    }
    size_t unlisted = truth_rank < 0;
    for (size_t i = 0; i < c->nalso; i++)
        unlisted += listed(r, c->also[i]) < 0;
    e->brier += (double)unlisted;
    e->brier_n += unlisted;
    double first = r->ncandidates ? r->candidates[0].probability : 0;
    double y = truth_rank == 0;
    e->brier_first += (first - y) * (first - y);
}

int tpt_eval_case(tpt_eval *e, const tpt_atlas *atlas, const tpt_case *c, tpt_error *err)
{
    tpt_result r;
    int rc = tpt_infer(atlas, &c->drawing, c->findings, c->nfindings, &r, err);
    if (rc) return rc;
    if (c->is_warning) return add_warning_case(e, atlas, c, &r, err);

    int truth_rank = -1;
    for (size_t i = 0; i < r.ncandidates && truth_rank < 0; i++) {
        if (names_right(c, &r, i)) truth_rank = (int)i;
    }
    e->n++;
    e->top1 += truth_rank == 0;
    e->top3 += truth_rank >= 0 && truth_rank < 3;
    e->pattern += r.pattern == c->pattern;
    int first_kind = r.ncandidates == 0                                          ? TPT_EVAL_NONE
                     : atlas->causes[r.candidates[0].ref.cause].kind == TPT_ROOT ? TPT_EVAL_ROOT
                                                                                 : TPT_EVAL_TP;
    e->kinds[atlas->causes[c->established.cause].kind == TPT_ROOT][first_kind]++;
    e->patterns[c->pattern][r.pattern]++;
    calibrate(e, c, &r, truth_rank);

    if (truth_rank == 0 && r.pattern == c->pattern) return 0;
    if (grow((void **)&e->misses, &e->nmisses, &e->misses_cap, sizeof *e->misses))
        return tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
    tpt_eval_miss *m = &e->misses[e->nmisses++];
    *m = (tpt_eval_miss){.c = c,
                         .top1 = truth_rank == 0,
                         .truth_rank = truth_rank,
                         .pattern = r.pattern,
                         .first = {{-1, TPT_LEFT}, 0}};
    if (r.ncandidates) m->first = r.candidates[0];
    if (truth_rank >= 0) m->truth_p = r.candidates[truth_rank].probability;
    return 0;
}

double tpt_eval_brier(const tpt_eval *e)
{
    return e->brier_n ? e->brier / (double)e->brier_n : NAN;
}

double tpt_eval_brier_first(const tpt_eval *e)
{
    return e->n ? e->brier_first / (double)e->n : NAN;
}

void tpt_eval_free(tpt_eval *e)
{
    if (!e) return;
    free(e->misses);
    free(e->warn_misses);
    memset(e, 0, sizeof *e);
}
