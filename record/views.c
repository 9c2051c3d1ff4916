/* The record as people read it, shared by the command line and the web API
 * so that both show the same thing (record/views.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/internal.h"
#include "record/views.h"
#include "tpt/json.h"
#include "tpt/notice.h"

/* ---- progress as JSON ---- */

/* Ratings are whole numbers in the log: show them so. */
static json_t *number_json(double v)
{
    return v == floor(v) && fabs(v) < 1e15 ? json_integer((json_int_t)v) : json_real(v);
}

static json_t *measure_json(const tpt_pain_change *m)
{
    char at[TPT_TIME_MAX];
    json_t *o = json_pack("{s:I}", "ratings", (json_int_t)m->count);
    if (!o) return NULL;
    if (m->count == 0) {
        const char *const keys[] = {"baseline", "baseline_at",   "latest",         "latest_at",
                                    "best",     "change_points", "change_percent", NULL};
        for (const char *const *k = keys; *k; k++)
            json_object_set_new(o, *k, json_null());
    } else {
        json_object_set_new(o, "baseline", number_json(m->baseline));
        tpt_time_format(m->baseline_time, at);
        json_object_set_new(o, "baseline_at", json_string(at));
        json_object_set_new(o, "latest", number_json(m->latest));
        tpt_time_format(m->latest_time, at);
        json_object_set_new(o, "latest_at", json_string(at));
        json_object_set_new(o, "best", number_json(m->best));
        json_object_set_new(o, "change_points", number_json(m->change_points));
        json_object_set_new(o, "change_percent",
                            m->has_percent ? number_json(round(m->change_percent * 10) / 10)
                                           : json_null());
    }
    json_object_set_new(o, "improved", json_boolean(m->improved));
    json_object_set_new(o, "worsened", json_boolean(m->worsened));
    json_object_set_new(o, "relapsed", json_boolean(m->relapsed));
    return o;
}

static json_t *cited(const tpt_progress_rules *rules, const tpt_strings *source)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < source->count; i++) {
        const char *text = tpt_sources_text(&rules->sources, source->items[i]);
        json_array_append_new(list, json_string(text ? text : source->items[i]));
    }
    return list;
}

/* The sentence, and for a stop the screen's advice after it. */
static char *full_sentence(const tpt_progress *p)
{
    size_t n = strlen(p->sentence) + (p->advice ? strlen(p->advice) + 1 : 0) + 1;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s%s%s", p->sentence, p->advice ? " " : "", p->advice ? p->advice : "");
    return s;
}

json_t *tpt_progress_json(const tpt_progress_rules *rules, const tpt_progress *p,
                          const char *flag_advice)
{
    char start[TPT_TIME_MAX];
    char *sentence = full_sentence(p);
    if (!sentence) return NULL;
    if (p->started) tpt_time_format(p->start, start);
    json_t *out = json_pack(
        "{s:s, s:s, s:o, s:o, s:o, s:I, s:I, s:I, s:o, s:{s:I, s:o, s:o, s:b}, s:b, s:b, s:{s:o, "
        "s:o, "
        "s:o, s:o}, s:s}",
        "verdict", tpt_verdict_name(p->verdict), "sentence", sentence, "advice",
        p->advice ? json_string(p->advice) : json_null(), "leg", measure_json(&p->leg), "back",
        measure_json(&p->back), "sessions", (json_int_t)p->sessions, "sessions_sharp",
        (json_int_t)p->sharp_sessions, "days", (json_int_t)p->days, "start",
        p->started ? json_string(start) : json_null(), "flags", "count", (json_int_t)p->nflags,
        "level", p->nflags ? json_string(tpt_level_name(p->flag_level)) : json_null(), "advice",
        p->nflags && flag_advice ? json_string(flag_advice) : json_null(), "stops",
        p->verdict == TPT_VERDICT_STOP, "new_numbness", p->new_numbness, "new_weakness",
        p->new_weakness, "mcid", "points", number_json(rules->mcid_points.value), "percent",
        number_json(rules->mcid_percent.value), "worsening_points",
        number_json(rules->worsening_points.value), "source",
        cited(rules, &rules->mcid_points.source), "notice", TPT_NOT_A_DIAGNOSIS);
    free(sentence);
    return out;
}

/* ---- a clinic's record, as both faces show it ---- */

double tpt_tenth(double v)
{
    return round(v * 10) / 10;
}

static json_t *text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *tpt_patient_details_json(const tpt_patient *p)
{
    return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:i}", "id", (json_int_t)p->id, "name",
                     p->name, "birth_year",
                     p->birth_year ? json_integer(p->birth_year) : json_null(), "contact",
                     text_or_null(p->contact), "consent", text_or_null(p->consent), "archived",
                     text_or_null(p->archived), "planned_visits", p->planned_visits);
}

