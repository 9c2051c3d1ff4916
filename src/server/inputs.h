/* The engine's inputs as a request gives them: a drawing (POST /map, /plan
 * and a record's /map) and screen answers (POST /screen, /plan and a
 * record's /screen), each mistake a 400 naming the field. */
#ifndef TPT_SERVER_INPUTS_H
#define TPT_SERVER_INPUTS_H

#include <jansson.h>

#include "reply.h"
#include "request.h"
#include "tpt/infer.h"

/* A drawing as a request gives it. */
typedef struct srv_drawing {
    tpt_drawing drawing;
    tpt_finding findings[TPT_MAX_FINDINGS];
    size_t nfindings;
    unsigned warnings; /* of what could be read, also when the drawing is refused */
    char typed[8192];  /* as the record keeps it: "--finding NAME:SIDE ... MARK ..." */
} srv_drawing;

/* Reads "marks" and "findings" of a body; 0, or an error in res (with the
 * warnings of the marks that could be read). */
int srv_read_drawing(const srv_data *data, json_t *body, srv_drawing *d, srv_response *res);
/* Reads and judges screen answers (an object, as tpt screen --answers takes);
 * 0, or an error in res. */
int srv_read_answers(const srv_data *data, json_t *answers, tpt_screen_result *out,
                     srv_response *res);

#endif
