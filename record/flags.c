/* The red flags that stand in a person's record (record/flags.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "record/flags.h"

static tpt_level level_of(json_t *o)
{
    tpt_level level;
    const char *name = json_string_value(json_object_get(o, "level"));
    /* a flag of unknown level, or of none, is not taken lightly */
    return name && tpt_level_parse(name, &level) == 0 ? level : TPT_LEVEL_URGENT;
}

size_t tpt_standing_flags(const tpt_record_list *records, tpt_level *level, char **advice)
{
    size_t count = 0;
    *level = TPT_LEVEL_NONE;
    *advice = NULL;
    for (size_t r = 0; r < records->count; r++) {
        const tpt_record *rec = &records->items[r];
        if (rec->kind != TPT_RECORD_SCREEN && rec->kind != TPT_RECORD_DRAWING) continue;
        json_t *root = rec->json ? json_loads(rec->json, 0, NULL) : NULL;
        if (rec->kind == TPT_RECORD_SCREEN && json_is_true(json_object_get(root, "complete")) &&
            level_of(root) < TPT_LEVEL_URGENT) {
            /* a complete screen without a serious sign: what came before no longer stands */
            count = 0;
            *level = TPT_LEVEL_NONE;
            free(*advice);
            *advice = NULL;
        }
        /* a screen's flags, or the warnings a saved drawing raised by itself */
        json_t *list = json_object_get(root, rec->kind == TPT_RECORD_SCREEN ? "flags" : "warnings");
        size_t i;
        json_t *flag;
        json_array_foreach(list, i, flag)
        {
            tpt_level lv = level_of(flag);
            count++;
            /* the most serious; of equal ones the latest, whose advice is current */
            if (count == 1 || lv >= *level) {
                *level = lv;
                const char *text = json_string_value(json_object_get(flag, "advice"));
                if (text) {
                    free(*advice);
                    *advice = strdup(text);
                }
            }
        }
        json_decref(root);
    }
    return count;
}