/* The name of the account with this id, for a note's author and signer:
 * null for none (a note added on the command line without --as). */
static json_t *account_name(tpt_store *store, int64_t id)
{
    tpt_user u;
    return id && tpt_store_user_by_id(store, id, &u, NULL) == 0 ? json_string(u.name) : json_null();
}

/* Who may lift a flag: a clinician alone for a clinician's, else also the
 * person's own next clear screen or newer drawing. */
static const char *lifted_by(const tpt_flag *f)
{
    if (f->clinician) return "clinician";
    return f->source == TPT_RECORD_DRAWING ? "drawing" : "screen";
}

json_t *tpt_flags_json(tpt_store *store, const tpt_flags *flags)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < flags->count; i++) {
        const tpt_flag *f = &flags->items[i];
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:o, s:o, s:s, s:I, s:s, s:{s:b, s:o, s:o}, s:s, s:b}",
                            "id", f->id, "level", tpt_level_name(f->level), "reason",
                            f->reason ? json_string(f->reason) : json_null(), "advice",
                            f->advice ? json_string(f->advice) : json_null(), "source",
                            tpt_record_kind_name(f->source), "record", (json_int_t)f->record, "at",
                            f->at, "raised_by", "clinician", f->clinician, "account",
                            f->author ? json_integer(f->author) : json_null(), "name",
                            account_name(store, f->author), "lifted_by", lifted_by(f), "lasting",
                            f->lasting));
    }
    return list;
}

json_t *tpt_assessment_json(tpt_store *store, const tpt_assessment *a)
{
    return json_pack("{s:I, s:s, s:s, s:I, s:I, s:o, s:s}", "id", (json_int_t)a->id, "at", a->at,
                     "flag", a->flag, "record", (json_int_t)a->record, "author",
                     (json_int_t)a->author, "author_name", account_name(store, a->author),
                     "finding", a->finding);
}

json_t *tpt_visit_json(tpt_store *store, const tpt_visit *v, bool whole)
{
    json_t *note = json_loads(v->note, 0, NULL);
    json_t *o = json_pack("{s:I, s:i, s:s, s:s?, s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)v->id,
                          "number", v->number, "at", v->at, "kind",
                          json_string_value(json_object_get(note, "kind")), "author",
                          (json_int_t)v->author, "author_name", account_name(store, v->author),
                          "signed_at", text_or_null(v->signed_at), "signed_by",
                          v->signed_by ? json_integer(v->signed_by) : json_null(), "signed_by_name",
                          account_name(store, v->signed_by));
    if (o && whole) {
        json_object_set(o, "note", note ? note : json_null());
        json_object_set_new(o, "result", v->result ? json_loads(v->result, 0, NULL) : json_null());
        tpt_amendment_list list;
        json_t *items = json_array();
        if (tpt_store_amendment_list(store, v->id, &list, NULL) == 0) {
            for (size_t i = 0; i < list.count; i++)
                json_array_append_new(
                    items,
                    json_pack("{s:I, s:s, s:I, s:o, s:s}", "id", (json_int_t)list.items[i].id, "at",
                              list.items[i].at, "author", (json_int_t)list.items[i].author,
                              "author_name", account_name(store, list.items[i].author), "text",
                              list.items[i].text));
            tpt_amendment_list_free(&list);
        }
        json_object_set_new(o, "amendments", items);
    }
    json_decref(note);
    return o;
}

int tpt_visit_engine_answers(const tpt_atlas *atlas, const tpt_drawing *drawing,
                             const tpt_visit_evidence *ev, char **out, tpt_error *err)
{
    tpt_result r;
    tpt_buf all = {0}, one = {0};
    tpt_buf_puts(&all, "{\"drawing_only\":");
    int rc = tpt_infer(atlas, drawing, NULL, 0, &r, err);
    if (!rc && !(rc = tpt_result_write_json(atlas, drawing, &r, &one))) {
        tpt_buf_puts(&all, one.data); /* the writer replaces what a buffer holds */
        tpt_buf_puts(&all, ",\"with_findings\":");
        rc = tpt_infer(atlas, drawing, ev->findings, ev->nfindings, &r, err);
    }
    if (!rc && !(rc = tpt_result_write_json(atlas, drawing, &r, &one))) {
        tpt_buf_puts(&all, one.data);
        tpt_buf_puts(&all, "}");
    }
    tpt_buf_free(&one);
    if (!rc && all.failed) rc = TPT_ERR_NOMEM;
    if (rc) {
        tpt_buf_free(&all);
        return rc;
    }
    *out = all.data;
    return 0;
}

