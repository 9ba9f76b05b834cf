/*
 * virnetclientstream.c: the client's end of one stream (see
 * virnetclientstream.h).
 *
 * Incoming: the client's reader hands each STREAM / STREAM_HOLE message of
 * ours to QueuePacketLocked (client lock held): data and holes are queued
 * in order, an empty data message is the end of data. Queued messages are
 * counted whole (bufferLength), holes included. The reader also sets the
 * server's error (STREAM / ERROR) and the closing confirmation (STREAM /
 * OK). Recv takes data from the head of the queue; a hole at the head
 * becomes holeLength, read as zeroes (or reported with stopAtHole).
 *
 * Outgoing: blocking sends go through virNetClientSendStream and return
 * once written. Non-blocking sends are queued; their bytes count in
 * txBytes until the message is freed (written, or dropped on close) by the
 * message's free callback, which raises WRITABLE below the window.
 *
 * Events: one timer on the client's loop, armed (0 ms) whenever an
 * event the application asked for is due, disarmed otherwise; the callback
 * runs without locks and may call any stream function, removing itself
 * included (its free function then runs after it returns).
 */
#include <string.h>

#include "virnetclientstream.h"
#include "virnetclient.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_STREAMS

VIR_LOG_INIT("rpc.netclientstream");

typedef enum {
    VIR_NET_CLIENT_STREAM_OPEN = 0,
    VIR_NET_CLIENT_STREAM_FINISHED,
    VIR_NET_CLIENT_STREAM_ABORTED,
} virNetClientStreamState;

struct _virNetClientStream {
    gint refs;
    unsigned int flow;
    bool allowHoles;

    GMutex lock;
    virNetClient *client;           /* a reference once bound */
    virNetMessageHeader hdr;        /* the opening call: prog, vers, proc, serial */
    bool bound;
    virNetClientStreamState state;
    int closing;                    /* 1: finish sent, 2: abort sent */
    virError err;                   /* the server's error, or the connection's end */

    virNetMessage *rx;              /* data and holes, in order */
    virNetMessage *rxTail;
    size_t rxBytes;
    bool full;                      /* counted by the client */
    bool incomingEOF;
    long long holeLength;           /* zeroes at the read position */
    size_t txBytes;                 /* non-blocking data not yet written */

    virNetClientStreamEventFunc cb;
    void *cbOpaque;
    virFreeCallback cbFree;
    int cbEvents;
    int cbTimer;                    /* -1: none */
    virEventLoop *cbLoop;
    bool cbDispatching;
    bool cbRemoved;                 /* removed while dispatching: free after */
};


virNetClientStream *
virNetClientStreamNew(unsigned int flow, bool holes)
{
    virNetClientStream *st = g_new0(virNetClientStream, 1);

    st->refs = 1;
    st->flow = flow;
    st->allowHoles = holes;
    st->cbTimer = -1;
    g_mutex_init(&st->lock);
    return st;
}


virNetClientStream *
virNetClientStreamRef(virNetClientStream *st)
{
    g_atomic_int_inc(&st->refs);
    return st;
}


void
virNetClientStreamUnref(virNetClientStream *st)
{
    if (!st || !g_atomic_int_dec_and_test(&st->refs))
        return;
    if (st->cbFree)
        st->cbFree(st->cbOpaque);
    virNetMessageQueueFree(st->rx);
    virErrorClear(&st->err);
    virNetClientUnref(st->client);
    g_mutex_clear(&st->lock);
    g_free(st);
}


static void
virNetClientStreamUnrefCb(void *opaque)
{
    virNetClientStreamUnref(opaque);
}


int
virNetClientStreamBind(virNetClientStream *st, virNetClient *client,
                       const virNetMessageHeader *call)
{
    g_mutex_lock(&st->lock);
    if (st->bound || st->state != VIR_NET_CLIENT_STREAM_OPEN || st->err.code != VIR_ERR_OK ||
        (st->client && st->client != client)) {
        g_mutex_unlock(&st->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "the stream is already in use");
        return -1;
    }
    if (!st->client)
        st->client = virNetClientRef(client);
    st->hdr = *call;
    st->bound = true;
    g_mutex_unlock(&st->lock);
    return 0;
}


