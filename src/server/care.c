/* The care steps of a record: the red-flag screen, the drawing, the plan and
 * its printable handout, and the guided sessions, each doing what the
 * command of the same name does. While a red flag at urgent or above stands
 * in the record the plan, its handout and sessions are refused with the
 * advice (record.c); a plan older than the latest screen or drawing is
 * stale: it answers without its home program, and gives no handout and no
 * session (409 plan-stale) until a new plan is made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fields.h"
#include "handlers.h"
#include "inputs.h"
#include "record/plan_record.h"
#include "tpt/handout.h"
#include "tpt/json.h"
#include "tpt/notice.h"
#include "tpt/plan.h"
#include "tpt/protocol.h"

/* ---- screen ---- */

void srv_record_screen_add(srv_ctx *c)
{
    tpt_screen_result result;
    if (srv_read_answers(c->data, c->body, &result, c->res) != 0) return;
    json_t *out = tpt_screen_result_json(c->data->screen, &result);
    char *input = json_dumps(c->body, JSON_COMPACT | JSON_SORT_KEYS);
    char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
    if (!input || !text) {
        srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
    } else if (srv_keep(c, TPT_RECORD_SCREEN, tpt_level_name(result.level), input, text, NULL,
                        NULL) == 0) {
        srv_record_audit(c, "kept a screen");
        c->res->status = 201;
        c->res->body = json_incref(out);
    }
    json_decref(out);
    free(input);
    free(text);
}

void srv_record_screen(srv_ctx *c)
{
    tpt_record_list list;
    const tpt_record *r = srv_latest(c, TPT_RECORD_SCREEN, &list);
    if (!r) {
        if (!c->res->body)
            srv_reply_error(c->res, 404, "not-found", NULL, "no screen in this record yet");
    } else {
        c->res->body = json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)r->id, "at", r->at,
                                 "answers", json_loads(r->input ? r->input : "{}", 0, NULL),
                                 "result", json_loads(r->json, 0, NULL));
        srv_record_audit(c, "read the screen");
    }
    tpt_record_list_free(&list);
}

/* ---- drawing ---- */

void srv_record_map(srv_ctx *c)
{
    static _Thread_local srv_drawing d;
    tpt_result result;
    tpt_error err = {0};
    if (srv_read_drawing(c->data, c->body, &d, c->res) != 0) return;
    if (tpt_infer(c->data->atlas, &d.drawing, d.findings, d.nfindings, &result, &err) != 0) {
        srv_reply_error(c->res, srv_http_status(err.status), "invalid-drawing", NULL, "%s",
                        err.message);
        return;
    }
    tpt_buf text = {0};
    if (tpt_result_write_json(c->data->atlas, &d.drawing, &result, &text) != 0) {
        tpt_buf_free(&text);
        srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
        return;
    }
    if (srv_keep(c, TPT_RECORD_DRAWING, tpt_pattern_name(result.pattern), d.typed, text.data, NULL,
                 NULL) != 0) {
        tpt_buf_free(&text);
        return;
    }
    srv_record_audit(c, "kept a drawing");
    c->res->status = 201;
    c->res->json_text = text.data; /* handed over: the server frees it once sent */
    c->res->json_len = text.len;
}

/* ---- plan ---- */

/* The plan for a screen and a drawing of the record; 0, or an error in res. */
static int build_plan(srv_ctx *c, const tpt_record *screen, const tpt_record *drawing,
                      tpt_plan *plan)
{
    tpt_plan_data data = {c->data->regions, c->data->atlas, c->data->techniques, c->data->screen};
    tpt_error err = {0};
    tpt_flags flags; /* what a clinician lifted holds the plan back no more */
    if (srv_flags(c, &flags) != 0) return -1;
    int rc = tpt_plan_remake(&data, &flags, screen, drawing, plan, &err);
    tpt_flags_free(&flags);
    if (rc == 0) return 0;
    if (err.status == TPT_ERR_DATA) /* kept by another version of the data */
        srv_reply_error(c->res, 409, "record-unreadable", NULL, "%s", err.message);
    else
        srv_reply_error(c->res, srv_http_status(err.status), "invalid-plan", NULL, "%s",
                        err.message);
    return -1;
}

/* A plan is made from the latest screen and drawing and names them (record/
 * plan_record.h), so that its handout is made again from the very same, and
 * a newer screen or drawing makes it stale. */
