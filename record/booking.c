/* A clinic's calendar changed (record/calendar.h): booking, moving,
 * cancelling and marking appointments, each with the emails it queues and
 * its audit lines in the same transaction; a course of care booked at
 * once. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/calendar.h"
#include "record/internal.h"
#include "tpt/mail.h"

#define DAY 86400
#define HOUR 3600
#define ALTERNATIVE_DAYS 3 /* how far a taken visit of a course looks for another time */

/* The audit line of a change, in the change's transaction: 0, or the
 * failure, which undoes the change (a change is never kept without it). */
static int audit(tpt_calendar *cal, tpt_error *err, int64_t patient, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int audit(tpt_calendar *cal, tpt_error *err, int64_t patient, const char *fmt, ...)
{
    char action[TPT_ACTION_MAX + 1] = "calendar: "; /* apart from a record's reads */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(action + 10, sizeof action - 10, fmt, ap);
    va_end(ap);
    tpt_audit_line line = {
        .user = cal->actor, .patient = patient, .action = action, .address = cal->address};
    snprintf(line.at, sizeof line.at, "%s", cal->now);
    return tpt_store_audit_add(cal->store, &line, err);
}

static int64_t local_of(const tpt_calendar *cal, const char *stored)
{
    return tpt_zone_to_local(cal->zone, tpt__seconds_of(stored));
}

/* ---- the emails ---- */

/* What a message about appointment `a` says, beside its kind. */
typedef struct notice {
    tpt_message_kind kind;
    bool moved;
    const int64_t *more;
    size_t nmore;
    const char *intake_link, *invitation_link;
    int64_t due, expires;
} notice;

/* The language of the emails about appointment `a`: the one the person
 * chose for their own account's pages; else (no account, or one that
 * follows the browser) the appointment's, the page's they booked on; else
 * English (*out NULL). A language tpt does not speak is English too. */
static int words_for(tpt_calendar *cal, const tpt_appointment *a, const tpt_words **out,
                     tpt_error *err)
{
    tpt_user u;
    tpt_error none = {0};
    const char *language = a->language;
    int rc = tpt_store_user_of_patient(cal->store, a->patient, &u, &none);
    if (rc && rc != TPT_ERR_INPUT) { /* no account is no failure */
        if (err) *err = none;
        return rc;
    }
    if (!rc && *u.language) language = u.language;
    const tpt_language *l = tpt_language_find(language, strlen(language));
    *out = NULL;
    if (!l || strcmp(l->id, "en") == 0) return 0; /* the words as written */
    size_t count;
    if (cal->catalogues) {
        *out = cal->catalogues[l - tpt_languages(&count)];
        return 0;
    }
    if (!cal->words || strcmp(tpt_words_language(cal->words), l->id) != 0) {
        tpt_words_free(cal->words);
        if (!(cal->words = tpt_words_load(l->id, err))) return err ? err->status : TPT_ERR_DATA;
    }
    *out = cal->words;
    return 0;
}

static int queue(tpt_calendar *cal, const tpt_appointment *a, const notice *n, tpt_error *err)
{
    tpt_patient p;
    tpt_location_list locations;
    const tpt_words *words;
    int rc;
    if ((rc = tpt_store_patient_get(cal->store, a->patient, &p, err)) ||
        (rc = words_for(cal, a, &words, err)) ||
        (rc = tpt_store_location_list(cal->store, cal->profile.clinic, &locations, err)))
        return rc;
    const char *address = "";
    for (size_t i = 0; i < locations.count; i++)
        if (locations.items[i].id == a->location) address = locations.items[i].address;
    const tpt_clinic_profile *c = &cal->profile;
    tpt_mail_facts f = {.kind = n->kind,
                        .words = words,
                        .person = p.name,
                        .clinic = c->name,
                        .phone = c->phone,
                        .email = c->email,
                        .service = a->service_name,
                        .practitioner = a->practitioner_name,
                        .location = a->location_name,
                        .address = *address ? address : c->address,
                        .local = local_of(cal, a->starts),
                        .zone = c->zone,
                        .reason = a->reason,
                        .late_cancel_hours = c->late_cancel_hours,
                        .moved = n->moved,
                        .more = n->more,
                        .nmore = n->nmore,
                        .intake_link = n->intake_link,
                        .invitation_link = n->invitation_link};
    tpt_message m = {
        .clinic = c->clinic, .patient = a->patient, .appointment = a->id, .kind = n->kind};
    tpt_buf body = {0}, links = {0};
    tpt_mail_words(&f, m.subject, &body, &links);
    tpt_location_list_free(&locations);
    tpt_contact_email(p.contact, m.to, sizeof m.to);
    tpt_time_format(n->due, m.due);
    tpt_time_format(n->expires, m.expires);
    snprintf(m.created_at, sizeof m.created_at, "%s", cal->now);
    m.body = body.data;
    m.links = links.data;
    if (body.failed || links.failed)
        rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    else
        rc = tpt_store_message_add(cal->store, &m, &m.id, err);
    tpt_buf_free(&body);
    tpt_buf_free(&links);
    if (rc) return rc;
    return audit(cal, err, a->patient, "queued the %s email of appointment %lld%s",
                 tpt_message_kind_name(n->kind), (long long)a->id,
                 *m.to ? "" : " (no email address: to tell by hand)");
}

/* The confirmation (unless quiet) and the reminder of an appointment to come. */
static int queue_booked(tpt_calendar *cal, const tpt_appointment *a, bool quiet, bool moved,
                        const char *intake, const char *invitation, tpt_error *err)
{
    int64_t start = tpt__seconds_of(a->starts);
    if (start <= cal->now_seconds) return 0; /* past: nothing to tell */
    int rc = 0;
    if (!quiet)
        rc = queue(cal, a,
                   &(notice){.kind = TPT_MESSAGE_CONFIRMATION,
                             .moved = moved,
                             .intake_link = intake,
                             .invitation_link = invitation,
                             .due = cal->now_seconds,
                             .expires = start},
                   err);
    int64_t remind = start - (int64_t)cal->profile.reminder_hours * HOUR;
    if (!rc && cal->profile.reminder_hours > 0 && remind > cal->now_seconds)
        rc = queue(cal, a, &(notice){.kind = TPT_MESSAGE_REMINDER, .due = remind, .expires = start},
                   err);
    return rc;
}

/* ---- booking ---- */

int tpt_calendar_appointment(const tpt_calendar *cal, int64_t id, tpt_appointment *out,
                             tpt_error *err)
{
    int rc = tpt_store_appointment_get(cal->store, id, out, err);
    if (rc == TPT_ERR_INPUT || (!rc && out->clinic != cal->profile.clinic))
        return tpt_error_set(err, TPT_ERR_INPUT, "no appointment %lld in the clinic",
                             (long long)id);
    return rc;
}

/* The location a booking takes: the one named, else the clinic's only one. */
static int location_for(const tpt_calendar *cal, int64_t asked, int64_t *out, tpt_error *err)
{
    tpt_location_list list;
    int rc = tpt_store_location_list(cal->store, cal->profile.clinic, &list, err);
    if (rc) return rc;
    size_t open = 0;
    int64_t only = 0;
    bool found = !asked;
    for (size_t i = 0; i < list.count; i++) {
        const tpt_location *l = &list.items[i];
        if (l->id == asked) {
            found = true;
            if (l->archived)
                rc = tpt_error_set(err, TPT_ERR_INPUT, "location: %s takes no new bookings",
                                   l->name);
        }
        if (!l->archived) open++, only = l->id;
    }
    tpt_location_list_free(&list);
    if (!found)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "location: there is no location %lld in the "
                             "clinic",
                             (long long)asked);
    if (rc) return rc;
    if (!asked && open > 1)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "location: the clinic has %zu locations: say which", open);
    *out = asked ? asked : open == 1 ? only : 0;
    return 0;
}

