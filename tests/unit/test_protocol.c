/* The guided session state machine under a fake clock: a whole session, pause
 * and resume, skip, stop, and the stop rule for sharp or new pain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "tpt/protocol.h"

/* Heat for 10 s, then pressure 2 x 4 s with 2 s rest, then a stretch 3 x 5 s. */
static tpt_program_step steps[] = {
    {.kind = TPT_STEP_GENERAL,
     .id = "heat",
     .title = "Heat",
     .instructions = "i",
     .hold_seconds = 10,
     .repeats = 1},
    {.kind = TPT_STEP_PRESSURE,
     .id = "ball",
     .title = "Ball",
     .instructions = "i",
     .hold_seconds = 4,
     .rest_seconds = 2,
     .repeats = 2},
    {.kind = TPT_STEP_STRETCH,
     .id = "stretch",
     .title = "Stretch",
     .instructions = "i",
     .hold_seconds = 5,
     .repeats = 3},
};
static tpt_program program = {.nsteps = 3, .steps = steps, .stop_advice = "Stop at once."};
static tpt_session s;

#define OK(call) assert_int_equal((call), 0)

static void begin(void)
{
    tpt_session_init(&s, &program, 1);
    assert_int_equal(s.state, TPT_SESSION_PAIN_BEFORE);
    OK(tpt_session_pain(&s, 5, 0, NULL));
    assert_int_equal(s.state, TPT_SESSION_READY);
}

static void a_whole_session(void **state)
{
    (void)state;
    begin();
    OK(tpt_session_start(&s, 1000, NULL));
    assert_int_equal(s.state, TPT_SESSION_HOLD);
    tpt_session_tick(&s, 10999);
    assert_int_equal(s.state, TPT_SESSION_HOLD);
    assert_int_equal(tpt_session_remaining(&s, 10999), 1);
    tpt_session_tick(&s, 11000);
    assert_int_equal(s.state, TPT_SESSION_CHECK);
    assert_int_equal(s.bells, 1);
    OK(tpt_session_check(&s, false, 11000, NULL));

    /* pressure: hold 4, rest 2, hold 4 */
    OK(tpt_session_start(&s, 20000, NULL));
    tpt_session_tick(&s, 24000);
    assert_int_equal(s.state, TPT_SESSION_REST);
    tpt_session_tick(&s, 26000);
    assert_int_equal(s.state, TPT_SESSION_HOLD);
    assert_int_equal(s.repeat, 2);
    assert_true(tpt_session_progress(&s, 26000) > 0.4);
    tpt_session_tick(&s, 30000);
    assert_int_equal(s.state, TPT_SESSION_CHECK);
    assert_int_equal(s.bells, 3);
    OK(tpt_session_check(&s, false, 30000, NULL));

    /* a late tick does not lose holds: three holds of 5 s end together */
    OK(tpt_session_start(&s, 40000, NULL));
    tpt_session_tick(&s, 60000);
    assert_int_equal(s.state, TPT_SESSION_CHECK);
    assert_int_equal(s.bells, 6);
    OK(tpt_session_check(&s, false, 60000, NULL));

    assert_int_equal(s.state, TPT_SESSION_PAIN_AFTER);
    assert_int_equal(s.end, TPT_END_COMPLETED);
    assert_true(tpt_session_progress(&s, 60000) == 1);
    OK(tpt_session_pain(&s, 2, 61000, NULL));
    assert_int_equal(s.state, TPT_SESSION_DONE);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(s.status[i], TPT_STEP_DONE);
    assert_int_equal(s.pain_before, 5);
    assert_int_equal(s.pain_after, 2);
}

