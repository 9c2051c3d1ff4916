/* The calendar's record layer (record/calendar.c, booking.c) on temporary
 * databases, in a clinic in Europe/London: a booking queues its
 * confirmation and reminder and writes its audit lines; a move drops and
 * queues again; a late cancellation is marked and notified; open slots
 * leave out what is booked; the calendar of a week across the change to
 * summer time keeps the wall clock; a course of care booked at once with
 * its reassessments marked, all or nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/calendar.h"
#include "record/feed.h"
#include "tempdir.h"

static int setup(void **state)
{
    (void)state;
    return tempdir_make("calendar-test");
}

static int teardown(void **state)
{
    (void)state;
    return tempdir_remove();
}

static int64_t at(const char *stored)
{
    int64_t t;
    assert_int_equal(tpt_time_parse(stored, &t), 0);
    return t;
}

typedef struct clinic {
    tpt_store *s;
    int64_t id, ruth, location, first, follow_up, patient;
} clinic;

/* North Clinic in Leeds: Ruth works Monday to Friday 09:00-17:00 with a
 * lunch break; a first visit of an hour, follow-ups of half an hour; Anna
 * Berg, reachable by email, planned for six visits. */
static clinic make_clinic(const char *name)
{
    clinic c;
    tpt_error err = {0};
    assert_int_equal(tpt_store_open(tempdir_path(name), &c.s, &err), 0);
    assert_int_equal(tpt_store_clinic_add(c.s, "North Clinic", &c.id, &err), 0);
    tpt_clinic_profile p;
    assert_int_equal(tpt_store_clinic_profile_get(c.s, c.id, &p, &err), 0);
    snprintf(p.zone, sizeof p.zone, "Europe/London");
    snprintf(p.phone, sizeof p.phone, "0113 496 0000");
    assert_int_equal(tpt_store_clinic_profile_save(c.s, &p, &err), 0);
    tpt_user u = {.clinic = c.id,
                  .role = TPT_ROLE_PRACTITIONER,
                  .email = "ruth@north.example",
                  .name = "Ruth Ames",
                  .password_hash = "x"};
    assert_int_equal(tpt_store_user_add(c.s, &u, &c.ruth, &err), 0);
    tpt_practitioner pr;
    assert_int_equal(tpt_store_practitioner_get(c.s, c.ruth, &pr, &err), 0);
    char hours[1024] = "{\"weekly\": [";
    for (int d = 0; d < 5; d++)
        snprintf(hours + strlen(hours), sizeof hours - strlen(hours),
                 "%s{\"day\": \"%s\", \"from\": \"09:00\", \"to\": \"17:00\"}", d ? ", " : "",
                 tpt_weekday_id(d + 1));
    strcat(hours, "], \"breaks\": [{\"day\": \"mon\", \"from\": \"12:00\", \"to\": \"13:00\"}]}");
    pr.hours = hours;
    assert_int_equal(tpt_store_practitioner_save(c.s, &pr, &err), 0);
    tpt_location l = {.clinic = c.id, .name = "High Street", .address = "1 High Street, Leeds"};
    assert_int_equal(tpt_store_location_save(c.s, &l, &c.location, &err), 0);
    tpt_service v = {
        .clinic = c.id, .name = "First visit", .kind = TPT_SERVICE_FIRST, .minutes = 60};
    assert_int_equal(tpt_store_service_save(c.s, &v, &c.first, &err), 0);
    v = (tpt_service){
        .clinic = c.id, .name = "Follow-up", .kind = TPT_SERVICE_FOLLOW_UP, .minutes = 30};
    assert_int_equal(tpt_store_service_save(c.s, &v, &c.follow_up, &err), 0);
    assert_int_equal(tpt_store_patient_add(c.s, "Anna Berg", c.id, &c.patient, &err), 0);
    tpt_patient pa;
    assert_int_equal(tpt_store_patient_get(c.s, c.patient, &pa, &err), 0);
    snprintf(pa.contact, sizeof pa.contact, "07700 900123, anna@example.org");
    assert_int_equal(tpt_store_patient_save(c.s, &pa, &err), 0);
    return c;
}

static tpt_message_list messages(const clinic *c)
{
    tpt_message_list list;
    assert_int_equal(tpt_store_message_list(c->s, c->id, 0, 0, 0, &list, NULL), 0);
    return list;
}

