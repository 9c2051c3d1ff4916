/* The calendar's emails: their words, the placeholders the sender fills,
 * and the message in RFC 5322 / MIME form (tpt/mail.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tpt/mail.h"
#include "tpt/text.h"
#include "tpt/words.h"

#define DAY 86400

/* A text of the message in its language (tpt/words.h); needs `f`. */
#define W(text) tpt_word(f->words, text)

/* Marked as texts people read: a message names the day in its language. */
static const char *const day_names[] = {
    TPT_TEXT("Monday"), TPT_TEXT("Tuesday"),  TPT_TEXT("Wednesday"), TPT_TEXT("Thursday"),
    TPT_TEXT("Friday"), TPT_TEXT("Saturday"), TPT_TEXT("Sunday")};

static bool given(const char *s)
{
    return s && *s;
}

bool tpt_contact_email(const char *contact, char *out, size_t size)
{
    static const char *const apart = " \t,;<>()\"'";
    out[0] = '\0';
    for (const char *p = contact ? contact : ""; *p;) {
        p += strspn(p, apart);
        size_t n = strcspn(p, apart);
        const char *at = memchr(p, '@', n);
        /* something@something.something, once */
        if (at && at > p && memchr(at + 1, '.', n - (size_t)(at - p) - 1) &&
            !memchr(at + 1, '@', n - (size_t)(at - p) - 1) && p[n - 1] != '.' && n < size) {
            memcpy(out, p, n);
            out[n] = '\0';
            return true;
        }
        p += n;
    }
    return false;
}

void tpt_when_words(const tpt_words *words, int64_t local, char *out, size_t size)
{
    tpt_civil c = tpt_civil_at(local, 0);
    int64_t day = tpt_floor_div(local, DAY);
    int weekday = (int)((day % 7 + 7 + 3) % 7); /* 0 Monday: 1970-01-01 was a Thursday */
    char number[8], year[16], time[8];
    snprintf(number, sizeof number, "%d", c.day);
    snprintf(year, sizeof year, "%lld", (long long)c.year);
    snprintf(time, sizeof time, "%02d:%02d", c.hour, c.minute);
    const char *names[] = {"weekday", "day", "month", "year", "time"},
               *values[] = {tpt_word(words, day_names[weekday]), number,
                            tpt_word(words, tpt_month_name(c.month)), year, time};
    tpt_buf b = {0};
    tpt_buf_fill(&b, tpt_word(words, "{weekday} {day} {month} {year} at {time}"), names, values, 5);
    snprintf(out, size, "%s", b.data && !b.failed ? b.data : "");
    tpt_buf_free(&b);
}

/* A translated line with its {names} filled in, then `end`. */
static void line(tpt_buf *b, const char *template, const char *const *names,
                 const char *const *values, size_t n, const char *end)
{
    tpt_buf_fill(b, template, names, values, n);
    tpt_buf_puts(b, end);
}

/* "What: First visit with Ruth Ames" */
static void what(const tpt_mail_facts *f, tpt_buf *b)
{
    const char *names[] = {"service", "name"},
               *values[] = {given(f->service) ? f->service : W("appointment"), f->practitioner};
    line(b, given(f->practitioner) ? W("What: {service} with {name}") : W("What: {service}"), names,
         values, 2, "\n");
}

/* "Where: High Street, 1 High Street, Leeds" */
static void where(const tpt_mail_facts *f, tpt_buf *b)
{
    if (!given(f->location) && !given(f->address)) return;
    char place[2 * TPT_NAME_MAX + 8];
    snprintf(place, sizeof place, "%s%s%s", given(f->location) ? f->location : "",
             given(f->location) && given(f->address) ? ", " : "",
             given(f->address) ? f->address : "");
    const char *names[] = {"place"}, *values[] = {place};
    line(b, W("Where: {place}"), names, values, 1, "\n");
}

/* "When: ... (Europe/London time)", what and where. */
static void when_what_where(const tpt_mail_facts *f, tpt_buf *b, const char *when)
{
    const char *names[] = {"when", "zone"}, *values[] = {when, f->zone};
    line(b, given(f->zone) ? W("When: {when} ({zone} time)") : W("When: {when} (local time)"),
         names, values, 2, "\n");
    what(f, b);
    where(f, b);
}

/* "To move or cancel it, contact North Clinic (0113 496 0000, desk@...)." */
static void contact(const tpt_mail_facts *f, tpt_buf *b, const char *template, const char *clinic)
{
    char details[2 * TPT_NAME_MAX + 8] = "";
    if (given(f->phone) && given(f->email))
        snprintf(details, sizeof details, " (%s, %s)", f->phone, f->email);
    else if (given(f->phone) || given(f->email))
        snprintf(details, sizeof details, " (%s)", given(f->phone) ? f->phone : f->email);
    const char *names[] = {"clinic", "details"}, *values[] = {clinic, details};
    line(b, template, names, values, 2, "");
}

/* The subject: the title filled in, cut (at a whole character) to the room
 * the outbox keeps for it. */
