/*
 * virevent.c: epoll event loop with watches and timers.
 *
 * Ownership: the loop owns its watch and timer records; the opaque pointers
 * belong to the caller, who gets them back through the free callback after
 * removal (or from virEventLoopFree, for whatever is still registered).
 * Several watches may share one fd: a per-fd registration keeps them and
 * gives epoll the union of their events; an fd whose watches all have
 * events 0 is taken out of epoll, so a hung-up fd nobody listens to cannot
 * spin the loop.
 *
 * Locking: one mutex guards all records. Callbacks and free callbacks run
 * in the loop thread without it, so they may call back into the loop.
 * Dispatch looks a watch/timer up by id under the mutex right before each
 * call: removal deletes the record at once, so a removed watch is never
 * called after removal returns in the loop thread (the usual case: removal
 * from a callback). A removal from another thread cannot stop a callback
 * that the loop thread has already begun; that is why free callbacks are
 * deferred to the loop thread, after the running callback has returned, so
 * the opaque data outlives every call that uses it. Removal never waits for
 * the loop: waiting could deadlock against a callback that needs a lock the
 * remover holds.
 *
 * Only one thread may run a given loop at a time.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include <glib.h>

#include "virevent.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_EVENT

VIR_LOG_INIT("util.event");

#define VIR_EVENT_MAX_READY 64
#define VIR_EVENT_ALL_BITS (VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_WRITABLE | \
                            VIR_EVENT_HANDLE_ERROR | VIR_EVENT_HANDLE_HANGUP)

typedef struct {
    int id;
    int fd;
    int events;
    virEventHandleCallback cb;
    void *opaque;
    virFreeCallback ff;
} virEventWatch;

typedef struct {
    int fd;
    bool inEpoll;
    uint32_t mask;         /* epoll events installed when inEpoll */
    GPtrArray *watches;    /* virEventWatch *, not owned */
} virEventFdReg;

typedef struct {
    int id;
    int ms;
    uint64_t expiresUs;    /* monotonic deadline when ms > 0 */
    virEventTimeoutCallback cb;
    void *opaque;
    virFreeCallback ff;
} virEventTimer;

typedef struct {
    virFreeCallback ff;
    void *opaque;
} virEventPendingFree;

struct _virEventLoop {
    GMutex lock;
    int epfd;
    int wakefd;
    int nextWatch;
    int nextTimer;
    GHashTable *watches;   /* id -> virEventWatch * (owned) */
    GHashTable *fds;       /* fd -> virEventFdReg * (owned) */
    GHashTable *timers;    /* id -> virEventTimer * (owned) */
    GArray *pendingFree;   /* virEventPendingFree */
    bool polling;          /* the loop thread is inside epoll_wait */
    bool wakePending;      /* wakefd written, not yet drained */
    bool quit;
    GThread *runner;       /* thread inside RunOnce, or NULL */
};

static void
virEventFdRegFree(gpointer data)
{
    virEventFdReg *reg = data;

    g_ptr_array_unref(reg->watches);
    g_free(reg);
}

virEventLoop *
virEventLoopNew(void)
{
    virEventLoop *loop = g_new0(virEventLoop, 1);
    struct epoll_event ev = { .events = EPOLLIN };

    loop->epfd = -1;
    loop->wakefd = -1;
    g_mutex_init(&loop->lock);
    loop->nextWatch = 1;
    loop->nextTimer = 1;
    loop->watches = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    loop->fds = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                      virEventFdRegFree);
    loop->timers = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    loop->pendingFree = g_array_new(FALSE, FALSE, sizeof(virEventPendingFree));

    if ((loop->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
        virReportSystemError(errno, "cannot create epoll instance");
        goto error;
    }
    if ((loop->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
        virReportSystemError(errno, "cannot create wakeup eventfd");
        goto error;
    }
    ev.data.fd = loop->wakefd;
    if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->wakefd, &ev) < 0) {
        virReportSystemError(errno, "cannot watch wakeup eventfd");
        goto error;
    }
    return loop;

 error:
    virEventLoopFree(loop);
    return NULL;
}

/* Move every queued free callback out and run it, without the lock; repeat
 * since a free callback may remove more watches. */
