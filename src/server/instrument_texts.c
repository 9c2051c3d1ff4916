/* A clinic's licensed wording of outcome measures over HTTP: its admins
 * keep, replace and remove the item-text files of the ODI, the RMDQ and
 * STarT Back the clinic holds a licence for (record/instrument_texts.h),
 * and every account of the clinic sees the measures with them (GET
 * /instruments); no other clinic does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "record/instrument_texts.h"
#include "language.h"
#include "tpt/json.h"

/* GET /instruments: the outcome measures and their items, with the item
 * texts the caller's clinic holds (the route signs in). */
void srv_instruments(srv_ctx *c)
{
    const tpt_instruments *set = c->data->instruments;
    tpt_instruments *own = NULL;
    tpt_error err = {0};
    if (tpt_clinic_instruments(c->store, c->caller.user.clinic, c->data->server_texts,
                               c->data->nserver_texts, &own, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return;
    }
    if (own) set = own;
    /* the name and what it measures in the request's language where the
     * instrument's file translates them (the items' texts are translated
     * with every answer's texts) */
    const tpt_words *w = srv_words(c->data, c->req);
    json_t *list = json_array();
    for (size_t i = 0; set && i < set->count; i++) {
        json_t *o = tpt_instrument_json(set->items[i]);
        json_object_set_new(o, "name", json_string(tpt_word(w, set->items[i]->name)));
        json_object_set_new(o, "about", json_string(tpt_word(w, set->items[i]->about)));
        json_array_append_new(list, o);
    }
    c->res->body = json_pack("{s:o}", "instruments", list);
    tpt_instruments_free(own);
}

static json_t *text_json(const tpt_instruments *set, const tpt_instrument_text *t)
{
    const tpt_instrument *in = tpt_instrument_find(set, t->instrument);
    return json_pack("{s:s, s:s?, s:s, s:s, s:o}", "instrument", t->instrument, "name",
                     in ? in->name : NULL, "file", t->file, "at", t->at, "by",
                     t->author ? json_integer(t->author) : json_null());
}

/* GET /instrument-texts: the clinic's licensed texts (which, from what
 * file, when, by whom), without their wording. */
void srv_instrument_texts_list(srv_ctx *c)
{
    if (srv_sign_in_as(c, false, SRV_ADMIN) != 0) return;
    tpt_instrument_text_list list;
    tpt_error err = {0};
    if (tpt_store_instrument_text_list(c->store, c->caller.user.clinic, &list, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, text_json(c->data->instruments, &list.items[i]));
    tpt_instrument_text_list_free(&list);
    c->res->body = json_pack("{s:o}", "texts", items);
}

/* The instrument the path names, which must take a clinic's licensed text;
 * NULL with the answer in c->res. */
static const tpt_instrument *licensed(srv_ctx *c)
{
    const tpt_instrument *in = tpt_instrument_find(c->data->instruments, c->rest);
    if (!in)
        srv_reply_error(c->res, 404, "not-found", NULL,
                        "no instrument '%.80s' (GET /api/v1/instruments lists them)", c->rest);
    else if (!in->licence.text_from_clinic)
        srv_reply_error(c->res, 422, "no-licence-needed", NULL,
                        "the wording of '%s' is tpt's own and needs no licence: only the licensed "
                        "questionnaires (ODI, RMDQ, STarT Back) take a clinic's text",
                        in->id);
    return in && in->licence.text_from_clinic ? in : NULL;
}

/* PUT /instrument-texts/INSTRUMENT[?file=NAME]: the body is the item-text
 * file; kept as the clinic's (201), or replacing the one it had (200). */
void srv_instrument_text_put(srv_ctx *c)
{
    const tpt_instrument *in;
    if (srv_sign_in_as(c, true, SRV_ADMIN) != 0 || !(in = licensed(c))) return;
    char name[TPT_NAME_MAX + 1], at[TPT_TIME_MAX], kept[TPT_INSTRUMENT_ID_MAX + 1];
    const char *file = srv_request_arg(c->req, "file");
    if (file && (!*file || strlen(file) > TPT_NAME_MAX)) {
        srv_reply_error(c->res, 400, "invalid-field", "file",
                        "file is a name of 1 to %d characters", TPT_NAME_MAX);
        return;
    }
    if (file)
        snprintf(name, sizeof name, "%s", file);
    else
        snprintf(name, sizeof name, "%s.json", in->id);
    tpt_text_file given = {name, c->req->body, c->req->body_len};
    bool replaced = false;
    tpt_error err = {0};
    srv_now(c, at);
    if (tpt_licensed_text_keep(c->store, c->caller.user.clinic, c->caller.user.id, at, &given,
                               in->id, kept, &replaced, &err) != 0) {
        if (err.status == TPT_ERR_INPUT)
            srv_reply_error(c->res, 422, "invalid-text", NULL, "%s", err.message);
        else
            srv_reply_internal(c->res, &err);
        return;
    }
    char action[128];
    snprintf(action, sizeof action, "%s the clinic's licensed text of %s",
             replaced ? "replaced" : "added", in->id);
    srv_audit(c, c->caller.user.id, action, 0);
    tpt_instrument_text t = {.clinic = c->caller.user.clinic, .author = c->caller.user.id};
    snprintf(t.instrument, sizeof t.instrument, "%s", in->id);
    snprintf(t.file, sizeof t.file, "%s", name);
    snprintf(t.at, sizeof t.at, "%s", at);
    c->res->status = replaced ? 200 : 201;
    c->res->body = json_pack("{s:o}", "text", text_json(c->data->instruments, &t));
}

/* DELETE /instrument-texts/INSTRUMENT: the clinic's text forgotten; its
 * pages show the measure without wording again (numbers from the paper
 * form). */
void srv_instrument_text_delete(srv_ctx *c)
{
    const tpt_instrument *in;
    if (srv_sign_in_as(c, true, SRV_ADMIN) != 0 || !(in = licensed(c))) return;
    tpt_error err = {0};
    if (tpt_store_instrument_text_delete(c->store, c->caller.user.clinic, in->id, &err) != 0) {
        if (err.status == TPT_ERR_INPUT)
            srv_reply_error(c->res, 404, "not-found", NULL,
                            "the clinic has no licensed text of '%s'", in->id);
        else
            srv_reply_internal(c->res, &err);
        return;
    }
    char action[128];
    snprintf(action, sizeof action, "removed the clinic's licensed text of %s", in->id);
    srv_audit(c, c->caller.user.id, action, 0);
    c->res->body = json_pack("{s:s}", "removed", in->id);
}
