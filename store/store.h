/* The store: where a person's record and a clinic's records are kept. One
 * interface for every database; nothing outside store/ knows which one it
 * is. docs/internals/store.md is the contract a backend meets, with what
 * callers rely on; tests/store/conformance.c checks every promise below.
 *
 * Values are those of tpt/record.h and tpt/account.h; lists are owned by the
 * caller and freed with their _free. Times are stored times (tpt/time.h)
 * given by the caller. Every call returns 0 or a negative tpt_status with a
 * sentence in err (which may be NULL):
 *   TPT_ERR_INPUT        what was given is wrong (a name too long, no such
 *                        patient): the same call will fail again
 *   TPT_ERR_CONFLICT     what is stored refuses it now (a signed visit is
 *                        locked, an invitation is used)
 *   TPT_ERR_UNAVAILABLE  the database cannot answer now (busy beyond the wait,
 *                        full, failing): nothing changed, try again later
 *   TPT_ERR_DATA         the database is damaged or not what tpt expects
 *   TPT_ERR_NOMEM        out of memory
 *
 * Isolation. Every call is atomic: all that it changes is stored, or none.
 * A group of calls that must land together is a transaction:
 * tpt_store_begin holds the whole database for writing until the
 * transaction ends, so that what the group read stays true until it commits
 * (the first account, a clinic found or made); tpt_store_begin_shared lets
 * other groups write meanwhile (one request of the server: what it read may
 * change under it, what it writes lands whole). A begin inside an open
 * transaction opens a group inside it, which commits into it or rolls back
 * alone. A tpt_store is used by one thread at a time.
 *
 * Ids are positive, made by the store, never 0 (0 means "none" everywhere)
 * and never reused; a visit's number counts 1, 2, 3... per patient. */
#ifndef TPT_STORE_H
#define TPT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/account.h"
#include "tpt/calendar.h"
#include "tpt/error.h"
#include "tpt/record.h"
#include "tpt/time.h"

typedef struct tpt_store tpt_store;

/* Opens (creating when missing) the database at `uri` and brings its schema
 * up to date: a file path is a SQLite database; a postgresql:// URI names a
 * PostgreSQL database, which this build may not support (TPT_ERR_INPUT says
 * so). A database at a newer schema than this tpt knows is refused
 * (TPT_ERR_DATA), so is a file that is not tpt's (TPT_ERR_INPUT). The caller
 * closes it with tpt_store_close. */
int tpt_store_open(const char *uri, tpt_store **out, tpt_error *err);
void tpt_store_close(tpt_store *store); /* NULL is safe */
/* The schema version the database is at (the latest after a successful open). */
int tpt_store_version(tpt_store *store);
/* The latest schema version this build knows. */
int tpt_store_latest_version(void);
/* The database to use when none is given: $TPT_DB (a path or a URI) when
 * set, else $XDG_DATA_HOME/tpt/tpt.db, else ~/.local/share/tpt/tpt.db, its
 * directory made when missing; 0, or -1 when none of these is set or the
 * directory cannot be made. */
int tpt_store_default(char *out, size_t size);
/* Whether `uri` names a database by address (scheme://...) rather than a file. */
bool tpt_store_is_uri(const char *uri);
/* Opens `uri` bringing an older schema up to date, and closes it: a database
 * several instances share (PostgreSQL) is migrated only so, once, under a
 * lock, never by a plain open; a SQLite file is migrated by any open. */
int tpt_store_migrate(const char *uri, tpt_error *err);
/* Whether the database answers and takes writes now: 0, or
 * TPT_ERR_UNAVAILABLE. A lost connection is opened again first. Not inside
 * a transaction. */
int tpt_store_ping(tpt_store *store, tpt_error *err);
/* The database's clock, as a stored time: the time its transaction began
 * inside one, else now. Every instance of a server shares it. */
int tpt_store_now(tpt_store *store, char out[TPT_TIME_MAX], tpt_error *err);

/* ---- clinics kept apart ---- */

