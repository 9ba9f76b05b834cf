/*
 * test-admin.c: the admin program on the RPC core, in one process.
 *
 * Two servers as virtnetd runs them, "libvirtd" (here with the demo
 * program: its SLEEP call stays in flight as long as asked) and "admin"
 * (the admin program on daemon/admin.c), share one event thread; their
 * UNIX sockets are in the test's temporary directory. The test is a
 * client of both, through the generated call stubs: it changes the
 * worker pool and the client limits while other connections make calls,
 * disconnects a client in the middle of a call, gives bad input, and
 * checks the metrics against the calls it made.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <glib.h>

#include "testutils.h"
#include "demoserver.h"
#include "admin.h"
#include "admindispatch.h"
#include "admin_protocol_client.h"
#include "demo_protocol_client.h"
#include "virnetclient.h"
#include "virerror.h"
#include "virutil.h"

static virEventThread *evt;
static virNetServer *srv;          /* "libvirtd" */
static virNetServer *adminSrv;     /* "admin" */
static virAdmDaemon *dmn;
static char *demoPath;
static char *adminPath;

typedef struct {
    virNetClient *client;
    virNetClientProgram *prog;
} testConn;

static void
testConnClose(testConn *c)
{
    if (!c->client)
        return;
    virNetClientClose(c->client);
    virNetClientProgramUnref(c->prog);
    virNetClientUnref(c->client);
    c->client = NULL;
}

static int
testConnOpen(testConn *c, const char *path, bool admin)
{
    if (!(c->client = virNetClientNewUNIX(path)))
        return -1;
    c->prog = admin ? adminClientProgramNew(NULL) : demoClientProgramNew(NULL, NULL);
    return virNetClientAddProgram(c->client, c->prog);
}

static testConn adm;    /* the test's admin connection */


/* ---- admin calls -------------------------------------------------------- */

static unsigned int
testParamUInt(const virNetMessageTypedParam *params, u_int n, const char *name)
{
    for (u_int i = 0; i < n; i++) {
        if (strcmp(params[i].field, name) == 0)
            return params[i].value.virNetMessageTypedParamValue_u.ui;
    }
    return (unsigned int)-1;
}

/* A threadpool or client-limits value of server name; -1 on error. */
static long long
testGet(const char *server, bool pool, const char *field)
{
    long long v;

    if (pool) {
        admin_server_get_threadpool_parameters_args args = { .srv.name = (char *)server };
        admin_server_get_threadpool_parameters_ret ret = { 0 };

        if (adminCallServerGetThreadpoolParameters(adm.prog, adm.client, &args, &ret) < 0)
            return -1;
        v = testParamUInt(ret.params.params_val, ret.params.params_len, field);
        xdr_free((xdrproc_t)xdr_admin_server_get_threadpool_parameters_ret, (char *)&ret);
    } else {
        admin_server_get_client_limits_args args = { .srv.name = (char *)server };
        admin_server_get_client_limits_ret ret = { 0 };

        if (adminCallServerGetClientLimits(adm.prog, adm.client, &args, &ret) < 0)
            return -1;
        v = testParamUInt(ret.params.params_val, ret.params.params_len, field);
        xdr_free((xdrproc_t)xdr_admin_server_get_client_limits_ret, (char *)&ret);
    }
    return v;
}

static void
testUIntParam(virNetMessageTypedParam *p, const char *name, unsigned int v)
{
    p->field = (char *)name;
    p->value.type = 2;    /* VIR_TYPED_PARAM_UINT */
    p->value.virNetMessageTypedParamValue_u.ui = v;
}

/* Set up to three pool values (min, max, prio; -1 leaves one out). */
static int
testSetPool(const char *server, long long min, long long max, long long prio)
{
    virNetMessageTypedParam p[3];
    admin_server_set_threadpool_parameters_args args = { .srv.name = (char *)server };
    u_int n = 0;

    if (min >= 0)
        testUIntParam(&p[n++], "minWorkers", min);
    if (max >= 0)
        testUIntParam(&p[n++], "maxWorkers", max);
    if (prio >= 0)
        testUIntParam(&p[n++], "prioWorkers", prio);
    args.params.params_val = p;
    args.params.params_len = n;
    return adminCallServerSetThreadpoolParameters(adm.prog, adm.client, &args);
}

