/* What the files of the record layer share among themselves; not for callers. */
#ifndef TPT_RECORD_INTERNAL_H
#define TPT_RECORD_INTERNAL_H

#include <stdint.h>

#include "record/calendar.h"
#include "tpt/time.h"

/* A stored time in seconds since 1970 (UTC); 0 when malformed, which the
 * store never keeps. */
static inline int64_t tpt__seconds_of(const char *at)
{
    int64_t seconds;
    return tpt_time_parse(at, &seconds) == 0 ? seconds : 0;
}

/* Seconds east of UTC of the local time zone at `now`, for the dates the
 * pages print (report_page.c). */
long tpt__utc_offset(int64_t now);

/* The service of the calendar's clinic with that id; TPT_ERR_INPUT when
 * none (calendar.c, for booking.c). */
int tpt__calendar_service(const tpt_calendar *cal, int64_t id, tpt_service *out, tpt_error *err);

#endif
