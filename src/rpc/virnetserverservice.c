/*
 * virnetserverservice.c: listening sockets of one service.
 *
 * Ownership: the service owns its sockets. The server holds a reference;
 * each loop watch holds another (dropped by the watch's free callback), so
 * an accept callback already running on the loop thread when another
 * thread frees the service still sees a live object.
 * Accept callbacks run on the loop thread. The accept function's opaque
 * (the server) is not referenced: Close waits for an accept function that
 * is running on another thread, so once Close returns nothing calls it
 * again and its opaque may be freed.
 * Locking: a mutex guards the enabled state against Toggle from other
 * threads, and the TLS context against replacement (SIGHUP); accept
 * itself runs on the loop thread only. Close must not be called with a
 * lock the accept function takes (it would wait for it forever).
 *
 * Out of descriptors (EMFILE, ENFILE, ENOBUFS, ENOMEM from accept): the
 * pending connection stays in the backlog and the level-triggered watch
 * would fire again at once, spinning the loop. The service pauses instead:
 * its watches are disarmed until a client of the server leaves
 * (virNetServerServiceResume) or a timer of
 * VIR_NET_SERVER_SERVICE_BACKOFF_MS passes. One warning per episode, one
 * note when an accept succeeds again.
 *
 * TLS: a service with a TLS context hands each accepted client a
 * reference to the context current at accept time; replacing the context
 * affects only later connections.
 */
#include <errno.h>

#include "virnetserverservice.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netserverservice");

/* Accept at most this many clients per wake-up, so one busy listener
 * does not starve the clients already connected. */
#define VIR_NET_SERVER_SERVICE_ACCEPT_BATCH 64
/* Retry accepting this long after running out of descriptors. */
#define VIR_NET_SERVER_SERVICE_BACKOFF_MS 250

struct _virNetServerService {
    gint refs;
    GMutex lock;
    virNetSocket **socks;
    size_t nsocks;
    int *watches;
    int auth;
    bool readonly;
    size_t max_queued_clients;
    bool enabled;
    bool paused;                /* out of descriptors: watches disarmed */
    int resumeTimer;            /* re-arms them, or -1 */
    bool exhausted;             /* in an episode of failed accepts */
    unsigned long long failedAccepts;   /* in this episode */
    gint64 exhaustedSince;
    virNetTLSContext *tls;

    virEventLoop *loop;
    virNetServerServiceAcceptFunc acceptFunc;
    void *acceptOpaque;
    bool closed;                /* by Close: acceptFunc is not called again */
    GThread *acceptThread;      /* running acceptFunc now, or NULL */
    GCond acceptDone;
};


static virNetServerService *
virNetServerServiceNewSockets(virNetSocket **socks, size_t nsocks, int auth,
                              bool readonly, size_t max_queued_clients)
{
    virNetServerService *svc = g_new0(virNetServerService, 1);

    svc->refs = 1;
    g_mutex_init(&svc->lock);
    g_cond_init(&svc->acceptDone);
    svc->socks = socks;
    svc->nsocks = nsocks;
    svc->watches = g_new(int, nsocks);
    for (size_t i = 0; i < nsocks; i++)
        svc->watches[i] = -1;
    svc->auth = auth;
    svc->readonly = readonly;
    svc->max_queued_clients = max_queued_clients;
    svc->resumeTimer = -1;

    for (size_t i = 0; i < nsocks; i++) {
        if (virNetSocketListen(socks[i], max_queued_clients) < 0) {
            virNetServerServiceFree(svc);
            return NULL;
        }
    }
    return svc;
}


virNetServerService *
virNetServerServiceNewUNIX(const char *path, mode_t mask, gid_t grp, int auth,
                           bool readonly, size_t max_queued_clients)
{
    virNetSocket **socks = g_new0(virNetSocket *, 1);

    if (!(socks[0] = virNetSocketNewListenUNIX(path, mask, (uid_t)-1, grp))) {
        g_free(socks);
        return NULL;
    }
    VIR_DEBUG("listening on %s", path);
    return virNetServerServiceNewSockets(socks, 1, auth, readonly, max_queued_clients);
}


virNetServerService *
virNetServerServiceNewTCP(const char *host, const char *port, int auth,
                          bool readonly, size_t max_queued_clients)
{
    virNetSocket **socks = NULL;
    size_t nsocks = 0;

    if (virNetSocketNewListenTCP(host, port, &socks, &nsocks) < 0)
        return NULL;
    VIR_DEBUG("listening on %s port %s (%zu sockets)", host ? host : "*", port, nsocks);
    return virNetServerServiceNewSockets(socks, nsocks, auth, readonly, max_queued_clients);
}


