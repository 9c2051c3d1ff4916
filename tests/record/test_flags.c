/* The red flags that stand in a record (record/flags.c): the check behind
 * every place that shows self-treatment. A flag stands until a later
 * complete screen below urgent; the most serious one is told, with its
 * advice; nothing unreadable is taken lightly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/flags.h"

/* A record list built in order: the caller adds screens and drawings. */
typedef struct records {
    tpt_record items[16];
    tpt_record_list list;
} records;

static void add(records *r, tpt_record_kind kind, const char *json)
{
    tpt_record *rec = &r->items[r->list.count];
    memset(rec, 0, sizeof *rec);
    rec->kind = kind;
    rec->json = (char *)json;
    rec->id = (int64_t)r->list.count + 1;
    snprintf(rec->at, sizeof rec->at, "2026-11-%02zuT08:00:00Z", r->list.count + 1);
    r->list.items = r->items;
    r->list.count++;
}

static size_t standing(records *r, tpt_level *level, char **advice)
{
    return tpt_standing_flags(&r->list, level, advice);
}

#define URGENT_SCREEN                                                                              \
    "{\"complete\": false, \"level\": \"urgent\", \"flags\": [{\"id\": \"fever\", \"level\": "     \
    "\"urgent\", \"advice\": \"See a doctor today.\"}]}"
#define CLEAR_SCREEN "{\"complete\": true, \"level\": \"none\", \"flags\": []}"
#define SADDLE_DRAWING                                                                             \
    "{\"pattern\": \"unclear\", \"warnings\": [{\"id\": \"cauda-equina\", \"level\": "             \
    "\"emergency\", \"advice\": \"Go to an emergency department now.\"}]}"

static void an_empty_record_has_none(void **state)
{
    (void)state;
    records r = {0};
    tpt_level level = TPT_LEVEL_URGENT;
    char *advice = (char *)"stale";
    assert_int_equal(standing(&r, &level, &advice), 0);
    assert_int_equal(level, TPT_LEVEL_NONE);
    assert_null(advice);
}

static void a_screen_flag_stands_with_its_advice(void **state)
{
    (void)state;
    records r = {0};
    add(&r, TPT_RECORD_SCREEN, URGENT_SCREEN);
    add(&r, TPT_RECORD_PLAN, "{}");    /* other kinds say nothing of flags */
    add(&r, TPT_RECORD_SESSION, "{}"); /* ... and do not clear them */
    tpt_level level;
    char *advice;
    assert_int_equal(standing(&r, &level, &advice), 1);
    assert_int_equal(level, TPT_LEVEL_URGENT);
    assert_string_equal(advice, "See a doctor today.");
    free(advice);
}

static void a_later_complete_clear_screen_lifts_them(void **state)
{
    (void)state;
    records r = {0};
    add(&r, TPT_RECORD_SCREEN, URGENT_SCREEN);
    add(&r, TPT_RECORD_DRAWING, SADDLE_DRAWING);
    add(&r, TPT_RECORD_SCREEN, CLEAR_SCREEN);
    tpt_level level;
    char *advice;
    assert_int_equal(standing(&r, &level, &advice), 0);
    assert_int_equal(level, TPT_LEVEL_NONE);
    assert_null(advice);
    /* a flag raised after the clear screen stands again */
    add(&r, TPT_RECORD_DRAWING, SADDLE_DRAWING);
    assert_int_equal(standing(&r, &level, &advice), 1);
    assert_int_equal(level, TPT_LEVEL_EMERGENCY);
    free(advice);
}

static void an_incomplete_or_serious_screen_lifts_nothing(void **state)
{
    (void)state;
    records r = {0};
    add(&r, TPT_RECORD_DRAWING, SADDLE_DRAWING);
    /* clear as far as it went, but not every question answered */
    add(&r, TPT_RECORD_SCREEN, "{\"complete\": false, \"level\": \"none\", \"flags\": []}");
    /* complete, but itself at urgent */
    add(&r, TPT_RECORD_SCREEN,
        "{\"complete\": true, \"level\": \"urgent\", \"flags\": [{\"id\": \"fever\", \"level\": "
        "\"urgent\", \"advice\": \"See a doctor today.\"}]}");
    tpt_level level;
    char *advice;
    assert_int_equal(standing(&r, &level, &advice), 2);
    /* the most serious stands for all of them, with its own advice */
    assert_int_equal(level, TPT_LEVEL_EMERGENCY);
    assert_string_equal(advice, "Go to an emergency department now.");
    free(advice);
}

static void a_soon_screen_clears_and_a_soon_flag_is_told(void **state)
{
    (void)state;
    records r = {0};
    add(&r, TPT_RECORD_SCREEN, URGENT_SCREEN);
    add(&r, TPT_RECORD_SCREEN,
        "{\"complete\": true, \"level\": \"soon\", \"flags\": [{\"id\": \"night-pain\", \"level\": "
        "\"soon\", \"advice\": \"See a clinician within a week.\"}]}");
    tpt_level level;
    char *advice;
    assert_int_equal(standing(&r, &level, &advice), 1);
    assert_int_equal(level, TPT_LEVEL_SOON);
    assert_string_equal(advice, "See a clinician within a week.");
    free(advice);
}

static void of_equal_flags_the_latest_advice_is_told(void **state)
{
    (void)state;
    records r = {0};
    add(&r, TPT_RECORD_SCREEN, URGENT_SCREEN);
    add(&r, TPT_RECORD_SCREEN,
        "{\"complete\": false, \"level\": \"urgent\", \"flags\": [{\"id\": \"weakness\", "
        "\"level\": \"urgent\", \"advice\": \"Weakness: see a doctor today.\"}]}");
    tpt_level level;
    char *advice;
    assert_int_equal(standing(&r, &level, &advice), 2);
    assert_int_equal(level, TPT_LEVEL_URGENT);
    assert_string_equal(advice, "Weakness: see a doctor today.");
    free(advice);
}

static void nothing_unreadable_is_taken_lightly(void **state)
{
    (void)state;
    records r = {0};
    /* a flag of a level this tpt does not know counts as urgent */
    add(&r, TPT_RECORD_SCREEN,
        "{\"complete\": false, \"flags\": [{\"id\": \"x\", \"level\": \"grave\", \"advice\": "
        "\"Ask a doctor.\"}]}");
    /* a screen whose level cannot be read clears nothing */
    add(&r, TPT_RECORD_SCREEN, "{\"complete\": true, \"flags\": []}");
    /* a record that is not JSON at all is passed over, not a crash */
    add(&r, TPT_RECORD_DRAWING, "not json");
    add(&r, TPT_RECORD_SCREEN, NULL);
    tpt_level level;
    char *advice;
    assert_int_equal(standing(&r, &level, &advice), 1);
    assert_int_equal(level, TPT_LEVEL_URGENT);
    assert_string_equal(advice, "Ask a doctor.");
    free(advice);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_empty_record_has_none),
        cmocka_unit_test(a_screen_flag_stands_with_its_advice),
        cmocka_unit_test(a_later_complete_clear_screen_lifts_them),
        cmocka_unit_test(an_incomplete_or_serious_screen_lifts_nothing),
        cmocka_unit_test(a_soon_screen_clears_and_a_soon_flag_is_told),
        cmocka_unit_test(of_equal_flags_the_latest_advice_is_told),
        cmocka_unit_test(nothing_unreadable_is_taken_lightly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
