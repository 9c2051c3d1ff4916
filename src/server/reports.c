/* What a record adds up to: the progress verdict, the printable report and
 * the exports (CSV of the log or the sessions, and FHIR), each as the
 * command of the same name makes it, through the record layer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handlers.h"
#include "language.h"
#include "record/csv.h"
#include "record/fhir.h"
#include "record/progress_record.h"
#include "record/report_page.h"
#include "record/views.h"

void srv_record_progress(srv_ctx *c)
{
    tpt_error err = {0};
    tpt_progress_rules *rules = tpt_progress_rules_default(&err);
    tpt_progress_record g;
    if (!rules || tpt_progress_record_read(c->store, c->patient, rules, &g, &err) != 0) {
        srv_reply_internal(c->res, &err);
        tpt_progress_rules_free(rules);
        return;
    }
    tpt_progress_input in;
    tpt_progress p;
    tpt_progress_record_input(&g, srv_time(c), &in);
    tpt_progress_evaluate(rules, &in, &p);
    c->res->body = tpt_progress_json(rules, &p, g.flag_advice);
    tpt_progress_record_free(&g);
    tpt_progress_rules_free(rules);
    srv_record_audit(c, "read the progress");
}

void srv_record_report(srv_ctx *c)
{
    tpt_error err = {0};
    tpt_progress_rules *rules = tpt_progress_rules_default(&err);
    tpt_buf html = {0};
    /* in the request's language (?lang=, else Accept-Language), as the letters */
    tpt_report_sources src = {rules, c->data->regions, c->data->chart, c->data->instruments,
                              srv_words(c->data, c->req)};
    if (!rules || tpt_report_page(c->store, c->patient, &src, srv_time(c), &html, &err) != 0) {
        tpt_buf_free(&html);
        tpt_progress_rules_free(rules);
        srv_reply_internal(c->res, &err);
        return;
    }
    tpt_progress_rules_free(rules);
    srv_record_audit(c, "read the report");
    c->res->raw = html.data;
    c->res->raw_len = html.len;
    c->res->content_type = "text/html; charset=utf-8";
    /* the report is self-contained: its own styles, no scripts; the
     * progress page shows it in a frame */
    c->res->csp = SRV_PRINT_CSP;
}

void srv_record_csv(srv_ctx *c)
{
    const char *what = srv_request_arg(c->req, "what");
    bool sessions = what && strcmp(what, "sessions") == 0;
    if (what && !sessions && strcmp(what, "log") != 0) {
        srv_reply_error(c->res, 400, "invalid-field", "what", "\"what\" is log or sessions");
        return;
    }
    tpt_buf csv = {0};
    tpt_error err = {0};
    if ((sessions ? tpt_csv_sessions : tpt_csv_log)(c->store, c->patient, &csv, &err) != 0) {
        tpt_buf_free(&csv);
        srv_reply_internal(c->res, &err);
        return;
    }
    srv_record_audit(c, sessions ? "exported the sessions as CSV" : "exported the log as CSV");
    c->res->raw = csv.data; /* handed over */
    c->res->raw_len = csv.len;
    c->res->content_type = "text/csv; charset=utf-8; header=present";
    snprintf(c->res->disposition, sizeof c->res->disposition,
             "attachment; filename=\"tpt-%lld-%s.csv\"", (long long)c->patient,
             sessions ? "sessions" : "log");
}

void srv_record_fhir(srv_ctx *c)
{
    tpt_log_list log;
    tpt_record_list records;
    tpt_error err = {0};
    if (tpt_store_log_list(c->store, c->patient, &log, &err) != 0) {
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    if (tpt_store_record_list(c->store, c->patient, -1, &records, &err) != 0) {
        tpt_log_list_free(&log);
        srv_reply_failed(c->res, &err, NULL);
        return;
    }
    tpt_measure_list measures = {0};
    tpt_store_measure_list(c->store, c->patient, &measures, NULL); /* none on failure */
    json_t *bundle = tpt_fhir_bundle(&log, &records, &measures, NULL);
    tpt_measure_list_free(&measures);
    tpt_log_list_free(&log);
    tpt_record_list_free(&records);
    char *text = bundle ? json_dumps(bundle, JSON_INDENT(2)) : NULL;
    json_decref(bundle);
    if (!text) {
        srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
        return;
    }
    srv_record_audit(c, "exported the record as FHIR");
    c->res->raw = text;
    c->res->raw_len = strlen(text);
    c->res->content_type = "application/fhir+json; charset=utf-8";
    snprintf(c->res->disposition, sizeof c->res->disposition,
             "attachment; filename=\"tpt-%lld-fhir.json\"", (long long)c->patient);
}
