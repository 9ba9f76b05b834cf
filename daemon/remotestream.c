/*
 * remotestream.c: the pumps between an RPC stream and the backend a driver
 * attached to its virStream (see remotestream.h).
 *
 * One remoteStream per stream, reference counted: the RPC stream's handler
 * holds one (released when the RPC stream is freed), the virStream holds
 * one until its end (virStreamEnded), an fd watch one, a file thread one.
 *
 * Events from the RPC stream (START, INCOMING, WRITABLE, CLOSED) and from
 * the fd watch run the pump of the backend with rs->lock held. The file
 * pump runs on its thread and sleeps on rs->cond; events only wake it.
 * rs->lock is taken before any RPC stream lock: calling the RPC stream
 * with it held is fine (the RPC stream never calls back synchronously,
 * except CLOSED from the thread that closed the client, which holds no
 * lock of ours). The driver's end callback runs without it.
 *
 * An upload's finish is confirmed only after its data is on disk
 * (fdatasync): the client's success means the bytes are stored. A file
 * stream's finish or abort is answered only after the driver heard of
 * the end: once the client's virStreamFinish returns, the volume is free
 * for its next call.
 *
 * The driver hears of the end (virStreamEnded) once: for a file, from the
 * file thread when it leaves, after the fd is closed (so the driver may
 * look at the file then, and never on the loop thread); otherwise from
 * whichever thread ended the stream.
 *
 * File threads are joinable: the next start joins those that finished,
 * and remoteStreamJoinThreads waits for all (the daemon's exit, after its
 * clients are gone, so none is cut off mid-write and nothing of theirs is
 * still being freed when the process ends).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "remotestream.h"
#include "virnetserverstream.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_STREAMS

VIR_LOG_INIT("daemon.stream");

typedef struct {
    GThread *thread;              /* set under remoteStreamThreadsLock */
    gint done;                    /* the thread function has returned (nearly) */
} remoteStreamThread;

static gint remoteStreamsAlive;           /* for the fuzz harness's check */
static GMutex remoteStreamThreadsLock;
static GPtrArray *remoteStreamThreads;    /* remoteStreamThread *, not joined yet */

typedef struct {
    gint refs;
    GMutex lock;
    GCond cond;                   /* the file thread's wake-ups */
    virNetServerStream *rst;      /* a reference */
    virStream *st;                /* a reference until the end */
    unsigned int flow;
    virStreamBackend be;
    bool started;
    bool over;
    bool wake;                    /* something for the file thread */
    bool threadEnds;              /* the file thread reports the end */
    remoteStreamThread *th;       /* the file thread, once started */
    bool confirm;                 /* the file thread answers a finish or abort at its end */
    int confirmRc;
    virError *confirmErr;         /* a failed finish's error, kept for the answer */

    /* fd */
    virEventLoop *loop;
    int watch;
    int watchEvents;
    bool readEOF;                 /* the fd's end of data was sent */
    virNetServerStreamPacket pkt; /* client data being written to the fd */
    size_t pktOff;

    /* bytes */
    size_t bytesOff;
    bool eofSent;
} remoteStream;


static remoteStream *
remoteStreamRef(remoteStream *rs)
{
    g_atomic_int_inc(&rs->refs);
    return rs;
}


static void
remoteStreamUnref(void *opaque)
{
    remoteStream *rs = opaque;

    if (!rs || !g_atomic_int_dec_and_test(&rs->refs))
        return;
    virNetServerStreamPacketClear(&rs->pkt);
    virStreamBackendClear(&rs->be);
    virNetServerStreamUnref(rs->rst);
    g_cond_clear(&rs->cond);
    g_mutex_clear(&rs->lock);
    g_free(rs);
    g_atomic_int_add(&remoteStreamsAlive, -1);
}


/* The stream is over: stop the pump. Lock held. The caller then calls
 * remoteStreamEnded without it. */
