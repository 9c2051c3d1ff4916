/* tpt measure: outcome measures. The instruments (lib/instruments.c) score
 * the answers; a patient's measures are kept as answered and as scored, the
 * way the web application keeps them (src/server/measures.c), and judged
 * against each instrument's smallest important change (MCID); the clinic's
 * outcomes come from course.c, as GET /api/v1/clinic's do. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpt/json.h"
#include "tpt/notice.h"

const char cmd_measure_help[] =
    "usage: tpt measure list [--json] [--text FILE]...\n"
    "       tpt measure show INSTRUMENT [--json] [--text FILE]...\n"
    "       tpt measure add PATIENT INSTRUMENT ITEM=VALUE... [--name ITEM=TEXT]...\n"
    "                   [--visit N] [--json] [--text FILE]... [--clinic ID] [--db PATH]\n"
    "       tpt measure history PATIENT [--json] [--clinic ID] [--db PATH]\n"
    "       tpt measure outcomes [--json] [--clinic ID] [--db PATH]\n"
    "\n"
    "Outcome measures: questionnaires and ratings such as the Oswestry Disability\n"
    "Index (odi) and the leg pain rating (nrs-leg), each scored by its published\n"
    "rule and judged against its smallest important change (MCID).\n"
    "\n"
    "list     the instruments: id, name, items, MCID, licence of the item text\n"
    "show     one instrument: what it measures, its score, MCID and bands, and its\n"
    "         items with the answers each takes\n"
    "add      scores a patient's answers and keeps them; says the score, its band\n"
    "         and, after an earlier measure of the same instrument, the change and\n"
    "         whether it reaches the MCID. Items left out are unanswered.\n"
    "history  per instrument, the patient's first and latest score, the change and\n"
    "         whether it reaches the MCID\n"
    "outcomes the clinic's view: its caseload, who is due for a reassessment (at the\n"
    "         third visit and at the end of the planned course), who has not\n"
    "         improved after the planned course, and the outcomes: the share of\n"
    "         patients measured twice who reached the MCID, the median change per\n"
    "         instrument and the median visits to improvement\n"
    "\n"
    "The ODI, the RMDQ and STarT Back are licensed questionnaires: tpt ships their\n"
    "scoring but not their wording, which comes from the clinic's licensed copy.\n"
    "Without it, enter the values of the paper form. A clinic keeps its copy's\n"
    "item-text file with tpt licence add FILE; list and show given --clinic or\n"
    "--db then print its questions and answers (--text FILE: a file for this\n"
    "command only).\n"
    "\n"
    "options:\n"
    "  --visit N      the number of the visit the measure was taken at\n"
    "  --name ITEM=TEXT  what the person rates in a named item: the PSFS's\n"
    "                 activities (may repeat); tpt measure history shows them\n"
    "  --text FILE    a clinic's item-text file for an instrument, for this\n"
    "                 command only (may repeat)\n"
    "  --json         as JSON, as the web application's API answers\n"
    "  --clinic ID    the clinic (needed when the database holds several)\n"
    "  --db PATH      the database (default $XDG_DATA_HOME/tpt/tpt.db); list and\n"
    "                 show read it only when given it or --clinic\n"
    "\n"
    "Exit status: 0 done (also outcomes of a database with no clinic yet, which it\n"
    "says); 2 bad input (no such patient, instrument, item or clinic).\n"
    "\n"
    "example: tpt measure add 1 nrs-leg leg-pain=6\n"
    "         tpt measure add 1 odi section-1=3 section-2=2 section-3=4 \\\n"
    "             section-4=3 section-5=2 section-6=1 section-7=0 section-8=0 \\\n"
    "             section-9=1 section-10=0\n"
    "         tpt measure add 1 psfs activity-1=3 --name activity-1='putting on socks'\n";

/* The shared options, then the command's own in the order of its table. */
enum {
    O_DB = CLI_DB,
    O_JSON = CLI_JSON,
    O_CLINIC = CLI_CLINIC,
    O_NAME = CLI_OWN(0),
    O_TEXT = CLI_OWN(1),
    O_VISIT = CLI_OWN(2),
};

