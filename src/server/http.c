/* libmicrohttpd glue: reading request bodies within their bound, answering
 * JSON or raw bytes (the web UI's files, the chart SVG) with ETags, and
 * starting and draining the daemon. What a request means is routes.c's and
 * web.c's. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "http.h"
#include "pool.h"
#include "routes.h"
#include "store.h"
#include "web.h"

/* Seconds SIGTERM waits for requests under way before the daemon stops. */
#define DRAIN_SECONDS 10
/* Descriptors kept apart from connections: the database, its log, the
 * listening socket, the daemon's own. */
#define SPARE_DESCRIPTORS 64
/* Seconds a client told the server is full waits before trying again. */
#define RETRY_AFTER_SECONDS "5"

/* Connections open now, all threads together. */
static atomic_uint open_connections;
/* Requests that hash passwords waiting for the pool (pool.h), beyond which
 * they are answered 503 at once. */
#define SLOW_QUEUE_MAX 256
/* Threads a core serving requests on a database server (PostgreSQL), where
 * they mostly wait for it; on SQLite, one a core. */
#define THREADS_PER_CORE_SERVER_DB 8

static srv_pool *slow_pool; /* the daemon's, between start and stop */

/* ---- one request ---- */

/* The strings of a request a pool's job keeps a copy of: the method, the
 * path, the cookie, the CSRF token, Content-Type, Origin and Host. */
#define REQUEST_COPIES 8

typedef struct request_state {
    char *body;
    size_t len;
    int too_large;
    time_t started; /* the headers came in: the body's deadline counts from here */
    /* a request run on the pool: its own copy of every header the handlers
     * read (req's strings point into `copies`), the connection to resume,
     * and the answer once done */
    struct MHD_Connection *connection;
    const srv_data *data;
    srv_request req;
    char address[INET6_ADDRSTRLEN];
    char *copies[REQUEST_COPIES];
    bool queued;
    volatile bool done;
    srv_response res;
} request_state;

/* Sends JSON text (malloc'd, taken over) with the API's headers. */
static enum MHD_Result send_json_text(struct MHD_Connection *c, unsigned status, char *text,
                                      size_t len, const char *set_cookie);

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *body,
                                 const char *set_cookie)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(3)) : NULL;
    json_decref(body);
    return send_json_text(c, status, text, text ? strlen(text) : 0, set_cookie);
}

static enum MHD_Result send_json_text(struct MHD_Connection *c, unsigned status, char *text,
                                      size_t len, const char *set_cookie)
{
    if (!text) {
        static const char oom[] =
            "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\",\"field\":null}}";
        text = strdup(oom);
        status = 500;
        if (!text) return MHD_NO;
        len = strlen(text);
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (set_cookie && *set_cookie) MHD_add_response_header(r, "Set-Cookie", set_cookie);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

/* ---- raw answers: the web UI's files and the chart ---- */

/* Whether an If-None-Match list ("*", or entity tags, weak or strong) names etag. */
static int etag_matches(const char *header, const char *etag)
{
    size_t want = strlen(etag);
    for (const char *p = header; p && *p;) {
        p += strspn(p, " \t,");
        if (*p == '*') return 1;
        if (strncmp(p, "W/", 2) == 0) p += 2; /* If-None-Match compares weakly */
        const char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
        if (!end) return 0; /* not an entity tag: stop reading */
        end++;
        if ((size_t)(end - p) == want && memcmp(p, etag, want) == 0) return 1;
        p = end;
    }
    return 0;
}

/* Whether Accept-Encoding lets gzip through: named (or "*") without q=0. */
static int accepts_gzip(const char *header)
{
    for (const char *p = header; p && *p;) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, " \t;,");
        int named = (n == 4 && strncasecmp(p, "gzip", 4) == 0) || (n == 1 && *p == '*');
        const char *end = p + strcspn(p, ",");
        if (named) {
            const char *q = strstr(p, "q=");
            if (!q || q > end) return 1;
            return strtod(q + 2, NULL) > 0;
        }
        p = end;
    }
    return 0;
}

/* Sends f (taking its owned bytes) with its ETag and cache policy, or 304
 * when the client has these bytes already. */
