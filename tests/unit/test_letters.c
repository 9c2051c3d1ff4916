/* The letters of a clinic record: what each page says from the notes
 * (treatments in words and counts, the home program with where to press on
 * the chart, the outcome measures against their MCIDs), the safety rules (a
 * standing red flag shows its advice and no home program; every page says
 * it is not a diagnosis), drafts left out of the letters, and text escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/letters.h"
#include "tpt/notice.h"
#include "tpt/words.h"

#define DAY 86400
#define T0 1793523600 /* 2026-11-01T09:00:00Z */

static tpt_regions *regions;
static tpt_atlas *atlas;
static tpt_techniques *techniques;
static tpt_chart *chart;
static tpt_instruments *instruments;

static int setup(void **state)
{
    (void)state;
    tpt_error err = {0};
    regions = tpt_regions_default(&err);
    atlas = regions ? tpt_atlas_default(regions, &err) : NULL;
    techniques = atlas ? tpt_techniques_default(atlas, &err) : NULL;
    chart = techniques ? tpt_chart_default(regions, &err) : NULL;
    instruments = chart ? tpt_instruments_default(&err) : NULL;
    if (!instruments) fprintf(stderr, "%s\n", err.message);
    return instruments ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tpt_instruments_free(instruments);
    tpt_chart_free(chart);
    tpt_techniques_free(techniques);
    tpt_atlas_free(atlas);
    tpt_regions_free(regions);
    return 0;
}

/* ---- a record ---- */

static const char intake_note[] =
    "{\"kind\": \"intake\","
    " \"subjective\": {\"leg_pain\": 7, \"back_pain\": 4, \"history\": {"
    "   \"onset\": \"Early October\", \"how_started\": \"After a long drive\","
    "   \"duration_weeks\": 6, \"aggravating\": \"Sitting\", \"easing\": \"Walking\","
    "   \"perpetuating\": [\"long-sitting\", \"stress\"], \"work\": \"Accountant\","
    "   \"sitting_hours\": 9, \"prior_treatments\": \"Ibuprofen\"}},"
    " \"objective\": {\"marks\": [\"r.buttock.center:ache:7\", \"r.calf.upper:tingling:3\"],"
    "   \"findings\": [{\"finding\": \"slr\", \"side\": \"r\"},"
    "                  {\"finding\": \"knee-reflex-normal\", \"side\": \"r\"},"
    "                  {\"finding\": \"slr-negative\", \"side\": \"l\"}],"
    "   \"palpation\": [{\"muscle\": \"piriformis\", \"side\": \"r\", \"tender\": true,"
    "                   \"taut_band\": true, \"reproduces\": true}]},"
    " \"assessment\": {\"own_words\": \"Right piriformis, reproducing her pain.\"},"
    " \"plan\": {\"compression\": [{\"muscle\": \"piriformis\", \"side\": \"r\"}],"
    "   \"needling\": [{\"muscle\": \"piriformis\", \"side\": \"r\", \"count\": 3}],"
    "   \"acupoints\": [{\"point\": \"GB30\", \"count\": 1}, {\"point\": \"BL40\", \"count\": 2}],"
    "   \"cupping\": [\"r.buttock.center\"], \"tuina\": [\"r.thigh.back.upper\"],"
    "   \"gua_sha\": [\"r.calf.upper\"], \"heat_minutes\": 10,"
    "   \"stretches\": [\"piriformis-figure-four\"], \"home_program\": true}}";

static const char followup_note[] =
    "{\"kind\": \"follow-up\", \"subjective\": {\"leg_pain\": 4, \"back_pain\": 2},"
    " \"assessment\": {\"own_words\": \"Less tender.\"},"
    " \"plan\": {\"needling\": [{\"muscle\": \"piriformis\", \"side\": \"r\", \"count\": 2}],"
    "   \"acupoints\": [{\"point\": \"GB30\", \"count\": 1}, {\"point\": \"Ashi\", "
    "\"count\": 2}], \"heat_minutes\": 15}}";

