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
    return tpt_plan_build(atlas, techniques, def, &screen, &drawing, &map, &plan, err);
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
            tpt_handout h = {.atlas = atlas, .techniques = techniques, .plan = &plan};
            assert_int_equal(tpt_plan_write_html(&h, &html), 0);
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
    answers_with(&a, "osteoporosis-or-steroids", (tpt_answer){TPT_ANSWER_YES, 0});
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

static const char *const low_back[] = {"r.flank", "r.iliac-crest", "r.sacroiliac", "r.lumbar.lower",
                                       NULL};

/* A step's cautions hold one containing `needle`. */
static bool step_says(const tpt_plan_step *s, const char *needle)
{
    for (size_t i = 0; i < s->ncautions; i++)
        if (strstr(s->cautions[i], needle)) return true;
    return false;
}

static const tpt_plan_step *step_of(const char *id_or_kind)
{
    for (size_t i = 0; i < plan.nsteps; i++) {
        const tpt_plan_step *s = &plan.steps[i];
        if (strcmp(s->id, id_or_kind) == 0 ||
            (s->kind == TPT_STEP_PRESSURE && strcmp(id_or_kind, "pressure") == 0))
            return s;
    }
    fail_msg("no step %s", id_or_kind);
    return NULL;
}

/* The clinic plan's entry for a modality of the first cause. */
static const tpt_plan_modality *modality_of(const char *name)
{
    for (size_t m = 0; m < plan.clinic[0].nmodalities; m++)
        if (strcmp(plan.clinic[0].modalities[m].modality->modality, name) == 0)
            return &plan.clinic[0].modalities[m];
    return NULL;
}

static bool has_caution(const tpt_plan_modality *pm, const char *id)
{
    for (size_t k = 0; pm && k < pm->ncautions; k++)
        if (strcmp(pm->cautions[k]->id, id) == 0) return true;
    return false;
}

/* Dry needling, cupping and Gua Sha with blood thinners or a bleeding
 * disorder (DN, GS): left out where bleeding cannot be pressed on, and the
 * home pressure gentle. */
static void blood_thinners_change_the_plan(void **state)
{
    (void)state;
    tpt_answers a;
    answers_with(&a, "anticoagulants", (tpt_answer){TPT_ANSWER_YES, 0});
    assert_int_equal(build(&a, buttock, NULL), 0);
    assert_string_equal(atlas->causes[plan.causes[0].ref.cause].id, "tp:piriformis");
    assert_true(modality_of("cupping")->avoid);
    assert_true(has_caution(modality_of("cupping"), "bleeding-cupping-gua-sha"));
    assert_true(modality_of("dry-needling")->avoid); /* piriformis lies deep */
    assert_false(modality_of("manual-compression")->avoid);
    assert_true(step_says(step_of("pressure"), "blood thinners"));
    json_t *j = tpt_plan_json(atlas, techniques, &plan);
    json_t *mods = json_object_get(json_array_get(json_object_get(j, "clinic"), 0), "modalities");
    size_t i;
    json_t *m;
    bool cupping_left_out = false;
    json_array_foreach(mods, i, m)
    {
        if (strcmp(json_string_value(json_object_get(m, "modality")), "cupping") == 0)
            cupping_left_out = json_is_true(json_object_get(m, "avoid"));
    }
    assert_true(cupping_left_out);
    json_decref(j);
    tpt_buf html = {0};
    tpt_handout h = {.atlas = atlas, .techniques = techniques, .plan = &plan};
    assert_int_equal(tpt_plan_write_html(&h, &html), 0);
    assert_non_null(strstr(html.data, "blood thinners"));
    tpt_buf_free(&html);

    /* not answered: only the cautions every plan shows, nothing left out */
    answers_with(&a, "anticoagulants", (tpt_answer){TPT_UNANSWERED, 0});
    assert_int_equal(build(&a, buttock, NULL), 0);
    assert_false(modality_of("cupping")->avoid);
    assert_true(has_caution(modality_of("cupping"), "cupping-gua-sha-care"));
    assert_false(step_says(step_of("pressure"), "blood thinners"));
}

/* Pregnancy: BL60 and the lumbosacral BL points left out (ACUP), no cupping or
 * Gua Sha over the low back (GS), pressure work only after asking (MH). */
