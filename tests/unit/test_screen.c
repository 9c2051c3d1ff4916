/* The red-flag screen: every flag alone and in combination gives its level,
 * "not sure" is handled safely, and bad answers are refused with a clear
 * message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "tpt/screen.h"

static tpt_screen_def *def;

static int setup(void **state)
{
    (void)state;
    tpt_error err = {0};
    def = tpt_screen_def_default(&err);
    if (!def) fprintf(stderr, "%s\n", err.message);
    return def ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tpt_screen_def_free(def);
    return 0;
}

/* The levels each yes gives, from the guidelines of the facts file. */
static const struct {
    const char *key;
    tpt_level level;
} boolean_flags[] = {
    {"bilateral-leg-symptoms", TPT_LEVEL_EMERGENCY},
    {"saddle-numbness", TPT_LEVEL_EMERGENCY},
    {"bladder-change", TPT_LEVEL_EMERGENCY},
    {"bowel-change", TPT_LEVEL_EMERGENCY},
    {"sexual-dysfunction", TPT_LEVEL_EMERGENCY},
    {"weakness-worsening", TPT_LEVEL_URGENT},
    {"foot-drop", TPT_LEVEL_URGENT},
    {"fever", TPT_LEVEL_URGENT},
    {"cancer-history", TPT_LEVEL_URGENT},
    {"major-trauma", TPT_LEVEL_URGENT},
    {"iv-drug-use", TPT_LEVEL_SOON},
    {"immunosuppression", TPT_LEVEL_SOON},
    {"weight-loss", TPT_LEVEL_SOON},
    {"night-pain", TPT_LEVEL_SOON},
    {"osteoporosis-or-steroids", TPT_LEVEL_SOON},
    {"morning-stiffness", TPT_LEVEL_SOON},
};
#define NFLAGS (sizeof boolean_flags / sizeof *boolean_flags)

static tpt_screen_result screen(const char *json)
{
    tpt_answers answers;
    tpt_error err = {0};
    if (tpt_answers_parse(def, json, strlen(json), "a.json", &answers, &err) != 0)
        fail_msg("%s", err.message);
    tpt_screen_result r;
    tpt_screen_evaluate(def, &answers, &r);
    return r;
}

/* Every question answered no (and a harmless age and duration), with `key` set to `value`. */
static tpt_screen_result screen_with(const char *key, const char *value)
{
    char json[2048] = "{";
    for (size_t i = 0; i < NFLAGS; i++) {
        const char *k = boolean_flags[i].key;
        strcat(json, "\"");
        strcat(json, k);
        strcat(json, "\": ");
        strcat(json, key && strcmp(k, key) == 0 ? value : "false");
        strcat(json, ", ");
    }
    strcat(json, "\"age\": 35, \"onset-weeks\": 2}");
    return screen(json);
}

static void every_spec_key_is_asked(void **state)
{
    (void)state;
    assert_int_equal(def->nquestions, NFLAGS + 2);
    for (size_t i = 0; i < NFLAGS; i++)
        assert_true(tpt_screen_find(def, boolean_flags[i].key) >= 0);
    assert_true(tpt_screen_find(def, "age") >= 0);
    assert_true(tpt_screen_find(def, "onset-weeks") >= 0);
    /* the most serious questions come first, and "not sure" about them is a yes */
    for (size_t i = 1; i < def->nquestions; i++)
        assert_true(def->questions[i - 1].level >= def->questions[i].level);
    for (size_t i = 0; i < def->nquestions; i++) {
        if (def->questions[i].level == TPT_LEVEL_EMERGENCY)
            assert_true(def->questions[i].unsure_is_yes);
        assert_true(def->questions[i].source.count > 0);
    }
}

