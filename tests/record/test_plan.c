/* The plan a record holds (record/plan_record.c): what it was made from,
 * when it is stale (a newer screen or drawing), and when its program began
 * (a new plan with the same home program goes on in the same week). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "record/plan_record.h"
#include "tpt/protocol.h"

typedef struct history {
    tpt_record items[16];
    tpt_record_list list;
} history;

/* A record on day `day` of November 2026 (ids count up from 1). */
static int64_t add(history *h, tpt_record_kind kind, int day, const char *input, const char *json)
{
    tpt_record *r = &h->items[h->list.count];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->id = (int64_t)h->list.count + 1;
    r->input = (char *)input;
    r->json = (char *)json;
    snprintf(r->at, sizeof r->at, "2026-11-%02dT09:00:00Z", day);
    h->list.items = h->items;
    h->list.count++;
    return r->id;
}

static tpt_plan_state state_of(history *h)
{
    tpt_plan_state s;
    tpt_plan_state_of(&h->list, &s);
    return s;
}

#define DAY 86400
#define NOV(d) (1793523600 + ((d)-1) * (int64_t)DAY) /* 2026-11-d 09:00 UTC */
#define PROGRAM_A                                                                                  \
    "{\"home\": {\"steps\": [{\"id\": \"moist-heat\"}, {\"id\": \"piriformis-two-balls\"}]}}"
#define PROGRAM_B "{\"home\": {\"steps\": [{\"id\": \"moist-heat\"}, {\"id\": \"soleus-thumb\"}]}}"
#define HELD "{\"self_care\": \"stop\"}"

static void what_a_plan_was_made_from(void **state)
{
    (void)state;
    int64_t s, d;
    assert_true(tpt_plan_made_from("screen:12 drawing:7", &s, &d));
    assert_int_equal(s, 12);
    assert_int_equal(d, 7);
    static const char *const none[] = {NULL,
                                       "",
                                       "screen:12",
                                       "screen:0 drawing:7",
                                       "screen:12 drawing:7 plus",
                                       "drawing:7 screen:12"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        assert_false(tpt_plan_made_from(none[i], &s, &d));
        assert_int_equal(s, 0);
    }
}

static void a_plan_is_stale_once_a_newer_screen_or_drawing_is_kept(void **state)
{
    (void)state;
    history h = {0};
    assert_null(state_of(&h).plan);
    int64_t screen = add(&h, TPT_RECORD_SCREEN, 1, "{}", "{}");
    int64_t drawing = add(&h, TPT_RECORD_DRAWING, 1, "r.sole", "{}");
    char input[64];
    snprintf(input, sizeof input, "screen:%lld drawing:%lld", (long long)screen,
             (long long)drawing);
    add(&h, TPT_RECORD_PLAN, 2, input, PROGRAM_A);
    add(&h, TPT_RECORD_SESSION, 3, NULL, "{}"); /* sessions and plans change nothing */
    tpt_plan_state s = state_of(&h);
    assert_false(s.stale);
    assert_int_equal(s.screen, screen);
    assert_int_equal(s.drawing, drawing);
    assert_int_equal(s.plan->id, 3);
    add(&h, TPT_RECORD_DRAWING, 4, "r.calf", "{}");
    s = state_of(&h);
    assert_true(s.stale);
    assert_int_equal(s.latest_drawing->id, 5);
    assert_int_equal(s.latest_screen->id, screen);
}

static void a_plan_naming_nothing_is_stale_beside_any_screen_or_drawing(void **state)
{
    (void)state;
    history h = {0};
    add(&h, TPT_RECORD_PLAN, 1, NULL, PROGRAM_A); /* kept by an older tpt */
    assert_false(state_of(&h).stale);             /* nothing can be newer */
    add(&h, TPT_RECORD_SCREEN, 2, "{}", "{}");
    assert_true(state_of(&h).stale);
    /* a plan naming records the record does not hold (imported) is stale too */
    history g = {0};
    add(&g, TPT_RECORD_SCREEN, 1, "{}", "{}");
    add(&g, TPT_RECORD_DRAWING, 1, "r.sole", "{}");
    add(&g, TPT_RECORD_PLAN, 2, "screen:40 drawing:41", PROGRAM_A);
    assert_true(state_of(&g).stale);
}

static void the_program_goes_on_while_plans_keep_it(void **state)
{
    (void)state;
    history h = {0};
    assert_int_equal(tpt_program_began(&h.list), -1);
    add(&h, TPT_RECORD_PLAN, 1, NULL, PROGRAM_A);
    assert_int_equal(tpt_program_began(&h.list), -1); /* no session yet */
    add(&h, TPT_RECORD_SESSION, 2, NULL, "{}");
    add(&h, TPT_RECORD_SESSION, 5, NULL, "{}");
    assert_int_equal(tpt_program_began(&h.list), NOV(2));
    /* a new plan with the same steps: the same program, the same start */
    add(&h, TPT_RECORD_PLAN, 15, NULL, PROGRAM_A);
    assert_int_equal(tpt_program_began(&h.list), NOV(2));
    assert_int_equal(tpt_program_week(tpt_program_began(&h.list), NOV(16)), 3);
    /* another program starts again: from its first session */
    add(&h, TPT_RECORD_PLAN, 16, NULL, PROGRAM_B);
    assert_int_equal(tpt_program_began(&h.list), -1);
    add(&h, TPT_RECORD_SESSION, 17, NULL, "{}");
    assert_int_equal(tpt_program_began(&h.list), NOV(17));
    /* a plan that held self-treatment back breaks the run: week 1 again */
    add(&h, TPT_RECORD_PLAN, 18, NULL, HELD);
    add(&h, TPT_RECORD_PLAN, 20, NULL, PROGRAM_B);
    assert_int_equal(tpt_program_began(&h.list), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(what_a_plan_was_made_from),
        cmocka_unit_test(a_plan_is_stale_once_a_newer_screen_or_drawing_is_kept),
        cmocka_unit_test(a_plan_naming_nothing_is_stale_beside_any_screen_or_drawing),
        cmocka_unit_test(the_program_goes_on_while_plans_keep_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
