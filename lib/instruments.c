/* Outcome-measure instruments: definitions as data, a clinic's item text
 * merged over them, and scoring by named rules
 * (docs/internals/instruments.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/instruments.h"
#include "validate.h"

/* NULL-terminated, so that it doubles as a list of accepted words. */
static const char *const rule_names[TPT_RULE_COUNT + 1] = {"sum",    "percent-of-answered", "mean",
                                                           "single", "start-back",          NULL};

/* The groups of the start-back rule, in the order a definition lists them. */
enum { GROUP_LOW, GROUP_MEDIUM, GROUP_HIGH, GROUP_COUNT };
static const char *const group_ids[GROUP_COUNT] = {"low", "medium", "high"};

/* Item values, score bounds and thresholds stay within this, so that sums
 * and percentages of up to TPT_INSTRUMENT_MAX_ITEMS values are exact. */
#define VALUE_MAX 1e6
#define ID_MAX 40

/* Scores may be fractions (a percentage of 45, a mean), so comparisons with
 * band ends and MCIDs allow for rounding: exactly 20% is minimal. */
#define EPS 1e-9

const char *tpt_score_rule_name(tpt_score_rule rule)
{
    return (unsigned)rule < TPT_RULE_COUNT ? rule_names[rule] : "?";
}

static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > ID_MAX || s[0] == '-') return false;
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) return false;
    }
    return true;
}

static bool is_whole(double x)
{
    return isfinite(x) && x == floor(x);
}

/* ---- loading a definition ---- */

typedef struct loader {
    tpt__validator v;
    tpt_instrument *in;
} loader;

#define NOMEM(l) tpt__fail((l)->v.err, TPT_ERR_NOMEM, "out of memory")

static void *alloc(loader *l, size_t n, size_t size)
{
    return tpt__arena_alloc(l->in->arena, (n ? n : 1) * size);
}

static int load_source(loader *l, json_t *obj, tpt_strings *out)
{
    return tpt__load_source(&l->v, l->in->arena, &l->in->sources, obj, out);
}

/* obj's `key`: a number within +-VALUE_MAX, whole when asked. */
static int get_number(tpt__validator *v, json_t *obj, const char *key, bool whole, double *out)
{
    json_t *n = json_object_get(obj, key);
    if (!n) return tpt__invalid(v, "missing field \"%s\"", key);
    tpt__path_key(v, key);
    if (!json_is_number(n)) return tpt__invalid(v, "\"%s\" must be a number", key);
    *out = json_number_value(n);
    if (fabs(*out) > VALUE_MAX)
        return tpt__invalid(v, "\"%s\" must be between %g and %g", key, -VALUE_MAX, VALUE_MAX);
    if (whole && !is_whole(*out)) return tpt__invalid(v, "\"%s\" must be a whole number", key);
    tpt__path_pop(v);
    return 0;
}

/* obj's `key`: present, and either null (*out = NULL) or text. */
static int get_text_or_null(tpt__validator *v, json_t *obj, const char *key, const char **out)
{
    json_t *value = json_object_get(obj, key);
    *out = NULL;
    if (!value) return tpt__invalid(v, "missing field \"%s\" (null when there is none)", key);
    if (json_is_null(value)) return 0;
    return tpt__get_string(v, obj, key, true, out);
}

static int get_id(tpt__validator *v, json_t *obj, const char *key, const char **out)
{
    int rc = tpt__get_string(v, obj, key, true, out);
    if (rc == 0 && !valid_id(*out)) {
        tpt__path_key(v, key);
        return tpt__invalid(v, "\"%s\" must be 1 to %d lowercase letters, digits and hyphens", key,
                            ID_MAX);
    }
    return rc;
}

static int copy(loader *l, const char *s, const char **out)
{
    if (!s) {
        *out = NULL;
        return 0;
    }
    return tpt__copy(&l->v, l->in->arena, s, out);
}

/* A sourced number that may be null: {"value": number or null, "source": [...]}. */
static int load_maybe(loader *l, json_t *obj, const char *key, tpt__range range,
                      tpt_maybe_number *out)
{
    static const char *const keys[] = {"value", "source", NULL};
    tpt__validator *v = &l->v;
    json_t *n;
    int rc;
    if ((rc = tpt__get_object(v, obj, key, true, &n))) return rc;
    json_t *value = json_object_get(n, "value");
    if (value && json_is_null(value)) {
        tpt__path_key(v, key);
        if ((rc = tpt__only_keys(v, n, keys)) || (rc = load_source(l, n, &out->number.source)))
            return rc;
        tpt__path_pop(v);
        out->known = false;
        return 0;
    }
    out->known = true;
    return tpt__load_number(v, l->in->arena, &l->in->sources, obj, key, range, &out->number);
}

/* A list of {"value", "text"}: the answers of a choice or the anchors of a
 * range. Values are whole, distinct when asked (a definition's scores; a
 * clinic's form may offer several answers with one value), within [min, max]
 * when `bounded`; texts are required, or may be null. */
enum text_need { TEXT_NULL_OK, TEXT_REQUIRED };

