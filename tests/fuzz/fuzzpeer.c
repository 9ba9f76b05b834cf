/*
 * fuzzpeer.c: a client byte stream against a real server, for the fuzz
 * harnesses' dispatch mode (fuzzpeer.h).
 *
 * Each input is a byte stream a client sends to a server the harness
 * made (its programs, real or stub handlers) over a socketpair:
 * virNetSocketNewPair, one end wrapped in a virNetServerClient and added
 * with virNetServerAddClient, the other end (the "peer") driven from the
 * same virEventLoop, which runs here with virEventLoopRunOnce. Per input:
 *
 *   1. The input is split into messages by their own length words. A
 *      piece whose length word is out of range or runs past the input is
 *      sent raw, as the rest of the stream. Each well-framed message goes
 *      through the harness's fixup (which may tame it in place).
 *   2. Each message is written; after a CALL_WITH_FDS with nfds <= 32 the
 *      peer passes that many fds (/dev/null) with their carrier bytes, as a
 *      real client does (bare carrier bytes instead when the call's serial
 *      has its top bit set: the server must refuse those). The input's size
 *      modulo 3 makes the client read-write, read-only or unauthenticated;
 *      when it is a multiple of 5 the bytes go out in 7-byte fragments, one
 *      per loop iteration, so the server sees split length words/headers.
 *      With inOrder, a simple input (below) of even size goes in
 *      lockstep: each call is written once every call before it has its
 *      reply, as a synchronous client does (real handlers then see the
 *      calls in order: a lookup after CONNECT_OPEN finds the connection);
 *      otherwise calls are pipelined.
 *      Everything the server sends is read and checked:
 *      valid length words, reply/event/stream types only, fds closed.
 *   3. Then the peer half-closes and waits for the server to close.
 *   4. Everything is torn down (server, workers, client, sockets, loop).
 *
 * Checked properties, besides "no crash, no leak, no sanitizer report":
 *   - the server's output is a well-formed message stream;
 *   - never more replies than calls;
 *   - when every piece is a well-framed message and nothing asks the
 *     server to close (the fixup says so), every call gets exactly one
 *     reply and the server does not close the connection first;
 *   - an input finishes within FUZZ_DEADLINE_MS (default 10000), else
 *     abort() with the state (a hang). libFuzzer's -timeout is a backstop.
 *
 * Deliberate limits, to keep one input short and deterministic enough:
 * keepalive off (keepalive_interval -1); workers 1..2 normal + 1 priority
 * (thread start-up per input is the main cost).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "fuzzpeer.h"
#include "virnetsocket.h"
#include "virnetmessage.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"
#include "keepalive_protocol.h"

#define FUZZ_READ_BUF 65536
#define FUZZ_MAX_RECV_FDS 64

typedef struct {
    char *bytes;
    size_t len;
    unsigned int nfds;          /* fds to pass after the bytes */
    bool fakeFds;               /* send bare carrier bytes, no fds */
    bool call;                  /* a call that gets a reply */
} FuzzPiece;

typedef struct {
    virEventLoop *loop;
    virNetSocket *peer;
    virNetServerClient *client;
    int fd;
    int watch;
    int timer;
    int watchEvents;

    FuzzPiece *pieces;
    size_t npieces;
    size_t cur;                 /* piece being written */
    size_t off;                 /* bytes of it written */
    unsigned int fdsSent;
    size_t chunk;               /* most bytes per send, one send per wake-up */
    bool writeDone;
    bool halfClosed;
    bool eof;

    fuzzPeerFixupFunc fixup;
    bool simple;                /* every call must get one reply */
    size_t expectedReplies;
    bool lockstep;              /* a call waits for the replies of those before */
    size_t callsWritten;

    /* Parser of what the server sends. */
    unsigned char head[32];
    size_t headHave;
    size_t msgLeft;             /* bytes of the current message to skip */
    size_t carrierLeft;         /* fd carrier bytes after a message */
    size_t replies;
    size_t errorReplies;
    size_t events;
    size_t streamMessages;
} FuzzState;

