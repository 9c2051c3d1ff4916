/* The clinic's calendar for its staff: the days of the calendar, open
 * slots, appointments booked, moved, cancelled and marked, a course booked
 * at once, the visit note opened from its appointment, the intake link
 * sent, and the outbox of emails. Every call is the record layer's
 * (record/calendar.h), as tpt appointment makes it. Admins and
 * practitioners of the clinic only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "fields.h"
#include "handlers.h"
#include "language.h"

#define LIST_DAYS_MAX 31

/* Signs in staff and opens their clinic's calendar: 0, or an error in c->res. */
static int staff_calendar(srv_ctx *c, bool changes, tpt_calendar *cal)
{
    if (srv_sign_in_as(c, changes, SRV_STAFF) != 0) return -1;
    return srv_calendar_open(c, cal, c->caller.user.clinic);
}

/* A time field typed on the clinic's clock or stored: 0, or a 400. */
static int time_field(srv_ctx *c, const tpt_calendar *cal, const char *key, bool required,
                      int64_t *out)
{
    json_t *v = json_object_get(c->body, key);
    tpt_error err = {0};
    if (!v && !required) return 0;
    if (!json_is_string(v) || tpt_calendar_time(cal, json_string_value(v), out, &err) != 0) {
        srv_reply_error(c->res, 400, "invalid-field", key, "%s",
                        *err.message ? err.message
                                     : "give a time as 2026-11-24T10:00 on the clinic's clock");
        return -1;
    }
    return 0;
}

/* The first day and number of days of ?from=DATE&days=N. */
static int days_args(srv_ctx *c, const tpt_calendar *cal, int def, int64_t *day, int *days)
{
    tpt_error err = {0};
    long long n = srv_number_arg(c->req, "days", 1, LIST_DAYS_MAX, def, c->res);
    if (n < 0) return -1;
    *days = (int)n;
    if (tpt_calendar_day(cal, srv_request_arg(c->req, "from"), day, &err) != 0) {
        srv_reply_error(c->res, 400, "invalid-field", "from", "%s", err.message);
        return -1;
    }
    return 0;
}

static void answer(srv_ctx *c, json_t *body, unsigned status, const tpt_error *err)
{
    if (!body) {
        srv_reply_failed(c->res, err, NULL);
        return;
    }
    c->res->status = status;
    c->res->body = body;
}

/* ---- the calendar and open slots ---- */

void srv_calendar_view(srv_ctx *c)
{
    tpt_calendar cal;
    int64_t day;
    int days;
    if (staff_calendar(c, false, &cal) != 0) return;
    long long who = srv_number_arg(c->req, "practitioner", 0, INT64_MAX, 0, c->res),
              where = who < 0 ? -1 : srv_number_arg(c->req, "location", 0, INT64_MAX, 0, c->res);
    tpt_error err = {0};
    if (where >= 0 && days_args(c, &cal, 7, &day, &days) == 0) {
        answer(c, tpt_calendar_view_json(&cal, day, days, who, where, &err), 200, &err);
        if (c->res->body) srv_audit(c, c->caller.user.id, "calendar: read the calendar", 0);
    }
    tpt_calendar_close(&cal);
}

void srv_availability(srv_ctx *c)
{
    tpt_calendar cal;
    int64_t day;
    int days;
    if (staff_calendar(c, false, &cal) != 0) return;
    long long service = srv_number_arg(c->req, "service", 1, INT64_MAX, 0, c->res);
    long long who =
        service < 0 ? -1 : srv_number_arg(c->req, "practitioner", 0, INT64_MAX, 0, c->res);
    long long where = who < 0 ? -1 : srv_number_arg(c->req, "location", 0, INT64_MAX, 0, c->res);
    tpt_error err = {0};
    if (where >= 0 && !service)
        srv_reply_error(c->res, 400, "invalid-field", "service", "give ?service=ID");
    else if (where >= 0 && days_args(c, &cal, 7, &day, &days) == 0)
        answer(c,
               tpt_calendar_slots_json(&cal, service, who, where, day, days, cal.now_seconds, 500,
                                       &err),
               200, &err);
    tpt_calendar_close(&cal);
}

