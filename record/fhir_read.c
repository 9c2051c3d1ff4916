/* A Bundle that tpt export --fhir made, read back (fhir_write.c says how
 * it is made): TPT_ERR_INPUT naming what is wrong for anything else. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/fhir_internal.h"
#include "tpt/instruments.h"
#include "tpt/time.h"

#define bad(err, ...) tpt_error_set(err, TPT_ERR_INPUT, __VA_ARGS__)

static int nomem(tpt_error *err)
{
    return tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
}

typedef struct slot {
    const char *url;
    json_t *res;
} slot;

static int slot_cmp(const void *x, const void *y)
{
    return strcmp(((const slot *)x)->url, ((const slot *)y)->url);
}

typedef struct reader {
    slot *slots;
    size_t n;
    tpt_error *err;
    tpt_instruments *instruments; /* loaded for the first measure read */
} reader;

static json_t *find(const reader *rd, const char *url)
{
    slot key = {url, NULL};
    slot *s = url ? bsearch(&key, rd->slots, rd->n, sizeof *rd->slots, slot_cmp) : NULL;
    return s ? s->res : NULL;
}

/* A stored time (the store checks the century). */
static int is_time(const char *at)
{
    int64_t seconds;
    return tpt_time_parse(at, &seconds) == 0;
}

/* Whether a CodeableConcept's first coding is tpt's `code`. */
static int is_tpt_code(const json_t *concept_, const char *code)
{
    json_t *c = json_array_get(json_object_get(concept_, "coding"), 0);
    const char *system = tpt__fhir_str(c, "system"), *value = tpt__fhir_str(c, "code");
    return system && value && strcmp(system, SYS_TPT) == 0 && strcmp(value, code) == 0;
}

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int read_pain(reader *rd, const char *url, const char *member, tpt_log_entry *e)
{
    json_t *o = find(rd, member);
    const char *type = tpt__fhir_str(o, "resourceType");
    if (!o || !type || strcmp(type, "Observation") != 0)
        return bad(rd->err, "Observation %s: its member %s is not an Observation in the Bundle",
                   url, member ? member : "(no reference)");
    const char *what = tpt__fhir_str(json_object_get(o, "code"), "text");
    int *slot_ = what && strcmp(what, "Leg pain") == 0    ? &e->leg_pain
                 : what && strcmp(what, "Back pain") == 0 ? &e->back_pain
                                                          : NULL;
    if (!slot_)
        return bad(rd->err, "Observation %s: a member of a log entry must be leg or back pain",
                   member);
    const char *name = slot_ == &e->leg_pain ? "leg pain" : "back pain";
    if (*slot_ >= 0) return bad(rd->err, "Observation %s: the entry has two %s scores", url, name);
    json_t *v = json_object_get(o, "valueInteger");
    if (!json_is_integer(v))
        return bad(rd->err, "Observation %s: %s needs a whole number 0-10 as valueInteger", member,
                   name);
    if (json_integer_value(v) < 0 || json_integer_value(v) > 10)
        return bad(rd->err, "Observation %s: %s %lld is outside 0 to 10", member, name,
                   (long long)json_integer_value(v));
    *slot_ = (int)json_integer_value(v);
    return 0;
}

static int read_minutes(reader *rd, const char *url, const char *what, json_t *c, int *out)
{
    json_t *v = json_object_get(json_object_get(c, "valueQuantity"), "value");
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1440)
        return bad(rd->err, "Observation %s: %s must be a whole number of minutes from 0 to 1440",
                   url, what);
    *out = (int)json_integer_value(v);
    return 0;
}

