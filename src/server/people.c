/* Who may see what: patients of a clinic, invitations (one-time links that
 * make accounts), the accounts and clinics an admin manages, and the audit
 * log admins read.
 *
 * Roles: an admin manages accounts and clinics and is also a practitioner of
 * their own clinic; a practitioner sees their clinic's patients and invites
 * them; a patient sees only their own record. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "server.h"

#define P "/api/v1"
#define INVITATION_DAYS 7
#define PATIENTS_MAX 200 /* patients in one answer of the list */
#define AUDIT_DEFAULT 100
#define AUDIT_MAX 1000

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void store_failed(tpt_response *res, const tpt_error *err)
{
    tpt_response_failed(res, err, NULL);
}

/* The caller when signed in with one of the roles (a bit per tpt_role). */
static int caller_with(const tpt_server_data *data, const tpt_request *req, bool changes,
                       unsigned roles, tpt_caller *c, tpt_response *res)
{
    if (tpt_auth_caller(data, req, changes, c, res) != 0) return -1;
    if (roles & (1u << c->user.role)) return 0;
    tpt_response_error(res, 403, "forbidden", NULL, "a %s account cannot do this",
                       tpt_role_name(c->user.role));
    return -1;
}

#define CLINICAL ((1u << TPT_ROLE_ADMIN) | (1u << TPT_ROLE_PRACTITIONER))
#define ADMIN (1u << TPT_ROLE_ADMIN)

/* An id in a JSON body: a positive integer, or 0 when absent; -1 with an error. */
static int64_t id_field(json_t *body, const char *key, tpt_response *res)
{
    json_t *v = json_object_get(body, key);
    if (!v || json_is_null(v)) return 0;
    if (json_is_integer(v) && json_integer_value(v) > 0) return json_integer_value(v);
    tpt_response_error(res, 400, "invalid-field", key, "\"%s\" is the id of a %s", key, key);
    return -1;
}

/* ---- patients ---- */

/* The most serious warning standing in a patient's record, for the list to
 * show at a glance: its level, or null. */
static json_t *standing_flag(tpt_store *store, int64_t patient)
{
    tpt_record_list records;
    tpt_level level;
    char *advice = NULL;
    if (tpt_store_record_list(store, patient, -1, &records, NULL) != 0) return json_null();
    size_t n = tpt_standing_flags(&records, &level, &advice);
    free(advice);
    tpt_record_list_free(&records);
    return n ? json_string(tpt_level_name(level)) : json_null();
}

static void get_patients(const tpt_server_data *data, const tpt_request *req, tpt_response *res)
{
    tpt_caller c;
    if (caller_with(data, req, false, CLINICAL, &c, res) != 0) return;
    tpt_store *store = tpt_server_store(data, res);
    const char *q = tpt_request_arg(req, "q");
    if (q && strlen(q) > 200) {
        tpt_response_error(res, 400, "invalid-field", "q", "a search has at most 200 characters");
        return;
    }
    /* ?archived=true lists the archived records instead, to find one again */
    const char *archived = tpt_request_arg(req, "archived");
    if (archived && strcmp(archived, "true") != 0 && strcmp(archived, "false") != 0) {
        tpt_response_error(res, 400, "invalid-field", "archived", "archived is true or false");
        return;
    }
    bool only_archived = archived && strcmp(archived, "true") == 0;
    tpt_patient_list list;
    tpt_error err = {0};
    if (tpt_store_patient_list(store, c.user.clinic, q, only_archived, PATIENTS_MAX, &list, &err) !=
        0) {
        store_failed(res, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(
            items,
            json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)list.items[i].id, "name",
                      list.items[i].name, "flag", standing_flag(store, list.items[i].id),
                      "archived",
                      *list.items[i].archived ? json_string(list.items[i].archived) : json_null()));
    tpt_patient_list_free(&list);
    tpt_audit(store, c.user.id,
              only_archived
                  ? (q && *q ? "searched the archived patients" : "listed the archived patients")
              : q && *q ? "searched the patients"
                        : "listed the patients",
              0);
    res->body = json_pack("{s:o}", "patients", items);
}

static void post_patients(const tpt_server_data *data, const tpt_request *req, json_t *body,
                          tpt_response *res)
{
    tpt_caller c;
    const char *name;
    if (caller_with(data, req, true, CLINICAL, &c, res) != 0 ||
        !(name = tpt_string_field(body, "name", res)))
        return;
    tpt_store *store = tpt_server_store(data, res);
    int64_t id;
    tpt_error err = {0};
    if (tpt_store_patient_add(store, name, c.user.clinic, &id, &err) != 0) {
        store_failed(res, &err);
        return;
    }
    tpt_audit(store, c.user.id, "added the patient", id);
    res->status = 201;
    res->body = json_pack("{s:{s:I, s:s}}", "patient", "id", (json_int_t)id, "name", name);
}

