/* The patient's report page (tpt report, GET /patients/ID/report): the
 * record gathered from the store into the plain input of lib/report.c. */
#ifndef TPT_RECORD_REPORT_PAGE_H
#define TPT_RECORD_REPORT_PAGE_H

#include "store.h"
#include "tpt/buf.h"
#include "tpt/chart.h"
#include "tpt/instruments.h"
#include "tpt/progress.h"
#include "tpt/words.h"

/* What the page is drawn with; chart and instruments may be NULL (then the
 * page has no body chart, or no outcome measures). */
typedef struct tpt_report_sources {
    const tpt_progress_rules *rules;
    const tpt_regions *regions;
    const tpt_chart *chart;
    const tpt_instruments *instruments;
    const tpt_words *words; /* the page's language; NULL: English */
} tpt_report_sources;

/* The page, appended to html, as of `now` (seconds since 1970, UTC; dates are
 * shown in the local time zone); 0, or a status with err filled. */
int tpt_report_page(tpt_store *store, int64_t patient, const tpt_report_sources *src, int64_t now,
                    tpt_buf *html, tpt_error *err);

#endif
