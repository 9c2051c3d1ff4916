/* The printable one-page handout of a plan: one self-contained HTML page
 * with its own CSS, no scripts, fonts or other outside resources. */
#ifndef TPT_HANDOUT_H
#define TPT_HANDOUT_H

#include "tpt/buf.h"
#include "tpt/plan.h"

/* Writes the page into buf (replacing its content). Returns 0 or TPT_ERR_NOMEM. */
int tpt_plan_write_html(const tpt_atlas *atlas, const tpt_techniques *techniques,
                        const tpt_plan *plan, tpt_buf *buf);

#endif
