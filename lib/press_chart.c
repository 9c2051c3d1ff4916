/* Where to press, drawn on the body chart (press_chart.h). */
#include "press_chart.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

int tpt__press_site(const tpt_atlas *atlas, const tpt_regions *regions, int cause, const char *side)
{
    if (!atlas || !regions || cause < 0 || !atlas->causes[cause].site) return -1;
    const char *site = atlas->causes[cause].site;
    int r = tpt_region_find(regions, site); /* a midline region has no side */
    if (r >= 0 || !tpt_side_id_word(side)) return r;
    char id[128];
    snprintf(id, sizeof id, "%s.%s", side, site);
    return tpt_region_find(regions, id);
}

static bool view_holds(const tpt_chart_view *v, int region)
{
    for (size_t i = 0; i < v->nregions; i++)
        if (v->regions[i].region == region) return true;
    return false;
}

/* A region by its label with its side ("Buttock, lower part (right)"). */
static void put_place(tpt_buf *b, const tpt_regions *regions, int r, const tpt_words *w)
{
    const char *label = tpt_word(w, regions->region[r].label);
    char first[2] = {label[0] >= 'a' && label[0] <= 'z' ? (char)(label[0] - 'a' + 'A') : label[0],
                     0};
    tpt_buf_put_html(b, first);
    if (*label) tpt_buf_put_html(b, label + 1);
    if (regions->region[r].side != TPT_MIDLINE) {
        tpt_buf_puts(b, " (");
        tpt_buf_put_html(b, tpt_word(w, tpt_side_word(regions->region[r].side)));
        tpt_buf_puts(b, ")");
    }
}

void tpt__press_chart(tpt_buf *b, const tpt_chart *chart, const tpt_regions *regions,
                      const int *site, size_t nsteps, const tpt_words *w)
{
    if (!chart || !regions) return;
    size_t nsites = 0;
    int sites[TPT_MAX_REGIONS];
    double *heat = calloc(regions->count + 1, sizeof *heat);
    if (!heat) {
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < nsteps; i++) {
        if (site[i] < 0 || heat[site[i]] > 0) continue;
        heat[site[i]] = 1;
        sites[nsites++] = site[i];
    }
    if (!nsites) {
        free(heat);
        return;
    }
    bool shown[TPT_CHART_VIEWS] = {false};
    for (size_t s = 0; s < nsites; s++) {
        bool front_or_back = false;
        for (size_t v = 0; v < chart->nviews; v++) {
            const tpt_chart_view *view = &chart->views[v];
            bool fb = view->view == TPT_VIEW_FRONT || view->view == TPT_VIEW_BACK;
            if (fb && view_holds(view, sites[s])) shown[v] = front_or_back = true;
        }
        for (size_t v = 0; !front_or_back && v < chart->nviews; v++)
            if (view_holds(&chart->views[v], sites[s])) {
                shown[v] = true;
                break;
            }
    }
    tpt_buf_puts(b, "<div class=\"chart\"><div class=\"views\">");
    for (size_t v = 0; v < chart->nviews; v++) {
        if (!shown[v]) continue;
        tpt_buf_puts(b, "<figure>");
        if (tpt_chart_write_svg_in(chart, regions, chart->views[v].id, heat, w, b) == TPT_ERR_NOMEM)
            b->failed = 1;
        tpt_buf_element(b, "<figcaption>", tpt_word(w, chart->views[v].label),
                        "</figcaption></figure>");
    }
    tpt_buf_element(b, "</div><p class=\"sites-head\"><strong>", tpt_word(w, "Where to press"),
                    "</strong> ");
    tpt_buf_element(b, "", tpt_word(w, "(dark red on the chart):"), "</p><ul class=\"sites\">");
    for (size_t s = 0; s < nsites; s++) {
        tpt_buf_puts(b, "<li>");
        put_place(b, regions, sites[s], w);
        size_t n = 0;
        for (size_t i = 0; i < nsteps; i++)
            n += site[i] == sites[s];
        tpt_buf_puts(b, " &#8212; ");
        tpt_buf_put_html(b, n == 1 ? tpt_word(w, "step") : tpt_word(w, "steps"));
        size_t k = 0;
        for (size_t i = 0; i < nsteps; i++)
            if (site[i] == sites[s]) tpt_buf_printf(b, "%s%zu", k++ ? ", " : " ", i + 1);
        tpt_buf_puts(b, "</li>");
    }
    tpt_buf_puts(b, "</ul></div>");
    free(heat);
}
