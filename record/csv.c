/* The log and the sessions as CSV (record/csv.h). */
#include <jansson.h>
#include <string.h>

#include "record/csv.h"
#include "record/views.h"

/* One field; quoted when it holds a comma, a quote, CR or LF (RFC 4180). A
 * text a spreadsheet would read as a formula (it starts with = + - @, a tab
 * or CR) gets a ' before it and is quoted, as OWASP advises for CSV
 * injection: patients write the notes that staff open in spreadsheets. */
static void csv_field(tpt_buf *out, const char *s, int first)
{
    if (!first) tpt_buf_puts(out, ",");
    if (!s) return;
    int formula = *s && strchr("=+-@\t\r", *s);
    if (!formula && !strpbrk(s, ",\"\r\n")) {
        tpt_buf_puts(out, s);
        return;
    }
    tpt_buf_puts(out, formula ? "\"'" : "\"");
    for (; *s; s++) {
        if (*s == '"') tpt_buf_puts(out, "\"");
        tpt_buf_put(out, s, 1);
    }
    tpt_buf_puts(out, "\"");
}

/* A number tpt wrote (a session's figures): never a formula, kept as it is. */
static void csv_number(tpt_buf *out, const char *num)
{
    tpt_buf_puts(out, ",");
    tpt_buf_puts(out, num);
}

static void csv_int(tpt_buf *out, int v)
{
    tpt_buf_puts(out, ",");
    if (v >= 0) tpt_buf_printf(out, "%d", v);
}

int tpt_csv_log(tpt_store *store, int64_t patient, tpt_buf *out, tpt_error *err)
{
    tpt_log_list log;
    int rc = tpt_store_log_list(store, patient, &log, err);
    if (rc) return rc;
    tpt_buf_puts(out, "at,leg_pain,back_pain,sitting_minutes,walking_minutes,sleep_disturbed,"
                      "medication,note\r\n");
    for (size_t i = 0; i < log.count; i++) {
        const tpt_log_entry *e = &log.items[i];
        csv_field(out, e->at, 1);
        csv_int(out, e->leg_pain);
        csv_int(out, e->back_pain);
        csv_int(out, e->sitting_minutes);
        csv_int(out, e->walking_minutes);
        csv_field(out, e->sleep_disturbed < 0 ? NULL : e->sleep_disturbed ? "yes" : "no", 0);
        csv_field(out, e->medication, 0);
        csv_field(out, e->note, 0);
        tpt_buf_puts(out, "\r\n");
    }
    tpt_log_list_free(&log);
    return out->failed ? tpt_error_set(err, TPT_ERR_NOMEM, "out of memory") : 0;
}

int tpt_csv_sessions(tpt_store *store, int64_t patient, tpt_buf *out, tpt_error *err)
{
    tpt_record_list sessions;
    int rc = tpt_store_record_list(store, patient, TPT_RECORD_SESSION, &sessions, err);
    if (rc) return rc;
    static const char *const numbers[] = {"steps_done", "steps_total", "seconds", "pain_before",
                                          "pain_after"};
    tpt_buf_puts(out, "at,end,steps_done,steps_total,seconds,pain_before,pain_after\r\n");
    for (size_t i = 0; i < sessions.count; i++) {
        const tpt_record *r = &sessions.items[i];
        json_t *summary = json_loads(r->json, 0, NULL);
        const char *end = json_string_value(json_object_get(summary, "end"));
        csv_field(out, r->at, 1);
        csv_field(out, end ? end : r->summary, 0);
        for (size_t k = 0; k < sizeof numbers / sizeof *numbers; k++) {
            char num[64];
            tpt_json_number_text(json_object_get(summary, numbers[k]), num, sizeof num);
            csv_number(out, num);
        }
        tpt_buf_puts(out, "\r\n");
        json_decref(summary);
    }
    tpt_record_list_free(&sessions);
    return out->failed ? tpt_error_set(err, TPT_ERR_NOMEM, "out of memory") : 0;
}
