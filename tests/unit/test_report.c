/* The report page: a verdict, the notice, a pain chart with a mark per
 * rating and the sessions marked, everything from data escaped, nothing from
 * outside the page, and the edges (no rating, one, a year of them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/notice.h"
#include "tpt/report.h"

#define DAY 86400
#define T0 1793523600 /* 2026-11-01T09:00:00Z */
#define MAXN 800

static tpt_progress_rules *rules;
static tpt_regions *regions;

static int setup(void **state)
{
    (void)state;
    tpt_error err = {0};
    rules = tpt_progress_rules_default(&err);
    regions = rules ? tpt_regions_default(&err) : NULL;
    if (!regions) fprintf(stderr, "%s\n", err.message);
    return regions ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tpt_regions_free(regions);
    tpt_progress_rules_free(rules);
    return 0;
}

typedef struct record {
    tpt_pain_point pain[MAXN];
    const char *notes[MAXN];
    tpt_session_point points[MAXN];
    tpt_report_session sessions[MAXN];
    size_t npain, nsessions;
    unsigned marks[TPT_MAX_REGIONS];
    size_t ndrawings;
    json_t *plan;
    const tpt_chart *chart;
    size_t nflags; /* urgent flags answered yes */
    tpt_progress progress;
    tpt_measure_trend measures[3];
    size_t nmeasures;
    const tpt_words *words; /* the page's language; NULL: English */
    tpt_report_input in;
} record;

static void rate(record *r, int64_t t, double leg, double back, const char *note)
{
    r->notes[r->npain] = note;
    r->pain[r->npain++] = (tpt_pain_point){t, leg, back};
}

static void session(record *r, int64_t t, const char *end)
{
    r->points[r->nsessions] = (tpt_session_point){t, strcmp(end, "sharp-or-new-pain") == 0};
    r->sessions[r->nsessions++] = (tpt_report_session){t, end, 5, 5, 6, 4};
}

static void draw(record *r, const char *id)
{
    int i = tpt_region_find(regions, id);
    assert_true(i >= 0);
    r->marks[i]++;
}

/* Judges the record and renders it; the caller frees the page. */
static char *render(record *r, const char *name)
{
    tpt_progress_input pin = {.pain = r->pain,
                              .npain = r->npain,
                              .sessions = r->points,
                              .nsessions = r->nsessions,
                              .nflags = r->nflags,
                              .flag_level = TPT_LEVEL_URGENT,
                              .flag_advice =
                                  r->nflags ? "Go to an emergency department now." : NULL,
                              .now = T0 + 30 * DAY};
    tpt_progress_evaluate(rules, &pin, &r->progress);
    r->in = (tpt_report_input){
        .patient = name,
        .now = T0 + 30 * DAY,
        .pain = r->pain,
        .notes = r->notes,
        .npain = r->npain,
        .sessions = r->sessions,
        .nsessions = r->nsessions,
        .regions = regions,
        .marks = r->marks,
        .ndrawings = r->ndrawings,
        .chart = r->chart,
        .plan = r->plan,
        .plan_time = T0,
        .progress = &r->progress,
        .rules = rules,
        .measures = r->measures,
        .nmeasures = r->nmeasures,
        .words = r->words,
    };
    tpt_buf b = {0};
    assert_int_equal(tpt_report_write_html(&r->in, &b), 0);
    assert_non_null(b.data);
    return b.data;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Nothing that loads from outside the page, and a whole document with the
 * notice in its language (words; NULL: English). */
static void assert_self_contained(const char *html, const tpt_words *words)
{
    assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    assert_non_null(strstr(html, "</html>"));
    assert_null(strstr(html, "http"));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "@import"));
    assert_null(strstr(html, "url("));
    assert_null(strstr(html, "<link"));
    assert_non_null(strstr(html, tpt_word(words, TPT_NOT_A_DIAGNOSIS)));
    assert_int_equal(count(html, "<svg"), count(html, "</svg>"));
    assert_int_equal(count(html, "<table"), count(html, "</table>"));
    assert_int_equal(count(html, "<section"), count(html, "</section>"));
}

