/* FHIR R4: the person's record as a Bundle (reading it back is fhir_read.c,
 * storing what was read fhir_import.c).
 *
 * The export is a view for other systems (Observation, QuestionnaireResponse,
 * Procedure, CarePlan) plus what tpt needs to read it back without loss: log
 * entries are whole in their Observations, and each screen, drawing, plan and
 * session also travels as it is stored, in a DocumentReference whose
 * attachment is the record itself. Import reads those, builds the Bundle again
 * from what it read and accepts the file only when the two are equal, so
 * nothing in the file is silently ignored. Outcome measures travel as a
 * QuestionnaireResponse and the score Observation derived from it, and are
 * read back from those, their answers scored again. docs/internals/export.md
 * has the mapping. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/fhir_internal.h"
#include "record/flags.h"
#include "record/views.h"
#include "tpt/body.h"
#include "tpt/buf.h"

/* ---- building resources ---- */

typedef struct builder {
    int failed;      /* out of memory somewhere */
    size_t replaced; /* texts that were not UTF-8 */
    tpt__uuid patient;
} builder;

static json_t *str(builder *b, const char *s)
{
    json_t *v = json_string(s);
    if (v) return v;
    size_t bad;
    char *fixed = tpt__fhir_utf8_repair(s, &bad);
    v = fixed ? json_string(fixed) : NULL;
    free(fixed);
    if (v) b->replaced++;
    return v;
}

static void set(builder *b, json_t *o, const char *key, json_t *v)
{
    if (!o || !v || json_object_set_new(o, key, v) != 0) b->failed = 1;
}

static void push(builder *b, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v) != 0) b->failed = 1;
}

static void set_str(builder *b, json_t *o, const char *key, const char *s)
{
    set(b, o, key, str(b, s));
}

static json_t *one(builder *b, json_t *v)
{
    json_t *a = json_array();
    push(b, a, v);
    return a;
}

static json_t *coding(builder *b, const char *system, const char *code, const char *display)
{
    json_t *c = json_object();
    set_str(b, c, "system", system);
    set_str(b, c, "code", code);
    if (display) set_str(b, c, "display", display);
    return c;
}

static json_t *concept(builder *b, json_t *code, const char *text)
{
    json_t *c = json_object();
    if (code) set(b, c, "coding", one(b, code));
    if (text) set_str(b, c, "text", text);
    return c;
}

static json_t *reference(builder *b, const tpt__uuid *id)
{
    char url[64];
    snprintf(url, sizeof url, "urn:uuid:%s", id->s);
    json_t *r = json_object();
    set_str(b, r, "reference", url);
    return r;
}

static json_t *resource(builder *b, const char *type, const tpt__uuid *id)
{
    json_t *r = json_object();
    set_str(b, r, "resourceType", type);
    set_str(b, r, "id", id->s);
    return r;
}

static json_t *annotation(builder *b, const char *text)
{
    json_t *a = json_object();
    set_str(b, a, "text", text);
    return a;
}

static void add_entry(builder *b, json_t *entries, const tpt__uuid *id, json_t *res)
{
    char url[64];
    snprintf(url, sizeof url, "urn:uuid:%s", id->s);
    json_t *e = json_object();
    set_str(b, e, "fullUrl", url);
    set(b, e, "resource", res);
    push(b, entries, e);
}

/* The text of a buffer, or NULL when it is empty; freed by the caller. */
static char *take(builder *b, tpt_buf *t)
{
    if (t->failed) b->failed = 1;
    if (t->failed || t->len == 0) {
        tpt_buf_free(t);
        return NULL;
    }
    return t->data;
}

static json_t *survey(builder *b)
{
    return one(b, concept(b, coding(b, SYS_CATEGORY, "survey", "Survey"), NULL));
}

/* ---- log entries ---- */

enum { LEFT = 1, RIGHT = 2 };