/* The service and that the practitioner gives it. */
static int service_for(const tpt_calendar *cal, int64_t service, int64_t practitioner,
                       tpt_service *out, tpt_error *err)
{
    tpt_practitioner p;
    int rc;
    if ((rc = tpt__calendar_service(cal, service, out, err))) return rc;
    if ((rc = tpt_store_practitioner_get(cal->store, practitioner, &p, err)) ||
        p.clinic != cal->profile.clinic) {
        tpt_practitioner_free(&p);
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "practitioner: there is no practitioner %lld in the clinic",
                             (long long)practitioner);
    }
    if (out->archived)
        rc = tpt_error_set(err, TPT_ERR_INPUT, "service: %s is no longer offered", out->name);
    else if (!tpt_service_given_by(out, practitioner))
        rc = tpt_error_set(err, TPT_ERR_INPUT, "practitioner: %s does not give %s", p.name,
                           out->name);
    tpt_practitioner_free(&p);
    return rc;
}

/* The language of a booking that names none (staff's, the command line's):
 * that of the person's latest appointment that has one, so that someone who
 * booked their first visit online in German gets the emails of the visits
 * booked for them at the desk in German too; "" when none has. */
static int earlier_language(const tpt_calendar *cal, int64_t patient, char *out, size_t size,
                            tpt_error *err)
{
    tpt_appointment_list list;
    tpt_appointment_filter f = {
        .clinic = cal->profile.clinic, .patient = patient, .cancelled = true};
    int rc = tpt_store_appointment_list(cal->store, &f, &list, err);
    if (rc) return rc;
    const char *latest = "";
    for (size_t i = 0; i < list.count; i++) /* by start */
        if (*list.items[i].language) latest = list.items[i].language;
    snprintf(out, size, "%s", latest);
    tpt_appointment_list_free(&list);
    return 0;
}

