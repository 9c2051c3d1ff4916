/* The calendar's emails (lib/mail.c): what each kind says, the private
 * links kept out of the stored body until sent, and the message a relay
 * takes: headers, encoded words, quoted-printable lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tpt/availability.h"
#include "tpt/mail.h"

static tpt_mail_facts facts(tpt_message_kind kind)
{
    int64_t local;
    assert_int_equal(tpt_local_parse("2026-11-24T10:00", &local), 0);
    return (tpt_mail_facts){.kind = kind,
                            .person = "Anna Berg",
                            .clinic = "North Clinic",
                            .phone = "0113 496 0000",
                            .email = "desk@north.example",
                            .service = "First visit",
                            .practitioner = "Ruth Ames",
                            .location = "High Street",
                            .address = "1 High Street, Leeds",
                            .local = local,
                            .zone = "Europe/London",
                            .late_cancel_hours = 24};
}

static void each_kind_says_what_and_when(void **state)
{
    (void)state;
    char subject[TPT_NAME_MAX + 1];
    tpt_buf body = {0}, links = {0};
    tpt_mail_facts f = facts(TPT_MESSAGE_CONFIRMATION);
    f.intake_link = "/#/intake/abc";
    f.invitation_link = "/#/invite/def";
    tpt_mail_words(&f, subject, &body, &links);
    assert_string_equal(subject, "Booked: North Clinic, Tuesday 24 November 2026 at 10:00");
    assert_non_null(
        strstr(body.data, "When: Tuesday 24 November 2026 at 10:00 (Europe/London time)"));
    assert_non_null(strstr(body.data, "What: First visit with Ruth Ames"));
    assert_non_null(strstr(body.data, "Where: High Street, 1 High Street, Leeds"));
    assert_non_null(strstr(body.data, "{{url}}{{link1}}"));
    assert_non_null(strstr(body.data, "{{url}}{{link2}}"));
    assert_null(strstr(body.data, "abc")); /* the link itself is kept apart */
    assert_string_equal(links.data, "/#/intake/abc\n/#/invite/def\n");
    assert_non_null(strstr(body.data, "at least 24 hours before"));
    assert_non_null(strstr(body.data, "emergency department"));
    tpt_buf filled = {0};
    tpt_mail_fill(body.data, "https://tpt.north.example", links.data, &filled);
    assert_non_null(strstr(filled.data, "https://tpt.north.example/#/intake/abc\n"));
    assert_non_null(strstr(filled.data, "https://tpt.north.example/#/invite/def\n"));
    tpt_buf_free(&filled);
    /* once sent, the stored body names no link */
    tpt_mail_fill(body.data, "https://tpt.north.example", NULL, &filled);
    assert_non_null(strstr(filled.data, "(the link, in the email)"));
    tpt_buf_free(&filled);
    tpt_buf_free(&body);
    tpt_buf_free(&links);

    /* a course booked at once: one confirmation naming every visit; a move */
    f = facts(TPT_MESSAGE_CONFIRMATION);
    int64_t later[2] = {f.local + 3 * 86400, f.local + 7 * 86400};
    f.more = later;
    f.nmore = 2;
    f.moved = true;
    tpt_mail_words(&f, subject, &body, &links);
    assert_string_equal(subject, "Moved: North Clinic, Tuesday 24 November 2026 at 10:00");
    assert_non_null(strstr(body.data, "has moved to a new time"));
    assert_non_null(strstr(
        body.data, "- Friday 27 November 2026 at 10:00\n- Tuesday 1 December 2026 at 10:00\n"));
    tpt_buf_free(&body);

    f = facts(TPT_MESSAGE_REMINDER);
    tpt_mail_words(&f, subject, &body, &links);
    assert_string_equal(subject, "Reminder: North Clinic, Tuesday 24 November 2026 at 10:00");
    assert_string_equal(links.data ? links.data : "", "");
    tpt_buf_free(&body);

    f = facts(TPT_MESSAGE_CANCELLATION);
    f.reason = "the practitioner is ill";
    tpt_mail_words(&f, subject, &body, &links);
    assert_string_equal(subject, "Cancelled: North Clinic, Tuesday 24 November 2026 at 10:00");
    assert_non_null(strstr(body.data, "is cancelled.\nReason: the practitioner is ill"));
    assert_non_null(strstr(
        body.data, "To book again, contact North Clinic (0113 496 0000, desk@north.example)."));
    tpt_buf_free(&body);
}

