/* Accounts and sign-in: the first account, login with slowing after failures,
 * logout, who is signed in, password change. Passwords are kept as Argon2id
 * hashes (libsodium); a session is a random 256-bit token in an HttpOnly,
 * SameSite=Strict cookie, kept only as a hash; every state-changing request
 * of a signed-in browser carries the session's CSRF token in X-CSRF-Token. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server.h"
#include "store.h"

#define SESSION_HOURS 12
#define PASSWORD_MIN 10
#define PASSWORD_MAX 256
#define FREE_FAILURES 5      /* failures before sign-in slows down */
#define MAX_WAIT_SECONDS 900 /* the longest wait between attempts */
/* failures last this long after the latest: a day */
#define FORGET_FAILURES_SECONDS (24 * 60 * 60)

/* One store per server thread, opened on first use and closed when the
 * thread ends (a thread-specific key's destructor). */
static pthread_key_t store_key;
static pthread_once_t store_key_once = PTHREAD_ONCE_INIT;

static void close_store(void *store)
{
    tpt_store_close(store);
}

static void make_store_key(void)
{
    pthread_key_create(&store_key, close_store);
}

tpt_store *tpt_server_store(const tpt_server_data *data, tpt_response *res)
{
    pthread_once(&store_key_once, make_store_key);
    tpt_store *store = pthread_getspecific(store_key);
    if (store) return store;
    tpt_error err = {0};
    if (tpt_store_open(data->db_path, &store, &err) != 0) {
        tpt_response_internal(res, &err);
        return NULL;
    }
    if (pthread_setspecific(store_key, store) != 0) {
        tpt_store_close(store);
        tpt_response_error(res, 500, "internal", NULL, "out of memory");
        return NULL;
    }
    return store;
}

void tpt_hex(const uint8_t *bytes, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, bytes, n);
}

int tpt_token_hash(const char *token_hex, uint8_t out[TPT_TOKEN_HASH_SIZE])
{
    uint8_t raw[32];
    size_t len;
    if (!token_hex || strlen(token_hex) != 64 ||
        sodium_hex2bin(raw, sizeof raw, token_hex, 64, NULL, &len, NULL) != 0 || len != 32)
        return -1;
    crypto_generichash(out, TPT_TOKEN_HASH_SIZE, raw, sizeof raw, NULL, 0);
    return 0;
}

json_t *tpt_user_json(tpt_store *store, const tpt_user *u)
{
    tpt_clinic clinic = {0};
    json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)u->id, "email", u->email,
                          "name", u->name, "role", tpt_role_name(u->role));
    if (!o) return NULL;
    json_object_set_new(
        o, "clinic",
        u->clinic > 0 && tpt_store_clinic_get(store, u->clinic, &clinic, NULL) == 0
            ? json_pack("{s:I, s:s}", "id", (json_int_t)clinic.id, "name", clinic.name)
            : json_null());
    json_object_set_new(o, "patient", u->patient > 0 ? json_integer(u->patient) : json_null());
    return o;
}

/* Starts a session for the user: the cookie goes out, its hash stays. */
void tpt_auth_start(tpt_store *store, const tpt_request *req, const tpt_user *u, unsigned status,
                    tpt_response *res)
{
    uint8_t token[32], csrf[32];
    char token_hex[65];
    tpt_auth_session s = {.user = u->id};
    randombytes_buf(token, sizeof token);
    randombytes_buf(csrf, sizeof csrf);
    tpt_hex(token, sizeof token, token_hex);
    tpt_hex(csrf, sizeof csrf, s.csrf);
    crypto_generichash(s.token_hash, sizeof s.token_hash, token, sizeof token, NULL, 0);
    tpt_time_format(time(NULL) + SESSION_HOURS * 3600, s.expires);
    tpt_error err = {0};
    if (tpt_store_auth_session_add(store, &s, &err) != 0) {
        tpt_response_internal(res, &err);
        return;
    }
    snprintf(res->set_cookie, sizeof res->set_cookie,
             "tpt_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token_hex,
             SESSION_HOURS * 3600, req->secure ? "; Secure" : "");
    res->status = status;
    res->body = json_pack("{s:o, s:s}", "user", tpt_user_json(store, u), "csrf", s.csrf);
}

/* The signed-in user, or an error in res (401, or 403 for a missing CSRF token
 * when `changes` is set). */
