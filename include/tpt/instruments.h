/* Outcome-measure instruments (questionnaires and rating scales) as data:
 * each definition in data/instruments/ names its items and answers, the rule
 * that turns answers into a score, the score's range and direction, the
 * smallest important change, bands where published, and its licence. The
 * engine scores plain answers the caller gathers: no store, no files.
 *
 * Licensed instruments ship without item text; a clinic that holds the text
 * under its own licence supplies it in an item-text file that is checked
 * against the built-in definition and merged over it
 * (docs/internals/instruments.md). */
#ifndef TPT_INSTRUMENTS_H
#define TPT_INSTRUMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "tpt/error.h"
#include "tpt/sourced.h"

#define TPT_INSTRUMENTS_MAX 32               /* instruments in one set */
#define TPT_INSTRUMENT_MAX_ITEMS 64          /* items of one instrument */
#define TPT_INSTRUMENT_MAX_OPTIONS 16        /* answers offered by one item */
#define TPT_INSTRUMENT_FILE_MAX (256u << 10) /* bytes of a definition or item-text file */

/* The rule a definition selects to turn answers into a score. */
typedef enum tpt_score_rule {
    TPT_RULE_SUM = 0,             /* the sum of the item values */
    TPT_RULE_PERCENT_OF_ANSWERED, /* sum / (highest possible sum of the answered) x 100 */
    TPT_RULE_MEAN,                /* the mean of the answered item values */
    TPT_RULE_SINGLE,              /* one item, its value */
    TPT_RULE_START_BACK,          /* sum, and a risk group from the total and a subscale */
    TPT_RULE_COUNT
} tpt_score_rule;

/* "sum", "percent-of-answered", "mean", "single", "start-back". */
const char *tpt_score_rule_name(tpt_score_rule rule);

/* An answer an item offers, or a labelled point of a number range. */
typedef struct tpt_option {
    double value;
    const char *text; /* NULL when no text is known */
} tpt_option;

/* An item is either a choice among options or a whole number in a range. */
typedef struct tpt_item {
    const char *id;
    const char *text; /* the question; NULL when none ships and no clinic file gave one */
    bool is_range;
    double *values; /* a choice: the values it scores, as defined (distinct) */
    size_t nvalues;
    tpt_option *options; /* a choice: the answers as shown, in form order; a clinic's
                            form may offer several answers with one value */
    size_t noptions;
    double min, max;     /* a range: its bounds; a choice: its lowest and highest value */
    tpt_option *anchors; /* a range: labelled points such as "0 no pain" (may be none) */
    size_t nanchors;
    bool named; /* the person names what the item rates (the PSFS's activities), and the
                   name is kept with the answer so the same thing is rated next time */
} tpt_item;

/* A band of the score (ODI) or a group named by the rule (STarT Back). */
typedef struct tpt_band {
    const char *id, *label;
    bool has_max;
    double max; /* scores above the previous band's max and up to this belong here */
} tpt_band;

/* A sourced number that may be unknown (value ignored when !known). */
typedef struct tpt_maybe_number {
    bool known;
    tpt_number number;
} tpt_maybe_number;

typedef struct tpt_instrument {
    const char *id, *name, *version; /* version: the instrument's, e.g. "2.1a" */
    const char *about;               /* what it measures, in tpt's words */
    tpt_sources sources;             /* the citation table of its file */
    tpt_strings source;              /* where the items and their values come from */
    tpt_item *items;
    size_t nitems;

    tpt_score_rule rule;
    tpt_strings rule_source;
    double min, max;         /* the score's range */
    bool higher_is_worse;    /* false: a higher score is better */
    tpt_number min_answered; /* fewer answered items: the instrument refuses to score */

    /* start-back only: the psychosocial subscale (item indexes), the highest
     * total that is low risk, and the lowest subscale that is high risk. */
    size_t *subscale;
    size_t nsubscale;
    tpt_strings subscale_source;
    tpt_number low_max, high_subscale_min;

    /* The smallest important change, in points and as a percentage of the
     * room to improve at baseline; either may be unknown. */
    tpt_maybe_number mcid_points, mcid_percent;

    tpt_band *bands; /* none, bands with a max each, or low/medium/high for start-back */
    size_t nbands;
    tpt_strings bands_source;

    struct {
        const char *notice;    /* the copyright line to keep with the instrument, or NULL */
        const char *terms;     /* the licence in tpt's words */
        bool text_from_clinic; /* tpt ships no item text; a clinic file supplies it */
        tpt_strings source;
    } licence;
    const char *text_file;    /* name of the clinic file the text came from, or NULL */
    const char *text_licence; /* what that file says of its licence, or NULL */
    struct tpt__arena *arena;
} tpt_instrument;

