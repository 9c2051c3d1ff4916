/* libFuzzer harness: a FHIR Bundle given to tpt import (or read back from
 * an export). Whatever it holds, reading either refuses it with a reason or
 * gives lists that the export writes again and that read back the same;
 * what was read is imported into a fresh record in memory, and a second
 * import of the same finds everything already there. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record/fhir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void free_lists(tpt_log_list *log, tpt_record_list *records, tpt_measure_list *measures)
{
    tpt_log_list_free(log);
    tpt_record_list_free(records);
    tpt_measure_list_free(measures);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *bundle = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!bundle) return 0;
    tpt_log_list log;
    tpt_record_list records;
    tpt_measure_list measures;
    tpt_error err = {0};
    int rc = tpt_fhir_read(bundle, &log, &records, &measures, &err);
    json_decref(bundle);
    if (rc) {
        if (!err.message[0] || log.count || records.count || measures.count) abort();
        free_lists(&log, &records, &measures);
        return 0;
    }
    /* what was read is written again the same way and reads back */
    size_t replaced = 0;
    json_t *again = tpt_fhir_bundle(&log, &records, &measures, &replaced);
    if (!again) abort();
    tpt_log_list log2;
    tpt_record_list records2;
    tpt_measure_list measures2;
    if (tpt_fhir_read(again, &log2, &records2, &measures2, &err) != 0 || log2.count != log.count ||
        records2.count != records.count || measures2.count != measures.count)
        abort();
    json_decref(again);
    free_lists(&log2, &records2, &measures2);
    /* and goes into a record once */
    tpt_store *store;
    int64_t patient;
    tpt_fhir_import_counts first = {0}, second = {0};
    if (tpt_store_open(":memory:", &store, &err) != 0 ||
        tpt_store_patient_add(store, "Fuzz", 0, &patient, &err) != 0)
        abort();
    if (tpt_fhir_import(store, patient, &log, &records, &measures, &first, &err) == 0) {
        if (tpt_fhir_import(store, patient, &log, &records, &measures, &second, &err) != 0 ||
            second.log + second.records + second.measures != 0)
            abort();
    } else if (!err.message[0]) {
        abort();
    }
    tpt_store_close(store);
    free_lists(&log, &records, &measures);
    return 0;
}
