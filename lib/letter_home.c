/* The home program of a letter: its steps with their dose, and the body
 * chart with each trigger point to press coloured (lib/letters.c writes the
 * rest of the letter). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "letter_text.h"

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
    const char *kind = str(step, "kind"), *cause = str(step, "cause"), *side = str(step, "side");
    int c = in->atlas && cause ? tpt_atlas_find_cause(in->atlas, cause) : -1;
    if (!in->regions || c < 0 || !in->atlas->causes[c].site || !kind ||
        strcmp(kind, "pressure") != 0)
        return -1;
    const char *site = in->atlas->causes[c].site;
    int r = tpt_region_find(in->regions, site); /* a midline region has no side */
    if (r >= 0 || !tpt_side_id_word(side)) return r;
    char id[128];
    snprintf(id, sizeof id, "%s.%s", side, site);
    return tpt_region_find(in->regions, id);
}

static bool view_holds(const tpt_chart_view *v, int region)
{
    for (size_t i = 0; i < v->nregions; i++)
        if (v->regions[i].region == region) return true;
    return false;
}

/* The body chart with each pressure step's trigger point coloured, and the
 * list of the places under it. The front and back views are drawn where
 * they show a place; a side view only for a place neither shows. */
static void where_to_press(tpt_buf *b, const tpt_letter_input *in, const json_t *steps)
{
    if (!in->chart || !in->regions) return;
    size_t nsites = 0;
    int sites[TPT_MAX_REGIONS];
    double *heat = calloc(in->regions->count + 1, sizeof *heat);
    if (!heat) {
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < json_array_size(steps); i++) {
        int r = step_site(in, json_array_get(steps, i));
        if (r < 0 || heat[r] > 0) continue;
        heat[r] = 1;
        sites[nsites++] = r;
    }
    if (!nsites) {
        free(heat);
        return;
    }
    bool shown[TPT_CHART_VIEWS] = {false};
    for (size_t s = 0; s < nsites; s++) {
        bool front_or_back = false;
        for (size_t v = 0; v < in->chart->nviews; v++) {
            const tpt_chart_view *view = &in->chart->views[v];
            bool fb = view->view == TPT_VIEW_FRONT || view->view == TPT_VIEW_BACK;
            if (fb && view_holds(view, sites[s])) shown[v] = front_or_back = true;
        }
        for (size_t v = 0; !front_or_back && v < in->chart->nviews; v++)
            if (view_holds(&in->chart->views[v], sites[s])) {
                shown[v] = true;
                break;
            }
    }
    tpt_buf_puts(b, "<div class=\"chart\"><div class=\"views\">");
    for (size_t v = 0; v < in->chart->nviews; v++) {
        if (!shown[v]) continue;
        tpt_buf_puts(b, "<figure>");
        if (tpt_chart_write_svg(in->chart, in->regions, in->chart->views[v].id, heat, b) ==
            TPT_ERR_NOMEM)
            b->failed = 1;
        tpt_buf_element(b, "<figcaption>", in->chart->views[v].label, "</figcaption></figure>");
    }
    tpt_buf_puts(b, "</div><p class=\"sites-head\"><strong>Where to press</strong> (dark red on "
                    "the chart):</p><ul class=\"sites\">");
    for (size_t s = 0; s < nsites; s++) {
        tpt_buf_puts(b, "<li>");
        put_region(b, in->regions, in->regions->region[sites[s]].id);
        tpt_buf_puts(b, " &#8212; step");
        size_t n = 0;
        for (size_t i = 0; i < json_array_size(steps); i++)
            n += step_site(in, json_array_get(steps, i)) == sites[s];
        tpt_buf_printf(b, "%s ", n == 1 ? "" : "s");
        size_t k = 0;
        for (size_t i = 0; i < json_array_size(steps); i++)
            if (step_site(in, json_array_get(steps, i)) == sites[s])
                tpt_buf_printf(b, "%s%zu", k++ ? ", " : "", i + 1);
        tpt_buf_puts(b, "</li>");
    }
    tpt_buf_puts(b, "</ul></div>");
    free(heat);
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
