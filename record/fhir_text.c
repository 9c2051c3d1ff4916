/* The text of the FHIR export: base64 for the records that travel whole,
 * and UTF-8 repair for texts kept before they were checked. */
#include <stdlib.h>
#include <string.h>

#include "record/fhir_internal.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *tpt__fhir_base64_encode(const char *data, size_t n)
{
    char *out = malloc((n + 2) / 3 * 4 + 1), *p = out;
    if (!out) return NULL;
    const unsigned char *d = (const unsigned char *)data;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) |
                     (i + 2 < n ? d[i + 2] : 0);
        *p++ = b64[v >> 18 & 63];
        *p++ = b64[v >> 12 & 63];
        *p++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
        *p++ = i + 2 < n ? b64[v & 63] : '=';
    }
    *p = '\0';
    return out;
}

char *tpt__fhir_base64_decode(const char *text, size_t *len)
{
    size_t n = strlen(text);
    char *out = malloc(n / 4 * 3 + 1);
    if (!out) return NULL;
    unsigned v = 0;
    size_t k = 0, used = 0, pad = 0;
    for (const char *c = text; *c; c++) {
        if (*c == ' ' || *c == '\n' || *c == '\r' || *c == '\t') continue;
        const char *at = *c ? strchr(b64, *c) : NULL;
        if (*c == '=' && (k % 4 == 2 || k % 4 == 3)) {
            pad++;
            v <<= 6;
        } else if (at && !pad) {
            v = v << 6 | (unsigned)(at - b64);
        } else {
            free(out);
            return NULL;
        }
        if (++k % 4 == 0) {
            out[used++] = (char)(v >> 16 & 255);
            if (pad < 2) out[used++] = (char)(v >> 8 & 255);
            if (pad < 1) out[used++] = (char)(v & 255);
            v = 0;
            if (pad && c[1]) { /* padding ends the data */
                const char *rest = c + 1;
                while (*rest == ' ' || *rest == '\n' || *rest == '\r' || *rest == '\t')
                    rest++;
                if (*rest) {
                    free(out);
                    return NULL;
                }
                break;
            }
        }
    }
    if (k % 4 != 0) {
        free(out);
        return NULL;
    }
    out[used] = '\0';
    *len = used;
    return out;
}

char *tpt__fhir_utf8_repair(const char *s, size_t *bad)
{
    *bad = 0;
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1), *p = out;
    if (!out) return NULL;
    const unsigned char *c = (const unsigned char *)s;
    while (*c) {
        size_t len = 0;
        unsigned cp = 0;
        if (*c < 0x80)
            len = 1, cp = *c;
        else if ((*c & 0xe0) == 0xc0)
            len = 2, cp = *c & 0x1f;
        else if ((*c & 0xf0) == 0xe0)
            len = 3, cp = *c & 0x0f;
        else if ((*c & 0xf8) == 0xf0)
            len = 4, cp = *c & 0x07;
        int ok = len > 0;
        for (size_t i = 1; ok && i < len; i++) {
            ok = (c[i] & 0xc0) == 0x80;
            cp = cp << 6 | (c[i] & 0x3f);
        }
        static const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
        if (ok && (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = 0;
        if (ok) {
            memcpy(p, c, len);
            p += len;
            c += len;
        } else {
            memcpy(p, "\xef\xbf\xbd", 3);
            p += 3;
            c++;
            ++*bad;
        }
    }
    *p = '\0';
    return out;
}
