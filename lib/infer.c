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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tpt/infer.h"
#include "tpt/text.h"

#define MAX_INSTANCES (2 * TPT_MAX_CAUSES)

/* The enumeration is chains of multiply-adds: where the processor fuses
 * them (x86-64 with FMA), a second copy of its functions uses that, chosen
 * when the program starts. Results differ by rounding alone. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FUSED __attribute__((target_clones("fma", "default")))
#else
#define FUSED
#endif

static const char *const pattern_names[] = {"myofascial", "radicular", "mixed", "unclear"};

static const char *const pattern_sentences[] = {
    TPT_TEXT("The drawing fits pain referred from muscle trigger points better than a nerve root."),
    TPT_TEXT(
        "The drawing follows the territory of a nerve root: see a clinician about a possible nerve "
        "root problem before treating it yourself."),
    TPT_TEXT("Both a nerve root and muscle trigger points are needed to explain the drawing: see a "
             "clinician about the nerve root part."),
    TPT_TEXT("No cause in the atlas explains this drawing well, so tpt names no favourite: a "
             "clinician's "
             "examination is needed to find the cause."),
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
    tpt_drawing readable;
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

bool tpt_reproduces(const tpt_atlas *atlas, tpt_cause_ref ref, const tpt_mark *mark)
{
    const tpt_region *r = &atlas->regions->region[mark->region];
    tpt_limb_level from = atlas->causes[ref.cause].reach_from;
    return mark->kind != TPT_NUMB && r->limb != TPT_LIMB_NONE && from != TPT_LIMB_NONE &&
           r->limb >= from && (r->side == TPT_MIDLINE || r->side == ref.side);
}

/* Whether a tender finding names this trigger point on its side. */
static bool found_tender(tpt_cause_ref ref, const tpt_finding *findings, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (findings[i].side == ref.side && findings[i].tender_causes >> ref.cause & 1) return true;
    }
    return false;
}

/* Whether a cause explains a mark: its zone holds the region, or it was found
 * tender (`tender`) and reproduces the mark. */
static bool explains(const tpt_atlas *atlas, tpt_cause_ref ref, const tpt_mark *mark, bool tender)
{
    return tpt_cause_region_p(atlas, ref, mark->region) > 0 ||
           (tender && atlas->tender_reach.value > 0 && tpt_reproduces(atlas, ref, mark));
}

double tpt_mark_p(const tpt_atlas *atlas, tpt_cause_ref ref, const tpt_mark *mark,
                  const tpt_finding *findings, size_t nfindings)
{
    double p =
        tpt_cause_region_p(atlas, ref, mark->region) * atlas->causes[ref.cause].kinds[mark->kind];
    double reach = atlas->tender_reach.value;
    if (p < reach && found_tender(ref, findings, nfindings) && tpt_reproduces(atlas, ref, mark))
        p = reach;
    return p;
}

void tpt_cause_fit(const tpt_atlas *atlas, const tpt_drawing *d, const tpt_finding *findings,
                   size_t nfindings, tpt_cause_ref ref, tpt_fit *out)
{
    const tpt_cause *c = &atlas->causes[ref.cause];
    uint64_t marked[TPT_MAX_REGIONS / 64] = {0}; /* a bit per region, cheaper to clear */
    bool tender = found_tender(ref, findings, nfindings);
    out->nexplains = out->nmissing = 0;
    for (size_t j = 0; j < d->count; j++) {
        int r = d->marks[j].region;
        marked[r / 64] |= UINT64_C(1) << (r % 64);
        if (explains(atlas, ref, &d->marks[j], tender)) out->explains[out->nexplains++] = r;
    }
    for (size_t z = 0; z < c->nzone; z++) {
        int r = tpt_region_at(atlas->regions, c->zone[z].key, ref.side);
        if (c->zone[z].core && !(marked[r / 64] >> (r % 64) & 1)) out->missing[out->nmissing++] = r;
    }
}

/* What the ranking reads besides the work tables. */
typedef struct atlas_view {
    const tpt_atlas *atlas;
    const tpt_regions *regions;
    const tpt_drawing *d;
    const tpt_finding *findings;
    size_t nfindings;
} atlas_view;

/* Kinds of causes in a set, for the explanation: which kinds it holds. */
enum { HOLDS_TP = 1, HOLDS_ROOT = 2, KIND_SETS = 4 };

/* The working memory of one ranking (tpt_infer_work in infer.h): about a
 * megabyte, so it is made once and reused by a caller ranking many drawings. */
