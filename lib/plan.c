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

/* ---- cautions ---- */

typedef struct person {
    const tpt_screen_def *def;
    const tpt_answers *answers;
    unsigned drawn; /* bit (1 << tpt_kind) for each kind marked on the drawing */
} person;

static bool names(const tpt_strings *list, const char *s)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i], s) == 0) return true;
    return false;
}

/* Whether a caution applies to this person and this cause: always, or when
 * an answer or the drawing calls for it; only for the causes it names. */
static bool applies(const tpt_caution *c, const person *who, const tpt_atlas *atlas, int cause)
{
    if (c->causes.count && (cause < 0 || !names(&c->causes, atlas->causes[cause].id))) return false;
    if (c->when_answer) return tpt_answers_maybe_yes(who->def, who->answers, c->when_answer);
    if (c->when_drawn >= 0) return (who->drawn >> c->when_drawn) & 1u;
    return true;
}

static int too_many(tpt_error *err, const char *where)
{
    return tpt__fail(err, TPT_ERR_DATA, "more than %d cautions on %s", TPT_PLAN_MAX_CAUTIONS,
                     where);
}

static int step_cautions(const tpt_techniques *t, const tpt_atlas *atlas, const person *who,
                         const tpt_strings *own, tpt_plan_step *step, tpt_error *err)
{
    static const char *const kinds[] = {NULL, "pressure", "stretch"};
    for (size_t i = 0; own && i < own->count; i++)
        step->cautions[step->ncautions++] = own->items[i]; /* the loader bounds these */
    for (size_t i = 0; i < t->ncautions; i++) {
        const tpt_caution *c = &t->cautions[i];
        bool about =
            names(&c->steps, step->kind == TPT_STEP_GENERAL ? step->id : kinds[step->kind]);
        if (!about || !applies(c, who, atlas, step->cause)) continue;
        if (step->ncautions == TPT_PLAN_MAX_CAUTIONS) return too_many(err, step->id);
        step->cautions[step->ncautions++] = c->text;
    }
    return 0;
}

static bool point_avoided(const tpt_techniques *t, const tpt_atlas *atlas, const person *who,
                          int cause, const char *point, const tpt_caution **why)
{
    for (size_t i = 0; i < t->ncautions; i++) {
        const tpt_caution *c = &t->cautions[i];
        if (names(&c->points, point) && applies(c, who, atlas, cause)) return *why = c, true;
    }
    return false;
}

/* A clinic modality as it stands for this person: left out, with cautions,
 * and for acupuncture the points kept and those left out. */
static int clinic_modality(const tpt_techniques *t, const tpt_atlas *atlas, const person *who,
                           int cause, const tpt_modality *m, tpt_plan_modality *out, tpt_error *err)
{
    *out = (tpt_plan_modality){.modality = m};
    const tpt_caution *reason[TPT_MAX_POINTS] = {NULL};
    for (size_t k = 0; k < m->points.count; k++) {
        const tpt_acupoint *a = tpt_acupoint_find(t, m->points.items[k]);
        if (point_avoided(t, atlas, who, cause, a->id, &reason[out->navoided]))
            out->avoided[out->navoided++] = a;
        else
            out->points[out->npoints++] = a;
    }
    for (size_t i = 0; i < t->ncautions; i++) {
        const tpt_caution *c = &t->cautions[i];
        if (!names(&c->modalities, m->modality) || !applies(c, who, atlas, cause)) continue;
        bool removes_points = false;
        for (size_t k = 0; k < out->navoided; k++)
            removes_points |= reason[k] == c;
        if (c->points.count && !removes_points) continue; /* none of its points is here */
        if (c->avoid && !c->points.count) out->avoid = true;
        if (out->ncautions == TPT_PLAN_MAX_CAUTIONS) return too_many(err, m->modality);
        out->cautions[out->ncautions++] = c;
    }
    if (out->avoid) { /* how to do it with care is moot: only why it is left out */
        size_t kept = 0;
        for (size_t k = 0; k < out->ncautions; k++)
            if (out->cautions[k]->avoid) out->cautions[kept++] = out->cautions[k];
        out->ncautions = kept;
    }
    return 0;
}

/* ---- the program ---- */

static int add_general(const tpt_techniques *t, const tpt_atlas *atlas, const person *who,
                       tpt_plan *p, const tpt_timed_step *s, tpt_error *err)
{
    if (p->nsteps == TPT_PLAN_MAX_STEPS) return 0;
    tpt_plan_step *step = &p->steps[p->nsteps++];
    *step = (tpt_plan_step){.kind = TPT_STEP_GENERAL,
                            .id = s->id,
                            .title = s->title,
                            .instructions = s->instructions,
                            .cause = -1,
                            .hold_seconds = s->seconds,
                            .weekly_seconds = s->weekly_seconds,
                            .max_seconds = s->max_seconds,
                            .repeats = 1};
    return step_cautions(t, atlas, who, NULL, step, err);
}

