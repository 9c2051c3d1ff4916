#include <stdlib.h>
#include <string.h>

#include "tpt/progress.h"
#include "validate.h"

/* NULL-terminated, so that it is also the list of keys of "verdicts". */
static const char *const verdict_names[TPT_VERDICT_COUNT + 1] = {
    "too-early", "improving", "no-change", "worsening", "relapse", "stop", NULL};

const char *tpt_verdict_name(tpt_verdict verdict)
{
    return (unsigned)verdict < TPT_VERDICT_COUNT ? verdict_names[verdict] : "?";
}

/* ---- loading the rules ---- */

typedef struct loader {
    tpt__validator v;
    tpt_progress_rules *r;
} loader;

/* obj's `key`: an object with only `keys`, among them `field` (non-empty
 * text) and "source"; the object is left in *entry for further members. */
static int load_text(loader *l, json_t *obj, const char *key, const char *field,
                     const char *const *keys, tpt_sourced_text *out, json_t **entry)
{
    tpt__validator *v = &l->v;
    const char *text;
    int rc;
    if ((rc = tpt__get_object(v, obj, key, true, entry))) return rc;
    tpt__path_key(v, key);
    if ((rc = tpt__only_keys(v, *entry, keys)) ||
        (rc = tpt__get_string(v, *entry, field, true, &text)))
        return rc;
    if ((rc = tpt__copy(v, l->r->arena, text, &out->text)) ||
        (rc = tpt__load_source(v, l->r->arena, &l->r->sources, *entry, &out->source)))
        return rc;
    tpt__path_pop(v);
    return 0;
}

static int load_stop(loader *l, json_t *root)
{
    static const char *const keys[] = {"level", "source", NULL};
    tpt__validator *v = &l->v;
    json_t *stop;
    const char *level;
    int rc;
    if ((rc = tpt__get_object(v, root, "stop", true, &stop))) return rc;
    tpt__path_key(v, "stop");
    if ((rc = tpt__only_keys(v, stop, keys)) ||
        (rc = tpt__get_string(v, stop, "level", true, &level)))
        return rc;
    if (tpt_level_parse(level, &l->r->stop_level) != 0 || l->r->stop_level == TPT_LEVEL_NONE) {
        tpt__path_key(v, "level");
        return tpt__invalid(v, "\"level\" must be soon, urgent or emergency");
    }
    /* An emergency flag must always stop: the level may only be lowered. */
    if (l->r->stop_level > TPT_LEVEL_URGENT) {
        tpt__path_key(v, "level");
        return tpt__invalid(v, "\"level\" must be soon or urgent: urgent and emergency flags "
                               "always stop self-treatment");
    }
    if ((rc = tpt__load_source(v, l->r->arena, &l->r->sources, stop, &l->r->stop_source)))
        return rc;
    tpt__path_pop(v);
    return 0;
}

static int load_new_symptoms(loader *l, json_t *root)
{
    static const char *const keys[] = {"rule", "numb_kind", "screen_keys", "source", NULL};
    tpt__validator *v = &l->v;
    tpt_progress_rules *r = l->r;
    json_t *entry, *screen_keys;
    const char *kind;
    int rc;
    if ((rc = load_text(l, root, "new_symptoms", "rule", keys, &r->new_symptoms, &entry)))
        return rc;
    tpt__path_key(v, "new_symptoms");
    if ((rc = tpt__get_string(v, entry, "numb_kind", true, &kind)) ||
        (rc = tpt__copy(v, r->arena, kind, &r->numb_kind)) ||
        (rc = tpt__get_array(v, entry, "screen_keys", true, &screen_keys)))
        return rc;
    tpt__path_key(v, "screen_keys");
    if ((rc = tpt__load_strings(v, r->arena, screen_keys, &r->weakness_keys))) return rc;
    tpt__path_pop(v);
    tpt__path_pop(v);
    return 0;
}

static int load_verdicts(loader *l, json_t *root)
{
    static const char *const keys[] = {"sentence", "source", NULL};
    tpt__validator *v = &l->v;
    json_t *verdicts, *entry;
    int rc;
    if ((rc = tpt__get_object(v, root, "verdicts", true, &verdicts)) ||
        (rc = tpt__only_keys(v, verdicts, verdict_names)))
        return rc;
    tpt__path_key(v, "verdicts");
    for (int i = 0; i < TPT_VERDICT_COUNT; i++) {
        if ((rc = load_text(l, verdicts, verdict_names[i], "sentence", keys, &l->r->verdicts[i],
                            &entry)))
            return rc;
    }
    tpt__path_pop(v);
    return 0;
}

