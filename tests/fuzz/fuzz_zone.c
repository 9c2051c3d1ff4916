/* libFuzzer harness: a compiled time zone file (TZif). Whatever it holds,
 * a zone comes out only with offsets within a day of UTC, and a wall time
 * read back through it gives a moment whose wall time is within the jump. */
#include <stdint.h>
#include <stdlib.h>

#include "tpt/zone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tpt_error err = {0};
    tpt_zone *z = tpt_zone_parse(data, size, "Fuzz/Zone", &err);
    if (!z) {
        if (err.status != TPT_ERR_DATA || !err.message[0]) abort();
        return 0;
    }
    static const int64_t moments[] = {-2208988800, 0,          1000000000,
                                      1795250999,  2500000000, 4102444800};
    for (size_t i = 0; i < sizeof moments / sizeof *moments; i++) {
        long off = tpt_zone_offset(z, moments[i], NULL);
        if (off <= -26 * 3600 || off >= 26 * 3600) abort();
        int64_t local = moments[i] + off;
        int64_t back = tpt_zone_to_utc(z, local, NULL);
        int64_t again = tpt_zone_to_local(z, back);
        if (again - local > 26 * 3600 || local - again > 26 * 3600) abort();
    }
    tpt_zone_free(z);
    return 0;
}
