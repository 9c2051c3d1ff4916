/* tpt availability: when a clinic can see people. The open slots of a
 * service, a practitioner's working hours (shown, or set from a JSON
 * file), and the clinic's time zone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_calendar.h"
#include "record/zone_file.h"
#include "tpt/mail.h"

const char cmd_availability_help[] =
    "usage: tpt availability [--service ID|NAME] [--practitioner EMAIL] [--location ID]\n"
    "                        [--from DATE] [--days N]\n"
    "       tpt availability hours EMAIL [--set FILE]\n"
    "       tpt availability zone [ZONE]\n"
    "  each with [--as EMAIL] [--json] [--clinic ID] [--db PATH]\n"
    "\n"
    "When the clinic can see people, on its clock.\n"
    "\n"
    "(none)   the open slots of a service (the clinic's only one unless\n"
    "         --service), over a week from today, of every practitioner who\n"
    "         gives it or of one: within their working hours, clear of breaks, days\n"
    "         off and what is booked, on the clinic's grid of starts\n"
    "hours    a practitioner's working hours; --set FILE replaces them with the\n"
    "         JSON of FILE (- for standard input):\n"
    "           {\"weekly\": [{\"day\": \"mon\", \"from\": \"09:00\", \"to\": \"17:00\",\n"
    "                        \"location\": 1}, ...],\n"
    "            \"breaks\": [{\"day\": \"mon\", \"from\": \"12:30\", \"to\": \"13:15\"}],\n"
    "            \"off\": [{\"from\": \"2026-12-24\", \"to\": \"2026-12-31\"}]}\n"
    "         days mon to sun; a location 0 or none is any of the clinic's\n"
    "zone     the clinic's time zone, or with ZONE (an IANA name such as\n"
    "         Europe/London) sets it: times are typed and shown on its clock,\n"
    "         across the changes to and from summer time\n"
    "\n"
    "options:\n"
    "  --service ID|NAME   the service whose length the slots have\n"
    "  --practitioner EMAIL  only this practitioner's slots\n"
    "  --location ID       only at this location\n"
    "  --from DATE         the first day, 2026-11-24 (default today)\n"
    "  --days N            how many days, 1 to 31 (default 7)\n"
    "  --set FILE          the new working hours (hours)\n"
    "  --as EMAIL          the account that makes a change, for the audit log\n"
    "  --json              as JSON, as the web application's API answers\n"
    "  --clinic ID         the clinic (needed when the database holds several)\n"
    "  --db PATH           the database (default $XDG_DATA_HOME/tpt/tpt.db)\n";

enum {
    O_DB = CLI_DB,
    O_JSON = CLI_JSON,
    O_CLINIC = CLI_CLINIC,
    O_AS = CLI_AS,
    O_SERVICE = CLI_OWN(0),
    O_PRACTITIONER = CLI_OWN(1),
    O_LOCATION = CLI_OWN(2),
    O_FROM = CLI_OWN(3),
    O_DAYS = CLI_OWN(4),
    O_SET = CLI_OWN(5),
};
#define COMMON (O_DB | O_JSON | O_CLINIC | O_AS)

typedef struct args {
    const char *service, *practitioner, *location, *from, *days, *set;
    cli_common common;
} args;

static int slots(tpt_calendar *cal, const args *a)
{
    int64_t service = 0, practitioner = 0, location = 0, day;
    int days = a->days ? atoi(a->days) : 7, code = 0;
    tpt_error err = {0};
    if (days < 1 || days > 31)
        return cli_usage("availability", "--days takes 1 to 31, not '%s'", a->days);
    if ((a->location &&
         (code = cli_parse_id("availability", "--location", a->location, &location))) ||
        (a->practitioner &&
         (code = cli_calendar_practitioner(cal, a->practitioner, &practitioner))))
        return code;
    if (a->service) {
        if ((code = cli_calendar_service(cal, a->service, &service))) return code;
    } else { /* the clinic's only service */
        tpt_service_list list;
        size_t open = 0;
        if (tpt_store_service_list(cal->store, cal->profile.clinic, &list, &err) != 0)
            return cli_report(&err);
        for (size_t i = 0; i < list.count; i++)
            if (!list.items[i].archived) open++, service = list.items[i].id;
        tpt_service_list_free(&list);
        if (open != 1)
            return cli_usage("availability",
                             "say which service: --service ID|NAME (the clinic "
                             "has %zu)",
                             open);
    }
    if (tpt_calendar_day(cal, a->from, &day, &err) != 0)
        return cli_usage("availability", "--from: %s", err.message);
    json_t *out = tpt_calendar_slots_json(cal, service, practitioner, location, day, days,
                                          cal->now_seconds, 2000, &err);
    if (!out) return cli_report(&err);
    if (a->common.json) return cli_print_json(out, stdout, 0);
    json_t *v = json_object_get(out, "service");
    printf("Open slots for %s (%lld min), %s:\n", json_string_value(json_object_get(v, "name")),
           (long long)json_integer_value(json_object_get(v, "minutes")), cal->profile.zone);
    char shown[16] = "";
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(out, "slots"), i, s)
    {
        const char *local = json_string_value(json_object_get(s, "local"));
        if (strncmp(shown, local, 10) != 0) {
            int64_t t;
            char words[96];
            snprintf(shown, sizeof shown, "%.10s", local);
            tpt_local_parse(local, &t);
            tpt_when_words(NULL, t, words, sizeof words);
            *strstr(words, " at ") = '\0';
            printf("%s\n", words);
        }
        printf("  %s  %s\n", local + 11,
               json_string_value(json_object_get(json_object_get(s, "practitioner"), "name")));
    }
    if (!json_array_size(json_object_get(out, "slots")))
        printf("  none: no working hours, or all taken\n");
    json_decref(out);
    return 0;
}

