/* The log and the sessions as CSV (RFC 4180: CRLF line ends, a field with a
 * comma, a quote or a line break quoted, quotes doubled), with a header row,
 * a text that would start a formula neutralised with a leading ', for a
 * spreadsheet (tpt export --csv, GET /patients/ID/export.csv). */
#ifndef TPT_RECORD_CSV_H
#define TPT_RECORD_CSV_H

#include "store.h"
#include "tpt/buf.h"

/* Appends the patient's log, or sessions, to out; 0, or a status with err filled. */
int tpt_csv_log(tpt_store *store, int64_t patient, tpt_buf *out, tpt_error *err);
int tpt_csv_sessions(tpt_store *store, int64_t patient, tpt_buf *out, tpt_error *err);

#endif
