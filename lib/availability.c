/* Working hours, open slots and the times of a course of care, on a
 * clinic's wall clock (tpt/availability.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tpt/availability.h"

#define DAY 86400

static const char *const weekday_ids[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

const char *tpt_weekday_id(int day)
{
    return day >= 1 && day <= 7 ? weekday_ids[day - 1] : "?";
}

int tpt_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday */
    return (int)((day % 7 + 7 + 3) % 7) + 1;
}

/* ---- wall times as typed ---- */

static bool digits_at(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static int number_at(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int tpt_date_parse(const char *t, int64_t *day)
{
    static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!t || strlen(t) != 10 || !digits_at(t, 4) || t[4] != '-' || !digits_at(t + 5, 2) ||
        t[7] != '-' || !digits_at(t + 8, 2))
        return TPT_ERR_INPUT;
    int y = number_at(t, 4), m = number_at(t + 5, 2), d = number_at(t + 8, 2);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > month_days[m - 1] ||
        (m == 2 && d == 29 && !leap))
        return TPT_ERR_INPUT;
    *day = tpt_days_from_civil(y, m, d);
    return 0;
}

int tpt_local_parse(const char *t, int64_t *local)
{
    int64_t day;
    char date[11];
    size_t n = t ? strlen(t) : 0;
    if (n != 16 && n != 19) return TPT_ERR_INPUT;
    memcpy(date, t, 10);
    date[10] = '\0';
    if (tpt_date_parse(date, &day) != 0 || t[10] != 'T' || !digits_at(t + 11, 2) || t[13] != ':' ||
        !digits_at(t + 14, 2) || (n == 19 && (t[16] != ':' || !digits_at(t + 17, 2))))
        return TPT_ERR_INPUT;
    int h = number_at(t + 11, 2), m = number_at(t + 14, 2), s = n == 19 ? number_at(t + 17, 2) : 0;
    if (h > 23 || m > 59 || s > 59) return TPT_ERR_INPUT;
    *local = day * DAY + h * 3600 + m * 60 + s;
    return 0;
}

void tpt_local_format(int64_t local, char out[TPT_TIME_MAX])
{
    tpt_civil c = tpt_civil_at(local, 0);
    snprintf(out, TPT_TIME_MAX, "%04lld-%02d-%02dT%02d:%02d", (long long)c.year, c.month, c.day,
             c.hour, c.minute);
}

/* ---- the hours as JSON ---- */

/* Fails naming the field: "weekly[2].to: must be ..." */
static int bad(tpt_error *err, const char *list, size_t i, const char *key, const char *what)
{
    if (key) return tpt__fail(err, TPT_ERR_INPUT, "%s[%zu].%s: %s", list, i, key, what);
    return tpt__fail(err, TPT_ERR_INPUT, "%s[%zu]: %s", list, i, what);
}

/* "HH:MM" as minutes, "24:00" allowed when `end`; -1 when not a time. */
static int minutes_of(const char *t, bool end)
{
    if (!t || strlen(t) != 5 || !digits_at(t, 2) || t[2] != ':' || !digits_at(t + 3, 2)) return -1;
    int h = number_at(t, 2), m = number_at(t + 3, 2);
    if (m > 59 || h > 24 || (h == 24 && (m || !end))) return -1;
    return h * 60 + m;
}

static bool only_keys(const json_t *o, const char *const *keys)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        bool known = false;
        for (const char *const *k = keys; *k; k++)
            known |= strcmp(*k, key) == 0;
        if (!known) return false;
    }
    return true;
}

