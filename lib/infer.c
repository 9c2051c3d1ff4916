/* The inference model (docs/clinical-basis.md, docs/internals/infer.md).
 *
 * Hypotheses are sets of at most three active causes (a cause = a trigger
 * point or a root on one side). A region is marked through a noisy-OR of the
 * active causes' zone probabilities and a small leak; a mark's symptom kind
 * scales each cause's probability of producing it. The weight of a set is
 *
 *   w(S) = prod_{c in S} odds_c * absent_c  *  prod_{marks j} t_j(S)
 *   t_j(S) = 1 - b_j prod_{c in S} a_cj
 *
 * with odds_c the prior odds times the findings' likelihood ratios, absent_c
 * the probability that the unmarked regions of its zone stay unmarked,
 * a_cj = 1 - p_cj kind_c(k_j) and b_j = 1 - leak kind_leak(k_j). Each mark's
 * term is scaled by h_j = 1 / sqrt(1 - b_j), the same for every set, so that the
 * products of up to all regions stay far from both overflow and underflow.
 *
 * A cause that explains no marked region ("irrelevant") changes every set it
 * joins by the same factor f_c, so its sets are summed in closed form with
 * elementary symmetric sums, and only the relevant causes are enumerated. */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "tpt/infer.h"

#define MAX_INSTANCES (2 * TPT_MAX_CAUSES)

static const char *const pattern_names[] = {"myofascial", "radicular", "mixed", "unclear"};

static const char *const pattern_sentences[] = {
    "The drawing fits pain referred from muscle trigger points better than a nerve root.",
    "The drawing follows the territory of a nerve root: see a clinician about a possible nerve "
    "root problem before treating it yourself.",
    "Both a nerve root and muscle trigger points are needed to explain the drawing: see a "
    "clinician about the nerve root part.",
    "No cause in the atlas explains this drawing well, so tpt names no favourite: a clinician's "
    "examination is needed to find the cause.",
};

const char *tpt_pattern_name(tpt_pattern pattern)
{
    return (unsigned)pattern <= TPT_UNCLEAR ? pattern_names[pattern] : "?";
}

const char *tpt_pattern_sentence(tpt_pattern pattern)
{
    return (unsigned)pattern <= TPT_UNCLEAR ? pattern_sentences[pattern] : "?";
}

/* A cause on a side covers a region of that side or a midline region. */
double tpt_cause_region_p(const tpt_atlas *atlas, tpt_cause_ref ref, int region)
{
    const tpt_region *r = &atlas->regions->region[region];
    if (r->side != TPT_MIDLINE && r->side != ref.side) return 0;
    return atlas->key_p[(size_t)ref.cause * atlas->nkeys + (size_t)r->key];
}

int tpt_drawing_parse(const tpt_regions *regions, char *const *marks, size_t n, tpt_drawing *out,
                      unsigned *warnings, tpt_error *err)
{
    static _Thread_local tpt_drawing readable;
    int status = 0;
    out->count = readable.count = 0;
    for (size_t i = 0; i < n; i++) {
        tpt_mark mark;
        tpt_error mark_err;
        int rc = tpt_mark_parse(regions, marks[i], &mark, &mark_err);
        if (rc == 0) rc = tpt_drawing_add(out, regions, &mark, &mark_err);
        if (rc != 0 && status == 0) {
            status = rc;
            if (err) *err = mark_err;
        }
        /* what could be read, for the warnings: the most cautious kind when unreadable */
        if (mark.region >= 0 && readable.count < TPT_MAX_REGIONS) {
            if (rc != 0 && mark.region == regions->perineum) mark.kind = TPT_NUMB;
            readable.marks[readable.count++] = mark;
        }
    }
    if (warnings) *warnings = tpt_drawing_warnings(regions, status ? &readable : out);
    return status;
}

