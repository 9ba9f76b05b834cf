/*
 * test-rpc-server.c: the RPC server (src/rpc/virnetserver*.c and what it
 * uses) tested from the outside, over raw sockets.
 *
 * The server runs in this process: a demo server (tools/demo) on an event
 * loop thread, with a UNIX service in the test's temporary directory (and
 * TCP services where a case needs them). The client side never uses the
 * code under test: every byte sent is built here with the small XDR writer
 * below, and every byte received is decoded by the reader below. Expected
 * replies are written out literally where they are short.
 *
 * Cases: byte-exact replies, malformed input (each on its own connection,
 * with a long-lived connection that must keep working), random input, a
 * client that never reads (bounded memory), delayed close after events
 * (also with a queue of 20000 events), large messages up to the maximum,
 * many concurrent clients, broadcast events, keepalive, limits (clients,
 * requests per client, priority workers), graceful shutdown (also with a
 * stuck client and under connection load), fd passing and TCP loopback.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <glib.h>

#include "testutils.h"
#include "demoserver.h"
#include "virlog.h"

/* Wire constants, written out here rather than taken from the code under
 * test (they are libvirt's). */
#define T_DEMO_PROG 0x44454d4fU
#define T_DEMO_VERS 1U
#define T_KA_PROG 0x6b656570U
#define T_KA_PING 1U
#define T_KA_PONG 2U

#define T_CALL 0U
#define T_REPLY 1U
#define T_MESSAGE 2U
#define T_STREAM 3U
#define T_CALL_WITH_FDS 4U
#define T_REPLY_WITH_FDS 5U

#define T_OK 0U
#define T_ERROR 1U

#define T_PROC_NULL 1U
#define T_PROC_ECHO 2U
#define T_PROC_ADD 3U
#define T_PROC_SLEEP 4U
#define T_PROC_PRIO_NULL 5U
#define T_PROC_FAIL 7U
#define T_PROC_EMIT 9U
#define T_PROC_TICK 10U
#define T_PROC_RESERVED 11U
#define T_PROC_PASS_FD 12U

#define T_ERR_NO_SUPPORT 3
#define T_ERR_RPC 39
#define T_ERR_OPERATION_INVALID 55
#define T_FROM_RPC 7
#define T_ERR_LEVEL_ERROR 2

#define T_MSG_MAX (32U * 1024 * 1024)       /* payload + header */
#define T_LEN_MAX (T_MSG_MAX + 4)           /* largest valid length word */

/* Generous bound for "should arrive" waits; tight bounds are per case. */
#define T_WAIT_MS 5000


/* ---- time and memory ---------------------------------------------------- */

static int64_t
nowMs(void)
{
    return g_get_monotonic_time() / 1000;
}


/* Resident set size of this process (server included) in KiB, or -1. */
static long
rssKiB(void)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;

    if (!fp)
        return -1;
    while (fgets(line, sizeof(line), fp)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(fp);
    return kib;
}


/* ---- XDR writer --------------------------------------------------------- */

static void
putU32(GByteArray *b, uint32_t v)
{
    uint32_t be = htonl(v);

    g_byte_array_append(b, (const guint8 *)&be, 4);
}


static void
putOpaque(GByteArray *b, const void *data, size_t len)
{
    static const guint8 zero[4] = { 0 };

    putU32(b, (uint32_t)len);
    if (len)
        g_byte_array_append(b, data, len);
    if (len % 4)
        g_byte_array_append(b, zero, 4 - len % 4);
}


static void
putString(GByteArray *b, const char *s)
{
    putOpaque(b, s, strlen(s));
}


/* Start a message: placeholder length word and the header. */
static GByteArray *
msgNew(uint32_t prog, uint32_t vers, uint32_t proc, uint32_t type,
       uint32_t serial, uint32_t status)
{
    GByteArray *b = g_byte_array_new();

    putU32(b, 0);
    putU32(b, prog);
    putU32(b, vers);
    putU32(b, proc);
    putU32(b, type);
    putU32(b, serial);
    putU32(b, status);
    return b;
}


static GByteArray *
callNew(uint32_t proc, uint32_t serial)
{
    return msgNew(T_DEMO_PROG, T_DEMO_VERS, proc, T_CALL, serial, T_OK);
}


/* Fill in the length word. */
static void
msgFinish(GByteArray *b)
{
    uint32_t be = htonl(b->len);

    memcpy(b->data, &be, 4);
}


/* ---- raw socket I/O ----------------------------------------------------- */

static int
connectUNIX(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path))
        return -1;
    strcpy(addr.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int save = errno;
        close(fd);
        errno = save;
        return -1;
    }
    return fd;
}