static void
remoteStreamOverLocked(remoteStream *rs)
{
    if (rs->over)
        return;
    rs->over = true;
    if (rs->watch > 0) {
        virEventLoopRemoveHandle(rs->loop, rs->watch);
        rs->watch = -1;
    }
    virNetServerStreamPacketClear(&rs->pkt);
    /* A file thread closes its fd when it leaves. */
    if (rs->be.type != VIR_STREAM_BACKEND_FILE || !rs->started)
        virStreamBackendClear(&rs->be);
    rs->wake = true;
    g_cond_broadcast(&rs->cond);
}


/* Tell the driver (no lock held). fromThread: the file thread, which
 * reports the end of its stream (the others leave it to it). */
static void
remoteStreamEnded(remoteStream *rs, bool fromThread)
{
    virStream *st;

    g_mutex_lock(&rs->lock);
    st = rs->threadEnds && !fromThread ? NULL : g_steal_pointer(&rs->st);
    g_mutex_unlock(&rs->lock);
    if (st) {
        virStreamEnded(st);
        virStreamUnref(st);
    }
}


/* Abort with the thread's last error. Lock held. */
static void
remoteStreamFailLocked(remoteStream *rs)
{
    VIR_DEBUG("stream failed: %s", virGetLastErrorMessage());
    virNetServerStreamAbort(rs->rst);
    remoteStreamOverLocked(rs);
}


/* Answer the client's finish or abort. Lock held. */
static void
remoteStreamConfirmLocked(remoteStream *rs, int rc)
{
    virNetServerStreamConfirm(rs->rst, rc);
    remoteStreamOverLocked(rs);
}


/* The file thread's answer to a finish or abort, given when it leaves.
 * Lock held. */
static void
remoteStreamFileConfirmLocked(remoteStream *rs, int rc)
{
    rs->confirm = true;
    rs->confirmRc = rc;
    if (rc < 0)
        rs->confirmErr = virErrorPreserveLast();
    remoteStreamOverLocked(rs);
}


/* ---- fd: pipes, ptys, sockets on the loop --------------------------------- */

static void remoteStreamFDWatch(int watch, int fd, int events, void *opaque);

static void
remoteStreamFDUpdateLocked(remoteStream *rs)
{
    int events = 0;

    if (rs->over)
        return;
    if ((rs->flow & VIR_NET_STREAM_READ) && !rs->readEOF &&
        virNetServerStreamCanSend(rs->rst))
        events |= VIR_EVENT_HANDLE_READABLE;
    if (rs->pkt.msg)
        events |= VIR_EVENT_HANDLE_WRITABLE;
    if (rs->watch < 0) {
        remoteStreamRef(rs);
        if ((rs->watch = virEventLoopAddHandle(rs->loop, rs->be.fd, events,
                                               remoteStreamFDWatch, rs,
                                               remoteStreamUnref)) < 0) {
            remoteStreamUnref(rs);
            remoteStreamFailLocked(rs);
        }
        rs->watchEvents = events;
    } else if (events != rs->watchEvents) {
        virEventLoopUpdateHandle(rs->loop, rs->watch, events);
        rs->watchEvents = events;
    }
}


/* The client's data into the fd, as far as it takes it. Lock held. */
static void
remoteStreamFDWriteLocked(remoteStream *rs)
{
    while (!rs->over) {
        virNetServerStreamPacket *pkt = &rs->pkt;

        if (!pkt->msg && virNetServerStreamRecv(rs->rst, pkt) == 0)
            return;
        switch (pkt->type) {
        case VIR_NET_SERVER_STREAM_PACKET_DATA:
            while (rs->pktOff < pkt->len) {
                ssize_t n = write(rs->be.fd, pkt->data + rs->pktOff, pkt->len - rs->pktOff);

                if (n < 0 && errno == EINTR)
                    continue;
                if (n < 0 && errno == EAGAIN)
                    return;
                if (n < 0) {
                    if (rs->readEOF) {
                        /* The other end is gone and the client was told:
                         * its last keystrokes go nowhere. */
                        break;
                    }
                    virReportSystemError(errno, "%s", "cannot write to the stream's device");
                    remoteStreamFailLocked(rs);
                    return;
                }
                rs->pktOff += n;
            }
            break;
        case VIR_NET_SERVER_STREAM_PACKET_HOLE:
            break;   /* not a sparse stream: never queued */
        case VIR_NET_SERVER_STREAM_PACKET_FINISH:
        case VIR_NET_SERVER_STREAM_PACKET_ABORT:
            virNetServerStreamPacketClear(pkt);
            remoteStreamConfirmLocked(rs, 0);
            return;
        }
        virNetServerStreamPacketClear(pkt);
        rs->pktOff = 0;
    }
}


