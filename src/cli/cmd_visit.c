/* tpt visit: a clinic patient's visits, each a note in SOAP form
 * (include/tpt/visit.h). A visit is a draft until signed; signed, it is
 * locked and corrected by amendments. Saving a note runs the engine on its
 * drawing alone and with its findings, as the web application does
 * (src/server/visits.c), and keeps both answers with it. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "record/visit_warning.h"
#include "tpt/json.h"
#include "tpt/notice.h"
#include "tpt/visit.h"

const char cmd_visit_help[] =
    "usage: tpt visit add PATIENT --note FILE|- [--as EMAIL]\n"
    "       tpt visit list PATIENT [--json]\n"
    "       tpt visit show PATIENT N [--json]\n"
    "       tpt visit edit PATIENT N --note FILE|-\n"
    "       tpt visit sign PATIENT N --as EMAIL\n"
    "       tpt visit amend PATIENT N --as EMAIL TEXT\n"
    "  each with [--clinic ID] [--db PATH]\n"
    "\n"
    "The visits of a clinic's patient (tpt patient list shows the PATIENT ids),\n"
    "numbered 1, 2, ... per patient. Each holds a note in SOAP form, as JSON:\n"
    "\n"
    "  {\"kind\": \"intake\" or \"follow-up\",\n"
    "   \"subjective\": {\"leg_pain\": 0-10, \"back_pain\": 0-10, \"changes\": TEXT,\n"
    "                  \"history\": {\"onset\", \"how_started\", \"duration_weeks\",\n"
    "                              \"aggravating\", \"easing\", \"perpetuating\": [...],\n"
    "                              \"work\", \"sitting_hours\", \"prior_treatments\"}},\n"
    "   \"objective\": {\"marks\": [\"r.buttock.center:ache:6\", ...],\n"
    "                 \"findings\": [{\"finding\": \"slr\", \"side\": \"r\"}, ...],\n"
    "                 \"palpation\": [{\"muscle\": \"piriformis\", \"side\": \"r\",\n"
    "                                \"tender\": true, \"taut_band\": true,\n"
    "                                \"twitch\": false, \"reproduces\": true}, ...]},\n"
    "   \"assessment\": {\"own_words\": TEXT},\n"
    "   \"plan\": {\"compression\": [{\"muscle\", \"side\"}], \"needling\": [{\"muscle\",\n"
    "            \"side\", \"count\"}], \"acupoints\": [{\"point\": \"GB30\", \"count\"}],\n"
    "            \"cupping\", \"tuina\", \"gua_sha\": [region ids], \"heat_minutes\",\n"
    "            \"stretches\": [stretch ids], \"home_program\": true, \"notes\": TEXT}}\n"
    "\n"
    "Every part but \"kind\" may be left out. A note with a drawing is ranked by the\n"
    "engine twice, on the drawing alone and with the examination findings and the\n"
    "palpation findings that count (tender and reproducing the familiar pain), and\n"
    "both answers are kept with it.\n"
    "\n"
    "add    a new visit, as a draft\n"
    "list   the patient's visits: number, time, kind, signed or draft\n"
    "show   one visit as readable SOAP sections, the engine's likely causes on the\n"
    "       drawing alone and with the findings, and the amendments\n"
    "edit   replaces the note of a draft\n"
    "sign   signs a draft, which locks it\n"
    "amend  adds a correction to a signed visit, with its author and time\n"
    "\n"
    "options:\n"
    "  --note FILE|-   the note as JSON (- reads standard input), at most 64 KiB\n"
    "  --as EMAIL      the account of the web application (a practitioner or an\n"
    "                  admin of the patient's clinic) that writes, signs or amends\n"
    "  --json          as JSON, as the web application's API answers\n"
    "  --clinic ID     the clinic (needed when the database holds several)\n"
    "  --db PATH       the database (default $XDG_DATA_HOME/tpt/tpt.db)\n"
    "\n"
    "example: tpt visit add 1 --note intake.json\n"
    "         tpt visit sign 1 1 --as ruth@clinic.example\n";

#define NOTE_FILE_MAX (64u << 10) /* bytes of a note, as the API's request bodies */

/* The shared options, then the command's own (--note). */
enum {
    O_DB = CLI_DB,
    O_JSON = CLI_JSON,
    O_CLINIC = CLI_CLINIC,
    O_AS = CLI_AS,
    O_NOTE = CLI_OWN(0)
};

