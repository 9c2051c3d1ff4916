/* A database copied into another backend's (tpt db migrate --from --to):
 * every row, ids kept, in one transaction of the target; then both read
 * back in the copy form (copy.h) and compared row for row, and the copy
 * kept only when they agree. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "copy.h"

#define ID(n)                                                                                      \
    {                                                                                              \
        n, TPT__COPY_ID                                                                            \
    }
#define TEXT(n)                                                                                    \
    {                                                                                              \
        n, TPT__COPY_TEXT                                                                          \
    }
#define TIME(n)                                                                                    \
    {                                                                                              \
        n, TPT__COPY_TIME                                                                          \
    }
#define INT(n)                                                                                     \
    {                                                                                              \
        n, TPT__COPY_INT                                                                           \
    }

const tpt__copy_table tpt__copy_tables[] = {
    {"clinics", 2, {ID("id"), TEXT("name")}},
    /* (private_to and erased_by name users, copied next: PostgreSQL checks
     * those references when the copy commits) */
    {"patients",
     12,
     {ID("id"),
      TEXT("name"),
      {"is_self", TPT__COPY_BOOL},
      {"clinic_id", TPT__COPY_CLINIC},
      INT("birth_year"),
      TEXT("contact"),
      TIME("consent"),
      TIME("archived"),
      INT("planned_visits"),
      ID("private_to"),
      TIME("erased"),
      ID("erased_by")}},
    {"users",
     12,
     {ID("id"),
      TEXT("email"),
      TEXT("name"),
      TEXT("role"),
      TEXT("password_hash"),
      {"clinic_id", TPT__COPY_CLINIC},
      ID("patient_id"),
      {"operator", TPT__COPY_BOOL},
      TIME("disabled"),
      TIME("deleted"),
      TEXT("language"),
      {"home", TPT__COPY_BOOL}}},
    {"instrument_texts",
     7,
     {ID("id"),
      {"clinic_id", TPT__COPY_CLINIC},
      TEXT("instrument"),
      TEXT("file"),
      TIME("at"),
      ID("author_id"),
      TEXT("text")}},
    {"log_entries",
     11,
     {ID("id"),
      ID("patient_id"),
      TIME("at"),
      INT("leg_pain"),
      INT("back_pain"),
      INT("sitting_minutes"),
      INT("walking_minutes"),
      {"sleep_disturbed", TPT__COPY_BOOL},
      TEXT("medication"),
      TEXT("note"),
      ID("author_id")}},
    {"records",
     9,
     {ID("id"),
      ID("patient_id"),
      TEXT("kind"),
      TIME("at"),
      TEXT("summary"),
      TEXT("input"),
      TEXT("body"),
      ID("author_id"),
      {"clinician", TPT__COPY_BOOL}}},
    {"assessments",
     7,
     {ID("id"), ID("patient_id"), TIME("at"), ID("author_id"), ID("record_id"), TEXT("flag"),
      TEXT("finding")}},
    {"visits",
     9,
     {ID("id"), ID("patient_id"), INT("number"), TIME("at"), ID("author_id"), TEXT("note"),
      TEXT("result"), TIME("signed_at"), ID("signed_by")}},
    {"amendments", 5, {ID("id"), ID("visit_id"), TIME("at"), ID("author_id"), TEXT("text")}},
    {"measures",
     10,
     {ID("id"),
      ID("patient_id"),
      TEXT("instrument"),
      TIME("at"),
      INT("visit"),
      ID("author_id"),
      TEXT("answers"),
      {"score", TPT__COPY_REAL},
      TEXT("band"),
      TEXT("names")}},
    {"auth_sessions",
     4,
     {{"token_hash", TPT__COPY_HEX}, ID("user_id"), TEXT("csrf"), TIME("expires")}},
    {"sign_in_failures", 4, {TEXT("email_key"), INT("failures"), TIME("locked_until"), TIME("at")}},
    {"invitations",
     13,
     {ID("id"),
      {"token_hash", TPT__COPY_HEX},
      TEXT("role"),
      TEXT("name"),
      TEXT("email"),
      {"clinic_id", TPT__COPY_CLINIC},
      ID("patient_id"),
      ID("created_by"),
      TIME("created"),
      TIME("expires"),
      TIME("used"),
      TIME("withdrawn"),
      INT("failures")}},
    {"password_resets",
     7,
     {ID("id"),
      {"token_hash", TPT__COPY_HEX},
      ID("user_id"),
      ID("created_by"),
      TIME("created"),
      TIME("expires"),
      TIME("used")}},
    {"audit",
     7,
     {ID("id"),
      TIME("at"),
      ID("user_id"),
      TEXT("action"),
      ID("patient_id"),
      TEXT("address"),
      {"hash", TPT__COPY_HEX}}},
    {"settings", 2, {TEXT("key"), TEXT("value")}},
    /* the clinic's calendar; the slots held for a few minutes during online
     * booking and the counters of rate limits are not records, and stay */
    {"clinic_profiles",
     18,
     {{"clinic_id", TPT__COPY_CLINIC},
      TEXT("slug"),
      TEXT("zone"),
      TEXT("address"),
      TEXT("town"),
      TEXT("postcode"),
      TEXT("phone"),
      TEXT("email"),
      TEXT("about"),
      {"listed", TPT__COPY_BOOL},
      {"booking", TPT__COPY_BOOL},
      INT("reminder_hours"),
      INT("late_cancel_hours"),
      INT("series_per_week"),
      INT("series_every_days"),
      INT("slot_minutes"),
      TEXT("smtp_url"),
      TEXT("mail_from")}},
    {"locations",
     7,
     {ID("id"),
      {"clinic_id", TPT__COPY_CLINIC},
      TEXT("name"),
      TEXT("address"),
      TEXT("town"),
      TEXT("postcode"),
      {"archived", TPT__COPY_BOOL}}},
    {"services",
     8,
     {ID("id"),
      {"clinic_id", TPT__COPY_CLINIC},
      TEXT("name"),
      TEXT("kind"),
      INT("minutes"),
      INT("modalities"),
      {"online", TPT__COPY_BOOL},
      {"archived", TPT__COPY_BOOL}}},
    {"service_staff", 2, {ID("service_id"), ID("user_id")}},
    {"practitioners",
     5,
     {ID("user_id"),
      TEXT("qualifications"),
      INT("modalities"),
      {"bookable", TPT__COPY_BOOL},
      TEXT("hours")}},
    {"appointments",
     21,
     {ID("id"),
      {"clinic_id", TPT__COPY_CLINIC},
      ID("patient_id"),
      ID("practitioner_id"),
      ID("location_id"),
      ID("service_id"),
      TIME("starts"),
      TIME("ends"),
      TEXT("status"),
      {"late_cancel", TPT__COPY_BOOL},
      TIME("cancelled_at"),
      TEXT("reason"),
      TEXT("note"),
      ID("series_id"),
      INT("course_visit"),
      {"reassessment", TPT__COPY_BOOL},
      INT("visit"),
      TEXT("source"),
      ID("created_by"),
      TIME("created_at"),
      TEXT("language")}},
    {"outbox",
     18,
     {ID("id"),
      {"clinic_id", TPT__COPY_CLINIC},
      ID("patient_id"),
      ID("appointment_id"),
      TEXT("kind"),
      TEXT("state"),
      TEXT("recipient"),
      TEXT("subject"),
      TEXT("body"),
      TEXT("links"),
      TIME("due"),
      TIME("expires"),
      INT("attempts"),
      TIME("next_attempt"),
      TIME("lease"),
      TEXT("error"),
      TIME("sent_at"),
      TIME("created_at")}},
    {"intakes",
     10,
     {{"token_hash", TPT__COPY_HEX},
      ID("appointment_id"),
      ID("patient_id"),
      {"clinic_id", TPT__COPY_CLINIC},
      TIME("expires"),
      TEXT("subjective"),
      TIME("subjective_at"),
      ID("drawing_id"),
      INT("measures"),
      TIME("created_at")}},
    {"feeds",
     6,
     {ID("patient_id"),
      {"token_hash", TPT__COPY_HEX},
      {"live", TPT__COPY_BOOL},
      TEXT("sessions"),
      INT("check_minute"),
      TIME("created_at")}},
};
const size_t tpt__copy_table_count = sizeof tpt__copy_tables / sizeof *tpt__copy_tables;