static int load_rules(loader *l, json_t *root)
{
    static const char *const keys[] = {
        "format",           "version",         "sources",      "mcid_points",  "mcid_percent",
        "worsening_points", "review_sessions", "review_weeks", "too_early",    "stop",
        "relapse",          "new_symptoms",    "verdicts",     "translations", NULL};
    static const char *const early_keys[] = {"ratings", "days", NULL};
    static const char *const relapse_keys[] = {"rule", "source", NULL};
    static const tpt__range points = {0, 10, true, false}, percent = {0, 100, true, false},
                            sessions = {1, 1000, false, false}, weeks = {0, 520, true, false},
                            ratings = {2, 1000, false, false}, days = {0, 3650, false, false};
    tpt__validator *v = &l->v;
    tpt_progress_rules *r = l->r;
    const char *format;
    json_t *early, *entry;
    int rc;
    if (!json_is_object(root)) return tpt__invalid(v, "the progress rules must be a JSON object");
    if ((rc = tpt__only_keys(v, root, keys)) ||
        (rc = tpt__get_string(v, root, "format", true, &format)))
        return rc;
    if (strcmp(format, "tpt-progress") != 0) {
        tpt__path_key(v, "format");
        return tpt__invalid(v, "\"format\" must be \"tpt-progress\"");
    }
    json_t *version = json_object_get(root, "version");
    if (!json_is_integer(version) || json_integer_value(version) != 1) {
        tpt__path_key(v, "version");
        return tpt__invalid(v, "this tpt reads progress rules version 1");
    }
    if ((rc = tpt__load_sources(v, r->arena, root, &r->sources)) ||
        (rc = tpt__load_number(v, r->arena, &r->sources, root, "mcid_points", points,
                               &r->mcid_points)) ||
        (rc = tpt__load_number(v, r->arena, &r->sources, root, "mcid_percent", percent,
                               &r->mcid_percent)) ||
        (rc = tpt__load_number(v, r->arena, &r->sources, root, "worsening_points", points,
                               &r->worsening_points)) ||
        (rc = tpt__load_number(v, r->arena, &r->sources, root, "review_sessions", sessions,
                               &r->review_sessions)) ||
        (rc = tpt__load_number(v, r->arena, &r->sources, root, "review_weeks", weeks,
                               &r->review_weeks)) ||
        (rc = tpt__get_object(v, root, "too_early", true, &early)))
        return rc;
    tpt__path_key(v, "too_early");
    if ((rc = tpt__only_keys(v, early, early_keys)) ||
        (rc = tpt__load_number(v, r->arena, &r->sources, early, "ratings", ratings,
                               &r->early_ratings)) ||
        (rc = tpt__load_number(v, r->arena, &r->sources, early, "days", days, &r->early_days)))
        return rc;
    tpt__path_pop(v);
    if ((rc = load_stop(l, root)) ||
        (rc = load_text(l, root, "relapse", "rule", relapse_keys, &r->relapse, &entry)) ||
        (rc = load_new_symptoms(l, root)) || (rc = load_verdicts(l, root)))
        return rc;
    return 0;
}

