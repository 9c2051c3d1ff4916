/* The body chart: the built-in drawing shows every region in exactly the
 * views the region table gives it, bad charts are refused at
 * file:line:column, and the SVG writer draws each region of a view once,
 * escaped, darker as its heat rises. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/chart.h"

static tpt_regions *regions; /* the built-in table */
static tpt_regions *small;   /* a table of six regions for the hand-written charts */

/* A label with every character the writer must escape. */
static const char small_regions[] =
    "{\"format\": \"tpt-regions\", \"version\": 1,\n"
    " \"sided\": [\n"
    "  {\"part\": \"knee.outer\", \"label\": \"outer <side> & \\\"joint\\\"\", \"views\": "
    "[\"side\"], \"leg\": true},\n"
    "  {\"part\": \"calf.upper\", \"label\": \"calf\", \"views\": [\"back\"], \"leg\": true}],\n"
    " \"midline\": [\n"
    "  {\"id\": \"head\", \"label\": \"head\", \"views\": [\"front\", \"back\", \"side\"]},\n"
    "  {\"id\": \"perineum\", \"label\": \"saddle\", \"views\": [\"front\", \"back\"]}]}\n";

static const char base[] =
    "{\n"
    "  \"format\": \"tpt-chart\",\n"
    "  \"version\": 1,\n"
    "  \"views\": [\n"
    "    {\"id\": \"front\", \"label\": \"Front\", \"width\": 100, \"height\": 200,\n"
    "     \"outline\": \"M0,0L100,0 100,200 0,200Z\",\n"
    "     \"regions\": [{\"id\": \"head\", \"d\": \"M10,10L20,10 20,20Z\"},\n"
    "                 {\"id\": \"perineum\", \"d\": \"M30,30 L40,30 40,40 Z\"}]},\n"
    "    {\"id\": \"back\", \"label\": \"Back\", \"width\": 100, \"height\": 200,\n"
    "     \"outline\": \"M0,0L100,0 100,200 0,200Z\",\n"
    "     \"regions\": [{\"id\": \"head\", \"d\": \"M10,10L20,10 20,20Z\"},\n"
    "                 {\"id\": \"perineum\", \"d\": \"M30,30L40,30 40,40Z\"},\n"
    "                 {\"id\": \"l.calf.upper\", \"d\": \"M10,100L20,100 20,120Z\"},\n"
    "                 {\"id\": \"r.calf.upper\", \"d\": \"M60,100L70,100 70,120Z\"}]},\n"
    "    {\"id\": \"left\", \"label\": \"Left side\", \"width\": 100, \"height\": 200,\n"
    "     \"outline\": \"M0,0L100,0 100,200 0,200Z\",\n"
    "     \"regions\": [{\"id\": \"head\", \"d\": \"M10,10L20,10 20,20Z\"},\n"
    "                 {\"id\": \"l.knee.outer\", \"d\": \"M10,80Q20,70 30,80L20,90Z\"}]},\n"
    "    {\"id\": \"right\", \"label\": \"Right side\", \"width\": 100, \"height\": 200,\n"
    "     \"outline\": \"M0,0L100,0 100,200 0,200Z\",\n"
    "     \"regions\": [{\"id\": \"head\", \"d\": \"M10,10L20,10 20,20Z\"},\n"
    "                 {\"id\": \"r.knee.outer\", \"d\": \"M10,80C12,70 28,70 30,80L20,90Z\"}]}\n"
    "  ]\n"
    "}\n";

static int setup(void **state)
{
    (void)state;
    tpt_error err = {0};
    regions = tpt_regions_default(&err);
    small = tpt_regions_load(small_regions, strlen(small_regions), "small.json", &err);
    if (!regions || !small) fprintf(stderr, "%s\n", err.message);
    return regions && small ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tpt_regions_free(regions);
    tpt_regions_free(small);
    return 0;
}

