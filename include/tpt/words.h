/* The languages tpt speaks. English is the language tpt is written in: its
 * code and data say everything in English, and each other language is a
 * catalogue from the English text to its own, gathered from
 * data/messages/LANG.json (the words of the pages and of the core's own
 * sentences) and from the "translations" block of each data file (the
 * regions, the atlas, the screen, the techniques, progress and the lay
 * names of the causes). A text without a translation stays English.
 *
 * Ownership: tpt_words_load returns a catalogue the caller frees with
 * tpt_words_free (NULL is safe); every string it gives lives as long as the
 * catalogue. */
#ifndef TPT_WORDS_H
#define TPT_WORDS_H

#include <jansson.h>
#include <stddef.h>

#include "tpt/error.h"
#include "tpt/text.h"

typedef struct tpt_language {
    const char *id;   /* "en", "de" */
    const char *name; /* in the language itself: "English", "Deutsch" */
} tpt_language;

/* The languages built in, English first; *count gets how many. */
const tpt_language *tpt_languages(size_t *count);
/* The built-in language of a tag ("de", "de-AT", "DE"), or NULL. */
const tpt_language *tpt_language_find(const char *tag, size_t len);

typedef struct tpt_words tpt_words;

/* The catalogue of a built-in language; NULL with TPT_ERR_INPUT for a
 * language tpt does not have, TPT_ERR_DATA for a damaged catalogue. */
tpt_words *tpt_words_load(const char *language, tpt_error *err);
void tpt_words_free(tpt_words *words);
const char *tpt_words_language(const tpt_words *words); /* "en" for NULL */

/* The text in the catalogue's language, or `english` itself when it has
 * none (or words is NULL). */
const char *tpt_word(const tpt_words *words, const char *english);
/* The lay name of an atlas cause ("the small muscle under the hip pocket,
 * front part") in the catalogue's language, or NULL when it has none. */
const char *tpt_lay_name(const tpt_words *words, const char *cause);

/* Puts the texts of an answer into the catalogue's language, in place: the
 * strings (and lists of strings) under the keys whose values people read
 * (label, advice, instructions, question, sentence...), never ids, levels
 * or what a person wrote. */
void tpt_words_translate(const tpt_words *words, json_t *answer);

/* The catalogue file of a built-in language (data/messages/LANG.json, as
 * embedded), for the web pages; NULL when there is none. */
const char *tpt_words_file(const char *language, size_t *len);

#endif
