/* tpt map: what may cause this pain pattern (spec/interface.md). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "tpt/evidence.h"
#include "tpt/infer.h"
#include "tpt/json.h"
#include "tpt/notice.h"

const char cmd_map_help[] =
    "usage: tpt map [--json] [--atlas FILE] [--finding NAME:SIDE]... MARK...\n"
    "       tpt map --batch [--json] [--atlas FILE] [--finding NAME:SIDE]... < drawings\n"
    "\n"
    "Ranks the trigger points and nerve roots that may explain a pain drawing, says\n"
    "how likely each is, which marked regions it explains and which regions of its\n"
    "usual zone were not marked, gives the best explanation (one to three causes),\n"
    "the pattern (myofascial, radicular, mixed or unclear) and any warnings.\n"
    "\n"
    "A mark is REGION[:KIND][:INTENSITY]:\n"
    "  REGION     a body chart region, e.g. r.thigh.outer.upper (see: tpt regions)\n"
    "  KIND       ache (default), sharp, burning, tingling or numb\n"
    "  INTENSITY  1 to 10 (recorded; the ranking does not use it)\n"
    "\n"
    "options:\n"
    "  --json               print JSON (one object; with --batch one per line)\n"
    "  --finding NAME:SIDE  an examination finding, l or r side; may repeat:\n"
    "                       slr, crossed-slr, knee-reflex-reduced, ankle-reflex-reduced,\n"
    "                       weak-knee-extension, weak-big-toe-extension, weak-toe-walk,\n"
    "                       fair, femoral-stretch, sitting-pain,\n"
    "                       tender:MUSCLE (a tender trigger point that reproduces the\n"
    "                       familiar pain, e.g. tender:piriformis:r)\n"
    "  --why CAUSE[:SIDE]   say why this cause ranks where it does, term by term, against\n"
    "                       the first candidate (or, for the first, the second); may\n"
    "                       repeat; without a side, the side where it ranks higher\n"
    "  --batch              read one drawing a line from standard input (marks separated\n"
    "                       by spaces) and answer one line each, in order; findings given\n"
    "                       here apply to every drawing; without --json each answer is\n"
    "                       a tab-separated line: line number, pattern, the top three\n"
    "                       cause:side:probability, the explanation, the warnings (- if none)\n"
    "  --atlas FILE         use this atlas file instead of the built-in one\n"
    "  --save               keep the drawing and its result in your record\n"
    "  --db PATH            the record (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "examples:\n"
    "  tpt map r.buttock.lower r.thigh.outer.upper r.thigh.outer.lower r.leg.outer.upper\n"
    "  tpt map --json --finding slr:r r.buttock.center r.calf.upper r.sole:numb\n"
    "  tpt map --why tp:piriformis:r --finding fair:r r.buttock.center r.thigh.back.upper\n"
    "\n"
    "Findings' effects are listed after the ranking (\"straight leg raise on the right:\n"
    "S1 nerve root x2\"); a cause the drawing reaches only through midline regions is\n"
    "shown once, on either side.\n"
    "\n"
    "Exit status: 0 on success, 2 on bad input (the message names the bad mark).\n"
    "This is not a diagnosis.\n";

/* Causes a drawing's answer may be asked to explain (--why). */
#define MAX_WHY 8

typedef struct map_options {
    int json, batch, save;
    const char *db;
    const char *atlas;
    size_t nfindings;
    const char *finding_text[TPT_MAX_FINDINGS];
    size_t nwhy;
    const char *why_text[MAX_WHY];
} map_options;

/* ---- human output ---- */

/* Labels separated by semicolons (labels hold commas); with_side prefixes the
 * side where the context does not already give it. */
static void list_regions(const tpt_regions *regions, const int *idx, size_t n, int indent,
                         const char *lead, bool with_side)
{
    char line[8192];
    size_t used = (size_t)snprintf(line, sizeof line, "%s", lead);
    for (size_t i = 0; i < n && used < sizeof line; i++) {
        const tpt_region *r = &regions->region[idx[i]];
        bool sided = with_side && r->side != TPT_MIDLINE;
        used += (size_t)snprintf(line + used, sizeof line - used, "%s%s%s%s", i ? "; " : "",
                                 sided ? tpt_side_word(r->side) : "", sided ? " " : "", r->label);
    }
    cli_wrap(stdout, indent, line);
}

/* "Piriformis, right"; a cause the drawing reaches only at the midline is
 * on either side. */
