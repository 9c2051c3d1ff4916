/* libFuzzer harness: the atlas loader, which must refuse any malformed file
 * with a located message and never crash or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/atlas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tpt_regions *regions;
    if (!regions && !(regions = tpt_regions_default(NULL))) abort();
    tpt_error err = {0};
    tpt_atlas *atlas = tpt_atlas_load(regions, (const char *)data, size, "fuzz.json", &err);
    if (!atlas && (err.status == TPT_OK || strncmp(err.message, "fuzz.json:", 10) != 0)) abort();
    tpt_atlas_free(atlas);
    return 0;
}