static void
virEventLoopRunPendingFree(virEventLoop *loop)
{
    for (;;) {
        GArray *todo;

        g_mutex_lock(&loop->lock);
        if (loop->pendingFree->len == 0) {
            g_mutex_unlock(&loop->lock);
            return;
        }
        todo = loop->pendingFree;
        loop->pendingFree = g_array_new(FALSE, FALSE, sizeof(virEventPendingFree));
        g_mutex_unlock(&loop->lock);

        for (guint i = 0; i < todo->len; i++) {
            virEventPendingFree *p = &g_array_index(todo, virEventPendingFree, i);

            p->ff(p->opaque);
        }
        g_array_unref(todo);
    }
}

/* Call with the lock held. */
static void
virEventLoopQueueFree(virEventLoop *loop, virFreeCallback ff, void *opaque)
{
    virEventPendingFree p = { ff, opaque };

    if (ff)
        g_array_append_val(loop->pendingFree, p);
}

void
virEventLoopFree(virEventLoop *loop)
{
    GHashTableIter iter;
    gpointer value;

    if (!loop)
        return;

    /* Whatever is still registered is released now, like a removal. */
    g_mutex_lock(&loop->lock);
    g_hash_table_iter_init(&iter, loop->watches);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        virEventWatch *w = value;
        virEventLoopQueueFree(loop, w->ff, w->opaque);
    }
    g_hash_table_iter_init(&iter, loop->timers);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        virEventTimer *t = value;
        virEventLoopQueueFree(loop, t->ff, t->opaque);
    }
    g_hash_table_remove_all(loop->fds);
    g_hash_table_remove_all(loop->watches);
    g_hash_table_remove_all(loop->timers);
    g_mutex_unlock(&loop->lock);

    virEventLoopRunPendingFree(loop);

    VIR_FORCE_CLOSE(loop->wakefd);
    VIR_FORCE_CLOSE(loop->epfd);
    g_hash_table_unref(loop->fds);
    g_hash_table_unref(loop->watches);
    g_hash_table_unref(loop->timers);
    g_array_unref(loop->pendingFree);
    g_mutex_clear(&loop->lock);
    g_free(loop);
}

void
virEventLoopWakeup(virEventLoop *loop)
{
    uint64_t one = 1;

    /* Failure means the counter is already non-zero: the loop will wake. */
    if (write(loop->wakefd, &one, sizeof(one)) < 0 && errno != EAGAIN)
        VIR_DEBUG("cannot write wakeup eventfd: %s", g_strerror(errno));
}

/* Call with the lock held, after a change the loop must notice. Only a
 * loop blocked in epoll_wait needs the eventfd; an idle or dispatching one
 * recomputes its timeout before waiting again. */
static void
virEventLoopWakeupLocked(virEventLoop *loop)
{
    if (!loop->polling || loop->wakePending)
        return;
    if (g_atomic_pointer_get(&loop->runner) == g_thread_self())
        return;
    loop->wakePending = true;
    virEventLoopWakeup(loop);
}

bool
virEventLoopIsLoopThread(virEventLoop *loop)
{
    return g_atomic_pointer_get(&loop->runner) == g_thread_self();
}

static uint32_t
virEventToEpoll(int events)
{
    uint32_t ret = 0;

    if (events & VIR_EVENT_HANDLE_READABLE)
        ret |= EPOLLIN;
    if (events & VIR_EVENT_HANDLE_WRITABLE)
        ret |= EPOLLOUT;
    return ret;
}

static int
virEventFromEpoll(uint32_t events)
{
    int ret = 0;

    if (events & (EPOLLIN | EPOLLPRI))
        ret |= VIR_EVENT_HANDLE_READABLE;
    if (events & EPOLLOUT)
        ret |= VIR_EVENT_HANDLE_WRITABLE;
    if (events & EPOLLERR)
        ret |= VIR_EVENT_HANDLE_ERROR;
    if (events & (EPOLLHUP | EPOLLRDHUP))
        ret |= VIR_EVENT_HANDLE_HANGUP;
    return ret;
}

/* Bring the epoll registration of reg in line with its watches. Call with
 * the lock held. force: talk to epoll even if the mask is unchanged, for a
 * new watch: its fd number may belong to a new file by now (the old one
 * closed before its watch was removed), which epoll has never seen.
 * Returns 0 or -1 with errno set. */
