/* A clinic's time zone from the system's time zone database: the edge
 * where the core's zone reader (tpt/zone.h) meets the files. */
#ifndef TPT_RECORD_ZONE_FILE_H
#define TPT_RECORD_ZONE_FILE_H

#include "tpt/zone.h"

/* The zone of an IANA name, read from $TZDIR (else /usr/share/zoneinfo);
 * "UTC" needs no file. NULL with TPT_ERR_INPUT when the name is not a
 * zone's (or has no file), naming it. The caller frees it. */
tpt_zone *tpt_zone_load(const char *name, tpt_error *err);

#endif
