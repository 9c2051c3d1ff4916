/* store.h for every backend: picks the backend of a database's address,
 * checks every argument once, here, and hands the call to the backend's
 * table (backend.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "backend.h"
#include "tpt/printable.h"
#include "tpt/time.h"

/* The backends of this build, asked in turn which opens an address. */
static const tpt__store_backend *const backends[] = {
    &tpt__sqlite_backend,
#ifdef TPT_WITH_POSTGRES
    &tpt__pg_backend,
#endif
};

/* The length of the scheme of "scheme://...", or 0 when uri is no URI: a
 * letter, then letters, digits, + - . (RFC 3986). */
static size_t scheme_length(const char *uri)
{
    size_t n = 0;
    while ((uri[n] >= 'a' && uri[n] <= 'z') || (uri[n] >= 'A' && uri[n] <= 'Z') ||
           (n > 0 &&
            ((uri[n] >= '0' && uri[n] <= '9') || uri[n] == '+' || uri[n] == '-' || uri[n] == '.')))
        n++;
    return n > 0 && strncmp(uri + n, "://", 3) == 0 ? n : 0;
}

bool tpt_store_is_uri(const char *uri)
{
    return scheme_length(uri) > 0;
}

/* The backend that opens uri: the one of its scheme, or of file paths. */
static const tpt__store_backend *backend_of(const char *uri)
{
    size_t n = scheme_length(uri);
    for (size_t i = 0; i < sizeof backends / sizeof *backends; i++) {
        const char *const *scheme = backends[i]->schemes;
        if (!scheme && !n) return backends[i];
        for (; scheme && *scheme; scheme++)
            if (n && strlen(*scheme) == n && strncmp(uri, *scheme, n) == 0) return backends[i];
    }
    return NULL;
}

static int open_with(const char *uri, unsigned flags, tpt_store **out, tpt_error *err)
{
    *out = NULL;
    if (!uri || !*uri) return tpt_error_set(err, TPT_ERR_INPUT, "no database given");
    const tpt__store_backend *backend = backend_of(uri);
    if (!backend &&
        (strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0))
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "this tpt was built without PostgreSQL: give the path of a SQLite "
                             "database instead");
    if (!backend)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "'%.*s' is no database address tpt knows: give a file path or a "
                             "postgresql:// URI",
                             (int)scheme_length(uri), uri);
    int rc = backend->open(uri, flags, out, err);
    if (rc == 0) {
        (*out)->backend = backend;
        (*out)->depth = 0;
        (*out)->scope = TPT_SCOPE_ALL;
    }
    return rc;
}

int tpt_store_open(const char *uri, tpt_store **out, tpt_error *err)
{
    return open_with(uri, 0, out, err);
}

int tpt_store_migrate(const char *uri, tpt_error *err)
{
    tpt_store *s;
    int rc = open_with(uri, TPT__OPEN_MIGRATE, &s, err);
    if (!rc) tpt_store_close(s);
    return rc;
}

int tpt_store_ping(tpt_store *s, tpt_error *err)
{
    if (s->depth > 0)
        return tpt_error_set(err, TPT_ERR_INPUT, "a ping is not made inside a transaction");
    return s->backend->ping(s, err);
}

int tpt_store_now(tpt_store *s, char out[TPT_TIME_MAX], tpt_error *err)
{
    return s->backend->now(s, out, err);
}

int tpt_store_scope(tpt_store *s, int64_t clinic, tpt_error *err)
{
    if (clinic < TPT_SCOPE_NONE)
        return tpt_error_set(err, TPT_ERR_INPUT, "no such scope %lld", (long long)clinic);
    s->scope = clinic;
    return s->backend->scope ? s->backend->scope(s, err) : 0;
}

void tpt_store_close(tpt_store *s)
{
    if (s) s->backend->close(s);
}

int tpt_store_version(tpt_store *s)
{
    return s->backend->version(s);
}

int tpt_store_latest_version(void)
{
    /* every backend keeps the same versions: version N is the same tables */
    return backends[0]->latest_version;
}

