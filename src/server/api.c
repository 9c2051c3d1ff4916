/* The JSON API under /api/v1: routing and the engine's endpoints, each a thin
 * adapter over the library calls the command line makes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "tpt/infer.h"
#include "tpt/json.h"
#include "tpt/plan.h"

#define PREFIX "/api/v1"

/* ---- reading request bodies ---- */

static json_t *parse_body(const tpt_request *req, tpt_response *res)
{
    json_error_t e;
    json_t *body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &e);
    if (!body) {
        tpt_response_error(res, 400, "invalid-json", NULL, "line %d, column %d: %s", e.line,
                           e.column, e.text);
        return NULL;
    }
    if (!json_is_object(body)) {
        tpt_response_error(res, 400, "invalid-json", NULL, "the body must be a JSON object");
        json_decref(body);
        return NULL;
    }
    return body;
}

/* A mark as "region[:kind][:intensity]" or {"region", "kind", "intensity"}. */
static int mark_text(json_t *m, char *out, size_t size)
{
    if (json_is_string(m)) {
        snprintf(out, size, "%s", json_string_value(m));
        return 0;
    }
    json_t *region = json_object_get(m, "region"), *kind = json_object_get(m, "kind"),
           *intensity = json_object_get(m, "intensity");
    if (!json_is_object(m) || !json_is_string(region) || (kind && !json_is_string(kind)) ||
        (intensity && !json_is_integer(intensity)))
        return -1;
    int n = snprintf(out, size, "%s", json_string_value(region));
    if (kind) n += snprintf(out + n, size - (size_t)n, ":%s", json_string_value(kind));
    if (intensity)
        snprintf(out + n, size - (size_t)n, ":%lld", (long long)json_integer_value(intensity));
    return 0;
}

static void add_warnings(const tpt_atlas *atlas, json_t *body, unsigned warnings)
{
    if (!warnings || !body) return;
    json_t *list = json_array();
    for (int w = 0; w < TPT_WARNING_COUNT; w++) {
        if (!(warnings & (1u << w))) continue;
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "id", atlas->warnings[w].id,
                                              "level", tpt_level_name(atlas->warnings[w].level),
                                              "advice", atlas->warnings[w].advice));
    }
    json_object_set_new(body, "warnings", list);
}

static void append(char *out, size_t size, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *out, size_t size, size_t *used, const char *fmt, ...)
{
    if (*used >= size) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + *used, size - *used, fmt, ap);
    va_end(ap);
    if (n > 0) *used += (size_t)n;
}

int tpt_api_read_drawing(const tpt_server_data *data, json_t *body, tpt_drawing_request *d,
                         tpt_response *res)
{
    json_t *marks = json_object_get(body, "marks"), *findings = json_object_get(body, "findings");
    if (!json_is_array(marks) || json_array_size(marks) == 0) {
        tpt_response_error(res, 400, "invalid-field", "marks",
                           "\"marks\" must be a non-empty array of marks");
        return -1;
    }
    if (json_array_size(marks) > TPT_MAX_REGIONS) {
        tpt_response_error(res, 400, "invalid-field", "marks", "a drawing has at most %d marks",
                           TPT_MAX_REGIONS);
        return -1;
    }
    static _Thread_local char texts[TPT_MAX_REGIONS][TPT_MARK_TEXT_MAX];
    char *ptrs[TPT_MAX_REGIONS];
    size_t i;
    json_t *m;
    json_array_foreach(marks, i, m)
    {
        char field[32];
        snprintf(field, sizeof field, "marks[%zu]", i);
        if (mark_text(m, texts[i], sizeof texts[i]) != 0) {
            tpt_response_error(res, 400, "invalid-field", field,
                               "a mark is \"region[:kind][:intensity]\" or {\"region\": ..., "
                               "\"kind\": ..., \"intensity\": ...}");
            return -1;
        }
        ptrs[i] = texts[i];
    }
    tpt_error err = {0};
    if (tpt_drawing_parse(data->regions, ptrs, json_array_size(marks), &d->drawing, &d->warnings,
                          &err) != 0) {
        tpt_response_error(res, tpt_http_status(err.status), "invalid-mark", "marks", "%s",
                           err.message);
        add_warnings(data->atlas, res->body, d->warnings);
        return -1;
    }
    d->nfindings = 0;
    size_t used = 0;
    d->typed[0] = '\0';
    if (findings && !json_is_array(findings)) {
        tpt_response_error(res, 400, "invalid-field", "findings", "\"findings\" must be an array");
        return -1;
    }
    json_array_foreach(findings, i, m)
    {
        char text[TPT_MARK_TEXT_MAX], field[32];
        snprintf(field, sizeof field, "findings[%zu]", i);
        json_t *name = json_object_get(m, "finding"), *side = json_object_get(m, "side");
        if (json_is_string(m))
            snprintf(text, sizeof text, "%s", json_string_value(m));
        else if (json_is_string(name) && json_is_string(side))
            snprintf(text, sizeof text, "%s:%s", json_string_value(name), json_string_value(side));
        else {
            tpt_response_error(res, 400, "invalid-field", field,
                               "a finding is {\"finding\": NAME, \"side\": \"l\"|\"r\"}");
            return -1;
        }
        if (d->nfindings == TPT_MAX_FINDINGS ||
            tpt_finding_parse(data->atlas, text, &d->findings[d->nfindings++], &err) != 0) {
            tpt_response_error(res, 400, "invalid-finding", field, "%s",
                               d->nfindings == TPT_MAX_FINDINGS ? "too many findings"
                                                                : err.message);
            return -1;
        }
        append(d->typed, sizeof d->typed, &used, "--finding %s ", text);
    }
    for (i = 0; i < json_array_size(marks); i++)
        append(d->typed, sizeof d->typed, &used, "%s%s", i ? " " : "", texts[i]);
    return 0;
}