void tpt_cause_fit(const tpt_atlas *atlas, const tpt_drawing *d, tpt_cause_ref ref, tpt_fit *out)
{
    const tpt_cause *c = &atlas->causes[ref.cause];
    bool marked[TPT_MAX_REGIONS] = {false};
    out->nexplains = out->nmissing = 0;
    for (size_t j = 0; j < d->count; j++) {
        marked[d->marks[j].region] = true;
        if (tpt_cause_region_p(atlas, ref, d->marks[j].region) > 0)
            out->explains[out->nexplains++] = d->marks[j].region;
    }
    for (size_t z = 0; z < c->nzone; z++) {
        int r = tpt_region_at(atlas->regions, c->zone[z].key, ref.side);
        if (c->zone[z].core && !marked[r]) out->missing[out->nmissing++] = r;
    }
}

typedef struct work {
    size_t m; /* marks */
    double b[TPT_MAX_REGIONS], h[TPT_MAX_REGIONS];
    size_t nrel; /* relevant instances */
    int rel[MAX_INSTANCES];
    double g[MAX_INSTANCES];    /* odds * absent, by relevant index */
    double W[4];                /* total weight of the relevant sets, by set size */
    double prob[MAX_INSTANCES]; /* posterior, by relevant index */
    double best_w;
    int best[TPT_MAX_EXPLANATION];
    size_t best_n;
    /* Large tables last: each call clears only what it uses of them. */
    double post[MAX_INSTANCES][4];            /* weight of sets holding it, by set size */
    double a[MAX_INSTANCES][TPT_MAX_REGIONS]; /* 1 - p kind, by relevant index and mark */
} work;

static double finding_odds(const tpt_atlas *atlas, int cause, tpt_side side,
                           const tpt_finding *findings, size_t nfindings)
{
    const tpt_cause *c = &atlas->causes[cause];
    double odds = c->prior.value / (1 - c->prior.value);
    for (size_t i = 0; i < nfindings; i++) {
        const tpt_finding *f = &findings[i];
        if (f->side != side) continue;
        if (f->tender_causes) {
            if (f->tender_causes & (UINT64_C(1) << cause)) odds *= atlas->tender_lr.value;
            continue;
        }
        for (size_t k = 0; k < c->nfindings; k++) {
            if (c->findings[k].finding == f->finding) odds *= c->findings[k].lr.value;
        }
    }
    return odds;
}

static void consider(work *w, double weight, const int *set, size_t n)
{
    w->W[n] += weight;
    for (size_t i = 0; i < n; i++)
        w->post[set[i]][n] += weight;
    if (weight > w->best_w) {
        w->best_w = weight;
        w->best_n = n;
        memcpy(w->best, set, n * sizeof *set);
    }
}

/* Sums the weights of every set of one to three relevant causes. */
static void enumerate(work *w)
{
    const size_t m = w->m, n = w->nrel;
    const double *h = w->h;
    double c1[TPT_MAX_REGIONS], c2[TPT_MAX_REGIONS];
    for (size_t i = 0; i < n; i++) {
        double t = 1;
        for (size_t j = 0; j < m; j++) {
            c1[j] = w->b[j] * w->a[i][j];
            t *= (1 - c1[j]) * h[j];
        }
        consider(w, w->g[i] * t, (int[]){(int)i}, 1);
        for (size_t k = i + 1; k < n; k++) {
            double gik = w->g[i] * w->g[k];
            t = 1;
            for (size_t j = 0; j < m; j++) {
                double c = c1[j] * w->a[k][j];
                t *= (1 - c) * h[j];
                c2[j] = c * h[j]; /* (1 - c a) h = h - c h a in the innermost loop */
            }
            consider(w, gik * t, (int[]){(int)i, (int)k}, 2);
            /* The innermost loop runs for every triple: keep it to the product,
             * and add the triples' weight to i, k and the totals once. */
            double sum3 = 0;
            for (size_t l = k + 1; l < n; l++) {
                const double *al = w->a[l];
                t = 1;
                for (size_t j = 0; j < m; j++)
                    t *= h[j] - c2[j] * al[j];
                double weight = gik * w->g[l] * t;
                sum3 += weight;
                w->post[l][3] += weight;
                if (weight > w->best_w) {
                    w->best_w = weight;
                    w->best_n = 3;
                    w->best[0] = (int)i;
                    w->best[1] = (int)k;
                    w->best[2] = (int)l;
                }
            }
            w->W[3] += sum3;
            w->post[i][3] += sum3;
            w->post[k][3] += sum3;
        }
    }
}

