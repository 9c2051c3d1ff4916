/* iCalendar writing (RFC 5545): content lines folded at 75 octets without
 * splitting a UTF-8 character, TEXT values escaped. */
#include <stdio.h>
#include <string.h>

#include "tpt/ical.h"
#include "tpt/time.h"

#define FOLD 75 /* octets of a content line before its CRLF */

/* One content line "NAME:VALUE" (or "NAME;PARAMS:VALUE"), folded. */
static void line(tpt_buf *out, const char *text)
{
    size_t n = strlen(text), used = 0;
    while (n > 0) {
        size_t room = used ? FOLD - 1 : FOLD; /* a continuation starts with a space */
        size_t take = n < room ? n : room;
        /* back off to the start of a UTF-8 character */
        while (take < n && take > 0 && ((unsigned char)text[take] & 0xC0) == 0x80)
            take--;
        if (used) tpt_buf_put(out, "\r\n ", 3);
        tpt_buf_put(out, text, take);
        text += take;
        n -= take;
        used++;
    }
    tpt_buf_put(out, "\r\n", 2);
}

/* NAME:TEXT with TEXT escaped (backslash, semicolon, comma, newlines). */
static void text_line(tpt_buf *out, const char *name, const char *value)
{
    if (!value) return;
    tpt_buf v = {0};
    tpt_buf_printf(&v, "%s:", name);
    for (const char *p = value; *p; p++) {
        if (*p == '\\' || *p == ';' || *p == ',')
            tpt_buf_printf(&v, "\\%c", *p);
        else if (*p == '\n')
            tpt_buf_puts(&v, "\\n");
        else if (*p == '\r' || ((unsigned char)*p < ' ' && *p != '\t'))
            continue; /* control characters have no place in TEXT */
        else
            tpt_buf_put(&v, p, 1);
    }
    if (v.failed)
        out->failed = 1;
    else
        line(out, v.data);
    tpt_buf_free(&v);
}

/* NAME:20261124T100000Z, or without the Z for a wall-clock time. */
static void time_line(tpt_buf *out, const char *name, int64_t t, bool floating)
{
    tpt_civil c = tpt_civil_at(t, 0);
    char v[96];
    snprintf(v, sizeof v, "%s:%04lld%02d%02dT%02d%02d%02d%s", name, (long long)c.year, c.month,
             c.day, c.hour, c.minute, c.second, floating ? "" : "Z");
    line(out, v);
}

void tpt_ical_begin(tpt_buf *out, const char *name)
{
    line(out, "BEGIN:VCALENDAR");
    line(out, "VERSION:2.0");
    line(out, "PRODID:-//tpt//calendar feed//EN");
    line(out, "CALSCALE:GREGORIAN");
    line(out, "METHOD:PUBLISH");
    text_line(out, "X-WR-CALNAME", name);
    /* how often a phone should look again */
    line(out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    line(out, "X-PUBLISHED-TTL:PT1H");
}

void tpt_ical_event_write(tpt_buf *out, const tpt_ical_event *e)
{
    line(out, "BEGIN:VEVENT");
    text_line(out, "UID", e->uid);
    time_line(out, "DTSTAMP", e->stamp, false);
    time_line(out, "DTSTART", e->start, e->floating);
    time_line(out, "DTEND", e->end, e->floating);
    if (e->rrule) {
        char r[160];
        snprintf(r, sizeof r, "RRULE:%s", e->rrule);
        line(out, r);
    }
    text_line(out, "SUMMARY", e->summary);
    text_line(out, "DESCRIPTION", e->description);
    text_line(out, "LOCATION", e->location);
    if (e->url) {
        tpt_buf u = {0};
        tpt_buf_printf(&u, "URL:%s", e->url); /* a URI, not TEXT: never escaped */
        if (!u.failed) line(out, u.data);
        tpt_buf_free(&u);
    }
    line(out, e->cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    if (e->alarm_minutes > 0 && !e->cancelled) {
        char trigger[48];
        line(out, "BEGIN:VALARM");
        line(out, "ACTION:DISPLAY");
        text_line(out, "DESCRIPTION", e->summary ? e->summary : "Reminder");
        snprintf(trigger, sizeof trigger, "TRIGGER:-PT%dM", e->alarm_minutes);
        line(out, trigger);
        line(out, "END:VALARM");
    }
    line(out, "END:VEVENT");
}

void tpt_ical_end(tpt_buf *out)
{
    line(out, "END:VCALENDAR");
}
