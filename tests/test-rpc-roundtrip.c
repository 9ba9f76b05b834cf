/*
 * test-rpc-roundtrip: our client against our server, in one process, over
 * UNIX and TCP loopback: typed calls, error replies, events, fd passing,
 * keepalive between the two, and 200 concurrent clients x 1000 calls with
 * every reply checked against its own request.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutils.h"
#include "demoserver.h"
#include "demo_protocol_client.h"
#include "virnetclient.h"
#include "virerror.h"
#include "virutil.h"

static virEventThread *serverThread;
static virNetServer *server;
static char *unixPath;
static char tcpPort[16];

typedef struct {
    virNetClient *client;
    virNetClientProgram *prog;
} testConn;


static int
testConnOpen(testConn *c, bool tcp, const demoClientEventHandlers *handlers, void *opaque)
{
    c->client = tcp ? virNetClientNewTCP("127.0.0.1", tcpPort) : virNetClientNewUNIX(unixPath);
    if (!c->client) {
        fprintf(stderr, "  connect failed: %s\n", virGetLastErrorMessage());
        return -1;
    }
    c->prog = demoClientProgramNew(handlers, opaque);
    return virNetClientAddProgram(c->client, c->prog);
}


static void
testConnClose(testConn *c)
{
    if (c->client) {
        virNetClientClose(c->client);
        virNetClientUnref(c->client);
    }
    if (c->prog)
        virNetClientProgramUnref(c->prog);
    c->client = NULL;
    c->prog = NULL;
}


static int
testBasicCalls(const void *data)
{
    bool tcp = data != NULL;
    testConn c = { 0 };
    demo_add_args add = { .a = 2000000000, .b = 2000000000 };
    demo_add_ret addret = { 0 };
    demo_echo_args echo = { .text = (char *)"round trip \xc3\xa9" };
    demo_echo_ret echoret = { 0 };
    int ret = -1;

    if (testConnOpen(&c, tcp, NULL, NULL) < 0)
        goto cleanup;
    if (demoCallNull(c.prog, c.client) < 0)
        goto cleanup;
    if (demoCallAdd(c.prog, c.client, &add, &addret) < 0)
        goto cleanup;
    if (addret.sum != 4000000000LL) {
        fprintf(stderr, "  sum %lld\n", (long long)addret.sum);
        goto cleanup;
    }
    if (demoCallEcho(c.prog, c.client, &echo, &echoret) < 0)
        goto cleanup;
    if (strcmp(echoret.text, echo.text) != 0) {
        fprintf(stderr, "  echo got '%s'\n", echoret.text);
        goto cleanup;
    }
    ret = 0;
 cleanup:
    xdr_free((xdrproc_t)xdr_demo_echo_ret, (char *)&echoret);
    if (ret < 0)
        fprintf(stderr, "  error: %s\n", virGetLastErrorMessage());
    testConnClose(&c);
    return ret;
}


static int
testErrors(const void *data G_GNUC_UNUSED)
{
    testConn c = { 0 };
    demo_fail_args fail = { .code = VIR_ERR_OPERATION_INVALID, .message = (char *)"not now" };
    virError *err;
    int ret = -1;

    if (testConnOpen(&c, false, NULL, NULL) < 0)
        goto cleanup;
    if (demoCallFail(c.prog, c.client, &fail) != -1) {
        fprintf(stderr, "  FAIL call succeeded\n");
        goto cleanup;
    }
    err = virGetLastError();
    if (!err || err->code != VIR_ERR_OPERATION_INVALID || err->domain != VIR_FROM_RPC ||
        !strstr(err->message, "not now")) {
        fprintf(stderr, "  wrong error: code %d domain %d message %s\n",
                err ? err->code : -1, err ? err->domain : -1, err ? err->message : "none");
        goto cleanup;
    }
    /* The connection goes on after an error reply. */
    virResetLastError();
    if (demoCallNull(c.prog, c.client) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    testConnClose(&c);
    return ret;
}


typedef struct {
    GMutex lock;
    GCond cond;
    unsigned int received;
    unsigned int nextSeq;
    bool outOfOrder;
} testEvents;

static void
testOnTick(virNetClientProgram *prog G_GNUC_UNUSED, virNetClient *client G_GNUC_UNUSED,
           demo_tick_msg *msg, void *opaque)
{
    testEvents *ev = opaque;
    g_autofree char *expect = g_strdup_printf("tick %u", msg->seq);

    g_mutex_lock(&ev->lock);
    if (msg->seq != ev->nextSeq || strcmp(msg->text, expect) != 0)
        ev->outOfOrder = true;
    ev->nextSeq = msg->seq + 1;
    ev->received++;
    g_cond_broadcast(&ev->cond);
    g_mutex_unlock(&ev->lock);
}