/* ---- invitations ---- */

static const char *const role_words[] = {"admin", "practitioner", "patient"};

static int role_field(json_t *body, tpt_role *out, tpt_response *res)
{
    const char *role = json_string_value(json_object_get(body, "role"));
    for (int r = 0; role && r <= TPT_ROLE_PATIENT; r++) {
        if (is(role, role_words[r])) {
            *out = (tpt_role)r;
            return 0;
        }
    }
    tpt_response_error(res, 400, "invalid-field", "role",
                       "\"role\" is \"patient\", \"practitioner\" or \"admin\"");
    return -1;
}

static void post_invitation(const tpt_server_data *data, const tpt_request *req, json_t *body,
                            tpt_response *res)
{
    tpt_caller c;
    tpt_invitation inv = {0};
    const char *name;
    if (caller_with(data, req, true, CLINICAL, &c, res) != 0 || role_field(body, &inv.role, res) ||
        !(name = tpt_string_field(body, "name", res)))
        return;
    json_t *email = json_object_get(body, "email");
    if (strlen(name) > 200 ||
        (email && (!json_is_string(email) || strlen(json_string_value(email)) > TPT_EMAIL_MAX ||
                   (*json_string_value(email) && !strchr(json_string_value(email), '@'))))) {
        tpt_response_error(res, 400, "invalid-field", strlen(name) > 200 ? "name" : "email",
                           "a name of at most 200 characters and, if given, an email address");
        return;
    }
    if (inv.role != TPT_ROLE_PATIENT && c.user.role != TPT_ROLE_ADMIN) {
        tpt_response_error(res, 403, "forbidden", "role",
                           "only an admin invites practitioners and admins");
        return;
    }
    int64_t clinic = id_field(body, "clinic", res), patient = id_field(body, "patient", res);
    if (clinic < 0 || patient < 0) return;
    tpt_store *store = tpt_server_store(data, res);
    tpt_error err = {0};
    tpt_clinic found;
    /* a patient joins the inviter's clinic; colleagues may go to another */
    if (inv.role == TPT_ROLE_PATIENT || !clinic) clinic = c.user.clinic;
    if (tpt_store_clinic_get(store, clinic, &found, &err) != 0) {
        tpt_response_error(res, 400, "invalid-field", "clinic", "%s", err.message);
        return;
    }
    if (patient && inv.role != TPT_ROLE_PATIENT) {
        tpt_response_error(res, 400, "invalid-field", "patient",
                           "only a patient's invitation names a record");
        return;
    }
    if (patient && tpt_patient_access(store, &c, patient, res) != 0) return;
    snprintf(inv.name, sizeof inv.name, "%s", name);
    snprintf(inv.email, sizeof inv.email, "%s", email ? json_string_value(email) : "");
    inv.clinic = clinic;
    inv.created_by = c.user.id;
    time_t now = time(NULL);
    tpt_time_format(now, inv.created);
    tpt_time_format(now + INVITATION_DAYS * 86400, inv.expires);
    uint8_t token[32];
    char token_hex[65];
    randombytes_buf(token, sizeof token);
    tpt_hex(token, sizeof token, token_hex);
    tpt_token_hash(token_hex, inv.token_hash);
    /* a new patient's record and the invitation to it land together */
    if (tpt_store_begin(store, &err) != 0) {
        store_failed(res, &err);
        return;
    }
    if (inv.role == TPT_ROLE_PATIENT && !patient &&
        tpt_store_patient_add(store, name, clinic, &patient, &err) != 0)
        goto failed;
    inv.patient = patient;
    if (tpt_store_invitation_add(store, &inv, &err) != 0 || tpt_store_commit(store, &err) != 0)
        goto failed;
    char link[128];
    snprintf(link, sizeof link, "/#/invite/%s", token_hex);
    tpt_audit(store, c.user.id,
              inv.role == TPT_ROLE_PATIENT ? "invited the patient"
              : inv.role == TPT_ROLE_ADMIN ? "invited an admin"
                                           : "invited a practitioner",
              inv.patient);
    res->status = 201;
    res->body = json_pack("{s:s, s:s, s:s, s:s, s:o}", "token", token_hex, "link", link, "expires",
                          inv.expires, "role", tpt_role_name(inv.role), "patient",
                          inv.patient ? json_integer(inv.patient) : json_null());
    return;
failed:
    tpt_store_rollback(store);
    store_failed(res, &err);
}

