/*
 * test-daemon-api.c: the client API (src/client) against a real virtnetd.
 *
 * One daemon per run, started from the build tree with its sockets in the
 * test's temporary directory (and TCP on 127.0.0.1, port chosen by the
 * kernel). Every procedure of the remote program is called at least once,
 * through the API where it has a function and raw (the generated stubs or
 * virNetClientProgramCall) where it has not; errors are checked by code.
 * At the end the daemon gets SIGTERM and must exit with status 0 (with
 * --enable-sanitizers that includes LeakSanitizer's verdict on it).
 *
 * The test driver's test:///default state lives while a connection to it
 * is open: gconn stays open from the first case to the last.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "testutils.h"
#include "vnclient.h"
#include "vnclientpriv.h"
#include "remote_protocol.h"
#include "remote_protocol_client.h"
#include "virdomaintypes.h"

#ifndef VIRTNET_ABS_BUILDDIR
# define VIRTNET_ABS_BUILDDIR "."
#endif

#define TEST_XDR_VOID ((xdrproc_t)(void (*)(void))xdr_void)

/* The public values are libvirt's, as the driver's are. */
G_STATIC_ASSERT((int)VIR_DOMAIN_RUNNING == (int)VIR_DOMAIN_RUNNING);
G_STATIC_ASSERT((int)VIR_DOMAIN_PAUSED == (int)VIR_DOMAIN_PAUSED);
G_STATIC_ASSERT((int)VIR_DOMAIN_SHUTOFF == (int)VIR_DOMAIN_SHUTOFF);
G_STATIC_ASSERT((int)VIR_DOMAIN_PMSUSPENDED == (int)VIR_DOMAIN_PMSUSPENDED);
G_STATIC_ASSERT((int)VIR_DOMAIN_EVENT_DEFINED == (int)VIR_DOMAIN_EVENT_DEFINED);
G_STATIC_ASSERT((int)VIR_DOMAIN_EVENT_UNDEFINED == (int)VIR_DOMAIN_EVENT_UNDEFINED);
G_STATIC_ASSERT((int)VIR_DOMAIN_EVENT_STARTED == (int)VIR_DOMAIN_EVENT_STARTED);
G_STATIC_ASSERT((int)VIR_DOMAIN_EVENT_SUSPENDED == (int)VIR_DOMAIN_EVENT_SUSPENDED);
G_STATIC_ASSERT((int)VIR_DOMAIN_EVENT_RESUMED == (int)VIR_DOMAIN_EVENT_RESUMED);
G_STATIC_ASSERT((int)VIR_DOMAIN_EVENT_STOPPED == (int)VIR_DOMAIN_EVENT_STOPPED);
G_STATIC_ASSERT((int)VIR_DOMAIN_EVENT_CRASHED == (int)VIR_DOMAIN_EVENT_CRASHED);
G_STATIC_ASSERT((int)VIR_DOMAIN_EVENT_STOPPED_DESTROYED == (int)VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
G_STATIC_ASSERT((int)VIR_DOMAIN_EVENT_DEFINED_UPDATED == (int)VIR_DOMAIN_EVENT_DEFINED_UPDATED);
G_STATIC_ASSERT((int)VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART == (int)VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART);
G_STATIC_ASSERT((int)VIR_DOMAIN_START_VALIDATE == (int)VIR_DOMAIN_START_VALIDATE);
G_STATIC_ASSERT((int)VIR_DOMAIN_XML_MIGRATABLE == (int)VIR_DOMAIN_XML_MIGRATABLE);
G_STATIC_ASSERT((int)VIR_UUID_BUFLEN == (int)VIR_UUID_BUFLEN);

#define TEST_DOM_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"


/* ---- the daemon ------------------------------------------------------------- */

typedef struct {
    GPid pid;
    int out;                    /* its stdout */
    char *dir;
    char *sock;
    char *sockro;
    int tcpPort;
    char *uri;                  /* test+unix:///default?socket=<rw> */
    char *uriro;                /* ... the read-only socket */
    char *uritcp;
} testDaemon;

static testDaemon daemon_ = { .pid = -1, .out = -1 };
static vnConnect *gconn;        /* open from the first case to the last */


static void
testDaemonKillAtExit(void)
{
    if (daemon_.pid > 0) {
        kill(daemon_.pid, SIGKILL);
        waitpid(daemon_.pid, NULL, 0);
        daemon_.pid = -1;
    }
}


/* One line of the daemon's stdout, waiting at most until deadline (us). */
static char *
testDaemonReadLine(testDaemon *d, GString *buf, gint64 deadline)
{
    for (;;) {
        char *nl = memchr(buf->str, '\n', buf->len);
        struct pollfd pfd = { .fd = d->out, .events = POLLIN };
        char chunk[512];
        gint64 left;
        ssize_t n;

        if (nl) {
            char *line = g_strndup(buf->str, nl - buf->str);

            g_string_erase(buf, 0, nl - buf->str + 1);
            return line;
        }
        left = (deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0)
            return NULL;
        if (poll(&pfd, 1, (int)left) <= 0)
            continue;
        if ((n = read(d->out, chunk, sizeof(chunk))) <= 0)
            return NULL;
        g_string_append_len(buf, chunk, n);
    }
}


static int
testDaemonStart(testDaemon *d)
{
    const char *builddir = getenv("VIRTNET_TEST_BUILDDIR");
    g_autofree char *bin = NULL;
    g_autofree char *conf = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GString) buf = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + 30 * G_TIME_SPAN_SECOND;
    char *argv[6];
    bool ready = false;

    bin = g_build_filename(builddir && *builddir ? builddir : VIRTNET_ABS_BUILDDIR,
                           "daemon", "virtnetd", NULL);
    if (!g_file_test(bin, G_FILE_TEST_IS_EXECUTABLE)) {
        fprintf(stderr, "daemon binary %s missing (make daemon/virtnetd)\n", bin);
        return -1;
    }
    d->dir = g_build_filename(virTestTempDir(), "run", NULL);
    g_mkdir_with_parents(d->dir, 0700);
    conf = g_build_filename(virTestTempDir(), "virtnetd.conf", NULL);
    text = g_strdup_printf("unix_sock_dir = \"%s\"\n"
                           "listen_tcp = 1\n"
                           "listen_addr = \"127.0.0.1\"\n"
                           "tcp_port = \"0\"\n"
                           "auth_tcp = \"none\"\n", d->dir);
    if (!g_file_set_contents(conf, text, -1, &gerr)) {
        fprintf(stderr, "cannot write %s: %s\n", conf, gerr->message);
        return -1;
    }

    argv[0] = bin;
    argv[1] = (char *)"-f";
    argv[2] = conf;
    argv[3] = (char *)"-l";
    argv[4] = NULL;
    if (!g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                  &d->pid, NULL, &d->out, NULL, &gerr)) {
        fprintf(stderr, "cannot start %s: %s\n", bin, gerr->message);
        return -1;
    }
    atexit(testDaemonKillAtExit);

    while (!ready) {
        g_autofree char *line = testDaemonReadLine(d, buf, deadline);
        const char *p;

        if (!line) {
            fprintf(stderr, "virtnetd did not say \"ready\" within 30 s\n");
            return -1;
        }
        if (virTestVerbose())
            fprintf(stderr, "daemon: %s\n", line);
        if ((p = strstr(line, "listening on tcp ")) && (p = strstr(p, " port ")))
            d->tcpPort = atoi(p + 6);
        if (g_str_has_prefix(line, "virtnetd: ready"))
            ready = true;
    }
    if (d->tcpPort <= 0) {
        fprintf(stderr, "virtnetd did not say which TCP port it listens on\n");
        return -1;
    }
    d->sock = g_build_filename(d->dir, "libvirt-sock", NULL);
    d->sockro = g_build_filename(d->dir, "libvirt-sock-ro", NULL);
    d->uri = g_strdup_printf("test+unix:///default?socket=%s", d->sock);
    d->uriro = g_strdup_printf("test+unix:///default?socket=%s", d->sockro);
    d->uritcp = g_strdup_printf("test+tcp://127.0.0.1:%d/default", d->tcpPort);
    return 0;
}


/* SIGTERM; the daemon must exit 0 within 40 s. */
static int
testDaemonStop(testDaemon *d)
{
    gint64 deadline = g_get_monotonic_time() + 40 * G_TIME_SPAN_SECOND;
    int status = 0;
    pid_t r = 0;

    if (d->pid <= 0)
        return -1;
    kill(d->pid, SIGTERM);
    while (g_get_monotonic_time() < deadline) {
        if ((r = waitpid(d->pid, &status, WNOHANG)) != 0)
            break;
        g_usleep(20 * 1000);
    }
    if (r == 0) {
        fprintf(stderr, "virtnetd did not exit within 40 s of SIGTERM\n");
        return -1;
    }
    d->pid = -1;
    if (r < 0) {
        fprintf(stderr, "waitpid: %s\n", g_strerror(errno));
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "virtnetd ended with %s %d\n",
                WIFEXITED(status) ? "exit status" : "signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return -1;
    }
    return 0;
}


/* ---- helpers ----------------------------------------------------------------- */

