/* The PostgreSQL backend's own shared parts: its connection, the helpers of
 * statements.c that its files share, and their functions (connection.c:
 * connecting and reconnecting, transactions and the clinic's scope;
 * schema.c: migrations; patients.c, corrections.c, accounts.c,
 * instrument_texts.c, and calendar.c, appointments.c and outbox.c for the
 * clinic's calendar: the calls of store.h; copy.c: rows moved in from
 * another backend; backend.c: the table). These files and libpq.c are the
 * only ones that know the database is PostgreSQL; docs/internals/postgres.md
 * says how it keeps the store's contract. */
#ifndef TPT_STORE_POSTGRES_H
#define TPT_STORE_POSTGRES_H

#include <stdbool.h>

#include "backend.h"
#include "libpq.h"

/* The latest schema version: the last of schema.c's steps (one file per
 * version from 008.sql, where PostgreSQL begins). */
#define TPT__PG_LATEST 16

typedef struct tpt__pg {
    struct tpt_store base; /* first: the store that store.c holds */
    const tpt__libpq *pq;
    char *uri;    /* to connect again after the connection is lost */
    PGconn *conn; /* NULL while lost: connected again before the next transaction */
    bool own;     /* the transaction open now is one call's own (see tpt__pg_enter) */
    int calls;    /* calls under way in this store's own transaction */
    bool failed;  /* a statement failed: the transaction can only roll back */
    int status;   /* the status of the latest failure */
    bool wrote;   /* the transaction changed something */
    char now[32]; /* the database's time at the start of the transaction */
} tpt__pg;

static inline tpt__pg *tpt__pg_of(tpt_store *s)
{
    return (tpt__pg *)s;
}

/* ---- statements (statements.c) ---- */

#define TPT__PG_PARAMS_MAX 24

/* The parameters of one statement, as text (binary for bytes). */
typedef struct tpt__pg_params {
    int n;
    const char *values[TPT__PG_PARAMS_MAX];
    int lengths[TPT__PG_PARAMS_MAX];
    int formats[TPT__PG_PARAMS_MAX];
    char numbers[TPT__PG_PARAMS_MAX][24];
} tpt__pg_params;

void tpt__pg_text(tpt__pg_params *p, const char *text); /* NULL: SQL NULL */
void tpt__pg_int(tpt__pg_params *p, int64_t value);
void tpt__pg_id(tpt__pg_params *p, int64_t id);       /* 0: NULL */
void tpt__pg_optional(tpt__pg_params *p, int value);  /* below 0: NULL */
void tpt__pg_time(tpt__pg_params *p, const char *at); /* "": NULL */
void tpt__pg_bytes(tpt__pg_params *p, const uint8_t *bytes, int n);
void tpt__pg_double(tpt__pg_params *p, double value);

/* Runs one statement in the transaction of the call under way (see
 * tpt__pg_enter): its result, which the caller clears, or NULL with err
 * set (and the transaction marked failed). `what` names the work for the
 * message. */
PGresult *tpt__pg_run(tpt__pg *c, const char *sql, const tpt__pg_params *p, const char *what,
                      tpt_error *err);
/* tpt__pg_run for a statement whose rows do not matter: 0, or the failure. */
int tpt__pg_do(tpt__pg *c, const char *sql, const tpt__pg_params *p, const char *what,
               tpt_error *err);
/* The number of rows an INSERT, UPDATE or DELETE changed. */
long tpt__pg_changed(tpt__pg *c, PGresult *r);

/* Column values of a row: text into a buffer ("" for NULL), malloc'd text
 * (NULL for NULL; -1 from tpt__pg_dup when out of memory), numbers. */
void tpt__pg_copy(tpt__pg *c, PGresult *r, int row, int col, char *out, size_t size);
int tpt__pg_dup(tpt__pg *c, PGresult *r, int row, int col, char **out);
int64_t tpt__pg_int64(tpt__pg *c, PGresult *r, int row, int col);    /* NULL: 0 */
int tpt__pg_optional_int(tpt__pg *c, PGresult *r, int row, int col); /* NULL: -1 */
bool tpt__pg_null(tpt__pg *c, PGresult *r, int row, int col);

/* The one row of a query into out with `row`; no row is TPT_ERR_INPUT with
 * the sentence `missing`, or 0 when `missing` is NULL. Clears r. */
int tpt__pg_one(tpt__pg *c, PGresult *r, void (*row)(tpt__pg *c, PGresult *r, void *out), void *out,
                const char *missing, tpt_error *err);
/* Every row of a query into a list's items (each zeroed, then filled by
 * `row`, which returns -1 when out of memory). Clears r; on failure the
 * caller frees the list. */