static const char draft_note[] =
    "{\"kind\": \"follow-up\", \"assessment\": {\"own_words\": \"DRAFT WORDS\"},"
    " \"plan\": {\"needling\": [{\"muscle\": \"piriformis\", \"side\": \"r\", \"count\": 40}]}}";

/* The engine's answers as a visit keeps them. */
static const char result_json[] =
    "{\"drawing_only\": {\"pattern_sentence\": \"Fits trigger points.\", \"candidates\": ["
    "   {\"cause\": \"tp:gluteus-minimus-posterior\", \"side\": \"r\", \"label\": \"Gluteus "
    "minimus, posterior part\", \"probability\": 0.62},"
    "   {\"cause\": \"tp:piriformis\", \"side\": \"r\", \"label\": \"Piriformis\","
    "    \"probability\": 0.39}]},"
    " \"with_findings\": {\"pattern_sentence\": \"Fits trigger points.\", \"candidates\": ["
    "   {\"cause\": \"tp:piriformis\", \"side\": \"r\", \"label\": \"Piriformis\","
    "    \"probability\": 0.76},"
    "   {\"cause\": \"tp:gluteus-minimus-posterior\", \"side\": \"r\", \"label\": \"Gluteus "
    "minimus, posterior part\", \"probability\": 0.29},"
    "   {\"cause\": \"tp:soleus\", \"side\": \"r\", \"label\": \"Soleus\", \"probability\": "
    "0.01}]}}";

/* A plan as tpt plan --json prints it, cut to what the letters read. */
static const char plan_json[] =
    "{\"format\": \"tpt-plan\", \"level\": \"none\", \"self_care\": \"allowed\","
    " \"advice\": [\"No warning sign was found.\"],"
    " \"home\": {\"pressure\": \"Press firmly.\", \"sessions_per_day\": 2, \"steps\": ["
    "   {\"id\": \"moist-heat\", \"kind\": \"general\", \"title\": \"Moist heat first\","
    "    \"instructions\": \"A warm towel.\", \"hold_seconds\": 600, \"rest_seconds\": 0,"
    "    \"repeats\": 1, \"cause\": null, \"side\": null},"
    "   {\"id\": \"piriformis-wall-ball\", \"kind\": \"pressure\", \"title\": \"Ball against a "
    "wall, piriformis\", \"placement\": \"Middle of the buttock.\", \"instructions\": \"Lean "
    "in.\", \"hold_seconds\": 60, \"rest_seconds\": 30, \"repeats\": 2, \"cause\": "
    "\"tp:piriformis\", \"side\": \"r\"},"
    "   {\"id\": \"piriformis-figure-four\", \"kind\": \"stretch\", \"title\": \"Figure-four "
    "stretch\", \"instructions\": \"Cross the ankle.\", \"hold_seconds\": 30, \"rest_seconds\": "
    "0, \"repeats\": 3, \"cause\": \"tp:piriformis\", \"side\": \"r\"}]}}";

typedef struct record {
    tpt_letter_visit visits[4];
    tpt_letter_amendment amendments[2];
    tpt_measure_trend measures[2];
    json_t *owned[16];
    size_t nowned;
    tpt_letter_input in;
} record;

static json_t *load(record *r, const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j) fprintf(stderr, "%d:%d: %s\n", e.line, e.column, e.text);
    assert_non_null(j);
    r->owned[r->nowned++] = j;
    return j;
}

/* A clinic record: an intake signed by Pat (amended), a follow-up signed by
 * Kim, a draft; two ODI scores and a single leg pain rating. */
