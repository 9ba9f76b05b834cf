/*
 * bench-rpc: null-call round trip and throughput of the virtnet client and
 * server over a UNIX socket, beside a raw UNIX-socket ping-pong of the same
 * message size measured in the same run (the floor). Prints figures and
 * ratios; it is a benchmark, not a test: it never fails on numbers.
 *
 *   bench-rpc [--calls N] [--seconds S] [--threads T] [--csv FILE]
 *
 * The server runs in this process on its own loop thread, the client on the
 * main thread, as the raw ping-pong's two ends do: the same two threads,
 * the same socket type, the same 28-byte request and reply.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "demoserver.h"
#include "demo_protocol_client.h"
#include "virnetclient.h"
#include "virerror.h"
#include "virutil.h"

#define MSG_LEN 28

typedef struct {
    double rtt_us;        /* mean round trip */
    double p50_us, p99_us;
    double calls_per_s;   /* single connection, one in flight */
} benchResult;

static int
cmpDouble(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}


static void
benchStats(double *samples, size_t n, double total_us, benchResult *r)
{
    qsort(samples, n, sizeof(double), cmpDouble);
    r->rtt_us = total_us / n;
    r->p50_us = samples[n / 2];
    r->p99_us = samples[(size_t)(n * 0.99)];
    r->calls_per_s = n / (total_us / 1e6);
}


/* ---- raw ping-pong ---------------------------------------------------- */

static int
fullIO(int fd, char *buf, size_t len, bool wr)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = wr ? write(fd, buf + done, len - done) : read(fd, buf + done, len - done);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return -1;
        }
        done += n;
    }
    return 0;
}


static gpointer
rawServer(gpointer opaque)
{
    int lfd = GPOINTER_TO_INT(opaque), fd;
    char buf[MSG_LEN];

    if ((fd = accept(lfd, NULL, NULL)) < 0)
        return NULL;
    while (fullIO(fd, buf, MSG_LEN, false) == 0) {
        buf[15] = 1;   /* "reply" */
        if (fullIO(fd, buf, MSG_LEN, true) < 0)
            break;
    }
    close(fd);
    return NULL;
}


static int
benchRaw(const char *path, size_t calls, benchResult *r)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int lfd, fd;
    GThread *th;
    char buf[MSG_LEN] = { 0, 0, 0, MSG_LEN };
    double *samples = g_new(double, calls);
    uint64_t start, t0;

    unlink(path);
    strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
    lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0)
        return -1;
    th = g_thread_new("raw-server", rawServer, GINT_TO_POINTER(lfd));
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        return -1;

    for (size_t i = 0; i < calls / 10; i++) {   /* warm-up */
        fullIO(fd, buf, MSG_LEN, true);
        fullIO(fd, buf, MSG_LEN, false);
    }
    start = virTimeMonoUs();
    for (size_t i = 0; i < calls; i++) {
        t0 = virTimeMonoUs();
        if (fullIO(fd, buf, MSG_LEN, true) < 0 || fullIO(fd, buf, MSG_LEN, false) < 0)
            return -1;
        samples[i] = virTimeMonoUs() - t0;
    }
    benchStats(samples, calls, virTimeMonoUs() - start, r);
    close(fd);
    g_thread_join(th);
    close(lfd);
    unlink(path);
    g_free(samples);
    return 0;
}


/* ---- virtnet null call ------------------------------------------------ */

typedef struct {
    const char *path;
    double seconds;
    unsigned long long calls;
    int failed;
} benchThroughputArgs;


static gpointer
benchThroughputThread(gpointer opaque)
{
    benchThroughputArgs *a = opaque;
    virNetClient *client = virNetClientNewUNIX(a->path);
    virNetClientProgram *prog;
    uint64_t end;

    if (!client) {
        a->failed = 1;
        return NULL;
    }
    prog = demoClientProgramNew(NULL, NULL);
    virNetClientAddProgram(client, prog);
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
    virNetClientClose(client);
    virNetClientProgramUnref(prog);
    virNetClientUnref(client);
    return NULL;
}


