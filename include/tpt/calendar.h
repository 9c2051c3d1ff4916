/* A clinic's calendar as tpt keeps it: the clinic's public profile and
 * settings, its locations, its services, its practitioners' profiles and
 * working hours, appointments, briefly held slots of online booking, the
 * outbox of emails, intake links and calendar feeds. Plain values, kept by
 * the store (store/store.h); the arithmetic of hours and slots is
 * tpt/availability.h.
 *
 * Ownership: a list owns its items (fixed-size values, no pointers) but
 * where a member says otherwise; its _free releases them and leaves an
 * empty list; NULL and an empty list are safe to free. Times are stored
 * times (tpt/time.h, UTC). */
#ifndef TPT_CALENDAR_H
#define TPT_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpt/account.h"
#include "tpt/error.h"
#include "tpt/time.h"
#include "tpt/zone.h"

#define TPT_SLUG_MAX 48     /* bytes of a clinic's public address name: "north-clinic" */
#define TPT_ADDRESS_MAX 300 /* bytes of an address or a short description */
#define TPT_SMTP_URL_MAX                                                                           \
    400 /* bytes of a mail relay's address, smtp[s]://[user:pass@]host[:port] */
#define TPT_SERVICE_STAFF_MAX 32 /* practitioners who may give one service */

/* ---- modalities: what a clinic offers, a bit each ---- */

typedef enum tpt_modality_bit {
    TPT_MODALITY_DRY_NEEDLING = 0,
    TPT_MODALITY_ACUPUNCTURE,
    TPT_MODALITY_CUPPING,
    TPT_MODALITY_MASSAGE,
    TPT_MODALITY_MANUAL_COMPRESSION,
    TPT_MODALITY_TUI_NA,
    TPT_MODALITY_GUA_SHA,
    TPT_MODALITY_MOIST_HEAT,
    TPT_MODALITY_STRETCHING,
    TPT_MODALITY_COUNT
} tpt_modality_bit;

/* "dry-needling", ... (the treatment data's ids, and "massage"); NULL past the last. */
const char *tpt_modality_id(int bit);
/* "Dry needling", ...; NULL past the last. */
const char *tpt_modality_words(int bit);
/* The bit of an id, or of its words in any case ("Dry needling", "dry needling"); -1. */
int tpt_modality_find(const char *text);

/* ---- the clinic's profile and settings ---- */

typedef struct tpt_clinic_profile {
    int64_t clinic;
    char name[TPT_NAME_MAX + 1];      /* the clinic's name (kept with the clinic) */
    char slug[TPT_SLUG_MAX + 1];      /* the public page's address: /#/c/SLUG; "" while none */
    char zone[TPT_ZONE_NAME_MAX + 1]; /* IANA time zone; "UTC" until set */
    char address[TPT_ADDRESS_MAX + 1], town[TPT_NAME_MAX + 1], postcode[32];
    char phone[64], email[TPT_EMAIL_MAX + 1];
    char about[TPT_ADDRESS_MAX + 1];
    bool listed;                         /* in the directory of clinics */
    bool booking;                        /* new people may book online */
    int reminder_hours;                  /* the reminder goes this long before (24); 0: none */
    int late_cancel_hours;               /* a cancellation later than this before is late (24) */
    int series_per_week;                 /* the course's follow-ups: visits a week (2), or */
    int series_every_days;               /* every N days (0: per week is used) */
    int slot_minutes;                    /* online booking offers starts on this grid (15) */
    char smtp_url[TPT_SMTP_URL_MAX + 1]; /* the clinic's own relay; "" for the server's */
    char mail_from[TPT_EMAIL_MAX + 1];   /* From: of its emails; "" for the clinic's email */
} tpt_clinic_profile;

/* The defaults of a clinic that has set nothing yet. */
void tpt_clinic_profile_defaults(tpt_clinic_profile *p, int64_t clinic, const char *name);
/* Checks a profile before it is kept: a slug of lower-case letters, digits
 * and '-' (2 to TPT_SLUG_MAX, or ""), a zone name's shape, the numbers in
 * range, an smtp:// or smtps:// relay, emails with an '@'. 0, or
 * TPT_ERR_INPUT naming the field ("slug: ...") first. */
int tpt_clinic_profile_check(const tpt_clinic_profile *p, tpt_error *err);
/* Where a relay's address holds its password (smtp://user:PASSWORD@host):
 * the first byte of the password, *len bytes long, inside url; NULL when the
 * address names no password. */
const char *tpt_relay_password(const char *url, size_t *len);

typedef struct tpt_clinic_profile_list {
    size_t count;
    tpt_clinic_profile *items; /* by clinic id */
} tpt_clinic_profile_list;

void tpt_clinic_profile_list_free(tpt_clinic_profile_list *list);

/* ---- locations: where the clinic treats ---- */

typedef struct tpt_location {
    int64_t id, clinic;
    char name[TPT_NAME_MAX + 1];
    char address[TPT_ADDRESS_MAX + 1], town[TPT_NAME_MAX + 1], postcode[32];
    bool archived; /* no new bookings */
} tpt_location;

