/*
 * agentexec.c: EXEC, a command run inside the guest with its output
 * captured (agentguest.h).
 *
 * The command is an argv list run directly (execveat of the file found
 * under the guest's root: no shell, no PATH search), with a fixed PATH
 * plus the caller's environment, in a session of its own (so that a
 * timeout kills everything it started), stdin fed from the call's input.
 * Its stdout and stderr are kept up to QEMU_AGENT_EXEC_OUTPUT_MAX bytes
 * each (the rest is read and dropped, so the command never blocks on a
 * full pipe). After the timeout the session is killed and the call fails.
 *
 * Threading: runs on the calling worker; everything is local to the call.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "agentguestpriv.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("agent.exec");

#define AGENT_EXEC_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

typedef struct {
    int fd;
    GString *data;
    int *truncated;
} agentExecStream;


/* Read what is there; false at EOF (or an error). */
static bool
agentExecDrain(agentExecStream *s)
{
    char buf[16384];

    for (;;) {
        ssize_t n = read(s->fd, buf, sizeof(buf));
        size_t room;

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EAGAIN;
        if (n == 0)
            return false;
        room = QEMU_AGENT_EXEC_OUTPUT_MAX - MIN(s->data->len, QEMU_AGENT_EXEC_OUTPUT_MAX);
        if ((size_t)n > room)
            *s->truncated = 1;
        g_string_append_len(s->data, buf, MIN((size_t)n, room));
    }
}


static G_NORETURN void
agentExecChild(int exefd, int rootfd, int in, int out, int err, char **argv, char **envp)
{
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    sigset_t all;

    /* only async-signal-safe calls: the agent has other threads */
    setsid();
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0 || dup2(exefd, 3) < 0)
        _exit(126);
    if (fchdir(rootfd) < 0)
        _exit(126);
    syscall(SYS_close_range, 4U, ~0U, 0U);
    for (int sig = 1; sig < NSIG; sig++)
        sigaction(sig, &dfl, NULL);
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    syscall(SYS_execveat, 3, "", argv, envp, AT_EMPTY_PATH);
    _exit(127);
}