static int rank_before(const tpt_candidate *x, const tpt_candidate *y)
{
    /* Causes the model cannot tell apart (the same zone on a shared midline
     * region) differ only by rounding: order them by the atlas, not by noise. */
    double diff = x->probability - y->probability;
    if (fabs(diff) > 1e-9 * (x->probability + y->probability)) return diff > 0;
    if (x->ref.cause != y->ref.cause) return x->ref.cause < y->ref.cause;
    return x->ref.side > y->ref.side;
}

static void add_candidate(tpt_result *out, tpt_candidate cand)
{
    size_t pos = out->ncandidates < TPT_MAX_CANDIDATES ? out->ncandidates++ : TPT_MAX_CANDIDATES;
    while (pos > 0 && rank_before(&cand, &out->candidates[pos - 1])) {
        if (pos < TPT_MAX_CANDIDATES) out->candidates[pos] = out->candidates[pos - 1];
        pos--;
    }
    if (pos < TPT_MAX_CANDIDATES) out->candidates[pos] = cand;
}

/* Where one leg's marks put it for the warnings: nerve-type symptoms
 * (numbness, tingling, burning) anywhere on it, and pain that radiates
 * rather than staying around one joint: along the thigh or the lower leg,
 * or around two joints or more. */
typedef struct leg_marks {
    bool nerve, radiating;
    unsigned joints; /* bit per tpt_joint marked */
} leg_marks;

unsigned tpt_drawing_warnings(const tpt_regions *regions, const tpt_drawing *d)
{
    unsigned warnings = 0;
    leg_marks leg[2] = {{false, false, 0}, {false, false, 0}};
    for (size_t j = 0; j < d->count; j++) {
        const tpt_mark *mk = &d->marks[j];
        const tpt_region *r = &regions->region[mk->region];
        bool altered_feeling = mk->kind == TPT_NUMB || mk->kind == TPT_TINGLING;
        if (mk->region == regions->perineum) {
            warnings |= 1u << (altered_feeling ? TPT_WARN_CAUDA_EQUINA : TPT_WARN_SADDLE_PAIN);
        } else if (mk->kind == TPT_NUMB) {
            warnings |= 1u << TPT_WARN_NUMBNESS;
        }
        if (!r->leg || r->side == TPT_MIDLINE) continue;
        leg_marks *l = &leg[r->side];
        l->nerve |= altered_feeling || mk->kind == TPT_BURNING;
        if (r->joint == TPT_JOINT_NONE)
            l->radiating = true;
        else
            l->joints |= 1u << r->joint;
    }
    for (int s = TPT_LEFT; s <= TPT_RIGHT; s++) {
        leg[s].radiating |= leg[s].nerve || (leg[s].joints & (leg[s].joints - 1)) != 0;
    }
    if (leg[TPT_LEFT].nerve && leg[TPT_RIGHT].nerve)
        warnings |= 1u << TPT_WARN_CAUDA_EQUINA;
    else if (leg[TPT_LEFT].radiating && leg[TPT_RIGHT].radiating)
        warnings |= 1u << TPT_WARN_BILATERAL_SCIATICA;
    return warnings;
}

/* Weakness found on both sides is a cauda equina sign too; the emergency
 * then says all that the bilateral sciatica warning would. */
