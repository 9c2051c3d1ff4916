/* tpt appointment: a clinic's appointments on the command line, the same
 * calls the web calendar makes (record/calendar.h): book, list, show, move,
 * cancel, mark arrived or no-show, and book a course at once. Times are
 * typed on the clinic's clock (its time zone); every change is in the audit
 * log, and queues the emails the web application's sender then sends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "cli_calendar.h"
#include "tpt/mail.h"

const char cmd_appointment_help[] =
    "usage: tpt appointment add PATIENT --at TIME --practitioner EMAIL\n"
    "                           (--service ID|NAME | --minutes N) [--location ID]\n"
    "                           [--note TEXT]\n"
    "       tpt appointment list [--from DATE] [--days N] [--practitioner EMAIL]\n"
    "                            [--patient ID] [--cancelled]\n"
    "       tpt appointment show ID\n"
    "       tpt appointment move ID [--at TIME] [--practitioner EMAIL]\n"
    "                               [--service ID|NAME] [--location ID] [--note TEXT]\n"
    "       tpt appointment cancel ID [--reason TEXT]\n"
    "       tpt appointment mark ID arrived|no-show|booked\n"
    "       tpt appointment series PATIENT --first TIME --practitioner EMAIL\n"
    "                              --service ID|NAME [--count N]\n"
    "                              [--per-week N | --every-days N] [--book]\n"
    "  each with [--as EMAIL] [--json] [--clinic ID] [--db PATH]\n"
    "\n"
    "A clinic's appointments, as the web calendar shows them (tpt serve). Times\n"
    "are typed and shown on the clinic's clock, in its time zone (set in the\n"
    "clinic's settings, or: tpt availability zone). No two appointments of one\n"
    "practitioner overlap: a time taken is refused with exit status 3.\n"
    "\n"
    "add      books an appointment: the service gives its length; a confirmation\n"
    "         and a reminder are queued for the patient's email\n"
    "list     the appointments of a week (or --days) from today (or --from), by\n"
    "         time; of one practitioner or patient (all of the patient's)\n"
    "show     one appointment, its status and the emails about it\n"
    "move     another time, practitioner, service or place; the patient is told\n"
    "cancel   cancels it (late when within the clinic's late-cancellation hours)\n"
    "mark     arrived, no-show, or booked again\n"
    "series   the course of care at once: the follow-ups at the clinic's spacing\n"
    "         (or --per-week, --every-days), each checked against the calendar,\n"
    "         the reassessments at the third and the last visit marked; shows\n"
    "         them, and with --book books them all, or none when one is taken\n"
    "\n"
    "options:\n"
    "  --at TIME           2026-11-24T10:00 on the clinic's clock\n"
    "  --practitioner EMAIL  the practitioner's account\n"
    "  --service ID|NAME   a service of the clinic (its id, or its name)\n"
    "  --minutes N         the length, when no service is named\n"
    "  --location ID       where (default: the clinic's only location)\n"
    "  --note TEXT         a note for the calendar\n"
    "  --reason TEXT       why it is cancelled (the patient is told)\n"
    "  --from DATE         the first day listed, 2026-11-24 (default today)\n"
    "  --days N            how many days, 1 to 31 (default 7)\n"
    "  --patient ID        only this patient's appointments\n"
    "  --cancelled         the cancelled ones too\n"
    "  --first TIME        the course's first follow-up\n"
    "  --count N           how many (default: the rest of the planned course)\n"
    "  --per-week N        visits a week, 1 to 7; --every-days N: 1 to 28 days apart\n"
    "  --book              book the course (else it is only shown)\n"
    "  --as EMAIL          the account that makes the change, for the audit log\n"
    "  --json              as JSON, as the web application's API answers\n"
    "  --clinic ID         the clinic (needed when the database holds several)\n"
    "  --db PATH           the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "example: tpt appointment add 1 --at 2026-11-24T10:00 --practitioner ruth@clinic.example \\\n"
    "             --service \"First visit\"\n";

enum {
    O_DB = CLI_DB,
    O_JSON = CLI_JSON,
    O_CLINIC = CLI_CLINIC,
    O_AS = CLI_AS,
    O_AT = CLI_OWN(0),
    O_PRACTITIONER = CLI_OWN(1),
    O_SERVICE = CLI_OWN(2),
    O_LOCATION = CLI_OWN(3),
    O_MINUTES = CLI_OWN(4),
    O_NOTE = CLI_OWN(5),
    O_REASON = CLI_OWN(6),
    O_FROM = CLI_OWN(7),
    O_DAYS = CLI_OWN(8),
    O_PATIENT = CLI_OWN(9),
    O_CANCELLED = CLI_OWN(10),
    O_FIRST = CLI_OWN(11),
    O_COUNT = CLI_OWN(12),
    O_PER_WEEK = CLI_OWN(13),
    O_EVERY = CLI_OWN(14),
    O_BOOK = CLI_OWN(15),
};
#define COMMON (O_DB | O_JSON | O_CLINIC | O_AS)

enum { ADD, LIST, SHOW, MOVE, CANCEL, MARK, SERIES, NVERBS };
static const struct {
    const char *name;
    unsigned options, required;
    int nargs;
} verbs[NVERBS] = {
    [ADD] = {"add", COMMON | O_AT | O_PRACTITIONER | O_SERVICE | O_MINUTES | O_LOCATION | O_NOTE,
             O_AT | O_PRACTITIONER, 1},
    [LIST] = {"list", COMMON | O_FROM | O_DAYS | O_PRACTITIONER | O_PATIENT | O_CANCELLED, 0, 0},
    [SHOW] = {"show", COMMON, 0, 1},
    [MOVE] = {"move", COMMON | O_AT | O_PRACTITIONER | O_SERVICE | O_LOCATION | O_NOTE, 0, 1},
    [CANCEL] = {"cancel", COMMON | O_REASON, 0, 1},
    [MARK] = {"mark", COMMON, 0, 2},
    [SERIES] = {"series",
                COMMON | O_FIRST | O_PRACTITIONER | O_SERVICE | O_LOCATION | O_COUNT | O_PER_WEEK |
                    O_EVERY | O_BOOK,
                O_FIRST | O_PRACTITIONER | O_SERVICE, 1},
};

typedef struct args {
    int verb;
    const char *arg, *status;
    const char *at, *practitioner, *service, *location, *minutes, *note, *reason, *from, *days,
        *patient, *first, *count, *per_week, *every;
    bool cancelled, book;
    cli_common common;
} args;

/* ---- printing ---- */