/* The fd's data to the client while the window has room. Lock held. */
static void
remoteStreamFDReadLocked(remoteStream *rs)
{
    while (!rs->over && !rs->readEOF && virNetServerStreamCanSend(rs->rst)) {
        char *buf;
        virNetMessage *msg = virNetServerStreamDataNew(rs->rst, VIR_NET_STREAM_CHUNK, &buf);
        ssize_t n;

        if (!msg) {
            remoteStreamFailLocked(rs);
            return;
        }
        do {
            n = read(rs->be.fd, buf, VIR_NET_STREAM_CHUNK);
        } while (n < 0 && errno == EINTR);
        if (n < 0 && errno == EAGAIN) {
            virNetServerStreamDataSend(rs->rst, msg, 0);
            return;
        }
        if (n <= 0 && (n == 0 || errno == EIO)) {
            /* The end (a pty whose other side closed reads EIO). */
            virNetServerStreamDataSend(rs->rst, msg, 0);
            rs->readEOF = true;
            if (virNetServerStreamSendEOF(rs->rst) < 0)
                remoteStreamOverLocked(rs);
            return;
        }
        if (n < 0) {
            virReportSystemError(errno, "%s", "cannot read from the stream's device");
            virNetServerStreamDataSend(rs->rst, msg, 0);
            remoteStreamFailLocked(rs);
            return;
        }
        if (virNetServerStreamDataSend(rs->rst, msg, n) < 0) {
            remoteStreamOverLocked(rs);
            return;
        }
    }
}


static void
remoteStreamFDRunLocked(remoteStream *rs)
{
    remoteStreamFDWriteLocked(rs);
    if (rs->flow & VIR_NET_STREAM_READ)
        remoteStreamFDReadLocked(rs);
    remoteStreamFDUpdateLocked(rs);
}


static void
remoteStreamFDWatch(int watch G_GNUC_UNUSED, int fd G_GNUC_UNUSED, int events, void *opaque)
{
    remoteStream *rs = opaque;
    bool over;

    g_mutex_lock(&rs->lock);
    if (!rs->over) {
        if ((events & (VIR_EVENT_HANDLE_HANGUP | VIR_EVENT_HANDLE_ERROR)) &&
            !(rs->flow & VIR_NET_STREAM_READ)) {
            virReportError(VIR_ERR_RPC, "%s", "stream had unexpected termination");
            remoteStreamFailLocked(rs);
        } else {
            remoteStreamFDRunLocked(rs);
        }
    }
    over = rs->over;
    g_mutex_unlock(&rs->lock);
    if (over)
        remoteStreamEnded(rs, false);
}


/* ---- bytes ----------------------------------------------------------------- */