enum { ADD, LIST, SHOW, EDIT, SIGN, AMEND, NVERBS };
static const struct {
    const char *name;
    unsigned options, required;
    int nargs; /* PATIENT, N, TEXT */
} verbs[NVERBS] = {
    [ADD] = {"add", O_CLINIC | O_DB | O_NOTE | O_AS, O_NOTE, 1},
    [LIST] = {"list", O_CLINIC | O_DB | O_JSON, 0, 1},
    [SHOW] = {"show", O_CLINIC | O_DB | O_JSON, 0, 2},
    [EDIT] = {"edit", O_CLINIC | O_DB | O_NOTE, O_NOTE, 2},
    [SIGN] = {"sign", O_CLINIC | O_DB | O_AS, O_AS, 2},
    [AMEND] = {"amend", O_CLINIC | O_DB | O_AS, O_AS, 3},
};

typedef struct args {
    int verb;
    const char *patient, *number, *text;
    const char *clinic, *db, *note, *as;
    bool json;
} args;

/* ---- reading a note ---- */

typedef struct engine {
    cli_data data;
    tpt_techniques *techniques;
} engine;

static int engine_load(engine *e)
{
    tpt_error err = {0};
    e->techniques = NULL;
    int code = cli_load(&e->data, NULL);
    if (code) return code;
    e->techniques = tpt_techniques_default(e->data.atlas, &err);
    if (!e->techniques) {
        cli_data_free(&e->data);
        return cli_report(&err);
    }
    return 0;
}

static void engine_free(engine *e)
{
    tpt_techniques_free(e->techniques);
    cli_data_free(&e->data);
}

/* The engine's answer for the note's drawing, with and without its findings,
 * as {"drawing_only": ..., "with_findings": ...} (*result NULL when the note
 * has no drawing). A drawing the engine refuses (a region marked twice) is
 * refused here, with the warnings of what could be read. */
static int engine_answers(const engine *e, const char *name, const tpt_visit_evidence *ev,
                          char **result)
{
    static tpt_drawing drawing;
    tpt_error err = {0};
    unsigned warnings = 0;
    *result = NULL;
    if (!ev->nmarks) return 0;
    if (tpt_drawing_parse(e->data.regions, (char *const *)ev->marks, ev->nmarks, &drawing,
                          &warnings, &err) != 0) {
        fprintf(stderr, "tpt: %s: objective.marks: %s\n", name, err.message);
        cli_print_warnings(stderr, e->data.atlas, warnings);
        return TPT_EXIT_BAD_INPUT;
    }
    int rc = tpt_visit_engine_answers(e->data.atlas, &drawing, ev, result, &err);
    if (rc == TPT_ERR_NOMEM) {
        fprintf(stderr, "tpt: out of memory\n");
        return 1;
    }
    if (rc) {
        fprintf(stderr, "tpt: %s: objective: %s\n", name, err.message);
        return TPT_EXIT_BAD_INPUT;
    }
    return 0;
}

/* Reads and checks the note at path; its compact text and the engine's
 * answers (both freed by the caller), or the exit code with why printed. */
static int read_note(const engine *e, const char *path, char **note, char **result)
{
    static tpt_visit_evidence ev;
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    char *text = NULL;
    size_t len = 0;
    tpt_error err = {0};
    *note = *result = NULL;
    if (tpt_file_read(path, NOTE_FILE_MAX, &text, &len, &err) != 0) return cli_report(&err);
    json_error_t jerr;
    json_t *n = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    free(text);
    if (!n) {
        fprintf(stderr, "tpt: %s:%d:%d: %s\n", name, jerr.line, jerr.column, jerr.text);
        return TPT_EXIT_BAD_INPUT;
    }
    int code = 0;
    if (tpt_visit_note_check(e->data.regions, e->data.atlas, e->techniques, n, &ev, &err) != 0) {
        /* the checker's message names the field: objective.palpation[0].muscle: ... */
        fprintf(stderr, "tpt: %s: %s\n", name, err.message);
        code = TPT_EXIT_BAD_INPUT;
    } else if (!(code = engine_answers(e, name, &ev, result))) {
        *note = json_dumps(n, JSON_COMPACT);
        if (!*note) {
            fprintf(stderr, "tpt: out of memory\n");
            code = 1;
        }
    }
    json_decref(n);
    if (code) {
        free(*result);
        *result = NULL;
    }
    return code;
}

/* ---- JSON, as the API answers ---- */

static const char *or_else(const char *s, const char *otherwise)
{
    return s ? s : otherwise;
}

/* o[key] as text, or `otherwise`. */
static const char *str(const json_t *o, const char *key, const char *otherwise)
{
    return or_else(json_string_value(json_object_get(o, key)), otherwise);
}

/* ---- the note as people read it ---- */

/* "left" or "right" of a note's side, "" for anything else. */
static const char *side_word(const char *side)
{
    const char *word = tpt_side_id_word(side);
    return word ? word : "";
}

/* A muscle as people read it: the label of its trigger point, without the
 * part ("Gluteus minimus, anterior part") when the atlas has several. */
