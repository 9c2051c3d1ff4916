/* The handlers of the API, one file per resource; routes.c says which path
 * and method reach each, and what it checks first. Each answers into
 * c->res; c->rest is what follows the route's path (a cause, a chart view,
 * an invitation's token, a visit's number...). */
#ifndef TPT_SERVER_HANDLERS_H
#define TPT_SERVER_HANDLERS_H

#include "context.h"
#include "record/flags.h"
#include "record/calendar.h"

/* The engine, public (engine.c). */
void srv_health(srv_ctx *c);
void srv_regions(srv_ctx *c);
void srv_openapi(srv_ctx *c);
void srv_atlas_list(srv_ctx *c);
void srv_atlas_cause(srv_ctx *c);
void srv_chart(srv_ctx *c);
void srv_picture(srv_ctx *c);
void srv_screen_questions(srv_ctx *c);
void srv_techniques(srv_ctx *c);
void srv_map(srv_ctx *c);
void srv_screen(srv_ctx *c);
void srv_plan(srv_ctx *c);

/* The outcome measures as the caller's clinic words them, and its admins'
 * licensed texts (instrument_texts.c). */
void srv_instruments(srv_ctx *c);
void srv_instrument_texts_list(srv_ctx *c);
void srv_instrument_text_put(srv_ctx *c);
void srv_instrument_text_delete(srv_ctx *c);

/* Accounts and sign-in (account.c). */
void srv_setup_needed(srv_ctx *c);
void srv_setup(srv_ctx *c);
void srv_login(srv_ctx *c);
void srv_logout(srv_ctx *c);
void srv_me(srv_ctx *c);
void srv_settings(srv_ctx *c);
void srv_password(srv_ctx *c);

/* Password reset links (resets.c). */
void srv_reset_get(srv_ctx *c);
void srv_reset_use(srv_ctx *c);
/* A clinic's people (patients.c, invitations.c, admin.c, measures.c). */
void srv_patients_list(srv_ctx *c);
void srv_patients_add(srv_ctx *c);
void srv_invitation_add(srv_ctx *c);
void srv_invitation_get(srv_ctx *c);
void srv_invitation_accept(srv_ctx *c);
void srv_invitations_list(srv_ctx *c);
void srv_invitation_withdraw(srv_ctx *c);
void srv_users_list(srv_ctx *c);
void srv_clinics_list(srv_ctx *c);
void srv_clinics_add(srv_ctx *c);
void srv_audit_list(srv_ctx *c);
void srv_clinic_outcomes(srv_ctx *c);

/* An account's lifecycle, c->subject (users.c). */
void srv_user_change(srv_ctx *c);
void srv_user_delete(srv_ctx *c);
void srv_user_sessions_end(srv_ctx *c);
void srv_user_reset(srv_ctx *c);

/* A patient's record, c->patient (record.c, care.c, log.c, reports.c). */
void srv_record_summary(srv_ctx *c);
void srv_record_history(srv_ctx *c);
void srv_record_audit_log(srv_ctx *c);
void srv_record_erase(srv_ctx *c);
void srv_record_screen_add(srv_ctx *c);
void srv_record_screen(srv_ctx *c);
void srv_record_map(srv_ctx *c);
void srv_record_drawing(srv_ctx *c);
void srv_record_plan_add(srv_ctx *c);
void srv_record_plan(srv_ctx *c);
void srv_record_handout(srv_ctx *c);
void srv_record_session_add(srv_ctx *c);
void srv_record_sessions(srv_ctx *c);
void srv_record_log_add(srv_ctx *c);
void srv_record_log(srv_ctx *c);
void srv_record_log_change(srv_ctx *c);
void srv_record_session_change(srv_ctx *c);
void srv_record_progress(srv_ctx *c);
void srv_record_report(srv_ctx *c);
void srv_record_csv(srv_ctx *c);
void srv_record_fhir(srv_ctx *c);

/* A clinic's part of a record, each answering its own methods (details.c,
 * visits.c, measures.c, letters.c, assessments.c). */
void srv_record_details(srv_ctx *c);
void srv_record_assessments(srv_ctx *c);
void srv_record_visits(srv_ctx *c);
void srv_record_measures(srv_ctx *c);
void srv_record_measure(srv_ctx *c);
void srv_record_course(srv_ctx *c);
void srv_record_letter(srv_ctx *c);

/* The clinic's calendar settings (clinic_settings.c). */
void srv_clinic_profile_get(srv_ctx *c);
void srv_clinic_profile_put(srv_ctx *c);
void srv_clinic_location_add(srv_ctx *c);
void srv_clinic_location_put(srv_ctx *c);
void srv_clinic_service_add(srv_ctx *c);
void srv_clinic_service_put(srv_ctx *c);
void srv_clinic_practitioner_put(srv_ctx *c);

