/* Times as the record keeps them, and calendar dates, without the C
 * library's clock or time zone: the caller passes the moment (seconds since
 * 1970-01-01 UTC) and, for local dates, its offset from UTC.
 *
 * A stored time is "2026-11-21T08:30:00Z": UTC, whole seconds, always this
 * shape, so that times sort as text. */
#ifndef TPT_TIME_H
#define TPT_TIME_H

#include <stdint.h>

#include "tpt/error.h"

#define TPT_TIME_MAX 32 /* room for a stored time and its NUL */

/* The stored form of a moment. */
void tpt_time_format(int64_t seconds, char out[TPT_TIME_MAX]);
/* A stored time back into seconds: 0, or TPT_ERR_INPUT when `at` (may be
 * NULL) is not of the stored shape or names no real moment. */
int tpt_time_parse(const char *at, int64_t *seconds);
/* Whether `at` is a stored time of a moment from 2000 to 2100, the times the
 * record keeps: 0, or TPT_ERR_INPUT with a sentence naming it. */
int tpt_time_check(const char *at, tpt_error *err);

/* A date and time of the proleptic Gregorian calendar. */
typedef struct tpt_civil {
    int64_t year;
    int month, day; /* 1-12, 1-31 */
    int hour, minute, second;
} tpt_civil;

/* Days since 1970-01-01 of a date, and the date of such a day. */
int64_t tpt_days_from_civil(int64_t year, int month, int day);
void tpt_civil_from_days(int64_t days, tpt_civil *out);
/* The local date and time of a moment `utc_offset` seconds east of UTC. */
tpt_civil tpt_civil_at(int64_t seconds, long utc_offset);
/* a / b rounded down (days before 1970 are negative). */
int64_t tpt_floor_div(int64_t a, int64_t b);
/* "January" .. "December"; the first three letters are the short name. */
const char *tpt_month_name(int month);

#endif
