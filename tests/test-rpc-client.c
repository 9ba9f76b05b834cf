/*
 * test-rpc-client.c: virNetClient / virNetClientProgram against a fake
 * server: a thread on the other end of a socketpair that reads raw bytes
 * and answers with bytes written out by hand here.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <glib.h>

#include "testutils.h"
#include "virnetclient.h"
#include "virnetclientprogram.h"
#include "virevent.h"
#include "virerror.h"

#define TEST_PROG 0x44454d4f        /* "DEMO" */
#define TEST_VERS 1
#define TEST_PROC_NULL 1
#define TEST_PROC_ECHO 2
#define TEST_PROC_ADD 3
#define TEST_PROC_BLOB 6
#define TEST_PROC_PASS_FD 12
#define TEST_PROC_TICK 10

#define HDR_LEN 28                  /* length word + header */

/* xdr_void as an xdrproc_t (via void (*)(void): no cast warning). */
#define XDR_VOID ((xdrproc_t)(void (*)(void))xdr_void)

/* ---- the test program's types, with hand-written XDR filters ---------- */

typedef struct { int a; int b; } testAddArgs;
typedef struct { int64_t sum; } testAddRet;
typedef struct { unsigned int serial; int a; int b; } testEchoRet;
typedef struct { unsigned int len; char *val; } testBlobRet;
typedef struct { unsigned int seq; char *text; } testTickMsg;
typedef struct { unsigned int value; } testUIntRet;

static bool_t
xdr_testAddArgs(XDR *xdr, testAddArgs *p)
{
    return xdr_int(xdr, &p->a) && xdr_int(xdr, &p->b);
}

static bool_t
xdr_testAddRet(XDR *xdr, testAddRet *p)
{
    return xdr_int64_t(xdr, &p->sum);
}

static bool_t
xdr_testEchoRet(XDR *xdr, testEchoRet *p)
{
    return xdr_u_int(xdr, &p->serial) && xdr_int(xdr, &p->a) && xdr_int(xdr, &p->b);
}

static bool_t
xdr_testBlobRet(XDR *xdr, testBlobRet *p)
{
    return xdr_bytes(xdr, &p->val, &p->len, 16 * 1024 * 1024);
}

static bool_t
xdr_testTickMsg(XDR *xdr, testTickMsg *p)
{
    return xdr_u_int(xdr, &p->seq) && xdr_string(xdr, &p->text, 4096);
}

static bool_t
xdr_testUIntRet(XDR *xdr, testUIntRet *p)
{
    return xdr_u_int(xdr, &p->value);
}

/* ---- event handler ---------------------------------------------------- */

static struct {
    GMutex lock;
    GCond cond;
    int calls;
    bool sawCallInProgress;
    bool onLoopThread;
    unsigned int seq;
    char *text;
    virEventLoop *loop;
} tick;

static volatile gint callInProgress;

static void
testTickHandler(virNetClientProgram *prog G_GNUC_UNUSED,
                virNetClient *client G_GNUC_UNUSED,
                void *data, void *opaque G_GNUC_UNUSED)
{
    testTickMsg *msg = data;

    g_mutex_lock(&tick.lock);
    tick.calls++;
    if (g_atomic_int_get(&callInProgress))
        tick.sawCallInProgress = true;
    tick.onLoopThread = tick.loop && virEventLoopIsLoopThread(tick.loop);
    tick.seq = msg->seq;
    g_free(tick.text);
    tick.text = g_strdup(msg->text);
    g_cond_broadcast(&tick.cond);
    g_mutex_unlock(&tick.lock);
}

static const virNetClientProgramEvent testEvents[] = {
    { TEST_PROC_TICK, "tick", testTickHandler, sizeof(testTickMsg),
      (xdrproc_t)xdr_testTickMsg },
};

/* ---- close callback ----------------------------------------------------- */

typedef struct {
    gint count;
    int reason;
    bool lockFree;          /* the client's lock was not held */
} testCloseInfo;

static void
testCloseCallback(virNetClient *client, int reason, void *opaque)
{
    testCloseInfo *info = opaque;

    info->reason = reason;
    /* Takes the client lock: would deadlock if the callback ran with it. */
    info->lockFree = !virNetClientIsOpen(client);
    g_atomic_int_inc(&info->count);
}

/* ---- the fake server ------------------------------------------------- */

typedef struct _testServer testServer;
typedef void (*testServerFunc)(testServer *srv);

struct _testServer {
    int fd;                 /* blocking end of the socketpair */
    GThread *thread;
    testServerFunc func;
    void *data;
    char *failure;          /* set by the server thread on a mismatch */
    /* Bytes captured for checks in the main thread. */
    char *captured;
    size_t capturedLen;
};