static record *new_record(void)
{
    record *r = calloc(1, sizeof *r);
    assert_non_null(r);
    return r;
}

static void free_record(record *r)
{
    json_decref(r->plan);
    free(r);
}

static void a_few_weeks(void **state)
{
    (void)state;
    record *r = new_record();
    for (int d = 0; d < 21; d++)
        rate(r, T0 + d * DAY, 8 - d / 4, 4 - d / 7, d == 3 ? "after gardening" : NULL);
    rate(r, T0 + 20 * DAY + 3600, 3, 2, NULL); /* two entries on one day */
    for (int d = 0; d < 8; d++)
        session(r, T0 + d * 2 * DAY + 7200, d == 4 ? "sharp-or-new-pain" : "completed");
    draw(r, "r.buttock.center");
    draw(r, "r.buttock.center");
    draw(r, "r.thigh.back.upper");
    r->ndrawings = 2;
    r->plan =
        json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:f}], s:{s:[{s:s}, {s:s}]}}", "level",
                  "none", "self_care", "allowed", "pattern", "myofascial", "causes", "cause",
                  "tp:piriformis", "side", "r", "label", "Piriformis", "probability", 0.9, "home",
                  "steps", "title", "Moist heat first", "title", "Figure-four stretch");
    char *html = render(r, "Ann");
    assert_self_contained(html, NULL);
    assert_int_equal(r->progress.verdict, TPT_VERDICT_IMPROVING);
    assert_non_null(strstr(html, r->progress.sentence));
    assert_non_null(strstr(html, "Verdict: improving"));
    /* a mark per rating of each measure, and the two lines */
    assert_int_equal(count(html, "class=\"pt leg\""), r->npain);
    assert_int_equal(count(html, "class=\"pt back\""), r->npain);
    assert_int_equal(count(html, "<polyline class=\"line leg\""), 1);
    assert_int_equal(count(html, "<polyline class=\"line back\""), 1);
    /* each session marked, the sharp one apart (plus one each in the legend) */
    assert_int_equal(count(html, "<g class=\"sess\">"), 7 + 1);
    assert_int_equal(count(html, "<g class=\"sess sharp\">"), 1 + 1);
    assert_non_null(strstr(html, "after gardening"));
    /* the plan, the drawings and the sessions table */
    assert_non_null(strstr(html, "Piriformis, right side"));
    assert_non_null(strstr(html, "<li>Figure-four stretch</li>"));
    assert_non_null(strstr(html, "r.buttock.center"));
    assert_non_null(strstr(html, "2 of 2"));
    assert_int_equal(count(html, "<tr><td>") - 2 /* the figures */ - 2 /* the regions */, 8);
    assert_non_null(strstr(html, "stopped for sharp or new pain"));
    assert_null(strstr(html, "Outcome measures"));
    free(html);
    free_record(r);
}

