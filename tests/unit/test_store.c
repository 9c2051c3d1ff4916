/* The SQLite store: migrations from empty and from every earlier version,
 * what is kept and refused, whole changes, backup and check, and that every
 * acknowledged write survives a process killed mid-stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tpt-store-test-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static tpt_store *open_store(const char *name)
{
    tpt_store *s;
    tpt_error err = {0};
    if (tpt_store_open(path(name), &s, &err) != 0) fail_msg("%s", err.message);
    return s;
}

/* An entry with leg and back pain (-1 for none) and nothing else; the caller sets `at`. */
static tpt_log_entry entry(int64_t patient, int leg, int back)
{
    return (tpt_log_entry){.patient = patient,
                           .leg_pain = leg,
                           .back_pain = back,
                           .sitting_minutes = -1,
                           .walking_minutes = -1,
                           .sleep_disturbed = -1};
}

static void log_at(tpt_store *s, int64_t patient, const char *at, int leg, int back)
{
    tpt_log_entry e = entry(patient, leg, back);
    snprintf(e.at, sizeof e.at, "%s", at);
    tpt_error err = {0};
    if (tpt_store_log_add(s, &e, NULL, &err) != 0) fail_msg("%s", err.message);
}

static void migrates_from_empty(void **state)
{
    (void)state;
    tpt_store *s = open_store("empty.db");
    assert_int_equal(tpt_store_version(s), tpt_store_latest_version());
    assert_int_equal(tpt_store_check(s, NULL), 0);
    tpt_store_close(s);
    /* opening again changes nothing */
    s = open_store("empty.db");
    assert_int_equal(tpt_store_version(s), tpt_store_latest_version());
    tpt_store_close(s);
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
    /* not a database at all */
    FILE *f = fopen(path("text.db"), "w");
    fputs("these are not the pages of a database, just some text in a file\n", f);
    fclose(f);
    assert_int_not_equal(tpt_store_open(path("text.db"), &s, &err), 0);
    assert_non_null(strstr(err.message, "is not a tpt database"));
}

static void the_log_keeps_what_it_is_given(void **state)
{
    (void)state;
    tpt_store *s = open_store("log.db");
    int64_t me, other;
    tpt_error err = {0};
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    int64_t again;
    assert_int_equal(tpt_store_self(s, &again, NULL), 0);
    assert_int_equal(me, again);
    assert_int_equal(tpt_store_patient_add(s, "Linda", 0, &other, NULL), 0);

    tpt_log_entry e = entry(me, 6, 3);
    snprintf(e.at, sizeof e.at, "2026-11-21T08:30:00Z");
    e.sitting_minutes = 20;
    e.sleep_disturbed = 1;
    e.note = "after gardening, \"slowly\"";
    assert_int_equal(tpt_store_log_add(s, &e, NULL, &err), 0);
    log_at(s, me, "2026-11-20T08:30:00Z", 7, 4);  /* earlier, added later */
    log_at(s, me, "2026-11-21T08:30:00Z", 5, -1); /* same minute: both kept */
    log_at(s, other, "2026-11-21T09:00:00Z", 2, 2);

    tpt_log_list log;
    assert_int_equal(tpt_store_log_list(s, me, &log, NULL), 0);
    assert_int_equal(log.count, 3);
    assert_string_equal(log.items[0].at, "2026-11-20T08:30:00Z"); /* oldest first */
    assert_int_equal(log.items[1].sitting_minutes, 20);
    assert_int_equal(log.items[1].sleep_disturbed, 1);
    assert_string_equal(log.items[1].note, "after gardening, \"slowly\"");
    assert_null(log.items[1].medication);
    assert_int_equal(log.items[2].back_pain, -1);
    tpt_log_list_free(&log);
    tpt_store_close(s);
}

