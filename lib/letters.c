/* The letters of a clinic record (include/tpt/letters.h). Each page is
 * written from plain values and the notes' JSON as lib/visit.c checks it;
 * every text that comes from a note, the record or the data is escaped. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/error.h"
#include "tpt/letters.h"
#include "tpt/notice.h"
#include "tpt/time.h"
#include "letter_text.h"

#define TOP_CAUSES 3     /* causes of the engine's answer a letter lists */
#define SHOWN_BELOW 0.05 /* ... and past the first, only those at least this probable */
#define REASSESS_FIRST 3 /* the course's first reassessment (record/course.c) */

static const char style[] =
    "@page{size:A4;margin:16mm 17mm 15mm}"
    "*{box-sizing:border-box}"
    "body{font:10.5pt/1.45 'Liberation Sans',Arial,Helvetica,sans-serif;color:#1b1f23;"
    "max-width:47rem;margin:1.5rem auto;padding:0 1rem}"
    ".letterhead{display:flex;justify-content:space-between;align-items:flex-end;gap:1rem;"
    "border-bottom:2px solid #2f4f6f;padding-bottom:.35rem;margin-bottom:.9rem}"
    ".clinic{font-size:1.2rem;font-weight:700;color:#2f4f6f;letter-spacing:.02em}"
    ".letterhead .date{color:#3d444d;white-space:nowrap}"
    "h1{font-size:1.3rem;margin:.3rem 0 .2rem}"
    ".sub{color:#3d444d;margin:0 0 .7rem}"
    "h2{font-size:1rem;color:#2f4f6f;margin:1rem 0 .35rem;border-bottom:1px solid #c8ced6;"
    "padding-bottom:.1rem;break-after:avoid}"
    "h3{font-size:.95rem;margin:.6rem 0 .2rem;break-after:avoid}"
    "p{margin:.35rem 0}"
    "ul,ol{margin:.3rem 0;padding-left:1.3rem}li{margin:.12rem 0}"
    ".box{border-left:4px solid #57606a;background:#f3f5f7;padding:.45rem .8rem;margin:.5rem 0;"
    "break-inside:avoid}"
    ".box p{margin:.2rem 0}.box .head{font-weight:700}"
    ".stop{border-color:#b42318;background:#fdecea}"
    ".caution{border-color:#b7791f;background:#fff7e6}"
    ".good{border-color:#2f6f4f;background:#eef6f1}"
    ".draft{border-color:#b7791f;background:#fffbf0;font-size:.92em}"
    "dl.facts{display:grid;grid-template-columns:11.5rem 1fr;gap:.2rem 1rem;margin:.3rem 0}"
    "dl.facts dt{color:#57606a}dl.facts dd{margin:0}"
    "table{border-collapse:collapse;width:100%;margin:.3rem 0;font-variant-numeric:tabular-nums}"
    "th,td{text-align:left;padding:.2rem .6rem .2rem 0;border-bottom:1px solid #e1e4e8;"
    "vertical-align:top}"
    "th{font-weight:600;border-bottom-color:#c8ced6;font-size:.92em}"
    "td.n,th.n{text-align:right}"
    "tr{break-inside:avoid}thead{display:table-header-group}"
    ".muted{color:#57606a}.small{font-size:.88em}"
    "blockquote{margin:.3rem 0;padding:.1rem .8rem;border-left:3px solid #c8ced6;"
    "font-style:italic}"
    ".amend{font-size:.92em;margin:.3rem 0;padding:.2rem .6rem;border:1px dashed #c8ced6}"
    ".amends,.keep{break-inside:avoid}"
    ".yes{color:#2f6f4f;font-weight:600}.no{color:#8a3b12}"
    "ol.steps li{margin:.4rem 0;break-inside:avoid}"
    ".dose{display:inline-block;white-space:nowrap;font-size:.9em;color:#2f4f6f;background:#eef3f8;"
    "border-radius:3px;padding:0 .35rem;margin-left:.3rem}"
    ".where{margin:.1rem 0}"
    ".program{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1.4rem;align-items:start}"
    ".program ol.steps{margin:0}"
    ".chart{break-inside:avoid;width:min-content;min-width:9rem;font-size:.88em}"
    ".views{display:flex;gap:.6rem;justify-content:center}"
    ".views figure{margin:0;text-align:center}"
    ".views svg{display:block;height:18rem;width:auto}"
    "figcaption{font-size:.85em;color:#57606a}"
    ".sites-head{margin:.4rem 0 .1rem}ul.sites{padding-left:1rem;margin:0}"
    ".nowrap{white-space:nowrap}"
    "@media (max-width:36rem){.program{grid-template-columns:1fr}}"
    ".sign{margin-top:1.2rem;break-inside:avoid}.sign .space{height:2rem}"
    "table.engine,table.palpation{width:auto;min-width:62%}"
    "footer{margin-top:1.2rem;font-size:.85em;color:#57606a;border-top:1px solid #c8ced6;"
    "padding-top:.4rem;break-inside:avoid}"
    "@media print{body{margin:0;max-width:none;font-size:9.5pt}"
    ".box,.dose,svg,.letterhead{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".views svg{height:16rem}"
    /* a heading is not left alone at the foot of a page */
    "h2::after,h3::after{content:'';display:block;height:5em;margin-bottom:-5em}}";

/* ---- dates, without the C library's clock or zone ---- */

/* "3 November 2026", or short "3 Nov 2026" (the tables, in English) */
static void put_date_as(tpt_buf *b, const tpt_letter_input *in, int64_t t, bool short_month)
{
    tpt_civil c = tpt_civil_at(t, in->utc_offset);
    char day[8], month[24], year[16];
    snprintf(day, sizeof day, "%d", c.day);
    snprintf(month, sizeof month, "%.*s", short_month ? 3 : 16,
             short_month ? tpt_month_name(c.month) : W(tpt_month_name(c.month)));
    snprintf(year, sizeof year, "%lld", (long long)c.year);
    const char *names[] = {"day", "month", "year"}, *values[] = {day, month, year};
    tpt_buf_fill_html(b, short_month ? "{day} {month} {year}" : W("{day} {month} {year}"), names,
                      values, 3);
}

static void put_date(tpt_buf *b, const tpt_letter_input *in, int64_t t)
{
    put_date_as(b, in, t, false);
}

