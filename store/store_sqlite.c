/* The SQLite backend of store.h: the one file that knows the database is SQLite. */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "tpt/time.h"

struct tpt_store {
    sqlite3 *db;
    /* Statements run for every entry of a bulk import, prepared once. */
    sqlite3_stmt *log_insert, *patient_exists;
};

/* Each migration takes the schema from version i to i + 1, in one transaction.
 * Released migrations never change; a new version appends one. */
static const char *const migrations[] = {
    /* 1: patients and the daily log */
    "CREATE TABLE patients ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  is_self INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0, 1)));"
    "CREATE TABLE log_entries ("
    "  id INTEGER PRIMARY KEY,"
    "  patient_id INTEGER NOT NULL REFERENCES patients(id),"
    "  at TEXT NOT NULL,"
    "  leg_pain INTEGER CHECK (leg_pain BETWEEN 0 AND 10),"
    "  back_pain INTEGER CHECK (back_pain BETWEEN 0 AND 10),"
    "  sitting_minutes INTEGER CHECK (sitting_minutes BETWEEN 0 AND 1440),"
    "  walking_minutes INTEGER CHECK (walking_minutes BETWEEN 0 AND 1440),"
    "  sleep_disturbed INTEGER CHECK (sleep_disturbed IN (0, 1)),"
    "  medication TEXT,"
    "  note TEXT);"
    "CREATE INDEX log_entries_by_patient ON log_entries(patient_id, at);",
    /* 2: what tpt produced for a patient */
    "CREATE TABLE records ("
    "  id INTEGER PRIMARY KEY,"
    "  patient_id INTEGER NOT NULL REFERENCES patients(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('screen', 'drawing', 'plan', 'session')),"
    "  at TEXT NOT NULL,"
    "  summary TEXT NOT NULL,"
    "  input TEXT,"
    "  body TEXT NOT NULL);"
    "CREATE INDEX records_by_patient ON records(patient_id, kind, at);"
    /* one record of one's own, even when several first uses race */
    "CREATE UNIQUE INDEX patients_one_self ON patients(is_self) WHERE is_self = 1;",
    /* 3: accounts of the web application, their sign-ins and the audit log */
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  name TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'practitioner', 'patient')),"
    "  password_hash TEXT NOT NULL,"
    "  failed_logins INTEGER NOT NULL DEFAULT 0,"
    "  locked_until TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE auth_sessions ("
    "  token_hash BLOB PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  csrf TEXT NOT NULL,"
    "  expires TEXT NOT NULL);"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  user_id INTEGER REFERENCES users(id),"
    "  action TEXT NOT NULL,"
    "  patient_id INTEGER REFERENCES patients(id));",
    /* 4: clinics, accounts tied to a clinic (and a patient to their record),
     * invitations; accounts made before clinics existed join the first one */
    "CREATE TABLE clinics ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL);"
    "ALTER TABLE users ADD COLUMN clinic_id INTEGER REFERENCES clinics(id);"
    "ALTER TABLE users ADD COLUMN patient_id INTEGER REFERENCES patients(id);"
    "ALTER TABLE patients ADD COLUMN clinic_id INTEGER REFERENCES clinics(id);"
    "INSERT INTO clinics (id, name) SELECT 1, 'Clinic' WHERE EXISTS (SELECT 1 FROM users);"
    "UPDATE users SET clinic_id = 1;"
    "CREATE INDEX patients_by_clinic ON patients(clinic_id, name);"
    "CREATE TABLE invitations ("
    "  token_hash BLOB PRIMARY KEY,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'practitioner', 'patient')),"
    "  name TEXT NOT NULL,"
    "  email TEXT NOT NULL,"
    "  clinic_id INTEGER NOT NULL REFERENCES clinics(id),"
    "  patient_id INTEGER REFERENCES patients(id),"
    "  created_by INTEGER NOT NULL REFERENCES users(id),"
    "  created TEXT NOT NULL,"
    "  expires TEXT NOT NULL,"
    "  used TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX audit_by_patient ON audit(patient_id, id);",
    /* 5: a clinic's patient details, visits in SOAP form (locked once
     * signed: the triggers refuse any change), amendments (never changed) */
    "ALTER TABLE patients ADD COLUMN birth_year INTEGER;"
    "ALTER TABLE patients ADD COLUMN contact TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE patients ADD COLUMN consent TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE patients ADD COLUMN archived TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE patients ADD COLUMN planned_visits INTEGER NOT NULL DEFAULT 6;"
    "CREATE TABLE visits ("
    "  id INTEGER PRIMARY KEY,"
    "  patient_id INTEGER NOT NULL REFERENCES patients(id),"
    "  number INTEGER NOT NULL,"
    "  at TEXT NOT NULL,"
    "  author_id INTEGER REFERENCES users(id),"
    "  note TEXT NOT NULL,"
    "  result TEXT,"
    "  signed_at TEXT NOT NULL DEFAULT '',"
    "  signed_by INTEGER REFERENCES users(id),"
    "  UNIQUE (patient_id, number));"
    "CREATE TRIGGER visits_locked BEFORE UPDATE ON visits WHEN OLD.signed_at != '' "
    "BEGIN SELECT RAISE(ABORT, 'a signed visit note is locked'); END;"
    "CREATE TRIGGER visits_kept BEFORE DELETE ON visits "
    "BEGIN SELECT RAISE(ABORT, 'visit notes are never deleted'); END;"
    "CREATE TABLE amendments ("
    "  id INTEGER PRIMARY KEY,"
    "  visit_id INTEGER NOT NULL REFERENCES visits(id),"
    "  at TEXT NOT NULL,"
    "  author_id INTEGER REFERENCES users(id),"
    "  text TEXT NOT NULL);"
    "CREATE INDEX amendments_by_visit ON amendments(visit_id, id);"
    "CREATE TRIGGER amendments_kept BEFORE UPDATE ON amendments "
    "BEGIN SELECT RAISE(ABORT, 'amendments are never changed'); END;"
    "CREATE TRIGGER amendments_not_deleted BEFORE DELETE ON amendments "
    "BEGIN SELECT RAISE(ABORT, 'amendments are never deleted'); END;",
    /* 6: outcome measures, each as answered and as scored */
    "CREATE TABLE measures ("
    "  id INTEGER PRIMARY KEY,"
    "  patient_id INTEGER NOT NULL REFERENCES patients(id),"
    "  instrument TEXT NOT NULL,"
    "  at TEXT NOT NULL,"
    "  visit INTEGER,"
    "  author_id INTEGER REFERENCES users(id),"
    "  answers TEXT NOT NULL,"
    "  score REAL NOT NULL,"
    "  band TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX measures_by_patient ON measures(patient_id, instrument, at);",
    /* 7: the names a person gives a measure's named items (the PSFS's
     * activities), as JSON, so the same things are rated next time */
    "ALTER TABLE measures ADD COLUMN names TEXT;",
    /* 8: failed sign-ins per email (a hash of it), known or not, in place of
     * the accounts' own counts, which told which emails have an account */
    "CREATE TABLE sign_in_failures ("
    "  email_key TEXT PRIMARY KEY,"
    "  failures INTEGER NOT NULL,"
    "  locked_until TEXT NOT NULL,"
    "  at TEXT NOT NULL);"
    "CREATE INDEX sign_in_failures_by_time ON sign_in_failures(at);"
    "ALTER TABLE users DROP COLUMN failed_logins;"
    "ALTER TABLE users DROP COLUMN locked_until;",
};
#define LATEST ((int)(sizeof migrations / sizeof *migrations))

