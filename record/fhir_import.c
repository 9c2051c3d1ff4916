/* Storing what fhir_read.c read: whatever the record does not hold yet,
 * known by the content-derived ids, in one transaction. */
#include <stdlib.h>
#include <string.h>

#include "record/fhir_internal.h"

static int uuid_cmp(const void *x, const void *y)
{
    return strcmp(((const tpt__uuid *)x)->s, ((const tpt__uuid *)y)->s);
}

static int has(const tpt__uuid *sorted, size_t n, const tpt__uuid *id)
{
    return n && bsearch(id, sorted, n, sizeof *sorted, uuid_cmp) != NULL;
}

/* The measures the record does not hold yet (by instrument, time and answers). */
static int add_measures(tpt_store *store, int64_t patient, const tpt_measure_list *measures,
                        tpt_fhir_import_counts *counts, tpt_error *err)
{
    tpt_measure_list have;
    int rc = tpt_store_measure_list(store, patient, &have, err);
    if (rc) return rc;
    tpt__uuid *have_ids = tpt__fhir_measure_ids(&have), *new_ids = tpt__fhir_measure_ids(measures);
    if ((have.count && !have_ids) || (measures->count && !new_ids))
        rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
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
                   const tpt_record_list *records, tpt_fhir_import_counts *counts, tpt_error *err)
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
    tpt__uuid *have_l = tpt__fhir_log_ids(&have_log), *have_r = tpt__fhir_record_ids(&have_records);
    tpt__uuid *new_l = tpt__fhir_log_ids(log), *new_r = tpt__fhir_record_ids(records);
    if ((have_log.count && !have_l) || (have_records.count && !have_r) || (log->count && !new_l) ||
        (records->count && !new_r))
        rc = tpt_error_set(err, TPT_ERR_NOMEM, "out of memory");
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

int tpt_fhir_import(tpt_store *store, int64_t patient, const tpt_log_list *log,
                    const tpt_record_list *records, const tpt_measure_list *measures,
                    tpt_fhir_import_counts *counts, tpt_error *err)
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