/* Heat first (it loosens the muscle for the pressure and the stretches), then
 * pressure on each point, then the stretches, then a walk and relaxation. */
static int build_program(const tpt_techniques *t, const tpt_atlas *atlas, const person *who,
                         tpt_plan *p, tpt_error *err)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < t->nbefore; i++)
        rc = add_general(t, atlas, who, p, &t->before[i], err);
    for (size_t c = 0; !rc && c < p->ncauses && p->nsteps < TPT_PLAN_MAX_STEPS; c++) {
        const tpt_treatment *tr = tpt_treatment_of(t, p->causes[c].ref.cause);
        const tpt_home_technique *h = &tr->home[0];
        tpt_plan_step *step = &p->steps[p->nsteps++];
        *step = (tpt_plan_step){.kind = TPT_STEP_PRESSURE,
                                .id = h->id,
                                .title = h->title,
                                .instructions = h->instructions,
                                .placement = h->placement,
                                .cause = tr->cause,
                                .side = p->causes[c].ref.side,
                                .hold_seconds = h->hold_seconds,
                                .rest_seconds = h->rest_seconds,
                                .repeats = h->rounds};
        rc = step_cautions(t, atlas, who, &h->cautions, step, err);
    }
    for (size_t c = 0; !rc && c < p->ncauses && p->nsteps < TPT_PLAN_MAX_STEPS; c++) {
        const tpt_treatment *tr = tpt_treatment_of(t, p->causes[c].ref.cause);
        const tpt_stretch *s = &tr->stretches[0];
        tpt_plan_step *step = &p->steps[p->nsteps++];
        *step = (tpt_plan_step){.kind = TPT_STEP_STRETCH,
                                .id = s->id,
                                .title = s->title,
                                .instructions = s->instructions,
                                .cause = tr->cause,
                                .side = p->causes[c].ref.side,
                                .hold_seconds = s->hold_seconds,
                                .repeats = s->repetitions};
        rc = step_cautions(t, atlas, who, NULL, step, err);
    }
    for (size_t i = 0; !rc && i < t->nafter; i++)
        rc = add_general(t, atlas, who, p, &t->after[i], err);
    for (size_t c = 0; !rc && c < p->ncauses; c++) {
        const tpt_treatment *tr = tpt_treatment_of(t, p->causes[c].ref.cause);
        tpt_plan_clinic *clinic = &p->clinic[c];
        for (size_t m = 0; !rc && m < tr->nclinic; m++)
            rc = clinic_modality(t, atlas, who, tr->cause, &tr->clinic[m],
                                 &clinic->modalities[clinic->nmodalities++], err);
    }
    return rc;
}

/* Every caution that waits on an answer names one the screen asks. */
static int check_caution_keys(const tpt_techniques *t, const tpt_screen_def *def, tpt_error *err)
{
    for (size_t i = 0; i < t->ncautions; i++) {
        const char *key = t->cautions[i].when_answer;
        if (key && tpt_screen_find(def, key) < 0)
            return tpt__fail(err, TPT_ERR_DATA,
                             "the caution \"%s\" waits on the answer \"%s\", which the screen "
                             "does not ask",
                             t->cautions[i].id, key);
    }
    return 0;
}

int tpt_plan_build(const tpt_atlas *atlas, const tpt_techniques *t,
                   const tpt_screen_def *screen_def, const tpt_screen_result *screen,
                   const tpt_drawing *drawing, const tpt_result *map, tpt_plan *out, tpt_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = check_caution_keys(t, screen_def, err);
    if (rc) return rc;
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
        for (size_t i = 0; i < screen->nmissing && used < sizeof missing; i++)
            used +=
                (size_t)snprintf(missing + used, sizeof missing - used, "%s%s", used ? ", " : "",
                                 screen_def->questions[screen->missing[i]].key);
        return tpt__fail(err, TPT_ERR_INPUT,
                         "the screen leaves serious questions unanswered (%s): answer them "
                         "(tpt screen) before a plan can include self-treatment",
                         missing);
    }
    out->self_care = TPT_SELF_CARE_ALLOWED(level);
    out->screen.level = level;
    out->root_note = map->pattern == TPT_RADICULAR || map->pattern == TPT_MIXED;
    if (!out->self_care) return 0; /* the advice only: no treatment at all */
    person who = {.def = screen_def, .answers = &screen->answers};
    for (size_t i = 0; i < drawing->count; i++)
        who.drawn |= 1u << drawing->marks[i].kind;
    choose_causes(atlas, t, map, out);
    rc = build_program(t, atlas, &who, out, err);
    if (rc) memset(out, 0, sizeof *out); /* never half a plan */
    return rc;
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
