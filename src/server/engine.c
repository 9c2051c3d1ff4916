/* The engine over HTTP, public: the pain map, the red-flag screen and a plan
 * for an answered screen and a drawing, each a thin adapter over the library
 * calls the command line makes; the screen's questions, the regions, the
 * atlas, the body chart, the API's own description and
 * the server's health. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "inputs.h"
#include "language.h"
#include "tpt/json.h"
#include "tpt/pictures.h"
#include "tpt/plan.h"

void srv_map(srv_ctx *c)
{
    const srv_data *data = c->data;
    json_t *body = c->body;
    srv_response *res = c->res;
    static _Thread_local srv_drawing d;
    tpt_result result;
    tpt_error err = {0};
    if (srv_read_drawing(data, body, &d, res) != 0) return;
    if (tpt_infer(data->atlas, &d.drawing, d.findings, d.nfindings, &result, &err) != 0) {
        srv_reply_error(res, srv_http_status(err.status), "invalid-drawing", NULL, "%s",
                        err.message);
        return;
    }
    /* Written straight to text, as tpt map --batch does: building a jansson
     * tree for every answer was most of the cost of this busiest endpoint. */
    tpt_buf text = {0};
    if (tpt_result_write_json(data->atlas, &d.drawing, &result, &text) != 0) {
        tpt_buf_free(&text);
        srv_reply_error(res, 500, "internal", NULL, "out of memory");
        return;
    }
    res->json_text = text.data; /* handed over: the server frees it once sent */
    res->json_len = text.len;
}

/* GET /chart/VIEW.svg: the body chart of one view, uncoloured, as a
 * standalone SVG document (the page puts it inline and colours it itself). */
