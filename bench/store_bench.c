/* The record benchmark: builds a database of PATIENTS patients with DAYS daily
 * log entries each in one transaction (the bulk import rate), then times
 * reading one patient's whole log, as tpt progress and tpt report do.
 *
 *     store_bench DB [PATIENTS [DAYS [QUERIES]]]     (defaults 10000 365 1000)
 *
 * DB must not exist yet. The first patient is the record's own ("me"). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: store_bench DB [PATIENTS [DAYS [QUERIES]]]\n");
        return 2;
    }
    long patients = argc > 2 ? atol(argv[2]) : 10000, days = argc > 3 ? atol(argv[3]) : 365;
    long queries = argc > 4 ? atol(argv[4]) : 1000;
    tpt_store *s;
    tpt_error err = {0};
    if (tpt_store_open(argv[1], &s, &err) != 0) {
        fprintf(stderr, "store_bench: %s\n", err.message);
        return 1;
    }
    double t0 = now_s();
    if (tpt_store_begin(s, &err) != 0) return 1;
    unsigned seed = 1;
    for (long p = 0; p < patients; p++) {
        int64_t id;
        /* the first is the record's own patient, so tpt progress and tpt
         * report --db DB read a full year */
        if ((p == 0 ? tpt_store_self(s, &id, &err)
                    : tpt_store_patient_add(s, "patient", 0, &id, &err)))
            goto fail;
        time_t day = 1767225600; /* 2026-01-01 */
        for (long d = 0; d < days; d++, day += 86400) {
            tpt_log_entry e = {.patient = id, .sleep_disturbed = -1, .walking_minutes = -1};
            struct tm tm;
            gmtime_r(&day, &tm);
            strftime(e.at, sizeof e.at, "%Y-%m-%dT08:00:00Z", &tm);
            e.leg_pain = (int)(rand_r(&seed) % 11);
            e.back_pain = (int)(rand_r(&seed) % 11);
            e.sitting_minutes = (int)(rand_r(&seed) % 120);
            if (tpt_store_log_add(s, &e, NULL, &err) != 0) goto fail;
        }
    }
    if (tpt_store_commit(s, &err) != 0) goto fail;
    double built = now_s() - t0;
    long rows = patients * days;
    printf("bulk: %ld rows in %.1f s = %.0f rows/s (one transaction)\n", rows, built,
           (double)rows / built);

    double *times = malloc((size_t)queries * sizeof *times);
    for (long q = 0; q < queries; q++) {
        int64_t patient = 1 + (int64_t)(rand_r(&seed) % (unsigned)patients);
        tpt_log_list log;
        double t = now_s();
        if (tpt_store_log_list(s, patient, &log, &err) != 0) goto fail;
        times[q] = (now_s() - t) * 1000;
        if ((long)log.count != days) {
            fprintf(stderr, "store_bench: patient %lld has %zu entries\n", (long long)patient,
                    log.count);
            return 1;
        }
        tpt_log_list_free(&log);
    }
    qsort(times, (size_t)queries, sizeof *times, compare);
    double sum = 0;
    for (long q = 0; q < queries; q++)
        sum += times[q];
    printf("one patient's year of log (%ld entries): mean %.3f ms, p99 %.3f ms over %ld "
           "patients (target < 2 ms)\n",
           days, sum / (double)queries, times[queries * 99 / 100], queries);
    free(times);
    tpt_store_close(s);
    return 0;
fail:
    fprintf(stderr, "store_bench: %s\n", err.message);
    return 1;
}
