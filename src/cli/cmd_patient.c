/* tpt patient: a clinic's patients and their details (birth year, contact,
 * consent, the planned course, archiving), as the web application keeps
 * them (src/server/visits.c writes the same JSON). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

const char cmd_patient_help[] =
    "usage: tpt patient add NAME [--birth-year Y] [--contact TEXT] [--consent DATE]\n"
    "                            [--visits N] [--json]\n"
    "       tpt patient list [--search TEXT] [--archived] [--json]\n"
    "       tpt patient show ID [--json]\n"
    "       tpt patient edit ID [--name NAME] [--birth-year Y|none]\n"
    "                           [--contact TEXT|none] [--consent DATE|none]\n"
    "                           [--visits N] [--json]\n"
    "       tpt patient archive ID\n"
    "       tpt patient restore ID\n"
    "       tpt patient erase ID --yes\n"
    "  each with [--clinic ID] [--db PATH]\n"
    "\n"
    "A clinic's patients. A patient belongs to a clinic; without --clinic the\n"
    "database's only clinic is meant, and the first tpt patient add on a database\n"
    "without one makes a clinic named \"My clinic\". The web application (tpt serve)\n"
    "shows the same patients. Your own record (tpt log, tpt progress) is not a\n"
    "clinic patient.\n"
    "\n"
    "add      a new patient; prints the ID the other commands take\n"
    "list     the clinic's patients by name, each with its ID, birth year, consent\n"
    "         and any warning sign standing in the record\n"
    "show     one patient's details, visits and outcome measures\n"
    "edit     changes the details given; none clears one\n"
    "archive  takes a patient off the list (nothing is deleted)\n"
    "restore  brings an archived patient back\n"
    "erase    erases the record when its patient asks: everything in it is removed\n"
    "         for good (log, screens, drawings, plans, sessions, visit notes,\n"
    "         measures) and the patient's account deleted; a tombstone (that it was\n"
    "         erased, and when) and its audit log stay. Only with --yes\n"
    "\n"
    "options:\n"
    "  --birth-year Y     the year of birth, 1900 to this year\n"
    "  --contact TEXT     a phone number or an email, at most 200 characters\n"
    "  --consent DATE     when consent to treatment was recorded: 2026-11-20, or a\n"
    "                     time as 2026-11-20T09:30 (local) or with a Z for UTC\n"
    "  --visits N         the planned course of care, 1 to 50 visits (default 6)\n"
    "  --name NAME        a new name, 1 to 200 characters\n"
    "  --search TEXT      only the patients whose name holds TEXT (any case)\n"
    "  --archived         the archived patients instead\n"
    "  --yes              erase: yes, erase it for good\n"
    "  --json             as JSON\n"
    "  --clinic ID        the clinic (needed when the database holds several)\n"
    "  --db PATH          the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "example: tpt patient add \"Anna Berg\" --birth-year 1971 --consent 2026-11-20\n";

/* The shared options, then the command's own in the order of its table. */
enum {
    O_DB = CLI_DB,
    O_JSON = CLI_JSON,
    O_CLINIC = CLI_CLINIC,
    O_BIRTH = CLI_OWN(0),
    O_CONTACT = CLI_OWN(1),
    O_CONSENT = CLI_OWN(2),
    O_VISITS = CLI_OWN(3),
    O_NAME = CLI_OWN(4),
    O_SEARCH = CLI_OWN(5),
    O_ARCHIVED = CLI_OWN(6),
    O_YES = CLI_OWN(7),
};

static const struct {
    const char *name;
    unsigned options;
    int nargs; /* NAME or ID */
} verbs[] = {
    {"add", O_CLINIC | O_DB | O_JSON | O_BIRTH | O_CONTACT | O_CONSENT | O_VISITS, 1},
    {"list", O_CLINIC | O_DB | O_JSON | O_SEARCH | O_ARCHIVED, 0},
    {"show", O_CLINIC | O_DB | O_JSON, 1},
    {"edit", O_CLINIC | O_DB | O_JSON | O_NAME | O_BIRTH | O_CONTACT | O_CONSENT | O_VISITS, 1},
    {"archive", O_CLINIC | O_DB, 1},
    {"restore", O_CLINIC | O_DB, 1},
    {"erase", O_CLINIC | O_DB | O_YES, 1},
};

typedef struct args {
    const char *verb, *arg;
    const char *clinic, *db, *name, *birth, *contact, *consent, *visits, *search;
    bool json, archived, yes;
} args;

