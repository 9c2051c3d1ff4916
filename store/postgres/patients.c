/* Patients and their records in PostgreSQL: the daily log, what tpt
 * produced, visits with their amendments, outcome measures. store.c has
 * checked the arguments. Every row of a patient carries the patient's
 * clinic, taken from the patient in the statement that adds the row, so a
 * patient that row-level security hides is a patient that is not there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postgres.h"

static int no_patient(tpt_error *err, int64_t id)
{
    return tpt_error_set(err, TPT_ERR_INPUT, "there is no patient %lld", (long long)id);
}

/* ---- patients ---- */

static int self(tpt__pg *c, int64_t *patient, tpt_error *err)
{
    /* the unique partial index makes a racing twin a no-op */
    int rc = tpt__pg_do(c,
                        "INSERT INTO patients (name, is_self) VALUES ('me', true) "
                        "ON CONFLICT (is_self) WHERE is_self DO NOTHING",
                        NULL, "creating the patient", err);
    if (rc) return rc;
    PGresult *r =
        tpt__pg_run(c, "SELECT id FROM patients WHERE is_self", NULL, "finding the patient", err);
    if (!r) return FAILED;
    rc = c->pq->ntuples(r) == 1
             ? 0
             : tpt_error_set(err, TPT_ERR_INPUT, "one's own record is not among this clinic's");
    if (!rc) *patient = tpt__pg_int64(c, r, 0, 0);
    c->pq->clear(r);
    return rc;
}

int tpt__pg_self(tpt_store *s, int64_t *patient, tpt_error *err)
{
    CALL(s, self(c, patient, err));
}

/* The one id a statement returned into *id (id may be NULL); no row is
 * `missing` (TPT_ERR_INPUT), or the status given. */
static int returned_id(tpt__pg *c, PGresult *r, int64_t *id, int status, const char *missing,
                       tpt_error *err)
{
    if (!r) return FAILED;
    int rc = 0;
    if (c->pq->ntuples(r) == 1) {
        if (id) *id = tpt__pg_int64(c, r, 0, 0);
    } else {
        rc = tpt_error_set(err, status, "%s", missing);
    }
    c->pq->clear(r);
    return rc;
}

/* The id of a row added under a patient (INSERT ... SELECT ... FROM patients
 * RETURNING id): no row means no such patient in this clinic. */
static int added_under_patient(tpt__pg *c, PGresult *r, int64_t patient, int64_t *id,
                               tpt_error *err)
{
    char missing[64];
    snprintf(missing, sizeof missing, "there is no patient %lld", (long long)patient);
    return returned_id(c, r, id, TPT_ERR_INPUT, missing, err);
}

static int patient_add(tpt__pg *c, const char *name, int64_t clinic, int64_t *patient,
                       tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, name);
    tpt__pg_int(&p, clinic);
    PGresult *r =
        tpt__pg_run(c, "INSERT INTO patients (name, clinic_id) VALUES ($1, $2) RETURNING id", &p,
                    "adding a patient", err);
    return returned_id(c, r, patient, TPT_ERR_DATA, "the patient was not added", err);
}

int tpt__pg_patient_add(tpt_store *s, const char *name, int64_t clinic, int64_t *patient,
                        tpt_error *err)
{
    CALL(s, patient_add(c, name, clinic, patient, err));
}

static int patient_check(tpt__pg *c, int64_t patient, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, patient);
    PGresult *r =
        /* an erased record is a tombstone: nothing is added to it */
        tpt__pg_run(c, "SELECT 1 FROM patients WHERE id = $1 AND erased IS NULL", &p,
                    "finding the patient", err);
    if (!r) return FAILED;
    int rc = c->pq->ntuples(r) == 1 ? 0 : no_patient(err, patient);
    c->pq->clear(r);
    return rc;
}

int tpt__pg_patient_check(tpt_store *s, int64_t patient, tpt_error *err)
{
    CALL(s, patient_check(c, patient, err));
}

static int patient_name(tpt__pg *c, int64_t patient, char **name, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, patient);
    PGresult *r =
        tpt__pg_run(c, "SELECT name FROM patients WHERE id = $1", &p, "finding the patient", err);
    if (!r) return FAILED;
    int rc = c->pq->ntuples(r) == 1 && tpt__pg_dup(c, r, 0, 0, name) != 0 ? TPT_ERR_NOMEM : 0;
    c->pq->clear(r);
    return rc;
}