#define TEST_ASSERT_ERROR(expr, code) \
    do { \
        if ((expr)) \
            VIR_TEST_FAIL("%s succeeded, expected error %d", #expr, (int)(code)); \
        if (vnGetLastErrorCode() != (code)) \
            VIR_TEST_FAIL("%s: error %d (%s), expected %d", #expr, vnGetLastErrorCode(), \
                          vnGetLastErrorMessage(), (int)(code)); \
    } while (0)

/* The call failed with an error whose message contains text. */
#define TEST_ASSERT_ERROR_MSG(expr, code, text) \
    do { \
        TEST_ASSERT_ERROR(expr, code); \
        if (!strstr(vnGetLastErrorMessage(), (text))) \
            VIR_TEST_FAIL("%s: message \"%s\" lacks \"%s\"", #expr, \
                          vnGetLastErrorMessage(), (text)); \
    } while (0)

#define TEST_ASSERT_OK(expr) \
    do { \
        if (!(expr)) \
            VIR_TEST_FAIL("%s failed: %s (code %d)", #expr, vnGetLastErrorMessage(), \
                          vnGetLastErrorCode()); \
    } while (0)


static char *
testDomainXML(const char *name, const char *uuid)
{
    return g_strdup_printf("<domain type='test'>\n"
                           "  <name>%s</name>\n"
                           "  <uuid>%s</uuid>\n"
                           "  <memory>1048576</memory>\n"
                           "  <vcpu>1</vcpu>\n"
                           "  <os><type>hvm</type></os>\n"
                           "</domain>\n", name, uuid);
}


static int
testDomainState(vnDomain *dom, int *reason)
{
    int state = -1;

    if (vnDomainGetState(dom, &state, reason, 0) < 0)
        return -1;
    return state;
}


/* Events as a callback saw them. */
typedef struct {
    char *name;
    int id;
    int event;
    int detail;
    int callbackTag;
    bool onEventThread;         /* not the thread that made the calls */
} testEvent;

typedef struct {
    GMutex lock;
    GCond cond;
    GPtrArray *events;          /* testEvent * */
    GThread *mainThread;
    int tag;                    /* copied into events (several registrations) */
    int freed;                  /* ff calls */
    vnConnect *callIn;          /* make a call from inside the callback */
    int callInOK;
} testRecorder;

static void
testEventFree(gpointer p)
{
    testEvent *ev = p;

    g_free(ev->name);
    g_free(ev);
}


static void
testRecorderInit(testRecorder *rec, int tag)
{
    memset(rec, 0, sizeof(*rec));
    g_mutex_init(&rec->lock);
    g_cond_init(&rec->cond);
    rec->events = g_ptr_array_new_with_free_func(testEventFree);
    rec->mainThread = g_thread_self();
    rec->tag = tag;
}


static void
testRecorderClear(testRecorder *rec)
{
    g_ptr_array_unref(rec->events);
    g_mutex_clear(&rec->lock);
    g_cond_clear(&rec->cond);
}


static void
testRecordLifecycle(vnConnect *conn G_GNUC_UNUSED, vnDomain *dom, int event, int detail,
                    void *opaque)
{
    testRecorder *rec = opaque;
    testEvent *ev = g_new0(testEvent, 1);

    ev->name = g_strdup(vnDomainGetName(dom));
    ev->id = (int)vnDomainGetID(dom);
    ev->event = event;
    ev->detail = detail;
    ev->callbackTag = rec->tag;
    ev->onEventThread = g_thread_self() != rec->mainThread;
    if (rec->callIn) {
        /* the API works from inside a callback (the event thread calls) */
        vnDomain *d = vnDomainLookupByName(rec->callIn, "test");

        if (d) {
            g_atomic_int_inc(&rec->callInOK);
            vnDomainFree(d);
        }
    }
    g_mutex_lock(&rec->lock);
    g_ptr_array_add(rec->events, ev);
    g_cond_broadcast(&rec->cond);
    g_mutex_unlock(&rec->lock);
}


static void
testRecorderFreed(void *opaque)
{
    testRecorder *rec = opaque;

    g_mutex_lock(&rec->lock);
    g_atomic_int_inc(&rec->freed);
    g_cond_broadcast(&rec->cond);
    g_mutex_unlock(&rec->lock);
}


/* Wait until the recorder holds at least n events (or ms passed); then
 * the count. */
static guint
testRecorderWait(testRecorder *rec, guint n, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    guint len;

    g_mutex_lock(&rec->lock);
    while (rec->events->len < n &&
           g_cond_wait_until(&rec->cond, &rec->lock, deadline))
        ;
    len = rec->events->len;
    g_mutex_unlock(&rec->lock);
    return len;
}


/* The recorder holds exactly these (name, event, detail) in order. */
static int
testRecorderCheck(testRecorder *rec, const char *const *names, const int (*expect)[2], guint n)
{
    guint got = testRecorderWait(rec, n, 5000);

    g_usleep(200 * 1000);   /* and nothing more arrives */
    g_mutex_lock(&rec->lock);
    got = rec->events->len;
    g_mutex_unlock(&rec->lock);
    for (guint i = 0; i < got && virTestVerbose(); i++) {
        testEvent *ev = g_ptr_array_index(rec->events, i);

        fprintf(stderr, "    event %u: %s %d/%d id %d\n", i, ev->name, ev->event,
                ev->detail, ev->id);
    }
    if (got != n)
        VIR_TEST_FAIL("got %u events, expected %u", got, n);
    for (guint i = 0; i < n; i++) {
        testEvent *ev = g_ptr_array_index(rec->events, i);

        if (strcmp(ev->name, names[i]) != 0 || ev->event != expect[i][0] ||
            ev->detail != expect[i][1])
            VIR_TEST_FAIL("event %u is %s %d/%d, expected %s %d/%d", i, ev->name,
                          ev->event, ev->detail, names[i], expect[i][0], expect[i][1]);
        if (!ev->onEventThread)
            VIR_TEST_FAIL("event %u was delivered on the calling thread", i);
    }
    return 0;
}


static vnConnect *
testOpen(const char *uri, unsigned int flags)
{
    vnConnect *conn = vnConnectOpen(uri, flags);

    if (!conn)
        fprintf(stderr, "  vnConnectOpen(%s): %s\n", uri ? uri : "NULL", vnGetLastErrorMessage());
    return conn;
}


/* ---- connecting ---------------------------------------------------------------- */

static int
testOpenUnix(const void *data G_GNUC_UNUSED)
{
    vnConnect *conn;

    if (!(gconn = testOpen(daemon_.uri, 0)))
        return -1;
    VIR_TEST_ASSERT_STR(vnConnectGetOpenURI(gconn), "test:///default");
    VIR_TEST_ASSERT_STR(vnConnectGetAddress(gconn), daemon_.sock);
    VIR_TEST_ASSERT(vnConnectHasFeature(gconn, 10));   /* keepalive */
    VIR_TEST_ASSERT(vnConnectHasFeature(gconn, 14));   /* event callbacks */
    VIR_TEST_ASSERT(vnConnectIsAlive(gconn));

    /* parameters the client does not use are passed on; name= replaces all */
    {
        g_autofree char *uri = g_strdup_printf("test+unix:///default?socket=%s&name=test%%3A%%2F%%2F%%2Fdefault",
                                               daemon_.sock);
        TEST_ASSERT_OK(conn = vnConnectOpen(uri, 0));
        VIR_TEST_ASSERT_STR(vnConnectGetOpenURI(conn), "test:///default");
        VIR_TEST_ASSERT_INT(vnConnectClose(conn), 0);
    }
    {
        g_autofree char *uri = g_strdup_printf("test+unix:///default?foo=bar&socket=%s",
                                               daemon_.sock);
        /* the test driver takes no parameters: the daemon's driver decides */
        conn = vnConnectOpen(uri, 0);
        if (conn) {
            VIR_TEST_ASSERT_STR(vnConnectGetOpenURI(conn), "test:///default?foo=bar");
            vnConnectClose(conn);
        }
    }
    return 0;
}


static int
testOpenDefaultSocket(const void *data G_GNUC_UNUSED)
{
    vnConnect *conn;
    g_autofree char *xdg = g_build_filename(virTestTempDir(), "xdg", NULL);
    g_autofree char *xdgdir = g_build_filename(xdg, "virtnet", NULL);
    g_autofree char *link = g_build_filename(xdgdir, "libvirt-sock", NULL);
    g_autofree char *linkro = g_build_filename(xdgdir, "libvirt-sock-ro", NULL);

    /* VIRTNET_SOCKET names the socket of a plain URI */
    g_setenv("VIRTNET_SOCKET", daemon_.sock, TRUE);
    conn = testOpen("test:///default", 0);
    g_unsetenv("VIRTNET_SOCKET");
    if (!conn)
        return -1;
    VIR_TEST_ASSERT_STR(vnConnectGetAddress(conn), daemon_.sock);
    VIR_TEST_ASSERT_STR(vnConnectGetOpenURI(conn), "test:///default");
    vnConnectClose(conn);

    if (geteuid() == 0) {
        /* root's default is RUNSTATEDIR/virtnet: only check the path it tries */
        return 0;
    }
    /* the user's run directory, and -ro for read-only */
    g_mkdir_with_parents(xdgdir, 0700);
    if (symlink(daemon_.sock, link) < 0 || symlink(daemon_.sockro, linkro) < 0)
        VIR_TEST_FAIL("symlink: %s", g_strerror(errno));
    g_setenv("XDG_RUNTIME_DIR", xdg, TRUE);
    conn = testOpen("test:///default", 0);
    if (conn) {
        VIR_TEST_ASSERT_STR(vnConnectGetAddress(conn), link);
        vnConnectClose(conn);
    }
    conn = testOpen(NULL, VIR_CONNECT_RO);
    g_unsetenv("XDG_RUNTIME_DIR");
    if (!conn)
        return -1;
    VIR_TEST_ASSERT_STR(vnConnectGetAddress(conn), linkro);
    vnConnectClose(conn);
    return 0;
}


static int
testOpenTCP(const void *data G_GNUC_UNUSED)
{
    vnConnect *conn;
    g_autofree char *port = g_strdup_printf("127.0.0.1:%d", daemon_.tcpPort);
    vnDomain *dom;

    if (!(conn = testOpen(daemon_.uritcp, 0)))
        return -1;
    VIR_TEST_ASSERT_STR(vnConnectGetOpenURI(conn), "test:///default");
    VIR_TEST_ASSERT_STR(vnConnectGetAddress(conn), port);
    TEST_ASSERT_OK(dom = vnDomainLookupByName(conn, "test"));
    VIR_TEST_ASSERT_INT(vnDomainGetID(dom), 1);
    vnDomainFree(dom);
    /* the test driver calls itself secure; over TCP only its word counts */
    VIR_TEST_ASSERT_INT(vnConnectIsSecure(conn), 1);
    VIR_TEST_ASSERT_INT(vnConnectClose(conn), 0);
    return 0;
}


static int
testOpenErrors(const void *data G_GNUC_UNUSED)
{
    g_autofree char *missing = g_build_filename(virTestTempDir(), "no-such-sock", NULL);
    g_autofree char *urimissing = g_strdup_printf("test+unix:///default?socket=%s", missing);
    g_autofree char *uribogus = g_strdup_printf("bogus+unix:///default?socket=%s", daemon_.sock);
    g_autofree char *urinopath = g_strdup_printf("test+unix:///?socket=%s", daemon_.sock);

    TEST_ASSERT_ERROR(vnConnectOpen("test+ssh://host/default", 0), VIR_ERR_NO_SUPPORT);
    /* a host without transport means tls: its certificate files first */
    TEST_ASSERT_ERROR_MSG(vnConnectOpen("test://host/default?pkipath=/nonexistent-pki", 0),
                          VIR_ERR_SYSTEM_ERROR, "/nonexistent-pki/cacert.pem");
    TEST_ASSERT_ERROR(vnConnectOpen("test+unix://host/default", 0), VIR_ERR_INVALID_ARG);
    TEST_ASSERT_ERROR(vnConnectOpen("::not a uri", 0), VIR_ERR_INVALID_ARG);
    TEST_ASSERT_ERROR(vnConnectOpen(daemon_.uri, 0x100), VIR_ERR_INVALID_ARG);
    TEST_ASSERT_ERROR(vnConnectOpen(urimissing, 0), VIR_ERR_SYSTEM_ERROR);
    /* the daemon's answers to CONNECT_OPEN */
    TEST_ASSERT_ERROR(vnConnectOpen(uribogus, 0), VIR_ERR_NO_CONNECT);
    TEST_ASSERT_ERROR_MSG(vnConnectOpen(urinopath, 0), VIR_ERR_INVALID_ARG,
                          "supply a path or use test:///default");
    /* and an API call without a connection */
    TEST_ASSERT_ERROR(vnConnectGetType(NULL), VIR_ERR_INVALID_CONN);
    TEST_ASSERT_ERROR(vnDomainGetName(NULL), VIR_ERR_INVALID_DOMAIN);
    return 0;
}


/* ---- the connection's procedures ----------------------------------------------- */

static int
testConnectGetters(const void *data G_GNUC_UNUSED)
{
    unsigned long v = 0;
    char *s;
    virNodeInfo info;
    virSecurityModel sec;
    char host[256] = "";
    const char *type;

    TEST_ASSERT_OK(type = vnConnectGetType(gconn));
    VIR_TEST_ASSERT_STR(type, "TEST");
    VIR_TEST_ASSERT(vnConnectGetType(gconn) == type);     /* cached */
    TEST_ASSERT_OK(vnConnectGetVersion(gconn, &v) == 0);
    VIR_TEST_ASSERT_INT(v, 2);
    TEST_ASSERT_OK(vnConnectGetLibVersion(gconn, &v) == 0);
    VIR_TEST_ASSERT_INT(v, 9000000);
    TEST_ASSERT_OK(s = vnConnectGetHostname(gconn));
    gethostname(host, sizeof(host) - 1);
    VIR_TEST_ASSERT_STR(s, host);
    free(s);
    TEST_ASSERT_OK(s = vnConnectGetURI(gconn));
    VIR_TEST_ASSERT_STR(s, "test:///default");
    free(s);
    TEST_ASSERT_OK(s = vnConnectGetCapabilities(gconn));
    VIR_TEST_ASSERT(strstr(s, "<capabilities>") != NULL);
    VIR_TEST_ASSERT(strstr(s, "testSecurity") != NULL);
    VIR_TEST_ASSERT(strstr(s, "/usr/bin/test-hv") != NULL);
    free(s);
    VIR_TEST_ASSERT_INT(vnConnectIsSecure(gconn), 1);
    VIR_TEST_ASSERT_INT(vnConnectGetMaxVcpus(gconn, NULL), 32);
    VIR_TEST_ASSERT_INT(vnConnectGetMaxVcpus(gconn, "test"), 32);

    TEST_ASSERT_OK(vnNodeGetInfo(gconn, &info) == 0);
    VIR_TEST_ASSERT_STR(info.model, "i686");
    VIR_TEST_ASSERT_INT(info.memory, 3145728);
    VIR_TEST_ASSERT_INT(info.cpus, 16);
    VIR_TEST_ASSERT_INT(info.mhz, 1400);
    VIR_TEST_ASSERT_INT(info.nodes, 2);
    VIR_TEST_ASSERT_INT(info.sockets, 2);
    VIR_TEST_ASSERT_INT(info.cores, 2);
    VIR_TEST_ASSERT_INT(info.threads, 2);

    TEST_ASSERT_OK(vnNodeGetSecurityModel(gconn, &sec) == 0);
    VIR_TEST_ASSERT_STR(sec.model, "testSecurity");
    VIR_TEST_ASSERT_STR(sec.doi, "");

    TEST_ASSERT_ERROR(vnConnectGetVersion(gconn, NULL) == 0, VIR_ERR_INVALID_ARG);
    return 0;
}


static int
testListDomains(const void *data G_GNUC_UNUSED)
{
    vnDomain **doms = NULL;
    int ids[4] = { 0 };
    char *names[4] = { NULL };
    char uuid[VIR_UUID_STRING_BUFLEN];
    int n;

    n = vnConnectListAllDomains(gconn, &doms, 0);
    VIR_TEST_ASSERT_INT(n, 1);
    VIR_TEST_ASSERT(doms[1] == NULL);
    VIR_TEST_ASSERT_STR(vnDomainGetName(doms[0]), "test");
    VIR_TEST_ASSERT_INT(vnDomainGetID(doms[0]), 1);
    vnDomainGetUUIDString(doms[0], uuid);
    VIR_TEST_ASSERT_STR(uuid, TEST_DOM_UUID);
    vnDomainFree(doms[0]);
    free(doms);

    VIR_TEST_ASSERT_INT(vnConnectListAllDomains(gconn, NULL, 0), 1);  /* count only */
    VIR_TEST_ASSERT_INT(vnConnectListAllDomains(gconn, &doms, VIR_CONNECT_LIST_DOMAINS_INACTIVE), 0);
    VIR_TEST_ASSERT(doms && doms[0] == NULL);
    free(doms);
    VIR_TEST_ASSERT_INT(vnConnectListAllDomains(gconn, NULL,
                                                VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                                                VIR_CONNECT_LIST_DOMAINS_PERSISTENT), 1);

    VIR_TEST_ASSERT_INT(vnConnectNumOfDomains(gconn), 1);
    VIR_TEST_ASSERT_INT(vnConnectListDomains(gconn, ids, 4), 1);
    VIR_TEST_ASSERT_INT(ids[0], 1);
    VIR_TEST_ASSERT_INT(vnConnectNumOfDefinedDomains(gconn), 0);
    VIR_TEST_ASSERT_INT(vnConnectListDefinedDomains(gconn, names, 4), 0);
    TEST_ASSERT_ERROR(vnConnectListDomains(gconn, ids, -1) >= 0, VIR_ERR_INVALID_ARG);
    return 0;
}


static int
testLookups(const void *data G_GNUC_UNUSED)
{
    unsigned char uuid[VIR_UUID_BUFLEN], got[VIR_UUID_BUFLEN];
    unsigned char zero[VIR_UUID_BUFLEN] = { 0 };
    vnDomain *a, *b, *c, *d;

    VIR_TEST_ASSERT_INT(vnUUIDParse(TEST_DOM_UUID, uuid), 0);
    VIR_TEST_ASSERT_INT(vnUUIDParse("6695eb01f6a4830479aa97f2502e193f", got), 0);
    VIR_TEST_ASSERT(memcmp(uuid, got, VIR_UUID_BUFLEN) == 0);
    VIR_TEST_ASSERT_INT(vnUUIDParse("6695eb01-f6a4-8304-79aa-97f2502e193", got), -1);
    VIR_TEST_ASSERT_INT(vnUUIDParse("6695eb01-f6a4-8304-79aa-97f2502e193fx", got), -1);

    TEST_ASSERT_OK(a = vnDomainLookupByName(gconn, "test"));
    TEST_ASSERT_OK(b = vnDomainLookupByUUID(gconn, uuid));
    TEST_ASSERT_OK(c = vnDomainLookupByUUIDString(gconn, TEST_DOM_UUID));
    TEST_ASSERT_OK(d = vnDomainLookupByID(gconn, 1));
    VIR_TEST_ASSERT_STR(vnDomainGetName(b), "test");
    VIR_TEST_ASSERT_STR(vnDomainGetName(d), "test");
    VIR_TEST_ASSERT_INT(vnDomainGetID(a), 1);
    VIR_TEST_ASSERT_INT(vnDomainGetID(c), 1);
    vnDomainGetUUID(d, got);
    VIR_TEST_ASSERT(memcmp(uuid, got, VIR_UUID_BUFLEN) == 0);
    VIR_TEST_ASSERT(vnDomainGetConnect(a) == gconn);
    VIR_TEST_ASSERT(vnDomainRef(a) == a);
    vnDomainFree(a);
    vnDomainFree(a);
    vnDomainFree(b);
    vnDomainFree(c);
    vnDomainFree(d);

    TEST_ASSERT_ERROR_MSG(vnDomainLookupByName(gconn, "nope"), VIR_ERR_NO_DOMAIN,
                          "Domain not found");
    VIR_TEST_ASSERT_INT(vnGetLastError()->domain, VIR_FROM_TEST);
    TEST_ASSERT_ERROR(vnDomainLookupByUUID(gconn, zero), VIR_ERR_NO_DOMAIN);
    TEST_ASSERT_ERROR(vnDomainLookupByID(gconn, 4242), VIR_ERR_NO_DOMAIN);
    TEST_ASSERT_ERROR(vnDomainLookupByUUIDString(gconn, "not-a-uuid"), VIR_ERR_INVALID_ARG);
    TEST_ASSERT_ERROR(vnDomainLookupByID(gconn, -1), VIR_ERR_INVALID_ARG);
    TEST_ASSERT_ERROR(vnDomainLookupByName(gconn, NULL), VIR_ERR_INVALID_ARG);
    return 0;
}


static int
testDomainGetters(const void *data G_GNUC_UNUSED)
{
    vnDomain *dom;
    virDomainInfo info;
    virSecurityLabel label;
    int state, reason, autostart = -1;
    char *s;

    TEST_ASSERT_OK(dom = vnDomainLookupByName(gconn, "test"));
    TEST_ASSERT_OK(vnDomainGetInfo(dom, &info) == 0);
    VIR_TEST_ASSERT_INT(info.state, VIR_DOMAIN_RUNNING);
    VIR_TEST_ASSERT_INT(info.maxMem, 8388608);
    VIR_TEST_ASSERT_INT(info.memory, 2097152);
    VIR_TEST_ASSERT_INT(info.nrVirtCpu, 2);
    TEST_ASSERT_OK(vnDomainGetState(dom, &state, &reason, 0) == 0);
    VIR_TEST_ASSERT_INT(state, VIR_DOMAIN_RUNNING);
    VIR_TEST_ASSERT_INT(reason, 0);
    VIR_TEST_ASSERT_STR(vnDomainStateReasonToString(state, reason), "unknown");
    TEST_ASSERT_OK(s = vnDomainGetXMLDesc(dom, 0));
    VIR_TEST_ASSERT(strstr(s, "<name>test</name>") != NULL);
    VIR_TEST_ASSERT(strstr(s, TEST_DOM_UUID) != NULL);
    free(s);
    TEST_ASSERT_OK(s = vnDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE));
    VIR_TEST_ASSERT(strstr(s, "<domain type='test'") != NULL);
    free(s);
    TEST_ASSERT_OK(s = vnDomainGetOSType(dom));
    VIR_TEST_ASSERT_STR(s, "linux");
    free(s);
    TEST_ASSERT_OK(vnDomainGetAutostart(dom, &autostart) == 0);
    VIR_TEST_ASSERT_INT(autostart, 0);
    VIR_TEST_ASSERT_INT(vnDomainIsActive(dom), 1);
    VIR_TEST_ASSERT_INT(vnDomainIsPersistent(dom), 1);
    VIR_TEST_ASSERT_INT(vnDomainHasManagedSaveImage(dom, 0), 0);
    TEST_ASSERT_OK(vnDomainGetSecurityLabel(dom, &label) == 0);
    VIR_TEST_ASSERT_STR(label.label, "libvirt-test");
    VIR_TEST_ASSERT_INT(label.enforcing, 1);
    TEST_ASSERT_ERROR(vnDomainGetState(dom, &state, NULL, 0x40) == 0, VIR_ERR_INVALID_ARG);
    vnDomainFree(dom);
    return 0;
}