typedef struct tpt_infer_work {
    size_t m; /* marks */
    double b[TPT_MAX_REGIONS], h[TPT_MAX_REGIONS];
    size_t nrel; /* relevant instances */
    int rel[MAX_INSTANCES];
    int rel_of[MAX_INSTANCES];     /* an instance's relevant index, or -1 */
    double g[MAX_INSTANCES];       /* odds * absent (floored), by relevant index */
    unsigned holds[MAX_INSTANCES]; /* HOLDS_TP or HOLDS_ROOT */
    int twin[MAX_INSTANCES];       /* the same cause on the other side, or -1 */
    size_t nf;                     /* findings that bear on some cause */
    bool with_findings;            /* any given: the lr rows are in use */
    double W[4];                   /* total weight of the relevant sets, by set size */
    double prob[MAX_INSTANCES];    /* posterior, by relevant index */
    /* the heaviest set of each kind signature (index: HOLDS_* bits) */
    double best_w[KIND_SETS];
    int best[KIND_SETS][TPT_MAX_EXPLANATION];
    size_t best_n[KIND_SETS];
    /* Large tables last: each call clears only what it uses of them. */
    double post[MAX_INSTANCES][3];              /* weight of sets holding it, of size 1, 2 */
    double post3[MAX_INSTANCES];                /* and of size 3 */
    double lr[MAX_INSTANCES][TPT_MAX_FINDINGS]; /* a finding's ratio for it (a negative
                                                 * one's inverse), 0: bears none */
    bool negative[TPT_MAX_FINDINGS];            /* the finding is a test found normal */
    /* The marks it reaches: its zone's (at most TPT_MAX_ZONE), and for a
     * trigger point found tender those it reproduces, which may be every mark
     * of the drawing. */
    size_t ncov[MAX_INSTANCES];
    int cov_mark[MAX_INSTANCES][TPT_MAX_REGIONS]; /* which, */
    double cov_e[MAX_INSTANCES][TPT_MAX_REGIONS]; /* 1 - a of each, */
    double cov_p[MAX_INSTANCES][TPT_MAX_REGIONS]; /* and the zone probability there */
    double a[MAX_INSTANCES][TPT_MAX_REGIONS];     /* 1 - p kind, by relevant index and mark */
    /* The enumeration's order (see enumerate): relevant indexes, the causes
     * that reach several marks or bear on a finding first, then the lone
     * ones (one mark, no finding) grouped by their mark. By position in it:
     * a lone cause's g, g e, and their running maxima, summed from the end
     * of its group; and what the pairs before it leave for it to add up. */
    int ord[MAX_INSTANCES];
    size_t nmulti, ngroups;
    size_t group_begin[TPT_MAX_REGIONS], group_end[TPT_MAX_REGIONS];
    size_t group_at[MAX_INSTANCES]; /* the group of a lone cause's position */
    int group_mark[TPT_MAX_REGIONS];
    double lone_g[MAX_INSTANCES + 1], lone_ge[MAX_INSTANCES + 1];
    double lone_max_g[MAX_INSTANCES + 1], lone_max_ge[MAX_INSTANCES + 1];
    double lone_pairs[MAX_INSTANCES + 1], lone_pairs_d[MAX_INSTANCES + 1];
} work;

double tpt_finding_lr(const tpt_atlas *atlas, const tpt_finding *f, tpt_cause_ref ref)
{
    if (f->side != ref.side) return 0;
    if (f->tender_causes)
        return f->tender_causes & (UINT64_C(1) << ref.cause) ? atlas->tender_lr.value : 0;
    const tpt_cause *c = &atlas->causes[ref.cause];
    for (size_t k = 0; k < c->nfindings; k++) {
        if (c->findings[k].finding == f->finding) return c->findings[k].lr.value;
    }
    return 0;
}

static void keep_best(work *w, double weight, const int *set, size_t n, unsigned holds)
{
    if (weight > w->best_w[holds]) {
        w->best_w[holds] = weight;
        w->best_n[holds] = n;
        memcpy(w->best[holds], set, n * sizeof *set);
    }
}

static void consider(work *w, double weight, const int *set, size_t n, unsigned holds)
{
    w->W[n] += weight;
    for (size_t i = 0; i < n; i++)
        w->post[set[i]][n] += weight;
    keep_best(w, weight, set, n, holds);
}

/* A finding counts once for a set, by the cause in it that it favours most,
 * a negative one by the cause it weighs against most; m holds the set's
 * strongest ratio so far for each finding (a negative one's inverse, so that
 * the largest is the strongest either way; 0: none bears it). The negative
 * findings together count as their strongest one: a normal examination's
 * signs go together, and combining them told no more than the best alone. */
static double findings_factor(const work *w, const double *m)
{
    double f = 1, against = 1;
    for (size_t k = 0; k < w->nf; k++) {
        if (!(m[k] > 0)) continue;
        if (!w->negative[k])
            f *= m[k];
        else if (m[k] > against)
            against = m[k];
    }
    return f / against;
}

/* A lone cause reaches one mark and bears on no finding. */
static bool lone(const work *w, size_t i)
{
    for (size_t f = 0; f < w->nf; f++) {
        if (w->lr[i][f] > 0) return false;
    }
    return w->ncov[i] == 1;
}

/* Orders the relevant causes for the enumeration and sums the lone ones'
 * weights from the end of each mark's group. */
static void order(work *w)
{
    size_t n = w->nrel, p = 0, count[TPT_MAX_REGIONS + 1] = {0};
    int mark_of[MAX_INSTANCES]; /* a lone cause's mark, or -1 */
    for (size_t i = 0; i < n; i++) {
        mark_of[i] = lone(w, i) ? w->cov_mark[i][0] : -1;
        if (mark_of[i] < 0)
            w->ord[p++] = (int)i;
        else
            count[mark_of[i] + 1]++;
    }
    w->nmulti = p;
    /* the lone causes by mark, in relevant order within a mark */
    count[0] = p;
    for (size_t j = 1; j <= w->m; j++)
        count[j] += count[j - 1];
    size_t next[TPT_MAX_REGIONS];
    memcpy(next, count, w->m * sizeof *next);
    for (size_t i = 0; i < n; i++) {
        if (mark_of[i] >= 0) w->ord[next[mark_of[i]]++] = (int)i;
    }
    w->ngroups = 0;
    for (size_t j = 0; j < w->m; j++) {
        size_t begin = count[j];
        p = count[j + 1];
        if (p == begin) continue;
        w->group_begin[w->ngroups] = begin;
        w->group_end[w->ngroups] = p;
        for (size_t q = begin; q < p; q++)
            w->group_at[q] = w->ngroups;
        w->group_mark[w->ngroups++] = (int)j;
        double sg = 0, sge = 0, mg = 0, mge = 0;
        for (size_t q = p; q-- > begin;) {
            int l = w->ord[q];
            double g = w->g[l], ge = g * w->cov_e[l][0];
            w->lone_g[q] = sg += g;
            w->lone_ge[q] = sge += ge;
            w->lone_max_g[q] = mg = g > mg ? g : mg;
            w->lone_max_ge[q] = mge = ge > mge ? ge : mge;
            w->lone_pairs[q] = w->lone_pairs_d[q] = 0;
        }
    }
}

