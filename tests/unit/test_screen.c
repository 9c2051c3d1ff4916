/* The red-flag screen: each rule of data/screen.json against the guideline
 * text it comes from, with the neighbours that must not fire; "not sure"
 * handled safely; a screen complete only when no serious rule waits for an
 * answer; bad answers and bad screen files refused with a clear message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "tpt/json.h"
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

static void parse(const char *json, tpt_answers *out)
{
    tpt_error err = {0};
    if (tpt_answers_parse(def, json, strlen(json), "a.json", out, &err) != 0)
        fail_msg("%s", err.message);
}

/* The answers of json alone. */
static tpt_screen_result screen(const char *json)
{
    tpt_answers answers;
    parse(json, &answers);
    tpt_screen_result r;
    tpt_screen_evaluate(def, &answers, &r);
    return r;
}

/* Every question answered: no to each sign, age 40, pain for two weeks,
 * back pain since 40; then the answers of json on top. */
static tpt_screen_result clear_with(const char *json)
{
    tpt_answers answers, extra;
    parse(json, &extra);
    for (size_t i = 0; i < def->nquestions; i++) {
        const tpt_question *q = &def->questions[i];
        answers.answer[i] =
            extra.answer[i].state != TPT_UNANSWERED ? extra.answer[i]
            : q->type == TPT_QUESTION_BOOLEAN
                ? (tpt_answer){TPT_ANSWER_NO, 0}
                : (tpt_answer){TPT_ANSWER_NUMBER, strcmp(q->key, "onset-weeks") == 0 ? 2 : 40};
    }
    tpt_screen_result r;
    tpt_screen_evaluate(def, &answers, &r);
    return r;
}

static const char *flag_id(const tpt_screen_result *r, size_t i)
{
    return i < r->nflags ? def->rules[r->flags[i]].id : "(none)";
}

static bool has_flag(const tpt_screen_result *r, const char *id)
{
    for (size_t i = 0; i < r->nflags; i++)
        if (strcmp(flag_id(r, i), id) == 0) return true;
    return false;
}

static bool lists(const int *idx, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(def->questions[idx[i]].key, key) == 0) return true;
    return false;
}

/* json on a clear screen gives `level`, with `first` as the first flag (or no flag). */
static void expect(const char *json, tpt_level level, const char *first)
{
    tpt_screen_result r = clear_with(json);
    if (r.level != level || strcmp(flag_id(&r, 0), first ? first : "(none)") != 0)
        fail_msg("%s gives %s (%s), want %s (%s)", json, tpt_level_name(r.level), flag_id(&r, 0),
                 tpt_level_name(level), first ? first : "(none)");
    assert_true(r.complete);
    assert_string_equal(tpt_self_care_name(r.level), level >= TPT_LEVEL_URGENT ? "stop"
                                                     : level == TPT_LEVEL_SOON ? "with-caution"
                                                                               : "allowed");
}

static void every_key_is_asked_group_by_group(void **state)
{
    (void)state;
    static const char *const keys[] = {
        /* the 18 keys of the first interface */
        "bilateral-leg-symptoms", "saddle-numbness", "bladder-change", "bowel-change",
        "sexual-dysfunction", "weakness-worsening", "foot-drop", "fever", "iv-drug-use",
        "immunosuppression", "cancer-history", "weight-loss", "night-pain", "major-trauma",
        "osteoporosis-or-steroids", "morning-stiffness", "age", "onset-weeks",
        /* added in 2026-12 */
        "assessed", "minor-trauma", "thoracic-pain", "unsteady-walking", "recent-spinal-procedure",
        "recent-infection", "anticoagulants", "pregnancy",
        /* tpt's own: nerve symptoms for the cancer and fever rules, NG65, heat */
        "leg-numbness", "back-pain-onset-age", "late-night-waking", "buttock-pain", "nsaid-relief",
        "family-spondyloarthritis", "arthritis", "enthesitis", "psoriasis",
        "diabetes-or-poor-circulation"};
    assert_int_equal(def->nquestions, sizeof keys / sizeof *keys);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (tpt_screen_find(def, keys[i]) < 0) fail_msg("%s is not asked", keys[i]);
    /* the emergency signs come first, and nothing else is in their group */
    assert_string_equal(def->groups[0].id, "emergency");
    for (size_t i = 0; i < def->nquestions; i++) {
        const tpt_question *q = &def->questions[i];
        assert_true(q->source.count > 0 && q->example[0]);
        assert_true(i == 0 || def->questions[i - 1].group <= q->group);
        if ((q->group == 0) != (q->level == TPT_LEVEL_EMERGENCY))
            fail_msg("%s: in the first group exactly when an emergency alone", q->key);
        if (q->level == TPT_LEVEL_EMERGENCY) assert_true(q->unsure_is_yes);
    }
    for (size_t i = 0; i < def->nrules; i++) {
        assert_true(def->rules[i].source.count > 0);
        assert_true(i == 0 || def->rules[i - 1].level >= def->rules[i].level);
    }
}

