/* The store's contract for the clinic's calendar (store/store.h,
 * docs/internals/store.md), through the interface only, so that it runs for
 * every backend: the clinic's profile and what belongs to it; no two
 * appointments of one practitioner overlapping, whoever books, even when
 * several processes book the same time at once; held slots; the outbox,
 * whose messages two senders never both claim and which sends a message
 * once after a sender dies between queueing and sending; rate limits,
 * intake links and calendar feeds.
 *
 *     conformance_calendar [BASE]   (tests/store/common.h) */
#include <signal.h>
#include <string.h>

#include "common.h"

#define NOW "2026-11-20T08:00:00Z"

/* A clinic with a practitioner (and a second), a location, a service and a
 * patient, as most tests need. */
typedef struct world {
    tpt_store *s;
    int64_t clinic, ruth, sam, location, service, patient;
} world;

static int64_t account(tpt_store *s, int64_t clinic, const char *email, tpt_role role)
{
    tpt_user u = {.clinic = clinic, .role = role};
    snprintf(u.email, sizeof u.email, "%s", email);
    snprintf(u.name, sizeof u.name, "%s", email);
    snprintf(u.password_hash, sizeof u.password_hash, "x");
    int64_t id;
    tpt_error err = {0};
    if (tpt_store_user_add(s, &u, &id, &err) != 0) fail_msg("%s", err.message);
    return id;
}

static world make_world(const char *name)
{
    world w = {.s = open_store(name)};
    tpt_error err = {0};
    assert_int_equal(tpt_store_clinic_add(w.s, "North Clinic", &w.clinic, &err), 0);
    w.ruth = account(w.s, w.clinic, "ruth@north.example", TPT_ROLE_PRACTITIONER);
    w.sam = account(w.s, w.clinic, "sam@north.example", TPT_ROLE_ADMIN);
    tpt_location l = {.clinic = w.clinic, .name = "High Street"};
    if (tpt_store_location_save(w.s, &l, &w.location, &err) != 0) fail_msg("%s", err.message);
    tpt_service v = {
        .clinic = w.clinic, .name = "First visit", .minutes = 60, .kind = TPT_SERVICE_FIRST};
    if (tpt_store_service_save(w.s, &v, &w.service, &err) != 0) fail_msg("%s", err.message);
    assert_int_equal(tpt_store_patient_add(w.s, "Anna Berg", w.clinic, &w.patient, &err), 0);
    return w;
}

static tpt_appointment appointment(const world *w, int64_t practitioner, const char *starts,
                                   const char *ends)
{
    tpt_appointment a = {.clinic = w->clinic,
                         .patient = w->patient,
                         .practitioner = practitioner,
                         .location = w->location,
                         .service = w->service,
                         .status = TPT_APPOINTMENT_BOOKED};
    snprintf(a.starts, sizeof a.starts, "%s", starts);
    snprintf(a.ends, sizeof a.ends, "%s", ends);
    snprintf(a.source, sizeof a.source, "staff");
    snprintf(a.created_at, sizeof a.created_at, NOW);
    return a;
}

static int book(const world *w, int64_t practitioner, const char *starts, const char *ends,
                int64_t *id, tpt_error *err)
{
    tpt_appointment a = appointment(w, practitioner, starts, ends);
    return tpt_store_appointment_add(w->s, &a, NULL, NOW, id, err);
}

static size_t count(const world *w, int64_t practitioner)
{
    tpt_appointment_list list;
    tpt_appointment_filter f = {.clinic = w->clinic, .practitioner = practitioner};
    assert_int_equal(tpt_store_appointment_list(w->s, &f, &list, NULL), 0);
    size_t n = list.count;
    tpt_appointment_list_free(&list);
    return n;
}

/* ---- the clinic ---- */

static void a_clinic_keeps_its_profile_and_its_address(void **state)
{
    (void)state;
    world w = make_world("profile");
    tpt_error err = {0};
    tpt_clinic_profile p, back;
    assert_int_equal(tpt_store_clinic_profile_get(w.s, w.clinic, &p, &err), 0);
    assert_string_equal(p.name, "North Clinic"); /* the defaults, never saved */
    assert_string_equal(p.zone, "UTC");
    assert_int_equal(p.reminder_hours, 24);
    assert_false(p.listed);
    snprintf(p.slug, sizeof p.slug, "north");
    snprintf(p.zone, sizeof p.zone, "Europe/London");
    snprintf(p.town, sizeof p.town, "Leeds");
    snprintf(p.postcode, sizeof p.postcode, "LS1 4AP");
    snprintf(p.name, sizeof p.name, "North Clinic of Leeds");
    p.listed = p.booking = true;
    p.series_per_week = 3;
    snprintf(p.smtp_url, sizeof p.smtp_url, "smtp://127.0.0.1:2525");
    assert_int_equal(tpt_store_clinic_profile_save(w.s, &p, &err), 0);
    assert_int_equal(tpt_store_clinic_profile_get(w.s, w.clinic, &back, &err), 0);
    assert_memory_equal(&p, &back, sizeof p);
    tpt_clinic clinic;
    assert_int_equal(tpt_store_clinic_get(w.s, w.clinic, &clinic, NULL), 0);
    assert_string_equal(clinic.name, "North Clinic of Leeds"); /* one name */
    assert_int_equal(tpt_store_clinic_by_slug(w.s, "north", &back, &err), 0);
    assert_true(back.clinic == w.clinic);
    assert_int_equal(tpt_store_clinic_by_slug(w.s, "south", &back, &err), TPT_ERR_INPUT);
    /* another clinic cannot take the address; nothing of it changes */
    int64_t south;
    assert_int_equal(tpt_store_clinic_add(w.s, "South", &south, NULL), 0);
    tpt_clinic_profile q;
    assert_int_equal(tpt_store_clinic_profile_get(w.s, south, &q, NULL), 0);
    snprintf(q.slug, sizeof q.slug, "north");
    snprintf(q.name, sizeof q.name, "Renamed");
    assert_int_equal(tpt_store_clinic_profile_save(w.s, &q, &err), TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_clinic_get(w.s, south, &clinic, NULL), 0);
    assert_string_equal(clinic.name, "South");
    snprintf(q.slug, sizeof q.slug, "Not A Slug");
    assert_int_equal(tpt_store_clinic_profile_save(w.s, &q, &err), TPT_ERR_INPUT);
    q.clinic = 999;
    snprintf(q.slug, sizeof q.slug, "other");
    assert_int_equal(tpt_store_clinic_profile_save(w.s, &q, &err), TPT_ERR_INPUT);
    /* the directory: listed clinics with an address only, by name */
    tpt_clinic_profile_list dir;
    assert_int_equal(tpt_store_clinic_directory(w.s, &dir, NULL), 0);
    assert_int_equal(dir.count, 1);
    assert_string_equal(dir.items[0].slug, "north");
    tpt_clinic_profile_list_free(&dir);
    assert_int_equal(tpt_store_clinic_profile_get(w.s, south, &q, NULL), 0);
    snprintf(q.slug, sizeof q.slug, "south");
    q.listed = true;
    assert_int_equal(tpt_store_clinic_profile_save(w.s, &q, &err), 0);
    assert_int_equal(tpt_store_clinic_directory(w.s, &dir, NULL), 0);
    assert_int_equal(dir.count, 2);
    assert_string_equal(dir.items[0].name, "North Clinic of Leeds");
    assert_string_equal(dir.items[1].name, "South");
    tpt_clinic_profile_list_free(&dir);
    tpt_store_close(w.s);
}

