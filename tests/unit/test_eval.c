/* Case files and the figures of tpt eval: what a file must hold, the
 * messages that name the case and the field, and the accounting of top-1,
 * top-3, patterns, calibration and warnings against the engine's answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "default_data.h"
#include "tpt/eval.h"

#define CITE                                                                                       \
    "\"citation\": {\"authors\": \"A B\", \"title\": \"T\", \"journal\": \"J\", \"year\": 2015, "  \
    "\"doi\": \"10.1/x\"}, \"described\": \"d\""

static tpt_cases *load(const char *cases, tpt_error *err)
{
    char text[8192];
    snprintf(text, sizeof text, "{\"format\": \"tpt-cases\", \"version\": 1, \"cases\": [%s]}",
             cases);
    return tpt_cases_load(atlas, text, strlen(text), "c.json", err);
}

static void a_good_file_loads(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_cases *cases = load(
        "{\"id\": \"one\", \"split\": \"held-out\", " CITE ", "
        "\"established\": {\"cause\": \"root:S1\", \"side\": \"l\", \"how\": \"MRI\"}, "
        "\"accept\": [{\"cause\": \"root:L5\", \"side\": \"l\"}], \"pattern\": \"radicular\", "
        "\"marks\": [\"l.sole:numb\", \"l.calf.lower\"], \"findings\": [\"slr:l\"], "
        "\"judgements\": [\"sole drawn as l.sole\"]},"
        "{\"id\": \"two\", \"split\": \"tune\", " CITE ", \"expected_warning\": \"emergency\", "
        "\"why\": \"saddle numbness\", \"marks\": [\"perineum:numb\"]}",
        &err);
    if (!cases) fail_msg("%s", err.message);
    assert_int_equal(cases->count, 2);
    const tpt_case *a = &cases->cases[0], *b = &cases->cases[1];
    assert_string_equal(a->id, "one");
    assert_int_equal(a->split, TPT_SPLIT_HELD_OUT);
    assert_false(a->is_warning);
    assert_int_equal(a->established.cause, tpt_atlas_find_cause(atlas, "root:S1"));
    assert_int_equal(a->established.side, TPT_LEFT);
    assert_int_equal(a->naccept, 1);
    assert_int_equal(a->pattern, TPT_RADICULAR);
    assert_int_equal(a->drawing.count, 2);
    assert_int_equal(a->nfindings, 1);
    assert_string_equal(a->citation, "A B (2015). T. J. doi:10.1/x");
    assert_true(b->is_warning);
    assert_int_equal(b->expected_warning, TPT_LEVEL_EMERGENCY);
    tpt_cases_free(cases);
}

static void a_bad_case_is_named_with_its_field(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        {"{\"id\": \"x\", \"split\": \"tune\", " CITE ", \"established\": {\"cause\": "
         "\"tp:nope\", \"side\": \"r\", \"how\": \"h\"}, \"pattern\": \"mixed\", \"marks\": "
         "[\"r.heel\"]}",
         "case 'x': established.cause: unknown cause \"tp:nope\""},
        {"{\"id\": \"x\", \"split\": \"tune\", " CITE ", \"established\": {\"cause\": "
         "\"root:L5\", \"side\": \"r\"}, \"pattern\": \"mixed\", \"marks\": [\"r.heel\"]}",
         "case 'x': established: missing field \"how\""},
        {"{\"id\": \"x\", \"split\": \"tune\", " CITE ", \"established\": {\"cause\": "
         "\"root:L5\", \"side\": \"r\", \"how\": \"h\"}, \"pattern\": \"mixed\", \"marks\": []}",
         "case 'x': marks: must not be empty"},
        {"{\"id\": \"x\", \"split\": \"tune\", " CITE ", \"established\": {\"cause\": "
         "\"root:L5\", \"side\": \"r\", \"how\": \"h\"}, \"pattern\": \"mixed\", \"marks\": "
         "[\"r.heel\", \"r.heel:numb\"]}",
         "case 'x': marks[1]: region r.heel is marked twice"},
        {"{\"id\": \"x\", \"split\": \"tune\", " CITE ", \"established\": {\"cause\": "
         "\"root:L5\", \"side\": \"r\", \"how\": \"h\"}, \"pattern\": \"mixed\", \"marks\": "
         "[\"r.heel\"], \"findings\": [\"slr:r\", \"slr:r\"]}",
         "case 'x': findings[1]: the finding slr:r is given twice"},
        {"{\"id\": \"x\", \"split\": \"tune\", " CITE ", \"established\": {\"cause\": "
         "\"root:L5\", \"side\": \"r\", \"how\": \"h\"}, \"pattern\": \"mixed\", \"marks\": "
         "[\"r.heel\"], \"expected_warning\": \"none\", \"why\": \"w\"}",
         "case 'x': established: a warning case (with \"expected_warning\") has no "
         "\"established\""},
        {"{\"id\": \"x\", \"split\": \"tune\", " CITE ", \"pattern\": \"mixed\", \"marks\": "
         "[\"r.heel\"]}",
         "case 'x': missing field \"established\" (or \"expected_warning\")"},
        {"{\"id\": \"x\", \"split\": \"tune\", \"citation\": {\"authors\": \"A\", \"title\": "
         "\"T\", \"journal\": \"J\", \"year\": \"2015\", \"url\": \"u\"}, \"described\": \"d\"}",
         "case 'x': citation.year: \"year\" must be a year such as 2015, or null"},
        {"{\"id\": \"x\", \"split\": \"tune\", " CITE ", \"expected_warning\": \"none\", "
         "\"marks\": [\"r.heel\"]}",
         "case 'x': missing field \"why\""},
        {"{\"id\": \"x\", \"split\": \"tune\", " CITE ", \"expected_warning\": \"none\", "
         "\"why\": \"w\", \"marks\": [\"r.heel\"]}, {\"id\": \"x\", \"split\": \"tune\", " CITE
         ", \"expected_warning\": \"none\", \"why\": \"w\", \"marks\": [\"r.heel\"]}",
         "case 'x': id: the id is used twice in this file"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tpt_error err = {0};
        tpt_cases *cases = load(bad[i][0], &err);
        if (cases) fail_msg("case %zu loaded", i);
        assert_int_equal(err.status, TPT_ERR_INPUT);
        if (strncmp(err.message, "c.json:1:", 9) != 0 || !strstr(err.message, bad[i][1]))
            fail_msg("case %zu: %s\nwanted: %s", i, err.message, bad[i][1]);
    }
}

/* The engine's answer to marks separated by spaces, with no findings. */
static void answer(const char *marks, tpt_result *r)
{
    tpt_drawing d = {0};
    char copy[512], *save = NULL;
    snprintf(copy, sizeof copy, "%s", marks);
    for (char *m = strtok_r(copy, " ", &save); m; m = strtok_r(NULL, " ", &save)) {
        tpt_mark mark;
        assert_int_equal(tpt_mark_parse(regions, m, &mark, NULL), 0);
        assert_int_equal(tpt_drawing_add(&d, regions, &mark, NULL), 0);
    }
    assert_int_equal(tpt_infer(atlas, &d, NULL, 0, r, NULL), 0);
    assert_true(r->ncandidates > 0);
}