static const char *status_words(const char *status, bool late)
{
    if (strcmp(status, "cancelled") == 0) return late ? "cancelled late" : "cancelled";
    if (strcmp(status, "no-show") == 0) return "did not come";
    return status;
}

static void print_line(const json_t *a)
{
    const char *local = json_string_value(json_object_get(a, "local_start"));
    const char *end = json_string_value(json_object_get(a, "local_end"));
    json_t *service = json_object_get(a, "service"), *location = json_object_get(a, "location");
    char extra[64] = "";
    json_int_t visit = json_integer_value(json_object_get(a, "course_visit"));
    if (visit)
        snprintf(extra, sizeof extra, "  visit %lld%s", (long long)visit,
                 json_is_true(json_object_get(a, "reassessment")) ? ", reassessment" : "");
    printf("  %.5s-%.5s  #%-4lld %-22.22s %-18.18s %-16.16s %-14.14s %s%s\n", local + 11, end + 11,
           (long long)json_integer_value(json_object_get(a, "id")),
           json_string_value(json_object_get(json_object_get(a, "patient"), "name")),
           json_is_object(service) ? json_string_value(json_object_get(service, "name")) : "-",
           json_string_value(json_object_get(json_object_get(a, "practitioner"), "name")),
           json_is_object(location) ? json_string_value(json_object_get(location, "name")) : "-",
           status_words(json_string_value(json_object_get(a, "status")),
                        json_is_true(json_object_get(a, "late_cancel"))),
           extra);
}

