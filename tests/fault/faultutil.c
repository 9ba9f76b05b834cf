/*
 * faultutil.c: the fault tests' daemon and raw client (faultutil.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <glib.h>

#include "faultutil.h"
#include "testutils.h"
#include "virnetmessage.h"
#include "remote_protocol.h"

static int
faultCompareDouble(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}


double
faultPercentile(double *v, size_t n, double pct)
{
    size_t i;

    if (!n)
        return 0;
    qsort(v, n, sizeof(*v), faultCompareDouble);
    i = (size_t)(pct / 100.0 * (double)(n - 1) + 0.5);
    return v[MIN(i, n - 1)];
}


int
faultRunCases(int argc, char **argv, const faultCase *cases, size_t ncases)
{
    const char *only = argc > 1 ? argv[1] : NULL;

    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < ncases; i++) {
        if (only && !g_str_has_prefix(cases[i].name, only))
            continue;
        virTestRun(cases[i].name, cases[i].fn, NULL);
    }
    return virTestResult();
}


uint64_t
faultNowUs(void)
{
    return (uint64_t)g_get_monotonic_time();
}


bool
faultHaveRootAndNamespaces(void)
{
    return geteuid() == 0 && system("unshare -pfmiu true >/dev/null 2>&1") == 0;
}


static void
faultChildSetup(gpointer data)
{
    int nofile = GPOINTER_TO_INT(data);

    if (nofile > 0) {
        struct rlimit rl = { nofile, nofile };
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}


faultDaemon *
faultDaemonStart(const faultDaemonOpts *opts)
{
    const char *build = g_getenv("VIRTNET_TEST_BUILDDIR");
    g_autofree char *bin = g_build_filename(build ? build : ".", "daemon", "virtnetd", NULL);
    g_autofree char *shim = g_build_filename(build ? build : ".", "tests", "fault", "vnfault.so", NULL);
    g_autofree char *ctrl = g_build_filename(build ? build : ".", "src", "drivers", "lxc",
                                             "virtnet_lxc", NULL);
    g_autofree char *conf = NULL, *confText = NULL, *runDir = NULL;
    g_autofree char *lxcState = NULL, *lxcConfig = NULL;
    g_auto(GStrv) envp = g_get_environ();
    g_autoptr(GError) gerr = NULL;
    faultDaemon *d = g_new0(faultDaemon, 1);
    const char *argv[] = { bin, "-f", NULL, "-p", NULL, NULL };
    g_autofree char *pidfile = NULL;
    int errfd = -1, outfd = -1;
    GPid pid;
    uint64_t deadline;
    size_t i;

    d->pid = -1;
    d->dir = opts && opts->dir ? g_strdup(opts->dir)
                               : g_build_filename(virTestTempDir(), "daemonXXXXXX", NULL);
    if (!(opts && opts->dir) && !g_mkdtemp(d->dir)) {
        fprintf(stderr, "cannot make %s\n", d->dir);
        faultDaemonFree(d);
        return NULL;
    }
    d->sock = g_build_filename(d->dir, "run", "libvirt-sock", NULL);
    d->log = g_build_filename(d->dir, "daemon.log", NULL);
    conf = g_build_filename(d->dir, "virtnetd.conf", NULL);
    pidfile = g_build_filename(d->dir, "virtnetd.pid", NULL);
    confText = g_strdup_printf("unix_sock_dir = \"%s/run\"\n%s\n", d->dir,
                               opts && opts->extraConf ? opts->extraConf : "");
    runDir = g_build_filename(d->dir, "run", NULL);
    g_mkdir_with_parents(runDir, 0700);
    if (!g_file_set_contents(conf, confText, -1, NULL)) {
        faultDaemonFree(d);
        return NULL;
    }
    argv[2] = conf;
    argv[4] = pidfile;

    lxcState = g_build_filename(d->dir, "run", "lxc", NULL);
    lxcConfig = g_build_filename(d->dir, "etc", "lxc", NULL);
    envp = g_environ_setenv(envp, "VIRTNET_LXC_STATE_DIR", lxcState, TRUE);
    envp = g_environ_setenv(envp, "VIRTNET_LXC_CONFIG_DIR", lxcConfig, TRUE);
    envp = g_environ_setenv(envp, "VIRTNET_LXC_CONTROLLER", ctrl, TRUE);
    if (opts && opts->shim) {
        /* the shim comes before the sanitizer's runtime: allowed, as it
         * forwards allocations to it (vnfault.c) */
        const char *asan = g_environ_getenv(envp, "ASAN_OPTIONS");
        g_autofree char *asanOpts = g_strdup_printf("%s%sverify_asan_link_order=0",
                                                    asan ? asan : "", asan ? ":" : "");

        envp = g_environ_setenv(envp, "LD_PRELOAD", shim, TRUE);
        envp = g_environ_setenv(envp, "ASAN_OPTIONS", asanOpts, TRUE);
    }
    for (i = 0; opts && opts->env && opts->env[i]; i++) {
        g_auto(GStrv) kv = g_strsplit(opts->env[i], "=", 2);
        envp = g_environ_setenv(envp, kv[0], kv[1] ? kv[1] : "", TRUE);
    }

    if (!g_spawn_async_with_pipes(NULL, (char **)argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                  faultChildSetup, GINT_TO_POINTER(opts ? opts->nofile : 0),
                                  &pid, NULL, &outfd, &errfd, &gerr)) {
        fprintf(stderr, "cannot start %s: %s\n", bin, gerr->message);
        faultDaemonFree(d);
        return NULL;
    }
    d->pid = pid;
    /* stdout: "ready"; stderr to the log, by a cat of our own so that the
     * daemon never blocks on a full pipe */
    {
        g_autofree char *cmd = g_strdup_printf("cat >> '%s'", d->log);
        pid_t cat = fork();

        if (cat == 0) {
            dup2(errfd, 0);
            execl("/bin/sh", "sh", "-c", cmd, NULL);
            _exit(127);
        }
        close(errfd);
    }
    deadline = faultNowUs() + 30 * G_USEC_PER_SEC;
    {
        GString *out = g_string_new(NULL);
        bool ready = false;

        while (!ready && faultNowUs() < deadline) {
            struct pollfd pfd = { outfd, POLLIN, 0 };
            char buf[512];
            ssize_t n;

            if (poll(&pfd, 1, 200) <= 0)
                continue;
            if ((n = read(outfd, buf, sizeof(buf))) <= 0)
                break;
            g_string_append_len(out, buf, n);
            ready = strstr(out->str, "virtnetd: ready") != NULL;
        }
        g_string_free(out, TRUE);
        if (!ready) {
            fprintf(stderr, "virtnetd did not get ready (log %s)\n", d->log);
            close(outfd);
            faultDaemonStop(d, SIGKILL);
            faultDaemonFree(d);
            return NULL;
        }
    }
    /* keep draining stdout in a child too */
    if (fork() == 0) {
        char buf[512];
        while (read(outfd, buf, sizeof(buf)) > 0)
            ;
        _exit(0);
    }
    close(outfd);
    return d;
}