/* Each sign alone, every other question answered no. Cauda equina signs
 * (NICE CKS 2018, BMJ Best Practice, the CES card) send to an emergency
 * department; a progressive deficit, foot drop, fever, a past cancer and major
 * trauma need a doctor within days (LOTH, ACP 2007, Downie 2013); the rest
 * count only in combination (Downie 2013, Henschke 2013, Finucane 2020). */
static void each_sign_alone(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        tpt_level level;
    } alone[] = {
        {"saddle-numbness", TPT_LEVEL_EMERGENCY},
        {"bladder-change", TPT_LEVEL_EMERGENCY},
        {"bowel-change", TPT_LEVEL_EMERGENCY},
        {"sexual-dysfunction", TPT_LEVEL_EMERGENCY},
        {"bilateral-leg-symptoms", TPT_LEVEL_EMERGENCY},
        {"unsteady-walking", TPT_LEVEL_EMERGENCY},
        {"weakness-worsening", TPT_LEVEL_URGENT},
        {"foot-drop", TPT_LEVEL_URGENT},
        {"fever", TPT_LEVEL_URGENT},
        {"cancer-history", TPT_LEVEL_URGENT},
        {"major-trauma", TPT_LEVEL_URGENT},
        {"iv-drug-use", TPT_LEVEL_SOON},
        {"immunosuppression", TPT_LEVEL_SOON},
        {"recent-spinal-procedure", TPT_LEVEL_SOON},
        {"osteoporosis-or-steroids", TPT_LEVEL_SOON},
        {"leg-numbness", TPT_LEVEL_NONE},
        {"recent-infection", TPT_LEVEL_NONE},
        {"weight-loss", TPT_LEVEL_NONE},
        {"night-pain", TPT_LEVEL_NONE},
        {"thoracic-pain", TPT_LEVEL_NONE},
        {"minor-trauma", TPT_LEVEL_NONE},
        {"assessed", TPT_LEVEL_NONE},
        {"morning-stiffness", TPT_LEVEL_NONE},
        {"late-night-waking", TPT_LEVEL_NONE},
        {"buttock-pain", TPT_LEVEL_NONE},
        {"nsaid-relief", TPT_LEVEL_NONE},
        {"family-spondyloarthritis", TPT_LEVEL_NONE},
        {"arthritis", TPT_LEVEL_NONE},
        {"enthesitis", TPT_LEVEL_NONE},
        {"psoriasis", TPT_LEVEL_NONE},
        {"anticoagulants", TPT_LEVEL_NONE},
        {"pregnancy", TPT_LEVEL_NONE},
        {"diabetes-or-poor-circulation", TPT_LEVEL_NONE},
    };
    expect("{}", TPT_LEVEL_NONE, NULL);
    for (size_t i = 0; i < sizeof alone / sizeof *alone; i++) {
        char json[128];
        snprintf(json, sizeof json, "{\"%s\": true}", alone[i].key);
        expect(json, alone[i].level, alone[i].level ? alone[i].key : NULL);
        /* the question says the same of itself, for a page to show */
        assert_int_equal(def->questions[tpt_screen_find(def, alone[i].key)].level, alone[i].level);
    }
}

/* NICE NG234: past or current cancer with neurological symptoms (limb
 * weakness, difficulty walking, sensory loss, bladder or bowel change) is an
 * emergency; with thoracic pain or night pain, a check within 24 hours. */
