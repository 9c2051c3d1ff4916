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
    int64_t patient;   /* the record the path names (checked by the route), or 0 */
    int64_t subject;   /* the account or invitation the path names, or 0 (-1: malformed) */
    /* The audit lines to write when the request ends, and its transaction:
     * open (srv_begin) while its changes wait for their lines. */
    srv_audit_note audit[SRV_AUDIT_NOTES];
    size_t naudit;
    bool tx;       /* the request's transaction is open */
    bool keep;     /* commit it even though the answer refuses (failed sign-ins counted) */
    bool refused;  /* access refused (401, 403, 404 of a record): logged as an attempt */
    int64_t named; /* the record the path names, for the line of a refused attempt */
} srv_ctx;

/* The roles a call is for, a bit per tpt_role. Staff work on their clinic's
 * records; managers manage accounts: an admin in their clinic, the
 * operator in every clinic (and reads no record). */
#define SRV_ADMIN (1u << TPT_ROLE_ADMIN)
#define SRV_OPERATOR (1u << TPT_ROLE_OPERATOR)
#define SRV_STAFF ((1u << TPT_ROLE_ADMIN) | (1u << TPT_ROLE_PRACTITIONER))
#define SRV_MANAGERS (SRV_ADMIN | SRV_OPERATOR)

/* The store of the calling server thread, opened on first use and closed
 * when the thread ends; NULL with a 500 (503 when unavailable) in c->res. */
tpt_store *srv_store(srv_ctx *c);
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
 * and when it was disabled and deleted (or null). */
json_t *srv_user_json(tpt_store *store, const tpt_user *user);

/* The audit log cannot be skipped. A handler notes what it did with
 * srv_audit (who, 0 for nobody signed in; what; whose record, 0 for none);
 * when the request ends, srv_finish writes the lines: inside the request's
 * transaction when one is open (srv_begin), so that a change and its lines
 * are committed together or not at all, else before the answer is sent.
 * When a line cannot be written the answer becomes the failure (503 or
 * 500), nothing changed is kept and nothing read is shown. A refused
 * attempt (401, 403 or 404 of a record; a role's or a CSRF token's 403) is
 * written as a line of its own, with the client's address. */
void srv_audit(srv_ctx *c, int64_t user, const char *action, int64_t patient);
/* The caller did `action` to the record the path names. */
void srv_record_audit(srv_ctx *c, const char *action);
/* Opens the request's transaction, if not open yet: what follows is kept
 * with the request's audit lines, or not at all. 0, or an error in c->res.
 * A change that hashes a password calls it after the hash, so that the
 * database is not held meanwhile. */
int srv_begin(srv_ctx *c);
/* Ends the request (routes.c, after its handler): commits the transaction
 * with the audit lines when the answer is a success (or c->keep), rolls it
 * back otherwise, and writes the line of a refused attempt; a line that
 * cannot be written turns the answer into the failure. */
void srv_finish(srv_ctx *c);
/* What the server does once a day by itself: prune the audit log by its
 * retention (record/retention.h). A failure is said on standard error. */
void srv_housekeeping(const srv_data *data);
/* The current time as the store keeps it. */
void srv_now(char out[TPT_TIME_MAX]);
/* That time `seconds` from now. */
void srv_from_now(long long seconds, char out[TPT_TIME_MAX]);

#endif
