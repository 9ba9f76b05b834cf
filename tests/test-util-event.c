/*
 * test-util-event.c: watches, timers, removal semantics and threading of
 * the epoll event loop.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "testutils.h"
#include "virevent.h"
#include "virerror.h"
#include "virutil.h"

/* What one watch or timer saw. */
typedef struct {
    virEventLoop *loop;
    int calls;
    int lastWatch;
    int lastFd;
    int lastEvents;
    int frees;
    GThread *freedIn;
    GThread *calledIn;
    bool wasLoopThread;
    int removeOther;      /* watch id to remove from inside the callback */
    int fd;               /* fd to drain, -1 for none */
    GMutex lock;
    GCond cond;
} Probe;

static void
probeInit(Probe *p, virEventLoop *loop)
{
    memset(p, 0, sizeof(*p));
    p->loop = loop;
    p->fd = -1;
    g_mutex_init(&p->lock);
    g_cond_init(&p->cond);
}

static void
probeClear(Probe *p)
{
    g_mutex_clear(&p->lock);
    g_cond_clear(&p->cond);
}

static void
probeHandle(int watch, int fd, int events, void *opaque)
{
    Probe *p = opaque;

    if (p->removeOther > 0)
        virEventLoopRemoveHandle(p->loop, p->removeOther);
    if (p->fd >= 0 && (events & VIR_EVENT_HANDLE_READABLE)) {
        char buf[64];
        if (read(p->fd, buf, sizeof(buf)) < 0 && errno != EAGAIN)
            abort();
    }
    g_mutex_lock(&p->lock);
    p->calls++;
    p->lastWatch = watch;
    p->lastFd = fd;
    p->lastEvents = events;
    p->calledIn = g_thread_self();
    p->wasLoopThread = virEventLoopIsLoopThread(p->loop);
    g_cond_broadcast(&p->cond);
    g_mutex_unlock(&p->lock);
}

static void
probeTimer(int timer, void *opaque)
{
    Probe *p = opaque;

    g_mutex_lock(&p->lock);
    p->calls++;
    p->lastWatch = timer;
    p->calledIn = g_thread_self();
    p->wasLoopThread = virEventLoopIsLoopThread(p->loop);
    g_cond_broadcast(&p->cond);
    g_mutex_unlock(&p->lock);
}

static void
probeFree(void *opaque)
{
    Probe *p = opaque;

    g_mutex_lock(&p->lock);
    p->frees++;
    p->freedIn = g_thread_self();
    g_cond_broadcast(&p->cond);
    g_mutex_unlock(&p->lock);
}

/* Wait until *counter reaches want, up to ms. */
static bool
probeWait(Probe *p, int *counter, int want, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    bool ok;

    g_mutex_lock(&p->lock);
    while (*counter < want) {
        if (!g_cond_wait_until(&p->cond, &p->lock, deadline))
            break;
    }
    ok = *counter >= want;
    g_mutex_unlock(&p->lock);
    return ok;
}

static int
probeGet(Probe *p, int *counter)
{
    int v;

    g_mutex_lock(&p->lock);
    v = *counter;
    g_mutex_unlock(&p->lock);
    return v;
}

static int
makePipe(int fds[2])
{
    if (pipe(fds) < 0)
        return -1;
    virSetNonBlock(fds[0]);
    virSetNonBlock(fds[1]);
    return 0;
}

/* A 0 ms timer so that RunOnce never blocks while we look for silence. */
static void
tickTimer(int timer, void *opaque)
{
    (*(int *)opaque)++;
}

