/* The printable handout of a plan (tpt/handout.h). Every word goes through
 * the page's catalogue (tpt_word), the data's texts and the page's own. */
#include "tpt/handout.h"

#include <string.h>

#include "press_chart.h"
#include "tpt/error.h"
#include "tpt/notice.h"
#include "tpt/pictures.h"

/* A program of a few steps prints on one or two A4 or Letter pages, each
 * picture small beside its step. */
static const char style[] =
    "@page{size:auto;margin:14mm}"
    "*{box-sizing:border-box}"
    "body{font:10.5pt/1.4 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "color:#1b1f23;max-width:46rem;margin:1.5rem auto;padding:0 1rem}"
    "h1{font-size:1.45rem;margin:0 0 .2rem}"
    "h2{font-size:1.05rem;margin:1.1rem 0 .4rem;border-bottom:1px solid "
    "#c8ced6;padding-bottom:.15rem}"
    ".sub{color:#57606a;margin:0 0 .8rem}"
    ".advice{border-left:4px solid #2f6f4f;background:#eef6f1;padding:.5rem .8rem;margin:.5rem 0}"
    ".advice.stop{border-color:#b42318;background:#fdecea;font-weight:600}"
    ".advice.caution{border-color:#b7791f;background:#fff7e6}"
    "ol.steps{list-style:none;padding:0;margin:.3rem 0;counter-reset:step}"
    "ol.steps li{display:flex;gap:.8rem;align-items:flex-start;margin:.5rem 0;break-inside:avoid;"
    "counter-increment:step}"
    "ol.steps .pic svg{display:block;width:9rem;height:auto;border:1px solid #d0d7de;"
    "border-radius:4px}"
    "ol.steps strong::before{content:counter(step) '. '}"
    ".dose{display:inline-block;font-size:.9em;color:#2f4f6f;background:#eef3f8;"
    "border-radius:3px;padding:0 .35rem;margin-left:.3rem}"
    ".where,.careful{margin:.1rem 0}"
    ".careful{color:#8a3b12}"
    "ul{margin:.3rem 0;padding-left:1.2rem}"
    ".chart{break-inside:avoid;font-size:.88em;margin:.4rem 0}"
    ".views{display:flex;gap:.6rem;justify-content:flex-start}"
    ".views figure{margin:0;text-align:center}"
    ".views svg{display:block;height:14rem;width:auto}"
    ".sites-head{margin:.4rem 0 .1rem}ul.sites{padding-left:1rem;margin:0}"
    "footer{margin-top:1rem;font-size:.85em;color:#57606a;border-top:1px solid #c8ced6;"
    "padding-top:.4rem}"
    ".cols{display:grid;grid-template-columns:1fr 1fr;gap:0 1.2rem}"
    "@media (max-width:40rem){.cols{grid-template-columns:1fr}"
    "ol.steps li{flex-direction:column}}"
    "@media print{@page{margin:7mm}body{margin:0;max-width:none;font-size:7.6pt;line-height:1.22}"
    "h1{font-size:1.15rem}h2{font-size:.95rem;margin:.45rem 0 .2rem}p{margin:.3rem "
    "0}ol.steps{columns:2;column-gap:1.2rem}ol.steps li{margin:0 0 .35rem}"
    "ol.steps .pic svg{width:30mm}.views svg{height:48mm}"
    ".advice,.dose,svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

#define W(text) tpt_word(h->words, text)

/* A template's text with {name} put in from names[i] = values[i]. */
static void put_filled(tpt_buf *b, const char *template, const char *const *names,
                       const long *values, size_t n)
{
    char numbers[8][24];
    const char *texts[8];
    for (size_t i = 0; i < n && i < 8; i++) {
        snprintf(numbers[i], sizeof numbers[i], "%ld", values[i]);
        texts[i] = numbers[i];
    }
    tpt_buf_fill_html(b, template, names, texts, n < 8 ? n : 8);
}

