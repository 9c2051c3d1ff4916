/* The clinic's side of the calendar in PostgreSQL: its profile and settings,
 * locations, services with who gives them, practitioners' profiles and
 * working hours. These tables are what the public pages show and have no
 * row-level security (schema/014.sql). store/calendar.c has checked the
 * arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postgres.h"

/* ---- the clinic's profile ---- */

#define PROFILE_COLUMNS                                                                            \
    "c.id, c.name, coalesce(p.slug, ''), coalesce(p.zone, 'UTC'), coalesce(p.address, ''), "       \
    "coalesce(p.town, ''), coalesce(p.postcode, ''), coalesce(p.phone, ''), "                      \
    "coalesce(p.email, ''), coalesce(p.about, ''), coalesce(p.listed, false)::int, "               \
    "coalesce(p.booking, false)::int, coalesce(p.reminder_hours, 24), "                            \
    "coalesce(p.late_cancel_hours, 24), coalesce(p.series_per_week, 2), "                          \
    "coalesce(p.series_every_days, 0), coalesce(p.slot_minutes, 15), "                             \
    "coalesce(p.smtp_url, ''), coalesce(p.mail_from, '') "                                         \
    "FROM clinics c LEFT JOIN clinic_profiles p ON p.clinic_id = c.id "

static void profile_at(tpt__pg *c, PGresult *r, int i, tpt_clinic_profile *p)
{
    memset(p, 0, sizeof *p);
    p->clinic = tpt__pg_int64(c, r, i, 0);
    tpt__pg_copy(c, r, i, 1, p->name, sizeof p->name);
    tpt__pg_copy(c, r, i, 2, p->slug, sizeof p->slug);
    tpt__pg_copy(c, r, i, 3, p->zone, sizeof p->zone);
    tpt__pg_copy(c, r, i, 4, p->address, sizeof p->address);
    tpt__pg_copy(c, r, i, 5, p->town, sizeof p->town);
    tpt__pg_copy(c, r, i, 6, p->postcode, sizeof p->postcode);
    tpt__pg_copy(c, r, i, 7, p->phone, sizeof p->phone);
    tpt__pg_copy(c, r, i, 8, p->email, sizeof p->email);
    tpt__pg_copy(c, r, i, 9, p->about, sizeof p->about);
    p->listed = tpt__pg_int64(c, r, i, 10) != 0;
    p->booking = tpt__pg_int64(c, r, i, 11) != 0;
    p->reminder_hours = (int)tpt__pg_int64(c, r, i, 12);
    p->late_cancel_hours = (int)tpt__pg_int64(c, r, i, 13);
    p->series_per_week = (int)tpt__pg_int64(c, r, i, 14);
    p->series_every_days = (int)tpt__pg_int64(c, r, i, 15);
    p->slot_minutes = (int)tpt__pg_int64(c, r, i, 16);
    tpt__pg_copy(c, r, i, 17, p->smtp_url, sizeof p->smtp_url);
    tpt__pg_copy(c, r, i, 18, p->mail_from, sizeof p->mail_from);
}

static void profile_row(tpt__pg *c, PGresult *r, void *out)
{
    profile_at(c, r, 0, out);
}

static int profile_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    profile_at(c, r, i, item);
    return 0;
}

static int profile_get(tpt__pg *c, int64_t clinic, tpt_clinic_profile *out, tpt_error *err)
{
    char missing[64];
    snprintf(missing, sizeof missing, "there is no clinic %lld", (long long)clinic);
    tpt__pg_params p = {0};
    tpt__pg_int(&p, clinic);
    PGresult *r =
        tpt__pg_run(c, "SELECT " PROFILE_COLUMNS "WHERE c.id = $1", &p, "reading the clinic", err);
    return r ? tpt__pg_one(c, r, profile_row, out, missing, err) : FAILED;
}

int tpt__pg_clinic_profile_get(tpt_store *s, int64_t clinic, tpt_clinic_profile *out,
                               tpt_error *err)
{
    CALL(s, profile_get(c, clinic, out, err));
}

static int by_slug(tpt__pg *c, const char *slug, tpt_clinic_profile *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, slug);
    PGresult *r = tpt__pg_run(c, "SELECT " PROFILE_COLUMNS "WHERE p.slug = $1", &p,
                              "finding the clinic", err);
    return r ? tpt__pg_one(c, r, profile_row, out, "no clinic has that address", err) : FAILED;
}

