/* libFuzzer harness: the examination finding parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/atlas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tpt_regions *regions;
    static tpt_atlas *atlas;
    if (!atlas) {
        regions = tpt_regions_default(NULL);
        atlas = tpt_atlas_default(regions, NULL);
        if (!atlas) abort();
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    tpt_finding f;
    tpt_error err;
    if (tpt_finding_parse(atlas, text, &f, &err) == 0) {
        if (f.finding < 0 || (size_t)f.finding >= atlas->nfindings) abort();
    } else if (err.status != TPT_ERR_INPUT || !err.message[0]) {
        abort();
    }
    free(text);
    return 0;
}