static void
remoteStreamBytesRunLocked(remoteStream *rs)
{
    gsize len;
    const char *data = g_bytes_get_data(rs->be.bytes, &len);
    virNetServerStreamPacket pkt;

    while (!rs->over && !rs->eofSent && virNetServerStreamCanSend(rs->rst)) {
        size_t n = MIN(len - rs->bytesOff, (size_t)VIR_NET_STREAM_CHUNK);

        if (n == 0) {
            if (virNetServerStreamSendEOF(rs->rst) < 0) {
                remoteStreamOverLocked(rs);
                return;
            }
            rs->eofSent = true;
            break;
        }
        if (virNetServerStreamSendData(rs->rst, data + rs->bytesOff, n) < 0) {
            remoteStreamOverLocked(rs);
            return;
        }
        rs->bytesOff += n;
    }
    /* What the client sends: its finish or abort. */
    while (!rs->over && virNetServerStreamRecv(rs->rst, &pkt) == 1) {
        bool end = pkt.type == VIR_NET_SERVER_STREAM_PACKET_FINISH ||
                   pkt.type == VIR_NET_SERVER_STREAM_PACKET_ABORT;

        virNetServerStreamPacketClear(&pkt);
        if (end)
            remoteStreamConfirmLocked(rs, 0);
    }
}


/* ---- files, on a thread of their own ------------------------------------- */

/* Sleep until an event (or the end). Lock held. False when over. */
static bool
remoteStreamFileWaitLocked(remoteStream *rs)
{
    while (!rs->wake && !rs->over)
        g_cond_wait(&rs->cond, &rs->lock);
    rs->wake = false;
    return !rs->over;
}


/* virFileDataExtent, with the error reported. */
static int
remoteStreamFileExtent(int fd, off_t pos, off_t end, off_t *dataStart, off_t *dataEnd)
{
    if (virFileDataExtent(fd, pos, end, dataStart, dataEnd) < 0) {
        virReportSystemError(errno, "%s", "cannot look for data and holes in the volume");
        return -1;
    }
    return 0;
}


/* Download: the file's range to the client, then wait for the finish. */
static void
remoteStreamFileSendLocked(remoteStream *rs)
{
    int fd = rs->be.fd;
    bool sparse = rs->be.flags & VIR_STREAM_FILE_SPARSE;
    off_t pos = rs->be.offset;
    off_t end;
    struct stat sb;

    if (fstat(fd, &sb) < 0) {
        virReportSystemError(errno, "%s", "cannot stat the volume");
        remoteStreamFailLocked(rs);
        return;
    }
    end = rs->be.length ? (off_t)(rs->be.offset + rs->be.length) : MAX(sb.st_size, pos);
    while (!rs->over) {
        off_t dataStart = pos, dataEnd = end;
        char *buf;
        virNetMessage *msg;
        size_t want;
        ssize_t n;

        if (!virNetServerStreamCanSend(rs->rst)) {
            if (!remoteStreamFileWaitLocked(rs))
                return;
            continue;
        }
        if (pos >= end) {
            if (virNetServerStreamSendEOF(rs->rst) < 0)
                remoteStreamOverLocked(rs);
            break;
        }
        /* Disk I/O without the lock: events only wake us. */
        g_mutex_unlock(&rs->lock);
        if (sparse && remoteStreamFileExtent(fd, pos, end, &dataStart, &dataEnd) < 0) {
            g_mutex_lock(&rs->lock);
            remoteStreamFailLocked(rs);
            return;
        }
        if (dataStart > pos) {
            int rc = virNetServerStreamSendHole(rs->rst, dataStart - pos);

            g_mutex_lock(&rs->lock);
            if (rc < 0) {
                remoteStreamOverLocked(rs);
                return;
            }
            pos = dataStart;
            continue;
        }
        want = MIN((off_t)VIR_NET_STREAM_CHUNK, dataEnd - pos);
        if (!(msg = virNetServerStreamDataNew(rs->rst, want, &buf))) {
            g_mutex_lock(&rs->lock);
            remoteStreamFailLocked(rs);
            return;
        }
        do {
            n = pread(fd, buf, want, pos);
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            virReportSystemError(errno, "%s", "cannot read the volume");
            virNetServerStreamDataSend(rs->rst, msg, 0);
            g_mutex_lock(&rs->lock);
            remoteStreamFailLocked(rs);
            return;
        }
        if (n == 0) {
            /* Shorter than it was: the rest reads as its end. */
            virNetServerStreamDataSend(rs->rst, msg, 0);
            g_mutex_lock(&rs->lock);
            end = pos;
            continue;
        }
        n = virNetServerStreamDataSend(rs->rst, msg, n) < 0 ? -1 : n;
        g_mutex_lock(&rs->lock);
        if (n < 0) {
            remoteStreamOverLocked(rs);
            return;
        }
        pos += n;
    }
    /* The client's finish or abort. */
    while (!rs->over) {
        virNetServerStreamPacket pkt;

        if (virNetServerStreamRecv(rs->rst, &pkt) == 0) {
            if (!remoteStreamFileWaitLocked(rs))
                return;
            continue;
        }
        if (pkt.type == VIR_NET_SERVER_STREAM_PACKET_FINISH ||
            pkt.type == VIR_NET_SERVER_STREAM_PACKET_ABORT)
            remoteStreamFileConfirmLocked(rs, 0);
        virNetServerStreamPacketClear(&pkt);
    }
}