static enum MHD_Result send_raw(struct MHD_Connection *c, srv_web_file *f, const char *cache)
{
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    unsigned status = inm && etag_matches(inm, f->etag) ? 304 : 200;
    struct MHD_Response *r;
    if (status == 304) {
        free(f->owned);
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    } else if (f->owned) {
        r = MHD_create_response_from_buffer(f->len, f->owned, MHD_RESPMEM_MUST_FREE);
        if (!r) free(f->owned);
    } else {
        r = MHD_create_response_from_buffer(f->len, (void *)f->data, MHD_RESPMEM_PERSISTENT);
    }
    f->owned = NULL;
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "ETag", f->etag);
    MHD_add_response_header(r, "Cache-Control", cache);
    MHD_add_response_header(r, "Vary", "Accept-Encoding");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (status == 200) {
        MHD_add_response_header(r, "Content-Type", f->type);
        if (f->gzip) MHD_add_response_header(r, "Content-Encoding", "gzip");
    }
    if (f->disposition) MHD_add_response_header(r, "Content-Disposition", f->disposition);
    if (strncmp(f->type, "text/html", 9) == 0) {
        /* the page loads nothing but its own files and talks only to its own API */
        MHD_add_response_header(r, "Content-Security-Policy",
                                f->csp ? f->csp
                                       : "default-src 'self'; img-src 'self' data:; "
                                         "object-src 'none'; base-uri 'none'; "
                                         "form-action 'self'; frame-ancestors 'none'");
        MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    }
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_web(struct MHD_Connection *c, const srv_data *data, const char *url,
                                const char *method)
{
    srv_response res = {.status = 200};
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        srv_reply_error(&res, 405, "method-not-allowed", NULL, "%s takes GET", url);
        return send_json(c, res.status, res.body, NULL);
    }
    const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
    srv_web_file f = {0}; /* the handler fills what it knows */
    tpt_error err = {0};
    unsigned status = srv_web_find(data, url, accepts_gzip(ae), &f, &err);
    if (status) {
        srv_reply_error(&res, status,
                        status == 404   ? "not-found"
                        : status == 503 ? "other-release"
                                        : "internal",
                        NULL, "%s", err.message);
        return send_json(c, res.status, res.body, NULL);
    }
    /* a release's own address never changes; others always revalidate,
     * which the ETag makes cheap */
    return send_raw(c, &f, f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
}

/* The address of the client on this connection, as text ("" when unknown). */
static void peer_address(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    *out = '\0';
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

/* The answer when the server holds as many connections as it may: come
 * back in a moment, and this connection closes. */
static enum MHD_Result send_full(struct MHD_Connection *c)
{
    srv_response res = {.status = 503};
    srv_reply_error(&res, 503, "unavailable", NULL,
                    "the server is busy with too many connections: try again in a moment");
    char *text = res.body ? json_dumps(res.body, JSON_COMPACT) : NULL;
    json_decref(res.body);
    if (!text) return MHD_NO;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "Retry-After", RETRY_AFTER_SECONDS);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ok = MHD_queue_response(c, 503, r);
    MHD_destroy_response(r);
    return ok;
}

/* A query-string argument of the request on this connection. */
static const char *query_arg(void *connection, const char *name)
{
    return MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, name);
}

/* Sends an answer of the API, taking what it holds. */
static enum MHD_Result send_response(struct MHD_Connection *c, srv_response *res)
{
    if (res->raw) {
        srv_web_file f = {.type = res->content_type,
                          .data = (const unsigned char *)res->raw,
                          .len = res->raw_len,
                          .owned = (unsigned char *)res->raw,
                          .csp = res->csp,
                          .disposition = *res->disposition ? res->disposition : NULL};
        srv_etag(res->raw, res->raw_len, "", f.etag);
        json_decref(res->body);
        return send_raw(c, &f, res->private_data ? "private, no-store" : "no-cache");
    }
    if (res->json_text) {
        json_decref(res->body);
        return send_json_text(c, res->status, res->json_text, res->json_len, res->set_cookie);
    }
    return send_json(c, res->status, res->body, res->set_cookie);
}

/* The request as the handlers see it, read from its connection; the
 * client's address goes into `address`. */
