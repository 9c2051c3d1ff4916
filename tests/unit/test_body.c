/* Regions, marks and the region table loader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "tpt/body.h"

/* The parts and midline ids of spec/body-regions.md, version 1. */
static const char *const spec_parts[] = {"lumbar.upper",
                                         "lumbar.lower",
                                         "flank",
                                         "iliac-crest",
                                         "sacroiliac",
                                         "thoracic",
                                         "chest",
                                         "abdomen.upper",
                                         "abdomen.lower",
                                         "groin",
                                         "buttock.upper",
                                         "buttock.center",
                                         "buttock.lower",
                                         "buttock.inner",
                                         "hip.outer",
                                         "thigh.front.upper",
                                         "thigh.front.lower",
                                         "thigh.outer.upper",
                                         "thigh.outer.lower",
                                         "thigh.back.upper",
                                         "thigh.back.lower",
                                         "thigh.inner.upper",
                                         "thigh.inner.lower",
                                         "knee.front",
                                         "knee.outer",
                                         "knee.back",
                                         "knee.inner",
                                         "shin.upper",
                                         "shin.lower",
                                         "leg.outer.upper",
                                         "leg.outer.lower",
                                         "calf.upper",
                                         "calf.lower",
                                         "leg.inner.upper",
                                         "leg.inner.lower",
                                         "ankle.front",
                                         "ankle.outer",
                                         "ankle.inner",
                                         "achilles",
                                         "foot.top",
                                         "big-toe",
                                         "toes",
                                         "foot.outer-edge",
                                         "arch",
                                         "sole",
                                         "heel",
                                         "shoulder",
                                         "arm",
                                         "forearm",
                                         "hand"};
static const char *const spec_midline[] = {"head",   "neck",   "thoracic-spine", "lumbar-spine",
                                           "sacrum", "coccyx", "perineum"};

static tpt_regions *regions;

static int setup(void **state)
{
    (void)state;
    tpt_error err = {0};
    regions = tpt_regions_default(&err);
    return regions ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tpt_regions_free(regions);
    return 0;
}

static void default_table_matches_the_spec(void **state)
{
    (void)state;
    assert_int_equal(regions->count, 107);
    assert_int_equal(sizeof spec_parts / sizeof *spec_parts, 50);
    for (size_t i = 0; i < 50; i++) {
        char id[64];
        for (int s = 0; s < 2; s++) {
            snprintf(id, sizeof id, "%s.%s", s ? "r" : "l", spec_parts[i]);
            int r = tpt_region_find(regions, id);
            assert_true(r >= 0);
            assert_int_equal(regions->region[r].side, s ? TPT_RIGHT : TPT_LEFT);
            assert_int_equal(tpt_region_at(regions, regions->region[r].key, (tpt_side)s), r);
            assert_true(strlen(regions->region[r].label) > 2);
        }
    }
    for (size_t i = 0; i < 7; i++) {
        int r = tpt_region_find(regions, spec_midline[i]);
        assert_true(r >= 0);
        assert_int_equal(regions->region[r].side, TPT_MIDLINE);
        /* a midline region is the same place whatever the side asked for */
        assert_int_equal(tpt_region_at(regions, regions->region[r].key, TPT_LEFT), r);
        assert_int_equal(tpt_region_at(regions, regions->region[r].key, TPT_RIGHT), r);
    }
    assert_int_equal(regions->perineum, tpt_region_find(regions, "perineum"));
}