int tpt_auth_caller(const tpt_server_data *data, const tpt_request *req, bool changes,
                    tpt_caller *caller, tpt_response *res)
{
    tpt_user *u = &caller->user;
    tpt_auth_session *s = &caller->session;
    tpt_store *store = tpt_server_store(data, res);
    if (!store) return -1;
    char now[TPT_TIME_MAX];
    tpt_time_format(time(NULL), now);
    if (tpt_token_hash(req->session_token, s->token_hash) != 0 ||
        tpt_store_auth_session_find(store, s->token_hash, s, NULL) != 0 ||
        strcmp(s->expires, now) <= 0 || tpt_store_user_by_id(store, s->user, u, NULL) != 0) {
        tpt_response_error(res, 401, "not-signed-in", NULL, "sign in first");
        return -1;
    }
    if (changes && (!req->csrf || sodium_memcmp(req->csrf, s->csrf, sizeof s->csrf - 1) != 0 ||
                    strlen(req->csrf) != strlen(s->csrf))) {
        tpt_response_error(res, 403, "csrf", NULL,
                           "the request lacks this session's X-CSRF-Token header");
        return -1;
    }
    return 0;
}

const char *tpt_string_field(json_t *body, const char *key, tpt_response *res)
{
    const char *v = json_string_value(json_object_get(body, key));
    if (!v || !*v) tpt_response_error(res, 400, "invalid-field", key, "\"%s\" is required", key);
    return v && *v ? v : NULL;
}

int tpt_auth_new_password(const char *pw, const char *field, char out[TPT_HASH_MAX + 1],
                          tpt_response *res)
{
    size_t n = strlen(pw), chars = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++)
        chars += (*p & 0xC0) != 0x80; /* UTF-8: count the characters, not their bytes */
    if (chars < PASSWORD_MIN || chars > PASSWORD_MAX) {
        tpt_response_error(res, 400, "weak-password", field, "a password has %d to %d characters",
                           PASSWORD_MIN, PASSWORD_MAX);
        return -1;
    }
    char h[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(h, pw, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 ||
        strlen(h) > TPT_HASH_MAX) {
        tpt_response_error(res, 500, "internal", NULL, "cannot hash the password");
        return -1;
    }
    snprintf(out, TPT_HASH_MAX + 1, "%s", h);
    return 0;
}

int tpt_check_person(const char *email, const char *name, tpt_response *res)
{
    if (!strchr(email, '@') || strlen(email) > TPT_EMAIL_MAX) {
        tpt_response_error(res, 400, "invalid-field", "email", "give an email address");
        return -1;
    }
    if (strlen(name) > 200) {
        tpt_response_error(res, 400, "invalid-field", "name", "a name has at most 200 characters");
        return -1;
    }
    return 0;
}

void tpt_audit(tpt_store *store, int64_t user, const char *action, int64_t patient)
{
    char now[TPT_TIME_MAX];
    tpt_time_format(time(NULL), now);
    tpt_store_audit_add(store, now, user, action, patient, NULL);
}

/* ---- endpoints ---- */

static void get_setup(const tpt_server_data *data, tpt_response *res)
{
    tpt_store *store = tpt_server_store(data, res);
    int64_t count;
    tpt_error err = {0};
    if (!store) return;
    if (tpt_store_user_count(store, &count, &err) != 0)
        tpt_response_internal(res, &err);
    else
        res->body = json_pack("{s:b}", "needed", count == 0);
}

/* The first account: the owner (an admin) of a new clinic. With "for_self",
 * someone using tpt for themselves: the account gets its own record, the one
 * the command line keeps on this database when there is one. */
