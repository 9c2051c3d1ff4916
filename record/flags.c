/* The red flags that stand in a person's record, and who lifts them
 * (record/flags.h). The record is replayed in time order: each screen,
 * drawing, signed visit and assessment lifts what it may lift, then raises
 * what it raises. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "record/flags.h"

typedef struct covered {
    char id[TPT_FLAG_ID_MAX + 1];
    json_t *answers; /* the answers behind the lasting flag assessed (keys) */
} covered;

typedef struct judge {
    const tpt_record_list *records;
    tpt_flags *out;
    covered *covers; /* lasting flags a clinician assessed */
    size_t ncovers;
    int failed; /* out of memory */
} judge;

static tpt_level level_of(const json_t *o)
{
    tpt_level level;
    const char *name = json_string_value(json_object_get(o, "level"));
    /* a flag of unknown level, or of none, is not taken lightly */
    return name && tpt_level_parse(name, &level) == 0 ? level : TPT_LEVEL_URGENT;
}

/* Whether a list holds `id`: as a string (answer keys), or as an object's
 * "id" (a drawing's warnings). */
static bool lists(const json_t *list, const char *id)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        const char *s = json_is_string(item) ? json_string_value(item)
                                             : json_string_value(json_object_get(item, "id"));
        if (s && strcmp(s, id) == 0) return true;
    }
    return false;
}

/* ---- the standing list ---- */

static void flag_clear(tpt_flag *f)
{
    free(f->reason);
    free(f->advice);
}

/* Drops the standing flags `lifted` says yes to. */
static void lift(tpt_flags *s, bool (*lifted)(const tpt_flag *f, const void *by), const void *by)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (lifted(&s->items[i], by))
            flag_clear(&s->items[i]);
        else
            s->items[kept++] = s->items[i];
    }
    s->count = kept;
}

static char *copy_field(const json_t *o, const char *key, int *failed)
{
    const char *s = json_string_value(json_object_get(o, key));
    char *copy = s ? strdup(s) : NULL;
    if (s && !copy) *failed = 1;
    return copy;
}

static void raise_flag(judge *j, const tpt_record *r, const json_t *f)
{
    tpt_flags *s = j->out;
    tpt_flag *grown = realloc(s->items, (s->count + 1) * sizeof *grown);
    if (!grown) {
        j->failed = 1;
        return;
    }
    s->items = grown;
    tpt_flag *flag = &s->items[s->count++];
    const char *id = json_string_value(json_object_get(f, "id"));
    memset(flag, 0, sizeof *flag);
    snprintf(flag->id, sizeof flag->id, "%s", id ? id : "unknown");
    flag->level = level_of(f);
    flag->reason = copy_field(f, "reason", &j->failed);
    flag->advice = copy_field(f, "advice", &j->failed);
    flag->source = r->kind;
    flag->record = r->id;
    memcpy(flag->at, r->at, sizeof flag->at);
    flag->author = r->author;
    flag->clinician = r->clinician;
    flag->lasting = r->kind == TPT_RECORD_SCREEN && json_is_true(json_object_get(f, "lasting"));
}

/* ---- what lifts what ---- */

typedef struct by_record {
    tpt_record_kind kind;
    bool clinician;
    const char *id; /* only flags of this id (NULL: all) */
} by_record;

/* A clear screen lifts the screens' flags; a newer drawing the drawings'.
 * The person's own lift only the person's; a clinician's lift both. */
static bool lifted_by_record(const tpt_flag *f, const void *arg)
{
    const by_record *b = arg;
    return f->source == b->kind && (!f->clinician || b->clinician) &&
           (!b->id || strcmp(f->id, b->id) == 0);
}

/* A signed visit's drawing lifts the drawings' flags it does not raise. */
static bool lifted_by_visit(const tpt_flag *f, const void *warnings)
{
    return f->source == TPT_RECORD_DRAWING && !lists(warnings, f->id);
}

static bool lifted_by_assessment(const tpt_flag *f, const void *a)
{
    return strcmp(f->id, ((const tpt_assessment *)a)->flag) == 0;
}

/* Whether a screen's flag is a lasting one a clinician assessed, raised
 * from no answer that was not behind the flag assessed. */
