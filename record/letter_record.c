/* What the letters of a clinic record are made from (record/letter_record.h):
 * the record tpt_letter_record into the plain input of lib/letters.c. */
#include <stdlib.h>
#include <string.h>

#include "record/course.h"
#include "record/flags.h"
#include "record/internal.h"
#include "record/letter_record.h"
#include "record/views.h"

/* An account's name, looked up once per letter. */
struct tpt__letter_name {
    int64_t id;
    char *name; /* NULL when there is no such account */
    struct tpt__letter_name *next;
};
typedef struct tpt__letter_name name_entry;

void tpt_letter_record_free(tpt_letter_record *g)
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
    memset(g, 0, sizeof *g);
}

/* The name of an account (NULL for none, or one that no longer exists). */
static const char *name_of(tpt_store *store, tpt_letter_record *g, int64_t id)
{
    if (!id) return NULL;
    for (name_entry *n = g->names; n; n = n->next)
        if (n->id == id) return n->name;
    name_entry *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    tpt_user u;
    n->id = id;
    if (tpt_store_user_by_id(store, id, &u, NULL) == 0) n->name = strdup(u.name);
    n->next = g->names;
    g->names = n;
    return n->name;
}

/* The visits, their notes, the engine's answers and the amendments. */
static int gather_visits(tpt_store *store, int64_t patient, tpt_letter_record *g, tpt_error *err)
{
    int rc = tpt_store_visit_list(store, patient, &g->visits, err);
    if (rc) return rc;
    size_t n = g->visits.count;
    g->letter_visits = calloc(n + 1, sizeof *g->letter_visits);
    g->amendment_lists = calloc(n + 1, sizeof *g->amendment_lists);
    g->amendments = calloc(n + 1, sizeof *g->amendments);
    if (!g->letter_visits || !g->amendment_lists || !g->amendments)
        return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const tpt_visit *v = &g->visits.items[i];
        tpt_letter_visit *lv = &g->letter_visits[i];
        lv->number = v->number;
        lv->at = tpt__seconds_of(v->at);
        lv->author = name_of(store, g, v->author);
        lv->signed_at = *v->signed_at ? tpt__seconds_of(v->signed_at) : 0;
        if (*v->signed_at && !lv->signed_at) lv->signed_at = lv->at; /* signed, time unreadable */
        lv->signed_by = name_of(store, g, v->signed_by);
        lv->note = v->note ? json_loads(v->note, 0, NULL) : NULL;
        lv->result = v->result ? json_loads(v->result, 0, NULL) : NULL;
        tpt_amendment_list *list = &g->amendment_lists[i];
        if ((rc = tpt_store_amendment_list(store, v->id, list, err))) return rc;
        g->amendments[i] = calloc(list->count + 1, sizeof **g->amendments);
        if (!g->amendments[i]) return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
        for (size_t k = 0; k < list->count; k++)
            g->amendments[i][k] = (tpt_letter_amendment){tpt__seconds_of(list->items[k].at),
                                                         name_of(store, g, list->items[k].author),
                                                         list->items[k].text};
        lv->amendments = g->amendments[i];
        lv->namendments = list->count;
    }
    g->in.visits = g->letter_visits;
    g->in.nvisits = n;
    return 0;
}

/* The course of care and the trend of each instrument measured, in the
 * order of the instruments. */
static int gather_course(tpt_store *store, int64_t patient, const tpt_letter_sources *src,
                         tpt_letter_record *g, tpt_error *err)
{
    g->course = tpt_course_json(src->instruments, store, patient, err);
    if (!g->course) return err->status;
    tpt_letter_course *lc = &g->in.course;
    lc->planned = (int)json_integer_value(json_object_get(g->course, "planned_visits"));
    lc->signed_visits = (int)json_integer_value(json_object_get(g->course, "signed_visits"));
    lc->reassessment_due = (int)json_integer_value(json_object_get(g->course, "reassessment_due"));
    lc->verdict = json_string_value(json_object_get(g->course, "verdict"));
    lc->sentence = json_string_value(json_object_get(g->course, "sentence"));
    size_t n = tpt_measure_trends(src->instruments, json_object_get(g->course, "trends"),
                                  g->measures, TPT_INSTRUMENTS_MAX);
    g->in.measures = g->measures;
    g->in.nmeasures = n;
    return 0;
}

/* The latest plan and the red flags standing in the record. */
static int gather_records(tpt_store *store, int64_t patient, tpt_letter_record *g, tpt_error *err)
{
    tpt_flags flags;
    int rc = tpt_flags_read(store, patient, NULL, &flags, err);
    if (rc) return rc;
    g->in.nflags = flags.count;
    g->in.flag_level = flags.level;
    const char *advice = tpt_flags_advice(&flags);
    g->flag_advice = advice ? strdup(advice) : NULL;
    g->in.flag_advice = g->flag_advice;
    tpt_flags_free(&flags);
    if (advice && !g->flag_advice) return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    if ((rc = tpt_store_record_list(store, patient, TPT_RECORD_PLAN, &g->plans, err))) return rc;
    if (g->plans.count) {
        g->plan = json_loads(g->plans.items[g->plans.count - 1].json, 0, NULL);
        g->in.plan = g->plan;
    }
    return 0;
}

int tpt_letter_record_read(tpt_store *store, int64_t patient, const tpt_letter_sources *src,
                           int64_t now, tpt_letter_record *g, tpt_error *err)
{
    memset(g, 0, sizeof *g);
    int rc = tpt_store_patient_get(store, patient, &g->patient, err);
    if (rc) return rc;
    if (g->patient.clinic) tpt_store_clinic_get(store, g->patient.clinic, &g->clinic, NULL);
    g->in.now = now;
    g->in.utc_offset = tpt__utc_offset(now);
    g->in.clinic = *g->clinic.name ? g->clinic.name : NULL;
    g->in.patient = g->patient.name;
    g->in.birth_year = g->patient.birth_year;
    g->in.regions = src->regions;
    g->in.atlas = src->atlas;
    g->in.techniques = src->techniques;
    g->in.chart = src->chart;
    if ((rc = gather_visits(store, patient, g, err)) ||
        (rc = gather_course(store, patient, src, g, err)))
        return rc;
    return gather_records(store, patient, g, err);
}