enum { LIST, SHOW, ADD, HISTORY, OUTCOMES, NVERBS };
static const struct {
    const char *name;
    unsigned options;
    int nargs; /* INSTRUMENT; PATIENT INSTRUMENT ITEM=VALUE...; PATIENT; none */
} verbs[NVERBS] = {
    [LIST] = {"list", O_CLINIC | O_DB | O_JSON | O_TEXT, 0},
    [SHOW] = {"show", O_CLINIC | O_DB | O_JSON | O_TEXT, 1},
    [ADD] = {"add", O_CLINIC | O_DB | O_JSON | O_NAME | O_TEXT | O_VISIT, 3},
    [HISTORY] = {"history", O_CLINIC | O_DB | O_JSON, 1},
    [OUTCOMES] = {"outcomes", O_CLINIC | O_DB | O_JSON, 0},
};

typedef struct args {
    int verb;
    const char *clinic, *db, *visit;
    const char *texts[TPT_INSTRUMENTS_MAX];
    size_t ntexts;
    char *names[TPT_INSTRUMENT_MAX_ITEMS]; /* ITEM=TEXT, as typed */
    size_t nnames;
    bool json;
} args;

/* ---- instruments ---- */

/* The instruments with the licensed texts the clinic keeps (tpt licence),
 * when list or show name a clinic or a database; else NULL. 0, or the exit
 * code with why printed. */
static int clinic_texts(const args *a, tpt_instruments **out)
{
    tpt_store *store;
    tpt_clinic clinic;
    tpt_error err = {0};
    *out = NULL;
    if ((a->verb != LIST && a->verb != SHOW) || (!a->clinic && !a->db)) return 0;
    int code = cli_open_store(a->db, &store, NULL);
    if (code) return code;
    code = cli_clinic_find(store, "measure", a->clinic, false, &clinic);
    if (!code && clinic.id && tpt_clinic_instruments(store, clinic.id, NULL, 0, out, &err) != 0)
        code = cli_report(&err);
    tpt_store_close(store);
    return code;
}

/* The built-in instruments with the clinic's item texts merged in (those it
 * keeps, then the --text files); NULL with why printed (the exit code in
 * *code). */
static tpt_instruments *load(const args *a, int *code)
{
    tpt_error err = {0};
    tpt_instruments *set;
    if ((*code = clinic_texts(a, &set))) return NULL;
    if (!set) set = tpt_instruments_default(&err);
    for (size_t i = 0; set && i < a->ntexts; i++) {
        char *text = NULL;
        size_t len = 0;
        if (tpt_file_read(a->texts[i], TPT_INSTRUMENT_FILE_MAX, &text, &len, &err) != 0 ||
            tpt_instruments_add_text(set, text, len, a->texts[i], &err) != 0) {
            tpt_instruments_free(set);
            set = NULL;
        }
        free(text);
    }
    if (!set) *code = cli_report(&err);
    return set;
}

static const tpt_instrument *find(const tpt_instruments *set, const char *id, int *code)
{
    const tpt_instrument *in = tpt_instrument_find(set, id);
    if (in) return in;
    char ids[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < set->count && used < sizeof ids; i++)
        used += (size_t)snprintf(ids + used, sizeof ids - used, "%s%s", i ? ", " : "",
                                 set->items[i]->id);
    fprintf(stderr, "tpt: no instrument '%s' (instruments: %s)\n", id, ids);
    *code = TPT_EXIT_BAD_INPUT;
    return NULL;
}

static bool percent_scale(const tpt_instrument *in)
{
    return in->rule == TPT_RULE_PERCENT_OF_ANSWERED;
}

/* "32%" on a percentage scale, "6/10" on others. */
static void score_text(const tpt_instrument *in, double v, char *out, size_t size)
{
    if (percent_scale(in))
        snprintf(out, size, "%g%%", tpt_tenth(v));
    else
        snprintf(out, size, "%g/%g", tpt_tenth(v), in->max);
}

static void mcid_text(const tpt_instrument *in, char *out, size_t size)
{
    bool points = in->mcid_points.known, percent = in->mcid_percent.known;
    if (!points && !percent) {
        snprintf(out, size, "none known");
        return;
    }
    char p[32] = "", q[64] = "";
    if (points) snprintf(p, sizeof p, "%g points", in->mcid_points.number.value);
    if (percent)
        snprintf(q, sizeof q, "%g%% of the room to improve", in->mcid_percent.number.value);
    snprintf(out, size, "%s%s%s", p, points && percent ? " or " : "", q);
}

