/* Who works on the records, in PostgreSQL: clinics, accounts, failed
 * sign-ins and browser sessions (invitations.c: the one-time links;
 * audit.c: the audit log). store.c has checked the arguments. These tables
 * have no row-level security of their own: a sign-in reads them before
 * anyone's clinic is known. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postgres.h"

/* ---- clinics ---- */

static int clinic_add(tpt__pg *c, const char *name, int64_t *id, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, name);
    PGresult *r = tpt__pg_run(c, "INSERT INTO clinics (name) VALUES ($1) RETURNING id", &p,
                              "adding the clinic", err);
    if (!r) return FAILED;
    *id = tpt__pg_int64(c, r, 0, 0);
    c->pq->clear(r);
    return 0;
}

int tpt__pg_clinic_add(tpt_store *s, const char *name, int64_t *id, tpt_error *err)
{
    CALL(s, clinic_add(c, name, id, err));
}

static void clinic_at(tpt__pg *c, PGresult *r, int i, tpt_clinic *k)
{
    k->id = tpt__pg_int64(c, r, i, 0);
    tpt__pg_copy(c, r, i, 1, k->name, sizeof k->name);
}

static void clinic_row(tpt__pg *c, PGresult *r, void *out)
{
    clinic_at(c, r, 0, out);
}

static int clinic_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    clinic_at(c, r, i, item);
    return 0;
}

/* clinic 0 is the row of "no clinic", never shown as a clinic */
static int clinic_get(tpt__pg *c, int64_t id, tpt_clinic *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    PGresult *r = tpt__pg_run(c, "SELECT id, name FROM clinics WHERE id = $1 AND id > 0", &p,
                              "finding the clinic", err);
    if (!r) return FAILED;
    char missing[64];
    snprintf(missing, sizeof missing, "there is no clinic %lld", (long long)id);
    return tpt__pg_one(c, r, clinic_row, out, missing, err);
}

int tpt__pg_clinic_get(tpt_store *s, int64_t id, tpt_clinic *out, tpt_error *err)
{
    CALL(s, clinic_get(c, id, out, err));
}

static int clinic_list(tpt__pg *c, tpt_clinic_list *out, tpt_error *err)
{
    PGresult *r = tpt__pg_run(c, "SELECT id, name FROM clinics WHERE id > 0 ORDER BY id", NULL,
                              "listing the clinics", err);
    if (!r) return FAILED;
    int rc =
        tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, clinic_item, err);
    if (rc) tpt_clinic_list_free(out);
    return rc;
}

int tpt__pg_clinic_list(tpt_store *s, tpt_clinic_list *out, tpt_error *err)
{
    CALL(s, clinic_list(c, out, err));
}

/* ---- accounts ---- */

static void count_row(tpt__pg *c, PGresult *r, void *out)
{
    *(int64_t *)out = tpt__pg_int64(c, r, 0, 0);
}

static int user_count(tpt__pg *c, int64_t *count, tpt_error *err)
{
    PGresult *r = tpt__pg_run(c, "SELECT count(*) FROM users", NULL, "counting the accounts", err);
    return r ? tpt__pg_one(c, r, count_row, count, NULL, err) : FAILED;
}

int tpt__pg_user_count(tpt_store *s, int64_t *count, tpt_error *err)
{
    CALL(s, user_count(c, count, err));
}

static int user_add(tpt__pg *c, const tpt_user *u, int64_t *id, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, u->email);
    tpt__pg_text(&p, u->name);
    tpt__pg_text(&p, tpt__pg_stored_role(u->role));
    tpt__pg_text(&p, u->password_hash);
    tpt__pg_int(&p, u->clinic);
    tpt__pg_id(&p, u->patient);
    tpt__pg_text(&p, u->role == TPT_ROLE_OPERATOR ? "t" : "f");
    tpt__pg_text(&p, u->language);
    tpt__pg_int(&p, u->home);
    /* an email taken is no row, not a unique violation: a failed statement
     * would end the caller's whole transaction */
    PGresult *r = tpt__pg_run(c,
                              "INSERT INTO users (email, name, role, password_hash, clinic_id, "
                              "patient_id, operator, language, home) VALUES ($1, $2, $3, $4, "
                              "$5, $6, $7, $8, $9::int::boolean) "
                              "ON CONFLICT ((lower(email COLLATE \"C\"))) DO NOTHING RETURNING id",
                              &p, "adding the account", err);
    if (!r) return FAILED;
    int rc = 0;
    if (c->pq->ntuples(r) == 1) {
        if (id) *id = tpt__pg_int64(c, r, 0, 0);
    } else {
        rc = tpt_error_set(err, TPT_ERR_INPUT, "an account with the email %s already exists",
                           u->email);
    }
    c->pq->clear(r);
    return rc;
}

