/* Accounts and sign-in: the first account, sign-in with slowing after
 * failures, sign-out, who is signed in, a password change. Passwords are
 * kept as Argon2id hashes (auth.c); a session is a random 256-bit token in an
 * HttpOnly, SameSite=Strict cookie, kept only as a hash; every
 * state-changing request of a signed-in browser carries the session's CSRF
 * token in X-CSRF-Token (context.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "fields.h"
#include "handlers.h"
#include "language.h"

/* Sign-in slows down by the client's address and the email, and by the
 * address alone: someone guessing one account's password from one place is
 * slowed after a few failures, a spray over many emails from one place after
 * more, and neither keeps the account's owner out when they sign in from
 * elsewhere. The one slowed who knows no password asks for a reset link. */
#define FREE_FAILURES 5          /* of one email from one address */
#define FREE_ADDRESS_FAILURES 30 /* from one address, over any emails */
#define MAX_WAIT_SECONDS 900     /* the longest wait between attempts */
/* failures last this long after the latest: a day */
#define FORGET_FAILURES_SECONDS (24 * 60 * 60)

void srv_setup_needed(srv_ctx *c)
{
    srv_response *res = c->res;
    tpt_store *store = srv_store(c);
    int64_t count;
    tpt_error err = {0};
    if (!store) return;
    if (tpt_store_user_count(store, &count, &err) != 0)
        srv_reply_internal(res, &err);
    else
        res->body = json_pack("{s:b}", "needed", count == 0);
}

/* The first account: the owner (an admin) of a new clinic. With "for_self",
 * someone using tpt for themselves: the account gets its own record, the one
 * the command line keeps on this database when there is one. */
void srv_setup(srv_ctx *c)
{
    json_t *body = c->body;
    srv_response *res = c->res;
    const char *email, *name, *password;
    if (!(email = srv_string_field(body, "email", res)) ||
        !(name = srv_string_field(body, "name", res)) ||
        !(password = srv_string_field(body, "password", res)))
        return;
    json_t *clinic_field = json_object_get(body, "clinic"),
           *self = json_object_get(body, "for_self");
    const char *clinic = clinic_field ? json_string_value(clinic_field) : "My clinic";
    if (!clinic || !*clinic || strlen(clinic) > 200) {
        srv_reply_error(res, 400, "invalid-field", "clinic",
                        "\"clinic\" is the clinic's name, 1 to 200 characters");
        return;
    }
    if (self && !json_is_boolean(self)) {
        srv_reply_error(res, 400, "invalid-field", "for_self", "\"for_self\" is true or false");
        return;
    }
    if (srv_check_person(email, name, res) != 0) return;
    /* someone treating themselves sees their own record, the clinic out of sight */
    tpt_user u = {.role = TPT_ROLE_ADMIN, .home = json_is_true(self)};
    snprintf(u.email, sizeof u.email, "%s", email);
    snprintf(u.name, sizeof u.name, "%s", name);
    /* the slow hash first, outside any transaction */
    if (srv_password_hash(password, "password", u.password_hash, res) != 0) return;
    tpt_store *store = srv_store(c);
    tpt_error err = {0};
    int64_t count = 0;
    /* the count and the inserts in one group that holds the database: two
     * racing setups make one owner. Before any account there is no clinic
     * to keep apart: the group sees every record (one's own is in none). */
    if (!store || tpt_store_scope(store, TPT_SCOPE_ALL, &err) != 0 ||
        tpt_store_begin(store, &err) != 0) {
        if (store) srv_reply_internal(res, &err);
        return;
    }
    if (tpt_store_user_count(store, &count, &err) != 0 || count > 0 ||
        tpt_store_clinic_add(store, clinic, &u.clinic, &err) != 0 ||
        (json_is_true(self) &&
         (tpt_store_self(store, &u.patient, &err) != 0 ||
          tpt_store_patient_update(store, u.patient, u.name, u.clinic, &err) != 0)) ||
        tpt_store_user_add(store, &u, &u.id, &err) != 0 ||
        /* one's own record stays one's own when colleagues join the clinic */
        (u.patient && tpt_store_patient_set_private(store, u.patient, u.id, &err) != 0) ||
        tpt_store_commit(store, &err) != 0) {
        tpt_store_rollback(store);
        if (count > 0)
            srv_reply_error(res, 409, "setup-done", NULL,
                            "the first account exists already: sign in");
        else
            srv_reply_failed(res, &err, "email");
        return;
    }
    srv_audit(c, u.id, "created the first account", u.patient);
    srv_session_start(c, &u, 201);
}

