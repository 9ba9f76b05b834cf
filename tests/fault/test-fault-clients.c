/*
 * test-fault-clients.c: virtnetd against hostile or unlucky clients and
 * signals (each case starts a daemon of its own and prints its figures):
 *
 *   malformed     every procedure of every program the daemon serves, from
 *                 its generated table: a valid all-zero payload, truncated,
 *                 with trailing bytes, with huge length words, with a string
 *                 over the program's limit, random and mutated payloads;
 *                 each call gets exactly one reply on a connection that
 *                 stays open, and the daemon serves on
 *   connections   2,000 connections, one in ten killed mid-call (a call
 *                 unread, half a call, pipelined calls, a large call cut
 *                 off); every call of the others is answered, by the reply
 *                 it asked for; no descriptor is left behind
 *   sigterm       SIGTERM while clients have calls in flight (and, as root,
 *                 an LXC define waiting on a slow fsync): every reply is
 *                 whole, the rest refused by a clean close, the define
 *                 answered and on disk, exit 0 within the shutdown timeout
 *   sighup        100 SIGHUPs while clients call and the configuration file
 *                 changes under it: no call fails, and the log settings in
 *                 force afterwards are the last file's
 *
 * Figures are printed as "  figure: ..." lines. FAULT_SEED=N repeats the
 * random choices of a run (its seed is printed).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib.h>

#include "testutils.h"
#include "testprogram.h"
#include "testxdr.h"
#include "faultcalls.h"
#include "virnetserverprogram.h"
#include "remote_protocol_server.h"
#include "remote_protocol_client.h"
#include "admin_protocol_server.h"

#define FIGURE(...) do { printf("  figure: "); printf(__VA_ARGS__); putchar('\n'); fflush(stdout); } while (0)

static guint32 faultSeed;


/* ---- the programs the daemon serves ------------------------------------ */

/* One program of the daemon, from its generated table (testprogram.h),
 * with its string limit, its socket and what makes a new connection
 * usable. Adding a program to the malformed-input case is one line here. */
typedef struct {
    virTestProgram p;
    size_t stringMax;
    const char *sock;           /* socket under run/ */
    int (*open)(faultClient *c);
} faultProgram;

static int
faultOpenRemote(faultClient *c)
{
    return faultClientOpen(c, "test:///default");
}

static int
faultOpenAdmin(faultClient *c)
{
    admin_connect_open_args args = { 0 };
    g_autofree char *err = NULL;

    if (faultClientCallProgram(c, ADMIN_PROGRAM, ADMIN_PROTOCOL_VERSION, ADMIN_PROC_CONNECT_OPEN,
                               (xdrproc_t)xdr_admin_connect_open_args, &args, &err) != 0) {
        fprintf(stderr, "admin connectOpen: %s\n", err ? err : "connection failed");
        return -1;
    }
    return 0;
}

static const faultProgram faultPrograms[] = {
    { VIR_TEST_PROGRAM(remote, remote, REMOTE), REMOTE_STR_MAX, "libvirt-sock", faultOpenRemote },
    { VIR_TEST_PROGRAM_NO_EVENTS(admin, admin, ADMIN), ADMIN_STR_MAX, "libvirt-admin-sock",
      faultOpenAdmin },
};


/* ---- malformed -------------------------------------------------------- */

#define FAULT_ZERO_MAX 4096
#define FAULT_OVERLONG_PER_PROGRAM 16
#define FAULT_SLOWEST_MS 2000

static const char faultZeros[FAULT_ZERO_MAX + 64];

/* Does payload decode as exactly the procedure's arguments? */
static bool
faultArgsDecode(const virNetServerProgramProc *e, const char *payload, size_t len)
{
    return virTestXDRDecodes(e->arg_filter, e->arg_size, payload, len);
}


static ssize_t
faultZeroArgsLen(const virNetServerProgramProc *e)
{
    return virTestXDRZeroLen(e->arg_filter, e->arg_size, FAULT_ZERO_MAX);
}


static void
faultPutU32(GByteArray *b, size_t off, guint32 v)
{
    b->data[off] = v >> 24;
    b->data[off + 1] = v >> 16;
    b->data[off + 2] = v >> 8;
    b->data[off + 3] = v;
}


typedef enum {
    FAULT_KIND_ZERO,
    FAULT_KIND_TRUNCATED,
    FAULT_KIND_TRAILING,
    FAULT_KIND_HUGE_LENGTH,
    FAULT_KIND_OVERLONG,
    FAULT_KIND_RANDOM,
    FAULT_KIND_MUTATED,
    FAULT_KIND_LAST
} faultKind;

static const char *const faultKindNames[FAULT_KIND_LAST] = {
    "valid zero", "truncated", "trailing bytes", "huge length word",
    "string over the limit", "random", "mutated",
};