static void subject_of(const char *title, const char *const *names, const char *const *values,
                       char subject[TPT_NAME_MAX + 1])
{
    tpt_buf b = {0};
    tpt_buf_fill(&b, title ? title : "", names, values, 2);
    size_t n = b.data && !b.failed ? strlen(b.data) : 0;
    if (n > TPT_NAME_MAX) {
        n = TPT_NAME_MAX;
        while (n && ((unsigned char)b.data[n] & 0xC0) == 0x80) /* inside a character */
            n--;
    }
    memcpy(subject, n ? b.data : "", n);
    subject[n] = '\0';
    tpt_buf_free(&b);
}

void tpt_mail_words(const tpt_mail_facts *f, char subject[TPT_NAME_MAX + 1], tpt_buf *b,
                    tpt_buf *links)
{
    char when[128];
    tpt_when_words(f->words, f->local, when, sizeof when);
    const char *clinic = f->clinic ? f->clinic : "";
    const char *names[] = {"clinic", "when", "name"}, *values[] = {clinic, when, f->person};
    const char *title = NULL;
    int link = 0;
    line(b, given(f->person) ? W("Hello {name},") : W("Hello,"), names, values, 3, "\n\n");
    switch (f->kind) {
    case TPT_MESSAGE_CONFIRMATION:
        title = f->moved ? W("Moved: {clinic}, {when}") : W("Booked: {clinic}, {when}");
        line(b,
             f->moved ? W("Your appointment at {clinic} has moved to a new time.")
                      : W("Your appointment at {clinic} is booked."),
             names, values, 2, "\n\n");
        when_what_where(f, b, when);
        if (f->nmore) {
            tpt_buf_printf(b, "\n%s\n", W("The visits after it, at the same place:"));
            for (size_t i = 0; i < f->nmore; i++) {
                char later[128];
                tpt_when_words(f->words, f->more[i], later, sizeof later);
                tpt_buf_printf(b, "- %s\n", later);
            }
        }
        break;
    case TPT_MESSAGE_REMINDER:
        title = W("Reminder: {clinic}, {when}");
        line(b, W("A reminder of your appointment at {clinic}."), names, values, 2, "\n\n");
        when_what_where(f, b, when);
        break;
    case TPT_MESSAGE_CANCELLATION:
        title = W("Cancelled: {clinic}, {when}");
        line(b, W("Your appointment at {clinic} on {when} is cancelled."), names, values, 2, "\n");
        if (given(f->reason)) {
            const char *reason[] = {"reason"}, *why[] = {f->reason};
            line(b, W("Reason: {reason}"), reason, why, 1, "\n");
        }
        break;
    case TPT_MESSAGE_INTAKE:
        title = W("Before your first visit: {clinic}, {when}");
        line(b, W("Your first visit at {clinic} is on {when}."), names, values, 2, "\n");
        break;
    }
    subject_of(title, names, values, subject);
    if (given(f->intake_link) && f->kind != TPT_MESSAGE_CANCELLATION) {
        tpt_buf_printf(b, "\n%s\n{{url}}{{link%d}}\n",
                       W("Before the visit, please tell us about your pain: your history, where "
                         "it hurts on a body chart, and a few short questionnaires. It takes "
                         "about ten minutes, and your practitioner reads it before you meet:"),
                       ++link);
        tpt_buf_printf(links, "%s\n", f->intake_link);
    }
    if (given(f->invitation_link) && f->kind == TPT_MESSAGE_CONFIRMATION) {
        tpt_buf_puts(b, "\n");
        line(b,
             W("Your own record at {clinic} (your plan, your home program and your progress): "
               "make your account with this link. It works once, for seven days:"),
             names, values, 1, "");
        tpt_buf_printf(b, "\n{{url}}{{link%d}}\n", ++link);
        tpt_buf_printf(links, "%s\n", f->invitation_link);
    }
    tpt_buf_puts(b, "\n");
    if (f->kind == TPT_MESSAGE_CANCELLATION) {
        contact(f, b, W("To book again, contact {clinic}{details}."), clinic);
    } else {
        contact(f, b, W("To move or cancel it, contact {clinic}{details}."), clinic);
        if (f->late_cancel_hours > 0) {
            char hours[16];
            snprintf(hours, sizeof hours, "%d", f->late_cancel_hours);
            const char *n[] = {"n"}, *v[] = {hours};
            tpt_buf_puts(b, " ");
            line(b, W("Please tell us at least {n} hours before."), n, v, 1, "");
        }
        tpt_buf_printf(b, "\n\n%s",
                       W("Do not wait for the appointment if you get numbness between the legs, "
                         "any change in bladder or bowel control, or weakness or numbness "
                         "getting worse in both legs: go to an emergency department at once."));
    }
    tpt_buf_printf(b, "\n\n%s\n", clinic);
}

