/*
 * virnetserverstream.c: the server's end of one stream (see
 * virnetserverstream.h for the protocol, the window and the events).
 *
 * Incoming: the client's read path routes each STREAM / STREAM_HOLE
 * message of ours here with the client's lock held (PushLocked). The
 * message is checked (a hole on a stream that is not sparse, data on a
 * stream that only sends, an unknown status: the stream is aborted with an
 * error, not the connection), then queued for the owner. An abort drops
 * the data queued before it: nobody wants it. Queued bytes are counted;
 * crossing the window in either direction is reported to the client, which
 * stops reading its socket while any stream is full.
 *
 * Outgoing: every message sent carries a reference to the stream and a
 * free callback (virNetServerStreamMessageDone) that subtracts its bytes
 * from txBytes when the client has written (or dropped) it; crossing below
 * the window arms WRITABLE if the owner asked (CanSend returned false).
 * The count uses the message's bufferLength, which does not change between
 * queuing and freeing (a queued message is only ever shrunk to its
 * unsent bytes, all of them at that point).
 *
 * Ending: Confirm, Abort, Cancel and the client's close all go through
 * virNetServerStreamEnd: closed once, the queued packets dropped, the
 * timer removed, the stream taken out of the client's registry (except
 * when the client is closing: it emptied its registry itself).
 *
 * The owner's handler: once the stream is over and the owner knows it (it
 * ended the stream, or got CLOSED), no event can follow; when no call of
 * the handler is running any more the stream lets go of the owner's data
 * (its free function runs). An owner may therefore hold a reference on
 * the stream from its data without a cycle.
 *
 * Locking and references: see the header.
 */
#include <string.h>

#include "virnetserverstream.h"
#include "virnetserverclient.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_STREAMS

VIR_LOG_INIT("rpc.netserverstream");

struct _virNetServerStream {
    gint refs;
    virNetServerClient *client;     /* a reference */
    virNetMessageHeader hdr;        /* the opening call's prog, vers, proc, serial */
    unsigned int flow;
    virEventLoop *loop;

    GMutex lock;
    bool allowHoles;
    bool started;
    bool closed;
    bool closedSent;                /* CLOSED is on its way to the owner (once) */
    bool closedNotified;            /* the owner got CLOSED, or ended it itself */
    int calling;                    /* handler calls running */
    bool finishQueued;              /* a finish or abort is queued: nothing after it */
    bool full;                      /* rxBytes >= window: counted by the client */
    virNetMessage *rx;              /* packets for the owner, in order */
    virNetMessage *rxTail;
    size_t rxBytes;
    size_t txBytes;                 /* bytes queued on the client, not yet written */
    bool wantWritable;
    int timer;                      /* -1 once over */
    int pending;                    /* events not delivered yet */
    char *refusal;                  /* why a client's message made us abort */

    virNetServerStreamHandler handler;
    void *opaque;
    GDestroyNotify ff;
};


virNetServerStream *
virNetServerStreamRef(virNetServerStream *st)
{
    g_atomic_int_inc(&st->refs);
    return st;
}


void
virNetServerStreamUnref(virNetServerStream *st)
{
    if (!st || !g_atomic_int_dec_and_test(&st->refs))
        return;
    VIR_DEBUG("stream serial %u freed", st->hdr.serial);
    if (st->ff)
        st->ff(st->opaque);
    virNetMessageQueueFree(st->rx);
    g_free(st->refusal);
    virNetServerClientUnref(st->client);
    g_mutex_clear(&st->lock);
    g_free(st);
}


static void
virNetServerStreamUnrefCb(void *opaque)
{
    virNetServerStreamUnref(opaque);
}


/* ---- events -------------------------------------------------------------- */

/* Lock held. */
static void
virNetServerStreamRaiseLocked(virNetServerStream *st, int events)
{
    st->pending |= events;
    if (st->timer > 0 && (st->started || st->refusal))
        virEventLoopUpdateTimeout(st->loop, st->timer, 0);
}


static void virNetServerStreamEnd(virNetServerStream *st, bool unregister);

/* Let go of the owner's data once nothing more can reach it: over, the
 * owner knows, no handler call running. Lock held; the caller runs
 * *ff(*opaque) without it. */
