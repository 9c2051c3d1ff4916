/* One-time links in PostgreSQL: invitations that make accounts and links
 * that set a forgotten password, each kept by a hash of its token. store.c
 * has checked the arguments. No row-level security: a link is read before
 * anyone is signed in; its clinic is in the row. */
#include <stdio.h>
#include <string.h>

#include "postgres.h"

/* ---- invitations ---- */

int tpt__pg_invitation_add(tpt_store *s, const tpt_invitation *inv, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_bytes(&p, inv->token_hash, TPT_TOKEN_HASH_SIZE);
    tpt__pg_text(&p, tpt_role_name(inv->role));
    tpt__pg_text(&p, inv->name);
    tpt__pg_text(&p, inv->email);
    tpt__pg_int(&p, inv->clinic);
    tpt__pg_id(&p, inv->patient);
    tpt__pg_int(&p, inv->created_by);
    tpt__pg_text(&p, inv->created);
    tpt__pg_text(&p, inv->expires);
    CALL(s, tpt__pg_do(c,
                       "INSERT INTO invitations (token_hash, role, name, email, clinic_id, "
                       "patient_id, created_by, created, expires) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                       &p, "storing the invitation", err));
}

#define INVITATION_COLUMNS                                                                         \
    "id, role, name, email, clinic_id, coalesce(patient_id, 0), created_by, "                      \
    "tpt_utc_text(created), tpt_utc_text(expires), coalesce(tpt_utc_text(used), ''), "             \
    "coalesce(tpt_utc_text(withdrawn), ''), failures"

static void invitation_at(tpt__pg *c, PGresult *r, int i, tpt_invitation *inv)
{
    inv->id = tpt__pg_int64(c, r, i, 0);
    if (tpt_role_parse(c->pq->getvalue(r, i, 1), &inv->role) != 0) inv->role = TPT_ROLE_PATIENT;
    tpt__pg_copy(c, r, i, 2, inv->name, sizeof inv->name);
    tpt__pg_copy(c, r, i, 3, inv->email, sizeof inv->email);
    inv->clinic = tpt__pg_int64(c, r, i, 4);
    inv->patient = tpt__pg_int64(c, r, i, 5);
    inv->created_by = tpt__pg_int64(c, r, i, 6);
    tpt__pg_copy(c, r, i, 7, inv->created, sizeof inv->created);
    tpt__pg_copy(c, r, i, 8, inv->expires, sizeof inv->expires);
    tpt__pg_copy(c, r, i, 9, inv->used, sizeof inv->used);
    tpt__pg_copy(c, r, i, 10, inv->withdrawn, sizeof inv->withdrawn);
    inv->failures = (int)tpt__pg_int64(c, r, i, 11);
}

static void invitation_row(tpt__pg *c, PGresult *r, void *out)
{
    invitation_at(c, r, 0, out);
}

static int invitation_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    invitation_at(c, r, i, item);
    return 0;
}

static int invitation_find(tpt__pg *c, const uint8_t *token_hash, tpt_invitation *out,
                           tpt_error *err)
{
    tpt_invitation found = {0};
    memcpy(found.token_hash, token_hash, sizeof found.token_hash); /* it may point into out */
    tpt__pg_params p = {0};
    tpt__pg_bytes(&p, found.token_hash, TPT_TOKEN_HASH_SIZE);
    PGresult *r = tpt__pg_run(c,
                              "SELECT " INVITATION_COLUMNS " FROM invitations "
                              "WHERE token_hash = $1",
                              &p, "finding the invitation", err);
    if (!r) return FAILED;
    int rc = tpt__pg_one(c, r, invitation_row, &found, "no such invitation", err);
    if (!rc) *out = found;
    return rc;
}

int tpt__pg_invitation_find(tpt_store *s, const uint8_t *token_hash, tpt_invitation *out,
                            tpt_error *err)
{
    CALL(s, invitation_find(c, token_hash, out, err));
}

static int invitation_get(tpt__pg *c, int64_t id, tpt_invitation *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    PGresult *r = tpt__pg_run(c, "SELECT " INVITATION_COLUMNS " FROM invitations WHERE id = $1", &p,
                              "finding the invitation", err);
    if (!r) return FAILED;
    char missing[64];
    snprintf(missing, sizeof missing, "there is no invitation %lld", (long long)id);
    memset(out, 0, sizeof *out);
    return tpt__pg_one(c, r, invitation_row, out, missing, err);
}

int tpt__pg_invitation_get(tpt_store *s, int64_t id, tpt_invitation *out, tpt_error *err)
{
    CALL(s, invitation_get(c, id, out, err));
}

static int invitation_list(tpt__pg *c, int64_t clinic, const char *now, tpt_invitation_list *out,
                           tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, clinic);
    tpt__pg_text(&p, now);
    PGresult *r = tpt__pg_run(c,
                              "SELECT " INVITATION_COLUMNS " FROM invitations "
                              "WHERE ($1 = 0 OR clinic_id = $1) AND used IS NULL "
                              "AND withdrawn IS NULL AND expires > $2 ORDER BY id",
                              &p, "listing the invitations", err);
    if (!r) return FAILED;
    int rc = tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items,
                          invitation_item, err);
    if (rc) tpt_invitation_list_free(out);
    return rc;
}

