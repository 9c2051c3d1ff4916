/* tpt eval: the engine's figures on case sets of published patients. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpt/eval.h"
#include "tpt/json.h"

const char cmd_eval_help[] =
    "usage: tpt eval [--split tune|held-out|all] [--json] [--atlas FILE] FILE...\n"
    "\n"
    "Runs the engine on case files (data/cases/*.json: published patients whose\n"
    "cause was established, each as a pain drawing and examination findings) and\n"
    "says how often it was right:\n"
    "  top-1      the established cause and side came first (or one the source\n"
    "             cannot tell from it)\n"
    "  top-3      it was among the first three\n"
    "  pattern    myofascial, radicular or mixed called as the case was\n"
    "  Brier      of the listed candidates and of the first alone (lower is better)\n"
    "then, for the split chosen: the confusion between muscles and roots (the\n"
    "established kind against the kind that came first), the patterns called,\n"
    "calibration (a table of the candidates' probabilities against how often\n"
    "such a candidate was right, and the Brier score), every case whose first\n"
    "cause or pattern was wrong with what came first, and for warning cases the\n"
    "level expected against the level the drawing raised.\n"
    "\n"
    "options:\n"
    "  --split S     tune, held-out or all (default); the totals of each split are\n"
    "                always shown, the details only for this one\n"
    "  --json        print the figures as one JSON object\n"
    "  --atlas FILE  use this atlas file instead of the built-in one\n"
    "\n"
    "examples:\n"
    "  tpt eval data/cases/published.json data/cases/warnings.json\n"
    "  tpt eval --split tune --json data/cases/published.json\n"
    "\n"
    "Exit status: 0 when every case was run, 2 on a bad case file (the message\n"
    "names the file, line, case and field), 1 when memory runs out.\n";

/* The figures of each split, and of both. */
enum { ALL = TPT_SPLIT_COUNT };

typedef struct eval_run {
    size_t nfiles;
    tpt_cases **files;
    tpt_eval eval[TPT_SPLIT_COUNT + 1];
} eval_run;

static const char *split_label(int s)
{
    return s == ALL ? "all" : tpt_split_name((tpt_split)s);
}

/* ---- text ---- */

static void percent_of(size_t k, size_t n)
{
    if (n)
        printf("  %4zu %5.1f%%", k, 100.0 * (double)k / (double)n);
    else
        printf("  %4s %6s", "-", "");
}

static void brier_of(double score)
{
    if (isnan(score))
        printf(" %7s", "-");
    else
        printf(" %7.3f", score);
}

/* Each split's totals, its calibration as Brier scores among them: read
 * without a held-out case's details. */
static void print_summary(const eval_run *run)
{
    printf("%-10s %5s %13s %13s %13s %10s %13s %7s %7s\n", "split", "cases", "top-1", "top-3",
           "pattern", "warning", "agreed", "Brier", "first");
    for (int s = 0; s <= ALL; s++) {
        const tpt_eval *e = &run->eval[s];
        printf("%-10s %5zu", split_label(s), e->n);
        percent_of(e->top1, e->n);
        percent_of(e->top3, e->n);
        percent_of(e->pattern, e->n);
        printf("  %8zu", e->nwarn);
        percent_of(e->warn_agree, e->nwarn);
        brier_of(tpt_eval_brier(e));
        brier_of(tpt_eval_brier_first(e));
        putchar('\n');
    }
    printf("(Brier: over every listed candidate; first: of the first alone; lower is better)\n");
}

/* A probability as the map prints it: never 0% or 100%. */
static const char *percent_text(double p, char *out, size_t size)
{
    if (p >= 0.995)
        snprintf(out, size, ">99%%");
    else if (p < 0.005)
        snprintf(out, size, "<1%%");
    else
        snprintf(out, size, "%.0f%%", 100 * p);
    return out;
}

static const char *cause_text(const tpt_atlas *atlas, tpt_cause_ref ref, char *out, size_t size)
{
    snprintf(out, size, "%s:%s", atlas->causes[ref.cause].id, tpt_side_id(ref.side));
    return out;
}