static void dose(tpt_buf *b, const tpt_handout *h, const tpt_plan_step *s)
{
    static const char *const names[] = {"n", "hold", "rest", "minutes", "more", "most"};
    long values[] = {s->repeats,           s->hold_seconds,        s->rest_seconds,
                     s->hold_seconds / 60, s->weekly_seconds / 60, s->max_seconds / 60};
    tpt_buf_puts(b, "<span class=\"dose\">");
    if (s->kind == TPT_STEP_GENERAL && s->weekly_seconds)
        put_filled(b, W("week 1: {minutes} min, {more} min more each week, up to {most} min"),
                   names, values, 6);
    else if (s->kind == TPT_STEP_GENERAL)
        put_filled(b, s->hold_seconds % 60 ? W("{hold} s") : W("{minutes} min"), names, values, 6);
    else if (s->kind == TPT_STEP_PRESSURE)
        put_filled(b, W("{n} × {hold} s, {rest} s rest"), names, values, 6);
    else
        put_filled(b, W("hold {hold} s, {n} ×"), names, values, 6);
    tpt_buf_puts(b, "</span>");
}

static const char *side_id(tpt_side side)
{
    return side == TPT_RIGHT ? "r" : side == TPT_LEFT ? "l" : NULL;
}

/* The step's picture, inline; in another language its title is the step's
 * own words and the English description is left out. */
static void picture(tpt_buf *b, const tpt_handout *h, const tpt_plan_step *s)
{
    const char *svg = tpt_picture(s->id, NULL);
    if (!svg) return;
    /* inline in HTML an SVG needs no namespace */
    static const char xmlns[] = " xmlns=\"http://www.w3.org/2000/svg\"";
    const char *ns = strstr(svg, xmlns), *rest = svg;
    tpt_buf_puts(b, "<div class=\"pic\">");
    if (ns) {
        tpt_buf_printf(b, "%.*s", (int)(ns - svg), svg);
        rest = ns + strlen(xmlns);
    }
    const char *title = strstr(rest, "<title>"), *desc_end = strstr(rest, "</desc>");
    if (h->words && title && desc_end && title < desc_end) {
        tpt_buf_printf(b, "%.*s", (int)(title - rest), rest);
        tpt_buf_element(b, "<title>", W(s->title), "</title>");
        tpt_buf_puts(b, desc_end + strlen("</desc>"));
    } else {
        tpt_buf_puts(b, rest);
    }
    tpt_buf_puts(b, "</div>");
}

static void steps(tpt_buf *b, const tpt_handout *h)
{
    const tpt_plan *p = h->plan;
    const tpt_atlas *atlas = h->atlas;
    int sites[TPT_PLAN_MAX_STEPS];
    for (size_t i = 0; i < p->nsteps; i++)
        sites[i] =
            p->steps[i].kind == TPT_STEP_PRESSURE
                ? tpt__press_site(atlas, h->regions, p->steps[i].cause, side_id(p->steps[i].side))
                : -1;
    tpt__press_chart(b, h->chart, h->regions, sites, p->nsteps, h->words);
    tpt_buf_puts(b, "<ol class=\"steps\">");
    for (size_t i = 0; i < p->nsteps; i++) {
        const tpt_plan_step *s = &p->steps[i];
        tpt_buf_puts(b, "<li>");
        picture(b, h, s);
        tpt_buf_element(b, "<div><strong>", W(s->title), "</strong>");
        if (s->cause >= 0) {
            tpt_buf_puts(b, " (");
            tpt_buf_put_html(b, W(atlas->causes[s->cause].label));
            tpt_buf_element(b, ", ", W(tpt_side_word(s->side)), ")");
        }
        dose(b, h, s);
        if (s->placement) {
            tpt_buf_element(b, "<div class=\"where\"><em>", W("Where:"), "</em> ");
            tpt_buf_element(b, "", W(s->placement), "</div>");
        }
        tpt_buf_element(b, "<div>", W(s->instructions), "</div>");
        for (size_t k = 0; k < s->ncautions; k++)
            tpt_buf_element(b, "<div class=\"careful\">&#9888; ", W(s->cautions[k]), "</div>");
        tpt_buf_puts(b, "</div></li>");
    }
    tpt_buf_puts(b, "</ol>");
}

