/* The PostgreSQL side of a copy between backends (store/copy.h): rows read
 * in the copy form, rows written with their ids and each clinical row's
 * clinic taken from its patient, and the identity sequences moved past the
 * copied ids. */
#include <stdio.h>
#include <string.h>

#include "postgres.h"

/* a row is written in one statement, a parameter a column */
_Static_assert(TPT__PG_PARAMS_MAX >= TPT__COPY_COLUMNS_MAX, "room for every column of a row");

/* Where a clinical table's clinic comes from, as SQL over the parameters of
 * its columns: %d is the parameter of the column named. */
static const struct {
    const char *table, *column, *expr;
} clinic_of[] = {
    {"log_entries", "patient_id", "(SELECT clinic_id FROM patients WHERE id = $%d)"},
    {"records", "patient_id", "(SELECT clinic_id FROM patients WHERE id = $%d)"},
    {"assessments", "patient_id", "(SELECT clinic_id FROM patients WHERE id = $%d)"},
    {"visits", "patient_id", "(SELECT clinic_id FROM patients WHERE id = $%d)"},
    {"measures", "patient_id", "(SELECT clinic_id FROM patients WHERE id = $%d)"},
    {"amendments", "visit_id", "(SELECT clinic_id FROM visits WHERE id = $%d)"},
    {"feeds", "patient_id", "(SELECT clinic_id FROM patients WHERE id = $%d)"},
};

static int column_index(const tpt__copy_table *t, const char *name)
{
    for (int i = 0; i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0) return i;
    return -1;
}

static void read_expr(const tpt__copy_column *col, char *out, size_t size)
{
    switch (col->kind) {
    case TPT__COPY_TIME:
        snprintf(out, size, "coalesce(tpt_utc_text(%s), '')", col->name);
        break;
    case TPT__COPY_BOOL:
        snprintf(out, size, "%s::int", col->name);
        break;
    case TPT__COPY_HEX:
        snprintf(out, size, "encode(%s, 'hex')", col->name);
        break;
    case TPT__COPY_REAL:
        snprintf(out, size, "%s::text", col->name);
        break;
    default:
        snprintf(out, size, "%s", col->name);
    }
}

static int copy_read(tpt__pg *c, const tpt__copy_table *t, tpt__copy_row *row, void *ctx,
                     tpt_error *err)
{
    char sql[1200] = "SELECT ";
    size_t used = strlen(sql);
    for (int i = 0; i < t->ncolumns; i++) {
        char expr[96];
        read_expr(&t->columns[i], expr, sizeof expr);
        used += (size_t)snprintf(sql + used, sizeof sql - used, "%s%s", i ? ", " : "", expr);
    }
    /* clinic 0, "no clinic", is the schema's own row; texts in byte order,
     * as SQLite orders them */
    snprintf(sql + used, sizeof sql - used, " FROM %s%s ORDER BY %s%s, %s%s", t->name,
             strcmp(t->name, "clinics") == 0 ? " WHERE id > 0" : "", t->columns[0].name,
             t->columns[0].kind == TPT__COPY_TEXT ? " COLLATE \"C\"" : "", t->columns[1].name,
             t->columns[1].kind == TPT__COPY_TEXT ? " COLLATE \"C\"" : "");
    PGresult *r = tpt__pg_run(c, sql, NULL, "reading rows to copy", err);
    if (!r) return c->status;
    int rc = 0, n = c->pq->ntuples(r);
    const char *values[TPT__COPY_COLUMNS_MAX];
    for (int i = 0; !rc && i < n; i++) {
        for (int k = 0; k < t->ncolumns; k++)
            values[k] = c->pq->getisnull(r, i, k) ? NULL : c->pq->getvalue(r, i, k);
        rc = row(ctx, values);
    }
    c->pq->clear(r);
    return rc;
}

int tpt__pg_copy_read(tpt_store *s, const tpt__copy_table *t, tpt__copy_row *row, void *ctx,
                      tpt_error *err)
{
    tpt__pg *c = tpt__pg_of(s);
    int rc = tpt__pg_enter(c, err);
    if (!rc) rc = copy_read(c, t, row, ctx, err);
    return tpt__pg_leave(c, rc, err);
}