static int read_log(reader *rd, const char *url, json_t *o, tpt_log_entry *e)
{
    *e = (tpt_log_entry){.leg_pain = -1,
                         .back_pain = -1,
                         .sitting_minutes = -1,
                         .walking_minutes = -1,
                         .sleep_disturbed = -1};
    const char *at = tpt__fhir_str(o, "effectiveDateTime");
    if (!is_time(at))
        return bad(rd->err,
                   "Observation %s: effectiveDateTime '%s' is not a time as tpt writes it "
                   "(2026-11-21T08:30:00Z)",
                   url, at ? at : "");
    snprintf(e->at, sizeof e->at, "%s", at);
    int rc;
    json_t *members = json_object_get(o, "hasMember");
    for (size_t i = 0; i < json_array_size(members); i++)
        if ((rc = read_pain(rd, url, tpt__fhir_str(json_array_get(members, i), "reference"), e)))
            return rc;
    json_t *parts = json_object_get(o, "component");
    for (size_t i = 0; i < json_array_size(parts); i++) {
        json_t *c = json_array_get(parts, i), *code = json_object_get(c, "code");
        if (is_tpt_code(code, "sitting-tolerance")) {
            if ((rc = read_minutes(rd, url, "sitting tolerance", c, &e->sitting_minutes)))
                return rc;
        } else if (is_tpt_code(code, "walking-tolerance")) {
            if ((rc = read_minutes(rd, url, "walking tolerance", c, &e->walking_minutes)))
                return rc;
        } else if (is_tpt_code(code, "sleep-disturbed")) {
            json_t *v = json_object_get(c, "valueBoolean");
            if (!json_is_boolean(v))
                return bad(rd->err, "Observation %s: sleep disturbed must be true or false", url);
            e->sleep_disturbed = json_is_true(v);
        } else if (is_tpt_code(code, "medication")) {
            const char *s = tpt__fhir_str(c, "valueString");
            if (!s) return bad(rd->err, "Observation %s: medication must be text", url);
            if (!(e->medication = dup(s))) return nomem(rd->err);
        } else {
            return bad(rd->err, "Observation %s: a log entry has no component '%s'", url,
                       tpt__fhir_str(code, "text") ? tpt__fhir_str(code, "text") : "?");
        }
    }
    json_t *notes = json_object_get(o, "note");
    if (json_array_size(notes) > 0) {
        const char *s = tpt__fhir_str(json_array_get(notes, 0), "text");
        if (!s) return bad(rd->err, "Observation %s: the note must be text", url);
        if (!(e->note = dup(s))) return nomem(rd->err);
    }
    return 0;
}

static int read_record(reader *rd, const char *url, json_t *o, tpt_record *r)
{
    memset(r, 0, sizeof *r);
    json_t *content = json_array_get(json_object_get(o, "content"), 0);
    const char *data = tpt__fhir_str(json_object_get(content, "attachment"), "data");
    if (!data) return bad(rd->err, "DocumentReference %s: the record is missing", url);
    size_t len;
    char *raw = tpt__fhir_base64_decode(data, &len);
    if (!raw) return bad(rd->err, "DocumentReference %s: the record is not valid base64", url);
    json_error_t jerr;
    json_t *rec = json_loadb(raw, len, JSON_REJECT_DUPLICATES, &jerr);
    free(raw);
    const char *format = tpt__fhir_str(rec, "format"), *kind = tpt__fhir_str(rec, "kind"),
               *at = tpt__fhir_str(rec, "at"), *summary = tpt__fhir_str(rec, "summary"),
               *body = tpt__fhir_str(rec, "body");
    json_t *input = json_object_get(rec, "input"), *version = json_object_get(rec, "version"),
           *clinician = json_object_get(rec, "clinician");
    int rc = 0;
    if (!rec)
        rc = bad(rd->err, "DocumentReference %s: the record is not JSON: %s", url, jerr.text);
    else if (!format || strcmp(format, RECORD_FORMAT) != 0 || !json_is_integer(version) ||
             json_integer_value(version) != 1)
        rc = bad(rd->err, "DocumentReference %s: not a tpt record of version 1", url);
    else if (!is_time(at))
        rc = bad(rd->err, "DocumentReference %s: the record's time '%s' is not as tpt writes it",
                 url, at ? at : "");
    else if (!summary || !body || !(json_is_string(input) || json_is_null(input)))
        rc = bad(rd->err, "DocumentReference %s: the record needs a summary, a body and an input",
                 url);
    else if (clinician && !json_is_boolean(clinician))
        rc = bad(rd->err, "DocumentReference %s: \"clinician\" is true or false", url);
    if (!rc) {
        int k = -1;
        for (int i = 0; kind && i < TPT_RECORD_KIND_COUNT; i++)
            if (strcmp(kind, tpt_record_kind_name((tpt_record_kind)i)) == 0) k = i;
        if (k < 0)
            rc = bad(rd->err, "DocumentReference %s: unknown kind of record '%s'", url,
                     kind ? kind : "");
        r->kind = (tpt_record_kind)(k < 0 ? 0 : k);
    }
    if (!rc) {
        snprintf(r->at, sizeof r->at, "%s", at);
        r->clinician = json_is_true(clinician);
        r->summary = dup(summary);
        r->json = dup(body);
        r->input = dup(json_string_value(input));
        if (!r->summary || !r->json || (json_is_string(input) && !r->input)) rc = nomem(rd->err);
    }
    json_decref(rec);
    return rc;
}