static void cancer_with_nerve_symptoms_is_an_emergency(void **state)
{
    (void)state;
    static const char *const nerve[] = {"weakness-worsening", "foot-drop",      "leg-numbness",
                                        "unsteady-walking",   "bladder-change", "bowel-change"};
    for (size_t i = 0; i < sizeof nerve / sizeof *nerve; i++) {
        char json[128];
        snprintf(json, sizeof json, "{\"cancer-history\": true, \"%s\": true}", nerve[i]);
        expect(json, TPT_LEVEL_EMERGENCY,
               strcmp(nerve[i], "unsteady-walking") && strcmp(nerve[i], "bladder-change") &&
                       strcmp(nerve[i], "bowel-change")
                   ? "cancer-nerve-symptoms"
                   : nerve[i]);
        tpt_screen_result r = clear_with(json);
        assert_true(has_flag(&r, "cancer-nerve-symptoms"));
        /* the combination says more than the past cancer alone */
        assert_false(has_flag(&r, "cancer-history"));
    }
    /* foot drop with a past cancer was only urgent before: now the emergency
     * comes first, and the foot drop is still named */
    tpt_screen_result r = clear_with("{\"cancer-history\": true, \"foot-drop\": true}");
    assert_int_equal(r.nflags, 2);
    assert_string_equal(flag_id(&r, 0), "cancer-nerve-symptoms");
    assert_string_equal(flag_id(&r, 1), "foot-drop");
    int because[8];
    assert_int_equal(tpt_screen_flag_answers(def, &r, r.flags[0], because, 8), 2);
    assert_string_equal(def->questions[because[0]].key, "foot-drop");
    assert_string_equal(def->questions[because[1]].key, "cancer-history");
    assert_non_null(strstr(def->rules[r.flags[0]].advice, "you have had cancer"));

    expect("{\"cancer-history\": true, \"thoracic-pain\": true}", TPT_LEVEL_URGENT,
           "cancer-spine-pain");
    expect("{\"cancer-history\": true, \"night-pain\": true}", TPT_LEVEL_URGENT,
           "cancer-spine-pain");
    r = clear_with("{\"cancer-history\": true, \"night-pain\": true}");
    assert_non_null(strstr(def->rules[r.flags[0]].advice, "24 hours"));
    /* without the past cancer, neither is a flag */
    expect("{\"thoracic-pain\": true}", TPT_LEVEL_NONE, NULL);
    expect("{\"leg-numbness\": true, \"thoracic-pain\": true}", TPT_LEVEL_NONE, NULL);
}

/* Downie 2013, Finucane 2020: fracture flags are minor trauma with
 * osteoporosis or steroids, minor trauma in older age, steroids in older
 * age; major trauma alone (GC). Older age is 70 and over. */
static void fracture_combinations(void **state)
{
    (void)state;
    expect("{\"minor-trauma\": true, \"osteoporosis-or-steroids\": true}", TPT_LEVEL_URGENT,
           "fracture-thin-bones");
    expect("{\"minor-trauma\": true, \"age\": 70}", TPT_LEVEL_URGENT, "fracture-older-age");
    expect("{\"minor-trauma\": true, \"age\": 69}", TPT_LEVEL_NONE, NULL);
    expect("{\"osteoporosis-or-steroids\": true, \"age\": 70}", TPT_LEVEL_URGENT,
           "thin-bones-older-age");
    expect("{\"osteoporosis-or-steroids\": true, \"age\": 69}", TPT_LEVEL_SOON,
           "osteoporosis-or-steroids");
    expect("{\"minor-trauma\": true}", TPT_LEVEL_NONE, NULL);
    expect("{\"major-trauma\": true}", TPT_LEVEL_URGENT, "major-trauma");
    /* an older person with osteoporosis after a small fall: urgent, once */
    tpt_screen_result r =
        clear_with("{\"minor-trauma\": true, \"osteoporosis-or-steroids\": true, \"age\": 78}");
    assert_int_equal(r.level, TPT_LEVEL_URGENT);
    assert_true(has_flag(&r, "fracture-thin-bones"));
    assert_false(has_flag(&r, "fracture-older-age"));
    assert_false(has_flag(&r, "osteoporosis-or-steroids"));
}

