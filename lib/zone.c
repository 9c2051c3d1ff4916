/* Time zones from compiled TZif files (RFC 8536): the table of transitions,
 * then the POSIX TZ rule of the file's footer for the years past it. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tpt/time.h"
#include "tpt/zone.h"

#define DAY 86400
#define TYPES_MAX 256 /* a type index is one byte */

/* The day a POSIX rule's change falls on, and the wall time of it. */
typedef struct rule_day {
    char form;   /* 'J' (1-365, no Feb 29), 'D' (0-365), 'M' (month.week.weekday) */
    int n;       /* for J and D */
    int m, w, d; /* for M: month 1-12, week 1-5 (5: the last), weekday 0 (Sunday)-6 */
    long at;     /* seconds after local midnight, -167 h to 167 h */
} rule_day;

/* A footer's rule: standard time, and summer time with its two changes. */
typedef struct posix_rule {
    long std, dst; /* seconds east of UTC */
    bool has_dst;
    rule_day start, end; /* the change to summer time (in standard time), and back (in summer) */
} posix_rule;

typedef struct zone_type {
    long offset;
    bool dst;
} zone_type;

struct tpt_zone {
    char name[TPT_ZONE_NAME_MAX + 1];
    size_t ntrans, ntypes;
    int64_t *trans;         /* moments of the changes, ascending */
    unsigned char *type_of; /* the type each change begins */
    zone_type *types;
    bool has_rule;
    posix_rule rule;
};

bool tpt_zone_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > TPT_ZONE_NAME_MAX || name[0] == '/' || name[n - 1] == '/') return false;
    for (const char *part = name; *part;) {
        size_t len = strcspn(part, "/");
        if (len == 0 || (len == 1 && part[0] == '.') || (len == 2 && strncmp(part, "..", 2) == 0))
            return false;
        for (size_t i = 0; i < len; i++) {
            char c = part[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '+' || c == '.'))
                return false;
        }
        part += len + (part[len] == '/');
    }
    return true;
}

/* ---- the POSIX TZ rule of the footer ---- */

/* Reads a number of at most `digits` digits. */
static bool read_number(const char **p, int digits, long *out)
{
    long v = 0;
    int n = 0;
    while (**p >= '0' && **p <= '9' && n < digits) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *out = v;
    return n > 0;
}

/* [+-]hh[:mm[:ss]] as seconds, hours up to max_hours. */
static bool read_hms(const char **p, long max_hours, long *out)
{
    long sign = 1, h, m = 0, s = 0;
    if (**p == '+' || **p == '-') sign = *(*p)++ == '-' ? -1 : 1;
    if (!read_number(p, 3, &h) || h > max_hours) return false;
    if (**p == ':' && (++*p, !read_number(p, 2, &m) || m > 59)) return false;
    if (**p == ':' && (++*p, !read_number(p, 2, &s) || s > 59)) return false;
    *out = sign * (h * 3600 + m * 60 + s);
    return true;
}

/* A zone abbreviation: three or more letters, or <...> of letters, digits and signs. */
static bool read_abbreviation(const char **p)
{
    const char *start = *p;
    if (**p == '<') {
        while (*++*p && **p != '>')
            if (!((**p >= 'A' && **p <= 'Z') || (**p >= 'a' && **p <= 'z') ||
                  (**p >= '0' && **p <= '9') || **p == '+' || **p == '-'))
                return false;
        if (**p != '>' || *p - start < 4) return false;
        (*p)++;
        return true;
    }
    while ((**p >= 'A' && **p <= 'Z') || (**p >= 'a' && **p <= 'z'))
        (*p)++;
    return *p - start >= 3;
}

static bool read_rule_day(const char **p, rule_day *out)
{
    long a, b, c;
    memset(out, 0, sizeof *out);
    out->at = 2 * 3600; /* the default time of a change: 02:00 */
    if (**p == 'M') {
        (*p)++;
        if (!read_number(p, 2, &a) || a < 1 || a > 12 || *(*p)++ != '.' || !read_number(p, 1, &b) ||
            b < 1 || b > 5 || *(*p)++ != '.' || !read_number(p, 1, &c) || c > 6)
            return false;
        out->form = 'M';
        out->m = (int)a, out->w = (int)b, out->d = (int)c;
    } else if (**p == 'J') {
        (*p)++;
        if (!read_number(p, 3, &a) || a < 1 || a > 365) return false;
        out->form = 'J', out->n = (int)a;
    } else {
        if (!read_number(p, 3, &a) || a > 365) return false;
        out->form = 'D', out->n = (int)a;
    }
    if (**p == '/') {
        (*p)++;
        if (!read_hms(p, 167, &out->at)) return false;
    }
    return true;
}