int tpt__pg_user_add(tpt_store *s, const tpt_user *u, int64_t *id, tpt_error *err)
{
    CALL(s, user_add(c, u, id, err));
}

/* (a deleted account's email is not its own any more: '' here) */
#define USER_COLUMNS                                                                               \
    "id, CASE WHEN deleted IS NULL THEN email ELSE '' END, name, "                                 \
    "CASE WHEN operator THEN 'operator' ELSE role END, password_hash, clinic_id, "                 \
    "coalesce(patient_id, 0), coalesce(tpt_utc_text(disabled), ''), "                              \
    "coalesce(tpt_utc_text(deleted), ''), language, home"

static void user_at(tpt__pg *c, PGresult *r, int i, tpt_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = tpt__pg_int64(c, r, i, 0);
    tpt__pg_copy(c, r, i, 1, u->email, sizeof u->email);
    tpt__pg_copy(c, r, i, 2, u->name, sizeof u->name);
    /* the least role, should the text ever be unknown */
    if (tpt_role_parse(c->pq->getvalue(r, i, 3), &u->role) != 0) u->role = TPT_ROLE_PATIENT;
    tpt__pg_copy(c, r, i, 4, u->password_hash, sizeof u->password_hash);
    u->clinic = tpt__pg_int64(c, r, i, 5);
    u->patient = tpt__pg_int64(c, r, i, 6);
    tpt__pg_copy(c, r, i, 7, u->disabled, sizeof u->disabled);
    tpt__pg_copy(c, r, i, 8, u->deleted, sizeof u->deleted);
    tpt__pg_copy(c, r, i, 9, u->language, sizeof u->language);
    u->home = strcmp(c->pq->getvalue(r, i, 10), "t") == 0;
}

static void user_row(tpt__pg *c, PGresult *r, void *out)
{
    user_at(c, r, 0, out);
}

static int user_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    user_at(c, r, i, item);
    ((tpt_user *)item)->password_hash[0] = '\0'; /* a list is for showing: never carries them */
    return 0;
}

static int user_by_email(tpt__pg *c, const char *email, tpt_user *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, email);
    PGresult *r = tpt__pg_run(c,
                              "SELECT " USER_COLUMNS " FROM users "
                              "WHERE lower(email COLLATE \"C\") = lower($1::text COLLATE \"C\") "
                              "AND deleted IS NULL",
                              &p, "finding the account", err);
    return r ? tpt__pg_one(c, r, user_row, out, "no such account", err) : FAILED;
}

int tpt__pg_user_by_email(tpt_store *s, const char *email, tpt_user *out, tpt_error *err)
{
    CALL(s, user_by_email(c, email, out, err));
}

static int user_by_id(tpt__pg *c, int64_t id, tpt_user *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    PGresult *r = tpt__pg_run(c, "SELECT " USER_COLUMNS " FROM users WHERE id = $1", &p,
                              "finding the account", err);
    return r ? tpt__pg_one(c, r, user_row, out, "no such account", err) : FAILED;
}

int tpt__pg_user_by_id(tpt_store *s, int64_t id, tpt_user *out, tpt_error *err)
{
    CALL(s, user_by_id(c, id, out, err));
}

static int user_of_patient(tpt__pg *c, int64_t patient, tpt_user *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, patient);
    PGresult *r = tpt__pg_run(c,
                              "SELECT " USER_COLUMNS " FROM users WHERE patient_id = $1 AND "
                              "deleted IS NULL ORDER BY id LIMIT 1",
                              &p, "finding the record's account", err);
    return r ? tpt__pg_one(c, r, user_row, out, "no account of the record", err) : FAILED;
}