/* ACP 2007, spinal epidural abscess reviews: fever with injected drugs, a
 * weak immune system, a recent spinal procedure or a recent infection is
 * urgent, the same day; fever with a neurological deficit is an emergency. */
static void infection_combinations(void **state)
{
    (void)state;
    static const char *const risk[] = {"iv-drug-use", "immunosuppression",
                                       "recent-spinal-procedure", "recent-infection"};
    for (size_t i = 0; i < sizeof risk / sizeof *risk; i++) {
        char json[128];
        snprintf(json, sizeof json, "{\"fever\": true, \"%s\": true}", risk[i]);
        expect(json, TPT_LEVEL_URGENT, "fever-and-infection-risk");
        tpt_screen_result r = clear_with(json);
        assert_int_equal(r.nflags, 1); /* it stands for the fever and the risk alone */
        assert_non_null(strstr(def->rules[r.flags[0]].advice, "today"));
    }
    static const char *const deficit[] = {"weakness-worsening", "foot-drop", "leg-numbness"};
    for (size_t i = 0; i < sizeof deficit / sizeof *deficit; i++) {
        char json[128];
        snprintf(json, sizeof json, "{\"fever\": true, \"iv-drug-use\": true, \"%s\": true}",
                 deficit[i]);
        expect(json, TPT_LEVEL_EMERGENCY, "fever-nerve-symptoms");
    }
    expect("{\"recent-infection\": true, \"leg-numbness\": true}", TPT_LEVEL_NONE, NULL);
    expect("{\"fever\": true}", TPT_LEVEL_URGENT, "fever");
}

/* GC, Henschke 2013: age 50 and over (or under 20), weight loss, night pain
 * and no improvement after a month raise suspicion of cancer only together;
 * with a past cancer, more so. */
static void cancer_signs_count_together(void **state)
{
    (void)state;
    static const char *const one[] = {"{\"age\": 55}", "{\"age\": 19}", "{\"weight-loss\": true}",
                                      "{\"night-pain\": true}"};
    for (size_t i = 0; i < sizeof one / sizeof *one; i++)
        expect(one[i], TPT_LEVEL_NONE, NULL);
    expect("{\"age\": 50, \"weight-loss\": true}", TPT_LEVEL_SOON, "cancer-signs");
    expect("{\"age\": 49, \"weight-loss\": true}", TPT_LEVEL_NONE, NULL);
    expect("{\"age\": 19, \"night-pain\": true}", TPT_LEVEL_SOON, "cancer-signs");
    expect("{\"age\": 20, \"night-pain\": true}", TPT_LEVEL_NONE, NULL);
    expect("{\"weight-loss\": true, \"night-pain\": true}", TPT_LEVEL_SOON, "cancer-signs");
    expect("{\"weight-loss\": true, \"onset-weeks\": 6}", TPT_LEVEL_SOON, "cancer-signs");
    /* no improvement after a month counts only when not examined unchanged */
    expect("{\"age\": 60, \"onset-weeks\": 10, \"assessed\": true}", TPT_LEVEL_NONE, NULL);
    expect("{\"cancer-history\": true, \"age\": 60, \"weight-loss\": true}", TPT_LEVEL_URGENT,
           "cancer-signs-and-history");
    tpt_screen_result r =
        clear_with("{\"cancer-history\": true, \"age\": 60, \"weight-loss\": true}");
    assert_int_equal(r.nflags, 1);
}

/* NG59: look again when symptoms are new or changed. Four weeks of pain is a
 * flag only while no clinician has examined it unchanged. */
