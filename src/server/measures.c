/* Outcome measures over HTTP: the instruments (GET /instruments), a
 * patient's measures (scored by lib/instruments.c and kept), the course of
 * care judged against the instruments' MCIDs, and the clinic's view of its
 * caseload and outcomes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "server.h"
#include "tpt/json.h"

/* ---- the instruments ---- */

void tpt_instruments_get(const tpt_server_data *data, tpt_response *res)
{
    json_t *list = json_array();
    for (size_t i = 0; data->instruments && i < data->instruments->count; i++)
        json_array_append_new(list, tpt_instrument_json(data->instruments->items[i]));
    res->body = json_pack("{s:o}", "instruments", list);
}

/* ---- a patient's measures ---- */

static void get_measures(tpt_record_call *c)
{
    tpt_measure_list list;
    tpt_error err = {0};
    if (tpt_store_measure_list(c->store, c->patient, &list, &err) != 0) {
        tpt_response_error(c->res, 500, "internal", NULL, "%s", err.message);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, cli_measure_json(&list.items[i]));
    c->res->body = json_pack("{s:o, s:o}", "measures", items, "trends",
                             cli_measure_trends_json(c->data->instruments, &list));
    tpt_measure_list_free(&list);
    tpt_record_audit(c, "read the outcome measures");
}

static void post_measure(tpt_record_call *c)
{
    const char *id = json_string_value(json_object_get(c->body, "instrument"));
    json_t *answers = json_object_get(c->body, "answers"),
           *visit = json_object_get(c->body, "visit");
    const tpt_instrument *in = id ? tpt_instrument_find(c->data->instruments, id) : NULL;
    if (!in) {
        tpt_response_error(c->res, 400, "invalid-field", "instrument",
                           "\"instrument\" is the id of an instrument (GET /api/v1/instruments)");
        return;
    }
    if (!json_is_object(answers) || json_object_size(answers) > TPT_INSTRUMENT_MAX_ITEMS) {
        tpt_response_error(c->res, 400, "invalid-field", "answers",
                           "\"answers\" is {\"ITEM\": value, ...}");
        return;
    }
    if (visit && !json_is_null(visit) &&
        (!json_is_integer(visit) || json_integer_value(visit) < 1 ||
         json_integer_value(visit) > 1000)) {
        tpt_response_error(c->res, 400, "invalid-field", "visit", "\"visit\" is a visit's number");
        return;
    }
    json_t *names = json_object_get(c->body, "names");
    if (names && !json_is_null(names) && !json_is_object(names)) {
        tpt_response_error(c->res, 400, "invalid-field", "names",
                           "\"names\" is {\"ITEM\": \"the activity\", ...}");
        return;
    }
    tpt_item_answer given[TPT_INSTRUMENT_MAX_ITEMS];
    size_t n = 0;
    const char *item;
    json_t *v;
    json_object_foreach(answers, item, v)
    {
        if (!json_is_number(v)) {
            tpt_response_error(c->res, 400, "invalid-field", "answers",
                               "the answer to \"%s\" is not a number", item);
            return;
        }
        given[n++] = (tpt_item_answer){item, json_number_value(v)};
    }
    tpt_score score;
    tpt_error err = {0};
    if (tpt_instrument_score(in, given, n, &score, &err) != 0 || !score.scored) {
        tpt_response_error(c->res, 400, "invalid-answer", "answers", "%s",
                           *err.message ? err.message : "too few items answered to score");
        return;
    }
    json_object_foreach(names, item, v)
    {
        if (!json_is_string(v) ||
            tpt_instrument_check_name(in, item, json_string_value(v), &err) != 0) {
            tpt_response_error(c->res, 400, "invalid-field", "names", "%s",
                               json_is_string(v) ? err.message : "a name is a string");
            return;
        }
        if (!json_object_get(answers, item)) {
            tpt_response_error(c->res, 400, "invalid-field", "names",
                               "\"%s\" is named but not answered", item);
            return;
        }
    }
    tpt_measure m = {.patient = c->patient,
                     .author = c->caller.user.id,
                     .score = score.value,
                     .visit = (int)json_integer_value(visit)};
    snprintf(m.instrument, sizeof m.instrument, "%s", in->id);
    snprintf(m.band, sizeof m.band, "%s", score.band ? score.band->id : "");
    tpt_utc(time(NULL), m.at);
    m.answers = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    bool named = json_object_size(names) > 0;
    if (named) m.names = json_dumps(names, JSON_COMPACT | JSON_SORT_KEYS);
    if (!m.answers || (named && !m.names) ||
        tpt_store_measure_add(c->store, &m, &m.id, &err) != 0) {
        tpt_response_error(c->res, 500, "internal", NULL, "%s",
                           m.answers && (!named || m.names) ? err.message : "out of memory");
    } else {
        tpt_record_audit(c, "kept an outcome measure");
        c->res->status = 201;
        json_t *o = cli_measure_json(&m);
        json_object_set_new(o, "answered", json_integer((json_int_t)score.answered));
        json_object_set_new(o, "items", json_integer((json_int_t)score.items));
        if (score.has_subscale) json_object_set_new(o, "subscale", json_real(score.subscale));
        c->res->body = json_pack("{s:o}", "measure", o);
    }
    free(m.answers);
    free(m.names);
}