char *tpt__pg_patient_name(tpt_store *s, int64_t patient)
{
    char *name = NULL;
    tpt__pg *c = tpt__pg_of(s);
    int rc = tpt__pg_enter(c, NULL);
    if (!rc) rc = patient_name(c, patient, &name, NULL);
    tpt__pg_leave(c, rc, NULL);
    return name;
}

static int patient_clinic(tpt__pg *c, int64_t patient, int64_t *clinic, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, patient);
    PGresult *r = tpt__pg_run(c, "SELECT clinic_id FROM patients WHERE id = $1", &p,
                              "finding the patient", err);
    if (!r) return FAILED;
    int rc = c->pq->ntuples(r) == 1 ? 0 : no_patient(err, patient);
    if (!rc) *clinic = tpt__pg_int64(c, r, 0, 0);
    c->pq->clear(r);
    return rc;
}

int tpt__pg_patient_clinic(tpt_store *s, int64_t patient, int64_t *clinic, tpt_error *err)
{
    CALL(s, patient_clinic(c, patient, clinic, err));
}

static int patient_update(tpt__pg *c, int64_t patient, const char *name, int64_t clinic,
                          tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, name);
    tpt__pg_int(&p, clinic);
    tpt__pg_int(&p, patient);
    /* the patient's rows follow through the composite keys (ON UPDATE CASCADE) */
    return tpt__pg_do(c, "UPDATE patients SET name = $1, clinic_id = $2 WHERE id = $3", &p,
                      "changing the patient", err);
}

int tpt__pg_patient_update(tpt_store *s, int64_t patient, const char *name, int64_t clinic,
                           tpt_error *err)
{
    CALL(s, patient_update(c, patient, name, clinic, err));
}

#define PATIENT_COLUMNS                                                                            \
    "id, clinic_id, name, coalesce(birth_year, 0), contact, coalesce(tpt_utc_text(consent), ''), " \
    "coalesce(tpt_utc_text(archived), ''), planned_visits, coalesce(private_to, 0), "              \
    "coalesce(tpt_utc_text(erased), '')"

static void patient_at(tpt__pg *c, PGresult *r, int i, tpt_patient *p)
{
    memset(p, 0, sizeof *p);
    p->id = tpt__pg_int64(c, r, i, 0);
    p->clinic = tpt__pg_int64(c, r, i, 1);
    tpt__pg_copy(c, r, i, 2, p->name, sizeof p->name);
    p->birth_year = (int)tpt__pg_int64(c, r, i, 3);
    tpt__pg_copy(c, r, i, 4, p->contact, sizeof p->contact);
    tpt__pg_copy(c, r, i, 5, p->consent, sizeof p->consent);
    tpt__pg_copy(c, r, i, 6, p->archived, sizeof p->archived);
    p->planned_visits = (int)tpt__pg_int64(c, r, i, 7);
    p->private_to = tpt__pg_int64(c, r, i, 8);
    tpt__pg_copy(c, r, i, 9, p->erased, sizeof p->erased);
}

static void patient_row(tpt__pg *c, PGresult *r, void *out)
{
    patient_at(c, r, 0, out);
}

static int patient_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    patient_at(c, r, i, item);
    return 0;
}

static int patient_get(tpt__pg *c, int64_t id, tpt_patient *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    PGresult *r = tpt__pg_run(c, "SELECT " PATIENT_COLUMNS " FROM patients WHERE id = $1", &p,
                              "finding the patient", err);
    if (!r) return FAILED;
    char missing[64];
    snprintf(missing, sizeof missing, "there is no patient %lld", (long long)id);
    return tpt__pg_one(c, r, patient_row, out, missing, err);
}

int tpt__pg_patient_get(tpt_store *s, int64_t id, tpt_patient *out, tpt_error *err)
{
    CALL(s, patient_get(c, id, out, err));
}