int tpt_store_latest_version(void)
{
    return LATEST;
}

static int fail(tpt_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(tpt_error *err, int status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}

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
        return fail(err, status, "the database is unavailable (%s: %s): try again later", what,
                    msg);
    return fail(err, status, "database: %s: %s", what, msg);
}

static int db_fail(tpt_store *s, tpt_error *err, const char *what)
{
    return failed_as(err, sqlite3_extended_errcode(s->db), what, sqlite3_errmsg(s->db));
}

static int exec(tpt_store *s, const char *sql, tpt_error *err)
{
    char *msg = NULL;
    int code = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (code == SQLITE_OK) return 0;
    int rc = failed_as(err, code, "running a statement", msg ? msg : sqlite3_errmsg(s->db));
    sqlite3_free(msg);
    return rc;
}

static int prepare(tpt_store *s, const char *sql, sqlite3_stmt **st, tpt_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) == SQLITE_OK) return 0;
    return db_fail(s, err, "prepare");
}

/* A statement kept in the store: prepared on first use, reset and cleared
 * for every later one. The caller resets it after stepping. */
static int cached(tpt_store *s, sqlite3_stmt **slot, const char *sql, tpt_error *err)
{
    if (*slot) {
        sqlite3_reset(*slot);
        sqlite3_clear_bindings(*slot);
        return 0;
    }
    return prepare(s, sql, slot, err);
}

static bool has_tables(tpt_store *s)
{
    sqlite3_stmt *st;
    bool any = false;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master LIMIT 1", -1, &st, NULL) !=
        SQLITE_OK)
        return true; /* when in doubt, change nothing */
    any = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return any;
}

int tpt_store_version(tpt_store *s)
{
    sqlite3_stmt *st;
    int version = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return version;
}

/* Brings the schema up to date one version at a time. Each step reads the
 * version inside its own write transaction, so that processes opening a new
 * database at the same moment migrate it once, in turn. */
static int migrate(tpt_store *s, tpt_error *err)
{
    for (;;) {
        int rc = exec(s, "BEGIN IMMEDIATE;", err);
        if (rc) return rc;
        int version = tpt_store_version(s);
        if (version < 0)
            rc = db_fail(s, err, "reading the schema version");
        else if (version > LATEST)
            rc = fail(err, TPT_ERR_DATA,
                      "the database is at schema version %d, newer than this tpt knows (%d): "
                      "use a newer tpt",
                      version, LATEST);
        else if (version == 0 && has_tables(s))
            /* another program's database: never changed by tpt */
            rc = fail(err, TPT_ERR_INPUT, "this database holds tables that are not tpt's");
        if (rc || version == LATEST) {
            if (rc)
                sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
            else
                rc = exec(s, "COMMIT;", err);
            return rc;
        }
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", version + 1);
        if (!(rc = exec(s, migrations[version], err)) && !(rc = exec(s, bump, err)))
            rc = exec(s, "COMMIT;", err);
        if (rc) {
            sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
            return rc;
        }
    }
}

int tpt_store_open(const char *path, tpt_store **out, tpt_error *err)
{
    *out = NULL;
    tpt_store *s = calloc(1, sizeof *s);
    if (!s) return fail(err, TPT_ERR_NOMEM, "out of memory");
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        int rc = fail(err, TPT_ERR_INPUT, "cannot open the database %s: %s", path,
                      s->db ? sqlite3_errmsg(s->db) : "out of memory");
        tpt_store_close(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, 5000);
    /* WAL lets readers and a writer share the file; synchronous=FULL makes
     * every acknowledged write survive a crash of the process or the machine. */
    /* Switching to WAL takes a moment of the file to itself, and the busy
     * handler does not wait for that: another process opening the same new
     * database makes it answer "locked" at once, so it is tried again. */
    int rc = 0;
    for (int attempt = 0;; attempt++) {
        int code = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL;", NULL, NULL, NULL);
        if (code == SQLITE_OK) break;
        if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || attempt == 250) {
            rc = db_fail(s, err, "switching to the write-ahead log");
            break;
        }
        sqlite3_sleep(20);
    }
    if (!rc) rc = exec(s, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", err);
    if (!rc) rc = migrate(s, err);
    if (rc) {
        if (sqlite3_errcode(s->db) == SQLITE_NOTADB)
            fail(err, TPT_ERR_INPUT, "%s is not a tpt database", path);
        tpt_store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void tpt_store_close(tpt_store *s)
{
    if (!s) return;
    sqlite3_finalize(s->log_insert);
    sqlite3_finalize(s->patient_exists);
    sqlite3_close(s->db);
    free(s);
}

/* ---- patients ---- */

int tpt_store_self(tpt_store *s, int64_t *patient, tpt_error *err)
{
    /* One statement, so it is atomic; the unique index makes a racing twin a no-op. */
    sqlite3_stmt *st;
    int rc =
        prepare(s, "INSERT OR IGNORE INTO patients (name, is_self) VALUES ('me', 1)", &st, err);
    if (rc) return rc;
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return db_fail(s, err, "creating the patient");
    if ((rc = prepare(s, "SELECT id FROM patients WHERE is_self = 1", &st, err))) return rc;
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) *patient = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : db_fail(s, err, "finding the patient");
}

int tpt_store_patient_add(tpt_store *s, const char *name, int64_t clinic, int64_t *patient,
                          tpt_error *err)
{
    sqlite3_stmt *st;
    if (!name || !*name || strlen(name) > 200)
        return fail(err, TPT_ERR_INPUT, "a patient needs a name of 1 to 200 characters");
    int rc = prepare(s, "INSERT INTO patients (name, clinic_id) VALUES (?, ?)", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    if (clinic > 0) sqlite3_bind_int64(st, 2, clinic);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return db_fail(s, err, "adding a patient");
    *patient = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int tpt_store_patient_check(tpt_store *s, int64_t patient, tpt_error *err)
{
    int rc = cached(s, &s->patient_exists, "SELECT 1 FROM patients WHERE id = ?", err);
    if (rc) return rc;
    sqlite3_stmt *st = s->patient_exists;
    sqlite3_bind_int64(st, 1, patient);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step == SQLITE_ROW) return 0;
    if (step != SQLITE_DONE) return db_fail(s, err, "finding the patient");
    return fail(err, TPT_ERR_INPUT, "there is no patient %lld", (long long)patient);
}

char *tpt_store_patient_name(tpt_store *s, int64_t patient)
{
    sqlite3_stmt *st;
    char *name = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT name FROM patients WHERE id = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, patient);
    if (sqlite3_step(st) == SQLITE_ROW) name = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return name;
}

int tpt_store_patient_clinic(tpt_store *s, int64_t patient, int64_t *clinic, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT coalesce(clinic_id, 0) FROM patients WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) *clinic = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (step == SQLITE_ROW) return 0;
    if (step == SQLITE_DONE)
        return fail(err, TPT_ERR_INPUT, "there is no patient %lld", (long long)patient);
    return db_fail(s, err, "finding the patient");
}