void
virNetClientStreamUnbind(virNetClientStream *st)
{
    g_mutex_lock(&st->lock);
    st->bound = false;
    g_mutex_unlock(&st->lock);
}


bool
virNetClientStreamMatches(virNetClientStream *st, const virNetMessageHeader *hdr)
{
    bool ret;

    g_mutex_lock(&st->lock);
    ret = st->bound && st->hdr.serial == hdr->serial && st->hdr.prog == hdr->prog &&
          st->hdr.vers == hdr->vers && st->hdr.proc == hdr->proc;
    g_mutex_unlock(&st->lock);
    return ret;
}


bool
virNetClientStreamIsBound(virNetClientStream *st)
{
    bool ret;

    g_mutex_lock(&st->lock);
    ret = st->bound;
    g_mutex_unlock(&st->lock);
    return ret;
}


/* ---- events -------------------------------------------------------------- */

/* The events due now among those asked for. Lock held. */
static int
virNetClientStreamDueLocked(virNetClientStream *st)
{
    int events = 0;
    bool over = st->err.code != VIR_ERR_OK || st->state != VIR_NET_CLIENT_STREAM_OPEN;

    if (!st->cb)
        return 0;
    if ((st->cbEvents & VIR_EVENT_HANDLE_READABLE) &&
        (st->rx || st->incomingEOF || st->holeLength || over))
        events |= VIR_EVENT_HANDLE_READABLE;
    if ((st->cbEvents & VIR_EVENT_HANDLE_WRITABLE) &&
        (st->txBytes < VIR_NET_STREAM_WINDOW || over))
        events |= VIR_EVENT_HANDLE_WRITABLE;
    if (st->err.code != VIR_ERR_OK)
        events |= VIR_EVENT_HANDLE_ERROR;
    else if (st->state != VIR_NET_CLIENT_STREAM_OPEN)
        events |= VIR_EVENT_HANDLE_HANGUP;
    return events;
}


static void
virNetClientStreamTimerUpdateLocked(virNetClientStream *st)
{
    if (st->cbTimer < 0 || st->cbDispatching)
        return;
    virEventLoopUpdateTimeout(st->cbLoop, st->cbTimer,
                              virNetClientStreamDueLocked(st) ? 0 : -1);
}


static void
virNetClientStreamTimer(int timer G_GNUC_UNUSED, void *opaque)
{
    virNetClientStream *st = opaque;
    virNetClientStreamEventFunc cb;
    void *cbOpaque;
    virFreeCallback cbFree = NULL;
    int events;

    virNetClientStreamRef(st);
    g_mutex_lock(&st->lock);
    events = virNetClientStreamDueLocked(st);
    cb = st->cb;
    cbOpaque = st->cbOpaque;
    if (events && cb) {
        st->cbDispatching = true;
        g_mutex_unlock(&st->lock);
        cb(st, events, cbOpaque);
        g_mutex_lock(&st->lock);
        st->cbDispatching = false;
        if (st->cbRemoved) {
            /* Removed from inside the callback: free its data now. */
            st->cbRemoved = false;
            cbFree = st->cbFree;
            st->cbFree = NULL;
        }
    }
    virNetClientStreamTimerUpdateLocked(st);
    g_mutex_unlock(&st->lock);
    if (cbFree)
        cbFree(cbOpaque);
    virNetClientStreamUnref(st);
}


