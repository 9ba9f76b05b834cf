/*
 * lxcdriver.c: the LXC driver (lxcdriver.h, docs/lxc-driver.md).
 *
 * Model. A domain has a persistent definition (NULL: transient) and, while
 * it runs, a live one; its ID is its controller's PID. Starting a domain
 * forks and execs the controller (virtnet_lxc) with the live XML, waits
 * for its handshake ("ok CTRLPID INITPID"), connects to its monitor socket
 * (virNetClient + the generated lxc_monitor client program, attached to
 * the driver's own event thread) and writes the state file. Files given
 * with the start (CreateWithFiles, CreateXMLWithFiles) go to the
 * controller as 5, 6, ... named by --passfd options, our copies closed
 * after the fork; it makes them the init's 3, 4, ... Only that start
 * has them: a reboot or autostart starts without.
 *
 * How a container ends (as libvirt 9.0's LXC driver):
 *   - EXIT SHUTDOWN then end of the monitor connection: the init ended by
 *     itself or by a signal; shut off (SHUTDOWN), one STOPPED/SHUTDOWN.
 *   - EXIT ERROR, or the connection ends without EXIT (controller killed):
 *     the init is killed, shut off (SHUTDOWN), STOPPED/FAILED.
 *   - EXIT REBOOT: started again with the same live definition (new
 *     controller, new ID), one REBOOT event.
 *   - destroy: SIGTERM to the init, SIGKILL when it ignores SIGTERM (a PID
 *     namespace's init does unless it handles the signal); wait for the
 *     controller's EXIT so that it can quit; STOPPED/DESTROYED. The monitor
 *     events of that run are consumed by the destroy, so only one STOPPED.
 * The end of the connection, not EXIT itself, triggers the stop (EXIT
 * only records the reason); the EOF is handled from a zero-second timer
 * that first lets the client dispatch any event still queued, so EXIT is
 * always seen before the EOF.
 *
 * Autodestroy (START_AUTODESTROY, as libvirt 9.0's LXC driver): the run
 * remembers the connection that started it (dom->autoDestroyConn, an
 * identity only). The driver's connectClose, which runs when that
 * connection closes for any reason (CONNECT_CLOSE, the client gone or
 * dropped) and may run on the daemon's event loop, only marks the domain
 * (autoDestroyDue) and queues its UUID; the driver's autodestroy thread
 * destroys it as virDomainDestroy would (STOPPED/DESTROYED, a transient
 * domain goes), since a destroy waits for the controller. A stop by other
 * means clears both fields, so a queued destroy finds nothing to do and a
 * later run is never hit; so does a reboot from inside (libvirt 9.0's
 * reboot drops its record too). A daemon that stops closes its clients'
 * connections first, so their domains are destroyed before it exits
 * (lxcStateFree lets the queue run out), as libvirtd 9.0 does. Nothing of
 * it is saved: after a crash of the daemon the container runs on without
 * it (libvirt keeps it in memory only too).
 *
 * Restart. The state files (<state dir>/NAME.xml) name each running
 * container's controller (PID and start time), init and socket. A new
 * state reconnects to every controller still alive: the domain is running
 * with the same ID; an EXIT that the controller kept pending while no
 * client was connected arrives then. A controller that is gone left its
 * reason in NAME.exit (or none: FAILED); the domain is shut off with its
 * event at load.
 *
 * Locking: drv->lock guards the domain list and every domain. A job
 * (dom->obj.job) marks a domain whose start or stop is in progress with the
 * lock released; other jobs wait on drv->cond. Monitor callbacks run on
 * the event thread, take drv->lock and find their domain by monitor.
 * Monitors are freed only from the event thread (a zero-second timer's
 * free function), so a callback never sees a freed monitor.
 *
 * Console. The controller serves the container's console on
 * <state dir>/NAME.console, one connection at a time (the newest wins);
 * DOMAIN_OPEN_CONSOLE connects to it and gives the socket to the call's
 * stream. dom->console is the stream in use: a second client is refused
 * unless it asks with FORCE, which aborts the first one's stream. The
 * stream's end clears the slot (found again by UUID: the domain may be
 * gone by then).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <glib.h>

#include "lxcdriver.h"
#include "lxcdriverpriv.h"
#include "lxccgroup.h"
#include "lxcconf.h"
#include "lxcnative.h"
#include "lxcusb.h"
#include "virconnect.h"
#include "virdomaindef.h"
#include "virdomainevent.h"
#include "virdomainobjlist.h"
#include "virerror.h"
#include "virhostinfo.h"
#include "virlog.h"
#include "virnoiolock.h"
#include "virnetclient.h"
#include "virutil.h"
#include "lxc_monitor_protocol.h"
#include "lxc_monitor_protocol_client.h"

#define VIR_FROM_THIS VIR_FROM_LXC

VIR_LOG_INIT("drivers.lxc");

#ifndef VIRTNET_LXC_CONTROLLER_PATH
# define VIRTNET_LXC_CONTROLLER_PATH "/usr/local/libexec/virtnet_lxc"
#endif
#ifndef VIRTNET_LXC_AGENT_PATH
# define VIRTNET_LXC_AGENT_PATH "/usr/local/libexec/virtnet-agent"
#endif

#define LXC_HANDSHAKE_TIMEOUT_MS 30000
#define LXC_PASSFD_FIRST 5              /* the controller's first file for the init */
#define LXC_TERM_GRACE_MS 2000          /* an init that handles SIGTERM gets this long */
#define LXC_EXIT_WAIT_MS 5000           /* for the controller's EXIT after the init died */
#define LXC_CTRL_EXIT_WAIT_MS 3000      /* for the controller to quit once it sent EXIT */

struct _lxcMonitor {
    lxcDriverState *drv;
    virNetClient *client;
    virNetClientProgram *prog;
    int eofTimer;
    bool closing;
};

/* lxcGlobalLock guards the pointer and the count (taken by every call,
 * inline ones too); lxcStateMutex orders making and freeing the state,
 * which reads files and starts controllers, so it is held across I/O and
 * never taken on the inline path. Order: lxcStateMutex -> lxcGlobalLock. */
static virNoIOMutex lxcGlobalLock;
static GMutex lxcStateMutex;
static lxcDriverState *lxcDrv;          /* under lxcGlobalLock */
static virDomainEventRegistry *lxcEvents; /* registrations of the open connections */
static int lxcNConns;
static char lxcAutoDestroyEnd;          /* the end mark of a state's autodestroy queue */

static const lxcMonitorClientEventHandlers lxcMonitorHandlers;

/* ------------------------------------------------------------------ */
/* Processes                                                           */

/* State letter and start time (clock ticks since boot) from /proc. */
static bool
lxcProcStat(pid_t pid, char *state, unsigned long long *start)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *text = NULL;
    g_auto(GStrv) fields = NULL;
    char *p;

    if (pid <= 0 || !g_file_get_contents(path, &text, NULL, NULL))
        return false;
    if (!(p = strrchr(text, ')')))
        return false;
    fields = g_strsplit(p + 2, " ", 0);
    if (g_strv_length(fields) < 20)
        return false;
    *state = fields[0][0];
    *start = g_ascii_strtoull(fields[19], NULL, 10);
    return true;
}


static unsigned long long
lxcProcStart(pid_t pid)
{
    unsigned long long start = 0;
    char state;

    if (!lxcProcStat(pid, &state, &start))
        return 0;
    return start;
}


/* The process runs (not a zombie) and is the one we started. */
bool
lxcProcessAlive(pid_t pid, unsigned long long start)
{
    unsigned long long now = 0;
    char state = 0;

    if (!lxcProcStat(pid, &state, &now))
        return false;
    if (state == 'Z' || state == 'X')
        return false;
    return !start || start == now;
}


/* Stopped (SIGSTOP, a debugger): it will not quit or answer by itself. */
static bool
lxcProcessStopped(pid_t pid)
{
    unsigned long long start;
    char state = 0;

    return lxcProcStat(pid, &state, &start) && (state == 'T' || state == 't');
}


/* Does the process handle SIGTERM? A PID namespace's init that does not
 * never sees a SIGTERM from outside. */
static bool
lxcProcessCatchesTerm(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_autofree char *text = NULL;
    const char *line;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !(line = strstr(text, "SigCgt:")))
        return false;
    return (g_ascii_strtoull(line + 7, NULL, 16) >> (SIGTERM - 1)) & 1;
}


static void
lxcKill(pid_t pid, unsigned long long start, int sig)
{
    if (lxcProcessAlive(pid, start) && kill(pid, sig) < 0 && errno != ESRCH)
        VIR_WARN("cannot send signal %d to %d: %s", sig, (int)pid, g_strerror(errno));
}


/* Wait (polling, up to ms) for a process to be gone; reap it when it is our
 * child. true when it is gone. */
static bool
lxcWaitGone(pid_t pid, unsigned long long start, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;

    if (pid <= 0)
        return true;
    for (;;) {
        pid_t r = virProcessWaitPid(pid, NULL, WNOHANG);

        if (r == pid || !lxcProcessAlive(pid, start)) {
            if (r != pid)
                virProcessWaitPid(pid, NULL, WNOHANG);
            return true;
        }
        if (g_get_monotonic_time() >= deadline || lxcProcessStopped(pid))
            return false;
        virSleepMs(1);
    }
}


/* ------------------------------------------------------------------ */
/* Domains                                                             */

static void
lxcDomainFree(lxcDomain *dom)
{
    if (!dom)
        return;
    virStreamUnref(dom->console);
    virDomainObjClear(&dom->obj);
    g_free(dom);
}


/* A domain object with def (NULL: transient). */
static lxcDomain *
lxcDomainNew(virDomainDef *def)
{
    lxcDomain *dom = g_new0(lxcDomain, 1);

    virDomainObjInit(&dom->obj, def);
    dom->agentTimeout = VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT;
    return dom;
}


static lxcDomain *
lxcDomainFindByMonitor(lxcDriverState *drv, lxcMonitor *mon)
{
    guint i;

    for (i = 0; i < drv->domains->len; i++) {
        lxcDomain *dom = g_ptr_array_index(drv->domains, i);
        if (dom->mon == mon)
            return dom;
    }
    return NULL;
}


lxcDomain *
lxcDomainFromRef(lxcDriverState *drv, const virDomainRef *ref)
{
    return (lxcDomain *)virDomainObjListFromRef(drv->domains, ref, VIR_FROM_LXC);
}


lxcDomain *
lxcDomainActiveFromRef(lxcDriverState *drv, const virDomainRef *ref)
{
    lxcDomain *dom = lxcDomainFromRef(drv, ref);

    if (dom && !virDomainObjIsActive(&dom->obj)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return NULL;
    }
    return dom;
}


void
lxcEmitLifecycle(lxcDomain *dom, int event, int detail)
{
    virDomainRef *ref = virDomainObjMakeRef(&dom->obj);

    virDomainEventRegistryDispatchLifecycle(lxcEvents, ref, event, detail);
    virDomainRefFree(ref);
}


void
lxcEmitAgentLifecycle(lxcDomain *dom, int state, int reason)
{
    virDomainRef *ref = virDomainObjMakeRef(&dom->obj);

    virDomainEventRegistryDispatchAgentLifecycle(lxcEvents, ref, state, reason);
    virDomainRefFree(ref);
}


void
lxcEmitMetadataChange(const virDomainRef *ref, int type, const char *nsuri)
{
    virDomainEventRegistryDispatchMetadataChange(lxcEvents, ref, type, nsuri);
}


static char *
lxcPath(lxcDriverState *drv, const char *name, const char *ext)
{
    return g_strdup_printf("%s/%s.%s", drv->stateDir, name, ext);
}


static char *
lxcConfigPath(lxcDriverState *drv, const char *name)
{
    return g_strdup_printf("%s/%s.xml", drv->configDir, name);
}


static char *
lxcAutostartPath(lxcDriverState *drv, const char *name)
{
    return g_strdup_printf("%s/%s.xml", drv->autostartDir, name);
}


/* Every path above is DIR/NAME.EXT with a name the common parser accepted
 * (no '/'), so none leaves its directory; '.' and '..' only make file
 * names like "..xml". What is left is length: the longest file name is
 * virFileWriteAtomic's temp ".NAME.xml.XXXXXX", and the sockets' paths
 * (the longest: the console's) must fit a sockaddr_un. Refused at define, before anything is
 * written, rather than failing at start. */
static int
lxcNameCheck(lxcDriverState *drv, const char *name)
{
    size_t len = strlen(name);
    size_t maxFile = NAME_MAX - strlen(".") - strlen(".xml.XXXXXX");
    size_t maxSock = sizeof(((struct sockaddr_un *)NULL)->sun_path) - 1 -
                     strlen(drv->stateDir) - strlen("/.console");
    size_t max = MIN(maxFile, maxSock);

    if (len > max) {
        virReportError(VIR_ERR_XML_ERROR,
                       "name of %zu bytes is too long for the LXC driver's files (at most %zu)",
                       len, max);
        return -1;
    }
    return 0;
}


/* A controller that was killed could not remove its cgroups. */
static void
lxcDomainRemoveCgroups(const char *name)
{
    g_autoptr(lxcCgroup) cg = lxcCgroupNew(name);

    lxcCgroupRemove(cg);
}


/* Wait for a domain's job to end and take it. The domain may have gone
 * meanwhile: look it up again by UUID; NULL (with an error) then. */
lxcDomain *
lxcDomainBeginJob(lxcDriverState *drv, lxcDomain *dom)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    g_autofree char *name = g_strdup(virDomainObjCurrentDef(&dom->obj)->name);

    memcpy(uuid, virDomainObjCurrentDef(&dom->obj)->uuid, VIR_UUID_BUFLEN);
    while (dom && dom->obj.job) {
        virNoIOMutexCondWait(&drv->cond, &drv->lock);
        dom = (lxcDomain *)virDomainObjListFindByUUID(drv->domains, uuid);
    }
    if (!dom) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virDomainUUIDFormat(uuid, uuidstr);
        virReportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)",
                       uuidstr, name);
        return NULL;
    }
    dom->obj.job = true;
    return dom;
}


void
lxcDomainEndJob(lxcDriverState *drv, lxcDomain *dom)
{
    dom->obj.job = false;
    g_cond_broadcast(&drv->cond);
}


static void lxcDomainRunEnded(lxcDriverState *drv, lxcDomain *dom, bool gotExit, int status);

