/* Who works on the records, in SQLite: clinics, accounts, failed sign-ins
 * and browser sessions. store.c has checked the arguments. */
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

/* The operator is kept as the column `operator` (schema 015.sql says why),
 * with the role 'admin' that the column's check allows. */
static const char *stored_role(tpt_role role)
{
    return tpt_role_name(role == TPT_ROLE_OPERATOR ? TPT_ROLE_ADMIN : role);
}

int tpt__sqlite_user_add(tpt_store *s, const tpt_user *u, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO users (email, name, role, password_hash, clinic_id, "
                                 "patient_id, operator, language, home) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, u->email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, u->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, stored_role(u->role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, u->password_hash, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 5, u->clinic);
    tpt__sqlite_bind_id(st, 6, u->patient);
    sqlite3_bind_int(st, 7, u->role == TPT_ROLE_OPERATOR);
    sqlite3_bind_text(st, 8, u->language, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 9, u->home);
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

/* (a deleted account's email is not its own any more: '' here) */
#define USER_COLUMNS                                                                               \
    "id, CASE deleted WHEN '' THEN email ELSE '' END, name, "                                      \
    "CASE WHEN operator THEN 'operator' ELSE role END, password_hash, coalesce(clinic_id, 0), "    \
    "coalesce(patient_id, 0), disabled, deleted, language, home"

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
    tpt__sqlite_copy(st, 7, u->disabled, sizeof u->disabled);
    tpt__sqlite_copy(st, 8, u->deleted, sizeof u->deleted);
    tpt__sqlite_copy(st, 9, u->language, sizeof u->language);
    u->home = sqlite3_column_int(st, 10);
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
    int rc = tpt__sqlite_prepare(
        c, "SELECT " USER_COLUMNS " FROM users WHERE email = ? AND deleted = ''", &st, err);
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

int tpt__sqlite_user_of_patient(tpt_store *s, int64_t patient, tpt_user *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT " USER_COLUMNS " FROM users WHERE patient_id = ? AND "
                                 "deleted = '' ORDER BY id LIMIT 1",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    return tpt__sqlite_one(c, st, user_row, out, "no account of the record",
                           "finding the record's account", err);
}

int tpt__sqlite_user_list(tpt_store *s, int64_t clinic, tpt_user_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "SELECT " USER_COLUMNS " FROM users WHERE ?1 = 0 OR clinic_id = ?1 ORDER BY id", &st,
        err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
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

/* Runs an UPDATE of one account already bound; no such account is TPT_ERR_INPUT. */
static int update_user(tpt__sqlite *c, sqlite3_stmt *st, int64_t id, const char *what,
                       tpt_error *err)
{
    int rc = tpt__sqlite_run(c, st, what, err);
    if (!rc && sqlite3_changes(c->db) != 1)
        rc = tpt_error_set(err, TPT_ERR_INPUT, "there is no account %lld", (long long)id);
    return rc;
}

int tpt__sqlite_user_set_role(tpt_store *s, int64_t id, tpt_role role, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc =
        tpt__sqlite_prepare(c, "UPDATE users SET role = ?, operator = ? WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, stored_role(role), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, role == TPT_ROLE_OPERATOR);
    sqlite3_bind_int64(st, 3, id);
    return update_user(c, st, id, "changing the role", err);
}

/* Ends every session of an account, in the statement after its change. */
static int end_sessions(tpt__sqlite *c, int64_t id, int64_t *ended, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "DELETE FROM auth_sessions WHERE user_id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = tpt__sqlite_run(c, st, "ending the sessions", err);
    if (!rc && ended) *ended = sqlite3_changes(c->db);
    return rc;
}

int tpt__sqlite_user_set_disabled(tpt_store *s, int64_t id, const char *at, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_exec(c, "SAVEPOINT disable_user;", err);
    if (rc) return rc;
    if (!(rc = tpt__sqlite_prepare(c, "UPDATE users SET disabled = ? WHERE id = ?", &st, err))) {
        sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, id);
        rc = update_user(c, st, id, "disabling the account", err);
    }
    if (!rc && *at) rc = end_sessions(c, id, NULL, err);
    return tpt__sqlite_release(c, "disable_user", rc, err);
}

int tpt__sqlite_user_delete(tpt_store *s, int64_t id, const char *at, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_exec(c, "SAVEPOINT delete_user;", err);
    if (rc) return rc;
    if (!(rc = tpt__sqlite_prepare(c,
                                   "UPDATE users SET deleted = ?1, password_hash = '', "
                                   "disabled = CASE disabled WHEN '' THEN ?1 ELSE disabled END, "
                                   /* the email is freed: the column is unique */
                                   "email = 'deleted-' || id || '@invalid' "
                                   "WHERE id = ?2 AND deleted = ''",
                                   &st, err))) {
        sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, id);
        rc = tpt__sqlite_run(c, st, "deleting the account", err);
    }
    if (!rc && sqlite3_changes(c->db) != 1) {
        tpt_user u;
        rc = tpt__sqlite_user_by_id(s, id, &u, err);
        if (!rc) rc = tpt_error_set(err, TPT_ERR_CONFLICT, "the account was deleted already");
    }
    if (!rc) rc = end_sessions(c, id, NULL, err);
    return tpt__sqlite_release(c, "delete_user", rc, err);
}

int tpt__sqlite_admin_count(tpt_store *s, int64_t clinic, int64_t *count, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT count(*) FROM users WHERE clinic_id = ? AND role = "
                                 "'admin' AND NOT operator AND disabled = '' AND deleted = ''",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
    return tpt__sqlite_one(c, st, count_row, count, "", "counting the admins", err);
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
    return update_user(c, st, id, "changing the account's settings", err);
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

int tpt__sqlite_sign_in_forgive(tpt_store *s, const char *key, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "UPDATE sign_in_failures SET failures = failures - 1 "
                                 "WHERE email_key = ? AND failures > 0",
                                 &st, err);
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
                                         int64_t *ended, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "DELETE FROM auth_sessions WHERE user_id = ?1 AND (?2 IS NULL OR token_hash != ?2)", &st,
        err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, user);
    if (keep) sqlite3_bind_blob(st, 2, keep, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    rc = tpt__sqlite_run(c, st, "ending the sessions", err);
    if (!rc && ended) *ended = sqlite3_changes(c->db);
    return rc;
}