static int
connectTCP(int family, int port)
{
    struct sockaddr_storage ss = { 0 };
    socklen_t len;
    int fd, on = 1;

    if (family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof(*in);
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        in6->sin6_addr = in6addr_loopback;
        len = sizeof(*in6);
    }
    if ((fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
        int save = errno;
        close(fd);
        errno = save;
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    return fd;
}


/* Write all of buf within timeout_ms. 0, or -1 (timeout or error). */
static int
sendAll(int fd, const void *buf, size_t len, int timeout_ms)
{
    const char *p = buf;
    int64_t deadline = nowMs() + timeout_ms;

    while (len > 0) {
        struct pollfd pfd = { .fd = fd, .events = POLLOUT };
        int64_t left = deadline - nowMs();
        ssize_t n;

        if (left <= 0)
            return -1;
        if (poll(&pfd, 1, (int)left) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (!(pfd.revents & (POLLOUT | POLLERR | POLLHUP)))
            continue;
        n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            return -1;
        }
        p += n;
        len -= n;
    }
    return 0;
}


static int
sendMsg(int fd, GByteArray *b)
{
    msgFinish(b);
    return sendAll(fd, b->data, b->len, T_WAIT_MS);
}


enum {
    RD_OK = 0,        /* got the bytes / a message */
    RD_EOF = 1,       /* clean end of file before any byte */
    RD_TIMEOUT = -1,  /* nothing (more) within the time */
    RD_ERROR = -2,    /* read error (errno kept), EOF inside a message, bad length */
};

static int lastReadErrno;

/* Read exactly len bytes before deadline (monotonic ms). */
static int
readFull(int fd, void *buf, size_t len, int64_t deadline)
{
    char *p = buf;
    size_t have = 0;

    while (have < len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int64_t left = deadline - nowMs();
        ssize_t n;

        if (left < 0)
            left = 0;
        if (poll(&pfd, 1, (int)left) < 0) {
            if (errno == EINTR)
                continue;
            lastReadErrno = errno;
            return RD_ERROR;
        }
        if (!pfd.revents) {
            if (left == 0)
                return RD_TIMEOUT;
            continue;
        }
        n = read(fd, p + have, len - have);   /* sockets and pipes */
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            lastReadErrno = errno;
            /* A reset before any byte of a message is still "closed". */
            if (have == 0 && errno == ECONNRESET)
                return RD_EOF;
            return RD_ERROR;
        }
        if (n == 0) {
            lastReadErrno = 0;
            return have == 0 ? RD_EOF : RD_ERROR;
        }
        have += n;
    }
    return RD_OK;
}


typedef struct {
    unsigned char *buf;      /* the whole message, length word included */
    size_t len;
    uint32_t prog, vers, proc, type, serial, status;
    size_t off;              /* read position in buf (payload start first) */
} testMsg;


static void
testMsgClear(testMsg *m)
{
    g_free(m->buf);
    memset(m, 0, sizeof(*m));
}


static uint32_t
getU32At(const unsigned char *p)
{
    uint32_t be;

    memcpy(&be, p, 4);
    return ntohl(be);
}


/* Read one length-prefixed message within timeout_ms. */
static int
readMsg(int fd, int timeout_ms, testMsg *m)
{
    int64_t deadline = nowMs() + timeout_ms;
    unsigned char lenbuf[4];
    uint32_t len;
    int rc;

    memset(m, 0, sizeof(*m));
    if ((rc = readFull(fd, lenbuf, 4, deadline)) != RD_OK)
        return rc;
    len = getU32At(lenbuf);
    if (len < 28 || len > T_LEN_MAX) {
        fprintf(stderr, "  server sent a message with length word %u\n", len);
        return RD_ERROR;
    }
    m->buf = g_malloc(len);
    m->len = len;
    memcpy(m->buf, lenbuf, 4);
    /* The rest of a started message gets the full wait. */
    if ((rc = readFull(fd, m->buf + 4, len - 4, nowMs() + T_WAIT_MS)) != RD_OK) {
        testMsgClear(m);
        return rc == RD_EOF ? RD_ERROR : rc;
    }
    m->prog = getU32At(m->buf + 4);
    m->vers = getU32At(m->buf + 8);
    m->proc = getU32At(m->buf + 12);
    m->type = getU32At(m->buf + 16);
    m->serial = getU32At(m->buf + 20);
    m->status = getU32At(m->buf + 24);
    m->off = 28;
    return RD_OK;
}


static const char *
readResultName(int rc)
{
    switch (rc) {
    case RD_OK: return "a message";
    case RD_EOF: return "end of file";
    case RD_TIMEOUT: return "nothing (timeout)";
    default: return "a read error";
    }
}


static bool
getU32(testMsg *m, uint32_t *v)
{
    if (m->off + 4 > m->len)
        return false;
    *v = getU32At(m->buf + m->off);
    m->off += 4;
    return true;
}


static bool
getI32(testMsg *m, int *v)
{
    uint32_t u;

    if (!getU32(m, &u))
        return false;
    *v = (int)u;
    return true;
}


static bool
getHyper(testMsg *m, int64_t *v)
{
    uint32_t hi, lo;

    if (!getU32(m, &hi) || !getU32(m, &lo))
        return false;
    *v = (int64_t)(((uint64_t)hi << 32) | lo);
    return true;
}


static bool
getString(testMsg *m, char **s)
{
    uint32_t len;
    size_t padded;

    if (!getU32(m, &len))
        return false;
    padded = ((size_t)len + 3) & ~(size_t)3;
    if (m->off + padded > m->len)
        return false;
    for (size_t i = len; i < padded; i++) {
        if (m->buf[m->off + i] != 0)
            return false;     /* XDR padding must be zero */
    }
    *s = g_strndup((const char *)m->buf + m->off, len);
    m->off += padded;
    return true;
}


/* Optional string (XDR pointer): 0, or 1 followed by the string. */
static bool
getOptString(testMsg *m, char **s)
{
    uint32_t present;

    *s = NULL;
    if (!getU32(m, &present) || present > 1)
        return false;
    return present == 0 || getString(m, s);
}


typedef struct {
    int code, domain, level, int1, int2;
    char *message, *str1, *str2, *str3;
} testError;


static void
testErrorClear(testError *e)
{
    g_free(e->message);
    g_free(e->str1);
    g_free(e->str2);
    g_free(e->str3);
    memset(e, 0, sizeof(*e));
}


/* Decode libvirt's remote_error from the payload; the payload must end
 * exactly after it. */
static bool
decodeError(testMsg *m, testError *e)
{
    uint32_t dom, net;

    memset(e, 0, sizeof(*e));
    m->off = 28;
    if (!getI32(m, &e->code) || !getI32(m, &e->domain) ||
        !getOptString(m, &e->message) || !getI32(m, &e->level) ||
        !getU32(m, &dom) || dom != 0 ||
        !getOptString(m, &e->str1) || !getOptString(m, &e->str2) ||
        !getOptString(m, &e->str3) ||
        !getI32(m, &e->int1) || !getI32(m, &e->int2) ||
        !getU32(m, &net) || net != 0 || m->off != m->len) {
        testErrorClear(e);
        return false;
    }
    return true;
}


/* The peer closes: EOF (or a reset) within timeout_ms, no byte before. */
static int
expectClosed(int fd, int timeout_ms, const char *what)
{
    testMsg m;
    int rc = readMsg(fd, timeout_ms, &m);

    if (rc == RD_EOF)
        return 0;
    if (rc == RD_OK) {
        fprintf(stderr, "  %s: expected the server to close, got a message "
                "(proc %u type %u status %u)\n", what, m.proc, m.type, m.status);
        testMsgClear(&m);
    } else {
        fprintf(stderr, "  %s: expected the server to close, got %s (%s)\n", what,
                readResultName(rc), rc == RD_ERROR ? g_strerror(lastReadErrno) : "");
    }
    return -1;
}


/* Nothing arrives within timeout_ms (connection stays open and silent). */
static int
expectSilence(int fd, int timeout_ms, const char *what)
{
    testMsg m;
    int rc = readMsg(fd, timeout_ms, &m);

    if (rc == RD_TIMEOUT)
        return 0;
    if (rc == RD_OK) {
        fprintf(stderr, "  %s: expected no message, got proc %u type %u status %u\n",
                what, m.proc, m.type, m.status);
        testMsgClear(&m);
    } else {
        fprintf(stderr, "  %s: expected no message, got %s\n", what, readResultName(rc));
    }
    return -1;
}


/* Expect a reply header for a demo call. */
static int
checkReplyHeader(const testMsg *m, uint32_t proc, uint32_t serial, uint32_t status)
{
    if (m->prog != T_DEMO_PROG || m->vers != T_DEMO_VERS || m->proc != proc ||
        m->type != T_REPLY || m->serial != serial || m->status != status) {
        fprintf(stderr, "  reply header: prog %#x vers %u proc %u type %u serial %u status %u; "
                "expected proc %u type %u serial %u status %u\n",
                m->prog, m->vers, m->proc, m->type, m->serial, m->status,
                proc, T_REPLY, serial, status);
        return -1;
    }
    return 0;
}


/* Read one message, which must be a reply header as given. */
static int
readReply(int fd, int timeout_ms, uint32_t proc, uint32_t serial, uint32_t status,
          testMsg *m)
{
    int rc = readMsg(fd, timeout_ms, m);

    if (rc != RD_OK) {
        fprintf(stderr, "  waiting for the reply to proc %u serial %u: got %s%s%s\n",
                proc, serial, readResultName(rc), rc == RD_ERROR ? ": " : "",
                rc == RD_ERROR ? g_strerror(lastReadErrno) : "");
        return -1;
    }
    if (checkReplyHeader(m, proc, serial, status) < 0) {
        testMsgClear(m);
        return -1;
    }
    return 0;
}


/* The exact reply to NULL with this serial. */
static void
nullReplyBytes(uint32_t serial, unsigned char out[28])
{
    const uint32_t words[7] = { 28, T_DEMO_PROG, T_DEMO_VERS, T_PROC_NULL,
                                T_REPLY, serial, T_OK };

    for (size_t i = 0; i < 7; i++) {
        uint32_t be = htonl(words[i]);
        memcpy(out + 4 * i, &be, 4);
    }
}


/* A NULL call on fd must be answered, byte for byte, within timeout_ms. */
static int
nullCallTimeout(int fd, uint32_t serial, int timeout_ms)
{
    g_autoptr(GByteArray) b = callNew(T_PROC_NULL, serial);
    unsigned char expect[28];
    testMsg m;
    int rc;

    if (sendMsg(fd, b) < 0) {
        fprintf(stderr, "  NULL call %u: cannot send: %s\n", serial, g_strerror(errno));
        return -1;
    }
    if ((rc = readMsg(fd, timeout_ms, &m)) != RD_OK) {
        fprintf(stderr, "  NULL call %u: got %s\n", serial, readResultName(rc));
        return -1;
    }
    nullReplyBytes(serial, expect);
    rc = virTestCompareBytes("NULL reply", m.buf, m.len, expect, sizeof(expect));
    testMsgClear(&m);
    return rc;
}


static int
nullCall(int fd, uint32_t serial)
{
    return nullCallTimeout(fd, serial, T_WAIT_MS);
}


/* Expect an error reply to proc/serial with this code (and VIR_FROM_RPC
 * unless domain < 0 means any). */
static int
expectErrorReply(int fd, uint32_t prog, uint32_t vers, uint32_t proc, uint32_t serial,
                 int code, const char *what)
{
    testMsg m;
    testError e;
    int rc = readMsg(fd, T_WAIT_MS, &m);
    int ret = -1;

    if (rc != RD_OK) {
        fprintf(stderr, "  %s: expected an error reply, got %s\n", what, readResultName(rc));
        return -1;
    }
    if (m.prog != prog || m.vers != vers || m.proc != proc || m.type != T_REPLY ||
        m.serial != serial || m.status != T_ERROR) {
        fprintf(stderr, "  %s: header prog %#x vers %u proc %u type %u serial %u status %u; "
                "expected prog %#x vers %u proc %u type %u serial %u status %u\n", what,
                m.prog, m.vers, m.proc, m.type, m.serial, m.status,
                prog, vers, proc, T_REPLY, serial, T_ERROR);
        goto cleanup;
    }
    if (!decodeError(&m, &e)) {
        fprintf(stderr, "  %s: error payload does not decode (%zu bytes)\n", what, m.len - 28);
        goto cleanup;
    }
    if (e.code != code || e.domain != T_FROM_RPC || e.level != T_ERR_LEVEL_ERROR ||
        !e.message || !*e.message) {
        fprintf(stderr, "  %s: error code %d domain %d level %d message '%s'; expected "
                "code %d domain %d level %d with a message\n", what, e.code, e.domain,
                e.level, e.message ? e.message : "(null)", code, T_FROM_RPC,
                T_ERR_LEVEL_ERROR);
        testErrorClear(&e);
        goto cleanup;
    }
    if (virTestVerbose())
        fprintf(stderr, "  %s: error %d: %s\n", what, e.code, e.message);
    testErrorClear(&e);
    ret = 0;
 cleanup:
    testMsgClear(&m);
    return ret;
}


/* ---- servers ------------------------------------------------------------ */

typedef struct {
    virEventThread *thread;
    virEventLoop *loop;
    virNetServer *srv;
    virNetServerProgram *prog;
    char *path;
    int port4;          /* TCP 127.0.0.1, 0 if none */
    int port6;          /* TCP ::1, 0 if none */
    bool shutDown;
} testServer;

enum {
    TS_TCP4 = 1 << 0,
    TS_TCP6 = 1 << 1,
};


static void
testServerStop(testServer *ts)
{
    if (ts->srv) {
        if (!ts->shutDown)
            virNetServerShutdown(ts->srv, 2000);
        virNetServerUnref(ts->srv);
    }
    virEventThreadFree(ts->thread);
    g_free(ts->path);
    memset(ts, 0, sizeof(*ts));
}


static int
testServerStart(testServer *ts, const char *name, const virNetServerConfig *cfg,
                unsigned int flags)
{
    virNetServerService *svc;

    memset(ts, 0, sizeof(*ts));
    ts->path = g_strdup_printf("%s/%s.sock", virTestTempDir(), name);
    if (!(ts->thread = virEventThreadNew(name)))
        goto error;
    ts->loop = virEventThreadGetLoop(ts->thread);
    if (!(ts->srv = demoServerNew(cfg, ts->loop, &ts->prog)))
        goto error;
    if (!(svc = virNetServerServiceNewUNIX(ts->path, 0700, (gid_t)-1,
                                           VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 128)) ||
        virNetServerAddService(ts->srv, svc) < 0)
        goto error;
    if (flags & TS_TCP4) {
        if (!(svc = virNetServerServiceNewTCP("127.0.0.1", "0",
                                              VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 128)) ||
            virNetServerAddService(ts->srv, svc) < 0)
            goto error;
        ts->port4 = virNetServerServiceGetPort(svc);
    }
    if (flags & TS_TCP6) {
        /* Optional: hosts without IPv6 just get no ::1 service. */
        if ((svc = virNetServerServiceNewTCP("::1", "0",
                                             VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 128))) {
            if (virNetServerAddService(ts->srv, svc) < 0)
                goto error;
            ts->port6 = virNetServerServiceGetPort(svc);
        }
    }
    if (virNetServerStart(ts->srv) < 0)
        goto error;
    return 0;

 error:
    fprintf(stderr, "  cannot start server %s: %s\n", name, virGetLastErrorMessage());
    testServerStop(ts);
    return -1;
}


/* Wait until the server counts n clients (closes are asynchronous). */
static int
waitNClients(testServer *ts, size_t n, int timeout_ms)
{
    int64_t deadline = nowMs() + timeout_ms;
    size_t have;

    while ((have = virNetServerGetNClients(ts->srv)) != n) {
        if (nowMs() > deadline) {
            fprintf(stderr, "  server has %zu clients, expected %zu\n", have, n);
            return -1;
        }
        g_usleep(2000);
    }
    return 0;
}


/* The shared server (default config) and a connection that lives across
 * the malformed-input cases. */
static testServer mainServer;
static int longFd = -1;
static uint32_t longSerial = 1000;


static int
longCheck(void)
{
    if (nullCall(longFd, ++longSerial) < 0) {
        fprintf(stderr, "  the long-lived connection stopped working\n");
        return -1;
    }
    return 0;
}


/* ---- 1. byte-exact replies ---------------------------------------------- */

static int
testNullExact(const void *data G_GNUC_UNUSED)
{
    /* NULL call, serial 0x2a, and its reply, written out. */
    static const unsigned char call[28] = {
        0x00, 0x00, 0x00, 0x1c, 0x44, 0x45, 0x4d, 0x4f, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a,
        0x00, 0x00, 0x00, 0x00,
    };
    static const unsigned char reply[28] = {
        0x00, 0x00, 0x00, 0x1c, 0x44, 0x45, 0x4d, 0x4f, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x2a,
        0x00, 0x00, 0x00, 0x00,
    };
    testMsg m;
    int fd = connectUNIX(mainServer.path);
    int ret = -1;

    VIR_TEST_ASSERT(fd >= 0);
    if (sendAll(fd, call, sizeof(call), T_WAIT_MS) < 0 ||
        readMsg(fd, T_WAIT_MS, &m) != RD_OK)
        goto cleanup;
    ret = virTestCompareBytes("NULL reply", m.buf, m.len, reply, sizeof(reply));
    testMsgClear(&m);
    /* Same connection, several calls in one write: replies in order. */
    if (ret == 0) {
        g_autoptr(GByteArray) all = g_byte_array_new();
        for (uint32_t s = 1; s <= 3; s++) {
            g_autoptr(GByteArray) b = callNew(T_PROC_NULL, s);
            msgFinish(b);
            g_byte_array_append(all, b->data, b->len);
        }
        if (sendAll(fd, all->data, all->len, T_WAIT_MS) < 0)
            ret = -1;
        for (uint32_t s = 1; s <= 3 && ret == 0; s++) {
            unsigned char expect[28];
            if (readMsg(fd, T_WAIT_MS, &m) != RD_OK) {
                ret = -1;
                break;
            }
            nullReplyBytes(s, expect);
            ret = virTestCompareBytes("pipelined NULL reply", m.buf, m.len, expect, 28);
            testMsgClear(&m);
        }
    }
 cleanup:
    close(fd);
    return ret;
}


static int
testAddExact(const void *data G_GNUC_UNUSED)
{
    static const unsigned char call[36] = {
        0x00, 0x00, 0x00, 0x24, 0x44, 0x45, 0x4d, 0x4f, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x28,     /* a = 40 */
        0x00, 0x00, 0x00, 0x02,     /* b = 2 */
    };
    static const unsigned char reply[36] = {
        0x00, 0x00, 0x00, 0x24, 0x44, 0x45, 0x4d, 0x4f, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a,   /* hyper 42 */
    };
    testMsg m;
    int fd = connectUNIX(mainServer.path);
    int ret = -1;

    VIR_TEST_ASSERT(fd >= 0);
    if (sendAll(fd, call, sizeof(call), T_WAIT_MS) < 0 ||
        readMsg(fd, T_WAIT_MS, &m) != RD_OK)
        goto cleanup;
    ret = virTestCompareBytes("ADD reply", m.buf, m.len, reply, sizeof(reply));
    testMsgClear(&m);

    /* Sign and width: -2147483648 + -1 needs the hyper. */
    if (ret == 0) {
        g_autoptr(GByteArray) b = callNew(T_PROC_ADD, 8);
        int64_t sum = 0;
        putU32(b, 0x80000000U);
        putU32(b, 0xffffffffU);
        ret = -1;
        if (sendMsg(fd, b) == 0 && readReply(fd, T_WAIT_MS, T_PROC_ADD, 8, T_OK, &m) == 0) {
            if (getHyper(&m, &sum) && m.off == m.len && sum == -2147483649LL)
                ret = 0;
            else
                fprintf(stderr, "  ADD INT_MIN + -1 = %" PRId64 "\n", sum);
            testMsgClear(&m);
        }
    }
 cleanup:
    close(fd);
    return ret;
}


static int
testEcho(const void *data G_GNUC_UNUSED)
{
    /* Lengths 0..5 cover every padding; then a larger text. */
    const char *texts[] = { "", "a", "ab", "abc", "abcd", "h\xc3\xa9llo, world", NULL };
    g_autofree char *big = NULL;
    int fd = connectUNIX(mainServer.path);
    int ret = -1;
    uint32_t serial = 100;

    VIR_TEST_ASSERT(fd >= 0);
    big = g_malloc(100001);
    for (size_t i = 0; i < 100000; i++)
        big[i] = 'a' + i % 26;
    big[100000] = '\0';

    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
        const char *text = texts[i] ? texts[i] : big;
        g_autoptr(GByteArray) b = callNew(T_PROC_ECHO, ++serial);
        testMsg m;

        putString(b, text);
        msgFinish(b);
        if (sendAll(fd, b->data, b->len, T_WAIT_MS) < 0 ||
            readMsg(fd, T_WAIT_MS, &m) != RD_OK)
            goto cleanup;
        /* The reply is the call with type REPLY: same header otherwise,
         * same XDR string (including zero padding). */
        b->data[19] = T_REPLY;
        if (virTestCompareBytes("ECHO reply", m.buf, m.len, b->data, b->len) < 0) {
            testMsgClear(&m);
            goto cleanup;
        }
        testMsgClear(&m);
    }
    ret = 0;
 cleanup:
    close(fd);
    return ret;
}


