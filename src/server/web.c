/* The files of the web UI: web/ compiled into tpt-serve (tools/embed.c), each
 * with a gzip copy made at build time by `gzip -9 -n`, or with --web-root the
 * same names read from disk on every request, so that editing web/ needs no
 * rebuild. Only the names in the table exist, from either source: nothing
 * else under the web root is ever read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

#define EMBEDDED(sym)                                                                              \
    extern const unsigned char sym[], sym##_gz[];                                                  \
    extern const size_t sym##_len, sym##_gz_len;
EMBEDDED(tpt__web_index_html)
EMBEDDED(tpt__web_app_css)
EMBEDDED(tpt__web_app_js)
EMBEDDED(tpt__web_api_js)
EMBEDDED(tpt__web_refusals_js)
EMBEDDED(tpt__web_i18n_js)
EMBEDDED(tpt__web_dom_js)
EMBEDDED(tpt__web_account_js)
EMBEDDED(tpt__web_chart_js)
EMBEDDED(tpt__web_results_js)
EMBEDDED(tpt__web_frame_js)
EMBEDDED(tpt__web_holds_js)
EMBEDDED(tpt__web_care_js)
EMBEDDED(tpt__web_today_js)
EMBEDDED(tpt__web_steps_js)
EMBEDDED(tpt__web_plan_js)
EMBEDDED(tpt__web_corrections_js)
EMBEDDED(tpt__web_log_js)
EMBEDDED(tpt__web_progress_js)
EMBEDDED(tpt__web_record_words_js)
EMBEDDED(tpt__web_outbox_js)
EMBEDDED(tpt__web_session_machine_js)
EMBEDDED(tpt__web_session_js)
EMBEDDED(tpt__web_screen_js)
EMBEDDED(tpt__web_admin_js)
EMBEDDED(tpt__web_accounts_js)
EMBEDDED(tpt__web_clinic_js)
EMBEDDED(tpt__web_visit_js)
EMBEDDED(tpt__web_note_words_js)
EMBEDDED(tpt__web_visit_layout_js)
EMBEDDED(tpt__web_visit_chart_js)
EMBEDDED(tpt__web_visit_assessment_js)
EMBEDDED(tpt__web_visit_fields_js)
EMBEDDED(tpt__web_visit_exam_js)
EMBEDDED(tpt__web_visit_draft_js)
EMBEDDED(tpt__web_visit_signed_js)
EMBEDDED(tpt__web_measures_js)
EMBEDDED(tpt__web_plot_js)
EMBEDDED(tpt__web_outcomes_js)
EMBEDDED(tpt__web_privacy_js)
EMBEDDED(tpt__web_audit_words_js)
EMBEDDED(tpt__web_calendar_css)
EMBEDDED(tpt__web_clock_js)
EMBEDDED(tpt__web_calendar_js)
EMBEDDED(tpt__web_clinic_settings_js)
EMBEDDED(tpt__web_booking_js)
EMBEDDED(tpt__web_intake_js)
EMBEDDED(tpt__web_my_calendar_js)

#define FILE_ENTRY(name, type, sym)                                                                \
    {                                                                                              \
        name, type, sym, &sym##_len, sym##_gz, &sym##_gz_len, 0, "", ""                            \
    }

static struct web_entry {
    const char *name, *type;
    const unsigned char *data;
    const size_t *len;
    const unsigned char *gz;
    const size_t *gz_len;
    int use_gz; /* the gzip copy is enough smaller to be worth it */
    char etag[SRV_ETAG_MAX], etag_gz[SRV_ETAG_MAX];
} files[] = {
    FILE_ENTRY("index.html", "text/html; charset=utf-8", tpt__web_index_html),
    FILE_ENTRY("app.css", "text/css; charset=utf-8", tpt__web_app_css),
    FILE_ENTRY("app.js", "text/javascript; charset=utf-8", tpt__web_app_js),
    FILE_ENTRY("api.js", "text/javascript; charset=utf-8", tpt__web_api_js),
    FILE_ENTRY("refusals.js", "text/javascript; charset=utf-8", tpt__web_refusals_js),
    FILE_ENTRY("i18n.js", "text/javascript; charset=utf-8", tpt__web_i18n_js),
    FILE_ENTRY("dom.js", "text/javascript; charset=utf-8", tpt__web_dom_js),
    FILE_ENTRY("account.js", "text/javascript; charset=utf-8", tpt__web_account_js),
    FILE_ENTRY("chart.js", "text/javascript; charset=utf-8", tpt__web_chart_js),
    FILE_ENTRY("results.js", "text/javascript; charset=utf-8", tpt__web_results_js),
    FILE_ENTRY("frame.js", "text/javascript; charset=utf-8", tpt__web_frame_js),
    FILE_ENTRY("holds.js", "text/javascript; charset=utf-8", tpt__web_holds_js),
    FILE_ENTRY("care.js", "text/javascript; charset=utf-8", tpt__web_care_js),
    FILE_ENTRY("today.js", "text/javascript; charset=utf-8", tpt__web_today_js),
    FILE_ENTRY("steps.js", "text/javascript; charset=utf-8", tpt__web_steps_js),
    FILE_ENTRY("plan.js", "text/javascript; charset=utf-8", tpt__web_plan_js),
    FILE_ENTRY("corrections.js", "text/javascript; charset=utf-8", tpt__web_corrections_js),
    FILE_ENTRY("log.js", "text/javascript; charset=utf-8", tpt__web_log_js),
    FILE_ENTRY("progress.js", "text/javascript; charset=utf-8", tpt__web_progress_js),
    FILE_ENTRY("record_words.js", "text/javascript; charset=utf-8", tpt__web_record_words_js),
    FILE_ENTRY("outbox.js", "text/javascript; charset=utf-8", tpt__web_outbox_js),
    FILE_ENTRY("session_machine.js", "text/javascript; charset=utf-8", tpt__web_session_machine_js),
    FILE_ENTRY("session.js", "text/javascript; charset=utf-8", tpt__web_session_js),
    FILE_ENTRY("screen.js", "text/javascript; charset=utf-8", tpt__web_screen_js),
    FILE_ENTRY("admin.js", "text/javascript; charset=utf-8", tpt__web_admin_js),
    FILE_ENTRY("accounts.js", "text/javascript; charset=utf-8", tpt__web_accounts_js),
    FILE_ENTRY("clinic.js", "text/javascript; charset=utf-8", tpt__web_clinic_js),
    FILE_ENTRY("visit.js", "text/javascript; charset=utf-8", tpt__web_visit_js),
    FILE_ENTRY("note_words.js", "text/javascript; charset=utf-8", tpt__web_note_words_js),
    FILE_ENTRY("visit_layout.js", "text/javascript; charset=utf-8", tpt__web_visit_layout_js),
    FILE_ENTRY("visit_chart.js", "text/javascript; charset=utf-8", tpt__web_visit_chart_js),
    FILE_ENTRY("visit_assessment.js", "text/javascript; charset=utf-8",
               tpt__web_visit_assessment_js),
    FILE_ENTRY("visit_fields.js", "text/javascript; charset=utf-8", tpt__web_visit_fields_js),
    FILE_ENTRY("visit_exam.js", "text/javascript; charset=utf-8", tpt__web_visit_exam_js),
    FILE_ENTRY("visit_draft.js", "text/javascript; charset=utf-8", tpt__web_visit_draft_js),
    FILE_ENTRY("visit_signed.js", "text/javascript; charset=utf-8", tpt__web_visit_signed_js),
    FILE_ENTRY("measures.js", "text/javascript; charset=utf-8", tpt__web_measures_js),
    FILE_ENTRY("plot.js", "text/javascript; charset=utf-8", tpt__web_plot_js),
    FILE_ENTRY("outcomes.js", "text/javascript; charset=utf-8", tpt__web_outcomes_js),
    FILE_ENTRY("privacy.js", "text/javascript; charset=utf-8", tpt__web_privacy_js),
    FILE_ENTRY("audit_words.js", "text/javascript; charset=utf-8", tpt__web_audit_words_js),
    FILE_ENTRY("calendar.css", "text/css; charset=utf-8", tpt__web_calendar_css),
    FILE_ENTRY("clock.js", "text/javascript; charset=utf-8", tpt__web_clock_js),
    FILE_ENTRY("calendar.js", "text/javascript; charset=utf-8", tpt__web_calendar_js),
    FILE_ENTRY("clinic_settings.js", "text/javascript; charset=utf-8", tpt__web_clinic_settings_js),
    FILE_ENTRY("booking.js", "text/javascript; charset=utf-8", tpt__web_booking_js),
    FILE_ENTRY("intake.js", "text/javascript; charset=utf-8", tpt__web_intake_js),
    FILE_ENTRY("my_calendar.js", "text/javascript; charset=utf-8", tpt__web_my_calendar_js),
};