static int
testEventsInOrder(const void *data G_GNUC_UNUSED)
{
    static const demoClientEventHandlers handlers = { .tick = testOnTick };
    virEventThread *evt = virEventThreadNew("test-client-events");
    testEvents ev = { 0 };
    testConn c = { 0 };
    demo_emit_args emit = { .count = 500, .close_after = 0 };
    gint64 deadline;
    int ret = -1;

    g_mutex_init(&ev.lock);
    g_cond_init(&ev.cond);
    if (testConnOpen(&c, false, &handlers, &ev) < 0 ||
        virNetClientAttachLoop(c.client, virEventThreadGetLoop(evt)) < 0)
        goto cleanup;
    if (demoCallEmit(c.prog, c.client, &emit) < 0)
        goto cleanup;
    deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&ev.lock);
    while (ev.received < emit.count && g_cond_wait_until(&ev.cond, &ev.lock, deadline))
        ;
    g_mutex_unlock(&ev.lock);
    if (ev.received != emit.count || ev.outOfOrder) {
        fprintf(stderr, "  received %u of %u events, out of order: %d\n",
                ev.received, emit.count, ev.outOfOrder);
        goto cleanup;
    }
    ret = 0;
 cleanup:
    testConnClose(&c);
    virEventThreadFree(evt);
    g_mutex_clear(&ev.lock);
    g_cond_clear(&ev.cond);
    return ret;
}


static int
testPassFD(const void *data G_GNUC_UNUSED)
{
    testConn c = { 0 };
    demo_pass_fd_args args = { .text = (char *)"through the socket" };
    demo_pass_fd_ret ret = { 0 };
    int p[2] = { -1, -1 };
    size_t noutfds = 0;
    int *outfds = NULL;
    char buf[64] = { 0 };
    int rv = -1;

    if (pipe(p) < 0 || testConnOpen(&c, false, NULL, NULL) < 0)
        goto cleanup;
    if (demoCallPassFD(c.prog, c.client, 1, &p[1], &noutfds, &outfds, &args, &ret) < 0)
        goto cleanup;
    VIR_FORCE_CLOSE(p[1]);
    if (ret.received != 1 || read(p[0], buf, sizeof(buf) - 1) != (ssize_t)strlen(args.text) ||
        strcmp(buf, args.text) != 0) {
        fprintf(stderr, "  server side wrote '%s' (received %u)\n", buf, ret.received);
        goto cleanup;
    }
    memset(buf, 0, sizeof(buf));
    if (noutfds != 1 || read(outfds[0], buf, sizeof(buf) - 1) != (ssize_t)strlen(args.text) ||
        strcmp(buf, args.text) != 0) {
        fprintf(stderr, "  returned fd gave '%s' (%zu fds)\n", buf, noutfds);
        goto cleanup;
    }
    rv = 0;
 cleanup:
    for (size_t i = 0; i < noutfds; i++)
        close(outfds[i]);
    g_free(outfds);
    VIR_FORCE_CLOSE(p[0]);
    VIR_FORCE_CLOSE(p[1]);
    testConnClose(&c);
    return rv;
}


/* ---- many clients ------------------------------------------------------- */

#define MANY_CLIENTS 200
#define MANY_CALLS 1000

typedef struct {
    int index;
    unsigned int ok;
    unsigned int bad;
    char error[256];
} testWorker;

static gpointer
testManyWorker(gpointer opaque)
{
    testWorker *w = opaque;
    testConn c = { 0 };

    if (testConnOpen(&c, w->index % 4 == 0, NULL, NULL) < 0) {
        g_strlcpy(w->error, virGetLastErrorMessage(), sizeof(w->error));
        return NULL;
    }
    for (int i = 0; i < MANY_CALLS; i++) {
        g_autofree char *text = g_strdup_printf("client %d call %d", w->index, i);
        demo_echo_args args = { .text = text };
        demo_echo_ret ret = { 0 };
        demo_add_args add = { .a = w->index, .b = i };
        demo_add_ret addret = { 0 };

        if (i % 2 == 0) {
            if (demoCallEcho(c.prog, c.client, &args, &ret) < 0) {
                g_strlcpy(w->error, virGetLastErrorMessage(), sizeof(w->error));
                break;
            }
            if (strcmp(ret.text, text) == 0)
                w->ok++;
            else
                w->bad++;
            xdr_free((xdrproc_t)xdr_demo_echo_ret, (char *)&ret);
        } else {
            /* ADD runs on a worker thread: replies come back out of order
             * relative to inline calls of other clients. */
            if (demoCallAdd(c.prog, c.client, &add, &addret) < 0) {
                g_strlcpy(w->error, virGetLastErrorMessage(), sizeof(w->error));
                break;
            }
            if (addret.sum == w->index + i)
                w->ok++;
            else
                w->bad++;
        }
    }
    testConnClose(&c);
    return NULL;
}