/* End a job that neither started nor stopped the domain. The end of the
 * monitor connection is left to a job in progress (lxcMonitorEOFTimer):
 * if it came meanwhile, the domain's run ended; handle it now. dom may be
 * gone on return. Lock held. */
void
lxcDomainEndModifyJob(lxcDriverState *drv, lxcDomain *dom)
{
    lxcDomainEndJob(drv, dom);
    if (dom->monEOF && dom->mon && !dom->stopping && virDomainObjIsActive(&dom->obj))
        lxcDomainRunEnded(drv, dom, dom->gotExit, dom->exitStatus);
}


/* The running domain ref designates, under a job; NULL with an error
 * (libvirt's "domain is not running", checked once the job is ours). Lock
 * held. */
static lxcDomain *
lxcDomainBeginActiveJob(lxcDriverState *drv, const virDomainRef *ref)
{
    lxcDomain *dom;

    if (!(dom = lxcDomainFromRef(drv, ref)) || !(dom = lxcDomainBeginJob(drv, dom)))
        return NULL;
    if (!virDomainObjIsActive(&dom->obj)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        lxcDomainEndJob(drv, dom);
        return NULL;
    }
    return dom;
}


/* The persistent domain ref designates, under a job; NULL with an error
 * (transientMsg when it is transient). Lock held. */
static lxcDomain *
lxcDomainBeginPersistentJob(lxcDriverState *drv, const virDomainRef *ref,
                            const char *transientMsg)
{
    lxcDomain *dom;

    if (!(dom = lxcDomainFromRef(drv, ref)) || !(dom = lxcDomainBeginJob(drv, dom)))
        return NULL;
    if (!dom->obj.def) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", transientMsg);
        lxcDomainEndJob(drv, dom);
        return NULL;
    }
    return dom;
}


static void
lxcDomainRemove(lxcDriverState *drv, lxcDomain *dom)
{
    g_ptr_array_remove(drv->domains, dom);  /* frees it */
    g_cond_broadcast(&drv->cond);
}


/* ------------------------------------------------------------------ */
/* State files                                                         */

/* The state file's text for a running domain (lock held). */
static GString *
lxcDomainFormatStatus(lxcDriverState *drv, lxcDomain *dom)
{
    g_autofree char *sock = lxcPath(drv, dom->obj.live->name, "sock");
    g_autofree char *xml = virDomainDefFormat(dom->obj.live, dom->obj.id);
    GString *buf = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(xml, "\n", -1);
    size_t i;

    g_string_append_printf(buf, "<domstatus state='%d' reason='%d' pid='%d' ctrlstart='%llu' "
                           "initpid='%d' initstart='%llu' monitor='%s' agenttimeout='%d'>\n",
                           dom->obj.state, dom->obj.reason, (int)dom->ctrlPid, dom->ctrlStart,
                           (int)dom->initPid, dom->initStart, sock, dom->agentTimeout);
    for (i = 0; lines[i]; i++) {
        if (*lines[i])
            g_string_append_printf(buf, "  %s\n", lines[i]);
    }
    g_string_append(buf, "</domstatus>\n");
    return buf;
}


/* Write the state file of the domain that mon watches. Called with
 * drv->lock held; returns with it held, but releases it meanwhile (the
 * write syncs to disk). statusLock orders this against the removal of the
 * files at cleanup (dom->stopping): a write that saw the domain running
 * finishes before the files go. The domain may be gone on return: callers
 * find it again. */
void
lxcDomainWriteStatus(lxcDriverState *drv, lxcMonitor *mon)
{
    g_autoptr(GString) buf = NULL;
    g_autofree char *path = NULL;
    g_autofree char *name = NULL;
    lxcDomain *dom;

    virNoIOMutexUnlock(&drv->lock);
    g_mutex_lock(&drv->statusLock);
    virNoIOMutexLock(&drv->lock);
    if ((dom = lxcDomainFindByMonitor(drv, mon)) && !dom->stopping && dom->obj.live) {
        buf = lxcDomainFormatStatus(drv, dom);
        name = g_strdup(dom->obj.live->name);
        path = lxcPath(drv, name, "xml");
    }
    virNoIOMutexUnlock(&drv->lock);
    if (buf && virFileWriteAtomic(path, buf->str, buf->len, 0600) < 0)
        VIR_WARN("cannot save the state of '%s': %s", name, virGetLastErrorMessage());
    g_mutex_unlock(&drv->statusLock);
    virNoIOMutexLock(&drv->lock);
}


/* Lock not held: the write syncs to disk. */
int
lxcDomainSaveConfig(lxcDriverState *drv, const char *name, const char *xml)
{
    g_autofree char *path = lxcConfigPath(drv, name);

    if (g_mkdir_with_parents(drv->configDir, 0700) < 0) {
        virReportSystemError(errno, "cannot create config directory '%s'", drv->configDir);
        return -1;
    }
    return virFileWriteAtomic(path, xml, strlen(xml), 0600);
}


static void
lxcRemoveStateFiles(lxcDriverState *drv, const char *name)
{
    static const char *const exts[] = { "xml", "exit", "sock", "agent", "console" };
    size_t i;

    g_autofree char *dev = lxcPath(drv, name, "dev");

    for (i = 0; i < G_N_ELEMENTS(exts); i++) {
        g_autofree char *path = lxcPath(drv, name, exts[i]);
        if (virFileRemove(path) < 0)
            VIR_WARN("cannot remove %s: %s", path, g_strerror(errno));
    }
    /* the mount point of a user namespace's /dev (lxccontroller.c), left
     * by a controller killed before its cleanup */
    if (rmdir(dev) < 0 && errno != ENOENT)
        VIR_WARN("cannot remove %s: %s", dev, g_strerror(errno));
}


/* NAME.exit: lxc_monitor_exit_status, or -1 when absent. */
static int
lxcReadExitRecord(lxcDriverState *drv, const char *name)
{
    g_autofree char *path = lxcPath(drv, name, "exit");
    g_autofree char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return -1;
    g_strstrip(text);
    if (strcmp(text, "shutdown") == 0)
        return LXC_MONITOR_EXIT_STATUS_SHUTDOWN;
    if (strcmp(text, "reboot") == 0)
        return LXC_MONITOR_EXIT_STATUS_REBOOT;
    return LXC_MONITOR_EXIT_STATUS_ERROR;
}


/* ------------------------------------------------------------------ */
/* Monitor connections                                                 */

static void
lxcMonitorFree(void *opaque)
{
    lxcMonitor *mon = opaque;

    if (mon->client)
        virNetClientUnref(mon->client);
    if (mon->prog)
        virNetClientProgramUnref(mon->prog);
    g_free(mon);
}


static void
lxcMonitorFreeTimer(int timer, void *opaque)
{
    lxcMonitor *mon = opaque;

    virEventLoopRemoveTimeout(mon->drv->loop, timer);   /* its free function frees mon */
}


/* Our side is done with this monitor (any thread, driver lock held or not).
 * No callback for it runs once this returns, except one already running on
 * the event thread; the memory goes from a timer on that thread. */
static void
lxcMonitorClose(lxcMonitor *mon)
{
    if (!mon || mon->closing)
        return;
    mon->closing = true;
    virNetClientSetCloseCallback(mon->client, NULL, NULL, NULL);
    virNetClientClose(mon->client);
    if (mon->eofTimer > 0)
        virEventLoopRemoveTimeout(mon->drv->loop, mon->eofTimer);
    mon->eofTimer = -1;
    if (virEventLoopAddTimeout(mon->drv->loop, 0, lxcMonitorFreeTimer, mon, lxcMonitorFree) < 0)
        VIR_WARN("cannot schedule the release of a monitor");
}


static lxcMonitor *
lxcMonitorConnect(lxcDriverState *drv, const char *path)
{
    lxcMonitor *mon = g_new0(lxcMonitor, 1);

    mon->drv = drv;
    mon->eofTimer = -1;
    if (!(mon->client = virNetClientNewUNIX(path))) {
        lxcMonitorFree(mon);
        return NULL;
    }
    mon->prog = lxcMonitorClientProgramNew(&lxcMonitorHandlers, mon);
    virNetClientAddProgram(mon->client, mon->prog);
    return mon;
}


static void lxcMonitorClosed(virNetClient *client, int reason, void *opaque);
static bool lxcDomainWaitFor(lxcDriverState *drv, lxcDomain *dom, bool waitExit, int ms);
static void lxcMonitorEOFTimer(int timer, void *opaque);

/* Start receiving events (driver lock held: they wait for it). */
static int
lxcMonitorAttach(lxcMonitor *mon)
{
    virNetClientSetCloseCallback(mon->client, lxcMonitorClosed, mon, NULL);
    if ((mon->eofTimer = virEventLoopAddTimeout(mon->drv->loop, -1, lxcMonitorEOFTimer,
                                                mon, NULL)) < 0)
        return -1;
    return virNetClientAttachLoop(mon->client, mon->drv->loop);
}


/* ------------------------------------------------------------------ */
/* Starting and stopping                                               */

static char *
lxcReadLogTail(const char *path)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!g_file_get_contents(path, &text, &len, NULL) || !len)
        return g_strdup("");
    return g_strdup(len > 1024 ? text + len - 1024 : text);
}


/* Copies (close-on-exec) of the files for the init, numbered above all
 * that the forked child moves descriptors to (0 .. LXC_PASSFD_FIRST +
 * nfiles - 1), so that no dup2 there hits one not yet moved. -1 with
 * errno (a bad descriptor). */
static int
lxcPassFilesDup(const int *files, size_t nfiles, int *copies)
{
    size_t i;

    for (i = 0; i < nfiles; i++) {
        if ((copies[i] = fcntl(files[i], F_DUPFD_CLOEXEC, (int)(LXC_PASSFD_FIRST + nfiles))) < 0)
            return -1;
    }
    return 0;
}


/* The controller's command line: base, then --passfd N for each of the
 * nfiles descriptors the child puts at 5, 6, ... (made before the fork:
 * the child only calls async-signal-safe functions). */
static char **
lxcControllerArgv(const char *const *base, size_t nfiles)
{
    GPtrArray *argv = g_ptr_array_new();
    size_t i;

    for (i = 0; base[i]; i++)
        g_ptr_array_add(argv, g_strdup(base[i]));
    for (i = 0; i < nfiles; i++) {
        g_ptr_array_add(argv, g_strdup("--passfd"));
        g_ptr_array_add(argv, g_strdup_printf("%zu", LXC_PASSFD_FIRST + i));
    }
    g_ptr_array_add(argv, NULL);
    return (char **)g_ptr_array_free(argv, FALSE);
}


/* Fork and exec the controller; wait for its handshake. files: the
 * descriptors for the init (the caller's; ours are copies, closed here).
 * ifaces: the interfaces it made, "NTH HOST PEER GUEST" strings. */
