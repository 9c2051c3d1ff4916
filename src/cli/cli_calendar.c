/* The clinic's calendar opened for a command (cli_calendar.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli_calendar.h"

int cli_calendar_open(const cli_common *common, const char *command, tpt_store **store,
                      tpt_calendar *cal)
{
    tpt_clinic clinic;
    tpt_user actor = {0};
    tpt_error err = {0};
    memset(cal, 0, sizeof *cal);
    int code = cli_open_store(common->db, store, NULL);
    if (code) return code;
    if (!(code = cli_clinic_find(*store, command, common->clinic, false, &clinic)) && !clinic.id) {
        fprintf(stderr, "tpt: no clinic in this database yet (tpt patient add makes one)\n");
        code = TPT_EXIT_BAD_INPUT;
    }
    if (!code && common->as) code = cli_account(*store, common->as, clinic.id, &actor);
    if (!code &&
        tpt_calendar_open(cal, *store, clinic.id, actor.id, (int64_t)time(NULL), &err) != 0)
        code = cli_report(&err);
    if (code) {
        tpt_calendar_close(cal);
        tpt_store_close(*store);
        *store = NULL;
    }
    return code;
}

int cli_calendar_practitioner(const tpt_calendar *cal, const char *email, int64_t *out)
{
    tpt_user u;
    int code = cli_account(cal->store, email, cal->profile.clinic, &u);
    if (!code) *out = u.id;
    return code;
}

int cli_calendar_service(const tpt_calendar *cal, const char *text, int64_t *out)
{
    tpt_service_list list;
    tpt_error err = {0};
    char *end;
    long long id = strtoll(text, &end, 10);
    if (tpt_store_service_list(cal->store, cal->profile.clinic, &list, &err) != 0)
        return cli_report(&err);
    *out = 0;
    for (size_t i = 0; i < list.count && !*out; i++)
        if ((*end == '\0' && list.items[i].id == id) || strcasecmp(list.items[i].name, text) == 0)
            *out = list.items[i].id;
    char names[512] = "";
    for (size_t i = 0; i < list.count; i++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%lld %s", i ? "; " : "",
                 (long long)list.items[i].id, list.items[i].name);
    tpt_service_list_free(&list);
    if (*out) return 0;
    fprintf(stderr, "tpt: no service '%s' in the clinic (%s)\n", text,
            *names ? names : "it has none yet: add them in the clinic's settings");
    return TPT_EXIT_BAD_INPUT;
}

int cli_calendar_time(const tpt_calendar *cal, const char *option, const char *text, int64_t *out)
{
    tpt_error err = {0};
    if (tpt_calendar_time(cal, text, out, &err) == 0) return 0;
    return cli_usage("appointment", "%s: %s", option, err.message);
}
