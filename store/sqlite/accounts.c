/* Who works on the records, in SQLite: clinics, accounts, failed sign-ins,
 * browser sessions, invitations and the audit log. store.c has checked the
 * arguments. */
#include <stdio.h>
#include <string.h>

#include "sqlite.h"

/* ---- clinics ---- */

int tpt__sqlite_clinic_add(tpt_store *s, const char *name, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "INSERT INTO clinics (name) VALUES (?)", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    if ((rc = tpt__sqlite_run(c, st, "adding the clinic", err))) return rc;
    *id = sqlite3_last_insert_rowid(c->db);
    return 0;
}

static void clinic_row(sqlite3_stmt *st, void *item)
{
    tpt_clinic *k = item;
    k->id = sqlite3_column_int64(st, 0);
    tpt__sqlite_copy(st, 1, k->name, sizeof k->name);
}

static int clinic_item(sqlite3_stmt *st, void *item)
{
    clinic_row(st, item);
    return 0;
}

int tpt__sqlite_clinic_get(tpt_store *s, int64_t id, tpt_clinic *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    char missing[64];
    snprintf(missing, sizeof missing, "there is no clinic %lld", (long long)id);
    int rc = tpt__sqlite_prepare(c, "SELECT id, name FROM clinics WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    return tpt__sqlite_one(c, st, clinic_row, out, missing, "finding the clinic", err);
}

int tpt__sqlite_clinic_list(tpt_store *s, tpt_clinic_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "SELECT id, name FROM clinics ORDER BY id", &st, err);
    if (rc) return rc;
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items, clinic_item,
                          "listing the clinics", err);
    if (rc) tpt_clinic_list_free(out);
    return rc;
}

/* ---- accounts ---- */

static void count_row(sqlite3_stmt *st, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(st, 0);
}

int tpt__sqlite_user_count(tpt_store *s, int64_t *count, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "SELECT count(*) FROM users", &st, err);
    return rc ? rc : tpt__sqlite_one(c, st, count_row, count, "", "counting the accounts", err);
}

int tpt__sqlite_user_add(tpt_store *s, const tpt_user *u, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO users (email, name, role, password_hash, clinic_id, "
                                 "patient_id, language, home) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, u->email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, u->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, tpt_role_name(u->role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, u->password_hash, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 5, u->clinic);
    tpt__sqlite_bind_id(st, 6, u->patient);
    sqlite3_bind_text(st, 7, u->language, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 8, u->home);
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        rc = 0;
        if (id) *id = sqlite3_last_insert_rowid(c->db);
    } else if (sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_UNIQUE) {
        rc = tpt_error_set(err, TPT_ERR_INPUT, "an account with the email %s already exists",
                           u->email);
    } else {
        rc = tpt__sqlite_fail(c, err, "adding the account");
    }
    sqlite3_finalize(st);
    return rc;
}

#define USER_COLUMNS                                                                               \
    "id, email, name, role, password_hash, coalesce(clinic_id, 0), coalesce(patient_id, 0), "      \
    "language, home"

static void user_row(sqlite3_stmt *st, void *item)
{
    tpt_user *u = item;
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    tpt__sqlite_copy(st, 1, u->email, sizeof u->email);
    tpt__sqlite_copy(st, 2, u->name, sizeof u->name);
    /* the least role, should the text ever be unknown */
    if (tpt_role_parse((const char *)sqlite3_column_text(st, 3), &u->role) != 0)
        u->role = TPT_ROLE_PATIENT;
    tpt__sqlite_copy(st, 4, u->password_hash, sizeof u->password_hash);
    u->clinic = sqlite3_column_int64(st, 5);
    u->patient = sqlite3_column_int64(st, 6);
    tpt__sqlite_copy(st, 7, u->language, sizeof u->language);
    u->home = sqlite3_column_int(st, 8);
}

static int user_item(sqlite3_stmt *st, void *item)
{
    user_row(st, item);
    ((tpt_user *)item)->password_hash[0] = '\0'; /* a list is for showing: never carries them */
    return 0;
}

int tpt__sqlite_user_by_email(tpt_store *s, const char *email, tpt_user *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "SELECT " USER_COLUMNS " FROM users WHERE email = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_one(c, st, user_row, out, "no such account", "finding the account", err);
}

int tpt__sqlite_user_by_id(tpt_store *s, int64_t id, tpt_user *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "SELECT " USER_COLUMNS " FROM users WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    return tpt__sqlite_one(c, st, user_row, out, "no such account", "finding the account", err);
}

int tpt__sqlite_user_list(tpt_store *s, tpt_user_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "SELECT " USER_COLUMNS " FROM users ORDER BY id", &st, err);
    if (rc) return rc;
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items, user_item,
                          "listing the accounts", err);
    if (rc) tpt_user_list_free(out);
    return rc;
}

