/* A SQLite database: opening it (creating it when missing), bringing its
 * schema up to date, transactions, backups and the integrity check. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "sqlite.h"

/* Each migration takes the schema to its version in one transaction:
 * schema/NNN.sql, embedded at build time, in order of version. The numbers
 * may skip (versions kept by work that has not been released with this
 * one): a database goes from each version to the next one listed.
 * Released migrations never change; a new version appends a file. */
extern const unsigned char tpt__sqlite_schema_1[], tpt__sqlite_schema_2[], tpt__sqlite_schema_3[],
    tpt__sqlite_schema_4[], tpt__sqlite_schema_5[], tpt__sqlite_schema_6[], tpt__sqlite_schema_7[],
    tpt__sqlite_schema_8[], tpt__sqlite_schema_9[], tpt__sqlite_schema_10[],
    tpt__sqlite_schema_13[], tpt__sqlite_schema_14[], tpt__sqlite_schema_15[],
    tpt__sqlite_schema_16[];
static const struct migration {
    int version;
    const unsigned char *sql;
} migrations[] = {
    {1, tpt__sqlite_schema_1},   {2, tpt__sqlite_schema_2},   {3, tpt__sqlite_schema_3},
    {4, tpt__sqlite_schema_4},   {5, tpt__sqlite_schema_5},   {6, tpt__sqlite_schema_6},
    {7, tpt__sqlite_schema_7},   {8, tpt__sqlite_schema_8},   {9, tpt__sqlite_schema_9},
    {10, tpt__sqlite_schema_10}, {13, tpt__sqlite_schema_13}, {14, tpt__sqlite_schema_14},
    {15, tpt__sqlite_schema_15}, {16, tpt__sqlite_schema_16},
};
#define MIGRATIONS (sizeof migrations / sizeof *migrations)
_Static_assert(MIGRATIONS > 0, "a schema");

/* The migration that follows `version`, or NULL at the latest. A version
 * between two listed ones is one this tpt never made: refused by the caller. */
static const struct migration *next_migration(int version)
{
    for (size_t i = 0; i < MIGRATIONS; i++)
        if (migrations[i].version > version) return &migrations[i];
    return NULL;
}

static bool known_version(int version)
{
    for (size_t i = 0; i < MIGRATIONS; i++)
        if (migrations[i].version == version) return true;
    return version == 0;
}

static bool has_tables(tpt__sqlite *c)
{
    sqlite3_stmt *st;
    bool any = false;
    if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM sqlite_master LIMIT 1", -1, &st, NULL) !=
        SQLITE_OK)
        return true; /* when in doubt, change nothing */
    any = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return any;
}

