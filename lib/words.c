/* The catalogues of the languages tpt speaks (tpt/words.h): a hash table
 * from the English text to the language's, whose strings live in the parsed
 * catalogue and data files the catalogue keeps. */
#include "tpt/words.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

extern const unsigned char tpt__data_messages_en[], tpt__data_messages_de[], tpt__data_lay_names[];
extern const size_t tpt__data_messages_en_len, tpt__data_messages_de_len, tpt__data_lay_names_len;

static const tpt_language languages[] = {{"en", "English"}, {"de", "Deutsch"}};

static const struct {
    const unsigned char *text;
    const size_t *len;
} catalogues[] = {
    {tpt__data_messages_en, &tpt__data_messages_en_len},
    {tpt__data_messages_de, &tpt__data_messages_de_len},
};

#define NLANGUAGES (sizeof languages / sizeof *languages)
_Static_assert(NLANGUAGES == sizeof catalogues / sizeof *catalogues, "a catalogue per language");

/* The data files whose "translations" block holds their texts in each language. */
static const struct {
    const unsigned char *text;
    const size_t *len;
} data_files[] = {
    {tpt__data_regions, &tpt__data_regions_len},
    {tpt__data_atlas, &tpt__data_atlas_len},
    {tpt__data_screen, &tpt__data_screen_len},
    {tpt__data_techniques, &tpt__data_techniques_len},
    {tpt__data_progress, &tpt__data_progress_len},
    /* tpt's own ratings translate all their words; a validated questionnaire
     * its description, keeping its published name and items */
    {tpt__data_instrument_nrs_leg, &tpt__data_instrument_nrs_leg_len},
    {tpt__data_instrument_nrs_back, &tpt__data_instrument_nrs_back_len},
    {tpt__data_instrument_odi, &tpt__data_instrument_odi_len},
    {tpt__data_instrument_rmdq, &tpt__data_instrument_rmdq_len},
    {tpt__data_instrument_sbi, &tpt__data_instrument_sbi_len},
    {tpt__data_instrument_psfs, &tpt__data_instrument_psfs_len},
    {tpt__data_instrument_start_back, &tpt__data_instrument_start_back_len},
    {tpt__data_lay_names, &tpt__data_lay_names_len}, /* last: tpt_words_new reads it there */
};

#define NFILES (sizeof data_files / sizeof *data_files)

typedef struct entry {
    const char *english, *text;
} entry;

struct tpt_words {
    const tpt_language *language;
    json_t *roots[NFILES + 1]; /* the parsed files, which own every string below */
    entry *table;              /* open addressing; NULL english: empty */
    size_t size;               /* a power of two, at least twice the entries */
    size_t count;              /* the entries: none for English */
    json_t *lay;               /* lay-names.json's "causes" */
};

const tpt_language *tpt_languages(size_t *count)
{
    *count = NLANGUAGES;
    return languages;
}

const tpt_language *tpt_language_find(const char *tag, size_t len)
{
    /* "de-AT" is German: the primary subtag decides */
    size_t primary = 0;
    while (primary < len && tag[primary] != '-' && tag[primary] != '_')
        primary++;
    for (size_t i = 0; i < NLANGUAGES; i++)
        if (primary == strlen(languages[i].id) && strncasecmp(tag, languages[i].id, primary) == 0)
            return &languages[i];
    return NULL;
}

static size_t index_of(const tpt_language *language)
{
    return (size_t)(language - languages);
}

const char *tpt_words_file(const char *language, size_t *len)
{
    const tpt_language *l = language ? tpt_language_find(language, strlen(language)) : NULL;
    if (!l) return NULL;
    *len = *catalogues[index_of(l)].len;
    return (const char *)catalogues[index_of(l)].text;
}

/* FNV-1a over the text. */
static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void put(tpt_words *w, const char *english, const char *text)
{
    size_t i = hash(english) & (w->size - 1);
    while (w->table[i].english && strcmp(w->table[i].english, english) != 0)
        i = (i + 1) & (w->size - 1);
    w->table[i] = (entry){english, text};
}

/* The "translations" object of the language in a parsed file, or NULL. */
static json_t *translations_of(json_t *root, const char *language)
{
    return json_object_get(json_object_get(root, "translations"), language);
}

/* The catalogue's own messages. Of a plural the core takes the "other"
 * form: it says a count of one in a text of its own ("1 needle"). */
static json_t *messages_of(json_t *root)
{
    return json_object_get(root, "messages");
}

/* A message's text: itself, or a plural's "other" form; NULL if neither. */
static const char *text_of(const json_t *v)
{
    const char *text = json_string_value(json_is_object(v) ? json_object_get(v, "other") : v);
    return text && *text ? text : NULL;
}

