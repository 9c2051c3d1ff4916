/* libFuzzer harness: the case file loader of tpt eval, which must refuse any
 * malformed file with a located message and never crash or leak; a file it
 * takes must run through the evaluation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/eval.h"

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
    tpt_error err = {0};
    tpt_cases *cases = tpt_cases_load(atlas, (const char *)data, size, "fuzz.json", &err);
    if (!cases) {
        if (err.status == TPT_OK || strncmp(err.message, "fuzz.json:", 10) != 0) abort();
        return 0;
    }
    tpt_eval eval = {0};
    for (size_t i = 0; i < cases->count; i++) {
        if (tpt_eval_case(&eval, atlas, &cases->cases[i], &err) != 0) abort();
    }
    if (eval.n + eval.nwarn != cases->count || eval.top1 > eval.top3) abort();
    tpt_eval_free(&eval);
    tpt_cases_free(cases);
    return 0;
}