void tpt_mail_fill(const char *body, const char *base, const char *links, tpt_buf *out)
{
    for (const char *p = body; *p;) {
        const char *open = strstr(p, "{{");
        if (!open) {
            tpt_buf_puts(out, p);
            break;
        }
        tpt_buf_put(out, p, (size_t)(open - p));
        int n = 0;
        if (strncmp(open, "{{url}}", 7) == 0) {
            tpt_buf_puts(out, base ? base : "");
            p = open + 7;
        } else if (sscanf(open, "{{link%d}}", &n) == 1 && n >= 1 && n <= 9 &&
                   strncmp(open + 7, "}}", 2) == 0) {
            /* the nth line of the links */
            const char *l = links;
            for (int k = 1; l && k < n; k++)
                l = (l = strchr(l, '\n')) ? l + 1 : NULL;
            size_t len = l ? strcspn(l, "\n") : 0;
            if (len)
                tpt_buf_put(out, l, len);
            else
                tpt_buf_puts(out, "(the link, in the email)");
            p = open + 9;
        } else {
            tpt_buf_put(out, open, 2);
            p = open + 2;
        }
    }
}

/* ---- the message as a relay takes it ---- */

static bool ascii_printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < ' ' || (unsigned char)*s > '~') return false;
    return true;
}

/* A header's words: as they are when plain ASCII, else one RFC 2047
 * encoded word per piece in Q encoding (each encoded word at most 75
 * octets, never splitting a UTF-8 character). */
static void header_words(tpt_buf *out, const char *s)
{
    if (ascii_printable(s)) {
        tpt_buf_puts(out, s);
        return;
    }
    static const char hex[] = "0123456789ABCDEF";
    size_t word = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        size_t cost = 0;
        for (size_t i = 0; i < len && p[i]; i++)
            cost += (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') ||
                            (p[i] >= '0' && p[i] <= '9') || p[i] == ' '
                        ? 1
                        : 3;
        if (word && word + cost > 75 - 12) {
            tpt_buf_puts(out, "?=\r\n ");
            word = 0;
        }
        if (!word) tpt_buf_puts(out, "=?UTF-8?Q?"), word = 10;
        for (size_t i = 0; i < len && *p; i++, p++) {
            unsigned char c = *p;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                tpt_buf_put(out, (const char *)&c, 1);
            else if (c == ' ')
                tpt_buf_put(out, "_", 1);
            else
                tpt_buf_printf(out, "=%c%c", hex[c >> 4], hex[c & 15]);
        }
        word += cost;
    }
    if (word) tpt_buf_puts(out, "?=");
}

/* Text as quoted-printable (RFC 2045): lines of at most 76 characters,
 * CRLF line ends, '=' and bytes past ASCII encoded, and a line that starts
 * with '.' or "From " encoded so no relay takes it for anything else. */
static void quoted_printable(tpt_buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t col = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n') {
            tpt_buf_puts(out, "\r\n");
            col = 0;
            continue;
        }
        bool at_start = col == 0;
        bool last_on_line = p[1] == '\n' || p[1] == '\0';
        bool plain = *p >= ' ' && *p <= '~' && *p != '=' && !(at_start && *p == '.') &&
                     !(at_start && strncmp((const char *)p, "From ", 5) == 0) &&
                     !((*p == ' ' || *p == '\t') && last_on_line);
        size_t width = plain ? 1 : 3;
        if (col + width > 75) { /* a soft break: "=" ends the line */
            tpt_buf_puts(out, "=\r\n");
            col = 0;
        }
        if (plain)
            tpt_buf_put(out, (const char *)p, 1);
        else
            tpt_buf_printf(out, "=%c%c", hex[*p >> 4], hex[*p & 15]);
        col += width;
    }
    if (col) tpt_buf_puts(out, "\r\n");
}

void tpt_mail_write(const tpt_mail *m, tpt_buf *out)
{
    static const char *const days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    tpt_civil c = tpt_civil_at(m->date, m->utc_offset);
    int64_t day = tpt_floor_div(m->date + m->utc_offset, DAY);
    long off = m->utc_offset < 0 ? -m->utc_offset : m->utc_offset;
    tpt_buf_printf(out, "Date: %s, %d %.3s %lld %02d:%02d:%02d %c%02ld%02ld\r\n",
                   days[(day % 7 + 7) % 7], c.day, tpt_month_name(c.month), (long long)c.year,
                   c.hour, c.minute, c.second, m->utc_offset < 0 ? '-' : '+', off / 3600,
                   off % 3600 / 60);
    tpt_buf_puts(out, "From: ");
    if (given(m->from_name)) {
        if (ascii_printable(m->from_name)) {
            tpt_buf_puts(out, "\"");
            for (const char *p = m->from_name; *p; p++)
                tpt_buf_printf(out, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
            tpt_buf_puts(out, "\"");
        } else {
            header_words(out, m->from_name);
        }
        tpt_buf_puts(out, " ");
    }
    tpt_buf_printf(out, "<%s>\r\nTo: <%s>\r\nSubject: ", m->from, m->to);
    header_words(out, m->subject);
    tpt_buf_printf(out,
                   "\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
                   "Content-Type: text/plain; charset=UTF-8\r\n"
                   "Content-Transfer-Encoding: quoted-printable\r\n"
                   "Auto-Submitted: auto-generated\r\n\r\n",
                   m->message_id);
    quoted_printable(out, m->body);
}