void tpt_measures_handle(tpt_record_call *c, const char *rest)
{
    (void)rest;
    if (strcmp(c->req->method, "GET") == 0)
        get_measures(c);
    else if (strcmp(c->req->method, "POST") == 0)
        post_measure(c);
    else
        tpt_response_error(c->res, 405, "method-not-allowed", NULL, "%s takes GET or POST",
                           c->req->path);
}

/* ---- the course of care ---- */

/* Reassessment comes at the third visit and at the end of the planned
 * course (six unless the clinic plans otherwise): most people who will
 * improve have by then (data/techniques.json "course"). */
#define FIRST_REASSESSMENT 3

typedef struct course {
    int planned, signed_visits;
    int due;         /* the visit number a reassessment is due at, or 0 */
    bool improving;  /* some measure changed by its MCID for the better */
    bool review;     /* the planned course is done without that */
    int improved_at; /* the visit number of the first measure showing it, or 0 */
    json_t *trends;  /* per instrument (owned) */
} course;

static int judge_course(const tpt_server_data *data, tpt_store *store, int64_t patient, course *out,
                        tpt_error *err)
{
    tpt_patient p;
    tpt_visit_list visits;
    tpt_measure_list measures;
    memset(out, 0, sizeof *out);
    if (tpt_store_patient_get(store, patient, &p, err) != 0) return -1;
    if (tpt_store_visit_list(store, patient, &visits, err) != 0) return -1;
    if (tpt_store_measure_list(store, patient, &measures, err) != 0) {
        tpt_visit_list_free(&visits);
        return -1;
    }
    out->planned = p.planned_visits;
    for (size_t i = 0; i < visits.count; i++)
        out->signed_visits += *visits.items[i].signed_at != '\0';
    out->trends = cli_measure_trends_json(data->instruments, &measures);
    const char *id;
    json_t *t;
    json_object_foreach(out->trends, id, t)
    {
        if (json_is_true(json_object_get(t, "meaningful"))) out->improving = true;
    }
    /* the first measure whose change from its baseline reaches the MCID */
    for (size_t i = 0; out->improving && !out->improved_at && i < measures.count; i++) {
        const tpt_measure *m = &measures.items[i];
        json_t *tr = json_object_get(out->trends, m->instrument);
        const tpt_instrument *in = tpt_instrument_find(data->instruments, m->instrument);
        double base = json_real_value(json_object_get(tr, "baseline"));
        if (in && m->visit && tpt_score_meaningful_change(in, base, m->score))
            out->improved_at = m->visit;
    }
    int at = out->signed_visits;
    if (at == FIRST_REASSESSMENT || at == out->planned) {
        bool taken = false;
        for (size_t i = 0; i < measures.count; i++)
            taken |= measures.items[i].visit == at;
        out->due = taken ? 0 : at;
    }
    out->review = !out->improving && out->signed_visits >= out->planned;
    tpt_measure_list_free(&measures);
    tpt_visit_list_free(&visits);
    return 0;
}

static json_t *course_json(const course *c)
{
    const char *verdict = c->improving ? "improving" : c->review ? "review" : "in-course";
    const char *sentence =
        c->improving
            ? "An outcome measure has changed by at least the smallest change that matters to "
              "patients: the treatment is helping."
        : c->review
            ? "No outcome measure has changed by the smallest change that matters after the "
              "planned course: review the case, refer it on, or stop the treatment."
            : "The course is under way; outcome measures are compared at the third visit and "
              "at the end of the planned course.";
    return json_pack("{s:i, s:i, s:o, s:[i, i], s:s, s:s, s:O}", "planned_visits", c->planned,
                     "signed_visits", c->signed_visits, "reassessment_due",
                     c->due ? json_integer(c->due) : json_null(), "reassessment_at",
                     FIRST_REASSESSMENT, c->planned, "verdict", verdict, "sentence", sentence,
                     "trends", c->trends);
}

