/*
 * test-driver-lxc.c: the LXC driver through virconnect.h, in-process, with
 * real containers (controller processes, namespaces, the monitor program).
 *
 * Needs root and a kernel that lets us create PID, mount, UTS and IPC
 * namespaces: skipped (77, with the reason) otherwise.
 *
 * Containers run tests/lxc-test-init (or /bin/true, /bin/sh) and report
 * what they see into files under the test directory, which the container
 * shares with the host (no root filesystem of its own).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib.h>

#include "testevents.h"
#include "testutils.h"
#include "virconnect.h"
#include "virdomaindef.h"
#include "virerror.h"
#include "lxcdriver.h"
#include "lxccgroup.h"
#include "virpublic.h"
#include "virtypedparams.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainRef, virDomainRefFree);

#define EV_REBOOT 100

static virConnect *conn;
static char *dir;           /* the test directory */
static char *stateDir;
static char *initProg;      /* tests/lxc-test-init */

/* A container's name in this run: base, then "-vn" and the PID. Cgroups are
 * per name, and two runs at once (the normal and the sanitizer suite, two
 * work trees) must not share one. */
static const char *
N(const char *base)
{
    g_autofree char *name = g_strdup_printf("%s-vn%d", base, (int)getpid());

    return g_intern_string(name);
}

static void
onLifecycle(virConnect *c G_GNUC_UNUSED, const virDomainRef *dom, int event, int detail,
            void *opaque G_GNUC_UNUSED)
{
    testEventsRecord(dom->name, dom->id, event, detail);
}


static void
onReboot(virConnect *c G_GNUC_UNUSED, const virDomainRef *dom, void *opaque G_GNUC_UNUSED)
{
    testEventsRecord(dom->name, dom->id, EV_REBOOT, 0);
}


static int
eventID(guint i)
{
    g_autoptr(GArray) log = testEventsCopy();

    return i < log->len ? g_array_index(log, testEvent, i).id : -1;
}


/* The sequence of events of one domain, as "STARTED/0 STOPPED/0 ...". */
static char *
eventTrace(const char *name)
{
    static const char *const names[] = { "DEFINED", "UNDEFINED", "STARTED", "SUSPENDED",
                                         "RESUMED", "STOPPED", "SHUTDOWN", "PMSUSPENDED",
                                         "CRASHED" };
    g_autoptr(GArray) log = testEventsCopy();
    GString *s = g_string_new(NULL);
    guint i;

    for (i = 0; i < log->len; i++) {
        testEvent *ev = &g_array_index(log, testEvent, i);
        if (strcmp(ev->name, name) != 0)
            continue;
        if (s->len)
            g_string_append_c(s, ' ');
        if (ev->event == EV_REBOOT)
            g_string_append(s, "REBOOT");
        else
            g_string_append_printf(s, "%s/%d", names[ev->event], ev->detail);
    }
    return g_string_free(s, FALSE);
}


static char *
xmlEscape(const char *s)
{
    return g_markup_escape_text(s, -1);
}


/* A domain definition: init, then NULL-terminated args; env "X=v" pairs. */
static char *
domXMLFull(const char *name, const char *extra, const char *devs, const char *const *env,
           const char *initdir, const char *init, const char *const *args)
{
    GString *s = g_string_new(NULL);
    size_t i;

    g_string_append_printf(s, "<domain type='lxc'>\n  <name>%s</name>\n"
                           "  <memory unit='KiB'>262144</memory>\n  <vcpu>1</vcpu>\n"
                           "  <os>\n    <type>exe</type>\n    <init>%s</init>\n", name, init);
    for (i = 0; args && args[i]; i++) {
        g_autofree char *a = xmlEscape(args[i]);
        g_string_append_printf(s, "    <initarg>%s</initarg>\n", a);
    }
    for (i = 0; env && env[i]; i++) {
        g_auto(GStrv) kv = g_strsplit(env[i], "=", 2);
        g_autofree char *v = xmlEscape(kv[1] ? kv[1] : "");
        g_string_append_printf(s, "    <initenv name='%s'>%s</initenv>\n", kv[0], v);
    }
    if (initdir)
        g_string_append_printf(s, "    <initdir>%s</initdir>\n", initdir);
    g_string_append_printf(s, "  </os>\n%s  <devices>\n    <console type='pty'/>\n%s"
                           "  </devices>\n</domain>\n", extra ? extra : "", devs ? devs : "");
    return g_string_free(s, FALSE);
}

#define domXML(name, extra, env, initdir, init, args) \
    domXMLFull(name, extra, NULL, env, initdir, init, args)


static int
checkState(const virDomainRef *dom, int state, int reason)
{
    int s = -1, r = -1;

    if (virDomainGetState(conn, dom, &s, &r, 0) < 0)
        VIR_TEST_FAIL("getState: %s", virGetLastErrorMessage());
    if (s != state || r != reason)
        VIR_TEST_FAIL("%s: state %d/%d, expected %d/%d", dom->name, s, r, state, reason);
    return 0;
}


static virDomainRef *
lookup(const char *name)
{
    return virDomainLookupByName(conn, name);
}


/* A value from the running domain's state file. */
static int
stateValue(const char *name, const char *attr)
{
    g_autofree char *path = g_strdup_printf("%s/%s.xml", stateDir, name);
    g_autofree char *text = NULL;
    g_autofree char *key = g_strdup_printf(" %s='", attr);
    char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !(p = strstr(text, key)))
        return -1;
    return atoi(p + strlen(key));
}


static bool
pidAlive(int pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", pid);
    g_autofree char *text = NULL;
    char *p;

    if (pid <= 0 || !g_file_get_contents(path, &text, NULL, NULL) || !(p = strrchr(text, ')')))
        return false;
    return p[2] != 'Z' && p[2] != 'X';
}


static bool
waitPidGone(int pid, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;

    while (pidAlive(pid)) {
        if (g_get_monotonic_time() > deadline)
            return false;
        g_usleep(5000);
    }
    return true;
}


static char *
readFile(const char *path)
{
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return text;
}


#define ASSERT_CONTAINS(text, needle) \
    do { const char *t_ = (text), *n_ = (needle); \
         if (!t_ || !strstr(t_, n_)) \
             VIR_TEST_FAIL("'%s' not found in:\n%s", n_, t_ ? t_ : "(null)"); } while (0)

#define ASSERT_TRACE(name, expected) \
    do { g_autofree char *tr_ = eventTrace(name); \
         VIR_TEST_ASSERT_STR(tr_, expected); } while (0)

/* ------------------------------------------------------------------ */

