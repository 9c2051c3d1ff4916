/* tpt report: the record as one self-contained HTML page. This file gathers
 * plain values from the store (with tpt progress's gathering, so that both
 * judge the same record the same way); lib/report.c draws the page. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "tpt/report.h"

const char cmd_report_help[] =
    "usage: tpt report [--out FILE] [--db PATH]\n"
    "\n"
    "Writes your record as one HTML page that any browser shows and prints to a\n"
    "clean PDF: the progress verdict, leg and back pain over time as a chart with\n"
    "the sessions marked (those stopped for sharp or new pain in red), where your\n"
    "drawings marked pain and how often, the current plan, and the sessions. The\n"
    "page is self-contained: no scripts, fonts or links to load. Times are shown\n"
    "in your local time zone.\n"
    "\n"
    "options:\n"
    "  --out FILE  write the page to FILE (replaced whole) instead of standard output\n"
    "  --db PATH   the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "example:\n"
    "  tpt report --out report.html\n";

/* The drawings' marks counted per region, each region once per drawing. */
typedef struct mark_count {
    const tpt_regions *regions;
    unsigned *marks;
    unsigned char *seen; /* regions of the drawing being walked */
} mark_count;

static void count_mark(const char *text, void *ctx)
{
    mark_count *c = ctx;
    tpt_mark mark;
    tpt_error err = {0};
    /* a kept drawing was valid when kept; a region since renamed is left out */
    if (tpt_mark_parse(c->regions, text, &mark, &err) != 0 || mark.region < 0) return;
    if (!c->seen[mark.region]) c->marks[mark.region]++;
    c->seen[mark.region] = 1;
}

static int json_int(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (int)json_integer_value(v) : -1;
}

/* The session rows; their strings borrow from the gathered record. */
static void session_rows(const cli_progress_record *g, tpt_report_session *rows)
{
    for (size_t i = 0; i < g->nsessions; i++) {
        const json_t *body = g->session_bodies[i];
        rows[i] = (tpt_report_session){
            .time = g->sessions[i].time,
            .end = json_string_value(json_object_get(body, "end")),
            .steps_done = json_int(body, "steps_done"),
            .steps_total = json_int(body, "steps_total"),
            .pain_before = json_int(body, "pain_before"),
            .pain_after = json_int(body, "pain_after"),
        };
    }
}

/* The page to a file, written beside it and renamed over it so that an old
 * report is never left half-replaced (a device or a pipe is written in place). */
static int write_out(const char *path, const tpt_buf *html)
{
    struct stat st;
    int rc;
    if (!path) {
        fwrite(html->data, 1, html->len, stdout);
        return 0; /* main checks that standard output took it */
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        FILE *f = fopen(path, "w");
        rc = !f || fwrite(html->data, 1, html->len, f) != html->len;
        if (f && fclose(f) != 0) rc = 1;
    } else {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
        FILE *f = fopen(tmp, "w");
        rc = !f || fwrite(html->data, 1, html->len, f) != html->len;
        if (f && fclose(f) != 0) rc = 1;
        if (!rc && rename(tmp, path) != 0) rc = 1;
        if (rc) remove(tmp);
    }
    if (rc) {
        fprintf(stderr, "tpt: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

static long utc_offset(int64_t now)
{
    time_t t = (time_t)now;
    struct tm local;
    if (!localtime_r(&t, &local)) return 0;
    return local.tm_gmtoff;
}

static int report(tpt_store *store, int64_t patient, const tpt_progress_rules *rules,
                  const tpt_regions *regions, const tpt_chart *chart, const char *out)
{
    cli_progress_record g;
    int code = cli_progress_gather(store, patient, rules, &g);
    if (code) return code;
    char *name = tpt_store_patient_name(store, patient);
    int64_t now = (int64_t)time(NULL);

    tpt_report_session *rows = calloc(g.nsessions + 1, sizeof *rows);
    unsigned *marks = calloc(regions->count + 1, sizeof *marks);
    unsigned char *seen = calloc(regions->count + 1, 1);
    json_t *plan = NULL;
    int64_t plan_time = 0;
    size_t ndrawings = 0;
    tpt_buf html = {0};
    if (!rows || !marks || !seen) {
        fprintf(stderr, "tpt: out of memory\n");
        code = 1;
        goto done;
    }
    session_rows(&g, rows);
    mark_count count = {regions, marks, seen};
    for (size_t i = 0; i < g.records.count; i++) {
        const tpt_record *r = &g.records.items[i];
        if (r->kind == TPT_RECORD_DRAWING) {
            memset(seen, 0, regions->count);
            cli_drawing_each_mark(r->input, count_mark, &count);
            ndrawings++;
        } else if (r->kind == TPT_RECORD_PLAN && r->json) {
            json_t *p = json_loads(r->json, 0, NULL);
            if (p) { /* the latest that reads is the current one */
                json_decref(plan);
                plan = p;
                plan_time = cli_time_seconds(r->at);
            }
        }
    }

    tpt_progress_input pin;
    tpt_progress progress;
    cli_progress_input(&g, now, &pin);
    tpt_progress_evaluate(rules, &pin, &progress);
    tpt_report_input in = {
        /* the person using tpt alone is "me" in the record: no name to show */
        .patient = name && strcmp(name, "me") != 0 ? name : NULL,
        .now = now,
        .utc_offset = utc_offset(now),
        .pain = g.pain,
        .notes = g.notes,
        .npain = g.npain,
        .sessions = rows,
        .nsessions = g.nsessions,
        .regions = regions,
        .marks = marks,
        .ndrawings = ndrawings,
        .chart = chart,
        .plan = plan,
        .plan_time = plan_time,
        .progress = &progress,
        .rules = rules,
        .flag_advice = g.flag_advice,
    };
    if (tpt_report_write_html(&in, &html) != 0) {
        fprintf(stderr, "tpt: out of memory\n");
        code = 1;
    } else {
        code = write_out(out, &html);
    }
done:
    tpt_buf_free(&html);
    json_decref(plan);
    free(rows);
    free(marks);
    free(seen);
    free(name);
    cli_progress_record_free(&g);
    return code;
}

int cmd_report(int argc, char **argv)
{
    static const struct option options[] = {
        {"out", required_argument, NULL, 'o'},
        {"db", required_argument, NULL, 'd'},
        {0},
    };
    const char *db = NULL, *out = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        switch (opt) {
        case 'o':
            out = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case ':':
            return cli_usage("report", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_bad_option("report", argv);
        }
    }
    if (optind < argc) return cli_usage("report", "unexpected argument '%s'", argv[optind]);
    if (out && strcmp(out, "-") == 0) out = NULL;

    tpt_error err = {0};
    tpt_progress_rules *rules = tpt_progress_rules_default(&err);
    tpt_regions *regions = rules ? tpt_regions_default(&err) : NULL;
    if (!regions) {
        tpt_progress_rules_free(rules);
        return cli_report(&err);
    }
    /* without its body chart the report still lists the regions drawn */
    tpt_chart *chart = tpt_chart_default(regions, &err);
    if (!chart) fprintf(stderr, "tpt: warning: no body chart in the report: %s\n", err.message);
    tpt_store *store;
    int64_t patient;
    int code = cli_open_store(db, &store, &patient);
    if (!code) {
        code = report(store, patient, rules, regions, chart, out);
        tpt_store_close(store);
    }
    tpt_chart_free(chart);
    tpt_regions_free(regions);
    tpt_progress_rules_free(rules);
    return code;
}
