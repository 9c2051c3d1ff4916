/* The SQLite side of a copy between backends (store/copy.h): every row of a
 * table in the copy form. */
#include <stdio.h>
#include <string.h>

#include "sqlite.h"

/* The column as the copy form has it. */
static void column_expr(const tpt__copy_column *col, char *out, size_t size)
{
    switch (col->kind) {
    case TPT__COPY_CLINIC: /* clinic 0 is kept as NULL here */
        snprintf(out, size, "coalesce(%s, 0)", col->name);
        break;
    case TPT__COPY_TIME:
        snprintf(out, size, "coalesce(%s, '')", col->name);
        break;
    case TPT__COPY_HEX:
        snprintf(out, size, "lower(hex(%s))", col->name);
        break;
    default:
        snprintf(out, size, "%s", col->name);
    }
}

int tpt__sqlite_copy_read(tpt_store *s, const tpt__copy_table *t, tpt__copy_row *row, void *ctx,
                          tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    char sql[1024] = "SELECT ";
    size_t used = strlen(sql);
    for (int i = 0; i < t->ncolumns; i++) {
        char expr[96];
        column_expr(&t->columns[i], expr, sizeof expr);
        used += (size_t)snprintf(sql + used, sizeof sql - used, "%s%s", i ? ", " : "", expr);
    }
    snprintf(sql + used, sizeof sql - used, " FROM %s ORDER BY %s, %s", t->name, t->columns[0].name,
             t->columns[1].name);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, sql, &st, err);
    if (rc) return rc;
    const char *values[TPT__COPY_COLUMNS_MAX];
    int step;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < t->ncolumns; i++)
            values[i] = (const char *)sqlite3_column_text(st, i);
        rc = row(ctx, values);
    }
    if (!rc && step != SQLITE_DONE) rc = tpt__sqlite_fail(c, err, "reading rows to copy");
    sqlite3_finalize(st);
    return rc;
}
