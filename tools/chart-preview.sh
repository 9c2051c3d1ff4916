#!/bin/sh
# Renders the four views of the body chart side by side, with a few regions
# lit, to look at a change of data/chart.json or lib/chart.c:
#
#   tools/chart-preview.sh [OUT.png] [REGION=HEAT ...]
#
# The page is drawn by the library's own SVG writer (build/libtpt.a, so run
# `ninja -C build` first) with the chart file of the work tree; with chromium
# on the PATH it is also shot as OUT.png (default /tmp/chart.png). Without
# REGION=HEAT pairs the right outer thigh, calf and lower outer leg are lit,
# which shows the side convention at a glance.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/chart.png}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- r.thigh.outer.upper=1 r.calf.upper=0.7 r.leg.outer.lower=0.45 \
    r.buttock.center=0.85 l.shoulder=0.3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/preview.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/chart.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *text = malloc(8u << 20);
    *len = text ? fread(text, 1, (8u << 20) - 1, f) : 0;
    fclose(f);
    return text;
}

int main(int argc, char **argv)
{
    tpt_error err = {0};
    size_t len;
    char *text = slurp(argv[1], &len);
    tpt_regions *regions = tpt_regions_default(&err);
    tpt_chart *chart = text && regions ? tpt_chart_load(regions, text, len, argv[1], &err) : NULL;
    if (!chart) {
        fprintf(stderr, "%s\n", text ? err.message : "cannot read the chart");
        return 1;
    }
    double *heat = calloc(regions->count, sizeof *heat);
    for (int i = 2; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (eq) *eq = '\0';
        int r = tpt_region_find(regions, argv[i]);
        if (r < 0 || !eq) {
            fprintf(stderr, "not REGION=HEAT: %s\n", argv[i]);
            return 1;
        }
        heat[r] = atof(eq + 1);
    }
    tpt_buf buf = {0};
    tpt_buf_puts(&buf, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>tpt chart</title>"
                       "<style>body{margin:8px;display:flex;gap:10px;font:13px sans-serif}"
                       "svg{height:540px;width:auto}</style></head><body>\n");
    for (size_t v = 0; v < chart->nviews; v++) {
        tpt_buf_printf(&buf, "<figure style=\"margin:0;text-align:center\">");
        tpt_chart_write_svg(chart, regions, chart->views[v].id, heat, &buf);
        tpt_buf_printf(&buf, "<figcaption>%s</figcaption></figure>\n", chart->views[v].label);
    }
    tpt_buf_puts(&buf, "</body></html>\n");
    fputs(buf.data, stdout);
    return 0;
}
EOF
cc -std=c11 -O1 -I"$root/include" -o "$work/preview" "$work/preview.c" "$root/build/libtpt.a" \
    $(pkg-config --cflags --libs jansson) -lm
"$work/preview" "$root/data/chart.json" "$@" >"${out%.png}.html"
echo "${out%.png}.html"
if command -v chromium >/dev/null 2>&1; then
    chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$work/chromium" \
        --window-size=900,600 --screenshot="$out" "file://${out%.png}.html" 2>/dev/null
    echo "$out"
fi
