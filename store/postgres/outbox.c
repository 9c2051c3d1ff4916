/* The outbox of emails, intake links and calendar feeds, in PostgreSQL.
 *
 * A message is claimed for sending in one statement (state sending, with a
 * lease and one more attempt) whose rows are taken FOR UPDATE SKIP LOCKED:
 * two instances claiming at once take different messages, and one that comes
 * after sees the lease of the first. A sender that dies leaves its messages
 * claimed until the lease runs out; the next sender takes them again. An
 * intake link and a feed are found by their secret token before anyone is
 * signed in: the token is named to the row-level policy for that one
 * statement (schema/014.sql). store/calendar.c has checked the arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postgres.h"

/* ---- messages ---- */

static int message_add(tpt__pg *c, const tpt_message *m, int64_t *id, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, m->clinic);
    tpt__pg_id(&p, m->patient);
    tpt__pg_id(&p, m->appointment);
    tpt__pg_text(&p, tpt_message_kind_name(m->kind));
    tpt__pg_text(&p, m->to);
    tpt__pg_text(&p, m->subject);
    tpt__pg_text(&p, m->body);
    tpt__pg_text(&p, m->links && *m->links ? m->links : NULL);
    tpt__pg_time(&p, m->due);
    tpt__pg_time(&p, m->expires);
    tpt__pg_time(&p, m->created_at);
    PGresult *r = tpt__pg_run(c,
                              "INSERT INTO outbox (clinic_id, patient_id, appointment_id, kind, "
                              "state, recipient, subject, body, links, due, expires, created_at) "
                              "VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, $9, $10, $11) "
                              "RETURNING id",
                              &p, "queueing the message", err);
    if (!r) return FAILED;
    if (id) *id = tpt__pg_int64(c, r, 0, 0);
    c->pq->clear(r);
    return 0;
}

int tpt__pg_message_add(tpt_store *s, const tpt_message *m, int64_t *id, tpt_error *err)
{
    CALL(s, message_add(c, m, id, err));
}

int tpt__pg_message_drop(tpt_store *s, int64_t appointment, tpt_message_kind kind, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, appointment);
    tpt__pg_text(&p, tpt_message_kind_name(kind));
    CALL(s, tpt__pg_do(c,
                       "UPDATE outbox SET state = 'dropped', links = NULL WHERE "
                       "appointment_id = $1 AND kind = $2 AND state = 'queued'",
                       &p, "dropping the message", err));
}

#define MESSAGE_FIELDS                                                                             \
    "o.id, o.clinic_id, coalesce(o.patient_id, 0), coalesce(o.appointment_id, 0), o.kind, "        \
    "o.state, o.recipient, o.subject, o.body, o.links, tpt_utc_text(o.due), "                      \
    "tpt_utc_text(o.expires), o.attempts, tpt_utc_text(o.next_attempt), tpt_utc_text(o.lease), "   \
    "o.error, tpt_utc_text(o.sent_at), tpt_utc_text(o.created_at), coalesce(p.name, '') "
#define MESSAGE_COLUMNS MESSAGE_FIELDS "FROM outbox o LEFT JOIN patients p ON p.id = o.patient_id "

static int message_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_message *m = item;
    m->id = tpt__pg_int64(c, r, i, 0);
    m->clinic = tpt__pg_int64(c, r, i, 1);
    m->patient = tpt__pg_int64(c, r, i, 2);
    m->appointment = tpt__pg_int64(c, r, i, 3);
    if (tpt_message_kind_parse(c->pq->getvalue(r, i, 4), &m->kind) != 0)
        m->kind = TPT_MESSAGE_CONFIRMATION;
    if (tpt_message_state_parse(c->pq->getvalue(r, i, 5), &m->state) != 0)
        m->state = TPT_MESSAGE_FAILED;
    tpt__pg_copy(c, r, i, 6, m->to, sizeof m->to);
    tpt__pg_copy(c, r, i, 7, m->subject, sizeof m->subject);
    tpt__pg_copy(c, r, i, 10, m->due, sizeof m->due);
    tpt__pg_copy(c, r, i, 11, m->expires, sizeof m->expires);
    m->attempts = (int)tpt__pg_int64(c, r, i, 12);
    tpt__pg_copy(c, r, i, 13, m->next_attempt, sizeof m->next_attempt);
    tpt__pg_copy(c, r, i, 14, m->lease, sizeof m->lease);
    tpt__pg_copy(c, r, i, 15, m->error, sizeof m->error);
    tpt__pg_copy(c, r, i, 16, m->sent_at, sizeof m->sent_at);
    tpt__pg_copy(c, r, i, 17, m->created_at, sizeof m->created_at);
    tpt__pg_copy(c, r, i, 18, m->patient_name, sizeof m->patient_name);
    return tpt__pg_dup(c, r, i, 8, &m->body) || tpt__pg_dup(c, r, i, 9, &m->links) ? -1 : 0;
}

