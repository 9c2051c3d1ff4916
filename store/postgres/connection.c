/* A PostgreSQL database: connecting to the server that takes writes (host by
 * host, asked by query), connecting again after a failover, transactions and
 * the groups inside them, the clinic each transaction sees, the database's
 * clock, and what a failure means. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "postgres.h"

/* The advisory lock a group that holds the database for writing takes
 * (tpt_store_begin): one key for the whole database, transaction-scoped. */
#define HOLD_KEY "7628117"

/* How long a statement waits for a lock another transaction holds before it
 * gives up (TPT_ERR_UNAVAILABLE, try again), as SQLite's busy timeout. */
#define LOCK_WAIT "5s"

/* How long a COMMIT whose connection broke waits for a server that takes
 * writes, to ask it whether the COMMIT happened. */
#define IN_DOUBT_SECONDS 15

/* ---- connecting ---- */

/* Settings given to every connection unless the URI gives its own: a
 * connection attempt and a dead peer (a machine lost) are noticed in seconds,
 * not the minutes of the kernel's defaults. */
static const char *const defaults[][2] = {
    {"connect_timeout", "5"},     {"application_name", "tpt"}, {"keepalives_idle", "10"},
    {"keepalives_interval", "5"}, {"keepalives_count", "3"},   {"tcp_user_timeout", "20000"},
};

/* Element i of a comma-separated list into out ("" when the list is shorter);
 * a list of one applies to every i, as libpq reads ports. */
