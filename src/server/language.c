/* The language of an answer (language.h): chosen per request, so that the
 * same server answers a German browser in German and curl in English, and
 * a person's own choice (kept with the account, sent by the pages as
 * Accept-Language) wins over the browser's. */
#include <stdlib.h>
#include <string.h>

#include "language.h"
#include "tpt/words.h"

int srv_languages_load(srv_data *data, tpt_error *err)
{
    size_t n;
    const tpt_language *all = tpt_languages(&n);
    for (size_t i = 0; i < n && i < SRV_LANGUAGES_MAX; i++)
        if (!(data->words[i] = tpt_words_load(all[i].id, err))) return err->status;
    return 0;
}

void srv_languages_free(srv_data *data)
{
    for (size_t i = 0; i < SRV_LANGUAGES_MAX; i++) {
        tpt_words_free(data->words[i]);
        data->words[i] = NULL;
    }
}

static const tpt_words *words_of(const srv_data *data, const tpt_language *l)
{
    size_t n;
    const tpt_language *all = tpt_languages(&n);
    size_t i = l ? (size_t)(l - all) : 0;
    return i < SRV_LANGUAGES_MAX ? data->words[i] : NULL;
}

/* The language of an Accept-Language header: the one tpt speaks with the
 * highest weight ("de;q=0.9, en;q=0.8"), the first of equals; NULL for none. */
static const tpt_language *accepted(const char *header)
{
    const tpt_language *best = NULL;
    double best_q = 0;
    for (const char *p = header; p && *p;) {
        p += strspn(p, " \t,");
        size_t tag = strcspn(p, " \t;,");
        const char *end = p + strcspn(p, ",");
        double q = 1;
        const char *w = strstr(p, ";q=");
        if (!w) w = strstr(p, "; q=");
        if (w && w < end) q = strtod(strchr(w, '=') + 1, NULL);
        const tpt_language *l = tag ? tpt_language_find(p, tag) : NULL;
        if (l && q > best_q) {
            best = l;
            best_q = q;
        }
        p = end;
    }
    return best;
}

const tpt_words *srv_words(const srv_data *data, const srv_request *req)
{
    const char *asked = srv_request_arg(req, "lang");
    const tpt_language *l = asked ? tpt_language_find(asked, strlen(asked)) : NULL;
    if (!l) l = accepted(req->accept_language);
    return words_of(data, l);
}

int srv_language_field(srv_ctx *c, const char *key, bool none, const char **out)
{
    json_t *v = json_object_get(c->body, key);
    const char *tag = json_string_value(v);
    const tpt_language *l = tag ? tpt_language_find(tag, strlen(tag)) : NULL;
    *out = !v ? NULL : tag && none && !*tag ? "" : l && strcmp(l->id, tag) == 0 ? l->id : NULL;
    if (!v || *out) return 0;
    size_t n;
    const tpt_language *all = tpt_languages(&n);
    char known[64] = "";
    for (size_t i = 0; i < n; i++)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s\"%s\"", i ? ", " : "",
                 all[i].id);
    srv_reply_error(c->res, 400, "invalid-field", key, "\"%s\" is one of %s%s", key, known,
                    none ? ", or \"\" to follow the browser" : "");
    return -1;
}

void srv_translate_answer(srv_ctx *c)
{
    const tpt_words *w = srv_words(c->data, c->req);
    if (!w || strcmp(tpt_words_language(w), "en") == 0) return; /* written in English */
    srv_response *res = c->res;
    if (res->json_text) { /* written as text by the core: read back to translate */
        json_t *answer = json_loadb(res->json_text, res->json_len, 0, NULL);
        if (!answer) return;
        free(res->json_text);
        res->json_text = NULL;
        res->json_len = 0;
        json_decref(res->body);
        res->body = answer;
    }
    if (res->body) tpt_words_translate(w, res->body);
}

void srv_languages(srv_ctx *c)
{
    size_t n;
    const tpt_language *all = tpt_languages(&n);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s, s:s}", "id", all[i].id, "name", all[i].name));
    const tpt_words *w = srv_words(c->data, c->req);
    c->res->body = json_pack("{s:o, s:s}", "languages", list, "chosen", tpt_words_language(w));
}

/* The catalogue as the data file has it: {"language", "name", "messages"}. */
void srv_messages(srv_ctx *c)
{
    size_t len;
    const char *text = tpt_words_file(c->rest, &len);
    if (!text || !*c->rest || strchr(c->rest, '/') ||
        strcmp(tpt_language_find(c->rest, strlen(c->rest))->id, c->rest) != 0) {
        srv_reply_error(c->res, 404, "not-found", NULL, "tpt has no language '%s'", c->rest);
        return;
    }
    json_t *file = json_loadb(text, len, 0, NULL);
    if (!file) {
        srv_reply_error(c->res, 500, "internal", NULL, "the catalogue cannot be read");
        return;
    }
    c->res->body =
        json_pack("{s:O, s:O, s:O}", "language", json_object_get(file, "language"), "name",
                  json_object_get(file, "name"), "messages", json_object_get(file, "messages"));
    json_decref(file);
}
