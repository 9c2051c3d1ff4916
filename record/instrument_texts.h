/* A clinic's licensed wording of outcome measures: the item-text files of
 * the ODI, the RMDQ or STarT Back that one clinic holds under its own
 * licence, checked against the built-in definitions, kept in the store for
 * that clinic alone, and merged into the instruments its pages and commands
 * show (docs/internals/instruments.md, Licensing). */
#ifndef TPT_RECORD_INSTRUMENT_TEXTS_H
#define TPT_RECORD_INSTRUMENT_TEXTS_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"
#include "tpt/instruments.h"

/* An item-text file as given: its name (for messages) and its bytes. */
typedef struct tpt_text_file {
    const char *name;
    const char *json;
    size_t len;
} tpt_text_file;

/* Checks `file` as a clinic's licensed text and keeps it for the clinic
 * (replacing the one it had; *replaced says so, may be NULL): the file must
 * fit its instrument's definition (tpt_instruments_add_text), the
 * instrument must be one whose wording is licensed (tpt words the others
 * itself), and, when `expected` is not NULL, be that instrument.
 * TPT_ERR_INPUT with why otherwise (file:line:column where the file is
 * wrong); *instrument gets its id (TPT_INSTRUMENT_ID_MAX + 1 bytes). */
int tpt_licensed_text_keep(tpt_store *store, int64_t clinic, int64_t author, const char *at,
                           const tpt_text_file *file, const char *expected, char *instrument,
                           bool *replaced, tpt_error *err);

/* The instruments as `clinic` sees them: the built-in ones, the server-wide
 * texts (the deprecated tpt serve --instrument-text, n of them, may be 0)
 * and over those the clinic's own. *out is NULL when the clinic has no text
 * of its own (the caller's shared set is the clinic's then); else a set the
 * caller frees. A kept text that no longer fits (a newer definition) is left
 * out, said on stderr: the clinic sees the instrument without it. */
int tpt_clinic_instruments(tpt_store *store, int64_t clinic, const tpt_text_file *server_wide,
                           size_t n, tpt_instruments **out, tpt_error *err);

#endif
