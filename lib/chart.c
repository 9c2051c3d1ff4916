#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/chart.h"
#include "validate.h"

static const struct {
    const char *id;
    unsigned bit;
} view_names[TPT_CHART_VIEWS] = {
    {"front", TPT_VIEW_FRONT},
    {"back", TPT_VIEW_BACK},
    {"left", TPT_VIEW_LEFT},
    {"right", TPT_VIEW_RIGHT},
};

/* "front, side" for a message: the views a region is drawn in. */
static void views_text(unsigned views, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < TPT_CHART_VIEWS && used < size; i++) {
        if (views & view_names[i].bit)
            used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ", " : "",
                                     view_names[i].id);
    }
}

/* ---- path data ----
 * Only what a chart needs and any SVG renderer draws alike: absolute M, L, C,
 * Q and Z with plain decimal numbers, every shape closed, every point inside
 * the view. Returns 0, or fills `why` with what is wrong. */

static int path_problem(const char *d, double width, double height, char *why, size_t size)
{
    const char *s = d;
    char cmd = 0;
    size_t count = 0, per = 0;
    int open = 0, started = 0;
    double x = 0;
    size_t x_at = 0;
    for (;;) {
        while (*s == ' ' || *s == ',' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        size_t at = (size_t)(s - d) + 1;
        bool number = *s == '-' || *s == '+' || *s == '.' || (*s >= '0' && *s <= '9');
        if (!number && *s && !strchr("MLCQZ", *s)) {
            if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
                snprintf(why, size,
                         "unexpected '%c' at character %zu (path data has numbers and the "
                         "absolute commands M, L, C, Q and Z only)",
                         *s, at);
            else
                snprintf(why, size,
                         "unexpected byte 0x%02x at character %zu (path data has numbers and the "
                         "absolute commands M, L, C, Q and Z only)",
                         (unsigned char)*s, at);
            return -1;
        }
        if (!number && cmd && per && (count == 0 || count % per != 0)) {
            snprintf(why, size, "'%c' takes %zu numbers per segment, %zu given", cmd, per, count);
            return -1;
        }
        if (*s == '\0') break;
        if (number) {
            if (!cmd) {
                snprintf(why, size, "path data must start with M");
                return -1;
            }
            if (per == 0) {
                snprintf(why, size, "'Z' takes no numbers (character %zu)", at);
                return -1;
            }
            const char *p = s;
            if (*p == '-' || *p == '+') p++;
            size_t digits = 0;
            while (*p >= '0' && *p <= '9')
                p++, digits++;
            if (*p == '.') {
                p++;
                while (*p >= '0' && *p <= '9')
                    p++, digits++;
            }
            if (digits == 0) {
                snprintf(why, size, "a number is expected at character %zu", at);
                return -1;
            }
            double v = strtod(s, NULL);
            if (count % 2 == 0) {
                x = v;
                x_at = at;
            } else if (x < 0 || x > width || v < 0 || v > height) {
                snprintf(why, size, "point (%g, %g) at character %zu is outside the %g x %g view",
                         x, v, x_at, width, height);
                return -1;
            }
            count++;
            s = p;
            continue;
        }
        switch (*s) {
        case 'M':
            if (open) {
                snprintf(why, size,
                         "a shape must be closed with Z before the next M (character %zu)", at);
                return -1;
            }
            open = 1;
            per = 2;
            break;
        case 'L':
            per = 2;
            break;
        case 'C':
            per = 6;
            break;
        case 'Q':
            per = 4;
            break;
        default: /* 'Z', the only command left */
            per = 0;
        }
        if (!started && *s != 'M') {
            snprintf(why, size, "path data must start with M");
            return -1;
        }
        if (*s != 'M' && !open) {
            snprintf(why, size, "'%c' at character %zu needs an M before it", *s, at);
            return -1;
        }
        if (*s == 'Z') open = 0;
        started = 1;
        cmd = *s++;
        count = 0;
    }
    if (!started) {
        snprintf(why, size, "path data must not be empty");
        return -1;
    }
    if (open) {
        snprintf(why, size, "every shape must be closed with Z");
        return -1;
    }
    return 0;
}

/* ---- loading ---- */

typedef struct loader {
    tpt__validator v;
    const tpt_regions *regions;
    tpt_chart *chart;
    unsigned char *seen; /* per region, in the view being loaded */
} loader;

static int get_path(loader *l, json_t *obj, const char *key, const tpt_chart_view *view,
                    const char **out)
{
    const char *d;
    char why[TPT_ERROR_MESSAGE_MAX];
    int rc = tpt__get_string(&l->v, obj, key, true, &d);
    if (rc) return rc;
    if (path_problem(d, view->width, view->height, why, sizeof why) != 0) {
        tpt__path_key(&l->v, key);
        return tpt__invalid(&l->v, "\"%s\": %s", key, why);
    }
    return tpt__copy(&l->v, l->chart->arena, d, out);
}

static int get_size(loader *l, json_t *obj, const char *key, double *out)
{
    json_t *value = json_object_get(obj, key);
    if (!value) return tpt__invalid(&l->v, "missing field \"%s\"", key);
    *out = json_is_number(value) ? json_number_value(value) : 0;
    if (!(*out > 0 && *out <= TPT_CHART_SIZE_MAX)) {
        tpt__path_key(&l->v, key);
        return tpt__invalid(&l->v, "\"%s\" must be a number above 0 (at most %g)", key,
                            TPT_CHART_SIZE_MAX);
    }
    return 0;
}

static int unknown_region(loader *l, const char *id)
{
    int near[1];
    if (tpt_region_suggest(l->regions, id, near, 1) == 1)
        return tpt__invalid(&l->v, "unknown region \"%s\" (did you mean \"%s\"?)", id,
                            l->regions->region[near[0]].id);
    return tpt__invalid(&l->v, "unknown region \"%s\" (tpt regions lists them all)", id);
}

static int load_region(loader *l, json_t *entry, const tpt_chart_view *view, tpt_chart_region *out)
{
    static const char *const keys[] = {"id", "d", NULL};
    tpt__validator *v = &l->v;
    const char *id;
    int rc;
    if (!json_is_object(entry)) return tpt__invalid(v, "a region of a view must be an object");
    if ((rc = tpt__only_keys(v, entry, keys)) || (rc = tpt__get_string(v, entry, "id", true, &id)))
        return rc;
    tpt__path_key(v, "id");
    int r = tpt_region_find(l->regions, id);
    if (r < 0) return unknown_region(l, id);
    const tpt_region *region = &l->regions->region[r];
    if (!(region->views & view->view)) {
        char views[64];
        views_text(region->views, views, sizeof views);
        return tpt__invalid(v, "region \"%s\" is not seen in the %s view (only %s)", id, view->id,
                            views);
    }
    if (l->seen[r])
        return tpt__invalid(v, "region \"%s\" is drawn twice in the %s view", id, view->id);
    l->seen[r] = 1;
    tpt__path_pop(v);
    out->region = r;
    return get_path(l, entry, "d", view, &out->d);
}

static int load_view(loader *l, json_t *obj, tpt_chart_view *view)
{
    static const char *const keys[] = {"id",      "label",   "width", "height",
                                       "outline", "regions", NULL};
    tpt__validator *v = &l->v;
    tpt_chart *chart = l->chart;
    const char *id, *label;
    json_t *regions;
    int rc;
    if (!json_is_object(obj)) return tpt__invalid(v, "a view must be an object");
    if ((rc = tpt__only_keys(v, obj, keys)) || (rc = tpt__get_string(v, obj, "id", true, &id)))
        return rc;
    for (size_t i = 0; i < TPT_CHART_VIEWS && !view->view; i++) {
        if (strcmp(id, view_names[i].id) == 0) {
            view->id = view_names[i].id;
            view->view = view_names[i].bit;
        }
    }
    tpt__path_key(v, "id");
    if (!view->view) return tpt__invalid(v, "unknown view \"%s\" (front, back, left, right)", id);
    if (tpt_chart_view_find(chart, id)) return tpt__invalid(v, "the %s view is drawn twice", id);
    tpt__path_pop(v);
    if ((rc = tpt__get_string(v, obj, "label", true, &label)) ||
        (rc = tpt__copy(v, chart->arena, label, &view->label)) ||
        (rc = get_size(l, obj, "width", &view->width)) ||
        (rc = get_size(l, obj, "height", &view->height)) ||
        (rc = get_path(l, obj, "outline", view, &view->outline)) ||
        (rc = tpt__get_array(v, obj, "regions", true, &regions)))
        return rc;

    size_t n = json_array_size(regions);
    tpt__path_key(v, "regions");
    view->regions = tpt__arena_alloc(chart->arena, (n + 1) * sizeof *view->regions);
    if (!view->regions) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    memset(l->seen, 0, l->regions->count);
    for (size_t i = 0; i < n; i++) {
        tpt__path_index(v, i);
        if ((rc = load_region(l, json_array_get(regions, i), view, &view->regions[i]))) return rc;
        view->nregions++;
        tpt__path_pop(v);
    }
    size_t missing = 0;
    const char *first = NULL;
    for (size_t r = 0; r < l->regions->count; r++) {
        if ((l->regions->region[r].views & view->view) && !l->seen[r]) {
            if (!first) first = l->regions->region[r].id;
            missing++;
        }
    }
    if (missing == 1) return tpt__invalid(v, "the %s view lacks region \"%s\"", view->id, first);
    if (missing > 1)
        return tpt__invalid(v, "the %s view lacks region \"%s\" and %zu more", view->id, first,
                            missing - 1);
    tpt__path_pop(v);
    return 0;
}

static int load_chart(loader *l, json_t *root)
{
    static const char *const keys[] = {"format", "version", "note", "views", NULL};
    tpt__validator *v = &l->v;
    const char *format, *note;
    json_t *views;
    int rc;
    if (!json_is_object(root)) return tpt__invalid(v, "the chart file must be a JSON object");
    if ((rc = tpt__only_keys(v, root, keys)) ||
        (rc = tpt__get_string(v, root, "format", true, &format)))
        return rc;
    if (strcmp(format, "tpt-chart") != 0) {
        tpt__path_key(v, "format");
        return tpt__invalid(v, "\"format\" must be \"tpt-chart\"");
    }
    json_t *version = json_object_get(root, "version");
    if (!json_is_integer(version) || json_integer_value(version) != 1) {
        tpt__path_key(v, "version");
        return tpt__invalid(v, "this tpt reads chart version 1");
    }
    if ((rc = tpt__get_string(v, root, "note", false, &note)) ||
        (rc = tpt__get_array(v, root, "views", true, &views)))
        return rc;
    tpt__path_key(v, "views");
    size_t n = json_array_size(views);
    for (size_t i = 0; i < n; i++) {
        tpt__path_index(v, i);
        if (i == TPT_CHART_VIEWS)
            return tpt__invalid(v, "a chart has the four views front, back, left and right");
        if ((rc = load_view(l, json_array_get(views, i), &l->chart->views[i]))) return rc;
        l->chart->nviews++;
        tpt__path_pop(v);
    }
    for (size_t i = 0; i < TPT_CHART_VIEWS; i++) {
        if (!tpt_chart_view_find(l->chart, view_names[i].id))
            return tpt__invalid(v, "the chart lacks the %s view", view_names[i].id);
    }
    tpt__path_pop(v);
    return 0;
}

tpt_chart *tpt_chart_load(const tpt_regions *regions, const char *json, size_t len,
                          const char *name, tpt_error *err)
{
    loader l = {.v = {.name = name, .text = json, .len = len, .err = err}, .regions = regions};
    if (len > TPT_CHART_FILE_MAX) {
        tpt__fail(err, TPT_ERR_DATA, "%s is larger than %u bytes", name, TPT_CHART_FILE_MAX);
        return NULL;
    }
    l.chart = calloc(1, sizeof *l.chart);
    l.seen = calloc(regions->count + 1, 1);
    if (!l.chart || !l.seen || !(l.chart->arena = tpt__arena_new())) {
        free(l.chart);
        free(l.seen);
        tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    json_t *root = tpt__parse_json(&l.v);
    int rc = root ? load_chart(&l, root) : TPT_ERR_DATA;
    json_decref(root);
    free(l.seen);
    if (rc) {
        tpt_chart_free(l.chart);
        return NULL;
    }
    return l.chart;
}

tpt_chart *tpt_chart_default(const tpt_regions *regions, tpt_error *err)
{
    return tpt_chart_load(regions, (const char *)tpt__data_chart, tpt__data_chart_len,
                          "data/chart.json", err);
}

void tpt_chart_free(tpt_chart *chart)
{
    if (!chart) return;
    tpt__arena_free(chart->arena);
    free(chart);
}

const tpt_chart_view *tpt_chart_view_find(const tpt_chart *chart, const char *id)
{
    for (size_t i = 0; i < chart->nviews; i++) {
        if (chart->views[i].id && strcmp(chart->views[i].id, id) == 0) return &chart->views[i];
    }
    return NULL;
}

/* ---- writing SVG ---- */

void tpt_chart_heat_color(double heat, char out[8])
{
    /* white -> amber -> deep red: every channel falls along both legs, so a
     * higher heat is never lighter */
    static const double stops[3][3] = {{255, 255, 255}, {245, 166, 35}, {139, 0, 0}};
    double h = heat > 0 ? (heat < 1 ? heat : 1) : 0; /* NaN is 0 */
    const double *a = h <= 0.5 ? stops[0] : stops[1], *b = h <= 0.5 ? stops[1] : stops[2];
    double t = h <= 0.5 ? h / 0.5 : (h - 0.5) / 0.5;
    int c[3];
    for (int i = 0; i < 3; i++)
        c[i] = (int)lround(a[i] + (b[i] - a[i]) * t);
    snprintf(out, 8, "#%02x%02x%02x", (unsigned)c[0], (unsigned)c[1], (unsigned)c[2]);
}

int tpt_chart_write_svg(const tpt_chart *chart, const tpt_regions *regions, const char *view,
                        const double *heat, tpt_buf *buf)
{
    return tpt_chart_write_svg_in(chart, regions, view, heat, NULL, buf);
}

int tpt_chart_write_svg_in(const tpt_chart *chart, const tpt_regions *regions, const char *view,
                           const double *heat, const tpt_words *words, tpt_buf *buf)
{
    const tpt_chart_view *v = tpt_chart_view_find(chart, view);
    if (!v) return TPT_ERR_INPUT;
    tpt_buf_printf(buf,
                   "<svg class=\"tpt-chart\" "
                   "data-view=\"%s\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" "
                   "role=\"img\" aria-label=\"",
                   v->id, v->width, v->height, v->width, v->height);
    tpt_buf_put_html(buf, tpt_word(words, v->label));
    tpt_buf_puts(buf, "\"><title>");
    tpt_buf_put_html(buf, tpt_word(words, v->label));
    tpt_buf_puts(buf, "</title>\n<path class=\"outline\" fill=\"#e6e6e6\" stroke=\"#b4b4b4\" "
                      "stroke-width=\"0.8\" stroke-linejoin=\"round\" d=\"");
    tpt_buf_puts(buf, v->outline); /* path data has no character that needs escaping */
    tpt_buf_puts(buf,
                 "\"/>\n<g stroke=\"#5f6368\" stroke-width=\"0.4\" stroke-linejoin=\"round\">\n");
    for (size_t i = 0; i < v->nregions; i++) {
        const tpt_chart_region *cr = &v->regions[i];
        const tpt_region *r = &regions->region[cr->region];
        char fill[8];
        tpt_chart_heat_color(heat ? heat[cr->region] : 0, fill);
        tpt_buf_puts(buf, "<path data-region=\"");
        tpt_buf_put_html(buf, r->id);
        tpt_buf_printf(buf, "\" fill=\"%s\" d=\"%s\"><title>", fill, cr->d);
        tpt_buf_put_html(buf, tpt_word(words, r->label));
        if (r->side != TPT_MIDLINE)
            tpt_buf_element(buf, " (", tpt_word(words, tpt_side_word(r->side)), ")");
        tpt_buf_puts(buf, "</title></path>\n");
    }
    tpt_buf_puts(buf, "</g></svg>\n");
    return buf->failed ? TPT_ERR_NOMEM : 0;
}
