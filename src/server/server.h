/* `tpt serve`: the HTTP face of libtpt. The handlers are thin adapters over
 * the same core calls as the command line, so the CLI and the API agree. */
#ifndef TPT_SERVER_H
#define TPT_SERVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "tpt/atlas.h"
#include "tpt/body.h"
#include "tpt/chart.h"
#include "tpt/screen.h"
#include "tpt/techniques.h"

/* Bound on a request body; a larger one is answered 413. */
#define TPT_REQUEST_BODY_MAX (64u << 10)
/* Seconds a connection may stay idle before it is closed (slow clients). */
#define TPT_CONNECTION_TIMEOUT 15

/* Everything the handlers share: loaded once at start, read-only after. */
typedef struct tpt_server_data {
    tpt_regions *regions;
    tpt_atlas *atlas;
    tpt_screen_def *screen;
    tpt_techniques *techniques;
    const char *db_path;  /* NULL: the default database */
    tpt_chart *chart;     /* the body chart, for GET /api/v1/chart/VIEW.svg */
    const char *web_root; /* NULL: the web UI compiled in; else read from this folder */
} tpt_server_data;

/* A response in the making: a status and a JSON body (owned), or instead of
 * the JSON body raw bytes (owned, malloc'd) of a content type, such as an SVG. */
typedef struct tpt_response {
    unsigned status;
    json_t *body;
    char *raw;
    size_t raw_len;
    const char *content_type; /* static; set with raw */
    char set_cookie[256];     /* a Set-Cookie header to send, or "" */
    char *json_text;          /* a JSON answer already written (malloc'd), instead of body */
    size_t json_len;
} tpt_response;

/* The one place an error becomes JSON: {"error": {"code", "message", "field"}}. */
void tpt_response_error(tpt_response *r, unsigned status, const char *code, const char *field,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The HTTP status for a libtpt status (the one mapping). */
unsigned tpt_http_status(int status);

/* A request as the handlers see it. */
typedef struct tpt_request {
    const char *method, *path;
    const char *body; /* NUL-terminated; may be empty */
    size_t body_len;
    const char *session_token; /* the tpt_session cookie, or NULL */
    const char *csrf;          /* the X-CSRF-Token header, or NULL */
    bool secure;               /* the client reached us over TLS (X-Forwarded-Proto: https) */
} tpt_request;

/* Accounts and sign-in (auth.c): handles the request when it is one of
 * /api/v1/setup, login, logout, me, password (body parsed for POSTs). */
bool tpt_auth_handle(const tpt_server_data *data, const tpt_request *req, json_t *body,
                     tpt_response *res);
/* Whether a path belongs to auth.c. */
bool tpt_auth_path(const char *path);

/* api/openapi.json, embedded at build time (tools/embed.c); NUL-terminated. */
extern const unsigned char tpt__openapi[];
extern const size_t tpt__openapi_len;

/* The files of the web UI (web.c): the copy of web/ compiled in, each with a
 * gzip copy made at build time, or with --web-root the same names read from
 * that folder on every request (for development). */
#define TPT_WEB_FILE_MAX (4u << 20) /* bytes of a file read from --web-root */
#define TPT_ETAG_MAX 24             /* room for a quoted ETag and its NUL */

typedef struct tpt_web_file {
    const char *type;          /* Content-Type */
    const unsigned char *data; /* the bytes to send, gzip when `gzip` */
    size_t len;
    int gzip;             /* send Content-Encoding: gzip */
    unsigned char *owned; /* data, when read from disk: free() it */
    char etag[TPT_ETAG_MAX];
} tpt_web_file;

/* Works out the ETags of the compiled-in files; once, before serving. */
void tpt_web_init(void);
/* The web file of a URL path ("/" is index.html); gzip: the client takes it.
 * Returns 0, or the HTTP status of the failure (404: no such file; 500: the
 * web root's copy cannot be read) with err->message saying why. */
unsigned tpt_web_find(const tpt_server_data *data, const char *path, int gzip, tpt_web_file *out,
                      tpt_error *err);
/* A strong ETag of bytes: 16 hex digits of their hash, then suffix (may be
 * ""), in double quotes. */
void tpt_etag(const void *data, size_t len, const char *suffix, char out[TPT_ETAG_MAX]);

/* Routes a request to its handler (api.c). */
void tpt_api_handle(const tpt_server_data *data, const tpt_request *req, tpt_response *res);

/* Serves until SIGTERM or SIGINT, then lets running requests finish. */
int tpt_server_run(const tpt_server_data *data, const char *listen, tpt_error *err);

#endif