int tpt__pg_clinic_by_slug(tpt_store *s, const char *slug, tpt_clinic_profile *out, tpt_error *err)
{
    CALL(s, by_slug(c, slug, out, err));
}

static int directory(tpt__pg *c, tpt_clinic_profile_list *out, tpt_error *err)
{
    PGresult *r = tpt__pg_run(c,
                              "SELECT " PROFILE_COLUMNS "WHERE p.listed AND p.slug IS NOT NULL "
                              "ORDER BY lower(c.name COLLATE \"C\"), c.id",
                              NULL, "listing the clinics", err);
    if (!r) return FAILED;
    int rc = tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, profile_item,
                          err);
    if (rc) tpt_clinic_profile_list_free(out);
    return rc;
}

int tpt__pg_clinic_directory(tpt_store *s, tpt_clinic_profile_list *out, tpt_error *err)
{
    CALL(s, directory(c, out, err));
}

static int save_profile(tpt__pg *c, const tpt_clinic_profile *pr, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_text(&p, pr->name);
    tpt__pg_int(&p, pr->clinic);
    PGresult *r = tpt__pg_run(c, "UPDATE clinics SET name = $1 WHERE id = $2", &p,
                              "renaming the clinic", err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    if (changed != 1)
        return tpt_error_set(err, TPT_ERR_INPUT, "there is no clinic %lld", (long long)pr->clinic);
    /* a slug another clinic has: a conflict, said before the insert fails */
    if (*pr->slug) {
        tpt__pg_params q = {0};
        tpt__pg_text(&q, pr->slug);
        tpt__pg_int(&q, pr->clinic);
        if (!(r = tpt__pg_run(c,
                              "SELECT 1 FROM clinic_profiles WHERE slug = $1 AND clinic_id <> $2",
                              &q, "keeping the clinic's settings", err)))
            return FAILED;
        bool taken = c->pq->ntuples(r) > 0;
        c->pq->clear(r);
        if (taken)
            return tpt_error_set(err, TPT_ERR_CONFLICT,
                                 "slug: another clinic has the address '%s': choose another",
                                 pr->slug);
    }
    tpt__pg_params v = {0};
    tpt__pg_int(&v, pr->clinic);
    const char *texts[] = {pr->slug,     pr->zone,  pr->address, pr->town,
                           pr->postcode, pr->phone, pr->email,   pr->about};
    for (int i = 0; i < 8; i++)
        tpt__pg_text(&v, texts[i]);
    const int numbers[] = {
        pr->listed,          pr->booking,           pr->reminder_hours, pr->late_cancel_hours,
        pr->series_per_week, pr->series_every_days, pr->slot_minutes};
    for (int i = 0; i < 7; i++)
        tpt__pg_int(&v, numbers[i]);
    tpt__pg_text(&v, pr->smtp_url);
    tpt__pg_text(&v, pr->mail_from);
    return tpt__pg_do(
        c,
        "INSERT INTO clinic_profiles (clinic_id, slug, zone, address, town, postcode, phone, "
        "email, about, listed, booking, reminder_hours, late_cancel_hours, series_per_week, "
        "series_every_days, slot_minutes, smtp_url, mail_from) VALUES ($1, nullif($2, ''), $3, "
        "$4, $5, $6, $7, $8, $9, $10::int <> 0, $11::int <> 0, $12, $13, $14, $15, $16, $17, $18) "
        "ON CONFLICT (clinic_id) DO UPDATE SET slug = excluded.slug, zone = excluded.zone, "
        "address = excluded.address, town = excluded.town, postcode = excluded.postcode, "
        "phone = excluded.phone, email = excluded.email, about = excluded.about, "
        "listed = excluded.listed, booking = excluded.booking, "
        "reminder_hours = excluded.reminder_hours, late_cancel_hours = excluded.late_cancel_hours, "
        "series_per_week = excluded.series_per_week, "
        "series_every_days = excluded.series_every_days, slot_minutes = excluded.slot_minutes, "
        "smtp_url = excluded.smtp_url, mail_from = excluded.mail_from",
        &v, "keeping the clinic's settings", err);
}

int tpt__pg_clinic_profile_save(tpt_store *s, const tpt_clinic_profile *p, tpt_error *err)
{
    CALL(s, save_profile(c, p, err));
}

/* ---- what belongs to a clinic ---- */

/* 0 when the row of `sql` ($1 id, $2 clinic) is there (id 0: none named),
 * else TPT_ERR_INPUT saying "there is no WHAT N in the clinic". */
static int of_clinic(tpt__pg *c, const char *sql, int64_t id, int64_t clinic, const char *what,
                     tpt_error *err)
{
    if (id <= 0) return 0;
    tpt__pg_params p = {0};
    tpt__pg_int(&p, id);
    tpt__pg_int(&p, clinic);
    PGresult *r = tpt__pg_run(c, sql, &p, "finding what the clinic has", err);
    if (!r) return FAILED;
    int rc = c->pq->ntuples(r) > 0
                 ? 0
                 : tpt_error_set(err, TPT_ERR_INPUT, "there is no %s %lld in the clinic", what,
                                 (long long)id);
    c->pq->clear(r);
    return rc;
}

int tpt__pg_check_location(tpt__pg *c, int64_t id, int64_t clinic, tpt_error *err)
{
    return of_clinic(c, "SELECT 1 FROM locations WHERE id = $1 AND clinic_id = $2", id, clinic,
                     "location", err);
}

int tpt__pg_check_service(tpt__pg *c, int64_t id, int64_t clinic, tpt_error *err)
{
    return of_clinic(c, "SELECT 1 FROM services WHERE id = $1 AND clinic_id = $2", id, clinic,
                     "service", err);
}

int tpt__pg_check_staff(tpt__pg *c, int64_t id, int64_t clinic, tpt_error *err)
{
    return of_clinic(c,
                     "SELECT 1 FROM users WHERE id = $1 AND clinic_id = $2 AND role <> 'patient'",
                     id, clinic, "practitioner", err);
}

int tpt__pg_check_patient(tpt__pg *c, int64_t id, int64_t clinic, tpt_error *err)
{
    return of_clinic(c, "SELECT 1 FROM patients WHERE id = $1 AND clinic_id = $2", id, clinic,
                     "patient", err);
}

/* ---- locations ---- */

static int save_location(tpt__pg *c, const tpt_location *l, int64_t *id, tpt_error *err)
{
    int rc = tpt__pg_check_location(c, l->id, l->clinic, err);
    if (rc) return rc;
    tpt__pg_params p = {0};
    tpt__pg_int(&p, l->id ? l->id : l->clinic);
    tpt__pg_text(&p, l->name);
    tpt__pg_text(&p, l->address);
    tpt__pg_text(&p, l->town);
    tpt__pg_text(&p, l->postcode);
    tpt__pg_int(&p, l->archived);
    PGresult *r = tpt__pg_run(c,
                              l->id ? "UPDATE locations SET name = $2, address = $3, town = $4, "
                                      "postcode = $5, archived = $6::int <> 0 WHERE id = $1 "
                                      "RETURNING id"
                                    : "INSERT INTO locations (clinic_id, name, address, town, "
                                      "postcode, archived) VALUES ($1, $2, $3, $4, $5, "
                                      "$6::int <> 0) RETURNING id",
                              &p, "keeping the location", err);
    if (!r) return FAILED;
    if (id && c->pq->ntuples(r) == 1) *id = tpt__pg_int64(c, r, 0, 0);
    c->pq->clear(r);
    return 0;
}

int tpt__pg_location_save(tpt_store *s, const tpt_location *l, int64_t *id, tpt_error *err)
{
    CALL(s, save_location(c, l, id, err));
}

static int location_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_location *l = item;
    l->id = tpt__pg_int64(c, r, i, 0);
    l->clinic = tpt__pg_int64(c, r, i, 1);
    tpt__pg_copy(c, r, i, 2, l->name, sizeof l->name);
    tpt__pg_copy(c, r, i, 3, l->address, sizeof l->address);
    tpt__pg_copy(c, r, i, 4, l->town, sizeof l->town);
    tpt__pg_copy(c, r, i, 5, l->postcode, sizeof l->postcode);
    l->archived = tpt__pg_int64(c, r, i, 6) != 0;
    return 0;
}