/* "WHAT URL: " before the sentence a library call left in the reader's error. */
static int in_resource(reader *rd, const char *what, const char *url)
{
    char why[sizeof rd->err->message];
    snprintf(why, sizeof why, "%s", rd->err->message);
    return bad(rd->err, "%s %s: %.400s", what, url, why);
}

/* Whether a CodeableConcept's first coding is one of tpt's score-ID codes. */
static int is_score_code(const json_t *concept_)
{
    json_t *c = json_array_get(json_object_get(concept_, "coding"), 0);
    const char *system = tpt__fhir_str(c, "system"), *value = tpt__fhir_str(c, "code");
    return system && value && strcmp(system, SYS_TPT) == 0 && strncmp(value, "score-", 6) == 0;
}

/* An outcome measure: the score Observation `o` and the QuestionnaireResponse
 * it is derived from. The answers are scored again, so that a score that is
 * not the answers' is refused; names go only with the items that take one. */
static int read_measure(reader *rd, const char *url, json_t *o, tpt_measure *m)
{
    memset(m, 0, sizeof *m);
    const char *from =
        tpt__fhir_str(json_array_get(json_object_get(o, "derivedFrom"), 0), "reference");
    json_t *qr = find(rd, from);
    const char *q = tpt__fhir_str(qr, "questionnaire"), *at = tpt__fhir_str(qr, "authored");
    if (!qr || strcmp(tpt__fhir_str(qr, "resourceType"), "QuestionnaireResponse") != 0 || !q ||
        strncmp(q, QUESTIONNAIRE_PREFIX, strlen(QUESTIONNAIRE_PREFIX)) != 0)
        return bad(rd->err,
                   "Observation %s: a score needs the QuestionnaireResponse it is "
                   "derived from in the Bundle",
                   url);
    if (!is_time(at))
        return bad(rd->err,
                   "QuestionnaireResponse %s: authored '%s' is not a time as tpt writes it", from,
                   at ? at : "");
    if (!rd->instruments && !(rd->instruments = tpt_instruments_default(rd->err)))
        return rd->err->status;
    const char *id = q + strlen(QUESTIONNAIRE_PREFIX);
    const tpt_instrument *in = tpt_instrument_find(rd->instruments, id);
    if (!in)
        return bad(rd->err, "QuestionnaireResponse %s: no instrument '%.64s' in tpt", from, id);
    snprintf(m->instrument, sizeof m->instrument, "%s", in->id);
    snprintf(m->at, sizeof m->at, "%s", at);
    json_t *answers = json_object(), *names = json_object();
    tpt_item_answer given[TPT_INSTRUMENT_MAX_ITEMS];
    size_t n = 0;
    int rc = 0;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(qr, "item"), i, item)
    {
        const char *link = tpt__fhir_str(item, "linkId"), *name = tpt__fhir_str(item, "text");
        json_t *answer = json_array_get(json_object_get(item, "answer"), 0);
        json_t *v = json_object_get(answer, "valueInteger");
        if (!v) v = json_object_get(answer, "valueDecimal");
        if (!link || !json_is_number(v) || n == TPT_INSTRUMENT_MAX_ITEMS) {
            rc = bad(rd->err, "QuestionnaireResponse %s: item %zu needs a linkId and a number",
                     from, i + 1);
            break;
        }
        if (name && tpt_instrument_check_name(in, link, name, rd->err) != 0) {
            rc = in_resource(rd, "QuestionnaireResponse", from);
            break;
        }
        json_object_set(answers, link, v);
        if (name) json_object_set_new(names, link, json_string(name));
        given[n++] = (tpt_item_answer){link, json_number_value(v)};
    }
    tpt_score score;
    if (!rc && tpt_instrument_score(in, given, n, &score, rd->err) != 0)
        rc = in_resource(rd, "QuestionnaireResponse", from);
    json_t *value = json_object_get(json_object_get(o, "valueQuantity"), "value");
    if (!rc && (!json_is_number(value) ||
                fabs(json_number_value(value) - round(score.value * 10) / 10) > 1e-9))
        rc = bad(rd->err, "Observation %s: the score is not what the answers score", url);
    if (!rc) {
        m->score = score.value;
        snprintf(m->band, sizeof m->band, "%s", score.band ? score.band->id : "");
        m->answers = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
        if (json_object_size(names)) m->names = json_dumps(names, JSON_COMPACT | JSON_SORT_KEYS);
        if (!m->answers || (json_object_size(names) && !m->names)) rc = nomem(rd->err);
    }
    json_decref(answers);
    json_decref(names);
    return rc;
}