static void
virNetServerStreamReleaseOwnerLocked(virNetServerStream *st, GDestroyNotify *ff, void **opaque)
{
    if (!st->closed || !st->closedNotified || st->calling > 0 || !st->handler)
        return;
    *ff = st->ff;
    *opaque = st->opaque;
    st->handler = NULL;
    st->ff = NULL;
    st->opaque = NULL;
}


/* Call the owner's handler (no lock held). The owner knows of CLOSED
 * only once its call returned: another call finishing meanwhile (START
 * on a worker while the loop thread delivers CLOSED) must not let go of
 * the owner before that. */
static void
virNetServerStreamInvoke(virNetServerStream *st, int events)
{
    virNetServerStreamHandler handler;
    GDestroyNotify ff = NULL;
    void *opaque, *release = NULL;

    g_mutex_lock(&st->lock);
    if (!(handler = st->handler)) {
        if (events & VIR_NET_SERVER_STREAM_CLOSED)
            st->closedNotified = true;   /* nobody to tell */
        g_mutex_unlock(&st->lock);
        return;
    }
    opaque = st->opaque;
    st->calling++;
    g_mutex_unlock(&st->lock);
    handler(st, events, opaque);
    g_mutex_lock(&st->lock);
    st->calling--;
    if (events & VIR_NET_SERVER_STREAM_CLOSED)
        st->closedNotified = true;
    virNetServerStreamReleaseOwnerLocked(st, &ff, &release);
    g_mutex_unlock(&st->lock);
    if (ff)
        ff(release);
}


/* Tell the owner CLOSED, once. No lock held. */
static void
virNetServerStreamNotifyClosed(virNetServerStream *st)
{
    g_mutex_lock(&st->lock);
    if (st->closedSent) {
        g_mutex_unlock(&st->lock);
        return;
    }
    st->closedSent = true;
    g_mutex_unlock(&st->lock);
    virNetServerStreamInvoke(st, VIR_NET_SERVER_STREAM_CLOSED);
}


static int virNetServerStreamFinal(virNetServerStream *st, bool ok, bool byOwner);

static void
virNetServerStreamTimer(int timer G_GNUC_UNUSED, void *opaque)
{
    virNetServerStream *st = opaque;
    g_autofree char *refusal = NULL;
    int events;

    virNetServerStreamRef(st);
    g_mutex_lock(&st->lock);
    if (st->timer > 0)
        virEventLoopUpdateTimeout(st->loop, st->timer, -1);
    refusal = g_steal_pointer(&st->refusal);
    events = st->started ? st->pending : 0;
    if (st->started)
        st->pending = 0;
    if (st->closed)
        events = 0;
    g_mutex_unlock(&st->lock);

    if (refusal) {
        /* The client broke the stream's rules: the stream ends with the
         * reason, the connection goes on. */
        virError *saved = virErrorPreserveLast();

        virReportError(VIR_ERR_RPC, "%s", refusal);
        VIR_WARN("client %llu, stream serial %u: %s",
                 virNetServerClientGetID(st->client), st->hdr.serial, refusal);
        (void)virNetServerStreamFinal(st, false, false);
        virErrorRestore(&saved);
        virNetServerStreamNotifyClosed(st);
    } else if (events) {
        virNetServerStreamInvoke(st, events);
    }
    virNetServerStreamUnref(st);
}


/* ---- life cycle ---------------------------------------------------------- */

virNetServerStream *
virNetServerStreamNew(virNetServerCall *call, unsigned int flow)
{
    virNetServerStream *st = g_new0(virNetServerStream, 1);

    st->refs = 1;
    st->client = virNetServerClientRef(call->client);
    st->hdr = call->msg->header;
    st->flow = flow;
    st->loop = virNetServerClientGetLoop(call->client);
    st->timer = -1;
    g_mutex_init(&st->lock);

    if (call->stream) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "a call opens at most one stream");
        goto error;
    }
    virNetServerStreamRef(st);
    if ((st->timer = virEventLoopAddTimeout(st->loop, -1, virNetServerStreamTimer, st,
                                            virNetServerStreamUnrefCb)) < 0) {
        virNetServerStreamUnref(st);
        goto error;
    }
    if (virNetServerClientAddStream(call->client, st) < 0)
        goto error;
    call->stream = virNetServerStreamRef(st);
    VIR_DEBUG("client %llu: stream serial %u proc %d opened",
              virNetServerClientGetID(st->client), st->hdr.serial, st->hdr.proc);
    return st;

 error:
    if (st->timer > 0)
        virEventLoopRemoveTimeout(st->loop, st->timer);
    st->timer = -1;
    virNetServerStreamUnref(st);
    return NULL;
}


