/* What the files of the letters share (lib/letters.c writes the three
 * letters, lib/letter_home.c the home program with its chart): small
 * readers of the notes' JSON and writers of text, here so that the home
 * program is the one thing either file takes from the other. Internal to
 * libtpt. */
#ifndef TPT_LETTER_TEXT_H
#define TPT_LETTER_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "tpt/body.h"
#include "tpt/letters.h"
#include "tpt/level.h"

/* A text of the letter in its language (tpt/words.h); needs `in`. */
#define W(text) tpt_word(in->words, text)

/* A translated template with its {n} put in. */
static inline void put_n(tpt_buf *b, const char *template, long n)
{
    char number[24];
    snprintf(number, sizeof number, "%ld", n);
    const char *names[] = {"n"}, *values[] = {number};
    tpt_buf_fill_html(b, template, names, values, 1);
}

static inline void put(tpt_buf *b, const char *text)
{
    if (text) tpt_buf_put_html(b, text);
}

/* Text with its first letter upper case (the region labels are written
 * to stand inside a sentence). */
static inline void put_cap(tpt_buf *b, const char *text)
{
    if (!text || !*text) return;
    char first[2] = {text[0] >= 'a' && text[0] <= 'z' ? (char)(text[0] - 'a' + 'A') : text[0], 0};
    tpt_buf_put_html(b, first);
    tpt_buf_put_html(b, text + 1);
}

static inline const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static inline bool has_text(const json_t *o, const char *key)
{
    const char *s = str(o, key);
    return s && *s;
}

/* note.a.b, or note.a with b NULL */
static inline const json_t *at(const json_t *note, const char *a, const char *b)
{
    const json_t *v = json_object_get(note, a);
    return b ? json_object_get(v, b) : v;
}

static inline const char *plural(long n)
{
    return n == 1 ? "" : "s";
}

/* A region by its label with its side ("Buttock, lower part (right)"), or
 * the id as it is when the regions do not know it. */
static inline void put_region(tpt_buf *b, const tpt_letter_input *in, const char *id)
{
    const tpt_regions *regions = in->regions;
    int r = regions && id ? tpt_region_find(regions, id) : -1;
    if (r < 0) {
        put(b, id);
        return;
    }
    put_cap(b, W(regions->region[r].label));
    if (regions->region[r].side != TPT_MIDLINE)
        tpt_buf_element(b, " (", W(tpt_side_word(regions->region[r].side)), ")");
}

/* Whether a standing flag stops self-treatment. */
static inline bool flag_stops(const tpt_letter_input *in)
{
    return in->nflags > 0 && !TPT_SELF_CARE_ALLOWED(in->flag_level);
}
/* The home program of the latest plan, under `heading`: its steps, where to
 * press drawn on the body chart, or, while a flag stops self-treatment, the
 * flag's advice in its place (letter_home.c). */
void tpt__letter_home_section(tpt_buf *b, const tpt_letter_input *in, const char *heading,
                              bool given, bool compact);

#endif
