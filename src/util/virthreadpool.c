/*
 * virthreadpool.c: worker threads with a bounded job queue.
 *
 * Ownership: the pool owns its worker records and threads; job data belongs
 * to the caller's job function once the job runs (a refused job is not
 * touched, the caller keeps it).
 * Locking: one mutex guards the queues and counters. Jobs run without it, so
 * a job may queue further jobs. Two condition variables separate the kinds
 * of workers: a priority job signals both, a normal job only the normal
 * workers, so priority workers never wake for work they may not take.
 * Workers that exit early (after a shrink) are joined lazily, never by
 * themselves.
 */
#include <glib.h>

#include "virthreadpool.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_THREAD

VIR_LOG_INIT("util.threadpool");

typedef struct _virThreadPoolWorker virThreadPoolWorker;
struct _virThreadPoolWorker {
    virThreadPool *pool;
    GThread *thread;
    bool priority;
    bool exited;           /* left its loop; only needs joining */
};

struct _virThreadPool {
    GMutex lock;
    GCond cond;            /* normal workers wait here */
    GCond prioCond;        /* priority workers wait here */
    GCond drainCond;       /* queue empty and nothing running */

    virThreadPoolJobFunc func;
    void *opaque;
    char *name;

    GQueue jobs;           /* normal jobs */
    GQueue prioJobs;       /* priority jobs */
    size_t maxQueue;

    size_t minWorkers;
    size_t maxWorkers;
    size_t prioWorkers;

    size_t nWorkers;       /* live normal workers */
    size_t nPrioWorkers;   /* live priority workers */
    size_t freeWorkers;    /* idle normal workers */
    size_t running;        /* jobs in progress */
    size_t nextWorker;     /* for thread names */

    GPtrArray *workers;    /* virThreadPoolWorker * (owned), alive or exited */
    bool quit;
};

static size_t
virThreadPoolQueued(virThreadPool *pool)
{
    return pool->jobs.length + pool->prioJobs.length;
}

/* Should this worker leave now? Lock held. */
static bool
virThreadPoolWorkerRedundant(virThreadPool *pool, virThreadPoolWorker *w)
{
    if (w->priority)
        return pool->nPrioWorkers > pool->prioWorkers;
    return pool->nWorkers > pool->maxWorkers;
}

static gpointer
virThreadPoolWorkerMain(gpointer opaque)
{
    virThreadPoolWorker *w = opaque;
    virThreadPool *pool = w->pool;

    g_mutex_lock(&pool->lock);
    for (;;) {
        void *job;

        if (virThreadPoolWorkerRedundant(pool, w))
            break;

        if (pool->prioJobs.length > 0) {
            job = g_queue_pop_head(&pool->prioJobs);
        } else if (!w->priority && pool->jobs.length > 0) {
            job = g_queue_pop_head(&pool->jobs);
        } else if (pool->quit) {
            break;
        } else {
            if (w->priority) {
                g_cond_wait(&pool->prioCond, &pool->lock);
            } else {
                pool->freeWorkers++;
                g_cond_wait(&pool->cond, &pool->lock);
                pool->freeWorkers--;
            }
            continue;
        }

        pool->running++;
        g_mutex_unlock(&pool->lock);

        pool->func(job, pool->opaque);
        /* A job's error must not leak into the next job on this thread. */
        virResetLastError();

        g_mutex_lock(&pool->lock);
        pool->running--;
        if (pool->running == 0 && virThreadPoolQueued(pool) == 0)
            g_cond_broadcast(&pool->drainCond);
    }

    if (w->priority)
        pool->nPrioWorkers--;
    else
        pool->nWorkers--;
    w->exited = true;
    /* Jobs may wait that only a remaining worker can take. */
    g_cond_broadcast(&pool->cond);
    g_cond_broadcast(&pool->prioCond);
    g_mutex_unlock(&pool->lock);
    return NULL;
}

/* Start one worker. Lock held. Returns 0 or -1 with an error reported. */
static int
virThreadPoolSpawn(virThreadPool *pool, bool priority)
{
    virThreadPoolWorker *w = g_new0(virThreadPoolWorker, 1);
    g_autofree char *tname = g_strdup_printf("%s-%s%zu", pool->name,
                                             priority ? "p" : "", pool->nextWorker++);
    g_autoptr(GError) gerr = NULL;

    w->pool = pool;
    w->priority = priority;
    /* Counted before it runs, so the new thread sees itself as wanted. */
    if (priority)
        pool->nPrioWorkers++;
    else
        pool->nWorkers++;
    if (!(w->thread = g_thread_try_new(tname, virThreadPoolWorkerMain, w, &gerr))) {
        if (priority)
            pool->nPrioWorkers--;
        else
            pool->nWorkers--;
        g_free(w);
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot start worker thread: %s",
                       gerr->message);
        return -1;
    }
    g_ptr_array_add(pool->workers, w);
    return 0;
}