/* The messages of a query into out (freed on failure). */
static int messages(tpt__pg *c, PGresult *r, tpt_message_list *out, tpt_error *err)
{
    if (!r) return FAILED;
    int rc = tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, message_item,
                          err);
    if (rc) tpt_message_list_free(out);
    return rc;
}

static int claim(tpt__pg *c, const char *now, const char *lease, bool any_relay, size_t max,
                 tpt_message_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_time(&p, now);
    /* what was due before its appointment and could not go by then never
     * will; a row another instance is claiming just now is left to it */
    int rc = tpt__pg_do(
        c,
        "UPDATE outbox SET state = 'failed', links = NULL, lease = NULL, error = CASE WHEN "
        "error = '' THEN 'its time passed before it could be sent' ELSE error END WHERE id IN "
        "(SELECT id FROM outbox WHERE state IN ('queued', 'sending') AND expires <= $1 AND "
        "(state = 'queued' OR lease <= $1) FOR UPDATE SKIP LOCKED)",
        &p, "expiring old messages", err);
    if (rc) return rc;
    tpt__pg_params q = {0};
    tpt__pg_time(&q, now);
    tpt__pg_time(&q, lease);
    tpt__pg_int(&q, any_relay);
    tpt__pg_int(&q, (int64_t)max);
    PGresult *r = tpt__pg_run(
        c,
        "WITH due AS (SELECT id FROM outbox WHERE ((state = 'queued' AND due <= $1 AND "
        "(next_attempt IS NULL OR next_attempt <= $1)) OR (state = 'sending' AND lease <= $1)) "
        "AND recipient <> '' AND ($3::int <> 0 OR clinic_id IN (SELECT clinic_id FROM "
        "clinic_profiles WHERE smtp_url <> '')) ORDER BY due, id LIMIT $4 "
        "FOR UPDATE SKIP LOCKED), "
        "claimed AS (UPDATE outbox o SET state = 'sending', lease = $2, attempts = o.attempts + 1 "
        "FROM due WHERE o.id = due.id RETURNING o.*) "
        "SELECT " MESSAGE_FIELDS "FROM claimed o LEFT JOIN patients p ON p.id = o.patient_id "
        "ORDER BY o.due, o.id",
        &q, "claiming messages", err);
    return messages(c, r, out, err);
}

int tpt__pg_message_claim(tpt_store *s, const char *now, const char *lease, bool any_relay,
                          size_t max, tpt_message_list *out, tpt_error *err)
{
    CALL(s, claim(c, now, lease, any_relay, max, out, err));
}

static int message_get(tpt__pg *c, int64_t id, tpt_message *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    tpt_message_list list = {0};
    int rc = messages(
        c,
        tpt__pg_run(c, "SELECT " MESSAGE_COLUMNS "WHERE o.id = $1", &p, "reading the message", err),
        &list, err);
    if (rc) return rc;
    if (!list.count)
        return tpt_error_set(err, TPT_ERR_INPUT, "there is no message %lld", (long long)id);
    *out = list.items[0];
    free(list.items); /* the body and links go with *out */
    return 0;
}

int tpt__pg_message_get(tpt_store *s, int64_t id, tpt_message *out, tpt_error *err)
{
    CALL(s, message_get(c, id, out, err));
}