typedef struct {
    unsigned long long sent[FAULT_KIND_LAST];
    unsigned long long ok[FAULT_KIND_LAST];
    unsigned long long refused[FAULT_KIND_LAST];
    unsigned long long lost;
    size_t procs;
    size_t noZero;
    size_t overlongProcs;
    size_t closedAfterOK;       /* connections closed by a call answered OK */
    uint64_t slowestUs;         /* the slowest answer, and its call */
    char *slowest;
} faultMalformedStats;

typedef struct {
    faultKind kind;
    GByteArray *payload;
} faultVariant;


static void
faultVariantAdd(GArray *v, faultKind kind, const void *data, size_t len)
{
    faultVariant var = { kind, g_byte_array_sized_new(len) };

    g_byte_array_append(var.payload, data, len);
    g_array_append_val(v, var);
}


/* The malformed payloads of one procedure. */
static GArray *
faultVariants(const faultProgram *p, const virNetServerProgramProc *e, GRand *rnd,
              bool overlong, faultMalformedStats *st)
{
    GArray *v = g_array_new(FALSE, FALSE, sizeof(faultVariant));
    ssize_t zlen = faultZeroArgsLen(e);
    size_t k = zlen < 0 ? 0 : (size_t)zlen;
    guint32 huge[] = { 0xffffffff, 0x80000000, (guint32)p->stringMax + 1 };
    int i;

    if (zlen < 0)
        st->noZero++;
    else
        faultVariantAdd(v, FAULT_KIND_ZERO, faultZeros, k);
    if (k >= 4) {
        faultVariantAdd(v, FAULT_KIND_TRUNCATED, faultZeros, k - 4);
        faultVariantAdd(v, FAULT_KIND_TRUNCATED, faultZeros, k - 1);
        if (k / 2 != k - 4)
            faultVariantAdd(v, FAULT_KIND_TRUNCATED, faultZeros, (k / 2) & ~(size_t)3);
    }
    faultVariantAdd(v, FAULT_KIND_TRAILING, faultZeros, k + 4);
    faultVariantAdd(v, FAULT_KIND_TRAILING, faultZeros, k + 1);

    /* every word of the first 8 as a huge length (where it is a string or
     * array length, decoding must refuse it without allocating it) */
    for (size_t w = 0; w < k / 4 && w < 8; w++) {
        for (size_t h = 0; h < G_N_ELEMENTS(huge); h++) {
            faultVariant var = { FAULT_KIND_HUGE_LENGTH, g_byte_array_sized_new(k) };

            g_byte_array_append(var.payload, (const guint8 *)faultZeros, k);
            faultPutU32(var.payload, w * 4, huge[h]);
            g_array_append_val(v, var);
        }
    }

    /* a string one byte over the limit, all of it sent, in front */
    if (overlong) {
        size_t slen = p->stringMax + 1, padded = (slen + 3) & ~(size_t)3;
        faultVariant var = { FAULT_KIND_OVERLONG, g_byte_array_sized_new(4 + padded + k) };

        g_byte_array_set_size(var.payload, 4 + padded);
        memset(var.payload->data + 4, 'a', slen);
        memset(var.payload->data + 4 + slen, 0, padded - slen);
        faultPutU32(var.payload, 0, slen);
        g_byte_array_append(var.payload, (const guint8 *)faultZeros + 4, k - 4);
        g_array_append_val(v, var);
        st->overlongProcs++;
    }

    for (i = 0; i < 4; i++) {
        size_t len = g_rand_int_range(rnd, 0, k + 65);
        faultVariant var = { FAULT_KIND_RANDOM, g_byte_array_sized_new(len) };

        g_byte_array_set_size(var.payload, len);
        for (size_t j = 0; j < len; j++)
            var.payload->data[j] = g_rand_int_range(rnd, 0, 256);
        g_array_append_val(v, var);
    }
    for (i = 0; k > 0 && i < 4; i++) {
        faultVariant var = { FAULT_KIND_MUTATED, g_byte_array_sized_new(k) };
        int flips = g_rand_int_range(rnd, 1, 4);

        g_byte_array_append(var.payload, (const guint8 *)faultZeros, k);
        while (flips--)
            var.payload->data[g_rand_int_range(rnd, 0, k)] = g_rand_int_range(rnd, 0, 256);
        g_array_append_val(v, var);
    }
    return v;
}


static void
faultVariantsFree(GArray *v)
{
    for (guint i = 0; i < v->len; i++)
        g_byte_array_free(g_array_index(v, faultVariant, i).payload, TRUE);
    g_array_free(v, TRUE);
}


/* Is the first word of the procedure's arguments a string or opaque
 * length? (An all-zero encoding with a one-byte string in front of it
 * decodes.) */
static bool
faultFirstWordVariable(const virNetServerProgramProc *e)
{
    ssize_t k = faultZeroArgsLen(e);
    g_autofree char *probe = NULL;

    if (k < 4)
        return false;
    probe = g_malloc0(k + 4);
    memcpy(probe, "\0\0\0\1a", 5);
    return faultArgsDecode(e, probe, k + 4);
}