static int
testSetLimits(const char *server, long long max, long long unauth)
{
    virNetMessageTypedParam p[2];
    admin_server_set_client_limits_args args = { .srv.name = (char *)server };
    u_int n = 0;

    if (max >= 0)
        testUIntParam(&p[n++], "nclients_max", max);
    if (unauth >= 0)
        testUIntParam(&p[n++], "nclients_unauth_max", unauth);
    args.params.params_val = p;
    args.params.params_len = n;
    return adminCallServerSetClientLimits(adm.prog, adm.client, &args);
}

/* The IDs of server's clients, by ID. */
static GArray *
testListClients(const char *server)
{
    admin_server_list_clients_args args = { .srv.name = (char *)server, .need_results = 1 };
    admin_server_list_clients_ret ret = { 0 };
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(unsigned long long));

    if (adminCallServerListClients(adm.prog, adm.client, &args, &ret) < 0)
        return ids;
    for (u_int i = 0; i < ret.clients.clients_len; i++)
        g_array_append_val(ids, ret.clients.clients_val[i].id);
    xdr_free((xdrproc_t)xdr_admin_server_list_clients_ret, (char *)&ret);
    return ids;
}

static int
testLastError(int code, const char *text)
{
    const virError *err = virGetLastError();

    if (!err || err->code != code || !strstr(err->message ? err->message : "", text)) {
        fprintf(stderr, "  expected error %d '%s', got %d '%s'\n", code, text,
                err ? err->code : 0, err && err->message ? err->message : "");
        return -1;
    }
    virResetLastError();
    return 0;
}


/* ---- cases -------------------------------------------------------------- */

static int
testServers(const void *data G_GNUC_UNUSED)
{
    admin_connect_list_servers_args args = { .need_results = 1 };
    admin_connect_list_servers_ret ret = { 0 };
    admin_connect_get_lib_version_ret ver = { 0 };

    VIR_TEST_ASSERT_INT(adminCallConnectListServers(adm.prog, adm.client, &args, &ret), 0);
    VIR_TEST_ASSERT_INT(ret.ret, 2);
    VIR_TEST_ASSERT_INT(ret.servers.servers_len, 2);
    VIR_TEST_ASSERT_STR(ret.servers.servers_val[0].name, "libvirtd");
    VIR_TEST_ASSERT_STR(ret.servers.servers_val[1].name, "admin");
    xdr_free((xdrproc_t)xdr_admin_connect_list_servers_ret, (char *)&ret);
    VIR_TEST_ASSERT_INT(adminCallConnectGetLibVersion(adm.prog, adm.client, &ver), 0);
    VIR_TEST_ASSERT_INT(ver.libVer, 9000000);
    return 0;
}


typedef struct {
    const char *path;
    gint *stop;
    unsigned long long calls;
    unsigned long long failed;
} testLoadArgs;

/* One connection making calls until told to stop: null calls (inline)
 * and short sleeps (workers), so the pool is busy while it changes. */
static gpointer
testLoadThread(gpointer opaque)
{
    testLoadArgs *a = opaque;
    testConn c = { 0 };

    if (testConnOpen(&c, a->path, false) < 0) {
        a->failed++;
        return NULL;
    }
    while (!g_atomic_int_get(a->stop)) {
        demo_sleep_args sl = { .ms = 1 };

        if (demoCallNull(c.prog, c.client) < 0)
            a->failed++;
        if (demoCallSleep(c.prog, c.client, &sl) < 0)
            a->failed++;
        a->calls += 2;
    }
    testConnClose(&c);
    return NULL;
}

