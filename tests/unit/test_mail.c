/* The calendar's emails (lib/mail.c): what each kind says, the private
 * links kept out of the stored body until sent, and the message a relay
 * takes: headers, encoded words, quoted-printable lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tpt/availability.h"
#include "tpt/mail.h"
#include "tpt/words.h"

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

/* A German patient's messages: every line in German, the day and the date
 * as German writes them, the names and links as given. */
static void each_kind_in_german(void **state)
{
    (void)state;
    tpt_error err = {0};
    tpt_words *de = tpt_words_load("de", &err);
    assert_non_null(de);
    char subject[TPT_NAME_MAX + 1];
    tpt_buf body = {0}, links = {0};
    tpt_mail_facts f = facts(TPT_MESSAGE_CONFIRMATION);
    f.words = de;
    f.intake_link = "/#/intake/abc";
    f.invitation_link = "/#/invite/def";
    tpt_mail_words(&f, subject, &body, &links);
    assert_string_equal(subject, "Gebucht: North Clinic, Dienstag, 24. November 2026, 10:00");
    const char *confirmation[] = {
        "Guten Tag Anna Berg,\n\nIhr Termin bei North Clinic ist gebucht.\n\n",
        "Wann: Dienstag, 24. November 2026, 10:00 (Zeit Europe/London)\n",
        "Was: First visit bei Ruth Ames\n",
        "Wo: High Street, 1 High Street, Leeds\n",
        "Ihre Behandlerin oder Ihr Behandler liest es vor dem Termin:\n{{url}}{{link1}}\n",
        "Legen Sie mit diesem Link Ihr Konto an. Er gilt einmal, sieben Tage lang:\n"
        "{{url}}{{link2}}\n",
        "Um den Termin zu verlegen oder abzusagen, wenden Sie sich an North Clinic "
        "(0113 496 0000, desk@north.example). Bitte sagen Sie uns mindestens 24 Stunden "
        "vorher Bescheid.",
        "Gehen Sie sofort in eine Notaufnahme.\n\nNorth Clinic\n",
    };
    for (size_t i = 0; i < sizeof confirmation / sizeof *confirmation; i++)
        if (!strstr(body.data, confirmation[i]))
            fail_msg("missing \"%s\" in\n%s", confirmation[i], body.data);
    assert_string_equal(links.data, "/#/intake/abc\n/#/invite/def\n");
    for (const char *english = "Hello\0When:\0What:\0emergency\0Tuesday\0"; *english;
         english += strlen(english) + 1)
        if (strstr(body.data, english)) fail_msg("English \"%s\" in\n%s", english, body.data);
    tpt_buf_free(&body);
    tpt_buf_free(&links);

    /* a course, moved: the later visits in German too; a day in March */
    int64_t later[2] = {f.local + 3 * 86400, f.local + 110 * 86400};
    f = facts(TPT_MESSAGE_CONFIRMATION);
    f.words = de;
    f.more = later;
    f.nmore = 2;
    f.moved = true;
    tpt_mail_words(&f, subject, &body, &links);
    assert_string_equal(subject, "Verlegt: North Clinic, Dienstag, 24. November 2026, 10:00");
    assert_non_null(strstr(body.data, "ist auf eine neue Zeit verlegt worden."));
    assert_non_null(strstr(body.data, "Die weiteren Termine, am selben Ort:\n"
                                      "- Freitag, 27. November 2026, 10:00\n"
                                      "- Sonntag, 14. März 2027, 10:00\n"));
    tpt_buf_free(&body);

    f = facts(TPT_MESSAGE_REMINDER);
    f.words = de;
    f.person = NULL;
    f.zone = "";
    tpt_mail_words(&f, subject, &body, &links);
    assert_string_equal(subject, "Erinnerung: North Clinic, Dienstag, 24. November 2026, 10:00");
    assert_non_null(strstr(body.data, "Guten Tag,\n\nWir erinnern Sie an Ihren Termin bei North "
                                      "Clinic.\n\nWann: Dienstag, 24. November 2026, 10:00 "
                                      "(Ortszeit)\n"));
    tpt_buf_free(&body);

    f = facts(TPT_MESSAGE_CANCELLATION);
    f.words = de;
    f.reason = "the practitioner is ill"; /* as staff wrote it */
    f.service = NULL;
    tpt_mail_words(&f, subject, &body, &links);
    assert_string_equal(subject, "Abgesagt: North Clinic, Dienstag, 24. November 2026, 10:00");
    assert_non_null(strstr(body.data,
                           "Ihr Termin bei North Clinic am Dienstag, 24. November "
                           "2026, 10:00 ist abgesagt.\nGrund: the practitioner is ill\n"));
    assert_non_null(strstr(body.data, "Für einen neuen Termin wenden Sie sich an North Clinic "
                                      "(0113 496 0000, desk@north.example)."));
    assert_null(strstr(body.data, "Notaufnahme")); /* nothing to wait for */
    tpt_buf_free(&body);

    f = facts(TPT_MESSAGE_INTAKE);
    f.words = de;
    f.intake_link = "/#/intake/abc";
    tpt_mail_words(&f, subject, &body, &links);
    assert_string_equal(
        subject, "Vor Ihrem ersten Termin: North Clinic, Dienstag, 24. November 2026, 10:00");
    assert_non_null(strstr(body.data, "Ihr erster Termin bei North Clinic ist am Dienstag, 24. "
                                      "November 2026, 10:00.\n"));
    tpt_buf_free(&body);
    tpt_buf_free(&links);
    tpt_words_free(de);
}

