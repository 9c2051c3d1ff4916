/* A practitioner's working hours and the slots open in them, on a clinic's
 * wall clock (tpt/zone.h): the weekly hours per location, breaks and days
 * off as JSON; open slots for a service's length around what is booked; the
 * times of a course of care booked at once. Pure arithmetic: the zone, the
 * hours and what is busy come from the caller.
 *
 * Working hours as JSON:
 *   {"weekly": [{"day": "mon", "from": "09:00", "to": "17:00", "location": 1}, ...],
 *    "breaks": [{"day": "mon", "from": "12:30", "to": "13:15"}, ...],
 *    "off":    [{"from": "2026-12-24", "to": "2026-12-31"}, ...]}
 * Days are mon ... sun; times HH:MM of the wall clock, "24:00" ends a day;
 * a location 0 (or none) is any of the clinic's; days off are whole local
 * days, both ends counted. */
#ifndef TPT_AVAILABILITY_H
#define TPT_AVAILABILITY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/error.h"
#include "tpt/time.h"
#include "tpt/zone.h"

#define TPT_HOURS_SPANS_MAX 70   /* weekly spans (or breaks): ten a day */
#define TPT_HOURS_OFF_MAX 100    /* stretches of days off */
#define TPT_HOURS_TEXT_MAX 16384 /* bytes of the hours as JSON */

typedef struct tpt_span {
    int day;          /* 1 Monday ... 7 Sunday */
    int from, to;     /* minutes after midnight, from < to <= 1440 */
    int64_t location; /* 0: any */
} tpt_span;

typedef struct tpt_hours {
    size_t nweekly, nbreaks, noff;
    tpt_span weekly[TPT_HOURS_SPANS_MAX];
    tpt_span breaks[TPT_HOURS_SPANS_MAX];
    struct {
        int64_t from, to; /* days since 1970-01-01, both counted */
    } off[TPT_HOURS_OFF_MAX];
} tpt_hours;

/* Reads hours from JSON text (NULL or "": none at all). TPT_ERR_INPUT names
 * the field ("weekly[2].to: ...") and what is wrong: an unknown day, a time
 * not HH:MM, an end not after its start, two spans of a day overlapping,
 * more than the bounds. */
int tpt_hours_parse(const char *json, tpt_hours *out, tpt_error *err);
/* The hours as JSON, in the form tpt_hours_parse reads (new reference). */
json_t *tpt_hours_json(const tpt_hours *h);

/* Whether [start, end) (UTC seconds) lies within one working span of its
 * local day at `location` (0: any), clear of breaks and days off. */
bool tpt_hours_cover(const tpt_zone *zone, const tpt_hours *h, int64_t location, int64_t start,
                     int64_t end);

/* The working spans of a local day at `location` (0: any), breaks cut out,
 * none on a day off; at most max, in the order of the day. */
size_t tpt_hours_of_day(const tpt_hours *h, int64_t day, int64_t location, tpt_span *out,
                        size_t max);

typedef struct tpt_busy {
    int64_t from, to; /* UTC seconds */
} tpt_busy;

typedef struct tpt_slot {
    int64_t start, end; /* UTC seconds */
    int64_t location;   /* the working span's (0: any) */
} tpt_slot;

/* What open slots are asked for. */
typedef struct tpt_slot_query {
    const tpt_zone *zone;
    const tpt_hours *hours;
    int64_t location;     /* 0: any */
    int64_t first_day;    /* local days since 1970-01-01 */
    int days;             /* how many, 1 to 62 */
    int minutes;          /* the service's length */
    int step;             /* starts on this grid of the wall clock, minutes (5-120) */
    const tpt_busy *busy; /* booked and held, any order */
    size_t nbusy;
    int64_t not_before; /* no start before this moment (now, with some notice) */
} tpt_slot_query;

/* The open slots, in time order, at most `max`; how many there are. A start
 * the clocks skip is left out; one that happens twice is its first. */
size_t tpt_open_slots(const tpt_slot_query *q, tpt_slot *out, size_t max);

/* ---- a course of care booked at once ---- */

/* Reassessment falls at the third visit and at the last of the planned course. */
#define TPT_FIRST_REASSESSMENT 3
bool tpt_course_reassessment(int visit, int planned);

typedef struct tpt_spacing {
    int per_week;   /* 1-7 visits a week, spread through it, or */
    int every_days; /* 1-28 days apart (used when per_week is 0) */
} tpt_spacing;

/* The wall times of `count` visits (1-50) from the first (local seconds),
 * each at the first's time of day: every_days apart, or per_week a week on
 * days spread evenly from the first (two: days 0 and 3 of each week; three:
 * 0, 2 and 4). TPT_ERR_INPUT for a spacing or count out of range. */
int tpt_series_local(int64_t first_local, tpt_spacing spacing, int count, int64_t *out,
                     tpt_error *err);

/* ---- wall times as people type them ---- */

/* "2026-11-24T10:00" (or with :SS) as local seconds: 0, or TPT_ERR_INPUT. */
int tpt_local_parse(const char *text, int64_t *local);
/* "2026-11-24" as days since 1970-01-01: 0, or TPT_ERR_INPUT. */
int tpt_date_parse(const char *text, int64_t *day);
/* Local seconds as "2026-11-24T10:00". */
void tpt_local_format(int64_t local, char out[TPT_TIME_MAX]);
/* Minutes after midnight (0-1440) as "HH:MM" in JSON ("24:00" ends a day). */
json_t *tpt_minutes_json(int minutes);
/* The weekday of a day since 1970: 1 Monday ... 7 Sunday. */
int tpt_weekday(int64_t day);
/* "mon" ... "sun" of 1-7; "?" otherwise. */
const char *tpt_weekday_id(int day);

#endif