static void print_details(const tpt_atlas *atlas, const tpt_eval *e)
{
    static const char *const kinds[] = {"trigger point", "root", "none"};
    printf("\nMuscles and roots (rows: the established cause; columns: what came first)\n");
    printf("  %-14s %14s %6s %6s\n", "", kinds[0], kinds[1], kinds[2]);
    for (int t = 0; t < 2; t++)
        printf("  %-14s %14zu %6zu %6zu\n", kinds[t], e->kinds[t][0], e->kinds[t][1],
               e->kinds[t][2]);

    printf("\nPatterns (rows: the case; columns: called)\n");
    printf("  %-11s", "");
    for (int f = 0; f <= TPT_UNCLEAR; f++)
        printf(" %10s", tpt_pattern_name((tpt_pattern)f));
    putchar('\n');
    for (int t = 0; t < 3; t++) {
        printf("  %-11s", tpt_pattern_name((tpt_pattern)t));
        for (int f = 0; f <= TPT_UNCLEAR; f++)
            printf(" %10zu", e->patterns[t][f]);
        putchar('\n');
    }

    printf("\nCalibration of the listed candidates\n");
    printf("  %-12s %10s %8s %8s\n", "probability", "candidates", "mean", "right");
    for (int b = 0; b < TPT_EVAL_BINS; b++) {
        size_t n = e->bins[b].n;
        printf("  %3d-%3d%%    %10zu", b * 100 / TPT_EVAL_BINS, (b + 1) * 100 / TPT_EVAL_BINS, n);
        if (n)
            printf(" %7.1f%% %7.1f%%\n", 100 * e->bins[b].p / (double)n,
                   100.0 * (double)e->bins[b].right / (double)n);
        else
            printf(" %8s %8s\n", "-", "-");
    }
    if (e->n)
        printf("  Brier score %.3f over %zu forecasts; of the first candidate alone %.3f\n",
               tpt_eval_brier(e), e->brier_n, tpt_eval_brier_first(e));

    if (e->nmisses) printf("\nMisses (first cause or pattern wrong)\n");
    for (size_t i = 0; i < e->nmisses; i++) {
        const tpt_eval_miss *m = &e->misses[i];
        char truth[96], first[96], pct[8];
        printf("  %s (%s): %s ", m->c->id, tpt_split_name(m->c->split),
               cause_text(atlas, m->c->established, truth, sizeof truth));
        if (m->truth_rank < 0)
            printf("not listed");
        else if (m->top1)
            printf("first at %s", percent_text(m->truth_p, pct, sizeof pct));
        else
            printf("ranked %d at %s", m->truth_rank + 1, percent_text(m->truth_p, pct, sizeof pct));
        if (!m->top1 && m->first.ref.cause >= 0)
            printf("; first %s at %s", cause_text(atlas, m->first.ref, first, sizeof first),
                   percent_text(m->first.probability, pct, sizeof pct));
        if (m->pattern != m->c->pattern)
            printf("; pattern %s, case %s", tpt_pattern_name(m->pattern),
                   tpt_pattern_name(m->c->pattern));
        putchar('\n');
    }

    if (!e->nwarn) return;
    static const tpt_level expected[] = {TPT_LEVEL_NONE, TPT_LEVEL_URGENT, TPT_LEVEL_EMERGENCY};
    printf("\nWarnings (rows: expected; columns: raised by the drawing)\n  %-10s", "");
    for (int r = TPT_LEVEL_NONE; r <= TPT_LEVEL_EMERGENCY; r++)
        printf(" %10s", tpt_level_name((tpt_level)r));
    putchar('\n');
    for (int x = 0; x < 3; x++) {
        printf("  %-10s", tpt_level_name(expected[x]));
        for (int r = TPT_LEVEL_NONE; r <= TPT_LEVEL_EMERGENCY; r++)
            printf(" %10zu", e->warnings[expected[x]][r]);
        putchar('\n');
    }
    printf("  (soon, see a doctor within a week or two, agrees with none)\n");
    for (size_t i = 0; i < e->nwarn_misses; i++) {
        const tpt_eval_warning_miss *m = &e->warn_misses[i];
        printf("  %s (%s): expected %s, raised %s\n", m->c->id, tpt_split_name(m->c->split),
               tpt_level_name(m->c->expected_warning), tpt_level_name(m->raised));
    }
}

/* ---- JSON ---- */

