/* Printable letters of a record (GET /patients/ID/letters/NAME). */
#include <string.h>

#include "server.h"

void tpt_letters_handle(tpt_record_call *c, const char *name)
{
    tpt_response_error(c->res, 404, "not-found", NULL, "no letter '%s'", name);
}
