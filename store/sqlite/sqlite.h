/* The SQLite backend's own shared parts: its connection, the helpers of
 * statements.c that its files share, and their functions (connection.c:
 * opening, schema, transactions, safety; patients.c: patients and their
 * records; corrections.c: changing and removing what was entered in them;
 * accounts.c: clinics, accounts, sign-in failures, sessions; invitations.c:
 * invitations and password reset links; audit.c: the audit log and the
 * settings; backend.c: the table). The files of store/sqlite/ are the only ones that
 * know the database is SQLite. */
#ifndef TPT_STORE_SQLITE_H
#define TPT_STORE_SQLITE_H

#include <sqlite3.h>

#include "backend.h"

/* The latest schema version: the last of connection.c's migrations, one
 * file each (schema/001.sql to 010.sql, then 013.sql, 014.sql and
 * 015.sql). */
#define TPT__SQLITE_LATEST 16

typedef struct tpt__sqlite {
    struct tpt_store base; /* first: the store that store.c holds */
    sqlite3 *db;
    /* Statements run for every entry of a bulk import, prepared once. */
    sqlite3_stmt *log_insert, *patient_exists;
} tpt__sqlite;

/* The connection behind a store of this backend. */
static inline tpt__sqlite *tpt__sqlite_of(tpt_store *s)
{
    return (tpt__sqlite *)s;
}

/* A failure of the last call on the connection, from its result code:
 * unavailable (busy, full, I/O), out of memory, else damaged data. */
int tpt__sqlite_fail(tpt__sqlite *c, tpt_error *err, const char *what);
int tpt__sqlite_exec(tpt__sqlite *c, const char *sql, tpt_error *err);
/* Ends the savepoint a call of several statements opened ("SAVEPOINT name;",
 * so that the call is atomic inside a transaction or alone): released when
 * rc is 0, else rolled back to and released; returns rc, or the release's
 * failure. */
int tpt__sqlite_release(tpt__sqlite *c, const char *savepoint, int rc, tpt_error *err);
int tpt__sqlite_prepare(tpt__sqlite *c, const char *sql, sqlite3_stmt **st, tpt_error *err);
/* A statement kept in the connection: prepared on first use, reset and
 * cleared for every later one. The caller resets it after stepping. */
int tpt__sqlite_cached(tpt__sqlite *c, sqlite3_stmt **slot, const char *sql, tpt_error *err);
/* Runs an INSERT, UPDATE or DELETE already bound, and finalizes it. */
int tpt__sqlite_run(tpt__sqlite *c, sqlite3_stmt *st, const char *what, tpt_error *err);

/* Column i as text into a fixed buffer ("" for NULL), or malloc'd (NULL for NULL). */
void tpt__sqlite_copy(sqlite3_stmt *st, int i, char *out, size_t size);
char *tpt__sqlite_text(sqlite3_stmt *st, int i);
/* Binds an id that 0 means none of as NULL. */
void tpt__sqlite_bind_id(sqlite3_stmt *st, int i, int64_t id);

/* Reads the one row of st into out with `row`, and finalizes st; no row is
 * TPT_ERR_INPUT with the sentence `missing`, or 0 when `missing` is NULL. */
int tpt__sqlite_one(tpt__sqlite *c, sqlite3_stmt *st, void (*row)(sqlite3_stmt *st, void *out),
                    void *out, const char *missing, const char *what, tpt_error *err);
/* Reads every row of st into a list's items (each zeroed, then filled by
 * `row`, which returns -1 when out of memory), and finalizes st. *items
 * and *count are the list's; on failure the caller frees the list. */
int tpt__sqlite_rows(tpt__sqlite *c, sqlite3_stmt *st, void **items, size_t *count, size_t size,
                     int (*row)(sqlite3_stmt *st, void *item), const char *what, tpt_error *err);

/* A call of several statements made atomic: a savepoint inside the
 * caller's transaction, else a write transaction of its own. _end commits
 * when rc is 0, else rolls back; it returns rc, or the commit's failure. */
