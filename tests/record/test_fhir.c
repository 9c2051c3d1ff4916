/* The FHIR export and import (record/fhir_*.c): the Bundle read back equals
 * the record it was made of; ids are stable and distinct; text that is not
 * UTF-8 goes out repaired and still reads back to the same export; bad
 * Bundles are refused with the reason; and an import the store refuses half
 * way stores nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/fhir.h"
#include "record/views.h"
#include "tempdir.h"

static int setup(void **state)
{
    (void)state;
    return tempdir_make("export-test");
}

static int teardown(void **state)
{
    (void)state;
    return tempdir_remove();
}

static tpt_store *open_store(const char *name, int64_t *patient)
{
    char path[512];
    snprintf(path, sizeof path, "%s", tempdir_path(name));
    tpt_store *store = NULL;
    tpt_error err = {0};
    assert_int_equal(tpt_store_open(path, &store, &err), 0);
    assert_int_equal(tpt_store_self(store, patient, &err), 0);
    return store;
}

/* A log and records built by hand, owned like the store's lists. */
static void sample(tpt_log_list *log, tpt_record_list *records)
{
    log->count = 4;
    log->items = calloc(4, sizeof *log->items);
    const char *ats[] = {"2026-01-01T08:00:00Z", "2026-01-02T08:00:00Z", "2026-01-02T08:00:00Z",
                         "2026-01-03T08:00:00Z"};
    for (size_t i = 0; i < 4; i++) {
        tpt_log_entry *e = &log->items[i];
        *e = (tpt_log_entry){.leg_pain = 6,
                             .back_pain = -1,
                             .sitting_minutes = 30,
                             .walking_minutes = -1,
                             .sleep_disturbed = 0};
        snprintf(e->at, sizeof e->at, "%s", ats[i]);
    }
    /* entries 1 and 2 are alike in every field; entry 3 has a note that is not UTF-8 */
    log->items[3].back_pain = 10;
    log->items[3].note = strdup("bad \xff byte, \"quoted\"\nnext line");
    log->items[3].medication = strdup("naproxen");

    records->count = 3;
    records->items = calloc(3, sizeof *records->items);
    tpt_record *r = records->items;
    r[0] = (tpt_record){.kind = TPT_RECORD_SCREEN,
                        .summary = strdup("none"),
                        .input = strdup("{\"fever\":false,\"age\":40,\"night-pain\":\"not-sure\"}"),
                        .json = strdup("{\"level\":\"none\"}")};
    snprintf(r[0].at, sizeof r[0].at, "2026-01-01T07:00:00Z");
    r[1] = (tpt_record){.kind = TPT_RECORD_DRAWING,
                        .summary = strdup("myofascial"),
                        .input = strdup("--finding slr:l l.thigh.back.upper l.calf.upper:ache:4"),
                        .json = strdup("{\"pattern\":\"myofascial\",\"candidates\":[]}")};
    snprintf(r[1].at, sizeof r[1].at, "2026-01-01T07:30:00Z");
    r[2] = (tpt_record){.kind = TPT_RECORD_SESSION,
                        .summary = strdup("sharp-or-new-pain"),
                        .input = NULL,
                        .json = strdup("{\"end\":\"sharp-or-new-pain\",\"steps_done\":1,"
                                       "\"steps_total\":4,\"seconds\":95.5,\"pain_before\":5}")};
    snprintf(r[2].at, sizeof r[2].at, "2026-01-02T09:00:00Z");
}