static void pause_holds_the_clock(void **state)
{
    (void)state;
    begin();
    OK(tpt_session_start(&s, 0, NULL));
    OK(tpt_session_pause(&s, 3000, NULL));
    assert_true(s.paused);
    tpt_session_tick(&s, 100000); /* a long pause: nothing ends */
    assert_int_equal(s.state, TPT_SESSION_HOLD);
    assert_int_equal(tpt_session_remaining(&s, 100000), 7000);
    assert_int_equal(tpt_session_pause(&s, 100000, NULL), TPT_ERR_INPUT);
    OK(tpt_session_resume(&s, 100000, NULL));
    tpt_session_tick(&s, 106999);
    assert_int_equal(s.state, TPT_SESSION_HOLD);
    tpt_session_tick(&s, 107000);
    assert_int_equal(s.state, TPT_SESSION_CHECK);
    assert_int_equal(tpt_session_resume(&s, 107000, NULL), TPT_ERR_INPUT);
}

static void skip_moves_on(void **state)
{
    (void)state;
    begin();
    OK(tpt_session_skip(&s, 0, NULL)); /* before starting */
    assert_int_equal(s.status[0], TPT_STEP_SKIPPED);
    assert_int_equal(s.step, 1);
    OK(tpt_session_start(&s, 0, NULL));
    tpt_session_tick(&s, 4500); /* in the rest */
    assert_int_equal(s.state, TPT_SESSION_REST);
    OK(tpt_session_skip(&s, 4500, NULL));
    assert_int_equal(s.status[1], TPT_STEP_SKIPPED);
    assert_int_equal(s.state, TPT_SESSION_READY);
    OK(tpt_session_skip(&s, 4500, NULL)); /* the last step: the session ends */
    assert_int_equal(s.state, TPT_SESSION_PAIN_AFTER);
    assert_int_equal(s.end, TPT_END_COMPLETED);
}

static void stop_ends_the_session(void **state)
{
    (void)state;
    begin();
    OK(tpt_session_start(&s, 0, NULL));
    OK(tpt_session_stop(&s, 2000, NULL));
    assert_int_equal(s.state, TPT_SESSION_PAIN_AFTER);
    assert_int_equal(s.end, TPT_END_STOPPED);
    assert_int_equal(s.status[0], TPT_STEP_INTERRUPTED);
    assert_int_equal(s.status[1], TPT_STEP_NOT_REACHED);
    tpt_session_tick(&s, 50000); /* no timer runs after a stop */
    assert_int_equal(s.state, TPT_SESSION_PAIN_AFTER);
    assert_int_equal(tpt_session_start(&s, 50000, NULL), TPT_ERR_INPUT);
}

static void sharp_pain_stops_at_once(void **state)
{
    (void)state;
    /* reported during a hold */
    begin();
    OK(tpt_session_start(&s, 0, NULL));
    OK(tpt_session_sharp_pain(&s, 1000, NULL));
    assert_int_equal(s.end, TPT_END_SHARP_OR_NEW_PAIN);
    assert_int_equal(s.state, TPT_SESSION_PAIN_AFTER);
    assert_int_equal(s.status[0], TPT_STEP_INTERRUPTED);

    /* answered at a step's check: the step was done, nothing after it runs */
    begin();
    OK(tpt_session_start(&s, 0, NULL));
    tpt_session_tick(&s, 10000);
    OK(tpt_session_check(&s, true, 10000, NULL));
    assert_int_equal(s.end, TPT_END_SHARP_OR_NEW_PAIN);
    assert_int_equal(s.status[0], TPT_STEP_DONE);
    assert_int_equal(s.status[1], TPT_STEP_NOT_REACHED);
    assert_int_equal(tpt_session_check(&s, false, 10000, NULL), TPT_ERR_INPUT);
}

