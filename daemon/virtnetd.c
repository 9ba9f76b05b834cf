/*
 * virtnetd: the virtualization-management daemon. It serves libvirt's
 * remote program on libvirt-sock / libvirt-sock-ro (and TCP with -l), so
 * libvirt's own clients manage it, on a server called "libvirtd", with
 * the lxc program beside it (libvirt-lxc's calls, on the same clients); and the
 * admin program on libvirt-admin-sock, on a server called "admin", so
 * virt-admin manages the daemon itself (libvirtd's names and sockets).
 * Started by systemd it takes its listening sockets from the socket units
 * instead (virtnetdListeners) and reports readiness (Type=notify).
 *
 * Threads: the main thread runs the event loop (accepting, client I/O,
 * inline calls, signals via signalfd, timers); workers run blocking calls.
 * Shutdown: SIGTERM/SIGINT quit the loop; long jobs (virjob.h) are asked
 * to stop, calls in flight then finish and their replies are sent before
 * the process exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <grp.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "virtnetdconfig.h"
#include "remote.h"
#include "lxc_protocol_server.h"
#include "remotestream.h"
#include "admin.h"
#include "admindispatch.h"
#include "virsystemd.h"
#include "virnetserver.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"
#include "virjob.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.virtnetd");

/* LeakSanitizer (builds with --enable-sanitizers): cyrus-sasl 2.1.28's
 * DIGEST-MD5 plugin never frees the cipher it fetches when a layer starts
 * (see tests/test-rpc-sasl.c). Only leaks whose allocation stack passes
 * through libsasl2 or one of its plugins are suppressed; seeing the plugin
 * frame below libcrypto needs the exact unwinder, which the SASL tests ask
 * for with ASAN_OPTIONS=fast_unwind_on_malloc=0 (not set here: it would
 * slow every allocation of the daemon). Unused without sanitizers. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:libsasl2.so\n"
           "leak:/sasl2/lib\n";
}

typedef struct {
    virtnetdConfig *cfg;
    char *configFile;          /* file in use, for SIGHUP; NULL: built-in defaults */
    virEventLoop *loop;
    virNetServer *srv;         /* "libvirtd": the remote program */
    virNetServer *adminSrv;    /* "admin": the admin program */
    virAdmDaemon *admin;       /* what the admin program manages */
    int sigfd;
    gint timeout;              /* exit after this many idle seconds; 0: never (-t, or
                                * virt-admin daemon-timeout from a worker: atomic) */
    int idleTimeout;           /* the timeout idleSince was counted for (loop thread) */
    bool listen;               /* -l: TCP / TLS as configured */
    bool needsSASL;            /* a service uses SASL */
    uint64_t idleSince;        /* monotonic ms when the last client left (loop thread) */
    bool verbose;
    virNetServerService *tlsService;   /* with -l and listen_tls; borrowed from srv */
    /* Logging without a config setting: from the environment (VIRTNET_LOG_*)
     * or the defaults. A key removed from the file on SIGHUP returns to these. */
    char *baseFilters;
    char *baseOutputs;         /* NULL: the default output (stderr) */
    char *outputs;             /* outputs in effect; NULL: the default */
} virtnetdState;


static void
virtnetdUsage(FILE *out, const char *argv0)
{
    fprintf(out,
            "Usage: %s [OPTIONS]\n"
            "\n"
            "Virtualization management daemon, speaking libvirt's remote protocol.\n"
            "\n"
            "  -f, --config FILE     configuration file (libvirtd.conf syntax and keys)\n"
            "  -p, --pid-file FILE   pid file (default: <unix_sock_dir>/virtnetd.pid)\n"
            "  -l, --listen          also listen on TCP (listen_tcp) and TLS (listen_tls) as configured\n"
            "  -d, --daemon          run in the background\n"
            "  -t, --timeout SECS    exit after SECS seconds without clients (when run by\n"
            "                        systemd: only when socket-activated)\n"
            "  -v, --verbose         log debug messages to stderr\n"
            "  -V, --version         print the version and exit\n"
            "  -h, --help            this help\n"
            "\n"
            "Without -f, the configuration is read from %s if it exists;\n"
            "otherwise the embedded defaults apply: the test driver, and UNIX sockets\n"
            "libvirt-sock and libvirt-sock-ro in a run directory the user can write\n"
            "($XDG_RUNTIME_DIR/virtnet, or /tmp/virtnet-UID; " VIRTNET_RUNSTATEDIR "/virtnet as root).\n"
            "Connect with e.g.  virsh -c 'test+unix:///default?socket=DIR/libvirt-sock'\n"
            "Socket-activated (LISTEN_FDS), it serves the sockets systemd passes instead.\n"
            "See virtnetd(8) and virtnetd.conf(5).\n",
            argv0, geteuid() == 0 ? VIRTNET_SYSCONFDIR "/virtnet/virtnetd.conf"
                                  : "$XDG_CONFIG_HOME/virtnet/virtnetd.conf");
}