static int
remoteStreamFileWriteAll(int fd, const char *data, size_t len, off_t pos)
{
    while (len > 0) {
        ssize_t n = pwrite(fd, data, len, pos);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            virReportSystemError(errno, "%s", "cannot write to the volume");
            return -1;
        }
        data += n;
        len -= n;
        pos += n;
    }
    return 0;
}


/* A hole of len bytes at pos: zeroes in what the file holds there, the
 * rest is made by the file's growth. */
static int
remoteStreamFileHole(int fd, off_t pos, off_t len)
{
    struct stat sb;
    off_t inside;

    if (fstat(fd, &sb) < 0) {
        virReportSystemError(errno, "%s", "cannot stat the volume");
        return -1;
    }
    inside = MIN(len, MAX(sb.st_size - pos, 0));
    if (inside > 0 &&
        fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, pos, inside) < 0) {
        /* No hole punching here: write the zeroes. */
        static const char zeroes[65536];

        for (off_t done = 0; done < inside;) {
            size_t n = MIN(inside - done, (off_t)sizeof(zeroes));

            if (remoteStreamFileWriteAll(fd, zeroes, n, pos + done) < 0)
                return -1;
            done += n;
        }
    }
    return 0;
}


/* Upload: the client's data into the file's range. */
static void
remoteStreamFileReceiveLocked(remoteStream *rs)
{
    int fd = rs->be.fd;
    off_t pos = rs->be.offset;
    off_t limit = rs->be.length ? (off_t)(rs->be.offset + rs->be.length) : G_MAXINT64;

    while (!rs->over) {
        virNetServerStreamPacket pkt;
        int rc = 0;

        if (virNetServerStreamRecv(rs->rst, &pkt) == 0) {
            if (!remoteStreamFileWaitLocked(rs))
                return;
            continue;
        }
        g_mutex_unlock(&rs->lock);
        switch (pkt.type) {
        case VIR_NET_SERVER_STREAM_PACKET_DATA:
        case VIR_NET_SERVER_STREAM_PACKET_HOLE: {
            off_t len = pkt.type == VIR_NET_SERVER_STREAM_PACKET_DATA ? (off_t)pkt.len
                                                                      : (off_t)pkt.hole;

            /* Up to the requested length, as libvirt's; beyond it the
             * stream fails. */
            off_t take = MIN(len, limit - pos);

            if (pkt.type == VIR_NET_SERVER_STREAM_PACKET_DATA)
                rc = remoteStreamFileWriteAll(fd, pkt.data, take, pos);
            else
                rc = remoteStreamFileHole(fd, pos, take);
            if (rc == 0)
                pos += take;
            if (rc == 0 && take < len) {
                virReportSystemError(ENOSPC, "%s", "cannot write to stream");
                rc = -1;
            }
            break;
        }
        case VIR_NET_SERVER_STREAM_PACKET_FINISH: {
            struct stat sb;

            /* A hole at the end makes the file that long; then the data
             * must be stored before the client hears it is. */
            if (fstat(fd, &sb) < 0 ||
                (sb.st_size < pos && ftruncate(fd, pos) < 0) || fdatasync(fd) < 0) {
                virReportSystemError(errno, "%s", "cannot store the uploaded data");
                rc = -1;
            }
            g_mutex_lock(&rs->lock);
            virNetServerStreamPacketClear(&pkt);
            remoteStreamFileConfirmLocked(rs, rc);
            return;
        }
        case VIR_NET_SERVER_STREAM_PACKET_ABORT:
            g_mutex_lock(&rs->lock);
            virNetServerStreamPacketClear(&pkt);
            remoteStreamFileConfirmLocked(rs, 0);
            return;
        }
        virNetServerStreamPacketClear(&pkt);
        g_mutex_lock(&rs->lock);
        if (rc < 0) {
            remoteStreamFailLocked(rs);
            return;
        }
    }
}


