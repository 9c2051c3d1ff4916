/* The plan a record holds, what it was made from and whether it is stale
 * (record/plan_record.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/internal.h"
#include "record/plan_record.h"
#include "tpt/json.h"

bool tpt_plan_made_from(const char *input, int64_t *screen, int64_t *drawing)
{
    long long s, d;
    int end = 0;
    *screen = *drawing = 0;
    if (!input || sscanf(input, "screen:%lld drawing:%lld%n", &s, &d, &end) != 2 || input[end] ||
        s < 1 || d < 1)
        return false;
    *screen = s;
    *drawing = d;
    return true;
}

void tpt_plan_state_of(const tpt_record_list *records, tpt_plan_state *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < records->count; i++) { /* oldest first: the last of each stays */
        const tpt_record *r = &records->items[i];
        if (r->kind == TPT_RECORD_PLAN)
            out->plan = r;
        else if (r->kind == TPT_RECORD_SCREEN)
            out->latest_screen = r;
        else if (r->kind == TPT_RECORD_DRAWING)
            out->latest_drawing = r;
    }
    if (!out->plan) return;
    bool named = tpt_plan_made_from(out->plan->input, &out->screen, &out->drawing);
    int64_t screen = out->latest_screen ? out->latest_screen->id : 0;
    int64_t drawing = out->latest_drawing ? out->latest_drawing->id : 0;
    out->stale = named ? out->screen != screen || out->drawing != drawing : screen || drawing;
}

int tpt_plan_keep(tpt_store *store, const tpt_record *base, int64_t screen, int64_t drawing,
                  json_t *plan, int64_t *id, tpt_error *err)
{
    char input[64];
    snprintf(input, sizeof input, "screen:%lld drawing:%lld", (long long)screen,
             (long long)drawing);
    json_t *from =
        json_pack("{s:I, s:I}", "screen", (json_int_t)screen, "drawing", (json_int_t)drawing);
    char *text = NULL;
    if (from && json_object_set_new(plan, "made_from", from) == 0)
        text = json_dumps(plan, JSON_COMPACT | TPT_JSON_DUMP_FLAGS);
    if (!text) return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    tpt_record r = *base;
    r.kind = TPT_RECORD_PLAN;
    r.input = input;
    r.json = text;
    int rc = tpt_store_record_add(store, &r, id, err);
    free(text);
    return rc;
}

/* The engine's input from a drawing kept as typed: "--finding NAME:SIDE"
 * pairs and marks. */
typedef struct kept_drawing {
    tpt_drawing drawing;
    tpt_finding findings[TPT_MAX_FINDINGS];
    size_t nfindings;
    tpt_result map;
} kept_drawing;

static int read_typed(const tpt_plan_data *data, const tpt_record *r, kept_drawing *d,
                      tpt_error *err)
{
    char *copy = strdup(r->input ? r->input : ""), *save = NULL;
    char *marks[TPT_MAX_REGIONS];
    size_t n = 0;
    unsigned warnings = 0;
    tpt_error why = {0};
    int rc = copy ? 0 : TPT_ERR_NOMEM;
    for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t && !rc;
         t = strtok_r(NULL, " ", &save)) {
        if (strcmp(t, "--finding") == 0) {
            t = strtok_r(NULL, " ", &save);
            rc = !t || d->nfindings == TPT_MAX_FINDINGS ||
                         tpt_finding_parse(data->atlas, t, &d->findings[d->nfindings++], &why)
                     ? TPT_ERR_DATA
                     : 0;
        } else if (n < TPT_MAX_REGIONS) {
            marks[n++] = t;
        }
    }
    if (!rc && tpt_drawing_parse(data->regions, marks, n, &d->drawing, &warnings, &why) != 0)
        rc = TPT_ERR_DATA;
    free(copy);
    if (rc == TPT_ERR_NOMEM) return tpt_error_set(err, rc, "out of memory");
    if (rc)
        return tpt_error_set(err, rc,
                             "the drawing kept at %s cannot be read again (%s): draw it "
                             "again",
                             r->at, why.message[0] ? why.message : "a finding is missing");
    return 0;
}

