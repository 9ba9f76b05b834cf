/*
 * virstream.c: the stream a call opened, as a driver sees it (see
 * virstream.h).
 *
 * The object only records: the backend the driver attached, until the
 * implementation takes it, and the end callback, until the end. Neither
 * the driver's callback nor the implementation's functions are called
 * with st->lock held: a driver may abort a stream from inside its own
 * locks, and the end may be reported from inside the implementation.
 */
#include <unistd.h>

#include "virstream.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_STREAMS

struct _virStream {
    gint refs;
    GMutex lock;
    const virStreamImpl *impl;
    void *implData;               /* NULL once released */
    int calling;                  /* implementation calls in progress */
    void *releaseLater;           /* released when the last call returns */
    virStreamBackend backend;
    bool started;                 /* the backend was taken */
    bool over;
    virStreamEndFunc endCb;
    void *endOpaque;
    virFreeCallback endFf;
};


virStream *
virStreamNew(const virStreamImpl *impl, void *data)
{
    virStream *st = g_new0(virStream, 1);

    st->refs = 1;
    g_mutex_init(&st->lock);
    st->impl = impl;
    st->implData = data;
    st->backend.fd = -1;
    return st;
}


virStream *
virStreamRef(virStream *st)
{
    g_atomic_int_inc(&st->refs);
    return st;
}


void
virStreamBackendClear(virStreamBackend *backend)
{
    VIR_FORCE_CLOSE(backend->fd);
    g_clear_pointer(&backend->bytes, g_bytes_unref);
    backend->type = VIR_STREAM_BACKEND_NONE;
}


void
virStreamUnref(virStream *st)
{
    if (!st || !g_atomic_int_dec_and_test(&st->refs))
        return;
    virStreamBackendClear(&st->backend);
    if (st->implData && st->impl->release)
        st->impl->release(st->implData);
    if (st->endFf)
        st->endFf(st->endOpaque);
    g_mutex_clear(&st->lock);
    g_free(st);
}


/* Attach a backend: the stream takes fd either way. */
static int
virStreamAttach(virStream *st, const virStreamBackend *backend)
{
    g_mutex_lock(&st->lock);
    if (st->backend.type != VIR_STREAM_BACKEND_NONE || st->started || st->over) {
        g_mutex_unlock(&st->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "the stream already has a source or is over");
        if (backend->fd >= 0)
            close(backend->fd);
        if (backend->bytes)
            g_bytes_unref(backend->bytes);
        return -1;
    }
    st->backend = *backend;
    g_mutex_unlock(&st->lock);
    return 0;
}


int
virStreamSetFD(virStream *st, int fd)
{
    virStreamBackend be = { .type = VIR_STREAM_BACKEND_FD, .fd = fd };

    if (fd < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "no file descriptor for the stream");
        return -1;
    }
    return virStreamAttach(st, &be);
}


int
virStreamSetFile(virStream *st, int fd, unsigned long long offset,
                 unsigned long long length, unsigned int flags)
{
    virStreamBackend be = { .type = VIR_STREAM_BACKEND_FILE, .fd = fd, .offset = offset,
                            .length = length, .flags = flags };

    if (fd < 0 || (flags & ~(VIR_STREAM_FILE_WRITE | VIR_STREAM_FILE_SPARSE)) ||
        offset > G_MAXINT64 || length > G_MAXINT64 - offset) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "bad file range or flags for the stream");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (virStreamAttach(st, &be) < 0)
        return -1;
    if ((flags & VIR_STREAM_FILE_SPARSE) && st->impl->sparse)
        st->impl->sparse(st->implData);
    return 0;
}


int
virStreamSetBytes(virStream *st, const void *data, size_t len)
{
    virStreamBackend be = { .type = VIR_STREAM_BACKEND_BYTES, .fd = -1,
                            .bytes = g_bytes_new(data, len) };

    return virStreamAttach(st, &be);
}


bool
virStreamTakeBackend(virStream *st, virStreamBackend *backend)
{
    bool ret;

    g_mutex_lock(&st->lock);
    st->started = true;
    *backend = st->backend;
    ret = backend->type != VIR_STREAM_BACKEND_NONE;
    st->backend = (virStreamBackend){ .fd = -1 };
    g_mutex_unlock(&st->lock);
    return ret;
}


void
virStreamSetEndCallback(virStream *st, virStreamEndFunc cb, void *opaque, virFreeCallback ff)
{
    virStreamEndFunc runNow = NULL;

    g_mutex_lock(&st->lock);
    if (st->endFf)
        st->endFf(st->endOpaque);
    st->endCb = cb;
    st->endOpaque = opaque;
    st->endFf = ff;
    /* Over already (the client left while the call ran): tell at once. */
    if (st->over)
        runNow = cb;
    g_mutex_unlock(&st->lock);
    if (runNow)
        runNow(st, opaque);
}


bool
virStreamIsOver(virStream *st)
{
    bool ret;

    g_mutex_lock(&st->lock);
    ret = st->over;
    g_mutex_unlock(&st->lock);
    return ret;
}


void
virStreamAbort(virStream *st, int code, const char *message)
{
    virError err = { .code = code, .domain = VIR_FROM_STREAMS, .level = VIR_ERR_ERROR,
                     .message = (char *)message };
    void *data, *release = NULL;

    g_mutex_lock(&st->lock);
    data = st->over ? NULL : st->implData;
    if (data)
        st->calling++;   /* the end releases data only after we return */
    g_mutex_unlock(&st->lock);
    if (!data)
        return;
    st->impl->abort(data, &err);
    g_mutex_lock(&st->lock);
    if (--st->calling == 0)
        release = g_steal_pointer(&st->releaseLater);
    g_mutex_unlock(&st->lock);
    if (release && st->impl->release)
        st->impl->release(release);
}


void
virStreamEnded(virStream *st)
{
    virStreamEndFunc cb;
    void *opaque, *data;

    g_mutex_lock(&st->lock);
    if (st->over) {
        g_mutex_unlock(&st->lock);
        return;
    }
    st->over = true;
    cb = st->endCb;
    opaque = st->endOpaque;
    data = g_steal_pointer(&st->implData);
    if (data && st->calling > 0) {
        st->releaseLater = data;
        data = NULL;
    }
    g_mutex_unlock(&st->lock);
    if (cb)
        cb(st, opaque);
    if (data && st->impl->release)
        st->impl->release(data);
}
