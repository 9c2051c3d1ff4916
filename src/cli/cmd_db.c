/* tpt db: the database itself: a backup, a check, its schema brought up to
 * date, and a SQLite database copied into PostgreSQL. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

const char cmd_db_help[] =
    "usage: tpt db backup FILE [--db PATH]\n"
    "       tpt db check [--db PATH|URI]\n"
    "       tpt db migrate [--db PATH|URI]\n"
    "       tpt db migrate --from PATH --to URI\n"
    "\n"
    "backup   a consistent copy of the whole SQLite database in FILE (which must not\n"
    "         exist yet), safe to take while tpt is in use (restore it by using FILE\n"
    "         as --db, or copying it in place); a PostgreSQL database is backed up\n"
    "         by its server (pg_basebackup and WAL archiving: docs/deploy.md)\n"
    "check    the database's integrity check and the audit log's chain (each line\n"
    "         holds a hash of itself and of the line before): exit 0 when both hold,\n"
    "         2 when not, naming the first audit line changed or after one removed\n"
    "         (PostgreSQL: also that row-level security keeps the clinics apart);\n"
    "         it prints the latest line's hash: keep it elsewhere to tell later\n"
    "         that no line was cut from the end\n"
    "migrate  brings the schema up to date, each version once, under a lock, so that\n"
    "         several servers may run it at the same time; a PostgreSQL database\n"
    "         is migrated only so (tpt serve --migrate does it too), a SQLite file\n"
    "         by any command\n"
    "migrate --from PATH --to URI\n"
    "         copies every row of the SQLite database PATH into the PostgreSQL\n"
    "         database URI, which must hold no records yet, keeping every id; then\n"
    "         reads both back and compares them row for row, and keeps the copy\n"
    "         only when they agree\n"
    "\n"
    "  --db PATH|URI  the database: a file (SQLite) or a postgresql:// URI (default\n"
    "                 $TPT_DB, else $XDG_DATA_HOME/tpt/tpt.db)\n"
    "  --from PATH    the SQLite database to copy\n"
    "  --to URI       the PostgreSQL database to copy into\n";

/* tpt db migrate --from PATH --to URI */
static int copy(const char *from_path, const char *to_uri)
{
    tpt_store *from = NULL, *to = NULL;
    tpt_error err = {0};
    size_t rows = 0;
    int code = 0;
    if (!tpt_store_is_uri(to_uri))
        return cli_usage("db", "--to names a PostgreSQL database: postgresql://...");
    if (tpt_store_is_uri(from_path)) return cli_usage("db", "--from names a SQLite database file");
    if (tpt_store_open(from_path, &from, &err) != 0 || tpt_store_migrate(to_uri, &err) != 0 ||
        tpt_store_open(to_uri, &to, &err) != 0 || tpt_store_copy(from, to, &rows, &err) != 0)
        code = cli_report(&err);
    else
        printf("Copied %zu rows from %s into %s, and compared them row for row: the same.\n", rows,
               from_path, to_uri);
    tpt_store_close(from);
    tpt_store_close(to);
    return code;
}

int cmd_db(int argc, char **argv)
{
    enum { FROM = 1, TO };
    static const struct option own[] = {
        {"from", required_argument, NULL, FROM}, {"to", required_argument, NULL, TO}, {0}};
    int opt;
    const char *from = NULL, *to = NULL;
    cli_args opts;
    cli_args_init(&opts, "db", argc, argv, own, CLI_DB);
    while ((opt = cli_args_next(&opts)) > 0) {
        if (opt == FROM) from = optarg;
        if (opt == TO) to = optarg;
    }
    if (opt < 0) return opts.code;
    if (optind >= argc) return cli_usage("db", "say backup FILE, check or migrate");
    const char *verb = argv[optind++];
    int backup = strcmp(verb, "backup") == 0, migrate = strcmp(verb, "migrate") == 0;
    if (!backup && !migrate && strcmp(verb, "check") != 0)
        return cli_usage("db", "unknown action '%s' (backup FILE, check or migrate)", verb);
    if (backup && optind >= argc) return cli_usage("db", "backup needs a file to write");
    if (optind + backup < argc)
        return cli_usage("db", "unexpected argument '%s'", argv[optind + backup]);
    int code = cli_args_only(&opts, verb, migrate ? CLI_DB | CLI_OWN(0) | CLI_OWN(1) : CLI_DB);
    if (code) return code;
    if (migrate && (from || to)) {
        if (!from || !to) return cli_usage("db", "a copy needs both --from PATH and --to URI");
        if (opts.common.db) return cli_usage("db", "a copy takes --from and --to, not --db");
        return copy(from, to);
    }

    tpt_error err = {0};
    if (migrate) {
        char db[4096];
        const char *uri = opts.common.db;
        if (!uri && tpt_store_default(db, sizeof db) == 0) uri = db;
        if (!uri) return cli_usage("db", "no database: give --db PATH|URI");
        tpt_store *store;
        if (tpt_store_migrate(uri, &err) != 0 || tpt_store_open(uri, &store, &err) != 0)
            return cli_report(&err);
        printf("The database is at schema version %d, the latest this tpt knows.\n",
               tpt_store_version(store));
        tpt_store_close(store);
        return 0;
    }
    tpt_store *store;
    if ((code = cli_open_store(opts.common.db, &store, NULL))) return code;
    if (backup) {
        if (tpt_store_backup(store, argv[optind], &err) != 0)
            code = cli_report(&err);
        else
            printf("Backed up to %s.\n", argv[optind]);
    } else {
        tpt_audit_check audit;
        if (tpt_store_check(store, &err) != 0 || tpt_store_audit_verify(store, &audit, &err) != 0) {
            code = cli_report(&err);
        } else {
            printf("The database is sound (schema version %d).\n", tpt_store_version(store));
            printf("The audit log's chain holds: %lld line%s", (long long)audit.lines,
                   audit.lines == 1 ? "" : "s");
            if (audit.unchained)
                printf(", of which the first %lld from before it was chained",
                       (long long)audit.unchained);
            printf(".\n");
            if (*audit.head) printf("Its latest hash: %s\n", audit.head);
        }
    }
    tpt_store_close(store);
    return code;
}
