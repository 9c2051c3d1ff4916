/* What the FHIR files of the record layer share (fhir.h is their face):
 * the codes and systems of the export, the content-derived ids, base64 and
 * UTF-8 repair, and reading stored JSON. Internal to record/. */
#ifndef TPT_RECORD_FHIR_INTERNAL_H
#define TPT_RECORD_FHIR_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "record/fhir.h"

#define SYS_TPT "urn:tpt:fhir:code"
#define SYS_LOINC "http://loinc.org"
#define SYS_SNOMED "http://snomed.info/sct"
#define SYS_UCUM "http://unitsofmeasure.org"
#define SYS_CATEGORY "http://terminology.hl7.org/CodeSystem/observation-category"
#define SCREEN_QUESTIONNAIRE "urn:tpt:fhir:questionnaire:red-flag-screen"
#define QUESTIONNAIRE_PREFIX "urn:tpt:fhir:questionnaire:"
/* The tag of the export format; a change to what the export holds or how ids
 * are made is a new tag. */
#define EXPORT_TAG "tpt-export-1"
#define RECORD_FORMAT "tpt-record"

/* ---- deterministic ids (fhir_ids.c) ---- */

/* Resource ids are uuid-shaped (version 8, RFC 9562) hashes of the content,
 * so that exporting twice, or exporting what an import stored, gives the same
 * ids, and an import can tell what a database already holds. */
typedef struct tpt__uuid {
    char s[37];
} tpt__uuid;

/* The ids of a list's items in their order (malloc'd; NULL when out of
 * memory or when there are none): two items alike in every field still get
 * ids of their own. */
tpt__uuid *tpt__fhir_log_ids(const tpt_log_list *log);
tpt__uuid *tpt__fhir_record_ids(const tpt_record_list *records);
tpt__uuid *tpt__fhir_measure_ids(const tpt_measure_list *measures);
void tpt__fhir_patient_id(tpt__uuid *out);
/* The id of something that belongs to the resource `base` ("leg", "view"). */
void tpt__fhir_derive(const tpt__uuid *base, const char *what, tpt__uuid *out);
/* The Bundle's own id: a hash of the fullUrls of its entries. */
void tpt__fhir_bundle_id(const json_t *entries, tpt__uuid *out);

/* ---- text (fhir_text.c) ---- */

/* base64 (FHIR's base64Binary); malloc'd, NULL when out of memory or, when
 * decoding, malformed (whitespace is allowed between groups). */
char *tpt__fhir_base64_encode(const char *data, size_t n);
char *tpt__fhir_base64_decode(const char *text, size_t *len);
/* The bytes of s that are well-formed UTF-8, each other byte replaced by
 * U+FFFD; *bad counts the replaced bytes. Malloc'd, NULL when out of memory. */
char *tpt__fhir_utf8_repair(const char *s, size_t *bad);

/* ---- reading stored JSON ---- */

static inline const char *tpt__fhir_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* 1 and the integer at key, or 0 when there is none. */
static inline int tpt__fhir_int(const json_t *o, const char *key, long long *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v)) return 0;
    *out = json_integer_value(v);
    return 1;
}

#endif
