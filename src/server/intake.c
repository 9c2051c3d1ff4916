/* Intake before the first visit: a link the booked person opens without an
 * account to tell their history, draw where it hurts and fill in the
 * outcome questionnaires (GET and PUT /intake/TOKEN, POST
 * /intake/TOKEN/map and /intake/TOKEN/measures). The link reaches that one
 * record and only adds to it: it reads back nothing but which parts are
 * done. It ends when the appointment does, or when it is cancelled. The
 * drawing and the measures are kept as any drawing and measure of the
 * record (a drawing's warnings stand as always); the history waits with
 * the appointment, and the visit note opened from it starts with all of it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "fields.h"
#include "handlers.h"
#include "tpt/json.h"
#include "tpt/visit.h"

int srv_intake_keep(srv_ctx *c, const tpt_appointment *a, const uint8_t *token_hash, tpt_error *err)
{
    tpt_intake in = {.appointment = a->id, .patient = a->patient, .clinic = a->clinic};
    memcpy(in.token_hash, token_hash, TPT_TOKEN_HASH_SIZE);
    snprintf(in.expires, sizeof in.expires, "%s", a->ends);
    srv_now(c, in.created_at);
    return tpt_store_intake_add(c->store, &in, err);
}

int srv_intake_make(srv_ctx *c, const tpt_appointment *a, char *link, size_t size, tpt_error *err)
{
    char token[65];
    uint8_t hash[TPT_TOKEN_HASH_SIZE];
    tpt_token_new(token, hash);
    int rc = srv_intake_keep(c, a, hash, err);
    if (!rc) snprintf(link, size, "/#/intake/%s", token);
    return rc;
}

void srv_intake_into_note(srv_ctx *c, int64_t appointment, json_t *note)
{
    tpt_intake in;
    if (tpt_store_intake_get(c->store, appointment, &in, NULL) != 0) return;
    json_t *subjective = in.subjective ? json_loads(in.subjective, 0, NULL) : NULL;
    if (json_is_object(subjective)) json_object_set(note, "subjective", subjective);
    json_decref(subjective);
    tpt_record_list records;
    if (in.drawing &&
        tpt_store_record_list(c->store, in.patient, TPT_RECORD_DRAWING, &records, NULL) == 0) {
        for (size_t i = 0; i < records.count; i++) {
            if (records.items[i].id != in.drawing || !records.items[i].input) continue;
            /* the drawing as typed: its marks, leaving out any "--finding F" */
            json_t *marks = json_array();
            char *copy = strdup(records.items[i].input), *save = NULL;
            for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t;
                 t = strtok_r(NULL, " ", &save)) {
                if (strcmp(t, "--finding") == 0)
                    strtok_r(NULL, " ", &save);
                else
                    json_array_append_new(marks, json_string(t));
            }
            free(copy);
            json_object_set_new(note, "objective", json_pack("{s:o}", "marks", marks));
        }
        tpt_record_list_free(&records);
    }
    tpt_intake_free(&in);
}

/* ---- the link ---- */

/* The live intake of /intake/TOKEN[/...]: 0, or the 410 of a link that
 * cannot be used (none, expired, its appointment cancelled); what
 * follows the token in *after. The appointment comes with it. */
static int live_intake(srv_ctx *c, tpt_intake *in, tpt_appointment *a, const char **after)
{
    char token[80], now[TPT_TIME_MAX];
    uint8_t hash[TPT_TOKEN_HASH_SIZE];
    size_t n = strcspn(c->rest, "/");
    *after = c->rest + n;
    memset(in, 0, sizeof *in);
    if (!srv_store(c)) return -1;
    if (n >= sizeof token) n = 0;
    memcpy(token, c->rest, n);
    token[n] = '\0';
    srv_now(c, now);
    /* the link is the key to its clinic's rows of this person; a link that
     * never was, is over or was cancelled answers alike (handlers.h) */
    if (tpt_token_hash(token, hash) != 0 || tpt_store_intake_find(c->store, hash, in, NULL) != 0 ||
        tpt_store_scope(c->store, in->clinic, NULL) != 0 ||
        tpt_store_appointment_get(c->store, in->appointment, a, NULL) != 0 ||
        strcmp(in->expires, now) <= 0 || a->status == TPT_APPOINTMENT_CANCELLED) {
        tpt_intake_free(in);
        srv_link_unusable(c->res);
        return -1;
    }
    c->patient = in->patient;
    /* whoever holds the link acts as the person themselves, with no
     * account: what they keep is theirs, never a clinician's */
    c->caller.user.role = TPT_ROLE_PATIENT;
    c->caller.user.patient = in->patient;
    return 0;
}

/* The questionnaires an intake offers: those whose every item has its words. */
static json_t *instruments(const tpt_instruments *set)
{
    json_t *list = json_array();
    for (size_t i = 0; set && i < set->count; i++) {
        const tpt_instrument *in = set->items[i];
        bool worded = true;
        for (size_t k = 0; k < in->nitems; k++)
            worded &= in->items[k].text != NULL;
        if (worded) json_array_append_new(list, tpt_instrument_json(in));
    }
    return list;
}