static void G_GNUC_PRINTF(2, 3)
srvFail(testServer *srv, const char *fmt, ...)
{
    va_list ap;

    if (srv->failure)
        return;
    va_start(ap, fmt);
    srv->failure = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

static int
srvReadFull(int fd, void *buf, size_t len)
{
    char *p = buf;

    while (len > 0) {
        ssize_t n = read(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}

static int
srvWriteFull(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}

static uint32_t
getU32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3];
}

static char *
putU32(char *p, uint32_t v)
{
    unsigned char *u = (unsigned char *)p;

    u[0] = v >> 24;
    u[1] = v >> 16;
    u[2] = v >> 8;
    u[3] = v;
    return p + 4;
}

/* Read one whole message (length word included). */
static char *
srvReadMsg(int fd, size_t *len)
{
    char lenbuf[4];
    char *buf;
    uint32_t l;

    if (srvReadFull(fd, lenbuf, 4) < 0)
        return NULL;
    l = getU32(lenbuf);
    if (l < HDR_LEN || l > 1024 * 1024)
        return NULL;
    buf = g_malloc(l);
    memcpy(buf, lenbuf, 4);
    if (srvReadFull(fd, buf + 4, l - 4) < 0) {
        g_free(buf);
        return NULL;
    }
    *len = l;
    return buf;
}

/* Header fields of a message read by srvReadMsg. */
#define MSG_PROG(b) getU32((b) + 4)
#define MSG_PROC(b) getU32((b) + 12)
#define MSG_TYPE(b) getU32((b) + 16)
#define MSG_SERIAL(b) getU32((b) + 20)

/* Start a message in buf: header with a zero length word; returns the
 * write position. Finish with msgEnd. */
static char *
msgStart(char *buf, uint32_t prog, uint32_t proc, uint32_t type,
         uint32_t serial, uint32_t status)
{
    char *p = putU32(buf, 0);

    p = putU32(p, prog);
    p = putU32(p, prog == 0x6b656570 ? 1 : TEST_VERS);
    p = putU32(p, proc);
    p = putU32(p, type);
    p = putU32(p, serial);
    return putU32(p, status);
}

static size_t
msgEnd(char *buf, char *end)
{
    putU32(buf, end - buf);
    return end - buf;
}

static char *
putString(char *p, const char *s)
{
    size_t l = strlen(s);

    p = putU32(p, l);
    memcpy(p, s, l);
    p += l;
    while (l++ % 4)
        *p++ = 0;
    return p;
}

static gpointer
srvThread(gpointer opaque)
{
    testServer *srv = opaque;

    srv->func(srv);
    /* On a mismatch, hang up so that a client still waiting fails
     * instead of hanging the test. */
    if (srv->failure && srv->fd >= 0)
        shutdown(srv->fd, SHUT_RDWR);
    return NULL;
}

/* A client connected to a fake server running func in a thread. */
static virNetClient *
testServerStart(testServer *srv, testServerFunc func, void *data)
{
    struct timeval timeout = { .tv_sec = 10 };
    int sv[2];
    virNetSocket *sock;
    virNetClient *client;

    memset(srv, 0, sizeof(*srv));
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return NULL;
    if (!(sock = virNetSocketNewFD(sv[0]))) {
        close(sv[1]);
        return NULL;
    }
    if (!(client = virNetClientNewSocket(sock))) {
        close(sv[1]);
        return NULL;
    }
    /* A client that never answers must not hang the test. */
    setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    srv->fd = sv[1];
    srv->func = func;
    srv->data = data;
    srv->thread = g_thread_new("fake-server", srvThread, srv);
    return client;
}

/* Join the server; 0 when it found nothing wrong. */
static int
testServerFinish(testServer *srv)
{
    int ret = 0;

    if (srv->thread)
        g_thread_join(srv->thread);
    srv->thread = NULL;
    if (srv->fd >= 0)
        close(srv->fd);
    srv->fd = -1;
    if (srv->failure) {
        fprintf(stderr, "  fake server: %s\n", srv->failure);
        ret = -1;
    }
    g_clear_pointer(&srv->failure, g_free);
    g_clear_pointer(&srv->captured, g_free);
    return ret;
}

/* Read until the client goes away (so that the client, not we, closes). */
static void
srvDrainToEOF(testServer *srv)
{
    char buf[4096];

    while (read(srv->fd, buf, sizeof(buf)) > 0)
        ;
}

static virNetClientProgram *
testProgram(void)
{
    return virNetClientProgramNew(TEST_PROG, TEST_VERS, testEvents,
                                  G_N_ELEMENTS(testEvents), NULL, NULL);
}

/* ---- one call ------------------------------------------------------- */

static void
srvOneCall(testServer *srv)
{
    char reply[64], *p;
    size_t len;
    char *msg;

    /* A null call first. */
    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no null call");
    srv->captured = g_memdup2(msg, len);
    srv->capturedLen = len;
    p = msgStart(reply, TEST_PROG, TEST_PROC_NULL, 1, MSG_SERIAL(msg), 0);
    g_free(msg);
    if (srvWriteFull(srv->fd, reply, msgEnd(reply, p)) < 0)
        return srvFail(srv, "write failed");

    /* Then ADD 2 + 40: answer 42 as a hyper. */
    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no add call");
    srv->captured = g_realloc(srv->captured, srv->capturedLen + len);
    memcpy(srv->captured + srv->capturedLen, msg, len);
    srv->capturedLen += len;
    p = msgStart(reply, TEST_PROG, TEST_PROC_ADD, 1, MSG_SERIAL(msg), 0);
    p = putU32(p, 0);
    p = putU32(p, 42);
    g_free(msg);
    if (srvWriteFull(srv->fd, reply, msgEnd(reply, p)) < 0)
        return srvFail(srv, "write failed");
    srvDrainToEOF(srv);
}

static int
testOneCall(const void *data G_GNUC_UNUSED)
{
    static const unsigned char expected[] = {
        /* null call, serial 1 */
        0x00, 0x00, 0x00, 0x1c,   0x44, 0x45, 0x4d, 0x4f,   0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01,   0x00, 0x00, 0x00, 0x00,   0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00,
        /* add(2, 40), serial 2 */
        0x00, 0x00, 0x00, 0x24,   0x44, 0x45, 0x4d, 0x4f,   0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x03,   0x00, 0x00, 0x00, 0x00,   0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00,   0x00, 0x00, 0x00, 0x02,   0x00, 0x00, 0x00, 0x28,
    };
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvOneCall, NULL);
    virNetClientProgram *prog = testProgram();
    testAddArgs args = { 2, 40 };
    testAddRet ret = { 0 };
    int rc1, rc2;
    unsigned int serial;

    VIR_TEST_ASSERT(client);
    serial = virNetClientNewSerial(client);
    rc1 = virNetClientProgramCall(prog, client, serial, TEST_PROC_NULL, 0, NULL,
                                  NULL, NULL, XDR_VOID, NULL,
                                  XDR_VOID, NULL);
    serial = virNetClientNewSerial(client);
    rc2 = virNetClientProgramCall(prog, client, serial, TEST_PROC_ADD, 0, NULL,
                                  NULL, NULL, (xdrproc_t)xdr_testAddArgs, &args,
                                  (xdrproc_t)xdr_testAddRet, &ret);
    virNetClientClose(client);
    virNetClientUnref(client);
    virNetClientProgramUnref(prog);

    if (srv.captured &&
        virTestCompareBytes("bytes sent", srv.captured, srv.capturedLen,
                            expected, sizeof(expected)) < 0) {
        testServerFinish(&srv);
        return -1;
    }
    if (testServerFinish(&srv) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(rc1, 0);
    VIR_TEST_ASSERT_INT(rc2, 0);
    VIR_TEST_ASSERT_INT(ret.sum, 42);
    return 0;
}

/* ---- error reply ------------------------------------------------------ */

#define ERR_TEXT "Domain not found: no domain with matching name 'nope'"

static void
srvErrorReply(testServer *srv)
{
    char reply[256], *p;
    size_t len;
    char *msg;

    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no call");
    p = msgStart(reply, TEST_PROG, TEST_PROC_ADD, 1, MSG_SERIAL(msg), 1);
    g_free(msg);
    p = putU32(p, 42);          /* code: VIR_ERR_NO_DOMAIN */
    p = putU32(p, 10);          /* domain: VIR_FROM_QEMU */
    p = putU32(p, 1);           /* message: present */
    p = putString(p, ERR_TEXT);
    p = putU32(p, 2);           /* level: error */
    p = putU32(p, 0);           /* dom: NULL */
    p = putU32(p, 1);           /* str1: "nope" */
    p = putString(p, "nope");
    p = putU32(p, 0);           /* str2 */
    p = putU32(p, 0);           /* str3 */
    p = putU32(p, 7);           /* int1 */
    p = putU32(p, 0);           /* int2 */
    p = putU32(p, 0);           /* net: NULL */
    if (srvWriteFull(srv->fd, reply, msgEnd(reply, p)) < 0)
        return srvFail(srv, "write failed");
    srvDrainToEOF(srv);
}

static int
testErrorReply(const void *data G_GNUC_UNUSED)
{
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvErrorReply, NULL);
    virNetClientProgram *prog = testProgram();
    testAddArgs args = { 1, 1 };
    testAddRet ret = { 0 };
    virError *err;
    int rc;

    VIR_TEST_ASSERT(client);
    virResetLastError();
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                 TEST_PROC_ADD, 0, NULL, NULL, NULL,
                                 (xdrproc_t)xdr_testAddArgs, &args,
                                 (xdrproc_t)xdr_testAddRet, &ret);
    err = virGetLastError();
    /* The connection stays usable after an error reply. */
    VIR_TEST_ASSERT(virNetClientIsOpen(client));
    virNetClientClose(client);
    virNetClientUnref(client);
    virNetClientProgramUnref(prog);
    if (testServerFinish(&srv) < 0)
        return -1;

    VIR_TEST_ASSERT_INT(rc, -1);
    VIR_TEST_ASSERT(err);
    VIR_TEST_ASSERT_INT(err->code, 42);
    VIR_TEST_ASSERT_INT(err->domain, 10);
    VIR_TEST_ASSERT_INT(err->int1, 7);
    VIR_TEST_ASSERT_STR(err->message, ERR_TEXT);
    VIR_TEST_ASSERT_STR(err->str1, "nope");
    virResetLastError();
    return 0;
}

/* ---- many threads, replies out of order ---------------------------------- */

#define NTHREADS 16
#define NCALLS 500
#define MAXBATCH 16

static void
srvConcurrent(testServer *srv)
{
    size_t total = 0;
    GRand *rand = g_rand_new_with_seed(4242);

    while (total < NTHREADS * NCALLS) {
        char *batch[MAXBATCH];
        size_t n = 0, len;
        size_t want = g_rand_int_range(rand, 1, MAXBATCH + 1);

        /* Collect what has arrived (at least one), up to `want`. */
        do {
            struct pollfd pfd = { .fd = srv->fd, .events = POLLIN };

            if (n > 0 && poll(&pfd, 1, 0) <= 0)
                break;
            if (!(batch[n] = srvReadMsg(srv->fd, &len))) {
                srvFail(srv, "lost the client after %zu calls", total);
                goto out;
            }
            if (len != HDR_LEN + 8 || MSG_PROC(batch[n]) != TEST_PROC_ECHO ||
                MSG_TYPE(batch[n]) != 0) {
                srvFail(srv, "unexpected call of %zu bytes", len);
                g_free(batch[n]);
                goto out;
            }
            n++;
        } while (n < want);
        total += n;
        if (n > srv->capturedLen)
            srv->capturedLen = n;   /* largest batch answered in reverse */

        /* Answer in reverse order, echoing serial and arguments. */
        while (n-- > 0) {
            char reply[64], *p;

            p = msgStart(reply, TEST_PROG, TEST_PROC_ECHO, 1, MSG_SERIAL(batch[n]), 0);
            p = putU32(p, MSG_SERIAL(batch[n]));
            p = putU32(p, getU32(batch[n] + HDR_LEN));
            p = putU32(p, getU32(batch[n] + HDR_LEN + 4));
            g_free(batch[n]);
            if (srvWriteFull(srv->fd, reply, msgEnd(reply, p)) < 0) {
                srvFail(srv, "write failed");
                while (n-- > 0)
                    g_free(batch[n]);
                goto out;
            }
        }
    }
 out:
    g_rand_free(rand);
    srvDrainToEOF(srv);
}