static void lasting_pain_once_examined_is_no_flag(void **state)
{
    (void)state;
    expect("{\"onset-weeks\": 3}", TPT_LEVEL_NONE, NULL);
    expect("{\"onset-weeks\": 4}", TPT_LEVEL_SOON, "pain-lasting");
    expect("{\"onset-weeks\": 10, \"assessed\": true}", TPT_LEVEL_NONE, NULL);
    expect("{\"onset-weeks\": 10, \"assessed\": \"not-sure\"}", TPT_LEVEL_SOON, "pain-lasting");
    /* an answer file of the first interface has no "assessed": not examined */
    tpt_screen_result r = screen("{\"onset-weeks\": 10}");
    assert_true(has_flag(&r, "pain-lasting"));
    /* two signs: the cancer check stands for the duration */
    r = clear_with("{\"age\": 55, \"onset-weeks\": 10}");
    assert_int_equal(r.nflags, 1);
    assert_string_equal(flag_id(&r, 0), "cancer-signs");
}

/* NICE NG65: back pain over 3 months that began before 45, with 4 or more of
 * onset before 35, waking in the second half of the night, buttock pain,
 * improvement with movement, improvement with NSAIDs within 48 hours, a
 * relative with spondyloarthritis, arthritis, enthesitis, psoriasis: refer. */
static void axial_spondyloarthritis_by_nice_ng65(void **state)
{
    (void)state;
    const char *three = "\"late-night-waking\": true, \"buttock-pain\": true, "
                        "\"morning-stiffness\": true";
    char json[256];
    snprintf(json, sizeof json,
             "{\"onset-weeks\": 20, \"assessed\": true, \"back-pain-onset-age\": 40, %s}", three);
    expect(json, TPT_LEVEL_NONE, NULL);
    snprintf(json, sizeof json,
             "{\"onset-weeks\": 20, \"assessed\": true, \"back-pain-onset-age\": 40, "
             "\"psoriasis\": true, %s}",
             three);
    tpt_screen_result r = clear_with(json);
    assert_true(has_flag(&r, "axial-spondyloarthritis"));
    assert_non_null(strstr(def->rules[r.flags[0]].advice, "rheumatologist"));
    /* onset before 35 is one of the four */
    snprintf(json, sizeof json,
             "{\"onset-weeks\": 20, \"assessed\": true, \"back-pain-onset-age\": 34, %s}", three);
    r = clear_with(json);
    assert_true(has_flag(&r, "axial-spondyloarthritis"));
    /* not when it began at 45, nor before three months */
    snprintf(json, sizeof json,
             "{\"onset-weeks\": 20, \"back-pain-onset-age\": 45, \"psoriasis\": true, %s}", three);
    r = clear_with(json);
    assert_false(has_flag(&r, "axial-spondyloarthritis"));
    snprintf(json, sizeof json,
             "{\"onset-weeks\": 12, \"back-pain-onset-age\": 30, \"psoriasis\": true, %s}", three);
    r = clear_with(json);
    assert_false(has_flag(&r, "axial-spondyloarthritis"));
    /* morning stiffness alone is no longer a flag */
    expect("{\"morning-stiffness\": true}", TPT_LEVEL_NONE, NULL);
}

static void not_sure_is_safe(void **state)
{
    (void)state;
    tpt_screen_result r = clear_with("{\"bowel-change\": \"not-sure\"}");
    assert_int_equal(r.level, TPT_LEVEL_EMERGENCY);
    assert_true(lists(r.unsure, r.nunsure, "bowel-change"));
    assert_false(lists(r.unanswered, r.nunanswered, "bowel-change"));
    /* inside an emergency combination "not sure" counts as yes too */
    r = clear_with("{\"cancer-history\": \"not-sure\", \"foot-drop\": true}");
    assert_int_equal(r.level, TPT_LEVEL_EMERGENCY);
    assert_string_equal(flag_id(&r, 0), "cancer-nerve-symptoms");
    /* on a lesser sign it is no answer: reported, no flag, complete */
    r = clear_with("{\"night-pain\": \"not-sure\"}");
    assert_int_equal(r.level, TPT_LEVEL_NONE);
    assert_true(lists(r.unanswered, r.nunanswered, "night-pain"));
    assert_true(r.complete);
    /* an urgent sign left unsure holds the screen back, and says which */
    r = clear_with("{\"fever\": \"not-sure\"}");
    assert_false(r.complete);
    assert_int_equal(r.nmissing, 1);
    assert_string_equal(def->questions[r.missing[0]].key, "fever");
}