/* ---- the details as typed ---- */

static int birth_year(const char *text, bool may_clear, int *out)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    int this_year = tm.tm_year + 1900;
    if (may_clear && strcmp(text, "none") == 0) {
        *out = 0;
        return 0;
    }
    char *end;
    long v = strtol(text, &end, 10);
    if (end == text || *end || v < 1900 || v > this_year)
        return cli_usage("patient", "--birth-year takes a year from 1900 to %d%s, not '%s'",
                         this_year, may_clear ? " (or none)" : "", text);
    *out = (int)v;
    return 0;
}

/* A date alone is kept as its UTC midnight, as the web application keeps it,
 * so that both show the same day. */
static int consent_time(const char *text, bool may_clear, char out[TPT_TIME_MAX])
{
    if (may_clear && strcmp(text, "none") == 0) {
        out[0] = '\0';
        return 0;
    }
    char parsed[TPT_TIME_MAX];
    if (cli_parse_time(text, parsed) != 0)
        return cli_usage("patient", "cannot read the date '%s' (2026-11-20%s)", text,
                         may_clear ? ", or none" : "");
    if (strlen(text) == 10)
        snprintf(out, TPT_TIME_MAX, "%sT00:00:00Z", text);
    else
        snprintf(out, TPT_TIME_MAX, "%s", parsed);
    if (cli_time_seconds(out) > (int64_t)time(NULL) + 86400)
        return cli_usage("patient", "the consent date '%s' is in the future", text);
    return 0;
}

static int text_detail(const char *option, const char *text, size_t min, char *out, size_t size)
{
    size_t n = strlen(text);
    if (n < min || n >= size)
        return cli_usage("patient", "%s takes %zu to %zu characters, not %zu", option, min,
                         size - 1, n);
    memcpy(out, text, n + 1);
    return 0;
}

/* The details typed into p: 0, or the exit code of a usage problem. */
static int apply_details(const args *a, bool editing, tpt_patient *p)
{
    int code = 0;
    if (a->name) code = text_detail("--name", a->name, 1, p->name, sizeof p->name);
    if (!code && a->birth) code = birth_year(a->birth, editing, &p->birth_year);
    if (!code && a->contact) {
        if (editing && strcmp(a->contact, "none") == 0)
            p->contact[0] = '\0';
        else
            code = text_detail("--contact", a->contact, 1, p->contact, sizeof p->contact);
    }
    if (!code && a->consent) code = consent_time(a->consent, editing, p->consent);
    if (!code && a->visits) {
        char *end;
        long v = strtol(a->visits, &end, 10);
        if (end == a->visits || *end || v < 1 || v > 50)
            return cli_usage("patient", "--visits takes a whole number from 1 to 50, not '%s'",
                             a->visits);
        p->planned_visits = (int)v;
    }
    return code;
}

/* ---- output ---- */

/* A consent time as people read it: the day alone when a day was given. */
static void consent_text(const char *at, char *out, size_t size)
{
    size_t n = strlen(at);
    if (!n)
        snprintf(out, size, "not recorded");
    else if (n == 20 && strcmp(at + 10, "T00:00:00Z") == 0)
        snprintf(out, size, "%.10s", at);
    else
        cli_local_time(at, out, size);
}

/* The most serious warning sign standing in the patient's record (its
 * level, and its advice, malloc'd), as the web application's list shows it. */
static size_t standing_flag(tpt_store *store, int64_t patient, tpt_level *level, char **advice)
{
    tpt_flags flags;
    *advice = NULL;
    if (tpt_flags_read(store, patient, NULL, &flags, NULL) != 0) return 0;
    size_t n = flags.count;
    *level = flags.level;
    const char *text = tpt_flags_advice(&flags);
    *advice = text ? strdup(text) : NULL;
    tpt_flags_free(&flags);
    return n;
}