/* "For: the deep muscle in the middle of the buttock (Piriformis), right side; ..." */
static void causes(tpt_buf *b, const tpt_handout *h)
{
    const tpt_plan *p = h->plan;
    tpt_buf_element(b, "<p class=\"sub\">", W("For:"), " ");
    for (size_t i = 0; i < p->ncauses; i++) {
        const tpt_cause *c = &h->atlas->causes[p->causes[i].ref.cause];
        const char *lay = tpt_lay_name(h->words, c->id);
        if (i) tpt_buf_puts(b, "; ");
        if (lay) tpt_buf_element(b, "", lay, " (");
        tpt_buf_put_html(b, W(c->label));
        if (lay) tpt_buf_puts(b, ")");
        tpt_buf_element(b, ", ",
                        p->causes[i].ref.side == TPT_RIGHT ? W("right side") : W("left side"), "");
    }
    tpt_buf_puts(b, "</p>");
}

int tpt_plan_write_html(const tpt_handout *h, tpt_buf *b)
{
    const tpt_plan *p = h->plan;
    const tpt_techniques *t = h->techniques;
    const char *advice[16];
    size_t nadvice = tpt_plan_advice(p, h->atlas, advice, 16);
    const char *tone = !p->self_care                       ? "advice stop"
                       : p->screen.level == TPT_LEVEL_SOON ? "advice caution"
                                                           : "advice";
    const char *heading = p->self_care ? W("Your trigger point program") : W("See a doctor first");
    b->len = 0;
    b->failed = 0;
    tpt_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">",
                   tpt_words_language(h->words));
    tpt_buf_puts(b, "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    tpt_buf_element(b, "<title>", heading, "</title><style>");
    tpt_buf_puts(b, style);
    tpt_buf_element(b, "</style></head><body><main><h1>", heading, "</h1>");
    if (p->self_care && p->ncauses) causes(b, h);
    for (size_t i = 0; i < nadvice; i++) {
        tpt_buf_printf(b, "<div class=\"%s\">", i == 0 ? tone : "advice caution");
        tpt_buf_put_html(b, W(advice[i]));
        tpt_buf_puts(b, "</div>");
    }
    if (p->self_care) {
        static const char *const names[] = {"n"};
        long per_day = (long)t->sessions_per_day.value;
        tpt_buf_puts(b, "<h2>");
        put_filled(
            b, per_day == 1 ? W("Each session, once a day") : W("Each session, {n} times a day"),
            names, &per_day, 1);
        tpt_buf_element(b, "</h2><p><em>", W("How hard to press:"), "</em> ");
        tpt_buf_element(b, "", W(t->pressure.text), "</p>");
        steps(b, h);
        tpt_buf_element(b, "<div class=\"cols\"><section><h2>", W("Stop"), "</h2><ul>");
        for (size_t i = 0; i < t->nstop_rules; i++)
            tpt_buf_element(b, "<li>", W(t->stop_rules[i].text), "</li>");
        tpt_buf_element(b, "</ul></section><section><h2>", W("Every day"), "</h2><ul>");
        for (size_t i = 0; i < t->nhabits; i++)
            tpt_buf_element(b, "<li>", W(t->habits[i].text), "</li>");
        tpt_buf_puts(b, "</ul>");
        tpt_buf_element(b, "<h2>", W("What to expect"), "</h2>");
        tpt_buf_element(b, "<p>", W(t->course.advice), "</p></section></div>");
    } else {
        tpt_buf_element(b, "<p><strong>", W("No self-treatment while this stands."),
                        "</strong></p>");
    }
    tpt_buf_element(b, "</main><footer>", W(TPT_NOT_A_DIAGNOSIS), "</footer></body></html>\n");
    return b->failed ? TPT_ERR_NOMEM : 0;
}
