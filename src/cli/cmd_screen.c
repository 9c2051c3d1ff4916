/* tpt screen: red flags before any self-treatment (spec/interface.md). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "tpt/json.h"
#include "tpt/notice.h"
#include "tpt/screen.h"

const char cmd_screen_help[] =
    "usage: tpt screen [--json] [--save FILE]            (asks on a terminal)\n"
    "       tpt screen --answers FILE|- [--json] [--save FILE]\n"
    "\n"
    "Asks about the warning signs that must be checked before any self-treatment,\n"
    "a group at a time and the emergency signs first (numbness between the legs,\n"
    "bladder or bowel changes, symptoms in both legs, unsteady walking; then\n"
    "weakness, fever and infection, cancer, injury, your age and how long the pain\n"
    "has lasted), and says how urgently to see a doctor: emergency (go to an\n"
    "emergency department now), urgent (within a day or two), soon (within a week\n"
    "or two) or none, and whether self-treatment may go on. Signs are weighed in\n"
    "combination, as the guidelines do: age alone or a long-lasting pain a\n"
    "clinician has already examined raises nothing, while a past cancer with new\n"
    "weakness is an emergency. A question whose answer can no longer change the\n"
    "result is not asked. \"Not sure\" about an emergency sign counts as yes. An\n"
    "emergency answer ends the questions at once. The last questions (blood\n"
    "thinners, pregnancy, diabetes or poor circulation) raise no flag; they change\n"
    "what a plan may hold.\n"
    "\n"
    "options:\n"
    "  --answers FILE|-  read the answers from a JSON object instead of asking, for\n"
    "                    example {\"saddle-numbness\": false, \"age\": 54}; true/false,\n"
    "                    whole numbers for age, onset-weeks and back-pain-onset-age,\n"
    "                    \"not-sure\" for any\n"
    "  --save FILE       also write the answers to FILE (for tpt plan --screen FILE);\n"
    "                    - writes them to standard output, before the result\n"
    "  --json            print the result as JSON\n"
    "  --db PATH         the record to keep the screen in (default\n"
    "                    $XDG_DATA_HOME/tpt/tpt.db); --no-save keeps nothing\n"
    "\n"
    "answer keys: saddle-numbness bladder-change bowel-change sexual-dysfunction\n"
    "  bilateral-leg-symptoms unsteady-walking weakness-worsening foot-drop\n"
    "  leg-numbness fever recent-infection iv-drug-use immunosuppression\n"
    "  recent-spinal-procedure cancer-history weight-loss night-pain thoracic-pain\n"
    "  major-trauma minor-trauma osteoporosis-or-steroids age onset-weeks assessed\n"
    "  back-pain-onset-age morning-stiffness late-night-waking buttock-pain\n"
    "  nsaid-relief family-spondyloarthritis arthritis enthesitis psoriasis\n"
    "  anticoagulants pregnancy diabetes-or-poor-circulation\n"
    "A missing key counts as not answered and is reported. Exit status: 0 when the\n"
    "screen ran (whatever the level), 2 on bad answers.\n";

/* Asks the questions on the terminal, a group at a time, leaving out those
 * whose answer could no longer change the result; stops at the first
 * emergency. */
static void ask(const tpt_screen_def *def, tpt_answers *answers)
{
    char *line = NULL;
    size_t cap = 0;
    int group = -1;
    memset(answers, 0, sizeof *answers);
    fprintf(stderr, "Before any self-treatment, a few questions about warning signs.\n"
                    "Answer y (yes), n (no) or ? (not sure); \"not sure\" about the most\n"
                    "serious signs counts as yes, to be safe.\n");
    for (size_t i = 0; i < def->nquestions; i++) {
        const tpt_question *q = &def->questions[i];
        tpt_screen_result r;
        tpt_screen_evaluate(def, answers, &r);
        if (!tpt_screen_question_needed(&r, (int)i)) continue;
        if (q->group != group) {
            group = q->group;
            fprintf(stderr, "\n== Part %d of %zu: %s\n", group + 1, def->ngroups,
                    def->groups[group].title);
            cli_wrap(stderr, 0, def->groups[group].intro);
        }
        fputc('\n', stderr);
        cli_wrap(stderr, 0, q->question);
        cli_wrap(stderr, 2, q->example);
        for (;;) {
            fprintf(stderr, q->type == TPT_QUESTION_BOOLEAN ? "  [y/n/?] > " : "  number or ? > ");
            fflush(stderr);
            if (getline(&line, &cap, stdin) < 0) {
                fprintf(stderr, "\n(no more answers: the rest stay unanswered)\n");
                free(line);
                return;
            }
            tpt_error err = {0};
            if (tpt_answer_reply(def, i, line, &answers->answer[i], &err) == 0) break;
            fprintf(stderr, "  %s\n", err.message);
        }
        tpt_screen_evaluate(def, answers, &r);
        if (r.level == TPT_LEVEL_EMERGENCY) {
            fprintf(stderr, "\nThat is an emergency sign%s. No more questions.\n",
                    answers->answer[i].state == TPT_ANSWER_UNSURE ? " (not sure counts as yes)"
                                                                  : "");
            break;
        }
    }
    free(line);
}