/* Keys to the guest (a generated client call with an array argument): the
 * test driver checks each code against its codeset. */
static int
testSendKey(const void *data G_GNUC_UNUSED)
{
    static const unsigned int ok[] = { 29, 56, 111 };          /* ctrl alt delete (linux) */
    static const unsigned int bad[] = { 4, 0x300 };            /* usb: a, then nothing */
    g_autofree char *xml = testDomainXML("vnkey", "11111111-0000-0000-0000-00000000000a");
    vnDomain *dom, *off;

    TEST_ASSERT_OK(dom = vnDomainLookupByName(gconn, "test"));
    TEST_ASSERT_OK(vnDomainSendKey(dom, 0, 100, ok, 3, 0) == 0);
    TEST_ASSERT_ERROR_MSG(vnDomainSendKey(dom, 7, 0, bad, 2, 0) == 0, VIR_ERR_INTERNAL_ERROR,
                          "invalid keycode 768 of usb codeset");
    TEST_ASSERT_ERROR(vnDomainSendKey(dom, 0, 0, ok, 3, 1) == 0, VIR_ERR_INVALID_ARG);
    TEST_ASSERT_OK(off = vnDomainDefineXML(gconn, xml));
    TEST_ASSERT_ERROR_MSG(vnDomainSendKey(off, 0, 0, ok, 1, 0) == 0, VIR_ERR_OPERATION_INVALID,
                          "domain is not running");
    vnDomainFree(off);
    vnDomainFree(dom);
    return 0;
}


/* ---- changing domains ----------------------------------------------------------- */