static int settle(tpt__pg *c, int64_t id, tpt_message_state state, const char *at,
                  const char *error, const char *retry, tpt_error *err)
{
    /* $1 the message; then the time it was sent or handled, or the error and
     * when to try again */
    static const char *const sql[] = {
        [TPT_MESSAGE_SENT] = "UPDATE outbox SET state = 'sent', sent_at = $2, error = '', "
                             "links = NULL, lease = NULL WHERE id = $1 AND state IN ('sending', "
                             "'queued')",
        [TPT_MESSAGE_FAILED] = "UPDATE outbox SET state = 'failed', error = $2, links = NULL, "
                               "lease = NULL WHERE id = $1 AND state IN ('sending', 'queued')",
        [TPT_MESSAGE_QUEUED] = "UPDATE outbox SET state = 'queued', error = $2, next_attempt = $3, "
                               "lease = NULL WHERE id = $1 AND state IN ('sending', 'queued')",
        [TPT_MESSAGE_HANDLED] = "UPDATE outbox SET state = 'handled', sent_at = $2, links = NULL, "
                                "lease = NULL WHERE id = $1 AND state IN ('queued', 'failed')",
    };
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    if (state == TPT_MESSAGE_SENT || state == TPT_MESSAGE_HANDLED) {
        tpt__pg_time(&p, at);
    } else {
        tpt__pg_text(&p, error ? error : "");
        if (state == TPT_MESSAGE_QUEUED) tpt__pg_time(&p, retry);
    }
    PGresult *r = tpt__pg_run(c, sql[state], &p, "settling the message", err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    if (changed == 1) return 0;
    tpt_message m;
    int rc = message_get(c, id, &m, err);
    if (rc) return rc;
    tpt_message_state was = m.state;
    free(m.body);
    free(m.links);
    return tpt_error_set(err, TPT_ERR_CONFLICT, "the message is %s already",
                         tpt_message_state_name(was));
}

int tpt__pg_message_settle(tpt_store *s, int64_t id, tpt_message_state state, const char *at,
                           const char *error, const char *retry, tpt_error *err)
{
    CALL(s, settle(c, id, state, at, error, retry, err));
}

int tpt__pg_message_list(tpt_store *s, int64_t clinic, int64_t patient, unsigned states,
                         size_t limit, tpt_message_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, clinic);
    tpt__pg_int(&p, patient);
    tpt__pg_int(&p, states);
    tpt__pg_int(&p, (int64_t)limit);
    CALL(s, messages(
                c,
                tpt__pg_run(c,
                            "SELECT " MESSAGE_COLUMNS
                            "WHERE o.clinic_id = $1 AND ($2::bigint <= 0 OR o.patient_id = $2) AND "
                            "($3::bigint >> CASE o.state WHEN 'queued' THEN 0 WHEN "
                            "'sending' THEN 1 WHEN 'sent' THEN 2 WHEN 'failed' THEN 3 WHEN "
                            "'dropped' THEN 4 ELSE 5 END) & 1 = 1 ORDER BY o.due DESC, "
                            "o.id DESC LIMIT $4",
                            &p, "listing the messages", err),
                out, err));
}

/* ---- found by a token ---- */

/* Runs the query of p, whose $1 is a token's hash, with the token named to
 * the row-level policy for this one statement. */
