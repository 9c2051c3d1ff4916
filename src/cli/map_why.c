/* tpt map --why: why a cause ranks where it does, term by term, against the
 * first candidate (or, for the first, the second). */
#include <string.h>

#include "cli.h"
#include "tpt/evidence.h"
#include "tpt/json.h"

int cli_why_parse(const tpt_atlas *atlas, const char *text, tpt_cause_ref *ref, bool *sided)
{
    char id[TPT_MARK_TEXT_MAX];
    size_t len = strlen(text);
    *sided = len > 2 && text[len - 2] == ':' && (text[len - 1] == 'l' || text[len - 1] == 'r');
    if (len >= sizeof id) len = sizeof id - 1;
    memcpy(id, text, len);
    id[*sided ? len - 2 : len] = '\0';
    ref->side = *sided && text[strlen(text) - 1] == 'l' ? TPT_LEFT : TPT_RIGHT;
    ref->cause = tpt_atlas_find_cause(atlas, id);
    if (ref->cause >= 0) return 0;
    return cli_usage("map",
                     "--why: unknown cause '%s' (CAUSE or CAUSE:l or CAUSE:r, e.g. "
                     "tp:piriformis:r; tpt atlas list shows the causes)",
                     text);
}

/* The side of a cause asked without one: where it ranks higher, else where
 * it alone fits better. */
void cli_why_side(const tpt_atlas *atlas, const tpt_drawing *d, const tpt_finding *findings,
                  size_t nfindings, const tpt_result *r, tpt_cause_ref *ref)
{
    tpt_why side[2];
    for (int s = TPT_LEFT; s <= TPT_RIGHT; s++)
        tpt_why_cause(atlas, d, findings, nfindings, r, (tpt_cause_ref){ref->cause, (tpt_side)s},
                      &side[s]);
    int rl = side[TPT_LEFT].rank, rr = side[TPT_RIGHT].rank;
    if (rl >= 0 || rr >= 0)
        ref->side = rr >= 0 && (rl < 0 || rr <= rl) ? TPT_RIGHT : TPT_LEFT;
    else
        ref->side = side[TPT_RIGHT].score >= side[TPT_LEFT].score ? TPT_RIGHT : TPT_LEFT;
}

static const char *ordinal(int n, char *out, size_t size)
{
    const char *suffix = n % 100 / 10 == 1 ? "th"
                         : n % 10 == 1     ? "st"
                         : n % 10 == 2     ? "nd"
                         : n % 10 == 3     ? "rd"
                                           : "th";
    snprintf(out, size, "%d%s", n, suffix);
    return out;
}

/* "Piriformis, right (2nd, 20%)" */
static void why_name(const tpt_atlas *atlas, const tpt_why *w, char *out, size_t size)
{
    char place[64] = "not listed", nth[16];
    if (w->rank >= 0)
        snprintf(place, sizeof place, "%s, %.0f%%", ordinal(w->rank + 1, nth, sizeof nth),
                 100 * w->probability);
    snprintf(out, size, "%s, %s (%s)", atlas->causes[w->ref.cause].label,
             w->either_side ? "either side" : tpt_side_word(w->ref.side), place);
}

static const char *ratio(double x, char *out, size_t size)
{
    char text[32];
    tpt_ratio_text(x, text, sizeof text);
    snprintf(out, size, "x%s", text);
    return out;
}