int tpt__sqlite_atomic_begin(tpt__sqlite *c, tpt_error *err);
int tpt__sqlite_atomic_end(tpt__sqlite *c, int rc, tpt_error *err);

/* The backend's functions, by file (connection.c first). */
int tpt__sqlite_open(const char *uri, unsigned flags, tpt_store **out, tpt_error *err);
void tpt__sqlite_close(tpt_store *s);
int tpt__sqlite_version(tpt_store *s);
int tpt__sqlite_begin(tpt_store *s, int depth, bool hold, tpt_error *err);
int tpt__sqlite_commit(tpt_store *s, int depth, tpt_error *err);
void tpt__sqlite_rollback(tpt_store *s, int depth);
int tpt__sqlite_now(tpt_store *s, char out[TPT_TIME_MAX], tpt_error *err);
int tpt__sqlite_ping(tpt_store *s, tpt_error *err);
int tpt__sqlite_backup(tpt_store *s, const char *dest, tpt_error *err);
int tpt__sqlite_check(tpt_store *s, tpt_error *err);

int tpt__sqlite_self(tpt_store *s, int64_t *patient, tpt_error *err);
int tpt__sqlite_patient_add(tpt_store *s, const char *name, int64_t clinic, int64_t *patient,
                            tpt_error *err);
int tpt__sqlite_patient_check(tpt_store *s, int64_t patient, tpt_error *err);
char *tpt__sqlite_patient_name(tpt_store *s, int64_t patient);
int tpt__sqlite_patient_clinic(tpt_store *s, int64_t patient, int64_t *clinic, tpt_error *err);
int tpt__sqlite_patient_update(tpt_store *s, int64_t patient, const char *name, int64_t clinic,
                               tpt_error *err);
int tpt__sqlite_patient_get(tpt_store *s, int64_t id, tpt_patient *out, tpt_error *err);
int tpt__sqlite_patient_save(tpt_store *s, const tpt_patient *p, tpt_error *err);
int tpt__sqlite_patient_list(tpt_store *s, int64_t clinic, const char *query, bool archived,
                             size_t limit, tpt_patient_list *out, tpt_error *err);
int tpt__sqlite_patient_set_private(tpt_store *s, int64_t patient, int64_t user, tpt_error *err);
int tpt__sqlite_patient_erase(tpt_store *s, int64_t patient, const char *at, int64_t by,
                              tpt_error *err);
int tpt__sqlite_log_add(tpt_store *s, const tpt_log_entry *e, int64_t *id, tpt_error *err);
int tpt__sqlite_log_list(tpt_store *s, int64_t patient, tpt_log_list *out, tpt_error *err);
int tpt__sqlite_log_update(tpt_store *s, const tpt_log_entry *e, tpt_error *err);
int tpt__sqlite_log_remove(tpt_store *s, int64_t patient, int64_t id, tpt_error *err);
int tpt__sqlite_record_update(tpt_store *s, const tpt_record *r, tpt_error *err);
int tpt__sqlite_record_remove(tpt_store *s, int64_t patient, tpt_record_kind kind, int64_t id,
                              tpt_error *err);
int tpt__sqlite_measure_update(tpt_store *s, const tpt_measure *m, tpt_error *err);
int tpt__sqlite_measure_remove(tpt_store *s, int64_t patient, int64_t id, tpt_error *err);
int tpt__sqlite_record_add(tpt_store *s, const tpt_record *r, int64_t *id, tpt_error *err);
int tpt__sqlite_assessment_add(tpt_store *s, const tpt_assessment *a, int64_t *id, tpt_error *err);
int tpt__sqlite_assessment_list(tpt_store *s, int64_t patient, tpt_assessment_list *out,
                                tpt_error *err);
int tpt__sqlite_record_list(tpt_store *s, int64_t patient, int kind, tpt_record_list *out,
                            tpt_error *err);
int tpt__sqlite_visit_add(tpt_store *s, const tpt_visit *v, int64_t *id, int *number,
                          tpt_error *err);
int tpt__sqlite_visit_update(tpt_store *s, int64_t id, const char *note, const char *result,
                             tpt_error *err);
