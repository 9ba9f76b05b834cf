/*
 * virtnet-bench: a load generator for libvirt's remote program (0x20008086).
 *
 * It speaks the wire protocol itself, so it drives virtnetd and libvirtd
 * alike, and reports calls/s, latency percentiles, errors, and the daemon's
 * CPU time and memory. docs/performance.md explains the workloads, the
 * numbers and how tests/bench/run-bench.sh uses them.
 *
 *   virtnet-bench --socket PATH [--uri test:///default] --workload W
 *                 --connections N --inflight K (--duration S | --calls C)
 *                 [--warmup S] [--csv FILE] [--daemon-pid PID] [--label L]
 *
 * Design: one thread drives every connection with non-blocking I/O on one
 * epoll set (level-triggered). Each connection keeps K calls outstanding;
 * replies are matched to calls by serial. Calls are encoded straight into
 * the connection's transmit buffer with the generated xdr_* filters (no
 * per-call allocation), replies are decoded in place from a shared receive
 * buffer. A thread per call in flight (our virNetClient's model) would need
 * 4096 threads for 1024 connections x 4 on a 2-core machine: the scheduler,
 * not the daemon, would be measured. One thread leaves the other core to the
 * daemon; the tool reports its own CPU time so a saturated client shows.
 *
 * A stats reply (about 10 KiB, 101 records) costs the tool more to decode
 * than the daemon to build, and on a small machine the tool then measures
 * itself. By default (--decode changed) a connection decodes a stats reply
 * in full, keeps its bytes, and takes a later reply that is byte-for-byte
 * equal as verified without decoding it again; any other reply is decoded
 * in full and becomes the reference. --decode all decodes every reply.
 *
 * Latency is measured per RPC, from just before the call is written to the
 * socket to the moment its reply has been read and decoded (CLOCK_MONOTONIC).
 * Workloads made of two dependent calls (lookup-info, define-undefine) count
 * both calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include <dirent.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "virnet_protocol.h"
#include "remote_protocol.h"
#include "virpublic.h"

#define BENCH_MAX_INFLIGHT 256
#define BENCH_HANDSHAKE_WINDOW 128     /* connections in their connect sequence at once */
#define BENCH_DRAIN_NS (10ULL * 1000000000ULL)
#define BENCH_EVENT_TIMEOUT_NS (5ULL * 1000000000ULL)
#define BENCH_RXBUF (256 * 1024)
#define BENCH_TX_RESERVE 4096           /* largest call we encode */
#define BENCH_IDLE_BUSY 4               /* busy connections beside the idle ones */
#define BENCH_MSG_MIN (VIR_NET_MESSAGE_LEN_MAX + VIR_NET_MESSAGE_HEADER_MAX)

typedef enum {
    WL_NULL,
    WL_LOOKUP_INFO,
    WL_LIST,
    WL_DEFINE_UNDEFINE,
    WL_EVENTS,
    WL_IDLE,
    WL_PINGPONG,
    WL_STATS,
    WL_LAST
} benchWorkload;

static const char *const workloadNames[WL_LAST] = {
    "null", "lookup-info", "list", "define-undefine", "events", "idle", "pingpong", "stats",
};

typedef enum {
    ROLE_LOAD,      /* runs the workload's calls */
    ROLE_IDLE,      /* connect sequence, then nothing */
    ROLE_BUSY,      /* idle workload: null calls beside the idle connections */
    ROLE_SUB,       /* events: registered for lifecycle events */
    ROLE_DRIVER,    /* events: defines and undefines */
} benchRole;

typedef enum {
    ST_NEW,         /* not connected yet */
    ST_HANDSHAKE,   /* connect sequence in progress */
    ST_READY,
    ST_CLOSED,
} benchState;

typedef enum {
    STEP_AUTH_LIST,
    STEP_OPEN,
    STEP_REGISTER,
    STEP_NULL,
    STEP_LOOKUP,
    STEP_GETINFO,
    STEP_LIST,
    STEP_DEFINE,
    STEP_UNDEFINE,
    STEP_PING,
    STEP_STATS,
} benchStep;

static const char *const stepNames[] = {
    "AUTH_LIST", "CONNECT_OPEN", "CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY",
    "CONNECT_GET_LIB_VERSION", "DOMAIN_LOOKUP_BY_NAME", "DOMAIN_GET_INFO",
    "CONNECT_LIST_ALL_DOMAINS", "DOMAIN_DEFINE_XML", "DOMAIN_UNDEFINE", "ping",
    "CONNECT_GET_ALL_DOMAIN_STATS",
};

typedef struct {
    bool used;
    bool unsent;          /* encoded; t0 is set when it is written */
    bool record;          /* sent during the measured window */
    benchStep step;
    uint32_t serial;
    uint64_t t0;
    /* the domain a chain carries from its first call to its second */
    char name[64];
    char uuid[VIR_NET_MESSAGE_UUID_BUFLEN];
    int id;
} benchSlot;

typedef struct {
    int fd;
    size_t idx;
    benchRole role;
    benchState state;
    uint32_t serial;
    int inflight;
    int nslots;
    benchSlot *slots;
    char *rx;             /* an incomplete message carried between reads */
    size_t rxlen, rxcap;
    char *tx;
    size_t txlen, txoff, txcap;
    bool wantOut;
    bool dirty;           /* on g.dirty: calls encoded, not yet written */
    int callbackID;       /* events: our registration */
    uint64_t evSeq;       /* events: the last event seen here */
    uint64_t chains;      /* define-undefine: names used */
    char *ref;            /* stats: the last reply decoded in full */
    size_t reflen;
} benchConn;

static struct {
    const char *socket;
    const char *uri;
    benchWorkload workload;
    int connections;
    int inflight;
    double duration;
    long long calls;
    double warmup;
    const char *csv;
    pid_t daemonPid;
    const char *label;
    int busy;
    int echoCPU;
    bool decodeAll;
} opt = {
    .uri = "test:///default",
    .workload = WL_LAST,
    .connections = 1,
    .inflight = 1,
    .duration = -1,
    .calls = -1,
    .warmup = 0,
    .label = "",
    .busy = BENCH_IDLE_BUSY,
    .echoCPU = -1,
};

/* Engine state: one thread, no locks. */
static struct {
    int epfd;
    benchConn *conns;
    size_t nconns;
    size_t handshaking;
    char *rxbuf;
    bool issue;           /* start new calls */
    bool record;          /* new calls are measured */
    long long sentRecorded;
    uint64_t winStart, winEnd;
    unsigned long long doneInWindow;
    unsigned long long errors;    /* error replies, protocol errors */
    unsigned long long lost;      /* calls without a reply */
    unsigned long long connFailed;
    unsigned int errorsShown;
    uint64_t *lat;                /* ns, recorded calls (events: fan-out) */
    size_t nlat, latcap;
    long inflightTotal;
    uint64_t lastReply;           /* progress, for the --calls stall check */
    benchConn **dirty;            /* connections with calls to write */
    size_t ndirty;
    pid_t pid;
    unsigned long long repliesDecoded;  /* stats: decoded in full */
    unsigned long long repliesReused;   /* stats: equal to a decoded one */
} g;

