/* A clinic's calendar as both programs read and change it: the clinic's
 * zone and settings, times as people type them, the calendar of days as
 * JSON, open slots, and booking, moving, cancelling and marking
 * appointments with the emails each queues and the audit lines each
 * writes; a course of care booked at once. tpt appointment and the
 * calendar's endpoints make these same calls.
 *
 * Like the rest of the record layer it never reads the clock (`now` is
 * given) and never prints; it reads the zone's file (record/zone_file.h). */
#ifndef TPT_RECORD_CALENDAR_H
#define TPT_RECORD_CALENDAR_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"
#include "tpt/availability.h"
#include "tpt/calendar.h"
#include "tpt/words.h"
#include "tpt/zone.h"

/* A clinic's calendar, opened for one piece of work. */
typedef struct tpt_calendar {
    tpt_store *store;
    tpt_clinic_profile profile;
    tpt_zone *zone;
    int64_t actor;          /* the account at work, for the audit log (0: nobody signed in) */
    const char *address;    /* the client's address, for the audit log (NULL: none) */
    char now[TPT_TIME_MAX]; /* the time of the work */
    int64_t now_seconds;
    /* The catalogues already loaded, by tpt_languages' order (a server's, made
     * once at start), or NULL: the emails' catalogue is then loaded here. */
    tpt_words *const *catalogues;
    tpt_words *words; /* loaded here: the catalogue of the last email in another language
                         than English, kept for the next (a course's reminders) */
} tpt_calendar;

/* Opens the calendar of `clinic` (its profile and zone) for work at `now`
 * by `actor`. tpt_calendar_close frees it. */
int tpt_calendar_open(tpt_calendar *cal, tpt_store *store, int64_t clinic, int64_t actor,
                      int64_t now, tpt_error *err);
void tpt_calendar_close(tpt_calendar *cal);

/* A time as typed: a wall time of the clinic ("2026-11-24T10:00") or a
 * stored time ("2026-11-24T10:00:00Z"). A wall time the clocks skip is
 * TPT_ERR_INPUT saying so; one that happens twice is its first. */
int tpt_calendar_time(const tpt_calendar *cal, const char *text, int64_t *utc, tpt_error *err);
/* A local date as typed ("2026-11-24"), or today at the clinic for NULL or "". */
int tpt_calendar_day(const tpt_calendar *cal, const char *text, int64_t *day, tpt_error *err);

/* ---- as JSON ---- */

/* ["dry-needling", ...] of modality bits. */
json_t *tpt_modalities_json(unsigned bits);
/* The clinic's profile; with `settings` the settings only its admins see
 * (the relay, without its password). */
json_t *tpt_profile_json(const tpt_clinic_profile *p, bool settings);
json_t *tpt_location_json(const tpt_location *l);
json_t *tpt_service_json(const tpt_service *s);
/* A practitioner; with `hours` their working hours (as tpt_hours_json). */
json_t *tpt_practitioner_json(const tpt_practitioner *p, bool hours);
/* An appointment with its wall times ("local_start", "local_end") and its names. */
json_t *tpt_appointment_json(const tpt_calendar *cal, const tpt_appointment *a);
/* A message of the outbox as staff see it: the body with the server's
 * address `base` filled in and the private links left out. */
json_t *tpt_message_json(const tpt_message *m, const char *base);

/* The calendar of `days` local days from `first_day`: each practitioner's
 * working spans on each day and the appointments (cancelled ones too),
 * of one practitioner or location when not 0. */
json_t *tpt_calendar_view_json(const tpt_calendar *cal, int64_t first_day, int days,
                               int64_t practitioner, int64_t location, tpt_error *err);
/* The open slots for a service over `days` local days from `first_day`,
 * with one practitioner or any who gives it and has a calendar, at a
 * location or any, from `not_before`; at most `max`. */
json_t *tpt_calendar_slots_json(const tpt_calendar *cal, int64_t service, int64_t practitioner,
                                int64_t location, int64_t first_day, int days, int64_t not_before,
                                size_t max, tpt_error *err);