static int
testPipeWatches(const void *data)
{
    virEventLoop *loop = virEventLoopNew();
    Probe rd, wr;
    int fds[2];
    int rw, ww, ticks = 0, tick;
    int ret = -1;

    probeInit(&rd, loop);
    probeInit(&wr, loop);
    if (!loop || makePipe(fds) < 0)
        goto cleanup;
    tick = virEventLoopAddTimeout(loop, 0, tickTimer, &ticks, NULL);

    rw = virEventLoopAddHandle(loop, fds[0], VIR_EVENT_HANDLE_READABLE, probeHandle, &rd, probeFree);
    ww = virEventLoopAddHandle(loop, fds[1], VIR_EVENT_HANDLE_WRITABLE, probeHandle, &wr, probeFree);
    if (rw <= 0 || ww <= rw || tick <= 0)
        goto cleanup;

    /* Nothing to read: only the write end fires. */
    if (virEventLoopRunOnce(loop) < 0 || rd.calls != 0 || wr.calls != 1 ||
        wr.lastEvents != VIR_EVENT_HANDLE_WRITABLE || wr.lastWatch != ww ||
        wr.lastFd != fds[1] || !wr.wasLoopThread)
        goto cleanup;

    /* Stop writing interest, then make the read end ready. */
    if (virEventLoopUpdateHandle(loop, ww, 0) < 0 || write(fds[1], "x", 1) != 1)
        goto cleanup;
    if (virEventLoopRunOnce(loop) < 0 || rd.calls != 1 || wr.calls != 1 ||
        rd.lastEvents != VIR_EVENT_HANDLE_READABLE || rd.lastWatch != rw ||
        rd.lastFd != fds[0])
        goto cleanup;

    /* Level-triggered: still readable, fires again; disabled: silent. */
    if (virEventLoopRunOnce(loop) < 0 || rd.calls != 2)
        goto cleanup;
    if (virEventLoopUpdateHandle(loop, rw, 0) < 0 ||
        virEventLoopRunOnce(loop) < 0 || rd.calls != 2)
        goto cleanup;
    if (virEventLoopUpdateHandle(loop, rw, VIR_EVENT_HANDLE_READABLE) < 0 ||
        virEventLoopRunOnce(loop) < 0 || rd.calls != 3)
        goto cleanup;

    /* Removed: never again; free callback once, from the loop. */
    if (virEventLoopRemoveHandle(loop, rw) < 0 || rd.frees != 0)
        goto cleanup;
    if (virEventLoopRunOnce(loop) < 0 || rd.calls != 3 || rd.frees != 1)
        goto cleanup;
    if (virEventLoopRunOnce(loop) < 0 || rd.frees != 1)
        goto cleanup;
    /* Unknown ids are refused. */
    if (virEventLoopRemoveHandle(loop, rw) != -1 ||
        virEventLoopUpdateHandle(loop, rw, 0) != -1 ||
        virEventLoopAddHandle(loop, -1, VIR_EVENT_HANDLE_READABLE, probeHandle, &rd, NULL) != -1)
        goto cleanup;
    virResetLastError();
    ret = 0;

 cleanup:
    if (ret < 0)
        fprintf(stderr, "  rd.calls=%d rd.ev=%d rd.frees=%d wr.calls=%d wr.ev=%d\n",
                rd.calls, rd.lastEvents, rd.frees, wr.calls, wr.lastEvents);
    virEventLoopFree(loop);
    /* Still registered at free time: freed once by virEventLoopFree. */
    if (ret == 0 && (wr.frees != 1 || rd.frees != 1))
        ret = -1;
    VIR_FORCE_CLOSE(fds[0]);
    VIR_FORCE_CLOSE(fds[1]);
    probeClear(&rd);
    probeClear(&wr);
    return ret;
}

static int
testHangup(const void *data)
{
    g_autoptr(GError) err = NULL;
    virEventLoop *loop = virEventLoopNew();
    Probe rd;
    int fds[2];
    int w;

    probeInit(&rd, loop);
    VIR_TEST_ASSERT(loop && makePipe(fds) == 0);
    w = virEventLoopAddHandle(loop, fds[0], VIR_EVENT_HANDLE_READABLE, probeHandle, &rd, NULL);
    VIR_TEST_ASSERT(w > 0);
    VIR_FORCE_CLOSE(fds[1]);
    VIR_TEST_ASSERT_INT(virEventLoopRunOnce(loop), 0);
    VIR_TEST_ASSERT_INT(rd.calls, 1);
    VIR_TEST_ASSERT(rd.lastEvents & VIR_EVENT_HANDLE_HANGUP);
    VIR_TEST_ASSERT(!(rd.lastEvents & VIR_EVENT_HANDLE_WRITABLE));
    VIR_TEST_ASSERT_INT(virEventLoopRemoveHandle(loop, w), 0);
    virEventLoopFree(loop);
    VIR_FORCE_CLOSE(fds[0]);
    probeClear(&rd);
    return 0;
}