/* ---- appointments ---- */

void srv_appointments_list(srv_ctx *c)
{
    tpt_calendar cal;
    int64_t day;
    int days;
    if (staff_calendar(c, false, &cal) != 0) return;
    long long patient = srv_number_arg(c->req, "patient", 0, INT64_MAX, 0, c->res);
    long long who =
        patient < 0 ? -1 : srv_number_arg(c->req, "practitioner", 0, INT64_MAX, 0, c->res);
    const char *cancelled = srv_request_arg(c->req, "cancelled");
    if (who >= 0 && days_args(c, &cal, 7, &day, &days) == 0) {
        char from[TPT_TIME_MAX], to[TPT_TIME_MAX];
        tpt_time_format(tpt_zone_to_utc(cal.zone, day * 86400, NULL), from);
        tpt_time_format(tpt_zone_to_utc(cal.zone, (day + days) * 86400, NULL), to);
        /* a patient's appointments: all of them, not a week's */
        tpt_appointment_filter f = {.clinic = cal.profile.clinic,
                                    .patient = patient,
                                    .practitioner = who,
                                    .from = patient ? NULL : from,
                                    .to = patient ? NULL : to,
                                    .cancelled = cancelled && strcmp(cancelled, "true") == 0};
        tpt_appointment_list list;
        tpt_error err = {0};
        if (tpt_store_appointment_list(c->store, &f, &list, &err) != 0) {
            srv_reply_failed(c->res, &err, NULL);
        } else {
            json_t *items = json_array();
            for (size_t i = 0; i < list.count; i++)
                json_array_append_new(items, tpt_appointment_json(&cal, &list.items[i]));
            c->res->body = json_pack("{s:s, s:o}", "zone", cal.profile.zone, "appointments", items);
            tpt_appointment_list_free(&list);
            srv_audit(c, c->caller.user.id, "calendar: listed appointments", patient);
        }
    }
    tpt_calendar_close(&cal);
}

/* Whether an appointment lies within the practitioner's working hours (a
 * booking outside them is allowed to staff, and said). */
static bool within_hours(const tpt_calendar *cal, const tpt_appointment *a)
{
    tpt_practitioner p;
    tpt_hours h;
    int64_t start, end;
    if (tpt_store_practitioner_get(cal->store, a->practitioner, &p, NULL) != 0) return true;
    bool none = tpt_hours_parse(p.hours, &h, NULL) != 0 || !h.nweekly;
    tpt_practitioner_free(&p);
    tpt_time_parse(a->starts, &start);
    tpt_time_parse(a->ends, &end);
    return none || tpt_hours_cover(cal->zone, &h, a->location, start, end);
}

static json_t *booked_json(const tpt_calendar *cal, const tpt_appointment *a)
{
    return json_pack("{s:o, s:b}", "appointment", tpt_appointment_json(cal, a), "outside_hours",
                     !within_hours(cal, a));
}