static record *new_record(void)
{
    record *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->amendments[0] = (tpt_letter_amendment){T0 + DAY, "Dr Pat", "Sitting on work days only."};
    r->visits[0] = (tpt_letter_visit){.number = 1,
                                      .at = T0,
                                      .author = "Dr Pat",
                                      .signed_at = T0 + 3600,
                                      .signed_by = "Dr Pat",
                                      .note = load(r, intake_note),
                                      .result = load(r, result_json),
                                      .amendments = r->amendments,
                                      .namendments = 1};
    r->visits[1] = (tpt_letter_visit){.number = 2,
                                      .at = T0 + 7 * DAY,
                                      .author = "Dr Kim",
                                      .signed_at = T0 + 7 * DAY + 60,
                                      .signed_by = "Dr Kim",
                                      .note = load(r, followup_note)};
    r->visits[2] = (tpt_letter_visit){
        .number = 3, .at = T0 + 14 * DAY, .author = "Dr Kim", .note = load(r, draft_note)};
    r->measures[0] = (tpt_measure_trend){
        "odi", tpt_instrument_find(instruments, "odi"), 60, 20, T0, T0 + 7 * DAY, 2, true};
    r->measures[1] = (tpt_measure_trend){
        "nrs-leg", tpt_instrument_find(instruments, "nrs-leg"), 7, 7, T0, T0, 1, false};
    r->in = (tpt_letter_input){
        .clinic = "North Street Clinic",
        .patient = "Ann Lee",
        .birth_year = 1971,
        .now = T0 + 15 * DAY,
        .regions = regions,
        .atlas = atlas,
        .techniques = techniques,
        .chart = chart,
        .visits = r->visits,
        .nvisits = 3,
        .plan = load(r, plan_json),
        .measures = r->measures,
        .nmeasures = 2,
        .course = {4, 2, 0, "improving", "The treatment is helping."},
    };
    return r;
}

static void free_record(record *r)
{
    for (size_t i = 0; i < r->nowned; i++)
        json_decref(r->owned[i]);
    free(r);
}

typedef int (*writer)(const tpt_letter_input *, tpt_buf *);

static int write_visit_1(const tpt_letter_input *in, tpt_buf *b)
{
    return tpt_letter_visit_write_html(in, 1, b);
}

static const writer writers[] = {write_visit_1, tpt_letter_doctor_write_html,
                                 tpt_letter_discharge_write_html};

static char *page(record *r, writer w)
{
    tpt_buf b = {0};
    assert_int_equal(w(&r->in, &b), 0);
    assert_false(b.failed);
    return b.data;
}

static void has(const char *html, const char *text)
{
    if (!strstr(html, text)) fail_msg("the page lacks: %s", text);
}

static void lacks(const char *html, const char *text)
{
    if (strstr(html, text)) fail_msg("the page holds: %s", text);
}

/* The fill of a region in the first view that draws it. */
static void fill_of(const char *html, const char *region, char out[8])
{
    char key[96];
    snprintf(key, sizeof key, "data-region=\"%s\" fill=\"", region);
    const char *at = strstr(html, key);
    assert_non_null(at);
    memcpy(out, at + strlen(key), 7);
    out[7] = '\0';
}

/* ---- the tests ---- */

/* Every letter: self-contained, the not-a-diagnosis line, the letterhead. */
static void every_letter_says_it_is_not_a_diagnosis(void **state)
{
    (void)state;
    record *r = new_record();
    for (size_t i = 0; i < sizeof writers / sizeof *writers; i++) {
        char *html = page(r, writers[i]);
        has(html, TPT_NOT_A_DIAGNOSIS);
        has(html, "North Street Clinic");
        has(html, "<strong>Ann Lee</strong>, born 1971");
        has(html, "16 November 2026"); /* the date of the letter */
        lacks(html, "<script");
        lacks(html, "src=");
        lacks(html, "href=");
        lacks(html, "url(");
        lacks(html, "@import");
        free(html);
    }
    free_record(r);
}