static int
virEventFdRegSync(virEventLoop *loop, virEventFdReg *reg, bool force)
{
    struct epoll_event ev = { 0 };
    int wanted = 0;

    for (guint i = 0; i < reg->watches->len; i++) {
        virEventWatch *w = g_ptr_array_index(reg->watches, i);
        wanted |= w->events;
    }

    if (wanted == 0) {
        if (reg->inEpoll &&
            epoll_ctl(loop->epfd, EPOLL_CTL_DEL, reg->fd, &ev) < 0 &&
            errno != EBADF && errno != ENOENT)
            return -1;
        /* EBADF/ENOENT: the fd was closed already, which unregistered it. */
        reg->inEpoll = false;
        return 0;
    }

    /* ERROR/HANGUP-only watches still need the fd in epoll; those bits
     * are always reported by epoll. */
    ev.events = virEventToEpoll(wanted);
    ev.data.fd = reg->fd;
    if (reg->inEpoll && reg->mask == ev.events && !force)
        return 0;
    if (reg->inEpoll) {
        if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, reg->fd, &ev) < 0) {
            if (errno != ENOENT)
                return -1;
            if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, reg->fd, &ev) < 0)
                return -1;
        }
    } else if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, reg->fd, &ev) < 0) {
        /* A closed fd's number may come back with a stale entry (a dup of
         * the old file kept it alive): take over that entry. */
        if (errno != EEXIST ||
            epoll_ctl(loop->epfd, EPOLL_CTL_MOD, reg->fd, &ev) < 0)
            return -1;
    }
    reg->inEpoll = true;
    reg->mask = ev.events;
    return 0;
}

/* Detach w from its fd registration (lock held); drops the registration
 * when it was the last watch. */
static void
virEventFdRegDetach(virEventLoop *loop, virEventWatch *w)
{
    virEventFdReg *reg = g_hash_table_lookup(loop->fds, GINT_TO_POINTER(w->fd));

    if (!reg)
        return;
    g_ptr_array_remove(reg->watches, w);
    if (virEventFdRegSync(loop, reg, false) < 0)
        VIR_DEBUG("cannot update epoll for fd %d: %s", reg->fd, g_strerror(errno));
    if (reg->watches->len == 0)
        g_hash_table_remove(loop->fds, GINT_TO_POINTER(w->fd));
}

int
virEventLoopAddHandle(virEventLoop *loop, int fd, int events,
                      virEventHandleCallback cb, void *opaque,
                      virFreeCallback ff)
{
    virEventWatch *w;
    virEventFdReg *reg;
    int id;

    if (fd < 0 || !cb) {
        virReportError(VIR_ERR_INVALID_ARG, "cannot watch fd %d%s", fd,
                       cb ? "" : " without a callback");
        return -1;
    }

    g_mutex_lock(&loop->lock);
    if (loop->nextWatch == INT_MAX) {
        g_mutex_unlock(&loop->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "event loop ran out of watch ids");
        return -1;
    }
    w = g_new0(virEventWatch, 1);
    w->fd = fd;
    w->events = events & VIR_EVENT_ALL_BITS;
    w->cb = cb;
    w->opaque = opaque;
    w->ff = ff;

    if (!(reg = g_hash_table_lookup(loop->fds, GINT_TO_POINTER(fd)))) {
        reg = g_new0(virEventFdReg, 1);
        reg->fd = fd;
        reg->watches = g_ptr_array_new();
        g_hash_table_insert(loop->fds, GINT_TO_POINTER(fd), reg);
    }
    g_ptr_array_add(reg->watches, w);
    if (virEventFdRegSync(loop, reg, true) < 0) {
        int err = errno;

        g_ptr_array_remove(reg->watches, w);
        if (reg->watches->len == 0)
            g_hash_table_remove(loop->fds, GINT_TO_POINTER(fd));
        else
            virEventFdRegSync(loop, reg, false);
        g_free(w);
        g_mutex_unlock(&loop->lock);
        virReportSystemError(err, "cannot watch fd %d", fd);
        return -1;
    }
    id = w->id = loop->nextWatch++;
    g_hash_table_insert(loop->watches, GINT_TO_POINTER(id), w);
    /* No wake-up: epoll_ctl takes effect in a concurrent epoll_wait. */
    g_mutex_unlock(&loop->lock);

    VIR_DEBUG("watch=%d fd=%d events=%d", id, fd, events);
    return id;
}