void srv_appointments_add(srv_ctx *c)
{
    tpt_calendar cal;
    static const char *const known[] = {"patient",  "practitioner", "service",
                                        "location", "minutes",      "start",
                                        "note",     "language",     NULL};
    if (staff_calendar(c, true, &cal) != 0) return;
    tpt_booking b = {.source = "staff"};
    int64_t ids[4];
    static const char *const keys[] = {"patient", "practitioner", "service", "location"};
    if (srv_known_fields(c->body, known, c->res) != 0) goto done;
    for (int i = 0; i < 4; i++)
        if ((ids[i] = srv_id_field(c->body, keys[i], c->res)) < 0 ||
            (i < 2 && !ids[i] && srv_string_field(c->body, keys[i], c->res) == NULL))
            goto done;
    b.patient = ids[0], b.practitioner = ids[1], b.service = ids[2], b.location = ids[3];
    /* without a service, a time of the minutes given */
    if (srv_int_field(c->body, "minutes", 5, 480, &b.minutes, c->res) < 0) goto done;
    b.note = json_string_value(json_object_get(c->body, "note"));
    /* the language of the emails of a person without an account of their own */
    if (time_field(c, &cal, "start", true, &b.start) != 0 ||
        srv_language_field(c, "language", false, &b.language) != 0)
        goto done;
    if (srv_patient_access(c, b.patient) != 0) goto done;
    tpt_appointment a;
    tpt_error err = {0};
    char field[32];
    if (tpt_calendar_book(&cal, &b, &a, &err) != 0) {
        srv_reply_failed(c->res, &err, srv_field_of(err.message, field, sizeof field));
        goto done;
    }
    c->res->status = 201;
    c->res->body = booked_json(&cal, &a);
done:
    tpt_calendar_close(&cal);
}

/* ---- one appointment: /appointments/ID[/action] ---- */

/* The appointment of the path (this clinic's): 0, or a 404. */
static int path_appointment(srv_ctx *c, const tpt_calendar *cal, tpt_appointment *a,
                            const char **action)
{
    char *end;
    long long id = strtoll(c->rest, &end, 10);
    tpt_error err = {0};
    *action = end;
    if (id > 0 && *c->rest != '0' && (!*end || *end == '/') &&
        tpt_calendar_appointment(cal, id, a, &err) == 0)
        return 0;
    if (err.status && err.status != TPT_ERR_INPUT)
        srv_reply_failed(c->res, &err, NULL);
    else
        srv_reply_error(c->res, 404, "not-found", NULL, "no appointment %s in the clinic", c->rest);
    return -1;
}

/* The messages about an appointment, for its page. */
static json_t *messages_of(srv_ctx *c, const tpt_appointment *a)
{
    tpt_message_list list;
    json_t *out = json_array();
    if (tpt_store_message_list(c->store, a->clinic, a->patient, 0, 200, &list, NULL) != 0)
        return out;
    for (size_t i = 0; i < list.count; i++)
        if (list.items[i].appointment == a->id)
            json_array_append_new(out, tpt_message_json(&list.items[i], c->data->base_url));
    tpt_message_list_free(&list);
    return out;
}

void srv_appointment_get(srv_ctx *c)
{
    tpt_calendar cal;
    tpt_appointment a;
    const char *action;
    if (staff_calendar(c, false, &cal) != 0) return;
    if (path_appointment(c, &cal, &a, &action) == 0) {
        if (*action) {
            srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes POST", c->req->path);
        } else {
            tpt_intake in;
            bool intake = tpt_store_intake_get(c->store, a.id, &in, NULL) == 0;
            c->res->body = json_pack(
                "{s:o, s:o, s:o}", "appointment", tpt_appointment_json(&cal, &a), "intake",
                intake
                    ? json_pack("{s:b, s:b, s:i, s:s}", "history", in.subjective != NULL, "drawing",
                                in.drawing > 0, "measures", in.measures, "expires", in.expires)
                    : json_null(),
                "messages", messages_of(c, &a));
            if (intake) tpt_intake_free(&in);
            srv_audit(c, c->caller.user.id, "calendar: read an appointment", a.patient);
        }
    }
    tpt_calendar_close(&cal);
}

