/* The report page. Everything is drawn here: the pain chart is an SVG of
 * lines and marks, the heat map the body chart's views (or a table of
 * regions), so the page needs nothing from outside and prints as it shows. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/error.h"
#include "tpt/notice.h"
#include "tpt/report.h"
#include "tpt/text.h"
#include "tpt/time.h"

#define DAY 86400

/* A text of the page in its language (tpt/words.h); needs `in`. */
#define W(text) tpt_word(in->words, text)

/* The codes the page shows as they are kept (a verdict, a warning level, a
 * drawing's pattern): in English the code itself, in another language its
 * catalogue's words. */
static const char *const verdict_codes[] = {TPT_TEXT("too-early"),
                                            TPT_TEXT("improving"),
                                            TPT_TEXT("no-change"),
                                            TPT_TEXT("worsening"),
                                            TPT_TEXT("relapse"),
                                            TPT_TEXT("stop"),
                                            NULL};
static const char *const level_codes[] = {TPT_TEXT("none"), TPT_TEXT("soon"), TPT_TEXT("urgent"),
                                          TPT_TEXT("emergency"), NULL};
static const char *const pattern_codes[] = {TPT_TEXT("myofascial"), TPT_TEXT("radicular"),
                                            TPT_TEXT("mixed"), TPT_TEXT("unclear"), NULL};

static const char *code_words(const tpt_words *words, const char *const *codes, const char *code)
{
    for (size_t i = 0; codes[i]; i++)
        if (strcmp(codes[i], code) == 0) return tpt_word(words, codes[i]);
    return code;
}

/* A translated template with one count put in at {a}, or two at {a} and
 * {c} ("{leg} leg and {back} back"); c NULL for one. */
static void put_counts(tpt_buf *b, const char *template, const char *a, size_t na, const char *c,
                       size_t nc)
{
    char x[24], y[24];
    snprintf(x, sizeof x, "%zu", na);
    snprintf(y, sizeof y, "%zu", nc);
    const char *names[] = {a, c}, *values[] = {x, y};
    tpt_buf_fill_html(b, template, names, values, c ? 2 : 1);
}

/* Text as HTML, its first `len` bytes. */
static void put_html_n(tpt_buf *b, const char *text, size_t len)
{
    char chunk[256];
    while (len) {
        size_t n = len < sizeof chunk - 1 ? len : sizeof chunk - 1;
        memcpy(chunk, text, n);
        chunk[n] = '\0';
        tpt_buf_put_html(b, chunk);
        text += n;
        len -= n;
    }
}

/* A translated sentence with commands in it: each {name} of `names` becomes
 * the command at the same place of `commands`, as code (as
 * tpt_buf_fill_html, an unknown {name} ends the text). */
static void put_with_commands(tpt_buf *b, const char *template, const char *const *names,
                              const char *const *commands, size_t n)
{
    for (const char *p = template; *p;) {
        const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
        put_html_n(b, p, open ? (size_t)(open - p) : strlen(p));
        if (!open) return;
        size_t i = 0, len = close ? (size_t)(close - open - 1) : 0;
        while (close && i < n &&
               !(strlen(names[i]) == len && strncmp(open + 1, names[i], len) == 0))
            i++;
        if (!close || i == n) return;
        tpt_buf_element(b, "<code>", commands[i], "</code>");
        p = close + 1;
    }
}

/* A sentence with one command in it at {command}. */
static void put_with_command(tpt_buf *b, const char *template, const char *command)
{
    const char *names[] = {"command"}, *commands[] = {command};
    put_with_commands(b, template, names, commands, 1);
}

/* A count in its own words: `one` for 1, else `other` with {n} put in. */
static void put_count(tpt_buf *b, size_t n, const char *one, const char *other)
{
    put_counts(b, n == 1 ? one : other, "n", n, NULL, 0);
}

static const char style[] =
    "@page{size:auto;margin:12mm}"
    "*{box-sizing:border-box}"
    "body{font:10.5pt/1.4 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "color:#1b1f23;max-width:52rem;margin:1.5rem auto;padding:0 1rem}"
    "h1{font-size:1.45rem;margin:0 0 .2rem}"
    "h2{font-size:1.05rem;margin:1.2rem 0 .4rem;border-bottom:1px solid #c8ced6;"
    "padding-bottom:.15rem;break-after:avoid}"
    "h3{font-size:.95rem;margin:.7rem 0 .2rem}"
    ".sub{color:#57606a;margin:0 0 .8rem}"
    ".box{border-left:4px solid #57606a;background:#f3f5f7;padding:.5rem .8rem;margin:.5rem 0}"
    ".box p{margin:.2rem 0}"
    ".v-improving{border-color:#2f6f4f;background:#eef6f1}"
    ".v-no-change,.v-relapse,.caution{border-color:#b7791f;background:#fff7e6}"
    ".v-worsening,.v-stop{border-color:#b42318;background:#fdecea}"
    ".verdict{font-weight:600}"
    "table{border-collapse:collapse;margin:.3rem 0;font-variant-numeric:tabular-nums}"
    "th,td{text-align:left;padding:.15rem .7rem .15rem 0;border-bottom:1px solid #e1e4e8;"
    "vertical-align:top}"
    "th{font-weight:600;border-bottom-color:#c8ced6}"
    "td.n,th.n{text-align:right}"
    "tr{break-inside:avoid}thead{display:table-header-group}"
    ".sharp{color:#b42318;font-weight:600}"
    ".muted{color:#57606a}"
    "figure{margin:.4rem 0;break-inside:avoid}"
    "figcaption{font-size:.85em;color:#57606a}"
    "svg{display:block;max-width:100%;height:auto}svg.pain{width:100%}"
    "svg text{font:11px system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "fill:#3d444d}"
    ".views{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;"
    "justify-content:space-around;break-inside:avoid}"
    ".views figure{margin:0;text-align:center}"
    ".views svg{height:21rem;width:auto}"
    ".bar{display:inline-block;height:.7em;background:#c2410c;border-radius:2px}"
    ".scale{display:flex;align-items:center;gap:.4rem;font-size:.85em;color:#57606a}"
    ".ramp{display:inline-block;width:8rem;height:.8em;border:1px solid #c8ced6}"
    "ul,ol{margin:.3rem 0;padding-left:1.3rem}"
    "footer{margin-top:1.2rem;font-size:.85em;color:#57606a;border-top:1px solid #c8ced6;"
    "padding-top:.4rem}"
    /* a phone: the tables' words wrap rather than widen the page (German
     * headings are long) */
    "@media (max-width:36rem){table{font-size:.85em}"
    "th,td{padding-right:.35rem;overflow-wrap:break-word}}"
    "@media print{@page{margin:10mm}body{margin:0;max-width:none;font-size:9pt}"
    /* a heading is not left alone at the foot of a page: it takes room it
     * gives back, so that it moves to the next page when there is none */
    "h2,h3{margin:.8rem 0 .3rem;break-inside:avoid}"
    "h2::after,h3::after{content:'';display:block;height:6em;margin-bottom:-6em}"
    ".screen-only{display:none}"
    ".box,.bar,.ramp,svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".views svg{height:15rem}}";