/* The appointments by day, each day under its date in words. */
static void print_days(const json_t *list, const char *zone)
{
    char day[16] = "";
    size_t i;
    json_t *a;
    if (!json_array_size(list)) printf("No appointments.\n");
    json_array_foreach(list, i, a)
    {
        const char *local = json_string_value(json_object_get(a, "local_start"));
        if (strncmp(day, local, 10) != 0) {
            int64_t t;
            char words[96];
            snprintf(day, sizeof day, "%.10s", local);
            tpt_local_parse(local, &t);
            tpt_when_words(NULL, t, words, sizeof words);
            *strstr(words, " at ") = '\0';
            printf("%s%s (%s)\n", i ? "\n" : "", words, zone);
        }
        print_line(a);
    }
}

static void print_one(tpt_store *store, const tpt_calendar *cal, const tpt_appointment *a)
{
    json_t *o = tpt_appointment_json(cal, a);
    char when[96];
    int64_t t;
    tpt_local_parse(json_string_value(json_object_get(o, "local_start")), &t);
    tpt_when_words(NULL, t, when, sizeof when);
    printf("Appointment %lld: %s, %s\n", (long long)a->id, a->patient_name, when);
    printf("  until       %s (%s)\n", json_string_value(json_object_get(o, "local_end")) + 11,
           cal->profile.zone);
    printf("  with        %s\n", a->practitioner_name);
    if (*a->service_name) printf("  service     %s\n", a->service_name);
    if (*a->location_name) printf("  where       %s\n", a->location_name);
    printf("  status      %s\n",
           status_words(tpt_appointment_status_name(a->status), a->late_cancel));
    if (*a->reason) printf("  reason      %s\n", a->reason);
    if (*a->note) printf("  note        %s\n", a->note);
    if (a->course_visit)
        printf("  course      visit %d%s\n", a->course_visit,
               a->reassessment ? ": reassessment (the outcome measures are due)" : "");
    if (a->visit)
        printf("  visit note  %d (tpt visit show %lld %d)\n", a->visit, (long long)a->patient,
               a->visit);
    tpt_message_list list;
    if (tpt_store_message_list(store, a->clinic, a->patient, 0, 200, &list, NULL) == 0) {
        for (size_t i = 0; i < list.count; i++) {
            const tpt_message *m = &list.items[i];
            if (m->appointment != a->id) continue;
            char due[64];
            cli_local_time(m->due, due, sizeof due);
            printf("  email       %s, %s (due %s)%s%s%s\n", tpt_message_kind_name(m->kind),
                   tpt_message_state_name(m->state), due, *m->to ? "" : ": no email address",
                   *m->error ? ": " : "", m->error);
        }
        tpt_message_list_free(&list);
    }
    json_decref(o);
}

/* ---- the actions ---- */

static int id_of(const char *what, const char *text, int64_t *out)
{
    return text ? cli_parse_id("appointment", what, text, out) : 0;
}

static int report_change(tpt_calendar *cal, const args *a, const tpt_appointment *done,
                         const char *said)
{
    if (a->common.json)
        return cli_print_json(json_pack("{s:o}", "appointment", tpt_appointment_json(cal, done)),
                              stdout, 0);
    printf("%s\n", said);
    print_one(cal->store, cal, done);
    return 0;
}

static int book(tpt_calendar *cal, const args *a)
{
    tpt_booking b = {.source = "command-line", .note = a->note};
    int code;
    if ((code = id_of("PATIENT", a->arg, &b.patient)) ||
        (code = id_of("--location", a->location, &b.location)) ||
        (code = cli_calendar_practitioner(cal, a->practitioner, &b.practitioner)) ||
        (code = cli_calendar_time(cal, "--at", a->at, &b.start)))
        return code;
    if (a->service && (code = cli_calendar_service(cal, a->service, &b.service))) return code;
    if (!a->service && !a->minutes)
        return cli_usage("appointment", "add needs --service ID|NAME or --minutes N");
    if (a->minutes) b.minutes = atoi(a->minutes);
    tpt_patient p;
    if ((code = cli_clinic_patient(cal->store, cal->profile.clinic, b.patient, &p))) return code;
    tpt_appointment done;
    tpt_error err = {0};
    if (tpt_calendar_book(cal, &b, &done, &err) != 0) return cli_report(&err);
    return report_change(cal, a, &done, "Booked.");
}

