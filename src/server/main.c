/* tpt-serve: the program behind `tpt serve` (src/cli/main.c says why it
 * stands apart): its options, the data it loads once, and the daemon. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "mailer.h"
#include "language.h"
#include "record/program.h"
#include "handlers.h"
#include "relay.h"
#include "secrets.h"
#include "store.h"

static const char help[] =
    "usage: tpt serve [--listen ADDR:PORT] [--db PATH|URI] [--migrate] [--web-root DIR]\n"
    "                 [--instrument-text FILE]... [--url URL] [--smtp URL]\n"
    "                 [--smtp-password-file FILE] [--mail-from ADDRESS]\n"
    "                 [--secret-key-file FILE] [--previous-secret-key-file FILE]\n"
    "                 [--mail-interval SECONDS]\n"
    "                 [--max-connections N] [--per-address N] [--timeout SECONDS]\n"
    "\n"
    "Serves tpt's web pages at / and its JSON API under /api/v1 until SIGTERM or\n"
    "Ctrl-C, then lets the requests under way finish:\n"
    "  GET  /api/v1/health, /api/v1/regions, /api/v1/atlas, /api/v1/atlas/CAUSE\n"
    "  GET  /api/v1/ready    200 while the database answers and takes writes, else 503\n"
    "  POST /api/v1/map      {\"marks\": [\"r.sole:numb\", ...], \"findings\": [...]}\n"
    "  POST /api/v1/screen   the screen answers, as for tpt screen --answers\n"
    "  POST /api/v1/plan     {\"answers\": {...}, \"marks\": [...], \"findings\": [...]}\n"
    "  GET  /api/v1/chart/VIEW.svg the body chart: front, back, left or right\n"
    "  GET  /api/v1/openapi.json   the OpenAPI 3.0 description of all of them\n"
    "and, for signed-in accounts, the patients and their records under\n"
    "/api/v1/patients (see the OpenAPI file and the README). The first visit to a\n"
    "new database makes the first account (an admin); others join by invitation.\n"
    "Errors are {\"error\": {\"code\", \"message\", \"field\"}} with a 4xx status;\n"
    "request bodies are limited to 64 KiB (413 beyond).\n"
    "\n"
    "options:\n"
    "  --listen ADDR:PORT  where to listen (default 127.0.0.1:8321)\n"
    "  --db PATH|URI       the database: a SQLite file, or a postgresql:// URI (any\n"
    "                      libpq URI, several hosts included) that several instances\n"
    "                      share (default $TPT_DB, else $XDG_DATA_HOME/tpt/tpt.db)\n"
    "  --migrate           bring the database's schema up to date first (as tpt db\n"
    "                      migrate); without it, a PostgreSQL database behind this\n"
    "                      tpt's schema is refused\n"
    "  --web-root DIR      serve the pages from DIR (the source's web/) instead of\n"
    "                      the copy built in, re-read on every request: for\n"
    "                      working on them\n"
    "  --instrument-text FILE  deprecated: the item texts of a licensed outcome\n"
    "                      measure (ODI, RMDQ, STarT Back) for every clinic on this\n"
    "                      server that has none of its own; may repeat. A licence\n"
    "                      is a clinic's: keep the text in the clinic instead, with\n"
    "                      tpt licence add FILE or PUT /api/v1/instrument-texts/ID\n"
    "                      (docs/deploy.md, Licensed questionnaires)\n"
    "  --url URL           the address people reach this server at, for the links in\n"
    "                      emails and calendar feeds (default http://ADDR:PORT)\n"
    "  --smtp URL          the mail relay for reminders and confirmations:\n"
    "                      smtp://host:port, or smtps://user@host:465 with the\n"
    "                      password in --smtp-password-file or TPT_SMTP_PASSWORD\n"
    "                      (a password in the URL is refused: anyone on the\n"
    "                      machine reads a command line). A clinic's own relay\n"
    "                      (its settings) goes first. Without one, emails wait in\n"
    "                      the outbox and the app shows them\n"
    "  --smtp-password-file FILE  the relay's password, the file's one line; the\n"
    "                      file must be its owner's alone (chmod 600). Without it,\n"
    "                      the password is taken from $TPT_SMTP_PASSWORD\n"
    "  --mail-from ADDRESS the sender of emails when a clinic gives none\n"
    "  --secret-key-file FILE  the key that keeps a clinic's own mail relay's\n"
    "                      password encrypted in the database: 64 hexadecimal\n"
    "                      digits (openssl rand -hex 32), in a file that is its\n"
    "                      owner's alone (chmod 600); every instance on one\n"
    "                      database needs the same. Without it, the key is taken\n"
    "                      from $TPT_SECRET_KEY, else, for a SQLite database, from\n"
    "                      DB.key beside it, made at the first start\n"
    "  --previous-secret-key-file FILE  when changing the key: the key it\n"
    "                      replaces; the relay passwords kept under it are\n"
    "                      encrypted again under --secret-key-file at start\n"
    "                      (docs/security.md)\n"
    "  --mail-interval SECONDS  how often the outbox is looked at (default 30; a\n"
    "                      failed send waits this long, then twice as long each\n"
    "                      time, up to an hour)\n"
    "  --max-connections N  connections open at once (default 1000); beyond them\n"
    "                      a client is answered 503 with Retry-After\n"
    "  --per-address N     connections open at once from one client address\n"
    "                      (default 64; beyond them it is closed); 0 for no bound,\n"
    "                      behind a proxy that bounds them itself (docs/security.md)\n"
    "  --timeout SECONDS   an idle connection closes after SECONDS (default 15), a\n"
    "                      request's body must arrive within twice that\n";

/* Reads a whole number in [min, max] into out: 0, or -1 when text is not one. */
static int bounded(const char *text, long min, long max, unsigned *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max) return -1;
    *out = (unsigned)v;
    return 0;
}