static void the_visit_summary(void **state)
{
    (void)state;
    record *r = new_record();
    char *html = page(r, write_visit_1);
    has(html, "Your visit on 1 November 2026");
    has(html, "visit 1 of 4 planned");
    has(html, "with Dr Pat");
    has(html, "leg 7/10, back 4/10");
    has(html, "trigger points) of: Piriformis (right).");
    has(html, "Piriformis (right), 3 needles.");
    has(html, "GB30 Huantiao, 1 needle; BL40 Weizhong, 2 needles.");
    has(html, "Cupping over: Middle of the buttock (right).");
    has(html, "Tui Na massage of: Back of the thigh, upper half (right).");
    has(html, "Gua Sha (gentle scraping of the skin) over: Calf, upper half (right).");
    has(html, "Heat for 10 minutes.");
    has(html, "Stretches shown to you: Figure-four stretch.");
    has(html, "Sitting on work days only."); /* the amendment, with its visit */
    /* the home program, and where to press: the piriformis site on the right */
    has(html, "Each session in this order, 2 times a day.");
    has(html, "<strong>Ball against a wall, piriformis</strong> (Piriformis, right)");
    has(html, "2 × 60 s, 30 s rest");
    has(html, "hold 30 s, 3 ×");
    has(html, "Where to press");
    has(html, "Middle of the buttock (right) &#8212; step 2</li>");
    char site[8], other[8], white[8];
    fill_of(html, "r.buttock.center", site);
    fill_of(html, "l.buttock.center", other);
    tpt_chart_heat_color(1, white); /* the colour of a site */
    assert_string_equal(site, white);
    tpt_chart_heat_color(0, white);
    assert_string_equal(other, white);
    /* what to expect, when to come back, the stop rules */
    has(html, techniques->course.advice);
    has(html, "Your next visit is visit 2 of the 4 planned. We will measure your progress "
              "together at visit 3.");
    has(html, "Stop at once if the pressure");
    lacks(html, "warning sign stands");
    free(html);
    /* the draft's summary is written, and says it is one */
    tpt_buf b = {0};
    assert_int_equal(tpt_letter_visit_write_html(&r->in, 3, &b), 0);
    has(b.data, "before they were signed");
    has(b.data, "Piriformis (right), 40 needles.");
    /* a visit that does not exist */
    assert_int_equal(tpt_letter_visit_write_html(&r->in, 9, &b), TPT_ERR_INPUT);
    tpt_buf_free(&b);
    free_record(r);
}

/* The patient's summary in German: the letter's own words, the date, the
 * treatments' and the home program's names and the notice, with nothing of
 * the English left. */
static void the_visit_summary_in_german(void **state)
{
    (void)state;
    record *r = new_record();
    tpt_error err = {0};
    tpt_words *de = tpt_words_load("de", &err);
    assert_non_null(de);
    r->in.words = de;
    char *html = page(r, write_visit_1);
    if (getenv("TPT_LETTER_KEEP")) {
        FILE *out = fopen(getenv("TPT_LETTER_KEEP"), "w");
        if (out) fputs(html, out), fclose(out);
    }
    has(html, "<html lang=\"de\">");
    has(html, "Ihr Termin am 1. November 2026");
    has(html, "Termin 1 von 4 geplanten");
    has(html, "bei Dr Pat");
    has(html, "Bein 7/10, Rücken 4/10");
    has(html, "Wärme für 10 Minuten.");
    has(html, "2 Nadeln");
    has(html, "Jede Einheit in dieser Reihenfolge, 2-mal am Tag.");
    has(html, "Ihr nächster Termin ist Termin 2 von 4 geplanten.");
    has(html, tpt_word(de, TPT_NOT_A_DIAGNOSIS));
    has(html, tpt_word(de, techniques->course.advice));
    static const char *const english[] = {
        "Your visit",   "What we did today", "Heat for",          "needles",
        "Each session", "When to come back", "Stop and get help", "This is not a diagnosis",
        " s rest"};
    for (size_t i = 0; i < sizeof english / sizeof *english; i++)
        lacks(html, english[i]);
    lacks(html, "1 November 2026");
    free(html);
    tpt_words_free(de);
    free_record(r);
}

/* The letter to the doctor and the discharge summary in German: the
 * letters' own words, the dates, the counts and scores as in English, the
 * notice, and none of the English left. */