static gpointer
remoteStreamFileThread(gpointer opaque)
{
    remoteStream *rs = opaque;
    remoteStreamThread *th;

    g_mutex_lock(&rs->lock);
    th = rs->th;
    if (rs->be.flags & VIR_STREAM_FILE_WRITE)
        remoteStreamFileReceiveLocked(rs);
    else
        remoteStreamFileSendLocked(rs);
    remoteStreamOverLocked(rs);
    virStreamBackendClear(&rs->be);
    g_mutex_unlock(&rs->lock);
    remoteStreamEnded(rs, true);
    g_mutex_lock(&rs->lock);
    if (rs->confirm) {
        if (rs->confirmErr)
            virErrorRestore(&rs->confirmErr);
        virNetServerStreamConfirm(rs->rst, rs->confirmRc);
        rs->confirm = false;
    }
    g_mutex_unlock(&rs->lock);
    remoteStreamUnref(rs);
    g_atomic_int_set(&th->done, 1);
    return NULL;
}


/* Join the file threads: all of them (waiting), or those that are done. */
static void
remoteStreamJoin(bool all)
{
    g_autoptr(GPtrArray) join = g_ptr_array_new();

    g_mutex_lock(&remoteStreamThreadsLock);
    for (guint i = 0; remoteStreamThreads && i < remoteStreamThreads->len;) {
        remoteStreamThread *th = g_ptr_array_index(remoteStreamThreads, i);

        if (all || g_atomic_int_get(&th->done))
            g_ptr_array_add(join, g_ptr_array_steal_index_fast(remoteStreamThreads, i));
        else
            i++;
    }
    g_mutex_unlock(&remoteStreamThreadsLock);
    for (guint i = 0; i < join->len; i++) {
        remoteStreamThread *th = g_ptr_array_index(join, i);

        g_thread_join(th->thread);
        g_free(th);
    }
}


void
remoteStreamJoinThreads(void)
{
    remoteStreamJoin(true);
}


unsigned int
remoteStreamCountAlive(void)
{
    return g_atomic_int_get(&remoteStreamsAlive);
}


/* Start the file thread. Lock held. */
static int
remoteStreamFileStartLocked(remoteStream *rs)
{
    remoteStreamThread *th = g_new0(remoteStreamThread, 1);

    remoteStreamJoin(false);
    rs->th = th;
    g_mutex_lock(&remoteStreamThreadsLock);
    th->thread = g_thread_try_new("vn-stream-file", remoteStreamFileThread, rs, NULL);
    if (th->thread) {
        if (!remoteStreamThreads)
            remoteStreamThreads = g_ptr_array_new();
        g_ptr_array_add(remoteStreamThreads, th);
    }
    g_mutex_unlock(&remoteStreamThreadsLock);
    if (!th->thread) {
        rs->th = NULL;
        g_free(th);
        return -1;
    }
    return 0;
}


/* ---- events ---------------------------------------------------------------- */

