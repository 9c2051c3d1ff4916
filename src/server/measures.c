/* Outcome measures over HTTP: a patient's measures (scored by
 * lib/instruments.c and kept), the course of care judged against the
 * instruments' MCIDs, and the clinic's view of its caseload and outcomes
 * (both judged in record/course.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "handlers.h"
#include "record/course.h"
#include "record/views.h"
#include "tpt/json.h"

/* ---- a patient's measures ---- */

static void get_measures(srv_ctx *c)
{
    tpt_measure_list list;
    tpt_error err = {0};
    if (tpt_store_measure_list(c->store, c->patient, &list, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, tpt_measure_json(&list.items[i]));
    c->res->body = json_pack("{s:o, s:o}", "measures", items, "trends",
                             tpt_measure_trends_json(c->data->instruments, &list));
    tpt_measure_list_free(&list);
    srv_record_audit(c, "read the outcome measures");
}

/* The answers and names of a body for instrument `in`, checked and scored:
 * m->answers and m->names (caller frees) and the score; 0, or an error in res. */
static int read_answers(srv_ctx *c, const tpt_instrument *in, tpt_measure *m, tpt_score *score)
{
    json_t *answers = json_object_get(c->body, "answers");
    if (!json_is_object(answers) || json_object_size(answers) > TPT_INSTRUMENT_MAX_ITEMS) {
        srv_reply_error(c->res, 400, "invalid-field", "answers",
                        "\"answers\" is {\"ITEM\": value, ...}");
        return -1;
    }
    json_t *names = json_object_get(c->body, "names");
    if (names && !json_is_null(names) && !json_is_object(names)) {
        srv_reply_error(c->res, 400, "invalid-field", "names",
                        "\"names\" is {\"ITEM\": \"the activity\", ...}");
        return -1;
    }
    tpt_item_answer given[TPT_INSTRUMENT_MAX_ITEMS];
    size_t n = 0;
    const char *item;
    json_t *v;
    json_object_foreach(answers, item, v)
    {
        if (!json_is_number(v)) {
            srv_reply_error(c->res, 400, "invalid-field", "answers",
                            "the answer to \"%s\" is not a number", item);
            return -1;
        }
        given[n++] = (tpt_item_answer){item, json_number_value(v)};
    }
    tpt_error err = {0};
    if (tpt_instrument_score(in, given, n, score, &err) != 0 || !score->scored) {
        srv_reply_error(c->res, 400, "invalid-answer", "answers", "%s",
                        *err.message ? err.message : "too few items answered to score");
        return -1;
    }
    json_object_foreach(names, item, v)
    {
        if (!json_is_string(v) ||
            tpt_instrument_check_name(in, item, json_string_value(v), &err) != 0) {
            srv_reply_error(c->res, 400, "invalid-field", "names", "%s",
                            json_is_string(v) ? err.message : "a name is a string");
            return -1;
        }
        if (!json_object_get(answers, item)) {
            srv_reply_error(c->res, 400, "invalid-field", "names",
                            "\"%s\" is named but not answered", item);
            return -1;
        }
    }
    m->score = score->value;
    snprintf(m->band, sizeof m->band, "%s", score->band ? score->band->id : "");
    m->answers = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    bool named = json_object_size(names) > 0;
    m->names = named ? json_dumps(names, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (!m->answers || (named && !m->names)) {
        free(m->answers);
        free(m->names);
        m->answers = m->names = NULL;
        srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
        return -1;
    }
    return 0;
}

/* A measure as the API shows it, with what its score was made of. */
static json_t *scored_json(const tpt_measure *m, const tpt_score *score)
{
    json_t *o = tpt_measure_json(m);
    json_object_set_new(o, "answered", json_integer((json_int_t)score->answered));
    json_object_set_new(o, "items", json_integer((json_int_t)score->items));
    if (score->has_subscale) json_object_set_new(o, "subscale", json_real(score->subscale));
    return o;
}

static void post_measure(srv_ctx *c)
{
    const char *id = json_string_value(json_object_get(c->body, "instrument"));
    json_t *visit = json_object_get(c->body, "visit");
    const tpt_instrument *in = id ? tpt_instrument_find(c->data->instruments, id) : NULL;
    if (!in) {
        srv_reply_error(c->res, 400, "invalid-field", "instrument",
                        "\"instrument\" is the id of an instrument (GET /api/v1/instruments)");
        return;
    }
    if (visit && !json_is_null(visit) &&
        (!json_is_integer(visit) || json_integer_value(visit) < 1 ||
         json_integer_value(visit) > 1000)) {
        srv_reply_error(c->res, 400, "invalid-field", "visit", "\"visit\" is a visit's number");
        return;
    }
    tpt_measure m = {.patient = c->patient,
                     .author = c->caller.user.id,
                     .visit = (int)json_integer_value(visit)};
    tpt_score score;
    tpt_error err = {0};
    snprintf(m.instrument, sizeof m.instrument, "%s", in->id);
    srv_now(c, m.at);
    if (read_answers(c, in, &m, &score) != 0) return;
    if (tpt_store_measure_add(c->store, &m, &m.id, &err) != 0) {
        srv_reply_internal(c->res, &err);
    } else {
        srv_record_audit(c, "kept an outcome measure");
        c->res->status = 201;
        c->res->body = json_pack("{s:o}", "measure", scored_json(&m, &score));
    }
    free(m.answers);
    free(m.names);
}

/* PUT or DELETE /measures/N: the answers (and names) corrected and scored
 * again, or the measure removed, by whoever entered it or the clinic's
 * staff; the course of care and the clinic's figures are made from what is
 * kept, so they follow. */
void srv_record_measure(srv_ctx *c)
{
    bool put = strcmp(c->req->method, "PUT") == 0, del = strcmp(c->req->method, "DELETE") == 0;
    if (!put && !del) {
        srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes PUT or DELETE",
                        c->req->path);
        return;
    }
    tpt_measure_list list;
    tpt_error err = {0};
    int64_t id = srv_path_id(c->rest);
    if (tpt_store_measure_list(c->store, c->patient, &list, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return;
    }
    const tpt_measure *kept = NULL;
    for (size_t i = 0; i < list.count && !kept; i++)
        if (list.items[i].id == id) kept = &list.items[i];
    const tpt_instrument *in =
        kept ? tpt_instrument_find(c->data->instruments, kept->instrument) : NULL;
    char action[96];
    if (!kept || !in) {
        srv_reply_error(c->res, 404, "not-found", NULL, "no measure %s in this record", c->rest);
    } else if (srv_may_correct(c, kept->author) != 0) {
        /* the refusal is in res */
    } else if (del) {
        if (tpt_store_measure_remove(c->store, c->patient, id, &err) != 0) {
            srv_reply_failed(c->res, &err, NULL);
        } else {
            snprintf(action, sizeof action, "removed outcome measure %lld", (long long)id);
            srv_record_audit(c, action);
            c->res->body = json_pack("{s:I}", "removed", (json_int_t)id);
        }
    } else {
        tpt_measure m = *kept;
        tpt_score score;
        if (read_answers(c, in, &m, &score) == 0) {
            if (tpt_store_measure_update(c->store, &m, &err) != 0) {
                srv_reply_failed(c->res, &err, NULL);
            } else {
                snprintf(action, sizeof action, "corrected outcome measure %lld", (long long)id);
                srv_record_audit(c, action);
                c->res->body = json_pack("{s:o}", "measure", scored_json(&m, &score));
            }
            free(m.answers);
            free(m.names);
        }
    }
    tpt_measure_list_free(&list);
}

void srv_record_measures(srv_ctx *c)
{
    if (strcmp(c->req->method, "GET") == 0)
        get_measures(c);
    else if (strcmp(c->req->method, "POST") == 0)
        post_measure(c);
    else
        srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes GET or POST",
                        c->req->path);
}

/* ---- the course of care ---- */

void srv_record_course(srv_ctx *c)
{
    if (strcmp(c->req->method, "GET") != 0) {
        srv_reply_error(c->res, 405, "method-not-allowed", NULL, "%s takes GET", c->req->path);
        return;
    }
    tpt_error err = {0};
    json_t *o = tpt_course_json(c->data->instruments, c->store, c->patient, &err);
    if (!o) {
        srv_reply_internal(c->res, &err);
        return;
    }
    c->res->body = o;
    srv_record_audit(c, "read the course of care");
}

/* ---- the clinic's view ---- */

/* GET /api/v1/clinic: the caseload, who is due for reassessment, who has not
 * improved after the planned course, and the clinic's outcomes. */
void srv_clinic_outcomes(srv_ctx *c)
{
    if (srv_sign_in_as(c, false, SRV_STAFF) != 0) return;
    tpt_error err = {0};
    c->res->body =
        tpt_clinic_outcomes_json(c->data->instruments, c->store, c->caller.user.clinic, &err);
    if (!c->res->body) {
        srv_reply_internal(c->res, &err);
        return;
    }
    srv_audit(c, c->caller.user.id, "read the clinic's outcomes", 0);
}