/* ---- names of things ---- */

static void put_side(tpt_buf *b, const tpt_letter_input *in, const char *side)
{
    if (tpt_side_id_word(side)) tpt_buf_element(b, " (", W(tpt_side_id_word(side)), ")");
}

/* A muscle by the atlas's label of its trigger point; where two trigger
 * points share a muscle ("Gluteus minimus, anterior part") the part before
 * the comma. */
static void put_muscle(tpt_buf *b, const tpt_letter_input *in, const char *muscle)
{
    const tpt_atlas *atlas = in->atlas;
    const tpt_cause *first = NULL;
    size_t n = 0;
    for (size_t i = 0; atlas && muscle && i < atlas->ncauses; i++)
        if (atlas->causes[i].muscle && strcmp(atlas->causes[i].muscle, muscle) == 0) {
            if (!first) first = &atlas->causes[i];
            n++;
        }
    if (!first) {
        put(b, muscle);
        return;
    }
    const char *label = W(first->label), *comma = strstr(label, ", ");
    int len = n > 1 && comma ? (int)(comma - label) : (int)strlen(label);
    char name[256];
    snprintf(name, sizeof name, "%.*s", len, label);
    tpt_buf_put_html(b, name);
}

static void put_acupoint(tpt_buf *b, const tpt_letter_input *in, const char *id)
{
    const tpt_techniques *t = in->techniques;
    const tpt_acupoint *p = t && id ? tpt_acupoint_find(t, id) : NULL;
    if (p && p->name && strncmp(p->name, id, strlen(id)) == 0) /* "Ashi point" */
        put(b, W(p->name));
    else if (p && p->name) { /* "GB30 Huantiao" */
        put(b, id);
        tpt_buf_element(b, " ", W(p->name), "");
    } else
        put(b, id);
}

static const tpt_stretch *find_stretch(const tpt_techniques *t, const char *id)
{
    for (size_t i = 0; t && id && i < t->ntreatments; i++)
        for (size_t j = 0; j < t->treatments[i].nstretches; j++)
            if (strcmp(t->treatments[i].stretches[j].id, id) == 0)
                return &t->treatments[i].stretches[j];
    return NULL;
}

static void put_stretch(tpt_buf *b, const tpt_letter_input *in, const char *id)
{
    const tpt_stretch *s = find_stretch(in->techniques, id);
    put(b, s ? W(s->title) : id);
}

static void put_finding(tpt_buf *b, const tpt_atlas *atlas, const char *id, const char *side)
{
    const char *label = id;
    for (size_t i = 0; atlas && id && i < atlas->nfindings; i++)
        if (strcmp(atlas->findings[i].id, id) == 0) label = atlas->findings[i].label;
    put(b, label);
    if (tpt_side_id_word(side)) tpt_buf_printf(b, ", %s", tpt_side_id_word(side));
}

/* A mark of a drawing: "Middle of the buttock (right): tingling, 6/10". */
static void put_mark(tpt_buf *b, const tpt_letter_input *in, const char *text)
{
    const tpt_regions *regions = in->regions;
    tpt_mark m;
    tpt_error err = {0};
    if (!regions || tpt_mark_parse(regions, text, &m, &err) != 0) {
        put(b, text);
        return;
    }
    put_region(b, in, regions->region[m.region].id);
    if (m.kind != TPT_ACHE || m.intensity) tpt_buf_puts(b, ": ");
    if (m.kind != TPT_ACHE) tpt_buf_put_html(b, W(tpt_kind_name(m.kind)));
    if (m.kind != TPT_ACHE && m.intensity) tpt_buf_puts(b, ", ");
    if (m.intensity) tpt_buf_printf(b, "%d/10", m.intensity);
}

static const char *factor_words(const char *id)
{
    static const char *const words[][2] = {{"repetitive-use", "repetitive use"},
                                           {"posture", "posture"},
                                           {"long-sitting", "long sitting"},
                                           {"trauma", "an injury"},
                                           {"stress", "stress"}};
    for (size_t i = 0; id && i < sizeof words / sizeof *words; i++)
        if (strcmp(words[i][0], id) == 0) return words[i][1];
    return id;
}

/* What a level asks of the person. */
static const char *level_words(const tpt_letter_input *in, tpt_level level)
{
    switch (level) {
    case TPT_LEVEL_EMERGENCY:
        return W("emergency: go to an emergency department now");
    case TPT_LEVEL_URGENT:
        return W("urgent: see a doctor within a day or two");
    case TPT_LEVEL_SOON:
        return W("see a doctor within a week or two");
    default:
        return W("none");
    }
}

/* ---- the record ---- */

static bool is_signed(const tpt_letter_visit *v)
{
    return v->signed_at != 0;
}

static const char *kind_of(const tpt_letter_visit *v)
{
    return str(v->note, "kind");
}

static size_t drafts(const tpt_letter_input *in)
{
    size_t n = 0;
    for (size_t i = 0; i < in->nvisits; i++)
        n += !is_signed(&in->visits[i]);
    return n;
}

static size_t signed_count(const tpt_letter_input *in)
{
    return in->nvisits - drafts(in);
}

/* The signed intake, else the first signed visit, or NULL. */
static const tpt_letter_visit *first_visit(const tpt_letter_input *in)
{
    const tpt_letter_visit *first = NULL;
    for (size_t i = 0; i < in->nvisits; i++) {
        const tpt_letter_visit *v = &in->visits[i];
        if (!is_signed(v)) continue;
        if (kind_of(v) && strcmp(kind_of(v), "intake") == 0) return v;
        if (!first) first = v;
    }
    return first;
}

static const tpt_letter_visit *last_signed(const tpt_letter_input *in)
{
    for (size_t i = in->nvisits; i-- > 0;)
        if (is_signed(&in->visits[i])) return &in->visits[i];
    return NULL;
}

/* ---- the page ---- */

