/* Patients and their records in SQLite: the daily log, what tpt produced,
 * visits with their amendments, outcome measures. store.c has checked the
 * arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite.h"

/* "there is no patient N" */
static void no_patient(char *out, size_t size, int64_t id)
{
    snprintf(out, size, "there is no patient %lld", (long long)id);
}

/* ---- patients ---- */

int tpt__sqlite_self(tpt_store *s, int64_t *patient, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    /* One statement, so it is atomic; the unique index makes a racing twin a no-op. */
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "INSERT OR IGNORE INTO patients (name, is_self) VALUES ('me', 1)", &st, err);
    if (rc || (rc = tpt__sqlite_run(c, st, "creating the patient", err))) return rc;
    if ((rc = tpt__sqlite_prepare(c, "SELECT id FROM patients WHERE is_self = 1", &st, err)))
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) *patient = sqlite3_column_int64(st, 0);
    rc = step == SQLITE_ROW ? 0 : tpt__sqlite_fail(c, err, "finding the patient");
    sqlite3_finalize(st);
    return rc;
}

int tpt__sqlite_patient_add(tpt_store *s, const char *name, int64_t clinic, int64_t *patient,
                            tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc =
        tpt__sqlite_prepare(c, "INSERT INTO patients (name, clinic_id) VALUES (?, ?)", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 2, clinic);
    if ((rc = tpt__sqlite_run(c, st, "adding a patient", err))) return rc;
    *patient = sqlite3_last_insert_rowid(c->db);
    return 0;
}

int tpt__sqlite_patient_check(tpt_store *s, int64_t patient, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    /* an erased record is a tombstone: nothing is added to it */
    int rc = tpt__sqlite_cached(c, &c->patient_exists,
                                "SELECT 1 FROM patients WHERE id = ? AND erased = ''", err);
    if (rc) return rc;
    sqlite3_stmt *st = c->patient_exists;
    sqlite3_bind_int64(st, 1, patient);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = 0;
    else if (step != SQLITE_DONE)
        rc = tpt__sqlite_fail(c, err, "finding the patient");
    else
        rc = tpt_error_set(err, TPT_ERR_INPUT, "there is no patient %lld", (long long)patient);
    sqlite3_reset(st);
    return rc;
}