tpt_progress_rules *tpt_progress_rules_load(const char *json, size_t len, const char *name,
                                            tpt_error *err)
{
    loader l = {.v = {.name = name, .text = json, .len = len, .err = err}};
    l.r = calloc(1, sizeof *l.r);
    if (!l.r || !(l.r->arena = tpt__arena_new())) {
        free(l.r);
        tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    json_t *root = tpt__parse_json(&l.v);
    int rc = root ? load_rules(&l, root) : TPT_ERR_DATA;
    json_decref(root);
    if (rc) {
        tpt_progress_rules_free(l.r);
        return NULL;
    }
    return l.r;
}

tpt_progress_rules *tpt_progress_rules_default(tpt_error *err)
{
    return tpt_progress_rules_load((const char *)tpt__data_progress, tpt__data_progress_len,
                                   "data/progress.json", err);
}

void tpt_progress_rules_free(tpt_progress_rules *rules)
{
    if (!rules) return;
    tpt__arena_free(rules->arena);
    free(rules);
}

/* ---- evaluation ---- */

/* Ratings are whole numbers in the log but any value in the library, so
 * comparisons allow for rounding: exactly 2 points or exactly 30% counts. */
#define EPS 1e-9

bool tpt_progress_meaningful(const tpt_progress_rules *rules, double baseline, double latest)
{
    double fall = baseline - latest;
    if (fall <= 0) return false;
    if (fall >= rules->mcid_points.value - EPS) return true;
    /* fall / baseline >= percent / 100, without dividing */
    return fall * 100 >= rules->mcid_percent.value * baseline - EPS;
}

/* measure: 0 leg, 1 back */
static void judge(const tpt_progress_rules *rules, const tpt_progress_input *in, int measure,
                  tpt_pain_change *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < in->npain; i++) {
        const tpt_pain_point *p = &in->pain[i];
        double value = measure ? p->back : p->leg;
        if (value < 0) continue;
        /* The earliest is the baseline; of equal times, the first given. The
         * latest is the last given of the latest time. */
        if (out->count == 0 || p->time < out->baseline_time) {
            out->baseline = value;
            out->baseline_time = p->time;
        }
        if (out->count == 0 || p->time >= out->latest_time) {
            out->latest = value;
            out->latest_time = p->time;
        }
        if (out->count == 0 || value < out->best) out->best = value;
        out->count++;
    }
    if (out->count == 0) return;
    out->change_points = out->latest - out->baseline;
    out->has_percent = out->baseline > 0;
    if (out->has_percent) out->change_percent = out->change_points / out->baseline * 100;
    out->improved = tpt_progress_meaningful(rules, out->baseline, out->latest);
    out->improved_ever = tpt_progress_meaningful(rules, out->baseline, out->best);
    out->worsened = out->change_points >= rules->worsening_points.value - EPS;
    out->relapsed = out->improved_ever && !out->improved;
}

void tpt_progress_evaluate(const tpt_progress_rules *rules, const tpt_progress_input *in,
                           tpt_progress *out)
{
    memset(out, 0, sizeof *out);
    judge(rules, in, 0, &out->leg);
    judge(rules, in, 1, &out->back);
    out->nflags = in->nflags;
    out->flag_level = in->nflags ? in->flag_level : TPT_LEVEL_NONE;
    out->new_numbness = in->new_numbness;
    out->new_weakness = in->new_weakness;

    for (size_t i = 0; i < in->npain; i++) {
        const tpt_pain_point *p = &in->pain[i];
        if (p->leg < 0 && p->back < 0) continue;
        if (!out->started || p->time < out->start) out->start = p->time;
        out->started = true;
    }
    for (size_t i = 0; i < in->nsessions; i++) {
        const tpt_session_point *s = &in->sessions[i];
        if (!out->started || s->time < out->start) out->start = s->time;
        out->started = true;
        out->sessions++;
        out->sharp_sessions += s->sharp;
    }
    if (out->started && in->now > out->start) out->days = (long)((in->now - out->start) / 86400);

    /* A measure is judged on enough ratings only; the other one is shown but
     * neither improves nor relapses. */
    double ratings = rules->early_ratings.value;
    bool leg = (double)out->leg.count >= ratings, back = (double)out->back.count >= ratings;
    out->early = !(leg || back) || (double)out->days < rules->early_days.value;

    tpt_verdict v;
    if (out->nflags > 0 && out->flag_level >= rules->stop_level) {
        v = TPT_VERDICT_STOP;
        out->advice = in->flag_advice;
    } else if (in->new_numbness || in->new_weakness || out->leg.worsened || out->back.worsened) {
        v = TPT_VERDICT_WORSENING; /* at once: safety does not wait for enough days */
    } else if (out->early) {
        v = TPT_VERDICT_TOO_EARLY;
    } else if ((leg && out->leg.relapsed) || (back && out->back.relapsed)) {
        v = TPT_VERDICT_RELAPSE;
    } else if ((leg && out->leg.improved) || (back && out->back.improved)) {
        v = TPT_VERDICT_IMPROVING;
    } else if ((double)out->sessions >= rules->review_sessions.value - EPS ||
               (double)out->days >= rules->review_weeks.value * 7 - EPS) {
        v = TPT_VERDICT_NO_CHANGE;
    } else {
        v = TPT_VERDICT_TOO_EARLY;
    }
    out->verdict = v;
    out->sentence = rules->verdicts[v].text;
}
