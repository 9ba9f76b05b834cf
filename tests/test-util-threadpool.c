/*
 * test-util-threadpool.c: worker limits, priority workers, bounded queue,
 * clean shutdown and run-time limits.
 */
#include <string.h>
#include <glib.h>

#include "testutils.h"
#include "virthreadpool.h"
#include "virerror.h"

/* Shared state of the job function: jobs may block on a gate. */
typedef struct {
    GMutex lock;
    GCond cond;
    bool gateOpen;
    int active;          /* jobs running now */
    int maxActive;       /* most seen at once */
    int done;
    int prioDone;
    int sleepUs;
} Jobs;

/* Job data: a pointer whose low bit says "priority job". */
#define JOB_NORMAL ((void *)0x10)
#define JOB_PRIO ((void *)0x11)

static void
jobsInit(Jobs *j)
{
    memset(j, 0, sizeof(*j));
    g_mutex_init(&j->lock);
    g_cond_init(&j->cond);
}

static void
jobsClear(Jobs *j)
{
    g_mutex_clear(&j->lock);
    g_cond_clear(&j->cond);
}

static void
jobFunc(void *jobdata, void *opaque)
{
    Jobs *j = opaque;
    bool prio = jobdata == JOB_PRIO;

    g_mutex_lock(&j->lock);
    j->active++;
    if (j->active > j->maxActive)
        j->maxActive = j->active;
    g_cond_broadcast(&j->cond);
    /* Priority jobs never wait at the gate: they must get through while
     * normal ones block. */
    while (!prio && !j->gateOpen)
        g_cond_wait(&j->cond, &j->lock);
    g_mutex_unlock(&j->lock);

    if (j->sleepUs)
        g_usleep(j->sleepUs);

    g_mutex_lock(&j->lock);
    j->active--;
    if (prio)
        j->prioDone++;
    else
        j->done++;
    g_cond_broadcast(&j->cond);
    g_mutex_unlock(&j->lock);
}

static void
jobsOpen(Jobs *j)
{
    g_mutex_lock(&j->lock);
    j->gateOpen = true;
    g_cond_broadcast(&j->cond);
    g_mutex_unlock(&j->lock);
}

/* Wait until *field >= want, up to ms. */
static bool
jobsWait(Jobs *j, int *field, int want, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    bool ok;

    g_mutex_lock(&j->lock);
    while (*field < want && g_cond_wait_until(&j->cond, &j->lock, deadline))
        ;
    ok = *field >= want;
    g_mutex_unlock(&j->lock);
    return ok;
}

static int
jobsGet(Jobs *j, int *field)
{
    int v;

    g_mutex_lock(&j->lock);
    v = *field;
    g_mutex_unlock(&j->lock);
    return v;
}

/* Poll a pool counter until it matches, up to ms. */
static bool
waitCount(size_t (*get)(virThreadPool *), virThreadPool *pool, size_t want, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;

    while (get(pool) != want) {
        if (g_get_monotonic_time() > deadline)
            return false;
        g_usleep(1000);
    }
    return true;
}

static int
testMinWorkers(const void *data)
{
    Jobs j;
    virThreadPool *pool;

    jobsInit(&j);
    pool = virThreadPoolNew(3, 5, 2, 0, jobFunc, "t-min", &j);
    VIR_TEST_ASSERT(pool);
    VIR_TEST_ASSERT_INT(virThreadPoolGetCurrentWorkers(pool), 3);
    VIR_TEST_ASSERT_INT(virThreadPoolGetMinWorkers(pool), 3);
    VIR_TEST_ASSERT_INT(virThreadPoolGetMaxWorkers(pool), 5);
    VIR_TEST_ASSERT_INT(virThreadPoolGetPriorityWorkers(pool), 2);
    /* They really run: all three become idle and wait. */
    if (!waitCount(virThreadPoolGetFreeWorkers, pool, 3, 2000))
        VIR_TEST_FAIL("free workers: %zu, expected 3", virThreadPoolGetFreeWorkers(pool));
    VIR_TEST_ASSERT_INT(virThreadPoolGetJobQueueDepth(pool), 0);
    virThreadPoolFree(pool);

    /* Bad limits are refused. */
    VIR_TEST_ASSERT(virThreadPoolNew(3, 2, 0, 0, jobFunc, "t-bad", &j) == NULL);
    virResetLastError();
    jobsClear(&j);
    return 0;
}

