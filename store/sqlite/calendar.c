/* The clinic's side of the calendar in SQLite: its profile and settings,
 * locations, services with who gives them, practitioners' profiles and
 * working hours. store/calendar.c has checked the arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite.h"

/* ---- the clinic's profile ---- */

#define PROFILE_COLUMNS                                                                            \
    "c.id, c.name, coalesce(p.slug, ''), coalesce(p.zone, 'UTC'), coalesce(p.address, ''), "       \
    "coalesce(p.town, ''), coalesce(p.postcode, ''), coalesce(p.phone, ''), "                      \
    "coalesce(p.email, ''), coalesce(p.about, ''), coalesce(p.listed, 0), "                        \
    "coalesce(p.booking, 0), coalesce(p.reminder_hours, 24), "                                     \
    "coalesce(p.late_cancel_hours, 24), coalesce(p.series_per_week, 2), "                          \
    "coalesce(p.series_every_days, 0), coalesce(p.slot_minutes, 15), "                             \
    "coalesce(p.smtp_url, ''), coalesce(p.mail_from, '') "                                         \
    "FROM clinics c LEFT JOIN clinic_profiles p ON p.clinic_id = c.id "

static void profile_row(sqlite3_stmt *st, void *item)
{
    tpt_clinic_profile *p = item;
    memset(p, 0, sizeof *p);
    p->clinic = sqlite3_column_int64(st, 0);
    tpt__sqlite_copy(st, 1, p->name, sizeof p->name);
    tpt__sqlite_copy(st, 2, p->slug, sizeof p->slug);
    tpt__sqlite_copy(st, 3, p->zone, sizeof p->zone);
    tpt__sqlite_copy(st, 4, p->address, sizeof p->address);
    tpt__sqlite_copy(st, 5, p->town, sizeof p->town);
    tpt__sqlite_copy(st, 6, p->postcode, sizeof p->postcode);
    tpt__sqlite_copy(st, 7, p->phone, sizeof p->phone);
    tpt__sqlite_copy(st, 8, p->email, sizeof p->email);
    tpt__sqlite_copy(st, 9, p->about, sizeof p->about);
    p->listed = sqlite3_column_int(st, 10);
    p->booking = sqlite3_column_int(st, 11);
    p->reminder_hours = sqlite3_column_int(st, 12);
    p->late_cancel_hours = sqlite3_column_int(st, 13);
    p->series_per_week = sqlite3_column_int(st, 14);
    p->series_every_days = sqlite3_column_int(st, 15);
    p->slot_minutes = sqlite3_column_int(st, 16);
    tpt__sqlite_copy(st, 17, p->smtp_url, sizeof p->smtp_url);
    tpt__sqlite_copy(st, 18, p->mail_from, sizeof p->mail_from);
}

static int profile_item(sqlite3_stmt *st, void *item)
{
    profile_row(st, item);
    return 0;
}

int tpt__sqlite_clinic_profile_get(tpt_store *s, int64_t clinic, tpt_clinic_profile *out,
                                   tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    char missing[64];
    snprintf(missing, sizeof missing, "there is no clinic %lld", (long long)clinic);
    int rc = tpt__sqlite_prepare(c, "SELECT " PROFILE_COLUMNS "WHERE c.id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
    return tpt__sqlite_one(c, st, profile_row, out, missing, "reading the clinic", err);
}

int tpt__sqlite_clinic_by_slug(tpt_store *s, const char *slug, tpt_clinic_profile *out,
                               tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "SELECT " PROFILE_COLUMNS "WHERE p.slug = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, slug, -1, SQLITE_TRANSIENT);
    return tpt__sqlite_one(c, st, profile_row, out, "no clinic has that address",
                           "finding the clinic", err);
}

int tpt__sqlite_clinic_directory(tpt_store *s, tpt_clinic_profile_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc =
        tpt__sqlite_prepare(c,
                            "SELECT " PROFILE_COLUMNS "WHERE p.listed = 1 AND p.slug IS NOT NULL "
                            "ORDER BY c.name COLLATE NOCASE, c.id",
                            &st, err);
    if (rc) return rc;
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items,
                          profile_item, "listing the clinics", err);
    if (rc) tpt_clinic_profile_list_free(out);
    return rc;
}