#define TPT_SCOPE_ALL (-1)  /* every clinic: the command line, maintenance */
#define TPT_SCOPE_NONE (-2) /* no clinic: before anyone is signed in */
/* The clinic whose records the calls see from now on (a clinic id, 0 for the
 * records of no clinic, or a TPT_SCOPE_), in the transaction open now and
 * the next ones; TPT_SCOPE_ALL after open. A backend that can keeps it in
 * the database itself (PostgreSQL: row-level security), so that a record of
 * another clinic is, to these calls, a record that does not exist; others
 * leave it to the callers' own checks. */
int tpt_store_scope(tpt_store *store, int64_t clinic, tpt_error *err);

/* ---- patients ---- */

/* The patient who uses tpt alone ("me"), created on first use; racing first
 * uses all get the one patient. */
int tpt_store_self(tpt_store *store, int64_t *patient, tpt_error *err);
/* A patient of a clinic (clinic 0: of none, as the command line keeps them),
 * named 1 to 200 characters. */
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
 * contact of at most 200, stored times (or ""), 1-50 visits. */
int tpt_store_patient_save(tpt_store *store, const tpt_patient *patient, tpt_error *err);
/* The clinic's patients whose name holds `query` (any case; NULL or "": all),
 * at most `limit`, by name; archived ones only when `archived` is set.
 * Records kept private to an account and erased records are never listed. */
int tpt_store_patient_list(tpt_store *store, int64_t clinic, const char *query, bool archived,
                           size_t limit, tpt_patient_list *out, tpt_error *err);

/* Keeps a record to one account (its own record: no colleague opens it), or
 * shares it with the record's clinic again (user 0). */
int tpt_store_patient_set_private(tpt_store *store, int64_t patient, int64_t user, tpt_error *err);
/* Erases a record on its patient's request: everything it holds (the log,
 * what tpt produced, visit notes and their amendments, measures) is
 * removed; what stays is a tombstone (the id, the clinic, "Erased record",
 * when and by whom) and the audit log's lines about it. Its pending
 * invitations are withdrawn, and its patient's accounts deleted with their
 * sessions. TPT_ERR_CONFLICT when it is erased already. */
int tpt_store_patient_erase(tpt_store *store, int64_t patient, const char *at, int64_t by,
                            tpt_error *err);

/* ---- log entries ---- */

/* Checks the ranges (pain 0-10, minutes 0-1440, texts of at most
 * TPT_TEXT_MAX bytes, at least one value) and stores the entry. */
int tpt_store_log_add(tpt_store *store, const tpt_log_entry *entry, int64_t *id, tpt_error *err);
/* The patient's log, oldest first (by time, then as stored). */
int tpt_store_log_list(tpt_store *store, int64_t patient, tpt_log_list *out, tpt_error *err);
/* Corrects the patient's log entry entry->id: its time and values become
 * the entry's (the same checks as log_add); who entered it stays.
 * TPT_ERR_INPUT when the patient has no entry with that id. */
int tpt_store_log_update(tpt_store *store, const tpt_log_entry *entry, tpt_error *err);
/* Removes the patient's log entry `id`; TPT_ERR_INPUT when there is none. */
int tpt_store_log_remove(tpt_store *store, int64_t patient, int64_t id, tpt_error *err);

/* ---- what tpt produced: screens, drawings, plans, sessions ---- */

/* A record of a known kind with a summary and a body (input may be NULL),
 * its author (an account, or 0) and whether a clinician kept it. */
int tpt_store_record_add(tpt_store *store, const tpt_record *record, int64_t *id, tpt_error *err);
/* The patient's records of one kind (or of every kind when kind < 0), oldest
 * first (by time, then as stored). */
int tpt_store_record_list(tpt_store *store, int64_t patient, int kind, tpt_record_list *out,
                          tpt_error *err);
/* Corrects the summary and body of the patient's record record->id, which
 * must be of record->kind; its time, input and author stay. TPT_ERR_INPUT
 * when the patient has no record of that kind with that id. */