/* A usage problem, said as the command line says them, and its exit status. */
static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "tpt serve: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see: tpt serve --help)\n");
    return TPT_EXIT_BAD_INPUT;
}

static int failed(const tpt_error *err)
{
    fprintf(stderr, "tpt: %s\n", err->message);
    return tpt_exit_status(err->status);
}

/* The engine's data, the outcome measures and the server-wide item texts,
 * kept as read: a clinic's own texts are merged over them per request. */
static int load(srv_data *data, tpt_text_file *texts, size_t ntexts, tpt_error *err)
{
    if (!(data->regions = tpt_regions_default(err)) ||
        !(data->atlas = tpt_atlas_default(data->regions, err)) ||
        !(data->screen = tpt_screen_def_default(err)) ||
        !(data->techniques = tpt_techniques_default(data->atlas, err)) ||
        !(data->chart = tpt_chart_default(data->regions, err)) ||
        !(data->instruments = tpt_instruments_default(err)) || srv_languages_load(data, err) != 0)
        return err->status;
    for (size_t i = 0; i < ntexts; i++) {
        char *text = NULL;
        int rc = tpt_file_read(texts[i].name, TPT_INSTRUMENT_FILE_MAX, &text, &texts[i].len, err);
        texts[i].json = text;
        if (!rc)
            rc =
                tpt_instruments_add_text(data->instruments, text, texts[i].len, texts[i].name, err);
        if (rc) return rc;
    }
    data->server_texts = texts;
    data->nserver_texts = ntexts;
    if (ntexts)
        fprintf(stderr,
                "tpt serve: --instrument-text is deprecated: its texts show to every clinic on "
                "this server that has none of its own. A licence is one clinic's: keep its text "
                "in that clinic (tpt licence add FILE --clinic ID, or an admin's PUT "
                "/api/v1/instrument-texts/ID) and drop the option (docs/deploy.md).\n");
    return 0;
}

static void unload(srv_data *data, tpt_text_file *texts, size_t ntexts)
{
    for (size_t i = 0; i < ntexts; i++)
        free((char *)texts[i].json);
    srv_languages_free(data);
    tpt_instruments_free(data->instruments);
    tpt_chart_free(data->chart);
    tpt_techniques_free(data->techniques);
    tpt_screen_def_free(data->screen);
    tpt_atlas_free(data->atlas);
    tpt_regions_free(data->regions);
}