static const char *band_label(const tpt_instrument *in, const char *id)
{
    for (size_t i = 0; id && *id && i < in->nbands; i++)
        if (strcmp(in->bands[i].id, id) == 0) return in->bands[i].label;
    return NULL;
}

static const char *licence_text(const tpt_instrument *in)
{
    if (!in->licence.text_from_clinic) return "item text included";
    if (in->text_file) return "licensed: item text from the clinic's file";
    return "licensed: the item text comes from the clinic's licensed copy (tpt licence)";
}

static int list(const tpt_instruments *set, const args *a)
{
    if (a->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < set->count; i++)
            json_array_append_new(items, tpt_instrument_json(set->items[i]));
        return cli_print_json(json_pack("{s:o}", "instruments", items), stdout, 0);
    }
    for (size_t i = 0; i < set->count; i++) {
        const tpt_instrument *in = set->items[i];
        char mcid[128], about[512];
        mcid_text(in, mcid, sizeof mcid);
        printf("%-11s %s\n", in->id, in->name);
        snprintf(about, sizeof about, "%zu item%s; MCID %s; %s", in->nitems,
                 in->nitems == 1 ? "" : "s", mcid, licence_text(in));
        cli_wrap(stdout, 12, about);
    }
    printf("\ntpt measure show INSTRUMENT shows the items and the answers each takes.\n");
    return 0;
}

static const char *rule_words(const tpt_instrument *in)
{
    switch (in->rule) {
    case TPT_RULE_SUM:
        return "the sum of the items";
    case TPT_RULE_PERCENT_OF_ANSWERED:
        return "the sum as a percentage of the highest sum the answered items can give";
    case TPT_RULE_MEAN:
        return "the mean of the items answered";
    case TPT_RULE_SINGLE:
        return "the one item's value";
    default:
        return "the sum of the items, and a risk group from the total and the psychosocial "
               "subscale";
    }
}

static void print_options(const tpt_option *o, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        char line[1024];
        snprintf(line, sizeof line, "%g: %s", o[k].value, o[k].text ? o[k].text : "");
        cli_wrap_hanging(stdout, 6, 8, line);
    }
}

static int show(const tpt_instrument *in, const args *a)
{
    if (a->json) return cli_print_json(tpt_instrument_json(in), stdout, 0);
    char line[2048], mcid[128];
    printf("%s (%s), version %s\n", in->name, in->id, in->version);
    cli_wrap(stdout, 2, in->about);
    char need[96] = "";
    if (in->nitems > 1 && in->min_answered.value >= (double)in->nitems)
        snprintf(need, sizeof need, " All %zu items must be answered.", in->nitems);
    else if (in->nitems > 1)
        snprintf(need, sizeof need, " At least %g of the %zu items must be answered.",
                 in->min_answered.value, in->nitems);
    snprintf(line, sizeof line, "Score: %s, from %g to %g%s; higher is %s.%s", rule_words(in),
             in->min, in->max, percent_scale(in) ? " percent" : "",
             in->higher_is_worse ? "worse" : "better", need);
    putchar('\n');
    cli_wrap(stdout, 0, line);
    mcid_text(in, mcid, sizeof mcid);
    snprintf(line, sizeof line, "Smallest change that matters (MCID): %s.", mcid);
    cli_wrap(stdout, 0, line);
    if (in->nbands) {
        size_t used = (size_t)snprintf(
            line, sizeof line, "%s: ", in->rule == TPT_RULE_START_BACK ? "Groups" : "Bands");
        for (size_t i = 0; i < in->nbands && used < sizeof line; i++) {
            const tpt_band *b = &in->bands[i];
            char upto[32] = "";
            if (b->has_max) snprintf(upto, sizeof upto, "up to %g ", b->max);
            used += (size_t)snprintf(line + used, sizeof line - used, "%s%s%s", i ? "; " : "", upto,
                                     b->label);
        }
        cli_wrap(stdout, 0, line);
    }
    bool texts = !in->licence.text_from_clinic || in->text_file;
    printf("\nItems (answer each as ITEM=VALUE):\n");
    for (size_t i = 0; i < in->nitems; i++) {
        const tpt_item *it = &in->items[i];
        printf("  %s\n", it->id);
        cli_wrap(stdout, 6, it->text ? it->text : "(no text: the clinic's licensed copy gives it)");
        if (it->is_range) {
            size_t used = (size_t)snprintf(line, sizeof line, "a whole number from %g to %g",
                                           it->min, it->max);
            for (size_t k = 0; k < it->nanchors && used < sizeof line; k++)
                used += (size_t)snprintf(line + used, sizeof line - used, "%s%g %s",
                                         k ? "; " : " (", it->anchors[k].value,
                                         it->anchors[k].text ? it->anchors[k].text : "");
            if (it->nanchors && used < sizeof line) snprintf(line + used, sizeof line - used, ")");
            cli_wrap(stdout, 6, line);
        } else if (texts) {
            print_options(it->options, it->noptions);
        } else {
            size_t used = (size_t)snprintf(line, sizeof line, "answers: ");
            for (size_t k = 0; k < it->nvalues && used < sizeof line; k++)
                used += (size_t)snprintf(line + used, sizeof line - used, "%s%g", k ? ", " : "",
                                         it->values[k]);
            cli_wrap(stdout, 6, line);
        }
    }
    printf("\nLicence\n");
    cli_wrap(stdout, 2, in->licence.terms);
    if (in->licence.notice) cli_wrap(stdout, 2, in->licence.notice);
    if (in->licence.text_from_clinic && !in->text_file)
        cli_wrap(stdout, 2,
                 "tpt ships no item text for this instrument: the questions and answers must "
                 "come from the clinic's licensed copy. tpt licence add FILE keeps the clinic's "
                 "item-text file (then show --clinic ID prints it); without it, enter the "
                 "values of the paper form.");
    if (in->text_file) {
        snprintf(line, sizeof line, "Item text from %s%s%s.", in->text_file,
                 in->text_licence ? ": " : "", in->text_licence ? in->text_licence : "");
        cli_wrap(stdout, 2, line);
    }
    return 0;
}