int tpt__pg_rows(tpt__pg *c, PGresult *r, void **items, size_t *count, size_t size,
                 int (*row)(tpt__pg *c, PGresult *r, int i, void *item), tpt_error *err);

/* ---- connection and transactions (connection.c) ---- */

/* Every function of the table runs between these two: enter makes sure a
 * transaction is open (the caller's, or one of the call's own, with the
 * clinic's scope set), leave ends the call's own with its outcome. */
int tpt__pg_enter(tpt__pg *c, tpt_error *err);
int tpt__pg_leave(tpt__pg *c, int rc, tpt_error *err);
/* The body of each function of the table (patients.c, accounts.c,
 * corrections.c, instrument_texts.c): runs `body`, which may use c (the
 * connection) and err, between tpt__pg_enter and tpt__pg_leave, and returns
 * its outcome. FAILED is the status of the statement that failed. */
#define CALL(s, body)                                                                              \
    do {                                                                                           \
        tpt__pg *c = tpt__pg_of(s);                                                                \
        int rc = tpt__pg_enter(c, err);                                                            \
        if (!rc) rc = (body);                                                                      \
        return tpt__pg_leave(c, rc, err);                                                          \
    } while (0)
#define FAILED (c->status)
/* What a failed statement means (from its SQLSTATE, never its message),
 * said in err; a lost connection is dropped, to be opened again. */
int tpt__pg_fail(tpt__pg *c, PGresult *r, const char *what, tpt_error *err);
/* A session-less connection to `uri` that takes writes, host by host. */
PGconn *tpt__pg_connect(const tpt__libpq *pq, const char *uri, tpt_error *err);

/* The body of one of the backend's functions: run between tpt__pg_enter
 * and tpt__pg_leave (its status returned; `err` in scope). FAILED is the
 * status of the statement that just failed. */
#define CALL(s, body)                                                                              \
    do {                                                                                           \
        tpt__pg *c = tpt__pg_of(s);                                                                \
        int rc = tpt__pg_enter(c, err);                                                            \
        if (!rc) rc = (body);                                                                      \
        return tpt__pg_leave(c, rc, err);                                                          \
    } while (0)
#define FAILED (c->status)

/* ---- the backend's functions, by file ---- */

int tpt__pg_open(const char *uri, unsigned flags, tpt_store **out, tpt_error *err);
void tpt__pg_close(tpt_store *s);
int tpt__pg_version(tpt_store *s);
int tpt__pg_begin(tpt_store *s, int depth, bool hold, tpt_error *err);
int tpt__pg_commit(tpt_store *s, int depth, tpt_error *err);
void tpt__pg_rollback(tpt_store *s, int depth);
int tpt__pg_scope(tpt_store *s, tpt_error *err);
int tpt__pg_now(tpt_store *s, char out[TPT_TIME_MAX], tpt_error *err);
int tpt__pg_ping(tpt_store *s, tpt_error *err);
int tpt__pg_backup(tpt_store *s, const char *dest, tpt_error *err);
int tpt__pg_check(tpt_store *s, tpt_error *err);

/* schema.c: the version and migrations under an advisory lock */
int tpt__pg_schema_version(tpt__pg *c, int *version, tpt_error *err);
int tpt__pg_migrate(tpt__pg *c, bool upgrade, tpt_error *err);

int tpt__pg_self(tpt_store *s, int64_t *patient, tpt_error *err);
int tpt__pg_patient_add(tpt_store *s, const char *name, int64_t clinic, int64_t *patient,
                        tpt_error *err);
int tpt__pg_patient_check(tpt_store *s, int64_t patient, tpt_error *err);
char *tpt__pg_patient_name(tpt_store *s, int64_t patient);
int tpt__pg_patient_clinic(tpt_store *s, int64_t patient, int64_t *clinic, tpt_error *err);
int tpt__pg_patient_update(tpt_store *s, int64_t patient, const char *name, int64_t clinic,
                           tpt_error *err);
int tpt__pg_patient_get(tpt_store *s, int64_t id, tpt_patient *out, tpt_error *err);
int tpt__pg_patient_set_private(tpt_store *s, int64_t patient, int64_t user, tpt_error *err);
int tpt__pg_patient_erase(tpt_store *s, int64_t patient, const char *at, int64_t by,
                          tpt_error *err);
int tpt__pg_patient_save(tpt_store *s, const tpt_patient *p, tpt_error *err);
int tpt__pg_patient_list(tpt_store *s, int64_t clinic, const char *query, bool archived,
                         size_t limit, tpt_patient_list *out, tpt_error *err);