/* Loads the cases and runs the engine on each; the caller frees both. */
static tpt_cases *evaluate(const char *text, tpt_eval *e)
{
    tpt_error err = {0};
    tpt_cases *cases = load(text, &err);
    if (!cases) fail_msg("%s", err.message);
    for (size_t i = 0; i < cases->count; i++)
        assert_int_equal(tpt_eval_case(e, atlas, &cases->cases[i], &err), 0);
    return cases;
}

/* A diagnosis case on a drawing whose established cause is the engine's
 * candidate at `rank` (or, with rank < 0, a cause it does not list). */
static void case_at_rank(char *out, size_t size, const char *id, const char *marks, int rank,
                         const char *pattern)
{
    tpt_result r;
    answer(marks, &r);
    tpt_cause_ref ref = {tpt_atlas_find_cause(atlas, "tp:soleus"), TPT_LEFT};
    if (rank >= 0) ref = r.candidates[rank].ref;
    char list[512] = "", copy[512], *save = NULL;
    snprintf(copy, sizeof copy, "%s", marks);
    size_t used = 0;
    for (char *m = strtok_r(copy, " ", &save); m; m = strtok_r(NULL, " ", &save))
        used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"", used ? ", " : "", m);
    snprintf(out, size,
             "{\"id\": \"%s\", \"split\": \"tune\", " CITE ", \"established\": {\"cause\": \"%s\", "
             "\"side\": \"%s\", \"how\": \"h\"}, \"pattern\": \"%s\", \"marks\": [%s]}",
             id, atlas->causes[ref.cause].id, tpt_side_id(ref.side), pattern, list);
}