/* The triples {i, k, l} of the pair at position pk with lone causes l after
 * it, mark group by mark group. A lone l reaching mark j multiplies the
 * pair's weight by g_l (1 + d_j e_l), d_j = c / (1 - c) with c the pair's
 * b a_i a_k there (d[j], but djk at mark jk), so a group sums to
 * pair (sum g + d_j sum g e) at once, and each l's share is added up from
 * the running sums after the pairs (finish_lone). A group is searched for the
 * heaviest triple only when its bound could beat the heaviest set so far. */
FUSED static double lone_triples(work *w, const int *ik, size_t pk, double pair, const double *d,
                                 int jk, double djk, unsigned holds)
{
    size_t start = pk + 1 > w->nmulti ? pk + 1 : w->nmulti;
    double sum = 0, thr = fmin(w->best_w[holds | HOLDS_TP], w->best_w[holds | HOLDS_ROOT]);
    for (size_t gi = start < w->nrel ? w->group_at[start] : w->ngroups; gi < w->ngroups; gi++) {
        size_t from = w->group_begin[gi] > start ? w->group_begin[gi] : start;
        int j = w->group_mark[gi];
        double pj = pair * (j == jk ? djk : d[j]);
        sum += pair * w->lone_g[from] + pj * w->lone_ge[from];
        w->lone_pairs[from] += pair;
        w->lone_pairs_d[from] += pj;
        if (pair * w->lone_max_g[from] + pj * w->lone_max_ge[from] <= thr) continue;
        for (size_t q = from; q < w->group_end[gi]; q++) {
            int l = w->ord[q];
            double weight = w->g[l] * (pair + pj * w->cov_e[l][0]);
            if (weight > w->best_w[holds | w->holds[l]])
                keep_best(w, weight, (int[]){ik[0], ik[1], l}, 3, holds | w->holds[l]);
        }
    }
    return sum;
}

static void finish_lone(work *w)
{
    for (size_t gi = 0; gi < w->ngroups; gi++) {
        double pairs = 0, pairs_d = 0;
        for (size_t q = w->group_begin[gi]; q < w->group_end[gi]; q++) {
            int l = w->ord[q];
            pairs += w->lone_pairs[q];
            pairs_d += w->lone_pairs_d[q];
            w->post3[l] += w->g[l] * (pairs + w->cov_e[l][0] * pairs_d);
        }
    }
}

/* The product of keep h over the marks, in two chains of multiplies. */
static inline double product(const double *restrict keep, const double *restrict h, size_t m)
{
    double t = 1, t2 = 1;
    size_t j = 0;
    for (; j + 1 < m; j += 2) {
        t *= keep[j] * h[j];
        t2 *= keep[j + 1] * h[j + 1];
    }
    if (j < m) t *= keep[j] * h[j];
    return t * t2;
}

/* t times what a third cause adds on the marks it reaches, 1 + d e: d the
 * pair's c / (1 - c), e its 1 - a. Apart so that the compiler keeps it in
 * registers. */
static inline double times_reached(double t, const double *restrict d, const int *restrict mark,
                                   const double *restrict e, size_t n)
{
    for (size_t q = 0; q < n; q++)
        t *= 1 + d[mark[q]] * e[q];
    return t;
}

/* The pair {i, k} and its triples, k not lone: every mark's term. c1 holds
 * i's b a_i by mark. */
FUSED static void pair_of_two(work *restrict w, const double *restrict h, const double *restrict c1,
                              int i, int k, size_t pk)
{
    const size_t m = w->m, nf = w->nf;
    double d[TPT_MAX_REGIONS], m2[TPT_MAX_FINDINGS], m3[TPT_MAX_FINDINGS];
    double gik = w->g[i] * w->g[k];
    unsigned holds = w->holds[i] | w->holds[k];
    for (size_t f = 0; f < nf; f++)
        m2[f] = w->lr[i][f] > w->lr[k][f] ? w->lr[i][f] : w->lr[k][f];
    double t = 1;
    /* the terms, then the ratios apart: each loop vectorizes on its own */
    double keep[TPT_MAX_REGIONS];
    for (size_t j = 0; j < m; j++) {
        double c = c1[j] * w->a[k][j];
        keep[j] = 1 - c;
        d[j] = c / keep[j];
    }
    t = product(keep, h, m);
    double base = gik * t, pair = base * findings_factor(w, m2);
    consider(w, pair, (int[]){i, k}, 2, holds);
    /* The innermost loop runs for every triple with a cause that is not
     * lone: keep it to the product, and add the triples' weight to i, k and
     * the totals once. */
    double sum3 = 0;
    for (size_t pl = pk + 1; pl < w->nmulti; pl++) {
        const int l = w->ord[pl];
        t = times_reached(base * w->g[l], d, w->cov_mark[l], w->cov_e[l], w->ncov[l]);
        if (nf) {
            for (size_t f = 0; f < nf; f++)
                m3[f] = m2[f] > w->lr[l][f] ? m2[f] : w->lr[l][f];
            t *= findings_factor(w, m3);
        }
        sum3 += t;
        w->post3[l] += t;
        if (t > w->best_w[holds | w->holds[l]])
            keep_best(w, t, (int[]){i, k, l}, 3, holds | w->holds[l]);
    }
    sum3 += lone_triples(w, (int[]){i, k}, pk, pair, d, -1, 0, holds);
    w->W[3] += sum3;
    w->post3[i] += sum3;
    w->post3[k] += sum3;
}