/* The date words of the command line and of English messages, every
 * weekday; a subject longer than the outbox keeps is cut at a whole
 * character. */
static void dates_and_long_subjects(void **state)
{
    (void)state;
    static const char *const days[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};
    int64_t monday;
    char when[128];
    assert_int_equal(tpt_local_parse("2026-12-14T09:30", &monday), 0);
    for (int i = 0; i < 7; i++) {
        tpt_when_words(NULL, monday + i * 86400, when, sizeof when);
        char want[64];
        snprintf(want, sizeof want, "%s %d December 2026 at 09:30", days[i], 14 + i);
        assert_string_equal(when, want);
    }
    tpt_error err = {0};
    tpt_words *de = tpt_words_load("de", &err);
    tpt_when_words(de, monday, when, sizeof when);
    assert_string_equal(when, "Montag, 14. Dezember 2026, 09:30");

    char clinic[TPT_NAME_MAX + 1], subject[TPT_NAME_MAX + 1];
    memset(clinic, 'x', sizeof clinic - 1);
    clinic[TPT_NAME_MAX] = '\0';
    /* after "Erinnerung: " (12 bytes), the ä's two bytes either side of the cut */
    memcpy(clinic + TPT_NAME_MAX - 17, "Zahnärzte", 10);
    tpt_mail_facts f = facts(TPT_MESSAGE_REMINDER);
    f.words = de;
    f.clinic = clinic;
    tpt_buf body = {0}, links = {0};
    tpt_mail_words(&f, subject, &body, &links);
    assert_int_equal(strlen(subject), TPT_NAME_MAX - 1); /* the ä left out whole */
    assert_int_equal(strncmp(subject, "Erinnerung: xxx", 15), 0);
    /* every character whole: no lead byte without its continuation */
    size_t n = strlen(subject);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)subject[i];
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        assert_true(i + len <= n);
        i += len - 1;
    }
    tpt_buf_free(&body);
    tpt_buf_free(&links);
    tpt_words_free(de);
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
        cmocka_unit_test(each_kind_says_what_and_when), cmocka_unit_test(each_kind_in_german),
        cmocka_unit_test(dates_and_long_subjects),      cmocka_unit_test(the_message_a_relay_takes),
        cmocka_unit_test(the_email_in_a_contact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