static int
testLifecycle(const void *data G_GNUC_UNUSED)
{
    g_autofree char *xml = testDomainXML("vn1", "11111111-0000-0000-0000-000000000001");
    g_autofree char *xml2 = testDomainXML("vn2", "11111111-0000-0000-0000-000000000002");
    char *names[4] = { NULL };
    vnDomain *dom, *dom2, *again;
    int reason, autostart = -1;
    unsigned int id;

    TEST_ASSERT_OK(dom = vnDomainDefineXML(gconn, xml));
    VIR_TEST_ASSERT_STR(vnDomainGetName(dom), "vn1");
    VIR_TEST_ASSERT_INT(vnDomainGetID(dom), (unsigned int)-1);
    VIR_TEST_ASSERT_INT(testDomainState(dom, &reason), VIR_DOMAIN_SHUTOFF);
    VIR_TEST_ASSERT_INT(vnDomainIsActive(dom), 0);
    VIR_TEST_ASSERT_INT(vnDomainIsPersistent(dom), 1);
    VIR_TEST_ASSERT_INT(vnConnectNumOfDefinedDomains(gconn), 1);
    VIR_TEST_ASSERT_INT(vnConnectListDefinedDomains(gconn, names, 4), 1);
    VIR_TEST_ASSERT_STR(names[0], "vn1");
    free(names[0]);

    /* start: the id comes from the LOOKUP_BY_UUID that follows CREATE */
    TEST_ASSERT_OK(vnDomainCreate(dom) == 0);
    id = vnDomainGetID(dom);
    VIR_TEST_ASSERT(id != (unsigned int)-1 && id > 1);
    VIR_TEST_ASSERT_INT(testDomainState(dom, &reason), VIR_DOMAIN_RUNNING);
    VIR_TEST_ASSERT_INT(reason, 1);         /* booted */
    TEST_ASSERT_OK(again = vnDomainLookupByID(gconn, (int)id));
    VIR_TEST_ASSERT_STR(vnDomainGetName(again), "vn1");
    vnDomainFree(again);
    /* libvirt's test driver: an internal error, not OPERATION_INVALID */
    TEST_ASSERT_ERROR_MSG(vnDomainCreate(dom) == 0, VIR_ERR_INTERNAL_ERROR,
                          "Domain 'vn1' is already running");

    TEST_ASSERT_OK(vnDomainSuspend(dom) == 0);
    VIR_TEST_ASSERT_INT(testDomainState(dom, &reason), VIR_DOMAIN_PAUSED);
    VIR_TEST_ASSERT_INT(reason, 1);         /* user */
    TEST_ASSERT_ERROR_MSG(vnDomainSuspend(dom) == 0, VIR_ERR_INTERNAL_ERROR, "not running");
    TEST_ASSERT_OK(vnDomainResume(dom) == 0);
    VIR_TEST_ASSERT_INT(testDomainState(dom, &reason), VIR_DOMAIN_RUNNING);
    VIR_TEST_ASSERT_INT(reason, 5);         /* unpaused */
    TEST_ASSERT_ERROR_MSG(vnDomainResume(dom) == 0, VIR_ERR_INTERNAL_ERROR, "not paused");

    TEST_ASSERT_OK(vnDomainReboot(dom, 0) == 0);
    VIR_TEST_ASSERT_INT(testDomainState(dom, &reason), VIR_DOMAIN_RUNNING);
    TEST_ASSERT_OK(vnDomainShutdown(dom) == 0);      /* on_poweroff destroy */
    VIR_TEST_ASSERT_INT(testDomainState(dom, &reason), VIR_DOMAIN_SHUTOFF);
    VIR_TEST_ASSERT_INT(reason, 1);         /* shutdown */
    TEST_ASSERT_ERROR(vnDomainShutdown(dom) == 0, VIR_ERR_INTERNAL_ERROR);
    TEST_ASSERT_ERROR_MSG(vnDomainDestroy(dom) == 0, VIR_ERR_OPERATION_INVALID,
                          "domain is not running");
    TEST_ASSERT_ERROR(vnDomainReboot(dom, 0) == 0, VIR_ERR_OPERATION_INVALID);

    TEST_ASSERT_OK(vnDomainCreateWithFlags(dom, 0) == 0);
    VIR_TEST_ASSERT(vnDomainGetID(dom) != (unsigned int)-1);
    VIR_TEST_ASSERT(vnDomainGetID(dom) != id);   /* ids are not reused */
    TEST_ASSERT_ERROR(vnDomainCreateWithFlags(dom, 0) == 0, VIR_ERR_INTERNAL_ERROR);
    TEST_ASSERT_OK(vnDomainShutdownFlags(dom, 0) == 0);
    VIR_TEST_ASSERT_INT(testDomainState(dom, NULL), VIR_DOMAIN_SHUTOFF);
    TEST_ASSERT_ERROR(vnDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED) == 0,
                      VIR_ERR_INVALID_ARG);
    TEST_ASSERT_OK(vnDomainCreate(dom) == 0);
    TEST_ASSERT_ERROR(vnDomainDestroyFlags(dom, 0x62) == 0, VIR_ERR_INVALID_ARG);
    TEST_ASSERT_OK(vnDomainDestroyFlags(dom, 0) == 0);
    VIR_TEST_ASSERT_INT(vnDomainGetID(dom), (unsigned int)-1);
    VIR_TEST_ASSERT_INT(testDomainState(dom, &reason), VIR_DOMAIN_SHUTOFF);
    VIR_TEST_ASSERT_INT(reason, 2);         /* destroyed */
    TEST_ASSERT_OK(vnDomainCreate(dom) == 0);
    TEST_ASSERT_OK(vnDomainDestroy(dom) == 0);
    VIR_TEST_ASSERT_INT(vnDomainGetID(dom), (unsigned int)-1);

    TEST_ASSERT_OK(vnDomainSetAutostart(dom, 1) == 0);
    TEST_ASSERT_OK(vnDomainGetAutostart(dom, &autostart) == 0);
    VIR_TEST_ASSERT_INT(autostart, 1);
    VIR_TEST_ASSERT_INT(vnConnectListAllDomains(gconn, NULL, VIR_CONNECT_LIST_DOMAINS_AUTOSTART), 1);
    TEST_ASSERT_OK(vnDomainSetAutostart(dom, 0) == 0);
    TEST_ASSERT_OK(vnDomainGetAutostart(dom, &autostart) == 0);
    VIR_TEST_ASSERT_INT(autostart, 0);

    /* defining the same domain again updates it; same name, other UUID fails */
    TEST_ASSERT_OK(again = vnDomainDefineXML(gconn, xml));
    vnDomainFree(again);
    {
        g_autofree char *clash = testDomainXML("vn1", "11111111-0000-0000-0000-0000000000ff");
        g_autofree char *clash2 = testDomainXML("other", "11111111-0000-0000-0000-000000000001");

        TEST_ASSERT_ERROR_MSG(vnDomainDefineXML(gconn, clash), VIR_ERR_OPERATION_FAILED,
                              "already exists with uuid");
        TEST_ASSERT_ERROR_MSG(vnDomainDefineXML(gconn, clash2), VIR_ERR_OPERATION_FAILED,
                              "is already defined with uuid");
    }

    TEST_ASSERT_OK(vnDomainUndefineFlags(dom, 0) == 0);
    TEST_ASSERT_ERROR(vnDomainLookupByName(gconn, "vn1"), VIR_ERR_NO_DOMAIN);
    /* the old handle names a domain that is gone */
    TEST_ASSERT_ERROR(vnDomainGetInfo(dom, &(virDomainInfo){ 0 }) == 0, VIR_ERR_NO_DOMAIN);
    TEST_ASSERT_ERROR(vnDomainCreate(dom) == 0, VIR_ERR_NO_DOMAIN);
    vnDomainFree(dom);

    /* DEFINE_XML_FLAGS (validate) and plain UNDEFINE */
    TEST_ASSERT_OK(dom2 = vnDomainDefineXMLFlags(gconn, xml2, VIR_DOMAIN_DEFINE_VALIDATE));
    VIR_TEST_ASSERT_STR(vnDomainGetName(dom2), "vn2");
    TEST_ASSERT_ERROR(vnDomainDefineXMLFlags(gconn, xml2, 0x80), VIR_ERR_INVALID_ARG);
    TEST_ASSERT_OK(vnDomainUndefine(dom2) == 0);
    TEST_ASSERT_ERROR(vnDomainUndefine(dom2) == 0, VIR_ERR_NO_DOMAIN);
    vnDomainFree(dom2);
    VIR_TEST_ASSERT_INT(vnConnectNumOfDefinedDomains(gconn), 0);
    return 0;
}


static int
testCreateXML(const void *data G_GNUC_UNUSED)
{
    g_autofree char *xml = testDomainXML("vnt", "22222222-0000-0000-0000-000000000001");
    vnDomain *dom;
    int ids[8];

    TEST_ASSERT_OK(dom = vnDomainCreateXML(gconn, xml, 0));
    VIR_TEST_ASSERT(vnDomainGetID(dom) != (unsigned int)-1);
    VIR_TEST_ASSERT_INT(vnDomainIsActive(dom), 1);
    VIR_TEST_ASSERT_INT(vnDomainIsPersistent(dom), 0);
    VIR_TEST_ASSERT_INT(vnConnectNumOfDomains(gconn), 2);
    VIR_TEST_ASSERT_INT(vnConnectListDomains(gconn, ids, 8), 2);
    /* the server keeps to max_ids */
    VIR_TEST_ASSERT_INT(vnConnectListDomains(gconn, ids, 1), 1);
    VIR_TEST_ASSERT_INT(vnConnectListAllDomains(gconn, NULL, VIR_CONNECT_LIST_DOMAINS_TRANSIENT), 1);
    TEST_ASSERT_ERROR_MSG(vnDomainCreateXML(gconn, xml, 0), VIR_ERR_OPERATION_INVALID,
                          "already active");
    TEST_ASSERT_ERROR(vnDomainCreateXML(gconn, xml, 0x40), VIR_ERR_INVALID_ARG);
    /* As libvirt's test driver: undefining a running transient domain
     * succeeds and leaves it running and transient. */
    TEST_ASSERT_OK(vnDomainUndefine(dom) == 0);
    VIR_TEST_ASSERT_INT(vnDomainIsActive(dom), 1);
    VIR_TEST_ASSERT_INT(vnDomainIsPersistent(dom), 0);
    TEST_ASSERT_OK(vnDomainDestroy(dom) == 0);
    TEST_ASSERT_ERROR(vnDomainLookupByName(gconn, "vnt"), VIR_ERR_NO_DOMAIN);
    vnDomainFree(dom);
    VIR_TEST_ASSERT_INT(vnConnectNumOfDomains(gconn), 1);
    return 0;
}


static int
testBadXML(const void *data G_GNUC_UNUSED)
{
    TEST_ASSERT_ERROR(vnDomainDefineXML(gconn, "<domain"), VIR_ERR_XML_DETAIL);
    TEST_ASSERT_ERROR_MSG(vnDomainDefineXML(gconn, "<foo/>"), VIR_ERR_XML_ERROR,
                          "expecting root element of 'domain'");
    TEST_ASSERT_ERROR(vnDomainDefineXML(gconn, "<domain type='test'><memory>1024</memory>"
                                               "<os><type>hvm</type></os></domain>"),
                      VIR_ERR_NO_NAME);
    TEST_ASSERT_ERROR(vnDomainDefineXML(gconn, "<domain type='bogus'><name>x</name>"
                                               "<memory>1024</memory><os><type>hvm</type></os>"
                                               "</domain>"),
                      VIR_ERR_CONFIG_UNSUPPORTED);
    TEST_ASSERT_ERROR(vnDomainCreateXML(gconn, "<domain", 0), VIR_ERR_XML_DETAIL);
    TEST_ASSERT_ERROR(vnDomainDefineXML(gconn, ""), VIR_ERR_XML_DETAIL);
    TEST_ASSERT_ERROR(vnDomainDefineXML(gconn, NULL), VIR_ERR_INVALID_ARG);
    /* nothing was defined */
    VIR_TEST_ASSERT_INT(vnConnectNumOfDefinedDomains(gconn), 0);
    return 0;
}


