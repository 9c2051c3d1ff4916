/* A clinic's calendar read (record/calendar.h): its zone, times as typed,
 * the calendar of days and the open slots as JSON. The changes are
 * booking.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/calendar.h"
#include "record/internal.h"
#include "record/zone_file.h"
#include "tpt/mail.h"

#define DAY 86400
#define SLOTS_PER_PRACTITIONER 2000 /* a clinic's grid of 15 minutes over a month */

int tpt_calendar_open(tpt_calendar *cal, tpt_store *store, int64_t clinic, int64_t actor,
                      int64_t now, tpt_error *err)
{
    memset(cal, 0, sizeof *cal);
    cal->store = store;
    cal->actor = actor;
    cal->now_seconds = now;
    tpt_time_format(now, cal->now);
    int rc = tpt_store_clinic_profile_get(store, clinic, &cal->profile, err);
    if (rc) return rc;
    if (!(cal->zone = tpt_zone_load(cal->profile.zone, err))) return err ? err->status : -1;
    return 0;
}

void tpt_calendar_close(tpt_calendar *cal)
{
    tpt_zone_free(cal->zone);
    cal->zone = NULL;
    tpt_words_free(cal->words);
    cal->words = NULL;
}

int tpt_calendar_time(const tpt_calendar *cal, const char *text, int64_t *utc, tpt_error *err)
{
    int64_t local;
    if (text && tpt_time_parse(text, utc) == 0) return 0;
    if (!text || tpt_local_parse(text, &local) != 0)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "'%s' is not a time: give it as 2026-11-24T10:00 (the clinic's "
                             "time, %s)",
                             text ? text : "", cal->profile.zone);
    tpt_local_kind kind;
    *utc = tpt_zone_to_utc(cal->zone, local, &kind);
    if (kind == TPT_LOCAL_SKIPPED)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "%s does not happen in %s: the clocks go forward then; choose "
                             "another time",
                             text, cal->profile.zone);
    return 0;
}

int tpt_calendar_day(const tpt_calendar *cal, const char *text, int64_t *day, tpt_error *err)
{
    if (!text || !*text) {
        *day = tpt_floor_div(tpt_zone_to_local(cal->zone, cal->now_seconds), DAY);
        return 0;
    }
    if (tpt_date_parse(text, day) == 0) return 0;
    return tpt_error_set(err, TPT_ERR_INPUT, "'%s' is not a date: give it as 2026-11-24", text);
}

/* ---- as JSON ---- */

json_t *tpt_modalities_json(unsigned bits)
{
    json_t *a = json_array();
    for (int i = 0; i < TPT_MODALITY_COUNT; i++)
        if (bits & 1u << i) json_array_append_new(a, json_string(tpt_modality_id(i)));
    return a;
}

/* A relay's address without its password: smtp://user:***@host. */
static json_t *relay_json(const char *url)
{
    if (!*url) return json_null();
    char shown[TPT_SMTP_URL_MAX + 8];
    size_t len;
    const char *password = tpt_relay_password(url, &len);
    if (password)
        snprintf(shown, sizeof shown, "%.*s***%s", (int)(password - url), url, password + len);
    else
        snprintf(shown, sizeof shown, "%s", url);
    return json_string(shown);
}

json_t *tpt_profile_json(const tpt_clinic_profile *p, bool settings)
{
    json_t *o = json_pack(
        "{s:I, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "id", (json_int_t)p->clinic,
        "name", p->name, "slug", *p->slug ? json_string(p->slug) : json_null(), "zone", p->zone,
        "address", p->address, "town", p->town, "postcode", p->postcode, "phone", p->phone, "email",
        p->email, "about", p->about, "listed", p->listed, "booking", p->booking);
    if (o && settings)
        json_object_update_new(
            o, json_pack("{s:i, s:i, s:i, s:i, s:i, s:o, s:s}", "reminder_hours", p->reminder_hours,
                         "late_cancel_hours", p->late_cancel_hours, "series_per_week",
                         p->series_per_week, "series_every_days", p->series_every_days,
                         "slot_minutes", p->slot_minutes, "smtp_url", relay_json(p->smtp_url),
                         "mail_from", p->mail_from));
    return o;
}