static void locations_services_and_practitioners_belong_to_their_clinic(void **state)
{
    (void)state;
    world w = make_world("belongs");
    tpt_error err = {0};
    int64_t south, stranger;
    assert_int_equal(tpt_store_clinic_add(w.s, "South", &south, NULL), 0);
    stranger = account(w.s, south, "sol@south.example", TPT_ROLE_PRACTITIONER);
    int64_t patient_account = account(w.s, w.clinic, "anna@example.org", TPT_ROLE_PATIENT);
    /* a location changed by its id; another clinic's is not this one's */
    tpt_location l = {.id = w.location, .clinic = w.clinic, .name = "High Street, first floor"};
    assert_int_equal(tpt_store_location_save(w.s, &l, NULL, &err), 0);
    l.clinic = south;
    assert_int_equal(tpt_store_location_save(w.s, &l, NULL, &err), TPT_ERR_INPUT);
    tpt_location_list locations;
    assert_int_equal(tpt_store_location_list(w.s, w.clinic, &locations, NULL), 0);
    assert_int_equal(locations.count, 1);
    assert_string_equal(locations.items[0].name, "High Street, first floor");
    tpt_location_list_free(&locations);
    /* a service given by staff of its clinic only */
    tpt_service v = {.clinic = w.clinic,
                     .name = "Follow-up",
                     .minutes = 30,
                     .kind = TPT_SERVICE_FOLLOW_UP,
                     .modalities = 1u << TPT_MODALITY_DRY_NEEDLING | 1u << TPT_MODALITY_CUPPING,
                     .online = true,
                     .nstaff = 2,
                     .staff = {w.sam, w.ruth}};
    int64_t follow_up;
    assert_int_equal(tpt_store_service_save(w.s, &v, &follow_up, &err), 0);
    v.staff[1] = stranger;
    assert_int_equal(tpt_store_service_save(w.s, &v, NULL, &err), TPT_ERR_INPUT);
    v.staff[1] = patient_account;
    assert_int_equal(tpt_store_service_save(w.s, &v, NULL, &err), TPT_ERR_INPUT);
    tpt_service_list services;
    assert_int_equal(tpt_store_service_list(w.s, w.clinic, &services, NULL), 0);
    assert_int_equal(services.count, 2);
    const tpt_service *got = &services.items[1];
    assert_true(got->id == follow_up);
    assert_int_equal(got->nstaff, 2);
    assert_true(got->staff[0] == w.ruth && got->staff[1] == w.sam); /* by id */
    assert_int_equal(got->modalities, v.modalities);
    assert_true(got->online);
    assert_int_equal(got->kind, TPT_SERVICE_FOLLOW_UP);
    tpt_service_list_free(&services);
    /* a practitioner's profile and hours */
    tpt_practitioner p;
    assert_int_equal(tpt_store_practitioner_get(w.s, w.ruth, &p, &err), 0);
    assert_true(p.bookable);
    assert_null(p.hours);
    snprintf(p.qualifications, sizeof p.qualifications, "MSc Physiotherapy");
    p.modalities = 1u << TPT_MODALITY_ACUPUNCTURE;
    p.hours = "{\"weekly\": [{\"day\": \"mon\", \"from\": \"09:00\", \"to\": \"17:00\"}]}";
    assert_int_equal(tpt_store_practitioner_save(w.s, &p, &err), 0);
    p.hours = "{\"weekly\": [{\"day\": \"someday\"}]}";
    assert_int_equal(tpt_store_practitioner_save(w.s, &p, &err), TPT_ERR_INPUT);
    p.user = patient_account;
    p.hours = NULL;
    assert_int_equal(tpt_store_practitioner_save(w.s, &p, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_practitioner_get(w.s, patient_account, &p, &err), TPT_ERR_INPUT);
    tpt_practitioner_list staff;
    assert_int_equal(tpt_store_practitioner_list(w.s, w.clinic, &staff, NULL), 0);
    assert_int_equal(staff.count, 2); /* not the patient's account, not the other clinic's */
    assert_string_equal(staff.items[0].qualifications, "MSc Physiotherapy");
    assert_non_null(strstr(staff.items[0].hours, "09:00"));
    assert_null(staff.items[1].hours);
    tpt_practitioner_list_free(&staff);
    tpt_store_close(w.s);
}

/* ---- appointments ---- */

static void no_two_appointments_of_one_practitioner_overlap(void **state)
{
    (void)state;
    world w = make_world("overlap");
    tpt_error err = {0};
    int64_t first, id;
    assert_int_equal(book(&w, w.ruth, "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", &first, &err),
                     0);
    /* every way of overlapping is refused, and nothing is stored */
    static const char *const clashes[][2] = {{"2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z"},
                                             {"2026-11-24T09:30:00Z", "2026-11-24T10:01:00Z"},
                                             {"2026-11-24T10:59:00Z", "2026-11-24T11:30:00Z"},
                                             {"2026-11-24T10:15:00Z", "2026-11-24T10:45:00Z"},
                                             {"2026-11-24T09:00:00Z", "2026-11-24T12:00:00Z"}};
    for (size_t i = 0; i < sizeof clashes / sizeof *clashes; i++) {
        assert_int_equal(book(&w, w.ruth, clashes[i][0], clashes[i][1], &id, &err),
                         TPT_ERR_CONFLICT);
        assert_string_equal(err.message, "the practitioner has another appointment at that time");
    }
    assert_int_equal(count(&w, w.ruth), 1);
    /* back to back, and another practitioner at the same time, are fine */
    assert_int_equal(book(&w, w.ruth, "2026-11-24T11:00:00Z", "2026-11-24T11:30:00Z", &id, &err),
                     0);
    assert_int_equal(book(&w, w.ruth, "2026-11-24T09:30:00Z", "2026-11-24T10:00:00Z", &id, &err),
                     0);
    assert_int_equal(book(&w, w.sam, "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", &id, &err), 0);
    /* moving onto a taken time is refused and the appointment stays */
    tpt_appointment a;
    assert_int_equal(tpt_store_appointment_get(w.s, id, &a, NULL), 0);
    a.practitioner = w.ruth;
    assert_int_equal(tpt_store_appointment_move(w.s, &a, NOW, &err), TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_appointment_get(w.s, id, &a, NULL), 0);
    assert_true(a.practitioner == w.sam);
    /* a cancelled appointment frees its time, stays cancelled, and cannot move */
    assert_int_equal(
        tpt_store_appointment_status(w.s, first, TPT_APPOINTMENT_CANCELLED, NOW, true, "ill", &err),
        0);
    assert_int_equal(book(&w, w.ruth, "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", &id, &err),
                     0);
    assert_int_equal(
        tpt_store_appointment_status(w.s, first, TPT_APPOINTMENT_BOOKED, NOW, false, NULL, &err),
        TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_appointment_get(w.s, first, &a, NULL), 0);
    assert_int_equal(a.status, TPT_APPOINTMENT_CANCELLED);
    assert_true(a.late_cancel);
    assert_string_equal(a.reason, "ill");
    assert_string_equal(a.cancelled_at, NOW);
    assert_int_equal(tpt_store_appointment_move(w.s, &a, NOW, &err), TPT_ERR_CONFLICT);
    /* arrived and no-show keep the time taken */
    assert_int_equal(
        tpt_store_appointment_status(w.s, id, TPT_APPOINTMENT_NO_SHOW, NOW, false, NULL, &err), 0);
    assert_int_equal(book(&w, w.ruth, "2026-11-24T10:30:00Z", "2026-11-24T10:45:00Z", NULL, &err),
                     TPT_ERR_CONFLICT);
    tpt_store_close(w.s);
}

/* An appointment keeps the language of its emails ("" unless given), read
 * back alone and in lists; a language out of shape is refused. */
static void an_appointment_keeps_its_language(void **state)
{
    (void)state;
    world w = make_world("languages");
    tpt_error err = {0};
    int64_t de, none;
    tpt_appointment a = appointment(&w, w.ruth, "2026-11-24T10:00:00Z", "2026-11-24T10:30:00Z");
    snprintf(a.language, sizeof a.language, "de");
    assert_int_equal(tpt_store_appointment_add(w.s, &a, NULL, NOW, &de, &err), 0);
    assert_int_equal(book(&w, w.ruth, "2026-11-25T10:00:00Z", "2026-11-25T10:30:00Z", &none, &err),
                     0);
    tpt_appointment got;
    assert_int_equal(tpt_store_appointment_get(w.s, de, &got, NULL), 0);
    assert_string_equal(got.language, "de");
    assert_int_equal(tpt_store_appointment_get(w.s, none, &got, NULL), 0);
    assert_string_equal(got.language, "");
    /* a move keeps it */
    assert_int_equal(tpt_store_appointment_get(w.s, de, &got, NULL), 0);
    snprintf(got.starts, sizeof got.starts, "2026-11-26T10:00:00Z");
    snprintf(got.ends, sizeof got.ends, "2026-11-26T10:30:00Z");
    assert_int_equal(tpt_store_appointment_move(w.s, &got, NOW, NULL), 0);
    tpt_appointment_list list;
    tpt_appointment_filter f = {.clinic = w.clinic, .patient = w.patient};
    assert_int_equal(tpt_store_appointment_list(w.s, &f, &list, NULL), 0);
    assert_int_equal(list.count, 2);
    assert_true(list.items[1].id == de);
    assert_string_equal(list.items[0].language, "");
    assert_string_equal(list.items[1].language, "de");
    tpt_appointment_list_free(&list);
    static const char *const bad[] = {"DE", "d", "de_DE", "-de", "d1", "1de"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        a = appointment(&w, w.ruth, "2026-12-01T10:00:00Z", "2026-12-01T10:30:00Z");
        snprintf(a.language, sizeof a.language, "%s", bad[i]);
        assert_int_equal(tpt_store_appointment_add(w.s, &a, NULL, NOW, NULL, &err), TPT_ERR_INPUT);
        assert_non_null(strstr(err.message, "language"));
    }
    assert_int_equal(count(&w, w.ruth), 2); /* nothing refused was kept */
    tpt_store_close(w.s);
}

static void appointments_list_by_time_with_their_names(void **state)
{
    (void)state;
    world w = make_world("lists");
    tpt_error err = {0};
    int64_t late, early, other;
    assert_int_equal(book(&w, w.ruth, "2026-11-25T10:00:00Z", "2026-11-25T10:30:00Z", &late, &err),
                     0);
    assert_int_equal(book(&w, w.ruth, "2026-11-24T10:00:00Z", "2026-11-24T10:30:00Z", &early, &err),
                     0);
    assert_int_equal(book(&w, w.sam, "2026-11-24T10:00:00Z", "2026-11-24T10:30:00Z", &other, &err),
                     0);
    assert_int_equal(
        tpt_store_appointment_status(w.s, other, TPT_APPOINTMENT_CANCELLED, NOW, false, NULL, &err),
        0);
    tpt_appointment_list list;
    tpt_appointment_filter f = {.clinic = w.clinic};
    assert_int_equal(tpt_store_appointment_list(w.s, &f, &list, NULL), 0);
    assert_int_equal(list.count, 2); /* not the cancelled one */
    assert_true(list.items[0].id == early && list.items[1].id == late);
    assert_string_equal(list.items[0].patient_name, "Anna Berg");
    assert_string_equal(list.items[0].practitioner_name, "ruth@north.example");
    assert_string_equal(list.items[0].service_name, "First visit");
    assert_string_equal(list.items[0].location_name, "High Street");
    tpt_appointment_list_free(&list);
    f.cancelled = true;
    f.from = "2026-11-24T00:00:00Z";
    f.to = "2026-11-25T00:00:00Z";
    assert_int_equal(tpt_store_appointment_list(w.s, &f, &list, NULL), 0);
    assert_int_equal(list.count, 2);
    assert_true(list.items[0].id == early && list.items[1].id == other);
    tpt_appointment_list_free(&list);
    /* of another clinic's patient, or with another clinic's practitioner: no */
    int64_t south, bo;
    assert_int_equal(tpt_store_clinic_add(w.s, "South", &south, NULL), 0);
    assert_int_equal(tpt_store_patient_add(w.s, "Bo", south, &bo, NULL), 0);
    tpt_appointment a = appointment(&w, w.ruth, "2026-12-01T10:00:00Z", "2026-12-01T10:30:00Z");
    a.patient = bo;
    assert_int_equal(tpt_store_appointment_add(w.s, &a, NULL, NOW, NULL, &err), TPT_ERR_INPUT);
    a = appointment(&w, account(w.s, south, "sol@south.example", TPT_ROLE_PRACTITIONER),
                    "2026-12-01T10:00:00Z", "2026-12-01T10:30:00Z");
    assert_int_equal(tpt_store_appointment_add(w.s, &a, NULL, NOW, NULL, &err), TPT_ERR_INPUT);
    a = appointment(&w, w.ruth, "2026-12-01T10:00:00Z", "2026-12-01T09:30:00Z");
    assert_int_equal(tpt_store_appointment_add(w.s, &a, NULL, NOW, NULL, &err), TPT_ERR_INPUT);
    /* the first of a series names itself, the others it */
    a = appointment(&w, w.ruth, "2026-12-01T10:00:00Z", "2026-12-01T10:30:00Z");
    a.series = -1;
    a.course_visit = 2;
    int64_t head, next;
    assert_int_equal(tpt_store_appointment_add(w.s, &a, NULL, NOW, &head, &err), 0);
    a = appointment(&w, w.ruth, "2026-12-04T10:00:00Z", "2026-12-04T10:30:00Z");
    a.series = head;
    a.course_visit = 3;
    a.reassessment = true;
    assert_int_equal(tpt_store_appointment_add(w.s, &a, NULL, NOW, &next, &err), 0);
    assert_int_equal(tpt_store_appointment_get(w.s, head, &a, NULL), 0);
    assert_true(a.series == head);
    assert_int_equal(tpt_store_appointment_get(w.s, next, &a, NULL), 0);
    assert_true(a.series == head && a.reassessment && a.course_visit == 3);
    assert_int_equal(tpt_store_appointment_set_visit(w.s, next, 3, &err), 0);
    assert_int_equal(tpt_store_appointment_get(w.s, next, &a, NULL), 0);
    assert_int_equal(a.visit, 3);
    tpt_store_close(w.s);
}

/* Eight processes book the same half hour of one practitioner: one wins. */
static int race_book(int i)
{
    world w = {.s = NULL};
    if (tpt_store_open(db("race"), &w.s, NULL) != 0) return 10;
    w.clinic = 1, w.ruth = 1, w.location = 1, w.service = 1, w.patient = 1;
    char starts[TPT_TIME_MAX];
    snprintf(starts, sizeof starts, "2026-11-24T10:%02d:00Z",
             i); /* each a minute apart: all overlap */
    tpt_error err = {0};
    int rc = book(&w, w.ruth, starts, "2026-11-24T10:30:00Z", NULL, &err);
    tpt_store_close(w.s);
    return rc == 0 ? 0 : rc == TPT_ERR_CONFLICT ? 0 : 20;
}

static void racing_bookings_of_one_time_make_one_appointment(void **state)
{
    (void)state;
    world w = make_world("race");
    assert_true(w.clinic == 1 && w.ruth == 1 && w.location == 1 && w.patient == 1);
    tpt_store_close(w.s);
    in_processes(8, race_book);
    w.s = open_store("race");
    assert_int_equal(count(&w, w.ruth), 1);
    tpt_store_close(w.s);
}

static void a_held_slot_is_kept_for_the_one_holding_it(void **state)
{
    (void)state;
    world w = make_world("holds");
    tpt_error err = {0};
    tpt_hold h = {.clinic = w.clinic,
                  .practitioner = w.ruth,
                  .location = w.location,
                  .service = w.service,
                  .starts = "2026-11-24T10:00:00Z",
                  .ends = "2026-11-24T11:00:00Z",
                  .expires = "2026-11-20T08:10:00Z"};
    memset(h.token_hash, 7, sizeof h.token_hash);
    assert_int_equal(tpt_store_hold_add(w.s, &h, NOW, &err), 0);
    /* while it holds, nobody else books or holds the time */
    assert_int_equal(book(&w, w.ruth, "2026-11-24T10:30:00Z", "2026-11-24T11:30:00Z", NULL, &err),
                     TPT_ERR_CONFLICT);
    tpt_hold other = h;
    memset(other.token_hash, 8, sizeof other.token_hash);
    assert_int_equal(tpt_store_hold_add(w.s, &other, NOW, &err), TPT_ERR_CONFLICT);
    tpt_hold found;
    assert_int_equal(tpt_store_hold_find(w.s, h.token_hash, NOW, &found, &err), 0);
    assert_string_equal(found.starts, h.starts);
    assert_true(found.practitioner == w.ruth);
    /* the one holding it books it, and the hold is used up */
    tpt_appointment a = appointment(&w, w.ruth, h.starts, h.ends);
    snprintf(a.source, sizeof a.source, "online");
    int64_t id;
    assert_int_equal(tpt_store_appointment_add(w.s, &a, h.token_hash, NOW, &id, &err), 0);
    assert_int_equal(tpt_store_hold_find(w.s, h.token_hash, NOW, &found, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_appointment_add(w.s, &a, h.token_hash, NOW, &id, &err),
                     TPT_ERR_CONFLICT);
    /* a hold over an appointment is refused; a lapsed hold keeps nothing */
    assert_int_equal(tpt_store_hold_add(w.s, &other, NOW, &err), TPT_ERR_CONFLICT);
    snprintf(other.starts, sizeof other.starts, "2026-11-24T12:00:00Z");
    snprintf(other.ends, sizeof other.ends, "2026-11-24T13:00:00Z");
    assert_int_equal(tpt_store_hold_add(w.s, &other, NOW, &err), 0);
    const char *later = "2026-11-20T08:10:00Z";
    assert_int_equal(tpt_store_hold_find(w.s, other.token_hash, later, &found, &err),
                     TPT_ERR_INPUT);
    a = appointment(&w, w.ruth, other.starts, other.ends);
    assert_int_equal(tpt_store_appointment_add(w.s, &a, NULL, later, NULL, &err), 0);
    tpt_store_close(w.s);
}

/* ---- the outbox ---- */

static int64_t queue(const world *w, const char *to, const char *due, const char *expires)
{
    tpt_message m = {.clinic = w->clinic,
                     .patient = w->patient,
                     .kind = TPT_MESSAGE_REMINDER,
                     .subject = "Reminder",
                     .body = "Hello {{url}}{{link1}}",
                     .links = "/#/intake/secret\n"};
    snprintf(m.to, sizeof m.to, "%s", to);
    snprintf(m.due, sizeof m.due, "%s", due);
    snprintf(m.expires, sizeof m.expires, "%s", expires);
    snprintf(m.created_at, sizeof m.created_at, NOW);
    int64_t id;
    tpt_error err = {0};
    if (tpt_store_message_add(w->s, &m, &id, &err) != 0) fail_msg("%s", err.message);
    return id;
}

static size_t claim(const world *w, const char *now, const char *lease, bool any_relay,
                    int64_t *first)
{
    tpt_message_list list;
    tpt_error err = {0};
    if (tpt_store_message_claim(w->s, now, lease, any_relay, 10, &list, &err) != 0)
        fail_msg("%s", err.message);
    size_t n = list.count;
    if (n && first) *first = list.items[0].id;
    tpt_message_list_free(&list);
    return n;
}

static tpt_message_state state_of(const world *w, int64_t id, int *attempts)
{
    tpt_message m;
    assert_int_equal(tpt_store_message_get(w->s, id, &m, NULL), 0);
    tpt_message_state state = m.state;
    if (attempts) *attempts = m.attempts;
    free(m.body);
    free(m.links);
    return state;
}

static void the_outbox_sends_each_message_once(void **state)
{
    (void)state;
    world w = make_world("outbox");
    tpt_error err = {0};
    int64_t m = queue(&w, "anna@example.org", "2026-11-23T10:00:00Z", "2026-11-24T10:00:00Z");
    int64_t claimed = 0;
    /* not before it is due; not without a relay unless the server has one */
    assert_int_equal(claim(&w, NOW, "2026-11-20T08:05:00Z", true, NULL), 0);
    assert_int_equal(claim(&w, "2026-11-23T10:00:00Z", "2026-11-23T10:05:00Z", false, NULL), 0);
    assert_int_equal(claim(&w, "2026-11-23T10:00:00Z", "2026-11-23T10:05:00Z", true, &claimed), 1);
    assert_true(claimed == m);
    int attempts;
    assert_int_equal(state_of(&w, m, &attempts), TPT_MESSAGE_SENDING);
    assert_int_equal(attempts, 1);
    /* the sender dies here, between claiming and sending: nobody takes it
     * while its lease runs, the next sender does after */
    assert_int_equal(claim(&w, "2026-11-23T10:04:59Z", "2026-11-23T10:09:59Z", true, NULL), 0);
    assert_int_equal(claim(&w, "2026-11-23T10:05:00Z", "2026-11-23T10:10:00Z", true, &claimed), 1);
    assert_true(claimed == m);
    assert_int_equal(state_of(&w, m, &attempts), TPT_MESSAGE_SENDING);
    assert_int_equal(attempts, 2);
    /* sent: never claimed again, its private link forgotten */
    assert_int_equal(tpt_store_message_settle(w.s, m, TPT_MESSAGE_SENT, "2026-11-23T10:05:01Z",
                                              NULL, NULL, &err),
                     0);
    assert_int_equal(claim(&w, "2026-11-23T11:00:00Z", "2026-11-23T11:05:00Z", true, NULL), 0);
    tpt_message got;
    assert_int_equal(tpt_store_message_get(w.s, m, &got, NULL), 0);
    assert_int_equal(got.state, TPT_MESSAGE_SENT);
    assert_string_equal(got.sent_at, "2026-11-23T10:05:01Z");
    assert_null(got.links);
    assert_string_equal(got.body, "Hello {{url}}{{link1}}");
    assert_string_equal(got.patient_name, "Anna Berg");
    free(got.body);
    assert_int_equal(tpt_store_message_settle(w.s, m, TPT_MESSAGE_FAILED, NOW, "x", NULL, &err),
                     TPT_ERR_CONFLICT);
    assert_int_equal(tpt_store_message_settle(w.s, m, TPT_MESSAGE_HANDLED, NOW, NULL, NULL, &err),
                     TPT_ERR_CONFLICT);
    tpt_store_close(w.s);
}

static void the_outbox_retries_expires_drops_and_waits_for_a_relay(void **state)
{
    (void)state;
    world w = make_world("retries");
    tpt_error err = {0};
    int64_t m = queue(&w, "anna@example.org", NOW, "2026-11-24T10:00:00Z");
    assert_int_equal(claim(&w, NOW, "2026-11-20T08:05:00Z", true, NULL), 1);
    /* the relay is down: queued again, not before the retry */
    assert_int_equal(tpt_store_message_settle(w.s, m, TPT_MESSAGE_QUEUED, NOW,
                                              "connection refused\r\n", "2026-11-20T08:01:00Z",
                                              &err),
                     0);
    assert_int_equal(claim(&w, "2026-11-20T08:00:59Z", "2026-11-20T08:05:59Z", true, NULL), 0);
    assert_int_equal(claim(&w, "2026-11-20T08:01:00Z", "2026-11-20T08:06:00Z", true, NULL), 1);
    tpt_message got;
    assert_int_equal(tpt_store_message_get(w.s, m, &got, NULL), 0);
    assert_string_equal(got.error, "connection refused  "); /* one line */
    assert_int_equal(got.attempts, 2);
    free(got.body);
    free(got.links);
    /* down again: the next retry would come after its appointment */
    assert_int_equal(tpt_store_message_settle(w.s, m, TPT_MESSAGE_QUEUED, NOW, "refused",
                                              "2026-11-30T00:00:00Z", &err),
                     0);
    /* no email: never claimed, kept for staff to tell the person */
    int64_t no_email = queue(&w, "", NOW, "2026-11-24T10:00:00Z");
    assert_int_equal(claim(&w, "2026-11-21T08:00:00Z", "2026-11-21T08:05:00Z", true, NULL), 0);
    assert_int_equal(state_of(&w, no_email, NULL), TPT_MESSAGE_QUEUED);
    assert_int_equal(
        tpt_store_message_settle(w.s, no_email, TPT_MESSAGE_HANDLED, NOW, NULL, NULL, &err), 0);
    /* a clinic with a relay of its own is sent without the server's */
    int64_t own = queue(&w, "anna@example.org", NOW, "2026-11-24T10:00:00Z");
    assert_int_equal(claim(&w, "2026-11-21T09:00:00Z", "2026-11-21T09:05:00Z", false, NULL), 0);
    tpt_clinic_profile p;
    assert_int_equal(tpt_store_clinic_profile_get(w.s, w.clinic, &p, NULL), 0);
    snprintf(p.smtp_url, sizeof p.smtp_url, "smtp://relay.north.example");
    assert_int_equal(tpt_store_clinic_profile_save(w.s, &p, NULL), 0);
    int64_t claimed;
    assert_int_equal(claim(&w, "2026-11-21T09:00:00Z", "2026-11-21T09:05:00Z", false, &claimed), 1);
    assert_true(claimed == own);
    /* past its expiry it fails instead of going late; dropped ones never go */
    int64_t late = queue(&w, "anna@example.org", NOW, "2026-11-24T10:00:00Z");
    tpt_appointment a = appointment(&w, w.ruth, "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z");
    int64_t appt;
    assert_int_equal(tpt_store_appointment_add(w.s, &a, NULL, NOW, &appt, NULL), 0);
    tpt_message r = {.clinic = w.clinic,
                     .appointment = appt,
                     .kind = TPT_MESSAGE_REMINDER,
                     .to = "a@b.example",
                     .subject = "Reminder",
                     .body = "x",
                     .due = NOW,
                     .expires = "2026-11-24T10:00:00Z",
                     .created_at = NOW};
    int64_t reminder;
    assert_int_equal(tpt_store_message_add(w.s, &r, &reminder, &err), 0);
    assert_int_equal(tpt_store_message_drop(w.s, appt, TPT_MESSAGE_REMINDER, &err), 0);
    assert_int_equal(state_of(&w, reminder, NULL), TPT_MESSAGE_DROPPED);
    assert_int_equal(claim(&w, "2026-11-24T10:00:00Z", "2026-11-24T10:05:00Z", true, NULL), 0);
    assert_int_equal(state_of(&w, late, NULL), TPT_MESSAGE_FAILED);
    assert_int_equal(state_of(&w, m, NULL), TPT_MESSAGE_FAILED);
    assert_int_equal(state_of(&w, own, NULL), TPT_MESSAGE_FAILED); /* its lease ran out unsent */
    tpt_message_list list;
    assert_int_equal(
        tpt_store_message_list(w.s, w.clinic, 0, 1u << TPT_MESSAGE_FAILED, 0, &list, NULL), 0);
    assert_int_equal(list.count, 3);
    tpt_message_list_free(&list);
    assert_int_equal(tpt_store_message_list(w.s, w.clinic, 0, 0, 0, &list, NULL), 0);
    assert_int_equal(list.count, 5);
    tpt_message_list_free(&list);
    tpt_store_close(w.s);
}

/* Where each sender writes what it claimed: a directory of files, whatever
 * the backend's databases are. */
static char claimed_dir[64];

/* Six senders claim at once from forty messages: each message goes to one. */
static int race_claim(int i)
{
    tpt_store *s;
    if (tpt_store_open(db("claims"), &s, NULL) != 0) return 10;
    char path[128];
    snprintf(path, sizeof path, "%s/%d", claimed_dir, i);
    FILE *f = fopen(path, "w");
    if (!f) return 11;
    for (int round = 0; round < 20; round++) {
        tpt_message_list list;
        if (tpt_store_message_claim(s, NOW, "2026-11-20T09:00:00Z", true, 3, &list, NULL) != 0)
            return 12;
        for (size_t k = 0; k < list.count; k++)
            fprintf(f, "%lld\n", (long long)list.items[k].id);
        tpt_message_list_free(&list);
        pause_briefly();
    }
    fclose(f);
    tpt_store_close(s);
    return 0;
}

static void two_senders_never_claim_one_message(void **state)
{
    (void)state;
    world w = make_world("claims");
    for (int i = 0; i < 40; i++)
        queue(&w, "anna@example.org", NOW, "2026-11-24T10:00:00Z");
    tpt_store_close(w.s);
    snprintf(claimed_dir, sizeof claimed_dir, "/tmp/tpt-claimed-XXXXXX");
    assert_non_null(mkdtemp(claimed_dir));
    in_processes(6, race_claim);
    int seen[41] = {0};
    for (int i = 0; i < 6; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%d", claimed_dir, i);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        long long id;
        while (fscanf(f, "%lld", &id) == 1) {
            assert_true(id >= 1 && id <= 40);
            seen[id]++;
        }
        fclose(f);
        remove(path);
    }
    rmdir(claimed_dir);
    for (int id = 1; id <= 40; id++)
        if (seen[id] != 1) fail_msg("message %d was claimed %d times", id, seen[id]);
}

/* A server queues a confirmation and is killed before any sender runs. */
static int queue_then_die(int i)
{
    (void)i;
    world w = {.clinic = 1, .patient = 1};
    if (tpt_store_open(db("crash"), &w.s, NULL) != 0) return 10;
    queue(&w, "anna@example.org", NOW, "2026-11-24T10:00:00Z");
    raise(SIGKILL);
    return 11;
}

static void a_message_queued_before_a_crash_is_sent_once_after(void **state)
{
    (void)state;
    world w = make_world("crash");
    tpt_store_close(w.s);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) _exit(queue_then_die(0));
    int status;
    waitpid(child, &status, 0);
    assert_true(WIFSIGNALED(status));
    w.s = open_store("crash");
    int64_t id;
    assert_int_equal(claim(&w, NOW, "2026-11-20T08:05:00Z", true, &id), 1);
    assert_int_equal(tpt_store_message_settle(w.s, id, TPT_MESSAGE_SENT, NOW, NULL, NULL, NULL), 0);
    assert_int_equal(claim(&w, "2026-11-21T08:00:00Z", "2026-11-21T08:05:00Z", true, NULL), 0);
    tpt_store_close(w.s);
}

/* ---- rate limits, intake, feeds ---- */

static void rate_limits_count_within_their_window(void **state)
{
    (void)state;
    tpt_store *s = open_store("rates");
    tpt_error err = {0};
    int hits;
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(
            tpt_store_rate_hit(s, "hold:127.0.0.1", "2026-11-20T08:00:00Z", &hits, &err), 0);
        assert_int_equal(hits, i);
    }
    assert_int_equal(tpt_store_rate_hit(s, "hold:127.0.0.2", "2026-11-20T08:00:00Z", &hits, &err),
                     0);
    assert_int_equal(hits, 1);
    assert_int_equal(tpt_store_rate_hit(s, "hold:127.0.0.1", "2026-11-20T08:10:00Z", &hits, &err),
                     0);
    assert_int_equal(hits, 1); /* a new window */
    assert_int_equal(tpt_store_rate_hit(s, "", "2026-11-20T08:10:00Z", &hits, &err), TPT_ERR_INPUT);
    tpt_store_close(s);
}