static int fuzzDevNull = -1;
static char *fuzzReadBuf;
static long long fuzzDeadlineMs = 10000;
static bool fuzzVerbose;


unsigned int
fuzzPeerGetU32(const unsigned char *p)
{
    return ((unsigned int)p[0] << 24) | ((unsigned int)p[1] << 16) |
           ((unsigned int)p[2] << 8) | (unsigned int)p[3];
}


void
fuzzPeerPutU32(unsigned char *p, unsigned int v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}


static void G_GNUC_NORETURN
fuzzFail(FuzzState *st, const char *what)
{
    fprintf(stderr,
            "fuzzpeer: %s\n"
            "  pieces %zu, written %zu (+%zu bytes, %u fds), writeDone %d, halfClosed %d, eof %d\n"
            "  simple %d, calls expecting a reply %zu, replies %zu, events %zu\n"
            "  requests in flight %zu, queued bytes %zu, client closed %d\n",
            what, st->npieces, st->cur, st->off, st->fdsSent, st->writeDone,
            st->halfClosed, st->eof, st->simple, st->expectedReplies, st->replies,
            st->events,
            st->client ? virNetServerClientRequestsInFlight(st->client) : 0,
            st->client ? virNetServerClientQueuedBytes(st->client) : 0,
            st->client ? virNetServerClientIsClosed(st->client) : -1);
    abort();
}


void
fuzzPeerInit(void)
{
    const char *dl = getenv("FUZZ_DEADLINE_MS");

    signal(SIGPIPE, SIG_IGN);
    fuzzVerbose = getenv("FUZZ_VERBOSE") != NULL;
    if (dl && atoll(dl) > 0)
        fuzzDeadlineMs = atoll(dl);
    fuzzDevNull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fuzzDevNull < 0) {
        perror("fuzzpeer: /dev/null");
        abort();
    }
    fuzzReadBuf = g_malloc(FUZZ_READ_BUF);
}


/* ---- input -> pieces ---------------------------------------------------- */

/* Adjust a well-framed message in place; decide its fds and whether it
 * keeps the connection "simple" (every call answered, no close). */
static void
fuzzFixupMessage(FuzzState *st, FuzzPiece *p)
{
    unsigned char *m = (unsigned char *)p->bytes;
    unsigned int prog = fuzzPeerGetU32(m + 4);
    int type = (int)fuzzPeerGetU32(m + 16);
    size_t argsOff = 28;

    if (type == VIR_NET_CALL_WITH_FDS) {
        unsigned int nfds;
        if (p->len < 32) {
            st->simple = false;     /* no nfds word: the server closes */
            return;
        }
        nfds = fuzzPeerGetU32(m + 28);
        if (nfds > VIR_NET_MESSAGE_NUM_FDS_MAX) {
            st->simple = false;     /* refused: the server closes */
            return;
        }
        p->nfds = nfds;
        argsOff = 32;
        /* Serial with the top bit set: carrier bytes without fds, which
         * the server must refuse (and close). */
        if (nfds > 0 && (fuzzPeerGetU32(m + 20) & 0x80000000u)) {
            p->fakeFds = true;
            st->simple = false;
        }
    }

    if (st->fixup && !st->fixup(m, p->len, argsOff))
        st->simple = false;

    /* Calls get exactly one reply, except those of the keepalive program,
     * which the keepalive layer swallows whatever their type. */
    if ((type == VIR_NET_CALL || type == VIR_NET_CALL_WITH_FDS) &&
        prog != KEEPALIVE_PROGRAM) {
        st->expectedReplies++;
        p->call = true;
    }
}