static srv_request read_request(struct MHD_Connection *c, const char *method, const char *url,
                                const request_state *st, char address[INET6_ADDRSTRLEN])
{
    const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
    const char *forwarded_host =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Host");
    peer_address(c, address, INET6_ADDRSTRLEN);
    return (srv_request){
        .address = address,
        .method = method,
        .path = url,
        .body = st->body ? st->body : "",
        .body_len = st->len,
        .session_token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "tpt_session"),
        .csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token"),
        .accept_language = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"),
        .content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type"),
        .origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin"),
        .host = forwarded_host ? forwarded_host
                               : MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host"),
        .secure = proto && strcasecmp(proto, "https") == 0,
        .arg = query_arg,
        .connection = c,
    };
}

/* Points *field at a copy of itself kept in st (NULL stays NULL): 0, or -1
 * when out of memory. */
static int keep_copy(request_state *st, size_t i, const char **field)
{
    if (!*field) return 0;
    st->copies[i] = strdup(*field);
    *field = st->copies[i];
    return *field ? 0 : -1;
}

/* A request on the pool's thread: routed as any other, then its connection
 * resumed so that its HTTP thread sends the answer. */
static void run_on_pool(void *arg)
{
    request_state *st = arg;
    st->res.status = 200;
    srv_route(st->data, &st->req, &st->res);
    st->done = true;
    MHD_resume_connection(st->connection);
}

/* Hands a request that hashes passwords to the pool and suspends its
 * connection: MHD_YES, or a 503 when the pool's queue is full. The job
 * reads its own copy of the request, every header the checks of sign-in
 * need included (address, Content-Type, Origin, Host). */
static enum MHD_Result to_pool(struct MHD_Connection *c, request_state *st, const srv_data *data,
                               const char *method, const char *url)
{
    srv_request *req = &st->req;
    *req = read_request(c, method, url, st, st->address);
    req->arg = NULL; /* no query string is read off the HTTP thread */
    req->connection = NULL;
    const char **fields[REQUEST_COPIES] = {&req->method, &req->path,           &req->session_token,
                                           &req->csrf,   &req->content_type,   &req->origin,
                                           &req->host,   &req->accept_language};
    for (size_t i = 0; i < REQUEST_COPIES; i++)
        if (keep_copy(st, i, fields[i]) != 0) return MHD_NO;
    st->connection = c;
    st->data = data;
    st->queued = true;
    MHD_suspend_connection(c);
    if (srv_pool_submit(slow_pool, run_on_pool, st) == 0) return MHD_YES;
    MHD_resume_connection(c);
    st->done = true;
    st->res.status = 503;
    srv_reply_error(&st->res, 503, "unavailable", NULL,
                    "too many sign-ins at once: try again in a moment");
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **state_ptr)
{
    (void)version;
    const srv_data *data = cls;
    request_state *st = *state_ptr;
    if (!st) { /* the headers: the body, if any, follows in later calls */
        st = calloc(1, sizeof *st);
        if (!st) return MHD_NO;
        *state_ptr = st;
        st->started = time(NULL);
        if (atomic_load(&open_connections) > data->connections_max) return send_full(c);
        return MHD_YES;
    }
    if (*upload_size) {
        /* a body that trickles in, however busy it keeps the connection, has
         * a deadline: the connection is closed */
        if (time(NULL) - st->started > 2 * (time_t)data->timeout) return MHD_NO;
        if (!st->too_large && st->len + *upload_size <= SRV_REQUEST_BODY_MAX) {
            char *grown = realloc(st->body, st->len + *upload_size + 1);
            if (!grown) return MHD_NO;
            memcpy(grown + st->len, upload_data, *upload_size);
            st->body = grown;
            st->len += *upload_size;
            st->body[st->len] = '\0';
        } else {
            st->too_large = 1; /* read on, keep nothing, answer 413 at the end */
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (st->queued) /* back from the pool, or not yet: answered once done */
        return st->done ? send_response(c, &st->res) : MHD_YES;
    srv_response res = {.status = 200};
    if (st->too_large) {
        srv_reply_error(&res, 413, "too-large", NULL, "the request body is larger than %u bytes",
                        SRV_REQUEST_BODY_MAX);
    } else if (strncmp(url, "/api/", 5) != 0) {
        return send_web(c, data, url, method);
    } else if (srv_route_hashes(method, url)) {
        return to_pool(c, st, data, method, url);
    } else {
        char address[INET6_ADDRSTRLEN];
        srv_request req = read_request(c, method, url, st, address);
        srv_route(data, &req, &res);
    }
    return send_response(c, &res);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state_ptr,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)c;
    (void)why;
    request_state *st = *state_ptr;
    if (st) {
        free(st->body);
        for (size_t i = 0; i < REQUEST_COPIES; i++)
            free(st->copies[i]);
    }
    free(st);
    *state_ptr = NULL;
}

/* ---- the daemon ---- */

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)c;
    (void)socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&open_connections, 1);
    else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
        atomic_fetch_sub(&open_connections, 1);
}

