/* What admins manage: the accounts, the clinics and the audit log. */
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
    if (srv_sign_in_as(c, false, SRV_ADMIN) != 0) return;
    tpt_store *store = c->store;
    tpt_user_list list;
    tpt_error err = {0};
    if (tpt_store_user_list(store, 0, &list, &err) != 0) {
        srv_reply_failed(res, &err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, srv_user_json(store, &list.items[i]));
    tpt_user_list_free(&list);
    res->body = json_pack("{s:o}", "users", items);
}

void srv_clinics_list(srv_ctx *c)
{
    srv_response *res = c->res;
    if (srv_sign_in_as(c, false, SRV_ADMIN) != 0) return;
    tpt_clinic_list list;
    tpt_error err = {0};
    if (tpt_store_clinic_list(c->store, &list, &err) != 0) {
        srv_reply_failed(res, &err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, json_pack("{s:I, s:s}", "id", (json_int_t)list.items[i].id,
                                               "name", list.items[i].name));
    tpt_clinic_list_free(&list);
    res->body = json_pack("{s:o}", "clinics", items);
}

void srv_clinics_add(srv_ctx *c)
{
    json_t *body = c->body;
    srv_response *res = c->res;
    const char *name;
    if (srv_sign_in_as(c, true, SRV_ADMIN) != 0 || !(name = srv_string_field(body, "name", res)))
        return;
    tpt_store *store = c->store;
    int64_t id;
    tpt_error err = {0};
    if (tpt_store_clinic_add(store, name, &id, &err) != 0) {
        srv_reply_failed(res, &err, NULL);
        return;
    }
    srv_audit(c, c->caller.user.id, "added a clinic", 0);
    res->status = 201;
    res->body = json_pack("{s:{s:I, s:s}}", "clinic", "id", (json_int_t)id, "name", name);
}

void srv_audit_list(srv_ctx *c)
{
    srv_response *res = c->res;
    if (srv_sign_in_as(c, false, SRV_ADMIN) != 0) return;
    long long limit = srv_number_arg(c->req, "limit", 1, AUDIT_MAX, AUDIT_DEFAULT, res);
    long long patient = limit < 0 ? -1 : srv_number_arg(c->req, "patient", 1, INT64_MAX, 0, res);
    if (limit < 0 || patient < 0) return;
    tpt_store *store = c->store;
    tpt_audit_list list;
    tpt_error err = {0};
    tpt_audit_filter filter = {.patient = patient, .limit = (size_t)limit};
    if (tpt_store_audit_list(store, &filter, &list, &err) != 0) {
        srv_reply_failed(res, &err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++) {
        const tpt_audit_entry *e = &list.items[i];
        json_array_append_new(
            items,
            json_pack("{s:I, s:s, s:o, s:s, s:o}", "id", (json_int_t)e->id, "at", e->at, "user",
                      e->user ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)e->user, "name",
                                          e->user_name, "email", e->user_email)
                              : json_null(),
                      "action", e->action, "patient",
                      e->patient ? json_pack("{s:I, s:s}", "id", (json_int_t)e->patient, "name",
                                             e->patient_name)
                                 : json_null()));
    }
    tpt_audit_list_free(&list);
    res->body = json_pack("{s:o}", "entries", items);
}