/* Grows a list's array by doubling; 0, or -1 out of memory (the list intact). */
static int grow(void **items, size_t count, size_t *cap, size_t size)
{
    if (count < *cap) return 0;
    size_t n = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, n * size);
    if (!p) return -1;
    *items = p;
    *cap = n;
    return 0;
}

static void copy_column(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

#define PATIENT_COLUMNS                                                                            \
    "id, coalesce(clinic_id, 0), name, coalesce(birth_year, 0), contact, consent, archived, "      \
    "planned_visits"

static void patient_row(sqlite3_stmt *st, tpt_patient *p)
{
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    p->clinic = sqlite3_column_int64(st, 1);
    copy_column(st, 2, p->name, sizeof p->name);
    p->birth_year = sqlite3_column_int(st, 3);
    copy_column(st, 4, p->contact, sizeof p->contact);
    copy_column(st, 5, p->consent, sizeof p->consent);
    copy_column(st, 6, p->archived, sizeof p->archived);
    p->planned_visits = sqlite3_column_int(st, 7);
}

int tpt_store_patient_get(tpt_store *s, int64_t id, tpt_patient *out, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT " PATIENT_COLUMNS " FROM patients WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) patient_row(st, out);
    sqlite3_finalize(st);
    if (step == SQLITE_ROW) return 0;
    if (step == SQLITE_DONE)
        return fail(err, TPT_ERR_INPUT, "there is no patient %lld", (long long)id);
    return db_fail(s, err, "finding the patient");
}

int tpt_store_patient_list(tpt_store *s, int64_t clinic, const char *query, bool archived,
                           size_t limit, tpt_patient_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    /* instr on lower(): a search for "50%" means the text, not a LIKE pattern */
    int rc = prepare(s,
                     "SELECT " PATIENT_COLUMNS " FROM patients WHERE clinic_id = ?1 "
                     "AND (?2 IS NULL OR instr(lower(name), lower(?2)) > 0) "
                     "AND (archived != '') = ?4 "
                     "ORDER BY name COLLATE NOCASE, id LIMIT ?3",
                     &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
    if (query && *query) sqlite3_bind_text(st, 2, query, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
    sqlite3_bind_int(st, 4, archived);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&out->items, out->count, &cap, sizeof *out->items) != 0) {
            sqlite3_finalize(st);
            tpt_patient_list_free(out);
            return fail(err, TPT_ERR_NOMEM, "out of memory");
        }
        patient_row(st, &out->items[out->count++]);
    }
    sqlite3_finalize(st);
    if (step == SQLITE_DONE) return 0;
    tpt_patient_list_free(out);
    return db_fail(s, err, "listing the patients");
}

/* ---- clinics ---- */

int tpt_store_clinic_add(tpt_store *s, const char *name, int64_t *id, tpt_error *err)
{
    sqlite3_stmt *st;
    if (!name || !*name || strlen(name) > 200)
        return fail(err, TPT_ERR_INPUT, "a clinic needs a name of 1 to 200 characters");
    int rc = prepare(s, "INSERT INTO clinics (name) VALUES (?)", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return db_fail(s, err, "adding the clinic");
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int tpt_store_clinic_get(tpt_store *s, int64_t id, tpt_clinic *out, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT id, name FROM clinics WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        copy_column(st, 1, out->name, sizeof out->name);
    }
    sqlite3_finalize(st);
    if (step == SQLITE_ROW) return 0;
    if (step == SQLITE_DONE)
        return fail(err, TPT_ERR_INPUT, "there is no clinic %lld", (long long)id);
    return db_fail(s, err, "finding the clinic");
}

int tpt_store_clinic_list(tpt_store *s, tpt_clinic_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT id, name FROM clinics ORDER BY id", &st, err);
    if (rc) return rc;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&out->items, out->count, &cap, sizeof *out->items) != 0) {
            sqlite3_finalize(st);
            tpt_clinic_list_free(out);
            return fail(err, TPT_ERR_NOMEM, "out of memory");
        }
        tpt_clinic *c = &out->items[out->count++];
        c->id = sqlite3_column_int64(st, 0);
        copy_column(st, 1, c->name, sizeof c->name);
    }
    sqlite3_finalize(st);
    if (step == SQLITE_DONE) return 0;
    tpt_clinic_list_free(out);
    return db_fail(s, err, "listing the clinics");
}

/* ---- values ---- */

static int check_range(int value, int min, int max, const char *what, tpt_error *err)
{
    if (value == -1 || (value >= min && value <= max)) return 0;
    return fail(err, TPT_ERR_INPUT, "%s must be a whole number from %d to %d", what, min, max);
}

static int check_text(const char *text, const char *what, tpt_error *err)
{
    if (!text || strlen(text) <= TPT_TEXT_MAX) return 0;
    return fail(err, TPT_ERR_INPUT, "%s is longer than %d bytes", what, TPT_TEXT_MAX);
}

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

static char *column_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

/* ---- log entries ---- */