static int load_options(tpt__validator *v, tpt__arena *arena, json_t *list, bool distinct,
                        bool bounded, double min, double max, enum text_need need, tpt_option **out,
                        size_t *nout)
{
    static const char *const keys[] = {"value", "text", NULL};
    size_t n = json_array_size(list);
    if (n > TPT_INSTRUMENT_MAX_OPTIONS)
        return tpt__invalid(v, "at most %d answers or anchors to an item",
                            TPT_INSTRUMENT_MAX_OPTIONS);
    tpt_option *options = tpt__arena_alloc(arena, (n ? n : 1) * sizeof *options);
    if (!options) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(list, i);
        tpt__path_index(v, i);
        if (!json_is_object(o)) return tpt__invalid(v, "expected {\"value\": ..., \"text\": ...}");
        const char *text;
        int rc;
        if ((rc = tpt__only_keys(v, o, keys)) ||
            (rc = get_number(v, o, "value", true, &options[i].value)))
            return rc;
        if (bounded && (options[i].value < min || options[i].value > max)) {
            tpt__path_key(v, "value");
            return tpt__invalid(v, "value %g is outside the item's range %g to %g",
                                options[i].value, min, max);
        }
        for (size_t j = 0; distinct && j < i; j++) {
            if (options[j].value == options[i].value) {
                tpt__path_key(v, "value");
                return tpt__invalid(v, "value %g is given twice", options[i].value);
            }
        }
        if (need == TEXT_REQUIRED)
            rc = tpt__get_string(v, o, "text", true, &text);
        else
            rc = get_text_or_null(v, o, "text", &text);
        if (rc) return rc;
        if (text && !(options[i].text = tpt__arena_strdup(arena, text)))
            return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
        tpt__path_pop(v);
    }
    *out = options;
    *nout = n;
    return 0;
}

static int load_range(loader *l, json_t *range, tpt_item *item)
{
    static const char *const keys[] = {"min", "max", "anchors", NULL};
    tpt__validator *v = &l->v;
    json_t *anchors;
    int rc;
    if (!json_is_object(range)) return tpt__invalid(v, "\"range\" must be an object");
    if ((rc = tpt__only_keys(v, range, keys)) ||
        (rc = get_number(v, range, "min", true, &item->min)) ||
        (rc = get_number(v, range, "max", true, &item->max)))
        return rc;
    if (item->max <= item->min) {
        tpt__path_key(v, "max");
        return tpt__invalid(v, "\"max\" must be above \"min\"");
    }
    if ((rc = tpt__get_array(v, range, "anchors", false, &anchors))) return rc;
    if (anchors) {
        tpt__path_key(v, "anchors");
        if ((rc = load_options(v, l->in->arena, anchors, true, true, item->min, item->max,
                               TEXT_REQUIRED, &item->anchors, &item->nanchors)))
            return rc;
        tpt__path_pop(v);
    }
    return 0;
}

static int load_choice(loader *l, json_t *options, tpt_item *item)
{
    tpt__validator *v = &l->v;
    int rc;
    if (json_array_size(options) < 2) return tpt__invalid(v, "a choice needs at least 2 answers");
    if ((rc = load_options(v, l->in->arena, options, true, false, 0, 0, TEXT_NULL_OK,
                           &item->options, &item->noptions)))
        return rc;
    if (!(item->values = alloc(l, item->noptions, sizeof *item->values))) return NOMEM(l);
    item->nvalues = item->noptions;
    item->min = item->max = item->options[0].value;
    for (size_t i = 0; i < item->noptions; i++) {
        item->values[i] = item->options[i].value;
        item->min = fmin(item->min, item->values[i]);
        item->max = fmax(item->max, item->values[i]);
    }
    return 0;
}

static int load_items(loader *l, json_t *root)
{
    static const char *const keys[] = {"id", "text", "options", "range", "named", NULL};
    tpt__validator *v = &l->v;
    tpt_instrument *in = l->in;
    json_t *items;
    int rc;
    if ((rc = tpt__get_array(v, root, "items", true, &items))) return rc;
    tpt__path_key(v, "items");
    in->nitems = json_array_size(items);
    if (in->nitems == 0 || in->nitems > TPT_INSTRUMENT_MAX_ITEMS)
        return tpt__invalid(v, "an instrument has 1 to %d items", TPT_INSTRUMENT_MAX_ITEMS);
    if (!(in->items = alloc(l, in->nitems, sizeof *in->items))) return NOMEM(l);
    for (size_t i = 0; i < in->nitems; i++) {
        json_t *obj = json_array_get(items, i), *options, *range;
        tpt_item *item = &in->items[i];
        const char *id, *text;
        tpt__path_index(v, i);
        if (!json_is_object(obj)) return tpt__invalid(v, "an item must be an object");
        if ((rc = tpt__only_keys(v, obj, keys)) || (rc = get_id(v, obj, "id", &id)) ||
            (rc = get_text_or_null(v, obj, "text", &text)) || (rc = copy(l, id, &item->id)) ||
            (rc = copy(l, text, &item->text)) ||
            (rc = tpt__get_array(v, obj, "options", false, &options)))
            return rc;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(in->items[j].id, id) == 0) {
                tpt__path_key(v, "id");
                return tpt__invalid(v, "item \"%s\" is defined twice", id);
            }
        }
        json_t *named = json_object_get(obj, "named");
        if (named && !json_is_boolean(named)) {
            tpt__path_key(v, "named");
            return tpt__invalid(v, "\"named\" is true or false");
        }
        item->named = json_is_true(named);
        range = json_object_get(obj, "range");
        if (!options == !range)
            return tpt__invalid(v, "an item has either \"options\" (a choice) or \"range\"");
        tpt__path_key(v, options ? "options" : "range");
        item->is_range = range != NULL;
        if ((rc = range ? load_range(l, range, item) : load_choice(l, options, item))) return rc;
        tpt__path_pop(v);
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    return 0;
}

/* Licensed text never ships: a definition whose licence leaves the text to
 * the clinic must have none, and one that ships text must have all of it. */