/* Whether a flag of that id raised by that record stands. */
static bool stands(const tpt_flags *standing, const char *id, int64_t record)
{
    for (size_t i = 0; i < standing->count; i++)
        if (standing->items[i].record == record && strcmp(standing->items[i].id, id) == 0)
            return true;
    return false;
}

void tpt_plan_lifted(const tpt_plan_data *data, const tpt_flags *standing, int64_t screen,
                     int64_t drawing, tpt_screen_result *result, tpt_result *map)
{
    for (size_t i = result->nflags; screen && i-- > 0;) {
        int r = result->flags[i];
        if (!stands(standing, data->screen->rules[r].id, screen))
            tpt_screen_result_drop(data->screen, result, r);
    }
    for (int w = 0; drawing && w < TPT_WARNING_COUNT; w++)
        if ((map->warnings & (1u << w)) && !stands(standing, data->atlas->warnings[w].id, drawing))
            map->warnings &= ~(1u << w);
}

int tpt_plan_remake(const tpt_plan_data *data, const tpt_flags *standing, const tpt_record *screen,
                    const tpt_record *drawing, tpt_plan *out, tpt_error *err)
{
    tpt_answers answers;
    tpt_screen_result result;
    tpt_error why = {0};
    const char *input = screen->input ? screen->input : "";
    if (tpt_answers_parse(data->screen, input, strlen(input), "the kept screen", &answers, &why) !=
        0)
        return tpt_error_set(err, TPT_ERR_DATA,
                             "the screen kept at %s cannot be read again (%s): answer the "
                             "questions again",
                             screen->at, why.message);
    tpt_screen_evaluate(data->screen, &answers, &result);
    kept_drawing *d = calloc(1, sizeof *d);
    if (!d) return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    int rc = read_typed(data, drawing, d, err);
    if (!rc) rc = tpt_infer(data->atlas, &d->drawing, d->findings, d->nfindings, &d->map, err);
    if (!rc && standing) tpt_plan_lifted(data, standing, screen->id, drawing->id, &result, &d->map);
    if (!rc)
        rc = tpt_plan_build(data->atlas, data->techniques, data->screen, &result, &d->drawing,
                            &d->map, out, err);
    free(d);
    return rc;
}

/* Whether two plans hold the same home program: the same steps in the same
 * order; a plan without one (self-treatment held back) is like no other. */
static bool same_program(const json_t *a, const json_t *b)
{
    json_t *x = json_object_get(json_object_get(a, "home"), "steps");
    json_t *y = json_object_get(json_object_get(b, "home"), "steps");
    if (!json_array_size(x) || json_array_size(x) != json_array_size(y)) return false;
    for (size_t i = 0; i < json_array_size(x); i++) {
        const char *p = json_string_value(json_object_get(json_array_get(x, i), "id"));
        const char *q = json_string_value(json_object_get(json_array_get(y, i), "id"));
        if (!p || !q || strcmp(p, q) != 0) return false;
    }
    return true;
}

int64_t tpt_program_began(const tpt_record_list *records)
{
    /* back from the latest plan while the plans before it hold its program */
    size_t first = records->count;
    json_t *latest = NULL;
    for (size_t i = records->count; i-- > 0;) {
        const tpt_record *r = &records->items[i];
        if (r->kind != TPT_RECORD_PLAN) continue;
        json_t *plan = json_loads(r->json ? r->json : "", 0, NULL);
        bool same = !latest || same_program(latest, plan);
        if (!latest) latest = json_incref(plan);
        json_decref(plan);
        if (!same) break;
        first = i;
    }
    json_decref(latest);
    if (first == records->count) return -1;
    int64_t since = tpt__seconds_of(records->items[first].at), began = -1;
    for (size_t i = first; i < records->count; i++) {
        const tpt_record *r = &records->items[i];
        int64_t at = tpt__seconds_of(r->at);
        if (r->kind == TPT_RECORD_SESSION && at >= since && (began < 0 || at < began)) began = at;
    }
    return began;
}