int tpt_calendar_book_in(tpt_calendar *cal, const tpt_booking *b, tpt_appointment *out,
                         tpt_error *err)
{
    tpt_service v;
    tpt_appointment a = {.clinic = cal->profile.clinic,
                         .patient = b->patient,
                         .practitioner = b->practitioner,
                         .service = b->service,
                         .series = b->series,
                         .course_visit = b->course_visit,
                         .reassessment = b->reassessment,
                         .created_by = cal->actor};
    int rc;
    if (!b->service) { /* a time kept without a service: of the length given */
        tpt_practitioner p;
        if (b->minutes < 5 || b->minutes > 480)
            return tpt_error_set(err, TPT_ERR_INPUT,
                                 "service: name a service, or give the minutes (5 to 480)");
        if ((rc = tpt_store_practitioner_get(cal->store, b->practitioner, &p, err)) ||
            p.clinic != cal->profile.clinic) {
            tpt_practitioner_free(&p);
            return tpt_error_set(err, TPT_ERR_INPUT,
                                 "practitioner: there is no practitioner %lld in the clinic",
                                 (long long)b->practitioner);
        }
        tpt_practitioner_free(&p);
        v.minutes = b->minutes;
    } else if ((rc = service_for(cal, b->service, b->practitioner, &v, err))) {
        return rc;
    }
    if ((rc = location_for(cal, b->location, &a.location, err))) return rc;
    tpt_time_format(b->start, a.starts);
    tpt_time_format(b->start + (int64_t)v.minutes * 60, a.ends);
    snprintf(a.note, sizeof a.note, "%s", b->note ? b->note : "");
    snprintf(a.source, sizeof a.source, "%s", b->source ? b->source : "staff");
    if (b->language && *b->language)
        snprintf(a.language, sizeof a.language, "%s", b->language);
    else if ((rc = earlier_language(cal, b->patient, a.language, sizeof a.language, err)))
        return rc;
    snprintf(a.created_at, sizeof a.created_at, "%s", cal->now);
    if ((rc = tpt_store_appointment_add(cal->store, &a, b->hold, cal->now, &a.id, err)) ||
        (rc = tpt_store_appointment_get(cal->store, a.id, out, err)))
        return rc;
    if ((rc = audit(cal, err, b->patient, "booked appointment %lld (%s)", (long long)a.id,
                    a.source)))
        return rc;
    return queue_booked(cal, out, b->quiet, false, b->intake_link, b->invitation_link, err);
}