static int save_profile(tpt__sqlite *c, const tpt_clinic_profile *p, tpt_error *err)
{
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, "UPDATE clinics SET name = ? WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, p->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, p->clinic);
    if ((rc = tpt__sqlite_run(c, st, "renaming the clinic", err))) return rc;
    if (sqlite3_changes(c->db) != 1)
        return tpt_error_set(err, TPT_ERR_INPUT, "there is no clinic %lld", (long long)p->clinic);
    rc = tpt__sqlite_prepare(
        c,
        "INSERT INTO clinic_profiles (clinic_id, slug, zone, address, town, postcode, phone, "
        "email, about, listed, booking, reminder_hours, late_cancel_hours, series_per_week, "
        "series_every_days, slot_minutes, smtp_url, mail_from) VALUES (?, nullif(?, ''), ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (clinic_id) DO UPDATE SET "
        "slug = excluded.slug, zone = excluded.zone, address = excluded.address, "
        "town = excluded.town, postcode = excluded.postcode, phone = excluded.phone, "
        "email = excluded.email, about = excluded.about, listed = excluded.listed, "
        "booking = excluded.booking, reminder_hours = excluded.reminder_hours, "
        "late_cancel_hours = excluded.late_cancel_hours, "
        "series_per_week = excluded.series_per_week, "
        "series_every_days = excluded.series_every_days, slot_minutes = excluded.slot_minutes, "
        "smtp_url = excluded.smtp_url, mail_from = excluded.mail_from",
        &st, err);
    if (rc) return rc;
    const char *texts[] = {p->slug,     p->zone,  p->address, p->town,
                           p->postcode, p->phone, p->email,   p->about};
    sqlite3_bind_int64(st, 1, p->clinic);
    for (int i = 0; i < 8; i++)
        sqlite3_bind_text(st, 2 + i, texts[i], -1, SQLITE_TRANSIENT);
    const int numbers[] = {
        p->listed,          p->booking,           p->reminder_hours, p->late_cancel_hours,
        p->series_per_week, p->series_every_days, p->slot_minutes};
    for (int i = 0; i < 7; i++)
        sqlite3_bind_int(st, 10 + i, numbers[i]);
    sqlite3_bind_text(st, 17, p->smtp_url, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 18, p->mail_from, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE)
        rc = 0;
    else if (sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_UNIQUE)
        rc = tpt_error_set(err, TPT_ERR_CONFLICT,
                           "slug: another clinic has the address '%s': choose another", p->slug);
    else
        rc = tpt__sqlite_fail(c, err, "keeping the clinic's settings");
    sqlite3_finalize(st);
    return rc;
}

int tpt__sqlite_clinic_profile_save(tpt_store *s, const tpt_clinic_profile *p, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    int rc = tpt__sqlite_atomic_begin(c, err);
    return rc ? rc : tpt__sqlite_atomic_end(c, save_profile(c, p, err), err);
}

/* ---- what belongs to a clinic ---- */

/* 0 when the row of `table` with `id` belongs to the clinic (id 0: none
 * named), else TPT_ERR_INPUT saying "there is no WHAT N". */
static int of_clinic(tpt__sqlite *c, const char *sql, int64_t id, int64_t clinic, const char *what,
                     tpt_error *err)
{
    if (id <= 0) return 0;
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, clinic);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = 0;
    else if (step == SQLITE_DONE)
        rc = tpt_error_set(err, TPT_ERR_INPUT, "there is no %s %lld in the clinic", what,
                           (long long)id);
    else
        rc = tpt__sqlite_fail(c, err, "finding what the clinic has");
    sqlite3_finalize(st);
    return rc;
}

int tpt__sqlite_check_location(tpt__sqlite *c, int64_t id, int64_t clinic, tpt_error *err)
{
    return of_clinic(c, "SELECT 1 FROM locations WHERE id = ? AND clinic_id = ?", id, clinic,
                     "location", err);
}

int tpt__sqlite_check_service(tpt__sqlite *c, int64_t id, int64_t clinic, tpt_error *err)
{
    return of_clinic(c, "SELECT 1 FROM services WHERE id = ? AND clinic_id = ?", id, clinic,
                     "service", err);
}

int tpt__sqlite_check_staff(tpt__sqlite *c, int64_t id, int64_t clinic, tpt_error *err)
{
    return of_clinic(c, "SELECT 1 FROM users WHERE id = ? AND clinic_id = ? AND role != 'patient'",
                     id, clinic, "practitioner", err);
}

int tpt__sqlite_check_patient(tpt__sqlite *c, int64_t id, int64_t clinic, tpt_error *err)
{
    return of_clinic(c, "SELECT 1 FROM patients WHERE id = ? AND clinic_id = ?", id, clinic,
                     "patient", err);
}

/* ---- locations ---- */