typedef struct {
    virNetClient *client;
    virNetClientProgram *prog;
    int id;
    int failures;
    char *firstFailure;
} testWorker;

static gpointer
testWorkerMain(gpointer opaque)
{
    testWorker *w = opaque;

    for (int i = 0; i < NCALLS; i++) {
        unsigned int serial = virNetClientNewSerial(w->client);
        testAddArgs args = { w->id, i };
        testEchoRet ret = { 0 };

        if (virNetClientProgramCall(w->prog, w->client, serial, TEST_PROC_ECHO,
                                    0, NULL, NULL, NULL,
                                    (xdrproc_t)xdr_testAddArgs, &args,
                                    (xdrproc_t)xdr_testEchoRet, &ret) < 0) {
            if (!w->firstFailure)
                w->firstFailure = g_strdup(virGetLastErrorMessage());
            w->failures++;
            break;
        }
        if (ret.serial != serial || ret.a != w->id || ret.b != i) {
            if (!w->firstFailure)
                w->firstFailure = g_strdup_printf("call %d: got serial %u a %d b %d, sent %u %d %d",
                                                  i, ret.serial, ret.a, ret.b, serial, w->id, i);
            w->failures++;
        }
    }
    return NULL;
}

static int
testConcurrent(const void *data)
{
    bool withLoop = data != NULL;
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvConcurrent, NULL);
    virNetClientProgram *prog = testProgram();
    virEventThread *et = NULL;
    testWorker workers[NTHREADS];
    GThread *threads[NTHREADS];
    int failures = 0;
    size_t maxBatch;

    VIR_TEST_ASSERT(client);
    if (withLoop) {
        et = virEventThreadNew("test-loop");
        VIR_TEST_ASSERT(et);
        VIR_TEST_ASSERT_INT(virNetClientAttachLoop(client, virEventThreadGetLoop(et)), 0);
    }
    for (int i = 0; i < NTHREADS; i++) {
        workers[i] = (testWorker){ .client = client, .prog = prog, .id = i };
        threads[i] = g_thread_new("worker", testWorkerMain, &workers[i]);
    }
    for (int i = 0; i < NTHREADS; i++) {
        g_thread_join(threads[i]);
        if (workers[i].failures) {
            fprintf(stderr, "  worker %d: %d failures, first: %s\n", i,
                    workers[i].failures, workers[i].firstFailure);
            failures++;
        }
        g_free(workers[i].firstFailure);
    }
    virNetClientClose(client);
    virNetClientUnref(client);
    virEventThreadFree(et);
    virNetClientProgramUnref(prog);
    maxBatch = srv.capturedLen;
    if (testServerFinish(&srv) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(failures, 0);
    /* Replies really came out of order. */
    VIR_TEST_ASSERT(maxBatch > 1);
    return 0;
}

/* ---- an event during a call ------------------------------------------- */

static void
srvEventDuringCall(testServer *srv)
{
    char buf[128], *p;
    size_t len, n;
    char *msg;

    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no call");
    /* The event first, on its own... */
    p = msgStart(buf, TEST_PROG, TEST_PROC_TICK, 2, 0, 0);
    p = putU32(p, 7);
    p = putString(p, "tick tock");
    if (srvWriteFull(srv->fd, buf, msgEnd(buf, p)) < 0)
        return srvFail(srv, "write failed");
    g_usleep(20 * 1000);
    /* ...then another event and the reply in one write. */
    p = msgStart(buf, TEST_PROG, TEST_PROC_TICK, 2, 0, 0);
    p = putU32(p, 8);
    p = putString(p, "second");
    n = msgEnd(buf, p);
    p = msgStart(buf + n, TEST_PROG, TEST_PROC_NULL, 1, MSG_SERIAL(msg), 0);
    n += msgEnd(buf + n, p);
    g_free(msg);
    if (srvWriteFull(srv->fd, buf, n) < 0)
        return srvFail(srv, "write failed");
    srvDrainToEOF(srv);
}

/* A timer that blocks the loop thread until the gate opens. */
static struct {
    GMutex lock;
    GCond cond;
    bool blocked;
    bool open;
    virEventLoop *loop;
} gate;

static void
testGateTimer(int timer, void *opaque G_GNUC_UNUSED)
{
    virEventLoopRemoveTimeout(gate.loop, timer);
    g_mutex_lock(&gate.lock);
    gate.blocked = true;
    g_cond_broadcast(&gate.cond);
    while (!gate.open)
        g_cond_wait(&gate.cond, &gate.lock);
    g_mutex_unlock(&gate.lock);
}

static int
testEventDuringCall(const void *data G_GNUC_UNUSED)
{
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvEventDuringCall, NULL);
    virNetClientProgram *prog = testProgram();
    virEventThread *et = virEventThreadNew("test-loop");
    virEventLoop *loop;
    int rc, callsAfterCall;
    size_t pendingAfterCall;
    gint64 deadline;

    VIR_TEST_ASSERT(client && et);
    loop = virEventThreadGetLoop(et);
    g_mutex_lock(&tick.lock);
    tick.calls = 0;
    tick.sawCallInProgress = false;
    tick.loop = loop;
    g_mutex_unlock(&tick.lock);
    VIR_TEST_ASSERT_INT(virNetClientAddProgram(client, prog), 0);
    VIR_TEST_ASSERT_INT(virNetClientAttachLoop(client, loop), 0);

    /* Hold the loop thread, so that "afterwards" is well defined. */
    gate.loop = loop;
    gate.blocked = gate.open = false;
    VIR_TEST_ASSERT(virEventLoopAddTimeout(loop, 0, testGateTimer, NULL, NULL) > 0);
    g_mutex_lock(&gate.lock);
    while (!gate.blocked)
        g_cond_wait(&gate.cond, &gate.lock);
    g_mutex_unlock(&gate.lock);

    g_atomic_int_set(&callInProgress, 1);
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                 TEST_PROC_NULL, 0, NULL, NULL, NULL,
                                 XDR_VOID, NULL, XDR_VOID, NULL);
    g_atomic_int_set(&callInProgress, 0);

    g_mutex_lock(&tick.lock);
    callsAfterCall = tick.calls;
    g_mutex_unlock(&tick.lock);
    pendingAfterCall = virNetClientPendingEvents(client);

    /* Let the loop go: both events are dispatched from it, in order. */
    g_mutex_lock(&gate.lock);
    gate.open = true;
    g_cond_broadcast(&gate.cond);
    g_mutex_unlock(&gate.lock);

    deadline = g_get_monotonic_time() + 5 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&tick.lock);
    while (tick.calls < 2 && g_cond_wait_until(&tick.cond, &tick.lock, deadline))
        ;
    g_mutex_unlock(&tick.lock);

    virNetClientClose(client);
    virNetClientUnref(client);
    virEventThreadFree(et);
    virNetClientProgramUnref(prog);
    if (testServerFinish(&srv) < 0)
        return -1;

    VIR_TEST_ASSERT_INT(rc, 0);
    VIR_TEST_ASSERT_INT(callsAfterCall, 0);
    VIR_TEST_ASSERT_INT(pendingAfterCall, 2);
    VIR_TEST_ASSERT_INT(tick.calls, 2);
    VIR_TEST_ASSERT(!tick.sawCallInProgress);
    VIR_TEST_ASSERT(tick.onLoopThread);
    VIR_TEST_ASSERT_INT(tick.seq, 8);
    VIR_TEST_ASSERT_STR(tick.text, "second");
    g_clear_pointer(&tick.text, g_free);
    tick.loop = NULL;
    return 0;
}

/* ---- keepalive PING -> PONG ---------------------------------------------- */

static const unsigned char pingBytes[] = {
    0x00, 0x00, 0x00, 0x1c,   0x6b, 0x65, 0x65, 0x70,   0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x01,   0x00, 0x00, 0x00, 0x02,   0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
};
static const unsigned char pongBytes[] = {
    0x00, 0x00, 0x00, 0x1c,   0x6b, 0x65, 0x65, 0x70,   0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x02,   0x00, 0x00, 0x00, 0x02,   0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
};

/* data: true = ping between calls (the loop answers), false = ping while
 * a call waits (the socket owner answers). */