static int
testFail(const void *data G_GNUC_UNUSED)
{
    g_autoptr(GByteArray) b = callNew(T_PROC_FAIL, 77);
    testMsg m;
    testError e;
    int fd = connectUNIX(mainServer.path);
    int ret = -1;

    VIR_TEST_ASSERT(fd >= 0);
    putU32(b, T_ERR_OPERATION_INVALID);
    putString(b, "the demo says no");
    if (sendMsg(fd, b) < 0 || readReply(fd, T_WAIT_MS, T_PROC_FAIL, 77, T_ERROR, &m) < 0)
        goto cleanup;
    if (!decodeError(&m, &e)) {
        fprintf(stderr, "  error payload does not decode\n");
        testMsgClear(&m);
        goto cleanup;
    }
    testMsgClear(&m);
    if (e.code != T_ERR_OPERATION_INVALID || e.domain != T_FROM_RPC ||
        e.level != T_ERR_LEVEL_ERROR || !e.message ||
        !strstr(e.message, "the demo says no") ||
        /* libvirt's prefix for VIR_ERR_OPERATION_INVALID */
        strcmp(e.message, "Requested operation is not valid: the demo says no") != 0) {
        fprintf(stderr, "  error code %d domain %d level %d message '%s'\n",
                e.code, e.domain, e.level, e.message ? e.message : "(null)");
        testErrorClear(&e);
        goto cleanup;
    }
    testErrorClear(&e);
    /* The connection survives an error reply. */
    ret = nullCall(fd, 78);
 cleanup:
    close(fd);
    return ret;
}


/* ---- 2. malformed input ------------------------------------------------- */

/* Send raw bytes on a fresh connection, expect the server to close it
 * without a reply. */
static int
rawExpectClose(const void *bytes, size_t len, const char *what)
{
    int fd = connectUNIX(mainServer.path);
    int ret;

    VIR_TEST_ASSERT(fd >= 0);
    if (sendAll(fd, bytes, len, T_WAIT_MS) < 0) {
        /* The server may close before we finished writing: fine. */
        if (errno != EPIPE && errno != ECONNRESET) {
            close(fd);
            VIR_TEST_FAIL("%s: send failed: %s", what, g_strerror(errno));
        }
    }
    ret = expectClosed(fd, T_WAIT_MS, what);
    close(fd);
    if (ret < 0)
        return -1;
    return longCheck();
}


static int
testLenTooSmall(const void *data G_GNUC_UNUSED)
{
    static const unsigned char four[4] = { 0, 0, 0, 4 };
    static const unsigned char zero[4] = { 0, 0, 0, 0 };
    unsigned char l27[28] = { 0, 0, 0, 27 };   /* 27 + whatever follows */

    memcpy(l27 + 4, "\x44\x45\x4d\x4f\0\0\0\1\0\0\0\1\0\0\0\0\0\0\0\1\0\0\0", 23);
    if (rawExpectClose(four, 4, "length 4") < 0 ||
        rawExpectClose(zero, 4, "length 0") < 0 ||
        rawExpectClose(l27, 27, "length 27") < 0)
        return -1;
    return 0;
}


static int
testLenTooLarge(const void *data G_GNUC_UNUSED)
{
    static const unsigned char huge[4] = { 0x7f, 0xff, 0xff, 0xff };
    static const unsigned char all1[4] = { 0xff, 0xff, 0xff, 0xff };
    unsigned char over[4], max[4];
    long before = rssKiB(), after;
    int fd;
    uint32_t be;

    VIR_TEST_ASSERT(before > 0);
    if (rawExpectClose(huge, 4, "length 0x7fffffff") < 0 ||
        rawExpectClose(all1, 4, "length 0xffffffff") < 0)
        return -1;
    /* One past the maximum (32 MiB + 4 + 1) is refused... */
    be = htonl(T_LEN_MAX + 1);
    memcpy(over, &be, 4);
    if (rawExpectClose(over, 4, "length 32 MiB + 5") < 0)
        return -1;
    after = rssKiB();
    if (after - before > 10 * 1024)
        VIR_TEST_FAIL("RSS grew by %ld KiB refusing oversized lengths", after - before);

    /* ...while the maximum itself is accepted: the server waits for the
     * rest instead of closing. */
    be = htonl(T_LEN_MAX);
    memcpy(max, &be, 4);
    fd = connectUNIX(mainServer.path);
    VIR_TEST_ASSERT(fd >= 0);
    if (sendAll(fd, max, 4, T_WAIT_MS) < 0 ||
        expectSilence(fd, 300, "length 32 MiB + 4") < 0) {
        close(fd);
        return -1;
    }
    close(fd);
    return longCheck();
}


static int
testTruncatedHeader(const void *data G_GNUC_UNUSED)
{
    g_autoptr(GByteArray) b = callNew(T_PROC_NULL, 1);
    int fd;

    msgFinish(b);
    /* Client closes after part of the header. */
    fd = connectUNIX(mainServer.path);
    VIR_TEST_ASSERT(fd >= 0);
    VIR_TEST_ASSERT(sendAll(fd, b->data, 14, T_WAIT_MS) == 0);
    close(fd);
    if (longCheck() < 0)
        return -1;

    /* Half-close after part of the message: the server sees EOF inside a
     * message and closes, no reply. */
    fd = connectUNIX(mainServer.path);
    VIR_TEST_ASSERT(fd >= 0);
    VIR_TEST_ASSERT(sendAll(fd, b->data, 20, T_WAIT_MS) == 0);
    shutdown(fd, SHUT_WR);
    if (expectClosed(fd, T_WAIT_MS, "EOF inside the header") < 0) {
        close(fd);
        return -1;
    }
    close(fd);

    /* Only the length word, then EOF. */
    fd = connectUNIX(mainServer.path);
    VIR_TEST_ASSERT(fd >= 0);
    VIR_TEST_ASSERT(sendAll(fd, b->data, 4, T_WAIT_MS) == 0);
    shutdown(fd, SHUT_WR);
    if (expectClosed(fd, T_WAIT_MS, "EOF after the length word") < 0) {
        close(fd);
        return -1;
    }
    close(fd);
    return longCheck();
}


typedef struct {
    const char *name;
    uint32_t prog, vers, proc, type, status;
    const unsigned char *payload;
    size_t payloadLen;
    int code;             /* expected error code; 0: no reply at all */
} badCallCase;

/* ECHO: string length 1000 but only 4 bytes of text. */
static const unsigned char echoShort[8] = { 0, 0, 0x03, 0xe8, 'a', 'b', 'c', 'd' };
/* ECHO: string longer than DEMO_STRING_MAX (4 MiB) claimed. */
static const unsigned char echoTooLong[8] = { 0, 0x40, 0, 1, 'a', 'b', 'c', 'd' };
/* ADD: two ints and 3 extra bytes. */
static const unsigned char addExtra[11] = { 0, 0, 0, 40, 0, 0, 0, 2, 1, 2, 3 };
/* ADD: two ints and 4 extra bytes (a whole word too many). */
static const unsigned char addExtraWord[12] = { 0, 0, 0, 40, 0, 0, 0, 2, 0, 0, 0, 0 };
/* ADD: one int only. */
static const unsigned char addShort[4] = { 0, 0, 0, 40 };
/* NULL with a payload. */
static const unsigned char nullExtra[4] = { 0, 0, 0, 0 };

static const badCallCase badCalls[] = {
    { "unknown program", 0x12345678, 1, 1, T_CALL, T_OK, NULL, 0, T_ERR_RPC },
    { "wrong version", T_DEMO_PROG, 2, T_PROC_NULL, T_CALL, T_OK, NULL, 0, T_ERR_RPC },
    { "version 0", T_DEMO_PROG, 0, T_PROC_NULL, T_CALL, T_OK, NULL, 0, T_ERR_RPC },
    { "unknown procedure 999", T_DEMO_PROG, 1, 999, T_CALL, T_OK, NULL, 0, T_ERR_NO_SUPPORT },
    { "procedure 0", T_DEMO_PROG, 1, 0, T_CALL, T_OK, NULL, 0, T_ERR_NO_SUPPORT },
    { "negative procedure", T_DEMO_PROG, 1, 0xfffffffeU, T_CALL, T_OK, NULL, 0,
      T_ERR_NO_SUPPORT },
    { "unimplemented RESERVED", T_DEMO_PROG, 1, T_PROC_RESERVED, T_CALL, T_OK, NULL, 0,
      T_ERR_NO_SUPPORT },
    { "event TICK as a call", T_DEMO_PROG, 1, T_PROC_TICK, T_CALL, T_OK, NULL, 0,
      T_ERR_NO_SUPPORT },
    { "call with status ERROR", T_DEMO_PROG, 1, T_PROC_NULL, T_CALL, T_ERROR, NULL, 0,
      T_ERR_RPC },
    { "ECHO string longer than payload", T_DEMO_PROG, 1, T_PROC_ECHO, T_CALL, T_OK,
      echoShort, sizeof(echoShort), T_ERR_RPC },
    { "ECHO string over its maximum", T_DEMO_PROG, 1, T_PROC_ECHO, T_CALL, T_OK,
      echoTooLong, sizeof(echoTooLong), T_ERR_RPC },
    { "ECHO without payload", T_DEMO_PROG, 1, T_PROC_ECHO, T_CALL, T_OK, NULL, 0, T_ERR_RPC },
    { "ADD with 3 extra bytes", T_DEMO_PROG, 1, T_PROC_ADD, T_CALL, T_OK,
      addExtra, sizeof(addExtra), T_ERR_RPC },
    { "ADD with an extra word", T_DEMO_PROG, 1, T_PROC_ADD, T_CALL, T_OK,
      addExtraWord, sizeof(addExtraWord), T_ERR_RPC },
    { "ADD short", T_DEMO_PROG, 1, T_PROC_ADD, T_CALL, T_OK, addShort, sizeof(addShort),
      T_ERR_RPC },
    { "NULL with a payload", T_DEMO_PROG, 1, T_PROC_NULL, T_CALL, T_OK,
      nullExtra, sizeof(nullExtra), T_ERR_RPC },
    /* Not calls: dropped without an answer. */
    { "REPLY from the client", T_DEMO_PROG, 1, T_PROC_NULL, T_REPLY, T_OK, NULL, 0, 0 },
    { "MESSAGE from the client", T_DEMO_PROG, 1, T_PROC_TICK, T_MESSAGE, T_OK, NULL, 0, 0 },
    { "STREAM from the client", T_DEMO_PROG, 1, T_PROC_ECHO, T_STREAM, T_OK, NULL, 0, 0 },
    { "REPLY_WITH_FDS from the client", T_DEMO_PROG, 1, T_PROC_NULL, T_REPLY_WITH_FDS, T_OK,
      NULL, 0, 0 },
    { "unknown type 77", T_DEMO_PROG, 1, T_PROC_NULL, 77, T_OK, NULL, 0, 0 },
    { "REPLY for an unknown program", 0x12345678, 1, 1, T_REPLY, T_OK, NULL, 0, 0 },
    { "keepalive of another version", T_KA_PROG, 2, T_KA_PING, T_MESSAGE, T_OK, NULL, 0, 0 },
};


static int
testBadCall(const void *data)
{
    const badCallCase *c = data;
    g_autoptr(GByteArray) b = msgNew(c->prog, c->vers, c->proc, c->type, 4242, c->status);
    int fd = connectUNIX(mainServer.path);
    int ret = -1;

    VIR_TEST_ASSERT(fd >= 0);
    if (c->payloadLen)
        g_byte_array_append(b, c->payload, c->payloadLen);
    if (sendMsg(fd, b) < 0)
        goto cleanup;
    if (c->code) {
        if (expectErrorReply(fd, c->prog, c->vers, c->proc, 4242, c->code, c->name) < 0)
            goto cleanup;
    } else {
        /* Dropped: nothing comes back. The NULL call right after must get
         * the first message on the connection (nullCall checks its exact
         * bytes, so a stray reply to the dropped message fails it). */
        if (expectSilence(fd, 100, c->name) < 0)
            goto cleanup;
    }
    /* The connection itself is still usable... */
    if (nullCall(fd, 4243) < 0)
        goto cleanup;
    /* ...and so is everyone else's. */
    ret = longCheck();
 cleanup:
    close(fd);
    return ret;
}