static int save_location(tpt__sqlite *c, const tpt_location *l, int64_t *id, tpt_error *err)
{
    int rc = tpt__sqlite_check_location(c, l->id, l->clinic, err);
    sqlite3_stmt *st;
    if (rc || (rc = tpt__sqlite_prepare(
                   c,
                   l->id ? "UPDATE locations SET name = ?2, address = ?3, town = ?4, "
                           "postcode = ?5, archived = ?6 WHERE id = ?7"
                         : "INSERT INTO locations (clinic_id, name, address, town, postcode, "
                           "archived) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                   &st, err)))
        return rc;
    if (!l->id) sqlite3_bind_int64(st, 1, l->clinic);
    sqlite3_bind_text(st, 2, l->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, l->address, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, l->town, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, l->postcode, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, l->archived);
    if (l->id) sqlite3_bind_int64(st, 7, l->id);
    if ((rc = tpt__sqlite_run(c, st, "keeping the location", err))) return rc;
    if (id) *id = l->id ? l->id : sqlite3_last_insert_rowid(c->db);
    return 0;
}

int tpt__sqlite_location_save(tpt_store *s, const tpt_location *l, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    int rc = tpt__sqlite_atomic_begin(c, err);
    return rc ? rc : tpt__sqlite_atomic_end(c, save_location(c, l, id, err), err);
}

static int location_item(sqlite3_stmt *st, void *item)
{
    tpt_location *l = item;
    l->id = sqlite3_column_int64(st, 0);
    l->clinic = sqlite3_column_int64(st, 1);
    tpt__sqlite_copy(st, 2, l->name, sizeof l->name);
    tpt__sqlite_copy(st, 3, l->address, sizeof l->address);
    tpt__sqlite_copy(st, 4, l->town, sizeof l->town);
    tpt__sqlite_copy(st, 5, l->postcode, sizeof l->postcode);
    l->archived = sqlite3_column_int(st, 6);
    return 0;
}

int tpt__sqlite_location_list(tpt_store *s, int64_t clinic, tpt_location_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT id, clinic_id, name, address, town, postcode, archived "
                                 "FROM locations WHERE clinic_id = ? ORDER BY id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items,
                          location_item, "listing the locations", err);
    if (rc) tpt_location_list_free(out);
    return rc;
}

/* ---- services ---- */

static int save_service(tpt__sqlite *c, const tpt_service *v, int64_t *id, tpt_error *err)
{
    int rc = tpt__sqlite_check_service(c, v->id, v->clinic, err);
    for (size_t i = 0; !rc && i < v->nstaff; i++)
        rc = tpt__sqlite_check_staff(c, v->staff[i], v->clinic, err);
    sqlite3_stmt *st;
    if (rc || (rc = tpt__sqlite_prepare(
                   c,
                   v->id ? "UPDATE services SET name = ?2, kind = ?3, minutes = ?4, "
                           "modalities = ?5, online = ?6, archived = ?7 WHERE id = ?8"
                         : "INSERT INTO services (clinic_id, name, kind, minutes, modalities, "
                           "online, archived) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   &st, err)))
        return rc;
    if (!v->id) sqlite3_bind_int64(st, 1, v->clinic);
    sqlite3_bind_text(st, 2, v->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, tpt_service_kind_name(v->kind), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, v->minutes);
    sqlite3_bind_int64(st, 5, v->modalities);
    sqlite3_bind_int(st, 6, v->online);
    sqlite3_bind_int(st, 7, v->archived);
    if (v->id) sqlite3_bind_int64(st, 8, v->id);
    if ((rc = tpt__sqlite_run(c, st, "keeping the service", err))) return rc;
    int64_t service = v->id ? v->id : sqlite3_last_insert_rowid(c->db);
    if ((rc = tpt__sqlite_prepare(c, "DELETE FROM service_staff WHERE service_id = ?", &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, service);
    if ((rc = tpt__sqlite_run(c, st, "keeping who gives the service", err))) return rc;
    for (size_t i = 0; i < v->nstaff; i++) {
        if ((rc = tpt__sqlite_prepare(
                 c, "INSERT OR IGNORE INTO service_staff (service_id, user_id) VALUES (?, ?)", &st,
                 err)))
            return rc;
        sqlite3_bind_int64(st, 1, service);
        sqlite3_bind_int64(st, 2, v->staff[i]);
        if ((rc = tpt__sqlite_run(c, st, "keeping who gives the service", err))) return rc;
    }
    if (id) *id = service;
    return 0;
}

int tpt__sqlite_service_save(tpt_store *s, const tpt_service *v, int64_t *id, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    int rc = tpt__sqlite_atomic_begin(c, err);
    return rc ? rc : tpt__sqlite_atomic_end(c, save_service(c, v, id, err), err);
}

static int service_item(sqlite3_stmt *st, void *item)
{
    tpt_service *v = item;
    v->id = sqlite3_column_int64(st, 0);
    v->clinic = sqlite3_column_int64(st, 1);
    tpt__sqlite_copy(st, 2, v->name, sizeof v->name);
    if (tpt_service_kind_parse((const char *)sqlite3_column_text(st, 3), &v->kind) != 0)
        v->kind = TPT_SERVICE_OTHER;
    v->minutes = sqlite3_column_int(st, 4);
    v->modalities = (unsigned)sqlite3_column_int64(st, 5);
    v->online = sqlite3_column_int(st, 6);
    v->archived = sqlite3_column_int(st, 7);
    /* who gives it, as "3,7" */
    const char *staff = (const char *)sqlite3_column_text(st, 8);
    for (char *end; staff && *staff && v->nstaff < TPT_SERVICE_STAFF_MAX; staff = end) {
        v->staff[v->nstaff++] = strtoll(staff, &end, 10);
        if (*end == ',') end++;
        if (end == staff) break;
    }
    return 0;
}

int tpt__sqlite_service_list(tpt_store *s, int64_t clinic, tpt_service_list *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c,
        "SELECT id, clinic_id, name, kind, minutes, modalities, online, archived, "
        "(SELECT group_concat(user_id) FROM (SELECT user_id FROM service_staff "
        "WHERE service_id = services.id ORDER BY user_id)) FROM services WHERE clinic_id = ? "
        "ORDER BY id",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items,
                          service_item, "listing the services", err);
    if (rc) tpt_service_list_free(out);
    return rc;
}

/* ---- practitioners ---- */

#define PRACTITIONER_COLUMNS                                                                       \
    "u.id, coalesce(u.clinic_id, 0), u.name, coalesce(p.qualifications, ''), "                     \
    "coalesce(p.modalities, 0), coalesce(p.bookable, 1), p.hours "                                 \
    "FROM users u LEFT JOIN practitioners p ON p.user_id = u.id "

static int practitioner_item(sqlite3_stmt *st, void *item)
{
    tpt_practitioner *p = item;
    p->user = sqlite3_column_int64(st, 0);
    p->clinic = sqlite3_column_int64(st, 1);
    tpt__sqlite_copy(st, 2, p->name, sizeof p->name);
    tpt__sqlite_copy(st, 3, p->qualifications, sizeof p->qualifications);
    p->modalities = (unsigned)sqlite3_column_int64(st, 4);
    p->bookable = sqlite3_column_int(st, 5);
    p->hours = tpt__sqlite_text(st, 6);
    return p->hours || sqlite3_column_type(st, 6) == SQLITE_NULL ? 0 : -1;
}

int tpt__sqlite_practitioner_list(tpt_store *s, int64_t clinic, tpt_practitioner_list *out,
                                  tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(c,
                                 "SELECT " PRACTITIONER_COLUMNS
                                 "WHERE u.clinic_id = ? AND u.role != 'patient' ORDER BY u.id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, clinic);
    rc = tpt__sqlite_rows(c, st, (void **)&out->items, &out->count, sizeof *out->items,
                          practitioner_item, "listing the practitioners", err);
    if (rc) tpt_practitioner_list_free(out);
    return rc;
}

int tpt__sqlite_practitioner_get(tpt_store *s, int64_t user, tpt_practitioner *out, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    int rc = tpt__sqlite_prepare(
        c, "SELECT " PRACTITIONER_COLUMNS "WHERE u.id = ? AND u.role != 'patient'", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, user);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = practitioner_item(st, out) ? tpt_error_set(err, TPT_ERR_NOMEM, "out of memory") : 0;
    else if (step == SQLITE_DONE)
        rc = tpt_error_set(err, TPT_ERR_INPUT, "there is no practitioner %lld", (long long)user);
    else
        rc = tpt__sqlite_fail(c, err, "finding the practitioner");
    sqlite3_finalize(st);
    return rc;
}

int tpt__sqlite_practitioner_save(tpt_store *s, const tpt_practitioner *p, tpt_error *err)
{
    tpt__sqlite *c = tpt__sqlite_of(s);
    sqlite3_stmt *st;
    /* only a staff account has a profile: the statement keeps nothing for another */
    int rc = tpt__sqlite_prepare(
        c,
        "INSERT OR REPLACE INTO practitioners (user_id, qualifications, modalities, bookable, "
        "hours) SELECT id, ?2, ?3, ?4, ?5 FROM users WHERE id = ?1 AND role != 'patient'",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, p->user);
    sqlite3_bind_text(st, 2, p->qualifications, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, p->modalities);
    sqlite3_bind_int(st, 4, p->bookable);
    if (p->hours)
        sqlite3_bind_text(st, 5, p->hours, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 5);
    if ((rc = tpt__sqlite_run(c, st, "keeping the practitioner's profile", err))) return rc;
    if (sqlite3_changes(c->db) != 1)
        return tpt_error_set(err, TPT_ERR_INPUT, "there is no practitioner %lld",
                             (long long)p->user);
    return 0;
}