static void element(const char *list, int i, char *out, size_t size)
{
    out[0] = '\0';
    if (!list) return;
    const char *p = list;
    int count = 1;
    for (const char *q = list; *q; q++)
        count += *q == ',';
    if (count == 1) i = 0;
    for (int k = 0; k < i && p; k++) {
        p = strchr(p, ',');
        if (p) p++;
    }
    if (!p) return;
    size_t n = strcspn(p, ",");
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

static int hosts_in(const char *list)
{
    if (!list || !*list) return 1;
    int n = 1;
    for (const char *q = list; *q; q++)
        n += *q == ',';
    return n;
}

/* The parameters of one host of the URI, with the defaults, in keys/values
 * (NULL-terminated); `dbname` replaces the database when not NULL. */
typedef struct host_params {
    const char *keys[64], *values[64];
    char host[256], hostaddr[256], port[16];
} host_params;

static void host_params_of(const PQconninfoOption *opts, int i, const char *dbname, host_params *h)
{
    int n = 0;
    const char *hosts = NULL, *addrs = NULL, *ports = NULL;
    for (const PQconninfoOption *o = opts; o->keyword && n < 50; o++) {
        if (!o->val) continue;
        if (strcmp(o->keyword, "host") == 0)
            hosts = o->val;
        else if (strcmp(o->keyword, "hostaddr") == 0)
            addrs = o->val;
        else if (strcmp(o->keyword, "port") == 0)
            ports = o->val;
        else if (strcmp(o->keyword, "target_session_attrs") == 0)
            continue; /* asked of each host by query below */
        else if (dbname && strcmp(o->keyword, "dbname") == 0)
            continue;
        else {
            h->keys[n] = o->keyword;
            h->values[n++] = o->val;
        }
    }
    for (size_t d = 0; d < sizeof defaults / sizeof *defaults; d++) {
        bool given = false;
        for (int k = 0; k < n; k++)
            given = given || strcmp(h->keys[k], defaults[d][0]) == 0;
        if (!given) {
            h->keys[n] = defaults[d][0];
            h->values[n++] = defaults[d][1];
        }
    }
    element(hosts, i, h->host, sizeof h->host);
    element(addrs, i, h->hostaddr, sizeof h->hostaddr);
    element(ports, i, h->port, sizeof h->port);
    if (*h->host) h->keys[n] = "host", h->values[n++] = h->host;
    if (*h->hostaddr) h->keys[n] = "hostaddr", h->values[n++] = h->hostaddr;
    if (*h->port) h->keys[n] = "port", h->values[n++] = h->port;
    if (dbname) h->keys[n] = "dbname", h->values[n++] = dbname;
    h->keys[n] = h->values[n] = NULL;
}

static void quiet(void *arg, const char *message)
{
    (void)arg; /* NOTICEs ("already exists, skipping") are not the user's business */
    (void)message;
}

/* Whether the server of conn takes writes now. Asked by query rather than
 * read from what the server reported at the start: pgbouncer answers a new
 * client with the parameters of its pool's first server connection, which
 * after a failover still say "in hot standby". */
static bool writable(const tpt__libpq *pq, PGconn *conn)
{
    PGresult *r = pq->exec(conn, "SELECT NOT (pg_is_in_recovery() OR "
                                 "current_setting('transaction_read_only')::boolean)");
    bool yes = r && pq->resultStatus(r) == PGRES_TUPLES_OK && pq->ntuples(r) == 1 &&
               strcmp(pq->getvalue(r, 0, 0), "t") == 0;
    pq->clear(r);
    return yes;
}

/* Makes the database of the URI on host i when it is missing, through the
 * server's maintenance database: 0 when it is there now (made here, made
 * meanwhile by another process, or there all along: a first connection that
 * found it missing may have raced a process that made it since, so the caller
 * connects again), -1 when it could not be made (err set) or the server could
 * not be asked. */
static int make_database(const tpt__libpq *pq, const PQconninfoOption *opts, int i,
                         const char *dbname, tpt_error *err)
{
    static const char *const maintenance[] = {"postgres", "template1"};
    for (size_t m = 0; m < 2; m++) {
        host_params h;
        host_params_of(opts, i, maintenance[m], &h);
        PGconn *conn = pq->connectdbParams(h.keys, h.values, 0);
        if (pq->status(conn) != CONNECTION_OK) {
            pq->finish(conn);
            continue;
        }
        pq->setNoticeProcessor(conn, quiet, NULL);
        const char *name[1] = {dbname};
        PGresult *r = pq->execParams(conn, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL,
                                     name, NULL, NULL, 0);
        bool asked = r && pq->resultStatus(r) == PGRES_TUPLES_OK;
        bool missing = asked && pq->ntuples(r) == 0;
        pq->clear(r);
        int rc = asked && !missing ? 0 : -1;
        if (missing) {
            /* an identifier, quoted: "a""b" */
            char sql[320] = "CREATE DATABASE \"";
            size_t n = strlen(sql);
            for (const char *p = dbname; *p && n < sizeof sql - 24; p++) {
                if (*p == '"') sql[n++] = '"';
                sql[n++] = *p;
            }
            sql[n++] = '"';
            sql[n] = '\0';
            /* from template0, which no one is connected to: copying
             * template1 fails while another process uses it */
            snprintf(sql + n, sizeof sql - n, " TEMPLATE template0");
            r = pq->exec(conn, sql);
            const char *state =
                r ? pq->resultErrorField(r, PG_DIAG_SQLSTATE) : NULL; /* NULL: it worked */
            if (r && pq->resultStatus(r) == PGRES_COMMAND_OK)
                rc = 0;
            else if (state && (strcmp(state, "42P04") == 0 || strcmp(state, "23505") == 0))
                /* another process made it meanwhile */
                rc = 0;
            else
                tpt_error_set(err, TPT_ERR_INPUT,
                              "the database %s does not exist, and this role may not make it "
                              "(%s): make it with createdb, or give the role CREATEDB",
                              dbname, r ? pq->resultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : "");
            pq->clear(r);
        }
        pq->finish(conn);
        return rc;
    }
    return -1;
}

/* The database a URI names: its dbname, else the user's name (libpq's rule). */
static const char *dbname_of(const PQconninfoOption *opts)
{
    const char *db = NULL, *user = NULL;
    for (const PQconninfoOption *o = opts; o->keyword; o++) {
        if (strcmp(o->keyword, "dbname") == 0) db = o->val;
        if (strcmp(o->keyword, "user") == 0) user = o->val;
    }
    return db && *db ? db : user;
}

static PGconn *connect_to(const tpt__libpq *pq, const char *uri, bool create, tpt_error *err)
{
    char *msg = NULL;
    PQconninfoOption *opts = pq->conninfoParse(uri, &msg);
    if (!opts) {
        tpt_error_set(err, TPT_ERR_INPUT, "cannot read the address of the database: %s",
                      msg ? msg : "out of memory");
        pq->freemem(msg);
        return NULL;
    }
    const char *hosts = NULL, *attrs = NULL;
    for (const PQconninfoOption *o = opts; o->keyword; o++) {
        if (strcmp(o->keyword, "host") == 0) hosts = o->val;
        if (strcmp(o->keyword, "target_session_attrs") == 0) attrs = o->val;
    }
    bool want_writes = attrs && (strcmp(attrs, "read-write") == 0 || strcmp(attrs, "primary") == 0);
    char why[TPT_ERROR_MESSAGE_MAX] = "no host answered";
    PGconn *found = NULL;
    int n = hosts_in(hosts);
    for (int i = 0; i < n && !found; i++) {
        host_params h;
        host_params_of(opts, i, NULL, &h);
        PGconn *conn = pq->connectdbParams(h.keys, h.values, 0);
        if (pq->status(conn) != CONNECTION_OK && create) {
            tpt_error made = {0};
            const char *db = dbname_of(opts);
            if (db && make_database(pq, opts, i, db, &made) == 0) {
                pq->finish(conn);
                conn = pq->connectdbParams(h.keys, h.values, 0);
            } else if (made.status) {
                pq->finish(conn);
                pq->conninfoFree(opts);
                *err = made;
                return NULL;
            }
        }
        if (pq->status(conn) != CONNECTION_OK) {
            snprintf(why, sizeof why, "%s", pq->errorMessage(conn));
            why[strcspn(why, "\n")] = '\0';
        } else if (want_writes && !writable(pq, conn)) {
            snprintf(why, sizeof why, "%s%s%s takes no writes (a standby)", h.host,
                     *h.port ? ":" : "", h.port);
        } else {
            found = conn;
            break;
        }
        pq->finish(conn);
    }
    pq->conninfoFree(opts);
    if (!found) {
        tpt_error_set(err, TPT_ERR_UNAVAILABLE, "the database is unavailable (%s): try again later",
                      why);
        return NULL;
    }
    pq->setNoticeProcessor(found, quiet, NULL);
    return found;
}

PGconn *tpt__pg_connect(const tpt__libpq *pq, const char *uri, tpt_error *err)
{
    return connect_to(pq, uri, false, err);
}

/* ---- failures ---- */

int tpt__pg_fail(tpt__pg *c, PGresult *r, const char *what, tpt_error *err)
{
    const tpt__libpq *pq = c->pq;
    const char *state = r ? pq->resultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? pq->resultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg) msg = c->conn ? pq->errorMessage(c->conn) : "the connection was lost";
    char text[TPT_ERROR_MESSAGE_MAX];
    snprintf(text, sizeof text, "%s", msg);
    text[strcspn(text, "\n")] = '\0';
    c->failed = true;
    /* the server went away, shut down, or takes no writes now (a standby,
     * or a primary being demoted): this connection is done for */
    bool lost = !c->conn || pq->status(c->conn) != CONNECTION_OK || !state ||
                strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
                strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0 ||
                strcmp(state, "25006") == 0;
    if (lost) {
        if (c->conn) pq->finish(c->conn);
        c->conn = NULL;
    }
    if (lost || strncmp(state, "53", 2) == 0 || strcmp(state, "40001") == 0 ||
        strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
        return c->status = tpt_error_set(err, TPT_ERR_UNAVAILABLE,
                                         "the database is unavailable (%s: %s): try again later",
                                         what, text);
    /* a time another appointment of the practitioner has (the exclusion
     * constraint, when two instances book at once) */
    if (strcmp(state, "23P01") == 0)
        return c->status = tpt_error_set(err, TPT_ERR_CONFLICT,
                                         "the practitioner has another appointment at that time");
    /* a unique value another row took meanwhile */
    if (strcmp(state, "23505") == 0)
        return c->status = tpt_error_set(err, TPT_ERR_CONFLICT, "%s: that is taken already", what);
    if (strcmp(state, "TPT01") == 0) /* the lock of signed visits and amendments */
        return c->status = tpt_error_set(err, TPT_ERR_CONFLICT, "%s: %s; add an amendment instead",
                                         what, text);
    return c->status = tpt_error_set(err, TPT_ERR_DATA, "database: %s: %s", what, text);
}

/* ---- opening ---- */

int tpt__pg_open(const char *uri, unsigned flags, tpt_store **out, tpt_error *err)
{
    *out = NULL;
    const tpt__libpq *pq = tpt__libpq_load(err);
    if (!pq) return TPT_ERR_INPUT;
    tpt__pg *c = calloc(1, sizeof *c);
    if (!c || !(c->uri = strdup(uri))) {
        free(c);
        return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    }
    c->pq = pq;
    c->base.scope = TPT_SCOPE_ALL;
    tpt_error e = {0};
    c->conn = connect_to(pq, uri, true, &e);
    int rc = c->conn ? tpt__pg_migrate(c, flags & TPT__OPEN_MIGRATE, &e) : e.status;
    if (rc) {
        if (err) *err = e;
        tpt__pg_close(&c->base);
        return rc;
    }
    *out = &c->base;
    return 0;
}

void tpt__pg_close(tpt_store *s)
{
    tpt__pg *c = tpt__pg_of(s);
    if (c->conn) c->pq->finish(c->conn); /* an open transaction ends unfinished: rolled back */
    free(c->uri);
    free(c);
}

int tpt__pg_version(tpt_store *s)
{
    int version = -1;
    tpt__pg *c = tpt__pg_of(s);
    if (tpt__pg_enter(c, NULL) != 0) return -1;
    int rc = tpt__pg_schema_version(c, &version, NULL);
    tpt__pg_leave(c, rc, NULL);
    return rc ? -1 : version;
}

/* ---- transactions ---- */

/* The scope of s as the text tpt.clinic holds (docs/internals/postgres.md). */
static void scope_text(const tpt_store *s, char out[24])
{
    if (s->scope == TPT_SCOPE_ALL)
        snprintf(out, 24, "*");
    else if (s->scope == TPT_SCOPE_NONE)
        out[0] = '\0';
    else
        snprintf(out, 24, "%lld", (long long)s->scope);
}

/* Opens the transaction: connected again first when the connection was lost
 * (a failover), the clinic's scope set and the database's time read in the
 * same round trip. */
static int open_transaction(tpt__pg *c, bool hold, tpt_error *err)
{
    if (!c->conn && !(c->conn = connect_to(c->pq, c->uri, false, err)))
        return c->status = TPT_ERR_UNAVAILABLE;
    c->failed = false;
    c->wrote = false;
    char scope[24], sql[400];
    scope_text(&c->base, scope);
    snprintf(sql, sizeof sql,
             "BEGIN; %sSELECT set_config('tpt.clinic', '%s', true), "
             "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
             "set_config('lock_timeout', '" LOCK_WAIT "', true)",
             hold ? "SELECT pg_advisory_xact_lock(" HOLD_KEY "); " : "", scope);
    PGresult *r = c->pq->exec(c->conn, sql);
    if (!r || c->pq->resultStatus(r) != PGRES_TUPLES_OK) {
        int rc = tpt__pg_fail(c, r, "starting a transaction", err);
        c->pq->clear(r);
        if (c->conn && c->pq->transactionStatus(c->conn) != PQTRANS_IDLE) {
            PGresult *back = c->pq->exec(c->conn, "ROLLBACK");
            c->pq->clear(back);
        }
        return rc;
    }
    c->failed = false;
    snprintf(c->now, sizeof c->now, "%s", c->pq->getvalue(r, 0, 1));
    c->pq->clear(r);
    return 0;
}

/* Whether the COMMIT that lost its connection happened: asked, with the
 * token it carried, of whichever server takes writes within
 * IN_DOUBT_SECONDS. 1 committed, 0 not, -1 unknown. */
static int committed(tpt__pg *c, const char *token_hex)
{
    time_t until = time(NULL) + IN_DOUBT_SECONDS;
    do {
        tpt_error ignored = {0};
        PGconn *conn = connect_to(c->pq, c->uri, false, &ignored);
        if (conn) {
            char sql[160];
            snprintf(sql, sizeof sql, "SELECT 1 FROM tpt_commits WHERE token = '\\x%s'", token_hex);
            PGresult *r = c->pq->exec(conn, sql);
            int answer =
                r && c->pq->resultStatus(r) == PGRES_TUPLES_OK ? c->pq->ntuples(r) == 1 : -1;
            c->pq->clear(r);
            if (answer >= 0) {
                c->conn = conn; /* the new connection serves what comes next */
                return answer;
            }
            c->pq->finish(conn);
        }
        struct timespec pause = {0, 250 * 1000 * 1000};
        nanosleep(&pause, NULL);
    } while (time(NULL) < until);
    return -1;
}

static int commit_transaction(tpt__pg *c, tpt_error *err)
{
    if (c->failed || !c->conn) {
        tpt__pg_rollback(&c->base, 1);
        return tpt_error_set(err, TPT_ERR_UNAVAILABLE,
                             "the database is unavailable (the transaction was lost or failed "
                             "before its commit; nothing of it was kept): try again later");
    }
    if (!c->wrote) {
        PGresult *r = c->pq->exec(c->conn, "COMMIT");
        int rc = r && c->pq->resultStatus(r) == PGRES_COMMAND_OK
                     ? 0
                     : tpt__pg_fail(c, r, "committing", err);
        c->pq->clear(r);
        c->failed = false;
        return rc;
    }
    /* A change: its token goes in with the COMMIT, in the same round trip,
     * so that a COMMIT cut off by a failover can be told apart from one that
     * never happened. Now and then the day-old tokens go too. */
    uint8_t token[16];
    char hex[33], sql[300];
    if (getrandom(token, sizeof token, 0) != (ssize_t)sizeof token)
        return tpt_error_set(err, TPT_ERR_UNAVAILABLE, "no randomness for the commit's token");
    for (size_t i = 0; i < sizeof token; i++)
        snprintf(hex + 2 * i, 3, "%02x", token[i]);
    snprintf(sql, sizeof sql, "%sINSERT INTO tpt_commits (token) VALUES ('\\x%s'); COMMIT",
             token[0] == 0 ? "DELETE FROM tpt_commits WHERE at < now() - interval '1 day'; " : "",
             hex);
    PGresult *r = c->pq->exec(c->conn, sql);
    bool ok = r && c->pq->resultStatus(r) == PGRES_COMMAND_OK;
    int rc = 0;
    if (!ok) {
        rc = tpt__pg_fail(c, r, "committing", err);
        if (!c->conn) { /* lost on the way: did it happen? */
            int done = committed(c, hex);
            if (done == 1)
                rc = 0;
            else if (done < 0)
                rc = tpt_error_set(err, TPT_ERR_UNAVAILABLE,
                                   "the database went away during a commit and no server could "
                                   "say within %d s whether it was kept: check before trying "
                                   "again",
                                   IN_DOUBT_SECONDS);
        } else if (c->pq->transactionStatus(c->conn) != PQTRANS_IDLE) {
            PGresult *back = c->pq->exec(c->conn, "ROLLBACK");
            c->pq->clear(back);
        }
    }
    c->pq->clear(r);
    c->failed = false;
    return rc;
}

int tpt__pg_begin(tpt_store *s, int depth, bool hold, tpt_error *err)
{
    tpt__pg *c = tpt__pg_of(s);
    if (depth == 1) return open_transaction(c, hold, err);
    char sql[120];
    snprintf(sql, sizeof sql, "SAVEPOINT g%d%s", depth,
             hold ? "; SELECT pg_advisory_xact_lock(" HOLD_KEY ")" : "");
    if (c->failed || !c->conn)
        return tpt_error_set(err, TPT_ERR_UNAVAILABLE,
                             "the database is unavailable (the transaction was lost or failed): "
                             "try again later");
    PGresult *r = c->pq->exec(c->conn, sql);
    ExecStatusType st = r ? c->pq->resultStatus(r) : PGRES_FATAL_ERROR;
    int rc =
        st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : tpt__pg_fail(c, r, "a group", err);
    c->pq->clear(r);
    return rc;
}

int tpt__pg_commit(tpt_store *s, int depth, tpt_error *err)
{
    tpt__pg *c = tpt__pg_of(s);
    if (depth == 1) return commit_transaction(c, err);
    if (c->failed || !c->conn)
        return tpt_error_set(err, TPT_ERR_UNAVAILABLE,
                             "the database is unavailable (a change of this group failed): try "
                             "again later");
    char sql[64];
    snprintf(sql, sizeof sql, "RELEASE SAVEPOINT g%d", depth);
    PGresult *r = c->pq->exec(c->conn, sql);
    int rc =
        r && c->pq->resultStatus(r) == PGRES_COMMAND_OK ? 0 : tpt__pg_fail(c, r, "a group", err);
    c->pq->clear(r);
    return rc;
}

void tpt__pg_rollback(tpt_store *s, int depth)
{
    tpt__pg *c = tpt__pg_of(s);
    if (!c->conn) return; /* lost: the server rolled it back */
    char sql[80];
    if (depth == 1)
        snprintf(sql, sizeof sql, "ROLLBACK");
    else
        snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT g%d; RELEASE SAVEPOINT g%d", depth, depth);
    PGresult *r = c->pq->exec(c->conn, sql);
    bool ok = r && c->pq->resultStatus(r) == PGRES_COMMAND_OK;
    c->pq->clear(r);
    /* back to the group's start: what failed inside it is undone, and the
     * transaction goes on; a failed ROLLBACK means the connection is gone */
    if (ok)
        c->failed = false;
    else if (c->pq->status(c->conn) != CONNECTION_OK) {
        c->pq->finish(c->conn);
        c->conn = NULL;
    }
}

int tpt__pg_enter(tpt__pg *c, tpt_error *err)
{
    if (c->base.depth > 0) { /* the caller's transaction */
        if (!c->conn || c->failed)
            return tpt_error_set(err, TPT_ERR_UNAVAILABLE,
                                 "the database is unavailable (the transaction was lost or failed "
                                 "before): try again later");
        return 0;
    }
    if (c->calls++ > 0) return 0;
    int rc = open_transaction(c, false, err);
    if (rc) c->calls = 0;
    c->own = rc == 0;
    return rc;
}

int tpt__pg_leave(tpt__pg *c, int rc, tpt_error *err)
{
    if (c->base.depth > 0 || !c->own || --c->calls > 0) return rc;
    c->own = false;
    if (!rc) rc = commit_transaction(c, err);
    if (rc) tpt__pg_rollback(&c->base, 1);
    return rc;
}

int tpt__pg_scope(tpt_store *s, tpt_error *err)
{
    tpt__pg *c = tpt__pg_of(s);
    if (s->depth == 0) return 0; /* set when the next transaction opens */
    char scope[24];
    scope_text(s, scope);
    tpt__pg_params p = {0};
    tpt__pg_text(&p, scope);
    return tpt__pg_do(c, "SELECT set_config('tpt.clinic', $1, true)", &p, "setting the clinic",
                      err);
}

int tpt__pg_now(tpt_store *s, char out[TPT_TIME_MAX], tpt_error *err)
{
    tpt__pg *c = tpt__pg_of(s);
    int rc = tpt__pg_enter(c, err);
    if (!rc) snprintf(out, TPT_TIME_MAX, "%s", c->now);
    return tpt__pg_leave(c, rc, err);
}

int tpt__pg_ping(tpt_store *s, tpt_error *err)
{
    tpt__pg *c = tpt__pg_of(s);
    if (s->depth > 0)
        return tpt_error_set(err, TPT_ERR_INPUT, "a ping is not made inside a transaction");
    /* a connection that looks alive may be to a node demoted since: asked */
    if (c->conn && !writable(c->pq, c->conn)) {
        c->pq->finish(c->conn);
        c->conn = NULL;
    }
    int rc = tpt__pg_enter(c, err);
    return tpt__pg_leave(c, rc, err);
}

/* ---- safety of data ---- */

int tpt__pg_backup(tpt_store *s, const char *dest, tpt_error *err)
{
    (void)s;
    (void)dest;
    return tpt_error_set(err, TPT_ERR_INPUT,
                         "a PostgreSQL database is backed up by its server: pg_basebackup and "
                         "WAL archiving (docs/deploy.md, Backups)");
}

int tpt__pg_check(tpt_store *s, tpt_error *err)
{
    tpt__pg *c = tpt__pg_of(s);
    int rc = tpt__pg_enter(c, err);
    if (rc) return tpt__pg_leave(c, rc, err);
    /* the clinics apart: row-level security holds for this role, forced on
     * every clinical table and on the clinics' licensed texts */
    PGresult *r = tpt__pg_run(c,
                              "SELECT (SELECT rolsuper OR rolbypassrls FROM pg_roles "
                              "WHERE rolname = current_user), "
                              "(SELECT string_agg(relname, ', ' ORDER BY relname) FROM pg_class "
                              "WHERE relname IN ('patients', 'log_entries', 'records', 'visits', "
                              "'amendments', 'measures', 'assessments', 'instrument_texts', "
                              "'audit', 'appointments', 'outbox', 'intakes', 'feeds') "
                              "AND relkind = 'r' "
                              "AND relnamespace = current_schema()::regnamespace "
                              "AND NOT (relrowsecurity AND relforcerowsecurity))",
                              NULL, "checking the database", err);
    if (!r) return tpt__pg_leave(c, c->status, err);
    bool bypass = strcmp(c->pq->getvalue(r, 0, 0), "t") == 0;
    char open[300];
    tpt__pg_copy(c, r, 0, 1, open, sizeof open);
    c->pq->clear(r);
    if (bypass)
        rc = tpt_error_set(err, TPT_ERR_DATA,
                           "the role tpt connects as is a superuser or has BYPASSRLS, so "
                           "row-level security does not keep the clinics apart: connect as a "
                           "plain role that owns the database (docs/deploy.md)");
    else if (*open)
        rc = tpt_error_set(err, TPT_ERR_DATA,
                           "row-level security is not forced on %s: the clinics are not kept "
                           "apart by the database",
                           open);
    return tpt__pg_leave(c, rc, err);
}