/* The invitation of a token in the path, unused and in date; or an error. */
static int live_invitation(tpt_store *store, const char *token, tpt_invitation *inv,
                           tpt_response *res)
{
    char now[TPT_TIME_MAX];
    tpt_time_format(time(NULL), now);
    if (tpt_token_hash(token, inv->token_hash) != 0 ||
        tpt_store_invitation_find(store, inv->token_hash, inv, NULL) != 0) {
        tpt_response_error(res, 404, "not-found", NULL,
                           "no such invitation: check that the whole link was copied");
        return -1;
    }
    if (*inv->used) {
        tpt_response_error(res, 410, "invitation-used", NULL,
                           "this invitation has been used: sign in, or ask for a new one");
        return -1;
    }
    if (strcmp(inv->expires, now) <= 0) {
        tpt_response_error(res, 410, "invitation-expired", NULL,
                           "this invitation expired on %s (UTC): ask for a new one", inv->expires);
        return -1;
    }
    return 0;
}

static void get_invitation(const tpt_server_data *data, const char *token, tpt_response *res)
{
    tpt_store *store = tpt_server_store(data, res);
    tpt_invitation inv;
    tpt_clinic clinic = {0};
    if (!store || live_invitation(store, token, &inv, res) != 0) return;
    tpt_store_clinic_get(store, inv.clinic, &clinic, NULL);
    res->body =
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "role", tpt_role_name(inv.role), "name", inv.name,
                  "email", inv.email, "clinic", clinic.name, "expires", inv.expires);
}

static void accept_invitation(const tpt_server_data *data, const tpt_request *req,
                              const char *token, json_t *body, tpt_response *res)
{
    tpt_store *store = tpt_server_store(data, res);
    tpt_invitation inv;
    const char *email, *password;
    if (!store || live_invitation(store, token, &inv, res) != 0 ||
        !(email = tpt_string_field(body, "email", res)) ||
        !(password = tpt_string_field(body, "password", res)))
        return;
    const char *name = json_string_value(json_object_get(body, "name"));
    if (!name || !*name) name = inv.name;
    if (tpt_check_person(email, name, res) != 0) return;
    if (*inv.email && strcasecmp(inv.email, email) != 0) {
        tpt_response_error(res, 400, "invalid-field", "email",
                           "this invitation is for another email address");
        return;
    }
    tpt_user u = {.role = inv.role, .clinic = inv.clinic, .patient = inv.patient};
    snprintf(u.email, sizeof u.email, "%s", email);
    snprintf(u.name, sizeof u.name, "%s", name);
    if (tpt_auth_new_password(password, "password", u.password_hash, res) != 0) return;
    char now[TPT_TIME_MAX];
    tpt_time_format(time(NULL), now);
    tpt_error err = {0};
    /* used and turned into an account in one transaction: of two racing
     * uses of one link, one makes an account and the other nothing */
    if (tpt_store_begin(store, &err) != 0 ||
        tpt_store_invitation_use(store, inv.token_hash, now, &err) != 0 ||
        tpt_store_user_add(store, &u, &u.id, &err) != 0 || tpt_store_commit(store, &err) != 0) {
        tpt_store_rollback(store);
        if (err.status == TPT_ERR_CONFLICT)
            tpt_response_error(res, 410, "invitation-used", NULL,
                               "this invitation has been used: sign in, or ask for a new one");
        else
            tpt_response_failed(res, &err, "email");
        return;
    }
    tpt_audit(store, u.id, "accepted an invitation", u.patient);
    tpt_auth_start(store, req, &u, 201, res);
}

/* ---- what admins manage ---- */