int tpt_store_record_update(tpt_store *store, const tpt_record *record, tpt_error *err);
/* Removes the patient's record `id` of `kind`; TPT_ERR_INPUT when there is none. */
int tpt_store_record_remove(tpt_store *store, int64_t patient, tpt_record_kind kind, int64_t id,
                            tpt_error *err);

/* ---- a clinician's assessment of a red flag ---- */

/* Keeps an assessment (patient, at, author, record, flag, finding given):
 * the author an account (a clinician: the caller checks the role), the flag
 * an id of 1 to TPT_FLAG_ID_MAX bytes of a-z, 0-9 and '-', the finding a
 * text of 1 to TPT_TEXT_MAX bytes, and the record a screen or a drawing of
 * the same patient (TPT_ERR_INPUT naming it otherwise). Assessments are
 * never changed or deleted. */
int tpt_store_assessment_add(tpt_store *store, const tpt_assessment *assessment, int64_t *id,
                             tpt_error *err);
/* The patient's assessments, oldest first (by time, then as stored). */
int tpt_store_assessment_list(tpt_store *store, int64_t patient, tpt_assessment_list *out,
                              tpt_error *err);

/* ---- clinic visits: notes in SOAP form, signed and then locked ---- */

/* Adds a visit (patient, at, author, note, result given) as the patient's
 * next number, made in the same step as the visit, so that two visits added
 * at once get two numbers; *id and *number (either may be NULL) get what it
 * became. */
int tpt_store_visit_add(tpt_store *store, const tpt_visit *visit, int64_t *id, int *number,
                        tpt_error *err);
/* Replaces the note (and result) of a draft; a signed visit is refused
 * (TPT_ERR_CONFLICT): corrections of a signed note are amendments. */
int tpt_store_visit_update(tpt_store *store, int64_t id, const char *note, const char *result,
                           tpt_error *err);
/* Signs a draft, which locks it; TPT_ERR_CONFLICT when it is signed already. */
int tpt_store_visit_sign(tpt_store *store, int64_t id, int64_t user, const char *at,
                         tpt_error *err);
/* The patient's visits by number. */
int tpt_store_visit_list(tpt_store *store, int64_t patient, tpt_visit_list *out, tpt_error *err);
/* Appends a correction of 1 to TPT_TEXT_MAX bytes to a signed visit; a draft
 * is edited instead (TPT_ERR_CONFLICT). Amendments are never changed. */
int tpt_store_amendment_add(tpt_store *store, int64_t visit, int64_t author, const char *at,
                            const char *text, int64_t *id, tpt_error *err);
/* A visit's amendments, oldest first. */
int tpt_store_amendment_list(tpt_store *store, int64_t visit, tpt_amendment_list *out,
                             tpt_error *err);

/* ---- outcome measures (lib/instruments.c scores them) ---- */

int tpt_store_measure_add(tpt_store *store, const tpt_measure *measure, int64_t *id,
                          tpt_error *err);
/* The patient's measures, oldest first (by time, then as stored). */
int tpt_store_measure_list(tpt_store *store, int64_t patient, tpt_measure_list *out,
                           tpt_error *err);
/* Corrects the answers, names, score and band of the patient's measure
 * measure->id (scored again by the caller); its instrument, time, visit and
 * author stay. TPT_ERR_INPUT when the patient has no measure with that id. */
int tpt_store_measure_update(tpt_store *store, const tpt_measure *measure, tpt_error *err);
/* Removes the patient's measure `id`; TPT_ERR_INPUT when there is none. */
int tpt_store_measure_remove(tpt_store *store, int64_t patient, int64_t id, tpt_error *err);

/* ---- a clinic's licensed item texts (record/instrument_texts.h checks the file) ---- */

