/* A patient's record as a whole (GET /patients/ID and /history), and what
 * every handler of a record shares: keeping what tpt produced (by whom, as
 * a clinician or not), the latest record of a kind, and the red flags
 * standing in the record (record/flags.h), which hold back the self-care
 * parts (the plan, its handout and sessions) while one at urgent or above
 * stands, as tpt session refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "handlers.h"
#include "record/views.h"

bool srv_as_clinician(const srv_ctx *c)
{
    return c->caller.user.role != TPT_ROLE_PATIENT && c->caller.user.patient != c->patient;
}

int srv_keep(srv_ctx *c, tpt_record_kind kind, const char *summary, const char *input,
             const char *json, int64_t *id, char *at)
{
    tpt_record r = {.patient = c->patient,
                    .kind = kind,
                    .author = c->caller.user.id,
                    .clinician = srv_as_clinician(c)};
    r.summary = (char *)summary;
    r.input = (char *)input;
    r.json = (char *)json;
    if (at && *at)
        memcpy(r.at, at, TPT_TIME_MAX);
    else
        srv_now(c, r.at);
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

int srv_flags(srv_ctx *c, tpt_flags *out)
{
    tpt_error err = {0};
    if (tpt_flags_read(c->store, c->patient, NULL, out, &err) == 0) return 0;
    srv_reply_failed(c->res, &err, NULL);
    return -1;
}

int srv_self_care_allowed(srv_ctx *c)
{
    tpt_flags flags;
    if (srv_flags(c, &flags) != 0) return -1;
    int rc = 0;
    if (tpt_flags_stop(&flags)) {
        const char *advice = tpt_flags_advice(&flags);
        srv_reply_error(c->res, 409, "self-care-stopped", NULL,
                        "a warning sign (%s) stands in this record: no self-treatment until "
                        "%s. %s",
                        tpt_level_name(flags.level),
                        flags.items[0].clinician
                            ? "a clinician has assessed it and lifted it"
                            : "a clinician has seen the patient and the warning is lifted",
                        advice ? advice : "");
        rc = -1;
    }
    tpt_flags_free(&flags);
    return rc;
}

int srv_may_correct(srv_ctx *c, int64_t author)
{
    const tpt_user *me = &c->caller.user;
    /* staff reach only their clinic's records (the route checked it) */
    if (me->role != TPT_ROLE_PATIENT || author == me->id || (!author && me->patient == c->patient))
        return 0;
    srv_reply_error(c->res, 403, "not-yours", NULL,
                    "only who entered it, or the clinic's staff, may change or remove it");
    return -1;
}

/* ---- the patient ---- */

void srv_record_summary(srv_ctx *c)
{
    char *name = tpt_store_patient_name(c->store, c->patient);
    tpt_flags flags;
    if (!name) {
        srv_reply_error(c->res, 500, "internal", NULL, "cannot read the patient");
        return;
    }
    if (srv_flags(c, &flags) != 0) {
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
    const char *advice = tpt_flags_advice(&flags);
    c->res->body = json_pack(
        "{s:{s:I, s:s}, s:{s:i, s:o, s:o, s:o}, s:b, s:o}", "patient", "id", (json_int_t)c->patient,
        "name", name, "flags", "count", (int)flags.count, "level",
        flags.count ? json_string(tpt_level_name(flags.level)) : json_null(), "advice",
        advice ? json_string(advice) : json_null(), "standing", tpt_flags_json(c->store, &flags),
        "self_care", !tpt_flags_stop(&flags), "latest", latest_at);
    free(name);
    tpt_flags_free(&flags);
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
    srv_now(c, now);
    if (tpt_store_patient_erase(c->store, c->patient, now, c->caller.user.id, &err) != 0 ||
        tpt_store_patient_get(c->store, c->patient, &p, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    srv_record_audit(c, "erased the record on the patient's request");
    c->res->body = json_pack("{s:{s:I, s:s, s:s}}", "erased", "id", (json_int_t)p.id, "name",
                             p.name, "erased", p.erased);
}
