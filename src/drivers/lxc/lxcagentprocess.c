/*
 * lxcagentprocess.c: the controller's guest agent process (lxcagentprocess.h).
 *
 * Locking: none; the loop thread does everything. The fork happens on
 * that thread with other threads around (the monitor server's worker), so
 * the child only makes system calls before its exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <glib.h>

#include "lxcagentprocess.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_LXC

VIR_LOG_INIT("lxc.agentprocess");

#define LXC_AGENT_RESTART_MIN_MS 200
#define LXC_AGENT_RESTART_MAX_MS 10000
#define LXC_AGENT_YOUNG_MS 2000        /* ending sooner than this doubles the delay */

struct _lxcAgentProcess {
    virEventLoop *loop;
    char *sockPath;
    char *agentPath;
    const lxcCgroup *cgroup;    /* borrowed */
    int initPidfd;              /* borrowed */
    int listenfd;
    int selfPidns;              /* our own PID namespace, to switch back to */
    lxcAgentProcessNotify notify;
    void *opaque;

    pid_t pid;                  /* 0: not running */
    int pidfd;
    int watch;
    int restartTimer;
    gint64 startedAt;
    int delayMs;
    bool stopped;
};


lxcAgentProcess *
lxcAgentProcessNew(virEventLoop *loop, const char *sockPath, const char *agentPath,
                   int initPidfd, const lxcCgroup *cg,
                   lxcAgentProcessNotify notify, void *opaque)
{
    lxcAgentProcess *ap = g_new0(lxcAgentProcess, 1);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    ap->loop = loop;
    ap->sockPath = g_strdup(sockPath);
    ap->agentPath = g_strdup(agentPath);
    ap->cgroup = cg;
    ap->initPidfd = initPidfd;
    ap->notify = notify;
    ap->opaque = opaque;
    ap->pidfd = ap->watch = ap->restartTimer = -1;
    ap->delayMs = LXC_AGENT_RESTART_MIN_MS;
    ap->listenfd = ap->selfPidns = -1;

    if (access(agentPath, X_OK) < 0) {
        virReportSystemError(errno, "cannot run the guest agent '%s'", agentPath);
        goto error;
    }
    if ((ap->selfPidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "%s", "cannot open our own PID namespace");
        goto error;
    }
    if (strlen(sockPath) >= sizeof(sa.sun_path)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "socket path '%s' is too long", sockPath);
        goto error;
    }
    g_strlcpy(sa.sun_path, sockPath, sizeof(sa.sun_path));
    unlink(sockPath);
    if ((ap->listenfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        bind(ap->listenfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        chmod(sockPath, 0600) < 0 || listen(ap->listenfd, 16) < 0) {
        virReportSystemError(errno, "cannot listen on the guest agent socket '%s'", sockPath);
        goto error;
    }
    return ap;

 error:
    lxcAgentProcessFree(ap);
    return NULL;
}


static G_NORETURN void
lxcAgentProcessChild(lxcAgentProcess *ap, int nullfd, int sockfd, int nsfd)
{
    const char *argv[] = { ap->agentPath, "--listen-fd", "3", "--ns-fd", "4", NULL };
    sigset_t none;

    /* system calls only from here to exec */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
        _exit(126);
    if (dup2(nullfd, 0) < 0 || dup2(sockfd, 3) < 0 || dup2(nsfd, 4) < 0)
        _exit(126);
    syscall(SYS_close_range, 5U, ~0U, 0U);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execv(argv[0], (char *const *)argv);
    _exit(127);
}


static void lxcAgentProcessExited(int watch, int fd, int events, void *opaque);

static int
lxcAgentProcessSpawn(lxcAgentProcess *ap)
{
    /* above the numbers the child moves them to */
    int nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
    int sockfd = fcntl(ap->listenfd, F_DUPFD_CLOEXEC, 10);
    int nsfd = fcntl(ap->initPidfd, F_DUPFD_CLOEXEC, 10);
    int err = 0;
    pid_t pid = -1;

    if (nullfd < 0 || sockfd < 0 || nsfd < 0) {
        virReportSystemError(errno, "%s", "cannot prepare descriptors for the guest agent");
        goto cleanup;
    }
    /* Children of this thread go into the container's PID namespace for
     * this one fork. */
    if (setns(ap->initPidfd, CLONE_NEWPID) < 0) {
        virReportSystemError(errno, "%s", "cannot enter the container's PID namespace");
        goto cleanup;
    }
    pid = fork();
    err = errno;
    if (pid == 0)
        lxcAgentProcessChild(ap, nullfd, sockfd, nsfd);
    if (setns(ap->selfPidns, CLONE_NEWPID) < 0) {
        /* later children would land in the container: never go on */
        VIR_ERROR("cannot return to our own PID namespace: %s", g_strerror(errno));
        abort();
    }
    if (pid < 0) {
        virReportSystemError(err, "%s", "cannot start the guest agent (fork)");
        goto cleanup;
    }
    ap->pid = pid;
    ap->startedAt = g_get_monotonic_time();
    if ((ap->pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0 ||
        (ap->watch = virEventLoopAddHandle(ap->loop, ap->pidfd, VIR_EVENT_HANDLE_READABLE,
                                           lxcAgentProcessExited, ap, NULL)) < 0) {
        virReportSystemError(errno, "%s", "cannot watch the guest agent");
        kill(pid, SIGKILL);
        virProcessWaitPid(pid, NULL, 0);
        VIR_FORCE_CLOSE(ap->pidfd);
        ap->pid = 0;
        pid = -1;
        goto cleanup;
    }
    if (ap->cgroup && lxcCgroupAddTask(ap->cgroup, pid) < 0)
        VIR_WARN("cannot put the guest agent into the container's cgroups: %s",
                 g_strerror(errno));
    VIR_INFO("guest agent started, pid %d, serving %s", (int)pid, ap->sockPath);

 cleanup:
    VIR_FORCE_CLOSE(nullfd);
    VIR_FORCE_CLOSE(sockfd);
    VIR_FORCE_CLOSE(nsfd);
    if (pid > 0)
        ap->notify(ap, true, ap->opaque);
    return pid > 0 ? 0 : -1;
}


static void
lxcAgentProcessRestartTimer(int timer G_GNUC_UNUSED, void *opaque)
{
    lxcAgentProcess *ap = opaque;

    virEventLoopRemoveTimeout(ap->loop, ap->restartTimer);
    ap->restartTimer = -1;
    if (ap->stopped || ap->pid > 0)
        return;
    if (lxcAgentProcessSpawn(ap) < 0) {
        VIR_WARN("cannot restart the guest agent: %s", virGetLastErrorMessage());
        virResetLastError();
        ap->delayMs = MIN(ap->delayMs * 2, LXC_AGENT_RESTART_MAX_MS);
        ap->restartTimer = virEventLoopAddTimeout(ap->loop, ap->delayMs,
                                                  lxcAgentProcessRestartTimer, ap, NULL);
    }
}


static void
lxcAgentProcessForget(lxcAgentProcess *ap)
{
    if (ap->watch >= 0)
        virEventLoopRemoveHandle(ap->loop, ap->watch);
    ap->watch = -1;
    VIR_FORCE_CLOSE(ap->pidfd);
    ap->pid = 0;
}


static void
lxcAgentProcessExited(int watch G_GNUC_UNUSED, int fd G_GNUC_UNUSED, int events G_GNUC_UNUSED,
                      void *opaque)
{
    lxcAgentProcess *ap = opaque;
    gint64 lived = (g_get_monotonic_time() - ap->startedAt) / 1000;
    siginfo_t si;

    memset(&si, 0, sizeof(si));
    if (waitid(P_PID, (id_t)ap->pid, &si, WEXITED | WNOHANG) < 0 && errno == EINTR)
        return;
    if (si.si_pid == 0 && kill(ap->pid, 0) == 0)
        return;     /* not yet */
    if (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
        VIR_WARN("guest agent %d killed by signal %d after %lld ms", (int)ap->pid,
                 si.si_status, (long long)lived);
    else
        VIR_WARN("guest agent %d exited with status %d after %lld ms", (int)ap->pid,
                 si.si_status, (long long)lived);
    lxcAgentProcessForget(ap);
    ap->notify(ap, false, ap->opaque);
    if (ap->stopped)
        return;
    ap->delayMs = lived < LXC_AGENT_YOUNG_MS ? MIN(ap->delayMs * 2, LXC_AGENT_RESTART_MAX_MS)
                                             : LXC_AGENT_RESTART_MIN_MS;
    ap->restartTimer = virEventLoopAddTimeout(ap->loop, ap->delayMs,
                                              lxcAgentProcessRestartTimer, ap, NULL);
}


int
lxcAgentProcessStart(lxcAgentProcess *ap)
{
    ap->stopped = false;
    if (ap->pid > 0)
        return 0;
    return lxcAgentProcessSpawn(ap);
}


bool
lxcAgentProcessRunning(lxcAgentProcess *ap)
{
    return ap && ap->pid > 0;
}


void
lxcAgentProcessStop(lxcAgentProcess *ap)
{
    if (!ap)
        return;
    ap->stopped = true;
    if (ap->restartTimer >= 0)
        virEventLoopRemoveTimeout(ap->loop, ap->restartTimer);
    ap->restartTimer = -1;
    if (ap->pid > 0) {
        pid_t pid = ap->pid;

        kill(pid, SIGKILL);
        lxcAgentProcessForget(ap);
        /* gone at once after SIGKILL (or already with the container) */
        virProcessWaitPid(pid, NULL, 0);
    }
}


void
lxcAgentProcessFree(lxcAgentProcess *ap)
{
    if (!ap)
        return;
    lxcAgentProcessStop(ap);
    if (ap->listenfd >= 0)
        unlink(ap->sockPath);
    VIR_FORCE_CLOSE(ap->listenfd);
    VIR_FORCE_CLOSE(ap->selfPidns);
    g_free(ap->sockPath);
    g_free(ap->agentPath);
    g_free(ap);
}