/* Keeps the text (clinic, instrument, file, at, author and text given) as
 * the clinic's text of that instrument, replacing the one it had: clinic an
 * existing clinic (TPT_ERR_INPUT naming it otherwise), instrument an id of 1
 * to TPT_INSTRUMENT_ID_MAX bytes of a-z, 0-9 and '-', file a name of 1 to
 * TPT_NAME_MAX bytes, text 1 to TPT_INSTRUMENT_TEXT_MAX bytes. *replaced
 * (may be NULL): whether it replaced one. */
int tpt_store_instrument_text_set(tpt_store *store, const tpt_instrument_text *text, bool *replaced,
                                  tpt_error *err);
/* Forgets the clinic's text of an instrument; TPT_ERR_INPUT when it has none. */
int tpt_store_instrument_text_delete(tpt_store *store, int64_t clinic, const char *instrument,
                                     tpt_error *err);
/* The clinic's texts, by instrument id; none of any other clinic's. */
int tpt_store_instrument_text_list(tpt_store *store, int64_t clinic, tpt_instrument_text_list *out,
                                   tpt_error *err);

/* ---- whole changes ---- */

/* A group of changes that lands together: begin, then commit or roll back
 * (see Isolation above). Rolling back without a transaction does nothing;
 * a commit without one is TPT_ERR_INPUT. */
int tpt_store_begin(tpt_store *store, tpt_error *err);
int tpt_store_begin_shared(tpt_store *store, tpt_error *err);
int tpt_store_commit(tpt_store *store, tpt_error *err);
void tpt_store_rollback(tpt_store *store);

/* ---- safety of data ---- */

/* Every row of `from` copied into `to`, which holds no records yet (a
 * PostgreSQL database), ids kept, in one transaction of `to`; then both read
 * back and compared row for row, and the copy kept only when they agree
 * (TPT_ERR_DATA naming the first difference otherwise). *rows: the rows
 * copied. */
int tpt_store_copy(tpt_store *from, tpt_store *to, size_t *rows, tpt_error *err);
/* A consistent copy of the whole database at dest (a new file), taken while
 * it is in use. */
int tpt_store_backup(tpt_store *store, const char *dest, tpt_error *err);
/* The database's own integrity check; TPT_ERR_DATA with what is wrong. */
int tpt_store_check(tpt_store *store, tpt_error *err);

/* ---- clinics ---- */

/* A clinic named 1 to 200 characters. */
int tpt_store_clinic_add(tpt_store *store, const char *name, int64_t *id, tpt_error *err);
/* 0 and the clinic, TPT_ERR_INPUT when there is none with that id. */
int tpt_store_clinic_get(tpt_store *store, int64_t id, tpt_clinic *out, tpt_error *err);
/* Every clinic, by id. */
int tpt_store_clinic_list(tpt_store *store, tpt_clinic_list *out, tpt_error *err);

/* ---- accounts of the web application ---- */

int tpt_store_user_count(tpt_store *store, int64_t *count, tpt_error *err);
/* Adds a user; an email already taken (in any case) is TPT_ERR_INPUT. */
int tpt_store_user_add(tpt_store *store, const tpt_user *user, int64_t *id, tpt_error *err);
/* 0 and the user, TPT_ERR_INPUT when there is none with that email (any
 * case) or id. */
int tpt_store_user_by_email(tpt_store *store, const char *email, tpt_user *out, tpt_error *err);
int tpt_store_user_by_id(tpt_store *store, int64_t id, tpt_user *out, tpt_error *err);
/* The accounts of a clinic (0: every account), by id, without the password
 * hashes; deleted accounts too. */
int tpt_store_user_list(tpt_store *store, int64_t clinic, tpt_user_list *out, tpt_error *err);
/* The account whose own record is `patient` (not deleted; the first, should
 * there be two): 0 and the account, TPT_ERR_INPUT when there is none. */
int tpt_store_user_of_patient(tpt_store *store, int64_t patient, tpt_user *out, tpt_error *err);
int tpt_store_user_set_patient(tpt_store *store, int64_t id, int64_t patient, tpt_error *err);
int tpt_store_user_set_password(tpt_store *store, int64_t id, const char *hash, tpt_error *err);
/* A new role (not a patient's: their account is tied to a record). */
int tpt_store_user_set_role(tpt_store *store, int64_t id, tpt_role role, tpt_error *err);
/* Disables the account at `at` (it cannot sign in; its sessions end), or
 * enables it again (at ""). */
