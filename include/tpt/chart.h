/* The body chart: a drawing of every region in each view it is seen in
 * (data/chart.json), checked against the region table, and written as one
 * self-contained SVG per view, optionally coloured by a heat value per region
 * (docs/internals/chart.md). */
#ifndef TPT_CHART_H
#define TPT_CHART_H

#include <stddef.h>

#include "tpt/body.h"
#include "tpt/buf.h"
#include "tpt/error.h"
#include "tpt/words.h"

#define TPT_CHART_VIEWS 4             /* front, back, left, right: each exactly once */
#define TPT_CHART_SIZE_MAX 10000.0    /* bound on a view's width and height */
#define TPT_CHART_FILE_MAX (4u << 20) /* bytes of a chart file */

typedef struct tpt_chart_region {
    int region;    /* index in the region table the chart was loaded with */
    const char *d; /* SVG path data: absolute M, L, C, Q and Z, closed */
} tpt_chart_region;

typedef struct tpt_chart_view {
    const char *id;    /* "front", "back", "left", "right" */
    const char *label; /* "Front" */
    unsigned view;     /* the one TPT_VIEW_* bit of this view */
    double width, height;
    const char *outline; /* path data of the silhouette */
    size_t nregions;
    tpt_chart_region *regions; /* in drawing order */
} tpt_chart_view;

typedef struct tpt_chart {
    size_t nviews;
    tpt_chart_view views[TPT_CHART_VIEWS]; /* in file order */
    struct tpt__arena *arena;
} tpt_chart;

/* Loads a chart from JSON text and checks it against `regions`: every region
 * is drawn once in each view its `views` give and in no other. `name` is used
 * in messages as name:line:column. Returns NULL and fills err on failure; the
 * caller owns the result (tpt_chart_free). */
tpt_chart *tpt_chart_load(const tpt_regions *regions, const char *json, size_t len,
                          const char *name, tpt_error *err);
/* The chart compiled into the library. */
tpt_chart *tpt_chart_default(const tpt_regions *regions, tpt_error *err);
void tpt_chart_free(tpt_chart *chart);

/* The view with this id, or NULL. */
const tpt_chart_view *tpt_chart_view_find(const tpt_chart *chart, const char *id);

/* The fill of a heat value, "#rrggbb": white at 0 (or below, or NaN), amber at
 * 0.5, deep red at 1 (or above); darker as heat rises. `out` has room for 8. */
void tpt_chart_heat_color(double heat, char out[8]);

/* Appends one <svg> of a view, for use inline in an HTML page, to buf: the silhouette in light
 * grey, then each region as a <path data-region="id"> with a <title> of its
 * label, filled by heat[region index] (0..1; NULL: all white). `regions` must
 * be the table the chart was loaded with. Returns 0, TPT_ERR_INPUT for an
 * unknown view, or TPT_ERR_NOMEM. */
int tpt_chart_write_svg(const tpt_chart *chart, const tpt_regions *regions, const char *view,
                        const double *heat, tpt_buf *buf);
/* The same with its labels (the view's, the regions' and their sides) in the
 * language of `words` (NULL: English), for a page in that language. */
int tpt_chart_write_svg_in(const tpt_chart *chart, const tpt_regions *regions, const char *view,
                           const double *heat, const tpt_words *words, tpt_buf *buf);

#endif