static void begin(tpt_buf *b, const tpt_letter_input *in, const char *title)
{
    b->len = 0;
    b->failed = 0;
    if (b->data) b->data[0] = '\0';
    tpt_buf_printf(b,
                   "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">",
                   tpt_words_language(in->words));
    tpt_buf_element(b, "<title>", title, "");
    tpt_buf_element(b, ": ", in->patient, "</title><style>");
    tpt_buf_puts(b, style);
    tpt_buf_puts(b, "</style></head><body><header class=\"letterhead\"><div class=\"clinic\">");
    put(b, in->clinic && *in->clinic ? in->clinic : W("Trigger point clinic"));
    tpt_buf_puts(b, "</div><div class=\"date\">");
    put_date(b, in, in->now);
    tpt_buf_puts(b, "</div></header><main>");
}

static int end(tpt_buf *b, const tpt_letter_input *in)
{
    tpt_buf_element(b, "</main><footer><p>", W(TPT_NOT_A_DIAGNOSIS),
                    "</p></footer></body></html>\n");
    return b->failed ? TPT_ERR_NOMEM : 0;
}

/* "Ann Lee, born 1971" */
static void put_patient(tpt_buf *b, const tpt_letter_input *in)
{
    tpt_buf_element(b, "<strong>", in->patient, "</strong>");
    if (in->birth_year) put_n(b, W(", born {n}"), in->birth_year);
}

static void drafts_note(tpt_buf *b, const tpt_letter_input *in)
{
    size_t n = drafts(in);
    if (!n) return;
    tpt_buf_printf(b, "<div class=\"box draft\"><p>%zu visit note%s not yet signed (visit%s ", n,
                   plural((long)n), plural((long)n));
    size_t k = 0;
    for (size_t i = 0; i < in->nvisits; i++)
        if (!is_signed(&in->visits[i]))
            tpt_buf_printf(b, "%s%d", k++ ? ", " : "", in->visits[i].number);
    tpt_buf_printf(b,
                   ") %s left out: a draft is not part of the record until it is signed.</p>"
                   "</div>",
                   n == 1 ? "is" : "are");
}

/* The standing red flag: for the patient in the second person, for a
 * clinician as a finding. */
static void flag_box(tpt_buf *b, const tpt_letter_input *in, bool patient)
{
    if (!in->nflags) return;
    bool stops = flag_stops(in);
    tpt_buf_puts(b, stops ? "<div class=\"box stop flag\">" : "<div class=\"box caution flag\">");
    const char *names[] = {"level"}, *values[] = {level_words(in, in->flag_level)};
    tpt_buf_puts(b, "<p class=\"head\">");
    tpt_buf_fill_html(b,
                      patient ? W("A warning sign stands in your record ({level}).")
                              : W("Red flag standing in the record ({level})."),
                      names, values, 1);
    tpt_buf_puts(b, "</p>");
    if (in->flag_advice) tpt_buf_element(b, "<p>", W(in->flag_advice), "</p>");
    if (stops && patient) tpt_buf_element(b, "<p><strong>", W("No self-treatment"), "</strong>: ");
    tpt_buf_element(
        b, stops && patient ? "" : "<p>",
        stops     ? patient ? W("no pressure work and no stretches at home until a clinician has "
                                    "seen you and a new check of the warning signs is clear.")
                            : W("Self-treatment has been stopped; it resumes only after the patient "
                                    "has been seen and a new complete screen is clear.")
            : patient ? W("You may go on with your home program carefully; stop and see a doctor if "
                              "anything gets worse.")
                  : W("Self-treatment continues with caution."),
        "</p>");
    tpt_buf_puts(b, "</div>");
}

static void amendments(tpt_buf *b, const tpt_letter_input *in, const tpt_letter_visit *v,
                       const char *what)
{
    for (size_t i = 0; i < v->namendments; i++) {
        const tpt_letter_amendment *a = &v->amendments[i];
        tpt_buf_element(b, "<div class=\"amend\"><span class=\"muted\">", W(what), ", ");
        put_date(b, in, a->at);
        if (a->author) {
            const char *names[] = {"name"}, *values[] = {a->author};
            tpt_buf_fill_html(b, W(", by {name}"), names, values, 1);
        }
        tpt_buf_element(b, ":</span> ", a->text, "</div>");
    }
}

/* ---- treatments of one visit ---- */

typedef enum named { MUSCLE, POINT, REGION, STRETCH } named;

static void put_named(tpt_buf *b, const tpt_letter_input *in, named what, const char *a,
                      const char *side)
{
    switch (what) {
    case MUSCLE:
        put_muscle(b, in, a);
        put_side(b, in, side);
        break;
    case POINT:
        put_acupoint(b, in, a);
        break;
    case REGION:
        put_region(b, in, a);
        break;
    case STRETCH:
        put_stretch(b, in, a);
        break;
    }
}

/* The items of a list of the note's plan, "; " between them; their
 * needles counted when `needles`. */
static void put_items(tpt_buf *b, const tpt_letter_input *in, const json_t *list, named what,
                      bool needles)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *it = json_array_get(list, i);
        if (i) tpt_buf_puts(b, "; ");
        if (json_is_string(it)) {
            put_named(b, in, what, json_string_value(it), NULL);
            continue;
        }
        put_named(b, in, what, what == POINT ? str(it, "point") : str(it, "muscle"),
                  str(it, "side"));
        json_int_t n = json_integer_value(json_object_get(it, "count"));
        if (n > 0 && needles)
            put_n(b, n == 1 ? W(", 1 needle") : W(", {n} needles"), (long)n);
        else if (n > 0)
            tpt_buf_printf(b, ", %lld", (long long)n);
    }
}

static long sum_counts(const json_t *list)
{
    long n = 0;
    for (size_t i = 0; i < json_array_size(list); i++)
        n += (long)json_integer_value(json_object_get(json_array_get(list, i), "count"));
    return n;
}

/* What was done at a visit, in plain words, as list items; how many. With
 * on_hold the stretches taught are not named (no self-treatment guidance). */