virNetServerService *
virNetServerServiceNewFDs(int *fds, size_t nfds, int auth, bool readonly)
{
    virNetSocket **socks = g_new0(virNetSocket *, nfds);

    for (size_t i = 0; i < nfds; i++) {
        if (!(socks[i] = virNetSocketNewListenFD(fds[i]))) {
            for (size_t j = 0; j < i; j++)
                virNetSocketFree(socks[j]);
            g_free(socks);
            return NULL;
        }
    }
    return virNetServerServiceNewSockets(socks, nfds, auth, readonly, 0);
}


static void
virNetServerServiceUnref(void *opaque)
{
    virNetServerService *svc = opaque;

    if (!g_atomic_int_dec_and_test(&svc->refs))
        return;
    for (size_t i = 0; i < svc->nsocks; i++)
        virNetSocketFree(svc->socks[i]);
    g_free(svc->socks);
    g_free(svc->watches);
    virNetTLSContextUnref(svc->tls);
    g_cond_clear(&svc->acceptDone);
    g_mutex_clear(&svc->lock);
    g_free(svc);
}


void
virNetServerServiceFree(virNetServerService *svc)
{
    if (!svc)
        return;
    virNetServerServiceClose(svc);
    virNetServerServiceUnref(svc);
}


int virNetServerServiceGetAuth(virNetServerService *svc) { return svc->auth; }


void
virNetServerServiceSetTLSContext(virNetServerService *svc, virNetTLSContext *ctxt)
{
    virNetTLSContext *old;

    g_mutex_lock(&svc->lock);
    old = svc->tls;
    svc->tls = virNetTLSContextRef(ctxt);
    g_mutex_unlock(&svc->lock);
    virNetTLSContextUnref(old);
}


virNetTLSContext *
virNetServerServiceGetTLSContext(virNetServerService *svc)
{
    virNetTLSContext *ctxt;

    g_mutex_lock(&svc->lock);
    ctxt = virNetTLSContextRef(svc->tls);
    g_mutex_unlock(&svc->lock);
    return ctxt;
}


bool
virNetServerServiceHasTLS(virNetServerService *svc)
{
    bool ret;

    g_mutex_lock(&svc->lock);
    ret = svc->tls != NULL;
    g_mutex_unlock(&svc->lock);
    return ret;
}

bool virNetServerServiceIsReadonly(virNetServerService *svc) { return svc->readonly; }
size_t virNetServerServiceGetNSockets(virNetServerService *svc) { return svc->nsocks; }


virNetSocket *
virNetServerServiceGetSocket(virNetServerService *svc, size_t i)
{
    return i < svc->nsocks ? svc->socks[i] : NULL;
}


int
virNetServerServiceGetPort(virNetServerService *svc)
{
    return svc->nsocks ? virNetSocketGetPort(svc->socks[0]) : 0;
}


/* Arm the watches when the service is enabled and not paused. Lock held. */
static void
virNetServerServiceUpdateLocked(virNetServerService *svc)
{
    int events = svc->enabled && !svc->paused ? VIR_EVENT_HANDLE_READABLE : 0;

    if (!svc->loop)
        return;
    for (size_t i = 0; i < svc->nsocks; i++) {
        if (svc->watches[i] >= 0)
            virEventLoopUpdateHandle(svc->loop, svc->watches[i], events);
    }
}


static void
virNetServerServiceStopTimerLocked(virNetServerService *svc)
{
    if (svc->resumeTimer >= 0) {
        virEventLoopRemoveTimeout(svc->loop, svc->resumeTimer);
        svc->resumeTimer = -1;
    }
}


static void
virNetServerServiceResumeTimer(int timer G_GNUC_UNUSED, void *opaque)
{
    virNetServerServiceResume(opaque);
}


void
virNetServerServiceResume(virNetServerService *svc)
{
    g_mutex_lock(&svc->lock);
    if (svc->paused) {
        svc->paused = false;
        virNetServerServiceStopTimerLocked(svc);
        virNetServerServiceUpdateLocked(svc);
    }
    g_mutex_unlock(&svc->lock);
}


/* accept failed with err: pause when it is lack of resources. */
static void
virNetServerServiceAcceptFailed(virNetServerService *svc, int err)
{
    bool exhaustion = err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;

    g_mutex_lock(&svc->lock);
    if (!svc->exhausted) {
        VIR_WARN("accept failed: %s; %s", virGetLastErrorMessage(),
                 exhaustion ? "pausing this service until a client leaves (further failures "
                              "are counted, not logged)" : "retrying later");
        svc->exhausted = true;
        svc->failedAccepts = 0;
        svc->exhaustedSince = g_get_monotonic_time();
    }
    svc->failedAccepts++;
    /* Any error: without a pause a listener that keeps failing spins. */
    if (!svc->paused && svc->loop) {
        svc->paused = true;
        g_atomic_int_inc(&svc->refs);
        svc->resumeTimer = virEventLoopAddTimeout(svc->loop, VIR_NET_SERVER_SERVICE_BACKOFF_MS,
                                                  virNetServerServiceResumeTimer, svc,
                                                  virNetServerServiceUnref);
        if (svc->resumeTimer < 0)
            g_atomic_int_dec_and_test(&svc->refs);
        virNetServerServiceUpdateLocked(svc);
    }
    g_mutex_unlock(&svc->lock);
    virResetLastError();
}


