/* A growing text buffer for the writers of JSON and HTML. */
#ifndef TPT_BUF_H
#define TPT_BUF_H

#include <stddef.h>

/* Bound on what one buffer holds unless its `max` says otherwise: the
 * largest page or export tpt writes is a few megabytes. */
#define TPT_BUF_MAX_DEFAULT (64u << 20)

/* A buffer starts as {0} (or with `max` set). `failed` is set when memory ran
 * out or the text would pass `max` bytes (0: TPT_BUF_MAX_DEFAULT); later
 * writes are then ignored, and the writer reports "out of memory". The
 * caller owns `data` and frees it with tpt_buf_free (NULL is safe). */
typedef struct tpt_buf {
    char *data; /* NUL-terminated */
    size_t len, cap, max;
    int failed;
} tpt_buf;

void tpt_buf_put(tpt_buf *buf, const char *s, size_t n);
void tpt_buf_puts(tpt_buf *buf, const char *s);
void tpt_buf_printf(tpt_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tpt_buf_free(tpt_buf *buf);
/* `text` as HTML between `open` and `close`, which are written as they are
 * (NULL text: nothing between them). */
void tpt_buf_element(tpt_buf *buf, const char *open, const char *text, const char *close);
/* Text as HTML character data or an attribute value: & < > " ' escaped. */
void tpt_buf_put_html(tpt_buf *buf, const char *s);
/* A template's text as HTML with each {name} in it replaced by values[i]
 * (as HTML too) where names[i] is that name: a translated sentence with its
 * numbers and names put in after translation. A {name} not among the n
 * names ends the filling: the rest is written as it stands. */
void tpt_buf_fill_html(tpt_buf *buf, const char *template, const char *const *names,
                       const char *const *values, size_t n);
/* The same as plain text (an email's), nothing escaped. */
void tpt_buf_fill(tpt_buf *buf, const char *template, const char *const *names,
                  const char *const *values, size_t n);

#endif