static int
testRandomBytes(const void *data G_GNUC_UNUSED)
{
    GRand *rnd = g_rand_new_with_seed(20240611);
    int nreplies[2] = { 0, 0 };
    int ret = -1;

    for (int i = 0; i < 200; i++) {
        unsigned char buf[256];
        size_t len = g_rand_int_range(rnd, 1, sizeof(buf) + 1);
        int fd;
        int rc;
        testMsg m;

        for (size_t j = 0; j < len; j++)
            buf[j] = g_rand_int_range(rnd, 0, 256);
        /* 1 in 4: pure noise. 2 in 4: a plausible length word (exact, so
         * the message is complete, or anything up to 300). Of those, half
         * carry a demo CALL header for a procedure that is safe to run
         * with random arguments, so the argument decoders and handlers
         * see random data. (Not SLEEP, EMIT or PASS_FD: random arguments
         * there mean long sleeps, millions of events, or fds.) */
        if (i % 4 != 0 && len >= 4) {
            uint32_t be = htonl(len >= 28 && i % 3 ? (uint32_t)len :
                                (uint32_t)g_rand_int_range(rnd, 28, 300));
            memcpy(buf, &be, 4);
        }
        if (i % 2 && len >= 28) {
            static const uint32_t safe[] = { 1, 2, 3, 5, 6, 7, 8, 11, 10, 999 };
            uint32_t words[5] = {
                htonl(T_DEMO_PROG), htonl(T_DEMO_VERS),
                htonl(safe[g_rand_int_range(rnd, 0, G_N_ELEMENTS(safe))]),
                htonl(T_CALL), 0,
            };
            memcpy(buf + 4, words, 16);   /* serial stays random */
            memset(buf + 24, 0, 4);       /* status OK */
            /* small string lengths now and then, so ECHO/FAIL decode */
            if (len >= 32 && i % 8 == 1) {
                uint32_t sl = htonl(g_rand_int_range(rnd, 0, len - 28));
                memcpy(buf + (i % 16 == 1 ? 28 : 32), &sl, 4);
            }
        }
        if ((fd = connectUNIX(mainServer.path)) < 0) {
            fprintf(stderr, "  connection %d refused: %s\n", i, g_strerror(errno));
            goto cleanup;
        }
        sendAll(fd, buf, len, T_WAIT_MS);   /* the server may have closed already */
        shutdown(fd, SHUT_WR);
        /* Whatever comes back, the server must end with a close: it got
         * EOF from us. Replies (errors) may precede it. */
        while ((rc = readMsg(fd, T_WAIT_MS, &m)) == RD_OK) {
            nreplies[m.status == T_OK ? 0 : 1]++;
            testMsgClear(&m);
        }
        close(fd);
        if (rc == RD_TIMEOUT) {
            fprintf(stderr, "  connection %d (%zu random bytes): server did not close\n",
                    i, len);
            goto cleanup;
        }
        if (i % 50 == 49 && longCheck() < 0)
            goto cleanup;
    }
    if (virTestVerbose())
        fprintf(stderr, "  %d successful and %d error replies\n", nreplies[0], nreplies[1]);
    /* The generator is meant to reach the handlers, not only the framing. */
    if (nreplies[0] + nreplies[1] < 20) {
        fprintf(stderr, "  only %d replies: the random calls did not reach the dispatcher\n",
                nreplies[0] + nreplies[1]);
        goto cleanup;
    }
    ret = longCheck();
 cleanup:
    g_rand_free(rnd);
    return ret;
}


/* ---- 3. a client that never reads -------------------------------------- */

typedef struct {
    int fd;
    GByteArray *msg;         /* one ECHO call; serial patched per copy */
    int count;
    int sent;                /* complete calls written (atomic) */
    gint64 bytes;            /* bytes written (atomic) */
    int err;                 /* errno of a failed send */
} slowWriter;


static gpointer
slowWriterRun(gpointer opaque)
{
    slowWriter *w = opaque;
    GByteArray *copy = g_byte_array_sized_new(w->msg->len);

    g_byte_array_append(copy, w->msg->data, w->msg->len);
    for (int i = 0; i < w->count; i++) {
        uint32_t serial = htonl(i + 1);
        size_t off = 0;

        memcpy(copy->data + 20, &serial, 4);
        while (off < copy->len) {
            ssize_t n = send(w->fd, copy->data + off, copy->len - off, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                w->err = errno;
                g_byte_array_unref(copy);
                return NULL;
            }
            off += n;
            g_atomic_pointer_add(&w->bytes, n);
        }
        g_atomic_int_inc(&w->sent);
    }
    g_byte_array_unref(copy);
    return NULL;
}


/* Wait until the writer makes no progress for quiet_ms. Returns false if
 * it finished instead (the server never pushed back). */
static bool
slowWriterWaitStall(slowWriter *w, int quiet_ms, int timeout_ms)
{
    int64_t deadline = nowMs() + timeout_ms;
    gint64 last = -1;
    int64_t since = nowMs();

    while (nowMs() < deadline) {
        gint64 b = g_atomic_pointer_get(&w->bytes);
        if (g_atomic_int_get(&w->sent) == w->count || w->err)
            return false;
        if (b != last) {
            last = b;
            since = nowMs();
        } else if (nowMs() - since >= quiet_ms) {
            return true;
        }
        g_usleep(10000);
    }
    return false;
}


#define SLOW_TEXT (200 * 1024)
#define SLOW_CALLS 500

static int
testSlowClient(const void *data G_GNUC_UNUSED)
{
    g_autoptr(GByteArray) call = callNew(T_PROC_ECHO, 0);
    g_autofree char *text = g_malloc(SLOW_TEXT + 1);
    slowWriter wa = { 0 }, wb = { 0 };
    GThread *ta = NULL, *tb = NULL;
    long before, during;
    int fa = -1, fb = -1, other = -1;
    int ret = -1;
    size_t baseClients;

    for (size_t i = 0; i < SLOW_TEXT; i++)
        text[i] = 'A' + i % 23;
    text[SLOW_TEXT] = '\0';
    putString(call, text);
    msgFinish(call);

    other = connectUNIX(mainServer.path);
    VIR_TEST_ASSERT(other >= 0);
    if (nullCall(other, 1) < 0)
        goto cleanup;
    baseClients = virNetServerGetNClients(mainServer.srv);
    before = rssKiB();

    /* A: writes 500 x 200 KiB calls and reads nothing (for now). */
    fa = connectUNIX(mainServer.path);
    VIR_TEST_ASSERT(fa >= 0);
    wa.fd = fa;
    wa.msg = call;
    wa.count = SLOW_CALLS;
    ta = g_thread_new("slow-a", slowWriterRun, &wa);
    if (!slowWriterWaitStall(&wa, 500, 20000)) {
        fprintf(stderr, "  the server kept reading from a client that reads nothing "
                "(%d of %d calls sent, error %s)\n", g_atomic_int_get(&wa.sent),
                SLOW_CALLS, wa.err ? g_strerror(wa.err) : "none");
        goto cleanup;
    }
    during = rssKiB();
    if (virTestVerbose())
        fprintf(stderr, "  stalled after %d calls (%" G_GINT64_FORMAT " bytes); RSS +%ld KiB\n",
                g_atomic_int_get(&wa.sent), (gint64)g_atomic_pointer_get(&wa.bytes),
                during - before);
    if (during - before > 64 * 1024) {
        fprintf(stderr, "  RSS grew by %ld KiB for a client that does not read\n",
                during - before);
        goto cleanup;
    }
    /* The server still serves others meanwhile. */
    if (nullCallTimeout(other, 2, 1000) < 0)
        goto cleanup;

    /* B: same, then goes away with everything still queued. */
    fb = connectUNIX(mainServer.path);
    VIR_TEST_ASSERT(fb >= 0);
    wb.fd = fb;
    wb.msg = call;
    wb.count = SLOW_CALLS;
    tb = g_thread_new("slow-b", slowWriterRun, &wb);
    if (!slowWriterWaitStall(&wb, 300, 20000)) {
        fprintf(stderr, "  second slow client never stalled\n");
        goto cleanup;
    }
    during = rssKiB();
    if (during - before > 64 * 1024) {
        fprintf(stderr, "  RSS grew by %ld KiB for two clients that do not read\n",
                during - before);
        goto cleanup;
    }
    shutdown(fb, SHUT_RDWR);      /* unblocks B's writer */
    g_thread_join(tb);
    tb = NULL;
    close(fb);
    fb = -1;
    if (nullCallTimeout(other, 3, 1000) < 0)
        goto cleanup;

    /* A starts reading: every reply arrives, in order, intact; the server
     * resumes reading A's calls as slots free up. */
    for (int i = 0; i < SLOW_CALLS; i++) {
        testMsg m;
        if (readReply(fa, 10000, T_PROC_ECHO, i + 1, T_OK, &m) < 0) {
            fprintf(stderr, "  reply %d of %d\n", i + 1, SLOW_CALLS);
            goto cleanup;
        }
        if (m.len != call->len || memcmp(m.buf + 28, call->data + 28, call->len - 28) != 0) {
            fprintf(stderr, "  reply %d: payload differs (%zu bytes)\n", i + 1, m.len);
            testMsgClear(&m);
            goto cleanup;
        }
        testMsgClear(&m);
    }
    g_thread_join(ta);
    ta = NULL;
    if (wa.err) {
        fprintf(stderr, "  writer A failed: %s\n", g_strerror(wa.err));
        goto cleanup;
    }
    close(fa);
    fa = -1;
    if (waitNClients(&mainServer, baseClients, T_WAIT_MS) < 0)
        goto cleanup;
    ret = nullCall(other, 4);

 cleanup:
    if (fa >= 0)
        shutdown(fa, SHUT_RDWR);
    if (fb >= 0)
        shutdown(fb, SHUT_RDWR);
    if (ta)
        g_thread_join(ta);
    if (tb)
        g_thread_join(tb);
    if (fa >= 0)
        close(fa);
    if (fb >= 0)
        close(fb);
    if (other >= 0)
        close(other);
    return ret;
}


/* ---- 4. delayed close after events -------------------------------------- */

/* One EMIT(count, close_after=1) on a new connection: the reply, every
 * TICK in order, then a clean EOF. */
static int
emitOnce(uint32_t count, uint32_t serial, bool quiet)
{
    g_autoptr(GByteArray) b = callNew(T_PROC_EMIT, serial);
    int fd = connectUNIX(mainServer.path);
    bool gotReply = false;
    uint32_t ticks = 0;
    int ret = -1;

    if (fd < 0) {
        if (!quiet)
            fprintf(stderr, "  connect: %s\n", g_strerror(errno));
        return -1;
    }
    putU32(b, count);
    putU32(b, 1);
    if (sendMsg(fd, b) < 0)
        goto cleanup;
    for (;;) {
        testMsg m;
        int rc = readMsg(fd, T_WAIT_MS, &m);

        if (rc == RD_EOF) {
            if (lastReadErrno != 0) {
                if (!quiet)
                    fprintf(stderr, "  connection reset instead of EOF: %s\n",
                            g_strerror(lastReadErrno));
                goto cleanup;
            }
            break;
        }
        if (rc != RD_OK) {
            if (!quiet)
                fprintf(stderr, "  after %u ticks%s: got %s\n", ticks,
                        gotReply ? " and the reply" : "", readResultName(rc));
            goto cleanup;
        }
        if (m.type == T_REPLY) {
            if (gotReply || checkReplyHeader(&m, T_PROC_EMIT, serial, T_OK) < 0 ||
                m.len != 28) {
                testMsgClear(&m);
                goto cleanup;
            }
            gotReply = true;
        } else {
            uint32_t seq = 0;
            char *text = NULL;
            g_autofree char *want = g_strdup_printf("tick %u", ticks);
            bool ok = m.prog == T_DEMO_PROG && m.vers == T_DEMO_VERS &&
                      m.proc == T_PROC_TICK && m.type == T_MESSAGE && m.serial == 0 &&
                      m.status == T_OK && getU32(&m, &seq) && getString(&m, &text) &&
                      m.off == m.len && seq == ticks && strcmp(text, want) == 0;
            if (!ok && !quiet)
                fprintf(stderr, "  unexpected message proc %u type %u (tick %u)\n",
                        m.proc, m.type, ticks);
            g_free(text);
            if (!ok) {
                testMsgClear(&m);
                goto cleanup;
            }
            ticks++;
        }
        testMsgClear(&m);
    }
    if (!gotReply || ticks != count) {
        if (!quiet)
            fprintf(stderr, "  EOF after %u of %u ticks, reply %s\n", ticks, count,
                    gotReply ? "received" : "missing");
        goto cleanup;
    }
    ret = 0;
 cleanup:
    close(fd);
    return ret;
}