int
virNetClientStreamEventAddCallback(virNetClientStream *st, int events,
                                   virNetClientStreamEventFunc cb, void *opaque,
                                   virFreeCallback ff)
{
    virEventLoop *loop;
    int timer;

    g_mutex_lock(&st->lock);
    if (st->cb) {
        g_mutex_unlock(&st->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "multiple stream callbacks not supported");
        return -1;
    }
    if (!st->client || !(loop = virNetClientGetLoop(st->client))) {
        g_mutex_unlock(&st->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "stream callbacks need an open stream on a client with an event loop");
        return -1;
    }
    if (st->cbTimer < 0) {
        virNetClientStreamRef(st);
        if ((timer = virEventLoopAddTimeout(loop, -1, virNetClientStreamTimer, st,
                                            virNetClientStreamUnrefCb)) < 0) {
            g_mutex_unlock(&st->lock);
            virNetClientStreamUnref(st);
            return -1;
        }
        st->cbTimer = timer;
        st->cbLoop = loop;
    }
    st->cb = cb;
    st->cbOpaque = opaque;
    st->cbFree = ff;
    st->cbEvents = events;
    virNetClientStreamTimerUpdateLocked(st);
    g_mutex_unlock(&st->lock);
    return 0;
}


int
virNetClientStreamEventUpdateCallback(virNetClientStream *st, int events)
{
    g_mutex_lock(&st->lock);
    if (!st->cb) {
        g_mutex_unlock(&st->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no stream callback registered");
        return -1;
    }
    st->cbEvents = events;
    virNetClientStreamTimerUpdateLocked(st);
    g_mutex_unlock(&st->lock);
    return 0;
}


int
virNetClientStreamEventRemoveCallback(virNetClientStream *st)
{
    virFreeCallback ff = NULL;
    void *opaque = NULL;

    g_mutex_lock(&st->lock);
    if (!st->cb) {
        g_mutex_unlock(&st->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no stream callback registered");
        return -1;
    }
    st->cb = NULL;
    st->cbEvents = 0;
    if (st->cbDispatching) {
        st->cbRemoved = true;
    } else {
        ff = st->cbFree;
        opaque = st->cbOpaque;
        st->cbFree = NULL;
    }
    if (st->cbTimer >= 0)
        virEventLoopUpdateTimeout(st->cbLoop, st->cbTimer, -1);
    g_mutex_unlock(&st->lock);
    if (ff)
        ff(opaque);
    return 0;
}


/* ---- state --------------------------------------------------------------- */

/* The stream's error as the caller's, or "closed". Lock held. -1. */
static int
virNetClientStreamCheckStateLocked(virNetClientStream *st)
{
    if (st->err.code != VIR_ERR_OK) {
        virErrorSetLast(&st->err);
        return -1;
    }
    if (!st->bound) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "the stream is not open");
        return -1;
    }
    if (st->state != VIR_NET_CLIENT_STREAM_OPEN || st->closing) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "stream is closed");
        return -1;
    }
    return 0;
}


void
virNetClientStreamSetErrorLocked(virNetClientStream *st, const virError *err)
{
    g_mutex_lock(&st->lock);
    if (st->err.code == VIR_ERR_OK && st->state == VIR_NET_CLIENT_STREAM_OPEN) {
        virErrorCopy(&st->err, err);
        if (st->err.code == VIR_ERR_OK)
            st->err.code = VIR_ERR_INTERNAL_ERROR;
    }
    virNetClientStreamTimerUpdateLocked(st);
    g_mutex_unlock(&st->lock);
}


void
virNetClientStreamSetClosedLocked(virNetClientStream *st)
{
    g_mutex_lock(&st->lock);
    if (st->state == VIR_NET_CLIENT_STREAM_OPEN)
        st->state = st->closing == 1 && st->err.code == VIR_ERR_OK ?
                    VIR_NET_CLIENT_STREAM_FINISHED : VIR_NET_CLIENT_STREAM_ABORTED;
    virNetClientStreamTimerUpdateLocked(st);
    g_mutex_unlock(&st->lock);
}


