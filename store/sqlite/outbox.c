/* The outbox of emails, intake links and calendar feeds, in SQLite.
 *
 * A message is claimed for sending in one statement (state sending, with a
 * lease and one more attempt), so that two senders never take the same
 * one; a sender that dies leaves it claimed until the lease runs out, and
 * the next sender takes it again: a crash between queueing and sending
 * sends it once, later. store/calendar.c has checked the arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite.h"

/* ---- messages ---- */

int tpt__sqlite_message_add(tpt_store *s, const tpt_message *m, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO outbox (clinic_id, patient_id, appointment_id, kind, "
                                 "state, recipient, subject, body, links, due, expires, "
                                 "created_at) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, m->clinic);
    tpt__sqlite_bind_id(st, 2, m->patient);
    tpt__sqlite_bind_id(st, 3, m->appointment);
    sqlite3_bind_text(st, 4, tpt_message_kind_name(m->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, m->to, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, m->subject, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, m->body, -1, SQLITE_TRANSIENT);
    if (m->links && *m->links)
        sqlite3_bind_text(st, 8, m->links, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 8);
    sqlite3_bind_text(st, 9, m->due, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 10, m->expires, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 11, m->created_at, -1, SQLITE_TRANSIENT);
    if ((rc = tpt__sqlite_run(c, st, "queueing the message", err))) return rc;
    if (id) *id = sqlite3_last_insert_rowid(c->db);
    return 0;
}

int tpt__sqlite_message_drop(tpt_store *s, int64_t appointment, tpt_message_kind kind,
                             tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "UPDATE outbox SET state = 'dropped', links = NULL WHERE "
                                 "appointment_id = ? AND kind = ? AND state = 'queued'",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, appointment);
    sqlite3_bind_text(st, 2, tpt_message_kind_name(kind), -1, SQLITE_STATIC);
    return tpt__sqlite_run(c, st, "dropping the message", err);
}

#define MESSAGE_COLUMNS                                                                            \
    "o.id, o.clinic_id, coalesce(o.patient_id, 0), coalesce(o.appointment_id, 0), o.kind, "        \
    "o.state, o.recipient, o.subject, o.body, o.links, o.due, o.expires, o.attempts, "             \
    "o.next_attempt, o.lease, o.error, o.sent_at, o.created_at, coalesce(p.name, '') "

static int message_item(sqlite3_stmt *st, void *item)
{
    tpt_message *m = item;
    m->id = sqlite3_column_int64(st, 0);
    m->clinic = sqlite3_column_int64(st, 1);
    m->patient = sqlite3_column_int64(st, 2);
    m->appointment = sqlite3_column_int64(st, 3);
    if (tpt_message_kind_parse((const char *)sqlite3_column_text(st, 4), &m->kind) != 0)
        m->kind = TPT_MESSAGE_CONFIRMATION;
    if (tpt_message_state_parse((const char *)sqlite3_column_text(st, 5), &m->state) != 0)
        m->state = TPT_MESSAGE_FAILED;
    tpt__sqlite_copy(st, 6, m->to, sizeof m->to);
    tpt__sqlite_copy(st, 7, m->subject, sizeof m->subject);
    m->body = tpt__sqlite_text(st, 8);
    m->links = tpt__sqlite_text(st, 9);
    tpt__sqlite_copy(st, 10, m->due, sizeof m->due);
    tpt__sqlite_copy(st, 11, m->expires, sizeof m->expires);
    m->attempts = sqlite3_column_int(st, 12);
    tpt__sqlite_copy(st, 13, m->next_attempt, sizeof m->next_attempt);
    tpt__sqlite_copy(st, 14, m->lease, sizeof m->lease);
    tpt__sqlite_copy(st, 15, m->error, sizeof m->error);
    tpt__sqlite_copy(st, 16, m->sent_at, sizeof m->sent_at);
    tpt__sqlite_copy(st, 17, m->created_at, sizeof m->created_at);
    tpt__sqlite_copy(st, 18, m->patient_name, sizeof m->patient_name);
    if (!m->body || (!m->links && sqlite3_column_type(st, 9) != SQLITE_NULL)) return -1;
    return 0;
}

static int claim(tpt__sqlite *c, const char *now, const char *lease, bool any_relay, size_t max,
                 tpt_message_list *out, tpt_error *err)
{
    sqlite3_stmt *st;
    /* what was due before its appointment and could not go by then never will */
    int rc = tpt__sqlite_prepare(
        c,
        "UPDATE outbox SET state = 'failed', links = NULL, lease = '', error = CASE WHEN error = "
        "'' THEN 'its time passed before it could be sent' ELSE error END WHERE state IN "
        "('queued', 'sending') AND expires <= ?1 AND (state = 'queued' OR lease <= ?1)",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
    if ((rc = tpt__sqlite_run(c, st, "expiring old messages", err)) ||
        (rc = tpt__sqlite_prepare(
             c,
             "UPDATE outbox SET state = 'sending', lease = ?2, attempts = attempts + 1 WHERE id IN "
             "(SELECT id FROM outbox WHERE ((state = 'queued' AND due <= ?1 AND next_attempt <= "
             "?1) OR (state = 'sending' AND lease <= ?1)) AND recipient != '' AND (?3 OR "
             "clinic_id IN (SELECT clinic_id FROM clinic_profiles WHERE smtp_url != '')) ORDER BY "
             "due, id LIMIT ?4) RETURNING id",
             &st, err)))
        return rc;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, lease, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, any_relay);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)max);
    int64_t ids[100];
    size_t n = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && n < max)
        ids[n++] = sqlite3_column_int64(st, 0);
    rc = step == SQLITE_DONE || step == SQLITE_ROW ? 0
                                                   : tpt__sqlite_fail(c, err, "claiming messages");
    sqlite3_finalize(st);
    if (rc) return rc;
    if (!n) return 0;
    if (!(out->items = calloc(n, sizeof *out->items)))
        return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n && !rc; i++) {
        rc = tpt__sqlite_message_get(&c->base, ids[i], &out->items[i], err);
        if (!rc) out->count++;
    }
    return rc;
}

