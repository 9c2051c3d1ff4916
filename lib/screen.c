#include <stdlib.h>
#include <string.h>

#include "tpt/screen.h"
#include "validate.h"

/* ---- loading the questions ---- */

typedef struct loader {
    tpt__validator v;
    tpt_screen_def *def;
} loader;

static int load_threshold(loader *l, json_t *q, const char *key, tpt_threshold *out)
{
    if (!json_object_get(q, key)) return 0;
    out->set = true;
    return tpt__load_number(&l->v, l->def->arena, &l->def->sources, q, key,
                            (tpt__range){-1e9, 1e9, false, false}, &out->limit);
}

static int load_question(loader *l, json_t *q, tpt_question *out)
{
    static const char *const keys[] = {"key",   "type",     "level", "unsure_is_yes", "question",
                                       "flag",  "source",   "min",   "max",           "below",
                                       "above", "at_least", NULL};
    tpt__validator *v = &l->v;
    const char *key, *type, *level, *question, *flag;
    int rc;
    if (!json_is_object(q)) return tpt__invalid(v, "a question must be an object");
    if ((rc = tpt__only_keys(v, q, keys)) || (rc = tpt__get_string(v, q, "key", true, &key)) ||
        (rc = tpt__get_string(v, q, "type", true, &type)) ||
        (rc = tpt__get_string(v, q, "level", true, &level)) ||
        (rc = tpt__get_string(v, q, "question", true, &question)) ||
        (rc = tpt__get_string(v, q, "flag", true, &flag)))
        return rc;
    if (tpt_screen_find(l->def, key) >= 0) return tpt__invalid(v, "duplicate question \"%s\"", key);
    if (strcmp(type, "boolean") == 0)
        out->type = TPT_QUESTION_BOOLEAN;
    else if (strcmp(type, "integer") == 0)
        out->type = TPT_QUESTION_INTEGER;
    else
        return tpt__invalid(v, "\"type\" must be boolean or integer");
    if (tpt_level_parse(level, &out->level) != 0 || out->level == TPT_LEVEL_NONE)
        return tpt__invalid(v, "\"level\" must be soon, urgent or emergency");
    json_t *unsure = json_object_get(q, "unsure_is_yes");
    if (!json_is_boolean(unsure)) return tpt__invalid(v, "\"unsure_is_yes\" must be true or false");
    out->unsure_is_yes = json_is_true(unsure);
    /* "Not sure" about an emergency sign must never count as no. */
    if (out->level == TPT_LEVEL_EMERGENCY && !out->unsure_is_yes)
        return tpt__invalid(v, "an emergency question must count \"not sure\" as yes");
    if (out->type == TPT_QUESTION_INTEGER) {
        json_t *min = json_object_get(q, "min"), *max = json_object_get(q, "max");
        if (!json_is_integer(min) || !json_is_integer(max) ||
            json_integer_value(min) > json_integer_value(max))
            return tpt__invalid(v, "an integer question needs whole numbers \"min\" <= \"max\"");
        out->min = (long)json_integer_value(min);
        out->max = (long)json_integer_value(max);
        if ((rc = load_threshold(l, q, "below", &out->below)) ||
            (rc = load_threshold(l, q, "above", &out->above)) ||
            (rc = load_threshold(l, q, "at_least", &out->at_least)))
            return rc;
        if (!out->below.set && !out->above.set && !out->at_least.set)
            return tpt__invalid(v,
                                "an integer question needs \"below\", \"above\" or \"at_least\"");
    }
    if ((rc = tpt__copy(v, l->def->arena, key, &out->key)) ||
        (rc = tpt__copy(v, l->def->arena, question, &out->question)) ||
        (rc = tpt__copy(v, l->def->arena, flag, &out->flag)))
        return rc;
    return tpt__load_source(v, l->def->arena, &l->def->sources, q, &out->source);
}

