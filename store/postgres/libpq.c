/* Loading libpq at run time (libpq.h says why). */
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#include "libpq.h"

static tpt__libpq table;
static const tpt__libpq *loaded; /* &table once every function was found */
static char load_error[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* One function of libpq by its name, into its slot of the table. */
typedef struct symbol {
    const char *name;
    size_t offset;
} symbol;

#define SYMBOL(field, name)                                                                        \
    {                                                                                              \
        name, offsetof(tpt__libpq, field)                                                          \
    }

static const symbol symbols[] = {
    SYMBOL(connectdbParams, "PQconnectdbParams"),
    SYMBOL(conninfoParse, "PQconninfoParse"),
    SYMBOL(conninfoFree, "PQconninfoFree"),
    SYMBOL(status, "PQstatus"),
    SYMBOL(transactionStatus, "PQtransactionStatus"),
    SYMBOL(errorMessage, "PQerrorMessage"),
    SYMBOL(finish, "PQfinish"),
    SYMBOL(setNoticeProcessor, "PQsetNoticeProcessor"),
    SYMBOL(serverVersion, "PQserverVersion"),
    SYMBOL(exec, "PQexec"),
    SYMBOL(execParams, "PQexecParams"),
    SYMBOL(resultStatus, "PQresultStatus"),
    SYMBOL(resultErrorField, "PQresultErrorField"),
    SYMBOL(resultErrorMessage, "PQresultErrorMessage"),
    SYMBOL(clear, "PQclear"),
    SYMBOL(ntuples, "PQntuples"),
    SYMBOL(getvalue, "PQgetvalue"),
    SYMBOL(getisnull, "PQgetisnull"),
    SYMBOL(getlength, "PQgetlength"),
    SYMBOL(cmdTuples, "PQcmdTuples"),
    SYMBOL(freemem, "PQfreemem"),
};

static void load(void)
{
    /* the soname of every libpq since PostgreSQL 8.2 */
    void *lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(load_error, sizeof load_error,
                 "PostgreSQL needs libpq, which is not installed (Debian: apt-get install libpq5): "
                 "%s",
                 dlerror());
        return;
    }
    for (size_t i = 0; i < sizeof symbols / sizeof *symbols; i++) {
        void *f = dlsym(lib, symbols[i].name);
        if (!f) {
            snprintf(load_error, sizeof load_error, "this libpq lacks %s: %s", symbols[i].name,
                     dlerror());
            dlclose(lib);
            return;
        }
        /* a function pointer's bytes, as POSIX lets dlsym's answer be used */
        *(void **)((char *)&table + symbols[i].offset) = f;
    }
    loaded = &table; /* the library stays loaded for the life of the process */
}

const tpt__libpq *tpt__libpq_load(tpt_error *err)
{
    pthread_once(&once, load);
    if (!loaded) tpt_error_set(err, TPT_ERR_INPUT, "%s", load_error);
    return loaded;
}