/* Signing in. The attempt is counted under the client's address with the
 * email and under the address alone, in the database and in one statement
 * each, before the password is checked, and that count is committed before
 * the slow hash: guesses sent in parallel, to one instance or several, are
 * each counted, and after FREE_FAILURES (FREE_ADDRESS_FAILURES) the next
 * waits 2 s, 4 s, 8 s ... up to 15 minutes. The same for an email without an
 * account, so that the answers tell nothing about which emails exist. A good
 * password forgets the address and email's count, and takes its own attempt
 * off the address's (which stays: a spray may know one password). */
void srv_login(srv_ctx *c)
{
    json_t *body = c->body;
    srv_response *res = c->res;
    tpt_store *store = srv_store(c);
    const char *email, *password;
    if (!store || !(email = srv_string_field(body, "email", res)) ||
        !(password = srv_string_field(body, "password", res)))
        return;
    char pair_key[65], address_key[65], now[TPT_TIME_MAX], forget_before[TPT_TIME_MAX];
    srv_sign_in_key(c->req->address, email, pair_key);
    srv_address_key(c->req->address, address_key);
    srv_now(c, now);
    srv_from_now(c, -FORGET_FAILURES_SECONDS, forget_before);
    tpt_sign_in_attempt from = {.key = address_key,
                                .now = now,
                                .free_failures = FREE_ADDRESS_FAILURES,
                                .max_wait = MAX_WAIT_SECONDS,
                                .forget_before = forget_before};
    tpt_sign_in_attempt pair = from;
    pair.key = pair_key;
    pair.free_failures = FREE_FAILURES;
    tpt_sign_in_failures failed;
    tpt_error err = {0};
    bool allowed;
    tpt_user u;
    int found = 0;
    if (tpt_store_sign_in_reserve(store, &from, &allowed, &failed, &err) != 0 ||
        (allowed && tpt_store_sign_in_reserve(store, &pair, &allowed, &failed, &err) != 0) ||
        (allowed && (found = tpt_store_user_by_email(store, email, &u, &err)) != 0 &&
         err.status != TPT_ERR_INPUT)) {
        srv_reply_internal(res, &err);
        return;
    }
    if (!allowed) {
        srv_reply_error(res, 429, "slow-down", NULL,
                        "too many failed sign-ins from here: try again after %s (UTC), or ask "
                        "your clinic's admin for a password reset link",
                        failed.locked_until);
        return;
    }
    if (srv_commit(c) != 0) return; /* the counts stand before the hash is checked */
    /* a refusal from here is kept (c->keep): its audit line */
    c->keep = true;
    if (found != 0) {
        /* the same answer, and about the same time, as for a wrong password */
        if (srv_password_decoy(password) != 0) {
            srv_reply_error(res, 500, "internal", NULL, "cannot hash the password");
            return;
        }
        srv_audit(c, 0, "failed sign-in for an email without an account", 0);
        srv_reply_error(res, 401, "bad-credentials", NULL, "wrong email or password");
        return;
    }
    if (!srv_password_matches(u.password_hash, password)) {
        srv_audit(c, u.id, "failed sign-in", 0);
        srv_reply_error(res, 401, "bad-credentials", NULL, "wrong email or password");
        return;
    }
    if (*u.disabled) {
        srv_audit(c, u.id, "refused sign-in: the account is disabled", 0);
        srv_reply_error(res, 403, "account-disabled", NULL,
                        "this account is disabled: ask your clinic's admin");
        return;
    }
    if (!srv_store(c)) return;
    if (tpt_store_sign_in_clear(c->store, pair_key, &err) != 0 ||
        tpt_store_sign_in_forgive(c->store, address_key, &err) != 0) {
        srv_reply_internal(res, &err);
        return;
    }
    srv_audit(c, u.id, "signed in", 0);
    srv_session_start(c, &u, 200);
}

