/* A person's record gathered from the store as the plain values that
 * lib/progress.c judges, for tpt progress, the report and the API alike, so
 * that all count sessions, flags and new numbness the same way. */
#ifndef TPT_RECORD_PROGRESS_RECORD_H
#define TPT_RECORD_PROGRESS_RECORD_H

#include <jansson.h>
#include <stdbool.h>

#include "store.h"
#include "tpt/progress.h"

typedef struct tpt_progress_record {
    tpt_log_list log;        /* the whole log, oldest first */
    tpt_record_list records; /* every record, oldest first */
    tpt_pain_point *pain;    /* the log entries that rate pain */
    const char **notes;      /* the note of each pain point, or NULL (borrowed from log) */
    size_t npain;
    tpt_session_point *sessions;        /* the sessions that began ("end" is not "none") */
    const tpt_record **session_records; /* the record of each (borrowed from records) */
    json_t **session_bodies;            /* the summary of each, parsed (owned) */
    size_t nsessions;
    size_t nflags; /* red flags standing (tpt_flags_read), the most serious and its advice */
    tpt_level flag_level;
    char *flag_advice;
    bool new_numbness, new_weakness;
} tpt_progress_record;

/* Reads the patient's log and records and gathers what the progress rules
 * judge; 0, or a status with err filled. The caller frees *out with
 * tpt_progress_record_free (also after a failure; a freed one is empty). */
int tpt_progress_record_read(tpt_store *store, int64_t patient, const tpt_progress_rules *rules,
                             tpt_progress_record *out, tpt_error *err);
void tpt_progress_record_free(tpt_progress_record *record);
/* The progress input for the gathered record (borrowing from it) at `now`
 * (seconds since 1970, UTC). */
void tpt_progress_record_input(const tpt_progress_record *record, int64_t now,
                               tpt_progress_input *in);
/* Calls fn with each mark (REGION[:KIND][:INTENSITY]) of a drawing kept as
 * typed ("--finding F ... MARK..."). */
void tpt_drawing_each_mark(const char *typed, void (*fn)(const char *mark, void *ctx), void *ctx);

#endif
