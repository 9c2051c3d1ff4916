/* What every handler does with its request (context.h): the thread's store,
 * who is signed in, whether they may see a record, starting a session, and
 * the audit log. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "context.h"
#include "record/retention.h"
#include "tpt/printable.h"

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

void srv_housekeeping(const srv_data *data)
{
    tpt_store *store;
    tpt_error err = {0};
    int64_t removed = 0;
    char before[TPT_TIME_MAX];
    if (tpt_store_open(data->db, &store, &err) == 0) {
        tpt_retention_apply(store, (int64_t)time(NULL), &removed, before, &err);
        tpt_store_close(store);
    }
    if (err.status)
        fprintf(stderr, "tpt: the audit log's retention was not applied: %s\n", err.message);
    else if (removed)
        fprintf(stderr, "tpt: removed %lld audit lines older than %s (the retention)\n",
                (long long)removed, before);
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

/* The clinic the database shows the caller: theirs once signed in (the
 * operator, who opens no record, none), none before. */
static int64_t caller_scope(const srv_ctx *c)
{
    if (!c->signed_in || c->caller.user.role == TPT_ROLE_OPERATOR) return TPT_SCOPE_NONE;
    return c->caller.user.clinic;
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
    if (tpt_store_scope(store, caller_scope(c), &err) != 0 ||
        tpt_store_begin_shared(store, &err) != 0) {
        if (takes_turns(c)) pthread_mutex_unlock(&file_turn);
        srv_reply_internal(c->res, &err);
        return NULL;
    }
    return c->store = store;
}

/* Takes back whatever the answer held and answers the failure instead: a
 * change not kept whole, or a response the audit log could not record, is
 * never sent as a success. */
static void fail_answer(srv_ctx *c, const tpt_error *err, bool audit)
{
    srv_reply_clear(c->res);
    if (audit)
        srv_reply_error(c->res, err->status == TPT_ERR_UNAVAILABLE ? 503 : 500,
                        err->status == TPT_ERR_UNAVAILABLE ? "unavailable" : "internal", NULL,
                        "the audit log cannot be written, so nothing was done: %s", err->message);
    else
        srv_reply_internal(c->res, err);
}

static int write_line(srv_ctx *c, int64_t user, const char *action, int64_t patient, tpt_error *err)
{
    tpt_audit_line line = {
        .user = user, .patient = patient, .action = action, .address = c->req->address};
    srv_now(c, line.at);
    return tpt_store_audit_add(c->store, &line, err);
}

/* Writes the audit lines noted so far in the open transaction: 0, or -1
 * with err. They are written last, just before the commit, so that the
 * log's head (which every line chains to) is held as briefly as can be. */
static int write_notes(srv_ctx *c, tpt_error *err)
{
    for (size_t i = 0; i < c->naudit; i++)
        if (write_line(c, c->audit[i].user, c->audit[i].action, c->audit[i].patient, err) != 0)
            return -1;
    c->naudit = 0;
    return 0;
}

/* Commits the open transaction with the lines noted: 0, or -1 with err and
 * nothing of it kept (*audit says whether a line was what failed). */
static int commit_with_notes(srv_ctx *c, tpt_error *err, bool *audit)
{
    tpt_store *store = c->store;
    int rc = -1;
    *audit = false;
    if (c->failed)
        *err = c->failure;
    else if (write_notes(c, err) != 0)
        *audit = true;
    else
        rc = tpt_store_commit(store, err);
    if (rc) tpt_store_rollback(store);
    transaction_ended(c);
    return rc;
}

int srv_commit(srv_ctx *c)
{
    if (!c->store) return 0;
    tpt_error err = {0};
    bool audit;
    if (commit_with_notes(c, &err, &audit) == 0) return 0;
    fail_answer(c, &err, audit);
    return -1;
}

/* The line of a refused attempt: the method, the path (its control
 * characters shown, not acted on), the status, and the record it named
 * when there is one. */
static int write_refusal(srv_ctx *c, tpt_error *err)
{
    char path[120], action[TPT_ACTION_MAX + 1];
    tpt_text_printable(c->req->path, path, sizeof path);
    snprintf(action, sizeof action, "refused %.12s %s (%u)", c->req->method, path, c->res->status);
    int64_t patient =
        c->named > 0 && tpt_store_patient_check(c->store, c->named, NULL) == 0 ? c->named : 0;
    return write_line(c, c->caller.user.id, action, patient, err);
}

/* The line of a refused attempt, in a transaction of its own (the refused
 * request's was rolled back) that sees every clinic, since the record the
 * path names may be another clinic's: 0, or -1 with err. */
static int keep_refusal(srv_ctx *c, tpt_error *err)
{
    bool audit;
    if (!srv_store(c))
        return tpt_error_set(err, TPT_ERR_UNAVAILABLE, "the database cannot be reached");
    if (tpt_store_scope(c->store, TPT_SCOPE_ALL, err) != 0 || write_refusal(c, err) != 0) {
        tpt_store_rollback(c->store);
        transaction_ended(c);
        return -1;
    }
    return commit_with_notes(c, err, &audit);
}