/* ---- dates, without the C library's clock or zone ---- */

/* The local day (days since 1970-01-01) of a time. */
static int64_t local_day(const tpt_report_input *in, int64_t t)
{
    return tpt_floor_div(t + in->utc_offset, DAY);
}

/* The time at which a local day starts. */
static int64_t day_start(const tpt_report_input *in, int64_t day)
{
    return day * DAY - in->utc_offset;
}

/* The short name of a month (1-12) in the page's language: "Nov", "Nov.". */
static const char *short_month(const tpt_report_input *in, int month)
{
    static const char *const names[] = {TPT_TEXT("Jan"), TPT_TEXT("Feb"), TPT_TEXT("Mar"),
                                        TPT_TEXT("Apr"), TPT_TEXT("May"), TPT_TEXT("Jun"),
                                        TPT_TEXT("Jul"), TPT_TEXT("Aug"), TPT_TEXT("Sep"),
                                        TPT_TEXT("Oct"), TPT_TEXT("Nov"), TPT_TEXT("Dec")};
    return month >= 1 && month <= 12 ? tpt_word(in->words, names[month - 1]) : "?";
}

/* A day of a month, "3 Nov" (in the page's language, "3. Nov."), into text. */
static void day_month(char *text, size_t size, const tpt_report_input *in, int day, int month)
{
    char number[8];
    snprintf(number, sizeof number, "%d", day);
    const char *names[] = {"day", "month"}, *values[] = {number, short_month(in, month)};
    tpt_buf t = {0};
    tpt_buf_fill_html(&t, W("{day} {month}"), names, values, 2);
    snprintf(text, size, "%s", t.data && !t.failed ? t.data : number);
    tpt_buf_free(&t);
}

/* "3 Nov 2026" */
static void put_date(tpt_buf *b, const tpt_report_input *in, int64_t t)
{
    tpt_civil c = tpt_civil_at(t, in->utc_offset);
    char day[8], year[16];
    snprintf(day, sizeof day, "%d", c.day);
    snprintf(year, sizeof year, "%lld", (long long)c.year);
    const char *names[] = {"day", "month", "year"},
               *values[] = {day, short_month(in, c.month), year};
    tpt_buf_fill_html(b, W("{day} {month} {year}"), names, values, 3);
}

/* "3 Nov 2026 08:30" */
static void put_date_time(tpt_buf *b, const tpt_report_input *in, int64_t t)
{
    tpt_civil c = tpt_civil_at(t, in->utc_offset);
    put_date(b, in, t);
    tpt_buf_printf(b, " %02d:%02d", c.hour, c.minute);
}

/* ---- ordering ---- */

typedef struct order {
    int64_t time;
    size_t index;
} order;

static int by_time(const void *a, const void *b)
{
    const order *x = a, *y = b;
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* ---- the pain chart ---- */

/* Geometry of the chart, in SVG units. */
enum {
    CW = 720, /* width */
    CH = 282, /* height */
    PX0 = 58, /* the plot area */
    PX1 = 708,
    PY0 = 12,
    PY1 = 200,
    SY0 = 206, /* the band of session marks */
    SY1 = 220,
    LABEL_Y = 236,
    LEGEND_Y = 266,
    MAX_TICKS = 10,
};

typedef struct axis {
    int64_t t0, t1; /* the range shown: whole local days */
} axis;

static double x_of(const axis *a, int64_t t)
{
    return PX0 + (double)(t - a->t0) / (double)(a->t1 - a->t0) * (PX1 - PX0);
}

static double y_of(double v)
{
    return PY1 - v / 10.0 * (PY1 - PY0);
}

static void grid_x(tpt_buf *b, double x)
{
    tpt_buf_printf(b, "<line class=\"gx\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, PY0, x,
                   PY1);
}

static void label_x(tpt_buf *b, double x, const char *anchor, const char *text)
{
    tpt_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>", x, LABEL_Y, anchor,
                   text);
}

/* Vertical grid lines and date labels: days (every 1, 2, 7 or 14) for up to
 * two months, else months (every 1, 2, 3, 6 or 12). */
