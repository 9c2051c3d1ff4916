/* Appointments, the slots held during online booking and the counters of
 * rate limits, in PostgreSQL. No two appointments of one practitioner
 * overlap: the exclusion constraint of schema/014.sql refuses it whoever
 * writes, from any instance. A call that books, moves or holds first takes
 * the practitioner's advisory lock for the rest of the transaction, so that
 * its look at the holds and appointments stays true until it commits, and a
 * conflict is said as one (409) rather than found as a failed statement that
 * would spoil the caller's transaction. store/calendar.c has checked the
 * arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postgres.h"

#define TAKEN "the practitioner has another appointment at that time"
#define HELD                                                                                       \
    "someone is booking that time online just now: choose another, or try again in a few minutes"
#define GONE "the time was held for a few minutes only and is no longer: choose a time again"

/* The advisory lock of one practitioner's calendar (two keys: this
 * backend's number for calendars, and the practitioner), held until the
 * transaction ends. */
static int lock_practitioner(tpt__pg *c, int64_t practitioner, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, practitioner);
    return tpt__pg_do(c, "SELECT pg_advisory_xact_lock(7628118, ($1::bigint % 2147483647)::int)",
                      &p, "waiting for the practitioner's calendar", err);
}

static int forget_expired_holds(tpt__pg *c, const char *now, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_time(&p, now);
    return tpt__pg_do(c, "DELETE FROM holds WHERE expires <= $1", &p, "forgetting old holds", err);
}

/* TPT_ERR_CONFLICT saying `taken` when the query of p finds a row. */
static int none_found(tpt__pg *c, const char *sql, const tpt__pg_params *p, const char *taken,
                      tpt_error *err)
{
    PGresult *r = tpt__pg_run(c, sql, p, "reading the calendar", err);
    if (!r) return FAILED;
    int rc = c->pq->ntuples(r) > 0 ? tpt_error_set(err, TPT_ERR_CONFLICT, "%s", taken) : 0;
    c->pq->clear(r);
    return rc;
}

/* No hold but `hold` (NULL: none) over [starts, ends). */
static int no_hold_over(tpt__pg *c, int64_t practitioner, const char *starts, const char *ends,
                        const uint8_t *hold, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, practitioner);
    tpt__pg_time(&p, starts);
    tpt__pg_time(&p, ends);
    if (hold)
        tpt__pg_bytes(&p, hold, TPT_TOKEN_HASH_SIZE);
    else
        tpt__pg_text(&p, NULL);
    return none_found(c,
                      "SELECT 1 FROM holds WHERE practitioner_id = $1 AND starts < $3 AND "
                      "ends > $2 AND ($4::bytea IS NULL OR token_hash <> $4)",
                      &p, HELD, err);
}

/* No appointment but `except` (0: none) over [starts, ends). */
static int no_appointment_over(tpt__pg *c, int64_t practitioner, const char *starts,
                               const char *ends, int64_t except, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, practitioner);
    tpt__pg_time(&p, starts);
    tpt__pg_time(&p, ends);
    tpt__pg_int(&p, except);
    return none_found(c,
                      "SELECT 1 FROM appointments WHERE practitioner_id = $1 AND status <> "
                      "'cancelled' AND starts < $3 AND ends > $2 AND id <> $4",
                      &p, TAKEN, err);
}

/* What an appointment names is its clinic's. */
static int of_its_clinic(tpt__pg *c, const tpt_appointment *a, tpt_error *err)
{
    int rc;
    if ((rc = tpt__pg_check_patient(c, a->patient, a->clinic, err)) ||
        (rc = tpt__pg_check_staff(c, a->practitioner, a->clinic, err)) ||
        (rc = tpt__pg_check_location(c, a->location, a->clinic, err)))
        return rc;
    return tpt__pg_check_service(c, a->service, a->clinic, err);
}

/* The hold a booking takes: it must be there, for the same time and practitioner. */
static int the_hold(tpt__pg *c, const tpt_appointment *a, const uint8_t *hold, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_bytes(&p, hold, TPT_TOKEN_HASH_SIZE);
    tpt__pg_int(&p, a->practitioner);
    tpt__pg_time(&p, a->starts);
    tpt__pg_time(&p, a->ends);
    PGresult *r = tpt__pg_run(c,
                              "SELECT 1 FROM holds WHERE token_hash = $1 AND practitioner_id = $2 "
                              "AND starts = $3 AND ends = $4",
                              &p, "finding the held time", err);
    if (!r) return FAILED;
    int rc = c->pq->ntuples(r) > 0 ? 0 : tpt_error_set(err, TPT_ERR_CONFLICT, GONE);
    c->pq->clear(r);
    return rc;
}