static PGresult *by_token(tpt__pg *c, const char *sql, const uint8_t *token_hash, const char *what,
                          tpt_error *err)
{
    char hex[TPT_TOKEN_HASH_SIZE * 2 + 1];
    for (int i = 0; i < TPT_TOKEN_HASH_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", token_hash[i]);
    tpt__pg_params t = {0};
    tpt__pg_text(&t, hex);
    if (tpt__pg_do(c, "SELECT set_config('tpt.token', $1, true)", &t, what, err)) return NULL;
    tpt__pg_params p = {0};
    tpt__pg_bytes(&p, token_hash, TPT_TOKEN_HASH_SIZE);
    PGresult *r = tpt__pg_run(c, sql, &p, what, err);
    if (r && tpt__pg_do(c, "SELECT set_config('tpt.token', '', true)", NULL, what, err)) {
        c->pq->clear(r);
        return NULL;
    }
    return r;
}

/* A token's hash as PostgreSQL gives bytea back (\x and hexadecimal). */
static void hash_of(tpt__pg *c, PGresult *r, int col, uint8_t out[TPT_TOKEN_HASH_SIZE])
{
    const char *text = c->pq->getvalue(r, 0, col);
    if (strncmp(text, "\\x", 2) != 0 || strlen(text) != 2 + 2 * TPT_TOKEN_HASH_SIZE) return;
    for (int i = 0; i < TPT_TOKEN_HASH_SIZE; i++) {
        unsigned byte;
        if (sscanf(text + 2 + 2 * i, "%2x", &byte) != 1) return;
        out[i] = (uint8_t)byte;
    }
}

/* ---- intake ---- */

static int intake_add(tpt__pg *c, const tpt_intake *i, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, i->appointment);
    PGresult *r = tpt__pg_run(c, "SELECT 1 FROM intakes WHERE appointment_id = $1", &p,
                              "keeping the intake link", err);
    if (!r) return FAILED;
    bool there = c->pq->ntuples(r) > 0;
    c->pq->clear(r);
    if (there)
        return tpt_error_set(err, TPT_ERR_CONFLICT, "the appointment has an intake link already");
    tpt__pg_params q = {0};
    tpt__pg_int(&q, i->appointment);
    tpt__pg_bytes(&q, i->token_hash, TPT_TOKEN_HASH_SIZE);
    tpt__pg_int(&q, i->patient);
    tpt__pg_int(&q, i->clinic);
    tpt__pg_time(&q, i->expires);
    tpt__pg_time(&q, i->created_at);
    return tpt__pg_do(c,
                      "INSERT INTO intakes (appointment_id, token_hash, patient_id, clinic_id, "
                      "expires, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                      &q, "keeping the intake link", err);
}

int tpt__pg_intake_add(tpt_store *s, const tpt_intake *i, tpt_error *err)
{
    CALL(s, intake_add(c, i, err));
}

#define INTAKE_COLUMNS                                                                             \
    "appointment_id, token_hash, patient_id, clinic_id, tpt_utc_text(expires), subjective, "       \
    "tpt_utc_text(subjective_at), coalesce(drawing_id, 0), measures, tpt_utc_text(created_at) "    \
    "FROM intakes "

/* The one intake of r (cleared); TPT_ERR_INPUT when none. */
static int one_intake(tpt__pg *c, PGresult *r, tpt_intake *out, tpt_error *err)
{
    if (!r) return FAILED;
    int rc = 0;
    if (c->pq->ntuples(r) != 1) {
        rc = tpt_error_set(err, TPT_ERR_INPUT, "no such intake link");
    } else {
        tpt_intake found = {0};
        found.appointment = tpt__pg_int64(c, r, 0, 0);
        hash_of(c, r, 1, found.token_hash);
        found.patient = tpt__pg_int64(c, r, 0, 2);
        found.clinic = tpt__pg_int64(c, r, 0, 3);
        tpt__pg_copy(c, r, 0, 4, found.expires, sizeof found.expires);
        tpt__pg_copy(c, r, 0, 6, found.subjective_at, sizeof found.subjective_at);
        found.drawing = tpt__pg_int64(c, r, 0, 7);
        found.measures = (int)tpt__pg_int64(c, r, 0, 8);
        tpt__pg_copy(c, r, 0, 9, found.created_at, sizeof found.created_at);
        if (tpt__pg_dup(c, r, 0, 5, &found.subjective) != 0)
            rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
        else
            *out = found;
    }
    c->pq->clear(r);
    return rc;
}

int tpt__pg_intake_find(tpt_store *s, const uint8_t *token_hash, tpt_intake *out, tpt_error *err)
{
    uint8_t hash[TPT_TOKEN_HASH_SIZE];
    memcpy(hash, token_hash, sizeof hash); /* it may point into out */
    CALL(s, one_intake(c,
                       by_token(c, "SELECT " INTAKE_COLUMNS "WHERE token_hash = $1", hash,
                                "finding the intake link", err),
                       out, err));
}

int tpt__pg_intake_get(tpt_store *s, int64_t appointment, tpt_intake *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, appointment);
    CALL(s, one_intake(c,
                       tpt__pg_run(c, "SELECT " INTAKE_COLUMNS "WHERE appointment_id = $1", &p,
                                   "finding the intake link", err),
                       out, err));
}

static int intake_update(tpt__pg *c, int64_t appointment, const char *subjective, int64_t drawing,
                         bool measure, const char *at, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, appointment);
    tpt__pg_text(&p, subjective);
    tpt__pg_int(&p, drawing);
    tpt__pg_int(&p, measure);
    tpt__pg_time(&p, at);
    PGresult *r = tpt__pg_run(
        c,
        "UPDATE intakes SET subjective = coalesce($2, subjective), subjective_at = CASE WHEN "
        "$2::text IS NULL THEN subjective_at ELSE $5::timestamptz END, drawing_id = CASE WHEN "
        "$3::bigint > 0 THEN $3::bigint ELSE drawing_id END, measures = measures + $4::int "
        "WHERE appointment_id = $1",
        &p, "keeping the intake", err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    return changed == 1 ? 0
                        : tpt_error_set(err, TPT_ERR_INPUT, "no intake of appointment %lld",
                                        (long long)appointment);
}

