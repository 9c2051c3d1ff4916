/* One patient's record over HTTP: /api/v1/patients/ID and what hangs below
 * it (screen, map, plan, sessions, log, progress, report, exports, history).
 * Each call checks that the caller may see this record, does what the
 * command of the same name does, and writes who did it into the audit log.
 *
 * Safety: while a red flag at urgent or above stands in the record (a screen
 * that answered yes to a warning sign, or a drawing's warning, until a later
 * complete clear screen), the self-care parts (the plan, its handout and
 * sessions) are refused with the advice, as tpt session refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "server.h"
#include "tpt/handout.h"
#include "tpt/json.h"
#include "tpt/notice.h"
#include "tpt/plan.h"
#include "tpt/progress.h"
#include "tpt/protocol.h"

#define P "/api/v1/patients/"

typedef tpt_record_call record_call;

int tpt_patient_access(tpt_store *store, const tpt_caller *caller, int64_t patient,
                       tpt_response *res)
{
    int64_t clinic = 0;
    bool own = caller->user.patient == patient;
    bool clinics = caller->user.role != TPT_ROLE_PATIENT &&
                   tpt_store_patient_clinic(store, patient, &clinic, NULL) == 0 && clinic > 0 &&
                   clinic == caller->user.clinic;
    if (patient > 0 && (own || clinics)) return 0;
    /* the same answer whether the record exists or is someone else's */
    tpt_response_error(res, 404, "not-found", NULL, "no patient %lld among yours",
                       (long long)patient);
    return -1;
}

void tpt_record_audit(record_call *c, const char *action)
{
    tpt_audit(c->store, c->caller.user.id, action, c->patient);
}

static void audit(record_call *c, const char *action)
{
    tpt_record_audit(c, action);
}

static void failed(record_call *c, const tpt_error *err)
{
    tpt_response_error(c->res, tpt_http_status(err->status),
                       err->status == TPT_ERR_INPUT ? "invalid-field" : "internal", NULL, "%s",
                       err->message);
}

/* Keeps a record of what was produced; 0, or an error in res. */
static int keep(record_call *c, tpt_record_kind kind, const char *summary, const char *input,
                const char *json, int64_t *id, char *at)
{
    tpt_record r = {.patient = c->patient, .kind = kind};
    r.summary = (char *)summary;
    r.input = (char *)input;
    r.json = (char *)json;
    tpt_utc(time(NULL), r.at);
    tpt_error err = {0};
    if (at) memcpy(at, r.at, TPT_TIME_MAX);
    if (tpt_store_record_add(c->store, &r, id, &err) == 0) return 0;
    failed(c, &err);
    return -1;
}

/* The latest record of a kind (the list is freed by the caller), or NULL. */
static const tpt_record *latest(record_call *c, tpt_record_kind kind, tpt_record_list *list)
{
    tpt_error err = {0};
    if (tpt_store_record_list(c->store, c->patient, (int)kind, list, &err) != 0) {
        failed(c, &err);
        return NULL;
    }
    return list->count ? &list->items[list->count - 1] : NULL;
}

/* The red flags standing in the record; -1 with an error in res. */
static int standing(record_call *c, tpt_level *level, char **advice)
{
    tpt_record_list all;
    tpt_error err = {0};
    *advice = NULL;
    *level = TPT_LEVEL_NONE;
    if (tpt_store_record_list(c->store, c->patient, -1, &all, &err) != 0) {
        failed(c, &err);
        return -1;
    }
    int n = (int)cli_standing_flags(&all, level, advice);
    tpt_record_list_free(&all);
    return n;
}

/* 0 when self-care may be shown; else 409 with the advice in res. */
static int self_care_allowed(record_call *c)
{
    tpt_level level;
    char *advice;
    int n = standing(c, &level, &advice);
    if (n < 0) return -1;
    int rc = 0;
    if (n > 0 && !TPT_SELF_CARE_ALLOWED(level)) {
        tpt_response_error(c->res, 409, "self-care-stopped", NULL,
                           "a warning sign (%s) stands in this record: no self-treatment until "
                           "a clinician has seen the patient and a new screen is clear. %s",
                           tpt_level_name(level), advice ? advice : "");
        rc = -1;
    }
    free(advice);
    return rc;
}

/* ---- the patient ---- */