static void intake_links_and_feeds(void **state)
{
    (void)state;
    world w = make_world("intake");
    tpt_error err = {0};
    int64_t appt;
    assert_int_equal(book(&w, w.ruth, "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", &appt, &err),
                     0);
    tpt_intake in = {.appointment = appt,
                     .patient = w.patient,
                     .clinic = w.clinic,
                     .expires = "2026-11-24T11:00:00Z",
                     .created_at = NOW};
    memset(in.token_hash, 3, sizeof in.token_hash);
    assert_int_equal(tpt_store_intake_add(w.s, &in, &err), 0);
    assert_int_equal(tpt_store_intake_add(w.s, &in, &err), TPT_ERR_CONFLICT);
    tpt_intake got;
    assert_int_equal(tpt_store_intake_find(w.s, in.token_hash, &got, &err), 0);
    assert_true(got.appointment == appt && got.patient == w.patient);
    assert_null(got.subjective);
    assert_int_equal(tpt_store_intake_update(w.s, appt, "{\"leg_pain\": 6}", 0, false,
                                             "2026-11-21T08:00:00Z", &err),
                     0);
    assert_int_equal(
        tpt_store_intake_update(w.s, appt, NULL, 0, true, "2026-11-21T08:01:00Z", &err), 0);
    assert_int_equal(tpt_store_intake_get(w.s, appt, &got, &err), 0);
    assert_string_equal(got.subjective, "{\"leg_pain\": 6}");
    assert_string_equal(got.subjective_at, "2026-11-21T08:00:00Z");
    assert_int_equal(got.measures, 1);
    tpt_intake_free(&got);
    uint8_t unknown[TPT_TOKEN_HASH_SIZE] = {9};
    assert_int_equal(tpt_store_intake_find(w.s, unknown, &got, &err), TPT_ERR_INPUT);
    /* a feed, its new address, its end */
    tpt_feed f = {.patient = w.patient,
                  .live = true,
                  .nsessions = 2,
                  .session_minutes = {480, 1080},
                  .check_minute = 1200,
                  .created_at = NOW};
    memset(f.token_hash, 4, sizeof f.token_hash);
    tpt_feed back;
    assert_int_equal(tpt_store_feed_get(w.s, w.patient, &back, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_feed_save(w.s, &f, &err), 0);
    assert_int_equal(tpt_store_feed_find(w.s, f.token_hash, &back, &err), 0);
    assert_int_equal(back.nsessions, 2);
    assert_int_equal(back.session_minutes[1], 1080);
    assert_int_equal(back.check_minute, 1200);
    uint8_t old[TPT_TOKEN_HASH_SIZE];
    memcpy(old, f.token_hash, sizeof old);
    memset(f.token_hash, 5, sizeof f.token_hash);
    assert_int_equal(tpt_store_feed_save(w.s, &f, &err), 0);
    assert_int_equal(tpt_store_feed_find(w.s, old, &back, &err), TPT_ERR_INPUT);
    f.live = false;
    assert_int_equal(tpt_store_feed_save(w.s, &f, &err), 0);
    assert_int_equal(tpt_store_feed_find(w.s, f.token_hash, &back, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_feed_get(w.s, w.patient, &back, &err), 0);
    assert_false(back.live);
    f.session_minutes[0] = 1440;
    assert_int_equal(tpt_store_feed_save(w.s, &f, &err), TPT_ERR_INPUT);
    tpt_store_close(w.s);
}

/* Before anyone is signed in (no clinic in scope) an intake link and a
 * feed are found by their token, and carry the clinic whose rows the
 * request may then see; a wrong token finds nothing. */
static void tokens_are_found_before_a_clinic_is_known(void **state)
{
    (void)state;
    world w = make_world("tokens");
    tpt_error err = {0};
    int64_t appt;
    assert_int_equal(book(&w, w.ruth, "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", &appt, &err),
                     0);
    tpt_intake in = {.appointment = appt,
                     .patient = w.patient,
                     .clinic = w.clinic,
                     .expires = "2026-11-24T11:00:00Z",
                     .created_at = NOW};
    memset(in.token_hash, 6, sizeof in.token_hash);
    assert_int_equal(tpt_store_intake_add(w.s, &in, &err), 0);
    tpt_feed f = {.patient = w.patient, .live = true, .check_minute = -1, .created_at = NOW};
    memset(f.token_hash, 7, sizeof f.token_hash);
    assert_int_equal(tpt_store_feed_save(w.s, &f, &err), 0);
    assert_int_equal(tpt_store_scope(w.s, TPT_SCOPE_NONE, &err), 0);
    tpt_intake got;
    assert_int_equal(tpt_store_intake_find(w.s, in.token_hash, &got, &err), 0);
    assert_true(got.appointment == appt && got.clinic == w.clinic);
    tpt_intake_free(&got);
    tpt_feed back;
    assert_int_equal(tpt_store_feed_find(w.s, f.token_hash, &back, &err), 0);
    assert_true(back.patient == w.patient && back.clinic == w.clinic);
    int64_t clinic = back.clinic;
    uint8_t wrong[TPT_TOKEN_HASH_SIZE];
    memset(wrong, 8, sizeof wrong);
    assert_int_equal(tpt_store_intake_find(w.s, wrong, &got, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_store_feed_find(w.s, wrong, &back, &err), TPT_ERR_INPUT);
    /* the clinic the token gave: its appointment is there */
    assert_int_equal(tpt_store_scope(w.s, clinic, &err), 0);
    tpt_appointment a;
    assert_int_equal(tpt_store_appointment_get(w.s, appt, &a, &err), 0);
    assert_true(a.patient == w.patient);
    tpt_store_close(w.s);
}

int main(int argc, char **argv)
{
    if (argc > 1) snprintf(base, sizeof base, "%s", argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_clinic_keeps_its_profile_and_its_address),
        cmocka_unit_test(locations_services_and_practitioners_belong_to_their_clinic),
        cmocka_unit_test(no_two_appointments_of_one_practitioner_overlap),
        cmocka_unit_test(appointments_list_by_time_with_their_names),
        cmocka_unit_test(an_appointment_keeps_its_language),
        cmocka_unit_test(racing_bookings_of_one_time_make_one_appointment),
        cmocka_unit_test(a_held_slot_is_kept_for_the_one_holding_it),
        cmocka_unit_test(the_outbox_sends_each_message_once),
        cmocka_unit_test(the_outbox_retries_expires_drops_and_waits_for_a_relay),
        cmocka_unit_test(two_senders_never_claim_one_message),
        cmocka_unit_test(a_message_queued_before_a_crash_is_sent_once_after),
        cmocka_unit_test(rate_limits_count_within_their_window),
        cmocka_unit_test(intake_links_and_feeds),
        cmocka_unit_test(tokens_are_found_before_a_clinic_is_known),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