char *tpt__sqlite_patient_name(tpt_store *s, int64_t patient)
{
    sqlite3_stmt *st;
    char *name = NULL;
    if (sqlite3_prepare_v2(tpt__sqlite_of(s)->db, "SELECT name FROM patients WHERE id = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, patient);
    if (sqlite3_step(st) == SQLITE_ROW) name = tpt__sqlite_text(st, 0);
    sqlite3_finalize(st);
    return name;
}

static void clinic_row(sqlite3_stmt *st, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(st, 0);
}

int tpt__sqlite_patient_clinic(tpt_store *s, int64_t patient, int64_t *clinic, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    char missing[64];
    no_patient(missing, sizeof missing, patient);
    int rc = tpt__sqlite_prepare(c, "SELECT coalesce(clinic_id, 0) FROM patients WHERE id = ?", &st,
                                 err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    return tpt__sqlite_one(c, st, clinic_row, clinic, missing, "finding the patient", err);
}

int tpt__sqlite_patient_update(tpt_store *s, int64_t patient, const char *name, int64_t clinic,
                               tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "UPDATE patients SET name = ?, clinic_id = ? WHERE id = ?", &st,
                                 err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 2, clinic);
    sqlite3_bind_int64(st, 3, patient);
    return tpt__sqlite_run(c, st, "changing the patient", err);
}

#define PATIENT_COLUMNS                                                                            \
    "id, coalesce(clinic_id, 0), name, coalesce(birth_year, 0), contact, consent, archived, "      \
    "planned_visits, coalesce(private_to, 0), erased"

static void patient_row(sqlite3_stmt *st, void *item)
{
    tpt_patient *p = item;
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    p->clinic = sqlite3_column_int64(st, 1);
    tpt__sqlite_copy(st, 2, p->name, sizeof p->name);
    p->birth_year = sqlite3_column_int(st, 3);
    tpt__sqlite_copy(st, 4, p->contact, sizeof p->contact);
    tpt__sqlite_copy(st, 5, p->consent, sizeof p->consent);
    tpt__sqlite_copy(st, 6, p->archived, sizeof p->archived);
    p->planned_visits = sqlite3_column_int(st, 7);
    p->private_to = sqlite3_column_int64(st, 8);
    tpt__sqlite_copy(st, 9, p->erased, sizeof p->erased);
}

static int patient_item(sqlite3_stmt *st, void *item)
{
    patient_row(st, item);
    return 0;
}

int tpt__sqlite_patient_get(tpt_store *s, int64_t id, tpt_patient *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    char missing[64];
    no_patient(missing, sizeof missing, id);
    int rc =
        tpt__sqlite_prepare(c, "SELECT " PATIENT_COLUMNS " FROM patients WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    return tpt__sqlite_one(c, st, patient_row, out, missing, "finding the patient", err);
}

int tpt__sqlite_patient_save(tpt_store *s, const tpt_patient *p, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "UPDATE patients SET name = ?, birth_year = ?, contact = ?, "
                                 "consent = ?, archived = ?, planned_visits = ? WHERE id = ?",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, p->name, -1, SQLITE_TRANSIENT);
    if (p->birth_year) sqlite3_bind_int(st, 2, p->birth_year);
    sqlite3_bind_text(st, 3, p->contact, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, p->consent, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, p->archived, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, p->planned_visits);
    sqlite3_bind_int64(st, 7, p->id);
    if ((rc = tpt__sqlite_run(c, st, "saving the patient", err))) return rc;
    if (sqlite3_changes(c->db) != 1)
        return tpt_error_set(err, TPT_ERR_INPUT, "there is no patient %lld", (long long)p->id);
    return 0;
}

int tpt__sqlite_patient_list(tpt_store *s, int64_t clinic, const char *query, bool archived,
                             size_t limit, tpt_patient_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    /* instr on lower(): a search for "50%" means the text, not a LIKE pattern */
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT " PATIENT_COLUMNS " FROM patients WHERE clinic_id = ?1 "
                                 "AND (?2 IS NULL OR instr(lower(name), lower(?2)) > 0) "
                                 "AND (archived != '') = ?4 AND private_to IS NULL "
                                 "AND erased = '' ORDER BY name COLLATE NOCASE, id LIMIT ?3",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
    if (query && *query) sqlite3_bind_text(st, 2, query, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
    sqlite3_bind_int(st, 4, archived);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items,
                          patient_item, "listing the patients", err);
    if (rc) tpt_patient_list_free(out);
    return rc;
}

int tpt__sqlite_patient_set_private(tpt_store *s, int64_t patient, int64_t user, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "UPDATE patients SET private_to = ? WHERE id = ?", &st, err);
    if (rc) return rc;
    tpt__sqlite_bind_id(st, 1, user);
    sqlite3_bind_int64(st, 2, patient);
    if ((rc = tpt__sqlite_run(c, st, "keeping the record private", err))) return rc;
    if (sqlite3_changes(c->db) != 1)
        return tpt_error_set(err, TPT_ERR_INPUT, "there is no patient %lld", (long long)patient);
    return 0;
}

/* What erasing a record runs, in order, each with the patient as ?1 (and
 * the time as ?2, the eraser as ?3): the tombstone first, which lets the
 * visit notes, their amendments and the assessments be deleted (the
 * triggers of schema 015). */
static const char *const erase_steps[] = {
    "UPDATE patients SET name = 'Erased record', birth_year = NULL, contact = '', consent = '', "
    "private_to = NULL, is_self = 0, erased = ?2, erased_by = ?3 WHERE id = ?1 AND erased = ''",
    "DELETE FROM log_entries WHERE patient_id = ?1",
    "DELETE FROM assessments WHERE patient_id = ?1", /* before the records they assess */
    /* the calendar's: the intakes (before the drawings they hold) and the
     * feed go; appointments and emails, which are never deleted, keep their
     * times without what they said, the future ones cancelled, the emails
     * not yet sent dropped */
    "DELETE FROM intakes WHERE patient_id = ?1",
    "DELETE FROM feeds WHERE patient_id = ?1",
    "UPDATE appointments SET reason = '', note = '', "
    "cancelled_at = CASE WHEN status = 'booked' AND starts > ?2 THEN ?2 ELSE cancelled_at END, "
    "status = CASE WHEN status = 'booked' AND starts > ?2 THEN 'cancelled' ELSE status END "
    "WHERE patient_id = ?1",
    "UPDATE outbox SET recipient = '', subject = '', body = '', links = NULL, "
    "state = CASE WHEN state IN ('queued', 'sending') THEN 'dropped' ELSE state END "
    "WHERE patient_id = ?1",
    "DELETE FROM records WHERE patient_id = ?1",
    "DELETE FROM measures WHERE patient_id = ?1",
    "DELETE FROM amendments WHERE visit_id IN (SELECT id FROM visits WHERE patient_id = ?1)",
    "DELETE FROM visits WHERE patient_id = ?1",
    "UPDATE invitations SET withdrawn = ?2 WHERE patient_id = ?1 AND used = '' AND withdrawn = ''",
    "DELETE FROM auth_sessions WHERE user_id IN (SELECT id FROM users WHERE patient_id = ?1 AND "
    "role = 'patient')",
    "UPDATE users SET deleted = ?2, password_hash = '', disabled = ?2, "
    "email = 'deleted-' || id || '@invalid' WHERE patient_id = ?1 AND "
    "role = 'patient' AND deleted = ''",
    /* an owner's own record: the account stays, without it */
    "UPDATE users SET patient_id = NULL WHERE patient_id = ?1 AND role != 'patient'",
};

int tpt__sqlite_patient_erase(tpt_store *s, int64_t patient, const char *at, int64_t by,
                              tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    tpt_patient p;
    int rc = tpt__sqlite_exec(c, "SAVEPOINT erase_patient;", err);
    if (rc) return rc;
    for (size_t i = 0; !rc && i < sizeof erase_steps / sizeof *erase_steps; i++) {
        sqlite3_stmt *st;
        if ((rc = tpt__sqlite_prepare(c, erase_steps[i], &st, err))) break;
        sqlite3_bind_int64(st, 1, patient);
        if (sqlite3_bind_parameter_count(st) >= 2)
            sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
        if (sqlite3_bind_parameter_count(st) >= 3) tpt__sqlite_bind_id(st, 3, by);
        rc = tpt__sqlite_run(c, st, "erasing the record", err);
        if (!rc && i == 0 && sqlite3_changes(c->db) != 1) {
            rc = tpt__sqlite_patient_get(s, patient, &p, err);
            if (!rc) rc = tpt_error_set(err, TPT_ERR_CONFLICT, "the record was erased already");
        }
    }
    return tpt__sqlite_release(c, "erase_patient", rc, err);
}

/* ---- log entries ---- */

static void bind_optional_int(sqlite3_stmt *st, int i, int value)
{
    if (value < 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int(st, i, value);
}

static int column_optional_int(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int(st, i);
}

/* A text column that may be NULL into *out: 0, or -1 when out of memory. */
static int optional_text(sqlite3_stmt *st, int i, char **out)
{
    *out = tpt__sqlite_text(st, i);
    return *out || sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : -1;
}

int tpt__sqlite_log_add(tpt_store *s, const tpt_log_entry *e, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    int rc = tpt__sqlite_cached(c, &c->log_insert,
                                "INSERT INTO log_entries (patient_id, at, leg_pain, back_pain, "
                                "sitting_minutes, walking_minutes, sleep_disturbed, medication, "
                                "note, author_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                err);
    if (rc) return rc;
    sqlite3_stmt *st = c->log_insert;
    sqlite3_bind_int64(st, 1, e->patient);
    sqlite3_bind_text(st, 2, e->at, -1, SQLITE_TRANSIENT);
    bind_optional_int(st, 3, e->leg_pain);
    bind_optional_int(st, 4, e->back_pain);
    bind_optional_int(st, 5, e->sitting_minutes);
    bind_optional_int(st, 6, e->walking_minutes);
    bind_optional_int(st, 7, e->sleep_disturbed);
    sqlite3_bind_text(st, 8, e->medication, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, e->note, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 10, e->author);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : tpt__sqlite_fail(c, err, "storing the log entry");
    sqlite3_reset(st);
    if (!rc && id) *id = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static int log_item(sqlite3_stmt *st, void *item)
{
    tpt_log_entry *e = item;
    e->id = sqlite3_column_int64(st, 0);
    e->patient = sqlite3_column_int64(st, 1);
    tpt__sqlite_copy(st, 2, e->at, sizeof e->at);
    e->leg_pain = column_optional_int(st, 3);
    e->back_pain = column_optional_int(st, 4);
    e->sitting_minutes = column_optional_int(st, 5);
    e->walking_minutes = column_optional_int(st, 6);
    e->sleep_disturbed = column_optional_int(st, 7);
    e->author = sqlite3_column_int64(st, 10);
    return optional_text(st, 8, &e->medication) || optional_text(st, 9, &e->note) ? -1 : 0;
}

int tpt__sqlite_log_list(tpt_store *s, int64_t patient, tpt_log_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT id, patient_id, at, leg_pain, back_pain, sitting_minutes, "
                                 "walking_minutes, sleep_disturbed, medication, note, "
                                 "coalesce(author_id, 0) FROM log_entries WHERE patient_id = ? "
                                 "ORDER BY at, id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items, log_item,
                          "reading the log", err);
    if (rc) tpt_log_list_free(out);
    return rc;
}

/* ---- records ---- */

int tpt__sqlite_record_add(tpt_store *s, const tpt_record *r, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO records (patient_id, kind, at, summary, input, body, "
                                 "author_id, clinician) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, r->patient);
    sqlite3_bind_text(st, 2, tpt_record_kind_name(r->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, r->summary, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, r->input, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, r->json, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 7, r->author);
    sqlite3_bind_int(st, 8, r->clinician);
    if ((rc = tpt__sqlite_run(c, st, "storing the record", err))) return rc;
    if (id) *id = sqlite3_last_insert_rowid(c->db);
    return 0;
}

static int record_item(sqlite3_stmt *st, void *item)
{
    tpt_record *r = item;
    r->id = sqlite3_column_int64(st, 0);
    r->patient = sqlite3_column_int64(st, 1);
    if (tpt_record_kind_parse((const char *)sqlite3_column_text(st, 2), &r->kind) != 0)
        r->kind = TPT_RECORD_SCREEN;
    tpt__sqlite_copy(st, 3, r->at, sizeof r->at);
    r->summary = tpt__sqlite_text(st, 4);
    r->json = tpt__sqlite_text(st, 6);
    r->author = sqlite3_column_int64(st, 7);
    r->clinician = sqlite3_column_int(st, 8) != 0;
    return !r->summary || !r->json || optional_text(st, 5, &r->input) ? -1 : 0;
}

int tpt__sqlite_record_list(tpt_store *s, int64_t patient, int kind, tpt_record_list *out,
                            tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT id, patient_id, kind, at, summary, input, body, "
                                 "coalesce(author_id, 0), clinician FROM records WHERE "
                                 "patient_id = ?1 AND (?2 IS NULL OR kind = ?2) "
                                 "ORDER BY at, id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    if (kind >= 0)
        sqlite3_bind_text(st, 2, tpt_record_kind_name((tpt_record_kind)kind), -1, SQLITE_STATIC);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items, record_item,
                          "reading the records", err);
    if (rc) tpt_record_list_free(out);
    return rc;
}

/* ---- assessments ---- */

int tpt__sqlite_assessment_add(tpt_store *s, const tpt_assessment *a, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    /* of a screen or a drawing of the same patient, decided as it is kept */
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO assessments (patient_id, at, author_id, record_id, "
                                 "flag, finding) SELECT patient_id, ?2, ?3, id, ?4, ?5 FROM "
                                 "records WHERE id = ?6 AND patient_id = ?1 AND kind IN "
                                 "('screen', 'drawing')",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, a->patient);
    sqlite3_bind_text(st, 2, a->at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, a->author);
    sqlite3_bind_text(st, 4, a->flag, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, a->finding, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, a->record);
    if ((rc = tpt__sqlite_run(c, st, "keeping the assessment", err))) return rc;
    if (sqlite3_changes(c->db) != 1)
        return tpt_error_set(err, TPT_ERR_INPUT, "no screen or drawing %lld in this record",
                             (long long)a->record);
    if (id) *id = sqlite3_last_insert_rowid(c->db);
    return 0;
}

static int assessment_item(sqlite3_stmt *st, void *item)
{
    tpt_assessment *a = item;
    a->id = sqlite3_column_int64(st, 0);
    a->patient = sqlite3_column_int64(st, 1);
    tpt__sqlite_copy(st, 2, a->at, sizeof a->at);
    a->author = sqlite3_column_int64(st, 3);
    a->record = sqlite3_column_int64(st, 4);
    tpt__sqlite_copy(st, 5, a->flag, sizeof a->flag);
    a->finding = tpt__sqlite_text(st, 6);
    return a->finding ? 0 : -1;
}

int tpt__sqlite_assessment_list(tpt_store *s, int64_t patient, tpt_assessment_list *out,
                                tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT id, patient_id, at, author_id, record_id, flag, finding "
                                 "FROM assessments WHERE patient_id = ? ORDER BY at, id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items,
                          assessment_item, "reading the assessments", err);
    if (rc) tpt_assessment_list_free(out);
    return rc;
}

/* ---- visits and amendments ---- */

/* A change the lock triggers refused (RAISE(ABORT) in a trigger), said as the
 * rule it is; anything else as it failed. */
static int locked_or_failed(tpt__sqlite *c, const char *what, tpt_error *err)
{
    if (sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_TRIGGER)
        return tpt_error_set(err, TPT_ERR_CONFLICT, "%s: %s; add an amendment instead", what,
                             sqlite3_errmsg(c->db));
    return tpt__sqlite_fail(c, err, what);
}

/* Runs an update of one visit: the lock refuses a signed one, and no row
 * changed means no such visit. */
static int change_visit(tpt__sqlite *c, sqlite3_stmt *st, int64_t id, const char *what,
                        tpt_error *err)
{
    int step = sqlite3_step(st);
    int rc = step == SQLITE_DONE ? 0 : locked_or_failed(c, what, err);
    sqlite3_finalize(st);
    if (!rc && sqlite3_changes(c->db) != 1)
        rc = tpt_error_set(err, TPT_ERR_INPUT, "there is no visit %lld", (long long)id);
    return rc;
}

int tpt__sqlite_visit_add(tpt_store *s, const tpt_visit *v, int64_t *id, int *number,
                          tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    /* the number in the same statement: two visits added at once get two */
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO visits (patient_id, number, at, author_id, note, "
                                 "result) VALUES (?1, (SELECT coalesce(max(number), 0) + 1 FROM "
                                 "visits WHERE patient_id = ?1), ?2, ?3, ?4, ?5) "
                                 "RETURNING id, number",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, v->patient);
    sqlite3_bind_text(st, 2, v->at, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 3, v->author);
    sqlite3_bind_text(st, 4, v->note, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, v->result, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        if (id) *id = sqlite3_column_int64(st, 0);
        if (number) *number = sqlite3_column_int(st, 1);
        step = sqlite3_step(st);
    }
    rc = step == SQLITE_DONE ? 0 : tpt__sqlite_fail(c, err, "adding the visit");
    sqlite3_finalize(st);
    return rc;
}

int tpt__sqlite_visit_update(tpt_store *s, int64_t id, const char *note, const char *result,
                             tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc =
        tpt__sqlite_prepare(c, "UPDATE visits SET note = ?, result = ? WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, note, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, result, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, id);
    return change_visit(c, st, id, "changing the visit", err);
}

int tpt__sqlite_visit_sign(tpt_store *s, int64_t id, int64_t user, const char *at, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "UPDATE visits SET signed_at = ?, signed_by = ? WHERE id = ?",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 2, user);
    sqlite3_bind_int64(st, 3, id);
    return change_visit(c, st, id, "signing the visit", err);
}

static int visit_item(sqlite3_stmt *st, void *item)
{
    tpt_visit *v = item;
    v->id = sqlite3_column_int64(st, 0);
    v->patient = sqlite3_column_int64(st, 1);
    v->number = sqlite3_column_int(st, 2);
    tpt__sqlite_copy(st, 3, v->at, sizeof v->at);
    v->author = sqlite3_column_int64(st, 4);
    tpt__sqlite_copy(st, 5, v->signed_at, sizeof v->signed_at);
    v->signed_by = sqlite3_column_int64(st, 6);
    v->note = tpt__sqlite_text(st, 7);
    return !v->note || optional_text(st, 8, &v->result) ? -1 : 0;
}

int tpt__sqlite_visit_list(tpt_store *s, int64_t patient, tpt_visit_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT id, patient_id, number, at, coalesce(author_id, 0), "
                                 "signed_at, coalesce(signed_by, 0), note, result FROM visits "
                                 "WHERE patient_id = ? ORDER BY number",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items, visit_item,
                          "listing the visits", err);
    if (rc) tpt_visit_list_free(out);
    return rc;
}

int tpt__sqlite_amendment_add(tpt_store *s, int64_t visit, int64_t author, const char *at,
                              const char *text, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    /* only to a signed visit: a draft is still edited in place */
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO amendments (visit_id, at, author_id, text) SELECT "
                                 "id, ?2, ?3, ?4 FROM visits WHERE id = ?1 AND signed_at != ''",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, visit);
    sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 3, author);
    sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
    if ((rc = tpt__sqlite_run(c, st, "adding the amendment", err))) return rc;
    if (sqlite3_changes(c->db) != 1)
        return tpt_error_set(err, TPT_ERR_CONFLICT,
                             "visit %lld is not signed: change the draft itself, or sign it first",
                             (long long)visit);
    if (id) *id = sqlite3_last_insert_rowid(c->db);
    return 0;
}

