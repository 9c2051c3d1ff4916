/* The emails of the calendar: their words (a confirmation, a reminder, a
 * cancellation, the intake link) in the recipient's language, and the message as an SMTP relay
 * takes it (RFC 5322 with MIME: UTF-8 text, quoted-printable, encoded words in the headers). Pure
 * text; the outbox keeps them and the server sends them.
 *
 * A body is kept with {{url}} for the server's address and {{link1}},
 * {{link2}} for private links, which only the sender fills in
 * (tpt_mail_fill), so that the database keeps no live link of a message
 * once it is sent. */
#ifndef TPT_MAIL_H
#define TPT_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "tpt/buf.h"
#include "tpt/calendar.h"
#include "tpt/words.h"

/* What a message about an appointment says. Any text but the clinic's name
 * (which the store keeps with every clinic) may be NULL or "". */
typedef struct tpt_mail_facts {
    tpt_message_kind kind;
    const tpt_words *words;             /* the language it is written in (NULL: English) */
    const char *person;                 /* the patient's name */
    const char *clinic, *phone, *email; /* the clinic's */
    const char *service, *practitioner; /* names */
    const char *location, *address;     /* where */
    int64_t local;                      /* the appointment's wall time */
    const char *zone;
    const char *reason; /* of a cancellation */
    int late_cancel_hours;
    bool moved;          /* a confirmation of a new time */
    const int64_t *more; /* the wall times of the course's later visits booked with it */
    size_t nmore;
    /* links as paths of the web application ("/#/intake/TOKEN"): {{link1}}, {{link2}} */
    const char *intake_link, *invitation_link;
} tpt_mail_facts;

/* The email address in a contact as a clinic keeps it ("0113 496 0000,
 * anna@example.org"): the first word with an '@', without surrounding
 * punctuation; false (and "") when there is none. */
bool tpt_contact_email(const char *contact, char *out, size_t size);

/* "Tuesday 24 November 2026 at 10:00" of a wall time, in the language of
 * `words` (NULL: English; German "Dienstag, 24. November 2026, 10:00"). */
void tpt_when_words(const tpt_words *words, int64_t local, char *out, size_t size);
/* The subject and the body (with placeholders) of a message, and the links
 * it names, one a line ("" for none). */
void tpt_mail_words(const tpt_mail_facts *f, char subject[TPT_NAME_MAX + 1], tpt_buf *body,
                    tpt_buf *links);
/* The body with {{url}} and {{linkN}} filled in from `base` (the server's
 * address, no trailing slash) and `links` (one a line); a link that is not
 * given reads "(the link, in the email)". */
void tpt_mail_fill(const char *body, const char *base, const char *links, tpt_buf *out);

/* A message as a relay takes it. */
typedef struct tpt_mail {
    const char *from_name, *from; /* "North Clinic", "desk@north.example" */
    const char *to;
    const char *subject;
    const char *body;       /* UTF-8 text, lines ending in \n */
    int64_t date;           /* the Date: header (UTC seconds) */
    long utc_offset;        /* written with the Date: */
    const char *message_id; /* "<outbox-42.1@north.example>": the same on every try */
} tpt_mail;

/* The whole message with CRLF line ends. */
void tpt_mail_write(const tpt_mail *m, tpt_buf *out);

#endif