static void
fuzzSplit(FuzzState *st, const uint8_t *data, size_t size)
{
    size_t pos = 0;

    st->pieces = g_new0(FuzzPiece, size / 28 + 2);
    st->simple = true;
    while (pos < size) {
        FuzzPiece *p = &st->pieces[st->npieces++];
        size_t left = size - pos;
        unsigned int len = left >= 4 ? fuzzPeerGetU32(data + pos) : 0;

        if (left < 4 || virNetMessageCheckLength(len) < 0 || len > left) {
            /* The rest goes raw: the server refuses it or waits for more. */
            virResetLastError();
            p->bytes = g_memdup2(data + pos, left);
            p->len = left;
            st->simple = false;
            break;
        }
        p->bytes = g_memdup2(data + pos, len);
        p->len = len;
        fuzzFixupMessage(st, p);
        pos += len;
    }
}


/* ---- the peer ----------------------------------------------------------- */

/* Follow the server's output: check each message's framing. */
static void
fuzzParseOutput(FuzzState *st, const unsigned char *buf, size_t n)
{
    while (n > 0) {
        size_t take;

        if (st->carrierLeft > 0) {
            take = n < st->carrierLeft ? n : st->carrierLeft;
            st->carrierLeft -= take;
        } else if (st->msgLeft > 0) {
            take = n < st->msgLeft ? n : st->msgLeft;
            st->msgLeft -= take;
        } else {
            unsigned int len;
            size_t want;
            int type, status;

            /* Collect the length word, the header and (maybe) nfds. */
            want = 28;
            if (st->headHave >= 20 && fuzzPeerGetU32(st->head + 16) == VIR_NET_REPLY_WITH_FDS)
                want = 32;
            take = want - st->headHave;
            if (take > n)
                take = n;
            memcpy(st->head + st->headHave, buf, take);
            st->headHave += take;
            buf += take;
            n -= take;
            if (st->headHave < want)
                continue;
            if (want == 28 && fuzzPeerGetU32(st->head + 16) == VIR_NET_REPLY_WITH_FDS)
                continue;   /* go round for the nfds word */

            len = fuzzPeerGetU32(st->head);
            type = (int)fuzzPeerGetU32(st->head + 16);
            status = (int)fuzzPeerGetU32(st->head + 24);
            if (virNetMessageCheckLength(len) < 0 || len < want)
                fuzzFail(st, "server sent a message with a bad length word");
            switch (type) {
            case VIR_NET_REPLY:
            case VIR_NET_REPLY_WITH_FDS:
                if (status != VIR_NET_OK && status != VIR_NET_ERROR)
                    fuzzFail(st, "server sent a reply with a bad status");
                st->replies++;
                if (status == VIR_NET_ERROR)
                    st->errorReplies++;
                if (st->replies > st->expectedReplies)
                    fuzzFail(st, "more replies than calls");
                break;
            case VIR_NET_MESSAGE:
                st->events++;
                break;
            case VIR_NET_STREAM:
            case VIR_NET_STREAM_HOLE:
                /* a stream's data, hole or end (real handlers' streams) */
                if (status != VIR_NET_OK && status != VIR_NET_ERROR &&
                    status != VIR_NET_CONTINUE)
                    fuzzFail(st, "server sent stream data with a bad status");
                st->streamMessages++;
                break;
            default:
                fuzzFail(st, "server sent a message of an unexpected type");
            }
            if (type == VIR_NET_REPLY_WITH_FDS) {
                unsigned int nfds = fuzzPeerGetU32(st->head + 28);
                if (nfds > VIR_NET_MESSAGE_NUM_FDS_MAX)
                    fuzzFail(st, "server sent too many fds");
                st->carrierLeft = nfds;
            }
            st->msgLeft = len - want;
            st->headHave = 0;
            continue;
        }
        buf += take;
        n -= take;
    }
}


