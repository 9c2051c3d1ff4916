/* Values that carry their sources: every clinical number and text in tpt's
 * data files says where it comes from (a citation key of the file, or a
 * "tpt: ..." sentence where the choice is tpt's own). */
#ifndef TPT_SOURCED_H
#define TPT_SOURCED_H

#include <stddef.h>

typedef struct tpt_strings {
    size_t count;
    const char **items;
} tpt_strings;

typedef struct tpt_number {
    double value;
    tpt_strings source;
} tpt_number;

typedef struct tpt_source {
    const char *key, *text;
} tpt_source;

/* The citation table of a data file. */
typedef struct tpt_sources {
    size_t count;
    tpt_source *items;
} tpt_sources;

/* The citation of a key, or NULL for "tpt: ..." sentences and unknown keys. */
const char *tpt_sources_text(const tpt_sources *sources, const char *key);

#endif