static size_t visit_treatments(tpt_buf *b, const tpt_letter_input *in, const json_t *plan,
                               bool on_hold)
{
    static const struct {
        const char *key, *words;
        named what;
        bool needles;
    } lists[] = {
        {"compression", TPT_TEXT("Firm pressure held on the tender knots (trigger points) of: "),
         MUSCLE, false},
        {"needling", TPT_TEXT("Dry needling, fine needles into the trigger points of: "), MUSCLE,
         true},
        {"acupoints", TPT_TEXT("Acupuncture at: "), POINT, true},
        {"cupping", TPT_TEXT("Cupping over: "), REGION, false},
        {"tuina", TPT_TEXT("Tui Na massage of: "), REGION, false},
        {"gua_sha", TPT_TEXT("Gua Sha (gentle scraping of the skin) over: "), REGION, false},
    };
    size_t n = 0;
    for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
        const json_t *list = json_object_get(plan, lists[k].key);
        if (!json_array_size(list)) continue;
        tpt_buf_element(b, "<li>", W(lists[k].words), "");
        put_items(b, in, list, lists[k].what, lists[k].needles);
        tpt_buf_puts(b, ".</li>");
        n++;
    }
    json_int_t heat = json_integer_value(json_object_get(plan, "heat_minutes"));
    if (heat > 0) {
        tpt_buf_puts(b, "<li>");
        put_n(b, heat == 1 ? W("Heat for 1 minute.") : W("Heat for {n} minutes."), (long)heat);
        tpt_buf_puts(b, "</li>");
        n++;
    }
    const json_t *stretches = json_object_get(plan, "stretches");
    if (json_array_size(stretches) && on_hold) {
        tpt_buf_element(b, "<li>",
                        W("Stretches were shown to you; they are on hold while the warning sign "
                          "stands."),
                        "</li>");
        n++;
    } else if (json_array_size(stretches)) {
        tpt_buf_element(b, "<li>", W("Stretches shown to you: "), "");
        put_items(b, in, stretches, STRETCH, false);
        tpt_buf_puts(b, ".</li>");
        n++;
    }
    if (has_text(plan, "notes")) {
        tpt_buf_element(b, "<li>", str(plan, "notes"), "</li>");
        n++;
    }
    return n;
}

/* The same in a few words for a table: "compression (2), needling (5 needles), heat 10 min". */
static void visit_treatments_short(tpt_buf *b, const json_t *plan)
{
    size_t n = 0;
    const json_t *l;
    if ((l = json_object_get(plan, "compression")) && json_array_size(l))
        tpt_buf_printf(b, "%scompression (%zu)", n++ ? ", " : "", json_array_size(l));
    if ((l = json_object_get(plan, "needling")) && json_array_size(l))
        tpt_buf_printf(b, "%sdry needling (%ld needle%s)", n++ ? ", " : "", sum_counts(l),
                       plural(sum_counts(l)));
    if ((l = json_object_get(plan, "acupoints")) && json_array_size(l))
        tpt_buf_printf(b, "%sacupuncture (%zu point%s, %ld needle%s)", n++ ? ", " : "",
                       json_array_size(l), plural((long)json_array_size(l)), sum_counts(l),
                       plural(sum_counts(l)));
    if (json_array_size(json_object_get(plan, "cupping")))
        tpt_buf_printf(b, "%scupping", n++ ? ", " : "");
    if (json_array_size(json_object_get(plan, "tuina")))
        tpt_buf_printf(b, "%sTui Na", n++ ? ", " : "");
    if (json_array_size(json_object_get(plan, "gua_sha")))
        tpt_buf_printf(b, "%sGua Sha", n++ ? ", " : "");
    json_int_t heat = json_integer_value(json_object_get(plan, "heat_minutes"));
    if (heat > 0) tpt_buf_printf(b, "%sheat %lld min", n++ ? ", " : "", (long long)heat);
    if ((l = json_object_get(plan, "stretches")) && json_array_size(l))
        tpt_buf_printf(b, "%s%zu stretch%s taught", n++ ? ", " : "", json_array_size(l),
                       json_array_size(l) == 1 ? "" : "es");
    if (!n) tpt_buf_puts(b, "<span class=\"muted\">none recorded</span>");
}

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
    named what;
    const char *unit;
} kinds[T_N] = {
    {"compression", "Manual compression", MUSCLE, ""},
    {"needling", "Dry needling", MUSCLE, "needle"},
    {"acupoints", "Acupuncture", POINT, "needle"},
    {"cupping", "Cupping", REGION, ""},
    {"tuina", "Tui Na", REGION, ""},
    {"gua_sha", "Gua Sha", REGION, ""},
    {"stretches", "Stretches taught", STRETCH, ""},
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
static void totals_table(tpt_buf *b, const tpt_letter_input *in, bool on_hold)
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
        tpt_buf_puts(b, "<p class=\"muted\">No treatment is recorded in the signed notes.</p>");
        totals_free(&t);
        return;
    }
    tpt_buf_puts(b, "<table class=\"totals\"><thead><tr><th>Treatment</th><th "
                    "class=\"n\">Visits</th><th>Where, and how much</th></tr></thead><tbody>");
    for (int k = 0; k < T_N; k++) {
        const tally *y = &t.t[k];
        if (!y->n) continue;
        tpt_buf_printf(b, "<tr><td>%s</td><td class=\"n\">%d</td><td>", kinds[k].name, y->visits);
        if (k == T_STRETCHES && on_hold) {
            tpt_buf_puts(b, "on hold while the warning sign stands</td></tr>");
            continue;
        }
        for (size_t i = 0; i < y->n; i++) {
            const tally_item *it = &y->items[i];
            if (i) tpt_buf_puts(b, "; ");
            put_named(b, in, kinds[k].what, it->a, it->side);
            if (it->count > 0)
                tpt_buf_printf(b, ": %ld %s%s", it->count, kinds[k].unit, plural(it->count));
            if (y->visits > 1)
                tpt_buf_printf(b, " <span class=\"muted\">(%d visit%s)</span>", it->visits,
                               plural(it->visits));
        }
        tpt_buf_puts(b, "</td></tr>");
    }
    if (t.heat_visits)
        tpt_buf_printf(b,
                       "<tr><td>Heat</td><td class=\"n\">%d</td><td>%ld minute%s in all</td></tr>",
                       t.heat_visits, t.heat_minutes, plural(t.heat_minutes));
    tpt_buf_puts(b, "</tbody></table>");
    totals_free(&t);
}

/* ---- outcome measures and the course ---- */

/* A date in a table: "22 Nov 2026". */
static void put_table_date(tpt_buf *b, int64_t t, const void *ctx)
{
    put_date_as(b, ctx, t, true);
}