static void pregnancy_changes_the_plan(void **state)
{
    (void)state;
    tpt_answers a;
    answers_with(&a, "pregnancy", (tpt_answer){TPT_ANSWER_UNSURE, 0});
    assert_int_equal(build(&a, buttock, NULL), 0);
    const tpt_plan_modality *acu = modality_of("acupuncture");
    assert_int_equal(acu->navoided, 1);
    assert_string_equal(acu->avoided[0]->id, "BL54");
    for (size_t k = 0; k < acu->npoints; k++)
        assert_string_not_equal(acu->points[k]->id, "BL54");
    assert_false(modality_of("cupping")->avoid); /* the buttock is not the low back */
    assert_true(step_says(step_of("pressure"), "midwife"));

    assert_int_equal(build(&a, low_back, NULL), 0);
    assert_string_equal(atlas->causes[plan.causes[0].ref.cause].id, "tp:quadratus-lumborum");
    assert_true(modality_of("cupping")->avoid);
    assert_true(modality_of("gua-sha")->avoid);
    acu = modality_of("acupuncture");
    assert_int_equal(acu->navoided, 3); /* BL23, BL25, BL54 */
    assert_true(has_caution(acu, "pregnancy-points"));

    answers_with(&a, "pregnancy", (tpt_answer){TPT_ANSWER_NO, 0});
    assert_int_equal(build(&a, low_back, NULL), 0);
    assert_int_equal(modality_of("acupuncture")->navoided, 0);
    assert_false(has_caution(modality_of("acupuncture"), "pregnancy-points"));
    assert_false(modality_of("cupping")->avoid);
}

/* Heat: not on numb skin (from the drawing), care with diabetes or poor
 * circulation (from the answers) [HEAT]. */
static void heat_takes_care_of_numb_skin(void **state)
{
    (void)state;
    tpt_answers a;
    answers_with(&a, NULL, (tpt_answer){0, 0});
    assert_int_equal(build(&a, buttock, NULL), 0);
    assert_true(step_says(step_of("moist-heat"), "Never on skin that feels numb"));
    assert_false(step_says(step_of("moist-heat"), "Numbness is marked"));
    assert_int_equal(build(&a,
                           (const char *[]){"r.buttock.center", "r.sacroiliac", "r.hip.outer",
                                            "r.leg.outer.upper:numb", NULL},
                           NULL),
                     0);
    assert_true(plan.self_care);
    assert_true(step_says(step_of("moist-heat"), "Numbness is marked"));
    assert_true(has_caution(modality_of("moist-heat"), "numb-skin-heat"));
    answers_with(&a, "diabetes-or-poor-circulation", (tpt_answer){TPT_ANSWER_YES, 0});
    assert_int_equal(build(&a, buttock, NULL), 0);
    assert_true(step_says(step_of("moist-heat"), "Diabetes or poor circulation"));
}

static void techniques_say_what_the_sources_say(void **state)
{
    (void)state;
    const tpt_treatment *per =
        tpt_treatment_of(techniques, tpt_atlas_find_cause(atlas, "tp:peroneus-longus"));
    /* peroneus longus points the foot down and out: its stretch pulls it up and in */
    assert_non_null(strstr(per->stretches[0].instructions, "pull it up"));
    assert_non_null(strstr(per->stretches[0].instructions, "sole inwards"));
    for (size_t c = 0; c < techniques->ntreatments; c++) {
        const tpt_treatment *tr = &techniques->treatments[c];
        for (size_t m = 0; m < tr->nclinic; m++) {
            if (strcmp(tr->clinic[m].modality, "gua-sha")) continue;
            assert_non_null(strstr(tr->clinic[m].detail, "petechiae"));
            assert_null(strstr(tr->clinic[m].detail, "stopping when the skin reddens"));
        }
    }
    const tpt_guideline *g = tpt_guideline_of(techniques, "acupuncture");
    assert_non_null(strstr(g->text, "NICE (NG59) advises against"));
    assert_non_null(strstr(g->text, "American College of Physicians (2017)"));
    assert_null(tpt_guideline_of(techniques, "cupping"));
}

/* A caution that waits on an answer the screen does not ask is a data error,
 * never a caution silently dropped. */