/* Every variant of every procedure of p, each procedure on a connection
 * of its own. A string over the limit (4 MiB for remote) goes to at most
 * FAULT_OVERLONG_PER_PROGRAM procedures whose first argument is one,
 * spread over the table. Returns the number of failures (lost replies). */
static int
faultMalformedProgram(faultDaemon *d, const faultProgram *p, GRand *rnd,
                      faultMalformedStats *st)
{
    g_autofree char *sock = g_build_filename(d->dir, "run", p->sock, NULL);
    size_t n = *p->p.nprocs, eligible = 0, every, seen = 0;
    int bad = 0;

    for (size_t i = 0; i < n; i++)
        eligible += faultFirstWordVariable(&p->p.procs[i]);
    every = MAX(1, (eligible + FAULT_OVERLONG_PER_PROGRAM - 1) / FAULT_OVERLONG_PER_PROGRAM);
    for (size_t i = 0; i < n; i++) {
        const virNetServerProgramProc *e = &p->p.procs[i];
        bool overlong = faultFirstWordVariable(e) && seen++ % every == 0;
        GArray *v = faultVariants(p, e, rnd, overlong, st);
        faultClient *c = faultClientConnect(sock);

        st->procs++;
        if (!c || p->open(c) < 0) {
            fprintf(stderr, "%s: cannot open a connection for %s\n", p->p.name, e->name);
            faultClientFree(c);
            faultVariantsFree(v);
            return bad + 1;
        }
        for (guint j = 0, retried = 0, okSeen = 0; j < v->len; j++) {
            faultVariant *var = &g_array_index(v, faultVariant, j);
            uint64_t t0 = faultNowUs(), dt;
            unsigned int serial = faultClientSendRaw(c, p->p.prog, p->p.vers, e->proc,
                                                     var->payload->data, var->payload->len);
            int rc = serial ? faultClientRecv(c, serial, NULL, NULL, 10000, NULL) : -1;

            dt = faultNowUs() - t0;
            if (rc >= 0 && dt > st->slowestUs) {
                st->slowestUs = dt;
                g_free(st->slowest);
                st->slowest = g_strdup_printf("%s (%s)", e->name, faultKindNames[var->kind]);
            }

            if (rc < 0 && okSeen && !retried) {
                /* a call answered OK on this connection may have closed it
                 * after its reply (the admin program's connectClose does,
                 * a little later): this one again on a new connection */
                faultClientFree(c);
                if (!(c = faultClientConnect(sock)) || p->open(c) < 0)
                    break;
                st->closedAfterOK++;
                retried = 1;
                okSeen = 0;
                j--;
                continue;
            }
            retried = 0;
            okSeen |= rc == 0;
            st->sent[var->kind]++;
            if (rc == 0) {
                st->ok[var->kind]++;
            } else if (rc == 1) {
                st->refused[var->kind]++;
            } else {
                /* no reply: the connection closed or the call hung */
                fprintf(stderr, "%s: %s, %s payload of %u bytes: no reply\n", p->p.name,
                        e->name, faultKindNames[var->kind], var->payload->len);
                st->lost++;
                bad++;
                break;
            }
        }
        faultClientFree(c);
        faultVariantsFree(v);
    }
    return bad;
}


static int
testMalformed(const void *data G_GNUC_UNUSED)
{
    faultDaemon *d = faultDaemonStart(NULL);
    faultMalformedStats st = { 0 };
    GRand *rnd = g_rand_new_with_seed(faultSeed);
    faultClient *late = NULL;
    unsigned long long sent = 0;
    int fds0, fds1, bad = 0;
    uint64_t t0;

    if (!d) {
        g_rand_free(rnd);
        return -1;
    }
    fds0 = faultProcFDs(d->pid);
    t0 = faultNowUs();
    for (size_t i = 0; i < G_N_ELEMENTS(faultPrograms); i++)
        bad += faultMalformedProgram(d, &faultPrograms[i], rnd, &st);
    for (int k = 0; k < FAULT_KIND_LAST; k++) {
        FIGURE("%-22s %6llu calls: %6llu answered OK, %6llu refused with an error",
               faultKindNames[k], st.sent[k], st.ok[k], st.refused[k]);
        sent += st.sent[k];
    }
    g_usleep(200 * 1000);
    fds1 = faultProcFDs(d->pid);
    late = faultOpen(d, "test:///default");
    FIGURE("%zu procedures of %zu program(s) (%zu without an all-zero encoding, %zu with a "
           "string over the limit sent): %llu malformed calls in %.1f s, %llu unanswered, "
           "%zu connections closed by a call answered OK (connectClose); daemon fds %d -> %d; "
           "a new client is %s", st.procs, G_N_ELEMENTS(faultPrograms), st.noZero,
           st.overlongProcs, sent, (faultNowUs() - t0) / 1e6, st.lost, st.closedAfterOK, fds0,
           fds1, late && faultLibVersion(late) == 0 ? "served" : "NOT SERVED");
    /* A malformed call is refused at once; one that keeps a worker, or
     * the event loop (inline calls: every client), busy for seconds is a
     * way to stall the daemon. */
    FIGURE("the slowest answer: %.1f ms, %s (bound %d ms)", st.slowestUs / 1e3,
           st.slowest ? st.slowest : "-", FAULT_SLOWEST_MS);
    if (bad || st.lost || !late || faultLibVersion(late) != 0 || fds1 > fds0 + 2 ||
        st.procs == 0 || kill(d->pid, 0) < 0 || st.slowestUs > FAULT_SLOWEST_MS * 1000)
        bad++;
    g_free(st.slowest);
    faultClientFree(late);
    faultDaemonFree(d);
    g_rand_free(rnd);
    return bad ? -1 : 0;
}