static void get_users(const tpt_server_data *data, const tpt_request *req, tpt_response *res)
{
    tpt_caller c;
    if (caller_with(data, req, false, ADMIN, &c, res) != 0) return;
    tpt_store *store = tpt_server_store(data, res);
    tpt_user_list list;
    tpt_error err = {0};
    if (tpt_store_user_list(store, &list, &err) != 0) {
        store_failed(res, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, tpt_user_json(store, &list.items[i]));
    tpt_user_list_free(&list);
    res->body = json_pack("{s:o}", "users", items);
}

static void get_clinics(const tpt_server_data *data, const tpt_request *req, tpt_response *res)
{
    tpt_caller c;
    if (caller_with(data, req, false, ADMIN, &c, res) != 0) return;
    tpt_clinic_list list;
    tpt_error err = {0};
    if (tpt_store_clinic_list(tpt_server_store(data, res), &list, &err) != 0) {
        store_failed(res, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, json_pack("{s:I, s:s}", "id", (json_int_t)list.items[i].id,
                                               "name", list.items[i].name));
    tpt_clinic_list_free(&list);
    res->body = json_pack("{s:o}", "clinics", items);
}

static void post_clinics(const tpt_server_data *data, const tpt_request *req, json_t *body,
                         tpt_response *res)
{
    tpt_caller c;
    const char *name;
    if (caller_with(data, req, true, ADMIN, &c, res) != 0 ||
        !(name = tpt_string_field(body, "name", res)))
        return;
    tpt_store *store = tpt_server_store(data, res);
    int64_t id;
    tpt_error err = {0};
    if (tpt_store_clinic_add(store, name, &id, &err) != 0) {
        store_failed(res, &err);
        return;
    }
    tpt_audit(store, c.user.id, "added a clinic", 0);
    res->status = 201;
    res->body = json_pack("{s:{s:I, s:s}}", "clinic", "id", (json_int_t)id, "name", name);
}

/* A whole number argument from min to max, or def when absent; -1 with an error. */
static long long arg_number(const tpt_request *req, const char *name, long long min, long long max,
                            long long def, tpt_response *res)
{
    const char *text = tpt_request_arg(req, name);
    if (!text) return def;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*text && !*end && v >= min && v <= max) return v;
    tpt_response_error(res, 400, "invalid-field", name,
                       "\"%s\" is a whole number from %lld to %lld", name, min, max);
    return -1;
}

static void get_audit(const tpt_server_data *data, const tpt_request *req, tpt_response *res)
{
    tpt_caller c;
    if (caller_with(data, req, false, ADMIN, &c, res) != 0) return;
    long long limit = arg_number(req, "limit", 1, AUDIT_MAX, AUDIT_DEFAULT, res);
    long long patient = limit < 0 ? -1 : arg_number(req, "patient", 1, INT64_MAX, 0, res);
    if (limit < 0 || patient < 0) return;
    tpt_store *store = tpt_server_store(data, res);
    tpt_audit_list list;
    tpt_error err = {0};
    if (tpt_store_audit_list(store, patient, (size_t)limit, &list, &err) != 0) {
        store_failed(res, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++) {
        const tpt_audit_entry *e = &list.items[i];
        json_array_append_new(
            items,
            json_pack("{s:I, s:s, s:o, s:s, s:o}", "id", (json_int_t)e->id, "at", e->at, "user",
                      e->user ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)e->user, "name",
                                          e->user_name, "email", e->user_email)
                              : json_null(),
                      "action", e->action, "patient",
                      e->patient ? json_pack("{s:I, s:s}", "id", (json_int_t)e->patient, "name",
                                             e->patient_name)
                                 : json_null()));
    }
    tpt_audit_list_free(&list);
    res->body = json_pack("{s:o}", "entries", items);
}

/* ---- routing ---- */

static void wrong_method(const tpt_request *req, const char *allowed, tpt_response *res)
{
    tpt_response_error(res, 405, "method-not-allowed", NULL, "%s takes %s", req->path, allowed);
}

void tpt_people_handle(const tpt_server_data *data, const tpt_request *req, json_t *body,
                       tpt_response *res)
{
    const char *p = req->path;
    bool get = is(req->method, "GET"), post = is(req->method, "POST");
    if (is(p, P "/patients")) {
        if (get)
            get_patients(data, req, res);
        else if (post)
            post_patients(data, req, body, res);
        else
            wrong_method(req, "GET or POST", res);
    } else if (is(p, P "/invitations")) {
        if (post)
            post_invitation(data, req, body, res);
        else
            wrong_method(req, "POST", res);
    } else if (starts(p, P "/invitations/")) {
        char token[80];
        const char *rest = p + strlen(P "/invitations/");
        size_t n = strcspn(rest, "/");
        bool accept = is(rest + n, "/accept");
        if (n >= sizeof token || (rest[n] && !accept)) {
            tpt_response_error(res, 404, "not-found", NULL, "no such endpoint: %s", p);
            return;
        }
        memcpy(token, rest, n);
        token[n] = '\0';
        if (accept && post)
            accept_invitation(data, req, token, body, res);
        else if (!accept && get)
            get_invitation(data, token, res);
        else
            wrong_method(req, accept ? "POST" : "GET", res);
    } else if (is(p, P "/users")) {
        if (get)
            get_users(data, req, res);
        else
            wrong_method(req, "GET", res);
    } else if (is(p, P "/clinics")) {
        if (get)
            get_clinics(data, req, res);
        else if (post)
            post_clinics(data, req, body, res);
        else
            wrong_method(req, "GET or POST", res);
    } else if (is(p, P "/clinic")) {
        tpt_caller c;
        if (!get)
            wrong_method(req, "GET", res);
        else if (caller_with(data, req, false, CLINICAL, &c, res) == 0)
            tpt_clinic_get(data, tpt_server_store(data, res), &c, res);
    } else if (is(p, P "/audit")) {
        if (get)
            get_audit(data, req, res);
        else
            wrong_method(req, "GET", res);
    }
}

bool tpt_people_path(const char *path)
{
    static const char *const exact[] = {P "/patients", P "/invitations", P "/users", P "/clinics",
                                        P "/clinic",   P "/audit",       NULL};
    for (const char *const *e = exact; *e; e++)
        if (is(path, *e)) return true;
    return starts(path, P "/invitations/");
}