static void
srvPing(testServer *srv)
{
    bool idle = srv->data != NULL;
    char pong[sizeof(pongBytes)];
    char reply[64], *p;
    size_t len;
    char *msg = NULL;

    if (!idle && !(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no call");
    if (srvWriteFull(srv->fd, pingBytes, sizeof(pingBytes)) < 0)
        return srvFail(srv, "write failed");
    if (srvReadFull(srv->fd, pong, sizeof(pong)) < 0) {
        g_free(msg);
        return srvFail(srv, "no pong");
    }
    srv->captured = g_memdup2(pong, sizeof(pong));
    srv->capturedLen = sizeof(pong);
    if (idle && !(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no call");
    p = msgStart(reply, TEST_PROG, TEST_PROC_NULL, 1, MSG_SERIAL(msg), 0);
    g_free(msg);
    if (srvWriteFull(srv->fd, reply, msgEnd(reply, p)) < 0)
        return srvFail(srv, "write failed");
    srvDrainToEOF(srv);
}

static int
testPing(const void *data)
{
    bool idle = data != NULL;
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvPing, (void *)data);
    virNetClientProgram *prog = testProgram();
    virEventThread *et = NULL;
    int rc;

    VIR_TEST_ASSERT(client);
    if (idle) {
        et = virEventThreadNew("test-loop");
        VIR_TEST_ASSERT_INT(virNetClientAttachLoop(client, virEventThreadGetLoop(et)), 0);
        /* The call goes out only after the server has its PONG. */
        for (int i = 0; i < 500; i++) {
            if (g_atomic_pointer_get(&srv.capturedLen))
                break;
            g_usleep(10 * 1000);
        }
    }
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                 TEST_PROC_NULL, 0, NULL, NULL, NULL,
                                 XDR_VOID, NULL, XDR_VOID, NULL);
    virNetClientClose(client);
    virNetClientUnref(client);
    virEventThreadFree(et);
    virNetClientProgramUnref(prog);
    g_thread_join(srv.thread);
    srv.thread = NULL;
    if (srv.captured &&
        virTestCompareBytes("pong", srv.captured, srv.capturedLen,
                            pongBytes, sizeof(pongBytes)) < 0) {
        testServerFinish(&srv);
        return -1;
    }
    if (testServerFinish(&srv) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(rc, 0);
    return 0;
}

/* ---- the server goes away mid-call --------------------------------------- */

#define NCLOSERS 4

static void
srvCloseMidCall(testServer *srv)
{
    size_t len;

    for (int i = 0; i < NCLOSERS; i++) {
        char *msg = srvReadMsg(srv->fd, &len);

        if (!msg)
            return srvFail(srv, "call %d missing", i);
        g_free(msg);
    }
    close(srv->fd);
    srv->fd = -1;
}

typedef struct {
    virNetClient *client;
    virNetClientProgram *prog;
    int rc;
    int code;
    char *message;
} testCloser;

static gpointer
testCloserMain(gpointer opaque)
{
    testCloser *c = opaque;

    c->rc = virNetClientProgramCall(c->prog, c->client, virNetClientNewSerial(c->client),
                                    TEST_PROC_NULL, 0, NULL, NULL, NULL,
                                    XDR_VOID, NULL, XDR_VOID, NULL);
    c->code = virGetLastErrorCode();
    c->message = g_strdup(virGetLastErrorMessage());
    return NULL;
}

static int
testCloseMidCall(const void *data)
{
    bool withLoop = data != NULL;
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvCloseMidCall, NULL);
    virNetClientProgram *prog = testProgram();
    virEventThread *et = NULL;
    testCloseInfo info = { 0 };
    testCloser closers[NCLOSERS];
    GThread *threads[NCLOSERS];
    gint64 start, elapsed;
    int rc, ret = 0;

    VIR_TEST_ASSERT(client);
    virNetClientSetCloseCallback(client, testCloseCallback, &info, NULL);
    if (withLoop) {
        et = virEventThreadNew("test-loop");
        VIR_TEST_ASSERT_INT(virNetClientAttachLoop(client, virEventThreadGetLoop(et)), 0);
    }
    for (int i = 0; i < NCLOSERS; i++) {
        closers[i] = (testCloser){ .client = client, .prog = prog };
        threads[i] = g_thread_new("closer", testCloserMain, &closers[i]);
    }
    for (int i = 0; i < NCLOSERS; i++)
        g_thread_join(threads[i]);

    virResetLastError();
    start = g_get_monotonic_time();
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                 TEST_PROC_NULL, 0, NULL, NULL, NULL,
                                 XDR_VOID, NULL, XDR_VOID, NULL);
    elapsed = g_get_monotonic_time() - start;

    if (testServerFinish(&srv) < 0)
        ret = -1;
    for (int i = 0; i < NCLOSERS; i++) {
        if (closers[i].rc != -1 || closers[i].code != VIR_ERR_RPC ||
            g_strcmp0(closers[i].message, "connection closed") != 0) {
            fprintf(stderr, "  closer %d: rc %d code %d message '%s'\n", i,
                    closers[i].rc, closers[i].code, closers[i].message);
            ret = -1;
        }
        g_free(closers[i].message);
    }
    if (ret == 0) {
        VIR_TEST_ASSERT_INT(rc, -1);
        VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_RPC);
        VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "connection closed");
        VIR_TEST_ASSERT(elapsed < G_TIME_SPAN_SECOND);
        VIR_TEST_ASSERT(!virNetClientIsOpen(client));
        VIR_TEST_ASSERT_INT(g_atomic_int_get(&info.count), 1);
        VIR_TEST_ASSERT_INT(info.reason, VIR_NET_CLIENT_CLOSE_EOF);
        VIR_TEST_ASSERT(info.lockFree);
    }
    /* Closing again does not run the callback again. */
    virNetClientClose(client);
    if (ret == 0)
        VIR_TEST_ASSERT_INT(g_atomic_int_get(&info.count), 1);
    virNetClientUnref(client);
    virEventThreadFree(et);
    virNetClientProgramUnref(prog);
    virResetLastError();
    return ret;
}

/* ---- a bad length word ---------------------------------------------------- */

static void
srvBadLength(testServer *srv)
{
    uint32_t bad = GPOINTER_TO_UINT(srv->data);
    char buf[HDR_LEN] = { 0 };
    size_t len;
    char *msg;

    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no call");
    g_free(msg);
    putU32(buf, bad);
    if (srvWriteFull(srv->fd, buf, sizeof(buf)) < 0)
        return srvFail(srv, "write failed");
    /* The client must hang up by itself. */
    srvDrainToEOF(srv);
}

static int
testBadLength(const void *data)
{
    uint32_t bad = GPOINTER_TO_UINT(data);
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvBadLength, GUINT_TO_POINTER(bad));
    virNetClientProgram *prog = testProgram();
    testCloseInfo info = { 0 };
    const char *want = bad < HDR_LEN ? "too small" : "too large";
    int rc, code;
    char *message;

    VIR_TEST_ASSERT(client);
    virNetClientSetCloseCallback(client, testCloseCallback, &info, NULL);
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                 TEST_PROC_NULL, 0, NULL, NULL, NULL,
                                 XDR_VOID, NULL, XDR_VOID, NULL);
    code = virGetLastErrorCode();
    message = g_strdup(virGetLastErrorMessage());
    /* The fake server only returns once the client shut the socket down. */
    if (testServerFinish(&srv) < 0) {
        g_free(message);
        return -1;
    }
    VIR_TEST_ASSERT(!virNetClientIsOpen(client));
    virNetClientUnref(client);
    virNetClientProgramUnref(prog);
    virResetLastError();

    if (rc != -1 || code != VIR_ERR_RPC || !strstr(message, want)) {
        fprintf(stderr, "  rc %d code %d message '%s'\n", rc, code, message);
        g_free(message);
        return -1;
    }
    g_free(message);
    VIR_TEST_ASSERT_INT(g_atomic_int_get(&info.count), 1);
    VIR_TEST_ASSERT_INT(info.reason, VIR_NET_CLIENT_CLOSE_ERROR);
    return 0;
}

/* ---- fd passing ----------------------------------------------------------- */