/* Null-call throughput of threads connections for seconds. */
static double
benchThroughput(const char *path, int threads, double seconds, int *failed)
{
    benchThroughputArgs *args = g_new0(benchThroughputArgs, threads);
    GThread **th = g_new(GThread *, threads);
    unsigned long long total = 0;

    for (int i = 0; i < threads; i++) {
        args[i].path = path;
        args[i].seconds = seconds;
        th[i] = g_thread_new("bench-client", benchThroughputThread, &args[i]);
    }
    for (int i = 0; i < threads; i++) {
        g_thread_join(th[i]);
        total += args[i].calls;
        *failed |= args[i].failed;
    }
    g_free(args);
    g_free(th);
    return total / seconds;
}


/* loop: when non-NULL, attach it to the client as libvirt's clients do
 * (events and keepalive need one), so the watch hand-over is measured. */
static int
benchVirtnet(const char *path, size_t calls, virEventLoop *loop, benchResult *r)
{
    virNetClient *client = virNetClientNewUNIX(path);
    virNetClientProgram *prog;
    double *samples = g_new(double, calls);
    uint64_t start, t0;

    if (!client)
        return -1;
    prog = demoClientProgramNew(NULL, NULL);
    virNetClientAddProgram(client, prog);
    if (loop && virNetClientAttachLoop(client, loop) < 0)
        return -1;
    for (size_t i = 0; i < calls / 10; i++) {
        if (demoCallNull(prog, client) < 0)
            return -1;
    }
    start = virTimeMonoUs();
    for (size_t i = 0; i < calls; i++) {
        t0 = virTimeMonoUs();
        if (demoCallNull(prog, client) < 0) {
            fprintf(stderr, "call failed: %s\n", virGetLastErrorMessage());
            return -1;
        }
        samples[i] = virTimeMonoUs() - t0;
    }
    benchStats(samples, calls, virTimeMonoUs() - start, r);
    virNetClientClose(client);
    virNetClientProgramUnref(prog);
    virNetClientUnref(client);
    g_free(samples);
    return 0;
}


