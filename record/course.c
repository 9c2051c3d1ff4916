/* The course of care and the clinic's outcomes (record/course.h), for the
 * command line and the server alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/course.h"
#include "tpt/text.h"
#include "record/views.h"
#include "tpt/availability.h"

/* ---- the course of care ---- */

/* Reassessment comes at the third visit and at the end of the planned
 * course (six unless the clinic plans otherwise): most people who will
 * improve have by then (data/techniques.json "course");
 * tpt_course_reassessment says which visits, for the calendar too. */

typedef struct course {
    int planned, signed_visits;
    int due;         /* the visit number a reassessment is due at, or 0 */
    bool improving;  /* some measure changed by its MCID for the better */
    bool review;     /* the planned course is done without that */
    int improved_at; /* the visit number of the first measure showing it, or 0 */
    json_t *trends;  /* per instrument (owned) */
} course;

static int judge_course(const tpt_instruments *set, tpt_store *store, int64_t patient, course *out,
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
    out->trends = tpt_measure_trends_json(set, &measures);
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
        const tpt_instrument *in = tpt_instrument_find(set, m->instrument);
        double base = json_real_value(json_object_get(tr, "baseline"));
        if (in && m->visit && tpt_score_meaningful_change(in, base, m->score))
            out->improved_at = m->visit;
    }
    int at = out->signed_visits;
    if (tpt_course_reassessment(at, out->planned)) {
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
            ? TPT_TEXT("An outcome measure has changed by at least the smallest change that "
                       "matters to patients: the treatment is helping.")
        : c->review
            ? TPT_TEXT("No outcome measure has changed by the smallest change that matters "
                       "after the planned course: review the case, refer it on, or stop the "
                       "treatment.")
            : TPT_TEXT("The course is under way; outcome measures are compared at the third "
                       "visit and at the end of the planned course.");
    return json_pack("{s:i, s:i, s:o, s:[i, i], s:s, s:s, s:O}", "planned_visits", c->planned,
                     "signed_visits", c->signed_visits, "reassessment_due",
                     c->due ? json_integer(c->due) : json_null(), "reassessment_at",
                     TPT_FIRST_REASSESSMENT, c->planned, "verdict", verdict, "sentence", sentence,
                     "trends", c->trends);
}

json_t *tpt_course_json(const tpt_instruments *set, tpt_store *store, int64_t patient,
                        tpt_error *err)
{
    course judged;
    if (judge_course(set, store, patient, &judged, err) != 0) return NULL;
    json_t *o = course_json(&judged);
    json_decref(judged.trends);
    if (!o) tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    return o;
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
    return json_real(tpt_tenth(n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2));
}

json_t *tpt_clinic_outcomes_json(const tpt_instruments *set, tpt_store *store, int64_t clinic,
                                 tpt_error *err)
{
    tpt_patient_list list;
    if (tpt_store_patient_list(store, clinic, NULL, false, 100000, &list, err) != 0) return NULL;
    json_t *due = json_array(), *review = json_array(), *changes = json_object();
    size_t measured = 0, improved = 0, nvisits = 0;
    double *visits_to = calloc(list.count + 1, sizeof *visits_to);
    for (size_t i = 0; visits_to && i < list.count; i++) {
        const tpt_patient *p = &list.items[i];
        course c;
        if (judge_course(set, store, p->id, &c, NULL) != 0) continue;
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
    json_t *out = json_pack(
        "{s:i, s:o, s:o, s:{s:i, s:i, s:o, s:o, s:o}, s:s}", "caseload", (int)list.count,
        "reassessment_due", due, "not_improving", review, "outcomes", "patients_measured",
        (int)measured, "patients_improved", (int)improved, "share_improved",
        measured ? json_real(tpt_tenth(100.0 * (double)improved / (double)measured)) : json_null(),
        "median_visits_to_improvement", median_or_null(visits_to, nvisits), "by_instrument",
        medians, "about",
        TPT_TEXT("Improved: a change of at least the instrument's smallest change that matters "
                 "to patients (MCID), for the better, between a patient's first and latest "
                 "measure. Counts patients with at least two measures of one instrument."));
    json_decref(changes);
    free(visits_to);
    tpt_patient_list_free(&list);
    if (!out) tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    return out;
}
