/* A request being answered: the shared data, the request and its parsed
 * body, the answer in the making, the thread's store, who is asking and
 * which record the path names; and what every handler does with them (the
 * store, the signed-in caller, whether they may see a record, the audit
 * log). A handler is void f(srv_ctx *c). */
#ifndef TPT_SERVER_CONTEXT_H
#define TPT_SERVER_CONTEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "reply.h"
#include "request.h"
#include "store.h"

/* An audit line a request writes when it ends (srv_finish). */
typedef struct srv_audit_note {
    int64_t user, patient; /* 0: nobody signed in, no record */
    char action[TPT_ACTION_MAX + 1];
} srv_audit_note;

/* The lines one request may write: a change and what it changed with it. */
#define SRV_AUDIT_NOTES 4

/* Who is asking: the signed-in account and its browser session. */
typedef struct srv_caller {
    tpt_user user;
    tpt_auth_session session;
} srv_caller;

typedef struct srv_ctx {
    const srv_data *data;
    const srv_request *req;
    srv_response *res;
    json_t *body;      /* the parsed body of a POST or PUT, else NULL */
    const char *rest;  /* what follows the route's path: a cause, a token, a visit... */
    tpt_store *store;  /* the thread's store, once srv_store has given it */
    srv_caller caller; /* once srv_sign_in has said who it is */
    bool signed_in;    /* caller is known */
    int64_t patient;   /* the record the path names (checked by the route), or 0 */
    int64_t subject;   /* the account or invitation the path names, or 0 (-1: malformed) */
    /* The audit lines to write when the request ends, in its transaction. */
    srv_audit_note audit[SRV_AUDIT_NOTES];
    size_t naudit;
    bool keep;         /* commit even though the answer refuses (failed sign-ins counted) */
    bool refused;      /* access refused (401, 403, 404 of a record): logged as an attempt */
    int64_t named;     /* the record the path names, for the line of a refused attempt */
    bool failed;       /* a change of the request could not be kept whole (srv_fail) */
    tpt_error failure; /* why */
} srv_ctx;

/* The roles a call is for, a bit per tpt_role. Staff work on their clinic's
 * records; managers manage accounts: an admin in their clinic, the
 * operator in every clinic (and reads no record). */
#define SRV_ADMIN (1u << TPT_ROLE_ADMIN)
#define SRV_OPERATOR (1u << TPT_ROLE_OPERATOR)
#define SRV_STAFF ((1u << TPT_ROLE_ADMIN) | (1u << TPT_ROLE_PRACTITIONER))
#define SRV_MANAGERS (SRV_ADMIN | SRV_OPERATOR)

/* The store of the calling server thread, opened on first use and closed
 * when the thread ends, with the request's transaction open on it (shared:
 * other requests write meanwhile); NULL with a 500 (503 when unavailable)
 * in c->res. Before srv_sign_in the transaction sees no clinic's records;
 * after it, the caller's clinic's only (tpt_store_scope). */
tpt_store *srv_store(srv_ctx *c);
/* GET /api/v1/ready: 200 while this instance reaches a database that takes
 * writes and is not stopping; else 503 (a balancer then sends elsewhere). */
void srv_ready(srv_ctx *c);
/* Commits what the request did so far, before something slow that must not
 * hold a transaction (a password's hash): 0, or the failure in c->res. The
 * next srv_store opens a new transaction. */
int srv_commit(srv_ctx *c);
/* Ends the request's transaction (routes.c, after the handler): committed
 * with its audit lines when the answer is a success (or c->keep), rolled
 * back when it is a refusal or a failure or a change failed (srv_fail); then
 * the line of a refused attempt. A success that cannot be committed, or
 * whose lines cannot be written, becomes the failure's answer. */
void srv_end(srv_ctx *c);
/* Marks the request failed: nothing of it is kept, and it answers err. */
void srv_fail(srv_ctx *c, const tpt_error *err);
/* The signed-in caller into c->caller: 0, or an error in c->res: 401
 * without a live session, 403 when `changes` and the request lacks the
 * session's CSRF token. */
int srv_sign_in(srv_ctx *c, bool changes);
/* As srv_sign_in, and 403 unless the caller's role is one of `roles`. */
int srv_sign_in_as(srv_ctx *c, bool changes, unsigned roles);
/* Whether the caller may see patient's record: 0, or a 404 in c->res (the
 * same answer for a record that is not theirs as for one that does not
 * exist, or was erased): their own record, or, for staff, a record of
 * their clinic that no colleague keeps to themselves. */
int srv_patient_access(srv_ctx *c, int64_t patient);
/* The clinic whose accounts, invitations and audit lines the caller
 * manages: an admin's own; 0 for the operator, who manages every clinic. */
int64_t srv_managed_clinic(const srv_ctx *c);
/* Whether the caller manages `clinic` (0 when they do, else a 404 in c->res
 * naming `what`: another clinic's answers as one that does not exist). */
int srv_manages(srv_ctx *c, int64_t clinic, const char *what);
/* Starts a session for the user: the cookie into c->res, and the answer
 * {"user", "csrf"} with the status. */
void srv_session_start(srv_ctx *c, const tpt_user *user, unsigned status);
/* An account as the API shows it: id, email, name, role, clinic, patient,
 * language, home, and when it was disabled and deleted (or null). */
json_t *srv_user_json(tpt_store *store, const tpt_user *user);

/* The audit log cannot be skipped. A handler notes what it did with
 * srv_audit (who, 0 for nobody signed in; what; whose record, 0 for none);
 * srv_end writes the lines in the request's transaction just before it
 * commits (srv_commit too, for the lines noted before it), so that a change
 * and its lines are kept together or not at all, and a read's lines are
 * kept before its answer is sent. When a line cannot be written the answer
 * becomes the failure (503 or 500), nothing changed is kept and nothing read
 * is shown. A refused attempt (401, 403 or 404 of a record; a role's or a
 * CSRF token's 403) is written as a line of its own, with the client's
 * address. */
void srv_audit(srv_ctx *c, int64_t user, const char *action, int64_t patient);
/* The caller did `action` to the record the path names. */
void srv_record_audit(srv_ctx *c, const char *action);
/* What the server does once a day by itself: prune the audit log by its
 * retention (record/retention.h). A failure is said on standard error. */
void srv_housekeeping(const srv_data *data);
/* Now, by the database's clock (every instance shares it): seconds, and
 * as the store keeps times; and that time `seconds` from now. */
int64_t srv_time(srv_ctx *c);
void srv_now(srv_ctx *c, char out[TPT_TIME_MAX]);
void srv_from_now(srv_ctx *c, long long seconds, char out[TPT_TIME_MAX]);

#endif