typedef struct tpt_location_list {
    size_t count;
    tpt_location *items; /* by id */
} tpt_location_list;

void tpt_location_list_free(tpt_location_list *list);

/* ---- services: what can be booked ---- */

typedef enum tpt_service_kind {
    TPT_SERVICE_FIRST = 0, /* a first visit: history, examination, treatment */
    TPT_SERVICE_FOLLOW_UP, /* a visit of the course of care */
    TPT_SERVICE_OTHER,
} tpt_service_kind;

const char *tpt_service_kind_name(tpt_service_kind kind); /* "first", "follow-up", "other"; "?" */
int tpt_service_kind_parse(const char *name, tpt_service_kind *out);

typedef struct tpt_service {
    int64_t id, clinic;
    char name[TPT_NAME_MAX + 1];
    tpt_service_kind kind;
    int minutes;         /* 5 to 480 */
    unsigned modalities; /* a bit per tpt_modality_bit */
    bool online;         /* new people may book it online (first visits) */
    bool archived;
    size_t nstaff; /* who may give it; none: every practitioner of the clinic */
    int64_t staff[TPT_SERVICE_STAFF_MAX];
} tpt_service;

int tpt_service_check(const tpt_service *s, tpt_error *err);
/* Whether the practitioner may give the service. */
bool tpt_service_given_by(const tpt_service *s, int64_t practitioner);

typedef struct tpt_service_list {
    size_t count;
    tpt_service *items; /* by id */
} tpt_service_list;

void tpt_service_list_free(tpt_service_list *list);

/* ---- practitioners: who treats, with what, when ---- */

typedef struct tpt_practitioner {
    int64_t user, clinic;
    char name[TPT_NAME_MAX + 1];              /* the account's name */
    char qualifications[TPT_ADDRESS_MAX + 1]; /* "MSc Physiotherapy, licensed acupuncturist" */
    unsigned modalities;
    bool bookable; /* has a calendar, shown on the public page */
    char *hours;   /* working hours as JSON (tpt/availability.h); owned; NULL: none set */
} tpt_practitioner;

typedef struct tpt_practitioner_list {
    size_t count;
    tpt_practitioner *items; /* by the account's id */
} tpt_practitioner_list;

void tpt_practitioner_free(tpt_practitioner *p); /* its hours */
void tpt_practitioner_list_free(tpt_practitioner_list *list);

/* ---- appointments ---- */

typedef enum tpt_appointment_status {
    TPT_APPOINTMENT_BOOKED = 0,
    TPT_APPOINTMENT_ARRIVED,
    TPT_APPOINTMENT_NO_SHOW,
    TPT_APPOINTMENT_CANCELLED,
} tpt_appointment_status;

const char *tpt_appointment_status_name(
    tpt_appointment_status s); /* "booked", "arrived", "no-show", "cancelled" */
int tpt_appointment_status_parse(const char *name, tpt_appointment_status *out);

typedef struct tpt_appointment {
    int64_t id, clinic, patient, practitioner, location, service;
    char starts[TPT_TIME_MAX], ends[TPT_TIME_MAX];
    tpt_appointment_status status;
    bool late_cancel;                /* cancelled within the clinic's late-cancellation hours */
    char cancelled_at[TPT_TIME_MAX]; /* "" unless cancelled */
    char reason[TPT_NAME_MAX + 1];   /* why it was cancelled, or "" */
    char note[TPT_NAME_MAX + 1];     /* for the calendar: "bring the scan" */
    int64_t series;    /* the first appointment of its course booked at once, or 0; when adding,
                          -1 makes this one the first of a new series */
    int course_visit;  /* its number in the course of care (1 the first), or 0 */
    bool reassessment; /* the outcome measures are due at it */
    int visit;         /* the number of its visit note once opened, or 0 */
    char source[16];   /* "staff", "online", "command-line" */
    /* the language of its emails when the person's account names none ("de"; "" none:
       English): the page's a person booked on online (tpt_mail_facts.words) */
    char language[TPT_LANGUAGE_MAX];
    int64_t created_by; /* the account, or 0 */
    char created_at[TPT_TIME_MAX];
    /* read with it, for showing */
    char patient_name[TPT_NAME_MAX + 1], practitioner_name[TPT_NAME_MAX + 1];
    char service_name[TPT_NAME_MAX + 1], location_name[TPT_NAME_MAX + 1];
} tpt_appointment;

typedef struct tpt_appointment_list {
    size_t count;
    tpt_appointment *items; /* by start, then id */
} tpt_appointment_list;

void tpt_appointment_list_free(tpt_appointment_list *list);

/* Which appointments a list holds: of a clinic (0: any), overlapping
 * [from, to) (stored times; NULL or "" for no bound), of one practitioner,
 * location or patient when not 0, cancelled ones too when asked. */
