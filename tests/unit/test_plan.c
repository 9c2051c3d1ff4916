/* Plans: no self-treatment under an emergency or urgent level (from the screen
 * or the drawing), the caution under "soon", the nerve root note, the order
 * of the home program, and the plan file a session reads back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "default_data.h"
#include "tpt/handout.h"
#include "tpt/json.h"
#include "tpt/plan.h"
#include "tpt/protocol.h"

static tpt_screen_def *def;
static tpt_techniques *techniques;
static tpt_plan plan;
static tpt_drawing drawing;

static int setup(void **state)
{
    if (load_default_data(state)) return -1;
    def = tpt_screen_def_default(NULL);
    techniques = def ? tpt_techniques_default(atlas, NULL) : NULL;
    return techniques ? 0 : -1;
}

static int teardown(void **state)
{
    tpt_techniques_free(techniques);
    tpt_screen_def_free(def);
    return free_default_data(state);
}

/* Every question answered no (age 40, two weeks), then `key` set to `value`. */
static void answers_with(tpt_answers *a, const char *key, tpt_answer value)
{
    memset(a, 0, sizeof *a);
    for (size_t i = 0; i < def->nquestions; i++) {
        a->answer[i] =
            def->questions[i].type == TPT_QUESTION_BOOLEAN
                ? (tpt_answer){TPT_ANSWER_NO, 0}
                : (tpt_answer){TPT_ANSWER_NUMBER, strcmp(def->questions[i].key, "age") ? 2 : 40};
    }
    if (key) a->answer[tpt_screen_find(def, key)] = value;
}

static int build(const tpt_answers *answers, const char *const *marks, tpt_error *err)
{
    tpt_screen_result screen;
    tpt_result map;
    tpt_screen_evaluate(def, answers, &screen);
    size_t n = 0;
    while (marks[n])
        n++;
    if (tpt_drawing_parse(regions, (char *const *)marks, n, &drawing, NULL, err) != 0 ||
        tpt_infer(atlas, &drawing, NULL, 0, &map, err) != 0)
        fail_msg("%s", err->message);
    return tpt_plan_build(atlas, techniques, def, &screen, &map, &plan, err);
}

static const char *const buttock[] = {"r.buttock.center", "r.sacroiliac", "r.hip.outer", NULL};

static bool advice_has(const char *needle)
{
    const char *advice[16];
    size_t n = tpt_plan_advice(&plan, atlas, advice, 16);
    for (size_t i = 0; i < n; i++)
        if (strstr(advice[i], needle)) return true;
    return false;
}

static void every_trigger_point_has_treatment(void **state)
{
    (void)state;
    static const char *const points[] = {"GB30", "GB31", "GB34", "BL23", "BL25", "BL36",
                                         "BL37", "BL40", "BL54", "BL57", "BL60", "Ashi"};
    for (size_t i = 0; i < sizeof points / sizeof *points; i++)
        assert_non_null(tpt_acupoint_find(techniques, points[i]));
    for (size_t c = 0; c < atlas->ncauses; c++) {
        const tpt_treatment *t = tpt_treatment_of(techniques, (int)c);
        if (atlas->causes[c].kind == TPT_ROOT) {
            assert_null(t);
            continue;
        }
        if (!t) fail_msg("no treatment for %s", atlas->causes[c].id);
        assert_true(t->nhome >= 1 && t->nstretches >= 1 && t->nclinic >= 3);
        bool compression = false;
        for (size_t m = 0; m < t->nclinic; m++)
            compression |= strcmp(t->clinic[m].modality, "manual-compression") == 0;
        assert_true(compression);
        for (size_t h = 0; h < t->nhome; h++)
            assert_true(t->home[h].source.count > 0);
    }
}