/* Wait (up to 5 s) for a threadpool value in [lo, hi]. */
static bool
testWaitPool(const char *field, long long lo, long long hi)
{
    for (int i = 0; i < 500; i++) {
        long long v = testGet("libvirtd", true, field);

        if (v >= lo && v <= hi)
            return true;
        g_usleep(10000);
    }
    return false;
}

static int
testPoolResize(const void *data G_GNUC_UNUSED)
{
    gint stop = 0;
    testLoadArgs args[8];
    GThread *th[8];
    unsigned long long calls = 0, failed = 0;
    int rv = 0;

    for (int i = 0; i < 8; i++) {
        args[i] = (testLoadArgs){ .path = demoPath, .stop = &stop };
        th[i] = g_thread_new("load", testLoadThread, &args[i]);
    }
    g_usleep(100000);
    /* 20 -> 2 workers under load (the extra ones leave once idle), then
     * back (at least min 5 again; the load may start more). */
    if (testSetPool("libvirtd", 2, 2, -1) < 0 || !testWaitPool("nWorkers", 2, 2) ||
        testGet("libvirtd", true, "maxWorkers") != 2) {
        fprintf(stderr, "  pool did not shrink to 2: %s\n", virGetLastErrorMessage());
        rv = -1;
    }
    g_usleep(200000);
    if (testSetPool("libvirtd", 5, 20, -1) < 0 || !testWaitPool("nWorkers", 5, 20) ||
        testGet("libvirtd", true, "maxWorkers") != 20) {
        fprintf(stderr, "  pool did not grow back: %s\n", virGetLastErrorMessage());
        rv = -1;
    }
    g_usleep(100000);
    g_atomic_int_set(&stop, 1);
    for (int i = 0; i < 8; i++) {
        g_thread_join(th[i]);
        calls += args[i].calls;
        failed += args[i].failed;
    }
    if (virTestVerbose())
        fprintf(stderr, "  %llu calls, %llu failed\n", calls, failed);
    VIR_TEST_ASSERT(calls > 100);
    VIR_TEST_ASSERT_INT(failed, 0);
    return rv;
}


typedef struct {
    testConn conn;
    gint done;
    int rc;
} testWaiter;

static gpointer
testWaiterThread(gpointer opaque)
{
    testWaiter *w = opaque;

    w->rc = testConnOpen(&w->conn, demoPath, false) < 0 ? -1
                                                          : demoCallNull(w->conn.prog,
                                                                         w->conn.client);
    g_atomic_int_set(&w->done, 1);
    return NULL;
}

static int
testClientLimits(const void *data G_GNUC_UNUSED)
{
    testConn a = { 0 }, b = { 0 };
    testWaiter w = { .rc = 1 };
    GThread *th;
    long long n;
    int rv = -1;

    if (testConnOpen(&a, demoPath, false) < 0 || testConnOpen(&b, demoPath, false) < 0 ||
        demoCallNull(a.prog, a.client) < 0 || demoCallNull(b.prog, b.client) < 0)
        goto cleanup;
    n = testGet("libvirtd", false, "nclients");
    VIR_TEST_ASSERT_INT(n, 2);
    /* Below the clients connected: they stay and keep calling... */
    if (testSetLimits("libvirtd", 1, 1) < 0)
        goto cleanup;
    VIR_TEST_ASSERT_INT(testGet("libvirtd", false, "nclients_max"), 1);
    if (demoCallNull(a.prog, a.client) < 0 || demoCallNull(b.prog, b.client) < 0)
        goto cleanup;
    VIR_TEST_ASSERT_INT(testGet("libvirtd", false, "nclients"), 2);
    /* ...a new one waits, not refused... */
    th = g_thread_new("waiter", testWaiterThread, &w);
    g_usleep(300000);
    if (g_atomic_int_get(&w.done)) {
        fprintf(stderr, "  a client over max_clients was served (rc %d)\n", w.rc);
        g_thread_join(th);
        goto cleanup;
    }
    VIR_TEST_ASSERT_INT(testGet("libvirtd", false, "nclients"), 2);
    /* ...until the limit is raised. */
    if (testSetLimits("libvirtd", 5000, 20) < 0) {
        g_thread_join(th);
        goto cleanup;
    }
    g_thread_join(th);
    VIR_TEST_ASSERT_INT(w.rc, 0);
    rv = 0;
 cleanup:
    testConnClose(&w.conn);
    testConnClose(&a);
    testConnClose(&b);
    if (rv < 0)
        fprintf(stderr, "  %s\n", virGetLastErrorMessage());
    return rv;
}


