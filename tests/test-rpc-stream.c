/*
 * test-rpc-stream: streams through our RPC server and client in one
 * process: downloads and uploads checked byte for byte, holes both ways,
 * a duplex echo driven by stream events, 16 streams at once on one
 * connection between calls, aborts from either side, the windows (a sink
 * or a reader that stops: the other side stops too), a client that goes
 * away mid-stream or while its stream's owner is still starting, and
 * messages the stream protocol refuses.
 *
 * The server side is a small test program ("STRM") whose procedures open
 * a stream and attach an owner written here: a source of a known pattern,
 * a sink that hashes what it gets, an echo.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutils.h"
#include "virnetserver.h"
#include "virnetserverstream.h"
#include "virnetclient.h"
#include "virnetclientprogram.h"
#include "virnetclientstream.h"
#include "virerror.h"
#include "virutil.h"

#define STRM_PROG 0x5354524d
#define STRM_VERS 1
#define STRM_PROC_NULL 1
#define STRM_PROC_SOURCE 2
#define STRM_PROC_SINK 3
#define STRM_PROC_ECHO 4
#define STRM_PROC_RESULT 5

#define VIR_FROM_THIS VIR_FROM_NONE
#define XDR_VOID ((xdrproc_t)(void (*)(void))xdr_void)
#define MiB (1024 * 1024)

/* ---- the test program's types -------------------------------------------- */

typedef struct {
    uint64_t length;        /* 0: endless */
    unsigned int block;     /* holes: every other block of this size */
    int sparse;             /* send holes as holes (else as zeroes) */
    int64_t failAt;         /* abort with an error after this many bytes; -1 never */
    int holdStart;          /* START returns only once the client has gone */
} strmSourceArgs;

typedef struct {
    int sparse;
    int stall;              /* take nothing until released */
} strmSinkArgs;

typedef struct {
    unsigned int serial;
} strmResultArgs;

typedef struct {
    uint64_t length;
    char digest[32];
    int finished;           /* 1 finished, 2 aborted by the client, 3 closed */
} strmResultRet;

static bool_t
xdr_strmSourceArgs(XDR *xdr, strmSourceArgs *p)
{
    return xdr_uint64_t(xdr, &p->length) && xdr_u_int(xdr, &p->block) &&
           xdr_int(xdr, &p->sparse) && xdr_int64_t(xdr, &p->failAt) &&
           xdr_int(xdr, &p->holdStart);
}

static bool_t
xdr_strmSinkArgs(XDR *xdr, strmSinkArgs *p)
{
    return xdr_int(xdr, &p->sparse) && xdr_int(xdr, &p->stall);
}

static bool_t
xdr_strmResultArgs(XDR *xdr, strmResultArgs *p)
{
    return xdr_u_int(xdr, &p->serial);
}

static bool_t
xdr_strmResultRet(XDR *xdr, strmResultRet *p)
{
    return xdr_uint64_t(xdr, &p->length) && xdr_opaque(xdr, p->digest, 32) &&
           xdr_int(xdr, &p->finished);
}

/* ---- the pattern --------------------------------------------------------- */

static void
fillPattern(char *buf, uint64_t off, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint64_t x = off + i;
        buf[i] = (char)((x * 7) ^ (x >> 11) ^ 0x5a);
    }
}

/* The logical content of a source: the pattern, with every odd block
 * zeroes when block > 0. */
static bool
inHole(uint64_t off, unsigned int block)
{
    return block > 0 && (off / block) % 2 == 1;
}

static void
expectedBytes(char *buf, uint64_t off, size_t len, unsigned int block)
{
    fillPattern(buf, off, len);
    for (size_t i = 0; i < len; i++) {
        if (inHole(off + i, block))
            buf[i] = 0;
    }
}

/* ---- the server's owners ------------------------------------------------- */

typedef enum { OWNER_SOURCE, OWNER_SINK, OWNER_ECHO } ownerKind;

typedef struct {
    GMutex lock;
    ownerKind kind;
    virNetServerStream *st;       /* a reference until CLOSED or the end */
    unsigned int serial;
    strmSourceArgs src;
    strmSinkArgs sink;
    uint64_t pos;                 /* bytes produced or consumed */
    bool eofSent;
    bool done;
    GChecksum *sum;
    virNetServerStreamPacket pending;   /* echo: data waiting for the window */
    size_t pendingOff;
} testOwner;

static struct {
    GMutex lock;
    GCond cond;
    GHashTable *results;          /* serial -> strmResultRet * */
    gint closedEvents;            /* owners told CLOSED */
    gint doneEvents;              /* owners done with their stream, for any reason */
    gint owners;                  /* alive */
    testOwner *lastSink;          /* a reference: the stalled sink */
    uint64_t produced;            /* endless sources */
} srvState;

static void
testOwnerFree(void *opaque)
{
    testOwner *o = opaque;

    g_atomic_int_add(&srvState.owners, -1);
    virNetServerStreamPacketClear(&o->pending);
    if (o->sum)
        g_checksum_free(o->sum);
    g_mutex_clear(&o->lock);
    g_free(o);
}

static void
testRecordResult(testOwner *o, int finished)
{
    strmResultRet *r = g_new0(strmResultRet, 1);
    gsize len = 32;

    r->length = o->pos;
    r->finished = finished;
    if (o->sum)
        g_checksum_get_digest(o->sum, (guint8 *)r->digest, &len);
    g_mutex_lock(&srvState.lock);
    g_hash_table_replace(srvState.results, GUINT_TO_POINTER(o->serial), r);
    g_cond_broadcast(&srvState.cond);
    g_mutex_unlock(&srvState.lock);
}

/* Lock held. The owner is done with its stream. */
static void
testOwnerDoneLocked(testOwner *o, int finished)
{
    if (o->done)
        return;
    o->done = true;
    g_atomic_int_inc(&srvState.doneEvents);
    testRecordResult(o, finished);
    virNetServerStreamPacketClear(&o->pending);
}