static void
virNetServerServiceAccept(int watch, int fd G_GNUC_UNUSED, int events G_GNUC_UNUSED,
                          void *opaque)
{
    virNetServerService *svc = opaque;
    virNetSocket *listener = NULL;

    g_mutex_lock(&svc->lock);
    for (size_t i = 0; i < svc->nsocks; i++) {
        if (svc->watches[i] == watch)
            listener = svc->socks[i];
    }
    g_mutex_unlock(&svc->lock);
    if (!listener)
        return;

    for (int n = 0; n < VIR_NET_SERVER_SERVICE_ACCEPT_BATCH; n++) {
        virNetSocket *client = NULL;

        g_mutex_lock(&svc->lock);
        if (!svc->enabled || svc->paused) {
            g_mutex_unlock(&svc->lock);
            break;
        }
        g_mutex_unlock(&svc->lock);

        if (virNetSocketAccept(listener, &client) < 0) {
            virNetServerServiceAcceptFailed(svc, errno);
            break;
        }
        if (!client)
            break;
        g_mutex_lock(&svc->lock);
        if (svc->exhausted) {
            VIR_WARN("accepting clients again after %llu failed attempts over %lld ms",
                     svc->failedAccepts,
                     (long long)(g_get_monotonic_time() - svc->exhaustedSince) / 1000);
            svc->exhausted = false;
        }
        if (svc->closed) {
            /* closed meanwhile: the opaque may be going */
            g_mutex_unlock(&svc->lock);
            virNetSocketFree(client);
            break;
        }
        svc->acceptThread = g_thread_self();
        g_mutex_unlock(&svc->lock);
        svc->acceptFunc(svc, client, svc->acceptOpaque);
        g_mutex_lock(&svc->lock);
        svc->acceptThread = NULL;
        g_cond_broadcast(&svc->acceptDone);
        g_mutex_unlock(&svc->lock);
    }
}


int
virNetServerServiceStart(virNetServerService *svc, virEventLoop *loop,
                         virNetServerServiceAcceptFunc func, void *opaque)
{
    svc->loop = loop;
    svc->acceptFunc = func;
    svc->acceptOpaque = opaque;
    g_mutex_lock(&svc->lock);
    svc->enabled = true;
    for (size_t i = 0; i < svc->nsocks; i++) {
        g_atomic_int_inc(&svc->refs);
        svc->watches[i] = virEventLoopAddHandle(loop, virNetSocketGetFD(svc->socks[i]),
                                                VIR_EVENT_HANDLE_READABLE,
                                                virNetServerServiceAccept, svc,
                                                virNetServerServiceUnref);
        if (svc->watches[i] < 0) {
            g_atomic_int_dec_and_test(&svc->refs);
            g_mutex_unlock(&svc->lock);
            return -1;
        }
    }
    g_mutex_unlock(&svc->lock);
    return 0;
}


void
virNetServerServiceToggle(virNetServerService *svc, bool enabled)
{
    g_mutex_lock(&svc->lock);
    if (svc->enabled != enabled && svc->loop) {
        svc->enabled = enabled;
        virNetServerServiceUpdateLocked(svc);
    }
    g_mutex_unlock(&svc->lock);
}


void
virNetServerServiceClose(virNetServerService *svc)
{
    g_mutex_lock(&svc->lock);
    svc->enabled = false;
    svc->closed = true;
    virNetServerServiceStopTimerLocked(svc);
    for (size_t i = 0; i < svc->nsocks; i++) {
        if (svc->watches[i] >= 0) {
            virEventLoopRemoveHandle(svc->loop, svc->watches[i]);
            svc->watches[i] = -1;
        }
        /* New clients are refused at once instead of waiting in the
         * backlog of a server that will never accept them. */
        virNetSocketClose(svc->socks[i]);
    }
    /* an accept function running on the loop thread still uses its
     * opaque: wait for it (not when it is the caller) */
    while (svc->acceptThread && svc->acceptThread != g_thread_self())
        g_cond_wait(&svc->acceptDone, &svc->lock);
    g_mutex_unlock(&svc->lock);
}
