/* A growing text buffer for the writers of JSON and HTML. */
#ifndef TPT_BUF_H
#define TPT_BUF_H

#include <stddef.h>

/* `failed` is set when memory ran out; later writes are then ignored. */
typedef struct tpt_buf {
    char *data; /* NUL-terminated */
    size_t len, cap;
    int failed;
} tpt_buf;

void tpt_buf_put(tpt_buf *buf, const char *s, size_t n);
void tpt_buf_puts(tpt_buf *buf, const char *s);
void tpt_buf_printf(tpt_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tpt_buf_free(tpt_buf *buf);
/* Text as HTML character data or an attribute value: & < > " ' escaped. */
void tpt_buf_put_html(tpt_buf *buf, const char *s);

#endif