static int
testManyClients(const void *data G_GNUC_UNUSED)
{
    testWorker *workers = g_new0(testWorker, MANY_CLIENTS);
    GThread **threads = g_new0(GThread *, MANY_CLIENTS);
    unsigned long long ok = 0, bad = 0;
    int failedClients = 0;

    for (int i = 0; i < MANY_CLIENTS; i++) {
        workers[i].index = i;
        threads[i] = g_thread_new("many", testManyWorker, &workers[i]);
    }
    for (int i = 0; i < MANY_CLIENTS; i++) {
        g_thread_join(threads[i]);
        ok += workers[i].ok;
        bad += workers[i].bad;
        if (workers[i].error[0]) {
            if (failedClients++ < 3)
                fprintf(stderr, "  client %d: %s\n", i, workers[i].error);
        }
    }
    g_free(workers);
    g_free(threads);
    if (ok != (unsigned long long)MANY_CLIENTS * MANY_CALLS || bad || failedClients) {
        fprintf(stderr, "  %llu good replies, %llu mismatched, %d clients failed (want %d)\n",
                ok, bad, failedClients, MANY_CLIENTS * MANY_CALLS);
        return -1;
    }
    return 0;
}


/* Many threads share one connection: serials must route every reply home. */
typedef struct {
    testConn *conn;
    int index;
    unsigned int bad;
    bool failed;
} testSharer;

static gpointer
testShareWorker(gpointer opaque)
{
    testSharer *s = opaque;

    for (int i = 0; i < 500; i++) {
        demo_add_args add = { .a = s->index * 1000, .b = i };
        demo_add_ret addret = { 0 };
        if (demoCallAdd(s->conn->prog, s->conn->client, &add, &addret) < 0) {
            s->failed = true;
            return NULL;
        }
        if (addret.sum != s->index * 1000 + i)
            s->bad++;
    }
    return NULL;
}


static int
testSharedConnection(const void *data G_GNUC_UNUSED)
{
    testConn c = { 0 };
    testSharer s[16];
    GThread *th[16];
    int ret = 0;

    if (testConnOpen(&c, false, NULL, NULL) < 0)
        return -1;
    for (int i = 0; i < 16; i++) {
        s[i] = (testSharer){ .conn = &c, .index = i };
        th[i] = g_thread_new("share", testShareWorker, &s[i]);
    }
    for (int i = 0; i < 16; i++) {
        g_thread_join(th[i]);
        if (s[i].failed || s[i].bad) {
            fprintf(stderr, "  thread %d: failed %d, %u mismatched\n", i, s[i].failed, s[i].bad);
            ret = -1;
        }
    }
    testConnClose(&c);
    return ret;
}


/* Keepalive between our client and our server: the connection stays up
 * across several intervals while idle. */
static int
testKeepAliveIdle(const void *data G_GNUC_UNUSED)
{
    virEventThread *evt = virEventThreadNew("test-ka");
    testConn c = { 0 };
    int ret = -1;

    if (testConnOpen(&c, false, NULL, NULL) < 0 ||
        virNetClientAttachLoop(c.client, virEventThreadGetLoop(evt)) < 0 ||
        virNetClientKeepAliveStart(c.client, 1, 2) < 0)
        goto cleanup;
    g_usleep(3500 * 1000);
    if (!virNetClientIsOpen(c.client)) {
        fprintf(stderr, "  connection closed while both sides were alive\n");
        goto cleanup;
    }
    if (demoCallNull(c.prog, c.client) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    testConnClose(&c);
    virEventThreadFree(evt);
    return ret;
}


int
main(void)
{
    virNetServerConfig cfg;
    virNetServerService *svc;
    int ret;

    virNetServerConfigDefaults(&cfg);
    cfg.max_clients = 1000;
    cfg.keepalive_interval = 1;
    cfg.keepalive_count = 2;
    cfg.keepalive_all = true;     /* the server pings idle clients too */
    unixPath = g_build_filename(virTestTempDir(), "sock", NULL);
    serverThread = virEventThreadNew("test-server");
    if (!(server = demoServerNew(&cfg, virEventThreadGetLoop(serverThread), NULL)))
        return 1;
    if (!(svc = virNetServerServiceNewUNIX(unixPath, 0700, (gid_t)-1,
                                           VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 256)) ||
        virNetServerAddService(server, svc) < 0)
        return 1;
    if (!(svc = virNetServerServiceNewTCP("127.0.0.1", "0",
                                          VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 256)) ||
        virNetServerAddService(server, svc) < 0)
        return 1;
    g_snprintf(tcpPort, sizeof(tcpPort), "%d", virNetServerServiceGetPort(svc));
    if (virNetServerStart(server) < 0)
        return 1;

    virTestRun("calls over UNIX", testBasicCalls, NULL);
    virTestRun("calls over TCP", testBasicCalls, "tcp");
    virTestRun("error reply becomes the client's error", testErrors, NULL);
    virTestRun("500 events in order", testEventsInOrder, NULL);
    virTestRun("fd passing both ways", testPassFD, NULL);
    virTestRun("16 threads share one connection", testSharedConnection, NULL);
    virTestRun("200 clients x 1000 calls", testManyClients, NULL);
    virTestRun("keepalive keeps an idle pair connected", testKeepAliveIdle, NULL);

    ret = virTestResult();
    virNetServerShutdown(server, 2000);
    virNetServerUnref(server);
    virEventThreadFree(serverThread);
    g_free(unixPath);
    return ret;
}
