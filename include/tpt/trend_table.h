/* An outcome measure's course as printed pages show it: per instrument the
 * first and the latest score, the change, the smallest change that matters
 * (MCID) and whether it was reached. The letters and the progress report
 * print the same table, each with its own way of writing a date. */
#ifndef TPT_TREND_TABLE_H
#define TPT_TREND_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/buf.h"
#include "tpt/instruments.h"
#include "tpt/words.h"

/* One instrument's course: the first and the latest score. */
typedef struct tpt_measure_trend {
    const char *id;                   /* the instrument's id */
    const tpt_instrument *instrument; /* its name, direction and MCID; NULL if unknown */
    double baseline, latest;
    int64_t baseline_at, latest_at;
    size_t count;    /* how many times it was measured */
    bool meaningful; /* the change reaches the MCID for the better */
} tpt_measure_trend;

/* Writes a date the page's way ("22 Nov 2026"). */
typedef void tpt_date_writer(tpt_buf *b, int64_t t, const void *ctx);

/* The table (class "measures"), its columns headed `first` and `latest`
 * (given in the page's language); with no trend, a sentence saying none was
 * taken. Its own words in the language of `words` (NULL: English); the
 * instruments' names and bands stay in the words they were validated in.
 * Uses the classes n, muted, small, nowrap, yes and no of
 * tpt_trend_table_css. */
void tpt_trend_table_html(tpt_buf *b, const tpt_measure_trend *trends, size_t n, const char *first,
                          const char *latest, tpt_date_writer *date, const void *ctx,
                          const tpt_words *words);

/* The style rules those classes need, for a page that has none of its own. */
extern const char tpt_trend_table_css[];

#endif