static int
testRemoveOtherInSameIteration(const void *data)
{
    virEventLoop *loop = virEventLoopNew();
    Probe a, b;
    int pa[2], pb[2];
    int wa, wb;

    probeInit(&a, loop);
    probeInit(&b, loop);
    VIR_TEST_ASSERT(loop && makePipe(pa) == 0 && makePipe(pb) == 0);
    VIR_TEST_ASSERT(write(pa[1], "x", 1) == 1 && write(pb[1], "x", 1) == 1);
    wa = virEventLoopAddHandle(loop, pa[0], VIR_EVENT_HANDLE_READABLE, probeHandle, &a, probeFree);
    wb = virEventLoopAddHandle(loop, pb[0], VIR_EVENT_HANDLE_READABLE, probeHandle, &b, probeFree);
    VIR_TEST_ASSERT(wa > 0 && wb > 0);
    /* Both are ready in the same epoll_wait; whichever runs first removes
     * the other, which must then not fire. */
    a.removeOther = wb;
    b.removeOther = wa;

    VIR_TEST_ASSERT_INT(virEventLoopRunOnce(loop), 0);
    VIR_TEST_ASSERT_INT(a.calls + b.calls, 1);
    VIR_TEST_ASSERT_INT(a.frees + b.frees, 1);
    /* The survivor keeps working; the other stays silent. */
    VIR_TEST_ASSERT_INT(virEventLoopRunOnce(loop), 0);
    VIR_TEST_ASSERT_INT(a.calls + b.calls, 2);
    VIR_TEST_ASSERT(a.calls == 2 || b.calls == 2);
    virEventLoopFree(loop);
    VIR_TEST_ASSERT_INT(a.frees, 1);
    VIR_TEST_ASSERT_INT(b.frees, 1);
    for (int i = 0; i < 2; i++) {
        VIR_FORCE_CLOSE(pa[i]);
        VIR_FORCE_CLOSE(pb[i]);
    }
    probeClear(&a);
    probeClear(&b);
    return 0;
}

static int
testSameFdTwice(const void *data)
{
    virEventLoop *loop = virEventLoopNew();
    Probe r, w;
    int sv[2];
    int wr, ww;

    probeInit(&r, loop);
    probeInit(&w, loop);
    VIR_TEST_ASSERT(loop && makePipe(sv) == 0);
    /* Two watches on the write end with different interests. */
    wr = virEventLoopAddHandle(loop, sv[1], VIR_EVENT_HANDLE_READABLE, probeHandle, &r, NULL);
    ww = virEventLoopAddHandle(loop, sv[1], VIR_EVENT_HANDLE_WRITABLE, probeHandle, &w, NULL);
    VIR_TEST_ASSERT(wr > 0 && ww > wr);
    VIR_TEST_ASSERT_INT(virEventLoopRunOnce(loop), 0);
    VIR_TEST_ASSERT_INT(r.calls, 0);
    VIR_TEST_ASSERT_INT(w.calls, 1);
    VIR_TEST_ASSERT_INT(w.lastEvents, VIR_EVENT_HANDLE_WRITABLE);
    /* Removing one leaves the other working. */
    VIR_TEST_ASSERT_INT(virEventLoopRemoveHandle(loop, wr), 0);
    VIR_TEST_ASSERT_INT(virEventLoopRunOnce(loop), 0);
    VIR_TEST_ASSERT_INT(w.calls, 2);
    VIR_TEST_ASSERT_INT(virEventLoopRemoveHandle(loop, ww), 0);
    virEventLoopFree(loop);
    VIR_FORCE_CLOSE(sv[0]);
    VIR_FORCE_CLOSE(sv[1]);
    probeClear(&r);
    probeClear(&w);
    return 0;
}