int tpt__pg_log_add(tpt_store *s, const tpt_log_entry *e, int64_t *id, tpt_error *err);
int tpt__pg_log_list(tpt_store *s, int64_t patient, tpt_log_list *out, tpt_error *err);
int tpt__pg_record_add(tpt_store *s, const tpt_record *r, int64_t *id, tpt_error *err);
int tpt__pg_record_list(tpt_store *s, int64_t patient, int kind, tpt_record_list *out,
                        tpt_error *err);
int tpt__pg_assessment_add(tpt_store *s, const tpt_assessment *a, int64_t *id, tpt_error *err);
int tpt__pg_assessment_list(tpt_store *s, int64_t patient, tpt_assessment_list *out,
                            tpt_error *err);
int tpt__pg_visit_add(tpt_store *s, const tpt_visit *v, int64_t *id, int *number, tpt_error *err);
int tpt__pg_visit_update(tpt_store *s, int64_t id, const char *note, const char *result,
                         tpt_error *err);
int tpt__pg_visit_sign(tpt_store *s, int64_t id, int64_t user, const char *at, tpt_error *err);
int tpt__pg_visit_list(tpt_store *s, int64_t patient, tpt_visit_list *out, tpt_error *err);
int tpt__pg_amendment_add(tpt_store *s, int64_t visit, int64_t author, const char *at,
                          const char *text, int64_t *id, tpt_error *err);
int tpt__pg_amendment_list(tpt_store *s, int64_t visit, tpt_amendment_list *out, tpt_error *err);
int tpt__pg_measure_add(tpt_store *s, const tpt_measure *m, int64_t *id, tpt_error *err);
int tpt__pg_measure_list(tpt_store *s, int64_t patient, tpt_measure_list *out, tpt_error *err);

int tpt__pg_instrument_text_set(tpt_store *s, const tpt_instrument_text *t, bool *replaced,
                                tpt_error *err);
int tpt__pg_instrument_text_delete(tpt_store *s, int64_t clinic, const char *instrument,
                                   tpt_error *err);
int tpt__pg_instrument_text_list(tpt_store *s, int64_t clinic, tpt_instrument_text_list *out,
                                 tpt_error *err);
/* The values of a log entry as eight parameters, in the order of the columns
 * at, leg_pain, back_pain, sitting_minutes, walking_minutes, sleep_disturbed
 * (0 or 1: cast it ::int::boolean), medication, note (patients.c). */
void tpt__pg_log_values(tpt__pg_params *p, const tpt_log_entry *e);

/* corrections.c: what was entered, changed or removed */
int tpt__pg_log_update(tpt_store *s, const tpt_log_entry *e, tpt_error *err);
int tpt__pg_log_remove(tpt_store *s, int64_t patient, int64_t id, tpt_error *err);
int tpt__pg_record_update(tpt_store *s, const tpt_record *r, tpt_error *err);
int tpt__pg_record_remove(tpt_store *s, int64_t patient, tpt_record_kind kind, int64_t id,
                          tpt_error *err);
int tpt__pg_measure_update(tpt_store *s, const tpt_measure *m, tpt_error *err);
int tpt__pg_measure_remove(tpt_store *s, int64_t patient, int64_t id, tpt_error *err);

int tpt__pg_clinic_add(tpt_store *s, const char *name, int64_t *id, tpt_error *err);
int tpt__pg_clinic_get(tpt_store *s, int64_t id, tpt_clinic *out, tpt_error *err);
int tpt__pg_clinic_list(tpt_store *s, tpt_clinic_list *out, tpt_error *err);
int tpt__pg_user_count(tpt_store *s, int64_t *count, tpt_error *err);
int tpt__pg_user_add(tpt_store *s, const tpt_user *u, int64_t *id, tpt_error *err);
int tpt__pg_user_by_email(tpt_store *s, const char *email, tpt_user *out, tpt_error *err);
int tpt__pg_user_by_id(tpt_store *s, int64_t id, tpt_user *out, tpt_error *err);
int tpt__pg_user_of_patient(tpt_store *s, int64_t patient, tpt_user *out, tpt_error *err);
int tpt__pg_user_list(tpt_store *s, int64_t clinic, tpt_user_list *out, tpt_error *err);
int tpt__pg_user_set_role(tpt_store *s, int64_t id, tpt_role role, tpt_error *err);
int tpt__pg_user_set_disabled(tpt_store *s, int64_t id, const char *at, tpt_error *err);
int tpt__pg_user_delete(tpt_store *s, int64_t id, const char *at, tpt_error *err);
int tpt__pg_admin_count(tpt_store *s, int64_t clinic, int64_t *count, tpt_error *err);
/* The role as the users table keeps it (the operator: 'admin' and the
 * column operator, schema/015.sql). */
