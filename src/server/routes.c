/* The API's routes (routes.h): a table per kind of caller, and what each
 * route checks before its handler runs.
 *
 * Public calls of the engine answer anyone. Accounts and sign-in read a body
 * for their POSTs and check the session themselves. The clinic's people and
 * a patient's record are for signed-in accounts: who is asking comes before
 * what they sent (a malformed body without a session is a 401), and a record
 * of another clinic answers as one that does not exist. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fields.h"
#include "handlers.h"
#include "language.h"
#include "routes.h"

#define PREFIX "/api/v1"

typedef void srv_handler(srv_ctx *c);

enum {
    BODY = 1,       /* the body is a JSON object, read before the handler */
    SIGNED_IN = 2,  /* a session first (no CSRF token: for reading) */
    PATIENTS = 4,   /* a record's part a patient may use on their own record */
    CHANGES = 8,    /* a record's route that changes it: the CSRF token too */
    EXACT = 16,     /* a record's part that takes nothing after its path */
    OUR_PAGES = 32, /* a change without a session (signing in, booking, an intake):
                     * JSON from our own pages only */
};

typedef struct route {
    const char *method; /* NULL: the handler answers every method itself */
    const char *path;   /* exact, or ending in '/': a prefix, the rest in c->rest */
    srv_handler *handle;
    unsigned flags;
} route;

/* ---- the tables ---- */

static const route engine_routes[] = {
    {"POST", "/map", srv_map, BODY},
    {"POST", "/screen", srv_screen, BODY},
    {"POST", "/plan", srv_plan, BODY},
    {"GET", "/health", srv_health, 0},
    {"GET", "/ready", srv_ready, 0},
    {"GET", "/instruments", srv_instruments, SIGNED_IN},
    {"GET", "/screen/questions", srv_screen_questions, 0},
    {"GET", "/regions", srv_regions, 0},
    {"GET", "/openapi.json", srv_openapi, 0},
    {"GET", "/atlas", srv_atlas_list, 0},
    {"GET", "/atlas/", srv_atlas_cause, 0},
    {"GET", "/techniques", srv_techniques, 0},
    {"GET", "/chart/", srv_chart, 0},
    {"GET", "/pictures/", srv_picture, 0},
    {"GET", "/languages", srv_languages, 0},
    {"GET", "/messages/", srv_messages, 0},
};

static const route account_routes[] = {
    {"GET", "/setup", srv_setup_needed, 0},
    {"POST", "/setup", srv_setup, BODY | OUR_PAGES},
    {"POST", "/login", srv_login, BODY | OUR_PAGES},
    {"POST", "/logout", srv_logout, 0},
    {"GET", "/me", srv_me, 0},
    {"PUT", "/me", srv_settings, BODY},
    {"POST", "/password", srv_password, BODY},
    {"GET", "/resets/", srv_reset_get, 0},
    {"POST", "/resets/", srv_reset_use, BODY | OUR_PAGES},
};

static const route people_routes[] = {
    {"GET", "/patients", srv_patients_list, 0},
    {"POST", "/patients", srv_patients_add, 0},
    {"POST", "/invitations", srv_invitation_add, 0},
    {"GET", "/invitations", srv_invitations_list, 0},
    {"GET", "/users", srv_users_list, 0},
    {"GET", "/clinics", srv_clinics_list, 0},
    {"POST", "/clinics", srv_clinics_add, 0},
    {"GET", "/clinic", srv_clinic_outcomes, 0},
    {"GET", "/audit", srv_audit_list, 0},
    {"GET", "/instrument-texts", srv_instrument_texts_list, 0},
    {"PUT", "/instrument-texts/", srv_instrument_text_put, 0},
    {"DELETE", "/instrument-texts/", srv_instrument_text_delete, 0},
    /* the calendar: the clinic's settings, then appointments and the outbox */
    {"GET", "/clinic/profile", srv_clinic_profile_get, 0},
    {"PUT", "/clinic/profile", srv_clinic_profile_put, 0},
    {"POST", "/clinic/locations", srv_clinic_location_add, 0},
    {"PUT", "/clinic/locations/", srv_clinic_location_put, 0},
    {"POST", "/clinic/services", srv_clinic_service_add, 0},
    {"PUT", "/clinic/services/", srv_clinic_service_put, 0},
    {"PUT", "/clinic/practitioners/", srv_clinic_practitioner_put, 0},
    {"GET", "/calendar", srv_calendar_view, 0},
    {"GET", "/availability", srv_availability, 0},
    {"GET", "/appointments", srv_appointments_list, 0},
    {"POST", "/appointments", srv_appointments_add, 0},
    {"POST", "/appointments/series", srv_appointments_series, 0},
    {"GET", "/appointments/", srv_appointment_get, 0},
    {"PUT", "/appointments/", srv_appointment_put, 0},
    {"POST", "/appointments/", srv_appointment_action, 0},
    {"GET", "/outbox", srv_outbox_list, 0},
    {"POST", "/outbox/", srv_outbox_handled, 0},
};