/* ---- rows kept in memory, for the comparison ---- */

typedef struct kept_rows {
    const tpt__copy_table *table;
    size_t count, cap;
    char **values; /* count * ncolumns, NULL for NULL */
    bool out_of_memory;
} kept_rows;

static void kept_free(kept_rows *k)
{
    for (size_t i = 0; i < k->count * (size_t)k->table->ncolumns; i++)
        free(k->values[i]);
    free(k->values);
    k->values = NULL;
    k->count = k->cap = 0;
}

static int keep_row(void *ctx, const char *const *values)
{
    kept_rows *k = ctx;
    size_t n = (size_t)k->table->ncolumns;
    if (k->count == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 256;
        char **grown = realloc(k->values, cap * n * sizeof *grown);
        if (!grown) return k->out_of_memory = true, TPT_ERR_NOMEM;
        k->values = grown;
        k->cap = cap;
    }
    char **row = k->values + k->count * n;
    for (size_t i = 0; i < n; i++) {
        row[i] = values[i] ? strdup(values[i]) : NULL;
        if (values[i] && !row[i]) {
            while (i-- > 0)
                free(row[i]);
            return k->out_of_memory = true, TPT_ERR_NOMEM;
        }
    }
    k->count++;
    return 0;
}

/* ---- the copy itself ---- */

