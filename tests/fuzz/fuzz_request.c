/* libFuzzer harness: the body of every request that takes one, through the
 * server's own routing and handlers (srv_route) on a real database, as a
 * signed-in admin of the clinic whose patient the paths name. The first
 * byte of an input chooses the request, the rest is its body. Whatever the
 * body holds, the answer is a success or a client's error with its code:
 * never a 500, and never a status outside 200-499 (a 503 is the database
 * being busy, which a fuzzer's run never makes). The requests that hash a
 * password (sign-in, setup, accepting an invitation, a reset link, a
 * password change) read their bodies with the same field readers, and are
 * left out so that each run stays fast. */
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every request that reads a body; PATIENT is the record's id. */
static const char *const requests[][2] = {
    {"POST", "/api/v1/map"},
    {"POST", "/api/v1/screen"},
    {"POST", "/api/v1/plan"},
    {"POST", "/api/v1/patients"},
    {"POST", "/api/v1/invitations"},
    {"POST", "/api/v1/clinics"},
    {"PUT", "/api/v1/users/1"},
    {"POST", "/api/v1/patients/PATIENT/screen"},
    {"POST", "/api/v1/patients/PATIENT/map"},
    {"POST", "/api/v1/patients/PATIENT/plan"},
    {"POST", "/api/v1/patients/PATIENT/sessions"},
    {"POST", "/api/v1/patients/PATIENT/log"},
    {"PUT", "/api/v1/patients/PATIENT/details"},
    {"POST", "/api/v1/patients/PATIENT/visits"},
    {"PUT", "/api/v1/patients/PATIENT/visits/1"},
    {"POST", "/api/v1/patients/PATIENT/visits/1/amendments"},
    {"POST", "/api/v1/patients/PATIENT/measures"},
    {"POST", "/api/v1/patients/PATIENT/assessments"},
};
#define NREQUESTS (sizeof requests / sizeof *requests)

static srv_data server;
static char session[80], csrf[80];
static long long patient;

/* One request; the answer in *res (the caller frees it). */
static void ask(const char *method, const char *path, const char *body, size_t len,
                srv_response *res)
{
    srv_request req = {.method = method,
                       .path = path,
                       .body = body,
                       .body_len = len,
                       .session_token = *session ? session : NULL,
                       .csrf = *csrf ? csrf : NULL,
                       .address = "127.0.0.1",
                       .content_type = "application/json"};
    memset(res, 0, sizeof *res);
    srv_route(&server, &req, res);
}

static void done_with(srv_response *res)
{
    json_decref(res->body);
    free(res->raw);
    free(res->json_text);
}

static char db[] = "/tmp/tpt-fuzz-request-XXXXXX";

/* The database and its write-ahead files go when the run ends. */
static void remove_db(void)
{
    char path[sizeof db + 8];
    unlink(db);
    snprintf(path, sizeof path, "%s-wal", db);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", db);
    unlink(path);
}

/* The data the server loads, a new database, its first account signed in
 * and one patient with a visit note. */
static void start(void)
{
    tpt_error err = {0};
    int fd = mkstemp(db);
    if (fd < 0 || sodium_init() < 0) abort();
    close(fd);
    unlink(db); /* tpt makes it, as it makes every database */
    atexit(remove_db);
    server.db = db;
    server.connections_max = server.timeout = 1;
    if (!(server.regions = tpt_regions_default(&err)) ||
        !(server.atlas = tpt_atlas_default(server.regions, &err)) ||
        !(server.screen = tpt_screen_def_default(&err)) ||
        !(server.techniques = tpt_techniques_default(server.atlas, &err)) ||
        !(server.chart = tpt_chart_default(server.regions, &err)) ||
        !(server.instruments = tpt_instruments_default(&err)))
        abort();
    static const char setup[] = "{\"email\":\"fuzz@example.org\",\"name\":\"Fuzz\","
                                "\"password\":\"a long enough secret\"}";
    srv_response res;
    ask("POST", "/api/v1/setup", setup, strlen(setup), &res);
    const char *cookie = strstr(res.set_cookie, "tpt_session=");
    const char *token = json_string_value(json_object_get(res.body, "csrf"));
    if (res.status != 201 || !cookie || !token) abort();
    snprintf(session, sizeof session, "%.64s", cookie + strlen("tpt_session="));
    snprintf(csrf, sizeof csrf, "%s", token);
    done_with(&res);
    static const char ann[] = "{\"name\":\"Ann Lee\"}";
    ask("POST", "/api/v1/patients", ann, strlen(ann), &res);
    patient = json_integer_value(json_object_get(json_object_get(res.body, "patient"), "id"));
    if (res.status != 201 || patient < 1) abort();
    done_with(&res);
    static const char note[] = "{\"note\":{\"kind\":\"intake\"}}";
    char path[64];
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", patient);
    ask("POST", path, note, strlen(note), &res);
    if (res.status != 201) abort();
    done_with(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!server.regions) start();
    if (size < 1) return 0;
    const char *const *r = requests[data[0] % NREQUESTS];
    char path[128], id[24];
    snprintf(id, sizeof id, "%lld", patient);
    const char *at = strstr(r[1], "PATIENT");
    if (at)
        snprintf(path, sizeof path, "%.*s%s%s", (int)(at - r[1]), r[1], id, at + strlen("PATIENT"));
    else
        snprintf(path, sizeof path, "%s", r[1]);
    char *body = malloc(size); /* NUL-terminated, as the HTTP glue gives it */
    if (!body) return 0;
    memcpy(body, data + 1, size - 1);
    body[size - 1] = '\0';
    srv_response res;
    ask(r[0], path, body, size - 1, &res);
    free(body);
    if (res.status < 200 || res.status > 499) {
        fprintf(stderr, "%s %s answered %u\n", r[0], path, res.status);
        abort();
    }
    if (res.status >= 400 &&
        !json_is_string(json_object_get(json_object_get(res.body, "error"), "code"))) {
        fprintf(stderr, "%s %s answered %u without an error code\n", r[0], path, res.status);
        abort();
    }
    done_with(&res);
    return 0;
}