typedef struct {
    testConn *conn;
    int rc;
    uint64_t ms;
} testSleeper;

static gpointer
testSleeperThread(gpointer opaque)
{
    testSleeper *s = opaque;
    demo_sleep_args args = { .ms = 1500 };
    uint64_t start = virTimeMonoMs();

    s->rc = demoCallSleep(s->conn->prog, s->conn->client, &args);
    s->ms = virTimeMonoMs() - start;
    return NULL;
}

static int
testDisconnect(const void *data G_GNUC_UNUSED)
{
    testConn victim = { 0 }, other = { 0 };
    testSleeper s = { .conn = &victim, .rc = 1 };
    g_autoptr(GArray) before = NULL;
    g_autoptr(GArray) after = NULL;
    admin_client_close_args args = { .clnt.srv.name = (char *)"libvirtd" };
    unsigned long long id;
    GThread *th;

    if (testConnOpen(&other, demoPath, false) < 0 || demoCallNull(other.prog, other.client) < 0 ||
        testConnOpen(&victim, demoPath, false) < 0 || demoCallNull(victim.prog, victim.client) < 0)
        VIR_TEST_FAIL("%s", virGetLastErrorMessage());
    before = testListClients("libvirtd");
    VIR_TEST_ASSERT_INT(before->len, 2);
    id = g_array_index(before, unsigned long long, 1);    /* the newer one */
    th = g_thread_new("sleeper", testSleeperThread, &s);
    g_usleep(200000);   /* its call is in flight */
    args.clnt.id = id;
    if (adminCallClientClose(adm.prog, adm.client, &args) < 0) {
        g_thread_join(th);
        VIR_TEST_FAIL("client-close: %s", virGetLastErrorMessage());
    }
    g_thread_join(th);
    /* The victim sees its connection end, long before its call would. */
    VIR_TEST_ASSERT_INT(s.rc, -1);
    VIR_TEST_ASSERT(s.ms < 1200);
    VIR_TEST_ASSERT(!virNetClientIsOpen(victim.client));
    /* The other one goes on. */
    VIR_TEST_ASSERT_INT(demoCallNull(other.prog, other.client), 0);
    after = testListClients("libvirtd");
    for (int i = 0; i < 100 && after->len != 1; i++) {
        g_usleep(10000);
        g_array_unref(after);
        after = testListClients("libvirtd");
    }
    VIR_TEST_ASSERT_INT(after->len, 1);
    VIR_TEST_ASSERT(g_array_index(after, unsigned long long, 0) != id);
    testConnClose(&victim);
    testConnClose(&other);
    return 0;
}


