/* FHIR R4: the person's record as a Bundle, and that Bundle read back.
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

#include "cli.h"

#define SYS_TPT "urn:tpt:fhir:code"
#define SYS_LOINC "http://loinc.org"
#define SYS_SNOMED "http://snomed.info/sct"
#define SYS_UCUM "http://unitsofmeasure.org"
#define SYS_CATEGORY "http://terminology.hl7.org/CodeSystem/observation-category"
#define SCREEN_QUESTIONNAIRE "urn:tpt:fhir:questionnaire:red-flag-screen"
/* The tag of the export format; a change to what the export holds or how ids
 * are made is a new tag. */
#define EXPORT_TAG "tpt-export-1"
#define RECORD_FORMAT "tpt-record"

/* ---- deterministic ids ---- */

/* Resource ids are uuid-shaped (version 8, RFC 9562) hashes of the content,
 * so that exporting twice, or exporting what an import stored, gives the same
 * ids, and an import can tell what a database already holds. */
typedef struct uuid {
    char s[37];
} uuid;

typedef struct hasher {
    uint64_t a, b;
} hasher;

static void h_init(hasher *h, const char *what)
{
    h->a = 0xcbf29ce484222325u;
    h->b = 0x6a09e667f3bcc909u;
    for (const unsigned char *c = (const unsigned char *)what; *c; c++) {
        h->a = (h->a ^ *c) * 0x100000001b3u;
        h->b = (h->b ^ *c) * 0xff51afd7ed558ccdu;
    }
}

static void h_bytes(hasher *h, const void *data, size_t n)
{
    const unsigned char *c = data;
    for (size_t i = 0; i < n; i++) {
        h->a = (h->a ^ c[i]) * 0x100000001b3u;
        uint64_t x = h->b ^ c[i];
        h->b = (x << 7 | x >> 57) * 0xff51afd7ed558ccdu;
    }
}

static void h_int(hasher *h, long long v)
{
    unsigned char buf[9] = {2};
    for (int i = 0; i < 8; i++)
        buf[1 + i] = (unsigned char)((unsigned long long)v >> (8 * i));
    h_bytes(h, buf, sizeof buf);
}

static char *utf8_repair(const char *s, size_t *bad);

/* A string or its absence, length first so that fields cannot run together.
 * Text that is not UTF-8 is hashed as the export writes it (repaired), so
 * that what an import stores gets the id it came with. */
static void h_str(hasher *h, const char *s)
{
    size_t bad = 0;
    char *fixed = s ? utf8_repair(s, &bad) : NULL;
    if (fixed && bad) s = fixed;
    if (!s) {
        h_bytes(h, "\0", 1);
        return;
    }
    h_int(h, (long long)strlen(s));
    h_bytes(h, s, strlen(s));
    free(fixed);
}

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void h_uuid(const hasher *h, uuid *out)
{
    uint64_t a = mix(h->a ^ (h->b << 32 | h->b >> 32)), b = mix(h->b + a);
    unsigned char u[16];
    for (int i = 0; i < 8; i++) {
        u[i] = (unsigned char)(a >> (56 - 8 * i));
        u[8 + i] = (unsigned char)(b >> (56 - 8 * i));
    }
    u[6] = (unsigned char)((u[6] & 0x0f) | 0x80);
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
    char *p = out->s;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
        p += sprintf(p, "%02x", u[i]);
    }
}

/* The id of something that belongs to the resource `base` ("leg", "view"). */
static void derive(const uuid *base, const char *what, uuid *out)
{
    hasher h;
    h_init(&h, "derived");
    h_str(&h, base->s);
    h_str(&h, what);
    h_uuid(&h, out);
}

/* Item i of a log by all its fields. */
static void log_item_hash(const void *list, size_t i, hasher *h)
{
    const tpt_log_entry *e = &((const tpt_log_list *)list)->items[i];
    h_init(h, "log");
    h_str(h, e->at);
    h_int(h, e->leg_pain);
    h_int(h, e->back_pain);
    h_int(h, e->sitting_minutes);
    h_int(h, e->walking_minutes);
    h_int(h, e->sleep_disturbed);
    h_str(h, e->medication);
    h_str(h, e->note);
}

