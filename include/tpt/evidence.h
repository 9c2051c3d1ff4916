/* Explaining an answer of the engine: what each finding did to which causes,
 * and why a cause ranks where it does (`tpt map --why`). The figures are the
 * terms of the model itself (docs/clinical-basis.md), read back for one
 * cause at a time. */
#ifndef TPT_EVIDENCE_H
#define TPT_EVIDENCE_H

#include <stddef.h>

#include "tpt/atlas.h"
#include "tpt/infer.h"

/* The causes a finding bears on, on its side, with the likelihood ratio it
 * gives each, the most favoured first (equals in atlas order); returns how
 * many (at most max). */
size_t tpt_finding_effects(const tpt_atlas *atlas, const tpt_finding *finding, tpt_cause_ref *refs,
                           double *lrs, size_t max);

/* A finding and what it did, in a line: "straight leg raise on the right:
 * S1 nerve root x2, L5 nerve root x2" (cut to size). */
void tpt_finding_text(const tpt_atlas *atlas, const tpt_finding *finding, char *out, size_t size);

/* A likelihood ratio as people read it: "2", "1.3", "0.39", "46", "950"
 * (cut to size). */
void tpt_ratio_text(double ratio, char *out, size_t size);

/* One cause alone against the drawing and findings, term by term: how
 * much likelier each part makes the drawing with this cause than with none
 * (the leak alone). Their product is `score`; comparing two causes' scores
 * term by term says why one ranks above the other. */
typedef struct tpt_why_mark {
    int region;
    tpt_kind kind;
    double p;      /* the chance this cause gives this mark: zone probability x kind share */
    double factor; /* how much likelier the mark is with it than by chance alone */
} tpt_why_mark;

typedef struct tpt_why {
    tpt_cause_ref ref;
    int rank;           /* 0-based among the candidates; -1 when not listed */
    bool either_side;   /* listed as the cause on either side */
    double probability; /* its posterior, 0 when not listed */
    double prior_odds;  /* the prior for one side, as odds */
    size_t nmarks;      /* every mark of the drawing, in its order */
    tpt_why_mark marks[TPT_MAX_REGIONS];
    double marks_factor; /* their product */
    size_t nunmarked;    /* the regions of its zone left unmarked, and their p */
    int unmarked[TPT_MAX_ZONE];
    double unmarked_p[TPT_MAX_ZONE];
    double absent;        /* the chance they all stay unmarked */
    double absent_weight; /* as the model weighs it (softened, floored) */
    size_t nfindings;     /* the findings that bear on it: index in the findings given */
    size_t finding[TPT_MAX_FINDINGS];
    double lr[TPT_MAX_FINDINGS];
    double findings_factor; /* their product */
    double score;           /* prior odds x marks x absent weight x findings */
} tpt_why;

/* Fills out for the cause `ref` on the drawing and findings whose answer is
 * `result` (for the rank and probability). */
void tpt_why_cause(const tpt_atlas *atlas, const tpt_drawing *drawing, const tpt_finding *findings,
                   size_t nfindings, const tpt_result *result, tpt_cause_ref ref, tpt_why *out);

#endif
