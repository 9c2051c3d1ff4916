/* The record of one person or of a clinic: patients, log entries and the
 * screens, drawings, plans and sessions tpt produced. One interface for every
 * backend; nothing outside the backend knows which database it is.
 *
 * Times are ISO 8601 in UTC, "2026-11-21T08:30:00Z", given by the caller
 * (the store never reads the clock). Every call that changes more than one
 * row does it in one transaction: all of it is stored, or none. */
#ifndef TPT_STORE_H
#define TPT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/account.h"
#include "tpt/error.h"
#include "tpt/record.h"

typedef struct tpt_store tpt_store;

/* Opens (creating when missing) the database at path and brings its schema up
 * to date. The caller closes it with tpt_store_close. */
int tpt_store_open(const char *path, tpt_store **out, tpt_error *err);
void tpt_store_close(tpt_store *store);
/* The schema version the database is at (the latest after a successful open). */
int tpt_store_version(tpt_store *store);
/* The latest schema version this build knows. */
int tpt_store_latest_version(void);

/* ---- patients ---- */

/* The patient who uses tpt alone ("me"), created on first use. */
int tpt_store_self(tpt_store *store, int64_t *patient, tpt_error *err);
/* A patient of a clinic (clinic 0: of none, as the command line keeps them). */
int tpt_store_patient_add(tpt_store *store, const char *name, int64_t clinic, int64_t *patient,
                          tpt_error *err);
/* TPT_ERR_INPUT naming the id when there is no such patient. */
int tpt_store_patient_check(tpt_store *store, int64_t patient, tpt_error *err);
/* The patient's name (caller frees), or NULL. */
char *tpt_store_patient_name(tpt_store *store, int64_t patient);
/* The clinic a patient belongs to (0: none); TPT_ERR_INPUT when there is no
 * such patient. */
int tpt_store_patient_clinic(tpt_store *store, int64_t patient, int64_t *clinic, tpt_error *err);
/* Renames a patient and moves them to a clinic (the person using tpt alone
 * joining the web application with their own record). */
int tpt_store_patient_update(tpt_store *store, int64_t patient, const char *name, int64_t clinic,
                             tpt_error *err);

/* 0 and the patient, TPT_ERR_INPUT when there is none with that id. */
int tpt_store_patient_get(tpt_store *store, int64_t id, tpt_patient *out, tpt_error *err);
/* Stores a patient's details (all but id and clinic) after checking them:
 * a name of 1-200 characters, a birth year from 1900 to this year (or 0), a
 * contact of at most 200, times as the store keeps them, 1-50 visits. */
int tpt_store_patient_save(tpt_store *store, const tpt_patient *patient, tpt_error *err);

/* The clinic's patients whose name holds `query` (any case; NULL or "": all),
 * at most `limit`; archived ones only when `archived` is set. */
int tpt_store_patient_list(tpt_store *store, int64_t clinic, const char *query, bool archived,
                           size_t limit, tpt_patient_list *out, tpt_error *err);

/* ---- log entries ---- */

/* Checks the ranges (pain 0-10, minutes 0-1440, at least one measure) and
 * stores the entry. */
int tpt_store_log_add(tpt_store *store, const tpt_log_entry *entry, int64_t *id, tpt_error *err);
int tpt_store_log_list(tpt_store *store, int64_t patient, tpt_log_list *out, tpt_error *err);

/* ---- what tpt produced: screens, drawings, plans, sessions ---- */

int tpt_store_record_add(tpt_store *store, const tpt_record *record, int64_t *id, tpt_error *err);
/* The patient's records of one kind (or of every kind when kind < 0). */
int tpt_store_record_list(tpt_store *store, int64_t patient, int kind, tpt_record_list *out,
                          tpt_error *err);

/* ---- clinic visits: notes in SOAP form, signed and then locked ---- */

/* Adds a visit (patient, at, author, note, result given) as the patient's
 * next number; *id and *number get what it became. */
int tpt_store_visit_add(tpt_store *store, const tpt_visit *visit, int64_t *id, int *number,
                        tpt_error *err);
/* Replaces the note (and result) of a draft; a signed visit is refused
 * (TPT_ERR_INPUT): corrections of a signed note are amendments. */
int tpt_store_visit_update(tpt_store *store, int64_t id, const char *note, const char *result,
                           tpt_error *err);
/* Signs a draft, which locks it; refused when it is signed already. */
int tpt_store_visit_sign(tpt_store *store, int64_t id, int64_t user, const char *at,
                         tpt_error *err);
int tpt_store_visit_list(tpt_store *store, int64_t patient, tpt_visit_list *out, tpt_error *err);

/* Appends a correction to a signed visit (a draft is edited instead). */
int tpt_store_amendment_add(tpt_store *store, int64_t visit, int64_t author, const char *at,
                            const char *text, int64_t *id, tpt_error *err);
int tpt_store_amendment_list(tpt_store *store, int64_t visit, tpt_amendment_list *out,
                             tpt_error *err);

