/* store.h's calendar calls for every backend: the checks of their arguments,
 * once, here, then the backend's table (backend.h). */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "tpt/availability.h"

#define SECONDS_MAX (12 * 3600) /* the longest appointment or hold */

static int check_time(const char *at, const char *what, tpt_error *err)
{
    if (at && tpt_time_check(at, NULL) == 0) return 0;
    return tpt_error_set(err, TPT_ERR_INPUT, "%s '%s' is not a stored time (2026-11-21T08:30:00Z)",
                         what, at ? at : "");
}

/* starts < ends, at most SECONDS_MAX apart. */
static int check_span(const char *starts, const char *ends, tpt_error *err)
{
    int64_t a, b;
    int rc;
    if ((rc = check_time(starts, "the start", err)) || (rc = check_time(ends, "the end", err)))
        return rc;
    tpt_time_parse(starts, &a);
    tpt_time_parse(ends, &b);
    if (b <= a || b - a > SECONDS_MAX)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "an appointment ends after it starts, within 12 hours");
    return 0;
}

/* A text of at most `max` bytes on one line ("" allowed unless `required`). */
static int check_line(const char *text, size_t max, bool required, const char *what, tpt_error *err)
{
    bool ok = text && (!required || *text) && strlen(text) <= max;
    for (const char *p = text; ok && *p; p++)
        ok = (unsigned char)*p >= ' ' && *p != 0x7f;
    if (ok) return 0;
    return tpt_error_set(err, TPT_ERR_INPUT, "%s is %s%zu characters on one line", what,
                         required ? "1 to " : "at most ", max);
}

/* ---- the clinic, its locations and services, its practitioners ---- */

int tpt_store_clinic_profile_get(tpt_store *s, int64_t clinic, tpt_clinic_profile *out,
                                 tpt_error *err)
{
    return s->backend->clinic_profile_get(s, clinic, out, err);
}

int tpt_store_clinic_profile_save(tpt_store *s, const tpt_clinic_profile *p, tpt_error *err)
{
    int rc = tpt_clinic_profile_check(p, err);
    return rc ? rc : s->backend->clinic_profile_save(s, p, err);
}

int tpt_store_clinic_by_slug(tpt_store *s, const char *slug, tpt_clinic_profile *out,
                             tpt_error *err)
{
    if (!slug || !*slug || strlen(slug) > TPT_SLUG_MAX)
        return tpt_error_set(err, TPT_ERR_INPUT, "no clinic has that address");
    return s->backend->clinic_by_slug(s, slug, out, err);
}

int tpt_store_clinic_directory(tpt_store *s, tpt_clinic_profile_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->clinic_directory(s, out, err);
}

int tpt_store_location_save(tpt_store *s, const tpt_location *l, int64_t *id, tpt_error *err)
{
    int rc;
    if ((rc = check_line(l->name, TPT_NAME_MAX, true, "a location's name", err)) ||
        (rc = check_line(l->address, TPT_ADDRESS_MAX, false, "an address", err)) ||
        (rc = check_line(l->town, TPT_NAME_MAX, false, "a town", err)) ||
        (rc = check_line(l->postcode, sizeof l->postcode - 1, false, "a postcode", err)))
        return rc;
    return s->backend->location_save(s, l, id, err);
}

int tpt_store_location_list(tpt_store *s, int64_t clinic, tpt_location_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->location_list(s, clinic, out, err);
}

int tpt_store_service_save(tpt_store *s, const tpt_service *v, int64_t *id, tpt_error *err)
{
    int rc = tpt_service_check(v, err);
    return rc ? rc : s->backend->service_save(s, v, id, err);
}

int tpt_store_service_list(tpt_store *s, int64_t clinic, tpt_service_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->service_list(s, clinic, out, err);
}

int tpt_store_practitioner_get(tpt_store *s, int64_t user, tpt_practitioner *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->practitioner_get(s, user, out, err);
}

int tpt_store_practitioner_save(tpt_store *s, const tpt_practitioner *p, tpt_error *err)
{
    tpt_hours hours; /* read for its verdict only */
    int rc;
    if ((rc = check_line(p->qualifications, TPT_ADDRESS_MAX, false, "the qualifications", err)))
        return rc;
    if (p->modalities >> TPT_MODALITY_COUNT)
        return tpt_error_set(err, TPT_ERR_INPUT, "an unknown modality");
    if (p->hours && (rc = tpt_hours_parse(p->hours, &hours, err))) return rc;
    return s->backend->practitioner_save(s, p, err);
}

int tpt_store_practitioner_list(tpt_store *s, int64_t clinic, tpt_practitioner_list *out,
                                tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->practitioner_list(s, clinic, out, err);
}

/* ---- appointments and holds ---- */