static char *
virtnetdDefaultConfigFile(bool privileged)
{
    if (privileged)
        return g_strdup(VIRTNET_SYSCONFDIR "/virtnet/virtnetd.conf");
    return g_build_filename(g_get_user_config_dir(), "virtnet", "virtnetd.conf", NULL);
}


/* A path given on the command line, made absolute: with -d the daemon
 * changes to /, and SIGHUP reopens the config file later. */
static char *
virtnetdAbsPath(const char *path)
{
    return g_canonicalize_filename(path, NULL);
}


/* Apply cfg's log settings, all or nothing: on failure the running ones
 * stay and the error names the key. Settings the file does not set return
 * to the base ones (environment or defaults). */
static int
virtnetdApplyLogging(virtnetdState *st, virtnetdConfig *cfg)
{
    const char *filters = cfg->log_filters ? cfg->log_filters : st->baseFilters;
    const char *outputs = cfg->log_outputs ? cfg->log_outputs : st->baseOutputs;
    g_autofree char *oldFilters = virLogGetFilters();
    g_autofree char *msg = NULL;
    const char *key;

    if (virLogSetOutputs(outputs) < 0) {
        key = "log_outputs";
        goto error;
    }
    if (virLogSetFilters(filters) < 0) {
        key = "log_filters";
        msg = g_strdup(virGetLastErrorMessage());
        (void)virLogSetOutputs(st->outputs);
        goto error;
    }
    if (virLogSetDefaultPriority(st->verbose ? VIR_LOG_DEBUG : (int)cfg->log_level) < 0) {
        key = "log_level";
        msg = g_strdup(virGetLastErrorMessage());
        (void)virLogSetOutputs(st->outputs);
        (void)virLogSetFilters(oldFilters);
        goto error;
    }
    g_free(st->outputs);
    st->outputs = g_strdup(outputs);
    return 0;

 error:
    if (!msg)
        msg = g_strdup(virGetLastErrorMessage());
    virReportError(VIR_ERR_CONF_SYNTAX, "%s: setting '%s': %s",
                   st->configFile ? st->configFile : "embedded defaults", key, msg);
    return -1;
}


/* Take the pid file's lock; -1 with a clear message when another daemon
 * holds it. The fd stays open (and locked) for the daemon's lifetime. */
static int
virtnetdAcquirePidFile(const char *path)
{
    struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    g_autofree char *pid = NULL;
    int fd;

    if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
        virReportSystemError(errno, "cannot open pid file '%s'", path);
        return -1;
    }
    if (fcntl(fd, F_SETLK, &lk) < 0) {
        int err = errno;
        char buf[32] = "";
        ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

        if (n > 0)
            buf[n] = '\0';
        g_strstrip(buf);
        close(fd);
        if (err == EAGAIN || err == EACCES)
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "another virtnetd (pid %s) is already running with pid file '%s'; "
                           "stop it or use another unix_sock_dir / --pid-file",
                           *buf ? buf : "?", path);
        else
            virReportSystemError(err, "cannot lock pid file '%s'", path);
        return -1;
    }
    pid = g_strdup_printf("%lld\n", (long long)getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid)) {
        virReportSystemError(errno, "cannot write pid file '%s'", path);
        close(fd);
        return -1;
    }
    return fd;
}


/* Fork into the background. Returns in the daemon with *statusfd set to a
 * pipe the daemon writes one byte to (0 ready, 1 failed); the original
 * process waits for that byte and exits with it. */
static int
virtnetdDaemonize(int *statusfd)
{
    int p[2];
    pid_t pid;

    if (pipe2(p, O_CLOEXEC) < 0) {
        virReportSystemError(errno, "%s", "cannot create pipe");
        return -1;
    }
    if ((pid = fork()) < 0) {
        virReportSystemError(errno, "%s", "cannot fork");
        return -1;
    }
    if (pid > 0) {
        char status = 1;
        int wstatus;

        close(p[1]);
        if (read(p[0], &status, 1) != 1)
            status = 1;
        waitpid(pid, &wstatus, 0);
        _exit(status);
    }
    close(p[0]);
    if (setsid() < 0)
        _exit(1);
    if ((pid = fork()) < 0)
        _exit(1);
    if (pid > 0)
        _exit(0);   /* the intermediate child; the daemon is its child */
    if (chdir("/") < 0)
        _exit(1);
    {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            /* stderr stays until ready, so start-up errors are seen. */
            if (null > STDERR_FILENO)
                close(null);
        }
    }
    *statusfd = p[1];
    return 0;
}


