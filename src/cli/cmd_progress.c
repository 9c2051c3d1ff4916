/* tpt progress: the person's record judged by the progress rules. The plain
 * values are gathered in progress_input.c; lib/progress.c judges them. */
#include <getopt.h>
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

static void format_at(int64_t t, char out[TPT_TIME_MAX])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, TPT_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- output ---- */

/* Ratings are whole numbers in the log: show them so. */
static json_t *number_json(double v)
{
    return v == floor(v) && fabs(v) < 1e15 ? json_integer((json_int_t)v) : json_real(v);
}

static json_t *measure_json(const tpt_pain_change *m)
{
    char at[TPT_TIME_MAX];
    json_t *o = json_pack("{s:I}", "ratings", (json_int_t)m->count);
    if (!o) return NULL;
    if (m->count == 0) {
        const char *const keys[] = {"baseline", "baseline_at",   "latest",         "latest_at",
                                    "best",     "change_points", "change_percent", NULL};
        for (const char *const *k = keys; *k; k++)
            json_object_set_new(o, *k, json_null());
    } else {
        json_object_set_new(o, "baseline", number_json(m->baseline));
        format_at(m->baseline_time, at);
        json_object_set_new(o, "baseline_at", json_string(at));
        json_object_set_new(o, "latest", number_json(m->latest));
        format_at(m->latest_time, at);
        json_object_set_new(o, "latest_at", json_string(at));
        json_object_set_new(o, "best", number_json(m->best));
        json_object_set_new(o, "change_points", number_json(m->change_points));
        json_object_set_new(o, "change_percent",
                            m->has_percent ? number_json(round(m->change_percent * 10) / 10)
                                           : json_null());
    }
    json_object_set_new(o, "improved", json_boolean(m->improved));
    json_object_set_new(o, "worsened", json_boolean(m->worsened));
    json_object_set_new(o, "relapsed", json_boolean(m->relapsed));
    return o;
}

static json_t *cited(const tpt_progress_rules *rules, const tpt_strings *source)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < source->count; i++) {
        const char *text = tpt_sources_text(&rules->sources, source->items[i]);
        json_array_append_new(list, json_string(text ? text : source->items[i]));
    }
    return list;
}

/* The sentence, and for a stop the screen's advice after it. */
static char *full_sentence(const tpt_progress *p)
{
    size_t n = strlen(p->sentence) + (p->advice ? strlen(p->advice) + 1 : 0) + 1;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s%s%s", p->sentence, p->advice ? " " : "", p->advice ? p->advice : "");
    return s;
}

static int print_json(const tpt_progress_rules *rules, const tpt_progress *p,
                      const char *flag_advice)
{
    char start[TPT_TIME_MAX];
    char *sentence = full_sentence(p);
    if (!sentence) {
        fprintf(stderr, "tpt: out of memory\n");
        return 1;
    }
    if (p->started) format_at(p->start, start);
    json_t *out = json_pack(
        "{s:s, s:s, s:o, s:o, s:o, s:I, s:I, s:I, s:o, s:{s:I, s:o, s:o, s:b}, s:b, s:b, s:{s:o, "
        "s:o, "
        "s:o, s:o}, s:s}",
        "verdict", tpt_verdict_name(p->verdict), "sentence", sentence, "advice",
        p->advice ? json_string(p->advice) : json_null(), "leg", measure_json(&p->leg), "back",
        measure_json(&p->back), "sessions", (json_int_t)p->sessions, "sessions_sharp",
        (json_int_t)p->sharp_sessions, "days", (json_int_t)p->days, "start",
        p->started ? json_string(start) : json_null(), "flags", "count", (json_int_t)p->nflags,
        "level", p->nflags ? json_string(tpt_level_name(p->flag_level)) : json_null(), "advice",
        p->nflags && flag_advice ? json_string(flag_advice) : json_null(), "stops",
        p->verdict == TPT_VERDICT_STOP, "new_numbness", p->new_numbness, "new_weakness",
        p->new_weakness, "mcid", "points", number_json(rules->mcid_points.value), "percent",
        number_json(rules->mcid_percent.value), "worsening_points",
        number_json(rules->worsening_points.value), "source",
        cited(rules, &rules->mcid_points.source), "notice", TPT_NOT_A_DIAGNOSIS);
    free(sentence);
    if (!out) {
        fprintf(stderr, "tpt: out of memory\n");
        return 1;
    }
    return cli_print_json(out, stdout, 0);
}

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
        format_at(p->start, at);
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
    static const struct option options[] = {
        {"json", no_argument, NULL, 'j'},
        {"db", required_argument, NULL, 'd'},
        {0},
    };
    const char *db = NULL;
    int opt, json = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        switch (opt) {
        case 'j':
            json = 1;
            break;
        case 'd':
            db = optarg;
            break;
        case ':':
            return cli_usage("progress", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_bad_option("progress", argv);
        }
    }
    if (optind < argc) return cli_usage("progress", "unexpected argument '%s'", argv[optind]);

    tpt_error err = {0};
    tpt_progress_rules *rules = tpt_progress_rules_default(&err);
    if (!rules) return cli_report(&err);
    tpt_store *store;
    int64_t patient;
    int code = cli_open_store(db, &store, &patient);
    if (code) {
        tpt_progress_rules_free(rules);
        return code;
    }
    cli_progress_record g;
    code = cli_progress_gather(store, patient, rules, &g);
    tpt_store_close(store);
    if (!code) {
        tpt_progress_input in;
        cli_progress_input(&g, (int64_t)time(NULL), &in);
        tpt_progress p;
        tpt_progress_evaluate(rules, &in, &p);
        if (json)
            code = print_json(rules, &p, g.flag_advice);
        else
            print_text(rules, &p, g.flag_advice);
        cli_progress_record_free(&g);
    }
    tpt_progress_rules_free(rules);
    return code;
}
