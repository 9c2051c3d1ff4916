/* Where to press, drawn on the body chart: what the handout of a plan and
 * the summary letter of a visit share. Internal to libtpt. */
#ifndef TPT_PRESS_CHART_H
#define TPT_PRESS_CHART_H

#include <stddef.h>

#include "tpt/atlas.h"
#include "tpt/buf.h"
#include "tpt/chart.h"
#include "tpt/words.h"

/* The body chart with each step's place to press coloured, and under it the
 * places with the steps that press them ("Buttock, middle part (right) -
 * steps 2, 3"). site[i] is the region index pressed by step i + 1, or -1.
 * The front and back views are drawn where they show a place, a side view
 * only for a place neither shows. Nothing when no step presses; words NULL:
 * English. */
void tpt__press_chart(tpt_buf *b, const tpt_chart *chart, const tpt_regions *regions,
                      const int *site, size_t nsteps, const tpt_words *words);

/* The region where a pressure step on `cause` (an atlas index) at `side`
 * ("r", "l") presses: the cause's site on that side, or -1. */
int tpt__press_site(const tpt_atlas *atlas, const tpt_regions *regions, int cause,
                    const char *side);

#endif