/* The heaviest triple {i, k, l} of two lone causes after i, searched only
 * when its bound beats the heaviest set so far. */
static void best_lone_pair(work *w, int i, size_t start, double P1, const double *d1)
{
    for (size_t q = start; q < w->nrel; q++) {
        int k = w->ord[q], jk = w->cov_mark[k][0];
        double ek = w->cov_e[k][0], uk = w->g[k] * (1 + d1[jk] * ek);
        for (size_t r = q + 1; r < w->nrel; r++) {
            int l = w->ord[r], jl = w->cov_mark[l][0];
            double el = w->cov_e[l][0];
            double weight = jk == jl ? P1 * w->g[k] * w->g[l] * (1 + d1[jk] * (ek + el - ek * el))
                                     : P1 * uk * w->g[l] * (1 + d1[jl] * el);
            unsigned holds = w->holds[i] | w->holds[k] | w->holds[l];
            if (weight > w->best_w[holds]) keep_best(w, weight, (int[]){i, k, l}, 3, holds);
        }
    }
}

/* The pairs {i, k} and triples {i, k, l} of i with lone causes k, l after
 * it, in closed form. A lone k reaching mark j multiplies i's weight P1 by
 * u_k = g_k (1 + d1_j e_k); two lone causes on different marks by u_k u_l,
 * on the same mark by g_k g_l (1 + d1_j (e_k + e_l - e_k e_l)). So the pairs
 * sum to P1 sum u; the triples to P1 (the products of u across groups plus
 * each group's own pairs), each summed over the causes in order so that no
 * large difference is taken; and each k's share of the triples is
 * P1 g_k ((1 + d1 e_k)(T - U + A - g_k) + d1 (1 - e_k)(B - g_k e_k)), with T
 * the sum of all u, and U, A and B the sums of u, g and g e of k's group. */
FUSED static void lone_after(work *restrict w, int i, size_t pi, double P1, const double *d1)
{
    size_t start = pi + 1 > w->nmulti ? pi + 1 : w->nmulti;
    if (start >= w->nrel) return;
    double sum_u = 0, across = 0, within = 0, top1 = 0, top2 = 0;
    double A[TPT_MAX_REGIONS], B[TPT_MAX_REGIONS], U[TPT_MAX_REGIONS];
    size_t g0 = w->group_at[start];
    for (size_t gi = g0; gi < w->ngroups; gi++) {
        size_t from = w->group_begin[gi] > start ? w->group_begin[gi] : start;
        double dj = d1[w->group_mark[gi]], a = 0, b = 0, u_group = 0;
        for (size_t q = from; q < w->group_end[gi]; q++) {
            int k = w->ord[q];
            double g = w->g[k], e = w->cov_e[k][0], u = g * (1 + dj * e), pair = P1 * u;
            w->post[k][2] += pair;
            unsigned holds = w->holds[i] | w->holds[k];
            if (pair > w->best_w[holds]) keep_best(w, pair, (int[]){i, k}, 2, holds);
            within += g * (a + dj * (b + e * a - e * b));
            a += g;
            b += g * e;
            u_group += u;
            if (u > top1) {
                top2 = top1;
                top1 = u;
            } else if (u > top2) {
                top2 = u;
            }
        }
        A[gi] = a;
        B[gi] = b;
        U[gi] = u_group;
        across += u_group * sum_u;
        sum_u += u_group;
    }
    double pairs = P1 * sum_u, triples = P1 * (across + within);
    w->W[2] += pairs;
    w->post[i][2] += pairs;
    w->W[3] += triples;
    w->post3[i] += triples;
    for (size_t gi = g0; gi < w->ngroups; gi++) {
        size_t from = w->group_begin[gi] > start ? w->group_begin[gi] : start;
        double dj = d1[w->group_mark[gi]];
        for (size_t q = from; q < w->group_end[gi]; q++) {
            int k = w->ord[q];
            double g = w->g[k], e = w->cov_e[k][0];
            w->post3[k] +=
                P1 * g *
                ((1 + dj * e) * (sum_u - U[gi] + A[gi] - g) + dj * (1 - e) * (B[gi] - g * e));
        }
    }
    if (P1 * top1 * top2 >
        fmin(w->best_w[w->holds[i] | HOLDS_TP], w->best_w[w->holds[i] | HOLDS_ROOT]))
        best_lone_pair(w, i, start, P1, d1);
}

/* Sums the weights of every set of one to three relevant causes: the pairs
 * and triples among causes that are not lone by their marks' terms
 * (pair_of_two), those that end in lone causes in closed form (lone_triples,
 * lone_after). */