/* Take the records of exited workers out of the list (lock held); the
 * caller joins them without the lock. */
static GPtrArray *
virThreadPoolCollectExited(virThreadPool *pool)
{
    GPtrArray *done = NULL;

    for (guint i = 0; i < pool->workers->len;) {
        virThreadPoolWorker *w = g_ptr_array_index(pool->workers, i);

        if (!w->exited) {
            i++;
            continue;
        }
        if (!done)
            done = g_ptr_array_new();
        g_ptr_array_add(done, w);
        g_ptr_array_remove_index_fast(pool->workers, i);
    }
    return done;
}

static void
virThreadPoolJoin(GPtrArray *workers)
{
    if (!workers)
        return;
    for (guint i = 0; i < workers->len; i++) {
        virThreadPoolWorker *w = g_ptr_array_index(workers, i);

        g_thread_join(w->thread);
        g_free(w);
    }
    g_ptr_array_unref(workers);
}

virThreadPool *
virThreadPoolNew(size_t minWorkers, size_t maxWorkers,
                 size_t prioWorkers, size_t maxQueue,
                 virThreadPoolJobFunc func,
                 const char *name, void *opaque)
{
    virThreadPool *pool;

    if (!func || minWorkers > maxWorkers) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "thread pool needs a job function and minWorkers (%zu) "
                       "<= maxWorkers (%zu)", minWorkers, maxWorkers);
        return NULL;
    }

    pool = g_new0(virThreadPool, 1);
    g_mutex_init(&pool->lock);
    g_cond_init(&pool->cond);
    g_cond_init(&pool->prioCond);
    g_cond_init(&pool->drainCond);
    g_queue_init(&pool->jobs);
    g_queue_init(&pool->prioJobs);
    pool->func = func;
    pool->opaque = opaque;
    pool->name = g_strdup(name ? name : "worker");
    pool->maxQueue = maxQueue;
    pool->minWorkers = minWorkers;
    pool->maxWorkers = maxWorkers;
    pool->prioWorkers = prioWorkers;
    pool->workers = g_ptr_array_new();

    g_mutex_lock(&pool->lock);
    for (size_t i = 0; i < minWorkers; i++) {
        if (virThreadPoolSpawn(pool, false) < 0)
            goto error;
    }
    for (size_t i = 0; i < prioWorkers; i++) {
        if (virThreadPoolSpawn(pool, true) < 0)
            goto error;
    }
    g_mutex_unlock(&pool->lock);
    return pool;

 error:
    g_mutex_unlock(&pool->lock);
    virThreadPoolFree(pool);
    return NULL;
}

void
virThreadPoolFree(virThreadPool *pool)
{
    GPtrArray *all;

    if (!pool)
        return;

    g_mutex_lock(&pool->lock);
    pool->quit = true;
    /* Queued normal jobs need a normal worker even with minWorkers 0. */
    if (pool->jobs.length > 0 && pool->nWorkers == 0 && pool->maxWorkers > 0)
        virThreadPoolSpawn(pool, false);
    g_cond_broadcast(&pool->cond);
    g_cond_broadcast(&pool->prioCond);
    all = pool->workers;
    pool->workers = g_ptr_array_new();
    g_mutex_unlock(&pool->lock);

    /* Workers finish every queued job before they see the queue empty and
     * quit set. A worker may have been added to pool->workers meanwhile
     * only by SendJob, which refuses once quit is set. */
    virThreadPoolJoin(all);

    g_ptr_array_unref(pool->workers);
    g_free(pool->name);
    g_cond_clear(&pool->drainCond);
    g_cond_clear(&pool->prioCond);
    g_cond_clear(&pool->cond);
    g_mutex_clear(&pool->lock);
    g_free(pool);
}