typedef struct tpt_instruments {
    tpt_instrument *items[TPT_INSTRUMENTS_MAX];
    size_t count;
} tpt_instruments;

/* An empty set; the caller owns it (tpt_instruments_free). */
tpt_instruments *tpt_instruments_new(tpt_error *err);
/* The built-in instruments (data/instruments/, embedded): nrs-leg, nrs-back,
 * odi, rmdq, sbi, psfs, start-back. */
tpt_instruments *tpt_instruments_default(tpt_error *err);
void tpt_instruments_free(tpt_instruments *set);

/* Adds a definition read from JSON text (at most TPT_INSTRUMENT_FILE_MAX
 * bytes); `name` is used as name:line:column in messages. A bad file, or an
 * id the set has already, is refused with TPT_ERR_DATA and the set is left as
 * it was. Pointers to instruments stay valid until the set is freed. */
int tpt_instruments_add(tpt_instruments *set, const char *json, size_t len, const char *name,
                        tpt_error *err);

/* Merges a clinic's item-text file over the built-in definition it names:
 *   {"format": "tpt-instrument-text", "version": 1, "instrument": ID,
 *    "instrument_version": V, "licence": TEXT (optional), "items": [{"id",
 *    "text", "options": [{"value", "text"}] or "anchors": [...]}]}
 * The file must give every item in the definition's order with its text, and
 * for a choice item options whose values are the item's values (each value
 * offered at least once, no other value). Anything else is refused with
 * TPT_ERR_DATA at name:line:column, and the instrument keeps its text. A
 * later file for the same instrument replaces the text of an earlier one. */
int tpt_instruments_add_text(tpt_instruments *set, const char *json, size_t len, const char *name,
                             tpt_error *err);

/* The instrument with this id, or NULL. */
const tpt_instrument *tpt_instrument_find(const tpt_instruments *set, const char *id);
/* The index of an item of the instrument, or -1. */
int tpt_instrument_item(const tpt_instrument *instrument, const char *id);

/* The longest name of a named item, in bytes. */
#define TPT_ITEM_NAME_MAX 100

/* Checks the name a person gives a named item: the item exists and is named,
 * and the name is 1 to TPT_ITEM_NAME_MAX bytes of UTF-8 text without control
 * characters or spaces at its ends. TPT_ERR_INPUT with a sentence when not. */
int tpt_instrument_check_name(const tpt_instrument *instrument, const char *item, const char *name,
                              tpt_error *err);

/* One answered item: its id (borrowed) and value. Items left out are
 * unanswered. */
typedef struct tpt_item_answer {
    const char *item;
    double value;
} tpt_item_answer;

typedef struct tpt_score {
    bool scored;            /* false when the instrument refused to score */
    double value;           /* the score on the instrument's scale, unrounded */
    double sum;             /* the sum of the answered values */
    size_t answered, items; /* answered items of all items (also set when refused
                               for too few answered) */
    const tpt_band *band;   /* the band or risk group, or NULL where none is defined */
    bool has_subscale;      /* start-back: the psychosocial subscale */
    double subscale;
} tpt_score;

/* Scores answers by the instrument's rule. Refuses with TPT_ERR_INPUT, and a
 * sentence naming the item, an unknown item, an item answered twice, a value
 * that is not a whole number or not one of the item's answers (outside its
 * range), and fewer answered items than min_answered (naming the unanswered).
 * `out` is always filled; `scored` says whether it holds a score. */
int tpt_instrument_score(const tpt_instrument *instrument, const tpt_item_answer *answers, size_t n,
                         tpt_score *out, tpt_error *err);

/* Whether the change from baseline to latest is an improvement of at least
 * the smallest important change, in the instrument's direction: in points,
 * or as a percentage of the room to improve at baseline (the distance from
 * the best end of the scale, which for a 0-based higher-is-worse scale is
 * the baseline itself). Exactly the MCID counts. False when the instrument
 * has no known MCID. */
bool tpt_score_meaningful_change(const tpt_instrument *instrument, double baseline, double latest);

#endif