static int patient_save(tpt__pg *c, const tpt_patient *pt, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, pt->name);
    tpt__pg_id(&p, pt->birth_year);
    tpt__pg_text(&p, pt->contact);
    tpt__pg_time(&p, pt->consent);
    tpt__pg_time(&p, pt->archived);
    tpt__pg_int(&p, pt->planned_visits);
    tpt__pg_int(&p, pt->id);
    PGresult *r = tpt__pg_run(c,
                              "UPDATE patients SET name = $1, birth_year = $2, contact = $3, "
                              "consent = $4, archived = $5, planned_visits = $6 WHERE id = $7",
                              &p, "saving the patient", err);
    if (!r) return FAILED;
    int rc = tpt__pg_changed(c, r) == 1 ? 0 : no_patient(err, pt->id);
    c->pq->clear(r);
    return rc;
}

int tpt__pg_patient_save(tpt_store *s, const tpt_patient *pt, tpt_error *err)
{
    CALL(s, patient_save(c, pt, err));
}

static int patient_list(tpt__pg *c, int64_t clinic, const char *query, bool archived, size_t limit,
                        tpt_patient_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, clinic);
    tpt__pg_text(&p, query && *query ? query : NULL);
    tpt__pg_int(&p, (int64_t)limit);
    tpt__pg_text(&p, archived ? "t" : "f");
    /* strpos on lower(): a search for "50%" means the text, not a pattern;
     * the "C" collation folds A-Z only, as SQLite's NOCASE does */
    PGresult *r = tpt__pg_run(c,
                              "SELECT " PATIENT_COLUMNS " FROM patients WHERE clinic_id = $1 "
                              "AND ($2::text IS NULL OR strpos(lower(name COLLATE \"C\"), "
                              "lower($2::text COLLATE \"C\")) > 0) "
                              "AND (archived IS NOT NULL) = $4::boolean "
                              "AND private_to IS NULL AND erased IS NULL "
                              "ORDER BY lower(name COLLATE \"C\"), id LIMIT $3",
                              &p, "listing the patients", err);
    if (!r) return FAILED;
    int rc = tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, patient_item,
                          err);
    if (rc) tpt_patient_list_free(out);
    return rc;
}

int tpt__pg_patient_list(tpt_store *s, int64_t clinic, const char *query, bool archived,
                         size_t limit, tpt_patient_list *out, tpt_error *err)
{
    CALL(s, patient_list(c, clinic, query, archived, limit, out, err));
}

/* one's own record stays one's own when colleagues join the clinic */
static int patient_set_private(tpt__pg *c, int64_t patient, int64_t user, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_id(&p, user);
    tpt__pg_int(&p, patient);
    PGresult *r = tpt__pg_run(c, "UPDATE patients SET private_to = $1 WHERE id = $2", &p,
                              "keeping the record private", err);
    if (!r) return FAILED;
    int rc = tpt__pg_changed(c, r) == 1 ? 0 : no_patient(err, patient);
    c->pq->clear(r);
    return rc;
}

int tpt__pg_patient_set_private(tpt_store *s, int64_t patient, int64_t user, tpt_error *err)
{
    CALL(s, patient_set_private(c, patient, user, err));
}

/* Erasing a record (the patient's right): in order, with $1 the patient,
 * $2 the time and $3 who erased it. The tombstone first, which lets the
 * visit notes, their amendments and the assessments be deleted (the
 * triggers of schema 015.sql). */
static const char *const erase_steps[] = {
    "UPDATE patients SET name = 'Erased record', birth_year = NULL, contact = '', consent = NULL, "
    "private_to = NULL, is_self = false, erased = $2, erased_by = $3 "
    "WHERE id = $1 AND erased IS NULL",
    "DELETE FROM log_entries WHERE patient_id = $1",
    "DELETE FROM assessments WHERE patient_id = $1", /* before the records they assess */
    /* the calendar's, as SQLite's store/sqlite/patients.c says */
    "DELETE FROM intakes WHERE patient_id = $1",
    "DELETE FROM feeds WHERE patient_id = $1",
    "UPDATE appointments SET reason = '', note = '', "
    "cancelled_at = CASE WHEN status = 'booked' AND starts > $2 THEN $2 ELSE cancelled_at END, "
    "status = CASE WHEN status = 'booked' AND starts > $2 THEN 'cancelled' ELSE status END "
    "WHERE patient_id = $1",
    "UPDATE outbox SET recipient = '', subject = '', body = '', links = NULL, "
    "state = CASE WHEN state IN ('queued', 'sending') THEN 'dropped' ELSE state END "
    "WHERE patient_id = $1",
    "DELETE FROM records WHERE patient_id = $1",
    "DELETE FROM measures WHERE patient_id = $1",
    "DELETE FROM amendments WHERE visit_id IN (SELECT id FROM visits WHERE patient_id = $1)",
    "DELETE FROM visits WHERE patient_id = $1",
    "UPDATE invitations SET withdrawn = $2 WHERE patient_id = $1 AND used IS NULL "
    "AND withdrawn IS NULL",
    "DELETE FROM auth_sessions WHERE user_id IN (SELECT id FROM users WHERE patient_id = $1 AND "
    "role = 'patient')",
    "UPDATE users SET deleted = $2, password_hash = '', disabled = $2, "
    "email = 'deleted-' || id || '@invalid' WHERE patient_id = $1 AND role = 'patient' "
    "AND deleted IS NULL",
    /* an owner's own record: the account stays, without it */
    "UPDATE users SET patient_id = NULL WHERE patient_id = $1 AND role <> 'patient'",
};