int tpt_store_default(char *out, size_t size)
{
    const char *given = getenv("TPT_DB");
    if (given && *given) {
        if (strlen(given) >= size) return -1;
        snprintf(out, size, "%s", given);
        return 0;
    }
    const char *data = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    char dir[4096];
    if (data && *data)
        snprintf(dir, sizeof dir, "%s/tpt", data);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.local/share/tpt", home);
    else
        return -1;
    /* make the directories one level at a time, as mkdir -p would */
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        mkdir(dir, 0700);
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) return -1;
    snprintf(out, size, "%s/tpt.db", dir);
    return 0;
}

/* ---- the checks, once for every backend ---- */

static int check_name(const char *name, const char *what, tpt_error *err)
{
    if (!name || !*name || strlen(name) > TPT_NAME_MAX)
        return tpt_error_set(err, TPT_ERR_INPUT, "a %s needs a name of 1 to %d characters", what,
                             TPT_NAME_MAX);
    if (tpt_text_has_control(name, false))
        return tpt_error_set(err, TPT_ERR_INPUT, "a %s's name has a control character", what);
    return 0;
}

static int check_range(int value, int min, int max, const char *what, tpt_error *err)
{
    if (value == -1 || (value >= min && value <= max)) return 0;
    return tpt_error_set(err, TPT_ERR_INPUT, "%s must be a whole number from %d to %d", what, min,
                         max);
}

static int check_text(const char *text, const char *what, tpt_error *err)
{
    if (text && strlen(text) > TPT_TEXT_MAX)
        return tpt_error_set(err, TPT_ERR_INPUT, "%s is longer than %d bytes", what, TPT_TEXT_MAX);
    if (tpt_text_has_control(text, true))
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "%s has a control character (only line breaks and tabs may be in it)",
                             what);
    return 0;
}

/* An account's email: at most TPT_EMAIL_MAX bytes with an @, no control
 * characters or spaces. */
static int check_email(const char *email, tpt_error *err)
{
    if (email && strchr(email, '@') && strlen(email) <= TPT_EMAIL_MAX &&
        !tpt_text_has_control(email, false) && !strchr(email, ' '))
        return 0;
    return tpt_error_set(err, TPT_ERR_INPUT,
                         "an email address has an @, at most %d characters "
                         "and no spaces or control characters",
                         TPT_EMAIL_MAX);
}

static int check_id(int64_t id, const char *what, tpt_error *err)
{
    return id > 0 ? 0 : tpt_error_set(err, TPT_ERR_INPUT, "no such %s", what);
}

/* ---- patients ---- */

int tpt_store_self(tpt_store *s, int64_t *patient, tpt_error *err)
{
    return s->backend->self(s, patient, err);
}

int tpt_store_patient_add(tpt_store *s, const char *name, int64_t clinic, int64_t *patient,
                          tpt_error *err)
{
    int rc = check_name(name, "patient", err);
    return rc ? rc : s->backend->patient_add(s, name, clinic, patient, err);
}

int tpt_store_patient_check(tpt_store *s, int64_t patient, tpt_error *err)
{
    return s->backend->patient_check(s, patient, err);
}

char *tpt_store_patient_name(tpt_store *s, int64_t patient)
{
    return s->backend->patient_name(s, patient);
}

int tpt_store_patient_clinic(tpt_store *s, int64_t patient, int64_t *clinic, tpt_error *err)
{
    return s->backend->patient_clinic(s, patient, clinic, err);
}

int tpt_store_patient_update(tpt_store *s, int64_t patient, const char *name, int64_t clinic,
                             tpt_error *err)
{
    int rc = check_name(name, "patient", err);
    return rc ? rc : s->backend->patient_update(s, patient, name, clinic, err);
}

int tpt_store_patient_get(tpt_store *s, int64_t id, tpt_patient *out, tpt_error *err)
{
    return s->backend->patient_get(s, id, out, err);
}

