/* iCalendar writing (lib/ical.c): the calendar's frame, an appointment as a
 * moment and a home session as a daily wall-clock time, TEXT escaped, long
 * lines folded at 75 octets without splitting a character, CRLF throughout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tpt/ical.h"
#include "tpt/time.h"

static int64_t utc_of(const char *stored)
{
    int64_t t;
    assert_int_equal(tpt_time_parse(stored, &t), 0);
    return t;
}

static void every_line_ends_in_crlf_and_fits(const char *text)
{
    for (const char *p = text; *p;) {
        const char *end = strstr(p, "\r\n");
        assert_non_null(end);
        assert_true(end - p <= 75);
        assert_null(memchr(p, '\n', (size_t)(end - p)));
        p = end + 2;
    }
}

static void a_feed_of_an_appointment_and_a_daily_session(void **state)
{
    (void)state;
    tpt_buf b = {0};
    tpt_ical_begin(&b, "tpt: Anna Berg");
    tpt_ical_event_write(
        &b, &(tpt_ical_event){.uid = "appointment-42@tpt",
                              .stamp = utc_of("2026-11-20T08:00:00Z"),
                              .start = utc_of("2026-11-24T10:00:00Z"),
                              .end = utc_of("2026-11-24T11:00:00Z"),
                              .summary = "First visit, North Clinic",
                              .location = "1 High Street, Leeds; room 2",
                              .description = "Bring your scans.\nArrive 5 minutes early.",
                              .alarm_minutes = 60});
    tpt_ical_event_write(&b,
                         &(tpt_ical_event){.uid = "home-session-1@tpt",
                                           .stamp = utc_of("2026-11-20T08:00:00Z"),
                                           .start = utc_of("2026-11-21T08:00:00Z"),
                                           .end = utc_of("2026-11-21T08:20:00Z"),
                                           .floating = true,
                                           .rrule = "FREQ=DAILY;COUNT=42",
                                           .summary = "Home program",
                                           .url = "https://clinic.example/#/patients/3/session"});
    tpt_ical_end(&b);
    assert_false(b.failed);
    every_line_ends_in_crlf_and_fits(b.data);
    const char *want[] = {
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
        "X-WR-CALNAME:tpt: Anna Berg\r\n",
        "UID:appointment-42@tpt\r\nDTSTAMP:20261120T080000Z\r\nDTSTART:20261124T100000Z\r\n"
        "DTEND:20261124T110000Z\r\n",
        "SUMMARY:First visit\\, North Clinic\r\n",
        "DESCRIPTION:Bring your scans.\\nArrive 5 minutes early.\r\n",
        "LOCATION:1 High Street\\, Leeds\\; room 2\r\n",
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\n",
        "TRIGGER:-PT60M\r\nEND:VALARM\r\nEND:VEVENT\r\n",
        "DTSTART:20261121T080000\r\nDTEND:20261121T082000\r\nRRULE:FREQ=DAILY;COUNT=42\r\n",
        "URL:https://clinic.example/#/patients/3/session\r\n",
        "END:VCALENDAR\r\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(b.data, want[i])) fail_msg("missing %s in\n%s", want[i], b.data);
    tpt_buf_free(&b);
}

static void long_lines_fold_between_characters(void **state)
{
    (void)state;
    char summary[400] = "";
    for (int i = 0; i < 60; i++)
        strcat(summary, "Ré ");
    tpt_buf b = {0};
    tpt_ical_event_write(
        &b, &(tpt_ical_event){
                .uid = "x@tpt", .summary = summary, .cancelled = true, .alarm_minutes = 30});
    every_line_ends_in_crlf_and_fits(b.data);
    assert_non_null(strstr(b.data, "STATUS:CANCELLED"));
    assert_null(strstr(b.data, "VALARM")); /* no alarm for what will not happen */
    /* unfolded, the text is whole, and no fold splits the two bytes of é */
    tpt_buf unfolded = {0};
    for (const char *p = b.data; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            assert_true(((unsigned char)p[3] & 0xC0) != 0x80);
            p += 2;
            continue;
        }
        tpt_buf_put(&unfolded, p, 1);
    }
    char want[420];
    snprintf(want, sizeof want, "SUMMARY:%s\r\n", summary);
    assert_non_null(strstr(unfolded.data, want));
    tpt_buf_free(&unfolded);
    tpt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_feed_of_an_appointment_and_a_daily_session),
        cmocka_unit_test(long_lines_fold_between_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
