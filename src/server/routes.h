/* The API's routes: which handler answers a request under /api/v1, and what
 * is checked before it (a session, the CSRF token, the body, access to the
 * record the path names). */
#ifndef TPT_SERVER_ROUTES_H
#define TPT_SERVER_ROUTES_H

#include <stdbool.h>

#include "reply.h"
#include "request.h"

/* Answers a request under /api/ into res. */
void srv_route(const srv_data *data, const srv_request *req, srv_response *res);
/* Whether the request's handler hashes passwords (sign-in, the first
 * account, a password change, an invitation taken up): run on the pool. */
bool srv_route_hashes(const char *method, const char *path);

#endif