static int patient_erase(tpt__pg *c, int64_t patient, const char *at, int64_t by, tpt_error *err)
{
    for (size_t i = 0; i < sizeof erase_steps / sizeof *erase_steps; i++) {
        tpt__pg_params p = {0};
        tpt__pg_int(&p, patient);
        if (strstr(erase_steps[i], "$2")) tpt__pg_text(&p, at);
        if (strstr(erase_steps[i], "$3")) tpt__pg_id(&p, by);
        PGresult *r = tpt__pg_run(c, erase_steps[i], &p, "erasing the record", err);
        if (!r) return FAILED;
        long changed = tpt__pg_changed(c, r);
        c->pq->clear(r);
        if (i == 0 && changed != 1) {
            tpt_patient found;
            int rc = patient_get(c, patient, &found, err);
            return rc ? rc : tpt_error_set(err, TPT_ERR_CONFLICT, "the record was erased already");
        }
    }
    return 0;
}

int tpt__pg_patient_erase(tpt_store *s, int64_t patient, const char *at, int64_t by, tpt_error *err)
{
    CALL(s, patient_erase(c, patient, at, by, err));
}

/* ---- log entries ---- */

void tpt__pg_log_values(tpt__pg_params *p, const tpt_log_entry *e)
{
    tpt__pg_text(p, e->at);
    tpt__pg_optional(p, e->leg_pain);
    tpt__pg_optional(p, e->back_pain);
    tpt__pg_optional(p, e->sitting_minutes);
    tpt__pg_optional(p, e->walking_minutes);
    tpt__pg_optional(p, e->sleep_disturbed);
    tpt__pg_text(p, e->medication);
    tpt__pg_text(p, e->note);
}

static int log_add(tpt__pg *c, const tpt_log_entry *e, int64_t *id, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, e->patient);
    tpt__pg_log_values(&p, e);
    tpt__pg_id(&p, e->author);
    PGresult *r = tpt__pg_run(c,
                              "INSERT INTO log_entries (clinic_id, patient_id, at, leg_pain, "
                              "back_pain, sitting_minutes, walking_minutes, sleep_disturbed, "
                              "medication, note, author_id) SELECT clinic_id, id, $2, $3, $4, "
                              "$5, $6, $7::int::boolean, $8, $9, $10 FROM patients WHERE id = $1 "
                              "RETURNING id",
                              &p, "storing the log entry", err);
    return added_under_patient(c, r, e->patient, id, err);
}

int tpt__pg_log_add(tpt_store *s, const tpt_log_entry *e, int64_t *id, tpt_error *err)
{
    CALL(s, log_add(c, e, id, err));
}

static int log_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_log_entry *e = item;
    e->id = tpt__pg_int64(c, r, i, 0);
    e->patient = tpt__pg_int64(c, r, i, 1);
    tpt__pg_copy(c, r, i, 2, e->at, sizeof e->at);
    e->leg_pain = tpt__pg_optional_int(c, r, i, 3);
    e->back_pain = tpt__pg_optional_int(c, r, i, 4);
    e->sitting_minutes = tpt__pg_optional_int(c, r, i, 5);
    e->walking_minutes = tpt__pg_optional_int(c, r, i, 6);
    e->sleep_disturbed = tpt__pg_optional_int(c, r, i, 7);
    e->author = tpt__pg_int64(c, r, i, 10);
    return tpt__pg_dup(c, r, i, 8, &e->medication) || tpt__pg_dup(c, r, i, 9, &e->note) ? -1 : 0;
}

