/* libFuzzer harness: the plan file a guided session reads. Whatever it holds,
 * a program comes out only when the plan allows self-treatment. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tpt_error err = {0};
    tpt_program *p = tpt_program_read((const char *)data, size, "fuzz.json", &err);
    if (!p) {
        if (err.status == TPT_OK || !err.message[0]) abort();
        return 0;
    }
    if (p->nsteps == 0 || !p->stop_advice) abort();
    for (size_t i = 0; i < p->nsteps; i++)
        if (p->steps[i].repeats < 1 || p->steps[i].hold_seconds < 1) abort();
    tpt_program_free(p);
    return 0;
}