static const char *const known_types[] = {"Patient",   "Observation", "QuestionnaireResponse",
                                          "Procedure", "CarePlan",    "DocumentReference",
                                          NULL};

/* Where the Bundle differs from the one tpt makes of what was read. */
static int differs(reader *rd, const json_t *bundle, const json_t *again)
{
    json_t *a = json_object_get(bundle, "entry"), *b = json_object_get(again, "entry");
    size_t n = json_array_size(a), m = json_array_size(b);
    for (size_t i = 0; i < n && i < m; i++) {
        json_t *x = json_array_get(a, i), *y = json_array_get(b, i);
        if (json_equal(x, y)) continue;
        json_t *res = json_object_get(x, "resource");
        return bad(rd->err,
                   "entry %zu (%s %s) is not what tpt exports for the data in this file: tpt "
                   "imports its own exports, unchanged",
                   i + 1, tpt__fhir_str(res, "resourceType"),
                   tpt__fhir_str(x, "fullUrl") ? tpt__fhir_str(x, "fullUrl") : "?");
    }
    if (n != m)
        return bad(rd->err,
                   "the Bundle has %zu entries where tpt's export of the same data has %zu: "
                   "tpt imports its own exports, unchanged",
                   n, m);
    return bad(rd->err, "the Bundle's id, meta or other members differ from tpt's export: tpt "
                        "imports its own exports, unchanged");
}