static int list(tpt_calendar *cal, const args *a)
{
    int64_t patient = 0, practitioner = 0, day;
    int days = a->days ? atoi(a->days) : 7, code;
    tpt_error err = {0};
    if (a->days && (days < 1 || days > 31))
        return cli_usage("appointment", "--days takes 1 to 31, not '%s'", a->days);
    if ((code = id_of("--patient", a->patient, &patient)) ||
        (a->practitioner &&
         (code = cli_calendar_practitioner(cal, a->practitioner, &practitioner))))
        return code;
    if (tpt_calendar_day(cal, a->from, &day, &err) != 0)
        return cli_usage("appointment", "--from: %s", err.message);
    char from[TPT_TIME_MAX], to[TPT_TIME_MAX];
    tpt_time_format(tpt_zone_to_utc(cal->zone, day * 86400, NULL), from);
    tpt_time_format(tpt_zone_to_utc(cal->zone, (day + days) * 86400, NULL), to);
    tpt_appointment_filter f = {.clinic = cal->profile.clinic,
                                .patient = patient,
                                .practitioner = practitioner,
                                .from = patient ? NULL : from,
                                .to = patient ? NULL : to,
                                .cancelled = a->cancelled};
    tpt_appointment_list found;
    if (tpt_store_appointment_list(cal->store, &f, &found, &err) != 0) return cli_report(&err);
    json_t *items = json_array();
    for (size_t i = 0; i < found.count; i++)
        json_array_append_new(items, tpt_appointment_json(cal, &found.items[i]));
    tpt_appointment_list_free(&found);
    if (a->common.json)
        return cli_print_json(
            json_pack("{s:s, s:o}", "zone", cal->profile.zone, "appointments", items), stdout, 0);
    print_days(items, cal->profile.zone);
    json_decref(items);
    return 0;
}

/* The appointment ID typed: this clinic's. */
static int appointment_of(tpt_calendar *cal, const char *text, tpt_appointment *out)
{
    int64_t id;
    tpt_error err = {0};
    int code = cli_parse_id("appointment", "ID", text, &id);
    if (code) return code;
    if (tpt_calendar_appointment(cal, id, out, &err) == 0) return 0;
    return cli_report(&err);
}

static int change(tpt_calendar *cal, const args *a)
{
    tpt_appointment one, done;
    tpt_error err = {0};
    int code = appointment_of(cal, a->arg, &one);
    if (code) return code;
    if (a->verb == SHOW) {
        if (a->common.json)
            return cli_print_json(
                json_pack("{s:o}", "appointment", tpt_appointment_json(cal, &one)), stdout, 0);
        print_one(cal->store, cal, &one);
        return 0;
    }
    int rc;
    const char *said;
    if (a->verb == MOVE) {
        tpt_move m = {.note = a->note};
        if ((a->at && (code = cli_calendar_time(cal, "--at", a->at, &m.start))) ||
            (a->practitioner &&
             (code = cli_calendar_practitioner(cal, a->practitioner, &m.practitioner))) ||
            (a->service && (code = cli_calendar_service(cal, a->service, &m.service))) ||
            (code = id_of("--location", a->location, &m.location)))
            return code;
        if (!a->at && !a->practitioner && !a->service && !a->location && !a->note)
            return cli_usage("appointment", "move needs what changes: --at, --practitioner, "
                                            "--service, --location or --note");
        rc = tpt_calendar_move(cal, one.id, &m, &done, &err);
        said = "Moved; the patient is told.";
    } else if (a->verb == CANCEL) {
        rc = tpt_calendar_cancel(cal, one.id, a->reason, &done, &err);
        said = "Cancelled; the patient is told.";
    } else {
        tpt_appointment_status status;
        if (tpt_appointment_status_parse(a->status, &status) != 0 ||
            status == TPT_APPOINTMENT_CANCELLED)
            return cli_usage("appointment",
                             "mark takes arrived, no-show or booked, not '%s' (to "
                             "cancel: tpt appointment cancel)",
                             a->status);
        rc = tpt_calendar_mark(cal, one.id, status, &done, &err);
        said = "Marked.";
    }
    if (rc) return cli_report(&err);
    return report_change(cal, a, &done, said);
}