void srv_etag(const void *data, size_t len, const char *suffix, char out[SRV_ETAG_MAX])
{
    /* FNV-1a, 64 bits: a change detector, not a defence; the bytes are ours */
    unsigned long long h = 14695981039346656037ull;
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    snprintf(out, SRV_ETAG_MAX, "\"%016llx%s\"", h, suffix);
}

#define NFILES (sizeof files / sizeof *files)

/* This release: a hash of every file of the UI (tools/web_version.c), which
 * the compiled-in index.html names its files under. */
extern const char tpt__web_version[];

void srv_web_init(void)
{
    for (size_t i = 0; i < NFILES; i++) {
        struct web_entry *f = &files[i];
        srv_etag(f->data, *f->len, "", f->etag);
        /* the gzip copy is a representation of its own, so its own ETag */
        srv_etag(f->gz, *f->gz_len, "-gz", f->etag_gz);
        /* a header and a round trip's worth less, or it is not worth the client's work */
        f->use_gz = *f->gz_len + 256 < *f->len;
    }
}

const char *srv_web_version(void)
{
    return tpt__web_version;
}

/* Reads root/name whole, up to SRV_WEB_FILE_MAX; NULL with err filled. */
static unsigned char *read_file(const char *root, const char *name, size_t *len, unsigned *status,
                                tpt_error *err)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", root, name) >= sizeof path) {
        snprintf(err->message, sizeof err->message, "the web root's path is too long");
        *status = 500;
        return NULL;
    }
    FILE *in = fopen(path, "rb");
    if (!in) {
        snprintf(err->message, sizeof err->message, "cannot read %.300s: %s", path,
                 strerror(errno));
        *status = errno == ENOENT ? 404 : 500;
        return NULL;
    }
    unsigned char *data = malloc(SRV_WEB_FILE_MAX + 1);
    size_t n = data ? fread(data, 1, SRV_WEB_FILE_MAX + 1, in) : 0;
    int failed = !data || ferror(in);
    fclose(in);
    if (failed || n > SRV_WEB_FILE_MAX) {
        if (failed)
            snprintf(err->message, sizeof err->message, "cannot read %.300s", path);
        else
            snprintf(err->message, sizeof err->message, "%.300s is larger than %u bytes", path,
                     SRV_WEB_FILE_MAX);
        free(data);
        *status = 500;
        return NULL;
    }
    *len = n;
    return data;
}