int tpt_store_log_add(tpt_store *s, const tpt_log_entry *e, int64_t *id, tpt_error *err)
{
    int rc;
    if ((rc = tpt_time_check(e->at, err)) ||
        (rc = check_range(e->leg_pain, 0, 10, "leg pain", err)) ||
        (rc = check_range(e->back_pain, 0, 10, "back pain", err)) ||
        (rc = check_range(e->sitting_minutes, 0, 1440, "sitting minutes", err)) ||
        (rc = check_range(e->walking_minutes, 0, 1440, "walking minutes", err)) ||
        (rc = check_range(e->sleep_disturbed, 0, 1, "sleep disturbed", err)) ||
        (rc = check_text(e->medication, "medication", err)) ||
        (rc = check_text(e->note, "the note", err)) ||
        (rc = tpt_store_patient_check(s, e->patient, err)))
        return rc;
    if (e->leg_pain < 0 && e->back_pain < 0 && e->sitting_minutes < 0 && e->walking_minutes < 0 &&
        e->sleep_disturbed < 0 && !e->medication && !e->note)
        return fail(err, TPT_ERR_INPUT, "a log entry needs at least one value");
    if ((rc = cached(s, &s->log_insert,
                     "INSERT INTO log_entries (patient_id, at, leg_pain, back_pain, "
                     "sitting_minutes, walking_minutes, sleep_disturbed, medication, note) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     err)))
        return rc;
    sqlite3_stmt *st = s->log_insert;
    sqlite3_bind_int64(st, 1, e->patient);
    sqlite3_bind_text(st, 2, e->at, -1, SQLITE_TRANSIENT);
    bind_optional_int(st, 3, e->leg_pain);
    bind_optional_int(st, 4, e->back_pain);
    bind_optional_int(st, 5, e->sitting_minutes);
    bind_optional_int(st, 6, e->walking_minutes);
    bind_optional_int(st, 7, e->sleep_disturbed);
    sqlite3_bind_text(st, 8, e->medication, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, e->note, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE) return db_fail(s, err, "storing the log entry");
    if (id) *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int tpt_store_log_list(tpt_store *s, int64_t patient, tpt_log_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = prepare(s,
                     "SELECT id, patient_id, at, leg_pain, back_pain, sitting_minutes, "
                     "walking_minutes, sleep_disturbed, medication, note FROM log_entries "
                     "WHERE patient_id = ? ORDER BY at, id",
                     &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 64;
            tpt_log_entry *items = realloc(out->items, cap * sizeof *items);
            if (!items) {
                sqlite3_finalize(st);
                tpt_log_list_free(out);
                return fail(err, TPT_ERR_NOMEM, "out of memory");
            }
            out->items = items;
        }
        tpt_log_entry *e = &out->items[out->count++];
        e->id = sqlite3_column_int64(st, 0);
        e->patient = sqlite3_column_int64(st, 1);
        snprintf(e->at, sizeof e->at, "%s", (const char *)sqlite3_column_text(st, 2));
        e->leg_pain = column_optional_int(st, 3);
        e->back_pain = column_optional_int(st, 4);
        e->sitting_minutes = column_optional_int(st, 5);
        e->walking_minutes = column_optional_int(st, 6);
        e->sleep_disturbed = column_optional_int(st, 7);
        e->medication = column_text(st, 8);
        e->note = column_text(st, 9);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        tpt_log_list_free(out);
        return db_fail(s, err, "reading the log");
    }
    return 0;
}

/* ---- records ---- */

int tpt_store_record_add(tpt_store *s, const tpt_record *r, int64_t *id, tpt_error *err)
{
    int rc;
    if ((unsigned)r->kind >= TPT_RECORD_KIND_COUNT)
        return fail(err, TPT_ERR_INPUT, "unknown record kind");
    if (!r->summary || !r->json)
        return fail(err, TPT_ERR_INPUT, "a record needs a summary and a body");
    if ((rc = tpt_time_check(r->at, err)) || (rc = tpt_store_patient_check(s, r->patient, err)))
        return rc;
    sqlite3_stmt *st;
    if ((rc = prepare(s,
                      "INSERT INTO records (patient_id, kind, at, summary, input, body) "
                      "VALUES (?, ?, ?, ?, ?, ?)",
                      &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, r->patient);
    sqlite3_bind_text(st, 2, tpt_record_kind_name(r->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, r->summary, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, r->input, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, r->json, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return db_fail(s, err, "storing the record");
    if (id) *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int tpt_store_record_list(tpt_store *s, int64_t patient, int kind, tpt_record_list *out,
                          tpt_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = prepare(s,
                     "SELECT id, patient_id, kind, at, summary, input, body FROM records "
                     "WHERE patient_id = ?1 AND (?2 IS NULL OR kind = ?2) ORDER BY at, id",
                     &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    if (kind >= 0 && kind < TPT_RECORD_KIND_COUNT)
        sqlite3_bind_text(st, 2, tpt_record_kind_name((tpt_record_kind)kind), -1, SQLITE_STATIC);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 16;
            tpt_record *items = realloc(out->items, cap * sizeof *items);
            if (!items) {
                sqlite3_finalize(st);
                tpt_record_list_free(out);
                return fail(err, TPT_ERR_NOMEM, "out of memory");
            }
            out->items = items;
        }
        tpt_record *r = &out->items[out->count++];
        r->id = sqlite3_column_int64(st, 0);
        r->patient = sqlite3_column_int64(st, 1);
        const char *k = (const char *)sqlite3_column_text(st, 2);
        if (tpt_record_kind_parse(k, &r->kind) != 0) r->kind = TPT_RECORD_SCREEN;
        snprintf(r->at, sizeof r->at, "%s", (const char *)sqlite3_column_text(st, 3));
        r->summary = column_text(st, 4);
        r->input = column_text(st, 5);
        r->json = column_text(st, 6);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        tpt_record_list_free(out);
        return db_fail(s, err, "reading the records");
    }
    return 0;
}

/* ---- transactions and safety ---- */

int tpt_store_begin(tpt_store *s, tpt_error *err)
{
    return exec(s, "BEGIN IMMEDIATE;", err);
}

int tpt_store_commit(tpt_store *s, tpt_error *err)
{
    return exec(s, "COMMIT;", err);
}

void tpt_store_rollback(tpt_store *s)
{
    sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
}

int tpt_store_backup(tpt_store *s, const char *dest, tpt_error *err)
{
    /* A backup never replaces a file: an old backup, or the database itself, stays whole. */
    FILE *exists = fopen(dest, "rb");
    if (exists) {
        fclose(exists);
        return fail(err, TPT_ERR_INPUT, "%s already exists: choose a new name for the backup",
                    dest);
    }
    sqlite3 *to;
    if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        int rc = fail(err, TPT_ERR_INPUT, "cannot create %s: %s", dest,
                      to ? sqlite3_errmsg(to) : "out of memory");
        sqlite3_close(to);
        return rc;
    }
    sqlite3_backup *b = sqlite3_backup_init(to, "main", s->db, "main");
    int rc = 0;
    if (!b) {
        rc = fail(err, TPT_ERR_INPUT, "cannot back up to %s: %s", dest, sqlite3_errmsg(to));
    } else {
        /* in steps, so that writers are not shut out for the whole copy */
        int step;
        while ((step = sqlite3_backup_step(b, 256)) == SQLITE_OK || step == SQLITE_BUSY ||
               step == SQLITE_LOCKED)
            sqlite3_sleep(step == SQLITE_OK ? 0 : 10);
        sqlite3_backup_finish(b);
        if (step != SQLITE_DONE)
            rc = fail(err, TPT_ERR_DATA, "backup to %s failed: %s", dest, sqlite3_errmsg(to));
    }
    sqlite3_close(to);
    return rc;
}

int tpt_store_check(tpt_store *s, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s, "PRAGMA integrity_check", &st, err);
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
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return db_fail(s, err, "integrity check");
    if (*problems) return fail(err, TPT_ERR_DATA, "the database is damaged: %s", problems);
    /* references that must hold even where foreign keys were once off */
    if ((rc = prepare(s, "PRAGMA foreign_key_check", &st, err))) return rc;
    step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step == SQLITE_ROW)
        return fail(err, TPT_ERR_DATA, "the database has rows without their patient");
    return 0;
}

/* ---- accounts ---- */

int tpt_store_user_count(tpt_store *s, int64_t *count, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT count(*) FROM users", &st, err);
    if (rc) return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) *count = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : db_fail(s, err, "counting the accounts");
}

int tpt_store_user_add(tpt_store *s, const tpt_user *u, int64_t *id, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s,
                     "INSERT INTO users (email, name, role, password_hash, clinic_id, patient_id) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, u->email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, u->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, tpt_role_name(u->role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, u->password_hash, -1, SQLITE_TRANSIENT);
    if (u->clinic > 0) sqlite3_bind_int64(st, 5, u->clinic);
    if (u->patient > 0) sqlite3_bind_int64(st, 6, u->patient);
    int step = sqlite3_step(st);
    int code = sqlite3_extended_errcode(s->db);
    sqlite3_finalize(st);
    if (step == SQLITE_DONE) {
        if (id) *id = sqlite3_last_insert_rowid(s->db);
        return 0;
    }
    if (code == SQLITE_CONSTRAINT_UNIQUE)
        return fail(err, TPT_ERR_INPUT, "an account with the email %s already exists", u->email);
    return db_fail(s, err, "adding the account");
}

static tpt_role role_of(const unsigned char *text)
{
    tpt_role role;
    /* the least, should the text ever be unknown */
    return tpt_role_parse((const char *)text, &role) == 0 ? role : TPT_ROLE_PATIENT;
}

/* The columns of USER_COLUMNS into a user. */
static void user_row(sqlite3_stmt *st, tpt_user *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(st, 0);
    copy_column(st, 1, out->email, sizeof out->email);
    copy_column(st, 2, out->name, sizeof out->name);
    out->role = role_of(sqlite3_column_text(st, 3));
    copy_column(st, 4, out->password_hash, sizeof out->password_hash);
    out->clinic = sqlite3_column_int64(st, 5);
    out->patient = sqlite3_column_int64(st, 6);
}

static int read_user(tpt_store *s, sqlite3_stmt *st, tpt_user *out, tpt_error *err)
{
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) user_row(st, out);
    sqlite3_finalize(st);
    if (step == SQLITE_ROW) return 0;
    if (step == SQLITE_DONE) return fail(err, TPT_ERR_INPUT, "no such account");
    return db_fail(s, err, "finding the account");
}

#define USER_COLUMNS                                                                               \
    "id, email, name, role, password_hash, coalesce(clinic_id, 0), coalesce(patient_id, 0)"

int tpt_store_user_by_email(tpt_store *s, const char *email, tpt_user *out, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT " USER_COLUMNS " FROM users WHERE email = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
    return read_user(s, st, out, err);
}

int tpt_store_user_by_id(tpt_store *s, int64_t id, tpt_user *out, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT " USER_COLUMNS " FROM users WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    return read_user(s, st, out, err);
}

int tpt_store_user_list(tpt_store *s, tpt_user_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT " USER_COLUMNS " FROM users ORDER BY id", &st, err);
    if (rc) return rc;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&out->items, out->count, &cap, sizeof *out->items) != 0) {
            sqlite3_finalize(st);
            tpt_user_list_free(out);
            return fail(err, TPT_ERR_NOMEM, "out of memory");
        }
        tpt_user *u = &out->items[out->count++];
        user_row(st, u);
        u->password_hash[0] = '\0'; /* a list is for showing: never carries them */
    }
    sqlite3_finalize(st);
    if (step == SQLITE_DONE) return 0;
    tpt_user_list_free(out);
    return db_fail(s, err, "listing the accounts");
}