static void round_trip(void **state)
{
    (void)state;
    tpt_log_list log;
    tpt_record_list records;
    sample(&log, &records);
    size_t replaced = 0;
    json_t *bundle = tpt_fhir_bundle(&log, &records, NULL, &replaced);
    assert_non_null(bundle);
    assert_int_equal(replaced, 1);

    /* every fullUrl is distinct, the two alike entries too */
    json_t *entries = json_object_get(bundle, "entry");
    for (size_t i = 0; i < json_array_size(entries); i++)
        for (size_t k = i + 1; k < json_array_size(entries); k++)
            assert_string_not_equal(
                json_string_value(json_object_get(json_array_get(entries, i), "fullUrl")),
                json_string_value(json_object_get(json_array_get(entries, k), "fullUrl")));

    /* the left leg, from the drawing before the entries */
    char *text = json_dumps(bundle, JSON_COMPACT);
    assert_non_null(strstr(text, "\"text\":\"Left leg\""));
    assert_non_null(strstr(text, "61685007:272741003=7771000"));
    assert_non_null(strstr(text, "\"status\":\"stopped\""));
    free(text);

    tpt_log_list log2;
    tpt_record_list records2;
    tpt_measure_list none;
    tpt_error err = {0};
    assert_int_equal(tpt_fhir_read(bundle, &log2, &records2, &none, &err), 0);
    assert_int_equal(none.count, 0);
    tpt_measure_list_free(&none);
    assert_int_equal(log2.count, 4);
    assert_int_equal(records2.count, 3);
    assert_null(records2.items[2].input);
    assert_string_equal(records2.items[0].input, records.items[0].input);
    assert_string_equal(log2.items[3].note, "bad \xef\xbf\xbd byte, \"quoted\"\nnext line");
    json_t *again = tpt_fhir_bundle(&log2, &records2, NULL, &replaced);
    assert_int_equal(replaced, 0);
    assert_true(json_equal(bundle, again));

    json_decref(again);
    json_decref(bundle);
    tpt_log_list_free(&log);
    tpt_log_list_free(&log2);
    tpt_record_list_free(&records);
    tpt_record_list_free(&records2);
}

/* Reads a changed Bundle and expects a refusal naming `needle`. */
static void refused(json_t *bundle, const char *needle)
{
    tpt_log_list log;
    tpt_record_list records;
    tpt_measure_list measures;
    tpt_error err = {0};
    assert_int_equal(tpt_fhir_read(bundle, &log, &records, &measures, &err), TPT_ERR_INPUT);
    if (!strstr(err.message, needle)) fail_msg("'%s' does not say '%s'", err.message, needle);
    assert_int_equal(log.count, 0);
    assert_int_equal(records.count, 0);
    assert_int_equal(measures.count, 0);
}

static json_t *find_pain(json_t *bundle, int value)
{
    json_t *entries = json_object_get(bundle, "entry");
    for (size_t i = 0; i < json_array_size(entries); i++) {
        json_t *r = json_object_get(json_array_get(entries, i), "resource");
        if (json_integer_value(json_object_get(r, "valueInteger")) == value) return r;
    }
    return NULL;
}

static void bad_bundles(void **state)
{
    (void)state;
    tpt_log_list log;
    tpt_record_list records;
    sample(&log, &records);
    json_t *bundle = tpt_fhir_bundle(&log, &records, NULL, NULL);
    tpt_log_list_free(&log);
    tpt_record_list_free(&records);

    json_t *b = json_deep_copy(bundle);
    json_object_set_new(find_pain(b, 10), "valueInteger", json_integer(11));
    refused(b, "back pain 11 is outside 0 to 10");
    json_decref(b);

    b = json_deep_copy(bundle);
    json_object_set_new(find_pain(b, 10), "valueInteger", json_string("10"));
    refused(b, "needs a whole number");
    json_decref(b);

    b = json_deep_copy(bundle);
    json_object_set_new(find_pain(b, 10), "valueInteger", json_integer(9));
    refused(b, "is not what tpt exports");
    json_decref(b);

    b = json_deep_copy(bundle);
    json_object_set_new(b, "type", json_string("transaction"));
    refused(b, "a tpt export is a collection");
    json_decref(b);

    b = json_pack("{s:s}", "resourceType", "Observation");
    refused(b, "is a FHIR Observation, not a Bundle");
    json_decref(b);

    b = json_array();
    refused(b, "not a FHIR resource");
    json_decref(b);

    b = json_deep_copy(bundle);
    json_array_append_new(
        json_object_get(b, "entry"),
        json_pack("{s:s, s:{s:s}}", "fullUrl", "urn:uuid:x", "resource", "resourceType", "Basic"));
    refused(b, "is a Basic");
    json_decref(b);

    /* a record whose attachment is not base64 */
    b = json_deep_copy(bundle);
    json_t *entries = json_object_get(b, "entry");
    for (size_t i = 0; i < json_array_size(entries); i++) {
        json_t *r = json_object_get(json_array_get(entries, i), "resource");
        if (strcmp(json_string_value(json_object_get(r, "resourceType")), "DocumentReference"))
            continue;
        json_t *a = json_object_get(json_array_get(json_object_get(r, "content"), 0), "attachment");
        json_object_set_new(a, "data", json_string("not*base64"));
        break;
    }
    refused(b, "not valid base64");
    json_decref(b);
    json_decref(bundle);
}