static int
testMaxWorkers(const void *data)
{
    Jobs j;
    virThreadPool *pool;

    jobsInit(&j);
    pool = virThreadPoolNew(0, 4, 0, 0, jobFunc, "t-max", &j);
    VIR_TEST_ASSERT(pool);
    VIR_TEST_ASSERT_INT(virThreadPoolGetCurrentWorkers(pool), 0);
    for (int i = 0; i < 20; i++)
        VIR_TEST_ASSERT_INT(virThreadPoolSendJob(pool, false, JOB_NORMAL), 0);

    if (!jobsWait(&j, &j.active, 4, 2000))
        VIR_TEST_FAIL("only %d jobs started", jobsGet(&j, &j.active));
    /* Give extra workers, if any were wrongly started, time to show up. */
    g_usleep(50 * 1000);
    VIR_TEST_ASSERT_INT(jobsGet(&j, &j.active), 4);
    VIR_TEST_ASSERT_INT(virThreadPoolGetCurrentWorkers(pool), 4);
    VIR_TEST_ASSERT_INT(virThreadPoolGetJobQueueDepth(pool), 16);
    VIR_TEST_ASSERT_INT(virThreadPoolGetFreeWorkers(pool), 0);

    jobsOpen(&j);
    virThreadPoolDrain(pool);
    VIR_TEST_ASSERT_INT(jobsGet(&j, &j.done), 20);
    VIR_TEST_ASSERT_INT(jobsGet(&j, &j.maxActive), 4);
    VIR_TEST_ASSERT_INT(virThreadPoolGetJobQueueDepth(pool), 0);
    virThreadPoolFree(pool);
    jobsClear(&j);
    return 0;
}

static int
testPriority(const void *data)
{
    Jobs j;
    virThreadPool *pool;

    jobsInit(&j);
    pool = virThreadPoolNew(1, 2, 1, 0, jobFunc, "t-prio", &j);
    VIR_TEST_ASSERT(pool);

    /* Occupy every normal worker, and queue one more normal job. */
    for (int i = 0; i < 3; i++)
        VIR_TEST_ASSERT_INT(virThreadPoolSendJob(pool, false, JOB_NORMAL), 0);
    if (!jobsWait(&j, &j.active, 2, 2000))
        VIR_TEST_FAIL("normal workers did not start");

    /* The priority job gets through on the priority worker... */
    VIR_TEST_ASSERT_INT(virThreadPoolSendJob(pool, true, JOB_PRIO), 0);
    if (!jobsWait(&j, &j.prioDone, 1, 2000))
        VIR_TEST_FAIL("priority job did not run while normal workers were blocked");
    VIR_TEST_ASSERT_INT(virThreadPoolSendJob(pool, true, JOB_PRIO), 0);
    if (!jobsWait(&j, &j.prioDone, 2, 2000))
        VIR_TEST_FAIL("second priority job did not run");

    /* ...which never takes the queued normal job. */
    g_usleep(30 * 1000);
    VIR_TEST_ASSERT_INT(virThreadPoolGetJobQueueDepth(pool), 1);
    VIR_TEST_ASSERT_INT(jobsGet(&j, &j.done), 0);
    VIR_TEST_ASSERT_INT(jobsGet(&j, &j.active), 2);

    jobsOpen(&j);
    virThreadPoolDrain(pool);
    VIR_TEST_ASSERT_INT(jobsGet(&j, &j.done), 3);
    virThreadPoolFree(pool);
    jobsClear(&j);
    return 0;
}

static int
testBoundedQueue(const void *data)
{
    Jobs j;
    virThreadPool *pool;

    jobsInit(&j);
    pool = virThreadPoolNew(1, 1, 0, 2, jobFunc, "t-queue", &j);
    VIR_TEST_ASSERT(pool);
    VIR_TEST_ASSERT_INT(virThreadPoolSendJob(pool, false, JOB_NORMAL), 0);
    if (!jobsWait(&j, &j.active, 1, 2000))
        VIR_TEST_FAIL("first job did not start");
    /* The running job is not waiting: two more fit. */
    VIR_TEST_ASSERT_INT(virThreadPoolSendJob(pool, false, JOB_NORMAL), 0);
    VIR_TEST_ASSERT_INT(virThreadPoolSendJob(pool, false, JOB_NORMAL), 0);
    virResetLastError();
    VIR_TEST_ASSERT_INT(virThreadPoolSendJob(pool, false, JOB_NORMAL), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_FAILED);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "job queue is full") != NULL);
    VIR_TEST_ASSERT_INT(virThreadPoolGetJobQueueDepth(pool), 2);
    virResetLastError();

    jobsOpen(&j);
    virThreadPoolDrain(pool);
    /* The refused job never ran. */
    VIR_TEST_ASSERT_INT(jobsGet(&j, &j.done), 3);
    VIR_TEST_ASSERT_INT(virThreadPoolSendJob(pool, false, JOB_NORMAL), 0);
    virThreadPoolFree(pool);
    VIR_TEST_ASSERT_INT(j.done, 4);
    jobsClear(&j);
    return 0;
}

