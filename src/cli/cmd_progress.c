/* tpt progress: the person's record judged by the progress rules. The plain
 * values are gathered in record/progress_record.c; lib/progress.c judges them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "tpt/notice.h"
#include "tpt/progress.h"

const char cmd_progress_help[] =
    "usage: tpt progress [--json] [--db PATH]\n"
    "\n"
    "Shows how your leg and your back pain have changed since your first log entry\n"
    "(first rating -> latest, with the change), the sessions done and the days since\n"
    "the start, and what to do next. A change counts when it reaches the smallest\n"
    "change that matters to patients (the result says how large that is). The\n"
    "verdict is one of:\n"
    "\n"
    "  too-early   not enough ratings or days to judge yet\n"
    "  improving   pain has fallen by an amount that matters: keep going\n"
    "  no-change   no such fall after the sessions or weeks a fair trial takes:\n"
    "              discontinue this program and see a clinician\n"
    "  worsening   pain up by an amount that matters, or new numbness or weakness:\n"
    "              stop and see a clinician\n"
    "  relapse     pain improved and came back: resume the program, see a clinician\n"
    "              if it persists\n"
    "  stop        a screen answered yes to a warning sign: follow its advice\n"
    "\n"
    "It reads the log (tpt log), the sessions (tpt session), the screens (tpt\n"
    "screen) and the drawings (tpt map --save) kept in the database. The rules and\n"
    "their sources are in data/progress.json.\n"
    "\n"
    "options:\n"
    "  --json      the verdict and the figures behind it as JSON\n"
    "  --db PATH   the database (default $XDG_DATA_HOME/tpt/tpt.db)\n";

/* ---- output ---- */

static void print_measure(const char *name, const tpt_pain_change *m)
{
    printf("  %-10s ", name);
    if (m->count == 0) {
        printf("not rated yet\n");
        return;
    }
    printf("%g -> %g of 10   ", m->baseline, m->latest);
    double d = m->change_points;
    if (d == 0)
        printf("no change");
    else
        printf("%s %g point%s", d < 0 ? "down" : "up", fabs(d), fabs(d) == 1 ? "" : "s");
    if (d != 0 && m->has_percent) printf(" (%.0f%%)", fabs(m->change_percent));
    printf(", best %g, %zu rating%s\n", m->best, m->count, m->count == 1 ? "" : "s");
}

static void print_text(const tpt_progress_rules *rules, const tpt_progress *p,
                       const char *flag_advice)
{
    if (!p->started) {
        printf("The log is empty: add pain ratings with tpt log --leg N --back N.\n\n");
    } else {
        char at[TPT_TIME_MAX], when[64];
        tpt_time_format(p->start, at);
        cli_local_time(at, when, sizeof when);
        printf("Since %s: %ld day%s, %zu session%s done", when, p->days, p->days == 1 ? "" : "s",
               p->sessions, p->sessions == 1 ? "" : "s");
        if (p->sharp_sessions) printf(" (%zu stopped for sharp or new pain)", p->sharp_sessions);
        printf("\n\n");
        print_measure("leg pain", &p->leg);
        print_measure("back pain", &p->back);
        printf("  A fall of %g points or %g%% is the smallest change that matters.\n\n",
               rules->mcid_points.value, rules->mcid_percent.value);
    }
    if (p->new_numbness) printf("A drawing marks numbness where the first one did not.\n");
    if (p->new_weakness) printf("A screen answered yes to new or worsening weakness.\n");
    if (p->new_numbness || p->new_weakness) putchar('\n');
    printf("Verdict: %s\n", tpt_verdict_name(p->verdict));
    cli_wrap(stdout, 2, p->sentence);
    if (p->advice) cli_wrap(stdout, 2, p->advice);
    if (p->verdict != TPT_VERDICT_STOP && p->nflags && flag_advice) {
        printf("\nA screen answered yes to a warning sign (%s):\n", tpt_level_name(p->flag_level));
        cli_wrap(stdout, 2, flag_advice);
    }
    putchar('\n');
    cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
}

int cmd_progress(int argc, char **argv)
{
    int opt;
    cli_args opts;
    cli_args_init(&opts, "progress", argc, argv, NULL, CLI_JSON | CLI_DB);
    if ((opt = cli_args_next(&opts)) != 0)
        return opt < 0 ? opts.code : cli_bad_option("progress", argv);
    if (optind < argc) return cli_usage("progress", "unexpected argument '%s'", argv[optind]);

    tpt_error err = {0};
    tpt_progress_rules *rules = tpt_progress_rules_default(&err);
    if (!rules) return cli_report(&err);
    tpt_store *store;
    int64_t patient;
    int code = cli_open_store(opts.common.db, &store, &patient);
    if (code) {
        tpt_progress_rules_free(rules);
        return code;
    }
    tpt_progress_record g;
    if (tpt_progress_record_read(store, patient, rules, &g, &err) != 0) code = cli_report(&err);
    tpt_store_close(store);
    if (!code) {
        tpt_progress_input in;
        tpt_progress_record_input(&g, (int64_t)time(NULL), &in);
        tpt_progress p;
        tpt_progress_evaluate(rules, &in, &p);
        if (opts.common.json)
            code = cli_print_json(tpt_progress_json(rules, &p, g.flag_advice), stdout, 0);
        else
            print_text(rules, &p, g.flag_advice);
        tpt_progress_record_free(&g);
    }
    tpt_progress_rules_free(rules);
    return code;
}
