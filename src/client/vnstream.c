/*
 * vnstream.c: streams of the client API (see vnstream.h) over the RPC
 * client's streams (src/rpc/virnetclientstream.h).
 *
 * A vnStream holds its connection and, once a call opened it, the RPC
 * stream (the generated call gets it from vnStreamCallBegin: a fresh RPC
 * stream with the call's flow; after a failed call the next one makes
 * another). Event callbacks run on the connection's event thread.
 *
 * Locking: st->lock guards the RPC stream pointer and the callback; the
 * RPC stream does its own locking, and no call is made with st->lock held.
 */
#include <string.h>

#include <errno.h>

#include <glib.h>

#include "vnclient.h"
#include "vnclientpriv.h"
#include "virnetclientstream.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_STREAMS

struct _vnStream {
    gint refs;
    vnConnect *conn;                /* a reference */
    unsigned int flags;
    GMutex lock;
    virNetClientStream *rst;        /* since the opening call (a reference) */
    vnStreamEventCallback cb;
    void *cbOpaque;
    vnStreamFreeCallback cbFree;
};


vnStream *
vnStreamNew(vnConnect *conn, unsigned int flags)
{
    vnStream *st;

    virResetLastError();
    if (!conn) {
        virReportError(VIR_ERR_INVALID_CONN, "%s", __func__);
        return NULL;
    }
    if (flags & ~VIR_STREAM_NONBLOCK) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in function %s",
                       flags & ~VIR_STREAM_NONBLOCK, __func__);
        return NULL;
    }
    st = g_new0(vnStream, 1);
    st->refs = 1;
    st->conn = vnConnectRef(conn);
    st->flags = flags;
    g_mutex_init(&st->lock);
    return st;
}


vnStream *
vnStreamRef(vnStream *st)
{
    if (!st) {
        virReportError(VIR_ERR_INVALID_STREAM, "%s", __func__);
        return NULL;
    }
    g_atomic_int_inc(&st->refs);
    return st;
}


int
vnStreamFree(vnStream *st)
{
    bool hasCb;

    if (!st) {
        virReportError(VIR_ERR_INVALID_STREAM, "%s", __func__);
        return -1;
    }
    /* The application's last reference, with a callback registered (which
     * holds the other): remove the callback, whose end drops its hold. */
    g_mutex_lock(&st->lock);
    hasCb = st->cb && st->rst;
    g_mutex_unlock(&st->lock);
    if (hasCb && g_atomic_int_get(&st->refs) == 2)
        virNetClientStreamEventRemoveCallback(st->rst);
    if (!g_atomic_int_dec_and_test(&st->refs))
        return 0;
    if (st->rst) {
        virNetClientStreamClose(st->rst);
        virNetClientStreamUnref(st->rst);
    }
    g_mutex_clear(&st->lock);
    vnConnectClose(st->conn);
    g_free(st);
    return 0;
}


virNetClientStream *
vnStreamCallBegin(vnStream *st, vnConnect *conn, unsigned int flow, bool sparse)
{
    virNetClientStream *rst;

    if (!st) {
        virReportError(VIR_ERR_INVALID_STREAM, "%s", "no stream for the call");
        return NULL;
    }
    if (st->conn != conn) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "the stream belongs to another connection");
        return NULL;
    }
    g_mutex_lock(&st->lock);
    if (st->rst && virNetClientStreamIsBound(st->rst)) {
        g_mutex_unlock(&st->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "the stream is already in use");
        return NULL;
    }
    /* A previous call that failed left an unused one. */
    virNetClientStreamUnref(st->rst);
    rst = st->rst = virNetClientStreamNew(flow, sparse);
    g_mutex_unlock(&st->lock);
    return rst;
}


/* The RPC stream of an opened stream, or NULL with an error. */
static virNetClientStream *
vnStreamGet(vnStream *st, const char *func)
{
    virNetClientStream *rst;

    virResetLastError();
    if (!st) {
        virReportError(VIR_ERR_INVALID_STREAM, "%s", func);
        return NULL;
    }
    g_mutex_lock(&st->lock);
    rst = st->rst;
    g_mutex_unlock(&st->lock);
    if (!rst)
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "the stream is not open");
    return rst;
}


int
vnStreamSend(vnStream *st, const char *data, size_t nbytes)
{
    virNetClientStream *rst = vnStreamGet(st, __func__);

    if (!rst)
        return -1;
    if (!data) {
        virReportError(VIR_ERR_INVALID_ARG, "data in %s must not be NULL", __func__);
        return -1;
    }
    return virNetClientStreamSend(rst, data, nbytes, st->flags & VIR_STREAM_NONBLOCK);
}