static int read_span(const json_t *o, const char *list, size_t i, bool with_location, tpt_span *s,
                     tpt_error *err)
{
    static const char *const span_keys[] = {"day", "from", "to", "location", NULL};
    static const char *const break_keys[] = {"day", "from", "to", NULL};
    if (!json_is_object(o)) return bad(err, list, i, NULL, "must be an object {day, from, to}");
    if (!only_keys(o, with_location ? span_keys : break_keys))
        return bad(err, list, i, NULL,
                   with_location ? "takes day, from, to and location" : "takes day, from and to");
    const char *day = json_string_value(json_object_get(o, "day"));
    s->day = 0;
    for (int d = 1; day && d <= 7; d++)
        if (strcmp(day, weekday_ids[d - 1]) == 0) s->day = d;
    if (!s->day) return bad(err, list, i, "day", "must be mon, tue, wed, thu, fri, sat or sun");
    s->from = minutes_of(json_string_value(json_object_get(o, "from")), false);
    if (s->from < 0) return bad(err, list, i, "from", "must be a time HH:MM from 00:00 to 23:59");
    s->to = minutes_of(json_string_value(json_object_get(o, "to")), true);
    if (s->to < 0) return bad(err, list, i, "to", "must be a time HH:MM from 00:01 to 24:00");
    if (s->to <= s->from) return bad(err, list, i, "to", "must be after from");
    const json_t *loc = json_object_get(o, "location");
    s->location = 0;
    if (loc && !json_is_null(loc)) {
        if (!json_is_integer(loc) || json_integer_value(loc) < 0)
            return bad(err, list, i, "location", "must be a location's id (or 0 for any)");
        s->location = json_integer_value(loc);
    }
    return 0;
}

static int read_spans(const json_t *doc, const char *list, bool with_location, tpt_span *spans,
                      size_t *n, tpt_error *err)
{
    const json_t *a = json_object_get(doc, list);
    *n = 0;
    if (!a || json_is_null(a)) return 0;
    if (!json_is_array(a)) return tpt__fail(err, TPT_ERR_INPUT, "%s: must be a list", list);
    if (json_array_size(a) > TPT_HOURS_SPANS_MAX)
        return tpt__fail(err, TPT_ERR_INPUT, "%s: has more than %d spans", list,
                         TPT_HOURS_SPANS_MAX);
    for (size_t i = 0; i < json_array_size(a); i++) {
        int rc = read_span(json_array_get(a, i), list, i, with_location, &spans[i], err);
        if (rc) return rc;
        for (size_t k = 0; k < i; k++)
            if (spans[k].day == spans[i].day && spans[k].from < spans[i].to &&
                spans[i].from < spans[k].to)
                return bad(err, list, i, NULL, "overlaps another span of the same day");
        (*n)++;
    }
    return 0;
}

static int read_off(const json_t *doc, tpt_hours *h, tpt_error *err)
{
    static const char *const keys[] = {"from", "to", "note", NULL};
    const json_t *a = json_object_get(doc, "off");
    if (!a || json_is_null(a)) return 0;
    if (!json_is_array(a)) return tpt__fail(err, TPT_ERR_INPUT, "off: must be a list");
    if (json_array_size(a) > TPT_HOURS_OFF_MAX)
        return tpt__fail(err, TPT_ERR_INPUT, "off: has more than %d stretches", TPT_HOURS_OFF_MAX);
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *o = json_array_get(a, i);
        if (!json_is_object(o) || !only_keys(o, keys))
            return bad(err, "off", i, NULL, "must be an object {from, to}");
        const char *to = json_string_value(json_object_get(o, "to"));
        if (tpt_date_parse(json_string_value(json_object_get(o, "from")), &h->off[i].from) != 0)
            return bad(err, "off", i, "from", "must be a date YYYY-MM-DD");
        if (!to) to = json_string_value(json_object_get(o, "from"));
        if (tpt_date_parse(to, &h->off[i].to) != 0)
            return bad(err, "off", i, "to", "must be a date YYYY-MM-DD");
        if (h->off[i].to < h->off[i].from)
            return bad(err, "off", i, "to", "must not be before from");
        h->noff++;
    }
    return 0;
}