int tpt__sqlite_user_set_patient(tpt_store *s, int64_t id, int64_t patient, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "UPDATE users SET patient_id = ? WHERE id = ?", &st, err);
    if (rc) return rc;
    tpt__sqlite_bind_id(st, 1, patient);
    sqlite3_bind_int64(st, 2, id);
    return tpt__sqlite_run(c, st, "linking the account to a record", err);
}

int tpt__sqlite_user_set_password(tpt_store *s, int64_t id, const char *hash, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "UPDATE users SET password_hash = ? WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, id);
    return tpt__sqlite_run(c, st, "changing the password", err);
}

int tpt__sqlite_user_set_settings(tpt_store *s, int64_t id, const char *language, bool home,
                                  tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc =
        tpt__sqlite_prepare(c, "UPDATE users SET language = ?, home = ? WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, language, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, home);
    sqlite3_bind_int64(st, 3, id);
    if ((rc = tpt__sqlite_run(c, st, "changing the account's settings", err))) return rc;
    return sqlite3_changes(c->db) == 1
               ? 0
               : tpt_error_set(err, TPT_ERR_INPUT, "there is no account %lld", (long long)id);
}

/* ---- failed sign-ins ---- */

static void failures_row(sqlite3_stmt *st, void *item)
{
    tpt_sign_in_failures *f = item;
    f->failures = sqlite3_column_int(st, 0);
    tpt__sqlite_copy(st, 1, f->locked_until, sizeof f->locked_until);
    tpt__sqlite_copy(st, 2, f->at, sizeof f->at);
}

int tpt__sqlite_sign_in_failures(tpt_store *s, const char *key, tpt_sign_in_failures *out,
                                 tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "SELECT failures, locked_until, at FROM sign_in_failures WHERE email_key = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_one(c, st, failures_row, out, NULL, "reading sign-ins", err);
}

int tpt__sqlite_sign_in_reserve(tpt_store *s, const tpt_sign_in_attempt *a, bool *allowed,
                                tpt_sign_in_failures *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    /* One statement: the count and the wait it brings, decided together. A
     * key waiting out its lock is not counted (the WHERE of the update), and
     * then returns no row. */
    int rc = tpt__sqlite_prepare(
        c,
        "INSERT INTO sign_in_failures AS f (email_key, failures, locked_until, at) "
        "VALUES (?1, 1, CASE WHEN 1 >= ?3 THEN strftime('%Y-%m-%dT%H:%M:%SZ', ?2, '+' || "
        "min(2, ?4) || ' seconds') ELSE '' END, ?2) "
        "ON CONFLICT (email_key) DO UPDATE SET failures = f.failures + 1, at = ?2, "
        "locked_until = CASE WHEN f.failures + 1 >= ?3 THEN strftime('%Y-%m-%dT%H:%M:%SZ', ?2, "
        "'+' || min(1 << min(f.failures + 2 - ?3, 10), ?4) || ' seconds') ELSE '' END "
        "WHERE f.locked_until = '' OR f.locked_until <= ?2 "
        "RETURNING failures, locked_until, at",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, a->key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, a->now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, a->free_failures);
    sqlite3_bind_int(st, 4, a->max_wait);
    int step = sqlite3_step(st);
    *allowed = step == SQLITE_ROW;
    if (*allowed) {
        failures_row(st, out);
        step = sqlite3_step(st);
    }
    rc = step == SQLITE_DONE ? 0 : tpt__sqlite_fail(c, err, "counting the sign-in");
    sqlite3_finalize(st);
    if (!rc && !*allowed) rc = tpt__sqlite_sign_in_failures(s, a->key, out, err);
    if (rc || (rc = tpt__sqlite_prepare(c, "DELETE FROM sign_in_failures WHERE at < ?", &st, err)))
        return rc;
    sqlite3_bind_text(st, 1, a->forget_before, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "forgetting old sign-ins", err);
}

int tpt__sqlite_sign_in_clear(tpt_store *s, const char *key, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "DELETE FROM sign_in_failures WHERE email_key = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "recording the sign-in", err);
}

/* ---- browser sessions ---- */

int tpt__sqlite_auth_session_add(tpt_store *s, const tpt_auth_session *a, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO auth_sessions (token_hash, user_id, csrf, expires) "
                                 "VALUES (?, ?, ?, ?)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, a->token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, a->user);
    sqlite3_bind_text(st, 3, a->csrf, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, a->expires, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "starting the session", err);
}

static void session_row(sqlite3_stmt *st, void *item)
{
    tpt_auth_session *a = item;
    a->user = sqlite3_column_int64(st, 0);
    tpt__sqlite_copy(st, 1, a->csrf, sizeof a->csrf);
    tpt__sqlite_copy(st, 2, a->expires, sizeof a->expires);
}

int tpt__sqlite_auth_session_find(tpt_store *s, const uint8_t *token_hash, tpt_auth_session *out,
                                  tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "SELECT user_id, csrf, expires FROM auth_sessions WHERE token_hash = ?", &st, err);
    if (rc) return rc;
    uint8_t hash[TPT_TOKEN_HASH_SIZE]; /* token_hash may point into out */
    memcpy(hash, token_hash, sizeof hash);
    sqlite3_bind_blob(st, 1, hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    rc = tpt__sqlite_one(c, st, session_row, out, "no such session", "finding the session", err);
    if (!rc) memcpy(out->token_hash, hash, sizeof hash);
    return rc;
}

int tpt__sqlite_auth_session_delete(tpt_store *s, const uint8_t *token_hash, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "DELETE FROM auth_sessions WHERE token_hash = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "ending the session", err);
}

int tpt__sqlite_auth_session_delete_user(tpt_store *s, int64_t user, const uint8_t *keep,
                                         tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "DELETE FROM auth_sessions WHERE user_id = ?1 AND (?2 IS NULL OR token_hash != ?2)", &st,
        err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, user);
    if (keep) sqlite3_bind_blob(st, 2, keep, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "ending the sessions", err);
}

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

