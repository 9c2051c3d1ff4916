/* tpt plan: a clinic plan and a home program for the likely trigger points,
 * after a red-flag screen. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpt/handout.h"
#include "tpt/json.h"
#include "tpt/notice.h"
#include "tpt/plan.h"
#include "record/plan_record.h"

const char cmd_plan_help[] =
    "usage: tpt plan --screen FILE [--json | --format text|json|html] [--atlas FILE]\n"
    "                [--finding NAME:SIDE]... MARK...\n"
    "       tpt plan --from-record [--json | --format text|json|html]\n"
    "\n"
    "Builds a treatment plan for a pain drawing (see: tpt map --help for marks and\n"
    "findings): a home program for the person (moist heat, pressure on each likely\n"
    "trigger point with a ball or roller, stretches, a walk that grows each week\n"
    "and relaxation, in order, with times), a clinic plan for the practitioner\n"
    "(manual compression, dry needling, acupuncture points, cupping, Tui Na, Gua\n"
    "Sha, heat), the expected course and the stop rules.\n"
    "\n"
    "A plan needs a red-flag screen: the answers file that tpt screen --save writes\n"
    "(or any JSON object of answers). When the screen or the drawing shows an\n"
    "emergency or urgent sign, the plan gives only the advice of where to go and no\n"
    "self-treatment at all. A screen that leaves a serious question unanswered is\n"
    "refused.\n"
    "\n"
    "A plan kept in your record names the screen and drawing it was made from\n"
    "(\"made_from\" in --json): the latest screen you answered, whose answers FILE\n"
    "must hold (exit status 3 otherwise), and the marks given, kept as your latest\n"
    "drawing unless they are that already. Once a newer screen or drawing is kept,\n"
    "the plan is stale and tpt session refuses it: make a new one, for example with\n"
    "--from-record.\n"
    "\n"
    "options:\n"
    "  --screen FILE|-      the screen answers\n"
    "  --from-record        the latest screen and drawing of your record instead of\n"
    "                       --screen and marks\n"
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
    "  tpt plan --format html --screen answers.json r.buttock.center > handout.html\n"
    "  tpt plan --from-record --json > plan.json\n";

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
    if (s->kind == TPT_STEP_GENERAL && s->weekly_seconds)
        printf("week 1: %ld min, then %ld min more each week, up to %ld min", s->hold_seconds / 60,
               s->weekly_seconds / 60, s->max_seconds / 60);
    else if (s->kind == TPT_STEP_GENERAL)
        print_minutes(s->hold_seconds);
    else if (s->kind == TPT_STEP_PRESSURE)
        printf("%ld round%s of %ld s, %ld s rest between", s->repeats, s->repeats == 1 ? "" : "s",
               s->hold_seconds, s->rest_seconds);
    else
        printf("hold %ld s, %ld time%s", s->hold_seconds, s->repeats, s->repeats == 1 ? "" : "s");
    putchar('\n');
    if (s->placement) wrap_item("Where: ", s->placement, 4);
    wrap_item(s->kind == TPT_STEP_GENERAL ? "" : "How: ", s->instructions, 4);
    for (size_t i = 0; i < s->ncautions; i++)
        wrap_item("Careful: ", s->cautions[i], 4);
}

static void print_points(const char *lead, const tpt_acupoint *const *points, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        char point[96];
        snprintf(point, sizeof point, "%s%s %s: ", lead, points[k]->id, points[k]->name);
        wrap_item(point, points[k]->location, 6);
    }
}

/* A modality of the clinic plan: left out for this person or not, its
 * points, its cautions and what the guidelines say of it. */