/* Which legs a drawing marks (LEFT | RIGHT), read from the marks as typed. */
static int drawing_legs(const char *input)
{
    static const char *const leg_parts[] = {"thigh", "knee",     "shin", "leg",     "calf",
                                            "ankle", "achilles", "foot", "big-toe", "toes",
                                            "arch",  "sole",     "heel", NULL};
    int legs = 0, skip = 0;
    const char *p = input ? input : "";
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == 0) break;
        if (skip) {
            skip = 0;
        } else if (n == 9 && strncmp(p, "--finding", 9) == 0) {
            skip = 1;
        } else if (n > 2 && (p[0] == 'l' || p[0] == 'r') && p[1] == '.') {
            size_t part = strcspn(p + 2, ".: ");
            for (int i = 0; leg_parts[i]; i++)
                if (strlen(leg_parts[i]) == part && strncmp(p + 2, leg_parts[i], part) == 0)
                    legs |= p[0] == 'l' ? LEFT : RIGHT;
        }
        p += n;
    }
    return legs;
}

/* SNOMED CT: lower limb structure, or back of trunk; laterality as a
 * post-coordinated qualifier (272741003 |Laterality|) where a drawing
 * says which leg. */
static json_t *body_site(builder *b, int leg, int legs)
{
    if (!leg)
    return concept(b, coding(b, SYS_SNOMED, "77568009", "Structure of back of trunk"), "Back");
    static const char *const code[] = {"61685007", "61685007:272741003=7771000",
                                       "61685007:272741003=24028007",
                                       "61685007:272741003=51440002"};
    static const char *const words[] = {"Leg", "Left leg", "Right leg", "Both legs"};
    return concept(b, coding(b, SYS_SNOMED, code[legs], legs ? NULL : "Lower limb structure"),
                   words[legs]);
}