static void the_figures_count_what_the_engine_said(void **state)
{
    (void)state;
    static const char drawing[] = "r.buttock.center r.thigh.back.upper r.calf.upper";
    char first[1024], third[1024], absent[1024], all[4096];
    case_at_rank(first, sizeof first, "first", drawing, 0, "myofascial");
    case_at_rank(third, sizeof third, "third", drawing, 2, "radicular");
    case_at_rank(absent, sizeof absent, "absent", drawing, -1, "myofascial");
    snprintf(all, sizeof all,
             "%s, %s, %s, {\"id\": \"heels\", \"split\": \"tune\", " CITE
             ", \"expected_warning\": \"none\", \"why\": \"w\", \"marks\": [\"l.heel\", "
             "\"r.heel\"]}",
             first, third, absent);
    tpt_eval e = {0};
    tpt_cases *cases = evaluate(all, &e);

    tpt_result r;
    answer(drawing, &r);
    assert_int_equal(e.n, 3);
    assert_int_equal(e.top1, 1);
    assert_int_equal(e.top3, 2);
    /* the first and the absent case ask for the pattern of the first; the third does not */
    size_t called = r.pattern == TPT_MYOFASCIAL ? 2 : r.pattern == TPT_RADICULAR ? 1 : 0;
    assert_int_equal(e.pattern, called);
    /* the same cause came first each time: one column holds the three cases */
    int first_kind = atlas->causes[r.candidates[0].ref.cause].kind == TPT_ROOT;
    assert_int_equal(e.kinds[0][first_kind] + e.kinds[1][first_kind], 3);

    /* every listed candidate of every case is a forecast, and an unlisted truth one more */
    size_t binned = 0, right = 0;
    for (int b = 0; b < TPT_EVAL_BINS; b++) {
        binned += e.bins[b].n;
        right += e.bins[b].right;
    }
    assert_int_equal(binned, 3 * r.ncandidates);
    assert_int_equal(right, 2);
    assert_int_equal(e.brier_n, 3 * r.ncandidates + 1);
    double want = 0;
    for (size_t i = 0; i < r.ncandidates; i++) {
        double p = r.candidates[i].probability;
        want += p * p * 3 - 2 * p * (i == 0) - 2 * p * (i == 2) + (i == 0) + (i == 2);
    }
    want += 1; /* the absent case's truth, at probability 0 */
    assert_true(fabs(tpt_eval_brier(&e) - want / (double)e.brier_n) < 1e-12);
    double p0 = r.candidates[0].probability;
    double first_want = ((1 - p0) * (1 - p0) + 2 * p0 * p0) / 3;
    assert_true(fabs(tpt_eval_brier_first(&e) - first_want) < 1e-12);

    /* the misses: the third (ranked 3) and the absent (not listed) */
    size_t ranked3 = 0, unlisted = 0;
    for (size_t i = 0; i < e.nmisses; i++) {
        if (!strcmp(e.misses[i].c->id, "third")) ranked3 += e.misses[i].truth_rank == 2;
        if (!strcmp(e.misses[i].c->id, "absent")) unlisted += e.misses[i].truth_rank == -1;
        assert_true(e.misses[i].first.ref.cause == r.candidates[0].ref.cause);
    }
    assert_int_equal(ranked3 + unlisted, 2);

    /* the warning case: heels ache on both sides is joint-local */
    assert_int_equal(e.nwarn, 1);
    assert_int_equal(e.warn_agree + e.nwarn_misses, 1);
    tpt_eval_free(&e);
    tpt_cases_free(cases);
}