int tpt_store_user_set_disabled(tpt_store *store, int64_t id, const char *at, tpt_error *err);
/* Deletes the account at `at`: it cannot sign in again, its password and
 * sessions go and its email is free for a new account; its name stays on
 * what it signed and in the audit log. TPT_ERR_CONFLICT when deleted already. */
int tpt_store_user_delete(tpt_store *store, int64_t id, const char *at, tpt_error *err);
/* How many admins of a clinic may sign in (not disabled, not deleted). */
int tpt_store_admin_count(tpt_store *store, int64_t clinic, int64_t *count, tpt_error *err);
/* An account's own settings: the language of its pages ("" follows the
 * browser; else 2 to 15 characters of a-z and '-') and whether it is used at
 * home alone. TPT_ERR_INPUT when there is no such account. */
int tpt_store_user_set_settings(tpt_store *store, int64_t id, const char *language, bool home,
                                tpt_error *err);

/* Failed sign-ins, counted under keys the server chooses (a hash of the
 * client's address and an email whether or not an account has it, and of
 * the address alone), never the email or address themselves.
 * The failures of `key` (none: all zero and empty). */
int tpt_store_sign_in_failures(tpt_store *store, const char *key, tpt_sign_in_failures *out,
                               tpt_error *err);
/* An attempt to sign in as `key`, counted before the password is checked,
 * so that attempts racing on several instances are all counted. */
typedef struct tpt_sign_in_attempt {
    const char *key;
    const char *now;           /* a stored time: the database's (tpt_store_now) */
    int free_failures;         /* failures before the waits begin */
    int max_wait;              /* seconds, the longest wait */
    const char *forget_before; /* keys whose latest failure is older are forgotten */
} tpt_sign_in_attempt;
/* In one atomic step: when `key` must still wait (its locked_until after
 * now), *allowed is false and nothing is counted; otherwise the attempt is
 * counted as a failure (failures + 1, at now), and once failures reach
 * free_failures the next attempt must wait 2, 4, 8 ... seconds up to
 * max_wait; *allowed is true. *out holds the failures either way. Then keys
 * older than forget_before go (housekeeping: it may fail after the count
 * was kept). A good password is then told with tpt_store_sign_in_clear. */
int tpt_store_sign_in_reserve(tpt_store *store, const tpt_sign_in_attempt *attempt, bool *allowed,
                              tpt_sign_in_failures *out, tpt_error *err);
/* Forgets the failures of `key` (a good sign-in). */
int tpt_store_sign_in_clear(tpt_store *store, const char *key, tpt_error *err);
/* Takes one attempt off the count of `key` (a good sign-in counted under a
 * key that keeps its other failures, such as the client's address). */
int tpt_store_sign_in_forgive(tpt_store *store, const char *key, tpt_error *err);

/* Signed-in browsers, kept by a hash of their token. */
int tpt_store_auth_session_add(tpt_store *store, const tpt_auth_session *session, tpt_error *err);
/* 0 and the session, or TPT_ERR_INPUT when no session has that token hash. */
int tpt_store_auth_session_find(tpt_store *store, const uint8_t *token_hash, tpt_auth_session *out,
                                tpt_error *err);
int tpt_store_auth_session_delete(tpt_store *store, const uint8_t *token_hash, tpt_error *err);
/* Ends every session of a user (after a password change), but `keep` (may
 * be NULL); *ended (may be NULL) is how many ended. */
int tpt_store_auth_session_delete_user(tpt_store *store, int64_t user, const uint8_t *keep,
                                       int64_t *ended, tpt_error *err);