int tpt_store_patient_save(tpt_store *s, const tpt_patient *p, tpt_error *err)
{
    /* the one check that needs today's date: a birth year cannot be ahead of it */
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    int rc;
    if ((rc = check_name(p->name, "patient", err))) return rc;
    if (p->birth_year && (p->birth_year < 1900 || p->birth_year > tm.tm_year + 1900))
        return tpt_error_set(err, TPT_ERR_INPUT, "a birth year is from 1900 to this year");
    if (strlen(p->contact) > TPT_NAME_MAX || tpt_text_has_control(p->contact, false))
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "a contact has at most %d characters and no control characters",
                             TPT_NAME_MAX);
    if (p->planned_visits < 1 || p->planned_visits > 50)
        return tpt_error_set(err, TPT_ERR_INPUT, "a course of care plans 1 to 50 visits");
    if ((*p->consent && (rc = tpt_time_check(p->consent, err))) ||
        (*p->archived && (rc = tpt_time_check(p->archived, err))))
        return rc;
    return s->backend->patient_save(s, p, err);
}

int tpt_store_patient_list(tpt_store *s, int64_t clinic, const char *query, bool archived,
                           size_t limit, tpt_patient_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->patient_list(s, clinic, query, archived, limit, out, err);
}

int tpt_store_patient_set_private(tpt_store *s, int64_t patient, int64_t user, tpt_error *err)
{
    if (user < 0) return tpt_error_set(err, TPT_ERR_INPUT, "no such account");
    return s->backend->patient_set_private(s, patient, user, err);
}

int tpt_store_patient_erase(tpt_store *s, int64_t patient, const char *at, int64_t by,
                            tpt_error *err)
{
    int rc = tpt_time_check(at, err);
    if (!rc) rc = check_id(patient, "patient", err);
    return rc ? rc : s->backend->patient_erase(s, patient, at, by, err);
}

/* ---- log entries and records ---- */

/* The values of a log entry, for adding it or correcting it. */
static int check_log_entry(tpt_store *s, const tpt_log_entry *e, tpt_error *err)
{
    int rc;
    if ((rc = tpt_time_check(e->at, err)) ||
        (rc = check_range(e->leg_pain, 0, 10, "leg pain", err)) ||
        (rc = check_range(e->back_pain, 0, 10, "back pain", err)) ||
        (rc = check_range(e->sitting_minutes, 0, 1440, "sitting minutes", err)) ||
        (rc = check_range(e->walking_minutes, 0, 1440, "walking minutes", err)) ||
        (rc = check_range(e->sleep_disturbed, 0, 1, "sleep disturbed", err)) ||
        (rc = check_text(e->medication, "medication", err)) ||
        (rc = check_text(e->note, "the note", err)) ||
        (rc = s->backend->patient_check(s, e->patient, err)))
        return rc;
    if (e->leg_pain < 0 && e->back_pain < 0 && e->sitting_minutes < 0 && e->walking_minutes < 0 &&
        e->sleep_disturbed < 0 && !e->medication && !e->note)
        return tpt_error_set(err, TPT_ERR_INPUT, "a log entry needs at least one value");
    return 0;
}

int tpt_store_log_add(tpt_store *s, const tpt_log_entry *e, int64_t *id, tpt_error *err)
{
    int rc = check_log_entry(s, e, err);
    return rc ? rc : s->backend->log_add(s, e, id, err);
}

int tpt_store_log_update(tpt_store *s, const tpt_log_entry *e, tpt_error *err)
{
    int rc = check_log_entry(s, e, err);
    return rc ? rc : s->backend->log_update(s, e, err);
}

int tpt_store_log_remove(tpt_store *s, int64_t patient, int64_t id, tpt_error *err)
{
    return s->backend->log_remove(s, patient, id, err);
}

int tpt_store_log_list(tpt_store *s, int64_t patient, tpt_log_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->log_list(s, patient, out, err);
}

