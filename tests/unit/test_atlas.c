/* The atlas loader: the default atlas is complete and every malformed atlas
 * is refused with file:line:column and a sentence naming the problem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/atlas.h"

static const char *const spec_causes[] = {"tp:gluteus-minimus-anterior",
                                          "tp:gluteus-minimus-posterior",
                                          "tp:gluteus-medius",
                                          "tp:gluteus-maximus",
                                          "tp:piriformis",
                                          "tp:obturator-internus",
                                          "tp:quadratus-lumborum",
                                          "tp:iliocostalis-lumborum",
                                          "tp:longissimus-thoracis",
                                          "tp:multifidus",
                                          "tp:iliopsoas",
                                          "tp:tensor-fasciae-latae",
                                          "tp:vastus-lateralis",
                                          "tp:biceps-femoris",
                                          "tp:medial-hamstrings",
                                          "tp:adductor-magnus",
                                          "tp:gastrocnemius",
                                          "tp:soleus",
                                          "tp:peroneus-longus",
                                          "tp:tibialis-anterior",
                                          "root:L2",
                                          "root:L3",
                                          "root:L4",
                                          "root:L5",
                                          "root:S1",
                                          "root:S2"};

/* A small valid atlas; each bad-input test changes one thing in it. Line
 * numbers in the expected messages refer to this text. */
static const char base[] =
    "{\n"                                            /* 1 */
    "  \"format\": \"tpt-atlas\", \"version\": 1,\n" /* 2 */
    "  \"sources\": {\"A\": \"Author, a book\"},\n"  /* 3 */
    "  \"model\": {\n"                               /* 4 */
    "    \"leak\": {\"value\": 0.01, \"source\": [\"tpt: a small chance of any mark\"]},\n"
    "    \"core_p\": {\"value\": 0.7, \"source\": [\"A\"]},\n"         /* 6 */
    "    \"occasional_p\": {\"value\": 0.25, \"source\": [\"A\"]},\n"  /* 7 */
    "    \"tender_lr\": {\"value\": 5, \"source\": [\"A\"]},\n"        /* 8 */
    "    \"unclear_below\": {\"value\": 0.35, \"source\": [\"A\"]},\n" /* 9 */
    "    \"kinds\": {\n"                                               /* 10 */
    "      \"trigger-point\": {\"ache\": 1, \"sharp\": 0.5, \"burning\": 0.4, \"tingling\": 0.1, "
    "\"numb\": 0.05, \"source\": [\"A\"]},\n"
    "      \"root\": {\"ache\": 0.7, \"sharp\": 1, \"burning\": 0.8, \"tingling\": 1, \"numb\": 1, "
    "\"source\": [\"A\"]},\n"
    "      \"leak\": {\"ache\": 1, \"sharp\": 1, \"burning\": 1, \"tingling\": 1, \"numb\": 1, "
    "\"source\": [\"A\"]}}},\n"
    "  \"findings\": [{\"id\": \"slr\", \"label\": \"s\", \"sided\": true}, {\"id\": "
    "\"crossed-slr\", \"label\": \"c\", \"sided\": true},\n"
    "    {\"id\": \"knee-reflex-reduced\", \"label\": \"k\", \"sided\": true}, {\"id\": "
    "\"ankle-reflex-reduced\", \"label\": \"a\", \"sided\": true},\n"
    "    {\"id\": \"weak-knee-extension\", \"label\": \"w\", \"sided\": true}, {\"id\": "
    "\"weak-big-toe-extension\", \"label\": \"b\", \"sided\": true},\n"
    "    {\"id\": \"weak-toe-walk\", \"label\": \"t\", \"sided\": true}, {\"id\": \"tender\", "
    "\"label\": \"p\", \"sided\": true}],\n"
    "  \"warnings\": {\n" /* 18 */
    "    \"cauda-equina\": {\"level\": \"emergency\", \"advice\": \"Go now.\", \"source\": "
    "[\"A\"]},\n"
    "    \"saddle-pain\": {\"level\": \"urgent\", \"advice\": \"Soon.\", \"source\": [\"A\"]}, "
    "\"bilateral-sciatica\": {\"level\": \"urgent\", \"advice\": \"Ask.\", \"source\": "
    "[\"A\"]},\n"
    "    \"numbness\": {\"level\": \"soon\", \"advice\": \"Watch.\", \"source\": [\"A\"]}},\n"
    "  \"causes\": [\n" /* 22 */
    "    {\"id\": \"tp:piriformis\", \"kind\": \"trigger-point\", \"label\": \"Piriformis\", "
    "\"muscle\": \"piriformis\",\n"
    "     \"location\": \"deep in the buttock\", \"prior\": {\"value\": 0.2, \"source\": "
    "[\"A\"]},\n"
    "     \"zone\": {\"core\": [\"buttock.center\", {\"region\": \"sacroiliac\", \"p\": 0.5}], "
    "\"occasional\": [\"thigh.back.upper\"], \"source\": [\"A\"]},\n"
    "     \"aggravators\": {\"items\": [\"sitting\"], \"source\": [\"A\"]}},\n" /* 26 */
    "    {\"id\": \"root:S1\", \"kind\": \"root\", \"label\": \"S1 nerve root\", \"location\": "
    "\"the first sacral root\",\n"
    "     \"prior\": {\"value\": 0.05, \"source\": [\"tpt: an estimate for the test\"]},\n"
    "     \"zone\": {\"core\": [\"sole\", \"foot.outer-edge\"], \"source\": [\"A\"]},\n"
    "     \"findings\": [{\"finding\": \"ankle-reflex-reduced\", \"lr\": 3, \"source\": "
    "[\"A\"]}]}\n"
    "  ]\n"
    "}\n";