static int load_screen(loader *l, json_t *root)
{
    static const char *const keys[] = {"format",    "version",      "sources", "levels",
                                       "questions", "translations", NULL};
    tpt__validator *v = &l->v;
    tpt_screen_def *def = l->def;
    const char *format;
    json_t *levels, *questions;
    int rc;
    if (!json_is_object(root)) return tpt__invalid(v, "the screen file must be a JSON object");
    if ((rc = tpt__only_keys(v, root, keys)) ||
        (rc = tpt__get_string(v, root, "format", true, &format)))
        return rc;
    if (strcmp(format, "tpt-screen") != 0) {
        tpt__path_key(v, "format");
        return tpt__invalid(v, "\"format\" must be \"tpt-screen\"");
    }
    if ((rc = tpt__load_sources(v, def->arena, root, &def->sources)) ||
        (rc = tpt__get_object(v, root, "levels", true, &levels)) ||
        (rc = tpt__get_array(v, root, "questions", true, &questions)))
        return rc;

    tpt__path_key(v, "levels");
    for (int lv = TPT_LEVEL_NONE; lv <= TPT_LEVEL_EMERGENCY; lv++) {
        static const char *const level_keys[] = {"advice", "source", NULL};
        const char *name = tpt_level_name((tpt_level)lv), *advice;
        json_t *entry;
        if ((rc = tpt__get_object(v, levels, name, true, &entry))) return rc;
        tpt__path_key(v, name);
        if ((rc = tpt__only_keys(v, entry, level_keys)) ||
            (rc = tpt__get_string(v, entry, "advice", true, &advice)) ||
            (rc = tpt__copy(v, def->arena, advice, &def->levels[lv].advice)) ||
            (rc = tpt__load_source(v, def->arena, &def->sources, entry, &def->levels[lv].source)))
            return rc;
        tpt__path_pop(v);
    }
    tpt__path_pop(v);

    size_t n = json_array_size(questions);
    if (n == 0 || n > TPT_SCREEN_MAX_QUESTIONS)
        return tpt__invalid(v, "a screen has between 1 and %d questions", TPT_SCREEN_MAX_QUESTIONS);
    def->questions = tpt__arena_alloc(def->arena, n * sizeof *def->questions);
    if (!def->questions) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    tpt__path_key(v, "questions");
    for (size_t i = 0; i < n; i++) {
        tpt__path_index(v, i);
        if ((rc = load_question(l, json_array_get(questions, i), &def->questions[i]))) return rc;
        def->nquestions++;
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    return 0;
}

tpt_screen_def *tpt_screen_def_load(const char *json, size_t len, const char *name, tpt_error *err)
{
    loader l = {.v = {.name = name, .text = json, .len = len, .err = err}};
    l.def = calloc(1, sizeof *l.def);
    if (!l.def || !(l.def->arena = tpt__arena_new())) {
        free(l.def);
        tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    json_t *root = tpt__parse_json(&l.v);
    int rc = root ? load_screen(&l, root) : TPT_ERR_DATA;
    json_decref(root);
    if (rc) {
        tpt_screen_def_free(l.def);
        return NULL;
    }
    return l.def;
}

tpt_screen_def *tpt_screen_def_default(tpt_error *err)
{
    return tpt_screen_def_load((const char *)tpt__data_screen, tpt__data_screen_len,
                               "data/screen.json", err);
}

void tpt_screen_def_free(tpt_screen_def *def)
{
    if (!def) return;
    tpt__arena_free(def->arena);
    free(def);
}

int tpt_screen_find(const tpt_screen_def *def, const char *key)
{
    for (size_t i = 0; i < def->nquestions; i++) {
        if (strcmp(def->questions[i].key, key) == 0) return (int)i;
    }
    return -1;
}

/* ---- answers ---- */

static int integer_out_of_range(tpt_error *err, const tpt_question *q, const char *where)
{
    return tpt__fail(err, TPT_ERR_INPUT, "%s\"%s\" must be a whole number from %ld to %ld", where,
                     q->key, q->min, q->max);
}

int tpt_answers_parse(const tpt_screen_def *def, const char *json, size_t len, const char *name,
                      tpt_answers *out, tpt_error *err)
{
    tpt__validator v = {
        .name = name, .text = json, .len = len, .err = err, .status = TPT_ERR_INPUT};
    memset(out, 0, sizeof *out);
    if (len > TPT_ANSWERS_FILE_MAX)
        return tpt__fail(err, TPT_ERR_INPUT, "%s is larger than %u bytes", name,
                         TPT_ANSWERS_FILE_MAX);
    json_t *root = tpt__parse_json(&v);
    if (!root) return TPT_ERR_INPUT;
    int rc = 0;
    if (!json_is_object(root)) rc = tpt__invalid(&v, "answers must be a JSON object");
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        if (rc) break;
        tpt__path_key(&v, key);
        int i = tpt_screen_find(def, key);
        if (i < 0) {
            rc = tpt__invalid(&v, "unknown answer key \"%s\" (tpt screen --help lists them)", key);
            break;
        }
        const tpt_question *q = &def->questions[i];
        tpt_answer *a = &out->answer[i];
        if (json_is_string(value) && strcmp(json_string_value(value), "not-sure") == 0) {
            a->state = TPT_ANSWER_UNSURE;
        } else if (q->type == TPT_QUESTION_BOOLEAN) {
            if (!json_is_boolean(value))
                rc = tpt__invalid(&v, "\"%s\" must be true, false or \"not-sure\"", key);
            a->state = json_is_true(value) ? TPT_ANSWER_YES : TPT_ANSWER_NO;
        } else if (!json_is_integer(value) || json_integer_value(value) < q->min ||
                   json_integer_value(value) > q->max) {
            rc = tpt__invalid(&v, "\"%s\" must be a whole number from %ld to %ld or \"not-sure\"",
                              key, q->min, q->max);
        } else {
            a->state = TPT_ANSWER_NUMBER;
            a->number = (long)json_integer_value(value);
        }
        tpt__path_pop(&v);
    }
    json_decref(root);
    if (rc) memset(out, 0, sizeof *out); /* never half an answer set */
    return rc;
}

int tpt_answer_reply(const tpt_screen_def *def, size_t qi, const char *reply, tpt_answer *out,
                     tpt_error *err)
{
    const tpt_question *q = &def->questions[qi];
    static const char *const yes[] = {"y", "yes", NULL}, *const no[] = {"n", "no", NULL},
                             *const unsure[] = {"?", "not sure", "not-sure", "unsure", "s", NULL};
    char word[32];
    size_t n = 0;
    /* case and surrounding blanks do not matter */
    while (*reply == ' ' || *reply == '\t')
        reply++;
    for (; reply[n] && n < sizeof word - 1; n++)
        word[n] = (char)(reply[n] >= 'A' && reply[n] <= 'Z' ? reply[n] + 32 : reply[n]);
    while (n > 0 && (word[n - 1] == ' ' || word[n - 1] == '\t' || word[n - 1] == '\n' ||
                     word[n - 1] == '\r'))
        n--;
    word[n] = '\0';
    for (const char *const *w = unsure; *w; w++) {
        if (strcmp(word, *w) == 0) {
            *out = (tpt_answer){TPT_ANSWER_UNSURE, 0};
            return 0;
        }
    }
    if (q->type == TPT_QUESTION_BOOLEAN) {
        for (const char *const *w = yes; *w; w++)
            if (strcmp(word, *w) == 0) return *out = (tpt_answer){TPT_ANSWER_YES, 0}, 0;
        for (const char *const *w = no; *w; w++)
            if (strcmp(word, *w) == 0) return *out = (tpt_answer){TPT_ANSWER_NO, 0}, 0;
        return tpt__fail(err, TPT_ERR_INPUT, "please answer y (yes), n (no) or ? (not sure)");
    }
    char *end;
    long value = n ? strtol(word, &end, 10) : 0;
    if (n == 0 || *end || value < q->min || value > q->max) return integer_out_of_range(err, q, "");
    *out = (tpt_answer){TPT_ANSWER_NUMBER, value};
    return 0;
}

/* ---- evaluation ---- */

bool tpt_question_flagged(const tpt_question *q, const tpt_answer *a)
{
    switch (a->state) {
    case TPT_ANSWER_YES:
        return true;
    case TPT_ANSWER_UNSURE:
        return q->unsure_is_yes;
    case TPT_ANSWER_NUMBER:
        return (q->below.set && a->number < q->below.limit.value) ||
               (q->above.set && a->number > q->above.limit.value) ||
               (q->at_least.set && a->number >= q->at_least.limit.value);
    default:
        return false;
    }
}

void tpt_screen_evaluate(const tpt_screen_def *def, const tpt_answers *answers,
                         tpt_screen_result *out)
{
    memset(out, 0, sizeof *out);
    out->complete = true;
    for (size_t i = 0; i < def->nquestions; i++) {
        const tpt_question *q = &def->questions[i];
        const tpt_answer *a = &answers->answer[i];
        if (a->state == TPT_UNANSWERED || (a->state == TPT_ANSWER_UNSURE && !q->unsure_is_yes)) {
            out->unanswered[out->nunanswered++] = (int)i;
            if (q->level >= TPT_LEVEL_URGENT) out->complete = false;
        }
        if (a->state == TPT_ANSWER_UNSURE) out->unsure[out->nunsure++] = (int)i;
        if (!tpt_question_flagged(q, a)) continue;
        if (q->level > out->level) out->level = q->level;
        /* most serious first, in question order within a level */
        size_t pos = out->nflags++;
        while (pos > 0 && def->questions[out->flags[pos - 1]].level < q->level) {
            out->flags[pos] = out->flags[pos - 1];
            pos--;
        }
        out->flags[pos] = (int)i;
    }
}