void srv_logout(srv_ctx *c)
{
    if (srv_sign_in(c, true) != 0 || !srv_store(c)) return;
    tpt_store_auth_session_delete(c->store, c->caller.session.token_hash, NULL);
    srv_audit(c, c->caller.user.id, "signed out", 0);
    snprintf(c->res->set_cookie, sizeof c->res->set_cookie,
             "tpt_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             c->req->secure ? "; Secure" : "");
    c->res->body = json_pack("{s:b}", "signed_out", 1);
}

void srv_me(srv_ctx *c)
{
    if (srv_sign_in(c, false) != 0) return;
    c->res->body = json_pack("{s:o, s:s, s:s}", "user", srv_user_json(c->store, &c->caller.user),
                             "csrf", c->caller.session.csrf, "expires", c->caller.session.expires);
}

/* PUT /me: the account's own settings, each optional: the language of its
 * pages ("" follows the browser) and, for an account with its own record,
 * whether it is used at home alone (the clinic's screens out of sight). */
void srv_settings(srv_ctx *c)
{
    if (srv_sign_in(c, true) != 0) return;
    tpt_user *u = &c->caller.user;
    json_t *home = json_object_get(c->body, "home");
    const char *tag;
    if (srv_language_field(c, "language", true, &tag) != 0) return;
    if (!tag) tag = u->language;
    if (home && !json_is_boolean(home)) {
        srv_reply_error(c->res, 400, "invalid-field", "home", "\"home\" is true or false");
        return;
    }
    if (json_is_true(home) && (!u->patient || u->role == TPT_ROLE_PATIENT)) {
        srv_reply_error(c->res, 400, "invalid-field", "home",
                        "only an account with its own record, used for oneself, is used at home");
        return;
    }
    bool at_home = home ? json_is_true(home) : u->home;
    tpt_error err = {0};
    if (tpt_store_user_set_settings(c->store, u->id, tag, at_home, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    if (tag != u->language) snprintf(u->language, sizeof u->language, "%s", tag);
    u->home = at_home;
    srv_audit(c, u->id, "changed the account's settings", 0);
    c->res->body = json_pack("{s:o}", "user", srv_user_json(c->store, u));
}

void srv_password(srv_ctx *c)
{
    const char *current, *next;
    char hash[TPT_HASH_MAX + 1];
    if (srv_sign_in(c, true) != 0 || !(current = srv_string_field(c->body, "current", c->res)) ||
        !(next = srv_string_field(c->body, "new", c->res)))
        return;
    const srv_caller *me = &c->caller;
    /* the slow hashes outside the transaction */
    if (srv_commit(c) != 0) return;
    if (!srv_password_matches(me->user.password_hash, current)) {
        srv_reply_error(c->res, 403, "bad-credentials", "current", "the current password is wrong");
        return;
    }
    if (srv_password_hash(next, "new", hash, c->res) != 0 || !srv_store(c)) return;
    tpt_error err = {0};
    if (tpt_store_user_set_password(c->store, me->user.id, hash, &err) != 0 ||
        tpt_store_auth_session_delete_user(c->store, me->user.id, me->session.token_hash, NULL,
                                           &err) != 0) {
        srv_reply_internal(c->res, &err);
        return;
    }
    srv_audit(c, me->user.id, "changed the password", 0);
    c->res->body = json_pack("{s:b}", "changed", 1);
}
