/* The calendar's values (tpt/calendar.h): the names the store and the API
 * write, the checks of a clinic's profile and a service, and freeing lists. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "tpt/calendar.h"

/* ---- names ---- */

/* A name of a table of `n`: its index, or -1. */
static int index_of(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

#define COUNT(a) ((int)(sizeof a / sizeof *a))
#define NAME_OF(names, v) ((unsigned)(v) < (unsigned)COUNT(names) ? names[v] : "?")

static const char *const modality_ids[TPT_MODALITY_COUNT] = {
    "dry-needling", "acupuncture", "cupping",    "massage",   "manual-compression",
    "tui-na",       "gua-sha",     "moist-heat", "stretching"};
static const char *const modality_words[TPT_MODALITY_COUNT] = {
    "Dry needling", "Acupuncture", "Cupping",    "Massage",   "Manual compression",
    "Tui Na",       "Gua Sha",     "Moist heat", "Stretching"};

const char *tpt_modality_id(int bit)
{
    return bit >= 0 && bit < TPT_MODALITY_COUNT ? modality_ids[bit] : NULL;
}

const char *tpt_modality_words(int bit)
{
    return bit >= 0 && bit < TPT_MODALITY_COUNT ? modality_words[bit] : NULL;
}

int tpt_modality_find(const char *text)
{
    if (!text) return -1;
    int i = index_of(modality_ids, TPT_MODALITY_COUNT, text);
    for (int k = 0; i < 0 && k < TPT_MODALITY_COUNT; k++)
        if (strcasecmp(modality_words[k], text) == 0) i = k;
    return i;
}

static const char *const service_kinds[] = {"first", "follow-up", "other"};
static const char *const appointment_statuses[] = {"booked", "arrived", "no-show", "cancelled"};
static const char *const message_kinds[] = {"confirmation", "reminder", "cancellation", "intake"};
static const char *const message_states[] = {"queued", "sending", "sent",
                                             "failed", "dropped", "handled"};

const char *tpt_service_kind_name(tpt_service_kind k)
{
    return NAME_OF(service_kinds, k);
}

const char *tpt_appointment_status_name(tpt_appointment_status s)
{
    return NAME_OF(appointment_statuses, s);
}

const char *tpt_message_kind_name(tpt_message_kind k)
{
    return NAME_OF(message_kinds, k);
}

const char *tpt_message_state_name(tpt_message_state s)
{
    return NAME_OF(message_states, s);
}

#define PARSE(names, type)                                                                         \
    do {                                                                                           \
        int i = index_of(names, COUNT(names), name);                                               \
        if (i < 0) return TPT_ERR_INPUT;                                                           \
        *out = (type)i;                                                                            \
        return 0;                                                                                  \
    } while (0)

int tpt_service_kind_parse(const char *name, tpt_service_kind *out)
{
    PARSE(service_kinds, tpt_service_kind);
}

int tpt_appointment_status_parse(const char *name, tpt_appointment_status *out)
{
    PARSE(appointment_statuses, tpt_appointment_status);
}

int tpt_message_kind_parse(const char *name, tpt_message_kind *out)
{
    PARSE(message_kinds, tpt_message_kind);
}

int tpt_message_state_parse(const char *name, tpt_message_state *out)
{
    PARSE(message_states, tpt_message_state);
}

/* ---- the clinic's profile ---- */

void tpt_clinic_profile_defaults(tpt_clinic_profile *p, int64_t clinic, const char *name)
{
    memset(p, 0, sizeof *p);
    p->clinic = clinic;
    if (name) memcpy(p->name, name, strnlen(name, TPT_NAME_MAX));
    memcpy(p->zone, "UTC", 4);
    p->reminder_hours = 24;
    p->late_cancel_hours = 24;
    p->series_per_week = 2;
    p->slot_minutes = 15;
}

static bool slug_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0) return true;
    if (n < 2 || n > TPT_SLUG_MAX || s[0] == '-' || s[n - 1] == '-') return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
            return false;
    return true;
}

static bool email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    if (!*s) return true;
    if (!at || at == s || !at[1] || strchr(at + 1, '@')) return false;
    for (const char *c = s; *c; c++) /* nothing that would break a mail header */
        if ((unsigned char)*c <= ' ' || *c == '<' || *c == '>' || *c == ',' || *c == ';' ||
            *c == '"')
            return false;
    return true;
}

/* Whether text holds no control characters (a header or a line of its own). */
static bool one_line(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < ' ' || *s == 0x7f) return false;
    return true;
}

