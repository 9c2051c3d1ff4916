/* Corrections of what a person entered in a record, in SQLite: a log entry,
 * a record tpt produced (a session) or an outcome measure changed or removed.
 * Each statement names the patient with the id, so that an id of another
 * record changes nothing and is refused as unknown. store.c has checked the
 * values. */
#include <stdio.h>

#include "sqlite.h"

/* After an UPDATE or DELETE of one row by id and patient: 0 when it
 * changed a row, else TPT_ERR_INPUT naming what was not found. */
static int one_changed(tpt__sqlite *c, const char *what, int64_t id, tpt_error *err)
{
    if (sqlite3_changes(c->db) == 1) return 0;
    return tpt_error_set(err, TPT_ERR_INPUT, "this record has no %s %lld", what, (long long)id);
}

static void bind_optional_int(sqlite3_stmt *st, int i, int value)
{
    if (value < 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int(st, i, value);
}

int tpt__sqlite_log_update(tpt_store *s, const tpt_log_entry *e, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "UPDATE log_entries SET at = ?, leg_pain = ?, back_pain = ?, "
                                 "sitting_minutes = ?, walking_minutes = ?, sleep_disturbed = ?, "
                                 "medication = ?, note = ? WHERE id = ? AND patient_id = ?",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, e->at, -1, SQLITE_TRANSIENT);
    bind_optional_int(st, 2, e->leg_pain);
    bind_optional_int(st, 3, e->back_pain);
    bind_optional_int(st, 4, e->sitting_minutes);
    bind_optional_int(st, 5, e->walking_minutes);
    bind_optional_int(st, 6, e->sleep_disturbed);
    sqlite3_bind_text(st, 7, e->medication, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, e->note, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 9, e->id);
    sqlite3_bind_int64(st, 10, e->patient);
    if ((rc = tpt__sqlite_run(c, st, "correcting the log entry", err))) return rc;
    return one_changed(c, "log entry", e->id, err);
}

/* DELETE FROM `table` the row `id` of the patient. */
static int remove_row(tpt__sqlite *c, const char *table, const char *what, int64_t patient,
                      int64_t id, tpt_error *err)
{
    char sql[96], doing[64];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = ? AND patient_id = ?", table);
    snprintf(doing, sizeof doing, "removing the %s", what);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, patient);
    if ((rc = tpt__sqlite_run(c, st, doing, err))) return rc;
    return one_changed(c, what, id, err);
}

int tpt__sqlite_log_remove(tpt_store *s, int64_t patient, int64_t id, tpt_error *err)
{
    return remove_row(tpt__sqlite_of(s), "log_entries", "log entry", patient, id, err);
}

int tpt__sqlite_record_update(tpt_store *s, const tpt_record *r, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "UPDATE records SET summary = ?, body = ? WHERE id = ? AND "
                                 "patient_id = ? AND kind = ?",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, r->summary, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, r->json, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, r->id);
    sqlite3_bind_int64(st, 4, r->patient);
    sqlite3_bind_text(st, 5, tpt_record_kind_name(r->kind), -1, SQLITE_STATIC);
    if ((rc = tpt__sqlite_run(c, st, "correcting the record", err))) return rc;
    return one_changed(c, tpt_record_kind_name(r->kind), r->id, err);
}

int tpt__sqlite_record_remove(tpt_store *s, int64_t patient, tpt_record_kind kind, int64_t id,
                              tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "DELETE FROM records WHERE id = ? AND patient_id = ? AND kind = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, patient);
    sqlite3_bind_text(st, 3, tpt_record_kind_name(kind), -1, SQLITE_STATIC);
    if ((rc = tpt__sqlite_run(c, st, "removing the record", err))) return rc;
    return one_changed(c, tpt_record_kind_name(kind), id, err);
}

int tpt__sqlite_measure_update(tpt_store *s, const tpt_measure *m, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "UPDATE measures SET answers = ?, names = ?, score = ?, band = ? "
                                 "WHERE id = ? AND patient_id = ?",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, m->answers, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, m->names, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 3, m->score);
    sqlite3_bind_text(st, 4, m->band, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, m->id);
    sqlite3_bind_int64(st, 6, m->patient);
    if ((rc = tpt__sqlite_run(c, st, "correcting the measure", err))) return rc;
    return one_changed(c, "measure", m->id, err);
}

int tpt__sqlite_measure_remove(tpt_store *s, int64_t patient, int64_t id, tpt_error *err)
{
    return remove_row(tpt__sqlite_of(s), "measures", "measure", patient, id, err);
}