json_t *tpt_location_json(const tpt_location *l)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)l->id, "name", l->name,
                     "address", l->address, "town", l->town, "postcode", l->postcode, "archived",
                     l->archived);
}

json_t *tpt_service_json(const tpt_service *s)
{
    json_t *staff = json_array();
    for (size_t i = 0; i < s->nstaff; i++)
        json_array_append_new(staff, json_integer(s->staff[i]));
    return json_pack("{s:I, s:s, s:s, s:i, s:o, s:b, s:b, s:o}", "id", (json_int_t)s->id, "name",
                     s->name, "kind", tpt_service_kind_name(s->kind), "minutes", s->minutes,
                     "modalities", tpt_modalities_json(s->modalities), "online", s->online,
                     "archived", s->archived, "practitioners", staff);
}

json_t *tpt_practitioner_json(const tpt_practitioner *p, bool hours)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:b}", "id", (json_int_t)p->user, "name", p->name,
                          "qualifications", p->qualifications, "modalities",
                          tpt_modalities_json(p->modalities), "bookable", p->bookable);
    if (o && hours) {
        tpt_hours h;
        json_object_set_new(o, "hours",
                            tpt_hours_parse(p->hours, &h, NULL) == 0 ? tpt_hours_json(&h)
                                                                     : json_null());
    }
    return o;
}

/* {"id", "name"} of a named id, null for none. */
static json_t *named(int64_t id, const char *name)
{
    return id ? json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name) : json_null();
}

static json_t *local_json(const tpt_calendar *cal, const char *stored)
{
    char local[TPT_TIME_MAX];
    tpt_local_format(tpt_zone_to_local(cal->zone, tpt__seconds_of(stored)), local);
    return json_string(local);
}

json_t *tpt_appointment_json(const tpt_calendar *cal, const tpt_appointment *a)
{
    json_t *o = json_pack(
        "{s:I, s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:s, s:b, s:o, s:s, s:s, s:o, s:o, s:b, "
        "s:o, s:s, s:s}",
        "id", (json_int_t)a->id, "patient", named(a->patient, a->patient_name), "practitioner",
        named(a->practitioner, a->practitioner_name), "service", named(a->service, a->service_name),
        "location", named(a->location, a->location_name), "starts", a->starts, "ends", a->ends,
        "local_start", local_json(cal, a->starts), "local_end", local_json(cal, a->ends), "status",
        tpt_appointment_status_name(a->status), "late_cancel", a->late_cancel, "cancelled_at",
        *a->cancelled_at ? json_string(a->cancelled_at) : json_null(), "reason", a->reason, "note",
        a->note, "series", a->series ? json_integer(a->series) : json_null(), "course_visit",
        a->course_visit ? json_integer(a->course_visit) : json_null(), "reassessment",
        a->reassessment, "visit", a->visit ? json_integer(a->visit) : json_null(), "source",
        a->source, "zone", cal->profile.zone);
    /* the language of its emails, when it has one (else the account's, else English) */
    json_object_set_new(o, "language", *a->language ? json_string(a->language) : json_null());
    return o;
}

json_t *tpt_message_json(const tpt_message *m, const char *base)
{
    tpt_buf body = {0};
    tpt_mail_fill(m->body ? m->body : "", base, NULL, &body);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:s}", "id",
        (json_int_t)m->id, "kind", tpt_message_kind_name(m->kind), "state",
        tpt_message_state_name(m->state), "patient", named(m->patient, m->patient_name),
        "appointment", m->appointment ? json_integer(m->appointment) : json_null(), "to", m->to,
        "subject", m->subject, "body",
        body.failed ? ""
        : body.data ? body.data
                    : "",
        "due", m->due, "attempts", m->attempts, "error",
        *m->error ? json_string(m->error) : json_null(), "sent_at",
        *m->sent_at ? json_string(m->sent_at) : json_null(), "next_attempt",
        *m->next_attempt ? json_string(m->next_attempt) : json_null(), "expires", m->expires);
    tpt_buf_free(&body);
    return o;
}

/* ---- the calendar of days ---- */

static void date_text(int64_t day, char out[TPT_TIME_MAX])
{
    tpt_local_format(day * DAY, out);
    out[10] = '\0';
}

