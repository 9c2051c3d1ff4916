/* Rules of the red-flag screen: conditions over the answers, as data.
 *
 * A condition is read in three values, because a screen is often answered
 * in part: true, false, or open (it depends on an answer not given). A rule
 * is raised only when its condition is true; a serious rule left open keeps
 * the screen from clearing self-treatment. */
#include <string.h>

#include "screen_rules.h"

typedef enum cond_kind {
    COND_YES,        /* {"yes": KEY} */
    COND_NO,         /* {"no": KEY} */
    COND_UNANSWERED, /* {"unanswered": KEY}: no answer, or "not sure" where that is no yes */
    COND_AT_LEAST,   /* {"number": KEY, "at_least": {"value": N, "source": [...]}} */
    COND_BELOW,      /* {"number": KEY, "below": {"value": N, "source": [...]}} */
    COND_ALL,        /* {"all": [...]} */
    COND_ANY,        /* {"any": [...]} */
    COND_AT_LEAST_N  /* {"at_least": N, "of": [...]} */
} cond_kind;

struct tpt_condition {
    cond_kind kind;
    int question; /* the answer conditions and the numbers */
    tpt_number limit;
    size_t n, count; /* at least n of the count items */
    const struct tpt_condition **items;
    uint64_t reads;
};

typedef enum truth { FALSE = 0, OPEN, TRUE } truth;

#define MAX_NAMED 32
#define MAX_DEPTH 6 /* nesting of a condition, so that messages can still locate it */

typedef struct loader {
    tpt__validator *v;
    tpt_screen_def *def;
    size_t nnamed;
    const char *names[MAX_NAMED];
    const struct tpt_condition *named[MAX_NAMED];
} loader;

/* ---- loading ---- */

static int load_condition(loader *l, json_t *j, int depth, const struct tpt_condition **out);

/* j[field] names a question; `numeric` says whether it must be answered with
 * a number (1), yes or no (0), or either (-1). */
static int question_of(loader *l, json_t *j, const char *field, int numeric, int *out)
{
    tpt__validator *v = l->v;
    const char *key;
    int rc = tpt__get_string(v, j, field, true, &key);
    if (rc) return rc;
    tpt__path_key(v, field);
    if ((*out = tpt_screen_find(l->def, key)) < 0)
        return tpt__invalid(v, "no question has the key \"%s\"", key);
    bool is_number = l->def->questions[*out].type == TPT_QUESTION_INTEGER;
    if (numeric >= 0 && is_number != (numeric == 1))
        return tpt__invalid(v,
                            is_number ? "\"%s\" is answered with a number, not yes or no"
                                      : "\"%s\" is answered yes or no, not with a number",
                            key);
    tpt__path_pop(v);
    return 0;
}

static int load_list(loader *l, json_t *j, const char *field, int depth, struct tpt_condition *c)
{
    tpt__validator *v = l->v;
    json_t *list;
    int rc = tpt__get_array(v, j, field, true, &list);
    if (rc) return rc;
    tpt__path_key(v, field);
    c->count = json_array_size(list);
    if (c->count == 0) return tpt__invalid(v, "\"%s\" needs at least one condition", field);
    c->items = tpt__arena_alloc(l->def->arena, c->count * sizeof *c->items);
    if (!c->items) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < c->count; i++) {
        tpt__path_index(v, i);
        if ((rc = load_condition(l, json_array_get(list, i), depth + 1, &c->items[i]))) return rc;
        c->reads |= c->items[i]->reads;
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    return 0;
}

static int load_named(loader *l, json_t *j, const struct tpt_condition **out)
{
    tpt__validator *v = l->v;
    const char *name;
    int rc = tpt__get_string(v, j, "condition", true, &name);
    if (rc) return rc;
    for (size_t i = 0; i < l->nnamed; i++) {
        if (strcmp(l->names[i], name) == 0) return *out = l->named[i], 0;
    }
    tpt__path_key(v, "condition");
    return tpt__invalid(v, "no condition named \"%s\" is defined before this", name);
}