int tpt__pg_invitation_list(tpt_store *s, int64_t clinic, const char *now, tpt_invitation_list *out,
                            tpt_error *err)
{
    CALL(s, invitation_list(c, clinic, now, out, err));
}

/* An UPDATE of one link that changes no row when it was used or withdrawn
 * already (of two racing, the second waits on the row's lock and then
 * finds it so): 0, or TPT_ERR_CONFLICT saying `spent`. */
static int spend(tpt__pg *c, const char *sql, const tpt__pg_params *p, const char *what,
                 const char *spent, tpt_error *err)
{
    PGresult *r = tpt__pg_run(c, sql, p, what, err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    return changed == 1 ? 0 : tpt_error_set(err, TPT_ERR_CONFLICT, "%s", spent);
}

int tpt__pg_invitation_use(tpt_store *s, const uint8_t *token_hash, const char *at, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, at);
    tpt__pg_bytes(&p, token_hash, TPT_TOKEN_HASH_SIZE);
    CALL(s, spend(c,
                  "UPDATE invitations SET used = $1 WHERE token_hash = $2 AND used IS NULL "
                  "AND withdrawn IS NULL",
                  &p, "using the invitation", "the invitation has been used or withdrawn already",
                  err));
}

static int invitation_withdraw(tpt__pg *c, int64_t id, const char *at, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, at);
    tpt__pg_int(&p, id);
    tpt_error spent = {0};
    int rc = spend(c,
                   "UPDATE invitations SET withdrawn = $1 WHERE id = $2 AND used IS NULL "
                   "AND withdrawn IS NULL",
                   &p, "withdrawing the invitation",
                   "the invitation has been used or withdrawn already", &spent);
    if (rc != TPT_ERR_CONFLICT) {
        if (rc && err) *err = spent;
        return rc;
    }
    tpt_invitation inv;
    if ((rc = invitation_get(c, id, &inv, err))) return rc; /* none: TPT_ERR_INPUT */
    if (err) *err = spent;
    return TPT_ERR_CONFLICT;
}

int tpt__pg_invitation_withdraw(tpt_store *s, int64_t id, const char *at, tpt_error *err)
{
    CALL(s, invitation_withdraw(c, id, at, err));
}

static void failures_row(tpt__pg *c, PGresult *r, void *out)
{
    *(int *)out = (int)tpt__pg_int64(c, r, 0, 0);
}