const char *tpt__pg_stored_role(tpt_role role);
int tpt__pg_user_set_patient(tpt_store *s, int64_t id, int64_t patient, tpt_error *err);
int tpt__pg_user_set_password(tpt_store *s, int64_t id, const char *hash, tpt_error *err);
int tpt__pg_user_set_settings(tpt_store *s, int64_t id, const char *language, bool home,
                              tpt_error *err);
int tpt__pg_sign_in_failures(tpt_store *s, const char *key, tpt_sign_in_failures *out,
                             tpt_error *err);
int tpt__pg_sign_in_reserve(tpt_store *s, const tpt_sign_in_attempt *a, bool *allowed,
                            tpt_sign_in_failures *out, tpt_error *err);
int tpt__pg_sign_in_clear(tpt_store *s, const char *key, tpt_error *err);
int tpt__pg_sign_in_forgive(tpt_store *s, const char *key, tpt_error *err);
int tpt__pg_auth_session_add(tpt_store *s, const tpt_auth_session *a, tpt_error *err);
int tpt__pg_auth_session_find(tpt_store *s, const uint8_t *token_hash, tpt_auth_session *out,
                              tpt_error *err);
int tpt__pg_auth_session_delete(tpt_store *s, const uint8_t *token_hash, tpt_error *err);
int tpt__pg_auth_session_delete_user(tpt_store *s, int64_t user, const uint8_t *keep,
                                     int64_t *ended, tpt_error *err);
int tpt__pg_invitation_add(tpt_store *s, const tpt_invitation *inv, tpt_error *err);
int tpt__pg_invitation_find(tpt_store *s, const uint8_t *token_hash, tpt_invitation *out,
                            tpt_error *err);
int tpt__pg_invitation_use(tpt_store *s, const uint8_t *token_hash, const char *at, tpt_error *err);
int tpt__pg_invitation_list(tpt_store *s, int64_t clinic, const char *now, tpt_invitation_list *out,
                            tpt_error *err);
int tpt__pg_invitation_get(tpt_store *s, int64_t id, tpt_invitation *out, tpt_error *err);
int tpt__pg_invitation_withdraw(tpt_store *s, int64_t id, const char *at, tpt_error *err);
int tpt__pg_invitation_fail(tpt_store *s, const uint8_t *token_hash, int max, const char *at,
                            int *failures, tpt_error *err);
int tpt__pg_reset_add(tpt_store *s, const tpt_password_reset *r, tpt_error *err);
int tpt__pg_reset_find(tpt_store *s, const uint8_t *token_hash, tpt_password_reset *out,
                       tpt_error *err);
int tpt__pg_reset_use(tpt_store *s, const uint8_t *token_hash, const char *at, tpt_error *err);
int tpt__pg_audit_add(tpt_store *s, const tpt_audit_line *line,
                      const uint8_t hash[TPT_AUDIT_HASH_SIZE], tpt_error *err);
int tpt__pg_audit_last(tpt_store *s, uint8_t hash[TPT_AUDIT_HASH_SIZE], bool *found,
                       tpt_error *err);
int tpt__pg_audit_list(tpt_store *s, const tpt_audit_filter *f, tpt_audit_list *out,
                       tpt_error *err);
int tpt__pg_audit_chain(tpt_store *s, int64_t after, size_t limit, tpt_audit_list *out,
                        tpt_error *err);
int tpt__pg_audit_prune(tpt_store *s, const char *before, int64_t *removed,
                        uint8_t anchor[TPT_AUDIT_HASH_SIZE], bool *anchored, tpt_error *err);
int tpt__pg_setting_get(tpt_store *s, const char *key, char *out, size_t size, tpt_error *err);
int tpt__pg_setting_set(tpt_store *s, const char *key, const char *value, tpt_error *err);

/* calendar.c, appointments.c, outbox.c: the clinic's calendar */
int tpt__pg_check_location(tpt__pg *c, int64_t id, int64_t clinic, tpt_error *err);
int tpt__pg_check_service(tpt__pg *c, int64_t id, int64_t clinic, tpt_error *err);
int tpt__pg_check_staff(tpt__pg *c, int64_t id, int64_t clinic, tpt_error *err);
int tpt__pg_check_patient(tpt__pg *c, int64_t id, int64_t clinic, tpt_error *err);
int tpt__pg_clinic_profile_get(tpt_store *s, int64_t clinic, tpt_clinic_profile *out,
                               tpt_error *err);
