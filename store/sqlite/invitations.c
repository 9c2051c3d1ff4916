/* One-time links in SQLite: invitations that make accounts and links that
 * set a forgotten password, each kept by a hash of its token. store.c has
 * checked the arguments. */
#include <stdio.h>
#include <string.h>

#include "sqlite.h"

/* ---- invitations ---- */

int tpt__sqlite_invitation_add(tpt_store *s, const tpt_invitation *inv, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO invitations (token_hash, role, name, email, "
                                 "clinic_id, patient_id, created_by, created, expires) VALUES "
                                 "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, inv->token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, tpt_role_name(inv->role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, inv->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, inv->email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, inv->clinic);
    tpt__sqlite_bind_id(st, 6, inv->patient);
    sqlite3_bind_int64(st, 7, inv->created_by);
    sqlite3_bind_text(st, 8, inv->created, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, inv->expires, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "storing the invitation", err);
}

#define INVITATION_COLUMNS                                                                         \
    "id, role, name, email, clinic_id, coalesce(patient_id, 0), created_by, created, expires, "    \
    "used, withdrawn, failures"

static void invitation_row(sqlite3_stmt *st, void *item)
{
    tpt_invitation *inv = item;
    inv->id = sqlite3_column_int64(st, 0);
    if (tpt_role_parse((const char *)sqlite3_column_text(st, 1), &inv->role) != 0)
        inv->role = TPT_ROLE_PATIENT;
    tpt__sqlite_copy(st, 2, inv->name, sizeof inv->name);
    tpt__sqlite_copy(st, 3, inv->email, sizeof inv->email);
    inv->clinic = sqlite3_column_int64(st, 4);
    inv->patient = sqlite3_column_int64(st, 5);
    inv->created_by = sqlite3_column_int64(st, 6);
    tpt__sqlite_copy(st, 7, inv->created, sizeof inv->created);
    tpt__sqlite_copy(st, 8, inv->expires, sizeof inv->expires);
    tpt__sqlite_copy(st, 9, inv->used, sizeof inv->used);
    tpt__sqlite_copy(st, 10, inv->withdrawn, sizeof inv->withdrawn);
    inv->failures = sqlite3_column_int(st, 11);
}

static int invitation_item(sqlite3_stmt *st, void *item)
{
    invitation_row(st, item);
    return 0;
}

int tpt__sqlite_invitation_find(tpt_store *s, const uint8_t *token_hash, tpt_invitation *out,
                                tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "SELECT " INVITATION_COLUMNS " FROM invitations WHERE token_hash = ?", &st, err);
    if (rc) return rc;
    tpt_invitation found = {0};
    memcpy(found.token_hash, token_hash, sizeof found.token_hash); /* it may point into out */
    sqlite3_bind_blob(st, 1, found.token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    rc = tpt__sqlite_one(c, st, invitation_row, &found, "no such invitation",
                         "finding the invitation", err);
    if (!rc) *out = found;
    return rc;
}

int tpt__sqlite_invitation_get(tpt_store *s, int64_t id, tpt_invitation *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    char missing[64];
    snprintf(missing, sizeof missing, "there is no invitation %lld", (long long)id);
    int rc = tpt__sqlite_prepare(c, "SELECT " INVITATION_COLUMNS " FROM invitations WHERE id = ?",
                                 &st, err);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    sqlite3_bind_int64(st, 1, id);
    return tpt__sqlite_one(c, st, invitation_row, out, missing, "finding the invitation", err);
}

int tpt__sqlite_invitation_list(tpt_store *s, int64_t clinic, const char *now,
                                tpt_invitation_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT " INVITATION_COLUMNS " FROM invitations WHERE "
                                 "(?1 = 0 OR clinic_id = ?1) AND used = '' AND withdrawn = '' "
                                 "AND expires > ?2 ORDER BY id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items,
                          invitation_item, "listing the invitations", err);
    if (rc) tpt_invitation_list_free(out);
    return rc;
}

int tpt__sqlite_invitation_use(tpt_store *s, const uint8_t *token_hash, const char *at,
                               tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "UPDATE invitations SET used = ? WHERE token_hash = ? AND used = '' AND withdrawn = ''",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 2, token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    if ((rc = tpt__sqlite_run(c, st, "using the invitation", err))) return rc;
    if (sqlite3_changes(c->db) != 1)
        return tpt_error_set(err, TPT_ERR_CONFLICT,
                             "the invitation has been used or withdrawn already");
    return 0;
}