static void get_patient(record_call *c)
{
    char *name = tpt_store_patient_name(c->store, c->patient);
    tpt_level level;
    char *advice;
    int n = name ? standing(c, &level, &advice) : -1;
    if (n < 0) {
        if (!name) tpt_response_error(c->res, 500, "internal", NULL, "cannot read the patient");
        free(name);
        return;
    }
    json_t *latest_at = json_object();
    tpt_record_list list;
    tpt_error err = {0};
    if (tpt_store_record_list(c->store, c->patient, -1, &list, &err) == 0) {
        for (size_t i = 0; i < list.count; i++) /* oldest first: the last one stays */
            json_object_set_new(latest_at, tpt_record_kind_name(list.items[i].kind),
                                json_string(list.items[i].at));
        tpt_record_list_free(&list);
    }
    for (int k = 0; k < TPT_RECORD_KIND_COUNT; k++)
        if (!json_object_get(latest_at, tpt_record_kind_name((tpt_record_kind)k)))
            json_object_set_new(latest_at, tpt_record_kind_name((tpt_record_kind)k), json_null());
    c->res->body = json_pack("{s:{s:I, s:s}, s:{s:i, s:o, s:o}, s:b, s:o}", "patient", "id",
                             (json_int_t)c->patient, "name", name, "flags", "count", n, "level",
                             n ? json_string(tpt_level_name(level)) : json_null(), "advice",
                             n && advice ? json_string(advice) : json_null(), "self_care",
                             !(n && !TPT_SELF_CARE_ALLOWED(level)), "latest", latest_at);
    free(name);
    free(advice);
    audit(c, "read the record's summary");
}

/* ---- screen ---- */

static void post_screen(record_call *c)
{
    tpt_screen_result result;
    if (tpt_api_read_answers(c->data, c->body, &result, c->res) != 0) return;
    json_t *out = tpt_screen_result_json(c->data->screen, &result);
    char *input = json_dumps(c->body, JSON_COMPACT | JSON_SORT_KEYS);
    char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
    if (!input || !text) {
        tpt_response_error(c->res, 500, "internal", NULL, "out of memory");
    } else if (keep(c, TPT_RECORD_SCREEN, tpt_level_name(result.level), input, text, NULL, NULL) ==
               0) {
        audit(c, "kept a screen");
        c->res->status = 201;
        c->res->body = json_incref(out);
    }
    json_decref(out);
    free(input);
    free(text);
}

static void get_screen(record_call *c)
{
    tpt_record_list list;
    const tpt_record *r = latest(c, TPT_RECORD_SCREEN, &list);
    if (!r) {
        if (!c->res->body)
            tpt_response_error(c->res, 404, "not-found", NULL, "no screen in this record yet");
    } else {
        c->res->body = json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)r->id, "at", r->at,
                                 "answers", json_loads(r->input ? r->input : "{}", 0, NULL),
                                 "result", json_loads(r->json, 0, NULL));
        audit(c, "read the screen");
    }
    tpt_record_list_free(&list);
}

/* ---- drawing ---- */

static void post_map(record_call *c)
{
    static _Thread_local tpt_drawing_request d;
    tpt_result result;
    tpt_error err = {0};
    if (tpt_api_read_drawing(c->data, c->body, &d, c->res) != 0) return;
    if (tpt_infer(c->data->atlas, &d.drawing, d.findings, d.nfindings, &result, &err) != 0) {
        tpt_response_error(c->res, tpt_http_status(err.status), "invalid-drawing", NULL, "%s",
                           err.message);
        return;
    }
    tpt_buf text = {0};
    if (tpt_result_write_json(c->data->atlas, &d.drawing, &result, &text) != 0) {
        tpt_buf_free(&text);
        tpt_response_error(c->res, 500, "internal", NULL, "out of memory");
        return;
    }
    if (keep(c, TPT_RECORD_DRAWING, tpt_pattern_name(result.pattern), d.typed, text.data, NULL,
             NULL) != 0) {
        tpt_buf_free(&text);
        return;
    }
    audit(c, "kept a drawing");
    c->res->status = 201;
    c->res->json_text = text.data; /* handed over: the server frees it once sent */
    c->res->json_len = text.len;
}

