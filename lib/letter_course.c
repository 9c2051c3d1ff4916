/* What the letters to the referring doctor and of discharge sum up over the
 * signed visits (lib/letters.c writes the rest): the treatments given, a
 * table of the outcome measures and the course of care, in the letter's
 * language. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/letters.h"
#include "tpt/trend_table.h"
#include "letter_text.h"

/* ---- treatments across the signed visits ---- */

typedef struct tally_item {
    const char *a, *side; /* borrowed from the notes */
    long count;           /* needles, or 0 */
    int visits, last;     /* visits it was done at; the last visit counted */
} tally_item;

typedef struct tally {
    tally_item *items;
    size_t n, cap;
    int visits; /* visits at which any was done */
} tally;

static int tally_add(tally *t, const char *a, const char *side, long count, int visit)
{
    if (!a) return 0;
    tally_item *it = NULL;
    for (size_t i = 0; i < t->n && !it; i++)
        if (strcmp(t->items[i].a, a) == 0 &&
            (t->items[i].side == side ||
             (t->items[i].side && side && strcmp(t->items[i].side, side) == 0)))
            it = &t->items[i];
    if (!it) {
        if (t->n == t->cap) {
            size_t cap = t->cap ? 2 * t->cap : 8;
            tally_item *items = realloc(t->items, cap * sizeof *items);
            if (!items) return -1;
            t->items = items;
            t->cap = cap;
        }
        it = &t->items[t->n++];
        *it = (tally_item){a, side, 0, 0, 0};
    }
    it->count += count;
    if (it->last != visit) it->visits++;
    it->last = visit;
    return 0;
}

enum { T_COMPRESSION, T_NEEDLING, T_ACUPOINTS, T_CUPPING, T_TUINA, T_GUA_SHA, T_STRETCHES, T_N };

static const struct {
    const char *key, *name;
    tpt__named what;
    bool needles; /* its count is of needles */
} kinds[T_N] = {
    {"compression", TPT_TEXT("Manual compression"), MUSCLE, false},
    {"needling", TPT_TEXT("Dry needling"), MUSCLE, true},
    {"acupoints", TPT_TEXT("Acupuncture"), POINT, true},
    {"cupping", TPT_TEXT("Cupping"), REGION, false},
    {"tuina", TPT_TEXT("Tui Na"), REGION, false},
    {"gua_sha", TPT_TEXT("Gua Sha"), REGION, false},
    {"stretches", TPT_TEXT("Stretches taught"), STRETCH, false},
};

typedef struct totals {
    tally t[T_N];
    int heat_visits;
    long heat_minutes;
} totals;

static int add_up(const tpt_letter_input *in, totals *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < in->nvisits; i++) {
        const tpt_letter_visit *v = &in->visits[i];
        if (!is_signed(v)) continue;
        const json_t *plan = at(v->note, "plan", NULL);
        for (int k = 0; k < T_N; k++) {
            const json_t *list = json_object_get(plan, kinds[k].key);
            out->t[k].visits += json_array_size(list) > 0;
            for (size_t j = 0; j < json_array_size(list); j++) {
                const json_t *it = json_array_get(list, j);
                const char *a = json_is_string(it)       ? json_string_value(it)
                                : kinds[k].what == POINT ? str(it, "point")
                                                         : str(it, "muscle");
                if (tally_add(&out->t[k], a, str(it, "side"),
                              (long)json_integer_value(json_object_get(it, "count")),
                              v->number) != 0)
                    return -1;
            }
        }
        json_int_t heat = json_integer_value(json_object_get(plan, "heat_minutes"));
        out->heat_visits += heat > 0;
        out->heat_minutes += heat > 0 ? (long)heat : 0;
    }
    return 0;
}

static void totals_free(totals *t)
{
    for (int k = 0; k < T_N; k++)
        free(t->t[k].items);
}