int tpt_store_record_add(tpt_store *s, const tpt_record *r, int64_t *id, tpt_error *err)
{
    int rc;
    if ((unsigned)r->kind >= TPT_RECORD_KIND_COUNT)
        return tpt_error_set(err, TPT_ERR_INPUT, "unknown record kind");
    if (!r->summary || !r->json)
        return tpt_error_set(err, TPT_ERR_INPUT, "a record needs a summary and a body");
    if ((rc = tpt_time_check(r->at, err)) || (rc = s->backend->patient_check(s, r->patient, err)))
        return rc;
    return s->backend->record_add(s, r, id, err);
}

int tpt_store_record_list(tpt_store *s, int64_t patient, int kind, tpt_record_list *out,
                          tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->record_list(s, patient, kind < TPT_RECORD_KIND_COUNT ? kind : -1, out, err);
}

int tpt_store_record_update(tpt_store *s, const tpt_record *r, tpt_error *err)
{
    if ((unsigned)r->kind >= TPT_RECORD_KIND_COUNT)
        return tpt_error_set(err, TPT_ERR_INPUT, "unknown record kind");
    if (!r->summary || !r->json)
        return tpt_error_set(err, TPT_ERR_INPUT, "a record needs a summary and a body");
    return s->backend->record_update(s, r, err);
}

int tpt_store_record_remove(tpt_store *s, int64_t patient, tpt_record_kind kind, int64_t id,
                            tpt_error *err)
{
    if ((unsigned)kind >= TPT_RECORD_KIND_COUNT)
        return tpt_error_set(err, TPT_ERR_INPUT, "unknown record kind");
    return s->backend->record_remove(s, patient, kind, id, err);
}

/* ---- assessments ---- */

/* An id as the screen's rules, the atlas's warnings and the instruments name
 * them: 1 to max bytes of a-z, 0-9 and '-' (a flag's, an instrument's). */
static bool id_ok(const char *id, size_t max)
{
    size_t n = strlen(id);
    if (n == 0 || n > max) return false;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
            return false;
    return true;
}

int tpt_store_assessment_add(tpt_store *s, const tpt_assessment *a, int64_t *id, tpt_error *err)
{
    int rc;
    if ((rc = tpt_time_check(a->at, err)) || (rc = s->backend->patient_check(s, a->patient, err)))
        return rc;
    if (a->author <= 0)
        return tpt_error_set(err, TPT_ERR_INPUT, "an assessment needs the clinician's account");
    if (a->record <= 0)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "an assessment names the screen or drawing that raised the flag");
    if (!id_ok(a->flag, TPT_FLAG_ID_MAX))
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "a flag's id is 1 to %d characters of a-z, 0-9 and '-', not '%.80s'",
                             TPT_FLAG_ID_MAX, a->flag);
    if (!a->finding || !*a->finding || strlen(a->finding) > TPT_TEXT_MAX)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "what the clinician found is a text of 1 to %d bytes", TPT_TEXT_MAX);
    return s->backend->assessment_add(s, a, id, err);
}

int tpt_store_assessment_list(tpt_store *s, int64_t patient, tpt_assessment_list *out,
                              tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->assessment_list(s, patient, out, err);
}

/* ---- visits, amendments, measures ---- */

int tpt_store_visit_add(tpt_store *s, const tpt_visit *v, int64_t *id, int *number, tpt_error *err)
{
    int rc;
    if ((rc = tpt_time_check(v->at, err)) || (rc = s->backend->patient_check(s, v->patient, err)))
        return rc;
    if (!v->note) return tpt_error_set(err, TPT_ERR_INPUT, "a visit needs its note");
    return s->backend->visit_add(s, v, id, number, err);
}

int tpt_store_visit_update(tpt_store *s, int64_t id, const char *note, const char *result,
                           tpt_error *err)
{
    if (!note) return tpt_error_set(err, TPT_ERR_INPUT, "a visit needs its note");
    return s->backend->visit_update(s, id, note, result, err);
}

int tpt_store_visit_sign(tpt_store *s, int64_t id, int64_t user, const char *at, tpt_error *err)
{
    int rc = tpt_time_check(at, err);
    return rc ? rc : s->backend->visit_sign(s, id, user, at, err);
}

int tpt_store_visit_list(tpt_store *s, int64_t patient, tpt_visit_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->visit_list(s, patient, out, err);
}