/* Invitations, kept by a hash of their token. */
int tpt_store_invitation_add(tpt_store *store, const tpt_invitation *inv, tpt_error *err);
/* 0 and the invitation, TPT_ERR_INPUT when no invitation has that token hash. */
int tpt_store_invitation_find(tpt_store *store, const uint8_t *token_hash, tpt_invitation *out,
                              tpt_error *err);
/* Marks the invitation used at `at`; TPT_ERR_CONFLICT when it was used or
 * withdrawn already (of two racing uses, one wins). */
int tpt_store_invitation_use(tpt_store *store, const uint8_t *token_hash, const char *at,
                             tpt_error *err);
/* The invitations of a clinic (0: of every clinic) still waiting at `now`:
 * unused, not withdrawn, not expired; by id. */
int tpt_store_invitation_list(tpt_store *store, int64_t clinic, const char *now,
                              tpt_invitation_list *out, tpt_error *err);
/* 0 and the invitation (without its token hash), TPT_ERR_INPUT when there is
 * none with that id. */
int tpt_store_invitation_get(tpt_store *store, int64_t id, tpt_invitation *out, tpt_error *err);
/* Withdraws an invitation at `at`; TPT_ERR_CONFLICT when it was used or
 * withdrawn already. */
int tpt_store_invitation_withdraw(tpt_store *store, int64_t id, const char *at, tpt_error *err);
/* Counts a refused accept of the invitation (another email) in the same
 * statement as it reads the count: *failures is the new count; from `max`
 * on, the invitation is withdrawn at `at`. */
int tpt_store_invitation_fail(tpt_store *store, const uint8_t *token_hash, int max, const char *at,
                              int *failures, tpt_error *err);

/* Password reset links, kept by a hash of their token. */
int tpt_store_reset_add(tpt_store *store, const tpt_password_reset *reset, tpt_error *err);
/* 0 and the link, TPT_ERR_INPUT when no link has that token hash. */
int tpt_store_reset_find(tpt_store *store, const uint8_t *token_hash, tpt_password_reset *out,
                         tpt_error *err);
/* Marks the link used at `at`, and every other unused link of its account
 * with it; TPT_ERR_CONFLICT when it was used already. */
int tpt_store_reset_use(tpt_store *store, const uint8_t *token_hash, const char *at,
                        tpt_error *err);

/* ---- the audit log: who did what to whose record, when ---- */

/* One line, chained to the one before by its hash (store/audit.c): written
 * in the open transaction, or in one of its own. Lines are never changed;
 * only pruning removes the oldest. An action has 1 to TPT_ACTION_MAX bytes
 * without control characters. */
int tpt_store_audit_add(tpt_store *store, const tpt_audit_line *line, tpt_error *err);
/* The lines the filter names, newest first. */
int tpt_store_audit_list(tpt_store *store, const tpt_audit_filter *filter, tpt_audit_list *out,
                         tpt_error *err);
/* Recomputes every line's hash from its content and the line before: 0
 * when the chain holds, TPT_ERR_DATA naming the first line that does not
 * (changed, or a line before it removed). *out says what was found. */
int tpt_store_audit_verify(tpt_store *store, tpt_audit_check *out, tpt_error *err);
/* Removes the lines older than `before` (a stored time), never the latest
 * one, keeping the chain verifiable from the first line kept; *removed (may
 * be NULL) is how many went. */
int tpt_store_audit_prune(tpt_store *store, const char *before, int64_t *removed, tpt_error *err);

/* ---- settings of the installation ---- */

/* The value of a setting into out (size bytes), "" when it is not set. */
int tpt_store_setting_get(tpt_store *store, const char *key, char *out, size_t size,
                          tpt_error *err);
/* Sets a setting (a value of at most 200 bytes; "" removes it). */
int tpt_store_setting_set(tpt_store *store, const char *key, const char *value, tpt_error *err);

/* ---- the clinic's calendar (tpt/calendar.h) ---- */

/* The clinic's profile and settings; the defaults (and its name) when it
 * never saved them. TPT_ERR_INPUT when there is no such clinic. */
int tpt_store_clinic_profile_get(tpt_store *store, int64_t clinic, tpt_clinic_profile *out,
                                 tpt_error *err);