/* "EST5EDT,M3.2.0,M11.1.0", "<+0330>-3:30", "IST-1GMT0,M10.5.0,M3.5.0/1"... */
static bool read_rule(const char *text, size_t len, posix_rule *out)
{
    char tz[128];
    if (len >= sizeof tz) return false;
    memcpy(tz, text, len);
    tz[len] = '\0';
    const char *p = tz;
    memset(out, 0, sizeof *out);
    long west;
    if (!read_abbreviation(&p) || !read_hms(&p, 24, &west)) return false;
    out->std = -west;
    if (!*p) return true;
    if (!read_abbreviation(&p)) return false;
    out->has_dst = true;
    out->dst = out->std + 3600;
    if (*p && *p != ',') {
        if (!read_hms(&p, 24, &west)) return false;
        out->dst = -west;
    }
    if (*p != ',') { /* summer time without its changes: POSIX leaves them to the system */
        out->start = (rule_day){'M', 0, 3, 2, 0, 2 * 3600};
        out->end = (rule_day){'M', 0, 11, 1, 0, 2 * 3600};
        return !*p;
    }
    p++;
    if (!read_rule_day(&p, &out->start) || *p++ != ',' || !read_rule_day(&p, &out->end))
        return false;
    return *p == '\0';
}

static bool leap_year(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The day (since 1970) a rule's change falls on in year y. */
static int64_t rule_date(const rule_day *r, int64_t y)
{
    int64_t jan1 = tpt_days_from_civil(y, 1, 1);
    if (r->form == 'J') return jan1 + r->n - 1 + (leap_year(y) && r->n >= 60);
    if (r->form == 'D') return jan1 + r->n;
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int length = month_days[r->m - 1] + (r->m == 2 && leap_year(y));
    int64_t first = tpt_days_from_civil(y, r->m, 1);
    int weekday = (int)((first % 7 + 11) % 7); /* 1970-01-01 was a Thursday (4) */
    int day = 1 + (r->d - weekday + 7) % 7 + 7 * (r->w - 1);
    while (day > length)
        day -= 7;
    return first + day - 1;
}

static long rule_offset(const posix_rule *r, int64_t t, bool *dst)
{
    *dst = false;
    if (!r->has_dst) return r->std;
    tpt_civil c = tpt_civil_at(t, r->std);
    int64_t start = rule_date(&r->start, c.year) * DAY + r->start.at - r->std;
    int64_t end = rule_date(&r->end, c.year) * DAY + r->end.at - r->dst;
    /* in the southern hemisphere summer time spans the new year */
    *dst = start < end ? t >= start && t < end : !(t >= end && t < start);
    return *dst ? r->dst : r->std;
}

/* ---- the file ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct header {
    char version;
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} header;

static bool read_header(const unsigned char *p, size_t len, header *h)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0) return false;
    h->version = (char)p[4];
    h->isutcnt = be32(p + 20), h->isstdcnt = be32(p + 24), h->leapcnt = be32(p + 28);
    h->timecnt = be32(p + 32), h->typecnt = be32(p + 36), h->charcnt = be32(p + 40);
    return h->typecnt >= 1 && h->typecnt <= TYPES_MAX && h->timecnt <= TPT_ZONE_FILE_MAX &&
           h->leapcnt <= TPT_ZONE_FILE_MAX && h->charcnt <= TPT_ZONE_FILE_MAX &&
           (h->isutcnt == 0 || h->isutcnt == h->typecnt) &&
           (h->isstdcnt == 0 || h->isstdcnt == h->typecnt);
}

/* Bytes of the data block after a header, with times of `size` bytes. */
static size_t block_size(const header *h, size_t size)
{
    return h->timecnt * size + h->timecnt + h->typecnt * 6 + h->charcnt + h->leapcnt * (size + 4) +
           h->isstdcnt + h->isutcnt;
}

static tpt_zone *zone_new(const char *name)
{
    tpt_zone *z = calloc(1, sizeof *z);
    if (z) memcpy(z->name, name, strnlen(name, TPT_ZONE_NAME_MAX));
    return z;
}

tpt_zone *tpt_zone_parse(const unsigned char *data, size_t len, const char *name, tpt_error *err)
{
    header h;
    if (!read_header(data, len, &h) || block_size(&h, 4) > len - 44) {
        tpt__fail(err, TPT_ERR_DATA, "%s is not a time zone file", name);
        return NULL;
    }
    const unsigned char *p = data + 44;
    size_t size = 4, left = len - 44;
    if (h.version >= '2') { /* 64-bit times follow the 32-bit ones */
        size_t skip = block_size(&h, 4);
        if (!read_header(p + skip, left - skip, &h) || block_size(&h, 8) > left - skip - 44) {
            tpt__fail(err, TPT_ERR_DATA, "%s is not a time zone file", name);
            return NULL;
        }
        p += skip + 44;
        left -= skip + 44;
        size = 8;
    }
    tpt_zone *z = zone_new(name);
    if (!z || !(z->types = calloc(h.typecnt, sizeof *z->types)) ||
        (h.timecnt && (!(z->trans = calloc(h.timecnt, sizeof *z->trans)) ||
                       !(z->type_of = calloc(h.timecnt, 1))))) {
        tpt_zone_free(z);
        tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    z->ntrans = h.timecnt;
    z->ntypes = h.typecnt;
    for (size_t i = 0; i < h.timecnt; i++)
        z->trans[i] = size == 8 ? be64(p + 8 * i) : (int32_t)be32(p + 4 * i);
    p += h.timecnt * size;
    bool ok = true;
    for (size_t i = 0; i < h.timecnt; i++) {
        z->type_of[i] = p[i];
        ok &= p[i] < h.typecnt && (i == 0 || z->trans[i] > z->trans[i - 1]);
    }
    p += h.timecnt;
    for (size_t i = 0; i < h.typecnt; i++, p += 6) {
        int32_t offset = (int32_t)be32(p);
        ok &= offset > -25 * 3600 && offset < 26 * 3600 && p[4] <= 1;
        z->types[i] = (zone_type){offset, p[4] == 1};
    }
    size_t used = block_size(&h, size);
    if (ok && size == 8 && left > used + 1 && data[len - (left - used)] == '\n') {
        const char *footer = (const char *)data + len - (left - used) + 1;
        const char *newline = memchr(footer, '\n', left - used - 1);
        ok = newline != NULL;
        if (ok && newline > footer)
            ok = z->has_rule = read_rule(footer, (size_t)(newline - footer), &z->rule);
    }
    if (!ok) {
        tpt_zone_free(z);
        tpt__fail(err, TPT_ERR_DATA, "%s is not a time zone file", name);
        return NULL;
    }
    return z;
}

tpt_zone *tpt_zone_utc(void)
{
    tpt_zone *z = zone_new("UTC");
    if (z && !(z->types = calloc(1, sizeof *z->types))) {
        free(z);
        return NULL;
    }
    if (z) z->ntypes = 1;
    return z;
}

void tpt_zone_free(tpt_zone *z)
{
    if (!z) return;
    free(z->trans);
    free(z->type_of);
    free(z->types);
    free(z);
}

const char *tpt_zone_name(const tpt_zone *z)
{
    return z->name;
}

long tpt_zone_offset(const tpt_zone *z, int64_t t, bool *dst)
{
    bool summer = false;
    long offset;
    if ((z->ntrans == 0 || t >= z->trans[z->ntrans - 1]) && z->has_rule) {
        offset = rule_offset(&z->rule, t, &summer);
    } else if (z->ntrans == 0 || t < z->trans[0]) {
        offset = z->types[0].offset, summer = z->types[0].dst;
    } else {
        size_t lo = 0, hi = z->ntrans; /* the last change at or before t */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (z->trans[mid] <= t)
                lo = mid;
            else
                hi = mid;
        }
        const zone_type *type = &z->types[z->type_of[lo]];
        offset = type->offset, summer = type->dst;
    }
    if (dst) *dst = summer;
    return offset;
}

int64_t tpt_zone_to_local(const tpt_zone *z, int64_t utc)
{
    return utc + tpt_zone_offset(z, utc, NULL);
}

int64_t tpt_zone_to_utc(const tpt_zone *z, int64_t local, tpt_local_kind *kind)
{
    /* The offsets a day before and a day after: no zone changes its clock
     * twice within two days, so the wall time is one of these two. */
    long before = tpt_zone_offset(z, local - DAY, NULL),
         after = tpt_zone_offset(z, local + DAY, NULL);
    int64_t a = local - before, b = local - after;
    bool a_ok = tpt_zone_offset(z, a, NULL) == before, b_ok = tpt_zone_offset(z, b, NULL) == after;
    tpt_local_kind k = TPT_LOCAL_ONCE;
    int64_t t;
    if (a_ok && b_ok && a != b)
        t = a < b ? a : b, k = TPT_LOCAL_TWICE;
    else if (a_ok || b_ok)
        t = a_ok ? a : b;
    else /* in the jump: as many minutes after it as the wall time is past its start */
        t = a, k = TPT_LOCAL_SKIPPED;
    if (kind) *kind = k;
    return t;
}