/* The page's text without its markup and styles: what a reader sees. */
static char *visible_text(const char *html)
{
    char *out = malloc(strlen(html) + 1), *o = out;
    assert_non_null(out);
    for (const char *p = html; *p;) {
        if (strncmp(p, "<style>", 7) == 0) {
            p = strstr(p, "</style>");
            assert_non_null(p);
            p += 8;
        } else if (*p == '<') {
            p = strchr(p, '>');
            assert_non_null(p);
            p++;
            *o++ = ' ';
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* In German every word of the page is German: the headings, the verdict,
 * the tables, the chart's axes, legend and tooltips, the dates, the ends of
 * the sessions and the notice; the numbers are those of the English page. */
static void in_german(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_words *de = tpt_words_load("de", &err);
    assert_non_null(de);
    tpt_chart *chart = tpt_chart_default(regions, &err);
    assert_non_null(chart);
    record *r = new_record();
    r->words = de;
    r->chart = chart;
    for (int d = 0; d < 21; d++)
        rate(r, T0 + d * DAY, 8 - d / 4, 4 - d / 7, NULL);
    for (int d = 0; d < 8; d++)
        session(r, T0 + d * 2 * DAY + 7200,
                d == 4   ? "sharp-or-new-pain"
                : d == 5 ? "stopped"
                         : "completed");
    draw(r, "r.buttock.center");
    draw(r, "r.buttock.center");
    draw(r, "r.thigh.back.upper");
    r->ndrawings = 2;
    /* the plan as the page is given it: translated (record/report_page.c) */
    r->plan = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:f}], s:{s:[{s:s}]}}", "level", "none",
                        "self_care", "with-caution", "pattern", "myofascial", "causes", "cause",
                        "tp:gluteus-minimus-anterior", "side", "r", "label",
                        "Gluteus minimus, anterior part", "probability", 0.9, "home", "steps",
                        "title", "Side-lying ball on the side of the hip");
    tpt_words_translate(de, r->plan);
    char *html = render(r, "Anna");
    assert_self_contained(html, de);
    assert_non_null(strstr(html, "<html lang=\"de\">"));
    assert_int_equal(r->progress.verdict, TPT_VERDICT_IMPROVING);
    assert_non_null(strstr(html, tpt_word(de, r->progress.sentence)));
    assert_string_not_equal(tpt_word(de, r->progress.sentence), r->progress.sentence);
    assert_non_null(strstr(html, "Einschätzung: es wird besser"));
    assert_non_null(strstr(html, "<h1>Verlaufsbericht Ischias</h1>"));
    assert_non_null(strstr(html, tpt_word(de, TPT_NOT_A_DIAGNOSIS)));
    /* dates and numbers: German dates, the same counts as in English */
    assert_non_null(strstr(html, "1. Dez. 2026"));       /* the report's date */
    assert_non_null(strstr(html, "1. Nov. 2026 11:00")); /* the first session */
    assert_non_null(strstr(html, ">1. Nov.</text>"));    /* the chart's first day */
    assert_non_null(strstr(html, "21 Bein- und 21 Rückenschmerzwerte vom 1. Nov. 2026 bis"));
    assert_non_null(strstr(html, "8 Einheiten: 6 abgeschlossen, 1 vorzeitig beendet, "
                                 "<span class=\"sharp\">1 wegen stechender oder neuer Schmerzen "
                                 "gestoppt</span>"));
    assert_non_null(strstr(html, "<td class=\"n\">5 von 5</td>"));
    assert_non_null(strstr(html, "<td class=\"n\">2 von 2</td>"));
    assert_non_null(strstr(html, "2 Zeichnungen markierten 2 Regionen"));
    assert_non_null(strstr(html, "Einschätzung"));
    assert_non_null(strstr(html, "Punkte weniger"));
    /* the chart's axis, legend and a mark's tooltip */
    assert_non_null(strstr(html, "Schmerz (0 keiner, 10 stärkster)"));
    assert_non_null(strstr(html, ">Beinschmerz</text>"));
    assert_non_null(strstr(html, ": Rückenschmerz 4</title>"));
    /* the plan: its level, self-treatment, pattern, cause and step in German */
    assert_non_null(
        strstr(html, "Selbstbehandlung <strong>mit Vorsicht</strong>; Muster myofaszial"));
    assert_non_null(strstr(html, tpt_word(de, "Gluteus minimus, anterior part")));
    assert_non_null(strstr(html, ", rechte Seite"));
    assert_non_null(strstr(html, tpt_word(de, "Side-lying ball on the side of the hip")));
    assert_non_null(strstr(html, "vorzeitig beendet</td>"));
    /* the body chart's views and regions */
    assert_non_null(strstr(html, "<figcaption>Vorne</figcaption>"));
    assert_non_null(strstr(html, "in keiner Zeichnung"));

    /* no English left in what a reader sees */
    char *text = visible_text(html);
    static const char *const english[] = {
        "pain",  "Pain",   "session", "Session", "drawing", "Verdict",   "Progress",  "Leg ",
        "Back",  " the ",  " and ",   " of ",    "Made",    "level",     "completed", "stopped",
        "Times", "hover",  "rating",  "Date",    "ended",   "Steps",     "before",    "after",
        "First", "Latest", "Change",  " Best ",  "side",    "Likely",    "Home",      "diagnosis",
        "Nov ",  "Dec ",   "right",   "with ",   "caution", "improving", "points"};
    for (size_t i = 0; i < sizeof english / sizeof *english; i++)
        if (strstr(text, english[i]))
            fail_msg("English \"%s\" left in the German page", english[i]);
    free(text);
    free(html);
    free_record(r);
    tpt_chart_free(chart);
    tpt_words_free(de);
}