/* Ends the group a change runs in: committed when it succeeds, else rolled
 * back. A group that lets others write meanwhile: the store itself keeps
 * two appointments of one practitioner apart, whoever books. */
static int in_transaction(tpt_calendar *cal, int rc, tpt_error *err)
{
    if (rc == 0) rc = tpt_store_commit(cal->store, err);
    if (rc) tpt_store_rollback(cal->store);
    return rc;
}

int tpt_calendar_book(tpt_calendar *cal, const tpt_booking *b, tpt_appointment *out, tpt_error *err)
{
    int rc = tpt_store_begin_shared(cal->store, err);
    return rc ? rc : in_transaction(cal, tpt_calendar_book_in(cal, b, out, err), err);
}

/* ---- changes ---- */

static int move(tpt_calendar *cal, int64_t id, const tpt_move *m, tpt_appointment *out,
                tpt_error *err)
{
    tpt_appointment a;
    tpt_service v = {0};
    int rc;
    if ((rc = tpt_calendar_appointment(cal, id, &a, err))) return rc;
    int64_t start = m->start ? m->start : tpt__seconds_of(a.starts);
    int64_t length = tpt__seconds_of(a.ends) - tpt__seconds_of(a.starts);
    if (m->practitioner) a.practitioner = m->practitioner;
    if (m->service) a.service = m->service;
    if (a.service) {
        if ((rc = service_for(cal, a.service, a.practitioner, &v, err))) return rc;
        length = (int64_t)v.minutes * 60;
    }
    if (m->location && (rc = location_for(cal, m->location, &a.location, err))) return rc;
    if (m->note) snprintf(a.note, sizeof a.note, "%s", m->note);
    tpt_time_format(start, a.starts);
    tpt_time_format(start + length, a.ends);
    if ((rc = tpt_store_appointment_move(cal->store, &a, cal->now, err)) ||
        (rc = tpt_store_message_drop(cal->store, id, TPT_MESSAGE_CONFIRMATION, err)) ||
        (rc = tpt_store_message_drop(cal->store, id, TPT_MESSAGE_REMINDER, err)) ||
        (rc = tpt_store_appointment_get(cal->store, id, out, err)))
        return rc;
    if ((rc = audit(cal, err, a.patient, "moved appointment %lld", (long long)id))) return rc;
    return queue_booked(cal, out, false, true, NULL, NULL, err);
}

int tpt_calendar_move(tpt_calendar *cal, int64_t id, const tpt_move *m, tpt_appointment *out,
                      tpt_error *err)
{
    int rc = tpt_store_begin_shared(cal->store, err);
    return rc ? rc : in_transaction(cal, move(cal, id, m, out, err), err);
}

static int cancel(tpt_calendar *cal, int64_t id, const char *reason, tpt_appointment *out,
                  tpt_error *err)
{
    tpt_appointment a;
    int rc;
    if ((rc = tpt_calendar_appointment(cal, id, &a, err))) return rc;
    int64_t start = tpt__seconds_of(a.starts);
    bool late = cal->now_seconds > start - (int64_t)cal->profile.late_cancel_hours * HOUR;
    if ((rc = tpt_store_appointment_status(cal->store, id, TPT_APPOINTMENT_CANCELLED, cal->now,
                                           late, reason, err)) ||
        (rc = tpt_store_message_drop(cal->store, id, TPT_MESSAGE_CONFIRMATION, err)) ||
        (rc = tpt_store_message_drop(cal->store, id, TPT_MESSAGE_REMINDER, err)) ||
        (rc = tpt_store_message_drop(cal->store, id, TPT_MESSAGE_INTAKE, err)) ||
        (rc = tpt_store_appointment_get(cal->store, id, out, err)))
        return rc;
    if ((rc = audit(cal, err, a.patient, "cancelled appointment %lld%s", (long long)id,
                    late ? " (late)" : "")))
        return rc;
    if (start <= cal->now_seconds) return 0;
    return queue(
        cal, out,
        &(notice){.kind = TPT_MESSAGE_CANCELLATION, .due = cal->now_seconds, .expires = start},
        err);
}

