#include "tpt/handout.h"
#include "tpt/error.h"
#include "tpt/notice.h"

/* Kept small enough that a program of a few steps prints on one A4 or Letter page. */
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
    "ol.steps{padding-left:1.3rem;margin:.3rem 0}"
    "ol.steps li{margin:.35rem 0;break-inside:avoid}"
    ".dose{display:inline-block;font-size:.9em;color:#2f4f6f;background:#eef3f8;"
    "border-radius:3px;padding:0 .35rem;margin-left:.3rem}"
    ".where,.careful{margin:.1rem 0}"
    ".careful{color:#8a3b12}"
    "ul{margin:.3rem 0;padding-left:1.2rem}"
    "footer{margin-top:1rem;font-size:.85em;color:#57606a;border-top:1px solid #c8ced6;"
    "padding-top:.4rem}"
    ".cols{display:grid;grid-template-columns:1fr 1fr;gap:0 1.2rem}"
    "@media (max-width:40rem){.cols{grid-template-columns:1fr}}"
    "@media print{@page{margin:7mm}body{margin:0;max-width:none;font-size:7.6pt;line-height:1.22}"
    "h1{font-size:1.15rem}h2{font-size:.95rem;margin:.45rem 0 .2rem}p{margin:.3rem "
    "0}ol.steps{columns:2;column-gap:1.2rem}ol.steps li{margin:0 0 .3rem}"
    ".advice{padding:.3rem .6rem;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".dose{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

static void dose(tpt_buf *b, const tpt_plan_step *s)
{
    tpt_buf_puts(b, "<span class=\"dose\">");
    if (s->kind == TPT_STEP_GENERAL && s->weekly_seconds)
        tpt_buf_printf(b, "week 1: %ld min, %ld min more each week, up to %ld min",
                       s->hold_seconds / 60, s->weekly_seconds / 60, s->max_seconds / 60);
    else if (s->kind == TPT_STEP_GENERAL)
        tpt_buf_printf(b, s->hold_seconds % 60 ? "%ld s" : "%ld min",
                       s->hold_seconds % 60 ? s->hold_seconds : s->hold_seconds / 60);
    else if (s->kind == TPT_STEP_PRESSURE)
        tpt_buf_printf(b, "%ld &times; %ld s, %ld s rest", s->repeats, s->hold_seconds,
                       s->rest_seconds);
    else
        tpt_buf_printf(b, "hold %ld s, %ld &times;", s->hold_seconds, s->repeats);
    tpt_buf_puts(b, "</span>");
}

static void steps(tpt_buf *b, const tpt_atlas *atlas, const tpt_plan *p)
{
    tpt_buf_puts(b, "<ol class=\"steps\">");
    for (size_t i = 0; i < p->nsteps; i++) {
        const tpt_plan_step *s = &p->steps[i];
        tpt_buf_element(b, "<li><strong>", s->title, "</strong>");
        if (s->cause >= 0) {
            tpt_buf_puts(b, " (");
            tpt_buf_put_html(b, atlas->causes[s->cause].label);
            tpt_buf_printf(b, ", %s)", tpt_side_word(s->side));
        }
        dose(b, s);
        if (s->placement)
            tpt_buf_element(b, "<div class=\"where\"><em>Where:</em> ", s->placement, "</div>");
        tpt_buf_element(b, "<div>", s->instructions, "</div>");
        for (size_t k = 0; k < s->ncautions; k++)
            tpt_buf_element(b, "<div class=\"careful\">&#9888; ", s->cautions[k], "</div>");
        tpt_buf_puts(b, "</li>");
    }
    tpt_buf_puts(b, "</ol>");
}

int tpt_plan_write_html(const tpt_atlas *atlas, const tpt_techniques *t, const tpt_plan *p,
                        tpt_buf *b)
{
    const char *advice[16];
    size_t nadvice = tpt_plan_advice(p, atlas, advice, 16);
    const char *tone = !p->self_care                       ? "advice stop"
                       : p->screen.level == TPT_LEVEL_SOON ? "advice caution"
                                                           : "advice";
    b->len = 0;
    b->failed = 0;
    tpt_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                    "<title>Your trigger point program</title><style>");
    tpt_buf_puts(b, style);
    tpt_buf_puts(b, p->self_care ? "</style></head><body><h1>Your trigger point program</h1>"
                                 : "</style></head><body><h1>See a doctor first</h1>");
    if (p->self_care && p->ncauses) {
        tpt_buf_puts(b, "<p class=\"sub\">For: ");
        for (size_t i = 0; i < p->ncauses; i++) {
            if (i) tpt_buf_puts(b, "; ");
            tpt_buf_put_html(b, atlas->causes[p->causes[i].ref.cause].label);
            tpt_buf_printf(b, ", %s side", tpt_side_word(p->causes[i].ref.side));
        }
        tpt_buf_puts(b, "</p>");
    }
    for (size_t i = 0; i < nadvice; i++) {
        tpt_buf_printf(b, "<div class=\"%s\">", i == 0 ? tone : "advice caution");
        tpt_buf_put_html(b, advice[i]);
        tpt_buf_puts(b, "</div>");
    }
    if (p->self_care) {
        tpt_buf_printf(b, "<h2>Each session, %ld time%s a day</h2>",
                       (long)t->sessions_per_day.value, t->sessions_per_day.value == 1 ? "" : "s");
        tpt_buf_element(b, "<p><em>How hard to press:</em> ", t->pressure.text, "</p>");
        steps(b, atlas, p);
        tpt_buf_puts(b, "<div class=\"cols\"><section><h2>Stop</h2><ul>");
        for (size_t i = 0; i < t->nstop_rules; i++)
            tpt_buf_element(b, "<li>", t->stop_rules[i].text, "</li>");
        tpt_buf_puts(b, "</ul></section><section><h2>Every day</h2><ul>");
        for (size_t i = 0; i < t->nhabits; i++)
            tpt_buf_element(b, "<li>", t->habits[i].text, "</li>");
        tpt_buf_puts(b, "</ul>");
        tpt_buf_element(b, "<h2>What to expect</h2><p>", t->course.advice, "</p></section></div>");
    } else {
        tpt_buf_puts(b, "<p><strong>No self-treatment while this stands.</strong></p>");
    }
    tpt_buf_element(b, "<footer>", TPT_NOT_A_DIAGNOSIS, "</footer></body></html>\n");
    return b->failed ? TPT_ERR_NOMEM : 0;
}