static void time_ticks(tpt_buf *b, const tpt_report_input *in, const axis *a)
{
    int64_t d0 = local_day(in, a->t0), d1 = local_day(in, a->t1); /* [d0, d1) */
    int64_t ndays = d1 - d0;
    char text[48];
    if (ndays <= 62) {
        static const int steps[] = {1, 2, 7, 14};
        int step = 14;
        for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
            if (ndays / steps[i] <= MAX_TICKS) {
                step = steps[i];
                break;
            }
        for (int64_t d = d0; d <= d1; d++) {
            double x = x_of(a, day_start(in, d));
            if (d > d0 && d < d1) grid_x(b, x);
            if ((d - d0) % step != 0) continue;
            tpt_civil c;
            tpt_civil_from_days(d, &c);
            day_month(text, sizeof text, in, c.day, c.month);
            if (step == 1 && d < d1) /* one label per day, under the middle of the day */
                label_x(b, (x + x_of(a, day_start(in, d + 1))) / 2, "middle", text);
            else if (step > 1)
                label_x(b, x, d == d0 ? "start" : d == d1 ? "end" : "middle", text);
        }
        return;
    }
    static const int steps[] = {1, 2, 3, 6, 12};
    tpt_civil c0, c1;
    tpt_civil_from_days(d0, &c0);
    tpt_civil_from_days(d1, &c1);
    int64_t m0 = (int64_t)c0.year * 12 + c0.month - 1, m1 = (int64_t)c1.year * 12 + c1.month - 1;
    int64_t step = 12 * ((m1 - m0) / (12 * MAX_TICKS) + 1); /* whole years beyond ten */
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if ((m1 - m0) / steps[i] <= MAX_TICKS) {
            step = steps[i];
            break;
        }
    bool first = true;
    for (int64_t m = m0 + 1; m <= m1; m++) {
        if (m % step != 0) continue;
        int year = (int)tpt_floor_div(m, 12), month = (int)(m - (int64_t)year * 12) + 1;
        double x = x_of(a, day_start(in, tpt_days_from_civil(year, month, 1)));
        grid_x(b, x);
        if (step >= 12)
            snprintf(text, sizeof text, "%d", year);
        else if (first || month == 1)
            snprintf(text, sizeof text, "%s %d", short_month(in, month), year);
        else
            snprintf(text, sizeof text, "%s", short_month(in, month));
        label_x(b, x, "middle", text);
        first = false;
    }
}

/* One measure: its line through the ratings in time order, then a mark per
 * rating (a circle for the leg, a square for the back, so that the chart
 * reads in grey too) with its time, value and note as a tooltip. */
static void measure(tpt_buf *b, const tpt_report_input *in, const axis *a, const order *o, bool leg)
{
    const char *name = leg ? "leg" : "back";
    size_t n = 0;
    for (size_t k = 0; k < in->npain; k++) {
        const tpt_pain_point *p = &in->pain[o[k].index];
        n += (leg ? p->leg : p->back) >= 0;
    }
    if (n == 0) return;
    double r = n <= 60 ? 3.2 : n <= 180 ? 2.2 : 1.4;
    if (n > 1) {
        tpt_buf_printf(b, "<polyline class=\"line %s%s\" points=\"", name, n > 180 ? " dense" : "");
        for (size_t k = 0; k < in->npain; k++) {
            const tpt_pain_point *p = &in->pain[o[k].index];
            double v = leg ? p->leg : p->back;
            if (v >= 0) tpt_buf_printf(b, "%.1f,%.1f ", x_of(a, p->time), y_of(v));
        }
        tpt_buf_puts(b, "\"/>");
    }
    for (size_t k = 0; k < in->npain; k++) {
        size_t i = o[k].index;
        const tpt_pain_point *p = &in->pain[i];
        double v = leg ? p->leg : p->back;
        if (v < 0) continue;
        double x = x_of(a, p->time), y = y_of(v);
        if (leg)
            tpt_buf_printf(b, "<circle class=\"pt leg\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\">", x, y,
                           r);
        else
            tpt_buf_printf(b,
                           "<rect class=\"pt back\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                           "height=\"%.1f\">",
                           x - r, y - r, 2 * r, 2 * r);
        tpt_buf_puts(b, "<title>");
        put_date_time(b, in, p->time);
        tpt_buf_element(b, ": ", leg ? W("leg pain") : W("back pain"), "");
        tpt_buf_printf(b, " %g", v);
        if (in->notes && in->notes[i] && *in->notes[i]) {
            tpt_buf_puts(b, " &#8212; ");
            tpt_buf_put_html(b, in->notes[i]);
        }
        tpt_buf_puts(b, leg ? "</title></circle>" : "</title></rect>");
    }
}

static bool is_sharp(const tpt_report_session *s)
{
    return s->end && strcmp(s->end, "sharp-or-new-pain") == 0;
}

static const char *end_words(const tpt_report_input *in, const char *end)
{
    if (!end) return W("not known");
    if (strcmp(end, "completed") == 0) return W("completed");
    if (strcmp(end, "stopped") == 0) return W("stopped early");
    if (strcmp(end, "sharp-or-new-pain") == 0) return W("stopped for sharp or new pain");
    return end;
}

/* A tick in the band under the plot for each session; one stopped for sharp
 * or new pain gets a red triangle and a dashed line across the plot. */
