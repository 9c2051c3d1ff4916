/* A clinic's calendar settings (GET and PUT /clinic/profile, locations,
 * services, practitioners): its public profile, time zone and email
 * settings, where it treats, what can be booked and who gives it, and each
 * practitioner's profile and working hours. Staff read them; admins change
 * them, and a practitioner their own profile and hours. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "handlers.h"
#include "record/zone_file.h"
#include "secrets.h"

int srv_calendar_open(srv_ctx *c, tpt_calendar *cal, int64_t clinic)
{
    char now[TPT_TIME_MAX];
    int64_t seconds;
    srv_now(c, now);
    tpt_time_parse(now, &seconds);
    tpt_error err = {0};
    if (!srv_store(c)) return -1;
    if (tpt_calendar_open(cal, c->store, clinic, c->caller.user.id, seconds, &err) == 0) {
        cal->address = c->req->address;   /* on the audit lines of the calendar's changes */
        cal->catalogues = c->data->words; /* loaded at start, not for each email */
        return 0;
    }
    tpt_calendar_close(cal);
    srv_reply_failed(c->res, &err, NULL);
    return -1;
}

/* ["dry-needling", ...] into bits: 1 when given, 0 absent, -1 with a 400. */
static int modalities_field(json_t *body, unsigned *out, srv_response *res)
{
    json_t *list = json_object_get(body, "modalities");
    if (!list) return 0;
    unsigned bits = 0;
    size_t i;
    json_t *v;
    bool ok = json_is_array(list);
    json_array_foreach(list, i, v)
    {
        int bit = tpt_modality_find(json_string_value(v));
        if (bit < 0)
            ok = false;
        else
            bits |= 1u << bit;
    }
    if (!ok) {
        srv_reply_error(res, 400, "invalid-field", "modalities",
                        "\"modalities\" is a list of: dry-needling, acupuncture, cupping, massage, "
                        "manual-compression, tui-na, gua-sha, moist-heat, stretching");
        return -1;
    }
    *out = bits;
    return 1;
}

static void refused(srv_ctx *c, const tpt_error *err)
{
    char field[64];
    srv_reply_failed(c->res, err, srv_field_of(err->message, field, sizeof field));
}

/* ---- the profile, with everything the settings page shows ---- */

/* The profile as JSON; with its settings for an admin, who also learns
 * whether the relay's stored password must be entered again (kept with
 * another key, or none). */
static json_t *profile_json(srv_ctx *c, const tpt_clinic_profile *p, bool settings)
{
    json_t *o = tpt_profile_json(p, settings);
    if (o && settings)
        json_object_set_new(
            o, "smtp_password_unreadable",
            json_boolean(srv_relay_password_state(c->data->secret_key, p->clinic, p->smtp_url) ==
                         SRV_RELAY_UNREADABLE));
    return o;
}

void srv_clinic_profile_get(srv_ctx *c)
{
    tpt_calendar cal;
    if (srv_sign_in_as(c, false, SRV_STAFF) != 0 ||
        srv_calendar_open(c, &cal, c->caller.user.clinic) != 0)
        return;
    tpt_location_list locations;
    tpt_service_list services;
    tpt_practitioner_list staff;
    tpt_error err = {0};
    if (tpt_store_location_list(c->store, cal.profile.clinic, &locations, &err) != 0 ||
        tpt_store_service_list(c->store, cal.profile.clinic, &services, &err) != 0 ||
        tpt_store_practitioner_list(c->store, cal.profile.clinic, &staff, &err) != 0) {
        srv_reply_internal(c->res, &err);
        tpt_calendar_close(&cal);
        return;
    }
    json_t *l = json_array(), *s = json_array(), *p = json_array();
    for (size_t i = 0; i < locations.count; i++)
        json_array_append_new(l, tpt_location_json(&locations.items[i]));
    for (size_t i = 0; i < services.count; i++)
        json_array_append_new(s, tpt_service_json(&services.items[i]));
    for (size_t i = 0; i < staff.count; i++)
        json_array_append_new(p, tpt_practitioner_json(&staff.items[i], true));
    bool admin = c->caller.user.role == TPT_ROLE_ADMIN;
    c->res->body = json_pack("{s:o, s:o, s:o, s:o, s:b}", "clinic",
                             profile_json(c, &cal.profile, admin), "locations", l, "services", s,
                             "practitioners", p, "server_relay", c->data->smtp_url != NULL);
    tpt_location_list_free(&locations);
    tpt_service_list_free(&services);
    tpt_practitioner_list_free(&staff);
    tpt_calendar_close(&cal);
}