static void a_booking_queues_its_confirmation_and_reminder(void **state)
{
    (void)state;
    clinic c = make_clinic("book.db");
    tpt_calendar cal;
    tpt_error err = {0};
    assert_int_equal(tpt_calendar_open(&cal, c.s, c.id, c.ruth, at("2026-11-20T09:00:00Z"), &err),
                     0);
    int64_t start;
    assert_int_equal(tpt_calendar_time(&cal, "2026-11-24T10:00", &start, &err), 0);
    assert_true(start == at("2026-11-24T10:00:00Z")); /* GMT in November */
    tpt_booking b = {.patient = c.patient,
                     .practitioner = c.ruth,
                     .service = c.first,
                     .start = start,
                     .source = "staff",
                     .intake_link = "/#/intake/abc"};
    tpt_appointment a;
    assert_int_equal(tpt_calendar_book(&cal, &b, &a, &err), 0);
    assert_string_equal(a.ends, "2026-11-24T11:00:00Z"); /* the service's hour */
    assert_true(a.location == c.location);               /* the clinic's only one */
    assert_string_equal(a.practitioner_name, "Ruth Ames");
    tpt_message_list list = messages(&c);
    assert_int_equal(list.count, 2);
    /* newest due first: the reminder 24 hours before, then the confirmation now */
    assert_int_equal(list.items[0].kind, TPT_MESSAGE_REMINDER);
    assert_string_equal(list.items[0].due, "2026-11-23T10:00:00Z");
    assert_string_equal(list.items[0].to, "anna@example.org");
    assert_int_equal(list.items[1].kind, TPT_MESSAGE_CONFIRMATION);
    assert_string_equal(list.items[1].due, "2026-11-20T09:00:00Z");
    assert_string_equal(list.items[1].subject,
                        "Booked: North Clinic, Tuesday 24 November 2026 at 10:00");
    assert_non_null(strstr(list.items[1].body, "Where: High Street, 1 High Street, Leeds"));
    assert_string_equal(list.items[1].links, "/#/intake/abc\n");
    tpt_message_list_free(&list);
    /* the audit log has the booking and each email queued */
    tpt_audit_list log;
    assert_int_equal(tpt_store_audit_list(
                         c.s, &(tpt_audit_filter){.patient = c.patient, .limit = 10}, &log, NULL),
                     0);
    assert_int_equal(log.count, 3);
    assert_string_equal(log.items[2].action, "calendar: booked appointment 1 (staff)");
    assert_true(log.items[0].user == c.ruth);
    tpt_audit_list_free(&log);
    /* the same time again: 409, and nothing more queued */
    assert_int_equal(tpt_calendar_book(&cal, &b, &a, &err), TPT_ERR_CONFLICT);
    list = messages(&c);
    assert_int_equal(list.count, 2);
    tpt_message_list_free(&list);
    /* a service Ruth does not give; a wall time that does not happen */
    tpt_user sam = {.clinic = c.id,
                    .role = TPT_ROLE_ADMIN,
                    .email = "sam@north.example",
                    .name = "Sam",
                    .password_hash = "x"};
    assert_int_equal(tpt_store_user_add(c.s, &sam, &sam.id, &err), 0);
    tpt_service v = {
        .clinic = c.id, .name = "Cupping", .minutes = 30, .nstaff = 1, .staff = {sam.id}};
    assert_int_equal(tpt_store_service_save(c.s, &v, &b.service, &err), 0);
    b.start = at("2026-11-25T10:00:00Z");
    assert_int_equal(tpt_calendar_book(&cal, &b, &a, &err), TPT_ERR_INPUT);
    assert_string_equal(err.message, "practitioner: Ruth Ames does not give Cupping");
    assert_int_equal(tpt_calendar_time(&cal, "2026-03-29T01:30", &start, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "the clocks go forward"));
    tpt_calendar_close(&cal);
    tpt_store_close(c.s);
}