/* A drawing kept as typed ("--finding F ... MARK ...") read back. */
static int read_typed(record_call *c, const char *typed, tpt_drawing_request *d)
{
    char *copy = strdup(typed ? typed : ""), *save = NULL;
    char *marks[TPT_MAX_REGIONS];
    size_t n = 0;
    tpt_error err = {0};
    int rc = copy ? 0 : -1;
    d->nfindings = 0;
    for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t && !rc;
         t = strtok_r(NULL, " ", &save)) {
        if (strcmp(t, "--finding") == 0) {
            t = strtok_r(NULL, " ", &save);
            rc = !t || d->nfindings == TPT_MAX_FINDINGS ||
                 tpt_finding_parse(c->data->atlas, t, &d->findings[d->nfindings++], &err) != 0;
        } else if (n < TPT_MAX_REGIONS) {
            marks[n++] = t;
        }
    }
    if (!rc) rc = tpt_drawing_parse(c->data->regions, marks, n, &d->drawing, &d->warnings, &err);
    free(copy);
    if (rc)
        tpt_response_error(c->res, 409, "drawing-required", NULL,
                           "the kept drawing cannot be read again (%s): draw it again",
                           err.message);
    return rc ? -1 : 0;
}

/* ---- plan ---- */

/* The record of a kind with an id (the list is freed by the caller), or NULL. */
static const tpt_record *by_id(record_call *c, tpt_record_kind kind, int64_t id,
                               tpt_record_list *list)
{
    if (!latest(c, kind, list)) return NULL;
    for (size_t i = 0; i < list->count; i++)
        if (list->items[i].id == id) return &list->items[i];
    return NULL;
}

/* The plan for a screen and a drawing of the record; 0, or an error in res. */
static int build_plan(record_call *c, const tpt_record *screen, const tpt_record *drawing,
                      tpt_plan *plan)
{
    static _Thread_local tpt_drawing_request d;
    json_t *answers = json_loads(screen->input ? screen->input : "", 0, NULL);
    tpt_screen_result result;
    tpt_result map;
    tpt_error err = {0};
    int rc = !answers || tpt_api_read_answers(c->data, answers, &result, c->res) != 0 ||
             read_typed(c, drawing->input, &d) != 0;
    json_decref(answers);
    if (!rc && (tpt_infer(c->data->atlas, &d.drawing, d.findings, d.nfindings, &map, &err) != 0 ||
                tpt_plan_build(c->data->atlas, c->data->techniques, c->data->screen, &result,
                               &d.drawing, &map, plan, &err) != 0)) {
        tpt_response_error(c->res, tpt_http_status(err.status), "invalid-plan", NULL, "%s",
                           err.message);
        rc = -1;
    }
    if (rc && !c->res->body)
        tpt_response_error(c->res, 500, "internal", NULL, "the kept screen cannot be read");
    return rc ? -1 : 0;
}

/* A plan is kept with the ids of the screen and the drawing it was made
 * from ("screen:ID drawing:ID" as its input), so that its handout is made
 * again from the very same. */
static void post_plan(record_call *c)
{
    static _Thread_local tpt_plan plan;
    tpt_record_list screens, drawings = {0};
    const tpt_record *screen = latest(c, TPT_RECORD_SCREEN, &screens);
    const tpt_record *drawing = screen ? latest(c, TPT_RECORD_DRAWING, &drawings) : NULL;
    json_t *out = NULL;
    char *text = NULL, input[64];
    if (!screen || !drawing) {
        if (!c->res->body)
            tpt_response_error(c->res, 409, screen ? "drawing-required" : "screen-required",
                               screen ? "marks" : "answers",
                               screen ? "a plan needs a drawing: mark where it hurts first"
                                      : "a plan needs the red-flag screen first");
        goto done;
    }
    if (build_plan(c, screen, drawing, &plan) != 0) goto done;
    snprintf(input, sizeof input, "screen:%lld drawing:%lld", (long long)screen->id,
             (long long)drawing->id);
    out = tpt_plan_json(c->data->atlas, c->data->techniques, &plan);
    text = out ? json_dumps(out, JSON_COMPACT) : NULL;
    if (!text)
        tpt_response_error(c->res, 500, "internal", NULL, "out of memory");
    else if (keep(c, TPT_RECORD_PLAN, tpt_level_name(plan.screen.level), input, text, NULL, NULL) ==
             0) {
        audit(c, "kept a plan");
        c->res->status = 201;
        c->res->body = json_incref(out);
    }
done:
    json_decref(out);
    free(text);
    tpt_record_list_free(&drawings);
    tpt_record_list_free(&screens);
}