static int add(tpt__pg *c, const tpt_appointment *a, const uint8_t *hold, const char *now,
               int64_t *id, tpt_error *err)
{
    int rc;
    if ((rc = of_its_clinic(c, a, err)) || (rc = lock_practitioner(c, a->practitioner, err)) ||
        (rc = forget_expired_holds(c, now, err)) || (hold && (rc = the_hold(c, a, hold, err))) ||
        (rc = no_hold_over(c, a->practitioner, a->starts, a->ends, hold, err)) ||
        (rc = no_appointment_over(c, a->practitioner, a->starts, a->ends, 0, err)))
        return rc;
    tpt__pg_params p = {0};
    tpt__pg_int(&p, a->clinic);
    tpt__pg_int(&p, a->patient);
    tpt__pg_int(&p, a->practitioner);
    tpt__pg_id(&p, a->location);
    tpt__pg_id(&p, a->service);
    tpt__pg_time(&p, a->starts);
    tpt__pg_time(&p, a->ends);
    tpt__pg_text(&p, a->note);
    tpt__pg_int(&p, a->series); /* below 0: the first of a new series, which names itself */
    tpt__pg_int(&p, a->course_visit);
    tpt__pg_int(&p, a->reassessment);
    tpt__pg_text(&p, a->source);
    tpt__pg_id(&p, a->created_by);
    tpt__pg_time(&p, a->created_at);
    tpt__pg_text(&p, a->language);
    PGresult *r = tpt__pg_run(
        c,
        "INSERT INTO appointments (id, clinic_id, patient_id, practitioner_id, location_id, "
        "service_id, starts, ends, status, note, series_id, course_visit, reassessment, source, "
        "created_by, created_at, language) OVERRIDING SYSTEM VALUE SELECT n.id, $1, $2, $3, $4, "
        "$5, $6, $7, 'booked', $8, "
        "CASE WHEN $9::bigint < 0 THEN n.id WHEN $9::bigint > 0 THEN $9::bigint END, "
        "$10, $11::int <> 0, $12, $13, $14, $15 "
        "FROM (SELECT nextval(pg_get_serial_sequence('appointments', 'id')) AS id) n RETURNING id",
        &p, "booking the appointment", err);
    if (!r) return FAILED;
    int64_t made = tpt__pg_int64(c, r, 0, 0);
    c->pq->clear(r);
    if (hold) {
        tpt__pg_params h = {0};
        tpt__pg_bytes(&h, hold, TPT_TOKEN_HASH_SIZE);
        if ((rc = tpt__pg_do(c, "DELETE FROM holds WHERE token_hash = $1", &h,
                             "using the held time", err)))
            return rc;
    }
    if (id) *id = made;
    return 0;
}

int tpt__pg_appointment_add(tpt_store *s, const tpt_appointment *a, const uint8_t *hold,
                            const char *now, int64_t *id, tpt_error *err)
{
    CALL(s, add(c, a, hold, now, id, err));
}

/* ---- reading ---- */

#define APPOINTMENT_COLUMNS                                                                        \
    "a.id, a.clinic_id, a.patient_id, a.practitioner_id, coalesce(a.location_id, 0), "             \
    "coalesce(a.service_id, 0), tpt_utc_text(a.starts), tpt_utc_text(a.ends), a.status, "          \
    "a.late_cancel::int, tpt_utc_text(a.cancelled_at), a.reason, a.note, "                         \
    "coalesce(a.series_id, 0), a.course_visit, a.reassessment::int, a.visit, a.source, "           \
    "coalesce(a.created_by, 0), tpt_utc_text(a.created_at), p.name, u.name, "                      \
    "coalesce(s.name, ''), coalesce(l.name, ''), a.language FROM appointments a "                  \
    "JOIN patients p ON p.id = a.patient_id JOIN users u ON u.id = a.practitioner_id "             \
    "LEFT JOIN services s ON s.id = a.service_id LEFT JOIN locations l ON l.id = a.location_id "