int
main(int argc, char **argv)
{
    size_t calls = 20000;
    double seconds = 2;
    int threads = 4;
    const char *csv = NULL;
    g_autofree char *dir = g_dir_make_tmp("virtnet-bench-XXXXXX", NULL);
    g_autofree char *rawPath = g_build_filename(dir, "raw", NULL);
    g_autofree char *sockPath = g_build_filename(dir, "sock", NULL);
    virNetServerConfig cfg;
    virEventThread *evt;
    virNetServer *srv;
    virNetServerService *svc;
    benchResult raw, vn, vnl;
    virEventThread *clientLoop = virEventThreadNew("bench-client-loop");
    double tput = 0, tputMetrics = 0, tputNoMetrics = 0;
    bool metrics = true;
    int failed = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--calls") && i + 1 < argc)
            calls = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = strtod(argv[++i], NULL);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--csv") && i + 1 < argc)
            csv = argv[++i];
        else if (!strcmp(argv[i], "--no-metrics"))
            metrics = false;   /* the latency runs without metrics (callgrind comparisons) */
        else {
            fprintf(stderr, "usage: bench-rpc [--calls N] [--seconds S] [--threads T] "
                    "[--csv FILE] [--no-metrics]\n");
            return 2;
        }
    }
    if (calls < 100)
        calls = 100;

    virNetServerConfigDefaults(&cfg);
    cfg.keepalive_interval = -1;
    evt = virEventThreadNew("bench-server");
    if (!(srv = demoServerNew(&cfg, virEventThreadGetLoop(evt), NULL)) ||
        !(svc = virNetServerServiceNewUNIX(sockPath, 0700, (gid_t)-1,
                                           VIR_NET_SERVER_SERVICE_AUTH_NONE, false, 128)) ||
        virNetServerAddService(srv, svc) < 0 || virNetServerStart(srv) < 0) {
        fprintf(stderr, "bench-rpc: server setup failed: %s\n", virGetLastErrorMessage());
        return 1;
    }
    virNetServerSetMetrics(srv, metrics);

    /* Interleave the two measurements so drift on a shared machine hits both. */
    if (benchRaw(rawPath, calls, &raw) < 0 || benchVirtnet(sockPath, calls, NULL, &vn) < 0 ||
        benchVirtnet(sockPath, calls, virEventThreadGetLoop(clientLoop), &vnl) < 0) {
        fprintf(stderr, "bench-rpc: measurement failed: %s\n", virGetLastErrorMessage());
        return 1;
    }
    {
        benchResult raw2, vn2, vnl2;
        if (benchRaw(rawPath, calls, &raw2) == 0 &&
            benchVirtnet(sockPath, calls, NULL, &vn2) == 0 &&
            benchVirtnet(sockPath, calls, virEventThreadGetLoop(clientLoop), &vnl2) == 0) {
            if (raw2.rtt_us < raw.rtt_us)
                raw = raw2;
            if (vn2.rtt_us < vn.rtt_us)
                vn = vn2;
            if (vnl2.rtt_us < vnl.rtt_us)
                vnl = vnl2;
        }
    }

    tput = benchThroughput(sockPath, threads, seconds, &failed);

    /* Per-procedure metrics (always on in virtnetd) against none: the same
     * null calls, off and on in turn, three rounds, same run. */
    for (int round = 0; round < 6; round++) {
        /* alternate which goes first: drift on a shared machine hits both */
        for (int k = 0; k < 2; k++) {
            bool on = (round + k) % 2;

            virNetServerSetMetrics(srv, on);
            *(on ? &tputMetrics : &tputNoMetrics) +=
                benchThroughput(sockPath, threads, seconds / 4, &failed);
        }
    }
    virNetServerSetMetrics(srv, true);

    printf("bench-rpc: null call over a UNIX socket, %zu calls, best of 2 runs\n", calls);
    printf("%-34s %10s %10s %10s %12s\n", "", "mean us", "p50 us", "p99 us", "calls/s");
    printf("%-34s %10.2f %10.2f %10.2f %12.0f\n", "raw UNIX ping-pong (floor)",
           raw.rtt_us, raw.p50_us, raw.p99_us, raw.calls_per_s);
    printf("%-34s %10.2f %10.2f %10.2f %12.0f\n", "virtnet null call (1 conn)",
           vn.rtt_us, vn.p50_us, vn.p99_us, vn.calls_per_s);
    printf("%-34s %10.2f %10.2f %10.2f %12.0f\n", "virtnet null call (client + loop)",
           vnl.rtt_us, vnl.p50_us, vnl.p99_us, vnl.calls_per_s);
    printf("ratio virtnet / raw round trip: %.2fx (target <= 1.5x); with a client loop: %.2fx\n",
           vn.rtt_us / raw.rtt_us, vnl.rtt_us / raw.rtt_us);
    printf("throughput, %d connections x 1 in flight, %.1f s: %.0f calls/s%s\n",
           threads, seconds, tput, failed ? " (SOME CALLS FAILED)" : "");
    printf("metrics: %.0f calls/s on, %.0f off (6 x %.2f s each, interleaved): "
           "on / off = %.3f, cost %.1f%% (target < 3%%)\n",
           tputMetrics / 6, tputNoMetrics / 6, seconds / 4, tputMetrics / tputNoMetrics,
           100.0 * (1 - tputMetrics / tputNoMetrics));

    if (csv) {
        FILE *f = fopen(csv, "w");
        if (f) {
            fprintf(f, "what,mean_us,p50_us,p99_us,calls_per_s\n");
            fprintf(f, "raw,%.3f,%.3f,%.3f,%.0f\n", raw.rtt_us, raw.p50_us, raw.p99_us, raw.calls_per_s);
            fprintf(f, "virtnet,%.3f,%.3f,%.3f,%.0f\n", vn.rtt_us, vn.p50_us, vn.p99_us, vn.calls_per_s);
            fprintf(f, "virtnet_loop,%.3f,%.3f,%.3f,%.0f\n", vnl.rtt_us, vnl.p50_us, vnl.p99_us, vnl.calls_per_s);
            fprintf(f, "virtnet_throughput_%d,,,,%.0f\n", threads, tput);
            fprintf(f, "virtnet_throughput_metrics_on_%d,,,,%.0f\n", threads, tputMetrics / 6);
            fprintf(f, "virtnet_throughput_metrics_off_%d,,,,%.0f\n", threads, tputNoMetrics / 6);
            fclose(f);
        }
    }

    virNetServerShutdown(srv, 1000);
    virNetServerUnref(srv);
    virEventThreadFree(evt);
    virEventThreadFree(clientLoop);
    rmdir(dir);
    return failed ? 1 : 0;
}