int tpt__pg_clinic_profile_save(tpt_store *s, const tpt_clinic_profile *p, tpt_error *err);
int tpt__pg_clinic_by_slug(tpt_store *s, const char *slug, tpt_clinic_profile *out, tpt_error *err);
int tpt__pg_clinic_directory(tpt_store *s, tpt_clinic_profile_list *out, tpt_error *err);
int tpt__pg_location_save(tpt_store *s, const tpt_location *l, int64_t *id, tpt_error *err);
int tpt__pg_location_list(tpt_store *s, int64_t clinic, tpt_location_list *out, tpt_error *err);
int tpt__pg_service_save(tpt_store *s, const tpt_service *v, int64_t *id, tpt_error *err);
int tpt__pg_service_list(tpt_store *s, int64_t clinic, tpt_service_list *out, tpt_error *err);
int tpt__pg_practitioner_get(tpt_store *s, int64_t user, tpt_practitioner *out, tpt_error *err);
int tpt__pg_practitioner_save(tpt_store *s, const tpt_practitioner *p, tpt_error *err);
int tpt__pg_practitioner_list(tpt_store *s, int64_t clinic, tpt_practitioner_list *out,
                              tpt_error *err);
/* appointments.c: appointments, holds, rate limits */
int tpt__pg_appointment_add(tpt_store *s, const tpt_appointment *a, const uint8_t *hold,
                            const char *now, int64_t *id, tpt_error *err);
int tpt__pg_appointment_get(tpt_store *s, int64_t id, tpt_appointment *out, tpt_error *err);
int tpt__pg_appointment_list(tpt_store *s, const tpt_appointment_filter *f,
                             tpt_appointment_list *out, tpt_error *err);
int tpt__pg_appointment_move(tpt_store *s, const tpt_appointment *a, const char *now,
                             tpt_error *err);
int tpt__pg_appointment_status(tpt_store *s, int64_t id, tpt_appointment_status status,
                               const char *at, bool late, const char *reason, tpt_error *err);
int tpt__pg_appointment_set_visit(tpt_store *s, int64_t id, int visit, tpt_error *err);
int tpt__pg_hold_add(tpt_store *s, const tpt_hold *h, const char *now, tpt_error *err);
int tpt__pg_hold_find(tpt_store *s, const uint8_t *token_hash, const char *now, tpt_hold *out,
                      tpt_error *err);
int tpt__pg_rate_hit(tpt_store *s, const char *key, const char *window, int *hits, tpt_error *err);
/* outbox.c: messages, intakes, feeds */
int tpt__pg_message_add(tpt_store *s, const tpt_message *m, int64_t *id, tpt_error *err);
int tpt__pg_message_drop(tpt_store *s, int64_t appointment, tpt_message_kind kind, tpt_error *err);
int tpt__pg_message_claim(tpt_store *s, const char *now, const char *lease, bool any_relay,
                          size_t max, tpt_message_list *out, tpt_error *err);
int tpt__pg_message_settle(tpt_store *s, int64_t id, tpt_message_state state, const char *at,
                           const char *error, const char *retry, tpt_error *err);
int tpt__pg_message_get(tpt_store *s, int64_t id, tpt_message *out, tpt_error *err);
int tpt__pg_message_list(tpt_store *s, int64_t clinic, int64_t patient, unsigned states,
                         size_t limit, tpt_message_list *out, tpt_error *err);
int tpt__pg_intake_add(tpt_store *s, const tpt_intake *i, tpt_error *err);
int tpt__pg_intake_find(tpt_store *s, const uint8_t *token_hash, tpt_intake *out, tpt_error *err);
int tpt__pg_intake_get(tpt_store *s, int64_t appointment, tpt_intake *out, tpt_error *err);
int tpt__pg_intake_update(tpt_store *s, int64_t appointment, const char *subjective,
                          int64_t drawing, bool measure, const char *at, tpt_error *err);
int tpt__pg_feed_get(tpt_store *s, int64_t patient, tpt_feed *out, tpt_error *err);
int tpt__pg_feed_save(tpt_store *s, const tpt_feed *f, tpt_error *err);
int tpt__pg_feed_find(tpt_store *s, const uint8_t *token_hash, tpt_feed *out, tpt_error *err);

int tpt__pg_copy_read(tpt_store *s, const tpt__copy_table *t, tpt__copy_row *row, void *ctx,
                      tpt_error *err);
int tpt__pg_copy_write(tpt_store *s, const tpt__copy_table *t, const char *const *values,
                       tpt_error *err);
int tpt__pg_copy_done(tpt_store *s, tpt_error *err);

#endif