int tpt__sqlite_visit_sign(tpt_store *s, int64_t id, int64_t user, const char *at, tpt_error *err);
int tpt__sqlite_visit_list(tpt_store *s, int64_t patient, tpt_visit_list *out, tpt_error *err);
int tpt__sqlite_amendment_add(tpt_store *s, int64_t visit, int64_t author, const char *at,
                              const char *text, int64_t *id, tpt_error *err);
int tpt__sqlite_amendment_list(tpt_store *s, int64_t visit, tpt_amendment_list *out,
                               tpt_error *err);
int tpt__sqlite_measure_add(tpt_store *s, const tpt_measure *m, int64_t *id, tpt_error *err);
int tpt__sqlite_measure_list(tpt_store *s, int64_t patient, tpt_measure_list *out, tpt_error *err);

int tpt__sqlite_instrument_text_set(tpt_store *s, const tpt_instrument_text *t, bool *replaced,
                                    tpt_error *err);
int tpt__sqlite_instrument_text_delete(tpt_store *s, int64_t clinic, const char *instrument,
                                       tpt_error *err);
int tpt__sqlite_instrument_text_list(tpt_store *s, int64_t clinic, tpt_instrument_text_list *out,
                                     tpt_error *err);
int tpt__sqlite_clinic_add(tpt_store *s, const char *name, int64_t *id, tpt_error *err);
int tpt__sqlite_clinic_get(tpt_store *s, int64_t id, tpt_clinic *out, tpt_error *err);
int tpt__sqlite_clinic_list(tpt_store *s, tpt_clinic_list *out, tpt_error *err);
int tpt__sqlite_user_count(tpt_store *s, int64_t *count, tpt_error *err);
int tpt__sqlite_user_add(tpt_store *s, const tpt_user *u, int64_t *id, tpt_error *err);
int tpt__sqlite_user_by_email(tpt_store *s, const char *email, tpt_user *out, tpt_error *err);
int tpt__sqlite_user_by_id(tpt_store *s, int64_t id, tpt_user *out, tpt_error *err);
int tpt__sqlite_user_of_patient(tpt_store *s, int64_t patient, tpt_user *out, tpt_error *err);
int tpt__sqlite_user_list(tpt_store *s, int64_t clinic, tpt_user_list *out, tpt_error *err);
int tpt__sqlite_user_set_patient(tpt_store *s, int64_t id, int64_t patient, tpt_error *err);
int tpt__sqlite_user_set_password(tpt_store *s, int64_t id, const char *hash, tpt_error *err);
int tpt__sqlite_user_set_role(tpt_store *s, int64_t id, tpt_role role, tpt_error *err);
int tpt__sqlite_user_set_disabled(tpt_store *s, int64_t id, const char *at, tpt_error *err);
int tpt__sqlite_user_delete(tpt_store *s, int64_t id, const char *at, tpt_error *err);
int tpt__sqlite_admin_count(tpt_store *s, int64_t clinic, int64_t *count, tpt_error *err);
int tpt__sqlite_user_set_settings(tpt_store *s, int64_t id, const char *language, bool home,
                                  tpt_error *err);
int tpt__sqlite_sign_in_failures(tpt_store *s, const char *key, tpt_sign_in_failures *out,
                                 tpt_error *err);
int tpt__sqlite_sign_in_reserve(tpt_store *s, const tpt_sign_in_attempt *a, bool *allowed,
                                tpt_sign_in_failures *out, tpt_error *err);
int tpt__sqlite_sign_in_clear(tpt_store *s, const char *key, tpt_error *err);
int tpt__sqlite_sign_in_forgive(tpt_store *s, const char *key, tpt_error *err);
int tpt__sqlite_auth_session_add(tpt_store *s, const tpt_auth_session *a, tpt_error *err);
int tpt__sqlite_auth_session_find(tpt_store *s, const uint8_t *token_hash, tpt_auth_session *out,
                                  tpt_error *err);
