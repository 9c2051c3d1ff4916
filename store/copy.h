/* The tables as a copy between backends moves them (copy.c,
 * tpt_store_copy): each row in one form every backend reads and writes, its
 * "copy form", so that a row read from SQLite and the same row read back
 * from PostgreSQL are the same texts. Internal to store/. */
#ifndef TPT_STORE_COPY_H
#define TPT_STORE_COPY_H

#include <stddef.h>

/* What a column holds, and so how each backend reads and writes it in the
 * copy form. Every value is a text, or NULL. */
typedef enum tpt__copy_kind {
    TPT__COPY_ID,     /* an id, decimal; NULL for none */
    TPT__COPY_CLINIC, /* a clinic's id; 0 for no clinic (SQLite: NULL) */
    TPT__COPY_INT,    /* a whole number, or NULL */
    TPT__COPY_TEXT,   /* a text, or NULL */
    TPT__COPY_TIME,   /* a stored time, "" for none (PostgreSQL: NULL) */
    TPT__COPY_BOOL,   /* 0 or 1, or NULL */
    TPT__COPY_HEX,    /* bytes as lower-case hexadecimal */
    TPT__COPY_REAL,   /* a number with a fraction: compared as a number */
} tpt__copy_kind;

#define TPT__COPY_COLUMNS_MAX 24

typedef struct tpt__copy_column {
    const char *name;
    tpt__copy_kind kind;
} tpt__copy_column;

typedef struct tpt__copy_table {
    const char *name;
    int ncolumns;
    /* the rows are read in order of the first column, a key (of the first
     * two when the first alone is not: service_staff) */
    tpt__copy_column columns[TPT__COPY_COLUMNS_MAX];
} tpt__copy_table;

/* Every table of the latest schema, in an order in which each refers only to
 * rows of the tables before it. */
extern const tpt__copy_table tpt__copy_tables[];
extern const size_t tpt__copy_table_count;

/* A row handed to a reader: one value per column (NULL for NULL); 0, or a
 * negative status to stop. */
typedef int tpt__copy_row(void *ctx, const char *const *values);

#endif