int
virEventLoopUpdateHandle(virEventLoop *loop, int watch, int events)
{
    virEventWatch *w;
    virEventFdReg *reg;
    int oldEvents;

    g_mutex_lock(&loop->lock);
    if (!(w = g_hash_table_lookup(loop->watches, GINT_TO_POINTER(watch)))) {
        g_mutex_unlock(&loop->lock);
        virReportError(VIR_ERR_INVALID_ARG, "no event watch with id %d", watch);
        return -1;
    }
    oldEvents = w->events;
    w->events = events & VIR_EVENT_ALL_BITS;
    reg = g_hash_table_lookup(loop->fds, GINT_TO_POINTER(w->fd));
    if (reg && virEventFdRegSync(loop, reg, false) < 0) {
        int err = errno;

        w->events = oldEvents;
        virEventFdRegSync(loop, reg, false);
        g_mutex_unlock(&loop->lock);
        virReportSystemError(err, "cannot update watch %d on fd %d", watch, w->fd);
        return -1;
    }
    /* No wake-up, as in AddHandle: the client changes its watch twice per
     * call, and waking the loop each time doubled a null call's cost. */
    g_mutex_unlock(&loop->lock);
    return 0;
}

int
virEventLoopRemoveHandle(virEventLoop *loop, int watch)
{
    virEventWatch *w;

    g_mutex_lock(&loop->lock);
    if (!(w = g_hash_table_lookup(loop->watches, GINT_TO_POINTER(watch)))) {
        g_mutex_unlock(&loop->lock);
        virReportError(VIR_ERR_INVALID_ARG, "no event watch with id %d", watch);
        return -1;
    }
    virEventFdRegDetach(loop, w);
    virEventLoopQueueFree(loop, w->ff, w->opaque);
    g_hash_table_remove(loop->watches, GINT_TO_POINTER(watch));
    /* Wake so the free callback runs soon even on an idle loop. */
    virEventLoopWakeupLocked(loop);
    g_mutex_unlock(&loop->lock);

    VIR_DEBUG("watch=%d removed", watch);
    return 0;
}

static void
virEventTimerArm(virEventTimer *t, uint64_t nowUs)
{
    if (t->ms > 0)
        t->expiresUs = nowUs + (uint64_t)t->ms * 1000;
}

int
virEventLoopAddTimeout(virEventLoop *loop, int ms,
                       virEventTimeoutCallback cb, void *opaque,
                       virFreeCallback ff)
{
    virEventTimer *t;
    int id;

    if (!cb) {
        virReportError(VIR_ERR_INVALID_ARG, "timer without a callback");
        return -1;
    }

    g_mutex_lock(&loop->lock);
    if (loop->nextTimer == INT_MAX) {
        g_mutex_unlock(&loop->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "event loop ran out of timer ids");
        return -1;
    }
    t = g_new0(virEventTimer, 1);
    id = t->id = loop->nextTimer++;
    t->ms = ms < 0 ? -1 : ms;
    t->cb = cb;
    t->opaque = opaque;
    t->ff = ff;
    virEventTimerArm(t, virTimeMonoUs());
    g_hash_table_insert(loop->timers, GINT_TO_POINTER(id), t);
    virEventLoopWakeupLocked(loop);
    g_mutex_unlock(&loop->lock);

    VIR_DEBUG("timer=%d ms=%d", id, ms);
    return id;
}

int
virEventLoopUpdateTimeout(virEventLoop *loop, int timer, int ms)
{
    virEventTimer *t;

    g_mutex_lock(&loop->lock);
    if (!(t = g_hash_table_lookup(loop->timers, GINT_TO_POINTER(timer)))) {
        g_mutex_unlock(&loop->lock);
        virReportError(VIR_ERR_INVALID_ARG, "no event timer with id %d", timer);
        return -1;
    }
    t->ms = ms < 0 ? -1 : ms;
    virEventTimerArm(t, virTimeMonoUs());
    virEventLoopWakeupLocked(loop);
    g_mutex_unlock(&loop->lock);
    return 0;
}

int
virEventLoopRemoveTimeout(virEventLoop *loop, int timer)
{
    virEventTimer *t;

    g_mutex_lock(&loop->lock);
    if (!(t = g_hash_table_lookup(loop->timers, GINT_TO_POINTER(timer)))) {
        g_mutex_unlock(&loop->lock);
        virReportError(VIR_ERR_INVALID_ARG, "no event timer with id %d", timer);
        return -1;
    }
    virEventLoopQueueFree(loop, t->ff, t->opaque);
    g_hash_table_remove(loop->timers, GINT_TO_POINTER(timer));
    virEventLoopWakeupLocked(loop);
    g_mutex_unlock(&loop->lock);

    VIR_DEBUG("timer=%d removed", timer);
    return 0;
}