FUSED static void enumerate(work *restrict w)
{
    const size_t m = w->m, n = w->nrel;
    double h[TPT_MAX_REGIONS], c1[TPT_MAX_REGIONS], d1[TPT_MAX_REGIONS];
    memcpy(h, w->h, m * sizeof *h);
    order(w);
    for (size_t pi = 0; pi < n; pi++) {
        const int i = w->ord[pi];
        double keep[TPT_MAX_REGIONS];
        for (size_t j = 0; j < m; j++) {
            c1[j] = w->b[j] * w->a[i][j];
            keep[j] = 1 - c1[j];
            d1[j] = c1[j] / keep[j];
        }
        double t = product(keep, h, m);
        double P1 = w->g[i] * t * findings_factor(w, w->lr[i]);
        consider(w, P1, (int[]){i}, 1, w->holds[i]);
        for (size_t pk = pi + 1; pk < w->nmulti; pk++)
            pair_of_two(w, h, c1, i, w->ord[pk], pk);
        lone_after(w, i, pi, P1, d1);
    }
    finish_lone(w);
}

static int rank_before(const tpt_candidate *x, const tpt_candidate *y)
{
    /* Causes the model cannot tell apart differ only by rounding: order them
     * by the atlas, not by noise. */
    double diff = x->probability - y->probability;
    if (fabs(diff) > 1e-9 * (x->probability + y->probability)) return diff > 0;
    if (x->ref.cause != y->ref.cause) return x->ref.cause < y->ref.cause;
    return x->ref.side > y->ref.side;
}

/* A candidate while the list is built: either side or not. */
typedef struct ranked {
    tpt_candidate c;
    bool either;
} ranked;

static void add_ranked(ranked *list, size_t *n, size_t max, ranked r)
{
    size_t pos = *n < max ? (*n)++ : max;
    while (pos > 0 && rank_before(&r.c, &list[pos - 1].c)) {
        if (pos < max) list[pos] = list[pos - 1];
        pos--;
    }
    if (pos < max) list[pos] = r;
}

/* What the marks of one side say for the warnings: nerve-type symptoms
 * (numbness, tingling, burning) on its leg, and the levels, from the back
 * down, its symptoms reach (midline back marks count for both sides). Pain
 * radiates down a leg when it spans two levels or more, one of them on the
 * leg; an ache kept to one level (both heels, both outer hips) is local. */
typedef struct side_marks {
    bool nerve;
    unsigned levels; /* bit per tpt_limb_level */
} side_marks;

static bool radiates(const side_marks *s)
{
    unsigned leg = s->levels & ~(1u << TPT_LIMB_BACK) & ~1u;
    return s->nerve || (leg && (s->levels & (s->levels - 1)) != 0);
}