static tpt_regions *regions;

static int setup(void **state)
{
    (void)state;
    regions = tpt_regions_default(NULL);
    return regions ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tpt_regions_free(regions);
    return 0;
}

/* base with the first occurrence of `from` replaced by `to` (caller frees). */
static char *mutate(const char *from, const char *to)
{
    const char *at = strstr(base, from);
    if (!at) fail_msg("'%s' is not in the base atlas", from);
    size_t n = strlen(base) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
    return out;
}

static void expect_refused(const char *from, const char *to, const char *message)
{
    char *text = mutate(from, to);
    tpt_error err = {0};
    tpt_atlas *a = tpt_atlas_load(regions, text, strlen(text), "my.json", &err);
    free(text);
    assert_null(a);
    assert_int_equal(err.status, TPT_ERR_DATA);
    if (strcmp(err.message, message) != 0) fail_msg("got '%s', want '%s'", err.message, message);
}

static void default_atlas_is_complete(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_atlas *a = tpt_atlas_default(regions, &err);
    if (!a) fail_msg("%s", err.message);
    for (size_t i = 0; i < sizeof spec_causes / sizeof *spec_causes; i++) {
        int c = tpt_atlas_find_cause(a, spec_causes[i]);
        if (c < 0) fail_msg("the default atlas lacks %s", spec_causes[i]);
        const tpt_cause *cause = &a->causes[c];
        assert_true(cause->prior.value > 0 && cause->prior.value < 1);
        assert_true(cause->prior.source.count > 0);
        assert_true(cause->zone_source.count > 0);
        assert_true(cause->nzone > 0);
        size_t ncore = 0;
        for (size_t z = 0; z < cause->nzone; z++) {
            assert_true(cause->zone[z].p > 0 && cause->zone[z].p < 1);
            ncore += cause->zone[z].core;
        }
        assert_true(ncore >= 1);
        if (cause->kind == TPT_TRIGGER_POINT) {
            assert_non_null(cause->muscle);
            assert_true(cause->aggravators_source.count > 0);
        }
        for (size_t f = 0; f < cause->nfindings; f++) {
            assert_true(cause->findings[f].lr.value > 0);
            assert_true(cause->findings[f].lr.source.count > 0);
        }
    }
    /* Every nerve root is pointed to by at least one examination finding. */
    for (size_t c = 0; c < a->ncauses; c++) {
        if (a->causes[c].kind == TPT_ROOT && strcmp(a->causes[c].id, "root:S2") != 0 &&
            strcmp(a->causes[c].id, "root:L2") != 0)
            assert_true(a->causes[c].nfindings > 0);
    }
    assert_int_equal(a->warnings[TPT_WARN_CAUDA_EQUINA].level, TPT_LEVEL_EMERGENCY);
    tpt_atlas_free(a);
}