int tpt_hours_parse(const char *text, tpt_hours *out, tpt_error *err)
{
    static const char *const keys[] = {"weekly", "breaks", "off", NULL};
    memset(out, 0, sizeof *out);
    if (!text || !*text) return 0;
    if (strlen(text) > TPT_HOURS_TEXT_MAX)
        return tpt__fail(err, TPT_ERR_INPUT, "the working hours are longer than %d bytes",
                         TPT_HOURS_TEXT_MAX);
    json_error_t je;
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    int rc;
    if (!doc || !json_is_object(doc))
        rc = tpt__fail(err, TPT_ERR_INPUT, "the working hours are not a JSON object%s%s",
                       doc ? "" : ": ", doc ? "" : je.text);
    else if (!only_keys(doc, keys))
        rc = tpt__fail(err, TPT_ERR_INPUT, "the working hours take weekly, breaks and off");
    else if (!(rc = read_spans(doc, "weekly", true, out->weekly, &out->nweekly, err)) &&
             !(rc = read_spans(doc, "breaks", false, out->breaks, &out->nbreaks, err)))
        rc = read_off(doc, out, err);
    json_decref(doc);
    if (rc) memset(out, 0, sizeof *out);
    return rc;
}

json_t *tpt_minutes_json(int minutes)
{
    char t[8];
    if (minutes < 0 || minutes > 1440) minutes = 0; /* out of a day: never past t */
    snprintf(t, sizeof t, "%02u:%02u", (unsigned)minutes / 60 % 100, (unsigned)minutes % 60);
    return json_string(t);
}

static json_t *spans_json(const tpt_span *spans, size_t n, bool with_location)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s, s:o, s:o}", "day", tpt_weekday_id(spans[i].day), "from",
                              tpt_minutes_json(spans[i].from), "to", tpt_minutes_json(spans[i].to));
        if (with_location) json_object_set_new(o, "location", json_integer(spans[i].location));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *tpt_hours_json(const tpt_hours *h)
{
    json_t *off = json_array();
    for (size_t i = 0; i < h->noff; i++) {
        char from[TPT_TIME_MAX], to[TPT_TIME_MAX];
        tpt_local_format(h->off[i].from * DAY, from);
        tpt_local_format(h->off[i].to * DAY, to);
        from[10] = to[10] = '\0';
        json_array_append_new(off, json_pack("{s:s, s:s}", "from", from, "to", to));
    }
    return json_pack("{s:o, s:o, s:o}", "weekly", spans_json(h->weekly, h->nweekly, true), "breaks",
                     spans_json(h->breaks, h->nbreaks, false), "off", off);
}

/* ---- is a time within the hours? ---- */

static bool day_off(const tpt_hours *h, int64_t day)
{
    for (size_t i = 0; i < h->noff; i++)
        if (day >= h->off[i].from && day <= h->off[i].to) return true;
    return false;
}

/* The working span of `day` holding wall minutes [from, to) at `location`,
 * clear of breaks; NULL when none. */
static const tpt_span *working(const tpt_hours *h, int64_t day, int from, int to, int64_t location)
{
    if (day_off(h, day)) return NULL;
    int wd = tpt_weekday(day);
    for (size_t i = 0; i < h->nbreaks; i++)
        if (h->breaks[i].day == wd && h->breaks[i].from < to && from < h->breaks[i].to) return NULL;
    for (size_t i = 0; i < h->nweekly; i++) {
        const tpt_span *s = &h->weekly[i];
        if (s->day == wd && s->from <= from && to <= s->to &&
            (!location || !s->location || s->location == location))
            return s;
    }
    return NULL;
}

bool tpt_hours_cover(const tpt_zone *zone, const tpt_hours *h, int64_t location, int64_t start,
                     int64_t end)
{
    if (end <= start) return false;
    int64_t local = tpt_zone_to_local(zone, start);
    int64_t day = tpt_floor_div(local, DAY);
    int from = (int)((local - day * DAY) / 60);
    int64_t to = from + (end - start + 59) / 60;
    return to <= 1440 && working(h, day, from, (int)to, location) != NULL;
}