static void cause_name(const tpt_atlas *atlas, tpt_cause_ref ref, bool either, char *out,
                       size_t size)
{
    snprintf(out, size, "%s, %s", atlas->causes[ref.cause].label,
             either ? "either side" : tpt_side_word(ref.side));
}

static void print_candidate(const cli_data *data, const tpt_drawing *d, const tpt_result *r,
                            size_t rank, const tpt_candidate *cand, bool either)
{
    const tpt_atlas *atlas = data->atlas;
    char name[160];
    cause_name(atlas, cand->ref, either, name, sizeof name);
    int filled = (int)(cand->probability * 20 + 0.5);
    /* Never print a certainty the model cannot have. */
    char percent[8];
    if (cand->probability >= 0.995)
        snprintf(percent, sizeof percent, ">99%%");
    else if (cand->probability < 0.005)
        snprintf(percent, sizeof percent, "<1%%");
    else
        snprintf(percent, sizeof percent, "%.0f%%", cand->probability * 100);
    printf("%2zu. %-48.48s %5s  [%.*s%.*s]\n", rank, name, percent, filled, "####################",
           20 - filled, "....................");

    tpt_fit fit;
    tpt_cause_fit(atlas, d, r->findings, r->nfindings, cand->ref, &fit);
    list_regions(atlas->regions, fit.explains, fit.nexplains, 4, "explains: ", false);
    if (fit.nmissing)
        list_regions(atlas->regions, fit.missing, fit.nmissing, 4, "usual but not marked: ", false);
}

static void print_text(const cli_data *data, const tpt_drawing *d, const tpt_result *r)
{
    const tpt_atlas *atlas = data->atlas;
    int all[TPT_MAX_REGIONS];
    for (size_t j = 0; j < d->count; j++)
        all[j] = d->marks[j].region;
    printf("Pain drawing: %zu marked region%s\n", d->count, d->count == 1 ? "" : "s");
    list_regions(atlas->regions, all, d->count, 2, "", true);
    /* Safety first: the warnings come before any ranking. */
    cli_print_warnings(stdout, atlas, r->warnings);

    printf("\nLikely causes%43s\n", "probability");
    if (r->ncandidates == 0) printf("    none: no cause in the atlas refers to these regions\n");
    size_t shown = r->ncandidates < 5 ? r->ncandidates : 5;
    for (size_t i = 0; i < shown; i++)
        print_candidate(data, d, r, i + 1, &r->candidates[i], r->either_side[i]);

    printf("\nBest explanation: ");
    if (r->nexplanation == 0) printf("none fits better than chance.\n");
    for (size_t i = 0; i < r->nexplanation; i++) {
        const tpt_cause *c = &atlas->causes[r->explanation[i].cause];
        printf("%s%s (%s)%s", i ? " + " : "", c->label,
               r->explanation_either[i] ? "either side" : tpt_side_word(r->explanation[i].side),
               i + 1 == r->nexplanation ? ".\n" : "");
    }
    if (r->nunexplained)
        list_regions(atlas->regions, r->unexplained, r->nunexplained, 0, "Not explained: ", true);

    if (r->nfindings) printf("\nWhat the findings did (likelihood ratios):\n");
    for (size_t i = 0; i < r->nfindings; i++) {
        char line[1024];
        tpt_finding_text(atlas, &r->findings[i], line, sizeof line);
        cli_wrap_hanging(stdout, 2, 4, line);
    }

    char pattern[512];
    snprintf(pattern, sizeof pattern, "Pattern: %s. %s", tpt_pattern_name(r->pattern),
             tpt_pattern_sentence(r->pattern));
    putchar('\n');
    cli_wrap(stdout, 0, pattern);
}

/* ---- one drawing ---- */