static int location_list(tpt__pg *c, int64_t clinic, tpt_location_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, clinic);
    PGresult *r = tpt__pg_run(c,
                              "SELECT id, clinic_id, name, address, town, postcode, archived::int "
                              "FROM locations WHERE clinic_id = $1 ORDER BY id",
                              &p, "listing the locations", err);
    if (!r) return FAILED;
    int rc = tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items,
                          location_item, err);
    if (rc) tpt_location_list_free(out);
    return rc;
}

int tpt__pg_location_list(tpt_store *s, int64_t clinic, tpt_location_list *out, tpt_error *err)
{
    CALL(s, location_list(c, clinic, out, err));
}

/* ---- services ---- */

static int save_service(tpt__pg *c, const tpt_service *v, int64_t *id, tpt_error *err)
{
    int rc = tpt__pg_check_service(c, v->id, v->clinic, err);
    for (size_t i = 0; !rc && i < v->nstaff; i++)
        rc = tpt__pg_check_staff(c, v->staff[i], v->clinic, err);
    if (rc) return rc;
    tpt__pg_params p = {0};
    tpt__pg_int(&p, v->id ? v->id : v->clinic);
    tpt__pg_text(&p, v->name);
    tpt__pg_text(&p, tpt_service_kind_name(v->kind));
    tpt__pg_int(&p, v->minutes);
    tpt__pg_int(&p, v->modalities);
    tpt__pg_int(&p, v->online);
    tpt__pg_int(&p, v->archived);
    PGresult *r = tpt__pg_run(c,
                              v->id ? "UPDATE services SET name = $2, kind = $3, minutes = $4, "
                                      "modalities = $5, online = $6::int <> 0, "
                                      "archived = $7::int <> 0 WHERE id = $1 RETURNING id"
                                    : "INSERT INTO services (clinic_id, name, kind, minutes, "
                                      "modalities, online, archived) VALUES ($1, $2, $3, $4, $5, "
                                      "$6::int <> 0, $7::int <> 0) RETURNING id",
                              &p, "keeping the service", err);
    if (!r) return FAILED;
    int64_t service = c->pq->ntuples(r) == 1 ? tpt__pg_int64(c, r, 0, 0) : v->id;
    c->pq->clear(r);
    /* who gives it, as one array */
    char staff[TPT_SERVICE_STAFF_MAX * 21 + 3] = "{";
    for (size_t i = 0; i < v->nstaff; i++)
        snprintf(staff + strlen(staff), sizeof staff - strlen(staff), "%s%lld", i ? "," : "",
                 (long long)v->staff[i]);
    strcat(staff, "}");
    tpt__pg_params d = {0}, q = {0};
    tpt__pg_int(&d, service);
    tpt__pg_int(&q, service);
    tpt__pg_text(&q, staff);
    if ((rc = tpt__pg_do(c, "DELETE FROM service_staff WHERE service_id = $1", &d,
                         "keeping who gives the service", err)) ||
        (rc = tpt__pg_do(
             c,
             "INSERT INTO service_staff (service_id, user_id) SELECT DISTINCT $1::bigint, "
             "u FROM unnest($2::bigint[]) u",
             &q, "keeping who gives the service", err)))
        return rc;
    if (id) *id = service;
    return 0;
}