/* An UPDATE or DELETE with its values bound by the caller's binder. */
static int change(tpt_store *s, const char *sql, void (*bind)(sqlite3_stmt *, const void *),
                  const void *ctx, const char *what, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s, sql, &st, err);
    if (rc) return rc;
    bind(st, ctx);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : db_fail(s, err, what);
}

typedef struct user_change {
    int64_t id;
    const char *text;
    int64_t number;
    const uint8_t *blob;
} user_change;

static void bind_password(sqlite3_stmt *st, const void *ctx)
{
    const user_change *c = ctx;
    sqlite3_bind_text(st, 1, c->text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, c->id);
}

int tpt_store_user_set_password(tpt_store *s, int64_t id, const char *hash, tpt_error *err)
{
    user_change c = {.id = id, .text = hash};
    return change(s, "UPDATE users SET password_hash = ? WHERE id = ?", bind_password, &c,
                  "changing the password", err);
}

static void bind_two_ids(sqlite3_stmt *st, const void *ctx)
{
    const user_change *c = ctx;
    if (c->number > 0) sqlite3_bind_int64(st, 1, c->number);
    sqlite3_bind_int64(st, 2, c->id);
}

int tpt_store_user_set_patient(tpt_store *s, int64_t id, int64_t patient, tpt_error *err)
{
    user_change c = {.id = id, .number = patient};
    return change(s, "UPDATE users SET patient_id = ? WHERE id = ?", bind_two_ids, &c,
                  "linking the account to a record", err);
}

static void bind_patient_update(sqlite3_stmt *st, const void *ctx)
{
    const user_change *c = ctx;
    sqlite3_bind_text(st, 1, c->text, -1, SQLITE_TRANSIENT);
    if (c->number > 0) sqlite3_bind_int64(st, 2, c->number);
    sqlite3_bind_int64(st, 3, c->id);
}

int tpt_store_patient_update(tpt_store *s, int64_t patient, const char *name, int64_t clinic,
                             tpt_error *err)
{
    if (!name || !*name || strlen(name) > 200)
        return fail(err, TPT_ERR_INPUT, "a patient needs a name of 1 to 200 characters");
    user_change c = {.id = patient, .number = clinic, .text = name};
    return change(s, "UPDATE patients SET name = ?, clinic_id = ? WHERE id = ?",
                  bind_patient_update, &c, "changing the patient", err);
}

int tpt_store_sign_in_failures(tpt_store *s, const char *key, tpt_sign_in_failures *out,
                               tpt_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = prepare(
        s, "SELECT failures, locked_until, at FROM sign_in_failures WHERE email_key = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->failures = sqlite3_column_int(st, 0);
        copy_column(st, 1, out->locked_until, sizeof out->locked_until);
        copy_column(st, 2, out->at, sizeof out->at);
    }
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, err, "reading sign-ins");
}

