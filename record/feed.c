/* A person's calendar feed (record/feed.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/calendar.h"
#include "record/feed.h"
#include "record/flags.h"
#include "record/internal.h"
#include "record/plan_record.h"
#include "record/zone_file.h"
#include "tpt/ical.h"

#define DAY 86400

/* The latest plan's id, time and session length (seconds), when its home
 * program may be followed now: 0 while a flag stops self-treatment, when
 * the plan is stale (a screen or drawing newer than those it was made
 * from: it gives no session) or stops self-treatment itself. */
static int64_t home_plan(tpt_store *s, int64_t patient, int64_t *at, int *seconds, tpt_error *err)
{
    tpt_record_list records;
    if (tpt_store_record_list(s, patient, -1, &records, err) != 0) return -1;
    tpt_flags flags;
    if (tpt_flags_read(s, patient, &records, &flags, err) != 0) {
        tpt_flags_free(&flags);
        tpt_record_list_free(&records);
        return -1;
    }
    tpt_plan_state state;
    tpt_plan_state_of(&records, &state);
    int64_t plan = 0;
    if (state.plan && !state.stale && !tpt_flags_stop(&flags)) {
        json_t *j = json_loads(state.plan->json, 0, NULL);
        json_t *steps = json_object_get(json_object_get(j, "home"), "steps");
        int total = 0;
        size_t k;
        json_t *step;
        json_array_foreach(steps, k, step)
        {
            json_int_t repeats = json_integer_value(json_object_get(step, "repeats"));
            total += (int)((json_integer_value(json_object_get(step, "hold_seconds")) +
                            json_integer_value(json_object_get(step, "rest_seconds"))) *
                           (repeats > 0 ? repeats : 1));
        }
        /* a plan that stops self-treatment has no home program */
        if (json_array_size(steps) > 0) {
            plan = state.plan->id;
            *at = tpt__seconds_of(state.plan->at);
            *seconds = total;
        }
        json_decref(j);
    }
    tpt_flags_free(&flags);
    tpt_record_list_free(&records);
    return plan;
}

static void appointments(tpt_store *s, const tpt_feed *f, int64_t clinic, int64_t now, tpt_buf *out)
{
    tpt_calendar cal;
    tpt_appointment_list list;
    char from[TPT_TIME_MAX];
    tpt_time_format(now - 30 * DAY, from);
    tpt_appointment_filter filter = {.patient = f->patient, .from = from, .cancelled = true};
    if (!clinic || tpt_calendar_open(&cal, s, clinic, 0, now, NULL) != 0) return;
    tpt_location_list locations = {0};
    tpt_store_location_list(s, clinic, &locations, NULL);
    if (tpt_store_appointment_list(s, &filter, &list, NULL) == 0) {
        for (size_t i = 0; i < list.count; i++) {
            const tpt_appointment *a = &list.items[i];
            char uid[96], summary[TPT_NAME_MAX * 2 + 8], where[TPT_ADDRESS_MAX * 2 + 8];
            snprintf(uid, sizeof uid, "appointment-%lld@tpt", (long long)a->id);
            snprintf(summary, sizeof summary, "%s, %s",
                     *a->service_name ? a->service_name : "Appointment", cal.profile.name);
            const char *address = cal.profile.address;
            for (size_t k = 0; k < locations.count; k++)
                if (locations.items[k].id == a->location && *locations.items[k].address)
                    address = locations.items[k].address;
            snprintf(where, sizeof where, "%s%s%s", a->location_name,
                     *a->location_name && *address ? ", " : "", address);
            char description[TPT_NAME_MAX + 64];
            snprintf(description, sizeof description, "With %s.%s", a->practitioner_name,
                     a->reassessment ? " The outcome questionnaires are due at this visit." : "");
            tpt_ical_event_write(out, &(tpt_ical_event){
                                          .uid = uid,
                                          .stamp = now,
                                          .start = tpt__seconds_of(a->starts),
                                          .end = tpt__seconds_of(a->ends),
                                          .summary = summary,
                                          .description = description,
                                          .location = where,
                                          .cancelled = a->status == TPT_APPOINTMENT_CANCELLED,
                                          .alarm_minutes = 60,
                                      });
        }
        tpt_appointment_list_free(&list);
    }
    tpt_location_list_free(&locations);
    tpt_calendar_close(&cal);
}

/* A daily event at a wall time from `day`, TPT_FEED_DAYS times. */
static void daily(tpt_buf *out, const char *uid, int64_t now, int64_t day, int minute, int seconds,
                  const char *summary, const char *description, const char *url)
{
    char rrule[48];
    snprintf(rrule, sizeof rrule, "FREQ=DAILY;COUNT=%d", TPT_FEED_DAYS);
    int64_t start = day * DAY + minute * 60;
    tpt_ical_event_write(out, &(tpt_ical_event){.uid = uid,
                                                .stamp = now,
                                                .start = start,
                                                .end = start + (seconds > 60 ? seconds : 60),
                                                .floating = true,
                                                .rrule = rrule,
                                                .summary = summary,
                                                .description = description,
                                                .url = url});
}

int tpt_feed_write(tpt_store *s, const tpt_feed *f, const char *base, int64_t now, tpt_buf *out,
                   tpt_error *err)
{
    tpt_patient p;
    int rc = tpt_store_patient_get(s, f->patient, &p, err);
    if (rc) return rc;
    int64_t plan_at = now;
    int seconds = 0;
    int64_t plan = home_plan(s, f->patient, &plan_at, &seconds, err);
    if (plan < 0) return err ? err->status : -1;
    char name[TPT_NAME_MAX + 16];
    snprintf(name, sizeof name, "tpt: %s", p.name);
    tpt_ical_begin(out, name);
    appointments(s, f, p.clinic, now, out);
    /* daily events start on the plan's day (or today) on the clinic's calendar */
    tpt_zone *zone = NULL;
    tpt_clinic_profile profile;
    if (p.clinic && tpt_store_clinic_profile_get(s, p.clinic, &profile, NULL) == 0)
        zone = tpt_zone_load(profile.zone, NULL);
    int64_t first = tpt_floor_div(zone ? tpt_zone_to_local(zone, plan ? plan_at : now) : now, DAY);
    tpt_zone_free(zone);
    char url[512], uid[96];
    if (plan) {
        snprintf(url, sizeof url, "%s/#/patients/%lld/session", base, (long long)f->patient);
        for (int i = 0; i < f->nsessions; i++) {
            snprintf(uid, sizeof uid, "home-%lld-plan-%lld-%d@tpt", (long long)f->patient,
                     (long long)plan, i);
            daily(out, uid, now, first, f->session_minutes[i], seconds, "Home program",
                  "Your guided session of the home program. Stop at once for sharp or new pain. "
                  "This is not a diagnosis.",
                  url);
        }
    }
    if (f->check_minute >= 0) {
        snprintf(url, sizeof url, "%s/#/patients/%lld/log", base, (long long)f->patient);
        snprintf(uid, sizeof uid, "pain-check-%lld@tpt", (long long)f->patient);
        daily(out, uid, now, first, f->check_minute, 300, "How is the pain today?",
              "Rate your leg and back pain in tpt: it shows whether the treatment helps.", url);
    }
    tpt_ical_end(out);
    if (out->failed) return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
    return 0;
}
