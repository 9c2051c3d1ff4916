/* Time zones (lib/zone.c): offsets of real zones against the C library's
 * own reading of the same files over seventy years, wall times that the
 * clocks skip or repeat, the footer's rule past the table, half-hour and
 * negative summer times, and files that are not zone files. */
#define _DEFAULT_SOURCE /* tm_gmtoff */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tpt/availability.h"
#include "tpt/zone.h"

#define ZONEINFO "/usr/share/zoneinfo/"

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *data = malloc(TPT_ZONE_FILE_MAX);
    *len = data ? fread(data, 1, TPT_ZONE_FILE_MAX, f) : 0;
    fclose(f);
    return data;
}

/* The zone of that name from the system's files; skips the test without them. */
static tpt_zone *load(const char *name)
{
    char path[256];
    size_t len;
    snprintf(path, sizeof path, ZONEINFO "%s", name);
    unsigned char *data = read_all(path, &len);
    if (!data) {
        print_message("no %s: the time zone database (tzdata) is not installed\n", path);
        return NULL;
    }
    tpt_error err = {0};
    tpt_zone *z = tpt_zone_parse(data, len, name, &err);
    free(data);
    if (!z) fail_msg("%s: %s", name, err.message);
    return z;
}

static int64_t utc_of(const char *stored)
{
    int64_t t;
    assert_int_equal(tpt_time_parse(stored, &t), 0);
    return t;
}

static int64_t local_of(const char *text)
{
    int64_t t;
    assert_int_equal(tpt_local_parse(text, &t), 0);
    return t;
}

static void offsets_agree_with_the_c_library_for_seventy_years(void **state)
{
    (void)state;
    static const char *const zones[] = {
        "Europe/London",     "America/New_York",  "Australia/Sydney", "Europe/Dublin",
        "Asia/Kolkata",      "America/Sao_Paulo", "Pacific/Chatham",  "Australia/Lord_Howe",
        "Africa/Casablanca", "America/Nuuk",      "Europe/Berlin",    "UTC"};
    char *saved = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    for (size_t i = 0; i < sizeof zones / sizeof *zones; i++) {
        tpt_zone *z = load(zones[i]);
        if (!z) skip();
        char tz[96];
        snprintf(tz, sizeof tz, ":%s", zones[i]);
        setenv("TZ", tz, 1);
        tzset();
        /* every 7 hours and 13 minutes, so that every hour of every season is met */
        for (int64_t t = utc_of("1990-01-01T00:00:00Z"); t < utc_of("2060-01-01T00:00:00Z");
             t += 7 * 3600 + 13 * 60) {
            time_t tt = (time_t)t;
            struct tm tm;
            localtime_r(&tt, &tm);
            bool dst;
            long off = tpt_zone_offset(z, t, &dst);
            if (off != tm.tm_gmtoff)
                fail_msg("%s at %lld: offset %ld, the C library says %ld", zones[i], (long long)t,
                         off, (long)tm.tm_gmtoff);
            /* and back: a wall time that happens once gives its moment */
            tpt_local_kind kind;
            int64_t back = tpt_zone_to_utc(z, t + off, &kind);
            if (kind == TPT_LOCAL_ONCE) assert_true(back == t);
            if (kind == TPT_LOCAL_TWICE) assert_true(back <= t);
        }
        tpt_zone_free(z);
    }
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    free(saved);
    tzset();
}

static void wall_times_the_clocks_skip_or_repeat(void **state)
{
    (void)state;
    tpt_zone *london = load("Europe/London"), *ny = load("America/New_York");
    if (!london || !ny) skip();
    tpt_local_kind kind;
    /* 29 March 2026: 01:00 GMT becomes 02:00 BST; 01:30 never happens */
    assert_true(tpt_zone_to_utc(london, local_of("2026-03-29T01:30"), &kind) ==
                utc_of("2026-03-29T01:30:00Z"));
    assert_int_equal(kind, TPT_LOCAL_SKIPPED);
    assert_true(tpt_zone_to_local(london, utc_of("2026-03-29T01:30:00Z")) ==
                local_of("2026-03-29T02:30"));
    /* 25 October 2026: 01:30 happens in BST, then again in GMT: the first */
    assert_true(tpt_zone_to_utc(london, local_of("2026-10-25T01:30"), &kind) ==
                utc_of("2026-10-25T00:30:00Z"));
    assert_int_equal(kind, TPT_LOCAL_TWICE);
    /* the morning after a change is an hour closer to UTC than before it */
    assert_true(tpt_zone_to_utc(london, local_of("2026-03-28T10:00"), &kind) ==
                utc_of("2026-03-28T10:00:00Z"));
    assert_int_equal(kind, TPT_LOCAL_ONCE);
    assert_true(tpt_zone_to_utc(london, local_of("2026-03-30T10:00"), NULL) ==
                utc_of("2026-03-30T09:00:00Z"));
    /* New York springs forward on the second Sunday of March at 02:00 */
    assert_true(tpt_zone_to_utc(ny, local_of("2026-03-08T02:30"), &kind) ==
                utc_of("2026-03-08T07:30:00Z"));
    assert_int_equal(kind, TPT_LOCAL_SKIPPED);
    assert_true(tpt_zone_to_utc(ny, local_of("2026-11-01T01:30"), &kind) ==
                utc_of("2026-11-01T05:30:00Z"));
    assert_int_equal(kind, TPT_LOCAL_TWICE);
    bool dst;
    assert_int_equal(tpt_zone_offset(ny, utc_of("2026-07-01T12:00:00Z"), &dst), -4 * 3600);
    assert_true(dst);
    assert_int_equal(tpt_zone_offset(ny, utc_of("2026-12-01T12:00:00Z"), &dst), -5 * 3600);
    assert_false(dst);
    tpt_zone_free(london);
    tpt_zone_free(ny);
}

