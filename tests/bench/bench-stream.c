/*
 * bench-stream: stream throughput of a volume upload or download, and what
 * it costs the daemon (docs/performance.md, "Streams"). Run by
 * tests/bench/bench-streams.sh (make bench-streams).
 *
 *   bench-stream --uri URI --pool POOL --vol VOL --op upload|download
 *                --bytes N [--daemon-pid PID] [--label L]
 *   bench-stream --raw FILE --op upload|download --bytes N [--label L]
 *
 * With --uri: our client library (vnclient.h, blocking vnStreamSend /
 * vnStreamRecv of 256 KiB) moves N bytes to or from the volume, a daemon
 * (virtnetd or libvirtd: the same client for both) in between. The data
 * are made in memory and dropped on arrival: no file on the client's side.
 * With --raw: the floor, the same bytes over a UNIX socket pair to a child
 * process that writes them to FILE (upload) or reads them from it
 * (download) with pwrite / pread of 256 KiB, as a daemon's file thread
 * would, without RPC.
 *
 * Prints one line: label op bytes seconds MiB/s daemon_cpu_s_per_GiB
 * client_cpu_s_per_GiB (the daemon's utime + stime from /proc/PID/stat,
 * its waited-for children's included; the raw floor's "daemon" is the
 * child). The clock runs from the call that opens the stream to the end
 * of the closing handshake (an upload's finish waits for the daemon's
 * fdatasync).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "vnclient.h"

#define CHUNK (256 * 1024)
#define GiB (1024.0 * 1024 * 1024)

static double
nowSeconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* utime + stime (+ cutime + cstime) of pid, in seconds; -1 when unknown */
static double
cpuOf(long pid)
{
    char path[64], buf[4096];
    unsigned long long v[4];
    const char *p;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    if ((fd = open(path, O_RDONLY)) < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    /* after the command's closing parenthesis: state is field 3, utime 14 */
    if (!(p = strrchr(buf, ')')) ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu",
               &v[0], &v[1], &v[2], &v[3]) != 4)
        return -1;
    return (double)(v[0] + v[1] + v[2] + v[3]) / sysconf(_SC_CLK_TCK);
}

static double
selfCpu(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
die(const char *what)
{
    const char *msg = vnGetLastErrorMessage();

    fprintf(stderr, "bench-stream: %s: %s\n", what, msg ? msg : strerror(errno));
    exit(1);
}

static void
fill(char *buf)
{
    for (size_t i = 0; i < CHUNK; i++)
        buf[i] = (char)(i * 131 + (i >> 12));
}

static int
writeAll(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= n;
    }
    return 0;
}

/* The floor's other end: FILE to or from the socket, 256 KiB at a time. */
static void
rawChild(int sock, const char *file, int upload, unsigned long long bytes)
{
    char *buf = malloc(CHUNK);
    int fd = open(file, upload ? O_WRONLY | O_CREAT : O_RDONLY, 0600);
    unsigned long long pos = 0;

    if (!buf || fd < 0)
        _exit(2);
    while (pos < bytes) {
        size_t want = bytes - pos < CHUNK ? bytes - pos : CHUNK;
        ssize_t n;

        if (upload) {
            if ((n = read(sock, buf, want)) <= 0 || pwrite(fd, buf, n, pos) != n)
                _exit(3);
        } else {
            if ((n = pread(fd, buf, want, pos)) <= 0 || writeAll(sock, buf, n) < 0)
                _exit(3);
        }
        pos += n;
    }
    if (upload && fdatasync(fd) < 0)
        _exit(4);
    /* the confirmation, as the daemon's finish */
    if (writeAll(sock, "k", 1) < 0)
        _exit(5);
    _exit(0);
}