json_t *tpt_measure_json(const tpt_measure *m)
{
    return json_pack("{s:I, s:s, s:s, s:f, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)m->id,
                     "instrument", m->instrument, "at", m->at, "score", tpt_tenth(m->score), "band",
                     *m->band ? json_string(m->band) : json_null(), "visit",
                     m->visit ? json_integer(m->visit) : json_null(), "answers",
                     json_loads(m->answers, 0, NULL), "names",
                     m->names ? json_loads(m->names, 0, NULL) : json_null(), "author",
                     m->author ? json_integer(m->author) : json_null());
}

json_t *tpt_measure_trends_json(const tpt_instruments *set, const tpt_measure_list *list)
{
    json_t *trends = json_object();
    for (size_t i = 0; i < list->count; i++) {
        const tpt_measure *m = &list->items[i];
        json_t *t = json_object_get(trends, m->instrument);
        if (!t) {
            t = json_pack("{s:f, s:s, s:i}", "baseline", tpt_tenth(m->score), "baseline_at", m->at,
                          "count", 0);
            json_object_set_new(trends, m->instrument, t);
        }
        json_object_set_new(t, "latest", json_real(tpt_tenth(m->score)));
        json_object_set_new(t, "latest_at", json_string(m->at));
        json_object_set_new(t, "count",
                            json_integer(json_integer_value(json_object_get(t, "count")) + 1));
    }
    const char *id;
    json_t *t;
    json_object_foreach(trends, id, t)
    {
        const tpt_instrument *in = tpt_instrument_find(set, id);
        double base = json_real_value(json_object_get(t, "baseline")),
               last = json_real_value(json_object_get(t, "latest"));
        json_object_set_new(t, "change", json_real(tpt_tenth(last - base)));
        json_object_set_new(t, "meaningful",
                            json_boolean(in &&
                                         json_integer_value(json_object_get(t, "count")) > 1 &&
                                         tpt_score_meaningful_change(in, base, last)));
    }
    return trends;
}

size_t tpt_measure_trends(const tpt_instruments *set, const json_t *trends, tpt_measure_trend *out,
                          size_t max)
{
    size_t n = 0;
    for (size_t i = 0; set && i < set->count && n < max; i++) {
        json_t *t = json_object_get(trends, set->items[i]->id);
        if (!t) continue;
        out[n++] = (tpt_measure_trend){
            .id = set->items[i]->id,
            .instrument = set->items[i],
            .baseline = json_number_value(json_object_get(t, "baseline")),
            .latest = json_number_value(json_object_get(t, "latest")),
            .baseline_at = tpt__seconds_of(json_string_value(json_object_get(t, "baseline_at"))),
            .latest_at = tpt__seconds_of(json_string_value(json_object_get(t, "latest_at"))),
            .count = (size_t)json_integer_value(json_object_get(t, "count")),
            .meaningful = json_is_true(json_object_get(t, "meaningful")),
        };
    }
    return n;
}

/* ---- the log ---- */

json_t *tpt_log_entry_json(const tpt_log_entry *e)
{
    json_t *o = json_pack("{s:I, s:s}", "id", (json_int_t)e->id, "at", e->at);
#define OPT(key, v) json_object_set_new(o, key, (v) >= 0 ? json_integer(v) : json_null())
    OPT("leg_pain", e->leg_pain);
    OPT("back_pain", e->back_pain);
    OPT("sitting_minutes", e->sitting_minutes);
    OPT("walking_minutes", e->walking_minutes);
#undef OPT
    json_object_set_new(o, "sleep_disturbed",
                        e->sleep_disturbed < 0 ? json_null() : json_boolean(e->sleep_disturbed));
    json_object_set_new(o, "medication", e->medication ? json_string(e->medication) : json_null());
    json_object_set_new(o, "note", e->note ? json_string(e->note) : json_null());
    json_object_set_new(o, "author", e->author ? json_integer(e->author) : json_null());
    return o;
}

/* A number as a person reads it: 0.7, 12, 1234.5 (never 1.23e+03), the
 * fewest decimals that give the same number back. */
static void number_text(double v, char *out, size_t size)
{
    double mag = v < 0 ? -v : v;
    if (mag >= 1e15 || (mag > 0 && mag < 1e-6)) {
        snprintf(out, size, "%.17g", v);
        return;
    }
    for (int decimals = 0; decimals <= 17; decimals++) {
        snprintf(out, size, "%.*f", decimals, v);
        if (strtod(out, NULL) == v) return;
    }
}

void tpt_json_number_text(const json_t *v, char *out, size_t size)
{
    if (json_is_integer(v))
        snprintf(out, size, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        number_text(json_real_value(v), out, size);
    else
        snprintf(out, size, "%s", "");
}