static void emergency_and_urgent_flags_stop_self_treatment(void **state)
{
    (void)state;
    for (size_t i = 0; i < def->nquestions; i++) {
        const tpt_question *q = &def->questions[i];
        if (q->type != TPT_QUESTION_BOOLEAN) continue;
        tpt_answers a;
        answers_with(&a, q->key, (tpt_answer){TPT_ANSWER_YES, 0});
        assert_int_equal(build(&a, buttock, NULL), 0);
        bool stop = q->level >= TPT_LEVEL_URGENT;
        if (plan.self_care == stop) fail_msg("%s: self-care %d", q->key, plan.self_care);
        if (stop) {
            assert_int_equal(plan.nsteps, 0);
            assert_int_equal(plan.ncauses, 0);
            json_t *j = tpt_plan_json(atlas, techniques, &plan);
            assert_true(json_is_null(json_object_get(j, "home")));
            assert_int_equal(json_array_size(json_object_get(j, "clinic")), 0);
            assert_string_equal(json_string_value(json_object_get(j, "self_care")), "stop");
            json_decref(j);
            tpt_buf html = {0};
            assert_int_equal(tpt_plan_write_html(atlas, techniques, &plan, &html), 0);
            assert_null(strstr(html.data, "Each session"));
            assert_non_null(strstr(html.data, "No self-treatment"));
            tpt_buf_free(&html);
        }
    }
}

static void a_drawing_warning_stops_self_treatment_too(void **state)
{
    (void)state;
    tpt_answers a;
    answers_with(&a, NULL, (tpt_answer){0, 0});
    assert_int_equal(build(&a, (const char *[]){"r.buttock.center", "perineum:numb", NULL}, NULL),
                     0);
    assert_false(plan.self_care);
    assert_int_equal(plan.screen.level, TPT_LEVEL_EMERGENCY);
    assert_int_equal(plan.nsteps, 0);
    assert_true(advice_has("cauda equina"));
    assert_int_equal(
        build(&a, (const char *[]){"lumbar-spine", "l.calf.upper", "r.calf.upper", NULL}, NULL), 0);
    assert_false(plan.self_care);
}

static void soon_adds_the_caution(void **state)
{
    (void)state;
    tpt_answers a;
    answers_with(&a, "night-pain", (tpt_answer){TPT_ANSWER_YES, 0});
    assert_int_equal(build(&a, buttock, NULL), 0);
    assert_true(plan.self_care);
    assert_int_equal(plan.screen.level, TPT_LEVEL_SOON);
    assert_true(advice_has("keep the pressure light"));
    answers_with(&a, NULL, (tpt_answer){0, 0});
    assert_int_equal(build(&a, buttock, NULL), 0);
    assert_false(advice_has("keep the pressure light"));
}

static void an_incomplete_screen_is_refused(void **state)
{
    (void)state;
    tpt_answers a;
    tpt_error err = {0};
    answers_with(&a, "fever", (tpt_answer){TPT_UNANSWERED, 0});
    assert_int_equal(build(&a, buttock, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "unanswered (fever)"));
    /* an emergency answer needs no more questions: advice only */
    memset(&a, 0, sizeof a);
    a.answer[tpt_screen_find(def, "bowel-change")] = (tpt_answer){TPT_ANSWER_YES, 0};
    assert_int_equal(build(&a, buttock, NULL), 0);
    assert_false(plan.self_care);
}

static void the_program_runs_heat_pressure_stretch_walk(void **state)
{
    (void)state;
    tpt_answers a;
    answers_with(&a, NULL, (tpt_answer){0, 0});
    assert_int_equal(build(&a, buttock, NULL), 0);
    assert_true(plan.ncauses >= 1);
    assert_string_equal(atlas->causes[plan.causes[0].ref.cause].id, "tp:piriformis");
    assert_true(plan.nsteps >= 4);
    assert_string_equal(plan.steps[0].id, "moist-heat");
    size_t i = 1;
    while (i < plan.nsteps && plan.steps[i].kind == TPT_STEP_PRESSURE) {
        assert_int_equal(plan.steps[i].side, TPT_RIGHT);
        i++;
    }
    assert_int_equal(i - 1, plan.ncauses);
    while (i < plan.nsteps && plan.steps[i].kind == TPT_STEP_STRETCH)
        i++;
    assert_int_equal(i - 1, 2 * plan.ncauses);
    for (; i < plan.nsteps; i++)
        assert_int_equal(plan.steps[i].kind, TPT_STEP_GENERAL);
    assert_false(plan.root_note);
}