void
virNetServerStreamSetHandler(virNetServerStream *st, virNetServerStreamHandler handler,
                             void *opaque, GDestroyNotify ff)
{
    g_mutex_lock(&st->lock);
    st->handler = handler;
    st->opaque = opaque;
    st->ff = ff;
    g_mutex_unlock(&st->lock);
}


void
virNetServerStreamSetAllowHoles(virNetServerStream *st, bool allow)
{
    g_mutex_lock(&st->lock);
    st->allowHoles = allow;
    g_mutex_unlock(&st->lock);
}


bool
virNetServerStreamGetAllowHoles(virNetServerStream *st)
{
    bool ret;

    g_mutex_lock(&st->lock);
    ret = st->allowHoles;
    g_mutex_unlock(&st->lock);
    return ret;
}


unsigned int virNetServerStreamGetFlow(virNetServerStream *st) { return st->flow; }
virEventLoop *virNetServerStreamGetLoop(virNetServerStream *st) { return st->loop; }


bool
virNetServerStreamIsClosed(virNetServerStream *st)
{
    bool ret;

    g_mutex_lock(&st->lock);
    ret = st->closed;
    g_mutex_unlock(&st->lock);
    return ret;
}


bool
virNetServerStreamMatches(virNetServerStream *st, const virNetMessageHeader *hdr)
{
    /* Immutable fields: no lock. */
    return st->hdr.serial == hdr->serial && st->hdr.prog == hdr->prog &&
           st->hdr.vers == hdr->vers && st->hdr.proc == hdr->proc;
}


/* Over, once: drop what is queued, stop the timer, leave the client's
 * registry (unregister false: the client is closing and emptied it).
 * No lock held. */
static void
virNetServerStreamEnd(virNetServerStream *st, bool unregister)
{
    virNetMessage *drop;
    bool drained;

    g_mutex_lock(&st->lock);
    if (st->closed) {
        g_mutex_unlock(&st->lock);
        return;
    }
    st->closed = true;
    drop = g_steal_pointer(&st->rx);
    st->rxTail = NULL;
    st->rxBytes = 0;
    drained = st->full;
    st->full = false;
    if (st->timer > 0)
        virEventLoopRemoveTimeout(st->loop, st->timer);
    st->timer = -1;
    st->pending = 0;
    g_mutex_unlock(&st->lock);

    VIR_DEBUG("client %llu: stream serial %u over",
              virNetServerClientGetID(st->client), st->hdr.serial);
    virNetMessageQueueFree(drop);
    if (unregister)
        virNetServerClientRemoveStream(st->client, st, drained);
}


void
virNetServerStreamStart(virNetServerStream *st)
{
    bool closed;

    g_mutex_lock(&st->lock);
    st->started = true;
    closed = st->closed;
    g_mutex_unlock(&st->lock);

    if (closed) {
        /* The client left while the call ran. */
        virNetServerStreamNotifyClosed(st);
        return;
    }
    virNetServerStreamInvoke(st, VIR_NET_SERVER_STREAM_START);
    g_mutex_lock(&st->lock);
    /* Packets that came with the reply (or a refusal) wait for the timer. */
    if (st->pending || st->refusal)
        virNetServerStreamRaiseLocked(st, 0);
    g_mutex_unlock(&st->lock);
}


void
virNetServerStreamCancel(virNetServerStream *st)
{
    virNetServerStreamEnd(st, true);
    virNetServerStreamNotifyClosed(st);
}


void
virNetServerStreamClientClosed(virNetServerStream *st)
{
    virNetServerStreamEnd(st, false);
    g_mutex_lock(&st->lock);
    if (!st->started) {
        /* Start (or Cancel) tells the owner. */
        g_mutex_unlock(&st->lock);
        return;
    }
    g_mutex_unlock(&st->lock);
    virNetServerStreamNotifyClosed(st);
}


/* ---- from the client ----------------------------------------------------- */

static bool
virNetServerStreamIsData(const virNetMessage *msg)
{
    return msg->header.type == VIR_NET_STREAM_HOLE ||
           (msg->header.type == VIR_NET_STREAM && msg->header.status == VIR_NET_CONTINUE);
}