/* define, start, what the container sees, the end by itself, undefine */
static int
testLifecycle(const void *data G_GNUC_UNUSED)
{
    g_autofree char *out = g_build_filename(dir, "c1.out", NULL);
    g_autofree char *workdir = g_build_filename(dir, "work", NULL);
    const char *args[] = { "report", out, "first", "second arg", NULL };
    const char *env[] = { "FOO=bar", "GREETING=hello world", NULL };
    g_autofree char *xml = NULL;
    g_autofree char *report = NULL;
    g_autofree char *log = NULL;
    virConnect *answering = NULL;
    g_autofree char *cfgpath = g_strdup_printf("%s/config/%s.xml", dir, N("c1"));
    g_autofree char *logpath = g_strdup_printf("%s/%s.log", stateDir, N("c1"));
    g_autofree char *hello = g_strdup_printf("hello from the console of %s", N("c1"));
    g_autoptr(virDomainRef) dom = NULL;
    g_autoptr(virDomainRef) found = NULL;
    g_autofree char *dumped = NULL;
    virDomainInfo info;
    int id;

    g_mkdir_with_parents(workdir, 0755);
    xml = domXML(N("c1"), NULL, env, workdir, initProg, args);
    testEventsClear();
    if (!(dom = virDomainDefineXML(conn, xml)))
        VIR_TEST_FAIL("define: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT(g_file_test(cfgpath, G_FILE_TEST_EXISTS));
    VIR_TEST_ASSERT_INT(checkState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN), 0);
    VIR_TEST_ASSERT_INT(virDomainIsPersistent(conn, dom), 1);
    VIR_TEST_ASSERT_INT(virDomainIsActive(conn, dom), 0);
    if (virDomainCreate(conn, dom) < 0)
        VIR_TEST_FAIL("start: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(testEventsWait(N("c1"), VIR_DOMAIN_EVENT_STOPPED, -1, 1, 10000), 1);
    ASSERT_TRACE(N("c1"), "DEFINED/0 STARTED/0 STOPPED/0");
    id = eventID(1);
    VIR_TEST_ASSERT(id > 0);
    VIR_TEST_ASSERT_INT(checkState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN), 0);
    {
        g_autofree char *st = g_strdup_printf("%s/%s.xml", stateDir, N("c1"));
        VIR_TEST_ASSERT(!g_file_test(st, G_FILE_TEST_EXISTS));
    }

    report = readFile(out);
    ASSERT_CONTAINS(report, "pid=1\n");
    {
        g_autofree char *want = g_strdup_printf("hostname=%s\n", N("c1"));
        ASSERT_CONTAINS(report, want);
    }
    {
        g_autofree char *cwdline = g_strdup_printf("cwd=%s\n", workdir);
        ASSERT_CONTAINS(report, cwdline);
    }
    ASSERT_CONTAINS(report, "arg=first\narg=second arg\n");
    ASSERT_CONTAINS(report, "env=FOO=bar\n");
    ASSERT_CONTAINS(report, "env=GREETING=hello world\n");
    ASSERT_CONTAINS(report, "env=container=lxc-libvirt\n");
    {
        g_autofree char *want = g_strdup_printf("env=LIBVIRT_LXC_NAME=%s\n", N("c1"));
        ASSERT_CONTAINS(report, want);
    }
    ASSERT_CONTAINS(report, "tty=yes\n");
    log = readFile(logpath);
    ASSERT_CONTAINS(log, hello);

    /* a second run: the console log exists, so the start asks whether to
     * append or replace it; without auto_answer the start is refused and
     * the question stays pending (docs/jobs.md) */
    if (virDomainCreate(conn, dom) == 0)
        VIR_TEST_FAIL("restart without an answer to the console-log question succeeded");
    ASSERT_CONTAINS(virGetLastErrorMessage(),
                    "already exists: append to it or replace it?', possible answers are "
                    "'append', 'replace'");
    if (virDomainCreate(conn, dom) == 0)
        VIR_TEST_FAIL("restart with the question pending succeeded");
    /* auto_answer=1 answers it (append); a new ID, the same events */
    testEventsClear();
    answering = virConnectOpen("lxc:///system?auto_answer=1", 0);
    if (!answering || virDomainCreate(answering, dom) < 0)
        VIR_TEST_FAIL("restart with auto_answer=1: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(testEventsWait(N("c1"), VIR_DOMAIN_EVENT_STOPPED, -1, 1, 10000), 1);
    virConnectClose(answering);
    answering = NULL;
    g_free(log);
    log = readFile(logpath);
    {
        /* appended: both runs' lines */
        g_auto(GStrv) parts = g_strsplit(log ? log : "", hello, -1);

        if (g_strv_length(parts) < 3)
            VIR_TEST_FAIL("the console log was not appended to:\n%s", log ? log : "(null)");
    }
    g_usleep(100 * 1000);
    ASSERT_TRACE(N("c1"), "STARTED/0 STOPPED/0");

    if (virDomainGetInfo(conn, dom, &info) < 0)
        VIR_TEST_FAIL("info: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(info.state, VIR_DOMAIN_SHUTOFF);
    VIR_TEST_ASSERT_INT(info.maxMem, 262144);
    dumped = virDomainGetXMLDesc(conn, dom, 0);
    ASSERT_CONTAINS(dumped, "<initenv name='FOO'>bar</initenv>");
    ASSERT_CONTAINS(dumped, "<initarg>second arg</initarg>");
    g_autofree char *ostype = virDomainGetOSType(conn, dom);
    VIR_TEST_ASSERT_STR(ostype, "exe");

    testEventsClear();
    VIR_TEST_ASSERT_INT(virDomainUndefine(conn, dom), 0);
    ASSERT_TRACE(N("c1"), "UNDEFINED/0");
    VIR_TEST_ASSERT(!g_file_test(cfgpath, G_FILE_TEST_EXISTS));
    found = lookup(N("c1"));
    VIR_TEST_ASSERT(found == NULL);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_NO_DOMAIN);
    return 0;
}


/* A running container: ID = controller PID, listed, start again fails. */
static int
testRunningAndStartTwice(const void *data G_GNUC_UNUSED)
{
    const char *args[] = { "-c", "sleep 30", NULL };
    g_autofree char *xml = domXML(N("c2"), NULL, NULL, NULL, "/bin/sh", args);
    g_autoptr(virDomainRef) dom = NULL;
    g_autoptr(virDomainRef) byid = NULL;
    g_autoptr(virDomainRef) cur = NULL;
    virError *err;
    int ids[8];
    int initpid;

    testEventsClear();
    if (!(dom = virDomainDefineXML(conn, xml)) || virDomainCreate(conn, dom) < 0)
        VIR_TEST_FAIL("define/start: %s", virGetLastErrorMessage());
    cur = lookup(N("c2"));
    VIR_TEST_ASSERT(cur && cur->id > 0);
    VIR_TEST_ASSERT_INT(stateValue(N("c2"), "pid"), cur->id);
    initpid = stateValue(N("c2"), "initpid");
    VIR_TEST_ASSERT(pidAlive(initpid));
    VIR_TEST_ASSERT_INT(checkState(cur, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED), 0);
    VIR_TEST_ASSERT_INT(virConnectNumOfDomains(conn), 1);
    VIR_TEST_ASSERT_INT(virConnectListDomains(conn, ids, 8), 1);
    VIR_TEST_ASSERT_INT(ids[0], cur->id);
    byid = virDomainLookupByID(conn, cur->id);
    VIR_TEST_ASSERT(byid && strcmp(byid->name, N("c2")) == 0);

    VIR_TEST_ASSERT_INT(virDomainCreate(conn, cur), -1);
    err = virGetLastError();
    VIR_TEST_ASSERT(err != NULL);
    VIR_TEST_ASSERT_INT(err->code, VIR_ERR_OPERATION_INVALID);
    VIR_TEST_ASSERT_INT(err->domain, VIR_FROM_LXC);

    /* sh ignores SIGTERM as a namespace's init: destroy kills it */
    testEventsClear();
    if (virDomainDestroy(conn, cur) < 0)
        VIR_TEST_FAIL("destroy: %s", virGetLastErrorMessage());
    ASSERT_TRACE(N("c2"), "STOPPED/1");
    VIR_TEST_ASSERT_INT(checkState(cur, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED), 0);
    VIR_TEST_ASSERT(waitPidGone(initpid, 2000));
    VIR_TEST_ASSERT(waitPidGone(cur->id, 2000));
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, cur), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID);
    g_usleep(200 * 1000);
    ASSERT_TRACE(N("c2"), "STOPPED/1");
    VIR_TEST_ASSERT_INT(virDomainUndefine(conn, cur), 0);
    return 0;
}


/* The init killed by a signal from outside: SHUTDOWN, once. */
static int
testInitKilled(const void *data G_GNUC_UNUSED)
{
    const char *args[] = { "ignore-term", NULL };
    g_autofree char *xml = domXML(N("c3"), NULL, NULL, NULL, initProg, args);
    g_autoptr(virDomainRef) dom = NULL;
    int initpid, ctrl;

    testEventsClear();
    if (!(dom = virDomainCreateXML(conn, xml, 0)))
        VIR_TEST_FAIL("create: %s", virGetLastErrorMessage());
    ctrl = dom->id;
    initpid = stateValue(N("c3"), "initpid");
    VIR_TEST_ASSERT(initpid > 0);
    VIR_TEST_ASSERT_INT(kill(initpid, SIGKILL), 0);
    VIR_TEST_ASSERT_INT(testEventsWait(N("c3"), VIR_DOMAIN_EVENT_STOPPED, -1, 1, 10000), 1);
    g_usleep(200 * 1000);
    ASSERT_TRACE(N("c3"), "STARTED/0 STOPPED/0");
    /* transient: gone */
    VIR_TEST_ASSERT(lookup(N("c3")) == NULL);
    VIR_TEST_ASSERT(waitPidGone(ctrl, 3000));
    return 0;
}


/* The controller killed: FAILED, and the init does not survive it. */
static int
testControllerKilled(const void *data G_GNUC_UNUSED)
{
    const char *args[] = { "ignore-term", NULL };
    g_autofree char *xml = domXML(N("c4"), NULL, NULL, NULL, initProg, args);
    g_autoptr(virDomainRef) dom = NULL;
    g_autoptr(virDomainRef) cur = NULL;
    int initpid;

    testEventsClear();
    if (!(dom = virDomainDefineXML(conn, xml)) || virDomainCreate(conn, dom) < 0)
        VIR_TEST_FAIL("define/start: %s", virGetLastErrorMessage());
    cur = lookup(N("c4"));
    initpid = stateValue(N("c4"), "initpid");
    VIR_TEST_ASSERT(initpid > 0 && pidAlive(initpid));
    VIR_TEST_ASSERT_INT(kill(cur->id, SIGKILL), 0);
    VIR_TEST_ASSERT_INT(testEventsWait(N("c4"), VIR_DOMAIN_EVENT_STOPPED, -1, 1, 10000), 1);
    g_usleep(200 * 1000);
    ASSERT_TRACE(N("c4"), "DEFINED/0 STARTED/0 STOPPED/5");
    VIR_TEST_ASSERT_INT(checkState(cur, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN), 0);
    VIR_TEST_ASSERT(waitPidGone(initpid, 3000));
    VIR_TEST_ASSERT_INT(virDomainUndefine(conn, cur), 0);
    return 0;
}


