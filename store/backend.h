/* What a database backend implements for store.h, as a table of functions
 * (the shape of SQLite's VFS or redis's ae backends). Internal to store/:
 * callers use store.h only.
 *
 * store.c checks every argument before it calls the table (names, times,
 * ranges, lengths, that a patient exists where a call needs one), so a
 * backend only keeps and reads; it refuses only what the database itself
 * knows (an email taken, a signed visit, an invitation used). A backend's
 * connection is its own struct whose first member is a `struct tpt_store`,
 * which is what the table's functions receive (the backend casts it back).
 * Errors go through tpt_error_set with the statuses of store.h: a backend
 * tells unavailable and conflict apart by its database's error codes, never
 * by the text of a message. docs/internals/store.md says what else a
 * backend must keep: isolation, ids, orders. */
#ifndef TPT_STORE_BACKEND_H
#define TPT_STORE_BACKEND_H

#include "copy.h"
#include "store.h"

typedef struct tpt__store_backend tpt__store_backend;

/* The part of every connection that store.c reads. */
struct tpt_store {
    const tpt__store_backend *backend;
    int depth;     /* open groups: 0 none, 1 a transaction, 2... groups in it; kept by store.c */
    int64_t scope; /* the clinic the calls see (tpt_store_scope); kept by store.c */
};

/* What open may do beyond opening: bring an older schema up to date (a
 * backend that serves several instances migrates only when asked). */
#define TPT__OPEN_MIGRATE 1u

struct tpt__store_backend {
    const char *name; /* "sqlite" */
    /* The URI schemes it opens ("postgresql", ...), NULL-terminated; NULL
     * for the backend of file paths. */
    const char *const *schemes;
    /* Opens, making a missing database and its schema; migrates an older
     * schema (each version in its own transaction) always, or only with
     * TPT__OPEN_MIGRATE; refuses a schema it cannot use. *out is the
     * connection, its base filled by open. */
    int (*open)(const char *uri, unsigned flags, tpt_store **out, tpt_error *err);
    void (*close)(tpt_store *s);
    int (*version)(tpt_store *s);
    int latest_version;

    /* Opens the group of `depth` (1: the transaction; more: a group inside
     * it, a savepoint); `hold`: held for writing until the transaction ends
     * (store.h, Isolation). Commit and rollback end the group of `depth`. */
    int (*begin)(tpt_store *s, int depth, bool hold, tpt_error *err);
    int (*commit)(tpt_store *s, int depth, tpt_error *err);
    void (*rollback)(tpt_store *s, int depth);
    /* Applies s->scope to the transaction open now (NULL: the backend keeps
     * no clinics apart itself). */
    int (*scope)(tpt_store *s, tpt_error *err);
    int (*now)(tpt_store *s, char out[TPT_TIME_MAX], tpt_error *err);
    int (*ping)(tpt_store *s, tpt_error *err);
    int (*backup)(tpt_store *s, const char *dest, tpt_error *err);
    int (*check)(tpt_store *s, tpt_error *err);

    int (*self)(tpt_store *s, int64_t *patient, tpt_error *err);
    int (*patient_add)(tpt_store *s, const char *name, int64_t clinic, int64_t *patient,
                       tpt_error *err);
    int (*patient_check)(tpt_store *s, int64_t patient, tpt_error *err);
    char *(*patient_name)(tpt_store *s, int64_t patient);
    int (*patient_clinic)(tpt_store *s, int64_t patient, int64_t *clinic, tpt_error *err);
    int (*patient_update)(tpt_store *s, int64_t patient, const char *name, int64_t clinic,
                          tpt_error *err);
    int (*patient_get)(tpt_store *s, int64_t id, tpt_patient *out, tpt_error *err);
    int (*patient_save)(tpt_store *s, const tpt_patient *p, tpt_error *err);
    int (*patient_list)(tpt_store *s, int64_t clinic, const char *query, bool archived,
                        size_t limit, tpt_patient_list *out, tpt_error *err);
    int (*patient_set_private)(tpt_store *s, int64_t patient, int64_t user, tpt_error *err);
    int (*patient_erase)(tpt_store *s, int64_t patient, const char *at, int64_t by, tpt_error *err);

