/* Working hours, open slots and a course booked at once (lib/availability.c),
 * and the calendar's values (lib/calendar.c): a week that crosses the change
 * to summer time keeps the wall clock; breaks, days off, locations and what
 * is booked close slots; bad hours are refused naming the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tpt/availability.h"
#include "tpt/calendar.h"

static tpt_zone *london(void)
{
    FILE *f = fopen("/usr/share/zoneinfo/Europe/London", "rb");
    if (!f) return NULL;
    static unsigned char data[TPT_ZONE_FILE_MAX];
    size_t len = fread(data, 1, sizeof data, f);
    fclose(f);
    return tpt_zone_parse(data, len, "Europe/London", NULL);
}

static int64_t utc_of(const char *stored)
{
    int64_t t;
    assert_int_equal(tpt_time_parse(stored, &t), 0);
    return t;
}

static int64_t day_of(const char *date)
{
    int64_t d;
    assert_int_equal(tpt_date_parse(date, &d), 0);
    return d;
}

static void stored(int64_t t, char out[TPT_TIME_MAX])
{
    tpt_time_format(t, out);
}

/* Every day 09:00-12:00 at location 1, a break 10:00-10:15 on Mondays,
 * Saturday off work at location 2 only. */
static const char HOURS[] =
    "{\"weekly\": ["
    "{\"day\": \"mon\", \"from\": \"09:00\", \"to\": \"12:00\", \"location\": 1},"
    "{\"day\": \"tue\", \"from\": \"09:00\", \"to\": \"12:00\", \"location\": 1},"
    "{\"day\": \"wed\", \"from\": \"09:00\", \"to\": \"12:00\", \"location\": 1},"
    "{\"day\": \"thu\", \"from\": \"09:00\", \"to\": \"12:00\", \"location\": 1},"
    "{\"day\": \"fri\", \"from\": \"09:00\", \"to\": \"12:00\", \"location\": 1},"
    "{\"day\": \"sat\", \"from\": \"09:00\", \"to\": \"12:00\", \"location\": 2},"
    "{\"day\": \"sun\", \"from\": \"09:00\", \"to\": \"12:00\"}],"
    " \"breaks\": [{\"day\": \"mon\", \"from\": \"10:00\", \"to\": \"10:15\"}],"
    " \"off\": [{\"from\": \"2026-04-01\", \"to\": \"2026-04-01\"}]}";

static void hours_read_and_write_back_the_same(void **state)
{
    (void)state;
    tpt_hours h, again;
    tpt_error err = {0};
    assert_int_equal(tpt_hours_parse(HOURS, &h, &err), 0);
    assert_int_equal(h.nweekly, 7);
    assert_int_equal(h.nbreaks, 1);
    assert_int_equal(h.noff, 1);
    assert_int_equal(h.weekly[5].day, 6);
    assert_int_equal(h.weekly[5].location, 2);
    json_t *j = tpt_hours_json(&h);
    char *text = json_dumps(j, 0);
    assert_int_equal(tpt_hours_parse(text, &again, &err), 0);
    assert_memory_equal(&h, &again, sizeof h);
    free(text);
    json_decref(j);
    assert_int_equal(tpt_hours_parse(NULL, &h, &err), 0);
    assert_int_equal(h.nweekly, 0);
}