void srv_chart(srv_ctx *c)
{
    const srv_data *data = c->data;
    const char *name = c->rest;
    srv_response *res = c->res;
    static const char suffix[] = ".svg";
    size_t n = strlen(name), stem = n - (sizeof suffix - 1);
    char view[16];
    if (n < sizeof suffix || strcmp(name + stem, suffix) != 0 || stem >= sizeof view) stem = 0;
    memcpy(view, name, stem);
    view[stem] = '\0';
    if (!stem || !data->chart || !tpt_chart_view_find(data->chart, view)) {
        srv_reply_error(res, 404, "not-found", NULL,
                        "no chart '%s' (front.svg, back.svg, left.svg or right.svg)", name);
        return;
    }
    tpt_buf svg = {0}, doc = {0};
    tpt_chart_write_svg(data->chart, data->regions, view, NULL, &svg);
    /* written for use inline in HTML; on its own an SVG needs its namespace */
    tpt_buf_puts(&doc, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    if (svg.data && strncmp(svg.data, "<svg", 4) == 0) tpt_buf_puts(&doc, svg.data + 4);
    if (svg.failed || doc.failed || !svg.data) {
        tpt_buf_free(&doc);
        srv_reply_error(res, 500, "internal", NULL, "out of memory");
    } else {
        res->raw = doc.data;
        res->raw_len = doc.len;
        res->content_type = "image/svg+xml; charset=utf-8";
    }
    tpt_buf_free(&svg);
}

/* GET /api/v1/pictures/ID.svg: the line drawing of a technique. */
void srv_picture(srv_ctx *c)
{
    const char *name = c->rest;
    size_t n = strlen(name), len = 0;
    char id[96];
    const char *svg = NULL;
    if (n > 4 && n - 4 < sizeof id && strcmp(name + n - 4, ".svg") == 0) {
        memcpy(id, name, n - 4);
        id[n - 4] = '\0';
        svg = tpt_picture(id, &len);
    }
    if (!svg) {
        srv_reply_error(c->res, 404, "not-found", NULL,
                        "no picture '%s': a technique's id with .svg (GET /api/v1/techniques)",
                        name);
        return;
    }
    if (!(c->res->raw = malloc(len))) {
        srv_reply_error(c->res, 500, "internal", NULL, "out of memory");
        return;
    }
    memcpy(c->res->raw, svg, len);
    c->res->raw_len = len;
    c->res->content_type = "image/svg+xml; charset=utf-8";
}

void srv_screen(srv_ctx *c)
{
    const srv_data *data = c->data;
    json_t *body = c->body;
    srv_response *res = c->res;
    tpt_screen_result result;
    /* the body is the answers object itself, as with tpt screen --answers */
    if (srv_read_answers(data, body, &result, res) == 0)
        res->body = tpt_screen_result_json(data->screen, &result);
}

void srv_plan(srv_ctx *c)
{
    const srv_data *data = c->data;
    json_t *body = c->body;
    srv_response *res = c->res;
    static _Thread_local srv_drawing d;
    static _Thread_local tpt_plan plan;
    tpt_screen_result screen;
    tpt_result map;
    tpt_error err = {0};
    if (!json_object_get(body, "answers")) {
        srv_reply_error(res, 400, "screen-required", "answers",
                        "a plan needs the red-flag screen first: give \"answers\"");
        return;
    }
    if (srv_read_answers(data, json_object_get(body, "answers"), &screen, res) != 0 ||
        srv_read_drawing(data, body, &d, res) != 0)
        return;
    if (tpt_infer(data->atlas, &d.drawing, d.findings, d.nfindings, &map, &err) != 0 ||
        tpt_plan_build(data->atlas, data->techniques, data->screen, &screen, &d.drawing, &map,
                       &plan, &err) != 0) {
        srv_reply_error(res, srv_http_status(err.status), "invalid-plan", NULL, "%s", err.message);
        return;
    }
    res->body = tpt_plan_json(data->atlas, data->techniques, &plan);
}

/* GET /screen/questions: the groups and questions of the screen, for a page to ask. */
void srv_screen_questions(srv_ctx *c)
{
    c->res->body = tpt_screen_questions_json(c->data->screen);
}

void srv_health(srv_ctx *c)
{
    c->res->body = json_pack("{s:s, s:s}", "status", "ok", "version", TPT_VERSION);
}

void srv_regions(srv_ctx *c)
{
    c->res->body = tpt_regions_json(c->data->regions);
}

/* api/openapi.json as embedded (re-serialised); the api tests check it parses. */
void srv_openapi(srv_ctx *c)
{
    c->res->body = json_loadb((const char *)tpt__openapi, tpt__openapi_len, 0, NULL);
}

/* A cause's name in everyday words (data/lay-names.json), in the request's
 * language, beside its entry; none when the data has none. */
static void add_lay_name(srv_ctx *c, json_t *entry)
{
    const char *id = json_string_value(json_object_get(entry, "cause"));
    if (!id) id = json_string_value(json_object_get(entry, "id"));
    const char *lay = tpt_lay_name(srv_words(c->data, c->req), id);
    json_object_set_new(entry, "lay", lay ? json_string(lay) : json_null());
}

void srv_atlas_list(srv_ctx *c)
{
    json_t *list = tpt_atlas_list_json(c->data->atlas), *entry;
    size_t i;
    json_array_foreach(json_object_get(list, "causes"), i, entry) add_lay_name(c, entry);
    c->res->body = list;
}

void srv_atlas_cause(srv_ctx *c)
{
    int cause = tpt_atlas_find_cause(c->data->atlas, c->rest);
    if (cause < 0) {
        srv_reply_error(c->res, 404, "not-found", NULL, "no cause '%s' in the atlas", c->rest);
    } else {
        c->res->body = tpt_cause_json(c->data->atlas, cause);
        add_lay_name(c, c->res->body);
    }
}

/* The acupuncture points and the stretches of the treatment data, each
 * stretch with the muscle it is for, so that a visit's form offers what the
 * data holds (in its order) rather than a copy of it. */
void srv_techniques(srv_ctx *c)
{
    const tpt_techniques *t = c->data->techniques;
    const tpt_atlas *atlas = c->data->atlas;
    json_t *points = json_array(), *stretches = json_array();
    for (size_t i = 0; i < t->nacupoints; i++)
        json_array_append_new(points, json_pack("{s:s, s:s, s:s}", "id", t->acupoints[i].id, "name",
                                                t->acupoints[i].name, "location",
                                                t->acupoints[i].location));
    for (size_t i = 0; i < t->ntreatments; i++) {
        const tpt_treatment *tr = &t->treatments[i];
        const char *muscle = atlas->causes[tr->cause].muscle;
        for (size_t k = 0; k < tr->nstretches; k++)
            json_array_append_new(stretches,
                                  json_pack("{s:s, s:s, s:s?}", "id", tr->stretches[k].id, "title",
                                            tr->stretches[k].title, "muscle", muscle));
    }
    c->res->body = json_pack("{s:o, s:o}", "acupoints", points, "stretches", stretches);
}