static void
virtnetdReportStatus(int *statusfd, char status)
{
    if (*statusfd < 0)
        return;
    if (write(*statusfd, &status, 1) != 1)
        VIR_DEBUG("cannot report start-up status");
    close(*statusfd);
    *statusfd = -1;
    if (status == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDERR_FILENO);
            close(null);
        }
    }
}


/* The TLS server context from cfg's key_file, cert_file, ca_file,
 * crl_file (optional), tls_allowed_dn_list, tls_priority and the two
 * tls_no_*_certificate switches. */
static virNetTLSContext *
virtnetdNewTLSContext(virtnetdConfig *cfg)
{
    return virNetTLSContextNewServer(cfg->ca_file, cfg->crl_file, cfg->cert_file, cfg->key_file,
                                     (const char *const *)cfg->tls_allowed_dn_list,
                                     cfg->tls_priority, !cfg->tls_no_sanity_certificate,
                                     !cfg->tls_no_verify_certificate);
}


/* SIGHUP: certificates, CRL and TLS settings are read again; new
 * connections use them, connected clients keep the session they have. */
static void
virtnetdReloadTLS(virtnetdState *st, virtnetdConfig *cfg)
{
    virNetTLSContext *ctxt;

    if (!st->tlsService)
        return;
    if (!(ctxt = virtnetdNewTLSContext(cfg))) {
        VIR_ERROR("TLS certificates not reloaded, keeping the running ones: %s",
                  virGetLastErrorMessage());
        virResetLastError();
        return;
    }
    virNetServerServiceSetTLSContext(st->tlsService, ctxt);
    virNetTLSContextUnref(ctxt);
    VIR_INFO("TLS certificates and CRL reloaded (%s, %s); new connections use them",
             cfg->cert_file, cfg->ca_file);
}


static void
virtnetdReload(virtnetdState *st)
{
    virtnetdConfig *fresh;

    VIR_INFO("SIGHUP: reloading configuration");
    if (!st->configFile) {
        VIR_INFO("no configuration file in use; nothing to reload but certificates");
        virtnetdReloadTLS(st, st->cfg);
        return;
    }
    fresh = virtnetdConfigNew(st->cfg->privileged);
    if (virtnetdConfigLoadFile(fresh, st->configFile) < 0) {
        VIR_ERROR("reload of '%s' failed, keeping the running configuration: %s",
                  st->configFile, virGetLastErrorMessage());
        virResetLastError();
        virtnetdConfigFree(fresh);
        return;
    }
    /* Logging reloads in place; sockets and limits need a restart. */
    if (virtnetdApplyLogging(st, fresh) < 0) {
        VIR_ERROR("new log settings refused, keeping the running ones: %s",
                  virGetLastErrorMessage());
        virResetLastError();
        virtnetdConfigFree(fresh);
        return;
    }
    virtnetdReloadTLS(st, fresh);
    VIR_INFO("configuration reloaded (log settings and TLS certificates applied; sockets "
             "and limits take effect at the next start)");
    virtnetdConfigFree(fresh);
}


static void
virtnetdHandleSignal(int watch G_GNUC_UNUSED, int fd, int events G_GNUC_UNUSED, void *opaque)
{
    virtnetdState *st = opaque;
    struct signalfd_siginfo si;

    while (read(fd, &si, sizeof(si)) == sizeof(si)) {
        switch (si.ssi_signo) {
        case SIGHUP:
            virtnetdReload(st);
            break;
        case SIGTERM:
        case SIGINT:
        case SIGQUIT:
            VIR_INFO("signal %u: shutting down", si.ssi_signo);
            virEventLoopQuit(st->loop);
            break;
        default:
            break;
        }
    }
}


/* Every second on the loop thread: exit once no server had a client for
 * the idle timeout (clients of the admin server count, as in libvirtd). */
static void
virtnetdCheckIdle(int timer G_GNUC_UNUSED, void *opaque)
{
    virtnetdState *st = opaque;
    uint64_t now = virTimeMonoMs();
    int timeout = g_atomic_int_get(&st->timeout);

    if (timeout != st->idleTimeout || virNetServerGetNClients(st->srv) > 0 ||
        virNetServerGetNClients(st->adminSrv) > 0) {
        /* A new timeout counts from when it was set. */
        st->idleTimeout = timeout;
        st->idleSince = now;
        return;
    }
    if (timeout > 0 && now - st->idleSince >= (uint64_t)timeout * 1000) {
        VIR_INFO("no clients for %d seconds: exiting", timeout);
        virEventLoopQuit(st->loop);
    }
}