int tpt__sqlite_message_claim(tpt_store *s, const char *now, const char *lease, bool any_relay,
                              size_t max, tpt_message_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    int rc = tpt__sqlite_atomic_begin(c, err);
    if (!rc) rc = tpt__sqlite_atomic_end(c, claim(c, now, lease, any_relay, max, out, err), err);
    if (rc) tpt_message_list_free(out);
    return rc;
}

int tpt__sqlite_message_settle(tpt_store *s, int64_t id, tpt_message_state state, const char *at,
                               const char *error, const char *retry, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    static const char *const sql[] = {
        [TPT_MESSAGE_SENT] = "UPDATE outbox SET state = 'sent', sent_at = ?2, error = '', "
                             "links = NULL, lease = '' WHERE id = ?1 AND state IN ('sending', "
                             "'queued')",
        [TPT_MESSAGE_FAILED] = "UPDATE outbox SET state = 'failed', error = ?3, links = NULL, "
                               "lease = '' WHERE id = ?1 AND state IN ('sending', 'queued')",
        [TPT_MESSAGE_QUEUED] = "UPDATE outbox SET state = 'queued', error = ?3, next_attempt = "
                               "?4, lease = '' WHERE id = ?1 AND state IN ('sending', 'queued')",
        [TPT_MESSAGE_HANDLED] = "UPDATE outbox SET state = 'handled', sent_at = ?2, links = NULL, "
                                "lease = '' WHERE id = ?1 AND state IN ('queued', 'failed')",
    };
    int rc = tpt__sqlite_prepare(c, sql[state], &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, error, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, retry, -1, SQLITE_TRANSIENT);
    if ((rc = tpt__sqlite_run(c, st, "settling the message", err))) return rc;
    if (sqlite3_changes(c->db) == 1) return 0;
    tpt_message m;
    if ((rc = tpt__sqlite_message_get(s, id, &m, err))) return rc;
    tpt_message_state was = m.state;
    free(m.body);
    free(m.links);
    return tpt_error_set(err, TPT_ERR_CONFLICT, "the message is %s already",
                         tpt_message_state_name(was));
}

