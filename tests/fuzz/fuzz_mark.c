/* libFuzzer harness: a batch line (marks separated by spaces) through the mark
 * parser and, when it parses, the inference and the JSON writer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/infer.h"
#include "tpt/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tpt_regions *regions;
    static tpt_atlas *atlas;
    static tpt_drawing drawing;
    if (!atlas) {
        regions = tpt_regions_default(NULL);
        atlas = tpt_atlas_default(regions, NULL);
        if (!atlas) abort();
    }
    char *line = malloc(size + 1);
    memcpy(line, data, size);
    line[size] = '\0';
    drawing.count = 0;
    int ok = 1;
    for (char *tok = strtok(line, " \t\n"); tok && ok; tok = strtok(NULL, " \t\n")) {
        tpt_mark mark;
        tpt_error err;
        ok = tpt_mark_parse(regions, tok, &mark, &err) == 0 &&
             tpt_drawing_add(&drawing, regions, &mark, &err) == 0;
        if (!ok && (err.status != TPT_ERR_INPUT || !err.message[0])) abort();
    }
    tpt_result result;
    if (ok && tpt_infer(atlas, &drawing, NULL, 0, &result, NULL) == 0) {
        for (size_t i = 0; i < result.ncandidates; i++) {
            double p = result.candidates[i].probability;
            if (!(p >= 0 && p <= 1.0000001)) abort();
        }
        tpt_buf buf = {0};
        if (tpt_result_write_json(atlas, &drawing, &result, &buf) != 0) abort();
        json_t *parsed = json_loadb(buf.data, buf.len, 0, NULL);
        if (!parsed) abort(); /* the writer must always produce valid JSON */
        json_decref(parsed);
        tpt_buf_free(&buf);
    }
    free(line);
    return 0;
}