int tpt_clinic_profile_check(const tpt_clinic_profile *p, tpt_error *err)
{
    if (!*p->name || !one_line(p->name))
        return tpt__fail(err, TPT_ERR_INPUT,
                         "name: a clinic's name is 1 to %d characters on one line", TPT_NAME_MAX);
    if (!slug_ok(p->slug))
        return tpt__fail(err, TPT_ERR_INPUT,
                         "slug: the page's address is 2 to %d lower-case letters, digits and "
                         "hyphens (\"north-clinic\"), or empty",
                         TPT_SLUG_MAX);
    if (!tpt_zone_name_ok(p->zone))
        return tpt__fail(err, TPT_ERR_INPUT,
                         "zone: a time zone is an IANA name such as Europe/London");
    const struct {
        const char *key, *text;
    } lines[] = {{"address", p->address},
                 {"town", p->town},
                 {"postcode", p->postcode},
                 {"phone", p->phone},
                 {"about", p->about}};
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        if (!one_line(lines[i].text))
            return tpt__fail(err, TPT_ERR_INPUT, "%s: must be text on one line", lines[i].key);
    if (!email_ok(p->email)) return tpt__fail(err, TPT_ERR_INPUT, "email: not an email address");
    if (!email_ok(p->mail_from))
        return tpt__fail(err, TPT_ERR_INPUT, "mail_from: not an email address");
    if (p->reminder_hours < 0 || p->reminder_hours > 168)
        return tpt__fail(err, TPT_ERR_INPUT, "reminder_hours: 0 (no reminder) to 168 hours");
    if (p->late_cancel_hours < 0 || p->late_cancel_hours > 168)
        return tpt__fail(err, TPT_ERR_INPUT, "late_cancel_hours: 0 to 168 hours");
    if (p->series_per_week < 0 || p->series_per_week > 7 || p->series_every_days < 0 ||
        p->series_every_days > 28 || (!p->series_per_week && !p->series_every_days))
        return tpt__fail(err, TPT_ERR_INPUT,
                         "series_per_week: 1 to 7 visits a week, or series_every_days 1 to 28");
    if (p->slot_minutes < 5 || p->slot_minutes > 120)
        return tpt__fail(err, TPT_ERR_INPUT, "slot_minutes: 5 to 120 minutes");
    if (*p->smtp_url &&
        ((strncmp(p->smtp_url, "smtp://", 7) != 0 && strncmp(p->smtp_url, "smtps://", 8) != 0) ||
         !one_line(p->smtp_url) || strchr(p->smtp_url, ' ')))
        return tpt__fail(
            err, TPT_ERR_INPUT,
            "smtp_url: a mail relay is smtp://host:port or smtps://user:password@host");
    return 0;
}

const char *tpt_relay_password(const char *url, size_t *len)
{
    const char *scheme_end = strstr(url, "://");
    const char *at = scheme_end ? strchr(scheme_end + 3, '@') : NULL;
    const char *colon = at ? memchr(scheme_end + 3, ':', (size_t)(at - scheme_end - 3)) : NULL;
    if (!colon) return NULL;
    *len = (size_t)(at - colon - 1);
    return colon + 1;
}

/* ---- services ---- */

int tpt_service_check(const tpt_service *s, tpt_error *err)
{
    if (!*s->name || !one_line(s->name))
        return tpt__fail(err, TPT_ERR_INPUT, "name: a service's name is 1 to %d characters",
                         TPT_NAME_MAX);
    if ((unsigned)s->kind > TPT_SERVICE_OTHER)
        return tpt__fail(err, TPT_ERR_INPUT, "kind: first, follow-up or other");
    if (s->minutes < 5 || s->minutes > 480)
        return tpt__fail(err, TPT_ERR_INPUT, "minutes: a service lasts 5 to 480 minutes");
    if (s->modalities >> TPT_MODALITY_COUNT)
        return tpt__fail(err, TPT_ERR_INPUT, "modalities: an unknown modality");
    if (s->nstaff > TPT_SERVICE_STAFF_MAX)
        return tpt__fail(err, TPT_ERR_INPUT, "practitioners: at most %d", TPT_SERVICE_STAFF_MAX);
    for (size_t i = 0; i < s->nstaff; i++)
        if (s->staff[i] <= 0)
            return tpt__fail(err, TPT_ERR_INPUT, "practitioners[%zu]: an account's id", i);
    return 0;
}

bool tpt_service_given_by(const tpt_service *s, int64_t practitioner)
{
    if (!s->nstaff) return true;
    for (size_t i = 0; i < s->nstaff; i++)
        if (s->staff[i] == practitioner) return true;
    return false;
}

/* ---- freeing ---- */

#define FREE_ITEMS(list)                                                                           \
    do {                                                                                           \
        if (!(list)) return;                                                                       \
        free((list)->items);                                                                       \
        (list)->items = NULL;                                                                      \
        (list)->count = 0;                                                                         \
    } while (0)

void tpt_clinic_profile_list_free(tpt_clinic_profile_list *list)
{
    FREE_ITEMS(list);
}

void tpt_location_list_free(tpt_location_list *list)
{
    FREE_ITEMS(list);
}

void tpt_service_list_free(tpt_service_list *list)
{
    FREE_ITEMS(list);
}

void tpt_appointment_list_free(tpt_appointment_list *list)
{
    FREE_ITEMS(list);
}

void tpt_practitioner_free(tpt_practitioner *p)
{
    if (!p) return;
    free(p->hours);
    p->hours = NULL;
}

void tpt_practitioner_list_free(tpt_practitioner_list *list)
{
    for (size_t i = 0; list && i < list->count; i++)
        tpt_practitioner_free(&list->items[i]);
    FREE_ITEMS(list);
}

void tpt_message_list_free(tpt_message_list *list)
{
    for (size_t i = 0; list && i < list->count; i++) {
        free(list->items[i].body);
        free(list->items[i].links);
    }
    FREE_ITEMS(list);
}

void tpt_intake_free(tpt_intake *intake)
{
    if (!intake) return;
    free(intake->subjective);
    intake->subjective = NULL;
}