/* ---- a patient's measures ---- */

/* "32% -> 6%, down 26 (better): ..." judged against the MCID. */
static void change_text(const tpt_instrument *in, double base, double last, char *out, size_t size)
{
    char from[32], to[32], mcid[128], judged[256];
    score_text(in, base, from, sizeof from);
    score_text(in, last, to, sizeof to);
    mcid_text(in, mcid, sizeof mcid);
    double d = tpt_tenth(last - base);
    bool better = in->higher_is_worse ? d < 0 : d > 0;
    if (d == 0)
        snprintf(judged, sizeof judged, "no change");
    else if (tpt_score_meaningful_change(in, tpt_tenth(base), tpt_tenth(last)))
        snprintf(judged, sizeof judged,
                 "%s %g, better by at least the smallest change that matters (MCID %s)",
                 d < 0 ? "down" : "up", fabs(d), mcid);
    else if (!better)
        snprintf(judged, sizeof judged, "%s %g, worse", d < 0 ? "down" : "up", fabs(d));
    else if (!in->mcid_points.known && !in->mcid_percent.known)
        snprintf(judged, sizeof judged,
                 "%s %g, better; no smallest change that matters is known for it, so none is "
                 "judged",
                 d < 0 ? "down" : "up", fabs(d));
    else
        snprintf(judged, sizeof judged,
                 "%s %g, better but less than the smallest change that matters (MCID %s)",
                 d < 0 ? "down" : "up", fabs(d), mcid);
    snprintf(out, size, "%s -> %s: %s.", from, to, judged);
}

typedef struct answers {
    tpt_item_answer items[TPT_INSTRUMENT_MAX_ITEMS];
    size_t n;
    json_t *object; /* {"item": value}, as kept */
    json_t *names;  /* {"item": "what it rates"}, or NULL */
} answers;