/* destroy: an init that ignores SIGTERM gets SIGKILL (at once), one that
 * handles it ends by it. One STOPPED/DESTROYED each. */
static int
testDestroy(const void *data G_GNUC_UNUSED)
{
    const char *ignore[] = { "ignore-term", NULL };
    const char *catch[] = { "catch-term", NULL };
    g_autofree char *xml1 = domXML(N("c5"), NULL, NULL, NULL, initProg, ignore);
    g_autofree char *xml2 = domXML(N("c6"), NULL, NULL, NULL, initProg, catch);
    g_autoptr(virDomainRef) d1 = NULL;
    g_autoptr(virDomainRef) d2 = NULL;
    gint64 t0;
    int init1, init2;

    testEventsClear();
    if (!(d1 = virDomainCreateXML(conn, xml1, 0)) || !(d2 = virDomainCreateXML(conn, xml2, 0)))
        VIR_TEST_FAIL("create: %s", virGetLastErrorMessage());
    init1 = stateValue(N("c5"), "initpid");
    init2 = stateValue(N("c6"), "initpid");
    t0 = g_get_monotonic_time();
    if (virDomainDestroy(conn, d1) < 0)
        VIR_TEST_FAIL("destroy: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT(g_get_monotonic_time() - t0 < 1500 * 1000);
    VIR_TEST_ASSERT(!pidAlive(init1));
    if (virDomainDestroy(conn, d2) < 0)
        VIR_TEST_FAIL("destroy: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT(!pidAlive(init2));
    g_usleep(300 * 1000);
    ASSERT_TRACE(N("c5"), "STARTED/0 STOPPED/1");
    ASSERT_TRACE(N("c6"), "STARTED/0 STOPPED/1");
    VIR_TEST_ASSERT(lookup(N("c5")) == NULL && lookup(N("c6")) == NULL);
    return 0;
}


/* The init calls reboot(2): restarted with a new ID, one REBOOT event. */
static int
testReboot(const void *data G_GNUC_UNUSED)
{
    g_autofree char *flag = g_build_filename(dir, "c7.rebooted", NULL);
    const char *args[] = { "reboot-once", flag, NULL };
    g_autofree char *xml = domXML(N("c7"), NULL, NULL, NULL, initProg, args);
    g_autoptr(virDomainRef) dom = NULL;
    g_autoptr(virDomainRef) cur = NULL;
    int firstID;

    testEventsClear();
    if (!(dom = virDomainDefineXML(conn, xml)))
        VIR_TEST_FAIL("define: %s", virGetLastErrorMessage());
    if (virDomainCreate(conn, dom) < 0)
        VIR_TEST_FAIL("start: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(testEventsWait(N("c7"), EV_REBOOT, -1, 1, 10000), 1);
    firstID = eventID(1);
    g_usleep(200 * 1000);
    ASSERT_TRACE(N("c7"), "DEFINED/0 STARTED/0 REBOOT");
    cur = lookup(N("c7"));
    VIR_TEST_ASSERT(cur && cur->id > 0 && cur->id != firstID);
    VIR_TEST_ASSERT_INT(checkState(cur, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED), 0);
    VIR_TEST_ASSERT(waitPidGone(firstID, 3000));
    testEventsClear();
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, cur), 0);
    ASSERT_TRACE(N("c7"), "STOPPED/1");
    VIR_TEST_ASSERT_INT(virDomainUndefine(conn, cur), 0);
    return 0;
}


/* START_AUTODESTROY: a second connection's close destroys what it started
 * with the flag (a transient domain goes, a persistent one is shut off),
 * from the driver's own thread; a run started without it, or started
 * again without it after its flagged run was destroyed, stays. */
static int
testAutoDestroy(const void *data G_GNUC_UNUSED)
{
    const char *ignore[] = { "ignore-term", NULL };
    g_autofree char *xmlT = domXML(N("c20"), NULL, NULL, NULL, initProg, ignore);
    g_autofree char *xmlP = domXML(N("c21"), NULL, NULL, NULL, initProg, ignore);
    g_autofree char *xmlK = domXML(N("c22"), NULL, NULL, NULL, initProg, ignore);
    g_autofree char *xmlR = domXML(N("c23"), NULL, NULL, NULL, initProg, ignore);
    g_autoptr(virDomainRef) t = NULL;
    g_autoptr(virDomainRef) p = NULL;
    g_autoptr(virDomainRef) k = NULL;
    g_autoptr(virDomainRef) r = NULL;
    virConnect *c2, *c3;
    int initT, initP, ctrlT, ctrlP, initK, initR;

    testEventsClear();
    if (!(c2 = virConnectOpen("lxc:///system", 0)) ||
        !(c3 = virConnectOpen("lxc:///system?auto_answer=1", 0)))
        VIR_TEST_FAIL("open: %s", virGetLastErrorMessage());
    if (!(p = virDomainDefineXML(conn, xmlP)) || !(k = virDomainDefineXML(conn, xmlK)) ||
        !(r = virDomainDefineXML(conn, xmlR)))
        VIR_TEST_FAIL("define: %s", virGetLastErrorMessage());
    if (!(t = virDomainCreateXML(c2, xmlT, VIR_DOMAIN_START_AUTODESTROY)) ||
        virDomainCreateWithFlags(c2, p, VIR_DOMAIN_START_AUTODESTROY) < 0 ||
        virDomainCreateWithFlags(c2, k, 0) < 0 ||
        virDomainCreateWithFlags(c2, r, VIR_DOMAIN_START_AUTODESTROY) < 0)
        VIR_TEST_FAIL("start: %s", virGetLastErrorMessage());
    /* r's flagged run ends by other means; its next run has no flag */
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, r), 0);
    VIR_TEST_ASSERT_INT(virDomainCreate(c3, r), 0);
    /* other bits still refused, naming only them */
    VIR_TEST_ASSERT(virDomainCreateWithFlags(c2, k, VIR_DOMAIN_START_AUTODESTROY |
                                             VIR_DOMAIN_START_PAUSED) < 0);
    ASSERT_CONTAINS(virGetLastErrorMessage(), "unsupported flags (0x1) in function");
    initT = stateValue(N("c20"), "initpid");
    initP = stateValue(N("c21"), "initpid");
    ctrlT = stateValue(N("c20"), "pid");
    ctrlP = stateValue(N("c21"), "pid");
    initK = stateValue(N("c22"), "initpid");
    initR = stateValue(N("c23"), "initpid");
    VIR_TEST_ASSERT(pidAlive(initT) && pidAlive(initP) && pidAlive(initK) && pidAlive(initR));

    virConnectClose(c3);
    virConnectClose(c2);
    VIR_TEST_ASSERT_INT(testEventsWait(N("c20"), VIR_DOMAIN_EVENT_STOPPED, -1, 1, 15000), 1);
    VIR_TEST_ASSERT_INT(testEventsWait(N("c21"), VIR_DOMAIN_EVENT_STOPPED, -1, 1, 15000), 1);
    g_usleep(300 * 1000);
    ASSERT_TRACE(N("c20"), "STARTED/0 STOPPED/1");
    ASSERT_TRACE(N("c21"), "DEFINED/0 STARTED/0 STOPPED/1");
    ASSERT_TRACE(N("c22"), "DEFINED/0 STARTED/0");
    ASSERT_TRACE(N("c23"), "DEFINED/0 STARTED/0 STOPPED/1 STARTED/0");
    VIR_TEST_ASSERT(lookup(N("c20")) == NULL);
    VIR_TEST_ASSERT_INT(checkState(p, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED), 0);
    VIR_TEST_ASSERT(waitPidGone(initT, 3000) && waitPidGone(initP, 3000));
    VIR_TEST_ASSERT(waitPidGone(ctrlT, 3000) && waitPidGone(ctrlP, 3000));
    VIR_TEST_ASSERT(pidAlive(initK) && pidAlive(initR));

    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, k), 0);
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, r), 0);
    VIR_TEST_ASSERT_INT(virDomainUndefine(conn, p), 0);
    VIR_TEST_ASSERT_INT(virDomainUndefine(conn, k), 0);
    VIR_TEST_ASSERT_INT(virDomainUndefine(conn, r), 0);
    return 0;
}