int tpt__pg_service_save(tpt_store *s, const tpt_service *v, int64_t *id, tpt_error *err)
{
    CALL(s, save_service(c, v, id, err));
}

static int service_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_service *v = item;
    v->id = tpt__pg_int64(c, r, i, 0);
    v->clinic = tpt__pg_int64(c, r, i, 1);
    tpt__pg_copy(c, r, i, 2, v->name, sizeof v->name);
    if (tpt_service_kind_parse(c->pq->getvalue(r, i, 3), &v->kind) != 0)
        v->kind = TPT_SERVICE_OTHER;
    v->minutes = (int)tpt__pg_int64(c, r, i, 4);
    v->modalities = (unsigned)tpt__pg_int64(c, r, i, 5);
    v->online = tpt__pg_int64(c, r, i, 6) != 0;
    v->archived = tpt__pg_int64(c, r, i, 7) != 0;
    /* who gives it, as "3,7" */
    const char *staff = c->pq->getvalue(r, i, 8);
    for (char *end; *staff && v->nstaff < TPT_SERVICE_STAFF_MAX; staff = end) {
        v->staff[v->nstaff++] = strtoll(staff, &end, 10);
        if (end == staff) break;
        if (*end == ',') end++;
    }
    return 0;
}

static int service_list(tpt__pg *c, int64_t clinic, tpt_service_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, clinic);
    PGresult *r = tpt__pg_run(
        c,
        "SELECT id, clinic_id, name, kind, minutes, modalities, online::int, archived::int, "
        "coalesce((SELECT string_agg(user_id::text, ',' ORDER BY user_id) FROM service_staff "
        "WHERE service_id = services.id), '') FROM services WHERE clinic_id = $1 ORDER BY id",
        &p, "listing the services", err);
    if (!r) return FAILED;
    int rc = tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items, service_item,
                          err);
    if (rc) tpt_service_list_free(out);
    return rc;
}