static int
lxcSpawnController(lxcDriverState *drv, const char *name, const char *xml, bool replaceLog,
                   const int *files, size_t nfiles, pid_t *ctrlPid, pid_t *initPid,
                   GPtrArray *ifaces)
{
    g_autofree char *logPath = lxcPath(drv, name, "log");
    g_autofree char *timeout = g_strdup_printf("%d", drv->exitTimeout);
    const char *argv[] = { drv->controller, "--name", name, "--state-dir", drv->stateDir,
                           "--config-fd", "3", "--handshake-fd", "4",
                           "--exit-timeout", timeout, "--agent", drv->agent, NULL };
    g_auto(GStrv) fullArgv = lxcControllerArgv(argv, nfiles);
    g_autofree int *pass = g_new(int, nfiles + 1);
    int cfg[2] = { -1, -1 }, hs[2] = { -1, -1 };
    int logfd = -1, nullfd = -1, fds[4] = { -1, -1, -1, -1 };
    g_autoptr(GString) reply = g_string_new(NULL);
    g_auto(GStrv) lines = NULL;
    gint64 deadline;
    bool ok = false;
    size_t off, len, i;
    pid_t pid;
    int ret = -1;

    *ctrlPid = *initPid = 0;
    for (i = 0; i < nfiles; i++)
        pass[i] = -1;
    if (access(drv->controller, X_OK) < 0) {
        virReportSystemError(errno, "cannot run the LXC controller '%s'", drv->controller);
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cfg) < 0 ||
        pipe2(hs, O_CLOEXEC) < 0) {
        virReportSystemError(errno, "%s", "cannot create pipes for the LXC controller");
        goto cleanup;
    }
    if ((logfd = open(logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
                      (replaceLog ? O_TRUNC : 0), 0600)) < 0) {
        virReportSystemError(errno, "cannot open log file '%s'", logPath);
        goto cleanup;
    }
    if ((nullfd = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "%s", "cannot open /dev/null");
        goto cleanup;
    }
    /* Above the numbers the child moves them to, so no dup2 clobbers one. */
    fds[0] = fcntl(nullfd, F_DUPFD_CLOEXEC, 10);
    fds[1] = fcntl(logfd, F_DUPFD_CLOEXEC, 10);
    fds[2] = fcntl(cfg[1], F_DUPFD_CLOEXEC, 10);
    fds[3] = fcntl(hs[1], F_DUPFD_CLOEXEC, 10);
    if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0 || fds[3] < 0 ||
        lxcPassFilesDup(files, nfiles, pass) < 0) {
        virReportSystemError(errno, "%s", "cannot duplicate descriptors");
        goto cleanup;
    }

    if ((pid = fork()) < 0) {
        virReportSystemError(errno, "%s", "cannot fork the LXC controller");
        goto cleanup;
    }
    if (pid == 0) {
        /* Only async-signal-safe calls from here to exec. */
        if (dup2(fds[0], 0) < 0 || dup2(fds[1], 1) < 0 || dup2(fds[1], 2) < 0 ||
            dup2(fds[2], 3) < 0 || dup2(fds[3], 4) < 0)
            _exit(126);
        for (i = 0; i < nfiles; i++) {
            if (dup2(pass[i], (int)(LXC_PASSFD_FIRST + i)) < 0)
                _exit(126);
        }
        syscall(SYS_close_range, (unsigned int)(LXC_PASSFD_FIRST + nfiles), ~0U, 0U);
        if (setsid() < 0)
            _exit(126);
        execv(fullArgv[0], fullArgv);
        _exit(127);
    }
    *ctrlPid = pid;
    for (i = 0; i < G_N_ELEMENTS(fds); i++)
        VIR_FORCE_CLOSE(fds[i]);
    for (i = 0; i < nfiles; i++)
        VIR_FORCE_CLOSE(pass[i]);
    VIR_FORCE_CLOSE(cfg[1]);
    VIR_FORCE_CLOSE(hs[1]);

    /* The XML (the controller may die before reading it: no SIGPIPE). */
    for (off = 0, len = strlen(xml); off < len;) {
        ssize_t n = send(cfg[0], xml + off, len - off, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        off += (size_t)n;
    }
    VIR_FORCE_CLOSE(cfg[0]);

    deadline = g_get_monotonic_time() + LXC_HANDSHAKE_TIMEOUT_MS * 1000LL;
    for (;;) {
        struct pollfd pfd = { .fd = hs[0], .events = POLLIN };
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        char buf[1024];
        ssize_t n;
        int rc;

        if (left <= 0) {
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "guest failed to start: no answer from the controller within %d s",
                           LXC_HANDSHAKE_TIMEOUT_MS / 1000);
            goto kill;
        }
        rc = poll(&pfd, 1, (int)left);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            continue;
        n = read(hs[0], buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        g_string_append_len(reply, buf, n);
    }

    lines = g_strsplit(reply->str, "\n", -1);
    for (i = 0; lines[i]; i++) {
        if (g_str_has_prefix(lines[i], "warning ")) {
            VIR_WARN("%s", lines[i] + 8);
        } else if (g_str_has_prefix(lines[i], "interface ")) {
            g_ptr_array_add(ifaces, g_strdup(lines[i] + 10));
        } else if (g_str_has_prefix(lines[i], "ok ")) {
            int c = 0, p = 0;

            if (sscanf(lines[i] + 3, "%d %d", &c, &p) == 2 && c == pid && p > 0) {
                *initPid = p;
                ok = true;
            }
        } else if (g_str_has_prefix(lines[i], "neterror ")) {
            /* an interface's error, as libvirt raises it */
            virError err = { .level = VIR_ERR_ERROR };
            g_autofree char *msg = NULL;
            char *end = NULL;

            err.code = (int)g_ascii_strtoll(lines[i] + 9, &end, 10);
            err.domain = (int)g_ascii_strtoll(end, &end, 10);
            msg = g_strcompress(end && *end == ' ' ? end + 1 : "");
            err.message = msg;
            virErrorSetLast(&err);
            goto kill;
        } else if (g_str_has_prefix(lines[i], "error ")) {
            virReportError(VIR_ERR_OPERATION_FAILED, "guest failed to start: %s", lines[i] + 6);
            goto kill;
        }
    }
    if (!ok) {
        g_autofree char *tail = lxcReadLogTail(logPath);

        virReportError(VIR_ERR_OPERATION_FAILED,
                       "guest failed to start: the controller ended without a handshake; "
                       "log %s: %s", logPath, tail);
        goto kill;
    }
    ret = 0;
    goto cleanup;

 kill:
    if (*initPid > 0)
        kill(*initPid, SIGKILL);
    kill(pid, SIGKILL);
    virProcessWaitPid(pid, NULL, 0);
    *ctrlPid = *initPid = 0;
 cleanup:
    for (i = 0; i < G_N_ELEMENTS(fds); i++)
        VIR_FORCE_CLOSE(fds[i]);
    for (i = 0; i < nfiles; i++)
        VIR_FORCE_CLOSE(pass[i]);
    VIR_FORCE_CLOSE(cfg[0]);
    VIR_FORCE_CLOSE(cfg[1]);
    VIR_FORCE_CLOSE(hs[0]);
    VIR_FORCE_CLOSE(hs[1]);
    VIR_FORCE_CLOSE(logfd);
    VIR_FORCE_CLOSE(nullfd);
    return ret;
}


/* The console log NAME.log exists from an earlier run: append to it or
 * replace it? (DESIGN rule 8, docs/lxc-driver.md.) Asked with the lock
 * held (the question lives on the domain); exists was found without it.
 * conn NULL (autostart, a reboot): the default. 1: replace, 0: append,
 * -1: refused (the start is cancelled, the question pending). */
static int
lxcConsoleLogQuestion(virConnect *conn, lxcDomain *dom, bool exists)
{
    static const char *const answers[] = { "append", "replace", NULL };
    g_autoptr(virQuestion) q = NULL;
    g_autofree char *text = NULL;

    if (!exists || !conn)
        return 0;
    text = g_strdup_printf("The console log of container '%s' already exists: append to it "
                           "or replace it?", virDomainObjCurrentDef(&dom->obj)->name);
    q = virQuestionNew("lxc:console-log", text, answers, 0);
    return virQuestionAsk(&dom->obj.questions, q, conn->autoAnswer);
}


/* A USB device a start found that another running container has:
 * libvirt's error (its list of assigned devices is our live definitions).
 * Lock held. */
static int
lxcDomainUSBCheckFree(lxcDriverState *drv, const lxcDomain *self, const GArray *usb)
{
    const lxcUSBPlace *p;
    guint i;

    for (i = 0; usb->len && i < drv->domains->len; i++) {
        const lxcDomain *other = g_ptr_array_index(drv->domains, i);

        if (other == self || !virDomainObjIsActive(&other->obj) || !other->obj.live ||
            !(p = lxcUSBInUse(usb, other->obj.live)))
            continue;
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_OPERATION_INVALID, __FILE__, __func__,
                           __LINE__, "USB device %03u:%03u is in use by driver LXC, domain %s",
                           p->bus, p->device, other->obj.live->name);
        return -1;
    }
    return 0;
}


/* Start dom with live (owned) under a job the caller holds, with the lock
 * held on entry and exit (released while the controller starts). conn:
 * the caller's connection, for the questions the start asks (NULL: their
 * defaults). files: descriptors for the init (the caller's, only read). */
static int
lxcDomainStartWithFiles(lxcDriverState *drv, lxcDomain *dom, virDomainDef *live, int reason,
                        virConnect *conn, const int *files, size_t nfiles)
{
    g_autofree char *logPath = lxcPath(drv, live->name, "log");
    bool logExists;
    int replace;
    g_autofree char *xml = virDomainDefFormat(live, -1);
    g_autofree char *sock = lxcPath(drv, live->name, "sock");
    g_autofree char *name = g_strdup(live->name);
    lxcMonitor *mon = NULL;
    pid_t ctrlPid = 0, initPid = 0;
    g_autoptr(GPtrArray) ifaces = g_ptr_array_new_with_free_func(g_free);
    bool spawned = false;
    guint i;
    int rc;

    g_autoptr(lxcConfig) cfg = lxcConfigParse(xml, live);
    g_autoptr(GArray) usb = NULL;

    /* what the controller cannot realise is refused before it starts */
    if (!cfg || lxcConfigCheckStart(cfg) < 0) {
        if (dom->obj.live == live)
            dom->obj.live = NULL;
        virDomainDefFree(live);
        return -1;
    }
    virNoIOMutexUnlock(&drv->lock);
    /* the host's USB devices, found before anything runs (libvirt's order) */
    usb = lxcUSBFindAll(cfg);
    logExists = access(logPath, F_OK) == 0;
    virNoIOMutexLock(&drv->lock);
    if (!usb || lxcDomainUSBCheckFree(drv, dom, usb) < 0) {
        if (dom->obj.live == live)
            dom->obj.live = NULL;
        virDomainDefFree(live);
        return -1;
    }
    if (usb->len) {
        /* the controller makes the nodes where the live definition says */
        lxcUSBRecord(live, usb);
        g_free(xml);
        xml = virDomainDefFormat(live, -1);
    }
    replace = lxcConsoleLogQuestion(conn, dom, logExists);
    virNoIOMutexUnlock(&drv->lock);
    if (replace < 0) {
        rc = -1;
    } else if (g_mkdir_with_parents(drv->stateDir, 0700) < 0) {
        virReportSystemError(errno, "cannot create state directory '%s'", drv->stateDir);
        rc = -1;
    } else {
        lxcRemoveStateFiles(drv, name);
        spawned = true;
        rc = lxcSpawnController(drv, name, xml, replace == 1, files, nfiles, &ctrlPid,
                                &initPid, ifaces);
        if (rc < 0)
            lxcRemoveStateFiles(drv, name);     /* the refused controller is gone */
    }
    if (rc == 0 && !(mon = lxcMonitorConnect(drv, sock))) {
        lxcKill(initPid, 0, SIGKILL);
        kill(ctrlPid, SIGKILL);
        virProcessWaitPid(ctrlPid, NULL, 0);
        lxcRemoveStateFiles(drv, name);
        rc = -1;
    }
    virNoIOMutexLock(&drv->lock);
    if (rc < 0) {
        /* a controller that failed leaves the domain shut off as failed,
         * as libvirt's (its cleanup after a failed start) */
        if (spawned)
            dom->obj.reason = VIR_DOMAIN_SHUTOFF_FAILED;
        if (dom->obj.live == live)
            dom->obj.live = NULL;
        virDomainDefFree(live);
        return -1;
    }

    if (dom->obj.live != live) {
        virDomainDefFree(dom->obj.live);
        dom->obj.live = live;
    }
    /* the names the interfaces got, in the live XML as libvirt shows them */
    if (ifaces->len) {
        g_autoptr(GPtrArray) nodes = virDomainDefDevices(live, "interface");

        for (i = 0; i < ifaces->len; i++) {
            g_auto(GStrv) f = g_strsplit(g_ptr_array_index(ifaces, i), " ", 4);
            guint64 nth = g_strv_length(f) == 4 ? g_ascii_strtoull(f[0], NULL, 10) : G_MAXUINT64;

            if (nth < nodes->len)
                lxcConfigSetInterfaceNames(g_ptr_array_index(nodes, nth),
                                           strcmp(f[1], "-") == 0 ? NULL : f[1], f[3]);
        }
    }
    dom->ctrlPid = ctrlPid;
    dom->initPid = initPid;
    dom->ctrlStart = lxcProcStart(ctrlPid);
    dom->initStart = lxcProcStart(initPid);
    dom->obj.id = (int)ctrlPid;
    dom->obj.state = VIR_DOMAIN_RUNNING;
    dom->obj.reason = reason;
    dom->gotExit = false;
    dom->monEOF = false;
    dom->exitStatus = LXC_MONITOR_EXIT_STATUS_ERROR;
    dom->mon = mon;
    lxcDomainAgentInit(drv, dom);
    lxcDomainWriteStatus(drv, mon);     /* dom stays: the caller's job holds it */
    if (lxcMonitorAttach(mon) < 0) {
        /* the EOF path cannot work: treat as a controller failure at once */
        VIR_WARN("cannot watch the monitor of '%s': %s", name, virGetLastErrorMessage());
        dom->monEOF = true;
    }
    VIR_INFO("container '%s' started: controller %d, init %d", name, (int)ctrlPid, (int)initPid);
    return 0;
}


/* A start without files (createXML, create, reboot, autostart). */
static int
lxcDomainStartLocked(lxcDriverState *drv, lxcDomain *dom, virDomainDef *live, int reason,
                     virConnect *conn)
{
    return lxcDomainStartWithFiles(drv, dom, live, reason, conn, NULL, 0);
}


/* The running container's processes are gone or being abandoned: make dom
 * shut off (no event). keepLive: the live definition stays (reboot).
 * Called under a job with drv->lock held; the lock is released while the
 * controller is waited for and the files and cgroup are removed. */
static void
lxcDomainCleanup(lxcDriverState *drv, lxcDomain *dom, int reason, bool killInit, bool keepLive)
{
    g_autofree char *name = g_strdup(virDomainObjCurrentDef(&dom->obj)->name);
    pid_t ctrlPid = dom->ctrlPid, initPid = dom->initPid;
    unsigned long long ctrlStart = dom->ctrlStart, initStart = dom->initStart;

    if (dom->mon) {
        lxcMonitorClose(dom->mon);
        dom->mon = NULL;
    }
    lxcDomainAgentClose(dom);
    dom->stopping = true;
    virNoIOMutexUnlock(&drv->lock);
    if (killInit)
        lxcKill(initPid, initStart, SIGKILL);
    /* The next controller of this name binds the same socket path: this
     * one must be gone first. It quits right after its EXIT went out; a
     * stopped one never will, so it is killed at once. */
    if (!lxcWaitGone(ctrlPid, ctrlStart, LXC_CTRL_EXIT_WAIT_MS)) {
        VIR_WARN("controller %d of '%s' did not quit; killing it", (int)ctrlPid, name);
        lxcKill(ctrlPid, ctrlStart, SIGKILL);
        lxcWaitGone(ctrlPid, ctrlStart, 1000);
    }
    g_mutex_lock(&drv->statusLock);
    lxcRemoveStateFiles(drv, name);
    g_mutex_unlock(&drv->statusLock);
    /* A controller that was killed could not remove its cgroup. */
    lxcDomainRemoveCgroups(name);
    virNoIOMutexLock(&drv->lock);
    dom->stopping = false;
    dom->ctrlPid = dom->initPid = 0;
    dom->ctrlStart = dom->initStart = 0;
    dom->obj.id = -1;
    dom->obj.state = VIR_DOMAIN_SHUTOFF;
    dom->obj.reason = reason;
    dom->gotExit = false;
    dom->monEOF = false;
    /* the run is over, its autodestroy record with it: a reboot too, as
     * libvirt 9.0's, whose reboot runs its full stop first */
    dom->autoDestroyConn = NULL;
    dom->autoDestroyDue = false;
    if (!keepLive && dom->obj.def) {
        virDomainDefFree(dom->obj.live);
        dom->obj.live = NULL;
    }
}


/* Shut off with STOPPED/detail; a transient domain goes away. Lock held,
 * no job: one is taken for the cleanup. */
static void
lxcDomainStopAndNotify(lxcDriverState *drv, lxcDomain *dom, int reason, int detail,
                       bool killInit)
{
    virDomainRef *ref;

    dom->obj.job = true;
    lxcDomainCleanup(drv, dom, reason, killInit, false);
    lxcDomainEndJob(drv, dom);
    ref = virDomainObjMakeRef(&dom->obj);
    if (!dom->obj.def)
        lxcDomainRemove(drv, dom);
    virDomainEventRegistryDispatchLifecycle(lxcEvents, ref, VIR_DOMAIN_EVENT_STOPPED, detail);
    virDomainRefFree(ref);
}


/* The run ended on its own: EXIT (or none) then the end of the monitor
 * connection. Lock held, no job. */