/* Milliseconds until the first timer is due, -1 for none (lock held). */
static int
virEventLoopComputeTimeout(virEventLoop *loop, uint64_t nowUs)
{
    GHashTableIter iter;
    gpointer value;
    int64_t best = -1;

    g_hash_table_iter_init(&iter, loop->timers);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        virEventTimer *t = value;
        int64_t waitMs;

        if (t->ms < 0)
            continue;
        if (t->ms == 0 || t->expiresUs <= nowUs)
            return 0;
        /* Round up so that the timer is due when the wait ends. */
        waitMs = (int64_t)((t->expiresUs - nowUs + 999) / 1000);
        if (best < 0 || waitMs < best)
            best = waitMs;
    }
    return best > INT_MAX ? INT_MAX : (int)best;
}

static gint
virEventCompareInt(gconstpointer a, gconstpointer b)
{
    int x = *(const int *)a;
    int y = *(const int *)b;

    return (x > y) - (x < y);
}

static void
virEventLoopDispatchTimers(virEventLoop *loop)
{
    g_autoptr(GArray) due = g_array_new(FALSE, FALSE, sizeof(int));
    GHashTableIter iter;
    gpointer value;
    uint64_t nowUs = virTimeMonoUs();

    g_mutex_lock(&loop->lock);
    g_hash_table_iter_init(&iter, loop->timers);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        virEventTimer *t = value;

        if (t->ms == 0 || (t->ms > 0 && t->expiresUs <= nowUs))
            g_array_append_val(due, t->id);
    }
    g_mutex_unlock(&loop->lock);

    /* Fire in creation order: ids only grow. */
    g_array_sort(due, virEventCompareInt);

    for (guint i = 0; i < due->len; i++) {
        int id = g_array_index(due, int, i);
        virEventTimeoutCallback cb;
        void *opaque;
        virEventTimer *t;

        g_mutex_lock(&loop->lock);
        t = g_hash_table_lookup(loop->timers, GINT_TO_POINTER(id));
        /* Removed, disabled or re-armed by an earlier callback: skip. */
        if (!t || t->ms < 0 || (t->ms > 0 && t->expiresUs > nowUs)) {
            g_mutex_unlock(&loop->lock);
            continue;
        }
        virEventTimerArm(t, virTimeMonoUs());
        cb = t->cb;
        opaque = t->opaque;
        g_mutex_unlock(&loop->lock);

        cb(id, opaque);
    }
}

typedef struct {
    int watch;
    int events;   /* VIR_EVENT_HANDLE_* as reported by epoll */
} virEventReady;

static void
virEventLoopDispatchHandles(virEventLoop *loop, struct epoll_event *evs, int nevs)
{
    g_autoptr(GArray) ready = g_array_new(FALSE, FALSE, sizeof(virEventReady));

    /* Pair readiness with the watches registered when epoll reported it, so
     * a watch added meanwhile on a reused fd number gets no stale event. */
    g_mutex_lock(&loop->lock);
    for (int i = 0; i < nevs; i++) {
        virEventFdReg *reg;

        if (evs[i].data.fd == loop->wakefd)
            continue;
        if (!(reg = g_hash_table_lookup(loop->fds, GINT_TO_POINTER(evs[i].data.fd))))
            continue;
        for (guint j = 0; j < reg->watches->len; j++) {
            virEventWatch *w = g_ptr_array_index(reg->watches, j);
            virEventReady r = { w->id, virEventFromEpoll(evs[i].events) };

            g_array_append_val(ready, r);
        }
    }
    g_mutex_unlock(&loop->lock);

    for (guint i = 0; i < ready->len; i++) {
        virEventReady *r = &g_array_index(ready, virEventReady, i);
        virEventHandleCallback cb;
        virEventWatch *w;
        void *opaque;
        int events;
        int fd;

        g_mutex_lock(&loop->lock);
        w = g_hash_table_lookup(loop->watches, GINT_TO_POINTER(r->watch));
        /* A watch with no events set is disabled: it hears nothing, not
         * even errors. Otherwise ERROR/HANGUP always get through. */
        if (!w || w->events == 0 ||
            !(events = r->events & (w->events | VIR_EVENT_HANDLE_ERROR |
                                    VIR_EVENT_HANDLE_HANGUP))) {
            g_mutex_unlock(&loop->lock);
            continue;
        }
        cb = w->cb;
        opaque = w->opaque;
        fd = w->fd;
        g_mutex_unlock(&loop->lock);

        cb(r->watch, fd, events, opaque);
    }
}