static void measures_table(tpt_buf *b, const tpt_letter_input *in, const char *first,
                           const char *latest)
{
    tpt_trend_table_html(b, in->measures, in->nmeasures, first, latest, put_table_date, in);
}

static void course_box(tpt_buf *b, const tpt_letter_input *in)
{
    const char *v = in->course.verdict;
    const char *tone = !v                            ? ""
                       : strcmp(v, "improving") == 0 ? " good"
                       : strcmp(v, "review") == 0    ? " caution"
                                                     : "";
    const char *words = !v                            ? "not judged"
                        : strcmp(v, "improving") == 0 ? "improving"
                        : strcmp(v, "review") == 0    ? "review"
                                                      : "in course";
    tpt_buf_printf(b, "<div class=\"box course%s\"><p class=\"head\">Course of care: %s</p>", tone,
                   words);
    tpt_buf_element(b, "<p>", in->course.sentence, "</p>");
    tpt_buf_printf(b, "<p>%d visit%s signed of %d planned.", in->course.signed_visits,
                   plural(in->course.signed_visits), in->course.planned);
    if (in->course.reassessment_due)
        tpt_buf_printf(b,
                       " A reassessment is due at visit %d: no outcome measure is taken at it "
                       "yet.",
                       in->course.reassessment_due);
    tpt_buf_puts(b, "</p></div>");
}

/* ---- the intake: history, examination, assessment ---- */

static void fact(tpt_buf *b, const char *term, const char *text)
{
    if (!text || !*text) return;
    tpt_buf_element(b, "<dt>", term, "</dt>");
    tpt_buf_element(b, "<dd>", text, "</dd>");
}

static void pain_now(tpt_buf *b, const tpt_letter_input *in, const json_t *subjective)
{
    const json_t *leg = json_object_get(subjective, "leg_pain"),
                 *back = json_object_get(subjective, "back_pain");
    if (json_is_integer(leg)) put_n(b, W("leg {n}/10"), (long)json_integer_value(leg));
    if (json_is_integer(leg) && json_is_integer(back)) tpt_buf_puts(b, ", ");
    if (json_is_integer(back)) put_n(b, W("back {n}/10"), (long)json_integer_value(back));
}

/* "7 / 4" */
static void pain_pair(tpt_buf *b, const json_t *subjective)
{
    const json_t *leg = json_object_get(subjective, "leg_pain"),
                 *back = json_object_get(subjective, "back_pain");
    if (json_is_integer(leg))
        tpt_buf_printf(b, "%lld", (long long)json_integer_value(leg));
    else
        tpt_buf_puts(b, "&#8211;");
    tpt_buf_puts(b, " / ");
    if (json_is_integer(back))
        tpt_buf_printf(b, "%lld", (long long)json_integer_value(back));
    else
        tpt_buf_puts(b, "&#8211;");
}

static bool has_pain(const json_t *subjective)
{
    return json_is_integer(json_object_get(subjective, "leg_pain")) ||
           json_is_integer(json_object_get(subjective, "back_pain"));
}

static void drawing_list(tpt_buf *b, const tpt_letter_input *in, const json_t *marks)
{
    for (size_t i = 0; i < json_array_size(marks); i++) {
        if (i) tpt_buf_puts(b, "; ");
        put_mark(b, in, json_string_value(json_array_get(marks, i)));
    }
}

static void history(tpt_buf *b, const tpt_letter_input *in, const tpt_letter_visit *v)
{
    const json_t *s = at(v->note, "subjective", NULL), *h = json_object_get(s, "history");
    const json_t *marks = at(v->note, "objective", "marks");
    tpt_buf_puts(b, "<dl class=\"facts\">");
    if (has_pain(s)) {
        tpt_buf_puts(b, "<dt>Pain at the first visit</dt><dd>");
        pain_now(b, in, s);
        tpt_buf_puts(b, " <span class=\"muted\">(0-10)</span></dd>");
    }
    if (json_array_size(marks)) {
        tpt_buf_puts(b, "<dt>Where it is felt</dt><dd>");
        drawing_list(b, in, marks);
        tpt_buf_puts(b, "</dd>");
    }
    fact(b, "Onset", str(h, "onset"));
    fact(b, "How it started", str(h, "how_started"));
    json_int_t weeks = json_integer_value(json_object_get(h, "duration_weeks"));
    if (json_is_integer(json_object_get(h, "duration_weeks")))
        tpt_buf_printf(b, "<dt>Duration</dt><dd>%lld week%s</dd>", (long long)weeks,
                       plural((long)weeks));
    fact(b, "Made worse by", str(h, "aggravating"));
    fact(b, "Eased by", str(h, "easing"));
    const json_t *factors = json_object_get(h, "perpetuating");
    if (json_array_size(factors)) {
        tpt_buf_puts(b, "<dt>Perpetuating factors</dt><dd>");
        for (size_t i = 0; i < json_array_size(factors); i++) {
            const char *w = factor_words(json_string_value(json_array_get(factors, i)));
            if (i) tpt_buf_puts(b, ", ");
            if (i == 0)
                put_cap(b, w);
            else
                put(b, w);
        }
        tpt_buf_puts(b, "</dd>");
    }
    const json_t *hours = json_object_get(h, "sitting_hours");
    if (has_text(h, "work") || json_is_number(hours)) {
        tpt_buf_puts(b, "<dt>Work</dt><dd>");
        put(b, str(h, "work"));
        if (json_is_number(hours))
            tpt_buf_printf(b, "%ssitting about %g hour%s a day", has_text(h, "work") ? "; " : "",
                           json_number_value(hours), json_number_value(hours) == 1 ? "" : "s");
        tpt_buf_puts(b, "</dd>");
    }
    fact(b, "Prior treatments", str(h, "prior_treatments"));
    fact(b, "Since the last visit", str(s, "changes"));
    tpt_buf_puts(b, "</dl>");
}

static void yes_no(tpt_buf *b, const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    tpt_buf_puts(b, json_is_true(v)    ? "<td>yes</td>"
                    : json_is_false(v) ? "<td>no</td>"
                                       : "<td class=\"muted\">&#8211;</td>");
}