static void muscle_label(const tpt_atlas *atlas, const char *muscle, char *out, size_t size)
{
    const char *label = NULL;
    int parts = 0;
    for (size_t i = 0; muscle && i < atlas->ncauses; i++) {
        if (!atlas->causes[i].muscle || strcmp(atlas->causes[i].muscle, muscle) != 0) continue;
        if (!label) label = atlas->causes[i].label;
        parts++;
    }
    if (!label) {
        snprintf(out, size, "%s", muscle ? muscle : "?");
        return;
    }
    size_t n = parts > 1 ? strcspn(label, ",") : strlen(label);
    snprintf(out, size, "%.*s", (int)n, label);
}

/* "label: text" with the text wrapped under the label. */
static void field_line(int indent, const char *label, const char *text)
{
    char line[8192];
    snprintf(line, sizeof line, "%s: %s", label, text);
    cli_wrap_hanging(stdout, indent, indent + 4, line);
}

static void text_field(int indent, const char *label, const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (s && *s) field_line(indent, label, s);
}

static void number_field(int indent, const char *label, const json_t *o, const char *key,
                         const char *unit)
{
    char n[32], text[64];
    tpt_json_number_text(json_object_get(o, key), n, sizeof n);
    if (!*n) return;
    snprintf(text, sizeof text, "%s%s", n, unit);
    field_line(indent, label, text);
}

/* Appends to a line being built: "a; b; c". */
typedef struct line {
    char text[4096];
    size_t used;
} line;

static void add_item(line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_item(line *l, const char *fmt, ...)
{
    if (l->used >= sizeof l->text) return;
    if (l->used) l->used += (size_t)snprintf(l->text + l->used, sizeof l->text - l->used, "; ");
    if (l->used >= sizeof l->text) return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(l->text + l->used, sizeof l->text - l->used, fmt, ap);
    va_end(ap);
    if (w > 0) l->used += (size_t)w;
}

static void print_subjective(const json_t *s)
{
    if (!json_is_object(s)) return;
    printf("\nSubjective\n");
    number_field(2, "Leg pain", s, "leg_pain", "/10");
    number_field(2, "Back pain", s, "back_pain", "/10");
    text_field(2, "Changes", s, "changes");
    const json_t *h = json_object_get(s, "history");
    if (!json_is_object(h)) return;
    printf("  History\n");
    text_field(4, "Onset", h, "onset");
    text_field(4, "How it started", h, "how_started");
    number_field(4, "Duration", h, "duration_weeks", " weeks");
    text_field(4, "Aggravating", h, "aggravating");
    text_field(4, "Easing", h, "easing");
    line l = {0};
    const json_t *v;
    size_t i;
    json_array_foreach(json_object_get(h, "perpetuating"), i, v)
        add_item(&l, "%s", json_string_value(v));
    if (l.used) field_line(4, "Perpetuating factors", l.text);
    text_field(4, "Work", h, "work");
    number_field(4, "Sitting", h, "sitting_hours", " hours a day");
    text_field(4, "Prior treatments", h, "prior_treatments");
}

static void print_marks(const tpt_regions *regions, const json_t *marks)
{
    line l = {0};
    const json_t *v;
    size_t i;
    json_array_foreach(marks, i, v)
    {
        tpt_mark m;
        tpt_error err = {0};
        const char *text = json_string_value(v);
        if (!text || tpt_mark_parse(regions, text, &m, &err) != 0) {
            add_item(&l, "%s", text ? text : "?");
            continue;
        }
        const tpt_region *r = &regions->region[m.region];
        char intensity[16] = "";
        if (m.intensity) snprintf(intensity, sizeof intensity, ", %d/10", m.intensity);
        add_item(&l, "%s%s%s (%s%s)", r->side != TPT_MIDLINE ? tpt_side_word(r->side) : "",
                 r->side != TPT_MIDLINE ? " " : "", r->label, tpt_kind_name(m.kind), intensity);
    }
    if (l.used) field_line(2, "Drawing", l.text);
}

static void print_findings(const tpt_atlas *atlas, const json_t *findings)
{
    const json_t *v;
    size_t i;
    json_array_foreach(findings, i, v)
    {
        char text[160];
        tpt_finding f;
        tpt_error err = {0};
        if (json_is_string(v))
            snprintf(text, sizeof text, "%s", json_string_value(v));
        else
            snprintf(text, sizeof text, "%s:%s", str(v, "finding", "?"), str(v, "side", "?"));
        char about[1024];
        if (tpt_finding_parse(atlas, text, &f, &err) == 0)
            snprintf(about, sizeof about, "%s, %s: %s", atlas->findings[f.finding].id,
                     tpt_side_word(f.side), atlas->findings[f.finding].label);
        else
            snprintf(about, sizeof about, "%s", text);
        if (i == 0) printf("  Examination findings\n");
        cli_wrap_hanging(stdout, 4, 6, about);
    }
}

static void print_palpation(const tpt_atlas *atlas, const json_t *palpation)
{
    const json_t *v;
    size_t i;
    json_array_foreach(palpation, i, v)
    {
        static const struct {
            const char *key, *words;
        } signs[] = {{"tender", "tender"},
                     {"taut_band", "taut band"},
                     {"twitch", "twitch response"},
                     {"reproduces", "reproduces the familiar pain"}};
        line l = {0};
        for (size_t k = 0; k < sizeof signs / sizeof *signs; k++)
            if (json_is_true(json_object_get(v, signs[k].key))) add_item(&l, "%s", signs[k].words);
        bool counts = json_is_true(json_object_get(v, "tender")) &&
                      json_is_true(json_object_get(v, "reproduces"));
        char muscle[200], about[4400];
        muscle_label(atlas, str(v, "muscle", NULL), muscle, sizeof muscle);
        snprintf(about, sizeof about, "%s, %s: %s%s", muscle, side_word(str(v, "side", NULL)),
                 l.used ? l.text : "nothing found",
                 counts ? " (weighed as a tender trigger point)" : "");
        if (i == 0) printf("  Palpation\n");
        cli_wrap_hanging(stdout, 4, 6, about);
    }
}

static const json_t *candidate_of(const json_t *result, const char *cause, const char *side)
{
    const json_t *c;
    size_t i;
    json_array_foreach(json_object_get(result, "candidates"), i, c)
    {
        if (strcmp(str(c, "cause", ""), cause) == 0 && strcmp(str(c, "side", ""), side) == 0)
            return c;
    }
    return NULL;
}

/* A probability as map prints it: never a certainty the model cannot have. */
static void percent_text(const json_t *candidate, char *out, size_t size)
{
    if (!candidate) {
        snprintf(out, size, "-");
        return;
    }
    double p = json_number_value(json_object_get(candidate, "probability"));
    if (p >= 0.995)
        snprintf(out, size, ">99%%");
    else if (p < 0.005)
        snprintf(out, size, "<1%%");
    else
        snprintf(out, size, "%.0f%%", p * 100);
}

static void print_explanation(const char *lead, const json_t *result)
{
    line l = {0};
    const json_t *c;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(result, "explanation"), "causes"), i, c)
    {
        const char *cause = str(c, "cause", "?"), *side = str(c, "side", "");
        const json_t *cand = candidate_of(result, cause, side);
        const char *label = cand ? json_string_value(json_object_get(cand, "label")) : NULL;
        add_item(&l, "%s (%s)", label ? label : cause, side_word(side));
    }
    char text[4300];
    snprintf(text, sizeof text, "%s%s.", lead, l.used ? l.text : "none fits better than chance");
    cli_wrap(stdout, 2, text);
}