static void invitation_row(sqlite3_stmt *st, void *item)
{
    tpt_invitation *inv = item;
    if (tpt_role_parse((const char *)sqlite3_column_text(st, 0), &inv->role) != 0)
        inv->role = TPT_ROLE_PATIENT;
    tpt__sqlite_copy(st, 1, inv->name, sizeof inv->name);
    tpt__sqlite_copy(st, 2, inv->email, sizeof inv->email);
    inv->clinic = sqlite3_column_int64(st, 3);
    inv->patient = sqlite3_column_int64(st, 4);
    inv->created_by = sqlite3_column_int64(st, 5);
    tpt__sqlite_copy(st, 6, inv->created, sizeof inv->created);
    tpt__sqlite_copy(st, 7, inv->expires, sizeof inv->expires);
    tpt__sqlite_copy(st, 8, inv->used, sizeof inv->used);
}

int tpt__sqlite_invitation_find(tpt_store *s, const uint8_t *token_hash, tpt_invitation *out,
                                tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT role, name, email, clinic_id, coalesce(patient_id, 0), "
                                 "created_by, created, expires, used FROM invitations WHERE "
                                 "token_hash = ?",
                                 &st, err);
    if (rc) return rc;
    tpt_invitation found = {0};
    memcpy(found.token_hash, token_hash, sizeof found.token_hash); /* it may point into out */
    sqlite3_bind_blob(st, 1, found.token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    rc = tpt__sqlite_one(c, st, invitation_row, &found, "no such invitation",
                         "finding the invitation", err);
    if (!rc) *out = found;
    return rc;
}

int tpt__sqlite_invitation_use(tpt_store *s, const uint8_t *token_hash, const char *at,
                               tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "UPDATE invitations SET used = ? WHERE token_hash = ? AND used = ''", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 2, token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    if ((rc = tpt__sqlite_run(c, st, "using the invitation", err))) return rc;
    if (sqlite3_changes(c->db) != 1)
        return tpt_error_set(err, TPT_ERR_CONFLICT, "the invitation has been used already");
    return 0;
}

/* ---- the audit log ---- */

int tpt__sqlite_audit_add(tpt_store *s, const char *at, int64_t user, const char *action,
                          int64_t patient, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "INSERT INTO audit (at, user_id, action, patient_id) VALUES (?, ?, ?, ?)", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 2, user);
    sqlite3_bind_text(st, 3, action, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 4, patient);
    return tpt__sqlite_run(c, st, "writing the audit log", err);
}

static int audit_item(sqlite3_stmt *st, void *item)
{
    tpt_audit_entry *e = item;
    e->id = sqlite3_column_int64(st, 0);
    tpt__sqlite_copy(st, 1, e->at, sizeof e->at);
    e->user = sqlite3_column_int64(st, 2);
    tpt__sqlite_copy(st, 3, e->action, sizeof e->action);
    e->patient = sqlite3_column_int64(st, 4);
    tpt__sqlite_copy(st, 5, e->user_name, sizeof e->user_name);
    tpt__sqlite_copy(st, 6, e->user_email, sizeof e->user_email);
    tpt__sqlite_copy(st, 7, e->patient_name, sizeof e->patient_name);
    return 0;
}

int tpt__sqlite_audit_list(tpt_store *s, int64_t patient, size_t limit, tpt_audit_list *out,
                           tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT a.id, a.at, coalesce(a.user_id, 0), a.action, "
                                 "coalesce(a.patient_id, 0), u.name, u.email, p.name FROM audit a "
                                 "LEFT JOIN users u ON u.id = a.user_id "
                                 "LEFT JOIN patients p ON p.id = a.patient_id "
                                 "WHERE ?1 <= 0 OR a.patient_id = ?1 ORDER BY a.id DESC LIMIT ?2",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items, audit_item,
                          "reading the audit log", err);
    if (rc) tpt_audit_list_free(out);
    return rc;
}