static int
testDelayedClose(const void *data G_GNUC_UNUSED)
{
    int ok = 0;
    int firstBad = -1;

    for (int i = 0; i < 1000; i++) {
        /* counts 0..3 (mostly 3); only the first failure is explained */
        uint32_t count = i % 8 == 0 ? (uint32_t)(i / 8) % 4 : 3;
        if (emitOnce(count, i + 1, firstBad >= 0) == 0)
            ok++;
        else if (firstBad < 0)
            firstBad = i;
    }
    if (ok != 1000)
        VIR_TEST_FAIL("delayed close: %d/1000 complete (first failure at %d)", ok, firstBad);
    return longCheck();
}


/* Delayed close when the output does not fit in the socket: 20000 TICKs
 * (about 880 KB) queue up while the client does not read; the close must
 * wait for all of them. */
static int
testDelayedCloseQueued(const void *data G_GNUC_UNUSED)
{
    for (int round = 0; round < 3; round++) {
        g_autoptr(GByteArray) b = callNew(T_PROC_EMIT, 1);
        int fd = connectUNIX(mainServer.path);
        uint32_t ticks = 0;
        bool gotReply = false;
        int64_t t0;
        long rss0, rss1;
        int rc;
        testMsg m;

        VIR_TEST_ASSERT(fd >= 0);
        putU32(b, 20000);
        putU32(b, 1);
        rss0 = rssKiB();
        t0 = nowMs();
        VIR_TEST_ASSERT(sendMsg(fd, b) == 0);
        g_usleep(100 * 1000);       /* let the server fill the socket */
        /* Meanwhile the server serves others promptly: queueing events
         * for a slow reader must not keep the loop thread busy. */
        if (nullCallTimeout(longFd, ++longSerial, 2000) < 0) {
            fprintf(stderr, "  round %d: other clients stalled while 20000 events queued "
                    "for a client that does not read yet\n", round);
            close(fd);
            return -1;
        }
        /* The EMIT handler is done (the loop answered the NULL call): the
         * events wait in the queue. ~880 KB of messages must not cost much
         * more than that. */
        rss1 = rssKiB();
        if (virTestVerbose())
            fprintf(stderr, "  round %d: 20000 queued events: RSS +%ld KiB\n", round,
                    rss1 - rss0);
        if (rss1 - rss0 > 16 * 1024) {
            fprintf(stderr, "  round %d: 20000 queued 44-byte events grew RSS by %ld KiB\n",
                    round, rss1 - rss0);
            close(fd);
            return -1;
        }
        while ((rc = readMsg(fd, T_WAIT_MS, &m)) == RD_OK) {
            if (m.type == T_REPLY) {
                gotReply = checkReplyHeader(&m, T_PROC_EMIT, 1, T_OK) == 0;
            } else {
                uint32_t seq = UINT32_MAX;
                if (m.proc != T_PROC_TICK || !getU32(&m, &seq) || seq != ticks) {
                    fprintf(stderr, "  round %d: message %u is proc %u seq %u\n",
                            round, ticks, m.proc, seq);
                    testMsgClear(&m);
                    close(fd);
                    return -1;
                }
                ticks++;
            }
            testMsgClear(&m);
        }
        close(fd);
        /* A guard against a hang, not a speed target (that is a benchmark's
         * business): the machine may be loaded. */
        if (nowMs() - t0 > 60000)
            VIR_TEST_FAIL("round %d: 20000 events took %" PRId64 " ms", round, nowMs() - t0);
        if (rc != RD_EOF || lastReadErrno != 0 || ticks != 20000 || !gotReply)
            VIR_TEST_FAIL("round %d: %u of 20000 ticks, reply %s, then %s (%s)", round,
                          ticks, gotReply ? "ok" : "missing", readResultName(rc),
                          lastReadErrno ? g_strerror(lastReadErrno) : "clean");
    }
    return longCheck();
}


/* A client that goes away with a worker call in flight: the reply is
 * dropped, the client is released. */
static int
testCloseWithCallInFlight(const void *data G_GNUC_UNUSED)
{
    size_t base = virNetServerGetNClients(mainServer.srv);

    for (int i = 0; i < 20; i++) {
        g_autoptr(GByteArray) b = callNew(T_PROC_SLEEP, 1);
        g_autoptr(GByteArray) c = callNew(T_PROC_ECHO, 2);
        int fd = connectUNIX(mainServer.path);

        VIR_TEST_ASSERT(fd >= 0);
        putU32(b, 50 + 10 * (i % 5));
        putString(c, "queued behind the sleep");
        VIR_TEST_ASSERT(sendMsg(fd, b) == 0 && sendMsg(fd, c) == 0);
        if (i % 2)
            g_usleep(20 * 1000);
        close(fd);
    }
    g_usleep(200 * 1000);
    if (waitNClients(&mainServer, base, T_WAIT_MS) < 0)
        return -1;
    return longCheck();
}


/* Calls that run inline are not held up behind a worker call of the same
 * client. */
static int
testInlineNotBehindWorker(const void *data G_GNUC_UNUSED)
{
    g_autoptr(GByteArray) all = g_byte_array_new();
    g_autoptr(GByteArray) s = callNew(T_PROC_SLEEP, 1);
    g_autoptr(GByteArray) n = callNew(T_PROC_NULL, 2);
    int fd = connectUNIX(mainServer.path);
    int64_t t0;
    testMsg m;
    int ret = -1;

    VIR_TEST_ASSERT(fd >= 0);
    putU32(s, 400);
    msgFinish(s);
    msgFinish(n);
    g_byte_array_append(all, s->data, s->len);
    g_byte_array_append(all, n->data, n->len);
    t0 = nowMs();
    if (sendAll(fd, all->data, all->len, T_WAIT_MS) < 0)
        goto cleanup;
    if (readReply(fd, T_WAIT_MS, T_PROC_NULL, 2, T_OK, &m) < 0)
        goto cleanup;
    testMsgClear(&m);
    if (nowMs() - t0 > 200) {
        fprintf(stderr, "  NULL answered after %" PRId64 " ms, behind a 400 ms SLEEP\n",
                nowMs() - t0);
        goto cleanup;
    }
    if (readReply(fd, T_WAIT_MS, T_PROC_SLEEP, 1, T_OK, &m) < 0)
        goto cleanup;
    testMsgClear(&m);
    ret = 0;
 cleanup:
    close(fd);
    return ret;
}


/* ---- large messages ----------------------------------------------------- */

static uint32_t
adler32(const unsigned char *p, size_t len)
{
    uint32_t a = 1, b = 0;

    for (size_t i = 0; i < len; i++) {
        a = (a + p[i]) % 65521;
        b = (b + a) % 65521;
    }
    return (b << 16) | a;
}


static int
testLargeMessages(const void *data G_GNUC_UNUSED)
{
    const size_t strMax = 4194304;          /* DEMO_STRING_MAX */
    const size_t blobMax = 16777216;        /* DEMO_BLOB_MAX */
    const size_t maxData = T_LEN_MAX - 28 - 4;   /* opaque filling a maximal message */
    g_autofree unsigned char *bytes = g_malloc(maxData);
    g_autofree char *text = g_malloc(strMax + 2);
    int fd = connectUNIX(mainServer.path);
    testMsg m;
    int ret = -1;

    VIR_TEST_ASSERT(fd >= 0);
    for (size_t i = 0; i < maxData; i++)
        bytes[i] = (unsigned char)(i * 2654435761U >> 13);
    for (size_t i = 0; i < strMax + 1; i++)
        text[i] = 'a' + i % 26;

    /* ECHO of the largest string: round trip. */
    text[strMax] = '\0';
    {
        g_autoptr(GByteArray) b = callNew(T_PROC_ECHO, 1);
        putString(b, text);
        msgFinish(b);
        if (sendAll(fd, b->data, b->len, T_WAIT_MS) < 0 || readMsg(fd, T_WAIT_MS, &m) != RD_OK)
            goto cleanup;
        b->data[19] = T_REPLY;
        if (virTestCompareBytes("4 MiB ECHO reply", m.buf, m.len, b->data, b->len) < 0) {
            testMsgClear(&m);
            goto cleanup;
        }
        testMsgClear(&m);
    }
    /* One byte more is refused with an error reply. */
    text[strMax] = 'x';
    text[strMax + 1] = '\0';
    {
        g_autoptr(GByteArray) b = callNew(T_PROC_ECHO, 2);
        putString(b, text);
        if (sendMsg(fd, b) < 0 ||
            expectErrorReply(fd, T_DEMO_PROG, 1, T_PROC_ECHO, 2, T_ERR_RPC, "ECHO 4 MiB + 1") < 0)
            goto cleanup;
    }
    /* BLOB of the largest size: checksum computed by the server. */
    {
        g_autoptr(GByteArray) b = callNew(6, 3);
        int64_t length = 0;
        uint32_t sum = 0;
        putOpaque(b, bytes, blobMax);
        if (sendMsg(fd, b) < 0 || readReply(fd, T_WAIT_MS, 6, 3, T_OK, &m) < 0)
            goto cleanup;
        if (!getHyper(&m, &length) || !getU32(&m, &sum) || m.off != m.len ||
            length != (int64_t)blobMax || sum != adler32(bytes, blobMax)) {
            fprintf(stderr, "  BLOB 16 MiB: length %" PRId64 " checksum %#x, expected %#x\n",
                    length, sum, adler32(bytes, blobMax));
            testMsgClear(&m);
            goto cleanup;
        }
        testMsgClear(&m);
    }
    /* A message of exactly the maximum size (length word 32 MiB + 4) is
     * read whole; its BLOB is over the type's limit: error reply, and the
     * stream stays in sync. */
    {
        g_autoptr(GByteArray) b = callNew(6, 4);
        putOpaque(b, bytes, maxData);
        if (b->len != T_LEN_MAX) {
            fprintf(stderr, "  test bug: message of %u bytes\n", b->len);
            goto cleanup;
        }
        if (sendMsg(fd, b) < 0 ||
            expectErrorReply(fd, T_DEMO_PROG, 1, 6, 4, T_ERR_RPC, "maximal BLOB") < 0)
            goto cleanup;
    }
    if (nullCall(fd, 5) < 0)
        goto cleanup;
    ret = longCheck();
 cleanup:
    close(fd);
    return ret;
}


/* ---- many clients at once ----------------------------------------------- */

typedef struct {
    const char *path;
    int id;
    int failures;
    char err[256];
} stressClient;