static void bad_hours_are_refused_naming_the_field(void **state)
{
    (void)state;
    static const struct {
        const char *json, *message;
    } cases[] = {
        {"[]", "the working hours are not a JSON object"},
        {"{\"weekly\": [], \"holidays\": []}", "the working hours take weekly, breaks and off"},
        {"{\"weekly\": [{\"day\": \"monday\", \"from\": \"09:00\", \"to\": \"12:00\"}]}",
         "weekly[0].day: must be mon, tue, wed, thu, fri, sat or sun"},
        {"{\"weekly\": [{\"day\": \"mon\", \"from\": \"9:00\", \"to\": \"12:00\"}]}",
         "weekly[0].from: must be a time HH:MM from 00:00 to 23:59"},
        {"{\"weekly\": [{\"day\": \"mon\", \"from\": \"09:00\", \"to\": \"24:30\"}]}",
         "weekly[0].to: must be a time HH:MM from 00:01 to 24:00"},
        {"{\"weekly\": [{\"day\": \"mon\", \"from\": \"12:00\", \"to\": \"09:00\"}]}",
         "weekly[0].to: must be after from"},
        {"{\"weekly\": [{\"day\": \"mon\", \"from\": \"09:00\", \"to\": \"12:00\"},"
         "{\"day\": \"mon\", \"from\": \"11:00\", \"to\": \"13:00\"}]}",
         "weekly[1]: overlaps another span of the same day"},
        {"{\"weekly\": [{\"day\": \"mon\", \"from\": \"09:00\", \"to\": \"12:00\", "
         "\"location\": -1}]}",
         "weekly[0].location: must be a location's id (or 0 for any)"},
        {"{\"breaks\": [{\"day\": \"mon\", \"from\": \"09:00\", \"to\": \"10:00\", "
         "\"location\": 1}]}",
         "breaks[0]: takes day, from and to"},
        {"{\"off\": [{\"from\": \"2026-02-30\"}]}", "off[0].from: must be a date YYYY-MM-DD"},
        {"{\"off\": [{\"from\": \"2026-03-02\", \"to\": \"2026-03-01\"}]}",
         "off[0].to: must not be before from"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tpt_hours h;
        tpt_error err = {0};
        assert_int_equal(tpt_hours_parse(cases[i].json, &h, &err), TPT_ERR_INPUT);
        if (strncmp(err.message, cases[i].message, strlen(cases[i].message)) != 0)
            fail_msg("%s: said '%s'", cases[i].json, err.message);
    }
}

/* The week of Thursday 26 March to Wednesday 1 April 2026 in London crosses
 * the change to summer time in the night to Sunday 29 March. */
static void a_week_across_the_change_keeps_the_wall_clock(void **state)
{
    (void)state;
    tpt_zone *z = london();
    if (!z) skip();
    tpt_hours h;
    assert_int_equal(tpt_hours_parse(HOURS, &h, NULL), 0);
    /* booked: Friday 10:00-11:00 local (GMT: 10:00Z); Monday 09:30-10:00 BST */
    tpt_busy busy[] = {{utc_of("2026-03-27T10:00:00Z"), utc_of("2026-03-27T11:00:00Z")},
                       {utc_of("2026-03-30T08:30:00Z"), utc_of("2026-03-30T09:00:00Z")}};
    tpt_slot_query q = {.zone = z,
                        .hours = &h,
                        .location = 1,
                        .first_day = day_of("2026-03-26"),
                        .days = 7,
                        .minutes = 60,
                        .step = 30,
                        .busy = busy,
                        .nbusy = 2,
                        .not_before = utc_of("2026-03-26T00:00:00Z")};
    tpt_slot slots[64];
    size_t n = tpt_open_slots(&q, slots, 64);
    char got[64][TPT_TIME_MAX];
    for (size_t i = 0; i < n; i++)
        stored(slots[i].start, got[i]);
    static const char *const want[] = {
        /* Thursday, GMT */
        "2026-03-26T09:00:00Z", "2026-03-26T09:30:00Z", "2026-03-26T10:00:00Z",
        "2026-03-26T10:30:00Z", "2026-03-26T11:00:00Z",
        /* Friday: the booked hour closes 09:30 to 10:30 */
        "2026-03-27T09:00:00Z", "2026-03-27T11:00:00Z",
        /* Saturday works at location 2 only; Sunday at any, now in BST */
        "2026-03-29T08:00:00Z", "2026-03-29T08:30:00Z", "2026-03-29T09:00:00Z",
        "2026-03-29T09:30:00Z", "2026-03-29T10:00:00Z",
        /* Monday in BST: the booking at 09:30 and the break at 10:00 leave 10:30 and 11:00 */
        "2026-03-30T09:30:00Z", "2026-03-30T10:00:00Z",
        /* Tuesday in BST; Wednesday 1 April is a day off */
        "2026-03-31T08:00:00Z", "2026-03-31T08:30:00Z", "2026-03-31T09:00:00Z",
        "2026-03-31T09:30:00Z", "2026-03-31T10:00:00Z"};
    assert_int_equal(n, sizeof want / sizeof *want);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(got[i], want[i]);
    for (size_t i = 0; i < n; i++) {
        assert_true(slots[i].end - slots[i].start == 3600);
        assert_true(tpt_hours_cover(z, &h, 1, slots[i].start, slots[i].end));
    }
    /* at location 2 only Saturday and Sunday are open */
    q.location = 2;
    n = tpt_open_slots(&q, slots, 64);
    assert_int_equal(n, 10);
    stored(slots[0].start, got[0]);
    assert_string_equal(got[0], "2026-03-28T09:00:00Z");
    assert_int_equal(slots[0].location, 2);
    /* nothing before the moment asked */
    q.location = 1;
    q.not_before = utc_of("2026-03-31T09:15:00Z");
    assert_int_equal(tpt_open_slots(&q, slots, 64), 2);
    /* at most max */
    q.not_before = 0;
    assert_int_equal(tpt_open_slots(&q, slots, 3), 3);
    /* a time outside the hours is not covered: before nine, in the break, on a day off */
    assert_false(
        tpt_hours_cover(z, &h, 1, utc_of("2026-03-30T07:30:00Z"), utc_of("2026-03-30T08:30:00Z")));
    assert_false(
        tpt_hours_cover(z, &h, 1, utc_of("2026-03-30T08:45:00Z"), utc_of("2026-03-30T09:15:00Z")));
    assert_false(
        tpt_hours_cover(z, &h, 1, utc_of("2026-04-01T09:00:00Z"), utc_of("2026-04-01T09:30:00Z")));
    assert_false(
        tpt_hours_cover(z, &h, 1, utc_of("2026-03-28T09:00:00Z"), utc_of("2026-03-28T09:30:00Z")));
    /* the working spans of a day, the break cut out; none on a day off */
    tpt_span spans[8];
    assert_int_equal(tpt_hours_of_day(&h, day_of("2026-03-30"), 1, spans, 8), 2);
    assert_true(spans[0].from == 9 * 60 && spans[0].to == 10 * 60);
    assert_true(spans[1].from == 10 * 60 + 15 && spans[1].to == 12 * 60);
    assert_int_equal(tpt_hours_of_day(&h, day_of("2026-04-01"), 1, spans, 8), 0);
    assert_int_equal(tpt_hours_of_day(&h, day_of("2026-03-28"), 1, spans, 8), 0);
    assert_int_equal(tpt_hours_of_day(&h, day_of("2026-03-28"), 0, spans, 8), 1);
    tpt_zone_free(z);
}

static void a_course_keeps_its_time_of_day_across_the_change(void **state)
{
    (void)state;
    tpt_zone *z = london();
    if (!z) skip();
    int64_t first, local[6];
    assert_int_equal(tpt_local_parse("2026-03-23T10:00", &first), 0);
    /* twice a week for three weeks, from a Monday: Mondays and Thursdays */
    assert_int_equal(tpt_series_local(first, (tpt_spacing){.per_week = 2}, 6, local, NULL), 0);
    static const char *const want[] = {"2026-03-23T10:00:00Z", "2026-03-26T10:00:00Z",
                                       "2026-03-30T09:00:00Z", "2026-04-02T09:00:00Z",
                                       "2026-04-06T09:00:00Z", "2026-04-09T09:00:00Z"};
    for (int i = 0; i < 6; i++) {
        char at[TPT_TIME_MAX];
        stored(tpt_zone_to_utc(z, local[i], NULL), at);
        assert_string_equal(at, want[i]);
    }
    /* three a week: Monday, Wednesday, Friday; every 10 days */
    assert_int_equal(tpt_series_local(first, (tpt_spacing){.per_week = 3}, 4, local, NULL), 0);
    assert_true(local[1] - local[0] == 2 * 86400 && local[2] - local[1] == 2 * 86400 &&
                local[3] - local[2] == 3 * 86400);
    assert_int_equal(tpt_series_local(first, (tpt_spacing){.every_days = 10}, 2, local, NULL), 0);
    assert_true(local[1] - local[0] == 10 * 86400);
    tpt_error err = {0};
    assert_int_equal(tpt_series_local(first, (tpt_spacing){.per_week = 8}, 2, local, &err),
                     TPT_ERR_INPUT);
    assert_int_equal(tpt_series_local(first, (tpt_spacing){0}, 2, local, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_series_local(first, (tpt_spacing){.per_week = 2}, 0, local, &err),
                     TPT_ERR_INPUT);
    /* the reassessments: the third visit and the last of the planned course */
    assert_true(tpt_course_reassessment(3, 6));
    assert_true(tpt_course_reassessment(6, 6));
    assert_false(tpt_course_reassessment(4, 6));
    assert_false(tpt_course_reassessment(2, 6));
    tpt_zone_free(z);
}

static void wall_times_as_typed(void **state)
{
    (void)state;
    int64_t t;
    char out[TPT_TIME_MAX];
    assert_int_equal(tpt_local_parse("2026-11-24T10:05", &t), 0);
    tpt_local_format(t, out);
    assert_string_equal(out, "2026-11-24T10:05");
    assert_int_equal(tpt_local_parse("2026-11-24T10:05:30", &t), 0);
    static const char *const bad[] = {"2026-11-24",
                                      "2026-11-24 10:05",
                                      "2026-11-24T24:00",
                                      "2026-02-29T10:00",
                                      "2026-11-24T10:5",
                                      "",
                                      NULL};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(tpt_local_parse(bad[i], &t), TPT_ERR_INPUT);
    assert_int_equal(tpt_weekday(day_of("2026-11-23")), 1); /* a Monday */
    assert_int_equal(tpt_weekday(day_of("2026-11-29")), 7);
    assert_string_equal(tpt_weekday_id(3), "wed");
}

static void clinic_settings_are_checked(void **state)
{
    (void)state;
    tpt_clinic_profile p;
    tpt_error err = {0};
    tpt_clinic_profile_defaults(&p, 1, "North Clinic");
    assert_int_equal(tpt_clinic_profile_check(&p, &err), 0);
    assert_string_equal(p.zone, "UTC");
    assert_int_equal(p.reminder_hours, 24);
    static const struct {
        const char *slug, *zone, *smtp, *email, *field;
    } bad[] = {
        {"North Clinic", "UTC", "", "", "slug:"}, {"-north", "UTC", "", "", "slug:"},
        {"north", "../etc", "", "", "zone:"},     {"north", "UTC", "http://relay", "", "smtp_url:"},
        {"north", "UTC", "", "desk", "email:"},   {"north", "UTC", "", "a@b\r\nBcc: x@y", "email:"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tpt_clinic_profile_defaults(&p, 1, "North Clinic");
        snprintf(p.slug, sizeof p.slug, "%s", bad[i].slug);
        snprintf(p.zone, sizeof p.zone, "%s", bad[i].zone);
        snprintf(p.smtp_url, sizeof p.smtp_url, "%s", bad[i].smtp);
        snprintf(p.email, sizeof p.email, "%s", bad[i].email);
        assert_int_equal(tpt_clinic_profile_check(&p, &err), TPT_ERR_INPUT);
        assert_memory_equal(err.message, bad[i].field, strlen(bad[i].field));
    }
    tpt_clinic_profile_defaults(&p, 1, "North Clinic");
    p.series_per_week = 0;
    assert_int_equal(tpt_clinic_profile_check(&p, &err), TPT_ERR_INPUT);
    p.series_every_days = 7;
    assert_int_equal(tpt_clinic_profile_check(&p, &err), 0);
    /* modalities by id and by their words */
    assert_int_equal(tpt_modality_find("dry-needling"), TPT_MODALITY_DRY_NEEDLING);
    assert_int_equal(tpt_modality_find("Dry Needling"), TPT_MODALITY_DRY_NEEDLING);
    assert_int_equal(tpt_modality_find("acupuncture"), TPT_MODALITY_ACUPUNCTURE);
    assert_int_equal(tpt_modality_find("reiki"), -1);
    tpt_service s = {
        .name = "First visit", .kind = TPT_SERVICE_FIRST, .minutes = 60, .nstaff = 1, .staff = {7}};
    assert_int_equal(tpt_service_check(&s, &err), 0);
    assert_true(tpt_service_given_by(&s, 7));
    assert_false(tpt_service_given_by(&s, 8));
    s.minutes = 2;
    assert_int_equal(tpt_service_check(&s, &err), TPT_ERR_INPUT);
}

/* Minutes of the day as people read them, "24:00" ending a day; a value
 * out of a day (never given by a caller) cannot write past its text. */
static void minutes_of_the_day_as_text(void **state)
{
    (void)state;
    const struct {
        int minutes;
        const char *text;
    } cases[] = {{0, "00:00"},  {615, "10:15"},  {1439, "23:59"},      {1440, "24:00"},
                 {-5, "00:00"}, {1441, "00:00"}, {2147483647, "00:00"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *t = tpt_minutes_json(cases[i].minutes);
        assert_string_equal(json_string_value(t), cases[i].text);
        json_decref(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hours_read_and_write_back_the_same),
        cmocka_unit_test(bad_hours_are_refused_naming_the_field),
        cmocka_unit_test(a_week_across_the_change_keeps_the_wall_clock),
        cmocka_unit_test(a_course_keeps_its_time_of_day_across_the_change),
        cmocka_unit_test(wall_times_as_typed),
        cmocka_unit_test(minutes_of_the_day_as_text),
        cmocka_unit_test(clinic_settings_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