/* The outcome measures' table, also when they are all the record holds. */
static void outcome_measures(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_instruments *set = tpt_instruments_default(&err);
    assert_non_null(set);
    record *r = new_record();
    r->measures[0] = (tpt_measure_trend){.id = "odi",
                                         .instrument = tpt_instrument_find(set, "odi"),
                                         .baseline = 32,
                                         .latest = 6,
                                         .baseline_at = T0,
                                         .latest_at = T0 + 21 * DAY,
                                         .count = 2,
                                         .meaningful = true};
    r->measures[1] =
        (tpt_measure_trend){.id = "<odd>", .baseline = 4, .baseline_at = T0, .count = 1};
    r->measures[2] = (tpt_measure_trend){.id = "sbi",
                                         .instrument = tpt_instrument_find(set, "sbi"),
                                         .baseline = 13,
                                         .latest = 9,
                                         .baseline_at = T0,
                                         .latest_at = T0 + 21 * DAY,
                                         .count = 2};
    r->nmeasures = 3;
    char *html = render(r, "Cy");
    assert_self_contained(html, NULL);
    assert_null(strstr(html, "Nothing is recorded yet"));
    assert_non_null(strstr(html, "<h2>Outcome measures</h2>"));
    assert_non_null(strstr(html, "Oswestry Disability Index"));
    assert_non_null(strstr(html, "Moderate disability"));
    assert_non_null(strstr(html, "22 Nov 2026"));
    assert_non_null(strstr(html, "<td class=\"yes\">yes</td>"));
    assert_non_null(strstr(html, "&lt;odd&gt;"));
    assert_non_null(strstr(html, "one measure only"));
    /* an instrument without a known MCID is not judged, not "no" */
    assert_non_null(strstr(html, "<td class=\"muted\">not judged</td>"));
    assert_null(strstr(html, "<td class=\"no\">no</td>"));
    free(html);
    free_record(r);
    tpt_instruments_free(set);
}