static int log_list(tpt__pg *c, int64_t patient, tpt_log_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, patient);
    PGresult *r = tpt__pg_run(c,
                              "SELECT id, patient_id, tpt_utc_text(at), leg_pain, back_pain, "
                              "sitting_minutes, walking_minutes, sleep_disturbed::int, "
                              "medication, note, coalesce(author_id, 0) FROM log_entries "
                              "WHERE patient_id = $1 ORDER BY at, id",
                              &p, "reading the log", err);
    if (!r) return FAILED;
    int rc =
        tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, log_item, err);
    if (rc) tpt_log_list_free(out);
    return rc;
}

int tpt__pg_log_list(tpt_store *s, int64_t patient, tpt_log_list *out, tpt_error *err)
{
    CALL(s, log_list(c, patient, out, err));
}

/* ---- records ---- */

static int record_add(tpt__pg *c, const tpt_record *rec, int64_t *id, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, rec->patient);
    tpt__pg_text(&p, tpt_record_kind_name(rec->kind));
    tpt__pg_text(&p, rec->at);
    tpt__pg_text(&p, rec->summary);
    tpt__pg_text(&p, rec->input);
    tpt__pg_text(&p, rec->json);
    tpt__pg_id(&p, rec->author);
    tpt__pg_int(&p, rec->clinician);
    PGresult *r = tpt__pg_run(c,
                              "INSERT INTO records (clinic_id, patient_id, kind, at, summary, "
                              "input, body, author_id, clinician) SELECT clinic_id, id, $2, $3, "
                              "$4, $5, $6, $7, $8::int::boolean FROM patients WHERE id = $1 "
                              "RETURNING id",
                              &p, "storing the record", err);
    return added_under_patient(c, r, rec->patient, id, err);
}

int tpt__pg_record_add(tpt_store *s, const tpt_record *rec, int64_t *id, tpt_error *err)
{
    CALL(s, record_add(c, rec, id, err));
}

static int record_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_record *rec = item;
    rec->id = tpt__pg_int64(c, r, i, 0);
    rec->patient = tpt__pg_int64(c, r, i, 1);
    if (tpt_record_kind_parse(c->pq->getvalue(r, i, 2), &rec->kind) != 0)
        rec->kind = TPT_RECORD_SCREEN;
    tpt__pg_copy(c, r, i, 3, rec->at, sizeof rec->at);
    rec->author = tpt__pg_int64(c, r, i, 7);
    rec->clinician = strcmp(c->pq->getvalue(r, i, 8), "t") == 0;
    return tpt__pg_dup(c, r, i, 4, &rec->summary) || tpt__pg_dup(c, r, i, 5, &rec->input) ||
                   tpt__pg_dup(c, r, i, 6, &rec->json)
               ? -1
               : 0;
}

static int record_list(tpt__pg *c, int64_t patient, int kind, tpt_record_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, patient);
    tpt__pg_text(&p, kind >= 0 ? tpt_record_kind_name((tpt_record_kind)kind) : NULL);
    PGresult *r = tpt__pg_run(c,
                              "SELECT id, patient_id, kind, tpt_utc_text(at), summary, input, "
                              "body, coalesce(author_id, 0), clinician FROM records WHERE "
                              "patient_id = $1 AND ($2::text IS NULL OR kind = $2) "
                              "ORDER BY at, id",
                              &p, "reading the records", err);
    if (!r) return FAILED;
    int rc =
        tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, record_item, err);
    if (rc) tpt_record_list_free(out);
    return rc;
}

int tpt__pg_record_list(tpt_store *s, int64_t patient, int kind, tpt_record_list *out,
                        tpt_error *err)
{
    CALL(s, record_list(c, patient, kind, out, err));
}

/* ---- assessments ---- */

