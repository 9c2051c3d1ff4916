/* The red flags that stand in a record, and who lifts them (record/flags.c):
 * the check behind every place that shows self-treatment. For each kind of
 * hold: what lifts it, and what may not (a patient never lifts a
 * clinician's; a clear screen never erases what a drawing showed). The most
 * serious is told with its advice; nothing unreadable is taken lightly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/flags.h"

/* A record built in order, a minute apart: screens, drawings, signed
 * visits and assessments. */
typedef struct history {
    tpt_record records[24];
    tpt_record_list list;
    tpt_visit visits[8];
    tpt_visit_list visit_list;
    tpt_assessment assessments[8];
    tpt_assessment_list assessment_list;
    int minute;
} history;

#define PERSON false
#define CLINICIAN true

static void next_time(history *h, char out[TPT_TIME_MAX])
{
    snprintf(out, TPT_TIME_MAX, "2026-11-20T09:%02d:00Z", h->minute++);
}

static int64_t add(history *h, tpt_record_kind kind, bool clinician, const char *json)
{
    tpt_record *r = &h->records[h->list.count];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->json = (char *)json;
    r->id = (int64_t)h->list.count + 1;
    r->clinician = clinician;
    r->author = clinician ? 7 : 0;
    next_time(h, r->at);
    h->list.items = h->records;
    h->list.count++;
    return r->id;
}

static void sign_visit(history *h, const char *result)
{
    tpt_visit *v = &h->visits[h->visit_list.count];
    memset(v, 0, sizeof *v);
    v->number = (int)h->visit_list.count + 1;
    v->result = (char *)result;
    next_time(h, v->signed_at);
    h->visit_list.items = h->visits;
    h->visit_list.count++;
}

static void draft_visit(history *h, const char *result)
{
    sign_visit(h, result);
    h->visits[h->visit_list.count - 1].signed_at[0] = '\0';
}

static void assess(history *h, const char *flag, int64_t record)
{
    tpt_assessment *a = &h->assessments[h->assessment_list.count];
    memset(a, 0, sizeof *a);
    snprintf(a->flag, sizeof a->flag, "%s", flag);
    a->record = record;
    a->author = 7;
    a->finding = "Examined: nothing of concern.";
    next_time(h, a->at);
    h->assessment_list.items = h->assessments;
    h->assessment_list.count++;
}

/* The flags standing (freed by the caller). */
static tpt_flags judge(history *h)
{
    tpt_flags f;
    assert_int_equal(tpt_flags_judge(&h->list, &h->visit_list, &h->assessment_list, &f), 0);
    return f;
}

/* How many flags stand, and the most serious level. */
static void expect(history *h, size_t count, tpt_level level)
{
    tpt_flags f = judge(h);
    if (f.count != count || f.level != level)
        fail_msg("%zu flags at %s stand, expected %zu at %s", f.count, tpt_level_name(f.level),
                 count, tpt_level_name(level));
    assert_int_equal(tpt_flags_stop(&f), count && level >= TPT_LEVEL_URGENT);
    tpt_flags_free(&f);
}

#define FEVER_SCREEN                                                                               \
    "{\"complete\": false, \"level\": \"urgent\", \"flags\": [{\"id\": \"fever\", \"level\": "     \
    "\"urgent\", \"reason\": \"A fever.\", \"advice\": \"See a doctor today.\", \"answers\": "     \
    "[\"fever\"]}]}"
#define CLEAR_SCREEN "{\"complete\": true, \"level\": \"none\", \"flags\": []}"
#define SADDLE_DRAWING                                                                             \
    "{\"pattern\": \"unclear\", \"warnings\": [{\"id\": \"cauda-equina\", \"level\": "             \
    "\"emergency\", \"advice\": \"Go to an emergency department now.\"}]}"
#define PLAIN_DRAWING "{\"pattern\": \"myofascial\", \"warnings\": []}"
#define CANCER_SCREEN(answers)                                                                     \
    "{\"complete\": true, \"level\": \"urgent\", \"flags\": [{\"id\": \"cancer-history\", "        \
    "\"level\": \"urgent\", \"reason\": \"A past cancer.\", \"advice\": \"See a doctor.\", "       \
    "\"answers\": " answers ", \"lasting\": true}]}"