/* The store refuses the last entry (no value at all): nothing is stored. */
static void import_all_or_nothing(void **state)
{
    (void)state;
    tpt_log_list log;
    tpt_record_list records;
    sample(&log, &records);
    log.items[3].leg_pain = log.items[3].back_pain = log.items[3].sitting_minutes =
        log.items[3].sleep_disturbed = -1;
    free(log.items[3].note);
    free(log.items[3].medication);
    log.items[3].note = log.items[3].medication = NULL;

    int64_t patient;
    tpt_store *store = open_store("all-or-nothing.db", &patient);
    tpt_fhir_import_counts counts;
    tpt_error err = {0};
    tpt_measure_list measures = {0};
    assert_int_not_equal(tpt_fhir_import(store, patient, &log, &records, &measures, &counts, &err),
                         0);
    assert_non_null(strstr(err.message, "at least one value"));
    assert_int_equal(counts.log + counts.records, 0);
    tpt_log_list stored;
    tpt_record_list stored_records;
    assert_int_equal(tpt_store_log_list(store, patient, &stored, &err), 0);
    assert_int_equal(tpt_store_record_list(store, patient, -1, &stored_records, &err), 0);
    assert_int_equal(stored.count, 0);
    assert_int_equal(stored_records.count, 0);
    tpt_log_list_free(&stored);
    tpt_record_list_free(&stored_records);

    /* without the bad entry it lands, and a second import adds nothing */
    log.count = 3;
    assert_int_equal(tpt_fhir_import(store, patient, &log, &records, &measures, &counts, &err), 0);
    assert_int_equal(counts.log, 3);
    assert_int_equal(counts.records, 3);
    assert_int_equal(tpt_fhir_import(store, patient, &log, &records, &measures, &counts, &err), 0);
    assert_int_equal(counts.log + counts.records, 0);
    assert_int_equal(counts.present, 6);
    log.count = 4;
    tpt_store_close(store);
    tpt_log_list_free(&log);
    tpt_record_list_free(&records);
}

/* Outcome measures built by hand: a PSFS with its activities named, and an
 * ODI with nine sections answered (16 of 45, 35.5...%, kept unrounded). */
static void sample_measures(tpt_measure_list *m)
{
    m->count = 2;
    m->items = calloc(2, sizeof *m->items);
    m->items[0] = (tpt_measure){.score = 4.5,
                                .answers = strdup("{\"activity-1\":3,\"activity-2\":6}"),
                                .names = strdup("{\"activity-1\":\"Putting on socks\"}")};
    snprintf(m->items[0].instrument, sizeof m->items[0].instrument, "psfs");
    snprintf(m->items[0].at, sizeof m->items[0].at, "2026-01-02T10:00:00Z");
    m->items[1] = (tpt_measure){.score = 1600.0 / 45,
                                .answers = strdup("{\"section-1\":2,\"section-2\":2,"
                                                  "\"section-3\":2,\"section-4\":2,"
                                                  "\"section-5\":2,\"section-6\":2,"
                                                  "\"section-7\":1,\"section-8\":1,"
                                                  "\"section-9\":2}")};
    snprintf(m->items[1].instrument, sizeof m->items[1].instrument, "odi");
    snprintf(m->items[1].band, sizeof m->items[1].band, "moderate");
    snprintf(m->items[1].at, sizeof m->items[1].at, "2026-01-03T10:00:00Z");
}

/* The resource of the entry whose resource's `key` is the string `value`. */
static json_t *find_resource(json_t *bundle, const char *key, const char *value)
{
    json_t *entries = json_object_get(bundle, "entry");
    for (size_t i = 0; i < json_array_size(entries); i++) {
        json_t *r = json_object_get(json_array_get(entries, i), "resource");
        const char *v = json_string_value(json_object_get(r, key));
        if (v && strcmp(v, value) == 0) return r;
    }
    return NULL;
}