static int
virNetServerStreamDecodeHole(virNetMessage *msg, long long *length)
{
    virNetStreamHole hole = { 0 };
    size_t offset = msg->bufferOffset;
    int rc = virNetMessageDecodePayload(msg, (xdrproc_t)xdr_virNetStreamHole, &hole);

    msg->bufferOffset = offset;   /* decoded again by Recv */
    if (rc < 0 || hole.length < 0 || hole.flags != 0)
        return -1;
    *length = hole.length;
    return 0;
}


/* Why msg may not go to this stream, or NULL. Lock held. */
static const char *
virNetServerStreamCheckLocked(virNetServerStream *st, virNetMessage *msg)
{
    long long length;

    if (msg->header.type == VIR_NET_STREAM_HOLE) {
        if (!st->allowHoles)
            return "unexpected stream hole: the stream is not sparse";
        if (!(st->flow & VIR_NET_STREAM_WRITE))
            return "stream hole sent on a stream that only sends";
        if (msg->header.status != VIR_NET_CONTINUE ||
            virNetServerStreamDecodeHole(msg, &length) < 0)
            return "malformed stream hole packet";
        return NULL;
    }
    switch ((virNetMessageStatus)msg->header.status) {
    case VIR_NET_CONTINUE:
        if (!(st->flow & VIR_NET_STREAM_WRITE) && virNetMessagePayloadLength(msg) > 0)
            return "stream data sent on a stream that only sends";
        return NULL;
    case VIR_NET_OK:
    case VIR_NET_ERROR:
        return NULL;
    }
    return "stream message with an unknown status";
}


int
virNetServerStreamPushLocked(virNetServerStream *st, virNetMessage *msg)
{
    virNetMessage *drop = NULL;
    const char *why;
    bool wasFull;
    int ret = 0;

    g_mutex_lock(&st->lock);
    wasFull = st->full;
    if (st->closed || st->finishQueued || st->refusal) {
        g_mutex_unlock(&st->lock);
        virNetMessageFree(msg);
        return 0;
    }
    if ((why = virNetServerStreamCheckLocked(st, msg))) {
        st->refusal = g_strdup(why);
        drop = g_steal_pointer(&st->rx);
        st->rxTail = NULL;
        st->rxBytes = 0;
        virNetMessageFree(msg);
        virNetServerStreamRaiseLocked(st, 0);
    } else {
        if (!virNetServerStreamIsData(msg)) {
            st->finishQueued = true;
            if (msg->header.status == VIR_NET_ERROR) {
                /* An abort: the data before it is not wanted any more. */
                drop = g_steal_pointer(&st->rx);
                st->rxTail = NULL;
                st->rxBytes = 0;
            }
        } else {
            /* Whole messages count: a flood of holes is bounded too. */
            st->rxBytes += msg->bufferLength;
        }
        msg->next = NULL;
        if (st->rx)
            st->rxTail->next = msg;
        else
            st->rx = msg;
        st->rxTail = msg;
        virNetServerStreamRaiseLocked(st, VIR_NET_SERVER_STREAM_INCOMING);
    }
    st->full = st->rxBytes >= VIR_NET_STREAM_WINDOW;
    if (st->full && !wasFull)
        ret = 1;
    else if (!st->full && wasFull)
        ret = -1;
    g_mutex_unlock(&st->lock);
    virNetMessageQueueFree(drop);
    return ret;
}


int
virNetServerStreamRecv(virNetServerStream *st, virNetServerStreamPacket *pkt)
{
    virNetMessage *msg;
    bool drained = false;

    memset(pkt, 0, sizeof(*pkt));
    g_mutex_lock(&st->lock);
    if (!(msg = st->rx)) {
        g_mutex_unlock(&st->lock);
        return 0;
    }
    st->rx = msg->next;
    msg->next = NULL;
    if (!st->rx)
        st->rxTail = NULL;
    if (virNetServerStreamIsData(msg))
        st->rxBytes -= MIN(st->rxBytes, msg->bufferLength);
    if (st->full && st->rxBytes < VIR_NET_STREAM_WINDOW) {
        st->full = false;
        drained = true;
    }
    g_mutex_unlock(&st->lock);
    if (drained)
        virNetServerClientStreamDrained(st->client);

    pkt->msg = msg;
    if (msg->header.type == VIR_NET_STREAM_HOLE) {
        pkt->type = VIR_NET_SERVER_STREAM_PACKET_HOLE;
        /* checked when it arrived */
        (void)virNetServerStreamDecodeHole(msg, &pkt->hole);
    } else if (msg->header.status == VIR_NET_CONTINUE) {
        pkt->type = VIR_NET_SERVER_STREAM_PACKET_DATA;
        pkt->data = msg->buffer + msg->bufferOffset;
        pkt->len = virNetMessagePayloadLength(msg);
    } else if (msg->header.status == VIR_NET_OK) {
        pkt->type = VIR_NET_SERVER_STREAM_PACKET_FINISH;
    } else {
        pkt->type = VIR_NET_SERVER_STREAM_PACKET_ABORT;
    }
    return 1;
}