int tpt_store_amendment_add(tpt_store *s, int64_t visit, int64_t author, const char *at,
                            const char *text, int64_t *id, tpt_error *err)
{
    int rc = tpt_time_check(at, err);
    if (rc) return rc;
    if (!text || !*text || strlen(text) > TPT_TEXT_MAX)
        return tpt_error_set(err, TPT_ERR_INPUT, "an amendment is a text of 1 to %d bytes",
                             TPT_TEXT_MAX);
    if ((rc = check_text(text, "an amendment", err))) return rc;
    return s->backend->amendment_add(s, visit, author, at, text, id, err);
}

int tpt_store_amendment_list(tpt_store *s, int64_t visit, tpt_amendment_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->amendment_list(s, visit, out, err);
}

int tpt_store_measure_add(tpt_store *s, const tpt_measure *m, int64_t *id, tpt_error *err)
{
    int rc;
    if ((rc = tpt_time_check(m->at, err)) || (rc = s->backend->patient_check(s, m->patient, err)))
        return rc;
    if (!*m->instrument || !m->answers)
        return tpt_error_set(err, TPT_ERR_INPUT, "a measure needs its instrument and answers");
    return s->backend->measure_add(s, m, id, err);
}

int tpt_store_measure_list(tpt_store *s, int64_t patient, tpt_measure_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->measure_list(s, patient, out, err);
}

int tpt_store_measure_update(tpt_store *s, const tpt_measure *m, tpt_error *err)
{
    if (!m->answers) return tpt_error_set(err, TPT_ERR_INPUT, "a measure needs its answers");
    return s->backend->measure_update(s, m, err);
}

int tpt_store_measure_remove(tpt_store *s, int64_t patient, int64_t id, tpt_error *err)
{
    return s->backend->measure_remove(s, patient, id, err);
}

/* ---- a clinic's licensed item texts ---- */

static int check_instrument(const char *instrument, tpt_error *err)
{
    if (id_ok(instrument, TPT_INSTRUMENT_ID_MAX)) return 0;
    return tpt_error_set(err, TPT_ERR_INPUT,
                         "an instrument's id is 1 to %d characters of a-z, 0-9 and '-', not "
                         "'%.80s'",
                         TPT_INSTRUMENT_ID_MAX, instrument);
}

int tpt_store_instrument_text_set(tpt_store *s, const tpt_instrument_text *t, bool *replaced,
                                  tpt_error *err)
{
    tpt_clinic clinic;
    int rc;
    if ((rc = tpt_time_check(t->at, err)) || (rc = check_instrument(t->instrument, err)) ||
        (rc = check_name(t->file, "licensed text's file", err)))
        return rc;
    if (!t->text || !*t->text || strlen(t->text) > TPT_INSTRUMENT_TEXT_MAX)
        return tpt_error_set(err, TPT_ERR_INPUT, "an item-text file is 1 to %u bytes",
                             TPT_INSTRUMENT_TEXT_MAX);
    if (t->clinic <= 0)
        return tpt_error_set(err, TPT_ERR_INPUT, "there is no clinic %lld", (long long)t->clinic);
    if ((rc = s->backend->clinic_get(s, t->clinic, &clinic, err))) return rc;
    bool had = false;
    if ((rc = s->backend->instrument_text_set(s, t, &had, err))) return rc;
    if (replaced) *replaced = had;
    return 0;
}

int tpt_store_instrument_text_delete(tpt_store *s, int64_t clinic, const char *instrument,
                                     tpt_error *err)
{
    int rc = check_instrument(instrument, err);
    return rc ? rc : s->backend->instrument_text_delete(s, clinic, instrument, err);
}

int tpt_store_instrument_text_list(tpt_store *s, int64_t clinic, tpt_instrument_text_list *out,
                                   tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->instrument_text_list(s, clinic, out, err);
}

/* ---- transactions and safety ---- */

static int begin(tpt_store *s, bool hold, tpt_error *err)
{
    int rc = s->backend->begin(s, s->depth + 1, hold, err);
    if (rc == 0) s->depth++;
    return rc;
}

