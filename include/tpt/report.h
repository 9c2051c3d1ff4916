/* The report: one self-contained HTML page of a person's record (pain over
 * time, where the drawings marked pain, the current plan, the sessions and
 * the progress verdict) that prints to a clean PDF from a browser. Its charts
 * are SVG drawn here; no scripts, fonts or anything else from outside. The
 * writer works on plain values the caller gathers: no store, no clock. */
#ifndef TPT_REPORT_H
#define TPT_REPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/body.h"
#include "tpt/buf.h"
#include "tpt/chart.h"
#include "tpt/progress.h"
#include "tpt/trend_table.h"
#include "tpt/words.h"

/* Rows of the sessions table: the latest this many, with totals of all. */
#define TPT_REPORT_SESSION_ROWS 60

/* One guided session that began. Times are seconds since the epoch. */
typedef struct tpt_report_session {
    int64_t time;
    const char *end;             /* "completed", "stopped", "sharp-or-new-pain" */
    int steps_done, steps_total; /* -1 when not known */
    int pain_before, pain_after; /* 0-10, or -1 when not given */
} tpt_report_session;

typedef struct tpt_report_input {
    const char *patient; /* the name shown in the title, or NULL */
    int64_t now;         /* the date of the report */
    long utc_offset;     /* seconds east of UTC: times are shown in this zone */

    /* Pain ratings (leg, back 0-10, -1 when not given), in any order, and
     * each one's note (may be NULL, as may any note). */
    const tpt_pain_point *pain;
    const char *const *notes;
    size_t npain;

    /* Sessions, in any order; those that ended "sharp-or-new-pain" are marked apart. */
    const tpt_report_session *sessions;
    size_t nsessions;

    /* Drawings: marks[i] is how many of the ndrawings marked region i of
     * `regions` (regions->count entries). With `chart` (loaded with the same
     * regions) the heat map draws each of its views, a region the darker the
     * larger the share of drawings that marked it; a table of the regions by
     * count follows (and stands alone without a chart). */
    const tpt_regions *regions;
    const unsigned *marks;
    size_t ndrawings;
    const tpt_chart *chart;

    /* The latest plan as tpt plan --json prints it (borrowed), or NULL, and
     * when it was made. */
    const json_t *plan;
    int64_t plan_time;

    /* Outcome measures: each instrument's first and latest score against its
     * MCID (none: no section). */
    const tpt_measure_trend *measures;
    size_t nmeasures;

    /* The verdict and the rules behind it; flag_advice is the most serious
     * screen flag's advice (shown beside a verdict other than stop), or NULL. */
    const tpt_progress *progress;
    const tpt_progress_rules *rules;
    const char *flag_advice;

    /* The page's language (tpt/words.h): its own words, the verdict's
     * sentence, the region labels and the flag's advice are shown in it;
     * NULL: English. The plan's texts are shown as given (translate them
     * first with tpt_words_translate). */
    const tpt_words *words;
} tpt_report_input;

/* Writes the page into out (its old contents are replaced). Returns 0, or
 * TPT_ERR_NOMEM when memory ran out. */
int tpt_report_write_html(const tpt_report_input *in, tpt_buf *out);

#endif