/* events workload */
static struct {
    benchConn *drv;
    size_t nsubs;
    uint64_t seq;
    bool awaiting;
    bool record;
    bool replyGot;
    char name[64];
    int evType;
    uint64_t tSend, tReply, tLast;
    size_t delivered;
    benchStep next;
    char uuid[VIR_NET_MESSAGE_UUID_BUFLEN];
    int id;
    unsigned long long done;      /* fan-outs completed (recorded) */
    unsigned long long deliveries;
    unsigned long long lostDeliveries;
    unsigned long long unexpected;
    uint64_t *fromSend;           /* fan-out measured from the call's send */
    size_t nFromSend, capFromSend;
} ev;


static uint64_t
nowNs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}


static void
latPush(uint64_t **arr, size_t *n, size_t *cap, uint64_t v)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 65536;
        *arr = realloc(*arr, *cap * sizeof(**arr));
        if (!*arr) {
            fprintf(stderr, "virtnet-bench: out of memory\n");
            exit(1);
        }
    }
    (*arr)[(*n)++] = v;
}


static void
reportError(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
reportError(const char *fmt, ...)
{
    va_list ap;

    if (g.errorsShown++ >= 5) {
        if (g.errorsShown == 6)
            fprintf(stderr, "virtnet-bench: (further errors not shown)\n");
        return;
    }
    fprintf(stderr, "virtnet-bench: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}


/* ---- daemon statistics from /proc ---------------------------------------- */

static double
procCPUSeconds(pid_t pid)
{
    char path[64], buf[4096], *p;
    unsigned long long ut = 0, st = 0;
    FILE *f;
    size_t n;

    if (pid <= 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if (!(f = fopen(path, "r")))
        return -1;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* the command name may hold spaces: fields count from the last ')' */
    if (!(p = strrchr(buf, ')')))
        return -1;
    /* after ')': state(3) ppid(4) ... utime(14) stime(15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
               &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / sysconf(_SC_CLK_TCK);
}


static long
procRSSKiB(pid_t pid)
{
    char path[64], line[256];
    long kib = -1;
    FILE *f;

    if (pid <= 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    if (!(f = fopen(path, "r")))
        return -1;
    while (fgets(line, sizeof(line), f)) {
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    }
    fclose(f);
    return kib;
}


/* Context switches (voluntary + involuntary) of all the daemon's threads. */
static long long
procCtxSwitches(pid_t pid)
{
    char path[64], line[256];
    long long total = 0, v;
    struct dirent *de;
    DIR *d;

    if (pid <= 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
    if (!(d = opendir(path)))
        return -1;
    while ((de = readdir(d))) {
        char spath[320];
        FILE *f;

        if (de->d_name[0] == '.')
            continue;
        snprintf(spath, sizeof(spath), "/proc/%d/task/%s/status", (int)pid, de->d_name);
        if (!(f = fopen(spath, "r")))
            continue;
        while (fgets(line, sizeof(line), f)) {
            if (sscanf(line, "voluntary_ctxt_switches: %lld", &v) == 1 ||
                sscanf(line, "nonvoluntary_ctxt_switches: %lld", &v) == 1)
                total += v;
        }
        fclose(f);
    }
    closedir(d);
    return total;
}


static double
selfCPUSeconds(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}


/* ---- connections --------------------------------------------------------- */

static void
connWatch(benchConn *c, bool out)
{
    struct epoll_event e = { .events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c };

    if (epoll_ctl(g.epfd, EPOLL_CTL_MOD, c->fd, &e) < 0)
        reportError("epoll_ctl: %s", strerror(errno));
    c->wantOut = out;
}


static void
connClose(benchConn *c, const char *why)
{
    if (c->state == ST_CLOSED)
        return;
    if (why) {
        g.errors++;
        reportError("connection %zu: %s (%d calls lost)", c->idx, why, c->inflight);
    }
    if (c->state == ST_HANDSHAKE) {
        g.handshaking--;
        if (why)
            g.connFailed++;
    }
    if (c->fd >= 0) {
        epoll_ctl(g.epfd, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        c->fd = -1;
    }
    if (why)
        g.lost += c->inflight;
    g.inflightTotal -= c->inflight;
    c->inflight = 0;
    for (int i = 0; i < c->nslots; i++)
        c->slots[i].used = false;
    c->state = ST_CLOSED;
    free(c->rx);
    free(c->tx);
    free(c->ref);
    c->rx = c->tx = c->ref = NULL;
    c->reflen = 0;
    c->rxlen = c->rxcap = c->txlen = c->txoff = c->txcap = 0;
}


static void
connFlush(benchConn *c)
{
    uint64_t now = nowNs();

    /* calls written now start their clock now */
    for (int j = 0; j < c->nslots; j++) {
        if (c->slots[j].unsent) {
            c->slots[j].unsent = false;
            c->slots[j].t0 = now;
            if (c == ev.drv)
                ev.tSend = now;
        }
    }
    while (c->txoff < c->txlen) {
        ssize_t n = send(c->fd, c->tx + c->txoff, c->txlen - c->txoff, MSG_NOSIGNAL);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                if (!c->wantOut)
                    connWatch(c, true);
                return;
            }
            connClose(c, strerror(errno));
            return;
        }
        c->txoff += n;
    }
    c->txoff = c->txlen = 0;
    if (c->wantOut)
        connWatch(c, false);
}


/* Write what the handlers encoded: once per connection and loop turn, so
 * the replies of one read turn into one write of new calls. A call's
 * latency starts here, just before its write, not when it was encoded. */
static void
flushDirty(void)
{
    for (size_t i = 0; i < g.ndirty; i++) {
        benchConn *c = g.dirty[i];

        c->dirty = false;
        if (c->state == ST_CLOSED || !c->txlen || c->wantOut)
            continue;
        connFlush(c);
    }
    g.ndirty = 0;
}


static benchSlot *
slotGet(benchConn *c)
{
    for (int i = 0; i < c->nslots; i++) {
        if (!c->slots[i].used)
            return &c->slots[i];
    }
    return NULL;
}


/* Encode one call (header + args) at the end of c->tx and take a slot. */
static benchSlot *
connCall(benchConn *c, int proc, benchStep step, xdrproc_t filter, void *args)
{
    virNetMessageHeader hdr = {
        .prog = REMOTE_PROGRAM, .vers = REMOTE_PROTOCOL_VERSION, .proc = proc,
        .type = VIR_NET_CALL, .serial = c->serial, .status = VIR_NET_OK,
    };
    benchSlot *s = slotGet(c);
    XDR xdr;
    size_t len;

    if (!s)
        return NULL;
    if (c->txcap - c->txlen < BENCH_TX_RESERVE) {
        if (c->txoff > 0 && c->txoff == c->txlen)
            c->txoff = c->txlen = 0;
        if (c->txcap - c->txlen < BENCH_TX_RESERVE) {
            c->txcap = c->txlen + BENCH_TX_RESERVE * 2;
            c->tx = realloc(c->tx, c->txcap);
        }
    }
    xdrmem_create(&xdr, c->tx + c->txlen + 4, c->txcap - c->txlen - 4, XDR_ENCODE);
    if (!xdr_virNetMessageHeader(&xdr, &hdr) || (filter && !filter(&xdr, args))) {
        xdr_destroy(&xdr);
        fprintf(stderr, "virtnet-bench: cannot encode call %d\n", proc);
        exit(1);
    }
    len = 4 + xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    c->tx[c->txlen] = len >> 24;
    c->tx[c->txlen + 1] = len >> 16;
    c->tx[c->txlen + 2] = len >> 8;
    c->tx[c->txlen + 3] = len;
    c->txlen += len;
    if (!c->dirty) {
        c->dirty = true;
        g.dirty[g.ndirty++] = c;
    }

    s->used = true;
    s->step = step;
    s->serial = c->serial++;
    s->record = g.record && c->state == ST_READY;
    s->t0 = nowNs();
    s->unsent = true;
    c->inflight++;
    g.inflightTotal++;
    if (s->record)
        g.sentRecorded++;
    return s;
}


static bool
mayIssue(void)
{
    if (!g.issue)
        return false;
    if (g.record && opt.calls > 0 && g.sentRecorded >= opt.calls)
        return false;
    return true;
}


static void
callDomainStep(benchConn *c, int proc, benchStep step, xdrproc_t filter,
               const char *name, const char *uuid, int id)
{
    remote_domain_get_info_args a;   /* same layout for undefine: one remote_dom */
    benchSlot *s;

    a.dom.name = (char *)name;
    memcpy(a.dom.uuid, uuid, VIR_NET_MESSAGE_UUID_BUFLEN);
    a.dom.id = id;
    if ((s = connCall(c, proc, step, filter, &a))) {
        snprintf(s->name, sizeof(s->name), "%s", name);
        memcpy(s->uuid, uuid, VIR_NET_MESSAGE_UUID_BUFLEN);
        s->id = id;
    }
}


static const char *
defineXML(const char *name, char *buf, size_t len)
{
    snprintf(buf, len,
             "<domain type='test'><name>%s</name><memory>8192</memory>"
             "<os><type>hvm</type></os></domain>", name);
    return buf;
}


/* Start a new chain on c: the workload's first call. */
static bool
startChain(benchConn *c)
{
    char name[64], xml[256];

    switch (c->role == ROLE_BUSY ? WL_NULL : opt.workload) {
    case WL_NULL:
        return connCall(c, REMOTE_PROC_CONNECT_GET_LIB_VERSION, STEP_NULL, NULL, NULL) != NULL;
    case WL_PINGPONG:
        return connCall(c, REMOTE_PROC_CONNECT_GET_LIB_VERSION, STEP_PING, NULL, NULL) != NULL;
    case WL_LOOKUP_INFO: {
        remote_domain_lookup_by_name_args a = { .name = (char *)"test" };
        return connCall(c, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, STEP_LOOKUP,
                        (xdrproc_t)xdr_remote_domain_lookup_by_name_args, &a) != NULL;
    }
    case WL_LIST: {
        remote_connect_list_all_domains_args a = { .need_results = 1, .flags = 0 };
        return connCall(c, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, STEP_LIST,
                        (xdrproc_t)xdr_remote_connect_list_all_domains_args, &a) != NULL;
    }
    case WL_DEFINE_UNDEFINE: {
        remote_domain_define_xml_args a;
        snprintf(name, sizeof(name), "vb-%d-%zu-%llu", (int)g.pid, c->idx,
                 (unsigned long long)c->chains++);
        a.xml = (char *)defineXML(name, xml, sizeof(xml));
        return connCall(c, REMOTE_PROC_DOMAIN_DEFINE_XML, STEP_DEFINE,
                        (xdrproc_t)xdr_remote_domain_define_xml_args, &a) != NULL;
    }
    case WL_STATS: {
        /* every domain, every stats group the driver fills */
        remote_connect_get_all_domain_stats_args a = { .stats = 0, .flags = 0 };
        return connCall(c, REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, STEP_STATS,
                        (xdrproc_t)xdr_remote_connect_get_all_domain_stats_args, &a) != NULL;
    }
    case WL_EVENTS:
    case WL_IDLE:
    case WL_LAST:
        break;
    }
    return false;
}


static void eventsDriverIssue(void);

/* Keep K calls outstanding on a ready connection. */
static void
connFill(benchConn *c)
{
    if (c->state != ST_READY)
        return;
    if (c->role == ROLE_LOAD || c->role == ROLE_BUSY) {
        while (c->inflight < c->nslots && mayIssue()) {
            if (!startChain(c))
                break;
        }
    } else if (c->role == ROLE_DRIVER) {
        eventsDriverIssue();
    }
}


/* ---- the connect sequence ------------------------------------------------ */

static void
handshakeStep(benchConn *c, benchStep step)
{
    switch (step) {
    case STEP_AUTH_LIST:
        connCall(c, REMOTE_PROC_AUTH_LIST, step, NULL, NULL);
        break;
    case STEP_OPEN: {
        char *uri = (char *)opt.uri;
        remote_connect_open_args a = { .uri = &uri, .flags = 0 };
        connCall(c, REMOTE_PROC_CONNECT_OPEN, step,
                 (xdrproc_t)xdr_remote_connect_open_args, &a);
        break;
    }
    case STEP_REGISTER: {
        remote_connect_domain_event_callback_register_any_args a = {
            .event_id = VIR_DOMAIN_EVENT_ID_LIFECYCLE, .dom = NULL,
        };
        connCall(c, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, step,
                 (xdrproc_t)xdr_remote_connect_domain_event_callback_register_any_args, &a);
        break;
    }
    default:
        break;
    }
}


static void
connReady(benchConn *c)
{
    c->state = ST_READY;
    g.handshaking--;
    connFill(c);
}


/* Start connecting c. Returns 0, or -1 when the listen backlog is full
 * (try again later; c stays ST_NEW). Other failures close c. */
static int
connOpen(benchConn *c)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    struct epoll_event e = { .events = EPOLLIN, .data.ptr = c };
    int fd;

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        c->state = ST_HANDSHAKE;
        g.handshaking++;
        connClose(c, strerror(errno));
        return 0;
    }
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", opt.socket);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 && errno != EINPROGRESS) {
        int err = errno;
        close(fd);
        if (err == EAGAIN)
            return -1;
        c->state = ST_HANDSHAKE;
        g.handshaking++;
        connClose(c, strerror(err));
        return 0;
    }
    c->fd = fd;
    c->state = ST_HANDSHAKE;
    g.handshaking++;
    if (epoll_ctl(g.epfd, EPOLL_CTL_ADD, fd, &e) < 0) {
        connClose(c, strerror(errno));
        return 0;
    }
    if (opt.workload == WL_PINGPONG) {
        connReady(c);
        return 0;
    }
    handshakeStep(c, STEP_AUTH_LIST);
    return 0;
}


/* ---- events -------------------------------------------------------------- */

static void
eventsComplete(void)
{
    if (!ev.awaiting || !ev.replyGot || ev.delivered < ev.nsubs)
        return;
    if (ev.record) {
        latPush(&g.lat, &g.nlat, &g.latcap, ev.tLast > ev.tReply ? ev.tLast - ev.tReply : 0);
        latPush(&ev.fromSend, &ev.nFromSend, &ev.capFromSend, ev.tLast - ev.tSend);
        ev.done++;
    }
    ev.awaiting = false;
    connFill(ev.drv);
}


static void
eventsDriverIssue(void)
{
    benchConn *c = ev.drv;
    char xml[256];

    if (ev.awaiting || c->state != ST_READY || c->inflight || !mayIssue())
        return;
    ev.seq++;
    ev.delivered = 0;
    ev.replyGot = false;
    ev.record = g.record;
    if (ev.next == STEP_DEFINE) {
        remote_domain_define_xml_args a;
        snprintf(ev.name, sizeof(ev.name), "vbev-%d-%llu", (int)g.pid,
                 (unsigned long long)ev.seq);
        a.xml = (char *)defineXML(ev.name, xml, sizeof(xml));
        ev.evType = 0;  /* VIR_DOMAIN_EVENT_DEFINED */
        connCall(c, REMOTE_PROC_DOMAIN_DEFINE_XML, STEP_DEFINE,
                 (xdrproc_t)xdr_remote_domain_define_xml_args, &a);
    } else {
        ev.evType = 1;  /* VIR_DOMAIN_EVENT_UNDEFINED */
        callDomainStep(c, REMOTE_PROC_DOMAIN_UNDEFINE, STEP_UNDEFINE,
                       (xdrproc_t)xdr_remote_domain_undefine_args, ev.name, ev.uuid, ev.id);
    }
    ev.awaiting = true;
    ev.tSend = nowNs();
}


static void
eventsCheckTimeout(uint64_t now)
{
    if (!ev.awaiting || !ev.replyGot || now - ev.tReply < BENCH_EVENT_TIMEOUT_NS)
        return;
    g.errors++;
    ev.lostDeliveries += ev.nsubs - ev.delivered;
    reportError("event %llu (%s): delivered to %zu of %zu subscribers within 5 s",
                (unsigned long long)ev.seq, ev.name, ev.delivered, ev.nsubs);
    ev.awaiting = false;
    connFill(ev.drv);
}


static void
handleEvent(benchConn *c, const char *payload, size_t len)
{
    remote_domain_event_callback_lifecycle_msg m;
    XDR xdr;

    memset(&m, 0, sizeof(m));
    xdrmem_create(&xdr, (char *)payload, len, XDR_DECODE);
    if (!xdr_remote_domain_event_callback_lifecycle_msg(&xdr, &m)) {
        xdr_destroy(&xdr);
        g.errors++;
        reportError("connection %zu: undecodable lifecycle event", c->idx);
        return;
    }
    xdr_destroy(&xdr);
    if (c->role == ROLE_SUB && m.callback_id == c->callbackID && ev.awaiting &&
        m.msg.event == ev.evType && m.msg.dom.name && strcmp(m.msg.dom.name, ev.name) == 0) {
        if (c->evSeq == ev.seq) {
            ev.unexpected++;    /* a duplicate */
        } else {
            c->evSeq = ev.seq;
            ev.delivered++;
            ev.deliveries++;
            ev.tLast = nowNs();
            eventsComplete();
        }
    } else {
        ev.unexpected++;
    }
    xdr_free((xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, (char *)&m);
}


/* ---- replies ------------------------------------------------------------- */

static void
replyError(benchConn *c, benchSlot *s, const char *payload, size_t len)
{
    virNetMessageError e;
    XDR xdr;

    g.errors++;
    memset(&e, 0, sizeof(e));
    xdrmem_create(&xdr, (char *)payload, len, XDR_DECODE);
    if (xdr_virNetMessageError(&xdr, &e)) {
        reportError("connection %zu: %s failed: code %d: %s", c->idx, stepNames[s->step],
                    e.code, e.message && *e.message ? *e.message : "(no message)");
        xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&e);
    } else {
        reportError("connection %zu: undecodable error reply", c->idx);
    }
    xdr_destroy(&xdr);
}


static bool
decodeRet(const char *payload, size_t len, xdrproc_t filter, void *ret)
{
    XDR xdr;
    bool ok;

    xdrmem_create(&xdr, (char *)payload, len, XDR_DECODE);
    ok = filter(&xdr, ret) && xdr_getpos(&xdr) == len;
    xdr_destroy(&xdr);
    if (!ok)
        xdr_free(filter, ret);
    return ok;
}


static void
handleReply(benchConn *c, const virNetMessageHeader *hdr, const char *payload, size_t len)
{
    benchSlot *s = NULL, done;
    uint64_t now = nowNs();
    bool ok = true;

    for (int i = 0; i < c->nslots; i++) {
        if (c->slots[i].used && c->slots[i].serial == hdr->serial) {
            s = &c->slots[i];
            break;
        }
    }
    if (!s) {
        g.errors++;
        reportError("connection %zu: reply with unknown serial %u", c->idx, hdr->serial);
        return;
    }
    done = *s;
    s->used = false;
    g.lastReply = now;
    c->inflight--;
    g.inflightTotal--;
    if (done.record)
        latPush(&g.lat, &g.nlat, &g.latcap, now - done.t0);
    if (g.winStart && !g.winEnd && now >= g.winStart)
        g.doneInWindow++;

    if (hdr->status != VIR_NET_OK) {
        replyError(c, &done, payload, len);
        if (c->state == ST_HANDSHAKE) {
            connClose(c, "connect sequence failed");
            return;
        }
        if (c->role == ROLE_DRIVER) {
            ev.awaiting = false;
            ev.next = STEP_DEFINE;
        }
        connFill(c);
        return;
    }

    switch (done.step) {
    case STEP_AUTH_LIST: {
        remote_auth_list_ret r = { 0 };
        if ((ok = decodeRet(payload, len, (xdrproc_t)xdr_remote_auth_list_ret, &r))) {
            bool none = false;
            for (u_int i = 0; i < r.types.types_len; i++)
                none |= r.types.types_val[i] == REMOTE_AUTH_NONE;
            xdr_free((xdrproc_t)xdr_remote_auth_list_ret, (char *)&r);
            if (!none && r.types.types_len) {
                connClose(c, "the socket wants authentication (auth_unix_rw must be none)");
                return;
            }
            handshakeStep(c, STEP_OPEN);
        }
        break;
    }
    case STEP_OPEN:
        if (len != 0) {
            ok = false;
            break;
        }
        if (c->role == ROLE_SUB)
            handshakeStep(c, STEP_REGISTER);
        else
            connReady(c);
        break;
    case STEP_REGISTER: {
        remote_connect_domain_event_callback_register_any_ret r = { 0 };
        if ((ok = decodeRet(payload, len,
                            (xdrproc_t)xdr_remote_connect_domain_event_callback_register_any_ret,
                            &r))) {
            c->callbackID = r.callback_id;
            connReady(c);
        }
        break;
    }
    case STEP_NULL: {
        remote_connect_get_lib_version_ret r = { 0 };
        ok = decodeRet(payload, len, (xdrproc_t)xdr_remote_connect_get_lib_version_ret, &r);
        connFill(c);
        break;
    }
    case STEP_PING:
        connFill(c);
        break;
    case STEP_LOOKUP: {
        remote_domain_lookup_by_name_ret r;
        memset(&r, 0, sizeof(r));
        if ((ok = decodeRet(payload, len, (xdrproc_t)xdr_remote_domain_lookup_by_name_ret, &r))) {
            if (mayIssue())
                callDomainStep(c, REMOTE_PROC_DOMAIN_GET_INFO, STEP_GETINFO,
                               (xdrproc_t)xdr_remote_domain_get_info_args,
                               r.dom.name, r.dom.uuid, r.dom.id);
            xdr_free((xdrproc_t)xdr_remote_domain_lookup_by_name_ret, (char *)&r);
        }
        connFill(c);
        break;
    }
    case STEP_GETINFO: {
        remote_domain_get_info_ret r = { 0 };
        ok = decodeRet(payload, len, (xdrproc_t)xdr_remote_domain_get_info_ret, &r);
        connFill(c);
        break;
    }
    case STEP_LIST: {
        remote_connect_list_all_domains_ret r;
        memset(&r, 0, sizeof(r));
        if ((ok = decodeRet(payload, len,
                            (xdrproc_t)xdr_remote_connect_list_all_domains_ret, &r)))
            xdr_free((xdrproc_t)xdr_remote_connect_list_all_domains_ret, (char *)&r);
        connFill(c);
        break;
    }
    case STEP_STATS: {
        remote_connect_get_all_domain_stats_ret r;

        /* equal to a reply already decoded: verified (see the top) */
        if (!opt.decodeAll && c->ref && c->reflen == len && memcmp(c->ref, payload, len) == 0) {
            g.repliesReused++;
            connFill(c);
            break;
        }
        memset(&r, 0, sizeof(r));
        if ((ok = decodeRet(payload, len,
                            (xdrproc_t)xdr_remote_connect_get_all_domain_stats_ret, &r))) {
            xdr_free((xdrproc_t)xdr_remote_connect_get_all_domain_stats_ret, (char *)&r);
            g.repliesDecoded++;
            if (!opt.decodeAll) {
                free(c->ref);
                c->ref = malloc(len ? len : 1);
                if (c->ref)
                    memcpy(c->ref, payload, len);
                c->reflen = len;
            }
        }
        connFill(c);
        break;
    }
    case STEP_DEFINE:
    case STEP_UNDEFINE: {
        remote_domain_define_xml_ret r;
        memset(&r, 0, sizeof(r));
        if (done.step == STEP_DEFINE)
            ok = decodeRet(payload, len, (xdrproc_t)xdr_remote_domain_define_xml_ret, &r);
        else
            ok = len == 0;
        if (c->role == ROLE_DRIVER) {
            if (ok) {
                ev.tReply = now;
                ev.replyGot = true;
                if (done.step == STEP_DEFINE) {
                    memcpy(ev.uuid, r.dom.uuid, sizeof(ev.uuid));
                    ev.id = r.dom.id;
                    ev.next = STEP_UNDEFINE;
                } else {
                    ev.next = STEP_DEFINE;
                }
            } else {
                ev.awaiting = false;
            }
        } else if (ok && done.step == STEP_DEFINE && mayIssue()) {
            callDomainStep(c, REMOTE_PROC_DOMAIN_UNDEFINE, STEP_UNDEFINE,
                           (xdrproc_t)xdr_remote_domain_undefine_args,
                           r.dom.name, r.dom.uuid, r.dom.id);
        }
        if (done.step == STEP_DEFINE && ok)
            xdr_free((xdrproc_t)xdr_remote_domain_define_xml_ret, (char *)&r);
        if (c->role == ROLE_DRIVER)
            eventsComplete();
        connFill(c);
        break;
    }
    }
    if (!ok) {
        g.errors++;
        reportError("connection %zu: undecodable reply to %s (%zu payload bytes)",
                    c->idx, stepNames[done.step], len);
    }
}


/* One complete message: buf holds the length word too. */
static void
handleMessage(benchConn *c, const char *buf, size_t len)
{
    virNetMessageHeader hdr;
    XDR xdr;
    size_t hlen;

    xdrmem_create(&xdr, (char *)buf + 4, len - 4, XDR_DECODE);
    if (!xdr_virNetMessageHeader(&xdr, &hdr)) {
        xdr_destroy(&xdr);
        connClose(c, "undecodable message header");
        return;
    }
    hlen = 4 + xdr_getpos(&xdr);
    xdr_destroy(&xdr);

    if (opt.workload == WL_PINGPONG) {
        handleReply(c, &hdr, buf + hlen, 0);
        return;
    }
    if (hdr.prog != REMOTE_PROGRAM) {
        return;     /* keepalive: we never announce it, nothing else expected */
    }
    if (hdr.type == VIR_NET_REPLY) {
        handleReply(c, &hdr, buf + hlen, len - hlen);
    } else if (hdr.type == VIR_NET_MESSAGE) {
        if (hdr.proc == REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE)
            handleEvent(c, buf + hlen, len - hlen);
        else
            ev.unexpected++;
    } else {
        g.errors++;
        reportError("connection %zu: unexpected message type %d", c->idx, hdr.type);
    }
}


static unsigned int
getU32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    return ((unsigned int)u[0] << 24) | ((unsigned int)u[1] << 16) |
           ((unsigned int)u[2] << 8) | u[3];
}


/* Carve complete messages out of data; returns bytes consumed, or -1 when
 * the connection was closed. */
static ssize_t
parseMessages(benchConn *c, const char *data, size_t avail)
{
    size_t off = 0;

    while (avail - off >= 4) {
        unsigned int len = getU32(data + off);

        if (len < BENCH_MSG_MIN || len - 4 > VIR_NET_MESSAGE_MAX) {
            connClose(c, "message length out of range");
            return -1;
        }
        if (avail - off < len)
            break;
        handleMessage(c, data + off, len);
        if (c->state == ST_CLOSED)
            return -1;
        off += len;
    }
    return off;
}


static void
connRead(benchConn *c)
{
    for (;;) {
        ssize_t n, used;

        if (c->rxlen) {
            /* an incomplete message is pending: append to it */
            if (c->rxcap - c->rxlen < 65536) {
                c->rxcap = c->rxlen + 65536 + (c->rxlen >= 4 ? getU32(c->rx) : 0);
                c->rx = realloc(c->rx, c->rxcap);
            }
            n = recv(c->fd, c->rx + c->rxlen, c->rxcap - c->rxlen, 0);
        } else {
            n = recv(c->fd, g.rxbuf, BENCH_RXBUF, 0);
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                connClose(c, strerror(errno));
            return;
        }
        if (n == 0) {
            connClose(c, "connection closed by the daemon");
            return;
        }
        if (c->rxlen) {
            c->rxlen += n;
            if ((used = parseMessages(c, c->rx, c->rxlen)) < 0)
                return;
            memmove(c->rx, c->rx + used, c->rxlen - used);
            c->rxlen -= used;
            if (c->rxlen == 0 && c->rxcap > 65536) {
                free(c->rx);
                c->rx = NULL;
                c->rxcap = 0;
            }
            return;
        }
        if ((used = parseMessages(c, g.rxbuf, n)) < 0)
            return;
        if ((size_t)used < (size_t)n) {
            size_t rest = n - used;
            if (c->rxcap < rest) {
                c->rxcap = rest < 65536 ? 65536 : rest;
                c->rx = realloc(c->rx, c->rxcap);
            }
            memcpy(c->rx, g.rxbuf + used, rest);
            c->rxlen = rest;
        }
        if (n < BENCH_RXBUF)
            return;
    }
}


/* ---- the loop ------------------------------------------------------------ */

static void
loopOnce(int timeoutMs)
{
    struct epoll_event evs[512];
    int n;

    flushDirty();
    n = epoll_wait(g.epfd, evs, 512, timeoutMs);

    if (n < 0) {
        if (errno != EINTR) {
            perror("virtnet-bench: epoll_wait");
            exit(1);
        }
        return;
    }
    for (int i = 0; i < n; i++) {
        benchConn *c = evs[i].data.ptr;

        if (c->state == ST_CLOSED)
            continue;
        if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
            connRead(c);
        if (c->state != ST_CLOSED && (evs[i].events & EPOLLOUT))
            connFlush(c);
    }
    if (opt.workload == WL_EVENTS)
        eventsCheckTimeout(nowNs());
}


/* Run the loop until deadline (ns, 0 = none) or until done() says so. */
static void
loopUntil(uint64_t deadline, bool (*done)(void))
{
    for (;;) {
        uint64_t now = nowNs();
        int to;

        if (done && done())
            return;
        if (deadline && now >= deadline)
            return;
        /* without a deadline: give up when nothing was answered for 10 s */
        if (!deadline && now - g.lastReply > BENCH_DRAIN_NS)
            return;
        to = deadline ? (int)((deadline - now) / 1000000) + 1 : 100;
        if (to > 100)
            to = 100;
        loopOnce(to);
    }
}


static size_t openFrom, openTo, openNext;

static bool
openDone(void)
{
    /* start more connections while the window allows */
    while (openNext < openTo && g.handshaking < BENCH_HANDSHAKE_WINDOW) {
        if (connOpen(&g.conns[openNext]) < 0)
            break;      /* backlog full: the loop runs, then we try again */
        openNext++;
    }
    return openNext == openTo && g.handshaking == 0;
}


/* Open conns [from, to) and run their connect sequences. */
static void
openConnections(size_t from, size_t to)
{
    uint64_t deadline = nowNs() + (uint64_t)(60 + (to - from) / 100) * 1000000000ULL;
    size_t ready = 0, stuck = 0;

    openFrom = openNext = from;
    openTo = to;
    loopUntil(deadline, openDone);
    for (size_t i = from; i < to; i++) {
        benchConn *c = &g.conns[i];

        switch (c->state) {
        case ST_READY:
            ready++;
            break;
        case ST_NEW:            /* never accepted into the backlog */
            g.connFailed++;
            c->state = ST_CLOSED;
            stuck++;
            break;
        case ST_HANDSHAKE:
            connClose(c, "connect sequence timed out");
            stuck++;
            break;
        case ST_CLOSED:         /* counted when it closed */
            break;
        }
    }
    if (ready < to - from)
        fprintf(stderr, "virtnet-bench: only %zu of %zu connections completed the connect "
                "sequence%s\n", ready, to - from,
                stuck ? " (timed out: the daemon's max_clients? its fd limit?)" : "");
}


static bool
drained(void)
{
    return g.inflightTotal == 0 && !(opt.workload == WL_EVENTS && ev.awaiting);
}


/* ---- the ping-pong echo thread ------------------------------------------- */

static void *
echoThread(void *opaque)
{
    int fd = (int)(intptr_t)opaque;
    static char buf[65536];
    size_t have = 0;

    if (opt.echoCPU >= 0) {
        cpu_set_t set;

        CPU_ZERO(&set);
        CPU_SET(opt.echoCPU, &set);
        if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0)
            fprintf(stderr, "virtnet-bench: cannot pin the echo thread to CPU %d\n", opt.echoCPU);
    }

    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof(buf) - have);
        size_t off = 0, out;

        if (n <= 0)
            break;
        have += n;
        while (have - off >= 4 && have - off >= getU32(buf + off)) {
            unsigned int len = getU32(buf + off);
            if (len < BENCH_MSG_MIN || len > sizeof(buf))
                goto done;
            buf[off + 19] = VIR_NET_REPLY;   /* header word 4: type */
            off += len;
        }
        /* answer every complete message in one write */
        out = 0;
        while (out < off) {
            ssize_t w = write(fd, buf + out, off - out);
            if (w <= 0)
                goto done;
            out += w;
        }
        memmove(buf, buf + off, have - off);
        have -= off;
    }
 done:
    close(fd);
    return NULL;
}