static int assessment_add(tpt__pg *c, const tpt_assessment *a, int64_t *id, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, a->patient);
    tpt__pg_text(&p, a->at);
    tpt__pg_int(&p, a->author);
    tpt__pg_text(&p, a->flag);
    tpt__pg_text(&p, a->finding);
    tpt__pg_int(&p, a->record);
    /* of a screen or a drawing of the same patient, decided as it is kept */
    PGresult *r = tpt__pg_run(c,
                              "INSERT INTO assessments (clinic_id, patient_id, at, author_id, "
                              "record_id, flag, finding) SELECT clinic_id, patient_id, $2, $3, "
                              "id, $4, $5 FROM records WHERE id = $6 AND patient_id = $1 AND "
                              "kind IN ('screen', 'drawing') RETURNING id",
                              &p, "keeping the assessment", err);
    char missing[80];
    snprintf(missing, sizeof missing, "no screen or drawing %lld in this record",
             (long long)a->record);
    return returned_id(c, r, id, TPT_ERR_INPUT, missing, err);
}

int tpt__pg_assessment_add(tpt_store *s, const tpt_assessment *a, int64_t *id, tpt_error *err)
{
    CALL(s, assessment_add(c, a, id, err));
}

static int assessment_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_assessment *a = item;
    a->id = tpt__pg_int64(c, r, i, 0);
    a->patient = tpt__pg_int64(c, r, i, 1);
    tpt__pg_copy(c, r, i, 2, a->at, sizeof a->at);
    a->author = tpt__pg_int64(c, r, i, 3);
    a->record = tpt__pg_int64(c, r, i, 4);
    tpt__pg_copy(c, r, i, 5, a->flag, sizeof a->flag);
    return tpt__pg_dup(c, r, i, 6, &a->finding) ? -1 : 0;
}

static int assessment_list(tpt__pg *c, int64_t patient, tpt_assessment_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, patient);
    PGresult *r = tpt__pg_run(c,
                              "SELECT id, patient_id, tpt_utc_text(at), author_id, record_id, "
                              "flag, finding FROM assessments WHERE patient_id = $1 "
                              "ORDER BY at, id",
                              &p, "reading the assessments", err);
    if (!r) return FAILED;
    int rc = tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items,
                          assessment_item, err);
    if (rc) tpt_assessment_list_free(out);
    return rc;
}

int tpt__pg_assessment_list(tpt_store *s, int64_t patient, tpt_assessment_list *out, tpt_error *err)
{
    CALL(s, assessment_list(c, patient, out, err));
}

/* ---- visits and amendments ---- */

static int visit_add(tpt__pg *c, const tpt_visit *v, int64_t *id, int *number, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, v->patient);
    /* Under READ COMMITTED, max() + 1 in one statement may race: the
     * patient's row is locked first, in a statement of its own, so that the
     * insert's snapshot, taken after the lock, sees the visit the previous
     * holder added. FOR NO KEY UPDATE leaves the log's foreign key checks
     * (FOR KEY SHARE) free to go on. */
    PGresult *r = tpt__pg_run(c, "SELECT 1 FROM patients WHERE id = $1 FOR NO KEY UPDATE", &p,
                              "adding the visit", err);
    if (!r) return FAILED;
    bool found = c->pq->ntuples(r) == 1;
    c->pq->clear(r);
    if (!found) return no_patient(err, v->patient);
    tpt__pg_text(&p, v->at);
    tpt__pg_id(&p, v->author);
    tpt__pg_text(&p, v->note);
    tpt__pg_text(&p, v->result);
    r = tpt__pg_run(c,
                    "INSERT INTO visits (clinic_id, patient_id, number, at, author_id, note, "
                    "result) SELECT clinic_id, id, (SELECT coalesce(max(number), 0) + 1 FROM "
                    "visits WHERE patient_id = $1), $2, $3, $4, $5 FROM patients WHERE id = $1 "
                    "RETURNING id, number",
                    &p, "adding the visit", err);
    if (!r) return FAILED;
    int rc = c->pq->ntuples(r) == 1 ? 0 : no_patient(err, v->patient);
    if (!rc && id) *id = tpt__pg_int64(c, r, 0, 0);
    if (!rc && number) *number = (int)tpt__pg_int64(c, r, 0, 1);
    c->pq->clear(r);
    return rc;
}

int tpt__pg_visit_add(tpt_store *s, const tpt_visit *v, int64_t *id, int *number, tpt_error *err)
{
    CALL(s, visit_add(c, v, id, number, err));
}

/* An update of a draft that changed no row: the visit is signed (the
 * lock's refusal, said as the trigger would), or not there. The update
 * itself asks for a draft, so that the trigger, which aborts the whole
 * transaction, is a safety net and not the way a refusal is told. */
