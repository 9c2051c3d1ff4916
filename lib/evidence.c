/* What the findings did and why a cause ranks where it does
 * (include/tpt/evidence.h). */
#include <stdbool.h>
#include <stdio.h>

#include "tpt/evidence.h"

size_t tpt_finding_effects(const tpt_atlas *atlas, const tpt_finding *f, tpt_cause_ref *refs,
                           double *lrs, size_t max)
{
    size_t n = 0;
    for (size_t c = 0; c < atlas->ncauses && n < max; c++) {
        tpt_cause_ref ref = {(int)c, f->side};
        double lr = tpt_finding_lr(atlas, f, ref);
        if (lr <= 0) continue;
        /* the most favoured first; equals in atlas order */
        size_t pos = n++;
        while (pos > 0 && lrs[pos - 1] < lr) {
            refs[pos] = refs[pos - 1];
            lrs[pos] = lrs[pos - 1];
            pos--;
        }
        refs[pos] = ref;
        lrs[pos] = lr;
    }
    return n;
}

void tpt_ratio_text(double ratio, char *out, size_t size)
{
    /* two significant figures, but whole numbers from 10 up: 2, 1.3, 0.39, 46, 950 */
    snprintf(out, size, ratio >= 10 ? "%.0f" : "%.2g", ratio);
}

void tpt_finding_text(const tpt_atlas *atlas, const tpt_finding *f, char *out, size_t size)
{
    char name[128];
    tpt_cause_ref refs[TPT_MAX_CAUSES];
    double lrs[TPT_MAX_CAUSES];
    size_t n = tpt_finding_effects(atlas, f, refs, lrs, TPT_MAX_CAUSES);
    tpt_finding_name(atlas, f, name, sizeof name);
    size_t used = (size_t)snprintf(out, size, "%s on the %s:", name, tpt_side_word(f->side));
    for (size_t i = 0; i < n && used < size; i++) {
        char ratio[16];
        tpt_ratio_text(lrs[i], ratio, sizeof ratio);
        used += (size_t)snprintf(out + used, size - used, "%s %s x%s", i ? "," : "",
                                 atlas->causes[refs[i].cause].label, ratio);
    }
    if (n == 0 && used < size) snprintf(out + used, size - used, " bears on no cause of the atlas");
}

void tpt_why_cause(const tpt_atlas *atlas, const tpt_drawing *d, const tpt_finding *findings,
                   size_t nfindings, const tpt_result *result, tpt_cause_ref ref, tpt_why *out)
{
    const tpt_cause *c = &atlas->causes[ref.cause];
    /* every count and sum is set here; the lists are filled as far as they go */
    out->ref = ref;
    out->either_side = false;
    out->probability = 0;
    out->nmarks = out->nunmarked = out->nfindings = 0;
    out->rank = -1;
    for (size_t i = 0; i < result->ncandidates && out->rank < 0; i++) {
        tpt_cause_ref got = result->candidates[i].ref;
        bool either = result->either_side[i];
        if (got.cause == ref.cause && (either || got.side == ref.side)) {
            out->rank = (int)i;
            out->either_side = either;
            out->probability = result->candidates[i].probability;
        }
    }
    out->prior_odds = atlas->prior_odds[ref.cause];

    /* each mark: as the model weighs a set of this cause alone against the
     * leak alone, (1 - b (1 - p k)) / (1 - b) with b = 1 - leak k */
    bool marked[TPT_MAX_REGIONS] = {false};
    out->marks_factor = 1;
    for (size_t j = 0; j < d->count; j++) {
        const tpt_mark *mk = &d->marks[j];
        double leak = atlas->leak.value * atlas->kinds[2][mk->kind], b = 1 - leak;
        double p = tpt_mark_p(atlas, ref, mk, findings, nfindings);
        tpt_why_mark *w = &out->marks[out->nmarks++];
        *w = (tpt_why_mark){mk->region, mk->kind, p, (1 - b * (1 - p)) / (1 - b)};
        out->marks_factor *= w->factor;
        marked[mk->region] = true;
    }
    out->absent = 1;
    for (size_t z = 0; z < c->nzone; z++) {
        int r = tpt_region_at(atlas->regions, c->zone[z].key, ref.side);
        if (marked[r]) continue;
        out->unmarked[out->nunmarked] = r;
        out->unmarked_p[out->nunmarked++] = c->zone[z].p;
        out->absent *= 1 - c->zone[z].p;
    }
    out->absent_weight = tpt_absent_weight(atlas, out->absent);
    out->findings_factor = 1;
    for (size_t i = 0; i < nfindings; i++) {
        double lr = tpt_finding_lr(atlas, &findings[i], ref);
        if (lr <= 0) continue;
        out->finding[out->nfindings] = i;
        out->lr[out->nfindings++] = lr;
        out->findings_factor *= lr;
    }
    out->score = out->prior_odds * out->marks_factor * out->absent_weight * out->findings_factor;
}
