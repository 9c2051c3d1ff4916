/* libFuzzer harness: the region table loader. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tpt_error err = {0};
    tpt_regions *r = tpt_regions_load((const char *)data, size, "fuzz.json", &err);
    if (!r && (err.status == TPT_OK || strncmp(err.message, "fuzz.json:", 10) != 0)) abort();
    if (r && (r->perineum < 0 || r->count == 0)) abort();
    tpt_regions_free(r);
    return 0;
}