int tpt_calendar_cancel(tpt_calendar *cal, int64_t id, const char *reason, tpt_appointment *out,
                        tpt_error *err)
{
    int rc = tpt_store_begin_shared(cal->store, err);
    return rc ? rc : in_transaction(cal, cancel(cal, id, reason, out, err), err);
}

int tpt_calendar_mark(tpt_calendar *cal, int64_t id, tpt_appointment_status status,
                      tpt_appointment *out, tpt_error *err)
{
    tpt_appointment a;
    int rc;
    if (status == TPT_APPOINTMENT_CANCELLED)
        return tpt_error_set(err, TPT_ERR_INPUT, "status: cancel an appointment with its reason");
    if ((rc = tpt_calendar_appointment(cal, id, &a, err)) ||
        (rc = tpt_store_appointment_status(cal->store, id, status, cal->now, false, NULL, err)) ||
        (rc = tpt_store_appointment_get(cal->store, id, out, err)))
        return rc;
    return audit(cal, err, a.patient, "marked appointment %lld %s", (long long)id,
                 tpt_appointment_status_name(status));
}

int tpt_calendar_send_intake(tpt_calendar *cal, int64_t id, const char *link, tpt_error *err)
{
    tpt_appointment a;
    int rc = tpt_calendar_appointment(cal, id, &a, err);
    if (rc) return rc;
    int64_t start = tpt__seconds_of(a.starts);
    if (a.status == TPT_APPOINTMENT_CANCELLED || start <= cal->now_seconds)
        return tpt_error_set(err, TPT_ERR_CONFLICT,
                             "the appointment is %s: no intake to fill in before it",
                             a.status == TPT_APPOINTMENT_CANCELLED ? "cancelled" : "past");
    return queue(cal, &a,
                 &(notice){.kind = TPT_MESSAGE_INTAKE,
                           .intake_link = link,
                           .due = cal->now_seconds,
                           .expires = start},
                 err);
}

/* ---- a course of care booked at once ---- */

/* The course: the visits before the first of the series, and the starts. */
typedef struct course_plan {
    int before, planned, count;
    int64_t starts[50];
    bool skipped[50]; /* a wall time the clocks skip: moved past the jump */
} course_plan;