/* Definitions the driver cannot run: clear errors. */
static int
testUnsupported(const void *data G_GNUC_UNUSED)
{
    static const struct {
        const char *xml;
        int code;
        const char *text;
    } cases[] = {
        { "<domain type='lxc'><name>u</name><memory>1024</memory><os><type>exe</type>"
          "<init>/bin/true</init></os><devices><hostdev mode='subsystem' type='pci'>"
          "<source><address domain='0' bus='1' slot='0' function='0'/></source></hostdev>"
          "</devices></domain>",
          VIR_ERR_CONFIG_UNSUPPORTED, "hostdev mode 'subsystem' type 'pci' is not supported" },
        { "<domain type='lxc'><name>u</name><memory>1024</memory><os><type>exe</type>"
          "<init>/bin/true</init></os><devices><hostdev mode='subsystem' type='usb'>"
          "<source><vendor id='0'/><product id='1'/></source></hostdev></devices></domain>",
          VIR_ERR_XML_ERROR, "Invalid value for attribute 'id' in element 'vendor': Zero is "
          "not permitted" },
        { "<domain type='lxc'><name>u</name><memory>1024</memory><os><type>exe</type>"
          "<init>/bin/true</init></os><devices><hostdev mode='subsystem' type='usb'>"
          "<source><address bus='1/../..' device='2'/></source></hostdev></devices></domain>",
          VIR_ERR_XML_ERROR, "Invalid value for attribute 'bus' in element 'address': "
          "'1/../..'. Expected non-negative integer value" },
        { "<domain type='lxc'><name>u</name><memory>1024</memory><os><type>exe</type>"
          "<init>/bin/true</init></os><devices><disk type='file' device='disk'>"
          "<source file='/x.img'/><target dev='vda'/></disk></devices></domain>",
          VIR_ERR_CONFIG_UNSUPPORTED, "disk type 'file' device 'disk' is not supported" },
        { "<domain type='lxc'><name>u</name><memory>1024</memory><os><type>exe</type>"
          "<init>/bin/true</init></os><devices><disk type='block' device='disk'>"
          "<source dev='/dev/null'/><target dev='../etc'/></disk></devices></domain>",
          VIR_ERR_XML_ERROR, "invalid disk target '../etc'" },
        { "<domain type='lxc'><name>u</name><memory>1024</memory><os><type>exe</type>"
          "<init>/bin/true</init></os><devices><hostdev mode='capabilities' type='misc'>"
          "<source><char>/dev/../etc/passwd</char></source></hostdev></devices></domain>",
          VIR_ERR_XML_ERROR, "is not an absolute device path" },
        { "<domain type='lxc'><name>u</name><memory>1024</memory><os><type>exe</type>"
          "<init>/bin/true</init></os><devices><disk type='block' device='disk'>"
          "<source dev='/dev/a'/><target dev='vdb'/></disk><disk type='block' device='disk'>"
          "<source dev='/dev/b'/><target dev='vdb'/></disk></devices></domain>",
          VIR_ERR_XML_ERROR, "target 'vdb' duplicated for disk sources '/dev/a' and '/dev/b'" },
        { "<domain type='lxc'><name>u</name><memory>1024</memory><os><type>exe</type>"
          "<init>/bin/true</init></os><devices><filesystem type='block'><source dev='/dev/x'/>"
          "<target dir='/mnt'/></filesystem></devices></domain>",
          VIR_ERR_CONFIG_UNSUPPORTED, "filesystem type 'block'" },
        { "<domain type='lxc'><name>u</name><memory>1024</memory><os><type>hvm</type></os>"
          "</domain>", VIR_ERR_CONFIG_UNSUPPORTED, "OS type 'hvm'" },
        { "<domain type='kvm'><name>u</name><memory>1024</memory><os><type>exe</type></os>"
          "</domain>", VIR_ERR_CONFIG_UNSUPPORTED, "domain type 'kvm'" },
        { "<domain type='lxc'><name>u</name><memory>1024</memory><os><type>exe</type></os>"
          "<features><acpi/></features></domain>", VIR_ERR_CONFIG_UNSUPPORTED, "feature 'acpi'" },
        { "<domain type='lxc'><name>u</name><memory>1024</memory><os><type>exe</type></os>"
          "<numatune><memory mode='interleave' nodeset='0'/></numatune></domain>",
          VIR_ERR_CONFIG_UNSUPPORTED, "<numatune> (memory nodes) is not supported" },
        { "<domain type='lxc'><name>u</name><memory>1024</memory><vcpu cpuset='0-'>1</vcpu>"
          "<os><type>exe</type></os></domain>", VIR_ERR_INVALID_ARG,
          "Failed to parse bitmap '0-'" },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(virDomainRef) dom = virDomainDefineXML(conn, cases[i].xml);
        virError *err = virGetLastError();

        VIR_TEST_ASSERT(dom == NULL);
        VIR_TEST_ASSERT(err != NULL);
        if (err->code != cases[i].code || !strstr(err->message, cases[i].text))
            VIR_TEST_FAIL("case %zu: error %d '%s'", i, err->code, err->message);
    }
    return 0;
}


/* Devices the definition keeps but a start cannot realise: the start
 * fails with CONFIG_UNSUPPORTED naming the device, nothing runs. */
static int
testStartUnsupportedDevices(const void *data G_GNUC_UNUSED)
{
    static const struct {
        const char *devices;
        const char *text;
    } cases[] = {
        { "<interface type='network'><source network='default'/></interface>",
          "interface type 'network' is not supported by virtnet's LXC driver" },
        { "<disk type='block' device='disk'><source dev='/dev/null'/><target dev='vdb'/></disk>",
          "disk 'vdb' needs a container with a root filesystem of its own" },
        { "<hostdev mode='capabilities' type='misc'><source><char>/dev/zero</char></source>"
          "</hostdev>", "hostdev '/dev/zero' needs a container with a root filesystem" },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = g_strdup_printf(
            "<domain type='lxc'><name>%s</name><memory>65536</memory><os><type>exe</type>"
            "<init>/bin/true</init></os><devices>%s</devices></domain>", N("c10"),
            cases[i].devices);
        g_autoptr(virDomainRef) dom = virDomainDefineXML(conn, xml);
        g_autofree char *dump = NULL;

        if (!dom)
            VIR_TEST_FAIL("case %zu: define: %s", i, virGetLastErrorMessage());
        /* an interface gets libvirt's generated <mac> */
        dump = virDomainGetXMLDesc(conn, dom, 0);
        if (i == 0)
            ASSERT_CONTAINS(dump, "<mac address='52:54:00:");
        testEventsClear();
        VIR_TEST_ASSERT_INT(virDomainCreate(conn, dom), -1);
        VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_CONFIG_UNSUPPORTED);
        ASSERT_CONTAINS(virGetLastErrorMessage(), cases[i].text);
        VIR_TEST_ASSERT_INT(checkState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN), 0);
        VIR_TEST_ASSERT_INT(virDomainUndefine(conn, dom), 0);
    }
    return 0;
}


/* A start that cannot exec its init fails with the reason. */
static int
testStartFailure(const void *data G_GNUC_UNUSED)
{
    g_autofree char *xml = domXML(N("c8"), NULL, NULL, NULL, "/nonexistent/init", NULL);
    g_autoptr(virDomainRef) dom = NULL;

    testEventsClear();
    dom = virDomainCreateXML(conn, xml, 0);
    VIR_TEST_ASSERT(dom == NULL);
    ASSERT_CONTAINS(virGetLastErrorMessage(), "cannot execute the init");
    VIR_TEST_ASSERT(lookup(N("c8")) == NULL);
    ASSERT_TRACE(N("c8"), "");
    return 0;
}


/* What a pipe's reader gets until EOF, or NULL when no EOF came within ms
 * (a writer is still open somewhere). */
static char *
pipeReadAll(int fd, int ms)
{
    g_autoptr(GString) s = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    char buf[256];
    ssize_t n;

    for (;;) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;

        if (left <= 0 || poll(&p, 1, (int)left) == 0)
            return NULL;
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return g_strdup(s->str);
        g_string_append_len(s, buf, n);
    }
}


static int
openFdCount(void)
{
    g_autoptr(GDir) d = g_dir_open("/proc/self/fd", 0, NULL);
    int n = 0;

    while (d && g_dir_read_name(d))
        n++;
    return n;
}


/* Creation with files: the init gets them as 3, 4, ... in order and
 * nothing else above 2; no one else keeps a copy (the pipe ends while
 * the container still runs); a failed start closes them too. */