static gpointer
stressClientRun(gpointer opaque)
{
    stressClient *sc = opaque;
    int fd = connectUNIX(sc->path);

    if (fd < 0) {
        g_snprintf(sc->err, sizeof(sc->err), "connect: %s", g_strerror(errno));
        sc->failures++;
        return NULL;
    }
    for (int batch = 0; batch < 40 && !sc->failures; batch++) {
        g_autoptr(GByteArray) all = g_byte_array_new();
        bool seen[10] = { false };

        for (uint32_t k = 0; k < 10; k++) {
            uint32_t serial = batch * 10 + k + 1;
            uint32_t proc = (uint32_t[]){ T_PROC_ADD, T_PROC_ECHO, T_PROC_NULL,
                                          T_PROC_PRIO_NULL, T_PROC_ADD }[k % 5];
            g_autoptr(GByteArray) b = callNew(proc, serial);
            if (proc == T_PROC_ADD) {
                putU32(b, sc->id * 100000 + serial);
                putU32(b, serial);
            } else if (proc == T_PROC_ECHO) {
                g_autofree char *t = g_strdup_printf("client %d call %u %*s", sc->id, serial,
                                                     (int)(serial % 700), "");
                putString(b, t);
            }
            msgFinish(b);
            g_byte_array_append(all, b->data, b->len);
        }
        if (sendAll(fd, all->data, all->len, T_WAIT_MS) < 0) {
            g_snprintf(sc->err, sizeof(sc->err), "send: %s", g_strerror(errno));
            sc->failures++;
            break;
        }
        for (int k = 0; k < 10; k++) {
            testMsg m;
            uint32_t idx;
            int rc = readMsg(fd, T_WAIT_MS, &m);
            bool ok;

            if (rc != RD_OK) {
                g_snprintf(sc->err, sizeof(sc->err), "batch %d: got %s", batch,
                           readResultName(rc));
                sc->failures++;
                break;
            }
            idx = m.serial - batch * 10 - 1;
            ok = m.type == T_REPLY && m.status == T_OK && idx < 10 && !seen[idx];
            if (ok) {
                uint32_t serial = m.serial;
                seen[idx] = true;
                if (m.proc == T_PROC_ADD) {
                    int64_t sum = 0;
                    ok = idx % 5 == 0 || idx % 5 == 4;
                    ok = ok && getHyper(&m, &sum) && m.off == m.len &&
                         sum == (int64_t)sc->id * 100000 + 2 * serial;
                } else if (m.proc == T_PROC_ECHO) {
                    g_autofree char *t = g_strdup_printf("client %d call %u %*s", sc->id,
                                                         serial, (int)(serial % 700), "");
                    char *got = NULL;
                    ok = idx % 5 == 1 && getString(&m, &got) && m.off == m.len &&
                         strcmp(got, t) == 0;
                    g_free(got);
                } else {
                    ok = (m.proc == T_PROC_NULL && idx % 5 == 2) ||
                         (m.proc == T_PROC_PRIO_NULL && idx % 5 == 3);
                    ok = ok && m.len == 28;
                }
            }
            if (!ok) {
                g_snprintf(sc->err, sizeof(sc->err),
                           "bad reply proc %u type %u status %u serial %u", m.proc, m.type,
                           m.status, m.serial);
                sc->failures++;
                testMsgClear(&m);
                break;
            }
            testMsgClear(&m);
        }
    }
    close(fd);
    return NULL;
}


static int
testManyClients(const void *data G_GNUC_UNUSED)
{
    stressClient sc[16];
    GThread *th[16];
    int failed = 0;

    for (int i = 0; i < 16; i++) {
        sc[i] = (stressClient){ .path = mainServer.path, .id = i + 1 };
        th[i] = g_thread_new("stress", stressClientRun, &sc[i]);
    }
    for (int i = 0; i < 16; i++) {
        g_thread_join(th[i]);
        if (sc[i].failures) {
            fprintf(stderr, "  client %d: %s\n", i + 1, sc[i].err);
            failed++;
        }
    }
    if (failed)
        return -1;
    return longCheck();
}


/* ---- 5. keepalive ------------------------------------------------------- */

static void
kaBytes(uint32_t proc, unsigned char out[28])
{
    const uint32_t words[7] = { 28, T_KA_PROG, 1, proc, T_MESSAGE, 0, T_OK };

    for (size_t i = 0; i < 7; i++) {
        uint32_t be = htonl(words[i]);
        memcpy(out + 4 * i, &be, 4);
    }
}


static int
testKeepaliveServer(const void *data G_GNUC_UNUSED)
{
    virNetServerConfig cfg;
    testServer ts;
    unsigned char ping[28], pong[28];
    int mute = -1, alive = -1;
    int npings = 0, nanswered = 0;
    int64_t start, closedAt = -1;
    int ret = -1;

    virNetServerConfigDefaults(&cfg);
    cfg.keepalive_interval = 1;
    cfg.keepalive_count = 2;
    cfg.keepalive_all = true;
    if (testServerStart(&ts, "keepalive", &cfg, 0) < 0)
        return -1;
    kaBytes(T_KA_PING, ping);
    kaBytes(T_KA_PONG, pong);

    mute = connectUNIX(ts.path);
    alive = connectUNIX(ts.path);
    if (mute < 0 || alive < 0)
        goto cleanup;
    start = nowMs();

    /* Both at once for 5.5 s: `mute` never answers, `alive` answers every
     * PING with a PONG. */
    while (nowMs() - start < 5500) {
        struct pollfd pfd[2] = {
            { .fd = closedAt < 0 ? mute : -1, .events = POLLIN },
            { .fd = alive, .events = POLLIN },
        };
        if (poll(pfd, 2, 100) < 0 && errno != EINTR)
            goto cleanup;
        if (pfd[0].revents) {
            testMsg m;
            int rc = readMsg(mute, T_WAIT_MS, &m);
            if (rc == RD_EOF) {
                closedAt = nowMs();
            } else if (rc != RD_OK) {
                fprintf(stderr, "  mute client: %s\n", readResultName(rc));
                goto cleanup;
            } else {
                int cmp = virTestCompareBytes("PING", m.buf, m.len, ping, sizeof(ping));
                testMsgClear(&m);
                if (cmp < 0)
                    goto cleanup;
                npings++;
            }
        }
        if (pfd[1].revents) {
            testMsg m;
            int rc = readMsg(alive, T_WAIT_MS, &m);
            int cmp;
            if (rc != RD_OK) {
                fprintf(stderr, "  answering client after %.1f s: %s\n",
                        (nowMs() - start) / 1000.0, readResultName(rc));
                goto cleanup;
            }
            cmp = virTestCompareBytes("PING", m.buf, m.len, ping, sizeof(ping));
            testMsgClear(&m);
            if (cmp < 0 || sendAll(alive, pong, sizeof(pong), T_WAIT_MS) < 0)
                goto cleanup;
            nanswered++;
        }
    }

    if (closedAt < 0) {
        fprintf(stderr, "  a client that never answers was not closed within 5.5 s "
                "(%d PINGs)\n", npings);
        goto cleanup;
    }
    if (closedAt - start < 2000 || closedAt - start > 5000) {
        fprintf(stderr, "  silent client closed after %.2f s, expected 2..5 s\n",
                (closedAt - start) / 1000.0);
        goto cleanup;
    }
    if (npings != 2) {
        fprintf(stderr, "  silent client got %d PINGs before the close, expected 2\n", npings);
        goto cleanup;
    }
    if (nanswered < 2) {
        fprintf(stderr, "  answering client got only %d PINGs in 5.5 s\n", nanswered);
        goto cleanup;
    }
    /* Still connected and served. */
    if (nullCall(alive, 9) < 0)
        goto cleanup;
    if (virTestVerbose())
        fprintf(stderr, "  silent client closed after %.2f s; %d PINGs answered\n",
                (closedAt - start) / 1000.0, nanswered);
    ret = 0;
 cleanup:
    if (mute >= 0)
        close(mute);
    if (alive >= 0)
        close(alive);
    testServerStop(&ts);
    return ret;
}


static int
testPingPong(const void *data G_GNUC_UNUSED)
{
    unsigned char ping[28], pong[28];
    testMsg m;
    int fd = connectUNIX(mainServer.path);
    int ret = -1;

    VIR_TEST_ASSERT(fd >= 0);
    kaBytes(T_KA_PING, ping);
    kaBytes(T_KA_PONG, pong);
    /* Keepalive was never started on this (default config) server: a PING
     * is still answered. */
    if (sendAll(fd, ping, sizeof(ping), T_WAIT_MS) < 0 || readMsg(fd, T_WAIT_MS, &m) != RD_OK)
        goto cleanup;
    ret = virTestCompareBytes("PONG", m.buf, m.len, pong, sizeof(pong));
    testMsgClear(&m);
    if (ret < 0)
        goto cleanup;
    /* A PONG out of the blue is swallowed; a keepalive proc we do not know
     * too. Then a NULL call gets the next message. */
    {
        g_autoptr(GByteArray) odd = msgNew(T_KA_PROG, 1, 3, T_MESSAGE, 0, T_OK);
        msgFinish(odd);
        if (sendAll(fd, pong, sizeof(pong), T_WAIT_MS) < 0 ||
            sendAll(fd, odd->data, odd->len, T_WAIT_MS) < 0 ||
            nullCall(fd, 5) < 0)
            ret = -1;
    }
 cleanup:
    close(fd);
    return ret;
}


/* ---- 6. limits ---------------------------------------------------------- */