static void bad_entries_are_refused_and_nothing_stored(void **state)
{
    (void)state;
    tpt_store *s = open_store("bad.db");
    int64_t me;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    static const struct {
        int leg, back, sitting;
        const char *at, *message;
        int64_t patient;
    } bad[] = {
        {11, -1, -1, "2026-11-21T08:30:00Z", "leg pain must be a whole number from 0 to 10", 0},
        {-1, -5, -1, "2026-11-21T08:30:00Z", "back pain must be a whole number from 0 to 10", 0},
        {-1, -1, -3, "2026-11-21T08:30:00Z", "sitting minutes must be", 0},
        {5, -1, -1, "yesterday", "time 'yesterday' is not a moment of the form", 0},
        {5, -1, -1, "2026-02-30T08:00:00Z", "time '2026-02-30T08:00:00Z' is not a moment", 0},
        {5, -1, -1, "1999-12-31T23:00:00Z", "(2000-2100)", 0},
        {5, -1, -1, "2026-11-21T24:00:00Z", "is not a moment", 0},
        {5, -1, -1, "2026-11-21T08:30:00Z", "there is no patient 999", 999},
        {-1, -1, -1, "2026-11-21T08:30:00Z", "needs at least one value", 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tpt_log_entry e = entry(bad[i].patient ? bad[i].patient : me, bad[i].leg, bad[i].back);
        e.sitting_minutes = bad[i].sitting;
        snprintf(e.at, sizeof e.at, "%s", bad[i].at);
        tpt_error err = {0};
        assert_int_equal(tpt_store_log_add(s, &e, NULL, &err), TPT_ERR_INPUT);
        if (!strstr(err.message, bad[i].message))
            fail_msg("got '%s', want '%s'", err.message, bad[i].message);
    }
    tpt_log_list log;
    assert_int_equal(tpt_store_log_list(s, me, &log, NULL), 0);
    assert_int_equal(log.count, 0);
    tpt_log_list_free(&log);
    tpt_store_close(s);
}

static void records_and_whole_changes(void **state)
{
    (void)state;
    tpt_store *s = open_store("records.db");
    int64_t me;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    static const char *const kinds[] = {"none", "myofascial", "none", "completed"};
    for (int k = 0; k < TPT_RECORD_KIND_COUNT; k++) {
        tpt_record r = {.patient = me, .kind = (tpt_record_kind)k};
        snprintf(r.at, sizeof r.at, "2026-11-2%dT10:00:00Z", k + 1);
        r.summary = (char *)kinds[k];
        r.input = k == TPT_RECORD_DRAWING ? "r.sole" : NULL;
        r.json = "{\"x\": 1}";
        assert_int_equal(tpt_store_record_add(s, &r, NULL, NULL), 0);
    }
    tpt_record_list list;
    assert_int_equal(tpt_store_record_list(s, me, -1, &list, NULL), 0);
    assert_int_equal(list.count, 4);
    tpt_record_list_free(&list);
    assert_int_equal(tpt_store_record_list(s, me, TPT_RECORD_DRAWING, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].input, "r.sole");
    assert_string_equal(list.items[0].summary, "myofascial");
    tpt_record_list_free(&list);

    /* a whole change rolled back leaves nothing behind */
    assert_int_equal(tpt_store_begin(s, NULL), 0);
    log_at(s, me, "2026-11-25T10:00:00Z", 4, 4);
    log_at(s, me, "2026-11-26T10:00:00Z", 3, 3);
    tpt_store_rollback(s);
    tpt_log_list log;
    assert_int_equal(tpt_store_log_list(s, me, &log, NULL), 0);
    assert_int_equal(log.count, 0);
    tpt_log_list_free(&log);
    assert_int_equal(tpt_store_begin(s, NULL), 0);
    log_at(s, me, "2026-11-25T10:00:00Z", 4, 4);
    assert_int_equal(tpt_store_commit(s, NULL), 0);
    assert_int_equal(tpt_store_log_list(s, me, &log, NULL), 0);
    assert_int_equal(log.count, 1);
    tpt_log_list_free(&log);
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

/* The child writes entries one by one and tells the parent each one the store
 * acknowledged; the parent kills it with SIGKILL in mid-stream. */
static void acknowledged_writes_survive_a_kill(void **state)
{
    (void)state;
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(pipefd[0]);
        tpt_store *s;
        int64_t me;
        if (tpt_store_open(path("crash.db"), &s, NULL) || tpt_store_self(s, &me, NULL)) _exit(3);
        for (int i = 0;; i++) {
            tpt_log_entry e = entry(me, i % 11, -1);
            snprintf(e.at, sizeof e.at, "2026-01-01T00:00:00Z");
            e.walking_minutes = i % 1441;
            int64_t id;
            if (tpt_store_log_add(s, &e, &id, NULL) != 0) _exit(4);
            if (write(pipefd[1], &id, sizeof id) != sizeof id) _exit(5);
        }
    }
    close(pipefd[1]);
    int64_t acked[4096];
    size_t n = 0;
    while (n < 300 && read(pipefd[0], &acked[n], sizeof acked[n]) == sizeof acked[n])
        n++;
    kill(child, SIGKILL);
    int status;
    waitpid(child, &status, 0);
    while (n < 4096 && read(pipefd[0], &acked[n], sizeof acked[n]) == sizeof acked[n])
        n++;
    close(pipefd[0]);
    assert_true(WIFSIGNALED(status));
    assert_true(n >= 300);

    tpt_store *s = open_store("crash.db");
    assert_int_equal(tpt_store_check(s, NULL), 0);
    int64_t me;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    tpt_log_list log;
    assert_int_equal(tpt_store_log_list(s, me, &log, NULL), 0);
    assert_true(log.count >= n); /* every acknowledged one, perhaps one more */
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < log.count && !found; k++)
            found = log.items[k].id == acked[i];
        if (!found) fail_msg("acknowledged entry %lld is lost", (long long)acked[i]);
    }
    for (size_t k = 0; k < log.count; k++) {
        /* nothing half-written: every row whole */
        assert_int_equal(log.items[k].leg_pain, (int)((log.items[k].id - 1) % 11));
        assert_int_equal(log.items[k].walking_minutes, (int)((log.items[k].id - 1) % 1441));
    }
    tpt_log_list_free(&log);
    tpt_store_close(s);
}

