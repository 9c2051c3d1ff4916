/* Who works on the records: clinics, the accounts of the web application
 * with their roles, signed-in browser sessions, invitations, failed sign-ins
 * and the audit log. Plain values, kept by the store (store/store.h).
 *
 * Ownership: a list owns its items (fixed-size values, no pointers); its
 * _free releases them and leaves an empty list; NULL and an empty list are
 * safe to free. Times are stored times (tpt/time.h). */
#ifndef TPT_ACCOUNT_H
#define TPT_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/record.h"

#define TPT_EMAIL_MAX 254
#define TPT_HASH_MAX 160 /* bytes of a stored password hash (Argon2id string) */
#define TPT_TOKEN_HASH_SIZE 32
#define TPT_LANGUAGE_MAX 16 /* bytes of a language tag with its NUL: "de", "pt-br" */

/* An operator runs the whole installation (accounts and clinics, the audit
 * log of every clinic) and belongs to no clinic; an admin manages their own
 * clinic; practitioners and patients work on records. */
typedef enum tpt_role {
    TPT_ROLE_ADMIN = 0,
    TPT_ROLE_PRACTITIONER,
    TPT_ROLE_PATIENT,
    TPT_ROLE_OPERATOR
} tpt_role;
/* "admin", "practitioner", "patient", "operator"; "?" */
const char *tpt_role_name(tpt_role role);
/* The role of a name: 0, or TPT_ERR_INPUT for an unknown name. */
int tpt_role_parse(const char *name, tpt_role *out);

/* ---- clinics: the practitioners and patients who share records ---- */

typedef struct tpt_clinic {
    int64_t id;
    char name[TPT_NAME_MAX + 1];
} tpt_clinic;

typedef struct tpt_clinic_list {
    size_t count;
    tpt_clinic *items; /* by id */
} tpt_clinic_list;

void tpt_clinic_list_free(tpt_clinic_list *list);

/* ---- accounts ---- */

typedef struct tpt_user {
    int64_t id;
    int64_t clinic;  /* the clinic the account works in; 0 for an operator */
    int64_t patient; /* a patient's own record (role patient, or anyone using tpt for
                        themselves), else 0 */
    char email[TPT_EMAIL_MAX + 1];
    char name[TPT_NAME_MAX + 1];
    tpt_role role;
    char password_hash[TPT_HASH_MAX + 1];
    char disabled[TPT_TIME_MAX];     /* when it was disabled; "" while it may sign in */
    char deleted[TPT_TIME_MAX];      /* when it was deleted (its name is kept); "" while not */
    char language[TPT_LANGUAGE_MAX]; /* the pages' language chosen; "" follows the browser */
    int home; /* 1: used at home alone, the clinic's screens out of sight; else 0 */
} tpt_user;

typedef struct tpt_user_list {
    size_t count;
    tpt_user *items; /* by id; the password hashes are left empty */
} tpt_user_list;

void tpt_user_list_free(tpt_user_list *list);

/* Failed sign-ins, counted per client address and email whether or not an
 * account has it (so that being slowed down says nothing about which emails
 * exist), and per address. */
typedef struct tpt_sign_in_failures {
    int failures;                    /* since the last good sign-in */
    char locked_until[TPT_TIME_MAX]; /* no attempt before this; "" when not slowed */
    char at[TPT_TIME_MAX];           /* the latest failure */
} tpt_sign_in_failures;

/* A signed-in browser: only a hash of its token is kept. */
typedef struct tpt_auth_session {
    uint8_t token_hash[TPT_TOKEN_HASH_SIZE];
    int64_t user;
    char csrf[65];              /* the token state-changing requests must carry */
    char expires[TPT_TIME_MAX]; /* UTC */
} tpt_auth_session;

/* An invitation: a one-time link that makes an account of a role in a
 * clinic (for a patient, tied to their record). Only a hash of its token is kept. */
typedef struct tpt_invitation {
    int64_t id;
    uint8_t token_hash[TPT_TOKEN_HASH_SIZE];
    tpt_role role;
    char name[TPT_NAME_MAX + 1];
    char email[TPT_EMAIL_MAX + 1]; /* "" when not given */
    int64_t clinic, patient;       /* patient: 0 unless the role is patient */
    int64_t created_by;
    char created[TPT_TIME_MAX], expires[TPT_TIME_MAX];
    char used[TPT_TIME_MAX];      /* "" while unused */
    char withdrawn[TPT_TIME_MAX]; /* "" unless withdrawn (by hand, or spent by failures) */
    int failures;                 /* accepts refused for another email */
} tpt_invitation;

typedef struct tpt_invitation_list {
    size_t count;
    tpt_invitation *items; /* by id; the token hashes are left empty */
} tpt_invitation_list;

void tpt_invitation_list_free(tpt_invitation_list *list);

/* A one-time link that sets a forgotten password, issued by an admin (or
 * on the server's command line): only a hash of its token is kept. */
typedef struct tpt_password_reset {
    int64_t id;
    uint8_t token_hash[TPT_TOKEN_HASH_SIZE];
    int64_t user;
    int64_t created_by; /* 0: the command line */
    char created[TPT_TIME_MAX], expires[TPT_TIME_MAX];
    char used[TPT_TIME_MAX]; /* "" while unused */
} tpt_password_reset;

/* ---- the audit log: who did what to whose record, when ---- */

#define TPT_ACTION_MAX 200        /* bytes of an audit line's action */
#define TPT_CLIENT_ADDRESS_MAX 64 /* bytes of a client's address (IPv4 or IPv6, as text) */
#define TPT_AUDIT_HASH_SIZE 32

/* A line to add. */
typedef struct tpt_audit_line {
    char at[TPT_TIME_MAX];
    int64_t user, patient; /* 0 when none */
    const char *action;
    const char *address; /* the client's, or NULL (the command line) */
} tpt_audit_line;

typedef struct tpt_audit_entry {
    int64_t id, user, patient; /* 0 when none */
    char at[TPT_TIME_MAX];
    char action[TPT_ACTION_MAX + 1];
    char address[TPT_CLIENT_ADDRESS_MAX + 1];
    char user_name[TPT_NAME_MAX + 1], user_email[TPT_EMAIL_MAX + 1], patient_name[TPT_NAME_MAX + 1];
    tpt_role user_role;
    /* the line's hash, chained to the line before (none for lines written
     * before the log was chained) */
    bool hashed;
    uint8_t hash[TPT_AUDIT_HASH_SIZE];
} tpt_audit_entry;

/* Which lines to list: those of one record, of one clinic (its accounts'
 * and its records'), or all; newest first, at most limit, older than
 * `before` (an id; 0: from the newest). */
typedef struct tpt_audit_filter {
    int64_t patient, clinic;
    int64_t before;
    size_t limit;
} tpt_audit_filter;

/* What verifying the chain of the audit log found. */
typedef struct tpt_audit_check {
    int64_t lines;        /* lines read */
    int64_t unchained;    /* lines written before the log was chained */
    int64_t first_broken; /* the id of the first line whose hash does not hold, or 0 */
    char head[2 * TPT_AUDIT_HASH_SIZE + 1]; /* the latest line's hash, hex; "" when none */
} tpt_audit_check;

typedef struct tpt_audit_list {
    size_t count;
    tpt_audit_entry *items; /* newest first */
} tpt_audit_list;

void tpt_audit_list_free(tpt_audit_list *list);

#endif
