/* A visit's drawing with a serious warning, kept as a drawing of the record
 * (record/visit_warning.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "record/visit_warning.h"
#include "tpt/buf.h"
#include "tpt/level.h"

/* Whether a map result's warnings hold one that stops self-treatment. */
static bool serious(const json_t *answer)
{
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(answer, "warnings"), i, w)
    {
        tpt_level level;
        const char *name = json_string_value(json_object_get(w, "level"));
        if (!name || tpt_level_parse(name, &level) != 0 || !TPT_SELF_CARE_ALLOWED(level))
            return true;
    }
    return false;
}

int tpt_visit_warning_keep(tpt_store *store, const tpt_record *base, const char *note,
                           const char *result, bool *kept, tpt_error *err)
{
    *kept = false;
    json_t *answers = result ? json_loads(result, 0, NULL) : NULL;
    json_t *answer = json_object_get(answers, "with_findings");
    if (!serious(answer)) {
        json_decref(answers);
        return 0;
    }
    /* the marks as typed, as a drawing of the record keeps them */
    json_t *n = json_loads(note ? note : "", 0, NULL);
    tpt_buf typed = {0};
    size_t i;
    json_t *mark;
    json_array_foreach(json_object_get(json_object_get(n, "objective"), "marks"), i, mark)
    {
        if (i) tpt_buf_puts(&typed, " ");
        tpt_buf_puts(&typed, json_string_value(mark) ? json_string_value(mark) : "");
    }
    json_decref(n);
    char *text = json_dumps(answer, JSON_COMPACT | JSON_PRESERVE_ORDER);
    const char *pattern = json_string_value(json_object_get(answer, "pattern"));
    int rc = 0;
    if (!text || typed.failed || !typed.data) {
        rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    } else {
        tpt_record r = *base;
        r.kind = TPT_RECORD_DRAWING;
        r.clinician = true;
        r.summary = (char *)(pattern ? pattern : "unclear");
        r.input = typed.data;
        r.json = text;
        rc = tpt_store_record_add(store, &r, NULL, err);
        *kept = rc == 0;
    }
    free(text);
    tpt_buf_free(&typed);
    json_decref(answers);
    return rc;
}
