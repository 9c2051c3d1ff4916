/* What the server answers: a status and a JSON body, or raw bytes of a
 * content type; and the one place a failure becomes an HTTP status and an
 * error body {"error": {"code", "message", "field"}}. Depends on nothing
 * else of the server. */
#ifndef TPT_SERVER_REPLY_H
#define TPT_SERVER_REPLY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "tpt/error.h"

/* A response in the making: a status and a JSON body (owned), or instead of
 * the JSON body raw bytes (owned, malloc'd) of a content type, such as an SVG. */
/* The policy of a printable page tpt makes whole (the report, the handout,
 * a letter): its own inline styles and data: images, no scripts, nothing
 * loaded, framed only by the application. */
#define SRV_PRINT_CSP                                                                              \
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "       \
    "base-uri 'none'; form-action 'none'"

typedef struct srv_response {
    unsigned status;
    json_t *body;
    char *raw;
    size_t raw_len;
    const char *content_type; /* static; set with raw */
    char set_cookie[256];     /* a Set-Cookie header to send, or "" */
    char *json_text;          /* a JSON answer already written (malloc'd), instead of body */
    size_t json_len;
    bool private_data;     /* raw bytes of a patient's record: never stored by a cache */
    const char *csp;       /* static; the Content-Security-Policy of raw HTML, or NULL */
    char disposition[128]; /* a Content-Disposition header to send (downloads), or "" */
} srv_response;

/* Drops what the response holds (body, raw bytes, written JSON, cookie), to
 * answer something else. */
void srv_reply_clear(srv_response *r);
/* An error answer: the status, its code, the field it names (or NULL). */
void srv_reply_error(srv_response *r, unsigned status, const char *code, const char *field,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* 410 link-unusable: the one answer of every private link that cannot be
 * used (an invitation, a reset link, an intake link, a calendar feed's
 * address: none has its token, used, withdrawn, expired, replaced, its
 * account gone or its appointment cancelled), so that the answers tell a
 * guesser nothing of which tokens once existed. */
void srv_link_unusable(srv_response *res);

/* The HTTP status for a libtpt status (the one mapping): 400 bad input, 422
 * bad data, 409 a conflict, 503 the database unavailable, 500 the rest. */
unsigned srv_http_status(int status);
/* A failure as that mapping answers it, with its code: invalid-field (naming
 * `field`, which may be NULL), conflict, unavailable or internal. */
void srv_reply_failed(srv_response *r, const tpt_error *err, const char *field);
/* A failure of the server's own doing (the request was fine): 500, unless the
 * store said conflict (409) or unavailable (503). */
void srv_reply_internal(srv_response *r, const tpt_error *err);

#endif