static void print_one(const tpt_atlas *atlas, const tpt_finding *findings, const tpt_why *w)
{
    const tpt_regions *regions = atlas->regions;
    char line[4096], name[256], x[32];
    size_t used;
    why_name(atlas, w, name, sizeof name);
    printf("\nWhy %s:\n", name);
    printf("  prior odds, one side: %.3g\n", w->prior_odds);
    for (int reached = 1; reached >= 0; reached--) {
        used = (size_t)snprintf(line, sizeof line, "%s",
                                reached ? "marks it reaches:" : "marks it does not reach:");
        size_t n = 0;
        for (size_t j = 0; j < w->nmarks && used < sizeof line; j++) {
            const tpt_why_mark *m = &w->marks[j];
            if ((m->p > 0) != reached) continue;
            used +=
                (size_t)snprintf(line + used, sizeof line - used, "%s %s (%s)%s%s", n++ ? ";" : "",
                                 regions->region[m->region].label, tpt_kind_name(m->kind),
                                 reached ? " " : "", reached ? ratio(m->factor, x, sizeof x) : "");
        }
        if (n) cli_wrap_hanging(stdout, 2, 4, line);
    }
    if (w->nunmarked) {
        used = (size_t)snprintf(line, sizeof line, "its zone left unmarked:");
        for (size_t z = 0; z < w->nunmarked && used < sizeof line; z++)
            used += (size_t)snprintf(line + used, sizeof line - used, "%s %s %.0f%%", z ? ";" : "",
                                     regions->region[w->unmarked[z]].label, 100 * w->unmarked_p[z]);
        char counted[32];
        if (used < sizeof line)
            snprintf(line + used, sizeof line - used, ": together %s, counted %s",
                     ratio(w->absent, x, sizeof x),
                     ratio(w->absent_weight, counted, sizeof counted));
        cli_wrap_hanging(stdout, 2, 4, line);
    }
    for (size_t i = 0; i < w->nfindings; i++) {
        char fname[128];
        tpt_finding_name(atlas, &findings[w->finding[i]], fname, sizeof fname);
        printf("  finding: %s on the %s %s\n", fname, tpt_side_word(findings[w->finding[i]].side),
               ratio(w->lr[i], x, sizeof x));
    }
    printf("  alone, against no cause: %s\n", ratio(w->score, x, sizeof x));
}

/* The terms of two causes side by side. */
static void print_against(const tpt_atlas *atlas, const tpt_why *a, const tpt_why *b)
{
    char name_a[256], name_b[256], x[32], y[32];
    why_name(atlas, a, name_a, sizeof name_a);
    why_name(atlas, b, name_b, sizeof name_b);
    printf("\n  A = %s\n  B = %s\n", name_a, name_b);
    printf("  %-28s %12s %12s\n", "", "A", "B");
    printf("  %-28s %12.3g %12.3g\n", "prior odds, one side", a->prior_odds, b->prior_odds);
    printf("  %-28s %12s %12s\n", "marks it reaches", ratio(a->marks_factor, x, sizeof x),
           ratio(b->marks_factor, y, sizeof y));
    printf("  %-28s %12s %12s\n", "its zone left unmarked", ratio(a->absent_weight, x, sizeof x),
           ratio(b->absent_weight, y, sizeof y));
    printf("  %-28s %12s %12s\n", "findings", ratio(a->findings_factor, x, sizeof x),
           ratio(b->findings_factor, y, sizeof y));
    printf("  %-28s %12s %12s\n", "alone, against no cause", ratio(a->score, x, sizeof x),
           ratio(b->score, y, sizeof y));
    cli_wrap(stdout, 2,
             "(the probabilities also count the sets of two and three causes that share the "
             "marks, and are recalibrated toward the middle; \"alone\" is the product of the "
             "rows above)");
}

/* The cause to compare with: the first candidate, or the second for the first. */
static bool rival_of(const tpt_result *r, const tpt_why *w, tpt_cause_ref *rival)
{
    size_t pick = w->rank == 0 ? 1 : 0;
    if (pick >= r->ncandidates) return false;
    *rival = r->candidates[pick].ref;
    return true;
}

void cli_why_print(const tpt_atlas *atlas, const tpt_drawing *d, const tpt_finding *findings,
                   size_t nfindings, const tpt_result *r, const tpt_cause_ref *refs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        tpt_why w, other;
        tpt_cause_ref rival;
        tpt_why_cause(atlas, d, findings, nfindings, r, refs[i], &w);
        print_one(atlas, findings, &w);
        if (!rival_of(r, &w, &rival)) continue;
        tpt_why_cause(atlas, d, findings, nfindings, r, rival, &other);
        print_against(atlas, &w, &other);
    }
}

int cli_why_add_json(const tpt_atlas *atlas, const tpt_drawing *d, const tpt_finding *findings,
                     size_t nfindings, const tpt_result *r, const tpt_cause_ref *refs, size_t n,
                     json_t *answer)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        tpt_why w;
        tpt_why_cause(atlas, d, findings, nfindings, r, refs[i], &w);
        json_array_append_new(list, tpt_why_json(atlas, findings, &w));
    }
    return !answer || !list || json_object_set_new(answer, "why", list) != 0;
}
