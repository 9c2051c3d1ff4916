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
    /* a phone: the tables' words wrap rather than widen the page */
    "@media (max-width:36rem){.program{grid-template-columns:1fr}.nowrap{white-space:normal}"
    "dl.facts{grid-template-columns:1fr}table{font-size:.85em}"
    "th,td{padding-right:.35rem;overflow-wrap:anywhere}}"
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

/* "3 November 2026", or short "3 Nov 2026" (the tables); another language
 * than English names the month in full, its names being no three letters */
void tpt__letter_date(tpt_buf *b, const tpt_letter_input *in, int64_t t, bool short_month)
{
    short_month = short_month && strcmp(tpt_words_language(in->words), "en") == 0;
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
    tpt__letter_date(b, in, t, false);
}

static void date_text(const tpt_letter_input *in, int64_t t, char *out, size_t size)
{
    tpt_buf d = {0};
    put_date(&d, in, t);
    snprintf(out, size, "%s", d.data && !d.failed ? d.data : "");
    tpt_buf_free(&d);
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

static void put_finding(tpt_buf *b, const tpt_letter_input *in, const char *id, const char *side)
{
    const tpt_atlas *atlas = in->atlas;
    const char *label = id;
    for (size_t i = 0; atlas && id && i < atlas->nfindings; i++)
        if (strcmp(atlas->findings[i].id, id) == 0) label = W(atlas->findings[i].label);
    put(b, label);
    if (tpt_side_id_word(side)) tpt_buf_element(b, ", ", W(tpt_side_id_word(side)), "");
}

/* A date as text, for a template's value. */
static void date_text(const tpt_letter_input *in, int64_t t, char *out, size_t size);

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
    /* the kinds' names are their ids, and the words of the English letter */
    static const char *const kinds[TPT_KIND_COUNT] = {[TPT_SHARP] = TPT_TEXT("sharp"),
                                                      [TPT_BURNING] = TPT_TEXT("burning"),
                                                      [TPT_TINGLING] = TPT_TEXT("tingling"),
                                                      [TPT_NUMB] = TPT_TEXT("numb")};
    if (m.kind != TPT_ACHE) tpt_buf_put_html(b, W(kinds[m.kind]));
    if (m.kind != TPT_ACHE && m.intensity) tpt_buf_puts(b, ", ");
    if (m.intensity) tpt_buf_printf(b, "%d/10", m.intensity);
}

static const char *factor_words(const char *id)
{
    static const char *const words[][2] = {{"repetitive-use", TPT_TEXT("repetitive use")},
                                           {"posture", TPT_TEXT("posture")},
                                           {"long-sitting", TPT_TEXT("long sitting")},
                                           {"trauma", TPT_TEXT("an injury")},
                                           {"stress", TPT_TEXT("stress")}};
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
    char list[256] = "", count[24];
    size_t used = 0;
    for (size_t i = 0; i < in->nvisits && used < sizeof list; i++)
        if (!is_signed(&in->visits[i]))
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%d", used ? ", " : "",
                                     in->visits[i].number);
    snprintf(count, sizeof count, "%zu", n);
    const char *names[] = {"n", "visits"}, *values[] = {count, list};
    tpt_buf_puts(b, "<div class=\"box draft\"><p>");
    tpt_buf_fill_html(b,
                      n == 1 ? W("1 visit note not yet signed (visit {visits}) is left out: a "
                                 "draft is not part of the record until it is signed.")
                             : W("{n} visit notes not yet signed (visits {visits}) are left out: "
                                 "a draft is not part of the record until it is signed."),
                      names, values, 2);
    tpt_buf_puts(b, "</p></div>");
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

