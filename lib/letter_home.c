/* The home program of a letter: its steps with their dose, and the body
 * chart with each trigger point to press coloured (lib/letters.c writes the
 * rest of the letter). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "letter_text.h"
#include "press_chart.h"

/* The latest plan's home steps, or NULL when there are none or none may be shown. */
static const json_t *home_steps(const tpt_letter_input *in)
{
    const char *care = str(in->plan, "self_care");
    if (flag_stops(in) || !care || strcmp(care, "stop") == 0) return NULL;
    const json_t *steps = at(in->plan, "home", "steps");
    return json_array_size(steps) ? steps : NULL;
}

/* The dose in the handout's words ("{n} × {hold} s, {rest} s rest"). */
static void dose(tpt_buf *b, const tpt_letter_input *in, const json_t *step)
{
    const char *kind = str(step, "kind");
    long hold = (long)json_integer_value(json_object_get(step, "hold_seconds")),
         numbers[] = {(long)json_integer_value(json_object_get(step, "repeats")), hold,
                      (long)json_integer_value(json_object_get(step, "rest_seconds")), hold / 60};
    char texts[4][24];
    const char *names[] = {"n", "hold", "rest", "minutes"}, *values[4];
    for (size_t i = 0; i < 4; i++) {
        snprintf(texts[i], sizeof texts[i], "%ld", numbers[i]);
        values[i] = texts[i];
    }
    const char *template = kind && strcmp(kind, "pressure") == 0
                               ? W("{n} × {hold} s, {rest} s rest")
                           : kind && strcmp(kind, "stretch") == 0 ? W("hold {hold} s, {n} ×")
                           : hold % 60                            ? W("{hold} s")
                                                                  : W("{minutes} min");
    tpt_buf_puts(b, "<span class=\"dose\">");
    tpt_buf_fill_html(b, template, names, values, 4);
    tpt_buf_puts(b, "</span>");
}

static const char *cause_label(const tpt_letter_input *in, const char *id)
{
    int c = in->atlas && id ? tpt_atlas_find_cause(in->atlas, id) : -1;
    return c >= 0 ? W(in->atlas->causes[c].label) : id;
}

/* The region a pressure step's trigger point lies in, or -1. */
static int step_site(const tpt_letter_input *in, const json_t *step)
{
    const char *kind = str(step, "kind"), *cause = str(step, "cause");
    if (!in->atlas || !cause || !kind || strcmp(kind, "pressure") != 0) return -1;
    return tpt__press_site(in->atlas, in->regions, tpt_atlas_find_cause(in->atlas, cause),
                           str(step, "side"));
}

/* The body chart with each pressure step's trigger point coloured, and the
 * list of the places under it. */
static void where_to_press(tpt_buf *b, const tpt_letter_input *in, const json_t *steps)
{
    size_t n = json_array_size(steps);
    int *sites = malloc((n + 1) * sizeof *sites);
    if (!sites) {
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        sites[i] = step_site(in, json_array_get(steps, i));
    tpt__press_chart(b, in->chart, in->regions, sites, n, in->words);
    free(sites);
}

/* The steps with the chart beside them; compact: without the instructions.
 * Closes the block the heading opened (tpt__letter_home_section) after its first paragraph. */
static void home_program(tpt_buf *b, const tpt_letter_input *in, const json_t *steps, bool compact)
{
    const json_t *home = at(in->plan, "home", NULL);
    json_int_t per_day = json_integer_value(json_object_get(home, "sessions_per_day"));
    tpt_buf_puts(b, "<p>");
    if (per_day > 0)
        put_n(b,
              per_day == 1 ? W("Each session in this order, once a day.")
                           : W("Each session in this order, {n} times a day."),
              (long)per_day);
    else
        tpt_buf_put_html(b, W("Each session in this order."));
    if (has_text(home, "pressure")) {
        tpt_buf_element(b, " <em>", W("How hard to press:"), "</em> ");
        tpt_buf_put_html(b, W(str(home, "pressure")));
    }
    tpt_buf_puts(b, "</p></div><div class=\"program\">"); /* the heading's block ends */
    where_to_press(b, in, steps);
    tpt_buf_puts(b, "<ol class=\"steps\">");
    for (size_t i = 0; i < json_array_size(steps); i++) {
        const json_t *s = json_array_get(steps, i);
        tpt_buf_element(b, "<li><strong>", W(str(s, "title")), "</strong>");
        if (str(s, "cause")) {
            tpt_buf_element(b, " (", cause_label(in, str(s, "cause")), "");
            if (tpt_side_id_word(str(s, "side")))
                tpt_buf_element(b, ", ", W(tpt_side_id_word(str(s, "side"))), "");
            tpt_buf_puts(b, ")");
        }
        dose(b, in, s);
        if (has_text(s, "placement")) {
            tpt_buf_element(b, "<div class=\"where\"><em>", W("Where:"), "</em> ");
            tpt_buf_element(b, "", W(str(s, "placement")), "</div>");
        }
        if (!compact && has_text(s, "instructions"))
            tpt_buf_element(b, "<div>", W(str(s, "instructions")), "</div>");
        tpt_buf_puts(b, "</li>");
    }
    tpt_buf_puts(b, "</ol></div>");
}

void tpt__letter_home_section(tpt_buf *b, const tpt_letter_input *in, const char *heading,
                              bool given, bool compact)
{
    /* the heading and what follows it first stay on one page */
    tpt_buf_element(b, "<section class=\"home\"><div class=\"keep\"><h2>", heading, "</h2>");
    const json_t *steps = home_steps(in);
    if (flag_stops(in)) {
        tpt_buf_element(b, "<p><strong>", W("No home program while the warning sign stands"),
                        "</strong> ");
        tpt_buf_element(b, "", W("(see above)."), "</p></div>");
    } else if (!given)
        tpt_buf_element(b, "<p>", W("No home program was given at this visit."), "</p></div>");
    else if (in->plan && str(in->plan, "self_care") &&
             strcmp(str(in->plan, "self_care"), "stop") == 0) {
        tpt_buf_puts(b, "<div class=\"box stop\">");
        const json_t *advice = json_object_get(in->plan, "advice");
        for (size_t i = 0; i < json_array_size(advice); i++)
            tpt_buf_element(b, "<p>", W(json_string_value(json_array_get(advice, i))), "</p>");
        tpt_buf_element(b, "<p><strong>", W("No self-treatment while this stands."),
                        "</strong></p></div></div>");
    } else if (!steps) /* given, but its plan waits for the safety questions */
        tpt_buf_element(b, "<p>",
                        W("Your home program is written into your record once the safety "
                          "questions are answered there: answer them in tpt, or ask at your next "
                          "visit."),
                        "</p></div>");
    else
        home_program(b, in, steps, compact);
    tpt_buf_puts(b, "</section>");
}
