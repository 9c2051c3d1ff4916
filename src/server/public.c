/* What anyone may see and do without an account: the directory of the
 * clinics that chose to be listed, a clinic's public page (its name,
 * address, services and practitioners, never anything of a record), its
 * open slots, and booking a first visit online: the red-flag questions
 * first (an emergency or urgent answer says where to go instead of
 * booking), a slot held for a few minutes, then the booking, which makes
 * the patient, their invitation and the intake link. Held slots and
 * bookings are counted per client address and refused past their limit. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "fields.h"
#include "handlers.h"
#include "inputs.h"
#include "language.h"
#include "tpt/json.h"
#include "tpt/mail.h"

#define HOLD_MINUTES 10
#define NOTICE_HOURS 2 /* no online booking sooner than this */
#define PUBLIC_DAYS 14 /* how far ahead the public page shows slots at a time */
#define HOLDS_PER_WINDOW 20
#define BOOKINGS_PER_WINDOW 10
#define INVITATION_DAYS 7

/* ---- the directory ---- */

/* Whether `text` holds `part`, in any case, spaces ignored ("ls14ap" in "LS1 4AP"). */
static bool holds(const char *text, const char *part)
{
    char a[512], b[128];
    size_t n = 0, m = 0;
    for (const char *p = text; *p && n < sizeof a - 1; p++)
        if (!isspace((unsigned char)*p)) a[n++] = (char)tolower((unsigned char)*p);
    for (const char *p = part; *p && m < sizeof b - 1; p++)
        if (!isspace((unsigned char)*p)) b[m++] = (char)tolower((unsigned char)*p);
    a[n] = b[m] = '\0';
    return !m || strstr(a, b) != NULL;
}

/* What the clinic offers: its services' modalities and its practitioners'. */
static unsigned offered(tpt_store *s, int64_t clinic)
{
    unsigned bits = 0;
    tpt_service_list services;
    tpt_practitioner_list staff;
    if (tpt_store_service_list(s, clinic, &services, NULL) == 0) {
        for (size_t i = 0; i < services.count; i++)
            if (!services.items[i].archived) bits |= services.items[i].modalities;
        tpt_service_list_free(&services);
    }
    if (tpt_store_practitioner_list(s, clinic, &staff, NULL) == 0) {
        for (size_t i = 0; i < staff.count; i++)
            if (staff.items[i].bookable) bits |= staff.items[i].modalities;
        tpt_practitioner_list_free(&staff);
    }
    return bits;
}

/* The public face of a clinic: nothing its admins alone see. */
static json_t *public_clinic(const tpt_clinic_profile *p)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "name", p->name, "slug",
                     p->slug, "address", p->address, "town", p->town, "postcode", p->postcode,
                     "phone", p->phone, "email", p->email, "about", p->about, "zone", p->zone,
                     "booking", p->booking);
}

void srv_public_directory(srv_ctx *c)
{
    const char *place = srv_request_arg(c->req, "place");
    const char *modality = srv_request_arg(c->req, "modality");
    if ((place && strlen(place) > 100) ||
        (modality && *modality && tpt_modality_find(modality) < 0)) {
        srv_reply_error(c->res, 400, "invalid-field",
                        place && strlen(place) > 100 ? "place" : "modality",
                        "place is a town or postcode; modality one of dry-needling, acupuncture, "
                        "cupping, massage, manual-compression, tui-na, gua-sha, moist-heat, "
                        "stretching");
        return;
    }
    tpt_clinic_profile_list list;
    tpt_error err = {0};
    if (!srv_store(c)) return;
    if (tpt_store_clinic_directory(c->store, &list, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return;
    }
    int bit = modality && *modality ? tpt_modality_find(modality) : -1;
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++) {
        const tpt_clinic_profile *p = &list.items[i];
        char where[sizeof p->town + sizeof p->postcode + sizeof p->address + sizeof p->name];
        snprintf(where, sizeof where, "%s %s %s %s", p->town, p->postcode, p->address, p->name);
        unsigned bits = offered(c->store, p->clinic);
        if (place && !holds(where, place)) continue;
        if (bit >= 0 && !(bits & 1u << bit)) continue;
        json_t *o = public_clinic(p);
        json_object_set_new(o, "modalities", tpt_modalities_json(bits));
        json_array_append_new(items, o);
    }
    tpt_clinic_profile_list_free(&list);
    c->res->body = json_pack("{s:o}", "clinics", items);
}

/* ---- a clinic's page ---- */