static int
testBadInput(const void *data G_GNUC_UNUSED)
{
    admin_server_lookup_client_args look = { .srv.name = (char *)"libvirtd", .id = 999999 };
    admin_server_lookup_client_ret lret = { 0 };
    admin_client_get_info_args info = { .clnt.srv.name = (char *)"libvirtd", .clnt.id = 999999 };
    admin_client_get_info_ret iret = { 0 };
    admin_connect_lookup_server_args srvArgs = { .name = (char *)"nosuch" };
    admin_connect_lookup_server_ret sret = { 0 };

    VIR_TEST_ASSERT_INT(adminCallConnectLookupServer(adm.prog, adm.client, &srvArgs, &sret), -1);
    VIR_TEST_ASSERT_INT(testLastError(VIR_ERR_NO_SERVER, "No server named 'nosuch'"), 0);
    VIR_TEST_ASSERT_INT(testGet("nosuch", true, "minWorkers"), -1);
    VIR_TEST_ASSERT_INT(testLastError(VIR_ERR_NO_SERVER, "No server named 'nosuch'"), 0);
    VIR_TEST_ASSERT_INT(adminCallServerLookupClient(adm.prog, adm.client, &look, &lret), -1);
    VIR_TEST_ASSERT_INT(testLastError(VIR_ERR_NO_CLIENT,
                                      "No client with matching ID '999999'"), 0);
    VIR_TEST_ASSERT_INT(adminCallClientGetInfo(adm.prog, adm.client, &info, &iret), -1);
    VIR_TEST_ASSERT_INT(testLastError(VIR_ERR_NO_CLIENT,
                                      "No client with matching ID '999999'"), 0);

    /* Pool sizes out of range: libvirt's errors, nothing changes. */
    VIR_TEST_ASSERT_INT(testSetPool("libvirtd", 30, -1, -1), -1);
    VIR_TEST_ASSERT_INT(testLastError(VIR_ERR_INVALID_ARG,
                                      "minWorkers cannot be larger than maxWorkers"), 0);
    VIR_TEST_ASSERT_INT(testSetPool("libvirtd", 0, 0, -1), -1);
    VIR_TEST_ASSERT_INT(testLastError(VIR_ERR_INVALID_ARG,
                                      "maxWorkers must not be switched from zero"), 0);
    VIR_TEST_ASSERT_INT(testSetPool("nosuch", 1, 2, -1), -1);
    VIR_TEST_ASSERT_INT(testLastError(VIR_ERR_NO_SERVER, "nosuch"), 0);
    VIR_TEST_ASSERT_INT(testGet("libvirtd", true, "minWorkers"), 5);
    VIR_TEST_ASSERT_INT(testGet("libvirtd", true, "maxWorkers"), 20);
    VIR_TEST_ASSERT_INT(testGet("libvirtd", true, "prioWorkers"), 5);

    /* Client limits: the unauthenticated one above the overall one. */
    VIR_TEST_ASSERT_INT(testSetLimits("libvirtd", 5, -1), -1);
    VIR_TEST_ASSERT_INT(testLastError(VIR_ERR_INVALID_ARG, "must not be less than"), 0);
    VIR_TEST_ASSERT_INT(testGet("libvirtd", false, "nclients_max"), 5000);
    VIR_TEST_ASSERT_INT(testGet("libvirtd", false, "nclients_unauth_max"), 20);

    /* A parameter that does not exist, flags we do not know. */
    {
        virNetMessageTypedParam p;
        admin_server_set_threadpool_parameters_args args = { .srv.name = (char *)"libvirtd" };
        admin_connect_open_args open = { .flags = 4 };

        testUIntParam(&p, "bogus", 1);
        args.params.params_val = &p;
        args.params.params_len = 1;
        VIR_TEST_ASSERT_INT(adminCallServerSetThreadpoolParameters(adm.prog, adm.client,
                                                                   &args), -1);
        VIR_TEST_ASSERT_INT(testLastError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                                          "parameter 'bogus' not supported"), 0);
        VIR_TEST_ASSERT_INT(adminCallConnectOpen(adm.prog, adm.client, &open), -1);
        VIR_TEST_ASSERT_INT(testLastError(VIR_ERR_INVALID_ARG, "unsupported flags (0x4)"), 0);
    }
    return 0;
}


/* The demo server does not know the admin program. */
static int
testRemoteRefusesAdmin(const void *data G_GNUC_UNUSED)
{
    testConn c = { 0 };
    admin_connect_open_args args = { 0 };
    int rc;

    if (testConnOpen(&c, demoPath, true) < 0)
        VIR_TEST_FAIL("%s", virGetLastErrorMessage());
    rc = adminCallConnectOpen(c.prog, c.client, &args);
    testConnClose(&c);
    VIR_TEST_ASSERT_INT(rc, -1);
    return testLastError(VIR_ERR_RPC, "Cannot find program");
}