unsigned tpt_drawing_warnings(const tpt_regions *regions, const tpt_drawing *d)
{
    unsigned warnings = 0;
    side_marks side[2] = {{false, 0}, {false, 0}};
    for (size_t j = 0; j < d->count; j++) {
        const tpt_mark *mk = &d->marks[j];
        const tpt_region *r = &regions->region[mk->region];
        bool altered_feeling = mk->kind == TPT_NUMB || mk->kind == TPT_TINGLING;
        if (mk->region == regions->perineum) {
            warnings |= 1u << (altered_feeling ? TPT_WARN_CAUDA_EQUINA : TPT_WARN_SADDLE_PAIN);
        } else if (mk->kind == TPT_NUMB) {
            warnings |= 1u << TPT_WARN_NUMBNESS;
        }
        for (int s = TPT_LEFT; s <= TPT_RIGHT; s++) {
            if (r->side != TPT_MIDLINE && r->side != (tpt_side)s) continue;
            side[s].levels |= (unsigned)r->limb ? 1u << r->limb : 0;
            side[s].nerve |= r->leg && (altered_feeling || mk->kind == TPT_BURNING);
        }
    }
    if (side[TPT_LEFT].nerve && side[TPT_RIGHT].nerve)
        warnings |= 1u << TPT_WARN_CAUDA_EQUINA;
    else if (radiates(&side[TPT_LEFT]) && radiates(&side[TPT_RIGHT]))
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

/* The weight of the relevant sets holding both i and k (the same cause on
 * either side), with the irrelevant causes that may join a pair. */
static double twin_weight(const work *w, size_t i, size_t k, double E1)
{
    double c12[TPT_MAX_REGIONS], m2[TPT_MAX_FINDINGS], m3[TPT_MAX_FINDINGS];
    double t = 1;
    for (size_t j = 0; j < w->m; j++) {
        c12[j] = w->b[j] * w->a[i][j] * w->a[k][j];
        t *= (1 - c12[j]) * w->h[j];
    }
    for (size_t f = 0; f < w->nf; f++)
        m2[f] = w->lr[i][f] > w->lr[k][f] ? w->lr[i][f] : w->lr[k][f];
    double gik = w->g[i] * w->g[k], sum = gik * t * findings_factor(w, m2) * E1;
    for (size_t l = 0; l < w->nrel; l++) {
        if (l == i || l == k) continue;
        t = 1;
        for (size_t j = 0; j < w->m; j++)
            t *= (1 - c12[j] * w->a[l][j]) * w->h[j];
        for (size_t f = 0; f < w->nf; f++)
            m3[f] = m2[f] > w->lr[l][f] ? m2[f] : w->lr[l][f];
        sum += gik * w->g[l] * t * findings_factor(w, m3);
    }
    return sum;
}

/* Twins: the same cause on both sides, reaching the same marks, all of them
 * midline, with nothing else to tell the sides apart. */
static bool twins(const atlas_view *v, const work *w, size_t i, size_t k)
{
    double pi = w->prob[i], pk = w->prob[k];
    if (fabs(pi - pk) > 1e-9 * (pi + pk)) return false;
    for (size_t j = 0; j < w->m; j++) {
        if (w->a[i][j] != w->a[k][j]) return false;
        if (w->a[i][j] < 1 && v->regions->region[v->d->marks[j].region].side != TPT_MIDLINE)
            return false;
    }
    return true;
}

static tpt_cause_ref ref_of(int inst, size_t nc)
{
    return (tpt_cause_ref){inst % (int)nc, (tpt_side)(inst / (int)nc)};
}

/* The candidates: every relevant cause likely enough to print, twins once. */
static void rank(const atlas_view *v, const work *w, double Z, double E1, tpt_result *out,
                 bool *merged)
{
    size_t nc = v->atlas->ncauses, n = 0;
    ranked list[TPT_MAX_CANDIDATES];
    for (size_t i = 0; i < w->nrel; i++) {
        if (merged[i]) continue;
        ranked r = {{ref_of(w->rel[i], nc), w->prob[i]}, false};
        int k = w->twin[i];
        if (k > (int)i && twins(v, w, i, (size_t)k)) {
            /* P(either) = P(left) + P(right) - P(both); shown as the right */
            merged[k] = merged[i] = true;
            r.c.probability += w->prob[k] - twin_weight(w, i, (size_t)k, E1) / Z;
            r.c.ref.side = TPT_RIGHT;
            r.either = true;
        }
        if (r.c.probability >= TPT_MIN_CANDIDATE_P) add_ranked(list, &n, TPT_MAX_CANDIDATES, r);
    }
    out->ncandidates = n;
    for (size_t i = 0; i < n; i++) {
        out->candidates[i] = list[i].c;
        out->either_side[i] = list[i].either;
    }
}

/* The explanation: the heaviest set, but one that holds both a trigger point
 * and a root only when it outweighs the best set of one kind by mixed_gain,
 * and the empty set only when no cause is likelier than some (p_none). */
static void explain(const atlas_view *v, const work *w, const bool *merged, double p_none,
                    tpt_result *out)
{
    const tpt_atlas *atlas = v->atlas;
    const tpt_drawing *d = v->d;
    size_t nc = atlas->ncauses;
    /* The kind the drawing favours: the probability its candidates carry,
     * whichever cause of the kind it is (the single heaviest set can be a
     * trigger point while the roots, shared among several, weigh more). */
    double mass[2] = {0, 0};
    for (size_t i = 0; i < out->ncandidates; i++)
        mass[atlas->causes[out->candidates[i].ref.cause].kind == TPT_ROOT] +=
            out->candidates[i].probability;
    /* No cause at all only when that is likelier than some cause: the leak
     * alone can outweigh each of many weak single causes. */
    unsigned pick = p_none >= 0.5 ? 0 : mass[1] > mass[0] ? HOLDS_ROOT : HOLDS_TP;
    if (w->best_w[HOLDS_TP | HOLDS_ROOT] >
        fmax(w->best_w[HOLDS_TP], w->best_w[HOLDS_ROOT]) * atlas->mixed_gain.value)
        pick = HOLDS_TP | HOLDS_ROOT;
    if (pick && w->best_n[pick] == 0) pick = 0;
    /* Its most likely cause first, so that the order does not depend on the
     * search; a cause on either side once. */
    ranked list[TPT_MAX_EXPLANATION];
    size_t n = 0;
    for (size_t i = 0; i < w->best_n[pick]; i++) {
        int r = w->best[pick][i];
        ranked c = {{ref_of(w->rel[r], nc), w->prob[r]}, merged[r]};
        bool seen = false;
        for (size_t k = 0; c.either && k < n; k++)
            seen |= list[k].either && list[k].c.ref.cause == c.c.ref.cause;
        if (seen) continue;
        if (c.either) c.c.ref.side = TPT_RIGHT;
        add_ranked(list, &n, TPT_MAX_EXPLANATION, c);
    }
    out->nexplanation = n;
    for (size_t i = 0; i < n; i++) {
        out->explanation[i] = list[i].c.ref;
        out->explanation_either[i] = list[i].either;
    }
    out->nunexplained = 0;
    bool tender[TPT_MAX_EXPLANATION];
    for (size_t i = 0; i < out->nexplanation; i++)
        tender[i] = found_tender(out->explanation[i], v->findings, v->nfindings);
    for (size_t j = 0; j < d->count; j++) {
        bool explained = false;
        for (size_t i = 0; i < out->nexplanation && !explained; i++)
            explained = explains(atlas, out->explanation[i], &d->marks[j], tender[i]);
        if (!explained) out->unexplained[out->nunexplained++] = d->marks[j].region;
    }

    /* How sure the drawing is of the explanation's kind (each kind's, for a
     * mixed one). */
    double sure = pick == HOLDS_TP     ? mass[0]
                  : pick == HOLDS_ROOT ? mass[1]
                                       : fmin(mass[0], mass[1]);
    if (out->nexplanation == 0 || sure < atlas->unclear_below.value ||
        2 * out->nunexplained > d->count)
        out->pattern = TPT_UNCLEAR;
    else
        out->pattern = pick == HOLDS_TP     ? TPT_MYOFASCIAL
                       : pick == HOLDS_ROOT ? TPT_RADICULAR
                                            : TPT_MIXED;
}

/* A finding as given, tender:piriformis:r, for a message that points at it. */
static const char *finding_given(const tpt_atlas *atlas, const tpt_finding *f, char *out,
                                 size_t size)
{
    char id[TPT_MARK_TEXT_MAX];
    tpt_finding_id(atlas, f, id, sizeof id);
    snprintf(out, size, "%s:%s", id, tpt_side_id(f->side));
    return out;
}

int tpt_findings_check(const tpt_atlas *atlas, const tpt_finding *findings, size_t n,
                       tpt_error *err)
{
    if (n > TPT_MAX_FINDINGS)
        return tpt__fail(err, TPT_ERR_INPUT, "at most %d findings may be given", TPT_MAX_FINDINGS);
    char x[TPT_MARK_TEXT_MAX + 4], y[TPT_MARK_TEXT_MAX + 4];
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < i; k++) {
            const tpt_finding *a = &findings[i], *b = &findings[k];
            /* a finding counted twice would count its likelihood ratio twice */
            if (a->finding == b->finding && a->side == b->side &&
                a->tender_causes == b->tender_causes)
                return tpt__fail(err, TPT_ERR_INPUT, "the finding %s is given twice",
                                 finding_given(atlas, a, x, sizeof x));
            if (a->side == b->side && (atlas->findings[a->finding].negates >> b->finding & 1 ||
                                       atlas->findings[b->finding].negates >> a->finding & 1))
                return tpt__fail(err, TPT_ERR_INPUT, "the findings %s and %s contradict each other",
                                 finding_given(atlas, b, x, sizeof x),
                                 finding_given(atlas, a, y, sizeof y));
        }
    }
    return 0;
}