/* For anyone, without an account: the directory of clinics, a clinic's
 * page, its open slots and online booking; the intake link; the calendar
 * feed at its private address. */
static const route public_routes[] = {
    {"GET", "/public/clinics", srv_public_directory, 0},
    {"GET", "/public/clinics/", srv_public_clinic, 0},
    {"POST", "/public/clinics/", srv_public_action, BODY | OUR_PAGES},
    {"GET", "/intake/", srv_intake_get, 0},
    {"PUT", "/intake/", srv_intake_put, BODY | OUR_PAGES},
    {"POST", "/intake/", srv_intake_post, BODY | OUR_PAGES},
    {"GET", "/feeds/", srv_feed_ics, 0},
};

/* What follows /users/ID: an account's lifecycle. */
static const route user_routes[] = {
    {"PUT", "", srv_user_change, 0},
    {"DELETE", "", srv_user_delete, 0},
    {"DELETE", "/sessions", srv_user_sessions_end, 0},
    {"POST", "/reset", srv_user_reset, 0},
};

/* What follows /patients/ID ("" for the record itself). */
static const route record_routes[] = {
    {"GET", "", srv_record_summary, 0},
    {"DELETE", "", srv_record_erase, CHANGES},
    {"POST", "/screen", srv_record_screen_add, CHANGES},
    {"GET", "/screen", srv_record_screen, 0},
    {"POST", "/map", srv_record_map, CHANGES},
    {"GET", "/map", srv_record_drawing, 0},
    {"POST", "/plan", srv_record_plan_add, CHANGES},
    {"GET", "/plan", srv_record_plan, 0},
    {"GET", "/plan.html", srv_record_handout, 0},
    {"POST", "/sessions", srv_record_session_add, CHANGES},
    {"GET", "/sessions", srv_record_sessions, 0},
    {"POST", "/log", srv_record_log_add, CHANGES},
    {"GET", "/log", srv_record_log, 0},
    {"PUT", "/log/", srv_record_log_change, CHANGES},
    {"DELETE", "/log/", srv_record_log_change, CHANGES},
    {"PUT", "/sessions/", srv_record_session_change, CHANGES},
    {"DELETE", "/sessions/", srv_record_session_change, CHANGES},
    {"GET", "/progress", srv_record_progress, 0},
    {"GET", "/report", srv_record_report, 0},
    {"GET", "/export.csv", srv_record_csv, 0},
    {"GET", "/export.fhir", srv_record_fhir, 0},
    {"GET", "/history", srv_record_history, 0},
    {"GET", "/audit", srv_record_audit_log, 0},
};

/* The parts of a record a clinic keeps, each answering its own methods and
 * what follows its path (visits: /visits/N/sign...): clinical notes and a
 * patient's details are the clinic's alone; outcome questionnaires a
 * patient may fill in at home; a clinician's assessments of red flags a
 * patient may read (only a clinician records one: the handler checks). */
static const route clinic_parts[] = {
    {NULL, "/details", srv_record_details, EXACT},
    {NULL, "/assessments", srv_record_assessments, EXACT | PATIENTS},
    {NULL, "/visits", srv_record_visits, 0},
    {NULL, "/measures", srv_record_measures, EXACT | PATIENTS},
    {NULL, "/measures/", srv_record_measure, PATIENTS},
    {NULL, "/course", srv_record_course, EXACT},
    {NULL, "/letters/", srv_record_letter, 0},
    {NULL, "/appointments", srv_record_appointments, PATIENTS},
    {NULL, "/calendar", srv_record_feed, EXACT | PATIENTS},
};

/* ---- matching ---- */

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether a route's path takes `path`, and what follows it. */
static bool takes(const route *r, const char *path, const char **rest)
{
    size_t n = strlen(r->path);
    if (n && r->path[n - 1] == '/' ? !starts(path, r->path) : !is(path, r->path)) return false;
    *rest = path + n;
    return true;
}

/* The route of a path and method in a table: the route; NULL when the path
 * is not in the table (*known false) or is but not with this method (*known
 * true, the methods it takes in `allowed`, "GET or POST"). */