static void print_details(tpt_store *store, const tpt_clinic *clinic, const tpt_patient *p)
{
    char when[64];
    printf("Patient %lld: %s\n", (long long)p->id, p->name);
    printf("  clinic            %s (%lld)\n", clinic->name, (long long)clinic->id);
    if (p->birth_year)
        printf("  birth year        %d\n", p->birth_year);
    else
        printf("  birth year        not given\n");
    printf("  contact           %s\n", *p->contact ? p->contact : "not given");
    consent_text(p->consent, when, sizeof when);
    printf("  consent           %s\n", when);
    printf("  planned course    %d visit%s\n", p->planned_visits,
           p->planned_visits == 1 ? "" : "s");
    tpt_visit_list visits;
    tpt_measure_list measures;
    if (tpt_store_visit_list(store, p->id, &visits, NULL) == 0) {
        size_t signed_visits = 0;
        for (size_t i = 0; i < visits.count; i++)
            signed_visits += *visits.items[i].signed_at != '\0';
        if (!visits.count)
            printf("  visits            none yet\n");
        else
            printf("  visits            %zu (%zu signed, %zu draft%s)\n", visits.count,
                   signed_visits, visits.count - signed_visits,
                   visits.count - signed_visits == 1 ? "" : "s");
        tpt_visit_list_free(&visits);
    }
    if (tpt_store_measure_list(store, p->id, &measures, NULL) == 0) {
        printf("  outcome measures  %zu\n", measures.count);
        tpt_measure_list_free(&measures);
    }
    if (*p->archived) {
        cli_local_time(p->archived, when, sizeof when);
        printf("  archived          %s (tpt patient restore %lld brings the patient back)\n", when,
               (long long)p->id);
    }
    tpt_level level;
    char *advice;
    if (standing_flag(store, p->id, &level, &advice) && advice) {
        char line[2048];
        snprintf(line, sizeof line,
                 "WARNING (%s) in the record: %s (tpt flag list %lld says who raised it and "
                 "who may lift it)",
                 tpt_level_name(level), advice, (long long)p->id);
        putchar('\n');
        cli_wrap(stdout, 0, line);
    }
    free(advice);
}

/* ---- the actions ---- */

static int add(tpt_store *store, const args *a)
{
    tpt_patient p = {.planned_visits = 6};
    int code = text_detail("NAME", a->arg, 1, p.name, sizeof p.name);
    if (code || (code = apply_details(a, false, &p))) return code;
    tpt_clinic clinic;
    tpt_error err = {0};
    /* the clinic, the patient and the details land together, or nothing does */
    if (tpt_store_begin(store, &err) != 0) return cli_report(&err);
    if ((code = cli_clinic_find(store, "patient", a->clinic, true, &clinic))) {
        tpt_store_rollback(store);
        return code;
    }
    p.clinic = clinic.id;
    if (tpt_store_patient_add(store, p.name, clinic.id, &p.id, &err) != 0 ||
        tpt_store_patient_save(store, &p, &err) != 0)
        code = cli_report(&err);
    if ((code = cli_change_end(store, code, 0, "added the patient", p.id))) return code;
    if (a->json)
        return cli_print_json(json_pack("{s:o}", "patient", tpt_patient_details_json(&p)), stdout,
                              0);
    printf("Added patient %lld, %s, to %s (clinic %lld).\n", (long long)p.id, p.name, clinic.name,
           (long long)clinic.id);
    printf("Next: tpt visit add %lld --note FILE\n", (long long)p.id);
    return 0;
}

static int list(tpt_store *store, const args *a)
{
    tpt_clinic clinic;
    int code = cli_clinic_find(store, "patient", a->clinic, false, &clinic);
    if (code) return code;
    if (a->search && strlen(a->search) > 200)
        return cli_usage("patient", "--search takes at most 200 characters");
    tpt_patient_list list = {0};
    tpt_error err = {0};
    if (clinic.id &&
        tpt_store_patient_list(store, clinic.id, a->search, a->archived, 1000000, &list, &err) != 0)
        return cli_report(&err);
    if (a->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < list.count; i++) {
            json_t *o = tpt_patient_details_json(&list.items[i]);
            tpt_level level;
            char *advice;
            size_t n = standing_flag(store, list.items[i].id, &level, &advice);
            free(advice);
            json_object_set_new(o, "flag", n ? json_string(tpt_level_name(level)) : json_null());
            json_array_append_new(items, o);
        }
        code = cli_print_json(json_pack("{s:o}", "patients", items), stdout, 0);
    } else if (list.count == 0) {
        if (a->search && *a->search)
            printf("No %spatient's name holds '%s'.\n", a->archived ? "archived " : "", a->search);
        else if (a->archived)
            printf("No archived patients.\n");
        else
            printf("No patients yet: add one with tpt patient add NAME.\n");
    } else {
        printf("%6s  %-32s  %-4s  %s\n", "ID", "NAME", "BORN", "CONSENT");
        for (size_t i = 0; i < list.count; i++) {
            const tpt_patient *p = &list.items[i];
            char born[16], consent[64];
            if (p->birth_year)
                snprintf(born, sizeof born, "%d", p->birth_year);
            else
                snprintf(born, sizeof born, "-");
            consent_text(p->consent, consent, sizeof consent);
            printf("%6lld  %-32s  %-4s  %s", (long long)p->id, p->name, born, consent);
            tpt_level level;
            char *advice;
            if (standing_flag(store, p->id, &level, &advice))
                printf("  WARNING: %s", tpt_level_name(level));
            free(advice);
            putchar('\n');
        }
    }
    tpt_patient_list_free(&list);
    return code;
}