/* ---- connections ------------------------------------------------------ */

#define FAULT_CONNECTIONS 2000
#define FAULT_CONN_THREADS 8
#define FAULT_CONN_DOMAINS 4

typedef struct {
    faultDaemon *d;
    int index;                  /* thread */
    unsigned long long calls;
    unsigned long long answered;
    unsigned long long lost;
    unsigned long long mismatched;
    unsigned long long killed;
    unsigned long long connectFailed;
    GThread *thread;
} faultConnWorker;


/* Kill a connection mid-call, in one of four ways. */
static void
faultConnKill(faultClient *c, int how, const char *name)
{
    remote_domain_lookup_by_name_args args = { (char *)name };
    virNetMessage *msg;

    switch (how) {
    case 0:     /* a call sent, its reply never read */
        faultClientSend(c, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
                        (xdrproc_t)xdr_remote_domain_lookup_by_name_args, &args);
        break;
    case 1:     /* half a call */
        msg = virNetMessageNew(false);
        msg->header = (virNetMessageHeader){ REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                             REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, VIR_NET_CALL,
                                             ++c->serial, VIR_NET_OK };
        if (virNetMessageEncodeHeader(msg) == 0 &&
            virNetMessageEncodePayload(msg, (xdrproc_t)xdr_remote_domain_lookup_by_name_args,
                                       &args) == 0)
            (void)!send(c->fd, msg->buffer, msg->bufferLength / 2, MSG_NOSIGNAL);
        virNetMessageFree(msg);
        break;
    case 2:     /* eight calls in a row, two replies read */
        for (int i = 0; i < 8; i++)
            faultClientSend(c, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
                            (xdrproc_t)xdr_remote_domain_lookup_by_name_args, &args);
        faultClientRecv(c, c->serial - 7, NULL, NULL, 5000, NULL);
        faultClientRecv(c, c->serial - 6, NULL, NULL, 5000, NULL);
        break;
    default: {  /* a large call cut off after 64 KiB */
        g_autofree char *big = g_strnfill(1024 * 1024, 'x');
        remote_domain_define_xml_flags_args def = { big, 0 };

        msg = virNetMessageNew(false);
        msg->header = (virNetMessageHeader){ REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                             REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS, VIR_NET_CALL,
                                             ++c->serial, VIR_NET_OK };
        if (virNetMessageEncodeHeader(msg) == 0 &&
            virNetMessageEncodePayload(msg, (xdrproc_t)xdr_remote_domain_define_xml_flags_args,
                                       &def) == 0)
            (void)!send(c->fd, msg->buffer, 64 * 1024, MSG_NOSIGNAL);
        virNetMessageFree(msg);
        break;
    }
    }
}


/* lookupByName(name): the reply must name the domain asked for. */
static int
faultConnLookup(faultClient *c, const char *name, bool *mismatch)
{
    remote_dom dom = { 0 };
    int rc = faultLookup(c, name, &dom);

    if (rc == 0 && g_strcmp0(dom.name, name) != 0) {
        fprintf(stderr, "asked for domain %s, the reply names %s\n", name, dom.name);
        *mismatch = true;
    }
    xdr_free((xdrproc_t)xdr_remote_dom, (char *)&dom);
    return rc;
}


static gpointer
faultConnThread(gpointer data)
{
    faultConnWorker *w = data;

    for (int i = w->index; i < FAULT_CONNECTIONS; i += FAULT_CONN_THREADS) {
        faultClient *c = faultClientConnect(w->d->sock);
        g_autofree char *name = g_strdup_printf("conn%d", i % FAULT_CONN_DOMAINS);

        if (!c) {
            w->connectFailed++;
            continue;
        }
        w->calls++;
        if (faultClientOpen(c, "test:///default") != 0) {
            w->lost++;
            faultClientFree(c);
            continue;
        }
        w->answered++;
        if (i % 10 == 9) {
            faultConnKill(c, (i / 10) % 4, name);
            w->killed++;
        } else {
            /* five calls, each checked against what it asked for */
            for (int k = 0; k < 5; k++) {
                g_autofree char *other = g_strdup_printf("conn%d", (i + k) % FAULT_CONN_DOMAINS);
                bool mismatch = false;
                unsigned int count = 0;
                int rc = k == 2 ? faultLibVersion(c) :
                         k == 4 ? faultListAll(c, &count) :
                         faultConnLookup(c, other, &mismatch);

                w->calls++;
                if (rc != 0) {
                    w->lost++;
                    break;
                }
                if (mismatch || (k == 4 && count < FAULT_CONN_DOMAINS))
                    w->mismatched++;
                w->answered++;
            }
        }
        faultClientFree(c);
    }
    return NULL;
}