void srv_clinic_profile_put(srv_ctx *c)
{
    tpt_clinic_profile p;
    tpt_error err = {0};
    json_t *b = c->body;
    srv_response *res = c->res;
    static const char *const known[] = {"name",
                                        "slug",
                                        "zone",
                                        "address",
                                        "town",
                                        "postcode",
                                        "phone",
                                        "email",
                                        "about",
                                        "mail_from",
                                        "listed",
                                        "booking",
                                        "reminder_hours",
                                        "late_cancel_hours",
                                        "series_per_week",
                                        "series_every_days",
                                        "slot_minutes",
                                        "smtp_url",
                                        NULL};
    if (srv_sign_in_as(c, true, SRV_ADMIN) != 0 || srv_known_fields(b, known, res) != 0) return;
    if (tpt_store_clinic_profile_get(c->store, c->caller.user.clinic, &p, &err) != 0) {
        srv_reply_internal(res, &err);
        return;
    }
    char relay[TPT_SMTP_URL_MAX + 1];
    if (srv_text_field(b, "name", p.name, sizeof p.name, res) < 0 ||
        srv_text_field(b, "slug", p.slug, sizeof p.slug, res) < 0 ||
        srv_text_field(b, "zone", p.zone, sizeof p.zone, res) < 0 ||
        srv_text_field(b, "address", p.address, sizeof p.address, res) < 0 ||
        srv_text_field(b, "town", p.town, sizeof p.town, res) < 0 ||
        srv_text_field(b, "postcode", p.postcode, sizeof p.postcode, res) < 0 ||
        srv_text_field(b, "phone", p.phone, sizeof p.phone, res) < 0 ||
        srv_text_field(b, "email", p.email, sizeof p.email, res) < 0 ||
        srv_text_field(b, "about", p.about, sizeof p.about, res) < 0 ||
        srv_text_field(b, "mail_from", p.mail_from, sizeof p.mail_from, res) < 0 ||
        srv_bool_field(b, "listed", &p.listed, res) < 0 ||
        srv_bool_field(b, "booking", &p.booking, res) < 0 ||
        srv_int_field(b, "reminder_hours", 0, 168, &p.reminder_hours, res) < 0 ||
        srv_int_field(b, "late_cancel_hours", 0, 168, &p.late_cancel_hours, res) < 0 ||
        srv_int_field(b, "series_per_week", 0, 7, &p.series_per_week, res) < 0 ||
        srv_int_field(b, "series_every_days", 0, 28, &p.series_every_days, res) < 0 ||
        srv_int_field(b, "slot_minutes", 5, 120, &p.slot_minutes, res) < 0)
        return;
    int given = srv_text_field(b, "smtp_url", relay, sizeof relay, res);
    if (given < 0) return;
    /* the relay comes back without its password: sent back so, it stays */
    if (given && !strstr(relay, ":***@")) snprintf(p.smtp_url, sizeof p.smtp_url, "%s", relay);
    sodium_memzero(relay, sizeof relay);
    /* its password is kept encrypted, one kept in plain text before too */
    char why[400];
    if (srv_relay_seal(c->data->secret_key, p.clinic, p.smtp_url, relay, sizeof relay, why,
                       sizeof why) != 0) {
        if (c->data->secret_key)
            srv_reply_error(res, 400, "invalid-field", "smtp_url", "smtp_url: %s", why);
        else
            srv_reply_error(res, 409, "no-secret-key", "smtp_url", "smtp_url: %s", why);
        return;
    }
    snprintf(p.smtp_url, sizeof p.smtp_url, "%s", relay);
    tpt_zone *zone = tpt_zone_load(p.zone, &err);
    if (!zone) {
        srv_reply_error(res, 400, "invalid-field", "zone", "%s", err.message);
        return;
    }
    tpt_zone_free(zone);
    if (tpt_store_clinic_profile_save(c->store, &p, &err) != 0) {
        refused(c, &err);
        return;
    }
    srv_audit(c, c->caller.user.id, "calendar: changed the clinic's settings", 0);
    c->res->body = json_pack("{s:o}", "clinic", profile_json(c, &p, true));
}