static int by_start(const void *a, const void *b)
{
    const tpt_span *x = a, *y = b;
    return (x->from > y->from) - (x->from < y->from);
}

size_t tpt_hours_of_day(const tpt_hours *h, int64_t day, int64_t location, tpt_span *out,
                        size_t max)
{
    size_t n = 0;
    if (day_off(h, day)) return 0;
    int wd = tpt_weekday(day);
    for (size_t i = 0; i < h->nweekly; i++) {
        const tpt_span *s = &h->weekly[i];
        if (s->day != wd || (location && s->location && s->location != location)) continue;
        /* the span, cut by each break of the day */
        tpt_span pieces[TPT_HOURS_SPANS_MAX + 1] = {*s};
        size_t np = 1;
        for (size_t b = 0; b < h->nbreaks; b++) {
            const tpt_span *br = &h->breaks[b];
            if (br->day != wd) continue;
            for (size_t k = 0; k < np; k++) {
                tpt_span p = pieces[k];
                if (br->to <= p.from || br->from >= p.to) continue;
                pieces[k] = pieces[--np]; /* replaced by what is left of it */
                if (p.from < br->from) pieces[np++] = (tpt_span){wd, p.from, br->from, p.location};
                if (br->to < p.to) pieces[np++] = (tpt_span){wd, br->to, p.to, p.location};
                k = (size_t)-1; /* look again from the start */
            }
        }
        for (size_t k = 0; k < np && n < max; k++)
            out[n++] = pieces[k];
    }
    qsort(out, n, sizeof *out, by_start);
    return n;
}

/* ---- open slots ---- */

static bool clashes(const tpt_slot_query *q, int64_t start, int64_t end)
{
    for (size_t i = 0; i < q->nbusy; i++)
        if (q->busy[i].from < end && start < q->busy[i].to) return true;
    return false;
}

size_t tpt_open_slots(const tpt_slot_query *q, tpt_slot *out, size_t max)
{
    size_t n = 0;
    int step = q->step < 5 ? 5 : q->step > 120 ? 120 : q->step;
    if (q->minutes < 1 || q->minutes > 1440 || q->days < 1 || q->days > 62) return 0;
    for (int64_t day = q->first_day; day < q->first_day + q->days; day++) {
        for (int m = 0; m + q->minutes <= 1440; m += step) {
            const tpt_span *s = working(q->hours, day, m, m + q->minutes, q->location);
            if (!s) continue;
            tpt_local_kind kind;
            int64_t start = tpt_zone_to_utc(q->zone, day * DAY + m * 60, &kind);
            int64_t end = start + q->minutes * 60;
            if (kind == TPT_LOCAL_SKIPPED || start < q->not_before || clashes(q, start, end))
                continue;
            if (n < max) out[n] = (tpt_slot){start, end, s->location ? s->location : q->location};
            n++;
        }
    }
    return n < max ? n : max;
}

/* ---- a course of care booked at once ---- */

bool tpt_course_reassessment(int visit, int planned)
{
    return visit == TPT_FIRST_REASSESSMENT || visit == planned;
}

int tpt_series_local(int64_t first, tpt_spacing sp, int count, int64_t *out, tpt_error *err)
{
    if (count < 1 || count > 50)
        return tpt__fail(err, TPT_ERR_INPUT, "count: a series has 1 to 50 visits");
    if (sp.per_week ? sp.per_week < 1 || sp.per_week > 7 : sp.every_days < 1 || sp.every_days > 28)
        return tpt__fail(err, TPT_ERR_INPUT,
                         "spacing: 1 to 7 visits a week, or every 1 to 28 days");
    for (int k = 0; k < count; k++) {
        int64_t days = sp.per_week
                           ? (int64_t)(k / sp.per_week) * 7 + (k % sp.per_week) * 7 / sp.per_week
                           : (int64_t)k * sp.every_days;
        out[k] = first + days * DAY;
    }
    return 0;
}