/* ITEM=VALUE arguments; 0, or a usage problem's exit code. */
static int read_answers(char **argv, int argc, answers *out)
{
    out->n = 0;
    out->object = json_object();
    for (int i = 0; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i])
            return cli_usage("measure", "an answer is ITEM=VALUE, not '%s'", argv[i]);
        if (out->n == TPT_INSTRUMENT_MAX_ITEMS)
            return cli_usage("measure", "at most %d answers", TPT_INSTRUMENT_MAX_ITEMS);
        char *end;
        double v = strtod(eq + 1, &end);
        if (end == eq + 1 || *end || !isfinite(v))
            return cli_usage("measure", "the answer to %.*s is a number, not '%s'",
                             (int)(eq - argv[i]), argv[i], eq + 1);
        *eq = '\0'; /* the item's id, borrowed from argv */
        out->items[out->n++] = (tpt_item_answer){argv[i], v};
        /* values the engine accepts are whole numbers */
        json_object_set_new(out->object, argv[i],
                            v == floor(v) && fabs(v) < 1e15 ? json_integer((json_int_t)v)
                                                            : json_real(v));
    }
    return 0;
}

/* --name ITEM=TEXT: what the person rates in a named item, which must be
 * answered too; 0, or a usage problem's exit code. */
static int read_names(const tpt_instrument *in, char **names, size_t n, answers *out)
{
    for (size_t i = 0; i < n; i++) {
        char *eq = strchr(names[i], '=');
        if (!eq || eq == names[i])
            return cli_usage("measure", "--name is ITEM=TEXT, not '%s'", names[i]);
        *eq = '\0';
        tpt_error err = {0};
        if (tpt_instrument_check_name(in, names[i], eq + 1, &err) != 0)
            return cli_usage("measure", "%s", err.message);
        if (!json_object_get(out->object, names[i]))
            return cli_usage("measure", "%s is named but not answered (%s=VALUE)", names[i],
                             names[i]);
        if (!out->names) out->names = json_object();
        if (json_object_get(out->names, names[i]))
            return cli_usage("measure", "%s is named twice", names[i]);
        json_object_set_new(out->names, names[i], json_string(eq + 1));
    }
    return 0;
}

static int add(tpt_store *store, const tpt_instrument *in, const tpt_patient *p, int visit,
               const answers *given, const tpt_score *score, bool json)
{
    tpt_error err = {0};
    tpt_measure_list earlier;
    if (tpt_store_measure_list(store, p->id, &earlier, &err) != 0) return cli_report(&err);
    const tpt_measure *first = NULL;
    for (size_t i = 0; !first && i < earlier.count; i++)
        if (strcmp(earlier.items[i].instrument, in->id) == 0) first = &earlier.items[i];
    if (visit) {
        tpt_visit_list visits;
        bool found = false;
        if (tpt_store_visit_list(store, p->id, &visits, &err) != 0) {
            tpt_measure_list_free(&earlier);
            return cli_report(&err);
        }
        for (size_t i = 0; i < visits.count; i++)
            found |= visits.items[i].number == visit;
        tpt_visit_list_free(&visits);
        if (!found) {
            fprintf(stderr, "tpt: no visit %d of patient %lld (tpt visit list %lld shows them)\n",
                    visit, (long long)p->id, (long long)p->id);
            tpt_measure_list_free(&earlier);
            return TPT_EXIT_BAD_INPUT;
        }
    }
    tpt_measure m = {.patient = p->id, .score = score->value, .visit = visit};
    snprintf(m.instrument, sizeof m.instrument, "%s", in->id);
    snprintf(m.band, sizeof m.band, "%s", score->band ? score->band->id : "");
    cli_now(m.at);
    m.answers = json_dumps(given->object, JSON_COMPACT | JSON_SORT_KEYS);
    if (given->names) m.names = json_dumps(given->names, JSON_COMPACT | JSON_SORT_KEYS);
    int code = 0;
    if (!m.answers || (given->names && !m.names)) {
        fprintf(stderr, "tpt: out of memory\n");
        code = 1;
    } else if (!(code = cli_change_begin(store))) {
        if (tpt_store_measure_add(store, &m, &m.id, &err) != 0) code = cli_report(&err);
        code = cli_change_end(store, code, 0, "kept an outcome measure", p->id);
    }
    if (!code && json) {
        json_t *o = tpt_measure_json(&m);
        json_object_set_new(o, "answered", json_integer((json_int_t)score->answered));
        json_object_set_new(o, "items", json_integer((json_int_t)score->items));
        if (score->has_subscale) json_object_set_new(o, "subscale", json_real(score->subscale));
        if (first)
            json_object_set_new(
                o, "since_first",
                json_pack(
                    "{s:f, s:s, s:f, s:b}", "baseline", tpt_tenth(first->score), "baseline_at",
                    first->at, "change", tpt_tenth(tpt_tenth(m.score) - tpt_tenth(first->score)),
                    "meaningful",
                    tpt_score_meaningful_change(in, tpt_tenth(first->score), tpt_tenth(m.score))));
        json_object_set_new(o, "notice", json_string(TPT_NOT_A_DIAGNOSIS));
        code = cli_print_json(json_pack("{s:o}", "measure", o), stdout, 0);
    } else if (!code) {
        char line[2048], value[32], when[64];
        score_text(in, score->value, value, sizeof value);
        const char *band = score->band ? score->band->label : NULL;
        char count[64] = "";
        if (score->items > 1)
            snprintf(count, sizeof count, ", %zu of %zu items answered", score->answered,
                     score->items);
        snprintf(line, sizeof line, "%s (patient %lld), %s: %s%s%s%s%s.", p->name, (long long)p->id,
                 in->name, value, band ? " (" : "", band ? band : "", band ? ")" : "", count);
        cli_wrap(stdout, 0, line);
        if (score->has_subscale) printf("Psychosocial subscale: %g.\n", score->subscale);
        if (first) {
            char change[1024];
            cli_local_time(first->at, when, sizeof when);
            change_text(in, first->score, m.score, change, sizeof change);
            snprintf(line, sizeof line, "Since the first measure (%s): %s", when, change);
            cli_wrap(stdout, 0, line);
        }
        if (in->licence.notice) cli_wrap(stdout, 0, in->licence.notice);
        putchar('\n');
        cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
    }
    free(m.answers);
    free(m.names);
    tpt_measure_list_free(&earlier);
    return code;
}

