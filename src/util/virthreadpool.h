/*
 * virthreadpool.h: worker threads with a bounded job queue.
 *
 * Normal workers take any job, priority jobs first. Priority workers take
 * only priority jobs, so a slow normal job can never hold up a priority one
 * (destroy, keepalive) once all normal workers are busy. Normal workers are
 * started on demand from minWorkers up to maxWorkers when a job arrives and
 * none is idle. The queue holds at most maxQueue jobs (0: unbounded).
 *
 * virThreadPoolFree() is a clean shutdown: no new jobs are accepted, the
 * queued and running jobs finish, then all threads are joined.
 */
#pragma once

#include <stddef.h>
#include <stdbool.h>

typedef struct _virThreadPool virThreadPool;

typedef void (*virThreadPoolJobFunc)(void *jobdata, void *opaque);

virThreadPool *virThreadPoolNew(size_t minWorkers, size_t maxWorkers,
                                size_t prioWorkers, size_t maxQueue,
                                virThreadPoolJobFunc func,
                                const char *name, void *opaque);
void virThreadPoolFree(virThreadPool *pool);

/* Queue a job. Returns 0, or -1 with an error reported when the queue is
 * full or the pool is shutting down (the job is then not run). */
int virThreadPoolSendJob(virThreadPool *pool, bool priority, void *jobdata);

/* Wait until the queue is empty and no job runs. */
void virThreadPoolDrain(virThreadPool *pool);

size_t virThreadPoolGetMinWorkers(virThreadPool *pool);
size_t virThreadPoolGetMaxWorkers(virThreadPool *pool);
size_t virThreadPoolGetPriorityWorkers(virThreadPool *pool);
size_t virThreadPoolGetCurrentWorkers(virThreadPool *pool);
size_t virThreadPoolGetFreeWorkers(virThreadPool *pool);
size_t virThreadPoolGetJobQueueDepth(virThreadPool *pool);
/* Change limits at run time; -1 keeps a value. Extra workers exit when idle. */
int virThreadPoolSetParameters(virThreadPool *pool, long long minWorkers,
                               long long maxWorkers, long long prioWorkers);
