/* libFuzzer harness: screen answers, which must be read whole or refused with
 * a located message, never half, and whose result holds together. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tpt_screen_def *def;
    if (!def && !(def = tpt_screen_def_default(NULL))) abort();
    tpt_answers answers;
    tpt_error err = {0};
    if (tpt_answers_parse(def, (const char *)data, size, "fuzz.json", &answers, &err) != 0) {
        if (err.status != TPT_ERR_INPUT || !err.message[0]) abort();
        for (size_t i = 0; i < def->nquestions; i++)
            if (answers.answer[i].state != TPT_UNANSWERED) abort();
        return 0;
    }
    tpt_screen_result r;
    tpt_screen_evaluate(def, &answers, &r);
    if (r.level > TPT_LEVEL_EMERGENCY || r.complete != (r.nmissing == 0)) abort();
    /* what a clear screen waits on is always still worth asking */
    for (size_t i = 0; i < r.nmissing; i++)
        if (!tpt_screen_question_needed(&r, r.missing[i])) abort();
    for (size_t i = 0; i < r.nflags; i++)
        if (def->rules[r.flags[i]].level > r.level) abort();
    return 0;
}