/* The practitioner's working spans on each of the days, at `location`. */
static json_t *working_days(const tpt_practitioner *p, int64_t first_day, int days,
                            int64_t location)
{
    tpt_hours h;
    json_t *out = json_array();
    bool has = tpt_hours_parse(p->hours, &h, NULL) == 0;
    for (int d = 0; d < days; d++) {
        tpt_span spans[TPT_HOURS_SPANS_MAX];
        size_t n =
            has ? tpt_hours_of_day(&h, first_day + d, location, spans, TPT_HOURS_SPANS_MAX) : 0;
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, json_pack("{s:o, s:o, s:I}", "from",
                                                  tpt_minutes_json(spans[i].from), "to",
                                                  tpt_minutes_json(spans[i].to), "location",
                                                  (json_int_t)spans[i].location));
        char date[TPT_TIME_MAX];
        date_text(first_day + d, date);
        json_array_append_new(out, json_pack("{s:s, s:o}", "date", date, "hours", list));
    }
    return out;
}

/* The stored times of the start of local day `day` and of `days` later. */
static void day_bounds(const tpt_calendar *cal, int64_t day, int days, char from[TPT_TIME_MAX],
                       char to[TPT_TIME_MAX])
{
    tpt_time_format(tpt_zone_to_utc(cal->zone, day * DAY, NULL), from);
    tpt_time_format(tpt_zone_to_utc(cal->zone, (day + days) * DAY, NULL), to);
}

json_t *tpt_calendar_view_json(const tpt_calendar *cal, int64_t first_day, int days,
                               int64_t practitioner, int64_t location, tpt_error *err)
{
    if (days < 1 || days > 31) {
        tpt_error_set(err, TPT_ERR_INPUT, "days: a calendar shows 1 to 31 days");
        return NULL;
    }
    tpt_practitioner_list staff;
    tpt_appointment_list list;
    char from[TPT_TIME_MAX], to[TPT_TIME_MAX];
    day_bounds(cal, first_day, days, from, to);
    tpt_appointment_filter f = {.clinic = cal->profile.clinic,
                                .practitioner = practitioner,
                                .location = location,
                                .from = from,
                                .to = to,
                                .cancelled = true};
    if (tpt_store_practitioner_list(cal->store, cal->profile.clinic, &staff, err) != 0) return NULL;
    if (tpt_store_appointment_list(cal->store, &f, &list, err) != 0) {
        tpt_practitioner_list_free(&staff);
        return NULL;
    }
    json_t *people = json_array(), *appointments = json_array();
    for (size_t i = 0; i < staff.count; i++) {
        const tpt_practitioner *p = &staff.items[i];
        if (practitioner ? p->user != practitioner : !p->bookable) continue;
        json_t *o = tpt_practitioner_json(p, false);
        json_object_set_new(o, "days", working_days(p, first_day, days, location));
        json_array_append_new(people, o);
    }
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(appointments, tpt_appointment_json(cal, &list.items[i]));
    char first[TPT_TIME_MAX], today[TPT_TIME_MAX];
    date_text(first_day, first);
    int64_t now_day;
    tpt_calendar_day(cal, NULL, &now_day, NULL);
    date_text(now_day, today);
    json_t *out = json_pack("{s:s, s:s, s:i, s:s, s:o, s:o}", "zone", cal->profile.zone, "from",
                            first, "days", days, "today", today, "practitioners", people,
                            "appointments", appointments);
    tpt_appointment_list_free(&list);
    tpt_practitioner_list_free(&staff);
    if (!out) tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    return out;
}

/* ---- open slots ---- */

/* The service of this clinic with that id; TPT_ERR_INPUT when none. */
int tpt__calendar_service(const tpt_calendar *cal, int64_t id, tpt_service *out, tpt_error *err)
{
    tpt_service_list list;
    int rc = tpt_store_service_list(cal->store, cal->profile.clinic, &list, err);
    if (rc) return rc;
    bool found = false;
    for (size_t i = 0; i < list.count && !found; i++)
        if ((found = list.items[i].id == id)) *out = list.items[i];
    tpt_service_list_free(&list);
    if (!found)
        return tpt_error_set(err, TPT_ERR_INPUT, "there is no service %lld in the clinic",
                             (long long)id);
    return 0;
}