static void
remoteStreamStartLocked(remoteStream *rs)
{
    rs->started = true;
    if (!virStreamTakeBackend(rs->st, &rs->be)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "the driver gave the stream no data");
        remoteStreamFailLocked(rs);
        return;
    }
    switch (rs->be.type) {
    case VIR_STREAM_BACKEND_FD:
        virSetNonBlock(rs->be.fd);
        remoteStreamFDRunLocked(rs);
        break;
    case VIR_STREAM_BACKEND_FILE:
        remoteStreamRef(rs);
        rs->threadEnds = true;
        if (remoteStreamFileStartLocked(rs) < 0) {
            rs->threadEnds = false;
            remoteStreamUnref(rs);
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "cannot start a thread for the stream");
            remoteStreamFailLocked(rs);
            virStreamBackendClear(&rs->be);
            return;
        }
        break;
    case VIR_STREAM_BACKEND_BYTES:
        remoteStreamBytesRunLocked(rs);
        break;
    case VIR_STREAM_BACKEND_NONE:
        break;
    }
}


static void
remoteStreamHandler(virNetServerStream *rst G_GNUC_UNUSED, int events, void *opaque)
{
    remoteStream *rs = opaque;
    bool over;

    g_mutex_lock(&rs->lock);
    if (events & VIR_NET_SERVER_STREAM_CLOSED) {
        remoteStreamOverLocked(rs);
    } else if (!rs->over) {
        if (events & VIR_NET_SERVER_STREAM_START)
            remoteStreamStartLocked(rs);
        else if (rs->be.type == VIR_STREAM_BACKEND_FD)
            remoteStreamFDRunLocked(rs);
        else if (rs->be.type == VIR_STREAM_BACKEND_BYTES)
            remoteStreamBytesRunLocked(rs);
        else if (rs->be.type == VIR_STREAM_BACKEND_FILE) {
            rs->wake = true;
            g_cond_broadcast(&rs->cond);
        }
    }
    over = rs->over;
    g_mutex_unlock(&rs->lock);
    if (over)
        remoteStreamEnded(rs, false);
}


/* ---- the virStream implementation ---------------------------------------- */

static void
remoteStreamImplSparse(void *data)
{
    remoteStream *rs = data;

    virNetServerStreamSetAllowHoles(rs->rst, true);
}


static void
remoteStreamImplAbort(void *data, const virError *err)
{
    remoteStream *rs = data;
    virError *saved = virErrorPreserveLast();
    bool over;

    virErrorSetLast(err);
    g_mutex_lock(&rs->lock);
    if (!rs->over)
        remoteStreamFailLocked(rs);
    over = rs->over;
    g_mutex_unlock(&rs->lock);
    if (saved)
        virErrorRestore(&saved);
    else
        virResetLastError();
    if (over)
        remoteStreamEnded(rs, false);
}


static const virStreamImpl remoteStreamImpl = {
    .sparse = remoteStreamImplSparse,
    .abort = remoteStreamImplAbort,
    .release = remoteStreamUnref,
};


virStream *
remoteStreamOpen(virNetServerCall *call, unsigned int flow)
{
    virNetServerStream *rst = virNetServerStreamNew(call, flow);
    remoteStream *rs;

    if (!rst)
        return NULL;
    rs = g_new0(remoteStream, 1);
    g_atomic_int_inc(&remoteStreamsAlive);
    rs->refs = 1;                 /* the RPC stream's handler */
    g_mutex_init(&rs->lock);
    g_cond_init(&rs->cond);
    rs->rst = rst;
    rs->flow = flow;
    rs->loop = virNetServerStreamGetLoop(rst);
    rs->watch = -1;
    rs->be.fd = -1;
    rs->st = virStreamNew(&remoteStreamImpl, remoteStreamRef(rs));
    virNetServerStreamSetHandler(rst, remoteStreamHandler, rs, remoteStreamUnref);
    return virStreamRef(rs->st);
}


void
remoteStreamRelease(virStream *st)
{
    virStreamUnref(st);
}