static int not_a_draft(tpt__pg *c, int64_t id, const char *what, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    PGresult *r = tpt__pg_run(c, "SELECT 1 FROM visits WHERE id = $1", &p, what, err);
    if (!r) return FAILED;
    bool exists = c->pq->ntuples(r) == 1;
    c->pq->clear(r);
    if (!exists) return tpt_error_set(err, TPT_ERR_INPUT, "there is no visit %lld", (long long)id);
    return tpt_error_set(err, TPT_ERR_CONFLICT,
                         "%s: a signed visit note is locked; add an amendment instead", what);
}

static int change_draft(tpt__pg *c, const char *sql, tpt__pg_params *p, int64_t id,
                        const char *what, tpt_error *err)
{
    PGresult *r = tpt__pg_run(c, sql, p, what, err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    return changed == 1 ? 0 : not_a_draft(c, id, what, err);
}

static int visit_update(tpt__pg *c, int64_t id, const char *note, const char *result,
                        tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, note);
    tpt__pg_text(&p, result);
    tpt__pg_int(&p, id);
    return change_draft(c,
                        "UPDATE visits SET note = $1, result = $2 WHERE id = $3 "
                        "AND signed_at IS NULL",
                        &p, id, "changing the visit", err);
}

int tpt__pg_visit_update(tpt_store *s, int64_t id, const char *note, const char *result,
                         tpt_error *err)
{
    CALL(s, visit_update(c, id, note, result, err));
}

static int visit_sign(tpt__pg *c, int64_t id, int64_t user, const char *at, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, at);
    tpt__pg_id(&p, user);
    tpt__pg_int(&p, id);
    return change_draft(c,
                        "UPDATE visits SET signed_at = $1, signed_by = $2 WHERE id = $3 "
                        "AND signed_at IS NULL",
                        &p, id, "signing the visit", err);
}

int tpt__pg_visit_sign(tpt_store *s, int64_t id, int64_t user, const char *at, tpt_error *err)
{
    CALL(s, visit_sign(c, id, user, at, err));
}

static int visit_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_visit *v = item;
    v->id = tpt__pg_int64(c, r, i, 0);
    v->patient = tpt__pg_int64(c, r, i, 1);
    v->number = (int)tpt__pg_int64(c, r, i, 2);
    tpt__pg_copy(c, r, i, 3, v->at, sizeof v->at);
    v->author = tpt__pg_int64(c, r, i, 4);
    tpt__pg_copy(c, r, i, 5, v->signed_at, sizeof v->signed_at);
    v->signed_by = tpt__pg_int64(c, r, i, 6);
    return tpt__pg_dup(c, r, i, 7, &v->note) || !v->note || tpt__pg_dup(c, r, i, 8, &v->result) ? -1
                                                                                                : 0;
}

static int visit_list(tpt__pg *c, int64_t patient, tpt_visit_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, patient);
    PGresult *r = tpt__pg_run(c,
                              "SELECT id, patient_id, number, tpt_utc_text(at), "
                              "coalesce(author_id, 0), coalesce(tpt_utc_text(signed_at), ''), "
                              "coalesce(signed_by, 0), note, result FROM visits "
                              "WHERE patient_id = $1 ORDER BY number",
                              &p, "listing the visits", err);
    if (!r) return FAILED;
    int rc =
        tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, visit_item, err);
    if (rc) tpt_visit_list_free(out);
    return rc;
}

int tpt__pg_visit_list(tpt_store *s, int64_t patient, tpt_visit_list *out, tpt_error *err)
{
    CALL(s, visit_list(c, patient, out, err));
}

static int amendment_add(tpt__pg *c, int64_t visit, int64_t author, const char *at,
                         const char *text, int64_t *id, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, visit);
    tpt__pg_text(&p, at);
    tpt__pg_id(&p, author);
    tpt__pg_text(&p, text);
    /* only to a signed visit: a draft is still edited in place */
    PGresult *r = tpt__pg_run(c,
                              "INSERT INTO amendments (clinic_id, visit_id, at, author_id, text) "
                              "SELECT clinic_id, id, $2, $3, $4 FROM visits WHERE id = $1 "
                              "AND signed_at IS NOT NULL RETURNING id",
                              &p, "adding the amendment", err);
    char refused[128];
    snprintf(refused, sizeof refused,
             "visit %lld is not signed: change the draft itself, or sign it first",
             (long long)visit);
    return returned_id(c, r, id, TPT_ERR_CONFLICT, refused, err);
}

