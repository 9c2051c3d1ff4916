/* `tpt serve`: the HTTP face of libtpt. The handlers are thin adapters over
 * the same core calls as the command line, so the CLI and the API agree. */
#ifndef TPT_SERVER_H
#define TPT_SERVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "tpt/atlas.h"
#include "tpt/body.h"
#include "tpt/chart.h"
#include "tpt/infer.h"
#include "tpt/instruments.h"
#include "tpt/screen.h"
#include "tpt/techniques.h"
#include "store.h"

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
    const char *db_path;          /* NULL: the default database */
    tpt_chart *chart;             /* the body chart, for GET /api/v1/chart/VIEW.svg */
    const char *web_root;         /* NULL: the web UI compiled in; else read from this folder */
    bool no_accounts;             /* at start: the first visit makes the first account */
    tpt_instruments *instruments; /* the outcome measures, with any clinic item texts */
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
    bool private_data;     /* raw bytes of a patient's record: never stored by a cache */
    const char *csp;       /* static; the Content-Security-Policy of raw HTML, or NULL */
    char disposition[128]; /* a Content-Disposition header to send (downloads), or "" */
} tpt_response;

/* The one place an error becomes JSON: {"error": {"code", "message", "field"}}. */
void tpt_response_error(tpt_response *r, unsigned status, const char *code, const char *field,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The HTTP status for a libtpt status (the one mapping): 400 bad input, 422
 * bad data, 409 a conflict, 503 the database unavailable, 500 the rest. */
unsigned tpt_http_status(int status);
/* A failure as that mapping answers it, with its code: invalid-field (naming
 * `field`, which may be NULL), conflict, unavailable or internal. */
void tpt_response_failed(tpt_response *r, const tpt_error *err, const char *field);
/* A failure of the server's own doing (the request was fine): 500, unless the
 * store said conflict (409) or unavailable (503). */
void tpt_response_internal(tpt_response *r, const tpt_error *err);

/* A request as the handlers see it. */
typedef struct tpt_request {
    const char *method, *path;
    const char *body; /* NUL-terminated; may be empty */
    size_t body_len;
    const char *session_token; /* the tpt_session cookie, or NULL */
    const char *csrf;          /* the X-CSRF-Token header, or NULL */
    bool secure;               /* the client reached us over TLS (X-Forwarded-Proto: https) */
    void *connection;          /* the server's own handle, for tpt_request_arg */
} tpt_request;

/* The value of a query-string argument ("?q=ann" -> "ann"), or NULL (http.c). */
const char *tpt_request_arg(const tpt_request *req, const char *name);

/* The store of the calling server thread, opened on first use; NULL with a
 * 500 in res when it cannot be opened. */
tpt_store *tpt_server_store(const tpt_server_data *data, tpt_response *res);

/* Who is asking: the signed-in account and its browser session. */
typedef struct tpt_caller {
    tpt_user user;
    tpt_auth_session session;
} tpt_caller;

/* The signed-in caller, or an error in res: 401 without a live session, 403
 * when `changes` and the request lacks the session's CSRF token. */
int tpt_auth_caller(const tpt_server_data *data, const tpt_request *req, bool changes,
                    tpt_caller *caller, tpt_response *res);
/* Starts a session for the user (the cookie into res) and answers
 * {"user", "csrf"} with the status. */
void tpt_auth_start(tpt_store *store, const tpt_request *req, const tpt_user *user, unsigned status,
                    tpt_response *res);
/* Checks a new password's length and hashes it (Argon2id); 0, or an error in res. */
int tpt_auth_new_password(const char *password, const char *field, char hash[TPT_HASH_MAX + 1],
                          tpt_response *res);
/* An account as the API shows it: id, email, name, role, clinic, patient. */
json_t *tpt_user_json(tpt_store *store, const tpt_user *user);
/* A token as hex (64 digits) to the hash it is kept as; 0, or -1 when malformed. */
int tpt_token_hash(const char *token_hex, uint8_t out[TPT_TOKEN_HASH_SIZE]);
/* n bytes as 2n lower-case hex digits and a NUL. */
void tpt_hex(const uint8_t *bytes, size_t n, char *out);
/* One line in the audit log, now: who (0: nobody signed in), what, whose record (0: none). */
void tpt_audit(tpt_store *store, int64_t user, const char *action, int64_t patient);
/* Checks an account's email and name; 0, or a 400 naming the field in res. */
int tpt_check_person(const char *email, const char *name, tpt_response *res);
/* A required non-empty string field of a body, or NULL with a 400 in res. */
const char *tpt_string_field(json_t *body, const char *key, tpt_response *res);

/* Patients, invitations, accounts, clinics and the audit log (people.c). */
bool tpt_people_path(const char *path);
void tpt_people_handle(const tpt_server_data *data, const tpt_request *req, json_t *body,
                       tpt_response *res);
/* One patient's record under /api/v1/patients/ID/... (records.c). */
bool tpt_records_path(const char *path);
void tpt_records_handle(const tpt_server_data *data, const tpt_request *req, json_t *body,
                        tpt_response *res);
/* What a handler of a patient's record is working on (records.c, visits.c). */
typedef struct tpt_record_call {
    const tpt_server_data *data;
    const tpt_request *req;
    json_t *body; /* the parsed body of a POST or PUT */
    tpt_response *res;
    tpt_store *store;
    tpt_caller caller; /* signed in, and allowed to see this record */
    int64_t patient;
} tpt_record_call;

/* One line in the audit log: the caller did `action` to this record. */
void tpt_record_audit(tpt_record_call *call, const char *action);
/* /patients/ID/visits[/N[/sign|/amendments]] for admins and practitioners
 * (visits.c); rest is what follows "/visits". */
void tpt_visits_handle(tpt_record_call *call, const char *rest);
/* GET and PUT /patients/ID/details, POST-free: archiving is a PUT of
 * "archived" (visits.c); rest is "". */
void tpt_patient_details_handle(tpt_record_call *call, const char *rest);

/* GET /api/v1/instruments: the outcome measures and their items (measures.c). */
void tpt_instruments_get(const tpt_server_data *data, tpt_response *res);
/* GET and POST /patients/ID/measures (measures.c). */
void tpt_measures_handle(tpt_record_call *call, const char *rest);
/* GET /patients/ID/letters/NAME: printable letters of the record, for
 * admins and practitioners (letters.c); name is what follows "/letters/". */
void tpt_letters_handle(tpt_record_call *call, const char *name);
/* GET /patients/ID/course: the course of care against its MCIDs (measures.c). */
void tpt_course_handle(tpt_record_call *call, const char *rest);
/* GET /api/v1/clinic: caseload, reassessments due, patients not improving
 * after their planned course, and the clinic's outcomes (measures.c). */
void tpt_clinic_get(const tpt_server_data *data, tpt_store *store, const tpt_caller *caller,
                    tpt_response *res);

/* Whether the caller may see patient's record: 0, or an error in res (404
 * for a record that is not theirs to see, as for one that does not exist). */
int tpt_patient_access(tpt_store *store, const tpt_caller *caller, int64_t patient,
                       tpt_response *res);
/* A drawing as a request gives it (api.c). */
typedef struct tpt_drawing_request {
    tpt_drawing drawing;
    tpt_finding findings[TPT_MAX_FINDINGS];
    size_t nfindings;
    unsigned warnings; /* of what could be read, also when the drawing is refused */
    char typed[8192];  /* as the record keeps it: "--finding NAME:SIDE ... MARK ..." */
} tpt_drawing_request;

/* Reads "marks" and "findings" of a body; 0, or an error in res. */
int tpt_api_read_drawing(const tpt_server_data *data, json_t *body, tpt_drawing_request *d,
                         tpt_response *res);
/* Reads and judges screen answers (an object, as tpt screen --answers takes);
 * 0, or an error in res. */
int tpt_api_read_answers(const tpt_server_data *data, json_t *answers, tpt_screen_result *out,
                         tpt_response *res);

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
    int gzip;                /* send Content-Encoding: gzip */
    unsigned char *owned;    /* data, when read from disk: free() it */
    const char *csp;         /* for HTML: the Content-Security-Policy, NULL for the UI's own */
    const char *disposition; /* a Content-Disposition, or NULL */
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
