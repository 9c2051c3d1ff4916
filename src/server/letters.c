/* Printable letters of a record (GET /patients/ID/letters/NAME): a visit's
 * summary for the patient (visit-N), a summary letter to the referring
 * doctor (doctor) and a discharge summary (discharge). This gathers what the
 * record holds into the plain input of lib/letters.c, which writes the page.
 * Admins and practitioners only (records.c checks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "server.h"
#include "tpt/letters.h"

#define LETTER_CSP                                                                                 \
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "       \
    "base-uri 'none'; form-action 'none'"

typedef enum letter { LETTER_VISIT, LETTER_DOCTOR, LETTER_DISCHARGE } letter;

/* An account's name, looked up once per letter. */
typedef struct name_entry {
    int64_t id;
    char *name; /* NULL when there is no such account */
    struct name_entry *next;
} name_entry;

/* Everything a letter is made from; freed by gathered_free. */
typedef struct gathered {
    tpt_patient patient;
    tpt_clinic clinic;
    tpt_visit_list visits;
    tpt_letter_visit *letter_visits;
    tpt_amendment_list *amendment_lists;
    tpt_letter_amendment **amendments;
    name_entry *names;
    tpt_record_list plans;
    json_t *plan;
    char *flag_advice;
    json_t *course;
    tpt_measure_trend measures[TPT_INSTRUMENTS_MAX];
    tpt_letter_input in;
} gathered;

static void gathered_free(gathered *g)
{
    for (size_t i = 0; g->letter_visits && i < g->visits.count; i++) {
        json_decref((json_t *)g->letter_visits[i].note);
        json_decref((json_t *)g->letter_visits[i].result);
        if (g->amendment_lists) tpt_amendment_list_free(&g->amendment_lists[i]);
        if (g->amendments) free(g->amendments[i]);
    }
    free(g->letter_visits);
    free(g->amendment_lists);
    free(g->amendments);
    tpt_visit_list_free(&g->visits);
    for (name_entry *n = g->names, *next; n; n = next) {
        next = n->next;
        free(n->name);
        free(n);
    }
    json_decref(g->plan);
    tpt_record_list_free(&g->plans);
    free(g->flag_advice);
    json_decref(g->course);
}

/* The name of an account (NULL for none, or one that no longer exists). */
static const char *name_of(tpt_record_call *c, gathered *g, int64_t id)
{
    if (!id) return NULL;
    for (name_entry *n = g->names; n; n = n->next)
        if (n->id == id) return n->name;
    name_entry *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    tpt_user u;
    n->id = id;
    if (tpt_store_user_by_id(c->store, id, &u, NULL) == 0) n->name = strdup(u.name);
    n->next = g->names;
    g->names = n;
    return n->name;
}

static long utc_offset(int64_t now)
{
    time_t t = (time_t)now;
    struct tm local;
    return localtime_r(&t, &local) ? local.tm_gmtoff : 0;
}

/* The visits, their notes, the engine's answers and the amendments. */
static int gather_visits(tpt_record_call *c, gathered *g, tpt_error *err)
{
    if (tpt_store_visit_list(c->store, c->patient, &g->visits, err) != 0) return -1;
    size_t n = g->visits.count;
    g->letter_visits = calloc(n + 1, sizeof *g->letter_visits);
    g->amendment_lists = calloc(n + 1, sizeof *g->amendment_lists);
    g->amendments = calloc(n + 1, sizeof *g->amendments);
    if (!g->letter_visits || !g->amendment_lists || !g->amendments) return -1;
    for (size_t i = 0; i < n; i++) {
        const tpt_visit *v = &g->visits.items[i];
        tpt_letter_visit *lv = &g->letter_visits[i];
        lv->number = v->number;
        lv->at = cli_time_seconds(v->at);
        lv->author = name_of(c, g, v->author);
        lv->signed_at = *v->signed_at ? cli_time_seconds(v->signed_at) : 0;
        if (*v->signed_at && !lv->signed_at) lv->signed_at = lv->at; /* signed, time unreadable */
        lv->signed_by = name_of(c, g, v->signed_by);
        lv->note = v->note ? json_loads(v->note, 0, NULL) : NULL;
        lv->result = v->result ? json_loads(v->result, 0, NULL) : NULL;
        tpt_amendment_list *list = &g->amendment_lists[i];
        if (tpt_store_amendment_list(c->store, v->id, list, err) != 0) return -1;
        g->amendments[i] = calloc(list->count + 1, sizeof **g->amendments);
        if (!g->amendments[i]) return -1;
        for (size_t k = 0; k < list->count; k++)
            g->amendments[i][k] =
                (tpt_letter_amendment){cli_time_seconds(list->items[k].at),
                                       name_of(c, g, list->items[k].author), list->items[k].text};
        lv->amendments = g->amendments[i];
        lv->namendments = list->count;
    }
    g->in.visits = g->letter_visits;
    g->in.nvisits = n;
    return 0;
}

/* The course of care and the trend of each instrument measured, in the
 * order of the instruments. */
