#include <stdlib.h>
#include <string.h>

#include "tpt/screen.h"
#include "screen_rules.h"

/* ---- loading the questions ---- */

typedef struct loader {
    tpt__validator v;
    tpt_screen_def *def;
} loader;

static int load_group(loader *l, json_t *g, tpt_question_group *out)
{
    static const char *const keys[] = {"id", "title", "intro", NULL};
    tpt__validator *v = &l->v;
    const char *id, *title, *intro;
    int rc;
    if (!json_is_object(g)) return tpt__invalid(v, "a group must be an object");
    if ((rc = tpt__only_keys(v, g, keys)) || (rc = tpt__get_string(v, g, "id", true, &id)) ||
        (rc = tpt__get_string(v, g, "title", true, &title)) ||
        (rc = tpt__get_string(v, g, "intro", true, &intro)))
        return rc;
    for (size_t i = 0; i < l->def->ngroups; i++) {
        if (strcmp(l->def->groups[i].id, id) == 0)
            return tpt__invalid(v, "duplicate group \"%s\"", id);
    }
    if ((rc = tpt__copy(v, l->def->arena, id, &out->id)) ||
        (rc = tpt__copy(v, l->def->arena, title, &out->title)))
        return rc;
    return tpt__copy(v, l->def->arena, intro, &out->intro);
}

static int load_question(loader *l, json_t *q, tpt_question *out)
{
    static const char *const keys[] = {"key",     "type", "group", "unsure_is_yes", "question",
                                       "example", "min",  "max",   "source",        NULL};
    tpt__validator *v = &l->v;
    tpt_screen_def *def = l->def;
    const char *key, *type, *group, *question, *example;
    int rc;
    if (!json_is_object(q)) return tpt__invalid(v, "a question must be an object");
    if ((rc = tpt__only_keys(v, q, keys)) || (rc = tpt__get_string(v, q, "key", true, &key)) ||
        (rc = tpt__get_string(v, q, "type", true, &type)) ||
        (rc = tpt__get_string(v, q, "group", true, &group)) ||
        (rc = tpt__get_string(v, q, "question", true, &question)) ||
        (rc = tpt__get_string(v, q, "example", true, &example)))
        return rc;
    if (tpt_screen_find(def, key) >= 0) return tpt__invalid(v, "duplicate question \"%s\"", key);
    if (strcmp(type, "boolean") == 0)
        out->type = TPT_QUESTION_BOOLEAN;
    else if (strcmp(type, "integer") == 0)
        out->type = TPT_QUESTION_INTEGER;
    else
        return tpt__invalid(v, "\"type\" must be boolean or integer");
    out->group = -1;
    for (size_t i = 0; i < def->ngroups; i++) {
        if (strcmp(def->groups[i].id, group) == 0) out->group = (int)i;
    }
    if (out->group < 0) return tpt__invalid(v, "no group has the id \"%s\"", group);
    /* asked group by group: a question never goes back to an earlier group */
    if (def->nquestions && def->questions[def->nquestions - 1].group > out->group)
        return tpt__invalid(v, "questions come group by group, in the order of the groups");
    json_t *unsure = json_object_get(q, "unsure_is_yes");
    if (!json_is_boolean(unsure)) return tpt__invalid(v, "\"unsure_is_yes\" must be true or false");
    out->unsure_is_yes = json_is_true(unsure);
    if (out->type == TPT_QUESTION_INTEGER) {
        json_t *min = json_object_get(q, "min"), *max = json_object_get(q, "max");
        if (!json_is_integer(min) || !json_is_integer(max) ||
            json_integer_value(min) > json_integer_value(max))
            return tpt__invalid(v, "an integer question needs whole numbers \"min\" <= \"max\"");
        /* a number read as a yes would leave a threshold with nothing to compare */
        if (out->unsure_is_yes)
            return tpt__invalid(v, "\"not sure\" cannot count as yes for a number");
        out->min = (long)json_integer_value(min);
        out->max = (long)json_integer_value(max);
    }
    if ((rc = tpt__copy(v, def->arena, key, &out->key)) ||
        (rc = tpt__copy(v, def->arena, question, &out->question)) ||
        (rc = tpt__copy(v, def->arena, example, &out->example)))
        return rc;
    return tpt__load_source(v, def->arena, &def->sources, q, &out->source);
}