/* Under a measure, what its named items rated: "    putting on socks: 3". */
static void print_names(const tpt_measure *m)
{
    json_t *names = m->names ? json_loads(m->names, 0, NULL) : NULL,
           *answers = names ? json_loads(m->answers, 0, NULL) : NULL;
    const char *item;
    json_t *name;
    json_object_foreach(names, item, name)
    {
        json_t *v = json_object_get(answers, item);
        printf("      %s: %g\n", json_string_value(name), v ? json_number_value(v) : 0.0);
    }
    json_decref(answers);
    json_decref(names);
}

static int history(tpt_store *store, const tpt_instruments *set, const tpt_patient *p, bool json)
{
    tpt_measure_list list;
    tpt_error err = {0};
    if (tpt_store_measure_list(store, p->id, &list, &err) != 0) return cli_report(&err);
    json_t *trends = tpt_measure_trends_json(set, &list);
    int code = 0;
    if (json) {
        json_t *items = json_array();
        for (size_t i = 0; i < list.count; i++)
            json_array_append_new(items, tpt_measure_json(&list.items[i]));
        code =
            cli_print_json(json_pack("{s:o, s:O}", "measures", items, "trends", trends), stdout, 0);
    } else if (!list.count) {
        printf("No outcome measures of %s (patient %lld) yet: add one with tpt measure add %lld "
               "INSTRUMENT ITEM=VALUE...\n",
               p->name, (long long)p->id, (long long)p->id);
    } else {
        printf("Outcome measures of %s (patient %lld)\n", p->name, (long long)p->id);
        const char *id;
        json_t *t;
        json_object_foreach(trends, id, t)
        {
            const tpt_instrument *in = tpt_instrument_find(set, id);
            printf("\n%s (%s)\n", in ? in->name : id, id);
            for (size_t i = 0; i < list.count; i++) {
                const tpt_measure *m = &list.items[i];
                if (strcmp(m->instrument, id) != 0) continue;
                char when[64], value[32], visit[32] = "";
                cli_local_time(m->at, when, sizeof when);
                if (in)
                    score_text(in, m->score, value, sizeof value);
                else
                    snprintf(value, sizeof value, "%g", tpt_tenth(m->score));
                if (m->visit) snprintf(visit, sizeof visit, " (visit %d)", m->visit);
                const char *band = in ? band_label(in, m->band) : NULL;
                printf("  %s  %7s%s%s%s\n", when, value, band ? "  " : "", band ? band : "", visit);
                print_names(m);
            }
            json_int_t count = json_integer_value(json_object_get(t, "count"));
            if (!in) continue;
            if (count < 2) {
                printf("  One measure so far: the change is judged from the second.\n");
                continue;
            }
            char change[1024], line[1200];
            change_text(in, json_real_value(json_object_get(t, "baseline")),
                        json_real_value(json_object_get(t, "latest")), change, sizeof change);
            snprintf(line, sizeof line, "First -> latest: %s", change);
            cli_wrap_hanging(stdout, 2, 4, line);
        }
        putchar('\n');
        cli_wrap(stdout, 0, TPT_NOT_A_DIAGNOSIS);
    }
    json_decref(trends);
    tpt_measure_list_free(&list);
    return code;
}

