#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "tpt/text.h"
#include "tpt/time.h"

#define DAY 86400

/* Marked as texts people read: a letter shows them in its language. */
static const char *const month_names[] = {
    TPT_TEXT("January"),   TPT_TEXT("February"), TPT_TEXT("March"),    TPT_TEXT("April"),
    TPT_TEXT("May"),       TPT_TEXT("June"),     TPT_TEXT("July"),     TPT_TEXT("August"),
    TPT_TEXT("September"), TPT_TEXT("October"),  TPT_TEXT("November"), TPT_TEXT("December")};

const char *tpt_month_name(int month)
{
    return month >= 1 && month <= 12 ? month_names[month - 1] : "?";
}

int64_t tpt_floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* H. Hinnant's days_from_civil and civil_from_days. */
int64_t tpt_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = tpt_floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void tpt_civil_from_days(int64_t z, tpt_civil *c)
{
    z += 719468;
    int64_t era = tpt_floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    memset(c, 0, sizeof *c);
    c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->year = yoe + era * 400 + (c->month <= 2);
}

tpt_civil tpt_civil_at(int64_t t, long utc_offset)
{
    tpt_civil c;
    int64_t local = t + utc_offset;
    int64_t day = tpt_floor_div(local, DAY), secs = local - day * DAY;
    tpt_civil_from_days(day, &c);
    c.hour = (int)(secs / 3600);
    c.minute = (int)(secs % 3600 / 60);
    c.second = (int)(secs % 60);
    return c;
}

void tpt_time_format(int64_t seconds, char out[TPT_TIME_MAX])
{
    tpt_civil c = tpt_civil_at(seconds, 0);
    snprintf(out, TPT_TIME_MAX, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)c.year, c.month,
             c.day, c.hour, c.minute, c.second);
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* The fields of a stored time when it has the shape and names a real moment. */
static bool read_time(const char *at, tpt_civil *c)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!at || strlen(at) != sizeof shape - 1) return false;
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? (at[i] < '0' || at[i] > '9') : at[i] != shape[i]) return false;
    *c = (tpt_civil){digits(at, 4),      digits(at + 5, 2),  digits(at + 8, 2),
                     digits(at + 11, 2), digits(at + 14, 2), digits(at + 17, 2)};
    bool leap = (c->year % 4 == 0 && c->year % 100 != 0) || c->year % 400 == 0;
    return c->month >= 1 && c->month <= 12 && c->day >= 1 && c->day <= days[c->month - 1] &&
           !(c->month == 2 && c->day == 29 && !leap) && c->hour <= 23 && c->minute <= 59 &&
           c->second <= 59;
}

int tpt_time_parse(const char *at, int64_t *seconds)
{
    tpt_civil c;
    if (!read_time(at, &c)) return TPT_ERR_INPUT;
    *seconds = tpt_days_from_civil(c.year, c.month, c.day) * DAY + c.hour * 3600 + c.minute * 60 +
               c.second;
    return 0;
}

int tpt_time_check(const char *at, tpt_error *err)
{
    tpt_civil c;
    if (read_time(at, &c) && c.year >= 2000 && c.year <= 2100) return 0;
    return tpt__fail(err, TPT_ERR_INPUT,
                     "time '%s' is not a moment of the form 2026-11-21T08:30:00Z (2000-2100)",
                     at ? at : "");
}
