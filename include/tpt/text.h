/* Marks a sentence of the code that people read, so that tests/i18n/check.py
 * finds it and asks every catalogue for its translation; the server puts it
 * into the request's language (tpt_words_translate, tpt/words.h). */
#ifndef TPT_TEXT_H
#define TPT_TEXT_H

#define TPT_TEXT(english) english

#endif