static size_t count_strings(json_t *obj)
{
    size_t n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) n += text_of(v) != NULL;
    return n;
}

static void put_all(tpt_words *w, json_t *obj)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) if (text_of(v)) put(w, key, text_of(v));
}

static json_t *parse(const unsigned char *text, size_t len, tpt_error *err)
{
    json_error_t e;
    json_t *root = json_loadb((const char *)text, len, 0, &e);
    if (!root) tpt__fail(err, TPT_ERR_DATA, "a built-in text file cannot be read: %s", e.text);
    return root;
}

tpt_words *tpt_words_load(const char *language, tpt_error *err)
{
    const tpt_language *l = language ? tpt_language_find(language, strlen(language)) : NULL;
    if (!l || strlen(language) != strlen(l->id))
        return tpt__fail(err, TPT_ERR_INPUT, "tpt has no language '%s'", language ? language : ""),
               NULL;
    tpt_words *w = calloc(1, sizeof *w);
    if (!w) return tpt__fail(err, TPT_ERR_NOMEM, "out of memory"), NULL;
    w->language = l;
    size_t n = 0;
    for (size_t i = 0; i <= NFILES; i++) {
        w->roots[i] = i < NFILES
                          ? parse(data_files[i].text, *data_files[i].len, err)
                          : parse(catalogues[index_of(l)].text, *catalogues[index_of(l)].len, err);
        if (!w->roots[i]) {
            tpt_words_free(w);
            return NULL;
        }
        n += count_strings(i < NFILES ? translations_of(w->roots[i], l->id)
                                      : messages_of(w->roots[i]));
    }
    for (w->size = 16; w->size < 2 * n; w->size *= 2)
        ;
    w->count = n;
    if (!(w->table = calloc(w->size, sizeof *w->table))) {
        tpt_words_free(w);
        return tpt__fail(err, TPT_ERR_NOMEM, "out of memory"), NULL;
    }
    for (size_t i = 0; i < NFILES; i++)
        put_all(w, translations_of(w->roots[i], l->id));
    put_all(w, messages_of(w->roots[NFILES]));
    w->lay = json_object_get(w->roots[NFILES - 1], "causes");
    return w;
}

void tpt_words_free(tpt_words *w)
{
    if (!w) return;
    for (size_t i = 0; i <= NFILES; i++)
        json_decref(w->roots[i]);
    free(w->table);
    free(w);
}

const char *tpt_words_language(const tpt_words *w)
{
    return w ? w->language->id : "en";
}

const char *tpt_word(const tpt_words *w, const char *english)
{
    if (!w || !english || !w->count) return english;
    size_t i = hash(english) & (w->size - 1);
    for (; w->table[i].english; i = (i + 1) & (w->size - 1))
        if (strcmp(w->table[i].english, english) == 0) return w->table[i].text;
    return english;
}

const char *tpt_lay_name(const tpt_words *w, const char *cause)
{
    if (!w || !cause) return NULL;
    const char *name = json_string_value(json_object_get(json_object_get(w->lay, cause), "name"));
    return name ? tpt_word(w, name) : NULL;
}

/* The keys whose strings are texts for people, in every answer tpt gives. */
static bool read_by_people(const char *key)
{
    static const char *const keys[] = {"label",
                                       "location",
                                       "advice",
                                       "title",
                                       "instructions",
                                       "placement",
                                       "cautions",
                                       "pressure",
                                       "habits",
                                       "detail",
                                       "evidence",
                                       "text",
                                       "question",
                                       "reason",
                                       "sentence",
                                       "pattern_sentence",
                                       "notice",
                                       "lay",
                                       "intro",
                                       "example",
                                       NULL};
    for (const char *const *k = keys; *k; k++)
        if (strcmp(*k, key) == 0) return true;
    return false;
}

static void translate_value(const tpt_words *w, json_t *v)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v), *t = tpt_word(w, s);
        if (t != s) json_string_set(v, t);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) if (json_is_string(item)) translate_value(w, item);
    }
}

void tpt_words_translate(const tpt_words *w, json_t *answer)
{
    if (!w || !w->count || !answer) return;
    if (json_is_array(answer)) {
        size_t i;
        json_t *item;
        json_array_foreach(answer, i, item) tpt_words_translate(w, item);
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(answer, key, v)
    {
        if (read_by_people(key)) translate_value(w, v);
        if (strcmp(key, "evidence") == 0 &&
            json_is_array(v)) { /* a finding's name, not a person's */
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item) translate_value(w, json_object_get(item, "name"));
        }
        if (json_is_object(v) || json_is_array(v)) tpt_words_translate(w, v);
    }
}