void srv_record_plan_add(srv_ctx *c)
{
    static _Thread_local tpt_plan plan;
    tpt_record_list screens, drawings = {0};
    const tpt_record *screen = srv_latest(c, TPT_RECORD_SCREEN, &screens);
    const tpt_record *drawing = screen ? srv_latest(c, TPT_RECORD_DRAWING, &drawings) : NULL;
    json_t *out = NULL;
    if (!screen || !drawing) {
        if (!c->res->body)
            srv_reply_error(c->res, 409, screen ? "drawing-required" : "screen-required",
                            screen ? "marks" : "answers",
                            screen ? "a plan needs a drawing: mark where it hurts first"
                                   : "a plan needs the red-flag screen first");
        goto done;
    }
    if (build_plan(c, screen, drawing, &plan) != 0) goto done;
    out = tpt_plan_json(c->data->atlas, c->data->techniques, &plan);
    tpt_record base = {.patient = c->patient,
                       .author = c->caller.user.id,
                       .clinician = srv_as_clinician(c),
                       .summary = (char *)tpt_level_name(plan.screen.level)};
    srv_now(c, base.at);
    tpt_error err = {0};
    if (!out)
        srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
    else if (tpt_plan_keep(c->store, &base, screen->id, drawing->id, out, NULL, &err) != 0)
        srv_reply_failed(c->res, &err, NULL);
    else {
        srv_record_audit(c, "kept a plan");
        c->res->status = 201;
        c->res->body = json_incref(out);
    }
done:
    json_decref(out);
    tpt_record_list_free(&drawings);
    tpt_record_list_free(&screens);
}

/* The record's latest plan and its state (the list is freed by the caller),
 * or NULL with an error in res: 404 when the record has none. */
