/* Instruments: the worked examples of each instrument's scoring, the MCID
 * boundaries, bad answers refused naming the item, definition and clinic
 * item-text files refused with file:line:column, and the promise that no
 * licensed instrument ships its item text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/instruments.h"
#include "tpt/json.h"
#include "tpt/notice.h"

static tpt_instruments *set;

static int setup(void **state)
{
    (void)state;
    tpt_error err = {0};
    set = tpt_instruments_default(&err);
    if (!set) fprintf(stderr, "%s\n", err.message);
    return set ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tpt_instruments_free(set);
    return 0;
}

static const tpt_instrument *get(const char *id)
{
    const tpt_instrument *in = tpt_instrument_find(set, id);
    if (!in) fail_msg("no instrument %s", id);
    return in;
}

/* Answers for items named PREFIX-1.. with the given values; a value below 0
 * leaves the item unanswered. */
typedef struct answers {
    char ids[TPT_INSTRUMENT_MAX_ITEMS][32];
    tpt_item_answer a[TPT_INSTRUMENT_MAX_ITEMS];
    size_t n;
} answers;

static answers *numbered(const char *prefix, const int *values, size_t n)
{
    static answers out;
    memset(&out, 0, sizeof out);
    for (size_t i = 0; i < n; i++) {
        if (values[i] < 0) continue;
        snprintf(out.ids[out.n], sizeof out.ids[0], "%s-%zu", prefix, i + 1);
        out.a[out.n] = (tpt_item_answer){out.ids[out.n], values[i]};
        out.n++;
    }
    return &out;
}

static tpt_score score_ok(const char *id, const answers *ans)
{
    tpt_score s;
    tpt_error err = {0};
    if (tpt_instrument_score(get(id), ans->a, ans->n, &s, &err) != 0)
        fail_msg("%s refused: %s", id, err.message);
    assert_true(s.scored);
    return s;
}

static void score_refused(const char *id, const tpt_item_answer *a, size_t n, const char *message)
{
    tpt_score s;
    tpt_error err = {0};
    if (tpt_instrument_score(get(id), a, n, &s, &err) == 0)
        fail_msg("%s scored %g, expected: %s", id, s.value, message);
    assert_int_equal(err.status, TPT_ERR_INPUT);
    assert_false(s.scored);
    assert_string_equal(err.message, message);
}

#define N(a) (sizeof(a) / sizeof *(a))
#define assert_near(x, y) assert_true(fabs((x) - (y)) < 1e-9)

/* ---- the built-in definitions ---- */

static void the_built_in_instruments_load(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        tpt_score_rule rule;
        size_t items;
        double min, max;
        bool worse;
    } expect[] = {
        {"nrs-leg", TPT_RULE_SINGLE, 1, 0, 10, true},
        {"nrs-back", TPT_RULE_SINGLE, 1, 0, 10, true},
        {"odi", TPT_RULE_PERCENT_OF_ANSWERED, 10, 0, 100, true},
        {"rmdq", TPT_RULE_SUM, 24, 0, 24, true},
        {"sbi", TPT_RULE_SUM, 3, 0, 18, true},
        {"psfs", TPT_RULE_MEAN, 5, 0, 10, false},
        {"start-back", TPT_RULE_START_BACK, 9, 0, 9, true},
    };
    assert_int_equal(set->count, N(expect));
    for (size_t i = 0; i < N(expect); i++) {
        const tpt_instrument *in = get(expect[i].id);
        assert_int_equal(in->rule, expect[i].rule);
        assert_int_equal(in->nitems, expect[i].items);
        assert_true(in->min == expect[i].min && in->max == expect[i].max);
        assert_int_equal(in->higher_is_worse, expect[i].worse);
        assert_true(in->source.count > 0 && in->rule_source.count > 0);
        assert_true(in->min_answered.source.count > 0);
        assert_non_null(in->licence.terms);
        assert_null(in->text_file);
    }
    assert_string_equal(get("odi")->version, "2.1a");
    assert_string_equal(tpt_score_rule_name(TPT_RULE_PERCENT_OF_ANSWERED), "percent-of-answered");
    assert_string_equal(tpt_score_rule_name(TPT_RULE_START_BACK), "start-back");
    assert_null(tpt_instrument_find(set, "promis"));
    assert_int_equal(tpt_instrument_item(get("odi"), "section-10"), 9);
    assert_int_equal(tpt_instrument_item(get("odi"), "section-11"), -1);
}

/* The promise of the licence notes: the text of ODI, RMDQ and STarT Back is
 * the clinic's to supply, never tpt's to ship. */
static void no_licensed_instrument_ships_item_text(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_instruments *fresh = tpt_instruments_default(&err);
    assert_non_null(fresh);
    static const char *const licensed[] = {"odi", "rmdq", "start-back"};
    for (size_t i = 0; i < N(licensed); i++) {
        const tpt_instrument *in = tpt_instrument_find(fresh, licensed[i]);
        assert_non_null(in);
        assert_true(in->licence.text_from_clinic);
        for (size_t k = 0; k < in->nitems; k++) {
            const tpt_item *item = &in->items[k];
            if (item->text) fail_msg("%s item %s ships text", in->id, item->id);
            for (size_t o = 0; o < item->noptions; o++) {
                if (item->options[o].text)
                    fail_msg("%s item %s ships answer text", in->id, item->id);
            }
            assert_int_equal(item->nanchors, 0);
        }
    }
    /* and the copyright notices that must stay with them */
    assert_non_null(strstr(tpt_instrument_find(fresh, "odi")->licence.notice, "Fairbank"));
    assert_non_null(strstr(tpt_instrument_find(fresh, "start-back")->licence.notice, "Keele"));
    /* the others ship tpt's own wording */
    static const char *const own[] = {"nrs-leg", "nrs-back", "sbi", "psfs"};
    for (size_t i = 0; i < N(own); i++) {
        const tpt_instrument *in = tpt_instrument_find(fresh, own[i]);
        assert_false(in->licence.text_from_clinic);
        for (size_t k = 0; k < in->nitems; k++)
            assert_non_null(in->items[k].text);
    }
    tpt_instruments_free(fresh);
}

static void mcids_are_the_sourced_ones(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        double points, percent; /* 0: none known */
    } expect[] = {
        {"nrs-leg", 2, 30}, {"nrs-back", 2, 30}, {"odi", 10, 30},      {"rmdq", 5, 30},
        {"sbi", 0, 0},      {"psfs", 0, 0},      {"start-back", 0, 0},
    };
    for (size_t i = 0; i < N(expect); i++) {
        const tpt_instrument *in = get(expect[i].id);
        assert_int_equal(in->mcid_points.known, expect[i].points > 0);
        assert_int_equal(in->mcid_percent.known, expect[i].percent > 0);
        if (expect[i].points > 0) {
            assert_true(in->mcid_points.number.value == expect[i].points);
            assert_string_equal(in->mcid_points.number.source.items[0], "OST");
        }
        if (expect[i].percent > 0) assert_true(in->mcid_percent.number.value == expect[i].percent);
        /* an unknown MCID still says why */
        assert_true(in->mcid_points.number.source.count > 0);
        assert_true(in->mcid_percent.number.source.count > 0);
    }
}

