/* Corrections of what a person entered in a record, in PostgreSQL: a log
 * entry, a record tpt produced (a session) or an outcome measure changed or
 * removed. Each statement names the patient with the id, so that an id of
 * another record changes nothing and is refused as unknown; row-level
 * security hides another clinic's rows the same way. store.c has checked
 * the values. */
#include <stdio.h>

#include "postgres.h"

/* Runs an UPDATE or DELETE of one row by id and patient: 0 when it changed
 * a row, else TPT_ERR_INPUT naming what was not found. */
static int change_one(tpt__pg *c, const char *sql, const tpt__pg_params *p, const char *doing,
                      const char *what, int64_t id, tpt_error *err)
{
    PGresult *r = tpt__pg_run(c, sql, p, doing, err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    if (changed == 1) return 0;
    return tpt_error_set(err, TPT_ERR_INPUT, "this record has no %s %lld", what, (long long)id);
}

static int log_update(tpt__pg *c, const tpt_log_entry *e, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, e->id);
    tpt__pg_int(&p, e->patient);
    tpt__pg_log_values(&p, e);
    return change_one(c,
                      "UPDATE log_entries SET at = $3, leg_pain = $4, back_pain = $5, "
                      "sitting_minutes = $6, walking_minutes = $7, "
                      "sleep_disturbed = $8::int::boolean, medication = $9, note = $10 "
                      "WHERE id = $1 AND patient_id = $2",
                      &p, "correcting the log entry", "log entry", e->id, err);
}

int tpt__pg_log_update(tpt_store *s, const tpt_log_entry *e, tpt_error *err)
{
    CALL(s, log_update(c, e, err));
}

/* DELETE FROM `table` the row `id` of the patient. */
static int remove_row(tpt__pg *c, const char *table, const char *what, int64_t patient, int64_t id,
                      tpt_error *err)
{
    char sql[96], doing[64];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = $1 AND patient_id = $2", table);
    snprintf(doing, sizeof doing, "removing the %s", what);
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    tpt__pg_int(&p, patient);
    return change_one(c, sql, &p, doing, what, id, err);
}

int tpt__pg_log_remove(tpt_store *s, int64_t patient, int64_t id, tpt_error *err)
{
    CALL(s, remove_row(c, "log_entries", "log entry", patient, id, err));
}

static int record_update(tpt__pg *c, const tpt_record *rec, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, rec->id);
    tpt__pg_int(&p, rec->patient);
    tpt__pg_text(&p, tpt_record_kind_name(rec->kind));
    tpt__pg_text(&p, rec->summary);
    tpt__pg_text(&p, rec->json);
    return change_one(c,
                      "UPDATE records SET summary = $4, body = $5 "
                      "WHERE id = $1 AND patient_id = $2 AND kind = $3",
                      &p, "correcting the record", tpt_record_kind_name(rec->kind), rec->id, err);
}

int tpt__pg_record_update(tpt_store *s, const tpt_record *rec, tpt_error *err)
{
    CALL(s, record_update(c, rec, err));
}

static int record_remove(tpt__pg *c, int64_t patient, tpt_record_kind kind, int64_t id,
                         tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    tpt__pg_int(&p, patient);
    tpt__pg_text(&p, tpt_record_kind_name(kind));
    return change_one(c, "DELETE FROM records WHERE id = $1 AND patient_id = $2 AND kind = $3", &p,
                      "removing the record", tpt_record_kind_name(kind), id, err);
}

int tpt__pg_record_remove(tpt_store *s, int64_t patient, tpt_record_kind kind, int64_t id,
                          tpt_error *err)
{
    CALL(s, record_remove(c, patient, kind, id, err));
}

static int measure_update(tpt__pg *c, const tpt_measure *m, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, m->id);
    tpt__pg_int(&p, m->patient);
    tpt__pg_text(&p, m->answers);
    tpt__pg_text(&p, m->names);
    tpt__pg_double(&p, m->score);
    tpt__pg_text(&p, m->band);
    return change_one(c,
                      "UPDATE measures SET answers = $3, names = $4, score = $5, band = $6 "
                      "WHERE id = $1 AND patient_id = $2",
                      &p, "correcting the measure", "measure", m->id, err);
}

int tpt__pg_measure_update(tpt_store *s, const tpt_measure *m, tpt_error *err)
{
    CALL(s, measure_update(c, m, err));
}

int tpt__pg_measure_remove(tpt_store *s, int64_t patient, int64_t id, tpt_error *err)
{
    CALL(s, remove_row(c, "measures", "measure", patient, id, err));
}