    int (*log_add)(tpt_store *s, const tpt_log_entry *e, int64_t *id, tpt_error *err);
    int (*log_list)(tpt_store *s, int64_t patient, tpt_log_list *out, tpt_error *err);
    int (*record_add)(tpt_store *s, const tpt_record *r, int64_t *id, tpt_error *err);
    int (*record_list)(tpt_store *s, int64_t patient, int kind, tpt_record_list *out,
                       tpt_error *err);
    int (*log_update)(tpt_store *s, const tpt_log_entry *e, tpt_error *err);
    int (*log_remove)(tpt_store *s, int64_t patient, int64_t id, tpt_error *err);
    int (*record_update)(tpt_store *s, const tpt_record *r, tpt_error *err);
    int (*record_remove)(tpt_store *s, int64_t patient, tpt_record_kind kind, int64_t id,
                         tpt_error *err);
    int (*measure_update)(tpt_store *s, const tpt_measure *m, tpt_error *err);
    int (*measure_remove)(tpt_store *s, int64_t patient, int64_t id, tpt_error *err);
    int (*assessment_add)(tpt_store *s, const tpt_assessment *a, int64_t *id, tpt_error *err);
    int (*assessment_list)(tpt_store *s, int64_t patient, tpt_assessment_list *out, tpt_error *err);

    int (*visit_add)(tpt_store *s, const tpt_visit *v, int64_t *id, int *number, tpt_error *err);
    int (*visit_update)(tpt_store *s, int64_t id, const char *note, const char *result,
                        tpt_error *err);
    int (*visit_sign)(tpt_store *s, int64_t id, int64_t user, const char *at, tpt_error *err);
    int (*visit_list)(tpt_store *s, int64_t patient, tpt_visit_list *out, tpt_error *err);
    int (*amendment_add)(tpt_store *s, int64_t visit, int64_t author, const char *at,
                         const char *text, int64_t *id, tpt_error *err);
    int (*amendment_list)(tpt_store *s, int64_t visit, tpt_amendment_list *out, tpt_error *err);
    int (*measure_add)(tpt_store *s, const tpt_measure *m, int64_t *id, tpt_error *err);
    int (*measure_list)(tpt_store *s, int64_t patient, tpt_measure_list *out, tpt_error *err);

    int (*instrument_text_set)(tpt_store *s, const tpt_instrument_text *t, bool *replaced,
                               tpt_error *err);
    int (*instrument_text_delete)(tpt_store *s, int64_t clinic, const char *instrument,
                                  tpt_error *err);
    int (*instrument_text_list)(tpt_store *s, int64_t clinic, tpt_instrument_text_list *out,
                                tpt_error *err);

    int (*clinic_add)(tpt_store *s, const char *name, int64_t *id, tpt_error *err);
    int (*clinic_get)(tpt_store *s, int64_t id, tpt_clinic *out, tpt_error *err);
    int (*clinic_list)(tpt_store *s, tpt_clinic_list *out, tpt_error *err);