static void moves_and_cancellations_tell_the_patient(void **state)
{
    (void)state;
    clinic c = make_clinic("move.db");
    tpt_calendar cal;
    tpt_error err = {0};
    assert_int_equal(tpt_calendar_open(&cal, c.s, c.id, c.ruth, at("2026-11-20T09:00:00Z"), &err),
                     0);
    tpt_booking b = {.patient = c.patient,
                     .practitioner = c.ruth,
                     .service = c.follow_up,
                     .start = at("2026-11-24T10:00:00Z"),
                     .source = "staff"};
    tpt_appointment a, moved, cancelled;
    assert_int_equal(tpt_calendar_book(&cal, &b, &a, &err), 0);
    tpt_move m = {.start = at("2026-11-25T14:00:00Z")};
    assert_int_equal(tpt_calendar_move(&cal, a.id, &m, &moved, &err), 0);
    assert_string_equal(moved.ends, "2026-11-25T14:30:00Z");
    tpt_message_list list = messages(&c);
    assert_int_equal(list.count, 4); /* the first two dropped, two new */
    assert_int_equal(list.items[0].kind, TPT_MESSAGE_REMINDER);
    assert_string_equal(list.items[0].due, "2026-11-24T14:00:00Z");
    assert_int_equal(list.items[0].state, TPT_MESSAGE_QUEUED);
    assert_int_equal(list.items[1].state, TPT_MESSAGE_DROPPED); /* the old reminder */
    int moved_confirmations = 0;
    for (size_t i = 0; i < list.count; i++)
        moved_confirmations += strncmp(list.items[i].subject, "Moved:", 6) == 0 &&
                               list.items[i].state == TPT_MESSAGE_QUEUED;
    assert_int_equal(moved_confirmations, 1);
    tpt_message_list_free(&list);
    /* cancelled the evening before (within 24 hours): late, and told */
    tpt_calendar_close(&cal);
    assert_int_equal(tpt_calendar_open(&cal, c.s, c.id, c.ruth, at("2026-11-24T18:00:00Z"), &err),
                     0);
    assert_int_equal(tpt_calendar_cancel(&cal, a.id, "unwell", &cancelled, &err), 0);
    assert_int_equal(cancelled.status, TPT_APPOINTMENT_CANCELLED);
    assert_true(cancelled.late_cancel);
    list = messages(&c);
    assert_int_equal(list.items[0].kind, TPT_MESSAGE_CANCELLATION);
    assert_non_null(strstr(list.items[0].body, "Reason: unwell"));
    for (size_t i = 1; i < list.count; i++) /* nothing else still waits */
        assert_int_not_equal(list.items[i].state, TPT_MESSAGE_QUEUED);
    tpt_message_list_free(&list);
    assert_int_equal(tpt_calendar_cancel(&cal, a.id, NULL, &cancelled, &err), TPT_ERR_CONFLICT);
    assert_int_equal(tpt_calendar_move(&cal, a.id, &m, &moved, &err), TPT_ERR_CONFLICT);
    assert_int_equal(tpt_calendar_mark(&cal, a.id, TPT_APPOINTMENT_ARRIVED, &moved, &err),
                     TPT_ERR_CONFLICT);
    /* cancelled two days ahead: not late */
    b.start = at("2026-11-27T10:00:00Z");
    assert_int_equal(tpt_calendar_book(&cal, &b, &a, &err), 0);
    assert_int_equal(tpt_calendar_cancel(&cal, a.id, NULL, &cancelled, &err), 0);
    assert_false(cancelled.late_cancel);
    /* another clinic's appointment is not found here */
    assert_int_equal(tpt_calendar_appointment(&cal, 999, &a, &err), TPT_ERR_INPUT);
    tpt_calendar_close(&cal);
    tpt_store_close(c.s);
}

