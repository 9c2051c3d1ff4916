/* tpt progress: the person's record judged by the progress rules. This file
 * only gathers plain values from the store; lib/progress.c judges them. */
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

/* Bound on the regions marked numb in one drawing that are remembered. */
#define NUMB_MAX 256

static int64_t parse_at(const char *at)
{
    struct tm tm = {0};
    const char *end = strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!end || *end) return 0;
    return (int64_t)timegm(&tm);
}

static void format_at(int64_t t, char out[TPT_TIME_MAX])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, TPT_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- gathering ---- */

typedef struct gathered {
    tpt_pain_point *pain;
    size_t npain;
    tpt_session_point *sessions;
    size_t nsessions;
    size_t nflags;
    tpt_level flag_level;
    char *flag_advice;
    bool new_numbness, new_weakness;
    /* the numb regions of the first drawing */
    bool have_first;
    size_t nfirst;
    char *first[NUMB_MAX];
} gathered;

static void gathered_free(gathered *g)
{
    free(g->pain);
    free(g->sessions);
    free(g->flag_advice);
    for (size_t i = 0; i < g->nfirst; i++)
        free(g->first[i]);
}

static bool is_weakness_key(const tpt_progress_rules *rules, const char *id)
{
    for (size_t i = 0; i < rules->weakness_keys.count; i++)
        if (strcmp(rules->weakness_keys.items[i], id) == 0) return true;
    return false;
}

static void add_screen(const tpt_progress_rules *rules, const tpt_record *r, gathered *g)
{
    json_t *root = r->json ? json_loads(r->json, 0, NULL) : NULL;
    json_t *flags = json_object_get(root, "flags");
    size_t i;
    json_t *flag;
    json_array_foreach(flags, i, flag)
    {
        const char *id = json_string_value(json_object_get(flag, "id"));
        const char *advice = json_string_value(json_object_get(flag, "advice"));
        tpt_level level;
        if (tpt_level_parse(json_string_value(json_object_get(flag, "level")), &level) != 0)
            level = TPT_LEVEL_URGENT; /* a flag of unknown level is not taken lightly */
        g->nflags++;
        if (id && is_weakness_key(rules, id)) g->new_weakness = true;
        /* the most serious; of equal ones the latest, whose advice is current */
        if (g->nflags == 1 || level >= g->flag_level) {
            g->flag_level = level;
            if (advice) {
                free(g->flag_advice);
                g->flag_advice = strdup(advice);
            }
        }
    }
    json_decref(root);
}

/* A drawing is kept as typed: "--finding F ... MARK MARK", a mark being
 * REGION[:KIND][:INTENSITY]. The first drawing's numb regions are
 * remembered; a later one that marks another region numb is new numbness. */
static void numb_regions(const tpt_progress_rules *rules, const char *input, gathered *g,
                         bool first)
{
    char *copy = input ? strdup(input) : NULL;
    char *save = NULL;
    bool skip = false;
    for (char *tok = copy ? strtok_r(copy, " \t\n", &save) : NULL; tok;
         tok = strtok_r(NULL, " \t\n", &save)) {
        if (skip) {
            skip = false;
            continue;
        }
        if (strcmp(tok, "--finding") == 0) {
            skip = true;
            continue;
        }
        char *kind = strchr(tok, ':');
        if (!kind) continue;
        *kind++ = '\0';
        char *end = strchr(kind, ':');
        if (end) *end = '\0';
        if (strcmp(kind, rules->numb_kind) != 0) continue;
        if (first) {
            if (g->nfirst < NUMB_MAX) g->first[g->nfirst++] = strdup(tok);
            continue;
        }
        bool known = false;
        for (size_t i = 0; i < g->nfirst && !known; i++)
            known = g->first[i] && strcmp(g->first[i], tok) == 0;
        if (!known) g->new_numbness = true;
    }
    free(copy);
}

static int gather(tpt_store *store, int64_t patient, const tpt_progress_rules *rules, gathered *g)
{
    tpt_error err = {0};
    tpt_log_list log;
    tpt_record_list records;
    if (tpt_store_log_list(store, patient, &log, &err) != 0) return cli_report(&err);
    if (tpt_store_record_list(store, patient, -1, &records, &err) != 0) {
        tpt_log_list_free(&log);
        return cli_report(&err);
    }
    g->pain = calloc(log.count + 1, sizeof *g->pain);
    g->sessions = calloc(records.count + 1, sizeof *g->sessions);
    int code = 0;
    if (!g->pain || !g->sessions) {
        fprintf(stderr, "tpt: out of memory\n");
        code = 1;
    }
    for (size_t i = 0; !code && i < log.count; i++) {
        const tpt_log_entry *e = &log.items[i];
        if (e->leg_pain < 0 && e->back_pain < 0) continue;
        g->pain[g->npain++] = (tpt_pain_point){parse_at(e->at), e->leg_pain, e->back_pain};
    }
    for (size_t i = 0; !code && i < records.count; i++) {
        const tpt_record *r = &records.items[i];
        if (r->kind == TPT_RECORD_SCREEN) {
            add_screen(rules, r, g);
        } else if (r->kind == TPT_RECORD_SESSION) {
            json_t *root = r->json ? json_loads(r->json, 0, NULL) : NULL;
            const char *end = json_string_value(json_object_get(root, "end"));
            if (end && strcmp(end, "none") != 0) /* a session that never began is not one */
                g->sessions[g->nsessions++] =
                    (tpt_session_point){parse_at(r->at), strcmp(end, "sharp-or-new-pain") == 0};
            json_decref(root);
        } else if (r->kind == TPT_RECORD_DRAWING) {
            numb_regions(rules, r->input, g, !g->have_first);
            g->have_first = true;
        }
    }
    tpt_record_list_free(&records);
    tpt_log_list_free(&log);
    return code;
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
    gathered g = {0};
    code = gather(store, patient, rules, &g);
    tpt_store_close(store);
    if (!code) {
        tpt_progress_input in = {
            .pain = g.pain,
            .npain = g.npain,
            .sessions = g.sessions,
            .nsessions = g.nsessions,
            .nflags = g.nflags,
            .flag_level = g.flag_level,
            .flag_advice = g.flag_advice,
            .new_numbness = g.new_numbness,
            .new_weakness = g.new_weakness,
            .now = (int64_t)time(NULL),
        };
        tpt_progress p;
        tpt_progress_evaluate(rules, &in, &p);
        if (json)
            code = print_json(rules, &p, g.flag_advice);
        else
            print_text(rules, &p, g.flag_advice);
    }
    gathered_free(&g);
    tpt_progress_rules_free(rules);
    return code;
}