static void
testSourceRunLocked(testOwner *o)
{
    while (!o->eofSent && !o->done && virNetServerStreamCanSend(o->st)) {
        uint64_t left = o->src.length ? o->src.length - o->pos : VIR_NET_STREAM_CHUNK;
        size_t n;
        char *buf;
        virNetMessage *msg;

        if (o->src.failAt >= 0 && o->pos >= (uint64_t)o->src.failAt) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s", "the source failed on purpose");
            virNetServerStreamAbort(o->st);
            testOwnerDoneLocked(o, 3);
            return;
        }
        if (left == 0) {
            if (virNetServerStreamSendEOF(o->st) == 0)
                o->eofSent = true;
            return;
        }
        n = MIN(left, (uint64_t)VIR_NET_STREAM_CHUNK);
        if (o->src.block) {
            uint64_t blockEnd = (o->pos / o->src.block + 1) * o->src.block;
            n = MIN(n, blockEnd - o->pos);
            if (inHole(o->pos, o->src.block) && o->src.sparse) {
                if (virNetServerStreamSendHole(o->st, n) < 0)
                    return;
                o->pos += n;
                continue;
            }
        }
        if (!(msg = virNetServerStreamDataNew(o->st, n, &buf)))
            return;
        expectedBytes(buf, o->pos, n, o->src.block);
        if (virNetServerStreamDataSend(o->st, msg, n) < 0)
            return;
        o->pos += n;
        if (!o->src.length) {
            g_mutex_lock(&srvState.lock);
            srvState.produced += n;
            g_mutex_unlock(&srvState.lock);
        }
    }
}

static void
testHashZeroes(GChecksum *sum, uint64_t len)
{
    static const guchar zeroes[65536];

    while (len > 0) {
        size_t n = MIN(len, sizeof(zeroes));
        g_checksum_update(sum, zeroes, n);
        len -= n;
    }
}

/* Sink and echo: take what the client sent. Lock held. */
static void
testConsumeLocked(testOwner *o)
{
    for (;;) {
        virNetServerStreamPacket *pkt = &o->pending;

        if (o->done)
            return;
        if (o->kind == OWNER_SINK && o->sink.stall)
            return;
        if (!pkt->msg && virNetServerStreamRecv(o->st, pkt) == 0)
            return;
        switch (pkt->type) {
        case VIR_NET_SERVER_STREAM_PACKET_DATA:
            if (o->kind == OWNER_ECHO) {
                while (o->pendingOff < pkt->len) {
                    size_t n = MIN(pkt->len - o->pendingOff, (size_t)VIR_NET_STREAM_CHUNK);

                    if (!virNetServerStreamCanSend(o->st))
                        return;   /* WRITABLE brings us back */
                    if (virNetServerStreamSendData(o->st, pkt->data + o->pendingOff, n) < 0)
                        return;
                    o->pendingOff += n;
                }
                o->pendingOff = 0;
            } else {
                g_checksum_update(o->sum, (const guchar *)pkt->data, pkt->len);
            }
            o->pos += pkt->len;
            break;
        case VIR_NET_SERVER_STREAM_PACKET_HOLE:
            testHashZeroes(o->sum, pkt->hole);
            o->pos += pkt->hole;
            break;
        case VIR_NET_SERVER_STREAM_PACKET_FINISH:
            virNetServerStreamPacketClear(pkt);
            virNetServerStreamConfirm(o->st, 0);
            testOwnerDoneLocked(o, 1);
            return;
        case VIR_NET_SERVER_STREAM_PACKET_ABORT:
            virNetServerStreamPacketClear(pkt);
            virNetServerStreamConfirm(o->st, 0);
            testOwnerDoneLocked(o, 2);
            return;
        }
        virNetServerStreamPacketClear(pkt);
    }
}

static void
testOwnerHandler(virNetServerStream *st G_GNUC_UNUSED, int events, void *opaque)
{
    testOwner *o = opaque;

    g_mutex_lock(&o->lock);
    if (events & VIR_NET_SERVER_STREAM_CLOSED) {
        g_atomic_int_inc(&srvState.closedEvents);
        testOwnerDoneLocked(o, 3);
        g_mutex_unlock(&o->lock);
        return;
    }
    if (o->kind == OWNER_SOURCE && (events & VIR_NET_SERVER_STREAM_START) &&
        o->src.holdStart) {
        /* Busy, not asleep: the return races the loop thread's CLOSED. */
        gint64 deadline = g_get_monotonic_time() + 2 * G_TIME_SPAN_SECOND;

        while (!virNetServerStreamIsClosed(o->st) && g_get_monotonic_time() < deadline)
            ;
        g_mutex_unlock(&o->lock);
        return;
    }
    if (o->kind == OWNER_SOURCE) {
        testSourceRunLocked(o);
        /* the client's finish (or abort) after our EOF */
        if (events & VIR_NET_SERVER_STREAM_INCOMING)
            testConsumeLocked(o);
    } else {
        testConsumeLocked(o);
    }
    g_mutex_unlock(&o->lock);
}

static testOwner *
testOwnerNew(virNetServerCall *call, ownerKind kind, unsigned int flow, bool sparse)
{
    testOwner *o;
    virNetServerStream *st = virNetServerStreamNew(call, flow);

    if (!st)
        return NULL;
    o = g_new0(testOwner, 1);
    g_mutex_init(&o->lock);
    o->kind = kind;
    o->st = st;
    o->serial = call->msg->header.serial;
    o->sum = g_checksum_new(G_CHECKSUM_SHA256);
    g_atomic_int_inc(&srvState.owners);
    virNetServerStreamSetAllowHoles(st, sparse);
    virNetServerStreamSetHandler(st, testOwnerHandler, o, testOwnerFree);
    virNetServerStreamUnref(st);   /* the call and the client hold it */
    return o;
}

static int
strmDispatchNull(virNetServerCall *call G_GNUC_UNUSED, void *args G_GNUC_UNUSED,
                 void *ret G_GNUC_UNUSED)
{
    return 0;
}

static int
strmDispatchSource(virNetServerCall *call, void *argsp, void *ret G_GNUC_UNUSED)
{
    strmSourceArgs *args = argsp;
    testOwner *o = testOwnerNew(call, OWNER_SOURCE, VIR_NET_STREAM_READ, args->sparse);

    if (!o)
        return -1;
    o->src = *args;
    return 0;
}

static int
strmDispatchSink(virNetServerCall *call, void *argsp, void *ret G_GNUC_UNUSED)
{
    strmSinkArgs *args = argsp;
    testOwner *o = testOwnerNew(call, OWNER_SINK, VIR_NET_STREAM_WRITE, args->sparse);

    if (!o)
        return -1;
    o->sink = *args;
    if (args->stall) {
        g_mutex_lock(&srvState.lock);
        srvState.lastSink = o;
        g_mutex_unlock(&srvState.lock);
    }
    return 0;
}