/* virt-admin daemon-timeout (an admin worker). */
static int
virtnetdSetTimeout(unsigned int timeout, void *opaque)
{
    virtnetdState *st = opaque;

    if (timeout > G_MAXINT / 1000) {
        virReportError(VIR_ERR_INVALID_ARG, "timeout %u is too large", timeout);
        return -1;
    }
    g_atomic_int_set(&st->timeout, (int)timeout);
    VIR_INFO("idle timeout set to %u seconds", timeout);
    return 0;
}

static const virAdmDaemonHooks virtnetdAdminHooks = {
    .setTimeout = virtnetdSetTimeout,
};


/* A socket file another server still listens on (a second virtnetd with
 * the same unix_sock_dir but another --pid-file): binding would remove it
 * from under that server. A stale file (nobody listening) is fine. */
static int
virtnetdCheckSocketFree(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd, rc;

    if (strlen(path) >= sizeof(addr.sun_path))
        return 0;   /* binding reports it */
    strcpy(addr.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
        return 0;
    rc = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
    if (rc < 0 && errno != EAGAIN && errno != EINPROGRESS) {
        close(fd);
        return 0;
    }
    close(fd);
    virReportError(VIR_ERR_OPERATION_FAILED,
                   "socket '%s' is in use by another server; stop it or use another "
                   "unix_sock_dir", path);
    return -1;
}


static const char *
virtnetdAuthName(int auth)
{
    switch (auth) {
    case VIR_NET_SERVER_SERVICE_AUTH_SASL:
        return "sasl";
    case VIR_NET_SERVER_SERVICE_AUTH_POLKIT:
        return "polkit";
    default:
        return "none";
    }
}


/* cyrus-sasl reads the configuration of the application "libvirt" (the
 * name libvirt's clients and Kerberos principals expect) from libvirt.conf
 * in $SASL_CONF_PATH. Unless the environment says otherwise, virtnetd's
 * copy lives in its own directory, apart from libvirtd's
 * /etc/sasl2/libvirt.conf, so that both packages install side by side. */
static void
virtnetdSASLConfPath(void)
{
    const char *env = g_getenv("SASL_CONF_PATH");

    if (!env || !*env)
        g_setenv("SASL_CONF_PATH", VIRTNET_SYSCONFDIR "/virtnet/sasl2", TRUE);
}


/* ---- Listening sockets ------------------------------------------------ */

typedef struct _virtnetdListener virtnetdListener;

/* Adds the service of one listener to its server. fds: the nfds descriptors
 * systemd passed under the listener's name, owned by the callee from then
 * on; NULL when virtnetd is not socket-activated and makes its own socket
 * (if the configuration asks for one). */
typedef int (*virtnetdListenerAddFunc)(virtnetdState *st, const virtnetdListener *l,
                                       int *fds, size_t nfds);

struct _virtnetdListener {
    const char *fdName;            /* LISTEN_FDNAMES name: the socket unit's file name */
    const char *sockName;          /* UNIX socket made in unix_sock_dir; NULL: TCP */
    virtnetdListenerAddFunc add;   /* NULL: a unit installed ahead of the daemon serving it */
};


/* The service is added and announced on stdout (tests and users read the
 * socket and port from these lines). */
static int
virtnetdAddService(virtnetdState *st, virNetServer *srv, const virtnetdListener *l,
                   virNetServerService *svc, bool activated, const char *what)
{
    int auth = virNetServerServiceGetAuth(svc);

    if (virNetServerAddService(srv, svc) < 0) {
        virNetServerServiceFree(svc);
        return -1;
    }
    if (auth == VIR_NET_SERVER_SERVICE_AUTH_SASL)
        st->needsSASL = true;
    printf("virtnetd: listening on %s%s%s%s%s%s\n", what,
           virNetServerServiceIsReadonly(svc) ? " (read-only)" : "",
           auth == VIR_NET_SERVER_SERVICE_AUTH_NONE ? "" : " (auth ",
           auth == VIR_NET_SERVER_SERVICE_AUTH_NONE ? "" : virtnetdAuthName(auth),
           auth == VIR_NET_SERVER_SERVICE_AUTH_NONE ? "" : ")",
           activated ? " (from systemd)" : "");
    if (activated)
        VIR_INFO("%s: %s", l->fdName, what);
    return 0;
}


static int
virtnetdAddUNIX(virtnetdState *st, virNetServer *srv, const virtnetdListener *l, int *fds,
                size_t nfds, const char *perms, int auth, bool readonly, unsigned int backlog)
{
    g_autofree char *path = NULL;
    gid_t gid = (gid_t)-1;
    virNetServerService *svc;
    mode_t mode;

    if (fds) {
        /* Mode and group are the socket unit's (SocketMode=, SocketGroup=). */
        if (!(svc = virNetServerServiceNewFDs(fds, nfds, auth, readonly)))
            return -1;
        path = g_strdup(virNetSocketLocalAddrString(virNetServerServiceGetSocket(svc, 0)));
        return virtnetdAddService(st, srv, l, svc, true, path);
    }

    path = g_build_filename(st->cfg->unix_sock_dir, l->sockName, NULL);
    if (virtnetdConfigParsePerms(perms, &mode) < 0)
        return -1;
    if (st->cfg->unix_sock_group) {
        struct group *gr = getgrnam(st->cfg->unix_sock_group);
        if (!gr) {
            virReportError(VIR_ERR_CONF_SYNTAX, "unix_sock_group: no group named '%s'",
                           st->cfg->unix_sock_group);
            return -1;
        }
        gid = gr->gr_gid;
    }
    if (virtnetdCheckSocketFree(path) < 0)
        return -1;
    if (!(svc = virNetServerServiceNewUNIX(path, mode, gid, auth, readonly, backlog)))
        return -1;
    return virtnetdAddService(st, srv, l, svc, false, path);
}


static int
virtnetdAddUNIXRW(virtnetdState *st, const virtnetdListener *l, int *fds, size_t nfds)
{
    return virtnetdAddUNIX(st, st->srv, l, fds, nfds, st->cfg->unix_sock_rw_perms,
                           st->cfg->auth_unix_rw, false, st->cfg->max_queued_clients);
}


static int
virtnetdAddUNIXRO(virtnetdState *st, const virtnetdListener *l, int *fds, size_t nfds)
{
    return virtnetdAddUNIX(st, st->srv, l, fds, nfds, st->cfg->unix_sock_ro_perms,
                           st->cfg->auth_unix_ro, true, st->cfg->max_queued_clients);
}


/* The admin server's listener, libvirt-admin-sock (unix_sock_admin_perms,
 * owner only by default; no authentication: the client init hook lets
 * only the daemon's own user in). */
static int
virtnetdAddAdmin(virtnetdState *st, const virtnetdListener *l, int *fds, size_t nfds)
{
    return virtnetdAddUNIX(st, st->adminSrv, l, fds, nfds, st->cfg->unix_sock_admin_perms,
                           VIR_NET_SERVER_SERVICE_AUTH_NONE, false,
                           st->cfg->admin_max_queued_clients);
}


/* TCP and TLS: without activation only with --listen and listen_tcp /
 * listen_tls; activated, the port is the socket unit's (ListenStream=). */
static virNetServerService *
virtnetdNewTCPService(virtnetdState *st, int *fds, size_t nfds, const char *port, int auth)
{
    if (fds)
        return virNetServerServiceNewFDs(fds, nfds, auth, false);
    return virNetServerServiceNewTCP(st->cfg->listen_addr, port, auth, false,
                                     st->cfg->max_queued_clients);
}


static char *
virtnetdDescribeTCP(virtnetdState *st, const char *kind, virNetServerService *svc)
{
    return g_strdup_printf("%s %s port %d", kind,
                           st->cfg->listen_addr ? st->cfg->listen_addr : "*",
                           virNetServerServiceGetPort(svc));
}


static int
virtnetdAddTCP(virtnetdState *st, const virtnetdListener *l, int *fds, size_t nfds)
{
    virtnetdConfig *cfg = st->cfg;
    virNetServerService *svc;
    g_autofree char *what = NULL;

    if (!fds && !(st->listen && cfg->listen_tcp))
        return 0;
    if (!(svc = virtnetdNewTCPService(st, fds, nfds, cfg->tcp_port, cfg->auth_tcp)))
        return -1;
    what = virtnetdDescribeTCP(st, "tcp", svc);
    return virtnetdAddService(st, st->srv, l, svc, fds != NULL, what);
}


static int
virtnetdAddTLS(virtnetdState *st, const virtnetdListener *l, int *fds, size_t nfds)
{
    virtnetdConfig *cfg = st->cfg;
    virNetTLSContext *ctxt;
    virNetServerService *svc;
    g_autofree char *what = NULL;

    if (!fds && !(st->listen && cfg->listen_tls))
        return 0;
    if (!(ctxt = virtnetdNewTLSContext(cfg))) {
        for (size_t i = 0; fds && i < nfds; i++)
            VIR_FORCE_CLOSE(fds[i]);
        return -1;
    }
    svc = virtnetdNewTCPService(st, fds, nfds, cfg->tls_port, cfg->auth_tls);
    if (svc)
        virNetServerServiceSetTLSContext(svc, ctxt);
    virNetTLSContextUnref(ctxt);
    if (!svc)
        return -1;
    what = virtnetdDescribeTCP(st, "tls", svc);
    if (virtnetdAddService(st, st->srv, l, svc, fds != NULL, what) < 0)
        return -1;
    st->tlsService = svc;
    return 0;
}


/* Every socket virtnetd serves, in one place. fdName is the name systemd
 * passes the socket under (the units in daemon/systemd/ carry these file
 * names). A row without an add function is a unit installed ahead of the
 * daemon serving it: a descriptor passed for it is closed with a warning. */
static const virtnetdListener virtnetdListeners[] = {
    { "virtnetd.socket", "libvirt-sock", virtnetdAddUNIXRW },
    { "virtnetd-ro.socket", "libvirt-sock-ro", virtnetdAddUNIXRO },
    { "virtnetd-admin.socket", "libvirt-admin-sock", virtnetdAddAdmin },
    { "virtnetd-tcp.socket", NULL, virtnetdAddTCP },
    { "virtnetd-tls.socket", NULL, virtnetdAddTLS },
};


/* The descriptors passed under one name, taken out of act (set to -1
 * there); NULL when none. */
static int *
virtnetdClaimFDs(virSystemdListenFD *act, size_t nact, const char *name, size_t *nfds)
{
    int *fds = NULL;

    *nfds = 0;
    for (size_t i = 0; i < nact; i++) {
        if (act[i].fd < 0 || !g_str_equal(act[i].name, name))
            continue;
        fds = g_renew(int, fds, *nfds + 1);
        fds[(*nfds)++] = act[i].fd;
        act[i].fd = -1;
    }
    return fds;
}


/* Without activation (nact 0) every listener makes its own socket as
 * configured; activated, only the passed sockets are served, as libvirtd
 * does, and a name no listener knows is an error. */
static int
virtnetdSetupServices(virtnetdState *st, virSystemdListenFD *act, size_t nact)
{
    for (size_t i = 0; i < G_N_ELEMENTS(virtnetdListeners); i++) {
        const virtnetdListener *l = &virtnetdListeners[i];
        size_t nfds = 0;
        g_autofree int *fds = nact ? virtnetdClaimFDs(act, nact, l->fdName, &nfds) : NULL;

        if (nact && !fds)
            continue;
        if (l->add(st, l, fds, nfds) < 0)
            return -1;
    }
    for (size_t i = 0; i < nact; i++) {
        if (act[i].fd >= 0) {
            g_autoptr(GString) known = g_string_new(NULL);

            for (size_t j = 0; j < G_N_ELEMENTS(virtnetdListeners); j++)
                g_string_append_printf(known, "%s%s", j ? ", " : "", virtnetdListeners[j].fdName);
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "socket activation: no listener is named '%s' (descriptor %d); "
                           "known names: %s", act[i].name, act[i].fd, known->str);
            return -1;
        }
    }

    /* libvirtd's rule: one SASL server context, made at start-up when a
     * service uses SASL (this also initialises cyrus-sasl once, with the
     * application name "libvirt"; see virtnetdSASLConfPath). */
    if (st->needsSASL) {
        virNetSASLContext *ctxt;

        if (!(ctxt = virNetSASLContextNewServer(
                  (const char *const *)st->cfg->sasl_allowed_username_list,
                  st->cfg->tcp_min_ssf)))
            return -1;
        remoteSetSASLContext(ctxt);
        virNetSASLContextUnref(ctxt);
    }
    return 0;
}