static void open_slots_and_the_week_across_the_change(void **state)
{
    (void)state;
    clinic c = make_clinic("slots.db");
    tpt_calendar cal;
    tpt_error err = {0};
    assert_int_equal(tpt_calendar_open(&cal, c.s, c.id, c.ruth, at("2026-03-20T09:00:00Z"), &err),
                     0);
    tpt_appointment a;
    tpt_booking b = {.patient = c.patient,
                     .practitioner = c.ruth,
                     .service = c.first,
                     .start = at("2026-03-30T08:00:00Z"),
                     .source = "staff"}; /* 09:00 BST */
    assert_int_equal(tpt_calendar_book(&cal, &b, &a, &err), 0);
    int64_t friday, monday;
    assert_int_equal(tpt_calendar_day(&cal, "2026-03-27", &friday, &err), 0);
    assert_int_equal(tpt_calendar_day(&cal, "2026-03-30", &monday, &err), 0);
    json_t *slots = tpt_calendar_slots_json(&cal, c.first, 0, 0, monday, 1, 0, 100, &err);
    assert_non_null(slots);
    json_t *list = json_object_get(slots, "slots");
    /* 09:00-17:00 on a 15 minute grid, hour long, minus 09:00-10:00 booked and the lunch hour */
    const char *first = json_string_value(json_object_get(json_array_get(list, 0), "local"));
    assert_string_equal(first, "2026-03-30T10:00");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "start")),
                        "2026-03-30T09:00:00Z");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *local = json_string_value(json_object_get(json_array_get(list, i), "local"));
        assert_true(strcmp(local + 11, "11:00") <= 0 || strcmp(local + 11, "13:00") >= 0);
    }
    json_decref(slots);
    /* Friday to Monday: Friday's hours in GMT and Monday's in BST read the same */
    json_t *view = tpt_calendar_view_json(&cal, friday, 4, 0, 0, &err);
    assert_non_null(view);
    json_t *days =
        json_object_get(json_array_get(json_object_get(view, "practitioners"), 0), "days");
    assert_int_equal(json_array_size(days), 4);
    json_t *fri = json_array_get(days, 0), *sat = json_array_get(days, 1),
           *mon = json_array_get(days, 3);
    assert_string_equal(json_string_value(json_object_get(fri, "date")), "2026-03-27");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(fri, "hours"), 0), "from")),
                        "09:00");
    assert_int_equal(json_array_size(json_object_get(sat, "hours")), 0);
    assert_int_equal(json_array_size(json_object_get(mon, "hours")), 2); /* lunch cut out */
    json_t *appt = json_array_get(json_object_get(view, "appointments"), 0);
    assert_string_equal(json_string_value(json_object_get(appt, "local_start")),
                        "2026-03-30T09:00");
    assert_string_equal(json_string_value(json_object_get(appt, "starts")), "2026-03-30T08:00:00Z");
    json_decref(view);
    tpt_calendar_close(&cal);
    tpt_store_close(c.s);
}

static void a_course_is_booked_at_once_with_its_reassessments(void **state)
{
    (void)state;
    clinic c = make_clinic("series.db");
    tpt_calendar cal;
    tpt_error err = {0};
    assert_int_equal(tpt_calendar_open(&cal, c.s, c.id, c.ruth, at("2026-03-16T09:00:00Z"), &err),
                     0);
    /* the first visit on Monday 16 March; then the rest of the six, twice a week */
    tpt_appointment a;
    tpt_booking b = {.patient = c.patient,
                     .practitioner = c.ruth,
                     .service = c.first,
                     .start = at("2026-03-16T10:00:00Z"),
                     .source = "staff"};
    assert_int_equal(tpt_calendar_book(&cal, &b, &a, &err), 0);
    /* another patient's time in the way: Thursday 26 March at 10:00 */
    assert_int_equal(tpt_store_patient_add(c.s, "Bo Lind", c.id, &b.patient, &err), 0);
    b.start = at("2026-03-26T10:00:00Z");
    tpt_appointment taken;
    assert_int_equal(tpt_calendar_book(&cal, &b, &taken, &err), 0);
    tpt_series_request r = {.patient = c.patient,
                            .practitioner = c.ruth,
                            .service = c.follow_up,
                            .first = at("2026-03-23T10:00:00Z")};
    json_t *preview = tpt_calendar_series_preview(&cal, &r, &err);
    assert_non_null(preview);
    assert_int_equal(json_integer_value(json_object_get(preview, "visits_before")), 1);
    json_t *visits = json_object_get(preview, "visits");
    assert_int_equal(json_array_size(visits), 5); /* visits 2 to 6 of 6 */
    static const struct {
        int number;
        const char *local, *start, *status;
        bool reassessment;
    } want[] = {{2, "2026-03-23T10:00", "2026-03-23T10:00:00Z", "free", false},
                {3, "2026-03-26T10:00", "2026-03-26T10:00:00Z", "taken", true},
                {4, "2026-03-30T10:00", "2026-03-30T09:00:00Z", "free", false}, /* BST now */
                {5, "2026-04-02T10:00", "2026-04-02T09:00:00Z", "free", false},
                {6, "2026-04-06T10:00", "2026-04-06T09:00:00Z", "free", true}};
    for (size_t i = 0; i < 5; i++) {
        json_t *v = json_array_get(visits, i);
        assert_int_equal(json_integer_value(json_object_get(v, "course_visit")), want[i].number);
        assert_string_equal(json_string_value(json_object_get(v, "local")), want[i].local);
        assert_string_equal(json_string_value(json_object_get(v, "start")), want[i].start);
        assert_string_equal(json_string_value(json_object_get(v, "status")), want[i].status);
        assert_int_equal(json_is_true(json_object_get(v, "reassessment")), want[i].reassessment);
    }
    /* the taken one offers the next free time after it */
    json_t *alt = json_object_get(json_array_get(visits, 1), "alternative");
    assert_string_equal(json_string_value(json_object_get(alt, "local")), "2026-03-26T11:00");
    json_decref(preview);
    /* booked as it is: all or nothing */
    size_t before;
    tpt_appointment_list list;
    tpt_appointment_filter f = {.clinic = c.id};
    assert_int_equal(tpt_store_appointment_list(c.s, &f, &list, NULL), 0);
    before = list.count;
    tpt_appointment_list_free(&list);
    assert_null(tpt_calendar_series_book(&cal, &r, &err));
    assert_int_equal(err.status, TPT_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "visit 3 of the course, 2026-03-26T10:00"));
    assert_int_equal(tpt_store_appointment_list(c.s, &f, &list, NULL), 0);
    assert_int_equal(list.count, before);
    tpt_appointment_list_free(&list);
    /* with the alternative taken: four appointments, one series, one confirmation */
    int64_t times[5] = {at("2026-03-23T10:00:00Z"), at("2026-03-26T11:00:00Z"),
                        at("2026-03-30T09:00:00Z"), at("2026-04-02T09:00:00Z"),
                        at("2026-04-06T09:00:00Z")};
    r.times = times;
    r.ntimes = 5;
    json_t *booked = tpt_calendar_series_book(&cal, &r, &err);
    if (!booked) fail_msg("%s", err.message);
    json_t *appts = json_object_get(booked, "appointments");
    assert_int_equal(json_array_size(appts), 5);
    json_int_t series = json_integer_value(json_object_get(json_array_get(appts, 0), "series"));
    for (size_t i = 0; i < 5; i++) {
        json_t *o = json_array_get(appts, i);
        assert_int_equal(json_integer_value(json_object_get(o, "series")), series);
        assert_int_equal(json_integer_value(json_object_get(o, "course_visit")), 2 + (int)i);
        assert_int_equal(json_is_true(json_object_get(o, "reassessment")), i == 1 || i == 4);
    }
    json_decref(booked);
    tpt_message_list msgs = messages(&c);
    int confirmations = 0;
    for (size_t i = 0; i < msgs.count; i++)
        if (msgs.items[i].kind == TPT_MESSAGE_CONFIRMATION &&
            strstr(msgs.items[i].body, "The visits after it")) {
            confirmations++;
            assert_non_null(strstr(msgs.items[i].body, "- Thursday 26 March 2026 at 11:00\n"
                                                       "- Monday 30 March 2026 at 10:00\n"
                                                       "- Thursday 2 April 2026 at 10:00\n"
                                                       "- Monday 6 April 2026 at 10:00\n"));
        }
    assert_int_equal(confirmations, 1);
    tpt_message_list_free(&msgs);
    tpt_calendar_close(&cal);
    tpt_store_close(c.s);
}