static void default_chart_draws_each_region_in_its_views(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_chart *chart = tpt_chart_default(regions, &err);
    if (!chart) fail_msg("%s", err.message);
    assert_int_equal(chart->nviews, 4);
    static const struct {
        const char *id;
        unsigned bit;
    } views[] = {{"front", TPT_VIEW_FRONT},
                 {"back", TPT_VIEW_BACK},
                 {"left", TPT_VIEW_LEFT},
                 {"right", TPT_VIEW_RIGHT}};
    for (size_t v = 0; v < 4; v++) {
        const tpt_chart_view *view = tpt_chart_view_find(chart, views[v].id);
        assert_non_null(view);
        assert_int_equal(view->view, views[v].bit);
        assert_true(view->width > 0 && view->height > 0 && view->outline[0] == 'M');
        for (size_t r = 0; r < regions->count; r++) {
            size_t times = 0;
            for (size_t i = 0; i < view->nregions; i++)
                times += view->regions[i].region == (int)r;
            size_t want = (regions->region[r].views & views[v].bit) ? 1 : 0;
            if (times != want)
                fail_msg("%s is drawn %zu times in the %s view", regions->region[r].id, times,
                         views[v].id);
        }
    }
    /* the side convention of the table the chart follows */
    int sole = tpt_region_find(regions, "r.sole"), knee = tpt_region_find(regions, "l.knee.outer");
    assert_int_equal(regions->region[sole].views, TPT_VIEW_BACK);
    assert_int_equal(regions->region[knee].views, TPT_VIEW_LEFT);
    assert_null(tpt_chart_view_find(chart, "side"));
    tpt_chart_free(chart);
}

static void small_chart_loads(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_chart *chart = tpt_chart_load(small, base, strlen(base), "my.json", &err);
    if (!chart) fail_msg("%s", err.message);
    const tpt_chart_view *right = tpt_chart_view_find(chart, "right");
    assert_string_equal(right->label, "Right side");
    assert_int_equal(right->nregions, 2);
    assert_string_equal(small->region[right->regions[1].region].id, "r.knee.outer");
    assert_string_equal(right->regions[1].d, "M10,80C12,70 28,70 30,80L20,90Z");
    tpt_chart_free(chart);
}

/* `base` with the first `from` replaced by `to` must be refused with `message`. */
static void expect_refused(const char *from, const char *to, const char *message)
{
    char text[sizeof base + 256];
    const char *at = strstr(base, from);
    if (!at) fail_msg("test bug: \"%s\" is not in the base chart", from);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
    tpt_error err = {0};
    tpt_chart *chart = tpt_chart_load(small, text, strlen(text), "my.json", &err);
    if (chart) fail_msg("accepted: %s -> %s", from, to);
    assert_int_equal(err.status, TPT_ERR_DATA);
    if (strcmp(err.message, message) != 0)
        fail_msg("%s -> %s\n  got:  %s\n  want: %s", from, to, err.message, message);
}