int tpt_store_begin(tpt_store *s, tpt_error *err)
{
    return begin(s, true, err);
}

int tpt_store_begin_shared(tpt_store *s, tpt_error *err)
{
    return begin(s, false, err);
}

int tpt_store_commit(tpt_store *s, tpt_error *err)
{
    if (s->depth == 0)
        return tpt_error_set(err, TPT_ERR_INPUT, "no transaction is open on this store");
    int rc = s->backend->commit(s, s->depth, err);
    /* a failed commit leaves the group open, for the caller to roll back */
    if (rc == 0) s->depth--;
    return rc;
}

void tpt_store_rollback(tpt_store *s)
{
    if (s->depth == 0) return;
    s->backend->rollback(s, s->depth);
    s->depth--;
}

int tpt_store_backup(tpt_store *s, const char *dest, tpt_error *err)
{
    return s->backend->backup(s, dest, err);
}

int tpt_store_check(tpt_store *s, tpt_error *err)
{
    return s->backend->check(s, err);
}

/* ---- clinics and accounts ---- */

int tpt_store_clinic_add(tpt_store *s, const char *name, int64_t *id, tpt_error *err)
{
    int rc = check_name(name, "clinic", err);
    return rc ? rc : s->backend->clinic_add(s, name, id, err);
}

int tpt_store_clinic_get(tpt_store *s, int64_t id, tpt_clinic *out, tpt_error *err)
{
    return s->backend->clinic_get(s, id, out, err);
}

int tpt_store_clinic_list(tpt_store *s, tpt_clinic_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->clinic_list(s, out, err);
}

int tpt_store_user_count(tpt_store *s, int64_t *count, tpt_error *err)
{
    return s->backend->user_count(s, count, err);
}

/* (backend.h) */
int tpt__check_language(const char *language, tpt_error *err)
{
    size_t n = strnlen(language, TPT_LANGUAGE_MAX);
    bool ok = n == 0 || (n >= 2 && n < TPT_LANGUAGE_MAX);
    for (size_t i = 0; ok && i < n; i++)
        ok = (language[i] >= 'a' && language[i] <= 'z') || (i >= 2 && language[i] == '-');
    return ok ? 0
              : tpt_error_set(
                    err, TPT_ERR_INPUT,
                    "a language is a tag of 2 to %d letters a-z and '-' (\"de\"), or \"\"",
                    TPT_LANGUAGE_MAX - 1);
}

int tpt_store_user_add(tpt_store *s, const tpt_user *u, int64_t *id, tpt_error *err)
{
    int rc;
    if ((rc = check_name(u->name, "account", err)) || (rc = check_email(u->email, err))) return rc;
    if ((unsigned)u->role > TPT_ROLE_OPERATOR)
        return tpt_error_set(err, TPT_ERR_INPUT, "unknown role");
    if ((u->role == TPT_ROLE_OPERATOR) != (u->clinic == 0))
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "an operator belongs to no clinic; every other account to one");
    if ((rc = tpt__check_language(u->language, err))) return rc;
    if (u->home != 0 && u->home != 1)
        return tpt_error_set(err, TPT_ERR_INPUT, "an account is used at home (1) or not (0)");
    return s->backend->user_add(s, u, id, err);
}

int tpt_store_user_by_email(tpt_store *s, const char *email, tpt_user *out, tpt_error *err)
{
    return s->backend->user_by_email(s, email, out, err);
}

int tpt_store_user_by_id(tpt_store *s, int64_t id, tpt_user *out, tpt_error *err)
{
    return s->backend->user_by_id(s, id, out, err);
}

int tpt_store_user_of_patient(tpt_store *s, int64_t patient, tpt_user *out, tpt_error *err)
{
    return s->backend->user_of_patient(s, patient, out, err);
}

int tpt_store_user_list(tpt_store *s, int64_t clinic, tpt_user_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->user_list(s, clinic, out, err);
}