void srv_appointment_put(srv_ctx *c)
{
    tpt_calendar cal;
    tpt_appointment a, moved;
    const char *action;
    static const char *const known[] = {"start",    "practitioner", "service",
                                        "location", "note",         NULL};
    if (staff_calendar(c, true, &cal) != 0) return;
    if (srv_known_fields(c->body, known, c->res) == 0 &&
        path_appointment(c, &cal, &a, &action) == 0) {
        tpt_move m = {.note = json_string_value(json_object_get(c->body, "note"))};
        tpt_error err = {0};
        if (*action) {
            srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes POST", c->req->path);
        } else if (time_field(c, &cal, "start", false, &m.start) == 0 &&
                   (m.practitioner = srv_id_field(c->body, "practitioner", c->res)) >= 0 &&
                   (m.service = srv_id_field(c->body, "service", c->res)) >= 0 &&
                   (m.location = srv_id_field(c->body, "location", c->res)) >= 0) {
            char field[32];
            if (tpt_calendar_move(&cal, a.id, &m, &moved, &err) != 0)
                srv_reply_failed(c->res, &err, srv_field_of(err.message, field, sizeof field));
            else
                c->res->body = booked_json(&cal, &moved);
        }
    }
    tpt_calendar_close(&cal);
}

/* Opens the visit note of an appointment: the one already opened, or a
 * new draft as POST /patients/ID/visits makes it, with what the person
 * gave before the visit (their history, their drawing). */