static void the_clinicians_letters_in_german(void **state)
{
    (void)state;
    record *r = new_record();
    tpt_error err = {0};
    tpt_words *de = tpt_words_load("de", &err);
    assert_non_null(de);
    r->in.words = de;
    char *html = page(r, tpt_letter_doctor_write_html);
    has(html, "<html lang=\"de\">");
    has(html, "<h1>Klinische Zusammenfassung</h1>");
    has(html, "Sehr geehrte Kollegin, sehr geehrter Kollege,");
    has(html, "Ann Lee ist seit dem 1. November 2026 zur Triggerpunkttherapie ischiasartiger "
              "Schmerzen in dieser Praxis: 2 der 4 geplanten Termine, der letzte am 8. November "
              "2026.");
    has(html, "1 Terminnotiz ist noch nicht unterschrieben (Termin 3)");
    has(html, "<dd>6 Wochen</dd>");
    has(html, "Mitte des Gesäßes (rechts): 7/10; Wade, obere Hälfte (rechts): kribbelnd, 3/10");
    has(html, "Langes Sitzen, Stress");
    has(html, "<p>Positive Befunde: ");
    has(html, "<p>Unauffällige Befunde: ");
    has(html, "Accountant; etwa 9 Stunden Sitzen am Tag");
    has(html, "<td class=\"n\">76%</td><td class=\"n\">39%</td>");
    has(html, "<td class=\"nowrap\">7 / 4</td>");
    has(html, "Piriformis (rechts): 5 Nadeln");
    has(html, "GB30 Huantiao: 2 Nadeln <span class=\"muted\">(2 Termine)</span>");
    has(html, "<td>Wärme</td><td class=\"n\">2</td><td>insgesamt 25 Minuten");
    has(html, "<td class=\"n\">60<br>");
    has(html, "&#8722;40 <span class=\"muted\">(besser)</span>");
    has(html, "10 Punkte oder 30%");
    has(html, "Behandlungsverlauf: es wird besser");
    has(html, "Mit freundlichen Grüßen");
    has(html, "<strong>Dr Pat</strong>");
    has(html, tpt_word(de, TPT_NOT_A_DIAGNOSIS));
    static const char *const english[] = {
        "Dear Doctor",  "Clinical summary", "has attended",    "Examination</h2>",
        "Likely cause", "Dry needling",     "needles",         "minutes in all",
        "(better)",     "Course of care",   "Yours sincerely", "This is not a diagnosis",
        "visit note",   " Nov 2026",        "Found normal",    "Knee-jerk"};
    for (size_t i = 0; i < sizeof english / sizeof *english; i++)
        lacks(html, english[i]);
    free(html);

    html = page(r, tpt_letter_discharge_write_html);
    has(html, "<html lang=\"de\">");
    has(html, "<h1>Abschlussbericht</h1>");
    has(html, "<dt>Erstbesuch</dt><dd>1. November 2026</dd>");
    has(html, "<dt>Letzter Termin</dt><dd>8. November 2026</dd>");
    has(html, "<dt>Termine</dt><dd>2 von 4 geplanten</dd>");
    has(html, "<dt>Letzte Beurteilung</dt><dd>Less tender.</dd>"); /* the note's own words */
    has(html, "<th class=\"n\">Ausgangswert</th><th class=\"n\">Bei Abschluss</th>");
    has(html, "class=\"yes\">ja<");
    has(html, "Wann Sie wieder Hilfe suchen sollten");
    has(html, "Abgeschlossen von");
    has(html, "<strong>Dr Kim</strong>");
    has(html, tpt_word(de, TPT_NOT_A_DIAGNOSIS));
    static const char *const english_discharge[] = {"Discharge summary",
                                                    "First visit",
                                                    "of 4 planned",
                                                    "Baseline",
                                                    "When to seek help",
                                                    "Discharged by",
                                                    "This is not a diagnosis",
                                                    "Book a visit"};
    for (size_t i = 0; i < sizeof english_discharge / sizeof *english_discharge; i++)
        lacks(html, english_discharge[i]);
    free(html);
    tpt_words_free(de);
    free_record(r);
}

/* An urgent flag: its advice on every page, no home program, no stop rules
 * of self-treatment, no stretch by name; the doctor is told of it. */