bool
virNetClientStreamHasEventLocked(virNetClientStream *st)
{
    bool ret;

    g_mutex_lock(&st->lock);
    ret = st->rx || st->incomingEOF || st->holeLength || st->err.code != VIR_ERR_OK ||
          st->state != VIR_NET_CLIENT_STREAM_OPEN;
    g_mutex_unlock(&st->lock);
    return ret;
}


bool
virNetClientStreamIsDoneLocked(virNetClientStream *st)
{
    bool ret;

    g_mutex_lock(&st->lock);
    ret = st->err.code != VIR_ERR_OK || st->state != VIR_NET_CLIENT_STREAM_OPEN;
    g_mutex_unlock(&st->lock);
    return ret;
}


bool
virNetClientStreamForgetFullLocked(virNetClientStream *st)
{
    bool was;

    g_mutex_lock(&st->lock);
    was = st->full;
    st->full = false;
    g_mutex_unlock(&st->lock);
    return was;
}


virNetClientStreamQueueResult
virNetClientStreamQueuePacketLocked(virNetClientStream *st, virNetMessage *msg)
{
    virNetClientStreamQueueResult ret = VIR_NET_CLIENT_STREAM_QUEUED;
    virNetMessage *drop = NULL;

    g_mutex_lock(&st->lock);
    if (st->err.code != VIR_ERR_OK || st->state != VIR_NET_CLIENT_STREAM_OPEN ||
        st->incomingEOF) {
        /* After an error or the end: data still in flight. */
        g_mutex_unlock(&st->lock);
        virNetMessageFree(msg);
        return ret;
    }
    if (msg->header.type == VIR_NET_STREAM && virNetMessagePayloadLength(msg) == 0) {
        st->incomingEOF = true;
        virNetMessageFree(msg);
    } else if (msg->header.type == VIR_NET_STREAM_HOLE && !st->allowHoles) {
        virReportError(VIR_ERR_RPC, "%s", "Unexpected stream hole");
        virErrorCopy(&st->err, virGetLastError());
        virResetLastError();
        virNetMessageFree(msg);
        ret = VIR_NET_CLIENT_STREAM_OVERFLOW;
    } else if (st->rxBytes + msg->bufferLength > VIR_NET_CLIENT_STREAM_RX_MAX) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       "stream aborted: more than %d bytes received that the application "
                       "did not read", VIR_NET_CLIENT_STREAM_RX_MAX);
        virErrorCopy(&st->err, virGetLastError());
        virResetLastError();
        drop = g_steal_pointer(&st->rx);
        st->rxTail = NULL;
        st->rxBytes = 0;
        virNetMessageFree(msg);
        ret = VIR_NET_CLIENT_STREAM_OVERFLOW;
    } else {
        msg->next = NULL;
        if (st->rx)
            st->rxTail->next = msg;
        else
            st->rx = msg;
        st->rxTail = msg;
        st->rxBytes += msg->bufferLength;
        if (!st->full && st->rxBytes >= VIR_NET_STREAM_WINDOW) {
            st->full = true;
            ret = VIR_NET_CLIENT_STREAM_FULL;
        }
    }
    virNetClientStreamTimerUpdateLocked(st);
    g_mutex_unlock(&st->lock);
    virNetMessageQueueFree(drop);
    return ret;
}


/* ---- receiving ----------------------------------------------------------- */

/* The head message is a hole: move it into holeLength. Lock held. */
static int
virNetClientStreamTakeHoleLocked(virNetClientStream *st)
{
    virNetMessage *msg = st->rx;
    virNetStreamHole hole = { 0 };

    st->rx = msg->next;
    if (!st->rx)
        st->rxTail = NULL;
    st->rxBytes -= MIN(st->rxBytes, msg->bufferLength);
    if (virNetMessageDecodePayload(msg, (xdrproc_t)xdr_virNetStreamHole, &hole) < 0 ||
        hole.length < 0 || hole.flags != 0) {
        virNetMessageFree(msg);
        virReportError(VIR_ERR_RPC, "%s", "Malformed stream hole packet");
        virErrorCopy(&st->err, virGetLastError());
        return -1;
    }
    virNetMessageFree(msg);
    st->holeLength += hole.length;
    return 0;
}


