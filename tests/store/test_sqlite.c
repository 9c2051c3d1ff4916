/* What only the SQLite backend does (store/sqlite/): migrations from the
 * databases earlier releases left, a newer or foreign database left alone,
 * the lock of signed visits held by the database itself, the write-ahead
 * log, backups, and a database another program holds locked. The contract
 * every backend keeps is tests/store/conformance.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "tempdir.h"

static int setup(void **state)
{
    (void)state;
    return tempdir_make("sqlite-test");
}

static int teardown(void **state)
{
    (void)state;
    return tempdir_remove();
}

static const char *path(const char *name)
{
    return tempdir_path(name);
}

static tpt_store *open_store(const char *name)
{
    tpt_store *s;
    tpt_error err = {0};
    if (tpt_store_open(path(name), &s, &err) != 0) fail_msg("%s", err.message);
    return s;
}

static void log_at(tpt_store *s, int64_t patient, const char *at, int leg, int back)
{
    tpt_log_entry e = {.patient = patient,
                       .leg_pain = leg,
                       .back_pain = back,
                       .sitting_minutes = -1,
                       .walking_minutes = -1,
                       .sleep_disturbed = -1};
    snprintf(e.at, sizeof e.at, "%s", at);
    tpt_error err = {0};
    if (tpt_store_log_add(s, &e, NULL, &err) != 0) fail_msg("%s", err.message);
}

/* One value of a query on the database file itself. */
static int query_int(const char *name, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path(name), &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void migrates_from_version_1(void **state)
{
    (void)state;
    /* a database as the first release left it, with a log entry in it */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path("v1.db"), &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT NOT NULL, is_self "
                     "INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0, 1)));"
                     "CREATE TABLE log_entries (id INTEGER PRIMARY KEY, patient_id INTEGER NOT "
                     "NULL REFERENCES patients(id), at TEXT NOT NULL, leg_pain INTEGER CHECK "
                     "(leg_pain BETWEEN 0 AND 10), back_pain INTEGER CHECK (back_pain BETWEEN 0 "
                     "AND 10), sitting_minutes INTEGER CHECK (sitting_minutes BETWEEN 0 AND "
                     "1440), walking_minutes INTEGER CHECK (walking_minutes BETWEEN 0 AND 1440), "
                     "sleep_disturbed INTEGER CHECK (sleep_disturbed IN (0, 1)), medication TEXT, "
                     "note TEXT);"
                     "CREATE INDEX log_entries_by_patient ON log_entries(patient_id, at);"
                     "INSERT INTO patients (name, is_self) VALUES ('me', 1);"
                     "INSERT INTO log_entries (patient_id, at, leg_pain) VALUES (1, "
                     "'2026-01-02T03:04:05Z', 7);"
                     "PRAGMA user_version = 1;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    tpt_store *s = open_store("v1.db");
    assert_int_equal(tpt_store_version(s), tpt_store_latest_version());
    int64_t me;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    tpt_log_list log;
    assert_int_equal(tpt_store_log_list(s, me, &log, NULL), 0);
    assert_int_equal(log.count, 1); /* kept through the migration */
    assert_int_equal(log.items[0].leg_pain, 7);
    assert_int_equal(log.items[0].back_pain, -1);
    tpt_log_list_free(&log);
    /* and the newer tables work */
    tpt_record r = {.patient = me, .kind = TPT_RECORD_SCREEN, .at = "2026-01-02T03:04:06Z"};
    r.summary = "none";
    r.json = "{}";
    assert_int_equal(tpt_store_record_add(s, &r, NULL, NULL), 0);
    tpt_store_close(s);
}

static void a_newer_database_is_refused(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path("future.db"), &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    tpt_store *s;
    tpt_error err = {0};
    assert_int_not_equal(tpt_store_open(path("future.db"), &s, &err), 0);
    assert_non_null(strstr(err.message, "schema version 99, newer than this tpt knows"));
    /* one past the latest: made by a newer build, and left as it is (a number
     * no other build's schema file can take before this build knows it) */
    int next = tpt_store_latest_version() + 1;
    char sql[64];
    snprintf(sql, sizeof sql, "CREATE TABLE t (x); PRAGMA user_version = %d;", next);
    char says[80];
    snprintf(says, sizeof says, "schema version %d, newer than this tpt knows", next);
    assert_int_equal(sqlite3_open(path("next.db"), &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(tpt_store_open(path("next.db"), &s, &err), TPT_ERR_DATA);
    assert_non_null(strstr(err.message, says));
    assert_int_equal(query_int("next.db", "PRAGMA user_version"), next);
    assert_int_equal(query_int("next.db", "SELECT count(*) FROM t"), 0);
    /* not a database at all */
    FILE *f = fopen(path("text.db"), "w");
    fputs("these are not the pages of a database, just some text in a file\n", f);
    fclose(f);
    assert_int_not_equal(tpt_store_open(path("text.db"), &s, &err), 0);
    assert_non_null(strstr(err.message, "is not a tpt database"));
}

static void another_programs_database_is_left_alone(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path("other.db"), &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE photos (id INTEGER);", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    tpt_store *s;
    tpt_error err = {0};
    assert_int_not_equal(tpt_store_open(path("other.db"), &s, &err), 0);
    assert_non_null(strstr(err.message, "tables that are not tpt's"));
    assert_int_equal(sqlite3_open(path("other.db"), &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1); /* nothing added */
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The schema files, embedded in the store at build time, by version. */
extern const unsigned char tpt__sqlite_schema_1[], tpt__sqlite_schema_2[], tpt__sqlite_schema_3[],
    tpt__sqlite_schema_4[], tpt__sqlite_schema_5[], tpt__sqlite_schema_6[], tpt__sqlite_schema_7[],
    tpt__sqlite_schema_8[], tpt__sqlite_schema_9[], tpt__sqlite_schema_10[],
    tpt__sqlite_schema_13[], tpt__sqlite_schema_14[], tpt__sqlite_schema_15[];
static const struct {
    int version;
    const unsigned char *sql;
} schemas[] = {
    {1, tpt__sqlite_schema_1},   {2, tpt__sqlite_schema_2},   {3, tpt__sqlite_schema_3},
    {4, tpt__sqlite_schema_4},   {5, tpt__sqlite_schema_5},   {6, tpt__sqlite_schema_6},
    {7, tpt__sqlite_schema_7},   {8, tpt__sqlite_schema_8},   {9, tpt__sqlite_schema_9},
    {10, tpt__sqlite_schema_10}, {13, tpt__sqlite_schema_13}, {14, tpt__sqlite_schema_14},
    {15, tpt__sqlite_schema_15}};

/* A database whose schema files up to `made` were applied, at schema
 * version `version` (a release's own: the same), with `data` in it. */
static void database_made(const char *name, int made, int version, const char *data)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path(name), &db), SQLITE_OK);
    for (size_t i = 0; i < sizeof schemas / sizeof *schemas && schemas[i].version <= made; i++)
        assert_int_equal(sqlite3_exec(db, (const char *)schemas[i].sql, NULL, NULL, NULL),
                         SQLITE_OK);
    char bump[64];
    snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", version);
    assert_int_equal(sqlite3_exec(db, data, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, bump, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void database_at(const char *name, int version, const char *data)
{
    database_made(name, version, version, data);
}

/* Accounts made before clinics existed join the first clinic on migration. */
static void accounts_join_a_clinic_on_migration(void **state)
{
    (void)state;
    database_at("v3.db", 3,
                "INSERT INTO users (email, name, role, password_hash) VALUES "
                "('a@b.example', 'A', 'admin', 'h');");
    tpt_store *s = open_store("v3.db");
    assert_int_equal(tpt_store_version(s), tpt_store_latest_version());
    tpt_user u;
    assert_int_equal(tpt_store_user_by_email(s, "a@b.example", &u, NULL), 0);
    assert_int_equal(u.clinic, 1);
    tpt_clinic c;
    assert_int_equal(tpt_store_clinic_get(s, 1, &c, NULL), 0);
    tpt_store_close(s);
}

/* Schema 15 rebuilds the invitations and adds to the accounts: everything is kept,
 * the owner's own record becomes theirs alone, invitations get ids, and
 * the audit log's lines from before are counted apart from its chain. */
static void version_8_keeps_its_accounts_and_its_log(void **state)
{
    (void)state;
    database_at("v8.db", 8,
                "INSERT INTO clinics (id, name) VALUES (1, 'North');"
                "INSERT INTO patients (id, name, clinic_id) VALUES (1, 'Olga', 1), (2, 'Ann', 1);"
                "INSERT INTO users (id, email, name, role, password_hash, clinic_id, patient_id) "
                "VALUES (1, 'olga@north.example', 'Olga', 'admin', 'h', 1, 1), "
                "(2, 'ann@home.example', 'Ann', 'patient', 'h', 1, 2);"
                "INSERT INTO auth_sessions VALUES (x'01', 1, 'c', '2030-01-01T00:00:00Z');"
                "INSERT INTO invitations (token_hash, role, name, email, clinic_id, created_by, "
                "created, expires) VALUES (x'02', 'practitioner', 'Pia', '', 1, 1, "
                "'2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z');"
                "INSERT INTO audit (at, user_id, action, patient_id) VALUES "
                "('2026-01-01T00:00:00Z', 1, 'read the log', 2), "
                "('2026-01-02T00:00:00Z', 2, 'wrote a log entry', 2);");
    tpt_store *s = open_store("v8.db");
    assert_int_equal(tpt_store_version(s), tpt_store_latest_version());
    assert_int_equal(tpt_store_check(s, NULL), 0);
    tpt_user u;
    assert_int_equal(tpt_store_user_by_email(s, "OLGA@north.example", &u, NULL), 0);
    assert_int_equal(u.id, 1);
    assert_int_equal(u.patient, 1);
    assert_string_equal(u.disabled, "");
    tpt_patient own, ann;
    assert_int_equal(tpt_store_patient_get(s, 1, &own, NULL), 0);
    assert_int_equal(own.private_to, 1);
    assert_int_equal(tpt_store_patient_get(s, 2, &ann, NULL), 0);
    assert_int_equal(ann.private_to, 0); /* a patient's record stays the clinic's */
    tpt_invitation_list list;
    assert_int_equal(tpt_store_invitation_list(s, 1, "2026-06-01T00:00:00Z", &list, NULL), 0);
    assert_int_equal(list.count, 1);
    assert_true(list.items[0].id > 0);
    tpt_invitation_list_free(&list);
    tpt_audit_line line = {.at = "2026-01-03T00:00:00Z", .user = 1, .action = "signed in"};
    assert_int_equal(tpt_store_audit_add(s, &line, NULL), 0);
    tpt_audit_check check;
    assert_int_equal(tpt_store_audit_verify(s, &check, NULL), 0);
    assert_int_equal(check.lines, 3);
    assert_int_equal(check.unchained, 2);
    tpt_store_close(s);
    assert_int_equal(query_int("v8.db", "SELECT count(*) FROM auth_sessions"), 1);
    assert_int_equal(query_int("v8.db", "PRAGMA foreign_keys"), 0); /* another connection's */
}

/* A database at 13 (a clinic's licensed texts, as the release before the
 * calendar left it) takes 14 and 15: the patient, the text, the invitation
 * and the log are kept, and the calendar's tables are there. */
static void version_13_keeps_its_licensed_texts(void **state)
{
    (void)state;
    database_at("v13.db", 13,
                "INSERT INTO clinics (id, name) VALUES (1, 'North');"
                "INSERT INTO users (id, email, name, role, password_hash, clinic_id) "
                "VALUES (1, 'olga@north.example', 'Olga', 'admin', 'h', 1);"
                "INSERT INTO patients (name, clinic_id, contact) VALUES ('Ann', 1, "
                "'ann@example.org');"
                "INSERT INTO instrument_texts (clinic_id, instrument, file, at, author_id, text) "
                "VALUES (1, 'odi', 'odi.json', '2026-12-01T00:00:00Z', 1, '{}');"
                "INSERT INTO invitations (token_hash, role, name, email, clinic_id, created_by, "
                "created, expires) VALUES (x'02', 'practitioner', 'Pia', '', 1, 1, "
                "'2026-12-01T00:00:00Z', '2030-01-01T00:00:00Z');"
                "INSERT INTO audit (at, user_id, action) VALUES "
                "('2026-12-01T00:00:00Z', 1, 'added the clinic''s licensed text of odi');");
    tpt_store *s = open_store("v13.db");
    assert_int_equal(tpt_store_version(s), tpt_store_latest_version());
    assert_int_equal(tpt_store_check(s, NULL), 0);
    tpt_instrument_text_list texts;
    assert_int_equal(tpt_store_instrument_text_list(s, 1, &texts, NULL), 0);
    assert_int_equal(texts.count, 1);
    assert_string_equal(texts.items[0].file, "odi.json");
    tpt_instrument_text_list_free(&texts);
    tpt_invitation_list list;
    assert_int_equal(tpt_store_invitation_list(s, 1, "2026-12-02T00:00:00Z", &list, NULL), 0);
    assert_int_equal(list.count, 1);
    tpt_invitation_list_free(&list);
    tpt_audit_check check;
    assert_int_equal(tpt_store_audit_verify(s, &check, NULL), 0);
    assert_int_equal(check.unchained, 1);
    tpt_store_close(s);
    assert_int_equal(query_int("v13.db", "SELECT count(*) FROM patients WHERE name = 'Ann' AND "
                                         "clinic_id = 1 AND contact = 'ann@example.org'"),
                     1);
    /* and the calendar's tables there, empty */
    assert_int_equal(query_int("v13.db", "SELECT count(*) FROM appointments"), 0);
    assert_int_equal(query_int("v13.db", "SELECT count(*) FROM services"), 0);
}

/* A database at 15 takes 16: its appointments kept, without a language of
 * their own (their emails then speak the account's, else English). */
static void version_15_keeps_its_appointments(void **state)
{
    (void)state;
    database_at("v15.db", 15,
                "INSERT INTO clinics (id, name) VALUES (1, 'North');"
                "INSERT INTO users (id, email, name, role, password_hash, clinic_id) "
                "VALUES (1, 'ruth@north.example', 'Ruth', 'practitioner', 'h', 1);"
                "INSERT INTO patients (id, name, clinic_id) VALUES (1, 'Ann', 1);"
                "INSERT INTO appointments (clinic_id, patient_id, practitioner_id, starts, ends, "
                "status, source, created_at) VALUES (1, 1, 1, '2026-12-14T09:30:00Z', "
                "'2026-12-14T10:00:00Z', 'booked', 'online', '2026-12-01T00:00:00Z');");
    tpt_store *s = open_store("v15.db");
    assert_int_equal(tpt_store_version(s), tpt_store_latest_version());
    assert_int_equal(tpt_store_check(s, NULL), 0);
    tpt_appointment a;
    assert_int_equal(tpt_store_appointment_get(s, 1, &a, NULL), 0);
    assert_string_equal(a.starts, "2026-12-14T09:30:00Z");
    assert_string_equal(a.source, "online");
    assert_string_equal(a.language, "");
    tpt_store_close(s);
}

/* A version this build does not list (made by a build with a schema file
 * it lacks) is refused and left as it is, never taken past what it lacks. */
static void an_unlisted_version_is_refused(void **state)
{
    (void)state;
    database_made("v12.db", 10, 12, "CREATE TABLE made_by_12 (x);");
    tpt_store *s;
    tpt_error err = {0};
    assert_int_equal(tpt_store_open(path("v12.db"), &s, &err), TPT_ERR_DATA);
    assert_non_null(strstr(err.message, "schema version 12, which this tpt does not know"));
    assert_int_equal(query_int("v12.db", "PRAGMA user_version"), 12);
    assert_int_equal(
        query_int("v12.db", "SELECT count(*) FROM sqlite_master WHERE name = 'instrument_texts'"),
        0);
}

/* Changing or removing a line of the audit log in the file itself shows:
 * the check names the first line whose hash no longer holds. */
static void a_changed_audit_log_is_found(void **state)
{
    (void)state;
    tpt_store *s = open_store("tamper.db");
    for (int i = 1; i <= 5; i++) {
        char action[32];
        snprintf(action, sizeof action, "line %d", i);
        tpt_audit_line line = {.at = "2026-01-01T00:00:00Z", .action = action};
        assert_int_equal(tpt_store_audit_add(s, &line, NULL), 0);
    }
    tpt_audit_check check;
    tpt_error err = {0};
    assert_int_equal(tpt_store_audit_verify(s, &check, NULL), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path("tamper.db"), &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "UPDATE audit SET action = 'line three' WHERE id = 3", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(tpt_store_audit_verify(s, &check, &err), TPT_ERR_DATA);
    assert_int_equal(check.first_broken, 3);
    assert_non_null(strstr(err.message, "line 3"));
    assert_int_equal(
        sqlite3_exec(db, "UPDATE audit SET action = 'line 3' WHERE id = 3", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(tpt_store_audit_verify(s, &check, NULL), 0);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM audit WHERE id = 2", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(tpt_store_audit_verify(s, &check, &err), TPT_ERR_DATA);
    assert_int_equal(check.first_broken, 3);
    sqlite3_close(db);
    tpt_store_close(s);
}

static void backup_is_a_whole_copy(void **state)
{
    (void)state;
    tpt_store *s = open_store("live.db");
    int64_t me;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    for (int i = 0; i < 50; i++) {
        char at[32];
        snprintf(at, sizeof at, "2026-10-%02dT08:00:00Z", i % 28 + 1);
        log_at(s, me, at, i % 11, 10 - i % 11);
    }
    assert_int_equal(tpt_store_backup(s, path("copy.db"), NULL), 0);
    tpt_store_close(s);
    tpt_store *copy = open_store("copy.db");
    assert_int_equal(tpt_store_check(copy, NULL), 0);
    tpt_log_list log;
    assert_int_equal(tpt_store_self(copy, &me, NULL), 0);
    assert_int_equal(tpt_store_log_list(copy, me, &log, NULL), 0);
    assert_int_equal(log.count, 50);
    tpt_log_list_free(&log);
    tpt_store_close(copy);
    tpt_error err = {0};
    assert_int_not_equal(
        tpt_store_backup(copy = open_store("live.db"), "/nonexistent/dir/x.db", &err), 0);
    tpt_store_close(copy);
}

/* Another program holding the database locked beyond the wait makes a
 * change unavailable (try again later), not bad input; nothing is stored. */
static void a_database_held_by_another_is_unavailable(void **state)
{
    (void)state;
    tpt_store *s;
    tpt_error err = {0};
    int64_t patient;
    assert_int_equal(tpt_store_open(path("held.db"), &s, &err), 0);
    assert_int_equal(tpt_store_self(s, &patient, &err), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path("held.db"), &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "BEGIN EXCLUSIVE; DELETE FROM log_entries;", NULL, NULL, NULL), SQLITE_OK);
    tpt_log_entry e = {.patient = patient,
                       .leg_pain = 4,
                       .back_pain = -1,
                       .sitting_minutes = -1,
                       .walking_minutes = -1,
                       .sleep_disturbed = -1};
    snprintf(e.at, sizeof e.at, "2026-11-21T08:00:00Z");
    assert_int_equal(tpt_store_log_add(s, &e, NULL, &err), TPT_ERR_UNAVAILABLE);
    assert_non_null(strstr(err.message, "try again"));
    assert_int_equal(sqlite3_exec(db, "ROLLBACK;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(tpt_store_log_add(s, &e, NULL, &err), 0);
    tpt_log_list log;
    assert_int_equal(tpt_store_log_list(s, patient, &log, &err), 0);
    assert_int_equal(log.count, 1);
    tpt_log_list_free(&log);
    tpt_store_close(s);
}

/* The lock of signed visits and amendments holds in the database itself,
 * whatever program writes to it. */
static void the_lock_holds_in_the_database_itself(void **state)
{
    (void)state;
    tpt_store *s = open_store("lock.db");
    int64_t ann, visit;
    assert_int_equal(tpt_store_patient_add(s, "Ann Lee", 0, &ann, NULL), 0);
    tpt_visit v = {.patient = ann, .note = "{\"kind\":\"intake\"}"};
    snprintf(v.at, sizeof v.at, "2026-11-20T09:00:00Z");
    assert_int_equal(tpt_store_visit_add(s, &v, &visit, NULL, NULL), 0);
    assert_int_equal(tpt_store_visit_sign(s, visit, 0, "2026-11-20T10:00:00Z", NULL), 0);
    assert_int_equal(
        tpt_store_amendment_add(s, visit, 0, "2026-11-20T12:00:00Z", "Left side.", NULL, NULL), 0);
    tpt_store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path("lock.db"), &db), SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE visits SET note = '{}' WHERE number = 1", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM visits", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE amendments SET text = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM amendments", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* So does the rule that a clinician's assessment of a red flag is never
 * changed or deleted: it is what lifted the flag. */
static void assessments_stay_as_kept(void **state)
{
    (void)state;
    tpt_store *s = open_store("assessed.db");
    int64_t ann, ruth, screen, clinic;
    assert_int_equal(tpt_store_clinic_add(s, "North", &clinic, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Ann Lee", clinic, &ann, NULL), 0);
    tpt_user u = {.role = TPT_ROLE_PRACTITIONER, .clinic = clinic};
    snprintf(u.email, sizeof u.email, "ruth@clinic.example");
    snprintf(u.name, sizeof u.name, "Ruth");
    assert_int_equal(tpt_store_user_add(s, &u, &ruth, NULL), 0);
    tpt_record r = {.patient = ann, .kind = TPT_RECORD_SCREEN, .summary = "urgent", .json = "{}"};
    snprintf(r.at, sizeof r.at, "2026-11-20T09:00:00Z");
    assert_int_equal(tpt_store_record_add(s, &r, &screen, NULL), 0);
    tpt_assessment a = {.patient = ann, .author = ruth, .record = screen, .finding = "Fine."};
    snprintf(a.at, sizeof a.at, "2026-11-20T10:00:00Z");
    snprintf(a.flag, sizeof a.flag, "fever");
    assert_int_equal(tpt_store_assessment_add(s, &a, NULL, NULL), 0);
    tpt_store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path("assessed.db"), &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE assessments SET finding = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM assessments", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* Racing first uses make one patient of one's own, and the journal is the
 * write-ahead log the durability of acknowledged writes rests on. */
static void the_journal_is_the_write_ahead_log(void **state)
{
    (void)state;
    tpt_store *s = open_store("wal.db");
    int64_t me;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    tpt_store_close(s);
    assert_int_equal(query_int("wal.db", "SELECT count(*) FROM patients"), 1);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path("wal.db"), &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(query_int("wal.db", "PRAGMA user_version"), tpt_store_latest_version());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrates_from_version_1),
        cmocka_unit_test(a_newer_database_is_refused),
        cmocka_unit_test(another_programs_database_is_left_alone),
        cmocka_unit_test(accounts_join_a_clinic_on_migration),
        cmocka_unit_test(version_8_keeps_its_accounts_and_its_log),
        cmocka_unit_test(version_13_keeps_its_licensed_texts),
        cmocka_unit_test(version_15_keeps_its_appointments),
        cmocka_unit_test(an_unlisted_version_is_refused),
        cmocka_unit_test(a_changed_audit_log_is_found),
        cmocka_unit_test(backup_is_a_whole_copy),
        cmocka_unit_test(the_lock_holds_in_the_database_itself),
        cmocka_unit_test(assessments_stay_as_kept),
        cmocka_unit_test(the_journal_is_the_write_ahead_log),
        cmocka_unit_test(a_database_held_by_another_is_unavailable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