/* The engine's likely causes on the drawing alone and with the findings, side
 * by side: the five first with the findings, then any of the three first on
 * the drawing alone that the findings pushed down. Warnings come first. */
static void print_result(const char *result_text)
{
    json_t *result = result_text ? json_loads(result_text, 0, NULL) : NULL;
    const json_t *alone = json_object_get(result, "drawing_only"),
                 *with = json_object_get(result, "with_findings");
    if (!alone || !with) {
        printf("  No drawing: the engine has nothing to rank.\n");
        json_decref(result);
        return;
    }
    const json_t *w;
    size_t i;
    json_array_foreach(json_object_get(with, "warnings"), i, w)
    {
        char text[2048];
        snprintf(text, sizeof text, "WARNING (%s): %s", str(w, "level", "?"), str(w, "advice", ""));
        putchar('\n');
        cli_wrap(stdout, 2, text);
    }
    printf("\n  %-48s %12s %14s\n", "Likely causes", "drawing only", "with findings");
    const json_t *rows[8];
    size_t nrows = 0;
    const json_t *c;
    json_array_foreach(json_object_get(with, "candidates"), i, c)
    {
        if (i == 5) break;
        rows[nrows++] = c;
    }
    json_array_foreach(json_object_get(alone, "candidates"), i, c)
    {
        if (i == 3) break;
        const char *cause = str(c, "cause", ""), *side = str(c, "side", "");
        bool shown = false;
        for (size_t k = 0; k < nrows; k++)
            shown |= strcmp(str(rows[k], "cause", ""), cause) == 0 &&
                     strcmp(str(rows[k], "side", ""), side) == 0;
        if (!shown) rows[nrows++] = c;
    }
    if (!nrows) printf("    none: no cause in the atlas refers to these regions\n");
    for (size_t k = 0; k < nrows; k++) {
        const char *cause = str(rows[k], "cause", ""), *side = str(rows[k], "side", ""),
                   *label = str(rows[k], "label", cause);
        char name[200], before[16], after[16];
        snprintf(name, sizeof name, "%s, %s", label, side_word(side));
        percent_text(candidate_of(alone, cause, side), before, sizeof before);
        percent_text(candidate_of(with, cause, side), after, sizeof after);
        printf("  %2zu. %-44.44s %12s %14s\n", k + 1, name, before, after);
    }
    putchar('\n');
    print_explanation("Best explanation on the drawing alone: ", alone);
    print_explanation("Best explanation with the findings: ", with);
    char pattern[512];
    snprintf(pattern, sizeof pattern, "Pattern with the findings: %s. %s",
             str(with, "pattern", "?"), str(with, "pattern_sentence", ""));
    cli_wrap(stdout, 2, pattern);
    json_decref(result);
}