/* Lock held. True when the stream stopped being full. */
static bool
virNetClientStreamCheckDrainedLocked(virNetClientStream *st)
{
    if (st->full && st->rxBytes < VIR_NET_STREAM_WINDOW) {
        st->full = false;
        return true;
    }
    return false;
}


int
virNetClientStreamRecv(virNetClientStream *st, char *data, size_t nbytes,
                       bool nonblock, bool stopAtHole)
{
    for (;;) {
        virNetClient *client;
        bool drained = false;
        int rv = -1;

        g_mutex_lock(&st->lock);
        if (st->err.code == VIR_ERR_OK && !(st->flow & VIR_NET_STREAM_READ)) {
            g_mutex_unlock(&st->lock);
            virReportError(VIR_ERR_OPERATION_INVALID, "%s", "the stream does not receive data");
            return -1;
        }
        if (virNetClientStreamCheckStateLocked(st) < 0) {
            g_mutex_unlock(&st->lock);
            return -1;
        }
        while (st->holeLength == 0 && st->rx && st->rx->header.type == VIR_NET_STREAM_HOLE) {
            if (virNetClientStreamTakeHoleLocked(st) < 0) {
                virErrorSetLast(&st->err);
                g_mutex_unlock(&st->lock);
                return -1;
            }
        }
        if (st->holeLength > 0) {
            if (stopAtHole) {
                rv = -3;
            } else {
                size_t n = MIN(nbytes, (unsigned long long)st->holeLength);

                memset(data, 0, n);
                st->holeLength -= n;
                rv = n;
            }
        } else if (st->rx) {
            virNetMessage *msg = st->rx;
            size_t n = MIN(nbytes, virNetMessagePayloadLength(msg));

            memcpy(data, msg->buffer + msg->bufferOffset, n);
            msg->bufferOffset += n;
            if (msg->bufferOffset >= msg->bufferLength) {
                st->rx = msg->next;
                if (!st->rx)
                    st->rxTail = NULL;
                st->rxBytes -= MIN(st->rxBytes, msg->bufferLength);
                virNetMessageFree(msg);
            }
            rv = n;
        } else if (st->incomingEOF) {
            rv = 0;
        } else if (nonblock) {
            rv = -2;
        }
        if (rv != -1) {
            drained = virNetClientStreamCheckDrainedLocked(st);
            virNetClientStreamTimerUpdateLocked(st);
            client = st->client;
            g_mutex_unlock(&st->lock);
            if (drained)
                virNetClientStreamDrained(client);
            return rv;
        }
        client = st->client;
        g_mutex_unlock(&st->lock);
        if (virNetClientWaitStream(client, st) < 0) {
            /* The stream's own error says more than the connection's. */
            g_mutex_lock(&st->lock);
            if (st->err.code != VIR_ERR_OK)
                virErrorSetLast(&st->err);
            g_mutex_unlock(&st->lock);
            return -1;
        }
    }
}


int
virNetClientStreamRecvHole(virNetClientStream *st, long long *length)
{
    g_mutex_lock(&st->lock);
    if (!st->allowHoles) {
        g_mutex_unlock(&st->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "Holes are not supported with this stream");
        return -1;
    }
    if (virNetClientStreamCheckStateLocked(st) < 0) {
        g_mutex_unlock(&st->lock);
        return -1;
    }
    *length = st->holeLength;
    st->holeLength = 0;
    g_mutex_unlock(&st->lock);
    return 0;
}


/* ---- sending ------------------------------------------------------------- */