static int invitation_fail(tpt__pg *c, const uint8_t *token_hash, int max, const char *at,
                           int *failures, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_bytes(&p, token_hash, TPT_TOKEN_HASH_SIZE);
    tpt__pg_int(&p, max);
    tpt__pg_text(&p, at);
    /* counted and, at the bound, withdrawn in one statement */
    PGresult *r = tpt__pg_run(c,
                              "UPDATE invitations SET failures = failures + 1, withdrawn = "
                              "CASE WHEN failures + 1 >= $2 AND withdrawn IS NULL "
                              "THEN $3::timestamptz ELSE withdrawn END "
                              "WHERE token_hash = $1 RETURNING failures",
                              &p, "counting a refused invitation", err);
    return r ? tpt__pg_one(c, r, failures_row, failures, "no such invitation", err) : FAILED;
}

int tpt__pg_invitation_fail(tpt_store *s, const uint8_t *token_hash, int max, const char *at,
                            int *failures, tpt_error *err)
{
    CALL(s, invitation_fail(c, token_hash, max, at, failures, err));
}

/* ---- password reset links ---- */

int tpt__pg_reset_add(tpt_store *s, const tpt_password_reset *r, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_bytes(&p, r->token_hash, TPT_TOKEN_HASH_SIZE);
    tpt__pg_int(&p, r->user);
    tpt__pg_id(&p, r->created_by);
    tpt__pg_text(&p, r->created);
    tpt__pg_text(&p, r->expires);
    CALL(s, tpt__pg_do(c,
                       "INSERT INTO password_resets (token_hash, user_id, created_by, created, "
                       "expires) VALUES ($1, $2, $3, $4, $5)",
                       &p, "storing the reset link", err));
}

static void reset_row(tpt__pg *c, PGresult *r, void *out)
{
    tpt_password_reset *reset = out;
    reset->id = tpt__pg_int64(c, r, 0, 0);
    reset->user = tpt__pg_int64(c, r, 0, 1);
    reset->created_by = tpt__pg_int64(c, r, 0, 2);
    tpt__pg_copy(c, r, 0, 3, reset->created, sizeof reset->created);
    tpt__pg_copy(c, r, 0, 4, reset->expires, sizeof reset->expires);
    tpt__pg_copy(c, r, 0, 5, reset->used, sizeof reset->used);
}

static int reset_find(tpt__pg *c, const uint8_t *token_hash, tpt_password_reset *out,
                      tpt_error *err)
{
    tpt_password_reset found = {0};
    memcpy(found.token_hash, token_hash, sizeof found.token_hash); /* it may point into out */
    tpt__pg_params p = {0};
    tpt__pg_bytes(&p, found.token_hash, TPT_TOKEN_HASH_SIZE);
    PGresult *r = tpt__pg_run(c,
                              "SELECT id, user_id, coalesce(created_by, 0), tpt_utc_text(created), "
                              "tpt_utc_text(expires), coalesce(tpt_utc_text(used), '') "
                              "FROM password_resets WHERE token_hash = $1",
                              &p, "finding the reset link", err);
    if (!r) return FAILED;
    int rc = tpt__pg_one(c, r, reset_row, &found, "no such reset link", err);
    if (!rc) *out = found;
    return rc;
}

int tpt__pg_reset_find(tpt_store *s, const uint8_t *token_hash, tpt_password_reset *out,
                       tpt_error *err)
{
    CALL(s, reset_find(c, token_hash, out, err));
}

static int reset_use(tpt__pg *c, const uint8_t *token_hash, const char *at, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, at);
    tpt__pg_bytes(&p, token_hash, TPT_TOKEN_HASH_SIZE);
    int rc = spend(c, "UPDATE password_resets SET used = $1 WHERE token_hash = $2 AND used IS NULL",
                   &p, "using the reset link", "the reset link has been used already", err);
    /* the account's other links die with it */
    return rc ? rc
              : tpt__pg_do(c,
                           "UPDATE password_resets SET used = $1 WHERE used IS NULL AND user_id = "
                           "(SELECT user_id FROM password_resets WHERE token_hash = $2)",
                           &p, "using the reset link", err);
}

int tpt__pg_reset_use(tpt_store *s, const uint8_t *token_hash, const char *at, tpt_error *err)
{
    CALL(s, reset_use(c, token_hash, at, err));
}