int tpt__pg_user_of_patient(tpt_store *s, int64_t patient, tpt_user *out, tpt_error *err)
{
    CALL(s, user_of_patient(c, patient, out, err));
}

static int user_list(tpt__pg *c, int64_t clinic, tpt_user_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, clinic);
    PGresult *r = tpt__pg_run(c,
                              "SELECT " USER_COLUMNS " FROM users "
                              "WHERE $1 = 0 OR clinic_id = $1 ORDER BY id",
                              &p, "listing the accounts", err);
    if (!r) return FAILED;
    int rc =
        tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, user_item, err);
    if (rc) tpt_user_list_free(out);
    return rc;
}

int tpt__pg_user_list(tpt_store *s, int64_t clinic, tpt_user_list *out, tpt_error *err)
{
    CALL(s, user_list(c, clinic, out, err));
}

const char *tpt__pg_stored_role(tpt_role role)
{
    return tpt_role_name(role == TPT_ROLE_OPERATOR ? TPT_ROLE_ADMIN : role);
}

static int user_set(tpt__pg *c, const char *sql, tpt__pg_params *p, const char *what,
                    tpt_error *err)
{
    return tpt__pg_do(c, sql, p, what, err);
}

/* An UPDATE of one account by id ($ last): no row changed is no account. */
static int user_changed(tpt__pg *c, const char *sql, tpt__pg_params *p, int64_t id,
                        const char *what, tpt_error *err)
{
    PGresult *r = tpt__pg_run(c, sql, p, what, err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    return changed == 1
               ? 0
               : tpt_error_set(err, TPT_ERR_INPUT, "there is no account %lld", (long long)id);
}

int tpt__pg_user_set_role(tpt_store *s, int64_t id, tpt_role role, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, tpt__pg_stored_role(role));
    tpt__pg_text(&p, role == TPT_ROLE_OPERATOR ? "t" : "f");
    tpt__pg_int(&p, id);
    CALL(s, user_changed(c, "UPDATE users SET role = $1, operator = $2 WHERE id = $3", &p, id,
                         "changing the role", err));
}

/* Ends every session of an account; *ended (may be NULL) how many. */
static int end_sessions(tpt__pg *c, int64_t id, int64_t *ended, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    PGresult *r = tpt__pg_run(c, "DELETE FROM auth_sessions WHERE user_id = $1", &p,
                              "ending the sessions", err);
    if (!r) return FAILED;
    if (ended) *ended = tpt__pg_changed(c, r);
    c->pq->clear(r);
    return 0;
}

static int user_set_disabled(tpt__pg *c, int64_t id, const char *at, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_time(&p, at);
    tpt__pg_int(&p, id);
    int rc = user_changed(c, "UPDATE users SET disabled = $1 WHERE id = $2", &p, id,
                          "disabling the account", err);
    return rc || !*at ? rc : end_sessions(c, id, NULL, err);
}

int tpt__pg_user_set_disabled(tpt_store *s, int64_t id, const char *at, tpt_error *err)
{
    CALL(s, user_set_disabled(c, id, at, err));
}

static int user_delete(tpt__pg *c, int64_t id, const char *at, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, at);
    tpt__pg_int(&p, id);
    /* the email is freed (it stays unique): a new account may take it */
    PGresult *r = tpt__pg_run(c,
                              "UPDATE users SET deleted = $1, password_hash = '', "
                              "disabled = coalesce(disabled, $1), "
                              "email = 'deleted-' || id || '@invalid' "
                              "WHERE id = $2 AND deleted IS NULL",
                              &p, "deleting the account", err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    if (changed != 1) {
        tpt_user u;
        int rc = user_by_id(c, id, &u, err);
        return rc ? rc : tpt_error_set(err, TPT_ERR_CONFLICT, "the account was deleted already");
    }
    return end_sessions(c, id, NULL, err);
}

int tpt__pg_user_delete(tpt_store *s, int64_t id, const char *at, tpt_error *err)
{
    CALL(s, user_delete(c, id, at, err));
}

static int admin_count(tpt__pg *c, int64_t clinic, int64_t *count, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, clinic);
    PGresult *r = tpt__pg_run(c,
                              "SELECT count(*) FROM users WHERE clinic_id = $1 AND role = 'admin' "
                              "AND NOT operator AND disabled IS NULL AND deleted IS NULL",
                              &p, "counting the admins", err);
    return r ? tpt__pg_one(c, r, count_row, count, NULL, err) : FAILED;
}