static int
strmDispatchEcho(virNetServerCall *call, void *args G_GNUC_UNUSED, void *ret G_GNUC_UNUSED)
{
    return testOwnerNew(call, OWNER_ECHO, VIR_NET_STREAM_READ | VIR_NET_STREAM_WRITE,
                        false) ? 0 : -1;
}

static int
strmDispatchResult(virNetServerCall *call G_GNUC_UNUSED, void *argsp, void *retp)
{
    strmResultArgs *args = argsp;
    strmResultRet *ret = retp;
    strmResultRet *r;
    gint64 deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;

    g_mutex_lock(&srvState.lock);
    while (!(r = g_hash_table_lookup(srvState.results, GUINT_TO_POINTER(args->serial)))) {
        if (!g_cond_wait_until(&srvState.cond, &srvState.lock, deadline))
            break;
    }
    if (r)
        *ret = *r;
    g_mutex_unlock(&srvState.lock);
    if (!r) {
        virReportError(VIR_ERR_NO_SUPPORT, "no result for stream %u", args->serial);
        return -1;
    }
    return 0;
}

static const virNetServerProgramProc strmProcs[] = {
    { STRM_PROC_NULL, "NULL", "null", strmDispatchNull, 0, XDR_VOID, 0, XDR_VOID,
      0, VIR_NET_EXEC_INLINE, 0 },
    { STRM_PROC_SOURCE, "SOURCE", "source", strmDispatchSource, sizeof(strmSourceArgs),
      (xdrproc_t)xdr_strmSourceArgs, 0, XDR_VOID, 0, VIR_NET_EXEC_WORKER, 0 },
    { STRM_PROC_SINK, "SINK", "sink", strmDispatchSink, sizeof(strmSinkArgs),
      (xdrproc_t)xdr_strmSinkArgs, 0, XDR_VOID, 0, VIR_NET_EXEC_WORKER, 0 },
    { STRM_PROC_ECHO, "ECHO", "echo", strmDispatchEcho, 0, XDR_VOID, 0, XDR_VOID,
      0, VIR_NET_EXEC_INLINE, 0 },
    { STRM_PROC_RESULT, "RESULT", "result", strmDispatchResult, sizeof(strmResultArgs),
      (xdrproc_t)xdr_strmResultArgs, sizeof(strmResultRet), (xdrproc_t)xdr_strmResultRet,
      0, VIR_NET_EXEC_WORKER, 0 },
};

/* ---- the client ---------------------------------------------------------- */

static virEventThread *serverThread;
static virNetServer *server;
static char *sockPath;

typedef struct {
    virNetClient *client;
    virNetClientProgram *prog;
    virEventThread *evt;
} testConn;

static int
testConnOpen(testConn *c, bool loop)
{
    memset(c, 0, sizeof(*c));
    if (!(c->client = virNetClientNewUNIX(sockPath)))
        return -1;
    c->prog = virNetClientProgramNew(STRM_PROG, STRM_VERS, NULL, 0, NULL, NULL);
    virNetClientAddProgram(c->client, c->prog);
    if (loop) {
        c->evt = virEventThreadNew("test-stream-client");
        if (virNetClientAttachLoop(c->client, virEventThreadGetLoop(c->evt)) < 0)
            return -1;
    }
    return 0;
}

static void
testConnClose(testConn *c)
{
    if (c->client) {
        virNetClientClose(c->client);
        virNetClientUnref(c->client);
    }
    virEventThreadFree(c->evt);
    virNetClientProgramUnref(c->prog);
    memset(c, 0, sizeof(*c));
}

static int
testNull(testConn *c)
{
    return virNetClientProgramCall(c->prog, c->client, virNetClientNewSerial(c->client),
                                   STRM_PROC_NULL, 0, NULL, NULL, NULL,
                                   XDR_VOID, NULL, XDR_VOID, NULL);
}

static virNetClientStream *
testOpenSource(testConn *c, strmSourceArgs *args)
{
    virNetClientStream *st = virNetClientStreamNew(VIR_NET_STREAM_READ, args->sparse);

    if (virNetClientProgramCallStream(c->prog, c->client, st, STRM_PROC_SOURCE,
                                      (xdrproc_t)xdr_strmSourceArgs, args, XDR_VOID, NULL) < 0) {
        virNetClientStreamUnref(st);
        return NULL;
    }
    return st;
}

static virNetClientStream *
testOpenSink(testConn *c, strmSinkArgs *args, unsigned int *serial)
{
    virNetClientStream *st = virNetClientStreamNew(VIR_NET_STREAM_WRITE, args->sparse);

    /* the next serial is the call's */
    *serial = virNetClientNewSerial(c->client) + 1;
    if (virNetClientProgramCallStream(c->prog, c->client, st, STRM_PROC_SINK,
                                      (xdrproc_t)xdr_strmSinkArgs, args, XDR_VOID, NULL) < 0) {
        virNetClientStreamUnref(st);
        return NULL;
    }
    return st;
}

static int
testResult(testConn *c, unsigned int serial, strmResultRet *r)
{
    strmResultArgs args = { serial };

    memset(r, 0, sizeof(*r));
    return virNetClientProgramCall(c->prog, c->client, virNetClientNewSerial(c->client),
                                   STRM_PROC_RESULT, 0, NULL, NULL, NULL,
                                   (xdrproc_t)xdr_strmResultArgs, &args,
                                   (xdrproc_t)xdr_strmResultRet, r);
}

/* Read a whole source and compare it with its pattern. */
static int
testReadAll(virNetClientStream *st, uint64_t length, unsigned int block, bool stopAtHole,
            uint64_t *holesSeen)
{
    g_autofree char *buf = g_malloc(300 * 1024);
    g_autofree char *want = g_malloc(300 * 1024);
    uint64_t off = 0;

    for (;;) {
        int n = virNetClientStreamRecv(st, buf, 300 * 1024, false, stopAtHole);

        if (n == -3) {
            long long hole;

            if (virNetClientStreamRecvHole(st, &hole) < 0 || hole <= 0)
                VIR_TEST_FAIL("hole: %s", virGetLastErrorMessage());
            if (!inHole(off, block))
                VIR_TEST_FAIL("a hole at %llu, where there is data", (unsigned long long)off);
            off += hole;
            if (holesSeen)
                *holesSeen += hole;
            continue;
        }
        if (n < 0)
            VIR_TEST_FAIL("recv at %llu: %s", (unsigned long long)off, virGetLastErrorMessage());
        if (n == 0)
            break;
        expectedBytes(want, off, n, block);
        if (memcmp(buf, want, n) != 0)
            VIR_TEST_FAIL("data differs in [%llu, +%d)", (unsigned long long)off, n);
        off += n;
    }
    VIR_TEST_ASSERT_INT(off, length);
    return 0;
}