/* Each question's own level: what its answer raises with nothing else
 * answered (a yes, or for a number the worst of its smallest and largest).
 * "Not sure" about a sign that is an emergency alone must count as yes, a
 * promise the data may not soften. */
static int question_levels(loader *l)
{
    tpt_screen_def *def = l->def;
    tpt__path_key(&l->v, "questions");
    for (size_t i = 0; i < def->nquestions; i++) {
        tpt_question *q = &def->questions[i];
        tpt_answers a = {0};
        tpt_screen_result r;
        if (q->type == TPT_QUESTION_BOOLEAN) {
            a.answer[i] = (tpt_answer){TPT_ANSWER_YES, 0};
            tpt_screen_evaluate(def, &a, &r);
            q->level = r.level;
        } else {
            a.answer[i] = (tpt_answer){TPT_ANSWER_NUMBER, q->min};
            tpt_screen_evaluate(def, &a, &r);
            q->level = r.level;
            a.answer[i].number = q->max;
            tpt_screen_evaluate(def, &a, &r);
            if (r.level > q->level) q->level = r.level;
        }
        if (q->level == TPT_LEVEL_EMERGENCY && !q->unsure_is_yes) {
            tpt__path_index(&l->v, i);
            return tpt__invalid(&l->v,
                                "\"%s\" is an emergency alone, so \"not sure\" must "
                                "count as yes (\"unsure_is_yes\": true)",
                                q->key);
        }
    }
    tpt__path_pop(&l->v);
    return 0;
}

static int load_array(loader *l, json_t *root, const char *key, size_t max, size_t size, void **out,
                      json_t **array)
{
    tpt__validator *v = &l->v;
    int rc = tpt__get_array(v, root, key, true, array);
    if (rc) return rc;
    size_t n = json_array_size(*array);
    if (n == 0 || n > max) {
        tpt__path_key(v, key);
        return tpt__invalid(v, "\"%s\" holds between 1 and %zu entries", key, max);
    }
    *out = tpt__arena_alloc(l->def->arena, n * size);
    if (!*out) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    memset(*out, 0, n * size);
    return 0;
}

static int load_screen(loader *l, json_t *root)
{
    static const char *const keys[] = {"format",       "version",   "sources",    "levels",
                                       "groups",       "questions", "conditions", "rules",
                                       "translations", NULL};
    tpt__validator *v = &l->v;
    tpt_screen_def *def = l->def;
    const char *format;
    json_t *levels, *groups, *questions;
    void *mem;
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
        (rc = tpt__get_object(v, root, "levels", true, &levels)))
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

    if ((rc = load_array(l, root, "groups", TPT_SCREEN_MAX_GROUPS, sizeof *def->groups, &mem,
                         &groups)))
        return rc;
    def->groups = mem;
    tpt__path_key(v, "groups");
    for (size_t i = 0; i < json_array_size(groups); i++) {
        tpt__path_index(v, i);
        if ((rc = load_group(l, json_array_get(groups, i), &def->groups[i]))) return rc;
        def->ngroups++;
        tpt__path_pop(v);
    }
    tpt__path_pop(v);

    if ((rc = load_array(l, root, "questions", TPT_SCREEN_MAX_QUESTIONS, sizeof *def->questions,
                         &mem, &questions)))
        return rc;
    def->questions = mem;
    tpt__path_key(v, "questions");
    for (size_t i = 0; i < json_array_size(questions); i++) {
        tpt__path_index(v, i);
        if ((rc = load_question(l, json_array_get(questions, i), &def->questions[i]))) return rc;
        def->nquestions++;
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    if ((rc = tpt__screen_rules_load(v, def, root))) return rc;
    return question_levels(l);
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

bool tpt_answers_maybe_yes(const tpt_screen_def *def, const tpt_answers *answers, const char *key)
{
    int q = tpt_screen_find(def, key);
    return q >= 0 && (answers->answer[q].state == TPT_ANSWER_YES ||
                      answers->answer[q].state == TPT_ANSWER_UNSURE);
}