static void write_expr(const tpt__copy_column *col, int n, char *out, size_t size)
{
    switch (col->kind) {
    case TPT__COPY_ID:
    case TPT__COPY_CLINIC:
    case TPT__COPY_INT:
        snprintf(out, size, "$%d::bigint", n);
        break;
    case TPT__COPY_TIME:
        snprintf(out, size, "nullif($%d, '')::timestamptz", n);
        break;
    case TPT__COPY_BOOL:
        snprintf(out, size, "$%d::int::boolean", n);
        break;
    case TPT__COPY_HEX:
        snprintf(out, size, "decode($%d, 'hex')", n);
        break;
    case TPT__COPY_REAL:
        snprintf(out, size, "$%d::double precision", n);
        break;
    default:
        snprintf(out, size, "$%d::text", n);
    }
}

/* The clinic column a table of PostgreSQL has beyond the copy form, and its
 * value: "" when it has none. */
static void clinic_expr(const tpt__copy_table *t, char *out, size_t size)
{
    out[0] = '\0';
    if (strcmp(t->name, "audit") == 0) {
        /* a line belongs to its patient's clinic, else its account's */
        snprintf(out, size,
                 "coalesce((SELECT clinic_id FROM patients WHERE id = $%d::bigint), "
                 "(SELECT clinic_id FROM users WHERE id = $%d::bigint), 0)",
                 column_index(t, "patient_id") + 1, column_index(t, "user_id") + 1);
        return;
    }
    for (size_t i = 0; i < sizeof clinic_of / sizeof *clinic_of; i++)
        if (strcmp(t->name, clinic_of[i].table) == 0)
            snprintf(out, size, clinic_of[i].expr, column_index(t, clinic_of[i].column) + 1);
}

int tpt__pg_copy_write(tpt_store *s, const tpt__copy_table *t, const char *const *values,
                       tpt_error *err)
{
    tpt__pg *c = tpt__pg_of(s);
    char columns[600], exprs[1200], clinic[300];
    size_t cu = 0, eu = 0;
    for (int i = 0; i < t->ncolumns; i++) {
        char expr[64];
        write_expr(&t->columns[i], i + 1, expr, sizeof expr);
        cu += (size_t)snprintf(columns + cu, sizeof columns - cu, "%s%s", i ? ", " : "",
                               t->columns[i].name);
        eu += (size_t)snprintf(exprs + eu, sizeof exprs - eu, "%s%s", i ? ", " : "", expr);
    }
    clinic_expr(t, clinic, sizeof clinic);
    char sql[2400];
    snprintf(sql, sizeof sql, "INSERT INTO %s (%s%s) OVERRIDING SYSTEM VALUE VALUES (%s%s%s)",
             t->name, columns, *clinic ? ", clinic_id" : "", exprs, *clinic ? ", " : "", clinic);
    tpt__pg_params p = {0};
    for (int i = 0; i < t->ncolumns; i++)
        tpt__pg_text(&p, values[i]);
    int rc = tpt__pg_enter(c, err);
    if (!rc) rc = tpt__pg_do(c, sql, &p, "copying a row", err);
    return tpt__pg_leave(c, rc, err);
}

int tpt__pg_copy_done(tpt_store *s, tpt_error *err)
{
    tpt__pg *c = tpt__pg_of(s);
    int rc = tpt__pg_enter(c, err);
    for (size_t i = 0; !rc && i < tpt__copy_table_count; i++) {
        const tpt__copy_table *t = &tpt__copy_tables[i];
        /* only an id the database makes has a sequence to move */
        if (strcmp(t->columns[0].name, "id") != 0) continue;
        char sql[300];
        /* the next id made is above every copied one */
        snprintf(sql, sizeof sql,
                 "SELECT setval(pg_get_serial_sequence('%s', 'id'), max(id)) FROM %s "
                 "HAVING max(id) > 0",
                 t->name, t->name);
        rc = tpt__pg_do(c, sql, NULL, "moving the ids past the copy", err);
    }
    /* the audit log's next line chains to the last one copied */
    if (!rc)
        rc = tpt__pg_do(c,
                        "UPDATE audit_head SET (line_id, hash) = (SELECT id, hash FROM audit "
                        "ORDER BY id DESC LIMIT 1) WHERE EXISTS (SELECT 1 FROM audit)",
                        NULL, "moving the audit log's head past the copy", err);
    return tpt__pg_leave(c, rc, err);
}