static void session_marks(tpt_buf *b, const tpt_report_input *in, const axis *a)
{
    for (size_t i = 0; i < in->nsessions; i++) {
        const tpt_report_session *s = &in->sessions[i];
        double x = x_of(a, s->time);
        if (is_sharp(s)) {
            tpt_buf_printf(b,
                           "<g class=\"sess sharp\"><line class=\"sharpline\" x1=\"%.1f\" "
                           "y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/><path d=\"M%.1f %dl-5 %dh10z\"/>",
                           x, PY0, x, PY1, x, SY0, SY1 - SY0);
        } else {
            tpt_buf_printf(b,
                           "<g class=\"sess\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
                           x, SY0, x, SY1);
        }
        tpt_buf_element(b, "<title>", W("Session"), " ");
        put_date_time(b, in, s->time);
        tpt_buf_element(b, ": ", end_words(in, s->end), "</title></g>");
    }
}

/* An SVG text at (x, y) with its words escaped; where it ends, roughly (the
 * page cannot measure text: an average width per character of 11px type). */
static int svg_text(tpt_buf *b, int x, int y, const char *words)
{
    tpt_buf_printf(b, "<text x=\"%d\" y=\"%d\">", x, y);
    tpt_buf_element(b, "", words, "</text>");
    int chars = 0;
    for (const char *p = words; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80; /* UTF-8: lead bytes only */
    return x + chars * 6;
}

/* The legend's items at their places, each moved right as far as the words
 * before it need (longer in another language than in English). */
static void legend(tpt_buf *b, const tpt_report_input *in, bool sessions)
{
    enum { GAP = 16 };
    int y = LEGEND_Y, x = PX0;
    tpt_buf_printf(b,
                   "<g class=\"legend\"><line class=\"line leg\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
                   "y2=\"%d\"/><circle class=\"leg\" cx=\"%d\" cy=\"%d\" r=\"3.2\"/>",
                   x, y, x + 26, y, x + 13, y);
    int end = svg_text(b, x + 32, y + 4, W("Leg pain"));
    x = end + GAP > PX0 + 110 ? end + GAP : PX0 + 110;
    tpt_buf_printf(b,
                   "<line class=\"line back\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                   "<rect class=\"back\" x=\"%.1f\" y=\"%.1f\" width=\"6.4\" height=\"6.4\"/>",
                   x, y, x + 26, y, x + 13 - 3.2, y - 3.2);
    end = svg_text(b, x + 32, y + 4, W("Back pain"));
    if (sessions) {
        x = end + GAP > PX0 + 230 ? end + GAP : PX0 + 230;
        tpt_buf_printf(b, "<g class=\"sess\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>",
                       x, y - 7, x, y + 7);
        end = svg_text(b, x + 8, y + 4, W("Session"));
        x = end + GAP > PX0 + 320 ? end + GAP : PX0 + 320;
        tpt_buf_printf(b, "<g class=\"sess sharp\"><path d=\"M%d %dl-5 %dh10z\"/></g>", x, y - 7,
                       SY1 - SY0);
        svg_text(b, x + 10, y + 4, W("Session stopped for sharp or new pain"));
    }
    tpt_buf_puts(b, "</g>");
}

static const char chart_style[] =
    "<style>"
    ".gy{stroke:#d0d7de;stroke-width:1}.gy0{stroke:#57606a;stroke-width:1}"
    ".gx{stroke:#e6e9ed;stroke-width:1}"
    ".line{fill:none;stroke-width:1.6;stroke-linejoin:round}"
    ".line.dense{stroke-width:1}.line.leg{stroke:#c2410c}.line.back{stroke:#1d4ed8;stroke-"
    "dasharray:5 3}"
    "circle.leg{fill:#c2410c}rect.back{fill:#1d4ed8}"
    ".pt{stroke:#fff;stroke-width:.6}"
    ".sess line{stroke:#57606a;stroke-width:1.2}"
    ".sess.sharp path{fill:#b42318}.sharpline{stroke:#b42318;stroke-dasharray:3 3}"
    ".band{fill:#f3f5f7}"
    "</style>";

static void pain_chart(tpt_buf *b, const tpt_report_input *in)
{
    size_t nleg = 0, nback = 0;
    for (size_t i = 0; i < in->npain; i++) {
        nleg += in->pain[i].leg >= 0;
        nback += in->pain[i].back >= 0;
    }
    if (in->npain == 0 && in->nsessions == 0) {
        tpt_buf_puts(b, "<p class=\"muted\">");
        put_with_command(b, W("No pain ratings yet: add them on the Log page, or with {command}."),
                         "tpt log --leg N --back N");
        tpt_buf_puts(b, "</p>");
        return;
    }
    order *o = calloc(in->npain + 1, sizeof *o);
    if (!o) {
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < in->npain; i++)
        o[i] = (order){in->pain[i].time, i};
    qsort(o, in->npain, sizeof *o, by_time);

    /* the range: the whole local days from the first to the last rating or session */
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < in->npain; i++) {
        lo = in->pain[i].time < lo ? in->pain[i].time : lo;
        hi = in->pain[i].time > hi ? in->pain[i].time : hi;
    }
    for (size_t i = 0; i < in->nsessions; i++) {
        lo = in->sessions[i].time < lo ? in->sessions[i].time : lo;
        hi = in->sessions[i].time > hi ? in->sessions[i].time : hi;
    }
    axis a = {day_start(in, local_day(in, lo)), day_start(in, local_day(in, hi) + 1)};

    tpt_buf_puts(b, "<figure class=\"chart\">");
    tpt_buf_printf(b,
                   "<svg class=\"pain\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                   "role=\"img\" aria-label=\"",
                   CW, CH, CW, CH);
    tpt_buf_element(b, "", W("Leg and back pain over time, 0 to 10"), "\">");
    tpt_buf_puts(b, chart_style);
    for (int v = 0; v <= 10; v += 2)
        tpt_buf_printf(b,
                       "<line class=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                       "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>",
                       v ? "gy" : "gy0", PX0, y_of(v), PX1, y_of(v), PX0 - 6, y_of(v) + 4, v);
    tpt_buf_printf(b,
                   "<text x=\"12\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 12 "
                   "%d)\">",
                   (PY0 + PY1) / 2, (PY0 + PY1) / 2);
    tpt_buf_element(b, "", W("pain (0 none, 10 worst)"), "</text>");
    time_ticks(b, in, &a);
    if (in->nsessions) {
        tpt_buf_printf(b,
                       "<rect class=\"band\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
                       "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
                       PX0, SY0, PX1 - PX0, SY1 - SY0, PX0 - 6, SY1 - 3);
        tpt_buf_element(b, "", W("sessions"), "</text>");
    }
    session_marks(b, in, &a);
    measure(b, in, &a, o, false);
    measure(b, in, &a, o, true);
    legend(b, in, in->nsessions > 0);
    tpt_buf_puts(b, "</svg><figcaption>");
    size_t nsharp = 0;
    for (size_t i = 0; i < in->nsessions; i++)
        nsharp += is_sharp(&in->sessions[i]);
    put_counts(b,
               nleg + nback == 1 ? W("{leg} leg and {back} back pain rating")
                                 : W("{leg} leg and {back} back pain ratings"),
               "leg", nleg, "back", nback);
    if (in->npain) {
        tpt_buf_element(b, " ", W("from"), " ");
        put_date(b, in, o[0].time);
        tpt_buf_element(b, " ", W("to"), " ");
        put_date(b, in, o[in->npain - 1].time);
    }
    tpt_buf_puts(b, "; ");
    put_count(b, in->nsessions, W("1 session"), W("{n} sessions"));
    if (nsharp) {
        tpt_buf_puts(b, ", ");
        put_counts(b, W("{n} stopped for sharp or new pain"), "n", nsharp, NULL, 0);
    }
    tpt_buf_element(b, ". ", W("Times are local"), "<span class=\"screen-only\">; ");
    tpt_buf_element(b, "", W("hover a mark for its value and note"),
                    "</span>.</figcaption></figure>");
    free(o);
}