/* ---- the cases ----------------------------------------------------------- */

static int
testDownload(const void *data G_GNUC_UNUSED)
{
    testConn c;
    strmSourceArgs args = { .length = 10 * MiB + 12345, .failAt = -1 };
    virNetClientStream *st;
    int ret = -1;

    if (testConnOpen(&c, false) < 0 || !(st = testOpenSource(&c, &args)))
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    if (testReadAll(st, args.length, 0, false, NULL) == 0 &&
        virNetClientStreamFinish(st) == 0 && testNull(&c) == 0)
        ret = 0;
    else
        fprintf(stderr, "  %s\n", virGetLastErrorMessage());
    /* finished: nothing more can be read */
    if (ret == 0 && virNetClientStreamRecv(st, (char[4]){0}, 4, false, false) != -1)
        ret = -1;
    virNetClientStreamUnref(st);
    testConnClose(&c);
    return ret;
}

static int
testUpload(const void *data G_GNUC_UNUSED)
{
    testConn c;
    strmSinkArgs args = { 0 };
    const uint64_t length = 10 * MiB + 777;
    g_autofree char *buf = g_malloc(100000);
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
    guint8 digest[32];
    gsize dlen = sizeof(digest);
    virNetClientStream *st;
    strmResultRet r;
    unsigned int serial;
    uint64_t off = 0;

    if (testConnOpen(&c, false) < 0 || !(st = testOpenSink(&c, &args, &serial)))
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    while (off < length) {
        size_t want = MIN(length - off, 100000);
        int n;

        fillPattern(buf, off, want);
        if ((n = virNetClientStreamSend(st, buf, want, false)) <= 0)
            VIR_TEST_FAIL("send: %s", virGetLastErrorMessage());
        g_checksum_update(sum, (guchar *)buf, n);
        off += n;
    }
    if (virNetClientStreamFinish(st) < 0)
        VIR_TEST_FAIL("finish: %s", virGetLastErrorMessage());
    virNetClientStreamUnref(st);
    if (testResult(&c, serial, &r) < 0)
        VIR_TEST_FAIL("result: %s", virGetLastErrorMessage());
    g_checksum_get_digest(sum, digest, &dlen);
    VIR_TEST_ASSERT_INT(r.finished, 1);
    VIR_TEST_ASSERT_INT(r.length, length);
    VIR_TEST_ASSERT(memcmp(r.digest, digest, 32) == 0);
    testConnClose(&c);
    return 0;
}