/* The clinic of /public/clinics/SLUG[/...]; what follows the slug in *after. */
static int by_slug(srv_ctx *c, tpt_clinic_profile *p, const char **after)
{
    char slug[TPT_SLUG_MAX + 1];
    size_t n = strcspn(c->rest, "/");
    *after = c->rest + n;
    if (n && n <= TPT_SLUG_MAX && srv_store(c)) {
        memcpy(slug, c->rest, n);
        slug[n] = '\0';
        tpt_error err = {0};
        if (tpt_store_clinic_by_slug(c->store, slug, p, NULL) == 0) {
            /* what follows is this clinic's (its free times, a booking) */
            if (tpt_store_scope(c->store, p->clinic, &err) == 0) return 0;
            srv_reply_internal(c->res, &err);
            return -1;
        }
    }
    if (c->store) srv_reply_error(c->res, 404, "not-found", NULL, "no clinic has that address");
    return -1;
}

static void clinic_page(srv_ctx *c, const tpt_clinic_profile *p)
{
    tpt_location_list locations;
    tpt_service_list services;
    tpt_practitioner_list staff;
    tpt_error err = {0};
    if (tpt_store_location_list(c->store, p->clinic, &locations, &err) != 0 ||
        tpt_store_service_list(c->store, p->clinic, &services, &err) != 0 ||
        tpt_store_practitioner_list(c->store, p->clinic, &staff, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return;
    }
    json_t *l = json_array(), *s = json_array(), *who = json_array();
    for (size_t i = 0; i < locations.count; i++)
        if (!locations.items[i].archived)
            json_array_append_new(l, tpt_location_json(&locations.items[i]));
    for (size_t i = 0; i < services.count; i++) {
        const tpt_service *v = &services.items[i];
        if (v->archived) continue;
        json_t *o = tpt_service_json(v);
        json_object_del(o, "practitioners"); /* accounts' ids are nobody's business */
        json_array_append_new(s, o);
    }
    for (size_t i = 0; i < staff.count; i++)
        if (staff.items[i].bookable)
            json_array_append_new(who, tpt_practitioner_json(&staff.items[i], false));
    json_t *clinic = public_clinic(p);
    json_object_set_new(clinic, "modalities", tpt_modalities_json(offered(c->store, p->clinic)));
    c->res->body = json_pack("{s:o, s:o, s:o, s:o}", "clinic", clinic, "locations", l, "services",
                             s, "practitioners", who);
    tpt_location_list_free(&locations);
    tpt_service_list_free(&services);
    tpt_practitioner_list_free(&staff);
}

/* The service of an online booking: offered online by the clinic. */
static int online_service(tpt_store *s, int64_t clinic, int64_t id, tpt_service *out,
                          srv_response *res)
{
    tpt_service_list list;
    bool found = false;
    if (tpt_store_service_list(s, clinic, &list, NULL) == 0) {
        for (size_t i = 0; i < list.count && !found; i++)
            if ((found = list.items[i].id == id && list.items[i].online && !list.items[i].archived))
                *out = list.items[i];
        tpt_service_list_free(&list);
    }
    if (!found)
        srv_reply_error(res, 400, "invalid-field", "service",
                        "\"service\" is one of the services the clinic offers online");
    return found ? 0 : -1;
}

static void slots(srv_ctx *c, const tpt_clinic_profile *p)
{
    tpt_calendar cal;
    tpt_service v;
    tpt_error err = {0};
    long long service = srv_number_arg(c->req, "service", 1, INT64_MAX, 0, c->res);
    long long who =
        service < 0 ? -1 : srv_number_arg(c->req, "practitioner", 0, INT64_MAX, 0, c->res);
    long long days = who < 0 ? -1 : srv_number_arg(c->req, "days", 1, PUBLIC_DAYS, 7, c->res);
    if (days < 0 || online_service(c->store, p->clinic, service, &v, c->res) != 0 ||
        srv_calendar_open(c, &cal, p->clinic) != 0)
        return;
    int64_t day;
    if (tpt_calendar_day(&cal, srv_request_arg(c->req, "from"), &day, &err) != 0) {
        srv_reply_error(c->res, 400, "invalid-field", "from", "%s", err.message);
    } else if (!p->booking) {
        srv_reply_error(c->res, 409, "booking-closed", NULL, "%s takes no bookings online: call %s",
                        p->name, *p->phone ? p->phone : "the clinic");
    } else {
        json_t *out = tpt_calendar_slots_json(&cal, service, who, 0, day, (int)days,
                                              cal.now_seconds + NOTICE_HOURS * 3600, 200, &err);
        if (!out)
            srv_reply_failed(c->res, &err, NULL);
        else
            c->res->body = out;
    }
    tpt_calendar_close(&cal);
}

void srv_public_clinic(srv_ctx *c)
{
    tpt_clinic_profile p;
    const char *after;
    if (by_slug(c, &p, &after) != 0) return;
    if (!*after)
        clinic_page(c, &p);
    else if (strcmp(after, "/slots") == 0)
        slots(c, &p);
    else
        srv_reply_error(c->res, 404, "not-found", NULL, "no such endpoint: %s", c->req->path);
}

/* ---- holding a slot and booking it ---- */

/* Counts a hit of `what` by this client in the current window of `minutes`
 * at `clinic`'s page: 0, or a 429 once past `limit`. The hit is committed at
 * once, so that it counts even when the request then fails (and is rolled
 * back); the request goes on in a new transaction, scoped to the clinic. */
static int within_limit(srv_ctx *c, int64_t clinic, const char *what, int minutes, int limit)
{
    char key[100], hash[65], window[TPT_TIME_MAX];
    int64_t now;
    srv_now(c, window);
    tpt_time_parse(window, &now);
    tpt_time_format(now - now % (minutes * 60), window);
    srv_address_key(c->req->address ? c->req->address : "", hash); /* kept hashed */
    snprintf(key, sizeof key, "%s:%.32s", what, hash);
    int hits = 0;
    tpt_error err = {0};
    if (tpt_store_rate_hit(c->store, key, window, &hits, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return -1;
    }
    if (srv_commit(c) != 0 || !srv_store(c)) return -1;
    if (tpt_store_scope(c->store, clinic, &err) != 0) {
        srv_reply_internal(c->res, &err);
        return -1;
    }
    if (hits <= limit) return 0;
    srv_reply_error(c->res, 429, "slow-down", NULL,
                    "too many tries from here: wait %d minutes, or call the clinic", minutes);
    return -1;
}

/* Whether `start` is an open slot of the practitioner for the service now. */
static bool open_slot(srv_ctx *c, const tpt_calendar *cal, int64_t service, int64_t practitioner,
                      int64_t start, int64_t *location)
{
    tpt_error err = {0};
    int64_t day = tpt_floor_div(tpt_zone_to_local(cal->zone, start), 86400);
    json_t *open = tpt_calendar_slots_json(cal, service, practitioner, 0, day, 1,
                                           cal->now_seconds + NOTICE_HOURS * 3600, 500, &err);
    char at[TPT_TIME_MAX];
    tpt_time_format(start, at);
    bool found = false;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(open, "slots"), i, s)
    {
        if (!found && strcmp(json_string_value(json_object_get(s, "start")), at) == 0) {
            found = true;
            *location = json_integer_value(json_object_get(s, "location"));
        }
    }
    json_decref(open);
    (void)c;
    return found;
}

static void hold(srv_ctx *c, const tpt_clinic_profile *p)
{
    tpt_calendar cal;
    tpt_service v;
    int64_t service, practitioner, start, location = 0;
    if (!p->booking) {
        srv_reply_error(c->res, 409, "booking-closed", NULL, "%s takes no bookings online",
                        p->name);
        return;
    }
    static const char *const known[] = {"service", "practitioner", "start", NULL};
    if (srv_known_fields(c->body, known, c->res) != 0 ||
        within_limit(c, p->clinic, "hold", 10, HOLDS_PER_WINDOW) != 0 ||
        (service = srv_id_field(c->body, "service", c->res)) < 0 ||
        (practitioner = srv_id_field(c->body, "practitioner", c->res)) < 0 ||
        online_service(c->store, p->clinic, service, &v, c->res) != 0 ||
        srv_calendar_open(c, &cal, p->clinic) != 0)
        return;
    const char *asked = json_string_value(json_object_get(c->body, "start"));
    tpt_error err = {0};
    if (!practitioner || !asked || tpt_calendar_time(&cal, asked, &start, &err) != 0) {
        srv_reply_error(c->res, 400, "invalid-field", practitioner ? "start" : "practitioner",
                        "a hold names the practitioner and the start of an open slot");
    } else if (!open_slot(c, &cal, service, practitioner, start, &location)) {
        srv_reply_error(c->res, 409, "slot-taken", "start",
                        "that time is no longer open: choose another");
    } else {
        char token[65];
        tpt_hold h = {.clinic = p->clinic,
                      .practitioner = practitioner,
                      .location = location,
                      .service = service};
        tpt_token_new(token, h.token_hash);
        tpt_time_format(start, h.starts);
        tpt_time_format(start + (int64_t)v.minutes * 60, h.ends);
        srv_from_now(c, HOLD_MINUTES * 60, h.expires);
        if (tpt_store_hold_add(c->store, &h, cal.now, &err) != 0) {
            if (err.status == TPT_ERR_CONFLICT)
                srv_reply_error(c->res, 409, "slot-taken", "start", "%s", err.message);
            else
                srv_reply_failed(c->res, &err, NULL);
        } else {
            c->res->status = 201;
            c->res->body = json_pack("{s:s, s:s, s:s, s:i}", "hold", token, "expires", h.expires,
                                     "start", h.starts, "minutes", HOLD_MINUTES);
        }
    }
    tpt_calendar_close(&cal);
}

/* The person's name, email and phone from a booking: 0, or a 400. */
static int person(srv_ctx *c, char name[TPT_NAME_MAX + 1], char contact[TPT_NAME_MAX + 1],
                  char email[TPT_EMAIL_MAX + 1])
{
    char phone[64] = "", given[TPT_EMAIL_MAX + 1] = "";
    name[0] = '\0';
    if (srv_text_field(c->body, "name", name, TPT_NAME_MAX + 1, c->res) < 0 ||
        srv_text_field(c->body, "email", given, sizeof given, c->res) < 0 ||
        srv_text_field(c->body, "phone", phone, sizeof phone, c->res) < 0)
        return -1;
    const char *bad = !*name ? "name"
                      : !tpt_contact_email(given, email, TPT_EMAIL_MAX + 1) || strcmp(email, given)
                          ? "email"
                          : NULL;
    for (const char *q = name; !bad && *q; q++)
        if ((unsigned char)*q < ' ') bad = "name";
    for (const char *q = phone; !bad && *q; q++)
        if (!strchr("0123456789 +-()", *q)) bad = "phone";
    if (bad) {
        srv_reply_error(c->res, 400, "invalid-field", bad,
                        !strcmp(bad, "name") ? "give your name"
                        : !strcmp(bad, "email")
                            ? "give an email address, such as anna@example.org"
                            : "a phone number has digits, spaces, + - ( ) only");
        return -1;
    }
    snprintf(contact, TPT_NAME_MAX + 1, "%s%s%s", email, *phone ? ", " : "", phone);
    return 0;
}

/* Everything of a booking in one transaction: the patient with their
 * contact, the screen as they answered it, the invitation to their record,
 * the appointment (taking the hold), its intake link and the emails. */
static int book(srv_ctx *c, tpt_calendar *cal, const tpt_hold *h, const char *name,
                const char *contact, const char *email, json_t *answers,
                const tpt_screen_result *screen, json_t **out, tpt_error *err)
{
    tpt_patient p;
    /* the invitation comes from the practitioner the person booked with */
    tpt_invitation inv = {
        .role = TPT_ROLE_PATIENT, .clinic = cal->profile.clinic, .created_by = h->practitioner};
    char invite_token[65], intake_token[65], invite_link[128], intake_link[128];
    uint8_t intake_hash[TPT_TOKEN_HASH_SIZE];
    int rc;
    if ((rc = tpt_store_patient_add(c->store, name, cal->profile.clinic, &c->patient, err)) ||
        (rc = tpt_store_patient_get(c->store, c->patient, &p, err)))
        return rc;
    snprintf(p.contact, sizeof p.contact, "%s", contact);
    if ((rc = tpt_store_patient_save(c->store, &p, err))) return rc;
    json_t *result = tpt_screen_result_json(c->data->screen, screen);
    char *input = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    char *text = result ? json_dumps(result, JSON_COMPACT) : NULL;
    json_decref(result);
    tpt_record r = {.patient = c->patient,
                    .kind = TPT_RECORD_SCREEN,
                    .summary = (char *)tpt_level_name(screen->level),
                    .input = input,
                    .json = text};
    srv_now(c, r.at);
    rc = input && text ? tpt_store_record_add(c->store, &r, NULL, err)
                       : tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    free(input);
    free(text);
    if (rc) return rc;
    snprintf(inv.name, sizeof inv.name, "%s", name);
    snprintf(inv.email, sizeof inv.email, "%s", email);
    inv.patient = c->patient;
    srv_now(c, inv.created);
    srv_from_now(c, INVITATION_DAYS * 86400, inv.expires);
    tpt_token_new(invite_token, inv.token_hash);
    tpt_token_new(intake_token, intake_hash);
    if ((rc = tpt_store_invitation_add(c->store, &inv, err))) return rc;
    snprintf(invite_link, sizeof invite_link, "/#/invite/%s", invite_token);
    snprintf(intake_link, sizeof intake_link, "/#/intake/%s", intake_token);
    tpt_booking b = {.patient = c->patient,
                     .practitioner = h->practitioner,
                     .location = h->location,
                     .service = h->service,
                     .source = "online",
                     /* its emails in the language of the page booked on */
                     .language = tpt_words_language(srv_words(c->data, c->req)),
                     .hold = h->token_hash,
                     .intake_link = intake_link,
                     .invitation_link = invite_link,
                     .course_visit = 1};
    tpt_time_parse(h->starts, &b.start);
    tpt_appointment a;
    if ((rc = tpt_calendar_book_in(cal, &b, &a, err)) ||
        (rc = srv_intake_keep(c, &a, intake_hash, err)))
        return rc;
    *out = json_pack("{s:o, s:s, s:s, s:s}", "appointment", tpt_appointment_json(cal, &a),
                     "invitation", invite_link, "intake", intake_link, "notice",
                     "This is not a diagnosis. If your symptoms change before the visit "
                     "(numbness between the legs, any change in bladder or bowel control, "
                     "weakness getting worse in both legs), go to an emergency department at "
                     "once.");
    return *out ? 0 : tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
}

static void booking(srv_ctx *c, const tpt_clinic_profile *p)
{
    char name[TPT_NAME_MAX + 1], contact[TPT_NAME_MAX + 1], email[TPT_EMAIL_MAX + 1];
    char now[TPT_TIME_MAX];
    uint8_t token_hash[TPT_TOKEN_HASH_SIZE];
    tpt_screen_result screen;
    tpt_hold h;
    tpt_calendar cal;
    tpt_error err = {0};
    json_t *answers = json_object_get(c->body, "answers");
    static const char *const known[] = {"name", "email", "phone", "answers", "hold", NULL};
    if (srv_known_fields(c->body, known, c->res) != 0 ||
        within_limit(c, p->clinic, "booking", 60, BOOKINGS_PER_WINDOW) != 0 ||
        person(c, name, contact, email) != 0)
        return;
    if (!json_is_object(answers)) {
        srv_reply_error(c->res, 400, "screen-required", "answers",
                        "answer the safety questions first (\"answers\")");
        return;
    }
    if (srv_read_answers(c->data, answers, &screen, c->res) != 0) return;
    if (!screen.complete) {
        srv_reply_error(c->res, 400, "screen-incomplete", "answers",
                        "answer every safety question before booking");
        return;
    }
    if (!TPT_SELF_CARE_ALLOWED(screen.level)) {
        /* where to go instead: nothing is booked, nothing is kept */
        json_t *result = tpt_screen_result_json(c->data->screen, &screen);
        srv_reply_error(c->res, 409, "booking-stopped", "answers",
                        "your answers need a doctor first, not a booking here: %s",
                        json_string_value(json_object_get(result, "advice")));
        json_object_set_new(c->res->body, "screen", result);
        return;
    }
    const char *hold_token = json_string_value(json_object_get(c->body, "hold"));
    if (!hold_token || tpt_token_hash(hold_token, token_hash) != 0 ||
        (srv_now(c, now), tpt_store_hold_find(c->store, token_hash, now, &h, &err) != 0) ||
        h.clinic != p->clinic) {
        srv_reply_error(c->res, 409, "hold-expired", "hold",
                        "the time was held for %d minutes only and is no longer: choose a time "
                        "again",
                        HOLD_MINUTES);
        return;
    }
    if (srv_calendar_open(c, &cal, p->clinic) != 0) return;
    json_t *out = NULL;
    int rc = tpt_store_begin_shared(c->store, &err);
    if (!rc) rc = book(c, &cal, &h, name, contact, email, answers, &screen, &out, &err);
    if (!rc) rc = tpt_store_commit(c->store, &err);
    if (rc) {
        tpt_store_rollback(c->store);
        json_decref(out);
        if (err.status == TPT_ERR_CONFLICT)
            srv_reply_error(c->res, 409, "slot-taken", NULL, "%s", err.message);
        else
            srv_reply_failed(c->res, &err, NULL);
    } else {
        srv_audit(c, 0, "calendar: booked a first visit online", c->patient);
        c->res->status = 201;
        c->res->body = out;
    }
    tpt_calendar_close(&cal);
}

void srv_public_action(srv_ctx *c)
{
    tpt_clinic_profile p;
    const char *after;
    if (by_slug(c, &p, &after) != 0) return;
    if (strcmp(after, "/holds") == 0)
        hold(c, &p);
    else if (strcmp(after, "/bookings") == 0)
        booking(c, &p);
    else
        srv_reply_error(c->res, 404, "not-found", NULL, "no such endpoint: %s", c->req->path);
}