static void views_follow_the_side(void **state)
{
    (void)state;
    const tpt_region *r = &regions->region[tpt_region_find(regions, "r.thigh.outer.upper")];
    const tpt_region *l = &regions->region[tpt_region_find(regions, "l.thigh.outer.upper")];
    assert_true(r->views & TPT_VIEW_RIGHT);
    assert_false(r->views & TPT_VIEW_LEFT);
    assert_true(l->views & TPT_VIEW_LEFT);
    assert_false(l->views & TPT_VIEW_RIGHT);
    assert_true(regions->region[tpt_region_find(regions, "l.calf.upper")].views & TPT_VIEW_BACK);
    /* the lower limb, from the outer hip down, counts for symptoms in both legs */
    for (size_t i = 0; i < 50; i++) {
        char id[64];
        snprintf(id, sizeof id, "r.%s", spec_parts[i]);
        bool lower_limb = i >= 14 && i <= 45; /* hip.outer .. heel in spec order */
        if (regions->region[tpt_region_find(regions, id)].leg != lower_limb)
            fail_msg("%s: leg flag should be %d", id, lower_limb);
    }
    assert_false(regions->region[regions->perineum].leg);
    /* the levels from the back down, by which pain radiates or stays local */
    static const struct {
        const char *id;
        tpt_limb_level level;
    } levels[] = {{"l.lumbar.lower", TPT_LIMB_BACK},
                  {"r.buttock.center", TPT_LIMB_BACK},
                  {"lumbar-spine", TPT_LIMB_BACK},
                  {"l.hip.outer", TPT_LIMB_HIP},
                  {"r.thigh.back.upper", TPT_LIMB_THIGH},
                  {"r.knee.back", TPT_LIMB_KNEE},
                  {"l.calf.lower", TPT_LIMB_LEG},
                  {"r.shin.upper", TPT_LIMB_LEG},
                  {"l.heel", TPT_LIMB_FOOT},
                  {"r.ankle.outer", TPT_LIMB_FOOT},
                  {"r.flank", TPT_LIMB_NONE},
                  {"perineum", TPT_LIMB_NONE}};
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        assert_int_equal(regions->region[tpt_region_find(regions, levels[i].id)].limb,
                         levels[i].level);
    for (size_t i = 0; i < regions->count; i++)
        assert_true(regions->region[i].views != 0);
}

static void good_marks_parse(void **state)
{
    (void)state;
    tpt_mark m;
    tpt_error err = {0};
    assert_int_equal(tpt_mark_parse(regions, "r.thigh.outer.upper", &m, &err), 0);
    assert_int_equal(m.region, tpt_region_find(regions, "r.thigh.outer.upper"));
    assert_int_equal(m.kind, TPT_ACHE);
    assert_int_equal(m.intensity, 0);
    assert_int_equal(tpt_mark_parse(regions, "r.leg.outer.lower:tingling", &m, &err), 0);
    assert_int_equal(m.kind, TPT_TINGLING);
    assert_int_equal(tpt_mark_parse(regions, "r.calf.upper:ache:6", &m, &err), 0);
    assert_int_equal(m.intensity, 6);
    assert_int_equal(tpt_mark_parse(regions, "perineum:numb", &m, &err), 0);
    assert_int_equal(m.region, regions->perineum);
    assert_int_equal(m.kind, TPT_NUMB);
    assert_int_equal(tpt_mark_parse(regions, "l.sole:10", &m, &err), 0);
    assert_int_equal(m.kind, TPT_ACHE);
    assert_int_equal(m.intensity, 10);
    assert_int_equal(tpt_mark_parse(regions, "l.foot.outer-edge:burning:1", &m, &err), 0);
    assert_int_equal(m.kind, TPT_BURNING);
    assert_int_equal(m.intensity, 1);
}

static void expect_bad_mark(const char *text, const char *needle)
{
    tpt_mark m;
    tpt_error err = {0};
    assert_int_equal(tpt_mark_parse(regions, text, &m, &err), TPT_ERR_INPUT);
    assert_int_equal(err.status, TPT_ERR_INPUT);
    if (!strstr(err.message, needle))
        fail_msg("'%s': message '%s' lacks '%s'", text, err.message, needle);
}

static void bad_marks_are_named(void **state)
{
    (void)state;
    expect_bad_mark("r.thigh.outr.upper", "closest valid ids: r.thigh.outer.upper");
    expect_bad_mark("r.thigh.outr.upper:tingling", "in mark 'r.thigh.outr.upper:tingling'");
    expect_bad_mark("thigh.outer.upper", "l.thigh.outer.upper");
    expect_bad_mark("thigh.outer.upper", "r.thigh.outer.upper");
    expect_bad_mark("x.nowhere.at.all.zzz", "no id is close");
    expect_bad_mark("r.sole:tingle", "unknown symptom kind 'tingle'");
    expect_bad_mark("r.sole:numb:0", "intensity '0'");
    expect_bad_mark("r.sole:numb:11", "intensity '11'");
    expect_bad_mark("r.sole:numb:-3", "intensity '-3'");
    expect_bad_mark("r.sole:5x", "intensity '5x'");
    expect_bad_mark("r.sole:numb:5:5", "too many parts");
    expect_bad_mark("r.sole:5:numb", "unexpected part 'numb'");
    expect_bad_mark("r.sole:", "unknown symptom kind ''");
    expect_bad_mark("", "empty mark");
    char longmark[300];
    memset(longmark, 'a', sizeof longmark - 1);
    longmark[sizeof longmark - 1] = '\0';
    expect_bad_mark(longmark, "longer than");
    expect_bad_mark("R.SOLE", "r.sole");
}