/* Item i of the records by its kind, time, summary, input and body. */
static void record_item_hash(const void *list, size_t i, hasher *h)
{
    const tpt_record *r = &((const tpt_record_list *)list)->items[i];
    h_init(h, "record");
    h_str(h, tpt_record_kind_name(r->kind));
    h_str(h, r->at);
    h_str(h, r->summary);
    h_str(h, r->input);
    h_str(h, r->json);
}

/* A measure by its instrument, time and answers (its QuestionnaireResponse). */
static void measure_item_hash(const void *list, size_t i, hasher *h)
{
    const tpt_measure *m = &((const tpt_measure_list *)list)->items[i];
    h_init(h, "measure");
    h_str(h, m->instrument);
    h_str(h, m->at);
    h_str(h, m->answers);
}

typedef struct keyed {
    hasher h;
    size_t i;
} keyed;

static int keyed_cmp(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    if (a->h.a != b->h.a) return a->h.a < b->h.a ? -1 : 1;
    if (a->h.b != b->h.b) return a->h.b < b->h.b ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Two entries alike in every field (a double tap) still get ids of their own:
 * the second and later copies mix in their number. */
static int number_ids(keyed *k, size_t n, uuid *out)
{
    qsort(k, n, sizeof *k, keyed_cmp);
    for (size_t i = 0, copy = 0; i < n; i++) {
        copy = i > 0 && k[i].h.a == k[i - 1].h.a && k[i].h.b == k[i - 1].h.b ? copy + 1 : 0;
        hasher h = k[i].h;
        if (copy) h_int(&h, (long long)copy);
        h_uuid(&h, &out[k[i].i]);
    }
    free(k);
    return 0;
}

/* The ids of n items in their order, item i hashed by hash(list, i, h);
 * NULL when out of memory (or when there are none). */
static uuid *content_ids(size_t n, const void *list, void (*hash)(const void *, size_t, hasher *))
{
    if (n == 0) return NULL;
    uuid *ids = calloc(n, sizeof *ids);
    keyed *k = calloc(n, sizeof *k);
    if (!ids || !k) {
        free(ids);
        free(k);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        hash(list, i, &k[i].h);
        k[i].i = i;
    }
    number_ids(k, n, ids);
    return ids;
}

static uuid *log_ids(const tpt_log_list *log)
{
    return content_ids(log->count, log, log_item_hash);
}

static uuid *record_ids(const tpt_record_list *records)
{
    return content_ids(records->count, records, record_item_hash);
}

static uuid *measure_ids(const tpt_measure_list *measures)
{
    return content_ids(measures->count, measures, measure_item_hash);
}

static void patient_id(uuid *out)
{
    hasher h;
    h_init(&h, "patient");
    h_uuid(&h, out);
}

/* ---- base64 (FHIR's base64Binary) ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *base64_encode(const char *data, size_t n)
{
    char *out = malloc((n + 2) / 3 * 4 + 1), *p = out;
    if (!out) return NULL;
    const unsigned char *d = (const unsigned char *)data;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) |
                     (i + 2 < n ? d[i + 2] : 0);
        *p++ = b64[v >> 18 & 63];
        *p++ = b64[v >> 12 & 63];
        *p++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
        *p++ = i + 2 < n ? b64[v & 63] : '=';
    }
    *p = '\0';
    return out;
}

/* Decodes base64 (whitespace allowed between groups); NULL when malformed. */
static char *base64_decode(const char *text, size_t *len)
{
    size_t n = strlen(text);
    char *out = malloc(n / 4 * 3 + 1);
    if (!out) return NULL;
    unsigned v = 0;
    size_t k = 0, used = 0, pad = 0;
    for (const char *c = text; *c; c++) {
        if (*c == ' ' || *c == '\n' || *c == '\r' || *c == '\t') continue;
        const char *at = *c ? strchr(b64, *c) : NULL;
        if (*c == '=' && (k % 4 == 2 || k % 4 == 3)) {
            pad++;
            v <<= 6;
        } else if (at && !pad) {
            v = v << 6 | (unsigned)(at - b64);
        } else {
            free(out);
            return NULL;
        }
        if (++k % 4 == 0) {
            out[used++] = (char)(v >> 16 & 255);
            if (pad < 2) out[used++] = (char)(v >> 8 & 255);
            if (pad < 1) out[used++] = (char)(v & 255);
            v = 0;
            if (pad && c[1]) { /* padding ends the data */
                const char *rest = c + 1;
                while (*rest == ' ' || *rest == '\n' || *rest == '\r' || *rest == '\t')
                    rest++;
                if (*rest) {
                    free(out);
                    return NULL;
                }
                break;
            }
        }
    }
    if (k % 4 != 0) {
        free(out);
        return NULL;
    }
    out[used] = '\0';
    *len = used;
    return out;
}

/* ---- building resources ---- */

typedef struct builder {
    int failed;      /* out of memory somewhere */
    size_t replaced; /* texts that were not UTF-8 */
    uuid patient;
} builder;

/* The bytes of s that are well-formed UTF-8, each other byte replaced by
 * U+FFFD; *bad counts the replaced bytes. */
static char *utf8_repair(const char *s, size_t *bad)
{
    *bad = 0;
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1), *p = out;
    if (!out) return NULL;
    const unsigned char *c = (const unsigned char *)s;
    while (*c) {
        size_t len = 0;
        unsigned cp = 0;
        if (*c < 0x80)
            len = 1, cp = *c;
        else if ((*c & 0xe0) == 0xc0)
            len = 2, cp = *c & 0x1f;
        else if ((*c & 0xf0) == 0xe0)
            len = 3, cp = *c & 0x0f;
        else if ((*c & 0xf8) == 0xf0)
            len = 4, cp = *c & 0x07;
        int ok = len > 0;
        for (size_t i = 1; ok && i < len; i++) {
            ok = (c[i] & 0xc0) == 0x80;
            cp = cp << 6 | (c[i] & 0x3f);
        }
        static const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
        if (ok && (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = 0;
        if (ok) {
            memcpy(p, c, len);
            p += len;
            c += len;
        } else {
            memcpy(p, "\xef\xbf\xbd", 3);
            p += 3;
            c++;
            ++*bad;
        }
    }
    *p = '\0';
    return out;
}

static json_t *str(builder *b, const char *s)
{
    json_t *v = json_string(s);
    if (v) return v;
    size_t bad;
    char *fixed = utf8_repair(s, &bad);
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

static json_t *reference(builder *b, const uuid *id)
{
    char url[64];
    snprintf(url, sizeof url, "urn:uuid:%s", id->s);
    json_t *r = json_object();
    set_str(b, r, "reference", url);
    return r;
}

static json_t *resource(builder *b, const char *type, const uuid *id)
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

static void add_entry(builder *b, json_t *entries, const uuid *id, json_t *res)
{
    char url[64];
    snprintf(url, sizeof url, "urn:uuid:%s", id->s);
    json_t *e = json_object();
    set_str(b, e, "fullUrl", url);
    set(b, e, "resource", res);
    push(b, entries, e);
}

static json_t *survey(builder *b)
{
    return one(b, concept(b, coding(b, SYS_CATEGORY, "survey", "Survey"), NULL));
}

/* A text that grows by appending, for notes and descriptions. */
typedef struct text {
    char *s;
    size_t len, cap;
    int failed;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || t->failed) return;
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = (t->len + (size_t)n + 1) * 2;
        char *s = realloc(t->s, cap);
        if (!s) {
            t->failed = 1;
            return;
        }
        t->s = s;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* The text, or NULL when it is empty; freed by the caller. */
static char *take(builder *b, text *t)
{
    if (t->failed) b->failed = 1;
    if (t->failed || t->len == 0) {
        free(t->s);
        return NULL;
    }
    return t->s;
}

/* ---- reading stored JSON ---- */

static const char *get_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int get_int(const json_t *o, const char *key, long long *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v)) return 0;
    *out = json_integer_value(v);
    return 1;
}

/* A number as a person reads it: 0.7, 12, 1234.5 (never 1.23e+03), the
 * fewest decimals that give the same number back. */
static void number_text(double v, char *out, size_t size)
{
    double mag = v < 0 ? -v : v;
    if (mag >= 1e15 || (mag > 0 && mag < 1e-6)) {
        snprintf(out, size, "%.17g", v);
        return;
    }
    for (int decimals = 0; decimals <= 17; decimals++) {
        snprintf(out, size, "%.*f", decimals, v);
        if (strtod(out, NULL) == v) return;
    }
}

void cli_number_text(const json_t *v, char *out, size_t size)
{
    if (json_is_integer(v))
        snprintf(out, size, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        number_text(json_real_value(v), out, size);
    else
        snprintf(out, size, "%s", "");
}

static const char *side_word(const char *side)
{
    if (!side) return NULL;
    return strcmp(side, "l") == 0 ? "left" : strcmp(side, "r") == 0 ? "right" : side;
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

static json_t *pain(builder *b, const uuid *id, const char *at, int leg, int value, int legs)
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

static void add_log_entry(builder *b, json_t *entries, const tpt_log_entry *e, const uuid *id,
                          int legs)
{
    uuid leg, back;
    derive(id, "leg", &leg);
    derive(id, "back", &back);
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

static json_t *screen_response(builder *b, const tpt_record *r, const uuid *id)
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

static json_t *drawing_observation(builder *b, const tpt_record *r, const uuid *id)
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
    text t = {0};
    const char *pattern = get_str(result, "pattern");
    if (pattern) add(&t, "Pattern: %s.", pattern);
    json_t *candidates = json_object_get(result, "candidates");
    for (size_t i = 0, shown = 0; i < json_array_size(candidates) && shown < 3; i++) {
        json_t *c = json_array_get(candidates, i);
        const char *label = get_str(c, "label"), *side = side_word(get_str(c, "side"));
        json_t *p = json_object_get(c, "probability");
        if (!label) continue;
        add(&t, "%s%s", shown++ ? "; " : t.len ? " Most likely: " : "Most likely: ", label);
        if (side) add(&t, ", %s", side);
        if (json_is_number(p)) add(&t, " (%.0f%%)", json_number_value(p) * 100);
    }
    if (t.len && t.s[t.len - 1] != '.') add(&t, ".");
    json_decref(result);
    char *note = take(b, &t);
    if (note) set(b, o, "note", one(b, annotation(b, note)));
    free(note);
    return o;
}

static json_t *session_procedure(builder *b, const tpt_record *r, const uuid *id, const uuid *plan)
{
    json_t *summary = json_loads(r->json, 0, NULL);
    const char *end = get_str(summary, "end");
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
    text t = {0};
    long long before, after, done, total, skipped;
    if (get_int(summary, "pain_before", &before)) add(&t, "Pain before %lld/10", before);
    if (get_int(summary, "pain_after", &after))
        add(&t, "%s %lld/10", t.len ? ", after" : "Pain after", after);
    if (t.len) add(&t, ".");
    if (get_int(summary, "steps_done", &done) && get_int(summary, "steps_total", &total))
        add(&t, "%s%lld of %lld steps done", t.len ? " " : "", done, total);
    if (get_int(summary, "steps_skipped", &skipped) && skipped) add(&t, ", %lld skipped", skipped);
    json_t *seconds = json_object_get(summary, "seconds");
    if (json_is_number(seconds)) {
        char num[64];
        cli_number_text(seconds, num, sizeof num);
        add(&t, "%sin %s s", t.len ? " " : "", num);
    }
    if (t.len) add(&t, ".");
    add(&t, "%sEnded: %s.", t.len ? " " : "", end);
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
static json_t *care_plan(builder *b, const tpt_record *r, const uuid *id, const uuid *replaces,
                         const char *status, const char *activity_status)
{
    json_t *plan = json_loads(r->json, 0, NULL);
    json_t *o = resource(b, "CarePlan", id);
    set_str(b, o, "status", status);
    set_str(b, o, "intent", "plan");
    set_str(b, o, "title", "Trigger point treatment plan");
    text t = {0};
    const char *pattern = get_str(plan, "pattern");
    if (pattern) add(&t, "Pattern: %s.", pattern);
    json_t *causes = json_object_get(plan, "causes");
    size_t named = 0;
    for (size_t i = 0; i < json_array_size(causes); i++) {
        json_t *c = json_array_get(causes, i);
        const char *label = get_str(c, "label"), *side = side_word(get_str(c, "side"));
        if (!label) continue;
        add(&t, "%s%s", named++ ? "; " : t.len ? " Causes: " : "Causes: ", label);
        if (side) add(&t, ", %s", side);
    }
    if (named) add(&t, ".");
    json_t *advice = json_object_get(plan, "advice");
    for (size_t i = 0; i < json_array_size(advice); i++)
        if (json_is_string(json_array_get(advice, i)))
            add(&t, "%s%s", t.len ? " " : "", json_string_value(json_array_get(advice, i)));
    char *description = take(b, &t);
    set_str(b, o, "description", description ? description : "A treatment plan made by tpt.");
    free(description);
    set(b, o, "subject", reference(b, &b->patient));
    set_str(b, o, "created", r->at);
    if (replaces) set(b, o, "replaces", one(b, reference(b, replaces)));

    json_t *activities = json_array();
    json_t *home = json_object_get(plan, "home");
    long long per_day = 0;
    get_int(home, "sessions_per_day", &per_day);
    json_t *steps = json_object_get(home, "steps");
    for (size_t i = 0; i < json_array_size(steps); i++) {
        json_t *s = json_array_get(steps, i);
        const char *title = get_str(s, "title");
        if (!title) continue;
        text d = {0}, when = {0};
        const char *where = get_str(s, "placement"), *how = get_str(s, "instructions");
        if (where) add(&d, "Where: %s", where);
        if (how) add(&d, "%s%s", d.len ? " " : "", how);
        long long hold = 0, rest = 0, repeats = 1;
        get_int(s, "hold_seconds", &hold);
        get_int(s, "rest_seconds", &rest);
        get_int(s, "repeats", &repeats);
        if (repeats > 1) add(&when, "%lld x ", repeats);
        if (hold) add(&when, "%lld %s", duration(hold), unit(hold));
        if (rest) add(&when, ", %lld %s rest between", duration(rest), unit(rest));
        if (per_day) add(&when, "%s%lld sessions a day", when.len ? "; " : "", per_day);
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
        const char *label = get_str(c, "label"), *side = side_word(get_str(c, "side"));
        json_t *modalities = json_object_get(c, "modalities");
        for (size_t k = 0; k < json_array_size(modalities); k++) {
            json_t *m = json_array_get(modalities, k);
            const char *modality = get_str(m, "modality");
            if (!modality) continue;
            text title = {0};
            add(&title, "In the clinic: %s", modality);
            if (label) add(&title, " for %s%s%s", label, side ? ", " : "", side ? side : "");
            char *name = take(b, &title);
            push(b, activities, activity(b, name, get_str(m, "detail"), NULL, activity_status));
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
        const char *rule = get_str(json_array_get(rules, i), "text");
        if (rule) push(b, notes, annotation(b, rule));
    }
    const char *notice = get_str(plan, "notice");
    if (notice) push(b, notes, annotation(b, notice));
    if (json_array_size(notes))
        set(b, o, "note", notes);
    else
        json_decref(notes);
    json_decref(plan);
    return o;
}

/* The record as it is stored, as the attachment of a DocumentReference. */
static json_t *record_document(builder *b, const tpt_record *r, const uuid *id, const uuid *view)
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
    char *dumped = raw ? json_dumps(raw, JSON_COMPACT) : NULL;
    json_decref(raw);
    char *data = dumped ? base64_encode(dumped, strlen(dumped)) : NULL;
    free(dumped);
    if (!data) b->failed = 1;

    char label[64], title[64];
    snprintf(label, sizeof label, "tpt %s record", kind);
    snprintf(title, sizeof title, "tpt-%s.json", kind);
    text d = {0};
    add(&d, "The %s as tpt keeps it (%s), for tpt import", kind, r->summary);
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

static void add_measure(builder *b, json_t *entries, const tpt_measure *m, const uuid *response)
{
    uuid score;
    derive(response, "score", &score);
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

json_t *cli_fhir_bundle(const tpt_log_list *log, const tpt_record_list *records,
                        const tpt_measure_list *measures, size_t *replaced)
{
    builder b = {0};
    patient_id(&b.patient);
    uuid *lids = log_ids(log), *rids = record_ids(records);
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

    /* A red flag standing in the record puts the plan in force on hold. */
    tpt_level standing;
    char *standing_advice;
    bool on_hold = cli_standing_flags(records, &standing, &standing_advice) > 0 &&
                   standing >= TPT_LEVEL_URGENT;
    free(standing_advice);
    for (size_t i = 0; !b.failed && i < n; i++) {
        const tpt_record *r = &records->items[i];
        uuid view, plan_view, prev_view;
        derive(&rids[i], "view", &view);
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
            if (plan_of[i] != SIZE_MAX) derive(&rids[plan_of[i]], "view", &prev_view);
            res = care_plan(&b, r, &view, plan_of[i] != SIZE_MAX ? &prev_view : NULL,
                            !latest   ? "revoked"
                            : on_hold ? "on-hold"
                                      : "active",
                            activity);
            break;
        }
        case TPT_RECORD_SESSION:
            if (plan_of[i] != SIZE_MAX) derive(&rids[plan_of[i]], "view", &plan_view);
            res = session_procedure(&b, r, &view, plan_of[i] != SIZE_MAX ? &plan_view : NULL);
            break;
        default:
            b.failed = 1;
        }
        add_entry(&b, entries, &view, res);
        add_entry(&b, entries, &rids[i], record_document(&b, r, &rids[i], &view));
    }

    uuid *mids = measures ? measure_ids(measures) : NULL;
    if (measures && measures->count && !mids) b.failed = 1;
    for (size_t i = 0; !b.failed && measures && i < measures->count; i++)
        add_measure(&b, entries, &measures->items[i], &mids[i]);
    free(mids);

    /* the Bundle's own id: a hash of what it holds */
    hasher h;
    h_init(&h, "bundle");
    for (size_t i = 0; i < json_array_size(entries); i++)
        h_str(&h, get_str(json_array_get(entries, i), "fullUrl"));
    uuid id;
    h_uuid(&h, &id);
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

/* ---- reading a Bundle back ---- */

static int bad(tpt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(tpt_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->status = TPT_ERR_INPUT;
    return err->status;
}

static int nomem(tpt_error *err)
{
    snprintf(err->message, sizeof err->message, "out of memory");
    err->status = TPT_ERR_NOMEM;
    return err->status;
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

static int is_time(const char *at)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (!at || strlen(at) != sizeof shape - 1) return 0;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? at[i] < '0' || at[i] > '9' : at[i] != shape[i]) return 0;
    return 1;
}

/* Whether a CodeableConcept's first coding is tpt's `code`. */
static int is_tpt_code(const json_t *concept_, const char *code)
{
    json_t *c = json_array_get(json_object_get(concept_, "coding"), 0);
    const char *system = get_str(c, "system"), *value = get_str(c, "code");
    return system && value && strcmp(system, SYS_TPT) == 0 && strcmp(value, code) == 0;
}

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int read_pain(reader *rd, const char *url, const char *member, tpt_log_entry *e)
{
    json_t *o = find(rd, member);
    const char *type = get_str(o, "resourceType");
    if (!o || !type || strcmp(type, "Observation") != 0)
        return bad(rd->err, "Observation %s: its member %s is not an Observation in the Bundle",
                   url, member ? member : "(no reference)");
    const char *what = get_str(json_object_get(o, "code"), "text");
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
    const char *at = get_str(o, "effectiveDateTime");
    if (!is_time(at))
        return bad(rd->err,
                   "Observation %s: effectiveDateTime '%s' is not a time as tpt writes it "
                   "(2026-11-21T08:30:00Z)",
                   url, at ? at : "");
    snprintf(e->at, sizeof e->at, "%s", at);
    int rc;
    json_t *members = json_object_get(o, "hasMember");
    for (size_t i = 0; i < json_array_size(members); i++)
        if ((rc = read_pain(rd, url, get_str(json_array_get(members, i), "reference"), e)))
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
            const char *s = get_str(c, "valueString");
            if (!s) return bad(rd->err, "Observation %s: medication must be text", url);
            if (!(e->medication = dup(s))) return nomem(rd->err);
        } else {
            return bad(rd->err, "Observation %s: a log entry has no component '%s'", url,
                       get_str(code, "text") ? get_str(code, "text") : "?");
        }
    }
    json_t *notes = json_object_get(o, "note");
    if (json_array_size(notes) > 0) {
        const char *s = get_str(json_array_get(notes, 0), "text");
        if (!s) return bad(rd->err, "Observation %s: the note must be text", url);
        if (!(e->note = dup(s))) return nomem(rd->err);
    }
    return 0;
}

static int read_record(reader *rd, const char *url, json_t *o, tpt_record *r)
{
    memset(r, 0, sizeof *r);
    json_t *content = json_array_get(json_object_get(o, "content"), 0);
    const char *data = get_str(json_object_get(content, "attachment"), "data");
    if (!data) return bad(rd->err, "DocumentReference %s: the record is missing", url);
    size_t len;
    char *raw = base64_decode(data, &len);
    if (!raw) return bad(rd->err, "DocumentReference %s: the record is not valid base64", url);
    json_error_t jerr;
    json_t *rec = json_loadb(raw, len, JSON_REJECT_DUPLICATES, &jerr);
    free(raw);
    const char *format = get_str(rec, "format"), *kind = get_str(rec, "kind"),
               *at = get_str(rec, "at"), *summary = get_str(rec, "summary"),
               *body = get_str(rec, "body");
    json_t *input = json_object_get(rec, "input"), *version = json_object_get(rec, "version");
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
        r->summary = dup(summary);
        r->json = dup(body);
        r->input = dup(json_string_value(input));
        if (!r->summary || !r->json || (json_is_string(input) && !r->input)) rc = nomem(rd->err);
    }
    json_decref(rec);
    return rc;
}

#define QUESTIONNAIRE_PREFIX "urn:tpt:fhir:questionnaire:"

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
    const char *system = get_str(c, "system"), *value = get_str(c, "code");
    return system && value && strcmp(system, SYS_TPT) == 0 && strncmp(value, "score-", 6) == 0;
}

/* An outcome measure: the score Observation `o` and the QuestionnaireResponse
 * it is derived from. The answers are scored again, so that a score that is
 * not the answers' is refused; names go only with the items that take one. */
static int read_measure(reader *rd, const char *url, json_t *o, tpt_measure *m)
{
    memset(m, 0, sizeof *m);
    const char *from = get_str(json_array_get(json_object_get(o, "derivedFrom"), 0), "reference");
    json_t *qr = find(rd, from);
    const char *q = get_str(qr, "questionnaire"), *at = get_str(qr, "authored");
    if (!qr || strcmp(get_str(qr, "resourceType"), "QuestionnaireResponse") != 0 || !q ||
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
        const char *link = get_str(item, "linkId"), *name = get_str(item, "text");
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
                   i + 1, get_str(res, "resourceType"),
                   get_str(x, "fullUrl") ? get_str(x, "fullUrl") : "?");
    }
    if (n != m)
        return bad(rd->err,
                   "the Bundle has %zu entries where tpt's export of the same data has %zu: "
                   "tpt imports its own exports, unchanged",
                   n, m);
    return bad(rd->err, "the Bundle's id, meta or other members differ from tpt's export: tpt "
                        "imports its own exports, unchanged");
}