int
vnStreamRecvFlags(vnStream *st, char *data, size_t nbytes, unsigned int flags)
{
    virNetClientStream *rst = vnStreamGet(st, __func__);

    if (!rst)
        return -1;
    if (flags & ~VIR_STREAM_RECV_STOP_AT_HOLE) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in function %s",
                       flags & ~VIR_STREAM_RECV_STOP_AT_HOLE, __func__);
        return -1;
    }
    if (!data || nbytes == 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "no room to receive into");
        return -1;
    }
    return virNetClientStreamRecv(rst, data, nbytes, st->flags & VIR_STREAM_NONBLOCK,
                                  flags & VIR_STREAM_RECV_STOP_AT_HOLE);
}


int
vnStreamRecv(vnStream *st, char *data, size_t nbytes)
{
    return vnStreamRecvFlags(st, data, nbytes, 0);
}


int
vnStreamSendHole(vnStream *st, long long length, unsigned int flags)
{
    virNetClientStream *rst = vnStreamGet(st, __func__);

    if (!rst)
        return -1;
    if (flags) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in function %s",
                       flags, __func__);
        return -1;
    }
    return virNetClientStreamSendHole(rst, length);
}


int
vnStreamRecvHole(vnStream *st, long long *length, unsigned int flags)
{
    virNetClientStream *rst = vnStreamGet(st, __func__);

    if (!rst)
        return -1;
    if (flags || !length) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "bad flags or no length in vnStreamRecvHole");
        return -1;
    }
    return virNetClientStreamRecvHole(rst, length);
}


int
vnStreamFinish(vnStream *st)
{
    virNetClientStream *rst = vnStreamGet(st, __func__);

    return rst ? virNetClientStreamFinish(rst) : -1;
}


int
vnStreamAbort(vnStream *st)
{
    virNetClientStream *rst = vnStreamGet(st, __func__);

    return rst ? virNetClientStreamAbort(rst) : -1;
}


/* ---- events ---- */

static void
vnStreamEventTrampoline(virNetClientStream *rst G_GNUC_UNUSED, int events, void *opaque)
{
    vnStream *st = opaque;
    vnStreamEventCallback cb;
    void *cbOpaque;

    g_mutex_lock(&st->lock);
    cb = st->cb;
    cbOpaque = st->cbOpaque;
    g_mutex_unlock(&st->lock);
    if (cb)
        cb(st, events, cbOpaque);
}


/* The RPC stream's free function: the application's, then the
 * registration's hold on st (a callback in flight keeps st alive). */
static void
vnStreamEventFree(void *opaque)
{
    vnStream *st = opaque;
    vnStreamFreeCallback ff;
    void *cbOpaque;

    g_mutex_lock(&st->lock);
    ff = st->cbFree;
    cbOpaque = st->cbOpaque;
    st->cb = NULL;
    st->cbFree = NULL;
    st->cbOpaque = NULL;
    g_mutex_unlock(&st->lock);
    if (ff)
        ff(cbOpaque);
    vnStreamFree(st);
}


int
vnStreamEventAddCallback(vnStream *st, int events, vnStreamEventCallback cb, void *opaque,
                         vnStreamFreeCallback ff)
{
    virNetClientStream *rst = vnStreamGet(st, __func__);

    if (!rst)
        return -1;
    if (!cb) {
        virReportError(VIR_ERR_INVALID_ARG, "cb in %s must not be NULL", __func__);
        return -1;
    }
    g_mutex_lock(&st->lock);
    if (st->cb) {
        g_mutex_unlock(&st->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "multiple stream callbacks not supported");
        return -1;
    }
    st->cb = cb;
    st->cbOpaque = opaque;
    st->cbFree = ff;
    g_mutex_unlock(&st->lock);
    vnStreamRef(st);
    if (virNetClientStreamEventAddCallback(rst, events, vnStreamEventTrampoline, st,
                                           vnStreamEventFree) < 0) {
        g_atomic_int_add(&st->refs, -1);
        g_mutex_lock(&st->lock);
        st->cb = NULL;
        st->cbFree = NULL;
        st->cbOpaque = NULL;
        g_mutex_unlock(&st->lock);
        return -1;
    }
    return 0;
}


int
vnStreamEventUpdateCallback(vnStream *st, int events)
{
    virNetClientStream *rst = vnStreamGet(st, __func__);

    return rst ? virNetClientStreamEventUpdateCallback(rst, events) : -1;
}


int
vnStreamEventRemoveCallback(vnStream *st)
{
    virNetClientStream *rst = vnStreamGet(st, __func__);

    return rst ? virNetClientStreamEventRemoveCallback(rst) : -1;
}


