/* Explaining an answer: what each finding did, and one cause's terms
 * (tpt map --why) read back from the model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "default_data.h"
#include "tpt/evidence.h"

static tpt_finding finding(const char *text)
{
    tpt_finding f;
    tpt_error err = {0};
    if (tpt_finding_parse(atlas, text, &f, &err) != 0) fail_msg("%s", err.message);
    return f;
}

static double lr_of(const char *cause, const char *finding_id)
{
    const tpt_cause *c = &atlas->causes[tpt_atlas_find_cause(atlas, cause)];
    for (size_t k = 0; k < c->nfindings; k++)
        if (!strcmp(atlas->findings[c->findings[k].finding].id, finding_id))
            return c->findings[k].lr.value;
    return 0;
}

static void a_finding_names_the_causes_it_moves_and_by_how_much(void **state)
{
    (void)state;
    tpt_finding slr = finding("slr:r");
    tpt_cause_ref refs[TPT_MAX_CAUSES];
    double lrs[TPT_MAX_CAUSES];
    size_t n = tpt_finding_effects(atlas, &slr, refs, lrs, TPT_MAX_CAUSES);
    assert_true(n >= 2);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(refs[i].side, TPT_RIGHT);
        assert_true(lrs[i] == lr_of(atlas->causes[refs[i].cause].id, "slr"));
        if (i) assert_true(lrs[i - 1] >= lrs[i]); /* the most favoured first */
    }
    char text[512], want[64];
    tpt_finding_text(atlas, &slr, text, sizeof text);
    assert_non_null(strstr(text, "straight leg raise on the right: "));
    snprintf(want, sizeof want, "S1 nerve root x%g", lr_of("root:S1", "slr"));
    assert_non_null(strstr(text, want));

    /* a tender point counts for its muscle, both parts of gluteus minimus */
    tpt_finding tender = finding("tender:gluteus-minimus:l");
    tpt_finding_text(atlas, &tender, text, sizeof text);
    snprintf(want, sizeof want, "Gluteus minimus, anterior part x%g", atlas->tender_lr.value);
    assert_non_null(strstr(text, "tender trigger point in gluteus minimus on the left: "));
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(text, "Gluteus minimus, posterior part x"));
    tpt_finding_id(atlas, &tender, text, sizeof text);
    assert_string_equal(text, "tender:gluteus-minimus");
}

static void ratios_read_as_people_read_them(void **state)
{
    (void)state;
    static const struct {
        double x;
        const char *text;
    } cases[] = {{2, "2"}, {1.3, "1.3"}, {0.386, "0.39"}, {46.3, "46"}, {950.2, "950"}, {10, "10"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[32];
        tpt_ratio_text(cases[i].x, text, sizeof text);
        assert_string_equal(text, cases[i].text);
    }
}

static void why_reads_back_the_terms_of_the_model(void **state)
{
    (void)state;
    static const char *const marks[] = {"r.buttock.center", "r.thigh.back.upper", "r.heel"};
    tpt_drawing d = {0};
    for (size_t i = 0; i < 3; i++) {
        tpt_mark m;
        assert_int_equal(tpt_mark_parse(regions, marks[i], &m, NULL), 0);
        assert_int_equal(tpt_drawing_add(&d, regions, &m, NULL), 0);
    }
    tpt_finding f[1] = {finding("fair:r")};
    tpt_result r;
    assert_int_equal(tpt_infer(atlas, &d, f, 1, &r, NULL), 0);
    int pir = tpt_atlas_find_cause(atlas, "tp:piriformis");
    tpt_why w;
    tpt_why_cause(atlas, &d, f, 1, &r, (tpt_cause_ref){pir, TPT_RIGHT}, &w);

    /* the rank and probability of the answer */
    assert_true(w.rank >= 0);
    assert_int_equal(r.candidates[w.rank].ref.cause, pir);
    assert_true(w.probability == r.candidates[w.rank].probability);
    /* every mark, with its factor: 1 where the zone does not reach */
    assert_int_equal(w.nmarks, 3);
    double product = 1;
    for (size_t j = 0; j < 3; j++) {
        bool reached =
            tpt_cause_region_p(atlas, (tpt_cause_ref){pir, TPT_RIGHT}, w.marks[j].region) > 0;
        assert_true(reached == (w.marks[j].factor > 1));
        if (!reached) assert_true(fabs(w.marks[j].factor - 1) < 1e-12);
        product *= w.marks[j].factor;
    }
    assert_true(fabs(product - w.marks_factor) < 1e-9 * product);
    /* the unmarked part of its zone, as the model weighs it */
    const tpt_cause *c = &atlas->causes[pir];
    assert_int_equal(w.nunmarked, c->nzone - 2); /* the buttock and the thigh are marked */
    assert_true(w.absent_weight == tpt_absent_weight(atlas, w.absent));
    /* the finding and the whole */
    assert_int_equal(w.nfindings, 1);
    assert_true(w.lr[0] == lr_of("tp:piriformis", "fair"));
    assert_true(fabs(w.score - w.prior_odds * w.marks_factor * w.absent_weight *
                                   w.findings_factor) < 1e-12 * w.score);

    /* a cause the drawing does not reach at all: not listed, nothing reached */
    int ta = tpt_atlas_find_cause(atlas, "tp:tibialis-anterior");
    tpt_why_cause(atlas, &d, f, 1, &r, (tpt_cause_ref){ta, TPT_LEFT}, &w);
    assert_int_equal(w.rank, -1);
    assert_true(w.probability == 0);
    assert_true(fabs(w.marks_factor - 1) < 1e-12);
    assert_int_equal(w.nfindings, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_finding_names_the_causes_it_moves_and_by_how_much),
        cmocka_unit_test(ratios_read_as_people_read_them),
        cmocka_unit_test(why_reads_back_the_terms_of_the_model),
    };
    return cmocka_run_group_tests(tests, load_default_data, free_default_data);
}
