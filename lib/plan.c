#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "tpt/plan.h"
#include "tpt/text.h"

static bool has_cause(const tpt_plan *p, tpt_cause_ref ref)
{
    for (size_t i = 0; i < p->ncauses; i++) {
        if (p->causes[i].ref.cause == ref.cause && p->causes[i].ref.side == ref.side) return true;
    }
    return false;
}

static double probability_of(const tpt_result *map, tpt_cause_ref ref)
{
    for (size_t i = 0; i < map->ncandidates; i++) {
        if (map->candidates[i].ref.cause == ref.cause && map->candidates[i].ref.side == ref.side)
            return map->candidates[i].probability;
    }
    return 0;
}

/* The trigger points to treat: those of the explanation, then any other
 * trigger point the map finds likely, most likely first. */
static void choose_causes(const tpt_atlas *atlas, const tpt_techniques *t, const tpt_result *map,
                          tpt_plan *p)
{
    for (size_t i = 0; i < map->nexplanation && p->ncauses < TPT_PLAN_MAX_CAUSES; i++) {
        tpt_cause_ref ref = map->explanation[i];
        if (atlas->causes[ref.cause].kind != TPT_TRIGGER_POINT || !tpt_treatment_of(t, ref.cause))
            continue;
        p->causes[p->ncauses++] = (tpt_candidate){ref, probability_of(map, ref)};
    }
    for (size_t i = 0; i < map->ncandidates && p->ncauses < TPT_PLAN_MAX_CAUSES; i++) {
        const tpt_candidate *c = &map->candidates[i];
        if (c->probability < TPT_PLAN_MIN_P || has_cause(p, c->ref) ||
            atlas->causes[c->ref.cause].kind != TPT_TRIGGER_POINT ||
            !tpt_treatment_of(t, c->ref.cause))
            continue;
        p->causes[p->ncauses++] = *c;
    }
}

static void add_general(tpt_plan *p, const tpt_timed_step *s)
{
    if (p->nsteps == TPT_PLAN_MAX_STEPS) return;
    p->steps[p->nsteps++] = (tpt_plan_step){.kind = TPT_STEP_GENERAL,
                                            .id = s->id,
                                            .title = s->title,
                                            .instructions = s->instructions,
                                            .cause = -1,
                                            .hold_seconds = s->seconds,
                                            .repeats = 1};
}

/* Heat first (it loosens the muscle for the pressure and the stretches), then
 * pressure on each point, then the stretches, then a walk and relaxation. */
static void build_program(const tpt_techniques *t, tpt_plan *p)
{
    for (size_t i = 0; i < t->nbefore; i++)
        add_general(p, &t->before[i]);
    for (size_t c = 0; c < p->ncauses && p->nsteps < TPT_PLAN_MAX_STEPS; c++) {
        const tpt_treatment *tr = tpt_treatment_of(t, p->causes[c].ref.cause);
        const tpt_home_technique *h = &tr->home[0];
        p->steps[p->nsteps++] = (tpt_plan_step){.kind = TPT_STEP_PRESSURE,
                                                .id = h->id,
                                                .title = h->title,
                                                .instructions = h->instructions,
                                                .placement = h->placement,
                                                .cause = tr->cause,
                                                .side = p->causes[c].ref.side,
                                                .hold_seconds = h->hold_seconds,
                                                .rest_seconds = h->rest_seconds,
                                                .repeats = h->rounds,
                                                .cautions = &h->cautions};
    }
    for (size_t c = 0; c < p->ncauses && p->nsteps < TPT_PLAN_MAX_STEPS; c++) {
        const tpt_treatment *tr = tpt_treatment_of(t, p->causes[c].ref.cause);
        const tpt_stretch *s = &tr->stretches[0];
        p->steps[p->nsteps++] = (tpt_plan_step){.kind = TPT_STEP_STRETCH,
                                                .id = s->id,
                                                .title = s->title,
                                                .instructions = s->instructions,
                                                .cause = tr->cause,
                                                .side = p->causes[c].ref.side,
                                                .hold_seconds = s->hold_seconds,
                                                .repeats = s->repetitions};
    }
    for (size_t i = 0; i < t->nafter; i++)
        add_general(p, &t->after[i]);
}

int tpt_plan_build(const tpt_atlas *atlas, const tpt_techniques *t,
                   const tpt_screen_def *screen_def, const tpt_screen_result *screen,
                   const tpt_result *map, tpt_plan *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    out->screen_def = screen_def;
    out->screen = *screen;
    out->pattern = map->pattern;
    out->warnings = map->warnings;
    tpt_level level = screen->level;
    /* A drawing's own warning counts like a red flag (saddle numbness, both legs). */
    for (int w = 0; w < TPT_WARNING_COUNT; w++) {
        if ((map->warnings & (1u << w)) && atlas->warnings[w].level > level)
            level = atlas->warnings[w].level;
    }
    if (TPT_SELF_CARE_ALLOWED(level) && !screen->complete) {
        char missing[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < screen->nunanswered && used < sizeof missing; i++) {
            const tpt_question *q = &screen_def->questions[screen->unanswered[i]];
            if (q->level >= TPT_LEVEL_URGENT)
                used += (size_t)snprintf(missing + used, sizeof missing - used, "%s%s",
                                         used ? ", " : "", q->key);
        }
        return tpt__fail(err, TPT_ERR_INPUT,
                         "the screen leaves serious questions unanswered (%s): answer them "
                         "(tpt screen) before a plan can include self-treatment",
                         missing);
    }
    out->self_care = TPT_SELF_CARE_ALLOWED(level);
    out->screen.level = level;
    out->root_note = map->pattern == TPT_RADICULAR || map->pattern == TPT_MIXED;
    if (!out->self_care) return 0; /* the advice only: no treatment at all */
    choose_causes(atlas, t, map, out);
    build_program(t, out);
    return 0;
}

size_t tpt_plan_advice(const tpt_plan *p, const tpt_atlas *atlas, const char **out, size_t max)
{
    size_t n = 0;
#define ADD(text)                                                                                  \
    do {                                                                                           \
        if (n < max) out[n++] = (text);                                                            \
    } while (0)
    ADD(p->screen_def->levels[p->screen.level].advice);
    for (int w = 0; w < TPT_WARNING_COUNT; w++) {
        if (p->warnings & (1u << w)) ADD(atlas->warnings[w].advice);
    }
    if (p->root_note)
        ADD(TPT_TEXT("The drawing also fits a nerve root: see a clinician about a possible nerve "
                     "root problem, and tell them if numbness or weakness appears. Muscle work "
                     "can go on alongside if the clinician agrees."));
    if (p->self_care && p->ncauses == 0)
        ADD(TPT_TEXT("No trigger point fits the drawing well enough to target, so the home "
                     "program holds only the general steps; a clinician's examination can find "
                     "the cause."));
    if (p->self_care && p->screen.level == TPT_LEVEL_SOON)
        ADD(TPT_TEXT("Until the doctor has seen you, keep the pressure light and the sessions "
                     "short, and stop at the first sign that anything is getting worse."));
#undef ADD
    return n;
}
