/*
 * vircommand.c: a program run to its end (see vircommand.h).
 *
 * posix_spawn (safe in a threaded process: no code of ours runs between
 * fork and exec; glibc's reports a program it cannot exec), stderr read through a pipe until it closes or the time
 * limit passes, then the child reaped.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <glib.h>

#include "vircommand.h"
#include "virerror.h"
#include "virnoiolock.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_NONE

/* stderr kept for the error: enough for any tool's message */
#define VIR_COMMAND_ERR_MAX 4096

extern char **environ;

char *
virCommandArgvString(const char *const *argv)
{
    GString *out = g_string_new(NULL);
    size_t i;

    for (i = 0; argv[i]; i++) {
        const char *a = argv[i];

        if (i)
            g_string_append_c(out, ' ');
        if (*a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            "0123456789_-+=./:,@%") == strlen(a)) {
            g_string_append(out, a);
            continue;
        }
        g_string_append_c(out, '\'');
        for (; *a; a++) {
            if (*a == '\'')
                g_string_append(out, "'\\''");
            else
                g_string_append_c(out, *a);
        }
        g_string_append_c(out, '\'');
    }
    return g_string_free(out, FALSE);
}


/* Read the child's stdout (outfd, -1: none) into out, at most outMax
 * bytes (*overflow set when it wrote more), and its stderr into err, until
 * both close or deadline (monotonic microseconds) passes. false: the time
 * is up. */
static bool
virCommandReadPipes(int outfd, GString *out, size_t outMax, bool *overflow,
                    int errfd, GString *err, gint64 deadline)
{
    struct pollfd pfd[2] = {
        { .fd = errfd, .events = POLLIN },
        { .fd = outfd, .events = POLLIN },
    };

    while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        int rc;

        if (left <= 0)
            return false;
        rc = poll(pfd, 2, (int)MIN(left, G_MAXINT));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return true;
        for (size_t i = 0; i < 2; i++) {
            GString *to = i == 0 ? err : out;
            size_t max = i == 0 ? VIR_COMMAND_ERR_MAX : outMax;
            char buf[4096];
            ssize_t n;

            if (pfd[i].fd < 0 || !pfd[i].revents)
                continue;
            n = read(pfd[i].fd, buf, sizeof(buf));
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n <= 0) {
                pfd[i].fd = -1;     /* closed (or failed): poll skips it */
                continue;
            }
            if (i == 1 && to->len + (size_t)n > max)
                *overflow = true;
            if (to->len < max)
                g_string_append_len(to, buf, MIN((size_t)n, max - to->len));
        }
    }
    return true;
}


int
virCommandRunArgvOutput(const char *path, const char *const *argv, int timeoutMs,
                        int *exitStatus, size_t outMax, char **out)
{
    g_autofree char *line = virCommandArgvString(argv);
    g_autoptr(GString) err = g_string_new(NULL);
    g_autoptr(GString) output = out ? g_string_new(NULL) : NULL;
    posix_spawn_file_actions_t fa;
    int errpipe[2] = { -1, -1 };
    int outpipe[2] = { -1, -1 };
    bool overflow = false;
    gint64 deadline;
    bool inTime;
    pid_t pid;
    int status = 0, rc;

    virNoIOCheck("run a command");
    if (pipe2(errpipe, O_CLOEXEC) < 0 || (out && pipe2(outpipe, O_CLOEXEC) < 0)) {
        virReportSystemError(errno, "%s", "cannot create a pipe");
        VIR_FORCE_CLOSE(errpipe[0]);
        VIR_FORCE_CLOSE(errpipe[1]);
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (out)
        posix_spawn_file_actions_adddup2(&fa, outpipe[1], 1);
    else
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, errpipe[1], 2);
    rc = posix_spawn(&pid, path, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    VIR_FORCE_CLOSE(errpipe[1]);
    VIR_FORCE_CLOSE(outpipe[1]);
    if (rc != 0) {
        VIR_FORCE_CLOSE(errpipe[0]);
        VIR_FORCE_CLOSE(outpipe[0]);
        virReportSystemError(rc, "Cannot run %s", line);
        return -1;
    }
    deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;
    inTime = virCommandReadPipes(outpipe[0], output, outMax, &overflow, errpipe[0], err,
                                 deadline);
    VIR_FORCE_CLOSE(errpipe[0]);
    VIR_FORCE_CLOSE(outpipe[0]);
    if (!inTime)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!inTime) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Child process (%s) did not end within %d ms",
                       line, timeoutMs);
        return -1;
    }
    if (overflow) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Child process (%s) wrote more than %zu bytes",
                       line, outMax);
        return -1;
    }
    if (WIFEXITED(status) && (exitStatus || WEXITSTATUS(status) == 0)) {
        if (exitStatus)
            *exitStatus = WEXITSTATUS(status);
        if (out)
            *out = g_string_free(g_steal_pointer(&output), FALSE);
        return 0;
    }
    if (WIFEXITED(status))
        virReportError(VIR_ERR_INTERNAL_ERROR, "Child process (%s) unexpected exit status %d%s%s",
                       line, WEXITSTATUS(status), err->len ? ": " : "", err->str);
    else
        virReportError(VIR_ERR_INTERNAL_ERROR, "Child process (%s) unexpected fatal signal %d%s%s",
                       line, WTERMSIG(status), err->len ? ": " : "", err->str);
    return -1;
}


int
virCommandRunArgv(const char *path, const char *const *argv, int timeoutMs, int *exitStatus)
{
    return virCommandRunArgvOutput(path, argv, timeoutMs, exitStatus, 0, NULL);
}