static void appointment_at(tpt__pg *c, PGresult *r, int i, tpt_appointment *a)
{
    memset(a, 0, sizeof *a);
    a->id = tpt__pg_int64(c, r, i, 0);
    a->clinic = tpt__pg_int64(c, r, i, 1);
    a->patient = tpt__pg_int64(c, r, i, 2);
    a->practitioner = tpt__pg_int64(c, r, i, 3);
    a->location = tpt__pg_int64(c, r, i, 4);
    a->service = tpt__pg_int64(c, r, i, 5);
    tpt__pg_copy(c, r, i, 6, a->starts, sizeof a->starts);
    tpt__pg_copy(c, r, i, 7, a->ends, sizeof a->ends);
    if (tpt_appointment_status_parse(c->pq->getvalue(r, i, 8), &a->status) != 0)
        a->status = TPT_APPOINTMENT_BOOKED;
    a->late_cancel = tpt__pg_int64(c, r, i, 9) != 0;
    tpt__pg_copy(c, r, i, 10, a->cancelled_at, sizeof a->cancelled_at);
    tpt__pg_copy(c, r, i, 11, a->reason, sizeof a->reason);
    tpt__pg_copy(c, r, i, 12, a->note, sizeof a->note);
    a->series = tpt__pg_int64(c, r, i, 13);
    a->course_visit = (int)tpt__pg_int64(c, r, i, 14);
    a->reassessment = tpt__pg_int64(c, r, i, 15) != 0;
    a->visit = (int)tpt__pg_int64(c, r, i, 16);
    tpt__pg_copy(c, r, i, 17, a->source, sizeof a->source);
    a->created_by = tpt__pg_int64(c, r, i, 18);
    tpt__pg_copy(c, r, i, 19, a->created_at, sizeof a->created_at);
    tpt__pg_copy(c, r, i, 20, a->patient_name, sizeof a->patient_name);
    tpt__pg_copy(c, r, i, 21, a->practitioner_name, sizeof a->practitioner_name);
    tpt__pg_copy(c, r, i, 22, a->service_name, sizeof a->service_name);
    tpt__pg_copy(c, r, i, 23, a->location_name, sizeof a->location_name);
    tpt__pg_copy(c, r, i, 24, a->language, sizeof a->language);
}

static void appointment_row(tpt__pg *c, PGresult *r, void *out)
{
    appointment_at(c, r, 0, out);
}

static int appointment_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    appointment_at(c, r, i, item);
    return 0;
}

static int appointment_get(tpt__pg *c, int64_t id, tpt_appointment *out, tpt_error *err)
{
    char missing[64];
    snprintf(missing, sizeof missing, "there is no appointment %lld", (long long)id);
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    PGresult *r = tpt__pg_run(c, "SELECT " APPOINTMENT_COLUMNS "WHERE a.id = $1", &p,
                              "reading the appointment", err);
    return r ? tpt__pg_one(c, r, appointment_row, out, missing, err) : FAILED;
}

int tpt__pg_appointment_get(tpt_store *s, int64_t id, tpt_appointment *out, tpt_error *err)
{
    CALL(s, appointment_get(c, id, out, err));
}

static int appointment_list(tpt__pg *c, const tpt_appointment_filter *f, tpt_appointment_list *out,
                            tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, f->clinic);
    tpt__pg_int(&p, f->practitioner);
    tpt__pg_int(&p, f->location);
    tpt__pg_int(&p, f->patient);
    tpt__pg_time(&p, f->from);
    tpt__pg_time(&p, f->to);
    tpt__pg_int(&p, f->cancelled);
    tpt__pg_int(&p, f->limit ? (int64_t)f->limit : TPT_APPOINTMENTS_MAX);
    PGresult *r = tpt__pg_run(
        c,
        "SELECT " APPOINTMENT_COLUMNS "WHERE ($1::bigint <= 0 OR a.clinic_id = $1) "
        "AND ($2::bigint <= 0 OR a.practitioner_id = $2) "
        "AND ($3::bigint <= 0 OR a.location_id = $3) "
        "AND ($4::bigint <= 0 OR a.patient_id = $4) "
        "AND ($5::timestamptz IS NULL OR a.ends > $5) "
        "AND ($6::timestamptz IS NULL OR a.starts < $6) "
        "AND ($7::int <> 0 OR a.status <> 'cancelled') ORDER BY a.starts, a.id LIMIT $8",
        &p, "listing the appointments", err);
    if (!r) return FAILED;
    int rc = tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items,
                          appointment_item, err);
    if (rc) tpt_appointment_list_free(out);
    return rc;
}

int tpt__pg_appointment_list(tpt_store *s, const tpt_appointment_filter *f,
                             tpt_appointment_list *out, tpt_error *err)
{
    CALL(s, appointment_list(c, f, out, err));
}

/* ---- changes ---- */