static void add_record(const clinic *c, tpt_record_kind kind, const char *when, const char *input,
                       const char *json)
{
    tpt_record r = {.patient = c->patient,
                    .kind = kind,
                    .summary = "x",
                    .input = (char *)input,
                    .json = (char *)json};
    snprintf(r.at, sizeof r.at, "%s", when);
    tpt_error err = {0};
    if (tpt_store_record_add(c->s, &r, NULL, &err) != 0) fail_msg("%s", err.message);
}

static void the_feed_holds_appointments_sessions_and_the_daily_check(void **state)
{
    (void)state;
    clinic c = make_clinic("feed.db");
    tpt_calendar cal;
    tpt_error err = {0};
    assert_int_equal(tpt_calendar_open(&cal, c.s, c.id, c.ruth, at("2026-11-20T09:00:00Z"), &err),
                     0);
    tpt_appointment a, gone;
    tpt_booking b = {.patient = c.patient,
                     .practitioner = c.ruth,
                     .service = c.first,
                     .start = at("2026-11-24T10:00:00Z"),
                     .source = "staff"};
    assert_int_equal(tpt_calendar_book(&cal, &b, &a, &err), 0);
    b.start = at("2026-11-26T10:00:00Z");
    assert_int_equal(tpt_calendar_book(&cal, &b, &gone, &err), 0);
    assert_int_equal(tpt_calendar_cancel(&cal, gone.id, NULL, &gone, &err), 0);
    tpt_calendar_close(&cal);
    add_record(&c, TPT_RECORD_SCREEN, "2026-11-20T08:00:00Z", NULL,
               "{\"level\": \"none\", \"complete\": true, \"flags\": []}");
    add_record(&c, TPT_RECORD_DRAWING, "2026-11-20T08:10:00Z", "r.buttock.center", "{}");
    add_record(&c, TPT_RECORD_PLAN, "2026-11-20T08:30:00Z", "screen:1 drawing:2",
               "{\"home\": {\"steps\": [{\"hold_seconds\": 60, \"rest_seconds\": 30, "
               "\"repeats\": 2}, {\"hold_seconds\": 600, \"rest_seconds\": 0, \"repeats\": 1}]}}");
    tpt_feed f = {.patient = c.patient,
                  .live = true,
                  .nsessions = 2,
                  .session_minutes = {8 * 60, 18 * 60},
                  .check_minute = 20 * 60};
    tpt_buf out = {0};
    assert_int_equal(tpt_feed_write(c.s, &f, "https://tpt.north.example",
                                    at("2026-11-20T09:00:00Z"), &out, &err),
                     0);
    const char *want[] = {
        "X-WR-CALNAME:tpt: Anna Berg\r\n",
        "UID:appointment-1@tpt\r\n",
        "DTSTART:20261124T100000Z\r\n",
        "SUMMARY:First visit\\, North Clinic\r\n",
        "LOCATION:High Street\\, 1 High Street\\, Leeds\r\n",
        "UID:appointment-2@tpt\r\n",
        "STATUS:CANCELLED\r\n",
        /* sessions of the plan's 13 minutes at 08:00 and 18:00, from the plan's day */
        "UID:home-1-plan-3-0@tpt\r\n",
        "DTSTART:20261120T080000\r\nDTEND:20261120T081300\r\n",
        "RRULE:FREQ=DAILY;COUNT=42\r\n",
        "DTSTART:20261120T180000\r\n",
        "URL:https://tpt.north.example/#/patients/1/session\r\n",
        "SUMMARY:How is the pain today?\r\n",
        "DTSTART:20261120T200000\r\n",
        "URL:https://tpt.north.example/#/patients/1/log\r\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(out.data, want[i])) fail_msg("missing %s in\n%s", want[i], out.data);
    tpt_buf_free(&out);
    /* a newer drawing: the plan is stale and gives no session, so the feed
     * has none until a new plan; the rest stays */
    add_record(&c, TPT_RECORD_DRAWING, "2026-11-21T07:00:00Z", "r.thigh.back.upper", "{}");
    assert_int_equal(tpt_feed_write(c.s, &f, "https://tpt.north.example",
                                    at("2026-11-21T08:00:00Z"), &out, &err),
                     0);
    assert_null(strstr(out.data, "Home program"));
    assert_non_null(strstr(out.data, "How is the pain today?"));
    tpt_buf_free(&out);
    add_record(&c, TPT_RECORD_PLAN, "2026-11-21T07:30:00Z", "screen:1 drawing:4",
               "{\"home\": {\"steps\": [{\"hold_seconds\": 60, \"rest_seconds\": 0}]}}");
    assert_int_equal(tpt_feed_write(c.s, &f, "https://tpt.north.example",
                                    at("2026-11-21T08:00:00Z"), &out, &err),
                     0);
    assert_non_null(strstr(out.data, "UID:home-1-plan-5-0@tpt"));
    tpt_buf_free(&out);
    /* an emergency flag stands (the plan is stale again too): no home session,
     * the rest stays */
    add_record(&c, TPT_RECORD_SCREEN, "2026-11-21T08:00:00Z", NULL,
               "{\"level\": \"emergency\", \"complete\": true, \"flags\": [{\"level\": "
               "\"emergency\", \"advice\": \"Go to an emergency department now.\"}]}");
    assert_int_equal(tpt_feed_write(c.s, &f, "https://tpt.north.example",
                                    at("2026-11-21T09:00:00Z"), &out, &err),
                     0);
    assert_null(strstr(out.data, "Home program"));
    assert_non_null(strstr(out.data, "UID:appointment-1@tpt"));
    assert_non_null(strstr(out.data, "How is the pain today?"));
    tpt_buf_free(&out);
    tpt_store_close(c.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_booking_queues_its_confirmation_and_reminder),
        cmocka_unit_test(moves_and_cancellations_tell_the_patient),
        cmocka_unit_test(open_slots_and_the_week_across_the_change),
        cmocka_unit_test(a_course_is_booked_at_once_with_its_reassessments),
        cmocka_unit_test(the_feed_holds_appointments_sessions_and_the_daily_check),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
