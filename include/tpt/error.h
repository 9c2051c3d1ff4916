/* Errors of libtpt: one result convention for every fallible function.
 *
 * A fallible function returns 0 (TPT_OK) on success or a negative tpt_status,
 * and fills the caller's tpt_error with a sentence a person can act on. The
 * command line and the server map a status to an exit code or an HTTP status
 * in one place each (record/program.c, src/server/reply.c). */
#ifndef TPT_ERROR_H
#define TPT_ERROR_H

enum tpt_status {
    TPT_OK = 0,
    TPT_ERR_INPUT = -1, /* the user's input is wrong (a mark, a finding, a drawing) */
    TPT_ERR_DATA = -2,  /* a data file (atlas, regions) is malformed or inconsistent */
    TPT_ERR_NOMEM = -3, /* out of memory */
    /* the change conflicts with what is stored now: a signed visit is locked,
     * an invitation was used a moment ago, another change won the race */
    TPT_ERR_CONFLICT = -4,
    /* the database cannot answer now: busy beyond its wait, full, an I/O error,
     * out of reach; the same request may succeed later */
    TPT_ERR_UNAVAILABLE = -5,
};

/* Bound on an error sentence; longer sentences are cut. */
#define TPT_ERROR_MESSAGE_MAX 512

typedef struct tpt_error {
    int status;
    char message[TPT_ERROR_MESSAGE_MAX];
} tpt_error;

/* Fills err (when not NULL) with the status and the sentence, and returns the
 * status, so that a caller can `return tpt_error_set(err, ...)`. */
int tpt_error_set(tpt_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