static void bad_charts_are_located(void **state)
{
    (void)state;
    /* regions */
    expect_refused("\"r.knee.outer\"", "\"r.knee.outr\"",
                   "my.json:22:25: unknown region \"r.knee.outr\" (did you mean "
                   "\"r.knee.outer\"?)");
    expect_refused("\"l.knee.outer\"", "\"r.knee.outer\"",
                   "my.json:18:25: region \"r.knee.outer\" is not seen in the left view (only "
                   "right)");
    expect_refused("\"id\": \"perineum\", \"d\": \"M30,30 L40,30",
                   "\"id\": \"head\", \"d\": \"M30,30 L40,30",
                   "my.json:8:25: region \"head\" is drawn twice in the front view");
    expect_refused(
        ",\n                 {\"id\": \"r.calf.upper\", \"d\": \"M60,100L70,100 70,120Z\"}", "",
        "my.json:11:17: the back view lacks region \"r.calf.upper\"");
    expect_refused("{\"id\": \"head\", \"d\": \"M10,10L20,10 20,20Z\"},\n                 {\"id\": "
                   "\"perineum\", \"d\": \"M30,30 L40,30 40,40 Z\"}",
                   "", "my.json:7:17: the front view lacks region \"head\" and 1 more");
    /* path data */
    expect_refused("M10,10L20,10 20,20Z", "M10,10l20,10 20,20Z",
                   "my.json:7:38: \"d\": unexpected 'l' at character 7 (path data has numbers and "
                   "the absolute commands M, L, C, Q and Z only)");
    expect_refused("M30,30 L40,30 40,40 Z", "M30,30 L40,30 40,40",
                   "my.json:8:42: \"d\": every shape must be closed with Z");
    expect_refused(
        "M30,30 L40,30 40,40 Z", "M30,30 L40,30 40,40 M1,1L2,2Z",
        "my.json:8:42: \"d\": a shape must be closed with Z before the next M (character "
        "21)");
    expect_refused("M10,80C12,70 28,70 30,80L", "M10,80C12,70 28,70L",
                   "my.json:22:46: \"d\": 'C' takes 6 numbers per segment, 4 given");
    expect_refused("M10,100L20,100 20,120Z", "M10,100L20,100 20,220Z",
                   "my.json:13:46: \"d\": point (20, 220) at character 16 is outside the 100 x 200 "
                   "view");
    expect_refused("M10,10L20,10 20,20Z", "10,10L20,10 20,20Z",
                   "my.json:7:38: \"d\": path data must start with M");
    expect_refused("M0,0L100,0 100,200 0,200Z", "M0,0L100,0 100,200 0,200ZL1,1Z",
                   "my.json:6:17: \"outline\": 'L' at character 26 needs an M before it");
    expect_refused(
        "M0,0L100,0 100,200 0,200Z", "M0,0L1e2,0 100,200 0,200Z",
        "my.json:6:17: \"outline\": unexpected 'e' at character 7 (path data has numbers "
        "and the absolute commands M, L, C, Q and Z only)");
    /* views */
    expect_refused("\"id\": \"left\"", "\"id\": \"side\"",
                   "my.json:15:12: unknown view \"side\" (front, back, left, right)");
    expect_refused("\"id\": \"right\"", "\"id\": \"back\"",
                   "my.json:19:12: the back view is drawn twice");
    expect_refused("\"width\": 100, \"height\": 200,\n     \"outline\": \"M0,0L100,0 100,200 "
                   "0,200Z\",\n     \"regions\": [{\"id\": \"head\", \"d\": \"M10,10L20,10 "
                   "20,20Z\"},\n                 {\"id\": \"perineum\", \"d\": \"M30,30 L40",
                   "\"width\": 0, \"height\": 200,\n     \"outline\": \"M0,0L100,0 100,200 "
                   "0,200Z\",\n     \"regions\": [{\"id\": \"head\", \"d\": \"M10,10L20,10 "
                   "20,20Z\"},\n                 {\"id\": \"perineum\", \"d\": \"M30,30 L40",
                   "my.json:5:48: \"width\" must be a number above 0 (at most 10000)");
    expect_refused("},\n    {\"id\": \"right\"", "},\n    {\"id\": \"right\", \"x\": 1",
                   "my.json:19:26: unknown field \"x\"");
    expect_refused("\"format\": \"tpt-chart\"", "\"format\": \"tpt-regions\"",
                   "my.json:2:13: \"format\" must be \"tpt-chart\"");
    expect_refused("\"version\": 1", "\"version\": 2",
                   "my.json:3:14: this tpt reads chart version 1");
}

static void missing_view_is_refused(void **state)
{
    (void)state;
    char text[sizeof base];
    const char *cut = strstr(base, ",\n    {\"id\": \"right\""), *end = strstr(base, "\n  ]\n}");
    snprintf(text, sizeof text, "%.*s%s", (int)(cut - base), base, end);
    tpt_error err = {0};
    assert_null(tpt_chart_load(small, text, strlen(text), "my.json", &err));
    assert_string_equal(err.message, "my.json:4:12: the chart lacks the right view");
}

/* How often `needle` occurs in `hay`. */
static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void svg_has_every_region_of_the_view_once(void **state)
{
    (void)state;
    tpt_chart *chart = tpt_chart_default(regions, NULL);
    assert_non_null(chart);
    tpt_buf buf = {0};
    for (size_t v = 0; v < chart->nviews; v++) {
        const tpt_chart_view *view = &chart->views[v];
        buf.len = 0;
        assert_int_equal(tpt_chart_write_svg(chart, regions, view->id, NULL, &buf), 0);
        assert_true(strncmp(buf.data, "<svg class=\"tpt-chart\"", 22) == 0);
        assert_non_null(strstr(buf.data, "viewBox=\"0 0 200 520\""));
        assert_true(strcmp(buf.data + buf.len - 7, "</svg>\n") == 0);
        assert_int_equal(occurrences(buf.data, "class=\"outline\""), 1);
        assert_int_equal(occurrences(buf.data, "<path data-region="), view->nregions);
        assert_int_equal(occurrences(buf.data, "<title>"), view->nregions + 1);
        assert_null(strstr(buf.data, "http://www.w3.org/1999/xlink")); /* nothing from outside */
        assert_null(strstr(buf.data, "<script"));
        for (size_t r = 0; r < regions->count; r++) {
            char attr[128];
            snprintf(attr, sizeof attr, "data-region=\"%s\"", regions->region[r].id);
            assert_int_equal(occurrences(buf.data, attr),
                             (regions->region[r].views & view->view) ? 1 : 0);
        }
        assert_int_equal(occurrences(buf.data, "fill=\"#ffffff\""), view->nregions);
    }
    assert_non_null(strstr(buf.data, "<title>outer lower leg, upper half (right)</title>"));
    assert_int_equal(tpt_chart_write_svg(chart, regions, "top", NULL, &buf), TPT_ERR_INPUT);
    tpt_buf_free(&buf);
    tpt_chart_free(chart);
}