static int
testReadOnly(const void *data G_GNUC_UNUSED)
{
    g_autofree char *xml = testDomainXML("vnro", "33333333-0000-0000-0000-000000000001");
    /* the read-only socket (the server refuses by its table), and the flag
     * on the read-write socket (the driver refuses) */
    vnConnect *conns[2] = { NULL, NULL };

    if (!(conns[0] = testOpen(daemon_.uriro, 0)) ||
        !(conns[1] = testOpen(daemon_.uri, VIR_CONNECT_RO))) {
        if (conns[0])
            vnConnectClose(conns[0]);
        return -1;
    }
    for (size_t i = 0; i < 2; i++) {
        vnConnect *ro = conns[i];
        vnDomain *dom;
        vnDomain **doms = NULL;
        int n;

        TEST_ASSERT_ERROR(vnDomainDefineXML(ro, xml), VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainDefineXMLFlags(ro, xml, 0), VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainCreateXML(ro, xml, 0), VIR_ERR_OPERATION_DENIED);
        n = vnConnectListAllDomains(ro, &doms, 0);
        VIR_TEST_ASSERT_INT(n, 1);
        vnDomainFree(doms[0]);
        free(doms);
        TEST_ASSERT_OK(dom = vnDomainLookupByName(ro, "test"));
        VIR_TEST_ASSERT_INT(testDomainState(dom, NULL), VIR_DOMAIN_RUNNING);
        TEST_ASSERT_ERROR(vnDomainDestroy(dom) == 0, VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainDestroyFlags(dom, 0) == 0, VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainSuspend(dom) == 0, VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainResume(dom) == 0, VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainShutdown(dom) == 0, VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainShutdownFlags(dom, 0) == 0, VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainReboot(dom, 0) == 0, VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainCreate(dom) == 0, VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainCreateWithFlags(dom, 0) == 0, VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainSetAutostart(dom, 1) == 0, VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainUndefine(dom) == 0, VIR_ERR_OPERATION_DENIED);
        TEST_ASSERT_ERROR(vnDomainUndefineFlags(dom, 0) == 0, VIR_ERR_OPERATION_DENIED);
        VIR_TEST_ASSERT_INT(testDomainState(dom, NULL), VIR_DOMAIN_RUNNING);
        vnDomainFree(dom);
        /* events are allowed read-only */
        {
            int id = vnConnectDomainEventRegisterAny(ro, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                     testRecordLifecycle, NULL, NULL);
            TEST_ASSERT_OK(id >= 0);
            TEST_ASSERT_OK(vnConnectDomainEventDeregisterAny(ro, id) == 0);
        }
    }
    VIR_TEST_ASSERT_INT(vnConnectNumOfDefinedDomains(gconn), 0);
    vnConnectClose(conns[0]);
    vnConnectClose(conns[1]);
    return 0;
}


/* ---- raw procedures ------------------------------------------------------------- */

static int
testUnknownProcedure(const void *data G_GNUC_UNUSED)
{
    virNetClient *client = vnConnectGetNetClient(gconn);
    virNetClientProgram *prog = vnConnectGetRemoteProgram(gconn);
    virNetClientProgram *other;
    int garbage = 5;
    vnDomain *dom;
    int rc;

    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client), 9999,
                                 0, NULL, NULL, NULL, TEST_XDR_VOID, NULL, TEST_XDR_VOID, NULL);
    TEST_ASSERT_ERROR(rc == 0, VIR_ERR_NO_SUPPORT);
    /* SASL on a connection that needs no authentication (libvirtd: the
     * client's auth is not SASL): "authentication failed"; START and STEP
     * without their arguments do not decode */
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                 REMOTE_PROC_AUTH_SASL_INIT, 0, NULL, NULL, NULL,
                                 TEST_XDR_VOID, NULL, TEST_XDR_VOID, NULL);
    TEST_ASSERT_ERROR(rc == 0, VIR_ERR_AUTH_FAILED);
    for (int proc = REMOTE_PROC_AUTH_SASL_START; proc <= REMOTE_PROC_AUTH_SASL_STEP; proc++) {
        rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client), proc,
                                     0, NULL, NULL, NULL, TEST_XDR_VOID, NULL,
                                     TEST_XDR_VOID, NULL);
        TEST_ASSERT_ERROR(rc == 0, VIR_ERR_RPC);
    }
    {
        remote_auth_sasl_step_args sargs = { .empty = 1 };
        remote_auth_sasl_step_ret sret = { 0 };

        rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                     REMOTE_PROC_AUTH_SASL_STEP, 0, NULL, NULL, NULL,
                                     (xdrproc_t)xdr_remote_auth_sasl_step_args, &sargs,
                                     (xdrproc_t)xdr_remote_auth_sasl_step_ret, &sret);
        TEST_ASSERT_ERROR(rc == 0, VIR_ERR_AUTH_FAILED);
    }
    /* @unimplemented ones: polkit, the legacy register-any */
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                 REMOTE_PROC_AUTH_POLKIT, 0, NULL, NULL, NULL,
                                 TEST_XDR_VOID, NULL, TEST_XDR_VOID, NULL);
    TEST_ASSERT_ERROR(rc == 0, VIR_ERR_NO_SUPPORT);
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                 REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY, 0, NULL,
                                 NULL, NULL, (xdrproc_t)xdr_int, &garbage, TEST_XDR_VOID, NULL);
    TEST_ASSERT_ERROR(rc == 0, VIR_ERR_NO_SUPPORT);
    /* an event number called as a procedure */
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                 REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE, 0, NULL,
                                 NULL, NULL, TEST_XDR_VOID, NULL, TEST_XDR_VOID, NULL);
    VIR_TEST_ASSERT(rc < 0);
    /* arguments that do not decode */
    rc = virNetClientProgramCall(prog, client, virNetClientNewSerial(client),
                                 REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, 0, NULL, NULL, NULL,
                                 (xdrproc_t)xdr_int, &garbage, TEST_XDR_VOID, NULL);
    TEST_ASSERT_ERROR(rc == 0, VIR_ERR_RPC);
    /* an unknown program, and a known one with an unknown version */
    other = virNetClientProgramNew(0x20008087, 1, NULL, 0, NULL, NULL);
    rc = virNetClientProgramCall(other, client, virNetClientNewSerial(client), 1,
                                 0, NULL, NULL, NULL, TEST_XDR_VOID, NULL, TEST_XDR_VOID, NULL);
    virNetClientProgramUnref(other);
    TEST_ASSERT_ERROR(rc == 0, VIR_ERR_RPC);
    other = virNetClientProgramNew(REMOTE_PROGRAM, 2, NULL, 0, NULL, NULL);
    rc = virNetClientProgramCall(other, client, virNetClientNewSerial(client),
                                 REMOTE_PROC_CONNECT_GET_TYPE, 0, NULL, NULL, NULL,
                                 TEST_XDR_VOID, NULL, TEST_XDR_VOID, NULL);
    virNetClientProgramUnref(other);
    TEST_ASSERT_ERROR(rc == 0, VIR_ERR_RPC);

    /* the connection goes on */
    VIR_TEST_ASSERT(vnConnectIsAlive(gconn));
    TEST_ASSERT_OK(dom = vnDomainLookupByName(gconn, "test"));
    vnDomainFree(dom);
    return 0;
}