int
virThreadPoolSendJob(virThreadPool *pool, bool priority, void *jobdata)
{
    GPtrArray *exited;

    g_mutex_lock(&pool->lock);
    if (pool->quit) {
        g_mutex_unlock(&pool->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "thread pool is shutting down");
        return -1;
    }
    if (pool->maxQueue > 0 && virThreadPoolQueued(pool) >= pool->maxQueue) {
        g_mutex_unlock(&pool->lock);
        virReportError(VIR_ERR_OPERATION_FAILED, "job queue is full");
        return -1;
    }
    if (!priority && pool->maxWorkers == 0) {
        g_mutex_unlock(&pool->lock);
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "thread pool has no worker for normal jobs");
        return -1;
    }
    if (priority && pool->maxWorkers == 0 && pool->prioWorkers == 0) {
        g_mutex_unlock(&pool->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "thread pool has no worker");
        return -1;
    }

    /* More waiting jobs than idle normal workers: grow, if allowed. */
    if (pool->freeWorkers <= virThreadPoolQueued(pool) &&
        pool->nWorkers < pool->maxWorkers &&
        virThreadPoolSpawn(pool, false) < 0 &&
        pool->nWorkers == 0 && (!priority || pool->nPrioWorkers == 0)) {
        /* Nobody could ever run it. */
        g_mutex_unlock(&pool->lock);
        return -1;
    }

    if (priority) {
        g_queue_push_tail(&pool->prioJobs, jobdata);
        g_cond_signal(&pool->prioCond);
    } else {
        g_queue_push_tail(&pool->jobs, jobdata);
    }
    g_cond_signal(&pool->cond);
    exited = virThreadPoolCollectExited(pool);
    g_mutex_unlock(&pool->lock);

    virThreadPoolJoin(exited);
    return 0;
}

void
virThreadPoolDrain(virThreadPool *pool)
{
    g_mutex_lock(&pool->lock);
    while (pool->running > 0 || virThreadPoolQueued(pool) > 0)
        g_cond_wait(&pool->drainCond, &pool->lock);
    g_mutex_unlock(&pool->lock);
}

#define VIR_THREAD_POOL_GETTER(field) \
    size_t ret; \
    g_mutex_lock(&pool->lock); \
    ret = pool->field; \
    g_mutex_unlock(&pool->lock); \
    return ret

size_t
virThreadPoolGetMinWorkers(virThreadPool *pool)
{
    VIR_THREAD_POOL_GETTER(minWorkers);
}

size_t
virThreadPoolGetMaxWorkers(virThreadPool *pool)
{
    VIR_THREAD_POOL_GETTER(maxWorkers);
}

size_t
virThreadPoolGetPriorityWorkers(virThreadPool *pool)
{
    VIR_THREAD_POOL_GETTER(prioWorkers);
}

size_t
virThreadPoolGetCurrentWorkers(virThreadPool *pool)
{
    VIR_THREAD_POOL_GETTER(nWorkers);
}

size_t
virThreadPoolGetFreeWorkers(virThreadPool *pool)
{
    VIR_THREAD_POOL_GETTER(freeWorkers);
}

size_t
virThreadPoolGetJobQueueDepth(virThreadPool *pool)
{
    size_t ret;

    g_mutex_lock(&pool->lock);
    ret = virThreadPoolQueued(pool);
    g_mutex_unlock(&pool->lock);
    return ret;
}

int
virThreadPoolSetParameters(virThreadPool *pool, long long minWorkers,
                           long long maxWorkers, long long prioWorkers)
{
    size_t newMin, newMax, newPrio;
    GPtrArray *exited;
    int ret = 0;

    if (minWorkers < -1 || maxWorkers < -1 || prioWorkers < -1) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "thread pool limits must be >= 0 (or -1 to keep)");
        return -1;
    }

    g_mutex_lock(&pool->lock);
    newMin = minWorkers >= 0 ? (size_t)minWorkers : pool->minWorkers;
    newMax = maxWorkers >= 0 ? (size_t)maxWorkers : pool->maxWorkers;
    newPrio = prioWorkers >= 0 ? (size_t)prioWorkers : pool->prioWorkers;

    /* libvirt's checks and wording (virt-admin users see them). */
    if (newMin > newMax) {
        g_mutex_unlock(&pool->lock);
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "minWorkers cannot be larger than maxWorkers");
        return -1;
    }
    if ((newMax == 0) != (pool->maxWorkers == 0)) {
        /* To 0: queued normal jobs would never run. From 0: a pool made
         * for priority jobs only stays so. */
        g_mutex_unlock(&pool->lock);
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "maxWorkers must not be switched from zero to non-zero and vice versa");
        return -1;
    }

    pool->minWorkers = newMin;
    pool->maxWorkers = newMax;
    pool->prioWorkers = newPrio;

    while (pool->nWorkers < pool->minWorkers && ret == 0)
        ret = virThreadPoolSpawn(pool, false);
    while (pool->nPrioWorkers < pool->prioWorkers && ret == 0)
        ret = virThreadPoolSpawn(pool, true);

    /* Redundant idle workers notice and leave; busy ones after their job. */
    g_cond_broadcast(&pool->cond);
    g_cond_broadcast(&pool->prioCond);
    exited = virThreadPoolCollectExited(pool);
    g_mutex_unlock(&pool->lock);

    virThreadPoolJoin(exited);
    return ret;
}