static void
lxcDomainRunEnded(lxcDriverState *drv, lxcDomain *dom, bool gotExit, int status)
{
    virDomainDef *live;

    if (gotExit && status == LXC_MONITOR_EXIT_STATUS_REBOOT) {
        VIR_INFO("container '%s' asked for a reboot", dom->obj.live->name);
        dom->obj.job = true;
        lxcDomainCleanup(drv, dom, VIR_DOMAIN_SHUTOFF_SHUTDOWN, false, true);
        live = virDomainDefCopy(dom->obj.live);
        if (lxcDomainStartLocked(drv, dom, live, VIR_DOMAIN_RUNNING_BOOTED, NULL) == 0) {
            virDomainRef *ref = virDomainObjMakeRef(&dom->obj);

            lxcDomainEndJob(drv, dom);
            virDomainEventRegistryDispatchReboot(lxcEvents, ref);
            virDomainRefFree(ref);
            return;
        }
        VIR_WARN("cannot restart '%s' for its reboot: %s", dom->obj.live->name,
                 virGetLastErrorMessage());
        lxcDomainEndJob(drv, dom);
        lxcDomainStopAndNotify(drv, dom, VIR_DOMAIN_SHUTOFF_SHUTDOWN,
                               VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, true);
        return;
    }
    if (gotExit && status == LXC_MONITOR_EXIT_STATUS_SHUTDOWN) {
        lxcDomainStopAndNotify(drv, dom, VIR_DOMAIN_SHUTOFF_SHUTDOWN,
                               VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, false);
    } else {
        VIR_WARN("container '%s' failed: %s", virDomainObjCurrentDef(&dom->obj)->name,
                 gotExit ? "its controller reported an error"
                         : "its controller went away without an EXIT event");
        lxcDomainStopAndNotify(drv, dom, VIR_DOMAIN_SHUTOFF_SHUTDOWN,
                               VIR_DOMAIN_EVENT_STOPPED_FAILED, true);
    }
}


/* ------------------------------------------------------------------ */
/* Monitor events (driver's event thread)                              */

static void
lxcMonitorExitEvent(virNetClientProgram *prog G_GNUC_UNUSED, virNetClient *client G_GNUC_UNUSED,
                    lxc_monitor_exit_event_msg *msg, void *opaque)
{
    lxcMonitor *mon = opaque;
    lxcDriverState *drv = mon->drv;
    lxcDomain *dom;

    virNoIOMutexLock(&drv->lock);
    if ((dom = lxcDomainFindByMonitor(drv, mon))) {
        VIR_DEBUG("EXIT from the controller of '%s': status %d",
                  virDomainObjCurrentDef(&dom->obj)->name, (int)msg->status);
        dom->gotExit = true;
        dom->exitStatus = msg->status <= LXC_MONITOR_EXIT_STATUS_REBOOT ?
                          (int)msg->status : LXC_MONITOR_EXIT_STATUS_ERROR;
        g_cond_broadcast(&drv->cond);
    }
    virNoIOMutexUnlock(&drv->lock);
}


static void
lxcMonitorInitEvent(virNetClientProgram *prog G_GNUC_UNUSED, virNetClient *client G_GNUC_UNUSED,
                    lxc_monitor_init_event_msg *msg, void *opaque)
{
    lxcMonitor *mon = opaque;
    lxcDriverState *drv = mon->drv;
    lxcDomain *dom;

    virNoIOMutexLock(&drv->lock);
    if ((dom = lxcDomainFindByMonitor(drv, mon)) && dom->obj.live &&
        dom->initPid != (pid_t)msg->initpid) {
        VIR_DEBUG("INIT of '%s': pid %llu", dom->obj.live->name, (unsigned long long)msg->initpid);
        dom->initPid = (pid_t)msg->initpid;
        dom->initStart = lxcProcStart(dom->initPid);
        lxcDomainWriteStatus(drv, mon);
    }
    virNoIOMutexUnlock(&drv->lock);
}


/* The controller started the guest agent (or it ended: its connection
 * tells us that). */
static void
lxcMonitorAgentEvent(virNetClientProgram *prog G_GNUC_UNUSED,
                     virNetClient *client G_GNUC_UNUSED,
                     lxc_monitor_agent_event_msg *msg, void *opaque)
{
    lxcMonitor *mon = opaque;
    lxcDriverState *drv = mon->drv;
    lxcDomain *dom;

    virNoIOMutexLock(&drv->lock);
    if ((dom = lxcDomainFindByMonitor(drv, mon))) {
        VIR_DEBUG("AGENT of '%s': %s", virDomainObjCurrentDef(&dom->obj)->name,
                  msg->state == LXC_MONITOR_AGENT_STARTED ? "started" : "exited");
        if (msg->state == LXC_MONITOR_AGENT_STARTED)
            lxcDomainAgentStarted(drv, dom);
    }
    virNoIOMutexUnlock(&drv->lock);
}


static const lxcMonitorClientEventHandlers lxcMonitorHandlers = {
    .exitEvent = lxcMonitorExitEvent,
    .initEvent = lxcMonitorInitEvent,
    .agentEvent = lxcMonitorAgentEvent,
};


/* The connection ended: handle it from a timer, after the client had the
 * chance to dispatch every event it read before the end. */
static void
lxcMonitorClosed(virNetClient *client G_GNUC_UNUSED, int reason, void *opaque)
{
    lxcMonitor *mon = opaque;

    VIR_DEBUG("monitor %p closed (reason %d)", mon, reason);
    if (mon->eofTimer > 0)
        virEventLoopUpdateTimeout(mon->drv->loop, mon->eofTimer, 0);
}


static void
lxcMonitorEOFTimer(int timer, void *opaque)
{
    lxcMonitor *mon = opaque;
    lxcDriverState *drv = mon->drv;
    lxcDomain *dom;

    if (virNetClientPendingEvents(mon->client) > 0)
        return;     /* the client's own timer dispatches them first */
    virEventLoopUpdateTimeout(drv->loop, timer, -1);

    virNoIOMutexLock(&drv->lock);
    if ((dom = lxcDomainFindByMonitor(drv, mon))) {
        dom->monEOF = true;
        if (dom->obj.job)
            g_cond_broadcast(&drv->cond);   /* a destroy takes it from here */
        else
            lxcDomainRunEnded(drv, dom, dom->gotExit, dom->exitStatus);
    }
    virNoIOMutexUnlock(&drv->lock);
}


/* ------------------------------------------------------------------ */
/* The driver's state                                                  */

static char *
lxcFindController(void)
{
    const char *env = g_getenv("VIRTNET_LXC_CONTROLLER");
    g_autofree char *self = NULL;
    g_autofree char *dir = NULL;
    char *path;

    if (env && *env)
        return g_strdup(env);
    if (access(VIRTNET_LXC_CONTROLLER_PATH, X_OK) == 0)
        return g_strdup(VIRTNET_LXC_CONTROLLER_PATH);
    /* Running from the build tree: daemon/virtnetd, tests/... */
    if ((self = g_file_read_link("/proc/self/exe", NULL))) {
        dir = g_path_get_dirname(self);
        path = g_build_filename(dir, "..", "src", "drivers", "lxc", "virtnet_lxc", NULL);
        if (access(path, X_OK) == 0)
            return path;
        g_free(path);
        path = g_build_filename(dir, "src", "drivers", "lxc", "virtnet_lxc", NULL);
        if (access(path, X_OK) == 0)
            return path;
        g_free(path);
    }
    return g_strdup(VIRTNET_LXC_CONTROLLER_PATH);
}


/* virtnet-agent, found as the controller is. */
static char *
lxcFindAgent(void)
{
    const char *env = g_getenv("VIRTNET_LXC_AGENT");
    g_autofree char *self = NULL;
    g_autofree char *dir = NULL;
    char *path;

    if (env && *env)
        return g_strdup(env);
    if (access(VIRTNET_LXC_AGENT_PATH, X_OK) == 0)
        return g_strdup(VIRTNET_LXC_AGENT_PATH);
    if ((self = g_file_read_link("/proc/self/exe", NULL))) {
        dir = g_path_get_dirname(self);
        path = g_build_filename(dir, "..", "src", "agent", "virtnet-agent", NULL);
        if (access(path, X_OK) == 0)
            return path;
        g_free(path);
        path = g_build_filename(dir, "src", "agent", "virtnet-agent", NULL);
        if (access(path, X_OK) == 0)
            return path;
        g_free(path);
    }
    return g_strdup(VIRTNET_LXC_AGENT_PATH);
}


static void
lxcStateFree(lxcDriverState *drv)
{
    guint i;

    if (!drv)
        return;
    /* destroys already queued run to their end: they need the monitors */
    if (drv->autoDestroyThread) {
        g_async_queue_push(drv->autoDestroyQueue, &lxcAutoDestroyEnd);
        g_thread_join(drv->autoDestroyThread);
    }
    virNoIOMutexLock(&drv->lock);
    for (i = 0; i < drv->domains->len; i++) {
        lxcDomain *dom = g_ptr_array_index(drv->domains, i);

        if (dom->mon) {
            lxcMonitorClose(dom->mon);
            dom->mon = NULL;
        }
        lxcDomainAgentClose(dom);
    }
    virNoIOMutexUnlock(&drv->lock);
    /* joins the thread; monitors not yet released go with the loop */
    virEventThreadFree(drv->evthread);
    virEventThreadFree(drv->agentThread);
    g_async_queue_unref(drv->autoDestroyQueue);
    g_ptr_array_free(drv->domains, TRUE);
    g_cond_clear(&drv->cond);
    g_mutex_clear(&drv->statusLock);
    virNoIOMutexClear(&drv->lock);
    g_free(drv->stateDir);
    g_free(drv->configDir);
    g_free(drv->autostartDir);
    g_free(drv->controller);
    g_free(drv->agent);
    g_free(drv);
}


static virDomainDef *
lxcParseDefFile(const char *path, const char *root, xmlNodePtr *statusNode, xmlDocPtr *docOut)
{
    xmlDocPtr doc = virDomainXMLParseFile(path, root, VIR_FROM_LXC);
    xmlNodePtr node, cur;
    virDomainDef *def;

    if (!doc)
        return NULL;
    node = xmlDocGetRootElement(doc);
    if (statusNode) {
        *statusNode = node;
        for (cur = node->children; cur; cur = cur->next) {
            if (cur->type == XML_ELEMENT_NODE && strcmp((const char *)cur->name, "domain") == 0)
                break;
        }
        if (!cur) {
            virReportError(VIR_ERR_XML_ERROR, "no <domain> in '%s'", path);
            xmlFreeDoc(doc);
            return NULL;
        }
        node = cur;
    }
    if (!(def = virDomainDefParseNode(node))) {
        xmlFreeDoc(doc);
        return NULL;
    }
    *docOut = doc;
    return def;
}


static unsigned long long
lxcStatusAttr(xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
    unsigned long long ret = v ? g_ascii_strtoull((const char *)v, NULL, 10) : 0;

    xmlFree(v);
    return ret;
}


static void
lxcStateLoadConfigs(lxcDriverState *drv)
{
    g_autoptr(GDir) dir = g_dir_open(drv->configDir, 0, NULL);
    const char *entry;

    while (dir && (entry = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        g_autofree char *autostart = NULL;
        virDomainDef *def;
        xmlDocPtr doc = NULL;
        lxcDomain *dom;
        bool err;

        if (!g_str_has_suffix(entry, ".xml"))
            continue;
        path = g_build_filename(drv->configDir, entry, NULL);
        if (!(def = lxcParseDefFile(path, "domain", NULL, &doc))) {
            VIR_WARN("ignoring definition '%s': %s", path, virGetLastErrorMessage());
            continue;
        }
        xmlFreeDoc(doc);
        if (virDomainObjListCheckAssign(drv->domains, def, false, &err) || err) {
            VIR_WARN("ignoring definition '%s': a domain of that name or UUID exists", path);
            virDomainDefFree(def);
            continue;
        }
        dom = lxcDomainNew(def);
        autostart = lxcAutostartPath(drv, def->name);
        dom->obj.autostart = access(autostart, F_OK) == 0;
        g_ptr_array_add(drv->domains, dom);
    }
}


/* One running container from its state file: reconnect, or find out how
 * it ended while nobody watched. */
static void
lxcStateLoadStatus(lxcDriverState *drv, const char *path)
{
    xmlNodePtr status = NULL;
    xmlDocPtr doc = NULL;
    virDomainDef *live = lxcParseDefFile(path, "domstatus", &status, &doc);
    g_autofree char *sock = NULL;
    lxcMonitor *mon = NULL;
    lxcDomain *dom;
    int exitStatus;

    if (!live) {
        VIR_WARN("ignoring state file '%s': %s", path, virGetLastErrorMessage());
        return;
    }
    dom = (lxcDomain *)virDomainObjListFindByUUID(drv->domains, live->uuid);
    if (dom && strcmp(virDomainObjCurrentDef(&dom->obj)->name, live->name) != 0) {
        VIR_WARN("ignoring state file '%s': its UUID belongs to '%s'", path,
                 virDomainObjCurrentDef(&dom->obj)->name);
        virDomainDefFree(live);
        xmlFreeDoc(doc);
        return;
    }
    if (!dom) {
        dom = lxcDomainNew(NULL);    /* transient */
        g_ptr_array_add(drv->domains, dom);
    }
    virDomainDefFree(dom->obj.live);
    dom->obj.live = live;
    dom->ctrlPid = (pid_t)lxcStatusAttr(status, "pid");
    dom->ctrlStart = lxcStatusAttr(status, "ctrlstart");
    dom->initPid = (pid_t)lxcStatusAttr(status, "initpid");
    dom->initStart = lxcStatusAttr(status, "initstart");
    dom->obj.state = (int)lxcStatusAttr(status, "state");
    dom->obj.reason = (int)lxcStatusAttr(status, "reason");
    dom->obj.id = (int)dom->ctrlPid;
    dom->exitStatus = LXC_MONITOR_EXIT_STATUS_ERROR;
    {
        xmlChar *t = xmlGetNoNsProp(status, (const xmlChar *)"agenttimeout");

        if (t)
            dom->agentTimeout = MAX(atoi((const char *)t), VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK);
        xmlFree(t);
    }
    xmlFreeDoc(doc);

    sock = lxcPath(drv, live->name, "sock");
    if (lxcProcessAlive(dom->ctrlPid, dom->ctrlStart) && (mon = lxcMonitorConnect(drv, sock))) {
        dom->mon = mon;
        lxcDomainAgentInit(drv, dom);
        if (lxcMonitorAttach(mon) == 0) {
            VIR_INFO("reconnected to container '%s' (controller %d)", live->name,
                     (int)dom->ctrlPid);
            if (lxcProcessAlive(dom->initPid, dom->initStart))
                return;
            /* The init ended while we were away and the controller kept
             * its EXIT for us: take it now, so that the domain is not
             * reported running for a moment after the start. */
            dom->obj.job = true;
            lxcDomainWaitFor(drv, dom, true, LXC_EXIT_WAIT_MS);
            lxcDomainEndJob(drv, dom);
            /* A controller that gave up waiting just as we connected
             * closes without EXIT: its record still says why. */
            exitStatus = dom->gotExit ? dom->exitStatus : lxcReadExitRecord(drv, live->name);
            lxcDomainRunEnded(drv, dom, exitStatus >= 0, exitStatus);
            return;
        }
    }
    virResetLastError();
    /* Gone while the daemon was away: the controller's record says why. */
    exitStatus = lxcReadExitRecord(drv, live->name);
    VIR_INFO("container '%s' ended while the daemon was away (%s)", live->name,
             exitStatus < 0 ? "no exit record" : "exit record found");
    lxcDomainRunEnded(drv, dom, exitStatus >= 0, exitStatus);
}


/* Temp files of writes a crash interrupted (.NAME.xml.XXXXXX). Whatever
 * they hold, newer than their target or not, was never acknowledged: the
 * rename is the commit and the reply follows it. So they all go; the
 * file they would have replaced is the definition the client last saw
 * succeed. */
static void
lxcStateRemoveTemps(lxcDriverState *drv)
{
    const char *const dirs[] = { drv->configDir, drv->autostartDir, drv->stateDir };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(dirs); i++) {
        int n = virFileRemoveAtomicTemps(dirs[i]);

        if (n > 0)
            VIR_WARN("removed %d unfinished temporary file(s) from %s (left by a crash)",
                     n, dirs[i]);
    }
}


