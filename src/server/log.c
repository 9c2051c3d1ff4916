/* The daily log of a record (GET and POST /patients/ID/log), as tpt log keeps
 * it, and its corrections (PUT and DELETE /patients/ID/log/N). */
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "handlers.h"
#include "record/views.h"

/* An optional whole number of a body from min to max: -1 when absent or
 * null, -2 when wrong (with an error in res). */
static int optional_int(srv_ctx *c, const char *key, int min, int max)
{
    json_t *v = json_object_get(c->body, key);
    if (!v || json_is_null(v)) return -1;
    if (srv_int_in(v, min, max)) return (int)json_integer_value(v);
    srv_reply_error(c->res, 400, "invalid-field", key, "\"%s\" is a whole number from %d to %d",
                    key, min, max);
    return -2;
}

static int optional_text(srv_ctx *c, const char *key, char **out)
{
    json_t *v = json_object_get(c->body, key);
    *out = NULL;
    if (!v || json_is_null(v)) return 0;
    if (json_is_string(v)) {
        *out = (char *)json_string_value(v);
        return 0;
    }
    srv_reply_error(c->res, 400, "invalid-field", key, "\"%s\" is text", key);
    return -1;
}

/* The entry a body gives (as tpt log takes it): 0, or an error in res. The
 * texts point into the body. */
static int read_entry(srv_ctx *c, tpt_log_entry *e)
{
    json_t *at = json_object_get(c->body, "at"),
           *sleep = json_object_get(c->body, "sleep_disturbed");
    char now[TPT_TIME_MAX];
    srv_now(c, now);
    if ((e->leg_pain = optional_int(c, "leg_pain", 0, 10)) == -2 ||
        (e->back_pain = optional_int(c, "back_pain", 0, 10)) == -2 ||
        (e->sitting_minutes = optional_int(c, "sitting_minutes", 0, 1440)) == -2 ||
        (e->walking_minutes = optional_int(c, "walking_minutes", 0, 1440)) == -2 ||
        optional_text(c, "medication", &e->medication) != 0 ||
        optional_text(c, "note", &e->note) != 0)
        return -1;
    if (sleep && !json_is_null(sleep) && !json_is_boolean(sleep)) {
        srv_reply_error(c->res, 400, "invalid-field", "sleep_disturbed",
                        "\"sleep_disturbed\" is true or false");
        return -1;
    }
    e->sleep_disturbed = json_is_boolean(sleep) ? json_is_true(sleep) : -1;
    if (at && !json_is_null(at) && (!json_is_string(at) || !*json_string_value(at))) {
        srv_reply_error(c->res, 400, "invalid-field", "at",
                        "\"at\" is a moment in UTC: 2026-11-21T08:30:00Z");
        return -1;
    }
    snprintf(e->at, sizeof e->at, "%s", json_is_string(at) ? json_string_value(at) : now);
    int64_t seconds;
    if (tpt_time_parse(e->at, &seconds) != 0) {
        srv_reply_error(c->res, 400, "invalid-field", "at",
                        "\"at\" is a moment in UTC: 2026-11-21T08:30:00Z");
        return -1;
    }
    if (strcmp(e->at, now) > 0) {
        srv_reply_error(c->res, 400, "invalid-field", "at", "\"at\" is in the future");
        return -1;
    }
    return 0;
}

void srv_record_log_add(srv_ctx *c)
{
    tpt_log_entry e = {.patient = c->patient, .author = c->caller.user.id};
    if (read_entry(c, &e) != 0) return;
    tpt_error err = {0};
    if (tpt_store_log_add(c->store, &e, &e.id, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    srv_record_audit(c, "wrote a log entry");
    c->res->status = 201;
    c->res->body = json_pack("{s:o}", "entry", tpt_log_entry_json(&e));
}

/* PUT or DELETE /log/N: a correction by whoever entered the entry, or the
 * clinic's staff; the store keeps who entered it. */
void srv_record_log_change(srv_ctx *c)
{
    tpt_log_list log;
    tpt_error err = {0};
    int64_t id = srv_path_id(c->rest);
    if (tpt_store_log_list(c->store, c->patient, &log, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    const tpt_log_entry *kept = NULL;
    for (size_t i = 0; i < log.count && !kept; i++)
        if (log.items[i].id == id) kept = &log.items[i];
    char action[64];
    if (!kept) {
        srv_reply_error(c->res, 404, "not-found", NULL, "no log entry %s in this record", c->rest);
    } else if (srv_may_correct(c, kept->author) != 0) {
        /* the refusal is in res */
    } else if (strcmp(c->req->method, "DELETE") == 0) {
        if (tpt_store_log_remove(c->store, c->patient, id, &err) != 0) {
            srv_reply_failed(c->res, &err, NULL);
        } else {
            snprintf(action, sizeof action, "removed log entry %lld", (long long)id);
            srv_record_audit(c, action);
            c->res->body = json_pack("{s:I}", "removed", (json_int_t)id);
        }
    } else {
        tpt_log_entry e = {.id = id, .patient = c->patient, .author = kept->author};
        if (read_entry(c, &e) != 0) {
            /* the refusal is in res */
        } else if (tpt_store_log_update(c->store, &e, &err) != 0) {
            srv_reply_failed(c->res, &err, NULL);
        } else {
            snprintf(action, sizeof action, "corrected log entry %lld", (long long)id);
            srv_record_audit(c, action);
            c->res->body = json_pack("{s:o}", "entry", tpt_log_entry_json(&e));
        }
    }
    tpt_log_list_free(&log);
}

void srv_record_log(srv_ctx *c)
{
    tpt_log_list log;
    tpt_error err = {0};
    if (tpt_store_log_list(c->store, c->patient, &log, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < log.count; i++)
        json_array_append_new(items, tpt_log_entry_json(&log.items[i]));
    tpt_log_list_free(&log);
    srv_record_audit(c, "read the log");
    c->res->body = json_pack("{s:o}", "entries", items);
}