/* A non-blocking message left the client's queue. */
static void
virNetClientStreamMessageDone(virNetMessage *msg, void *opaque)
{
    virNetClientStream *st = opaque;

    g_mutex_lock(&st->lock);
    st->txBytes -= MIN(st->txBytes, msg->bufferLength);
    virNetClientStreamTimerUpdateLocked(st);
    g_mutex_unlock(&st->lock);
    msg->cb = NULL;
    virNetClientStreamUnref(st);
}


/* A new message of this stream: header only. */
static virNetMessage *
virNetClientStreamMessage(virNetClientStream *st, virNetMessageType type,
                          virNetMessageStatus status)
{
    virNetMessage *msg = virNetMessageNew(false);

    if (virNetMessageEncodeStreamHeader(msg, &st->hdr, type, status) < 0) {
        virNetMessageFree(msg);
        return NULL;
    }
    return msg;
}


/* Check the stream can send now; the client to send on (no reference:
 * the stream holds one). Lock held. */
static virNetClient *
virNetClientStreamSendCheckLocked(virNetClientStream *st)
{
    if (st->err.code == VIR_ERR_OK && !(st->flow & VIR_NET_STREAM_WRITE)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "the stream does not send data");
        return NULL;
    }
    if (virNetClientStreamCheckStateLocked(st) < 0)
        return NULL;
    return st->client;
}


/* Send an encoded data or hole message. */
static int
virNetClientStreamSendMessage(virNetClientStream *st, virNetMessage *msg, bool nonblock)
{
    virNetClient *client;

    g_mutex_lock(&st->lock);
    if (!(client = virNetClientStreamSendCheckLocked(st))) {
        g_mutex_unlock(&st->lock);
        virNetMessageFree(msg);
        return -1;
    }
    if (nonblock) {
        if (st->txBytes >= VIR_NET_STREAM_WINDOW) {
            g_mutex_unlock(&st->lock);
            virNetMessageFree(msg);
            return -2;
        }
        st->txBytes += msg->bufferLength;
        msg->cb = virNetClientStreamMessageDone;
        msg->opaque = virNetClientStreamRef(st);
    }
    g_mutex_unlock(&st->lock);
    return virNetClientSendStream(client, st, msg,
                                  nonblock ? VIR_NET_CLIENT_STREAM_SEND_NONBLOCK
                                           : VIR_NET_CLIENT_STREAM_SEND_BLOCK);
}


int
virNetClientStreamSend(virNetClientStream *st, const char *data, size_t nbytes,
                       bool nonblock)
{
    size_t n = MIN(nbytes, (size_t)VIR_NET_STREAM_CHUNK);
    virNetMessage *msg;
    char *buf;
    int rc;

    if (nbytes == 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "nothing to send");
        return -1;
    }
    g_mutex_lock(&st->lock);
    rc = virNetClientStreamSendCheckLocked(st) ? 0 : -1;
    if (rc == 0 && nonblock && st->txBytes >= VIR_NET_STREAM_WINDOW)
        rc = -2;
    g_mutex_unlock(&st->lock);
    if (rc < 0)
        return rc;
    if (!(msg = virNetClientStreamMessage(st, VIR_NET_STREAM, VIR_NET_CONTINUE)) ||
        !(buf = virNetMessageEncodePayloadRawBegin(msg, n))) {
        virNetMessageFree(msg);
        return -1;
    }
    memcpy(buf, data, n);
    virNetMessageEncodePayloadRawEnd(msg, n);
    rc = virNetClientStreamSendMessage(st, msg, nonblock);
    return rc < 0 ? rc : (int)n;
}


int
virNetClientStreamSendHole(virNetClientStream *st, long long length)
{
    virNetStreamHole hole = { .length = length, .flags = 0 };
    virNetMessage *msg;

    if (!st->allowHoles) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "Skipping is not supported with this stream");
        return -1;
    }
    if (length < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "a hole cannot be negative");
        return -1;
    }
    if (!(msg = virNetClientStreamMessage(st, VIR_NET_STREAM_HOLE, VIR_NET_CONTINUE)))
        return -1;
    if (virNetMessageEncodePayload(msg, (xdrproc_t)xdr_virNetStreamHole, &hole) < 0) {
        virNetMessageFree(msg);
        return -1;
    }
    return virNetClientStreamSendMessage(st, msg, false) < 0 ? -1 : 0;
}