static lxcDriverState *
lxcStateNew(void)
{
    lxcDriverState *drv = g_new0(lxcDriverState, 1);
    const char *env;
    g_autoptr(GDir) dir = NULL;
    const char *entry;
    guint i;

    virNoIOMutexInit(&drv->lock);
    g_mutex_init(&drv->statusLock);
    g_cond_init(&drv->cond);
    drv->domains = g_ptr_array_new_with_free_func((GDestroyNotify)lxcDomainFree);
    drv->autoDestroyQueue = g_async_queue_new();
    env = g_getenv("VIRTNET_LXC_STATE_DIR");
    drv->stateDir = g_strdup(env && *env ? env : VIRTNET_RUNSTATEDIR "/virtnet/lxc");
    env = g_getenv("VIRTNET_LXC_CONFIG_DIR");
    drv->configDir = g_strdup(env && *env ? env : VIRTNET_SYSCONFDIR "/virtnet/lxc");
    drv->autostartDir = g_build_filename(drv->configDir, "autostart", NULL);
    drv->controller = lxcFindController();
    drv->agent = lxcFindAgent();
    env = g_getenv("VIRTNET_LXC_EXIT_TIMEOUT");
    drv->exitTimeout = env && atoi(env) > 0 ? atoi(env) : 300;
    if (!(drv->evthread = virEventThreadNew("lxc-monitor")) ||
        !(drv->agentThread = virEventThreadNew("lxc-agent"))) {
        virEventThreadFree(drv->evthread);
        g_async_queue_unref(drv->autoDestroyQueue);
        g_ptr_array_free(drv->domains, TRUE);
        g_free(drv->stateDir);
        g_free(drv->configDir);
        g_free(drv->autostartDir);
        g_free(drv->controller);
        g_free(drv->agent);
        g_free(drv);
        return NULL;
    }
    drv->loop = virEventThreadGetLoop(drv->evthread);
    drv->agentLoop = virEventThreadGetLoop(drv->agentThread);
    if (g_mkdir_with_parents(drv->stateDir, 0700) < 0) {
        virReportSystemError(errno, "cannot create state directory '%s'", drv->stateDir);
        lxcStateFree(drv);
        return NULL;
    }
    VIR_DEBUG("LXC state in %s, definitions in %s, controller %s", drv->stateDir,
              drv->configDir, drv->controller);
    lxcStateRemoveTemps(drv);

    virNoIOMutexLock(&drv->lock);
    lxcStateLoadConfigs(drv);
    dir = g_dir_open(drv->stateDir, 0, NULL);
    while (dir && (entry = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;

        if (!g_str_has_suffix(entry, ".xml"))
            continue;
        path = g_build_filename(drv->stateDir, entry, NULL);
        lxcStateLoadStatus(drv, path);
    }
    /* Autostart, as a starting daemon does. */
    for (i = 0; i < drv->domains->len; i++) {
        lxcDomain *dom = g_ptr_array_index(drv->domains, i);

        if (dom->obj.autostart && dom->obj.def && !virDomainObjIsActive(&dom->obj) && !dom->obj.job) {
            dom->obj.job = true;
            if (lxcDomainStartLocked(drv, dom, virDomainDefCopy(dom->obj.def),
                                     VIR_DOMAIN_RUNNING_BOOTED, NULL) == 0)
                lxcEmitLifecycle(dom, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
            else
                VIR_WARN("cannot autostart '%s': %s", dom->obj.def->name, virGetLastErrorMessage());
            lxcDomainEndJob(drv, dom);
        }
    }
    virNoIOMutexUnlock(&drv->lock);
    virResetLastError();
    return drv;
}


/* The state for an API call: NULL with an error after lxcDriverShutdown. */
lxcDriverState *
lxcGetState(void)
{
    lxcDriverState *drv;

    virNoIOMutexLock(&lxcGlobalLock);
    drv = lxcDrv;
    virNoIOMutexUnlock(&lxcGlobalLock);
    if (!drv)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "the LXC driver is shut down");
    return drv;
}


void
lxcDriverShutdown(void)
{
    lxcDriverState *drv;

    g_mutex_lock(&lxcStateMutex);
    virNoIOMutexLock(&lxcGlobalLock);
    drv = g_steal_pointer(&lxcDrv);
    virNoIOMutexUnlock(&lxcGlobalLock);
    lxcStateFree(drv);
    g_mutex_unlock(&lxcStateMutex);
}


int
lxcDriverReload(void)
{
    lxcDriverState *drv = NULL;
    int ret = 0, nconns;

    g_mutex_lock(&lxcStateMutex);
    virNoIOMutexLock(&lxcGlobalLock);
    drv = g_steal_pointer(&lxcDrv);
    nconns = lxcNConns;
    virNoIOMutexUnlock(&lxcGlobalLock);
    lxcStateFree(drv);
    drv = NULL;
    if (nconns > 0 && !(drv = lxcStateNew()))
        ret = -1;
    virNoIOMutexLock(&lxcGlobalLock);
    lxcDrv = drv;
    virNoIOMutexUnlock(&lxcGlobalLock);
    g_mutex_unlock(&lxcStateMutex);
    return ret;
}


/* ------------------------------------------------------------------ */
/* Connections                                                         */

static virDrvOpenStatus
lxcConnectOpen(virConnect *conn, const char *uri, unsigned int flags)
{
    g_autoptr(GUri) parsed = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *path, *host;
    lxcDriverState *drv;

    if (!uri || g_ascii_strncasecmp(uri, "lxc:", 4) != 0)
        return VIR_DRV_OPEN_DECLINED;
    virDriverCheckFlags(flags, VIR_CONNECT_RO, VIR_DRV_OPEN_ERROR);
    if (!(parsed = g_uri_parse(uri, G_URI_FLAGS_NONE, &gerr))) {
        virErrorReportFull(VIR_FROM_URI, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__, __LINE__,
                           "Unable to parse URI %s: %s", uri, gerr->message);
        return VIR_DRV_OPEN_ERROR;
    }
    host = g_uri_get_host(parsed);
    if (host && *host)
        return VIR_DRV_OPEN_DECLINED;
    path = g_uri_get_path(parsed);
    if (path && *path && strcmp(path, "/") != 0 && strcmp(path, "/system") != 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unexpected LXC URI path '%s', try lxc:///system",
                       path);
        return VIR_DRV_OPEN_ERROR;
    }
    if (geteuid() != 0) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "the LXC driver needs root (namespaces, mounts, cgroups)");
        return VIR_DRV_OPEN_ERROR;
    }

    g_mutex_lock(&lxcStateMutex);
    virNoIOMutexLock(&lxcGlobalLock);
    if (!lxcEvents)
        lxcEvents = virDomainEventRegistryNew();
    drv = lxcDrv;
    virNoIOMutexUnlock(&lxcGlobalLock);
    if (!drv && !(drv = lxcStateNew())) {
        g_mutex_unlock(&lxcStateMutex);
        return VIR_DRV_OPEN_ERROR;
    }
    virNoIOMutexLock(&lxcGlobalLock);
    lxcDrv = drv;
    lxcNConns++;
    virNoIOMutexUnlock(&lxcGlobalLock);
    g_mutex_unlock(&lxcStateMutex);
    conn->privateData = NULL;
    return VIR_DRV_OPEN_SUCCESS;
}


static void lxcAutoDestroyConnClosed(lxcDriverState *drv, virConnect *conn);

/* Runs when the connection closes for any reason (the client's close, its
 * socket gone, the daemon dropping it); possibly on the event loop. */
static int
lxcConnectClose(virConnect *conn)
{
    lxcDriverState *drv;

    virDomainEventRegistryPurgeConn(lxcEvents, conn);
    virNoIOMutexLock(&lxcGlobalLock);
    drv = lxcDrv;
    lxcNConns--;
    virNoIOMutexUnlock(&lxcGlobalLock);
    if (drv)
        lxcAutoDestroyConnClosed(drv, conn);
    return 0;
}


static const char *
lxcConnectGetType(virConnect *conn G_GNUC_UNUSED)
{
    return "LXC";
}


/* libvirt's LXC driver reports the kernel's version. */
static int
lxcConnectGetVersion(virConnect *conn G_GNUC_UNUSED, unsigned long long *hvVer)
{
    struct utsname ut;
    unsigned int major = 0, minor = 0, micro = 0;

    uname(&ut);
    if (sscanf(ut.release, "%u.%u.%u", &major, &minor, &micro) < 2) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unknown release: %s", ut.release);
        return -1;
    }
    *hvVer = major * 1000000ULL + minor * 1000ULL + micro;
    return 0;
}


static char *
lxcConnectGetHostname(virConnect *conn G_GNUC_UNUSED)
{
    char buf[HOST_NAME_MAX + 1];

    if (gethostname(buf, sizeof(buf)) < 0) {
        virReportSystemError(errno, "%s", "failed to determine host name");
        return NULL;
    }
    buf[sizeof(buf) - 1] = '\0';
    return g_strdup(buf);
}


static char *
lxcConnectGetURI(virConnect *conn G_GNUC_UNUSED)
{
    return g_strdup("lxc:///system");
}


static char *
lxcConnectGetCapabilities(virConnect *conn G_GNUC_UNUSED)
{
    lxcDriverState *drv = lxcGetState();
    g_autofree char *pages = NULL;
    g_autofree char *topology = NULL;
    struct utsname ut;

    if (!drv)
        return NULL;
    uname(&ut);
    /* the host's pages and NUMA cells, as libvirt's (virsh freecell --all
     * and freepages --all read the cells from here) */
    pages = virHostInfoFormatPages();
    topology = virHostInfoFormatTopology();
    return g_strdup_printf("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>%s</arch>\n"
                           "%s    </cpu>\n    <power_management/>\n    <iommu support='no'/>\n"
                           "%s  </host>\n\n  <guest>\n    <os_type>exe</os_type>\n"
                           "    <arch name='%s'>\n      <wordsize>%zu</wordsize>\n"
                           "      <emulator>%s</emulator>\n      <domain type='lxc'/>\n"
                           "    </arch>\n  </guest>\n\n</capabilities>\n",
                           ut.machine, pages, topology ? topology : "", ut.machine,
                           sizeof(void *) * 8, drv->controller);
}


static int
lxcConnectGetMaxVcpus(virConnect *conn G_GNUC_UNUSED, const char *type G_GNUC_UNUSED)
{
    long n = sysconf(_SC_NPROCESSORS_CONF);

    return n > 0 ? (int)n : 1;
}


static int
lxcNodeGetInfo(virConnect *conn G_GNUC_UNUSED, virNodeInfo *info)
{
    struct utsname ut;
    struct sysinfo si;
    long ncpus = sysconf(_SC_NPROCESSORS_ONLN);

    memset(info, 0, sizeof(*info));
    uname(&ut);
    g_strlcpy(info->model, ut.machine, sizeof(info->model));
    if (sysinfo(&si) == 0)
        info->memory = (unsigned long)((unsigned long long)si.totalram * si.mem_unit / 1024);
    info->cpus = ncpus > 0 ? (unsigned int)ncpus : 1;
    info->nodes = 1;
    info->sockets = 1;
    info->cores = info->cpus;
    info->threads = 1;
    return 0;
}


static int
lxcNodeGetFreeMemory(virConnect *conn G_GNUC_UNUSED, unsigned long long *freeMem)
{
    struct sysinfo si;

    if (sysinfo(&si) < 0) {
        virReportSystemError(errno, "%s", "cannot read the free memory");
        return -1;
    }
    *freeMem = (unsigned long long)si.freeram * si.mem_unit;
    return 0;
}


/* No security driver: libvirt's "none" model. */
static int
lxcNodeGetSecurityModel(virConnect *conn G_GNUC_UNUSED, virSecurityModel *secmodel)
{
    memset(secmodel, 0, sizeof(*secmodel));
    g_strlcpy(secmodel->model, "none", sizeof(secmodel->model));
    g_strlcpy(secmodel->doi, "0", sizeof(secmodel->doi));
    return 0;
}


/* ------------------------------------------------------------------ */
/* Listing and lookup                                                  */

static int
lxcCountDomains(bool active)
{
    lxcDriverState *drv = lxcGetState();
    int count;

    if (!drv)
        return -1;
    virNoIOMutexLock(&drv->lock);
    count = virDomainObjListCount(drv->domains, active);
    virNoIOMutexUnlock(&drv->lock);
    return count;
}