static int load_condition(loader *l, json_t *j, int depth, const struct tpt_condition **out)
{
    static const char *const keys[] = {"yes", "no",  "unanswered", "number",    "at_least", "below",
                                       "all", "any", "of",         "condition", NULL};
    tpt__validator *v = l->v;
    int rc;
    if (!json_is_object(j)) return tpt__invalid(v, "a condition must be an object");
    if (depth > MAX_DEPTH) return tpt__invalid(v, "conditions nest at most %d deep", MAX_DEPTH);
    if ((rc = tpt__only_keys(v, j, keys))) return rc;
    size_t fields = json_object_size(j);
#define HAS(f) (json_object_get(j, f) != NULL)
    if (fields == 1 && HAS("condition")) return load_named(l, j, out);
    struct tpt_condition *c = tpt__arena_alloc(l->def->arena, sizeof *c);
    if (!c) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    memset(c, 0, sizeof *c);
    *out = c;
    if (fields == 1 && HAS("yes")) {
        c->kind = COND_YES;
        rc = question_of(l, j, "yes", 0, &c->question);
    } else if (fields == 1 && HAS("no")) {
        c->kind = COND_NO;
        rc = question_of(l, j, "no", 0, &c->question);
    } else if (fields == 1 && HAS("unanswered")) {
        c->kind = COND_UNANSWERED;
        rc = question_of(l, j, "unanswered", -1, &c->question);
    } else if (fields == 2 && HAS("number") &&
               (HAS("below") || json_is_object(json_object_get(j, "at_least")))) {
        c->kind = HAS("below") ? COND_BELOW : COND_AT_LEAST;
        if ((rc = question_of(l, j, "number", 1, &c->question))) return rc;
        rc = tpt__load_number(v, l->def->arena, &l->def->sources, j,
                              c->kind == COND_BELOW ? "below" : "at_least",
                              (tpt__range){-1e9, 1e9, false, false}, &c->limit);
    } else if (fields == 1 && (HAS("all") || HAS("any"))) {
        c->kind = HAS("all") ? COND_ALL : COND_ANY;
        rc = load_list(l, j, c->kind == COND_ALL ? "all" : "any", depth, c);
    } else if (fields == 2 && HAS("at_least") && HAS("of")) {
        c->kind = COND_AT_LEAST_N;
        if ((rc = load_list(l, j, "of", depth, c))) return rc;
        json_t *n = json_object_get(j, "at_least");
        tpt__path_key(v, "at_least");
        if (!json_is_integer(n) || json_integer_value(n) < 1 ||
            (size_t)json_integer_value(n) > c->count)
            return tpt__invalid(v, "\"at_least\" must be a whole number from 1 to %zu", c->count);
        tpt__path_pop(v);
        c->n = (size_t)json_integer_value(n);
    } else {
        return tpt__invalid(v, "a condition is one of: {\"yes\": KEY}, {\"no\": KEY}, "
                               "{\"unanswered\": KEY}, {\"number\": KEY, \"at_least\" or "
                               "\"below\": {...}}, {\"all\": [...]}, {\"any\": [...]}, "
                               "{\"at_least\": N, \"of\": [...]}, {\"condition\": NAME}");
    }
#undef HAS
    if (!rc && c->kind <= COND_BELOW) c->reads = (uint64_t)1 << c->question;
    return rc;
}