static void complete_only_when_no_serious_rule_waits(void **state)
{
    (void)state;
    /* the 18 answers of the first interface, all clear: the new emergency
     * sign is missing, and only it (the others cannot raise anything here) */
    tpt_screen_result r = screen(
        "{\"bilateral-leg-symptoms\": false, \"saddle-numbness\": false, \"bladder-change\": "
        "false, \"bowel-change\": false, \"sexual-dysfunction\": false, \"weakness-worsening\": "
        "false, \"foot-drop\": false, \"fever\": false, \"iv-drug-use\": false, "
        "\"immunosuppression\": false, \"cancer-history\": false, \"weight-loss\": false, "
        "\"night-pain\": false, \"major-trauma\": false, \"osteoporosis-or-steroids\": false, "
        "\"morning-stiffness\": false, \"age\": 45, \"onset-weeks\": 2}");
    assert_int_equal(r.level, TPT_LEVEL_NONE);
    assert_false(r.complete);
    assert_int_equal(r.nmissing, 1);
    assert_string_equal(def->questions[r.missing[0]].key, "unsteady-walking");
    /* an older person with thin bones: the age decides, so it is missing */
    r = clear_with("{\"osteoporosis-or-steroids\": true, \"age\": \"not-sure\"}");
    assert_false(r.complete);
    assert_true(lists(r.missing, r.nmissing, "age"));
    r = screen("{}");
    assert_int_equal(r.nunanswered, def->nquestions);
    assert_false(r.complete);
    r = clear_with("{}");
    assert_true(r.complete);
    assert_int_equal(r.nunanswered, 0);
    assert_int_equal(r.nneeded, 0);
}

/* A question that can no longer change the result is not worth asking;
 * facts that no rule reads (for the plan) always are. */