static void get_plan(record_call *c)
{
    if (self_care_allowed(c) != 0) return;
    tpt_record_list list;
    const tpt_record *r = latest(c, TPT_RECORD_PLAN, &list);
    if (!r) {
        if (!c->res->body)
            tpt_response_error(c->res, 404, "not-found", NULL, "no plan in this record yet");
    } else {
        /* the week of the program sets its graded steps (the walk) */
        tpt_record_list all;
        tpt_error err = {0};
        long week = 1;
        if (tpt_store_record_list(c->store, c->patient, -1, &all, &err) == 0) {
            week = tpt_program_week(cli_program_began(&all), (int64_t)time(NULL));
            tpt_record_list_free(&all);
        }
        c->res->body = json_pack("{s:I, s:s, s:o, s:I}", "id", (json_int_t)r->id, "at", r->at,
                                 "plan", json_loads(r->json, 0, NULL), "week", (json_int_t)week);
        audit(c, "read the plan");
    }
    tpt_record_list_free(&list);
}

/* The handout of the kept plan, made again from its screen and drawing. */
static void get_handout(record_call *c)
{
    static _Thread_local tpt_plan plan;
    tpt_record_list plans, screens = {0}, drawings = {0};
    if (self_care_allowed(c) != 0) return;
    const tpt_record *kept = latest(c, TPT_RECORD_PLAN, &plans), *screen = NULL, *drawing = NULL;
    long long screen_id, drawing_id;
    if (kept && kept->input &&
        sscanf(kept->input, "screen:%lld drawing:%lld", &screen_id, &drawing_id) == 2) {
        screen = by_id(c, TPT_RECORD_SCREEN, screen_id, &screens);
        drawing = by_id(c, TPT_RECORD_DRAWING, drawing_id, &drawings);
    }
    tpt_buf html = {0};
    if (!screen || !drawing) {
        if (!c->res->body)
            tpt_response_error(c->res, 404, "not-found", NULL,
                               "no plan to print in this record: make the plan first");
    } else if (build_plan(c, screen, drawing, &plan) == 0) {
        if (tpt_plan_write_html(c->data->atlas, c->data->techniques, &plan, &html) != 0) {
            tpt_response_error(c->res, 500, "internal", NULL, "out of memory");
        } else {
            audit(c, "printed the plan");
            c->res->raw = html.data; /* handed over */
            c->res->raw_len = html.len;
            c->res->content_type = "text/html; charset=utf-8";
            html = (tpt_buf){0};
        }
    }
    tpt_buf_free(&html);
    tpt_record_list_free(&drawings);
    tpt_record_list_free(&screens);
    tpt_record_list_free(&plans);
}

/* ---- sessions ---- */

static bool int_in(json_t *v, long long min, long long max)
{
    return json_is_integer(v) && json_integer_value(v) >= min && json_integer_value(v) <= max;
}

/* A session summary as the page sends it, checked against the plan's home
 * program (the same steps, in order) and rebuilt from known fields only;
 * NULL with an error in res. */
