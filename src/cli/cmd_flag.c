/* tpt flag: the red flags standing in a record, who raised each and who may
 * lift it (record/flags.h), and a clinician's assessment that lifts one, as
 * the web application's POST /patients/ID/assessments records it. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpt/notice.h"

const char cmd_flag_help[] =
    "usage: tpt flag list [PATIENT] [--json]\n"
    "       tpt flag assess PATIENT FLAG --as EMAIL --finding TEXT\n"
    "  each with [--clinic ID] [--db PATH]\n"
    "\n"
    "The warning signs that stand in a record, each with what raised it (a screen\n"
    "or a drawing, when, and whether a clinician kept it) and who may lift it, and\n"
    "the assessments clinicians recorded. While one at urgent or above stands,\n"
    "tpt holds back all self-treatment.\n"
    "\n"
    "Who lifts a warning:\n"
    "- one raised by the person's own screen: a later complete screen with no\n"
    "  urgent or emergency sign, or a clinician;\n"
    "- one raised by the person's own drawing: a newer drawing without it (it\n"
    "  stands while that drawing is the latest; no screen erases it), or a\n"
    "  clinician;\n"
    "- one raised by a clinician (a screen or drawing a practitioner kept for the\n"
    "  patient, or a visit note's drawing): only a clinician, by recording that\n"
    "  they assessed it, by a signed visit whose drawing no longer shows it, or by\n"
    "  their own clear screen or drawing.\n"
    "A sign that does not go away (a past cancer, thin bones) is raised again by\n"
    "every screen; once a clinician has assessed it, later screens that raise it\n"
    "from the same answers no longer hold self-treatment back.\n"
    "\n"
    "list    the warnings standing in a clinic patient's record (without PATIENT:\n"
    "        in your own record) and its assessments\n"
    "assess  records that a clinician assessed the concern behind the warning FLAG\n"
    "        (its id, as list shows it): who (--as), when (now), what was found\n"
    "        (--finding). It lifts the warning; it is kept for good and written to\n"
    "        the audit log.\n"
    "\n"
    "options:\n"
    "  --as EMAIL      the clinician's account of the web application (a\n"
    "                  practitioner or an admin of the patient's clinic, not tied\n"
    "                  to this record: nobody assesses their own warnings)\n"
    "  --finding TEXT  what the clinician found, 1 to 4096 bytes\n"
    "  --json          as JSON, as the web application's API answers\n"
    "  --clinic ID     the clinic (needed when the database holds several)\n"
    "  --db PATH       the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "Exit status: 0 done; 2 bad input (no such patient or account); 3 when no\n"
    "warning FLAG stands in the record.\n"
    "\n"
    "example: tpt flag list 3\n"
    "         tpt flag assess 3 cancer-history --as ruth@clinic.example \\\n"
    "             --finding \"Breast cancer 2009, discharged 2019; examined, no sign of spread\"\n";

enum {
    O_DB = CLI_DB,
    O_JSON = CLI_JSON,
    O_CLINIC = CLI_CLINIC,
    O_AS = CLI_AS,
    O_FINDING = CLI_OWN(0)
};

/* ---- list ---- */

static const char *lifted_by(const tpt_flag *f)
{
    if (f->clinician)
        return f->source == TPT_RECORD_DRAWING
                   ? "only a clinician lifts it: an assessment, a signed visit whose drawing no "
                     "longer shows it, or their own newer drawing without it"
                   : "only a clinician lifts it: an assessment, or their own later clear screen";
    return f->source == TPT_RECORD_DRAWING
               ? "it stands while this drawing is the latest: a newer drawing without it lifts "
                 "it, and so does a clinician's assessment"
               : "a later complete screen without an urgent or emergency sign lifts it, and so "
                 "does a clinician's assessment";
}