static int check_text(loader *l)
{
    tpt__validator *v = &l->v;
    const tpt_instrument *in = l->in;
    bool clinic = in->licence.text_from_clinic;
    const char *why = clinic ? "must be null: this instrument's text comes from the clinic "
                               "(licence \"item_text\": \"clinic\")"
                             : "is needed: the instrument ships its text "
                               "(licence \"item_text\": \"shipped\")";
    tpt__path_key(v, "items");
    for (size_t i = 0; i < in->nitems; i++) {
        const tpt_item *item = &in->items[i];
        tpt__path_index(v, i);
        if ((item->text != NULL) == clinic) {
            tpt__path_key(v, "text");
            return tpt__invalid(v, "the text of item \"%s\" %s", item->id, why);
        }
        for (size_t k = 0; k < item->noptions; k++) {
            if ((item->options[k].text != NULL) == clinic) {
                tpt__path_key(v, "options");
                tpt__path_index(v, k);
                tpt__path_key(v, "text");
                return tpt__invalid(v, "the text of an answer of item \"%s\" %s", item->id, why);
            }
        }
        if (clinic && item->nanchors) {
            tpt__path_key(v, "range");
            tpt__path_key(v, "anchors");
            return tpt__invalid(v,
                                "item \"%s\" must have no anchors: this instrument's text "
                                "comes from the clinic",
                                item->id);
        }
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    return 0;
}

static int load_licence(loader *l, json_t *root)
{
    static const char *const keys[] = {"notice", "terms", "item_text", "source", NULL};
    tpt__validator *v = &l->v;
    tpt_instrument *in = l->in;
    json_t *licence;
    const char *notice, *terms, *item_text;
    int rc;
    if ((rc = tpt__get_object(v, root, "licence", true, &licence))) return rc;
    tpt__path_key(v, "licence");
    if ((rc = tpt__only_keys(v, licence, keys)) ||
        (rc = get_text_or_null(v, licence, "notice", &notice)) ||
        (rc = tpt__get_string(v, licence, "terms", true, &terms)) ||
        (rc = tpt__get_string(v, licence, "item_text", true, &item_text)) ||
        (rc = copy(l, notice, &in->licence.notice)) || (rc = copy(l, terms, &in->licence.terms)))
        return rc;
    if (strcmp(item_text, "clinic") != 0 && strcmp(item_text, "shipped") != 0) {
        tpt__path_key(v, "item_text");
        return tpt__invalid(v, "\"item_text\" must be \"shipped\" or \"clinic\"");
    }
    in->licence.text_from_clinic = strcmp(item_text, "clinic") == 0;
    if ((rc = load_source(l, licence, &in->licence.source))) return rc;
    tpt__path_pop(v);
    return check_text(l);
}

static int load_subscale(loader *l, json_t *score)
{
    static const char *const keys[] = {"items", "source", NULL};
    tpt__validator *v = &l->v;
    tpt_instrument *in = l->in;
    json_t *sub, *items;
    int rc;
    if ((rc = tpt__get_object(v, score, "subscale", true, &sub))) return rc;
    tpt__path_key(v, "subscale");
    if ((rc = tpt__only_keys(v, sub, keys)) ||
        (rc = tpt__get_array(v, sub, "items", true, &items)) ||
        (rc = load_source(l, sub, &in->subscale_source)))
        return rc;
    tpt__path_key(v, "items");
    in->nsubscale = json_array_size(items);
    if (in->nsubscale == 0 || in->nsubscale > in->nitems)
        return tpt__invalid(v, "the subscale needs 1 to %zu of the items", in->nitems);
    if (!(in->subscale = alloc(l, in->nsubscale, sizeof *in->subscale))) return NOMEM(l);
    for (size_t i = 0; i < in->nsubscale; i++) {
        const char *id = json_string_value(json_array_get(items, i));
        tpt__path_index(v, i);
        int k = id ? tpt_instrument_item(in, id) : -1;
        if (k < 0) return tpt__invalid(v, "expected the id of an item of this instrument");
        for (size_t j = 0; j < i; j++) {
            if (in->subscale[j] == (size_t)k)
                return tpt__invalid(v, "item \"%s\" is in the subscale twice", id);
        }
        in->subscale[i] = (size_t)k;
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    tpt__path_pop(v);
    return 0;
}

/* The score's range must be the one the rule gives the items: a data file
 * cannot claim 0-24 for items that add up to 18. */
static int check_range(loader *l)
{
    tpt__validator *v = &l->v;
    tpt_instrument *in = l->in;
    double lo = 0, hi = 0;
    switch (in->rule) {
    case TPT_RULE_SINGLE:
        if (in->nitems != 1) {
            tpt__path_key(v, "rule");
            return tpt__invalid(v, "rule \"single\" needs exactly one item, not %zu", in->nitems);
        }
        lo = in->items[0].min;
        hi = in->items[0].max;
        break;
    case TPT_RULE_SUM:
    case TPT_RULE_START_BACK:
        for (size_t i = 0; i < in->nitems; i++) {
            lo += in->items[i].min;
            hi += in->items[i].max;
        }
        break;
    case TPT_RULE_MEAN:
        lo = in->items[0].min;
        hi = in->items[0].max;
        for (size_t i = 1; i < in->nitems; i++) {
            if (in->items[i].min != lo || in->items[i].max != hi) {
                tpt__path_key(v, "rule");
                return tpt__invalid(v,
                                    "rule \"mean\" needs items of one range; item \"%s\" "
                                    "differs from the first",
                                    in->items[i].id);
            }
        }
        break;
    case TPT_RULE_PERCENT_OF_ANSWERED:
        for (size_t i = 0; i < in->nitems; i++) {
            if (in->items[i].min != 0 || in->items[i].max <= 0) {
                tpt__path_key(v, "rule");
                return tpt__invalid(v,
                                    "rule \"percent-of-answered\" needs items scored from 0 "
                                    "up; item \"%s\" is not",
                                    in->items[i].id);
            }
        }
        hi = 100;
        break;
    default:
        break;
    }
    if (in->min != lo || in->max != hi) {
        tpt__path_key(v, in->min != lo ? "min" : "max");
        return tpt__invalid(v, "the score runs %g to %g by its rule and items, not %g to %g", lo,
                            hi, in->min, in->max);
    }
    return 0;
}

static int load_score(loader *l, json_t *root)
{
    static const char *const keys[] = {"rule",     "min",     "max",
                                       "higher",   "source",  "min_answered",
                                       "subscale", "low_max", "high_subscale_min",
                                       NULL};
    tpt__validator *v = &l->v;
    tpt_instrument *in = l->in;
    json_t *score;
    const char *rule, *higher;
    int rc;
    if ((rc = tpt__get_object(v, root, "score", true, &score))) return rc;
    tpt__path_key(v, "score");
    if ((rc = tpt__only_keys(v, score, keys)) ||
        (rc = tpt__get_string(v, score, "rule", true, &rule)))
        return rc;
    int r = 0;
    while (rule_names[r] && strcmp(rule_names[r], rule) != 0)
        r++;
    if (!rule_names[r]) {
        tpt__path_key(v, "rule");
        return tpt__invalid(v,
                            "unknown rule \"%s\" (sum, percent-of-answered, mean, single, "
                            "start-back)",
                            rule);
    }
    in->rule = (tpt_score_rule)r;
    if ((rc = get_number(v, score, "min", false, &in->min)) ||
        (rc = get_number(v, score, "max", false, &in->max)) || (rc = check_range(l)) ||
        (rc = tpt__get_string(v, score, "higher", true, &higher)))
        return rc;
    if (strcmp(higher, "worse") != 0 && strcmp(higher, "better") != 0) {
        tpt__path_key(v, "higher");
        return tpt__invalid(v, "\"higher\" must be \"worse\" or \"better\"");
    }
    in->higher_is_worse = strcmp(higher, "worse") == 0;
    tpt__range answered = {1, (double)in->nitems, false, false};
    if ((rc = tpt__load_number(v, in->arena, &in->sources, score, "min_answered", answered,
                               &in->min_answered)))
        return rc;
    if (!is_whole(in->min_answered.value)) {
        tpt__path_key(v, "min_answered");
        tpt__path_key(v, "value");
        return tpt__invalid(v, "\"min_answered\" must be a whole number of items");
    }
    if (in->rule == TPT_RULE_START_BACK) {
        tpt__range total = {in->min, in->max, false, false};
        if ((rc = load_subscale(l, score)) ||
            (rc = tpt__load_number(v, in->arena, &in->sources, score, "low_max", total,
                                   &in->low_max)))
            return rc;
        double sub = 0;
        for (size_t i = 0; i < in->nsubscale; i++)
            sub += in->items[in->subscale[i]].max;
        tpt__range subscale = {0, sub, false, false};
        if ((rc = tpt__load_number(v, in->arena, &in->sources, score, "high_subscale_min", subscale,
                                   &in->high_subscale_min)))
            return rc;
    } else {
        static const char *const only_start_back[] = {"subscale", "low_max", "high_subscale_min"};
        for (size_t i = 0; i < 3; i++) {
            if (json_object_get(score, only_start_back[i])) {
                tpt__path_key(v, only_start_back[i]);
                return tpt__invalid(v, "\"%s\" belongs to rule \"start-back\" only",
                                    only_start_back[i]);
            }
        }
    }
    if ((rc = load_source(l, score, &in->rule_source))) return rc;
    tpt__path_pop(v);
    return 0;
}

static int load_mcid(loader *l, json_t *root)
{
    static const char *const keys[] = {"points", "percent", NULL};
    tpt__validator *v = &l->v;
    tpt_instrument *in = l->in;
    json_t *mcid;
    int rc;
    if ((rc = tpt__get_object(v, root, "mcid", true, &mcid))) return rc;
    tpt__path_key(v, "mcid");
    tpt__range points = {0, in->max - in->min, true, false}, percent = {0, 100, true, false};
    if ((rc = tpt__only_keys(v, mcid, keys)) ||
        (rc = load_maybe(l, mcid, "points", points, &in->mcid_points)) ||
        (rc = load_maybe(l, mcid, "percent", percent, &in->mcid_percent)))
        return rc;
    tpt__path_pop(v);
    return 0;
}

static int load_bands(loader *l, json_t *root)
{
    static const char *const keys[] = {"list", "source", NULL};
    static const char *const band_keys[] = {"id", "label", "max", NULL};
    tpt__validator *v = &l->v;
    tpt_instrument *in = l->in;
    bool groups = in->rule == TPT_RULE_START_BACK;
    json_t *bands, *list;
    int rc;
    if ((rc = tpt__get_object(v, root, "bands", groups, &bands))) return rc;
    if (!bands) return 0;
    tpt__path_key(v, "bands");
    if ((rc = tpt__only_keys(v, bands, keys)) ||
        (rc = tpt__get_array(v, bands, "list", true, &list)) ||
        (rc = load_source(l, bands, &in->bands_source)))
        return rc;
    tpt__path_key(v, "list");
    in->nbands = json_array_size(list);
    if (groups && in->nbands != GROUP_COUNT)
        return tpt__invalid(v, "rule \"start-back\" names three groups: low, medium, high");
    if (in->nbands == 0 || in->nbands > 16) return tpt__invalid(v, "expected 1 to 16 bands");
    if (!(in->bands = alloc(l, in->nbands, sizeof *in->bands))) return NOMEM(l);
    for (size_t i = 0; i < in->nbands; i++) {
        json_t *obj = json_array_get(list, i);
        tpt_band *b = &in->bands[i];
        const char *id, *label;
        tpt__path_index(v, i);
        if (!json_is_object(obj)) return tpt__invalid(v, "a band must be an object");
        if ((rc = tpt__only_keys(v, obj, band_keys)) || (rc = get_id(v, obj, "id", &id)) ||
            (rc = tpt__get_string(v, obj, "label", true, &label)) || (rc = copy(l, id, &b->id)) ||
            (rc = copy(l, label, &b->label)))
            return rc;
        if (groups) {
            if (strcmp(id, group_ids[i]) != 0) {
                tpt__path_key(v, "id");
                return tpt__invalid(v, "expected group \"%s\" here (low, medium, high)",
                                    group_ids[i]);
            }
            if (json_object_get(obj, "max")) {
                tpt__path_key(v, "max");
                return tpt__invalid(v, "the rule places people in groups: no \"max\"");
            }
        } else {
            if ((rc = get_number(v, obj, "max", false, &b->max))) return rc;
            b->has_max = true;
            double floor_ = i ? in->bands[i - 1].max : in->min;
            if (b->max <= floor_ || b->max > in->max) {
                tpt__path_key(v, "max");
                return tpt__invalid(v, "\"max\" must be above %g and at most %g", floor_, in->max);
            }
            if (i + 1 == in->nbands && b->max != in->max) {
                tpt__path_key(v, "max");
                return tpt__invalid(v, "the last band must end at the score's max, %g", in->max);
            }
            for (size_t j = 0; j < i; j++) {
                if (strcmp(in->bands[j].id, id) == 0) {
                    tpt__path_key(v, "id");
                    return tpt__invalid(v, "band \"%s\" is defined twice", id);
                }
            }
        }
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    tpt__path_pop(v);
    return 0;
}

static int load_instrument(loader *l, json_t *root)
{
    static const char *const keys[] = {
        "format",  "version", "sources", "id",    "name",  "instrument_version", "about", "source",
        "licence", "score",   "mcid",    "bands", "items", "translations",       NULL};
    tpt__validator *v = &l->v;
    tpt_instrument *in = l->in;
    const char *format, *id, *name, *version, *about;
    int rc;
    if (!json_is_object(root)) return tpt__invalid(v, "an instrument must be a JSON object");
    if ((rc = tpt__only_keys(v, root, keys)) ||
        (rc = tpt__get_string(v, root, "format", true, &format)))
        return rc;
    if (strcmp(format, "tpt-instrument") != 0) {
        tpt__path_key(v, "format");
        return tpt__invalid(v, "\"format\" must be \"tpt-instrument\"");
    }
    json_t *fv = json_object_get(root, "version");
    if (!json_is_integer(fv) || json_integer_value(fv) != 1) {
        tpt__path_key(v, "version");
        return tpt__invalid(v, "this tpt reads instrument files version 1");
    }
    if ((rc = tpt__load_sources(v, in->arena, root, &in->sources)) ||
        (rc = get_id(v, root, "id", &id)) || (rc = tpt__get_string(v, root, "name", true, &name)) ||
        (rc = tpt__get_string(v, root, "instrument_version", true, &version)) ||
        (rc = tpt__get_string(v, root, "about", true, &about)) || (rc = copy(l, id, &in->id)) ||
        (rc = copy(l, name, &in->name)) || (rc = copy(l, version, &in->version)) ||
        (rc = copy(l, about, &in->about)) || (rc = load_source(l, root, &in->source)) ||
        (rc = load_items(l, root)) || (rc = load_licence(l, root)) || (rc = load_score(l, root)) ||
        (rc = load_mcid(l, root)) || (rc = load_bands(l, root)))
        return rc;
    return 0;
}

static void instrument_free(tpt_instrument *in)
{
    if (!in) return;
    tpt__arena_free(in->arena);
    free(in);
}

tpt_instruments *tpt_instruments_new(tpt_error *err)
{
    tpt_instruments *set = calloc(1, sizeof *set);
    if (!set) tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
    return set;
}

void tpt_instruments_free(tpt_instruments *set)
{
    if (!set) return;
    for (size_t i = 0; i < set->count; i++)
        instrument_free(set->items[i]);
    free(set);
}

int tpt_instruments_add(tpt_instruments *set, const char *json, size_t len, const char *name,
                        tpt_error *err)
{
    if (len > TPT_INSTRUMENT_FILE_MAX)
        return tpt__fail(err, TPT_ERR_DATA, "%s is larger than %u bytes", name,
                         TPT_INSTRUMENT_FILE_MAX);
    loader l = {.v = {.name = name, .text = json, .len = len, .err = err}};
    if (!(l.in = calloc(1, sizeof *l.in)) || !(l.in->arena = tpt__arena_new())) {
        free(l.in);
        return tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
    }
    json_t *root = tpt__parse_json(&l.v);
    int rc = root ? load_instrument(&l, root) : TPT_ERR_DATA;
    if (rc == 0 && tpt_instrument_find(set, l.in->id)) {
        l.v.depth = 0;
        tpt__path_key(&l.v, "id");
        rc = tpt__invalid(&l.v, "instrument \"%s\" is already defined", l.in->id);
    }
    if (rc == 0 && set->count == TPT_INSTRUMENTS_MAX) {
        rc = tpt__fail(err, TPT_ERR_DATA, "%s: at most %d instruments", name, TPT_INSTRUMENTS_MAX);
    }
    json_decref(root);
    if (rc) {
        instrument_free(l.in);
        return rc;
    }
    set->items[set->count++] = l.in;
    return 0;
}

/* The default instruments, embedded at build time (tools/embed.c; internal.h). */

tpt_instruments *tpt_instruments_default(tpt_error *err)
{
    const struct {
        const unsigned char *text;
        size_t len;
        const char *name;
    } files[] = {
        {tpt__data_instrument_nrs_leg, tpt__data_instrument_nrs_leg_len,
         "data/instruments/nrs-leg.json"},
        {tpt__data_instrument_nrs_back, tpt__data_instrument_nrs_back_len,
         "data/instruments/nrs-back.json"},
        {tpt__data_instrument_odi, tpt__data_instrument_odi_len, "data/instruments/odi.json"},
        {tpt__data_instrument_rmdq, tpt__data_instrument_rmdq_len, "data/instruments/rmdq.json"},
        {tpt__data_instrument_sbi, tpt__data_instrument_sbi_len, "data/instruments/sbi.json"},
        {tpt__data_instrument_psfs, tpt__data_instrument_psfs_len, "data/instruments/psfs.json"},
        {tpt__data_instrument_start_back, tpt__data_instrument_start_back_len,
         "data/instruments/start-back.json"},
    };
    tpt_instruments *set = tpt_instruments_new(err);
    for (size_t i = 0; set && i < sizeof files / sizeof *files; i++) {
        if (tpt_instruments_add(set, (const char *)files[i].text, files[i].len, files[i].name,
                                err) != 0) {
            tpt_instruments_free(set);
            set = NULL;
        }
    }
    return set;
}

const tpt_instrument *tpt_instrument_find(const tpt_instruments *set, const char *id)
{
    for (size_t i = 0; set && id && i < set->count; i++) {
        if (strcmp(set->items[i]->id, id) == 0) return set->items[i];
    }
    return NULL;
}

int tpt_instrument_item(const tpt_instrument *in, const char *id)
{
    for (size_t i = 0; id && i < in->nitems; i++) {
        if (strcmp(in->items[i].id, id) == 0) return (int)i;
    }
    return -1;
}

int tpt_instrument_check_name(const tpt_instrument *in, const char *item, const char *name,
                              tpt_error *err)
{
    int k = tpt_instrument_item(in, item);
    if (k < 0) return tpt__fail(err, TPT_ERR_INPUT, "%s has no item \"%s\"", in->id, item);
    if (!in->items[k].named)
        return tpt__fail(err, TPT_ERR_INPUT, "item \"%s\" of %s takes no name", item, in->id);
    size_t len = strlen(name);
    if (len == 0 || len > TPT_ITEM_NAME_MAX)
        return tpt__fail(err, TPT_ERR_INPUT, "the name of \"%s\" is 1 to %d characters", item,
                         TPT_ITEM_NAME_MAX);
    json_t *utf8 = json_stringn(name, len); /* NULL unless UTF-8 */
    json_decref(utf8);
    if (!utf8) return tpt__fail(err, TPT_ERR_INPUT, "the name of \"%s\" is not UTF-8 text", item);
    if (name[0] == ' ' || name[len - 1] == ' ')
        return tpt__fail(err, TPT_ERR_INPUT, "the name of \"%s\" starts or ends with a space",
                         item);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f)
            return tpt__fail(err, TPT_ERR_INPUT, "the name of \"%s\" has a control character",
                             item);
    }
    return 0;
}

/* ---- a clinic's item text ----
 * Checked whole before anything changes (first pass), then copied into the
 * instrument (second pass), so that a refused file leaves the text as it was. */

static bool has_value(const tpt_item *item, double value)
{
    for (size_t k = 0; k < item->nvalues; k++) {
        if (item->values[k] == value) return true;
    }
    return false;
}

/* One item of the file against the definition's item. On success the new
 * text, answers and anchors are in *out (allocated in `arena`). */
static int text_item(tpt__validator *v, tpt__arena *arena, const tpt_instrument *in, size_t i,
                     json_t *obj, tpt_item *out)
{
    static const char *const keys[] = {"id", "text", "options", "anchors", NULL};
    const tpt_item *item = &in->items[i];
    json_t *list;
    const char *id, *text;
    int rc;
    if (!json_is_object(obj)) return tpt__invalid(v, "an item must be an object");
    if ((rc = tpt__only_keys(v, obj, keys)) || (rc = tpt__get_string(v, obj, "id", true, &id)))
        return rc;
    if (strcmp(id, item->id) != 0) {
        tpt__path_key(v, "id");
        if (tpt_instrument_item(in, id) < 0)
            return tpt__invalid(v, "%s has no item \"%s\"", in->id, id);
        return tpt__invalid(v, "expected item \"%s\" here: give the items in the order of %s",
                            item->id, in->id);
    }
    if ((rc = tpt__get_string(v, obj, "text", true, &text))) return rc;
    *out = *item;
    if (!(out->text = tpt__arena_strdup(arena, text)))
        return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    out->options = NULL;
    out->noptions = 0;
    out->anchors = NULL;
    out->nanchors = 0;
    const char *member = item->is_range ? "anchors" : "options";
    const char *other = item->is_range ? "options" : "anchors";
    if (json_object_get(obj, other)) {
        tpt__path_key(v, other);
        return tpt__invalid(v, "item \"%s\" is %s: it takes %s, not \"%s\"", item->id,
                            item->is_range ? "a number in a range" : "a choice",
                            item->is_range ? "\"anchors\" if any" : "\"options\"", other);
    }
    if ((rc = tpt__get_array(v, obj, member, !item->is_range, &list))) return rc;
    if (!list) return 0;
    tpt__path_key(v, member);
    if (item->is_range) {
        rc = load_options(v, arena, list, true, true, item->min, item->max, TEXT_REQUIRED,
                          &out->anchors, &out->nanchors);
        if (rc) return rc;
        tpt__path_pop(v);
        return 0;
    }
    if (json_array_size(list) == 0) return tpt__invalid(v, "a choice needs its answers");
    if ((rc = load_options(v, arena, list, false, false, 0, 0, TEXT_REQUIRED, &out->options,
                           &out->noptions)))
        return rc;
    for (size_t k = 0; k < out->noptions; k++) {
        if (!has_value(item, out->options[k].value)) {
            tpt__path_index(v, k);
            tpt__path_key(v, "value");
            return tpt__invalid(v, "item \"%s\" of %s scores no answer %g", item->id, in->id,
                                out->options[k].value);
        }
    }
    for (size_t k = 0; k < item->nvalues; k++) {
        bool offered = false;
        for (size_t j = 0; j < out->noptions; j++)
            offered = offered || out->options[j].value == item->values[k];
        if (!offered)
            return tpt__invalid(v, "no answer of item \"%s\" has the value %g", item->id,
                                item->values[k]);
    }
    tpt__path_pop(v);
    return 0;
}

static int text_file(tpt__validator *v, tpt__arena *arena, tpt_instruments *set, json_t *root,
                     tpt_instrument **target, tpt_item **items, const char **licence)
{
    static const char *const keys[] = {"format",  "version", "instrument", "instrument_version",
                                       "licence", "items",   NULL};
    const char *format, *id, *version;
    json_t *list;
    int rc;
    if (!json_is_object(root)) return tpt__invalid(v, "an item-text file must be a JSON object");
    if ((rc = tpt__only_keys(v, root, keys)) ||
        (rc = tpt__get_string(v, root, "format", true, &format)))
        return rc;
    if (strcmp(format, "tpt-instrument-text") != 0) {
        tpt__path_key(v, "format");
        return tpt__invalid(v, "\"format\" must be \"tpt-instrument-text\"");
    }
    json_t *fv = json_object_get(root, "version");
    if (!json_is_integer(fv) || json_integer_value(fv) != 1) {
        tpt__path_key(v, "version");
        return tpt__invalid(v, "this tpt reads item-text files version 1");
    }
    if ((rc = tpt__get_string(v, root, "instrument", true, &id))) return rc;
    tpt_instrument *in = NULL;
    for (size_t i = 0; i < set->count; i++) {
        if (strcmp(set->items[i]->id, id) == 0) in = set->items[i];
    }
    if (!in) {
        tpt__path_key(v, "instrument");
        return tpt__invalid(v, "unknown instrument \"%s\"", id);
    }
    if ((rc = tpt__get_string(v, root, "instrument_version", true, &version))) return rc;
    if (strcmp(version, in->version) != 0) {
        tpt__path_key(v, "instrument_version");
        return tpt__invalid(v, "this text is for %s version \"%s\"; tpt scores version \"%s\"",
                            in->id, version, in->version);
    }
    if ((rc = tpt__get_string(v, root, "licence", false, licence)) ||
        (rc = tpt__get_array(v, root, "items", true, &list)))
        return rc;
    tpt__path_key(v, "items");
    size_t n = json_array_size(list);
    if (!(*items = tpt__arena_alloc(arena, in->nitems * sizeof **items)))
        return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n && i < in->nitems; i++) {
        tpt__path_index(v, i);
        if ((rc = text_item(v, arena, in, i, json_array_get(list, i), &(*items)[i]))) return rc;
        tpt__path_pop(v);
    }
    if (n != in->nitems) {
        if (n > in->nitems) tpt__path_index(v, in->nitems);
        return tpt__invalid(v, "%s has %zu items; this file gives %zu", in->id, in->nitems, n);
    }
    tpt__path_pop(v);
    *target = in;
    return 0;
}