static unsigned findings_warnings(const tpt_atlas *atlas, const tpt_finding *findings, size_t n,
                                  unsigned warnings)
{
    bool weak[2] = {false, false};
    for (size_t i = 0; i < n; i++) {
        if (atlas->findings[findings[i].finding].weakness && findings[i].side != TPT_MIDLINE)
            weak[findings[i].side] = true;
    }
    if (weak[TPT_LEFT] && weak[TPT_RIGHT]) warnings |= 1u << TPT_WARN_CAUDA_EQUINA;
    if (warnings & (1u << TPT_WARN_CAUDA_EQUINA)) warnings &= ~(1u << TPT_WARN_BILATERAL_SCIATICA);
    return warnings;
}

static void explain(const tpt_atlas *atlas, const tpt_drawing *d, const work *w, tpt_result *out)
{
    size_t nc = atlas->ncauses;
    /* The most probable set (none when no set beats the leak alone), its most
     * likely cause first so that the order does not depend on the search. */
    out->nexplanation = w->best_n;
    tpt_candidate ranked[TPT_MAX_EXPLANATION];
    for (size_t i = 0; i < out->nexplanation; i++) {
        int inst = w->rel[w->best[i]];
        tpt_candidate c = {{inst % (int)nc, (tpt_side)(inst / (int)nc)}, w->prob[w->best[i]]};
        size_t pos = i;
        while (pos > 0 && rank_before(&c, &ranked[pos - 1])) {
            ranked[pos] = ranked[pos - 1];
            pos--;
        }
        ranked[pos] = c;
    }
    for (size_t i = 0; i < out->nexplanation; i++)
        out->explanation[i] = ranked[i].ref;
    out->nunexplained = 0;
    for (size_t j = 0; j < d->count; j++) {
        bool explained = false;
        for (size_t i = 0; i < out->nexplanation && !explained; i++)
            explained = tpt_cause_region_p(atlas, out->explanation[i], d->marks[j].region) > 0;
        if (!explained) out->unexplained[out->nunexplained++] = d->marks[j].region;
    }

    bool tp = false, root = false;
    for (size_t i = 0; i < out->nexplanation; i++) {
        if (atlas->causes[out->explanation[i].cause].kind == TPT_ROOT)
            root = true;
        else
            tp = true;
    }
    double top = out->ncandidates ? out->candidates[0].probability : 0;
    if (out->nexplanation == 0 || top < atlas->unclear_below.value ||
        2 * out->nunexplained > d->count)
        out->pattern = TPT_UNCLEAR;
    else
        out->pattern = tp && root ? TPT_MIXED : root ? TPT_RADICULAR : TPT_MYOFASCIAL;
}