int tpt__sqlite_version(tpt_store *s)
{
    sqlite3_stmt *st;
    int version = -1;
    if (sqlite3_prepare_v2(tpt__sqlite_of(s)->db, "PRAGMA user_version", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return version;
}

/* Whether every reference of the database holds (a migration that rebuilt a
 * table must leave none dangling): 0, or TPT_ERR_DATA. */
static int references_hold(tpt__sqlite *c, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "PRAGMA foreign_key_check", &st, err);
    if (rc) return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = tpt_error_set(err, TPT_ERR_DATA, "the migration left rows of %s without their %s",
                           (const char *)sqlite3_column_text(st, 0),
                           (const char *)sqlite3_column_text(st, 2));
    else if (step != SQLITE_DONE)
        rc = tpt__sqlite_fail(c, err, "checking references");
    sqlite3_finalize(st);
    return rc;
}

/* Brings the schema up to date one version at a time. Each step reads the
 * version inside its own write transaction, so that processes opening a new
 * database at the same moment migrate it once, in turn. Foreign keys are
 * off on this connection meanwhile (SQLite's way to rebuild a table that
 * others refer to), and every reference is checked before each commit. */
static int migrate(tpt__sqlite *c, tpt_error *err)
{
    for (;;) {
        int rc = tpt__sqlite_exec(c, "BEGIN IMMEDIATE;", err);
        if (rc) return rc;
        int version = tpt__sqlite_version(&c->base);
        if (version < 0)
            rc = tpt__sqlite_fail(c, err, "reading the schema version");
        else if (version > TPT__SQLITE_LATEST)
            rc = tpt_error_set(err, TPT_ERR_DATA,
                               "the database is at schema version %d, newer than this tpt knows "
                               "(%d): use a newer tpt",
                               version, TPT__SQLITE_LATEST);
        else if (!known_version(version))
            /* made by a build with versions this one does not have */
            rc = tpt_error_set(err, TPT_ERR_DATA,
                               "the database is at schema version %d, which this tpt does not "
                               "know (it knows up to %d): use the tpt that made it",
                               version, TPT__SQLITE_LATEST);
        else if (version == 0 && has_tables(c))
            /* another program's database: never changed by tpt */
            rc = tpt_error_set(err, TPT_ERR_INPUT, "this database holds tables that are not tpt's");
        if (rc || version == TPT__SQLITE_LATEST) {
            if (rc)
                sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
            else
                rc = tpt__sqlite_exec(c, "COMMIT;", err);
            return rc;
        }
        const struct migration *next = next_migration(version);
        if (!next) { /* TPT__SQLITE_LATEST beyond the last file: a build's mistake */
            sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
            return tpt_error_set(err, TPT_ERR_DATA, "no migration after schema version %d",
                                 version);
        }
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", next->version);
        if (!(rc = tpt__sqlite_exec(c, (const char *)next->sql, err)) &&
            !(rc = references_hold(c, err)) && !(rc = tpt__sqlite_exec(c, bump, err)))
            rc = tpt__sqlite_exec(c, "COMMIT;", err);
        if (rc) {
            sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
            return rc;
        }
    }
}

/* Makes the file `path` readable and writable by its owner only (0600),
 * whatever the umask, when it does not exist yet: SQLite would make it 0644,
 * and gives its write-ahead log the file's own permissions. 0, or -1 with
 * errno when it cannot be made (EEXIST: it is there already). A name
 * SQLite keeps in memory or reads as a URI is left to SQLite. */
static int create_private(const char *path)
{
    if (!*path || strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0) return 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

int tpt__sqlite_open(const char *path, unsigned flags, tpt_store **out, tpt_error *err)
{
    (void)flags; /* one file, one program at a time: every open brings it up to date */
    *out = NULL;
    tpt__sqlite *c = calloc(1, sizeof *c);
    if (!c) return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    create_private(path); /* an existing database keeps its permissions */
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        int rc = tpt_error_set(err, TPT_ERR_INPUT, "cannot open the database %s: %s", path,
                               c->db ? sqlite3_errmsg(c->db) : "out of memory");
        tpt__sqlite_close(&c->base);
        return rc;
    }
    sqlite3_busy_timeout(c->db, 5000);
    /* WAL lets readers and a writer share the file; synchronous=FULL makes
     * every acknowledged write survive a crash of the process or the machine. */
    /* Switching to WAL takes a moment of the file to itself, and the busy
     * handler does not wait for that: another process opening the same new
     * database makes it answer "locked" at once, so it is tried again. */
    int rc = 0;
    for (int attempt = 0;; attempt++) {
        int code = sqlite3_exec(c->db, "PRAGMA journal_mode = WAL;", NULL, NULL, NULL);
        if (code == SQLITE_OK) break;
        if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || attempt == 250) {
            rc = tpt__sqlite_fail(c, err, "switching to the write-ahead log");
            break;
        }
        sqlite3_sleep(20);
    }
    if (!rc) rc = tpt__sqlite_exec(c, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;", err);
    if (!rc) rc = migrate(c, err);
    if (!rc) rc = tpt__sqlite_exec(c, "PRAGMA foreign_keys = ON;", err);
    if (rc) {
        if (sqlite3_errcode(c->db) == SQLITE_NOTADB)
            tpt_error_set(err, TPT_ERR_INPUT, "%s is not a tpt database", path);
        tpt__sqlite_close(&c->base);
        return rc;
    }
    *out = &c->base;
    return 0;
}

void tpt__sqlite_close(tpt_store *s)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_finalize(c->log_insert);
    sqlite3_finalize(c->patient_exists);
    sqlite3_close(c->db);
    free(c);
}

/* ---- transactions and safety ---- */

