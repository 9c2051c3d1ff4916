/* libFuzzer harness: a clinic's item-text file, which must be merged whole
 * over the instrument it names or refused with a located message, leaving
 * every instrument's text as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/instruments.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* One set for every input: a refused file must leave it exactly as it
     * was, which the checks below see on the next input too. After a merge
     * the set is loaded afresh, so that no text carries over. */
    static tpt_instruments *set;
    if (!set && !(set = tpt_instruments_default(NULL))) abort();
    tpt_error err = {0};
    int rc = tpt_instruments_add_text(set, (const char *)data, size, "fuzz.json", &err);
    size_t merged = 0;
    for (size_t i = 0; i < set->count; i++) {
        const tpt_instrument *in = set->items[i];
        if (!in->text_file) {
            /* untouched: licensed instruments still have no text at all */
            for (size_t k = 0; in->licence.text_from_clinic && k < in->nitems; k++) {
                if (in->items[k].text || in->items[k].nanchors) abort();
                for (size_t o = 0; o < in->items[k].noptions; o++)
                    if (in->items[k].options[o].text) abort();
            }
            continue;
        }
        merged++;
        for (size_t k = 0; k < in->nitems; k++) {
            const tpt_item *item = &in->items[k];
            if (!item->text) abort();
            for (size_t o = 0; o < item->noptions; o++) {
                bool scored = false;
                for (size_t v = 0; v < item->nvalues; v++)
                    scored = scored || item->values[v] == item->options[o].value;
                if (!item->options[o].text || !scored) abort();
            }
        }
    }
    if (rc == 0 ? merged != 1
                : merged != 0 || err.status != TPT_ERR_DATA ||
                      strncmp(err.message, "fuzz.json", 9) != 0)
        abort();
    if (rc == 0) {
        tpt_instruments_free(set);
        set = NULL;
    }
    return 0;
}
