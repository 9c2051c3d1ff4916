/* The HTTP server (libmicrohttpd): serves the web UI and the API until
 * SIGTERM or SIGINT, then lets running requests finish. */
#ifndef TPT_SERVER_HTTP_H
#define TPT_SERVER_HTTP_H

#include "request.h"
#include "tpt/error.h"

/* Listens on "ADDR:PORT" (IPv4); 0 once stopped, or TPT_ERR_INPUT when it
 * cannot listen there. */
int srv_run(const srv_data *data, const char *listen, tpt_error *err);

#endif