/* The calendar for staff (appointments.c). */
void srv_calendar_view(srv_ctx *c);
void srv_availability(srv_ctx *c);
void srv_appointments_list(srv_ctx *c);
void srv_appointments_add(srv_ctx *c);
void srv_appointments_series(srv_ctx *c);
void srv_appointment_get(srv_ctx *c);
void srv_appointment_put(srv_ctx *c);
void srv_appointment_action(srv_ctx *c);
void srv_outbox_list(srv_ctx *c);
void srv_outbox_handled(srv_ctx *c);

/* Without an account (public.c, intake.c, patient_calendar.c). */
void srv_public_directory(srv_ctx *c);
void srv_public_clinic(srv_ctx *c);
void srv_public_action(srv_ctx *c);
void srv_intake_get(srv_ctx *c);
void srv_intake_put(srv_ctx *c);
void srv_intake_post(srv_ctx *c);
void srv_feed_ics(srv_ctx *c);

/* A person's own calendar, a part of their record (patient_calendar.c). */
void srv_record_appointments(srv_ctx *c);
void srv_record_feed(srv_ctx *c);

/* What the calendar's handlers share. */
/* Opens the calendar of `clinic` for this request (the caller as the
 * actor); 0, or an error in c->res. The caller closes it. */
int srv_calendar_open(srv_ctx *c, tpt_calendar *cal, int64_t clinic);
/* At start: every clinic relay's password kept in plain text, or under the
 * previous key (NULL for none), sealed with the server's key
 * (clinic_settings.c); what was done, and what could not be, said on stderr. */
void srv_clinic_relays_seal(tpt_store *store, const struct srv_secret_key *key,
                            const struct srv_secret_key *previous);
/* Keeps an intake link (its token's hash) for an appointment (intake.c). */
int srv_intake_keep(srv_ctx *c, const tpt_appointment *a, const uint8_t *token_hash,
                    tpt_error *err);
/* Makes and keeps a new intake link of an appointment: its path into link. */
int srv_intake_make(srv_ctx *c, const tpt_appointment *a, char *link, size_t size, tpt_error *err);
/* Puts what the person gave before the visit (their words, their drawing's
 * marks) into a new visit note. */
void srv_intake_into_note(srv_ctx *c, int64_t appointment, json_t *note);

/* What the handlers of a record share (record.c). */
/* Whether the caller keeps what they make on this record as a clinician:
 * a clinic's admin or practitioner on someone else's record. */
bool srv_as_clinician(const srv_ctx *c);
/* Keeps a record of what was produced (at now, by the caller, as a
 * clinician or not; *id and at may be NULL); 0, or an error in c->res. */
int srv_keep(srv_ctx *c, tpt_record_kind kind, const char *summary, const char *input,
             const char *json, int64_t *id, char *at);
/* Keeps a drawing typed as tpt map takes it ("--finding F ... MARK ...")
 * with the engine's answer, as the record's latest; 0 (its id in *id, which
 * may be NULL), or an error in c->res (care.c). */
int srv_keep_drawing(srv_ctx *c, const char *typed, int64_t *id);
/* Makes the plan from the latest screen and drawing and keeps it; 0 (its id
 * in *id and the plan in *plan, each may be NULL; the caller releases the
 * plan), or an error in c->res: 409 screen-required or drawing-required
 * when one is missing (care.c). */
int srv_keep_plan(srv_ctx *c, int64_t *id, json_t **plan);
/* The latest record of a kind (the list is freed by the caller), or NULL
 * (with an error in c->res when the store failed). */
const tpt_record *srv_latest(srv_ctx *c, tpt_record_kind kind, tpt_record_list *list);
/* The red flags standing in the record (record/flags.h), freed by the
 * caller with tpt_flags_free: 0, or -1 with an error in c->res. */
int srv_flags(srv_ctx *c, tpt_flags *out);
/* 0 when self-care may be shown; else 409 with the advice in c->res. */
int srv_self_care_allowed(srv_ctx *c);
/* Whether the caller may correct or remove what `author` entered in the
 * record (0: no account, the command line or an import): the clinic's
 * staff, whoever entered it, and for what no account entered the record's
 * own account. 0, or 403 not-yours in c->res. */
int srv_may_correct(srv_ctx *c, int64_t author);

/* api/openapi.json, embedded at build time (tools/embed.c); NUL-terminated. */
extern const unsigned char tpt__openapi[];
extern const size_t tpt__openapi_len;

#endif
