/*
 * test-util-systemd.c: socket activation (LISTEN_* variables, descriptors
 * from 3) and readiness notification (NOTIFY_SOCKET) of virsystemd.
 *
 * The descriptors are placed at 3, 4, ... as systemd would: this process
 * opens nothing else there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <glib.h>

#include "testutils.h"
#include "virsystemd.h"
#include "virerror.h"
#include "virutil.h"

/* A socket at descriptor target: a listening UNIX stream socket, or with
 * listening false one end of a socket pair. */
static int
testPlaceSocket(int target, bool listening)
{
    int fd;

    if (listening) {
        struct sockaddr_un addr = { .sun_family = AF_UNIX };
        g_autofree char *path = g_strdup_printf("%s/s%d", virTestTempDir(), target);

        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        unlink(path);
        g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
        if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 5) < 0)
            return -1;
    } else {
        int sv[2];

        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
            return -1;
        fd = sv[0];
        close(sv[1]);
    }
    if (fd != target) {
        if (dup2(fd, target) < 0)
            return -1;
        close(fd);
    }
    return 0;
}

static bool
testFDOpen(int fd)
{
    return fcntl(fd, F_GETFD) >= 0;
}

static void
testSetEnv(const char *pid, const char *fds, const char *names)
{
    g_autofree char *self = g_strdup_printf("%lld", (long long)getpid());

    g_setenv("LISTEN_PID", pid ? pid : self, TRUE);
    if (fds)
        g_setenv("LISTEN_FDS", fds, TRUE);
    else
        g_unsetenv("LISTEN_FDS");
    if (names)
        g_setenv("LISTEN_FDNAMES", names, TRUE);
    else
        g_unsetenv("LISTEN_FDNAMES");
}

static bool
testEnvCleared(void)
{
    return !g_getenv("LISTEN_PID") && !g_getenv("LISTEN_FDS") && !g_getenv("LISTEN_FDNAMES");
}

static int
testNamed(const void *data)
{
    virSystemdListenFD *fds = NULL;
    int n;

    for (int i = 0; i < 3; i++)
        VIR_TEST_ASSERT_INT(testPlaceSocket(3 + i, true), 0);
    testSetEnv(NULL, "3", "virtnetd.socket:virtnetd-ro.socket:virtnetd-admin.socket");
    n = virSystemdTakeListenFDs(&fds);
    VIR_TEST_ASSERT_INT(n, 3);
    VIR_TEST_ASSERT(testEnvCleared());
    VIR_TEST_ASSERT_STR(fds[0].name, "virtnetd.socket");
    VIR_TEST_ASSERT_STR(fds[1].name, "virtnetd-ro.socket");
    VIR_TEST_ASSERT_STR(fds[2].name, "virtnetd-admin.socket");
    for (int i = 0; i < 3; i++) {
        VIR_TEST_ASSERT_INT(fds[i].fd, 3 + i);
        VIR_TEST_ASSERT(fcntl(fds[i].fd, F_GETFD) & FD_CLOEXEC);
    }
    virSystemdListenFDsFree(fds, n);
    for (int i = 0; i < 3; i++)
        VIR_TEST_ASSERT(!testFDOpen(3 + i));
    return 0;
}

static int
testNotForUs(const void *data)
{
    virSystemdListenFD *fds = NULL;

    /* Nothing passed. */
    g_unsetenv("LISTEN_PID");
    VIR_TEST_ASSERT_INT(virSystemdTakeListenFDs(&fds), 0);
    VIR_TEST_ASSERT(!fds);

    /* Another process's variables (inherited): ignored, removed, and the
     * descriptor at 3 is left alone. */
    VIR_TEST_ASSERT_INT(testPlaceSocket(3, true), 0);
    testSetEnv("1", "1", "virtnetd.socket");
    VIR_TEST_ASSERT_INT(virSystemdTakeListenFDs(&fds), 0);
    VIR_TEST_ASSERT(!fds);
    VIR_TEST_ASSERT(testEnvCleared());
    VIR_TEST_ASSERT(testFDOpen(3));
    close(3);

    testSetEnv(NULL, "0", "");
    VIR_TEST_ASSERT_INT(virSystemdTakeListenFDs(&fds), 0);
    return 0;
}

typedef struct {
    const char *fds;
    const char *names;
    bool listening;     /* what sits at descriptor 4 */
    const char *error;
} testBadCase;