static void
fuzzPeerRead(FuzzState *st)
{
    for (;;) {
        union { char buf[CMSG_SPACE(sizeof(int) * FUZZ_MAX_RECV_FDS)]; struct cmsghdr align; } ctl;
        struct iovec iov = { .iov_base = fuzzReadBuf, .iov_len = FUZZ_READ_BUF };
        struct msghdr mh = { 0 };
        ssize_t n;

        mh.msg_iov = &iov;
        mh.msg_iovlen = 1;
        mh.msg_control = ctl.buf;
        mh.msg_controllen = sizeof(ctl.buf);
        n = recvmsg(st->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                st->eof = true;     /* reset by the server */
            return;
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                size_t nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                int *fds = (int *)CMSG_DATA(c);
                for (size_t i = 0; i < nfd; i++)
                    close(fds[i]);
            }
        }
        if (n == 0) {
            st->eof = true;
            return;
        }
        fuzzParseOutput(st, (unsigned char *)fuzzReadBuf, n);
    }
}


/* In lockstep, the next piece is a call that must wait for replies. */
static bool
fuzzPeerWaiting(FuzzState *st)
{
    return st->lockstep && st->cur < st->npieces && st->off == 0 && st->fdsSent == 0 &&
           st->pieces[st->cur].call && st->replies < st->callsWritten;
}


static void
fuzzPeerWrite(FuzzState *st)
{
    while (st->cur < st->npieces) {
        FuzzPiece *p = &st->pieces[st->cur];

        if (fuzzPeerWaiting(st))
            return;

        if (st->off < p->len) {
            size_t want = p->len - st->off;
            ssize_t n;

            if (want > st->chunk)
                want = st->chunk;
            n = send(st->fd, p->bytes + st->off, want, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    st->writeDone = true;   /* the server closed */
                return;
            }
            st->off += n;
            if (st->chunk != SIZE_MAX && st->off < p->len)
                return;     /* let the server read this fragment first */
            continue;
        }
        if (st->fdsSent < p->nfds && p->fakeFds) {
            ssize_t n = send(st->fd, "", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    st->writeDone = true;
                return;
            }
            st->fdsSent++;
            continue;
        }
        if (st->fdsSent < p->nfds) {
            int rv = virNetSocketSendFD(st->peer, fuzzDevNull);
            if (rv == 0)
                return;
            if (rv < 0) {
                virResetLastError();
                st->writeDone = true;
                return;
            }
            st->fdsSent++;
            continue;
        }
        if (p->call)
            st->callsWritten++;
        st->cur++;
        st->off = 0;
        st->fdsSent = 0;
    }
    st->writeDone = true;
}


static void
fuzzPeerUpdate(FuzzState *st)
{
    int events = VIR_EVENT_HANDLE_READABLE;

    if (!st->writeDone && !fuzzPeerWaiting(st))
        events |= VIR_EVENT_HANDLE_WRITABLE;
    if (events != st->watchEvents) {
        st->watchEvents = events;
        virEventLoopUpdateHandle(st->loop, st->watch, events);
    }
}


static void
fuzzPeerEvent(int watch G_GNUC_UNUSED, int fd G_GNUC_UNUSED, int events, void *opaque)
{
    FuzzState *st = opaque;

    if (events & (VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_HANGUP |
                  VIR_EVENT_HANDLE_ERROR))
        fuzzPeerRead(st);
    if (!st->writeDone && !st->eof && (events & VIR_EVENT_HANDLE_WRITABLE))
        fuzzPeerWrite(st);
    if (st->eof)
        st->writeDone = true;
    fuzzPeerUpdate(st);
}


/* Wakes RunOnce regularly, so the checks in the main loop run even while
 * the only activity is on worker threads. */
static void
fuzzTick(int timer G_GNUC_UNUSED, void *opaque G_GNUC_UNUSED)
{
}


/* ---- one input ------------------------------------------------------------ */