#define VISIT_WITHOUT_WARNINGS "{\"drawing_only\": {\"warnings\": []}, \"with_findings\": {}}"
#define VISIT_WITH_SADDLE                                                                          \
    "{\"drawing_only\": {\"warnings\": [{\"id\": \"cauda-equina\", \"level\": \"emergency\"}]}}"

static void an_empty_record_has_none(void **state)
{
    (void)state;
    history h = {0};
    tpt_flags f = judge(&h);
    assert_int_equal(f.count, 0);
    assert_int_equal(f.level, TPT_LEVEL_NONE);
    assert_null(tpt_flags_advice(&f));
    assert_false(tpt_flags_stop(&f));
    tpt_flags_free(&f);
    tpt_flags_free(&f); /* freeing twice, or NULL, is safe */
    tpt_flags_free(NULL);
}

static void a_screen_flag_says_what_raised_it(void **state)
{
    (void)state;
    history h = {0};
    int64_t screen = add(&h, TPT_RECORD_SCREEN, CLINICIAN, FEVER_SCREEN);
    add(&h, TPT_RECORD_PLAN, PERSON, "{}");    /* other kinds say nothing of flags */
    add(&h, TPT_RECORD_SESSION, PERSON, "{}"); /* ... and lift none */
    tpt_flags f = judge(&h);
    assert_int_equal(f.count, 1);
    const tpt_flag *fever = tpt_flags_find(&f, "fever");
    assert_non_null(fever);
    assert_int_equal(fever->level, TPT_LEVEL_URGENT);
    assert_string_equal(fever->reason, "A fever.");
    assert_string_equal(tpt_flags_advice(&f), "See a doctor today.");
    assert_int_equal(fever->source, TPT_RECORD_SCREEN);
    assert_int_equal(fever->record, screen);
    assert_string_equal(fever->at, "2026-11-20T09:00:00Z");
    assert_true(fever->clinician);
    assert_int_equal(fever->author, 7);
    assert_false(fever->lasting);
    assert_null(tpt_flags_find(&f, "cauda-equina"));
    tpt_flags_free(&f);
}

/* ---- the person's own screen ---- */

static void the_persons_screen_flag_is_lifted_by_a_clear_screen(void **state)
{
    (void)state;
    history h = {0};
    add(&h, TPT_RECORD_SCREEN, PERSON, FEVER_SCREEN);
    expect(&h, 1, TPT_LEVEL_URGENT);
    /* clear as far as it went, but not every question answered: nothing */
    add(&h, TPT_RECORD_SCREEN, PERSON, "{\"complete\": false, \"level\": \"none\", \"flags\": []}");
    expect(&h, 1, TPT_LEVEL_URGENT);
    add(&h, TPT_RECORD_SCREEN, PERSON, CLEAR_SCREEN);
    expect(&h, 0, TPT_LEVEL_NONE);
    /* raised again after it: stands again */
    add(&h, TPT_RECORD_SCREEN, PERSON, FEVER_SCREEN);
    expect(&h, 1, TPT_LEVEL_URGENT);
    /* a clinician's clear screen lifts it too */
    add(&h, TPT_RECORD_SCREEN, CLINICIAN, CLEAR_SCREEN);
    expect(&h, 0, TPT_LEVEL_NONE);
}

static void a_serious_screen_lifts_nothing(void **state)
{
    (void)state;
    history h = {0};
    add(&h, TPT_RECORD_SCREEN, PERSON, FEVER_SCREEN);
    /* complete, but itself at urgent: the fever stands beside its own flag */
    add(&h, TPT_RECORD_SCREEN, PERSON,
        "{\"complete\": true, \"level\": \"urgent\", \"flags\": [{\"id\": \"weakness-worsening\", "
        "\"level\": \"urgent\", \"advice\": \"Weakness: see a doctor today.\"}]}");
    tpt_flags f = judge(&h);
    assert_int_equal(f.count, 2);
    /* of equal levels, the latest's advice is told */
    assert_string_equal(tpt_flags_advice(&f), "Weakness: see a doctor today.");
    assert_string_equal(f.items[0].id, "weakness-worsening");
    tpt_flags_free(&f);
}