/* A deep copy of text that lives in a temporary arena into the instrument's. */
static const char *keep(tpt_instrument *in, const char *s, bool *failed)
{
    const char *copy = s ? tpt__arena_strdup(in->arena, s) : NULL;
    if (s && !copy) *failed = true;
    return copy;
}

static tpt_option *keep_options(tpt_instrument *in, const tpt_option *o, size_t n, bool *failed)
{
    if (n == 0) return NULL;
    tpt_option *copy = tpt__arena_alloc(in->arena, n * sizeof *copy);
    if (!copy) {
        *failed = true;
        return NULL;
    }
    for (size_t k = 0; k < n; k++)
        copy[k] = (tpt_option){o[k].value, keep(in, o[k].text, failed)};
    return copy;
}

int tpt_instruments_add_text(tpt_instruments *set, const char *json, size_t len, const char *name,
                             tpt_error *err)
{
    if (len > TPT_INSTRUMENT_FILE_MAX)
        return tpt__fail(err, TPT_ERR_DATA, "%s is larger than %u bytes", name,
                         TPT_INSTRUMENT_FILE_MAX);
    tpt__validator v = {.name = name, .text = json, .len = len, .err = err};
    tpt__arena *scratch = tpt__arena_new();
    if (!scratch) return tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
    json_t *root = tpt__parse_json(&v);
    tpt_instrument *in = NULL;
    tpt_item *items = NULL;
    const char *licence = NULL;
    int rc = root ? text_file(&v, scratch, set, root, &in, &items, &licence) : TPT_ERR_DATA;
    if (rc == 0) {
        /* Copy everything first, then switch: out of memory half way leaves
         * the old text in place. */
        bool failed = false;
        tpt_item *kept = tpt__arena_alloc(in->arena, in->nitems * sizeof *kept);
        failed = !kept;
        for (size_t i = 0; !failed && i < in->nitems; i++) {
            kept[i] = items[i];
            kept[i].text = keep(in, items[i].text, &failed);
            kept[i].options = keep_options(in, items[i].options, items[i].noptions, &failed);
            kept[i].anchors = keep_options(in, items[i].anchors, items[i].nanchors, &failed);
        }
        const char *file = keep(in, name, &failed), *lic = keep(in, licence, &failed);
        if (failed) {
            rc = tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
        } else {
            in->items = kept;
            in->text_file = file;
            in->text_licence = lic;
        }
    }
    json_decref(root);
    tpt__arena_free(scratch);
    return rc;
}

