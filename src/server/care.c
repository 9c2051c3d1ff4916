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
#include "language.h"
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

/* GET /map: the record's latest drawing, its marks and findings as typed,
 * the engine's answer kept with it, and who made it when that is another
 * account (the practitioner at a visit). */
void srv_record_drawing(srv_ctx *c)
{
    tpt_record_list list;
    const tpt_record *r = srv_latest(c, TPT_RECORD_DRAWING, &list);
    if (!r) {
        if (!c->res->body)
            srv_reply_error(c->res, 404, "not-found", NULL, "no drawing in this record yet");
        tpt_record_list_free(&list);
        return;
    }
    json_t *marks = json_array(), *findings = json_array();
    char *copy = strdup(r->input ? r->input : ""), *save = NULL;
    for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t; t = strtok_r(NULL, " ", &save)) {
        if (strcmp(t, "--finding") == 0) {
            if ((t = strtok_r(NULL, " ", &save))) json_array_append_new(findings, json_string(t));
        } else {
            json_array_append_new(marks, json_string(t));
        }
    }
    free(copy);
    tpt_user by;
    bool other = r->author && r->author != c->caller.user.id &&
                 tpt_store_user_by_id(c->store, r->author, &by, NULL) == 0;
    c->res->body = json_pack(
        "{s:I, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)r->id, "at", r->at, "marks", marks,
        "findings", findings, "result", json_loads(r->json, 0, NULL), "made_by",
        other ? json_pack("{s:I, s:s}", "id", (json_int_t)by.id, "name", by.name) : json_null());
    tpt_record_list_free(&list);
    srv_record_audit(c, "read the drawing");
}

/* A drawing kept as typed ("--finding F ... MARK ...") read back. */
static int read_typed(srv_ctx *c, const char *typed, srv_drawing *d)
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
        srv_reply_error(c->res, 409, "drawing-required", NULL,
                        "the kept drawing cannot be read again (%s): draw it again", err.message);
    return rc ? -1 : 0;
}