static void print_hours(const char *name, const char *zone, const json_t *h)
{
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    static const char *const words[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};
    printf("%s: working hours (%s)\n", name, zone);
    size_t i;
    json_t *s;
    for (int d = 0; d < 7; d++) {
        char line[512] = "";
        json_array_foreach(json_object_get(h, "weekly"), i, s)
        {
            if (strcmp(json_string_value(json_object_get(s, "day")), days[d]) != 0) continue;
            json_int_t at = json_integer_value(json_object_get(s, "location"));
            char place[32] = "";
            if (at) snprintf(place, sizeof place, " at location %lld", (long long)at);
            snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s-%s%s",
                     *line ? ", " : "", json_string_value(json_object_get(s, "from")),
                     json_string_value(json_object_get(s, "to")), place);
        }
        printf("  %-10s %s\n", words[d], *line ? line : "-");
    }
    json_array_foreach(json_object_get(h, "breaks"), i, s) printf(
        "  break      %s %s-%s\n", json_string_value(json_object_get(s, "day")),
        json_string_value(json_object_get(s, "from")), json_string_value(json_object_get(s, "to")));
    json_array_foreach(json_object_get(h, "off"), i, s)
        printf("  off        %s to %s\n", json_string_value(json_object_get(s, "from")),
               json_string_value(json_object_get(s, "to")));
}

static int hours(tpt_calendar *cal, const args *a, const char *email)
{
    int64_t id;
    tpt_practitioner p;
    tpt_error err = {0};
    int code = cli_calendar_practitioner(cal, email, &id);
    if (code) return code;
    if (tpt_store_practitioner_get(cal->store, id, &p, &err) != 0) return cli_report(&err);
    if (a->set) {
        char *text = NULL;
        size_t len;
        if (tpt_file_read(a->set, TPT_HOURS_TEXT_MAX, &text, &len, &err) != 0) {
            tpt_practitioner_free(&p);
            return cli_report(&err);
        }
        free(p.hours);
        p.hours = text;
        /* the hours and their audit line are kept together, or neither */
        if (!(code = cli_change_begin(cal->store))) {
            if (tpt_store_practitioner_save(cal->store, &p, &err) != 0) {
                fprintf(stderr, "tpt: %s: %s\n", strcmp(a->set, "-") ? a->set : "<stdin>",
                        err.message);
                code = tpt_exit_status(err.status);
            }
            code = cli_change_end(cal->store, code, cal->actor,
                                  "changed a practitioner's working hours", 0);
        }
        if (code) {
            tpt_practitioner_free(&p);
            return code;
        }
    }
    json_t *o = tpt_practitioner_json(&p, true);
    tpt_practitioner_free(&p);
    if (a->common.json) return cli_print_json(json_pack("{s:o}", "practitioner", o), stdout, 0);
    print_hours(json_string_value(json_object_get(o, "name")), cal->profile.zone,
                json_object_get(o, "hours"));
    json_decref(o);
    return 0;
}