static int check_appointment(tpt_store *s, const tpt_appointment *a, const char *now,
                             tpt_error *err)
{
    int rc;
    if ((rc = check_span(a->starts, a->ends, err)) || (rc = check_time(now, "now", err)) ||
        (rc = check_line(a->note, TPT_NAME_MAX, false, "a note", err)) ||
        (rc = tpt__check_language(a->language, err)) ||
        (rc = s->backend->patient_check(s, a->patient, err)))
        return rc;
    if (a->clinic <= 0 || a->practitioner <= 0)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "an appointment needs its clinic and practitioner");
    if (a->course_visit < 0 || a->course_visit > 50)
        return tpt_error_set(err, TPT_ERR_INPUT, "a visit of the course is 1 to 50");
    return 0;
}

int tpt_store_appointment_add(tpt_store *s, const tpt_appointment *a, const uint8_t *hold,
                              const char *now, int64_t *id, tpt_error *err)
{
    int rc;
    if ((rc = check_appointment(s, a, now, err)) ||
        (rc = check_time(a->created_at, "the time of booking", err)))
        return rc;
    if (a->status != TPT_APPOINTMENT_BOOKED)
        return tpt_error_set(err, TPT_ERR_INPUT, "a new appointment is booked");
    if (strcmp(a->source, "staff") != 0 && strcmp(a->source, "online") != 0 &&
        strcmp(a->source, "command-line") != 0)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "an appointment is booked by staff, online or on the command line");
    return s->backend->appointment_add(s, a, hold, now, id, err);
}

int tpt_store_appointment_get(tpt_store *s, int64_t id, tpt_appointment *out, tpt_error *err)
{
    return s->backend->appointment_get(s, id, out, err);
}

int tpt_store_appointment_list(tpt_store *s, const tpt_appointment_filter *f,
                               tpt_appointment_list *out, tpt_error *err)
{
    int rc;
    memset(out, 0, sizeof *out);
    if ((f->from && *f->from && (rc = check_time(f->from, "from", err))) ||
        (f->to && *f->to && (rc = check_time(f->to, "to", err))))
        return rc;
    return s->backend->appointment_list(s, f, out, err);
}

int tpt_store_appointment_move(tpt_store *s, const tpt_appointment *a, const char *now,
                               tpt_error *err)
{
    int rc = check_appointment(s, a, now, err);
    return rc ? rc : s->backend->appointment_move(s, a, now, err);
}

int tpt_store_appointment_status(tpt_store *s, int64_t id, tpt_appointment_status status,
                                 const char *at, bool late, const char *reason, tpt_error *err)
{
    int rc;
    if ((unsigned)status > TPT_APPOINTMENT_CANCELLED)
        return tpt_error_set(err, TPT_ERR_INPUT, "an unknown status");
    if ((rc = check_time(at, "the time", err)) ||
        (rc = check_line(reason ? reason : "", TPT_NAME_MAX, false, "a reason", err)))
        return rc;
    return s->backend->appointment_status(s, id, status, at, late, reason ? reason : "", err);
}

int tpt_store_appointment_set_visit(tpt_store *s, int64_t id, int visit, tpt_error *err)
{
    if (visit < 1) return tpt_error_set(err, TPT_ERR_INPUT, "a visit's number is 1 or more");
    return s->backend->appointment_set_visit(s, id, visit, err);
}

int tpt_store_hold_add(tpt_store *s, const tpt_hold *h, const char *now, tpt_error *err)
{
    int rc;
    if ((rc = check_span(h->starts, h->ends, err)) || (rc = check_time(now, "now", err)) ||
        (rc = check_time(h->expires, "the hold's end", err)))
        return rc;
    if (h->clinic <= 0 || h->practitioner <= 0)
        return tpt_error_set(err, TPT_ERR_INPUT, "a hold needs its clinic and practitioner");
    return s->backend->hold_add(s, h, now, err);
}

int tpt_store_hold_find(tpt_store *s, const uint8_t *token_hash, const char *now, tpt_hold *out,
                        tpt_error *err)
{
    int rc = check_time(now, "now", err);
    return rc ? rc : s->backend->hold_find(s, token_hash, now, out, err);
}

int tpt_store_rate_hit(tpt_store *s, const char *key, const char *window, int *hits, tpt_error *err)
{
    int rc;
    if ((rc = check_line(key, 100, true, "a rate limit's key", err)) ||
        (rc = check_time(window, "the window", err)))
        return rc;
    return s->backend->rate_hit(s, key, window, hits, err);
}

/* ---- the outbox ---- */

int tpt_store_message_add(tpt_store *s, const tpt_message *m, int64_t *id, tpt_error *err)
{
    int rc;
    if ((unsigned)m->kind > TPT_MESSAGE_INTAKE)
        return tpt_error_set(err, TPT_ERR_INPUT, "an unknown kind of message");
    if ((rc = check_line(m->subject, TPT_NAME_MAX, true, "a subject", err)) ||
        (rc = check_line(m->to, TPT_EMAIL_MAX, false, "an address", err)) ||
        (rc = check_time(m->due, "the time due", err)) ||
        (rc = check_time(m->expires, "the expiry", err)) ||
        (rc = check_time(m->created_at, "the time made", err)))
        return rc;
    if (!m->body || strlen(m->body) > TPT_TEXT_MAX ||
        (m->links && strlen(m->links) > TPT_TEXT_MAX) || m->clinic <= 0)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "a message needs its clinic and a body of at most %d bytes",
                             TPT_TEXT_MAX);
    return s->backend->message_add(s, m, id, err);
}