static int
testConnections(const void *data G_GNUC_UNUSED)
{
    faultDaemon *d = faultDaemonStart(NULL);
    faultConnWorker w[FAULT_CONN_THREADS] = { 0 };
    faultConnWorker sum = { 0 };
    faultClient *c = NULL;
    int fds0 = -1, fds1 = -1, ret = -1, i;
    long rss0, rss1;
    uint64_t t0, took;

    if (!d)
        return -1;
    if (!(c = faultOpen(d, "test:///default")))
        goto cleanup;
    for (i = 0; i < FAULT_CONN_DOMAINS; i++) {
        g_autofree char *name = g_strdup_printf("conn%d", i);
        g_autofree char *xml = g_strdup_printf(FAULT_TEST_DOM_XML, name);

        if (faultDefine(c, xml, NULL, NULL) != 0)
            goto cleanup;
    }
    fds0 = faultProcFDs(d->pid);
    rss0 = faultProcRSSKiB(d->pid);
    t0 = faultNowUs();
    for (i = 0; i < FAULT_CONN_THREADS; i++) {
        w[i].d = d;
        w[i].index = i;
        w[i].thread = g_thread_new("conn", faultConnThread, &w[i]);
    }
    for (i = 0; i < FAULT_CONN_THREADS; i++) {
        g_thread_join(w[i].thread);
        sum.calls += w[i].calls;
        sum.answered += w[i].answered;
        sum.lost += w[i].lost;
        sum.mismatched += w[i].mismatched;
        sum.killed += w[i].killed;
        sum.connectFailed += w[i].connectFailed;
    }
    took = faultNowUs() - t0;
    /* the daemon notices the last closes */
    for (i = 0; i < 50 && (fds1 = faultProcFDs(d->pid)) > fds0; i++)
        g_usleep(20 * 1000);
    rss1 = faultProcRSSKiB(d->pid);
    FIGURE("%d connections by %d threads in %.1f s (%.0f/s), %llu killed mid-call, "
           "%llu refused at connect", FAULT_CONNECTIONS, FAULT_CONN_THREADS, took / 1e6,
           FAULT_CONNECTIONS / (took / 1e6), sum.killed, sum.connectFailed);
    FIGURE("calls of the other connections: %llu, answered %llu, lost %llu, mismatched %llu",
           sum.calls, sum.answered, sum.lost, sum.mismatched);
    FIGURE("daemon fds %d -> %d, RSS %ld -> %ld KiB", fds0, fds1, rss0, rss1);
    if (sum.lost || sum.mismatched || sum.connectFailed || sum.answered != sum.calls ||
        sum.killed != FAULT_CONNECTIONS / 10 || fds1 > fds0 || faultLibVersion(c) != 0)
        goto cleanup;
    ret = 0;
 cleanup:
    faultClientFree(c);
    faultDaemonFree(d);
    return ret;
}


/* ---- sigterm ---------------------------------------------------------- */

#define FAULT_TERM_CLIENTS 8
#define FAULT_TERM_DEPTH 4

/* A client keeping FAULT_TERM_DEPTH calls in flight until the connection
 * closes; it reads the raw stream itself to see where it ends. */
typedef struct {
    faultDaemon *d;
    faultClient *c;
    volatile bool *stop;
    unsigned long long sent;
    unsigned long long answered;
    unsigned long long errors;
    unsigned long long unanswered;
    unsigned long long partial;     /* bytes of a message cut off at the close */
    unsigned long long bogus;       /* replies to no call of ours, or twice */
    GThread *thread;
} faultTermClient;


static bool
faultTermSend(faultTermClient *t, GHashTable *pending)
{
    remote_domain_lookup_by_name_args args = { (char *)"test" };
    unsigned int serial = faultClientSend(t->c, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
                                          (xdrproc_t)xdr_remote_domain_lookup_by_name_args,
                                          &args);

    if (!serial)
        return false;
    t->sent++;
    g_hash_table_add(pending, GUINT_TO_POINTER(serial));
    return true;
}