/* The "admin" server: libvirtd's admin_* keys; no priority workers and
 * no limit of unauthenticated clients, as libvirtd's. Its listener is in
 * virtnetdListeners. */
static int
virtnetdSetupAdmin(virtnetdState *st, virNetServerProgram **prog)
{
    virtnetdConfig *cfg = st->cfg;
    virNetServerConfig scfg;

    virNetServerConfigDefaults(&scfg);
    scfg.min_workers = cfg->admin_min_workers;
    scfg.max_workers = cfg->admin_max_workers;
    scfg.prio_workers = 0;
    scfg.max_clients = cfg->admin_max_clients;
    scfg.max_anonymous_clients = 0;
    scfg.max_client_requests = cfg->admin_max_client_requests;
    scfg.keepalive_interval = cfg->admin_keepalive_interval;
    scfg.keepalive_count = cfg->admin_keepalive_count;
    if (!(st->adminSrv = virNetServerNew("admin", &scfg, st->loop)))
        return -1;
    st->admin = virAdmDaemonNew(&virtnetdAdminHooks, st);
    virAdmDaemonAddServer(st->admin, st->srv);
    virAdmDaemonAddServer(st->admin, st->adminSrv);
    *prog = adminServerProgramNew();
    virNetServerSetClientInitHook(st->adminSrv, adminClientInitHook, st->admin);
    return virNetServerAddProgram(st->adminSrv, *prog);
}


