/* Reading a zone's compiled file (record/zone_file.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/program.h"
#include "record/zone_file.h"

tpt_zone *tpt_zone_load(const char *name, tpt_error *err)
{
    if (!tpt_zone_name_ok(name)) {
        tpt_error_set(err, TPT_ERR_INPUT,
                      "'%s' is not a time zone name such as Europe/London or America/New_York",
                      name ? name : "");
        return NULL;
    }
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    char *data = NULL;
    size_t len = 0;
    tpt_error read_err = {0};
    if (tpt_file_read(path, TPT_ZONE_FILE_MAX, &data, &len, &read_err) != 0) {
        if (strcmp(name, "UTC") == 0) return tpt_zone_utc(); /* a machine without tzdata */
        tpt_error_set(err, read_err.status == TPT_ERR_NOMEM ? TPT_ERR_NOMEM : TPT_ERR_INPUT,
                      "no time zone '%s' in the time zone database (%s)", name,
                      dir && *dir ? dir : "/usr/share/zoneinfo");
        return NULL;
    }
    tpt_error parse_err = {0};
    tpt_zone *zone = tpt_zone_parse((const unsigned char *)data, len, name, &parse_err);
    free(data);
    if (!zone)
        tpt_error_set(err, TPT_ERR_INPUT, "no time zone '%s' in the time zone database", name);
    return zone;
}