typedef struct sign_in_change {
    const char *key;
    const tpt_sign_in_failures *f;
} sign_in_change;

static void bind_sign_in(sqlite3_stmt *st, const void *ctx)
{
    const sign_in_change *c = ctx;
    sqlite3_bind_text(st, 1, c->key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, c->f->failures);
    sqlite3_bind_text(st, 3, c->f->locked_until, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, c->f->at, -1, SQLITE_TRANSIENT);
}

static void bind_one_text(sqlite3_stmt *st, const void *ctx)
{
    sqlite3_bind_text(st, 1, ctx, -1, SQLITE_TRANSIENT);
}

int tpt_store_sign_in_record(tpt_store *s, const char *key, const tpt_sign_in_failures *f,
                             const char *forget_before, tpt_error *err)
{
    sign_in_change c = {key, f};
    int rc = f->failures > 0
                 ? change(s,
                          "INSERT INTO sign_in_failures (email_key, failures, locked_until, at) "
                          "VALUES (?, ?, ?, ?) ON CONFLICT (email_key) DO UPDATE SET "
                          "failures = excluded.failures, locked_until = excluded.locked_until, "
                          "at = excluded.at",
                          bind_sign_in, &c, "recording the sign-in", err)
                 : change(s, "DELETE FROM sign_in_failures WHERE email_key = ?", bind_one_text, key,
                          "recording the sign-in", err);
    if (rc) return rc;
    return change(s, "DELETE FROM sign_in_failures WHERE at < ?", bind_one_text, forget_before,
                  "forgetting old sign-ins", err);
}

int tpt_store_auth_session_add(tpt_store *s, const tpt_auth_session *a, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s,
                     "INSERT INTO auth_sessions (token_hash, user_id, csrf, expires) "
                     "VALUES (?, ?, ?, ?)",
                     &st, err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, a->token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, a->user);
    sqlite3_bind_text(st, 3, a->csrf, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, a->expires, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : db_fail(s, err, "starting the session");
}

int tpt_store_auth_session_find(tpt_store *s, const uint8_t *token_hash, tpt_auth_session *out,
                                tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT user_id, csrf, expires FROM auth_sessions WHERE token_hash = ?",
                     &st, err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        memmove(out->token_hash, token_hash, TPT_TOKEN_HASH_SIZE); /* may be the same bytes */
        out->user = sqlite3_column_int64(st, 0);
        snprintf(out->csrf, sizeof out->csrf, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(out->expires, sizeof out->expires, "%s", (const char *)sqlite3_column_text(st, 2));
    }
    sqlite3_finalize(st);
    if (step == SQLITE_ROW) return 0;
    if (step == SQLITE_DONE) return fail(err, TPT_ERR_INPUT, "no such session");
    return db_fail(s, err, "finding the session");
}

static void bind_token(sqlite3_stmt *st, const void *ctx)
{
    const user_change *c = ctx;
    sqlite3_bind_blob(st, 1, c->blob, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
}

int tpt_store_auth_session_delete(tpt_store *s, const uint8_t *token_hash, tpt_error *err)
{
    user_change c = {.blob = token_hash};
    return change(s, "DELETE FROM auth_sessions WHERE token_hash = ?", bind_token, &c,
                  "ending the session", err);
}

static void bind_user_keep(sqlite3_stmt *st, const void *ctx)
{
    const user_change *c = ctx;
    sqlite3_bind_int64(st, 1, c->id);
    if (c->blob) sqlite3_bind_blob(st, 2, c->blob, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
}

int tpt_store_auth_session_delete_user(tpt_store *s, int64_t user, const uint8_t *keep,
                                       tpt_error *err)
{
    user_change c = {.id = user, .blob = keep};
    return change(
        s, "DELETE FROM auth_sessions WHERE user_id = ?1 AND (?2 IS NULL OR token_hash != ?2)",
        bind_user_keep, &c, "ending the sessions", err);
}

typedef struct audit_entry {
    const char *at, *action;
    int64_t user, patient;
} audit_entry;

static void bind_audit(sqlite3_stmt *st, const void *ctx)
{
    const audit_entry *a = ctx;
    sqlite3_bind_text(st, 1, a->at, -1, SQLITE_TRANSIENT);
    if (a->user > 0) sqlite3_bind_int64(st, 2, a->user);
    sqlite3_bind_text(st, 3, a->action, -1, SQLITE_TRANSIENT);
    if (a->patient > 0) sqlite3_bind_int64(st, 4, a->patient);
}

int tpt_store_audit_add(tpt_store *s, const char *at, int64_t user, const char *action,
                        int64_t patient, tpt_error *err)
{
    audit_entry a = {at, action, user, patient};
    int rc = tpt_time_check(at, err);
    if (rc) return rc;
    return change(s, "INSERT INTO audit (at, user_id, action, patient_id) VALUES (?, ?, ?, ?)",
                  bind_audit, &a, "writing the audit log", err);
}

static void audit_row(sqlite3_stmt *st, tpt_audit_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    copy_column(st, 1, e->at, sizeof e->at);
    e->user = sqlite3_column_int64(st, 2);
    copy_column(st, 3, e->action, sizeof e->action);
    e->patient = sqlite3_column_int64(st, 4);
    copy_column(st, 5, e->user_name, sizeof e->user_name);
    copy_column(st, 6, e->user_email, sizeof e->user_email);
    copy_column(st, 7, e->patient_name, sizeof e->patient_name);
}

int tpt_store_audit_list(tpt_store *s, int64_t patient, size_t limit, tpt_audit_list *out,
                         tpt_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = prepare(s,
                     "SELECT a.id, a.at, coalesce(a.user_id, 0), a.action, "
                     "coalesce(a.patient_id, 0), u.name, u.email, p.name FROM audit a "
                     "LEFT JOIN users u ON u.id = a.user_id "
                     "LEFT JOIN patients p ON p.id = a.patient_id "
                     "WHERE ?1 <= 0 OR a.patient_id = ?1 ORDER BY a.id DESC LIMIT ?2",
                     &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&out->items, out->count, &cap, sizeof *out->items) != 0) {
            sqlite3_finalize(st);
            tpt_audit_list_free(out);
            return fail(err, TPT_ERR_NOMEM, "out of memory");
        }
        audit_row(st, &out->items[out->count++]);
    }
    sqlite3_finalize(st);
    if (step == SQLITE_DONE) return 0;
    tpt_audit_list_free(out);
    return db_fail(s, err, "reading the audit log");
}

/* ---- invitations ---- */