/* Makes an instance relevant (enumerated); its marks' terms start at 1. */
static int make_relevant(work *w, int inst)
{
    if (w->rel_of[inst] < 0) {
        w->rel_of[inst] = (int)w->nrel;
        w->rel[w->nrel] = inst;
        for (size_t j = 0; j < w->m; j++)
            w->a[w->nrel][j] = 1;
        if (w->with_findings) memset(w->lr[w->nrel], 0, sizeof w->lr[0]);
        w->ncov[w->nrel] = 0;
        w->nrel++;
    }
    return w->rel_of[inst];
}

/* A trigger point found tender reproduces the familiar pain: it reaches the
 * marks it could bring on (tpt_reproduces) at least with tender_reach. */
static void reproduce(const tpt_atlas *atlas, const tpt_drawing *d, work *w, int r,
                      tpt_cause_ref ref)
{
    double reach = atlas->tender_reach.value;
    for (size_t j = 0; j < d->count; j++) {
        if (1 - w->a[r][j] >= reach || !tpt_reproduces(atlas, ref, &d->marks[j])) continue;
        size_t q = 0;
        while (q < w->ncov[r] && w->cov_mark[r][q] != (int)j)
            q++;
        if (q == w->ncov[r]) { /* outside its zone: nothing to divide out of the unmarked part */
            w->cov_mark[r][q] = (int)j;
            w->cov_p[r][q] = 0;
            w->ncov[r]++;
        }
        w->cov_e[r][q] = reach;
        w->a[r][j] = 1 - reach;
    }
}

/* The reported probabilities are recalibrated, logit p' = slope logit p: the
 * model counts every marked region as evidence of its own, and neighbouring
 * regions are drawn together, so it is over-confident
 * (docs/clinical-basis.md). Monotone: the ranking stands. */
static void calibrate(const tpt_atlas *atlas, tpt_result *out)
{
    double slope = atlas->calibration_slope.value;
    if (slope == 1) return;
    for (size_t i = 0; i < out->ncandidates; i++) {
        double p = out->candidates[i].probability;
        out->candidates[i].probability = 1 / (1 + exp(slope * log((1 - p) / p)));
    }
}