static bool is_covered(const judge *j, const json_t *flag)
{
    const char *id = json_string_value(json_object_get(flag, "id"));
    json_t *answers = json_object_get(flag, "answers");
    if (!id || !json_is_true(json_object_get(flag, "lasting")) || !json_array_size(answers))
        return false;
    for (size_t c = 0; c < j->ncovers; c++) {
        if (strcmp(j->covers[c].id, id) != 0) continue;
        bool within = true;
        size_t i;
        json_t *key;
        json_array_foreach(answers, i, key)
        {
            within &= json_is_string(key) && lists(j->covers[c].answers, json_string_value(key));
        }
        if (within) return true;
    }
    return false;
}

/* ---- the events ---- */

static void screen(judge *j, const tpt_record *r, const json_t *root)
{
    json_t *flags = json_object_get(root, "flags"), *f;
    size_t i;
    /* the screen's level without the flags an assessment covers */
    tpt_level level = TPT_LEVEL_NONE, stored;
    bool some_covered = false;
    json_array_foreach(flags, i, f)
    {
        if (is_covered(j, f))
            some_covered = true;
        else if (level_of(f) > level)
            level = level_of(f);
    }
    const char *name = json_string_value(json_object_get(root, "level"));
    if (!name || tpt_level_parse(name, &stored) != 0)
        level = TPT_LEVEL_URGENT; /* unreadable: it lifts nothing */
    else if (!some_covered && stored > level)
        level = stored;
    if (json_is_true(json_object_get(root, "complete")) && level < TPT_LEVEL_URGENT) {
        by_record clear = {TPT_RECORD_SCREEN, r->clinician, NULL};
        lift(j->out, lifted_by_record, &clear);
    }
    json_array_foreach(flags, i, f)
    {
        if (is_covered(j, f)) continue;
        /* raised again: the latest stands for it, unless only a clinician lifts the earlier */
        by_record same = {TPT_RECORD_SCREEN, r->clinician,
                          json_string_value(json_object_get(f, "id"))};
        if (same.id) lift(j->out, lifted_by_record, &same);
        raise_flag(j, r, f);
    }
}

static void drawing(judge *j, const tpt_record *r, const json_t *root)
{
    by_record newer = {TPT_RECORD_DRAWING, r->clinician, NULL};
    lift(j->out, lifted_by_record, &newer);
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(root, "warnings"), i, w) raise_flag(j, r, w);
}

static void visit(judge *j, const tpt_visit *v)
{
    json_t *result = v->result ? json_loads(v->result, 0, NULL) : NULL;
    json_t *warnings = json_object_get(json_object_get(result, "drawing_only"), "warnings");
    /* a note without a drawing says nothing of what a drawing showed */
    if (json_is_array(warnings)) lift(j->out, lifted_by_visit, warnings);
    json_decref(result);
}

/* The answers behind the flag an assessment names, when it is lasting. */
static json_t *assessed_answers(const judge *j, const tpt_assessment *a)
{
    json_t *answers = NULL;
    for (size_t i = 0; i < j->records->count && !answers; i++) {
        const tpt_record *r = &j->records->items[i];
        if (r->id != a->record || r->kind != TPT_RECORD_SCREEN || !r->json) continue;
        json_t *root = json_loads(r->json, 0, NULL), *f;
        size_t k;
        json_array_foreach(json_object_get(root, "flags"), k, f)
        {
            const char *id = json_string_value(json_object_get(f, "id"));
            if (id && strcmp(id, a->flag) == 0 && json_is_true(json_object_get(f, "lasting")) &&
                json_is_array(json_object_get(f, "answers")))
                answers = json_incref(json_object_get(f, "answers"));
        }
        json_decref(root);
    }
    return answers;
}

static void assessment(judge *j, const tpt_assessment *a)
{
    lift(j->out, lifted_by_assessment, a);
    json_t *answers = assessed_answers(j, a);
    if (!answers) return;
    covered *grown = realloc(j->covers, (j->ncovers + 1) * sizeof *grown);
    if (!grown) {
        json_decref(answers);
        j->failed = 1;
        return;
    }
    j->covers = grown;
    snprintf(grown[j->ncovers].id, sizeof grown[j->ncovers].id, "%s", a->flag);
    grown[j->ncovers++].answers = answers;
}

/* ---- the replay ---- */

static int by_signing(const void *a, const void *b)
{
    return strcmp((*(const tpt_visit *const *)a)->signed_at,
                  (*(const tpt_visit *const *)b)->signed_at);
}