static const route *find(const route *table, size_t n, const char *path, const char *method,
                         const char **rest, bool *known, char allowed[24])
{
    *known = false;
    allowed[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!takes(&table[i], path, rest)) continue;
        if (is(table[i].method, method)) return &table[i];
        size_t used = strlen(allowed);
        snprintf(allowed + used, 24 - used, "%s%s", used ? " or " : "", table[i].method);
        *known = true;
    }
    return NULL;
}

#define FIND(table, path, c, rest, known, allowed)                                                 \
    find(table, sizeof table / sizeof *table, path, (c)->req->method, rest, known, allowed)

static void wrong_method(srv_ctx *c, const char *allowed)
{
    srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes %s", c->req->path, allowed);
}

static void no_such_endpoint(srv_ctx *c)
{
    srv_reply_error(c->res, 404, "not-found", NULL, "no such endpoint: %s", c->req->path);
}

/* The id at the start of `after` (digits from 1 up) into *id, and what
 * follows it; false when there is none. */
static bool leading_id(const char *after, int64_t *id, const char **rest)
{
    char *end;
    long long v = strtoll(after, &end, 10);
    if (end == after || *after < '1' || *after > '9') return false;
    *id = v;
    *rest = end;
    return true;
}

/* Whether a request that changes something without a session may: its body
 * is JSON (a form or text/plain is what another site's page can send
 * without asking), and the page that sent it, when the browser says, is
 * one of this server's (Origin's host is the Host asked for). Otherwise
 * false, with 415 or 403 cross-origin answered: another site cannot sign a
 * visitor in to an account of its choosing, nor book or fill in an intake
 * in a visitor's name. */
static bool from_our_pages(srv_ctx *c)
{
    const srv_request *req = c->req;
    const char *type = req->content_type ? req->content_type : "";
    size_t n = strcspn(type, "; \t");
    if (n != strlen("application/json") || strncasecmp(type, "application/json", n) != 0) {
        srv_reply_error(c->res, 415, "unsupported-media-type", NULL,
                        "send the body as application/json");
        return false;
    }
    if (!req->origin) return true; /* not a browser's cross-site request */
    const char *host = strstr(req->origin, "://");
    if (!host || !req->host || strcasecmp(host + 3, req->host) != 0) {
        srv_reply_error(c->res, 403, "cross-origin", NULL,
                        "this request came from another site's page: sign in on this site");
        return false;
    }
    return true;
}

/* ---- a patient's record: /patients/ID... ---- */

static void record_route(srv_ctx *c, const char *after)
{
    const char *rest;
    int64_t id;
    if (!leading_id(after, &id, &rest)) {
        no_such_endpoint(c);
        return;
    }
    const route *r = NULL;
    bool part = false, known;
    char allowed[24];
    for (size_t i = 0; !r && i < sizeof clinic_parts / sizeof *clinic_parts; i++) {
        size_t n = strlen(clinic_parts[i].path);
        if (starts(rest, clinic_parts[i].path) && (!(clinic_parts[i].flags & EXACT) || !rest[n])) {
            r = &clinic_parts[i];
            c->rest = rest + n;
            part = true;
        }
    }
    if (!r && !(r = FIND(record_routes, rest, c, &c->rest, &known, allowed))) {
        if (known)
            wrong_method(c, allowed);
        else
            no_such_endpoint(c);
        return;
    }
    bool changes = part ? !is(c->req->method, "GET") : (r->flags & CHANGES) != 0;
    c->named = id;
    /* every refusal of a record is an attempt the audit log keeps */
    c->refused = true;
    if (srv_sign_in(c, changes) != 0 || srv_patient_access(c, id) != 0) return;
    if (part && c->caller.user.role == TPT_ROLE_PATIENT && !(r->flags & PATIENTS)) {
        srv_reply_error(c->res, 403, "forbidden", NULL, "a patient account cannot do this");
        return;
    }
    c->refused = false;
    c->patient = id;
    c->res->private_data = true; /* a record's pages and files: never kept by a cache */
    r->handle(c);
}

/* ---- accounts: /users/ID... ---- */

static void user_route(srv_ctx *c, const char *after)
{
    const char *rest;
    bool known;
    char allowed[24];
    const route *r;
    if (!leading_id(after, &c->subject, &rest)) {
        no_such_endpoint(c);
    } else if ((r = FIND(user_routes, rest, c, &c->rest, &known, allowed))) {
        r->handle(c);
    } else if (known) {
        wrong_method(c, allowed);
    } else {
        no_such_endpoint(c);
    }
}

/* ---- invitations: /invitations/TOKEN, /invitations/TOKEN/accept (for the
 * signed-out) and /invitations/ID/withdraw ---- */

