/* Visit notes: what a note may hold, each mistake named by its field, and
 * the evidence a note gives the engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tpt/visit.h"

static tpt_regions *regions;
static tpt_atlas *atlas;
static tpt_techniques *techniques;
static json_t *note; /* the note last checked: the evidence borrows its marks from it */

static int setup(void **state)
{
    (void)state;
    tpt_error err = {0};
    regions = tpt_regions_default(&err);
    atlas = regions ? tpt_atlas_default(regions, &err) : NULL;
    techniques = atlas ? tpt_techniques_default(atlas, &err) : NULL;
    return techniques ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(note);
    tpt_techniques_free(techniques);
    tpt_atlas_free(atlas);
    tpt_regions_free(regions);
    return 0;
}

static int check(const char *text, tpt_visit_evidence *ev, tpt_error *err)
{
    json_error_t je;
    json_decref(note);
    note = json_loads(text, 0, &je);
    if (!note) fail_msg("test note does not parse: %s", je.text);
    return tpt_visit_note_check(regions, atlas, techniques, note, ev, err);
}

static void expect_refused(const char *text, const char *message)
{
    tpt_visit_evidence ev;
    tpt_error err = {0};
    assert_int_equal(check(text, &ev, &err), TPT_ERR_INPUT);
    if (strcmp(err.message, message) != 0) fail_msg("got '%s', want '%s'", err.message, message);
}

static void a_full_intake_is_read(void **state)
{
    (void)state;
    static const char intake[] =
        "{\"kind\": \"intake\","
        " \"subjective\": {\"leg_pain\": 7, \"back_pain\": 3, \"changes\": \"first visit\","
        "   \"history\": {\"onset\": \"2026-10-01\", \"how_started\": \"long drive\","
        "     \"duration_weeks\": 7, \"aggravating\": \"sitting\", \"easing\": \"walking\","
        "     \"perpetuating\": [\"long-sitting\", \"stress\"], \"work\": \"driver\","
        "     \"sitting_hours\": 9.5, \"prior_treatments\": \"ibuprofen\"}},"
        " \"objective\": {\"marks\": [\"r.buttock.center\", \"r.thigh.back.upper:ache:6\"],"
        "   \"findings\": [{\"finding\": \"slr\", \"side\": \"r\"}],"
        "   \"palpation\": [{\"muscle\": \"piriformis\", \"side\": \"r\", \"tender\": true,"
        "     \"taut_band\": true, \"twitch\": false, \"reproduces\": true},"
        "    {\"muscle\": \"gluteus-medius\", \"side\": \"r\", \"tender\": true,"
        "     \"reproduces\": false}]},"
        " \"assessment\": {\"own_words\": \"piriformis most likely\"},"
        " \"plan\": {\"compression\": [{\"muscle\": \"piriformis\", \"side\": \"r\"}],"
        "   \"needling\": [{\"muscle\": \"piriformis\", \"side\": \"r\", \"count\": 2}],"
        "   \"cupping\": [\"r.buttock.center\"], \"heat_minutes\": 10,"
        "   \"tuina\": [\"r.buttock.upper\"], \"gua_sha\": [], \"home_program\": true}}";
    tpt_visit_evidence ev;
    tpt_error err = {0};
    if (check(intake, &ev, &err) != 0) fail_msg("%s", err.message);
    assert_int_equal(ev.nmarks, 2);
    assert_string_equal(ev.marks[1], "r.thigh.back.upper:ache:6");
    /* the straight leg raise, then the one palpation finding that counts */
    assert_int_equal(ev.nexam, 1);
    assert_int_equal(ev.nfindings, 2);
}

