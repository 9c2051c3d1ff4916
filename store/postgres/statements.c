/* What every file of the PostgreSQL backend does with statements: their
 * parameters, running them in the call's transaction, reading rows.
 *
 * Statements are unnamed (PQexecParams): pgbouncer in transaction mode may
 * run consecutive transactions on different server connections, and a named
 * prepared statement would not be there on the next one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postgres.h"

static void add(tpt__pg_params *p, const char *value, int length, int format)
{
    if (p->n >= TPT__PG_PARAMS_MAX) return; /* a statement of this backend has fewer */
    p->values[p->n] = value;
    p->lengths[p->n] = length;
    p->formats[p->n] = format;
    p->n++;
}

void tpt__pg_text(tpt__pg_params *p, const char *text)
{
    add(p, text, 0, 0);
}

void tpt__pg_int(tpt__pg_params *p, int64_t value)
{
    if (p->n >= TPT__PG_PARAMS_MAX) return;
    snprintf(p->numbers[p->n], sizeof p->numbers[p->n], "%lld", (long long)value);
    add(p, p->numbers[p->n], 0, 0);
}

void tpt__pg_id(tpt__pg_params *p, int64_t id)
{
    if (id > 0)
        tpt__pg_int(p, id);
    else
        add(p, NULL, 0, 0);
}

void tpt__pg_optional(tpt__pg_params *p, int value)
{
    if (value >= 0)
        tpt__pg_int(p, value);
    else
        add(p, NULL, 0, 0);
}

void tpt__pg_time(tpt__pg_params *p, const char *at)
{
    add(p, at && *at ? at : NULL, 0, 0);
}

void tpt__pg_bytes(tpt__pg_params *p, const uint8_t *bytes, int n)
{
    add(p, (const char *)bytes, n, 1);
}

void tpt__pg_double(tpt__pg_params *p, double value)
{
    if (p->n >= TPT__PG_PARAMS_MAX) return;
    /* 17 significant digits give a double back exactly */
    snprintf(p->numbers[p->n], sizeof p->numbers[p->n], "%.17g", value);
    add(p, p->numbers[p->n], 0, 0);
}

PGresult *tpt__pg_run(tpt__pg *c, const char *sql, const tpt__pg_params *p, const char *what,
                      tpt_error *err)
{
    if (c->failed || !c->conn) {
        c->status = TPT_ERR_UNAVAILABLE;
        tpt_error_set(err, TPT_ERR_UNAVAILABLE,
                      "the database is unavailable (%s: the transaction was lost or failed "
                      "before): try again later",
                      what);
        return NULL;
    }
    static const tpt__pg_params none;
    if (!p) p = &none;
    PGresult *r = c->pq->execParams(c->conn, sql, p->n, NULL, p->values, p->lengths, p->formats, 0);
    ExecStatusType status = r ? c->pq->resultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        /* anything but a query changes what a COMMIT must make sure of */
        if (strncmp(sql, "SELECT", 6) != 0) c->wrote = true;
        return r;
    }
    tpt__pg_fail(c, r, what, err);
    c->pq->clear(r);
    return NULL;
}

int tpt__pg_do(tpt__pg *c, const char *sql, const tpt__pg_params *p, const char *what,
               tpt_error *err)
{
    PGresult *r = tpt__pg_run(c, sql, p, what, err);
    if (!r) return c->status;
    c->pq->clear(r);
    return 0;
}

long tpt__pg_changed(tpt__pg *c, PGresult *r)
{
    return strtol(c->pq->cmdTuples(r), NULL, 10);
}

void tpt__pg_copy(tpt__pg *c, PGresult *r, int row, int col, char *out, size_t size)
{
    snprintf(out, size, "%s", c->pq->getvalue(r, row, col)); /* "" for NULL */
}

int tpt__pg_dup(tpt__pg *c, PGresult *r, int row, int col, char **out)
{
    *out = NULL;
    if (c->pq->getisnull(r, row, col)) return 0;
    *out = strdup(c->pq->getvalue(r, row, col));
    return *out ? 0 : -1;
}

int64_t tpt__pg_int64(tpt__pg *c, PGresult *r, int row, int col)
{
    return strtoll(c->pq->getvalue(r, row, col), NULL, 10);
}

int tpt__pg_optional_int(tpt__pg *c, PGresult *r, int row, int col)
{
    return c->pq->getisnull(r, row, col) ? -1 : (int)strtol(c->pq->getvalue(r, row, col), NULL, 10);
}

bool tpt__pg_null(tpt__pg *c, PGresult *r, int row, int col)
{
    return c->pq->getisnull(r, row, col) != 0;
}

int tpt__pg_one(tpt__pg *c, PGresult *r, void (*row)(tpt__pg *c, PGresult *r, void *out), void *out,
                const char *missing, tpt_error *err)
{
    int rc = 0;
    if (c->pq->ntuples(r) > 0)
        row(c, r, out);
    else if (missing)
        rc = tpt_error_set(err, TPT_ERR_INPUT, "%s", missing);
    c->pq->clear(r);
    return rc;
}

int tpt__pg_rows(tpt__pg *c, PGresult *r, void **items, size_t *count, size_t size,
                 int (*row)(tpt__pg *c, PGresult *r, int i, void *item), tpt_error *err)
{
    int n = c->pq->ntuples(r), rc = 0;
    if (n > 0) {
        *items = calloc((size_t)n, size);
        if (!*items) rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; !rc && i < n; i++) {
        (*count)++; /* counted before it is filled, so that a free frees its part */
        if (row(c, r, i, (char *)*items + (size_t)i * size) != 0)
            rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    }
    c->pq->clear(r);
    return rc;
}