int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'f' },
        { "pid-file", required_argument, NULL, 'p' },
        { "listen", no_argument, NULL, 'l' },
        { "daemon", no_argument, NULL, 'd' },
        { "timeout", required_argument, NULL, 't' },
        { "verbose", no_argument, NULL, 'v' },
        { "version", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    virtnetdState st = { .sigfd = -1 };
    virNetServerConfig scfg;
    virNetServerProgram *prog = NULL;
    virNetServerProgram *lxcProg = NULL;
    virNetServerProgram *adminProg = NULL;
    g_autofree char *pidFile = NULL;
    virSystemdListenFD *act = NULL;
    int nact = 0;
    bool daemonize = false, privileged = geteuid() == 0;
    int pidfd = -1, statusfd = -1, c, ret = 1;
    sigset_t mask;

    while ((c = getopt_long(argc, argv, "f:p:ldt:vVh", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            g_free(st.configFile);
            st.configFile = virtnetdAbsPath(optarg);
            break;
        case 'p':
            g_free(pidFile);
            pidFile = virtnetdAbsPath(optarg);
            break;
        case 'l':
            st.listen = true;
            break;
        case 'd':
            daemonize = true;
            break;
        case 't': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 0 || v > INT_MAX) {
                fprintf(stderr, "%s: --timeout expects a number of seconds, got '%s'\n",
                        argv[0], optarg);
                g_free(st.configFile);
                return 2;
            }
            st.timeout = v;
            break;
        }
        case 'v':
            st.verbose = true;
            break;
        case 'V':
            printf("virtnetd (virtnet) %s\n", PACKAGE_VERSION);
            g_free(st.configFile);
            return 0;
        case 'h':
            virtnetdUsage(stdout, argv[0]);
            g_free(st.configFile);
            return 0;
        default:
            virtnetdUsage(stderr, argv[0]);
            g_free(st.configFile);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
        virtnetdUsage(stderr, argv[0]);
        g_free(st.configFile);
        return 2;
    }

    /* Before any thread: this edits the environment. */
    if ((nact = virSystemdTakeListenFDs(&act)) < 0) {
        fprintf(stderr, "virtnetd: %s\n", virGetLastErrorMessage());
        nact = 0;
        goto cleanup;
    }
    if (nact > 0 && st.listen) {
        fprintf(stderr, "virtnetd: --listen cannot be used with socket activation: enable "
                "virtnetd-tcp.socket / virtnetd-tls.socket instead (see virtnetd(8))\n");
        goto cleanup;
    }
    virtnetdSASLConfPath();

    st.cfg = virtnetdConfigNew(privileged);
    if (!st.configFile) {
        g_autofree char *def = virtnetdDefaultConfigFile(privileged);
        if (access(def, R_OK) == 0)
            st.configFile = g_steal_pointer(&def);
    }
    if (st.configFile && virtnetdConfigLoadFile(st.cfg, st.configFile) < 0) {
        fprintf(stderr, "virtnetd: %s\n", virGetLastErrorMessage());
        goto cleanup;
    }
    if (!st.configFile)
        printf("virtnetd: no configuration file; using the embedded defaults\n");
    st.baseFilters = virLogGetFilters();
    if (g_getenv("VIRTNET_LOG_OUTPUTS") && *g_getenv("VIRTNET_LOG_OUTPUTS"))
        st.baseOutputs = virLogGetOutputs();
    st.outputs = g_strdup(st.baseOutputs);
    if (virtnetdApplyLogging(&st, st.cfg) < 0) {
        fprintf(stderr, "virtnetd: %s\n", virGetLastErrorMessage());
        goto cleanup;
    }

    if (g_mkdir_with_parents(st.cfg->unix_sock_dir, privileged ? 0755 : 0700) < 0) {
        fprintf(stderr, "virtnetd: cannot create run directory '%s': %s\n",
                st.cfg->unix_sock_dir, g_strerror(errno));
        goto cleanup;
    }
    if (!pidFile)
        pidFile = g_build_filename(st.cfg->unix_sock_dir, "virtnetd.pid", NULL);

    if (daemonize && virtnetdDaemonize(&statusfd) < 0) {
        fprintf(stderr, "virtnetd: %s\n", virGetLastErrorMessage());
        goto cleanup;
    }
    if ((pidfd = virtnetdAcquirePidFile(pidFile)) < 0) {
        fprintf(stderr, "virtnetd: %s\n", virGetLastErrorMessage());
        goto cleanup;
    }

    /* Signals arrive through the loop; SIGPIPE is handled per write. */
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGQUIT);
    sigaddset(&mask, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);

    remoteDriversRegister();
    {
        /* the jobs' records and the test driver's managed-save images */
        g_autofree char *jobDir = g_build_filename(st.cfg->unix_sock_dir, "jobs", NULL);

        virJobSetStateDir(jobDir);
    }

    st.loop = virEventLoopNew();
    virNetServerConfigDefaults(&scfg);
    scfg.min_workers = st.cfg->min_workers;
    scfg.max_workers = st.cfg->max_workers;
    scfg.prio_workers = st.cfg->prio_workers;
    scfg.max_clients = st.cfg->max_clients;
    scfg.max_anonymous_clients = st.cfg->max_anonymous_clients;
    scfg.max_client_requests = st.cfg->max_client_requests;
    scfg.keepalive_interval = st.cfg->keepalive_interval;
    scfg.keepalive_count = st.cfg->keepalive_count;
    scfg.tls_handshake_timeout = (int)MIN(st.cfg->tls_handshake_timeout, (unsigned int)G_MAXINT);
    scfg.keepalive_all = false;   /* started when the client asks (supports-feature) */
    scfg.preauth_message_max = st.cfg->preauth_message_max;
    scfg.preauth_buffer_max = st.cfg->preauth_buffer_max;
    if (!st.loop || !(st.srv = virNetServerNew("libvirtd", &scfg, st.loop)))
        goto error;
    prog = remoteServerProgramNew();
    virNetServerSetClientInitHook(st.srv, remoteClientInitHook, prog);
    if (virNetServerAddProgram(st.srv, prog) < 0)
        goto error;
    lxcProg = lxcServerProgramNew();
    if (virNetServerAddProgram(st.srv, lxcProg) < 0)
        goto error;
    if (virtnetdSetupAdmin(&st, &adminProg) < 0)
        goto error;
    if (virtnetdSetupServices(&st, act, nact) < 0)
        goto error;
    if (virNetServerStart(st.srv) < 0 || virNetServerStart(st.adminSrv) < 0)
        goto error;

    st.sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (st.sigfd < 0 ||
        virEventLoopAddHandle(st.loop, st.sigfd, VIR_EVENT_HANDLE_READABLE,
                              virtnetdHandleSignal, &st, NULL) < 0) {
        virReportSystemError(errno, "%s", "cannot watch signals");
        goto error;
    }
    if (st.timeout > 0 && nact == 0 && virSystemdIsService()) {
        /* Nothing would start the daemon again once it left. */
        VIR_WARN("--timeout %d ignored: run by systemd without socket activation", st.timeout);
        st.timeout = 0;
    }
    /* Always armed: virt-admin may set a timeout at any time. */
    st.idleTimeout = st.timeout;
    st.idleSince = virTimeMonoMs();
    if (virEventLoopAddTimeout(st.loop, 1000, virtnetdCheckIdle, &st, NULL) < 0)
        goto error;
    printf("virtnetd: ready (pid %lld, pid file %s)\n", (long long)getpid(), pidFile);
    fflush(stdout);
    virtnetdReportStatus(&statusfd, 0);
    if (virSystemdNotifyReady() < 0) {
        VIR_WARN("%s", virGetLastErrorMessage());
        virResetLastError();
    }

    virEventLoopRun(st.loop);

    /* Calls in flight finish and their replies go out before we exit; the
     * long jobs among them stop first (their helpers remove what they
     * wrote), so a wipe of a large volume does not hold the shutdown. */
    if (virJobAbortAll() > 0)
        VIR_INFO("%s", "shutting down: asked the running jobs to stop");
    virNetServerShutdown(st.adminSrv, 30000);
    virNetServerShutdown(st.srv, 30000);
    /* The clients are gone: their streams' file threads are leaving. */
    remoteStreamJoinThreads();
    ret = 0;
    goto cleanup;

 error:
    fprintf(stderr, "virtnetd: %s\n", virGetLastErrorMessage());
 cleanup:
    virtnetdReportStatus(&statusfd, ret == 0 ? 0 : 1);
    /* The admin server's clients borrow st.admin: it goes after them. */
    if (st.adminSrv)
        virNetServerUnref(st.adminSrv);
    virAdmDaemonFree(st.admin);
    if (adminProg)
        virNetServerProgramUnref(adminProg);
    if (st.srv)
        virNetServerUnref(st.srv);
    if (prog)
        virNetServerProgramUnref(prog);
    if (lxcProg)
        virNetServerProgramUnref(lxcProg);
    remoteSetSASLContext(NULL);
    remoteDriversShutdown();
    if (st.loop)
        virEventLoopFree(st.loop);
    if (st.sigfd >= 0)
        close(st.sigfd);
    if (pidfd >= 0) {
        unlink(pidFile);
        close(pidfd);
    }
    virSystemdListenFDsFree(act, nact);
    virtnetdConfigFree(st.cfg);
    g_free(st.configFile);
    g_free(st.baseFilters);
    g_free(st.baseOutputs);
    g_free(st.outputs);
    return ret;
}