static void each_flag_alone_gives_its_level(void **state)
{
    (void)state;
    tpt_screen_result r = screen_with(NULL, NULL);
    assert_int_equal(r.level, TPT_LEVEL_NONE);
    assert_int_equal(r.nflags, 0);
    assert_true(r.complete);
    assert_string_equal(tpt_self_care_name(r.level), "allowed");
    for (size_t i = 0; i < NFLAGS; i++) {
        r = screen_with(boolean_flags[i].key, "true");
        if (r.level != boolean_flags[i].level)
            fail_msg("%s gives %s", boolean_flags[i].key, tpt_level_name(r.level));
        assert_int_equal(r.nflags, 1);
        assert_string_equal(def->questions[r.flags[0]].key, boolean_flags[i].key);
        assert_string_equal(tpt_self_care_name(r.level),
                            r.level >= TPT_LEVEL_URGENT ? "stop" : "with-caution");
    }
}

static void combinations_take_the_most_serious(void **state)
{
    (void)state;
    for (size_t i = 0; i < NFLAGS; i++) {
        for (size_t j = i + 1; j < NFLAGS; j++) {
            char json[256];
            snprintf(json, sizeof json, "{\"%s\": true, \"%s\": true}", boolean_flags[i].key,
                     boolean_flags[j].key);
            tpt_screen_result r = screen(json);
            tpt_level want = boolean_flags[i].level > boolean_flags[j].level
                                 ? boolean_flags[i].level
                                 : boolean_flags[j].level;
            assert_int_equal(r.level, want);
            assert_int_equal(r.nflags, 2);
            assert_true(def->questions[r.flags[0]].level >= def->questions[r.flags[1]].level);
        }
    }
    tpt_screen_result r = screen("{\"fever\": true, \"night-pain\": true, \"saddle-numbness\": "
                                 "true, \"age\": 70}");
    assert_int_equal(r.level, TPT_LEVEL_EMERGENCY);
    assert_int_equal(r.nflags, 4);
    assert_string_equal(def->questions[r.flags[0]].key, "saddle-numbness");
}

static void not_sure_is_safe(void **state)
{
    (void)state;
    tpt_screen_result r = screen_with("bowel-change", "\"not-sure\"");
    assert_int_equal(r.level, TPT_LEVEL_EMERGENCY);
    assert_int_equal(r.nunsure, 1);
    /* on a lesser sign "not sure" is not an answer: reported, and no flag */
    r = screen_with("night-pain", "\"not-sure\"");
    assert_int_equal(r.level, TPT_LEVEL_NONE);
    assert_int_equal(r.nunanswered, 1);
    assert_string_equal(def->questions[r.unanswered[0]].key, "night-pain");
    assert_true(r.complete);
    /* an urgent sign left unsure leaves the screen incomplete */
    r = screen_with("fever", "\"not-sure\"");
    assert_false(r.complete);
}

static void ages_and_durations(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        tpt_level level;
    } cases[] = {
        {"{\"age\": 19}", TPT_LEVEL_SOON},           {"{\"age\": 20}", TPT_LEVEL_NONE},
        {"{\"age\": 50}", TPT_LEVEL_NONE},           {"{\"age\": 51}", TPT_LEVEL_SOON},
        {"{\"onset-weeks\": 3}", TPT_LEVEL_NONE},    {"{\"onset-weeks\": 4}", TPT_LEVEL_SOON},
        {"{\"age\": \"not-sure\"}", TPT_LEVEL_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tpt_screen_result r = screen(cases[i].json);
        if (r.level != cases[i].level)
            fail_msg("%s gives %s", cases[i].json, tpt_level_name(r.level));
    }
}

static void missing_answers_are_reported(void **state)
{
    (void)state;
    tpt_screen_result r = screen("{\"saddle-numbness\": false}");
    assert_int_equal(r.level, TPT_LEVEL_NONE);
    assert_int_equal(r.nunanswered, def->nquestions - 1);
    assert_false(r.complete);
    r = screen("{}");
    assert_int_equal(r.nunanswered, def->nquestions);
}

static void expect_refused(const char *json, const char *message)
{
    tpt_answers answers;
    tpt_error err = {0};
    assert_int_equal(tpt_answers_parse(def, json, strlen(json), "a.json", &answers, &err),
                     TPT_ERR_INPUT);
    if (strcmp(err.message, message) != 0) fail_msg("got '%s', want '%s'", err.message, message);
    for (size_t i = 0; i < def->nquestions; i++)
        assert_int_equal(answers.answer[i].state, TPT_UNANSWERED);
}

