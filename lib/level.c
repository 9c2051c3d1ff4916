#include <string.h>

#include "tpt/error.h"
#include "tpt/level.h"

static const char *const level_names[] = {"none", "soon", "urgent", "emergency"};

const char *tpt_level_name(tpt_level level)
{
    return (unsigned)level <= TPT_LEVEL_EMERGENCY ? level_names[level] : "?";
}

int tpt_level_parse(const char *name, tpt_level *out)
{
    for (int i = TPT_LEVEL_NONE; i <= TPT_LEVEL_EMERGENCY; i++) {
        if (strcmp(level_names[i], name) == 0) {
            *out = (tpt_level)i;
            return 0;
        }
    }
    return TPT_ERR_INPUT;
}

const char *tpt_self_care_name(tpt_level level)
{
    return level >= TPT_LEVEL_URGENT ? "stop"
           : level == TPT_LEVEL_SOON ? "with-caution"
                                     : "allowed";
}