/* ---- a clinician's screen ---- */

static void a_clinicians_screen_flag_is_not_lifted_by_the_patients_clear_screen(void **state)
{
    (void)state;
    history h = {0};
    add(&h, TPT_RECORD_SCREEN, CLINICIAN, FEVER_SCREEN);
    add(&h, TPT_RECORD_SCREEN, PERSON, CLEAR_SCREEN);
    expect(&h, 1, TPT_LEVEL_URGENT);
    /* nor by the patient raising it again and clearing it */
    add(&h, TPT_RECORD_SCREEN, PERSON, FEVER_SCREEN);
    add(&h, TPT_RECORD_SCREEN, PERSON, CLEAR_SCREEN);
    tpt_flags f = judge(&h);
    assert_int_equal(f.count, 1);
    assert_true(f.items[0].clinician); /* the clinician's stands for it */
    tpt_flags_free(&f);
    /* a clinician's own clear screen lifts it */
    add(&h, TPT_RECORD_SCREEN, CLINICIAN, CLEAR_SCREEN);
    expect(&h, 0, TPT_LEVEL_NONE);
}

/* ---- drawings ---- */

static void a_drawing_warning_stands_while_that_drawing_is_the_latest(void **state)
{
    (void)state;
    history h = {0};
    add(&h, TPT_RECORD_DRAWING, PERSON, SADDLE_DRAWING);
    expect(&h, 1, TPT_LEVEL_EMERGENCY);
    /* a clear screen, the person's or a clinician's, does not erase what was drawn */
    add(&h, TPT_RECORD_SCREEN, PERSON, CLEAR_SCREEN);
    add(&h, TPT_RECORD_SCREEN, CLINICIAN, CLEAR_SCREEN);
    expect(&h, 1, TPT_LEVEL_EMERGENCY);
    /* a newer drawing without it does */
    add(&h, TPT_RECORD_DRAWING, PERSON, PLAIN_DRAWING);
    expect(&h, 0, TPT_LEVEL_NONE);
    /* and one with it again raises it again */
    add(&h, TPT_RECORD_DRAWING, PERSON, SADDLE_DRAWING);
    expect(&h, 1, TPT_LEVEL_EMERGENCY);
}

static void a_clinicians_drawing_warning_is_not_lifted_by_the_patient(void **state)
{
    (void)state;
    history h = {0};
    add(&h, TPT_RECORD_DRAWING, CLINICIAN, SADDLE_DRAWING); /* a visit note's drawing */
    add(&h, TPT_RECORD_DRAWING, PERSON, PLAIN_DRAWING);
    add(&h, TPT_RECORD_SCREEN, PERSON, CLEAR_SCREEN);
    expect(&h, 1, TPT_LEVEL_EMERGENCY);
    tpt_flags f = judge(&h);
    assert_true(f.items[0].clinician);
    assert_int_equal(f.items[0].source, TPT_RECORD_DRAWING);
    tpt_flags_free(&f);
    /* a clinician's newer drawing without it lifts it */
    add(&h, TPT_RECORD_DRAWING, CLINICIAN, PLAIN_DRAWING);
    expect(&h, 0, TPT_LEVEL_NONE);
}

/* ---- signed visits ---- */

static void a_signed_visit_without_it_lifts_a_drawings_warning(void **state)
{
    (void)state;
    history h = {0};
    sign_visit(&h, VISIT_WITHOUT_WARNINGS); /* before the warning: says nothing of it */
    add(&h, TPT_RECORD_DRAWING, CLINICIAN, SADDLE_DRAWING);
    expect(&h, 1, TPT_LEVEL_EMERGENCY);
    draft_visit(&h, VISIT_WITHOUT_WARNINGS);  /* a draft is not a clinician's word yet */
    sign_visit(&h, NULL);                     /* a note without a drawing says nothing of one */
    sign_visit(&h, "{\"drawing_only\": {}}"); /* nor one whose answer lacks the warnings */
    sign_visit(&h, VISIT_WITH_SADDLE);        /* one that shows it again keeps it */
    expect(&h, 1, TPT_LEVEL_EMERGENCY);
    sign_visit(&h, VISIT_WITHOUT_WARNINGS);
    expect(&h, 0, TPT_LEVEL_NONE);
}

