/* libFuzzer harness: a practitioner's working hours as JSON. Whatever they
 * hold, hours come out only in range and written back they read the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/availability.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    static tpt_hours h, again;
    tpt_error err = {0};
    if (tpt_hours_parse(text, &h, &err) != 0) {
        if (err.status != TPT_ERR_INPUT || !err.message[0]) abort();
        free(text);
        return 0;
    }
    for (size_t i = 0; i < h.nweekly; i++)
        if (h.weekly[i].day < 1 || h.weekly[i].day > 7 || h.weekly[i].from >= h.weekly[i].to ||
            h.weekly[i].to > 1440)
            abort();
    json_t *j = tpt_hours_json(&h);
    char *back = json_dumps(j, 0);
    if (!back || tpt_hours_parse(back, &again, NULL) != 0 || memcmp(&h, &again, sizeof h) != 0)
        abort();
    free(back);
    json_decref(j);
    free(text);
    return 0;
}