/* The key of the clinics' relay passwords, kept apart from the database,
 * into keys[0] (data->secret_key, NULL when there is none), and the one it
 * replaces while a key is changed into keys[1]: 0, or the exit status with
 * what is wrong said. */
static int secret_keys(srv_data *data, const char *const files[2], srv_secret_key keys[2])
{
    bool have = false;
    char why[640];
    if (srv_secret_key_setup(files[0], tpt_store_is_uri(data->db) ? NULL : data->db, &keys[0],
                             &have, why, sizeof why) != 0 ||
        (files[1] && srv_secret_key_read("--previous-secret-key-file", files[1], &keys[1], why,
                                         sizeof why) != 0)) {
        fprintf(stderr, "tpt serve: %s\n", why);
        return TPT_EXIT_BAD_INPUT;
    }
    if (files[1] && !have)
        return usage("--previous-secret-key-file goes with --secret-key-file FILE");
    data->secret_key = have ? &keys[0] : NULL;
    return 0;
}

/* Opens the record, loads the data and serves until stopped: the exit status. */
static int start(srv_data *data, const char *listen, bool migrate, const char *const key_files[2],
                 tpt_text_file *texts, size_t ntexts)
{
    /* The record: opened once now so that a bad path or an old schema fails at
     * start, not at the first sign-in. */
    char db[4096];
    if (!data->db) {
        if (tpt_store_default(db, sizeof db) != 0)
            return usage("no place for the database: give --db PATH|URI");
        data->db = db;
    }
    tpt_store *store;
    tpt_error err = {0};
    if ((migrate && tpt_store_migrate(data->db, &err) != 0) ||
        tpt_store_open(data->db, &store, &err) != 0)
        return failed(&err);
    int64_t accounts = 0;
    tpt_store_user_count(store, &accounts, NULL);
    data->no_accounts = accounts == 0;
    if (sodium_init() < 0) {
        tpt_store_close(store);
        fprintf(stderr, "tpt: the cryptography library cannot start\n");
        return 1;
    }
    srv_secret_key *keys = sodium_malloc(2 * sizeof *keys);
    int refused = keys ? secret_keys(data, key_files, keys) : 1;
    if (refused) {
        if (!keys) fprintf(stderr, "tpt: out of memory\n");
        tpt_store_close(store);
        sodium_free(keys);
        return refused;
    }
    srv_clinic_relays_seal(store, data->secret_key, key_files[1] ? &keys[1] : NULL);
    tpt_store_close(store);
    int code = 0;
    if (load(data, texts, ntexts, &err) != 0) {
        code = failed(&err);
    } else if (srv_mailer_start(data) != 0) {
        fprintf(stderr, "tpt: the sender of emails cannot start\n");
        code = 1;
    } else {
        if (srv_run(data, listen, &err) != 0) code = failed(&err);
        srv_mailer_stop();
    }
    unload(data, texts, ntexts);
    sodium_free(keys);
    return code;
}