void
virNetServerStreamPacketClear(virNetServerStreamPacket *pkt)
{
    virNetMessageFree(pkt->msg);
    memset(pkt, 0, sizeof(*pkt));
}


/* ---- to the client ------------------------------------------------------- */

/* A sent message left the client's queue (written, or dropped on close). */
static void
virNetServerStreamMessageDone(virNetMessage *msg, void *opaque)
{
    virNetServerStream *st = opaque;

    g_mutex_lock(&st->lock);
    st->txBytes -= MIN(st->txBytes, msg->bufferLength);
    if (st->wantWritable && st->txBytes < VIR_NET_STREAM_WINDOW && !st->closed) {
        st->wantWritable = false;
        virNetServerStreamRaiseLocked(st, VIR_NET_SERVER_STREAM_WRITABLE);
    }
    g_mutex_unlock(&st->lock);
    msg->cb = NULL;
    virNetServerStreamUnref(st);
}


bool
virNetServerStreamCanSend(virNetServerStream *st)
{
    bool ret;

    g_mutex_lock(&st->lock);
    ret = !st->closed && st->txBytes < VIR_NET_STREAM_WINDOW;
    if (!ret && !st->closed)
        st->wantWritable = true;
    g_mutex_unlock(&st->lock);
    return ret;
}


static int
virNetServerStreamReportClosed(void)
{
    virReportError(VIR_ERR_OPERATION_INVALID, "%s", "stream is closed");
    return -1;
}


/* Queue an encoded message of ours; counted: data of the window. */
static int
virNetServerStreamQueue(virNetServerStream *st, virNetMessage *msg, bool counted)
{
    g_mutex_lock(&st->lock);
    if (st->closed) {
        g_mutex_unlock(&st->lock);
        virNetMessageFree(msg);
        return virNetServerStreamReportClosed();
    }
    if (counted) {
        st->txBytes += msg->bufferLength;
        msg->cb = virNetServerStreamMessageDone;
        msg->opaque = virNetServerStreamRef(st);
    }
    g_mutex_unlock(&st->lock);
    if (virNetServerClientSendMessage(st->client, msg) < 0) {
        virReportError(VIR_ERR_RPC, "%s", "the client connection is closed");
        return -1;
    }
    return 0;
}


virNetMessage *
virNetServerStreamDataNew(virNetServerStream *st, size_t len, char **buf)
{
    virNetMessage *msg = virNetMessageNew(false);

    if (len > VIR_NET_STREAM_CHUNK)
        len = VIR_NET_STREAM_CHUNK;
    if (virNetMessageEncodeStreamHeader(msg, &st->hdr, VIR_NET_STREAM, VIR_NET_CONTINUE) < 0 ||
        !(*buf = virNetMessageEncodePayloadRawBegin(msg, len))) {
        virNetMessageFree(msg);
        return NULL;
    }
    return msg;
}


int
virNetServerStreamDataSend(virNetServerStream *st, virNetMessage *msg, size_t used)
{
    if (used == 0) {
        virNetMessageFree(msg);
        return 0;
    }
    virNetMessageEncodePayloadRawEnd(msg, used);
    return virNetServerStreamQueue(st, msg, true);
}


int
virNetServerStreamSendData(virNetServerStream *st, const char *data, size_t len)
{
    while (len > 0) {
        size_t n = MIN(len, (size_t)VIR_NET_STREAM_CHUNK);
        char *buf;
        virNetMessage *msg = virNetServerStreamDataNew(st, n, &buf);

        if (!msg)
            return -1;
        memcpy(buf, data, n);
        if (virNetServerStreamDataSend(st, msg, n) < 0)
            return -1;
        data += n;
        len -= n;
    }
    return 0;
}


