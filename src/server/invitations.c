/* Invitations: one-time links that make accounts. Staff invite patients to
 * their record (a new record when none is named); an admin invites
 * practitioners and admins into their own clinic, the operator into any
 * clinic. The link is the token; only its hash is kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "fields.h"
#include "handlers.h"

#define INVITATION_DAYS 7

static int role_field(json_t *body, tpt_role *out, srv_response *res)
{
    /* an operator is made on the server's command line, never invited */
    if (tpt_role_parse(json_string_value(json_object_get(body, "role")), out) == 0 &&
        *out != TPT_ROLE_OPERATOR)
        return 0;
    srv_reply_error(res, 400, "invalid-field", "role",
                    "\"role\" is \"patient\", \"practitioner\" or \"admin\"");
    return -1;
}

void srv_invitation_add(srv_ctx *c)
{
    json_t *body = c->body;
    srv_response *res = c->res;
    tpt_invitation inv = {0};
    const char *name;
    if (srv_sign_in_as(c, true, SRV_STAFF | SRV_OPERATOR) != 0 ||
        role_field(body, &inv.role, res) || !(name = srv_string_field(body, "name", res)))
        return;
    tpt_role caller = c->caller.user.role;
    json_t *email = json_object_get(body, "email");
    if (strlen(name) > 200 ||
        (email && (!json_is_string(email) || strlen(json_string_value(email)) > TPT_EMAIL_MAX ||
                   (*json_string_value(email) && !strchr(json_string_value(email), '@'))))) {
        srv_reply_error(res, 400, "invalid-field", strlen(name) > 200 ? "name" : "email",
                        "a name of at most 200 characters and, if given, an email address");
        return;
    }
    if (inv.role != TPT_ROLE_PATIENT && caller == TPT_ROLE_PRACTITIONER) {
        srv_reply_error(res, 403, "forbidden", "role",
                        "only an admin invites practitioners and admins");
        return;
    }
    if (inv.role == TPT_ROLE_PATIENT && caller == TPT_ROLE_OPERATOR) {
        srv_reply_error(res, 403, "forbidden", "role",
                        "patients are invited by their clinic, from their record");
        return;
    }
    int64_t clinic = srv_id_field(body, "clinic", res),
            patient = srv_id_field(body, "patient", res);
    if (clinic < 0 || patient < 0) return;
    tpt_store *store = c->store;
    tpt_error err = {0};
    tpt_clinic found;
    /* a patient joins the inviter's clinic; an admin's colleagues too; the
     * operator says which clinic */
    if (inv.role == TPT_ROLE_PATIENT || (!clinic && caller != TPT_ROLE_OPERATOR))
        clinic = c->caller.user.clinic;
    if (!clinic) {
        srv_reply_error(res, 400, "invalid-field", "clinic", "\"clinic\" names the clinic");
        return;
    }
    if (srv_manages(c, clinic, "clinic") != 0) return;
    if (tpt_store_clinic_get(store, clinic, &found, &err) != 0) {
        srv_reply_error(res, 400, "invalid-field", "clinic", "%s", err.message);
        return;
    }
    if (patient && inv.role != TPT_ROLE_PATIENT) {
        srv_reply_error(res, 400, "invalid-field", "patient",
                        "only a patient's invitation names a record");
        return;
    }
    if (patient && srv_patient_access(c, patient) != 0) return;
    snprintf(inv.name, sizeof inv.name, "%s", name);
    snprintf(inv.email, sizeof inv.email, "%s", email ? json_string_value(email) : "");
    inv.clinic = clinic;
    inv.created_by = c->caller.user.id;
    srv_now(c, inv.created);
    srv_from_now(c, INVITATION_DAYS * 86400, inv.expires);
    char token_hex[65];
    tpt_token_new(token_hex, inv.token_hash);
    /* a new patient's record and the invitation to it land together, in
     * the request's transaction */
    if (inv.role == TPT_ROLE_PATIENT && !patient &&
        tpt_store_patient_add(store, name, clinic, &patient, &err) != 0)
        goto failed;
    inv.patient = patient;
    if (tpt_store_invitation_add(store, &inv, &err) != 0) goto failed;
    char link[128];
    snprintf(link, sizeof link, "/#/invite/%s", token_hex);
    srv_audit(c, c->caller.user.id,
              inv.role == TPT_ROLE_PATIENT ? "invited the patient"
              : inv.role == TPT_ROLE_ADMIN ? "invited an admin"
                                           : "invited a practitioner",
              inv.patient);
    res->status = 201;
    res->body = json_pack("{s:s, s:s, s:s, s:s, s:o}", "token", token_hex, "link", link, "expires",
                          inv.expires, "role", tpt_role_name(inv.role), "patient",
                          inv.patient ? json_integer(inv.patient) : json_null());
    return;
failed:
    srv_reply_failed(res, &err, NULL);
}