static void the_message_a_relay_takes(void **state)
{
    (void)state;
    int64_t date;
    assert_int_equal(tpt_time_parse("2026-11-20T08:05:09Z", &date), 0);
    tpt_buf out = {0};
    tpt_mail_write(&(tpt_mail){.from_name = "Clinique Étoile",
                               .from = "desk@etoile.example",
                               .to = "anna@example.org",
                               .subject = "Réservé: mardi à 10:00",
                               .body =
                                   "Bonjour Anna,\n.\nFrom here = there \nUne ligne très longue "
                                   "qui dépasse largement soixante-seize caractères pour "
                                   "tester la coupure douce.\n",
                               .date = date,
                               .utc_offset = 3600,
                               .message_id = "<outbox-1@etoile.example>"},
                   &out);
    const char *want[] = {
        "Date: Fri, 20 Nov 2026 09:05:09 +0100\r\n",
        "From: =?UTF-8?Q?Clinique_=C3=89toile?= <desk@etoile.example>\r\n",
        "To: <anna@example.org>\r\n",
        "Subject: =?UTF-8?Q?R=C3=A9serv=C3=A9=3A_mardi_=C3=A0_10=3A00?=\r\n",
        "Message-ID: <outbox-1@etoile.example>\r\n",
        "Content-Transfer-Encoding: quoted-printable\r\n",
        "Auto-Submitted: auto-generated\r\n\r\nBonjour Anna,\r\n=2E\r\n=46rom here =3D "
        "there=20\r\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(out.data, want[i])) fail_msg("missing %s in\n%s", want[i], out.data);
    /* no line of the body is longer than 76, and a soft break ends in '=' */
    const char *body = strstr(out.data, "\r\n\r\n") + 4;
    for (const char *p = body; *p;) {
        const char *end = strstr(p, "\r\n");
        assert_non_null(end);
        assert_true(end - p <= 76);
        p = end + 2;
    }
    assert_non_null(strstr(body, "=\r\n"));
    tpt_buf_free(&out);
    /* a plain name is quoted as it is */
    tpt_mail_write(&(tpt_mail){.from_name = "North \"Clinic\"",
                               .from = "d@n.example",
                               .to = "a@b",
                               .subject = "Hi",
                               .body = "x\n",
                               .date = date,
                               .message_id = "<m@n>"},
                   &out);
    assert_non_null(strstr(out.data, "From: \"North \\\"Clinic\\\"\" <d@n.example>\r\n"));
    assert_non_null(strstr(out.data, "+0000\r\n"));
    tpt_buf_free(&out);
}

static void the_email_in_a_contact(void **state)
{
    (void)state;
    char out[TPT_EMAIL_MAX + 1];
    assert_true(tpt_contact_email("0113 496 0000, anna@example.org", out, sizeof out));
    assert_string_equal(out, "anna@example.org");
    assert_true(tpt_contact_email("Anna <anna.berg@mail.example.org>; mobile", out, sizeof out));
    assert_string_equal(out, "anna.berg@mail.example.org");
    assert_false(tpt_contact_email("0113 496 0000", out, sizeof out));
    assert_string_equal(out, "");
    assert_false(tpt_contact_email("at home @ 6pm", out, sizeof out));
    assert_false(tpt_contact_email("a@b", out, sizeof out));
    assert_false(tpt_contact_email(NULL, out, sizeof out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_kind_says_what_and_when),
        cmocka_unit_test(the_message_a_relay_takes),
        cmocka_unit_test(the_email_in_a_contact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