static int one(tpt_store *store, const args *a, tpt_clinic *clinic, tpt_patient *p)
{
    int64_t id;
    int code = cli_parse_id("patient", "ID", a->arg, &id);
    if (code || (code = cli_clinic_find(store, "patient", a->clinic, false, clinic))) return code;
    return cli_clinic_patient(store, clinic->id, id, p);
}

/* The course of care in words: the verdict and whether a reassessment is due. */
static void print_course(const json_t *course, int64_t id)
{
    const char *verdict = json_string_value(json_object_get(course, "verdict"));
    json_t *due = json_object_get(course, "reassessment_due");
    char line[1024];
    snprintf(line, sizeof line, "Course of care (%s): %s", verdict,
             json_string_value(json_object_get(course, "sentence")));
    putchar('\n');
    cli_wrap(stdout, 0, line);
    if (json_is_integer(due)) {
        snprintf(line, sizeof line,
                 "Reassessment due at visit %lld: take the outcome measures (tpt measure add "
                 "%lld INSTRUMENT ITEM=VALUE... --visit %lld).",
                 (long long)json_integer_value(due), (long long)id,
                 (long long)json_integer_value(due));
        cli_wrap(stdout, 0, line);
    }
}

static int show(tpt_store *store, const args *a)
{
    tpt_clinic clinic;
    tpt_patient p;
    tpt_error err = {0};
    int code = one(store, a, &clinic, &p);
    if (code) return code;
    tpt_instruments *set = tpt_instruments_default(&err);
    json_t *course = set ? tpt_course_json(set, store, p.id, &err) : NULL;
    tpt_instruments_free(set);
    if (!course) return cli_report(&err);
    if (a->json)
        return cli_print_json(
            json_pack("{s:o, s:o}", "patient", tpt_patient_details_json(&p), "course", course),
            stdout, 0);
    print_details(store, &clinic, &p);
    print_course(course, p.id);
    json_decref(course);
    return 0;
}

static int edit(tpt_store *store, const args *a)
{
    tpt_clinic clinic;
    tpt_patient p;
    tpt_error err = {0};
    int code = one(store, a, &clinic, &p);
    if (code || (code = apply_details(a, true, &p))) return code;
    if ((code = cli_change_begin(store))) return code;
    if (tpt_store_patient_save(store, &p, &err) != 0) code = cli_report(&err);
    if ((code = cli_change_end(store, code, 0, "changed the patient's details", p.id))) return code;
    if (a->json)
        return cli_print_json(json_pack("{s:o}", "patient", tpt_patient_details_json(&p)), stdout,
                              0);
    printf("Changed.\n");
    print_details(store, &clinic, &p);
    return 0;
}

static int erase(tpt_store *store, const args *a)
{
    tpt_clinic clinic;
    tpt_patient p;
    tpt_error err = {0};
    char now[TPT_TIME_MAX];
    int code = one(store, a, &clinic, &p);
    if (code || (code = cli_change_begin(store))) return code;
    cli_now(now);
    if (tpt_store_patient_erase(store, p.id, now, 0, &err) != 0) code = cli_report(&err);
    if ((code = cli_change_end(store, code, 0, "erased the record on the patient's request", p.id)))
        return code;
    char shown[TPT_NAME_MAX * 4 + 1];
    printf("Erased the record of patient %lld, %s: everything in it is removed; a tombstone and "
           "its audit log stay.\n",
           (long long)p.id, tpt_text_printable(p.name, shown, sizeof shown));
    return 0;
}