static void a_region_is_marked_once(void **state)
{
    (void)state;
    static tpt_drawing d;
    tpt_mark m;
    tpt_error err = {0};
    d.count = 0;
    assert_int_equal(tpt_mark_parse(regions, "r.sole:numb", &m, &err), 0);
    assert_int_equal(tpt_drawing_add(&d, regions, &m, &err), 0);
    assert_int_equal(tpt_mark_parse(regions, "r.sole:ache", &m, &err), 0);
    assert_int_equal(tpt_drawing_add(&d, regions, &m, &err), TPT_ERR_INPUT);
    assert_non_null(strstr(err.message, "r.sole is marked twice"));
    assert_int_equal(d.count, 1);
}

static void expect_bad_table(const char *json, const char *message)
{
    tpt_error err = {0};
    tpt_regions *r = tpt_regions_load(json, strlen(json), "t.json", &err);
    assert_null(r);
    assert_int_equal(err.status, TPT_ERR_DATA);
    if (strcmp(err.message, message) != 0) fail_msg("got '%s', want '%s'", err.message, message);
}

static void bad_region_tables_are_located(void **state)
{
    (void)state;
    expect_bad_table("{\"format\": \"tpt-regions\",\n \"sided\": [,]}",
                     "t.json:2:12: unexpected token near ','");
    expect_bad_table(
        "{\"format\": \"tpt-regions\", \"sided\": [\n"
        "  {\"part\": \"a\", \"label\": \"A\", \"views\": [\"top\"]}],\n"
        " \"midline\": [{\"id\": \"perineum\", \"label\": \"P\", \"views\": [\"front\"]}]}",
        "t.json:2:41: unknown view \"top\" (front, back, side)");
    expect_bad_table(
        "{\"format\": \"tpt-regions\", \"sided\": [\n"
        "  {\"part\": \"a\", \"label\": \"A\", \"views\": [\"back\"]},\n"
        "  {\"part\": \"a\", \"label\": \"A2\", \"views\": [\"back\"]}],\n"
        " \"midline\": [{\"id\": \"perineum\", \"label\": \"P\", \"views\": [\"front\"]}]}",
        "t.json:3:3: duplicate region \"l.a\"");
    expect_bad_table(
        "{\"format\": \"tpt-regions\", \"sided\": [\n"
        "  {\"part\": \"a\", \"label\": \"A\", \"views\": [\"back\"]}],\n"
        " \"midline\": [{\"id\": \"sacrum\", \"label\": \"S\", \"views\": [\"back\"]}]}",
        "t.json:1:1: the midline region \"perineum\" is required");
    expect_bad_table(
        "{\"format\": \"tpt-regions\", \"sided\": [{\"part\": \"a\"}], \"midline\": []}",
        "t.json:1:37: missing field \"label\"");
    expect_bad_table("[1, 2]", "t.json:1:1: the region file must be a JSON object");
    expect_bad_table(
        "{\"format\": \"tpt-regions\", \"sided\": [\n"
        "  {\"part\": \"a\", \"label\": \"A\", \"views\": [\"back\"], \"level\": \"knee\"}],\n"
        " \"midline\": [{\"id\": \"perineum\", \"label\": \"P\", \"views\": [\"front\"]}]}",
        "t.json:2:59: a leg region's level is hip to foot, and only a leg's is");
    expect_bad_table(
        "{\"format\": \"tpt-regions\", \"sided\": [\n"
        "  {\"part\": \"a\", \"label\": \"A\", \"views\": [\"back\"], \"leg\": true, \"level\": "
        "\"elbow\"}],\n"
        " \"midline\": [{\"id\": \"perineum\", \"label\": \"P\", \"views\": [\"front\"]}]}",
        "t.json:2:72: \"level\" is back, hip, thigh, knee, leg or foot");
}

static void suggestions_are_closest_first(void **state)
{
    (void)state;
    int near[3];
    size_t n = tpt_region_suggest(regions, "r.calf.uper", near, 3);
    assert_true(n >= 1);
    assert_string_equal(regions->region[near[0]].id, "r.calf.upper");
    assert_int_equal(tpt_region_suggest(regions, "qqqqqqqqqqqqqqqqqqqqqqqq", near, 3), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_table_matches_the_spec),
        cmocka_unit_test(views_follow_the_side),
        cmocka_unit_test(good_marks_parse),
        cmocka_unit_test(bad_marks_are_named),
        cmocka_unit_test(a_region_is_marked_once),
        cmocka_unit_test(bad_region_tables_are_located),
        cmocka_unit_test(suggestions_are_closest_first),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
