/* Progress: leg and back pain over time judged against the smallest change
 * that matters, and the rules that say whether to go on, stop or see a
 * clinician (data/progress.json). The evaluation works on plain values the
 * caller gathers from its record: no store, no clock, no files. */
#ifndef TPT_PROGRESS_H
#define TPT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/error.h"
#include "tpt/level.h"
#include "tpt/sourced.h"

typedef enum tpt_verdict {
    TPT_VERDICT_TOO_EARLY = 0,
    TPT_VERDICT_IMPROVING,
    TPT_VERDICT_NO_CHANGE,
    TPT_VERDICT_WORSENING,
    TPT_VERDICT_RELAPSE,
    TPT_VERDICT_STOP,
    TPT_VERDICT_COUNT
} tpt_verdict;

/* "too-early", "improving", "no-change", "worsening", "relapse", "stop". */
const char *tpt_verdict_name(tpt_verdict verdict);

typedef struct tpt_sourced_text {
    const char *text;
    tpt_strings source;
} tpt_sourced_text;

typedef struct tpt_progress_rules {
    tpt_sources sources;
    tpt_number mcid_points;      /* a fall of this many points counts */
    tpt_number mcid_percent;     /* ... or of this percentage of the first rating */
    tpt_number worsening_points; /* a rise of this many points is worsening */
    tpt_number review_sessions;  /* no meaningful change after this many sessions */
    tpt_number review_weeks;     /* ... or this many weeks: no-change */
    tpt_number early_ratings;    /* fewer ratings of a measure: too early */
    tpt_number early_days;       /* fewer days since the start: too early */
    tpt_level stop_level;        /* a screen flag of at least this level stops */
    tpt_strings stop_source;
    tpt_sourced_text relapse;      /* the relapse rule in words */
    tpt_sourced_text new_symptoms; /* the new numbness or weakness rule in words */
    const char *numb_kind;         /* the mark kind that means numbness ("numb") */
    tpt_strings weakness_keys;     /* screen questions whose yes is new weakness */
    tpt_sourced_text verdicts[TPT_VERDICT_COUNT];
    struct tpt__arena *arena;
} tpt_progress_rules;

/* Loads the rules from JSON text; name is used as name:line:column in
 * messages. The caller owns the result (tpt_progress_rules_free). */
tpt_progress_rules *tpt_progress_rules_load(const char *json, size_t len, const char *name,
                                            tpt_error *err);
tpt_progress_rules *tpt_progress_rules_default(tpt_error *err);
void tpt_progress_rules_free(tpt_progress_rules *rules);

/* One log entry's pain ratings, 0-10, or -1 when not given. Times are
 * seconds since the epoch. */
typedef struct tpt_pain_point {
    int64_t time;
    double leg, back;
} tpt_pain_point;

/* One guided session that was started. */
typedef struct tpt_session_point {
    int64_t time;
    bool sharp; /* it ended for sharp or new pain */
} tpt_session_point;

typedef struct tpt_progress_input {
    const tpt_pain_point *pain; /* in any order */
    size_t npain;
    const tpt_session_point *sessions;
    size_t nsessions;
    /* Flags answered yes in the screens of the record, the most serious
     * level among them and that flag's advice (borrowed; may be NULL). */
    size_t nflags;
    tpt_level flag_level;
    const char *flag_advice;
    bool new_numbness; /* a later drawing marks numbness the first did not */
    bool new_weakness; /* a screen answered yes to a weakness question */
    int64_t now;
} tpt_progress_input;

/* One measure (leg or back pain). Changes are latest minus first: a fall is
 * negative. */
typedef struct tpt_pain_change {
    size_t count; /* ratings given; the rest is meaningful only when > 0 */
    double baseline, latest, best;
    int64_t baseline_time, latest_time;
    double change_points;
    bool has_percent; /* false when the first rating is 0 */
    double change_percent;
    bool improved;      /* latest against first: a fall of the MCID (points or percent) */
    bool improved_ever; /* best against first */
    bool worsened;      /* a rise of worsening_points or more */
    bool relapsed;      /* improved_ever, and the latest no longer improved */
} tpt_pain_change;

typedef struct tpt_progress {
    tpt_verdict verdict;
    const char *sentence; /* the verdict's sentence (owned by the rules) */
    const char *advice;   /* for stop: the screen's advice (borrowed from the input) */
    tpt_pain_change leg, back;
    size_t sessions, sharp_sessions;
    bool started;  /* there is a rating or a session */
    int64_t start; /* the first rating or session */
    long days;     /* whole days from start to now */
    bool early;    /* too few ratings or days to judge improvement or relapse */
    size_t nflags;
    tpt_level flag_level;
    bool new_numbness, new_weakness;
} tpt_progress;

/* Judges the input by the rules, in priority order: a stopping screen flag,
 * worsening (a rise, new numbness or weakness), relapse, improvement,
 * no change after enough sessions or weeks, else too early. */
void tpt_progress_evaluate(const tpt_progress_rules *rules, const tpt_progress_input *in,
                           tpt_progress *out);
/* Whether a fall from `baseline` to `latest` counts under the rules. */
bool tpt_progress_meaningful(const tpt_progress_rules *rules, double baseline, double latest);

#endif