static void base_atlas_loads(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_atlas *a = tpt_atlas_load(regions, base, strlen(base), "my.json", &err);
    if (!a) fail_msg("%s", err.message);
    assert_int_equal(a->ncauses, 2);
    const tpt_cause *p = &a->causes[0];
    assert_int_equal(p->nzone, 3);
    assert_true(p->zone[0].core && p->zone[0].p == 0.7);   /* core default */
    assert_true(p->zone[1].core && p->zone[1].p == 0.5);   /* explicit */
    assert_true(!p->zone[2].core && p->zone[2].p == 0.25); /* occasional default */
    assert_string_equal(tpt_atlas_source_text(a, "A"), "Author, a book");
    assert_null(tpt_atlas_source_text(a, "tpt: an estimate for the test"));
    tpt_atlas_free(a);
}

static void bad_atlases_are_located(void **state)
{
    (void)state;
    expect_refused("\"buttock.center\", {", "\"buttock.centr\", {",
                   "my.json:25:24: unknown region \"buttock.centr\" (did you mean "
                   "\"buttock.center\"?)");
    expect_refused("\"p\": 0.5", "\"p\": 1.5",
                   "my.json:25:72: probability 1.5 is outside 0-1 (exclusive)");
    expect_refused("\"p\": 0.5", "\"p\": 0",
                   "my.json:25:72: probability 0 is outside 0-1 (exclusive)");
    expect_refused("\"id\": \"root:S1\"", "\"id\": \"tp:piriformis\"",
                   "my.json:27:12: duplicate cause \"tp:piriformis\"");
    expect_refused("\"zone\": {\"core\": [\"sole\", \"foot.outer-edge\"], \"source\": [\"A\"]}",
                   "\"zone\": {\"core\": [\"sole\", \"foot.outer-edge\"]}",
                   "my.json:29:14: missing field \"source\"");
    expect_refused("\"source\": [\"tpt: an estimate for the test\"]", "\"source\": []",
                   "my.json:28:41: a source list must not be empty");
    expect_refused("\"source\": [\"tpt: an estimate for the test\"]", "\"source\": [\"B\"]",
                   "my.json:28:42: unknown source key \"B\" (not in \"sources\")");
    expect_refused("\"prior\": {\"value\": 0.2,", "\"prior\": {\"value\": 1.2,",
                   "my.json:24:60: prior 1.2 is outside (0, 1)");
    expect_refused("\"lr\": 3", "\"lr\": -3",
                   "my.json:30:61: \"lr\" must be a likelihood ratio above 0 (at most 1000)");
    expect_refused("\"finding\": \"ankle-reflex-reduced\"", "\"finding\": \"ankle-jerk\"",
                   "my.json:30:19: unknown finding \"ankle-jerk\"");
    expect_refused("\"level\": \"emergency\"", "\"level\": \"soon\"",
                   "my.json:19:21: the cauda-equina warning must have level emergency");
    expect_refused("\"level\": \"urgent\", \"advice\": \"Soon.\"",
                   "\"level\": \"soon\", \"advice\": \"Soon.\"",
                   "my.json:20:20: the saddle-pain warning must have level urgent or emergency");
    /* pain down both legs: the cauda equina questions are never softer than urgent */
    expect_refused("\"level\": \"urgent\", \"advice\": \"Ask.\"",
                   "\"level\": \"soon\", \"advice\": \"Ask.\"",
                   "my.json:20:99: the bilateral-sciatica warning must have level urgent or "
                   "emergency");
    expect_refused(", \"bilateral-sciatica\": {\"level\": \"urgent\", \"advice\": \"Ask.\", "
                   "\"source\": [\"A\"]}",
                   "", "my.json:18:15: the warning \"bilateral-sciatica\" is missing");
    expect_refused("\"muscle\": \"piriformis\",", "",
                   "my.json:23:5: trigger point \"tp:piriformis\" needs a \"muscle\"");
    expect_refused("\"kind\": \"root\"", "\"kind\": \"trigger-point\"",
                   "my.json:27:31: cause \"root:S1\" must have kind \"root\"");
    expect_refused("\"version\": 1", "\"version\": 2",
                   "my.json:2:37: this tpt reads atlas version 1");
    expect_refused("\"label\": \"Piriformis\",", "\"label\": \"Piriformis\", \"colour\": 1,",
                   "my.json:23:87: unknown field \"colour\"");
    /* where a trigger point lies on the chart: a region as zones name it */
    expect_refused("\"label\": \"Piriformis\",",
                   "\"label\": \"Piriformis\", \"site\": \"buttock.centre\",",
                   "my.json:23:85: unknown region \"buttock.centre\" (did you mean "
                   "\"buttock.center\"?)");
    expect_refused("\"tingling\": 0.1,", "\"tingling\": 2,",
                   "my.json:11:78: \"tingling\" must be a number from 0 to 1");
    expect_refused("{\"id\": \"tender\", \"label\": \"p\", \"sided\": true}",
                   "{\"id\": \"palpation\", \"label\": \"p\", \"sided\": true}",
                   "my.json:14:15: the finding \"tender\" is missing");
    expect_refused("\"causes\": [", "\"causes\": [,", "my.json:22:14: unexpected token near ','");
    expect_refused("\"sources\": {\"A\": \"Author, a book\"}", "\"sources\": {\"A\": \"\"}",
                   "my.json:3:20: source \"A\" must be a non-empty citation");
    expect_refused("{\"region\": \"sacroiliac\", \"p\": 0.5}", "\"buttock.center\"",
                   "my.json:25:42: region \"buttock.center\" is twice in the zone");
}