static int print_json(const tpt_atlas *atlas, const eval_run *run, char **paths, int split)
{
    json_t *files = json_array(), *by_split = json_object();
    for (size_t i = 0; files && i < run->nfiles; i++)
        json_array_append_new(files, json_string(paths[i]));
    for (int s = 0; by_split && s <= ALL; s++)
        json_object_set_new(by_split, split_label(s), tpt_eval_summary_json(&run->eval[s]));
    json_t *out = tpt_eval_json(atlas, &run->eval[split]);
    if (out) {
        json_object_set_new(out, "files", files);
        json_object_set_new(out, "split", json_string(split_label(split)));
        json_object_set_new(out, "by_split", by_split);
    } else {
        json_decref(files);
        json_decref(by_split);
    }
    return cli_print_json(out, stdout, 0);
}

/* ---- the command ---- */

static int load_cases(const cli_data *data, const char *path, tpt_cases **out)
{
    tpt_error err = {0};
    char *text = NULL;
    size_t len = 0;
    if (tpt_file_read(path, TPT_CASES_FILE_MAX, &text, &len, &err) == 0) {
        *out = tpt_cases_load(data->atlas, text, len, path, &err);
        free(text);
    }
    return err.status ? cli_report(&err) : 0;
}

static int run_all(const cli_data *data, eval_run *run, char **paths)
{
    for (size_t f = 0; f < run->nfiles; f++) {
        int code = load_cases(data, paths[f], &run->files[f]);
        if (code) return code;
    }
    for (size_t f = 0; f < run->nfiles; f++) {
        const tpt_cases *cases = run->files[f];
        for (size_t i = 0; i < cases->count; i++) {
            const tpt_case *c = &cases->cases[i];
            tpt_error err = {0};
            if (tpt_eval_case(&run->eval[c->split], data->atlas, c, &err) != 0 ||
                tpt_eval_case(&run->eval[ALL], data->atlas, c, &err) != 0) {
                fprintf(stderr, "tpt: %s: case '%s': %s\n", paths[f], c->id, err.message);
                return tpt_exit_status(err.status);
            }
        }
    }
    return 0;
}

int cmd_eval(int argc, char **argv)
{
    static const struct option options[] = {
        {"split", required_argument, NULL, 's'},
        {"atlas", required_argument, NULL, 'a'},
        {0},
    };
    int split = ALL, opt;
    const char *atlas = NULL;
    cli_args opts;
    cli_args_init(&opts, "eval", argc, argv, options, CLI_JSON);
    while ((opt = cli_args_next(&opts)) > 0) {
        switch (opt) {
        case 's': {
            tpt_split s;
            if (strcmp(optarg, "all") == 0)
                split = ALL;
            else if (tpt_split_parse(optarg, &s) == 0)
                split = (int)s;
            else
                return cli_usage("eval", "--split is tune, held-out or all, not '%s'", optarg);
            break;
        }
        case 'a':
            atlas = optarg;
            break;
        }
    }
    if (opt < 0) return opts.code;
    bool json = opts.common.json;
    if (optind == argc)
        return cli_usage("eval", "name at least one case file, e.g. data/cases/published.json");

    cli_data data;
    int code = cli_load(&data, atlas);
    if (code) return code;
    eval_run run = {.nfiles = (size_t)(argc - optind)};
    run.files = calloc(run.nfiles, sizeof *run.files);
    if (!run.files) {
        fprintf(stderr, "tpt: out of memory\n");
        code = 1;
    }
    if (!code) code = run_all(&data, &run, argv + optind);
    if (!code && json) code = print_json(data.atlas, &run, argv + optind, split);
    if (!code && !json) {
        size_t n = 0;
        for (size_t f = 0; f < run.nfiles; f++)
            n += run.files[f]->count;
        printf("tpt eval: %zu case%s from %zu file%s\n\n", n, n == 1 ? "" : "s", run.nfiles,
               run.nfiles == 1 ? "" : "s");
        print_summary(&run);
        printf("\nDetails of the split: %s\n", split_label(split));
        print_details(data.atlas, &run.eval[split]);
    }
    for (int s = 0; s <= ALL; s++)
        tpt_eval_free(&run.eval[s]);
    for (size_t f = 0; run.files && f < run.nfiles; f++)
        tpt_cases_free(run.files[f]);
    free(run.files);
    cli_data_free(&data);
    return code;
}