int cli_fhir_read(const json_t *bundle, tpt_log_list *log, tpt_record_list *records,
                  tpt_measure_list *measures, tpt_error *err)
{
    memset(log, 0, sizeof *log);
    memset(records, 0, sizeof *records);
    memset(measures, 0, sizeof *measures);
    const char *type = get_str(bundle, "resourceType");
    if (!json_is_object(bundle) || !type)
        return bad(err, "this is not a FHIR resource (no resourceType): tpt import reads a Bundle "
                        "made by tpt export --fhir");
    if (strcmp(type, "Bundle") != 0)
        return bad(err,
                   "this is a FHIR %.64s, not a Bundle: tpt import reads a Bundle made by "
                   "tpt export --fhir",
                   type);
    const char *kind = get_str(bundle, "type");
    if (!kind || strcmp(kind, "collection") != 0)
        return bad(err, "the Bundle is of type '%.64s': a tpt export is a collection",
                   kind ? kind : "");
    json_t *tag = json_array_get(json_object_get(json_object_get(bundle, "meta"), "tag"), 0);
    if (!get_str(tag, "code") || strcmp(get_str(tag, "code"), EXPORT_TAG) != 0)
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
        const char *url = get_str(e, "fullUrl"), *rtype = get_str(res, "resourceType");
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
        const char *url = get_str(e, "fullUrl"), *rtype = get_str(res, "resourceType");
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
        json_t *again = cli_fhir_bundle(log, records, measures, NULL);
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

/* ---- import ---- */

static int uuid_cmp(const void *x, const void *y)
{
    return strcmp(((const uuid *)x)->s, ((const uuid *)y)->s);
}

static int has(const uuid *sorted, size_t n, const uuid *id)
{
    return n && bsearch(id, sorted, n, sizeof *sorted, uuid_cmp) != NULL;
}

/* The measures the record does not hold yet (by instrument, time and answers). */
static int add_measures(tpt_store *store, int64_t patient, const tpt_measure_list *measures,
                        cli_import_counts *counts, tpt_error *err)
{
    tpt_measure_list have;
    int rc = tpt_store_measure_list(store, patient, &have, err);
    if (rc) return rc;
    uuid *have_ids = measure_ids(&have), *new_ids = measure_ids(measures);
    if ((have.count && !have_ids) || (measures->count && !new_ids)) rc = nomem(err);
    if (have_ids) qsort(have_ids, have.count, sizeof *have_ids, uuid_cmp);
    for (size_t i = 0; !rc && i < measures->count; i++) {
        if (has(have_ids, have.count, &new_ids[i])) {
            counts->present++;
            continue;
        }
        tpt_measure m = measures->items[i];
        m.patient = patient;
        if (!(rc = tpt_store_measure_add(store, &m, NULL, err))) counts->measures++;
    }
    free(have_ids);
    free(new_ids);
    tpt_measure_list_free(&have);
    return rc;
}

static int add_all(tpt_store *store, int64_t patient, const tpt_log_list *log,
                   const tpt_record_list *records, cli_import_counts *counts, tpt_error *err)
{
    /* what the record already holds, read inside the transaction */
    tpt_log_list have_log;
    tpt_record_list have_records;
    int rc = tpt_store_log_list(store, patient, &have_log, err);
    if (rc) return rc;
    if ((rc = tpt_store_record_list(store, patient, -1, &have_records, err))) {
        tpt_log_list_free(&have_log);
        return rc;
    }
    uuid *have_l = log_ids(&have_log), *have_r = record_ids(&have_records);
    uuid *new_l = log_ids(log), *new_r = record_ids(records);
    if ((have_log.count && !have_l) || (have_records.count && !have_r) || (log->count && !new_l) ||
        (records->count && !new_r))
        rc = nomem(err);
    if (have_l) qsort(have_l, have_log.count, sizeof *have_l, uuid_cmp);
    if (have_r) qsort(have_r, have_records.count, sizeof *have_r, uuid_cmp);
    for (size_t i = 0; !rc && i < log->count; i++) {
        if (has(have_l, have_log.count, &new_l[i])) {
            counts->present++;
            continue;
        }
        tpt_log_entry e = log->items[i];
        e.patient = patient;
        if (!(rc = tpt_store_log_add(store, &e, NULL, err))) counts->log++;
    }
    for (size_t i = 0; !rc && i < records->count; i++) {
        if (has(have_r, have_records.count, &new_r[i])) {
            counts->present++;
            continue;
        }
        tpt_record r = records->items[i];
        r.patient = patient;
        if (!(rc = tpt_store_record_add(store, &r, NULL, err))) counts->records++;
    }
    free(have_l);
    free(have_r);
    free(new_l);
    free(new_r);
    tpt_log_list_free(&have_log);
    tpt_record_list_free(&have_records);
    return rc;
}

int cli_fhir_import(tpt_store *store, int64_t patient, const tpt_log_list *log,
                    const tpt_record_list *records, const tpt_measure_list *measures,
                    cli_import_counts *counts, tpt_error *err)
{
    memset(counts, 0, sizeof *counts);
    int rc = tpt_store_begin(store, err);
    if (rc) return rc;
    rc = add_all(store, patient, log, records, counts, err);
    if (!rc) rc = add_measures(store, patient, measures, counts, err);
    if (!rc) rc = tpt_store_commit(store, err);
    if (rc) {
        tpt_store_rollback(store);
        memset(counts, 0, sizeof *counts);
    }
    return rc;
}