static void findings_parse(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_atlas *a = tpt_atlas_default(regions, &err);
    assert_non_null(a);
    tpt_finding f;
    assert_int_equal(tpt_finding_parse(a, "slr:r", &f, &err), 0);
    assert_string_equal(a->findings[f.finding].id, "slr");
    assert_int_equal(f.side, TPT_RIGHT);
    assert_int_equal(f.tender_causes, 0);

    assert_int_equal(tpt_finding_parse(a, "tender:piriformis:l", &f, &err), 0);
    assert_int_equal(f.side, TPT_LEFT);
    assert_int_equal(f.tender_causes, UINT64_C(1) << tpt_atlas_find_cause(a, "tp:piriformis"));
    /* one muscle name may cover two trigger point causes */
    assert_int_equal(tpt_finding_parse(a, "tender:gluteus-minimus:r", &f, &err), 0);
    assert_int_equal(f.tender_causes,
                     (UINT64_C(1) << tpt_atlas_find_cause(a, "tp:gluteus-minimus-anterior")) |
                         (UINT64_C(1) << tpt_atlas_find_cause(a, "tp:gluteus-minimus-posterior")));

    static const struct {
        const char *text, *needle;
    } bad[] = {
        {"slr", "needs a side: slr:l or slr:r"},
        {"slr:x", "needs a side"},
        {"foo:r", "unknown finding 'foo'"},
        {"tender:r", "must name the muscle"},
        {"tender:biceps:r", "unknown muscle 'biceps'"},
        {"tender:piriformis", "needs a side"},
        {"", "unknown finding ''"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(tpt_finding_parse(a, bad[i].text, &f, &err), TPT_ERR_INPUT);
        if (!strstr(err.message, bad[i].needle))
            fail_msg("'%s': '%s' lacks '%s'", bad[i].text, err.message, bad[i].needle);
    }
    tpt_atlas_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_atlas_is_complete),
        cmocka_unit_test(base_atlas_loads),
        cmocka_unit_test(bad_atlases_are_located),
        cmocka_unit_test(findings_parse),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
