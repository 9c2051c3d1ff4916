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

static void dose(tpt_buf *b, const json_t *step)
{
    const char *kind = str(step, "kind");
    long hold = (long)json_integer_value(json_object_get(step, "hold_seconds")),
         rest = (long)json_integer_value(json_object_get(step, "rest_seconds")),
         repeats = (long)json_integer_value(json_object_get(step, "repeats"));
    tpt_buf_puts(b, "<span class=\"dose\">");
    if (kind && strcmp(kind, "pressure") == 0)
        tpt_buf_printf(b, "%ld &times; %ld s, %ld s rest", repeats, hold, rest);
    else if (kind && strcmp(kind, "stretch") == 0)
        tpt_buf_printf(b, "hold %ld s, %ld &times;", hold, repeats);
    else if (hold % 60)
        tpt_buf_printf(b, "%ld s", hold);
    else
        tpt_buf_printf(b, "%ld min", hold / 60);
    tpt_buf_puts(b, "</span>");
}

static const char *cause_label(const tpt_letter_input *in, const char *id)
{
    int c = in->atlas && id ? tpt_atlas_find_cause(in->atlas, id) : -1;
    return c >= 0 ? in->atlas->causes[c].label : id;
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
    tpt__press_chart(b, in->chart, in->regions, sites, n, NULL);
    free(sites);
}

/* The steps with the chart beside them; compact: without the instructions.
 * Closes the block the heading opened (tpt__letter_home_section) after its first paragraph. */
static void home_program(tpt_buf *b, const tpt_letter_input *in, const json_t *steps, bool compact)
{
    const json_t *home = at(in->plan, "home", NULL);
    json_int_t per_day = json_integer_value(json_object_get(home, "sessions_per_day"));
    if (per_day > 0)
        tpt_buf_printf(b, "<p>Each session in this order, %lld time%s a day.", (long long)per_day,
                       plural((long)per_day));
    else
        tpt_buf_puts(b, "<p>Each session in this order.");
    if (has_text(home, "pressure"))
        tpt_buf_element(b, " <em>How hard to press:</em> ", str(home, "pressure"), "");
    tpt_buf_puts(b, "</p></div><div class=\"program\">"); /* the heading's block ends */
    where_to_press(b, in, steps);
    tpt_buf_puts(b, "<ol class=\"steps\">");
    for (size_t i = 0; i < json_array_size(steps); i++) {
        const json_t *s = json_array_get(steps, i);
        tpt_buf_element(b, "<li><strong>", str(s, "title"), "</strong>");
        if (str(s, "cause")) {
            tpt_buf_element(b, " (", cause_label(in, str(s, "cause")), "");
            if (tpt_side_id_word(str(s, "side")))
                tpt_buf_printf(b, ", %s", tpt_side_id_word(str(s, "side")));
            tpt_buf_puts(b, ")");
        }
        dose(b, s);
        if (has_text(s, "placement"))
            tpt_buf_element(b, "<div class=\"where\"><em>Where:</em> ", str(s, "placement"),
                            "</div>");
        if (!compact && has_text(s, "instructions"))
            tpt_buf_element(b, "<div>", str(s, "instructions"), "</div>");
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
    if (flag_stops(in))
        tpt_buf_puts(b, "<p><strong>No home program while the warning sign stands</strong> "
                        "(see above).</p></div>");
    else if (!given)
        tpt_buf_puts(b, "<p>No home program was given at this visit.</p></div>");
    else if (in->plan && str(in->plan, "self_care") &&
             strcmp(str(in->plan, "self_care"), "stop") == 0) {
        tpt_buf_puts(b, "<div class=\"box stop\">");
        const json_t *advice = json_object_get(in->plan, "advice");
        for (size_t i = 0; i < json_array_size(advice); i++)
            tpt_buf_element(b, "<p>", json_string_value(json_array_get(advice, i)), "</p>");
        tpt_buf_puts(b, "<p><strong>No self-treatment while this stands.</strong></p></div></div>");
    } else if (!steps) /* given, but its plan waits for the safety questions */
        tpt_buf_puts(b, "<p>Your home program is written into your record once the safety "
                        "questions are answered there: answer them in tpt, or ask at your next "
                        "visit.</p></div>");
    else
        home_program(b, in, steps, compact);
    tpt_buf_puts(b, "</section>");
}
