/* iCalendar (RFC 5545) for a person's calendar feed: a VCALENDAR of
 * VEVENTs, written into a buffer with the format's escaping and its lines
 * folded at 75 octets. Appointments are moments (UTC); the home program's
 * sessions are wall-clock times without a zone ("floating"), so that a
 * phone shows 08:00 wherever its owner is. */
#ifndef TPT_ICAL_H
#define TPT_ICAL_H

#include <stdbool.h>
#include <stdint.h>

#include "tpt/buf.h"

typedef struct tpt_ical_event {
    const char *uid;    /* stable and unique: "appointment-42@tpt" */
    int64_t stamp;      /* when this version was made (UTC seconds) */
    int64_t start, end; /* UTC seconds, or wall-clock seconds when floating */
    bool floating;
    const char *rrule;   /* a recurrence ("FREQ=DAILY;COUNT=42"), or NULL */
    const char *summary; /* may be NULL, like the rest */
    const char *description;
    const char *location;
    const char *url;
    bool cancelled;    /* STATUS:CANCELLED: a calendar strikes it rather than keeps it */
    int alarm_minutes; /* a reminder this long before, 0 for none */
} tpt_ical_event;

/* The calendar's start, named (X-WR-CALNAME) for the phone's list. */
void tpt_ical_begin(tpt_buf *out, const char *name);
void tpt_ical_event_write(tpt_buf *out, const tpt_ical_event *e);
void tpt_ical_end(tpt_buf *out);

#endif