static int parse_listen(const char *listen, struct sockaddr_in *addr)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host) return -1;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535) return -1;
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0) strcpy(host, "127.0.0.1");
    return inet_pton(AF_INET, host, &addr->sin_addr) == 1 ? 0 : -1;
}

int srv_run(const srv_data *data, const char *listen, tpt_error *err)
{
    struct sockaddr_in addr;
    if (parse_listen(listen, &addr) != 0) {
        snprintf(err->message, sizeof err->message,
                 "cannot read the address '%s' (give IPV4:PORT, e.g. 127.0.0.1:8321)", listen);
        err->status = TPT_ERR_INPUT;
        return err->status;
    }
    /* Signals go to this thread only, so that the daemon's threads never see them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    srv_web_init();
    /* Connections past --max-connections are still taken, to be answered 503
     * at once rather than left waiting unanswered in the kernel's queue; the
     * daemon takes as many as the process may open. */
    struct rlimit files;
    unsigned accept_max = data->connections_max + SPARE_DESCRIPTORS;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
        if (files.rlim_cur < files.rlim_max) { /* the soft limit may rise to the hard one */
            files.rlim_cur = files.rlim_max;
            setrlimit(RLIMIT_NOFILE, &files);
            getrlimit(RLIMIT_NOFILE, &files);
        }
        if (files.rlim_cur > 2 * SPARE_DESCRIPTORS)
            accept_max = (unsigned)(files.rlim_cur - SPARE_DESCRIPTORS < 65536
                                        ? files.rlim_cur - SPARE_DESCRIPTORS
                                        : 65536);
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    /* half the cores hash passwords at most: the other half serve the records */
    slow_pool = srv_pool_new(cores > 2 ? (unsigned)cores / 2 : 1, SLOW_QUEUE_MAX);
    if (!slow_pool) {
        snprintf(err->message, sizeof err->message, "cannot start the password workers");
        err->status = TPT_ERR_NOMEM;
        return err->status;
    }
    /* A thread waits for the database while it serves a request. A file's
     * writes go one at a time whatever the threads, and a thread a core keeps
     * SQLite's lock contended least; a database server commits many waiting
     * transactions with one flush, and is kept busy only by enough of them. */
    long threads = cores > 0 ? cores : 1;
    if (tpt_store_is_uri(data->db)) threads *= THREADS_PER_CORE_SERVER_DB;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
            MHD_ALLOW_SUSPEND_RESUME,
        0, NULL, NULL, on_request, (void *)data, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT,
        data->timeout, MHD_OPTION_CONNECTION_LIMIT, accept_max, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        data->per_address_max, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        srv_pool_free(slow_pool);
        slow_pool = NULL;
        snprintf(err->message, sizeof err->message, "cannot listen on %s (is the port in use?)",
                 listen);
        err->status = TPT_ERR_INPUT;
        return err->status;
    }
    fprintf(stderr, "tpt serving on http://%s \u2014 open it to %s\n", listen,
            data->no_accounts ? "create the first account" : "sign in");
    /* The audit log's retention, applied at start and once a day after, until
     * a signal says stop. */
    for (;;) {
        srv_housekeeping(data);
        struct timespec day = {24 * 60 * 60, 0};
        if (sigtimedwait(&stop, NULL, &day) >= 0) break;
    }

    /* Drain: not ready (a balancer sends no more), take no new connections,
     * let the ones under way finish. */
    ((srv_data *)data)->draining = 1;
    MHD_quiesce_daemon(d);
    for (int i = 0; i < DRAIN_SECONDS * 10; i++) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0) break;
        struct timespec ts = {0, 100000000L};
        nanosleep(&ts, NULL);
    }
    /* the pool's jobs end first: each resumes its connection in the daemon */
    srv_pool_free(slow_pool);
    slow_pool = NULL;
    MHD_stop_daemon(d);
    fprintf(stderr, "tpt: stopped\n");
    return 0;
}