/* Makes p's relay password current: sealed with key when it was kept in
 * plain text, or sealed again with key when it opens only with previous.
 * 1 with p changed and *was saying what it was; 0 when it stays as it is
 * (what stands in the way said on stderr). */
static int relay_made_current(const srv_secret_key *key, const srv_secret_key *previous,
                              tpt_clinic_profile *p, const char **was)
{
    char plain[TPT_SMTP_URL_MAX + 1], sealed[TPT_SMTP_URL_MAX + 1], why[400];
    srv_relay_password state = srv_relay_password_state(key, p->clinic, p->smtp_url);
    if (state == SRV_RELAY_NONE || state == SRV_RELAY_SEALED) return 0;
    *was = "kept in plain text before";
    int rc = 0;
    if (state == SRV_RELAY_PLAIN) {
        snprintf(plain, sizeof plain, "%s", p->smtp_url);
    } else if (previous && srv_relay_open(previous, p->clinic, p->smtp_url, plain, sizeof plain,
                                          why, sizeof why) == 0) {
        *was = "kept under the previous secret key";
    } else {
        fprintf(stderr,
                "tpt serve: clinic %lld's mail relay password does not open with %s: the "
                "relay is not used until the clinic's admin enters the password again in the "
                "clinic's settings\n",
                (long long)p->clinic,
                previous ? "the secret key nor the previous one" : "the secret key");
        return 0;
    }
    if (srv_relay_seal(key, p->clinic, plain, sealed, sizeof sealed, why, sizeof why) == 0) {
        snprintf(p->smtp_url, sizeof p->smtp_url, "%s", sealed);
        rc = 1;
    } else {
        fprintf(stderr, "tpt serve: clinic %lld's mail relay: %s\n", (long long)p->clinic, why);
    }
    sodium_memzero(plain, sizeof plain);
    return rc;
}

void srv_clinic_relays_seal(tpt_store *store, const srv_secret_key *key,
                            const srv_secret_key *previous)
{
    tpt_clinic_list clinics = {0};
    tpt_error err = {0};
    if (tpt_store_clinic_list(store, &clinics, &err) != 0) {
        fprintf(stderr, "tpt serve: the clinics' mail relays: %s\n", err.message);
        return;
    }
    for (size_t i = 0; i < clinics.count; i++) {
        tpt_clinic_profile p;
        const char *was = "";
        /* read and written in one transaction: a change made meanwhile on
         * another instance is not undone */
        if (tpt_store_begin(store, &err) != 0 ||
            tpt_store_clinic_profile_get(store, clinics.items[i].id, &p, &err) != 0) {
            tpt_store_rollback(store);
            fprintf(stderr, "tpt serve: clinic %lld's mail relay: %s\n",
                    (long long)clinics.items[i].id, err.message);
            continue;
        }
        int changed = relay_made_current(key, previous, &p, &was);
        if (changed && (tpt_store_clinic_profile_save(store, &p, &err) != 0 ||
                        tpt_store_commit(store, &err) != 0))
            fprintf(stderr, "tpt serve: clinic %lld's mail relay: %s\n", (long long)p.clinic,
                    err.message);
        else if (changed)
            fprintf(stderr,
                    "tpt serve: clinic %lld's mail relay password, %s, is now kept encrypted "
                    "under the secret key\n",
                    (long long)p.clinic, was);
        sodium_memzero(p.smtp_url, sizeof p.smtp_url);
        tpt_store_rollback(store); /* ends what was only read, or failed */
    }
    tpt_clinic_list_free(&clinics);
}

/* ---- locations and services ---- */