int tpt_store_invitation_add(tpt_store *s, const tpt_invitation *inv, tpt_error *err)
{
    int rc;
    if ((rc = tpt_time_check(inv->created, err)) || (rc = tpt_time_check(inv->expires, err)))
        return rc;
    sqlite3_stmt *st;
    if ((rc =
             prepare(s,
                     "INSERT INTO invitations (token_hash, role, name, email, clinic_id, "
                     "patient_id, created_by, created, expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     &st, err)))
        return rc;
    sqlite3_bind_blob(st, 1, inv->token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, tpt_role_name(inv->role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, inv->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, inv->email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, inv->clinic);
    if (inv->patient > 0) sqlite3_bind_int64(st, 6, inv->patient);
    sqlite3_bind_int64(st, 7, inv->created_by);
    sqlite3_bind_text(st, 8, inv->created, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, inv->expires, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : db_fail(s, err, "storing the invitation");
}

int tpt_store_invitation_find(tpt_store *s, const uint8_t *token_hash, tpt_invitation *out,
                              tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s,
                     "SELECT role, name, email, clinic_id, coalesce(patient_id, 0), created_by, "
                     "created, expires, used FROM invitations WHERE token_hash = ?",
                     &st, err);
    if (rc) return rc;
    sqlite3_bind_blob(st, 1, token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        uint8_t hash[TPT_TOKEN_HASH_SIZE]; /* token_hash may point into out */
        memcpy(hash, token_hash, sizeof hash);
        memset(out, 0, sizeof *out);
        memcpy(out->token_hash, hash, sizeof hash);
        out->role = role_of(sqlite3_column_text(st, 0));
        copy_column(st, 1, out->name, sizeof out->name);
        copy_column(st, 2, out->email, sizeof out->email);
        out->clinic = sqlite3_column_int64(st, 3);
        out->patient = sqlite3_column_int64(st, 4);
        out->created_by = sqlite3_column_int64(st, 5);
        copy_column(st, 6, out->created, sizeof out->created);
        copy_column(st, 7, out->expires, sizeof out->expires);
        copy_column(st, 8, out->used, sizeof out->used);
    }
    sqlite3_finalize(st);
    if (step == SQLITE_ROW) return 0;
    if (step == SQLITE_DONE) return fail(err, TPT_ERR_INPUT, "no such invitation");
    return db_fail(s, err, "finding the invitation");
}

int tpt_store_invitation_use(tpt_store *s, const uint8_t *token_hash, const char *at,
                             tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = tpt_time_check(at, err);
    if (rc || (rc = prepare(s, "UPDATE invitations SET used = ? WHERE token_hash = ? AND used = ''",
                            &st, err)))
        return rc;
    sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 2, token_hash, TPT_TOKEN_HASH_SIZE, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return db_fail(s, err, "using the invitation");
    if (sqlite3_changes(s->db) != 1)
        return fail(err, TPT_ERR_CONFLICT, "the invitation has been used already");
    return 0;
}

/* ---- a clinic's patient details ---- */

int tpt_store_patient_save(tpt_store *s, const tpt_patient *p, tpt_error *err)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    int rc;
    if (!*p->name || strlen(p->name) > 200)
        return fail(err, TPT_ERR_INPUT, "a patient needs a name of 1 to 200 characters");
    if (p->birth_year && (p->birth_year < 1900 || p->birth_year > tm.tm_year + 1900))
        return fail(err, TPT_ERR_INPUT, "a birth year is from 1900 to this year");
    if (p->planned_visits < 1 || p->planned_visits > 50)
        return fail(err, TPT_ERR_INPUT, "a course of care plans 1 to 50 visits");
    if ((*p->consent && (rc = tpt_time_check(p->consent, err))) ||
        (*p->archived && (rc = tpt_time_check(p->archived, err))))
        return rc;
    sqlite3_stmt *st;
    if ((rc = prepare(s,
                      "UPDATE patients SET name = ?, birth_year = ?, contact = ?, consent = ?, "
                      "archived = ?, planned_visits = ? WHERE id = ?",
                      &st, err)))
        return rc;
    sqlite3_bind_text(st, 1, p->name, -1, SQLITE_TRANSIENT);
    if (p->birth_year) sqlite3_bind_int(st, 2, p->birth_year);
    sqlite3_bind_text(st, 3, p->contact, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, p->consent, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, p->archived, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, p->planned_visits);
    sqlite3_bind_int64(st, 7, p->id);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return db_fail(s, err, "saving the patient");
    if (sqlite3_changes(s->db) != 1)
        return fail(err, TPT_ERR_INPUT, "there is no patient %lld", (long long)p->id);
    return 0;
}

/* ---- visits and amendments ---- */

/* A change the lock triggers refused (RAISE(ABORT) in a trigger), said as the
 * rule it is; anything else as it failed. */
static int locked_or_failed(tpt_store *s, const char *what, tpt_error *err)
{
    if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_TRIGGER)
        return fail(err, TPT_ERR_CONFLICT, "%s: %s; add an amendment instead", what,
                    sqlite3_errmsg(s->db));
    return db_fail(s, err, what);
}

int tpt_store_visit_add(tpt_store *s, const tpt_visit *v, int64_t *id, int *number, tpt_error *err)
{
    int rc;
    if ((rc = tpt_time_check(v->at, err)) || (rc = tpt_store_patient_check(s, v->patient, err)))
        return rc;
    if (!v->note) return fail(err, TPT_ERR_INPUT, "a visit needs its note");
    sqlite3_stmt *st;
    /* the number in the same statement: two visits added at once get two */
    if ((rc = prepare(s,
                      "INSERT INTO visits (patient_id, number, at, author_id, note, result) "
                      "VALUES (?1, (SELECT coalesce(max(number), 0) + 1 FROM visits "
                      "WHERE patient_id = ?1), ?2, ?3, ?4, ?5) RETURNING id, number",
                      &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, v->patient);
    sqlite3_bind_text(st, 2, v->at, -1, SQLITE_TRANSIENT);
    if (v->author > 0) sqlite3_bind_int64(st, 3, v->author);
    sqlite3_bind_text(st, 4, v->note, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, v->result, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        if (id) *id = sqlite3_column_int64(st, 0);
        if (number) *number = sqlite3_column_int(st, 1);
        step = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : db_fail(s, err, "adding the visit");
}

int tpt_store_visit_update(tpt_store *s, int64_t id, const char *note, const char *result,
                           tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(s, "UPDATE visits SET note = ?, result = ? WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, note, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, result, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, id);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return locked_or_failed(s, "changing the visit", err);
    if (sqlite3_changes(s->db) != 1)
        return fail(err, TPT_ERR_INPUT, "there is no visit %lld", (long long)id);
    return 0;
}

int tpt_store_visit_sign(tpt_store *s, int64_t id, int64_t user, const char *at, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = tpt_time_check(at, err);
    if (rc ||
        (rc = prepare(s, "UPDATE visits SET signed_at = ?, signed_by = ? WHERE id = ?", &st, err)))
        return rc;
    sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
    if (user > 0) sqlite3_bind_int64(st, 2, user);
    sqlite3_bind_int64(st, 3, id);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return locked_or_failed(s, "signing the visit", err);
    if (sqlite3_changes(s->db) != 1)
        return fail(err, TPT_ERR_INPUT, "there is no visit %lld", (long long)id);
    return 0;
}

int tpt_store_visit_list(tpt_store *s, int64_t patient, tpt_visit_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = prepare(s,
                     "SELECT id, patient_id, number, at, coalesce(author_id, 0), signed_at, "
                     "coalesce(signed_by, 0), note, result FROM visits WHERE patient_id = ? "
                     "ORDER BY number",
                     &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&out->items, out->count, &cap, sizeof *out->items) != 0) break;
        tpt_visit *v = &out->items[out->count];
        memset(v, 0, sizeof *v);
        v->id = sqlite3_column_int64(st, 0);
        v->patient = sqlite3_column_int64(st, 1);
        v->number = sqlite3_column_int(st, 2);
        copy_column(st, 3, v->at, sizeof v->at);
        v->author = sqlite3_column_int64(st, 4);
        copy_column(st, 5, v->signed_at, sizeof v->signed_at);
        v->signed_by = sqlite3_column_int64(st, 6);
        v->note = column_text(st, 7);
        v->result = column_text(st, 8);
        out->count++;
        if (!v->note || (sqlite3_column_type(st, 8) != SQLITE_NULL && !v->result)) break;
    }
    sqlite3_finalize(st);
    if (step == SQLITE_DONE) return 0;
    tpt_visit_list_free(out);
    return step == SQLITE_ROW ? fail(err, TPT_ERR_NOMEM, "out of memory")
                              : db_fail(s, err, "listing the visits");
}

int tpt_store_amendment_add(tpt_store *s, int64_t visit, int64_t author, const char *at,
                            const char *text, int64_t *id, tpt_error *err)
{
    int rc = tpt_time_check(at, err);
    if (rc) return rc;
    if (!text || !*text || strlen(text) > TPT_TEXT_MAX)
        return fail(err, TPT_ERR_INPUT, "an amendment is a text of 1 to %d bytes", TPT_TEXT_MAX);
    sqlite3_stmt *st;
    /* only to a signed visit: a draft is still edited in place */
    if ((rc = prepare(s,
                      "INSERT INTO amendments (visit_id, at, author_id, text) SELECT id, ?2, ?3, "
                      "?4 FROM visits WHERE id = ?1 AND signed_at != ''",
                      &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, visit);
    sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
    if (author > 0) sqlite3_bind_int64(st, 3, author);
    sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return db_fail(s, err, "adding the amendment");
    if (sqlite3_changes(s->db) != 1)
        return fail(err, TPT_ERR_CONFLICT,
                    "visit %lld is not signed: change the draft itself, or sign it first",
                    (long long)visit);
    if (id) *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int tpt_store_amendment_list(tpt_store *s, int64_t visit, tpt_amendment_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = prepare(s,
                     "SELECT id, visit_id, coalesce(author_id, 0), at, text FROM amendments "
                     "WHERE visit_id = ? ORDER BY id",
                     &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, visit);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&out->items, out->count, &cap, sizeof *out->items) != 0) break;
        tpt_amendment *a = &out->items[out->count];
        a->id = sqlite3_column_int64(st, 0);
        a->visit = sqlite3_column_int64(st, 1);
        a->author = sqlite3_column_int64(st, 2);
        copy_column(st, 3, a->at, sizeof a->at);
        a->text = column_text(st, 4);
        out->count++;
        if (!a->text) break;
    }
    sqlite3_finalize(st);
    if (step == SQLITE_DONE) return 0;
    tpt_amendment_list_free(out);
    return step == SQLITE_ROW ? fail(err, TPT_ERR_NOMEM, "out of memory")
                              : db_fail(s, err, "listing the amendments");
}

/* ---- outcome measures ---- */

int tpt_store_measure_add(tpt_store *s, const tpt_measure *m, int64_t *id, tpt_error *err)
{
    int rc;
    if ((rc = tpt_time_check(m->at, err)) || (rc = tpt_store_patient_check(s, m->patient, err)))
        return rc;
    if (!*m->instrument || !m->answers)
        return fail(err, TPT_ERR_INPUT, "a measure needs its instrument and answers");
    sqlite3_stmt *st;
    if ((rc = prepare(s,
                      "INSERT INTO measures (patient_id, instrument, at, visit, author_id, "
                      "answers, score, band, names) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, m->patient);
    sqlite3_bind_text(st, 2, m->instrument, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, m->at, -1, SQLITE_TRANSIENT);
    if (m->visit > 0) sqlite3_bind_int(st, 4, m->visit);
    if (m->author > 0) sqlite3_bind_int64(st, 5, m->author);
    sqlite3_bind_text(st, 6, m->answers, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 7, m->score);
    sqlite3_bind_text(st, 8, m->band, -1, SQLITE_TRANSIENT);
    if (m->names) sqlite3_bind_text(st, 9, m->names, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return db_fail(s, err, "storing the measure");
    if (id) *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int tpt_store_measure_list(tpt_store *s, int64_t patient, tpt_measure_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = prepare(s,
                     "SELECT id, patient_id, instrument, at, coalesce(visit, 0), "
                     "coalesce(author_id, 0), answers, score, band, names FROM measures "
                     "WHERE patient_id = ? ORDER BY at, id",
                     &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, patient);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&out->items, out->count, &cap, sizeof *out->items) != 0) break;
        tpt_measure *m = &out->items[out->count];
        memset(m, 0, sizeof *m);
        m->id = sqlite3_column_int64(st, 0);
        m->patient = sqlite3_column_int64(st, 1);
        copy_column(st, 2, m->instrument, sizeof m->instrument);
        copy_column(st, 3, m->at, sizeof m->at);
        m->visit = sqlite3_column_int(st, 4);
        m->author = sqlite3_column_int64(st, 5);
        m->answers = column_text(st, 6);
        m->score = sqlite3_column_double(st, 7);
        copy_column(st, 8, m->band, sizeof m->band);
        bool named = sqlite3_column_type(st, 9) != SQLITE_NULL;
        m->names = named ? column_text(st, 9) : NULL;
        out->count++;
        if (!m->answers || (named && !m->names)) break;
    }
    sqlite3_finalize(st);
    if (step == SQLITE_DONE) return 0;
    tpt_measure_list_free(out);
    return step == SQLITE_ROW ? fail(err, TPT_ERR_NOMEM, "out of memory")
                              : db_fail(s, err, "listing the measures");
}