static int
testMaxClients(const void *data G_GNUC_UNUSED)
{
    virNetServerConfig cfg;
    testServer ts;
    int fds[4] = { -1, -1, -1, -1 };
    int ret = -1;

    virNetServerConfigDefaults(&cfg);
    cfg.max_clients = 3;
    if (testServerStart(&ts, "maxclients", &cfg, 0) < 0)
        return -1;
    for (int i = 0; i < 3; i++) {
        if ((fds[i] = connectUNIX(ts.path)) < 0 || nullCall(fds[i], i + 1) < 0)
            goto cleanup;
    }
    if (waitNClients(&ts, 3, T_WAIT_MS) < 0)
        goto cleanup;
    /* The kernel takes the 4th connection; the server does not. */
    if ((fds[3] = connectUNIX(ts.path)) < 0) {
        fprintf(stderr, "  4th connect: %s\n", g_strerror(errno));
        goto cleanup;
    }
    {
        g_autoptr(GByteArray) b = callNew(T_PROC_NULL, 44);
        if (sendMsg(fds[3], b) < 0 || expectSilence(fds[3], 500, "4th client") < 0)
            goto cleanup;
    }
    if (virNetServerGetNClients(ts.srv) != 3) {
        fprintf(stderr, "  server has %zu clients with max_clients 3\n",
                virNetServerGetNClients(ts.srv));
        goto cleanup;
    }
    /* One leaves: the 4th is accepted and its call answered. */
    close(fds[1]);
    fds[1] = -1;
    {
        testMsg m;
        unsigned char expect[28];
        if (readMsg(fds[3], 2000, &m) != RD_OK) {
            fprintf(stderr, "  4th client not served after a slot freed up\n");
            goto cleanup;
        }
        nullReplyBytes(44, expect);
        if (virTestCompareBytes("4th NULL reply", m.buf, m.len, expect, 28) < 0) {
            testMsgClear(&m);
            goto cleanup;
        }
        testMsgClear(&m);
    }
    if (nullCall(fds[0], 10) < 0 || nullCall(fds[2], 11) < 0 || nullCall(fds[3], 12) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    for (int i = 0; i < 4; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
    }
    testServerStop(&ts);
    return ret;
}


static int
testMaxRequests(const void *data G_GNUC_UNUSED)
{
    virNetServerConfig cfg;
    testServer ts;
    g_autoptr(GByteArray) all = g_byte_array_new();
    int64_t start, at[6];
    int fd = -1;
    int ret = -1;

    virNetServerConfigDefaults(&cfg);
    cfg.max_client_requests = 2;
    cfg.min_workers = 6;
    cfg.max_workers = 10;       /* workers are not the limit here */
    if (testServerStart(&ts, "maxreq", &cfg, 0) < 0)
        return -1;
    if ((fd = connectUNIX(ts.path)) < 0)
        goto cleanup;
    for (uint32_t s = 1; s <= 6; s++) {
        g_autoptr(GByteArray) b = callNew(T_PROC_SLEEP, s);
        putU32(b, 300);
        msgFinish(b);
        g_byte_array_append(all, b->data, b->len);
    }
    start = nowMs();
    if (sendAll(fd, all->data, all->len, T_WAIT_MS) < 0)
        goto cleanup;
    for (int i = 0; i < 6; i++) {
        testMsg m;
        if (readMsg(fd, T_WAIT_MS, &m) != RD_OK) {
            fprintf(stderr, "  only %d of 6 SLEEP replies\n", i);
            goto cleanup;
        }
        at[i] = nowMs() - start;
        /* Two run at a time, and replies may come in either order within a
         * pair; every serial exactly once overall is checked by the sum. */
        if (m.prog != T_DEMO_PROG || m.proc != T_PROC_SLEEP || m.type != T_REPLY ||
            m.status != T_OK || m.len != 28 || m.serial < 1 || m.serial > 6) {
            fprintf(stderr, "  unexpected reply proc %u type %u status %u serial %u\n",
                    m.proc, m.type, m.status, m.serial);
            testMsgClear(&m);
            goto cleanup;
        }
        testMsgClear(&m);
    }
    if (virTestVerbose())
        fprintf(stderr, "  replies at %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64
                " %" PRId64 " %" PRId64 " ms\n", at[0], at[1], at[2], at[3], at[4], at[5]);
    /* Pairs: ~300, ~600, ~900 ms. More than 2 at once would bring the
     * 3rd reply in at ~300 ms. */
    if (at[2] < 550 || at[4] < 850 || at[5] < 850) {
        fprintf(stderr, "  more than 2 calls of one client ran at once: replies at "
                "%" PRId64 ", %" PRId64 ", %" PRId64 " ms\n", at[1], at[2], at[5]);
        goto cleanup;
    }
    /* ...and exactly 2: with 1 at a time it would take 1800 ms. */
    if (at[5] > 1500) {
        fprintf(stderr, "  6 x 300 ms with 2 in flight took %" PRId64 " ms\n", at[5]);
        goto cleanup;
    }
    ret = nullCall(fd, 7);
 cleanup:
    if (fd >= 0)
        close(fd);
    testServerStop(&ts);
    return ret;
}


/* The two workers sleep this long; the priority and inline calls must
 * answer well within it (a call that waited for a worker would take it
 * all), with room for a loaded machine under a sanitizer. */
#define PRIO_SLEEP_MS 3000
#define PRIO_BOUND_MS 2000

static int
testPriority(const void *data G_GNUC_UNUSED)
{
    virNetServerConfig cfg;
    testServer ts;
    int c1 = -1, c2 = -1, c3 = -1;
    int64_t t0, t;
    testMsg m;
    int ret = -1;

    virNetServerConfigDefaults(&cfg);
    cfg.min_workers = 1;
    cfg.max_workers = 2;
    cfg.prio_workers = 1;
    if (testServerStart(&ts, "prio", &cfg, 0) < 0)
        return -1;
    if ((c1 = connectUNIX(ts.path)) < 0 || (c2 = connectUNIX(ts.path)) < 0 ||
        (c3 = connectUNIX(ts.path)) < 0)
        goto cleanup;
    {
        g_autoptr(GByteArray) s1 = callNew(T_PROC_SLEEP, 1);
        g_autoptr(GByteArray) s2 = callNew(T_PROC_SLEEP, 2);
        putU32(s1, PRIO_SLEEP_MS);
        putU32(s2, PRIO_SLEEP_MS);
        t0 = nowMs();
        if (sendMsg(c1, s1) < 0 || sendMsg(c2, s2) < 0)
            goto cleanup;
    }
    g_usleep(100 * 1000);   /* both workers now sleep */

    /* A priority call jumps past the busy workers. */
    {
        g_autoptr(GByteArray) b = callNew(T_PROC_PRIO_NULL, 3);
        t = nowMs();
        if (sendMsg(c3, b) < 0 || readReply(c3, T_WAIT_MS, T_PROC_PRIO_NULL, 3, T_OK, &m) < 0)
            goto cleanup;
        testMsgClear(&m);
        if (nowMs() - t >= PRIO_BOUND_MS) {
            fprintf(stderr, "  PRIO_NULL took %" PRId64 " ms with the workers busy\n",
                    nowMs() - t);
            goto cleanup;
        }
    }
    /* An inline call does not need a worker at all. */
    t = nowMs();
    if (nullCallTimeout(c3, 4, PRIO_BOUND_MS) < 0)
        goto cleanup;
    /* A normal worker call waits for a worker: proof the workers were
     * really busy (otherwise the two checks above prove nothing). */
    {
        g_autoptr(GByteArray) b = callNew(T_PROC_ADD, 5);
        putU32(b, 1);
        putU32(b, 2);
        t = nowMs();
        if (sendMsg(c3, b) < 0 || readReply(c3, T_WAIT_MS, T_PROC_ADD, 5, T_OK, &m) < 0)
            goto cleanup;
        testMsgClear(&m);
        if (nowMs() - t0 < PRIO_SLEEP_MS - 100) {
            fprintf(stderr, "  ADD answered %" PRId64 " ms after two %d ms SLEEPs started "
                    "with max_workers 2\n", nowMs() - t0, PRIO_SLEEP_MS);
            goto cleanup;
        }
    }
    if (readReply(c1, T_WAIT_MS, T_PROC_SLEEP, 1, T_OK, &m) < 0)
        goto cleanup;
    testMsgClear(&m);
    if (readReply(c2, T_WAIT_MS, T_PROC_SLEEP, 2, T_OK, &m) < 0)
        goto cleanup;
    testMsgClear(&m);
    ret = 0;
 cleanup:
    if (c1 >= 0)
        close(c1);
    if (c2 >= 0)
        close(c2);
    if (c3 >= 0)
        close(c3);
    testServerStop(&ts);
    return ret;
}


/* ---- 7. graceful shutdown ----------------------------------------------- */

static int
testShutdown(const void *data G_GNUC_UNUSED)
{
    virNetServerConfig cfg;
    testServer ts;
    int busy = -1, idle = -1, late = -1;
    int64_t t;
    testMsg m;
    int ret = -1;

    virNetServerConfigDefaults(&cfg);
    if (testServerStart(&ts, "shutdown", &cfg, 0) < 0)
        return -1;
    if ((busy = connectUNIX(ts.path)) < 0 || (idle = connectUNIX(ts.path)) < 0 ||
        nullCall(idle, 1) < 0)
        goto cleanup;
    t = nowMs();
    {
        g_autoptr(GByteArray) b = callNew(T_PROC_SLEEP, 7);
        unsigned long long before = demoServerCalls();
        int waited = 0;

        putU32(b, 500);
        if (sendMsg(busy, b) < 0)
            goto cleanup;
        /* Shut down only once the handler runs (the demo handlers count
         * themselves on entry): a call still unread in the socket is not
         * in flight, and a loaded machine may take a while to read it. */
        while (demoServerCalls() == before && waited++ < 2000)
            g_usleep(1000);
        if (demoServerCalls() == before) {
            fprintf(stderr, "  the SLEEP call never started\n");
            goto cleanup;
        }
    }

    virNetServerShutdown(ts.srv, 5000);
    ts.shutDown = true;
    /* Measured from the call, not from the shutdown: on a loaded machine
     * the 100 ms nap may overrun, but shutdown must still wait for the
     * 500 ms call to finish. */
    t = nowMs() - t;
    if (t < 480 || t > 3500) {
        fprintf(stderr, "  shutdown returned %" PRId64 " ms after a 500 ms call was sent\n", t);
        goto cleanup;
    }
    /* The call in flight was answered, then the connection closed. */
    if (readReply(busy, 1000, T_PROC_SLEEP, 7, T_OK, &m) < 0)
        goto cleanup;
    testMsgClear(&m);
    if (expectClosed(busy, 1000, "busy client after shutdown") < 0 ||
        expectClosed(idle, 1000, "idle client after shutdown") < 0)
        goto cleanup;
    /* No new client is served: refused outright, or left unaccepted. */
    late = connectUNIX(ts.path);
    if (late >= 0) {
        g_autoptr(GByteArray) b = callNew(T_PROC_NULL, 1);
        int rc;
        if (sendMsg(late, b) == 0 && (rc = readMsg(late, 500, &m)) != RD_TIMEOUT &&
            rc != RD_EOF) {
            if (rc == RD_OK)
                testMsgClear(&m);
            fprintf(stderr, "  a client connecting after shutdown got %s\n",
                    readResultName(rc));
            goto cleanup;
        }
    } else if (errno != ECONNREFUSED && errno != ENOENT) {
        fprintf(stderr, "  connect after shutdown: %s\n", g_strerror(errno));
        goto cleanup;
    }
    if (virNetServerGetNClients(ts.srv) != 0) {
        fprintf(stderr, "  %zu clients left after shutdown\n",
                virNetServerGetNClients(ts.srv));
        goto cleanup;
    }
    ret = 0;
 cleanup:
    if (busy >= 0)
        close(busy);
    if (idle >= 0)
        close(idle);
    if (late >= 0)
        close(late);
    testServerStop(&ts);
    return ret;
}


/* Shutdown with a client that never reads its (large) reply: returns
 * after about the timeout, and the client is closed. */
static int
testShutdownStuckClient(const void *data G_GNUC_UNUSED)
{
    virNetServerConfig cfg;
    testServer ts;
    g_autoptr(GByteArray) b = callNew(T_PROC_ECHO, 1);
    g_autofree char *text = g_malloc(3 * 1024 * 1024 + 1);
    int fd = -1;
    int64_t t;
    testMsg m;
    int rc, ret = -1;

    memset(text, 'z', 3 * 1024 * 1024);
    text[3 * 1024 * 1024] = '\0';
    putString(b, text);
    virNetServerConfigDefaults(&cfg);
    if (testServerStart(&ts, "shutdown-stuck", &cfg, 0) < 0)
        return -1;
    if ((fd = connectUNIX(ts.path)) < 0 || sendMsg(fd, b) < 0)
        goto cleanup;
    /* The reply has begun to arrive: the rest of it is stuck behind the
     * socket buffer (a fixed sleep was too short on a loaded machine). */
    {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };

        if (poll(&pfd, 1, 10000) != 1) {
            fprintf(stderr, "  the echo's reply did not begin\n");
            goto cleanup;
        }
    }
    t = nowMs();
    virNetServerShutdown(ts.srv, 700);
    ts.shutDown = true;
    t = nowMs() - t;
    if (t < 600 || t > 2500) {
        fprintf(stderr, "  shutdown with a stuck client took %" PRId64 " ms (timeout 700)\n", t);
        goto cleanup;
    }
    /* The start of the reply may be there; then the connection ends. */
    rc = readMsg(fd, T_WAIT_MS, &m);
    if (rc == RD_OK) {
        fprintf(stderr, "  a 3 MiB reply was completed after the client was closed?\n");
        testMsgClear(&m);
        goto cleanup;
    }
    if (rc == RD_TIMEOUT) {
        fprintf(stderr, "  the stuck client was not closed\n");
        goto cleanup;
    }
    ret = 0;
 cleanup:
    if (fd >= 0)
        close(fd);
    testServerStop(&ts);
    return ret;
}


typedef struct {
    char *path;                 /* owned */
    volatile int stop;
    int served, refused, closed;
    int bad;
} hammerState;


static gpointer
hammerRun(gpointer opaque)
{
    hammerState *hs = opaque;
    uint32_t serial = 0;

    while (!g_atomic_int_get(&hs->stop)) {
        g_autoptr(GByteArray) b = callNew(T_PROC_NULL, ++serial);
        unsigned char expect[28];
        testMsg m;
        int fd = connectUNIX(hs->path);
        int rc;

        if (fd < 0) {
            g_atomic_int_inc(&hs->refused);
            g_usleep(1000);
            continue;
        }
        if (sendMsg(fd, b) < 0) {
            g_atomic_int_inc(&hs->closed);
            close(fd);
            continue;
        }
        rc = readMsg(fd, 1000, &m);
        if (rc == RD_OK) {
            nullReplyBytes(serial, expect);
            if (m.len == 28 && memcmp(m.buf, expect, 28) == 0)
                g_atomic_int_inc(&hs->served);
            else
                g_atomic_int_inc(&hs->bad);
            testMsgClear(&m);
        } else if (rc == RD_EOF || rc == RD_TIMEOUT) {
            g_atomic_int_inc(&hs->closed);
        } else {
            g_atomic_int_inc(&hs->bad);
        }
        close(fd);
    }
    return NULL;
}


/* Shutdown and teardown while clients keep connecting (run under the
 * sanitizers this is the check for races in teardown). */
static int
testShutdownUnderLoad(const void *data G_GNUC_UNUSED)
{
    for (int round = 0; round < 5; round++) {
        virNetServerConfig cfg;
        testServer ts;
        hammerState hs = { 0 };
        GThread *th[4];

        virNetServerConfigDefaults(&cfg);
        if (testServerStart(&ts, "shutdown-load", &cfg, 0) < 0)
            return -1;
        /* a copy: the hammers outlive testServerStop, which frees ts.path */
        hs.path = g_strdup(ts.path);
        for (int i = 0; i < 4; i++)
            th[i] = g_thread_new("hammer", hammerRun, &hs);
        g_usleep((50 + 30 * round) * 1000);
        /* a loaded machine (ASan) may not have served anyone yet: the
         * shutdown must find calls in flight, so wait for the first */
        for (int i = 0; i < 500 && g_atomic_int_get(&hs.served) == 0; i++)
            g_usleep(10 * 1000);
        virNetServerShutdown(ts.srv, 1000);
        ts.shutDown = true;
        testServerStop(&ts);
        g_atomic_int_set(&hs.stop, 1);
        for (int i = 0; i < 4; i++)
            g_thread_join(th[i]);
        g_free(hs.path);
        if (virTestVerbose())
            fprintf(stderr, "  round %d: %d served, %d closed, %d refused\n", round,
                    hs.served, hs.closed, hs.refused);
        if (hs.bad || hs.served == 0)
            VIR_TEST_FAIL("round %d: %d bad replies, %d served", round, hs.bad, hs.served);
    }
    return 0;
}


/* ---- events ------------------------------------------------------------- */

