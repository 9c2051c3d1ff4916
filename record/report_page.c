/* The report page (record/report_page.h): the record gathered into the
 * plain input of lib/report.c. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record/internal.h"
#include "record/progress_record.h"
#include "record/report_page.h"
#include "record/views.h"
#include "tpt/report.h"
#include "tpt/time.h"

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
static void session_rows(const tpt_progress_record *g, tpt_report_session *rows)
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

long tpt__utc_offset(int64_t now)
{
    time_t t = (time_t)now;
    struct tm local;
    if (!localtime_r(&t, &local)) return 0;
    return local.tm_gmtoff;
}

int tpt_report_page(tpt_store *store, int64_t patient, const tpt_report_sources *src, int64_t now,
                    tpt_buf *html, tpt_error *err)
{
    const tpt_regions *regions = src->regions;
    const tpt_instruments *instruments = src->instruments;
    tpt_progress_record g;
    int code = tpt_progress_record_read(store, patient, src->rules, &g, err);
    if (code) return code;
    tpt_measure_list measures = {0};
    tpt_measure_trend trends[TPT_INSTRUMENTS_MAX];
    json_t *trend_json = NULL;
    size_t ntrends = 0;
    if (instruments && (code = tpt_store_measure_list(store, patient, &measures, err)) != 0) {
        tpt_progress_record_free(&g);
        return code;
    }
    if (instruments) {
        trend_json = tpt_measure_trends_json(instruments, &measures);
        ntrends = tpt_measure_trends(instruments, trend_json, trends, TPT_INSTRUMENTS_MAX);
    }
    char *name = tpt_store_patient_name(store, patient);

    tpt_report_session *rows = calloc(g.nsessions + 1, sizeof *rows);
    unsigned *marks = calloc(regions->count + 1, sizeof *marks);
    unsigned char *seen = calloc(regions->count + 1, 1);
    json_t *plan = NULL;
    int64_t plan_time = 0;
    size_t ndrawings = 0;
    if (!rows || !marks || !seen) {
        code = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
        goto done;
    }
    session_rows(&g, rows);
    mark_count count = {regions, marks, seen};
    for (size_t i = 0; i < g.records.count; i++) {
        const tpt_record *r = &g.records.items[i];
        if (r->kind == TPT_RECORD_DRAWING) {
            memset(seen, 0, regions->count);
            tpt_drawing_each_mark(r->input, count_mark, &count);
            ndrawings++;
        } else if (r->kind == TPT_RECORD_PLAN && r->json) {
            json_t *p = json_loads(r->json, 0, NULL);
            if (p) { /* the latest that reads is the current one */
                json_decref(plan);
                plan = p;
                plan_time = tpt__seconds_of(r->at);
            }
        }
    }

    /* the plan's texts (advice, causes, steps) in the page's language */
    if (plan) tpt_words_translate(src->words, plan);
    tpt_progress_input pin;
    tpt_progress progress;
    tpt_progress_record_input(&g, now, &pin);
    tpt_progress_evaluate(src->rules, &pin, &progress);
    tpt_report_input in = {
        /* the person using tpt alone is "me" in the record: no name to show */
        .patient = name && strcmp(name, "me") != 0 ? name : NULL,
        .now = now,
        .utc_offset = tpt__utc_offset(now),
        .pain = g.pain,
        .notes = g.notes,
        .npain = g.npain,
        .sessions = rows,
        .nsessions = g.nsessions,
        .regions = regions,
        .marks = marks,
        .ndrawings = ndrawings,
        .chart = src->chart,
        .plan = plan,
        .plan_time = plan_time,
        .progress = &progress,
        .rules = src->rules,
        .flag_advice = g.flag_advice,
        .measures = trends,
        .nmeasures = ntrends,
        .words = src->words,
    };
    if (tpt_report_write_html(&in, html) != 0)
        code = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
done:
    json_decref(plan);
    json_decref(trend_json);
    tpt_measure_list_free(&measures);
    free(rows);
    free(marks);
    free(seen);
    free(name);
    tpt_progress_record_free(&g);
    return code;
}
