/* A person's own calendar, for them and their clinic's staff: their
 * appointments with the reminders waiting for them (shown in the app, so
 * that nothing is lost without email), cancelling one of their own, and
 * their private calendar feed (iCalendar) that a phone subscribes to, with
 * its address made anew or revoked; the feed itself at that address. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "fields.h"
#include "handlers.h"
#include "record/feed.h"

/* ---- appointments ---- */

static void list_appointments(srv_ctx *c, int64_t clinic)
{
    tpt_calendar cal;
    tpt_appointment_list list;
    tpt_message_list waiting;
    tpt_error err = {0};
    if (srv_calendar_open(c, &cal, clinic) != 0) return;
    tpt_appointment_filter f = {.clinic = clinic, .patient = c->patient, .cancelled = true};
    if (tpt_store_appointment_list(c->store, &f, &list, &err) != 0 ||
        tpt_store_message_list(c->store, clinic, c->patient,
                               1u << TPT_MESSAGE_QUEUED | 1u << TPT_MESSAGE_SENDING, 50, &waiting,
                               &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        tpt_calendar_close(&cal);
        return;
    }
    json_t *items = json_array(), *reminders = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, tpt_appointment_json(&cal, &list.items[i]));
    /* what the emails would say, now that it is due: the app shows it too */
    for (size_t i = 0; i < waiting.count; i++) {
        const tpt_message *m = &waiting.items[i];
        if (strcmp(m->due, cal.now) <= 0 && m->kind != TPT_MESSAGE_INTAKE)
            json_array_append_new(reminders,
                                  json_pack("{s:s, s:s, s:I}", "kind",
                                            tpt_message_kind_name(m->kind), "subject", m->subject,
                                            "appointment", (json_int_t)m->appointment));
    }
    c->res->body = json_pack("{s:s, s:s, s:o, s:o}", "zone", cal.profile.zone, "now", cal.now,
                             "appointments", items, "reminders", reminders);
    tpt_appointment_list_free(&list);
    tpt_message_list_free(&waiting);
    tpt_calendar_close(&cal);
    srv_record_audit(c, "read the appointments");
}

/* POST /patients/ID/appointments/AID/cancel: the person cancels their own. */
static void cancel_own(srv_ctx *c, int64_t clinic, const char *rest)
{
    char *end;
    long long id = strtoll(rest, &end, 10);
    tpt_calendar cal;
    tpt_appointment a;
    tpt_error err = {0};
    static const char *const known[] = {"reason", NULL};
    if (id < 1 || strcmp(end, "/cancel") != 0) {
        srv_reply_error(c->res, 404, "not-found", NULL, "no such endpoint: %s", c->req->path);
        return;
    }
    if (srv_known_fields(c->body, known, c->res) != 0 || srv_calendar_open(c, &cal, clinic) != 0)
        return;
    if (tpt_calendar_appointment(&cal, id, &a, &err) != 0 || a.patient != c->patient) {
        srv_reply_error(c->res, 404, "not-found", NULL, "no appointment %lld in this record", id);
    } else {
        const char *reason = json_string_value(json_object_get(c->body, "reason"));
        if (tpt_calendar_cancel(&cal, id, reason ? reason : "cancelled by the patient", &a, &err) !=
            0)
            srv_reply_failed(c->res, &err, NULL);
        else
            c->res->body = json_pack("{s:o}", "appointment", tpt_appointment_json(&cal, &a));
    }
    tpt_calendar_close(&cal);
}

void srv_record_appointments(srv_ctx *c)
{
    int64_t clinic = 0;
    tpt_error err = {0};
    if (tpt_store_patient_clinic(c->store, c->patient, &clinic, &err) != 0 || !clinic) {
        srv_reply_error(c->res, 404, "not-found", NULL, "this record belongs to no clinic");
        return;
    }
    bool get = strcmp(c->req->method, "GET") == 0, post = strcmp(c->req->method, "POST") == 0;
    if (!*c->rest && get)
        list_appointments(c, clinic);
    else if (*c->rest == '/' && post)
        cancel_own(c, clinic, c->rest + 1);
    else
        srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes %s", c->req->path,
                        *c->rest ? "POST" : "GET");
}

/* ---- the feed ---- */

static json_t *feed_json(const tpt_feed *f)
{
    json_t *times = json_array();
    for (int i = 0; i < f->nsessions; i++)
        json_array_append_new(times, tpt_minutes_json(f->session_minutes[i]));
    return json_pack("{s:b, s:o, s:o, s:s}", "live", f->live, "sessions", times, "check",
                     f->check_minute >= 0 ? tpt_minutes_json(f->check_minute) : json_null(),
                     "since", f->created_at);
}

/* "HH:MM" as minutes of the day, or -1. */
static int minute_of(json_t *v)
{
    const char *t = json_string_value(v);
    int h, m;
    char end;
    if (!t || strlen(t) != 5 || sscanf(t, "%2d:%2d%c", &h, &m, &end) != 2 || h > 23 || m > 59 ||
        h < 0 || m < 0)
        return -1;
    return h * 60 + m;
}