static int
testFiles(const void *data G_GNUC_UNUSED)
{
    g_autofree char *inPath = g_build_filename(dir, "files.in", NULL);
    g_autofree char *xml = NULL;
    g_autofree char *bad = domXML(N("c14b"), NULL, NULL, NULL, "/nonexistent/init", NULL);
    g_autofree char *got = NULL;
    g_autoptr(virDomainRef) dom = NULL;
    g_autoptr(virDomainRef) badDom = NULL;
    const char *args[] = {
        "-c", "read x <&4; echo \"got $x\" >&3; for n in 3 4 5 6; do "
        "if [ -e /proc/self/fd/$n ]; then echo fd$n=open; else echo fd$n=closed; fi; done >&3; "
        "exec 3>&- 4<&-; sleep 30", NULL };
    int pfd[2] = { -1, -1 }, files[2] = { -1, -1 };
    int before = openFdCount(), after = -1, active, i;

    VIR_TEST_ASSERT_INT(virConnectSupportsFeature(conn, VIR_DRV_FEATURE_FD_PASSING), 1);
    g_file_set_contents(inPath, "from-the-file\n", -1, NULL);
    xml = domXML(N("c14"), NULL, NULL, NULL, "/bin/sh", args);
    if (pipe2(pfd, O_CLOEXEC) < 0 || (files[1] = open(inPath, O_RDONLY | O_CLOEXEC)) < 0)
        VIR_TEST_FAIL("pipe/open: %s", g_strerror(errno));
    files[0] = pfd[1];
    testEventsClear();
    dom = virDomainCreateXMLWithFiles(conn, xml, 2, files, 0);
    close(files[0]);
    close(files[1]);
    if (!dom) {
        close(pfd[0]);
        VIR_TEST_FAIL("createXMLWithFiles: %s", virGetLastErrorMessage());
    }
    got = pipeReadAll(pfd[0], 10000);
    close(pfd[0]);
    /* the EOF came from the init's close: the domain still runs */
    active = virDomainIsActive(conn, dom);
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, dom), 0);
    VIR_TEST_ASSERT_STR(got, "got from-the-file\nfd3=open\nfd4=open\nfd5=closed\nfd6=closed\n");
    VIR_TEST_ASSERT_INT(active, 1);
    VIR_TEST_ASSERT_INT(testEventsWait(N("c14"), VIR_DOMAIN_EVENT_STOPPED, -1, 1, 10000), 1);

    /* a start that fails: the files are closed all the same */
    if (pipe2(pfd, O_CLOEXEC) < 0)
        VIR_TEST_FAIL("pipe: %s", g_strerror(errno));
    if (!(badDom = virDomainDefineXML(conn, bad)))
        VIR_TEST_FAIL("define: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(virDomainCreateWithFiles(conn, badDom, 1, &pfd[1], 0), -1);
    ASSERT_CONTAINS(virGetLastErrorMessage(), "cannot execute the init");
    close(pfd[1]);
    g_free(got);
    got = pipeReadAll(pfd[0], 5000);
    close(pfd[0]);
    VIR_TEST_ASSERT_STR(got, "");
    VIR_TEST_ASSERT_INT(virDomainUndefine(conn, badDom), 0);
    /* libvirt's flag check (it takes AUTODESTROY only) */
    VIR_TEST_ASSERT(virDomainCreateWithFiles(conn, badDom, 0, NULL,
                                             VIR_DOMAIN_START_VALIDATE) < 0);
    ASSERT_CONTAINS(virGetLastErrorMessage(), "in function lxcDomainCreateWithFiles");

    /* the driver kept no descriptor (the monitor's socket goes on a timer) */
    for (i = 0; i < 200 && (after = openFdCount()) != before; i++)
        g_usleep(10000);
    VIR_TEST_ASSERT(after <= before);
    return 0;
}


/* Filesystems and a private network namespace. */
static int
testFilesystems(const void *data G_GNUC_UNUSED)
{
    g_autofree char *src = g_build_filename(dir, "shared", NULL);
    g_autofree char *out = g_build_filename(dir, "fs.out", NULL);
    g_autofree char *extra = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *cmd = NULL;
    g_autofree char *result = NULL;
    g_autoptr(virDomainRef) dom = NULL;
    const char *args[3] = { "-c", NULL, NULL };

    g_autofree char *marker = g_build_filename(src, "marker", NULL);
    g_autofree char *ro = g_build_filename(dir, "mnt-ro", NULL);
    g_autofree char *ram = g_build_filename(dir, "mnt-ram", NULL);
    g_autofree char *devs = NULL;

    g_mkdir_with_parents(src, 0755);
    g_file_set_contents(marker, "present\n", -1, NULL);
    extra = g_strdup("  <features><privnet/></features>\n");
    devs = g_strdup_printf("    <filesystem type='mount'><source dir='%s'/>"
                           "<target dir='%s'/><readonly/></filesystem>\n"
                           "    <filesystem type='ram'><source usage='1024' units='KiB'/>"
                           "<target dir='%s'/></filesystem>\n", src, ro, ram);
    cmd = g_strdup_printf("{ cat %s/marker; "
                          "touch %s/x 2>/dev/null && echo writable || echo readonly; "
                          "grep -c ' %s tmpfs' /proc/mounts; ls /sys/class/net | tr '\\n' ' '; "
                          "echo; } > %s", ro, ro, ram, out);
    args[1] = cmd;
    xml = domXMLFull(N("c9"), extra, devs, NULL, NULL, "/bin/sh", args);
    testEventsClear();
    if (!(dom = virDomainCreateXML(conn, xml, 0)))
        VIR_TEST_FAIL("create: %s\n%s", virGetLastErrorMessage(), xml);
    VIR_TEST_ASSERT_INT(testEventsWait(N("c9"), VIR_DOMAIN_EVENT_STOPPED, 0, 1, 10000), 1);
    result = readFile(out);
    ASSERT_CONTAINS(result, "present\nreadonly\n1\nlo \n");
    return 0;
}


/* Live device nodes go into the container's own /dev and nowhere else:
 * the container turns /dev/net into a symbolic link to /etc (absolute),
 * and the node of /dev/net/tun lands in the container's /etc, never in
 * the host's. A container sharing the host's /dev gets none. */
static int
testDeviceNodesConfined(const void *data G_GNUC_UNUSED)
{
    static const char *const subdirs[] = { "usr", "dev", "proc", "tmp", "etc" };
    static const char *const links[] = { "bin", "lib", "lib64", "sbin" };
    const char *tun = "<hostdev mode='capabilities' type='misc'><source>"
                      "<char>/dev/net/tun</char></source></hostdev>";
    g_autofree char *root = g_build_filename(dir, "devroot", NULL);
    g_autofree char *ready = g_build_filename(root, "tmp", "ready", NULL);
    g_autofree char *inside = g_build_filename(root, "etc", "tun", NULL);
    g_autofree char *devs = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *plain = NULL;
    g_autoptr(virDomainRef) dom = NULL;
    g_autoptr(virDomainRef) shared = NULL;
    const char *args[] = { "-c", "rm -rf /dev/net; ln -s /etc /dev/net; touch /tmp/ready; "
                           "exec sleep 30", NULL };
    const char *sargs[] = { "-c", "exec sleep 30", NULL };
    struct stat sb;
    size_t i;

    if (!g_file_test("/dev/net/tun", G_FILE_TEST_EXISTS)) {
        fprintf(stderr, "  (no /dev/net/tun on this host: not run)\n");
        return 0;
    }
    VIR_TEST_ASSERT(!g_file_test("/etc/tun", G_FILE_TEST_EXISTS));
    for (i = 0; i < G_N_ELEMENTS(subdirs); i++) {
        g_autofree char *d = g_build_filename(root, subdirs[i], NULL);
        g_mkdir_with_parents(d, 0755);
    }
    for (i = 0; i < G_N_ELEMENTS(links); i++) {
        g_autofree char *l = g_build_filename(root, links[i], NULL);
        g_autofree char *t = g_strdup_printf("usr/%s", links[i]);
        if (symlink(t, l) < 0 && errno != EEXIST)
            VIR_TEST_FAIL("symlink %s: %s", l, g_strerror(errno));
    }
    devs = g_strdup_printf("    <filesystem type='mount'><source dir='%s'/><target dir='/'/>"
                           "</filesystem>\n    <filesystem type='mount'><source dir='/usr'/>"
                           "<target dir='/usr'/><readonly/></filesystem>\n", root);
    xml = domXMLFull(N("c11"), NULL, devs, NULL, NULL, "/bin/sh", args);
    if (!(dom = virDomainCreateXML(conn, xml, 0)))
        VIR_TEST_FAIL("create: %s", virGetLastErrorMessage());
    for (i = 0; i < 200 && !g_file_test(ready, G_FILE_TEST_EXISTS); i++)
        g_usleep(25 * 1000);
    VIR_TEST_ASSERT(g_file_test(ready, G_FILE_TEST_EXISTS));

    if (virDomainAttachDeviceFlags(conn, dom, tun, VIR_DOMAIN_AFFECT_LIVE) < 0)
        VIR_TEST_FAIL("attach: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT(!g_file_test("/etc/tun", G_FILE_TEST_EXISTS));
    VIR_TEST_ASSERT_INT(lstat(inside, &sb), 0);
    VIR_TEST_ASSERT(S_ISCHR(sb.st_mode));
    if (virDomainDetachDeviceFlags(conn, dom, tun, VIR_DOMAIN_AFFECT_LIVE) < 0)
        VIR_TEST_FAIL("detach: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT(!g_file_test(inside, G_FILE_TEST_EXISTS));
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, dom), 0);

    /* at start: a source that is not there fails the start, with why */
    {
        g_autofree char *bad = g_strdup_printf("%s    <disk type='block' device='disk'><source "
                                               "dev='/dev/vn-no-such-disk'/><target dev='vdb'/>"
                                               "</disk>\n", devs);
        g_autofree char *badxml = domXMLFull(N("c13"), NULL, bad, NULL, NULL, "/bin/sh", sargs);
        g_autoptr(virDomainRef) none = virDomainCreateXML(conn, badxml, 0);

        VIR_TEST_ASSERT(none == NULL);
        /* the device ACL's words (libvirt's) with a devices cgroup, else the child's */
        VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(),
                               "Path '/dev/vn-no-such-disk' is not accessible") ||
                        strstr(virGetLastErrorMessage(), "Unable to access /dev/vn-no-such-disk"));
        VIR_TEST_ASSERT(lookup(N("c13")) == NULL);
    }

    /* the host's /dev: refused, nothing made */
    plain = domXMLFull(N("c12"), NULL, NULL, NULL, NULL, "/bin/sh", sargs);
    if (!(shared = virDomainCreateXML(conn, plain, 0)))
        VIR_TEST_FAIL("create: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(virDomainAttachDevice(conn, shared, tun), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_CONFIG_UNSUPPORTED);
    ASSERT_CONTAINS(virGetLastErrorMessage(), "shares the host's /dev");
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, shared), 0);
    return 0;
}


