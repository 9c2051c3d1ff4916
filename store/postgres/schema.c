/* The schema of a PostgreSQL database: its version, kept in tpt_migrations,
 * and the migrations, applied once each under an advisory lock
 * (docs/internals/postgres.md, Migrations). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postgres.h"

/* The advisory lock every migrator queues on, transaction-scoped so that it
 * works through pgbouncer in transaction mode. */
#define MIGRATE_KEY "7628116"

/* schema/NNN.sql, embedded at build time. Released files never change. */
extern const unsigned char tpt__pg_schema_8[], tpt__pg_schema_9[], tpt__pg_schema_10[],
    tpt__pg_schema_13[], tpt__pg_schema_14[], tpt__pg_schema_15[], tpt__pg_schema_16[];

/* An expansion: the tpt that worked on the database before the step still
 * works after it (compatible_from as the step before has it). */
#define AS_BEFORE 0

/* Each step, in order of version: the version it makes, its SQL, and the
 * oldest schema version whose tpt still works on the database after it (an
 * expansion keeps the previous one working; a contraction does not). The
 * numbers may skip (versions kept by work not released with this one); a
 * database goes from each version to the next one listed. */
static const struct step {
    int version;
    const unsigned char *sql;
    int compatible_from;
} steps[] = {
    {8, tpt__pg_schema_8, 8},
    {9, tpt__pg_schema_9, 8},
    {10, tpt__pg_schema_10, 8},
    {13, tpt__pg_schema_13, AS_BEFORE},
    {14, tpt__pg_schema_14, AS_BEFORE},
    /* an older tpt would write audit lines outside the chain: not after it */
    {15, tpt__pg_schema_15, 15},
    {16, tpt__pg_schema_16, AS_BEFORE},
};
#define STEPS ((int)(sizeof steps / sizeof *steps))
_Static_assert(sizeof steps / sizeof *steps > 0, "a schema");

int tpt__pg_schema_version(tpt__pg *c, int *version, tpt_error *err)
{
    PGresult *r = tpt__pg_run(c, "SELECT to_regclass('tpt_migrations') IS NOT NULL", NULL,
                              "reading the schema version", err);
    if (!r) return c->status;
    bool kept = strcmp(c->pq->getvalue(r, 0, 0), "t") == 0;
    c->pq->clear(r);
    *version = 0;
    if (!kept) return 0;
    r = tpt__pg_run(c, "SELECT coalesce(max(version), 0) FROM tpt_migrations", NULL,
                    "reading the schema version", err);
    if (!r) return c->status;
    *version = (int)tpt__pg_int64(c, r, 0, 0);
    c->pq->clear(r);
    return 0;
}

/* The oldest version whose tpt works on a database at `version`. */
static int compatible_from(tpt__pg *c, int version, int *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, version);
    PGresult *r = tpt__pg_run(c, "SELECT compatible_from FROM tpt_migrations WHERE version = $1",
                              &p, "reading the schema version", err);
    if (!r) return c->status;
    *out = c->pq->ntuples(r) ? (int)tpt__pg_int64(c, r, 0, 0) : version;
    c->pq->clear(r);
    return 0;
}

/* Whether a database at `version` is one this tpt's steps made (0: new). */
static bool known_version(int version)
{
    for (int i = 0; i < STEPS; i++)
        if (steps[i].version == version) return true;
    return version == 0;
}

/* Runs one migration's file and records its version, inside the caller's
 * transaction. */
static int apply(tpt__pg *c, const struct step *next, tpt_error *err)
{
    /* the file is several statements: the simple protocol runs them in turn,
     * inside this transaction */
    PGresult *r = c->pq->exec(c->conn, (const char *)next->sql);
    if (!r || c->pq->resultStatus(r) != PGRES_COMMAND_OK) {
        char what[64];
        snprintf(what, sizeof what, "migrating to schema version %d", next->version);
        int rc = tpt__pg_fail(c, r, what, err);
        c->pq->clear(r);
        return rc;
    }
    c->pq->clear(r);
    tpt__pg_params p = {0};
    tpt__pg_int(&p, next->version);
    tpt__pg_int(&p, next->compatible_from);
    tpt__pg_text(&p, "tpt " TPT_VERSION);
    /* an expansion takes compatible_from of the version it was applied on */
    return tpt__pg_do(c,
                      "INSERT INTO tpt_migrations (version, compatible_from, by_tpt) "
                      "SELECT $1, CASE $2::integer WHEN 0 THEN coalesce((SELECT compatible_from "
                      "FROM tpt_migrations ORDER BY version DESC LIMIT 1), $1) ELSE $2 END, $3",
                      &p, "keeping the schema version", err);
}