/* ---- whole transfers ---- */

/* Blocking streams only: the helpers wait. */
static int
vnStreamCheckBlocking(vnStream *st, const char *func)
{
    if (!vnStreamGet(st, func))
        return -1;
    if (st->flags & VIR_STREAM_NONBLOCK) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s: data sources cannot be used "
                       "with non-blocking streams", func);
        return -1;
    }
    return 0;
}


/* A handler of the caller's failed: libvirt's error, from its errno. */
static int
vnStreamHandlerFailed(const char *what)
{
    virReportSystemError(errno ? errno : EIO, "%s failed", what);
    return -1;
}


/* Send what the source gives from data; with a hole handler, holes go as
 * holes. */
static int
vnStreamSendLoop(vnStream *st, vnStreamSourceFunc handler, vnStreamSourceHoleFunc holeHandler,
                 vnStreamSourceSkipFunc skipHandler, void *opaque)
{
    const size_t want = 256 * 1024 - 24;
    g_autofree char *bytes = g_malloc(want);
    long long dataLeft = 0;

    for (;;) {
        size_t chunk = want;
        int got;

        if (holeHandler && dataLeft == 0) {
            int inData = 0;
            long long length = 0;

            errno = 0;
            if (holeHandler(st, &inData, &length, opaque) < 0)
                return vnStreamHandlerFailed("send holeHandler");
            if (!inData && length > 0) {
                if (vnStreamSendHole(st, length, 0) < 0)
                    return -1;
                errno = 0;
                if (skipHandler(st, length, opaque) < 0)
                    return vnStreamHandlerFailed("send skipHandler");
                continue;
            }
            if (!inData && length == 0)
                break;      /* the end: no data, no hole */
            dataLeft = length;
        }
        if (holeHandler && (long long)chunk > dataLeft)
            chunk = dataLeft;
        errno = 0;
        if ((got = handler(st, bytes, chunk, opaque)) < 0)
            return vnStreamHandlerFailed("send handler");
        if (got == 0)
            break;
        if (holeHandler)
            dataLeft -= got;
        for (int off = 0; off < got;) {
            int done = vnStreamSend(st, bytes + off, got - off);

            if (done < 0)
                return -1;
            off += done;
        }
    }
    return vnStreamFinish(st);
}


int
vnStreamSendAll(vnStream *st, vnStreamSourceFunc handler, void *opaque)
{
    if (vnStreamCheckBlocking(st, __func__) < 0)
        return -1;
    return vnStreamSendLoop(st, handler, NULL, NULL, opaque);
}


int
vnStreamSparseSendAll(vnStream *st, vnStreamSourceFunc handler,
                      vnStreamSourceHoleFunc holeHandler, vnStreamSourceSkipFunc skipHandler,
                      void *opaque)
{
    if (vnStreamCheckBlocking(st, __func__) < 0)
        return -1;
    if (!holeHandler || !skipHandler) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "sparse sending needs hole and skip handlers");
        return -1;
    }
    return vnStreamSendLoop(st, handler, holeHandler, skipHandler, opaque);
}


static int
vnStreamRecvLoop(vnStream *st, vnStreamSinkFunc handler, vnStreamSinkHoleFunc holeHandler,
                 void *opaque)
{
    const size_t want = 256 * 1024;
    g_autofree char *bytes = g_malloc(want);

    for (;;) {
        int got = vnStreamRecvFlags(st, bytes, want, holeHandler ? VIR_STREAM_RECV_STOP_AT_HOLE : 0);

        if (got == -3) {
            long long length;

            if (vnStreamRecvHole(st, &length, 0) < 0)
                return -1;
            errno = 0;
            if (holeHandler(st, length, opaque) < 0)
                return vnStreamHandlerFailed("recv holeHandler");
            continue;
        }
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        errno = 0;
        if (handler(st, bytes, got, opaque) < 0)
            return vnStreamHandlerFailed("recv handler");
    }
    return vnStreamFinish(st);
}


int
vnStreamRecvAll(vnStream *st, vnStreamSinkFunc handler, void *opaque)
{
    if (vnStreamCheckBlocking(st, __func__) < 0)
        return -1;
    return vnStreamRecvLoop(st, handler, NULL, opaque);
}


int
vnStreamSparseRecvAll(vnStream *st, vnStreamSinkFunc handler, vnStreamSinkHoleFunc holeHandler,
                      void *opaque)
{
    if (vnStreamCheckBlocking(st, __func__) < 0)
        return -1;
    if (!holeHandler) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "sparse receiving needs a hole handler");
        return -1;
    }
    return vnStreamRecvLoop(st, handler, holeHandler, opaque);
}