void srv_end(srv_ctx *c)
{
    unsigned status = c->res->status;
    bool ok = status < 400, keep = ok || c->keep, audit = false;
    tpt_error err = {0};
    int rc = 0;
    if (c->store && ((status >= 500 && !c->failed) || !keep)) {
        /* the handler failed or refused: nothing of it is kept, lines
         * included */
        tpt_store_rollback(c->store);
        transaction_ended(c);
        c->naudit = 0;
    } else if (keep && (c->store || c->naudit)) {
        /* (lines noted after srv_commit ended the transaction: a new one) */
        if (srv_store(c)) {
            rc = commit_with_notes(c, &err, &audit);
        } else {
            rc = tpt_error_set(&err, TPT_ERR_UNAVAILABLE, "the database cannot be reached");
            audit = true;
        }
    }
    if (!rc && c->refused && !ok && keep_refusal(c, &err) != 0) {
        rc = -1;
        audit = true;
    }
    /* a refusal already answered stays the answer when it cannot be kept,
     * but not when its audit line cannot; a success that could not be kept
     * is not one */
    if (rc && (ok || c->failed || audit)) fail_answer(c, &err, audit);
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
    if (tpt_token_hash(c->req->session_token, s->token_hash) != 0 ||
        tpt_store_auth_session_find(store, s->token_hash, s, &err) != 0 ||
        strcmp(s->expires, now) <= 0 || tpt_store_user_by_id(store, s->user, u, &err) != 0 ||
        *u->disabled || *u->deleted) {
        if (err.status && err.status != TPT_ERR_INPUT)
            srv_reply_internal(c->res, &err); /* not a missing session: the database */
        else
            srv_reply_error(c->res, 401, "not-signed-in", NULL, "sign in first");
        return -1;
    }
    /* from here on the database shows this caller's clinic only */
    c->signed_in = true;
    if (tpt_store_scope(store, caller_scope(c), &err) != 0) {
        srv_reply_internal(c->res, &err);
        return -1;
    }
    if (changes && (!c->req->csrf || !srv_same_secret(c->req->csrf, s->csrf))) {
        srv_reply_error(c->res, 403, "csrf", NULL,
                        "the request lacks this session's X-CSRF-Token header");
        c->refused = true;
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
    c->refused = true;
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
    tpt_patient p;
    tpt_error err = {0};
    int rc = TPT_ERR_INPUT;
    if (patient > 0 && !srv_store(c)) return -1; /* answered */
    if (patient > 0) rc = tpt_store_patient_get(c->store, patient, &p, &err);
    /* a database that cannot answer now (a failover) is a 503 to send
     * again, not a record that is not there */
    if (rc != 0 && rc != TPT_ERR_INPUT) {
        srv_reply_failed(c->res, &err, NULL);
        return -1;
    }
    bool found = rc == 0 && !*p.erased;
    bool own = found && u->patient == patient;
    bool staff = u->role == TPT_ROLE_ADMIN || u->role == TPT_ROLE_PRACTITIONER;
    bool clinics = found && staff && p.clinic > 0 && p.clinic == u->clinic &&
                   (!p.private_to || p.private_to == u->id);
    if (own || clinics) return 0;
    /* the same answer whether the record exists or is someone else's */
    srv_reply_error(c->res, 404, "not-found", NULL, "no patient %lld among yours",
                    (long long)patient);
    return -1;
}

int64_t srv_managed_clinic(const srv_ctx *c)
{
    return c->caller.user.role == TPT_ROLE_OPERATOR ? 0 : c->caller.user.clinic;
}

int srv_manages(srv_ctx *c, int64_t clinic, const char *what)
{
    int64_t mine = srv_managed_clinic(c);
    if (mine == 0 || clinic == mine) return 0;
    srv_reply_error(c->res, 404, "not-found", NULL, "no %s among yours", what);
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
    json_object_set_new(o, "disabled", *u->disabled ? json_string(u->disabled) : json_null());
    json_object_set_new(o, "deleted", *u->deleted ? json_string(u->deleted) : json_null());
    json_object_set_new(o, "language", json_string(u->language));
    json_object_set_new(o, "home", json_boolean(u->home));
    return o;
}

/* The cookie goes out, its hash stays. */
void srv_session_start(srv_ctx *c, const tpt_user *u, unsigned status)
{
    char token_hex[65];
    tpt_auth_session s = {.user = u->id};
    tpt_token_new(token_hex, s.token_hash);
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
    if (c->naudit == SRV_AUDIT_NOTES) abort(); /* a handler writing more is a bug */
    srv_audit_note *n = &c->audit[c->naudit++];
    n->user = user;
    n->patient = patient;
    snprintf(n->action, sizeof n->action, "%s", action);
}

void srv_record_audit(srv_ctx *c, const char *action)
{
    srv_audit(c, c->caller.user.id, action, c->patient);
}