/* ---- scoring ---- */

/* Item ids in messages come from the caller: shown cut and without controls. */
static void printable(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; s && *s && n + 1 < size; s++)
        out[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
    out[n] = '\0';
}

static void list_values(const tpt_item *item, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t k = 0; k < item->nvalues && used < size; k++) {
        int w = snprintf(out + used, size - used, "%s%g", k ? ", " : "", item->values[k]);
        if (w < 0) break;
        used += (size_t)w;
    }
}

static int refuse_value(const tpt_instrument *in, const tpt_item *item, double value,
                        tpt_error *err)
{
    if (!is_whole(value))
        return tpt__fail(err, TPT_ERR_INPUT, "item \"%s\" of %s: %g is not a whole number",
                         item->id, in->id, value);
    if (item->is_range)
        return tpt__fail(err, TPT_ERR_INPUT, "item \"%s\" of %s: %g is outside its range, %g to %g",
                         item->id, in->id, value, item->min, item->max);
    char values[128];
    list_values(item, values, sizeof values);
    return tpt__fail(err, TPT_ERR_INPUT, "item \"%s\" of %s: %g is not one of its answers (%s)",
                     item->id, in->id, value, values);
}

static int too_few(const tpt_instrument *in, const bool *seen, size_t answered, tpt_error *err)
{
    char missing[TPT_ERROR_MESSAGE_MAX / 2];
    size_t used = 0;
    missing[0] = '\0';
    for (size_t i = 0; i < in->nitems; i++) {
        if (seen[i]) continue;
        const char *sep = used ? ", " : "";
        size_t need = strlen(sep) + strlen(in->items[i].id);
        if (used + need + 5 >= sizeof missing) {
            memcpy(missing + used, ", ...", 6);
            break;
        }
        used +=
            (size_t)snprintf(missing + used, sizeof missing - used, "%s%s", sep, in->items[i].id);
    }
    return tpt__fail(err, TPT_ERR_INPUT,
                     "%s needs at least %g of its %zu items answered and has %zu; not answered: "
                     "%s",
                     in->id, in->min_answered.value, in->nitems, answered, missing);
}