static void a_signed_visit_lifts_no_screens_flag(void **state)
{
    (void)state;
    history h = {0};
    add(&h, TPT_RECORD_SCREEN, CLINICIAN, FEVER_SCREEN);
    add(&h, TPT_RECORD_DRAWING, PERSON, SADDLE_DRAWING);
    sign_visit(&h, VISIT_WITHOUT_WARNINGS); /* the person's drawing too */
    tpt_flags f = judge(&h);
    assert_int_equal(f.count, 1);
    assert_string_equal(f.items[0].id, "fever");
    tpt_flags_free(&f);
}

/* ---- a clinician's assessment ---- */

static void an_assessment_lifts_its_flag_raised_until_then(void **state)
{
    (void)state;
    history h = {0};
    int64_t screen = add(&h, TPT_RECORD_SCREEN, CLINICIAN, FEVER_SCREEN);
    int64_t drawing = add(&h, TPT_RECORD_DRAWING, CLINICIAN, SADDLE_DRAWING);
    expect(&h, 2, TPT_LEVEL_EMERGENCY);
    assess(&h, "cauda-equina", drawing); /* the drawing is still the latest: lifted all the same */
    expect(&h, 1, TPT_LEVEL_URGENT);
    assess(&h, "fever", screen);
    expect(&h, 0, TPT_LEVEL_NONE);
    /* raised again afterwards: a new concern, it stands */
    add(&h, TPT_RECORD_SCREEN, PERSON, FEVER_SCREEN);
    expect(&h, 1, TPT_LEVEL_URGENT);
    /* an assessment of a flag that does not stand changes nothing */
    assess(&h, "bladder-change", screen);
    expect(&h, 1, TPT_LEVEL_URGENT);
}

static void an_assessment_at_the_moment_of_the_flag_lifts_it(void **state)
{
    (void)state;
    history h = {0};
    int64_t screen = add(&h, TPT_RECORD_SCREEN, PERSON, FEVER_SCREEN);
    assess(&h, "fever", screen);
    memcpy(h.assessments[0].at, h.records[0].at, TPT_TIME_MAX);
    expect(&h, 0, TPT_LEVEL_NONE);
}

static void a_lasting_flag_assessed_stays_lifted_while_its_answers_stay(void **state)
{
    (void)state;
    history h = {0};
    int64_t first = add(&h, TPT_RECORD_SCREEN, PERSON, CANCER_SCREEN("[\"cancer-history\"]"));
    add(&h, TPT_RECORD_SCREEN, PERSON, FEVER_SCREEN);
    tpt_flags f = judge(&h);
    assert_true(tpt_flags_find(&f, "cancer-history")->lasting);
    tpt_flags_free(&f);
    /* every screen raises a past cancer again: without an assessment the person is held for ever */
    add(&h, TPT_RECORD_SCREEN, PERSON, CANCER_SCREEN("[\"cancer-history\"]"));
    expect(&h, 2, TPT_LEVEL_URGENT);
    assess(&h, "cancer-history", first);
    expect(&h, 1, TPT_LEVEL_URGENT); /* the fever still stands */
    /* the next screen raises the past cancer from the same answer: covered, and
     * the screen counts as clear, so it lifts the person's fever */
    add(&h, TPT_RECORD_SCREEN, PERSON, CANCER_SCREEN("[\"cancer-history\"]"));
    expect(&h, 0, TPT_LEVEL_NONE);
    /* a new answer behind it is a new concern */
    add(&h, TPT_RECORD_SCREEN, PERSON, CANCER_SCREEN("[\"cancer-history\", \"weight-loss\"]"));
    expect(&h, 1, TPT_LEVEL_URGENT);
}