static int
testBad(const void *data)
{
    const testBadCase *c = data;
    virSystemdListenFD *fds = NULL;

    VIR_TEST_ASSERT_INT(testPlaceSocket(3, true), 0);
    VIR_TEST_ASSERT_INT(testPlaceSocket(4, c->listening), 0);
    testSetEnv(NULL, c->fds, c->names);
    virResetLastError();
    VIR_TEST_ASSERT_INT(virSystemdTakeListenFDs(&fds), -1);
    VIR_TEST_ASSERT(!fds);
    VIR_TEST_ASSERT(testEnvCleared());
    if (!strstr(virGetLastErrorMessage(), c->error))
        VIR_TEST_FAIL("error '%s' lacks '%s'", virGetLastErrorMessage(), c->error);
    if (g_ascii_isdigit(c->fds ? *c->fds : 'x') && c->fds[1] == '\0') {
        /* A valid count: the passed descriptors were closed. */
        VIR_TEST_ASSERT(!testFDOpen(3));
        VIR_TEST_ASSERT(!testFDOpen(4));
    }
    close(3);
    close(4);
    virResetLastError();
    return 0;
}

static int
testNotifyAt(const char *env, struct sockaddr_un *addr, socklen_t addrlen)
{
    char buf[64] = "";
    ssize_t n;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    VIR_TEST_ASSERT(fd >= 0);
    VIR_TEST_ASSERT_INT(bind(fd, (struct sockaddr *)addr, addrlen), 0);
    g_setenv("NOTIFY_SOCKET", env, TRUE);
    VIR_TEST_ASSERT_INT(virSystemdNotifyReady(), 0);
    n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
    close(fd);
    VIR_TEST_ASSERT_INT(n, 7);
    VIR_TEST_ASSERT_STR(buf, "READY=1");
    return 0;
}

static int
testNotify(const void *data)
{
    g_autofree char *path = g_build_filename(virTestTempDir(), "notify", NULL);
    g_autofree char *abstract = g_strdup_printf("@virtnet-test-notify-%lld", (long long)getpid());
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    socklen_t len;

    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    if (testNotifyAt(path, &addr, sizeof(addr)) < 0)
        return -1;

    memset(addr.sun_path, 0, sizeof(addr.sun_path));
    memcpy(addr.sun_path + 1, abstract + 1, strlen(abstract) - 1);
    len = offsetof(struct sockaddr_un, sun_path) + strlen(abstract);
    if (testNotifyAt(abstract, &addr, len) < 0)
        return -1;

    g_unsetenv("NOTIFY_SOCKET");
    VIR_TEST_ASSERT_INT(virSystemdNotifyReady(), 0);
    g_setenv("NOTIFY_SOCKET", "relative/path", TRUE);
    VIR_TEST_ASSERT_INT(virSystemdNotifyReady(), -1);
    g_setenv("NOTIFY_SOCKET", "/nonexistent/notify", TRUE);
    VIR_TEST_ASSERT_INT(virSystemdNotifyReady(), -1);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "/nonexistent/notify"));
    g_unsetenv("NOTIFY_SOCKET");
    virResetLastError();
    return 0;
}

static int
testIsService(const void *data)
{
    g_unsetenv("INVOCATION_ID");
    VIR_TEST_ASSERT(!virSystemdIsService());
    g_setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef", TRUE);
    VIR_TEST_ASSERT(virSystemdIsService());
    g_unsetenv("INVOCATION_ID");
    return 0;
}

int
main(void)
{
    static const testBadCase bad[] = {
        { "2", NULL, true, "no LISTEN_FDNAMES" },
        { "2", "virtnetd.socket", true, "has 1 names" },
        { "2", "a:b:c", true, "has 3 names" },
        { "2", "virtnetd.socket:virtnetd-ro.socket", false, "not a listening stream socket" },
        { "two", "a:b", true, "LISTEN_FDS='two'" },
        { NULL, "a:b", true, "LISTEN_FDS=''" },
        { "-2", "a:b", true, "LISTEN_FDS='-2'" },
    };

    virTestRun("named descriptors", testNamed, NULL);
    virTestRun("variables for another process", testNotForUs, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *name = g_strdup_printf("refused: LISTEN_FDS=%s LISTEN_FDNAMES=%s%s",
                                                bad[i].fds ? bad[i].fds : "(unset)",
                                                bad[i].names ? bad[i].names : "(unset)",
                                                bad[i].listening ? "" : ", a connected socket");
        virTestRun(name, testBad, &bad[i]);
    }
    virTestRun("readiness notification", testNotify, NULL);
    virTestRun("run as a systemd service", testIsService, NULL);
    return virTestResult();
}