/* One step of the runner, in its own transaction under the lock: reads the
 * version, and applies the next migration when one is due (to a new
 * database, all of them). *done when the database is where it should be. */
static int step_once(tpt__pg *c, bool upgrade, bool *done, tpt_error *err)
{
    int version = 0, rc;
    *done = false;
    c->failed = false;
    if ((rc = tpt__pg_do(c,
                         "SELECT pg_advisory_xact_lock(" MIGRATE_KEY "), "
                         "set_config('tpt.clinic', '*', true), "
                         "set_config('lock_timeout', '5s', true)",
                         NULL, "waiting for other migrations", err)) ||
        (rc = tpt__pg_schema_version(c, &version, err)))
        return rc;
    if (version == 0) {
        PGresult *r = tpt__pg_run(c,
                                  "SELECT count(*) FROM pg_tables WHERE schemaname = "
                                  "current_schema() AND tablename <> 'tpt_migrations'",
                                  NULL, "reading the tables", err);
        if (!r) return c->status;
        long others = (long)tpt__pg_int64(c, r, 0, 0);
        c->pq->clear(r);
        /* another program's database: never changed by tpt */
        if (others > 0)
            return tpt_error_set(err, TPT_ERR_INPUT,
                                 "this database holds tables that are not tpt's");
    }
    int latest = steps[STEPS - 1].version;
    if (version >= latest) {
        int oldest;
        if ((rc = compatible_from(c, version, &oldest, err))) return rc;
        if (oldest > latest)
            return tpt_error_set(err, TPT_ERR_DATA,
                                 "the database is at schema version %d, which this tpt (%d) "
                                 "cannot use: use a newer tpt",
                                 version, latest);
        *done = true;
        return 0;
    }
    if (!known_version(version)) /* made by a build with versions this one does not have */
        return tpt_error_set(err, TPT_ERR_DATA,
                             "the database is at schema version %d, which this tpt does not know "
                             "(it knows up to %d): use the tpt that made it",
                             version, latest);
    /* a new database is made whole; an older one only when asked */
    if (version > 0 && !upgrade)
        return tpt_error_set(err, TPT_ERR_DATA,
                             "the database is at schema version %d and this tpt needs %d: run "
                             "tpt db migrate --db URI first (docs/deploy.md)",
                             version, latest);
    if ((rc = tpt__pg_do(c,
                         "CREATE TABLE IF NOT EXISTS tpt_migrations ("
                         " version integer PRIMARY KEY,"
                         " compatible_from integer NOT NULL,"
                         " applied timestamptz NOT NULL DEFAULT now(),"
                         " by_tpt text NOT NULL)",
                         NULL, "keeping the schema version", err)))
        return rc;
    /* the next step; a new database every step, in this one transaction */
    for (const struct step *next = steps; next < steps + STEPS && !rc; next++)
        if (next->version > version) {
            rc = apply(c, next, err);
            if (version > 0) break;
        }
    return rc;
}

int tpt__pg_migrate(tpt__pg *c, bool upgrade, tpt_error *err)
{
    for (;;) {
        PGresult *r = c->pq->exec(c->conn, "BEGIN");
        bool begun = r && c->pq->resultStatus(r) == PGRES_COMMAND_OK;
        int rc = begun ? 0 : tpt__pg_fail(c, r, "starting a migration", err);
        c->pq->clear(r);
        if (rc) return rc;
        bool done = false;
        rc = step_once(c, upgrade, &done, err);
        r = c->pq->exec(c->conn, rc ? "ROLLBACK" : "COMMIT");
        if (!rc && (!r || c->pq->resultStatus(r) != PGRES_COMMAND_OK))
            rc = tpt__pg_fail(c, r, "committing a migration", err);
        c->pq->clear(r);
        c->failed = false;
        c->wrote = false;
        if (rc || done) return rc;
    }
}