static int zone(tpt_calendar *cal, const args *a, const char *name)
{
    tpt_error err = {0};
    if (name) {
        tpt_zone *z = tpt_zone_load(name, &err);
        if (!z) return cli_report(&err);
        tpt_zone_free(z);
        snprintf(cal->profile.zone, sizeof cal->profile.zone, "%s", name);
        int code = cli_change_begin(cal->store);
        if (code) return code;
        if (tpt_store_clinic_profile_save(cal->store, &cal->profile, &err) != 0)
            code = cli_report(&err);
        if ((code =
                 cli_change_end(cal->store, code, cal->actor, "changed the clinic's time zone", 0)))
            return code;
    }
    if (a->common.json)
        return cli_print_json(json_pack("{s:s}", "zone", cal->profile.zone), stdout, 0);
    printf("%s\n", cal->profile.zone);
    return 0;
}

int cmd_availability(int argc, char **argv)
{
    static const struct option options[] = {
        {"service", required_argument, NULL, 's'},
        {"practitioner", required_argument, NULL, 'p'},
        {"location", required_argument, NULL, 'l'},
        {"from", required_argument, NULL, 'f'},
        {"days", required_argument, NULL, 'd'},
        {"set", required_argument, NULL, 'S'},
        {0},
    };
    args a = {0};
    int opt;
    cli_args opts;
    cli_args_init(&opts, "availability", argc, argv, options, COMMON);
    while ((opt = cli_args_next(&opts)) > 0) {
        switch (opt) {
        case 's':
            a.service = optarg;
            break;
        case 'p':
            a.practitioner = optarg;
            break;
        case 'l':
            a.location = optarg;
            break;
        case 'f':
            a.from = optarg;
            break;
        case 'd':
            a.days = optarg;
            break;
        case 'S':
            a.set = optarg;
            break;
        }
    }
    if (opt < 0) return opts.code;
    a.common = opts.common;
    const char *verb = optind < argc ? argv[optind++] : NULL;
    const char *arg = optind < argc ? argv[optind++] : NULL;
    bool is_hours = verb && strcmp(verb, "hours") == 0, is_zone = verb && strcmp(verb, "zone") == 0;
    int code;
    if (verb && !is_hours && !is_zone)
        return cli_usage("availability",
                         "unknown action '%s' (hours or zone; none for the open slots)", verb);
    if (optind < argc || (!verb && arg))
        return cli_usage("availability", "unexpected argument '%s'",
                         optind < argc ? argv[optind] : arg);
    if (is_hours && !arg) return cli_usage("availability", "hours needs a practitioner's EMAIL");
    unsigned allowed = is_hours ? COMMON | O_SET
                       : is_zone
                           ? COMMON
                           : COMMON | O_SERVICE | O_PRACTITIONER | O_LOCATION | O_FROM | O_DAYS;
    if ((code = cli_args_only(&opts, verb ? verb : "listing the open slots", allowed))) return code;
    tpt_store *store;
    tpt_calendar cal;
    if ((code = cli_calendar_open(&a.common, "availability", &store, &cal))) return code;
    code = is_hours ? hours(&cal, &a, arg) : is_zone ? zone(&cal, &a, arg) : slots(&cal, &a);
    tpt_calendar_close(&cal);
    tpt_store_close(store);
    return code;
}