/* Holes both ways, read as holes and as zeroes. */
static int
testHoles(const void *data G_GNUC_UNUSED)
{
    testConn c;
    strmSourceArgs sargs = { .length = 5 * MiB, .block = 700 * 1024, .sparse = 1, .failAt = -1 };
    strmSinkArgs kargs = { .sparse = 1 };
    virNetClientStream *st;
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
    g_autofree char *buf = g_malloc(VIR_NET_STREAM_CHUNK);
    guint8 digest[32];
    gsize dlen = sizeof(digest);
    uint64_t holes = 0, off = 0;
    unsigned int serial;
    strmResultRet r;

    if (testConnOpen(&c, false) < 0)
        return -1;
    /* holes reported as holes */
    if (!(st = testOpenSource(&c, &sargs)))
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    if (testReadAll(st, sargs.length, sargs.block, true, &holes) < 0)
        return -1;
    VIR_TEST_ASSERT(holes >= 2 * 700 * 1024);
    VIR_TEST_ASSERT_INT(virNetClientStreamFinish(st), 0);
    virNetClientStreamUnref(st);
    /* holes read as zeroes */
    if (!(st = testOpenSource(&c, &sargs)))
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    if (testReadAll(st, sargs.length, sargs.block, false, NULL) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(virNetClientStreamFinish(st), 0);
    virNetClientStreamUnref(st);
    /* a source that is not sparse sends its zeroes as data */
    sargs.sparse = 0;
    if (!(st = testOpenSource(&c, &sargs)))
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    holes = 0;
    if (testReadAll(st, sargs.length, sargs.block, true, &holes) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(holes, 0);
    VIR_TEST_ASSERT_INT(virNetClientStreamFinish(st), 0);
    virNetClientStreamUnref(st);

    /* upload: data, a 64 MiB hole, data */
    if (!(st = testOpenSink(&c, &kargs, &serial)))
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    for (int part = 0; part < 3; part++) {
        if (part == 1) {
            VIR_TEST_ASSERT_INT(virNetClientStreamSendHole(st, 64 * MiB), 0);
            {
                char *zero = g_malloc0(MiB);
                for (int i = 0; i < 64; i++)
                    g_checksum_update(sum, (guchar *)zero, MiB);
                g_free(zero);
            }
            off += 64 * MiB;
            continue;
        }
        for (int i = 0; i < 3; i++) {
            fillPattern(buf, off, VIR_NET_STREAM_CHUNK);
            VIR_TEST_ASSERT_INT(virNetClientStreamSend(st, buf, VIR_NET_STREAM_CHUNK, false),
                                VIR_NET_STREAM_CHUNK);
            g_checksum_update(sum, (guchar *)buf, VIR_NET_STREAM_CHUNK);
            off += VIR_NET_STREAM_CHUNK;
        }
    }
    VIR_TEST_ASSERT_INT(virNetClientStreamFinish(st), 0);
    virNetClientStreamUnref(st);
    if (testResult(&c, serial, &r) < 0)
        VIR_TEST_FAIL("result: %s", virGetLastErrorMessage());
    g_checksum_get_digest(sum, digest, &dlen);
    VIR_TEST_ASSERT_INT(r.length, off);
    VIR_TEST_ASSERT(memcmp(r.digest, digest, 32) == 0);

    /* a hole on a stream that is not sparse: refused locally */
    kargs.sparse = 0;
    if (!(st = testOpenSink(&c, &kargs, &serial)))
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(virNetClientStreamSendHole(st, 100), -1);
    VIR_TEST_ASSERT_INT(virNetClientStreamAbort(st), 0);
    virNetClientStreamUnref(st);
    VIR_TEST_ASSERT_INT(testNull(&c), 0);
    testConnClose(&c);
    return 0;
}

/* ---- duplex echo with events ---- */

typedef struct {
    GMutex lock;
    GCond cond;
    virNetClientStream *st;
    char *out;
    size_t outLen, outOff;
    char *in;
    size_t inLen;
    bool done;
    bool onLoop;
    virEventLoop *loop;
    int errors;
} echoState;

static void
testEchoEvent(virNetClientStream *st, int events, void *opaque)
{
    echoState *e = opaque;
    char buf[65536];

    g_mutex_lock(&e->lock);
    if (!virEventLoopIsLoopThread(e->loop))
        e->onLoop = false;
    if (events & VIR_EVENT_HANDLE_WRITABLE) {
        while (e->outOff < e->outLen) {
            int n = virNetClientStreamSend(st, e->out + e->outOff,
                                           MIN(e->outLen - e->outOff, 50000), true);
            if (n == -2)
                break;
            if (n < 0) {
                e->errors++;
                break;
            }
            e->outOff += n;
        }
        if (e->outOff == e->outLen)
            virNetClientStreamEventUpdateCallback(st, VIR_EVENT_HANDLE_READABLE);
    }
    if (events & VIR_EVENT_HANDLE_READABLE) {
        for (;;) {
            int n = virNetClientStreamRecv(st, buf, sizeof(buf), true, false);
            if (n == -2)
                break;
            if (n <= 0) {
                e->errors++;
                break;
            }
            memcpy(e->in + e->inLen, buf, n);
            e->inLen += n;
        }
        if (e->inLen == e->outLen) {
            e->done = true;
            g_cond_signal(&e->cond);
        }
    }
    if (events & (VIR_EVENT_HANDLE_ERROR | VIR_EVENT_HANDLE_HANGUP)) {
        e->errors++;
        e->done = true;
        g_cond_signal(&e->cond);
    }
    g_mutex_unlock(&e->lock);
}

static int
testEcho(const void *data G_GNUC_UNUSED)
{
    testConn c;
    echoState e = { .outLen = 6 * MiB + 3, .onLoop = true };
    gint64 deadline = g_get_monotonic_time() + 30 * G_TIME_SPAN_SECOND;
    int ret = 0;

    g_mutex_init(&e.lock);
    g_cond_init(&e.cond);
    e.out = g_malloc(e.outLen);
    e.in = g_malloc(e.outLen);
    fillPattern(e.out, 99, e.outLen);
    if (testConnOpen(&c, true) < 0)
        return -1;
    e.loop = virEventThreadGetLoop(c.evt);
    e.st = virNetClientStreamNew(VIR_NET_STREAM_READ | VIR_NET_STREAM_WRITE, false);
    if (virNetClientProgramCallStream(c.prog, c.client, e.st, STRM_PROC_ECHO,
                                      XDR_VOID, NULL, XDR_VOID, NULL) < 0)
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    g_mutex_lock(&e.lock);
    if (virNetClientStreamEventAddCallback(e.st, VIR_EVENT_HANDLE_READABLE |
                                           VIR_EVENT_HANDLE_WRITABLE,
                                           testEchoEvent, &e, NULL) < 0) {
        g_mutex_unlock(&e.lock);
        VIR_TEST_FAIL("callback: %s", virGetLastErrorMessage());
    }
    while (!e.done && g_cond_wait_until(&e.cond, &e.lock, deadline))
        ;
    g_mutex_unlock(&e.lock);
    virNetClientStreamEventRemoveCallback(e.st);
    if (!e.done || e.errors || e.inLen != e.outLen || memcmp(e.in, e.out, e.outLen) != 0) {
        fprintf(stderr, "  echo: done=%d errors=%d got %zu of %zu\n", e.done, e.errors,
                e.inLen, e.outLen);
        ret = -1;
    }
    if (!e.onLoop) {
        fprintf(stderr, "  stream events ran outside the client's loop\n");
        ret = -1;
    }
    if (virNetClientStreamFinish(e.st) < 0) {
        fprintf(stderr, "  finish: %s\n", virGetLastErrorMessage());
        ret = -1;
    }
    virNetClientStreamUnref(e.st);
    testConnClose(&c);
    g_free(e.out);
    g_free(e.in);
    g_mutex_clear(&e.lock);
    g_cond_clear(&e.cond);
    return ret;
}

/* ---- 16 streams at once ---- */

typedef struct {
    testConn *c;
    int index;
    int result;
    char error[256];
} parallelJob;

static gpointer
testParallelThread(gpointer opaque)
{
    parallelJob *j = opaque;

    j->result = -1;
    if (j->index % 2 == 0) {
        strmSourceArgs args = { .length = 3 * MiB + j->index * 1000, .failAt = -1,
                                .block = j->index % 4 == 0 ? 300000 : 0,
                                .sparse = j->index % 4 == 0 };
        virNetClientStream *st = testOpenSource(j->c, &args);

        if (st && testReadAll(st, args.length, args.block, false, NULL) == 0 &&
            virNetClientStreamFinish(st) == 0)
            j->result = 0;
        virNetClientStreamUnref(st);
    } else {
        strmSinkArgs args = { 0 };
        unsigned int serial;
        virNetClientStream *st = testOpenSink(j->c, &args, &serial);
        char *buf = g_malloc(VIR_NET_STREAM_CHUNK);
        uint64_t off = 0, length = 3 * MiB + j->index;
        strmResultRet r;
        g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
        guint8 digest[32];
        gsize dlen = sizeof(digest);

        while (st && off < length) {
            size_t want = MIN(length - off, (uint64_t)VIR_NET_STREAM_CHUNK);
            int n;

            fillPattern(buf, off + j->index, want);
            if ((n = virNetClientStreamSend(st, buf, want, false)) <= 0)
                break;
            g_checksum_update(sum, (guchar *)buf, n);
            off += n;
        }
        g_checksum_get_digest(sum, digest, &dlen);
        if (st && off == length && virNetClientStreamFinish(st) == 0 &&
            testResult(j->c, serial, &r) == 0 && r.length == length &&
            memcmp(r.digest, digest, 32) == 0)
            j->result = 0;
        virNetClientStreamUnref(st);
        g_free(buf);
    }
    if (j->result < 0)
        g_strlcpy(j->error, virGetLastErrorMessage(), sizeof(j->error));
    return NULL;
}

static gpointer
testParallelCalls(gpointer opaque)
{
    parallelJob *j = opaque;

    j->result = 0;
    for (int i = 0; i < 300; i++) {
        if (testNull(j->c) < 0) {
            j->result = -1;
            g_strlcpy(j->error, virGetLastErrorMessage(), sizeof(j->error));
            break;
        }
    }
    return NULL;
}

static int
testParallel(const void *data G_GNUC_UNUSED)
{
    testConn c;
    parallelJob jobs[17];
    GThread *threads[17];
    int ret = 0;

    if (testConnOpen(&c, true) < 0)
        return -1;
    for (int i = 0; i < 17; i++) {
        jobs[i] = (parallelJob){ .c = &c, .index = i };
        threads[i] = g_thread_new("stream", i < 16 ? testParallelThread : testParallelCalls,
                                  &jobs[i]);
    }
    for (int i = 0; i < 17; i++) {
        g_thread_join(threads[i]);
        if (jobs[i].result < 0) {
            fprintf(stderr, "  %s %d: %s\n", i < 16 ? "stream" : "calls", i, jobs[i].error);
            ret = -1;
        }
    }
    testConnClose(&c);
    return ret;
}

/* ---- aborts ---- */

static int
testAborts(const void *data G_GNUC_UNUSED)
{
    testConn c;
    strmSourceArgs sargs = { .length = 20 * MiB, .failAt = 3 * MiB };
    strmSinkArgs kargs = { 0 };
    virNetClientStream *st;
    char *buf = g_malloc(VIR_NET_STREAM_CHUNK);
    unsigned int serial;
    strmResultRet r;
    uint64_t got = 0;
    int n, ret = -1;

    if (testConnOpen(&c, false) < 0)
        goto cleanup;
    /* the server aborts a download: the client reads what came, then the error */
    if (!(st = testOpenSource(&c, &sargs)))
        goto cleanup;
    while ((n = virNetClientStreamRecv(st, buf, VIR_NET_STREAM_CHUNK, false, false)) > 0)
        got += n;
    if (n != -1 || !strstr(virGetLastErrorMessage(), "the source failed on purpose")) {
        fprintf(stderr, "  recv after the server's abort: %d, %s\n", n, virGetLastErrorMessage());
        goto cleanup;
    }
    /* the error stays; abort only releases */
    if (virNetClientStreamRecv(st, buf, 10, false, false) != -1 ||
        virNetClientStreamAbort(st) != 0)
        goto cleanup;
    virNetClientStreamUnref(st);
    if (testNull(&c) < 0)
        goto cleanup;

    /* the client aborts a download in the middle */
    sargs.failAt = -1;
    if (!(st = testOpenSource(&c, &sargs)) ||
        virNetClientStreamRecv(st, buf, 1000, false, false) != 1000 ||
        virNetClientStreamAbort(st) != 0)
        goto cleanup;
    virNetClientStreamUnref(st);
    if (testNull(&c) < 0)
        goto cleanup;

    /* the client aborts an upload: the sink sees the abort */
    if (!(st = testOpenSink(&c, &kargs, &serial)))
        goto cleanup;
    fillPattern(buf, 0, VIR_NET_STREAM_CHUNK);
    for (int i = 0; i < 5; i++) {
        if (virNetClientStreamSend(st, buf, VIR_NET_STREAM_CHUNK, false) <= 0)
            goto cleanup;
    }
    if (virNetClientStreamAbort(st) != 0)
        goto cleanup;
    /* nothing more goes out */
    if (virNetClientStreamSend(st, buf, 10, false) != -1)
        goto cleanup;
    virNetClientStreamUnref(st);
    if (testResult(&c, serial, &r) < 0 || r.finished != 2)
        goto cleanup;
    if (testNull(&c) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    if (ret < 0)
        fprintf(stderr, "  %s\n", virGetLastErrorMessage());
    g_free(buf);
    testConnClose(&c);
    return ret;
}

/* ---- windows ---- */

static bool
waitFor(gint *counter, int value, int ms)
{
    for (int i = 0; i < ms / 10; i++) {
        if (g_atomic_int_get(counter) >= value)
            return true;
        g_usleep(10 * 1000);
    }
    return g_atomic_int_get(counter) >= value;
}

/* A reader that stops: the server's source stops too. */
static int
testSlowReader(const void *data G_GNUC_UNUSED)
{
    testConn c;
    strmSourceArgs args = { .length = 0, .failAt = -1 };
    virNetClientStream *st;
    uint64_t before, after;
    char *buf = g_malloc(VIR_NET_STREAM_CHUNK);
    int ret = -1;

    if (testConnOpen(&c, true) < 0)
        goto cleanup;
    g_mutex_lock(&srvState.lock);
    srvState.produced = 0;
    g_mutex_unlock(&srvState.lock);
    if (!(st = testOpenSource(&c, &args)))
        goto cleanup;
    g_usleep(500 * 1000);
    g_mutex_lock(&srvState.lock);
    before = srvState.produced;
    g_mutex_unlock(&srvState.lock);
    g_usleep(300 * 1000);
    g_mutex_lock(&srvState.lock);
    after = srvState.produced;
    g_mutex_unlock(&srvState.lock);
    /* client window + server window + socket buffers, then nothing */
    if (after > 8 * MiB || after != before) {
        fprintf(stderr, "  the source produced %llu then %llu bytes with no reader\n",
                (unsigned long long)before, (unsigned long long)after);
        goto cleanup_st;
    }
    /* reading resumes it */
    for (uint64_t got = 0; got < 20 * MiB;) {
        int n = virNetClientStreamRecv(st, buf, VIR_NET_STREAM_CHUNK, false, false);
        if (n <= 0)
            goto cleanup_st;
        got += n;
    }
    if (virNetClientStreamAbort(st) < 0 || testNull(&c) < 0)
        goto cleanup_st;
    ret = 0;
 cleanup_st:
    virNetClientStreamUnref(st);
 cleanup:
    if (ret < 0)
        fprintf(stderr, "  %s\n", virGetLastErrorMessage());
    g_free(buf);
    testConnClose(&c);
    return ret;
}

/* A sink that stops taking: the client's sends stop too. */
static int
testStalledSink(const void *data G_GNUC_UNUSED)
{
    testConn c;
    strmSinkArgs args = { .stall = 1 };
    virNetClientStream *st;
    unsigned int serial;
    char *buf = g_malloc(VIR_NET_STREAM_CHUNK);
    uint64_t sent = 0, total;
    testOwner *o;
    strmResultRet r;
    int ret = -1;

    if (testConnOpen(&c, true) < 0 || !(st = testOpenSink(&c, &args, &serial)))
        goto cleanup;
    fillPattern(buf, 0, VIR_NET_STREAM_CHUNK);
    for (int idle = 0; idle < 30;) {
        int n = virNetClientStreamSend(st, buf, VIR_NET_STREAM_CHUNK, true);

        if (n == -2) {
            idle++;
            g_usleep(10 * 1000);
            continue;
        }
        if (n < 0)
            goto cleanup_st;
        sent += n;
        idle = 0;
        if (sent > 64 * MiB)
            break;
    }
    /* server window + one message + socket buffers + the client's window */
    if (sent > 8 * MiB) {
        fprintf(stderr, "  %llu bytes went into a stalled sink\n", (unsigned long long)sent);
        goto cleanup_st;
    }
    /* calls wait behind the full stream; release the sink */
    g_mutex_lock(&srvState.lock);
    o = srvState.lastSink;
    srvState.lastSink = NULL;
    g_mutex_unlock(&srvState.lock);
    g_mutex_lock(&o->lock);
    o->sink.stall = 0;
    testConsumeLocked(o);
    g_mutex_unlock(&o->lock);
    total = sent + 3 * MiB;
    while (sent < total) {
        int n = virNetClientStreamSend(st, buf, VIR_NET_STREAM_CHUNK, false);
        if (n <= 0)
            goto cleanup_st;
        sent += n;
    }
    if (virNetClientStreamFinish(st) < 0 || testResult(&c, serial, &r) < 0 ||
        r.length != sent || r.finished != 1)
        goto cleanup_st;
    ret = 0;
 cleanup_st:
    virNetClientStreamUnref(st);
 cleanup:
    if (ret < 0)
        fprintf(stderr, "  %s\n", virGetLastErrorMessage());
    g_free(buf);
    testConnClose(&c);
    return ret;
}

/* The application neither reads its download nor ends it, and makes
 * calls: the stream is aborted at its limit, the calls go on. */
static int
testClientOverflow(const void *data G_GNUC_UNUSED)
{
    testConn c;
    strmSourceArgs args = { .length = 0, .failAt = -1 };
    virNetClientStream *st;
    char buf[16];
    int ret = -1, n, done;

    g_mutex_lock(&srvState.lock);
    srvState.produced = 0;
    g_mutex_unlock(&srvState.lock);
    if (testConnOpen(&c, false) < 0 || !(st = testOpenSource(&c, &args)))
        goto cleanup;
    done = g_atomic_int_get(&srvState.doneEvents);
    /* each call reads the stream data ahead of its reply, until the
     * client's buffer overflowed and its abort reached the source (how
     * much each call brings depends on the machine's load: a deadline
     * rather than a number of calls) */
    for (gint64 end = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
         g_get_monotonic_time() < end;) {
        bool over;

        if (testNull(&c) < 0)
            goto cleanup_st;
        g_mutex_lock(&srvState.lock);
        over = srvState.produced > VIR_NET_CLIENT_STREAM_RX_MAX &&
               g_atomic_int_get(&srvState.doneEvents) > done;
        g_mutex_unlock(&srvState.lock);
        if (over)
            break;
    }
    virResetLastError();
    if ((n = virNetClientStreamRecv(st, buf, sizeof(buf), false, false)) != -1 ||
        !strstr(virGetLastErrorMessage(), "did not read")) {
        fprintf(stderr, "  expected the overflow error, got %d: %s\n", n,
                virGetLastErrorMessage());
        goto cleanup_st;
    }
    if (virNetClientStreamAbort(st) != 0 || testNull(&c) < 0)
        goto cleanup_st;
    ret = 0;
 cleanup_st:
    virNetClientStreamUnref(st);
 cleanup:
    if (ret < 0)
        fprintf(stderr, "  %s\n", virGetLastErrorMessage());
    testConnClose(&c);
    return ret;
}

/* A client that goes away in the middle of streams: every owner is told. */
static int
testClientGone(const void *data G_GNUC_UNUSED)
{
    testConn c;
    strmSourceArgs sargs = { .length = 0, .failAt = -1 };
    strmSinkArgs kargs = { 0 };
    virNetClientStream *a, *b;
    unsigned int serial;
    char buf[1000];
    int closedBefore = g_atomic_int_get(&srvState.closedEvents);

    if (testConnOpen(&c, false) < 0 || !(a = testOpenSource(&c, &sargs)) ||
        !(b = testOpenSink(&c, &kargs, &serial)))
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    memset(buf, 1, sizeof(buf));
    VIR_TEST_ASSERT_INT(virNetClientStreamRecv(a, buf, sizeof(buf), false, false), sizeof(buf));
    VIR_TEST_ASSERT_INT(virNetClientStreamSend(b, buf, sizeof(buf), false), sizeof(buf));
    testConnClose(&c);
    if (!waitFor(&srvState.closedEvents, closedBefore + 2, 5000))
        VIR_TEST_FAIL("owners told CLOSED: %d of 2",
                      g_atomic_int_get(&srvState.closedEvents) - closedBefore);
    /* the client's streams report the end */
    VIR_TEST_ASSERT_INT(virNetClientStreamRecv(a, buf, 10, false, false), -1);
    VIR_TEST_ASSERT_INT(virNetClientStreamSend(b, buf, 10, false), -1);
    virNetClientStreamClose(a);
    virNetClientStreamClose(b);
    virNetClientStreamUnref(a);
    virNetClientStreamUnref(b);
    return 0;
}

/* The client leaves while the owner's START is still running: CLOSED
 * reaches the owner after START returns, every time (it once got lost
 * when START's return came between the close and its delivery). */
static int
testGoneDuringStart(const void *data G_GNUC_UNUSED)
{
    strmSourceArgs sargs = { .length = 0, .failAt = -1, .holdStart = 1 };
    int rounds = 200;

    for (int i = 0; i < rounds; i++) {
        int closedBefore = g_atomic_int_get(&srvState.closedEvents);
        testConn c;
        virNetClientStream *st;

        if (testConnOpen(&c, false) < 0 || !(st = testOpenSource(&c, &sargs)))
            VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
        testConnClose(&c);
        virNetClientStreamUnref(st);
        if (!waitFor(&srvState.closedEvents, closedBefore + 1, 5000))
            VIR_TEST_FAIL("round %d of %d: the owner was never told CLOSED", i + 1, rounds);
    }
    return 0;
}

/* Raw messages the stream protocol refuses: the stream ends with an
 * error, the connection goes on. */
static int
testRefused(const void *data G_GNUC_UNUSED)
{
    testConn c;
    strmSourceArgs sargs = { .length = 0, .failAt = -1 };
    virNetClientStream *st;
    virNetMessage *msg;
    virNetMessageHeader hdr = { .prog = STRM_PROG, .vers = STRM_VERS, .proc = STRM_PROC_SINK,
                                .type = VIR_NET_STREAM, .serial = 999999,
                                .status = VIR_NET_CONTINUE };
    char buf[100];
    int n;

    if (testConnOpen(&c, false) < 0)
        return -1;
    /* data for no stream: dropped */
    msg = virNetMessageNew(false);
    if (virNetMessageEncodeStreamHeader(msg, &hdr, VIR_NET_STREAM, VIR_NET_CONTINUE) < 0 ||
        virNetMessageEncodePayloadRaw(msg, "junk", 4) < 0 ||
        virNetClientSendNoReply(c.client, msg, false) < 0)
        VIR_TEST_FAIL("send: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(testNull(&c), 0);

    /* data sent to a stream that only sends: an error for that stream */
    if (!(st = testOpenSource(&c, &sargs)))
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    hdr.proc = STRM_PROC_SOURCE;
    hdr.serial = virNetClientNewSerial(c.client) - 1;
    msg = virNetMessageNew(false);
    if (virNetMessageEncodeStreamHeader(msg, &hdr, VIR_NET_STREAM, VIR_NET_CONTINUE) < 0 ||
        virNetMessageEncodePayloadRaw(msg, "junk", 4) < 0 ||
        virNetClientSendNoReply(c.client, msg, false) < 0)
        VIR_TEST_FAIL("send: %s", virGetLastErrorMessage());
    while ((n = virNetClientStreamRecv(st, buf, sizeof(buf), false, false)) > 0)
        ;
    VIR_TEST_ASSERT_INT(n, -1);
    if (!strstr(virGetLastErrorMessage(), "only sends"))
        VIR_TEST_FAIL("unexpected error: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(virNetClientStreamAbort(st), 0);
    virNetClientStreamUnref(st);
    VIR_TEST_ASSERT_INT(testNull(&c), 0);

    /* a stream serves one call */
    if (!(st = testOpenSource(&c, &sargs)))
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(virNetClientProgramCallStream(c.prog, c.client, st, STRM_PROC_SOURCE,
                                                      (xdrproc_t)xdr_strmSourceArgs, &sargs,
                                                      XDR_VOID, NULL), -1);
    /* a write-only stream does not read */
    VIR_TEST_ASSERT_INT(virNetClientStreamSend(st, "x", 1, false), -1);
    /* the endless source may have filled the client's window by now (a
     * slow, sanitized client): then the stream is already aborted */
    if (virNetClientStreamAbort(st) != 0 &&
        !strstr(virGetLastErrorMessage(), "that the application did not read"))
        VIR_TEST_FAIL("abort: %s", virGetLastErrorMessage());
    virNetClientStreamUnref(st);
    testConnClose(&c);
    return 0;
}

int
main(void)
{
    virNetServerConfig cfg;
    virNetServerService *svc;
    virNetServerProgram *prog;
    int ret;

    g_mutex_init(&srvState.lock);
    g_cond_init(&srvState.cond);
    srvState.results = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    virNetServerConfigDefaults(&cfg);
    sockPath = g_build_filename(virTestTempDir(), "sock", NULL);
    serverThread = virEventThreadNew("test-server");
    if (!(server = virNetServerNew("streams", &cfg, virEventThreadGetLoop(serverThread))))
        return 1;
    prog = virNetServerProgramNew(STRM_PROG, STRM_VERS, strmProcs, G_N_ELEMENTS(strmProcs));
    if (virNetServerAddProgram(server, prog) < 0)
        return 1;
    virNetServerProgramUnref(prog);
    if (!(svc = virNetServerServiceNewUNIX(sockPath, 0700, (gid_t)-1,
                                           VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 64)) ||
        virNetServerAddService(server, svc) < 0 || virNetServerStart(server) < 0)
        return 1;

    virTestRun("download of 10 MiB", testDownload, NULL);
    virTestRun("upload of 10 MiB", testUpload, NULL);
    virTestRun("holes both ways", testHoles, NULL);
    virTestRun("duplex echo with stream events", testEcho, NULL);
    virTestRun("16 streams and calls on one connection", testParallel, NULL);
    virTestRun("aborts from either side", testAborts, NULL);
    virTestRun("a reader that stops stops the source", testSlowReader, NULL);
    virTestRun("a sink that stops stops the sender", testStalledSink, NULL);
    virTestRun("a neglected download is aborted at its limit", testClientOverflow, NULL);
    virTestRun("a client that goes away mid-stream", testClientGone, NULL);
    virTestRun("a client that leaves during the owner's START", testGoneDuringStart, NULL);
    virTestRun("messages the stream refuses", testRefused, NULL);

    ret = virTestResult();
    virNetServerShutdown(server, 2000);
    virNetServerUnref(server);
    virEventThreadFree(serverThread);
    if (g_atomic_int_get(&srvState.owners) != 0) {
        fprintf(stderr, "%d stream owners were never freed\n", g_atomic_int_get(&srvState.owners));
        ret = 1;
    }
    g_hash_table_unref(srvState.results);
    g_free(sockPath);
    return ret;
}
