/* Control characters in text people type (tpt/printable.h). */
#include <stdio.h>

#include "tpt/printable.h"

/* The length of the control character at p (1 for C0 and DEL, 2 for C1 in
 * UTF-8), or 0 when p starts none. */
static size_t control_at(const unsigned char *p)
{
    if (*p < 0x20 || *p == 0x7f) return 1;
    if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) return 2;
    return 0;
}

bool tpt_text_has_control(const char *s, bool multiline)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (multiline && (*p == '\n' || *p == '\t')) continue;
        if (control_at(p)) return true;
    }
    return false;
}

char *tpt_text_printable(const char *s, char *out, size_t size)
{
    size_t used = 0;
    if (!size) return out;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
        size_t n = *p == '\n' ? 0 : control_at(p);
        size_t need = n ? 4 * n : 1;
        if (used + need >= size) break;
        if (!n) {
            out[used++] = (char)*p++;
            continue;
        }
        for (size_t i = 0; i < n; i++, p++)
            used += (size_t)snprintf(out + used, size - used, "\\x%02x", *p);
    }
    out[used] = '\0';
    return out;
}