typedef struct copying {
    tpt_store *to;
    const tpt__copy_table *table;
    size_t rows;
    tpt_error *err;
} copying;

static int write_row(void *ctx, const char *const *values)
{
    copying *c = ctx;
    int rc = c->to->backend->copy_write(c->to, c->table, values, c->err);
    if (!rc) c->rows++;
    return rc;
}

typedef struct comparing {
    const kept_rows *from;
    size_t at; /* the next row of `from` to compare */
    char why[TPT_ERROR_MESSAGE_MAX];
} comparing;

static bool same(tpt__copy_kind kind, const char *a, const char *b)
{
    if (!a || !b) return a == b;
    if (kind == TPT__COPY_REAL) return strtod(a, NULL) == strtod(b, NULL);
    return strcmp(a, b) == 0;
}

static int compare_row(void *ctx, const char *const *values)
{
    comparing *c = ctx;
    const tpt__copy_table *t = c->from->table;
    if (c->at >= c->from->count) {
        snprintf(c->why, sizeof c->why, "%s has a row more than the original (%s %s)", t->name,
                 t->columns[0].name, values[0] ? values[0] : "NULL");
        return TPT_ERR_DATA;
    }
    char *const *row = c->from->values + c->at * (size_t)t->ncolumns;
    for (int i = 0; i < t->ncolumns; i++) {
        if (same(t->columns[i].kind, row[i], values[i])) continue;
        snprintf(c->why, sizeof c->why, "%s, the row of %s %s: %s differs", t->name,
                 t->columns[0].name, row[0] ? row[0] : "NULL", t->columns[i].name);
        return TPT_ERR_DATA;
    }
    c->at++;
    return 0;
}

static int count_row(void *ctx, const char *const *values)
{
    (void)values;
    (*(size_t *)ctx)++;
    return 0;
}

/* Every table of `to` is empty: a copy never mixes with records. */
static int check_empty(tpt_store *to, tpt_error *err)
{
    for (size_t i = 0; i < tpt__copy_table_count; i++) {
        size_t n = 0;
        int rc = to->backend->copy_read(to, &tpt__copy_tables[i], count_row, &n, err);
        if (rc) return rc;
        if (n > 0)
            return tpt_error_set(err, TPT_ERR_INPUT,
                                 "the database to copy into holds records already (%zu in %s): "
                                 "copy into a new, empty one",
                                 n, tpt__copy_tables[i].name);
    }
    return 0;
}

/* One table: copied, then compared row for row. */
static int copy_table(tpt_store *from, tpt_store *to, const tpt__copy_table *t, size_t *rows,
                      tpt_error *err)
{
    kept_rows kept = {.table = t};
    copying copy = {.to = to, .table = t, .err = err};
    int rc = from->backend->copy_read(from, t, keep_row, &kept, err);
    if (kept.out_of_memory) rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < kept.count; i++)
        rc = write_row(&copy, (const char *const *)kept.values + i * (size_t)t->ncolumns);
    comparing cmp = {.from = &kept};
    if (!rc) {
        rc = to->backend->copy_read(to, t, compare_row, &cmp, err);
        if (!rc && cmp.at != kept.count)
            snprintf(cmp.why, sizeof cmp.why, "%s lacks %zu of the original's rows", t->name,
                     kept.count - cmp.at);
        if (*cmp.why)
            rc = tpt_error_set(err, TPT_ERR_DATA,
                               "the copy is not the original: %s; nothing "
                               "was kept",
                               cmp.why);
    }
    *rows += copy.rows;
    kept_free(&kept);
    return rc;
}

int tpt_store_copy(tpt_store *from, tpt_store *to, size_t *rows, tpt_error *err)
{
    *rows = 0;
    if (!to->backend->copy_write)
        return tpt_error_set(err, TPT_ERR_INPUT, "tpt copies into PostgreSQL only");
    if (from->depth || to->depth)
        return tpt_error_set(err, TPT_ERR_INPUT, "a copy is not made inside a transaction");
    int rc;
    if ((rc = tpt_store_scope(from, TPT_SCOPE_ALL, err)) ||
        (rc = tpt_store_scope(to, TPT_SCOPE_ALL, err)) || (rc = tpt_store_begin(to, err)))
        return rc;
    rc = check_empty(to, err);
    for (size_t i = 0; !rc && i < tpt__copy_table_count; i++)
        rc = copy_table(from, to, &tpt__copy_tables[i], rows, err);
    if (!rc) rc = to->backend->copy_done(to, err);
    if (!rc) rc = tpt_store_commit(to, err);
    if (rc) {
        tpt_store_rollback(to);
        *rows = 0;
    }
    return rc;
}