/* ---- outcome measures (lib/instruments.c scores them) ---- */

int tpt_store_measure_add(tpt_store *store, const tpt_measure *measure, int64_t *id,
                          tpt_error *err);
int tpt_store_measure_list(tpt_store *store, int64_t patient, tpt_measure_list *out,
                           tpt_error *err);

/* ---- whole changes ---- */

/* A group of changes that lands together (an import): begin, then commit or
 * roll back. */
int tpt_store_begin(tpt_store *store, tpt_error *err);
int tpt_store_commit(tpt_store *store, tpt_error *err);
void tpt_store_rollback(tpt_store *store);

/* ---- safety of data ---- */

/* A consistent copy of the whole database at dest, taken while it is in use. */
int tpt_store_backup(tpt_store *store, const char *dest, tpt_error *err);
/* The database's own integrity check; TPT_ERR_DATA with what is wrong. */
int tpt_store_check(tpt_store *store, tpt_error *err);

/* ---- accounts of the web application ---- */

/* ---- clinics: the practitioners and patients who share records ---- */

int tpt_store_clinic_add(tpt_store *store, const char *name, int64_t *id, tpt_error *err);
/* 0 and the clinic, TPT_ERR_INPUT when there is none with that id. */
int tpt_store_clinic_get(tpt_store *store, int64_t id, tpt_clinic *out, tpt_error *err);
int tpt_store_clinic_list(tpt_store *store, tpt_clinic_list *out, tpt_error *err);

int tpt_store_user_count(tpt_store *store, int64_t *count, tpt_error *err);
/* Adds a user; an email already taken (any case) is an input error. */
int tpt_store_user_add(tpt_store *store, const tpt_user *user, int64_t *id, tpt_error *err);
/* 0 and the user, TPT_ERR_INPUT when there is none with that email (or id). */
int tpt_store_user_by_email(tpt_store *store, const char *email, tpt_user *out, tpt_error *err);
int tpt_store_user_by_id(tpt_store *store, int64_t id, tpt_user *out, tpt_error *err);
int tpt_store_user_list(tpt_store *store, tpt_user_list *out, tpt_error *err);
int tpt_store_user_set_patient(tpt_store *store, int64_t id, int64_t patient, tpt_error *err);
int tpt_store_user_set_password(tpt_store *store, int64_t id, const char *hash, tpt_error *err);
/* Failed sign-ins, counted per email whether or not an account has it, so
 * that being slowed down says nothing about which emails exist. `key` names
 * the email (the server keeps a hash of it, not the email). */
/* The failures of `key` (none: all zero and empty). */
int tpt_store_sign_in_failures(tpt_store *store, const char *key, tpt_sign_in_failures *out,
                               tpt_error *err);
/* Keeps the failures of `key`, or forgets them when f->failures is 0 (a good
 * sign-in); forgets too every key whose latest failure is before
 * `forget_before`, so that guessed emails do not pile up. */
int tpt_store_sign_in_record(tpt_store *store, const char *key, const tpt_sign_in_failures *f,
                             const char *forget_before, tpt_error *err);

/* A signed-in browser: only a hash of its token is kept. */
int tpt_store_auth_session_add(tpt_store *store, const tpt_auth_session *session, tpt_error *err);
/* 0 and the session, or TPT_ERR_INPUT when no session has that token hash. */
int tpt_store_auth_session_find(tpt_store *store, const uint8_t *token_hash, tpt_auth_session *out,
                                tpt_error *err);
int tpt_store_auth_session_delete(tpt_store *store, const uint8_t *token_hash, tpt_error *err);
/* Ends every session of a user (after a password change), but `keep`. */
int tpt_store_auth_session_delete_user(tpt_store *store, int64_t user, const uint8_t *keep,
                                       tpt_error *err);

/* An invitation: a one-time link that makes an account of a role in a
 * clinic (for a patient, tied to their record). Only a hash of its token is kept. */
int tpt_store_invitation_add(tpt_store *store, const tpt_invitation *inv, tpt_error *err);
/* 0 and the invitation, TPT_ERR_INPUT when no invitation has that token hash. */
int tpt_store_invitation_find(tpt_store *store, const uint8_t *token_hash, tpt_invitation *out,
                              tpt_error *err);
/* Marks the invitation used at `at`; TPT_ERR_INPUT when it was used already
 * (one statement: of two racing uses, one wins). */
int tpt_store_invitation_use(tpt_store *store, const uint8_t *token_hash, const char *at,
                             tpt_error *err);

/* The audit log: who did what to whose record, when. */
int tpt_store_audit_add(tpt_store *store, const char *at, int64_t user, const char *action,
                        int64_t patient, tpt_error *err);

/* The latest `limit` entries, of one patient's record when patient > 0. */
int tpt_store_audit_list(tpt_store *store, int64_t patient, size_t limit, tpt_audit_list *out,
                         tpt_error *err);

#endif