static void accepted_causes_and_either_side_count_as_right(void **state)
{
    (void)state;
    /* the source cannot tell the first candidate from the established cause */
    tpt_result r;
    answer("r.buttock.center r.thigh.back.upper", &r);
    assert_false(r.either_side[0]);
    tpt_candidate buttock = r.candidates[0];
    /* a spine drawing: the first candidate stands for its cause on either side */
    answer("lumbar-spine", &r);
    assert_true(r.either_side[0]);
    tpt_candidate spine = r.candidates[0];
    char all[4096];
    snprintf(all, sizeof all,
             "{\"id\": \"accepted\", \"split\": \"tune\", " CITE ", \"established\": "
             "{\"cause\": \"tp:soleus\", \"side\": \"l\", \"how\": \"h\"}, \"accept\": "
             "[{\"cause\": \"%s\", \"side\": \"r\"}], \"pattern\": \"myofascial\", "
             "\"marks\": [\"r.buttock.center\", \"r.thigh.back.upper\"]}, "
             "{\"id\": \"left\", \"split\": \"tune\", " CITE ", \"established\": "
             "{\"cause\": \"%s\", \"side\": \"l\", \"how\": \"h\"}, \"pattern\": "
             "\"myofascial\", \"marks\": [\"lumbar-spine\"]}, "
             "{\"id\": \"right\", \"split\": \"tune\", " CITE ", \"established\": "
             "{\"cause\": \"%s\", \"side\": \"r\", \"how\": \"h\"}, \"pattern\": "
             "\"myofascial\", \"marks\": [\"lumbar-spine\"]}",
             atlas->causes[buttock.ref.cause].id, atlas->causes[spine.ref.cause].id,
             atlas->causes[spine.ref.cause].id);
    tpt_eval e = {0};
    tpt_cases *cases = evaluate(all, &e);
    assert_int_equal(e.n, 3);
    assert_int_equal(e.top1, 3);
    assert_int_equal(e.top3, 3);
    tpt_eval_free(&e);
    tpt_cases_free(cases);
}

static void soon_is_not_a_red_flag(void **state)
{
    (void)state;
    assert_true(tpt_eval_warning_agrees(TPT_LEVEL_NONE, TPT_LEVEL_SOON));
    assert_true(tpt_eval_warning_agrees(TPT_LEVEL_URGENT, TPT_LEVEL_URGENT));
    assert_false(tpt_eval_warning_agrees(TPT_LEVEL_EMERGENCY, TPT_LEVEL_URGENT));
    assert_false(tpt_eval_warning_agrees(TPT_LEVEL_NONE, TPT_LEVEL_EMERGENCY));
    assert_false(tpt_eval_warning_agrees(TPT_LEVEL_URGENT, TPT_LEVEL_SOON));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_good_file_loads),
        cmocka_unit_test(a_bad_case_is_named_with_its_field),
        cmocka_unit_test(the_figures_count_what_the_engine_said),
        cmocka_unit_test(accepted_causes_and_either_side_count_as_right),
        cmocka_unit_test(soon_is_not_a_red_flag),
    };
    return cmocka_run_group_tests(tests, load_default_data, free_default_data);
}