static void examination(tpt_buf *b, const tpt_letter_input *in, const tpt_letter_visit *v)
{
    const json_t *findings = at(v->note, "objective", "findings"),
                 *palpation = at(v->note, "objective", "palpation");
    if (!json_array_size(findings) && !json_array_size(palpation)) {
        tpt_buf_puts(b, "<p class=\"muted\">No examination findings are recorded.</p>");
        return;
    }
    if (json_array_size(findings)) {
        tpt_buf_puts(b, "<p>Positive findings: ");
        for (size_t i = 0; i < json_array_size(findings); i++) {
            const json_t *f = json_array_get(findings, i);
            if (i) tpt_buf_puts(b, "; ");
            if (json_is_string(f))
                put(b, json_string_value(f));
            else
                put_finding(b, in->atlas, str(f, "finding"), str(f, "side"));
        }
        tpt_buf_puts(b, ".</p>");
    }
    if (!json_array_size(palpation)) return;
    tpt_buf_puts(b, "<table class=\"palpation\"><thead><tr><th>Palpation</th><th>Tender</th>"
                    "<th>Taut band</th><th>Twitch</th><th>Reproduces the familiar "
                    "pain</th></tr></thead><tbody>");
    for (size_t i = 0; i < json_array_size(palpation); i++) {
        const json_t *p = json_array_get(palpation, i);
        tpt_buf_puts(b, "<tr><td>");
        put_named(b, in, MUSCLE, str(p, "muscle"), str(p, "side"));
        tpt_buf_puts(b, "</td>");
        yes_no(b, p, "tender");
        yes_no(b, p, "taut_band");
        yes_no(b, p, "twitch");
        yes_no(b, p, "reproduces");
        tpt_buf_puts(b, "</tr>");
    }
    tpt_buf_puts(b, "</tbody></table>");
}

/* The probability the answer gives a cause on a side, or -1. */
static double probability_of(const json_t *answer, const char *cause, const char *side)
{
    const json_t *list = json_object_get(answer, "candidates");
    for (size_t i = 0; cause && i < json_array_size(list); i++) {
        const json_t *c = json_array_get(list, i);
        const char *cs = str(c, "side");
        if (str(c, "cause") && strcmp(str(c, "cause"), cause) == 0 &&
            ((!cs && !side) || (cs && side && strcmp(cs, side) == 0)))
            return json_number_value(json_object_get(c, "probability"));
    }
    return -1;
}

static void percent_cell(tpt_buf *b, double p)
{
    if (p < 0)
        tpt_buf_puts(b, "<td class=\"n muted\">&#8211;</td>");
    else
        tpt_buf_printf(b, "<td class=\"n\">%.0f%%</td>", p * 100);
}

static void assessment(tpt_buf *b, const tpt_letter_visit *v)
{
    const json_t *with = json_object_get(v->result, "with_findings"),
                 *only = json_object_get(v->result, "drawing_only");
    const json_t *main = with ? with : only, *list = json_object_get(main, "candidates");
    const char *own = str(at(v->note, "assessment", NULL), "own_words");
    if (json_array_size(list)) {
        tpt_buf_puts(b, "<p>tpt's ranking of the likely causes of the pain drawing, from "
                        "published referral patterns");
        tpt_buf_puts(b, with ? ", with and without the examination and palpation findings:</p>"
                             : ":</p>");
        tpt_buf_puts(b, "<table class=\"engine\"><thead><tr><th>Likely cause</th>");
        if (with) tpt_buf_puts(b, "<th class=\"n\">With findings</th>");
        tpt_buf_puts(b, "<th class=\"n\">Drawing only</th></tr></thead><tbody>");
        for (size_t i = 0; i < json_array_size(list) && i < TOP_CAUSES; i++) {
            const json_t *c = json_array_get(list, i);
            double p = json_number_value(json_object_get(c, "probability"));
            if (i > 0 && p < SHOWN_BELOW) break;
            tpt_buf_element(b, "<tr><td>", str(c, "label") ? str(c, "label") : str(c, "cause"), "");
            if (tpt_side_id_word(str(c, "side")))
                tpt_buf_printf(b, ", %s", tpt_side_id_word(str(c, "side")));
            tpt_buf_puts(b, "</td>");
            if (with) percent_cell(b, p);
            percent_cell(b, probability_of(only, str(c, "cause"), str(c, "side")));
            tpt_buf_puts(b, "</tr>");
        }
        tpt_buf_puts(b, "</tbody></table>");
        if (has_text(main, "pattern_sentence"))
            tpt_buf_element(b, "<p>", str(main, "pattern_sentence"), "</p>");
    } else {
        tpt_buf_puts(b, "<p class=\"muted\">No pain drawing was recorded for tpt to rank "
                        "causes.</p>");
    }
    if (own && *own) {
        tpt_buf_element(b, "<p>My own assessment:</p><blockquote>", own, "</blockquote>");
    }
}

/* ---- signatures ---- */

static void signature(tpt_buf *b, const tpt_letter_input *in, const tpt_letter_visit *by,
                      const char *closing)
{
    if (!by) return;
    tpt_buf_element(b, "<div class=\"sign\"><p>", closing, "</p><div class=\"space\"></div>");
    tpt_buf_element(b, "<p><strong>", by->signed_by ? by->signed_by : "The practitioner",
                    "</strong><br>");
    put(b, in->clinic);
    tpt_buf_puts(b, "</p></div>");
}

/* ---- 1. the visit summary ---- */

