/* Progress: one crafted history per rule, the boundaries of the smallest
 * important change (exactly 2 points, exactly 30%, six sessions, three
 * weeks), the order of the rules, and bad rules files refused with
 * file:line:column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/progress.h"

#define DAY 86400
#define T0 1700000000 /* 2023-11-14 */
#define NONE (-1)

static tpt_progress_rules *rules;

static int setup(void **state)
{
    (void)state;
    tpt_error err = {0};
    rules = tpt_progress_rules_default(&err);
    if (!rules) fprintf(stderr, "%s\n", err.message);
    return rules ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tpt_progress_rules_free(rules);
    return 0;
}

/* A history: pain points at whole days (leg, back), n sessions a day apart
 * from day 0, and `now` in days. */
typedef struct history {
    tpt_pain_point pain[32];
    size_t npain;
    tpt_session_point sessions[32];
    size_t nsessions;
    tpt_progress_input in;
} history;

static void rate(history *h, double day, double leg, double back)
{
    h->pain[h->npain++] = (tpt_pain_point){T0 + (int64_t)(day * DAY), leg, back};
}

static void sessions(history *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h->sessions[h->nsessions++] = (tpt_session_point){T0 + (int64_t)i * DAY, false};
}

static tpt_progress judge(history *h, double now_days)
{
    h->in.pain = h->pain;
    h->in.npain = h->npain;
    h->in.sessions = h->sessions;
    h->in.nsessions = h->nsessions;
    h->in.now = T0 + (int64_t)(now_days * DAY);
    tpt_progress p;
    tpt_progress_evaluate(rules, &h->in, &p);
    return p;
}

#define assert_verdict(p, v) assert_string_equal(tpt_verdict_name((p).verdict), tpt_verdict_name(v))

static void the_rules_are_the_sourced_ones(void **state)
{
    (void)state;
    assert_true(rules->mcid_points.value == 2);
    assert_true(rules->mcid_percent.value == 30);
    assert_true(rules->worsening_points.value == 2);
    assert_true(rules->review_sessions.value == 6);
    assert_true(rules->review_weeks.value == 3);
    assert_int_equal(rules->stop_level, TPT_LEVEL_URGENT);
    assert_string_equal(rules->mcid_points.source.items[0], "OST");
    assert_non_null(tpt_sources_text(&rules->sources, "OST"));
    for (int v = 0; v < TPT_VERDICT_COUNT; v++) {
        assert_non_null(rules->verdicts[v].text);
        assert_true(rules->verdicts[v].source.count > 0);
    }
}

static void an_empty_record_is_too_early(void **state)
{
    (void)state;
    history h = {0};
    tpt_progress p = judge(&h, 10);
    assert_verdict(p, TPT_VERDICT_TOO_EARLY);
    assert_false(p.started);
    assert_int_equal(p.days, 0);
    assert_int_equal(p.leg.count, 0);
    assert_string_equal(p.sentence, rules->verdicts[TPT_VERDICT_TOO_EARLY].text);
    assert_null(p.advice);
}

static void one_rating_is_too_early(void **state)
{
    (void)state;
    history h = {0};
    rate(&h, 0, 7, 4);
    tpt_progress p = judge(&h, 30); /* even after weeks: nothing to compare */
    assert_verdict(p, TPT_VERDICT_TOO_EARLY);
    assert_true(p.started);
    assert_int_equal(p.days, 30);
    assert_int_equal(p.leg.count, 1);
    assert_true(p.leg.baseline == 7 && p.leg.latest == 7);
}

static void a_meaningful_fall_is_improving(void **state)
{
    (void)state;
    history h = {0};
    rate(&h, 0, 8, 5);
    rate(&h, 2, 7, 5);
    rate(&h, 5, 5, 5);
    sessions(&h, 3);
    tpt_progress p = judge(&h, 5);
    assert_verdict(p, TPT_VERDICT_IMPROVING);
    assert_true(p.leg.improved);
    assert_true(p.leg.change_points == -3);
    assert_true(p.leg.has_percent);
    assert_true(p.leg.change_percent == -37.5);
    assert_false(p.back.improved);
    assert_true(p.back.change_points == 0);
    assert_int_equal(p.leg.count, 3);
    assert_int_equal(p.sessions, 3);
    assert_int_equal(p.days, 5);
}