static json_t *read_session(record_call *c, json_t *plan_steps)
{
    json_t *b = c->body, *steps = json_object_get(b, "steps");
    const char *end = json_string_value(json_object_get(b, "end"));
    json_t *total = json_object_get(b, "steps_total"), *done = json_object_get(b, "steps_done"),
           *skipped = json_object_get(b, "steps_skipped"), *seconds = json_object_get(b, "seconds"),
           *before = json_object_get(b, "pain_before"), *after = json_object_get(b, "pain_after"),
           *week = json_object_get(b, "week");
    const char *field = NULL;
    if (!end ||
        (strcmp(end, "completed") && strcmp(end, "stopped") && strcmp(end, "sharp-or-new-pain")))
        field = "end";
    else if (!int_in(total, 1, 1000))
        field = "steps_total";
    else if (!int_in(done, 0, json_integer_value(total)))
        field = "steps_done";
    else if (!int_in(skipped, 0, json_integer_value(total) - json_integer_value(done)))
        field = "steps_skipped";
    else if (!json_is_number(seconds) || json_number_value(seconds) < 0 ||
             json_number_value(seconds) > 86400)
        field = "seconds";
    else if (!int_in(before, 0, 10))
        field = "pain_before";
    else if (after && !json_is_null(after) && !int_in(after, 0, 10))
        field = "pain_after";
    else if (week && !int_in(week, 1, 520))
        field = "week";
    else if (!json_is_array(steps) || json_array_size(steps) != (size_t)json_integer_value(total) ||
             json_array_size(steps) != json_array_size(plan_steps))
        field = "steps";
    size_t i;
    json_t *s, *kept = json_array();
    json_array_foreach(steps, i, s)
    {
        const char *id = json_string_value(json_object_get(s, "id")),
                   *title = json_string_value(json_object_get(s, "title")),
                   *status = json_string_value(json_object_get(s, "status"));
        const char *planned =
            json_string_value(json_object_get(json_array_get(plan_steps, i), "id"));
        if (field || !id || !title || !status || !planned || strcmp(id, planned) != 0 ||
            strlen(title) > 300 ||
            (strcmp(status, "done") && strcmp(status, "skipped") && strcmp(status, "stopped") &&
             strcmp(status, "pending"))) {
            if (!field) field = "steps";
            break;
        }
        json_array_append_new(
            kept, json_pack("{s:s, s:s, s:s}", "id", id, "title", title, "status", status));
    }
    if (field) {
        json_decref(kept);
        tpt_response_error(c->res, 400, "invalid-field", field,
                           "a session is {end: completed|stopped|sharp-or-new-pain, steps_total, "
                           "steps_done, steps_skipped, seconds, pain_before 0-10, pain_after "
                           "0-10 or null, steps: [{id, title, status}] (the plan's home steps, "
                           "in order), week 1-520 (optional)}; \"%s\" is not right",
                           field);
        return NULL;
    }
    json_t *out = json_pack(
        "{s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:o, s:s}", "end", end, "steps_total", total,
        "steps_done", done, "steps_skipped", skipped, "seconds", seconds, "pain_before", before,
        "pain_after", after ? after : json_null(), "steps", kept, "notice", TPT_NOT_A_DIAGNOSIS);
    if (out && week) json_object_set(out, "week", week);
    return out;
}

static void post_session(record_call *c)
{
    if (self_care_allowed(c) != 0) return;
    tpt_record_list plans;
    const tpt_record *plan = latest(c, TPT_RECORD_PLAN, &plans);
    json_t *p = plan ? json_loads(plan->json, 0, NULL) : NULL;
    json_t *home = json_object_get(json_object_get(p, "home"), "steps");
    tpt_record_list_free(&plans);
    if (!json_is_array(home) || json_array_size(home) == 0) {
        if (!c->res->body)
            tpt_response_error(c->res, 409, "plan-required", NULL,
                               "a session follows a plan with a home program: make the plan first");
        json_decref(p);
        return;
    }
    json_t *summary = read_session(c, home);
    json_decref(p);
    char *text = summary ? json_dumps(summary, JSON_COMPACT) : NULL;
    int64_t id;
    char at[TPT_TIME_MAX];
    if (summary && !text) tpt_response_error(c->res, 500, "internal", NULL, "out of memory");
    if (text && keep(c, TPT_RECORD_SESSION, json_string_value(json_object_get(summary, "end")),
                     NULL, text, &id, at) == 0) {
        audit(c, "kept a session");
        c->res->status = 201;
        json_object_set_new(summary, "id", json_integer(id));
        json_object_set_new(summary, "at", json_string(at));
        c->res->body = json_incref(summary);
    }
    json_decref(summary);
    free(text);
}