int
faultDaemonStop(faultDaemon *d, int sig)
{
    uint64_t deadline = faultNowUs() + 30 * G_USEC_PER_SEC;
    int status = 0;

    if (!d || d->pid <= 0)
        return -1;
    kill(d->pid, sig);
    while (faultNowUs() < deadline) {
        pid_t r = waitpid(d->pid, &status, WNOHANG);

        if (r == d->pid) {
            d->pid = -1;
            return status;
        }
        g_usleep(10000);
    }
    kill(d->pid, SIGKILL);
    waitpid(d->pid, &status, 0);
    d->pid = -1;
    return -1;
}


void
faultDaemonFree(faultDaemon *d)
{
    if (!d)
        return;
    if (d->pid > 0)
        faultDaemonStop(d, SIGKILL);
    g_free(d->dir);
    g_free(d->sock);
    g_free(d->log);
    g_free(d);
}


unsigned long long
faultProcCPUTicks(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *text = NULL;
    g_auto(GStrv) f = NULL;
    const char *p;

    g_file_get_contents(path, &text, NULL, NULL);
    if (!text || !(p = strrchr(text, ')')))
        return 0;
    f = g_strsplit(p + 2, " ", 0);
    if (g_strv_length(f) < 15)
        return 0;
    return g_ascii_strtoull(f[11], NULL, 10) + g_ascii_strtoull(f[12], NULL, 10);
}


long
faultProcRSSKiB(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_autofree char *text = NULL;
    const char *l;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !(l = strstr(text, "VmRSS:")))
        return -1;
    return strtol(l + 6, NULL, 10);
}


int
faultProcFDs(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/fd", (int)pid);
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    int n = 0;

    while (dir && g_dir_read_name(dir))
        n++;
    return dir ? n : -1;
}


faultClient *
faultClientConnect(const char *sock)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    faultClient *c;
    int fd;

    if (strlen(sock) >= sizeof(sa.sun_path))
        return NULL;
    strcpy(sa.sun_path, sock);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return NULL;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        return NULL;
    }
    c = g_new0(faultClient, 1);
    c->fd = fd;
    return c;
}


void
faultClientFree(faultClient *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    g_free(c);
}


