/* The engine's inputs as a request gives them (inputs.h): a drawing's
 * marks and findings, and the red-flag screen's answers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs.h"

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

int srv_read_drawing(const srv_data *data, json_t *body, srv_drawing *d, srv_response *res)
{
    json_t *marks = json_object_get(body, "marks"), *findings = json_object_get(body, "findings");
    if (!json_is_array(marks) || json_array_size(marks) == 0) {
        srv_reply_error(res, 400, "invalid-field", "marks",
                        "\"marks\" must be a non-empty array of marks");
        return -1;
    }
    if (json_array_size(marks) > TPT_MAX_REGIONS) {
        srv_reply_error(res, 400, "invalid-field", "marks", "a drawing has at most %d marks",
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
            srv_reply_error(res, 400, "invalid-field", field,
                            "a mark is \"region[:kind][:intensity]\" or {\"region\": ..., "
                            "\"kind\": ..., \"intensity\": ...}");
            return -1;
        }
        ptrs[i] = texts[i];
    }
    tpt_error err = {0};
    if (tpt_drawing_parse(data->regions, ptrs, json_array_size(marks), &d->drawing, &d->warnings,
                          &err) != 0) {
        srv_reply_error(res, srv_http_status(err.status), "invalid-mark", "marks", "%s",
                        err.message);
        add_warnings(data->atlas, res->body, d->warnings);
        return -1;
    }
    d->nfindings = 0;
    size_t used = 0;
    d->typed[0] = '\0';
    if (findings && !json_is_array(findings)) {
        srv_reply_error(res, 400, "invalid-field", "findings", "\"findings\" must be an array");
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
            srv_reply_error(res, 400, "invalid-field", field,
                            "a finding is {\"finding\": NAME, \"side\": \"l\"|\"r\"}");
            return -1;
        }
        if (d->nfindings == TPT_MAX_FINDINGS ||
            tpt_finding_parse(data->atlas, text, &d->findings[d->nfindings++], &err) != 0) {
            srv_reply_error(res, 400, "invalid-finding", field, "%s",
                            d->nfindings == TPT_MAX_FINDINGS ? "too many findings" : err.message);
            return -1;
        }
        append(d->typed, sizeof d->typed, &used, "--finding %s ", text);
    }
    for (i = 0; i < json_array_size(marks); i++)
        append(d->typed, sizeof d->typed, &used, "%s%s", i ? " " : "", texts[i]);
    return 0;
}

int srv_read_answers(const srv_data *data, json_t *answers, tpt_screen_result *out,
                     srv_response *res)
{
    if (!json_is_object(answers)) {
        srv_reply_error(res, 400, "invalid-field", "answers",
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
        srv_reply_error(res, srv_http_status(rc), "invalid-answer", "answers", "%s",
                        message ? message + 2 : err.message);
        return -1;
    }
    tpt_screen_evaluate(data->screen, &a, out);
    return 0;
}
