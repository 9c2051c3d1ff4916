/* What every file of the SQLite backend does with statements: preparing and
 * running them, reading columns and rows, and saying why a call failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite.h"

/* What a failed SQLite call means to the caller, from its result code (never
 * from the text of its message). */
static int status_of(int code)
{
    switch (code & 0xff) {
    case SQLITE_BUSY: /* another writer held on beyond the busy timeout */
    case SQLITE_LOCKED:
    case SQLITE_FULL: /* the disk */
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: /* the file or its directory went away */
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
        return TPT_ERR_UNAVAILABLE;
    case SQLITE_NOMEM:
        return TPT_ERR_NOMEM;
    default: /* damaged, or not what this tpt expects */
        return TPT_ERR_DATA;
    }
}

static int failed_as(tpt_error *err, int code, const char *what, const char *msg)
{
    int status = status_of(code);
    if (status == TPT_ERR_UNAVAILABLE)
        return tpt_error_set(err, status, "the database is unavailable (%s: %s): try again later",
                             what, msg);
    return tpt_error_set(err, status, "database: %s: %s", what, msg);
}

int tpt__sqlite_fail(tpt__sqlite *c, tpt_error *err, const char *what)
{
    return failed_as(err, sqlite3_extended_errcode(c->db), what, sqlite3_errmsg(c->db));
}

int tpt__sqlite_exec(tpt__sqlite *c, const char *sql, tpt_error *err)
{
    char *msg = NULL;
    int code = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (code == SQLITE_OK) return 0;
    int rc = failed_as(err, code, "running a statement", msg ? msg : sqlite3_errmsg(c->db));
    sqlite3_free(msg);
    return rc;
}

int tpt__sqlite_release(tpt__sqlite *c, const char *savepoint, int rc, tpt_error *err)
{
    char sql[96];
    if (rc) {
        snprintf(sql, sizeof sql, "ROLLBACK TO %s; RELEASE %s;", savepoint, savepoint);
        sqlite3_exec(c->db, sql, NULL, NULL, NULL);
        return rc;
    }
    snprintf(sql, sizeof sql, "RELEASE %s;", savepoint);
    return tpt__sqlite_exec(c, sql, err);
}

int tpt__sqlite_prepare(tpt__sqlite *c, const char *sql, sqlite3_stmt **st, tpt_error *err)
{
    if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) == SQLITE_OK) return 0;
    return tpt__sqlite_fail(c, err, "prepare");
}

int tpt__sqlite_cached(tpt__sqlite *c, sqlite3_stmt **slot, const char *sql, tpt_error *err)
{
    if (*slot) {
        sqlite3_reset(*slot);
        sqlite3_clear_bindings(*slot);
        return 0;
    }
    return tpt__sqlite_prepare(c, sql, slot, err);
}

int tpt__sqlite_run(tpt__sqlite *c, sqlite3_stmt *st, const char *what, tpt_error *err)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : tpt__sqlite_fail(c, err, what);
    sqlite3_finalize(st);
    return rc;
}

void tpt__sqlite_copy(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

char *tpt__sqlite_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

void tpt__sqlite_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    if (id > 0)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

int tpt__sqlite_one(tpt__sqlite *c, sqlite3_stmt *st, void (*row)(sqlite3_stmt *st, void *out),
                    void *out, const char *missing, const char *what, tpt_error *err)
{
    int step = sqlite3_step(st), rc = 0;
    if (step == SQLITE_ROW)
        row(st, out);
    else if (step == SQLITE_DONE && missing)
        rc = tpt_error_set(err, TPT_ERR_INPUT, "%s", missing);
    else if (step != SQLITE_DONE)
        rc = tpt__sqlite_fail(c, err, what);
    sqlite3_finalize(st);
    return rc;
}

int tpt__sqlite_rows(tpt__sqlite *c, sqlite3_stmt *st, void **items, size_t *count, size_t size,
                     int (*row)(sqlite3_stmt *st, void *item), const char *what, tpt_error *err)
{
    size_t cap = 0;
    int step, rc = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            size_t n = cap ? cap * 2 : 16;
            void *grown = realloc(*items, n * size);
            if (!grown) {
                rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
                break;
            }
            *items = grown;
            cap = n;
        }
        void *item = (char *)*items + *count * size;
        memset(item, 0, size);
        (*count)++; /* counted before it is filled, so that a free frees its part */
        if (row(st, item) != 0) {
            rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
            break;
        }
    }
    if (!rc && step != SQLITE_DONE) rc = tpt__sqlite_fail(c, err, what);
    sqlite3_finalize(st);
    return rc;
}

/* ---- calls of several statements ---- */

int tpt__sqlite_atomic_begin(tpt__sqlite *c, tpt_error *err)
{
    /* inside the caller's transaction a savepoint, so that the call's part
     * can be undone alone; else a write transaction of the call's own,
     * taking the write lock at once so that what it reads stays true */
    return tpt__sqlite_exec(c, c->base.depth > 0 ? "SAVEPOINT call;" : "BEGIN IMMEDIATE;", err);
}

int tpt__sqlite_atomic_end(tpt__sqlite *c, int rc, tpt_error *err)
{
    if (rc == 0) {
        rc = tpt__sqlite_exec(c, c->base.depth > 0 ? "RELEASE call;" : "COMMIT;", err);
        if (rc == 0) return 0;
    }
    sqlite3_exec(c->db, c->base.depth > 0 ? "ROLLBACK TO call; RELEASE call;" : "ROLLBACK;", NULL,
                 NULL, NULL);
    return rc;
}
