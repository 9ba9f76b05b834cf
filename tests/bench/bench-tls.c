/*
 * bench-tls: what TLS costs, beside plain TCP in the same run, same
 * machine, same server (the demo program on its own loop thread):
 *
 *   - connections per second: connect, (TLS handshake + certificate
 *     checks + confirmation byte), one null call, close; one at a time;
 *   - null-call round trips on one connection, one in flight;
 *   - throughput: T connections x 1 call in flight;
 *   - bulk: 1 MiB echo round trips (encryption cost per byte).
 *
 *   bench-tls [--seconds S] [--threads T] [--rounds N]
 *
 * Plain and TLS measurements alternate; each figure is the best of N
 * rounds (default 3 x 1 s).
 *
 * Certificates come from tests/tls/mkcerts.sh (RSA 2048) in a temporary
 * directory. A benchmark, not a test: it prints figures and never fails
 * on numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "demoserver.h"
#include "demo_protocol_client.h"
#include "virnetclient.h"
#include "virnettlscontext.h"
#include "virerror.h"
#include "virutil.h"

typedef struct {
    const char *port;
    virNetTLSContext *tls;      /* NULL: plain TCP */
    double seconds;
    unsigned long long calls;
    int failed;
} benchArgs;


static virNetClient *
benchConnect(const char *port, virNetTLSContext *tls, virNetClientProgram **prog)
{
    virNetClient *client = tls ? virNetClientNewTLS("127.0.0.1", port, tls)
                               : virNetClientNewTCP("127.0.0.1", port);

    if (!client)
        return NULL;
    *prog = demoClientProgramNew(NULL, NULL);
    virNetClientAddProgram(client, *prog);
    return client;
}


static void
benchClose(virNetClient *client, virNetClientProgram *prog)
{
    virNetClientClose(client);
    virNetClientUnref(client);
    virNetClientProgramUnref(prog);
}


/* Connections per second. */
static double
benchConnections(const char *port, virNetTLSContext *tls, double seconds)
{
    uint64_t start = virTimeMonoUs(), end = start + (uint64_t)(seconds * 1e6);
    unsigned long long n = 0;

    while (virTimeMonoUs() < end) {
        virNetClientProgram *prog = NULL;
        virNetClient *client = benchConnect(port, tls, &prog);

        if (!client || demoCallNull(prog, client) < 0) {
            fprintf(stderr, "bench-tls: connection failed: %s\n", virGetLastErrorMessage());
            return -1;
        }
        benchClose(client, prog);
        n++;
    }
    return n / ((virTimeMonoUs() - start) / 1e6);
}


static gpointer
benchCallsThread(gpointer opaque)
{
    benchArgs *a = opaque;
    virNetClientProgram *prog = NULL;
    virNetClient *client = benchConnect(a->port, a->tls, &prog);
    uint64_t end;

    if (!client) {
        a->failed = 1;
        return NULL;
    }
    end = virTimeMonoUs() + (uint64_t)(a->seconds * 1e6);
    while (virTimeMonoUs() < end) {
        for (int i = 0; i < 100; i++) {
            if (demoCallNull(prog, client) < 0) {
                a->failed = 1;
                goto done;
            }
            a->calls++;
        }
    }
 done:
    benchClose(client, prog);
    return NULL;
}


/* Null calls per second over `threads` connections. */
static double
benchCalls(const char *port, virNetTLSContext *tls, double seconds, int threads)
{
    benchArgs *args = g_new0(benchArgs, threads);
    GThread **th = g_new(GThread *, threads);
    unsigned long long total = 0;
    int failed = 0;

    for (int i = 0; i < threads; i++) {
        args[i] = (benchArgs){ .port = port, .tls = tls, .seconds = seconds };
        th[i] = g_thread_new("bench-calls", benchCallsThread, &args[i]);
    }
    for (int i = 0; i < threads; i++) {
        g_thread_join(th[i]);
        total += args[i].calls;
        failed |= args[i].failed;
    }
    g_free(args);
    g_free(th);
    return failed ? -1 : total / seconds;
}


/* MiB/s of 1 MiB echo round trips (sent and received: 2 MiB per call). */
static double
benchBulk(const char *port, virNetTLSContext *tls, double seconds)
{
    size_t len = 1024 * 1024;
    g_autofree char *text = g_malloc(len + 1);
    demo_echo_args args = { .text = text };
    virNetClientProgram *prog = NULL;
    virNetClient *client = benchConnect(port, tls, &prog);
    uint64_t start, end;
    unsigned long long n = 0;

    if (!client)
        return -1;
    memset(text, 'x', len);
    text[len] = '\0';
    start = virTimeMonoUs();
    end = start + (uint64_t)(seconds * 1e6);
    while (virTimeMonoUs() < end) {
        demo_echo_ret ret = { 0 };

        if (demoCallEcho(prog, client, &args, &ret) < 0)
            return -1;
        xdr_free((xdrproc_t)xdr_demo_echo_ret, (char *)&ret);
        n++;
    }
    benchClose(client, prog);
    return 2.0 * n / ((virTimeMonoUs() - start) / 1e6);
}


static int
benchAddService(virNetServer *srv, virNetTLSContext *tls, char *port)
{
    virNetServerService *svc = virNetServerServiceNewTCP("127.0.0.1", "0",
                                                         VIR_NET_SERVER_SERVICE_AUTH_NONE,
                                                         false, 128);

    if (!svc || virNetServerAddService(srv, svc) < 0)
        return -1;
    if (tls)
        virNetServerServiceSetTLSContext(svc, tls);
    g_snprintf(port, 16, "%d", virNetServerServiceGetPort(svc));
    return 0;
}


