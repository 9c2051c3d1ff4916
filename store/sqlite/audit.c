/* The audit log and the installation's settings in SQLite. The hashes that
 * chain the lines are computed by store/audit.c; here they are kept and
 * read. store.c has checked the arguments. */
#include <stdio.h>
#include <string.h>

#include "sqlite.h"

/* ---- the audit log ---- */

int tpt__sqlite_audit_add(tpt_store *s, const tpt_audit_line *line,
                          const uint8_t hash[TPT_AUDIT_HASH_SIZE], tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "INSERT INTO audit (at, user_id, action, patient_id, address, "
                                 "hash) VALUES (?, ?, ?, ?, ?, ?)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, line->at, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 2, line->user);
    sqlite3_bind_text(st, 3, line->action, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 4, line->patient);
    sqlite3_bind_text(st, 5, line->address ? line->address : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 6, hash, TPT_AUDIT_HASH_SIZE, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "writing the audit log", err);
}

/* A hash column into out: whether it holds one of the right size. */
static bool hash_column(sqlite3_stmt *st, int i, uint8_t out[TPT_AUDIT_HASH_SIZE])
{
    if (sqlite3_column_type(st, i) != SQLITE_BLOB ||
        sqlite3_column_bytes(st, i) != TPT_AUDIT_HASH_SIZE)
        return false;
    memcpy(out, sqlite3_column_blob(st, i), TPT_AUDIT_HASH_SIZE);
    return true;
}

int tpt__sqlite_audit_last(tpt_store *s, uint8_t hash[TPT_AUDIT_HASH_SIZE], bool *found,
                           tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1", &st, err);
    if (rc) return rc;
    int step = sqlite3_step(st);
    *found = step == SQLITE_ROW && hash_column(st, 0, hash);
    if (step != SQLITE_ROW && step != SQLITE_DONE) rc = tpt__sqlite_fail(c, err, "the audit log");
    sqlite3_finalize(st);
    return rc;
}

#define AUDIT_COLUMNS                                                                              \
    "a.id, a.at, coalesce(a.user_id, 0), a.action, coalesce(a.patient_id, 0), u.name, u.email, "   \
    "p.name, a.address, u.role, a.hash"
#define AUDIT_JOINS                                                                                \
    " FROM audit a LEFT JOIN users u ON u.id = a.user_id "                                         \
    "LEFT JOIN patients p ON p.id = a.patient_id "

static int audit_item(sqlite3_stmt *st, void *item)
{
    tpt_audit_entry *e = item;
    e->id = sqlite3_column_int64(st, 0);
    tpt__sqlite_copy(st, 1, e->at, sizeof e->at);
    e->user = sqlite3_column_int64(st, 2);
    tpt__sqlite_copy(st, 3, e->action, sizeof e->action);
    e->patient = sqlite3_column_int64(st, 4);
    tpt__sqlite_copy(st, 5, e->user_name, sizeof e->user_name);
    tpt__sqlite_copy(st, 6, e->user_email, sizeof e->user_email);
    tpt__sqlite_copy(st, 7, e->patient_name, sizeof e->patient_name);
    tpt__sqlite_copy(st, 8, e->address, sizeof e->address);
    if (tpt_role_parse((const char *)sqlite3_column_text(st, 9), &e->user_role) != 0)
        e->user_role = TPT_ROLE_PATIENT;
    e->hashed = hash_column(st, 10, e->hash);
    return 0;
}

int tpt__sqlite_audit_list(tpt_store *s, const tpt_audit_filter *f, tpt_audit_list *out,
                           tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT " AUDIT_COLUMNS AUDIT_JOINS
                                 "WHERE (?1 <= 0 OR a.patient_id = ?1) "
                                 "AND (?2 <= 0 OR u.clinic_id = ?2 OR p.clinic_id = ?2) "
                                 "AND (?3 <= 0 OR a.id < ?3) ORDER BY a.id DESC LIMIT ?4",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, f->patient);
    sqlite3_bind_int64(st, 2, f->clinic);
    sqlite3_bind_int64(st, 3, f->before);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)f->limit);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items, audit_item,
                          "reading the audit log", err);
    if (rc) tpt_audit_list_free(out);
    return rc;
}

int tpt__sqlite_audit_chain(tpt_store *s, int64_t after, size_t limit, tpt_audit_list *out,
                            tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "SELECT " AUDIT_COLUMNS AUDIT_JOINS "WHERE a.id > ? ORDER BY a.id LIMIT ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items, audit_item,
                          "reading the audit log", err);
    if (rc) tpt_audit_list_free(out);
    return rc;
}

int tpt__sqlite_audit_prune(tpt_store *s, const char *before, int64_t *removed,
                            uint8_t anchor[TPT_AUDIT_HASH_SIZE], bool *anchored, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    *removed = 0;
    *anchored = false;
    /* the last line to go: older than `before`, and never the latest line */
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT id, hash FROM audit WHERE at < ? AND id < (SELECT "
                                 "max(id) FROM audit) ORDER BY id DESC LIMIT 1",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, before, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    int64_t last = 0;
    if (step == SQLITE_ROW) {
        last = sqlite3_column_int64(st, 0);
        *anchored = hash_column(st, 1, anchor);
    } else if (step != SQLITE_DONE) {
        rc = tpt__sqlite_fail(c, err, "pruning the audit log");
    }
    sqlite3_finalize(st);
    if (rc || !last) return rc;
    if ((rc = tpt__sqlite_prepare(c, "DELETE FROM audit WHERE id <= ?", &st, err))) return rc;
    sqlite3_bind_int64(st, 1, last);
    rc = tpt__sqlite_run(c, st, "pruning the audit log", err);
    if (!rc) *removed = sqlite3_changes(c->db);
    return rc;
}

/* ---- settings ---- */

int tpt__sqlite_setting_get(tpt_store *s, const char *key, char *out, size_t size, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "SELECT value FROM settings WHERE key = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        tpt__sqlite_copy(st, 0, out, size);
    else if (step == SQLITE_DONE)
        *out = '\0';
    else
        rc = tpt__sqlite_fail(c, err, "reading a setting");
    sqlite3_finalize(st);
    return rc;
}

int tpt__sqlite_setting_set(tpt_store *s, const char *key, const char *value, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 *value ? "INSERT INTO settings (key, value) VALUES (?1, ?2) ON "
                                          "CONFLICT (key) DO UPDATE SET value = excluded.value"
                                        : "DELETE FROM settings WHERE key = ?1",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    if (*value) sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_run(c, st, "keeping a setting", err);
}
