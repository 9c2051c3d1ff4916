/* tpt serve: the JSON API on HTTP (src/server). */
#include <getopt.h>

#include "cli.h"
#include "server.h"

const char cmd_serve_help[] =
    "usage: tpt serve [--listen ADDR:PORT] [--db PATH]\n"
    "\n"
    "Serves tpt's JSON API under /api/v1 until SIGTERM or Ctrl-C, then lets the\n"
    "requests under way finish:\n"
    "  GET  /api/v1/health, /api/v1/regions, /api/v1/atlas, /api/v1/atlas/CAUSE\n"
    "  POST /api/v1/map      {\"marks\": [\"r.sole:numb\", ...], \"findings\": [...]}\n"
    "  POST /api/v1/screen   the screen answers, as for tpt screen --answers\n"
    "  POST /api/v1/plan     {\"answers\": {...}, \"marks\": [...], \"findings\": [...]}\n"
    "  GET  /api/v1/openapi.json   the OpenAPI 3.0 description of all of them\n"
    "Errors are {\"error\": {\"code\", \"message\", \"field\"}} with a 4xx status;\n"
    "request bodies are limited to 64 KiB (413 beyond), idle connections close\n"
    "after 15 s.\n"
    "\n"
    "options:\n"
    "  --listen ADDR:PORT  where to listen (default 127.0.0.1:8321)\n"
    "  --db PATH           the database (default $XDG_DATA_HOME/tpt/tpt.db)\n";

int cmd_serve(int argc, char **argv)
{
    static const struct option options[] = {
        {"listen", required_argument, NULL, 'l'}, {"db", required_argument, NULL, 'd'}, {0}};
    const char *listen = "127.0.0.1:8321";
    tpt_server_data data = {0};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        if (opt == 'l')
            listen = optarg;
        else if (opt == 'd')
            data.db_path = optarg;
        else if (opt == ':')
            return cli_usage("serve", "option '%s' needs a value", argv[optind - 1]);
        else
            return cli_bad_option("serve", argv);
    }
    if (optind < argc) return cli_usage("serve", "unexpected argument '%s'", argv[optind]);

    cli_data engine;
    int code = cli_load(&engine, NULL);
    if (code) return code;
    tpt_error err = {0};
    data.regions = engine.regions;
    data.atlas = engine.atlas;
    data.screen = tpt_screen_def_default(&err);
    data.techniques = data.screen ? tpt_techniques_default(data.atlas, &err) : NULL;
    if (!data.techniques || tpt_server_run(&data, listen, &err) != 0) code = cli_report(&err);
    tpt_techniques_free(data.techniques);
    tpt_screen_def_free(data.screen);
    cli_data_free(&engine);
    return code;
}