static void a_root_pattern_gets_the_clinician_note(void **state)
{
    (void)state;
    tpt_answers a;
    answers_with(&a, NULL, (tpt_answer){0, 0});
    assert_int_equal(build(&a,
                           (const char *[]){"l.leg.outer.lower:tingling", "l.ankle.front:tingling",
                                            "l.foot.top:tingling", NULL},
                           NULL),
                     0);
    assert_true(plan.root_note);
    assert_true(advice_has("possible nerve root problem"));
}

static void a_session_reads_the_plan_back(void **state)
{
    (void)state;
    tpt_answers a;
    tpt_error err = {0};
    answers_with(&a, NULL, (tpt_answer){0, 0});
    assert_int_equal(build(&a, buttock, NULL), 0);
    json_t *j = tpt_plan_json(atlas, techniques, &plan);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    tpt_program *p = tpt_program_read(text, strlen(text), "plan.json", &err);
    free(text);
    if (!p) fail_msg("%s", err.message);
    assert_int_equal(p->nsteps, plan.nsteps);
    for (size_t i = 0; i < p->nsteps; i++) {
        assert_string_equal(p->steps[i].id, plan.steps[i].id);
        assert_int_equal(p->steps[i].hold_seconds, plan.steps[i].hold_seconds);
        assert_int_equal(p->steps[i].repeats, plan.steps[i].repeats);
    }
    assert_non_null(strstr(p->stop_advice, "Stop at once"));
    tpt_program_free(p);

    /* an emergency plan gives the session nothing to guide, only the advice */
    answers_with(&a, "saddle-numbness", (tpt_answer){TPT_ANSWER_YES, 0});
    assert_int_equal(build(&a, buttock, NULL), 0);
    j = tpt_plan_json(atlas, techniques, &plan);
    text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    assert_null(tpt_program_read(text, strlen(text), "plan.json", &err));
    free(text);
    assert_int_equal(err.status, TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "this plan holds no self-treatment: Go to an emergency"));
    /* not a plan at all */
    assert_null(tpt_program_read("{\"format\": \"x\"}", 15, "p.json", &err));
    assert_non_null(strstr(err.message, "p.json:1:12: this is not a plan file"));
}

static void the_handout_stands_alone(void **state)
{
    (void)state;
    tpt_answers a;
    answers_with(&a, NULL, (tpt_answer){0, 0});
    assert_int_equal(build(&a, buttock, NULL), 0);
    tpt_buf html = {0};
    assert_int_equal(tpt_plan_write_html(atlas, techniques, &plan, &html), 0);
    assert_non_null(strstr(html.data, "<!DOCTYPE html>"));
    assert_non_null(strstr(html.data, "<style>"));
    assert_non_null(strstr(html.data, "not a diagnosis"));
    assert_non_null(strstr(html.data, "Piriformis"));
    /* nothing fetched from elsewhere */
    assert_null(strstr(html.data, "http"));
    assert_null(strstr(html.data, "<script"));
    assert_null(strstr(html.data, "src="));
    assert_null(strstr(html.data, "@import"));
    tpt_buf_free(&html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_trigger_point_has_treatment),
        cmocka_unit_test(emergency_and_urgent_flags_stop_self_treatment),
        cmocka_unit_test(a_drawing_warning_stops_self_treatment_too),
        cmocka_unit_test(soon_adds_the_caution),
        cmocka_unit_test(an_incomplete_screen_is_refused),
        cmocka_unit_test(the_program_runs_heat_pressure_stretch_walk),
        cmocka_unit_test(a_root_pattern_gets_the_clinician_note),
        cmocka_unit_test(a_session_reads_the_plan_back),
        cmocka_unit_test(the_handout_stands_alone),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