static int
srvRecvFD(int fd)
{
    char byte;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
                         .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
    struct cmsghdr *cmsg;
    int received = -1;

    if (recvmsg(fd, &mh, 0) != 1)
        return -1;
    cmsg = CMSG_FIRSTHDR(&mh);
    if (!cmsg || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
        return -1;
    memcpy(&received, CMSG_DATA(cmsg), sizeof(int));
    return received;
}

static int
srvSendFD(int sock, int fd)
{
    char byte = 0;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
                         .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
    struct cmsghdr *cmsg;

    memset(&control, 0, sizeof(control));
    cmsg = CMSG_FIRSTHDR(&mh);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    return sendmsg(sock, &mh, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

#define FD_TEXT_IN "written by the server into the client's pipe"
#define FD_TEXT_OUT "read by the client from the server's pipe"

static void
srvPassFD(testServer *srv)
{
    static const unsigned char expectedHeader[] = {
        0x00, 0x00, 0x00, 0x20,   0x44, 0x45, 0x4d, 0x4f,   0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x0c,   0x00, 0x00, 0x00, 0x04,   0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00,   0x00, 0x00, 0x00, 0x01,
    };
    char buf[256], *p;
    size_t len, n;
    char *msg;
    int fd, pfd[2];

    /* 1. A call with one fd: CALL_WITH_FDS, nfds 1, then the fd. */
    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no call");
    if (len != sizeof(expectedHeader) || memcmp(msg, expectedHeader, len) != 0) {
        g_free(msg);
        return srvFail(srv, "call with fd: unexpected bytes");
    }
    g_free(msg);
    if ((fd = srvRecvFD(srv->fd)) < 0)
        return srvFail(srv, "no fd received");
    if (write(fd, FD_TEXT_IN, strlen(FD_TEXT_IN)) != (ssize_t)strlen(FD_TEXT_IN))
        srvFail(srv, "cannot write to the received fd");
    close(fd);
    p = msgStart(buf, TEST_PROG, TEST_PROC_PASS_FD, 1, 1, 0);
    p = putU32(p, 1);
    if (srvWriteFull(srv->fd, buf, msgEnd(buf, p)) < 0)
        return srvFail(srv, "write failed");

    /* 2. A reply carrying an fd, followed at once by a PING: the fd's
     * carrier byte sits between two messages in the client's buffer. */
    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no second call");
    if (pipe(pfd) < 0)
        return srvFail(srv, "pipe failed");
    if (write(pfd[1], FD_TEXT_OUT, strlen(FD_TEXT_OUT)) < 0)
        srvFail(srv, "pipe write failed");
    close(pfd[1]);
    p = msgStart(buf, TEST_PROG, TEST_PROC_PASS_FD, 5, MSG_SERIAL(msg), 0);
    g_free(msg);
    p = putU32(p, 1);           /* nfds */
    p = putU32(p, 99);          /* ret */
    n = msgEnd(buf, p);
    if (srvWriteFull(srv->fd, buf, n) < 0 || srvSendFD(srv->fd, pfd[0]) < 0 ||
        srvWriteFull(srv->fd, pingBytes, sizeof(pingBytes)) < 0) {
        close(pfd[0]);
        return srvFail(srv, "write failed");
    }
    close(pfd[0]);
    if (srvReadFull(srv->fd, buf, sizeof(pongBytes)) < 0 ||
        memcmp(buf, pongBytes, sizeof(pongBytes)) != 0)
        return srvFail(srv, "no pong after the fd");

    /* 3. The stream is still in step: one more plain call. */
    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no third call");
    p = msgStart(buf, TEST_PROG, TEST_PROC_PASS_FD, 1, MSG_SERIAL(msg), 0);
    g_free(msg);
    p = putU32(p, 3);
    if (srvWriteFull(srv->fd, buf, msgEnd(buf, p)) < 0)
        return srvFail(srv, "write failed");
    srvDrainToEOF(srv);
}

static int
testPassFD(const void *data G_GNUC_UNUSED)
{
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvPassFD, NULL);
    virNetClientProgram *prog = testProgram();
    virEventThread *et = virEventThreadNew("test-loop");
    testUIntRet ret1 = { 0 }, ret2 = { 0 }, ret3 = { 0 };
    int pfd[2];
    int rc1, rc2 = -1, rc3 = -1;
    size_t noutfds = 0;
    int *outfds = NULL;
    char got[128] = { 0 };
    char got2[128] = { 0 };
    ssize_t n, n2 = -1;
    int ret = 0;

    VIR_TEST_ASSERT(client && et);
    VIR_TEST_ASSERT_INT(virNetClientAttachLoop(client, virEventThreadGetLoop(et)), 0);
    VIR_TEST_ASSERT(pipe(pfd) == 0);

    rc1 = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                  TEST_PROC_PASS_FD, 1, &pfd[1], NULL, NULL,
                                  XDR_VOID, NULL,
                                  (xdrproc_t)xdr_testUIntRet, &ret1);
    close(pfd[1]);
    n = read(pfd[0], got, sizeof(got) - 1);
    close(pfd[0]);

    if (rc1 == 0) {
        rc2 = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                      TEST_PROC_PASS_FD, 0, NULL, &noutfds, &outfds,
                                      XDR_VOID, NULL,
                                      (xdrproc_t)xdr_testUIntRet, &ret2);
        if (rc2 == 0 && noutfds == 1) {
            n2 = read(outfds[0], got2, sizeof(got2) - 1);
            close(outfds[0]);
        }
        g_free(outfds);
        /* Give the loop time to answer the PING that followed the fd. */
        g_usleep(50 * 1000);
        rc3 = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                      TEST_PROC_PASS_FD, 0, NULL, NULL, NULL,
                                      XDR_VOID, NULL,
                                      (xdrproc_t)xdr_testUIntRet, &ret3);
    }
    virNetClientClose(client);
    virNetClientUnref(client);
    virEventThreadFree(et);
    virNetClientProgramUnref(prog);
    if (testServerFinish(&srv) < 0)
        ret = -1;
    if (ret < 0)
        return -1;

    VIR_TEST_ASSERT_INT(rc1, 0);
    VIR_TEST_ASSERT_INT(ret1.value, 1);
    VIR_TEST_ASSERT_INT(n, strlen(FD_TEXT_IN));
    VIR_TEST_ASSERT_STR(got, FD_TEXT_IN);
    VIR_TEST_ASSERT_INT(rc2, 0);
    VIR_TEST_ASSERT_INT(noutfds, 1);
    VIR_TEST_ASSERT_INT(ret2.value, 99);
    VIR_TEST_ASSERT_INT(n2, strlen(FD_TEXT_OUT));
    VIR_TEST_ASSERT_STR(got2, FD_TEXT_OUT);
    VIR_TEST_ASSERT_INT(rc3, 0);
    VIR_TEST_ASSERT_INT(ret3.value, 3);
    return 0;
}

/* ---- a reply larger than the receive buffer ------------------------------- */

#define BLOB_LEN (300 * 1000 + 3)

static void
srvLargeReply(testServer *srv)
{
    size_t len, padded = (BLOB_LEN + 3) & ~3;
    char *msg, *buf, *p;

    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no call");
    buf = g_malloc0(HDR_LEN + 4 + padded + 2 * HDR_LEN);
    p = msgStart(buf, TEST_PROG, TEST_PROC_BLOB, 1, MSG_SERIAL(msg), 0);
    g_free(msg);
    p = putU32(p, BLOB_LEN);
    for (size_t i = 0; i < BLOB_LEN; i++)
        p[i] = (char)(i * 7 + 1);
    p += padded;
    len = msgEnd(buf, p);
    /* Trickle the first part, then the rest in one go. */
    if (srvWriteFull(srv->fd, buf, 10) < 0)
        goto fail;
    g_usleep(10 * 1000);
    if (srvWriteFull(srv->fd, buf + 10, len - 10) < 0)
        goto fail;
    g_free(buf);
    srvDrainToEOF(srv);
    return;
 fail:
    g_free(buf);
    srvFail(srv, "write failed");
}

static int
testLargeReply(const void *data G_GNUC_UNUSED)
{
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvLargeReply, NULL);
    virNetClientProgram *prog = testProgram();
    testBlobRet ret = { 0 };
    int rc;
    bool same = true;

    VIR_TEST_ASSERT(client);
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                 TEST_PROC_BLOB, 0, NULL, NULL, NULL,
                                 XDR_VOID, NULL,
                                 (xdrproc_t)xdr_testBlobRet, &ret);
    virNetClientClose(client);
    virNetClientUnref(client);
    virNetClientProgramUnref(prog);
    if (testServerFinish(&srv) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(rc, 0);
    VIR_TEST_ASSERT_INT(ret.len, BLOB_LEN);
    for (size_t i = 0; i < ret.len; i++)
        same = same && ret.val[i] == (char)(i * 7 + 1);
    xdr_free((xdrproc_t)xdr_testBlobRet, (char *)&ret);
    VIR_TEST_ASSERT(same);
    return 0;
}

/* ---- reply timeouts -------------------------------------------------------- */