int tpt_fhir_read(const json_t *bundle, tpt_log_list *log, tpt_record_list *records,
                  tpt_measure_list *measures, tpt_error *err)
{
    memset(log, 0, sizeof *log);
    memset(records, 0, sizeof *records);
    memset(measures, 0, sizeof *measures);
    const char *type = tpt__fhir_str(bundle, "resourceType");
    if (!json_is_object(bundle) || !type)
        return bad(err, "this is not a FHIR resource (no resourceType): tpt import reads a Bundle "
                        "made by tpt export --fhir");
    if (strcmp(type, "Bundle") != 0)
        return bad(err,
                   "this is a FHIR %.64s, not a Bundle: tpt import reads a Bundle made by "
                   "tpt export --fhir",
                   type);
    const char *kind = tpt__fhir_str(bundle, "type");
    if (!kind || strcmp(kind, "collection") != 0)
        return bad(err, "the Bundle is of type '%.64s': a tpt export is a collection",
                   kind ? kind : "");
    json_t *tag = json_array_get(json_object_get(json_object_get(bundle, "meta"), "tag"), 0);
    if (!tpt__fhir_str(tag, "code") || strcmp(tpt__fhir_str(tag, "code"), EXPORT_TAG) != 0)
        return bad(err, "the Bundle was not made by tpt export --fhir (no %s tag)", EXPORT_TAG);
    json_t *entries = json_object_get(bundle, "entry");
    if (!json_is_array(entries)) return bad(err, "the Bundle has no entries");

    reader rd = {.n = json_array_size(entries), .err = err};
    rd.slots = calloc(rd.n + 1, sizeof *rd.slots);
    log->items = calloc(rd.n + 1, sizeof *log->items);
    records->items = calloc(rd.n + 1, sizeof *records->items);
    measures->items = calloc(rd.n + 1, sizeof *measures->items);
    int rc = 0;
    if (!rd.slots || !log->items || !records->items || !measures->items) rc = nomem(err);
    size_t patients = 0;
    for (size_t i = 0; !rc && i < rd.n; i++) {
        json_t *e = json_array_get(entries, i), *res = json_object_get(e, "resource");
        const char *url = tpt__fhir_str(e, "fullUrl"), *rtype = tpt__fhir_str(res, "resourceType");
        if (!url || !json_is_object(res) || !rtype) {
            rc = bad(err, "entry %zu needs a fullUrl and a resource with a resourceType", i + 1);
            break;
        }
        int known = 0;
        for (int k = 0; known_types[k]; k++)
            known |= strcmp(rtype, known_types[k]) == 0;
        if (!known)
            rc = bad(err,
                     "entry %zu is a %.64s: tpt import reads only the resources tpt export writes "
                     "(Patient, Observation, QuestionnaireResponse, Procedure, CarePlan, "
                     "DocumentReference)",
                     i + 1, rtype);
        patients += strcmp(rtype, "Patient") == 0;
        rd.slots[i] = (slot){url, res};
    }
    if (!rc && patients != 1)
        rc = bad(err, "the Bundle holds %zu patients: a tpt export holds one", patients);
    if (!rc) {
        qsort(rd.slots, rd.n, sizeof *rd.slots, slot_cmp);
        for (size_t i = 1; !rc && i < rd.n; i++)
            if (strcmp(rd.slots[i - 1].url, rd.slots[i].url) == 0)
                rc = bad(err, "two entries have the fullUrl %s", rd.slots[i].url);
    }
    for (size_t i = 0; !rc && i < rd.n; i++) {
        json_t *e = json_array_get(entries, i), *res = json_object_get(e, "resource");
        const char *url = tpt__fhir_str(e, "fullUrl"), *rtype = tpt__fhir_str(res, "resourceType");
        if (strcmp(rtype, "Observation") == 0 &&
            is_tpt_code(json_object_get(res, "code"), "daily-log")) {
            rc = read_log(&rd, url, res, &log->items[log->count]);
            log->count++; /* counted even when half read, so that it is freed */
        } else if (strcmp(rtype, "DocumentReference") == 0 &&
                   is_tpt_code(json_object_get(res, "type"), "record")) {
            rc = read_record(&rd, url, res, &records->items[records->count]);
            records->count++;
        } else if (strcmp(rtype, "Observation") == 0 &&
                   is_score_code(json_object_get(res, "code"))) {
            rc = read_measure(&rd, url, res, &measures->items[measures->count]);
            measures->count++;
        }
    }
    if (!rc) {
        json_t *again = tpt_fhir_bundle(log, records, measures, NULL);
        if (!again)
            rc = nomem(err);
        else if (!json_equal((json_t *)bundle, again))
            rc = differs(&rd, bundle, again);
        json_decref(again);
    }
    free(rd.slots);
    tpt_instruments_free(rd.instruments);
    if (rc) {
        tpt_log_list_free(log);
        tpt_record_list_free(records);
        tpt_measure_list_free(measures);
    }
    return rc;
}
