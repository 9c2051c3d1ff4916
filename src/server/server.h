/* `tpt serve`: the HTTP face of libtpt. The handlers are thin adapters over
 * the same core calls as the command line, so the CLI and the API agree. */
#ifndef TPT_SERVER_H
#define TPT_SERVER_H

#include <jansson.h>
#include <stddef.h>

#include "tpt/atlas.h"
#include "tpt/body.h"
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
    const char *db_path; /* NULL: the default database */
} tpt_server_data;

/* A response in the making: a status and a JSON body (owned). */
typedef struct tpt_response {
    unsigned status;
    json_t *body;
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
} tpt_request;

/* api/openapi.json, embedded at build time (tools/embed.c); NUL-terminated. */
extern const unsigned char tpt__openapi[];
extern const size_t tpt__openapi_len;

/* Routes a request to its handler (api.c). */
void tpt_api_handle(const tpt_server_data *data, const tpt_request *req, tpt_response *res);

/* Serves until SIGTERM or SIGINT, then lets running requests finish. */
int tpt_server_run(const tpt_server_data *data, const char *listen, tpt_error *err);

#endif
