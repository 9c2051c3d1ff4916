/* Group fixture of the unit tests that work on the built-in regions and atlas. */
#ifndef TPT_TEST_DEFAULT_DATA_H
#define TPT_TEST_DEFAULT_DATA_H

#include "tpt/atlas.h"

static tpt_regions *regions;
static tpt_atlas *atlas;

static int load_default_data(void **state)
{
    (void)state;
    regions = tpt_regions_default(NULL);
    atlas = regions ? tpt_atlas_default(regions, NULL) : NULL;
    return atlas ? 0 : -1;
}

static int free_default_data(void **state)
{
    (void)state;
    tpt_atlas_free(atlas);
    tpt_regions_free(regions);
    return 0;
}

#endif
