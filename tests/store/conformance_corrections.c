/* The store's contract for corrections: a log entry, a session and an
 * outcome measure changed or removed by id and patient, never another
 * patient's or another kind's; and who entered a log entry, and an
 * account's own settings, kept as given (conformance.c runs them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "conformance.h"

void corrections_change_only_the_record_they_name(void **state)
{
    (void)state;
    tpt_store *s = open_store("corrections");
    tpt_error err = {0};
    int64_t ann, bob;
    assert_int_equal(tpt_store_patient_add(s, "Ann Lee", 0, &ann, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Bob Lee", 0, &bob, NULL), 0);

    /* the log: a correction keeps who entered it */
    int64_t first = log_at(s, ann, "2026-11-21T08:30:00Z", 6, 3);
    tpt_log_entry e = entry(ann, "2026-11-22T08:30:00Z", 5, 2);
    e.note = "typo";
    int64_t second, bobs = log_at(s, bob, "2026-11-22T08:30:00Z", 1, 1);
    assert_int_equal(tpt_store_log_add(s, &e, &second, NULL), 0);
    e = entry(ann, "2026-11-20T07:00:00Z", 4, -1);
    e.id = second;
    e.note = "fixed";
    assert_int_equal(tpt_store_log_update(s, &e, NULL), 0);
    tpt_log_list log;
    assert_int_equal(tpt_store_log_list(s, ann, &log, NULL), 0);
    assert_int_equal(log.count, 2);
    assert_int_equal(log.items[0].id, second); /* its new time comes first */
    assert_int_equal(log.items[0].leg_pain, 4);
    assert_int_equal(log.items[0].back_pain, -1);
    assert_string_equal(log.items[0].note, "fixed");
    tpt_log_list_free(&log);
    /* another record's id, an unknown one, or a bad value change nothing */
    e.id = bobs;
    assert_int_equal(tpt_store_log_update(s, &e, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "no log entry"));
    e.id = second;
    e.leg_pain = 11;
    assert_int_equal(tpt_store_log_update(s, &e, &err), TPT_ERR_INPUT);
    e.leg_pain = -1;
    e.note = NULL;
    assert_int_equal(tpt_store_log_update(s, &e, &err), TPT_ERR_INPUT); /* no value left */
    assert_int_equal(tpt_store_log_remove(s, ann, bobs, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_log_remove(s, ann, 99999, &err), TPT_ERR_INPUT);
    assert_int_equal(log_count(s, bob), 1);
    assert_int_equal(tpt_store_log_list(s, ann, &log, NULL), 0);
    assert_int_equal(log.items[0].leg_pain, 4);
    tpt_log_list_free(&log);
    assert_int_equal(tpt_store_log_remove(s, ann, first, NULL), 0);
    assert_int_equal(log_count(s, ann), 1);
    assert_int_equal(tpt_store_log_remove(s, ann, first, &err), TPT_ERR_INPUT); /* once */

    /* records: a session corrected or removed, never a record of another kind */
    tpt_record r = {.patient = ann, .kind = TPT_RECORD_SESSION};
    r.summary = "completed";
    r.json = "{\"pain_before\":6}";
    snprintf(r.at, sizeof r.at, "2026-11-21T10:00:00Z");
    int64_t session, screen;
    assert_int_equal(tpt_store_record_add(s, &r, &session, NULL), 0);
    r.kind = TPT_RECORD_SCREEN;
    r.summary = "none";
    r.input = "{}";
    assert_int_equal(tpt_store_record_add(s, &r, &screen, NULL), 0);
    tpt_record fix = {.id = session, .patient = ann, .kind = TPT_RECORD_SESSION};
    fix.summary = "completed";
    fix.json = "{\"pain_before\":5}";
    assert_int_equal(tpt_store_record_update(s, &fix, NULL), 0);
    fix.kind = TPT_RECORD_SCREEN;
    assert_int_equal(tpt_store_record_update(s, &fix, &err), TPT_ERR_INPUT);
    fix.kind = TPT_RECORD_SESSION;
    fix.patient = bob;
    assert_int_equal(tpt_store_record_update(s, &fix, &err), TPT_ERR_INPUT);
    fix.patient = ann;
    fix.json = NULL;
    assert_int_equal(tpt_store_record_update(s, &fix, &err), TPT_ERR_INPUT);
    tpt_record_list records;
    assert_int_equal(tpt_store_record_list(s, ann, TPT_RECORD_SESSION, &records, NULL), 0);
    assert_int_equal(records.count, 1);
    assert_string_equal(records.items[0].json, "{\"pain_before\":5}");
    assert_string_equal(records.items[0].at, "2026-11-21T10:00:00Z"); /* the time stays */
    tpt_record_list_free(&records);
    assert_int_equal(tpt_store_record_remove(s, ann, TPT_RECORD_SESSION, screen, &err),
                     TPT_ERR_INPUT);
    assert_int_equal(tpt_store_record_remove(s, bob, TPT_RECORD_SESSION, session, &err),
                     TPT_ERR_INPUT);
    assert_int_equal(tpt_store_record_remove(s, ann, TPT_RECORD_SESSION, session, NULL), 0);
    assert_int_equal(tpt_store_record_list(s, ann, -1, &records, NULL), 0);
    assert_int_equal(records.count, 1); /* the screen stays */
    assert_int_equal(records.items[0].kind, TPT_RECORD_SCREEN);
    tpt_record_list_free(&records);

    /* measures: answers, names, score and band change; the rest stays */
    tpt_measure m = {.patient = ann, .visit = 2, .score = 7, .answers = "{\"1\":7}"};
    snprintf(m.instrument, sizeof m.instrument, "nrs-leg");
    snprintf(m.at, sizeof m.at, "2026-11-21T09:30:00Z");
    int64_t measure;
    assert_int_equal(tpt_store_measure_add(s, &m, &measure, NULL), 0);
    tpt_measure change = {.id = measure, .patient = ann, .score = 3, .answers = "{\"1\":3}"};
    snprintf(change.band, sizeof change.band, "mild");
    assert_int_equal(tpt_store_measure_update(s, &change, NULL), 0);
    change.patient = bob;
    assert_int_equal(tpt_store_measure_update(s, &change, &err), TPT_ERR_INPUT);
    change.patient = ann;
    change.answers = NULL;
    assert_int_equal(tpt_store_measure_update(s, &change, &err), TPT_ERR_INPUT);
    tpt_measure_list measures;
    assert_int_equal(tpt_store_measure_list(s, ann, &measures, NULL), 0);
    assert_int_equal(measures.count, 1);
    assert_true(measures.items[0].score == 3);
    assert_string_equal(measures.items[0].answers, "{\"1\":3}");
    assert_string_equal(measures.items[0].band, "mild");
    assert_string_equal(measures.items[0].instrument, "nrs-leg");
    assert_string_equal(measures.items[0].at, "2026-11-21T09:30:00Z");
    assert_int_equal(measures.items[0].visit, 2);
    tpt_measure_list_free(&measures);
    assert_int_equal(tpt_store_measure_remove(s, bob, measure, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_measure_remove(s, ann, measure, NULL), 0);
    assert_int_equal(tpt_store_measure_list(s, ann, &measures, NULL), 0);
    assert_int_equal(measures.count, 0);
    tpt_measure_list_free(&measures);
    tpt_store_close(s);
}

void authors_and_settings_are_kept(void **state)
{
    (void)state;
    tpt_store *s = open_store("authors");
    tpt_error err = {0};
    int64_t clinic, ann, user;
    assert_int_equal(tpt_store_clinic_add(s, "Clinic", &clinic, NULL), 0);
    assert_int_equal(tpt_store_patient_add(s, "Ann Lee", clinic, &ann, NULL), 0);
    tpt_user u = {.clinic = clinic, .patient = ann, .role = TPT_ROLE_PATIENT, .home = 1};
    snprintf(u.email, sizeof u.email, "ann@example.org");
    snprintf(u.name, sizeof u.name, "Ann Lee");
    snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$x");
    snprintf(u.language, sizeof u.language, "de");
    assert_int_equal(tpt_store_user_add(s, &u, &user, NULL), 0);
    tpt_user found;
    assert_int_equal(tpt_store_user_by_id(s, user, &found, NULL), 0);
    assert_string_equal(found.language, "de");
    assert_int_equal(found.home, 1);
    /* the account of a record (whose language the record's emails speak) */
    assert_int_equal(tpt_store_user_of_patient(s, ann, &found, NULL), 0);
    assert_int_equal(found.id, user);
    assert_string_equal(found.language, "de");
    assert_int_equal(tpt_store_user_of_patient(s, 99999, &found, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_user_set_settings(s, user, "", false, NULL), 0);
    assert_int_equal(tpt_store_user_by_email(s, "ann@example.org", &found, NULL), 0);
    assert_string_equal(found.language, "");
    assert_int_equal(found.home, 0);
    assert_int_equal(tpt_store_user_set_settings(s, user, "pt-br", true, NULL), 0);
    tpt_user_list users;
    assert_int_equal(tpt_store_user_list(s, clinic, &users, NULL), 0);
    assert_string_equal(users.items[0].language, "pt-br");
    assert_int_equal(users.items[0].home, 1);
    tpt_user_list_free(&users);
    static const char *const bad[] = {"D", "e", "de_DE", "-de", "d1", "abcdefghijklmnop"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(tpt_store_user_set_settings(s, user, bad[i], false, &err), TPT_ERR_INPUT);
        assert_non_null(strstr(err.message, "language"));
    }
    assert_int_equal(tpt_store_user_set_settings(s, 99999, "de", false, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_user_by_id(s, user, &found, NULL), 0);
    assert_string_equal(found.language, "pt-br"); /* nothing refused was kept */
    snprintf(u.email, sizeof u.email, "other@example.org");
    snprintf(u.language, sizeof u.language, "DE");
    assert_int_equal(tpt_store_user_add(s, &u, NULL, &err), TPT_ERR_INPUT);

    tpt_log_entry e = entry(ann, "2026-11-21T08:30:00Z", 6, 3);
    e.author = user;
    assert_int_equal(tpt_store_log_add(s, &e, NULL, NULL), 0);
    log_at(s, ann, "2026-11-22T08:30:00Z", 5, 2); /* no author */
    tpt_log_list log;
    assert_int_equal(tpt_store_log_list(s, ann, &log, NULL), 0);
    assert_int_equal(log.items[0].author, user);
    assert_int_equal(log.items[1].author, 0);
    tpt_log_list_free(&log);
    tpt_record r = {.patient = ann, .kind = TPT_RECORD_SESSION, .author = user};
    r.summary = "completed";
    r.json = "{}";
    snprintf(r.at, sizeof r.at, "2026-11-21T10:00:00Z");
    assert_int_equal(tpt_store_record_add(s, &r, NULL, NULL), 0);
    tpt_record_list records;
    assert_int_equal(tpt_store_record_list(s, ann, TPT_RECORD_SESSION, &records, NULL), 0);
    assert_int_equal(records.items[0].author, user);
    tpt_record_list_free(&records);
    /* a deleted account is no longer the record's */
    assert_int_equal(tpt_store_user_delete(s, user, "2026-11-23T08:00:00Z", NULL), 0);
    assert_int_equal(tpt_store_user_of_patient(s, ann, &found, &err), TPT_ERR_INPUT);
    tpt_store_close(s);
}