static const tpt_record *latest_plan(srv_ctx *c, tpt_record_list *all, tpt_plan_state *state)
{
    tpt_error err = {0};
    if (tpt_store_record_list(c->store, c->patient, -1, all, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return NULL;
    }
    tpt_plan_state_of(all, state);
    if (!state->plan)
        srv_reply_error(c->res, 404, "not-found", NULL,
                        "no plan in this record yet: make the plan first");
    return state->plan;
}

static json_t *record_ref(const tpt_record *r)
{
    return r ? json_pack("{s:I, s:s}", "id", (json_int_t)r->id, "at", r->at) : json_null();
}

/* What is newer than the plan: {"screen": {id, at} or null, "drawing": ...}. */
static json_t *newer(const tpt_plan_state *s)
{
    bool screen = s->latest_screen && s->latest_screen->id != s->screen;
    bool drawing = s->latest_drawing && s->latest_drawing->id != s->drawing;
    return json_pack("{s:o, s:o}", "screen", record_ref(screen ? s->latest_screen : NULL),
                     "drawing", record_ref(drawing ? s->latest_drawing : NULL));
}

/* 409 plan-stale: no handout or session from a plan older than the latest
 * screen or drawing; the answer says which is newer. */
static void reply_stale(srv_ctx *c, const tpt_plan_state *s)
{
    json_t *what = newer(s);
    bool screen = !json_is_null(json_object_get(what, "screen"));
    bool drawing = !json_is_null(json_object_get(what, "drawing"));
    srv_reply_error(c->res, 409, "plan-stale", NULL,
                    "the plan was made before the latest %s: make a new plan from the latest "
                    "screen and drawing first (POST /api/v1/patients/%lld/plan)",
                    screen && drawing ? "screen and drawing"
                    : drawing         ? "drawing"
                                      : "screen",
                    (long long)c->patient);
    json_object_set_new(json_object_get(c->res->body, "error"), "newer", what);
}

void srv_record_plan(srv_ctx *c)
{
    if (srv_self_care_allowed(c) != 0) return;
    tpt_record_list all;
    tpt_plan_state state;
    const tpt_record *r = latest_plan(c, &all, &state);
    if (r) {
        json_t *plan = json_loads(r->json, 0, NULL);
        /* a stale plan shows what it was, never its home program */
        if (state.stale) json_object_del(plan, "home");
        json_t *from = state.screen ? json_pack("{s:I, s:I}", "screen", (json_int_t)state.screen,
                                                "drawing", (json_int_t)state.drawing)
                                    : json_null();
        /* the week of the program sets its graded steps (the walk) */
        long week = tpt_program_week(tpt_program_began(&all), (int64_t)time(NULL));
        c->res->body =
            json_pack("{s:I, s:s, s:o, s:I, s:o, s:b, s:o}", "id", (json_int_t)r->id, "at", r->at,
                      "plan", plan ? plan : json_object(), "week", (json_int_t)week, "made_from",
                      from, "stale", state.stale, "newer", newer(&state));
        srv_record_audit(c, "read the plan");
    }
    tpt_record_list_free(&all);
}

/* The handout of the kept plan, made again from its screen and drawing. */
void srv_record_handout(srv_ctx *c)
{
    static _Thread_local tpt_plan plan;
    if (srv_self_care_allowed(c) != 0) return;
    tpt_record_list all;
    tpt_plan_state state;
    const tpt_record *screen = NULL, *drawing = NULL;
    if (!latest_plan(c, &all, &state)) goto done;
    if (state.stale) {
        reply_stale(c, &state);
        goto done;
    }
    for (size_t i = 0; i < all.count; i++) {
        if (all.items[i].id == state.screen) screen = &all.items[i];
        if (all.items[i].id == state.drawing) drawing = &all.items[i];
    }
    tpt_buf html = {0};
    if (!screen || !drawing) {
        srv_reply_error(c->res, 404, "not-found", NULL,
                        "no plan to print in this record: make the plan first");
    } else if (build_plan(c, screen, drawing, &plan) == 0) {
        if (tpt_plan_write_html(c->data->atlas, c->data->techniques, &plan, &html) != 0) {
            srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
        } else {
            srv_record_audit(c, "printed the plan");
            c->res->raw = html.data; /* handed over */
            c->res->raw_len = html.len;
            c->res->content_type = "text/html; charset=utf-8";
            /* self-contained like the report: its own styles, no scripts */
            c->res->csp = SRV_PRINT_CSP;
            html = (tpt_buf){0};
        }
    }
    tpt_buf_free(&html);
done:
    tpt_record_list_free(&all);
}

/* ---- sessions ---- */

/* A session summary as the page sends it, checked against the plan's home
 * program (the same steps, in order) and rebuilt from known fields only;
 * NULL with an error in res. */
static json_t *read_session(srv_ctx *c, json_t *plan_steps)
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
    else if (!srv_int_in(total, 1, 1000))
        field = "steps_total";
    else if (!srv_int_in(done, 0, json_integer_value(total)))
        field = "steps_done";
    else if (!srv_int_in(skipped, 0, json_integer_value(total) - json_integer_value(done)))
        field = "steps_skipped";
    else if (!json_is_number(seconds) || json_number_value(seconds) < 0 ||
             json_number_value(seconds) > 86400)
        field = "seconds";
    else if (!srv_int_in(before, 0, 10))
        field = "pain_before";
    else if (after && !json_is_null(after) && !srv_int_in(after, 0, 10))
        field = "pain_after";
    else if (week && !srv_int_in(week, 1, 520))
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
        srv_reply_error(c->res, 400, "invalid-field", field,
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

void srv_record_session_add(srv_ctx *c)
{
    if (srv_self_care_allowed(c) != 0) return;
    tpt_record_list all;
    tpt_error err = {0};
    if (tpt_store_record_list(c->store, c->patient, -1, &all, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    tpt_plan_state state;
    tpt_plan_state_of(&all, &state);
    json_t *p = state.plan ? json_loads(state.plan->json, 0, NULL) : NULL;
    json_t *home = json_object_get(json_object_get(p, "home"), "steps");
    if (!json_is_array(home) || json_array_size(home) == 0 || state.stale) {
        if (state.stale && json_array_size(home))
            reply_stale(c, &state);
        else
            srv_reply_error(c->res, 409, "plan-required", NULL,
                            "a session follows a plan with a home program: make the plan first");
        json_decref(p);
        tpt_record_list_free(&all);
        return;
    }
    tpt_record_list_free(&all);
    json_t *summary = read_session(c, home);
    json_decref(p);
    char *text = summary ? json_dumps(summary, JSON_COMPACT) : NULL;
    int64_t id;
    char at[TPT_TIME_MAX];
    if (summary && !text) srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
    if (text && srv_keep(c, TPT_RECORD_SESSION, json_string_value(json_object_get(summary, "end")),
                         NULL, text, &id, at) == 0) {
        srv_record_audit(c, "kept a session");
        c->res->status = 201;
        json_object_set_new(summary, "id", json_integer(id));
        json_object_set_new(summary, "at", json_string(at));
        c->res->body = json_incref(summary);
    }
    json_decref(summary);
    free(text);
}

void srv_record_sessions(srv_ctx *c)
{
    tpt_record_list list;
    tpt_error err = {0};
    if (tpt_store_record_list(c->store, c->patient, TPT_RECORD_SESSION, &list, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
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
    srv_record_audit(c, "read the sessions");
    c->res->body = json_pack("{s:o}", "sessions", items);
}