static int
testBroadcast(const void *data G_GNUC_UNUSED)
{
    /* TICK seq 7 "hello": header, u_int 7, string (5 + 3 padding) */
    static const unsigned char tick[44] = {
        0x00, 0x00, 0x00, 0x2c, 0x44, 0x45, 0x4d, 0x4f, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x07,
        0x00, 0x00, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o', 0x00, 0x00, 0x00,
    };
    virNetServerConfig cfg;
    testServer ts;
    int fds[3] = { -1, -1, -1 };
    demo_tick_msg msg = { .seq = 7, .text = (char *)"hello" };
    size_t sent;
    int ret = -1;

    virNetServerConfigDefaults(&cfg);
    if (testServerStart(&ts, "events", &cfg, 0) < 0)
        return -1;
    for (int i = 0; i < 3; i++) {
        if ((fds[i] = connectUNIX(ts.path)) < 0 || nullCall(fds[i], 1) < 0)
            goto cleanup;
    }
    if (waitNClients(&ts, 3, T_WAIT_MS) < 0)
        goto cleanup;
    sent = virNetServerBroadcastEvent(ts.srv, ts.prog, T_PROC_TICK,
                                      (xdrproc_t)xdr_demo_tick_msg, &msg);
    if (sent != 3) {
        fprintf(stderr, "  broadcast reached %zu clients, expected 3\n", sent);
        goto cleanup;
    }
    for (int i = 0; i < 3; i++) {
        testMsg m;
        if (readMsg(fds[i], T_WAIT_MS, &m) != RD_OK)
            goto cleanup;
        if (virTestCompareBytes("TICK event", m.buf, m.len, tick, sizeof(tick)) < 0) {
            testMsgClear(&m);
            goto cleanup;
        }
        testMsgClear(&m);
        if (nullCall(fds[i], 2) < 0)
            goto cleanup;
    }
    ret = 0;
 cleanup:
    for (int i = 0; i < 3; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
    }
    testServerStop(&ts);
    return ret;
}


/* ---- 8. fd passing ------------------------------------------------------ */

static int
sendOneFD(int sock, int fd)
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


/* Receive one carrier byte and its fd (-1 on failure). */
static int
recvOneFD(int sock, int timeout_ms)
{
    char byte;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int) * 4)];
    } control;
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
                         .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
    struct pollfd pfd = { .fd = sock, .events = POLLIN };
    struct cmsghdr *cmsg;
    int fd = -1;

    if (poll(&pfd, 1, timeout_ms) != 1)
        return -1;
    if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
        return -1;
    for (cmsg = CMSG_FIRSTHDR(&mh); cmsg; cmsg = CMSG_NXTHDR(&mh, cmsg)) {
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
            size_t n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (size_t i = 0; i < n; i++) {
                int got;
                memcpy(&got, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
                if (fd < 0)
                    fd = got;
                else
                    close(got);   /* exactly one expected */
            }
        }
    }
    return fd;
}


/* Read exactly len bytes from a pipe, then expect EOF. */
static char *
readPipe(int fd, size_t len, bool expectEOF)
{
    char *buf = g_malloc0(len + 1);
    char extra;
    int64_t deadline = nowMs() + T_WAIT_MS;

    if (readFull(fd, buf, len, deadline) != RD_OK ||
        (expectEOF && readFull(fd, &extra, 1, deadline) != RD_EOF)) {
        g_free(buf);
        return NULL;
    }
    return buf;
}


static int
testPassFD(const void *data G_GNUC_UNUSED)
{
    const char *text = "through the looking glass";
    g_autoptr(GByteArray) b = msgNew(T_DEMO_PROG, T_DEMO_VERS, T_PROC_PASS_FD,
                                     T_CALL_WITH_FDS, 31, T_OK);
    g_autofree char *fromPipe = NULL;
    g_autofree char *fromReply = NULL;
    int pipefd[2] = { -1, -1 };
    int fd = connectUNIX(mainServer.path);
    int got = -1;
    uint32_t nfds = 0, received = 0;
    testMsg m = { 0 };
    struct stat st;
    int ret = -1;

    VIR_TEST_ASSERT(fd >= 0);
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        goto cleanup;
    putU32(b, 1);              /* nfds */
    putString(b, text);        /* demo_pass_fd_args */
    if (sendMsg(fd, b) < 0 || sendOneFD(fd, pipefd[1]) < 0)
        goto cleanup;
    close(pipefd[1]);
    pipefd[1] = -1;

    /* The server wrote the text into our pipe (and closed its copy). */
    if (!(fromPipe = readPipe(pipefd[0], strlen(text), true)) || strcmp(fromPipe, text)) {
        fprintf(stderr, "  the passed pipe did not carry the text (got '%s')\n",
                fromPipe ? fromPipe : "(nothing)");
        goto cleanup;
    }

    if (readMsg(fd, T_WAIT_MS, &m) != RD_OK)
        goto cleanup;
    if (m.prog != T_DEMO_PROG || m.proc != T_PROC_PASS_FD || m.type != T_REPLY_WITH_FDS ||
        m.serial != 31 || m.status != T_OK || !getU32(&m, &nfds) || nfds != 1 ||
        !getU32(&m, &received) || received != 1 || m.off != m.len) {
        fprintf(stderr, "  reply: type %u status %u serial %u nfds %u received %u len %zu\n",
                m.type, m.status, m.serial, nfds, received, m.len);
        goto cleanup;
    }
    if ((got = recvOneFD(fd, T_WAIT_MS)) < 0) {
        fprintf(stderr, "  no fd after the REPLY_WITH_FDS\n");
        goto cleanup;
    }
    if (fstat(got, &st) < 0 || !S_ISFIFO(st.st_mode)) {
        fprintf(stderr, "  the returned fd is not a pipe\n");
        goto cleanup;
    }
    if (!(fromReply = readPipe(got, strlen(text), true)) || strcmp(fromReply, text)) {
        fprintf(stderr, "  the returned pipe did not hold the text\n");
        goto cleanup;
    }
    /* The stream is in sync after the carrier byte. */
    ret = nullCall(fd, 32);

    /* CALL_WITH_FDS announcing 0 fds is a plain call. */
    if (ret == 0) {
        g_autoptr(GByteArray) z = msgNew(T_DEMO_PROG, T_DEMO_VERS, T_PROC_PASS_FD,
                                         T_CALL_WITH_FDS, 33, T_OK);
        int back;
        testMsgClear(&m);
        putU32(z, 0);
        putString(z, text);
        ret = -1;
        if (sendMsg(fd, z) < 0 || readMsg(fd, T_WAIT_MS, &m) != RD_OK)
            goto cleanup;
        m.off = 28;
        if (m.type != T_REPLY_WITH_FDS || m.status != T_OK || m.serial != 33 ||
            !getU32(&m, &nfds) || nfds != 1 || !getU32(&m, &received) || received != 0) {
            fprintf(stderr, "  0-fd call: type %u status %u nfds %u received %u\n",
                    m.type, m.status, nfds, received);
            goto cleanup;
        }
        if ((back = recvOneFD(fd, T_WAIT_MS)) < 0)
            goto cleanup;
        close(back);
        ret = nullCall(fd, 34);
    }
 cleanup:
    testMsgClear(&m);
    if (got >= 0)
        close(got);
    if (pipefd[0] >= 0)
        close(pipefd[0]);
    if (pipefd[1] >= 0)
        close(pipefd[1]);
    close(fd);
    return ret;
}


/* ---- 9. TCP ------------------------------------------------------------- */

static testServer tcpServer;

static int
tcpNullEcho(int family, int port)
{
    g_autoptr(GByteArray) b = callNew(T_PROC_ECHO, 2);
    testMsg m;
    int fd = connectTCP(family, port);
    int ret = -1;

    if (fd < 0) {
        fprintf(stderr, "  connect to port %d: %s\n", port, g_strerror(errno));
        return -1;
    }
    if (nullCall(fd, 1) < 0)
        goto cleanup;
    putString(b, "over TCP");
    msgFinish(b);
    if (sendAll(fd, b->data, b->len, T_WAIT_MS) < 0 || readMsg(fd, T_WAIT_MS, &m) != RD_OK)
        goto cleanup;
    b->data[19] = T_REPLY;
    ret = virTestCompareBytes("ECHO reply over TCP", m.buf, m.len, b->data, b->len);
    testMsgClear(&m);

    /* fds cannot travel over TCP: the server drops the connection. */
    if (ret == 0) {
        g_autoptr(GByteArray) f = msgNew(T_DEMO_PROG, T_DEMO_VERS, T_PROC_PASS_FD,
                                         T_CALL_WITH_FDS, 3, T_OK);
        putU32(f, 1);
        putString(f, "x");
        if (sendMsg(fd, f) < 0 || expectClosed(fd, T_WAIT_MS, "CALL_WITH_FDS over TCP") < 0)
            ret = -1;
    }
 cleanup:
    close(fd);
    return ret;
}


static int
testTCP4(const void *data G_GNUC_UNUSED)
{
    VIR_TEST_ASSERT(tcpServer.port4 > 0);
    return tcpNullEcho(AF_INET, tcpServer.port4);
}


static bool
hostHasIPv6(void)
{
    struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool ok;

    if (fd < 0)
        return false;
    ok = bind(fd, (struct sockaddr *)&in6, sizeof(in6)) == 0;
    close(fd);
    return ok;
}


static int
testTCP6(const void *data G_GNUC_UNUSED)
{
    if (!hostHasIPv6()) {
        fprintf(stderr, "  no IPv6 loopback on this host: skipping ::1\n");
        return VIR_TEST_SKIP;
    }
    if (tcpServer.port6 <= 0)
        VIR_TEST_FAIL("the host has ::1 but the server could not listen on it");
    return tcpNullEcho(AF_INET6, tcpServer.port6);
}


/* ---- main --------------------------------------------------------------- */

int
main(void)
{
    virNetServerConfig cfg;
    char name[128];

    signal(SIGPIPE, SIG_IGN);
    if (!virTestVerbose())
        virLogSetDefaultPriority(VIR_LOG_ERROR);   /* the cases provoke warnings */

    virNetServerConfigDefaults(&cfg);
    if (testServerStart(&mainServer, "main", &cfg, 0) < 0)
        return 1;
    if ((longFd = connectUNIX(mainServer.path)) < 0 || nullCall(longFd, ++longSerial) < 0) {
        fprintf(stderr, "cannot talk to the server at all\n");
        return 1;
    }

    virTestRun("NULL reply, byte-exact", testNullExact, NULL);
    virTestRun("ADD 40+2 reply, byte-exact", testAddExact, NULL);
    virTestRun("ECHO round trip", testEcho, NULL);
    virTestRun("FAIL: error reply", testFail, NULL);

    virTestRun("malformed: length word too small", testLenTooSmall, NULL);
    virTestRun("malformed: length word too large", testLenTooLarge, NULL);
    virTestRun("malformed: truncated header", testTruncatedHeader, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(badCalls); i++) {
        g_snprintf(name, sizeof(name), "malformed: %s", badCalls[i].name);
        virTestRun(name, testBadCall, &badCalls[i]);
    }
    virTestRun("malformed: random bytes x200", testRandomBytes, NULL);

    virTestRun("slow client: bounded memory", testSlowClient, NULL);
    virTestRun("delayed close after EMIT x1000", testDelayedClose, NULL);
    virTestRun("delayed close with queued output", testDelayedCloseQueued, NULL);
    virTestRun("client closes with calls in flight", testCloseWithCallInFlight, NULL);
    virTestRun("inline call not behind a worker call", testInlineNotBehindWorker, NULL);
    virTestRun("large messages", testLargeMessages, NULL);
    virTestRun("16 clients x 400 mixed calls", testManyClients, NULL);
    virTestRun("events: broadcast", testBroadcast, NULL);
    virTestRun("keepalive: PING answered without keepalive", testPingPong, NULL);
    virTestRun("keepalive: dead and live peers", testKeepaliveServer, NULL);

    virTestRun("limits: max_clients", testMaxClients, NULL);
    virTestRun("limits: max_client_requests", testMaxRequests, NULL);
    virTestRun("limits: priority calls with busy workers", testPriority, NULL);

    virTestRun("graceful shutdown", testShutdown, NULL);
    virTestRun("shutdown with a client that does not read", testShutdownStuckClient, NULL);
    virTestRun("shutdown while clients connect", testShutdownUnderLoad, NULL);
    virTestRun("fd passing", testPassFD, NULL);

    virNetServerConfigDefaults(&cfg);
    if (testServerStart(&tcpServer, "tcp", &cfg, TS_TCP4 | TS_TCP6) == 0) {
        virTestRun("TCP 127.0.0.1", testTCP4, NULL);
        virTestRun("TCP ::1", testTCP6, NULL);
        testServerStop(&tcpServer);
    } else {
        printf("FAIL TCP server did not start\n");
        virTestFailures++;
    }

    if (longCheck() < 0)
        virTestFailures++;
    close(longFd);
    testServerStop(&mainServer);
    return virTestResult();
}