/* A watch whose fd was closed before its removal; the fd number comes
 * back for a new file with a new watch, then the old watch goes. */
static int
testFdReuse(const void *data)
{
    virEventLoop *loop = virEventLoopNew();
    Probe oldp, newp;
    int p1[2], p2[2];
    int wold, wnew, num, ticks = 0;

    probeInit(&oldp, loop);
    probeInit(&newp, loop);
    VIR_TEST_ASSERT(loop && makePipe(p1) == 0 && makePipe(p2) == 0);
    VIR_TEST_ASSERT(virEventLoopAddTimeout(loop, 0, tickTimer, &ticks, NULL) > 0);
    num = p1[0];
    wold = virEventLoopAddHandle(loop, num, VIR_EVENT_HANDLE_READABLE, probeHandle, &oldp, NULL);
    VIR_TEST_ASSERT(wold > 0);
    VIR_FORCE_CLOSE(p1[1]);
    VIR_TEST_ASSERT(dup2(p2[0], num) == num);   /* closes the old file */
    VIR_FORCE_CLOSE(p2[0]);
    newp.fd = num;
    wnew = virEventLoopAddHandle(loop, num, VIR_EVENT_HANDLE_READABLE, probeHandle, &newp, NULL);
    VIR_TEST_ASSERT(wnew > wold);
    VIR_TEST_ASSERT_INT(virEventLoopRemoveHandle(loop, wold), 0);
    VIR_TEST_ASSERT(write(p2[1], "x", 1) == 1);
    VIR_TEST_ASSERT_INT(virEventLoopRunOnce(loop), 0);
    VIR_TEST_ASSERT_INT(oldp.calls, 0);
    VIR_TEST_ASSERT_INT(newp.calls, 1);
    VIR_TEST_ASSERT_INT(newp.lastEvents, VIR_EVENT_HANDLE_READABLE);
    virEventLoopFree(loop);
    VIR_FORCE_CLOSE(num);
    VIR_FORCE_CLOSE(p2[1]);
    probeClear(&oldp);
    probeClear(&newp);
    return 0;
}

static int
testTimers(const void *data)
{
    virEventLoop *loop = virEventLoopNew();
    Probe zero, periodic, off;
    int tz, tp, toff;
    uint64_t start, lastAt;

    probeInit(&zero, loop);
    probeInit(&periodic, loop);
    probeInit(&off, loop);
    VIR_TEST_ASSERT(loop);
    tz = virEventLoopAddTimeout(loop, 0, probeTimer, &zero, probeFree);
    VIR_TEST_ASSERT(tz > 0);
    for (int i = 0; i < 5; i++)
        VIR_TEST_ASSERT_INT(virEventLoopRunOnce(loop), 0);
    VIR_TEST_ASSERT_INT(zero.calls, 5);
    VIR_TEST_ASSERT_INT(zero.lastWatch, tz);
    VIR_TEST_ASSERT(zero.wasLoopThread);
    VIR_TEST_ASSERT_INT(virEventLoopRemoveTimeout(loop, tz), 0);
    VIR_TEST_ASSERT_INT(virEventLoopRemoveTimeout(loop, tz), -1);
    virResetLastError();

    /* A 50 ms timer fires again and again, never early. How late it may be
     * depends on the machine's load: only a generous deadline for five
     * firings (the period's precision is not a unit test's business). */
    start = virTimeMonoMs();
    tp = virEventLoopAddTimeout(loop, 50, probeTimer, &periodic, probeFree);
    toff = virEventLoopAddTimeout(loop, -1, probeTimer, &off, probeFree);
    VIR_TEST_ASSERT(tp > tz && toff > tp);
    lastAt = start;
    while (periodic.calls < 5 && virTimeMonoMs() - start < 10000) {
        int before = periodic.calls;

        VIR_TEST_ASSERT_INT(virEventLoopRunOnce(loop), 0);
        if (periodic.calls != before) {
            uint64_t now = virTimeMonoMs();

            if (now - lastAt < 49)
                VIR_TEST_FAIL("50 ms timer fired after %llu ms (call %d)",
                              (unsigned long long)(now - lastAt), periodic.calls);
            lastAt = now;
        }
    }
    /* The zero timer was removed: its free ran, and it fired no more. */
    VIR_TEST_ASSERT_INT(zero.calls, 5);
    VIR_TEST_ASSERT_INT(zero.frees, 1);
    if (periodic.calls < 5)
        VIR_TEST_FAIL("50 ms timer fired %d times in 10 s", periodic.calls);
    VIR_TEST_ASSERT_INT(off.calls, 0);

    /* Enable the disabled one at 0 ms, disable the periodic one. */
    VIR_TEST_ASSERT_INT(virEventLoopUpdateTimeout(loop, toff, 0), 0);
    VIR_TEST_ASSERT_INT(virEventLoopUpdateTimeout(loop, tp, -1), 0);
    periodic.calls = 0;
    start = virTimeMonoMs();
    while (virTimeMonoMs() - start < 120)
        VIR_TEST_ASSERT_INT(virEventLoopRunOnce(loop), 0);
    VIR_TEST_ASSERT(off.calls > 10);
    VIR_TEST_ASSERT_INT(periodic.calls, 0);

    virEventLoopFree(loop);
    VIR_TEST_ASSERT_INT(periodic.frees, 1);
    VIR_TEST_ASSERT_INT(off.frees, 1);
    probeClear(&zero);
    probeClear(&periodic);
    probeClear(&off);
    return 0;
}

