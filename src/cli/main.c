/* `tpt`: the command line face of libtpt. Each subcommand lives in its own
 * file; this one only dispatches and prints the overview. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>

#include "cli.h"

static const char overview[] =
    "tpt - trigger point therapy for sciatica\n"
    "\n"
    "usage: tpt COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "commands, in the order of use:\n"
    "  screen                 the warning signs to check before any self-treatment\n"
    "  map MARK...            rank the trigger points and nerve roots that may explain\n"
    "                         a pain drawing (tpt map r.buttock.center r.thigh.back.upper)\n"
    "  plan --screen F MARK...  a home program and a clinic plan for a pain drawing\n"
    "                         (--from-record: from the latest screen and drawing kept)\n"
    "  session --plan F       a guided, timed self-treatment session with its stop rules\n"
    "  log --leg N --back N   add to the daily log of pain, sitting and walking\n"
    "  progress               how leg and back pain have changed: go on, stop or see\n"
    "                         a clinician\n"
    "  report                 the record as one printable HTML page with charts\n"
    "  history                the screens, drawings, plans and sessions kept\n"
    "  flag list              the warning signs standing in the record, who raised\n"
    "                         each and who may lift it\n"
    "  export --csv | --fhir  the record as CSV, or as a FHIR R4 Bundle\n"
    "  import FILE            a FHIR Bundle from tpt export, back into the record\n"
    "  db backup FILE | check a copy of the database, or its integrity check\n"
    "  serve                  the JSON API on HTTP (127.0.0.1:8321)\n"
    "  regions                the body chart regions a mark can name\n"
    "  atlas list             the causes tpt knows\n"
    "  atlas show CAUSE       one cause: where it lies, its zone, its sources\n"
    "  eval FILE...           how often the engine is right on case sets of\n"
    "                         published patients (data/cases/)\n"
    "  help [COMMAND]         this overview, or a command's help\n"
    "\n"
    "for a clinic, on the same database as tpt serve:\n"
    "  patient add NAME       the clinic's patients (list, show, edit, archive,\n"
    "                         restore)\n"
    "  visit add PATIENT --note FILE  visit notes in SOAP form (list, show, edit a\n"
    "                         draft, sign, amend)\n"
    "  measure add PATIENT INSTRUMENT ITEM=VALUE...\n"
    "                         outcome measures such as the ODI, against the smallest\n"
    "                         change that matters (list, show, history)\n"
    "  flag assess PATIENT FLAG --as EMAIL --finding TEXT\n"
    "                         a clinician's assessment, which lifts a warning\n"
    "  appointment add PATIENT --at TIME --practitioner EMAIL --service S\n"
    "                         the clinic's calendar (list, show, move, cancel, mark,\n"
    "                         series: the course of care at once)\n"
    "  availability           open slots; hours EMAIL, a practitioner's working\n"
    "                         hours; zone, the clinic's time zone\n"
    "  licence add FILE       the clinic's licensed wording of the ODI, RMDQ or\n"
    "                         STarT Back, for its forms alone (list, remove)\n"
    "\n"
    "for the installation's operator, on the server:\n"
    "  operator add EMAIL --name NAME  an operator account (never made on the web)\n"
    "  account list | reset | disable | enable | end-sessions | delete | role\n"
    "                         the web application's accounts\n"
    "  audit show | retention | prune  the audit log and how long it is kept\n"
    "\n"
    "options:\n"
    "  --version              print the version\n"
    "  --help                 print this overview\n"
    "\n"
    "A mark is REGION[:KIND][:INTENSITY], for example r.calf.upper:tingling:6.\n"
    "tpt is not a diagnosis; see a clinician for severe, worsening or lasting pain.\n";

/* `tpt serve` is the program tpt-serve beside this one: the HTTP server and
 * its libraries (TLS among them) would otherwise load with every command and
 * slow the start of each, where tpt map must answer in a few milliseconds. */
static int run_serve(int argc, char **argv)
{
    (void)argc; /* argv is NULL-terminated, as execv wants */
    char self[4096], path[4200];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "tpt: cannot find where tpt is installed\n");
        return 1;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    *slash = '\0';
    snprintf(path, sizeof path, "%s/tpt-serve", self);
    argv[0] = path;
    execv(path, argv);
    fprintf(stderr, "tpt: cannot start %s: %s\n", path, strerror(errno));
    return 1;
}

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} command;

static const command commands[] = {
    {"map", cmd_map, cmd_map_help},
    {"regions", cmd_regions, cmd_regions_help},
    {"atlas", cmd_atlas, cmd_atlas_help},
    {"screen", cmd_screen, cmd_screen_help},
    {"plan", cmd_plan, cmd_plan_help},
    {"session", cmd_session, cmd_session_help},
    {"log", cmd_log, cmd_log_help},
    {"progress", cmd_progress, cmd_progress_help}, /* reads the log and the record */
    {"db", cmd_db, cmd_db_help},
    {"report", cmd_report, cmd_report_help},
    {"history", cmd_history, cmd_history_help},
    {"serve", run_serve, NULL}, /* a program of its own: see run_serve */
    {"export", cmd_export, cmd_export_help},
    {"import", cmd_import, cmd_import_help},
    {"patient", cmd_patient, cmd_patient_help},
    {"visit", cmd_visit, cmd_visit_help},
    {"measure", cmd_measure, cmd_measure_help},
    {"eval", cmd_eval, cmd_eval_help},
    {"flag", cmd_flag, cmd_flag_help},
    {"account", cmd_account, cmd_account_help},
    {"operator", cmd_operator, cmd_operator_help},
    {"audit", cmd_audit, cmd_audit_help},
    {"appointment", cmd_appointment, cmd_appointment_help},
    {"availability", cmd_availability, cmd_availability_help},
    {"licence", cmd_licence, cmd_licence_help},
};

static const command *find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    }
    return NULL;
}

static int help(int argc, char **argv)
{
    if (argc < 2) {
        fputs(overview, stdout);
        return 0;
    }
    const command *c = find(argv[1]);
    if (!c) {
        fprintf(stderr, "tpt help: no command '%s' (tpt help lists them)\n", argv[1]);
        return TPT_EXIT_BAD_INPUT;
    }
    if (!c->help) return c->run(2, (char *[]){(char *)c->name, "--help", NULL});
    fputs(c->help, stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(overview, stderr);
        return TPT_EXIT_BAD_INPUT;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("tpt %s\n", TPT_VERSION);
        return 0;
    }
    if (cli_is_help(name) || strcmp(name, "help") == 0) return help(argc - 1, argv + 1);
    const command *c = find(name);
    if (!c) {
        fprintf(stderr, "tpt: unknown command '%s' (see: tpt help)\n", name);
        return TPT_EXIT_BAD_INPUT;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) break;
        if (cli_is_help(argv[i]) && c->help) {
            fputs(c->help, stdout);
            return 0;
        }
    }
    int code = c->run(argc - 1, argv + 1);
    /* An answer that did not reach its reader (a full disk, a closed pipe) is a failure. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "tpt: cannot write the output\n");
        return code ? code : 1;
    }
    return code;
}