/* Keeps the profile (tpt_clinic_profile_check first) and the clinic's name
 * with it; a slug another clinic has is TPT_ERR_CONFLICT. */
int tpt_store_clinic_profile_save(tpt_store *store, const tpt_clinic_profile *profile,
                                  tpt_error *err);
/* The clinic whose public page is at `slug`; TPT_ERR_INPUT when none. */
int tpt_store_clinic_by_slug(tpt_store *store, const char *slug, tpt_clinic_profile *out,
                             tpt_error *err);
/* The clinics listed in the directory (listed, with a slug), by name. */
int tpt_store_clinic_directory(tpt_store *store, tpt_clinic_profile_list *out, tpt_error *err);

/* Adds (id 0) or changes a location of its clinic; *id (may be NULL) gets
 * its id. A location of another clinic is TPT_ERR_INPUT. */
int tpt_store_location_save(tpt_store *store, const tpt_location *location, int64_t *id,
                            tpt_error *err);
int tpt_store_location_list(tpt_store *store, int64_t clinic, tpt_location_list *out,
                            tpt_error *err);
/* Adds (id 0) or changes a service (tpt_service_check first); who may give
 * it must be staff of its clinic (TPT_ERR_INPUT). */
int tpt_store_service_save(tpt_store *store, const tpt_service *service, int64_t *id,
                           tpt_error *err);
int tpt_store_service_list(tpt_store *store, int64_t clinic, tpt_service_list *out, tpt_error *err);

/* A staff account's profile and working hours (as JSON, checked with
 * tpt_hours_parse); the defaults when never saved (bookable, no hours).
 * TPT_ERR_INPUT for an account that is not an admin's or practitioner's. */
int tpt_store_practitioner_get(tpt_store *store, int64_t user, tpt_practitioner *out,
                               tpt_error *err);
int tpt_store_practitioner_save(tpt_store *store, const tpt_practitioner *p, tpt_error *err);
/* The clinic's admins and practitioners with their profiles, by id. */
int tpt_store_practitioner_list(tpt_store *store, int64_t clinic, tpt_practitioner_list *out,
                                tpt_error *err);

/* Books an appointment (status booked): forgets holds expired at `now`,
 * then refuses with TPT_ERR_CONFLICT a time that overlaps another
 * appointment of the practitioner (not cancelled) or a slot another
 * person holds; with `hold` (a token's hash, may be NULL) that hold is the
 * one taken, and is used up. Patient, practitioner, location and service
 * must be of the appointment's clinic (TPT_ERR_INPUT). */
int tpt_store_appointment_add(tpt_store *store, const tpt_appointment *a, const uint8_t *hold,
                              const char *now, int64_t *id, tpt_error *err);
/* TPT_ERR_INPUT when there is no such appointment. */
int tpt_store_appointment_get(tpt_store *store, int64_t id, tpt_appointment *out, tpt_error *err);
int tpt_store_appointment_list(tpt_store *store, const tpt_appointment_filter *filter,
                               tpt_appointment_list *out, tpt_error *err);
/* Moves a booked appointment to another time, practitioner, location or
 * service, refused as a booking is (TPT_ERR_CONFLICT), and so is moving
 * one that is not booked any more. */
int tpt_store_appointment_move(tpt_store *store, const tpt_appointment *moved, const char *now,
                               tpt_error *err);
/* Sets the status (arrived, no-show, booked again, or cancelled at `at`
 * with its lateness and reason); a cancelled appointment stays cancelled
 * (TPT_ERR_CONFLICT). */
int tpt_store_appointment_status(tpt_store *store, int64_t id, tpt_appointment_status status,
                                 const char *at, bool late, const char *reason, tpt_error *err);
/* Ties the appointment to the number of its visit note. */
int tpt_store_appointment_set_visit(tpt_store *store, int64_t id, int visit, tpt_error *err);

/* Holds a slot until hold->expires: refused (TPT_ERR_CONFLICT) as a
 * booking would be, after forgetting holds expired at `now`. */