static int plan_course(tpt_calendar *cal, const tpt_series_request *r, course_plan *c,
                       tpt_error *err)
{
    tpt_patient p;
    tpt_visit_list visits;
    tpt_appointment_list earlier;
    char first[TPT_TIME_MAX];
    tpt_time_format(r->first, first);
    tpt_appointment_filter f = {.clinic = cal->profile.clinic, .patient = r->patient, .to = first};
    int rc;
    memset(c, 0, sizeof *c);
    if ((rc = tpt_store_patient_get(cal->store, r->patient, &p, err))) return rc;
    if (p.clinic != cal->profile.clinic)
        return tpt_error_set(err, TPT_ERR_INPUT, "patient: no patient %lld in the clinic",
                             (long long)r->patient);
    if ((rc = tpt_store_visit_list(cal->store, r->patient, &visits, err))) return rc;
    if ((rc = tpt_store_appointment_list(cal->store, &f, &earlier, err))) {
        tpt_visit_list_free(&visits);
        return rc;
    }
    size_t kept = 0; /* appointments before it that took place or will */
    for (size_t i = 0; i < earlier.count; i++)
        kept += earlier.items[i].status != TPT_APPOINTMENT_NO_SHOW;
    c->before = (int)(visits.count > kept ? visits.count : kept);
    c->planned = p.planned_visits;
    tpt_visit_list_free(&visits);
    tpt_appointment_list_free(&earlier);
    c->count = r->ntimes ? (int)r->ntimes : r->count ? r->count : c->planned - c->before;
    if (c->count < 1)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "count: the planned course of %d visits is booked already; give "
                             "how many to book",
                             c->planned);
    if (c->count > 50 || c->before + c->count > 50)
        return tpt_error_set(err, TPT_ERR_INPUT, "count: a course has at most 50 visits");
    if (r->ntimes) {
        memcpy(c->starts, r->times, r->ntimes * sizeof *r->times);
        return 0;
    }
    tpt_spacing sp = r->spacing;
    if (!sp.per_week && !sp.every_days)
        sp = (tpt_spacing){cal->profile.series_per_week, cal->profile.series_every_days};
    int64_t locals[50];
    if ((rc = tpt_series_local(tpt_zone_to_local(cal->zone, r->first), sp, c->count, locals, err)))
        return rc;
    for (int k = 0; k < c->count; k++) {
        tpt_local_kind kind;
        c->starts[k] = tpt_zone_to_utc(cal->zone, locals[k], &kind);
        c->skipped[k] = kind == TPT_LOCAL_SKIPPED;
    }
    return 0;
}

static json_t *time_json(const tpt_calendar *cal, int64_t t)
{
    char start[TPT_TIME_MAX], local[TPT_TIME_MAX];
    tpt_time_format(t, start);
    tpt_local_format(tpt_zone_to_local(cal->zone, t), local);
    return json_pack("{s:s, s:s}", "start", start, "local", local);
}

/* Free, taken or outside hours: what a visit of the course meets. */
static const char *meets(const tpt_calendar *cal, const tpt_hours *h, bool has_hours,
                         const tpt_busy *busy, size_t nbusy, int64_t location, int64_t start,
                         int64_t end)
{
    for (size_t i = 0; i < nbusy; i++)
        if (busy[i].from < end && start < busy[i].to) return "taken";
    if (has_hours && !tpt_hours_cover(cal->zone, h, location, start, end)) return "outside-hours";
    return "free";
}

json_t *tpt_calendar_series_preview(tpt_calendar *cal, const tpt_series_request *r, tpt_error *err)
{
    course_plan c;
    tpt_service v;
    tpt_practitioner p = {0};
    tpt_hours h;
    tpt_appointment_list booked;
    int64_t location;
    if (service_for(cal, r->service, r->practitioner, &v, err) ||
        location_for(cal, r->location, &location, err) || plan_course(cal, r, &c, err) ||
        tpt_store_practitioner_get(cal->store, r->practitioner, &p, err))
        return NULL;
    bool has_hours = tpt_hours_parse(p.hours, &h, NULL) == 0 && h.nweekly > 0;
    tpt_practitioner_free(&p);
    int64_t length = (int64_t)v.minutes * 60, last = c.starts[c.count - 1] + length;
    char from[TPT_TIME_MAX], to[TPT_TIME_MAX];
    tpt_time_format(c.starts[0], from);
    tpt_time_format(last + (ALTERNATIVE_DAYS + 1) * DAY, to);
    tpt_appointment_filter f = {
        .clinic = cal->profile.clinic, .practitioner = r->practitioner, .from = from, .to = to};
    if (tpt_store_appointment_list(cal->store, &f, &booked, err)) return NULL;
    tpt_busy *busy = calloc(booked.count + 1, sizeof *busy);
    for (size_t i = 0; busy && i < booked.count; i++)
        busy[i] = (tpt_busy){tpt__seconds_of(booked.items[i].starts),
                             tpt__seconds_of(booked.items[i].ends)};
    json_t *visits = json_array();
    for (int k = 0; busy && k < c.count; k++) {
        int number = c.before + k + 1;
        const char *status = c.skipped[k] ? "skipped"
                                          : meets(cal, &h, has_hours, busy, booked.count, location,
                                                  c.starts[k], c.starts[k] + length);
        json_t *alternative = json_null();
        if (strcmp(status, "free") != 0 && has_hours) {
            /* the first open time of that practitioner from then, over a few days */
            tpt_slot found;
            int64_t day = tpt_floor_div(tpt_zone_to_local(cal->zone, c.starts[k]), DAY);
            tpt_slot_query q = {.zone = cal->zone,
                                .hours = &h,
                                .location = location,
                                .first_day = day,
                                .days = ALTERNATIVE_DAYS,
                                .minutes = v.minutes,
                                .step = cal->profile.slot_minutes,
                                .busy = busy,
                                .nbusy = booked.count,
                                .not_before = c.starts[k]};
            if (tpt_open_slots(&q, &found, 1)) {
                json_decref(alternative);
                alternative = time_json(cal, found.start);
            }
        }
        json_t *o = time_json(cal, c.starts[k]);
        json_object_update_new(o,
                               json_pack("{s:i, s:b, s:s, s:o}", "course_visit", number,
                                         "reassessment", tpt_course_reassessment(number, c.planned),
                                         "status", status, "alternative", alternative));
        json_array_append_new(visits, o);
    }
    free(busy);
    tpt_appointment_list_free(&booked);
    return json_pack("{s:i, s:i, s:s, s:o, s:o}", "planned_visits", c.planned, "visits_before",
                     c.before, "zone", cal->profile.zone, "service", tpt_service_json(&v), "visits",
                     visits);
}