static void print_modality(const tpt_techniques *t, const tpt_plan_modality *pm)
{
    char lead[96];
    snprintf(lead, sizeof lead, "- %s%s: ", pm->modality->modality,
             pm->avoid ? " (LEFT OUT for this person)" : "");
    wrap_item(lead, pm->modality->detail, 2);
    print_points("", pm->points, pm->npoints);
    print_points("Left out: ", pm->avoided, pm->navoided);
    for (size_t k = 0; k < pm->ncautions; k++)
        wrap_item(pm->cautions[k]->avoid ? "Why left out: " : "Careful: ", pm->cautions[k]->text,
                  4);
    const tpt_guideline *g = tpt_guideline_of(t, pm->modality->modality);
    if (g) wrap_item("Guidelines: ", g->text, 4);
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
        for (size_t m = 0; m < p->clinic[c].nmodalities; m++)
            print_modality(t, &p->clinic[c].modalities[m]);
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

/* What a plan is made from: the screen's answers and the drawing, typed
 * (or read back from the record with --from-record). */
typedef struct plan_input {
    tpt_answers answers;
    tpt_screen_result screen;
    tpt_drawing drawing;
    tpt_result map;
    char typed[8192]; /* the drawing as the record keeps it */
} plan_input;

/* Whether a kept screen (may be NULL) holds these answers. */
static bool same_answers(const tpt_screen_def *def, const tpt_record *kept, const tpt_answers *a)
{
    tpt_answers b;
    const char *text = kept && kept->input ? kept->input : "";
    if (!kept || tpt_answers_parse(def, text, strlen(text), "the kept screen", &b, NULL) != 0)
        return false;
    for (size_t q = 0; q < def->nquestions; q++) {
        const tpt_answer *x = &a->answer[q], *y = &b.answer[q];
        if (x->state != y->state || (x->state == TPT_ANSWER_NUMBER && x->number != y->number))
            return false;
    }
    return true;
}

/* Whether a kept drawing (may be NULL) is these marks as typed. */
static bool same_drawing(const tpt_record *kept, const char *typed)
{
    return kept && kept->input && strcmp(kept->input, typed) == 0;
}

/* The latest record of a kind in the list, or NULL. */
static const tpt_record *latest(const tpt_record_list *records, tpt_record_kind kind)
{
    const tpt_record *found = NULL;
    for (size_t i = 0; i < records->count; i++)
        if (records->items[i].kind == kind) found = &records->items[i];
    return found;
}

/* The screen a plan of typed answers is made from: the record's latest,
 * which must hold the same answers (a plan is made from the latest screen,
 * never an older answers file), or, when the record holds none, these
 * answers kept as its first. 0 and its id, or the exit code. */
static int screen_of(tpt_store *store, const tpt_record *base, const tpt_screen_def *def,
                     const plan_input *in, const tpt_record *kept, const char *path, int64_t *id)
{
    tpt_error err = {0};
    if (kept) {
        char when[64];
        if (same_answers(def, kept, &in->answers)) {
            *id = kept->id;
            return 0;
        }
        cli_local_time(kept->at, when, sizeof when);
        fprintf(stderr,
                "tpt plan: %s holds other answers than the latest screen in your record (%s), "
                "and a plan is made from the latest one. Answer the questions again (tpt screen "
                "--save %s), or make the plan from your record: tpt plan --from-record\n",
                strcmp(path, "-") ? path : "the screen given", when,
                strcmp(path, "-") ? path : "answers.json");
        return TPT_EXIT_CONFLICT;
    }
    json_t *answers = tpt_answers_json(def, &in->answers);
    json_t *result = tpt_screen_result_json(def, &in->screen);
    char *input = answers ? json_dumps(answers, JSON_COMPACT) : NULL;
    char *text = result ? json_dumps(result, JSON_COMPACT | TPT_JSON_DUMP_FLAGS) : NULL;
    tpt_record r = *base;
    r.kind = TPT_RECORD_SCREEN;
    r.summary = (char *)tpt_level_name(in->screen.level);
    r.input = input;
    r.json = text;
    int code = !input || !text ? (fprintf(stderr, "tpt: out of memory\n"), 1)
               : tpt_store_record_add(store, &r, id, &err) ? cli_report(&err)
                                                           : 0;
    free(input);
    free(text);
    json_decref(answers);
    json_decref(result);
    return code;
}

/* The drawing of a plan of typed marks: the record's latest when it is the
 * same, else these marks kept as the latest. 0 and its id, or the exit code. */
static int drawing_of(tpt_store *store, const tpt_record *base, const tpt_atlas *atlas,
                      const plan_input *in, const tpt_record *kept, int64_t *id)
{
    if (same_drawing(kept, in->typed)) {
        *id = kept->id;
        return 0;
    }
    json_t *result = tpt_result_json(atlas, &in->drawing, &in->map);
    char *text = result ? json_dumps(result, JSON_COMPACT | TPT_JSON_DUMP_FLAGS) : NULL;
    json_decref(result);
    tpt_error err = {0};
    tpt_record r = *base;
    r.kind = TPT_RECORD_DRAWING;
    r.summary = (char *)tpt_pattern_name(in->map.pattern);
    r.input = (char *)in->typed;
    r.json = text;
    int code = !text ? (fprintf(stderr, "tpt: out of memory\n"), 1)
               : tpt_store_record_add(store, &r, id, &err) ? cli_report(&err)
                                                           : 0;
    free(text);
    return code;
}

/* Keeps the plan in the record with the screen and drawing it was made
 * from, all in one transaction (plan_json gains "made_from"). With
 * `from_record` they are the latest already and only the plan is kept. */
static int keep(tpt_store *store, int64_t patient, const tpt_screen_def *def,
                const tpt_atlas *atlas, const plan_input *in, const char *path,
                const tpt_record_list *records, const tpt_plan *plan, json_t *plan_json)
{
    tpt_record base = {.patient = patient, .summary = (char *)tpt_level_name(plan->screen.level)};
    cli_now(base.at);
    tpt_error err = {0};
    int64_t screen, drawing;
    if (tpt_store_begin(store, &err) != 0) return cli_report(&err);
    int code = screen_of(store, &base, def, in, latest(records, TPT_RECORD_SCREEN), path, &screen);
    if (!code)
        code = drawing_of(store, &base, atlas, in, latest(records, TPT_RECORD_DRAWING), &drawing);
    if (!code && (tpt_plan_keep(store, &base, screen, drawing, plan_json, NULL, &err) != 0 ||
                  tpt_store_commit(store, &err) != 0))
        code = cli_report(&err);
    if (code) {
        tpt_store_rollback(store);
        fprintf(stderr, "tpt: the plan was not saved\n");
    }
    return code;
}

/* The latest screen and drawing of the record, read back into `in`; 0, or
 * the exit code after saying why. */
static int from_record(const tpt_plan_data *data, const tpt_record_list *records,
                       const tpt_flags *flags, plan_input *in, tpt_plan *plan,
                       tpt_plan_state *state)
{
    tpt_plan_state_of(records, state);
    if (!state->latest_screen || !state->latest_drawing) {
        fprintf(stderr, "tpt plan: your record holds no %s yet: %s first\n",
                state->latest_screen ? "drawing" : "screen",
                state->latest_screen ? "keep one with tpt map --save MARK..."
                                     : "answer the questions with tpt screen");
        return TPT_EXIT_BAD_INPUT;
    }
    tpt_error err = {0};
    if (tpt_plan_remake(data, flags, state->latest_screen, state->latest_drawing, plan, &err) != 0)
        return cli_report(&err);
    snprintf(in->typed, sizeof in->typed, "%s", state->latest_drawing->input);
    return 0;
}

int cmd_plan(int argc, char **argv)
{
    /* --json is --format json here: whichever comes last wins */
    static const struct option options[] = {
        {"json", no_argument, NULL, 'j'},         {"format", required_argument, NULL, 'F'},
        {"screen", required_argument, NULL, 's'}, {"from-record", no_argument, NULL, 'r'},
        {"atlas", required_argument, NULL, 'a'},  {"finding", required_argument, NULL, 'f'},
        {"no-save", no_argument, NULL, 'n'},      {0},
    };
    plan_format format = FORMAT_TEXT;
    const char *screen_path = NULL, *atlas_path = NULL, *finding_text[TPT_MAX_FINDINGS];
    size_t nfindings = 0;
    int opt, save_record = 1, record = 0;
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
        case 'r':
            record = 1;
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
    if (record && (screen_path || nfindings || optind < argc))
        return cli_usage("plan", "--from-record takes the screen and the drawing from your "
                                 "record: give no --screen, --finding or marks");
    if (!record && !screen_path)
        return cli_usage("plan", "a plan needs a red-flag screen first: run tpt screen --save "
                                 "answers.json, then tpt plan --screen answers.json MARK... (or "
                                 "tpt plan --from-record)");
    if (!record && optind >= argc)
        return cli_usage("plan", "no marks given: name at least one region, e.g. r.buttock.center");

    cli_data data;
    int code = cli_load(&data, atlas_path);
    if (code) return code;
    tpt_error err = {0};
    tpt_screen_def *def = tpt_screen_def_default(&err);
    tpt_techniques *t = def ? tpt_techniques_default(data.atlas, &err) : NULL;
    static plan_input in;
    static tpt_plan plan;
    tpt_finding findings[TPT_MAX_FINDINGS];
    unsigned warnings = 0;
    tpt_store *store = NULL;
    int64_t patient = 0;
    tpt_record_list records = {0};
    tpt_flags flags = {0};
    tpt_plan_state state = {0};
    json_t *out = NULL;
    if (!t) {
        code = cli_report(&err);
        goto done;
    }
    if ((record || save_record) && !(code = cli_open_store(db, &store, &patient)) &&
        (tpt_store_record_list(store, patient, -1, &records, &err) != 0 ||
         tpt_flags_read(store, patient, &records, &flags, &err) != 0))
        code = cli_report(&err);
    if (code) goto done;
    tpt_plan_data pd = {data.regions, data.atlas, t, def};
    if (record) {
        if ((code = from_record(&pd, &records, &flags, &in, &plan, &state))) goto done;
    } else {
        if ((code = cli_read_answers(def, screen_path, &in.answers))) goto done;
        tpt_screen_evaluate(def, &in.answers, &in.screen);
        for (size_t i = 0; i < nfindings; i++) {
            if (tpt_finding_parse(data.atlas, finding_text[i], &findings[i], &err) != 0) {
                code = cli_report(&err);
                goto done;
            }
        }
        if (!cli_drawing_typed(finding_text, nfindings, argv + optind, (size_t)(argc - optind),
                               in.typed, sizeof in.typed))
            code = cli_usage("plan", "the drawing is too long");
        if (code) goto done;
        if (tpt_drawing_parse(data.regions, argv + optind, (size_t)(argc - optind), &in.drawing,
                              &warnings, &err) != 0 ||
            tpt_infer(data.atlas, &in.drawing, findings, nfindings, &in.map, &err) != 0) {
            code = cli_report(&err);
            cli_print_warnings(stderr, data.atlas, warnings);
            goto done;
        }
        /* what a clinician lifted in the record's screen and drawing, when these are they */
        const tpt_record *screen = latest(&records, TPT_RECORD_SCREEN);
        const tpt_record *drawing = latest(&records, TPT_RECORD_DRAWING);
        if (store)
            tpt_plan_lifted(&pd, &flags, same_answers(def, screen, &in.answers) ? screen->id : 0,
                            same_drawing(drawing, in.typed) ? drawing->id : 0, &in.screen, &in.map);
        if (tpt_plan_build(data.atlas, t, def, &in.screen, &in.drawing, &in.map, &plan, &err) !=
            0) {
            code = cli_report(&err);
            cli_print_warnings(stderr, data.atlas, warnings);
            goto done;
        }
    }
    /* kept before it is shown, so that the plan printed names what it was made from */
    out = tpt_plan_json(data.atlas, t, &plan);
    if (!out) {
        fprintf(stderr, "tpt: out of memory\n");
        code = 1;
    } else if (save_record && record) {
        tpt_record base = {.patient = patient,
                           .summary = (char *)tpt_level_name(plan.screen.level)};
        cli_now(base.at);
        if (tpt_plan_keep(store, &base, state.latest_screen->id, state.latest_drawing->id, out,
                          NULL, &err) != 0)
            code = cli_report(&err);
    } else if (save_record) {
        code = keep(store, patient, def, data.atlas, &in, screen_path, &records, &plan, out);
    } else if (record) { /* not kept, but made from the latest: a session may follow it */
        json_object_set_new(out, "made_from",
                            json_pack("{s:I, s:I}", "screen", (json_int_t)state.latest_screen->id,
                                      "drawing", (json_int_t)state.latest_drawing->id));
    }
    if (code) goto done;
    if (format == FORMAT_JSON) {
        code = cli_print_json(json_incref(out), stdout, 0);
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
done:
    json_decref(out);
    tpt_flags_free(&flags);
    tpt_record_list_free(&records);
    tpt_store_close(store);
    tpt_techniques_free(t);
    tpt_screen_def_free(def);
    cli_data_free(&data);
    return code;
}
