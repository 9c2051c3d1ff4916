/* tpt serve: the JSON API and the web UI on HTTP (src/server). */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "server.h"

const char cmd_serve_help[] =
    "usage: tpt serve [--listen ADDR:PORT] [--db PATH] [--web-root DIR]\n"
    "                 [--instrument-text FILE]...\n"
    "\n"
    "Serves tpt's web pages at / and its JSON API under /api/v1 until SIGTERM or\n"
    "Ctrl-C, then lets the requests under way finish:\n"
    "  GET  /api/v1/health, /api/v1/regions, /api/v1/atlas, /api/v1/atlas/CAUSE\n"
    "  POST /api/v1/map      {\"marks\": [\"r.sole:numb\", ...], \"findings\": [...]}\n"
    "  POST /api/v1/screen   the screen answers, as for tpt screen --answers\n"
    "  POST /api/v1/plan     {\"answers\": {...}, \"marks\": [...], \"findings\": [...]}\n"
    "  GET  /api/v1/chart/VIEW.svg the body chart: front, back, left or right\n"
    "  GET  /api/v1/openapi.json   the OpenAPI 3.0 description of all of them\n"
    "and, for signed-in accounts, the patients and their records under\n"
    "/api/v1/patients (see the OpenAPI file and the README). The first visit to a\n"
    "new database makes the first account (an admin); others join by invitation.\n"
    "Errors are {\"error\": {\"code\", \"message\", \"field\"}} with a 4xx status;\n"
    "request bodies are limited to 64 KiB (413 beyond), idle connections close\n"
    "after 15 s.\n"
    "\n"
    "options:\n"
    "  --listen ADDR:PORT  where to listen (default 127.0.0.1:8321)\n"
    "  --db PATH           the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "  --web-root DIR      serve the pages from DIR (the source's web/) instead of\n"
    "                      the copy built in, re-read on every request: for\n"
    "                      working on them\n"
    "  --instrument-text FILE  the item texts of a licensed outcome measure (ODI,\n"
    "                      RMDQ, STarT Back) as the clinic holds them under its own\n"
    "                      licence (docs/internals/instruments.md); may repeat\n";

int cmd_serve(int argc, char **argv)
{
    static const struct option options[] = {{"listen", required_argument, NULL, 'l'},
                                            {"db", required_argument, NULL, 'd'},
                                            {"web-root", required_argument, NULL, 'w'},
                                            {"instrument-text", required_argument, NULL, 'i'},
                                            {0}};
    const char *texts[TPT_INSTRUMENTS_MAX];
    size_t ntexts = 0;
    const char *listen = "127.0.0.1:8321";
    tpt_server_data data = {0};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        if (opt == 'l')
            listen = optarg;
        else if (opt == 'd')
            data.db_path = optarg;
        else if (opt == 'w')
            data.web_root = optarg;
        else if (opt == 'i' && ntexts < TPT_INSTRUMENTS_MAX)
            texts[ntexts++] = optarg;
        else if (opt == 'i')
            return cli_usage("serve", "at most %d --instrument-text files", TPT_INSTRUMENTS_MAX);
        else if (opt == ':')
            return cli_usage("serve", "option '%s' needs a value", argv[optind - 1]);
        else
            return cli_bad_option("serve", argv);
    }
    if (optind < argc) return cli_usage("serve", "unexpected argument '%s'", argv[optind]);
    if (data.web_root) { /* a typo should fail now, not as a 404 in the browser later */
        char index[4096];
        snprintf(index, sizeof index, "%s/index.html", data.web_root);
        FILE *f = fopen(index, "rb");
        if (!f) return cli_usage("serve", "--web-root: there is no %s", index);
        fclose(f);
    }

    /* The record: opened once now so that a bad path or an old schema fails at
     * start, not at the first sign-in. */
    char db[4096];
    if (!data.db_path) {
        if (tpt_store_default_path(db, sizeof db) != 0)
            return cli_usage("serve", "no place for the database: give --db PATH");
        data.db_path = db;
    }
    tpt_store *store;
    int code = cli_open_store(data.db_path, &store, NULL);
    if (code) return code;
    int64_t accounts = 0;
    tpt_store_user_count(store, &accounts, NULL);
    data.no_accounts = accounts == 0;
    tpt_store_close(store);
    if (sodium_init() < 0) {
        fprintf(stderr, "tpt: the cryptography library cannot start\n");
        return 1;
    }

    cli_data engine;
    code = cli_load(&engine, NULL);
    if (code) return code;
    tpt_error err = {0};
    data.regions = engine.regions;
    data.atlas = engine.atlas;
    data.screen = tpt_screen_def_default(&err);
    data.techniques = data.screen ? tpt_techniques_default(data.atlas, &err) : NULL;
    data.chart = data.techniques ? tpt_chart_default(data.regions, &err) : NULL;
    data.instruments = data.chart ? tpt_instruments_default(&err) : NULL;
    for (size_t i = 0; data.instruments && i < ntexts; i++) {
        char *text = NULL;
        size_t len = 0;
        if (cli_read_file(texts[i], TPT_INSTRUMENT_FILE_MAX, &text, &len, &err) != 0 ||
            tpt_instruments_add_text(data.instruments, text, len, texts[i], &err) != 0) {
            tpt_instruments_free(data.instruments);
            data.instruments = NULL;
        }
        free(text);
    }
    if (!data.instruments || tpt_server_run(&data, listen, &err) != 0) code = cli_report(&err);
    tpt_instruments_free(data.instruments);
    tpt_chart_free(data.chart);
    tpt_techniques_free(data.techniques);
    tpt_screen_def_free(data.screen);
    cli_data_free(&engine);
    return code;
}