/* Most serious first; of equal level the latest, whose advice is current. */
static int by_weight(const void *a, const void *b)
{
    const tpt_flag *x = a, *y = b;
    if (x->level != y->level) return x->level > y->level ? -1 : 1;
    int at = strcmp(y->at, x->at);
    if (at) return at;
    return (y->record > x->record) - (y->record < x->record);
}

int tpt_flags_judge(const tpt_record_list *records, const tpt_visit_list *visits,
                    const tpt_assessment_list *assessments, tpt_flags *out)
{
    memset(out, 0, sizeof *out);
    judge j = {.records = records, .out = out};
    size_t nsigned = 0;
    const tpt_visit **signed_visits =
        visits && visits->count ? malloc(visits->count * sizeof *signed_visits) : NULL;
    if (visits && visits->count && !signed_visits) return TPT_ERR_NOMEM;
    for (size_t i = 0; visits && i < visits->count; i++)
        if (visits->items[i].signed_at[0]) signed_visits[nsigned++] = &visits->items[i];
    if (nsigned) qsort(signed_visits, nsigned, sizeof *signed_visits, by_signing);

    /* in time order; at the same moment a visit first, then a record, then
     * an assessment (it assesses what was raised) */
    size_t r = 0, v = 0, a = 0, nassessed = assessments ? assessments->count : 0;
    while (!j.failed && (r < records->count || v < nsigned || a < nassessed)) {
        const char *rt = r < records->count ? records->items[r].at : NULL;
        const char *vt = v < nsigned ? signed_visits[v]->signed_at : NULL;
        const char *at = a < nassessed ? assessments->items[a].at : NULL;
        if (vt && (!rt || strcmp(vt, rt) <= 0) && (!at || strcmp(vt, at) <= 0)) {
            visit(&j, signed_visits[v++]);
        } else if (rt && (!at || strcmp(rt, at) <= 0)) {
            const tpt_record *rec = &records->items[r++];
            if (rec->kind != TPT_RECORD_SCREEN && rec->kind != TPT_RECORD_DRAWING) continue;
            json_t *root = rec->json ? json_loads(rec->json, 0, NULL) : NULL;
            if (rec->kind == TPT_RECORD_SCREEN)
                screen(&j, rec, root);
            else
                drawing(&j, rec, root);
            json_decref(root);
        } else {
            assessment(&j, &assessments->items[a++]);
        }
    }
    free(signed_visits);
    for (size_t c = 0; c < j.ncovers; c++)
        json_decref(j.covers[c].answers);
    free(j.covers);
    if (j.failed) {
        tpt_flags_free(out);
        return TPT_ERR_NOMEM;
    }
    if (out->count) qsort(out->items, out->count, sizeof *out->items, by_weight);
    out->level = out->count ? out->items[0].level : TPT_LEVEL_NONE;
    return 0;
}

int tpt_flags_read(tpt_store *store, int64_t patient, const tpt_record_list *given, tpt_flags *out,
                   tpt_error *err)
{
    tpt_record_list records = {0};
    tpt_visit_list visits = {0};
    tpt_assessment_list assessments = {0};
    memset(out, 0, sizeof *out);
    int rc = given ? 0 : tpt_store_record_list(store, patient, -1, &records, err);
    if (!rc) rc = tpt_store_visit_list(store, patient, &visits, err);
    if (!rc) rc = tpt_store_assessment_list(store, patient, &assessments, err);
    if (!rc && (rc = tpt_flags_judge(given ? given : &records, &visits, &assessments, out)))
        tpt_error_set(err, rc, "out of memory");
    tpt_assessment_list_free(&assessments);
    tpt_visit_list_free(&visits);
    tpt_record_list_free(&records);
    return rc;
}

void tpt_flags_free(tpt_flags *flags)
{
    for (size_t i = 0; flags && i < flags->count; i++)
        flag_clear(&flags->items[i]);
    if (flags) {
        free(flags->items);
        memset(flags, 0, sizeof *flags);
    }
}

bool tpt_flags_stop(const tpt_flags *flags)
{
    return flags->count && !TPT_SELF_CARE_ALLOWED(flags->level);
}

const char *tpt_flags_advice(const tpt_flags *flags)
{
    return flags->count ? flags->items[0].advice : NULL;
}

const tpt_flag *tpt_flags_find(const tpt_flags *flags, const char *id)
{
    for (size_t i = 0; i < flags->count; i++)
        if (strcmp(flags->items[i].id, id) == 0) return &flags->items[i];
    return NULL;
}