int tpt__pg_intake_update(tpt_store *s, int64_t appointment, const char *subjective,
                          int64_t drawing, bool measure, const char *at, tpt_error *err)
{
    CALL(s, intake_update(c, appointment, subjective, drawing, measure, at, err));
}

/* ---- feeds ---- */

#define FEED_COLUMNS                                                                               \
    "patient_id, clinic_id, token_hash, live::int, sessions, check_minute, "                       \
    "tpt_utc_text(created_at) FROM feeds "

static void feed_row(tpt__pg *c, PGresult *r, void *out)
{
    tpt_feed *f = out;
    memset(f, 0, sizeof *f);
    f->patient = tpt__pg_int64(c, r, 0, 0);
    f->clinic = tpt__pg_int64(c, r, 0, 1);
    hash_of(c, r, 2, f->token_hash);
    f->live = tpt__pg_int64(c, r, 0, 3) != 0;
    /* the session times as "480,1080" */
    const char *times = c->pq->getvalue(r, 0, 4);
    for (char *end; *times && f->nsessions < TPT_FEED_TIMES_MAX; times = end) {
        f->session_minutes[f->nsessions++] = (int)strtol(times, &end, 10);
        if (end == times) break;
        if (*end == ',') end++;
    }
    f->check_minute = (int)tpt__pg_int64(c, r, 0, 5);
    tpt__pg_copy(c, r, 0, 6, f->created_at, sizeof f->created_at);
}

static int feed_get(tpt__pg *c, int64_t patient, tpt_feed *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, patient);
    PGresult *r =
        tpt__pg_run(c, "SELECT " FEED_COLUMNS "WHERE patient_id = $1", &p, "reading the feed", err);
    return r ? tpt__pg_one(c, r, feed_row, out, "no calendar feed", err) : FAILED;
}

int tpt__pg_feed_get(tpt_store *s, int64_t patient, tpt_feed *out, tpt_error *err)
{
    CALL(s, feed_get(c, patient, out, err));
}

static int feed_find(tpt__pg *c, const uint8_t *token_hash, tpt_feed *out, tpt_error *err)
{
    uint8_t hash[TPT_TOKEN_HASH_SIZE];
    memcpy(hash, token_hash, sizeof hash); /* it may point into out */
    PGresult *r = by_token(c, "SELECT " FEED_COLUMNS "WHERE token_hash = $1 AND live", hash,
                           "finding the feed", err);
    return r ? tpt__pg_one(c, r, feed_row, out, "no such calendar feed", err) : FAILED;
}

int tpt__pg_feed_find(tpt_store *s, const uint8_t *token_hash, tpt_feed *out, tpt_error *err)
{
    CALL(s, feed_find(c, token_hash, out, err));
}

static int feed_save(tpt__pg *c, const tpt_feed *f, tpt_error *err)
{
    char times[64] = "";
    for (int i = 0; i < f->nsessions; i++)
        snprintf(times + strlen(times), sizeof times - strlen(times), "%s%d", i ? "," : "",
                 f->session_minutes[i]);
    tpt__pg_params p = {0};
    tpt__pg_int(&p, f->patient);
    tpt__pg_bytes(&p, f->token_hash, TPT_TOKEN_HASH_SIZE);
    tpt__pg_int(&p, f->live);
    tpt__pg_text(&p, times);
    tpt__pg_int(&p, f->check_minute);
    tpt__pg_time(&p, f->created_at);
    /* the feed carries its patient's clinic */
    PGresult *r = tpt__pg_run(
        c,
        "INSERT INTO feeds (patient_id, clinic_id, token_hash, live, sessions, check_minute, "
        "created_at) SELECT id, clinic_id, $2, $3::int <> 0, $4, $5, $6 FROM patients WHERE "
        "id = $1 ON CONFLICT (patient_id) DO UPDATE SET token_hash = excluded.token_hash, "
        "live = excluded.live, sessions = excluded.sessions, "
        "check_minute = excluded.check_minute, created_at = excluded.created_at",
        &p, "keeping the feed", err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    return changed == 1 ? 0
                        : tpt_error_set(err, TPT_ERR_INPUT, "there is no patient %lld",
                                        (long long)f->patient);
}

int tpt__pg_feed_save(tpt_store *s, const tpt_feed *f, tpt_error *err)
{
    CALL(s, feed_save(c, f, err));
}