/* Many containers started and ended, a few at a time: every EXIT arrives
 * (a lost one would show as STOPPED/FAILED). */
#define MANY 500
#define MANY_THREADS 4

static gpointer
manyThread(gpointer data)
{
    int t = GPOINTER_TO_INT(data);
    int i;

    for (i = t; i < MANY; i += MANY_THREADS) {
        g_autofree char *name = g_strdup_printf("m%03d-vn%d", i, (int)getpid());
        g_autofree char *xml = domXML(name, NULL, NULL, NULL, "/bin/true", NULL);
        virDomainRef *dom = virDomainCreateXML(conn, xml, 0);

        if (!dom) {
            fprintf(stderr, "  %s: %s\n", name, virGetLastErrorMessage());
            return GINT_TO_POINTER(1);
        }
        virDomainRefFree(dom);
    }
    return NULL;
}


static int
testMany(const void *data G_GNUC_UNUSED)
{
    GThread *threads[MANY_THREADS];
    int failed = 0, i, got;
    gint64 t0 = g_get_monotonic_time();

    testEventsClear();
    for (i = 0; i < MANY_THREADS; i++)
        threads[i] = g_thread_new("many", manyThread, GINT_TO_POINTER(i));
    for (i = 0; i < MANY_THREADS; i++)
        failed += GPOINTER_TO_INT(g_thread_join(threads[i]));
    VIR_TEST_ASSERT_INT(failed, 0);
    got = testEventsWait(NULL, VIR_DOMAIN_EVENT_STOPPED, -1, MANY, 60000);
    VIR_TEST_ASSERT_INT(got, MANY);
    VIR_TEST_ASSERT_INT(testEventsCount(NULL, VIR_DOMAIN_EVENT_STOPPED,
                                        VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN), MANY);
    VIR_TEST_ASSERT_INT(testEventsCount(NULL, VIR_DOMAIN_EVENT_STARTED,
                                        VIR_DOMAIN_EVENT_STARTED_BOOTED), MANY);
    VIR_TEST_ASSERT_INT(virConnectNumOfDomains(conn), 0);
    if (virTestVerbose())
        fprintf(stderr, "  %d containers in %.1f s\n", MANY,
                (g_get_monotonic_time() - t0) / 1e6);
    return 0;
}


/* A daemon restart in one process: the state is dropped (monitors closed,
 * containers keep running) and loaded again. */
static int
testRestart(const void *data G_GNUC_UNUSED)
{
    g_autofree char *fa = g_build_filename(dir, "ra.go", NULL);
    g_autofree char *fb = g_build_filename(dir, "rb.go", NULL);
    g_autofree char *fd = g_build_filename(dir, "rd.go", NULL);
    const char *aa[] = { "wait", fa, NULL }, *ab[] = { "wait", fb, NULL };
    const char *ac[] = { "ignore-term", NULL }, *ad[] = { "wait", fd, NULL };
    const char *names[] = { N("ra"), N("rb"), N("rc"), N("rd") };
    const char *const *argsv[] = { aa, ab, ac, ad };
    int ids[4], inits[4];
    size_t i;

    testEventsClear();
    for (i = 0; i < 4; i++) {
        g_autofree char *xml = domXML(names[i], NULL, NULL, NULL, initProg, argsv[i]);
        g_autoptr(virDomainRef) def = virDomainDefineXML(conn, xml);
        g_autoptr(virDomainRef) cur = NULL;

        if (!def || virDomainCreate(conn, def) < 0)
            VIR_TEST_FAIL("%s: %s", names[i], virGetLastErrorMessage());
        cur = lookup(names[i]);
        ids[i] = cur->id;
        inits[i] = stateValue(names[i], "initpid");
    }

    /* the daemon goes away */
    lxcDriverShutdown();
    /* rd ends and its controller gives up waiting (3 s) */
    g_file_set_contents(fd, "", 0, NULL);
    VIR_TEST_ASSERT(waitPidGone(inits[3], 3000));
    VIR_TEST_ASSERT(waitPidGone(ids[3], 6000));
    /* rc's controller dies */
    kill(ids[2], SIGKILL);
    VIR_TEST_ASSERT(waitPidGone(ids[2], 3000));
    /* rb ends, its controller keeps EXIT, for the exit timeout (3 s) from
     * here: last before the reload, so that a slow machine (ASan) does not
     * use that time up on the steps above */
    g_file_set_contents(fb, "", 0, NULL);
    VIR_TEST_ASSERT(waitPidGone(inits[1], 3000));
    VIR_TEST_ASSERT(pidAlive(ids[1]));
    VIR_TEST_ASSERT(pidAlive(ids[0]) && pidAlive(inits[0]));

    testEventsClear();
    if (lxcDriverReload() < 0)
        VIR_TEST_FAIL("reload: %s", virGetLastErrorMessage());
    /* rb's pending EXIT arrives after the reconnection */
    VIR_TEST_ASSERT_INT(testEventsWait(N("rb"), VIR_DOMAIN_EVENT_STOPPED, -1, 1, 5000), 1);
    g_usleep(200 * 1000);
    ASSERT_TRACE(N("ra"), "");
    ASSERT_TRACE(N("rb"), "STOPPED/0");
    ASSERT_TRACE(N("rc"), "STOPPED/5");
    ASSERT_TRACE(N("rd"), "STOPPED/0");
    for (i = 0; i < 4; i++) {
        g_autoptr(virDomainRef) cur = lookup(names[i]);

        VIR_TEST_ASSERT(cur != NULL);
        if (i == 0) {
            VIR_TEST_ASSERT_INT(cur->id, ids[0]);
            VIR_TEST_ASSERT_INT(checkState(cur, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED), 0);
        } else {
            VIR_TEST_ASSERT_INT(cur->id, -1);
            VIR_TEST_ASSERT_INT(checkState(cur, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN), 0);
        }
    }
    VIR_TEST_ASSERT(waitPidGone(ids[1], 3000));
    VIR_TEST_ASSERT(!pidAlive(inits[2]));

    /* the survivor is fully managed: destroy */
    {
        g_autoptr(virDomainRef) cur = lookup(N("ra"));

        testEventsClear();
        VIR_TEST_ASSERT_INT(virDomainDestroy(conn, cur), 0);
        ASSERT_TRACE(N("ra"), "STOPPED/1");
        VIR_TEST_ASSERT(waitPidGone(inits[0], 2000));
        VIR_TEST_ASSERT(waitPidGone(ids[0], 2000));
    }
    for (i = 0; i < 4; i++) {
        g_autoptr(virDomainRef) cur = lookup(names[i]);
        VIR_TEST_ASSERT_INT(virDomainUndefine(conn, cur), 0);
    }
    return 0;
}



/* The controller keeps a container's EXIT for a while when no daemon is
 * there; one that is gone or silent by the time the daemon is back (its
 * wait ran out just as the daemon connected) leaves the reason in
 * NAME.exit: the reload reads it rather than calling the end a failure. */