static int
testFreeRunsQueued(const void *data)
{
    Jobs j;
    virThreadPool *pool;

    jobsInit(&j);
    j.gateOpen = true;
    j.sleepUs = 1000;
    pool = virThreadPoolNew(0, 2, 1, 0, jobFunc, "t-free", &j);
    VIR_TEST_ASSERT(pool);
    for (int i = 0; i < 50; i++)
        VIR_TEST_ASSERT_INT(virThreadPoolSendJob(pool, i % 5 == 0, i % 5 == 0 ? JOB_PRIO : JOB_NORMAL), 0);
    virThreadPoolFree(pool);
    /* Every thread is joined: nothing can change these any more. */
    VIR_TEST_ASSERT_INT(j.done, 40);
    VIR_TEST_ASSERT_INT(j.prioDone, 10);
    VIR_TEST_ASSERT_INT(j.active, 0);
    jobsClear(&j);
    return 0;
}

static int
testSetParameters(const void *data)
{
    Jobs j;
    virThreadPool *pool;

    jobsInit(&j);
    pool = virThreadPoolNew(1, 2, 0, 0, jobFunc, "t-params", &j);
    VIR_TEST_ASSERT(pool);

    VIR_TEST_ASSERT_INT(virThreadPoolSetParameters(pool, 3, 6, 2), 0);
    VIR_TEST_ASSERT_INT(virThreadPoolGetMinWorkers(pool), 3);
    VIR_TEST_ASSERT_INT(virThreadPoolGetMaxWorkers(pool), 6);
    VIR_TEST_ASSERT_INT(virThreadPoolGetPriorityWorkers(pool), 2);
    VIR_TEST_ASSERT_INT(virThreadPoolGetCurrentWorkers(pool), 3);

    /* -1 keeps; min above max is refused and changes nothing. */
    VIR_TEST_ASSERT_INT(virThreadPoolSetParameters(pool, -1, 2, -1), -1);
    VIR_TEST_ASSERT_INT(virThreadPoolGetMaxWorkers(pool), 6);
    VIR_TEST_ASSERT_INT(virThreadPoolSetParameters(pool, -1, 5, -1), 0);
    VIR_TEST_ASSERT_INT(virThreadPoolGetMinWorkers(pool), 3);
    VIR_TEST_ASSERT_INT(virThreadPoolGetMaxWorkers(pool), 5);
    virResetLastError();

    /* Shrink: extra idle workers leave. */
    VIR_TEST_ASSERT_INT(virThreadPoolSetParameters(pool, 0, 1, 0), 0);
    if (!waitCount(virThreadPoolGetCurrentWorkers, pool, 1, 2000))
        VIR_TEST_FAIL("%zu workers left after shrinking to 1",
                      virThreadPoolGetCurrentWorkers(pool));

    /* The new maximum holds for new jobs. */
    for (int i = 0; i < 5; i++)
        VIR_TEST_ASSERT_INT(virThreadPoolSendJob(pool, false, JOB_NORMAL), 0);
    if (!jobsWait(&j, &j.active, 1, 2000))
        VIR_TEST_FAIL("no job started");
    g_usleep(30 * 1000);
    VIR_TEST_ASSERT_INT(jobsGet(&j, &j.active), 1);
    VIR_TEST_ASSERT_INT(virThreadPoolGetCurrentWorkers(pool), 1);

    /* Grow again while blocked: a new worker takes a queued job. */
    VIR_TEST_ASSERT_INT(virThreadPoolSetParameters(pool, 2, 2, -1), 0);
    if (!jobsWait(&j, &j.active, 2, 2000))
        VIR_TEST_FAIL("raising minWorkers did not start a worker");

    jobsOpen(&j);
    virThreadPoolFree(pool);
    VIR_TEST_ASSERT_INT(j.done, 5);
    VIR_TEST_ASSERT_INT(j.maxActive, 2);
    jobsClear(&j);
    return 0;
}

int
main(void)
{
    virTestRun("min workers started at creation", testMinWorkers, NULL);
    virTestRun("max workers never exceeded", testMaxWorkers, NULL);
    virTestRun("priority jobs pass blocked normal workers", testPriority, NULL);
    virTestRun("bounded queue refuses the extra job", testBoundedQueue, NULL);
    virTestRun("free runs every queued job", testFreeRunsQueued, NULL);
    virTestRun("set parameters changes limits", testSetParameters, NULL);
    return virTestResult();
}
