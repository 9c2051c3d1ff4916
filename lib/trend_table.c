/* The course of each outcome measure as a table for printed pages: the
 * letters and the progress report (include/tpt/trend_table.h). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "tpt/trend_table.h"
#include "tpt/words.h"

/* A text of the table in its language. */
#define W(text) tpt_word(words, text)

const char tpt_trend_table_css[] =
    "td.n,th.n{text-align:right}.muted{color:#57606a}.small{font-size:.88em}"
    ".nowrap{white-space:nowrap}.yes{color:#2f6f4f;font-weight:600}.no{color:#8a3b12}";

static void put_score(tpt_buf *b, double v)
{
    tpt_buf_printf(b, "%g", round(v * 10) / 10);
}

/* Whether the instrument has a smallest change that matters to judge by. */
static bool has_mcid(const tpt_instrument *m)
{
    return m && (m->mcid_points.known || m->mcid_percent.known);
}

/* A number put into a translated template as {n}. */
static void put_number(tpt_buf *b, const char *template, double v)
{
    char number[32];
    snprintf(number, sizeof number, "%g", v);
    const char *names[] = {"n"}, *values[] = {number};
    tpt_buf_fill_html(b, template, names, values, 1);
}

static void mcid_words(tpt_buf *b, const tpt_instrument *m, const tpt_words *words)
{
    if (!has_mcid(m)) {
        tpt_buf_element(b, "<span class=\"muted\">", W("not known"), "</span>");
        return;
    }
    if (m->mcid_points.known)
        put_number(b, m->mcid_points.number.value == 1 ? W("{n} point") : W("{n} points"),
                   m->mcid_points.number.value);
    if (m->mcid_points.known && m->mcid_percent.known) tpt_buf_put_html(b, W(" or "));
    if (m->mcid_percent.known) tpt_buf_printf(b, "%g%%", m->mcid_percent.number.value);
}

/* The band a score falls in ("Severe disability"), where bands are
 * defined by their upper ends; else NULL. */
static const char *band_of(const tpt_instrument *ins, double score)
{
    for (size_t i = 0; ins && ins->rule != TPT_RULE_START_BACK && i < ins->nbands; i++)
        if (ins->bands[i].has_max && score <= ins->bands[i].max) return ins->bands[i].label;
    return NULL;
}

static void score_cell(tpt_buf *b, const tpt_instrument *ins, double score, int64_t when,
                       tpt_date_writer *date, const void *ctx)
{
    put_score(b, score);
    const char *band = band_of(ins, score);
    if (band) {
        tpt_buf_puts(b, "<br><span class=\"small\">");
        tpt_buf_put_html(b, band);
        tpt_buf_puts(b, "</span>");
    }
    tpt_buf_puts(b, "<br><span class=\"muted small nowrap\">");
    date(b, when, ctx);
    tpt_buf_puts(b, "</span>");
}

void tpt_trend_table_html(tpt_buf *b, const tpt_measure_trend *trends, size_t n, const char *first,
                          const char *latest, tpt_date_writer *date, const void *ctx,
                          const tpt_words *words)
{
    if (!n) {
        tpt_buf_element(b, "<p class=\"muted\">", W("No outcome measure has been taken."), "</p>");
        return;
    }
    tpt_buf_element(b, "<table class=\"measures\"><thead><tr><th>", W("Measure"), "</th>");
    tpt_buf_element(b, "<th class=\"n\">", first, "</th>");
    tpt_buf_element(b, "<th class=\"n\">", latest, "</th>");
    tpt_buf_element(b, "<th class=\"n\">", W("Change in score"), "</th>");
    tpt_buf_element(b, "<th>", W("Smallest change that matters"), "</th>");
    tpt_buf_element(b, "<th>", W("Reached"), "</th></tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        const tpt_measure_trend *m = &trends[i];
        const tpt_instrument *ins = m->instrument;
        tpt_buf_puts(b, "<tr><td>");
        tpt_buf_put_html(b, ins ? tpt_word(words, ins->name) : m->id);
        if (ins) {
            char min[32], max[32];
            snprintf(min, sizeof min, "%g", ins->min);
            snprintf(max, sizeof max, "%g", ins->max);
            const char *names[] = {"min", "max"}, *values[] = {min, max};
            tpt_buf_puts(b, "<br><span class=\"muted small\">");
            tpt_buf_fill_html(b,
                              ins->higher_is_worse ? W("{min}–{max}, lower is better")
                                                   : W("{min}–{max}, higher is better"),
                              names, values, 2);
            tpt_buf_puts(b, "</span>");
        }
        tpt_buf_puts(b, "</td><td class=\"n\">");
        score_cell(b, ins, m->baseline, m->baseline_at, date, ctx);
        tpt_buf_puts(b, "</td><td class=\"n\">");
        if (m->count > 1) {
            score_cell(b, ins, m->latest, m->latest_at, date, ctx);
        } else {
            tpt_buf_puts(b, "&#8211;");
        }
        tpt_buf_puts(b, "</td><td class=\"n\">");
        double d = round((m->latest - m->baseline) * 10) / 10;
        if (m->count < 2)
            tpt_buf_puts(b, "&#8211;");
        else if (d == 0)
            tpt_buf_put_html(b, W("none"));
        else {
            bool better = ins && (ins->higher_is_worse ? d < 0 : d > 0);
            tpt_buf_printf(b, "%s%g", d > 0 ? "+" : "&#8722;", fabs(d));
            if (ins)
                tpt_buf_element(b, " <span class=\"muted\">(", better ? W("better") : W("worse"),
                                ")</span>");
        }
        tpt_buf_puts(b, "</td><td>");
        mcid_words(b, ins, words);
        if (m->count < 2)
            tpt_buf_element(b, "</td><td class=\"muted\">", W("one measure only"), "</td></tr>");
        else if (!has_mcid(ins)) /* "no" would say it fell short of a mark there is none of */
            tpt_buf_element(b, "</td><td class=\"muted\">", W("not judged"), "</td></tr>");
        else if (m->meaningful)
            tpt_buf_element(b, "</td><td class=\"yes\">", W("yes"), "</td></tr>");
        else
            tpt_buf_element(b, "</td><td class=\"no\">", W("no"), "</td></tr>");
    }
    tpt_buf_puts(b, "</tbody></table>");
}