/* ---- changes ---- */

/* An appointment of this clinic; TPT_ERR_INPUT "no appointment N" otherwise. */
int tpt_calendar_appointment(const tpt_calendar *cal, int64_t id, tpt_appointment *out,
                             tpt_error *err);

/* What a booking is for. */
typedef struct tpt_booking {
    int64_t patient, practitioner, location, service; /* location 0: the clinic's only one */
    int minutes;        /* the length when no service is named (service 0), 5 to 480 */
    int64_t start;      /* UTC seconds */
    const char *note;   /* NULL: none */
    const char *source; /* "staff", "online", "command-line" */
    /* the language of its emails ("de"; as tpt_appointment.language), or NULL: that of
       the person's latest appointment with one */
    const char *language;
    int64_t series; /* as tpt_appointment.series */
    int course_visit;
    bool reassessment;
    const uint8_t *hold;     /* the hold a booking made online takes, or NULL */
    const char *intake_link; /* paths the confirmation names, or NULL */
    const char *invitation_link;
    bool quiet; /* no confirmation (a series sends one for all) */
} tpt_booking;

/* Books an appointment: the service's length from the start, the service
 * given by the practitioner, a location of the clinic; then the
 * confirmation (for a time to come) and the reminder queued, and the
 * audit lines. _in runs inside the caller's transaction; the other opens
 * and commits its own. TPT_ERR_CONFLICT when the time is taken. */
int tpt_calendar_book_in(tpt_calendar *cal, const tpt_booking *b, tpt_appointment *out,
                         tpt_error *err);
int tpt_calendar_book(tpt_calendar *cal, const tpt_booking *b, tpt_appointment *out,
                      tpt_error *err);

/* What a move changes: fields left 0 (or NULL) stay. */
typedef struct tpt_move {
    int64_t start, practitioner, location, service;
    const char *note;
} tpt_move;

/* Moves a booked appointment; its waiting confirmation and reminder are
 * dropped and new ones queued. */
int tpt_calendar_move(tpt_calendar *cal, int64_t id, const tpt_move *m, tpt_appointment *out,
                      tpt_error *err);
/* Cancels it (late when within the clinic's late-cancellation hours before
 * its start), drops its waiting messages and queues the notice. */
int tpt_calendar_cancel(tpt_calendar *cal, int64_t id, const char *reason, tpt_appointment *out,
                        tpt_error *err);
/* Marks it arrived, no-show or booked again (not cancelled: that is
 * tpt_calendar_cancel). */
int tpt_calendar_mark(tpt_calendar *cal, int64_t id, tpt_appointment_status status,
                      tpt_appointment *out, tpt_error *err);

/* Queues the email of an appointment's intake link (a path, "/#/intake/TOKEN"). */
int tpt_calendar_send_intake(tpt_calendar *cal, int64_t id, const char *link, tpt_error *err);

/* A course of care booked at once. */
typedef struct tpt_series_request {
    int64_t patient, practitioner, location, service;
    int64_t first;       /* the first visit's start, UTC seconds */
    tpt_spacing spacing; /* all 0: the clinic's */
    int count;           /* 0: the rest of the patient's planned course */
    /* the starts to book (UTC seconds; the client's choice after a preview,
     * alternatives taken), or NULL to book the spacing's times */
    const int64_t *times;
    size_t ntimes;
} tpt_series_request;

/* The visits of the course at the spacing, each with its number in the
 * course, whether it is a reassessment, and whether it is free, taken,
 * held or outside the practitioner's hours (with the nearest free time
 * after it, when there is one). Nothing is stored. */
json_t *tpt_calendar_series_preview(tpt_calendar *cal, const tpt_series_request *r, tpt_error *err);
/* Books the course, all or nothing, in one transaction, with one
 * confirmation naming every visit: TPT_ERR_CONFLICT naming the first time
 * taken. The appointments as JSON. */
json_t *tpt_calendar_series_book(tpt_calendar *cal, const tpt_series_request *r, tpt_error *err);

#endif