static int
testSupportsFeature(const void *data G_GNUC_UNUSED)
{
    virNetClient *client = vnConnectGetNetClient(gconn);
    virNetClientProgram *prog = vnConnectGetRemoteProgram(gconn);
    static const struct { int feature; int supported; } cases[] = {
        { 10, 1 }, { 14, 1 }, { 15, 1 },     /* the daemon's own */
        { 8, 1 }, { 9, 1 }, { 16, 1 },       /* the test driver's */
        { 1, 0 }, { 12345, 0 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        remote_connect_supports_feature_args args = { .feature = cases[i].feature };
        remote_connect_supports_feature_ret ret = { 0 };

        if (remoteCallConnectSupportsFeature(prog, client, &args, &ret) < 0)
            VIR_TEST_FAIL("feature %d: %s", cases[i].feature, vnGetLastErrorMessage());
        if (ret.supported != cases[i].supported)
            VIR_TEST_FAIL("feature %d: %d, expected %d", cases[i].feature, ret.supported,
                          cases[i].supported);
    }
    return 0;
}


/* ---- streams through the API: blocking, and non-blocking with events ---- */

static int
testStreamSinkBytes(vnStream *st G_GNUC_UNUSED, const char *data, size_t nbytes, void *opaque)
{
    g_byte_array_append(opaque, (const guint8 *)data, nbytes);
    return 0;
}


#define TEST_STREAM_VOL_SIZE (3 * 1024 * 1024 + 777)

/* One non-blocking transfer driven by its event callback, on the
 * connection's event thread; the test's thread waits for done. */
typedef struct {
    GMutex lock;
    GCond cond;
    GThread *mainThread;
    bool upload;
    GByteArray *data;           /* upload: what to send; download: what came */
    size_t pos;                 /* upload: bytes sent */
    int wouldBlock;             /* -2 answers seen */
    int calls;                  /* callbacks run */
    bool offThread;             /* a callback ran on the test's own thread */
    bool done;
    char *error;
} testStreamXfer;

static void
testStreamXferEvent(vnStream *st, int events, void *opaque)
{
    testStreamXfer *x = opaque;
    char buf[65536];

    g_mutex_lock(&x->lock);
    x->calls++;
    if (g_thread_self() == x->mainThread)
        x->offThread = true;
    if (x->done) {
        g_mutex_unlock(&x->lock);
        return;
    }
    if (events & (VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP)) {
        x->error = g_strdup_printf("stream event %d", events);
        x->done = true;
    }
    while (!x->done) {
        int n;

        if (x->upload) {
            size_t left = x->data->len - x->pos;

            if (left == 0) {
                x->done = true;
                break;
            }
            n = vnStreamSend(st, (const char *)x->data->data + x->pos,
                             MIN(left, sizeof(buf)));
        } else {
            n = vnStreamRecv(st, buf, sizeof(buf));
        }
        if (n == -2) {
            x->wouldBlock++;
            break;
        }
        if (n < 0) {
            x->error = g_strdup(vnGetLastErrorMessage());
            x->done = true;
        } else if (n == 0) {
            x->done = true;           /* the end of a download */
        } else if (x->upload) {
            x->pos += n;
        } else {
            g_byte_array_append(x->data, (const guint8 *)buf, n);
        }
    }
    if (x->done)
        g_cond_broadcast(&x->cond);
    g_mutex_unlock(&x->lock);
}


/* x's transfer of vol on a non-blocking stream moved by its event
 * callback; waits (30 s at most) for it to end, then finishes the stream. */
static int
testStreamXferRun(vnStorageVol *vol, testStreamXfer *x)
{
    gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
    vnStream *st = vnStreamNew(gconn, VIR_STREAM_NONBLOCK);
    bool ok = true;
    int rc = -1;

    if (!st)
        return -1;
    if ((x->upload ? vnStorageVolUpload(vol, st, 0, 0, 0) :
                     vnStorageVolDownload(vol, st, 0, 0, 0)) < 0 ||
        vnStreamEventAddCallback(st, x->upload ? VIR_STREAM_EVENT_WRITABLE :
                                                 VIR_STREAM_EVENT_READABLE,
                                 testStreamXferEvent, x, NULL) < 0)
        goto cleanup;
    g_mutex_lock(&x->lock);
    while (!x->done && ok)
        ok = g_cond_wait_until(&x->cond, &x->lock, deadline);
    g_mutex_unlock(&x->lock);
    if (vnStreamEventRemoveCallback(st) < 0 || !ok || x->error)
        goto cleanup;
    rc = vnStreamFinish(st);
 cleanup:
    vnStreamFree(st);
    return rc;
}


static int
testStreams(const void *data G_GNUC_UNUSED)
{
    g_autoptr(GByteArray) png = g_byte_array_new();
    g_autoptr(GByteArray) sent = g_byte_array_new();
    g_autoptr(GByteArray) got = g_byte_array_new();
    g_autofree char *mime = NULL;
    g_autofree char *xml = g_strdup_printf("<volume><name>apistream</name>"
                                           "<capacity>%d</capacity></volume>",
                                           TEST_STREAM_VOL_SIZE);
    testStreamXfer up = { .upload = true, .data = sent, .mainThread = g_thread_self() };
    testStreamXfer down = { .upload = false, .data = got, .mainThread = g_thread_self() };
    vnStoragePool *pool;
    vnStorageVol *vol;
    vnDomain *dom;
    vnStream *st;

    /* blocking: a screenshot, the whole image through RecvAll */
    TEST_ASSERT_OK(dom = vnDomainLookupByName(gconn, "test"));
    TEST_ASSERT_OK(st = vnStreamNew(gconn, 0));
    TEST_ASSERT_OK(mime = vnDomainScreenshot(dom, st, 0, 0));
    VIR_TEST_ASSERT_STR(mime, "image/png");
    VIR_TEST_ASSERT_INT(vnStreamRecvAll(st, testStreamSinkBytes, png), 0);
    vnStreamFree(st);
    vnDomainFree(dom);
    VIR_TEST_ASSERT(png->len > 100);
    VIR_TEST_ASSERT(memcmp(png->data, "\x89PNG\r\n\x1a\n", 8) == 0);

    /* non-blocking with events: a volume up, then down, the bytes equal */
    for (guint i = 0; i < TEST_STREAM_VOL_SIZE; i++) {
        guint8 b = (guint8)(i * 7 + i / 4093);
        g_byte_array_append(sent, &b, 1);
    }
    TEST_ASSERT_OK(pool = vnStoragePoolLookupByName(gconn, "default-pool"));
    TEST_ASSERT_OK(vol = vnStorageVolCreateXML(pool, xml, 0));
    vnStoragePoolFree(pool);
    g_mutex_init(&up.lock);
    g_cond_init(&up.cond);
    g_mutex_init(&down.lock);
    g_cond_init(&down.cond);

    if (testStreamXferRun(vol, &up) < 0)
        VIR_TEST_FAIL("non-blocking upload: %s (%zu of %u bytes sent)",
                      up.error ? up.error : vnGetLastErrorMessage(), up.pos, sent->len);
    if (testStreamXferRun(vol, &down) < 0)
        VIR_TEST_FAIL("non-blocking download: %s (%u bytes came)",
                      down.error ? down.error : vnGetLastErrorMessage(), got->len);
    VIR_TEST_ASSERT_INT(vnStorageVolDelete(vol, 0), 0);
    vnStorageVolFree(vol);

    if (virTestCompareBytes("the volume downloaded", got->data, got->len,
                            sent->data, sent->len) < 0)
        return -1;
    /* the events drove it: callbacks ran, on the event thread only */
    VIR_TEST_ASSERT(up.calls > 0 && down.calls > 0);
    VIR_TEST_ASSERT(!up.offThread && !down.offThread);
    g_free(up.error);
    g_free(down.error);
    g_mutex_clear(&up.lock);
    g_cond_clear(&up.cond);
    g_mutex_clear(&down.lock);
    g_cond_clear(&down.cond);
    return 0;
}


/* A bare RPC client (no vnConnect), for what the API never does: calls
 * before CONNECT_OPEN, a second OPEN, the legacy event procedures. */
typedef struct {
    virEventThread *thread;
    virNetClient *client;
    virNetClientProgram *prog;
} testRawClient;

static void
testRawClientClose(testRawClient *raw)
{
    if (raw->client)
        virNetClientClose(raw->client);
    virEventThreadFree(raw->thread);
    virNetClientUnref(raw->client);
    virNetClientProgramUnref(raw->prog);
}


static void
testLegacyLifecycle(virNetClientProgram *prog G_GNUC_UNUSED, virNetClient *client G_GNUC_UNUSED,
                    remote_domain_event_lifecycle_msg *msg, void *opaque)
{
    testRecorder *rec = opaque;
    testEvent *ev = g_new0(testEvent, 1);

    ev->name = g_strdup(msg->dom.name);
    ev->id = msg->dom.id;
    ev->event = msg->event;
    ev->detail = msg->detail;
    ev->onEventThread = g_thread_self() != rec->mainThread;
    g_mutex_lock(&rec->lock);
    g_ptr_array_add(rec->events, ev);
    g_cond_broadcast(&rec->cond);
    g_mutex_unlock(&rec->lock);
}

static const remoteClientEventHandlers testLegacyHandlers = {
    .domainEventLifecycle = testLegacyLifecycle,
};


static int
testRawSequence(const void *data G_GNUC_UNUSED)
{
    testRawClient raw = { 0 };
    testRecorder rec;
    remote_auth_list_ret auth = { 0 };
    remote_connect_open_args open = { 0 };
    remote_domain_lookup_by_name_args largs = { .name = (char *)"test" };
    remote_domain_lookup_by_name_ret lret = { 0 };
    remote_connect_domain_event_register_ret rret = { 0 };
    remote_connect_domain_event_deregister_ret dret = { 0 };
    char *uri = (char *)"test:///default";
    g_autofree char *xml = testDomainXML("vnlegacy", "44444444-0000-0000-0000-000000000001");
    static const char *const names[] = { "vnlegacy" };
    static const int expect[][2] = { { VIR_DOMAIN_EVENT_DEFINED, 0 } };
    vnDomain *dom = NULL;
    int ret = -1;

    testRecorderInit(&rec, 0);
#define RAW_CHECK(cond) \
    do { if (!(cond)) { fprintf(stderr, "  %s:%d: %s: %s\n", __FILE__, __LINE__, #cond, \
                               vnGetLastErrorMessage()); goto cleanup; } } while (0)

    RAW_CHECK(raw.client = virNetClientNewUNIX(daemon_.sock));
    RAW_CHECK(raw.thread = virEventThreadNew("raw-events"));
    RAW_CHECK(virNetClientAttachLoop(raw.client, virEventThreadGetLoop(raw.thread)) == 0);
    raw.prog = remoteClientProgramNew(&testLegacyHandlers, &rec);
    virNetClientAddProgram(raw.client, raw.prog);

    RAW_CHECK(remoteCallAuthList(raw.prog, raw.client, &auth) == 0);
    RAW_CHECK(auth.types.types_len == 1 && auth.types.types_val[0] == REMOTE_AUTH_NONE);
    xdr_free((xdrproc_t)xdr_remote_auth_list_ret, (char *)&auth);

    /* before CONNECT_OPEN: libvirtd's "hypervisor connection not open" */
    RAW_CHECK(remoteCallDomainLookupByName(raw.prog, raw.client, &largs, &lret) < 0);
    RAW_CHECK(vnGetLastErrorCode() == VIR_ERR_INTERNAL_ERROR);
    RAW_CHECK(strstr(vnGetLastErrorMessage(), "hypervisor connection not open"));
    RAW_CHECK(remoteCallConnectDomainEventRegister(raw.prog, raw.client, &rret) < 0);

    open.uri = &uri;
    RAW_CHECK(remoteCallConnectOpen(raw.prog, raw.client, &open) == 0);
    RAW_CHECK(remoteCallConnectOpen(raw.prog, raw.client, &open) < 0);
    RAW_CHECK(vnGetLastErrorCode() == VIR_ERR_INTERNAL_ERROR);
    RAW_CHECK(strstr(vnGetLastErrorMessage(), "connection already open"));
    RAW_CHECK(remoteCallDomainLookupByName(raw.prog, raw.client, &largs, &lret) == 0);
    RAW_CHECK(strcmp(lret.dom.name, "test") == 0 && lret.dom.id == 1);
    xdr_free((xdrproc_t)xdr_remote_domain_lookup_by_name_ret, (char *)&lret);

    /* the legacy lifecycle registration: 105, event 107, 106 */
    RAW_CHECK(remoteCallConnectDomainEventRegister(raw.prog, raw.client, &rret) == 0);
    RAW_CHECK(dom = vnDomainDefineXML(gconn, xml));
    RAW_CHECK(testRecorderWait(&rec, 1, 5000) == 1);
    RAW_CHECK(remoteCallConnectDomainEventDeregister(raw.prog, raw.client, &dret) == 0);
    RAW_CHECK(vnDomainUndefine(dom) == 0);
    /* deregistered: the UNDEFINED event does not come */
    if (testRecorderCheck(&rec, names, expect, 1) < 0)
        goto cleanup;
    RAW_CHECK(remoteCallConnectDomainEventDeregister(raw.prog, raw.client, &dret) < 0);

    RAW_CHECK(remoteCallConnectClose(raw.prog, raw.client) == 0);
    /* after CONNECT_CLOSE the driver is gone again */
    RAW_CHECK(remoteCallDomainLookupByName(raw.prog, raw.client, &largs, &lret) < 0);
    RAW_CHECK(strstr(vnGetLastErrorMessage(), "not open"));
    ret = 0;

 cleanup:
#undef RAW_CHECK
    if (dom)
        vnDomainFree(dom);
    testRawClientClose(&raw);
    testRecorderClear(&rec);
    return ret;
}


/* Every event id libvirt 9.0 knows is accepted (virsh event --all). */
static int
testRawEventIDs(const void *data G_GNUC_UNUSED)
{
    virNetClient *client = vnConnectGetNetClient(gconn);
    virNetClientProgram *prog = vnConnectGetRemoteProgram(gconn);
    int ids[VIR_DOMAIN_EVENT_ID_LAST];
    remote_dom rdom = { .name = (char *)"test", .id = 1 };

    vnUUIDParse(TEST_DOM_UUID, (unsigned char *)rdom.uuid);
    for (int i = 0; i < VIR_DOMAIN_EVENT_ID_LAST; i++) {
        remote_connect_domain_event_callback_register_any_args args = { .event_id = i };
        remote_connect_domain_event_callback_register_any_ret ret = { 0 };

        if (i % 2)
            args.dom = &rdom;
        if (remoteCallConnectDomainEventCallbackRegisterAny(prog, client, &args, &ret) < 0)
            VIR_TEST_FAIL("event id %d refused: %s", i, vnGetLastErrorMessage());
        ids[i] = ret.callback_id;
        for (int j = 0; j < i; j++)
            if (ids[j] == ids[i])
                VIR_TEST_FAIL("callback id %d given twice", ids[i]);
    }
    for (int bad = -1; bad <= VIR_DOMAIN_EVENT_ID_LAST; bad += VIR_DOMAIN_EVENT_ID_LAST + 1) {
        remote_connect_domain_event_callback_register_any_args args = { .event_id = bad };
        remote_connect_domain_event_callback_register_any_ret ret = { 0 };

        /* libvirtd's daemon answers an unknown event ID with an internal error. */
        TEST_ASSERT_ERROR(remoteCallConnectDomainEventCallbackRegisterAny(prog, client, &args,
                                                                           &ret) == 0,
                          VIR_ERR_INTERNAL_ERROR);
    }
    for (int i = 0; i < VIR_DOMAIN_EVENT_ID_LAST; i++) {
        remote_connect_domain_event_callback_deregister_any_args args = { .callback_id = ids[i] };

        if (remoteCallConnectDomainEventCallbackDeregisterAny(prog, client, &args) < 0)
            VIR_TEST_FAIL("deregistering %d: %s", ids[i], vnGetLastErrorMessage());
        /* twice: unknown now */
        if (remoteCallConnectDomainEventCallbackDeregisterAny(prog, client, &args) == 0)
            VIR_TEST_FAIL("deregistering %d twice succeeded", ids[i]);
    }
    return 0;
}


/* ---- events --------------------------------------------------------------------- */

static int
testEventsSequence(const void *data G_GNUC_UNUSED)
{
    g_autofree char *xml = testDomainXML("vnev1", "55555555-0000-0000-0000-000000000001");
    static const char *const names[] = { "vnev1", "vnev1", "vnev1", "vnev1", "vnev1", "vnev1" };
    static const int expect[][2] = {
        { VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED },
        { VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED },
        { VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED },
        { VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED },
        { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED },
        { VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED },
    };
    testRecorder rec;
    vnConnect *a = NULL, *b = NULL;
    vnDomain *dom = NULL;
    int id = -1, ret = -1;
    unsigned int domid;

    testRecorderInit(&rec, 0);
    if (!(a = testOpen(daemon_.uri, 0)) || !(b = testOpen(daemon_.uri, 0)))
        goto cleanup;
    rec.callIn = a;
    id = vnConnectDomainEventRegisterAny(a, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         testRecordLifecycle, &rec, testRecorderFreed);
    if (id < 0) {
        fprintf(stderr, "  register: %s\n", vnGetLastErrorMessage());
        goto cleanup;
    }
    if (!(dom = vnDomainDefineXML(b, xml)) || vnDomainCreate(dom) < 0 ||
        vnDomainSuspend(dom) < 0 || vnDomainResume(dom) < 0 || vnDomainDestroy(dom) < 0 ||
        vnDomainUndefine(dom) < 0) {
        fprintf(stderr, "  changing vnev1: %s\n", vnGetLastErrorMessage());
        goto cleanup;
    }
    if (testRecorderCheck(&rec, names, expect, G_N_ELEMENTS(expect)) < 0)
        goto cleanup;
    /* ids: -1 while defined, the running id, -1 again once stopped */
    domid = ((testEvent *)g_ptr_array_index(rec.events, 1))->id;
    if (((testEvent *)g_ptr_array_index(rec.events, 0))->id != -1 || domid <= 1 ||
        ((testEvent *)g_ptr_array_index(rec.events, 2))->id != (int)domid ||
        ((testEvent *)g_ptr_array_index(rec.events, 4))->id != -1) {
        fprintf(stderr, "  wrong domain ids in the events\n");
        goto cleanup;
    }
    if (g_atomic_int_get(&rec.callInOK) != (int)G_N_ELEMENTS(expect)) {
        fprintf(stderr, "  calls from inside the callback failed\n");
        goto cleanup;
    }
    if (vnConnectDomainEventDeregisterAny(a, id) < 0) {
        fprintf(stderr, "  deregister: %s\n", vnGetLastErrorMessage());
        goto cleanup;
    }
    id = -1;
    if (rec.freed != 1) {
        fprintf(stderr, "  the free callback ran %d times, expected once\n", rec.freed);
        goto cleanup;
    }
    ret = 0;

 cleanup:
    if (id >= 0)
        vnConnectDomainEventDeregisterAny(a, id);
    if (dom)
        vnDomainFree(dom);
    if (a)
        vnConnectClose(a);
    if (b)
        vnConnectClose(b);
    testRecorderClear(&rec);
    return ret;
}


/* A per-domain registration next to one for all domains; removing one
 * leaves the other working. */
static int
testEventsFilter(const void *data G_GNUC_UNUSED)
{
    g_autofree char *xml1 = testDomainXML("vnf1", "66666666-0000-0000-0000-000000000001");
    g_autofree char *xml2 = testDomainXML("vnf2", "66666666-0000-0000-0000-000000000002");
    testRecorder all, one, twice;
    vnConnect *a = NULL, *b = NULL;
    vnDomain *d1 = NULL, *d2 = NULL, *d1a = NULL;
    int idAll = -1, idOne = -1, idTwice[2] = { -1, -1 };
    int ret = -1;

    testRecorderInit(&all, 1);
    testRecorderInit(&one, 2);
    testRecorderInit(&twice, 3);
#define CHECK(cond) \
    do { if (!(cond)) { fprintf(stderr, "  %s:%d: %s: %s\n", __FILE__, __LINE__, #cond, \
                               vnGetLastErrorMessage()); goto cleanup; } } while (0)

    CHECK(a = testOpen(daemon_.uri, 0));
    CHECK(b = testOpen(daemon_.uritcp, 0));
    CHECK(d1 = vnDomainDefineXML(b, xml1));
    CHECK(d2 = vnDomainDefineXML(b, xml2));
    CHECK(d1a = vnDomainLookupByName(a, "vnf1"));
    CHECK((idAll = vnConnectDomainEventRegisterAny(a, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                   testRecordLifecycle, &all, NULL)) >= 0);
    CHECK((idOne = vnConnectDomainEventRegisterAny(a, d1a, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                   testRecordLifecycle, &one,
                                                   testRecorderFreed)) >= 0);
    /* the same callback twice for the same filter: two registrations */
    CHECK((idTwice[0] = vnConnectDomainEventRegisterAny(a, d1a, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                        testRecordLifecycle, &twice,
                                                        testRecorderFreed)) >= 0);
    CHECK((idTwice[1] = vnConnectDomainEventRegisterAny(a, d1a, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                        testRecordLifecycle, &twice,
                                                        testRecorderFreed)) >= 0);
    CHECK(idAll != idOne && idTwice[0] != idTwice[1] && idOne != idTwice[0]);
    /* the twins and "one" share a server registration, "all" has its own */
    CHECK(vnConnectGetServerCallbackID(a, idTwice[0]) == vnConnectGetServerCallbackID(a, idOne));
    CHECK(vnConnectGetServerCallbackID(a, idTwice[1]) == vnConnectGetServerCallbackID(a, idOne));
    CHECK(vnConnectGetServerCallbackID(a, idAll) != vnConnectGetServerCallbackID(a, idOne));
    /* a domain of another connection cannot be a filter */
    CHECK(vnConnectDomainEventRegisterAny(a, d1, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          testRecordLifecycle, &one, NULL) < 0);
    CHECK(vnGetLastErrorCode() == VIR_ERR_INVALID_ARG);
    CHECK(vnConnectDomainEventRegisterAny(a, NULL, 1, testRecordLifecycle, &one, NULL) < 0);
    CHECK(vnConnectDomainEventRegisterAny(a, NULL, 0, NULL, &one, NULL) < 0);

    CHECK(vnDomainCreate(d1) == 0);
    CHECK(vnDomainCreate(d2) == 0);
    {
        static const char *const n1[] = { "vnf1" };
        static const char *const n2[] = { "vnf1", "vnf2" };
        static const int e1[][2] = { { VIR_DOMAIN_EVENT_STARTED, 0 } };
        static const int e2[][2] = { { VIR_DOMAIN_EVENT_STARTED, 0 }, { VIR_DOMAIN_EVENT_STARTED, 0 } };
        static const char *const n11[] = { "vnf1", "vnf1" };

        if (testRecorderCheck(&all, n2, e2, 2) < 0 || testRecorderCheck(&one, n1, e1, 1) < 0 ||
            testRecorderCheck(&twice, n11, e2, 2) < 0)
            goto cleanup;
    }

    /* deregister unknown ids: refused by the client, and by the server
     * (raw), also for another connection's registration */
    CHECK(vnConnectDomainEventDeregisterAny(a, 987654) < 0);
    CHECK(vnGetLastErrorCode() == VIR_ERR_INVALID_ARG);
    {
        remote_connect_domain_event_callback_deregister_any_args args = { .callback_id = 987654 };

        CHECK(remoteCallConnectDomainEventCallbackDeregisterAny(vnConnectGetRemoteProgram(a),
                                                                vnConnectGetNetClient(a),
                                                                &args) < 0);
        /* a's registration, deregistered by b: the server's ID is a's only */
        CHECK((args.callback_id = vnConnectGetServerCallbackID(a, idOne)) >= 0);
        CHECK(remoteCallConnectDomainEventCallbackDeregisterAny(vnConnectGetRemoteProgram(b),
                                                                vnConnectGetNetClient(b),
                                                                &args) < 0);
    }

    /* drop "all" and one of the twins: the others keep working */
    CHECK(vnConnectDomainEventDeregisterAny(a, idAll) == 0);
    CHECK(vnConnectDomainEventDeregisterAny(a, idAll) < 0);
    idAll = -1;
    CHECK(vnConnectDomainEventDeregisterAny(a, idTwice[0]) == 0);
    idTwice[0] = -1;
    CHECK(twice.freed == 1);
    CHECK(vnDomainDestroy(d1) == 0);
    CHECK(vnDomainDestroy(d2) == 0);
    {
        static const char *const n2[] = { "vnf1", "vnf2" };
        static const char *const n1[] = { "vnf1", "vnf1" };
        static const char *const n3[] = { "vnf1", "vnf1", "vnf1" };
        static const int e2[][2] = { { VIR_DOMAIN_EVENT_STARTED, 0 }, { VIR_DOMAIN_EVENT_STARTED, 0 } };
        static const int e1[][2] = { { VIR_DOMAIN_EVENT_STARTED, 0 }, { VIR_DOMAIN_EVENT_STOPPED, 1 } };
        static const int e3[][2] = {
            { VIR_DOMAIN_EVENT_STARTED, 0 }, { VIR_DOMAIN_EVENT_STARTED, 0 },
            { VIR_DOMAIN_EVENT_STOPPED, 1 },
        };

        if (testRecorderCheck(&one, n1, e1, 2) < 0 || testRecorderCheck(&all, n2, e2, 2) < 0 ||
            testRecorderCheck(&twice, n3, e3, 3) < 0)
            goto cleanup;
    }
    ret = 0;

 cleanup:
#undef CHECK
    if (d1a)
        vnDomainFree(d1a);
    if (d1) {
        vnDomainUndefine(d1);
        vnDomainFree(d1);
    }
    if (d2) {
        vnDomainUndefine(d2);
        vnDomainFree(d2);
    }
    /* closing frees what is still registered: "one" and a twin */
    if (a)
        vnConnectClose(a);
    if (b)
        vnConnectClose(b);
    /* If the event thread was still delivering (it holds a reference for
     * the callback), the teardown finishes right after it: wait for it. */
    for (int i = 0; i < 500 && (g_atomic_int_get(&one.freed) != 1 ||
                                g_atomic_int_get(&twice.freed) != 2); i++)
        g_usleep(10 * 1000);
    if (ret == 0 && (g_atomic_int_get(&one.freed) != 1 || g_atomic_int_get(&twice.freed) != 2)) {
        fprintf(stderr, "  free callbacks at close: one %d, twice %d\n", one.freed, twice.freed);
        ret = -1;
    }
    testRecorderClear(&all);
    testRecorderClear(&one);
    testRecorderClear(&twice);
    return ret;
}


/* A callback that drops the connection's last reference: the teardown
 * cannot join the event thread from that thread and must still finish. */
static void
testCloseInCallback(vnConnect *conn, vnDomain *dom G_GNUC_UNUSED, int event G_GNUC_UNUSED,
                    int detail G_GNUC_UNUSED, void *opaque G_GNUC_UNUSED)
{
    vnConnectClose(conn);
}


static int
testEventsCloseInside(const void *data G_GNUC_UNUSED)
{
    g_autofree char *xml = testDomainXML("vnclose", "77777777-0000-0000-0000-000000000001");
    testRecorder rec;
    vnConnect *a;
    vnDomain *dom;
    gint64 deadline;
    int freed;

    testRecorderInit(&rec, 0);
    if (!(a = testOpen(daemon_.uri, 0)))
        return -1;
    TEST_ASSERT_OK(vnConnectDomainEventRegisterAny(a, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                   testCloseInCallback, &rec,
                                                   testRecorderFreed) >= 0);
    TEST_ASSERT_OK(dom = vnDomainDefineXML(gconn, xml));
    deadline = g_get_monotonic_time() + 5 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&rec.lock);
    while (rec.freed == 0 && g_cond_wait_until(&rec.cond, &rec.lock, deadline))
        ;
    freed = rec.freed;
    g_mutex_unlock(&rec.lock);
    vnDomainUndefine(dom);
    vnDomainFree(dom);
    /* the helper thread may still be joining: give it a moment before the
     * recorder goes away (nothing of it is used after ff) */
    g_usleep(100 * 1000);
    testRecorderClear(&rec);
    VIR_TEST_ASSERT_INT(freed, 1);
    return 0;
}