/* With on_hold the stretches taught are counted but not named. */
void tpt__letter_totals_table(tpt_buf *b, const tpt_letter_input *in, bool on_hold)
{
    totals t;
    if (add_up(in, &t) != 0) {
        totals_free(&t);
        b->failed = 1;
        return;
    }
    bool any = t.heat_visits > 0;
    for (int k = 0; k < T_N; k++)
        any |= t.t[k].n > 0;
    if (!any) {
        tpt_buf_element(b, "<p class=\"muted\">",
                        W("No treatment is recorded in the signed notes."), "</p>");
        totals_free(&t);
        return;
    }
    tpt_buf_element(b, "<table class=\"totals\"><thead><tr><th>", W("Treatment"), "</th>");
    tpt_buf_element(b, "<th class=\"n\">", W("Visits"), "</th>");
    tpt_buf_element(b, "<th>", W("Where, and how much"), "</th></tr></thead><tbody>");
    for (int k = 0; k < T_N; k++) {
        const tally *y = &t.t[k];
        if (!y->n) continue;
        tpt_buf_element(b, "<tr><td>", W(kinds[k].name), "</td>");
        tpt_buf_printf(b, "<td class=\"n\">%d</td><td>", y->visits);
        if (k == T_STRETCHES && on_hold) {
            tpt_buf_element(b, "", W("on hold while the warning sign stands"), "</td></tr>");
            continue;
        }
        for (size_t i = 0; i < y->n; i++) {
            const tally_item *it = &y->items[i];
            if (i) tpt_buf_puts(b, "; ");
            tpt__letter_named(b, in, kinds[k].what, it->a, it->side);
            if (it->count > 0) {
                tpt_buf_puts(b, ": ");
                if (kinds[k].needles)
                    put_count(b, it->count, W("1 needle"), W("{n} needles"));
                else
                    tpt_buf_printf(b, "%ld", it->count);
            }
            if (y->visits > 1) {
                tpt_buf_puts(b, " <span class=\"muted\">");
                put_count(b, it->visits, W("(1 visit)"), W("({n} visits)"));
                tpt_buf_puts(b, "</span>");
            }
        }
        tpt_buf_puts(b, "</td></tr>");
    }
    if (t.heat_visits) {
        tpt_buf_element(b, "<tr><td>", W("Heat"), "</td>");
        tpt_buf_printf(b, "<td class=\"n\">%d</td><td>", t.heat_visits);
        put_count(b, t.heat_minutes, W("1 minute in all"), W("{n} minutes in all"));
        tpt_buf_puts(b, "</td></tr>");
    }
    tpt_buf_puts(b, "</tbody></table>");
    totals_free(&t);
}

/* ---- outcome measures and the course ---- */

/* A date in a table: "22 Nov 2026". */
static void put_table_date(tpt_buf *b, int64_t t, const void *ctx)
{
    tpt__letter_date(b, ctx, t, true);
}

void tpt__letter_measures_table(tpt_buf *b, const tpt_letter_input *in, const char *first,
                                const char *latest)
{
    tpt_trend_table_html(b, in->measures, in->nmeasures, first, latest, put_table_date, in,
                         in->words);
}

void tpt__letter_course_box(tpt_buf *b, const tpt_letter_input *in)
{
    const char *v = in->course.verdict;
    const char *tone = !v                            ? ""
                       : strcmp(v, "improving") == 0 ? " good"
                       : strcmp(v, "review") == 0    ? " caution"
                                                     : "";
    const char *words = !v                            ? W("not judged")
                        : strcmp(v, "improving") == 0 ? W("improving")
                        : strcmp(v, "review") == 0    ? W("review")
                                                      : W("in course");
    tpt_buf_printf(b, "<div class=\"box course%s\"><p class=\"head\">", tone);
    const char *verdict[] = {"verdict"}, *said[] = {words};
    tpt_buf_fill_html(b, W("Course of care: {verdict}"), verdict, said, 1);
    tpt_buf_puts(b, "</p>");
    if (in->course.sentence) tpt_buf_element(b, "<p>", W(in->course.sentence), "</p>");
    char signed_text[16], planned[16], due[16];
    snprintf(signed_text, sizeof signed_text, "%d", in->course.signed_visits);
    snprintf(planned, sizeof planned, "%d", in->course.planned);
    snprintf(due, sizeof due, "%d", in->course.reassessment_due);
    const char *names[] = {"n", "planned", "due"}, *values[] = {signed_text, planned, due};
    tpt_buf_puts(b, "<p>");
    tpt_buf_fill_html(b,
                      in->course.signed_visits == 1 ? W("1 visit signed of {planned} planned.")
                                                    : W("{n} visits signed of {planned} planned."),
                      names, values, 3);
    if (in->course.reassessment_due) {
        tpt_buf_puts(b, " ");
        tpt_buf_fill_html(b,
                          W("A reassessment is due at visit {due}: no outcome measure is taken at "
                            "it yet."),
                          names, values, 3);
    }
    tpt_buf_puts(b, "</p></div>");
}