int tpt__pg_admin_count(tpt_store *s, int64_t clinic, int64_t *count, tpt_error *err)
{
    CALL(s, admin_count(c, clinic, count, err));
}

int tpt__pg_user_set_patient(tpt_store *s, int64_t id, int64_t patient, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_id(&p, patient);
    tpt__pg_int(&p, id);
    CALL(s, user_set(c, "UPDATE users SET patient_id = $1 WHERE id = $2", &p,
                     "linking the account to a record", err));
}

int tpt__pg_user_set_password(tpt_store *s, int64_t id, const char *hash, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, hash);
    tpt__pg_int(&p, id);
    CALL(s, user_set(c, "UPDATE users SET password_hash = $1 WHERE id = $2", &p,
                     "changing the password", err));
}

int tpt__pg_user_set_settings(tpt_store *s, int64_t id, const char *language, bool home,
                              tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, language);
    tpt__pg_int(&p, home);
    tpt__pg_int(&p, id);
    CALL(s, user_changed(c, "UPDATE users SET language = $1, home = $2::int::boolean WHERE id = $3",
                         &p, id, "changing the account's settings", err));
}

/* ---- failed sign-ins ---- */

#define FAILURE_COLUMNS "failures, coalesce(tpt_utc_text(locked_until), ''), tpt_utc_text(at)"

static void failures_row(tpt__pg *c, PGresult *r, void *out)
{
    tpt_sign_in_failures *f = out;
    f->failures = (int)tpt__pg_int64(c, r, 0, 0);
    tpt__pg_copy(c, r, 0, 1, f->locked_until, sizeof f->locked_until);
    tpt__pg_copy(c, r, 0, 2, f->at, sizeof f->at);
}

static int sign_in_failures(tpt__pg *c, const char *key, tpt_sign_in_failures *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, key);
    PGresult *r = tpt__pg_run(c,
                              "SELECT " FAILURE_COLUMNS " FROM sign_in_failures "
                              "WHERE email_key = $1",
                              &p, "reading sign-ins", err);
    return r ? tpt__pg_one(c, r, failures_row, out, NULL, err) : FAILED;
}

int tpt__pg_sign_in_failures(tpt_store *s, const char *key, tpt_sign_in_failures *out,
                             tpt_error *err)
{
    CALL(s, sign_in_failures(c, key, out, err));
}

static int sign_in_reserve(tpt__pg *c, const tpt_sign_in_attempt *a, bool *allowed,
                           tpt_sign_in_failures *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, a->key);
    tpt__pg_text(&p, a->now);
    tpt__pg_int(&p, a->free_failures);
    tpt__pg_int(&p, a->max_wait);
    /* One statement, so that attempts racing on several instances are each
     * counted: the row's lock makes them take their turns, and each sees the
     * count the previous one left. A key waiting out its lock is not
     * counted (the WHERE of the update), and then returns no row. */
    PGresult *r = tpt__pg_run(
        c,
        "INSERT INTO sign_in_failures AS f (email_key, failures, locked_until, at) "
        "VALUES ($1, 1, CASE WHEN 1 >= $3 THEN $2::timestamptz + make_interval(secs => "
        "least(2, $4)) END, $2) "
        "ON CONFLICT (email_key) DO UPDATE SET failures = f.failures + 1, at = $2, "
        "locked_until = CASE WHEN f.failures + 1 >= $3 THEN $2::timestamptz + "
        "make_interval(secs => least(1::bigint << least(f.failures + 2 - $3, 10), $4)) END "
        "WHERE f.locked_until IS NULL OR f.locked_until <= $2 "
        "RETURNING " FAILURE_COLUMNS,
        &p, "counting the sign-in", err);
    if (!r) return FAILED;
    *allowed = c->pq->ntuples(r) == 1;
    int rc = *allowed ? tpt__pg_one(c, r, failures_row, out, NULL, err)
                      : (c->pq->clear(r), sign_in_failures(c, a->key, out, err));
    if (rc) return rc;
    tpt__pg_params old = {0};
    tpt__pg_text(&old, a->forget_before);
    return tpt__pg_do(c, "DELETE FROM sign_in_failures WHERE at < $1", &old,
                      "forgetting old sign-ins", err);
}

