/* Appointments, the slots held during online booking and the counters of
 * rate limits, in SQLite. No two appointments of one practitioner overlap:
 * the triggers of schema/010.sql refuse it whoever writes, and each call
 * that books or moves runs in one write transaction with the check of the
 * holds, so what it read is still true when it writes. store/calendar.c
 * has checked the arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite.h"

#define TAKEN "the practitioner has another appointment at that time"
#define HELD                                                                                       \
    "someone is booking that time online just now: choose another, or try again in a few minutes"

/* A step that may break the overlap trigger: that is a conflict, known by
 * the trigger's result code (RAISE(ABORT) in a trigger). */
static int step_booking(tpt__sqlite *c, sqlite3_stmt *st, const char *what, tpt_error *err)
{
    int step = sqlite3_step(st), rc = 0;
    if (step != SQLITE_DONE)
        rc = sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_TRIGGER
                 ? tpt_error_set(err, TPT_ERR_CONFLICT, TAKEN)
                 : tpt__sqlite_fail(c, err, what);
    sqlite3_finalize(st);
    return rc;
}

static int forget_expired_holds(tpt__sqlite *c, const char *now, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "DELETE FROM holds WHERE expires <= ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "forgetting old holds", err);
}

/* TPT_ERR_CONFLICT when a row of `sql` exists for the practitioner over
 * [starts, ends) (?1 practitioner, ?2 starts, ?3 ends, ?4 a hold or an
 * appointment to leave out). */
static int none_over(tpt__sqlite *c, const char *sql, int64_t practitioner, const char *starts,
                     const char *ends, const uint8_t *hold, int64_t appointment, const char *taken,
                     tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, practitioner);
    sqlite3_bind_text(st, 2, starts, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, ends, -1, SQLITE_TRANSIENT);
    if (hold)
        sqlite3_bind_blob(st, 4, hold, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(st, 4, appointment);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = tpt_error_set(err, TPT_ERR_CONFLICT, "%s", taken);
    else if (step != SQLITE_DONE)
        rc = tpt__sqlite_fail(c, err, "reading the calendar");
    sqlite3_finalize(st);
    return rc;
}

#define HOLDS_OVER                                                                                 \
    "SELECT 1 FROM holds WHERE practitioner_id = ?1 AND starts < ?3 AND ends > ?2 AND "            \
    "(?4 IS NULL OR token_hash != ?4)"
#define APPOINTMENTS_OVER                                                                          \
    "SELECT 1 FROM appointments WHERE practitioner_id = ?1 AND status != 'cancelled' AND "         \
    "starts < ?3 AND ends > ?2 AND id != ?4"

/* What an appointment names is its clinic's. */
static int of_its_clinic(tpt__sqlite *c, const tpt_appointment *a, tpt_error *err)
{
    int rc;
    if ((rc = tpt__sqlite_check_patient(c, a->patient, a->clinic, err)) ||
        (rc = tpt__sqlite_check_staff(c, a->practitioner, a->clinic, err)) ||
        (rc = tpt__sqlite_check_location(c, a->location, a->clinic, err)))
        return rc;
    return tpt__sqlite_check_service(c, a->service, a->clinic, err);
}

/* The hold a booking takes: it must be live and for the same time and practitioner. */
static int the_hold(tpt__sqlite *c, const tpt_appointment *a, const uint8_t *hold, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT 1 FROM holds WHERE token_hash = ? AND practitioner_id = ? "
                                 "AND starts = ? AND ends = ?",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, hold, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, a->practitioner);
    sqlite3_bind_text(st, 3, a->starts, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, a->ends, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE)
        rc = tpt_error_set(err, TPT_ERR_CONFLICT,
                           "the time was held for a few minutes only and is no longer: choose a "
                           "time again");
    else if (step != SQLITE_ROW)
        rc = tpt__sqlite_fail(c, err, "finding the held time");
    sqlite3_finalize(st);
    return rc;
}