static double
rawRun(const char *file, int upload, unsigned long long bytes, double *childCpu)
{
    char *buf = malloc(CHUNK);
    unsigned long long done = 0;
    struct rusage ru;
    int sv[2], status;
    double t0, t1;
    pid_t pid;
    char k;

    if (!buf || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        die("socketpair");
    fill(buf);
    t0 = nowSeconds();
    if ((pid = fork()) == 0) {
        close(sv[0]);
        rawChild(sv[1], file, upload, bytes);
    }
    close(sv[1]);
    while (done < bytes) {
        size_t want = bytes - done < CHUNK ? bytes - done : CHUNK;
        ssize_t n;

        if (upload) {
            if (writeAll(sv[0], buf, want) < 0)
                die("raw write");
            n = want;
        } else if ((n = read(sv[0], buf, want)) <= 0) {
            die("raw read");
        }
        done += n;
    }
    if (read(sv[0], &k, 1) != 1)
        die("raw confirmation");
    t1 = nowSeconds();
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("raw child");
    *childCpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    close(sv[0]);
    free(buf);
    return t1 - t0;
}

static double
rpcRun(const char *uri, const char *poolName, const char *volName, int upload,
       unsigned long long bytes)
{
    char *buf = malloc(CHUNK);
    unsigned long long done = 0;
    vnStoragePool *pool;
    vnStorageVol *vol;
    vnConnect *conn;
    vnStream *st;
    double t0, t1;

    if (!buf)
        die("malloc");
    fill(buf);
    if (!(conn = vnConnectOpen(uri, 0)))
        die("open");
    if (!(pool = vnStoragePoolLookupByName(conn, poolName)))
        die("pool");
    if (!(vol = vnStorageVolLookupByName(pool, volName)))
        die("volume");
    if (!(st = vnStreamNew(conn, 0)))
        die("stream");
    t0 = nowSeconds();
    if (upload) {
        if (vnStorageVolUpload(vol, st, 0, bytes, 0) < 0)
            die("upload");
        while (done < bytes) {
            size_t want = bytes - done < CHUNK ? bytes - done : CHUNK;
            int n = vnStreamSend(st, buf, want);

            if (n < 0)
                die("send");
            done += n;
        }
    } else {
        if (vnStorageVolDownload(vol, st, 0, bytes, 0) < 0)
            die("download");
        for (;;) {
            int n = vnStreamRecv(st, buf, CHUNK);

            if (n < 0)
                die("recv");
            if (n == 0)
                break;
            done += n;
        }
        if (done != bytes) {
            fprintf(stderr, "bench-stream: %llu bytes downloaded, %llu asked\n", done, bytes);
            exit(1);
        }
    }
    if (vnStreamFinish(st) < 0)
        die("finish");
    t1 = nowSeconds();
    vnStreamFree(st);
    vnStorageVolFree(vol);
    vnStoragePoolFree(pool);
    vnConnectClose(conn);
    free(buf);
    return t1 - t0;
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "uri", required_argument, NULL, 'u' },
        { "pool", required_argument, NULL, 'p' },
        { "vol", required_argument, NULL, 'v' },
        { "op", required_argument, NULL, 'o' },
        { "bytes", required_argument, NULL, 'b' },
        { "daemon-pid", required_argument, NULL, 'd' },
        { "raw", required_argument, NULL, 'r' },
        { "label", required_argument, NULL, 'l' },
        { NULL, 0, NULL, 0 },
    };
    const char *uri = NULL, *pool = NULL, *vol = NULL, *op = NULL, *raw = NULL;
    const char *label = "run";
    unsigned long long bytes = 0;
    long daemonPid = 0;
    double secs, dcpu = -1, ccpu, d0 = -1, c0;
    int c, upload;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'u': uri = optarg; break;
        case 'p': pool = optarg; break;
        case 'v': vol = optarg; break;
        case 'o': op = optarg; break;
        case 'b': bytes = strtoull(optarg, NULL, 10); break;
        case 'd': daemonPid = strtol(optarg, NULL, 10); break;
        case 'r': raw = optarg; break;
        case 'l': label = optarg; break;
        default: return 2;
        }
    }
    if (!op || (strcmp(op, "upload") && strcmp(op, "download")) || bytes == 0 ||
        (!raw && (!uri || !pool || !vol))) {
        fprintf(stderr, "usage: bench-stream (--uri URI --pool P --vol V | --raw FILE) "
                        "--op upload|download --bytes N [--daemon-pid PID] [--label L]\n");
        return 2;
    }
    upload = !strcmp(op, "upload");
    c0 = selfCpu();
    if (raw) {
        secs = rawRun(raw, upload, bytes, &dcpu);
    } else {
        if (daemonPid > 0)
            d0 = cpuOf(daemonPid);
        secs = rpcRun(uri, pool, vol, upload, bytes);
        if (daemonPid > 0 && d0 >= 0)
            dcpu = cpuOf(daemonPid) - d0;
    }
    ccpu = selfCpu() - c0;
    printf("%s %s %llu %.3f %.1f %.3f %.3f\n", label, op, bytes, secs,
           bytes / (1024.0 * 1024) / secs, dcpu < 0 ? -1 : dcpu / (bytes / GiB),
           ccpu / (bytes / GiB));
    return 0;
}