/* Patients as "Anna (3): visit 3 of 6". */
static void print_patients(const char *title, const json_t *list, const char *empty)
{
    printf("\n%s (%zu)\n", title, json_array_size(list));
    if (!json_array_size(list)) printf("  %s\n", empty);
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
    {
        printf("  %s (%lld): %lld of %lld planned visits signed\n",
               json_string_value(json_object_get(p, "name")),
               (long long)json_integer_value(json_object_get(p, "id")),
               (long long)json_integer_value(json_object_get(p, "signed_visits")),
               (long long)json_integer_value(json_object_get(p, "planned_visits")));
    }
}

static int outcomes(const tpt_instruments *set, const args *a)
{
    tpt_store *store;
    tpt_clinic clinic;
    tpt_error err = {0};
    int code = cli_open_store(a->db, &store, NULL);
    if (code) return code;
    json_t *view = NULL;
    if (!(code = cli_clinic_find(store, "measure", a->clinic, false, &clinic)) && !clinic.id &&
        !a->json) {
        /* not an error, as tpt licence list says it; --json answers the view of
         * a clinic with nobody in it */
        tpt_store_close(store);
        printf("This database holds no clinic yet, so no outcomes: tpt patient add NAME makes "
               "the clinic with its first patient.\n");
        return 0;
    }
    if (!code && !(view = tpt_clinic_outcomes_json(set, store, clinic.id, &err)))
        code = cli_report(&err);
    if (view && clinic.id && (code = cli_audit(store, 0, "read the clinic's outcomes", 0))) {
        json_decref(view); /* nothing is shown that the audit log does not hold */
        view = NULL;
    }
    tpt_store_close(store);
    if (code) return code;
    if (a->json) return cli_print_json(view, stdout, 0);
    json_t *o = json_object_get(view, "outcomes");
    printf("%s: %lld patient%s in care\n", clinic.name,
           (long long)json_integer_value(json_object_get(view, "caseload")),
           json_integer_value(json_object_get(view, "caseload")) == 1 ? "" : "s");
    print_patients("Due for reassessment", json_object_get(view, "reassessment_due"),
                   "nobody: every reassessment has its measures");
    print_patients("Not improving after the planned course", json_object_get(view, "not_improving"),
                   "nobody");
    printf("\nOutcomes\n");
    json_int_t measured = json_integer_value(json_object_get(o, "patients_measured"));
    if (!measured) {
        printf("  not known yet: no patient has the same instrument measured twice\n");
    } else {
        json_t *visits = json_object_get(o, "median_visits_to_improvement");
        printf("  improved by at least the MCID  %g%% (%lld of %lld measured twice)\n",
               json_number_value(json_object_get(o, "share_improved")),
               (long long)json_integer_value(json_object_get(o, "patients_improved")),
               (long long)measured);
        if (json_is_number(visits))
            printf("  visits to improvement          %g (median)\n", json_number_value(visits));
        const char *id;
        json_t *m;
        json_object_foreach(json_object_get(o, "by_instrument"), id, m)
        {
            const tpt_instrument *in = tpt_instrument_find(set, id);
            printf("  %-30s median change %+g (%lld patient%s)\n", in ? in->name : id,
                   json_number_value(json_object_get(m, "median_change")),
                   (long long)json_integer_value(json_object_get(m, "patients")),
                   json_integer_value(json_object_get(m, "patients")) == 1 ? "" : "s");
        }
    }
    putchar('\n');
    cli_wrap(stdout, 0, json_string_value(json_object_get(view, "about")));
    json_decref(view);
    return 0;
}