/* Wrong emails an invitation naming one takes before it is withdrawn. */
#define INVITATION_FAILURES_MAX 5

/* The invitation of a token in the path, unused and in date; or 410. */
static int live_invitation(srv_ctx *c, tpt_store *store, const char *token, tpt_invitation *inv,
                           srv_response *res)
{
    char now[TPT_TIME_MAX];
    srv_now(c, now);
    /* none, used, withdrawn or expired: one answer, after the same one
     * lookup, so that nothing tells which */
    if (tpt_token_hash(token, inv->token_hash) != 0 ||
        tpt_store_invitation_find(store, inv->token_hash, inv, NULL) != 0 || *inv->used ||
        *inv->withdrawn || strcmp(inv->expires, now) <= 0) {
        srv_link_unusable(res);
        return -1;
    }
    return 0;
}

/* GET /invitations/TOKEN: what the link is for, before it is accepted. */
void srv_invitation_get(srv_ctx *c)
{
    const char *token = c->rest;
    srv_response *res = c->res;
    tpt_store *store = srv_store(c);
    tpt_invitation inv;
    tpt_clinic clinic = {0};
    if (!store || live_invitation(c, store, token, &inv, res) != 0) return;
    tpt_store_clinic_get(store, inv.clinic, &clinic, NULL);
    res->body =
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "role", tpt_role_name(inv.role), "name", inv.name,
                  "email", inv.email, "clinic", clinic.name, "expires", inv.expires);
}

/* POST /invitations/TOKEN/accept: the link used, an account made of it. */
void srv_invitation_accept(srv_ctx *c)
{
    const char *token = c->rest;
    json_t *body = c->body;
    srv_response *res = c->res;
    tpt_store *store = srv_store(c);
    tpt_invitation inv;
    const char *email, *password;
    if (!store || live_invitation(c, store, token, &inv, res) != 0 ||
        !(email = srv_string_field(body, "email", res)) ||
        !(password = srv_string_field(body, "password", res)))
        return;
    const char *name = json_string_value(json_object_get(body, "name"));
    if (!name || !*name) name = inv.name;
    if (srv_check_person(email, name, res) != 0) return;
    if (*inv.email && strcasecmp(inv.email, email) != 0) {
        /* guessing the invited email is bounded: counted, and at the
         * bound the link is withdrawn */
        char now[TPT_TIME_MAX];
        int failures;
        c->keep = true; /* the count stands though the answer refuses */
        srv_now(c, now);
        tpt_store_invitation_fail(store, inv.token_hash, INVITATION_FAILURES_MAX, now, &failures,
                                  NULL);
        srv_reply_error(res, 400, "invalid-field", "email",
                        "this invitation is for another email address");
        return;
    }
    tpt_user u = {.role = inv.role, .clinic = inv.clinic, .patient = inv.patient};
    snprintf(u.email, sizeof u.email, "%s", email);
    snprintf(u.name, sizeof u.name, "%s", name);
    /* the slow hash outside any transaction; the use below is what counts */
    if (srv_commit(c) != 0 || srv_password_hash(password, "password", u.password_hash, res) != 0 ||
        !(store = srv_store(c)))
        return;
    char now[TPT_TIME_MAX];
    srv_now(c, now);
    tpt_error err = {0};
    /* used and turned into an account in one transaction: of two racing
     * uses of one link, one makes an account and the other nothing */
    if (!srv_store(c)) return;
    if (tpt_store_invitation_use(store, inv.token_hash, now, &err) != 0 ||
        tpt_store_user_add(store, &u, &u.id, &err) != 0) {
        if (err.status == TPT_ERR_CONFLICT)
            srv_link_unusable(res);
        else
            srv_reply_failed(res, &err, "email");
        return;
    }
    srv_audit(c, u.id, "accepted an invitation", u.patient);
    srv_session_start(c, &u, 201);
}