/* Eight first uses of a new database at once: one schema, one patient of
 * one's own, and every entry kept. */
static void first_uses_that_race_agree(void **state)
{
    (void)state;
    enum { WRITERS = 8 };
    pid_t pids[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            tpt_store *s;
            int64_t me;
            if (tpt_store_open(path("race.db"), &s, NULL) || tpt_store_self(s, &me, NULL)) _exit(3);
            tpt_log_entry e = entry(me, i, -1);
            snprintf(e.at, sizeof e.at, "2026-01-01T00:00:0%dZ", i);
            _exit(tpt_store_log_add(s, &e, NULL, NULL) == 0 ? 0 : 4);
        }
    }
    for (int i = 0; i < WRITERS; i++) {
        int status;
        waitpid(pids[i], &status, 0);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path("race.db"), &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM patients", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    /* and the journal is the write-ahead log the durability rests on */
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
    tpt_store *s = open_store("race.db");
    int64_t me;
    tpt_log_list log;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    assert_int_equal(tpt_store_log_list(s, me, &log, NULL), 0);
    assert_int_equal(log.count, WRITERS);
    tpt_log_list_free(&log);
    tpt_store_close(s);
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

static void accounts_sessions_and_audit(void **state)
{
    (void)state;
    tpt_store *s = open_store("accounts.db");
    tpt_error err = {0};
    int64_t count, id, other;
    assert_int_equal(tpt_store_user_count(s, &count, NULL), 0);
    assert_int_equal(count, 0);
    tpt_user u = {.role = TPT_ROLE_ADMIN};
    snprintf(u.email, sizeof u.email, "Owner@Clinic.example");
    snprintf(u.name, sizeof u.name, "Ruth");
    snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$v=19$m=65536,t=2,p=1$x$y");
    assert_int_equal(tpt_store_user_add(s, &u, &id, NULL), 0);
    /* the same email in another case is the same account */
    snprintf(u.email, sizeof u.email, "owner@clinic.example");
    assert_int_equal(tpt_store_user_add(s, &u, &other, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "already exists"));
    tpt_user found;
    assert_int_equal(tpt_store_user_by_email(s, "OWNER@clinic.example", &found, NULL), 0);
    assert_int_equal(found.id, id);
    assert_int_equal(found.role, TPT_ROLE_ADMIN);
    assert_int_equal(tpt_store_user_by_email(s, "nobody@x", &found, &err), TPT_ERR_INPUT);

    /* failed sign-ins per key: kept, replaced, forgotten by a good one, and
     * dropped a day after the latest whatever the key */
    tpt_sign_in_failures f = {.failures = 3}, kept;
    snprintf(f.locked_until, sizeof f.locked_until, "2026-11-21T10:00:00Z");
    snprintf(f.at, sizeof f.at, "2026-11-21T09:59:58Z");
    assert_int_equal(tpt_store_sign_in_failures(s, "k1", &kept, NULL), 0);
    assert_int_equal(kept.failures, 0);
    assert_string_equal(kept.locked_until, "");
    assert_int_equal(tpt_store_sign_in_record(s, "k1", &f, "2026-11-20T09:59:58Z", NULL), 0);
    f.failures = 1;
    assert_int_equal(tpt_store_sign_in_record(s, "k2", &f, "2026-11-20T09:59:58Z", NULL), 0);
    assert_int_equal(tpt_store_sign_in_failures(s, "k1", &kept, NULL), 0);
    assert_int_equal(kept.failures, 3);
    assert_string_equal(kept.locked_until, "2026-11-21T10:00:00Z");
    f.failures = 0;
    assert_int_equal(tpt_store_sign_in_record(s, "k1", &f, "", NULL), 0);
    assert_int_equal(tpt_store_sign_in_failures(s, "k1", &kept, NULL), 0);
    assert_int_equal(kept.failures, 0);
    f.failures = 1;
    snprintf(f.at, sizeof f.at, "2026-11-23T10:00:00Z");
    assert_int_equal(tpt_store_sign_in_record(s, "k3", &f, "2026-11-22T10:00:00Z", NULL), 0);
    assert_int_equal(tpt_store_sign_in_failures(s, "k2", &kept, NULL), 0);
    assert_int_equal(kept.failures, 0);
    assert_int_equal(tpt_store_sign_in_failures(s, "k3", &kept, NULL), 0);
    assert_int_equal(kept.failures, 1);
    assert_int_equal(tpt_store_user_set_password(s, id, "$argon2id$new", NULL), 0);
    assert_int_equal(tpt_store_user_by_id(s, id, &found, NULL), 0);
    assert_string_equal(found.password_hash, "$argon2id$new");

    tpt_auth_session a = {.user = id}, b = {.user = id}, got;
    memset(a.token_hash, 1, sizeof a.token_hash);
    memset(b.token_hash, 2, sizeof b.token_hash);
    snprintf(a.csrf, sizeof a.csrf, "csrf-a");
    snprintf(a.expires, sizeof a.expires, "2026-11-22T10:00:00Z");
    b = a;
    memset(b.token_hash, 2, sizeof b.token_hash);
    assert_int_equal(tpt_store_auth_session_add(s, &a, NULL), 0);
    assert_int_equal(tpt_store_auth_session_add(s, &b, NULL), 0);
    assert_int_equal(tpt_store_auth_session_find(s, a.token_hash, &got, NULL), 0);
    assert_int_equal(got.user, id);
    assert_string_equal(got.csrf, "csrf-a");
    /* a password change ends every other session */
    assert_int_equal(tpt_store_auth_session_delete_user(s, id, a.token_hash, NULL), 0);
    assert_int_equal(tpt_store_auth_session_find(s, b.token_hash, &got, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_auth_session_find(s, a.token_hash, &got, NULL), 0);
    assert_int_equal(tpt_store_auth_session_delete(s, a.token_hash, NULL), 0);
    assert_int_equal(tpt_store_auth_session_find(s, a.token_hash, &got, &err), TPT_ERR_INPUT);

    int64_t me;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    assert_int_equal(tpt_store_audit_add(s, "2026-11-21T10:00:00Z", id, "read log", me, NULL), 0);
    assert_int_equal(tpt_store_audit_add(s, "bad time", id, "read log", me, &err), TPT_ERR_INPUT);
    tpt_store_close(s);
}

static void clinics_patients_invitations(void **state)
{
    (void)state;
    tpt_store *s = open_store("clinics.db");
    tpt_error err = {0};
    int64_t north, south, ann, anna, bob, owner;
    assert_int_equal(tpt_store_clinic_add(s, "North", &north, NULL), 0);
    assert_int_equal(tpt_store_clinic_add(s, "South", &south, NULL), 0);
    assert_int_equal(tpt_store_clinic_add(s, "", &owner, &err), TPT_ERR_INPUT);
    tpt_clinic c;
    assert_int_equal(tpt_store_clinic_get(s, south, &c, NULL), 0);
    assert_string_equal(c.name, "South");
    assert_int_equal(tpt_store_clinic_get(s, 99, &c, &err), TPT_ERR_INPUT);

    assert_int_equal(tpt_store_patient_add(s, "Ann Lee", north, &ann, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "anna 50%", north, &anna, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Bob Ann", south, &bob, NULL), 0);
    /* a search stays in its clinic, ignores case and takes % as itself */
    tpt_patient_list list;
    assert_int_equal(tpt_store_patient_list(s, north, "ANN", false, 50, &list, NULL), 0);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0].id, ann);
    assert_int_equal(list.items[1].id, anna);
    tpt_patient_list_free(&list);
    assert_int_equal(tpt_store_patient_list(s, north, "50%", false, 50, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    tpt_patient_list_free(&list);
    assert_int_equal(tpt_store_patient_list(s, north, "%", false, 50, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    tpt_patient_list_free(&list);
    assert_int_equal(tpt_store_patient_list(s, south, NULL, false, 50, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0].id, bob);
    tpt_patient_list_free(&list);
    int64_t clinic;
    assert_int_equal(tpt_store_patient_clinic(s, bob, &clinic, NULL), 0);
    assert_int_equal(clinic, south);
    assert_int_equal(tpt_store_patient_clinic(s, 999, &clinic, &err), TPT_ERR_INPUT);

    tpt_user u = {.role = TPT_ROLE_ADMIN, .clinic = north};
    snprintf(u.email, sizeof u.email, "owner@north.example");
    snprintf(u.name, sizeof u.name, "Owner");
    snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$x");
    assert_int_equal(tpt_store_user_add(s, &u, &owner, NULL), 0);
    assert_int_equal(tpt_store_user_set_patient(s, owner, ann, NULL), 0);
    tpt_user found;
    assert_int_equal(tpt_store_user_by_id(s, owner, &found, NULL), 0);
    assert_int_equal(found.clinic, north);
    assert_int_equal(found.patient, ann);
    tpt_user_list users;
    assert_int_equal(tpt_store_user_list(s, &users, NULL), 0);
    assert_int_equal(users.count, 1);
    assert_string_equal(users.items[0].password_hash, ""); /* never in a list */
    tpt_user_list_free(&users);

    /* an invitation is used once, whoever races for it */
    tpt_invitation inv = {
        .role = TPT_ROLE_PATIENT, .clinic = north, .patient = anna, .created_by = owner};
    memset(inv.token_hash, 7, sizeof inv.token_hash);
    snprintf(inv.name, sizeof inv.name, "anna");
    snprintf(inv.created, sizeof inv.created, "2026-11-21T10:00:00Z");
    snprintf(inv.expires, sizeof inv.expires, "2026-11-28T10:00:00Z");
    assert_int_equal(tpt_store_invitation_add(s, &inv, NULL), 0);
    tpt_invitation got;
    assert_int_equal(tpt_store_invitation_find(s, inv.token_hash, &got, NULL), 0);
    assert_int_equal(got.role, TPT_ROLE_PATIENT);
    assert_int_equal(got.patient, anna);
    assert_string_equal(got.used, "");
    assert_int_equal(tpt_store_invitation_use(s, inv.token_hash, "2026-11-21T11:00:00Z", NULL), 0);
    assert_int_equal(tpt_store_invitation_use(s, inv.token_hash, "2026-11-21T11:00:01Z", &err),
                     TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_invitation_find(s, inv.token_hash, &got, NULL), 0);
    assert_string_equal(got.used, "2026-11-21T11:00:00Z");
    memset(inv.token_hash, 8, sizeof inv.token_hash);
    assert_int_equal(tpt_store_invitation_find(s, inv.token_hash, &got, &err), TPT_ERR_INPUT);

    /* the audit log, newest first, of one record or of all */
    assert_int_equal(tpt_store_audit_add(s, "2026-11-21T10:00:00Z", owner, "read log", ann, NULL),
                     0);
    assert_int_equal(tpt_store_audit_add(s, "2026-11-21T10:01:00Z", owner, "signed in", 0, NULL),
                     0);
    assert_int_equal(tpt_store_audit_add(s, "2026-11-21T10:02:00Z", owner, "wrote log", bob, NULL),
                     0);
    tpt_audit_list audit;
    assert_int_equal(tpt_store_audit_list(s, 0, 2, &audit, NULL), 0);
    assert_int_equal(audit.count, 2);
    assert_string_equal(audit.items[0].action, "wrote log");
    assert_string_equal(audit.items[0].patient_name, "Bob Ann");
    assert_string_equal(audit.items[0].user_email, "owner@north.example");
    assert_int_equal(audit.items[1].patient, 0);
    tpt_audit_list_free(&audit);
    assert_int_equal(tpt_store_audit_list(s, ann, 10, &audit, NULL), 0);
    assert_int_equal(audit.count, 1);
    assert_string_equal(audit.items[0].action, "read log");
    tpt_audit_list_free(&audit);
    tpt_store_close(s);
}

/* Accounts made before clinics existed join the first clinic on migration
 * (the database is taken back to the shape of version 3 by hand). */
static void accounts_join_a_clinic_on_migration(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path("v3.db"), &db), SQLITE_OK);
    tpt_store *s = open_store("v3.db");
    tpt_store_close(s);
    /* back to the shape of version 3: no clinic, one account */
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TABLE sign_in_failures; "
                                  "ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL "
                                  "DEFAULT 0; ALTER TABLE users ADD COLUMN locked_until TEXT "
                                  "NOT NULL DEFAULT ''; "
                                  "DROP TABLE measures; DROP TABLE amendments; DROP TABLE visits; "
                                  "ALTER TABLE patients DROP COLUMN birth_year; "
                                  "ALTER TABLE patients DROP COLUMN contact; "
                                  "ALTER TABLE patients DROP COLUMN consent; "
                                  "ALTER TABLE patients DROP COLUMN archived; "
                                  "ALTER TABLE patients DROP COLUMN planned_visits; "
                                  "DROP TABLE invitations; DROP INDEX patients_by_clinic; "
                                  "DROP INDEX audit_by_patient; ALTER TABLE users DROP COLUMN "
                                  "clinic_id; ALTER TABLE users DROP COLUMN patient_id; "
                                  "ALTER TABLE patients DROP COLUMN clinic_id; DROP TABLE clinics;"
                                  "INSERT INTO users (email, name, role, password_hash) VALUES "
                                  "('a@b.example', 'A', 'admin', 'h'); PRAGMA user_version = 3;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    s = open_store("v3.db");
    assert_int_equal(tpt_store_version(s), tpt_store_latest_version());
    tpt_user u;
    assert_int_equal(tpt_store_user_by_email(s, "a@b.example", &u, NULL), 0);
    assert_int_equal(u.clinic, 1);
    tpt_clinic c;
    assert_int_equal(tpt_store_clinic_get(s, 1, &c, NULL), 0);
    tpt_store_close(s);
}

static void patient_details_visits_and_their_lock(void **state)
{
    (void)state;
    tpt_store *s = open_store("visits.db");
    tpt_error err = {0};
    int64_t clinic, ann;
    assert_int_equal(tpt_store_clinic_add(s, "North", &clinic, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Ann Lee", clinic, &ann, NULL), 0);
    tpt_patient p;
    assert_int_equal(tpt_store_patient_get(s, ann, &p, NULL), 0);
    assert_int_equal(p.planned_visits, 6); /* the default course */
    assert_int_equal(p.birth_year, 0);
    p.birth_year = 1971;
    snprintf(p.contact, sizeof p.contact, "+44 20 7946 0000");
    snprintf(p.consent, sizeof p.consent, "2026-11-20T09:00:00Z");
    assert_int_equal(tpt_store_patient_save(s, &p, NULL), 0);
    tpt_patient got;
    assert_int_equal(tpt_store_patient_get(s, ann, &got, NULL), 0);
    assert_int_equal(got.birth_year, 1971);
    assert_string_equal(got.consent, "2026-11-20T09:00:00Z");
    p.birth_year = 1850;
    assert_int_equal(tpt_store_patient_save(s, &p, &err), TPT_ERR_INPUT);
    p.birth_year = 1971;
    p.planned_visits = 0;
    assert_int_equal(tpt_store_patient_save(s, &p, &err), TPT_ERR_INPUT);
    p.planned_visits = 6;
    snprintf(p.consent, sizeof p.consent, "yesterday");
    assert_int_equal(tpt_store_patient_save(s, &p, &err), TPT_ERR_INPUT);
    /* archived records leave the list, and come back in the archived one */
    snprintf(p.consent, sizeof p.consent, "2026-11-20T09:00:00Z");
    snprintf(p.archived, sizeof p.archived, "2026-11-21T09:00:00Z");
    assert_int_equal(tpt_store_patient_save(s, &p, NULL), 0);
    tpt_patient_list list;
    assert_int_equal(tpt_store_patient_list(s, clinic, NULL, false, 50, &list, NULL), 0);
    assert_int_equal(list.count, 0);
    tpt_patient_list_free(&list);
    assert_int_equal(tpt_store_patient_list(s, clinic, NULL, true, 50, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    tpt_patient_list_free(&list);

    /* visits are numbered per patient; a draft changes, a signed one never */
    tpt_visit v = {.patient = ann, .note = "{\"kind\":\"intake\"}"};
    snprintf(v.at, sizeof v.at, "2026-11-20T09:00:00Z");
    int64_t first, second;
    int number;
    assert_int_equal(tpt_store_visit_add(s, &v, &first, &number, NULL), 0);
    assert_int_equal(number, 1);
    assert_int_equal(tpt_store_visit_add(s, &v, &second, &number, NULL), 0);
    assert_int_equal(number, 2);
    assert_int_equal(tpt_store_visit_update(s, first, "{\"kind\":\"intake\",\"x\":1}", NULL, NULL),
                     0);
    assert_int_equal(
        tpt_store_amendment_add(s, first, 0, "2026-11-20T10:00:00Z", "late", NULL, &err),
        TPT_ERR_CONFLICT); /* a draft is edited, not amended */
    assert_int_equal(tpt_store_visit_sign(s, first, 0, "2026-11-20T10:00:00Z", NULL), 0);
    assert_int_equal(tpt_store_visit_update(s, first, "{}", NULL, &err), TPT_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "locked"));
    assert_int_equal(tpt_store_visit_sign(s, first, 0, "2026-11-20T11:00:00Z", &err),
                     TPT_ERR_CONFLICT);
    int64_t amendment;
    assert_int_equal(tpt_store_amendment_add(s, first, 0, "2026-11-20T12:00:00Z",
                                             "Left, not right, piriformis.", &amendment, NULL),
                     0);
    assert_int_equal(tpt_store_amendment_add(s, first, 0, "2026-11-20T12:00:00Z", "", NULL, &err),
                     TPT_ERR_INPUT);
    tpt_visit_list visits;
    assert_int_equal(tpt_store_visit_list(s, ann, &visits, NULL), 0);
    assert_int_equal(visits.count, 2);
    assert_string_equal(visits.items[0].note, "{\"kind\":\"intake\",\"x\":1}");
    assert_string_equal(visits.items[0].signed_at, "2026-11-20T10:00:00Z");
    assert_string_equal(visits.items[1].signed_at, "");
    tpt_visit_list_free(&visits);
    tpt_amendment_list amendments;
    assert_int_equal(tpt_store_amendment_list(s, first, &amendments, NULL), 0);
    assert_int_equal(amendments.count, 1);
    assert_string_equal(amendments.items[0].text, "Left, not right, piriformis.");
    tpt_amendment_list_free(&amendments);

    /* outcome measures, oldest first */
    tpt_measure m = {.patient = ann, .visit = 1, .score = 32, .answers = "{\"1\":2}"};
    snprintf(m.instrument, sizeof m.instrument, "odi");
    snprintf(m.band, sizeof m.band, "moderate");
    snprintf(m.at, sizeof m.at, "2026-11-20T09:30:00Z");
    assert_int_equal(tpt_store_measure_add(s, &m, NULL, NULL), 0);
    snprintf(m.at, sizeof m.at, "2026-11-19T09:30:00Z");
    m.score = 40;
    assert_int_equal(tpt_store_measure_add(s, &m, NULL, NULL), 0);
    snprintf(m.at, sizeof m.at, "2026-11-21T09:30:00Z");
    m.names = "{\"activity-1\":\"Putting on socks\"}";
    assert_int_equal(tpt_store_measure_add(s, &m, NULL, NULL), 0);
    m.names = NULL;
    snprintf(m.at, sizeof m.at, "soon");
    assert_int_equal(tpt_store_measure_add(s, &m, NULL, &err), TPT_ERR_INPUT);
    tpt_measure_list measures;
    assert_int_equal(tpt_store_measure_list(s, ann, &measures, NULL), 0);
    assert_int_equal(measures.count, 3);
    assert_true(measures.items[0].score == 40);
    assert_string_equal(measures.items[1].band, "moderate");
    assert_int_equal(measures.items[1].visit, 1);
    assert_null(measures.items[1].names);
    assert_string_equal(measures.items[2].names, "{\"activity-1\":\"Putting on socks\"}");
    tpt_measure_list_free(&measures);
    tpt_store_close(s);

    /* the lock holds in the database itself, whatever program writes to it */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path("visits.db"), &db), SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE visits SET note = '{}' WHERE number = 1", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM visits", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE amendments SET text = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM amendments", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrates_from_empty),
        cmocka_unit_test(migrates_from_version_1),
        cmocka_unit_test(a_newer_database_is_refused),
        cmocka_unit_test(the_log_keeps_what_it_is_given),
        cmocka_unit_test(bad_entries_are_refused_and_nothing_stored),
        cmocka_unit_test(records_and_whole_changes),
        cmocka_unit_test(backup_is_a_whole_copy),
        cmocka_unit_test(acknowledged_writes_survive_a_kill),
        cmocka_unit_test(first_uses_that_race_agree),
        cmocka_unit_test(another_programs_database_is_left_alone),
        cmocka_unit_test(accounts_sessions_and_audit),
        cmocka_unit_test(clinics_patients_invitations),
        cmocka_unit_test(accounts_join_a_clinic_on_migration),
        cmocka_unit_test(patient_details_visits_and_their_lock),
        cmocka_unit_test(a_database_held_by_another_is_unavailable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