/* A callback that removes its own timer and watch. */
typedef struct {
    virEventLoop *loop;
    int timer;
    int calls;
    int frees;
} SelfRemove;

static void
selfRemoveTimer(int timer, void *opaque)
{
    SelfRemove *s = opaque;

    s->calls++;
    if (virEventLoopRemoveTimeout(s->loop, timer) < 0)
        abort();
}

static void
selfRemoveFree(void *opaque)
{
    ((SelfRemove *)opaque)->frees++;
}

static int
testSelfRemove(const void *data)
{
    virEventLoop *loop = virEventLoopNew();
    SelfRemove s = { .loop = loop };
    int ticks = 0;

    VIR_TEST_ASSERT(loop);
    s.timer = virEventLoopAddTimeout(loop, 0, selfRemoveTimer, &s, selfRemoveFree);
    VIR_TEST_ASSERT(virEventLoopAddTimeout(loop, 0, tickTimer, &ticks, NULL) > s.timer);
    for (int i = 0; i < 4; i++)
        VIR_TEST_ASSERT_INT(virEventLoopRunOnce(loop), 0);
    VIR_TEST_ASSERT_INT(s.calls, 1);
    VIR_TEST_ASSERT_INT(s.frees, 1);
    VIR_TEST_ASSERT_INT(ticks, 4);
    virEventLoopFree(loop);
    VIR_TEST_ASSERT_INT(s.frees, 1);
    return 0;
}

/* Two 0 ms timers, each removing the other: only one may fire. */
typedef struct {
    virEventLoop *loop;
    int *other;
    int calls;
    int frees;
} CrossTimer;

static void
crossTimerCb(int timer, void *opaque)
{
    CrossTimer *c = opaque;

    c->calls++;
    if (*c->other > 0) {
        virEventLoopRemoveTimeout(c->loop, *c->other);
        *c->other = 0;
    }
}

static void
crossTimerFree(void *opaque)
{
    ((CrossTimer *)opaque)->frees++;
}

static int
testTimerRemovesOther(const void *data)
{
    virEventLoop *loop = virEventLoopNew();
    int ta = 0, tb = 0;
    CrossTimer a = { loop, &tb, 0, 0 }, b = { loop, &ta, 0, 0 };

    VIR_TEST_ASSERT(loop);
    ta = virEventLoopAddTimeout(loop, 0, crossTimerCb, &a, crossTimerFree);
    tb = virEventLoopAddTimeout(loop, 0, crossTimerCb, &b, crossTimerFree);
    VIR_TEST_ASSERT(ta > 0 && tb > ta);
    VIR_TEST_ASSERT_INT(virEventLoopRunOnce(loop), 0);
    VIR_TEST_ASSERT_INT(a.calls + b.calls, 1);
    VIR_TEST_ASSERT_INT(a.frees + b.frees, 1);
    virEventLoopFree(loop);
    VIR_TEST_ASSERT_INT(a.frees, 1);
    VIR_TEST_ASSERT_INT(b.frees, 1);
    return 0;
}