static void list_keys(const char *lead, const tpt_screen_def *def, const int *idx, size_t n)
{
    char line[2048];
    size_t used = (size_t)snprintf(line, sizeof line, "%s", lead);
    for (size_t i = 0; i < n && used < sizeof line; i++)
        used += (size_t)snprintf(line + used, sizeof line - used, "%s%s", i ? ", " : "",
                                 def->questions[idx[i]].key);
    cli_wrap(stdout, 0, line);
}

static void print_text(const tpt_screen_def *def, const tpt_screen_result *r)
{
    static const char *const headline[] = {
        "No warning sign found",
        "See a doctor within a week or two",
        "URGENT: see a doctor within a day or two",
        "EMERGENCY: go to an emergency department now",
    };
    printf("%s.\n", headline[r->level]);
    cli_wrap(stdout, 0, def->levels[r->level].advice);
    if (r->nflags) {
        printf("\nBecause of:\n");
        for (size_t i = 0; i < r->nflags; i++) {
            const tpt_screen_rule *rule = &def->rules[r->flags[i]];
            char line[1024];
            snprintf(line, sizeof line, "- [%s] %s", tpt_level_name(rule->level), rule->reason);
            cli_wrap_hanging(stdout, 2, 4, line);
            cli_wrap(stdout, 4, rule->advice);
        }
    }
    size_t unsure_yes = 0;
    int yes[TPT_SCREEN_MAX_QUESTIONS];
    for (size_t i = 0; i < r->nunsure; i++) {
        if (def->questions[r->unsure[i]].unsure_is_yes) yes[unsure_yes++] = r->unsure[i];
    }
    if (unsure_yes) {
        putchar('\n');
        list_keys("\"Not sure\" counted as yes, to be safe: ", def, yes, unsure_yes);
    }
    if (r->nneeded && TPT_SELF_CARE_ALLOWED(r->level)) { /* beside an emergency, noise */
        putchar('\n');
        list_keys("Not answered: ", def, r->needed, r->nneeded);
    }
    putchar('\n');
    if (!TPT_SELF_CARE_ALLOWED(r->level))
        cli_wrap(stdout, 0,
                 "Self-treatment: no. Do not start or go on with self-treatment "
                 "until a clinician has seen you.");
    else if (!r->complete)
        cli_wrap(stdout, 0,
                 "Self-treatment: not yet. Some questions about serious signs were "
                 "not answered, so this screen cannot clear self-treatment; answer "
                 "them first.");
    else if (r->level == TPT_LEVEL_SOON)
        cli_wrap(stdout, 0,
                 "Self-treatment: with caution, gently, while you wait to see a "
                 "doctor.");
    else
        cli_wrap(stdout, 0,
                 "Self-treatment: allowed. Answer these questions again if anything "
                 "changes.");
    putchar('\n');
    cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
}

int cmd_screen(int argc, char **argv)
{
    static const struct option options[] = {
        {"answers", required_argument, NULL, 'a'},
        {"save", required_argument, NULL, 's'},
        {"no-save", no_argument, NULL, 'n'},
        {0},
    };
    int opt;
    const char *answers_path = NULL, *save_path = NULL;
    int save_record = 1;
    cli_args opts;
    cli_args_init(&opts, "screen", argc, argv, options, CLI_JSON | CLI_DB);
    while ((opt = cli_args_next(&opts)) > 0) {
        if (opt == 'a')
            answers_path = optarg;
        else if (opt == 's')
            save_path = optarg;
        else /* --no-save */
            save_record = 0;
    }
    if (opt < 0) return opts.code;
    int json = opts.common.json;
    const char *db = opts.common.db;
    if (optind < argc) return cli_usage("screen", "unexpected argument '%s'", argv[optind]);
    if (!answers_path && !isatty(STDIN_FILENO))
        return cli_usage("screen", "standard input is not a terminal: give the answers with "
                                   "--answers FILE (or - for standard input)");

    tpt_error err = {0};
    tpt_screen_def *def = tpt_screen_def_default(&err);
    if (!def) return cli_report(&err);
    tpt_answers answers;
    int code = 0;
    if (answers_path)
        code = cli_read_answers(def, answers_path, &answers);
    else
        ask(def, &answers);
    if (!code && save_path) code = cli_write_json(tpt_answers_json(def, &answers), save_path);
    if (!code) {
        tpt_screen_result result;
        tpt_screen_evaluate(def, &answers, &result);
        if (json)
            code = cli_print_json(tpt_screen_result_json(def, &result), stdout, 0);
        else
            print_text(def, &result);
        if (!code && save_record) {
            json_t *answers_json = tpt_answers_json(def, &answers);
            char *input = answers_json ? json_dumps(answers_json, JSON_COMPACT) : NULL;
            json_decref(answers_json);
            code = cli_save_record(db, TPT_RECORD_SCREEN, tpt_level_name(result.level), input,
                                   tpt_screen_result_json(def, &result));
            free(input);
        }
    }
    tpt_screen_def_free(def);
    return code;
}
