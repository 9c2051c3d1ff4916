/* Password reset links (GET and POST /api/v1/resets/TOKEN): a one-time link
 * an admin issues for an account of their clinic (POST /users/ID/reset),
 * or the server's command line for any account (tpt account reset, tpt
 * operator add). Using it sets a new password, ends every session of the
 * account and signs the person in. Every link that cannot be used (none,
 * used, expired, for an account that was disabled or deleted) answers the
 * same, so the answers tell nothing. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "fields.h"
#include "handlers.h"

/* The link of the token in the path and its account, when it can be used;
 * or 410 in c->res. */
static int live_reset(srv_ctx *c, tpt_password_reset *r, tpt_user *u)
{
    char now[TPT_TIME_MAX];
    srv_now(c, now);
    if (!srv_store(c)) return -1;
    if (tpt_token_hash(c->rest, r->token_hash) != 0 ||
        tpt_store_reset_find(c->store, r->token_hash, r, NULL) != 0 || *r->used ||
        strcmp(r->expires, now) <= 0 || tpt_store_user_by_id(c->store, r->user, u, NULL) != 0 ||
        *u->disabled || *u->deleted) {
        srv_link_unusable(c->res);
        return -1;
    }
    return 0;
}

/* GET /resets/TOKEN: whose password the link sets, before it is used. */
void srv_reset_get(srv_ctx *c)
{
    tpt_password_reset r;
    tpt_user u;
    if (live_reset(c, &r, &u) != 0) return;
    c->res->body =
        json_pack("{s:s, s:s, s:s}", "name", u.name, "email", u.email, "expires", r.expires);
}

/* POST /resets/TOKEN {"password"}: the new password; every session of the
 * account ends, and this browser is signed in. */
void srv_reset_use(srv_ctx *c)
{
    tpt_password_reset r;
    tpt_user u;
    const char *password;
    char hash[TPT_HASH_MAX + 1], now[TPT_TIME_MAX];
    /* the slow hash outside any transaction; the use below is what counts */
    if (live_reset(c, &r, &u) != 0 || !(password = srv_string_field(c->body, "password", c->res)) ||
        srv_commit(c) != 0 || srv_password_hash(password, "password", hash, c->res) != 0)
        return;
    srv_now(c, now);
    tpt_error err = {0};
    /* used, set and the sessions ended together: of two racing uses, one */
    if (!srv_store(c)) return;
    if (tpt_store_reset_use(c->store, r.token_hash, now, &err) != 0 ||
        tpt_store_user_set_password(c->store, u.id, hash, &err) != 0 ||
        tpt_store_auth_session_delete_user(c->store, u.id, NULL, NULL, &err) != 0) {
        if (err.status == TPT_ERR_CONFLICT)
            srv_link_unusable(c->res);
        else
            srv_reply_internal(c->res, &err);
        return;
    }
    snprintf(u.password_hash, sizeof u.password_hash, "%s", hash);
    srv_audit(c, u.id, "set a new password with a reset link", 0);
    srv_session_start(c, &u, 201);
}