void tpt__letter_named(tpt_buf *b, const tpt_letter_input *in, tpt__named what, const char *a,
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
static void put_items(tpt_buf *b, const tpt_letter_input *in, const json_t *list, tpt__named what,
                      bool needles)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *it = json_array_get(list, i);
        if (i) tpt_buf_puts(b, "; ");
        if (json_is_string(it)) {
            tpt__letter_named(b, in, what, json_string_value(it), NULL);
            continue;
        }
        tpt__letter_named(b, in, what, what == POINT ? str(it, "point") : str(it, "muscle"),
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
        tpt__named what;
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
static void visit_treatments_short(tpt_buf *b, const tpt_letter_input *in, const json_t *plan)
{
    size_t n = 0;
    const json_t *l;
    if ((l = json_object_get(plan, "compression")) && json_array_size(l)) {
        tpt_buf_puts(b, n++ ? ", " : "");
        put_n(b, W("compression ({n})"), (long)json_array_size(l));
    }
    if ((l = json_object_get(plan, "needling")) && json_array_size(l)) {
        tpt_buf_element(b, n++ ? ", " : "", W("dry needling"), " (");
        put_count(b, sum_counts(l), W("1 needle"), W("{n} needles"));
        tpt_buf_puts(b, ")");
    }
    if ((l = json_object_get(plan, "acupoints")) && json_array_size(l)) {
        tpt_buf_element(b, n++ ? ", " : "", W("acupuncture"), " (");
        put_count(b, (long)json_array_size(l), W("1 point"), W("{n} points"));
        tpt_buf_puts(b, ", ");
        put_count(b, sum_counts(l), W("1 needle"), W("{n} needles"));
        tpt_buf_puts(b, ")");
    }
    if (json_array_size(json_object_get(plan, "cupping")))
        tpt_buf_element(b, n++ ? ", " : "", W("cupping"), "");
    if (json_array_size(json_object_get(plan, "tuina")))
        tpt_buf_element(b, n++ ? ", " : "", W("Tui Na"), "");
    if (json_array_size(json_object_get(plan, "gua_sha")))
        tpt_buf_element(b, n++ ? ", " : "", W("Gua Sha"), "");
    json_int_t heat = json_integer_value(json_object_get(plan, "heat_minutes"));
    if (heat > 0) {
        tpt_buf_puts(b, n++ ? ", " : "");
        put_n(b, W("heat {n} min"), (long)heat);
    }
    if ((l = json_object_get(plan, "stretches")) && json_array_size(l)) {
        tpt_buf_puts(b, n++ ? ", " : "");
        put_count(b, (long)json_array_size(l), W("1 stretch taught"), W("{n} stretches taught"));
    }
    if (!n) tpt_buf_element(b, "<span class=\"muted\">", W("none recorded"), "</span>");
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

/* The pain's duration at the start: "6 weeks". */
static void weeks(tpt_buf *b, const tpt_letter_input *in, const json_t *history)
{
    json_int_t w = json_integer_value(json_object_get(history, "duration_weeks"));
    put_count(b, (long)w, W("1 week"), W("{n} weeks"));
}

static void history(tpt_buf *b, const tpt_letter_input *in, const tpt_letter_visit *v)
{
    const json_t *s = at(v->note, "subjective", NULL), *h = json_object_get(s, "history");
    const json_t *marks = at(v->note, "objective", "marks");
    tpt_buf_puts(b, "<dl class=\"facts\">");
    if (has_pain(s)) {
        tpt_buf_element(b, "<dt>", W("Pain at the first visit"), "</dt><dd>");
        pain_now(b, in, s);
        tpt_buf_puts(b, " <span class=\"muted\">(0-10)</span></dd>");
    }
    if (json_array_size(marks)) {
        tpt_buf_element(b, "<dt>", W("Where it is felt"), "</dt><dd>");
        drawing_list(b, in, marks);
        tpt_buf_puts(b, "</dd>");
    }
    fact(b, W("Onset"), str(h, "onset"));
    fact(b, W("How it started"), str(h, "how_started"));
    if (json_is_integer(json_object_get(h, "duration_weeks"))) {
        tpt_buf_element(b, "<dt>", W("Duration"), "</dt><dd>");
        weeks(b, in, h);
        tpt_buf_puts(b, "</dd>");
    }
    fact(b, W("Made worse by"), str(h, "aggravating"));
    fact(b, W("Eased by"), str(h, "easing"));
    const json_t *factors = json_object_get(h, "perpetuating");
    if (json_array_size(factors)) {
        tpt_buf_element(b, "<dt>", W("Perpetuating factors"), "</dt><dd>");
        for (size_t i = 0; i < json_array_size(factors); i++) {
            const char *w = W(factor_words(json_string_value(json_array_get(factors, i))));
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
        tpt_buf_element(b, "<dt>", W("Work"), "</dt><dd>");
        put(b, str(h, "work"));
        if (json_is_number(hours)) {
            char n[32];
            snprintf(n, sizeof n, "%g", json_number_value(hours));
            const char *names[] = {"n"}, *values[] = {n};
            if (has_text(h, "work")) tpt_buf_puts(b, "; ");
            tpt_buf_fill_html(b,
                              json_number_value(hours) == 1 ? W("sitting about 1 hour a day")
                                                            : W("sitting about {n} hours a day"),
                              names, values, 1);
        }
        tpt_buf_puts(b, "</dd>");
    }
    fact(b, W("Prior treatments"), str(h, "prior_treatments"));
    fact(b, W("Since the last visit"), str(s, "changes"));
    tpt_buf_puts(b, "</dl>");
}

static void yes_no(tpt_buf *b, const tpt_letter_input *in, const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (json_is_boolean(v))
        tpt_buf_element(b, "<td>", json_is_true(v) ? W("yes") : W("no"), "</td>");
    else
        tpt_buf_puts(b, "<td class=\"muted\">&#8211;</td>");
}

/* Whether the note's finding (an object, or "id:side") is a test found
 * normal, as the atlas marks it. */
static bool finding_normal(const tpt_atlas *atlas, const json_t *f)
{
    const char *id = json_is_string(f) ? json_string_value(f) : str(f, "finding");
    size_t len = id ? strcspn(id, ":") : 0;
    for (size_t i = 0; atlas && id && i < atlas->nfindings; i++)
        if (strlen(atlas->findings[i].id) == len && strncmp(atlas->findings[i].id, id, len) == 0)
            return atlas->findings[i].negative;
    return false;
}

/* "Positive findings: ...", or the tests found normal: "Found normal: ...";
 * nothing when the note has none of them. */
static void finding_line(tpt_buf *b, const tpt_letter_input *in, const json_t *findings,
                         bool normal)
{
    size_t shown = 0;
    for (size_t i = 0; i < json_array_size(findings); i++) {
        const json_t *f = json_array_get(findings, i);
        if (finding_normal(in->atlas, f) != normal) continue;
        if (shown++)
            tpt_buf_puts(b, "; ");
        else
            tpt_buf_element(b, "<p>", normal ? W("Found normal: ") : W("Positive findings: "), "");
        if (json_is_string(f))
            put(b, json_string_value(f));
        else
            put_finding(b, in, str(f, "finding"), str(f, "side"));
    }
    if (shown) tpt_buf_puts(b, ".</p>");
}

static void examination(tpt_buf *b, const tpt_letter_input *in, const tpt_letter_visit *v)
{
    const json_t *findings = at(v->note, "objective", "findings"),
                 *palpation = at(v->note, "objective", "palpation");
    if (!json_array_size(findings) && !json_array_size(palpation)) {
        tpt_buf_element(b, "<p class=\"muted\">", W("No examination findings are recorded."),
                        "</p>");
        return;
    }
    finding_line(b, in, findings, false);
    finding_line(b, in, findings, true);
    if (!json_array_size(palpation)) return;
    static const char *const heads[] = {TPT_TEXT("Palpation"), TPT_TEXT("Tender"),
                                        TPT_TEXT("Taut band"), TPT_TEXT("Twitch"),
                                        TPT_TEXT("Reproduces the familiar pain")};
    tpt_buf_puts(b, "<table class=\"palpation\"><thead><tr>");
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
        tpt_buf_element(b, "<th>", W(heads[i]), "</th>");
    tpt_buf_puts(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < json_array_size(palpation); i++) {
        const json_t *p = json_array_get(palpation, i);
        tpt_buf_puts(b, "<tr><td>");
        tpt__letter_named(b, in, MUSCLE, str(p, "muscle"), str(p, "side"));
        tpt_buf_puts(b, "</td>");
        yes_no(b, in, p, "tender");
        yes_no(b, in, p, "taut_band");
        yes_no(b, in, p, "twitch");
        yes_no(b, in, p, "reproduces");
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

static void assessment(tpt_buf *b, const tpt_letter_input *in, const tpt_letter_visit *v)
{
    const json_t *with = json_object_get(v->result, "with_findings"),
                 *only = json_object_get(v->result, "drawing_only");
    const json_t *main = with ? with : only, *list = json_object_get(main, "candidates");
    const char *own = str(at(v->note, "assessment", NULL), "own_words");
    if (json_array_size(list)) {
        tpt_buf_element(b, "<p>",
                        with ? W("tpt's ranking of the likely causes of the pain drawing, from "
                                 "published referral patterns, with and without the examination "
                                 "and palpation findings:")
                             : W("tpt's ranking of the likely causes of the pain drawing, from "
                                 "published referral patterns:"),
                        "</p>");
        tpt_buf_element(b, "<table class=\"engine\"><thead><tr><th>", W("Likely cause"), "</th>");
        if (with) tpt_buf_element(b, "<th class=\"n\">", W("With findings"), "</th>");
        tpt_buf_element(b, "<th class=\"n\">", W("Drawing only"), "</th></tr></thead><tbody>");
        for (size_t i = 0; i < json_array_size(list) && i < TOP_CAUSES; i++) {
            const json_t *c = json_array_get(list, i);
            double p = json_number_value(json_object_get(c, "probability"));
            if (i > 0 && p < SHOWN_BELOW) break;
            tpt_buf_element(b, "<tr><td>", str(c, "label") ? W(str(c, "label")) : str(c, "cause"),
                            "");
            if (tpt_side_id_word(str(c, "side")))
                tpt_buf_element(b, ", ", W(tpt_side_id_word(str(c, "side"))), "");
            tpt_buf_puts(b, "</td>");
            if (with) percent_cell(b, p);
            percent_cell(b, probability_of(only, str(c, "cause"), str(c, "side")));
            tpt_buf_puts(b, "</tr>");
        }
        tpt_buf_puts(b, "</tbody></table>");
        if (has_text(main, "pattern_sentence"))
            tpt_buf_element(b, "<p>", W(str(main, "pattern_sentence")), "</p>");
    } else {
        tpt_buf_element(b, "<p class=\"muted\">",
                        W("No pain drawing was recorded for tpt to rank causes."), "</p>");
    }
    if (own && *own) {
        tpt_buf_element(b, "<p>", W("My own assessment:"), "</p>");
        tpt_buf_element(b, "<blockquote>", own, "</blockquote>");
    }
}

/* ---- signatures ---- */

static void signature(tpt_buf *b, const tpt_letter_input *in, const tpt_letter_visit *by,
                      const char *closing)
{
    if (!by) return;
    tpt_buf_element(b, "<div class=\"sign\"><p>", closing, "</p><div class=\"space\"></div>");
    tpt_buf_element(b, "<p><strong>", by->signed_by ? by->signed_by : W("The practitioner"),
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
    static const char *const heads[] = {TPT_TEXT("Date"), TPT_TEXT("Pain, leg / back"),
                                        TPT_TEXT("Treatment"), TPT_TEXT("Notes")};
    tpt_buf_element(b, "<table class=\"visits\"><thead><tr><th class=\"n\">", W("Visit"), "</th>");
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
        tpt_buf_element(b, i == 1 ? "<th class=\"nowrap\">" : "<th>", W(heads[i]), "</th>");
    tpt_buf_puts(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < in->nvisits; i++) {
        const tpt_letter_visit *v = &in->visits[i];
        if (!is_signed(v)) continue;
        const json_t *s = at(v->note, "subjective", NULL);
        tpt_buf_printf(b, "<tr><td class=\"n\">%d</td><td class=\"nowrap\">", v->number);
        tpt__letter_date(b, in, v->at, true);
        tpt_buf_puts(b, "</td><td class=\"nowrap\">");
        pain_pair(b, s);
        tpt_buf_puts(b, "</td><td>");
        visit_treatments_short(b, in, at(v->note, "plan", NULL));
        tpt_buf_puts(b, "</td><td>");
        const char *own = str(at(v->note, "assessment", NULL), "own_words");
        if (v != first_visit(in) && own && *own) put(b, own);
        if (v != first_visit(in)) amendments(b, in, v, TPT_TEXT("Amended"));
        tpt_buf_puts(b, "</td></tr>");
    }
    tpt_buf_puts(b, "</tbody></table>");
}

static void nothing_signed(tpt_buf *b, const tpt_letter_input *in)
{
    tpt_buf_element(b, "<div class=\"box\"><p class=\"head\">", W("No visit note is signed yet."),
                    "</p>");
    tpt_buf_element(b, "<p>",
                    W("This letter is written from the signed notes only: sign the notes of the "
                      "visits to write it."),
                    "</p></div>");
}

/* "Ann Lee has attended this clinic ... since 3 November 2026: 4 visits of
 * the 6 planned, the latest on 1 December 2026." */
static void attended(tpt_buf *b, const tpt_letter_input *in, const tpt_letter_visit *first,
                     const tpt_letter_visit *last)
{
    size_t n = signed_count(in);
    char since[64], latest[64], count[24], planned[24];
    date_text(in, first->at, since, sizeof since);
    date_text(in, last->at, latest, sizeof latest);
    snprintf(count, sizeof count, "%zu", n);
    snprintf(planned, sizeof planned, "%d", in->course.planned);
    const char *names[] = {"name", "first", "latest", "n", "planned"},
               *values[] = {in->patient, since, latest, count, planned};
    const char *text =
        n > 1 && in->course.planned > 0
            ? W("{name} has attended this clinic for trigger point therapy of sciatica-type pain "
                "since {first}: {n} visits of the {planned} planned, the latest on {latest}.")
        : n > 1 ? W("{name} has attended this clinic for trigger point therapy of sciatica-type "
                    "pain since {first}: {n} visits, the latest on {latest}.")
        : in->course.planned > 1
            ? W("{name} attended this clinic for trigger point therapy of sciatica-type pain on "
                "{first}, the first of {planned} planned visits.")
            : W("{name} attended this clinic for trigger point therapy of sciatica-type pain on "
                "{first}.");
    tpt_buf_puts(b, "<p>");
    tpt_buf_fill_html(b, text, names, values, 5);
    tpt_buf_element(b, " ", W("A summary of my findings and of the treatment so far follows."),
                    "</p>");
}

int tpt_letter_doctor_write_html(const tpt_letter_input *in, tpt_buf *b)
{
    const tpt_letter_visit *first = first_visit(in), *last = last_signed(in);
    begin(b, in, W("Letter to the referring doctor"));
    tpt_buf_element(b, "<h1>", W("Clinical summary"), "</h1><p class=\"sub\">");
    tpt_buf_put_html(b, W("Re: "));
    put_patient(b, in);
    tpt_buf_puts(b, "</p>");
    drafts_note(b, in);
    if (!first) {
        flag_box(b, in, false);
        nothing_signed(b, in);
        return end(b, in);
    }
    tpt_buf_element(b, "<p>", W("Dear Doctor,"), "</p>");
    attended(b, in, first, last);
    flag_box(b, in, false);
    if (json_object_get(at(first->note, "subjective", NULL), "history") ||
        has_pain(at(first->note, "subjective", NULL)) ||
        json_array_size(at(first->note, "objective", "marks"))) {
        tpt_buf_element(b, "<h2>", W("Presenting complaint and history"), "</h2>");
        history(b, in, first);
    }
    tpt_buf_element(b, "<h2>", W("Examination"), "</h2>");
    examination(b, in, first);
    tpt_buf_element(b, "<h2>", W("Assessment"), "</h2>");
    assessment(b, in, first);
    if (first->namendments) {
        tpt_buf_puts(b, "<div class=\"amends\"><p class=\"muted small\">");
        put_n(b, W("Amendments to the note of visit {n}:"), first->number);
        tpt_buf_puts(b, "</p>");
        amendments(b, in, first, TPT_TEXT("Amended"));
        tpt_buf_puts(b, "</div>");
    }
    tpt_buf_element(b, "<h2>", W("Treatment"), "</h2>");
    tpt__letter_totals_table(b, in, false);
    visits_table(b, in);
    tpt_buf_element(b, "<h2>", W("Outcome measures"), "</h2>");
    tpt__letter_measures_table(b, in, W("First"), W("Latest"));
    tpt__letter_course_box(b, in);
    tpt_buf_element(b, "<p>", W("Please do not hesitate to contact the clinic about this patient."),
                    "</p>");
    signature(b, in, first, W("Yours sincerely,"));
    return end(b, in);
}

/* ---- 3. the discharge summary ---- */

int tpt_letter_discharge_write_html(const tpt_letter_input *in, tpt_buf *b)
{
    const tpt_letter_visit *first = first_visit(in), *last = last_signed(in);
    begin(b, in, W("Discharge summary"));
    tpt_buf_element(b, "<h1>", W("Discharge summary"), "</h1><p class=\"sub\">");
    put_patient(b, in);
    tpt_buf_puts(b, "</p>");
    drafts_note(b, in);
    flag_box(b, in, true);
    if (!first) {
        nothing_signed(b, in);
        return end(b, in);
    }
    tpt_buf_element(b, "<h2>", W("Course of care"), "</h2><dl class=\"facts\">");
    tpt_buf_element(b, "<dt>", W("First visit"), "</dt><dd>");
    put_date(b, in, first->at);
    tpt_buf_element(b, "</dd><dt>", W("Last visit"), "</dt><dd>");
    put_date(b, in, last->at);
    tpt_buf_element(b, "</dd><dt>", W("Visits"), "</dt><dd>");
    size_t n = signed_count(in);
    if (in->course.planned > 0) {
        char count[24], planned[24];
        snprintf(count, sizeof count, "%zu", n);
        snprintf(planned, sizeof planned, "%d", in->course.planned);
        const char *names[] = {"n", "planned"}, *values[] = {count, planned};
        tpt_buf_fill_html(b, W("{n} of {planned} planned"), names, values, 2);
    } else {
        tpt_buf_printf(b, "%zu", n);
    }
    tpt_buf_puts(b, "</dd>");
    const json_t *h = at(first->note, "subjective", "history"),
                 *marks = at(first->note, "objective", "marks");
    if (json_array_size(marks)) {
        tpt_buf_element(b, "<dt>", W("Pain treated"), "</dt><dd>");
        drawing_list(b, in, marks);
        tpt_buf_puts(b, "</dd>");
    }
    if (json_is_integer(json_object_get(h, "duration_weeks"))) {
        tpt_buf_element(b, "<dt>", W("Duration at the start"), "</dt><dd>");
        weeks(b, in, h);
        tpt_buf_puts(b, "</dd>");
    }
    const char *own = str(at(last->note, "assessment", NULL), "own_words");
    if (!own || !*own) own = str(at(first->note, "assessment", NULL), "own_words");
    fact(b, W("Latest assessment"), own);
    tpt_buf_element(b, "</dl><h2>", W("Treatment given"), "</h2>");
    tpt__letter_totals_table(b, in, flag_stops(in));
    tpt_buf_element(b, "<h2>", W("Outcome"), "</h2>");
    tpt__letter_measures_table(b, in, W("Baseline"), W("At discharge"));
    tpt__letter_course_box(b, in);
    tpt__letter_home_section(b, in, W("Your home program to keep up"), true, true);
    tpt_buf_element(b, "<h2>", W("When to seek help again"), "</h2><ul>");
    tpt_buf_element(b, "<li>",
                    W("Book a visit if the pain comes back, or stops improving with the home "
                      "program."),
                    "</li>");
    tpt_buf_element(b, "<li>",
                    W("See your doctor if the pain is severe, keeps getting worse, or new numbness "
                      "or weakness appears."),
                    "</li>");
    for (size_t i = 0; in->techniques && i < in->techniques->nstop_rules; i++)
        if (in->techniques->stop_rules[i].id &&
            strcmp(in->techniques->stop_rules[i].id, "red-flags") == 0)
            tpt_buf_element(b, "<li>", W(in->techniques->stop_rules[i].text), "</li>");
    tpt_buf_puts(b, "</ul>");
    signature(b, in, last, W("Discharged by"));
    return end(b, in);
}