static json_t *pain(builder *b, const tpt__uuid *id, const char *at, int leg, int value, int legs)
{
    json_t *o = resource(b, "Observation", id);
    set_str(b, o, "status", "final");
    set(b, o, "category", survey(b));
    set(b, o, "code",
        concept(b,
                coding(b, SYS_LOINC, "72514-3",
                       "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
                leg ? "Leg pain" : "Back pain"));
    set(b, o, "subject", reference(b, &b->patient));
    set_str(b, o, "effectiveDateTime", at);
    set(b, o, "valueInteger", json_integer(value));
    set(b, o, "bodySite", body_site(b, leg, legs));
    return o;
}

static json_t *component(builder *b, const char *code, const char *label, const char *key,
                         json_t *value)
{
    json_t *c = json_object();
    set(b, c, "code", concept(b, coding(b, SYS_TPT, code, label), label));
    set(b, c, key, value);
    return c;
}

static json_t *minutes(builder *b, int value)
{
    json_t *q = json_object();
    set(b, q, "value", json_integer(value));
    set_str(b, q, "unit", "min");
    set_str(b, q, "system", SYS_UCUM);
    set_str(b, q, "code", "min");
    return q;
}

static void add_log_entry(builder *b, json_t *entries, const tpt_log_entry *e, const tpt__uuid *id,
                          int legs)
{
    tpt__uuid leg, back;
    tpt__fhir_derive(id, "leg", &leg);
    tpt__fhir_derive(id, "back", &back);
    json_t *o = resource(b, "Observation", id);
    set_str(b, o, "status", "final");
    set(b, o, "category", survey(b));
    set(b, o, "code",
        concept(b, coding(b, SYS_TPT, "daily-log", "Sciatica daily log entry"), "Daily log entry"));
    set(b, o, "subject", reference(b, &b->patient));
    set_str(b, o, "effectiveDateTime", e->at);
    if (e->leg_pain >= 0 || e->back_pain >= 0) {
        json_t *members = json_array();
        if (e->leg_pain >= 0) push(b, members, reference(b, &leg));
        if (e->back_pain >= 0) push(b, members, reference(b, &back));
        set(b, o, "hasMember", members);
    }
    json_t *parts = json_array();
    if (e->sitting_minutes >= 0)
        push(b, parts,
             component(b, "sitting-tolerance", "Sitting tolerance", "valueQuantity",
                       minutes(b, e->sitting_minutes)));
    if (e->walking_minutes >= 0)
        push(b, parts,
             component(b, "walking-tolerance", "Walking tolerance", "valueQuantity",
                       minutes(b, e->walking_minutes)));
    if (e->sleep_disturbed >= 0)
        push(b, parts,
             component(b, "sleep-disturbed", "Sleep disturbed by pain", "valueBoolean",
                       json_boolean(e->sleep_disturbed)));
    if (e->medication)
        push(b, parts,
             component(b, "medication", "Medication taken", "valueString", str(b, e->medication)));
    if (json_array_size(parts))
        set(b, o, "component", parts);
    else
        json_decref(parts);
    if (e->note) set(b, o, "note", one(b, annotation(b, e->note)));
    add_entry(b, entries, id, o);
    if (e->leg_pain >= 0) add_entry(b, entries, &leg, pain(b, &leg, e->at, 1, e->leg_pain, legs));
    if (e->back_pain >= 0) add_entry(b, entries, &back, pain(b, &back, e->at, 0, e->back_pain, 0));
}

/* ---- records: the view for other systems ---- */

static json_t *screen_response(builder *b, const tpt_record *r, const tpt__uuid *id)
{
    json_t *o = resource(b, "QuestionnaireResponse", id);
    set_str(b, o, "questionnaire", SCREEN_QUESTIONNAIRE);
    set_str(b, o, "status", "completed");
    set(b, o, "subject", reference(b, &b->patient));
    set_str(b, o, "authored", r->at);
    json_t *answers = r->input ? json_loads(r->input, 0, NULL) : NULL;
    json_t *items = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(answers, key, v)
    {
        json_t *answer = json_object();
        if (json_is_boolean(v))
            set(b, answer, "valueBoolean", json_boolean(json_is_true(v)));
        else if (json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
                 json_integer_value(v) <= INT32_MAX)
            set(b, answer, "valueInteger", json_integer(json_integer_value(v)));
        else if (json_is_string(v))
            set_str(b, answer, "valueString", json_string_value(v));
        else {
            json_decref(answer);
            continue; /* not an answer: the raw record keeps it */
        }
        json_t *item = json_object();
        set_str(b, item, "linkId", key);
        set(b, item, "answer", one(b, answer));
        push(b, items, item);
    }
    json_decref(answers);
    if (json_array_size(items))
        set(b, o, "item", items);
    else
        json_decref(items);
    return o;
}

static json_t *drawing_observation(builder *b, const tpt_record *r, const tpt__uuid *id)
{
    json_t *o = resource(b, "Observation", id);
    set_str(b, o, "status", "final");
    set(b, o, "category", survey(b));
    set(b, o, "code",
        concept(b, coding(b, SYS_TPT, "pain-drawing", "Pain drawing on the tpt body chart"),
                "Pain drawing"));
    set(b, o, "subject", reference(b, &b->patient));
    set_str(b, o, "effectiveDateTime", r->at);
    if (r->input && *r->input) set_str(b, o, "valueString", r->input);
    json_t *result = json_loads(r->json, 0, NULL);
    tpt_buf t = {0};
    const char *pattern = tpt__fhir_str(result, "pattern");
    if (pattern) tpt_buf_printf(&t, "Pattern: %s.", pattern);
    json_t *candidates = json_object_get(result, "candidates");
    for (size_t i = 0, shown = 0; i < json_array_size(candidates) && shown < 3; i++) {
        json_t *c = json_array_get(candidates, i);
        const char *label = tpt__fhir_str(c, "label"),
                   *side = tpt_side_id_word(tpt__fhir_str(c, "side"));
        json_t *p = json_object_get(c, "probability");
        if (!label) continue;
        tpt_buf_printf(&t, "%s%s",
                       shown++ ? "; "
                       : t.len ? " Most likely: "
                               : "Most likely: ",
                       label);
        if (side) tpt_buf_printf(&t, ", %s", side);
        if (json_is_number(p)) tpt_buf_printf(&t, " (%.0f%%)", json_number_value(p) * 100);
    }
    if (t.len && t.data[t.len - 1] != '.') tpt_buf_printf(&t, ".");
    json_decref(result);
    char *note = take(b, &t);
    if (note) set(b, o, "note", one(b, annotation(b, note)));
    free(note);
    return o;
}

static json_t *session_procedure(builder *b, const tpt_record *r, const tpt__uuid *id,
                                 const tpt__uuid *plan)
{
    json_t *summary = json_loads(r->json, 0, NULL);
    const char *end = tpt__fhir_str(summary, "end");
    if (!end) end = r->summary;
    json_t *o = resource(b, "Procedure", id);
    if (plan) set(b, o, "basedOn", one(b, reference(b, plan)));
    const char *status = strcmp(end, "completed") == 0 ? "completed"
                         : strcmp(end, "stopped") == 0 || strcmp(end, "sharp-or-new-pain") == 0
                             ? "stopped"
                             : "unknown";
    set_str(b, o, "status", status);
    if (strcmp(end, "sharp-or-new-pain") == 0)
        set(b, o, "statusReason", concept(b, NULL, "Stopped for sharp or new pain"));
    set(b, o, "code",
        concept(b, coding(b, SYS_TPT, "guided-session", "Guided self-treatment session"),
                "Guided trigger point self-treatment session"));
    set(b, o, "subject", reference(b, &b->patient));
    set_str(b, o, "performedDateTime", r->at);
    tpt_buf t = {0};
    long long before, after, done, total, skipped;
    if (tpt__fhir_int(summary, "pain_before", &before))
        tpt_buf_printf(&t, "Pain before %lld/10", before);
    if (tpt__fhir_int(summary, "pain_after", &after))
        tpt_buf_printf(&t, "%s %lld/10", t.len ? ", after" : "Pain after", after);
    if (t.len) tpt_buf_printf(&t, ".");
    if (tpt__fhir_int(summary, "steps_done", &done) &&
        tpt__fhir_int(summary, "steps_total", &total))
        tpt_buf_printf(&t, "%s%lld of %lld steps done", t.len ? " " : "", done, total);
    if (tpt__fhir_int(summary, "steps_skipped", &skipped) && skipped)
        tpt_buf_printf(&t, ", %lld skipped", skipped);
    json_t *seconds = json_object_get(summary, "seconds");
    if (json_is_number(seconds)) {
        char num[64];
        tpt_json_number_text(seconds, num, sizeof num);
        tpt_buf_printf(&t, "%sin %s s", t.len ? " " : "", num);
    }
    if (t.len) tpt_buf_printf(&t, ".");
    tpt_buf_printf(&t, "%sEnded: %s.", t.len ? " " : "", end);
    json_decref(summary);
    char *note = take(b, &t);
    if (note) set(b, o, "note", one(b, annotation(b, note)));
    free(note);
    return o;
}

/* Whole minutes read as minutes, anything else as seconds. */
static long long duration(long long seconds)
{
    return seconds >= 120 && seconds % 60 == 0 ? seconds / 60 : seconds;
}

static const char *unit(long long seconds)
{
    return seconds >= 120 && seconds % 60 == 0 ? "min" : "s";
}

static json_t *activity(builder *b, const char *title, const char *description,
                        const char *schedule, const char *status)
{
    json_t *d = json_object();
    set(b, d, "code", concept(b, NULL, title));
    set_str(b, d, "status", status);
    if (schedule) set_str(b, d, "scheduledString", schedule);
    if (description) set_str(b, d, "description", description);
    json_t *a = json_object();
    set(b, a, "detail", d);
    return a;
}

/* status: the plan's ("active" for the latest, "on-hold" while a red flag
 * stands, "revoked" for those replaced);
 * activity: what became of its activities. */
static json_t *care_plan(builder *b, const tpt_record *r, const tpt__uuid *id,
                         const tpt__uuid *replaces, const char *status, const char *activity_status)
{
    json_t *plan = json_loads(r->json, 0, NULL);
    json_t *o = resource(b, "CarePlan", id);
    set_str(b, o, "status", status);
    set_str(b, o, "intent", "plan");
    set_str(b, o, "title", "Trigger point treatment plan");
    tpt_buf t = {0};
    const char *pattern = tpt__fhir_str(plan, "pattern");
    if (pattern) tpt_buf_printf(&t, "Pattern: %s.", pattern);
    json_t *causes = json_object_get(plan, "causes");
    size_t named = 0;
    for (size_t i = 0; i < json_array_size(causes); i++) {
        json_t *c = json_array_get(causes, i);
        const char *label = tpt__fhir_str(c, "label"),
                   *side = tpt_side_id_word(tpt__fhir_str(c, "side"));
        if (!label) continue;
        tpt_buf_printf(&t, "%s%s", named++ ? "; " : t.len ? " Causes: " : "Causes: ", label);
        if (side) tpt_buf_printf(&t, ", %s", side);
    }
    if (named) tpt_buf_printf(&t, ".");
    json_t *advice = json_object_get(plan, "advice");
    for (size_t i = 0; i < json_array_size(advice); i++)
        if (json_is_string(json_array_get(advice, i)))
            tpt_buf_printf(&t, "%s%s", t.len ? " " : "",
                           json_string_value(json_array_get(advice, i)));
    char *description = take(b, &t);
    set_str(b, o, "description", description ? description : "A treatment plan made by tpt.");
    free(description);
    set(b, o, "subject", reference(b, &b->patient));
    set_str(b, o, "created", r->at);
    if (replaces) set(b, o, "replaces", one(b, reference(b, replaces)));

    json_t *activities = json_array();
    json_t *home = json_object_get(plan, "home");
    long long per_day = 0;
    tpt__fhir_int(home, "sessions_per_day", &per_day);
    json_t *steps = json_object_get(home, "steps");
    for (size_t i = 0; i < json_array_size(steps); i++) {
        json_t *s = json_array_get(steps, i);
        const char *title = tpt__fhir_str(s, "title");
        if (!title) continue;
        tpt_buf d = {0}, when = {0};
        const char *where = tpt__fhir_str(s, "placement"), *how = tpt__fhir_str(s, "instructions");
        if (where) tpt_buf_printf(&d, "Where: %s", where);
        if (how) tpt_buf_printf(&d, "%s%s", d.len ? " " : "", how);
        long long hold = 0, rest = 0, repeats = 1;
        tpt__fhir_int(s, "hold_seconds", &hold);
        tpt__fhir_int(s, "rest_seconds", &rest);
        tpt__fhir_int(s, "repeats", &repeats);
        if (repeats > 1) tpt_buf_printf(&when, "%lld x ", repeats);
        if (hold) tpt_buf_printf(&when, "%lld %s", duration(hold), unit(hold));
        if (rest) tpt_buf_printf(&when, ", %lld %s rest between", duration(rest), unit(rest));
        if (per_day) tpt_buf_printf(&when, "%s%lld sessions a day", when.len ? "; " : "", per_day);
        char *description = take(b, &d), *schedule = take(b, &when);
        push(b, activities, activity(b, title, description, schedule, activity_status));
        free(description);
        free(schedule);
    }
    json_t *habits = json_object_get(home, "habits");
    for (size_t i = 0; i < json_array_size(habits); i++)
        if (json_is_string(json_array_get(habits, i)))
            push(b, activities,
                 activity(b, "Daily habit", json_string_value(json_array_get(habits, i)), NULL,
                          activity_status));
    json_t *clinic = json_object_get(plan, "clinic");
    for (size_t i = 0; i < json_array_size(clinic); i++) {
        json_t *c = json_array_get(clinic, i);
        const char *label = tpt__fhir_str(c, "label"),
                   *side = tpt_side_id_word(tpt__fhir_str(c, "side"));
        json_t *modalities = json_object_get(c, "modalities");
        for (size_t k = 0; k < json_array_size(modalities); k++) {
            json_t *m = json_array_get(modalities, k);
            const char *modality = tpt__fhir_str(m, "modality");
            if (!modality) continue;
            tpt_buf title = {0};
            tpt_buf_printf(&title, "In the clinic: %s", modality);
            if (label)
                tpt_buf_printf(&title, " for %s%s%s", label, side ? ", " : "", side ? side : "");
            char *name = take(b, &title);
            push(b, activities,
                 activity(b, name, tpt__fhir_str(m, "detail"), NULL, activity_status));
            free(name);
        }
    }
    if (json_array_size(activities))
        set(b, o, "activity", activities);
    else
        json_decref(activities);

    json_t *notes = json_array();
    json_t *rules = json_object_get(plan, "stop_rules");
    for (size_t i = 0; i < json_array_size(rules); i++) {
        const char *rule = tpt__fhir_str(json_array_get(rules, i), "text");
        if (rule) push(b, notes, annotation(b, rule));
    }
    const char *notice = tpt__fhir_str(plan, "notice");
    if (notice) push(b, notes, annotation(b, notice));
    if (json_array_size(notes))
        set(b, o, "note", notes);
    else
        json_decref(notes);
    json_decref(plan);
    return o;
}

/* The record as it is stored, as the attachment of a DocumentReference. */
static json_t *record_document(builder *b, const tpt_record *r, const tpt__uuid *id,
                               const tpt__uuid *view)
{
    const char *kind = tpt_record_kind_name(r->kind);
    json_t *raw = json_object();
    set_str(b, raw, "format", RECORD_FORMAT);
    set(b, raw, "version", json_integer(1));
    set_str(b, raw, "kind", kind);
    set_str(b, raw, "at", r->at);
    set_str(b, raw, "summary", r->summary);
    set(b, raw, "input", r->input ? str(b, r->input) : json_null());
    set_str(b, raw, "body", r->json);
    if (r->clinician) set(b, raw, "clinician", json_true()); /* only a clinician lifts its flags */
    char *dumped = raw ? json_dumps(raw, JSON_COMPACT) : NULL;
    json_decref(raw);
    char *data = dumped ? tpt__fhir_base64_encode(dumped, strlen(dumped)) : NULL;
    free(dumped);
    if (!data) b->failed = 1;

    char label[64], title[64];
    snprintf(label, sizeof label, "tpt %s record", kind);
    snprintf(title, sizeof title, "tpt-%s.json", kind);
    tpt_buf d = {0};
    tpt_buf_printf(&d, "The %s as tpt keeps it (%s), for tpt import", kind, r->summary);
    char *description = take(b, &d);
    json_t *o = resource(b, "DocumentReference", id);
    set_str(b, o, "status", "current");
    set(b, o, "type", concept(b, coding(b, SYS_TPT, "record", "tpt record"), label));
    set(b, o, "subject", reference(b, &b->patient));
    set_str(b, o, "date", r->at);
    if (description) set_str(b, o, "description", description);
    free(description);
    json_t *attachment = json_object();
    set_str(b, attachment, "contentType", "application/json");
    if (data) set_str(b, attachment, "data", data);
    set_str(b, attachment, "title", title);
    free(data);
    json_t *content = json_object();
    set(b, content, "attachment", attachment);
    set(b, o, "content", one(b, content));
    json_t *context = json_object();
    set(b, context, "related", one(b, reference(b, view)));
    set(b, o, "context", context);
    return o;
}

/* ---- outcome measures: the answers and the score ---- */

/* An answer's value: whole ones as FHIR's valueInteger, others valueDecimal. */
static json_t *answer_value(builder *b, const json_t *v)
{
    json_t *answer = json_object();
    double x = json_number_value(v);
    if (x == (double)(long long)x && x >= INT32_MIN && x <= INT32_MAX)
        set(b, answer, "valueInteger", json_integer((json_int_t)x));
    else
        set(b, answer, "valueDecimal", json_real(x));
    return answer;
}

static void add_measure(builder *b, json_t *entries, const tpt_measure *m,
                        const tpt__uuid *response)
{
    tpt__uuid score;
    tpt__fhir_derive(response, "score", &score);
    char questionnaire[128];
    snprintf(questionnaire, sizeof questionnaire, "urn:tpt:fhir:questionnaire:%s", m->instrument);

    json_t *qr = resource(b, "QuestionnaireResponse", response);
    set_str(b, qr, "questionnaire", questionnaire);
    set_str(b, qr, "status", "completed");
    set(b, qr, "subject", reference(b, &b->patient));
    set_str(b, qr, "authored", m->at);
    json_t *answers = json_loads(m->answers, 0, NULL), *items = json_array(),
           *names = m->names ? json_loads(m->names, 0, NULL) : NULL;
    const char *key;
    json_t *v;
    json_object_foreach(answers, key, v)
    {
        if (!json_is_number(v)) continue;
        json_t *item = json_object();
        const char *name = json_string_value(json_object_get(names, key));
        set_str(b, item, "linkId", key);
        /* a named item's text is what the person rated (a PSFS activity) */
        if (name) set_str(b, item, "text", name);
        set(b, item, "answer", one(b, answer_value(b, v)));
        push(b, items, item);
    }
    json_decref(answers);
    json_decref(names);
    if (json_array_size(items))
        set(b, qr, "item", items);
    else
        json_decref(items);
    add_entry(b, entries, response, qr);

    json_t *o = resource(b, "Observation", &score);
    set_str(b, o, "status", "final");
    set(b, o, "category", survey(b));
    char code[96];
    snprintf(code, sizeof code, "score-%s", m->instrument);
    set(b, o, "code", concept(b, coding(b, SYS_TPT, code, NULL), m->instrument));
    set(b, o, "subject", reference(b, &b->patient));
    set_str(b, o, "effectiveDateTime", m->at);
    json_t *q = json_object();
    set(b, q, "value", json_real(round(m->score * 10) / 10));
    set_str(b, q, "unit", "{score}");
    set_str(b, q, "system", SYS_UCUM);
    set_str(b, q, "code", "{score}");
    set(b, o, "valueQuantity", q);
    if (*m->band) set(b, o, "interpretation", one(b, concept(b, NULL, m->band)));
    set(b, o, "derivedFrom", one(b, reference(b, response)));
    add_entry(b, entries, &score, o);
}

json_t *tpt_fhir_bundle(const tpt_log_list *log, const tpt_record_list *records,
                        const tpt_measure_list *measures, size_t *replaced)
{
    builder b = {0};
    tpt__fhir_patient_id(&b.patient);
    tpt__uuid *lids = tpt__fhir_log_ids(log), *rids = tpt__fhir_record_ids(records);
    size_t n = records->count;
    /* for each record the plan before it (the plan a session followed, the plan
     * a new plan replaces), and whether sessions followed each plan */
    size_t *plan_of = calloc(n + 1, sizeof *plan_of), last_plan = SIZE_MAX;
    char *followed = calloc(n + 1, 1);
    json_t *entries = json_array();
    if ((log->count && !lids) || (n && !rids) || !plan_of || !followed) b.failed = 1;
    for (size_t i = 0; !b.failed && i < n; i++) {
        plan_of[i] = last_plan;
        if (records->items[i].kind == TPT_RECORD_PLAN)
            last_plan = i;
        else if (records->items[i].kind == TPT_RECORD_SESSION && last_plan != SIZE_MAX)
            followed[last_plan] = 1;
    }

    json_t *patient = resource(&b, "Patient", &b.patient);
    add_entry(&b, entries, &b.patient, patient);

    /* the side of leg pain is known from the latest drawing at or before the entry */
    size_t next = 0;
    int legs = 0;
    for (size_t i = 0; !b.failed && i < log->count; i++) {
        const tpt_log_entry *e = &log->items[i];
        for (; next < n && strcmp(records->items[next].at, e->at) <= 0; next++)
            if (records->items[next].kind == TPT_RECORD_DRAWING)
                legs = drawing_legs(records->items[next].input);
        add_log_entry(&b, entries, e, &lids[i], legs);
    }

    /* A red flag standing in the record puts the plan in force on hold:
     * judged from the records the Bundle holds, so that reading it back
     * gives the same (a clinician's assessment or a signed visit, which only
     * lift flags, is not part of it: the hold errs on the careful side). */
    tpt_flags standing;
    if (tpt_flags_judge(records, NULL, NULL, &standing) != 0) b.failed = 1;
    bool on_hold = tpt_flags_stop(&standing);
    tpt_flags_free(&standing);
    for (size_t i = 0; !b.failed && i < n; i++) {
        const tpt_record *r = &records->items[i];
        tpt__uuid view, plan_view, prev_view;
        tpt__fhir_derive(&rids[i], "view", &view);
        json_t *res = NULL;
        switch (r->kind) {
        case TPT_RECORD_SCREEN:
            res = screen_response(&b, r, &view);
            break;
        case TPT_RECORD_DRAWING:
            res = drawing_observation(&b, r, &view);
            break;
        case TPT_RECORD_PLAN: {
            /* the latest plan is the one in force; each earlier one was replaced */
            int latest = i == last_plan;
            const char *activity = latest ? (followed[i] ? "in-progress" : "not-started")
                                          : (followed[i] ? "stopped" : "cancelled");
            if (plan_of[i] != SIZE_MAX) tpt__fhir_derive(&rids[plan_of[i]], "view", &prev_view);
            res = care_plan(&b, r, &view, plan_of[i] != SIZE_MAX ? &prev_view : NULL,
                            !latest   ? "revoked"
                            : on_hold ? "on-hold"
                                      : "active",
                            activity);
            break;
        }
        case TPT_RECORD_SESSION:
            if (plan_of[i] != SIZE_MAX) tpt__fhir_derive(&rids[plan_of[i]], "view", &plan_view);
            res = session_procedure(&b, r, &view, plan_of[i] != SIZE_MAX ? &plan_view : NULL);
            break;
        default:
            b.failed = 1;
        }
        add_entry(&b, entries, &view, res);
        add_entry(&b, entries, &rids[i], record_document(&b, r, &rids[i], &view));
    }

    tpt__uuid *mids = measures ? tpt__fhir_measure_ids(measures) : NULL;
    if (measures && measures->count && !mids) b.failed = 1;
    for (size_t i = 0; !b.failed && measures && i < measures->count; i++)
        add_measure(&b, entries, &measures->items[i], &mids[i]);
    free(mids);

    /* the Bundle's own id: a hash of what it holds */
    tpt__uuid id;
    tpt__fhir_bundle_id(entries, &id);
    json_t *bundle = resource(&b, "Bundle", &id);
    json_t *meta = json_object();
    set(&b, meta, "tag", one(&b, coding(&b, SYS_TPT, EXPORT_TAG, "tpt export, format 1")));
    set(&b, bundle, "meta", meta);
    set_str(&b, bundle, "type", "collection");
    set(&b, bundle, "entry", entries);

    free(lids);
    free(rids);
    free(plan_of);
    free(followed);
    if (b.failed) {
        json_decref(bundle);
        return NULL;
    }
    if (replaced) *replaced = b.replaced;
    return bundle;
}