int
virNetServerStreamSendHole(virNetServerStream *st, long long length)
{
    virNetMessage *msg = virNetMessageNew(false);
    virNetStreamHole hole = { .length = length, .flags = 0 };

    if (!virNetServerStreamGetAllowHoles(st)) {
        virNetMessageFree(msg);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "the stream is not sparse");
        return -1;
    }
    if (virNetMessageEncodeStreamHeader(msg, &st->hdr, VIR_NET_STREAM_HOLE,
                                        VIR_NET_CONTINUE) < 0 ||
        virNetMessageEncodePayload(msg, (xdrproc_t)xdr_virNetStreamHole, &hole) < 0) {
        virNetMessageFree(msg);
        return -1;
    }
    return virNetServerStreamQueue(st, msg, true);
}


int
virNetServerStreamSendEOF(virNetServerStream *st)
{
    virNetMessage *msg = virNetMessageNew(false);

    if (virNetMessageEncodeStreamHeader(msg, &st->hdr, VIR_NET_STREAM, VIR_NET_CONTINUE) < 0 ||
        virNetMessageEncodePayloadEmpty(msg) < 0) {
        virNetMessageFree(msg);
        return -1;
    }
    return virNetServerStreamQueue(st, msg, false);
}


/* The last message of a stream: OK, or ERROR with the thread's last error. */
static virNetMessage *
virNetServerStreamEndMessage(virNetServerStream *st, bool ok)
{
    virNetMessage *msg = virNetMessageNew(false);
    virNetMessageError rerr = { 0 };
    int rc;

    if (ok) {
        rc = virNetMessageEncodeStreamHeader(msg, &st->hdr, VIR_NET_STREAM, VIR_NET_OK);
        if (rc == 0)
            rc = virNetMessageEncodePayloadEmpty(msg);
    } else {
        virNetMessageSaveError(&rerr);
        if (rerr.code == VIR_ERR_OK) {
            rerr.code = VIR_ERR_INTERNAL_ERROR;
            rerr.domain = VIR_FROM_STREAMS;
            rerr.level = VIR_ERR_ERROR;
        }
        rc = virNetMessageEncodeStreamHeader(msg, &st->hdr, VIR_NET_STREAM, VIR_NET_ERROR);
        if (rc == 0)
            rc = virNetMessageEncodePayload(msg, (xdrproc_t)xdr_virNetMessageError, &rerr);
        xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&rerr);
    }
    if (rc < 0) {
        virNetMessageFree(msg);
        return NULL;
    }
    return msg;
}


/* Send the stream's last message and end it. byOwner: the owner ended it,
 * so it gets no CLOSED. */
static int
virNetServerStreamFinal(virNetServerStream *st, bool ok, bool byOwner)
{
    virNetMessage *msg;
    GDestroyNotify ff = NULL;
    void *release = NULL;

    if (virNetServerStreamIsClosed(st))
        return virNetServerStreamReportClosed();
    msg = virNetServerStreamEndMessage(st, ok);
    virNetServerStreamEnd(st, true);
    if (byOwner) {
        g_mutex_lock(&st->lock);
        st->closedSent = true;
        st->closedNotified = true;
        virNetServerStreamReleaseOwnerLocked(st, &ff, &release);
        g_mutex_unlock(&st->lock);
        if (ff)
            ff(release);
    }
    if (!msg) {
        /* Cannot tell the client: its stream waits for nothing more. */
        VIR_WARN("client %llu: cannot encode the end of stream serial %u; closing it",
                 virNetServerClientGetID(st->client), st->hdr.serial);
        virNetServerClientClose(st->client);
        return -1;
    }
    if (virNetServerClientSendMessage(st->client, msg) < 0)
        return -1;
    return 0;
}


int
virNetServerStreamConfirm(virNetServerStream *st, int rc)
{
    return virNetServerStreamFinal(st, rc >= 0, true);
}


void
virNetServerStreamAbort(virNetServerStream *st)
{
    if (virNetServerStreamIsClosed(st))
        return;
    VIR_DEBUG("client %llu: aborting stream serial %u: %s",
              virNetServerClientGetID(st->client), st->hdr.serial, virGetLastErrorMessage());
    (void)virNetServerStreamFinal(st, false, true);
}