static int series(tpt_calendar *cal, const args *a)
{
    tpt_series_request r = {0};
    int code;
    if ((code = id_of("PATIENT", a->arg, &r.patient)) ||
        (code = id_of("--location", a->location, &r.location)) ||
        (code = cli_calendar_practitioner(cal, a->practitioner, &r.practitioner)) ||
        (code = cli_calendar_service(cal, a->service, &r.service)) ||
        (code = cli_calendar_time(cal, "--first", a->first, &r.first)))
        return code;
    tpt_patient p;
    if ((code = cli_clinic_patient(cal->store, cal->profile.clinic, r.patient, &p))) return code;
    if (a->count) r.count = atoi(a->count);
    if (a->per_week) r.spacing.per_week = atoi(a->per_week);
    if (a->every) r.spacing.every_days = atoi(a->every);
    if ((a->count && (r.count < 1 || r.count > 50)) || (a->per_week && a->every) ||
        (a->per_week && (r.spacing.per_week < 1 || r.spacing.per_week > 7)) ||
        (a->every && (r.spacing.every_days < 1 || r.spacing.every_days > 28)))
        return cli_usage("appointment", "--count takes 1 to 50, and either --per-week 1 to 7 or "
                                        "--every-days 1 to 28");
    tpt_error err = {0};
    json_t *out = a->book ? tpt_calendar_series_book(cal, &r, &err)
                          : tpt_calendar_series_preview(cal, &r, &err);
    if (!out) return cli_report(&err);
    if (a->common.json) return cli_print_json(out, stdout, 0);
    if (a->book) {
        printf("Booked the course (%zu visits); one confirmation names them all.\n",
               json_array_size(json_object_get(out, "appointments")));
        print_days(json_object_get(out, "appointments"), cal->profile.zone);
    } else {
        printf("The course for %s: %lld of %lld planned visits before it (%s).\n", p.name,
               (long long)json_integer_value(json_object_get(out, "visits_before")),
               (long long)json_integer_value(json_object_get(out, "planned_visits")),
               cal->profile.zone);
        size_t i;
        json_t *v;
        bool all_free = true;
        json_array_foreach(json_object_get(out, "visits"), i, v)
        {
            const char *status = json_string_value(json_object_get(v, "status"));
            json_t *alt = json_object_get(v, "alternative");
            char when[96];
            int64_t t;
            tpt_local_parse(json_string_value(json_object_get(v, "local")), &t);
            tpt_when_words(NULL, t, when, sizeof when);
            all_free &= strcmp(status, "free") == 0;
            printf("  visit %-2lld %-36s %s%s",
                   (long long)json_integer_value(json_object_get(v, "course_visit")), when, status,
                   json_is_true(json_object_get(v, "reassessment")) ? ", reassessment" : "");
            if (json_is_object(alt))
                printf(" (next free: %s)", json_string_value(json_object_get(alt, "local")) + 0);
            printf("\n");
        }
        printf(all_free ? "Book them with --book.\n"
                        : "--book books them as shown (outside the hours too); a time taken "
                          "stops the whole course. Or choose another --first or spacing.\n");
    }
    json_decref(out);
    return 0;
}

