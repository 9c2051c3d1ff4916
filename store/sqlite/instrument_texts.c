/* A clinic's licensed item texts of outcome measures, in SQLite: one row
 * per clinic and instrument. store.c has checked the arguments and that
 * the clinic exists. */
#include <stdio.h>

#include "sqlite.h"

/* The text's columns from ?2 on, in the order of both statements below. */
static void bind_text(sqlite3_stmt *st, const tpt_instrument_text *t)
{
    sqlite3_bind_int64(st, 1, t->clinic);
    sqlite3_bind_text(st, 2, t->instrument, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, t->file, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, t->at, -1, SQLITE_TRANSIENT);
    tpt__sqlite_bind_id(st, 5, t->author);
    sqlite3_bind_text(st, 6, t->text, -1, SQLITE_TRANSIENT);
}

int tpt__sqlite_instrument_text_set(tpt_store *s, const tpt_instrument_text *t, bool *replaced,
                                    tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    /* a replacement keeps the row (and its id); a new text is inserted, or,
     * when another writer added one meanwhile, replaces that one */
    int rc = tpt__sqlite_prepare(c,
                                 "UPDATE instrument_texts SET file = ?3, at = ?4, author_id = ?5, "
                                 "text = ?6 WHERE clinic_id = ?1 AND instrument = ?2",
                                 &st, err);
    if (rc) return rc;
    bind_text(st, t);
    if ((rc = tpt__sqlite_run(c, st, "keeping the licensed text", err))) return rc;
    *replaced = sqlite3_changes(c->db) == 1;
    if (*replaced) return 0;
    rc = tpt__sqlite_prepare(c,
                             "INSERT INTO instrument_texts (clinic_id, instrument, file, at, "
                             "author_id, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT "
                             "(clinic_id, instrument) DO UPDATE SET file = ?3, at = ?4, "
                             "author_id = ?5, text = ?6",
                             &st, err);
    if (rc) return rc;
    bind_text(st, t);
    return tpt__sqlite_run(c, st, "keeping the licensed text", err);
}

int tpt__sqlite_instrument_text_delete(tpt_store *s, int64_t clinic, const char *instrument,
                                       tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "DELETE FROM instrument_texts WHERE clinic_id = ? AND instrument = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
    sqlite3_bind_text(st, 2, instrument, -1, SQLITE_TRANSIENT);
    if ((rc = tpt__sqlite_run(c, st, "removing the licensed text", err))) return rc;
    if (sqlite3_changes(c->db) == 0)
        return tpt_error_set(err, TPT_ERR_INPUT, "clinic %lld has no licensed text of '%s'",
                             (long long)clinic, instrument);
    return 0;
}

static int text_item(sqlite3_stmt *st, void *item)
{
    tpt_instrument_text *t = item;
    t->clinic = sqlite3_column_int64(st, 0);
    tpt__sqlite_copy(st, 1, t->instrument, sizeof t->instrument);
    tpt__sqlite_copy(st, 2, t->file, sizeof t->file);
    tpt__sqlite_copy(st, 3, t->at, sizeof t->at);
    t->author = sqlite3_column_int64(st, 4);
    t->text = tpt__sqlite_text(st, 5);
    return t->text ? 0 : -1;
}

int tpt__sqlite_instrument_text_list(tpt_store *s, int64_t clinic, tpt_instrument_text_list *out,
                                     tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT clinic_id, instrument, file, at, coalesce(author_id, 0), "
                                 "text FROM instrument_texts WHERE clinic_id = ? ORDER BY "
                                 "instrument",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items, text_item,
                          "listing the licensed texts", err);
    if (rc) tpt_instrument_text_list_free(out);
    return rc;
}