void srv_intake_get(srv_ctx *c)
{
    tpt_intake in;
    tpt_appointment a;
    tpt_calendar cal;
    const char *after;
    if (live_intake(c, &in, &a, &after) != 0) return;
    if (*after) {
        srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes POST", c->req->path);
    } else if (srv_calendar_open(c, &cal, in.clinic) == 0) {
        json_t *appointment = tpt_appointment_json(&cal, &a);
        /* the link shows when and where, never the record it adds to */
        json_object_del(appointment, "patient");
        json_object_del(appointment, "note");
        c->res->body =
            json_pack("{s:{s:s, s:s}, s:o, s:{s:b, s:b, s:i}, s:o, s:s}", "clinic", "name",
                      cal.profile.name, "phone", cal.profile.phone, "appointment", appointment,
                      "done", "history", in.subjective != NULL, "drawing", in.drawing > 0,
                      "measures", in.measures, "instruments", instruments(c->data->instruments),
                      "perpetuating", "repetitive-use posture long-sitting trauma stress");
        tpt_calendar_close(&cal);
    }
    tpt_intake_free(&in);
}

/* PUT /intake/TOKEN: what the person tells, checked as a visit note's
 * subjective part of an intake is. */
void srv_intake_put(srv_ctx *c)
{
    tpt_intake in;
    tpt_appointment a;
    const char *after;
    static _Thread_local tpt_visit_evidence ev;
    static const char *const known[] = {"subjective", NULL};
    if (live_intake(c, &in, &a, &after) != 0) return;
    if (srv_known_fields(c->body, known, c->res) != 0) {
        tpt_intake_free(&in);
        return;
    }
    json_t *subjective = json_object_get(c->body, "subjective");
    json_t *note = json_pack("{s:s, s:O}", "kind", "intake", "subjective",
                             subjective ? subjective : json_null());
    tpt_error err = {0};
    char *text = NULL;
    if (*after) {
        srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes POST", c->req->path);
    } else if (!json_is_object(subjective) ||
               tpt_visit_note_check(c->data->regions, c->data->atlas, c->data->techniques, note,
                                    &ev, &err) != 0) {
        char field[96];
        size_t n = strcspn(err.message, ":");
        snprintf(field, sizeof field, "%.*s", (int)(n < 80 ? n : 80), err.message);
        srv_reply_error(c->res, 400, "invalid-field", *err.message ? field : "subjective", "%s",
                        *err.message ? err.message : "\"subjective\" is what the person tells");
    } else if (!(text = json_dumps(subjective, JSON_COMPACT))) {
        srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
    } else {
        char now[TPT_TIME_MAX];
        srv_now(c, now);
        if (tpt_store_intake_update(c->store, in.appointment, text, 0, false, now, &err) != 0) {
            srv_reply_failed(c->res, &err, NULL);
        } else {
            srv_audit(c, 0, "calendar: the patient told their history before the visit",
                      in.patient);
            c->res->body = json_pack("{s:b}", "saved", 1);
        }
    }
    free(text);
    json_decref(note);
    tpt_intake_free(&in);
}

/* POST /intake/TOKEN/map and /measures: kept as the record's own. */
void srv_intake_post(srv_ctx *c)
{
    tpt_intake in;
    tpt_appointment a;
    const char *after;
    if (live_intake(c, &in, &a, &after) != 0) return;
    char now[TPT_TIME_MAX];
    tpt_error err = {0};
    srv_now(c, now);
    if (strcmp(after, "/map") == 0) {
        srv_record_map(c);
        tpt_record_list list;
        const tpt_record *r =
            c->res->status == 201 ? srv_latest(c, TPT_RECORD_DRAWING, &list) : NULL;
        if (r &&
            tpt_store_intake_update(c->store, in.appointment, NULL, r->id, false, now, &err) != 0) {
            json_decref(c->res->body);
            free(c->res->json_text);
            c->res->json_text = NULL;
            c->res->body = NULL;
            srv_reply_failed(c->res, &err, NULL);
        }
        if (r) tpt_record_list_free(&list);
    } else if (strcmp(after, "/measures") == 0) {
        /* a measure of the intake is taken for the first visit */
        tpt_visit_list visits;
        int next = 1;
        if (tpt_store_visit_list(c->store, in.patient, &visits, NULL) == 0) {
            next = (int)visits.count + 1;
            tpt_visit_list_free(&visits);
        }
        json_object_set_new(c->body, "visit", json_integer(next));
        srv_record_measures(c);
        if (c->res->status == 201 &&
            tpt_store_intake_update(c->store, in.appointment, NULL, 0, true, now, &err) != 0) {
            json_decref(c->res->body);
            c->res->body = NULL;
            srv_reply_failed(c->res, &err, NULL);
        }
    } else {
        srv_reply_error(c->res, 404, "not-found", NULL, "no such endpoint: %s", c->req->path);
    }
    tpt_intake_free(&in);
}