int tpt_infer_with(tpt_infer_work *w, const tpt_atlas *atlas, const tpt_drawing *d,
                   const tpt_finding *findings, size_t nfindings, tpt_result *out, tpt_error *err)
{
    if (d->count == 0)
        return tpt__fail(err, TPT_ERR_INPUT, "empty drawing: mark at least one region");
    int rc = tpt_findings_check(atlas, findings, nfindings, err);
    if (rc) return rc;

    const size_t nc = atlas->ncauses;
    /* only what is summed or searched starts at zero; the rest is written
     * before it is read */
    memset(w->W, 0, sizeof w->W);
    memset(w->best_w, 0, sizeof w->best_w);
    memset(w->best_n, 0, sizeof w->best_n);
    w->nrel = w->nf = 0;
    w->with_findings = nfindings > 0;
    w->m = d->count;
    w->W[0] = 1;

    const double *leak_kind = atlas->kinds[2];
    for (size_t j = 0; j < d->count; j++) {
        double leak = atlas->leak.value * leak_kind[d->marks[j].kind];
        w->b[j] = 1 - leak;
        w->h[j] = 1 / sqrt(leak);
        w->W[0] *= sqrt(leak); /* the empty set: every mark from the leak, (1 - b_j) h_j */
    }
    w->best_w[0] = w->W[0];

    /* Relevant causes: those whose zone holds a marked region on their side,
     * and those a finding bears on. */
    bool marked[TPT_MAX_REGIONS] = {false};
    for (size_t inst = 0; inst < 2 * nc; inst++)
        w->rel_of[inst] = -1;
    for (size_t j = 0; j < d->count; j++) {
        int region = d->marks[j].region;
        tpt_kind kind = d->marks[j].kind;
        marked[region] = true;
        for (size_t k = atlas->cover_start[region]; k < atlas->cover_start[region + 1]; k++) {
            const tpt_cover *cv = &atlas->cover[k];
            int r = make_relevant(w, cv->instance);
            double e = cv->p * atlas->causes[cv->instance % nc].kinds[kind];
            w->a[r][j] = 1 - e;
            w->cov_mark[r][w->ncov[r]] = (int)j;
            w->cov_p[r][w->ncov[r]] = cv->p;
            w->cov_e[r][w->ncov[r]++] = e;
        }
    }
    for (size_t f = 0; f < nfindings; f++) {
        bool bears = false, negative = atlas->findings[findings[f].finding].negative;
        w->negative[w->nf] = negative;
        for (size_t inst = 0; inst < 2 * nc; inst++) {
            double lr = tpt_finding_lr(atlas, &findings[f], ref_of((int)inst, nc));
            if (lr <= 0) continue;
            int r = make_relevant(w, (int)inst);
            w->lr[r][w->nf] = negative ? 1 / lr : lr;
            if (findings[f].tender_causes) reproduce(atlas, d, w, r, ref_of((int)inst, nc));
            bears = true;
        }
        w->nf += bears;
    }

    /* Every cause's weight; the irrelevant ones enter only through the
     * elementary symmetric sums e1..e3 of their factors. */
    double e1 = 0, e2 = 0, e3 = 0;
    for (size_t inst = 0; inst < 2 * nc; inst++) {
        int cause = (int)(inst % nc);
        const tpt_cause *c = &atlas->causes[cause];
        double odds = atlas->prior_odds[cause];
        int r = w->rel_of[inst];
        if (r >= 0) {
            /* The unmarked part of its zone: the whole zone's, with the marked
             * regions divided out, unless a zone of near-certain regions
             * (a custom atlas's) could have lost it to underflow. */
            double absent = 1;
            if (atlas->absent_all[cause] > 1e-200) {
                absent = atlas->absent_all[cause];
                for (size_t q = 0; q < w->ncov[r]; q++)
                    absent /= 1 - w->cov_p[r][q];
            } else {
                for (size_t z = 0; z < c->nzone; z++) {
                    if (!marked[tpt_region_at(atlas->regions, c->zone[z].key,
                                              (tpt_side)(inst / nc))])
                        absent *= 1 - c->zone[z].p;
                }
            }
            w->g[r] = odds * tpt_absent_weight(atlas, absent);
            w->holds[r] = c->kind == TPT_ROOT ? HOLDS_ROOT : HOLDS_TP;
            int other = w->rel_of[(inst + nc) % (2 * nc)];
            w->twin[r] = other;
        } else {
            double g = odds * atlas->absent_all_weight[cause];
            e3 += g * e2;
            e2 += g * e1;
            e1 += g;
        }
    }

    memset(w->post, 0, w->nrel * sizeof w->post[0]);
    memset(w->post3, 0, w->nrel * sizeof w->post3[0]);
    enumerate(w);

    double E1 = 1 + e1, E2 = E1 + e2, E3 = E2 + e3;
    double Z = w->W[0] * E3 + w->W[1] * E2 + w->W[2] * E1 + w->W[3];
    /* Only an extreme custom atlas (priors near 1, many large likelihood
     * ratios) can get here; an answer computed from infinities would be noise. */
    bool finite = isfinite(Z) && Z > 0;
    for (unsigned k = 0; k < KIND_SETS; k++)
        finite = finite && isfinite(w->best_w[k]);
    if (!finite)
        return tpt__fail(err, TPT_ERR_DATA,
                         "the atlas's priors and likelihood ratios are too extreme to compute "
                         "this drawing; check the atlas and the findings");

    out->ncandidates = out->nexplanation = out->nunexplained = 0; /* the rest is written */
    double per_z = 1 / Z;
    for (size_t i = 0; i < w->nrel; i++)
        w->prob[i] = (w->post[i][1] * E2 + w->post[i][2] * E1 + w->post3[i]) * per_z;
    bool merged[MAX_INSTANCES] = {false};
    atlas_view v = {atlas, atlas->regions, d, findings, nfindings};
    rank(&v, w, Z, E1, out, merged);
    explain(&v, w, merged, w->W[0] * E3 / Z, out);
    calibrate(atlas, out);
    out->warnings =
        findings_warnings(atlas, findings, nfindings, tpt_drawing_warnings(atlas->regions, d));
    out->nfindings = nfindings;
    if (nfindings) memcpy(out->findings, findings, nfindings * sizeof *findings);
    return 0;
}

int tpt_infer(const tpt_atlas *atlas, const tpt_drawing *d, const tpt_finding *findings,
              size_t nfindings, tpt_result *out, tpt_error *err)
{
    tpt_infer_work *w = tpt_infer_work_new();
    if (!w) return tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
    int rc = tpt_infer_with(w, atlas, d, findings, nfindings, out, err);
    tpt_infer_work_free(w);
    return rc;
}

tpt_infer_work *tpt_infer_work_new(void)
{
    /* not cleared: a ranking clears what it reads before it reads it, so the
     * pages of the large tables a small drawing never reaches stay untouched */
    return malloc(sizeof(tpt_infer_work));
}

void tpt_infer_work_free(tpt_infer_work *w)
{
    free(w);
}