/* The id after a path's prefix ("/clinic/locations/7"): >0, or -1 with a 404. */
static int64_t path_id(srv_ctx *c)
{
    char *end;
    long long id = strtoll(c->rest, &end, 10);
    if (id > 0 && !*end && *c->rest >= '1' && *c->rest <= '9') return id;
    srv_reply_error(c->res, 404, "not-found", NULL, "no such endpoint: %s", c->req->path);
    return -1;
}

static void save_location(srv_ctx *c, int64_t id)
{
    tpt_location l = {.id = id, .clinic = c->caller.user.clinic};
    tpt_location_list list;
    tpt_error err = {0};
    static const char *const known[] = {"name", "address", "town", "postcode", "archived", NULL};
    if (srv_known_fields(c->body, known, c->res) != 0) return;
    if (id) { /* a change keeps what is not given */
        if (tpt_store_location_list(c->store, l.clinic, &list, &err) != 0) {
            srv_reply_internal(c->res, &err);
            return;
        }
        bool found = false;
        for (size_t i = 0; i < list.count; i++)
            if (list.items[i].id == id) l = list.items[i], found = true;
        tpt_location_list_free(&list);
        if (!found) {
            srv_reply_error(c->res, 404, "not-found", NULL, "no location %lld", (long long)id);
            return;
        }
    }
    json_t *b = c->body;
    if (srv_text_field(b, "name", l.name, sizeof l.name, c->res) < 0 ||
        srv_text_field(b, "address", l.address, sizeof l.address, c->res) < 0 ||
        srv_text_field(b, "town", l.town, sizeof l.town, c->res) < 0 ||
        srv_text_field(b, "postcode", l.postcode, sizeof l.postcode, c->res) < 0 ||
        srv_bool_field(b, "archived", &l.archived, c->res) < 0)
        return;
    if (tpt_store_location_save(c->store, &l, &l.id, &err) != 0) {
        srv_reply_failed(c->res, &err, "name");
        return;
    }
    srv_audit(c, c->caller.user.id, id ? "changed a location" : "added a location", 0);
    c->res->status = id ? 200 : 201;
    c->res->body = json_pack("{s:o}", "location", tpt_location_json(&l));
}

void srv_clinic_location_add(srv_ctx *c)
{
    if (srv_sign_in_as(c, true, SRV_ADMIN) == 0) save_location(c, 0);
}

void srv_clinic_location_put(srv_ctx *c)
{
    int64_t id;
    if (srv_sign_in_as(c, true, SRV_ADMIN) == 0 && (id = path_id(c)) > 0) save_location(c, id);
}

static void save_service(srv_ctx *c, int64_t id)
{
    tpt_service v = {
        .id = id, .clinic = c->caller.user.clinic, .minutes = 30, .kind = TPT_SERVICE_FOLLOW_UP};
    tpt_service_list list;
    tpt_error err = {0};
    json_t *b = c->body;
    static const char *const known[] = {"name",   "kind",     "minutes",       "modalities",
                                        "online", "archived", "practitioners", NULL};
    if (srv_known_fields(b, known, c->res) != 0) return;
    if (id) {
        if (tpt_store_service_list(c->store, v.clinic, &list, &err) != 0) {
            srv_reply_internal(c->res, &err);
            return;
        }
        bool found = false;
        for (size_t i = 0; i < list.count; i++)
            if (list.items[i].id == id) v = list.items[i], found = true;
        tpt_service_list_free(&list);
        if (!found) {
            srv_reply_error(c->res, 404, "not-found", NULL, "no service %lld", (long long)id);
            return;
        }
    }
    const char *kind = json_string_value(json_object_get(b, "kind"));
    if (json_object_get(b, "kind") && tpt_service_kind_parse(kind, &v.kind) != 0) {
        srv_reply_error(c->res, 400, "invalid-field", "kind",
                        "\"kind\" is first, follow-up or other");
        return;
    }
    json_t *staff = json_object_get(b, "practitioners");
    if (staff) {
        if (!json_is_array(staff) || json_array_size(staff) > TPT_SERVICE_STAFF_MAX) {
            srv_reply_error(c->res, 400, "invalid-field", "practitioners",
                            "\"practitioners\" is a list of accounts' ids");
            return;
        }
        v.nstaff = 0;
        size_t i;
        json_t *one;
        json_array_foreach(staff, i, one)
        {
            if (!srv_int_in(one, 1, INT64_MAX)) {
                srv_reply_error(c->res, 400, "invalid-field", "practitioners",
                                "\"practitioners\" is a list of accounts' ids");
                return;
            }
            v.staff[v.nstaff++] = json_integer_value(one);
        }
    }
    if (srv_text_field(b, "name", v.name, sizeof v.name, c->res) < 0 ||
        srv_int_field(b, "minutes", 5, 480, &v.minutes, c->res) < 0 ||
        modalities_field(b, &v.modalities, c->res) < 0 ||
        srv_bool_field(b, "online", &v.online, c->res) < 0 ||
        srv_bool_field(b, "archived", &v.archived, c->res) < 0)
        return;
    if (tpt_store_service_save(c->store, &v, &v.id, &err) != 0) {
        char field[64];
        const char *named = srv_field_of(err.message, field, sizeof field);
        srv_reply_failed(c->res, &err, named ? named : "practitioners");
        return;
    }
    srv_audit(c, c->caller.user.id, id ? "changed a service" : "added a service", 0);
    c->res->status = id ? 200 : 201;
    c->res->body = json_pack("{s:o}", "service", tpt_service_json(&v));
}

