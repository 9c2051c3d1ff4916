/* tpt plan: a clinic plan and a home program for the likely trigger points,
 * after a red-flag screen. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpt/handout.h"
#include "tpt/json.h"
#include "tpt/notice.h"
#include "tpt/plan.h"

const char cmd_plan_help[] =
    "usage: tpt plan --screen FILE [--json | --format text|json|html] [--atlas FILE]\n"
    "                [--finding NAME:SIDE]... MARK...\n"
    "\n"
    "Builds a treatment plan for a pain drawing (see: tpt map --help for marks and\n"
    "findings): a home program for the person (moist heat, pressure on each likely\n"
    "trigger point with a ball or roller, stretches, a short walk and relaxation, in\n"
    "order, with times), a clinic plan for the practitioner (manual compression, dry\n"
    "needling, acupuncture points, cupping, Tui Na, Gua Sha, heat), the expected\n"
    "course and the stop rules.\n"
    "\n"
    "A plan needs a red-flag screen: the answers file that tpt screen --save writes\n"
    "(or any JSON object of answers). When the screen or the drawing shows an\n"
    "emergency or urgent sign, the plan gives only the advice of where to go and no\n"
    "self-treatment at all. A screen that leaves a serious question unanswered is\n"
    "refused.\n"
    "\n"
    "options:\n"
    "  --screen FILE|-      the screen answers (required)\n"
    "  --format FORMAT      text (default), json, or html: a printable one-page handout\n"
    "  --json               the same as --format json; tpt session --plan reads it\n"
    "  --finding NAME:SIDE  an examination finding, as for tpt map; may repeat\n"
    "  --atlas FILE         use this atlas file instead of the built-in one\n"
    "  --db PATH            the record to keep the plan in (default\n"
    "                       $XDG_DATA_HOME/tpt/tpt.db); --no-save keeps nothing\n"
    "\n"
    "example:\n"
    "  tpt screen --save answers.json\n"
    "  tpt plan --screen answers.json r.buttock.center r.thigh.back.upper > plan.txt\n"
    "  tpt plan --format html --screen answers.json r.buttock.center > handout.html\n";

typedef enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_HTML } plan_format;

/* "lead text", continuation lines hanging under the text. */
static void wrap_item(const char *lead, const char *text, int indent)
{
    char line[4096];
    snprintf(line, sizeof line, "%s%s", lead, text);
    cli_wrap_hanging(stdout, indent, indent + (strncmp(lead, "- ", 2) == 0 ? 2 : 0), line);
}

static void print_minutes(long seconds)
{
    if (seconds % 60 == 0)
        printf("%ld min", seconds / 60);
    else
        printf("%ld s", seconds);
}

static void print_step(const tpt_atlas *atlas, size_t n, const tpt_plan_step *s)
{
    printf("\n%2zu. %s", n, s->title);
    if (s->cause >= 0) printf(" (%s, %s)", atlas->causes[s->cause].label, tpt_side_word(s->side));
    printf("\n    ");
    if (s->kind == TPT_STEP_GENERAL)
        print_minutes(s->hold_seconds);
    else if (s->kind == TPT_STEP_PRESSURE)
        printf("%ld round%s of %ld s, %ld s rest between", s->repeats, s->repeats == 1 ? "" : "s",
               s->hold_seconds, s->rest_seconds);
    else
        printf("hold %ld s, %ld time%s", s->hold_seconds, s->repeats, s->repeats == 1 ? "" : "s");
    putchar('\n');
    if (s->placement) wrap_item("Where: ", s->placement, 4);
    wrap_item(s->kind == TPT_STEP_GENERAL ? "" : "How: ", s->instructions, 4);
    for (size_t i = 0; s->cautions && i < s->cautions->count; i++)
        wrap_item("Careful: ", s->cautions->items[i], 4);
}

static void print_text(const tpt_atlas *atlas, const tpt_techniques *t, const tpt_plan *p)
{
    const char *advice[16];
    size_t nadvice = tpt_plan_advice(p, atlas, advice, 16);
    printf("TREATMENT PLAN\n\nLevel: %s. Self-treatment: %s.\n", tpt_level_name(p->screen.level),
           p->self_care ? tpt_self_care_name(p->screen.level) : "no");
    for (size_t i = 0; i < nadvice; i++) {
        putchar('\n');
        cli_wrap(stdout, 0, advice[i]);
    }
    if (!p->self_care) {
        printf("\nThis plan holds no self-treatment while this stands.\n\n");
        cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
        return;
    }
    if (p->ncauses) {
        printf("\nTrigger points treated:\n");
        for (size_t i = 0; i < p->ncauses; i++) {
            const tpt_cause *c = &atlas->causes[p->causes[i].ref.cause];
            printf("  - %s, %s (probability %.0f%%)\n", c->label,
                   tpt_side_word(p->causes[i].ref.side), p->causes[i].probability * 100);
        }
    }

    printf("\nHOME PROGRAM, %ld time%s a day\n", (long)t->sessions_per_day.value,
           t->sessions_per_day.value == 1 ? "" : "s");
    wrap_item("How hard to press: ", t->pressure.text, 0);
    for (size_t i = 0; i < p->nsteps; i++)
        print_step(atlas, i + 1, &p->steps[i]);
    printf("\nEvery day:\n");
    for (size_t i = 0; i < t->nhabits; i++)
        wrap_item("- ", t->habits[i].text, 2);

    if (p->ncauses) printf("\nCLINIC PLAN (for the practitioner)\n");
    for (size_t c = 0; c < p->ncauses; c++) {
        const tpt_treatment *tr = tpt_treatment_of(t, p->causes[c].ref.cause);
        printf("\n%s, %s\n", atlas->causes[tr->cause].label, tpt_side_word(p->causes[c].ref.side));
        for (size_t m = 0; m < tr->nclinic; m++) {
            char lead[64];
            snprintf(lead, sizeof lead, "- %s: ", tr->clinic[m].modality);
            wrap_item(lead, tr->clinic[m].detail, 2);
            for (size_t k = 0; k < tr->clinic[m].points.count; k++) {
                const tpt_acupoint *a = tpt_acupoint_find(t, tr->clinic[m].points.items[k]);
                char point[64];
                snprintf(point, sizeof point, "%s %s: ", a->id, a->name);
                wrap_item(point, a->location, 6);
            }
        }
        wrap_item("Evidence: ", tr->evidence, 2);
    }

    printf("\nEXPECTED COURSE\n");
    cli_wrap(stdout, 0, t->course.advice);
    printf("\nSTOP\n");
    for (size_t i = 0; i < t->nstop_rules; i++)
        wrap_item("- ", t->stop_rules[i].text, 2);
    putchar('\n');
    cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
}