/* ---- worked examples ---- */

static void odi_percent_of_the_answered_sections(void **state)
{
    (void)state;
    /* all ten answered, summing to 16: 16 / 50 = 32% */
    static const int ten[] = {2, 1, 2, 2, 1, 2, 2, 1, 2, 1};
    tpt_score s = score_ok("odi", numbered("section", ten, 10));
    assert_near(s.value, 32);
    assert_near(s.sum, 16);
    assert_int_equal(s.answered, 10);
    assert_int_equal(s.items, 10);
    assert_string_equal(s.band->id, "moderate");
    /* nine answered, summing to 16: 16 / 45 = 35.6% */
    static const int nine[] = {2, 1, 2, 2, 1, 2, 2, -1, 2, 2};
    s = score_ok("odi", numbered("section", nine, 10));
    assert_near(s.value, 1600.0 / 45);
    assert_int_equal(s.answered, 9);
    assert_string_equal(s.band->id, "moderate");
    /* eight answered is the least tpt scores: 8 / 40 = 20% */
    static const int eight[] = {1, 1, 1, 1, -1, 1, 1, 1, -1, 1};
    s = score_ok("odi", numbered("section", eight, 10));
    assert_near(s.value, 20);
    assert_int_equal(s.answered, 8);
    /* seven answered: refused, naming the sections left out */
    static const int seven[] = {1, -1, 1, 1, -1, 1, 1, 1, -1, 1};
    answers *a = numbered("section", seven, 10);
    tpt_score r;
    tpt_error err = {0};
    assert_int_equal(tpt_instrument_score(get("odi"), a->a, a->n, &r, &err), TPT_ERR_INPUT);
    assert_false(r.scored);
    assert_int_equal(r.answered, 7);
    assert_int_equal(r.items, 10);
    assert_string_equal(err.message, "odi needs at least 8 of its 10 items answered and has 7; "
                                     "not answered: section-2, section-5, section-9");
    /* nothing answered at all */
    score_refused("odi", NULL, 0,
                  "odi needs at least 8 of its 10 items answered and has 0; not answered: "
                  "section-1, section-2, section-3, section-4, section-5, section-6, section-7, "
                  "section-8, section-9, section-10");
}

