/* What admins and the operator manage: the accounts, the clinics and the
 * audit log. An admin manages their own clinic; the operator every clinic
 * (srv_managed_clinic), and only the operator makes clinics. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fields.h"
#include "handlers.h"

#define AUDIT_DEFAULT 100
#define AUDIT_MAX 1000

void srv_users_list(srv_ctx *c)
{
    srv_response *res = c->res;
    if (srv_sign_in_as(c, false, SRV_MANAGERS) != 0) return;
    /* the operator may look at one clinic; an admin sees their own */
    long long clinic = srv_number_arg(c->req, "clinic", 1, INT64_MAX, 0, res);
    if (clinic < 0 || (clinic && srv_manages(c, clinic, "clinic") != 0)) return;
    if (!clinic) clinic = srv_managed_clinic(c);
    tpt_store *store = c->store;
    tpt_user_list list;
    tpt_error err = {0};
    if (tpt_store_user_list(store, clinic, &list, &err) != 0) {
        srv_reply_failed(res, &err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, srv_user_json(store, &list.items[i]));
    tpt_user_list_free(&list);
    srv_audit(c, c->caller.user.id, "listed the accounts", 0);
    res->body = json_pack("{s:o}", "users", items);
}

void srv_clinics_list(srv_ctx *c)
{
    srv_response *res = c->res;
    if (srv_sign_in_as(c, false, SRV_MANAGERS) != 0) return;
    tpt_clinic_list list = {0};
    tpt_clinic own;
    tpt_error err = {0};
    int64_t mine = srv_managed_clinic(c);
    if (mine ? tpt_store_clinic_get(c->store, mine, &own, &err)
             : tpt_store_clinic_list(c->store, &list, &err)) {
        srv_reply_failed(res, &err, NULL);
        return;
    }
    json_t *items = json_array();
    const tpt_clinic *all = mine ? &own : list.items;
    for (size_t i = 0, n = mine ? 1 : list.count; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:I, s:s}", "id", (json_int_t)all[i].id, "name", all[i].name));
    tpt_clinic_list_free(&list);
    res->body = json_pack("{s:o}", "clinics", items);
}

void srv_clinics_add(srv_ctx *c)
{
    json_t *body = c->body;
    srv_response *res = c->res;
    const char *name;
    if (srv_sign_in_as(c, true, SRV_OPERATOR) != 0 || !(name = srv_string_field(body, "name", res)))
        return;
    tpt_store *store = c->store;
    int64_t id;
    tpt_error err = {0};
    if (tpt_store_clinic_add(store, name, &id, &err) != 0) {
        srv_reply_failed(res, &err, "name");
        return;
    }
    srv_audit(c, c->caller.user.id, "added a clinic", 0);
    res->status = 201;
    res->body = json_pack("{s:{s:I, s:s}}", "clinic", "id", (json_int_t)id, "name", name);
}

/* One line as the audit view shows it. */
static json_t *entry_json(const tpt_audit_entry *e)
{
    return json_pack(
        "{s:I, s:s, s:o, s:s, s:o, s:s?}", "id", (json_int_t)e->id, "at", e->at, "user",
        e->user ? json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)e->user, "name", e->user_name,
                            "email", e->user_email, "role", tpt_role_name(e->user_role))
                : json_null(),
        "action", e->action, "patient",
        e->patient ? json_pack("{s:I, s:s}", "id", (json_int_t)e->patient, "name", e->patient_name)
                   : json_null(),
        "address", *e->address ? e->address : NULL);
}

void srv_audit_list(srv_ctx *c)
{
    srv_response *res = c->res;
    if (srv_sign_in_as(c, false, SRV_MANAGERS) != 0) return;
    long long limit = srv_number_arg(c->req, "limit", 1, AUDIT_MAX, AUDIT_DEFAULT, res);
    long long patient = limit < 0 ? -1 : srv_number_arg(c->req, "patient", 1, INT64_MAX, 0, res);
    long long before = patient < 0 ? -1 : srv_number_arg(c->req, "before", 1, INT64_MAX, 0, res);
    if (limit < 0 || patient < 0 || before < 0) return;
    tpt_store *store = c->store;
    tpt_audit_filter filter = {.patient = patient,
                               .clinic = srv_managed_clinic(c),
                               .before = before,
                               .limit = (size_t)limit};
    int64_t clinic = 0;
    tpt_error err = {0};
    /* the operator reads every clinic's lines: the database shows them all
     * to this read (the operator's transactions see no clinic otherwise) */
    if (filter.clinic == 0 && tpt_store_scope(store, TPT_SCOPE_ALL, &err) != 0) {
        srv_reply_internal(res, &err);
        return;
    }
    /* another clinic's record answers as one that does not exist */
    if (patient && (tpt_store_patient_clinic(store, patient, &clinic, NULL) != 0 ||
                    srv_manages(c, clinic, "patient") != 0)) {
        if (!res->body)
            srv_reply_error(res, 404, "not-found", NULL, "no patient %lld among yours", patient);
        return;
    }
    tpt_audit_list list;
    if (tpt_store_audit_list(store, &filter, &list, &err) != 0) {
        srv_reply_failed(res, &err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, entry_json(&list.items[i]));
    tpt_audit_list_free(&list);
    srv_audit(c, c->caller.user.id,
              patient ? "read the audit log of the record" : "read the audit log", patient);
    res->body = json_pack("{s:o}", "entries", items);
}