json_t *tpt_course_json(const tpt_server_data *data, tpt_store *store, int64_t patient,
                        tpt_error *err)
{
    course judged;
    if (judge_course(data, store, patient, &judged, err) != 0) return NULL;
    json_t *o = course_json(&judged);
    json_decref(judged.trends);
    if (!o && err) snprintf(err->message, sizeof err->message, "out of memory");
    return o;
}

void tpt_course_handle(tpt_record_call *c, const char *rest)
{
    (void)rest;
    if (strcmp(c->req->method, "GET") != 0) {
        tpt_response_error(c->res, 405, "method-not-allowed", NULL, "%s takes GET", c->req->path);
        return;
    }
    tpt_error err = {0};
    json_t *o = tpt_course_json(c->data, c->store, c->patient, &err);
    if (!o) {
        tpt_response_error(c->res, 500, "internal", NULL, "%s", err.message);
        return;
    }
    c->res->body = o;
    tpt_record_audit(c, "read the course of care");
}

/* ---- the clinic's view ---- */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static json_t *median_or_null(double *v, size_t n)
{
    if (!n) return json_null();
    qsort(v, n, sizeof *v, compare_doubles);
    return json_real(cli_tenth(n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2));
}

/* GET /api/v1/clinic: the caseload, who is due for reassessment, who has not
 * improved after the planned course, and the clinic's outcomes. */
void tpt_clinic_get(const tpt_server_data *data, tpt_store *store, const tpt_caller *caller,
                    tpt_response *res)
{
    tpt_patient_list list;
    tpt_error err = {0};
    if (tpt_store_patient_list(store, caller->user.clinic, NULL, false, 100000, &list, &err) != 0) {
        tpt_response_error(res, 500, "internal", NULL, "%s", err.message);
        return;
    }
    json_t *due = json_array(), *review = json_array(), *changes = json_object();
    size_t measured = 0, improved = 0, nvisits = 0;
    double *visits_to = calloc(list.count + 1, sizeof *visits_to);
    for (size_t i = 0; visits_to && i < list.count; i++) {
        const tpt_patient *p = &list.items[i];
        course c;
        if (judge_course(data, store, p->id, &c, NULL) != 0) continue;
        json_t *who = json_pack("{s:I, s:s, s:i, s:i}", "id", (json_int_t)p->id, "name", p->name,
                                "signed_visits", c.signed_visits, "planned_visits", c.planned);
        if (c.due) json_array_append(due, who);
        if (c.review) json_array_append(review, who);
        json_decref(who);
        bool any = false;
        const char *id;
        json_t *t;
        json_object_foreach(c.trends, id, t)
        {
            if (json_integer_value(json_object_get(t, "count")) < 2) continue;
            any = true;
            json_t *list_of = json_object_get(changes, id);
            if (!list_of) json_object_set_new(changes, id, list_of = json_array());
            json_array_append(list_of, json_object_get(t, "change"));
        }
        measured += any;
        improved += c.improving;
        if (c.improved_at) visits_to[nvisits++] = c.improved_at;
        json_decref(c.trends);
    }
    json_t *medians = json_object();
    const char *id;
    json_t *values;
    json_object_foreach(changes, id, values)
    {
        size_t n = json_array_size(values);
        double *v = calloc(n + 1, sizeof *v);
        for (size_t k = 0; v && k < n; k++)
            v[k] = json_real_value(json_array_get(values, k));
        json_object_set_new(medians, id,
                            json_pack("{s:o, s:i}", "median_change",
                                      v ? median_or_null(v, n) : json_null(), "patients", (int)n));
        free(v);
    }
    res->body = json_pack(
        "{s:i, s:o, s:o, s:{s:i, s:i, s:o, s:o, s:o}, s:s}", "caseload", (int)list.count,
        "reassessment_due", due, "not_improving", review, "outcomes", "patients_measured",
        (int)measured, "patients_improved", (int)improved, "share_improved",
        measured ? json_real(cli_tenth(100.0 * (double)improved / (double)measured)) : json_null(),
        "median_visits_to_improvement", median_or_null(visits_to, nvisits), "by_instrument",
        medians, "about",
        "Improved: a change of at least the instrument's smallest change that matters to "
        "patients (MCID), for the better, between a patient's first and latest measure. Counts "
        "patients with at least two measures of one instrument.");
    json_decref(changes);
    free(visits_to);
    tpt_patient_list_free(&list);
    tpt_audit(store, caller->user.id, "read the clinic's outcomes", 0);
}
