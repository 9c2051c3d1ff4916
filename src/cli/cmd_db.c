/* tpt db: the database itself: where it is, a backup, a check. */
#include <string.h>

#include "cli.h"

const char cmd_db_help[] =
    "usage: tpt db backup FILE [--db PATH]\n"
    "       tpt db check [--db PATH]\n"
    "\n"
    "backup  a consistent copy of the whole database in FILE (which must not exist\n"
    "        yet), safe to take while tpt is in use (restore it by using FILE as\n"
    "        --db, or copying it in place)\n"
    "check   the database's integrity check and the audit log's chain (each line\n"
    "        holds a hash of itself and of the line before): exit 0 when both hold,\n"
    "        2 when not, naming the first audit line changed or after one removed;\n"
    "        it prints the latest line's hash: keep it elsewhere to tell later\n"
    "        that no line was cut from the end\n"
    "\n"
    "  --db PATH   the database (default $XDG_DATA_HOME/tpt/tpt.db)\n";

int cmd_db(int argc, char **argv)
{
    int opt;
    cli_args opts;
    cli_args_init(&opts, "db", argc, argv, NULL, CLI_DB);
    if ((opt = cli_args_next(&opts)) != 0) return opt < 0 ? opts.code : cli_bad_option("db", argv);
    if (optind >= argc) return cli_usage("db", "say backup FILE or check");
    const char *verb = argv[optind++];
    int backup = strcmp(verb, "backup") == 0;
    if (!backup && strcmp(verb, "check") != 0)
        return cli_usage("db", "unknown action '%s' (backup FILE or check)", verb);
    if (backup && optind >= argc) return cli_usage("db", "backup needs a file to write");
    if (optind + backup < argc)
        return cli_usage("db", "unexpected argument '%s'", argv[optind + backup]);

    tpt_store *store;
    int code = cli_open_store(opts.common.db, &store, NULL);
    if (code) return code;
    tpt_error err = {0};
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