/* Answer the null call msg (freed); false when the write failed. */
static bool
srvReplyNull(testServer *srv, char *msg)
{
    char reply[64], *p;

    p = msgStart(reply, TEST_PROG, TEST_PROC_NULL, 1, MSG_SERIAL(msg), 0);
    g_free(msg);
    if (srvWriteFull(srv->fd, reply, msgEnd(reply, p)) < 0) {
        srvFail(srv, "write failed");
        return false;
    }
    return true;
}

/* Answer a null call after ms, then the next call at once. */
static void
srvLateReply(testServer *srv)
{
    int ms = GPOINTER_TO_INT(srv->data);
    size_t len;
    char *msg;

    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no first call");
    g_usleep(ms * 1000);
    if (!srvReplyNull(srv, msg))
        return;
    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no second call");
    if (!srvReplyNull(srv, msg))
        return;
    srvDrainToEOF(srv);
}

static int
nullCall(virNetClientProgram *prog, virNetClient *client)
{
    return virNetClientProgramCall(prog, client, virNetClientNewSerial(client), TEST_PROC_NULL,
                                   0, NULL, NULL, NULL, XDR_VOID, NULL, XDR_VOID, NULL);
}

/* The first call gives up after 100 ms (the server answers at 300 ms);
 * the connection stays open, the late reply is dropped (read by the loop
 * while no call runs, or by the next call), the next call works. */
static int
testReplyTimeout(const void *data)
{
    bool loop = data != NULL;
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvLateReply, GINT_TO_POINTER(300));
    virNetClientProgram *prog = testProgram();
    virEventThread *et = loop ? virEventThreadNew("test-loop") : NULL;
    gint64 t0, t1;
    int rc1, rc2, code;
    bool open1;

    VIR_TEST_ASSERT(client);
    if (et)
        VIR_TEST_ASSERT_INT(virNetClientAttachLoop(client, virEventThreadGetLoop(et)), 0);
    virNetClientSetReplyTimeout(client, 100);
    t0 = g_get_monotonic_time();
    rc1 = nullCall(prog, client);
    t1 = g_get_monotonic_time();
    code = virGetLastErrorCode();
    open1 = virNetClientIsOpen(client);
    g_usleep(400 * 1000);       /* the late reply arrives meanwhile */
    rc2 = nullCall(prog, client);
    VIR_TEST_ASSERT(virNetClientIsOpen(client));
    virNetClientClose(client);
    virNetClientUnref(client);
    virEventThreadFree(et);
    virNetClientProgramUnref(prog);
    if (testServerFinish(&srv) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(rc1, -1);
    VIR_TEST_ASSERT_INT(code, VIR_ERR_OPERATION_TIMEOUT);
    VIR_TEST_ASSERT(open1);
    if (t1 - t0 < 90 * 1000 || t1 - t0 > 280 * 1000)
        VIR_TEST_FAIL("the call gave up after %lld ms, not about 100", (long long)(t1 - t0) / 1000);
    VIR_TEST_ASSERT_INT(rc2, 0);
    virResetLastError();
    return 0;
}

/* Two threads: A owns the socket and waits 1 s at most; B queues behind
 * it with 100 ms and gives up while A still owns the socket. The server
 * answers A at 300 ms and never B. */
static void
srvAnswerFirst(testServer *srv)
{
    char reply[64], *p;
    size_t len;
    char *a, *b;

    if (!(a = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no call from A");
    if (!(b = srvReadMsg(srv->fd, &len))) {
        g_free(a);
        return srvFail(srv, "no call from B");
    }
    g_usleep(300 * 1000);
    p = msgStart(reply, TEST_PROG, TEST_PROC_NULL, 1, MSG_SERIAL(a), 0);
    g_free(a);
    g_free(b);
    if (srvWriteFull(srv->fd, reply, msgEnd(reply, p)) < 0)
        return srvFail(srv, "write failed");
    srvDrainToEOF(srv);
}

typedef struct {
    virNetClient *client;
    virNetClientProgram *prog;
    int rc;
    int code;
    gint64 ms;
} testTimedCall;

static gpointer
testTimedCallMain(gpointer opaque)
{
    testTimedCall *c = opaque;
    gint64 t0 = g_get_monotonic_time();

    c->rc = nullCall(c->prog, c->client);
    c->code = virGetLastErrorCode();
    c->ms = (g_get_monotonic_time() - t0) / 1000;
    virResetLastError();
    return NULL;
}

static int
testReplyTimeoutQueued(const void *data G_GNUC_UNUSED)
{
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvAnswerFirst, NULL);
    virNetClientProgram *prog = testProgram();
    testTimedCall a = { client, prog, 0, 0, 0 }, b = { client, prog, 0, 0, 0 };
    GThread *ta, *tb;

    VIR_TEST_ASSERT(client);
    virNetClientSetReplyTimeout(client, 1000);
    ta = g_thread_new("call-a", testTimedCallMain, &a);
    g_usleep(50 * 1000);
    virNetClientSetReplyTimeout(client, 100);
    tb = g_thread_new("call-b", testTimedCallMain, &b);
    g_thread_join(tb);
    g_thread_join(ta);
    virNetClientClose(client);
    virNetClientUnref(client);
    virNetClientProgramUnref(prog);
    if (testServerFinish(&srv) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(b.rc, -1);
    VIR_TEST_ASSERT_INT(b.code, VIR_ERR_OPERATION_TIMEOUT);
    VIR_TEST_ASSERT(b.ms < 280);
    VIR_TEST_ASSERT_INT(a.rc, 0);
    VIR_TEST_ASSERT(a.ms >= 290);
    return 0;
}

/* A message too large for the socket gives up half written: the rest
 * still goes out, so the next call's bytes follow a whole message. */
#define HUGE_LEN (4 * 1024 * 1024)

static void
srvSlowReader(testServer *srv)
{
    char head[HDR_LEN], *rest;
    size_t len;
    char *msg;

    g_usleep(400 * 1000);       /* the client's socket buffer fills up */
    if (srvReadFull(srv->fd, head, HDR_LEN) < 0)
        return srvFail(srv, "no large call");
    len = getU32(head);
    if (len != HDR_LEN + 4 + HUGE_LEN || MSG_PROC(head) != TEST_PROC_BLOB)
        return srvFail(srv, "large call of %zu bytes, proc %u", len, MSG_PROC(head));
    rest = g_malloc(len - HDR_LEN);
    if (srvReadFull(srv->fd, rest, len - HDR_LEN) < 0)
        srvFail(srv, "large call cut short");
    g_free(rest);
    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no call after the large one");
    if (!srvReplyNull(srv, msg))
        return;
    srvDrainToEOF(srv);
}

static int
testReplyTimeoutHalfWritten(const void *data G_GNUC_UNUSED)
{
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvSlowReader, NULL);
    virNetClientProgram *prog = testProgram();
    testBlobRet blob = { HUGE_LEN, g_malloc0(HUGE_LEN) };
    int rc1, rc2, code;

    VIR_TEST_ASSERT(client);
    virNetClientSetReplyTimeout(client, 100);
    rc1 = virNetClientProgramCall(prog, client, virNetClientNewSerial(client), TEST_PROC_BLOB,
                                  0, NULL, NULL, NULL, (xdrproc_t)xdr_testBlobRet, &blob,
                                  XDR_VOID, NULL);
    code = virGetLastErrorCode();
    g_free(blob.val);
    virNetClientSetReplyTimeout(client, 5000);
    rc2 = nullCall(prog, client);
    virNetClientClose(client);
    virNetClientUnref(client);
    virNetClientProgramUnref(prog);
    if (testServerFinish(&srv) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(rc1, -1);
    VIR_TEST_ASSERT_INT(code, VIR_ERR_OPERATION_TIMEOUT);
    VIR_TEST_ASSERT_INT(rc2, 0);
    virResetLastError();
    return 0;
}

/* A reply over the connection's message limit closes it unread. */
static void
srvOversizedReply(testServer *srv)
{
    size_t len;
    char *msg, *buf, *p;

    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no call");
    buf = g_malloc0(HDR_LEN + 4 + 2000);
    p = msgStart(buf, TEST_PROG, TEST_PROC_BLOB, 1, MSG_SERIAL(msg), 0);
    g_free(msg);
    p = putU32(p, 2000);
    if (srvWriteFull(srv->fd, buf, msgEnd(buf, p + 2000)) < 0)
        srvFail(srv, "write failed");
    g_free(buf);
    srvDrainToEOF(srv);
}

static int
testMessageMax(const void *data G_GNUC_UNUSED)
{
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvOversizedReply, NULL);
    virNetClientProgram *prog = testProgram();
    testBlobRet ret = { 0 };
    g_autofree char *message = NULL;
    int rc;

    VIR_TEST_ASSERT(client);
    virNetClientSetMessageMax(client, 1024);
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client), TEST_PROC_BLOB,
                                 0, NULL, NULL, NULL, XDR_VOID, NULL,
                                 (xdrproc_t)xdr_testBlobRet, &ret);
    message = g_strdup(virGetLastErrorMessage());
    if (testServerFinish(&srv) < 0)
        return -1;
    VIR_TEST_ASSERT(!virNetClientIsOpen(client));
    virNetClientUnref(client);
    virNetClientProgramUnref(prog);
    VIR_TEST_ASSERT_INT(rc, -1);
    if (!strstr(message, "exceeds this connection's limit of 1024"))
        VIR_TEST_FAIL("unexpected error: %s", message);
    virResetLastError();
    return 0;
}