int tpt__pg_amendment_add(tpt_store *s, int64_t visit, int64_t author, const char *at,
                          const char *text, int64_t *id, tpt_error *err)
{
    CALL(s, amendment_add(c, visit, author, at, text, id, err));
}

static int amendment_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_amendment *a = item;
    a->id = tpt__pg_int64(c, r, i, 0);
    a->visit = tpt__pg_int64(c, r, i, 1);
    a->author = tpt__pg_int64(c, r, i, 2);
    tpt__pg_copy(c, r, i, 3, a->at, sizeof a->at);
    return tpt__pg_dup(c, r, i, 4, &a->text) || !a->text ? -1 : 0;
}

static int amendment_list(tpt__pg *c, int64_t visit, tpt_amendment_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, visit);
    PGresult *r = tpt__pg_run(c,
                              "SELECT id, visit_id, coalesce(author_id, 0), tpt_utc_text(at), "
                              "text FROM amendments WHERE visit_id = $1 ORDER BY id",
                              &p, "listing the amendments", err);
    if (!r) return FAILED;
    int rc = tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items,
                          amendment_item, err);
    if (rc) tpt_amendment_list_free(out);
    return rc;
}

int tpt__pg_amendment_list(tpt_store *s, int64_t visit, tpt_amendment_list *out, tpt_error *err)
{
    CALL(s, amendment_list(c, visit, out, err));
}

/* ---- outcome measures ---- */

static int measure_add(tpt__pg *c, const tpt_measure *m, int64_t *id, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, m->patient);
    tpt__pg_text(&p, m->instrument);
    tpt__pg_text(&p, m->at);
    tpt__pg_id(&p, m->visit);
    tpt__pg_id(&p, m->author);
    tpt__pg_text(&p, m->answers);
    tpt__pg_double(&p, m->score);
    tpt__pg_text(&p, m->band);
    tpt__pg_text(&p, m->names);
    PGresult *r = tpt__pg_run(c,
                              "INSERT INTO measures (clinic_id, patient_id, instrument, at, "
                              "visit, author_id, answers, score, band, names) SELECT clinic_id, "
                              "id, $2, $3, $4, $5, $6, $7, $8, $9 FROM patients WHERE id = $1 "
                              "RETURNING id",
                              &p, "storing the measure", err);
    return added_under_patient(c, r, m->patient, id, err);
}

int tpt__pg_measure_add(tpt_store *s, const tpt_measure *m, int64_t *id, tpt_error *err)
{
    CALL(s, measure_add(c, m, id, err));
}

static int measure_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_measure *m = item;
    m->id = tpt__pg_int64(c, r, i, 0);
    m->patient = tpt__pg_int64(c, r, i, 1);
    tpt__pg_copy(c, r, i, 2, m->instrument, sizeof m->instrument);
    tpt__pg_copy(c, r, i, 3, m->at, sizeof m->at);
    m->visit = (int)tpt__pg_int64(c, r, i, 4);
    m->author = tpt__pg_int64(c, r, i, 5);
    m->score = strtod(c->pq->getvalue(r, i, 7), NULL);
    tpt__pg_copy(c, r, i, 8, m->band, sizeof m->band);
    return tpt__pg_dup(c, r, i, 6, &m->answers) || !m->answers || tpt__pg_dup(c, r, i, 9, &m->names)
               ? -1
               : 0;
}

static int measure_list(tpt__pg *c, int64_t patient, tpt_measure_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, patient);
    PGresult *r = tpt__pg_run(c,
                              "SELECT id, patient_id, instrument, tpt_utc_text(at), "
                              "coalesce(visit, 0), coalesce(author_id, 0), answers, score, band, "
                              "names FROM measures WHERE patient_id = $1 ORDER BY at, id",
                              &p, "listing the measures", err);
    if (!r) return FAILED;
    int rc = tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, measure_item,
                          err);
    if (rc) tpt_measure_list_free(out);
    return rc;
}

int tpt__pg_measure_list(tpt_store *s, int64_t patient, tpt_measure_list *out, tpt_error *err)
{
    CALL(s, measure_list(c, patient, out, err));
}
