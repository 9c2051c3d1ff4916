/* The store's contract (store/store.h, docs/internals/store.md), written
 * against the interface only, so that it runs for every backend the build
 * has: what is kept and read back, in which order; what is refused, with
 * nothing stored; whole changes; ids; and what callers rely on when several
 * processes use one database at once (the first account, a clinic found or
 * made, visit numbers, one's own record), and that an acknowledged write
 * survives a killed process.
 *
 *     conformance [BASE]
 *
 * BASE is where the test databases go: a directory (default: a new one under
 * /tmp) for a backend of file paths, or a URI prefix for a backend of
 * addresses, to which each test appends its own name; such databases must
 * be empty when the suite starts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "conformance.h"

/* An entry with leg and back pain (-1 for none) and nothing else. */
tpt_log_entry entry(int64_t patient, const char *at, int leg, int back)
{
    tpt_log_entry e = {.patient = patient,
                       .leg_pain = leg,
                       .back_pain = back,
                       .sitting_minutes = -1,
                       .walking_minutes = -1,
                       .sleep_disturbed = -1};
    snprintf(e.at, sizeof e.at, "%s", at);
    return e;
}

int64_t log_at(tpt_store *s, int64_t patient, const char *at, int leg, int back)
{
    tpt_log_entry e = entry(patient, at, leg, back);
    tpt_error err = {0};
    int64_t id = 0;
    if (tpt_store_log_add(s, &e, &id, &err) != 0) fail_msg("%s", err.message);
    return id;
}

size_t log_count(tpt_store *s, int64_t patient)
{
    tpt_log_list log;
    assert_int_equal(tpt_store_log_list(s, patient, &log, NULL), 0);
    size_t n = log.count;
    tpt_log_list_free(&log);
    return n;
}

/* ---- opening ---- */

static void opens_at_the_latest_schema(void **state)
{
    (void)state;
    tpt_store *s = open_store("empty");
    assert_int_equal(tpt_store_version(s), tpt_store_latest_version());
    assert_int_equal(tpt_store_check(s, NULL), 0);
    tpt_store_close(s);
    s = open_store("empty"); /* opening again changes nothing */
    assert_int_equal(tpt_store_version(s), tpt_store_latest_version());
    tpt_store_close(s);
    tpt_store_close(NULL);
    tpt_error err = {0};
    assert_int_equal(tpt_store_open("nosuch://somewhere/tpt", &s, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "nosuch"));
    assert_null(s);
    assert_int_equal(tpt_store_open("", &s, &err), TPT_ERR_INPUT);
}

/* ---- the log and the records ---- */

static void the_log_keeps_what_it_is_given(void **state)
{
    (void)state;
    tpt_store *s = open_store("log");
    int64_t me, again, other;
    tpt_error err = {0};
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    assert_int_equal(tpt_store_self(s, &again, NULL), 0);
    assert_true(me > 0 && me == again);
    assert_int_equal(tpt_store_patient_add(s, "Linda", 0, &other, NULL), 0);
    assert_true(other > 0 && other != me);
    char *name = tpt_store_patient_name(s, me);
    assert_string_equal(name, "me");
    free(name);
    assert_null(tpt_store_patient_name(s, 99999));

    tpt_log_entry e = entry(me, "2026-11-21T08:30:00Z", 6, 3);
    e.sitting_minutes = 20;
    e.walking_minutes = 0;
    e.sleep_disturbed = 1;
    e.note = "after gardening, \"slowly\"";
    e.medication = "ibuprofen 400 mg";
    assert_int_equal(tpt_store_log_add(s, &e, NULL, &err), 0);
    log_at(s, me, "2026-11-20T08:30:00Z", 7, 4);  /* earlier, added later */
    log_at(s, me, "2026-11-21T08:30:00Z", 5, -1); /* the same moment: both kept */
    log_at(s, other, "2026-11-21T09:00:00Z", 2, 2);

    tpt_log_list log;
    assert_int_equal(tpt_store_log_list(s, me, &log, NULL), 0);
    assert_int_equal(log.count, 3);
    assert_string_equal(log.items[0].at, "2026-11-20T08:30:00Z"); /* by time */
    assert_int_equal(log.items[1].sitting_minutes, 20);           /* then as stored */
    assert_int_equal(log.items[1].walking_minutes, 0);
    assert_int_equal(log.items[1].sleep_disturbed, 1);
    assert_string_equal(log.items[1].note, "after gardening, \"slowly\"");
    assert_string_equal(log.items[1].medication, "ibuprofen 400 mg");
    assert_null(log.items[2].medication);
    assert_null(log.items[2].note);
    assert_int_equal(log.items[2].back_pain, -1);
    assert_int_equal(log.items[2].sleep_disturbed, -1);
    assert_true(log.items[1].id < log.items[2].id);
    for (size_t i = 0; i < log.count; i++)
        assert_int_equal(log.items[i].patient, me);
    tpt_log_list_free(&log);
    assert_int_equal(log_count(s, other), 1);
    assert_int_equal(log_count(s, 99999), 0);
    tpt_store_close(s);
}