static int add(tpt__sqlite *c, const tpt_appointment *a, const uint8_t *hold, const char *now,
               int64_t *id, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc;
    if ((rc = of_its_clinic(c, a, err)) || (rc = forget_expired_holds(c, now, err)) ||
        (hold && (rc = the_hold(c, a, hold, err))) ||
        (rc = none_over(c, HOLDS_OVER, a->practitioner, a->starts, a->ends, hold, 0, HELD, err)) ||
        (rc = tpt__sqlite_prepare(
             c,
             "INSERT INTO appointments (clinic_id, patient_id, practitioner_id, location_id, "
             "service_id, starts, ends, status, note, series_id, course_visit, reassessment, "
             "source, created_by, created_at, language) VALUES (?, ?, ?, ?, ?, ?, ?, 'booked', ?, "
             "?, ?, ?, ?, ?, ?, ?)",
             &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, a->clinic);
    sqlite3_bind_int64(st, 2, a->patient);
    sqlite3_bind_int64(st, 3, a->practitioner);
    tpt__sqlite_bind_id(st, 4, a->location);
    tpt__sqlite_bind_id(st, 5, a->service);
    sqlite3_bind_text(st, 6, a->starts, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, a->ends, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, a->note, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 9, a->series);
    sqlite3_bind_int(st, 10, a->course_visit);
    sqlite3_bind_int(st, 11, a->reassessment);
    sqlite3_bind_text(st, 12, a->source, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 13, a->created_by);
    sqlite3_bind_text(st, 14, a->created_at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 15, a->language, -1, SQLITE_TRANSIENT);
    if ((rc = step_booking(c, st, "booking the appointment", err))) return rc;
    int64_t made = sqlite3_last_insert_rowid(c->db);
    if (a->series < 0) { /* the first of a new series names itself */
        if ((rc = tpt__sqlite_prepare(c, "UPDATE appointments SET series_id = id WHERE id = ?", &st,
                                      err)))
            return rc;
        sqlite3_bind_int64(st, 1, made);
        if ((rc = tpt__sqlite_run(c, st, "starting the series", err))) return rc;
    }
    if (hold) {
        if ((rc = tpt__sqlite_prepare(c, "DELETE FROM holds WHERE token_hash = ?", &st, err)))
            return rc;
        sqlite3_bind_blob(st, 1, hold, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
        if ((rc = tpt__sqlite_run(c, st, "using the held time", err))) return rc;
    }
    if (id) *id = made;
    return 0;
}

int tpt__sqlite_appointment_add(tpt_store *s, const tpt_appointment *a, const uint8_t *hold,
                                const char *now, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    int rc = tpt__sqlite_atomic_begin(c, err);
    return rc ? rc : tpt__sqlite_atomic_end(c, add(c, a, hold, now, id, err), err);
}

/* ---- reading ---- */

#define APPOINTMENT_COLUMNS                                                                        \
    "a.id, a.clinic_id, a.patient_id, a.practitioner_id, coalesce(a.location_id, 0), "             \
    "coalesce(a.service_id, 0), a.starts, a.ends, a.status, a.late_cancel, a.cancelled_at, "       \
    "a.reason, a.note, coalesce(a.series_id, 0), a.course_visit, a.reassessment, a.visit, "        \
    "a.source, coalesce(a.created_by, 0), a.created_at, p.name, u.name, coalesce(s.name, ''), "    \
    "coalesce(l.name, ''), a.language FROM appointments a JOIN patients p ON p.id = a.patient_id " \
    "JOIN users u ON u.id = a.practitioner_id LEFT JOIN services s ON s.id = a.service_id "        \
    "LEFT JOIN locations l ON l.id = a.location_id "

static void appointment_row(sqlite3_stmt *st, void *item)
{
    tpt_appointment *a = item;
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    a->clinic = sqlite3_column_int64(st, 1);
    a->patient = sqlite3_column_int64(st, 2);
    a->practitioner = sqlite3_column_int64(st, 3);
    a->location = sqlite3_column_int64(st, 4);
    a->service = sqlite3_column_int64(st, 5);
    tpt__sqlite_copy(st, 6, a->starts, sizeof a->starts);
    tpt__sqlite_copy(st, 7, a->ends, sizeof a->ends);
    if (tpt_appointment_status_parse((const char *)sqlite3_column_text(st, 8), &a->status) != 0)
        a->status = TPT_APPOINTMENT_BOOKED;
    a->late_cancel = sqlite3_column_int(st, 9);
    tpt__sqlite_copy(st, 10, a->cancelled_at, sizeof a->cancelled_at);
    tpt__sqlite_copy(st, 11, a->reason, sizeof a->reason);
    tpt__sqlite_copy(st, 12, a->note, sizeof a->note);
    a->series = sqlite3_column_int64(st, 13);
    a->course_visit = sqlite3_column_int(st, 14);
    a->reassessment = sqlite3_column_int(st, 15);
    a->visit = sqlite3_column_int(st, 16);
    tpt__sqlite_copy(st, 17, a->source, sizeof a->source);
    a->created_by = sqlite3_column_int64(st, 18);
    tpt__sqlite_copy(st, 19, a->created_at, sizeof a->created_at);
    tpt__sqlite_copy(st, 20, a->patient_name, sizeof a->patient_name);
    tpt__sqlite_copy(st, 21, a->practitioner_name, sizeof a->practitioner_name);
    tpt__sqlite_copy(st, 22, a->service_name, sizeof a->service_name);
    tpt__sqlite_copy(st, 23, a->location_name, sizeof a->location_name);
    tpt__sqlite_copy(st, 24, a->language, sizeof a->language);
}

static int appointment_item(sqlite3_stmt *st, void *item)
{
    appointment_row(st, item);
    return 0;
}

int tpt__sqlite_appointment_get(tpt_store *s, int64_t id, tpt_appointment *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    char missing[64];
    snprintf(missing, sizeof missing, "there is no appointment %lld", (long long)id);
    int rc = tpt__sqlite_prepare(c, "SELECT " APPOINTMENT_COLUMNS "WHERE a.id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    return tpt__sqlite_one(c, st, appointment_row, out, missing, "reading the appointment", err);
}

int tpt__sqlite_appointment_list(tpt_store *s, const tpt_appointment_filter *f,
                                 tpt_appointment_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c,
        "SELECT " APPOINTMENT_COLUMNS
        "WHERE (?1 <= 0 OR a.clinic_id = ?1) AND (?2 <= 0 OR a.practitioner_id = ?2) "
        "AND (?3 <= 0 OR a.location_id = ?3) AND (?4 <= 0 OR a.patient_id = ?4) "
        "AND (?5 = '' OR a.ends > ?5) AND (?6 = '' OR a.starts < ?6) "
        "AND (?7 OR a.status != 'cancelled') ORDER BY a.starts, a.id LIMIT ?8",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, f->clinic);
    sqlite3_bind_int64(st, 2, f->practitioner);
    sqlite3_bind_int64(st, 3, f->location);
    sqlite3_bind_int64(st, 4, f->patient);
    sqlite3_bind_text(st, 5, f->from ? f->from : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, f->to ? f->to : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 7, f->cancelled);
    sqlite3_bind_int64(st, 8, f->limit ? (sqlite3_int64)f->limit : TPT_APPOINTMENTS_MAX);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items,
                          appointment_item, "listing the appointments", err);
    if (rc) tpt_appointment_list_free(out);
    return rc;
}

/* ---- changes ---- */

/* The appointment's status now: 0, or TPT_ERR_INPUT when there is none. */
static int status_of(tpt__sqlite *c, int64_t id, tpt_appointment_status *status, tpt_error *err)
{
    tpt_appointment a;
    sqlite3_stmt *st;
    char missing[64];
    snprintf(missing, sizeof missing, "there is no appointment %lld", (long long)id);
    int rc = tpt__sqlite_prepare(c, "SELECT " APPOINTMENT_COLUMNS "WHERE a.id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = tpt__sqlite_one(c, st, appointment_row, &a, missing, "reading the appointment", err);
    if (!rc) *status = a.status;
    return rc;
}

static int move(tpt__sqlite *c, const tpt_appointment *a, const char *now, tpt_error *err)
{
    tpt_appointment_status status;
    sqlite3_stmt *st;
    int rc;
    if ((rc = status_of(c, a->id, &status, err))) return rc;
    if (status != TPT_APPOINTMENT_BOOKED)
        return tpt_error_set(err, TPT_ERR_CONFLICT,
                             "only a booked appointment can be moved; it "
                             "is %s",
                             tpt_appointment_status_name(status));
    if ((rc = tpt__sqlite_check_staff(c, a->practitioner, a->clinic, err)) ||
        (rc = tpt__sqlite_check_location(c, a->location, a->clinic, err)) ||
        (rc = tpt__sqlite_check_service(c, a->service, a->clinic, err)) ||
        (rc = forget_expired_holds(c, now, err)) ||
        (rc = none_over(c, HOLDS_OVER, a->practitioner, a->starts, a->ends, NULL, 0, HELD, err)) ||
        (rc = tpt__sqlite_prepare(c,
                                  "UPDATE appointments SET practitioner_id = ?, location_id = ?, "
                                  "service_id = ?, starts = ?, ends = ?, note = ? WHERE id = ? "
                                  "AND clinic_id = ?",
                                  &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, a->practitioner);
    tpt__sqlite_bind_id(st, 2, a->location);
    tpt__sqlite_bind_id(st, 3, a->service);
    sqlite3_bind_text(st, 4, a->starts, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, a->ends, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, a->note, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, a->id);
    sqlite3_bind_int64(st, 8, a->clinic);
    if ((rc = step_booking(c, st, "moving the appointment", err))) return rc;
    if (sqlite3_changes(c->db) != 1)
        return tpt_error_set(err, TPT_ERR_INPUT, "there is no appointment %lld in the clinic",
                             (long long)a->id);
    return 0;
}

int tpt__sqlite_appointment_move(tpt_store *s, const tpt_appointment *a, const char *now,
                                 tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    int rc = tpt__sqlite_atomic_begin(c, err);
    return rc ? rc : tpt__sqlite_atomic_end(c, move(c, a, now, err), err);
}

int tpt__sqlite_appointment_status(tpt_store *s, int64_t id, tpt_appointment_status status,
                                   const char *at, bool late, const char *reason, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    bool cancel = status == TPT_APPOINTMENT_CANCELLED;
    /* one statement: of two racing changes, a cancellation is never undone */
    int rc = tpt__sqlite_prepare(c,
                                 "UPDATE appointments SET status = ?, late_cancel = ?, "
                                 "cancelled_at = ?, reason = ? WHERE id = ? AND status != "
                                 "'cancelled'",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, tpt_appointment_status_name(status), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, cancel && late);
    sqlite3_bind_text(st, 3, cancel ? at : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, cancel ? reason : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, id);
    if ((rc = step_booking(c, st, "changing the appointment", err))) return rc;
    if (sqlite3_changes(c->db) == 1) return 0;
    tpt_appointment_status now;
    if ((rc = status_of(c, id, &now, err))) return rc;
    return tpt_error_set(err, TPT_ERR_CONFLICT,
                         "the appointment is cancelled, and stays so: book a new one");
}

int tpt__sqlite_appointment_set_visit(tpt_store *s, int64_t id, int visit, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "UPDATE appointments SET visit = ? WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, visit);
    sqlite3_bind_int64(st, 2, id);
    if ((rc = tpt__sqlite_run(c, st, "tying the visit to the appointment", err))) return rc;
    if (sqlite3_changes(c->db) != 1)
        return tpt_error_set(err, TPT_ERR_INPUT, "there is no appointment %lld", (long long)id);
    return 0;
}

/* ---- holds ---- */

static int hold(tpt__sqlite *c, const tpt_hold *h, const char *now, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc;
    if ((rc = tpt__sqlite_check_staff(c, h->practitioner, h->clinic, err)) ||
        (rc = tpt__sqlite_check_location(c, h->location, h->clinic, err)) ||
        (rc = tpt__sqlite_check_service(c, h->service, h->clinic, err)) ||
        (rc = forget_expired_holds(c, now, err)) ||
        (rc = none_over(c, HOLDS_OVER, h->practitioner, h->starts, h->ends, NULL, 0, HELD, err)) ||
        (rc = none_over(c, APPOINTMENTS_OVER, h->practitioner, h->starts, h->ends, NULL, 0, TAKEN,
                        err)) ||
        (rc = tpt__sqlite_prepare(c,
                                  "INSERT INTO holds (token_hash, clinic_id, practitioner_id, "
                                  "location_id, service_id, starts, ends, expires) VALUES (?, ?, "
                                  "?, ?, ?, ?, ?, ?)",
                                  &st, err)))
        return rc;
    sqlite3_bind_blob(st, 1, h->token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, h->clinic);
    sqlite3_bind_int64(st, 3, h->practitioner);
    tpt__sqlite_bind_id(st, 4, h->location);
    tpt__sqlite_bind_id(st, 5, h->service);
    sqlite3_bind_text(st, 6, h->starts, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, h->ends, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, h->expires, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "holding the time", err);
}

int tpt__sqlite_hold_add(tpt_store *s, const tpt_hold *h, const char *now, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    int rc = tpt__sqlite_atomic_begin(c, err);
    return rc ? rc : tpt__sqlite_atomic_end(c, hold(c, h, now, err), err);
}

static void hold_row(sqlite3_stmt *st, void *item)
{
    tpt_hold *h = item;
    h->clinic = sqlite3_column_int64(st, 0);
    h->practitioner = sqlite3_column_int64(st, 1);
    h->location = sqlite3_column_int64(st, 2);
    h->service = sqlite3_column_int64(st, 3);
    tpt__sqlite_copy(st, 4, h->starts, sizeof h->starts);
    tpt__sqlite_copy(st, 5, h->ends, sizeof h->ends);
    tpt__sqlite_copy(st, 6, h->expires, sizeof h->expires);
}

int tpt__sqlite_hold_find(tpt_store *s, const uint8_t *token_hash, const char *now, tpt_hold *out,
                          tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    tpt_hold found = {0};
    memcpy(found.token_hash, token_hash, TPT_TOKEN_HASH_SIZE); /* it may point into out */
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT clinic_id, practitioner_id, coalesce(location_id, 0), "
                                 "coalesce(service_id, 0), starts, ends, expires FROM holds "
                                 "WHERE token_hash = ? AND expires > ?",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, found.token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    rc = tpt__sqlite_one(c, st, hold_row, &found,
                         "the time was held for a few minutes only and is no longer",
                         "finding the held time", err);
    if (!rc) *out = found;
    return rc;
}

/* ---- rate limits ---- */

static void hits_row(sqlite3_stmt *st, void *out)
{
    *(int *)out = sqlite3_column_int(st, 0);
}

static int rate_hit(tpt__sqlite *c, const char *key, const char *window, int *hits, tpt_error *err)
{
    sqlite3_stmt *st;
    int64_t w;
    char old[TPT_TIME_MAX];
    tpt_time_parse(window, &w);
    tpt_time_format(w - 86400, old); /* no window is longer than a day */
    int rc = tpt__sqlite_prepare(c, "DELETE FROM rate_limits WHERE window < ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, old, -1, SQLITE_TRANSIENT);
    if ((rc = tpt__sqlite_run(c, st, "forgetting old counts", err)) ||
        (rc = tpt__sqlite_prepare(
             c,
             "INSERT INTO rate_limits (key, window, hits) VALUES (?1, ?2, 1) ON CONFLICT (key) DO "
             "UPDATE SET hits = CASE WHEN window = excluded.window THEN hits + 1 ELSE 1 END, "
             "window = excluded.window RETURNING hits",
             &st, err)))
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, window, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_one(c, st, hits_row, hits, "", "counting", err);
}

int tpt__sqlite_rate_hit(tpt_store *s, const char *key, const char *window, int *hits,
                         tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    int rc = tpt__sqlite_atomic_begin(c, err);
    return rc ? rc : tpt__sqlite_atomic_end(c, rate_hit(c, key, window, hits, err), err);
}