/* ---- strict peers ---------------------------------------------------------- */

/* An event no program handles, then (when the client is still there) a
 * reply to its call. */
static void
srvUnknownEvent(testServer *srv)
{
    char buf[64], *p;
    size_t len;
    char *msg;

    p = msgStart(buf, TEST_PROG, 77, 2, 0, 0);
    if (srvWriteFull(srv->fd, buf, msgEnd(buf, p)) < 0)
        return srvFail(srv, "write failed");
    if (!(msg = srvReadMsg(srv->fd, &len))) {
        if (!GPOINTER_TO_INT(srv->data))
            srvFail(srv, "no call from the lenient client");
        return;
    }
    if (!srvReplyNull(srv, msg))
        return;
    srvDrainToEOF(srv);
}

/* Strict: the unknown event closes the connection. Otherwise it is
 * dropped and the next call works. */
static int
testStrict(const void *data)
{
    bool strict = data != NULL;
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvUnknownEvent, GINT_TO_POINTER(strict));
    virNetClientProgram *prog = testProgram();
    virEventThread *et = virEventThreadNew("test-loop");
    testCloseInfo info = { 0 };
    int rc = 0;

    VIR_TEST_ASSERT(client && et);
    virNetClientAddProgram(client, prog);
    virNetClientSetStrict(client, strict);
    virNetClientSetCloseCallback(client, testCloseCallback, &info, NULL);
    VIR_TEST_ASSERT_INT(virNetClientAttachLoop(client, virEventThreadGetLoop(et)), 0);
    g_usleep(200 * 1000);       /* the loop reads the event */
    if (!strict)
        rc = nullCall(prog, client);
    if (strict)
        VIR_TEST_ASSERT(!virNetClientIsOpen(client));
    virNetClientClose(client);
    if (testServerFinish(&srv) < 0)
        return -1;
    virNetClientUnref(client);
    virEventThreadFree(et);
    virNetClientProgramUnref(prog);
    VIR_TEST_ASSERT_INT(rc, 0);
    VIR_TEST_ASSERT_INT(info.reason, strict ? VIR_NET_CLIENT_CLOSE_ERROR
                                            : VIR_NET_CLIENT_CLOSE_CLIENT);
    virResetLastError();
    return 0;
}

/* ---- keepalive death ------------------------------------------------------ */

static void
srvSilent(testServer *srv)
{
    size_t len;
    char *msg;

    /* Swallow the client's PINGs, answer nothing; note the first. */
    while ((msg = srvReadMsg(srv->fd, &len))) {
        if (!srv->captured) {
            srv->captured = g_memdup2(msg, len);
            srv->capturedLen = len;
        }
        g_free(msg);
    }
}

static int
testKeepAliveDeath(const void *data G_GNUC_UNUSED)
{
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvSilent, NULL);
    virEventThread *et = virEventThreadNew("test-loop");
    testCloseInfo info = { 0 };
    gint64 deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    int ret = 0;

    VIR_TEST_ASSERT(client && et);
    virNetClientSetCloseCallback(client, testCloseCallback, &info, NULL);
    VIR_TEST_ASSERT_INT(virNetClientAttachLoop(client, virEventThreadGetLoop(et)), 0);
    VIR_TEST_ASSERT_INT(virNetClientKeepAliveStart(client, 1, 1), 0);
    while (g_atomic_int_get(&info.count) == 0 && g_get_monotonic_time() < deadline)
        g_usleep(20 * 1000);

    g_thread_join(srv.thread);      /* returns once the client hung up */
    srv.thread = NULL;
    if (!srv.captured ||
        virTestCompareBytes("ping", srv.captured, srv.capturedLen,
                            pingBytes, sizeof(pingBytes)) < 0)
        ret = -1;
    virNetClientUnref(client);
    virEventThreadFree(et);
    if (testServerFinish(&srv) < 0 || ret < 0)
        return -1;
    VIR_TEST_ASSERT_INT(g_atomic_int_get(&info.count), 1);
    VIR_TEST_ASSERT_INT(info.reason, VIR_NET_CLIENT_CLOSE_KEEPALIVE);
    return 0;
}

/* ---- we close while calls wait ------------------------------------------ */

static void
srvNoAnswer(testServer *srv)
{
    size_t len;

    for (int i = 0; i < NCLOSERS; i++) {
        char *msg = srvReadMsg(srv->fd, &len);

        if (!msg)
            return srvFail(srv, "call %d missing", i);
        g_free(msg);
    }
    srv->capturedLen = NCLOSERS;    /* all calls are in */
    srvDrainToEOF(srv);
}

static int
testCloseByClient(const void *data G_GNUC_UNUSED)
{
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvNoAnswer, NULL);
    virNetClientProgram *prog = testProgram();
    virEventThread *et = virEventThreadNew("test-loop");
    testCloseInfo info = { 0 };
    testCloser closers[NCLOSERS];
    GThread *threads[NCLOSERS];
    int ret = 0;

    VIR_TEST_ASSERT(client && et);
    virNetClientSetCloseCallback(client, testCloseCallback, &info, NULL);
    VIR_TEST_ASSERT_INT(virNetClientAttachLoop(client, virEventThreadGetLoop(et)), 0);
    for (int i = 0; i < NCLOSERS; i++) {
        closers[i] = (testCloser){ .client = client, .prog = prog };
        threads[i] = g_thread_new("closer", testCloserMain, &closers[i]);
    }
    for (int i = 0; i < 500 && !g_atomic_pointer_get(&srv.capturedLen); i++)
        g_usleep(10 * 1000);
    g_usleep(10 * 1000);    /* let the callers settle into their waits */

    virNetClientClose(client);
    for (int i = 0; i < NCLOSERS; i++)
        g_thread_join(threads[i]);
    if (testServerFinish(&srv) < 0)      /* returns once the socket is shut */
        ret = -1;
    for (int i = 0; i < NCLOSERS; i++) {
        if (closers[i].rc != -1 || closers[i].code != VIR_ERR_RPC) {
            fprintf(stderr, "  caller %d: rc %d code %d message '%s'\n", i,
                    closers[i].rc, closers[i].code, closers[i].message);
            ret = -1;
        }
        g_free(closers[i].message);
    }
    virNetClientUnref(client);
    virEventThreadFree(et);
    virNetClientProgramUnref(prog);
    if (ret < 0)
        return -1;
    VIR_TEST_ASSERT_INT(g_atomic_int_get(&info.count), 1);
    VIR_TEST_ASSERT_INT(info.reason, VIR_NET_CLIENT_CLOSE_CLIENT);
    VIR_TEST_ASSERT(info.lockFree);
    return 0;
}

/* ---- a message without reply; a client on a UNIX socket path -------------- */

static void
srvNoReplyMessage(testServer *srv)
{
    char buf[sizeof(pingBytes)];
    char reply[64], *p;
    size_t len;
    char *msg;

    if (srvReadFull(srv->fd, buf, sizeof(buf)) < 0)
        return srvFail(srv, "no message");
    srv->captured = g_memdup2(buf, sizeof(buf));
    srv->capturedLen = sizeof(buf);
    if (!(msg = srvReadMsg(srv->fd, &len)))
        return srvFail(srv, "no call");
    p = msgStart(reply, TEST_PROG, TEST_PROC_NULL, 1, MSG_SERIAL(msg), 0);
    g_free(msg);
    if (srvWriteFull(srv->fd, reply, msgEnd(reply, p)) < 0)
        return srvFail(srv, "write failed");
    srvDrainToEOF(srv);
}