static void save_feed(srv_ctx *c, const tpt_feed *old)
{
    tpt_feed f = {.patient = c->patient, .live = true, .check_minute = -1};
    json_t *sessions = json_object_get(c->body, "sessions"),
           *check = json_object_get(c->body, "check");
    bool keep = false;
    static const char *const known[] = {"sessions", "check", "keep_address", NULL};
    if (srv_known_fields(c->body, known, c->res) != 0 ||
        srv_bool_field(c->body, "keep_address", &keep, c->res) < 0)
        return;
    if (sessions && (!json_is_array(sessions) || json_array_size(sessions) > TPT_FEED_TIMES_MAX)) {
        srv_reply_error(c->res, 400, "invalid-field", "sessions",
                        "\"sessions\" is a list of up to %d times such as \"08:00\"",
                        TPT_FEED_TIMES_MAX);
        return;
    }
    for (size_t i = 0; sessions && i < json_array_size(sessions); i++)
        if ((f.session_minutes[f.nsessions++] = minute_of(json_array_get(sessions, i))) < 0) {
            srv_reply_error(c->res, 400, "invalid-field", "sessions",
                            "a session's time is HH:MM, from 00:00 to 23:59");
            return;
        }
    if (check && !json_is_null(check) && (f.check_minute = minute_of(check)) < 0) {
        srv_reply_error(c->res, 400, "invalid-field", "check",
                        "\"check\" is the time of the daily pain check, HH:MM, or null");
        return;
    }
    char token[65] = "";
    if (keep && old && old->live)
        memcpy(f.token_hash, old->token_hash, sizeof f.token_hash);
    else
        tpt_token_new(token, f.token_hash); /* a new address: the old one stops working */
    srv_now(c, f.created_at);
    tpt_error err = {0};
    if (tpt_store_feed_save(c->store, &f, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    srv_record_audit(c, *token ? "made a new calendar feed address" : "changed the calendar feed");
    json_t *o = json_pack("{s:o}", "feed", feed_json(&f));
    if (*token) { /* the address is shown this once: only its hash is kept */
        char url[600];
        snprintf(url, sizeof url, "%s/api/v1/feeds/%s.ics", c->data->base_url, token);
        json_object_set_new(o, "url", json_string(url));
    }
    c->res->status = *token ? 201 : 200;
    c->res->body = o;
}

void srv_record_feed(srv_ctx *c)
{
    tpt_feed f;
    tpt_error err = {0};
    const char *m = c->req->method;
    int rc = tpt_store_feed_get(c->store, c->patient, &f, &err);
    if (rc && err.status != TPT_ERR_INPUT) {
        srv_reply_failed(c->res, &err, NULL);
    } else if (strcmp(m, "GET") == 0) {
        c->res->body = json_pack("{s:o}", "feed", rc ? json_null() : feed_json(&f));
        srv_record_audit(c, "read the calendar feed's settings");
    } else if (strcmp(m, "POST") == 0) {
        save_feed(c, rc ? NULL : &f);
    } else if (strcmp(m, "DELETE") == 0) {
        if (!rc && f.live) {
            f.live = false;
            if (tpt_store_feed_save(c->store, &f, &err) != 0) {
                srv_reply_failed(c->res, &err, NULL);
                return;
            }
        }
        srv_record_audit(c, "revoked the calendar feed");
        c->res->body = json_pack("{s:o}", "feed", rc ? json_null() : feed_json(&f));
    } else {
        srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes GET, POST or DELETE",
                        c->req->path);
    }
}

/* GET /feeds/TOKEN.ics: the feed, for whoever holds the address. */
void srv_feed_ics(srv_ctx *c)
{
    char token[80];
    uint8_t hash[TPT_TOKEN_HASH_SIZE];
    size_t n = strlen(c->rest);
    tpt_feed f;
    if (!srv_store(c)) return;
    if (n < 5 || n - 4 >= sizeof token || strcmp(c->rest + n - 4, ".ics") != 0 ||
        (memcpy(token, c->rest, n - 4), token[n - 4] = '\0', tpt_token_hash(token, hash) != 0) ||
        tpt_store_feed_find(c->store, hash, &f, NULL) != 0 ||
        tpt_store_scope(c->store, f.clinic, NULL) != 0) { /* the address is the key */
        srv_link_unusable(c->res); /* replaced, revoked or never made: one answer */
        return;
    }
    char now[TPT_TIME_MAX];
    int64_t seconds;
    srv_now(c, now);
    tpt_time_parse(now, &seconds);
    tpt_buf out = {0};
    tpt_error err = {0};
    if (tpt_feed_write(c->store, &f, c->data->base_url, seconds, &out, &err) != 0) {
        tpt_buf_free(&out);
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    srv_audit(c, 0, "calendar: a calendar app read the feed", f.patient);
    c->res->raw = out.data;
    c->res->raw_len = out.len;
    c->res->content_type = "text/calendar; charset=utf-8";
    c->res->private_data = true;
}