void
fuzzPeerRun(const uint8_t *data, size_t size, fuzzPeerNewServerFunc newServer,
            void *opaque, fuzzPeerFixupFunc fixup, bool inOrder)
{
    FuzzState st = { 0 };
    virNetServerConfig cfg;
    virNetServer *srv;
    virNetSocket *srvSock = NULL;
    uint64_t deadline;

    if (size == 0)
        return;
    st.fixup = fixup;
    fuzzSplit(&st, data, size);
    /* One input in five arrives in 7-byte fragments, so length words and
     * headers are split across the server's reads. */
    st.chunk = size % 5 == 0 ? 7 : SIZE_MAX;
    /* Only a simple input has a reply for every call to wait for. */
    st.lockstep = inOrder && st.simple && size % 2 == 0;

    virNetServerConfigDefaults(&cfg);
    cfg.keepalive_interval = -1;
    cfg.min_workers = 1;
    cfg.max_workers = 2;
    cfg.prio_workers = 1;

    if (!(st.loop = virEventLoopNew()))
        fuzzFail(&st, "cannot create the loop");
    if (!(srv = newServer(&cfg, st.loop, opaque)))
        fuzzFail(&st, "cannot create the server");
    if (virNetSocketNewPair(&srvSock, &st.peer) < 0)
        fuzzFail(&st, "cannot create the socket pair");
    st.fd = virNetSocketGetFD(st.peer);
    /* The input's size picks the client's kind: read-write (most), read-only,
     * or needing (SASL) authentication it never completes. */
    st.client = virNetServerClientNew(1, srvSock,
                                      size % 3 == 2 ? VIR_NET_SERVER_SERVICE_AUTH_SASL
                                                    : VIR_NET_SERVER_SERVICE_AUTH_NONE,
                                      size % 3 == 1, cfg.max_client_requests);
    if (virNetServerAddClient(srv, st.client) < 0)
        fuzzFail(&st, "cannot add the client");

    st.watchEvents = VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_WRITABLE;
    st.watch = virEventLoopAddHandle(st.loop, st.fd, st.watchEvents,
                                     fuzzPeerEvent, &st, NULL);
    st.timer = virEventLoopAddTimeout(st.loop, 1, fuzzTick, NULL, NULL);
    if (st.watch < 0 || st.timer < 0)
        fuzzFail(&st, "cannot watch the peer");

    deadline = virTimeMonoMs() + fuzzDeadlineMs;
    while (!st.eof) {
        if (virEventLoopRunOnce(st.loop) < 0)
            fuzzFail(&st, "event loop failed");
        if (st.writeDone && !st.halfClosed && !st.eof) {
            bool quiet;
            if (st.simple)
                quiet = st.replies >= st.expectedReplies;
            else
                quiet = virNetServerClientRequestsInFlight(st.client) == 0;
            if (quiet) {
                shutdown(st.fd, SHUT_WR);
                st.halfClosed = true;
            }
        }
        if (virTimeMonoMs() > deadline)
            fuzzFail(&st, st.simple && st.replies < st.expectedReplies ?
                     "calls left unanswered (hang)" : "input did not finish (hang)");
    }

    if (st.simple) {
        if (!st.halfClosed)
            fuzzFail(&st, "server closed a well-behaved connection");
        if (st.replies != st.expectedReplies)
            fuzzFail(&st, "reply count differs from call count");
    }

    if (fuzzVerbose)
        fprintf(stderr, "fuzzpeer: %zu pieces, simple %d, %zu calls, %zu replies (%zu errors), "
                "%zu events, %zu stream messages, half-closed %d\n", st.npieces, st.simple,
                st.expectedReplies, st.replies, st.errorReplies, st.events, st.streamMessages,
                st.halfClosed);

    virEventLoopRemoveHandle(st.loop, st.watch);
    virEventLoopRemoveTimeout(st.loop, st.timer);
    virNetServerShutdown(srv, 0);
    virNetServerUnref(srv);
    virNetServerClientUnref(st.client);
    virNetSocketFree(st.peer);
    virEventLoopFree(st.loop);
    for (size_t i = 0; i < st.npieces; i++)
        g_free(st.pieces[i].bytes);
    g_free(st.pieces);
    virResetLastError();
}