int tpt__sqlite_message_get(tpt_store *s, int64_t id, tpt_message *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    tpt_message_list list = {0};
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT " MESSAGE_COLUMNS
                                 "FROM outbox o LEFT JOIN patients p ON p.id = o.patient_id "
                                 "WHERE o.id = ?",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = tpt__sqlite_rows(c, st, (void **)&list.items, &list.count, sizeof *list.items,
                               message_item, "reading the message", err))) {
        tpt_message_list_free(&list);
        return rc;
    }
    if (!list.count)
        return tpt_error_set(err, TPT_ERR_INPUT, "there is no message %lld", (long long)id);
    *out = list.items[0];
    free(list.items); /* the body and links go with *out */
    return 0;
}

int tpt__sqlite_message_list(tpt_store *s, int64_t clinic, int64_t patient, unsigned states,
                             size_t limit, tpt_message_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c,
        "SELECT " MESSAGE_COLUMNS "FROM outbox o LEFT JOIN patients p ON p.id = o.patient_id "
        "WHERE o.clinic_id = ?1 AND (?2 <= 0 OR o.patient_id = ?2) AND (?3 >> CASE o.state "
        "WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 WHEN 'failed' THEN 3 "
        "WHEN 'dropped' THEN 4 ELSE 5 END) & 1 ORDER BY o.due DESC, o.id DESC LIMIT ?4",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
    sqlite3_bind_int64(st, 2, patient);
    sqlite3_bind_int64(st, 3, states);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)limit);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items,
                          message_item, "listing the messages", err);
    if (rc) tpt_message_list_free(out);
    return rc;
}

/* ---- intake ---- */

