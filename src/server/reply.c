/* Error answers and the one mapping of a libtpt status to HTTP (reply.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "reply.h"

void srv_reply_clear(srv_response *r)
{
    json_decref(r->body);
    free(r->raw);
    free(r->json_text);
    r->body = NULL;
    r->raw = NULL;
    r->json_text = NULL;
    r->raw_len = r->json_len = 0;
    r->set_cookie[0] = '\0';
    r->disposition[0] = '\0';
    r->private_data = false;
    r->content_type = NULL;
    r->csp = NULL;
}

void srv_reply_error(srv_response *r, unsigned status, const char *code, const char *field,
                     const char *fmt, ...)
{
    char message[TPT_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    json_decref(r->body);
    r->status = status;
    r->body = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message", message, "field",
                        field);
}

void srv_link_unusable(srv_response *res)
{
    srv_reply_error(res, 410, "link-unusable", NULL,
                    "this link cannot be used: it may have been used already, have expired, "
                    "been withdrawn or copied in part, or never existed; ask your clinic for a "
                    "new one");
}

unsigned srv_http_status(int status)
{
    switch (status) {
    case TPT_OK:
        return 200;
    case TPT_ERR_INPUT:
        return 400;
    case TPT_ERR_DATA:
        return 422; /* the request was well formed; the data behind it is not */
    case TPT_ERR_CONFLICT:
        return 409;
    case TPT_ERR_UNAVAILABLE:
        return 503;
    default:
        return 500;
    }
}

void srv_reply_failed(srv_response *r, const tpt_error *err, const char *field)
{
    const char *code = err->status == TPT_ERR_INPUT         ? "invalid-field"
                       : err->status == TPT_ERR_CONFLICT    ? "conflict"
                       : err->status == TPT_ERR_UNAVAILABLE ? "unavailable"
                                                            : "internal";
    srv_reply_error(r, srv_http_status(err->status), code,
                    err->status == TPT_ERR_INPUT ? field : NULL, "%s", err->message);
}

void srv_reply_internal(srv_response *r, const tpt_error *err)
{
    if (err->status == TPT_ERR_CONFLICT || err->status == TPT_ERR_UNAVAILABLE)
        srv_reply_failed(r, err, NULL);
    else
        srv_reply_error(r, 500, "internal", NULL, "%s",
                        *err->message ? err->message : "out of memory");
}
