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


/* Read the child's stderr into err until it closes or deadline (monotonic
 * microseconds) passes. false: the time is up. */
static bool
virCommandReadErr(int fd, GString *err, gint64 deadline)
{
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        char buf[512];
        ssize_t n;
        int rc;

        if (left <= 0)
            return false;
        rc = poll(&pfd, 1, (int)MIN(left, G_MAXINT));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return true;
        if (rc == 0)
            continue;
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return true;
        if (err->len < VIR_COMMAND_ERR_MAX)
            g_string_append_len(err, buf, MIN((size_t)n, VIR_COMMAND_ERR_MAX - err->len));
    }
}


int
virCommandRunArgv(const char *path, const char *const *argv, int timeoutMs, int *exitStatus)
{
    g_autofree char *line = virCommandArgvString(argv);
    g_autoptr(GString) err = g_string_new(NULL);
    posix_spawn_file_actions_t fa;
    int pipefd[2] = { -1, -1 };
    gint64 deadline;
    bool inTime;
    pid_t pid;
    int status = 0, rc;

    virNoIOCheck("run a command");
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        virReportSystemError(errno, "%s", "cannot create a pipe");
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
    rc = posix_spawn(&pid, path, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        virReportSystemError(rc, "Cannot run %s", line);
        return -1;
    }
    deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;
    inTime = virCommandReadErr(pipefd[0], err, deadline);
    close(pipefd[0]);
    if (!inTime)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!inTime) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Child process (%s) did not end within %d ms",
                       line, timeoutMs);
        return -1;
    }
    if (WIFEXITED(status) && exitStatus) {
        *exitStatus = WEXITSTATUS(status);
        return 0;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFEXITED(status))
        virReportError(VIR_ERR_INTERNAL_ERROR, "Child process (%s) unexpected exit status %d%s%s",
                       line, WEXITSTATUS(status), err->len ? ": " : "", err->str);
    else
        virReportError(VIR_ERR_INTERNAL_ERROR, "Child process (%s) unexpected fatal signal %d%s%s",
                       line, WTERMSIG(status), err->len ? ": " : "", err->str);
    return -1;
}