static void a_standing_flag_shows_advice_and_no_home_program(void **state)
{
    (void)state;
    record *r = new_record();
    r->in.nflags = 1;
    r->in.flag_level = TPT_LEVEL_URGENT;
    r->in.flag_advice = "See a doctor within a day or two.";
    for (size_t i = 0; i < sizeof writers / sizeof *writers; i++) {
        char *html = page(r, writers[i]);
        has(html, "See a doctor within a day or two.");
        has(html, "urgent: see a doctor within a day or two");
        has(html, "class=\"box stop flag\"");
        lacks(html, "Ball against a wall, piriformis");
        lacks(html, "Where to press");
        lacks(html, "Each session in this order");
        lacks(html, "Stop at once if the pressure");
        lacks(html, "How hard to press");
        if (writers[i] != tpt_letter_doctor_write_html) {
            has(html, "No self-treatment");
            lacks(html, "Figure-four stretch");
            lacks(html, techniques->course.advice);
        } else {
            has(html, "Red flag standing in the record");
        }
        free(html);
    }
    /* an emergency too */
    r->in.flag_level = TPT_LEVEL_EMERGENCY;
    char *html = page(r, write_visit_1);
    has(html, "emergency: go to an emergency department now");
    lacks(html, "Ball against a wall, piriformis");
    free(html);
    /* see a doctor soon: the program stays, with the advice beside it */
    r->in.flag_level = TPT_LEVEL_SOON;
    html = page(r, write_visit_1);
    has(html, "class=\"box caution flag\"");
    has(html, "See a doctor within a day or two.");
    has(html, "Ball against a wall, piriformis");
    free(html);
    free_record(r);
}

/* The plan's own screen stopped self-care: its advice, no steps. */
static void a_plan_that_stops_self_care(void **state)
{
    (void)state;
    record *r = new_record();
    json_t *plan = load(r, "{\"self_care\": \"stop\", \"advice\": [\"Go to an emergency "
                           "department now.\"], \"home\": {\"steps\": [{\"kind\": \"pressure\", "
                           "\"title\": \"A STEP\", \"cause\": \"tp:piriformis\", \"side\": "
                           "\"r\"}]}}");
    r->in.plan = plan;
    char *html = page(r, tpt_letter_discharge_write_html);
    has(html, "Go to an emergency department now.");
    has(html, "No self-treatment while this stands.");
    lacks(html, "A STEP");
    free(html);
    /* and no plan at all: a program given waits for the safety questions, and the letter
     * never says there is none */
    r->in.plan = NULL;
    html = page(r, write_visit_1);
    has(html, "Your home program is written into your record once the safety questions are "
              "answered there");
    lacks(html, "No home program");
    free(html);
    free_record(r);
}

static void no_home_program_given(void **state)
{
    (void)state;
    record *r = new_record();
    json_t *note = load(r, "{\"kind\": \"follow-up\", \"plan\": {\"home_program\": false}}");
    r->visits[1].note = note;
    tpt_buf b = {0};
    assert_int_equal(tpt_letter_visit_write_html(&r->in, 2, &b), 0);
    has(b.data, "No home program was given at this visit.");
    has(b.data, "no treatment is recorded for this visit");
    lacks(b.data, "Ball against a wall");
    tpt_buf_free(&b);
    free_record(r);
}

