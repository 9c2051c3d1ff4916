/* JSON output: the shape of spec/interface.md, checked field by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "default_data.h"
#include "tpt/json.h"
#include "tpt/notice.h"

static json_t *map(const char *const *marks)
{
    static tpt_drawing d;
    static tpt_result r;
    d.count = 0;
    for (; *marks; marks++) {
        tpt_mark m;
        assert_int_equal(tpt_mark_parse(regions, *marks, &m, NULL), 0);
        assert_int_equal(tpt_drawing_add(&d, regions, &m, NULL), 0);
    }
    assert_int_equal(tpt_infer(atlas, &d, NULL, 0, &r, NULL), 0);
    /* through text and back, as a consumer would read it */
    json_t *built = tpt_result_json(atlas, &d, &r);
    assert_non_null(built);
    char *text = json_dumps(built, TPT_JSON_DUMP_FLAGS | JSON_COMPACT);
    json_decref(built);
    json_t *parsed = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(parsed);
    return parsed;
}

static int contains(json_t *array, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v) if (strcmp(json_string_value(v), s) == 0) return 1;
    return 0;
}

static void map_result_has_the_interface_shape(void **state)
{
    (void)state;
    json_t *j =
        map((const char *[]){"r.buttock.lower", "r.thigh.outer.upper", "r.thigh.outer.lower",
                             "r.leg.outer.upper", "r.ankle.outer", NULL});
    const char *pattern = json_string_value(json_object_get(j, "pattern"));
    assert_non_null(pattern);
    assert_string_equal(pattern, "myofascial");

    json_t *cands = json_object_get(j, "candidates");
    assert_true(json_is_array(cands) && json_array_size(cands) > 1);
    double last = 2;
    size_t i;
    json_t *c;
    json_array_foreach(cands, i, c)
    {
        assert_true(json_is_string(json_object_get(c, "cause")));
        const char *side = json_string_value(json_object_get(c, "side"));
        assert_string_equal(side, "r");
        const char *kind = json_string_value(json_object_get(c, "kind"));
        assert_true(!strcmp(kind, "trigger-point") || !strcmp(kind, "root"));
        assert_true(json_is_string(json_object_get(c, "label")));
        double p = json_number_value(json_object_get(c, "probability"));
        assert_true(p >= 0 && p <= 1 && p <= last);
        last = p;
        assert_true(json_array_size(json_object_get(c, "explains")) >= 1);
        assert_true(json_is_array(json_object_get(c, "missing")));
    }
    json_t *top = json_array_get(cands, 0);
    assert_string_equal(json_string_value(json_object_get(top, "cause")),
                        "tp:gluteus-minimus-anterior");
    json_t *explains = json_object_get(top, "explains");
    assert_true(contains(explains, "r.thigh.outer.upper"));
    assert_true(contains(explains, "r.ankle.outer"));
    /* a core region of its zone that was not marked is named as missing */
    json_t *missing = json_object_get(top, "missing");
    assert_true(contains(missing, "r.hip.outer")); /* in its core, not marked */
    assert_false(contains(missing, "r.thigh.outer.upper"));
    /* the model is never certain */
    assert_true(json_number_value(json_object_get(top, "probability")) <= 0.999);

    json_t *expl = json_object_get(j, "explanation");
    json_t *causes = json_object_get(expl, "causes");
    assert_true(json_array_size(causes) >= 1 && json_array_size(causes) <= 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(causes, 0), "side")), "r");
    assert_true(json_is_array(json_object_get(expl, "unexplained")));
    assert_int_equal(json_array_size(json_object_get(j, "warnings")), 0);
    assert_non_null(strstr(json_string_value(json_object_get(j, "notice")), "not a diagnosis"));
    json_decref(j);
}

static void warnings_carry_id_level_and_advice(void **state)
{
    (void)state;
    json_t *j = map((const char *[]){"perineum:numb", "l.calf.upper", NULL});
    json_t *w = json_array_get(json_object_get(j, "warnings"), 0);
    assert_string_equal(json_string_value(json_object_get(w, "id")), "cauda-equina");
    assert_string_equal(json_string_value(json_object_get(w, "level")), "emergency");
    assert_true(strlen(json_string_value(json_object_get(w, "advice"))) > 20);
    json_decref(j);
}

static void unexplained_regions_are_listed(void **state)
{
    (void)state;
    json_t *j = map((const char *[]){"l.hand", NULL});
    assert_string_equal(json_string_value(json_object_get(j, "pattern")), "unclear");
    json_t *expl = json_object_get(j, "explanation");
    assert_int_equal(json_array_size(json_object_get(expl, "causes")), 0);
    assert_true(contains(json_object_get(expl, "unexplained"), "l.hand"));
    json_decref(j);
}

static void regions_and_causes_describe_themselves(void **state)
{
    (void)state;
    json_t *r = tpt_regions_json(regions);
    json_t *list = json_object_get(r, "regions");
    assert_int_equal(json_array_size(list), 107);
    json_t *first = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(first, "side")), "left");
    assert_true(json_array_size(json_object_get(first, "views")) >= 1);
    assert_int_equal(json_array_size(json_object_get(r, "kinds")), 5);
    json_decref(r);

    int p = tpt_atlas_find_cause(atlas, "tp:piriformis");
    json_t *c = tpt_cause_json(atlas, p);
    assert_string_equal(json_string_value(json_object_get(c, "muscle")), "piriformis");
    assert_true(json_array_size(json_object_get(json_object_get(c, "zone"), "core")) >= 1);
    json_t *sources = json_object_get(c, "sources");
    assert_true(json_object_size(sources) >= 1);
    /* every cited key is resolved to its citation */
    const char *key;
    json_t *text;
    json_object_foreach(sources, key, text) assert_true(strlen(json_string_value(text)) > 3);
    json_decref(c);

    json_t *l = tpt_atlas_list_json(atlas);
    assert_int_equal(json_array_size(json_object_get(l, "causes")), atlas->ncauses);
    json_decref(l);
}

/* The map answer writes these sentences without escaping them. */
static bool plain(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x80 || *s == '"' || *s == '\\')
            return false;
    }
    return true;
}

static void fixed_sentences_need_no_escaping(void **state)
{
    (void)state;
    assert_true(plain(TPT_NOT_A_DIAGNOSIS));
    for (int p = TPT_MYOFASCIAL; p <= TPT_UNCLEAR; p++)
        assert_true(plain(tpt_pattern_sentence((tpt_pattern)p)));
    for (size_t i = 0; i < regions->count; i++)
        assert_true(plain(regions->region[i].id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(map_result_has_the_interface_shape),
        cmocka_unit_test(warnings_carry_id_level_and_advice),
        cmocka_unit_test(unexplained_regions_are_listed),
        cmocka_unit_test(regions_and_causes_describe_themselves),
        cmocka_unit_test(fixed_sentences_need_no_escaping),
    };
    return cmocka_run_group_tests(tests, load_default_data, free_default_data);
}