int cmd_appointment(int argc, char **argv)
{
    static const struct option options[] = {
        {"at", required_argument, NULL, 'a'},
        {"practitioner", required_argument, NULL, 'p'},
        {"service", required_argument, NULL, 's'},
        {"location", required_argument, NULL, 'l'},
        {"minutes", required_argument, NULL, 'm'},
        {"note", required_argument, NULL, 'n'},
        {"reason", required_argument, NULL, 'r'},
        {"from", required_argument, NULL, 'f'},
        {"days", required_argument, NULL, 'd'},
        {"patient", required_argument, NULL, 'P'},
        {"cancelled", no_argument, NULL, 'c'},
        {"first", required_argument, NULL, 'F'},
        {"count", required_argument, NULL, 'C'},
        {"per-week", required_argument, NULL, 'w'},
        {"every-days", required_argument, NULL, 'e'},
        {"book", no_argument, NULL, 'b'},
        {0},
    };
    args a = {0};
    int opt;
    cli_args opts;
    cli_args_init(&opts, "appointment", argc, argv, options, COMMON);
    while ((opt = cli_args_next(&opts)) > 0) {
        switch (opt) {
        case 'a':
            a.at = optarg;
            break;
        case 'p':
            a.practitioner = optarg;
            break;
        case 's':
            a.service = optarg;
            break;
        case 'l':
            a.location = optarg;
            break;
        case 'm':
            a.minutes = optarg;
            break;
        case 'n':
            a.note = optarg;
            break;
        case 'r':
            a.reason = optarg;
            break;
        case 'f':
            a.from = optarg;
            break;
        case 'd':
            a.days = optarg;
            break;
        case 'P':
            a.patient = optarg;
            break;
        case 'c':
            a.cancelled = true;
            break;
        case 'F':
            a.first = optarg;
            break;
        case 'C':
            a.count = optarg;
            break;
        case 'w':
            a.per_week = optarg;
            break;
        case 'e':
            a.every = optarg;
            break;
        case 'b':
            a.book = true;
            break;
        }
    }
    if (opt < 0) return opts.code;
    a.common = opts.common;
    if (optind >= argc)
        return cli_usage("appointment", "say add, list, show, move, cancel, mark or series");
    const char *verb = argv[optind++];
    for (a.verb = 0; a.verb < NVERBS && strcmp(verbs[a.verb].name, verb) != 0; a.verb++)
        ;
    if (a.verb == NVERBS)
        return cli_usage("appointment",
                         "unknown action '%s' (add, list, show, move, cancel, mark or series)",
                         verb);
    int code = cli_args_only(&opts, verb, verbs[a.verb].options);
    if (code) return code;
    static const struct {
        unsigned bit;
        const char *name;
    } needs[] = {{O_AT, "--at TIME"},
                 {O_PRACTITIONER, "--practitioner EMAIL"},
                 {O_FIRST, "--first TIME"},
                 {O_SERVICE, "--service ID|NAME"}};
    for (size_t i = 0; i < sizeof needs / sizeof *needs; i++)
        if ((verbs[a.verb].required & needs[i].bit) && !(opts.given & needs[i].bit))
            return cli_usage("appointment", "%s needs %s", verb, needs[i].name);
    static const char *const what[] = {"its ID (or the PATIENT's)", "the status"};
    const char **slots[] = {&a.arg, &a.status};
    for (int i = 0; i < verbs[a.verb].nargs; i++) {
        if (optind >= argc) return cli_usage("appointment", "%s needs %s", verb, what[i]);
        *slots[i] = argv[optind++];
    }
    if (optind < argc) return cli_usage("appointment", "unexpected argument '%s'", argv[optind]);
    if (a.minutes && (atoi(a.minutes) < 5 || atoi(a.minutes) > 480))
        return cli_usage("appointment", "--minutes takes 5 to 480, not '%s'", a.minutes);

    tpt_store *store;
    tpt_calendar cal;
    if ((code = cli_calendar_open(&a.common, "appointment", &store, &cal))) return code;
    if (a.verb == ADD)
        code = book(&cal, &a);
    else if (a.verb == LIST)
        code = list(&cal, &a);
    else if (a.verb == SERIES)
        code = series(&cal, &a);
    else
        code = change(&cal, &a);
    tpt_calendar_close(&cal);
    tpt_store_close(store);
    return code;
}
