/* Text people type: whether it holds control characters (which could move
 * a terminal's cursor, hide what follows, or break a line where none was
 * meant), and a copy fit to print where it does. */
#ifndef TPT_PRINTABLE_H
#define TPT_PRINTABLE_H

#include <stdbool.h>
#include <stddef.h>

/* Whether s holds a control character: C0 (U+0000-U+001F), DEL, or C1
 * (U+0080-U+009F, as UTF-8); a line break and a tab are allowed in
 * `multiline` text (notes, letters). NULL holds none. */
bool tpt_text_has_control(const char *s, bool multiline);
/* s into out (size bytes, NUL-terminated, cut to fit) with every control
 * character but a line break written as \xNN (\t, \r, \e: \x09, \x0d,
 * \x1b), so that printing it shows it and does not act on it. Returns out. */
char *tpt_text_printable(const char *s, char *out, size_t size);

#endif