int tpt_store_user_set_patient(tpt_store *s, int64_t id, int64_t patient, tpt_error *err)
{
    return s->backend->user_set_patient(s, id, patient, err);
}

int tpt_store_user_set_password(tpt_store *s, int64_t id, const char *hash, tpt_error *err)
{
    return s->backend->user_set_password(s, id, hash, err);
}

int tpt_store_user_set_role(tpt_store *s, int64_t id, tpt_role role, tpt_error *err)
{
    if (role != TPT_ROLE_ADMIN && role != TPT_ROLE_PRACTITIONER)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "an account's role changes between admin and practitioner only");
    tpt_user u;
    int rc = s->backend->user_by_id(s, id, &u, err);
    if (rc) return rc;
    if (u.role != TPT_ROLE_ADMIN && u.role != TPT_ROLE_PRACTITIONER)
        return tpt_error_set(err, TPT_ERR_INPUT, "a %s account's role does not change",
                             tpt_role_name(u.role));
    return s->backend->user_set_role(s, id, role, err);
}

int tpt_store_user_set_disabled(tpt_store *s, int64_t id, const char *at, tpt_error *err)
{
    int rc = at && *at ? tpt_time_check(at, err) : 0;
    return rc ? rc : s->backend->user_set_disabled(s, id, at ? at : "", err);
}

int tpt_store_user_delete(tpt_store *s, int64_t id, const char *at, tpt_error *err)
{
    int rc = tpt_time_check(at, err);
    return rc ? rc : s->backend->user_delete(s, id, at, err);
}

int tpt_store_admin_count(tpt_store *s, int64_t clinic, int64_t *count, tpt_error *err)
{
    *count = 0;
    return s->backend->admin_count(s, clinic, count, err);
}

int tpt_store_user_set_settings(tpt_store *s, int64_t id, const char *language, bool home,
                                tpt_error *err)
{
    int rc = tpt__check_language(language ? language : "", err);
    return rc ? rc : s->backend->user_set_settings(s, id, language ? language : "", home, err);
}

int tpt_store_sign_in_failures(tpt_store *s, const char *key, tpt_sign_in_failures *out,
                               tpt_error *err)
{
    memset(out, 0, sizeof *out);
    return s->backend->sign_in_failures(s, key, out, err);
}

int tpt_store_sign_in_reserve(tpt_store *s, const tpt_sign_in_attempt *a, bool *allowed,
                              tpt_sign_in_failures *out, tpt_error *err)
{
    int rc;
    memset(out, 0, sizeof *out);
    *allowed = false;
    if (!a->key || !*a->key) return tpt_error_set(err, TPT_ERR_INPUT, "a sign-in needs its key");
    if ((rc = tpt_time_check(a->now, err)) || (rc = tpt_time_check(a->forget_before, err)))
        return rc;
    if (a->free_failures < 1 || a->max_wait < 1)
        return tpt_error_set(err, TPT_ERR_INPUT, "a sign-in's slowing needs positive numbers");
    return s->backend->sign_in_reserve(s, a, allowed, out, err);
}

int tpt_store_sign_in_clear(tpt_store *s, const char *key, tpt_error *err)
{
    return s->backend->sign_in_clear(s, key, err);
}

int tpt_store_sign_in_forgive(tpt_store *s, const char *key, tpt_error *err)
{
    return s->backend->sign_in_forgive(s, key, err);
}

int tpt_store_auth_session_add(tpt_store *s, const tpt_auth_session *a, tpt_error *err)
{
    return s->backend->auth_session_add(s, a, err);
}

int tpt_store_auth_session_find(tpt_store *s, const uint8_t *token_hash, tpt_auth_session *out,
                                tpt_error *err)
{
    return s->backend->auth_session_find(s, token_hash, out, err);
}

int tpt_store_auth_session_delete(tpt_store *s, const uint8_t *token_hash, tpt_error *err)
{
    return s->backend->auth_session_delete(s, token_hash, err);
}

int tpt_store_auth_session_delete_user(tpt_store *s, int64_t user, const uint8_t *keep,
                                       int64_t *ended, tpt_error *err)
{
    if (ended) *ended = 0;
    return s->backend->auth_session_delete_user(s, user, keep, ended, err);
}