    int (*user_count)(tpt_store *s, int64_t *count, tpt_error *err);
    int (*user_add)(tpt_store *s, const tpt_user *u, int64_t *id, tpt_error *err);
    int (*user_by_email)(tpt_store *s, const char *email, tpt_user *out, tpt_error *err);
    int (*user_by_id)(tpt_store *s, int64_t id, tpt_user *out, tpt_error *err);
    int (*user_list)(tpt_store *s, int64_t clinic, tpt_user_list *out, tpt_error *err);
    int (*user_of_patient)(tpt_store *s, int64_t patient, tpt_user *out, tpt_error *err);
    int (*user_set_patient)(tpt_store *s, int64_t id, int64_t patient, tpt_error *err);
    int (*user_set_password)(tpt_store *s, int64_t id, const char *hash, tpt_error *err);
    int (*user_set_role)(tpt_store *s, int64_t id, tpt_role role, tpt_error *err);
    int (*user_set_disabled)(tpt_store *s, int64_t id, const char *at, tpt_error *err);
    int (*user_delete)(tpt_store *s, int64_t id, const char *at, tpt_error *err);
    int (*admin_count)(tpt_store *s, int64_t clinic, int64_t *count, tpt_error *err);
    int (*user_set_settings)(tpt_store *s, int64_t id, const char *language, bool home,
                             tpt_error *err);
    int (*sign_in_failures)(tpt_store *s, const char *key, tpt_sign_in_failures *out,
                            tpt_error *err);
    int (*sign_in_reserve)(tpt_store *s, const tpt_sign_in_attempt *a, bool *allowed,
                           tpt_sign_in_failures *out, tpt_error *err);
    int (*sign_in_clear)(tpt_store *s, const char *key, tpt_error *err);
    int (*sign_in_forgive)(tpt_store *s, const char *key, tpt_error *err);
    int (*auth_session_add)(tpt_store *s, const tpt_auth_session *a, tpt_error *err);
    int (*auth_session_find)(tpt_store *s, const uint8_t *token_hash, tpt_auth_session *out,
                             tpt_error *err);
    int (*auth_session_delete)(tpt_store *s, const uint8_t *token_hash, tpt_error *err);
    int (*auth_session_delete_user)(tpt_store *s, int64_t user, const uint8_t *keep, int64_t *ended,
                                    tpt_error *err);
    int (*invitation_add)(tpt_store *s, const tpt_invitation *inv, tpt_error *err);
    int (*invitation_find)(tpt_store *s, const uint8_t *token_hash, tpt_invitation *out,
                           tpt_error *err);
    int (*invitation_use)(tpt_store *s, const uint8_t *token_hash, const char *at, tpt_error *err);
    int (*invitation_list)(tpt_store *s, int64_t clinic, const char *now, tpt_invitation_list *out,
                           tpt_error *err);
    int (*invitation_get)(tpt_store *s, int64_t id, tpt_invitation *out, tpt_error *err);
    int (*invitation_withdraw)(tpt_store *s, int64_t id, const char *at, tpt_error *err);
    int (*invitation_fail)(tpt_store *s, const uint8_t *token_hash, int max, const char *at,
                           int *failures, tpt_error *err);
    int (*reset_add)(tpt_store *s, const tpt_password_reset *r, tpt_error *err);
    int (*reset_find)(tpt_store *s, const uint8_t *token_hash, tpt_password_reset *out,
                      tpt_error *err);
    int (*reset_use)(tpt_store *s, const uint8_t *token_hash, const char *at, tpt_error *err);

    /* The audit log: store/audit.c computes the hashes and calls these
     * inside one transaction. audit_last: the latest line's hash (*found
     * false when there is no line, or it has none). audit_chain: the lines
     * after the id `after`, oldest first, at most `limit`, with their hashes.
     * audit_prune: removes the lines older than `before` but the latest,
     * and gives the hash of the last one removed (*anchored false when it
     * had none, or nothing was removed). */
    int (*audit_add)(tpt_store *s, const tpt_audit_line *line,
                     const uint8_t hash[TPT_AUDIT_HASH_SIZE], tpt_error *err);
    int (*audit_last)(tpt_store *s, uint8_t hash[TPT_AUDIT_HASH_SIZE], bool *found, tpt_error *err);
    int (*audit_list)(tpt_store *s, const tpt_audit_filter *f, tpt_audit_list *out, tpt_error *err);
    int (*audit_chain)(tpt_store *s, int64_t after, size_t limit, tpt_audit_list *out,
                       tpt_error *err);
    int (*audit_prune)(tpt_store *s, const char *before, int64_t *removed,
                       uint8_t anchor[TPT_AUDIT_HASH_SIZE], bool *anchored, tpt_error *err);

    int (*setting_get)(tpt_store *s, const char *key, char *out, size_t size, tpt_error *err);
    int (*setting_set)(tpt_store *s, const char *key, const char *value, tpt_error *err);

