/* What every handler does with its request (context.h): the thread's store,
 * who is signed in, whether they may see a record, starting a session, and
 * the audit log. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "context.h"

#define SESSION_HOURS 12

int64_t srv_time(srv_ctx *c)
{
    char now[TPT_TIME_MAX];
    int64_t t;
    /* the database's clock, which every instance of the server shares; the
     * machine's only when the database cannot answer (the request fails then) */
    if (srv_store(c) && tpt_store_now(c->store, now, NULL) == 0 && tpt_time_parse(now, &t) == 0)
        return t;
    return (int64_t)time(NULL);
}

void srv_now(srv_ctx *c, char out[TPT_TIME_MAX])
{
    tpt_time_format(srv_time(c), out);
}

void srv_from_now(srv_ctx *c, long long seconds, char out[TPT_TIME_MAX])
{
    tpt_time_format(srv_time(c) + seconds, out);
}

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

/* The thread's store, opened on first use: NULL with the answer in c->res. */
static tpt_store *thread_store(srv_ctx *c)
{
    pthread_once(&store_key_once, make_store_key);
    tpt_store *store = pthread_getspecific(store_key);
    if (store) return store;
    tpt_error err = {0};
    if (tpt_store_open(c->data->db, &store, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return NULL;
    }
    if (pthread_setspecific(store_key, store) != 0) {
        tpt_store_close(store);
        srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
        return NULL;
    }
    return store;
}

void srv_ready(srv_ctx *c)
{
    tpt_store *store;
    tpt_error err = {0};
    if (c->data->draining)
        srv_reply_error(c->res, 503, "unavailable", NULL, "this instance is stopping");
    else if ((store = thread_store(c)) && tpt_store_ping(store, &err) != 0)
        srv_reply_failed(c->res, &err, NULL);
    else if (store)
        c->res->body = json_pack("{s:s}", "status", "ready");
}

/* On a SQLite file every request's transaction holds the whole database, so
 * the server's threads take turns through this lock rather than in SQLite's
 * busy handler, whose sleeps grow to 100 ms a try: a thread that lost the
 * file slept while the others went on, which made the long tail of writes
 * under load. Other programs on the same file still meet the busy handler. */
static pthread_mutex_t file_turn = PTHREAD_MUTEX_INITIALIZER;

static bool takes_turns(const srv_ctx *c)
{
    return !tpt_store_is_uri(c->data->db);
}

/* The request's transaction ended: the next thread's turn. */
static void transaction_ended(srv_ctx *c)
{
    c->store = NULL;
    if (takes_turns(c)) pthread_mutex_unlock(&file_turn);
}

tpt_store *srv_store(srv_ctx *c)
{
    if (c->store) return c->store;
    tpt_store *store = thread_store(c);
    if (!store) return NULL;
    /* The request's one transaction, its changes and their audit lines
     * together, seeing the caller's clinic once it is known and no clinic
     * before. */
    tpt_error err = {0};
    if (takes_turns(c)) pthread_mutex_lock(&file_turn);
    if (tpt_store_scope(store, c->signed_in ? c->caller.user.clinic : TPT_SCOPE_NONE, &err) != 0 ||
        tpt_store_begin_shared(store, &err) != 0) {
        if (takes_turns(c)) pthread_mutex_unlock(&file_turn);
        srv_reply_internal(c->res, &err);
        return NULL;
    }
    return c->store = store;
}

int srv_commit(srv_ctx *c)
{
    if (!c->store) return 0;
    tpt_store *store = c->store;
    tpt_error err = {0};
    int rc = c->failed ? -1 : tpt_store_commit(store, &err);
    if (rc) tpt_store_rollback(store);
    transaction_ended(c);
    if (rc) {
        if (c->failed) err = c->failure;
        srv_reply_clear(c->res);
        srv_reply_internal(c->res, &err);
        return -1;
    }
    return 0;
}

void srv_end(srv_ctx *c)
{
    if (!c->store) return;
    if (c->res->status >= 500 && !c->failed) {
        /* the handler failed: nothing of it is kept */
        tpt_store_rollback(c->store);
        transaction_ended(c);
        return;
    }
    unsigned status = c->res->status;
    tpt_error err = {0};
    tpt_store *store = c->store;
    int rc = c->failed ? -1 : tpt_store_commit(store, &err);
    if (rc) tpt_store_rollback(store);
    transaction_ended(c);
    if (rc == 0) return;
    /* a refusal already answered stays the answer; a success that could not
     * be kept is not one */
    if (status < 400 || c->failed) {
        if (c->failed) err = c->failure;
        srv_reply_clear(c->res);
        srv_reply_internal(c->res, &err);
    }
}

void srv_fail(srv_ctx *c, const tpt_error *err)
{
    if (c->failed) return;
    c->failed = true;
    c->failure = *err;
}

int srv_sign_in(srv_ctx *c, bool changes)
{
    tpt_user *u = &c->caller.user;
    tpt_auth_session *s = &c->caller.session;
    tpt_store *store = srv_store(c);
    if (!store) return -1;
    char now[TPT_TIME_MAX];
    srv_now(c, now);
    tpt_error err = {0};
    if (srv_token_hash(c->req->session_token, s->token_hash) != 0 ||
        tpt_store_auth_session_find(store, s->token_hash, s, &err) != 0 ||
        strcmp(s->expires, now) <= 0 || tpt_store_user_by_id(store, s->user, u, &err) != 0) {
        if (err.status && err.status != TPT_ERR_INPUT)
            srv_reply_internal(c->res, &err); /* not a missing session: the database */
        else
            srv_reply_error(c->res, 401, "not-signed-in", NULL, "sign in first");
        return -1;
    }
    /* from here on the database shows this caller's clinic only */
    c->signed_in = true;
    if (tpt_store_scope(store, u->clinic, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return -1;
    }
    if (changes && (!c->req->csrf || !srv_same_secret(c->req->csrf, s->csrf))) {
        srv_reply_error(c->res, 403, "csrf", NULL,
                        "the request lacks this session's X-CSRF-Token header");
        return -1;
    }
    return 0;
}

int srv_sign_in_as(srv_ctx *c, bool changes, unsigned roles)
{
    if (srv_sign_in(c, changes) != 0) return -1;
    if (roles & (1u << c->caller.user.role)) return 0;
    srv_reply_error(c->res, 403, "forbidden", NULL, "a %s account cannot do this",
                    tpt_role_name(c->caller.user.role));
    return -1;
}

int srv_patient_access(srv_ctx *c, int64_t patient)
{
#ifdef SRV_TEST_NO_ACCESS_CHECK
    /* tests/api/isolation's build: the check forgotten, as a handler's bug
     * would, so that the test sees what the database alone keeps apart */
    if (patient > 0) return 0;
#endif
    const tpt_user *u = &c->caller.user;
    int64_t clinic = 0;
    tpt_error err = {0};
    bool own = u->patient == patient, clinics = false;
    if (!own && patient > 0 && u->role != TPT_ROLE_PATIENT && srv_store(c)) {
        int rc = tpt_store_patient_clinic(c->store, patient, &clinic, &err);
        /* a database that cannot answer now (a failover) is a 503 to send
         * again, not a record that is not there */
        if (rc != 0 && rc != TPT_ERR_INPUT) {
            srv_reply_failed(c->res, &err, NULL);
            return -1;
        }
        clinics = rc == 0 && clinic > 0 && clinic == u->clinic;
    }
    if (patient > 0 && (own || clinics)) return 0;
    /* the same answer whether the record exists or is someone else's */
    srv_reply_error(c->res, 404, "not-found", NULL, "no patient %lld among yours",
                    (long long)patient);
    return -1;
}

json_t *srv_user_json(tpt_store *store, const tpt_user *u)
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
    json_object_set_new(o, "language", json_string(u->language));
    json_object_set_new(o, "home", json_boolean(u->home));
    return o;
}

/* The cookie goes out, its hash stays. */
void srv_session_start(srv_ctx *c, const tpt_user *u, unsigned status)
{
    char token_hex[65];
    tpt_auth_session s = {.user = u->id};
    srv_token_new(token_hex, s.token_hash);
    srv_random_hex(32, s.csrf);
    srv_from_now(c, SESSION_HOURS * 3600, s.expires);
    tpt_error err = {0};
    if (tpt_store_auth_session_add(c->store, &s, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return;
    }
    snprintf(c->res->set_cookie, sizeof c->res->set_cookie,
             "tpt_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token_hex,
             SESSION_HOURS * 3600, c->req->secure ? "; Secure" : "");
    c->res->status = status;
    c->res->body = json_pack("{s:o, s:s}", "user", srv_user_json(c->store, u), "csrf", s.csrf);
}

void srv_audit(srv_ctx *c, int64_t user, const char *action, int64_t patient)
{
    char now[TPT_TIME_MAX];
    tpt_error err = {0};
    if (!srv_store(c)) return;
    srv_now(c, now);
    /* in the request's transaction: without its line, the change is not kept */
    if (tpt_store_audit_add(c->store, now, user, action, patient, &err) != 0) srv_fail(c, &err);
}

void srv_record_audit(srv_ctx *c, const char *action)
{
    srv_audit(c, c->caller.user.id, action, c->patient);
}
