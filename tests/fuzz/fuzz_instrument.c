/* libFuzzer harness: an instrument definition, which must load whole or be
 * refused with a located message, and once loaded score without surprises. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/instruments.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tpt_instruments *set = tpt_instruments_new(NULL);
    if (!set) abort();
    tpt_error err = {0};
    if (tpt_instruments_add(set, (const char *)data, size, "fuzz.json", &err) != 0) {
        if (set->count != 0 || err.status != TPT_ERR_DATA ||
            strncmp(err.message, "fuzz.json", 9) != 0)
            abort();
        tpt_instruments_free(set);
        return 0;
    }
    /* every item at its highest value: a score within the stated range */
    const tpt_instrument *in = set->items[0];
    tpt_item_answer answers[TPT_INSTRUMENT_MAX_ITEMS];
    for (size_t i = 0; i < in->nitems; i++)
        answers[i] = (tpt_item_answer){in->items[i].id, in->items[i].max};
    tpt_score s;
    if (tpt_instrument_score(in, answers, in->nitems, &s, &err) != 0 || !s.scored ||
        !(s.value >= in->min - 1e-9 && s.value <= in->max + 1e-9))
        abort();
    (void)tpt_score_meaningful_change(in, in->max, in->min);
    tpt_instruments_free(set);
    return 0;
}