static int serve(int argc, char **argv)
{
    static const struct option options[] = {
        {"listen", required_argument, NULL, 'l'},
        {"db", required_argument, NULL, 'd'},
        {"web-root", required_argument, NULL, 'w'},
        {"instrument-text", required_argument, NULL, 'i'},
        {"url", required_argument, NULL, 'u'},
        {"smtp", required_argument, NULL, 's'},
        {"smtp-password-file", required_argument, NULL, 'P'},
        {"mail-from", required_argument, NULL, 'f'},
        {"secret-key-file", required_argument, NULL, 'k'},
        {"previous-secret-key-file", required_argument, NULL, 'K'},
        {"mail-interval", required_argument, NULL, 'M'},
        {"max-connections", required_argument, NULL, 'c'},
        {"per-address", required_argument, NULL, 'a'},
        {"timeout", required_argument, NULL, 't'},
        {"migrate", no_argument, NULL, 'm'},
        {0}};
    bool migrate = false;
    tpt_text_file texts[TPT_INSTRUMENTS_MAX] = {{0}};
    size_t ntexts = 0;
    const char *listen = "127.0.0.1:8321", *password_file = NULL, *key_files[2] = {NULL, NULL};
    srv_data data = {.connections_max = SRV_CONNECTIONS_MAX,
                     .per_address_max = SRV_PER_ADDRESS_MAX,
                     .timeout = SRV_CONNECTION_TIMEOUT,
                     .mail_interval = 30};
    char base[512];
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        if (opt == 'l')
            listen = optarg;
        else if (opt == 'd')
            data.db = optarg;
        else if (opt == 'w')
            data.web_root = optarg;
        else if (opt == 'm')
            migrate = true;
        else if (opt == 'i' && ntexts < TPT_INSTRUMENTS_MAX)
            texts[ntexts++].name = optarg;
        else if (opt == 'u')
            data.base_url = optarg;
        else if (opt == 's')
            data.smtp_url = optarg;
        else if (opt == 'P')
            password_file = optarg;
        else if (opt == 'f')
            data.mail_from = optarg;
        else if (opt == 'k')
            key_files[0] = optarg;
        else if (opt == 'K')
            key_files[1] = optarg;
        else if (opt == 'M') {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > 3600)
                return usage("--mail-interval takes 1 to 3600 seconds, not '%s'", optarg);
            data.mail_interval = (int)v;
        } else if (opt == 'i')
            return usage("at most %d --instrument-text files", TPT_INSTRUMENTS_MAX);
        else if (opt == 'c' && bounded(optarg, 1, 100000, &data.connections_max) != 0)
            return usage("--max-connections takes a number from 1 to 100000, not '%s'", optarg);
        else if (opt == 'a' && bounded(optarg, 0, 100000, &data.per_address_max) != 0)
            return usage("--per-address takes a number from 0 (no bound) to 100000, not '%s'",
                         optarg);
        else if (opt == 't' && bounded(optarg, 1, 3600, &data.timeout) != 0)
            return usage("--timeout takes seconds from 1 to 3600, not '%s'", optarg);
        else if (opt == 'c' || opt == 'a' || opt == 't')
            continue;
        else if (opt == ':')
            return usage("option '%s' needs a value", argv[optind - 1]);
        else if (optopt)
            return usage("unknown option '-%c'", optopt);
        else
            return usage("unknown option '%s'", argv[optind - 1]);
    }
    if (optind < argc) return usage("unexpected argument '%s'", argv[optind]);
    if (data.mail_from && (!strchr(data.mail_from, '@') || strpbrk(data.mail_from, " <>\r\n,")))
        return usage("--mail-from takes an email address, not '%s'", data.mail_from);
    if (data.base_url && strncmp(data.base_url, "http://", 7) != 0 &&
        strncmp(data.base_url, "https://", 8) != 0)
        return usage("--url takes http://... or https://..., not '%s'", data.base_url);
    /* links are written as base + "/#/...": no trailing slash */
    snprintf(base, sizeof base, "%s%s", data.base_url ? "" : "http://",
             data.base_url ? data.base_url : listen);
    for (size_t n = strlen(base); n > 0 && base[n - 1] == '/'; n--)
        base[n - 1] = '\0';
    data.base_url = base;
    if (data.web_root) { /* a typo should fail now, not as a 404 in the browser later */
        char index[4096];
        snprintf(index, sizeof index, "%s/index.html", data.web_root);
        FILE *f = fopen(index, "rb");
        if (!f) return usage("--web-root: there is no %s", index);
        fclose(f);
    }
    char *password, why[640];
    if (srv_relay_setup(data.smtp_url, password_file, &password, why, sizeof why) != 0)
        return usage("%s", why);
    data.smtp_secret = password;
    int code = start(&data, listen, migrate, key_files, texts, ntexts);
    if (password) explicit_bzero(password, strlen(password));
    free(password);
    return code;
}

int main(int argc, char **argv)
{
    /* as `tpt serve ARGS`: argv[0] stands for the command */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(help, stdout);
            return 0;
        }
    }
    int code = serve(argc, argv);
    if (fflush(stdout) != 0) return code ? code : 1;
    return code;
}