static void post_setup(const tpt_server_data *data, const tpt_request *req, json_t *body,
                       tpt_response *res)
{
    tpt_store *store = tpt_server_store(data, res);
    const char *email, *name, *password;
    if (!store || !(email = tpt_string_field(body, "email", res)) ||
        !(name = tpt_string_field(body, "name", res)) ||
        !(password = tpt_string_field(body, "password", res)))
        return;
    json_t *clinic_field = json_object_get(body, "clinic"),
           *self = json_object_get(body, "for_self");
    const char *clinic = clinic_field ? json_string_value(clinic_field) : "My clinic";
    if (!clinic || !*clinic || strlen(clinic) > 200) {
        tpt_response_error(res, 400, "invalid-field", "clinic",
                           "\"clinic\" is the clinic's name, 1 to 200 characters");
        return;
    }
    if (self && !json_is_boolean(self)) {
        tpt_response_error(res, 400, "invalid-field", "for_self", "\"for_self\" is true or false");
        return;
    }
    if (tpt_check_person(email, name, res) != 0) return;
    tpt_user u = {.role = TPT_ROLE_ADMIN};
    snprintf(u.email, sizeof u.email, "%s", email);
    snprintf(u.name, sizeof u.name, "%s", name);
    if (tpt_auth_new_password(password, "password", u.password_hash, res) != 0) return;
    tpt_error err = {0};
    int64_t count = 0;
    /* the count and the inserts in one transaction: two racing setups make one owner */
    if (tpt_store_begin(store, &err) != 0) {
        tpt_response_internal(res, &err);
        return;
    }
    if (tpt_store_user_count(store, &count, &err) != 0 || count > 0 ||
        tpt_store_clinic_add(store, clinic, &u.clinic, &err) != 0 ||
        (json_is_true(self) &&
         (tpt_store_self(store, &u.patient, &err) != 0 ||
          tpt_store_patient_update(store, u.patient, u.name, u.clinic, &err) != 0)) ||
        tpt_store_user_add(store, &u, &u.id, &err) != 0 || tpt_store_commit(store, &err) != 0) {
        tpt_store_rollback(store);
        if (count > 0)
            tpt_response_error(res, 409, "setup-done", NULL,
                               "the first account exists already: sign in");
        else
            tpt_response_failed(res, &err, "email");
        return;
    }
    tpt_audit(store, u.id, "created the first account", u.patient);
    tpt_auth_start(store, req, &u, 201, res);
}

/* The key failed sign-ins are counted under: a hash of the email in lower
 * case, so that the table holds no email, known or guessed. */