int tpt__sqlite_begin(tpt_store *s, int depth, bool hold, tpt_error *err)
{
    (void)hold; /* SQLite has one writer: every transaction holds the database */
    char sql[32];
    if (depth > 1) snprintf(sql, sizeof sql, "SAVEPOINT g%d;", depth);
    /* IMMEDIATE takes the write lock now: the group's reads stay true */
    return tpt__sqlite_exec(tpt__sqlite_of(s), depth > 1 ? sql : "BEGIN IMMEDIATE;", err);
}

int tpt__sqlite_commit(tpt_store *s, int depth, tpt_error *err)
{
    char sql[32];
    if (depth > 1) snprintf(sql, sizeof sql, "RELEASE g%d;", depth);
    return tpt__sqlite_exec(tpt__sqlite_of(s), depth > 1 ? sql : "COMMIT;", err);
}

void tpt__sqlite_rollback(tpt_store *s, int depth)
{
    char sql[64];
    if (depth > 1) snprintf(sql, sizeof sql, "ROLLBACK TO g%d; RELEASE g%d;", depth, depth);
    sqlite3_exec(tpt__sqlite_of(s)->db, depth > 1 ? sql : "ROLLBACK;", NULL, NULL, NULL);
}

int tpt__sqlite_now(tpt_store *s, char out[TPT_TIME_MAX], tpt_error *err)
{
    (void)s;
    (void)err;
    /* the database is a file on this machine: its clock is this machine's */
    tpt_time_format((int64_t)time(NULL), out);
    return 0;
}

int tpt__sqlite_ping(tpt_store *s, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "SELECT count(*) FROM sqlite_master", &st, err);
    if (rc) return rc;
    rc = sqlite3_step(st) == SQLITE_ROW ? 0 : tpt__sqlite_fail(c, err, "reaching the database");
    sqlite3_finalize(st);
    return rc;
}

int tpt__sqlite_backup(tpt_store *s, const char *dest, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    /* A backup never replaces a file: an old backup, or the database itself,
     * stays whole. It is made the owner's alone, as the database is. */
    if (create_private(dest) != 0 && errno == EEXIST)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "%s already exists: choose a new name for the backup", dest);
    sqlite3 *to;
    if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        int rc = tpt_error_set(err, TPT_ERR_INPUT, "cannot create %s: %s", dest,
                               to ? sqlite3_errmsg(to) : "out of memory");
        sqlite3_close(to);
        return rc;
    }
    sqlite3_backup *b = sqlite3_backup_init(to, "main", c->db, "main");
    int rc = 0;
    if (!b) {
        rc =
            tpt_error_set(err, TPT_ERR_INPUT, "cannot back up to %s: %s", dest, sqlite3_errmsg(to));
    } else {
        /* In one step, under one read transaction: in WAL mode that shuts
         * no writer out, and it finishes under any write load. (In small
         * steps, every write by another connection would start the copy
         * over, and under steady writes it would never end.) */
        int step;
        while ((step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED)
            sqlite3_sleep(10);
        sqlite3_backup_finish(b);
        if (step != SQLITE_DONE)
            rc = tpt_error_set(err, TPT_ERR_DATA, "backup to %s failed: %s", dest,
                               sqlite3_errmsg(to));
    }
    sqlite3_close(to);
    return rc;
}

int tpt__sqlite_check(tpt_store *s, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "PRAGMA integrity_check", &st, err);
    if (rc) return rc;
    char problems[TPT_ERROR_MESSAGE_MAX] = "";
    size_t used = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        if (strcmp(line, "ok") == 0) continue;
        used +=
            (size_t)snprintf(problems + used, used < sizeof problems ? sizeof problems - used : 0,
                             "%s%s", used ? "; " : "", line);
        if (used >= sizeof problems) used = sizeof problems - 1;
    }
    if (step != SQLITE_DONE) rc = tpt__sqlite_fail(c, err, "integrity check");
    sqlite3_finalize(st);
    if (rc) return rc;
    if (*problems) return tpt_error_set(err, TPT_ERR_DATA, "the database is damaged: %s", problems);
    /* references that must hold even where foreign keys were once off */
    if ((rc = tpt__sqlite_prepare(c, "PRAGMA foreign_key_check", &st, err))) return rc;
    step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step == SQLITE_ROW)
        return tpt_error_set(err, TPT_ERR_DATA, "the database has rows without their patient");
    return 0;
}