/* Send (write) or receive all of buf before deadline (monotonic us). */
static int
faultTransferAll(int fd, char *buf, size_t len, bool write, uint64_t deadline)
{
    while (len) {
        struct pollfd pfd = { fd, write ? POLLOUT : POLLIN, 0 };
        int64_t left = ((int64_t)deadline - (int64_t)faultNowUs()) / 1000;
        ssize_t n;

        if (left <= 0)
            return -1;
        if (poll(&pfd, 1, (int)left) <= 0)
            continue;
        n = write ? send(fd, buf, len, MSG_NOSIGNAL) : read(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= n;
    }
    return 0;
}


/* Encode and send one call: the payload from filter/args, or raw bytes
 * when filter is NULL. */
static unsigned int
faultClientSendMsg(faultClient *c, unsigned int prog, unsigned int vers, int proc,
                   xdrproc_t argsFilter, void *args, const void *raw, size_t rawLen)
{
    virNetMessage *msg = virNetMessageNew(false);
    unsigned int serial = ++c->serial;
    int rc;

    msg->header.prog = prog;
    msg->header.vers = vers;
    msg->header.proc = proc;
    msg->header.type = VIR_NET_CALL;
    msg->header.serial = serial;
    msg->header.status = VIR_NET_OK;
    rc = virNetMessageEncodeHeader(msg);
    if (rc == 0)
        rc = argsFilter ? virNetMessageEncodePayload(msg, argsFilter, args) :
             rawLen ? virNetMessageEncodePayloadRaw(msg, raw, rawLen) :
                      virNetMessageEncodePayloadEmpty(msg);
    if (rc == 0)
        rc = faultTransferAll(c->fd, msg->buffer, msg->bufferLength, true,
                              faultNowUs() + 60 * G_USEC_PER_SEC);
    virNetMessageFree(msg);
    return rc == 0 ? serial : 0;
}


unsigned int
faultClientSend(faultClient *c, int proc, xdrproc_t argsFilter, void *args)
{
    return faultClientSendMsg(c, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc,
                              argsFilter, args, NULL, 0);
}


unsigned int
faultClientSendRaw(faultClient *c, unsigned int prog, unsigned int vers, int proc,
                   const void *payload, size_t len)
{
    return faultClientSendMsg(c, prog, vers, proc, NULL, NULL, payload, len);
}


int
faultClientRecv(faultClient *c, unsigned int serial, xdrproc_t retFilter, void *ret,
                int timeout_ms, char **err)
{
    uint64_t deadline = faultNowUs() + (uint64_t)timeout_ms * 1000;

    for (;;) {
        virNetMessage *msg = virNetMessageNew(false);
        int rc = -1;

        msg->buffer = g_malloc(4);
        msg->bufferLength = 4;
        if (faultTransferAll(c->fd, msg->buffer, 4, false, deadline) < 0 ||
            virNetMessageDecodeLength(msg) < 0 ||
            faultTransferAll(c->fd, msg->buffer + 4, msg->bufferLength - 4, false, deadline) < 0 ||
            virNetMessageDecodeHeader(msg) < 0) {
            virNetMessageFree(msg);
            return -1;
        }
        if (msg->header.type == VIR_NET_MESSAGE) {
            c->events++;
            virNetMessageFree(msg);
            continue;
        }
        if (msg->header.serial != serial) {
            fprintf(stderr, "reply to serial %u while waiting for %u\n",
                    msg->header.serial, serial);
            virNetMessageFree(msg);
            return -1;
        }
        if (msg->header.status == VIR_NET_OK) {
            rc = retFilter ? virNetMessageDecodePayload(msg, retFilter, ret) : 0;
        } else {
            virNetMessageError rerr = { 0 };

            if (virNetMessageDecodePayload(msg, (xdrproc_t)xdr_virNetMessageError, &rerr) == 0 &&
                err)
                *err = g_strdup(rerr.message ? *rerr.message : "");
            xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&rerr);
            rc = 1;
        }
        virNetMessageFree(msg);
        return rc;
    }
}


int
faultClientCallProgram(faultClient *c, unsigned int prog, unsigned int vers, int proc,
                       xdrproc_t argsFilter, void *args, char **err)
{
    unsigned int serial = faultClientSendMsg(c, prog, vers, proc, argsFilter, args, NULL, 0);

    if (!serial)
        return -1;
    return faultClientRecv(c, serial, NULL, NULL, 60000, err);
}


int
faultClientCall(faultClient *c, int proc, xdrproc_t argsFilter, void *args,
                xdrproc_t retFilter, void *ret, char **err)
{
    unsigned int serial = faultClientSend(c, proc, argsFilter, args);

    if (!serial)
        return -1;
    return faultClientRecv(c, serial, retFilter, ret, 60000, err);
}


int
faultClientOpen(faultClient *c, const char *uri)
{
    remote_connect_open_args args = { 0 };
    char *u = (char *)uri;
    g_autofree char *err = NULL;

    args.uri = &u;
    if (faultClientCall(c, REMOTE_PROC_CONNECT_OPEN, (xdrproc_t)xdr_remote_connect_open_args,
                        &args, NULL, NULL, &err) != 0) {
        fprintf(stderr, "connectOpen(%s): %s\n", uri, err ? err : "connection failed");
        return -1;
    }
    return 0;
}