static int amendment_item(sqlite3_stmt *st, void *item)
{
    tpt_amendment *a = item;
    a->id = sqlite3_column_int64(st, 0);
    a->visit = sqlite3_column_int64(st, 1);
    a->author = sqlite3_column_int64(st, 2);
    tpt__sqlite_copy(st, 3, a->at, sizeof a->at);
    a->text = tpt__sqlite_text(st, 4);
    return a->text ? 0 : -1;
}

int tpt__sqlite_amendment_list(tpt_store *s, int64_t visit, tpt_amendment_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT id, visit_id, coalesce(author_id, 0), at, text FROM "
                                 "amendments WHERE visit_id = ? ORDER BY id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, visit);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items,
                          amendment_item, "listing the amendments", err);
    if (rc) tpt_amendment_list_free(out);
    return rc;
}

/* ---- outcome measures ---- */

int tpt__sqlite_measure_add(tpt_store *s, const tpt_measure *m, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO measures (patient_id, instrument, at, visit, "
                                 "author_id, answers, score, band, names) VALUES (?, ?, ?, ?, ?, "
                                 "?, ?, ?, ?)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, m->patient);
    sqlite3_bind_text(st, 2, m->instrument, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, m->at, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 4, m->visit);
    tpt__sqlite_bind_id(st, 5, m->author);
    sqlite3_bind_text(st, 6, m->answers, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 7, m->score);
    sqlite3_bind_text(st, 8, m->band, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, m->names, -1, SQLITE_TRANSIENT);
    if ((rc = tpt__sqlite_run(c, st, "storing the measure", err))) return rc;
    if (id) *id = sqlite3_last_insert_rowid(c->db);
    return 0;
}

static int measure_item(sqlite3_stmt *st, void *item)
{
    tpt_measure *m = item;
    m->id = sqlite3_column_int64(st, 0);
    m->patient = sqlite3_column_int64(st, 1);
    tpt__sqlite_copy(st, 2, m->instrument, sizeof m->instrument);
    tpt__sqlite_copy(st, 3, m->at, sizeof m->at);
    m->visit = sqlite3_column_int(st, 4);
    m->author = sqlite3_column_int64(st, 5);
    m->answers = tpt__sqlite_text(st, 6);
    m->score = sqlite3_column_double(st, 7);
    tpt__sqlite_copy(st, 8, m->band, sizeof m->band);
    return !m->answers || optional_text(st, 9, &m->names) ? -1 : 0;
}

int tpt__sqlite_measure_list(tpt_store *s, int64_t patient, tpt_measure_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT id, patient_id, instrument, at, coalesce(visit, 0), "
                                 "coalesce(author_id, 0), answers, score, band, names FROM "
                                 "measures WHERE patient_id = ? ORDER BY at, id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items,
                          measure_item, "listing the measures", err);
    if (rc) tpt_measure_list_free(out);
    return rc;
}