static int
lxcConnectNumOfDomains(virConnect *conn G_GNUC_UNUSED)
{
    return lxcCountDomains(true);
}


static int
lxcConnectNumOfDefinedDomains(virConnect *conn G_GNUC_UNUSED)
{
    return lxcCountDomains(false);
}


static int
lxcConnectListDomains(virConnect *conn G_GNUC_UNUSED, int *ids, int maxids)
{
    lxcDriverState *drv = lxcGetState();
    int n;

    if (!drv)
        return -1;
    virNoIOMutexLock(&drv->lock);
    n = virDomainObjListGetActiveIDs(drv->domains, ids, maxids);
    virNoIOMutexUnlock(&drv->lock);
    return n;
}


static int
lxcConnectListDefinedDomains(virConnect *conn G_GNUC_UNUSED, char **names, int maxnames)
{
    lxcDriverState *drv = lxcGetState();
    int n;

    if (!drv)
        return -1;
    virNoIOMutexLock(&drv->lock);
    n = virDomainObjListGetInactiveNames(drv->domains, names, maxnames);
    virNoIOMutexUnlock(&drv->lock);
    return n;
}


static int
lxcConnectListAllDomains(virConnect *conn G_GNUC_UNUSED, virDomainRef ***doms, unsigned int flags)
{
    lxcDriverState *drv;
    int n;

    virDriverCheckFlags(flags, 0xffff, -1);
    if (!(drv = lxcGetState()))
        return -1;
    virNoIOMutexLock(&drv->lock);
    n = virDomainObjListExport(drv->domains, flags, doms);
    virNoIOMutexUnlock(&drv->lock);
    return n;
}


static virDomainRef *
lxcDomainLookupByName(virConnect *conn G_GNUC_UNUSED, const char *name)
{
    lxcDriverState *drv = lxcGetState();
    virDomainRef *ref;

    if (!drv)
        return NULL;
    virNoIOMutexLock(&drv->lock);
    ref = virDomainObjMakeRef(virDomainObjListFindByName(drv->domains, name));
    virNoIOMutexUnlock(&drv->lock);
    if (!ref)
        virReportError(VIR_ERR_NO_DOMAIN, "No domain with matching name '%s'", name);
    return ref;
}


static virDomainRef *
lxcDomainLookupByUUID(virConnect *conn G_GNUC_UNUSED, const unsigned char *uuid)
{
    lxcDriverState *drv = lxcGetState();
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virDomainRef *ref;

    if (!drv)
        return NULL;
    virNoIOMutexLock(&drv->lock);
    ref = virDomainObjMakeRef(virDomainObjListFindByUUID(drv->domains, uuid));
    virNoIOMutexUnlock(&drv->lock);
    if (!ref) {
        virDomainUUIDFormat(uuid, uuidstr);
        virReportError(VIR_ERR_NO_DOMAIN, "No domain with matching uuid '%s'", uuidstr);
    }
    return ref;
}


static virDomainRef *
lxcDomainLookupByID(virConnect *conn G_GNUC_UNUSED, int id)
{
    lxcDriverState *drv = lxcGetState();
    virDomainRef *ref;

    if (!drv)
        return NULL;
    virNoIOMutexLock(&drv->lock);
    ref = virDomainObjMakeRef(virDomainObjListFindByID(drv->domains, id));
    virNoIOMutexUnlock(&drv->lock);
    if (!ref)
        virReportError(VIR_ERR_NO_DOMAIN, "No domain with matching id %d", id);
    return ref;
}


/* ------------------------------------------------------------------ */
/* Life cycle                                                          */

/* Parse and check a definition the way the driver runs it. */
static virDomainDef *
lxcDomainDefParse(const char *xml)
{
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(lxcConfig) cfg = NULL;
    struct utsname ut;

    if (!(def = virDomainDefParseString(xml)))
        return NULL;
    if (!(cfg = lxcConfigParse(xml, def)))
        return NULL;
    if (lxcConfigHasUSB(cfg) || cfg->nblkioDevs) {
        /* kept as libvirt prints it */
        g_autofree char *normal = lxcConfigNormalizeXML(xml);

        g_clear_pointer(&def, virDomainDefFree);
        if (!normal || !(def = virDomainDefParseString(normal)))
            return NULL;
    }
    lxcConfigFillMACs(def, cfg);
    if (!def->osArch) {
        uname(&ut);
        def->osArch = g_strdup(ut.machine);
    }
    if (!def->init)
        def->init = g_strdup("/sbin/init");
    return g_steal_pointer(&def);
}


/* An lxc-tools configuration as domain XML (libvirt's lxc_native.c keys,
 * lxcnative.h); parsed and formatted as a definition, but not checked
 * against the driver nor given an architecture or MACs, as libvirt. */
static char *
lxcConnectDomainXMLFromNative(virConnect *conn G_GNUC_UNUSED, const char *nativeFormat,
                              const char *nativeConfig, unsigned int flags)
{
    g_autoptr(virDomainDef) def = NULL;
    g_autofree char *xml = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    if (strcmp(nativeFormat, LXC_NATIVE_FORMAT) != 0) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported config type %s", nativeFormat);
        return NULL;
    }
    /* libvirt formats what it read without validating it (an <idmap>
     * without gids, say) */
    if (!(xml = lxcNativeToXML(nativeConfig)) ||
        !(def = virDomainDefParseStringFlags(xml, VIR_DOMAIN_DEF_PARSE_SKIP_VALIDATE)))
        return NULL;
    return virDomainDefFormat(def, -1);
}


static virDomainRef *
lxcDomainDefineXMLFlags(virConnect *conn G_GNUC_UNUSED, const char *xml, unsigned int flags)
{
    lxcDriverState *drv;
    g_autoptr(virDomainDef) def = NULL;
    g_autofree char *text = NULL;
    g_autofree char *name = NULL;
    virDomainRef *ref = NULL;
    lxcDomain *dom;
    bool err, updated = false, added = false;
    int rc;

    virDriverCheckFlags(flags, VIR_DOMAIN_DEFINE_VALIDATE, NULL);
    if (!(drv = lxcGetState()) || !(def = lxcDomainDefParse(xml)))
        return NULL;
    if (lxcNameCheck(drv, def->name) < 0)
        return NULL;
    text = virDomainDefFormat(def, -1);
    name = g_strdup(def->name);

    /* Reserve the domain under a job (a new one is visible from now on,
     * as in libvirt), write the file without the lock, then commit. */
    virNoIOMutexLock(&drv->lock);
    for (;;) {
        dom = (lxcDomain *)virDomainObjListCheckAssign(drv->domains, def, false, &err);
        if (err)
            goto cleanup;
        if (!dom) {
            dom = lxcDomainNew(g_steal_pointer(&def));
            dom->obj.job = true;
            g_ptr_array_add(drv->domains, dom);
            added = true;
            break;
        }
        if (!dom->obj.job) {
            dom->obj.job = true;
            break;
        }
        /* another job on it: wait, then check again from the start */
        virNoIOMutexCondWait(&drv->cond, &drv->lock);
    }
    virNoIOMutexUnlock(&drv->lock);
    rc = lxcDomainSaveConfig(drv, name, text);
    virNoIOMutexLock(&drv->lock);
    if (rc < 0) {
        if (added)
            lxcDomainRemove(drv, dom);
        else
            lxcDomainEndJob(drv, dom);
        goto cleanup;
    }
    if (!added) {
        updated = dom->obj.def != NULL;
        virDomainDefFree(dom->obj.def);
        dom->obj.def = g_steal_pointer(&def);
    }
    lxcDomainEndJob(drv, dom);
    lxcEmitLifecycle(dom, VIR_DOMAIN_EVENT_DEFINED,
                     updated ? VIR_DOMAIN_EVENT_DEFINED_UPDATED : VIR_DOMAIN_EVENT_DEFINED_ADDED);
    ref = virDomainObjMakeRef(&dom->obj);
 cleanup:
    virNoIOMutexUnlock(&drv->lock);
    return ref;
}


/* A run just started by conn with the START_* flags: remember conn when
 * they ask for autodestroy. Lock held. */
static void
lxcDomainSetAutoDestroy(lxcDomain *dom, virConnect *conn, unsigned int flags)
{
    dom->autoDestroyConn = (flags & VIR_DOMAIN_START_AUTODESTROY) ? conn : NULL;
    dom->autoDestroyDue = false;
}


/* As libvirt's, createXML is this without files (its flag errors name
 * this function). */
static virDomainRef *
lxcDomainCreateXMLWithFiles(virConnect *conn, const char *xml, unsigned int nfiles,
                            const int *files, unsigned int flags)
{
    lxcDriverState *drv;
    g_autoptr(virDomainDef) def = NULL;
    virDomainRef *ref = NULL;
    lxcDomain *dom;
    bool err, added = false;

    virDriverCheckFlags(flags, VIR_DOMAIN_START_VALIDATE | VIR_DOMAIN_START_AUTODESTROY, NULL);
    if (!(drv = lxcGetState()) || !(def = lxcDomainDefParse(xml)))
        return NULL;
    if (lxcNameCheck(drv, def->name) < 0)
        return NULL;

    virNoIOMutexLock(&drv->lock);
    dom = (lxcDomain *)virDomainObjListCheckAssign(drv->domains, def, true, &err);
    if (err)
        goto cleanup;
    if (!dom) {
        dom = lxcDomainNew(NULL);
        g_ptr_array_add(drv->domains, dom);
        added = true;
    }
    dom->obj.job = true;
    /* visible (not active) while it starts: its name and UUID are taken */
    virDomainDefFree(dom->obj.live);
    dom->obj.live = def;
    if (virQuestionHandlePending(&dom->obj.questions, conn->autoAnswer) < 0 ||
        lxcDomainStartWithFiles(drv, dom, g_steal_pointer(&def), VIR_DOMAIN_RUNNING_BOOTED,
                                conn, files, nfiles) < 0) {
        lxcDomainEndJob(drv, dom);
        if (added)
            lxcDomainRemove(drv, dom);
        goto cleanup;
    }
    lxcDomainSetAutoDestroy(dom, conn, flags);
    lxcEmitLifecycle(dom, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    ref = virDomainObjMakeRef(&dom->obj);
    lxcDomainEndJob(drv, dom);
 cleanup:
    virNoIOMutexUnlock(&drv->lock);
    return ref;
}


static virDomainRef *
lxcDomainCreateXML(virConnect *conn, const char *xml, unsigned int flags)
{
    return lxcDomainCreateXMLWithFiles(conn, xml, 0, NULL, flags);
}


/* create and createWithFlags are this without files. */
static int
lxcDomainCreateWithFiles(virConnect *conn, const virDomainRef *ref, unsigned int nfiles,
                         const int *files, unsigned int flags)
{
    lxcDriverState *drv;
    lxcDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_START_AUTODESTROY, -1);
    if (!(drv = lxcGetState()))
        return -1;
    virNoIOMutexLock(&drv->lock);
    if (!(dom = lxcDomainFromRef(drv, ref)) || !(dom = lxcDomainBeginJob(drv, dom)))
        goto cleanup;
    if (virDomainObjIsActive(&dom->obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "Domain is already running");
        goto endjob;
    }
    if (!dom->obj.def) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "Domain is transient");
        goto endjob;
    }
    if (virQuestionHandlePending(&dom->obj.questions, conn->autoAnswer) < 0 ||
        lxcDomainStartWithFiles(drv, dom, virDomainDefCopy(dom->obj.def),
                                VIR_DOMAIN_RUNNING_BOOTED, conn, files, nfiles) < 0)
        goto endjob;
    lxcDomainSetAutoDestroy(dom, conn, flags);
    lxcEmitLifecycle(dom, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    ret = 0;
 endjob:
    lxcDomainEndJob(drv, dom);
 cleanup:
    virNoIOMutexUnlock(&drv->lock);
    return ret;
}


static int
lxcDomainCreateWithFlags(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    return lxcDomainCreateWithFiles(conn, ref, 0, NULL, flags);
}


/* Wait (lock released meanwhile) until done(dom) or ms passed; the init's
 * death is polled too, in case the monitor is broken. */
static bool
lxcDomainWaitFor(lxcDriverState *drv, lxcDomain *dom, bool waitExit, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;

    for (;;) {
        if (dom->gotExit || dom->monEOF)
            return true;
        if (!waitExit && !lxcProcessAlive(dom->initPid, dom->initStart))
            return true;
        if (waitExit && lxcProcessStopped(dom->ctrlPid))
            return false;   /* a stopped controller sends nothing */
        if (g_get_monotonic_time() >= deadline)
            return false;
        virNoIOMutexCondWaitUntil(&drv->cond, &drv->lock,
                                  MIN(deadline, g_get_monotonic_time() + 20 * 1000));
    }
}


/* Destroy the running dom under the caller's job, which this ends; the
 * lock is held on entry and return (released while the container dies).
 * dom may be gone on return (a transient domain). */
static int
lxcDomainDestroyJob(lxcDriverState *drv, lxcDomain *dom, unsigned int flags)
{
    if (dom->obj.state == VIR_DOMAIN_PAUSED) {
        /* frozen tasks do not die: thaw them first (under the job) */
        g_autofree char *name = g_strdup(dom->obj.live->name);
        g_autoptr(lxcCgroup) cg = NULL;

        virNoIOMutexUnlock(&drv->lock);
        cg = lxcCgroupNew(name);
        if (lxcCgroupThaw(cg) < 0)
            VIR_WARN("cannot thaw '%s' to destroy it: %s", cg->dir[LXC_CGROUP_FREEZER] ?
                     cg->dir[LXC_CGROUP_FREEZER] : "no freezer", virGetLastErrorMessage());
        virNoIOMutexLock(&drv->lock);
    }

    /* SIGTERM first; an init that does not handle it (a PID namespace's
     * init ignores it then) gets SIGKILL at once, one that does after a
     * grace period. */
    lxcKill(dom->initPid, dom->initStart, SIGTERM);
    if (lxcProcessCatchesTerm(dom->initPid) || (flags & VIR_DOMAIN_DESTROY_GRACEFUL)) {
        if (!lxcDomainWaitFor(drv, dom, false, LXC_TERM_GRACE_MS) &&
            (flags & VIR_DOMAIN_DESTROY_GRACEFUL)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "Some processes refused to die");
            lxcDomainEndJob(drv, dom);
            return -1;
        }
    }
    lxcKill(dom->initPid, dom->initStart, SIGKILL);
    /* The controller reports the end: then it can quit. */
    if (!lxcDomainWaitFor(drv, dom, true, LXC_EXIT_WAIT_MS))
        VIR_WARN("no EXIT from the controller of '%s' after its init was killed",
                 virDomainObjCurrentDef(&dom->obj)->name);
    lxcDomainEndJob(drv, dom);
    lxcDomainStopAndNotify(drv, dom, VIR_DOMAIN_SHUTOFF_DESTROYED,
                           VIR_DOMAIN_EVENT_STOPPED_DESTROYED, true);
    return 0;
}