static void only_tender_and_reproducing_counts(void **state)
{
    (void)state;
    tpt_visit_evidence ev;
    tpt_error err = {0};
    assert_int_equal(check("{\"kind\": \"follow-up\", \"objective\": {\"palpation\": ["
                           "{\"muscle\": \"soleus\", \"side\": \"l\", \"tender\": true},"
                           "{\"muscle\": \"soleus\", \"side\": \"r\", \"reproduces\": true,"
                           " \"taut_band\": true, \"twitch\": true}]}}",
                           &ev, &err),
                     0);
    assert_int_equal(ev.nfindings, 0);
    assert_int_equal(check("{\"kind\": \"follow-up\"}", &ev, &err), 0); /* all else optional */
}

/* The tests found normal are evidence as the positive ones are; a test found
 * both ways on one side is refused at the note's findings, naming both. */
static void normal_findings_are_evidence_and_may_not_contradict(void **state)
{
    (void)state;
    tpt_visit_evidence ev;
    tpt_error err = {0};
    if (check("{\"kind\": \"intake\", \"objective\": {\"findings\": ["
              "{\"finding\": \"slr-negative\", \"side\": \"r\"},"
              "{\"finding\": \"knee-reflex-normal\", \"side\": \"r\"},"
              "{\"finding\": \"ankle-reflex-normal\", \"side\": \"r\"},"
              "{\"finding\": \"strength-normal\", \"side\": \"r\"},"
              "{\"finding\": \"sensation-normal\", \"side\": \"r\"},"
              "{\"finding\": \"fair\", \"side\": \"r\"},"
              "{\"finding\": \"slr\", \"side\": \"l\"},"
              "{\"finding\": \"weak-toe-walk\", \"side\": \"l\"}]}}",
              &ev, &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(ev.nexam, 8);
    assert_true(atlas->findings[ev.findings[0].finding].negative);
    assert_int_equal(ev.findings[0].side, TPT_RIGHT);
    assert_false(atlas->findings[ev.findings[5].finding].negative);
    expect_refused("{\"kind\": \"intake\", \"objective\": {\"findings\": ["
                   "{\"finding\": \"slr\", \"side\": \"r\"},"
                   "{\"finding\": \"slr-negative\", \"side\": \"r\"}]}}",
                   "objective.findings: the findings slr:r and slr-negative:r contradict each "
                   "other");
    expect_refused("{\"kind\": \"follow-up\", \"objective\": {\"findings\": ["
                   "\"strength-normal:l\", \"weak-big-toe-extension:l\"]}}",
                   "objective.findings: the findings strength-normal:l and "
                   "weak-big-toe-extension:l contradict each other");
    expect_refused("{\"kind\": \"follow-up\", \"objective\": {\"findings\": ["
                   "\"fair-negative:r\", \"fair-negative:r\"]}}",
                   "objective.findings: the finding fair-negative:r is given twice");
}

/* The same muscle found tender twice on one side would count as two findings:
 * refused at the second row, naming the muscle; on the other side it stands. */
static void a_muscle_found_tender_twice_is_refused_at_its_row(void **state)
{
    (void)state;
    tpt_visit_evidence ev;
    tpt_error err = {0};
    expect_refused("{\"kind\": \"intake\", \"objective\": {\"palpation\": ["
                   "{\"muscle\": \"piriformis\", \"side\": \"r\", \"tender\": true,"
                   " \"reproduces\": true},"
                   "{\"muscle\": \"piriformis\", \"side\": \"r\", \"tender\": true,"
                   " \"reproduces\": true}]}}",
                   "objective.palpation[1]: the finding tender:piriformis:r is given twice");
    expect_refused("{\"kind\": \"intake\", \"objective\": {"
                   "\"findings\": [\"tender:gluteus-minimus:l\"], \"palpation\": ["
                   "{\"muscle\": \"gluteus-minimus\", \"side\": \"l\", \"tender\": true,"
                   " \"reproduces\": true}]}}",
                   "objective.palpation[0]: the finding tender:gluteus-minimus:l is given twice");
    if (check("{\"kind\": \"intake\", \"objective\": {\"palpation\": ["
              "{\"muscle\": \"piriformis\", \"side\": \"r\", \"tender\": true,"
              " \"reproduces\": true},"
              "{\"muscle\": \"piriformis\", \"side\": \"l\", \"tender\": true,"
              " \"reproduces\": true}]}}",
              &ev, &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(ev.nfindings, 2);
}

static void mistakes_are_named_by_their_field(void **state)
{
    (void)state;
    expect_refused("[]", "note: must be an object");
    expect_refused("{}", "kind: is \"intake\" or \"follow-up\"");
    expect_refused("{\"kind\": \"intake\", \"colour\": 1}", "colour: not a field of a visit note");
    expect_refused("{\"kind\": \"intake\", \"subjective\": {\"leg_pain\": 11}}",
                   "subjective.leg_pain: must be a whole number from 0 to 10");
    expect_refused("{\"kind\": \"intake\", \"subjective\": {\"leg_pain\": 6.5}}",
                   "subjective.leg_pain: must be a whole number from 0 to 10");
    expect_refused("{\"kind\": \"intake\", \"subjective\": {\"history\": {\"perpetuating\": "
                   "[\"posture\", \"gaming\"]}}}",
                   "subjective.history.perpetuating[1]: a perpetuating factor is repetitive-use, "
                   "posture, long-sitting, trauma or stress");
    expect_refused("{\"kind\": \"intake\", \"subjective\": {\"history\": {\"sitting_hours\": 25}}}",
                   "subjective.history.sitting_hours: must be a number from 0 to 24");
    expect_refused("{\"kind\": \"intake\", \"objective\": {\"marks\": [\"r.buttock.centre\"]}}",
                   "objective.marks[0]: unknown region 'r.buttock.centre'; closest valid ids: "
                   "r.buttock.center, l.buttock.center, r.buttock.inner");
    expect_refused("{\"kind\": \"intake\", \"objective\": {\"palpation\": [{\"muscle\": "
                   "\"biceps\", \"side\": \"r\"}]}}",
                   "objective.palpation[0].muscle: no muscle 'biceps' in the atlas");
    expect_refused("{\"kind\": \"intake\", \"objective\": {\"palpation\": [{\"muscle\": "
                   "\"piriformis\", \"side\": \"both\"}]}}",
                   "objective.palpation[0].side: a side is \"l\" or \"r\"");
    expect_refused("{\"kind\": \"intake\", \"objective\": {\"palpation\": [{\"muscle\": "
                   "\"piriformis\", \"side\": \"r\", \"tender\": \"yes\"}]}}",
                   "objective.palpation[0].tender: must be true or false");
    expect_refused("{\"kind\": \"intake\", \"plan\": {\"needling\": [{\"muscle\": "
                   "\"piriformis\", \"side\": \"r\", \"count\": 0}]}}",
                   "plan.needling[0].count: must be a whole number from 1 to 50");
    expect_refused("{\"kind\": \"intake\", \"plan\": {\"acupoints\": [{\"point\": \"XX-99\"}]}}",
                   "plan.acupoints[0].point: no acupuncture point 'XX-99' in the treatment data");
    expect_refused("{\"kind\": \"intake\", \"plan\": {\"cupping\": [\"buttock.center\"]}}",
                   "plan.cupping[0]: a region id of the body chart (tpt regions), such as "
                   "\"r.buttock.center\"");
    expect_refused("{\"kind\": \"intake\", \"plan\": {\"stretches\": [\"splits\"]}}",
                   "plan.stretches[0]: a stretch id of the treatment data (tpt plan --json "
                   "shows them)");
    expect_refused("{\"kind\": \"intake\", \"plan\": {\"notes\": 5}}", "plan.notes: must be text");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_full_intake_is_read),
        cmocka_unit_test(only_tender_and_reproducing_counts),
        cmocka_unit_test(normal_findings_are_evidence_and_may_not_contradict),
        cmocka_unit_test(a_muscle_found_tender_twice_is_refused_at_its_row),
        cmocka_unit_test(mistakes_are_named_by_their_field),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
