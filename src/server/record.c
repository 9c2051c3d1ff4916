/* A patient's record as a whole (GET /patients/ID and /history), and what
 * every handler of a record shares: keeping what tpt produced, the latest
 * record of a kind, and the red flags standing in the record, which hold
 * back the self-care parts (the plan, its handout and sessions) while one
 * at urgent or above stands, as tpt session refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "handlers.h"
#include "record/flags.h"

int srv_keep(srv_ctx *c, tpt_record_kind kind, const char *summary, const char *input,
             const char *json, int64_t *id, char *at)
{
    tpt_record r = {.patient = c->patient, .kind = kind};
    r.summary = (char *)summary;
    r.input = (char *)input;
    r.json = (char *)json;
    srv_now(r.at);
    tpt_error err = {0};
    if (at) memcpy(at, r.at, TPT_TIME_MAX);
    if (tpt_store_record_add(c->store, &r, id, &err) == 0) return 0;
    srv_reply_failed(c->res, &err, NULL);
    return -1;
}

const tpt_record *srv_latest(srv_ctx *c, tpt_record_kind kind, tpt_record_list *list)
{
    tpt_error err = {0};
    if (tpt_store_record_list(c->store, c->patient, (int)kind, list, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return NULL;
    }
    return list->count ? &list->items[list->count - 1] : NULL;
}

int srv_standing(srv_ctx *c, tpt_level *level, char **advice)
{
    tpt_record_list all;
    tpt_error err = {0};
    *advice = NULL;
    *level = TPT_LEVEL_NONE;
    if (tpt_store_record_list(c->store, c->patient, -1, &all, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return -1;
    }
    int n = (int)tpt_standing_flags(&all, level, advice);
    tpt_record_list_free(&all);
    return n;
}

int srv_self_care_allowed(srv_ctx *c)
{
    tpt_level level;
    char *advice;
    int n = srv_standing(c, &level, &advice);
    if (n < 0) return -1;
    int rc = 0;
    if (n > 0 && !TPT_SELF_CARE_ALLOWED(level)) {
        srv_reply_error(c->res, 409, "self-care-stopped", NULL,
                        "a warning sign (%s) stands in this record: no self-treatment until "
                        "a clinician has seen the patient and a new screen is clear. %s",
                        tpt_level_name(level), advice ? advice : "");
        rc = -1;
    }
    free(advice);
    return rc;
}

/* ---- the patient ---- */

void srv_record_summary(srv_ctx *c)
{
    char *name = tpt_store_patient_name(c->store, c->patient);
    tpt_level level;
    char *advice;
    int n = name ? srv_standing(c, &level, &advice) : -1;
    if (n < 0) {
        if (!name) srv_reply_error(c->res, 500, "internal", NULL, "cannot read the patient");
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
    srv_record_audit(c, "read the record's summary");
}

void srv_record_history(srv_ctx *c)
{
    tpt_record_list list;
    tpt_log_list log;
    tpt_error err = {0};
    if (tpt_store_record_list(c->store, c->patient, -1, &list, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    if (tpt_store_log_list(c->store, c->patient, &log, &err) != 0) {
        tpt_record_list_free(&list);
        srv_reply_failed(c->res, &err, NULL);
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
    srv_record_audit(c, "read the history");
}

/* GET /patients/ID/audit: who has opened or changed the record, and who
 * tried and was refused, newest first: for the patient themselves as much
 * as for their clinic. Names and roles, never the staff's emails or
 * addresses (the admins' audit view has those). */
void srv_record_audit_log(srv_ctx *c)
{
    long long limit = srv_number_arg(c->req, "limit", 1, 1000, 200, c->res);
    long long before = limit < 0 ? -1 : srv_number_arg(c->req, "before", 1, INT64_MAX, 0, c->res);
    if (limit < 0 || before < 0) return;
    tpt_audit_filter filter = {.patient = c->patient, .before = before, .limit = (size_t)limit};
    tpt_audit_list list;
    tpt_error err = {0};
    if (tpt_store_audit_list(c->store, &filter, &list, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++) {
        const tpt_audit_entry *e = &list.items[i];
        json_array_append_new(
            items,
            json_pack("{s:I, s:s, s:o, s:s, s:b, s:b}", "id", (json_int_t)e->id, "at", e->at, "who",
                      e->user ? json_pack("{s:s, s:s}", "name", e->user_name, "role",
                                          tpt_role_name(e->user_role))
                              : json_null(),
                      "action", e->action, "refused", strncmp(e->action, "refused ", 8) == 0, "you",
                      e->user && e->user == c->caller.user.id));
    }
    tpt_audit_list_free(&list);
    srv_record_audit(c, "read who has seen the record");
    c->res->body = json_pack("{s:o}", "entries", items);
}

/* DELETE /patients/ID: the record erased on its patient's request, by an
 * admin of its clinic: everything in it is removed, the patient's account
 * deleted; a tombstone and the record's audit log stay. */
void srv_record_erase(srv_ctx *c)
{
    if (c->caller.user.role != TPT_ROLE_ADMIN) {
        srv_reply_error(c->res, 403, "forbidden", NULL,
                        "only an admin of the clinic erases a record, on its patient's request");
        c->refused = true;
        return;
    }
    char now[TPT_TIME_MAX];
    tpt_patient p;
    tpt_error err = {0};
    srv_now(now);
    if (tpt_store_patient_erase(c->store, c->patient, now, c->caller.user.id, &err) != 0 ||
        tpt_store_patient_get(c->store, c->patient, &p, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    srv_record_audit(c, "erased the record on the patient's request");
    c->res->body = json_pack("{s:{s:I, s:s, s:s}}", "erased", "id", (json_int_t)p.id, "name",
                             p.name, "erased", p.erased);
}