static void hostile_text_is_escaped(void **state)
{
    (void)state;
    record *r = new_record();
    r->in.patient = "<b>Ann & \"Bo\"</b>";
    r->in.clinic = "<i>Clinic</i>";
    r->visits[0].signed_by = "<script>x</script>";
    r->amendments[0].text = "it's <img src=x>";
    r->visits[1].note =
        load(r, "{\"kind\": \"follow-up\", \"subjective\": {\"changes\": \"<u>better</u>\"}, "
                "\"assessment\": {\"own_words\": \"a < b & c\"}, \"plan\": {\"notes\": "
                "\"</li><script>\"}}");
    for (size_t i = 0; i < sizeof writers / sizeof *writers; i++) {
        char *html = page(r, writers[i]);
        has(html, "&lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt;");
        has(html, "&lt;i&gt;Clinic&lt;/i&gt;");
        lacks(html, "<b>Ann");
        lacks(html, "<i>Clinic");
        lacks(html, "<script");
        lacks(html, "<img");
        lacks(html, "<u>");
        free(html);
    }
    char *html = page(r, tpt_letter_doctor_write_html);
    has(html, "&lt;script&gt;x&lt;/script&gt;");
    has(html, "it&#39;s &lt;img src=x&gt;");
    has(html, "a &lt; b &amp; c");
    free(html);
    tpt_buf b = {0};
    assert_int_equal(tpt_letter_visit_write_html(&r->in, 2, &b), 0);
    has(b.data, "&lt;u&gt;better&lt;/u&gt;");
    has(b.data, "&lt;/li&gt;&lt;script&gt;");
    tpt_buf_free(&b);
    free_record(r);
}

/* Counts across the signed visits, the measures against their MCIDs; the
 * draft counts for nothing and is named. */
static void the_letter_to_the_doctor(void **state)
{
    (void)state;
    record *r = new_record();
    char *html = page(r, tpt_letter_doctor_write_html);
    has(html, "Dear Doctor,");
    has(html, "since 1 November 2026: 2 visits of the 4 planned, the latest on 8 November 2026");
    has(html, "1 visit note not yet signed (visit 3) is left out");
    lacks(html, "DRAFT WORDS");
    lacks(html, "45 needles");
    /* history and examination of the intake */
    has(html, "After a long drive");
    has(html, "<dd>6 weeks</dd>");
    has(html, "Long sitting, stress");
    has(html, "Accountant; sitting about 9 hours a day");
    has(html, "Middle of the buttock (right): 7/10; Calf, upper half (right): tingling, 3/10");
    has(html, "Positive findings: Raising the straight leg while lying on the back brings on "
              "leg pain below the knee (between 30 and 70 degrees), right.</p>");
    /* the tests found normal apart from the positive ones */
    has(html, "<p>Found normal: Knee-jerk (patellar) reflex present and equal to the other "
              "side, right; Raising the straight leg while lying on the back brings on no leg "
              "pain below the knee, left.</p>");
    has(html, "<tr><td>Piriformis (right)</td><td>yes</td><td>yes</td>"
              "<td class=\"muted\">&#8211;</td><td>yes</td></tr>");
    /* the engine beside the practitioner */
    has(html, "<tr><td>Piriformis, right</td><td class=\"n\">76%</td><td class=\"n\">39%</td>");
    has(html, "<td class=\"n\">29%</td><td class=\"n\">62%</td>");
    lacks(html, "Soleus"); /* 1%: not among the likely */
    has(html, "Right piriformis, reproducing her pain.");
    has(html, "Sitting on work days only.");
    /* treatments added up */
    has(html, "Dry needling</td><td class=\"n\">2</td><td>Piriformis (right): 5 needles");
    has(html, "GB30 Huantiao: 2 needles <span class=\"muted\">(2 visits)</span>");
    has(html, "BL40 Weizhong: 2 needles <span class=\"muted\">(1 visit)</span>");
    has(html, "Heat</td><td class=\"n\">2</td><td>25 minutes in all");
    has(html, "; Ashi point: 2 needles");
    has(html, "<td class=\"nowrap\">7 / 4</td>");
    has(html, "<td class=\"nowrap\">4 / 2</td>");
    has(html, "Less tender.");
    /* the measures */
    has(html, "Oswestry Disability Index");
    has(html, "<td class=\"n\">60<br><span class=\"small\">Severe disability</span>");
    has(html, ">20<br><span class=\"small\">Minimal disability</span>");
    has(html, "&#8722;40 <span class=\"muted\">(better)</span>");
    has(html, "10 points or 30%");
    has(html, "class=\"yes\">yes<");
    has(html, "class=\"muted\">one measure only<"); /* the leg rating, taken once */
    has(html, "Course of care: improving");
    has(html, "The treatment is helping.");
    lacks(html, "A reassessment is due");
    /* signed by the intake's signer */
    has(html, "Yours sincerely,");
    has(html, "<strong>Dr Pat</strong>");
    lacks(html, "<strong>Dr Kim</strong>");
    free(html);
    /* a reassessment due; an intake without a drawing */
    r->in.course.reassessment_due = 3;
    r->visits[0].result = NULL;
    html = page(r, tpt_letter_doctor_write_html);
    has(html, "A reassessment is due at visit 3");
    has(html, "No pain drawing was recorded for tpt to rank causes.");
    has(html, "Right piriformis, reproducing her pain.");
    free(html);
    free_record(r);
}

