/* Stored times and calendar dates (lib/time.c): one form for every time the
 * record keeps, read back exactly, and the dates the pages print. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tpt/time.h"

static void a_stored_time_reads_back_to_the_second(void **state)
{
    (void)state;
    static const int64_t moments[] = {0, 951782400 /* 2000-02-29 */, 1795250999, 4133980799,
                                      -86400};
    for (size_t i = 0; i < sizeof moments / sizeof *moments; i++) {
        char at[TPT_TIME_MAX];
        int64_t back = 1;
        tpt_time_format(moments[i], at);
        assert_int_equal(strlen(at), 20);
        assert_int_equal(tpt_time_parse(at, &back), 0);
        assert_true(back == moments[i]);
    }
    char at[TPT_TIME_MAX];
    tpt_time_format(1795250999, at);
    assert_string_equal(at, "2026-11-21T08:49:59Z");
}

static void only_the_stored_shape_is_a_stored_time(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2026-11-21 08:30:00Z",
        "2026-11-21T08:30:00",
        "2026-1-21T08:30:00Z",
        "2026-11-21T08:30Z",
        "2026-02-30T08:30:00Z",
        "2025-02-29T08:30:00Z",
        "2026-13-01T00:00:00Z",
        "2026-11-21T24:00:00Z",
        "2026-11-21T08:60:00Z",
        "2026-11-21T08:30:00Z ",
        "",
        NULL,
    };
    int64_t s;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(tpt_time_parse(bad[i], &s), TPT_ERR_INPUT);
    assert_int_equal(tpt_time_parse("2024-02-29T23:59:59Z", &s), 0);
}

static void the_record_keeps_moments_of_this_century(void **state)
{
    (void)state;
    tpt_error err = {0};
    assert_int_equal(tpt_time_check("2000-01-01T00:00:00Z", &err), 0);
    assert_int_equal(tpt_time_check("2100-12-31T23:59:59Z", &err), 0);
    assert_int_equal(tpt_time_check("1999-12-31T23:59:59Z", &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "1999-12-31T23:59:59Z"));
    assert_int_equal(tpt_time_check("2101-01-01T00:00:00Z", &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_time_check("tomorrow", NULL), TPT_ERR_INPUT);
    assert_int_equal(tpt_time_check(NULL, &err), TPT_ERR_INPUT);
}

static void local_dates_follow_the_offset(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(tpt_time_parse("2026-12-31T23:30:00Z", &t), 0);
    tpt_civil c = tpt_civil_at(t, 3600); /* an hour east: already the new year */
    assert_true(c.year == 2027 && c.month == 1 && c.day == 1 && c.hour == 0 && c.minute == 30);
    c = tpt_civil_at(t, -5 * 3600);
    assert_true(c.year == 2026 && c.month == 12 && c.day == 31 && c.hour == 18);
    assert_true(tpt_days_from_civil(1970, 1, 1) == 0);
    assert_true(tpt_days_from_civil(1969, 12, 31) == -1);
    tpt_civil_from_days(-1, &c);
    assert_true(c.year == 1969 && c.month == 12 && c.day == 31);
    assert_true(tpt_floor_div(-1, 86400) == -1 && tpt_floor_div(86399, 86400) == 0);
    assert_string_equal(tpt_month_name(9), "September");
    assert_string_equal(tpt_month_name(13), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_stored_time_reads_back_to_the_second),
        cmocka_unit_test(only_the_stored_shape_is_a_stored_time),
        cmocka_unit_test(the_record_keeps_moments_of_this_century),
        cmocka_unit_test(local_dates_follow_the_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
