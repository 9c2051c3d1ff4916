/* Inference: which causes most likely explain a pain drawing, and why.
 * The model is described in docs/clinical-basis.md. */
#ifndef TPT_INFER_H
#define TPT_INFER_H

#include <stdbool.h>
#include <stddef.h>

#include "tpt/atlas.h"
#include "tpt/body.h"

#define TPT_MAX_FINDINGS 32        /* findings given with one drawing */
#define TPT_MAX_CANDIDATES 10      /* candidates reported */
#define TPT_MIN_CANDIDATE_P 0.0005 /* below this a candidate would print as probability 0 */
#define TPT_MAX_EXPLANATION 3      /* causes in the best explanation */

typedef enum tpt_pattern { TPT_MYOFASCIAL = 0, TPT_RADICULAR, TPT_MIXED, TPT_UNCLEAR } tpt_pattern;

/* A cause on one side. */
typedef struct tpt_cause_ref {
    int cause; /* index into atlas->causes */
    tpt_side side;
} tpt_cause_ref;

typedef struct tpt_candidate {
    tpt_cause_ref ref;
    double probability; /* posterior probability that this cause is active */
} tpt_candidate;

typedef struct tpt_result {
    tpt_pattern pattern;
    size_t ncandidates;
    tpt_candidate candidates[TPT_MAX_CANDIDATES];
    /* A candidate on either side: the drawing reaches the cause only through
     * midline regions, so the sides cannot be told apart; its ref.side is
     * TPT_RIGHT and its probability that of either side. */
    bool either_side[TPT_MAX_CANDIDATES];
    size_t nexplanation;
    tpt_cause_ref explanation[TPT_MAX_EXPLANATION];
    bool explanation_either[TPT_MAX_EXPLANATION]; /* as either_side */
    size_t nunexplained;
    int unexplained[TPT_MAX_REGIONS]; /* marked regions no cause of the explanation explains */
    unsigned warnings;                /* bit (1 << tpt_warning_id) per warning raised */
    size_t nfindings;                 /* the findings weighed, as given */
    tpt_finding findings[TPT_MAX_FINDINGS];
} tpt_result;

/* Ranks the causes for a drawing with optional findings. An empty drawing is
 * an input error. The result is complete or the call fails: never partial. */
int tpt_infer(const tpt_atlas *atlas, const tpt_drawing *drawing, const tpt_finding *findings,
              size_t nfindings, tpt_result *out, tpt_error *err);

/* Whether findings may be weighed together, as tpt_infer checks them: at
 * most TPT_MAX_FINDINGS, none given twice, and no test given both as found
 * and as found normal on one side (slr:r with slr-negative:r). */
int tpt_findings_check(const tpt_atlas *atlas, const tpt_finding *findings, size_t n,
                       tpt_error *err);

/* The working memory of a ranking. tpt_infer makes and frees one per call; a
 * caller ranking many drawings (a batch, a case set) makes one with
 * tpt_infer_work_new and passes it to tpt_infer_with each time, one per
 * thread. NULL when out of memory; tpt_infer_work_free(NULL) does nothing. */
typedef struct tpt_infer_work tpt_infer_work;
tpt_infer_work *tpt_infer_work_new(void);
void tpt_infer_work_free(tpt_infer_work *work);
int tpt_infer_with(tpt_infer_work *work, const tpt_atlas *atlas, const tpt_drawing *drawing,
                   const tpt_finding *findings, size_t nfindings, tpt_result *out, tpt_error *err);

/* The warnings a drawing raises by itself (bit 1 << tpt_warning_id each):
 * numbness or tingling in the saddle area, or numbness, tingling or burning
 * in both legs, raise cauda-equina; otherwise pain that radiates in both legs
 * (along the thigh or the lower leg, or around two joints of it; an ache
 * around one joint on each side does not) raises bilateral-sciatica; other
 * saddle symptoms raise saddle-pain, numbness elsewhere numbness. tpt_infer
 * adds cauda-equina for weakness findings on both sides. */
unsigned tpt_drawing_warnings(const tpt_regions *regions, const tpt_drawing *drawing);

/* Parses the marks of one drawing. When a mark is bad the call fails, and
 * *warnings still holds the warnings of everything that could be read, so
 * that a typo never hides a saddle or both-legs warning; a saddle mark whose
 * kind could not be read counts as numbness. */
int tpt_drawing_parse(const tpt_regions *regions, char *const *marks, size_t n, tpt_drawing *out,
                      unsigned *warnings, tpt_error *err);

/* The likelihood ratio a finding gives a cause on a side: the cause's own
 * ratio for it, tender_lr for a tender trigger point of its muscle, or 0 when
 * the finding does not bear on it. */
double tpt_finding_lr(const tpt_atlas *atlas, const tpt_finding *finding, tpt_cause_ref ref);

/* Probability that `ref` gives a symptom in `region` (0 when outside its zone). */
double tpt_cause_region_p(const tpt_atlas *atlas, tpt_cause_ref ref, int region);
/* Whether a trigger point that reproduces the familiar pain when pressed
 * could bring on this mark: a low back, buttock or leg region of its side (or
 * the midline) from the highest level of its core zone down, and not numbness,
 * which pressing does not bring on. */
bool tpt_reproduces(const tpt_atlas *atlas, tpt_cause_ref ref, const tpt_mark *mark);
/* Probability that `ref` gives this mark as drawn: its zone's probability
 * times its kind multiplier; for a trigger point that a tender finding among
 * `findings` names, at least the atlas's tender_reach where it reproduces. */
double tpt_mark_p(const tpt_atlas *atlas, tpt_cause_ref ref, const tpt_mark *mark,
                  const tpt_finding *findings, size_t nfindings);
/* How a cause fits a drawing: the marked regions it explains (in drawing
 * order; with a tender finding, those it reproduces too) and the core regions
 * of its zone that were not marked. */
typedef struct tpt_fit {
    size_t nexplains, nmissing;
    int explains[TPT_MAX_REGIONS];
    int missing[TPT_MAX_ZONE];
} tpt_fit;
void tpt_cause_fit(const tpt_atlas *atlas, const tpt_drawing *drawing, const tpt_finding *findings,
                   size_t nfindings, tpt_cause_ref ref, tpt_fit *out);

const char *tpt_pattern_name(tpt_pattern pattern); /* "myofascial", ... */
/* The pattern in one plain sentence, for people. */
const char *tpt_pattern_sentence(tpt_pattern pattern);

#endif