static gpointer
faultTermThread(gpointer data)
{
    faultTermClient *t = data;
    g_autoptr(GHashTable) pending = g_hash_table_new(NULL, NULL);
    GByteArray *in = g_byte_array_new();
    bool sending = true;

    for (int i = 0; i < FAULT_TERM_DEPTH; i++)
        sending = sending && faultTermSend(t, pending);
    for (;;) {
        struct pollfd pfd = { t->c->fd, POLLIN, 0 };
        guint8 buf[65536];
        ssize_t n;

        if (poll(&pfd, 1, 60000) <= 0)
            break;      /* the daemon never closed: counted as unanswered */
        n = read(t->c->fd, buf, sizeof(buf));
        if (n <= 0)
            break;
        g_byte_array_append(in, buf, n);
        /* whole messages: header at 4, serial at 20, type at 16, status at 24 */
        while (in->len >= 28) {
            guint32 len = GUINT32_FROM_BE(*(guint32 *)in->data);
            guint32 serial = GUINT32_FROM_BE(*(guint32 *)(in->data + 20));
            guint32 type = GUINT32_FROM_BE(*(guint32 *)(in->data + 16));
            guint32 status = GUINT32_FROM_BE(*(guint32 *)(in->data + 24));

            if (len < 28 || in->len < len)
                break;
            if (type == VIR_NET_REPLY) {
                if (!g_hash_table_remove(pending, GUINT_TO_POINTER(serial)))
                    t->bogus++;
                else if (status == VIR_NET_OK)
                    t->answered++;
                else
                    t->errors++;
                if (sending && !*t->stop)
                    sending = faultTermSend(t, pending);
            }
            g_byte_array_remove_range(in, 0, len);
        }
    }
    t->partial = in->len;
    t->unanswered = g_hash_table_size(pending);
    g_byte_array_free(in, TRUE);
    return NULL;
}


static int
testSigterm(const void *data G_GNUC_UNUSED)
{
    const char *env[] = { "VNFAULT_FSYNC_DELAY_MS=300", "VNFAULT_FILE_FAULTS_ONLY_PID=1", NULL };
    bool lxc = faultHaveRootAndNamespaces();
    faultDaemonOpts opts = { .shim = lxc, .env = lxc ? env : NULL };
    faultDaemon *d = faultDaemonStart(&opts);
    faultTermClient t[FAULT_TERM_CLIENTS] = { 0 };
    faultTermClient sum = { 0 };
    volatile bool stop = false;
    g_autofree char *name = g_strdup_printf("vnfault%d-term", (int)getpid());
    g_autofree char *xml = faultLXCXML(name, "sleep 1");
    g_autofree char *path = NULL, *text = NULL;
    faultClient *lxcc = NULL;
    unsigned int defSerial = 0;
    int defRC = -2, status, ret = -1, i;
    uint64_t t0, took;

    if (!d)
        return -1;
    for (i = 0; i < FAULT_TERM_CLIENTS; i++) {
        t[i].d = d;
        t[i].stop = &stop;
        if (!(t[i].c = faultOpen(d, "test:///default")))
            goto cleanup;
    }
    if (lxc && !(lxcc = faultOpen(d, "lxc:///system")))
        goto cleanup;
    for (i = 0; i < FAULT_TERM_CLIENTS; i++)
        t[i].thread = g_thread_new("term", faultTermThread, &t[i]);
    g_usleep(300 * 1000);
    if (lxcc) {
        /* a define waiting on its first (300 ms) fsync when SIGTERM comes */
        remote_domain_define_xml_flags_args args = { xml, 0 };

        defSerial = faultClientSend(lxcc, REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS,
                                    (xdrproc_t)xdr_remote_domain_define_xml_flags_args, &args);
        g_usleep(100 * 1000);
    }
    t0 = faultNowUs();
    kill(d->pid, SIGTERM);
    if (lxcc && defSerial) {
        remote_domain_define_xml_flags_ret r = { 0 };

        defRC = faultClientRecv(lxcc, defSerial,
                                (xdrproc_t)xdr_remote_domain_define_xml_flags_ret, &r, 60000, NULL);
        xdr_free((xdrproc_t)xdr_remote_domain_define_xml_flags_ret, (char *)&r);
    }
    status = faultDaemonStop(d, 0);     /* signal 0: only wait (up to 30 s) */
    took = faultNowUs() - t0;
    stop = true;
    for (i = 0; i < FAULT_TERM_CLIENTS; i++) {
        g_thread_join(t[i].thread);
        t[i].thread = NULL;
        sum.sent += t[i].sent;
        sum.answered += t[i].answered;
        sum.errors += t[i].errors;
        sum.unanswered += t[i].unanswered;
        sum.partial += t[i].partial;
        sum.bogus += t[i].bogus;
    }
    FIGURE("SIGTERM with %d clients keeping %d calls each in flight: daemon exited in %.2f s "
           "with %s %d", FAULT_TERM_CLIENTS, FAULT_TERM_DEPTH, took / 1e6,
           status >= 0 && WIFEXITED(status) ? "status" : "signal/timeout",
           status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) :
           status >= 0 && WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    FIGURE("calls %llu: answered %llu OK and %llu with an error, %llu refused by a clean "
           "close; %llu bytes of a cut-off message, %llu replies to no call",
           sum.sent, sum.answered, sum.errors, sum.unanswered, sum.partial, sum.bogus);
    if (lxcc) {
        path = g_strdup_printf("%s/etc/lxc/%s.xml", d->dir, name);
        g_file_get_contents(path, &text, NULL, NULL);
        FIGURE("an LXC define in flight (fsync delayed 300 ms): %s; its file %s",
               defRC == 0 ? "answered OK" : defRC == 1 ? "answered with an ERROR" : "NOT ANSWERED",
               text && strstr(text, "</domain>") ? "complete" : "MISSING OR CUT");
    }
    if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || took > 30 * G_USEC_PER_SEC ||
        sum.partial || sum.bogus || sum.errors || sum.answered == 0 ||
        sum.answered + sum.unanswered != sum.sent)
        goto cleanup;
    if (lxcc && (defRC != 0 || !text || !strstr(text, "</domain>")))
        goto cleanup;
    ret = 0;
 cleanup:
    stop = true;
    for (i = 0; i < FAULT_TERM_CLIENTS; i++) {
        if (t[i].thread) {
            faultDaemonStop(d, SIGKILL);
            g_thread_join(t[i].thread);
        }
        faultClientFree(t[i].c);
    }
    faultClientFree(lxcc);
    faultDaemonFree(d);
    return ret;
}


