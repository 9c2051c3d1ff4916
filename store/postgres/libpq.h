/* libpq's functions, found at run time. The PostgreSQL backend calls libpq
 * only through this table, which is filled by dlopen the first time a
 * postgresql:// URI is opened: a program that never opens one (tpt map, the
 * SQLite default) neither loads libpq nor pays for its start-up. Only the
 * types come from libpq-fe.h at build time. */
#ifndef TPT_STORE_POSTGRES_LIBPQ_H
#define TPT_STORE_POSTGRES_LIBPQ_H

#include <libpq-fe.h>

#include "tpt/error.h"

typedef struct tpt__libpq {
    PGconn *(*connectdbParams)(const char *const *keywords, const char *const *values,
                               int expand_dbname);
    PQconninfoOption *(*conninfoParse)(const char *conninfo, char **errmsg);
    void (*conninfoFree)(PQconninfoOption *options);
    ConnStatusType (*status)(const PGconn *conn);
    PGTransactionStatusType (*transactionStatus)(const PGconn *conn);
    char *(*errorMessage)(const PGconn *conn);
    void (*finish)(PGconn *conn);
    PQnoticeProcessor (*setNoticeProcessor)(PGconn *conn, PQnoticeProcessor proc, void *arg);
    int (*serverVersion)(const PGconn *conn);
    PGresult *(*exec)(PGconn *conn, const char *query);
    PGresult *(*execParams)(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                            const char *const *paramValues, const int *paramLengths,
                            const int *paramFormats, int resultFormat);
    ExecStatusType (*resultStatus)(const PGresult *res);
    char *(*resultErrorField)(const PGresult *res, int fieldcode);
    char *(*resultErrorMessage)(const PGresult *res);
    void (*clear)(PGresult *res);
    int (*ntuples)(const PGresult *res);
    char *(*getvalue)(const PGresult *res, int tup_num, int field_num);
    int (*getisnull)(const PGresult *res, int tup_num, int field_num);
    int (*getlength)(const PGresult *res, int tup_num, int field_num);
    char *(*cmdTuples)(PGresult *res);
    void (*freemem)(void *ptr);
} tpt__libpq;

/* The table, loaded once (any thread may ask); NULL with a sentence in err
 * when libpq is not installed. */
const tpt__libpq *tpt__libpq_load(tpt_error *err);

#endif