static void the_discharge_summary(void **state)
{
    (void)state;
    record *r = new_record();
    char *html = page(r, tpt_letter_discharge_write_html);
    has(html, "<h1>Discharge summary</h1>");
    has(html, "<dt>First visit</dt><dd>1 November 2026</dd>");
    has(html, "<dt>Last visit</dt><dd>8 November 2026</dd>");
    has(html, "<dt>Visits</dt><dd>2 of 4 planned</dd>");
    has(html, "<dt>Latest assessment</dt><dd>Less tender.</dd>");
    has(html, "<th class=\"n\">Baseline</th><th class=\"n\">At discharge</th>");
    has(html, "class=\"yes\">yes<");
    has(html, "Your home program to keep up");
    has(html, "Ball against a wall, piriformis");
    lacks(html, "Lean in."); /* compact: no instructions */
    has(html, "When to seek help again");
    has(html, "Discharged by");
    has(html, "<strong>Dr Kim</strong>"); /* the last signed visit's signer */
    lacks(html, "DRAFT WORDS");
    free(html);
    free_record(r);
}

/* Nothing signed: the letters say so, and write no signature. */
static void nothing_signed_yet(void **state)
{
    (void)state;
    record *r = new_record();
    r->in.nvisits = 1;
    r->visits[0].signed_at = 0;
    for (size_t i = 1; i < sizeof writers / sizeof *writers; i++) {
        char *html = page(r, writers[i]);
        has(html, "No visit note is signed yet.");
        has(html, "1 visit note not yet signed (visit 1) is left out");
        lacks(html, "After a long drive");
        lacks(html, "class=\"sign\"");
        free(html);
    }
    r->in.nvisits = 0;
    char *html = page(r, tpt_letter_doctor_write_html);
    has(html, "No visit note is signed yet.");
    lacks(html, "not yet signed (visit");
    free(html);
    free_record(r);
}

/* Dates are local days: 23:30 UTC is the next day an hour east. */
static void dates_in_the_zone_given(void **state)
{
    (void)state;
    record *r = new_record();
    r->visits[0].at = T0 + 14 * 3600 + 1800; /* 2026-11-01T23:30:00Z */
    r->in.utc_offset = 3600;
    char *html = page(r, write_visit_1);
    has(html, "Your visit on 2 November 2026");
    free(html);
    r->in.utc_offset = 0;
    html = page(r, write_visit_1);
    has(html, "Your visit on 1 November 2026");
    free(html);
    /* the last planned visit */
    r->in.course.planned = 1;
    html = page(r, write_visit_1);
    has(html, "This was the last of the planned visits");
    free(html);
    free_record(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_letter_says_it_is_not_a_diagnosis),
        cmocka_unit_test(the_visit_summary),
        cmocka_unit_test(the_visit_summary_in_german),
        cmocka_unit_test(the_clinicians_letters_in_german),
        cmocka_unit_test(a_standing_flag_shows_advice_and_no_home_program),
        cmocka_unit_test(a_plan_that_stops_self_care),
        cmocka_unit_test(no_home_program_given),
        cmocka_unit_test(hostile_text_is_escaped),
        cmocka_unit_test(the_letter_to_the_doctor),
        cmocka_unit_test(the_discharge_summary),
        cmocka_unit_test(nothing_signed_yet),
        cmocka_unit_test(dates_in_the_zone_given),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
