/* The record behind the commands: where the database is, the current time,
 * and times typed by a person. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "tpt/json.h"

int cli_open_store(const char *db_path, tpt_store **store, int64_t *patient)
{
    char path[4096];
    tpt_error err = {0};
    if (!db_path) {
        if (tpt_store_default(path, sizeof path) != 0) {
            fprintf(stderr, "tpt: no place for the database: set XDG_DATA_HOME or HOME, or give "
                            "--db PATH\n");
            return TPT_EXIT_BAD_INPUT;
        }
        db_path = path;
    }
    if (tpt_store_open(db_path, store, &err) != 0) return cli_report(&err);
    if (patient && tpt_store_self(*store, patient, &err) != 0) {
        tpt_store_close(*store);
        *store = NULL;
        return cli_report(&err);
    }
    return 0;
}

bool cli_drawing_typed(const char *const *findings, size_t nfindings, char *const *marks,
                       size_t nmarks, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < nfindings + nmarks; i++) {
        int n = i < nfindings ? snprintf(out + used, size - used, "--finding %s ", findings[i])
                              : snprintf(out + used, size - used, "%s%s", i > nfindings ? " " : "",
                                         marks[i - nfindings]);
        if (n < 0 || (size_t)n >= size - used) return false;
        used += (size_t)n;
    }
    return true;
}

void cli_now(char out[TPT_TIME_MAX])
{
    tpt_time_format((int64_t)time(NULL), out);
}

int cli_parse_time(const char *text, char out[TPT_TIME_MAX])
{
    struct tm tm = {0};
    const char *end = strptime(text, "%Y-%m-%dT%H:%M", &tm);
    if (!end) end = strptime(text, "%Y-%m-%d %H:%M", &tm);
    if (!end) {
        memset(&tm, 0, sizeof tm);
        end = strptime(text, "%Y-%m-%d", &tm);
        if (end && *end) end = NULL;
    }
    if (!end) return -1;
    if (*end == ':') { /* seconds */
        char *after;
        long sec = strtol(end + 1, &after, 10);
        if (after == end + 1 || sec < 0 || sec > 60) return -1;
        tm.tm_sec = (int)sec;
        end = after;
    }
    time_t t;
    struct tm typed = tm;
    if (*end == 'Z' && end[1] == '\0') {
        t = timegm(&tm);
    } else if (*end == '\0') {
        tm.tm_isdst = -1; /* a time a person types is their local time */
        t = mktime(&tm);
    } else {
        return -1;
    }
    /* mktime would turn February 30 into March 2: a date that moved did not exist */
    if (t == (time_t)-1 || tm.tm_mday != typed.tm_mday || tm.tm_mon != typed.tm_mon ||
        tm.tm_year != typed.tm_year)
        return -1;
    tpt_time_format((int64_t)t, out);
    return 0;
}

void cli_local_time(const char *at, char *out, size_t size)
{
    int64_t seconds;
    if (tpt_time_parse(at, &seconds) != 0) {
        snprintf(out, size, "%s", at);
        return;
    }
    time_t t = (time_t)seconds;
    struct tm local;
    localtime_r(&t, &local);
    strftime(out, size, "%Y-%m-%d %H:%M", &local);
}

int cli_save_record(const char *db_path, tpt_record_kind kind, const char *summary,
                    const char *input, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | TPT_JSON_DUMP_FLAGS) : NULL;
    json_decref(body);
    if (!text) {
        fprintf(stderr, "tpt: out of memory: the %s was not saved\n", tpt_record_kind_name(kind));
        return 1;
    }
    tpt_store *store;
    int64_t patient;
    int code = cli_open_store(db_path, &store, &patient);
    if (!code) {
        tpt_record r = {.patient = patient, .kind = kind};
        r.summary = (char *)summary;
        r.input = (char *)input;
        r.json = text;
        cli_now(r.at);
        tpt_error err = {0};
        if (tpt_store_record_add(store, &r, NULL, &err) != 0) code = cli_report(&err);
        tpt_store_close(store);
    }
    if (code) fprintf(stderr, "tpt: the %s was not saved\n", tpt_record_kind_name(kind));
    free(text);
    return code;
}

int64_t cli_time_seconds(const char *at)
{
    int64_t seconds;
    return tpt_time_parse(at, &seconds) == 0 ? seconds : 0;
}