static void invitation_route(srv_ctx *c, const char *after)
{
    char token[80];
    size_t n = strcspn(after, "/");
    bool accept = is(after + n, "/accept"), withdraw = is(after + n, "/withdraw");
    if (n >= sizeof token || (after[n] && !accept && !withdraw)) {
        no_such_endpoint(c);
        return;
    }
    memcpy(token, after, n);
    token[n] = '\0';
    c->rest = token;
    bool post = is(c->req->method, "POST"), get = is(c->req->method, "GET");
    const char *rest;
    if (withdraw && !leading_id(token, &c->subject, &rest))
        no_such_endpoint(c);
    else if (withdraw && post)
        srv_invitation_withdraw(c);
    else if (accept && post) {
        if (from_our_pages(c)) srv_invitation_accept(c);
    } else if (!accept && !withdraw && get)
        srv_invitation_get(c);
    else
        wrong_method(c, accept || withdraw ? "POST" : "GET");
}

/* ---- the top ---- */

/* The clinic's people and the records: who is asking comes before what they
 * sent, then the body (none at all reads as {}: the handler then names what
 * is missing, and a method the path does not take still answers 405). */
static void signed_in_route(srv_ctx *c, const char *path)
{
    bool changes = !is(c->req->method, "GET") && !is(c->req->method, "HEAD");
    bool invitation = starts(path, "/invitations/"); /* for the signed-out, but withdrawing */
    if (changes && !invitation && srv_sign_in(c, true) != 0) return;
    if (changes && !(c->body = c->req->body_len ? srv_parse_body(c->req, c->res) : json_object()))
        return;
    const route *r;
    bool known;
    char allowed[24];
    if (starts(path, "/patients/"))
        record_route(c, path + strlen("/patients/"));
    else if (starts(path, "/users/"))
        user_route(c, path + strlen("/users/"));
    else if (invitation)
        invitation_route(c, path + strlen("/invitations/"));
    else if ((r = FIND(people_routes, path, c, &c->rest, &known, allowed)))
        r->handle(c);
    else
        wrong_method(c, allowed);
}

static bool in_people(const char *path)
{
    const char *rest;
    for (size_t i = 0; i < sizeof people_routes / sizeof *people_routes; i++)
        if (takes(&people_routes[i], path, &rest)) return true;
    return starts(path, "/patients/") || starts(path, "/invitations/") || starts(path, "/users/") ||
           starts(path, "/instrument-texts/");
}

/* A route of a table that reads its body and checks its session itself. */
static bool table_route(srv_ctx *c, const route *table, size_t n, const char *path)
{
    bool known;
    char allowed[24];
    const route *r = find(table, n, path, c->req->method, &c->rest, &known, allowed);
    if (!r && !known) return false;
    if (!r)
        wrong_method(c, allowed);
    else if ((r->flags & OUR_PAGES) && !from_our_pages(c))
        ;
    else if ((r->flags & BODY) && !(c->body = srv_parse_body(c->req, c->res)))
        ;
    else if (!(r->flags & SIGNED_IN) || srv_sign_in(c, false) == 0)
        r->handle(c);
    return true;
}

void srv_route(const srv_data *data, const srv_request *req, srv_response *res)
{
    srv_ctx c = {.data = data, .req = req, .res = res};
    res->status = 200;
    res->body = NULL;
    const char *path = starts(req->path, PREFIX "/") ? req->path + strlen(PREFIX) : "";
    if (in_people(path))
        signed_in_route(&c, path);
    else if (!table_route(&c, account_routes, sizeof account_routes / sizeof *account_routes,
                          path) &&
             !table_route(&c, engine_routes, sizeof engine_routes / sizeof *engine_routes, path) &&
             !table_route(&c, public_routes, sizeof public_routes / sizeof *public_routes, path))
        srv_reply_error(res, 404, "not-found", NULL, "no such endpoint: %s %s", req->method,
                        req->path);
    if (!res->body && !res->raw && !res->json_text && res->status == 200)
        srv_reply_error(res, 500, "internal", NULL, "out of memory");
    /* the request's one transaction: its changes with their audit lines */
    srv_end(&c);
    json_decref(c.body);
    srv_translate_answer(&c);
}

bool srv_route_hashes(const char *method, const char *path)
{
    static const char *const hashing[] = {PREFIX "/login", PREFIX "/setup", PREFIX "/password"};
    if (!is(method, "POST")) return false;
    for (size_t i = 0; i < sizeof hashing / sizeof *hashing; i++)
        if (is(path, hashing[i])) return true;
    if (starts(path, PREFIX "/resets/")) return true; /* a reset link chooses the password */
    size_t n = strlen(path), suffix = strlen("/accept");
    return starts(path, PREFIX "/invitations/") && n > suffix && is(path + n - suffix, "/accept");
}