/* Another user is turned away (needs root to be another user). */
static int
testNonOwnerRefused(const void *data G_GNUC_UNUSED)
{
    pid_t pid;
    int status;

    if (geteuid() != 0)
        return VIR_TEST_SKIP;
    /* Let the other user reach the socket: the check under test is the
     * server's, not the file mode's (which refuses it too, see below). */
    if (chmod(virTestTempDir(), 0711) < 0 || chmod(adminPath, 0777) < 0)
        VIR_TEST_FAIL("chmod: %s", g_strerror(errno));
    if ((pid = fork()) == 0) {
        testConn c = { 0 };
        admin_connect_open_args args = { 0 };

        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(3);
        if (testConnOpen(&c, adminPath, true) < 0)
            _exit(4);
        /* accepted, then closed by the server without an answer */
        _exit(adminCallConnectOpen(c.prog, c.client, &args) < 0 &&
              !virNetClientIsOpen(c.client) ? 0 : 1);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        VIR_TEST_FAIL("fork / wait failed");
    if (chmod(adminPath, 0700) < 0 || chmod(virTestTempDir(), 0700) < 0)
        VIR_TEST_FAIL("chmod: %s", g_strerror(errno));
    VIR_TEST_ASSERT(WIFEXITED(status));
    VIR_TEST_ASSERT_INT(WEXITSTATUS(status), 0);
    /* and the owner still gets in */
    {
        testConn c = { 0 };
        admin_connect_open_args args = { 0 };
        int rc = testConnOpen(&c, adminPath, true) < 0 ? -1
                 : adminCallConnectOpen(c.prog, c.client, &args);

        testConnClose(&c);
        VIR_TEST_ASSERT_INT(rc, 0);
    }
    return 0;
}


static unsigned long long
testProcCalls(const admin_server_get_metrics_ret *m, int proc, bool errors)
{
    for (u_int i = 0; i < m->procs.procs_len; i++) {
        const admin_proc_metrics *p = &m->procs.procs_val[i];
        if (p->prog == DEMO_PROGRAM && p->proc == proc)
            return errors ? p->errors : p->calls;
    }
    return (unsigned long long)-1;
}

static int
testGetMetrics(admin_server_get_metrics_ret *ret)
{
    admin_server_get_metrics_args args = { .srv.name = (char *)"libvirtd" };

    memset(ret, 0, sizeof(*ret));
    return adminCallServerGetMetrics(adm.prog, adm.client, &args, ret);
}

static int
testMetrics(const void *data G_GNUC_UNUSED)
{
    admin_server_get_metrics_ret before, after;
    testConn c = { 0 };
    g_autoptr(GArray) ids = NULL;
    demo_fail_args fail = { .code = VIR_ERR_OPERATION_FAILED, .message = (char *)"as asked" };
    demo_sleep_args sl = { .ms = 1 };
    unsigned long long id;
    bool found = false;

    /* Calls of closed clients may still run (the disconnect case's sleep):
     * wait until nothing is in flight, so that the counts hold still. */
    for (int tries = 0; tries < 300; tries++) {
        bool busy = false;

        VIR_TEST_ASSERT_INT(testGetMetrics(&before), 0);
        for (u_int i = 0; i < before.procs.procs_len; i++)
            busy |= before.procs.procs_val[i].inflight != 0;
        xdr_free((xdrproc_t)xdr_admin_server_get_metrics_ret, (char *)&before);
        if (!busy)
            break;
        g_usleep(10000);
    }
    if (testConnOpen(&c, demoPath, false) < 0)
        VIR_TEST_FAIL("%s", virGetLastErrorMessage());
    ids = testListClients("libvirtd");
    VIR_TEST_ASSERT_INT(ids->len, 1);
    id = g_array_index(ids, unsigned long long, 0);
    VIR_TEST_ASSERT_INT(testGetMetrics(&before), 0);
    for (int i = 0; i < 37; i++)
        VIR_TEST_ASSERT_INT(demoCallNull(c.prog, c.client), 0);
    for (int i = 0; i < 5; i++)
        VIR_TEST_ASSERT_INT(demoCallFail(c.prog, c.client, &fail), -1);
    for (int i = 0; i < 3; i++)
        VIR_TEST_ASSERT_INT(demoCallSleep(c.prog, c.client, &sl), 0);
    VIR_TEST_ASSERT_INT(testGetMetrics(&after), 0);

    VIR_TEST_ASSERT_INT(testProcCalls(&after, DEMO_PROC_NULL, false) -
                        testProcCalls(&before, DEMO_PROC_NULL, false), 37);
    VIR_TEST_ASSERT_INT(testProcCalls(&after, DEMO_PROC_NULL, true) -
                        testProcCalls(&before, DEMO_PROC_NULL, true), 0);
    VIR_TEST_ASSERT_INT(testProcCalls(&after, DEMO_PROC_FAIL, false) -
                        testProcCalls(&before, DEMO_PROC_FAIL, false), 5);
    VIR_TEST_ASSERT_INT(testProcCalls(&after, DEMO_PROC_FAIL, true) -
                        testProcCalls(&before, DEMO_PROC_FAIL, true), 5);
    VIR_TEST_ASSERT_INT(testProcCalls(&after, DEMO_PROC_SLEEP, false) -
                        testProcCalls(&before, DEMO_PROC_SLEEP, false), 3);
    VIR_TEST_ASSERT_INT(after.bounds_us.bounds_us_len, VIR_METRICS_BUCKETS);
    for (u_int i = 0; i < after.procs.procs_len; i++) {
        const admin_proc_metrics *p = &after.procs.procs_val[i];
        unsigned long long sum = 0;

        for (u_int b = 0; b < p->buckets.buckets_len; b++)
            sum += p->buckets.buckets_val[b];
        /* Every finished call is in one bucket; nothing runs now. */
        VIR_TEST_ASSERT_INT(p->inflight, 0);
        VIR_TEST_ASSERT_INT(sum, p->calls);
        /* a 1 ms sleep cannot finish in the 10 us bucket */
        if (p->prog == DEMO_PROGRAM && p->proc == DEMO_PROC_SLEEP)
            VIR_TEST_ASSERT_INT(p->buckets.buckets_val[0], 0);
    }
    for (u_int i = 0; i < after.clients.clients_len; i++) {
        const admin_client_metrics *m = &after.clients.clients_val[i];
        if (m->id != id)
            continue;
        found = true;
        VIR_TEST_ASSERT_INT(m->calls, 45);
        /* 45 calls of at least 28 bytes each way */
        VIR_TEST_ASSERT(m->bytes_rx >= 45 * 28);
        VIR_TEST_ASSERT(m->bytes_tx >= 45 * 28);
    }
    VIR_TEST_ASSERT(found);
    xdr_free((xdrproc_t)xdr_admin_server_get_metrics_ret, (char *)&before);
    xdr_free((xdrproc_t)xdr_admin_server_get_metrics_ret, (char *)&after);
    testConnClose(&c);
    return 0;
}


/* The process figures: a block the test holds shows in the heap in use
 * and in the resident set, and leaves the heap in use when freed. Under
 * AddressSanitizer malloc is its own, which glibc's mallinfo2 does not
 * see: only the resident set is checked there. */
static int
testProcessMemory(const void *data G_GNUC_UNUSED)
{
    const size_t size = 16 * 1024 * 1024;
    admin_server_get_metrics_ret before, held, after;
    bool glibcHeap = !getenv("ASAN_OPTIONS");
    char *block;

    VIR_TEST_ASSERT_INT(testGetMetrics(&before), 0);
    block = malloc(size);
    VIR_TEST_ASSERT(block != NULL);
    memset(block, 0x5a, size);
    VIR_TEST_ASSERT_INT(testGetMetrics(&held), 0);
    /* read back: the compiler may not drop the stores as dead */
    VIR_TEST_ASSERT_INT(((volatile char *)block)[size - 1], 0x5a);
    free(block);
    VIR_TEST_ASSERT_INT(testGetMetrics(&after), 0);

    VIR_TEST_ASSERT(before.process.rss > 0);
    VIR_TEST_ASSERT(held.process.rss >= before.process.rss + size / 2);
    if (glibcHeap) {
        VIR_TEST_ASSERT(held.process.heap_in_use >= before.process.heap_in_use + size);
        VIR_TEST_ASSERT(held.process.heap_mapped >= size);
        VIR_TEST_ASSERT(after.process.heap_in_use + size / 2 <= held.process.heap_in_use);
    }
    xdr_free((xdrproc_t)xdr_admin_server_get_metrics_ret, (char *)&before);
    xdr_free((xdrproc_t)xdr_admin_server_get_metrics_ret, (char *)&held);
    xdr_free((xdrproc_t)xdr_admin_server_get_metrics_ret, (char *)&after);
    return 0;
}


static int
testSetup(void)
{
    virNetServerConfig cfg;
    virNetServerService *svc;
    virNetServerProgram *prog;

    demoPath = g_build_filename(virTestTempDir(), "demo-sock", NULL);
    adminPath = g_build_filename(virTestTempDir(), "admin-sock", NULL);
    evt = virEventThreadNew("test-admin");
    virNetServerConfigDefaults(&cfg);
    cfg.keepalive_interval = -1;
    /* Named as virtnetd's, with the demo program. */
    if (!(srv = virNetServerNew("libvirtd", &cfg, virEventThreadGetLoop(evt))))
        return -1;
    prog = demoServerProgramNew();
    if (virNetServerAddProgram(srv, prog) < 0)
        return -1;
    virNetServerProgramUnref(prog);
    cfg.prio_workers = 0;
    cfg.max_anonymous_clients = 0;
    if (!(adminSrv = virNetServerNew("admin", &cfg, virEventThreadGetLoop(evt))))
        return -1;
    dmn = virAdmDaemonNew(NULL, NULL);
    virAdmDaemonAddServer(dmn, srv);
    virAdmDaemonAddServer(dmn, adminSrv);
    prog = adminServerProgramNew();
    virNetServerSetClientInitHook(adminSrv, adminClientInitHook, dmn);
    if (virNetServerAddProgram(adminSrv, prog) < 0)
        return -1;
    virNetServerProgramUnref(prog);
    if (!(svc = virNetServerServiceNewUNIX(demoPath, 0700, (gid_t)-1,
                                           VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 128)) ||
        virNetServerAddService(srv, svc) < 0 ||
        !(svc = virNetServerServiceNewUNIX(adminPath, 0700, (gid_t)-1,
                                           VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 16)) ||
        virNetServerAddService(adminSrv, svc) < 0 ||
        virNetServerStart(srv) < 0 || virNetServerStart(adminSrv) < 0)
        return -1;
    return testConnOpen(&adm, adminPath, true);
}


int
main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (testSetup() < 0) {
        fprintf(stderr, "setup failed: %s\n", virGetLastErrorMessage());
        return 1;
    }
    virTestRun("servers and version", testServers, NULL);
    virTestRun("process memory: a 16 MiB block held and freed", testProcessMemory, NULL);
    virTestRun("bad input: libvirt's errors, nothing changes", testBadInput, NULL);
    virTestRun("pool 20 -> 2 -> 20 workers under 8 busy connections", testPoolResize, NULL);
    virTestRun("max clients below the connected: they stay, new ones wait",
               testClientLimits, NULL);
    virTestRun("client-disconnect with a call in flight", testDisconnect, NULL);
    virTestRun("the remote socket refuses the admin program", testRemoteRefusesAdmin, NULL);
    virTestRun("the admin socket refuses other users", testNonOwnerRefused, NULL);
    virTestRun("metrics count the calls made", testMetrics, NULL);

    testConnClose(&adm);
    virNetServerShutdown(adminSrv, 1000);
    virNetServerShutdown(srv, 1000);
    virNetServerUnref(adminSrv);
    virNetServerUnref(srv);
    virAdmDaemonFree(dmn);
    virEventThreadFree(evt);
    g_free(demoPath);
    g_free(adminPath);
    return virTestResult();
}