    /* the clinic's calendar (store/calendar.c checks first) */
    int (*clinic_profile_get)(tpt_store *s, int64_t clinic, tpt_clinic_profile *out,
                              tpt_error *err);
    int (*clinic_profile_save)(tpt_store *s, const tpt_clinic_profile *p, tpt_error *err);
    int (*clinic_by_slug)(tpt_store *s, const char *slug, tpt_clinic_profile *out, tpt_error *err);
    int (*clinic_directory)(tpt_store *s, tpt_clinic_profile_list *out, tpt_error *err);
    int (*location_save)(tpt_store *s, const tpt_location *l, int64_t *id, tpt_error *err);
    int (*location_list)(tpt_store *s, int64_t clinic, tpt_location_list *out, tpt_error *err);
    int (*service_save)(tpt_store *s, const tpt_service *v, int64_t *id, tpt_error *err);
    int (*service_list)(tpt_store *s, int64_t clinic, tpt_service_list *out, tpt_error *err);
    int (*practitioner_get)(tpt_store *s, int64_t user, tpt_practitioner *out, tpt_error *err);
    int (*practitioner_save)(tpt_store *s, const tpt_practitioner *p, tpt_error *err);
    int (*practitioner_list)(tpt_store *s, int64_t clinic, tpt_practitioner_list *out,
                             tpt_error *err);
    int (*appointment_add)(tpt_store *s, const tpt_appointment *a, const uint8_t *hold,
                           const char *now, int64_t *id, tpt_error *err);
    int (*appointment_get)(tpt_store *s, int64_t id, tpt_appointment *out, tpt_error *err);
    int (*appointment_list)(tpt_store *s, const tpt_appointment_filter *f,
                            tpt_appointment_list *out, tpt_error *err);
    int (*appointment_move)(tpt_store *s, const tpt_appointment *a, const char *now,
                            tpt_error *err);
    int (*appointment_status)(tpt_store *s, int64_t id, tpt_appointment_status status,
                              const char *at, bool late, const char *reason, tpt_error *err);
    int (*appointment_set_visit)(tpt_store *s, int64_t id, int visit, tpt_error *err);
    int (*hold_add)(tpt_store *s, const tpt_hold *h, const char *now, tpt_error *err);
    int (*hold_find)(tpt_store *s, const uint8_t *token_hash, const char *now, tpt_hold *out,
                     tpt_error *err);
    int (*rate_hit)(tpt_store *s, const char *key, const char *window, int *hits, tpt_error *err);
    int (*message_add)(tpt_store *s, const tpt_message *m, int64_t *id, tpt_error *err);
    int (*message_drop)(tpt_store *s, int64_t appointment, tpt_message_kind kind, tpt_error *err);
    int (*message_claim)(tpt_store *s, const char *now, const char *lease, bool any_relay,
                         size_t max, tpt_message_list *out, tpt_error *err);
    int (*message_settle)(tpt_store *s, int64_t id, tpt_message_state state, const char *at,
                          const char *error, const char *retry, tpt_error *err);
    int (*message_get)(tpt_store *s, int64_t id, tpt_message *out, tpt_error *err);
    int (*message_list)(tpt_store *s, int64_t clinic, int64_t patient, unsigned states,
                        size_t limit, tpt_message_list *out, tpt_error *err);
    int (*intake_add)(tpt_store *s, const tpt_intake *i, tpt_error *err);
    int (*intake_find)(tpt_store *s, const uint8_t *token_hash, tpt_intake *out, tpt_error *err);
    int (*intake_get)(tpt_store *s, int64_t appointment, tpt_intake *out, tpt_error *err);
    int (*intake_update)(tpt_store *s, int64_t appointment, const char *subjective, int64_t drawing,
                         bool measure, const char *at, tpt_error *err);
    int (*feed_get)(tpt_store *s, int64_t patient, tpt_feed *out, tpt_error *err);
    int (*feed_save)(tpt_store *s, const tpt_feed *f, tpt_error *err);
    int (*feed_find)(tpt_store *s, const uint8_t *token_hash, tpt_feed *out, tpt_error *err);

    /* The copy between backends (copy.h): every row of a table in the copy
     * form, in the order of its first column; a row written as it was read,
     * its id kept (NULL: this backend takes no copies); and, when all rows
     * are in, ids given from then on made to follow them. */
    int (*copy_read)(tpt_store *s, const tpt__copy_table *t, tpt__copy_row *row, void *ctx,
                     tpt_error *err);
    int (*copy_write)(tpt_store *s, const tpt__copy_table *t, const char *const *values,
                      tpt_error *err);
    int (*copy_done)(tpt_store *s, tpt_error *err);
};

/* "" (none: follow the browser), or a language tag of 2 to 15 characters
 * a-z and '-' ("de"): 0, or TPT_ERR_INPUT saying so (store.c). */
int tpt__check_language(const char *language, tpt_error *err);

/* The backends this build has (store/sqlite/, store/postgres/). */
extern const tpt__store_backend tpt__sqlite_backend;
#ifdef TPT_WITH_POSTGRES
extern const tpt__store_backend tpt__pg_backend;
#endif

#endif