static int
lxcDomainDestroyFlags(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                      unsigned int flags)
{
    lxcDriverState *drv;
    lxcDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_DESTROY_GRACEFUL, -1);
    if (!(drv = lxcGetState()))
        return -1;
    virNoIOMutexLock(&drv->lock);
    if ((dom = lxcDomainBeginActiveJob(drv, ref)))
        ret = lxcDomainDestroyJob(drv, dom, flags);
    virNoIOMutexUnlock(&drv->lock);
    return ret;
}


/* ------------------------------------------------------------------ */
/* Autodestroy (the header comment says how it works)                  */

/* The driver's autodestroy thread: destroys the queued domains whose
 * record still says so, one at a time, until the end mark. */
static gpointer
lxcAutoDestroyWorker(gpointer opaque)
{
    lxcDriverState *drv = opaque;
    unsigned char *uuid;

    while ((uuid = g_async_queue_pop(drv->autoDestroyQueue)) !=
           (unsigned char *)&lxcAutoDestroyEnd) {
        lxcDomain *dom;

        virNoIOMutexLock(&drv->lock);
        dom = (lxcDomain *)virDomainObjListFindByUUID(drv->domains, uuid);
        /* another job (a client's call) may run: wait for it, then look again */
        if (dom && dom->autoDestroyDue && (dom = lxcDomainBeginJob(drv, dom))) {
            if (dom->autoDestroyDue && virDomainObjIsActive(&dom->obj)) {
                g_autofree char *name = g_strdup(virDomainObjCurrentDef(&dom->obj)->name);

                VIR_INFO("destroying '%s': the connection that started it closed", name);
                if (lxcDomainDestroyJob(drv, dom, 0) < 0)
                    VIR_WARN("cannot autodestroy '%s': %s", name, virGetLastErrorMessage());
            } else {
                lxcDomainEndModifyJob(drv, dom);
            }
        }
        virNoIOMutexUnlock(&drv->lock);
        virResetLastError();
        g_free(uuid);
    }
    return NULL;
}


/* conn closed: the runs it started with START_AUTODESTROY are destroyed,
 * from the autodestroy thread (this may run on the daemon's event loop). */
static void
lxcAutoDestroyConnClosed(lxcDriverState *drv, virConnect *conn)
{
    guint i;

    virNoIOMutexLock(&drv->lock);
    for (i = 0; i < drv->domains->len; i++) {
        lxcDomain *dom = g_ptr_array_index(drv->domains, i);

        if (dom->autoDestroyConn != conn)
            continue;
        dom->autoDestroyConn = NULL;
        if (!drv->autoDestroyThread) {
            g_autoptr(GError) gerr = NULL;

            drv->autoDestroyThread = g_thread_try_new("lxc-autodestroy", lxcAutoDestroyWorker,
                                                      drv, &gerr);
            if (!drv->autoDestroyThread) {
                VIR_WARN("cannot start the autodestroy thread, '%s' keeps running: %s",
                         virDomainObjCurrentDef(&dom->obj)->name, gerr->message);
                continue;
            }
        }
        dom->autoDestroyDue = true;
        g_async_queue_push(drv->autoDestroyQueue,
                           g_memdup2(virDomainObjCurrentDef(&dom->obj)->uuid, VIR_UUID_BUFLEN));
    }
    virNoIOMutexUnlock(&drv->lock);
}


/* Shutdown and reboot signal the init; the container's end (or restart)
 * is then seen through the monitor, as with libvirt. */
static int
lxcDomainSignalInit(const virDomainRef *ref, int sig)
{
    lxcDriverState *drv;
    lxcDomain *dom;
    int ret = -1;

    if (!(drv = lxcGetState()))
        return -1;
    virNoIOMutexLock(&drv->lock);
    if (!(dom = lxcDomainActiveFromRef(drv, ref)))
        goto cleanup;
    if (!lxcProcessAlive(dom->initPid, dom->initStart) || kill(dom->initPid, sig) < 0) {
        virReportSystemError(errno ? errno : ESRCH, "Failed to send signal %d to init %d",
                             sig, (int)dom->initPid);
        goto cleanup;
    }
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&drv->lock);
    return ret;
}


/* A signal to the container's init (the only process libvirt's LXC driver
 * reaches), under a job as libvirt's. The number goes to kill() as it is:
 * libvirt's VIR_DOMAIN_PROCESS_SIGNAL_* values are Linux's numbers (0
 * only checks that the init exists). */
static int
lxcDomainSendProcessSignal(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                           long long pid_value, unsigned int signum, unsigned int flags)
{
    lxcDriverState *drv;
    lxcDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (signum >= VIR_DOMAIN_PROCESS_SIGNAL_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "signum value %d is out of range", (int)signum);
        return -1;
    }
    if (!(drv = lxcGetState()))
        return -1;
    virNoIOMutexLock(&drv->lock);
    if (!(dom = lxcDomainBeginActiveJob(drv, ref)))
        goto cleanup;
    if (pid_value != 1) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s", "Only the init process may be killed");
    } else if (dom->initPid <= 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "Init pid is not yet available");
    } else if (!lxcProcessAlive(dom->initPid, dom->initStart)) {
        /* gone, or a recycled PID that is not the init any more */
        virReportSystemError(ESRCH, "Unable to send %d signal to process %d",
                             (int)signum, (int)dom->initPid);
    } else if (kill(dom->initPid, (int)signum) < 0) {
        virReportSystemError(errno, "Unable to send %d signal to process %d",
                             (int)signum, (int)dom->initPid);
    } else {
        ret = 0;
    }
    lxcDomainEndModifyJob(drv, dom);
 cleanup:
    virNoIOMutexUnlock(&drv->lock);
    return ret;
}


/* The namespaces handed out, in libvirt's order; one the kernel lacks
 * (user, without CONFIG_USER_NS) is left out, as libvirt does. */
static const char *const lxcNamespaceNames[] = { "user", "ipc", "uts", "net", "pid", "mnt" };

/* Open the namespaces of the init (whose /proc directory is procfd) into
 * fds; returns their count. */
static size_t
lxcOpenNamespaces(int procfd, int *fds)
{
    size_t n = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(lxcNamespaceNames); i++) {
        g_autofree char *path = g_strdup_printf("ns/%s", lxcNamespaceNames[i]);
        int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);

        if (fd >= 0)
            fds[n++] = fd;
    }
    return n;
}


/* virDomainLxcOpenNamespace: the init's namespaces, under a job. The
 * files are opened without the lock, through the init's /proc directory
 * opened while the init is known to be ours: a PID recycled meanwhile
 * cannot hand out another process's namespaces. */
static int
lxcDomainLxcOpenNamespace(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                          int **fdlist, unsigned int flags)
{
    lxcDriverState *drv;
    lxcDomain *dom;
    g_autofree char *procDir = NULL;
    int fds[G_N_ELEMENTS(lxcNamespaceNames)];
    size_t nfds = 0;
    int procfd = -1;
    bool ok = false;
    pid_t pid;
    unsigned long long start;

    *fdlist = NULL;
    virDriverCheckFlags(flags, 0, -1);
    if (!(drv = lxcGetState()))
        return -1;
    virNoIOMutexLock(&drv->lock);
    if (!(dom = lxcDomainBeginActiveJob(drv, ref))) {
        virNoIOMutexUnlock(&drv->lock);
        return -1;
    }
    pid = dom->initPid;
    start = dom->initStart;
    virNoIOMutexUnlock(&drv->lock);

    if (pid <= 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "Init pid is not yet available");
    } else if ((procfd = open(procDir = g_strdup_printf("/proc/%d", (int)pid),
                              O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
               !lxcProcessAlive(pid, start)) {
        /* the init ended: the monitor will say so shortly */
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    } else {
        nfds = lxcOpenNamespaces(procfd, fds);
        ok = true;
    }
    VIR_FORCE_CLOSE(procfd);

    virNoIOMutexLock(&drv->lock);
    lxcDomainEndModifyJob(drv, dom);
    virNoIOMutexUnlock(&drv->lock);
    if (!ok)
        return -1;
    *fdlist = g_memdup2(fds, nfds * sizeof(int));
    return (int)nfds;
}


/* With the agent mode, the guest agent asks first; the other modes given
 * with it are tried when it fails (libvirt's order). */
static int
lxcDomainShutdownFlags(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                       unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DOMAIN_SHUTDOWN_INITCTL | VIR_DOMAIN_SHUTDOWN_SIGNAL |
                        VIR_DOMAIN_SHUTDOWN_GUEST_AGENT, -1);
    if (flags & VIR_DOMAIN_SHUTDOWN_GUEST_AGENT) {
        int rc = lxcDomainShutdownAgent(ref, false);

        if (rc == 0 || !(flags & (VIR_DOMAIN_SHUTDOWN_INITCTL | VIR_DOMAIN_SHUTDOWN_SIGNAL)))
            return rc;
        flags &= ~VIR_DOMAIN_SHUTDOWN_GUEST_AGENT;
    }
    if (flags == VIR_DOMAIN_SHUTDOWN_INITCTL) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "Container does not provide an initctl pipe");
        return -1;
    }
    return lxcDomainSignalInit(ref, SIGTERM);
}


static int
lxcDomainReboot(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DOMAIN_REBOOT_INITCTL | VIR_DOMAIN_REBOOT_SIGNAL |
                        VIR_DOMAIN_REBOOT_GUEST_AGENT, -1);
    if (flags & VIR_DOMAIN_REBOOT_GUEST_AGENT) {
        int rc = lxcDomainShutdownAgent(ref, true);

        if (rc == 0 || !(flags & (VIR_DOMAIN_REBOOT_INITCTL | VIR_DOMAIN_REBOOT_SIGNAL)))
            return rc;
        flags &= ~VIR_DOMAIN_REBOOT_GUEST_AGENT;
    }
    if (flags == VIR_DOMAIN_REBOOT_INITCTL) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "Container does not provide an initctl pipe");
        return -1;
    }
    /* the kernel kills a PID namespace's init that calls reboot(2) with
     * SIGHUP, which the controller reports as REBOOT */
    return lxcDomainSignalInit(ref, SIGHUP);
}


static int
lxcDomainUndefineFlags(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                       unsigned int flags)
{
    lxcDriverState *drv;
    lxcDomain *dom;
    virDomainRef *evref;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (!(drv = lxcGetState()))
        return -1;
    virNoIOMutexLock(&drv->lock);
    if (!(dom = lxcDomainBeginPersistentJob(drv, ref, "Cannot undefine transient domain")))
        goto cleanup;
    {
        g_autofree char *path = lxcConfigPath(drv, dom->obj.def->name);
        g_autofree char *link = lxcAutostartPath(drv, dom->obj.def->name);
        int rc;

        /* the job holds the domain while the lock is released */
        virNoIOMutexUnlock(&drv->lock);
        if ((rc = virFileRemove(path)) < 0)
            virReportSystemError(errno, "cannot remove config %s", path);
        else
            virFileRemove(link);
        virNoIOMutexLock(&drv->lock);
        if (rc < 0) {
            lxcDomainEndJob(drv, dom);
            goto cleanup;
        }
    }
    evref = virDomainObjMakeRef(&dom->obj);
    dom->obj.autostart = false;
    lxcDomainEndJob(drv, dom);
    if (virDomainObjIsActive(&dom->obj)) {
        virDomainDefFree(dom->obj.def);    /* keeps running, as a transient domain */
        dom->obj.def = NULL;
    } else {
        lxcDomainRemove(drv, dom);
    }
    virDomainEventRegistryDispatchLifecycle(lxcEvents, evref, VIR_DOMAIN_EVENT_UNDEFINED,
                                            VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    virDomainRefFree(evref);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&drv->lock);
    return ret;
}


/* ------------------------------------------------------------------ */
/* Queries                                                             */


static int
lxcDomainGetState(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, int *state,
                  int *reason, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    WITH_DOMAIN(ref, {
        *state = dom->obj.state;
        if (reason)
            *reason = dom->obj.reason;
        ret = 0;
    });
    return ret;
}


static char *
lxcDomainGetXMLDesc(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, unsigned int flags)
{
    char *ret = NULL;

    virDriverCheckFlags(flags, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE, NULL);
    WITH_DOMAIN(ref, {
        if ((flags & VIR_DOMAIN_XML_INACTIVE) && dom->obj.def)
            ret = virDomainDefFormat(dom->obj.def, -1);
        else
            ret = virDomainDefFormat(virDomainObjCurrentDef(&dom->obj),
                                     virDomainObjIsActive(&dom->obj) && !(flags & VIR_DOMAIN_XML_INACTIVE) ?
                                     dom->obj.id : -1);
    });
    return ret;
}


static char *
lxcDomainGetOSType(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref)
{
    char *ret = NULL;

    WITH_DOMAIN(ref, { ret = g_strdup(virDomainObjCurrentDef(&dom->obj)->osType); });
    return ret;
}


static unsigned long long
lxcDomainGetMaxMemory(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref)
{
    unsigned long long ret = 0;

    WITH_DOMAIN(ref, { ret = virDomainObjCurrentDef(&dom->obj)->memory; });
    return ret;
}


static int
lxcDomainGetVcpusFlags(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                       unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                       VIR_DOMAIN_VCPU_MAXIMUM, -1);
    WITH_DOMAIN(ref, {
        const virDomainDef *def = (flags & VIR_DOMAIN_AFFECT_CONFIG) && dom->obj.def ?
                                  dom->obj.def : virDomainObjCurrentDef(&dom->obj);
        ret = (int)((flags & VIR_DOMAIN_VCPU_MAXIMUM) ? def->maxVcpus : def->vcpus);
    });
    return ret;
}


