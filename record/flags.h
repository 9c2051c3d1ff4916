/* The red flags that stand in a person's record: the safety check behind
 * every place that shows self-treatment (the plan, its handout, sessions,
 * letters, the report, the patients list). */
#ifndef TPT_RECORD_FLAGS_H
#define TPT_RECORD_FLAGS_H

#include <stddef.h>

#include "tpt/level.h"
#include "tpt/record.h"

/* The flags standing in a record's screens and drawings (oldest first, as
 * the store lists them): each screen's flags and each saved drawing's
 * warnings stand until a later complete screen below urgent clears them; a
 * flag of an unknown level counts as urgent. Returns how many stand, with
 * the most serious level (the latest of equals) in *level and its advice in
 * *advice (malloc'd, the caller frees; NULL when none stands). */
size_t tpt_standing_flags(const tpt_record_list *records, tpt_level *level, char **advice);

#endif