/* ---- sighup ----------------------------------------------------------- */

#define FAULT_HUP_CLIENTS 4
#define FAULT_HUPS 100

typedef struct {
    faultDaemon *d;
    int index;
    volatile bool *stop;
    unsigned long long calls;
    unsigned long long failed;
    uint64_t worstUs;
    GThread *thread;
} faultHupClient;


static gpointer
faultHupThread(gpointer data)
{
    faultHupClient *h = data;
    faultClient *c = faultOpen(h->d, "test:///default");
    g_autofree char *name = g_strdup_printf("hup%d", h->index);
    g_autofree char *xml = g_strdup_printf(FAULT_TEST_DOM_XML, name);

    if (!c) {
        h->failed++;
        return NULL;
    }
    while (!*h->stop) {
        uint64_t t0 = faultNowUs(), dt;
        remote_dom dom = { 0 };
        unsigned int count;
        int k = h->calls % 4;
        int rc = k == 0 ? faultLibVersion(c) :
                 k == 1 ? faultDefine(c, xml, &dom, NULL) :
                 k == 2 ? faultListAll(c, &count) :
                 faultLookup(c, name, &dom);

        if (rc == 0 && k == 3)
            rc = faultDomCall(c, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &dom, NULL);
        xdr_free((xdrproc_t)xdr_remote_dom, (char *)&dom);
        dt = faultNowUs() - t0;
        h->worstUs = MAX(h->worstUs, dt);
        h->calls++;
        if (rc != 0) {
            h->failed++;
            break;
        }
    }
    faultClientFree(c);
    return NULL;
}


/* Replace the configuration file the way an operator's tool should: a
 * new file renamed over the old one. */
static bool
faultWriteConf(faultDaemon *d, const char *text)
{
    g_autofree char *conf = g_build_filename(d->dir, "virtnetd.conf", NULL);
    g_autofree char *tmp = g_strconcat(conf, ".new", NULL);
    g_autofree char *full = g_strdup_printf("unix_sock_dir = \"%s/run\"\n%s", d->dir, text);

    return g_file_set_contents(tmp, full, -1, NULL) && rename(tmp, conf) == 0;
}


static off_t
faultSize(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? st.st_size : 0;
}