static void open_visit(srv_ctx *c, tpt_calendar *cal, const tpt_appointment *a)
{
    tpt_error err = {0};
    if (a->status == TPT_APPOINTMENT_CANCELLED) {
        srv_reply_error(c->res, 409, "conflict", NULL, "the appointment is cancelled");
        return;
    }
    if (a->visit) {
        c->res->body =
            json_pack("{s:I, s:i}", "patient", (json_int_t)a->patient, "visit", a->visit);
        return;
    }
    tpt_service v = {.kind = TPT_SERVICE_FOLLOW_UP};
    tpt_service_list services;
    if (tpt_store_service_list(c->store, cal->profile.clinic, &services, NULL) == 0) {
        for (size_t i = 0; i < services.count; i++)
            if (services.items[i].id == a->service) v = services.items[i];
        tpt_service_list_free(&services);
    }
    json_t *note = json_pack("{s:s}", "kind", v.kind == TPT_SERVICE_FIRST ? "intake" : "follow-up");
    srv_intake_into_note(c, a->id, note);
    json_decref(c->body);
    c->body = json_pack("{s:o}", "note", note);
    c->patient = a->patient;
    c->rest = "";
    srv_record_visits(c); /* POST: the same checks and engine as any new note */
    json_t *made = json_object_get(c->res->body, "visit");
    int number = (int)json_integer_value(json_object_get(made, "number"));
    if (c->res->status != 201 || !number) return;
    tpt_appointment marked;
    if (tpt_store_appointment_set_visit(c->store, a->id, number, &err) != 0 ||
        (a->status == TPT_APPOINTMENT_BOOKED &&
         tpt_calendar_mark(cal, a->id, TPT_APPOINTMENT_ARRIVED, &marked, &err) != 0)) {
        json_decref(c->res->body);
        c->res->body = NULL;
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    srv_audit(c, c->caller.user.id, "calendar: opened the visit note of an appointment",
              a->patient);
    json_decref(c->res->body);
    c->res->body = json_pack("{s:I, s:i}", "patient", (json_int_t)a->patient, "visit", number);
}

/* Sends the intake link of an appointment: a new link, emailed. */
static void send_intake(srv_ctx *c, tpt_calendar *cal, const tpt_appointment *a)
{
    char link[128];
    tpt_error err = {0};
    if (srv_intake_make(c, a, link, sizeof link, &err) != 0 ||
        tpt_calendar_send_intake(cal, a->id, link, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    c->res->status = 201;
    c->res->body = json_pack("{s:s}", "link", link);
}

void srv_appointment_action(srv_ctx *c)
{
    tpt_calendar cal;
    tpt_appointment a, changed;
    const char *action;
    tpt_error err = {0};
    if (staff_calendar(c, true, &cal) != 0) return;
    if (path_appointment(c, &cal, &a, &action) != 0) goto done;
    static const char *const reason_only[] = {"reason", NULL},
                             *const status_only[] = {"status", NULL}, *const none[] = {NULL};
    const char *const *known = strcmp(action, "/cancel") == 0   ? reason_only
                               : strcmp(action, "/status") == 0 ? status_only
                                                                : none;
    if (srv_known_fields(c->body, known, c->res) != 0) goto done;
    if (strcmp(action, "/cancel") == 0) {
        const char *reason = json_string_value(json_object_get(c->body, "reason"));
        if (tpt_calendar_cancel(&cal, a.id, reason, &changed, &err) == 0)
            c->res->body = json_pack("{s:o}", "appointment", tpt_appointment_json(&cal, &changed));
    } else if (strcmp(action, "/status") == 0) {
        tpt_appointment_status status;
        const char *name = json_string_value(json_object_get(c->body, "status"));
        if (tpt_appointment_status_parse(name, &status) != 0 ||
            status == TPT_APPOINTMENT_CANCELLED) {
            srv_reply_error(c->res, 400, "invalid-field", "status",
                            "\"status\" is arrived, no-show or booked (cancel with /cancel)");
            goto done;
        }
        if (tpt_calendar_mark(&cal, a.id, status, &changed, &err) == 0)
            c->res->body = json_pack("{s:o}", "appointment", tpt_appointment_json(&cal, &changed));
    } else if (strcmp(action, "/visit") == 0) {
        open_visit(c, &cal, &a);
        goto done;
    } else if (strcmp(action, "/intake") == 0) {
        send_intake(c, &cal, &a);
        goto done;
    } else {
        srv_reply_error(c->res, 404, "not-found", NULL, "no such endpoint: %s", c->req->path);
        goto done;
    }
    if (err.status) srv_reply_failed(c->res, &err, NULL);
done:
    tpt_calendar_close(&cal);
}

/* ---- a course booked at once ---- */

void srv_appointments_series(srv_ctx *c)
{
    tpt_calendar cal;
    if (staff_calendar(c, true, &cal) != 0) return;
    tpt_series_request r = {0};
    int64_t times[50];
    json_t *b = c->body, *spacing = json_object_get(b, "spacing"),
           *list = json_object_get(b, "times");
    int count = 0;
    bool book = false;
    static const char *const known[] = {"patient", "practitioner", "service", "location", "first",
                                        "count",   "book",         "spacing", "times",    NULL},
                             *const spacing_known[] = {"per_week", "every_days", NULL};
    if (srv_known_fields(b, known, c->res) != 0 ||
        srv_known_fields(json_is_object(spacing) ? spacing : NULL, spacing_known, c->res) != 0)
        goto done;
    if ((r.patient = srv_id_field(b, "patient", c->res)) < 0 ||
        (r.practitioner = srv_id_field(b, "practitioner", c->res)) < 0 ||
        (r.service = srv_id_field(b, "service", c->res)) < 0 ||
        (r.location = srv_id_field(b, "location", c->res)) < 0 ||
        time_field(c, &cal, "first", !list, &r.first) != 0 ||
        srv_int_field(b, "count", 1, 50, &count, c->res) < 0 ||
        srv_bool_field(b, "book", &book, c->res) < 0 ||
        srv_int_field(spacing, "per_week", 1, 7, &r.spacing.per_week, c->res) < 0 ||
        srv_int_field(spacing, "every_days", 1, 28, &r.spacing.every_days, c->res) < 0)
        goto done;
    if (!r.patient || !r.practitioner || !r.service) {
        srv_reply_error(c->res, 400, "invalid-field",
                        !r.patient        ? "patient"
                        : !r.practitioner ? "practitioner"
                                          : "service",
                        "a course needs its patient, practitioner and service");
        goto done;
    }
    if (list && (!json_is_array(list) || !json_array_size(list) || json_array_size(list) > 50)) {
        srv_reply_error(c->res, 400, "invalid-field", "times",
                        "\"times\" is a list of 1 to 50 starts");
        goto done;
    }
    for (size_t i = 0; list && i < json_array_size(list); i++) {
        tpt_error err = {0};
        const char *t = json_string_value(json_array_get(list, i));
        if (!t || tpt_calendar_time(&cal, t, &times[i], &err) != 0) {
            char field[32];
            snprintf(field, sizeof field, "times[%zu]", i);
            srv_reply_error(c->res, 400, "invalid-field", field, "%s",
                            *err.message ? err.message : "a start is a time");
            goto done;
        }
    }
    if (list) r.times = times, r.ntimes = json_array_size(list), r.first = times[0];
    r.count = count;
    if (srv_patient_access(c, r.patient) != 0) goto done;
    tpt_error err = {0};
    if (book)
        answer(c, tpt_calendar_series_book(&cal, &r, &err), 201, &err);
    else
        answer(c, tpt_calendar_series_preview(&cal, &r, &err), 200, &err);
done:
    tpt_calendar_close(&cal);
}

/* ---- the outbox ---- */

void srv_outbox_list(srv_ctx *c)
{
    static const struct {
        const char *name;
        unsigned states;
    } filters[] = {
        {"waiting", 1u << TPT_MESSAGE_QUEUED | 1u << TPT_MESSAGE_SENDING},
        {"sent", 1u << TPT_MESSAGE_SENT | 1u << TPT_MESSAGE_HANDLED},
        {"failed", 1u << TPT_MESSAGE_FAILED},
        {"all", 0},
    };
    if (srv_sign_in_as(c, false, SRV_STAFF) != 0) return;
    const char *state = srv_request_arg(c->req, "state");
    unsigned states = 0;
    bool known = !state;
    for (size_t i = 0; state && i < sizeof filters / sizeof *filters; i++)
        if (strcmp(state, filters[i].name) == 0) states = filters[i].states, known = true;
    long long limit = srv_number_arg(c->req, "limit", 1, 1000, 200, c->res);
    if (limit < 0) return;
    if (!known) {
        srv_reply_error(c->res, 400, "invalid-field", "state",
                        "state is waiting, sent, failed or all");
        return;
    }
    tpt_message_list list;
    tpt_clinic_profile p;
    tpt_error err = {0};
    if (tpt_store_clinic_profile_get(c->store, c->caller.user.clinic, &p, &err) != 0 ||
        tpt_store_message_list(c->store, c->caller.user.clinic, 0, states, (size_t)limit, &list,
                               &err) != 0) {
        srv_reply_internal(c->res, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, tpt_message_json(&list.items[i], c->data->base_url));
    tpt_message_list_free(&list);
    c->res->body = json_pack("{s:o, s:b}", "messages", items, "relay",
                             c->data->smtp_url != NULL || *p.smtp_url);
    srv_audit(c, c->caller.user.id, "calendar: read the outbox", 0);
}

void srv_outbox_handled(srv_ctx *c)
{
    tpt_message m;
    char *end;
    tpt_error err = {0};
    if (srv_sign_in_as(c, true, SRV_STAFF) != 0) return;
    long long id = strtoll(c->rest, &end, 10);
    bool found = id >= 1 && strcmp(end, "/handled") == 0 &&
                 tpt_store_message_get(c->store, id, &m, &err) == 0;
    int64_t patient = found ? m.patient : 0, clinic = found ? m.clinic : 0;
    if (found) {
        free(m.body);
        free(m.links);
    }
    if (!found || clinic != c->caller.user.clinic) {
        srv_reply_error(c->res, 404, "not-found", NULL, "no such message in the clinic");
        return;
    }
    char now[TPT_TIME_MAX];
    srv_now(c, now);
    if (tpt_store_message_settle(c->store, id, TPT_MESSAGE_HANDLED, now, NULL, NULL, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    srv_audit(c, c->caller.user.id, "calendar: told the patient by hand instead of the email",
              patient);
    if (tpt_store_message_get(c->store, id, &m, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return;
    }
    c->res->body = json_pack("{s:o}", "message", tpt_message_json(&m, c->data->base_url));
    free(m.body);
    free(m.links);
}