static void hostile_text_is_escaped(void **state)
{
    (void)state;
    static const char evil[] = "<script>alert('x')</script>\"&<img onerror=alert(1)>";
    record *r = new_record();
    rate(r, T0, 5, 5, evil);
    rate(r, T0 + DAY, 5, 4, NULL);
    session(r, T0, "<b>weird</b>");
    r->ndrawings = 1;
    draw(r, "l.calf.upper");
    r->plan = json_pack("{s:s, s:s, s:[s], s:[{s:s}], s:{s:[{s:s}]}}", "level", "<i>", "self_care",
                        "allowed", "advice", evil, "causes", "label", evil, "home", "steps",
                        "title", evil);
    char *html = render(r, evil);
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<b>weird"));
    assert_null(strstr(html, "<i>"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"));
    assert_self_contained(html, NULL);
    free(html);
    free_record(r);
}

static void nothing_recorded(void **state)
{
    (void)state;
    record *r = new_record();
    char *html = render(r, NULL);
    assert_self_contained(html, NULL);
    assert_non_null(strstr(html, "Nothing is recorded yet"));
    assert_null(strstr(html, "<svg"));
    free(html);
    free_record(r);
}

static void no_rating_but_a_plan(void **state)
{
    (void)state;
    record *r = new_record();
    r->plan = json_pack("{s:s, s:s, s:[s], s:[], s:n}", "level", "urgent", "self_care", "stop",
                        "advice", "See a doctor today.", "causes", "home");
    char *html = render(r, NULL);
    assert_self_contained(html, NULL);
    assert_non_null(strstr(html, "No pain ratings yet"));
    assert_non_null(strstr(html, "See a doctor today."));
    assert_non_null(strstr(html, "No guided sessions yet"));
    assert_non_null(strstr(html, "No pain drawings yet"));
    free(html);
    free_record(r);
}

static void one_rating(void **state)
{
    (void)state;
    record *r = new_record();
    rate(r, T0, 7, -1, NULL); /* the back not rated */
    char *html = render(r, "Bo");
    assert_self_contained(html, NULL);
    assert_int_equal(count(html, "class=\"pt leg\""), 1);
    assert_int_equal(count(html, "class=\"pt back\""), 0);
    assert_null(strstr(html, "<polyline"));
    assert_null(strstr(html, "nan"));
    assert_null(strstr(html, "inf"));
    assert_non_null(strstr(html, "No plan yet"));
    free(html);
    free_record(r);
}

static void one_session_and_no_rating(void **state)
{
    (void)state;
    record *r = new_record();
    session(r, T0, "sharp-or-new-pain");
    char *html = render(r, NULL);
    assert_self_contained(html, NULL);
    assert_int_equal(count(html, "<g class=\"sess sharp\">"), 1 + 1);
    assert_null(strstr(html, "nan"));
    free(html);
    free_record(r);
}

static void a_year_twice_a_day(void **state)
{
    (void)state;
    record *r = new_record();
    for (int d = 0; d < 380; d++) {
        rate(r, T0 + d * DAY, 7 - (d % 30) / 10, 3 + d % 2, NULL);
        rate(r, T0 + d * DAY + 9 * 3600, 6, 3, NULL);
    }
    for (int d = 0; d < 300; d++)
        session(r, T0 + d * DAY + 3600, d % 50 == 7 ? "sharp-or-new-pain" : "completed");
    char *html = render(r, "Cy");
    assert_self_contained(html, NULL);
    assert_int_equal(count(html, "class=\"pt leg\""), 760);
    assert_int_equal(count(html, "class=\"pt back\""), 760);
    assert_int_equal(count(html, "<g class=\"sess\">") + count(html, "<g class=\"sess sharp\">"),
                     300 + 2);
    /* the table lists the latest sessions, the sentence counts all of them */
    assert_int_equal(count(html, "<tr><td>") - 2, TPT_REPORT_SESSION_ROWS);
    assert_non_null(strstr(html, "300 sessions"));
    assert_null(strstr(html, "nan"));
    free(html);
    free_record(r);
}

static json_t *allowed_plan(void)
{
    return json_pack("{s:s, s:s, s:[s], s:[], s:{s:[{s:s}]}}", "level", "none", "self_care",
                     "allowed", "advice", "No warning sign was found.", "causes", "home", "steps",
                     "title", "Moist heat first");
}

/* A warning sign answered after the plan was made: the verdict stops and the
 * page gives no self-treatment guidance, nor the plan's old all-clear. */
static void a_warning_sign_puts_the_home_program_on_hold(void **state)
{
    (void)state;
    record *r = new_record();
    rate(r, T0, 6, 3, NULL);
    r->plan = allowed_plan();
    r->nflags = 1;
    char *html = render(r, NULL);
    assert_self_contained(html, NULL);
    assert_int_equal(r->progress.verdict, TPT_VERDICT_STOP);
    assert_non_null(strstr(html, "Verdict: stop"));
    assert_non_null(strstr(html, "Go to an emergency department now."));
    assert_non_null(strstr(html, "The home program is on hold"));
    assert_null(strstr(html, "Moist heat first"));
    assert_null(strstr(html, "No warning sign was found."));
    free(html);
    free_record(r);

    r = new_record(); /* the same plan without the flag */
    rate(r, T0, 6, 3, NULL);
    r->plan = allowed_plan();
    html = render(r, NULL);
    assert_non_null(strstr(html, "<li>Moist heat first</li>"));
    assert_null(strstr(html, "on hold"));
    free(html);
    free_record(r);
}

/* With the body chart, each of its views drawn with the marked regions
 * filled, and still nothing from outside the page. */
static void the_heat_map_draws_the_chart(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_chart *chart = tpt_chart_default(regions, &err);
    assert_non_null(chart);
    record *r = new_record();
    r->chart = chart;
    r->ndrawings = 2;
    draw(r, "r.buttock.center");
    draw(r, "r.buttock.center");
    draw(r, "l.calf.upper");
    char *html = render(r, NULL);
    assert_self_contained(html, NULL);
    assert_int_equal(count(html, "<svg"), chart->nviews);
    assert_int_equal(count(html, "<figure class=\"view\">"), chart->nviews);
    /* marked in every drawing: the darkest fill; in half of them, the middle one */
    char full[8], half[8], none[8], attr[64];
    tpt_chart_heat_color(1, full);
    tpt_chart_heat_color(0.5, half);
    tpt_chart_heat_color(0, none);
    const char *at = strstr(html, "data-region=\"r.buttock.center\"");
    assert_non_null(at);
    snprintf(attr, sizeof attr, "fill=\"%s\"", full);
    assert_true(strncmp(strstr(at, "fill="), attr, strlen(attr)) == 0);
    at = strstr(html, "data-region=\"l.calf.upper\"");
    assert_non_null(at);
    snprintf(attr, sizeof attr, "fill=\"%s\"", half);
    assert_true(strncmp(strstr(at, "fill="), attr, strlen(attr)) == 0);
    at = strstr(html, "data-region=\"r.calf.upper\"");
    assert_non_null(at);
    snprintf(attr, sizeof attr, "fill=\"%s\"", none);
    assert_true(strncmp(strstr(at, "fill="), attr, strlen(attr)) == 0);
    free(html);
    free_record(r);
    tpt_chart_free(chart);
}

/* Ratings in any order are drawn in time order. */
static void ratings_out_of_order(void **state)
{
    (void)state;
    record *r = new_record();
    rate(r, T0 + 2 * DAY, 2, 2, NULL);
    rate(r, T0, 8, 8, NULL);
    rate(r, T0 + DAY, 5, 5, NULL);
    char *html = render(r, NULL);
    const char *line = strstr(html, "<polyline class=\"line leg\" points=\"");
    assert_non_null(line);
    double x[3], y[3];
    assert_int_equal(sscanf(line + strlen("<polyline class=\"line leg\" points=\""),
                            "%lf,%lf %lf,%lf %lf,%lf", &x[0], &y[0], &x[1], &y[1], &x[2], &y[2]),
                     6);
    assert_true(x[0] < x[1] && x[1] < x[2]);
    assert_true(y[0] < y[1] &&
                y[1] < y[2]); /* 8, 5, 2: lower on the page as pain falls (y grows downwards) */
    free(html);
    free_record(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_few_weeks),
        cmocka_unit_test(outcome_measures),
        cmocka_unit_test(in_german),
        cmocka_unit_test(hostile_text_is_escaped),
        cmocka_unit_test(nothing_recorded),
        cmocka_unit_test(no_rating_but_a_plan),
        cmocka_unit_test(one_rating),
        cmocka_unit_test(one_session_and_no_rating),
        cmocka_unit_test(a_year_twice_a_day),
        cmocka_unit_test(ratings_out_of_order),
        cmocka_unit_test(a_warning_sign_puts_the_home_program_on_hold),
        cmocka_unit_test(the_heat_map_draws_the_chart),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