int tpt__sqlite_auth_session_delete(tpt_store *s, const uint8_t *token_hash, tpt_error *err);
int tpt__sqlite_auth_session_delete_user(tpt_store *s, int64_t user, const uint8_t *keep,
                                         int64_t *ended, tpt_error *err);
int tpt__sqlite_invitation_add(tpt_store *s, const tpt_invitation *inv, tpt_error *err);
int tpt__sqlite_invitation_find(tpt_store *s, const uint8_t *token_hash, tpt_invitation *out,
                                tpt_error *err);
int tpt__sqlite_invitation_use(tpt_store *s, const uint8_t *token_hash, const char *at,
                               tpt_error *err);
int tpt__sqlite_invitation_list(tpt_store *s, int64_t clinic, const char *now,
                                tpt_invitation_list *out, tpt_error *err);
int tpt__sqlite_invitation_get(tpt_store *s, int64_t id, tpt_invitation *out, tpt_error *err);
int tpt__sqlite_invitation_withdraw(tpt_store *s, int64_t id, const char *at, tpt_error *err);
int tpt__sqlite_invitation_fail(tpt_store *s, const uint8_t *token_hash, int max, const char *at,
                                int *failures, tpt_error *err);
int tpt__sqlite_reset_add(tpt_store *s, const tpt_password_reset *r, tpt_error *err);
int tpt__sqlite_copy_read(tpt_store *s, const tpt__copy_table *t, tpt__copy_row *row, void *ctx,
                          tpt_error *err);
int tpt__sqlite_reset_find(tpt_store *s, const uint8_t *token_hash, tpt_password_reset *out,
                           tpt_error *err);
int tpt__sqlite_reset_use(tpt_store *s, const uint8_t *token_hash, const char *at, tpt_error *err);
int tpt__sqlite_audit_add(tpt_store *s, const tpt_audit_line *line,
                          const uint8_t hash[TPT_AUDIT_HASH_SIZE], tpt_error *err);
int tpt__sqlite_audit_last(tpt_store *s, uint8_t hash[TPT_AUDIT_HASH_SIZE], bool *found,
                           tpt_error *err);
int tpt__sqlite_audit_list(tpt_store *s, const tpt_audit_filter *f, tpt_audit_list *out,
                           tpt_error *err);
int tpt__sqlite_audit_chain(tpt_store *s, int64_t after, size_t limit, tpt_audit_list *out,
                            tpt_error *err);
int tpt__sqlite_audit_prune(tpt_store *s, const char *before, int64_t *removed,
                            uint8_t anchor[TPT_AUDIT_HASH_SIZE], bool *anchored, tpt_error *err);
int tpt__sqlite_setting_get(tpt_store *s, const char *key, char *out, size_t size, tpt_error *err);
int tpt__sqlite_setting_set(tpt_store *s, const char *key, const char *value, tpt_error *err);

/* 0 when the location, service, staff account or patient `id` is the
 * clinic's (id 0: none named), else TPT_ERR_INPUT naming it (calendar.c). */
int tpt__sqlite_check_location(tpt__sqlite *c, int64_t id, int64_t clinic, tpt_error *err);
int tpt__sqlite_check_service(tpt__sqlite *c, int64_t id, int64_t clinic, tpt_error *err);
int tpt__sqlite_check_staff(tpt__sqlite *c, int64_t id, int64_t clinic, tpt_error *err);
int tpt__sqlite_check_patient(tpt__sqlite *c, int64_t id, int64_t clinic, tpt_error *err);

/* calendar.c: the clinic's profile, locations, services, practitioners */
int tpt__sqlite_clinic_profile_get(tpt_store *s, int64_t clinic, tpt_clinic_profile *out,
                                   tpt_error *err);
int tpt__sqlite_clinic_profile_save(tpt_store *s, const tpt_clinic_profile *p, tpt_error *err);
int tpt__sqlite_clinic_by_slug(tpt_store *s, const char *slug, tpt_clinic_profile *out,
                               tpt_error *err);