int tpt_store_message_drop(tpt_store *s, int64_t appointment, tpt_message_kind kind, tpt_error *err)
{
    return s->backend->message_drop(s, appointment, kind, err);
}

int tpt_store_message_claim(tpt_store *s, const char *now, const char *lease, bool any_relay,
                            size_t max, tpt_message_list *out, tpt_error *err)
{
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = check_time(now, "now", err)) || (rc = check_time(lease, "the lease", err))) return rc;
    if (max < 1 || max > 100)
        return tpt_error_set(err, TPT_ERR_INPUT, "a sender claims 1 to 100 messages at a time");
    return s->backend->message_claim(s, now, lease, any_relay, max, out, err);
}

int tpt_store_message_settle(tpt_store *s, int64_t id, tpt_message_state state, const char *at,
                             const char *error, const char *retry, tpt_error *err)
{
    int rc;
    if (state != TPT_MESSAGE_SENT && state != TPT_MESSAGE_FAILED && state != TPT_MESSAGE_QUEUED &&
        state != TPT_MESSAGE_HANDLED)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "a message is settled as sent, failed, queued "
                             "again or handled");
    if ((rc = check_time(at, "the time", err)) ||
        (state == TPT_MESSAGE_QUEUED && (rc = check_time(retry, "the retry", err))))
        return rc;
    char cut[TPT_NAME_MAX + 1];
    snprintf(cut, sizeof cut, "%s", error ? error : ""); /* a relay's answer may be long */
    for (char *p = cut; *p; p++)
        if ((unsigned char)*p < ' ') *p = ' ';
    return s->backend->message_settle(s, id, state, at, cut, retry ? retry : "", err);
}

int tpt_store_message_get(tpt_store *s, int64_t id, tpt_message *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->message_get(s, id, out, err);
}

int tpt_store_message_list(tpt_store *s, int64_t clinic, int64_t patient, unsigned states,
                           size_t limit, tpt_message_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->message_list(s, clinic, patient, states ? states : ~0u, limit ? limit : 500,
                                    out, err);
}

/* ---- intake ---- */

int tpt_store_intake_add(tpt_store *s, const tpt_intake *i, tpt_error *err)
{
    int rc;
    if ((rc = check_time(i->expires, "the link's end", err)) ||
        (rc = check_time(i->created_at, "the time made", err)) ||
        (rc = s->backend->patient_check(s, i->patient, err)))
        return rc;
    return s->backend->intake_add(s, i, err);
}

int tpt_store_intake_find(tpt_store *s, const uint8_t *token_hash, tpt_intake *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->intake_find(s, token_hash, out, err);
}

int tpt_store_intake_get(tpt_store *s, int64_t appointment, tpt_intake *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->intake_get(s, appointment, out, err);
}

int tpt_store_intake_update(tpt_store *s, int64_t appointment, const char *subjective,
                            int64_t drawing, bool measure, const char *at, tpt_error *err)
{
    int rc = check_time(at, "the time", err);
    if (rc) return rc;
    if (subjective && strlen(subjective) > 4 * TPT_TEXT_MAX)
        return tpt_error_set(err, TPT_ERR_INPUT, "what the person told is longer than %d bytes",
                             4 * TPT_TEXT_MAX);
    return s->backend->intake_update(s, appointment, subjective, drawing, measure, at, err);
}

/* ---- feeds ---- */

int tpt_store_feed_get(tpt_store *s, int64_t patient, tpt_feed *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->feed_get(s, patient, out, err);
}

int tpt_store_feed_save(tpt_store *s, const tpt_feed *f, tpt_error *err)
{
    int rc;
    if (f->nsessions < 0 || f->nsessions > TPT_FEED_TIMES_MAX || f->check_minute < -1 ||
        f->check_minute > 1439)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "a feed has 0 to %d session times a day and a daily check",
                             TPT_FEED_TIMES_MAX);
    for (int i = 0; i < f->nsessions; i++)
        if (f->session_minutes[i] < 0 || f->session_minutes[i] > 1439)
            return tpt_error_set(err, TPT_ERR_INPUT, "a session time is 00:00 to 23:59");
    if ((rc = check_time(f->created_at, "the time made", err)) ||
        (rc = s->backend->patient_check(s, f->patient, err)))
        return rc;
    return s->backend->feed_save(s, f, err);
}

int tpt_store_feed_find(tpt_store *s, const uint8_t *token_hash, tpt_feed *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->feed_find(s, token_hash, out, err);
}