static void an_assessment_covers_later_screens_only_for_lasting_flags(void **state)
{
    (void)state;
    history h = {0};
    int64_t screen = add(&h, TPT_RECORD_SCREEN, PERSON, FEVER_SCREEN);
    assess(&h, "fever", screen);
    add(&h, TPT_RECORD_SCREEN, PERSON, FEVER_SCREEN); /* a fever is not lasting */
    expect(&h, 1, TPT_LEVEL_URGENT);
    /* a lasting flag assessed on another record than one raising it covers nothing */
    history g = {0};
    int64_t plain = add(&g, TPT_RECORD_SCREEN, PERSON, CLEAR_SCREEN);
    assess(&g, "cancer-history", plain);
    add(&g, TPT_RECORD_SCREEN, PERSON, CANCER_SCREEN("[\"cancer-history\"]"));
    expect(&g, 1, TPT_LEVEL_URGENT);
}

/* ---- what is told ---- */

static void a_soon_screen_clears_and_its_flag_is_told(void **state)
{
    (void)state;
    history h = {0};
    add(&h, TPT_RECORD_SCREEN, PERSON, FEVER_SCREEN);
    add(&h, TPT_RECORD_SCREEN, PERSON,
        "{\"complete\": true, \"level\": \"soon\", \"flags\": [{\"id\": \"night-pain\", \"level\": "
        "\"soon\", \"advice\": \"See a clinician within a week.\"}]}");
    tpt_flags f = judge(&h);
    assert_int_equal(f.count, 1);
    assert_int_equal(f.level, TPT_LEVEL_SOON);
    assert_false(tpt_flags_stop(&f));
    assert_string_equal(tpt_flags_advice(&f), "See a clinician within a week.");
    tpt_flags_free(&f);
}

static void nothing_unreadable_is_taken_lightly(void **state)
{
    (void)state;
    history h = {0};
    /* a flag of a level this tpt does not know counts as urgent */
    add(&h, TPT_RECORD_SCREEN, PERSON,
        "{\"complete\": false, \"flags\": [{\"id\": \"x\", \"level\": \"grave\", \"advice\": "
        "\"Ask a doctor.\"}]}");
    /* a screen whose level cannot be read clears nothing */
    add(&h, TPT_RECORD_SCREEN, PERSON, "{\"complete\": true, \"flags\": []}");
    /* a record that is not JSON at all is passed over, not a crash */
    add(&h, TPT_RECORD_DRAWING, PERSON, "not json");
    add(&h, TPT_RECORD_SCREEN, PERSON, NULL);
    sign_visit(&h, "not json");
    tpt_flags f = judge(&h);
    assert_int_equal(f.count, 1);
    assert_int_equal(f.level, TPT_LEVEL_URGENT);
    assert_string_equal(tpt_flags_advice(&f), "Ask a doctor.");
    tpt_flags_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_empty_record_has_none),
        cmocka_unit_test(a_screen_flag_says_what_raised_it),
        cmocka_unit_test(the_persons_screen_flag_is_lifted_by_a_clear_screen),
        cmocka_unit_test(a_serious_screen_lifts_nothing),
        cmocka_unit_test(a_clinicians_screen_flag_is_not_lifted_by_the_patients_clear_screen),
        cmocka_unit_test(a_drawing_warning_stands_while_that_drawing_is_the_latest),
        cmocka_unit_test(a_clinicians_drawing_warning_is_not_lifted_by_the_patient),
        cmocka_unit_test(a_signed_visit_without_it_lifts_a_drawings_warning),
        cmocka_unit_test(a_signed_visit_lifts_no_screens_flag),
        cmocka_unit_test(an_assessment_lifts_its_flag_raised_until_then),
        cmocka_unit_test(an_assessment_at_the_moment_of_the_flag_lifts_it),
        cmocka_unit_test(a_lasting_flag_assessed_stays_lifted_while_its_answers_stay),
        cmocka_unit_test(an_assessment_covers_later_screens_only_for_lasting_flags),
        cmocka_unit_test(a_soon_screen_clears_and_its_flag_is_told),
        cmocka_unit_test(nothing_unreadable_is_taken_lightly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
