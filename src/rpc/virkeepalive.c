/*
 * virkeepalive.c: PING/PONG liveness checks for one connection.
 *
 * Ownership: the owner (server client or client) holds one reference and
 * drops it with virKeepAliveFree; an armed timer holds another, released by
 * the timer's free callback on the loop thread, so a timer callback never
 * sees a freed keepalive.
 *
 * Locking: ka->lock guards the counters. Owner callbacks (send, dead) are
 * made after releasing it, with a reference on the owner.
 */
#include "virkeepalive.h"
#include "keepalive_protocol.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.keepalive");

struct _virKeepAlive {
    gint refs;
    GMutex lock;

    virEventLoop *loop;
    int timer;                   /* -1 when stopped */
    int interval;                /* seconds */
    unsigned int count;
    unsigned int countToDeath;
    uint64_t lastReceived;       /* monotonic ms */

    void *owner;
    virKeepAliveSendFunc sendFunc;
    virKeepAliveDeadFunc deadFunc;
    virKeepAliveRefFunc ownerRef;
    virKeepAliveRefFunc ownerUnref;
};


virNetMessage *
virKeepAliveMessage(int proc)
{
    virNetMessage *msg = virNetMessageNew(false);

    msg->header.prog = KEEPALIVE_PROGRAM_ID;
    msg->header.vers = KEEPALIVE_PROGRAM_VERSION;
    msg->header.proc = proc;
    msg->header.type = VIR_NET_MESSAGE;
    msg->header.serial = 0;
    msg->header.status = VIR_NET_OK;
    if (virNetMessageEncodeHeader(msg) < 0 ||
        virNetMessageEncodePayloadEmpty(msg) < 0) {
        virNetMessageFree(msg);
        return NULL;
    }
    return msg;
}


static void
virKeepAliveUnref(void *opaque)
{
    virKeepAlive *ka = opaque;

    if (!g_atomic_int_dec_and_test(&ka->refs))
        return;
    g_mutex_clear(&ka->lock);
    g_free(ka);
}


virKeepAlive *
virKeepAliveNew(virEventLoop *loop, void *owner,
                virKeepAliveSendFunc sendFunc,
                virKeepAliveDeadFunc deadFunc,
                virKeepAliveRefFunc ref,
                virKeepAliveRefFunc unref)
{
    virKeepAlive *ka = g_new0(virKeepAlive, 1);

    ka->refs = 1;
    g_mutex_init(&ka->lock);
    ka->loop = loop;
    ka->timer = -1;
    ka->owner = owner;
    ka->sendFunc = sendFunc;
    ka->deadFunc = deadFunc;
    ka->ownerRef = ref;
    ka->ownerUnref = unref;
    return ka;
}


void
virKeepAliveFree(virKeepAlive *ka)
{
    if (!ka)
        return;
    virKeepAliveStop(ka);
    virKeepAliveUnref(ka);
}


static void
virKeepAliveTimer(int timer G_GNUC_UNUSED, void *opaque)
{
    virKeepAlive *ka = opaque;
    virNetMessage *ping = NULL;
    bool dead = false;
    void *owner;
    uint64_t now = virTimeMonoMs();

    g_mutex_lock(&ka->lock);
    if (ka->timer < 0) {
        g_mutex_unlock(&ka->lock);
        return;
    }
    /* Something arrived within the interval: the peer is alive. */
    if (now - ka->lastReceived < (uint64_t)ka->interval * 1000) {
        g_mutex_unlock(&ka->lock);
        return;
    }
    if (ka->countToDeath == 0) {
        dead = true;
        VIR_WARN("no response from peer in %d seconds (%u pings): closing connection",
                 (int)((now - ka->lastReceived) / 1000), ka->count);
        virEventLoopRemoveTimeout(ka->loop, ka->timer);
        ka->timer = -1;
    } else {
        ka->countToDeath--;
        VIR_DEBUG("sending keepalive ping, %u left before death", ka->countToDeath);
        ping = virKeepAliveMessage(KEEPALIVE_PROC_PING);
    }
    owner = ka->owner;
    if (ka->ownerRef)
        ka->ownerRef(owner);
    g_mutex_unlock(&ka->lock);

    if (dead)
        ka->deadFunc(owner);
    else if (ping && ka->sendFunc(owner, ping) < 0)
        VIR_DEBUG("failed to queue keepalive ping");

    if (ka->ownerUnref)
        ka->ownerUnref(owner);
}


int
virKeepAliveStart(virKeepAlive *ka, int interval, unsigned int count)
{
    int ret = -1;

    if (interval <= 0 || count == 0) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "keepalive interval (%d) must be positive and count (%u) at least 1",
                       interval, count);
        return -1;
    }
    g_mutex_lock(&ka->lock);
    ka->interval = interval;
    ka->count = count;
    ka->countToDeath = count;
    ka->lastReceived = virTimeMonoMs();
    if (ka->timer >= 0) {
        ret = virEventLoopUpdateTimeout(ka->loop, ka->timer, interval * 1000);
        goto cleanup;
    }
    g_atomic_int_inc(&ka->refs);
    ka->timer = virEventLoopAddTimeout(ka->loop, interval * 1000, virKeepAliveTimer,
                                       ka, virKeepAliveUnref);
    if (ka->timer < 0) {
        g_atomic_int_dec_and_test(&ka->refs);
        goto cleanup;
    }
    VIR_DEBUG("keepalive started: interval %d s, count %u", interval, count);
    ret = 0;
 cleanup:
    g_mutex_unlock(&ka->lock);
    return ret;
}


void
virKeepAliveStop(virKeepAlive *ka)
{
    g_mutex_lock(&ka->lock);
    if (ka->timer >= 0) {
        virEventLoopRemoveTimeout(ka->loop, ka->timer);
        ka->timer = -1;
    }
    g_mutex_unlock(&ka->lock);
}


bool
virKeepAliveIsActive(virKeepAlive *ka)
{
    bool active;

    g_mutex_lock(&ka->lock);
    active = ka->timer >= 0;
    g_mutex_unlock(&ka->lock);
    return active;
}


bool
virKeepAliveCheckMessage(virKeepAlive *ka, virNetMessage *msg,
                         virNetMessage **response)
{
    *response = NULL;

    if (ka) {
        g_mutex_lock(&ka->lock);
        ka->countToDeath = ka->count;
        ka->lastReceived = virTimeMonoMs();
        g_mutex_unlock(&ka->lock);
    }

    if (msg->header.prog != KEEPALIVE_PROGRAM_ID)
        return false;

    if (msg->header.vers == KEEPALIVE_PROGRAM_VERSION &&
        msg->header.type == VIR_NET_MESSAGE) {
        switch (msg->header.proc) {
        case KEEPALIVE_PROC_PING:
            VIR_DEBUG("got keepalive ping, answering");
            *response = virKeepAliveMessage(KEEPALIVE_PROC_PONG);
            break;
        case KEEPALIVE_PROC_PONG:
            VIR_DEBUG("got keepalive pong");
            break;
        default:
            VIR_WARN("ignoring unknown keepalive procedure %d", msg->header.proc);
            break;
        }
    } else {
        VIR_WARN("ignoring keepalive message of version %u type %d",
                 msg->header.vers, msg->header.type);
    }
    return true;
}