static void odi_bands_and_their_ends(void **state)
{
    (void)state;
    /* ten sections: the score is the sum times two */
    static const struct {
        int sum;
        const char *band;
    } cases[] = {
        {0, "minimal"}, {10, "minimal"},  {11, "moderate"}, {20, "moderate"},  {21, "severe"},
        {30, "severe"}, {31, "crippled"}, {40, "crippled"}, {41, "bed-bound"}, {50, "bed-bound"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        int v[10];
        for (int k = 0; k < 10; k++)
            v[k] = cases[i].sum / 10 + (k < cases[i].sum % 10);
        tpt_score s = score_ok("odi", numbered("section", v, 10));
        assert_near(s.value, cases[i].sum * 2);
        if (strcmp(s.band->id, cases[i].band) != 0)
            fail_msg("%g%%: %s, expected %s", s.value, s.band->id, cases[i].band);
    }
    /* 9 of 45 is exactly 20% (not 20.000000000000004): still minimal */
    static const int nine[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, -1};
    tpt_score s = score_ok("odi", numbered("section", nine, 10));
    assert_true(s.value == 20);
    assert_string_equal(s.band->id, "minimal");
    /* 10 of 45 is 22.2%: moderate */
    static const int ten_of_45[] = {2, 1, 1, 1, 1, 1, 1, 1, 1, -1};
    s = score_ok("odi", numbered("section", ten_of_45, 10));
    assert_string_equal(s.band->id, "moderate");
}

static void rmdq_counts_the_statements_that_apply(void **state)
{
    (void)state;
    int v[24] = {0};
    tpt_score s = score_ok("rmdq", numbered("statement", v, 24));
    assert_near(s.value, 0);
    assert_null(s.band);
    for (int i = 0; i < 24; i++)
        v[i] = 1;
    s = score_ok("rmdq", numbered("statement", v, 24));
    assert_near(s.value, 24);
    for (int i = 0; i < 24; i++)
        v[i] = i % 2; /* every other statement applies */
    s = score_ok("rmdq", numbered("statement", v, 24));
    assert_near(s.value, 12);
    v[23] = -1;
    answers *a = numbered("statement", v, 24);
    score_refused("rmdq", a->a, a->n,
                  "rmdq needs at least 24 of its 24 items answered and has 23; not answered: "
                  "statement-24");
}

static void start_back_risk_groups(void **state)
{
    (void)state;
    static const struct {
        int v[9];
        double total, subscale;
        const char *group;
    } cases[] = {
        /* total 0-3 is low risk whatever the subscale */
        {{0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 0, "low"},
        {{0, 0, 0, 0, 1, 1, 1, 0, 0}, 3, 3, "low"},
        {{1, 1, 1, 0, 0, 0, 0, 0, 0}, 3, 0, "low"},
        /* above 3: the psychosocial subscale (items 5-9) decides */
        {{1, 1, 0, 0, 1, 1, 1, 0, 0}, 5, 3, "medium"},
        {{1, 1, 1, 1, 0, 0, 0, 0, 0}, 4, 0, "medium"},
        {{1, 0, 0, 0, 1, 1, 1, 1, 0}, 5, 4, "high"},
        {{0, 0, 0, 0, 1, 1, 1, 1, 0}, 4, 4, "high"},
        {{1, 1, 1, 1, 1, 1, 1, 1, 1}, 9, 5, "high"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        tpt_score s = score_ok("start-back", numbered("item", cases[i].v, 9));
        assert_true(s.has_subscale);
        assert_near(s.value, cases[i].total);
        assert_near(s.subscale, cases[i].subscale);
        if (strcmp(s.band->id, cases[i].group) != 0)
            fail_msg("case %zu: %s, expected %s", i, s.band->id, cases[i].group);
    }
    assert_string_equal(get("start-back")->bands[2].label, "High risk");
    static const int eight[] = {1, 1, 1, 1, 1, 1, 1, 1, -1};
    answers *a = numbered("item", eight, 9);
    score_refused("start-back", a->a, a->n,
                  "start-back needs at least 9 of its 9 items answered and has 8; not answered: "
                  "item-9");
}

static void sbi_sums_its_three_items(void **state)
{
    (void)state;
    tpt_item_answer a[] = {{"leg-pain", 4}, {"tingling", 3}, {"weakness", 5}};
    tpt_score s;
    assert_int_equal(tpt_instrument_score(get("sbi"), a, 3, &s, NULL), 0);
    assert_near(s.value, 12);
    tpt_item_answer top[] = {{"weakness", 6}, {"leg-pain", 6}, {"tingling", 6}}; /* any order */
    assert_int_equal(tpt_instrument_score(get("sbi"), top, 3, &s, NULL), 0);
    assert_near(s.value, 18);
    tpt_item_answer none[] = {{"leg-pain", 0}, {"tingling", 0}, {"weakness", 0}};
    assert_int_equal(tpt_instrument_score(get("sbi"), none, 3, &s, NULL), 0);
    assert_near(s.value, 0);
    score_refused("sbi", a, 2,
                  "sbi needs at least 3 of its 3 items answered and has 2; not answered: "
                  "weakness");
    tpt_item_answer seven[] = {{"leg-pain", 7}};
    score_refused("sbi", seven, 1, "item \"leg-pain\" of sbi: 7 is outside its range, 0 to 6");
}

static void nrs_is_its_one_rating(void **state)
{
    (void)state;
    for (int v = 0; v <= 10; v++) {
        tpt_item_answer leg[] = {{"leg-pain", v}}, back[] = {{"back-pain", v}};
        tpt_score s;
        assert_int_equal(tpt_instrument_score(get("nrs-leg"), leg, 1, &s, NULL), 0);
        assert_near(s.value, v);
        assert_int_equal(tpt_instrument_score(get("nrs-back"), back, 1, &s, NULL), 0);
        assert_near(s.value, v);
    }
    tpt_item_answer eleven[] = {{"leg-pain", 11}}, minus[] = {{"leg-pain", -1}},
                    half[] = {{"leg-pain", 6.5}}, wrong[] = {{"back-pain", 4}};
    score_refused("nrs-leg", eleven, 1,
                  "item \"leg-pain\" of nrs-leg: 11 is outside its range, 0 to 10");
    score_refused("nrs-leg", minus, 1,
                  "item \"leg-pain\" of nrs-leg: -1 is outside its range, 0 to 10");
    score_refused("nrs-leg", half, 1, "item \"leg-pain\" of nrs-leg: 6.5 is not a whole number");
    score_refused("nrs-leg", wrong, 1, "nrs-leg has no item \"back-pain\"");
    score_refused("nrs-leg", NULL, 0,
                  "nrs-leg needs at least 1 of its 1 items answered and has 0; not answered: "
                  "leg-pain");
}

static void psfs_is_the_mean_of_the_activities_named(void **state)
{
    (void)state;
    static const int three[] = {3, 5, 7, -1, -1};
    tpt_score s = score_ok("psfs", numbered("activity", three, 5));
    assert_near(s.value, 5);
    assert_int_equal(s.answered, 3);
    static const int five[] = {2, 4, 5, 6, 10};
    s = score_ok("psfs", numbered("activity", five, 5));
    assert_near(s.value, 27.0 / 5);
    static const int one[] = {-1, -1, 8, -1, -1};
    s = score_ok("psfs", numbered("activity", one, 5));
    assert_near(s.value, 8);
    assert_false(get("psfs")->higher_is_worse);
    score_refused("psfs", NULL, 0,
                  "psfs needs at least 1 of its 5 items answered and has 0; not answered: "
                  "activity-1, activity-2, activity-3, activity-4, activity-5");
}

/* The PSFS's activities are named by the person; other items take no name. */
static void named_items_take_a_name(void **state)
{
    (void)state;
    const tpt_instrument *psfs = get("psfs"), *nrs = get("nrs-leg");
    assert_true(psfs->items[0].named && psfs->items[4].named);
    assert_false(nrs->items[0].named);
    tpt_error err = {0};
    assert_int_equal(tpt_instrument_check_name(psfs, "activity-1", "Putting on socks", &err), 0);
    assert_int_equal(tpt_instrument_check_name(psfs, "activity-2", "Gehen über 1 km", &err), 0);
    static const struct {
        const tpt_instrument *in;
        const char *item, *name, *message;
    } bad[] = {
        {NULL, "leg-pain", "Leg", "item \"leg-pain\" of nrs-leg takes no name"},
        {NULL, "activity-9", "Walking", "psfs has no item \"activity-9\""},
        {NULL, "activity-1", "", "the name of \"activity-1\" is 1 to 100 characters"},
        {NULL, "activity-1", " Walking", "the name of \"activity-1\" starts or ends with a space"},
        {NULL, "activity-1", "Walking\n", "the name of \"activity-1\" has a control character"},
        {NULL, "activity-1", "Walk\xff", "the name of \"activity-1\" is not UTF-8 text"},
    };
    for (size_t i = 0; i < N(bad); i++) {
        const tpt_instrument *in = i == 0 ? nrs : psfs;
        memset(&err, 0, sizeof err);
        assert_int_equal(tpt_instrument_check_name(in, bad[i].item, bad[i].name, &err),
                         TPT_ERR_INPUT);
        assert_string_equal(err.message, bad[i].message);
    }
    char longest[TPT_ITEM_NAME_MAX + 2];
    memset(longest, 'a', sizeof longest);
    longest[TPT_ITEM_NAME_MAX] = '\0';
    assert_int_equal(tpt_instrument_check_name(psfs, "activity-1", longest, &err), 0);
    longest[TPT_ITEM_NAME_MAX] = 'a';
    longest[TPT_ITEM_NAME_MAX + 1] = '\0';
    assert_int_equal(tpt_instrument_check_name(psfs, "activity-1", longest, &err), TPT_ERR_INPUT);
}

/* ---- meaningful change ---- */

static void mcid_boundaries(void **state)
{
    (void)state;
    const tpt_instrument *odi = get("odi"), *rmdq = get("rmdq"), *nrs = get("nrs-leg");
    /* ODI: 10 points or 30% */
    assert_true(tpt_score_meaningful_change(odi, 60, 50));    /* 10 points, 17% */
    assert_false(tpt_score_meaningful_change(odi, 60, 50.1)); /* 9.9 points, 16.5% */
    assert_true(tpt_score_meaningful_change(odi, 30, 21));    /* 9 points, exactly 30% */
    assert_false(tpt_score_meaningful_change(odi, 30, 21.2)); /* 8.8 points, 29.3% */
    assert_false(tpt_score_meaningful_change(odi, 40, 52));   /* worse, not better */
    /* RMDQ: 5 points or 30% */
    assert_true(tpt_score_meaningful_change(rmdq, 20, 15));  /* 5 points, 25% */
    assert_false(tpt_score_meaningful_change(rmdq, 20, 16)); /* 4 points, 20% */
    assert_true(tpt_score_meaningful_change(rmdq, 10, 7));   /* 3 points, exactly 30% */
    assert_false(tpt_score_meaningful_change(rmdq, 10, 8));  /* 2 points, 20% */
    /* NRS: 2 points or 30% */
    assert_true(tpt_score_meaningful_change(nrs, 9, 7));     /* 2 points, 22% */
    assert_false(tpt_score_meaningful_change(nrs, 10, 8.1)); /* 1.9 points, 19% */
    assert_true(tpt_score_meaningful_change(nrs, 5, 3.5));   /* 1.5 points, exactly 30% */
    assert_false(tpt_score_meaningful_change(nrs, 5, 3.55)); /* 29% */
    assert_true(tpt_score_meaningful_change(nrs, 3, 2));     /* 1 point, 33% */
    assert_false(tpt_score_meaningful_change(nrs, 0, 0));
    assert_false(tpt_score_meaningful_change(nrs, 4, 6));
    assert_false(tpt_score_meaningful_change(nrs, NAN, 2));
    /* no known MCID: no change is called meaningful */
    assert_false(tpt_score_meaningful_change(get("psfs"), 1, 9));
    assert_false(tpt_score_meaningful_change(get("sbi"), 18, 0));
    assert_false(tpt_score_meaningful_change(get("start-back"), 9, 0));
}

/* ---- bad answers ---- */

static void bad_answers_are_refused_naming_the_item(void **state)
{
    (void)state;
    tpt_item_answer six[] = {{"section-1", 6}};
    score_refused("odi", six, 1,
                  "item \"section-1\" of odi: 6 is not one of its answers (0, 1, 2, 3, 4, 5)");
    tpt_item_answer frac[] = {{"section-2", 2.5}};
    score_refused("odi", frac, 1, "item \"section-2\" of odi: 2.5 is not a whole number");
    tpt_item_answer unknown[] = {{"section-1", 1}, {"section-11", 1}};
    score_refused("odi", unknown, 2, "odi has no item \"section-11\"");
    tpt_item_answer twice[] = {{"section-3", 1}, {"section-3", 2}};
    score_refused("odi", twice, 2, "item \"section-3\" of odi is answered twice");
    tpt_item_answer two[] = {{"statement-1", 2}};
    score_refused("rmdq", two, 1,
                  "item \"statement-1\" of rmdq: 2 is not one of its answers (0, 1)");
    tpt_item_answer noid[] = {{NULL, 1}};
    score_refused("rmdq", noid, 1, "rmdq has no item \"\"");
    tpt_item_answer control[] = {{"a\033[2Jb", 1}};
    score_refused("rmdq", control, 1, "rmdq has no item \"a?[2Jb\"");
    tpt_item_answer inf[] = {{"leg-pain", INFINITY}};
    score_refused("nrs-leg", inf, 1, "item \"leg-pain\" of nrs-leg: inf is not a whole number");
}

/* ---- definition files ---- */

/* A small valid definition, one member a line so that positions are known. */
static const char *const def_lines[] = {
    "{\"format\": \"tpt-instrument\", \"version\": 1, \"sources\": {\"A\": \"a source\"},\n",
    "\"id\": \"demo\", \"name\": \"Demo\", \"instrument_version\": \"1\", \"about\": \"A demo.\", "
    "\"source\": [\"A\"],\n",
    "\"licence\": {\"notice\": null, \"terms\": \"t\", \"item_text\": \"shipped\", \"source\": "
    "[\"A\"]},\n",
    "\"score\": {\"rule\": \"sum\", \"min\": 0, \"max\": 4, \"higher\": \"worse\", "
    "\"min_answered\": {\"value\": 2, \"source\": [\"A\"]}, \"source\": [\"A\"]},\n",
    "\"mcid\": {\"points\": {\"value\": 1, \"source\": [\"A\"]}, \"percent\": {\"value\": null, "
    "\"source\": [\"A\"]}},\n",
    "\"bands\": {\"source\": [\"A\"], \"list\": [{\"id\": \"low\", \"label\": \"Low\", \"max\": "
    "2}, {\"id\": \"high\", \"label\": \"High\", \"max\": 4}]},\n",
    "\"items\": [\n",
    "{\"id\": \"a\", \"text\": \"A?\", \"options\": [{\"value\": 0, \"text\": \"no\"}, "
    "{\"value\": 2, \"text\": \"yes\"}]},\n",
    "{\"id\": \"b\", \"text\": \"B?\", \"range\": {\"min\": 0, \"max\": 2, \"anchors\": "
    "[{\"value\": 0, \"text\": \"none\"}]}}\n",
    "]}\n",
};

/* The lines with line `line` (1-based) replaced, or as they are for 0. */
static char *with_line(const char *const *lines, size_t nlines, size_t line,
                       const char *replacement)
{
    static char text[8192];
    text[0] = '\0';
    for (size_t i = 0; i < nlines; i++)
        strcat(text, i + 1 == line ? replacement : lines[i]);
    return text;
}

static void expect_def_refused(size_t line, const char *replacement, const char *message)
{
    const char *text = with_line(def_lines, N(def_lines), line, replacement);
    tpt_error err = {0};
    tpt_instruments *s = tpt_instruments_new(NULL);
    if (tpt_instruments_add(s, text, strlen(text), "d.json", &err) == 0)
        fail_msg("accepted: %s", replacement);
    assert_int_equal(s->count, 0);
    tpt_instruments_free(s);
    assert_int_equal(err.status, TPT_ERR_DATA);
    assert_string_equal(err.message, message);
}

static void a_small_definition_loads_and_scores(void **state)
{
    (void)state;
    const char *text = with_line(def_lines, N(def_lines), 0, NULL);
    tpt_error err = {0};
    tpt_instruments *s = tpt_instruments_new(&err);
    if (tpt_instruments_add(s, text, strlen(text), "d.json", &err) != 0)
        fail_msg("%s", err.message);
    const tpt_instrument *in = tpt_instrument_find(s, "demo");
    assert_non_null(in);
    assert_int_equal(in->items[0].nvalues, 2);
    assert_true(in->items[0].max == 2);
    assert_true(in->items[1].is_range);
    assert_string_equal(in->items[1].anchors[0].text, "none");
    tpt_item_answer a[] = {{"a", 2}, {"b", 1}};
    tpt_score sc;
    assert_int_equal(tpt_instrument_score(in, a, 2, &sc, &err), 0);
    assert_near(sc.value, 3);
    assert_string_equal(sc.band->id, "high");
    assert_true(tpt_score_meaningful_change(in, 3, 2));
    /* the same id again is refused where it stands */
    assert_int_equal(tpt_instruments_add(s, text, strlen(text), "again.json", &err), TPT_ERR_DATA);
    assert_string_equal(err.message, "again.json:2:7: instrument \"demo\" is already defined");
    assert_int_equal(s->count, 1);
    tpt_instruments_free(s);
}

static void bad_definitions_are_refused_with_their_place(void **state)
{
    (void)state;
    expect_def_refused(1, "{\"format\": \"tpt-instrument\", \"version\": 2, \"sources\": {},\n",
                       "d.json:1:41: this tpt reads instrument files version 1");
    expect_def_refused(2,
                       "\"id\": \"Demo 1\", \"name\": \"Demo\", \"instrument_version\": \"1\", "
                       "\"about\": \"A demo.\", \"source\": [\"A\"],\n",
                       "d.json:2:7: \"id\" must be 1 to 40 lowercase letters, digits and hyphens");
    expect_def_refused(3,
                       "\"licence\": {\"notice\": null, \"terms\": \"t\", \"item_text\": "
                       "\"clinic\", \"source\": [\"A\"]},\n",
                       "d.json:8:21: the text of item \"a\" must be null: this instrument's text "
                       "comes from the clinic (licence \"item_text\": \"clinic\")");
    expect_def_refused(3,
                       "\"licence\": {\"terms\": \"t\", \"item_text\": \"shipped\", "
                       "\"source\": [\"A\"]},\n",
                       "d.json:3:12: missing field \"notice\" (null when there is none)");
    expect_def_refused(4,
                       "\"score\": {\"rule\": \"median\", \"min\": 0, \"max\": 4, \"higher\": "
                       "\"worse\", \"min_answered\": {\"value\": 2, \"source\": [\"A\"]}, "
                       "\"source\": [\"A\"]},\n",
                       "d.json:4:19: unknown rule \"median\" (sum, percent-of-answered, mean, "
                       "single, start-back)");
    expect_def_refused(4,
                       "\"score\": {\"rule\": \"sum\", \"min\": 0, \"max\": 24, \"higher\": "
                       "\"worse\", \"min_answered\": {\"value\": 2, \"source\": [\"A\"]}, "
                       "\"source\": [\"A\"]},\n",
                       "d.json:4:43: the score runs 0 to 4 by its rule and items, not 0 to 24");
    expect_def_refused(4,
                       "\"score\": {\"rule\": \"single\", \"min\": 0, \"max\": 4, \"higher\": "
                       "\"worse\", \"min_answered\": {\"value\": 2, \"source\": [\"A\"]}, "
                       "\"source\": [\"A\"]},\n",
                       "d.json:4:19: rule \"single\" needs exactly one item, not 2");
    expect_def_refused(4,
                       "\"score\": {\"rule\": \"sum\", \"min\": 0, \"max\": 4, \"higher\": "
                       "\"up\", \"min_answered\": {\"value\": 2, \"source\": [\"A\"]}, "
                       "\"source\": [\"A\"]},\n",
                       "d.json:4:56: \"higher\" must be \"worse\" or \"better\"");
    expect_def_refused(4,
                       "\"score\": {\"rule\": \"sum\", \"min\": 0, \"max\": 4, \"higher\": "
                       "\"worse\", \"min_answered\": {\"value\": 3, \"source\": [\"A\"]}, "
                       "\"source\": [\"A\"]},\n",
                       "d.json:4:91: min_answered 3 is outside [1, 2]");
    expect_def_refused(4,
                       "\"score\": {\"rule\": \"sum\", \"min\": 0, \"max\": 4, \"higher\": "
                       "\"worse\", \"min_answered\": {\"value\": 2, \"source\": [\"tpt: x\"]}, "
                       "\"source\": [\"A\"]},\n",
                       "d.json:4:105: a \"tpt:\" source must say why tpt chose this");
    expect_def_refused(5,
                       "\"mcid\": {\"points\": {\"value\": 5, \"source\": [\"A\"]}, \"percent\": "
                       "{\"value\": null, \"source\": [\"A\"]}},\n",
                       "d.json:5:30: points 5 is outside (0, 4]");
    expect_def_refused(5, "\"mcid\": {\"points\": {\"value\": null, \"source\": [\"A\"]}},\n",
                       "d.json:5:9: missing field \"percent\"");
    expect_def_refused(5,
                       "\"mcid\": {\"points\": {\"value\": null}, \"percent\": {\"value\": null, "
                       "\"source\": [\"A\"]}},\n",
                       "d.json:5:20: missing field \"source\"");
    expect_def_refused(6,
                       "\"bands\": {\"source\": [\"A\"], \"list\": [{\"id\": \"low\", \"label\": "
                       "\"Low\", \"max\": 2}, {\"id\": \"high\", \"label\": \"High\", \"max\": "
                       "3}]},\n",
                       "d.json:6:117: the last band must end at the score's max, 4");
    expect_def_refused(6,
                       "\"bands\": {\"source\": [\"A\"], \"list\": [{\"id\": \"low\", \"label\": "
                       "\"Low\", \"max\": 2}, {\"id\": \"high\", \"label\": \"High\", \"max\": "
                       "2}]},\n",
                       "d.json:6:117: \"max\" must be above 2 and at most 4");
    expect_def_refused(8,
                       "{\"id\": \"a\", \"text\": \"A?\", \"options\": [{\"value\": 0, \"text\": "
                       "\"no\"}, {\"value\": 0, \"text\": \"yes\"}]},\n",
                       "d.json:8:77: value 0 is given twice");
    expect_def_refused(8,
                       "{\"id\": \"a\", \"text\": \"A?\", \"options\": [{\"value\": 0, \"text\": "
                       "\"no\"}, {\"value\": 1.5, \"text\": \"yes\"}]},\n",
                       "d.json:8:77: \"value\" must be a whole number");
    expect_def_refused(8,
                       "{\"id\": \"a\", \"text\": \"A?\", \"options\": [{\"value\": 0, \"text\": "
                       "\"no\"}, {\"value\": 2, \"text\": null}]},\n",
                       "d.json:8:88: the text of an answer of item \"a\" is needed: the "
                       "instrument ships its text (licence \"item_text\": \"shipped\")");
    expect_def_refused(8,
                       "{\"id\": \"b\", \"text\": \"A?\", \"range\": {\"min\": 0, \"max\": 2}},\n",
                       "d.json:9:8: item \"b\" is defined twice");
    expect_def_refused(8, "{\"id\": \"a\", \"text\": \"A?\"},\n",
                       "d.json:8:1: an item has either \"options\" (a choice) or \"range\"");
    expect_def_refused(8,
                       "{\"id\": \"a\", \"named\": \"yes\", \"text\": \"A?\", \"range\": "
                       "{\"min\": 0, \"max\": 2}},\n",
                       "d.json:8:22: \"named\" is true or false");
    expect_def_refused(9,
                       "{\"id\": \"b\", \"text\": \"B?\", \"range\": {\"min\": 2, \"max\": 2}}\n",
                       "d.json:9:54: \"max\" must be above \"min\"");
    expect_def_refused(9,
                       "{\"id\": \"b\", \"text\": \"B?\", \"range\": {\"min\": 0, \"max\": 2, "
                       "\"anchors\": [{\"value\": 3, \"text\": \"x\"}]}}\n",
                       "d.json:9:79: value 3 is outside the item's range 0 to 2");
    expect_def_refused(10, "]\n", "d.json:11:0: '}' expected near end of file");
}

/* A start-back definition must name its subscale and its three groups. */
static void start_back_definitions_are_checked(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "{\"format\": \"tpt-instrument\", \"version\": 1, \"sources\": {\"A\": \"a\"}, \"id\": "
        "\"sb\", \"name\": \"S\", \"instrument_version\": \"1\", \"about\": \"x\", \"source\": "
        "[\"A\"],\n",
        "\"licence\": {\"notice\": null, \"terms\": \"t\", \"item_text\": \"clinic\", "
        "\"source\": [\"A\"]},\n",
        "\"score\": {\"rule\": \"start-back\", \"min\": 0, \"max\": 3, \"higher\": \"worse\", "
        "\"min_answered\": {\"value\": 3, \"source\": [\"A\"]}, \"source\": [\"A\"],\n",
        "\"subscale\": {\"items\": [\"i2\", \"i3\"], \"source\": [\"A\"]}, \"low_max\": "
        "{\"value\": 1, \"source\": [\"A\"]}, \"high_subscale_min\": {\"value\": 2, \"source\": "
        "[\"A\"]}},\n",
        "\"mcid\": {\"points\": {\"value\": null, \"source\": [\"A\"]}, \"percent\": {\"value\": "
        "null, \"source\": [\"A\"]}},\n",
        "\"bands\": {\"source\": [\"A\"], \"list\": [{\"id\": \"low\", \"label\": \"L\"}, {\"id\": "
        "\"medium\", \"label\": \"M\"}, {\"id\": \"high\", \"label\": \"H\"}]},\n",
        "\"items\": [{\"id\": \"i1\", \"text\": null, \"options\": [{\"value\": 0, \"text\": "
        "null}, {\"value\": 1, \"text\": null}]}, {\"id\": \"i2\", \"text\": null, \"options\": "
        "[{\"value\": 0, \"text\": null}, {\"value\": 1, \"text\": null}]}, {\"id\": \"i3\", "
        "\"text\": null, \"options\": [{\"value\": 0, \"text\": null}, {\"value\": 1, \"text\": "
        "null}]}]}\n",
    };
    const char *text = with_line(lines, N(lines), 0, NULL);
    tpt_error err = {0};
    tpt_instruments *s = tpt_instruments_new(NULL);
    if (tpt_instruments_add(s, text, strlen(text), "sb.json", &err) != 0)
        fail_msg("%s", err.message);
    const tpt_instrument *in = tpt_instrument_find(s, "sb");
    tpt_item_answer a[] = {{"i1", 0}, {"i2", 1}, {"i3", 1}};
    tpt_score sc;
    assert_int_equal(tpt_instrument_score(in, a, 3, &sc, &err), 0);
    assert_string_equal(sc.band->id, "high");
    tpt_instruments_free(s);

    static const struct {
        size_t line;
        const char *replacement, *message;
    } bad[] = {
        {4,
         "\"subscale\": {\"items\": [\"i2\", \"i9\"], \"source\": [\"A\"]}, \"low_max\": "
         "{\"value\": 1, \"source\": [\"A\"]}, \"high_subscale_min\": {\"value\": 2, \"source\": "
         "[\"A\"]}},\n",
         "sb.json:4:30: expected the id of an item of this instrument"},
        {4,
         "\"low_max\": {\"value\": 1, \"source\": [\"A\"]}, \"high_subscale_min\": {\"value\": 2, "
         "\"source\": [\"A\"]}},\n",
         "sb.json:3:10: missing field \"subscale\""},
        {4,
         "\"subscale\": {\"items\": [\"i2\", \"i3\"], \"source\": [\"A\"]}, \"low_max\": "
         "{\"value\": 1, \"source\": [\"A\"]}, \"high_subscale_min\": {\"value\": 3, \"source\": "
         "[\"A\"]}},\n",
         "sb.json:4:128: high_subscale_min 3 is outside [0, 2]"},
        {6,
         "\"bands\": {\"source\": [\"A\"], \"list\": [{\"id\": \"low\", \"label\": \"L\"}, "
         "{\"id\": \"high\", \"label\": \"H\"}, {\"id\": \"medium\", \"label\": \"M\"}]},\n",
         "sb.json:6:73: expected group \"medium\" here (low, medium, high)"},
        {6,
         "\"bands\": {\"source\": [\"A\"], \"list\": [{\"id\": \"low\", \"label\": \"L\"}, "
         "{\"id\": \"high\", \"label\": \"H\"}]},\n",
         "sb.json:6:36: rule \"start-back\" names three groups: low, medium, high"},
        {6, "\"bands\": null,\n", "sb.json:6:10: \"bands\" must be an object"},
    };
    for (size_t i = 0; i < N(bad); i++) {
        text = with_line(lines, N(lines), bad[i].line, bad[i].replacement);
        s = tpt_instruments_new(NULL);
        if (tpt_instruments_add(s, text, strlen(text), "sb.json", &err) == 0)
            fail_msg("accepted: %s", bad[i].replacement);
        tpt_instruments_free(s);
        assert_string_equal(err.message, bad[i].message);
    }
}

/* ---- a clinic's item text ---- */

/* A licensed instrument with a choice and a range item, and a text file for
 * it, one member a line. */
static const char *const licensed_def =
    "{\"format\": \"tpt-instrument\", \"version\": 1, \"sources\": {\"A\": \"a\"}, \"id\": "
    "\"lic\", \"name\": \"L\", \"instrument_version\": \"2.0\", \"about\": \"x\", \"source\": "
    "[\"A\"], \"licence\": {\"notice\": \"(c) Someone\", \"terms\": \"t\", \"item_text\": "
    "\"clinic\", \"source\": [\"A\"]}, \"score\": {\"rule\": \"percent-of-answered\", \"min\": 0, "
    "\"max\": 100, \"higher\": \"worse\", \"min_answered\": {\"value\": 1, \"source\": [\"A\"]}, "
    "\"source\": [\"A\"]}, \"mcid\": {\"points\": {\"value\": null, \"source\": [\"A\"]}, "
    "\"percent\": {\"value\": null, \"source\": [\"A\"]}}, \"items\": [{\"id\": \"q1\", \"text\": "
    "null, \"options\": [{\"value\": 0, \"text\": null}, {\"value\": 1, \"text\": null}]}, "
    "{\"id\": \"q2\", \"text\": null, \"range\": {\"min\": 0, \"max\": 10}}]}";

static const char *const text_lines[] = {
    "{\"format\": \"tpt-instrument-text\", \"version\": 1, \"instrument\": \"lic\", "
    "\"instrument_version\": \"2.0\",\n",
    "\"licence\": \"Used under licence 42.\",\n",
    "\"items\": [\n",
    "{\"id\": \"q1\", \"text\": \"First?\", \"options\": [{\"value\": 1, \"text\": \"Yes\"}, "
    "{\"value\": 0, \"text\": \"No\"}, {\"value\": 0, \"text\": \"Not sure\"}]},\n",
    "{\"id\": \"q2\", \"text\": \"Second?\", \"anchors\": [{\"value\": 0, \"text\": \"None\"}, "
    "{\"value\": 10, \"text\": \"All\"}]}\n",
    "]}\n",
};

static tpt_instruments *licensed_set(void)
{
    tpt_error err = {0};
    tpt_instruments *s = tpt_instruments_default(&err);
    assert_non_null(s);
    if (tpt_instruments_add(s, licensed_def, strlen(licensed_def), "lic.json", &err) != 0)
        fail_msg("%s", err.message);
    return s;
}

static void a_clinic_text_file_is_merged(void **state)
{
    (void)state;
    tpt_instruments *s = licensed_set();
    const tpt_instrument *in = tpt_instrument_find(s, "lic");
    assert_null(in->items[0].text);
    const char *text = with_line(text_lines, N(text_lines), 0, NULL);
    tpt_error err = {0};
    if (tpt_instruments_add_text(s, text, strlen(text), "clinic/lic.json", &err) != 0)
        fail_msg("%s", err.message);
    assert_string_equal(in->text_file, "clinic/lic.json");
    assert_string_equal(in->text_licence, "Used under licence 42.");
    assert_string_equal(in->items[0].text, "First?");
    /* the form's answers, in its order; two answers may share a value */
    assert_int_equal(in->items[0].noptions, 3);
    assert_string_equal(in->items[0].options[2].text, "Not sure");
    assert_true(in->items[0].options[2].value == 0);
    assert_int_equal(in->items[0].nvalues, 2);
    assert_string_equal(in->items[1].text, "Second?");
    assert_int_equal(in->items[1].nanchors, 2);
    /* scoring is the same with text as without */
    tpt_item_answer a[] = {{"q1", 1}, {"q2", 4}};
    tpt_score sc;
    assert_int_equal(tpt_instrument_score(in, a, 2, &sc, &err), 0);
    assert_near(sc.value, 500.0 / 11);
    /* a later file replaces the text */
    char *again = with_line(text_lines, N(text_lines), 5, "{\"id\": \"q2\", \"text\": \"Two?\"}\n");
    assert_int_equal(tpt_instruments_add_text(s, again, strlen(again), "b.json", &err), 0);
    assert_string_equal(in->items[1].text, "Two?");
    assert_int_equal(in->items[1].nanchors, 0);
    assert_string_equal(in->text_file, "b.json");
    tpt_instruments_free(s);
}

static void expect_whole_text_refused(const char *text, const char *message)
{
    tpt_instruments *s = licensed_set();
    tpt_error err = {0};
    if (tpt_instruments_add_text(s, text, strlen(text), "t.json", &err) == 0)
        fail_msg("accepted: %s", text);
    assert_int_equal(err.status, TPT_ERR_DATA);
    assert_string_equal(err.message, message);
    /* nothing of a refused file is kept */
    const tpt_instrument *in = tpt_instrument_find(s, "lic");
    assert_null(in->items[0].text);
    assert_null(in->items[1].text);
    assert_null(in->items[0].options[0].text);
    assert_int_equal(in->items[0].noptions, 2);
    assert_null(in->text_file);
    tpt_instruments_free(s);
}

static void expect_text_refused(size_t line, const char *replacement, const char *message)
{
    expect_whole_text_refused(with_line(text_lines, N(text_lines), line, replacement), message);
}

static void a_clinic_text_that_does_not_match_is_refused(void **state)
{
    (void)state;
    expect_text_refused(1,
                        "{\"format\": \"tpt-instrument-text\", \"version\": 1, \"instrument\": "
                        "\"odx\", \"instrument_version\": \"2.0\",\n",
                        "t.json:1:63: unknown instrument \"odx\"");
    expect_text_refused(1,
                        "{\"format\": \"tpt-instrument-text\", \"version\": 1, \"instrument\": "
                        "\"lic\", \"instrument_version\": \"2.1\",\n",
                        "t.json:1:92: this text is for lic version \"2.1\"; tpt scores version "
                        "\"2.0\"");
    expect_text_refused(1,
                        "{\"format\": \"tpt-instrument\", \"version\": 1, \"instrument\": "
                        "\"lic\", \"instrument_version\": \"2.0\",\n",
                        "t.json:1:12: \"format\" must be \"tpt-instrument-text\"");
    expect_text_refused(2, "\"licence\": 42,\n", "t.json:2:12: \"licence\" must be a string");
    /* items out of order, unknown, missing or extra */
    expect_text_refused(4, "{\"id\": \"q2\", \"text\": \"Second?\"},\n",
                        "t.json:4:8: expected item \"q1\" here: give the items in the order of "
                        "lic");
    expect_text_refused(4,
                        "{\"id\": \"q3\", \"text\": \"First?\", \"options\": [{\"value\": 1, "
                        "\"text\": \"Yes\"}, {\"value\": 0, \"text\": \"No\"}]},\n",
                        "t.json:4:8: lic has no item \"q3\"");
    expect_whole_text_refused(
        "{\"format\": \"tpt-instrument-text\", \"version\": 1, \"instrument\": \"lic\",\n"
        "\"instrument_version\": \"2.0\", \"items\": [{\"id\": \"q1\", \"text\": \"First?\", "
        "\"options\": [{\"value\": 1, \"text\": \"Yes\"}, {\"value\": 0, \"text\": \"No\"}]}]}",
        "t.json:2:39: lic has 2 items; this file gives 1");
    expect_text_refused(6, ",{\"id\": \"q3\", \"text\": \"x\"}]}\n",
                        "t.json:6:2: lic has 2 items; this file gives 3");
    /* answers: a value the item does not score, a value no answer offers */
    expect_text_refused(4,
                        "{\"id\": \"q1\", \"text\": \"First?\", \"options\": [{\"value\": 1, "
                        "\"text\": \"Yes\"}, {\"value\": 2, \"text\": \"No\"}]},\n",
                        "t.json:4:83: item \"q1\" of lic scores no answer 2");
    expect_text_refused(4,
                        "{\"id\": \"q1\", \"text\": \"First?\", \"options\": [{\"value\": 1, "
                        "\"text\": \"Yes\"}]},\n",
                        "t.json:4:43: no answer of item \"q1\" has the value 0");
    expect_text_refused(4, "{\"id\": \"q1\", \"text\": \"First?\"},\n",
                        "t.json:4:1: missing field \"options\"");
    expect_text_refused(4,
                        "{\"id\": \"q1\", \"text\": \"First?\", \"options\": [{\"value\": 1, "
                        "\"text\": \"\"}, {\"value\": 0, \"text\": \"No\"}]},\n",
                        "t.json:4:65: \"text\" must be non-empty text without control "
                        "characters");
    expect_text_refused(4,
                        "{\"id\": \"q1\", \"text\": null, \"options\": [{\"value\": 1, "
                        "\"text\": \"Yes\"}, {\"value\": 0, \"text\": \"No\"}]},\n",
                        "t.json:4:22: \"text\" must be a string");
    /* a range takes anchors within it, not options */
    expect_text_refused(5,
                        "{\"id\": \"q2\", \"text\": \"Second?\", \"options\": [{\"value\": 0, "
                        "\"text\": \"None\"}]}\n",
                        "t.json:5:44: item \"q2\" is a number in a range: it takes \"anchors\" "
                        "if any, not \"options\"");
    expect_text_refused(5,
                        "{\"id\": \"q2\", \"text\": \"Second?\", \"anchors\": [{\"value\": 11, "
                        "\"text\": \"All\"}]}\n",
                        "t.json:5:55: value 11 is outside the item's range 0 to 10");
    expect_text_refused(6, "]\n", "t.json:7:0: '}' expected near end of file");
}

/* The built-in ODI takes a clinic's text for its ten sections. */
static void odi_takes_a_clinic_text(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_instruments *s = tpt_instruments_default(&err);
    static char text[16384];
    size_t n = (size_t)snprintf(text, sizeof text,
                                "{\"format\": \"tpt-instrument-text\", \"version\": 1, "
                                "\"instrument\": \"odi\", \"instrument_version\": \"2.1a\", "
                                "\"items\": [");
    for (int i = 1; i <= 10; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "%s{\"id\": \"section-%d\", \"text\": \"Section %d (clinic's "
                              "wording)\", \"options\": [",
                              i > 1 ? ", " : "", i, i);
        for (int v = 0; v <= 5; v++)
            n += (size_t)snprintf(text + n, sizeof text - n,
                                  "%s{\"value\": %d, \"text\": \"Statement %d\"}", v ? ", " : "", v,
                                  v);
        n += (size_t)snprintf(text + n, sizeof text - n, "]}");
    }
    n += (size_t)snprintf(text + n, sizeof text - n, "]}");
    if (tpt_instruments_add_text(s, text, n, "odi-text.json", &err) != 0)
        fail_msg("%s", err.message);
    const tpt_instrument *odi = tpt_instrument_find(s, "odi");
    assert_string_equal(odi->items[9].text, "Section 10 (clinic's wording)");
    assert_string_equal(odi->items[9].options[5].text, "Statement 5");
    /* the shipped set is untouched */
    assert_null(get("odi")->items[9].text);
    tpt_instruments_free(s);
}

/* ---- JSON ---- */

static void scores_and_definitions_as_json(void **state)
{
    (void)state;
    static const int nine[] = {2, 1, 2, 2, 1, 2, 2, -1, 2, 2};
    tpt_score s = score_ok("odi", numbered("section", nine, 10));
    json_t *j = tpt_score_json(get("odi"), &s);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "instrument")), "odi");
    assert_true(json_real_value(json_object_get(j, "score")) == 35.6);
    assert_string_equal(json_string_value(json_object_get(j, "unit")), "percent");
    assert_int_equal(json_integer_value(json_object_get(j, "answered")), 9);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "band"), "id")),
                        "moderate");
    assert_non_null(strstr(json_string_value(json_object_get(j, "copyright")), "Fairbank"));
    assert_string_equal(json_string_value(json_object_get(j, "notice")), TPT_NOT_A_DIAGNOSIS);
    json_decref(j);

    /* a refused score is null, with the count of what was answered */
    tpt_item_answer few[] = {{"section-1", 1}};
    tpt_score r;
    assert_int_equal(tpt_instrument_score(get("odi"), few, 1, &r, NULL), TPT_ERR_INPUT);
    j = tpt_score_json(get("odi"), &r);
    assert_true(json_is_null(json_object_get(j, "score")));
    assert_false(json_is_true(json_object_get(j, "scored")));
    assert_int_equal(json_integer_value(json_object_get(j, "answered")), 1);
    json_decref(j);

    tpt_item_answer sb[] = {{"item-1", 1}, {"item-2", 0}, {"item-3", 0},
                            {"item-4", 0}, {"item-5", 1}, {"item-6", 1},
                            {"item-7", 1}, {"item-8", 1}, {"item-9", 0}};
    assert_int_equal(tpt_instrument_score(get("start-back"), sb, 9, &s, NULL), 0);
    j = tpt_score_json(get("start-back"), &s);
    assert_int_equal(json_integer_value(json_object_get(j, "subscale")), 4);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "band"), "label")),
                        "High risk");
    json_decref(j);

    j = tpt_instrument_json(get("odi"));
    assert_non_null(j);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 10);
    assert_true(json_is_null(json_object_get(json_array_get(items, 0), "text")));
    json_t *licence = json_object_get(j, "licence");
    assert_string_equal(json_string_value(json_object_get(licence, "item_text")), "clinic");
    json_t *score = json_object_get(j, "score");
    assert_string_equal(json_string_value(json_object_get(score, "rule")), "percent-of-answered");
    assert_true(json_number_value(json_object_get(
                    json_object_get(json_object_get(j, "mcid"), "points"), "value")) == 10);
    assert_non_null(json_object_get(json_object_get(j, "sources"), "OST"));
    assert_int_equal(json_array_size(json_object_get(json_object_get(j, "bands"), "list")), 5);
    json_decref(j);

    j = tpt_instrument_json(get("psfs"));
    assert_true(json_is_null(
        json_object_get(json_object_get(json_object_get(j, "mcid"), "points"), "value")));
    assert_true(json_is_null(json_object_get(j, "bands")));
    assert_non_null(
        json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "text")));
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_built_in_instruments_load),
        cmocka_unit_test(no_licensed_instrument_ships_item_text),
        cmocka_unit_test(mcids_are_the_sourced_ones),
        cmocka_unit_test(odi_percent_of_the_answered_sections),
        cmocka_unit_test(odi_bands_and_their_ends),
        cmocka_unit_test(rmdq_counts_the_statements_that_apply),
        cmocka_unit_test(start_back_risk_groups),
        cmocka_unit_test(sbi_sums_its_three_items),
        cmocka_unit_test(nrs_is_its_one_rating),
        cmocka_unit_test(psfs_is_the_mean_of_the_activities_named),
        cmocka_unit_test(named_items_take_a_name),
        cmocka_unit_test(mcid_boundaries),
        cmocka_unit_test(bad_answers_are_refused_naming_the_item),
        cmocka_unit_test(a_small_definition_loads_and_scores),
        cmocka_unit_test(bad_definitions_are_refused_with_their_place),
        cmocka_unit_test(start_back_definitions_are_checked),
        cmocka_unit_test(a_clinic_text_file_is_merged),
        cmocka_unit_test(a_clinic_text_that_does_not_match_is_refused),
        cmocka_unit_test(odi_takes_a_clinic_text),
        cmocka_unit_test(scores_and_definitions_as_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