static void svg_escapes_labels(void **state)
{
    (void)state;
    tpt_chart *chart = tpt_chart_load(small, base, strlen(base), "my.json", NULL);
    assert_non_null(chart);
    tpt_buf buf = {0};
    assert_int_equal(tpt_chart_write_svg(chart, small, "left", NULL, &buf), 0);
    assert_non_null(strstr(buf.data, "<title>outer &lt;side&gt; &amp; &quot;joint&quot; "
                                     "(left)</title>"));
    assert_null(strstr(buf.data, "<side>"));
    assert_non_null(strstr(buf.data, "aria-label=\"Left side\"><title>Left side</title>"));
    assert_non_null(strstr(buf.data, "data-region=\"l.knee.outer\""));
    assert_null(strstr(buf.data, "r.knee.outer"));
    tpt_buf_free(&buf);
    tpt_chart_free(chart);
}

static double luminance(const char *hex)
{
    unsigned r, g, b;
    assert_int_equal(sscanf(hex, "#%02x%02x%02x", &r, &g, &b), 3);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/* The fill written for region `id` in the SVG text. */
static double fill_of(const char *svg, const char *id)
{
    char attr[128];
    snprintf(attr, sizeof attr, "data-region=\"%s\" fill=\"", id);
    const char *at = strstr(svg, attr);
    if (!at) fail_msg("no %s in the SVG", id);
    return luminance(at + strlen(attr));
}

static void hotter_is_darker(void **state)
{
    (void)state;
    char c[8];
    tpt_chart_heat_color(0, c);
    assert_string_equal(c, "#ffffff");
    tpt_chart_heat_color(NAN, c);
    assert_string_equal(c, "#ffffff");
    tpt_chart_heat_color(-2, c);
    assert_string_equal(c, "#ffffff");
    tpt_chart_heat_color(1, c);
    assert_string_equal(c, "#8b0000");
    tpt_chart_heat_color(7, c);
    assert_string_equal(c, "#8b0000");
    double last = 256;
    for (int i = 1; i <= 20; i++) {
        tpt_chart_heat_color(i / 20.0, c);
        double l = luminance(c);
        assert_true(l < last);
        last = l;
    }

    tpt_chart *chart = tpt_chart_default(regions, NULL);
    assert_non_null(chart);
    double *heat = calloc(regions->count, sizeof *heat);
    assert_non_null(heat);
    heat[tpt_region_find(regions, "r.thigh.outer.upper")] = 0.9;
    heat[tpt_region_find(regions, "r.leg.outer.lower")] = 0.3;
    heat[tpt_region_find(regions, "r.calf.upper")] = 0.6;
    tpt_buf buf = {0};
    assert_int_equal(tpt_chart_write_svg(chart, regions, "right", heat, &buf), 0);
    double hot = fill_of(buf.data, "r.thigh.outer.upper"),
           warm = fill_of(buf.data, "r.leg.outer.lower"), cold = fill_of(buf.data, "r.knee.outer");
    assert_true(hot < warm && warm < cold);
    assert_true(cold == luminance("#ffffff"));
    buf.len = 0;
    assert_int_equal(tpt_chart_write_svg(chart, regions, "back", heat, &buf), 0);
    assert_true(fill_of(buf.data, "r.calf.upper") < fill_of(buf.data, "l.calf.upper"));
    free(heat);
    tpt_buf_free(&buf);
    tpt_chart_free(chart);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_chart_draws_each_region_in_its_views),
        cmocka_unit_test(small_chart_loads),
        cmocka_unit_test(bad_charts_are_located),
        cmocka_unit_test(missing_view_is_refused),
        cmocka_unit_test(svg_has_every_region_of_the_view_once),
        cmocka_unit_test(svg_escapes_labels),
        cmocka_unit_test(hotter_is_darker),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