int tpt__pg_service_list(tpt_store *s, int64_t clinic, tpt_service_list *out, tpt_error *err)
{
    CALL(s, service_list(c, clinic, out, err));
}

/* ---- practitioners ---- */

#define PRACTITIONER_COLUMNS                                                                       \
    "u.id, u.clinic_id, u.name, coalesce(p.qualifications, ''), coalesce(p.modalities, 0), "       \
    "coalesce(p.bookable, true)::int, p.hours "                                                    \
    "FROM users u LEFT JOIN practitioners p ON p.user_id = u.id "

static int practitioner_item(tpt__pg *c, PGresult *r, int i, void *item)
{
    tpt_practitioner *p = item;
    p->user = tpt__pg_int64(c, r, i, 0);
    p->clinic = tpt__pg_int64(c, r, i, 1);
    tpt__pg_copy(c, r, i, 2, p->name, sizeof p->name);
    tpt__pg_copy(c, r, i, 3, p->qualifications, sizeof p->qualifications);
    p->modalities = (unsigned)tpt__pg_int64(c, r, i, 4);
    p->bookable = tpt__pg_int64(c, r, i, 5) != 0;
    return tpt__pg_dup(c, r, i, 6, &p->hours);
}

static int practitioner_list(tpt__pg *c, int64_t clinic, tpt_practitioner_list *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, clinic);
    PGresult *r = tpt__pg_run(c,
                              "SELECT " PRACTITIONER_COLUMNS
                              "WHERE u.clinic_id = $1 AND u.role <> 'patient' ORDER BY u.id",
                              &p, "listing the practitioners", err);
    if (!r) return FAILED;
    int rc = tpt__pg_rows(c, r, (void **)&out->items, &out->count, sizeof *out->items,
                          practitioner_item, err);
    if (rc) tpt_practitioner_list_free(out);
    return rc;
}

int tpt__pg_practitioner_list(tpt_store *s, int64_t clinic, tpt_practitioner_list *out,
                              tpt_error *err)
{
    CALL(s, practitioner_list(c, clinic, out, err));
}

static int practitioner_get(tpt__pg *c, int64_t user, tpt_practitioner *out, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, user);
    PGresult *r =
        tpt__pg_run(c, "SELECT " PRACTITIONER_COLUMNS "WHERE u.id = $1 AND u.role <> 'patient'", &p,
                    "finding the practitioner", err);
    if (!r) return FAILED;
    int rc = 0;
    if (c->pq->ntuples(r) != 1)
        rc = tpt_error_set(err, TPT_ERR_INPUT, "there is no practitioner %lld", (long long)user);
    else if (practitioner_item(c, r, 0, out) != 0)
        rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    c->pq->clear(r);
    return rc;
}

int tpt__pg_practitioner_get(tpt_store *s, int64_t user, tpt_practitioner *out, tpt_error *err)
{
    CALL(s, practitioner_get(c, user, out, err));
}

static int practitioner_save(tpt__pg *c, const tpt_practitioner *pr, tpt_error *err)
{
    tpt__pg_params p = {0};
    tpt__pg_int(&p, pr->user);
    tpt__pg_text(&p, pr->qualifications);
    tpt__pg_int(&p, pr->modalities);
    tpt__pg_int(&p, pr->bookable);
    tpt__pg_text(&p, pr->hours);
    /* only a staff account has a profile: the statement keeps nothing for another */
    PGresult *r = tpt__pg_run(
        c,
        "INSERT INTO practitioners (user_id, qualifications, modalities, bookable, hours) "
        "SELECT id, $2, $3, $4::int <> 0, $5 FROM users WHERE id = $1 AND role <> 'patient' "
        "ON CONFLICT (user_id) DO UPDATE SET qualifications = excluded.qualifications, "
        "modalities = excluded.modalities, bookable = excluded.bookable, hours = excluded.hours",
        &p, "keeping the practitioner's profile", err);
    if (!r) return FAILED;
    long changed = tpt__pg_changed(c, r);
    c->pq->clear(r);
    return changed == 1 ? 0
                        : tpt_error_set(err, TPT_ERR_INPUT, "there is no practitioner %lld",
                                        (long long)pr->user);
}

int tpt__pg_practitioner_save(tpt_store *s, const tpt_practitioner *p, tpt_error *err)
{
    CALL(s, practitioner_save(c, p, err));
}