int tpt__sqlite_intake_add(tpt_store *s, const tpt_intake *i, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO intakes (appointment_id, token_hash, patient_id, "
                                 "clinic_id, expires, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, i->appointment);
    sqlite3_bind_blob(st, 2, i->token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, i->patient);
    sqlite3_bind_int64(st, 4, i->clinic);
    sqlite3_bind_text(st, 5, i->expires, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, i->created_at, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE)
        rc = 0;
    else if ((sqlite3_extended_errcode(c->db) & 0xff) == SQLITE_CONSTRAINT)
        rc = tpt_error_set(err, TPT_ERR_CONFLICT, "the appointment has an intake link already");
    else
        rc = tpt__sqlite_fail(c, err, "keeping the intake link");
    sqlite3_finalize(st);
    return rc;
}

#define INTAKE_COLUMNS                                                                             \
    "appointment_id, token_hash, patient_id, clinic_id, expires, subjective, subjective_at, "      \
    "coalesce(drawing_id, 0), measures, created_at FROM intakes "

static int intake_item(sqlite3_stmt *st, void *item)
{
    tpt_intake *i = item;
    i->appointment = sqlite3_column_int64(st, 0);
    if (sqlite3_column_bytes(st, 1) == TPT_TOKEN_HASH_SIZE)
        memcpy(i->token_hash, sqlite3_column_blob(st, 1), TPT_TOKEN_HASH_SIZE);
    i->patient = sqlite3_column_int64(st, 2);
    i->clinic = sqlite3_column_int64(st, 3);
    tpt__sqlite_copy(st, 4, i->expires, sizeof i->expires);
    i->subjective = tpt__sqlite_text(st, 5);
    tpt__sqlite_copy(st, 6, i->subjective_at, sizeof i->subjective_at);
    i->drawing = sqlite3_column_int64(st, 7);
    i->measures = sqlite3_column_int(st, 8);
    tpt__sqlite_copy(st, 9, i->created_at, sizeof i->created_at);
    return !i->subjective && sqlite3_column_type(st, 5) != SQLITE_NULL ? -1 : 0;
}

/* The one intake of a statement already bound; TPT_ERR_INPUT when none. */
static int one_intake(tpt__sqlite *c, sqlite3_stmt *st, tpt_intake *out, tpt_error *err)
{
    int step = sqlite3_step(st), rc = 0;
    if (step == SQLITE_ROW)
        rc = intake_item(st, out) ? tpt_error_set(err, TPT_ERR_NOMEM, "out of memory") : 0;
    else if (step == SQLITE_DONE)
        rc = tpt_error_set(err, TPT_ERR_INPUT, "no such intake link");
    else
        rc = tpt__sqlite_fail(c, err, "finding the intake link");
    sqlite3_finalize(st);
    return rc;
}

int tpt__sqlite_intake_find(tpt_store *s, const uint8_t *token_hash, tpt_intake *out,
                            tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    uint8_t hash[TPT_TOKEN_HASH_SIZE];
    memcpy(hash, token_hash, sizeof hash); /* it may point into out */
    int rc = tpt__sqlite_prepare(c, "SELECT " INTAKE_COLUMNS "WHERE token_hash = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    return one_intake(c, st, out, err);
}

int tpt__sqlite_intake_get(tpt_store *s, int64_t appointment, tpt_intake *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "SELECT " INTAKE_COLUMNS "WHERE appointment_id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, appointment);
    return one_intake(c, st, out, err);
}

int tpt__sqlite_intake_update(tpt_store *s, int64_t appointment, const char *subjective,
                              int64_t drawing, bool measure, const char *at, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c,
        "UPDATE intakes SET subjective = coalesce(?2, subjective), subjective_at = CASE WHEN ?2 "
        "IS NULL THEN subjective_at ELSE ?5 END, drawing_id = CASE WHEN ?3 > 0 THEN ?3 ELSE "
        "drawing_id END, measures = measures + ?4 WHERE appointment_id = ?1",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, appointment);
    if (subjective)
        sqlite3_bind_text(st, 2, subjective, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_int64(st, 3, drawing);
    sqlite3_bind_int(st, 4, measure);
    sqlite3_bind_text(st, 5, at, -1, SQLITE_TRANSIENT);
    if ((rc = tpt__sqlite_run(c, st, "keeping the intake", err))) return rc;
    if (sqlite3_changes(c->db) != 1)
        return tpt_error_set(err, TPT_ERR_INPUT, "no intake of appointment %lld",
                             (long long)appointment);
    return 0;
}

/* ---- feeds ---- */

static void feed_row(sqlite3_stmt *st, void *item)
{
    tpt_feed *f = item;
    memset(f, 0, sizeof *f);
    f->patient = sqlite3_column_int64(st, 0);
    if (sqlite3_column_bytes(st, 1) == TPT_TOKEN_HASH_SIZE)
        memcpy(f->token_hash, sqlite3_column_blob(st, 1), TPT_TOKEN_HASH_SIZE);
    f->live = sqlite3_column_int(st, 2);
    /* the session times as "480,1080" */
    const char *times = (const char *)sqlite3_column_text(st, 3);
    for (char *end; times && *times && f->nsessions < TPT_FEED_TIMES_MAX; times = end) {
        f->session_minutes[f->nsessions++] = (int)strtol(times, &end, 10);
        if (end == times) break;
        if (*end == ',') end++;
    }
    f->check_minute = sqlite3_column_int(st, 4);
    tpt__sqlite_copy(st, 5, f->created_at, sizeof f->created_at);
    f->clinic = sqlite3_column_int64(st, 6);
}

#define FEED_COLUMNS                                                                               \
    "patient_id, token_hash, live, sessions, check_minute, created_at, "                           \
    "(SELECT coalesce(clinic_id, 0) FROM patients WHERE id = patient_id) FROM feeds "

int tpt__sqlite_feed_get(tpt_store *s, int64_t patient, tpt_feed *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "SELECT " FEED_COLUMNS "WHERE patient_id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    return tpt__sqlite_one(c, st, feed_row, out, "no calendar feed", "reading the feed", err);
}

int tpt__sqlite_feed_find(tpt_store *s, const uint8_t *token_hash, tpt_feed *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    uint8_t hash[TPT_TOKEN_HASH_SIZE];
    memcpy(hash, token_hash, sizeof hash);
    int rc = tpt__sqlite_prepare(c, "SELECT " FEED_COLUMNS "WHERE token_hash = ? AND live = 1", &st,
                                 err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    return tpt__sqlite_one(c, st, feed_row, out, "no such calendar feed", "finding the feed", err);
}

int tpt__sqlite_feed_save(tpt_store *s, const tpt_feed *f, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    char times[64] = "";
    for (int i = 0; i < f->nsessions; i++)
        snprintf(times + strlen(times), sizeof times - strlen(times), "%s%d", i ? "," : "",
                 f->session_minutes[i]);
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT OR REPLACE INTO feeds (patient_id, token_hash, live, "
                                 "sessions, check_minute, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, f->patient);
    sqlite3_bind_blob(st, 2, f->token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, f->live);
    sqlite3_bind_text(st, 4, times, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, f->check_minute);
    sqlite3_bind_text(st, 6, f->created_at, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "keeping the feed", err);
}