/* Many threads on one connection while events flow. */
typedef struct {
    vnConnect *conn;
    int failures;
} testThreadData;

static gpointer
testCallerThread(gpointer opaque)
{
    testThreadData *td = opaque;

    for (int i = 0; i < 200; i++) {
        vnDomain *dom = vnDomainLookupByName(td->conn, "test");
        virDomainInfo info;

        if (!dom || vnDomainGetInfo(dom, &info) < 0 || info.nrVirtCpu != 2)
            g_atomic_int_inc(&td->failures);
        if (dom)
            vnDomainFree(dom);
    }
    return NULL;
}


static int
testThreads(const void *data G_GNUC_UNUSED)
{
    testThreadData td = { .conn = gconn };
    GThread *threads[4];
    testRecorder rec;
    int id;

    testRecorderInit(&rec, 0);
    id = vnConnectDomainEventRegisterAny(gconn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         testRecordLifecycle, &rec, NULL);
    TEST_ASSERT_OK(id >= 0);
    for (size_t i = 0; i < G_N_ELEMENTS(threads); i++)
        threads[i] = g_thread_new("caller", testCallerThread, &td);
    for (int i = 0; i < 10; i++) {
        g_autofree char *name = g_strdup_printf("vnthr%d", i);
        g_autofree char *xml = testDomainXML(name, "88888888-0000-0000-0000-000000000001");
        vnDomain *dom = vnDomainDefineXML(gconn, xml);

        TEST_ASSERT_OK(dom);
        TEST_ASSERT_OK(vnDomainUndefine(dom) == 0);
        vnDomainFree(dom);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(threads); i++)
        g_thread_join(threads[i]);
    VIR_TEST_ASSERT_INT(testRecorderWait(&rec, 20, 5000), 20);
    TEST_ASSERT_OK(vnConnectDomainEventDeregisterAny(gconn, id) == 0);
    VIR_TEST_ASSERT_INT(td.failures, 0);
    for (guint i = 0; i < rec.events->len; i++) {
        testEvent *ev = g_ptr_array_index(rec.events, i);
        g_autofree char *name = g_strdup_printf("vnthr%u", i / 2);

        VIR_TEST_ASSERT_STR(ev->name, name);
        VIR_TEST_ASSERT_INT(ev->event, i % 2 ? VIR_DOMAIN_EVENT_UNDEFINED : VIR_DOMAIN_EVENT_DEFINED);
    }
    testRecorderClear(&rec);
    return 0;
}