/* ---- endpoints ---- */

static void post_map(const tpt_server_data *data, json_t *body, tpt_response *res)
{
    static _Thread_local tpt_drawing_request d;
    tpt_result result;
    tpt_error err = {0};
    if (tpt_api_read_drawing(data, body, &d, res) != 0) return;
    if (tpt_infer(data->atlas, &d.drawing, d.findings, d.nfindings, &result, &err) != 0) {
        tpt_response_error(res, tpt_http_status(err.status), "invalid-drawing", NULL, "%s",
                           err.message);
        return;
    }
    /* Written straight to text, as tpt map --batch does: building a jansson
     * tree for every answer was most of the cost of this busiest endpoint. */
    tpt_buf text = {0};
    if (tpt_result_write_json(data->atlas, &d.drawing, &result, &text) != 0) {
        tpt_buf_free(&text);
        tpt_response_error(res, 500, "internal", NULL, "out of memory");
        return;
    }
    res->json_text = text.data; /* handed over: the server frees it once sent */
    res->json_len = text.len;
}

/* GET /chart/VIEW.svg: the body chart of one view, uncoloured, as a
 * standalone SVG document (the page puts it inline and colours it itself). */
static void get_chart(const tpt_server_data *data, const char *name, tpt_response *res)
{
    static const char suffix[] = ".svg";
    size_t n = strlen(name), stem = n - (sizeof suffix - 1);
    char view[16];
    if (n < sizeof suffix || strcmp(name + stem, suffix) != 0 || stem >= sizeof view) stem = 0;
    memcpy(view, name, stem);
    view[stem] = '\0';
    if (!stem || !data->chart || !tpt_chart_view_find(data->chart, view)) {
        tpt_response_error(res, 404, "not-found", NULL,
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
        tpt_response_error(res, 500, "internal", NULL, "out of memory");
    } else {
        res->raw = doc.data;
        res->raw_len = doc.len;
        res->content_type = "image/svg+xml; charset=utf-8";
    }
    tpt_buf_free(&svg);
}

int tpt_api_read_answers(const tpt_server_data *data, json_t *answers, tpt_screen_result *out,
                         tpt_response *res)
{
    if (!json_is_object(answers)) {
        tpt_response_error(res, 400, "invalid-field", "answers",
                           "\"answers\" must be an object of screen answers");
        return -1;
    }
    char *text = json_dumps(answers, JSON_COMPACT);
    tpt_answers a;
    tpt_error err = {0};
    int rc = text ? tpt_answers_parse(data->screen, text, strlen(text), "answers", &a, &err)
                  : TPT_ERR_NOMEM;
    free(text);
    if (rc) {
        /* the position inside a re-serialised object means nothing to a client */
        const char *message = strstr(err.message, ": ");
        tpt_response_error(res, tpt_http_status(rc), "invalid-answer", "answers", "%s",
                           message ? message + 2 : err.message);
        return -1;
    }
    tpt_screen_evaluate(data->screen, &a, out);
    return 0;
}

static void post_screen(const tpt_server_data *data, json_t *body, tpt_response *res)
{
    tpt_screen_result result;
    /* the body is the answers object itself, as with tpt screen --answers */
    if (tpt_api_read_answers(data, body, &result, res) == 0)
        res->body = tpt_screen_result_json(data->screen, &result);
}

static void post_plan(const tpt_server_data *data, json_t *body, tpt_response *res)
{
    static _Thread_local tpt_drawing_request d;
    static _Thread_local tpt_plan plan;
    tpt_screen_result screen;
    tpt_result map;
    tpt_error err = {0};
    if (!json_object_get(body, "answers")) {
        tpt_response_error(res, 400, "screen-required", "answers",
                           "a plan needs the red-flag screen first: give \"answers\"");
        return;
    }
    if (tpt_api_read_answers(data, json_object_get(body, "answers"), &screen, res) != 0 ||
        tpt_api_read_drawing(data, body, &d, res) != 0)
        return;
    if (tpt_infer(data->atlas, &d.drawing, d.findings, d.nfindings, &map, &err) != 0 ||
        tpt_plan_build(data->atlas, data->techniques, data->screen, &screen, &d.drawing, &map,
                       &plan, &err) != 0) {
        tpt_response_error(res, tpt_http_status(err.status), "invalid-plan", NULL, "%s",
                           err.message);
        return;
    }
    res->body = tpt_plan_json(data->atlas, data->techniques, &plan);
}

/* GET /screen/questions: the groups and questions of the screen, for a page to ask. */
static void get_questions(const tpt_server_data *data, tpt_response *res)
{
    res->body = tpt_screen_questions_json(data->screen);
}

/* ---- routing ---- */

typedef void (*post_handler)(const tpt_server_data *, json_t *, tpt_response *);

static const struct {
    const char *path;
    post_handler handler;
} posts[] = {
    {PREFIX "/map", post_map},
    {PREFIX "/screen", post_screen},
    {PREFIX "/plan", post_plan},
};

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

void tpt_api_handle(const tpt_server_data *data, const tpt_request *req, tpt_response *res)
{
    res->status = 200;
    res->body = NULL;
    bool records = tpt_records_path(req->path), people = tpt_people_path(req->path);
    if (records || people) {
        json_t *body = NULL;
        tpt_caller caller;
        bool post = is(req->method, "POST") || is(req->method, "PUT");
        /* who is asking comes before what they sent: a malformed body without
         * a session is a 401 (invitations alone are for the signed-out) */
        if (post && strncmp(req->path, PREFIX "/invitations/", strlen(PREFIX "/invitations/")) &&
            tpt_auth_caller(data, req, true, &caller, res) != 0)
            goto done;
        /* no body at all reads as {}: the handler then names what is missing,
         * and a method the path does not take still answers 405 */
        if (post && !(body = req->body_len ? parse_body(req, res) : json_object())) goto done;
        if (records)
            tpt_records_handle(data, req, body, res);
        else
            tpt_people_handle(data, req, body, res);
        json_decref(body);
        goto done;
    }
    if (tpt_auth_path(req->path)) {
        /* logout takes no body; the other POSTs a JSON object */
        json_t *body = NULL;
        if (is(req->method, "POST") && !is(req->path, PREFIX "/logout") &&
            !(body = parse_body(req, res)))
            goto done;
        tpt_auth_handle(data, req, body, res);
        json_decref(body);
        goto done;
    }
    for (size_t i = 0; i < sizeof posts / sizeof *posts; i++) {
        if (!is(req->path, posts[i].path)) continue;
        if (!is(req->method, "POST")) {
            tpt_response_error(res, 405, "method-not-allowed", NULL, "%s takes POST", req->path);
            return;
        }
        json_t *body = parse_body(req, res);
        if (body) posts[i].handler(data, body, res);
        json_decref(body);
        goto done;
    }
    bool get = is(req->method, "GET");
    if (is(req->path, PREFIX "/health") && get) {
        res->body = json_pack("{s:s, s:s}", "status", "ok", "version", TPT_VERSION);
    } else if (is(req->path, PREFIX "/instruments") && get) {
        /* item texts may be a clinic's licensed copies: for its accounts only */
        tpt_caller caller;
        if (tpt_auth_caller(data, req, false, &caller, res) == 0) tpt_instruments_get(data, res);
    } else if (is(req->path, PREFIX "/screen/questions") && get) {
        get_questions(data, res);
    } else if (is(req->path, PREFIX "/regions") && get) {
        res->body = tpt_regions_json(data->regions);
    } else if (is(req->path, PREFIX "/openapi.json") && get) {
        /* api/openapi.json as embedded (re-serialised); the api tests check it parses */
        res->body = json_loadb((const char *)tpt__openapi, tpt__openapi_len, 0, NULL);
    } else if (is(req->path, PREFIX "/atlas") && get) {
        res->body = tpt_atlas_list_json(data->atlas);
    } else if (strncmp(req->path, PREFIX "/atlas/", strlen(PREFIX "/atlas/")) == 0 && get) {
        int c = tpt_atlas_find_cause(data->atlas, req->path + strlen(PREFIX "/atlas/"));
        if (c < 0)
            tpt_response_error(res, 404, "not-found", NULL, "no cause '%s' in the atlas",
                               req->path + strlen(PREFIX "/atlas/"));
        else
            res->body = tpt_cause_json(data->atlas, c);
    } else if (strncmp(req->path, PREFIX "/chart/", strlen(PREFIX "/chart/")) == 0 && get) {
        get_chart(data, req->path + strlen(PREFIX "/chart/"), res);
    } else if (!get &&
               (is(req->path, PREFIX "/health") || is(req->path, PREFIX "/regions") ||
                is(req->path, PREFIX "/openapi.json") ||
                is(req->path, PREFIX "/screen/questions") || is(req->path, PREFIX "/instruments") ||
                strncmp(req->path, PREFIX "/chart/", strlen(PREFIX "/chart/")) == 0 ||
                strncmp(req->path, PREFIX "/atlas", strlen(PREFIX "/atlas")) == 0)) {
        tpt_response_error(res, 405, "method-not-allowed", NULL, "%s takes GET", req->path);
    } else {
        tpt_response_error(res, 404, "not-found", NULL, "no such endpoint: %s %s", req->method,
                           req->path);
    }
done:
    if (!res->body && !res->raw && !res->json_text && res->status == 200)
        tpt_response_error(res, 500, "internal", NULL, "out of memory");
}
