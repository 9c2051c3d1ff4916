/* A request as the handlers see it, and what the server loaded once at start
 * that every handler reads. */
#ifndef TPT_SERVER_REQUEST_H
#define TPT_SERVER_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "record/instrument_texts.h"
#include "tpt/atlas.h"
#include "tpt/body.h"
#include "tpt/chart.h"
#include "tpt/instruments.h"
#include "tpt/screen.h"
#include "tpt/techniques.h"
#include "tpt/words.h"

/* Bound on a request body; a larger one is answered 413. */
#define SRV_REQUEST_BODY_MAX (64u << 10)
/* The languages the server answers in, at most (tpt_languages). */
#define SRV_LANGUAGES_MAX 8
/* Seconds a connection may stay idle before it is closed (slow clients);
 * a request's body must arrive within twice that. */
#define SRV_CONNECTION_TIMEOUT 15
/* Connections open at once, in all (beyond: 503 with Retry-After) and from
 * one client address (beyond: closed), unless tpt serve is told otherwise. */
#define SRV_CONNECTIONS_MAX 1000
#define SRV_PER_ADDRESS_MAX 64

/* Everything the handlers share: loaded once at start, read-only after. */
typedef struct srv_data {
    tpt_regions *regions;
    tpt_atlas *atlas;
    tpt_screen_def *screen;
    tpt_techniques *techniques;
    const char *db;               /* the database's path or URI */
    tpt_chart *chart;             /* the body chart, for GET /api/v1/chart/VIEW.svg */
    const char *web_root;         /* NULL: the web UI compiled in; else read from this folder */
    bool no_accounts;             /* at start: the first visit makes the first account */
    tpt_instruments *instruments; /* the outcome measures, with the server-wide item texts */
    /* The deprecated server-wide item texts (tpt serve --instrument-text),
     * which every clinic without its own text of the instrument sees. */
    const tpt_text_file *server_texts;
    size_t nserver_texts;
    unsigned connections_max; /* SRV_CONNECTIONS_MAX, or as tpt serve was told */
    unsigned per_address_max; /* SRV_PER_ADDRESS_MAX; 0: no bound (behind a proxy) */
    unsigned timeout;         /* SRV_CONNECTION_TIMEOUT, or as tpt serve was told */
    const char *base_url;     /* where people reach this server, for links in emails and feeds */
    const char *smtp_url;     /* the server's own mail relay (--smtp), or NULL */
    const char *smtp_secret;  /* its password (relay.c), or NULL */
    /* the key of the clinics' relay passwords kept in the database
     * (secrets.c), or NULL when this server has none */
    const struct srv_secret_key *secret_key;
    const char *mail_from;               /* the From: of emails when a clinic gives none, or NULL */
    int mail_interval;                   /* seconds between the sender's looks at the outbox */
    tpt_words *words[SRV_LANGUAGES_MAX]; /* by tpt_languages' order, English first */
    volatile int draining;               /* set on SIGTERM: not ready for new requests */
} srv_data;

typedef struct srv_request {
    const char *method, *path;
    const char *body; /* NUL-terminated; may be empty */
    size_t body_len;
    const char *session_token;   /* the tpt_session cookie, or NULL */
    const char *csrf;            /* the X-CSRF-Token header, or NULL */
    const char *accept_language; /* the Accept-Language header, or NULL */
    bool secure;                 /* the client reached us over TLS (X-Forwarded-Proto: https) */
    const char *address;         /* the client's address as text ("" when unknown) */
    /* headers that say where a signed-out request came from, each NULL when
     * not sent: the body's Content-Type, the Origin of the page that sent
     * it, and the Host it was sent to (X-Forwarded-Host behind a proxy) */
    const char *content_type, *origin, *host;
    /* The value of a query-string argument, looked up by the HTTP glue. */
    const char *(*arg)(void *connection, const char *name);
    void *connection;
} srv_request;

/* The value of a query-string argument ("?q=ann" -> "ann"), or NULL. */
static inline const char *srv_request_arg(const srv_request *req, const char *name)
{
    return req->arg ? req->arg(req->connection, name) : NULL;
}

#endif
