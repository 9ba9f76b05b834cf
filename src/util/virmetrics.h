/*
 * virmetrics.h: always-on call metrics: per-operation counters and a
 * fixed-bucket latency histogram, cheap enough for every RPC call.
 *
 * A virMetricsOp counts the calls of one operation (an RPC procedure):
 * how many started, how many failed, how many run now, the sum of their
 * durations and a histogram of them over VIR_METRICS_BUCKETS fixed upper
 * bounds (virMetricsBucketBoundsUs; the last bucket is unbounded, so the
 * buckets add up to the finished calls). Recording is lock free: relaxed
 * atomic adds, any thread. A snapshot reads each counter atomically, but
 * not all of them at one instant: a call finishing during a snapshot may
 * be in one counter and not yet in another.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Upper bounds, in microseconds, of the histogram's buckets; the last is
 * UINT64_MAX (+Inf). A call of d us lands in the first bucket with
 * d <= bound. */
#define VIR_METRICS_BUCKETS 16
extern const uint64_t virMetricsBucketBoundsUs[VIR_METRICS_BUCKETS];

typedef struct _virMetricsOp virMetricsOp;
struct _virMetricsOp {
    uint64_t calls;                         /* started */
    uint64_t errors;                        /* finished with an error */
    int64_t inflight;                       /* started, not finished */
    uint64_t sumUs;                         /* durations of the finished */
    uint64_t buckets[VIR_METRICS_BUCKETS];  /* finished, by duration */
};

/* Start a call: counts it and returns the start time for virMetricsOpEnd. */
uint64_t virMetricsOpBegin(virMetricsOp *op);
/* Finish a call started at start (virMetricsOpBegin's value). */
void virMetricsOpEnd(virMetricsOp *op, uint64_t start, bool failed);

/* Copy op's counters into out. */
void virMetricsOpSnapshot(const virMetricsOp *op, virMetricsOp *out);

/* The process's memory as the allocator sees it beside what the kernel
 * charges: RSS can grow while the heap in use stays flat (glibc keeps
 * freed memory in its arenas, several per core), so a leak shows in
 * heapInUse, fragmentation only in rss. */
typedef struct _virMetricsMemory virMetricsMemory;
struct _virMetricsMemory {
    uint64_t rssBytes;          /* resident set (/proc/self/statm) */
    uint64_t heapInUseBytes;    /* allocated with malloc and not freed */
    uint64_t heapFreeBytes;     /* free in the allocator's arenas */
    uint64_t heapMappedBytes;   /* of the in-use part, large blocks on their own mmap */
};

/* Fill out for this process (reads /proc: not for the event-loop thread;
 * mallinfo2 walks every arena's free lists). */
void virMetricsMemoryGet(virMetricsMemory *out);
