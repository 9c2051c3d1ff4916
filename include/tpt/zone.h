/* Time zones: a clinic's wall clock from the IANA time zone database. The
 * core reads a zone from the bytes of its compiled file (TZif, RFC 8536, as
 * /usr/share/zoneinfo holds them), given by the caller; where the files
 * live is the programs' business (record/zone_file.c).
 *
 * A zone answers two questions: the offset from UTC at a moment, and the
 * moment of a local wall time. The second has no single answer twice a
 * year: a wall time skipped when clocks go forward is taken as the same
 * number of minutes after the change (02:30 on a spring-forward night at
 * 02:00 is 03:30), and a wall time that happens twice when clocks go back is
 * taken at its first occurrence, as a person who books "01:30" means the
 * first one they will meet. */
#ifndef TPT_ZONE_H
#define TPT_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/error.h"

#define TPT_ZONE_NAME_MAX 64 /* bytes of an IANA zone name ("America/Argentina/Buenos_Aires") */
#define TPT_ZONE_FILE_MAX 0x40000 /* bytes of a compiled zone file; the largest are ~4 KiB */

typedef struct tpt_zone tpt_zone;

/* Reads a zone from the bytes of its TZif file; `name` is kept for messages
 * and answers. The caller frees it with tpt_zone_free (NULL is safe).
 * TPT_ERR_DATA when the bytes are not a zone file. */
tpt_zone *tpt_zone_parse(const unsigned char *data, size_t len, const char *name, tpt_error *err);
/* UTC itself, needing no file. */
tpt_zone *tpt_zone_utc(void);
void tpt_zone_free(tpt_zone *zone);
const char *tpt_zone_name(const tpt_zone *zone);
/* Whether `name` has the shape of a zone name: letters, digits, '_', '-',
 * '+' and '/' between parts, no part "." or "..", at most TPT_ZONE_NAME_MAX
 * bytes. It says nothing of whether such a zone exists. */
bool tpt_zone_name_ok(const char *name);

/* The offset from UTC (seconds east) at a moment, and whether it is summer
 * time there (may be NULL). */
long tpt_zone_offset(const tpt_zone *zone, int64_t utc, bool *dst);

/* How a wall time met the zone's clock. */
typedef enum tpt_local_kind {
    TPT_LOCAL_ONCE = 0, /* it happens once */
    TPT_LOCAL_SKIPPED,  /* the clocks jumped over it: the moment after the jump */
    TPT_LOCAL_TWICE,    /* it happens twice: the first of them */
} tpt_local_kind;

/* The moment (seconds since 1970 UTC) of a local wall time given as seconds
 * since 1970-01-01 00:00 on that wall clock; *kind (may be NULL) says how. */
int64_t tpt_zone_to_utc(const tpt_zone *zone, int64_t local, tpt_local_kind *kind);
/* The wall time (seconds since 1970-01-01 00:00 on the wall clock) of a moment. */
int64_t tpt_zone_to_local(const tpt_zone *zone, int64_t utc);

#endif