static void boundaries_of_the_mcid(void **state)
{
    (void)state;
    /* exactly 2 points, whatever the percentage (2 of 9 is 22%) */
    assert_true(tpt_progress_meaningful(rules, 9, 7));
    /* 1.9 points and 19%: not yet */
    assert_false(tpt_progress_meaningful(rules, 10, 8.1));
    /* exactly 30% with fewer than 2 points */
    assert_true(tpt_progress_meaningful(rules, 5, 3.5));
    /* 29% with fewer than 2 points */
    assert_false(tpt_progress_meaningful(rules, 5, 3.55));
    /* 10 -> 7: 3 points and exactly 30% */
    assert_true(tpt_progress_meaningful(rules, 10, 7));
    /* one point from 3 is 33%: counts */
    assert_true(tpt_progress_meaningful(rules, 3, 2));
    /* no fall, or a rise, never counts; nor does a fall from nothing */
    assert_false(tpt_progress_meaningful(rules, 6, 6));
    assert_false(tpt_progress_meaningful(rules, 4, 6));
    assert_false(tpt_progress_meaningful(rules, 0, 0));

    /* the same boundaries through a whole history */
    static const struct {
        double from, to;
        tpt_verdict verdict;
    } cases[] = {
        {6, 4, TPT_VERDICT_IMPROVING},   {10, 8.1, TPT_VERDICT_TOO_EARLY},
        {5, 3.5, TPT_VERDICT_IMPROVING}, {5, 3.55, TPT_VERDICT_TOO_EARLY},
        {10, 7, TPT_VERDICT_IMPROVING},  {6, 5, TPT_VERDICT_TOO_EARLY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        history h = {0};
        rate(&h, 0, cases[i].from, NONE);
        rate(&h, 4, cases[i].to, NONE);
        tpt_progress p = judge(&h, 4);
        if (p.verdict != cases[i].verdict)
            fail_msg("%g -> %g: %s, expected %s", cases[i].from, cases[i].to,
                     tpt_verdict_name(p.verdict), tpt_verdict_name(cases[i].verdict));
    }
}

static void exactly_six_sessions_without_change_is_no_change(void **state)
{
    (void)state;
    history h = {0};
    rate(&h, 0, 6, 4);
    rate(&h, 5, 5, 4); /* one point and 17%: not meaningful */
    sessions(&h, 5);
    tpt_progress p = judge(&h, 6);
    assert_verdict(p, TPT_VERDICT_TOO_EARLY);
    assert_int_equal(p.sessions, 5);
    sessions(&h, 1);
    p = judge(&h, 6);
    assert_int_equal(p.sessions, 6);
    assert_verdict(p, TPT_VERDICT_NO_CHANGE);
    assert_string_equal(p.sentence, rules->verdicts[TPT_VERDICT_NO_CHANGE].text);
}

static void three_weeks_without_change_is_no_change(void **state)
{
    (void)state;
    history h = {0};
    rate(&h, 0, 6, 4);
    rate(&h, 10, 6, 4);
    tpt_progress p = judge(&h, 21 - 1.0 / DAY); /* a second short of three weeks */
    assert_int_equal(p.days, 20);
    assert_verdict(p, TPT_VERDICT_TOO_EARLY);
    p = judge(&h, 21);
    assert_int_equal(p.days, 21);
    assert_verdict(p, TPT_VERDICT_NO_CHANGE);
}

static void a_rise_of_two_points_is_worsening(void **state)
{
    (void)state;
    history h = {0};
    rate(&h, 0, 4, 3);
    rate(&h, 1, 4, 4.9); /* 1.9 points: not yet */
    tpt_progress p = judge(&h, 1);
    assert_verdict(p, TPT_VERDICT_TOO_EARLY);
    assert_false(p.back.worsened);
    rate(&h, 2, 4, 5); /* exactly 2: worsening, at once, early or not */
    p = judge(&h, 2);
    assert_verdict(p, TPT_VERDICT_WORSENING);
    assert_true(p.back.worsened);
    assert_true(p.early);
    assert_string_equal(p.sentence, rules->verdicts[TPT_VERDICT_WORSENING].text);
}

static void new_numbness_or_weakness_is_worsening(void **state)
{
    (void)state;
    history h = {0};
    rate(&h, 0, 8, 5);
    rate(&h, 7, 3, 2); /* a clear improvement does not hide it */
    h.in.new_numbness = true;
    tpt_progress p = judge(&h, 7);
    assert_verdict(p, TPT_VERDICT_WORSENING);
    assert_true(p.new_numbness);
    h.in.new_numbness = false;
    h.in.new_weakness = true;
    p = judge(&h, 7);
    assert_verdict(p, TPT_VERDICT_WORSENING);
    /* with nothing logged at all */
    history empty = {0};
    empty.in.new_numbness = true;
    p = judge(&empty, 0);
    assert_verdict(p, TPT_VERDICT_WORSENING);
}

static void improvement_then_relapse(void **state)
{
    (void)state;
    history h = {0};
    rate(&h, 0, 8, NONE);
    rate(&h, 4, 5, NONE);
    rate(&h, 8, 7, NONE); /* back within the MCID of the first */
    tpt_progress p = judge(&h, 8);
    assert_verdict(p, TPT_VERDICT_RELAPSE);
    assert_true(p.leg.improved_ever);
    assert_true(p.leg.relapsed);
    assert_true(p.leg.best == 5);
    assert_string_equal(p.sentence, rules->verdicts[TPT_VERDICT_RELAPSE].text);
    /* still 2 points below the first: improving, not a relapse */
    history kept = {0};
    rate(&kept, 0, 8, NONE);
    rate(&kept, 4, 5, NONE);
    rate(&kept, 8, 6, NONE);
    p = judge(&kept, 8);
    assert_verdict(p, TPT_VERDICT_IMPROVING);
    assert_false(p.leg.relapsed);
    /* back to the first or worse is a relapse too, and +2 is worsening */
    rate(&h, 9, 8, NONE);
    assert_verdict(judge(&h, 9), TPT_VERDICT_RELAPSE);
    rate(&h, 10, 10, NONE);
    assert_verdict(judge(&h, 10), TPT_VERDICT_WORSENING);
}

static void a_red_flag_wins_over_improvement(void **state)
{
    (void)state;
    history h = {0};
    rate(&h, 0, 8, 6);
    rate(&h, 10, 2, 1);
    sessions(&h, 6);
    h.in.nflags = 1;
    h.in.flag_level = TPT_LEVEL_URGENT;
    h.in.flag_advice = "See a doctor within a day or two.";
    tpt_progress p = judge(&h, 10);
    assert_verdict(p, TPT_VERDICT_STOP);
    assert_string_equal(p.advice, "See a doctor within a day or two.");
    assert_string_equal(p.sentence, rules->verdicts[TPT_VERDICT_STOP].text);
    /* over worsening and new numbness too */
    h.in.flag_level = TPT_LEVEL_EMERGENCY;
    h.in.new_numbness = true;
    rate(&h, 11, 10, 8);
    p = judge(&h, 11);
    assert_verdict(p, TPT_VERDICT_STOP);
    assert_int_equal(p.flag_level, TPT_LEVEL_EMERGENCY);
    /* even before anything was logged */
    history empty = {0};
    empty.in.nflags = 2;
    empty.in.flag_level = TPT_LEVEL_EMERGENCY;
    assert_verdict(judge(&empty, 0), TPT_VERDICT_STOP);
}

static void a_soon_flag_does_not_stop(void **state)
{
    (void)state;
    history h = {0};
    rate(&h, 0, 8, 6);
    rate(&h, 10, 4, 3);
    h.in.nflags = 1;
    h.in.flag_level = TPT_LEVEL_SOON;
    h.in.flag_advice = "See a doctor within a week or two.";
    tpt_progress p = judge(&h, 10);
    assert_verdict(p, TPT_VERDICT_IMPROVING);
    assert_null(p.advice);
    assert_int_equal(p.nflags, 1);
    assert_int_equal(p.flag_level, TPT_LEVEL_SOON);
}

static void too_early_by_days(void **state)
{
    (void)state;
    history h = {0};
    rate(&h, 0, 8, 6);
    rate(&h, 2, 4, 3);
    tpt_progress p = judge(&h, 2.5);
    assert_int_equal(p.days, 2);
    assert_verdict(p, TPT_VERDICT_TOO_EARLY);
    assert_true(p.leg.improved); /* the figures are there; the verdict waits */
    p = judge(&h, 3);
    assert_verdict(p, TPT_VERDICT_IMPROVING);
}

static void order_and_missing_values(void **state)
{
    (void)state;
    history h = {0};
    rate(&h, 6, 4, NONE); /* given out of order */
    rate(&h, 0, 7, NONE);
    rate(&h, 3, NONE, 5);
    rate(&h, 4, NONE, NONE); /* neither: ignored */
    rate(&h, 5, NONE, 2);
    tpt_progress p = judge(&h, 6);
    assert_true(p.leg.baseline == 7 && p.leg.latest == 4 && p.leg.best == 4);
    assert_int_equal(p.leg.count, 2);
    assert_true(p.back.baseline == 5 && p.back.latest == 2);
    assert_int_equal(p.back.baseline_time, T0 + 3 * DAY);
    assert_int_equal(p.start, T0);
    assert_verdict(p, TPT_VERDICT_IMPROVING);
    /* a first rating of 0 has no percentage */
    history zero = {0};
    rate(&zero, 0, 0, NONE);
    rate(&zero, 4, 1, NONE);
    p = judge(&zero, 4);
    assert_false(p.leg.has_percent);
    assert_verdict(p, TPT_VERDICT_TOO_EARLY);
}

static void sessions_start_the_clock_and_sharp_stops_are_counted(void **state)
{
    (void)state;
    history h = {0};
    sessions(&h, 2);
    h.sessions[1].sharp = true;
    rate(&h, 3, 6, NONE);
    tpt_progress p = judge(&h, 4);
    assert_int_equal(p.start, T0);
    assert_int_equal(p.days, 4);
    assert_int_equal(p.sessions, 2);
    assert_int_equal(p.sharp_sessions, 1);
}

/* ---- bad rules files ---- */

/* A small valid rules file, one member a line so that positions are known. */
static const char *const valid_lines[] = {
    "{\"format\": \"tpt-progress\", \"version\": 1, \"sources\": {\"A\": \"a source\"},\n",
    "\"mcid_points\": {\"value\": 2, \"source\": [\"A\"]},\n",
    "\"mcid_percent\": {\"value\": 30, \"source\": [\"A\"]},\n",
    "\"worsening_points\": {\"value\": 2, \"source\": [\"A\"]},\n",
    "\"review_sessions\": {\"value\": 6, \"source\": [\"A\"]},\n",
    "\"review_weeks\": {\"value\": 3, \"source\": [\"A\"]},\n",
    "\"too_early\": {\"ratings\": {\"value\": 2, \"source\": [\"A\"]}, \"days\": {\"value\": 3, "
    "\"source\": [\"A\"]}},\n",
    "\"stop\": {\"level\": \"urgent\", \"source\": [\"A\"]},\n",
    "\"relapse\": {\"rule\": \"r\", \"source\": [\"A\"]},\n",
    "\"new_symptoms\": {\"rule\": \"n\", \"numb_kind\": \"numb\", \"screen_keys\": "
    "[\"foot-drop\"], "
    "\"source\": [\"A\"]},\n",
    "\"verdicts\": {\"too-early\": {\"sentence\": \"t\", \"source\": [\"A\"]}, \"improving\": "
    "{\"sentence\": \"i\", \"source\": [\"A\"]}, \"no-change\": {\"sentence\": \"n\", \"source\": "
    "[\"A\"]}, \"worsening\": {\"sentence\": \"w\", \"source\": [\"A\"]}, \"relapse\": "
    "{\"sentence\": \"r\", \"source\": [\"A\"]}, \"stop\": {\"sentence\": \"s\", \"source\": "
    "[\"A\"]}}}\n",
};
#define NLINES (sizeof valid_lines / sizeof *valid_lines)

/* The valid file with line `line` (1-based) replaced, or as is for 0. */
static char *rules_text(size_t line, const char *replacement)
{
    static char text[8192];
    text[0] = '\0';
    for (size_t i = 0; i < NLINES; i++)
        strcat(text, i + 1 == line ? replacement : valid_lines[i]);
    return text;
}

static void expect_refused(size_t line, const char *replacement, const char *message)
{
    const char *text = rules_text(line, replacement);
    tpt_error err = {0};
    tpt_progress_rules *r = tpt_progress_rules_load(text, strlen(text), "p.json", &err);
    if (r) {
        tpt_progress_rules_free(r);
        fail_msg("accepted: %s", replacement);
    }
    assert_int_equal(err.status, TPT_ERR_DATA);
    assert_string_equal(err.message, message);
}

static void a_small_valid_file_loads(void **state)
{
    (void)state;
    const char *text = rules_text(0, NULL);
    tpt_error err = {0};
    tpt_progress_rules *r = tpt_progress_rules_load(text, strlen(text), "p.json", &err);
    if (!r) fail_msg("%s", err.message);
    assert_string_equal(r->verdicts[TPT_VERDICT_STOP].text, "s");
    assert_string_equal(r->weakness_keys.items[0], "foot-drop");
    tpt_progress_rules_free(r);
}

static void bad_rules_are_refused_with_their_place(void **state)
{
    (void)state;
    expect_refused(2, "\"mcid_points\": {\"value\": 0, \"source\": [\"A\"]},\n",
                   "p.json:2:26: mcid_points 0 is outside (0, 10]");
    expect_refused(3, "\"mcid_percent\": {\"value\": \"30\", \"source\": [\"A\"]},\n",
                   "p.json:3:27: \"value\" must be a number");
    expect_refused(4, "\"worsening_points\": {\"value\": 2, \"source\": [\"B\"]},\n",
                   "p.json:4:45: unknown source key \"B\" (not in \"sources\")");
    expect_refused(5, "\"review_sessions\": {\"value\": 6, \"source\": []},\n",
                   "p.json:5:43: a source list must not be empty");
    expect_refused(6, "\"review_weeks\": {\"value\": 3},\n",
                   "p.json:6:17: missing field \"source\"");
    expect_refused(8, "\"stop\": {\"level\": \"none\", \"source\": [\"A\"]},\n",
                   "p.json:8:19: \"level\" must be soon, urgent or emergency");
    expect_refused(8, "\"stop\": {\"level\": \"emergency\", \"source\": [\"A\"]},\n",
                   "p.json:8:19: \"level\" must be soon or urgent: urgent and emergency flags "
                   "always stop self-treatment");
    expect_refused(9, "\"relapse\": {\"rule\": \"\", \"source\": [\"A\"]},\n",
                   "p.json:9:21: \"rule\" must be non-empty text without control characters");
    expect_refused(9, "\"relapse\": {\"rule\": \"r\", \"source\": [\"tpt: x\"]},\n",
                   "p.json:9:37: a \"tpt:\" source must say why tpt chose this");
    expect_refused(11,
                   "\"verdicts\": {\"too-early\": {\"sentence\": \"t\", \"source\": [\"A\"]}}}\n",
                   "p.json:11:13: missing field \"improving\"");
    expect_refused(2, "\"mcid_points\": {\"value\": 2, \"source\": [\"A\"]}, \"mcid\": 2,\n",
                   "p.json:2:55: unknown field \"mcid\"");
    expect_refused(2, "\"mcid_points\": {\"value\": 2 \"source\": [\"A\"]},\n",
                   "p.json:2:35: '}' expected near '\"source\"'");
    expect_refused(1, "{\"format\": \"tpt-screen\", \"version\": 1, \"sources\": {\"A\": \"a\"},\n",
                   "p.json:1:12: \"format\" must be \"tpt-progress\"");
    expect_refused(1,
                   "{\"format\": \"tpt-progress\", \"version\": 2, \"sources\": {\"A\": \"a\"},\n",
                   "p.json:1:39: this tpt reads progress rules version 1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_rules_are_the_sourced_ones),
        cmocka_unit_test(an_empty_record_is_too_early),
        cmocka_unit_test(one_rating_is_too_early),
        cmocka_unit_test(a_meaningful_fall_is_improving),
        cmocka_unit_test(boundaries_of_the_mcid),
        cmocka_unit_test(exactly_six_sessions_without_change_is_no_change),
        cmocka_unit_test(three_weeks_without_change_is_no_change),
        cmocka_unit_test(a_rise_of_two_points_is_worsening),
        cmocka_unit_test(new_numbness_or_weakness_is_worsening),
        cmocka_unit_test(improvement_then_relapse),
        cmocka_unit_test(a_red_flag_wins_over_improvement),
        cmocka_unit_test(a_soon_flag_does_not_stop),
        cmocka_unit_test(too_early_by_days),
        cmocka_unit_test(order_and_missing_values),
        cmocka_unit_test(sessions_start_the_clock_and_sharp_stops_are_counted),
        cmocka_unit_test(a_small_valid_file_loads),
        cmocka_unit_test(bad_rules_are_refused_with_their_place),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