void srv_clinic_service_add(srv_ctx *c)
{
    if (srv_sign_in_as(c, true, SRV_ADMIN) == 0) save_service(c, 0);
}

void srv_clinic_service_put(srv_ctx *c)
{
    int64_t id;
    if (srv_sign_in_as(c, true, SRV_ADMIN) == 0 && (id = path_id(c)) > 0) save_service(c, id);
}

/* ---- practitioners ---- */

void srv_clinic_practitioner_put(srv_ctx *c)
{
    int64_t id;
    tpt_practitioner p;
    tpt_error err = {0};
    static const char *const known[] = {"qualifications", "modalities", "bookable", "hours", NULL};
    if (srv_sign_in_as(c, true, SRV_STAFF) != 0 || (id = path_id(c)) < 0 ||
        srv_known_fields(c->body, known, c->res) != 0)
        return;
    if (c->caller.user.role != TPT_ROLE_ADMIN && id != c->caller.user.id) {
        srv_reply_error(c->res, 403, "forbidden", NULL,
                        "a practitioner changes their own profile and hours only");
        return;
    }
    if (tpt_store_practitioner_get(c->store, id, &p, &err) != 0 ||
        p.clinic != c->caller.user.clinic) {
        tpt_practitioner_free(&p);
        srv_reply_error(c->res, 404, "not-found", NULL, "no practitioner %lld in the clinic",
                        (long long)id);
        return;
    }
    json_t *b = c->body, *hours = json_object_get(b, "hours");
    if (srv_text_field(b, "qualifications", p.qualifications, sizeof p.qualifications, c->res) <
            0 ||
        modalities_field(b, &p.modalities, c->res) < 0 ||
        srv_bool_field(b, "bookable", &p.bookable, c->res) < 0) {
        tpt_practitioner_free(&p);
        return;
    }
    if (hours) { /* the hours replace the old ones whole */
        free(p.hours);
        p.hours = json_is_null(hours) ? NULL : json_dumps(hours, JSON_COMPACT);
    }
    if (tpt_store_practitioner_save(c->store, &p, &err) != 0) {
        char field[80] = "hours";
        if (hours) { /* "weekly[2].to: ..." names hours.weekly[2].to */
            size_t n = strcspn(err.message, ":");
            if (n < sizeof field - 7 && err.message[n])
                snprintf(field, sizeof field, "hours.%.*s", (int)n, err.message);
        }
        srv_reply_failed(c->res, &err, hours ? field : NULL);
        tpt_practitioner_free(&p);
        return;
    }
    srv_audit(c, c->caller.user.id, "changed a practitioner's profile and hours", 0);
    c->res->body = json_pack("{s:o}", "practitioner", tpt_practitioner_json(&p, true));
    tpt_practitioner_free(&p);
}