int tpt__sqlite_clinic_directory(tpt_store *s, tpt_clinic_profile_list *out, tpt_error *err);
int tpt__sqlite_location_save(tpt_store *s, const tpt_location *l, int64_t *id, tpt_error *err);
int tpt__sqlite_location_list(tpt_store *s, int64_t clinic, tpt_location_list *out, tpt_error *err);
int tpt__sqlite_service_save(tpt_store *s, const tpt_service *v, int64_t *id, tpt_error *err);
int tpt__sqlite_service_list(tpt_store *s, int64_t clinic, tpt_service_list *out, tpt_error *err);
int tpt__sqlite_practitioner_get(tpt_store *s, int64_t user, tpt_practitioner *out, tpt_error *err);
int tpt__sqlite_practitioner_save(tpt_store *s, const tpt_practitioner *p, tpt_error *err);
int tpt__sqlite_practitioner_list(tpt_store *s, int64_t clinic, tpt_practitioner_list *out,
                                  tpt_error *err);
/* appointments.c: appointments, holds, rate limits */
int tpt__sqlite_appointment_add(tpt_store *s, const tpt_appointment *a, const uint8_t *hold,
                                const char *now, int64_t *id, tpt_error *err);
int tpt__sqlite_appointment_get(tpt_store *s, int64_t id, tpt_appointment *out, tpt_error *err);
int tpt__sqlite_appointment_list(tpt_store *s, const tpt_appointment_filter *f,
                                 tpt_appointment_list *out, tpt_error *err);
int tpt__sqlite_appointment_move(tpt_store *s, const tpt_appointment *a, const char *now,
                                 tpt_error *err);
int tpt__sqlite_appointment_status(tpt_store *s, int64_t id, tpt_appointment_status status,
                                   const char *at, bool late, const char *reason, tpt_error *err);
int tpt__sqlite_appointment_set_visit(tpt_store *s, int64_t id, int visit, tpt_error *err);
int tpt__sqlite_hold_add(tpt_store *s, const tpt_hold *h, const char *now, tpt_error *err);
int tpt__sqlite_hold_find(tpt_store *s, const uint8_t *token_hash, const char *now, tpt_hold *out,
                          tpt_error *err);
int tpt__sqlite_rate_hit(tpt_store *s, const char *key, const char *window, int *hits,
                         tpt_error *err);
/* outbox.c: messages, intakes, feeds */
int tpt__sqlite_message_add(tpt_store *s, const tpt_message *m, int64_t *id, tpt_error *err);
int tpt__sqlite_message_drop(tpt_store *s, int64_t appointment, tpt_message_kind kind,
                             tpt_error *err);
int tpt__sqlite_message_claim(tpt_store *s, const char *now, const char *lease, bool any_relay,
                              size_t max, tpt_message_list *out, tpt_error *err);
int tpt__sqlite_message_settle(tpt_store *s, int64_t id, tpt_message_state state, const char *at,
                               const char *error, const char *retry, tpt_error *err);
int tpt__sqlite_message_get(tpt_store *s, int64_t id, tpt_message *out, tpt_error *err);
int tpt__sqlite_message_list(tpt_store *s, int64_t clinic, int64_t patient, unsigned states,
                             size_t limit, tpt_message_list *out, tpt_error *err);
int tpt__sqlite_intake_add(tpt_store *s, const tpt_intake *i, tpt_error *err);
int tpt__sqlite_intake_find(tpt_store *s, const uint8_t *token_hash, tpt_intake *out,
                            tpt_error *err);
int tpt__sqlite_intake_get(tpt_store *s, int64_t appointment, tpt_intake *out, tpt_error *err);
int tpt__sqlite_intake_update(tpt_store *s, int64_t appointment, const char *subjective,
                              int64_t drawing, bool measure, const char *at, tpt_error *err);
int tpt__sqlite_feed_get(tpt_store *s, int64_t patient, tpt_feed *out, tpt_error *err);
int tpt__sqlite_feed_save(tpt_store *s, const tpt_feed *f, tpt_error *err);
int tpt__sqlite_feed_find(tpt_store *s, const uint8_t *token_hash, tpt_feed *out, tpt_error *err);

#endif