int
virEventLoopRunOnce(virEventLoop *loop)
{
    struct epoll_event evs[VIR_EVENT_MAX_READY];
    int timeout;
    int nevs;
    int ret = 0;

    g_atomic_pointer_set(&loop->runner, g_thread_self());
    virEventLoopRunPendingFree(loop);

    g_mutex_lock(&loop->lock);
    timeout = loop->quit ? 0 : virEventLoopComputeTimeout(loop, virTimeMonoUs());
    loop->polling = true;
    g_mutex_unlock(&loop->lock);

    nevs = epoll_wait(loop->epfd, evs, G_N_ELEMENTS(evs), timeout);

    g_mutex_lock(&loop->lock);
    loop->polling = false;
    loop->wakePending = false;
    g_mutex_unlock(&loop->lock);

    for (int i = 0; i < nevs; i++) {
        uint64_t count;

        /* Any change made from now on is seen by the next timeout
         * computation, so draining here loses no wakeup. */
        if (evs[i].data.fd == loop->wakefd &&
            read(loop->wakefd, &count, sizeof(count)) < 0 && errno != EAGAIN)
            VIR_DEBUG("cannot read wakeup eventfd: %s", g_strerror(errno));
    }

    if (nevs < 0) {
        if (errno == EINTR) {
            nevs = 0;
        } else {
            virReportSystemError(errno, "cannot wait for events");
            ret = -1;
            goto cleanup;
        }
    }

    virEventLoopDispatchTimers(loop);
    virEventLoopDispatchHandles(loop, evs, nevs);

 cleanup:
    virEventLoopRunPendingFree(loop);
    g_atomic_pointer_set(&loop->runner, NULL);
    return ret;
}

int
virEventLoopRun(virEventLoop *loop)
{
    int ret = 0;

    for (;;) {
        bool quit;

        g_mutex_lock(&loop->lock);
        quit = loop->quit;
        g_mutex_unlock(&loop->lock);
        if (quit)
            break;
        if (virEventLoopRunOnce(loop) < 0) {
            ret = -1;
            break;
        }
    }

    /* Consumed here, not on entry, so a Quit that races ahead of Run
     * still stops it. */
    g_mutex_lock(&loop->lock);
    loop->quit = false;
    g_mutex_unlock(&loop->lock);
    return ret;
}

void
virEventLoopQuit(virEventLoop *loop)
{
    g_mutex_lock(&loop->lock);
    loop->quit = true;
    g_mutex_unlock(&loop->lock);
    /* Unconditional: Quit may come from a callback of this very loop, or
     * just before the loop thread starts polling. */
    virEventLoopWakeup(loop);
}

struct _virEventThread {
    virEventLoop *loop;
    GThread *thread;
};

static gpointer
virEventThreadMain(gpointer opaque)
{
    virEventThread *et = opaque;

    if (virEventLoopRun(et->loop) < 0)
        VIR_ERROR("event loop thread stopped: %s", virGetLastErrorMessage());
    return NULL;
}

virEventThread *
virEventThreadNew(const char *name)
{
    virEventThread *et = g_new0(virEventThread, 1);
    g_autoptr(GError) gerr = NULL;

    if (!(et->loop = virEventLoopNew())) {
        g_free(et);
        return NULL;
    }
    if (!(et->thread = g_thread_try_new(name ? name : "vir-event",
                                        virEventThreadMain, et, &gerr))) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "cannot start event loop thread: %s", gerr->message);
        virEventLoopFree(et->loop);
        g_free(et);
        return NULL;
    }
    return et;
}

virEventLoop *
virEventThreadGetLoop(virEventThread *thread)
{
    return thread->loop;
}

void
virEventThreadFree(virEventThread *thread)
{
    if (!thread)
        return;
    virEventLoopQuit(thread->loop);
    g_thread_join(thread->thread);
    virEventLoopFree(thread->loop);
    g_free(thread);
}