static void get_sessions(record_call *c)
{
    tpt_record_list list;
    tpt_error err = {0};
    if (tpt_store_record_list(c->store, c->patient, TPT_RECORD_SESSION, &list, &err) != 0) {
        failed(c, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++) {
        json_t *o = json_loads(list.items[i].json, 0, NULL);
        if (!json_is_object(o)) {
            json_decref(o);
            o = json_object();
        }
        json_object_set_new(o, "id", json_integer(list.items[i].id));
        json_object_set_new(o, "at", json_string(list.items[i].at));
        json_array_append_new(items, o);
    }
    tpt_record_list_free(&list);
    audit(c, "read the sessions");
    c->res->body = json_pack("{s:o}", "sessions", items);
}

/* ---- log ---- */

/* An optional whole number of a body from min to max: -1 when absent or
 * null, -2 when wrong (with an error in res). */
static int optional_int(record_call *c, const char *key, int min, int max)
{
    json_t *v = json_object_get(c->body, key);
    if (!v || json_is_null(v)) return -1;
    if (int_in(v, min, max)) return (int)json_integer_value(v);
    tpt_response_error(c->res, 400, "invalid-field", key, "\"%s\" is a whole number from %d to %d",
                       key, min, max);
    return -2;
}

static int optional_text(record_call *c, const char *key, char **out)
{
    json_t *v = json_object_get(c->body, key);
    *out = NULL;
    if (!v || json_is_null(v)) return 0;
    if (json_is_string(v)) {
        *out = (char *)json_string_value(v);
        return 0;
    }
    tpt_response_error(c->res, 400, "invalid-field", key, "\"%s\" is text", key);
    return -1;
}

static void post_log(record_call *c)
{
    tpt_log_entry e = {.patient = c->patient};
    json_t *at = json_object_get(c->body, "at"),
           *sleep = json_object_get(c->body, "sleep_disturbed");
    char now[TPT_TIME_MAX];
    tpt_utc(time(NULL), now);
    if ((e.leg_pain = optional_int(c, "leg_pain", 0, 10)) == -2 ||
        (e.back_pain = optional_int(c, "back_pain", 0, 10)) == -2 ||
        (e.sitting_minutes = optional_int(c, "sitting_minutes", 0, 1440)) == -2 ||
        (e.walking_minutes = optional_int(c, "walking_minutes", 0, 1440)) == -2 ||
        optional_text(c, "medication", &e.medication) != 0 ||
        optional_text(c, "note", &e.note) != 0)
        return;
    if (sleep && !json_is_null(sleep) && !json_is_boolean(sleep)) {
        tpt_response_error(c->res, 400, "invalid-field", "sleep_disturbed",
                           "\"sleep_disturbed\" is true or false");
        return;
    }
    e.sleep_disturbed = json_is_boolean(sleep) ? json_is_true(sleep) : -1;
    if (at && !json_is_null(at) && (!json_is_string(at) || !*json_string_value(at))) {
        tpt_response_error(c->res, 400, "invalid-field", "at",
                           "\"at\" is a moment in UTC: 2026-11-21T08:30:00Z");
        return;
    }
    snprintf(e.at, sizeof e.at, "%s", json_is_string(at) ? json_string_value(at) : now);
    if (!cli_time_seconds(e.at)) {
        tpt_response_error(c->res, 400, "invalid-field", "at",
                           "\"at\" is a moment in UTC: 2026-11-21T08:30:00Z");
        return;
    }
    if (strcmp(e.at, now) > 0) {
        tpt_response_error(c->res, 400, "invalid-field", "at", "\"at\" is in the future");
        return;
    }
    tpt_error err = {0};
    if (tpt_store_log_add(c->store, &e, &e.id, &err) != 0) {
        tpt_response_error(c->res, tpt_http_status(err.status), "invalid-field", NULL, "%s",
                           err.message);
        return;
    }
    audit(c, "wrote a log entry");
    c->res->status = 201;
    c->res->body = json_pack("{s:o}", "entry", cli_log_entry_json(&e));
}

static void get_log(record_call *c)
{
    tpt_log_list log;
    tpt_error err = {0};
    if (tpt_store_log_list(c->store, c->patient, &log, &err) != 0) {
        failed(c, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < log.count; i++)
        json_array_append_new(items, cli_log_entry_json(&log.items[i]));
    tpt_log_list_free(&log);
    audit(c, "read the log");
    c->res->body = json_pack("{s:o}", "entries", items);
}

/* ---- progress, report, exports, history ---- */

static void get_progress(record_call *c)
{
    tpt_error err = {0};
    tpt_progress_rules *rules = tpt_progress_rules_default(&err);
    cli_progress_record g;
    if (!rules || cli_progress_gather(c->store, c->patient, rules, &g) != 0) {
        tpt_response_error(c->res, 500, "internal", NULL, "cannot read the progress");
        tpt_progress_rules_free(rules);
        return;
    }
    tpt_progress_input in;
    tpt_progress p;
    cli_progress_input(&g, (int64_t)time(NULL), &in);
    tpt_progress_evaluate(rules, &in, &p);
    c->res->body = cli_progress_json(rules, &p, g.flag_advice);
    cli_progress_record_free(&g);
    tpt_progress_rules_free(rules);
    audit(c, "read the progress");
}

static void get_report(record_call *c)
{
    tpt_error err = {0};
    tpt_progress_rules *rules = tpt_progress_rules_default(&err);
    tpt_buf html = {0};
    if (!rules || cli_report_html(c->store, c->patient, rules, c->data->regions, c->data->chart,
                                  c->data->instruments, &html) != 0) {
        tpt_buf_free(&html);
        tpt_progress_rules_free(rules);
        tpt_response_error(c->res, 500, "internal", NULL, "cannot write the report");
        return;
    }
    tpt_progress_rules_free(rules);
    audit(c, "read the report");
    c->res->raw = html.data;
    c->res->raw_len = html.len;
    c->res->content_type = "text/html; charset=utf-8";
    /* the report is self-contained: its own styles, no scripts; the
     * progress page shows it in a frame */
    c->res->csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                  "frame-ancestors 'self'; base-uri 'none'; form-action 'none'";
}

static void get_csv(record_call *c)
{
    const char *what = tpt_request_arg(c->req, "what");
    bool sessions = what && strcmp(what, "sessions") == 0;
    if (what && !sessions && strcmp(what, "log") != 0) {
        tpt_response_error(c->res, 400, "invalid-field", "what", "\"what\" is log or sessions");
        return;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    int code = !out || (sessions ? cli_csv_sessions(c->store, c->patient, out)
                                 : cli_csv_log(c->store, c->patient, out));
    if (out && fclose(out) != 0) code = 1;
    if (code) {
        free(text);
        tpt_response_error(c->res, 500, "internal", NULL, "cannot write the CSV");
        return;
    }
    audit(c, sessions ? "exported the sessions as CSV" : "exported the log as CSV");
    c->res->raw = text;
    c->res->raw_len = len;
    c->res->content_type = "text/csv; charset=utf-8; header=present";
    snprintf(c->res->disposition, sizeof c->res->disposition,
             "attachment; filename=\"tpt-%lld-%s.csv\"", (long long)c->patient,
             sessions ? "sessions" : "log");
}

static void get_fhir(record_call *c)
{
    tpt_log_list log;
    tpt_record_list records;
    tpt_error err = {0};
    if (tpt_store_log_list(c->store, c->patient, &log, &err) != 0) {
        failed(c, &err);
        return;
    }
    if (tpt_store_record_list(c->store, c->patient, -1, &records, &err) != 0) {
        tpt_log_list_free(&log);
        failed(c, &err);
        return;
    }
    tpt_measure_list measures = {0};
    tpt_store_measure_list(c->store, c->patient, &measures, NULL); /* none on failure */
    json_t *bundle = cli_fhir_bundle(&log, &records, &measures, NULL);
    tpt_measure_list_free(&measures);
    tpt_log_list_free(&log);
    tpt_record_list_free(&records);
    char *text = bundle ? json_dumps(bundle, JSON_INDENT(2)) : NULL;
    json_decref(bundle);
    if (!text) {
        tpt_response_error(c->res, 500, "internal", NULL, "out of memory");
        return;
    }
    audit(c, "exported the record as FHIR");
    c->res->raw = text;
    c->res->raw_len = strlen(text);
    c->res->content_type = "application/fhir+json; charset=utf-8";
    snprintf(c->res->disposition, sizeof c->res->disposition,
             "attachment; filename=\"tpt-%lld-fhir.json\"", (long long)c->patient);
}

static void get_history(record_call *c)
{
    tpt_record_list list;
    tpt_log_list log;
    tpt_error err = {0};
    if (tpt_store_record_list(c->store, c->patient, -1, &list, &err) != 0) {
        failed(c, &err);
        return;
    }
    if (tpt_store_log_list(c->store, c->patient, &log, &err) != 0) {
        tpt_record_list_free(&list);
        failed(c, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items,
                              json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)list.items[i].id,
                                        "kind", tpt_record_kind_name(list.items[i].kind), "at",
                                        list.items[i].at, "summary", list.items[i].summary));
    tpt_record_list_free(&list);
    c->res->body = json_pack("{s:o, s:I}", "records", items, "log_entries", (json_int_t)log.count);
    tpt_log_list_free(&log);
    audit(c, "read the history");
}

/* ---- routing ---- */

typedef void (*record_handler)(record_call *);

static const struct {
    const char *method, *name; /* name: what follows /patients/ID ("" for the patient) */
    record_handler handler;
    bool changes;
} routes[] = {
    {"GET", "", get_patient, false},           {"POST", "/screen", post_screen, true},
    {"GET", "/screen", get_screen, false},     {"POST", "/map", post_map, true},
    {"POST", "/plan", post_plan, true},        {"GET", "/plan", get_plan, false},
    {"GET", "/plan.html", get_handout, false}, {"POST", "/sessions", post_session, true},
    {"GET", "/sessions", get_sessions, false}, {"POST", "/log", post_log, true},
    {"GET", "/log", get_log, false},           {"GET", "/progress", get_progress, false},
    {"GET", "/report", get_report, false},     {"GET", "/export.csv", get_csv, false},
    {"GET", "/export.fhir", get_fhir, false},  {"GET", "/history", get_history, false},
};

/* The parts of a record a clinic keeps, each with its own handlers (given
 * what follows the prefix): clinical notes and a patient's details are the
 * clinic's alone; outcome questionnaires a patient may fill in at home. */
static const struct {
    const char *prefix;
    bool exact;        /* nothing may follow the prefix */
    bool patients_too; /* a patient may use it on their own record */
    void (*handler)(record_call *, const char *rest);
} clinic_parts[] = {
    {"/details", true, false, tpt_patient_details_handle},
    {"/visits", false, false, tpt_visits_handle},
    {"/measures", true, true, tpt_measures_handle},
    {"/course", true, false, tpt_course_handle},
    {"/letters/", false, false, tpt_letters_handle},
};

bool tpt_records_path(const char *path)
{
    return strncmp(path, P, strlen(P)) == 0;
}

void tpt_records_handle(const tpt_server_data *data, const tpt_request *req, json_t *body,
                        tpt_response *res)
{
    const char *id_text = req->path + strlen(P);
    char *rest;
    long long id = strtoll(id_text, &rest, 10);
    if (rest == id_text || *id_text < '1' || *id_text > '9') {
        tpt_response_error(res, 404, "not-found", NULL, "no such endpoint: %s", req->path);
        return;
    }
    for (size_t i = 0; i < sizeof clinic_parts / sizeof *clinic_parts; i++) {
        size_t n = strlen(clinic_parts[i].prefix);
        if (strncmp(rest, clinic_parts[i].prefix, n) != 0 ||
            (clinic_parts[i].exact && rest[n] != '\0'))
            continue;
        record_call c = {.data = data, .req = req, .body = body, .res = res, .patient = id};
        if (tpt_auth_caller(data, req, strcmp(req->method, "GET") != 0, &c.caller, res) != 0 ||
            !(c.store = tpt_server_store(data, res)) ||
            tpt_patient_access(c.store, &c.caller, id, res) != 0)
            return;
        if (c.caller.user.role == TPT_ROLE_PATIENT && !clinic_parts[i].patients_too)
            tpt_response_error(res, 403, "forbidden", NULL, "a patient account cannot do this");
        else
            clinic_parts[i].handler(&c, rest + n);
        res->private_data = true;
        return;
    }
    char allowed[16] = ""; /* the methods this path takes, for a 405 */
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        if (strcmp(rest, routes[i].name) != 0) continue;
        if (strcmp(req->method, routes[i].method) != 0) {
            size_t n = strlen(allowed);
            snprintf(allowed + n, sizeof allowed - n, "%s%s", n ? " or " : "", routes[i].method);
            continue;
        }
        record_call c = {.data = data, .req = req, .body = body, .res = res, .patient = id};
        if (tpt_auth_caller(data, req, routes[i].changes, &c.caller, res) != 0 ||
            !(c.store = tpt_server_store(data, res)) ||
            tpt_patient_access(c.store, &c.caller, id, res) != 0)
            return;
        routes[i].handler(&c);
        res->private_data = true; /* a record's pages and files: never kept by a cache */
        return;
    }
    if (*allowed)
        tpt_response_error(res, 405, "method-not-allowed", NULL, "%s takes %s", req->path, allowed);
    else
        tpt_response_error(res, 404, "not-found", NULL, "no such endpoint: %s", req->path);
}
