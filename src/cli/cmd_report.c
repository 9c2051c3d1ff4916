/* tpt report: the record as one self-contained HTML page. This file gathers
 * plain values from the store (with tpt progress's gathering, so that both
 * judge the same record the same way); lib/report.c draws the page. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "tpt/report.h"

const char cmd_report_help[] =
    "usage: tpt report [--out FILE] [--lang LANG] [--db PATH]\n"
    "\n"
    "Writes your record as one HTML page that any browser shows and prints to a\n"
    "clean PDF: the progress verdict, leg and back pain over time as a chart with\n"
    "the sessions marked (those stopped for sharp or new pain in red), where your\n"
    "drawings marked pain and how often, the current plan, and the sessions. The\n"
    "page is self-contained: no scripts, fonts or links to load. Times are shown\n"
    "in your local time zone.\n"
    "\n"
    "options:\n"
    "  --out FILE   write the page to FILE (replaced whole) instead of standard output\n"
    "  --lang LANG  the page's language: en (the default) or de\n"
    "  --db PATH    the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "example:\n"
    "  tpt report --out report.html\n"
    "  tpt report --lang de --out bericht.html\n";

/* The page to a file, written beside it and renamed over it so that an old
 * report is never left half-replaced (a device or a pipe is written in place). */
static int write_out(const char *path, const tpt_buf *html)
{
    struct stat st;
    int rc;
    if (!path) {
        fwrite(html->data, 1, html->len, stdout);
        return 0; /* main checks that standard output took it */
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        FILE *f = fopen(path, "w");
        rc = !f || fwrite(html->data, 1, html->len, f) != html->len;
        if (f && fclose(f) != 0) rc = 1;
    } else {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
        FILE *f = fopen(tmp, "w");
        rc = !f || fwrite(html->data, 1, html->len, f) != html->len;
        if (f && fclose(f) != 0) rc = 1;
        if (!rc && rename(tmp, path) != 0) rc = 1;
        if (rc) remove(tmp);
    }
    if (rc) {
        fprintf(stderr, "tpt: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int cmd_report(int argc, char **argv)
{
    static const struct option options[] = {
        {"out", required_argument, NULL, 'o'},
        {"lang", required_argument, NULL, 'l'},
        {0},
    };
    const char *out = NULL, *lang = "en";
    int opt;
    cli_args opts;
    cli_args_init(&opts, "report", argc, argv, options, CLI_DB);
    while ((opt = cli_args_next(&opts)) > 0) {
        if (opt == 'o') out = optarg;
        if (opt == 'l') lang = optarg;
    }
    if (opt < 0) return opts.code;
    if (optind < argc) return cli_usage("report", "unexpected argument '%s'", argv[optind]);
    if (out && strcmp(out, "-") == 0) out = NULL;

    tpt_error err = {0};
    tpt_words *words = tpt_words_load(lang, &err);
    if (!words && err.status == TPT_ERR_INPUT)
        return cli_usage("report", "no language '%s': tpt speaks en and de", lang);
    if (!words) return cli_report(&err);
    tpt_progress_rules *rules = tpt_progress_rules_default(&err);
    tpt_regions *regions = rules ? tpt_regions_default(&err) : NULL;
    if (!regions) {
        tpt_progress_rules_free(rules);
        tpt_words_free(words);
        return cli_report(&err);
    }
    tpt_instruments *instruments = tpt_instruments_default(&err);
    if (!instruments) {
        tpt_regions_free(regions);
        tpt_progress_rules_free(rules);
        tpt_words_free(words);
        return cli_report(&err);
    }
    /* without its body chart the report still lists the regions drawn */
    tpt_chart *chart = tpt_chart_default(regions, &err);
    if (!chart) fprintf(stderr, "tpt: warning: no body chart in the report: %s\n", err.message);
    tpt_store *store;
    int64_t patient;
    int code = cli_open_store(opts.common.db, &store, &patient);
    if (!code) {
        tpt_buf html = {0};
        tpt_report_sources src = {rules, regions, chart, instruments, words};
        if (tpt_report_page(store, patient, &src, (int64_t)time(NULL), &html, &err) != 0)
            code = cli_report(&err);
        else
            code = write_out(out, &html);
        tpt_buf_free(&html);
        tpt_store_close(store);
    }
    tpt_chart_free(chart);
    tpt_instruments_free(instruments);
    tpt_regions_free(regions);
    tpt_progress_rules_free(rules);
    tpt_words_free(words);
    return code;
}