static int archive(tpt_store *store, const args *a, bool restore)
{
    tpt_clinic clinic;
    tpt_patient p;
    tpt_error err = {0};
    int code = one(store, a, &clinic, &p);
    if (code) return code;
    if (restore ? !*p.archived : !!*p.archived) {
        printf("Patient %lld, %s, is %s already.\n", (long long)p.id, p.name,
               restore ? "on the list" : "archived");
        return 0;
    }
    if (restore)
        p.archived[0] = '\0';
    else
        cli_now(p.archived);
    if ((code = cli_change_begin(store))) return code;
    if (tpt_store_patient_save(store, &p, &err) != 0) code = cli_report(&err);
    if ((code = cli_change_end(store, code, 0,
                               restore ? "restored the patient" : "archived the patient", p.id)))
        return code;
    char done[600];
    if (restore)
        snprintf(done, sizeof done, "Restored patient %lld, %s, to the list.", (long long)p.id,
                 p.name);
    else
        snprintf(done, sizeof done,
                 "Archived patient %lld, %s: the record is kept, off the list (tpt patient list "
                 "--archived shows it; tpt patient restore %lld brings it back).",
                 (long long)p.id, p.name, (long long)p.id);
    cli_wrap(stdout, 0, done);
    return 0;
}

int cmd_patient(int argc, char **argv)
{
    static const struct option options[] = {
        {"birth-year", required_argument, NULL, 'b'},
        {"contact", required_argument, NULL, 'C'},
        {"consent", required_argument, NULL, 's'},
        {"visits", required_argument, NULL, 'v'},
        {"name", required_argument, NULL, 'n'},
        {"search", required_argument, NULL, 'q'},
        {"archived", no_argument, NULL, 'a'},
        {"yes", no_argument, NULL, 'y'},
        {0},
    };
    args a = {0};
    int opt;
    cli_args opts;
    cli_args_init(&opts, "patient", argc, argv, options, CLI_CLINIC | CLI_DB | CLI_JSON);
    while ((opt = cli_args_next(&opts)) > 0) {
        switch (opt) {
        case 'b':
            a.birth = optarg;
            break;
        case 'C':
            a.contact = optarg;
            break;
        case 's':
            a.consent = optarg;
            break;
        case 'v':
            a.visits = optarg;
            break;
        case 'n':
            a.name = optarg;
            break;
        case 'q':
            a.search = optarg;
            break;
        case 'a':
            a.archived = true;
            break;
        case 'y':
            a.yes = true;
            break;
        }
    }
    if (opt < 0) return opts.code;
    a.clinic = opts.common.clinic;
    a.db = opts.common.db;
    a.json = opts.common.json;
    if (optind >= argc)
        return cli_usage("patient", "say add, list, show, edit, archive, restore or erase");
    a.verb = argv[optind++];
    size_t v = 0;
    while (v < sizeof verbs / sizeof *verbs && strcmp(verbs[v].name, a.verb) != 0)
        v++;
    if (v == sizeof verbs / sizeof *verbs)
        return cli_usage("patient",
                         "unknown action '%s' (add, list, show, edit, archive, restore or erase)",
                         a.verb);
    int code = cli_args_only(&opts, a.verb, verbs[v].options);
    if (code) return code;
    if (verbs[v].nargs && optind >= argc)
        return cli_usage("patient", "%s needs %s", a.verb,
                         v == 0 ? "the patient's NAME" : "the patient's ID");
    if (verbs[v].nargs) a.arg = argv[optind++];
    if (optind < argc)
        return cli_usage("patient", "unexpected argument '%s'%s", argv[optind],
                         v == 0 ? " (put a name of several words in quotes)" : "");
    /* everything typed is checked before the database is opened */
    tpt_patient typed = {.planned_visits = 6};
    int64_t id;
    if (v == 0) code = text_detail("NAME", a.arg, 1, typed.name, sizeof typed.name);
    if (!code && v >= 2) code = cli_parse_id("patient", "ID", a.arg, &id);
    if (!code) code = apply_details(&a, v == 3, &typed);
    if (code) return code;
    if (v == 3 && !a.name && !a.birth && !a.contact && !a.consent && !a.visits)
        return cli_usage("patient", "say what to change: --name, --birth-year, --contact, "
                                    "--consent or --visits");
    if (v == 6 && !a.yes)
        return cli_usage("patient", "erasing removes everything in the record for good: add "
                                    "--yes when the patient has asked for it");

    tpt_store *store;
    if ((code = cli_open_store(a.db, &store, NULL))) return code;
    switch (v) {
    case 0:
        code = add(store, &a);
        break;
    case 1:
        code = list(store, &a);
        break;
    case 2:
        code = show(store, &a);
        break;
    case 3:
        code = edit(store, &a);
        break;
    case 6:
        code = erase(store, &a);
        break;
    default:
        code = archive(store, &a, v == 5);
        break;
    }
    tpt_store_close(store);
    return code;
}