/* ---- where the drawings marked pain ---- */

static int by_count(const void *a, const void *b)
{
    const order *x = a, *y = b; /* time holds the count */
    if (x->time != y->time) return x->time > y->time ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void region_table(tpt_buf *b, const tpt_report_input *in)
{
    const tpt_regions *r = in->regions;
    order *o = calloc(r->count + 1, sizeof *o);
    if (!o) {
        b->failed = 1;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        if (in->marks[i]) o[n++] = (order){in->marks[i], i};
    qsort(o, n, sizeof *o, by_count);
    tpt_buf_element(b, "<table class=\"regions\"><thead><tr><th>", W("Region"), "</th>");
    tpt_buf_element(b, "<th class=\"n\">", W("Drawings"), "</th><th></th></tr></thead><tbody>");
    for (size_t k = 0; k < n; k++) {
        const tpt_region *reg = &r->region[o[k].index];
        unsigned count = in->marks[o[k].index];
        tpt_buf_element(b, "<tr><td>", W(reg->label), "");
        if (reg->side != TPT_MIDLINE) tpt_buf_element(b, ", ", W(tpt_side_word(reg->side)), "");
        tpt_buf_element(b, " <span class=\"muted\">(", reg->id, ")</span></td>");
        tpt_buf_puts(b, "<td class=\"n\">");
        put_counts(b, W("{count} of {total}"), "count", count, "total", in->ndrawings);
        tpt_buf_printf(b, "</td><td><span class=\"bar\" style=\"width:%.1fem\"></span></td></tr>",
                       8.0 * count / (double)in->ndrawings);
    }
    tpt_buf_puts(b, "</tbody></table>");
    free(o);
}

/* The chart's SVG of one view, inline in the page. */
static int chart_view(tpt_buf *b, const tpt_report_input *in, const char *view, const double *heat)
{
    return tpt_chart_write_svg_in(in->chart, in->regions, view, heat, in->words, b);
}

static void body_views(tpt_buf *b, const tpt_report_input *in)
{
    double *heat = calloc(in->regions->count + 1, sizeof *heat);
    if (!heat) {
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < in->regions->count; i++)
        heat[i] = (double)in->marks[i] / (double)in->ndrawings;
    tpt_buf_puts(b, "<div class=\"views\">");
    for (size_t v = 0; v < in->chart->nviews; v++) {
        const tpt_chart_view *view = &in->chart->views[v];
        tpt_buf_puts(b, "<figure class=\"view\">");
        if (chart_view(b, in, view->id, heat) == TPT_ERR_NOMEM) b->failed = 1;
        tpt_buf_element(b, "<figcaption>", W(view->label), "</figcaption></figure>");
    }
    free(heat);
    /* the scale, in the chart's own colours */
    char c0[8], c1[8], c2[8];
    tpt_chart_heat_color(0, c0);
    tpt_chart_heat_color(0.5, c1);
    tpt_chart_heat_color(1, c2);
    tpt_buf_element(b, "</div><p class=\"scale\">", W("in no drawing"), "");
    tpt_buf_printf(b,
                   " <span class=\"ramp\" "
                   "style=\"background:linear-gradient(to right,%s,%s,%s)\"></span> ",
                   c0, c1, c2);
    tpt_buf_element(b, "", W("in every drawing"), "</p>");
}

static void heat_map(tpt_buf *b, const tpt_report_input *in)
{
    size_t nmarked = 0;
    for (size_t i = 0; in->regions && in->marks && i < in->regions->count; i++)
        nmarked += in->marks[i] > 0;
    if (in->ndrawings == 0 || nmarked == 0) {
        tpt_buf_puts(b, "<p class=\"muted\">");
        put_with_command(b, W("No pain drawings yet: save one with {command}."),
                         "tpt map --save MARK...");
        tpt_buf_puts(b, "</p>");
        return;
    }
    tpt_buf_puts(b, "<p>");
    put_counts(b,
               in->ndrawings == 1 ? nmarked == 1 ? W("{drawings} drawing marked {regions} region")
                                                 : W("{drawings} drawing marked {regions} regions")
               : nmarked == 1 ? W("{drawings} drawings marked {regions} region")
                                  : W("{drawings} drawings marked {regions} regions"),
               "drawings", in->ndrawings, "regions", nmarked);
    if (in->chart)
        tpt_buf_element(
            b, "; ", W("the larger the share of drawings that marked a region, the darker it is"),
            "");
    tpt_buf_puts(b, ".</p>");
    if (in->chart) body_views(b, in);
    region_table(b, in);
}

/* ---- the plan ---- */

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* "left side", "right side" of a side's word (tpt_side_word); the midline
 * is no side. */
static const char *side_words(const char *word)
{
    if (strcmp(word, "left") == 0) return TPT_TEXT("left side");
    if (strcmp(word, "right") == 0) return TPT_TEXT("right side");
    return TPT_TEXT("midline");
}

static void plan_section(tpt_buf *b, const tpt_report_input *in)
{
    const json_t *plan = in->plan;
    if (!plan) {
        tpt_buf_puts(b, "<p class=\"muted\">");
        put_with_command(b, W("No plan yet: make one on the Plan page, or with {command}."),
                         "tpt plan --screen FILE MARK...");
        tpt_buf_puts(b, "</p>");
        return;
    }
    const char *self_care = str(plan, "self_care");
    bool stop = !self_care || strcmp(self_care, "stop") == 0;
    /* a warning sign answered since the plan was made: no self-treatment
     * guidance, and not the plan's own all-clear either */
    bool on_hold = !stop && in->progress && in->progress->verdict == TPT_VERDICT_STOP;
    const char *care = stop                                     ? W("not advised")
                       : strcmp(self_care, "with-caution") == 0 ? W("with caution")
                                                                : W("allowed");
    tpt_buf_element(b, "<p>", W("Made"), " ");
    put_date(b, in, in->plan_time);
    tpt_buf_element(b, "; ", W("screen level"), " <strong>");
    tpt_buf_element(b, "",
                    str(plan, "level") ? code_words(in->words, level_codes, str(plan, "level"))
                                       : W("not known"),
                    "</strong>; ");
    tpt_buf_element(b, "", W("self-treatment"), " <strong>");
    if (on_hold) {
        tpt_buf_element(b, "", W("on hold"), "</strong> (");
        tpt_buf_fill_html(b, W("{care} when the plan was made"), (const char *[]){"care"},
                          (const char *[]){care}, 1);
        tpt_buf_puts(b, ")");
    } else {
        tpt_buf_element(b, "", care, "</strong>");
    }
    if (str(plan, "pattern")) {
        tpt_buf_element(b, "; ", W("pattern"), " ");
        tpt_buf_element(b, "", code_words(in->words, pattern_codes, str(plan, "pattern")), "");
    }
    tpt_buf_puts(b, ".</p>");
    if (on_hold)
        tpt_buf_element(b, "<div class=\"box v-stop\">",
                        W("The home program is on hold: a screen answered yes to a warning sign "
                          "(see Progress above)."),
                        "</div>");
    const json_t *advice = json_object_get(plan, "advice");
    for (size_t i = 0; !on_hold && i < json_array_size(advice); i++) {
        const char *text = json_string_value(json_array_get(advice, i));
        if (text)
            tpt_buf_element(b, stop ? "<div class=\"box v-stop\">" : "<div class=\"box\">", text,
                            "</div>");
    }
    const json_t *causes = json_object_get(plan, "causes");
    if (json_array_size(causes)) {
        tpt_buf_element(b, "<h3>", W("Likely causes"), "</h3><ul>");
        for (size_t i = 0; i < json_array_size(causes); i++) {
            const json_t *c = json_array_get(causes, i);
            const char *label = str(c, "label") ? str(c, "label") : str(c, "cause");
            tpt_buf_element(b, "<li>", label ? label : "?", "");
            if (tpt_side_id_word(str(c, "side")))
                tpt_buf_element(b, ", ", W(side_words(tpt_side_id_word(str(c, "side")))), "");
            const json_t *p = json_object_get(c, "probability");
            if (json_is_number(p))
                tpt_buf_printf(b, " <span class=\"muted\">(%.0f%%)</span>",
                               json_number_value(p) * 100);
            tpt_buf_puts(b, "</li>");
        }
        tpt_buf_puts(b, "</ul>");
    }
    const json_t *steps = json_object_get(json_object_get(plan, "home"), "steps");
    if (stop || on_hold || !json_array_size(steps)) return;
    tpt_buf_element(b, "<h3>", W("Home program"), "</h3><ol>");
    for (size_t i = 0; i < json_array_size(steps); i++) {
        const char *title = str(json_array_get(steps, i), "title");
        if (title) tpt_buf_element(b, "<li>", title, "</li>");
    }
    tpt_buf_puts(b, "</ol>");
}

/* ---- sessions ---- */

static void sessions_table(tpt_buf *b, const tpt_report_input *in)
{
    if (in->nsessions == 0) {
        tpt_buf_puts(b, "<p class=\"muted\">");
        put_with_command(b, W("No guided sessions yet: start one with {command}."),
                         "tpt session --plan FILE");
        tpt_buf_puts(b, "</p>");
        return;
    }
    order *o = calloc(in->nsessions, sizeof *o);
    if (!o) {
        b->failed = 1;
        return;
    }
    size_t completed = 0, stopped = 0, sharp = 0;
    for (size_t i = 0; i < in->nsessions; i++) {
        const tpt_report_session *s = &in->sessions[i];
        o[i] = (order){s->time, i};
        completed += s->end && strcmp(s->end, "completed") == 0;
        stopped += s->end && strcmp(s->end, "stopped") == 0;
        sharp += is_sharp(s);
    }
    qsort(o, in->nsessions, sizeof *o, by_time);
    tpt_buf_puts(b, "<p>");
    put_count(b, in->nsessions, W("1 session"), W("{n} sessions"));
    tpt_buf_puts(b, ": ");
    put_counts(b, W("{completed} completed, {stopped} stopped early"), "completed", completed,
               "stopped", stopped);
    tpt_buf_puts(b, sharp ? ", <span class=\"sharp\">" : ", ");
    put_counts(b, W("{n} stopped for sharp or new pain"), "n", sharp, NULL, 0);
    if (sharp) tpt_buf_puts(b, "</span>");
    size_t first = 0;
    if (in->nsessions > TPT_REPORT_SESSION_ROWS) {
        first = in->nsessions - TPT_REPORT_SESSION_ROWS;
        tpt_buf_puts(b, ". ");
        put_counts(b, W("The latest {n} are listed"), "n", TPT_REPORT_SESSION_ROWS, NULL, 0);
        put_with_command(b, W(" (all of them: {command})"), "tpt history session");
    }
    tpt_buf_puts(b, ".</p><table class=\"sessions\"><thead><tr>");
    tpt_buf_element(b, "<th>", W("Date"), "</th>");
    tpt_buf_element(b, "<th>", W("How it ended"), "</th>");
    tpt_buf_element(b, "<th class=\"n\">", W("Steps done"), "</th>");
    tpt_buf_element(b, "<th class=\"n\">", W("Pain before"), "</th>");
    tpt_buf_element(b, "<th class=\"n\">", W("Pain after"), "</th></tr></thead><tbody>");
    for (size_t k = first; k < in->nsessions; k++) {
        const tpt_report_session *s = &in->sessions[o[k].index];
        tpt_buf_puts(b, "<tr><td>");
        put_date_time(b, in, s->time);
        tpt_buf_puts(b, is_sharp(s) ? "</td><td class=\"sharp\">" : "</td><td>");
        tpt_buf_put_html(b, end_words(in, s->end));
        tpt_buf_puts(b, "</td><td class=\"n\">");
        if (s->steps_done >= 0 && s->steps_total >= 0)
            put_counts(b, W("{count} of {total}"), "count", (size_t)s->steps_done, "total",
                       (size_t)s->steps_total);
        else
            tpt_buf_puts(b, "&#8211;");
        if (s->pain_before >= 0)
            tpt_buf_printf(b, "</td><td class=\"n\">%d", s->pain_before);
        else
            tpt_buf_puts(b, "</td><td class=\"n\">&#8211;");
        if (s->pain_after >= 0)
            tpt_buf_printf(b, "</td><td class=\"n\">%d</td></tr>", s->pain_after);
        else
            tpt_buf_puts(b, "</td><td class=\"n\">&#8211;</td></tr>");
    }
    tpt_buf_puts(b, "</tbody></table>");
    free(o);
}

/* ---- progress ---- */

static void measure_row(tpt_buf *b, const tpt_report_input *in, const char *name,
                        const tpt_pain_change *m)
{
    tpt_buf_element(b, "<tr><td>", name, "</td>");
    if (m->count == 0) {
        tpt_buf_element(b, "<td colspan=\"5\" class=\"muted\">", W("not rated yet"), "</td></tr>");
        return;
    }
    tpt_buf_printf(b, "<td class=\"n\">%g</td><td class=\"n\">%g</td><td>", m->baseline, m->latest);
    double d = m->change_points;
    if (d == 0) {
        tpt_buf_put_html(b, W("no change"));
    } else {
        char points[32];
        snprintf(points, sizeof points, "%g", fabs(d));
        const char *names[] = {"n"}, *values[] = {points};
        tpt_buf_fill_html(b,
                          d < 0          ? fabs(d) == 1 ? W("down 1 point") : W("down {n} points")
                                   : fabs(d) == 1 ? W("up 1 point")
                                         : W("up {n} points"),
                          names, values, 1);
    }
    if (d != 0 && m->has_percent) tpt_buf_printf(b, " (%.0f%%)", fabs(m->change_percent));
    tpt_buf_printf(b, "</td><td class=\"n\">%g</td><td class=\"n\">%zu</td></tr>", m->best,
                   m->count);
}

static void progress_section(tpt_buf *b, const tpt_report_input *in)
{
    const tpt_progress *p = in->progress;
    if (!p) return;
    const char *name = tpt_verdict_name(p->verdict);
    tpt_buf_printf(b, "<div class=\"box v-%s\"><p class=\"verdict\">", name);
    tpt_buf_fill_html(b, W("Verdict: {verdict}"), (const char *[]){"verdict"},
                      (const char *[]){code_words(in->words, verdict_codes, name)}, 1);
    tpt_buf_element(b, "</p><p>", W(p->sentence), "</p>");
    if (p->advice) tpt_buf_element(b, "<p>", W(p->advice), "</p>");
    tpt_buf_puts(b, "</div>");
    if (p->verdict != TPT_VERDICT_STOP && p->nflags && in->flag_advice) {
        tpt_buf_puts(b, "<div class=\"box caution\"><p>");
        tpt_buf_fill_html(
            b, W("A screen answered yes to a warning sign ({level}):"), (const char *[]){"level"},
            (const char *[]){code_words(in->words, level_codes, tpt_level_name(p->flag_level))}, 1);
        tpt_buf_element(b, "</p><p>", W(in->flag_advice), "</p></div>");
    }
    if (p->new_numbness)
        tpt_buf_element(b, "<p>", W("A drawing marks numbness where the first one did not."),
                        "</p>");
    if (p->new_weakness)
        tpt_buf_element(b, "<p>", W("A screen answered yes to new or worsening weakness."), "</p>");
    if (!p->started) return;
    tpt_buf_element(b, "<p>", W("Since"), " ");
    put_date(b, in, p->start);
    tpt_buf_puts(b, ": ");
    put_count(b, (size_t)p->days, W("1 day"), W("{n} days"));
    tpt_buf_puts(b, ", ");
    put_count(b, p->sessions, W("1 session done"), W("{n} sessions done"));
    if (p->sharp_sessions) {
        tpt_buf_puts(b, " (");
        put_counts(b, W("{n} stopped for sharp or new pain"), "n", p->sharp_sessions, NULL, 0);
        tpt_buf_puts(b, ")");
    }
    tpt_buf_puts(b, ".</p><table class=\"figures\"><thead><tr>");
    tpt_buf_element(b, "<th>", W("Pain (0-10)"), "</th>");
    tpt_buf_element(b, "<th class=\"n\">", W("First"), "</th>");
    tpt_buf_element(b, "<th class=\"n\">", W("Latest"), "</th>");
    tpt_buf_element(b, "<th>", W("Change in pain"), "</th>");
    tpt_buf_element(b, "<th class=\"n\">", W("Best"), "</th>");
    tpt_buf_element(b, "<th class=\"n\">", W("Ratings"), "</th></tr></thead><tbody>");
    measure_row(b, in, W("Leg"), &p->leg);
    measure_row(b, in, W("Back"), &p->back);
    tpt_buf_puts(b, "</tbody></table>");
    if (in->rules) {
        char points[32], percent[32];
        snprintf(points, sizeof points, "%g", in->rules->mcid_points.value);
        snprintf(percent, sizeof percent, "%g", in->rules->mcid_percent.value);
        tpt_buf_puts(b, "<p class=\"muted\">");
        tpt_buf_fill_html(b,
                          W("A fall of {points} points or {percent}% is the smallest change that "
                            "matters to patients."),
                          (const char *[]){"points", "percent"}, (const char *[]){points, percent},
                          2);
        tpt_buf_puts(b, "</p>");
    }
}

/* ---- the page ---- */

static bool empty_record(const tpt_report_input *in)
{
    return in->npain == 0 && in->nsessions == 0 && in->ndrawings == 0 && !in->plan &&
           in->nmeasures == 0 && (!in->progress || in->progress->nflags == 0);
}

/* Closes the section before and opens the next under its heading. */
static void next_section(tpt_buf *b, const char *heading)
{
    tpt_buf_element(b, "</section><section><h2>", heading, "</h2>");
}

static void put_table_date(tpt_buf *b, int64_t t, const void *ctx)
{
    put_date(b, ctx, t);
}

int tpt_report_write_html(const tpt_report_input *in, tpt_buf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->data) b->data[0] = '\0';
    tpt_buf_printf(b,
                   "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">",
                   tpt_words_language(in->words));
    tpt_buf_element(b, "<title>", W("Progress report"), "");
    if (in->patient && *in->patient) tpt_buf_element(b, ": ", in->patient, "");
    tpt_buf_puts(b, ", ");
    put_date(b, in, in->now);
    tpt_buf_puts(b, "</title><style>");
    tpt_buf_puts(b, style);
    tpt_buf_puts(b, tpt_trend_table_css);
    tpt_buf_element(b, "</style></head><body><header><h1>", W("Sciatica progress report"),
                    "</h1><p class=\"sub\">");
    if (in->patient && *in->patient)
        tpt_buf_element(b, "<strong>", in->patient, "</strong> &#183; ");
    put_date(b, in, in->now);
    tpt_buf_element(b, " &#183; ", W("made by tpt from the record it keeps"), "</p></header>");
    if (empty_record(in)) {
        tpt_buf_element(b, "<div class=\"box\"><p class=\"verdict\">",
                        W("Nothing is recorded yet."), "</p><p>");
        const char *names[] = {"screen", "map", "log"},
                   *commands[] = {"tpt screen", "tpt map --save MARK...",
                                  "tpt log --leg N --back N"};
        put_with_commands(b,
                          W("Start with the warning signs, a pain drawing and daily pain ratings "
                            "(in the web application, or with {screen}, {map} and {log}); this "
                            "report fills in as you go."),
                          names, commands, 3);
        tpt_buf_puts(b, "</p></div>");
    } else {
        tpt_buf_element(b, "<section><h2>", W("Progress"), "</h2>");
        progress_section(b, in);
        next_section(b, W("Pain over time"));
        pain_chart(b, in);
        if (in->nmeasures) {
            next_section(b, W("Outcome measures"));
            tpt_trend_table_html(b, in->measures, in->nmeasures, W("First"), W("Latest"),
                                 put_table_date, in, in->words);
        }
        next_section(b, W("Where the drawings marked pain"));
        heat_map(b, in);
        next_section(b, W("Current plan"));
        plan_section(b, in);
        next_section(b, W("Sessions"));
        sessions_table(b, in);
        tpt_buf_puts(b, "</section>");
    }
    tpt_buf_element(b, "<footer><p>", W(TPT_NOT_A_DIAGNOSIS), "</p></footer></body></html>\n");
    return b->failed ? TPT_ERR_NOMEM : 0;
}
