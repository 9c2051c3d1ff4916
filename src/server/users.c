/* An account's lifecycle (/api/v1/users/ID...): another role, disabled
 * and enabled, deleted, signed out everywhere, a one-time password reset
 * link. An admin manages the accounts of their own clinic, the operator
 * every clinic's; operator accounts are managed on the server only (tpt
 * account). A clinic always keeps an admin who can sign in. Each change
 * goes into the audit log naming the account. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fields.h"
#include "handlers.h"
#include "record/accounts.h"

/* The account the path names, when the caller manages it; else 404 (or
 * 403 for an operator's account, which only the server's command line
 * manages). */
static int managed_account(srv_ctx *c, tpt_user *u)
{
    if (c->subject <= 0 || tpt_store_user_by_id(c->store, c->subject, u, NULL) != 0 ||
        *u->deleted || (u->role == TPT_ROLE_OPERATOR && srv_managed_clinic(c) != 0) ||
        srv_manages(c, u->clinic, "account") != 0) {
        if (!c->res->body)
            srv_reply_error(c->res, 404, "not-found", NULL, "no account %lld among yours",
                            (long long)c->subject);
        return -1;
    }
    if (u->role == TPT_ROLE_OPERATOR) {
        srv_reply_error(c->res, 403, "forbidden", NULL,
                        "an operator's account is managed on the server: tpt account");
        return -1;
    }
    return 0;
}

/* The audit line "ACTION EMAIL" of a change to an account. */
static void account_audit(srv_ctx *c, const char *what, const tpt_user *u)
{
    char action[TPT_ACTION_MAX + 1];
    /* an email of up to 254 bytes is cut to fit the line */
    snprintf(action, sizeof action, "%.60s %.*s", what, (int)sizeof action - 62, u->email);
    srv_audit(c, c->caller.user.id, action, 0);
}

/* A failure of a change: 409 with why (the last admin, deleted already),
 * or as the store says. */
static void change_failed(srv_ctx *c, const tpt_error *err, const char *field)
{
    if (err->status == TPT_ERR_CONFLICT)
        srv_reply_error(c->res, 409, "conflict", NULL, "%s", err->message);
    else
        srv_reply_failed(c->res, err, field);
}

static void answer_account(srv_ctx *c, int64_t id)
{
    tpt_user u;
    tpt_error err = {0};
    if (tpt_store_user_by_id(c->store, id, &u, &err) != 0)
        srv_reply_internal(c->res, &err);
    else
        c->res->body = json_pack("{s:o}", "user", srv_user_json(c->store, &u));
}

/* PUT /users/ID {"role": "admin"|"practitioner", "disabled": true|false} */
void srv_user_change(srv_ctx *c)
{
    tpt_user u;
    if (srv_sign_in_as(c, true, SRV_MANAGERS) != 0 || managed_account(c, &u) != 0) return;
    const char *key;
    json_t *value, *role = json_object_get(c->body, "role"),
                   *disabled = json_object_get(c->body, "disabled");
    json_object_foreach(c->body, key, value)
    {
        if (strcmp(key, "role") != 0 && strcmp(key, "disabled") != 0) {
            srv_reply_error(c->res, 400, "invalid-field", key,
                            "an account changes its \"role\" or \"disabled\" only");
            return;
        }
    }
    tpt_role next = u.role;
    if (role && (tpt_role_parse(json_string_value(role), &next) != 0 ||
                 (next != TPT_ROLE_ADMIN && next != TPT_ROLE_PRACTITIONER) ||
                 (u.role == TPT_ROLE_PATIENT && next != u.role))) {
        srv_reply_error(c->res, 400, "invalid-field", "role",
                        "\"role\" is \"admin\" or \"practitioner\" (a patient's account keeps "
                        "its role; operators are made on the server)");
        return;
    }
    if (disabled && !json_is_boolean(disabled)) {
        srv_reply_error(c->res, 400, "invalid-field", "disabled", "\"disabled\" is true or false");
        return;
    }
    bool disable = json_is_true(disabled) && !*u.disabled,
         enable = json_is_false(disabled) && *u.disabled;
    char now[TPT_TIME_MAX];
    srv_now(c, now);
    tpt_error err = {0};
    /* the last admin who can sign in stays one */
    if (((next != u.role && u.role == TPT_ROLE_ADMIN) || disable) &&
        tpt_account_not_last_admin(c->store, &u, &err) != 0) {
        change_failed(c, &err, NULL);
        return;
    }
    if (next != u.role) {
        if (tpt_store_user_set_role(c->store, u.id, next, &err) != 0) {
            change_failed(c, &err, "role");
            return;
        }
        account_audit(c, next == TPT_ROLE_ADMIN ? "made an admin of" : "made a practitioner of",
                      &u);
    }
    if (disable || enable) {
        if (tpt_store_user_set_disabled(c->store, u.id, disable ? now : "", &err) != 0) {
            change_failed(c, &err, "disabled");
            return;
        }
        account_audit(c, disable ? "disabled the account" : "enabled the account", &u);
    }
    answer_account(c, u.id);
}

/* DELETE /users/ID: the account gone for good, its name kept. */
void srv_user_delete(srv_ctx *c)
{
    tpt_user u;
    char now[TPT_TIME_MAX];
    tpt_error err = {0};
    if (srv_sign_in_as(c, true, SRV_MANAGERS) != 0 || managed_account(c, &u) != 0) return;
    srv_now(c, now);
    if (tpt_account_not_last_admin(c->store, &u, &err) != 0 ||
        tpt_store_user_delete(c->store, u.id, now, &err) != 0) {
        change_failed(c, &err, NULL);
        return;
    }
    account_audit(c, "deleted the account", &u);
    answer_account(c, u.id);
}

/* DELETE /users/ID/sessions: signed out everywhere. */
void srv_user_sessions_end(srv_ctx *c)
{
    tpt_user u;
    int64_t ended = 0;
    tpt_error err = {0};
    if (srv_sign_in_as(c, true, SRV_MANAGERS) != 0 || managed_account(c, &u) != 0) return;
    if (tpt_store_auth_session_delete_user(c->store, u.id, NULL, &ended, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    account_audit(c, "ended the sessions of", &u);
    c->res->body = json_pack("{s:I}", "ended", (json_int_t)ended);
}

/* POST /users/ID/reset: a one-time link to choose a new password. */
void srv_user_reset(srv_ctx *c)
{
    tpt_user u;
    char token[65], expires[TPT_TIME_MAX], link[128];
    tpt_error err = {0};
    if (srv_sign_in_as(c, true, SRV_MANAGERS) != 0 || managed_account(c, &u) != 0) return;
    if (u.id == c->caller.user.id) { /* else a stolen session takes the account for good */
        srv_reply_error(c->res, 403, "own-account", NULL,
                        "a reset link is for someone else: change your own password with "
                        "the current one");
        return;
    }
    if (tpt_reset_issue(c->store, &u, c->caller.user.id, (int64_t)time(NULL), token, expires,
                        &err) != 0) {
        change_failed(c, &err, NULL);
        return;
    }
    account_audit(c, "issued a password reset link for", &u);
    snprintf(link, sizeof link, "/#/reset/%s", token);
    c->res->status = 201;
    c->res->body = json_pack("{s:s, s:s, s:s}", "token", token, "link", link, "expires", expires);
}
