/*
 * virtnet-demo-server: serves the demo program (protocol/demo_protocol.x)
 * on UNIX and TCP sockets. The smallest complete use of the RPC core.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "demoserver.h"
#include "virerror.h"
#include "virlog.h"

typedef struct {
    virEventLoop *loop;
    int sigfd;
} demoSignalState;


static void
demoHandleSignal(int watch G_GNUC_UNUSED, int fd, int events G_GNUC_UNUSED, void *opaque)
{
    demoSignalState *st = opaque;
    struct signalfd_siginfo si;

    if (read(fd, &si, sizeof(si)) == sizeof(si)) {
        fprintf(stderr, "virtnet-demo-server: signal %u, shutting down\n", si.ssi_signo);
        virEventLoopQuit(st->loop);
    }
}


static char *
demoDefaultSocketPath(void)
{
    const char *runtime = g_getenv("XDG_RUNTIME_DIR");

    if (runtime && *runtime)
        return g_build_filename(runtime, "virtnet", "demo-sock", NULL);
    return g_strdup_printf("/tmp/virtnet-%u/demo-sock", (unsigned)getuid());
}


static void
demoUsage(FILE *out)
{
    fprintf(out,
            "Usage: virtnet-demo-server [OPTIONS]\n"
            "Serve the virtnet demo program.\n\n"
            "  --unix PATH            listen on a read-write UNIX socket (default:\n"
            "                         $XDG_RUNTIME_DIR/virtnet/demo-sock or /tmp/virtnet-UID/demo-sock)\n"
            "  --unix-ro PATH         also listen on a read-only UNIX socket\n"
            "  --tcp HOST:PORT        also listen on TCP (port 0 picks a free one)\n"
            "  --min-workers N        (default 5)\n"
            "  --max-workers N        (default 20)\n"
            "  --prio-workers N       (default 5)\n"
            "  --max-clients N        (default 5000)\n"
            "  --max-requests N       calls in flight per client (default 5)\n"
            "  --keepalive I:C        ping every I s, close after C misses (default 5:5; 0 off)\n"
            "  --keepalive-all        start keepalive on every client at connect\n"
            "  -v, --verbose          debug logging\n"
            "  -h, --help\n");
}


static int
demoParseSize(const char *opt, const char *val, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(val, &end, 10);

    if (!*val || *end) {
        fprintf(stderr, "virtnet-demo-server: %s expects a number, got '%s'\n", opt, val);
        return -1;
    }
    *out = v;
    return 0;
}


int
main(int argc, char **argv)
{
    virNetServerConfig cfg;
    g_autofree char *unixPath = NULL;
    const char *unixRoPath = NULL, *tcp = NULL;
    virEventLoop *loop;
    virNetServer *srv;
    virNetServerService *svc;
    demoSignalState st;
    sigset_t mask;
    int i;

    virNetServerConfigDefaults(&cfg);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        size_t n;

        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            demoUsage(stdout);
            return 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            virLogSetDefaultPriority(VIR_LOG_DEBUG);
            continue;
        } else if (!strcmp(a, "--keepalive-all")) {
            cfg.keepalive_all = true;
            continue;
        }
        if (!v) {
            fprintf(stderr, "virtnet-demo-server: unknown option or missing value: %s\n", a);
            demoUsage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(a, "--unix")) {
            unixPath = g_strdup(v);
        } else if (!strcmp(a, "--unix-ro")) {
            unixRoPath = v;
        } else if (!strcmp(a, "--tcp")) {
            tcp = v;
        } else if (!strcmp(a, "--keepalive")) {
            int ival, cnt;
            if (sscanf(v, "%d:%d", &ival, &cnt) != 2 || cnt < 0) {
                fprintf(stderr, "virtnet-demo-server: --keepalive expects INTERVAL:COUNT\n");
                return 2;
            }
            cfg.keepalive_interval = ival;
            cfg.keepalive_count = cnt;
        } else if (demoParseSize(a, v, &n) < 0) {
            return 2;
        } else if (!strcmp(a, "--min-workers")) {
            cfg.min_workers = n;
        } else if (!strcmp(a, "--max-workers")) {
            cfg.max_workers = n;
        } else if (!strcmp(a, "--prio-workers")) {
            cfg.prio_workers = n;
        } else if (!strcmp(a, "--max-clients")) {
            cfg.max_clients = n;
        } else if (!strcmp(a, "--max-requests")) {
            cfg.max_client_requests = n;
        } else {
            fprintf(stderr, "virtnet-demo-server: unknown option %s\n", a);
            demoUsage(stderr);
            return 2;
        }
    }
    if (!unixPath)
        unixPath = demoDefaultSocketPath();

    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);

    loop = virEventLoopNew();
    if (!loop || !(srv = demoServerNew(&cfg, loop, NULL)))
        goto error;

    if (!(svc = virNetServerServiceNewUNIX(unixPath, 0700, (gid_t)-1,
                                           VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 1000)) ||
        virNetServerAddService(srv, svc) < 0)
        goto error;
    printf("virtnet-demo-server: listening on unix:%s\n", unixPath);
    if (unixRoPath) {
        if (!(svc = virNetServerServiceNewUNIX(unixRoPath, 0777, (gid_t)-1,
                                               VIR_NET_SERVER_SERVICE_AUTH_NONE, true, 1000)) ||
            virNetServerAddService(srv, svc) < 0)
            goto error;
        printf("virtnet-demo-server: listening read-only on unix:%s\n", unixRoPath);
    }
    if (tcp) {
        g_autofree char *host = g_strdup(tcp);
        char *colon = strrchr(host, ':');
        if (!colon) {
            fprintf(stderr, "virtnet-demo-server: --tcp expects HOST:PORT\n");
            return 2;
        }
        *colon = '\0';
        if (!(svc = virNetServerServiceNewTCP(*host ? host : NULL, colon + 1,
                                              VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 1000)) ||
            virNetServerAddService(srv, svc) < 0)
            goto error;
        printf("virtnet-demo-server: listening on tcp:%s port %d\n",
               *host ? host : "*", virNetServerServiceGetPort(svc));
    }
    if (virNetServerStart(srv) < 0)
        goto error;

    st.loop = loop;
    st.sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (st.sigfd < 0 ||
        virEventLoopAddHandle(loop, st.sigfd, VIR_EVENT_HANDLE_READABLE,
                              demoHandleSignal, &st, NULL) < 0) {
        fprintf(stderr, "virtnet-demo-server: cannot watch signals\n");
        return 1;
    }
    fflush(stdout);

    virEventLoopRun(loop);

    virNetServerShutdown(srv, 5000);
    virNetServerUnref(srv);
    virEventLoopFree(loop);
    close(st.sigfd);
    return 0;

 error:
    fprintf(stderr, "virtnet-demo-server: %s\n", virGetLastErrorMessage());
    return 1;
}