typedef struct tpt_appointment_filter {
    int64_t clinic, practitioner, location, patient;
    const char *from, *to;
    bool cancelled;
    size_t limit; /* 0: TPT_APPOINTMENTS_MAX */
} tpt_appointment_filter;

#define TPT_APPOINTMENTS_MAX 2000

/* A slot of online booking held for a few minutes while a person gives
 * their name: no other booking takes it meanwhile. Only its token's hash
 * is kept. */
typedef struct tpt_hold {
    uint8_t token_hash[TPT_TOKEN_HASH_SIZE];
    int64_t clinic, practitioner, location, service;
    char starts[TPT_TIME_MAX], ends[TPT_TIME_MAX], expires[TPT_TIME_MAX];
} tpt_hold;

/* ---- emails: the outbox ---- */

typedef enum tpt_message_kind {
    TPT_MESSAGE_CONFIRMATION = 0, /* on booking, and on a move */
    TPT_MESSAGE_REMINDER,         /* a set time before */
    TPT_MESSAGE_CANCELLATION,
    TPT_MESSAGE_INTAKE, /* the link to fill in before the first visit */
} tpt_message_kind;

typedef enum tpt_message_state {
    TPT_MESSAGE_QUEUED = 0, /* waiting: for its time, a relay, or a retry */
    TPT_MESSAGE_SENDING,    /* claimed by a sender until its lease ends */
    TPT_MESSAGE_SENT,
    TPT_MESSAGE_FAILED,  /* the relay refused it for good, or its time passed unsent */
    TPT_MESSAGE_DROPPED, /* no longer true (a reminder of a cancelled appointment) */
    TPT_MESSAGE_HANDLED, /* done by hand: staff told the person themselves */
} tpt_message_state;

const char *tpt_message_kind_name(
    tpt_message_kind k); /* "confirmation", "reminder", "cancellation", "intake" */
int tpt_message_kind_parse(const char *name, tpt_message_kind *out);
const char *tpt_message_state_name(tpt_message_state s); /* "queued", "sending", ... */
int tpt_message_state_parse(const char *name, tpt_message_state *out);

typedef struct tpt_message {
    int64_t id, clinic, patient, appointment;
    tpt_message_kind kind;
    tpt_message_state state;
    char to[TPT_EMAIL_MAX + 1]; /* "" when the person has no email: staff tell them */
    char subject[TPT_NAME_MAX + 1];
    char *body;  /* the text (owned), {{url}} standing for the server's address and {{link1}},
                    {{link2}} for the private links */
    char *links; /* those links' paths, one a line (owned); NULL once it is no longer waiting:
                    the database keeps no live link of a message sent */
    char due[TPT_TIME_MAX];     /* not before */
    char expires[TPT_TIME_MAX]; /* not after: a reminder after its appointment says nothing */
    int attempts;
    char next_attempt[TPT_TIME_MAX], lease[TPT_TIME_MAX];
    char error[TPT_NAME_MAX + 1]; /* the last failure, as the relay said it */
    char sent_at[TPT_TIME_MAX];
    char created_at[TPT_TIME_MAX];
    char patient_name[TPT_NAME_MAX + 1]; /* read with it */
} tpt_message;

typedef struct tpt_message_list {
    size_t count;
    tpt_message *items; /* by due time, then id */
} tpt_message_list;

void tpt_message_list_free(tpt_message_list *list); /* the bodies and links too */

/* ---- intake before the first visit ---- */

/* A link a booked person uses, without an account, to give their history,
 * drawing and outcome measures before the first visit. Only its token's
 * hash is kept; it ends when the appointment does. */
typedef struct tpt_intake {
    uint8_t token_hash[TPT_TOKEN_HASH_SIZE];
    int64_t appointment, patient, clinic;
    char expires[TPT_TIME_MAX];
    char
        *subjective; /* what they told (the visit note's "subjective" JSON), owned; NULL: not yet */
    char subjective_at[TPT_TIME_MAX];
    int64_t drawing; /* the record of the drawing they made, or 0 */
    int measures;    /* outcome measures they filled in */
    char created_at[TPT_TIME_MAX];
} tpt_intake;

void tpt_intake_free(tpt_intake *intake); /* its subjective */

/* ---- calendar feeds ---- */

#define TPT_FEED_TIMES_MAX 3 /* home program sessions a day */

/* A person's private calendar feed (iCalendar): their appointments, the
 * home program's session times and a daily check of the pain. Only its
 * token's hash is kept; a new token revokes the old address. */
typedef struct tpt_feed {
    int64_t patient;
    int64_t clinic; /* the patient's, 0 for none: filled when read */
    uint8_t token_hash[TPT_TOKEN_HASH_SIZE];
    bool live;                               /* false once revoked */
    int nsessions;                           /* home sessions a day, 0-3 */
    int session_minutes[TPT_FEED_TIMES_MAX]; /* their wall times, minutes after midnight */
    int check_minute;                        /* the daily pain check, or -1 for none */
    char created_at[TPT_TIME_MAX];
} tpt_feed;

#endif