static int
testRestartSilentController(const void *data G_GNUC_UNUSED)
{
    g_autofree char *go = g_build_filename(dir, "rs.go", NULL);
    g_autofree char *record = g_strdup_printf("%s/%s.exit", stateDir, N("rs"));
    const char *args[] = { "wait", go, NULL };
    g_autofree char *xml = domXML(N("rs"), NULL, NULL, NULL, initProg, args);
    g_autoptr(virDomainRef) def = virDomainDefineXML(conn, xml);
    g_autoptr(virDomainRef) cur = NULL;
    int ctrl, init;

    if (!def || virDomainCreate(conn, def) < 0)
        VIR_TEST_FAIL("start: %s", virGetLastErrorMessage());
    ctrl = stateValue(N("rs"), "pid");
    init = stateValue(N("rs"), "initpid");
    lxcDriverShutdown();
    g_file_set_contents(go, "", 0, NULL);
    VIR_TEST_ASSERT(waitPidGone(init, 3000));
    for (int ms = 0; ms < 3000 && !g_file_test(record, G_FILE_TEST_EXISTS); ms += 10)
        g_usleep(10 * 1000);
    VIR_TEST_ASSERT(g_file_test(record, G_FILE_TEST_EXISTS));
    /* the controller answers nothing more: the reload connects, no EXIT */
    kill(ctrl, SIGSTOP);
    testEventsClear();
    if (lxcDriverReload() < 0)
        VIR_TEST_FAIL("reload: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(testEventsWait(N("rs"), VIR_DOMAIN_EVENT_STOPPED, -1, 1, 8000), 1);
    ASSERT_TRACE(N("rs"), "STOPPED/0");
    cur = lookup(N("rs"));
    VIR_TEST_ASSERT(cur != NULL);
    VIR_TEST_ASSERT_INT(checkState(cur, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN), 0);
    kill(ctrl, SIGCONT);
    VIR_TEST_ASSERT(waitPidGone(ctrl, 3000));
    VIR_TEST_ASSERT_INT(virDomainUndefine(conn, cur), 0);
    return 0;
}


/* ------------------------------------------------------------------ */
/* Tuning through the cgroups (lxcdomaintune.c): each value is read back
 * from the kernel's file. Names carry our PID: the cgroups are global and
 * other test runs may use the LXC driver at the same time. */

/* The text of a controller's file of a domain's group, or NULL. */
static char *
cgroupFile(const char *name, lxcCgroupController c, const char *v1file, const char *v2file)
{
    g_autoptr(lxcCgroup) cg = lxcCgroupNew(name);
    g_autofree char *path = NULL;
    char *text = NULL;

    if (!lxcCgroupHas(cg, c))
        return NULL;
    path = lxcCgroupPath(cg, c, cg->v2[c] ? v2file : v1file);
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return g_strstrip(text);
}

#define ASSERT_CGROUP(name, c, v1file, v2file, expect) \
    do { \
        g_autofree char *got_ = cgroupFile(name, c, v1file, v2file); \
        if (!got_ || strcmp(got_, expect) != 0) \
            VIR_TEST_FAIL("%s: %s is '%s', expected '%s'", name, v1file, \
                          got_ ? got_ : "(unreadable)", expect); \
    } while (0)

#define ASSERT_ERROR(call, code_, text_) \
    do { \
        virError *e_; \
        VIR_TEST_ASSERT((call) < 0); \
        e_ = virGetLastError(); \
        if (!e_ || e_->code != (code_) || !strstr(e_->message, text_)) \
            VIR_TEST_FAIL("%s: error %d '%s', expected %d '%s'", #call, e_ ? e_->code : 0, \
                          e_ ? e_->message : "", code_, text_); \
    } while (0)

static bool
hostHas(lxcCgroupController c)
{
    g_autoptr(lxcCgroup) cg = lxcCgroupNew("probe");

    return lxcCgroupHas(cg, c);
}


static int
testTuning(const void *data G_GNUC_UNUSED)
{
    const char *args[] = { "ignore-term", NULL };
    g_autofree char *name = g_strdup_printf("vntune%d", (int)getpid());
    g_autofree char *xml = domXML(name, "  <cputune>\n    <shares>512</shares>\n  </cputune>\n",
                                  NULL, NULL, initProg, args);
    g_autoptr(virDomainRef) def = NULL;
    g_autoptr(virDomainRef) dom = NULL;
    g_autofree char *inactive = NULL;
    virTypedParameter params[6];
    virDomainMemoryStatStruct stats[8];
    virDomainBlockStatsStruct bstats;
    virDomainInfo info;
    g_autoptr(lxcCgroup) cg = lxcCgroupNew(name);
    int nparams, n;
    char *type;

    if (!hostHas(LXC_CGROUP_MEMORY) || !hostHas(LXC_CGROUP_CPU) || !hostHas(LXC_CGROUP_FREEZER)) {
        printf("  (no memory, cpu or freezer controller on this host: skipped)\n");
        return 0;
    }
    testEventsClear();
    if (!(def = virDomainDefineXML(conn, xml)))
        VIR_TEST_FAIL("define: %s", virGetLastErrorMessage());

    /* shut off: libvirt's defaults and refusals, config changes */
    VIR_TEST_ASSERT((type = virDomainGetSchedulerType(conn, def, &nparams)) != NULL);
    VIR_TEST_ASSERT(strcmp(type, "posix") == 0 && nparams == 3);
    g_free(type);
    ASSERT_ERROR(virDomainSuspend(conn, def), VIR_ERR_OPERATION_INVALID, "domain is not running");
    ASSERT_ERROR(virDomainMemoryStats(conn, def, stats, 8, 0), VIR_ERR_OPERATION_INVALID,
                 "domain is not running");
    memset(params, 0, sizeof(params));
    g_strlcpy(params[0].field, VIR_DOMAIN_SCHEDULER_CPU_SHARES, sizeof(params[0].field));
    params[0].type = VIR_TYPED_PARAM_ULLONG;
    params[0].value.ul = 768;
    VIR_TEST_ASSERT_INT(virDomainSetSchedulerParametersFlags(conn, def, params, 1,
                                                             VIR_DOMAIN_AFFECT_CONFIG), 0);
    inactive = virDomainGetXMLDesc(conn, def, VIR_DOMAIN_XML_INACTIVE);
    VIR_TEST_ASSERT(inactive && strstr(inactive, "<shares>768</shares>"));
    VIR_TEST_ASSERT_INT(virDomainSetMemoryFlags(conn, def, 200000, VIR_DOMAIN_MEM_MAXIMUM), 0);

    /* start: the definition's values are in the kernel's files */
    if (virDomainCreate(conn, def) < 0)
        VIR_TEST_FAIL("start: %s", virGetLastErrorMessage());
    dom = lookup(name);
    ASSERT_CGROUP(name, LXC_CGROUP_MEMORY, "memory.limit_in_bytes", "memory.max", "204800000");
    ASSERT_CGROUP(name, LXC_CGROUP_CPU, "cpu.shares", "cpu.weight", "768");

    /* memory: the limit goes to the cgroup */
    VIR_TEST_ASSERT_INT(virDomainSetMemoryFlags(conn, dom, 131072, VIR_DOMAIN_AFFECT_LIVE), 0);
    ASSERT_CGROUP(name, LXC_CGROUP_MEMORY, "memory.limit_in_bytes", "memory.max", "134217728");
    ASSERT_ERROR(virDomainSetMemoryFlags(conn, dom, 300000, VIR_DOMAIN_AFFECT_LIVE),
                 VIR_ERR_INVALID_ARG, "Cannot set memory higher than max memory");
    ASSERT_ERROR(virDomainSetMaxMemory(conn, dom, 300000), VIR_ERR_OPERATION_INVALID,
                 "Cannot resize the max memory on an active domain");
    ASSERT_CGROUP(name, LXC_CGROUP_MEMORY, "memory.limit_in_bytes", "memory.max", "134217728");
    VIR_TEST_ASSERT_INT(virDomainGetInfo(conn, dom, &info), 0);
    VIR_TEST_ASSERT(info.state == VIR_DOMAIN_RUNNING && info.maxMem == 200000 &&
                    info.memory < 131072);

    /* memory parameters: soft and hard limits, read back */
    memset(params, 0, sizeof(params));
    g_strlcpy(params[0].field, VIR_DOMAIN_MEMORY_SOFT_LIMIT, sizeof(params[0].field));
    params[0].type = VIR_TYPED_PARAM_ULLONG;
    params[0].value.ul = 65536;
    g_strlcpy(params[1].field, VIR_DOMAIN_MEMORY_HARD_LIMIT, sizeof(params[1].field));
    params[1].type = VIR_TYPED_PARAM_ULLONG;
    params[1].value.ul = 100000;
    VIR_TEST_ASSERT_INT(virDomainSetMemoryParameters(conn, dom, params, 2, 0), 0);
    ASSERT_CGROUP(name, LXC_CGROUP_MEMORY, "memory.soft_limit_in_bytes", "memory.high", "67108864");
    ASSERT_CGROUP(name, LXC_CGROUP_MEMORY, "memory.limit_in_bytes", "memory.max", "102400000");
    nparams = 3;
    VIR_TEST_ASSERT_INT(virDomainGetMemoryParameters(conn, dom, params, &nparams, 0), 0);
    VIR_TEST_ASSERT(nparams == 3 && params[0].value.ul == 100000 &&
                    params[1].value.ul == 65536 &&
                    params[2].value.ul == (unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED);

    /* memory statistics: the current definition, and usage from the cgroup */
    n = virDomainMemoryStats(conn, dom, stats, 8, 0);
    VIR_TEST_ASSERT_INT(n, 3);
    VIR_TEST_ASSERT(stats[0].tag == VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON &&
                    stats[0].val == 131072);
    VIR_TEST_ASSERT(stats[1].tag == VIR_DOMAIN_MEMORY_STAT_SWAP_IN &&
                    stats[2].tag == VIR_DOMAIN_MEMORY_STAT_RSS && stats[2].val > 0);

    /* scheduler: cpu shares (cpu.weight in v2, the value as is), period, quota */
    VIR_TEST_ASSERT((type = virDomainGetSchedulerType(conn, dom, &nparams)) != NULL);
    g_free(type);
    memset(params, 0, sizeof(params));
    g_strlcpy(params[0].field, VIR_DOMAIN_SCHEDULER_CPU_SHARES, sizeof(params[0].field));
    params[0].type = VIR_TYPED_PARAM_ULLONG;
    params[0].value.ul = 2048;
    g_strlcpy(params[1].field, VIR_DOMAIN_SCHEDULER_VCPU_PERIOD, sizeof(params[1].field));
    params[1].type = VIR_TYPED_PARAM_ULLONG;
    params[1].value.ul = 50000;
    g_strlcpy(params[2].field, VIR_DOMAIN_SCHEDULER_VCPU_QUOTA, sizeof(params[2].field));
    params[2].type = VIR_TYPED_PARAM_LLONG;
    params[2].value.l = 25000;
    VIR_TEST_ASSERT_INT(virDomainSetSchedulerParametersFlags(conn, dom, params, 3,
                                                             VIR_DOMAIN_AFFECT_LIVE), 0);
    ASSERT_CGROUP(name, LXC_CGROUP_CPU, "cpu.shares", "cpu.weight", "2048");
    ASSERT_CGROUP(name, LXC_CGROUP_CPU, "cpu.cfs_quota_us", "cpu.max",
                  cg->v2[LXC_CGROUP_CPU] ? "25000 50000" : "25000");
    nparams = 3;
    VIR_TEST_ASSERT_INT(virDomainGetSchedulerParametersFlags(conn, dom, params, &nparams, 0), 0);
    VIR_TEST_ASSERT(nparams == 3 && params[0].value.ul == 2048 && params[1].value.ul == 50000 &&
                    params[2].value.l == 25000);
    params[0].value.ul = 1;     /* below libvirt's range */
    ASSERT_ERROR(virDomainSetSchedulerParametersFlags(conn, dom, params, 1, 0),
                 VIR_ERR_INVALID_ARG, "shares '1' must be in range [2, 262144]");
    ASSERT_CGROUP(name, LXC_CGROUP_CPU, "cpu.shares", "cpu.weight", "2048");

    /* block I/O counters of the whole container; no disks by name */
    if (hostHas(LXC_CGROUP_BLKIO)) {
        VIR_TEST_ASSERT_INT(virDomainBlockStats(conn, dom, "", &bstats), 0);
        VIR_TEST_ASSERT(bstats.rd_req >= 0 && bstats.errs == -1);
        ASSERT_ERROR(virDomainBlockStats(conn, dom, "vda", &bstats), VIR_ERR_INVALID_ARG,
                     "invalid path: vda");
    }

    /* suspend: frozen by the kernel, paused (user), one event; again: nothing */
    testEventsClear();
    VIR_TEST_ASSERT_INT(virDomainSuspend(conn, dom), 0);
    if (cg->v2[LXC_CGROUP_FREEZER]) {
        g_autofree char *ev = cgroupFile(name, LXC_CGROUP_FREEZER, "x", "cgroup.events");
        VIR_TEST_ASSERT(ev && strstr(ev, "frozen 1"));
    } else {
        ASSERT_CGROUP(name, LXC_CGROUP_FREEZER, "freezer.state", "x", "FROZEN");
    }
    VIR_TEST_ASSERT_INT(checkState(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER), 0);
    VIR_TEST_ASSERT_INT(stateValue(name, "state"), VIR_DOMAIN_PAUSED);
    VIR_TEST_ASSERT_INT(virDomainSuspend(conn, dom), 0);
    ASSERT_TRACE(name, "SUSPENDED/0");
    VIR_TEST_ASSERT_INT(virDomainResume(conn, dom), 0);
    if (!cg->v2[LXC_CGROUP_FREEZER])
        ASSERT_CGROUP(name, LXC_CGROUP_FREEZER, "freezer.state", "x", "THAWED");
    VIR_TEST_ASSERT_INT(checkState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED), 0);
    ASSERT_ERROR(virDomainResume(conn, dom), VIR_ERR_OPERATION_INVALID,
                 "domain is already running");
    ASSERT_TRACE(name, "SUSPENDED/0 RESUMED/0");

    /* a paused container is destroyed at once, and its groups go */
    VIR_TEST_ASSERT_INT(virDomainSuspend(conn, dom), 0);
    testEventsClear();
    VIR_TEST_ASSERT_INT(virDomainDestroy(conn, dom), 0);
    ASSERT_TRACE(name, "STOPPED/1");
    VIR_TEST_ASSERT(access(cg->dir[LXC_CGROUP_MEMORY], F_OK) < 0);
    VIR_TEST_ASSERT_INT(virDomainUndefine(conn, def), 0);
    return 0;
}

/* ------------------------------------------------------------------ */

int
main(void)
{
    const char *builddir = g_getenv("VIRTNET_TEST_BUILDDIR");
    g_autofree char *why = NULL;
    g_autofree char *ctrl = NULL;
    g_autofree char *cfgdir = NULL;
    int ret;

    if (!virTestCanUnshare(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC,
                           "PID/mount/UTS/IPC", &why)) {
        printf("skip: LXC tests need root and namespaces: %s\n", why);
        return VIR_TEST_SKIP;
    }
    if (!builddir)
        builddir = ".";
    ctrl = g_build_filename(builddir, "src", "drivers", "lxc", "virtnet_lxc", NULL);
    initProg = g_build_filename(builddir, "tests", "lxc-test-init", NULL);
    if (!g_path_is_absolute(ctrl)) {
        g_autofree char *cwd = g_get_current_dir();
        char *abs = g_build_filename(cwd, ctrl, NULL);
        g_free(ctrl);
        ctrl = abs;
        abs = g_build_filename(cwd, initProg, NULL);
        g_free(initProg);
        initProg = abs;
    }
    dir = g_strdup(virTestTempDir());
    stateDir = g_build_filename(dir, "state", NULL);
    cfgdir = g_build_filename(dir, "config", NULL);
    g_setenv("VIRTNET_LXC_STATE_DIR", stateDir, TRUE);
    g_setenv("VIRTNET_LXC_CONFIG_DIR", cfgdir, TRUE);
    g_setenv("VIRTNET_LXC_CONTROLLER", ctrl, TRUE);
    g_setenv("VIRTNET_LXC_EXIT_TIMEOUT", "3", TRUE);

    testEventsInit();
    if (lxcDriverRegister() < 0 || !(conn = virConnectOpen("lxc:///system", 0))) {
        fprintf(stderr, "cannot open lxc:///system: %s\n", virGetLastErrorMessage());
        return 1;
    }
    if (virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(onLifecycle), NULL, NULL) < 0 ||
        virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                         VIR_DOMAIN_EVENT_CALLBACK(onReboot), NULL, NULL) < 0) {
        fprintf(stderr, "cannot register events: %s\n", virGetLastErrorMessage());
        return 1;
    }

    virTestRun("define, start, inside view, end by itself, undefine", testLifecycle, NULL);
    virTestRun("running: ID, listing, start twice, destroy", testRunningAndStartTwice, NULL);
    virTestRun("init killed by a signal", testInitKilled, NULL);
    virTestRun("controller killed: FAILED, init cleaned up", testControllerKilled, NULL);
    virTestRun("destroy: SIGTERM ignored -> SIGKILL; SIGTERM handled", testDestroy, NULL);
    virTestRun("reboot from inside", testReboot, NULL);
    virTestRun("unsupported definitions", testUnsupported, NULL);
    virTestRun("start failure", testStartFailure, NULL);
    virTestRun("creation with files", testFiles, NULL);
    virTestRun("autodestroy: the starting connection's close", testAutoDestroy, NULL);
    virTestRun("devices a start cannot realise", testStartUnsupportedDevices, NULL);
    virTestRun("filesystems, private network", testFilesystems, NULL);
    virTestRun("live device nodes stay in the container's /dev", testDeviceNodesConfined, NULL);
    virTestRun("500 containers, every EXIT received", testMany, NULL);
    virTestRun("daemon restart", testRestart, NULL);
    virTestRun("daemon restart: a silent controller's record", testRestartSilentController, NULL);
    virTestRun("tuning through the cgroups: memory, scheduler, freezer", testTuning, NULL);

    virConnectClose(conn);
    lxcDriverShutdown();
    ret = virTestResult();
    testEventsFree();
    g_free(dir);
    g_free(stateDir);
    g_free(initProg);
    return ret;
}