int cmd_measure(int argc, char **argv)
{
    static const struct option options[] = {
        {"name", required_argument, NULL, 'n'},
        {"text", required_argument, NULL, 't'},
        {"visit", required_argument, NULL, 'v'},
        {0},
    };
    args a = {0};
    int opt;
    cli_args opts;
    cli_args_init(&opts, "measure", argc, argv, options, CLI_CLINIC | CLI_DB | CLI_JSON);
    while ((opt = cli_args_next(&opts)) > 0) {
        switch (opt) {
        case 'n':
            if (a.nnames == TPT_INSTRUMENT_MAX_ITEMS)
                return cli_usage("measure", "at most %d --name", TPT_INSTRUMENT_MAX_ITEMS);
            a.names[a.nnames++] = optarg;
            break;
        case 't':
            if (a.ntexts == TPT_INSTRUMENTS_MAX)
                return cli_usage("measure", "at most %d --text files", TPT_INSTRUMENTS_MAX);
            a.texts[a.ntexts++] = optarg;
            break;
        case 'v':
            a.visit = optarg;
            break;
        }
    }
    if (opt < 0) return opts.code;
    a.clinic = opts.common.clinic;
    a.db = opts.common.db;
    a.json = opts.common.json;
    if (optind >= argc) return cli_usage("measure", "say list, show, add, history or outcomes");
    const char *verb = argv[optind++];
    for (a.verb = 0; a.verb < NVERBS && strcmp(verbs[a.verb].name, verb) != 0; a.verb++)
        ;
    if (a.verb == NVERBS)
        return cli_usage("measure", "unknown action '%s' (list, show, add, history or outcomes)",
                         verb);
    int code = cli_args_only(&opts, verb, verbs[a.verb].options);
    if (code) return code;
    int nargs = argc - optind;
    if (a.verb == ADD && nargs < 3)
        return cli_usage("measure", "add needs %s",
                         nargs == 0   ? "the PATIENT's id, the INSTRUMENT and the answers"
                         : nargs == 1 ? "the INSTRUMENT and the answers (ITEM=VALUE...)"
                                      : "the answers (ITEM=VALUE...)");
    if (a.verb != ADD && nargs < verbs[a.verb].nargs)
        return cli_usage("measure", "%s needs %s", verb,
                         a.verb == SHOW ? "an INSTRUMENT (tpt measure list shows them)"
                                        : "the PATIENT's id");
    if (a.verb != ADD && nargs > verbs[a.verb].nargs)
        return cli_usage("measure", "unexpected argument '%s'", argv[optind + verbs[a.verb].nargs]);

    tpt_instruments *set = load(&a, &code);
    if (!set) return code;
    const tpt_instrument *in = NULL;
    if (a.verb == LIST) {
        code = list(set, &a);
    } else if (a.verb == OUTCOMES) {
        code = outcomes(set, &a);
    } else if (a.verb == SHOW) {
        if ((in = find(set, argv[optind], &code))) code = show(in, &a);
    } else {
        /* everything typed is checked before the database is opened */
        const char *patient = argv[optind];
        int64_t visit = 0, id;
        answers given = {0};
        tpt_score score;
        tpt_error err = {0};
        code = cli_parse_id("measure", "PATIENT", patient, &id);
        if (!code && a.visit) code = cli_parse_id("measure", "--visit", a.visit, &visit);
        if (!code && visit > 1000)
            code = cli_usage("measure", "--visit is a visit's number, not '%s'", a.visit);
        if (!code && a.verb == ADD && (in = find(set, argv[optind + 1], &code)) &&
            !(code = read_answers(argv + optind + 2, nargs - 2, &given)) &&
            !(code = read_names(in, a.names, a.nnames, &given)) &&
            tpt_instrument_score(in, given.items, given.n, &score, &err) != 0)
            code = cli_report(&err);
        tpt_store *store;
        tpt_patient p;
        if (!code && !(code = cli_open_patient(a.db, "measure", a.clinic, patient, &store, &p))) {
            if (a.verb == ADD)
                code = add(store, in, &p, (int)visit, &given, &score, a.json);
            else
                code = history(store, set, &p, a.json);
            tpt_store_close(store);
        }
        json_decref(given.object);
        json_decref(given.names);
    }
    tpt_instruments_free(set);
    return code;
}