/* How many times path contains what. */
static int
faultCount(const char *path, const char *what)
{
    g_autofree char *text = NULL;
    const char *p;
    int n = 0;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return 0;
    for (p = text; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}


/* Wait until path contains what more than `before` times. */
static bool
faultWaitFor(const char *path, const char *what, int before, int ms)
{
    for (int i = 0; i < ms / 10; i++) {
        if (faultCount(path, what) > before)
            return true;
        g_usleep(10 * 1000);
    }
    return false;
}


static int
testSighup(const void *data G_GNUC_UNUSED)
{
    faultDaemon *d = faultDaemonStart(NULL);
    faultHupClient h[FAULT_HUP_CLIENTS] = { 0 };
    faultHupClient sum = { 0 };
    volatile bool stop = false;
    g_autofree char *logA = NULL, *logB = NULL, *logF = NULL, *logG = NULL;
    g_autofree char *confA = NULL, *confB = NULL, *confF = NULL, *confG = NULL;
    const char *confBad = "log_level = \"loud\"\n";
    GRand *rnd = g_rand_new_with_seed(faultSeed);
    faultClient *c = NULL;
    off_t a0, b0, f0, g0;
    bool finalApplied, quietApplied;
    int ret = -1, i, bad = 0, announced;
    uint64_t t0, took;

    if (!d) {
        g_rand_free(rnd);
        return -1;
    }
    logA = g_build_filename(d->dir, "a.log", NULL);
    logB = g_build_filename(d->dir, "b.log", NULL);
    logF = g_build_filename(d->dir, "final.log", NULL);
    logG = g_build_filename(d->dir, "quiet.log", NULL);
    confA = g_strdup_printf("log_level = 3\nlog_outputs = \"3:file:%s\"\n", logA);
    confB = g_strdup_printf("log_level = 1\nlog_filters = \"3:util 1:rpc\"\n"
                            "log_outputs = \"1:file:%s\"\n", logB);
    /* debug to final.log; then errors only to quiet.log */
    confF = g_strdup_printf("log_level = 1\nlog_outputs = \"1:file:%s\"\n", logF);
    confG = g_strdup_printf("log_level = 4\nlog_outputs = \"4:file:%s\"\n", logG);

    for (i = 0; i < FAULT_HUP_CLIENTS; i++) {
        h[i].d = d;
        h[i].index = i;
        h[i].stop = &stop;
        h[i].thread = g_thread_new("hup", faultHupThread, &h[i]);
    }
    g_usleep(100 * 1000);
    t0 = faultNowUs();
    for (i = 0; i < FAULT_HUPS; i++) {
        int which = g_rand_int_range(rnd, 0, 5);

        faultWriteConf(d, which < 2 ? confA : which < 4 ? confB : confBad);
        kill(d->pid, SIGHUP);
        g_usleep(g_rand_int_range(rnd, 0, 10) * 1000);
    }
    took = faultNowUs() - t0;
    g_usleep(100 * 1000);
    stop = true;
    for (i = 0; i < FAULT_HUP_CLIENTS; i++) {
        g_thread_join(h[i].thread);
        sum.calls += h[i].calls;
        sum.failed += h[i].failed;
        sum.worstUs = MAX(sum.worstUs, h[i].worstUs);
    }
    FIGURE("%d SIGHUPs in %.2f s (configuration rewritten before each: two log setups and "
           "a broken file) while %d clients called: %llu calls, %llu failed, worst %.1f ms",
           FAULT_HUPS, took / 1e6, FAULT_HUP_CLIENTS, sum.calls, sum.failed, sum.worstUs / 1e3);
    if (sum.failed || sum.calls == 0 || kill(d->pid, 0) < 0)
        bad++;

    /* the last file wins: debug to final.log, and nothing more to a or b */
    if (!(c = faultOpen(d, "test:///default")))
        goto cleanup;
    faultWriteConf(d, confF);
    kill(d->pid, SIGHUP);
    finalApplied = faultWaitFor(logF, "configuration reloaded", 0, 10000);
    a0 = faultSize(logA);
    b0 = faultSize(logB);
    f0 = faultSize(logF);
    for (i = 0; i < 20; i++)
        faultLookup(c, "no-such-domain", NULL);     /* an error reply: logged at debug */
    g_usleep(100 * 1000);
    FIGURE("after a last SIGHUP with debug to final.log: reload %s; final.log +%lld bytes "
           "over 20 calls, a.log +%lld, b.log +%lld", finalApplied ? "logged" : "NOT LOGGED",
           (long long)(faultSize(logF) - f0), (long long)(faultSize(logA) - a0),
           (long long)(faultSize(logB) - b0));
    if (!finalApplied || faultSize(logF) == f0 || faultSize(logA) != a0 ||
        faultSize(logB) != b0)
        bad++;

    /* and then errors only, to quiet.log: the same calls log nothing */
    /* the reload is announced (info) before the new settings apply, so to
     * final.log; the loop thread applies them right after */
    announced = faultCount(logF, "SIGHUP: reloading configuration");
    faultWriteConf(d, confG);
    kill(d->pid, SIGHUP);
    quietApplied = faultWaitFor(logF, "SIGHUP: reloading configuration", announced, 10000);
    g_usleep(100 * 1000);
    f0 = faultSize(logF);
    g0 = faultSize(logG);
    for (i = 0; i < 20; i++)
        faultLookup(c, "no-such-domain", NULL);
    g_usleep(100 * 1000);
    FIGURE("then errors only to quiet.log: reload %s; quiet.log +%lld bytes over 20 calls, "
           "final.log +%lld", quietApplied ? "announced" : "NOT ANNOUNCED",
           (long long)(faultSize(logG) - g0), (long long)(faultSize(logF) - f0));
    if (!quietApplied || faultSize(logG) != g0 || faultSize(logF) != f0 ||
        faultLibVersion(c) != 0)
        bad++;
    ret = bad ? -1 : 0;
 cleanup:
    faultClientFree(c);
    faultDaemonFree(d);
    g_rand_free(rnd);
    return ret;
}


int
main(int argc, char **argv)
{
    const char *seed = g_getenv("FAULT_SEED");
    static const faultCase cases[] = {
        { "malformed: every procedure of every program, malformed, gets one reply", testMalformed },
        { "connections: 2,000 connections, 10% killed mid-call, no reply lost or mismatched", testConnections },
        { "sigterm: calls in flight are answered or refused cleanly; exit within the timeout", testSigterm },
        { "sighup: 100 SIGHUPs while clients call; the last file's log settings hold", testSighup },
    };

    faultSeed = seed ? (guint32)strtoul(seed, NULL, 10) : (guint32)g_random_int();
    printf("FAULT_SEED=%u\n", faultSeed);
    return faultRunCases(argc, argv, cases, G_N_ELEMENTS(cases));
}