static int
testIdsIncrease(const void *data)
{
    virEventLoop *loop = virEventLoopNew();
    int fds[2];
    int prevW = 0, prevT = 0;
    Probe p;

    probeInit(&p, loop);
    VIR_TEST_ASSERT(loop && makePipe(fds) == 0);
    for (int i = 0; i < 20; i++) {
        int w = virEventLoopAddHandle(loop, fds[0], VIR_EVENT_HANDLE_READABLE, probeHandle, &p, NULL);
        int t = virEventLoopAddTimeout(loop, -1, probeTimer, &p, NULL);

        VIR_TEST_ASSERT(w > prevW && t > prevT);
        VIR_TEST_ASSERT_INT(virEventLoopRemoveHandle(loop, w), 0);
        VIR_TEST_ASSERT_INT(virEventLoopRemoveTimeout(loop, t), 0);
        prevW = w;
        prevT = t;
    }
    virEventLoopFree(loop);
    VIR_FORCE_CLOSE(fds[0]);
    VIR_FORCE_CLOSE(fds[1]);
    probeClear(&p);
    return 0;
}

static int
testCrossThreadWakeup(const void *data)
{
    virEventThread *et = virEventThreadNew("ev-test");
    virEventLoop *loop;
    Probe rd, tm;
    int fds[2];
    int w, t;

    VIR_TEST_ASSERT(et);
    loop = virEventThreadGetLoop(et);
    probeInit(&rd, loop);
    probeInit(&tm, loop);
    VIR_TEST_ASSERT(makePipe(fds) == 0);
    rd.fd = fds[0];

    /* The loop has nothing to do: it blocks in epoll_wait forever. */
    g_usleep(50 * 1000);
    VIR_TEST_ASSERT(write(fds[1], "x", 1) == 1);
    w = virEventLoopAddHandle(loop, fds[0], VIR_EVENT_HANDLE_READABLE, probeHandle, &rd, probeFree);
    VIR_TEST_ASSERT(w > 0);
    if (!probeWait(&rd, &rd.calls, 1, 2000))
        VIR_TEST_FAIL("watch added from another thread never fired");
    VIR_TEST_ASSERT(rd.wasLoopThread);
    VIR_TEST_ASSERT(rd.calledIn != g_thread_self());
    VIR_TEST_ASSERT(!virEventLoopIsLoopThread(loop));

    /* A timer needs the eventfd: epoll knows nothing about it. */
    g_usleep(50 * 1000);
    t = virEventLoopAddTimeout(loop, 10, probeTimer, &tm, probeFree);
    VIR_TEST_ASSERT(t > 0);
    if (!probeWait(&tm, &tm.calls, 1, 2000))
        VIR_TEST_FAIL("timer added from another thread never fired");

    /* Removal from another thread: free callback runs in the loop thread,
     * without waiting for any other event. */
    VIR_TEST_ASSERT_INT(virEventLoopRemoveHandle(loop, w), 0);
    if (!probeWait(&rd, &rd.frees, 1, 2000))
        VIR_TEST_FAIL("free callback of a watch removed from another thread never ran");
    VIR_TEST_ASSERT(rd.freedIn == rd.calledIn);

    /* The timer stays registered: virEventThreadFree releases it. */
    virEventThreadFree(et);
    VIR_TEST_ASSERT_INT(probeGet(&tm, &tm.frees), 1);
    VIR_TEST_ASSERT_INT(probeGet(&rd, &rd.frees), 1);
    VIR_FORCE_CLOSE(fds[0]);
    VIR_FORCE_CLOSE(fds[1]);
    probeClear(&rd);
    probeClear(&tm);
    return 0;
}