int srv_keep_drawing(srv_ctx *c, const char *typed, int64_t *id)
{
    static _Thread_local srv_drawing d;
    tpt_result result;
    tpt_error err = {0};
    if (read_typed(c, typed, &d) != 0) return -1;
    if (tpt_infer(c->data->atlas, &d.drawing, d.findings, d.nfindings, &result, &err) != 0) {
        srv_reply_error(c->res, srv_http_status(err.status), "invalid-drawing", NULL, "%s",
                        err.message);
        return -1;
    }
    tpt_buf text = {0};
    int rc = tpt_result_write_json(c->data->atlas, &d.drawing, &result, &text);
    if (rc) srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
    if (!rc)
        rc = srv_keep(c, TPT_RECORD_DRAWING, tpt_pattern_name(result.pattern), typed, text.data, id,
                      NULL);
    tpt_buf_free(&text);
    return rc ? -1 : 0;
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
int srv_keep_plan(srv_ctx *c, int64_t *id, json_t **plan_json)
{
    static _Thread_local tpt_plan plan;
    tpt_record_list screens, drawings = {0};
    const tpt_record *screen = srv_latest(c, TPT_RECORD_SCREEN, &screens);
    const tpt_record *drawing = screen ? srv_latest(c, TPT_RECORD_DRAWING, &drawings) : NULL;
    json_t *out = NULL;
    int rc = -1;
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
    else if (tpt_plan_keep(c->store, &base, screen->id, drawing->id, out, id, &err) != 0)
        srv_reply_failed(c->res, &err, NULL);
    else
        rc = 0;
done:
    if (rc == 0 && plan_json) *plan_json = json_incref(out);
    json_decref(out);
    tpt_record_list_free(&drawings);
    tpt_record_list_free(&screens);
    return rc;
}

void srv_record_plan_add(srv_ctx *c)
{
    json_t *plan;
    if (srv_keep_plan(c, NULL, &plan) != 0) return;
    srv_record_audit(c, "kept a plan");
    c->res->status = 201;
    c->res->body = plan;
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
        /* who made it, when that is another account (the practitioner at a visit) */
        tpt_user by;
        bool other = r->author && r->author != c->caller.user.id &&
                     tpt_store_user_by_id(c->store, r->author, &by, NULL) == 0;
        c->res->body =
            json_pack("{s:I, s:s, s:o, s:I, s:o, s:b, s:o, s:o}", "id", (json_int_t)r->id, "at",
                      r->at, "plan", plan ? plan : json_object(), "week", (json_int_t)week,
                      "made_from", from, "stale", state.stale, "newer", newer(&state), "made_by",
                      other ? json_pack("{s:I, s:s}", "id", (json_int_t)by.id, "name", by.name)
                            : json_null());
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
        tpt_handout handout = {.atlas = c->data->atlas,
                               .techniques = c->data->techniques,
                               .plan = &plan,
                               .regions = c->data->regions,
                               .chart = c->data->chart,
                               .words = srv_words(c->data, c->req)};
        if (tpt_plan_write_html(&handout, &html) != 0) {
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

/* A session's optional "client_id" (the page's own id for it, so that one
 * sent again after a lost answer is kept once) and "at" (when it ended, for
 * one kept on the device while offline): 0, or a 400 in res. */
static int read_session_origin(srv_ctx *c, const char **client_id, char at[TPT_TIME_MAX])
{
    json_t *id = json_object_get(c->body, "client_id"), *when = json_object_get(c->body, "at");
    *client_id = json_string_value(id);
    at[0] = '\0';
    size_t n = *client_id ? strlen(*client_id) : 0;
    bool ok = !id || json_is_null(id) || (n >= 8 && n <= 64);
    for (size_t i = 0; ok && i < n; i++) {
        char ch = (*client_id)[i];
        ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
             ch == '-';
    }
    if (!ok) {
        srv_reply_error(c->res, 400, "invalid-field", "client_id",
                        "\"client_id\" is 8 to 64 letters, digits and '-'");
        return -1;
    }
    if (!when || json_is_null(when)) return 0;
    char now[TPT_TIME_MAX], oldest[TPT_TIME_MAX];
    int64_t seconds;
    srv_now(c, now);
    srv_from_now(c, -30LL * 24 * 3600, oldest);
    if (!json_is_string(when) || tpt_time_parse(json_string_value(when), &seconds) != 0 ||
        strlen(json_string_value(when)) >= TPT_TIME_MAX ||
        strcmp(json_string_value(when), now) > 0 || strcmp(json_string_value(when), oldest) < 0) {
        srv_reply_error(c->res, 400, "invalid-field", "at",
                        "\"at\" is when the session ended, in UTC, within the last 30 days");
        return -1;
    }
    snprintf(at, TPT_TIME_MAX, "%s", json_string_value(when));
    return 0;
}

/* The session of the record kept with this client id, as the API shows it, or NULL. */
static json_t *kept_already(srv_ctx *c, const char *client_id)
{
    tpt_record_list list;
    json_t *found = NULL;
    if (!client_id ||
        tpt_store_record_list(c->store, c->patient, TPT_RECORD_SESSION, &list, NULL) != 0)
        return NULL;
    for (size_t i = 0; i < list.count && !found; i++) {
        json_t *o = json_loads(list.items[i].json, 0, NULL);
        const char *kept = json_string_value(json_object_get(o, "client_id"));
        if (kept && strcmp(kept, client_id) == 0) {
            found = o;
            json_object_set_new(o, "id", json_integer(list.items[i].id));
            json_object_set_new(o, "at", json_string(list.items[i].at));
        } else {
            json_decref(o);
        }
    }
    tpt_record_list_free(&list);
    return found;
}

void srv_record_session_add(srv_ctx *c)
{
    const char *client_id;
    char at[TPT_TIME_MAX];
    if (srv_self_care_allowed(c) != 0 || read_session_origin(c, &client_id, at) != 0) return;
    json_t *again = kept_already(c, client_id);
    if (again) { /* sent again: the one kept already */
        c->res->body = again;
        return;
    }
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
    if (summary && client_id) json_object_set_new(summary, "client_id", json_string(client_id));
    char *text = summary ? json_dumps(summary, JSON_COMPACT) : NULL;
    int64_t id;
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
        json_object_set_new(
            o, "author", list.items[i].author ? json_integer(list.items[i].author) : json_null());
        json_array_append_new(items, o);
    }
    tpt_record_list_free(&list);
    srv_record_audit(c, "read the sessions");
    c->res->body = json_pack("{s:o}", "sessions", items);
}

/* PUT or DELETE /sessions/N: the pain ratings corrected ({pain_before,
 * pain_after}), or the session removed, by whoever kept it or the clinic's
 * staff. A session stopped for sharp or new pain stays for the clinician: a
 * patient's account may correct it but not remove it. */
void srv_record_session_change(srv_ctx *c)
{
    tpt_record_list list;
    tpt_error err = {0};
    int64_t id = srv_path_id(c->rest);
    if (tpt_store_record_list(c->store, c->patient, TPT_RECORD_SESSION, &list, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    const tpt_record *kept = NULL;
    for (size_t i = 0; i < list.count && !kept; i++)
        if (list.items[i].id == id) kept = &list.items[i];
    json_t *summary = kept ? json_loads(kept->json, 0, NULL) : NULL;
    bool removing = strcmp(c->req->method, "DELETE") == 0;
    char action[64];
    if (!kept || !json_is_object(summary)) {
        srv_reply_error(c->res, 404, "not-found", NULL, "no session %s in this record", c->rest);
    } else if (srv_may_correct(c, kept->author) != 0) {
        /* the refusal is in res */
    } else if (removing && c->caller.user.role == TPT_ROLE_PATIENT &&
               strcmp(kept->summary, "sharp-or-new-pain") == 0) {
        srv_reply_error(c->res, 409, "kept-for-clinician", NULL,
                        "a session stopped for sharp or new pain stays in the record for the "
                        "clinician; ask them to remove it if it was kept by mistake");
    } else if (removing) {
        if (tpt_store_record_remove(c->store, c->patient, TPT_RECORD_SESSION, id, &err) != 0) {
            srv_reply_failed(c->res, &err, NULL);
        } else {
            snprintf(action, sizeof action, "removed session %lld", (long long)id);
            srv_record_audit(c, action);
            c->res->body = json_pack("{s:I}", "removed", (json_int_t)id);
        }
    } else {
        json_t *before = json_object_get(c->body, "pain_before"),
               *after = json_object_get(c->body, "pain_after");
        const char *field = !srv_int_in(before, 0, 10) ? "pain_before"
                            : after && !json_is_null(after) && !srv_int_in(after, 0, 10)
                                ? "pain_after"
                                : NULL;
        char *text = NULL;
        if (field) {
            srv_reply_error(c->res, 400, "invalid-field", field,
                            "a correction is {pain_before: 0-10, pain_after: 0-10 or null}");
        } else {
            json_object_set(summary, "pain_before", before);
            json_object_set(summary, "pain_after", after ? after : json_null());
            text = json_dumps(summary, JSON_COMPACT);
            tpt_record r = {.id = id, .patient = c->patient, .kind = TPT_RECORD_SESSION};
            r.summary = kept->summary;
            r.json = text;
            if (!text)
                srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
            else if (tpt_store_record_update(c->store, &r, &err) != 0)
                srv_reply_failed(c->res, &err, NULL);
            else {
                snprintf(action, sizeof action, "corrected session %lld", (long long)id);
                srv_record_audit(c, action);
                json_object_set_new(summary, "id", json_integer(id));
                json_object_set_new(summary, "at", json_string(kept->at));
                c->res->body = json_pack("{s:O}", "session", summary);
            }
        }
        free(text);
    }
    json_decref(summary);
    tpt_record_list_free(&list);
}
