#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/buf.h"

void tpt_buf_free(tpt_buf *buf)
{
    if (!buf) return;
    size_t max = buf->max;
    free(buf->data);
    memset(buf, 0, sizeof *buf);
    buf->max = max;
}

/* Makes room for n more bytes and the NUL within the buffer's bound: 0, or
 * -1 with b->failed set. Apart from tpt_buf_put, so that its common case
 * (the bytes fit) stays small enough to inline. */
__attribute__((noinline)) static int grow(tpt_buf *b, size_t n)
{
    size_t max = b->max ? b->max : TPT_BUF_MAX_DEFAULT;
    if (n > max || b->len + n + 1 > max) {
        b->failed = 1;
        return -1;
    }
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n + 1)
        cap *= 2;
    if (cap > max) cap = max; /* never room past the bound: a write beyond it comes here */
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = 1;
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

void tpt_buf_put(tpt_buf *b, const char *s, size_t n)
{
    if (b->failed) return;
    /* len < cap whenever cap > 0 (the NUL), so this cannot overflow */
    if (n >= b->cap - b->len && grow(b, n) != 0) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void tpt_buf_puts(tpt_buf *b, const char *s)
{
    tpt_buf_put(b, s, strlen(s));
}

void tpt_buf_printf(tpt_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        tpt_buf_put(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    tpt_buf_put(b, big, (size_t)n);
    free(big);
}

void tpt_buf_element(tpt_buf *b, const char *open, const char *text, const char *close)
{
    tpt_buf_puts(b, open);
    if (text) tpt_buf_put_html(b, text);
    tpt_buf_puts(b, close);
}

/* The first n bytes of s (or up to its NUL) as HTML. */
static void put_html_n(tpt_buf *b, const char *s, size_t n)
{
    const char *run = s;
    for (size_t i = 0; i < n && *s; i++, s++) {
        const char *rep;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        tpt_buf_put(b, run, (size_t)(s - run));
        tpt_buf_puts(b, rep);
        run = s + 1;
    }
    tpt_buf_put(b, run, (size_t)(s - run));
}

void tpt_buf_put_html(tpt_buf *b, const char *s)
{
    put_html_n(b, s, (size_t)-1);
}

/* The text of a template with each {name} of `names` replaced by its value,
 * each run written by `put` (as HTML, or as it is). */
static void fill(tpt_buf *b, const char *template, const char *const *names,
                 const char *const *values, size_t n, void (*put)(tpt_buf *, const char *, size_t))
{
    for (const char *p = template; *p;) {
        const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
        size_t i = n;
        for (size_t k = 0; close && k < n; k++)
            if (strlen(names[k]) == (size_t)(close - open - 1) &&
                strncmp(open + 1, names[k], (size_t)(close - open - 1)) == 0)
                i = k;
        put(b, p, i < n ? (size_t)(open - p) : strlen(p));
        if (i == n) break;
        if (values[i]) put(b, values[i], strlen(values[i]));
        p = close + 1;
    }
}

void tpt_buf_fill_html(tpt_buf *b, const char *template, const char *const *names,
                       const char *const *values, size_t n)
{
    fill(b, template, names, values, n, put_html_n);
}

void tpt_buf_fill(tpt_buf *b, const char *template, const char *const *names,
                  const char *const *values, size_t n)
{
    fill(b, template, names, values, n, tpt_buf_put);
}