typedef struct {
    virEventLoop *loop;
    GMutex lock;
    GCond cond;
    bool done;
    int rc;
} RunData;

static gpointer
runLoopThread(gpointer opaque)
{
    RunData *rd = opaque;
    int rc = virEventLoopRun(rd->loop);

    g_mutex_lock(&rd->lock);
    rd->rc = rc;
    rd->done = true;
    g_cond_broadcast(&rd->cond);
    g_mutex_unlock(&rd->lock);
    return NULL;
}

static int
testQuitFromOtherThread(const void *data)
{
    RunData rd = { .loop = virEventLoopNew() };
    GThread *th;
    gint64 deadline;
    bool done;

    VIR_TEST_ASSERT(rd.loop);
    g_mutex_init(&rd.lock);
    g_cond_init(&rd.cond);
    th = g_thread_new("ev-run", runLoopThread, &rd);
    g_usleep(50 * 1000);
    virEventLoopQuit(rd.loop);

    deadline = g_get_monotonic_time() + 2 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&rd.lock);
    while (!rd.done && g_cond_wait_until(&rd.cond, &rd.lock, deadline))
        ;
    done = rd.done;
    g_mutex_unlock(&rd.lock);
    if (!done)
        VIR_TEST_FAIL("virEventLoopRun did not return after virEventLoopQuit");
    g_thread_join(th);
    VIR_TEST_ASSERT_INT(rd.rc, 0);

    /* A Quit issued before Run starts still stops it. */
    rd.done = false;
    virEventLoopQuit(rd.loop);
    th = g_thread_new("ev-run", runLoopThread, &rd);
    deadline = g_get_monotonic_time() + 2 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&rd.lock);
    while (!rd.done && g_cond_wait_until(&rd.cond, &rd.lock, deadline))
        ;
    done = rd.done;
    g_mutex_unlock(&rd.lock);
    if (!done)
        VIR_TEST_FAIL("virEventLoopRun ignored an earlier virEventLoopQuit");
    g_thread_join(th);

    virEventLoopFree(rd.loop);
    g_mutex_clear(&rd.lock);
    g_cond_clear(&rd.cond);
    return 0;
}

static int
testEventThread(const void *data)
{
    for (int i = 0; i < 3; i++) {
        virEventThread *et = virEventThreadNew("ev-cycle");
        Probe p;

        VIR_TEST_ASSERT(et);
        probeInit(&p, virEventThreadGetLoop(et));
        VIR_TEST_ASSERT(virEventLoopAddTimeout(virEventThreadGetLoop(et), 5,
                                               probeTimer, &p, probeFree) > 0);
        if (!probeWait(&p, &p.calls, 3, 2000))
            VIR_TEST_FAIL("event thread did not run its timer");
        VIR_TEST_ASSERT(p.wasLoopThread);
        virEventThreadFree(et);
        VIR_TEST_ASSERT_INT(p.frees, 1);
        probeClear(&p);
    }
    /* Freeing right after creation must not hang either. */
    virEventThreadFree(virEventThreadNew("ev-quick"));
    return 0;
}

int
main(void)
{
    virTestRun("pipe watches, update, remove", testPipeWatches, NULL);
    virTestRun("hangup bit", testHangup, NULL);
    virTestRun("removal from another callback in the same iteration",
               testRemoveOtherInSameIteration, NULL);
    virTestRun("two watches on one fd", testSameFdTwice, NULL);
    virTestRun("fd number reused before the old watch is removed", testFdReuse, NULL);
    virTestRun("timers: zero, periodic, disabled", testTimers, NULL);
    virTestRun("timer removing itself", testSelfRemove, NULL);
    virTestRun("timer removing another in the same iteration", testTimerRemovesOther, NULL);
    virTestRun("ids increase and are not reused", testIdsIncrease, NULL);
    virTestRun("changes from another thread wake the loop", testCrossThreadWakeup, NULL);
    virTestRun("quit from another thread", testQuitFromOtherThread, NULL);
    virTestRun("event thread start and stop", testEventThread, NULL);
    return virTestResult();
}
