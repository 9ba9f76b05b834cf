/*
 * virmetrics.c: lock-free call counters and latency histogram.
 *
 * Every counter is updated with a relaxed atomic add: the counters are
 * statistics, not synchronisation, so no ordering is needed, and a call
 * costs two clock reads (vDSO) and four uncontended adds. The histogram
 * bounds grow roughly 1-2.5-5 per decade from 10 us to 10 s.
 */
#include <glib.h>

#include <malloc.h>
#include <stdio.h>
#include <unistd.h>

#include "virmetrics.h"
#include "virutil.h"

const uint64_t virMetricsBucketBoundsUs[VIR_METRICS_BUCKETS] = {
    10, 25, 50, 100, 250, 500,
    1000, 2500, 5000, 10000, 50000,
    100000, 500000, 1000000, 10000000,
    UINT64_MAX,
};


uint64_t
virMetricsOpBegin(virMetricsOp *op)
{
    __atomic_fetch_add(&op->calls, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&op->inflight, 1, __ATOMIC_RELAXED);
    return virTimeMonoUs();
}


static size_t
virMetricsBucket(uint64_t us)
{
    size_t i = 0;

    /* The last bound is UINT64_MAX: the loop always stops. */
    while (us > virMetricsBucketBoundsUs[i])
        i++;
    return i;
}


void
virMetricsOpEnd(virMetricsOp *op, uint64_t start, bool failed)
{
    uint64_t now = virTimeMonoUs();
    uint64_t us = now > start ? now - start : 0;

    if (failed)
        __atomic_fetch_add(&op->errors, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&op->sumUs, us, __ATOMIC_RELAXED);
    __atomic_fetch_add(&op->buckets[virMetricsBucket(us)], 1, __ATOMIC_RELAXED);
    __atomic_fetch_sub(&op->inflight, 1, __ATOMIC_RELAXED);
}


void
virMetricsOpSnapshot(const virMetricsOp *op, virMetricsOp *out)
{
    out->calls = __atomic_load_n(&op->calls, __ATOMIC_RELAXED);
    out->errors = __atomic_load_n(&op->errors, __ATOMIC_RELAXED);
    out->inflight = __atomic_load_n(&op->inflight, __ATOMIC_RELAXED);
    out->sumUs = __atomic_load_n(&op->sumUs, __ATOMIC_RELAXED);
    for (size_t i = 0; i < VIR_METRICS_BUCKETS; i++)
        out->buckets[i] = __atomic_load_n(&op->buckets[i], __ATOMIC_RELAXED);
}


void
virMetricsMemoryGet(virMetricsMemory *out)
{
    struct mallinfo2 mi = mallinfo2();
    unsigned long long pages = 0, resident = 0;
    FILE *fp;

    *out = (virMetricsMemory){ 0 };
    if ((fp = fopen("/proc/self/statm", "re"))) {
        if (fscanf(fp, "%llu %llu", &pages, &resident) == 2)
            out->rssBytes = (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
        fclose(fp);
    }
    out->heapInUseBytes = mi.uordblks + mi.hblkhd;
    out->heapFreeBytes = mi.fordblks;
    out->heapMappedBytes = mi.hblkhd;
}