/* ---- statistics and output ----------------------------------------------- */

static int
cmpU64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}


static double
pct(uint64_t *v, size_t n, double p)
{
    size_t i;

    if (!n)
        return 0;
    i = (size_t)(p * (n - 1) + 0.5);
    return v[i] / 1000.0;
}


static void
usage(FILE *f)
{
    fprintf(f,
            "usage: virtnet-bench --socket PATH [--uri URI] --workload W\n"
            "                     [--connections N] [--inflight K] (--duration S | --calls C)\n"
            "                     [--warmup S] [--csv FILE] [--daemon-pid PID] [--label NAME]\n"
            "                     [--busy B] [--echo-cpu C] [--decode changed|all]\n"
            "workloads: null lookup-info list define-undefine events idle pingpong stats\n"
            "  events: N connections subscribe to lifecycle events, one more defines and\n"
            "          undefines; latency = reply to delivery on the last subscriber\n"
            "  idle:   N idle connections, --busy B (default 4) doing null calls\n"
            "  pingpong: raw echo over a UNIX socketpair to a thread (the floor; no daemon);\n"
            "          --echo-cpu C pins the echo thread (pin the tool itself with taskset)\n"
            "  stats:  --decode changed (default) decodes a reply in full unless it is\n"
            "          byte-for-byte equal to the connection's last decoded one; all: every one\n");
}