static void print_objective(const engine *e, const json_t *o, const char *result)
{
    printf("\nObjective\n");
    if (json_is_object(o)) {
        print_marks(e->data.regions, json_object_get(o, "marks"));
        print_findings(e->data.atlas, json_object_get(o, "findings"));
        print_palpation(e->data.atlas, json_object_get(o, "palpation"));
    }
    print_result(result);
}

static void print_plan(const engine *e, const json_t *p)
{
    if (!json_is_object(p)) return;
    printf("\nPlan\n");
    const json_t *v;
    size_t i;
    line l = {0};
    char muscle[200];
    json_array_foreach(json_object_get(p, "compression"), i, v)
    {
        muscle_label(e->data.atlas, str(v, "muscle", NULL), muscle, sizeof muscle);
        add_item(&l, "%s, %s", muscle, side_word(str(v, "side", NULL)));
    }
    if (l.used) field_line(2, "Manual compression", l.text);
    l.used = 0;
    json_array_foreach(json_object_get(p, "needling"), i, v)
    {
        char count[32] = "";
        json_int_t n = json_integer_value(json_object_get(v, "count"));
        if (n) snprintf(count, sizeof count, ", %lld needle%s", (long long)n, n == 1 ? "" : "s");
        muscle_label(e->data.atlas, str(v, "muscle", NULL), muscle, sizeof muscle);
        add_item(&l, "%s, %s%s", muscle, side_word(str(v, "side", NULL)), count);
    }
    if (l.used) field_line(2, "Dry needling", l.text);
    l.used = 0;
    json_array_foreach(json_object_get(p, "acupoints"), i, v)
    {
        const char *id = str(v, "point", "?");
        const tpt_acupoint *a = tpt_acupoint_find(e->techniques, id);
        json_int_t n = json_integer_value(json_object_get(v, "count"));
        char count[32] = "";
        if (n) snprintf(count, sizeof count, " x%lld", (long long)n);
        add_item(&l, "%s%s%s%s", id, a ? " " : "", a ? a->name : "", count);
    }
    if (l.used) field_line(2, "Acupuncture", l.text);
    static const struct {
        const char *key, *label;
    } sites[] = {{"cupping", "Cupping"}, {"tuina", "Tui Na"}, {"gua_sha", "Gua Sha"}};
    for (size_t k = 0; k < sizeof sites / sizeof *sites; k++) {
        l.used = 0;
        json_array_foreach(json_object_get(p, sites[k].key), i, v)
        {
            int r = tpt_region_find(e->data.regions, or_else(json_string_value(v), ""));
            const tpt_region *reg = r >= 0 ? &e->data.regions->region[r] : NULL;
            if (reg)
                add_item(&l, "%s%s%s", reg->side != TPT_MIDLINE ? tpt_side_word(reg->side) : "",
                         reg->side != TPT_MIDLINE ? " " : "", reg->label);
        }
        if (l.used) field_line(2, sites[k].label, l.text);
    }
    number_field(2, "Moist heat", p, "heat_minutes", " minutes");
    l.used = 0;
    json_array_foreach(json_object_get(p, "stretches"), i, v)
    {
        const char *id = or_else(json_string_value(v), "?"), *title = NULL;
        for (size_t t = 0; !title && t < e->techniques->ntreatments; t++)
            for (size_t s = 0; s < e->techniques->treatments[t].nstretches; s++)
                if (strcmp(e->techniques->treatments[t].stretches[s].id, id) == 0)
                    title = e->techniques->treatments[t].stretches[s].title;
        add_item(&l, "%s", title ? title : id);
    }
    if (l.used) field_line(2, "Stretches taught", l.text);
    const json_t *home = json_object_get(p, "home_program");
    if (json_is_boolean(home))
        field_line(2, "Home program", json_is_true(home) ? "assigned" : "not assigned");
    text_field(2, "Notes", p, "notes");
}