/* The practitioner's appointments (not cancelled) over [from, to) as busy times. */
static int busy_of(const tpt_calendar *cal, int64_t practitioner, const char *from, const char *to,
                   tpt_busy **busy, size_t *n, tpt_error *err)
{
    tpt_appointment_list list;
    tpt_appointment_filter f = {
        .clinic = cal->profile.clinic, .practitioner = practitioner, .from = from, .to = to};
    int rc = tpt_store_appointment_list(cal->store, &f, &list, err);
    if (rc) return rc;
    *busy = calloc(list.count + 1, sizeof **busy);
    if (!*busy) {
        tpt_appointment_list_free(&list);
        return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < list.count; i++)
        (*busy)[i] =
            (tpt_busy){tpt__seconds_of(list.items[i].starts), tpt__seconds_of(list.items[i].ends)};
    *n = list.count;
    tpt_appointment_list_free(&list);
    return 0;
}

json_t *tpt_calendar_slots_json(const tpt_calendar *cal, int64_t service, int64_t practitioner,
                                int64_t location, int64_t first_day, int days, int64_t not_before,
                                size_t max, tpt_error *err)
{
    tpt_hours hours;
    tpt_service v;
    tpt_practitioner_list staff;
    if (days < 1 || days > 31) {
        tpt_error_set(err, TPT_ERR_INPUT, "days: open slots are shown for 1 to 31 days");
        return NULL;
    }
    if (tpt__calendar_service(cal, service, &v, err) != 0 ||
        tpt_store_practitioner_list(cal->store, cal->profile.clinic, &staff, err) != 0)
        return NULL;
    char from[TPT_TIME_MAX], to[TPT_TIME_MAX];
    day_bounds(cal, first_day, days, from, to);
    json_t *slots = json_array();
    tpt_slot *found = malloc(SLOTS_PER_PRACTITIONER * sizeof *found);
    int rc = found ? 0 : tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < staff.count; i++) {
        const tpt_practitioner *p = &staff.items[i];
        if (practitioner ? p->user != practitioner : !p->bookable) continue;
        if (!tpt_service_given_by(&v, p->user) || tpt_hours_parse(p->hours, &hours, NULL) != 0)
            continue;
        tpt_busy *busy = NULL;
        size_t nbusy = 0;
        if ((rc = busy_of(cal, p->user, from, to, &busy, &nbusy, err))) break;
        tpt_slot_query q = {.zone = cal->zone,
                            .hours = &hours,
                            .location = location,
                            .first_day = first_day,
                            .days = days,
                            .minutes = v.minutes,
                            .step = cal->profile.slot_minutes,
                            .busy = busy,
                            .nbusy = nbusy,
                            .not_before = not_before};
        size_t n = tpt_open_slots(&q, found, SLOTS_PER_PRACTITIONER);
        for (size_t k = 0; k < n; k++) {
            char start[TPT_TIME_MAX], local[TPT_TIME_MAX];
            tpt_time_format(found[k].start, start);
            tpt_local_format(tpt_zone_to_local(cal->zone, found[k].start), local);
            json_array_append_new(slots, json_pack("{s:s, s:s, s:o, s:I}", "start", start, "local",
                                                   local, "practitioner", named(p->user, p->name),
                                                   "location", (json_int_t)found[k].location));
        }
        free(busy);
    }
    free(found);
    tpt_practitioner_list_free(&staff);
    if (rc) {
        json_decref(slots);
        return NULL;
    }
    /* in time order across practitioners, then cut to max */
    size_t n = json_array_size(slots);
    json_t **items = malloc((n + 1) * sizeof *items);
    for (size_t i = 0; items && i < n; i++)
        items[i] = json_array_get(slots, i);
    for (size_t i = 1; items && i < n; i++) /* insertion sort: lists of a few hundred */
        for (size_t k = i;
             k > 0 && strcmp(json_string_value(json_object_get(items[k - 1], "start")),
                             json_string_value(json_object_get(items[k], "start"))) > 0;
             k--) {
            json_t *t = items[k];
            items[k] = items[k - 1];
            items[k - 1] = t;
        }
    json_t *sorted = json_array();
    for (size_t i = 0; items && i < n && i < max; i++)
        json_array_append(sorted, items[i]);
    free(items);
    json_decref(slots);
    return json_pack("{s:s, s:o, s:o, s:b}", "zone", cal->profile.zone, "service",
                     tpt_service_json(&v), "slots", sorted, "more", n > max);
}