static void
raiseFDLimit(size_t need)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return;
    if (rl.rlim_cur < rl.rlim_max) {
        rlim_t want = rl.rlim_max;
        if (want == RLIM_INFINITY)
            want = 1 << 20;
        rl.rlim_cur = want;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < need) {
        fprintf(stderr, "virtnet-bench: RLIMIT_NOFILE is %llu (hard limit %llu); %zu "
                "connections need about %zu. Raise the hard limit (ulimit -Hn as root, "
                "or limits.conf / LimitNOFILE=) and try again.\n",
                (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
                (size_t)opt.connections, need);
        exit(1);
    }
}


int
main(int argc, char **argv)
{
    enum { O_SOCKET = 256, O_URI, O_WORKLOAD, O_CONNS, O_INFLIGHT, O_DURATION, O_CALLS,
           O_WARMUP, O_CSV, O_PID, O_LABEL, O_BUSY, O_ECHO_CPU, O_DECODE, O_HELP };
    static const struct option longopts[] = {
        { "socket", required_argument, NULL, O_SOCKET },
        { "uri", required_argument, NULL, O_URI },
        { "workload", required_argument, NULL, O_WORKLOAD },
        { "connections", required_argument, NULL, O_CONNS },
        { "inflight", required_argument, NULL, O_INFLIGHT },
        { "duration", required_argument, NULL, O_DURATION },
        { "calls", required_argument, NULL, O_CALLS },
        { "warmup", required_argument, NULL, O_WARMUP },
        { "csv", required_argument, NULL, O_CSV },
        { "daemon-pid", required_argument, NULL, O_PID },
        { "label", required_argument, NULL, O_LABEL },
        { "busy", required_argument, NULL, O_BUSY },
        { "echo-cpu", required_argument, NULL, O_ECHO_CPU },
        { "decode", required_argument, NULL, O_DECODE },
        { "help", no_argument, NULL, O_HELP },
        { NULL, 0, NULL, 0 },
    };
    size_t nmain, nextra = 0;
    double cpu0 = -1, cpu1 = -1, self0, self1, window, rate, evRate = 0;
    long long cs0 = -1, cs1 = -1;
    long rssBefore, rssAfter, rssIdle0 = -1, rssIdle1 = -1;
    double rssPerConn = -1;
    int o;
    pthread_t echo;
    bool haveEcho = false;
    bool skipRun = false;

    while ((o = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (o) {
        case O_SOCKET: opt.socket = optarg; break;
        case O_URI: opt.uri = optarg; break;
        case O_WORKLOAD:
            for (int i = 0; i < WL_LAST; i++) {
                if (strcmp(optarg, workloadNames[i]) == 0)
                    opt.workload = i;
            }
            if (opt.workload == WL_LAST) {
                fprintf(stderr, "virtnet-bench: unknown workload '%s'\n", optarg);
                usage(stderr);
                return 2;
            }
            break;
        case O_CONNS: opt.connections = atoi(optarg); break;
        case O_INFLIGHT: opt.inflight = atoi(optarg); break;
        case O_DURATION: opt.duration = atof(optarg); break;
        case O_CALLS: opt.calls = atoll(optarg); break;
        case O_WARMUP: opt.warmup = atof(optarg); break;
        case O_CSV: opt.csv = optarg; break;
        case O_PID: opt.daemonPid = atoi(optarg); break;
        case O_LABEL: opt.label = optarg; break;
        case O_BUSY: opt.busy = atoi(optarg); break;
        case O_ECHO_CPU: opt.echoCPU = atoi(optarg); break;
        case O_DECODE:
            if (strcmp(optarg, "all") == 0) {
                opt.decodeAll = true;
            } else if (strcmp(optarg, "changed") == 0) {
                opt.decodeAll = false;
            } else {
                fprintf(stderr, "virtnet-bench: --decode takes 'all' or 'changed', not '%s'\n",
                        optarg);
                return 2;
            }
            break;
        case 'h':
        case O_HELP: usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (opt.workload == WL_LAST || (!opt.socket && opt.workload != WL_PINGPONG) ||
        opt.connections < 1 || opt.inflight < 1 || opt.inflight > BENCH_MAX_INFLIGHT ||
        (opt.duration <= 0) == (opt.calls <= 0) || opt.busy < 1) {
        fprintf(stderr, "virtnet-bench: need --workload, --socket, N >= 1, 1 <= K <= %d, "
                "and exactly one of --duration / --calls\n", BENCH_MAX_INFLIGHT);
        usage(stderr);
        return 2;
    }
    if (opt.workload == WL_PINGPONG && opt.connections != 1) {
        fprintf(stderr, "virtnet-bench: pingpong uses one connection\n");
        return 2;
    }
    if (opt.workload == WL_EVENTS || opt.workload == WL_IDLE)
        nextra = opt.workload == WL_EVENTS ? 1 : opt.busy;
    nmain = opt.connections;
    raiseFDLimit(nmain + nextra + 64);
    signal(SIGPIPE, SIG_IGN);

    g.pid = getpid();
    g.epfd = epoll_create1(EPOLL_CLOEXEC);
    g.rxbuf = malloc(BENCH_RXBUF);
    g.nconns = nmain + nextra;
    g.conns = calloc(g.nconns, sizeof(benchConn));
    g.dirty = calloc(g.nconns, sizeof(benchConn *));
    for (size_t i = 0; i < g.nconns; i++) {
        benchConn *c = &g.conns[i];
        c->fd = -1;
        c->idx = i;
        c->state = ST_NEW;
        c->evSeq = 0;
        switch (opt.workload) {
        case WL_EVENTS: c->role = i < nmain ? ROLE_SUB : ROLE_DRIVER; break;
        case WL_IDLE: c->role = i < nextra ? ROLE_BUSY : ROLE_IDLE; break;
        default: c->role = ROLE_LOAD; break;
        }
        /* the connect sequence needs one slot; load connections K */
        c->nslots = (c->role == ROLE_LOAD || c->role == ROLE_BUSY) ? opt.inflight : 1;
        c->slots = calloc(c->nslots, sizeof(benchSlot));
    }
    if (opt.workload == WL_EVENTS) {
        ev.drv = &g.conns[nmain];
        ev.nsubs = nmain;
        ev.next = STEP_DEFINE;
    }

    printf("virtnet-bench: %s%s%s, %d connection%s x %d in flight, ",
           workloadNames[opt.workload], *opt.label ? " on " : "", opt.label,
           opt.connections, opt.connections == 1 ? "" : "s", opt.inflight);
    if (opt.duration > 0)
        printf("%.1f s", opt.duration);
    else
        printf("%lld calls", opt.calls);
    printf(" (warm-up %.1f s)\n", opt.warmup);
    fflush(stdout);

    rssBefore = procRSSKiB(opt.daemonPid);

    /* ---- set-up */
    if (opt.workload == WL_PINGPONG) {
        int sv[2];
        struct epoll_event e = { .events = EPOLLIN, .data.ptr = &g.conns[0] };
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
            perror("virtnet-bench: socketpair");
            return 1;
        }
        fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
        pthread_create(&echo, NULL, echoThread, (void *)(intptr_t)sv[1]);
        haveEcho = true;
        g.conns[0].fd = sv[0];
        g.conns[0].state = ST_HANDSHAKE;
        g.handshaking++;
        epoll_ctl(g.epfd, EPOLL_CTL_ADD, sv[0], &e);
        connReady(&g.conns[0]);
    } else if (opt.workload == WL_IDLE) {
        uint64_t t;
        openConnections(0, nextra);
        rssIdle0 = procRSSKiB(opt.daemonPid);
        t = nowNs();
        openConnections(nextra, g.nconns);
        printf("  %d idle connections opened in %.2f s\n", opt.connections,
               (nowNs() - t) / 1e9);
        loopUntil(nowNs() + 1000000000ULL, NULL);   /* let the daemon settle */
        rssIdle1 = procRSSKiB(opt.daemonPid);
        if (rssIdle0 > 0 && rssIdle1 > 0)
            rssPerConn = (rssIdle1 - rssIdle0) * 1024.0 / opt.connections;
    } else if (opt.workload == WL_EVENTS) {
        openConnections(0, nmain);          /* subscribers first */
        openConnections(nmain, g.nconns);   /* then the driver */
    } else {
        openConnections(0, g.nconns);
    }
    if (g.connFailed && opt.workload != WL_IDLE) {
        fprintf(stderr, "virtnet-bench: %llu connections failed; no measurement\n", g.connFailed);
        skipRun = true;
    }

    /* ---- warm-up, then the measured window */
    g.issue = !skipRun;
    g.record = false;
    for (size_t i = 0; i < g.nconns; i++)
        connFill(&g.conns[i]);
    flushDirty();
    if (opt.warmup > 0 && !skipRun)
        loopUntil(nowNs() + (uint64_t)(opt.warmup * 1e9), NULL);

    cpu0 = procCPUSeconds(opt.daemonPid);
    cs0 = procCtxSwitches(opt.daemonPid);
    self0 = selfCPUSeconds();
    g.record = true;
    g.winStart = nowNs();
    g.lastReply = g.winStart;
    for (size_t i = 0; i < g.nconns; i++)
        connFill(&g.conns[i]);
    flushDirty();
    if (skipRun) {
        g.winEnd = g.winStart;
        cpu1 = procCPUSeconds(opt.daemonPid);
        cs1 = procCtxSwitches(opt.daemonPid);
        self1 = selfCPUSeconds();
        g.issue = false;
    } else if (opt.duration > 0) {
        loopUntil(g.winStart + (uint64_t)(opt.duration * 1e9), NULL);
        g.winEnd = nowNs();
        cpu1 = procCPUSeconds(opt.daemonPid);
        cs1 = procCtxSwitches(opt.daemonPid);
        self1 = selfCPUSeconds();
        g.issue = false;
        loopUntil(nowNs() + BENCH_DRAIN_NS, drained);
    } else {
        /* --calls: issue until C calls were sent, then wait for their replies */
        loopUntil(0, drained);
        g.winEnd = nowNs();
        cpu1 = procCPUSeconds(opt.daemonPid);
        cs1 = procCtxSwitches(opt.daemonPid);
        self1 = selfCPUSeconds();
        g.issue = false;
    }
    if (!drained()) {
        g.errors++;
        reportError("%ld calls got no reply within %llu s", g.inflightTotal,
                    BENCH_DRAIN_NS / 1000000000ULL);
        g.lost += g.inflightTotal;
        if (opt.workload == WL_EVENTS && ev.awaiting && ev.replyGot)
            ev.lostDeliveries += ev.nsubs - ev.delivered;
    }
    rssAfter = procRSSKiB(opt.daemonPid);

    /* ---- report */
    window = (g.winEnd - g.winStart) / 1e9;
    if (window <= 0)
        window = 1e-9;      /* no run: rates print as 0 */
#define PCT_OF_WINDOW(x) (window > 1e-3 ? 100 * (x) / window : 0)
    qsort(g.lat, g.nlat, sizeof(uint64_t), cmpU64);
    if (opt.duration > 0)
        rate = g.doneInWindow / window;
    else
        rate = g.nlat / window;
    if (opt.workload == WL_EVENTS) {
        rate = (g.doneInWindow) / window;       /* the driver's calls */
        evRate = ev.done / window;
    }

    if (opt.workload == WL_EVENTS) {
        qsort(ev.fromSend, ev.nFromSend, sizeof(uint64_t), cmpU64);
        printf("  events       %llu raised and delivered to all %zu subscribers "
               "(%.0f events/s, %.0f deliveries/s)\n",
               ev.done, ev.nsubs, evRate, evRate * ev.nsubs);
        printf("  fan-out      reply -> last subscriber: p50 %.0f us  p99 %.0f us  max %.0f us\n",
               pct(g.lat, g.nlat, 0.5), pct(g.lat, g.nlat, 0.99), pct(g.lat, g.nlat, 1.0));
        printf("               call sent -> last subscriber: p50 %.0f us  p99 %.0f us  "
               "max %.0f us\n", pct(ev.fromSend, ev.nFromSend, 0.5),
               pct(ev.fromSend, ev.nFromSend, 0.99), pct(ev.fromSend, ev.nFromSend, 1.0));
        printf("  deliveries   lost %llu, unexpected/duplicate %llu\n",
               ev.lostDeliveries, ev.unexpected);
        g.lost += ev.lostDeliveries;
    } else {
        printf("  calls        %zu in %.2f s: %.0f calls/s\n", g.nlat, window, rate);
        printf("  latency      p50 %.1f us  p99 %.1f us  max %.1f us\n",
               pct(g.lat, g.nlat, 0.5), pct(g.lat, g.nlat, 0.99), pct(g.lat, g.nlat, 1.0));
    }
    printf("  errors       %llu (lost %llu, failed connections %llu)\n",
           g.errors, g.lost, g.connFailed);
    if (opt.workload == WL_STATS)
        printf("  replies      %llu decoded in full, %llu equal to one decoded before (--decode %s)\n",
               g.repliesDecoded, g.repliesReused, opt.decodeAll ? "all" : "changed");
    if (opt.daemonPid > 0 && cpu0 >= 0 && cpu1 >= 0)
        printf("  daemon cpu   %.2f s in %.2f s (%.0f %% of one core)\n",
               cpu1 - cpu0, window, PCT_OF_WINDOW(cpu1 - cpu0));
    if (opt.daemonPid > 0 && cs0 >= 0 && cs1 >= 0)
        printf("  daemon csw   %lld context switches (%.2f per call)\n", cs1 - cs0,
               (double)(cs1 - cs0) / (rate * window > 0 ? rate * window : 1));
    if (opt.daemonPid > 0)
        printf("  daemon rss   %ld KiB before, %ld KiB after\n", rssBefore, rssAfter);
    if (opt.workload == WL_IDLE && rssPerConn >= 0)
        printf("  idle conns   rss %ld -> %ld KiB: %.0f bytes per idle connection\n",
               rssIdle0, rssIdle1, rssPerConn);
    printf("  client cpu   %.2f s (%.0f %% of one core)\n", self1 - self0,
           PCT_OF_WINDOW(self1 - self0));

    if (opt.csv) {
        struct stat st;
        bool header = stat(opt.csv, &st) < 0 || st.st_size == 0;
        FILE *f = fopen(opt.csv, "a");
        if (!f) {
            fprintf(stderr, "virtnet-bench: cannot open %s: %s\n", opt.csv, strerror(errno));
            return 1;
        }
        if (header)
            fprintf(f, "label,workload,connections,inflight,seconds,calls,calls_per_s,"
                       "p50_us,p99_us,max_us,errors,lost,failed_connections,daemon_cpu_s,"
                       "rss_before_kib,rss_after_kib,rss_per_idle_conn_b,events_per_s,"
                       "client_cpu_s,daemon_ctxsw\n");
        fprintf(f, "%s,%s,%d,%d,%.3f,%zu,%.1f,%.1f,%.1f,%.1f,%llu,%llu,%llu,%.2f,%ld,%ld,"
                   "%.0f,%.1f,%.2f,%lld\n",
                opt.label, workloadNames[opt.workload], opt.connections,
                opt.workload == WL_EVENTS ? 1 : opt.inflight, window,
                opt.workload == WL_EVENTS ? (size_t)ev.done : g.nlat, rate,
                pct(g.lat, g.nlat, 0.5), pct(g.lat, g.nlat, 0.99), pct(g.lat, g.nlat, 1.0),
                g.errors, g.lost, g.connFailed,
                cpu0 >= 0 && cpu1 >= 0 ? cpu1 - cpu0 : -1.0, rssBefore, rssAfter,
                rssPerConn, evRate, self1 - self0,
                cs0 >= 0 && cs1 >= 0 ? cs1 - cs0 : -1LL);
        fclose(f);
    }

    for (size_t i = 0; i < g.nconns; i++)
        connClose(&g.conns[i], NULL);
    if (haveEcho)
        pthread_join(echo, NULL);
    return g.errors || g.lost || g.connFailed ? 3 : 0;
}
