/* What both programs (tpt and tpt-serve) share as programs: reading a file
 * a person names (an atlas, screen answers, a note, an export to import, a
 * licensed item text) within a bound, and the exit status of a libtpt
 * status, mapped here once for both. */
#ifndef TPT_RECORD_PROGRAM_H
#define TPT_RECORD_PROGRAM_H

#include <stddef.h>

#include "tpt/error.h"

/* The whole file ("-" for standard input) of at most max bytes, NUL-terminated
 * (*out malloc'd, the caller frees; *len without the NUL); 0, or
 * TPT_ERR_INPUT naming the file that cannot be opened, read or is too large,
 * or TPT_ERR_NOMEM. */
int tpt_file_read(const char *path, size_t max, char **out, size_t *len, tpt_error *err);

/* Exit statuses beside 0 (success) and 1 (any other failure). */
enum {
    TPT_EXIT_BAD_INPUT = 2,   /* the input, or a data file, is wrong: fix it */
    TPT_EXIT_CONFLICT = 3,    /* the record changed under the command: look again */
    TPT_EXIT_UNAVAILABLE = 4, /* the database cannot answer now: try again later */
};

/* The exit status of a libtpt status (0 for TPT_OK). */
int tpt_exit_status(int status);

#endif