static void bad_entries_are_refused_and_nothing_stored(void **state)
{
    (void)state;
    tpt_store *s = open_store("bad");
    int64_t me;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    static char long_text[TPT_TEXT_MAX + 2];
    memset(long_text, 'x', sizeof long_text - 1);
    static const struct {
        int leg, back, sitting;
        const char *at, *message;
        int64_t patient;
        bool long_note;
    } bad[] = {
        {11, -1, -1, "2026-11-21T08:30:00Z", "leg pain must be a whole number from 0 to 10", 0,
         false},
        {-1, -5, -1, "2026-11-21T08:30:00Z", "back pain must be a whole number from 0 to 10", 0,
         false},
        {-1, -1, -3, "2026-11-21T08:30:00Z", "sitting minutes must be", 0, false},
        {-1, -1, 1441, "2026-11-21T08:30:00Z", "sitting minutes must be", 0, false},
        {5, -1, -1, "yesterday", "time 'yesterday' is not a moment of the form", 0, false},
        {5, -1, -1, "2026-02-30T08:00:00Z", "time '2026-02-30T08:00:00Z' is not a moment", 0,
         false},
        {5, -1, -1, "1999-12-31T23:00:00Z", "(2000-2100)", 0, false},
        {5, -1, -1, "2026-11-21T24:00:00Z", "is not a moment", 0, false},
        {5, -1, -1, "2026-11-21T08:30:00Z", "there is no patient 999", 999, false},
        {-1, -1, -1, "2026-11-21T08:30:00Z", "needs at least one value", 0, false},
        {5, -1, -1, "2026-11-21T08:30:00Z", "the note is longer than 4096 bytes", 0, true},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tpt_log_entry e =
            entry(bad[i].patient ? bad[i].patient : me, bad[i].at, bad[i].leg, bad[i].back);
        e.sitting_minutes = bad[i].sitting;
        if (bad[i].long_note) e.note = long_text;
        tpt_error err = {0};
        assert_int_equal(tpt_store_log_add(s, &e, NULL, &err), TPT_ERR_INPUT);
        if (!strstr(err.message, bad[i].message))
            fail_msg("got '%s', want '%s'", err.message, bad[i].message);
    }
    assert_int_equal(log_count(s, me), 0);
    /* records: a kind, a summary and a body, a time, a patient */
    tpt_record r = {.patient = me, .kind = TPT_RECORD_KIND_COUNT, .at = "2026-11-21T08:30:00Z"};
    r.summary = "none";
    r.json = "{}";
    tpt_error err = {0};
    assert_int_equal(tpt_store_record_add(s, &r, NULL, &err), TPT_ERR_INPUT);
    r.kind = TPT_RECORD_SCREEN;
    r.json = NULL;
    assert_int_equal(tpt_store_record_add(s, &r, NULL, &err), TPT_ERR_INPUT);
    r.json = "{}";
    r.patient = 999;
    assert_int_equal(tpt_store_record_add(s, &r, NULL, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "no patient 999"));
    tpt_record_list list;
    assert_int_equal(tpt_store_record_list(s, me, -1, &list, NULL), 0);
    assert_int_equal(list.count, 0);
    tpt_record_list_free(&list);
    /* names of 1 to 200 characters */
    char long_name[TPT_NAME_MAX + 2];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    int64_t id;
    assert_int_equal(tpt_store_patient_add(s, "", 0, &id, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_patient_add(s, long_name, 0, &id, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_clinic_add(s, long_name, &id, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_patient_update(s, me, "", 0, &err), TPT_ERR_INPUT);
    long_name[TPT_NAME_MAX] = '\0';
    assert_int_equal(tpt_store_patient_add(s, long_name, 0, &id, &err), 0);
    tpt_store_close(s);
}

static void records_come_back_by_kind_and_time(void **state)
{
    (void)state;
    tpt_store *s = open_store("records");
    int64_t me, ids[TPT_RECORD_KIND_COUNT];
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    static const char *const summaries[] = {"none", "myofascial", "none", "completed"};
    for (int k = TPT_RECORD_KIND_COUNT - 1; k >= 0; k--) { /* the latest first */
        tpt_record r = {.patient = me, .kind = (tpt_record_kind)k};
        snprintf(r.at, sizeof r.at, "2026-11-2%dT10:00:00Z", k + 1);
        r.summary = (char *)summaries[k];
        r.input = k == TPT_RECORD_DRAWING ? "--finding slr:r r.sole:numb:6" : NULL;
        r.json = "{\"x\": 1}";
        assert_int_equal(tpt_store_record_add(s, &r, &ids[k], NULL), 0);
        assert_true(ids[k] > 0);
    }
    tpt_record_list list;
    assert_int_equal(tpt_store_record_list(s, me, -1, &list, NULL), 0);
    assert_int_equal(list.count, TPT_RECORD_KIND_COUNT);
    for (int k = 0; k < TPT_RECORD_KIND_COUNT; k++) { /* oldest first */
        assert_int_equal(list.items[k].kind, k);
        assert_int_equal(list.items[k].id, ids[k]);
        assert_string_equal(list.items[k].json, "{\"x\": 1}");
        if (k != TPT_RECORD_DRAWING) assert_null(list.items[k].input);
    }
    tpt_record_list_free(&list);
    assert_int_equal(tpt_store_record_list(s, me, TPT_RECORD_DRAWING, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].input, "--finding slr:r r.sole:numb:6");
    assert_string_equal(list.items[0].summary, "myofascial");
    assert_string_equal(list.items[0].at, "2026-11-22T10:00:00Z");
    tpt_record_list_free(&list);
    tpt_store_close(s);
}

/* ---- whole changes and isolation ---- */

static void whole_changes_land_together_or_not_at_all(void **state)
{
    (void)state;
    tpt_store *s = open_store("whole");
    int64_t me;
    tpt_error err = {0};
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    assert_int_equal(tpt_store_begin(s, NULL), 0);
    log_at(s, me, "2026-11-25T10:00:00Z", 4, 4);
    log_at(s, me, "2026-11-26T10:00:00Z", 3, 3);
    assert_int_equal(log_count(s, me), 2); /* a transaction reads its own writes */
    tpt_store_rollback(s);
    assert_int_equal(log_count(s, me), 0);
    assert_int_equal(tpt_store_begin_shared(s, NULL), 0);
    log_at(s, me, "2026-11-25T10:00:00Z", 4, 4);
    /* a group inside: rolled back alone, or committed into the transaction */
    assert_int_equal(tpt_store_begin(s, NULL), 0);
    log_at(s, me, "2026-11-28T10:00:00Z", 1, 1);
    tpt_store_rollback(s);
    assert_int_equal(log_count(s, me), 1);
    assert_int_equal(tpt_store_begin(s, NULL), 0);
    log_at(s, me, "2026-11-29T10:00:00Z", 1, 1);
    assert_int_equal(tpt_store_commit(s, NULL), 0);
    assert_int_equal(tpt_store_commit(s, NULL), 0);
    assert_int_equal(tpt_store_commit(s, &err), TPT_ERR_INPUT); /* none open now */
    tpt_store_rollback(s);                                      /* nothing to roll back */
    assert_int_equal(log_count(s, me), 2);
    /* a group inside that is rolled back undoes nothing of the transaction */
    assert_int_equal(tpt_store_begin(s, NULL), 0);
    assert_int_equal(tpt_store_begin(s, NULL), 0);
    log_at(s, me, "2026-11-30T10:00:00Z", 1, 1);
    tpt_store_rollback(s);
    tpt_store_rollback(s);
    assert_int_equal(log_count(s, me), 2);
    tpt_store_close(s);
    /* what a transaction left unfinished when its store closed is not kept */
    s = open_store("whole");
    assert_int_equal(tpt_store_begin(s, NULL), 0);
    log_at(s, me, "2026-11-27T10:00:00Z", 2, 2);
    tpt_store_close(s);
    s = open_store("whole");
    assert_int_equal(log_count(s, me), 2);
    tpt_store_close(s);
}

/* The first account, as the web application makes it: in one transaction,
 * count the accounts and, when there is none, make the clinic and the
 * owner. Of processes racing for it, one makes it. */
static int make_first_account(int i)
{
    tpt_store *s;
    if (tpt_store_open(db("setup"), &s, NULL)) return 3;
    int64_t count = -1, clinic, user;
    if (tpt_store_begin(s, NULL)) return 4;
    if (tpt_store_user_count(s, &count, NULL)) return 5;
    pause_briefly();
    if (count == 0) {
        tpt_user u = {.role = TPT_ROLE_ADMIN};
        snprintf(u.email, sizeof u.email, "owner%d@clinic.example", i);
        snprintf(u.name, sizeof u.name, "Owner %d", i);
        snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$x");
        if (tpt_store_clinic_add(s, "My clinic", &clinic, NULL)) return 6;
        u.clinic = clinic;
        if (tpt_store_user_add(s, &u, &user, NULL)) return 7;
    }
    int rc = tpt_store_commit(s, NULL) ? 8 : 0;
    tpt_store_close(s);
    return rc;
}

/* A clinic found or made, as the command line does: one at the end. */
static int find_or_make_clinic(int i)
{
    (void)i;
    tpt_store *s;
    if (tpt_store_open(db("clinic"), &s, NULL)) return 3;
    tpt_clinic_list list;
    int64_t id;
    if (tpt_store_begin(s, NULL) || tpt_store_clinic_list(s, &list, NULL)) return 4;
    pause_briefly();
    if (list.count == 0 && tpt_store_clinic_add(s, "My clinic", &id, NULL)) return 5;
    tpt_clinic_list_free(&list);
    int rc = tpt_store_commit(s, NULL) ? 6 : 0;
    tpt_store_close(s);
    return rc;
}

static void a_transaction_holds_what_it_read(void **state)
{
    (void)state;
    tpt_store_close(open_store("setup")); /* made once, so that the race is the setup's */
    tpt_store_close(open_store("clinic"));
    in_processes(8, make_first_account);
    in_processes(8, find_or_make_clinic);
    tpt_store *s = open_store("setup");
    int64_t count;
    tpt_clinic_list clinics;
    assert_int_equal(tpt_store_user_count(s, &count, NULL), 0);
    assert_int_equal(count, 1);
    assert_int_equal(tpt_store_clinic_list(s, &clinics, NULL), 0);
    assert_int_equal(clinics.count, 1);
    tpt_clinic_list_free(&clinics);
    tpt_store_close(s);
    s = open_store("clinic");
    assert_int_equal(tpt_store_clinic_list(s, &clinics, NULL), 0);
    assert_int_equal(clinics.count, 1);
    tpt_clinic_list_free(&clinics);
    tpt_store_close(s);
}

/* Eight first uses of a new database at once: one schema, one patient of
 * one's own, every entry kept. */
static int first_use(int i)
{
    tpt_store *s;
    int64_t me;
    if (tpt_store_open(db("race"), &s, NULL) || tpt_store_self(s, &me, NULL)) return 3;
    char at[TPT_TIME_MAX];
    snprintf(at, sizeof at, "2026-01-01T00:00:0%dZ", i);
    tpt_log_entry e = entry(me, at, i, -1);
    int rc = tpt_store_log_add(s, &e, NULL, NULL) ? 4 : 0;
    tpt_store_close(s);
    return rc;
}

static void first_uses_that_race_agree(void **state)
{
    (void)state;
    in_processes(8, first_use);
    tpt_store *s = open_store("race");
    int64_t me;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    assert_int_equal(log_count(s, me), 8); /* every process's own patient was this one */
    assert_int_equal(tpt_store_version(s), tpt_store_latest_version());
    tpt_store_close(s);
}

/* Visits added by several processes at once to one patient. */
static int64_t visit_patient;

static int add_visits(int i)
{
    (void)i;
    tpt_store *s;
    if (tpt_store_open(db("numbers"), &s, NULL)) return 3;
    tpt_visit v = {.patient = visit_patient, .note = "{\"kind\":\"follow-up\"}"};
    snprintf(v.at, sizeof v.at, "2026-11-20T09:00:00Z");
    for (int k = 0; k < 5; k++) {
        int number = 0;
        if (tpt_store_visit_add(s, &v, NULL, &number, NULL) || number < 1) return 4;
    }
    tpt_store_close(s);
    return 0;
}

static void visit_numbers_count_up_even_when_added_at_once(void **state)
{
    (void)state;
    tpt_store *s = open_store("numbers");
    int64_t other;
    assert_int_equal(tpt_store_patient_add(s, "Ann", 0, &visit_patient, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Bob", 0, &other, NULL), 0);
    in_processes(8, add_visits);
    tpt_visit_list visits;
    assert_int_equal(tpt_store_visit_list(s, visit_patient, &visits, NULL), 0);
    assert_int_equal(visits.count, 40);
    for (size_t i = 0; i < visits.count; i++) /* 1, 2, 3 ... 40: none twice, none missing */
        assert_int_equal(visits.items[i].number, (int)i + 1);
    tpt_visit_list_free(&visits);
    /* counted per patient */
    tpt_visit v = {.patient = other, .note = "{}"};
    snprintf(v.at, sizeof v.at, "2026-11-20T09:00:00Z");
    int number;
    int64_t id;
    assert_int_equal(tpt_store_visit_add(s, &v, &id, &number, NULL), 0);
    assert_int_equal(number, 1);
    assert_true(id > 0);
    tpt_store_close(s);
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
        if (tpt_store_open(db("crash"), &s, NULL) || tpt_store_self(s, &me, NULL)) _exit(3);
        for (int i = 0;; i++) {
            tpt_log_entry e = entry(me, "2026-01-01T00:00:00Z", i % 11, -1);
            char note[32];
            snprintf(note, sizeof note, "%d", i); /* each row says what it should hold */
            e.note = note;
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

    tpt_store *s = open_store("crash");
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
    for (size_t k = 0; k < log.count; k++) { /* nothing half-written: every row whole */
        assert_non_null(log.items[k].note);
        int i = atoi(log.items[k].note);
        assert_int_equal(log.items[k].leg_pain, i % 11);
        assert_int_equal(log.items[k].walking_minutes, i % 1441);
        if (k) assert_true(log.items[k].id > log.items[k - 1].id); /* ids grow */
    }
    tpt_log_list_free(&log);
    tpt_store_close(s);
}

/* ---- accounts ---- */

static void accounts_sessions_and_sign_ins(void **state)
{
    (void)state;
    tpt_store *s = open_store("accounts");
    tpt_error err = {0};
    int64_t count, id, other;
    assert_int_equal(tpt_store_user_count(s, &count, NULL), 0);
    assert_int_equal(count, 0);
    int64_t clinic;
    assert_int_equal(tpt_store_clinic_add(s, "North", &clinic, NULL), 0);
    tpt_user u = {.role = TPT_ROLE_ADMIN, .clinic = clinic};
    snprintf(u.email, sizeof u.email, "Owner@Clinic.example");
    snprintf(u.name, sizeof u.name, "Ruth");
    snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$v=19$m=65536,t=2,p=1$x$y");
    assert_int_equal(tpt_store_user_add(s, &u, &id, NULL), 0);
    assert_true(id > 0);
    /* the same email in another case is the same account */
    snprintf(u.email, sizeof u.email, "owner@clinic.example");
    assert_int_equal(tpt_store_user_add(s, &u, &other, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "already exists"));
    assert_int_equal(tpt_store_user_count(s, &count, NULL), 0);
    assert_int_equal(count, 1);
    tpt_user found;
    assert_int_equal(tpt_store_user_by_email(s, "OWNER@clinic.example", &found, NULL), 0);
    assert_int_equal(found.id, id);
    assert_int_equal(found.role, TPT_ROLE_ADMIN);
    assert_string_equal(found.email, "Owner@Clinic.example");
    assert_int_equal(tpt_store_user_by_email(s, "nobody@x", &found, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_user_by_id(s, 99999, &found, &err), TPT_ERR_INPUT);

    /* failed sign-ins per key, counted before the password is checked:
     * free attempts, then waits that double, no count while waiting, a
     * good sign-in forgets them, and a day after the latest they go */
    tpt_sign_in_failures kept;
    bool allowed;
    tpt_sign_in_attempt try = {.key = "k1",
                               .now = "2026-11-21T10:00:00Z",
                               .free_failures = 3,
                               .max_wait = 5,
                               .forget_before = "2026-11-20T10:00:00Z"};
    assert_int_equal(tpt_store_sign_in_failures(s, "k1", &kept, NULL), 0);
    assert_int_equal(kept.failures, 0);
    assert_string_equal(kept.locked_until, "");
    for (int i = 1; i <= 2; i++) {
        assert_int_equal(tpt_store_sign_in_reserve(s, &try, &allowed, &kept, NULL), 0);
        assert_true(allowed);
        assert_int_equal(kept.failures, i);
        assert_string_equal(kept.locked_until, "");
        assert_string_equal(kept.at, "2026-11-21T10:00:00Z");
    }
    assert_int_equal(tpt_store_sign_in_reserve(s, &try, &allowed, &kept, NULL), 0);
    assert_true(allowed); /* the third: counted, and the next must wait 2 s */
    assert_int_equal(kept.failures, 3);
    assert_string_equal(kept.locked_until, "2026-11-21T10:00:02Z");
    try.now = "2026-11-21T10:00:01Z"; /* too soon: refused, not counted */
    assert_int_equal(tpt_store_sign_in_reserve(s, &try, &allowed, &kept, NULL), 0);
    assert_false(allowed);
    assert_int_equal(kept.failures, 3);
    assert_string_equal(kept.locked_until, "2026-11-21T10:00:02Z");
    try.now = "2026-11-21T10:00:02Z"; /* then 4 s, then the longest wait, 5 s */
    assert_int_equal(tpt_store_sign_in_reserve(s, &try, &allowed, &kept, NULL), 0);
    assert_true(allowed);
    assert_string_equal(kept.locked_until, "2026-11-21T10:00:06Z");
    try.now = "2026-11-21T10:00:06Z";
    assert_int_equal(tpt_store_sign_in_reserve(s, &try, &allowed, &kept, NULL), 0);
    assert_int_equal(kept.failures, 5);
    assert_string_equal(kept.locked_until, "2026-11-21T10:00:11Z");
    tpt_sign_in_attempt apart = try; /* another key counts apart */
    apart.key = "k2";
    assert_int_equal(tpt_store_sign_in_reserve(s, &apart, &allowed, &kept, NULL), 0);
    assert_true(allowed);
    assert_int_equal(kept.failures, 1);
    assert_int_equal(tpt_store_sign_in_clear(s, "k1", NULL), 0);
    assert_int_equal(tpt_store_sign_in_failures(s, "k1", &kept, NULL), 0);
    assert_int_equal(kept.failures, 0);
    apart.key = "k3";
    apart.now = "2026-11-23T10:00:00Z";
    apart.forget_before = "2026-11-22T10:00:00Z";
    assert_int_equal(tpt_store_sign_in_reserve(s, &apart, &allowed, &kept, NULL), 0);
    assert_int_equal(tpt_store_sign_in_failures(s, "k2", &kept, NULL), 0);
    assert_int_equal(kept.failures, 0); /* a day old: gone */
    assert_int_equal(tpt_store_sign_in_failures(s, "k3", &kept, NULL), 0);
    assert_int_equal(kept.failures, 1);
    assert_int_equal(tpt_store_user_set_password(s, id, "$argon2id$new", NULL), 0);
    assert_int_equal(tpt_store_user_by_id(s, id, &found, NULL), 0);
    assert_string_equal(found.password_hash, "$argon2id$new");

    tpt_auth_session a = {.user = id}, b, got;
    memset(a.token_hash, 1, sizeof a.token_hash);
    snprintf(a.csrf, sizeof a.csrf, "csrf-a");
    snprintf(a.expires, sizeof a.expires, "2026-11-22T10:00:00Z");
    b = a;
    memset(b.token_hash, 2, sizeof b.token_hash);
    assert_int_equal(tpt_store_auth_session_add(s, &a, NULL), 0);
    assert_int_equal(tpt_store_auth_session_add(s, &b, NULL), 0);
    assert_int_equal(tpt_store_auth_session_find(s, a.token_hash, &got, NULL), 0);
    assert_int_equal(got.user, id);
    assert_string_equal(got.csrf, "csrf-a");
    assert_string_equal(got.expires, "2026-11-22T10:00:00Z");
    assert_memory_equal(got.token_hash, a.token_hash, sizeof a.token_hash);
    /* a password change ends every other session */
    int64_t ended;
    assert_int_equal(tpt_store_auth_session_delete_user(s, id, a.token_hash, &ended, NULL), 0);
    assert_int_equal(ended, 1);
    assert_int_equal(tpt_store_auth_session_find(s, b.token_hash, &got, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_auth_session_find(s, a.token_hash, &got, NULL), 0);
    assert_int_equal(tpt_store_auth_session_delete(s, a.token_hash, NULL), 0);
    assert_int_equal(tpt_store_auth_session_find(s, a.token_hash, &got, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_auth_session_add(s, &b, NULL), 0);
    assert_int_equal(tpt_store_auth_session_delete_user(s, id, NULL, NULL, NULL), 0); /* all */
    assert_int_equal(tpt_store_auth_session_find(s, b.token_hash, &got, &err), TPT_ERR_INPUT);

    int64_t me;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    tpt_audit_line line = {"2026-11-21T10:00:00Z", id, me, "read log", NULL};
    assert_int_equal(tpt_store_audit_add(s, &line, NULL), 0);
    snprintf(line.at, sizeof line.at, "bad time");
    assert_int_equal(tpt_store_audit_add(s, &line, &err), TPT_ERR_INPUT);
    tpt_store_close(s);
}

static void clinics_patients_invitations_audit(void **state)
{
    (void)state;
    tpt_store *s = open_store("clinics");
    tpt_error err = {0};
    int64_t north, south, ann, anna, bob, owner, zed;
    assert_int_equal(tpt_store_clinic_add(s, "North", &north, NULL), 0);
    assert_int_equal(tpt_store_clinic_add(s, "South", &south, NULL), 0);
    assert_true(north > 0 && south > north);
    assert_int_equal(tpt_store_clinic_add(s, "", &owner, &err), TPT_ERR_INPUT);
    tpt_clinic c;
    assert_int_equal(tpt_store_clinic_get(s, south, &c, NULL), 0);
    assert_string_equal(c.name, "South");
    assert_int_equal(c.id, south);
    assert_int_equal(tpt_store_clinic_get(s, 99, &c, &err), TPT_ERR_INPUT);
    tpt_clinic_list clinics;
    assert_int_equal(tpt_store_clinic_list(s, &clinics, NULL), 0); /* by id */
    assert_int_equal(clinics.count, 2);
    assert_int_equal(clinics.items[0].id, north);
    tpt_clinic_list_free(&clinics);

    assert_int_equal(tpt_store_patient_add(s, "zed", north, &zed, NULL), 0);
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
    assert_int_equal(tpt_store_patient_list(s, north, "", false, 50, &list, NULL), 0);
    assert_int_equal(list.count, 3); /* by name, whatever its case */
    assert_int_equal(list.items[2].id, zed);
    tpt_patient_list_free(&list);
    assert_int_equal(tpt_store_patient_list(s, north, NULL, false, 2, &list, NULL), 0);
    assert_int_equal(list.count, 2); /* at most the limit */
    tpt_patient_list_free(&list);
    assert_int_equal(tpt_store_patient_list(s, south, NULL, false, 50, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0].id, bob);
    assert_int_equal(list.items[0].clinic, south);
    tpt_patient_list_free(&list);
    int64_t clinic;
    assert_int_equal(tpt_store_patient_clinic(s, bob, &clinic, NULL), 0);
    assert_int_equal(clinic, south);
    assert_int_equal(tpt_store_patient_clinic(s, 999, &clinic, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_patient_check(s, bob, NULL), 0);
    assert_int_equal(tpt_store_patient_check(s, 999, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "999"));
    /* one's own record joins a clinic under the account's name */
    int64_t me;
    assert_int_equal(tpt_store_self(s, &me, NULL), 0);
    assert_int_equal(tpt_store_patient_clinic(s, me, &clinic, NULL), 0);
    assert_int_equal(clinic, 0);
    assert_int_equal(tpt_store_patient_update(s, me, "Mia", south, NULL), 0);
    assert_int_equal(tpt_store_patient_clinic(s, me, &clinic, NULL), 0);
    assert_int_equal(clinic, south);

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
    assert_int_equal(tpt_store_user_set_patient(s, owner, 0, NULL), 0);
    assert_int_equal(tpt_store_user_by_id(s, owner, &found, NULL), 0);
    assert_int_equal(found.patient, 0);
    tpt_user_list users;
    assert_int_equal(tpt_store_user_list(s, 0, &users, NULL), 0);
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
    assert_int_equal(got.clinic, north);
    assert_string_equal(got.used, "");
    assert_string_equal(got.expires, "2026-11-28T10:00:00Z");
    assert_int_equal(tpt_store_invitation_use(s, inv.token_hash, "2026-11-21T11:00:00Z", NULL), 0);
    assert_int_equal(tpt_store_invitation_use(s, inv.token_hash, "2026-11-21T11:00:01Z", &err),
                     TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_invitation_find(s, inv.token_hash, &got, NULL), 0);
    assert_string_equal(got.used, "2026-11-21T11:00:00Z");
    memset(inv.token_hash, 8, sizeof inv.token_hash);
    assert_int_equal(tpt_store_invitation_find(s, inv.token_hash, &got, &err), TPT_ERR_INPUT);
    snprintf(inv.expires, sizeof inv.expires, "next week");
    assert_int_equal(tpt_store_invitation_add(s, &inv, &err), TPT_ERR_INPUT);

    /* the audit log, newest first, of one record or of all */
    const tpt_audit_line lines[] = {{"2026-11-21T10:00:00Z", owner, ann, "read log", NULL},
                                    {"2026-11-21T10:01:00Z", owner, 0, "signed in", NULL},
                                    {"2026-11-21T10:02:00Z", owner, bob, "wrote log", NULL},
                                    {"2026-11-21T10:03:00Z", 0, 0, "nobody", NULL}};
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        assert_int_equal(tpt_store_audit_add(s, &lines[i], NULL), 0);
    tpt_audit_list audit;
    tpt_audit_filter all = {.limit = 3}, of_ann = {.patient = ann, .limit = 10};
    assert_int_equal(tpt_store_audit_list(s, &all, &audit, NULL), 0);
    assert_int_equal(audit.count, 3);
    assert_string_equal(audit.items[0].action, "nobody");
    assert_int_equal(audit.items[0].user, 0);
    assert_string_equal(audit.items[0].user_name, "");
    assert_string_equal(audit.items[1].action, "wrote log");
    assert_string_equal(audit.items[1].patient_name, "Bob Ann");
    assert_string_equal(audit.items[1].user_email, "owner@north.example");
    assert_string_equal(audit.items[1].user_name, "Owner");
    assert_int_equal(audit.items[2].patient, 0);
    assert_true(audit.items[0].id > audit.items[1].id);
    tpt_audit_list_free(&audit);
    assert_int_equal(tpt_store_audit_list(s, &of_ann, &audit, NULL), 0);
    assert_int_equal(audit.count, 1);
    assert_string_equal(audit.items[0].action, "read log");
    tpt_audit_list_free(&audit);
    tpt_store_close(s);
}

/* ---- a clinic's record ---- */

static void patient_details_visits_and_their_lock(void **state)
{
    (void)state;
    tpt_store *s = open_store("visits");
    tpt_error err = {0};
    int64_t clinic, ann;
    assert_int_equal(tpt_store_clinic_add(s, "North", &clinic, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Ann Lee", clinic, &ann, NULL), 0);
    tpt_patient p;
    assert_int_equal(tpt_store_patient_get(s, ann, &p, NULL), 0);
    assert_int_equal(p.id, ann);
    assert_int_equal(p.clinic, clinic);
    assert_int_equal(p.planned_visits, 6); /* the default course */
    assert_int_equal(p.birth_year, 0);
    assert_string_equal(p.contact, "");
    assert_string_equal(p.archived, "");
    assert_int_equal(tpt_store_patient_get(s, 999, &p, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_patient_get(s, ann, &p, NULL), 0);
    p.birth_year = 1971;
    snprintf(p.contact, sizeof p.contact, "+44 20 7946 0000");
    snprintf(p.consent, sizeof p.consent, "2026-11-20T09:00:00Z");
    assert_int_equal(tpt_store_patient_save(s, &p, NULL), 0);
    tpt_patient got;
    assert_int_equal(tpt_store_patient_get(s, ann, &got, NULL), 0);
    assert_int_equal(got.birth_year, 1971);
    assert_string_equal(got.contact, "+44 20 7946 0000");
    assert_string_equal(got.consent, "2026-11-20T09:00:00Z");
    p.birth_year = 1850;
    assert_int_equal(tpt_store_patient_save(s, &p, &err), TPT_ERR_INPUT);
    p.birth_year = 2999;
    assert_int_equal(tpt_store_patient_save(s, &p, &err), TPT_ERR_INPUT);
    p.birth_year = 1971;
    p.planned_visits = 0;
    assert_int_equal(tpt_store_patient_save(s, &p, &err), TPT_ERR_INPUT);
    p.planned_visits = 51;
    assert_int_equal(tpt_store_patient_save(s, &p, &err), TPT_ERR_INPUT);
    p.planned_visits = 6;
    snprintf(p.consent, sizeof p.consent, "yesterday");
    assert_int_equal(tpt_store_patient_save(s, &p, &err), TPT_ERR_INPUT);
    snprintf(p.consent, sizeof p.consent, "2026-11-20T09:00:00Z");
    p.id = 999;
    assert_int_equal(tpt_store_patient_save(s, &p, &err), TPT_ERR_INPUT);
    p.id = ann;
    /* archived records leave the list, and come back in the archived one */
    snprintf(p.archived, sizeof p.archived, "2026-11-21T09:00:00Z");
    assert_int_equal(tpt_store_patient_save(s, &p, NULL), 0);
    tpt_patient_list list;
    assert_int_equal(tpt_store_patient_list(s, clinic, NULL, false, 50, &list, NULL), 0);
    assert_int_equal(list.count, 0);
    tpt_patient_list_free(&list);
    assert_int_equal(tpt_store_patient_list(s, clinic, NULL, true, 50, &list, NULL), 0);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].archived, "2026-11-21T09:00:00Z");
    tpt_patient_list_free(&list);

    /* visits are numbered per patient; a draft changes, a signed one never */
    tpt_visit v = {.patient = ann, .author = 0, .note = "{\"kind\":\"intake\"}"};
    snprintf(v.at, sizeof v.at, "2026-11-20T09:00:00Z");
    int64_t first, second;
    int number;
    assert_int_equal(tpt_store_visit_add(s, &v, &first, &number, NULL), 0);
    assert_int_equal(number, 1);
    v.result = "{\"drawing_only\":{}}";
    assert_int_equal(tpt_store_visit_add(s, &v, &second, &number, NULL), 0);
    assert_int_equal(number, 2);
    assert_true(second > first);
    v.note = NULL;
    assert_int_equal(tpt_store_visit_add(s, &v, NULL, NULL, &err), TPT_ERR_INPUT);
    v.note = "{}";
    v.patient = 999;
    assert_int_equal(tpt_store_visit_add(s, &v, NULL, NULL, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_visit_update(s, first, "{\"kind\":\"intake\",\"x\":1}", NULL, NULL),
                     0);
    assert_int_equal(tpt_store_visit_update(s, 9999, "{}", NULL, &err), TPT_ERR_INPUT);
    assert_int_equal(
        tpt_store_amendment_add(s, first, 0, "2026-11-20T10:00:00Z", "late", NULL, &err),
        TPT_ERR_CONFLICT); /* a draft is edited, not amended */
    assert_int_equal(tpt_store_visit_sign(s, first, 0, "2026-11-20T10:00:00Z", NULL), 0);
    assert_int_equal(tpt_store_visit_update(s, first, "{}", NULL, &err), TPT_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "locked"));
    assert_int_equal(tpt_store_visit_sign(s, first, 0, "2026-11-20T11:00:00Z", &err),
                     TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_visit_sign(s, second, 0, "soon", &err), TPT_ERR_INPUT);
    int64_t amendment;
    assert_int_equal(tpt_store_amendment_add(s, first, 0, "2026-11-20T12:00:00Z",
                                             "Left, not right, piriformis.", &amendment, NULL),
                     0);
    assert_true(amendment > 0);
    assert_int_equal(tpt_store_amendment_add(s, first, 0, "2026-11-20T12:00:00Z", "", NULL, &err),
                     TPT_ERR_INPUT);
    tpt_visit_list visits;
    assert_int_equal(tpt_store_visit_list(s, ann, &visits, NULL), 0);
    assert_int_equal(visits.count, 2);
    assert_string_equal(visits.items[0].note, "{\"kind\":\"intake\",\"x\":1}");
    assert_string_equal(visits.items[0].signed_at, "2026-11-20T10:00:00Z");
    assert_null(visits.items[0].result);
    assert_string_equal(visits.items[1].signed_at, "");
    assert_string_equal(visits.items[1].result, "{\"drawing_only\":{}}");
    assert_int_equal(visits.items[1].signed_by, 0);
    tpt_visit_list_free(&visits);
    tpt_amendment_list amendments;
    assert_int_equal(tpt_store_amendment_list(s, first, &amendments, NULL), 0);
    assert_int_equal(amendments.count, 1);
    assert_string_equal(amendments.items[0].text, "Left, not right, piriformis.");
    assert_int_equal(amendments.items[0].visit, first);
    tpt_amendment_list_free(&amendments);
    assert_int_equal(tpt_store_amendment_list(s, second, &amendments, NULL), 0);
    assert_int_equal(amendments.count, 0);
    tpt_amendment_list_free(&amendments);
    tpt_store_close(s);
}

static void measures_keep_their_answers_and_names(void **state)
{
    (void)state;
    tpt_store *s = open_store("measures");
    tpt_error err = {0};
    int64_t ann;
    assert_int_equal(tpt_store_patient_add(s, "Ann Lee", 0, &ann, NULL), 0);
    tpt_measure m = {.patient = ann, .visit = 1, .score = 32.5, .answers = "{\"1\":2}"};
    snprintf(m.instrument, sizeof m.instrument, "odi");
    snprintf(m.band, sizeof m.band, "moderate");
    snprintf(m.at, sizeof m.at, "2026-11-20T09:30:00Z");
    int64_t id;
    assert_int_equal(tpt_store_measure_add(s, &m, &id, NULL), 0);
    assert_true(id > 0);
    snprintf(m.at, sizeof m.at, "2026-11-19T09:30:00Z");
    m.score = 40;
    m.visit = 0;
    assert_int_equal(tpt_store_measure_add(s, &m, NULL, NULL), 0);
    snprintf(m.at, sizeof m.at, "2026-11-21T09:30:00Z");
    m.names = "{\"activity-1\":\"Putting on socks\"}";
    assert_int_equal(tpt_store_measure_add(s, &m, NULL, NULL), 0);
    m.names = NULL;
    snprintf(m.at, sizeof m.at, "soon");
    assert_int_equal(tpt_store_measure_add(s, &m, NULL, &err), TPT_ERR_INPUT);
    snprintf(m.at, sizeof m.at, "2026-11-21T09:30:00Z");
    m.answers = NULL;
    assert_int_equal(tpt_store_measure_add(s, &m, NULL, &err), TPT_ERR_INPUT);
    tpt_measure_list measures;
    assert_int_equal(tpt_store_measure_list(s, ann, &measures, NULL), 0);
    assert_int_equal(measures.count, 3); /* oldest first */
    assert_true(measures.items[0].score == 40);
    assert_int_equal(measures.items[0].visit, 0);
    assert_true(measures.items[1].score == 32.5);
    assert_string_equal(measures.items[1].band, "moderate");
    assert_string_equal(measures.items[1].instrument, "odi");
    assert_string_equal(measures.items[1].answers, "{\"1\":2}");
    assert_int_equal(measures.items[1].visit, 1);
    assert_null(measures.items[1].names);
    assert_string_equal(measures.items[2].names, "{\"activity-1\":\"Putting on socks\"}");
    tpt_measure_list_free(&measures);
    tpt_store_close(s);
}

/* ---- a clinic's licensed item texts ---- */

static tpt_instrument_text licensed(int64_t clinic, const char *instrument, const char *text)
{
    tpt_instrument_text t = {.clinic = clinic, .author = 0, .text = (char *)text};
    snprintf(t.instrument, sizeof t.instrument, "%s", instrument);
    snprintf(t.file, sizeof t.file, "%s.json", instrument);
    snprintf(t.at, sizeof t.at, "2026-11-20T09:30:00Z");
    return t;
}

static size_t texts_of(tpt_store *s, int64_t clinic, tpt_instrument_text_list *out)
{
    assert_int_equal(tpt_store_instrument_text_list(s, clinic, out, NULL), 0);
    return out->count;
}

static void licensed_texts_belong_to_one_clinic(void **state)
{
    (void)state;
    tpt_store *s = open_store("texts");
    tpt_error err = {0};
    int64_t north, south, user;
    bool replaced = true;
    assert_int_equal(tpt_store_clinic_add(s, "North", &north, NULL), 0);
    assert_int_equal(tpt_store_clinic_add(s, "South", &south, NULL), 0);
    tpt_user u = {.clinic = north, .role = TPT_ROLE_ADMIN};
    snprintf(u.email, sizeof u.email, "owner@north.example");
    snprintf(u.name, sizeof u.name, "Owner");
    snprintf(u.password_hash, sizeof u.password_hash, "h");
    assert_int_equal(tpt_store_user_add(s, &u, &user, NULL), 0);
    tpt_instrument_text t = licensed(north, "rmdq", "{\"v\":1}");
    t.author = user;
    assert_int_equal(tpt_store_instrument_text_set(s, &t, &replaced, NULL), 0);
    assert_false(replaced);
    t = licensed(north, "odi", "{\"v\":1}");
    assert_int_equal(tpt_store_instrument_text_set(s, &t, &replaced, NULL), 0);
    t = licensed(north, "odi", "{\"v\":2}"); /* replaces North's, one row */
    snprintf(t.file, sizeof t.file, "odi-2.json");
    assert_int_equal(tpt_store_instrument_text_set(s, &t, &replaced, NULL), 0);
    assert_true(replaced);
    /* refused, nothing kept: no such clinic, a bad id, no text, too long */
    tpt_instrument_text bad = licensed(south + 10, "odi", "{}");
    assert_int_equal(tpt_store_instrument_text_set(s, &bad, NULL, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "no clinic"));
    bad = licensed(south, "ODI!", "{}");
    assert_int_equal(tpt_store_instrument_text_set(s, &bad, NULL, &err), TPT_ERR_INPUT);
    bad = licensed(south, "odi", "");
    assert_int_equal(tpt_store_instrument_text_set(s, &bad, NULL, &err), TPT_ERR_INPUT);
    char *big = malloc(TPT_INSTRUMENT_TEXT_MAX + 2);
    memset(big, 'x', TPT_INSTRUMENT_TEXT_MAX + 1);
    big[TPT_INSTRUMENT_TEXT_MAX + 1] = '\0';
    bad = licensed(south, "odi", big);
    assert_int_equal(tpt_store_instrument_text_set(s, &bad, NULL, &err), TPT_ERR_INPUT);
    free(big);
    bad = licensed(south, "odi", "{}");
    bad.file[0] = '\0';
    assert_int_equal(tpt_store_instrument_text_set(s, &bad, NULL, &err), TPT_ERR_INPUT);
    tpt_instrument_text_list list;
    assert_int_equal(texts_of(s, south, &list), 0);
    tpt_instrument_text_list_free(&list);
    assert_int_equal(texts_of(s, north, &list), 2); /* by instrument */
    assert_string_equal(list.items[0].instrument, "odi");
    assert_string_equal(list.items[0].text, "{\"v\":2}");
    assert_string_equal(list.items[0].file, "odi-2.json");
    assert_string_equal(list.items[0].at, "2026-11-20T09:30:00Z");
    assert_int_equal(list.items[0].clinic, north);
    assert_string_equal(list.items[1].instrument, "rmdq");
    assert_int_equal(list.items[1].author, user);
    assert_int_equal(list.items[0].author, 0);
    tpt_instrument_text_list_free(&list);
    /* South's own text of the same instrument is South's alone */
    t = licensed(south, "odi", "{\"v\":3}");
    assert_int_equal(tpt_store_instrument_text_set(s, &t, &replaced, NULL), 0);
    assert_false(replaced);
    assert_int_equal(tpt_store_instrument_text_delete(s, north, "odi", NULL), 0);
    assert_int_equal(tpt_store_instrument_text_delete(s, north, "odi", &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "no licensed text"));
    assert_int_equal(tpt_store_instrument_text_delete(s, north, "Bad id", &err), TPT_ERR_INPUT);
    assert_int_equal(texts_of(s, north, &list), 1);
    assert_string_equal(list.items[0].instrument, "rmdq");
    tpt_instrument_text_list_free(&list);
    assert_int_equal(texts_of(s, south, &list), 1);
    tpt_instrument_text_list_free(&list);
    tpt_store_close(s);
}

/* ---- who kept a record, and clinicians' assessments of red flags ---- */

static void records_keep_their_author_and_assessments_their_clinician(void **state)
{
    (void)state;
    tpt_store *s = open_store("assessments");
    tpt_error err = {0};
    int64_t clinic, ann, bob, ruth;
    assert_int_equal(tpt_store_clinic_add(s, "North", &clinic, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Ann Lee", clinic, &ann, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Bob Ray", clinic, &bob, NULL), 0);
    tpt_user u = {.role = TPT_ROLE_PRACTITIONER, .clinic = clinic};
    snprintf(u.email, sizeof u.email, "ruth@clinic.example");
    snprintf(u.name, sizeof u.name, "Ruth");
    assert_int_equal(tpt_store_user_add(s, &u, &ruth, NULL), 0);

    /* a screen kept by a clinician, a drawing by the person, a plan */
    int64_t screen, drawing, plan, bobs;
    tpt_record r = {.patient = ann, .kind = TPT_RECORD_SCREEN, .author = ruth, .clinician = true};
    snprintf(r.at, sizeof r.at, "2026-11-20T09:00:00Z");
    r.summary = "urgent";
    r.json = "{\"flags\": []}";
    assert_int_equal(tpt_store_record_add(s, &r, &screen, NULL), 0);
    r = (tpt_record){
        .patient = ann, .kind = TPT_RECORD_DRAWING, .summary = "unclear", .json = "{}"};
    snprintf(r.at, sizeof r.at, "2026-11-20T09:05:00Z");
    assert_int_equal(tpt_store_record_add(s, &r, &drawing, NULL), 0);
    r.kind = TPT_RECORD_PLAN;
    assert_int_equal(tpt_store_record_add(s, &r, &plan, NULL), 0);
    r.patient = bob;
    r.kind = TPT_RECORD_SCREEN;
    assert_int_equal(tpt_store_record_add(s, &r, &bobs, NULL), 0);
    tpt_record_list list;
    assert_int_equal(tpt_store_record_list(s, ann, -1, &list, NULL), 0);
    assert_int_equal(list.count, 3);
    assert_int_equal(list.items[0].author, ruth);
    assert_true(list.items[0].clinician);
    assert_int_equal(list.items[1].author, 0);
    assert_false(list.items[1].clinician);
    tpt_record_list_free(&list);

    /* an assessment of the screen's flag, and of the drawing's */
    tpt_assessment a = {.patient = ann, .author = ruth, .record = screen};
    snprintf(a.at, sizeof a.at, "2026-11-21T10:00:00Z");
    snprintf(a.flag, sizeof a.flag, "cancer-history");
    a.finding = "Breast cancer in 2009, discharged 2019; no sign of spread on examination.";
    int64_t first, second;
    assert_int_equal(tpt_store_assessment_add(s, &a, &first, NULL), 0);
    assert_true(first > 0);
    a.record = drawing;
    snprintf(a.flag, sizeof a.flag, "cauda-equina");
    snprintf(a.at, sizeof a.at, "2026-11-21T09:00:00Z"); /* earlier, kept later */
    a.finding = "Saddle sensation normal, no retention.";
    assert_int_equal(tpt_store_assessment_add(s, &a, &second, NULL), 0);

    /* refused, and nothing kept: a plan, another patient's screen, no such
     * record, no account, a flag id or finding out of shape, a bad time */
    tpt_assessment bad = a;
    bad.record = plan;
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "no screen or drawing"));
    bad.record = bobs;
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    bad.record = 99999;
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    bad = a;
    bad.author = 0;
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    bad = a;
    bad.record = 0;
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    bad = a;
    snprintf(bad.flag, sizeof bad.flag, "Cauda Equina");
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "Cauda Equina"));
    bad.flag[0] = '\0';
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    bad = a;
    bad.finding = "";
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    bad.finding = NULL;
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    static char long_finding[TPT_TEXT_MAX + 2];
    memset(long_finding, 'x', TPT_TEXT_MAX + 1);
    bad.finding = long_finding;
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    bad = a;
    snprintf(bad.at, sizeof bad.at, "yesterday");
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);
    bad = a;
    bad.patient = 99999;
    assert_int_equal(tpt_store_assessment_add(s, &bad, NULL, &err), TPT_ERR_INPUT);

    /* oldest first, by time */
    tpt_assessment_list got;
    assert_int_equal(tpt_store_assessment_list(s, ann, &got, NULL), 0);
    assert_int_equal(got.count, 2);
    assert_int_equal(got.items[0].id, second);
    assert_string_equal(got.items[0].flag, "cauda-equina");
    assert_int_equal(got.items[0].record, drawing);
    assert_string_equal(got.items[0].finding, "Saddle sensation normal, no retention.");
    assert_int_equal(got.items[1].id, first);
    assert_int_equal(got.items[1].author, ruth);
    assert_int_equal(got.items[1].patient, ann);
    assert_int_equal(got.items[1].record, screen);
    assert_string_equal(got.items[1].at, "2026-11-21T10:00:00Z");
    tpt_assessment_list_free(&got);
    assert_int_equal(tpt_store_assessment_list(s, bob, &got, NULL), 0);
    assert_int_equal(got.count, 0);
    tpt_assessment_list_free(&got);
    tpt_assessment_list_free(NULL);
    tpt_store_close(s);
}

int main(int argc, char **argv)
{
    if (argc > 1) snprintf(base, sizeof base, "%s", argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opens_at_the_latest_schema),
        cmocka_unit_test(the_log_keeps_what_it_is_given),
        cmocka_unit_test(bad_entries_are_refused_and_nothing_stored),
        cmocka_unit_test(records_come_back_by_kind_and_time),
        cmocka_unit_test(whole_changes_land_together_or_not_at_all),
        cmocka_unit_test(a_transaction_holds_what_it_read),
        cmocka_unit_test(first_uses_that_race_agree),
        cmocka_unit_test(visit_numbers_count_up_even_when_added_at_once),
        cmocka_unit_test(acknowledged_writes_survive_a_kill),
        cmocka_unit_test(accounts_sessions_and_sign_ins),
        cmocka_unit_test(clinics_patients_invitations_audit),
        cmocka_unit_test(patient_details_visits_and_their_lock),
        cmocka_unit_test(measures_keep_their_answers_and_names),
        cmocka_unit_test(licensed_texts_belong_to_one_clinic),
        cmocka_unit_test(corrections_change_only_the_record_they_name),
        cmocka_unit_test(authors_and_settings_are_kept),
        cmocka_unit_test(records_keep_their_author_and_assessments_their_clinician),
    };
    int failed = cmocka_run_group_tests_name("store", tests, setup, NULL);
    failed += _cmocka_run_group_tests("accounts and the audit log", conformance_security_tests,
                                      conformance_security_count, setup, teardown);
    return failed;
}