static void a_caution_needs_its_question(void **state)
{
    (void)state;
    const char *json =
        "{\"format\": \"tpt-screen\", \"sources\": {\"A\": \"a\"}, \"levels\": {\"none\": "
        "{\"advice\": \"n\", \"source\": [\"A\"]}, \"soon\": {\"advice\": \"s\", \"source\": "
        "[\"A\"]}, \"urgent\": {\"advice\": \"u\", \"source\": [\"A\"]}, \"emergency\": "
        "{\"advice\": \"e\", \"source\": [\"A\"]}}, \"groups\": [{\"id\": \"g\", \"title\": "
        "\"t\", \"intro\": \"i\"}], \"questions\": [{\"key\": \"fever\", \"type\": \"boolean\", "
        "\"group\": \"g\", \"unsure_is_yes\": false, \"question\": \"q\", \"example\": \"e\", "
        "\"source\": [\"A\"]}], \"rules\": [{\"id\": \"fever\", \"level\": \"urgent\", "
        "\"reason\": \"r\", \"advice\": \"a\", \"when\": {\"yes\": \"fever\"}, \"source\": "
        "[\"A\"]}]}";
    tpt_error err = {0};
    tpt_screen_def *small = tpt_screen_def_load(json, strlen(json), "s.json", &err);
    if (!small) fail_msg("%s", err.message);
    tpt_answers a = {0};
    a.answer[0] = (tpt_answer){TPT_ANSWER_NO, 0};
    tpt_screen_result screen;
    tpt_screen_evaluate(small, &a, &screen);
    tpt_result map;
    assert_int_equal(tpt_drawing_parse(regions, (char *const *)buttock, 3, &drawing, NULL, &err),
                     0);
    assert_int_equal(tpt_infer(atlas, &drawing, NULL, 0, &map, &err), 0);
    assert_int_equal(tpt_plan_build(atlas, techniques, small, &screen, &drawing, &map, &plan, &err),
                     TPT_ERR_DATA);
    assert_non_null(strstr(err.message, "which the screen does not ask"));
    assert_int_equal(plan.nsteps, 0);
    tpt_screen_def_free(small);
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
    /* the walk grows week by week: exercise, which every guideline recommends */
    const tpt_plan_step *walk = step_of("graded-walking");
    assert_int_equal(walk->hold_seconds, 300);
    assert_int_equal(walk->weekly_seconds, 300);
    assert_int_equal(walk->max_seconds, 900);
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
    /* the graded walk comes back, and grows with the week of the program */
    size_t w = 0;
    while (strcmp(p->steps[w].id, "graded-walking"))
        w++;
    assert_int_equal(p->week, 1);
    tpt_program_set_week(p, 2);
    assert_int_equal(p->steps[w].hold_seconds, 600);
    tpt_program_set_week(p, 40);
    assert_int_equal(p->steps[w].hold_seconds, 900);
    tpt_program_set_week(p, 1);
    assert_int_equal(p->steps[w].hold_seconds, 300);
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
    tpt_chart *chart = tpt_chart_default(regions, NULL);
    tpt_words *english = tpt_words_load("en", NULL);
    assert_non_null(chart);
    assert_non_null(english);
    tpt_handout h = {.atlas = atlas,
                     .techniques = techniques,
                     .plan = &plan,
                     .regions = regions,
                     .chart = chart,
                     .words = english};
    assert_int_equal(tpt_plan_write_html(&h, &html), 0);
    assert_non_null(strstr(html.data, "<!DOCTYPE html>"));
    assert_non_null(strstr(html.data, "<html lang=\"en\">"));
    assert_non_null(strstr(html.data, "<main>")); /* the page's landmark */
    /* every step has its picture, and where to press is drawn on the chart */
    size_t pictures = 0;
    for (const char *p = html.data; (p = strstr(p, "<div class=\"pic\"><svg")); p++)
        pictures++;
    assert_int_equal(pictures, plan.nsteps);
    assert_non_null(strstr(html.data, "Where to press"));
    assert_non_null(strstr(html.data, "data-region=\"r.buttock.center\""));
    assert_non_null(strstr(html.data, "the deep muscle in the middle of the buttock"));
    assert_non_null(strstr(html.data, "<style>"));
    assert_non_null(strstr(html.data, "not a diagnosis"));
    assert_non_null(strstr(html.data, "Piriformis"));
    /* nothing fetched from elsewhere */
    assert_null(strstr(html.data, "http"));
    assert_null(strstr(html.data, "<script"));
    assert_null(strstr(html.data, "src="));
    assert_null(strstr(html.data, "@import"));
    tpt_buf_free(&html);
    tpt_chart_free(chart);
    tpt_words_free(english);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_trigger_point_has_treatment),
        cmocka_unit_test(emergency_and_urgent_flags_stop_self_treatment),
        cmocka_unit_test(a_drawing_warning_stops_self_treatment_too),
        cmocka_unit_test(soon_adds_the_caution),
        cmocka_unit_test(an_incomplete_screen_is_refused),
        cmocka_unit_test(blood_thinners_change_the_plan),
        cmocka_unit_test(pregnancy_changes_the_plan),
        cmocka_unit_test(heat_takes_care_of_numb_skin),
        cmocka_unit_test(techniques_say_what_the_sources_say),
        cmocka_unit_test(a_caution_needs_its_question),
        cmocka_unit_test(the_program_runs_heat_pressure_stretch_walk),
        cmocka_unit_test(a_root_pattern_gets_the_clinician_note),
        cmocka_unit_test(a_session_reads_the_plan_back),
        cmocka_unit_test(the_handout_stands_alone),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