unsigned srv_web_find(const srv_data *data, const char *path, int gzip, srv_web_file *out,
                      tpt_error *err)
{
    memset(out, 0, sizeof *out);
    if (strncmp(path, "/v/", 3) == 0) { /* a release's own address */
        const char *slash = strchr(path + 3, '/');
        size_t n = strlen(tpt__web_version);
        if (!slash || (size_t)(slash - path - 3) != n ||
            strncmp(path + 3, tpt__web_version, n) != 0) {
            snprintf(err->message, sizeof err->message,
                     "%.300s is a file of another release of tpt: load the page again", path);
            return slash ? 503 : 404;
        }
        out->immutable = !data->web_root;
        path = slash;
    }
    const char *name = strcmp(path, "/") == 0 ? "index.html" : path + (path[0] == '/');
    const struct web_entry *f = NULL;
    for (size_t i = 0; i < sizeof files / sizeof *files && !f; i++) {
        if (strcmp(files[i].name, name) == 0) f = &files[i];
    }
    if (!f || (out->immutable && f == &files[0])) { /* the page itself is never versioned */
        snprintf(err->message, sizeof err->message, "no such page: %.300s", path);
        return 404;
    }
    out->type = f->type;
    if (data->web_root) { /* development: always the file as it is now, never gzip */
        unsigned status = 0;
        out->owned = read_file(data->web_root, name, &out->len, &status, err);
        if (!out->owned) return status;
        out->data = out->owned;
        srv_etag(out->data, out->len, "", out->etag);
        return 0;
    }
    out->gzip = gzip && f->use_gz;
    out->data = out->gzip ? f->gz : f->data;
    out->len = out->gzip ? *f->gz_len : *f->len;
    memcpy(out->etag, out->gzip ? f->etag_gz : f->etag, SRV_ETAG_MAX);
    return 0;
}
