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
#include "tpt/text.h"

#define SESSION_HOURS 12

void srv_now(char out[TPT_TIME_MAX])
{
    tpt_time_format((int64_t)time(NULL), out);
}

void srv_from_now(long long seconds, char out[TPT_TIME_MAX])
{
    tpt_time_format((int64_t)time(NULL) + seconds, out);
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

tpt_store *srv_store(srv_ctx *c)
{
    if (c->store) return c->store;
    pthread_once(&store_key_once, make_store_key);
    tpt_store *store = pthread_getspecific(store_key);
    if (!store) {
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
    }
    return c->store = store;
}

int srv_sign_in(srv_ctx *c, bool changes)
{
    tpt_user *u = &c->caller.user;
    tpt_auth_session *s = &c->caller.session;
    tpt_store *store = srv_store(c);
    if (!store) return -1;
    char now[TPT_TIME_MAX];
    srv_now(now);
    if (tpt_token_hash(c->req->session_token, s->token_hash) != 0 ||
        tpt_store_auth_session_find(store, s->token_hash, s, NULL) != 0 ||
        strcmp(s->expires, now) <= 0 || tpt_store_user_by_id(store, s->user, u, NULL) != 0 ||
        *u->disabled || *u->deleted) {
        srv_reply_error(c->res, 401, "not-signed-in", NULL, "sign in first");
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
    const tpt_user *u = &c->caller.user;
    tpt_patient p;
    bool found = patient > 0 && srv_store(c) &&
                 tpt_store_patient_get(c->store, patient, &p, NULL) == 0 && !*p.erased;
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
    return o;
}

/* The cookie goes out, its hash stays. */
void srv_session_start(srv_ctx *c, const tpt_user *u, unsigned status)
{
    char token_hex[65];
    tpt_auth_session s = {.user = u->id};
    tpt_token_new(token_hex, s.token_hash);
    srv_random_hex(32, s.csrf);
    srv_from_now(SESSION_HOURS * 3600, s.expires);
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

int srv_begin(srv_ctx *c)
{
    tpt_error err = {0};
    if (c->tx) return 0;
    if (!srv_store(c)) return -1;
    if (tpt_store_begin(c->store, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return -1;
    }
    c->tx = true;
    return 0;
}

/* Takes back whatever the answer held and answers the failure instead: a
 * response the audit log could not record is never sent. */
static void fail_answer(srv_ctx *c, const tpt_error *err)
{
    srv_response *res = c->res;
    free(res->raw);
    free(res->json_text);
    res->raw = res->json_text = NULL;
    res->raw_len = res->json_len = 0;
    res->set_cookie[0] = res->disposition[0] = '\0';
    res->csp = NULL;
    res->content_type = NULL;
    srv_reply_error(res, err->status == TPT_ERR_UNAVAILABLE ? 503 : 500,
                    err->status == TPT_ERR_UNAVAILABLE ? "unavailable" : "internal", NULL,
                    "the audit log cannot be written, so nothing was done: %s", err->message);
}

static int write_line(srv_ctx *c, int64_t user, const char *action, int64_t patient, tpt_error *err)
{
    tpt_audit_line line = {
        .user = user, .patient = patient, .action = action, .address = c->req->address};
    srv_now(line.at);
    return tpt_store_audit_add(c->store, &line, err);
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

void srv_finish(srv_ctx *c)
{
    bool ok = c->res->status < 400;
    tpt_error err = {0};
    int rc = 0;
    if (c->tx) {
        if (ok || c->keep) {
            for (size_t i = 0; !rc && i < c->naudit; i++)
                rc = write_line(c, c->audit[i].user, c->audit[i].action, c->audit[i].patient, &err);
            if (!rc) rc = tpt_store_commit(c->store, &err);
        }
        if (rc || !(ok || c->keep)) tpt_store_rollback(c->store);
        c->tx = false;
    } else if (c->naudit && c->store) {
        /* a read: its lines are written before anything of it is sent */
        for (size_t i = 0; !rc && i < c->naudit; i++)
            rc = write_line(c, c->audit[i].user, c->audit[i].action, c->audit[i].patient, &err);
    }
    if (!rc && c->refused && !ok && srv_store(c)) rc = write_refusal(c, &err);
    if (rc) fail_answer(c, &err);
}