static int book_series(tpt_calendar *cal, const tpt_series_request *r, json_t *out, tpt_error *err)
{
    course_plan c;
    int rc = plan_course(cal, r, &c, err);
    tpt_appointment first = {0}, a;
    int64_t locals[50];
    for (int k = 0; !rc && k < c.count; k++) {
        int number = c.before + k + 1;
        tpt_booking b = {.patient = r->patient,
                         .practitioner = r->practitioner,
                         .location = r->location,
                         .service = r->service,
                         .start = c.starts[k],
                         .source = "staff",
                         .series = k ? first.id : -1,
                         .course_visit = number,
                         .reassessment = tpt_course_reassessment(number, c.planned),
                         .quiet = true};
        rc = tpt_calendar_book_in(cal, &b, &a, err);
        if (rc == TPT_ERR_CONFLICT) {
            char local[TPT_TIME_MAX];
            tpt_local_format(tpt_zone_to_local(cal->zone, c.starts[k]), local);
            tpt_error_set(err, TPT_ERR_CONFLICT,
                          "visit %d of the course, %s: the practitioner has another appointment "
                          "then; nothing was booked",
                          number, local);
        }
        if (rc) break;
        if (!k) first = a;
        locals[k] = local_of(cal, a.starts);
        json_array_append_new(out, tpt_appointment_json(cal, &a));
    }
    /* one confirmation naming every visit */
    if (!rc && tpt__seconds_of(first.starts) > cal->now_seconds)
        rc = queue(cal, &first,
                   &(notice){.kind = TPT_MESSAGE_CONFIRMATION,
                             .more = locals + 1,
                             .nmore = (size_t)c.count - 1,
                             .due = cal->now_seconds,
                             .expires = tpt__seconds_of(first.starts)},
                   err);
    if (!rc)
        rc = audit(cal, err, r->patient, "booked a course of %d visits (series %lld)", c.count,
                   (long long)first.id);
    return rc;
}

json_t *tpt_calendar_series_book(tpt_calendar *cal, const tpt_series_request *r, tpt_error *err)
{
    json_t *list = json_array();
    int rc = tpt_store_begin_shared(cal->store, err);
    if (!rc) rc = in_transaction(cal, book_series(cal, r, list, err), err);
    if (rc) {
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o}", "appointments", list);
}