static void events_out_of_place_are_refused(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_session_init(&s, &program, 1);
    assert_int_equal(tpt_session_start(&s, 0, &err), TPT_ERR_INPUT);
    assert_string_equal(err.message, "cannot start a step while waiting for the pain before");
    assert_int_equal(tpt_session_pain(&s, 11, 0, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_session_pain(&s, -1, 0, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_session_check(&s, false, 0, &err), TPT_ERR_INPUT);
    OK(tpt_session_pain(&s, 0, 0, NULL));
    assert_int_equal(tpt_session_pause(&s, 0, &err), TPT_ERR_INPUT); /* no timer yet */
    assert_int_equal(tpt_session_pain(&s, 3, 0, &err), TPT_ERR_INPUT);
}

static void time_scale_shortens_timers(void **state)
{
    (void)state;
    tpt_session_init(&s, &program, 0.001);
    OK(tpt_session_pain(&s, 1, 0, NULL));
    OK(tpt_session_start(&s, 0, NULL));
    tpt_session_tick(&s, 9);
    assert_int_equal(s.state, TPT_SESSION_HOLD);
    tpt_session_tick(&s, 10);
    assert_int_equal(s.state, TPT_SESSION_CHECK);
}

/* A walk of 5 min growing 5 min a week up to 15 min, as a plan file has it. */
static const char walk_plan[] =
    "{\"format\": \"tpt-plan\", \"level\": \"none\", \"self_care\": \"allowed\", "
    "\"advice\": [], \"screen\": {\"complete\": true}, \"home\": {\"steps\": [{\"id\": "
    "\"walk\", \"kind\": \"general\", \"title\": \"Walk\", \"instructions\": \"i\", "
    "\"hold_seconds\": 300, \"rest_seconds\": 0, \"repeats\": 1, \"graded\": "
    "{\"weekly_seconds\": %d, \"max_seconds\": %d}}]}, \"stop_rules\": [{\"id\": "
    "\"sharp-or-new-pain\", \"text\": \"Stop.\"}]}";

static tpt_program *read_walk(int weekly, int most, tpt_error *err)
{
    char text[1024];
    snprintf(text, sizeof text, walk_plan, weekly, most);
    return tpt_program_read(text, strlen(text), "plan.json", err);
}

static void a_graded_step_grows_week_by_week(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_program *p = read_walk(300, 900, &err);
    if (!p) fail_msg("%s", err.message);
    static const long minutes[] = {5, 10, 15, 15};
    for (long week = 1; week <= 4; week++) {
        tpt_program_set_week(p, week);
        assert_int_equal(p->week, week);
        assert_int_equal(p->steps[0].hold_seconds, minutes[week - 1] * 60);
    }
    tpt_program_set_week(p, 100000); /* no overflow past the most */
    assert_int_equal(p->steps[0].hold_seconds, 900);
    tpt_program_set_week(p, 0);
    assert_int_equal(p->steps[0].hold_seconds, 300);
    tpt_program_free(p);
    /* the grading must make sense, in whole minutes */
    assert_null(read_walk(300, 240, &err));
    assert_non_null(strstr(err.message, "\"graded\" is"));
    assert_null(read_walk(90, 900, &err));
    assert_null(read_walk(0, 900, &err));

    /* the week of the program: 1 in the first seven days, and before it began */
    const int64_t day = 86400, began = 1700000000;
    assert_int_equal(tpt_program_week(-1, began), 1);
    assert_int_equal(tpt_program_week(began, began), 1);
    assert_int_equal(tpt_program_week(began, began + 7 * day - 1), 1);
    assert_int_equal(tpt_program_week(began, began + 7 * day), 2);
    assert_int_equal(tpt_program_week(began, began + 15 * day), 3);
    assert_int_equal(tpt_program_week(began, began - day), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_whole_session),
        cmocka_unit_test(pause_holds_the_clock),
        cmocka_unit_test(skip_moves_on),
        cmocka_unit_test(stop_ends_the_session),
        cmocka_unit_test(sharp_pain_stops_at_once),
        cmocka_unit_test(events_out_of_place_are_refused),
        cmocka_unit_test(time_scale_shortens_timers),
        cmocka_unit_test(a_graded_step_grows_week_by_week),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