typedef struct {
    virNetSocket *listener;
    testServer *srv;
} testListener;

static gpointer
srvAcceptThread(gpointer opaque)
{
    testListener *l = opaque;
    struct pollfd pfd = { .fd = virNetSocketGetFD(l->listener), .events = POLLIN };
    virNetSocket *conn = NULL;
    int fd, flags;

    if (poll(&pfd, 1, 10000) != 1 || virNetSocketAccept(l->listener, &conn) < 0 || !conn) {
        srvFail(l->srv, "accept failed");
        return NULL;
    }
    /* Take the fd out of the socket object, blocking, for the raw server. */
    fd = dup(virNetSocketGetFD(conn));
    virNetSocketFree(conn);
    flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    l->srv->fd = fd;
    srvNoReplyMessage(l->srv);
    return NULL;
}

static int
testNoReplyUNIX(const void *data G_GNUC_UNUSED)
{
    char *path = g_build_filename(virTestTempDir(), "client.sock", NULL);
    testServer srv = { .fd = -1 };
    testListener l = { .srv = &srv };
    virNetClient *client = NULL;
    virNetClientProgram *prog = testProgram();
    virNetMessage *msg;
    int rc1 = -1, rc2 = -1;

    l.listener = virNetSocketNewListenUNIX(path, 0700, getuid(), getgid());
    g_free(path);
    VIR_TEST_ASSERT(l.listener);
    VIR_TEST_ASSERT_INT(virNetSocketListen(l.listener, 5), 0);
    srv.thread = g_thread_new("fake-server", srvAcceptThread, &l);

    path = g_build_filename(virTestTempDir(), "client.sock", NULL);
    client = virNetClientNewUNIX(path);
    g_free(path);
    if (client) {
        /* A PING built by hand through the public API, sent blocking. */
        msg = virNetMessageNew(false);
        msg->header = (virNetMessageHeader){ .prog = 0x6b656570, .vers = 1, .proc = 1,
                                             .type = VIR_NET_MESSAGE, .serial = 0,
                                             .status = VIR_NET_OK };
        if (virNetMessageEncodeHeader(msg) == 0 && virNetMessageEncodePayloadEmpty(msg) == 0)
            rc1 = virNetClientSendNoReply(client, msg, false);
        else
            virNetMessageFree(msg);
        rc2 = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                      TEST_PROC_NULL, 0, NULL, NULL, NULL,
                                      XDR_VOID, NULL, XDR_VOID, NULL);
        virNetClientClose(client);
        virNetClientUnref(client);
    }
    virNetClientProgramUnref(prog);
    g_thread_join(srv.thread);
    srv.thread = NULL;
    virNetSocketFree(l.listener);
    if (srv.captured &&
        virTestCompareBytes("message", srv.captured, srv.capturedLen,
                            pingBytes, sizeof(pingBytes)) < 0) {
        testServerFinish(&srv);
        return -1;
    }
    if (testServerFinish(&srv) < 0)
        return -1;
    VIR_TEST_ASSERT(client);
    VIR_TEST_ASSERT_INT(rc1, 0);
    VIR_TEST_ASSERT_INT(rc2, 0);
    return 0;
}

/* ---- round trip, compared with a raw ping-pong ---------------------------- */

#define RTT_ROUNDS 20000

static void
srvRawEcho(testServer *srv)
{
    char buf[HDR_LEN];

    while (srvReadFull(srv->fd, buf, HDR_LEN) == 0) {
        if (srvWriteFull(srv->fd, buf, HDR_LEN) < 0)
            break;
    }
}

/* Answer each null call with the same bytes turned into a reply. */
static void
srvNullEcho(testServer *srv)
{
    char buf[HDR_LEN];

    while (srvReadFull(srv->fd, buf, HDR_LEN) == 0) {
        putU32(buf + 16, 1);
        if (srvWriteFull(srv->fd, buf, HDR_LEN) < 0)
            break;
    }
}

static double
testRawRoundTrip(void)
{
    testServer srv = { 0 };
    int sv[2];
    char buf[HDR_LEN] = { 0 };
    gint64 start;
    double us;

    /* A plain blocking socketpair, no client. */
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return -1;
    srv.fd = sv[1];
    srv.func = srvRawEcho;
    srv.thread = g_thread_new("raw-echo", srvThread, &srv);
    putU32(buf, HDR_LEN);
    start = g_get_monotonic_time();
    for (int i = 0; i < RTT_ROUNDS; i++) {
        if (srvWriteFull(sv[0], buf, HDR_LEN) < 0 || srvReadFull(sv[0], buf, HDR_LEN) < 0)
            break;
    }
    us = (double)(g_get_monotonic_time() - start) / RTT_ROUNDS;
    close(sv[0]);
    testServerFinish(&srv);
    return us;
}

static double
testClientRoundTrip(bool withLoop)
{
    testServer srv;
    virNetClient *client = testServerStart(&srv, srvNullEcho, NULL);
    virNetClientProgram *prog = testProgram();
    virEventThread *et = NULL;
    gint64 start;
    double us = -1;

    if (withLoop) {
        et = virEventThreadNew("test-loop");
        virNetClientAttachLoop(client, virEventThreadGetLoop(et));
    }
    start = g_get_monotonic_time();
    for (int i = 0; i < RTT_ROUNDS; i++) {
        if (virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                    TEST_PROC_NULL, 0, NULL, NULL, NULL,
                                    XDR_VOID, NULL,
                                    XDR_VOID, NULL) < 0)
            goto cleanup;
    }
    us = (double)(g_get_monotonic_time() - start) / RTT_ROUNDS;
 cleanup:
    virNetClientClose(client);
    virNetClientUnref(client);
    virEventThreadFree(et);
    virNetClientProgramUnref(prog);
    testServerFinish(&srv);
    return us;
}

static int
testRoundTrip(const void *data G_GNUC_UNUSED)
{
    double raw = testRawRoundTrip();
    double bare = testClientRoundTrip(false);
    double looped = testClientRoundTrip(true);

    VIR_TEST_ASSERT(raw > 0 && bare > 0 && looped > 0);
    printf("     round trip: raw %.2f us, client %.2f us (%.2fx), client with loop %.2f us (%.2fx)\n",
           raw, bare, bare / raw, looped, looped / raw);
    return 0;
}

int
main(void)
{
    signal(SIGPIPE, SIG_IGN);

    virTestRun("one call: exact bytes, reply decoded", testOneCall, NULL);
    virTestRun("error reply becomes the last error", testErrorReply, NULL);
    virTestRun("16 threads x 500 calls, replies out of order", testConcurrent, NULL);
    virTestRun("16 threads x 500 calls, with a loop attached", testConcurrent, "loop");
    virTestRun("event during a call is dispatched after it, from the loop",
               testEventDuringCall, NULL);
    virTestRun("PING while a call waits gets a PONG", testPing, NULL);
    virTestRun("PING between calls gets a PONG from the loop", testPing, "idle");
    virTestRun("server closes mid-call", testCloseMidCall, NULL);
    virTestRun("server closes mid-call, loop attached", testCloseMidCall, "loop");
    virTestRun("we close while calls wait", testCloseByClient, NULL);
    virTestRun("message without reply, client on a UNIX path", testNoReplyUNIX, NULL);
    virTestRun("length word below 28 closes the client", testBadLength,
               GUINT_TO_POINTER(16));
    virTestRun("length word above the maximum closes the client", testBadLength,
               GUINT_TO_POINTER(0xffffffffu));
    virTestRun("fd passing both ways", testPassFD, NULL);
    virTestRun("reply larger than the receive buffer", testLargeReply, NULL);
    virTestRun("reply timeout: call fails, connection lives, late reply dropped",
               testReplyTimeout, NULL);
    virTestRun("reply timeout, loop attached", testReplyTimeout, "loop");
    virTestRun("reply timeout of a call queued behind another thread's",
               testReplyTimeoutQueued, NULL);
    virTestRun("reply timeout of a half-written call: the stream stays in step",
               testReplyTimeoutHalfWritten, NULL);
    virTestRun("message over the connection's limit closes it", testMessageMax, NULL);
    virTestRun("unknown event from a strict peer closes the connection", testStrict, "strict");
    virTestRun("unknown event from a lenient peer is dropped", testStrict, NULL);
    virTestRun("keepalive: silent server closes the client", testKeepAliveDeath, NULL);
    if (!getenv("VIRTNET_TEST_NO_TIMING"))
        virTestRun("null call round trip", testRoundTrip, NULL);

    return virTestResult();
}
