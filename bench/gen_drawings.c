/* Writes random plausible pain drawings, one a line, for the benchmark: each
 * drawing comes from one to three causes of the built-in atlas, drawn by
 * their priors, marking each zone region with its probability and a kind
 * drawn from the cause's kind shares, plus a rare stray mark.
 *
 *     gen_drawings COUNT [SEED] > drawings.txt */
#include <stdio.h>
#include <stdlib.h>

#include "tpt/atlas.h"

/* xorshift64*: small, fast and the same on every machine for a given seed. */
static unsigned long long state;
static double uniform(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (double)((state * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
}

static int pick_cause(const tpt_atlas *atlas, double total)
{
    double x = uniform() * total;
    for (size_t c = 0; c < atlas->ncauses; c++) {
        x -= atlas->causes[c].prior.value;
        if (x <= 0) return (int)c;
    }
    return (int)atlas->ncauses - 1;
}

static tpt_kind pick_kind(const double *share)
{
    double total = 0;
    for (int k = 0; k < TPT_KIND_COUNT; k++)
        total += share[k];
    double x = uniform() * total;
    for (int k = 0; k < TPT_KIND_COUNT; k++) {
        x -= share[k];
        if (x <= 0) return (tpt_kind)k;
    }
    return TPT_ACHE;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: gen_drawings COUNT [SEED]\n");
        return 2;
    }
    long count = strtol(argv[1], NULL, 10);
    state = argc == 3 ? strtoull(argv[2], NULL, 10) * 2654435761ULL + 1 : 88172645463325252ULL;
    tpt_error err = {0};
    tpt_regions *regions = tpt_regions_default(&err);
    tpt_atlas *atlas = regions ? tpt_atlas_default(regions, &err) : NULL;
    if (!atlas) {
        fprintf(stderr, "gen_drawings: %s\n", err.message);
        return 1;
    }
    double total = 0;
    for (size_t c = 0; c < atlas->ncauses; c++)
        total += atlas->causes[c].prior.value;

    for (long i = 0; i < count; i++) {
        int kind_of[TPT_MAX_REGIONS];
        for (size_t r = 0; r < regions->count; r++)
            kind_of[r] = -1;
        int ncauses = 1 + (uniform() < 0.3) + (uniform() < 0.1);
        tpt_side side = uniform() < 0.5 ? TPT_LEFT : TPT_RIGHT;
        size_t marked = 0;
        for (int n = 0; n < ncauses; n++) {
            const tpt_cause *c = &atlas->causes[pick_cause(atlas, total)];
            for (size_t z = 0; z < c->nzone; z++) {
                int r = tpt_region_at(regions, c->zone[z].key, side);
                if (kind_of[r] < 0 && uniform() < c->zone[z].p) {
                    kind_of[r] = pick_kind(c->kinds);
                    marked++;
                }
            }
        }
        if (marked == 0 || uniform() < 0.05) {
            int r = (int)(uniform() * (double)regions->count);
            if (kind_of[r] < 0) kind_of[r] = TPT_ACHE;
        }
        int first = 1;
        for (size_t r = 0; r < regions->count; r++) {
            if (kind_of[r] < 0) continue;
            printf("%s%s", first ? "" : " ", regions->region[r].id);
            if (kind_of[r] != TPT_ACHE) printf(":%s", tpt_kind_name((tpt_kind)kind_of[r]));
            first = 0;
        }
        putchar('\n');
    }
    tpt_atlas_free(atlas);
    tpt_regions_free(regions);
    return ferror(stdout) ? 1 : 0;
}
