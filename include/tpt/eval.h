/* Evaluation of the engine against a case set: published patients whose cause
 * was established, each translated into a drawing and findings
 * (data/cases/README.md has the format and the rules of translation). A file
 * of cases is checked as strictly as the atlas; the figures are those of
 * `tpt eval` (docs/internals/eval.md). */
#ifndef TPT_EVAL_H
#define TPT_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "tpt/atlas.h"
#include "tpt/body.h"
#include "tpt/infer.h"
#include "tpt/level.h"

#define TPT_CASES_FILE_MAX (16u << 20) /* bytes of a case file the command line reads */
#define TPT_CASE_MAX_CAUSES 8          /* accepted or further causes of one case */

typedef enum tpt_split { TPT_SPLIT_TUNE = 0, TPT_SPLIT_HELD_OUT, TPT_SPLIT_COUNT } tpt_split;

/* One case. A diagnosis case has an established cause (and may accept
 * others the source cannot tell from it, and name further causes of a mixed
 * case); a warning case has the warning level its drawing should raise. */
typedef struct tpt_case {
    const char *id, *citation; /* citation: "Authors (year). Title. Journal." */
    tpt_split split;
    bool is_warning;
    /* diagnosis cases */
    tpt_cause_ref established;
    size_t naccept, nalso;
    tpt_cause_ref accept[TPT_CASE_MAX_CAUSES], also[TPT_CASE_MAX_CAUSES];
    tpt_pattern pattern; /* myofascial, radicular or mixed */
    /* warning cases: none, urgent or emergency */
    tpt_level expected_warning;
    tpt_drawing drawing;
    size_t nfindings;
    tpt_finding findings[TPT_MAX_FINDINGS];
} tpt_case;

typedef struct tpt_cases {
    size_t count;
    tpt_case *cases;
    struct tpt__arena *arena;
} tpt_cases;

/* Loads and checks a case file ({"format": "tpt-cases", "version": 1,
 * "cases": [...]}) against the atlas: every cause, side, mark and finding
 * must be one the atlas knows. On a bad file returns NULL with err saying
 * "name:line:column: case 'ID': FIELD: what is wrong" (TPT_ERR_INPUT). The
 * caller owns the result (tpt_cases_free); it borrows nothing. */
tpt_cases *tpt_cases_load(const tpt_atlas *atlas, const char *text, size_t len, const char *name,
                          tpt_error *err);
void tpt_cases_free(tpt_cases *cases);

const char *tpt_split_name(tpt_split split); /* "tune", "held-out" */
int tpt_split_parse(const char *name, tpt_split *out);

/* Probability bins of the reliability table: tenths. */
#define TPT_EVAL_BINS 10

/* A diagnosis case whose first candidate was not right, or whose pattern was. */
typedef struct tpt_eval_miss {
    const tpt_case *c;   /* borrowed: the cases must outlive the evaluation */
    bool top1;           /* the first candidate was right */
    tpt_candidate first; /* probability 0 and cause -1 when none was listed */
    int truth_rank;      /* 0-based rank of the best right candidate, -1 when not listed */
    double truth_p;
    tpt_pattern pattern; /* as called */
} tpt_eval_miss;

/* A warning case whose raised level was not the expected one. */
typedef struct tpt_eval_warning_miss {
    const tpt_case *c;
    tpt_level raised;
} tpt_eval_warning_miss;

/* Kinds of a first candidate in the confusion between muscles and roots. */
enum { TPT_EVAL_TP = 0, TPT_EVAL_ROOT, TPT_EVAL_NONE };

typedef struct tpt_eval {
    /* diagnosis cases */
    size_t n, top1, top3, pattern;
    size_t kinds[2][3];    /* established kind (trigger point, root) x first candidate's kind */
    size_t patterns[3][4]; /* the case's pattern x the pattern called */
    struct {
        size_t n, right;
        double p; /* sum of the probabilities */
    } bins[TPT_EVAL_BINS];
    double brier, brier_first; /* sums; see tpt_eval_brier */
    size_t brier_n;
    size_t nmisses, misses_cap;
    tpt_eval_miss *misses;
    /* warning cases: expected (none, urgent, emergency as levels) x raised */
    size_t nwarn, warn_agree;
    size_t warnings[TPT_LEVEL_EMERGENCY + 1][TPT_LEVEL_EMERGENCY + 1];
    size_t nwarn_misses, warn_misses_cap;
    tpt_eval_warning_miss *warn_misses;
} tpt_eval;

/* Runs the engine on one case and adds it to the figures. Fails only when
 * the engine refuses the case or memory runs out. */
int tpt_eval_case(tpt_eval *eval, const tpt_atlas *atlas, const tpt_case *c, tpt_error *err);
/* Brier scores: of the listed candidates (every candidate of every case,
 * right or not, and each right cause left off the list at probability 0),
 * and of the first candidate alone. NaN when there are no diagnosis cases. */
double tpt_eval_brier(const tpt_eval *eval);
double tpt_eval_brier_first(const tpt_eval *eval);
/* Whether a raised level agrees with the expected one: "soon" (see a doctor
 * within a week or two) is not a red flag and agrees with "none". */
bool tpt_eval_warning_agrees(tpt_level expected, tpt_level raised);
/* The most serious level of a set of warning bits (tpt_result.warnings). */
tpt_level tpt_warnings_level(const tpt_atlas *atlas, unsigned warnings);
void tpt_eval_free(tpt_eval *eval);

#endif