/* An invitation waiting, as the accounts page lists it. */
static json_t *invitation_json(tpt_store *store, const tpt_invitation *inv)
{
    tpt_clinic clinic = {0};
    tpt_user by = {0};
    tpt_store_clinic_get(store, inv->clinic, &clinic, NULL);
    tpt_store_user_by_id(store, inv->created_by, &by, NULL);
    return json_pack(
        "{s:I, s:s, s:s, s:s, s:{s:I, s:s}, s:o, s:{s:I, s:s}, s:s, s:s, s:o}", "id",
        (json_int_t)inv->id, "role", tpt_role_name(inv->role), "name", inv->name, "email",
        inv->email, "clinic", "id", (json_int_t)clinic.id, "name", clinic.name, "patient",
        inv->patient ? json_integer(inv->patient) : json_null(), "created_by", "id",
        (json_int_t)by.id, "name", by.name, "created", inv->created, "expires", inv->expires,
        "withdrawn", *inv->withdrawn ? json_string(inv->withdrawn) : json_null());
}

/* GET /invitations: those waiting to be used, of the admin's clinic (every
 * clinic's for the operator). */
void srv_invitations_list(srv_ctx *c)
{
    if (srv_sign_in_as(c, false, SRV_MANAGERS) != 0) return;
    char now[TPT_TIME_MAX];
    srv_now(c, now);
    tpt_invitation_list list;
    tpt_error err = {0};
    if (tpt_store_invitation_list(c->store, srv_managed_clinic(c), now, &list, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, invitation_json(c->store, &list.items[i]));
    tpt_invitation_list_free(&list);
    c->res->body = json_pack("{s:o}", "invitations", items);
}

/* POST /invitations/ID/withdraw: the link stops working. */
void srv_invitation_withdraw(srv_ctx *c)
{
    tpt_invitation inv;
    char now[TPT_TIME_MAX], action[TPT_ACTION_MAX + 1];
    tpt_error err = {0};
    if (srv_sign_in_as(c, true, SRV_MANAGERS) != 0) return;
    if (c->subject <= 0 || tpt_store_invitation_get(c->store, c->subject, &inv, NULL) != 0 ||
        srv_manages(c, inv.clinic, "invitation") != 0) {
        if (!c->res->body)
            srv_reply_error(c->res, 404, "not-found", NULL, "no invitation %lld among yours",
                            (long long)c->subject);
        return;
    }
    srv_now(c, now);
    if (tpt_store_invitation_withdraw(c->store, inv.id, now, &err) != 0) {
        if (err.status == TPT_ERR_CONFLICT)
            srv_reply_error(c->res, 409, "conflict", NULL, "%s", err.message);
        else
            srv_reply_failed(c->res, &err, NULL);
        return;
    }
    snprintf(action, sizeof action, "withdrew an invitation of %.*s", (int)sizeof action - 27,
             inv.name);
    srv_audit(c, c->caller.user.id, action, inv.patient);
    snprintf(inv.withdrawn, sizeof inv.withdrawn, "%s", now);
    c->res->body = json_pack("{s:o}", "invitation", invitation_json(c->store, &inv));
}