int
agentGuestExec(agentGuest *guest, const qemu_agent_exec_args *args, qemu_agent_exec_ret *ret)
{
    unsigned int timeout = args->timeout_ms ? MIN(args->timeout_ms, QEMU_AGENT_EXEC_TIMEOUT_MAX)
                                            : QEMU_AGENT_EXEC_TIMEOUT_MAX;
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout * 1000;
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autoptr(GPtrArray) envp = g_ptr_array_new();
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GString) err = g_string_new(NULL);
    agentExecStream streams[2] = { { -1, out, &ret->out_truncated },
                                   { -1, err, &ret->err_truncated } };
    int in[2] = { -1, -1 }, po[2] = { -1, -1 }, pe[2] = { -1, -1 };
    int exefd = -1, pidfd = -1, status = 0;
    size_t inDone = 0;
    bool exited = false;
    pid_t pid = -1;
    int rv = -1;

    if (!(guest->flags & AGENT_GUEST_ALLOW_EXEC)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s", "this agent does not run commands");
        return -1;
    }
    if (args->path[0] != '/') {
        virReportError(VIR_ERR_INVALID_ARG, "the command '%s' must be an absolute path",
                       args->path);
        return -1;
    }
    for (u_int i = 0; i < args->env.env_len; i++) {
        if (!strchr(args->env.env_val[i], '=') || args->env.env_val[i][0] == '=') {
            virReportError(VIR_ERR_INVALID_ARG, "invalid environment entry '%s'",
                           args->env.env_val[i]);
            return -1;
        }
    }
    if (args->argv.argv_len == 0)
        g_ptr_array_add(argv, args->path);
    for (u_int i = 0; i < args->argv.argv_len; i++)
        g_ptr_array_add(argv, args->argv.argv_val[i]);
    g_ptr_array_add(argv, NULL);
    g_ptr_array_add(envp, (char *)AGENT_EXEC_PATH);
    for (u_int i = 0; i < args->env.env_len; i++)
        g_ptr_array_add(envp, args->env.env_val[i]);
    g_ptr_array_add(envp, NULL);

    if ((exefd = agentGuestOpen(guest, args->path, O_PATH, 0)) < 0) {
        virReportSystemError(errno, "cannot find the command '%s'", args->path);
        return -1;
    }
    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
        virReportSystemError(errno, "%s", "cannot create pipes for the command");
        goto cleanup;
    }
    if ((pid = fork()) < 0) {
        virReportSystemError(errno, "%s", "cannot fork the command");
        goto cleanup;
    }
    if (pid == 0)
        agentExecChild(exefd, guest->rootfd, in[0], po[1], pe[1], (char **)argv->pdata,
                       (char **)envp->pdata);
    VIR_FORCE_CLOSE(in[0]);
    VIR_FORCE_CLOSE(po[1]);
    VIR_FORCE_CLOSE(pe[1]);
    virSetNonBlock(in[1]);
    virSetNonBlock(po[0]);
    virSetNonBlock(pe[0]);
    streams[0].fd = po[0];
    streams[1].fd = pe[0];
    if (args->input.input_len == 0)
        VIR_FORCE_CLOSE(in[1]);
    if ((pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0) {
        virReportSystemError(errno, "%s", "cannot watch the command (pidfd_open)");
        goto kill;
    }

    /* until it exited and its pipes are empty (a background child keeping
     * them open does not hold us) */
    while (!exited || streams[0].fd >= 0 || streams[1].fd >= 0) {
        struct pollfd pfd[4];
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        int n = 0, r;

        if (left <= 0) {
            virReportError(VIR_ERR_OPERATION_TIMEOUT,
                           "the command '%s' did not finish within %u ms", args->path, timeout);
            goto kill;
        }
        for (int s = 0; s < 2; s++) {
            if (streams[s].fd >= 0)
                pfd[n++] = (struct pollfd){ .fd = streams[s].fd, .events = POLLIN };
        }
        if (in[1] >= 0)
            pfd[n++] = (struct pollfd){ .fd = in[1], .events = POLLOUT };
        if (!exited)
            pfd[n++] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
        r = poll(pfd, n, exited ? 0 : (int)MIN(left, 1000));
        if (r < 0 && errno != EINTR) {
            virReportSystemError(errno, "%s", "cannot wait for the command");
            goto kill;
        }
        if (in[1] >= 0) {
            ssize_t w = write(in[1], args->input.input_val + inDone,
                              args->input.input_len - inDone);

            if (w > 0)
                inDone += (size_t)w;
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || inDone == args->input.input_len)
                VIR_FORCE_CLOSE(in[1]);     /* done, or the command closed its stdin */
        }
        for (int s = 0; s < 2; s++) {
            if (streams[s].fd >= 0 && (!agentExecDrain(&streams[s]) || exited))
                VIR_FORCE_CLOSE(streams[s].fd);
        }
        if (!exited && virProcessWaitPid(pid, &status, WNOHANG) == pid)
            exited = true;   /* one more pass reads what it left in the pipes */
    }
    ret->exited = WIFEXITED(status);
    ret->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    ret->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    ret->out.out_len = out->len;
    ret->out.out_val = g_string_free(g_steal_pointer(&out), FALSE);
    ret->err.err_len = err->len;
    ret->err.err_val = g_string_free(g_steal_pointer(&err), FALSE);
    if (ret->exited && ret->exit_code == 127 && !ret->out.out_len)
        VIR_DEBUG("'%s' exited 127: maybe it could not be run", args->path);
    rv = 0;
    goto cleanup;

 kill:
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    virProcessWaitPid(pid, NULL, 0);
 cleanup:
    VIR_FORCE_CLOSE(pidfd);
    VIR_FORCE_CLOSE(exefd);
    VIR_FORCE_CLOSE(streams[0].fd);
    VIR_FORCE_CLOSE(streams[1].fd);
    VIR_FORCE_CLOSE(in[0]);
    VIR_FORCE_CLOSE(in[1]);
    VIR_FORCE_CLOSE(po[1]);
    VIR_FORCE_CLOSE(pe[1]);
    return rv;
}