static const tpt_band *band_of(const tpt_instrument *in, double score)
{
    for (size_t i = 0; i < in->nbands; i++) {
        if (in->bands[i].has_max && score <= in->bands[i].max + EPS) return &in->bands[i];
    }
    return NULL;
}

int tpt_instrument_score(const tpt_instrument *in, const tpt_item_answer *answers, size_t n,
                         tpt_score *out, tpt_error *err)
{
    bool seen[TPT_INSTRUMENT_MAX_ITEMS] = {false};
    double value[TPT_INSTRUMENT_MAX_ITEMS] = {0};
    memset(out, 0, sizeof *out);
    out->items = in->nitems;
    size_t answered = 0;
    for (size_t i = 0; i < n; i++) {
        char id[64];
        printable(answers[i].item, id, sizeof id);
        int k = answers[i].item ? tpt_instrument_item(in, answers[i].item) : -1;
        if (k < 0) return tpt__fail(err, TPT_ERR_INPUT, "%s has no item \"%s\"", in->id, id);
        const tpt_item *item = &in->items[k];
        if (seen[k])
            return tpt__fail(err, TPT_ERR_INPUT, "item \"%s\" of %s is answered twice", item->id,
                             in->id);
        double x = answers[i].value;
        bool ok =
            is_whole(x) && (item->is_range ? x >= item->min && x <= item->max : has_value(item, x));
        if (!ok) return refuse_value(in, item, x, err);
        seen[k] = true;
        value[k] = x;
        answered++;
    }
    out->answered = answered;
    if ((double)answered < in->min_answered.value) return too_few(in, seen, answered, err);

    double sum = 0, most = 0;
    for (size_t i = 0; i < in->nitems; i++) {
        if (!seen[i]) continue;
        sum += value[i];
        most += in->items[i].max;
    }
    out->sum = sum;
    switch (in->rule) {
    case TPT_RULE_PERCENT_OF_ANSWERED:
        /* multiply first: 900 / 45 is exactly 20, 9 / 45 * 100 is not */
        out->value = sum * 100 / most;
        break;
    case TPT_RULE_MEAN:
        out->value = sum / (double)answered;
        break;
    default:
        out->value = sum;
        break;
    }
    if (in->rule == TPT_RULE_START_BACK) {
        out->has_subscale = true;
        for (size_t i = 0; i < in->nsubscale; i++)
            out->subscale += value[in->subscale[i]];
        int group = out->value <= in->low_max.value + EPS                ? GROUP_LOW
                    : out->subscale >= in->high_subscale_min.value - EPS ? GROUP_HIGH
                                                                         : GROUP_MEDIUM;
        out->band = &in->bands[group];
    } else {
        out->band = band_of(in, out->value);
    }
    out->scored = true;
    return 0;
}

bool tpt_score_meaningful_change(const tpt_instrument *in, double baseline, double latest)
{
    double gain = in->higher_is_worse ? baseline - latest : latest - baseline;
    if (!(gain > 0)) return false;
    if (in->mcid_points.known && gain >= in->mcid_points.number.value - EPS) return true;
    if (in->mcid_percent.known) {
        double room = in->higher_is_worse ? baseline - in->min : in->max - baseline;
        /* gain / room >= percent / 100, without dividing */
        if (room > 0 && gain * 100 >= in->mcid_percent.number.value * room - EPS) return true;
    }
    return false;
}