int tpt_store_invitation_add(tpt_store *s, const tpt_invitation *inv, tpt_error *err)
{
    int rc;
    if ((rc = tpt_time_check(inv->created, err)) || (rc = tpt_time_check(inv->expires, err)) ||
        (rc = check_name(inv->name, "person invited", err)) ||
        (*inv->email && (rc = check_email(inv->email, err))))
        return rc;
    if ((unsigned)inv->role > TPT_ROLE_PATIENT)
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "an invitation is for a patient, a "
                             "practitioner or an admin");
    return s->backend->invitation_add(s, inv, err);
}

int tpt_store_invitation_find(tpt_store *s, const uint8_t *token_hash, tpt_invitation *out,
                              tpt_error *err)
{
    return s->backend->invitation_find(s, token_hash, out, err);
}

int tpt_store_invitation_use(tpt_store *s, const uint8_t *token_hash, const char *at,
                             tpt_error *err)
{
    int rc = tpt_time_check(at, err);
    return rc ? rc : s->backend->invitation_use(s, token_hash, at, err);
}

int tpt_store_invitation_list(tpt_store *s, int64_t clinic, const char *now,
                              tpt_invitation_list *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = tpt_time_check(now, err);
    return rc ? rc : s->backend->invitation_list(s, clinic, now, out, err);
}

int tpt_store_invitation_get(tpt_store *s, int64_t id, tpt_invitation *out, tpt_error *err)
{
    return s->backend->invitation_get(s, id, out, err);
}

int tpt_store_invitation_withdraw(tpt_store *s, int64_t id, const char *at, tpt_error *err)
{
    int rc = tpt_time_check(at, err);
    return rc ? rc : s->backend->invitation_withdraw(s, id, at, err);
}

int tpt_store_invitation_fail(tpt_store *s, const uint8_t *token_hash, int max, const char *at,
                              int *failures, tpt_error *err)
{
    int rc = tpt_time_check(at, err);
    if (!rc && max < 1)
        rc = tpt_error_set(err, TPT_ERR_INPUT, "the bound of failures is 1 or more");
    return rc ? rc : s->backend->invitation_fail(s, token_hash, max, at, failures, err);
}

int tpt_store_reset_add(tpt_store *s, const tpt_password_reset *r, tpt_error *err)
{
    int rc;
    if ((rc = tpt_time_check(r->created, err)) || (rc = tpt_time_check(r->expires, err)) ||
        (rc = check_id(r->user, "account", err)))
        return rc;
    return s->backend->reset_add(s, r, err);
}

int tpt_store_reset_find(tpt_store *s, const uint8_t *token_hash, tpt_password_reset *out,
                         tpt_error *err)
{
    return s->backend->reset_find(s, token_hash, out, err);
}

int tpt_store_reset_use(tpt_store *s, const uint8_t *token_hash, const char *at, tpt_error *err)
{
    int rc = tpt_time_check(at, err);
    return rc ? rc : s->backend->reset_use(s, token_hash, at, err);
}

/* ---- settings ---- */

#define SETTING_MAX 200

int tpt_store_setting_get(tpt_store *s, const char *key, char *out, size_t size, tpt_error *err)
{
    if (size) *out = '\0';
    if (!key || !*key || strlen(key) > SETTING_MAX || size < 2)
        return tpt_error_set(err, TPT_ERR_INPUT, "a setting's name and room for its value");
    return s->backend->setting_get(s, key, out, size, err);
}

int tpt_store_setting_set(tpt_store *s, const char *key, const char *value, tpt_error *err)
{
    if (!key || !*key || strlen(key) > SETTING_MAX || !value || strlen(value) > SETTING_MAX ||
        tpt_text_has_control(value, false))
        return tpt_error_set(err, TPT_ERR_INPUT,
                             "a setting is a name and a value of at most %d "
                             "characters",
                             SETTING_MAX);
    return s->backend->setting_set(s, key, value, err);
}