static void measures_round_trip(void **state)
{
    (void)state;
    tpt_log_list log = {0};
    tpt_record_list records = {0};
    tpt_measure_list measures;
    sample_measures(&measures);
    json_t *bundle = tpt_fhir_bundle(&log, &records, &measures, NULL);
    assert_non_null(bundle);

    tpt_log_list log2;
    tpt_record_list records2;
    tpt_measure_list measures2;
    tpt_error err = {0};
    assert_int_equal(tpt_fhir_read(bundle, &log2, &records2, &measures2, &err), 0);
    assert_int_equal(measures2.count, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(measures2.items[i].instrument, measures.items[i].instrument);
        assert_string_equal(measures2.items[i].at, measures.items[i].at);
        assert_string_equal(measures2.items[i].answers, measures.items[i].answers);
        assert_string_equal(measures2.items[i].band, measures.items[i].band);
        assert_true(measures2.items[i].score == measures.items[i].score); /* scored again */
    }
    assert_string_equal(measures2.items[0].names, measures.items[0].names);
    assert_null(measures2.items[1].names);

    /* into a record: stored once, however often imported */
    int64_t patient;
    tpt_store *store = open_store("measures.db", &patient);
    tpt_fhir_import_counts counts;
    assert_int_equal(tpt_fhir_import(store, patient, &log2, &records2, &measures2, &counts, &err),
                     0);
    assert_int_equal(counts.measures, 2);
    assert_int_equal(tpt_fhir_import(store, patient, &log2, &records2, &measures2, &counts, &err),
                     0);
    assert_int_equal(counts.measures, 0);
    assert_int_equal(counts.present, 2);
    tpt_measure_list stored;
    assert_int_equal(tpt_store_measure_list(store, patient, &stored, &err), 0);
    json_t *again = tpt_fhir_bundle(&log, &records, &stored, NULL);
    assert_true(json_equal(bundle, again));
    json_decref(again);
    tpt_measure_list_free(&stored);
    tpt_store_close(store);
    tpt_measure_list_free(&measures2);
    tpt_log_list_free(&log2);
    tpt_record_list_free(&records2);

    /* a score that is not its answers', an answer changed, a name where none
     * goes, an instrument tpt does not know: refused */
    json_t *b = json_deep_copy(bundle);
    json_t *score = find_resource(b, "effectiveDateTime", "2026-01-03T10:00:00Z");
    json_object_set_new(json_object_get(score, "valueQuantity"), "value", json_real(20));
    refused(b, "the score is not what the answers score");
    json_decref(b);

    b = json_deep_copy(bundle);
    json_t *odi = find_resource(b, "questionnaire", "urn:tpt:fhir:questionnaire:odi");
    json_t *answer = json_array_get(
        json_object_get(json_array_get(json_object_get(odi, "item"), 0), "answer"), 0);
    json_object_set_new(answer, "valueInteger", json_integer(7));
    refused(b, "item \"section-1\" of odi: 7 is not one of its answers");
    json_decref(b);

    b = json_deep_copy(bundle);
    odi = find_resource(b, "questionnaire", "urn:tpt:fhir:questionnaire:odi");
    json_object_set_new(json_array_get(json_object_get(odi, "item"), 0), "text",
                        json_string("Pain"));
    refused(b, "item \"section-1\" of odi takes no name");
    json_decref(b);

    b = json_deep_copy(bundle);
    json_object_set_new(find_resource(b, "questionnaire", "urn:tpt:fhir:questionnaire:psfs"),
                        "questionnaire", json_string("urn:tpt:fhir:questionnaire:womac"));
    refused(b, "no instrument 'womac'");
    json_decref(b);

    json_decref(bundle);

    /* the same answers sent twice in one second (a double tap) stay two */
    free(measures.items[1].answers);
    measures.items[1] = measures.items[0];
    measures.items[1].answers = strdup(measures.items[0].answers);
    measures.items[1].names = strdup(measures.items[0].names);
    bundle = tpt_fhir_bundle(&log, &records, &measures, NULL);
    assert_int_equal(tpt_fhir_read(bundle, &log2, &records2, &measures2, &err), 0);
    assert_int_equal(measures2.count, 2);
    json_decref(bundle);
    tpt_measure_list_free(&measures2);
    tpt_log_list_free(&log2);
    tpt_record_list_free(&records2);
    tpt_measure_list_free(&measures);
}

static void numbers(void **state)
{
    (void)state;
    char out[64];
    struct {
        double v;
        const char *text;
    } cases[] = {{0.7, "0.7"}, {1234.5, "1234.5"}, {12, "12"}, {-3.25, "-3.25"}, {0, "0"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *v = json_real(cases[i].v);
        tpt_json_number_text(v, out, sizeof out);
        assert_string_equal(out, cases[i].text);
        json_decref(v);
    }
    json_t *v = json_integer(42);
    tpt_json_number_text(v, out, sizeof out);
    assert_string_equal(out, "42");
    json_decref(v);
    tpt_json_number_text(NULL, out, sizeof out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(bad_bundles),
        cmocka_unit_test(import_all_or_nothing),
        cmocka_unit_test(measures_round_trip),
        cmocka_unit_test(numbers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
