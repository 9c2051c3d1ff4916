/* The text buffer (lib/buf.c) and the record lists' frees (lib/record.c):
 * a bound that stops a runaway writer, templates filled as HTML or as text,
 * and frees that take NULL and empty values as the convention says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tpt/account.h"
#include "tpt/buf.h"
#include "tpt/record.h"

static void a_buffer_stops_at_its_bound(void **state)
{
    (void)state;
    tpt_buf b = {.max = 16};
    tpt_buf_puts(&b, "0123456789");
    assert_false(b.failed);
    tpt_buf_printf(&b, "%s", "abcdef"); /* 16 bytes and the NUL: one too many */
    assert_true(b.failed);
    assert_string_equal(b.data, "0123456789"); /* what was written stays whole */
    tpt_buf_puts(&b, "x");
    assert_int_equal(b.len, 10);
    tpt_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.max, 16); /* the bound outlives the text */
    tpt_buf_puts(&b, "again");
    assert_string_equal(b.data, "again");
    tpt_buf_free(&b);
}

static void elements_escape_their_text(void **state)
{
    (void)state;
    tpt_buf b = {0};
    tpt_buf_element(&b, "<p>", "a < b & \"c\"", "</p>");
    tpt_buf_element(&b, "<i>", NULL, "</i>");
    assert_string_equal(b.data, "<p>a &lt; b &amp; &quot;c&quot;</p><i></i>");
    tpt_buf_free(&b);
}

/* A translated template filled: as HTML escaped, as plain text as it is;
 * from an unknown {name} on, the template is written as it stands. */
static void templates_fill_as_html_or_text(void **state)
{
    (void)state;
    const char *names[] = {"who", "when"}, *values[] = {"Ruth & Sam", "Montag, 14. Dezember"};
    tpt_buf b = {0};
    tpt_buf_fill_html(&b, "<{who}> am {when}.", names, values, 2);
    assert_string_equal(b.data, "&lt;Ruth &amp; Sam&gt; am Montag, 14. Dezember.");
    tpt_buf_free(&b);
    tpt_buf_fill(&b, "<{who}> am {when}.", names, values, 2);
    assert_string_equal(b.data, "<Ruth & Sam> am Montag, 14. Dezember.");
    tpt_buf_free(&b);
    tpt_buf_fill(&b, "{who} {what} {when}", names, values, 2);
    assert_string_equal(b.data, "Ruth & Sam {what} {when}");
    tpt_buf_free(&b);
}

static void frees_take_null_and_empty_lists(void **state)
{
    (void)state;
    tpt_buf_free(NULL);
    tpt_log_list_free(NULL);
    tpt_record_list_free(NULL);
    tpt_visit_list_free(NULL);
    tpt_amendment_list_free(NULL);
    tpt_measure_list_free(NULL);
    tpt_patient_list_free(NULL);
    tpt_clinic_list_free(NULL);
    tpt_user_list_free(NULL);
    tpt_audit_list_free(NULL);
    tpt_record_list empty = {0};
    tpt_record_list_free(&empty);
    tpt_log_list log = {.count = 1, .items = calloc(1, sizeof *log.items)};
    log.items[0].note = strdup("a note");
    tpt_log_list_free(&log);
    assert_null(log.items);
    assert_int_equal(log.count, 0);
    tpt_log_list_free(&log); /* twice is safe too */
}

static void names_of_kinds_and_roles_read_back(void **state)
{
    (void)state;
    for (int k = 0; k < TPT_RECORD_KIND_COUNT; k++) {
        tpt_record_kind back;
        assert_int_equal(tpt_record_kind_parse(tpt_record_kind_name((tpt_record_kind)k), &back), 0);
        assert_int_equal(back, k);
    }
    tpt_record_kind kind;
    assert_int_equal(tpt_record_kind_parse("letter", &kind), TPT_ERR_INPUT);
    assert_int_equal(tpt_record_kind_parse(NULL, &kind), TPT_ERR_INPUT);
    assert_string_equal(tpt_record_kind_name(TPT_RECORD_KIND_COUNT), "?");
    tpt_role role;
    assert_int_equal(tpt_role_parse("practitioner", &role), 0);
    assert_int_equal(role, TPT_ROLE_PRACTITIONER);
    assert_int_equal(tpt_role_parse("root", &role), TPT_ERR_INPUT);
    assert_string_equal(tpt_role_name(TPT_ROLE_PATIENT), "patient");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_buffer_stops_at_its_bound),
        cmocka_unit_test(elements_escape_their_text),
        cmocka_unit_test(templates_fill_as_html_or_text),
        cmocka_unit_test(frees_take_null_and_empty_lists),
        cmocka_unit_test(names_of_kinds_and_roles_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