virNetMessage *
virNetClientStreamAbortMessage(virNetClientStream *st)
{
    virNetMessage *msg = virNetClientStreamMessage(st, VIR_NET_STREAM, VIR_NET_ERROR);

    if (msg && virNetMessageEncodePayloadEmpty(msg) < 0)
        g_clear_pointer(&msg, virNetMessageFree);
    return msg;
}


/* The closing handshake: finish (STREAM OK) or abort (STREAM ERROR),
 * then wait for the server's confirmation. The stream leaves the client. */
static int
virNetClientStreamClosing(virNetClientStream *st, bool finish)
{
    virNetClient *client;
    virNetMessage *msg;
    int rv = -1;

    g_mutex_lock(&st->lock);
    client = st->client;
    if (!finish && st->bound &&
        (st->err.code != VIR_ERR_OK || st->state != VIR_NET_CLIENT_STREAM_OPEN)) {
        /* Already over: nothing to tell the server. */
        st->state = VIR_NET_CLIENT_STREAM_ABORTED;
        g_mutex_unlock(&st->lock);
        virNetClientRemoveStream(client, st);
        return 0;
    }
    if (virNetClientStreamCheckStateLocked(st) < 0) {
        g_mutex_unlock(&st->lock);
        if (client && st->bound)
            virNetClientRemoveStream(client, st);
        return -1;
    }
    st->closing = finish ? 1 : 2;
    g_mutex_unlock(&st->lock);

    if (finish) {
        msg = virNetClientStreamMessage(st, VIR_NET_STREAM, VIR_NET_OK);
        if (msg && virNetMessageEncodePayloadEmpty(msg) < 0)
            g_clear_pointer(&msg, virNetMessageFree);
    } else {
        msg = virNetClientStreamAbortMessage(st);
    }
    if (msg && virNetClientSendStream(client, st, msg, VIR_NET_CLIENT_STREAM_SEND_CLOSE) == 0) {
        g_mutex_lock(&st->lock);
        if (st->err.code != VIR_ERR_OK)
            virErrorSetLast(&st->err);
        else if (st->state == VIR_NET_CLIENT_STREAM_OPEN)
            virReportError(VIR_ERR_RPC, "%s", "the stream ended without a confirmation");
        else
            rv = 0;
        g_mutex_unlock(&st->lock);
    } else {
        g_mutex_lock(&st->lock);
        if (st->err.code != VIR_ERR_OK)
            virErrorSetLast(&st->err);
        g_mutex_unlock(&st->lock);
    }
    virNetClientRemoveStream(client, st);
    return rv;
}


int
virNetClientStreamFinish(virNetClientStream *st)
{
    return virNetClientStreamClosing(st, true);
}


int
virNetClientStreamAbort(virNetClientStream *st)
{
    return virNetClientStreamClosing(st, false);
}


void
virNetClientStreamClose(virNetClientStream *st)
{
    virNetClient *client;
    bool open;

    g_mutex_lock(&st->lock);
    client = st->client;
    open = st->bound && st->err.code == VIR_ERR_OK &&
           st->state == VIR_NET_CLIENT_STREAM_OPEN && !st->closing;
    if (open)
        st->closing = 2;
    g_mutex_unlock(&st->lock);
    if (!client || !st->bound)
        return;
    if (open) {
        virNetMessage *msg = virNetClientStreamAbortMessage(st);

        /* The confirmation finds no stream and is dropped. */
        if (msg)
            (void)virNetClientSendStream(client, st, msg, VIR_NET_CLIENT_STREAM_SEND_NONBLOCK);
    }
    virNetClientRemoveStream(client, st);
}