int tpt__sqlite_invitation_withdraw(tpt_store *s, int64_t id, const char *at, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "UPDATE invitations SET withdrawn = ? WHERE id = ? AND used = '' AND withdrawn = ''",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, id);
    if ((rc = tpt__sqlite_run(c, st, "withdrawing the invitation", err))) return rc;
    if (sqlite3_changes(c->db) == 1) return 0;
    tpt_invitation inv;
    if ((rc = tpt__sqlite_invitation_get(s, id, &inv, err))) return rc;
    return tpt_error_set(err, TPT_ERR_CONFLICT,
                         "the invitation has been used or withdrawn already");
}

static void failures_row(sqlite3_stmt *st, void *out)
{
    *(int *)out = sqlite3_column_int(st, 0);
}

int tpt__sqlite_invitation_fail(tpt_store *s, const uint8_t *token_hash, int max, const char *at,
                                int *failures, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    /* counted and, at the bound, withdrawn in one statement */
    int rc = tpt__sqlite_prepare(c,
                                 "UPDATE invitations SET failures = failures + 1, withdrawn = "
                                 "CASE WHEN failures + 1 >= ?2 AND withdrawn = '' THEN ?3 ELSE "
                                 "withdrawn END WHERE token_hash = ?1 RETURNING failures",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, max);
    sqlite3_bind_text(st, 3, at, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_one(c, st, failures_row, failures, "no such invitation",
                           "counting a refused invitation", err);
}

/* ---- password reset links ---- */

int tpt__sqlite_reset_add(tpt_store *s, const tpt_password_reset *r, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO password_resets (token_hash, user_id, created_by, "
                                 "created, expires) VALUES (?, ?, ?, ?, ?)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, r->token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, r->user);
    tpt__sqlite_bind_id(st, 3, r->created_by);
    sqlite3_bind_text(st, 4, r->created, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, r->expires, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "storing the reset link", err);
}

static void reset_row(sqlite3_stmt *st, void *item)
{
    tpt_password_reset *r = item;
    r->id = sqlite3_column_int64(st, 0);
    r->user = sqlite3_column_int64(st, 1);
    r->created_by = sqlite3_column_int64(st, 2);
    tpt__sqlite_copy(st, 3, r->created, sizeof r->created);
    tpt__sqlite_copy(st, 4, r->expires, sizeof r->expires);
    tpt__sqlite_copy(st, 5, r->used, sizeof r->used);
}

int tpt__sqlite_reset_find(tpt_store *s, const uint8_t *token_hash, tpt_password_reset *out,
                           tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT id, user_id, coalesce(created_by, 0), created, expires, "
                                 "used FROM password_resets WHERE token_hash = ?",
                                 &st, err);
    if (rc) return rc;
    tpt_password_reset found = {0};
    memcpy(found.token_hash, token_hash, sizeof found.token_hash); /* it may point into out */
    sqlite3_bind_blob(st, 1, found.token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    rc = tpt__sqlite_one(c, st, reset_row, &found, "no such reset link", "finding the reset link",
                         err);
    if (!rc) *out = found;
    return rc;
}

int tpt__sqlite_reset_use(tpt_store *s, const uint8_t *token_hash, const char *at, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_exec(c, "SAVEPOINT use_reset;", err);
    if (rc) return rc;
    if (!(rc = tpt__sqlite_prepare(
              c, "UPDATE password_resets SET used = ? WHERE token_hash = ? AND used = ''", &st,
              err))) {
        sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 2, token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
        rc = tpt__sqlite_run(c, st, "using the reset link", err);
    }
    if (!rc && sqlite3_changes(c->db) != 1)
        rc = tpt_error_set(err, TPT_ERR_CONFLICT, "the reset link has been used already");
    /* the account's other links die with it */
    if (!rc && !(rc = tpt__sqlite_prepare(c,
                                          "UPDATE password_resets SET used = ?1 WHERE used = '' "
                                          "AND user_id = (SELECT user_id FROM password_resets "
                                          "WHERE token_hash = ?2)",
                                          &st, err))) {
        sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 2, token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
        rc = tpt__sqlite_run(c, st, "using the reset link", err);
    }
    return tpt__sqlite_release(c, "use_reset", rc, err);
}