int
main(int argc, char **argv)
{
    double seconds = 1;
    int threads = 4, rounds = 3;
    const char *srcdir = getenv("VIRTNET_TEST_SRCDIR") ? getenv("VIRTNET_TEST_SRCDIR")
                                                        : VIRTNET_SRCDIR;
    g_autofree char *dir = g_dir_make_tmp("virtnet-bench-tls-XXXXXX", NULL);
    g_autofree char *cmd = NULL, *rm = NULL;
    g_autofree char *ca = NULL, *crl = NULL, *cert = NULL, *key = NULL, *cdir = NULL;
    virNetTLSContext *stls, *ctls;
    virNetServerConfig cfg;
    virEventThread *evt;
    virNetServer *srv;
    char plainPort[16], tlsPort[16];
    double connPlain, connTLS, rtPlain, rtTLS, tpPlain, tpTLS, bulkPlain, bulkTLS;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = strtod(argv[++i], NULL);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench-tls [--seconds S] [--threads T] [--rounds N]\n");
            return 2;
        }
    }
    if (rounds < 1)
        rounds = 1;

    cmd = g_strdup_printf("sh '%s/tests/tls/mkcerts.sh' '%s' >/dev/null", srcdir, dir);
    rm = g_strdup_printf("rm -rf '%s'", dir);
    rc = system(cmd);
    if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
        fprintf(stderr, "bench-tls: cannot make certificates (certtool installed?)\n");
        return 1;
    }
    ca = g_build_filename(dir, "server", "cacert.pem", NULL);
    crl = g_build_filename(dir, "server", "crl.pem", NULL);
    cert = g_build_filename(dir, "server", "servercert.pem", NULL);
    key = g_build_filename(dir, "server", "serverkey.pem", NULL);
    cdir = g_build_filename(dir, "good", NULL);
    if (!(stls = virNetTLSContextNewServer(ca, crl, cert, key, NULL, NULL, true, true)) ||
        !(ctls = virNetTLSContextNewClientPath(cdir, false, NULL, true, true))) {
        fprintf(stderr, "bench-tls: %s\n", virGetLastErrorMessage());
        return 1;
    }

    virNetServerConfigDefaults(&cfg);
    cfg.keepalive_interval = -1;
    evt = virEventThreadNew("bench-server");
    if (!(srv = demoServerNew(&cfg, virEventThreadGetLoop(evt), NULL)) ||
        benchAddService(srv, NULL, plainPort) < 0 || benchAddService(srv, stls, tlsPort) < 0 ||
        virNetServerStart(srv) < 0) {
        fprintf(stderr, "bench-tls: server setup failed: %s\n", virGetLastErrorMessage());
        return 1;
    }

    /* Plain and TLS alternate, best of `rounds` each: the machine may be
     * shared, and drift should hit both sides alike. */
    connPlain = connTLS = rtPlain = rtTLS = tpPlain = tpTLS = bulkPlain = bulkTLS = 0;
    for (int r = 0; r < rounds; r++) {
        connPlain = MAX(connPlain, benchConnections(plainPort, NULL, seconds));
        connTLS = MAX(connTLS, benchConnections(tlsPort, ctls, seconds));
        rtPlain = MAX(rtPlain, benchCalls(plainPort, NULL, seconds, 1));
        rtTLS = MAX(rtTLS, benchCalls(tlsPort, ctls, seconds, 1));
        tpPlain = MAX(tpPlain, benchCalls(plainPort, NULL, seconds, threads));
        tpTLS = MAX(tpTLS, benchCalls(tlsPort, ctls, seconds, threads));
        bulkPlain = MAX(bulkPlain, benchBulk(plainPort, NULL, seconds));
        bulkTLS = MAX(bulkTLS, benchBulk(tlsPort, ctls, seconds));
    }

    printf("bench-tls: TCP loopback, plain vs TLS (%s, RSA 2048), best of %d x %.1f s\n",
           VIR_NET_TLS_DEFAULT_PRIORITY, rounds, seconds);
    printf("%-44s %12s %12s %8s\n", "", "plain", "TLS", "TLS/plain");
    printf("%-44s %12.0f %12.0f %8.2f\n", "connect + null call + close, per s",
           connPlain, connTLS, connTLS / connPlain);
    printf("%-44s %12.0f %12.0f %8.2f\n", "null calls/s, 1 connection",
           rtPlain, rtTLS, rtTLS / rtPlain);
    {
        g_autofree char *what = g_strdup_printf("null calls/s, %d connections", threads);

        printf("%-44s %12.0f %12.0f %8.2f\n", what, tpPlain, tpTLS, tpTLS / tpPlain);
    }
    printf("%-44s %12.0f %12.0f %8.2f\n", "1 MiB echo, MiB/s (both ways)",
           bulkPlain, bulkTLS, bulkTLS / bulkPlain);
    if (connTLS > 0)
        printf("TLS handshake cost: about %.2f ms per connection\n",
               1000.0 / connTLS - 1000.0 / connPlain);

    virNetServerShutdown(srv, 1000);
    virNetServerUnref(srv);
    virEventThreadFree(evt);
    virNetTLSContextUnref(stls);
    virNetTLSContextUnref(ctls);
    if (system(rm) != 0)
        fprintf(stderr, "bench-tls: could not remove %s\n", dir);
    return 0;
}