/* A TZif version 2 file of no transitions and one type, with `footer`. */
static size_t footer_only(unsigned char *out, const char *footer)
{
    memset(out, 0, 512);
    size_t n = 0;
    for (int part = 0; part < 2; part++) {
        unsigned char *h = out + n;
        memcpy(h, "TZif2", 5);
        h[39] = 1; /* typecnt */
        h[43] = 4; /* charcnt */
        n += 44;
        out[n + 4] = 0; /* the type: offset 0, standard */
        memcpy(out + n + 6, "LMT", 4);
        n += 6 + 4;
    }
    out[n++] = '\n';
    memcpy(out + n, footer, strlen(footer));
    n += strlen(footer);
    out[n++] = '\n';
    return n;
}

static void the_footer_rule_carries_past_the_table(void **state)
{
    (void)state;
    unsigned char file[512];
    tpt_error err = {0};
    /* Lord Howe Island: half an hour of summer time, October to April */
    size_t n = footer_only(file, "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
    tpt_zone *z = tpt_zone_parse(file, n, "Test/Howe", &err);
    assert_non_null(z);
    bool dst;
    assert_int_equal(tpt_zone_offset(z, utc_of("2031-01-15T00:00:00Z"), &dst), 11 * 3600);
    assert_true(dst);
    assert_int_equal(tpt_zone_offset(z, utc_of("2031-07-15T00:00:00Z"), &dst), 10 * 3600 + 1800);
    assert_false(dst);
    tpt_zone_free(z);
    /* Ireland keeps winter as its "summer" time: a negative change */
    n = footer_only(file, "IST-1GMT0,M10.5.0,M3.5.0/1");
    assert_non_null(z = tpt_zone_parse(file, n, "Test/Dublin", &err));
    assert_int_equal(tpt_zone_offset(z, utc_of("2040-07-01T12:00:00Z"), NULL), 3600);
    assert_int_equal(tpt_zone_offset(z, utc_of("2040-12-01T12:00:00Z"), &dst), 0);
    assert_true(dst);
    tpt_zone_free(z);
    /* a fixed offset needs no rule at all */
    n = footer_only(file, "<+0545>-5:45");
    assert_non_null(z = tpt_zone_parse(file, n, "Test/Kathmandu", &err));
    assert_int_equal(tpt_zone_offset(z, utc_of("2050-03-01T00:00:00Z"), NULL), 5 * 3600 + 2700);
    tpt_zone_free(z);
}

static void what_is_not_a_zone_file_is_refused(void **state)
{
    (void)state;
    unsigned char file[512];
    tpt_error err = {0};
    static const char *const bad_footers[] = {"X0",
                                              "EST",
                                              "EST5EDT,M13.1.0,M11.1.0",
                                              "EST5EDT,M3.6.0,M11.1.0",
                                              "<+1030-10:30",
                                              "EST5EDT,M3.2.0,M11.1.0junk"};
    for (size_t i = 0; i < sizeof bad_footers / sizeof *bad_footers; i++) {
        size_t n = footer_only(file, bad_footers[i]);
        assert_null(tpt_zone_parse(file, n, "Test/Bad", &err));
        assert_int_equal(err.status, TPT_ERR_DATA);
    }
    assert_null(tpt_zone_parse((const unsigned char *)"hello", 5, "Test/Text", &err));
    assert_string_equal(err.message, "Test/Text is not a time zone file");
    /* every cut of a real file is refused or read, never read past */
    size_t len;
    unsigned char *london = read_all(ZONEINFO "Europe/London", &len);
    if (!london) skip();
    for (size_t cut = 0; cut < len; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, london, cut);
        tpt_zone_free(tpt_zone_parse(copy, cut, "Test/Cut", &err));
        free(copy);
    }
    free(london);
}

static void zone_names_are_paths_inside_the_database(void **state)
{
    (void)state;
    static const char *const good[] = {"UTC", "Europe/London", "America/Argentina/Buenos_Aires",
                                       "Etc/GMT+5", "America/Port-au-Prince"};
    static const char *const bad[] = {"",
                                      "/etc/passwd",
                                      "../../etc/passwd",
                                      "Europe/../x",
                                      "Europe//London",
                                      "Europe/London/",
                                      "Europe/Lon don",
                                      "Europe/./London",
                                      NULL};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(tpt_zone_name_ok(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(tpt_zone_name_ok(bad[i]));
    tpt_zone *utc = tpt_zone_utc();
    assert_string_equal(tpt_zone_name(utc), "UTC");
    assert_int_equal(tpt_zone_offset(utc, 1795250999, NULL), 0);
    tpt_zone_free(utc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(offsets_agree_with_the_c_library_for_seventy_years),
        cmocka_unit_test(wall_times_the_clocks_skip_or_repeat),
        cmocka_unit_test(the_footer_rule_carries_past_the_table),
        cmocka_unit_test(what_is_not_a_zone_file_is_refused),
        cmocka_unit_test(zone_names_are_paths_inside_the_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