static void print_visit(tpt_store *store, const engine *e, const tpt_patient *p, const tpt_visit *v)
{
    json_t *note = json_loads(v->note, 0, NULL);
    char when[64], who[512];
    cli_local_time(v->at, when, sizeof when);
    cli_account_text(store, v->author, who, sizeof who);
    printf("Visit %d of %s (patient %lld): %s, %s\n", v->number, p->name, (long long)p->id,
           str(note, "kind", "?"), when);
    if (v->author)
        printf("  written by %s\n", who);
    else
        printf("  author not recorded (added without --as)\n");
    if (*v->signed_at) {
        cli_local_time(v->signed_at, when, sizeof when);
        cli_account_text(store, v->signed_by, who, sizeof who);
        printf("  signed %s by %s: locked\n", when, who);
    } else {
        printf("  draft: not signed yet\n");
    }
    print_subjective(json_object_get(note, "subjective"));
    print_objective(e, json_object_get(note, "objective"), v->result);
    const json_t *a = json_object_get(note, "assessment");
    if (json_is_object(a) && json_string_value(json_object_get(a, "own_words"))) {
        printf("\nAssessment\n");
        cli_wrap(stdout, 2, json_string_value(json_object_get(a, "own_words")));
    }
    print_plan(e, json_object_get(note, "plan"));
    tpt_amendment_list list;
    if (tpt_store_amendment_list(store, v->id, &list, NULL) == 0) {
        if (list.count) printf("\nAmendments\n");
        for (size_t i = 0; i < list.count; i++) {
            char head[600];
            cli_local_time(list.items[i].at, when, sizeof when);
            cli_account_text(store, list.items[i].author, who, sizeof who);
            snprintf(head, sizeof head, "%s, %s", when, who);
            field_line(2, head, list.items[i].text);
        }
        tpt_amendment_list_free(&list);
    }
    putchar('\n');
    cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
    json_decref(note);
}

/* ---- the actions ---- */

/* The visit numbered `number` of the patient (list freed by the caller), or
 * NULL with why printed and *code set. */
static const tpt_visit *find_visit(tpt_store *store, const tpt_patient *p, int64_t number,
                                   tpt_visit_list *list, int *code)
{
    tpt_error err = {0};
    if (tpt_store_visit_list(store, p->id, list, &err) != 0) {
        *code = cli_report(&err);
        return NULL;
    }
    for (size_t i = 0; i < list->count; i++)
        if (list->items[i].number == number) return &list->items[i];
    tpt_visit_list_free(list);
    fprintf(stderr, "tpt: no visit %lld of patient %lld (tpt visit list %lld shows them)\n",
            (long long)number, (long long)p->id, (long long)p->id);
    *code = TPT_EXIT_BAD_INPUT;
    return NULL;
}

static void print_list(tpt_store *store, const tpt_patient *p, const tpt_visit_list *list)
{
    size_t signed_visits = 0;
    for (size_t i = 0; i < list->count; i++)
        signed_visits += *list->items[i].signed_at != '\0';
    if (!list->count) {
        printf("No visits of %s (patient %lld) yet: add one with tpt visit add %lld --note "
               "FILE.\n",
               p->name, (long long)p->id, (long long)p->id);
        return;
    }
    printf("Visits of %s (patient %lld): %zu signed of %d planned\n", p->name, (long long)p->id,
           signed_visits, p->planned_visits);
    for (size_t i = 0; i < list->count; i++) {
        const tpt_visit *v = &list->items[i];
        json_t *note = json_loads(v->note, 0, NULL);
        char when[64], signed_when[64];
        cli_local_time(v->at, when, sizeof when);
        printf("%4d  %s  %-9s  ", v->number, when, str(note, "kind", "?"));
        json_decref(note);
        if (*v->signed_at) {
            cli_local_time(v->signed_at, signed_when, sizeof signed_when);
            tpt_user u;
            if (tpt_store_user_by_id(store, v->signed_by, &u, NULL) != 0)
                snprintf(u.name, sizeof u.name, "account %lld", (long long)v->signed_by);
            printf("signed %s by %s", signed_when, u.name);
        } else {
            printf("draft");
        }
        tpt_amendment_list amendments;
        if (tpt_store_amendment_list(store, v->id, &amendments, NULL) == 0) {
            if (amendments.count)
                printf(", %zu amendment%s", amendments.count, amendments.count == 1 ? "" : "s");
            tpt_amendment_list_free(&amendments);
        }
        putchar('\n');
    }
}

/* The exit status of a store call: 0, or its failure printed. */
static int changed(int rc, const tpt_error *err)
{
    return rc ? cli_report(err) : 0;
}

/* A note's drawing with an urgent or emergency warning is kept as a drawing
 * of the record too, by a clinician, as the web application keeps it: the
 * warning then holds self-treatment back until a clinician lifts it
 * (record/visit_warning.h). Called inside the note's change, so that the
 * two are kept together. 0, or the exit code. */
