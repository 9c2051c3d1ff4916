/* The ids of the FHIR export: uuid-shaped hashes of what a resource holds
 * (fhir_internal.h says why). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/fhir_internal.h"

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

/* A string or its absence, length first so that fields cannot run together.
 * Text that is not UTF-8 is hashed as the export writes it (repaired), so
 * that what an import stores gets the id it came with. */
static void h_str(hasher *h, const char *s)
{
    size_t bad = 0;
    char *fixed = s ? tpt__fhir_utf8_repair(s, &bad) : NULL;
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

static void h_uuid(const hasher *h, tpt__uuid *out)
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

void tpt__fhir_derive(const tpt__uuid *base, const char *what, tpt__uuid *out)
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
static int number_ids(keyed *k, size_t n, tpt__uuid *out)
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
static tpt__uuid *content_ids(size_t n, const void *list,
                              void (*hash)(const void *, size_t, hasher *))
{
    if (n == 0) return NULL;
    tpt__uuid *ids = calloc(n, sizeof *ids);
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

tpt__uuid *tpt__fhir_log_ids(const tpt_log_list *log)
{
    return content_ids(log->count, log, log_item_hash);
}

tpt__uuid *tpt__fhir_record_ids(const tpt_record_list *records)
{
    return content_ids(records->count, records, record_item_hash);
}

tpt__uuid *tpt__fhir_measure_ids(const tpt_measure_list *measures)
{
    return content_ids(measures->count, measures, measure_item_hash);
}

void tpt__fhir_patient_id(tpt__uuid *out)
{
    hasher h;
    h_init(&h, "patient");
    h_uuid(&h, out);
}

void tpt__fhir_bundle_id(const json_t *entries, tpt__uuid *out)
{
    hasher h;
    h_init(&h, "bundle");
    for (size_t i = 0; i < json_array_size(entries); i++)
        h_str(&h, tpt__fhir_str(json_array_get(entries, i), "fullUrl"));
    h_uuid(&h, out);
}