static int gather_course(tpt_record_call *c, gathered *g, tpt_error *err)
{
    g->course = cli_course_json(c->data->instruments, c->store, c->patient, err);
    if (!g->course) return -1;
    tpt_letter_course *lc = &g->in.course;
    lc->planned = (int)json_integer_value(json_object_get(g->course, "planned_visits"));
    lc->signed_visits = (int)json_integer_value(json_object_get(g->course, "signed_visits"));
    lc->reassessment_due = (int)json_integer_value(json_object_get(g->course, "reassessment_due"));
    lc->verdict = json_string_value(json_object_get(g->course, "verdict"));
    lc->sentence = json_string_value(json_object_get(g->course, "sentence"));
    size_t n = cli_measure_trends(c->data->instruments, json_object_get(g->course, "trends"),
                                  g->measures, TPT_INSTRUMENTS_MAX);
    g->in.measures = g->measures;
    g->in.nmeasures = n;
    return 0;
}

/* The latest plan and the red flags standing in the record. */
static int gather_records(tpt_record_call *c, gathered *g, tpt_error *err)
{
    tpt_record_list all;
    if (tpt_store_record_list(c->store, c->patient, -1, &all, err) != 0) return -1;
    g->in.nflags = cli_standing_flags(&all, &g->in.flag_level, &g->flag_advice);
    g->in.flag_advice = g->flag_advice;
    tpt_record_list_free(&all);
    if (tpt_store_record_list(c->store, c->patient, TPT_RECORD_PLAN, &g->plans, err) != 0)
        return -1;
    if (g->plans.count) {
        g->plan = json_loads(g->plans.items[g->plans.count - 1].json, 0, NULL);
        g->in.plan = g->plan;
    }
    return 0;
}

static int gather(tpt_record_call *c, gathered *g, tpt_error *err)
{
    memset(g, 0, sizeof *g);
    if (tpt_store_patient_get(c->store, c->patient, &g->patient, err) != 0) return -1;
    if (g->patient.clinic) tpt_store_clinic_get(c->store, g->patient.clinic, &g->clinic, NULL);
    g->in.now = (int64_t)time(NULL);
    g->in.utc_offset = utc_offset(g->in.now);
    g->in.clinic = *g->clinic.name ? g->clinic.name : NULL;
    g->in.patient = g->patient.name;
    g->in.birth_year = g->patient.birth_year;
    g->in.regions = c->data->regions;
    g->in.atlas = c->data->atlas;
    g->in.techniques = c->data->techniques;
    g->in.chart = c->data->chart;
    return gather_visits(c, g, err) || gather_course(c, g, err) || gather_records(c, g, err) ? -1
                                                                                             : 0;
}

/* "visit-3" -> 3; 0 when not a visit's letter. */
static int visit_number(const char *name)
{
    if (strncmp(name, "visit-", 6) != 0 || name[6] < '1' || name[6] > '9') return 0;
    char *end;
    long n = strtol(name + 6, &end, 10);
    return *end || n > 100000 ? 0 : (int)n;
}

void tpt_letters_handle(tpt_record_call *c, const char *name)
{
    static const char *const actions[] = {"printed the visit summary",
                                          "printed the letter to the referring doctor",
                                          "printed the discharge summary"};
    int number = visit_number(name);
    int which = number                           ? LETTER_VISIT
                : strcmp(name, "doctor") == 0    ? LETTER_DOCTOR
                : strcmp(name, "discharge") == 0 ? LETTER_DISCHARGE
                                                 : -1;
    if (which < 0) {
        tpt_response_error(c->res, 404, "not-found", NULL,
                           "no letter '%s': the letters are visit-N, doctor and discharge", name);
        return;
    }
    if (strcmp(c->req->method, "GET") != 0) {
        tpt_response_error(c->res, 405, "method-not-allowed", NULL, "%s takes GET", c->req->path);
        return;
    }
    gathered g;
    tpt_error err = {0};
    tpt_buf html = {0};
    int rc = gather(c, &g, &err);
    if (rc != 0) {
        tpt_response_internal(c->res, &err);
        gathered_free(&g);
        return;
    }
    rc = which == LETTER_VISIT    ? tpt_letter_visit_write_html(&g.in, number, &html)
         : which == LETTER_DOCTOR ? tpt_letter_doctor_write_html(&g.in, &html)
                                  : tpt_letter_discharge_write_html(&g.in, &html);
    gathered_free(&g);
    if (rc == TPT_ERR_INPUT) {
        tpt_response_error(c->res, 404, "not-found", NULL, "no visit %d in this record", number);
    } else if (rc != 0) {
        tpt_response_error(c->res, 500, "internal", NULL, "out of memory");
    } else {
        tpt_record_audit(c, actions[which]);
        c->res->raw = html.data; /* handed over: the server frees it once sent */
        c->res->raw_len = html.len;
        c->res->content_type = "text/html; charset=utf-8";
        c->res->csp = LETTER_CSP;
        html = (tpt_buf){0};
    }
    tpt_buf_free(&html);
}