static int keep_warning(tpt_store *store, const tpt_patient *p, int64_t author, const char *note,
                        const char *result)
{
    tpt_record base = {.patient = p->id, .author = author};
    tpt_error err = {0};
    bool kept;
    int code;
    cli_now(base.at);
    if (tpt_visit_warning_keep(store, &base, note, result, &kept, &err) != 0)
        return cli_report(&err);
    if (kept) {
        if ((code =
                 cli_audit(store, author, "kept a visit's drawing that raised a warning", p->id)))
            return code;
        printf("The drawing raises a warning: it now stands in the record and holds "
               "self-treatment back until a clinician lifts it (tpt flag list %lld).\n",
               (long long)p->id);
    }
    return 0;
}

/* A draft's new text, and the warning its drawing may raise: 0, or the exit code. */
static int draft_change(tpt_store *store, const tpt_patient *p, int64_t visit, const char *note,
                        const char *result)
{
    tpt_error err = {0};
    int code = keep_warning(store, p, 0, note, result);
    if (!code && tpt_store_visit_update(store, visit, note, result, &err) != 0)
        code = cli_report(&err);
    return code;
}

static int run(tpt_store *store, const engine *e, const args *a, const tpt_patient *p,
               int64_t number, const char *note, const char *result)
{
    tpt_error err = {0};
    tpt_user user = {0};
    int code = 0;
    if (a->as && (code = cli_account(store, a->as, p->clinic, &user))) return code;
    if (a->verb == ADD) {
        tpt_visit v = {
            .patient = p->id, .author = user.id, .note = (char *)note, .result = (char *)result};
        cli_now(v.at);
        if ((code = cli_change_begin(store))) return code;
        if (!(code = keep_warning(store, p, user.id, note, result)) &&
            tpt_store_visit_add(store, &v, &v.id, &v.number, &err) != 0)
            code = cli_report(&err);
        if ((code = cli_change_end(store, code, user.id, "wrote a visit note", p->id))) return code;
        json_t *n = json_loads(note, 0, NULL);
        char who[512];
        cli_account_text(store, user.id, who, sizeof who);
        char done[1024];
        snprintf(done, sizeof done, "Added visit %d (%s) of %s (patient %lld) as a draft%s%s.",
                 v.number, str(n, "kind", "?"), p->name, (long long)p->id,
                 user.id ? ", written by " : "", user.id ? who : "");
        cli_wrap(stdout, 0, done);
        json_decref(n);
        if (result) print_result(result);
        printf("\nSign it when it is complete: tpt visit sign %lld %d --as EMAIL\n",
               (long long)p->id, v.number);
        putchar('\n');
        cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
        return 0;
    }
    tpt_visit_list list;
    if (a->verb == LIST) {
        if (tpt_store_visit_list(store, p->id, &list, &err) != 0) return cli_report(&err);
        if (a->json) {
            json_t *items = json_array();
            for (size_t i = 0; i < list.count; i++)
                json_array_append_new(items, tpt_visit_json(store, &list.items[i], false));
            code = cli_print_json(
                json_pack("{s:o, s:i}", "visits", items, "planned_visits", p->planned_visits),
                stdout, 0);
        } else {
            print_list(store, p, &list);
        }
        tpt_visit_list_free(&list);
        return code;
    }
    const tpt_visit *v = find_visit(store, p, number, &list, &code);
    if (!v) return code;
    char at[TPT_TIME_MAX], when[64], who[512];
    cli_now(at);
    cli_local_time(at, when, sizeof when);
    cli_account_text(store, user.id, who, sizeof who);
    switch (a->verb) {
    case SHOW:
        if (a->json)
            code = cli_print_json(json_pack("{s:o}", "visit", tpt_visit_json(store, v, true)),
                                  stdout, 0);
        else
            print_visit(store, e, p, v);
        break;
    case EDIT:
        if (*v->signed_at) {
            fprintf(stderr,
                    "tpt: visit %d is signed and locked: add an amendment (tpt visit amend %lld "
                    "%d --as EMAIL TEXT)\n",
                    v->number, (long long)p->id, v->number);
            code = TPT_EXIT_BAD_INPUT;
        } else if (!(code = cli_change_begin(store)) &&
                   !(code = cli_change_end(store, draft_change(store, p, v->id, note, result), 0,
                                           "changed a draft visit note", p->id))) {
            printf("Changed the draft of visit %d of %s (patient %lld).\n", v->number, p->name,
                   (long long)p->id);
            if (result) print_result(result);
            printf("\nSign it when it is complete: tpt visit sign %lld %d --as EMAIL\n",
                   (long long)p->id, v->number);
            putchar('\n');
            cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
        }
        break;
    case SIGN:
        if (*v->signed_at) {
            fprintf(stderr, "tpt: visit %d is signed already\n", v->number);
            code = TPT_EXIT_BAD_INPUT;
        } else if (!(code = cli_change_begin(store)) &&
                   !(code = cli_change_end(
                         store,
                         changed(tpt_store_visit_sign(store, v->id, user.id, at, &err), &err),
                         user.id, "signed a visit note", p->id))) {
            char done[2048];
            snprintf(done, sizeof done,
                     "Signed visit %d of %s (patient %lld) as %s, %s. The note is locked: a "
                     "correction is an amendment (tpt visit amend %lld %d --as EMAIL TEXT).",
                     v->number, p->name, (long long)p->id, who, when, (long long)p->id, v->number);
            cli_wrap(stdout, 0, done);
        }
        break;
    case AMEND:
        if (!*v->signed_at) {
            fprintf(stderr,
                    "tpt: visit %d is a draft: change it with tpt visit edit, or sign it "
                    "first\n",
                    v->number);
            code = TPT_EXIT_BAD_INPUT;
        } else if (!(code = cli_change_begin(store)) &&
                   !(code = cli_change_end(store,
                                           changed(tpt_store_amendment_add(store, v->id, user.id,
                                                                           at, a->text, NULL, &err),
                                                   &err),
                                           user.id, "amended a visit note", p->id))) {
            char done[2048];
            snprintf(done, sizeof done, "Amended visit %d of %s (patient %lld): %s, %s.", v->number,
                     p->name, (long long)p->id, when, who);
            cli_wrap(stdout, 0, done);
        }
        break;
    }
    tpt_visit_list_free(&list);
    return code;
}