static int map_one(const cli_data *data, const map_options *o, const tpt_finding *findings,
                   tpt_cause_ref *why, const bool *why_sided, char **marks, size_t n)
{
    static tpt_drawing drawing;
    tpt_result result;
    tpt_error err = {0};
    unsigned warnings = 0;
    if (n == 0)
        return cli_usage("map", "no marks given: name at least one region, e.g. r.buttock.center");
    if (tpt_drawing_parse(data->regions, marks, n, &drawing, &warnings, &err) != 0 ||
        tpt_infer(data->atlas, &drawing, findings, o->nfindings, &result, &err) != 0) {
        int code = cli_report(&err);
        cli_print_warnings(stderr, data->atlas, warnings);
        return code;
    }
    int code = 0;
    for (size_t i = 0; i < o->nwhy; i++) {
        if (!why_sided[i])
            cli_why_side(data->atlas, &drawing, findings, o->nfindings, &result, &why[i]);
    }
    if (o->json) {
        json_t *answer = tpt_result_json(data->atlas, &drawing, &result);
        if (o->nwhy && cli_why_add_json(data->atlas, &drawing, findings, o->nfindings, &result, why,
                                        o->nwhy, answer)) {
            json_decref(answer);
            answer = NULL;
        }
        code = cli_print_json(answer, stdout, 0);
    } else {
        print_text(data, &drawing, &result);
        cli_why_print(data->atlas, &drawing, findings, o->nfindings, &result, why, o->nwhy);
        putchar('\n');
        cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
    }
    if (!code && o->save) {
        char input[8192];
        if (!cli_drawing_typed((const char *const *)o->finding_text, o->nfindings, marks, n, input,
                               sizeof input)) {
            fprintf(stderr, "tpt: the drawing is too long to keep\n");
            return TPT_EXIT_BAD_INPUT;
        }
        code = cli_save_record(o->db, TPT_RECORD_DRAWING, tpt_pattern_name(result.pattern), input,
                               tpt_result_json(data->atlas, &drawing, &result));
    }
    return code;
}

/* ---- batch ---- */

/* Bound on one line of batch input. */
#define BATCH_LINE_MAX 65536

static void batch_warning_ids(const tpt_atlas *atlas, unsigned warnings)
{
    /* Warnings in every output form: a saddle or both-legs drawing must never pass silently. */
    int any = 0;
    for (int w = 0; w < TPT_WARNING_COUNT; w++) {
        if (warnings & (1u << w)) printf("%s%s", any++ ? " " : "", atlas->warnings[w].id);
    }
    printf("%s\n", any ? "" : "-");
}

static void batch_text(const cli_data *data, size_t line, const tpt_result *r)
{
    const tpt_atlas *atlas = data->atlas;
    printf("%zu\t%s\t", line, tpt_pattern_name(r->pattern));
    for (size_t i = 0; i < r->ncandidates && i < 3; i++)
        printf("%s%s:%s:%.3f", i ? " " : "", atlas->causes[r->candidates[i].ref.cause].id,
               r->either_side[i] ? "either" : tpt_side_id(r->candidates[i].ref.side),
               r->candidates[i].probability);
    putchar('\t');
    for (size_t i = 0; i < r->nexplanation; i++)
        printf("%s%s:%s", i ? " " : "", atlas->causes[r->explanation[i].cause].id,
               r->explanation_either[i] ? "either" : tpt_side_id(r->explanation[i].side));
    putchar('\t');
    batch_warning_ids(atlas, r->warnings);
}

/* Reads one line of at most BATCH_LINE_MAX bytes into buf (which holds
 * BATCH_LINE_MAX + 2); the rest of a longer line is read and dropped, so a
 * huge line costs no memory. Returns 0 at the end of input, 1 for a line, 2
 * for an overlong one. */
static int read_line(char *buf)
{
    if (!fgets(buf, BATCH_LINE_MAX + 2, stdin)) return 0;
    size_t len = strlen(buf);
    if (len <= BATCH_LINE_MAX || buf[len - 1] == '\n') return 1;
    int c;
    while ((c = getchar()) != EOF && c != '\n') {
    }
    return 2;
}

