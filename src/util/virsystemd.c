/*
 * virsystemd.c: socket activation and readiness notification, following
 * systemd's documented environment protocol (sd_listen_fds(3),
 * sd_notify(3)); no libsystemd.
 *
 * Ownership: the array from virSystemdTakeListenFDs and its descriptors
 * belong to the caller. No state is kept here.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "virsystemd.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("util.systemd");

/* The first passed descriptor (SD_LISTEN_FDS_START). */
#define VIR_SYSTEMD_FIRST_FD 3
/* More than any unit would pass; bounds the descriptors closed on error. */
#define VIR_SYSTEMD_MAX_FDS 1024


/* A non-negative decimal number without sign, spaces or trailing text. */
static bool
virSystemdParseNumber(const char *str, unsigned long long *value)
{
    char *end;

    if (!str || !g_ascii_isdigit(*str))
        return false;
    errno = 0;
    *value = g_ascii_strtoull(str, &end, 10);
    return errno == 0 && *end == '\0';
}


static void
virSystemdUnsetListenEnv(void)
{
    g_unsetenv("LISTEN_PID");
    g_unsetenv("LISTEN_FDS");
    g_unsetenv("LISTEN_FDNAMES");
}


/* 0 when fd is a listening stream socket; -1 with an error naming it. */
static int
virSystemdCheckListenFD(int fd, const char *name)
{
    int type = 0, listening = 0;
    socklen_t len = sizeof(type);

    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
        virReportSystemError(errno, "socket activation: descriptor %d ('%s') is not a socket",
                             fd, name);
        return -1;
    }
    len = sizeof(listening);
    if (type != SOCK_STREAM ||
        getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0 || !listening) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "socket activation: descriptor %d ('%s') is not a listening stream "
                       "socket (ListenStream= in its socket unit)", fd, name);
        return -1;
    }
    return 0;
}


int
virSystemdTakeListenFDs(virSystemdListenFD **fds)
{
    g_autofree char *pidStr = g_strdup(g_getenv("LISTEN_PID"));
    g_autofree char *countStr = g_strdup(g_getenv("LISTEN_FDS"));
    g_autofree char *namesStr = g_strdup(g_getenv("LISTEN_FDNAMES"));
    g_auto(GStrv) names = NULL;
    unsigned long long pid, count = 0;
    virSystemdListenFD *ret = NULL;
    size_t i;

    *fds = NULL;
    virSystemdUnsetListenEnv();

    if (!pidStr)
        return 0;
    if (!virSystemdParseNumber(pidStr, &pid) || pid != (unsigned long long)getpid()) {
        VIR_DEBUG("LISTEN_PID=%s is not for this process (%lld)", pidStr, (long long)getpid());
        return 0;
    }
    if (!virSystemdParseNumber(countStr, &count) || count > VIR_SYSTEMD_MAX_FDS) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "socket activation: LISTEN_FDS='%s' is not a number of descriptors",
                       countStr ? countStr : "");
        return -1;
    }
    if (count == 0)
        return 0;

    if (!namesStr) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "socket activation: %llu descriptors but no LISTEN_FDNAMES; name "
                       "them (FileDescriptorName= in the socket unit, or "
                       "systemd-socket-activate --fdname=NAME:...)", count);
        goto error;
    }
    names = g_strsplit(namesStr, ":", -1);
    if (g_strv_length(names) != count) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "socket activation: LISTEN_FDS=%llu but LISTEN_FDNAMES='%s' has %u names",
                       count, namesStr, g_strv_length(names));
        goto error;
    }
    for (i = 0; i < count; i++) {
        if (virSystemdCheckListenFD(VIR_SYSTEMD_FIRST_FD + i, names[i]) < 0)
            goto error;
    }

    ret = g_new0(virSystemdListenFD, count);
    for (i = 0; i < count; i++) {
        ret[i].fd = VIR_SYSTEMD_FIRST_FD + i;
        ret[i].name = g_strdup(names[i]);
        /* Not for the children we spawn (LXC controllers). */
        if (virSetCloseExec(ret[i].fd) < 0) {
            virReportSystemError(errno, "socket activation: descriptor %d", ret[i].fd);
            virSystemdListenFDsFree(ret, count);
            return -1;
        }
        VIR_DEBUG("activation descriptor %d named '%s'", ret[i].fd, ret[i].name);
    }
    *fds = ret;
    return count;

 error:
    for (i = 0; i < count; i++) {
        int fd = VIR_SYSTEMD_FIRST_FD + i;
        VIR_FORCE_CLOSE(fd);
    }
    return -1;
}


void
virSystemdListenFDsFree(virSystemdListenFD *fds, size_t nfds)
{
    if (!fds)
        return;
    for (size_t i = 0; i < nfds; i++) {
        VIR_FORCE_CLOSE(fds[i].fd);
        g_free(fds[i].name);
    }
    g_free(fds);
}


bool
virSystemdIsService(void)
{
    const char *id = g_getenv("INVOCATION_ID");

    return id && *id;
}


int
virSystemdNotifyReady(void)
{
    static const char msg[] = "READY=1";
    const char *path = g_getenv("NOTIFY_SOCKET");
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    socklen_t addrlen;
    size_t len;
    int fd;

    if (!path || !*path)
        return 0;
    len = strlen(path);
    if ((path[0] != '/' && path[0] != '@') || len >= sizeof(addr.sun_path)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "NOTIFY_SOCKET='%s' is neither an absolute path nor an abstract name",
                       path);
        return -1;
    }
    memcpy(addr.sun_path, path, len);
    if (path[0] == '@')
        addr.sun_path[0] = '\0';
    addrlen = offsetof(struct sockaddr_un, sun_path) + len + (path[0] == '/');

    if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", "cannot create the notification socket");
        return -1;
    }
    if (sendto(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL, (struct sockaddr *)&addr, addrlen) < 0) {
        virReportSystemError(errno, "cannot notify systemd on '%s'", path);
        VIR_FORCE_CLOSE(fd);
        return -1;
    }
    VIR_FORCE_CLOSE(fd);
    return 0;
}
