/* A clinic's licensed wording of outcome measures (instrument_texts.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "record/instrument_texts.h"

_Static_assert(TPT_INSTRUMENT_TEXT_MAX == TPT_INSTRUMENT_FILE_MAX,
               "the store keeps every file the instruments take");

/* The instrument a file that has just been merged names. */
static const tpt_instrument *named(const tpt_instruments *set, const tpt_text_file *file)
{
    json_t *root = json_loadb(file->json, file->len, 0, NULL);
    const char *id = json_string_value(json_object_get(root, "instrument"));
    const tpt_instrument *in = id ? tpt_instrument_find(set, id) : NULL;
    json_decref(root);
    return in;
}

int tpt_licensed_text_keep(tpt_store *store, int64_t clinic, int64_t author, const char *at,
                           const tpt_text_file *file, const char *expected, char *instrument,
                           bool *replaced, tpt_error *err)
{
    tpt_instruments *set = tpt_instruments_default(err);
    if (!set) return err ? err->status : TPT_ERR_NOMEM;
    const tpt_instrument *in = NULL;
    int rc = tpt_instruments_add_text(set, file->json, file->len, file->name, err);
    if (rc == TPT_ERR_DATA) rc = TPT_ERR_INPUT; /* the file is what was given */
    if (rc) {
        if (err) err->status = rc;
    } else if (!(in = named(set, file))) {
        rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    } else if (!in->licence.text_from_clinic) {
        rc = tpt_error_set(err, TPT_ERR_INPUT,
                           "%s: the wording of '%s' is tpt's own and needs no licence: only the "
                           "licensed questionnaires (ODI, RMDQ, STarT Back) take a clinic's text",
                           file->name, in->id);
    } else if (expected && strcmp(expected, in->id) != 0) {
        rc = tpt_error_set(err, TPT_ERR_INPUT, "%s is the text of '%s', not of '%s'", file->name,
                           in->id, expected);
    } else {
        tpt_instrument_text t = {.clinic = clinic, .author = author, .text = (char *)file->json};
        snprintf(t.instrument, sizeof t.instrument, "%s", in->id);
        snprintf(t.file, sizeof t.file, "%s", file->name);
        snprintf(t.at, sizeof t.at, "%s", at);
        rc = tpt_store_instrument_text_set(store, &t, replaced, err);
        if (!rc) snprintf(instrument, TPT_INSTRUMENT_ID_MAX + 1, "%s", in->id);
    }
    tpt_instruments_free(set);
    return rc;
}

int tpt_clinic_instruments(tpt_store *store, int64_t clinic, const tpt_text_file *server_wide,
                           size_t n, tpt_instruments **out, tpt_error *err)
{
    tpt_instrument_text_list own;
    *out = NULL;
    int rc = tpt_store_instrument_text_list(store, clinic, &own, err);
    if (rc || own.count == 0) return rc;
    tpt_instruments *set = tpt_instruments_default(err);
    if (!set) rc = err ? err->status : TPT_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n; i++)
        rc = tpt_instruments_add_text(set, server_wide[i].json, server_wide[i].len,
                                      server_wide[i].name, err);
    for (size_t i = 0; !rc && i < own.count; i++) {
        tpt_instrument_text *t = &own.items[i];
        tpt_error why = {0};
        if (tpt_instruments_add_text(set, t->text, strlen(t->text), t->file, &why) == 0) continue;
        if (why.status == TPT_ERR_NOMEM)
            rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
        else
            fprintf(stderr, "tpt: clinic %lld's licensed text of %s is left out: %s\n",
                    (long long)clinic, t->instrument, why.message);
    }
    tpt_instrument_text_list_free(&own);
    if (rc)
        tpt_instruments_free(set);
    else
        *out = set;
    return rc;
}