static void print_flags(tpt_store *store, const char *whose, const tpt_flags *flags,
                        const tpt_assessment_list *assessments)
{
    if (!flags->count) {
        printf("No warning sign stands in %s.\n", whose);
    } else {
        printf("Warning signs standing in %s:\n", whose);
        for (size_t i = 0; i < flags->count; i++) {
            const tpt_flag *f = &flags->items[i];
            char when[64], who[512], line[4096];
            cli_local_time(f->at, when, sizeof when);
            cli_account_text(store, f->author, who, sizeof who);
            snprintf(line, sizeof line, "%s (%s): %s Raised by the %s of %s, kept by %s.", f->id,
                     tpt_level_name(f->level), f->reason ? f->reason : "A warning of the drawing.",
                     tpt_record_kind_name(f->source), when,
                     f->clinician ? (f->author ? who : "a clinician")
                                  : (f->author ? who : "the person"));
            putchar('\n');
            cli_wrap_hanging(stdout, 2, 4, line);
            if (f->advice) cli_wrap(stdout, 4, f->advice);
            snprintf(line, sizeof line, "Who lifts it: %s.%s", lifted_by(f),
                     f->lasting ? " It is about something that does not go away: once assessed, "
                                  "later screens raising it from the same answers leave it lifted."
                                : "");
            cli_wrap(stdout, 4, line);
        }
        putchar('\n');
        if (tpt_flags_stop(flags))
            cli_wrap(stdout, 0, "No self-treatment while an emergency or urgent sign stands.");
    }
    if (assessments->count) printf("\nAssessments:\n");
    for (size_t i = 0; i < assessments->count; i++) {
        const tpt_assessment *a = &assessments->items[i];
        char when[64], who[512], line[8192];
        cli_local_time(a->at, when, sizeof when);
        cli_account_text(store, a->author, who, sizeof who);
        snprintf(line, sizeof line, "%s  %s, assessed by %s: %s", when, a->flag, who, a->finding);
        cli_wrap_hanging(stdout, 2, 4, line);
    }
}

static int list(tpt_store *store, int64_t patient, const char *whose, bool json)
{
    tpt_flags flags;
    tpt_assessment_list assessments = {0};
    tpt_error err = {0};
    if (tpt_flags_read(store, patient, NULL, &flags, &err) != 0) return cli_report(&err);
    int code = 0;
    if (tpt_store_assessment_list(store, patient, &assessments, &err) != 0) {
        code = cli_report(&err);
    } else if (json) {
        json_t *items = json_array();
        for (size_t i = 0; i < assessments.count; i++)
            json_array_append_new(items, tpt_assessment_json(store, &assessments.items[i]));
        code = cli_print_json(json_pack("{s:o, s:o, s:b}", "flags", tpt_flags_json(store, &flags),
                                        "assessments", items, "self_care", !tpt_flags_stop(&flags)),
                              stdout, 0);
    } else {
        print_flags(store, whose, &flags, &assessments);
        putchar('\n');
        cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
    }
    tpt_assessment_list_free(&assessments);
    tpt_flags_free(&flags);
    return code;
}

/* ---- assess ---- */

