/* A clinic patient's details (GET and PUT /patients/ID/details): birth year,
 * contact, consent, archiving and the planned course of care. Archiving is a
 * PUT of "archived": the record leaves the patients list and is kept whole.
 * Admins and practitioners only (the route checks). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "handlers.h"
#include "record/views.h"

/* A time as the store keeps it from "2026-11-20" or "2026-11-20T09:00:00Z";
 * 0, or -1 with an error in res. */
static int time_field(srv_ctx *c, const char *key, char out[TPT_TIME_MAX])
{
    json_t *v = json_object_get(c->body, key);
    if (json_is_null(v)) {
        out[0] = '\0';
        return 0;
    }
    const char *s = json_string_value(v);
    if (s && strlen(s) == 10)
        snprintf(out, TPT_TIME_MAX, "%sT00:00:00Z", s);
    else if (s && strlen(s) < TPT_TIME_MAX)
        snprintf(out, TPT_TIME_MAX, "%s", s);
    else {
        srv_reply_error(c->res, 400, "invalid-field", key,
                        "\"%s\" is a date (2026-11-20), a time in UTC or null", key);
        return -1;
    }
    return 0;
}

/* One detail of a PUT body into p; 0, or -1 with an error in res. */
static int put_detail(srv_ctx *c, const char *key, json_t *v, tpt_patient *p)
{
    const char *s = json_string_value(v);
    bool ok;
    if (strcmp(key, "name") == 0) {
        ok = s && strlen(s) < sizeof p->name;
        if (ok) snprintf(p->name, sizeof p->name, "%s", s);
    } else if (strcmp(key, "contact") == 0) {
        ok = (s || json_is_null(v)) && (!s || strlen(s) < sizeof p->contact);
        if (ok) snprintf(p->contact, sizeof p->contact, "%s", s ? s : "");
    } else if (strcmp(key, "birth_year") == 0) {
        /* within an int before it becomes one: the store checks the years */
        ok = srv_int_in(v, INT_MIN, INT_MAX) || json_is_null(v);
        p->birth_year = ok ? (int)json_integer_value(v) : 0; /* 0 for null: not given */
    } else if (strcmp(key, "planned_visits") == 0) {
        ok = srv_int_in(v, INT_MIN, INT_MAX);
        p->planned_visits = ok ? (int)json_integer_value(v) : 0;
    } else if (strcmp(key, "consent") == 0) {
        return time_field(c, key, p->consent);
    } else if (strcmp(key, "archived") == 0) {
        ok = json_is_boolean(v);
        if (json_is_true(v) && !*p->archived) srv_now(c, p->archived);
        if (json_is_false(v)) p->archived[0] = '\0';
    } else {
        srv_reply_error(c->res, 400, "invalid-field", key, "\"%s\" is not a detail of a patient",
                        key);
        return -1;
    }
    if (ok) return 0;
    srv_reply_error(c->res, 400, "invalid-field", key, "\"%s\" has the wrong type or is too long",
                    key);
    return -1;
}

/* The details given replace those kept; null clears one. */
static void put_details(srv_ctx *c, tpt_patient *p)
{
    const char *key;
    json_t *v;
    json_object_foreach(c->body, key, v)
    {
        if (put_detail(c, key, v, p) != 0) return;
    }
    tpt_error err = {0};
    if (tpt_store_patient_save(c->store, p, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    srv_record_audit(c, "changed the patient's details");
    c->res->body = json_pack("{s:o}", "patient", tpt_patient_details_json(p));
}

void srv_record_details(srv_ctx *c)
{
    tpt_patient p;
    tpt_error err = {0};
    if (tpt_store_patient_get(c->store, c->patient, &p, &err) != 0) {
        srv_reply_error(c->res, 404, "not-found", NULL, "%s", err.message);
    } else if (strcmp(c->req->method, "GET") == 0) {
        srv_record_audit(c, "read the patient's details");
        c->res->body = json_pack("{s:o}", "patient", tpt_patient_details_json(&p));
    } else if (strcmp(c->req->method, "PUT") == 0) {
        put_details(c, &p);
    } else {
        srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes GET or PUT",
                        c->req->path);
    }
}