static int move(tpt__pg *c, const tpt_appointment *a, const char *now, tpt_error *err)
{
    tpt_appointment was;
    int rc;
    if ((rc = appointment_get(c, a->id, &was, err))) return rc;
    if (was.status != TPT_APPOINTMENT_BOOKED)
        return tpt_error_set(err, TPT_ERR_CONFLICT,
                             "only a booked appointment can be moved; it is %s",
                             tpt_appointment_status_name(was.status));
    if ((rc = tpt__pg_check_staff(c, a->practitioner, a->clinic, err)) ||
        (rc = tpt__pg_check_location(c, a->location, a->clinic, err)) ||
        (rc = tpt__pg_check_service(c, a->service, a->clinic, err)) ||
        (rc = lock_practitioner(c, a->practitioner, err)) ||
        (rc = forget_expired_holds(c, now, err)) ||
        (rc = no_hold_over(c, a->practitioner, a->starts, a->ends, NULL, err)) ||
        (rc = no_appointment_over(c, a->practitioner, a->starts, a->ends, a->id, err)))
        return rc;
    tpt__pg_params p = {0};
    tpt__pg_int(&p, a->practitioner);
    tpt__pg_id(&p, a->location);
    tpt__pg_id(&p, a->service);
    tpt__pg_time(&p, a->starts);
    tpt__pg_time(&p, a->ends);
    tpt__pg_text(&p, a->note);
    tpt__pg_int(&p, a->id);
    tpt__pg_int(&p, a->clinic);
    /* still booked: a cancellation that came meanwhile is not undone */
    PGresult *r = tpt__pg_run(c,
                              "UPDATE appointments SET practitioner_id = $1, location_id = $2, "
                              "service_id = $3, starts = $4, ends = $5, note = $6 WHERE id = $7 "
                              "AND clinic_id = $8 AND status = 'booked'",
                              &p, "moving the appointment", err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    if (changed != 1)
        return tpt_error_set(err, TPT_ERR_CONFLICT,
                             "the appointment %lld changed meanwhile: look at it again",
                             (long long)a->id);
    return 0;
}

int tpt__pg_appointment_move(tpt_store *s, const tpt_appointment *a, const char *now,
                             tpt_error *err)
{
    CALL(s, move(c, a, now, err));
}

static int set_status(tpt__pg *c, int64_t id, tpt_appointment_status status, const char *at,
                      bool late, const char *reason, tpt_error *err)
{
    bool cancel = status == TPT_APPOINTMENT_CANCELLED;
    tpt__pg_params p = {0};
    tpt__pg_text(&p, tpt_appointment_status_name(status));
    tpt__pg_int(&p, cancel && late);
    tpt__pg_time(&p, cancel ? at : "");
    tpt__pg_text(&p, cancel && reason ? reason : "");
    tpt__pg_int(&p, id);
    /* one statement: of two racing changes, a cancellation is never undone */
    PGresult *r = tpt__pg_run(c,
                              "UPDATE appointments SET status = $1, late_cancel = $2::int <> 0, "
                              "cancelled_at = $3, reason = $4 WHERE id = $5 AND status <> "
                              "'cancelled'",
                              &p, "changing the appointment", err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    if (changed == 1) return 0;
    tpt_appointment a;
    int rc = appointment_get(c, id, &a, err);
    return rc ? rc
              : tpt_error_set(err, TPT_ERR_CONFLICT,
                              "the appointment is cancelled, and stays so: book a new one");
}

int tpt__pg_appointment_status(tpt_store *s, int64_t id, tpt_appointment_status status,
                               const char *at, bool late, const char *reason, tpt_error *err)
{
    CALL(s, set_status(c, id, status, at, late, reason, err));
}

static int set_visit(tpt__pg *c, int64_t id, int visit, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, visit);
    tpt__pg_int(&p, id);
    PGresult *r = tpt__pg_run(c, "UPDATE appointments SET visit = $1 WHERE id = $2", &p,
                              "tying the visit to the appointment", err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    return changed == 1
               ? 0
               : tpt_error_set(err, TPT_ERR_INPUT, "there is no appointment %lld", (long long)id);
}

int tpt__pg_appointment_set_visit(tpt_store *s, int64_t id, int visit, tpt_error *err)
{
    CALL(s, set_visit(c, id, visit, err));
}

/* ---- holds ---- */

static int hold(tpt__pg *c, const tpt_hold *h, const char *now, tpt_error *err)
{
    int rc;
    if ((rc = tpt__pg_check_staff(c, h->practitioner, h->clinic, err)) ||
        (rc = tpt__pg_check_location(c, h->location, h->clinic, err)) ||
        (rc = tpt__pg_check_service(c, h->service, h->clinic, err)) ||
        (rc = lock_practitioner(c, h->practitioner, err)) ||
        (rc = forget_expired_holds(c, now, err)) ||
        (rc = no_hold_over(c, h->practitioner, h->starts, h->ends, NULL, err)) ||
        (rc = no_appointment_over(c, h->practitioner, h->starts, h->ends, 0, err)))
        return rc;
    tpt__pg_params q = {0};
    tpt__pg_bytes(&q, h->token_hash, TPT_TOKEN_HASH_SIZE);
    tpt__pg_int(&q, h->clinic);
    tpt__pg_int(&q, h->practitioner);
    tpt__pg_id(&q, h->location);
    tpt__pg_id(&q, h->service);
    tpt__pg_time(&q, h->starts);
    tpt__pg_time(&q, h->ends);
    tpt__pg_time(&q, h->expires);
    return tpt__pg_do(c,
                      "INSERT INTO holds (token_hash, clinic_id, practitioner_id, location_id, "
                      "service_id, starts, ends, expires) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                      &q, "holding the time", err);
}

int tpt__pg_hold_add(tpt_store *s, const tpt_hold *h, const char *now, tpt_error *err)
{
    CALL(s, hold(c, h, now, err));
}

static void hold_row(tpt__pg *c, PGresult *r, void *out)
{
    tpt_hold *h = out;
    h->clinic = tpt__pg_int64(c, r, 0, 0);
    h->practitioner = tpt__pg_int64(c, r, 0, 1);
    h->location = tpt__pg_int64(c, r, 0, 2);
    h->service = tpt__pg_int64(c, r, 0, 3);
    tpt__pg_copy(c, r, 0, 4, h->starts, sizeof h->starts);
    tpt__pg_copy(c, r, 0, 5, h->ends, sizeof h->ends);
    tpt__pg_copy(c, r, 0, 6, h->expires, sizeof h->expires);
}

static int hold_find(tpt__pg *c, const uint8_t *token_hash, const char *now, tpt_hold *out,
                     tpt_error *err)
{
    tpt_hold found = {0};
    memcpy(found.token_hash, token_hash, TPT_TOKEN_HASH_SIZE); /* it may point into out */
    tpt__pg_params p = {0};
    tpt__pg_bytes(&p, found.token_hash, TPT_TOKEN_HASH_SIZE);
    tpt__pg_time(&p, now);
    PGresult *r = tpt__pg_run(c,
                              "SELECT clinic_id, practitioner_id, coalesce(location_id, 0), "
                              "coalesce(service_id, 0), tpt_utc_text(starts), tpt_utc_text(ends), "
                              "tpt_utc_text(expires) FROM holds WHERE token_hash = $1 AND "
                              "expires > $2",
                              &p, "finding the held time", err);
    if (!r) return FAILED;
    int rc = tpt__pg_one(c, r, hold_row, &found,
                         "the time was held for a few minutes only and is no longer", err);
    if (!rc) *out = found;
    return rc;
}

int tpt__pg_hold_find(tpt_store *s, const uint8_t *token_hash, const char *now, tpt_hold *out,
                      tpt_error *err)
{
    CALL(s, hold_find(c, token_hash, now, out, err));
}

/* ---- rate limits ---- */

static int rate_hit(tpt__pg *c, const char *key, const char *window, int *hits, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_time(&p, window);
    /* no window is longer than a day */
    int rc = tpt__pg_do(c,
                        "DELETE FROM rate_limits WHERE \"window\" < $1::timestamptz - "
                        "interval '1 day'",
                        &p, "forgetting old counts", err);
    if (rc) return rc;
    tpt__pg_params q = {0};
    tpt__pg_text(&q, key);
    tpt__pg_time(&q, window);
    /* one statement: two instances counting at once both count */
    PGresult *r = tpt__pg_run(
        c,
        "INSERT INTO rate_limits (key, \"window\", hits) VALUES ($1, $2, 1) ON CONFLICT (key) DO "
        "UPDATE SET hits = CASE WHEN rate_limits.\"window\" = excluded.\"window\" THEN "
        "rate_limits.hits + 1 ELSE 1 END, \"window\" = excluded.\"window\" RETURNING hits",
        &q, "counting", err);
    if (!r) return FAILED;
    *hits = (int)tpt__pg_int64(c, r, 0, 0);
    c->pq->clear(r);
    return 0;
}

int tpt__pg_rate_hit(tpt_store *s, const char *key, const char *window, int *hits, tpt_error *err)
{
    CALL(s, rate_hit(c, key, window, hits, err));
}