int tpt_letter_visit_write_html(const tpt_letter_input *in, int number, tpt_buf *b)
{
    const tpt_letter_visit *v = NULL;
    for (size_t i = 0; i < in->nvisits; i++)
        if (in->visits[i].number == number) v = &in->visits[i];
    if (!v) return TPT_ERR_INPUT;
    const json_t *plan = at(v->note, "plan", NULL), *s = at(v->note, "subjective", NULL);
    bool stops = flag_stops(in);
    begin(b, in, W("Your visit"));
    tpt_buf_puts(b, "<h1>");
    tpt_buf_put_html(b, W("Your visit on "));
    put_date(b, in, v->at);
    tpt_buf_puts(b, "</h1><p class=\"sub\">");
    put_patient(b, in);
    char visit_number[16], planned_text[16];
    snprintf(visit_number, sizeof visit_number, "%d", v->number);
    snprintf(planned_text, sizeof planned_text, "%d", in->course.planned);
    const char *names[] = {"n", "planned", "name"},
               *values[] = {visit_number, planned_text, v->author};
    tpt_buf_puts(b, " &#183; ");
    tpt_buf_fill_html(
        b, in->course.planned >= v->number ? W("visit {n} of {planned} planned") : W("visit {n}"),
        names, values, 3);
    if (v->author) {
        tpt_buf_puts(b, " &#183; ");
        tpt_buf_fill_html(b, W("with {name}"), names, values, 3);
    }
    tpt_buf_puts(b, "</p>");
    if (!is_signed(v))
        tpt_buf_element(b, "<div class=\"box draft\"><p>",
                        W("Written from your practitioner's notes of this visit before they were "
                          "signed: they may still change."),
                        "</p></div>");
    flag_box(b, in, true);
    if (has_pain(s) || has_text(s, "changes")) {
        tpt_buf_element(b, "<h2>", W("How you were"), "</h2>");
        if (has_pain(s)) {
            tpt_buf_element(b, "<p>", W("Your pain, from 0 (none) to 10 (the worst imaginable): "),
                            "");
            pain_now(b, in, s);
            tpt_buf_puts(b, ".</p>");
        }
        if (has_text(s, "changes")) tpt_buf_element(b, "<p>", str(s, "changes"), "</p>");
    }
    tpt_buf_element(b, "<h2>", W("What we did today"), "</h2><ul class=\"done\">");
    if (!visit_treatments(b, in, plan, stops))
        tpt_buf_element(b, "<li>", W("An assessment; no treatment is recorded for this visit."),
                        "</li>");
    tpt_buf_puts(b, "</ul>");
    if (v->namendments) {
        tpt_buf_element(b, "<h3>", W("Corrections to the notes of this visit"), "</h3>");
        amendments(b, in, v, TPT_TEXT("Added"));
    }
    tpt__letter_home_section(b, in, W("Your home program"),
                             !json_is_false(json_object_get(plan, "home_program")), false);
    if (!stops && in->techniques && in->techniques->course.advice) {
        tpt_buf_element(b, "<h2>", W("What to expect"), "</h2>");
        tpt_buf_element(b, "<p>", W(in->techniques->course.advice), "</p>");
    }
    tpt_buf_element(b, "<h2>", W("When to come back"), "</h2><ul>");
    int planned = in->course.planned;
    if (stops) {
        tpt_buf_element(b, "<li>",
                        W("First see a doctor as the warning above says; your care here goes on "
                          "once they have seen you."),
                        "</li>");
    } else if (planned > v->number) {
        char next[16], check_text[16];
        int check = v->number < REASSESS_FIRST ? REASSESS_FIRST : planned;
        snprintf(next, sizeof next, "%d", v->number + 1);
        snprintf(check_text, sizeof check_text, "%d", check);
        const char *keys[] = {"next", "planned", "check"},
                   *filled[] = {next, planned_text, check_text};
        tpt_buf_puts(b, "<li>");
        tpt_buf_fill_html(b, W("Your next visit is visit {next} of the {planned} planned."), keys,
                          filled, 3);
        if (check > v->number) {
            tpt_buf_puts(b, " ");
            tpt_buf_fill_html(b,
                              check == planned
                                  ? W("We will measure your progress together at visit {check}, "
                                      "the end of the planned course.")
                                  : W("We will measure your progress together at visit {check}."),
                              keys, filled, 3);
        }
        tpt_buf_puts(b, "</li>");
    } else if (planned > 0) {
        tpt_buf_element(b, "<li>",
                        W("This was the last of the planned visits: we will look at your progress "
                          "together and decide whether more care would help."),
                        "</li>");
    }
    tpt_buf_element(b, "<li>",
                    W("Come back sooner, or see your doctor, if the pain gets worse or spreads, or "
                      "if you notice new numbness or weakness."),
                    "</li></ul>");
    if (!stops && in->techniques && in->techniques->nstop_rules) {
        tpt_buf_element(b, "<h2>", W("Stop and get help"), "</h2><ul class=\"stop-rules\">");
        for (size_t i = 0; i < in->techniques->nstop_rules; i++)
            tpt_buf_element(b, "<li>", W(in->techniques->stop_rules[i].text), "</li>");
        tpt_buf_puts(b, "</ul>");
    }
    if (is_signed(v)) {
        tpt_buf_element(b, "<p class=\"muted small\">", W("Notes signed "), "");
        put_date(b, in, v->signed_at);
        if (v->signed_by) {
            const char *who[] = {"name"}, *by[] = {v->signed_by};
            tpt_buf_fill_html(b, W(" by {name}"), who, by, 1);
        }
        tpt_buf_puts(b, ".</p>");
    }
    return end(b, in);
}

/* ---- 2. the letter to the referring doctor ---- */

static void visits_table(tpt_buf *b, const tpt_letter_input *in)
{
    tpt_buf_puts(b, "<table class=\"visits\"><thead><tr><th class=\"n\">Visit</th><th>Date</th>"
                    "<th class=\"nowrap\">Pain, leg / back</th><th>Treatment</th><th>Notes</th>"
                    "</tr></thead><tbody>");
    for (size_t i = 0; i < in->nvisits; i++) {
        const tpt_letter_visit *v = &in->visits[i];
        if (!is_signed(v)) continue;
        const json_t *s = at(v->note, "subjective", NULL);
        tpt_buf_printf(b, "<tr><td class=\"n\">%d</td><td class=\"nowrap\">", v->number);
        put_date_as(b, in, v->at, true);
        tpt_buf_puts(b, "</td><td class=\"nowrap\">");
        pain_pair(b, s);
        tpt_buf_puts(b, "</td><td>");
        visit_treatments_short(b, at(v->note, "plan", NULL));
        tpt_buf_puts(b, "</td><td>");
        const char *own = str(at(v->note, "assessment", NULL), "own_words");
        if (v != first_visit(in) && own && *own) put(b, own);
        if (v != first_visit(in)) amendments(b, in, v, "Amended");
        tpt_buf_puts(b, "</td></tr>");
    }
    tpt_buf_puts(b, "</tbody></table>");
}

static void nothing_signed(tpt_buf *b)
{
    tpt_buf_puts(b, "<div class=\"box\"><p class=\"head\">No visit note is signed yet.</p><p>This "
                    "letter is written from the signed notes only: sign the notes of the visits "
                    "to write it.</p></div>");
}

