/* Printable letters of a record (GET /patients/ID/letters/NAME): a visit's
 * summary for the patient (visit-N), a summary letter to the referring
 * doctor (doctor) and a discharge summary (discharge), each in the
 * request's language (?lang=, else Accept-Language). The record layer
 * gathers what the record holds (record/letter_record.c); lib/letters.c
 * writes the page. Admins and practitioners only (the route checks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handlers.h"
#include "language.h"
#include "record/letter_record.h"

typedef enum letter { LETTER_VISIT, LETTER_DOCTOR, LETTER_DISCHARGE } letter;

/* "visit-3" -> 3; 0 when not a visit's letter. */
static int visit_number(const char *name)
{
    if (strncmp(name, "visit-", 6) != 0 || name[6] < '1' || name[6] > '9') return 0;
    char *end;
    long n = strtol(name + 6, &end, 10);
    return *end || n > 100000 ? 0 : (int)n;
}

void srv_record_letter(srv_ctx *c)
{
    const char *name = c->rest;
    static const char *const actions[] = {"printed the visit summary",
                                          "printed the letter to the referring doctor",
                                          "printed the discharge summary"};
    int number = visit_number(name);
    int which = number                           ? LETTER_VISIT
                : strcmp(name, "doctor") == 0    ? LETTER_DOCTOR
                : strcmp(name, "discharge") == 0 ? LETTER_DISCHARGE
                                                 : -1;
    if (which < 0) {
        srv_reply_error(c->res, 404, "not-found", NULL,
                        "no letter '%s': the letters are visit-N, doctor and discharge", name);
        return;
    }
    if (strcmp(c->req->method, "GET") != 0) {
        srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes GET", c->req->path);
        return;
    }
    tpt_letter_record g;
    tpt_error err = {0};
    tpt_buf html = {0};
    tpt_letter_sources src = {c->data->regions, c->data->atlas, c->data->techniques, c->data->chart,
                              c->data->instruments};
    if (tpt_letter_record_read(c->store, c->patient, &src, srv_time(c), &g, &err) != 0) {
        srv_reply_internal(c->res, &err);
        tpt_letter_record_free(&g);
        return;
    }
    g.in.words = srv_words(c->data, c->req);
    int rc = which == LETTER_VISIT    ? tpt_letter_visit_write_html(&g.in, number, &html)
             : which == LETTER_DOCTOR ? tpt_letter_doctor_write_html(&g.in, &html)
                                      : tpt_letter_discharge_write_html(&g.in, &html);
    tpt_letter_record_free(&g);
    if (rc == TPT_ERR_INPUT) {
        srv_reply_error(c->res, 404, "not-found", NULL, "no visit %d in this record", number);
    } else if (rc != 0) {
        srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
    } else {
        srv_record_audit(c, actions[which]);
        c->res->raw = html.data; /* handed over: the server frees it once sent */
        c->res->raw_len = html.len;
        c->res->content_type = "text/html; charset=utf-8";
        c->res->csp = SRV_PRINT_CSP;
        html = (tpt_buf){0};
    }
    tpt_buf_free(&html);
}