static void email_key(const char *email, char out[2 * crypto_generichash_BYTES + 1])
{
    unsigned char hash[crypto_generichash_BYTES];
    crypto_generichash_state st;
    crypto_generichash_init(&st, (const unsigned char *)"tpt sign-in", 11, sizeof hash);
    for (const char *c = email; *c; c++) {
        unsigned char lower = (unsigned char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        crypto_generichash_update(&st, &lower, 1);
    }
    crypto_generichash_final(&st, hash, sizeof hash);
    sodium_bin2hex(out, 2 * sizeof hash + 1, hash, sizeof hash);
}

/* A failed sign-in under `key`: after FREE_FAILURES the next attempt waits
 * 2 s, 4 s, 8 s ... up to 15 minutes. The same for an email without an
 * account, so that the answers tell nothing about which emails exist. */
static void count_failure(tpt_store *store, const char *key, tpt_sign_in_failures *f)
{
    time_t t = time(NULL); /* after the slow hash, not from the request's start */
    f->failures++;
    f->locked_until[0] = '\0';
    if (f->failures >= FREE_FAILURES) {
        int doublings = f->failures - FREE_FAILURES + 1;
        long wait = 1L << (doublings < 10 ? doublings : 10);
        tpt_time_format(t + (wait < MAX_WAIT_SECONDS ? wait : MAX_WAIT_SECONDS), f->locked_until);
    }
    char forget_before[TPT_TIME_MAX];
    tpt_time_format(t, f->at);
    tpt_time_format(t - FORGET_FAILURES_SECONDS, forget_before);
    tpt_store_sign_in_record(store, key, f, forget_before, NULL);
}

static void post_login(const tpt_server_data *data, const tpt_request *req, json_t *body,
                       tpt_response *res)
{
    tpt_store *store = tpt_server_store(data, res);
    const char *email, *password;
    if (!store || !(email = tpt_string_field(body, "email", res)) ||
        !(password = tpt_string_field(body, "password", res)))
        return;
    char key[2 * crypto_generichash_BYTES + 1], now[TPT_TIME_MAX];
    email_key(email, key);
    tpt_time_format(time(NULL), now);
    tpt_sign_in_failures failed;
    tpt_error err = {0};
    if (tpt_store_sign_in_failures(store, key, &failed, &err) != 0) {
        tpt_response_internal(res, &err);
        return;
    }
    if (*failed.locked_until && strcmp(now, failed.locked_until) < 0) {
        tpt_response_error(res, 429, "slow-down", NULL,
                           "too many failed sign-ins: try again after %s (UTC)",
                           failed.locked_until);
        return;
    }
    tpt_user u;
    if (tpt_store_user_by_email(store, email, &u, NULL) != 0) {
        /* the same answer, and about the same time, as for a wrong password */
        char dummy[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(dummy, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
            tpt_response_error(res, 500, "internal", NULL, "cannot hash the password");
            return;
        }
        count_failure(store, key, &failed);
        tpt_response_error(res, 401, "bad-credentials", NULL, "wrong email or password");
        return;
    }
    if (crypto_pwhash_str_verify(u.password_hash, password, strlen(password)) != 0) {
        count_failure(store, key, &failed);
        tpt_audit(store, u.id, "failed sign-in", 0);
        tpt_response_error(res, 401, "bad-credentials", NULL, "wrong email or password");
        return;
    }
    if (failed.failures) {
        failed.failures = 0;
        tpt_store_sign_in_record(store, key, &failed, "", NULL);
    }
    tpt_audit(store, u.id, "signed in", 0);
    tpt_auth_start(store, req, &u, 200, res);
}

static void post_logout(const tpt_server_data *data, const tpt_request *req, tpt_response *res)
{
    tpt_caller c;
    if (tpt_auth_caller(data, req, true, &c, res) != 0) return;
    tpt_store *store = tpt_server_store(data, res);
    tpt_store_auth_session_delete(store, c.session.token_hash, NULL);
    tpt_audit(store, c.user.id, "signed out", 0);
    snprintf(res->set_cookie, sizeof res->set_cookie,
             "tpt_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             req->secure ? "; Secure" : "");
    res->body = json_pack("{s:b}", "signed_out", 1);
}

static void get_me(const tpt_server_data *data, const tpt_request *req, tpt_response *res)
{
    tpt_caller c;
    if (tpt_auth_caller(data, req, false, &c, res) != 0) return;
    res->body =
        json_pack("{s:o, s:s, s:s}", "user", tpt_user_json(tpt_server_store(data, res), &c.user),
                  "csrf", c.session.csrf, "expires", c.session.expires);
}

static void post_password(const tpt_server_data *data, const tpt_request *req, json_t *body,
                          tpt_response *res)
{
    tpt_caller c;
    const char *current, *next;
    char hash[TPT_HASH_MAX + 1];
    if (tpt_auth_caller(data, req, true, &c, res) != 0 ||
        !(current = tpt_string_field(body, "current", res)) ||
        !(next = tpt_string_field(body, "new", res)))
        return;
    if (crypto_pwhash_str_verify(c.user.password_hash, current, strlen(current)) != 0) {
        tpt_response_error(res, 403, "bad-credentials", "current", "the current password is wrong");
        return;
    }
    if (tpt_auth_new_password(next, "new", hash, res) != 0) return;
    tpt_store *store = tpt_server_store(data, res);
    tpt_error err = {0};
    if (tpt_store_user_set_password(store, c.user.id, hash, &err) != 0 ||
        tpt_store_auth_session_delete_user(store, c.user.id, c.session.token_hash, &err) != 0) {
        tpt_response_internal(res, &err);
        return;
    }
    tpt_audit(store, c.user.id, "changed the password", 0);
    res->body = json_pack("{s:b}", "changed", 1);
}

bool tpt_auth_handle(const tpt_server_data *data, const tpt_request *req, json_t *body,
                     tpt_response *res)
{
    static const char *const posts[] = {"/api/v1/setup", "/api/v1/login", "/api/v1/logout",
                                        "/api/v1/password", NULL};
    bool post = strcmp(req->method, "POST") == 0, get = strcmp(req->method, "GET") == 0;
    const char *p = req->path;
    if (strcmp(p, "/api/v1/setup") == 0 && get)
        get_setup(data, res);
    else if (strcmp(p, "/api/v1/me") == 0 && get)
        get_me(data, req, res);
    else if (strcmp(p, "/api/v1/setup") == 0 && post && body)
        post_setup(data, req, body, res);
    else if (strcmp(p, "/api/v1/login") == 0 && post && body)
        post_login(data, req, body, res);
    else if (strcmp(p, "/api/v1/logout") == 0 && post)
        post_logout(data, req, res);
    else if (strcmp(p, "/api/v1/password") == 0 && post && body)
        post_password(data, req, body, res);
    else {
        for (const char *const *q = posts; *q; q++) {
            if (strcmp(p, *q) == 0 && !post) {
                tpt_response_error(res, 405, "method-not-allowed", NULL, "%s takes POST", p);
                return true;
            }
        }
        if (strcmp(p, "/api/v1/me") == 0 && !get) {
            tpt_response_error(res, 405, "method-not-allowed", NULL, "%s takes GET", p);
            return true;
        }
        return false;
    }
    return true;
}

bool tpt_auth_path(const char *path)
{
    static const char *const paths[] = {"/api/v1/setup", "/api/v1/login",    "/api/v1/logout",
                                        "/api/v1/me",    "/api/v1/password", NULL};
    for (const char *const *p = paths; *p; p++)
        if (strcmp(path, *p) == 0) return true;
    return false;
}