/* The server answers our PINGs: with 1 s / 2 pings the client would close
 * a silent connection after about 3 s. */
static int
testKeepalive(const void *data G_GNUC_UNUSED)
{
    vnConnect *conn;
    const char *type;

    if (!(conn = testOpen(daemon_.uri, 0)))
        return -1;
    TEST_ASSERT_OK(virNetClientKeepAliveStart(vnConnectGetNetClient(conn), 1, 2) == 0);
    g_usleep(4 * G_USEC_PER_SEC);
    VIR_TEST_ASSERT(vnConnectIsAlive(conn));
    TEST_ASSERT_OK(type = vnConnectGetType(conn));
    vnConnectClose(conn);
    return 0;
}


static void
testCloseCb(vnConnect *conn G_GNUC_UNUSED, int reason, void *opaque)
{
    testRecorder *rec = opaque;
    testEvent *ev = g_new0(testEvent, 1);

    ev->name = g_strdup("close");
    ev->event = reason;
    ev->onEventThread = g_thread_self() != rec->mainThread;
    g_mutex_lock(&rec->lock);
    g_ptr_array_add(rec->events, ev);
    g_cond_broadcast(&rec->cond);
    g_mutex_unlock(&rec->lock);
}


static int
testCloseCallbackAPI(const void *data G_GNUC_UNUSED)
{
    testRecorder rec;
    vnConnect *conn;

    testRecorderInit(&rec, 0);
    if (!(conn = testOpen(daemon_.uri, 0)))
        return -1;
    /* 360 and 361 */
    TEST_ASSERT_OK(vnConnectRegisterCloseCallback(conn, testCloseCb, &rec, testRecorderFreed) == 0);
    TEST_ASSERT_ERROR(vnConnectRegisterCloseCallback(conn, testCloseCb, &rec, NULL) == 0,
                      VIR_ERR_OPERATION_INVALID);
    TEST_ASSERT_OK(vnConnectUnregisterCloseCallback(conn, testCloseCb) == 0);
    VIR_TEST_ASSERT_INT(rec.freed, 1);
    TEST_ASSERT_ERROR(vnConnectUnregisterCloseCallback(conn, testCloseCb) == 0,
                      VIR_ERR_OPERATION_INVALID);
    /* an explicit close does not call it */
    TEST_ASSERT_OK(vnConnectRegisterCloseCallback(conn, testCloseCb, &rec, testRecorderFreed) == 0);
    vnConnectClose(conn);
    VIR_TEST_ASSERT_INT(rec.events->len, 0);
    VIR_TEST_ASSERT_INT(rec.freed, 2);
    testRecorderClear(&rec);
    return 0;
}


/* Last: SIGTERM the daemon with clients connected; their close callbacks
 * see EOF, and the daemon exits 0. */
static int
testDaemonShutdown(const void *data G_GNUC_UNUSED)
{
    testRecorder rec;
    vnConnect *conn;
    testEvent *ev;
    int rc;

    testRecorderInit(&rec, 0);
    if (!(conn = testOpen(daemon_.uri, 0)))
        return -1;
    TEST_ASSERT_OK(vnConnectRegisterCloseCallback(conn, testCloseCb, &rec, NULL) == 0);
    rc = testDaemonStop(&daemon_);
    VIR_TEST_ASSERT_INT(testRecorderWait(&rec, 1, 10000), 1);
    ev = g_ptr_array_index(rec.events, 0);
    VIR_TEST_ASSERT_INT(ev->event, VIR_CONNECT_CLOSE_REASON_EOF);
    VIR_TEST_ASSERT(ev->onEventThread);
    VIR_TEST_ASSERT(!vnConnectIsAlive(conn));
    /* calls on a closed connection fail at once */
    VIR_TEST_ASSERT(vnConnectGetHostname(conn) == NULL);
    VIR_TEST_ASSERT(vnGetLastErrorCode() != VIR_ERR_OK);
    vnConnectClose(conn);
    vnConnectClose(gconn);
    gconn = NULL;
    testRecorderClear(&rec);
    VIR_TEST_ASSERT_INT(rc, 0);
    return 0;
}


/* After each case: back to the default node (only "test", running), so
 * that one failing case leaves nothing behind for the next. */
static void
testResetDomains(void)
{
    vnDomain **doms = NULL;
    int n;

    if (!gconn || (n = vnConnectListAllDomains(gconn, &doms, 0)) < 0)
        return;
    for (int i = 0; i < n; i++) {
        if (strcmp(vnDomainGetName(doms[i]), "test") == 0) {
            if (vnDomainIsActive(doms[i]) == 0)
                vnDomainCreate(doms[i]);
        } else {
            if (vnDomainIsActive(doms[i]) == 1)
                vnDomainDestroy(doms[i]);
            if (vnDomainIsPersistent(doms[i]) == 1)
                vnDomainUndefine(doms[i]);
        }
        vnDomainFree(doms[i]);
    }
    free(doms);
    vnResetLastError();
}


/* ---- checkpoints: the client's calls on their handle ------------------------------ */

#define CK_CHECK(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "  %s:%d: failed: %s (%s)\n", __FILE__, __LINE__, #cond, \
                    vnGetLastErrorMessage()); \
            goto cleanup; \
        } \
    } while (0)

static void
testCheckpointListFree(vnDomainCheckpoint **list)
{
    for (size_t i = 0; list && list[i]; i++)
        vnDomainCheckpointFree(list[i]);
    free(list);
}

static int
testCheckpoints(const void *data G_GNUC_UNUSED)
{
    vnDomain *dom = vnDomainLookupByName(gconn, "test");
    vnDomainCheckpoint *c1 = NULL, *c2 = NULL, *parent = NULL, *missing = NULL;
    vnDomainCheckpoint **list = NULL, **children = NULL;
    char *xml = NULL;
    int ret = -1;

    CK_CHECK(dom);
    if (vnDomainIsActive(dom) != 1)
        CK_CHECK(vnDomainCreate(dom) == 0);
    CK_CHECK((c1 = vnDomainCheckpointCreateXML(
        dom, "<domaincheckpoint><name>c1</name></domaincheckpoint>", 0)));
    CK_CHECK((c2 = vnDomainCheckpointCreateXML(
        dom, "<domaincheckpoint><name>c2</name></domaincheckpoint>", 0)));
    CK_CHECK(strcmp(vnDomainCheckpointGetName(c2), "c2") == 0);
    CK_CHECK(vnDomainCheckpointGetDomain(c2) != NULL);
    CK_CHECK((parent = vnDomainCheckpointGetParent(c2, 0)));
    CK_CHECK(strcmp(vnDomainCheckpointGetName(parent), "c1") == 0);
    CK_CHECK(!vnDomainCheckpointGetParent(c1, 0) &&
             vnGetLastErrorCode() == VIR_ERR_NO_DOMAIN_CHECKPOINT);
    CK_CHECK((xml = vnDomainCheckpointGetXMLDesc(c2, VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN)));
    CK_CHECK(strstr(xml, "<parent>\n    <name>c1</name>") && !strstr(xml, "<domain "));
    CK_CHECK(vnDomainListAllCheckpoints(dom, &list, 0) == 2);
    CK_CHECK(vnDomainListAllCheckpoints(dom, NULL, VIR_DOMAIN_CHECKPOINT_LIST_ROOTS) == 1);
    CK_CHECK(vnDomainCheckpointListAllChildren(c1, &children, 0) == 1);
    CK_CHECK(strcmp(vnDomainCheckpointGetName(children[0]), "c2") == 0 && !children[1]);
    CK_CHECK(!(missing = vnDomainCheckpointLookupByName(dom, "nope", 0)) &&
             vnGetLastErrorCode() == VIR_ERR_NO_DOMAIN_CHECKPOINT);
    CK_CHECK(vnDomainCheckpointDelete(c1, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN) == 0);
    CK_CHECK(vnDomainListAllCheckpoints(dom, NULL, 0) == 0);
    CK_CHECK(vnDomainCheckpointDelete(c2, 0) < 0 &&
             vnGetLastErrorCode() == VIR_ERR_NO_DOMAIN_CHECKPOINT);
    ret = 0;
 cleanup:
    free(xml);
    testCheckpointListFree(list);
    testCheckpointListFree(children);
    if (missing)
        vnDomainCheckpointFree(missing);
    if (parent)
        vnDomainCheckpointFree(parent);
    if (c2)
        vnDomainCheckpointFree(c2);
    if (c1)
        vnDomainCheckpointFree(c1);
    if (dom)
        vnDomainFree(dom);
    return ret;
}


#define RUN(name, body) \
    do { virTestRun(name, body, NULL); testResetDomains(); } while (0)

int
main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (testDaemonStart(&daemon_) < 0) {
        printf("FAIL start virtnetd\n");
        return 1;
    }

    if (virTestRun("open over unix", testOpenUnix, NULL) < 0) {
        testDaemonStop(&daemon_);
        return virTestResult();
    }
    RUN("open on the default socket", testOpenDefaultSocket);
    RUN("open over tcp", testOpenTCP);
    RUN("open errors", testOpenErrors);
    RUN("connection getters", testConnectGetters);
    RUN("list domains", testListDomains);
    RUN("lookups", testLookups);
    RUN("domain getters", testDomainGetters);
    RUN("send key", testSendKey);
    RUN("life cycle", testLifecycle);
    RUN("transient domain", testCreateXML);
    RUN("bad XML", testBadXML);
    RUN("read-only", testReadOnly);
    RUN("checkpoints", testCheckpoints);
    RUN("unknown procedure", testUnknownProcedure);
    RUN("supports feature", testSupportsFeature);
    RUN("streams: blocking, and non-blocking with events", testStreams);
    RUN("raw: before open, twice, legacy events", testRawSequence);
    RUN("raw: every event id", testRawEventIDs);
    RUN("events: the sequence", testEventsSequence);
    RUN("events: filters, deregistration", testEventsFilter);
    RUN("events: close inside a callback", testEventsCloseInside);
    RUN("threads", testThreads);
    RUN("keepalive", testKeepalive);
    RUN("close callback", testCloseCallbackAPI);
    RUN("daemon shutdown", testDaemonShutdown);

    if (gconn)
        vnConnectClose(gconn);
    if (daemon_.pid > 0)
        testDaemonStop(&daemon_);
    return virTestResult();
}