static void bad_answers_are_refused(void **state)
{
    (void)state;
    expect_refused("{\"fever\": true, \"feverish\": true}",
                   "a.json:1:29: unknown answer key \"feverish\" (tpt screen --help lists them)");
    expect_refused("{\"fever\": \"yes\"}",
                   "a.json:1:11: \"fever\" must be true, false or \"not-sure\"");
    expect_refused("{\"age\": 54.5}",
                   "a.json:1:9: \"age\" must be a whole number from 0 to 120 or \"not-sure\"");
    expect_refused("{\"age\": 300}",
                   "a.json:1:9: \"age\" must be a whole number from 0 to 120 or \"not-sure\"");
    expect_refused("{\"age\": true}",
                   "a.json:1:9: \"age\" must be a whole number from 0 to 120 or \"not-sure\"");
    expect_refused("{\"fever\": tru}", "a.json:1:13: invalid token near 'tru'");
    expect_refused("[true]", "a.json:1:1: answers must be a JSON object");
    expect_refused("", "a.json:1:0: '[' or '{' expected near end of file");
}

static void typed_replies(void **state)
{
    (void)state;
    size_t fever = (size_t)tpt_screen_find(def, "fever"), age = (size_t)tpt_screen_find(def, "age");
    tpt_answer a;
    tpt_error err = {0};
    assert_int_equal(tpt_answer_reply(def, fever, " Yes\n", &a, &err), 0);
    assert_int_equal(a.state, TPT_ANSWER_YES);
    assert_int_equal(tpt_answer_reply(def, fever, "N", &a, &err), 0);
    assert_int_equal(a.state, TPT_ANSWER_NO);
    assert_int_equal(tpt_answer_reply(def, fever, "not sure", &a, &err), 0);
    assert_int_equal(a.state, TPT_ANSWER_UNSURE);
    assert_int_equal(tpt_answer_reply(def, fever, "maybe", &a, &err), TPT_ERR_INPUT);
    assert_int_equal(tpt_answer_reply(def, age, "42\n", &a, &err), 0);
    assert_int_equal(a.state, TPT_ANSWER_NUMBER);
    assert_int_equal(a.number, 42);
    assert_int_equal(tpt_answer_reply(def, age, "forty", &a, &err), TPT_ERR_INPUT);
    assert_string_equal(err.message, "\"age\" must be a whole number from 0 to 120");
    assert_int_equal(tpt_answer_reply(def, age, "", &a, &err), TPT_ERR_INPUT);
}

static void an_emergency_question_must_count_unsure_as_yes(void **state)
{
    (void)state;
    const char *json =
        "{\"format\": \"tpt-screen\", \"sources\": {\"A\": \"a\"},\n"
        " \"levels\": {\"none\": {\"advice\": \"n\", \"source\": [\"A\"]}, \"soon\": {\"advice\": "
        "\"s\", \"source\": [\"A\"]}, \"urgent\": {\"advice\": \"u\", \"source\": [\"A\"]}, "
        "\"emergency\": {\"advice\": \"e\", \"source\": [\"A\"]}},\n"
        " \"questions\": [{\"key\": \"k\", \"type\": \"boolean\", \"level\": \"emergency\", "
        "\"unsure_is_yes\": false, \"question\": \"q\", \"flag\": \"f\", \"source\": [\"A\"]}]}";
    tpt_error err = {0};
    assert_null(tpt_screen_def_load(json, strlen(json), "s.json", &err));
    assert_string_equal(err.message,
                        "s.json:3:16: an emergency question must count \"not sure\" as yes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_spec_key_is_asked),
        cmocka_unit_test(each_flag_alone_gives_its_level),
        cmocka_unit_test(combinations_take_the_most_serious),
        cmocka_unit_test(not_sure_is_safe),
        cmocka_unit_test(ages_and_durations),
        cmocka_unit_test(missing_answers_are_reported),
        cmocka_unit_test(bad_answers_are_refused),
        cmocka_unit_test(typed_replies),
        cmocka_unit_test(an_emergency_question_must_count_unsure_as_yes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