static int assess(tpt_store *store, const tpt_patient *p, const char *flag, const char *as,
                  const char *finding)
{
    tpt_user user;
    int code = cli_account(store, as, p->clinic, &user);
    if (code) return code;
    if (user.patient == p->id) {
        fprintf(stderr,
                "tpt: %s is tied to this record: nobody assesses their own warnings (a colleague "
                "of the clinic records it)\n",
                user.email);
        return TPT_EXIT_BAD_INPUT;
    }
    tpt_flags flags;
    tpt_error err = {0};
    if (tpt_flags_read(store, p->id, NULL, &flags, &err) != 0) return cli_report(&err);
    const tpt_flag *standing = tpt_flags_find(&flags, flag);
    if (!standing) {
        fprintf(stderr,
                "tpt: no warning '%s' stands in the record of %s (tpt flag list %lld shows "
                "those that do)\n",
                flag, p->name, (long long)p->id);
        tpt_flags_free(&flags);
        return TPT_EXIT_CONFLICT;
    }
    tpt_assessment a = {.patient = p->id,
                        .author = user.id,
                        .record = standing->record,
                        .finding = (char *)finding};
    snprintf(a.flag, sizeof a.flag, "%s", standing->id);
    tpt_flags_free(&flags);
    cli_now(a.at);
    if (tpt_store_assessment_add(store, &a, NULL, &err) != 0) return cli_report(&err);
    cli_audit(store, user.id, "recorded a clinician's assessment of a warning", p->id);
    char when[64], who[512], line[1024];
    cli_local_time(a.at, when, sizeof when);
    cli_account_text(store, user.id, who, sizeof who);
    snprintf(line, sizeof line,
             "Recorded %s's assessment of %s in the record of %s (patient %lld), "
             "%s.",
             who, a.flag, p->name, (long long)p->id, when);
    cli_wrap(stdout, 0, line);
    if (tpt_flags_read(store, p->id, NULL, &flags, &err) != 0) return cli_report(&err);
    if (tpt_flags_stop(&flags))
        printf("Self-treatment is still held back: %zu warning%s stand%s (tpt flag list %lld).\n",
               flags.count, flags.count == 1 ? "" : "s", flags.count == 1 ? "s" : "",
               (long long)p->id);
    else
        printf("No urgent or emergency warning stands now: self-treatment may go on.\n");
    tpt_flags_free(&flags);
    return 0;
}

int cmd_flag(int argc, char **argv)
{
    static const struct option options[] = {
        {"finding", required_argument, NULL, 'f'},
        {0},
    };
    const char *finding = NULL;
    int opt;
    cli_args opts;
    cli_args_init(&opts, "flag", argc, argv, options, CLI_CLINIC | CLI_DB | CLI_JSON | CLI_AS);
    while ((opt = cli_args_next(&opts)) > 0)
        finding = optarg; /* --finding, the one of its own */
    if (opt < 0) return opts.code;
    if (optind >= argc) return cli_usage("flag", "say list or assess");
    const char *verb = argv[optind++];
    bool assessing = strcmp(verb, "assess") == 0;
    if (!assessing && strcmp(verb, "list") != 0)
        return cli_usage("flag", "unknown action '%s' (list or assess)", verb);
    int code = cli_args_only(
        &opts, verb, assessing ? O_CLINIC | O_DB | O_AS | O_FINDING : O_CLINIC | O_DB | O_JSON);
    if (code) return code;
    const char *patient = optind < argc ? argv[optind++] : NULL;
    const char *flag = assessing && optind < argc ? argv[optind++] : NULL;
    if (optind < argc)
        return cli_usage("flag", "unexpected argument '%s'%s", argv[optind],
                         assessing ? " (put a finding of several words in quotes)" : "");
    if (assessing) {
        if (!patient || !flag)
            return cli_usage("flag", "assess needs the PATIENT's id and the FLAG (tpt flag list "
                                     "PATIENT shows them)");
        if (!opts.common.as)
            return cli_usage("flag", "assess needs --as EMAIL, the clinician who assessed it");
        if (!finding || !*finding || strlen(finding) > TPT_TEXT_MAX)
            return cli_usage("flag", "assess needs --finding TEXT, what was found (1 to %d bytes)",
                             TPT_TEXT_MAX);
    }
    tpt_store *store;
    if (!patient) { /* one's own record */
        int64_t me;
        if ((code = cli_open_store(opts.common.db, &store, &me))) return code;
        code = list(store, me, "your record", opts.common.json);
        tpt_store_close(store);
        return code;
    }
    tpt_patient p;
    if ((code = cli_open_patient(opts.common.db, "flag", opts.common.clinic, patient, &store, &p)))
        return code;
    char whose[512];
    snprintf(whose, sizeof whose, "the record of %s (patient %lld)", p.name, (long long)p.id);
    code = assessing ? assess(store, &p, flag, opts.common.as, finding)
                     : list(store, p.id, whose, opts.common.json);
    tpt_store_close(store);
    return code;
}
