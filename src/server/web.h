/* The files of the web UI (web.c): the copy of web/ compiled in, each with a
 * gzip copy made at build time, or with --web-root the same names read from
 * that folder on every request (for development). */
#ifndef TPT_SERVER_WEB_H
#define TPT_SERVER_WEB_H

#include <stddef.h>

#include "request.h"
#include "tpt/error.h"

#define SRV_WEB_FILE_MAX (4u << 20) /* bytes of a file read from --web-root */
#define SRV_ETAG_MAX 24             /* room for a quoted ETag and its NUL */

typedef struct srv_web_file {
    const char *type;          /* Content-Type */
    const unsigned char *data; /* the bytes to send, gzip when `gzip` */
    size_t len;
    int gzip;                /* send Content-Encoding: gzip */
    unsigned char *owned;    /* data, when read from disk: free() it */
    const char *csp;         /* for HTML: the Content-Security-Policy, NULL for the UI's own */
    const char *disposition; /* a Content-Disposition, or NULL */
    int immutable;           /* a versioned address: its bytes never change */
    char etag[SRV_ETAG_MAX];
} srv_web_file;

/* Works out the ETags of the compiled-in files; once, before serving. */
void srv_web_init(void);
/* The web file of a URL path ("/" is index.html); gzip: the client takes it.
 * The page loads its scripts and styles from /v/VERSION/NAME, addresses of
 * this release's bytes that never change (cached for good), so that during a
 * rolling deploy a page never mixes files of two releases: another release's
 * version answers 503, which a balancer retries on another instance.
 * Returns 0, or the HTTP status of the failure (404: no such file; 503:
 * another release's file; 500: the web root's copy cannot be read) with
 * err->message saying why. */
unsigned srv_web_find(const srv_data *data, const char *path, int gzip, srv_web_file *out,
                      tpt_error *err);
/* This release's version, as in the page's addresses (16 hex digits). */
const char *srv_web_version(void);
/* A strong ETag of bytes: 16 hex digits of their hash, then suffix (may be
 * ""), in double quotes. */
void srv_etag(const void *data, size_t len, const char *suffix, char out[SRV_ETAG_MAX]);

#endif