int tpt_infer(const tpt_atlas *atlas, const tpt_drawing *d, const tpt_finding *findings,
              size_t nfindings, tpt_result *out, tpt_error *err)
{
    if (d->count == 0)
        return tpt__fail(err, TPT_ERR_INPUT, "empty drawing: mark at least one region");
    if (nfindings > TPT_MAX_FINDINGS)
        return tpt__fail(err, TPT_ERR_INPUT, "at most %d findings may be given", TPT_MAX_FINDINGS);
    for (size_t i = 0; i < nfindings; i++) {
        for (size_t k = 0; k < i; k++) {
            /* a finding counted twice would double its likelihood ratio */
            if (findings[i].finding == findings[k].finding &&
                findings[i].side == findings[k].side &&
                findings[i].tender_causes == findings[k].tender_causes)
                return tpt__fail(err, TPT_ERR_INPUT, "the finding %s:%s is given twice",
                                 atlas->findings[findings[i].finding].id,
                                 tpt_side_id(findings[i].side));
        }
    }

    static _Thread_local work w;
    const size_t nc = atlas->ncauses;
    memset(&w, 0, offsetof(work, post));
    w.m = d->count;
    w.W[0] = 1;

    const double *leak_kind = atlas->kinds[2];
    for (size_t j = 0; j < d->count; j++) {
        double leak = atlas->leak.value * leak_kind[d->marks[j].kind];
        w.b[j] = 1 - leak;
        w.h[j] = 1 / sqrt(leak);
        w.W[0] *= sqrt(leak); /* the empty set: every mark from the leak, (1 - b_j) h_j */
    }
    w.best_w = w.W[0];

    /* Relevant causes: those whose zone holds a marked region on their side. */
    static _Thread_local int rel_of[MAX_INSTANCES];
    bool marked[TPT_MAX_REGIONS] = {false};
    for (size_t inst = 0; inst < 2 * nc; inst++)
        rel_of[inst] = -1;
    for (size_t j = 0; j < d->count; j++) {
        int region = d->marks[j].region;
        tpt_kind kind = d->marks[j].kind;
        marked[region] = true;
        for (size_t k = atlas->cover_start[region]; k < atlas->cover_start[region + 1]; k++) {
            const tpt_cover *cv = &atlas->cover[k];
            if (rel_of[cv->instance] < 0) {
                rel_of[cv->instance] = (int)w.nrel;
                w.rel[w.nrel] = cv->instance;
                for (size_t i = 0; i < d->count; i++)
                    w.a[w.nrel][i] = 1;
                w.nrel++;
            }
            w.a[rel_of[cv->instance]][j] = 1 - cv->p * atlas->causes[cv->instance % nc].kinds[kind];
        }
    }

    /* Every cause's weight; the irrelevant ones enter only through the
     * elementary symmetric sums e1..e3 of their factors. */
    double e1 = 0, e2 = 0, e3 = 0;
    for (size_t inst = 0; inst < 2 * nc; inst++) {
        int cause = (int)(inst % nc);
        double prior = atlas->causes[cause].prior.value;
        double odds = nfindings
                          ? finding_odds(atlas, cause, (tpt_side)(inst / nc), findings, nfindings)
                          : prior / (1 - prior);
        if (rel_of[inst] >= 0) {
            /* The unmarked part of its zone, multiplied out (dividing the marked
             * part out of the whole-zone product could lose it to underflow). */
            const tpt_cause *c = &atlas->causes[cause];
            double absent = 1;
            for (size_t z = 0; z < c->nzone; z++) {
                if (!marked[tpt_region_at(atlas->regions, c->zone[z].key, (tpt_side)(inst / nc))])
                    absent *= 1 - c->zone[z].p;
            }
            w.g[rel_of[inst]] = odds * absent;
        } else {
            double g = odds * atlas->absent_all[cause];
            e3 += g * e2;
            e2 += g * e1;
            e1 += g;
        }
    }

    memset(w.post, 0, w.nrel * sizeof w.post[0]);
    enumerate(&w);

    double E1 = 1 + e1, E2 = E1 + e2, E3 = E2 + e3;
    double Z = w.W[0] * E3 + w.W[1] * E2 + w.W[2] * E1 + w.W[3];
    /* Only an extreme custom atlas (priors near 1, many large likelihood
     * ratios) can get here; an answer computed from infinities would be noise. */
    if (!isfinite(Z) || !(Z > 0) || !isfinite(w.best_w))
        return tpt__fail(err, TPT_ERR_DATA,
                         "the atlas's priors and likelihood ratios are too extreme to compute "
                         "this drawing; check the atlas and the findings");

    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < w.nrel; i++) {
        int inst = w.rel[i];
        w.prob[i] = (w.post[i][1] * E2 + w.post[i][2] * E1 + w.post[i][3]) / Z;
        if (w.prob[i] < TPT_MIN_CANDIDATE_P) continue;
        add_candidate(out,
                      (tpt_candidate){{inst % (int)nc, (tpt_side)(inst / (int)nc)}, w.prob[i]});
    }
    explain(atlas, d, &w, out);
    out->warnings =
        findings_warnings(atlas, findings, nfindings, tpt_drawing_warnings(atlas->regions, d));
    return 0;
}