int cmd_visit(int argc, char **argv)
{
    static const struct option options[] = {
        {"note", required_argument, NULL, 'n'},
        {0},
    };

    args a = {0};
    int opt;
    cli_args opts;
    cli_args_init(&opts, "visit", argc, argv, options, CLI_CLINIC | CLI_DB | CLI_JSON | CLI_AS);
    while ((opt = cli_args_next(&opts)) > 0)
        a.note = optarg; /* --note, the one of its own */
    if (opt < 0) return opts.code;
    a.clinic = opts.common.clinic;
    a.db = opts.common.db;
    a.json = opts.common.json;
    a.as = opts.common.as;
    if (optind >= argc) return cli_usage("visit", "say add, list, show, edit, sign or amend");
    const char *verb = argv[optind++];
    for (a.verb = 0; a.verb < NVERBS && strcmp(verbs[a.verb].name, verb) != 0; a.verb++)
        ;
    if (a.verb == NVERBS)
        return cli_usage("visit", "unknown action '%s' (add, list, show, edit, sign or amend)",
                         verb);
    int code = cli_args_only(&opts, verb, verbs[a.verb].options);
    if (code) return code;
    if ((verbs[a.verb].required & O_NOTE) && !a.note)
        return cli_usage("visit", "%s needs --note FILE (- for standard input)", verb);
    if ((verbs[a.verb].required & O_AS) && !a.as)
        return cli_usage("visit", "%s needs --as EMAIL, the account that signs", verb);
    static const char *const what[] = {"the PATIENT's id", "the visit's number N",
                                       "the amendment's TEXT"};
    const char **slots[] = {&a.patient, &a.number, &a.text};
    for (int i = 0; i < verbs[a.verb].nargs; i++) {
        if (optind >= argc) return cli_usage("visit", "%s needs %s", verb, what[i]);
        *slots[i] = argv[optind++];
    }
    if (optind < argc)
        return cli_usage("visit", "unexpected argument '%s'%s", argv[optind],
                         a.verb == AMEND ? " (put an amendment of several words in quotes)" : "");

    /* everything typed is checked before the database is opened */
    int64_t patient, number = 0;
    code = cli_parse_id("visit", "PATIENT", a.patient, &patient);
    if (!code && a.number) code = cli_parse_id("visit", "N", a.number, &number);
    if (code) return code;
    if (a.text && (!*a.text || strlen(a.text) > TPT_TEXT_MAX))
        return cli_usage("visit", "an amendment is a text of 1 to %d bytes", TPT_TEXT_MAX);
    engine e = {0};
    char *note = NULL, *result = NULL;
    bool reads = a.verb == ADD || a.verb == EDIT || (a.verb == SHOW && !a.json);
    if (reads && (code = engine_load(&e))) return code;
    if (a.note && (code = read_note(&e, a.note, &note, &result))) {
        engine_free(&e);
        return code;
    }
    tpt_store *store;
    tpt_patient p;
    if (!(code = cli_open_patient(a.db, "visit", a.clinic, a.patient, &store, &p))) {
        code = run(store, &e, &a, &p, number, note, result);
        tpt_store_close(store);
    }
    free(note);
    free(result);
    if (reads) engine_free(&e);
    return code;
}