static int load_conditions(loader *l, json_t *root)
{
    tpt__validator *v = l->v;
    json_t *conditions, *j;
    const char *name;
    int rc = tpt__get_object(v, root, "conditions", false, &conditions);
    if (rc || !conditions) return rc;
    tpt__path_key(v, "conditions");
    /* in file order, so that a condition can use those named before it */
    json_object_foreach(conditions, name, j)
    {
        tpt__path_key(v, name);
        if (l->nnamed == MAX_NAMED)
            return tpt__invalid(v, "at most %d named conditions", MAX_NAMED);
        if ((rc = tpt__copy(v, l->def->arena, name, &l->names[l->nnamed])) ||
            (rc = load_condition(l, j, 0, &l->named[l->nnamed])))
            return rc;
        l->nnamed++;
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    return 0;
}

static int load_rule(loader *l, json_t *j, tpt_screen_rule *out)
{
    static const char *const keys[] = {"id",       "level",   "reason", "advice", "when",
                                       "replaces", "lasting", "source", NULL};
    tpt__validator *v = l->v;
    tpt__arena *arena = l->def->arena;
    const char *id, *level, *reason, *advice;
    json_t *when;
    int rc;
    if (!json_is_object(j)) return tpt__invalid(v, "a rule must be an object");
    if ((rc = tpt__only_keys(v, j, keys)) || (rc = tpt__get_string(v, j, "id", true, &id)) ||
        (rc = tpt__get_string(v, j, "level", true, &level)) ||
        (rc = tpt__get_string(v, j, "reason", true, &reason)) ||
        (rc = tpt__get_string(v, j, "advice", true, &advice)) ||
        (rc = tpt__get_object(v, j, "when", true, &when)))
        return rc;
    for (size_t i = 0; i < l->def->nrules; i++) {
        if (strcmp(l->def->rules[i].id, id) == 0) {
            tpt__path_key(v, "id");
            return tpt__invalid(v, "duplicate rule \"%s\"", id);
        }
    }
    if (tpt_level_parse(level, &out->level) != 0 || out->level == TPT_LEVEL_NONE) {
        tpt__path_key(v, "level");
        return tpt__invalid(v, "\"level\" must be soon, urgent or emergency");
    }
    /* most serious first: the order flags are shown in */
    if (l->def->nrules && l->def->rules[l->def->nrules - 1].level < out->level)
        return tpt__invalid(v,
                            "rules come most serious first: \"%s\" is more serious than the "
                            "rule before it",
                            id);
    json_t *lasting = json_object_get(j, "lasting");
    if (lasting && !json_is_boolean(lasting)) {
        tpt__path_key(v, "lasting");
        return tpt__invalid(v, "\"lasting\" must be true or false");
    }
    /* only a clinician's assessment clears a lasting flag, and never an emergency */
    if (json_is_true(lasting) && out->level == TPT_LEVEL_EMERGENCY) {
        tpt__path_key(v, "lasting");
        return tpt__invalid(v, "an emergency rule cannot be \"lasting\"");
    }
    out->lasting = json_is_true(lasting);
    tpt__path_key(v, "when");
    if ((rc = load_condition(l, when, 0, &out->when))) return rc;
    tpt__path_pop(v);
    out->reads = out->when->reads;
    if ((rc = tpt__copy(v, arena, id, &out->id)) ||
        (rc = tpt__copy(v, arena, reason, &out->reason)) ||
        (rc = tpt__copy(v, arena, advice, &out->advice)))
        return rc;
    return tpt__load_source(v, arena, &l->def->sources, j, &out->source);
}

/* "replaces" names rules anywhere in the file, so it is read once all are loaded. */
static int load_replaces(loader *l, json_t *j, tpt_screen_rule *r)
{
    tpt__validator *v = l->v;
    json_t *list;
    int rc = tpt__get_array(v, j, "replaces", false, &list);
    if (rc || !list) return rc;
    tpt__path_key(v, "replaces");
    int *idx = tpt__arena_alloc(l->def->arena, (json_array_size(list) + 1) * sizeof *idx);
    if (!idx) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < json_array_size(list); i++) {
        tpt__path_index(v, i);
        const char *id = json_string_value(json_array_get(list, i));
        int k = -1;
        for (size_t n = 0; id && n < l->def->nrules; n++) {
            if (strcmp(l->def->rules[n].id, id) == 0) k = (int)n;
        }
        if (k < 0 || &l->def->rules[k] == r)
            return tpt__invalid(v, "\"replaces\" names other rules of the file");
        /* a rule never stands for a more serious one: replacing cannot lower a level */
        if (l->def->rules[k].level > r->level)
            return tpt__invalid(v,
                                "\"%s\" is more serious than this rule and cannot be replaced "
                                "by it",
                                id);
        idx[i] = k;
        tpt__path_pop(v);
    }
    r->nreplaces = json_array_size(list);
    r->replaces = idx;
    tpt__path_pop(v);
    return 0;
}

