/* A clinic's licensed item texts of outcome measures, in PostgreSQL: one
 * row per clinic and instrument, under row-level security like the
 * clinical tables, so that a clinic's text is not there for another
 * clinic's requests. store.c has checked the arguments and that the clinic
 * exists. */
#include <stdio.h>
#include <string.h>

#include "postgres.h"

static int text_set(tpt__pg *c, const tpt_instrument_text *t, bool *replaced, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, t->clinic);
    tpt__pg_text(&p, t->instrument);
    tpt__pg_text(&p, t->file);
    tpt__pg_time(&p, t->at);
    tpt__pg_id(&p, t->author);
    tpt__pg_text(&p, t->text);
    /* one statement: a replacement keeps the row (and its id); xmax is set
     * on a row the statement updated rather than inserted */
    PGresult *r = tpt__pg_run(c,
                              "INSERT INTO instrument_texts (clinic_id, instrument, file, at, "
                              "author_id, text) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT "
                              "(clinic_id, instrument) DO UPDATE SET file = EXCLUDED.file, at = "
                              "EXCLUDED.at, author_id = EXCLUDED.author_id, text = EXCLUDED.text "
                              "RETURNING xmax <> 0",
                              &p, "keeping the licensed text", err);
    if (!r) return FAILED;
    *replaced = strcmp(c->pq->getvalue(r, 0, 0), "t") == 0;
    c->pq->clear(r);
    return 0;
}

int tpt__pg_instrument_text_set(tpt_store *s, const tpt_instrument_text *t, bool *replaced,
                                tpt_error *err)
{
    CALL(s, text_set(c, t, replaced, err));
}

static int text_delete(tpt__pg *c, int64_t clinic, const char *instrument, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, clinic);
    tpt__pg_text(&p, instrument);
    PGresult *r =
        tpt__pg_run(c, "DELETE FROM instrument_texts WHERE clinic_id = $1 AND instrument = $2", &p,
                    "removing the licensed text", err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    if (changed == 0)
        return tpt_error_set(err, TPT_ERR_INPUT, "clinic %lld has no licensed text of '%s'",
                             (long long)clinic, instrument);
    return 0;
}

int tpt__pg_instrument_text_delete(tpt_store *s, int64_t clinic, const char *instrument,
                                   tpt_error *err)
{
    CALL(s, text_delete(c, clinic, instrument, err));
}

static int text_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_instrument_text *t = item;
    t->clinic = tpt__pg_int64(c, r, i, 0);
    tpt__pg_copy(c, r, i, 1, t->instrument, sizeof t->instrument);
    tpt__pg_copy(c, r, i, 2, t->file, sizeof t->file);
    tpt__pg_copy(c, r, i, 3, t->at, sizeof t->at);
    t->author = tpt__pg_int64(c, r, i, 4);
    return tpt__pg_dup(c, r, i, 5, &t->text) || !t->text ? -1 : 0;
}

static int text_list(tpt__pg *c, int64_t clinic, tpt_instrument_text_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, clinic);
    /* instrument ids are ASCII: byte order is the order SQLite gives */
    PGresult *r = tpt__pg_run(c,
                              "SELECT clinic_id, instrument, file, tpt_utc_text(at), "
                              "coalesce(author_id, 0), text FROM instrument_texts WHERE clinic_id "
                              "= $1 ORDER BY instrument COLLATE \"C\"",
                              &p, "listing the licensed texts", err);
    if (!r) return FAILED;
    int rc =
        tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, text_item, err);
    if (rc) tpt_instrument_text_list_free(out);
    return rc;
}

int tpt__pg_instrument_text_list(tpt_store *s, int64_t clinic, tpt_instrument_text_list *out,
                                 tpt_error *err)
{
    CALL(s, text_list(c, clinic, out, err));
}