static int
lxcDomainGetAutostart(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, int *autostart)
{
    int ret = -1;

    WITH_DOMAIN(ref, {
        *autostart = dom->obj.autostart;
        ret = 0;
    });
    return ret;
}


static int
lxcDomainSetAutostart(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, int autostart)
{
    lxcDriverState *drv;
    lxcDomain *dom;
    g_autofree char *link = NULL;
    g_autofree char *target = NULL;
    int ret = -1, rc = 0;

    if (!(drv = lxcGetState()))
        return -1;
    virNoIOMutexLock(&drv->lock);
    if (!(dom = lxcDomainBeginPersistentJob(drv, ref,
                                            "Cannot set autostart for transient domain")))
        goto cleanup;
    if ((autostart != 0) == dom->obj.autostart) {
        ret = 0;
        goto endjob;
    }
    link = lxcAutostartPath(drv, dom->obj.def->name);
    target = lxcConfigPath(drv, dom->obj.def->name);
    /* the job holds the domain while the lock is released */
    virNoIOMutexUnlock(&drv->lock);
    if (autostart) {
        virNoIOCheck("creating a link");
        if ((rc = g_mkdir_with_parents(drv->autostartDir, 0700)) == 0)
            rc = symlink(target, link);
        if (rc < 0)
            virReportSystemError(errno, "Failed to create symlink '%s' to '%s'", link, target);
    } else if ((rc = virFileRemove(link)) < 0) {
        virReportSystemError(errno, "Failed to delete symlink '%s'", link);
    }
    virNoIOMutexLock(&drv->lock);
    if (rc == 0) {
        dom->obj.autostart = autostart != 0;
        ret = 0;
    }
 endjob:
    lxcDomainEndJob(drv, dom);
 cleanup:
    virNoIOMutexUnlock(&drv->lock);
    return ret;
}


static int
lxcDomainIsActive(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref)
{
    int ret = -1;

    WITH_DOMAIN(ref, { ret = virDomainObjIsActive(&dom->obj); });
    return ret;
}


static int
lxcDomainIsPersistent(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref)
{
    int ret = -1;

    WITH_DOMAIN(ref, { ret = dom->obj.def != NULL; });
    return ret;
}


static int
lxcDomainIsUpdated(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref)
{
    int ret = -1;

    WITH_DOMAIN(ref, { ret = 0; });
    return ret;
}


static int
lxcDomainHasManagedSaveImage(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                             unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    WITH_DOMAIN(ref, { ret = 0; });
    return ret;
}


static int
lxcDomainGetSecurityLabel(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                          virSecurityLabel *seclabel)
{
    int ret = -1;

    WITH_DOMAIN(ref, {
        memset(seclabel, 0, sizeof(*seclabel));
        ret = 0;
    });
    return ret;
}


/* ------------------------------------------------------------------ */
/* Events                                                              */

static int
lxcConnectDomainEventRegister(virConnect *conn, virConnectDomainEventCallback cb,
                              void *opaque, virFreeCallback ff)
{
    return virDomainEventRegistryAddLegacy(lxcEvents, conn, cb, opaque, ff);
}


static int
lxcConnectDomainEventDeregister(virConnect *conn, virConnectDomainEventCallback cb)
{
    return virDomainEventRegistryRemoveLegacy(lxcEvents, conn, cb);
}


static int
lxcConnectDomainEventRegisterAny(virConnect *conn, const virDomainRef *dom, int eventID,
                                 virConnectDomainEventGenericCallback cb,
                                 void *opaque, virFreeCallback ff)
{
    return virDomainEventRegistryAdd(lxcEvents, conn, dom, eventID, cb, opaque, ff);
}


static int
lxcConnectDomainEventDeregisterAny(virConnect *conn, int callbackID)
{
    return virDomainEventRegistryRemove(lxcEvents, conn, callbackID);
}


/* ------------------------------------------------------------------ */
/* Console                                                             */

typedef struct {
    unsigned char uuid[VIR_UUID_BUFLEN];
} lxcConsoleOwner;


/* A console stream ended: free the domain's slot if it still holds it. */
static void
lxcConsoleEnded(virStream *st, void *opaque)
{
    lxcConsoleOwner *owner = opaque;
    lxcDriverState *drv;
    virStream *drop = NULL;

    virNoIOMutexLock(&lxcGlobalLock);
    drv = lxcDrv;
    if (drv) {
        virNoIOMutexLock(&drv->lock);
        for (guint i = 0; i < drv->domains->len; i++) {
            lxcDomain *dom = g_ptr_array_index(drv->domains, i);

            if (memcmp(virDomainObjCurrentDef(&dom->obj)->uuid, owner->uuid, VIR_UUID_BUFLEN) == 0 && dom->console == st)
                drop = g_steal_pointer(&dom->console);
        }
        virNoIOMutexUnlock(&drv->lock);
    }
    virNoIOMutexUnlock(&lxcGlobalLock);
    VIR_DEBUG("console stream %p ended", st);
    virStreamUnref(drop);
}


/* A non-blocking connection to the controller's console socket. */
static int
lxcConsoleConnect(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "console socket path too long: %s", path);
        return -1;
    }
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0 ||
        connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        virReportSystemError(errno, "cannot connect to the console at %s", path);
        VIR_FORCE_CLOSE(fd);
        return -1;
    }
    return fd;
}


static int
lxcDomainOpenConsole(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                     const char *dev_name, virStream *st, unsigned int flags)
{
    lxcDriverState *drv;
    lxcDomain *dom;
    lxcConsoleOwner *owner;
    virStream *old = NULL;
    g_autofree char *path = NULL;
    int fd;

    virDriverCheckFlags(flags, VIR_DOMAIN_CONSOLE_FORCE | VIR_DOMAIN_CONSOLE_SAFE, -1);
    if (!(drv = lxcGetState()))
        return -1;
    virNoIOMutexLock(&drv->lock);
    if (!(dom = lxcDomainFromRef(drv, ref)))
        goto error;
    if (!virDomainObjIsActive(&dom->obj)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        goto error;
    }
    /* The one console, alias "console0" as libvirt names it. */
    if (dev_name && strcmp(dev_name, "console0") != 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find console device '%s'", dev_name);
        goto error;
    }
    if (dom->console && !virStreamIsOver(dom->console)) {
        if (!(flags & VIR_DOMAIN_CONSOLE_FORCE)) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "Active console session exists for this domain");
            goto error;
        }
        old = g_steal_pointer(&dom->console);
    }
    virStreamUnref(dom->console);
    dom->console = virStreamRef(st);
    owner = g_new0(lxcConsoleOwner, 1);
    memcpy(owner->uuid, dom->obj.live->uuid, VIR_UUID_BUFLEN);
    path = lxcPath(drv, dom->obj.live->name, "console");
    virNoIOMutexUnlock(&drv->lock);

    /* Outside the lock: its end callback takes it. */
    if (old) {
        VIR_DEBUG("console of '%s' taken over", ref->name);
        virStreamAbort(old, VIR_ERR_OPERATION_ABORTED,
                       "the console was taken over by another client");
        virStreamUnref(old);
    }
    virStreamSetEndCallback(st, lxcConsoleEnded, owner, g_free);
    if ((fd = lxcConsoleConnect(path)) < 0 || virStreamSetFD(st, fd) < 0) {
        /* The stream never runs: free the slot now. */
        lxcConsoleEnded(st, owner);
        return -1;
    }
    return 0;

 error:
    virNoIOMutexUnlock(&drv->lock);
    return -1;
}


/* ------------------------------------------------------------------ */

static const char *const lxcURISchemes[] = { "lxc", NULL };

const virConnectDriver lxcConnectDriver = {
    .name = "LXC",
    .uriSchemes = lxcURISchemes,
    .connectOpen = lxcConnectOpen,
    .connectClose = lxcConnectClose,
    .connectGetType = lxcConnectGetType,
    .connectGetVersion = lxcConnectGetVersion,
    .connectGetHostname = lxcConnectGetHostname,
    .connectGetURI = lxcConnectGetURI,
    .connectGetCapabilities = lxcConnectGetCapabilities,
    .connectGetMaxVcpus = lxcConnectGetMaxVcpus,
    .nodeGetInfo = lxcNodeGetInfo,
    .nodeGetFreeMemory = lxcNodeGetFreeMemory,
    .nodeGetSecurityModel = lxcNodeGetSecurityModel,
    .connectNumOfDomains = lxcConnectNumOfDomains,
    .connectListDomains = lxcConnectListDomains,
    .connectNumOfDefinedDomains = lxcConnectNumOfDefinedDomains,
    .connectListDefinedDomains = lxcConnectListDefinedDomains,
    .connectListAllDomains = lxcConnectListAllDomains,
    .domainLookupByName = lxcDomainLookupByName,
    .domainLookupByUUID = lxcDomainLookupByUUID,
    .domainLookupByID = lxcDomainLookupByID,
    .domainDefineXMLFlags = lxcDomainDefineXMLFlags,
    .domainCreateXML = lxcDomainCreateXML,
    .domainCreateWithFlags = lxcDomainCreateWithFlags,
    .domainCreateXMLWithFiles = lxcDomainCreateXMLWithFiles,
    .domainCreateWithFiles = lxcDomainCreateWithFiles,
    .domainDestroyFlags = lxcDomainDestroyFlags,
    .domainShutdownFlags = lxcDomainShutdownFlags,
    .domainReboot = lxcDomainReboot,
    .domainSendProcessSignal = lxcDomainSendProcessSignal,
    .domainLxcOpenNamespace = lxcDomainLxcOpenNamespace,
    .domainUndefineFlags = lxcDomainUndefineFlags,
    .domainGetInfo = lxcDomainGetInfo,
    .nodeGetCPUMap = lxcNodeGetCPUMap,
    .nodeGetCPUStats = lxcNodeGetCPUStats,
    .nodeGetMemoryStats = lxcNodeGetMemoryStats,
    .nodeGetCellsFreeMemory = lxcNodeGetCellsFreeMemory,
    .nodeGetFreePages = lxcNodeGetFreePages,
    .nodeAllocPages = lxcNodeAllocPages,
    .nodeGetMemoryParameters = lxcNodeGetMemoryParameters,
    .nodeSetMemoryParameters = lxcNodeSetMemoryParameters,
    .nodeSuspendForDuration = lxcNodeSuspendForDuration,
    .connectGetSysinfo = lxcConnectGetSysinfo,
    .connectDomainXMLFromNative = lxcConnectDomainXMLFromNative,
    .domainGetMetadata = lxcDomainGetMetadata,
    .domainSetMetadata = lxcDomainSetMetadata,
    .domainAttachDevice = lxcDomainAttachDevice,
    .domainAttachDeviceFlags = lxcDomainAttachDeviceFlags,
    .domainDetachDevice = lxcDomainDetachDevice,
    .domainDetachDeviceFlags = lxcDomainDetachDeviceFlags,
    .domainUpdateDeviceFlags = lxcDomainUpdateDeviceFlags,
    .domainSuspend = lxcDomainSuspend,
    .domainResume = lxcDomainResume,
    .domainSetMaxMemory = lxcDomainSetMaxMemory,
    .domainSetMemory = lxcDomainSetMemory,
    .domainSetMemoryFlags = lxcDomainSetMemoryFlags,
    .domainSetMemoryParameters = lxcDomainSetMemoryParameters,
    .domainGetMemoryParameters = lxcDomainGetMemoryParameters,
    .domainMemoryStats = lxcDomainMemoryStats,
    .domainGetSchedulerType = lxcDomainGetSchedulerType,
    .domainGetSchedulerParameters = lxcDomainGetSchedulerParameters,
    .domainGetSchedulerParametersFlags = lxcDomainGetSchedulerParametersFlags,
    .domainSetSchedulerParameters = lxcDomainSetSchedulerParameters,
    .domainSetSchedulerParametersFlags = lxcDomainSetSchedulerParametersFlags,
    .domainBlockStats = lxcDomainBlockStats,
    .domainBlockStatsFlags = lxcDomainBlockStatsFlags,
    .domainInterfaceStats = lxcDomainInterfaceStats,
    .domainGetCPUStats = lxcDomainGetCPUStats,
    .domainSetBlkioParameters = lxcDomainSetBlkioParameters,
    .domainGetBlkioParameters = lxcDomainGetBlkioParameters,
    .domainGetState = lxcDomainGetState,
    .domainGetXMLDesc = lxcDomainGetXMLDesc,
    .domainGetOSType = lxcDomainGetOSType,
    .domainGetMaxMemory = lxcDomainGetMaxMemory,
    .domainGetVcpusFlags = lxcDomainGetVcpusFlags,
    .domainGetAutostart = lxcDomainGetAutostart,
    .domainSetAutostart = lxcDomainSetAutostart,
    .domainIsActive = lxcDomainIsActive,
    .domainIsPersistent = lxcDomainIsPersistent,
    .domainIsUpdated = lxcDomainIsUpdated,
    .domainHasManagedSaveImage = lxcDomainHasManagedSaveImage,
    .domainGetSecurityLabel = lxcDomainGetSecurityLabel,
    .domainGetHostname = lxcDomainGetHostname,
    .domainGetTime = lxcDomainGetTime,
    .domainSetUserPassword = lxcDomainSetUserPassword,
    .domainGetFSInfo = lxcDomainGetFSInfo,
    .domainInterfaceAddresses = lxcDomainInterfaceAddresses,
    .domainGetGuestInfo = lxcDomainGetGuestInfo,
    .domainAuthorizedSSHKeysGet = lxcDomainAuthorizedSSHKeysGet,
    .domainAuthorizedSSHKeysSet = lxcDomainAuthorizedSSHKeysSet,
    .domainGetGuestVcpus = lxcDomainGetGuestVcpus,
    .domainSetGuestVcpus = lxcDomainSetGuestVcpus,
    .domainAgentSetResponseTimeout = lxcDomainAgentSetResponseTimeout,
    .connectDomainEventRegister = lxcConnectDomainEventRegister,
    .connectDomainEventDeregister = lxcConnectDomainEventDeregister,
    .connectDomainEventRegisterAny = lxcConnectDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = lxcConnectDomainEventDeregisterAny,
    .domainOpenConsole = lxcDomainOpenConsole,
    /* storage and secrets: the secondary drivers (virobjectdrivers.h) */
    .secondaryDrivers = true,
};


int
lxcDriverRegister(void)
{
    return virConnectRegisterDriver(&lxcConnectDriver);
}