static void only_what_can_change_the_result_is_needed(void **state)
{
    (void)state;
    tpt_screen_result r =
        screen("{\"fever\": false, \"cancer-history\": false, \"onset-weeks\": 2}");
    assert_false(tpt_screen_question_needed(&r, tpt_screen_find(def, "recent-infection")));
    assert_false(tpt_screen_question_needed(&r, tpt_screen_find(def, "thoracic-pain")));
    assert_false(tpt_screen_question_needed(&r, tpt_screen_find(def, "psoriasis")));
    assert_false(tpt_screen_question_needed(&r, tpt_screen_find(def, "assessed")));
    assert_true(tpt_screen_question_needed(&r, tpt_screen_find(def, "saddle-numbness")));
    assert_true(tpt_screen_question_needed(&r, tpt_screen_find(def, "age")));
    assert_true(tpt_screen_question_needed(&r, tpt_screen_find(def, "pregnancy")));
    assert_false(tpt_screen_question_needed(&r, tpt_screen_find(def, "fever")));
    r = screen("{\"fever\": true}");
    assert_true(tpt_screen_question_needed(&r, tpt_screen_find(def, "recent-infection")));
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
    expect_refused("{\"pregnancy\": 1}",
                   "a.json:1:15: \"pregnancy\" must be true, false or \"not-sure\"");
    expect_refused("{\"age\": 54.5}",
                   "a.json:1:9: \"age\" must be a whole number from 0 to 120 or \"not-sure\"");
    expect_refused("{\"age\": 300}",
                   "a.json:1:9: \"age\" must be a whole number from 0 to 120 or \"not-sure\"");
    expect_refused("{\"back-pain-onset-age\": -1}",
                   "a.json:1:25: \"back-pain-onset-age\" must be a whole number from 0 to 120 or "
                   "\"not-sure\"");
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

static void maybe_yes_facts(void **state)
{
    (void)state;
    tpt_answers a;
    parse("{\"anticoagulants\": true, \"pregnancy\": \"not-sure\", "
          "\"diabetes-or-poor-circulation\": false}",
          &a);
    assert_true(tpt_answers_maybe_yes(def, &a, "anticoagulants"));
    assert_true(tpt_answers_maybe_yes(def, &a, "pregnancy"));
    assert_false(tpt_answers_maybe_yes(def, &a, "diabetes-or-poor-circulation"));
    assert_false(tpt_answers_maybe_yes(def, &a, "fever"));
    assert_false(tpt_answers_maybe_yes(def, &a, "no-such-key"));
}

/* A screen file with one question and one rule, `rules` and `extra` put in. */
static void expect_bad_file(const char *question, const char *rules, const char *message)
{
    char json[2048];
    snprintf(json, sizeof json,
             "{\"format\": \"tpt-screen\", \"sources\": {\"A\": \"a\"},\n"
             " \"levels\": {\"none\": {\"advice\": \"n\", \"source\": [\"A\"]}, \"soon\": "
             "{\"advice\": \"s\", \"source\": [\"A\"]}, \"urgent\": {\"advice\": \"u\", "
             "\"source\": [\"A\"]}, \"emergency\": {\"advice\": \"e\", \"source\": [\"A\"]}},\n"
             " \"groups\": [{\"id\": \"g\", \"title\": \"t\", \"intro\": \"i\"}],\n"
             " \"questions\": [%s,\n"
             "  {\"key\": \"n\", \"type\": \"integer\", \"group\": \"g\", \"unsure_is_yes\": "
             "false, \"question\": \"q\", \"example\": \"e\", \"min\": 0, \"max\": 9, "
             "\"source\": [\"A\"]}],\n"
             " \"rules\": [%s]}",
             question, rules);
    tpt_error err = {0};
    tpt_screen_def *bad = tpt_screen_def_load(json, strlen(json), "s.json", &err);
    tpt_screen_def_free(bad);
    assert_null(bad);
    if (strcmp(err.message, message) != 0) fail_msg("got '%s', want '%s'", err.message, message);
}

static void bad_screen_files_are_refused(void **state)
{
    (void)state;
    const char *k = "{\"key\": \"k\", \"type\": \"boolean\", \"group\": \"g\", \"unsure_is_yes\": "
                    "false, \"question\": \"q\", \"example\": \"e\", \"source\": [\"A\"]}";
    const char *rule = "{\"id\": \"r\", \"level\": \"%s\", \"reason\": \"r\", \"advice\": \"a\", "
                       "\"when\": %s, \"source\": [\"A\"]}";
    char rules[512];
    /* the data may not soften "not sure" about a sign that is an emergency alone */
    snprintf(rules, sizeof rules, rule, "emergency", "{\"yes\": \"k\"}");
    expect_bad_file(k, rules,
                    "s.json:4:16: \"k\" is an emergency alone, so \"not sure\" must count as yes "
                    "(\"unsure_is_yes\": true)");
    snprintf(rules, sizeof rules, rule, "soon", "{\"yes\": \"kk\"}");
    expect_bad_file(k, rules, "s.json:6:87: no question has the key \"kk\"");
    snprintf(rules, sizeof rules, rule, "soon", "{\"yes\": \"n\"}");
    expect_bad_file(k, rules, "s.json:6:87: \"n\" is answered with a number, not yes or no");
    snprintf(rules, sizeof rules, rule, "soon", "{\"at_least\": 3, \"of\": [{\"yes\": \"k\"}]}");
    expect_bad_file(k, rules, "s.json:6:92: \"at_least\" must be a whole number from 1 to 1");
    snprintf(rules, sizeof rules, rule, "soon", "{\"condition\": \"nerve\"}");
    expect_bad_file(k, rules, "s.json:6:93: no condition named \"nerve\" is defined before this");
    snprintf(rules, sizeof rules, rule, "soon", "{\"yes\": \"k\", \"no\": \"k\"}");
    expect_bad_file(k, rules,
                    "s.json:6:79: a condition is one of: {\"yes\": KEY}, {\"no\": KEY}, "
                    "{\"unanswered\": KEY}, {\"number\": KEY, \"at_least\" or \"below\": {...}}, "
                    "{\"all\": [...]}, {\"any\": [...]}, {\"at_least\": N, \"of\": [...]}, "
                    "{\"condition\": NAME}");
    /* a rule cannot stand for a more serious one, and rules come most serious first */
    expect_bad_file(k,
                    "{\"id\": \"a\", \"level\": \"urgent\", \"reason\": \"r\", \"advice\": \"a\", "
                    "\"when\": {\"yes\": \"k\"}, \"source\": [\"A\"]}, {\"id\": \"b\", \"level\": "
                    "\"soon\", \"reason\": \"r\", \"advice\": \"a\", \"when\": {\"no\": \"k\"}, "
                    "\"replaces\": [\"a\"], \"source\": [\"A\"]}",
                    "s.json:6:206: \"a\" is more serious than this rule and cannot be replaced by "
                    "it");
    expect_bad_file(k,
                    "{\"id\": \"a\", \"level\": \"soon\", \"reason\": \"r\", \"advice\": \"a\", "
                    "\"when\": {\"yes\": \"k\"}, \"source\": [\"A\"]}, {\"id\": \"b\", \"level\": "
                    "\"urgent\", \"reason\": \"r\", \"advice\": \"a\", \"when\": {\"no\": \"k\"}, "
                    "\"source\": [\"A\"]}",
                    "s.json:6:111: rules come most serious first: \"b\" is more serious than the "
                    "rule before it");
    /* only a clinician's assessment clears a lasting flag: never an emergency */
    snprintf(rules, sizeof rules,
             "{\"id\": \"r\", \"level\": \"emergency\", \"reason\": \"r\", \"advice\": \"a\", "
             "\"when\": {\"no\": \"k\"}, \"lasting\": true, \"source\": [\"A\"]}");
    expect_bad_file(k, rules, "s.json:6:108: an emergency rule cannot be \"lasting\"");
    snprintf(rules, sizeof rules,
             "{\"id\": \"r\", \"level\": \"urgent\", \"reason\": \"r\", \"advice\": \"a\", "
             "\"when\": {\"no\": \"k\"}, \"lasting\": \"yes\", \"source\": [\"A\"]}");
    expect_bad_file(k, rules, "s.json:6:105: \"lasting\" must be true or false");
}

/* The flags about something that does not go away say so, for the record
 * to let a clinician's assessment cover the screens after it. */
static void lasting_flags_say_so(void **state)
{
    (void)state;
    static const char *const lasting[] = {"cancer-history", "cancer-signs-and-history",
                                          "thin-bones-older-age", "osteoporosis-or-steroids"};
    for (size_t i = 0; i < def->nrules; i++) {
        bool want = false;
        for (size_t k = 0; k < sizeof lasting / sizeof *lasting; k++)
            want |= strcmp(def->rules[i].id, lasting[k]) == 0;
        if (def->rules[i].lasting != want) fail_msg("rule %s: lasting is wrong", def->rules[i].id);
    }
    tpt_answers a;
    tpt_screen_result r;
    parse("{\"cancer-history\": true, \"fever\": true}", &a);
    tpt_screen_evaluate(def, &a, &r);
    json_t *out = tpt_screen_result_json(def, &r);
    json_t *flags = json_object_get(out, "flags");
    size_t i;
    json_t *f;
    int seen = 0;
    json_array_foreach(flags, i, f)
    {
        const char *id = json_string_value(json_object_get(f, "id"));
        if (strcmp(id, "cancer-history") == 0) {
            assert_true(json_is_true(json_object_get(f, "lasting")));
            seen++;
        } else {
            assert_null(json_object_get(f, "lasting")); /* a fever passes */
        }
    }
    assert_int_equal(seen, 1);
    json_decref(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_key_is_asked_group_by_group),
        cmocka_unit_test(each_sign_alone),
        cmocka_unit_test(cancer_with_nerve_symptoms_is_an_emergency),
        cmocka_unit_test(fracture_combinations),
        cmocka_unit_test(infection_combinations),
        cmocka_unit_test(cancer_signs_count_together),
        cmocka_unit_test(lasting_pain_once_examined_is_no_flag),
        cmocka_unit_test(axial_spondyloarthritis_by_nice_ng65),
        cmocka_unit_test(not_sure_is_safe),
        cmocka_unit_test(complete_only_when_no_serious_rule_waits),
        cmocka_unit_test(only_what_can_change_the_result_is_needed),
        cmocka_unit_test(bad_answers_are_refused),
        cmocka_unit_test(typed_replies),
        cmocka_unit_test(maybe_yes_facts),
        cmocka_unit_test(bad_screen_files_are_refused),
        cmocka_unit_test(lasting_flags_say_so),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