int tpt__pg_sign_in_reserve(tpt_store *s, const tpt_sign_in_attempt *a, bool *allowed,
                            tpt_sign_in_failures *out, tpt_error *err)
{
    CALL(s, sign_in_reserve(c, a, allowed, out, err));
}

int tpt__pg_sign_in_clear(tpt_store *s, const char *key, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, key);
    CALL(s, tpt__pg_do(c, "DELETE FROM sign_in_failures WHERE email_key = $1", &p,
                       "recording the sign-in", err));
}

int tpt__pg_sign_in_forgive(tpt_store *s, const char *key, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, key);
    CALL(s, tpt__pg_do(c,
                       "UPDATE sign_in_failures SET failures = failures - 1 "
                       "WHERE email_key = $1 AND failures > 0",
                       &p, "recording the sign-in", err));
}

/* ---- browser sessions ---- */

int tpt__pg_auth_session_add(tpt_store *s, const tpt_auth_session *a, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_bytes(&p, a->token_hash, TPT_TOKEN_HASH_SIZE);
    tpt__pg_int(&p, a->user);
    tpt__pg_text(&p, a->csrf);
    tpt__pg_text(&p, a->expires);
    CALL(s, tpt__pg_do(c,
                       "INSERT INTO auth_sessions (token_hash, user_id, csrf, expires) "
                       "VALUES ($1, $2, $3, $4)",
                       &p, "starting the session", err));
}

static void session_row(tpt__pg *c, PGresult *r, void *out)
{
    tpt_auth_session *a = out;
    a->user = tpt__pg_int64(c, r, 0, 0);
    tpt__pg_copy(c, r, 0, 1, a->csrf, sizeof a->csrf);
    tpt__pg_copy(c, r, 0, 2, a->expires, sizeof a->expires);
}

static int auth_session_find(tpt__pg *c, const uint8_t *token_hash, tpt_auth_session *out,
                             tpt_error *err)
{
    uint8_t hash[TPT_TOKEN_HASH_SIZE]; /* token_hash may point into out */
    memcpy(hash, token_hash, sizeof hash);
    tpt__pg_params p = {0};
    tpt__pg_bytes(&p, hash, TPT_TOKEN_HASH_SIZE);
    PGresult *r = tpt__pg_run(c,
                              "SELECT user_id, csrf, tpt_utc_text(expires) FROM auth_sessions "
                              "WHERE token_hash = $1",
                              &p, "finding the session", err);
    if (!r) return FAILED;
    int rc = tpt__pg_one(c, r, session_row, out, "no such session", err);
    if (!rc) memcpy(out->token_hash, hash, sizeof hash);
    return rc;
}

int tpt__pg_auth_session_find(tpt_store *s, const uint8_t *token_hash, tpt_auth_session *out,
                              tpt_error *err)
{
    CALL(s, auth_session_find(c, token_hash, out, err));
}

int tpt__pg_auth_session_delete(tpt_store *s, const uint8_t *token_hash, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_bytes(&p, token_hash, TPT_TOKEN_HASH_SIZE);
    CALL(s, tpt__pg_do(c, "DELETE FROM auth_sessions WHERE token_hash = $1", &p,
                       "ending the session", err));
}

static int auth_session_delete_user(tpt__pg *c, int64_t user, const uint8_t *keep, int64_t *ended,
                                    tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, user);
    if (keep)
        tpt__pg_bytes(&p, keep, TPT_TOKEN_HASH_SIZE);
    else
        tpt__pg_text(&p, NULL);
    PGresult *r = tpt__pg_run(c,
                              "DELETE FROM auth_sessions WHERE user_id = $1 "
                              "AND ($2::bytea IS NULL OR token_hash <> $2)",
                              &p, "ending the sessions", err);
    if (!r) return FAILED;
    if (ended) *ended = tpt__pg_changed(c, r);
    c->pq->clear(r);
    return 0;
}

int tpt__pg_auth_session_delete_user(tpt_store *s, int64_t user, const uint8_t *keep,
                                     int64_t *ended, tpt_error *err)
{
    CALL(s, auth_session_delete_user(c, user, keep, ended, err));
}
