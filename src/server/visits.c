/* A clinic's visits in SOAP form (/patients/ID/visits[/N[/sign|/amendments]]).
 * A visit is a draft until signed; signed, it is locked, and a correction is
 * an amendment with its author and time (the store refuses anything else).
 * Saving a note runs the engine on its drawing twice, with and without the
 * examination and palpation findings, so the page can show how they moved
 * the ranking. Admins and practitioners only (the route checks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "record/views.h"
#include "record/visit_warning.h"
#include "tpt/json.h"
#include "tpt/level.h"
#include "tpt/visit.h"

/* Whether a drawing's warnings hold one that stops self-treatment. */
static bool serious(const srv_ctx *c, unsigned warnings)
{
    for (int w = 0; w < TPT_WARNING_COUNT; w++)
        if ((warnings & (1u << w)) && !TPT_SELF_CARE_ALLOWED(c->data->atlas->warnings[w].level))
            return true;
    return false;
}

/* A note's drawing with a serious warning is kept as a drawing of the
 * record too (record/visit_warning.h): 0, or an error in c->res. */
static int keep_warning(srv_ctx *c, const char *note, const char *result)
{
    tpt_record base = {.patient = c->patient, .author = c->caller.user.id};
    tpt_error err = {0};
    bool kept;
    srv_now(c, base.at);
    if (tpt_visit_warning_keep(c->store, &base, note, result, &kept, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return -1;
    }
    if (kept) srv_record_audit(c, "kept a visit's drawing that raised a warning");
    return 0;
}

/* Checks the body's "note"; its text (caller frees) and the engine's
 * answers (caller frees, may be NULL), or -1 with an error in res. */
static int read_note(srv_ctx *c, char **note, char **result)
{
    static _Thread_local tpt_visit_evidence ev;
    json_t *n = json_object_get(c->body, "note");
    tpt_error err = {0};
    if (!n) {
        srv_reply_error(c->res, 400, "invalid-field", "note", "a visit needs its \"note\"");
        return -1;
    }
    if (tpt_visit_note_check(c->data->regions, c->data->atlas, c->data->techniques, n, &ev, &err) !=
        0) {
        /* the field is the part of the message before its colon */
        char field[96];
        size_t len = strcspn(err.message, ":");
        snprintf(field, sizeof field, "note.%.*s", (int)(len < 80 ? len : 80), err.message);
        srv_reply_error(c->res, 400, "invalid-field", field, "%s", err.message);
        return -1;
    }
    /* the marks are each valid; as a drawing they may still not be (one
     * region marked twice), which is refused as tpt map refuses it */
    static _Thread_local tpt_drawing drawing;
    unsigned warnings = 0;
    if (ev.nmarks && tpt_drawing_parse(c->data->regions, (char *const *)ev.marks, ev.nmarks,
                                       &drawing, &warnings, &err) != 0) {
        srv_reply_error(c->res, 400, "invalid-mark", "note.objective.marks", "%s", err.message);
        return -1;
    }
    *note = json_dumps(n, JSON_COMPACT);
    *result = NULL;
    if (ev.nmarks && tpt_visit_engine_answers(c->data->atlas, &drawing, &ev, result, &err) != 0)
        *result = NULL; /* the note is kept; its answer is the engine's to give again */
    if (!*note || (!*result && serious(c, warnings))) {
        /* a warning that could not be kept is never passed over */
        free(*result);
        free(*note);
        srv_reply_error(c->res, 500, "internal", NULL, "the note's warning could not be kept");
        return -1;
    }
    if (keep_warning(c, *note, *result) != 0) {
        free(*result);
        free(*note);
        return -1;
    }
    return 0;
}

/* The visit numbered `number` of the record (list freed by the caller), or
 * NULL with a 404 in res. */
static const tpt_visit *find_visit(srv_ctx *c, const char *number, tpt_visit_list *list)
{
    char *end;
    long n = strtol(number, &end, 10);
    tpt_error err = {0};
    if (tpt_store_visit_list(c->store, c->patient, list, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return NULL;
    }
    for (size_t i = 0; end != number && !*end && n > 0 && i < list->count; i++)
        if (list->items[i].number == n) return &list->items[i];
    tpt_visit_list_free(list);
    srv_reply_error(c->res, 404, "not-found", NULL, "no visit %s in this record", number);
    return NULL;
}

static void list_visits(srv_ctx *c)
{
    tpt_visit_list list;
    tpt_patient p;
    tpt_error err = {0};
    if (tpt_store_visit_list(c->store, c->patient, &list, &err) != 0 ||
        tpt_store_patient_get(c->store, c->patient, &p, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, tpt_visit_json(c->store, &list.items[i], false));
    c->res->body = json_pack("{s:o, s:i}", "visits", items, "planned_visits", p.planned_visits);
    tpt_visit_list_free(&list);
    srv_record_audit(c, "listed the visits");
}

static void add_visit(srv_ctx *c)
{
    char *note, *result;
    if (read_note(c, &note, &result) != 0) return;
    tpt_visit v = {
        .patient = c->patient, .author = c->caller.user.id, .note = note, .result = result};
    srv_now(c, v.at);
    tpt_error err = {0};
    if (tpt_store_visit_add(c->store, &v, &v.id, &v.number, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
    } else {
        srv_record_audit(c, "wrote a visit note");
        c->res->status = 201;
        c->res->body = json_pack("{s:o}", "visit", tpt_visit_json(c->store, &v, true));
    }
    free(note);
    free(result);
}

static void change_visit(srv_ctx *c, const tpt_visit *v)
{
    char *note, *result;
    tpt_error err = {0};
    if (*v->signed_at) {
        srv_reply_error(c->res, 409, "visit-signed", NULL,
                        "visit %d is signed and locked: add an amendment instead", v->number);
        return;
    }
    if (read_note(c, &note, &result) != 0) return;
    if (tpt_store_visit_update(c->store, v->id, note, result, &err) != 0) {
        if (err.status == TPT_ERR_CONFLICT) /* signed a moment ago */
            srv_reply_error(c->res, 409, "visit-signed", NULL, "%s", err.message);
        else
            srv_reply_failed(c->res, &err, NULL);
    } else {
        tpt_visit changed = *v;
        changed.note = note;
        changed.result = result;
        srv_record_audit(c, "changed a draft visit note");
        c->res->body = json_pack("{s:o}", "visit", tpt_visit_json(c->store, &changed, true));
    }
    free(note);
    free(result);
}

/* The note's drawing typed as tpt map takes it: its examination findings
 * and the palpated spots that are tender and reproduce the pain (as
 * tpt_visit_note_check counts them), then the marks; "" without marks. */
static int typed_drawing(const json_t *note, tpt_buf *typed)
{
    const json_t *o = json_object_get(note, "objective"), *v;
    const json_t *marks = json_object_get(o, "marks");
    size_t i;
    if (!json_array_size(marks)) return 0;
    json_array_foreach(json_object_get(o, "findings"), i, v)
    {
        if (json_is_string(v))
            tpt_buf_printf(typed, "--finding %s ", json_string_value(v));
        else
            tpt_buf_printf(typed, "--finding %s:%s ",
                           json_string_value(json_object_get(v, "finding")),
                           json_string_value(json_object_get(v, "side")));
    }
    json_array_foreach(json_object_get(o, "palpation"), i, v)
    {
        if (json_is_true(json_object_get(v, "tender")) &&
            json_is_true(json_object_get(v, "reproduces")))
            tpt_buf_printf(typed, "--finding tender:%s:%s ",
                           json_string_value(json_object_get(v, "muscle")),
                           json_string_value(json_object_get(v, "side")));
    }
    json_array_foreach(marks, i, v)
        tpt_buf_printf(typed, "%s%s", i ? " " : "", json_string_value(v));
    return typed->failed ? -1 : 0;
}

/* What a signed note gives the patient's own record: its drawing (with
 * the findings) becomes the record's latest, so the ranked causes are the
 * visit's; and when it gave a home program, the plan is made from it and
 * the latest screen, unless there is no screen yet or a warning stops
 * self-care. Says what happened in *out: {drawing, plan, plan_missing}. */
static int carry_to_record(srv_ctx *c, const tpt_visit *v, json_t **out)
{
    json_t *note = json_loads(v->note, 0, NULL);
    tpt_buf typed = {0};
    int64_t drawing = 0, plan = 0;
    const char *missing = NULL;
    int rc = typed_drawing(note, &typed);
    if (rc) srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
    if (!rc && typed.len) rc = srv_keep_drawing(c, typed.data, &drawing);
    bool home = json_is_true(json_object_get(json_object_get(note, "plan"), "home_program"));
    if (!rc && drawing && home) {
        tpt_flags flags;
        tpt_record_list screens;
        int read = srv_flags(c, &flags);
        bool stop = read == 0 && tpt_flags_stop(&flags);
        if (read == 0) tpt_flags_free(&flags);
        bool screened = read == 0 && srv_latest(c, TPT_RECORD_SCREEN, &screens);
        if (read == 0) tpt_record_list_free(&screens);
        if (read != 0)
            rc = -1;
        else if (stop)
            missing = "self-care-stopped";
        else if (!screened)
            missing = "screen-required";
        else
            rc = srv_keep_plan(c, &plan, NULL);
    }
    if (!rc)
        *out =
            json_pack("{s:o, s:o, s:o}", "drawing", drawing ? json_integer(drawing) : json_null(),
                      "plan", plan ? json_integer(plan) : json_null(), "plan_missing",
                      missing ? json_string(missing) : json_null());
    tpt_buf_free(&typed);
    json_decref(note);
    return rc;
}

/* Signing locks the note and carries its work into the patient's record,
 * all in one transaction: a note is never signed without it. */
static void sign_visit(srv_ctx *c, const tpt_visit *v)
{
    tpt_visit signed_visit = *v;
    tpt_error err = {0};
    json_t *record = NULL;
    srv_now(c, signed_visit.signed_at);
    signed_visit.signed_by = c->caller.user.id;
    if (*v->signed_at) {
        srv_reply_error(c->res, 409, "visit-signed", NULL, "visit %d is signed already", v->number);
        return;
    }
    if (tpt_store_begin(c->store, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    if (tpt_store_visit_sign(c->store, v->id, c->caller.user.id, signed_visit.signed_at, &err) !=
        0) {
        tpt_store_rollback(c->store);
        if (err.status == TPT_ERR_CONFLICT)
            srv_reply_error(c->res, 409, "visit-signed", NULL, "visit %d is signed already",
                            v->number);
        else
            srv_reply_failed(c->res, &err, NULL);
        return;
    }
    if (carry_to_record(c, v, &record) != 0 || tpt_store_commit(c->store, &err) != 0) {
        tpt_store_rollback(c->store);
        if (!c->res->body) srv_reply_failed(c->res, &err, NULL);
        return;
    }
    /* one line for the one call: what it carried into the record with it */
    srv_record_audit(c, json_integer_value(json_object_get(record, "plan"))
                            ? "signed a visit note, keeping its drawing and plan in the record"
                        : json_integer_value(json_object_get(record, "drawing"))
                            ? "signed a visit note, keeping its drawing in the record"
                            : "signed a visit note");
    c->res->body = json_pack("{s:o, s:o}", "visit", tpt_visit_json(c->store, &signed_visit, true),
                             "record", record);
}

static void amend_visit(srv_ctx *c, const tpt_visit *v)
{
    const char *text = json_string_value(json_object_get(c->body, "text"));
    char at[TPT_TIME_MAX];
    int64_t id;
    tpt_error err = {0};
    if (!*v->signed_at) {
        srv_reply_error(c->res, 409, "visit-draft", NULL,
                        "visit %d is a draft: change it, or sign it first", v->number);
        return;
    }
    srv_now(c, at);
    if (!text) {
        srv_reply_error(c->res, 400, "invalid-field", "text", "an amendment is {\"text\": ...}");
        return;
    }
    if (tpt_store_amendment_add(c->store, v->id, c->caller.user.id, at, text, &id, &err) != 0) {
        srv_reply_failed(c->res, &err, "text");
        return;
    }
    srv_record_audit(c, "amended a visit note");
    c->res->status = 201;
    c->res->body = json_pack("{s:{s:I, s:s, s:I, s:s}}", "amendment", "id", (json_int_t)id, "at",
                             at, "author", (json_int_t)c->caller.user.id, "text", text);
}

void srv_record_visits(srv_ctx *c)
{
    const char *rest = c->rest;
    const char *m = c->req->method;
    bool get = strcmp(m, "GET") == 0, post = strcmp(m, "POST") == 0, put = strcmp(m, "PUT") == 0;
    if (!*rest) {
        if (get)
            list_visits(c);
        else if (post)
            add_visit(c);
        else
            srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes GET or POST",
                            c->req->path);
        return;
    }
    if (*rest != '/') {
        srv_reply_error(c->res, 404, "not-found", NULL, "no such endpoint: %s", c->req->path);
        return;
    }
    char number[24];
    size_t n = strcspn(rest + 1, "/");
    snprintf(number, sizeof number, "%.*s", (int)(n < 20 ? n : 20), rest + 1);
    const char *action = rest + 1 + n;
    tpt_visit_list list;
    const tpt_visit *v = find_visit(c, number, &list);
    if (!v) return;
    if (!*action && get) {
        srv_record_audit(c, "read a visit note");
        c->res->body = json_pack("{s:o}", "visit", tpt_visit_json(c->store, v, true));
    } else if (!*action && put) {
        change_visit(c, v);
    } else if (strcmp(action, "/sign") == 0 && post) {
        sign_visit(c, v);
    } else if (strcmp(action, "/amendments") == 0 && post) {
        amend_visit(c, v);
    } else if (!*action || !strcmp(action, "/sign") || !strcmp(action, "/amendments")) {
        srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes %s", c->req->path,
                        !*action ? "GET or PUT" : "POST");
    } else {
        srv_reply_error(c->res, 404, "not-found", NULL, "no such endpoint: %s", c->req->path);
    }
    tpt_visit_list_free(&list);
}