int tpt_store_hold_add(tpt_store *store, const tpt_hold *hold, const char *now, tpt_error *err);
/* The live hold of a token's hash; TPT_ERR_INPUT when none (or expired at `now`). */
int tpt_store_hold_find(tpt_store *store, const uint8_t *token_hash, const char *now, tpt_hold *out,
                        tpt_error *err);
/* Counts one hit of `key` (at most 100 bytes) in the window that began at
 * `window` (a stored time): *hits is the count of this window with it; a
 * new window starts the count again. Old windows are forgotten. */
int tpt_store_rate_hit(tpt_store *store, const char *key, const char *window, int *hits,
                       tpt_error *err);

/* ---- the outbox of emails ---- */

/* Queues a message (state queued), *id (may be NULL) its id. */
int tpt_store_message_add(tpt_store *store, const tpt_message *m, int64_t *id, tpt_error *err);
/* Drops the waiting messages of a kind about an appointment (a reminder of
 * one moved or cancelled). */
int tpt_store_message_drop(tpt_store *store, int64_t appointment, tpt_message_kind kind,
                           tpt_error *err);
/* Claims up to `max` messages due at `now` for sending until `lease`: queued
 * ones whose time and retry time have come, and ones whose sender's lease
 * ran out (a sender that died); only of clinics with a relay of their own
 * unless `any_relay`. Each claimed is marked sending and counted an
 * attempt, in one step: two senders never claim one message. A message
 * past its expiry is marked failed instead of claimed. */
int tpt_store_message_claim(tpt_store *store, const char *now, const char *lease, bool any_relay,
                            size_t max, tpt_message_list *out, tpt_error *err);
/* What became of a message: sent or failed (at `at`, with the relay's
 * error), queued again to retry at `retry`, or handled by hand. Links are
 * forgotten once it is no longer waiting. A message already sent, dropped
 * or handled stays so (TPT_ERR_CONFLICT). */
int tpt_store_message_settle(tpt_store *store, int64_t id, tpt_message_state state, const char *at,
                             const char *error, const char *retry, tpt_error *err);
int tpt_store_message_get(tpt_store *store, int64_t id, tpt_message *out, tpt_error *err);
/* A clinic's messages (of one patient when patient > 0), of the states in
 * `states` (a bit per tpt_message_state; 0: all), newest due first, at
 * most `limit`. */
int tpt_store_message_list(tpt_store *store, int64_t clinic, int64_t patient, unsigned states,
                           size_t limit, tpt_message_list *out, tpt_error *err);

/* ---- intake before the first visit ---- */

int tpt_store_intake_add(tpt_store *store, const tpt_intake *intake, tpt_error *err);
/* TPT_ERR_INPUT when no intake has that token's hash, or the appointment. */
int tpt_store_intake_find(tpt_store *store, const uint8_t *token_hash, tpt_intake *out,
                          tpt_error *err);
int tpt_store_intake_get(tpt_store *store, int64_t appointment, tpt_intake *out, tpt_error *err);
/* What the person gave: their words (subjective JSON, or NULL to keep),
 * a drawing's record (0 to keep), one more measure (`measure`), at `at`. */
int tpt_store_intake_update(tpt_store *store, int64_t appointment, const char *subjective,
                            int64_t drawing, bool measure, const char *at, tpt_error *err);

/* ---- calendar feeds ---- */

/* A person's feed; TPT_ERR_INPUT when they have none. */
int tpt_store_feed_get(tpt_store *store, int64_t patient, tpt_feed *out, tpt_error *err);
/* Keeps the feed (a new token's hash replaces the old; live false revokes it). */
int tpt_store_feed_save(tpt_store *store, const tpt_feed *feed, tpt_error *err);
/* The live feed of a token's hash; TPT_ERR_INPUT when none. */
int tpt_store_feed_find(tpt_store *store, const uint8_t *token_hash, tpt_feed *out, tpt_error *err);

#endif