int tpt__screen_rules_load(tpt__validator *v, tpt_screen_def *def, json_t *root)
{
    loader l = {.v = v, .def = def};
    json_t *rules;
    int rc;
    if ((rc = load_conditions(&l, root)) || (rc = tpt__get_array(v, root, "rules", true, &rules)))
        return rc;
    size_t n = json_array_size(rules);
    tpt__path_key(v, "rules");
    if (n == 0 || n > TPT_SCREEN_MAX_RULES)
        return tpt__invalid(v, "a screen has between 1 and %d rules", TPT_SCREEN_MAX_RULES);
    def->rules = tpt__arena_alloc(def->arena, n * sizeof *def->rules);
    if (!def->rules) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    memset(def->rules, 0, n * sizeof *def->rules);
    for (size_t i = 0; i < n; i++) {
        tpt__path_index(v, i);
        if ((rc = load_rule(&l, json_array_get(rules, i), &def->rules[i]))) return rc;
        def->nrules++;
        tpt__path_pop(v);
    }
    for (size_t i = 0; i < n; i++) {
        tpt__path_index(v, i);
        if ((rc = load_replaces(&l, json_array_get(rules, i), &def->rules[i]))) return rc;
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    return 0;
}

/* ---- reading a condition ---- */

/* One answer condition. "Not sure" counts as yes for a sign that is an
 * emergency alone, and for every sign inside an emergency rule: what could
 * send someone to an emergency department is never guessed away. */
static truth answer_truth(const tpt_screen_def *def, const tpt_answers *a,
                          const struct tpt_condition *c, bool emergency)
{
    const tpt_answer *ans = &a->answer[c->question];
    bool yes =
        ans->state == TPT_ANSWER_YES || (ans->state == TPT_ANSWER_UNSURE &&
                                         (def->questions[c->question].unsure_is_yes || emergency));
    bool answered = yes || ans->state == TPT_ANSWER_NO || ans->state == TPT_ANSWER_NUMBER;
    switch (c->kind) {
    case COND_UNANSWERED:
        return answered ? FALSE : TRUE;
    case COND_YES:
        return !answered ? OPEN : yes ? TRUE : FALSE;
    case COND_NO:
        return !answered ? OPEN : yes ? FALSE : TRUE;
    case COND_AT_LEAST:
        if (ans->state != TPT_ANSWER_NUMBER) return OPEN;
        return (double)ans->number >= c->limit.value ? TRUE : FALSE;
    default: /* COND_BELOW */
        if (ans->state != TPT_ANSWER_NUMBER) return OPEN;
        return (double)ans->number < c->limit.value ? TRUE : FALSE;
    }
}

static truth truth_of(const tpt_screen_def *def, const tpt_answers *a,
                      const struct tpt_condition *c, bool emergency)
{
    if (c->kind <= COND_BELOW) return answer_truth(def, a, c, emergency);
    size_t yes = 0, open = 0;
    for (size_t i = 0; i < c->count; i++) {
        truth t = truth_of(def, a, c->items[i], emergency);
        yes += t == TRUE;
        open += t == OPEN;
    }
    size_t need = c->kind == COND_ALL ? c->count : c->kind == COND_ANY ? 1 : c->n;
    if (yes >= need) return TRUE;
    return yes + open >= need ? OPEN : FALSE;
}

static truth rule_truth(const tpt_screen_def *def, const tpt_answers *a, const tpt_screen_rule *r)
{
    return truth_of(def, a, r->when, r->level == TPT_LEVEL_EMERGENCY);
}

/* The questions read by the parts of a condition that are `want`, down to
 * the answers: for a true condition, the answers that made it true; for an
 * open one, the answers it waits on (a decided part, such as a no to fever in
 * "fever and a recent infection", makes the other parts' questions moot). */
static uint64_t reads_where(const tpt_screen_def *def, const tpt_answers *a,
                            const struct tpt_condition *c, bool emergency, truth want)
{
    if (truth_of(def, a, c, emergency) != want) return 0;
    if (c->kind <= COND_BELOW) return c->reads;
    uint64_t reads = 0;
    for (size_t i = 0; i < c->count; i++)
        reads |= reads_where(def, a, c->items[i], emergency, want);
    return reads;
}

/* ---- the result ---- */

static bool unanswered(const tpt_screen_def *def, const tpt_answer *a, int q)
{
    return a->state == TPT_UNANSWERED ||
           (a->state == TPT_ANSWER_UNSURE && !def->questions[q].unsure_is_yes);
}

void tpt_screen_evaluate(const tpt_screen_def *def, const tpt_answers *answers,
                         tpt_screen_result *out)
{
    memset(out, 0, sizeof *out);
    out->answers = *answers;
    uint64_t waiting = 0, serious_waiting = 0, any_reads = 0;
    bool raised[TPT_SCREEN_MAX_RULES] = {false};
    for (size_t i = 0; i < def->nrules; i++) {
        const tpt_screen_rule *r = &def->rules[i];
        truth t = rule_truth(def, answers, r);
        any_reads |= r->reads;
        raised[i] = t == TRUE;
        if (t != OPEN) continue;
        uint64_t waits = reads_where(def, answers, r->when, r->level == TPT_LEVEL_EMERGENCY, OPEN);
        waiting |= waits;
        if (r->level >= TPT_LEVEL_URGENT) serious_waiting |= waits;
    }
    for (size_t i = 0; i < def->nrules; i++) {
        for (size_t k = 0; raised[i] && k < def->rules[i].nreplaces; k++)
            raised[def->rules[i].replaces[k]] = false;
    }
    /* the rules are kept most serious first, so file order is the order to show */
    for (size_t i = 0; i < def->nrules; i++) {
        if (!raised[i]) continue;
        out->flags[out->nflags++] = (int)i;
        if (def->rules[i].level > out->level) out->level = def->rules[i].level;
    }
    for (size_t q = 0; q < def->nquestions; q++) {
        const tpt_answer *a = &answers->answer[q];
        uint64_t bit = (uint64_t)1 << q;
        if (a->state == TPT_ANSWER_UNSURE) out->unsure[out->nunsure++] = (int)q;
        if (!unanswered(def, a, (int)q)) continue;
        out->unanswered[out->nunanswered++] = (int)q;
        if ((waiting & bit) || !(any_reads & bit)) out->needed[out->nneeded++] = (int)q;
        if (serious_waiting & bit) out->missing[out->nmissing++] = (int)q;
    }
    out->complete = out->nmissing == 0;
}

void tpt_screen_result_drop(const tpt_screen_def *def, tpt_screen_result *result, int r)
{
    size_t kept = 0;
    result->level = TPT_LEVEL_NONE;
    for (size_t i = 0; i < result->nflags; i++) {
        if (result->flags[i] == r) continue;
        result->flags[kept++] = result->flags[i];
        if (def->rules[result->flags[i]].level > result->level)
            result->level = def->rules[result->flags[i]].level;
    }
    result->nflags = kept;
}

size_t tpt_screen_flag_answers(const tpt_screen_def *def, const tpt_screen_result *result, int r,
                               int *out, size_t max)
{
    const tpt_screen_rule *rule = &def->rules[r];
    uint64_t reads =
        reads_where(def, &result->answers, rule->when, rule->level == TPT_LEVEL_EMERGENCY, TRUE);
    size_t n = 0;
    for (size_t q = 0; q < def->nquestions && n < max; q++) {
        if (reads & ((uint64_t)1 << q)) out[n++] = (int)q;
    }
    return n;
}

bool tpt_screen_question_needed(const tpt_screen_result *result, int q)
{
    for (size_t i = 0; i < result->nneeded; i++) {
        if (result->needed[i] == q) return true;
    }
    return false;
}