int cmd_plan(int argc, char **argv)
{
    /* --json is --format json here: whichever comes last wins */
    static const struct option options[] = {
        {"json", no_argument, NULL, 'j'},
        {"format", required_argument, NULL, 'F'},
        {"screen", required_argument, NULL, 's'},
        {"atlas", required_argument, NULL, 'a'},
        {"finding", required_argument, NULL, 'f'},
        {"no-save", no_argument, NULL, 'n'},
        {0},
    };
    plan_format format = FORMAT_TEXT;
    const char *screen_path = NULL, *atlas_path = NULL, *finding_text[TPT_MAX_FINDINGS];
    size_t nfindings = 0;
    int opt, save_record = 1;
    cli_args opts;
    cli_args_init(&opts, "plan", argc, argv, options, CLI_DB);
    while ((opt = cli_args_next(&opts)) > 0) {
        switch (opt) {
        case 'j':
            format = FORMAT_JSON;
            break;
        case 'F':
            if (strcmp(optarg, "text") == 0)
                format = FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                format = FORMAT_JSON;
            else if (strcmp(optarg, "html") == 0)
                format = FORMAT_HTML;
            else
                return cli_usage("plan", "unknown format '%s' (text, json or html)", optarg);
            break;
        case 's':
            screen_path = optarg;
            break;
        case 'a':
            atlas_path = optarg;
            break;
        case 'f':
            if (nfindings == TPT_MAX_FINDINGS)
                return cli_usage("plan", "at most %d findings", TPT_MAX_FINDINGS);
            finding_text[nfindings++] = optarg;
            break;
        case 'n':
            save_record = 0;
            break;
        }
    }
    if (opt < 0) return opts.code;
    const char *db = opts.common.db;
    if (!screen_path)
        return cli_usage("plan", "a plan needs a red-flag screen first: run tpt screen --save "
                                 "answers.json, then tpt plan --screen answers.json MARK...");
    if (optind >= argc)
        return cli_usage("plan", "no marks given: name at least one region, e.g. r.buttock.center");

    cli_data data;
    int code = cli_load(&data, atlas_path);
    if (code) return code;
    tpt_error err = {0};
    tpt_screen_def *def = tpt_screen_def_default(&err);
    tpt_techniques *t = def ? tpt_techniques_default(data.atlas, &err) : NULL;
    static tpt_drawing drawing;
    static tpt_plan plan;
    tpt_answers answers;
    tpt_screen_result screen;
    tpt_result map;
    tpt_finding findings[TPT_MAX_FINDINGS];
    unsigned warnings = 0;
    if (!t) {
        code = cli_report(&err);
        goto done;
    }
    if ((code = cli_read_answers(def, screen_path, &answers))) goto done;
    tpt_screen_evaluate(def, &answers, &screen);
    for (size_t i = 0; i < nfindings; i++) {
        if (tpt_finding_parse(data.atlas, finding_text[i], &findings[i], &err) != 0) {
            code = cli_report(&err);
            goto done;
        }
    }
    if (tpt_drawing_parse(data.regions, argv + optind, (size_t)(argc - optind), &drawing, &warnings,
                          &err) != 0 ||
        tpt_infer(data.atlas, &drawing, findings, nfindings, &map, &err) != 0 ||
        tpt_plan_build(data.atlas, t, def, &screen, &map, &plan, &err) != 0) {
        code = cli_report(&err);
        cli_print_warnings(stderr, data.atlas, warnings);
        goto done;
    }
    if (format == FORMAT_JSON) {
        code = cli_print_json(tpt_plan_json(data.atlas, t, &plan), stdout, 0);
    } else if (format == FORMAT_HTML) {
        tpt_buf html = {0};
        tpt_chart *chart = tpt_chart_default(data.regions, &err);
        tpt_words *english = tpt_words_load("en", &err);
        tpt_handout handout = {.atlas = data.atlas,
                               .techniques = t,
                               .plan = &plan,
                               .regions = data.regions,
                               .chart = chart,
                               .words = english};
        int rc = tpt_plan_write_html(&handout, &html);
        tpt_chart_free(chart);
        tpt_words_free(english);
        if (rc != 0) {
            fprintf(stderr, "tpt: out of memory\n");
            code = 1;
        } else {
            fwrite(html.data, 1, html.len, stdout);
        }
        tpt_buf_free(&html);
    } else {
        print_text(data.atlas, t, &plan);
    }
    if (!code && save_record)
        code = cli_save_record(db, TPT_RECORD_PLAN, tpt_level_name(plan.screen.level), NULL,
                               tpt_plan_json(data.atlas, t, &plan));
done:
    tpt_techniques_free(t);
    tpt_screen_def_free(def);
    cli_data_free(&data);
    return code;
}