int tpt_letter_doctor_write_html(const tpt_letter_input *in, tpt_buf *b)
{
    tpt_letter_input english = *in; /* written in English (include/tpt/letters.h) */
    english.words = NULL;
    in = &english;
    const tpt_letter_visit *first = first_visit(in), *last = last_signed(in);
    begin(b, in, "Letter to the referring doctor");
    tpt_buf_puts(b, "<h1>Clinical summary</h1><p class=\"sub\">Re: ");
    put_patient(b, in);
    tpt_buf_puts(b, "</p>");
    drafts_note(b, in);
    if (!first) {
        flag_box(b, in, false);
        nothing_signed(b);
        return end(b, in);
    }
    tpt_buf_puts(b, "<p>Dear Doctor,</p><p>");
    put(b, in->patient);
    size_t n = signed_count(in);
    if (n > 1) {
        tpt_buf_puts(b, " has attended this clinic for trigger point therapy of sciatica-type "
                        "pain since ");
        put_date(b, in, first->at);
        tpt_buf_printf(b, ": %zu visits", n);
        if (in->course.planned > 0) tpt_buf_printf(b, " of the %d planned", in->course.planned);
        tpt_buf_puts(b, ", the latest on ");
        put_date(b, in, last->at);
    } else {
        tpt_buf_puts(b, " attended this clinic for trigger point therapy of sciatica-type pain "
                        "on ");
        put_date(b, in, first->at);
        if (in->course.planned > 1)
            tpt_buf_printf(b, ", the first of %d planned visits", in->course.planned);
    }
    tpt_buf_puts(b, ". A summary of my findings and of the treatment so far follows.</p>");
    flag_box(b, in, false);
    if (json_object_get(at(first->note, "subjective", NULL), "history") ||
        has_pain(at(first->note, "subjective", NULL)) ||
        json_array_size(at(first->note, "objective", "marks"))) {
        tpt_buf_puts(b, "<h2>Presenting complaint and history</h2>");
        history(b, in, first);
    }
    tpt_buf_puts(b, "<h2>Examination</h2>");
    examination(b, in, first);
    tpt_buf_puts(b, "<h2>Assessment</h2>");
    assessment(b, first);
    if (first->namendments) {
        tpt_buf_printf(b,
                       "<div class=\"amends\"><p class=\"muted small\">Amendments to the note of "
                       "visit %d:</p>",
                       first->number);
        amendments(b, in, first, "Amended");
        tpt_buf_puts(b, "</div>");
    }
    tpt_buf_puts(b, "<h2>Treatment</h2>");
    totals_table(b, in, false);
    visits_table(b, in);
    tpt_buf_puts(b, "<h2>Outcome measures</h2>");
    measures_table(b, in, "First", "Latest");
    course_box(b, in);
    tpt_buf_puts(b, "<p>Please do not hesitate to contact the clinic about this patient.</p>");
    signature(b, in, first, "Yours sincerely,");
    return end(b, in);
}

/* ---- 3. the discharge summary ---- */

int tpt_letter_discharge_write_html(const tpt_letter_input *in, tpt_buf *b)
{
    tpt_letter_input english = *in; /* written in English (include/tpt/letters.h) */
    english.words = NULL;
    in = &english;
    const tpt_letter_visit *first = first_visit(in), *last = last_signed(in);
    begin(b, in, "Discharge summary");
    tpt_buf_puts(b, "<h1>Discharge summary</h1><p class=\"sub\">");
    put_patient(b, in);
    tpt_buf_puts(b, "</p>");
    drafts_note(b, in);
    flag_box(b, in, true);
    if (!first) {
        nothing_signed(b);
        return end(b, in);
    }
    tpt_buf_puts(b, "<h2>Course of care</h2><dl class=\"facts\"><dt>First visit</dt><dd>");
    put_date(b, in, first->at);
    tpt_buf_puts(b, "</dd><dt>Last visit</dt><dd>");
    put_date(b, in, last->at);
    size_t n = signed_count(in);
    tpt_buf_printf(b, "</dd><dt>Visits</dt><dd>%zu", n);
    if (in->course.planned > 0) tpt_buf_printf(b, " of %d planned", in->course.planned);
    tpt_buf_puts(b, "</dd>");
    const json_t *h = at(first->note, "subjective", "history"),
                 *marks = at(first->note, "objective", "marks");
    if (json_array_size(marks)) {
        tpt_buf_puts(b, "<dt>Pain treated</dt><dd>");
        drawing_list(b, in, marks);
        tpt_buf_puts(b, "</dd>");
    }
    if (json_is_integer(json_object_get(h, "duration_weeks"))) {
        json_int_t w = json_integer_value(json_object_get(h, "duration_weeks"));
        tpt_buf_printf(b, "<dt>Duration at the start</dt><dd>%lld week%s</dd>", (long long)w,
                       plural((long)w));
    }
    const char *own = str(at(last->note, "assessment", NULL), "own_words");
    if (!own || !*own) own = str(at(first->note, "assessment", NULL), "own_words");
    fact(b, "Latest assessment", own);
    tpt_buf_puts(b, "</dl><h2>Treatment given</h2>");
    totals_table(b, in, flag_stops(in));
    tpt_buf_puts(b, "<h2>Outcome</h2>");
    measures_table(b, in, "Baseline", "At discharge");
    course_box(b, in);
    tpt__letter_home_section(b, in, "Your home program to keep up", true, true);
    tpt_buf_puts(b, "<h2>When to seek help again</h2><ul>"
                    "<li>Book a visit if the pain comes back, or stops improving with the home "
                    "program.</li>"
                    "<li>See your doctor if the pain is severe, keeps getting worse, or new "
                    "numbness or weakness appears.</li>");
    for (size_t i = 0; in->techniques && i < in->techniques->nstop_rules; i++)
        if (in->techniques->stop_rules[i].id &&
            strcmp(in->techniques->stop_rules[i].id, "red-flags") == 0)
            tpt_buf_element(b, "<li>", in->techniques->stop_rules[i].text, "</li>");
    tpt_buf_puts(b, "</ul>");
    signature(b, in, last, "Discharged by");
    return end(b, in);
}