static int map_batch(const cli_data *data, const map_options *o, const tpt_finding *findings)
{
    static tpt_drawing drawing;
    static char *marks[BATCH_LINE_MAX / 2 + 1];
    static char buf[BATCH_LINE_MAX + 2];
    size_t line = 0, bad = 0;
    tpt_buf json = {0};
    int code = 0, got;
    int progress = isatty(STDERR_FILENO);
    tpt_infer_work *work = tpt_infer_work_new(); /* one for every line */
    if (!work) {
        fprintf(stderr, "tpt: out of memory\n");
        return 1;
    }
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);

    while ((got = read_line(buf)) != 0) {
        tpt_result result;
        tpt_error err = {0};
        unsigned warnings = 0;
        line++;
        if (got == 2) {
            snprintf(err.message, sizeof err.message, "line is longer than %d bytes",
                     BATCH_LINE_MAX);
            err.status = TPT_ERR_INPUT;
        } else {
            size_t n = 0;
            for (char *tok = strtok(buf, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n"))
                marks[n++] = tok;
            if (tpt_drawing_parse(data->regions, marks, n, &drawing, &warnings, &err) == 0)
                tpt_infer_with(work, data->atlas, &drawing, findings, o->nfindings, &result, &err);
        }
        if (err.status) bad++;
        if (o->json) {
            int rc = err.status ? tpt_line_error_write_json(data->atlas, line, err.message,
                                                            warnings, &json)
                                : tpt_result_write_json(data->atlas, &drawing, &result, &json);
            if (rc != 0) {
                fprintf(stderr, "tpt: out of memory\n");
                code = 1;
                break;
            }
            fwrite(json.data, 1, json.len, stdout);
            putchar('\n');
        } else if (err.status) {
            printf("%zu\terror\t%s\t\t", line, err.message);
            batch_warning_ids(data->atlas, warnings);
        } else {
            batch_text(data, line, &result);
        }
        if (progress && line % 4096 == 0) fprintf(stderr, "\rtpt map: %zu drawings", line);
    }
    tpt_buf_free(&json);
    tpt_infer_work_free(work);
    if (progress)
        fprintf(stderr, "\rtpt map: %zu drawings, %zu with errors\n", line, bad);
    else if (bad)
        fprintf(stderr, "tpt map: %zu of %zu drawings had errors\n", bad, line);
    /* The JSON lines carry the notice; the text lines have no room for it. */
    if (!o->json) cli_wrap(stderr, 0, TPT_NOT_A_DIAGNOSIS);
    if (ferror(stdin)) {
        fprintf(stderr, "tpt: cannot read standard input\n");
        return 1;
    }
    return code ? code : bad ? TPT_EXIT_BAD_INPUT : 0;
}

int cmd_map(int argc, char **argv)
{
    static const struct option options[] = {
        {"batch", no_argument, NULL, 'b'},         {"atlas", required_argument, NULL, 'a'},
        {"finding", required_argument, NULL, 'f'}, {"save", no_argument, NULL, 's'},
        {"why", required_argument, NULL, 'w'},     {0},
    };
    map_options o = {0};
    int opt;
    cli_args opts;
    cli_args_init(&opts, "map", argc, argv, options, CLI_JSON | CLI_DB);
    while ((opt = cli_args_next(&opts)) > 0) {
        switch (opt) {
        case 'b':
            o.batch = 1;
            break;
        case 'a':
            o.atlas = optarg;
            break;
        case 's':
            o.save = 1;
            break;
        case 'f':
            if (o.nfindings == TPT_MAX_FINDINGS)
                return cli_usage("map", "at most %d findings", TPT_MAX_FINDINGS);
            o.finding_text[o.nfindings++] = optarg;
            break;
        case 'w':
            if (o.nwhy == MAX_WHY) return cli_usage("map", "--why at most %d times", MAX_WHY);
            o.why_text[o.nwhy++] = optarg;
            break;
        }
    }
    if (opt < 0) return opts.code;
    o.json = opts.common.json;
    o.db = opts.common.db;
    if (o.batch && o.save)
        return cli_usage("map", "--save keeps one drawing; it does not go with --batch");
    if (o.batch && o.nwhy)
        return cli_usage("map", "--why explains one drawing; it does not go with --batch");
    if (o.batch && optind < argc)
        return cli_usage("map", "--batch reads drawings from standard input, not arguments");

    cli_data data;
    int code = cli_load(&data, o.atlas);
    if (code) return code;
    tpt_finding findings[TPT_MAX_FINDINGS];
    for (size_t i = 0; i < o.nfindings && !code; i++) {
        tpt_error err = {0};
        if (tpt_finding_parse(data.atlas, o.finding_text[i], &findings[i], &err) != 0)
            code = cli_report(&err);
    }
    tpt_cause_ref why[MAX_WHY];
    bool why_sided[MAX_WHY];
    for (size_t i = 0; i < o.nwhy && !code; i++)
        code = cli_why_parse(data.atlas, o.why_text[i], &why[i], &why_sided[i]);
    if (!code)
        code = o.batch ? map_batch(&data, &o, findings)
                       : map_one(&data, &o, findings, why, why_sided, argv + optind,
                                 (size_t)(argc - optind));
    cli_data_free(&data);
    return code;
}
