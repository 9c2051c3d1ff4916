/* The printable handout of a plan: one self-contained HTML page with its
 * own CSS, no scripts, fonts or other outside resources. Each step of the
 * home program carries its picture (tpt/pictures.h); where to press is
 * drawn on the body chart. */
#ifndef TPT_HANDOUT_H
#define TPT_HANDOUT_H

#include "tpt/buf.h"
#include "tpt/chart.h"
#include "tpt/plan.h"
#include "tpt/words.h"

typedef struct tpt_handout {
    const tpt_atlas *atlas;
    const tpt_techniques *techniques;
    const tpt_plan *plan;
    const tpt_regions *regions; /* with chart: where to press drawn; NULL leaves it out */
    const tpt_chart *chart;
    const tpt_words *words; /* the page's language (tpt_words_load("en") for English) */
} tpt_handout;

/* Writes the page into buf (replacing its content). Returns 0 or TPT_ERR_NOMEM. */
int tpt_plan_write_html(const tpt_handout *handout, tpt_buf *buf);

#endif
