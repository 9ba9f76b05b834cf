/*
 * virnetclient.c: the client end of one connection (see virnetclient.h).
 *
 * Calls. Every message to send, and every thread waiting for a reply, has a
 * record in client->calls, in the order the messages go out. A record of a
 * thread that waits lives on that thread's stack; a message sent without a
 * waiting thread (keepalive PONG, non-blocking send) has a heap record that
 * the queue owns. At most one thread "owns the socket" (haveTheBuck): it
 * polls the socket and a wakeup eventfd with the lock released, and reads
 * with the lock held. Replies are matched by serial (and prog, vers) to the
 * waiting records, whose threads are signalled; when the owner's own call
 * completes it hands ownership to another waiting thread, or, when none is
 * left, back to the event loop's watch. A thread whose call arrives while
 * the socket has an owner writes its message itself if it can (all writes
 * happen under the lock, so that is safe) and only wakes the owner when
 * the socket is full and the rest needs POLLOUT.
 *
 * Reading. Bytes are read into a 64 KiB buffer and messages carved from it
 * (a reply to a null call costs one read); a message too large for it is
 * read straight into its own buffer. Lengths are checked by
 * virNetMessageDecodeLength before anything is allocated. fds that follow a
 * REPLY_WITH_FDS arrive with one carrier byte each: the socket queues the
 * fds of every read, and consuming a carrier byte from the buffer takes
 * the next queued fd.
 *
 * Events and keepalive. Event messages are queued and dispatched from a
 * zero-second timer on the attached loop, never inside a call (the thread
 * that reads them may be in the middle of its own call, holding locks of
 * its caller). Keepalive PINGs are answered by whoever reads them: the PONG
 * is queued like any message and written at once if the socket takes it.
 *
 * Streams. A stream registers itself (virNetClientAddStream) before the
 * call that opens it goes out; STREAM / STREAM_HOLE messages are routed to
 * it by (prog, vers, proc, serial). Threads wait on a stream with records
 * of their own: a blocking Recv queues a record without a message
 * (WAIT_RX from the start) that completes when the stream has something
 * for a reader; a finish or abort queues its message with a record that
 * completes on the server's confirmation (or error). Data sent blocking is
 * a record without reply; non-blocking data a heap record. A REPLY with a
 * stream's serial is an error for that stream (libvirt's daemon answers a
 * failed stream write that way). While a stream holds a full window of
 * unread data the loop's watch stops reading (nStreamsFull); threads that
 * own the socket still read, since they must reach their answer.
 *
 * Closing. EOF, an I/O or protocol error, keepalive death or
 * virNetClientClose mark the client closed under the lock: the socket is
 * shut down (the fd stays valid until the client is freed, because the
 * owner may still be polling it), every waiting record fails, the owner is
 * woken, and the close callback runs once, later, from whichever thread
 * next releases the lock at a safe point (never inside the I/O loop).
 *
 * Locking: one mutex (client->lock) guards everything in the client,
 * including the socket. It is released only around poll(), around the
 * close callback and around event dispatch: the callbacks may call back
 * into the client. The lock order is client -> keepalive -> event loop;
 * neither of the latter calls back into the client with its own lock held.
 *
 * References: the loop's watch and event timer each hold one, dropped by
 * their free callbacks; they are removed on close, so a client with an
 * attached loop must be closed before its last user reference goes.
 *
 * TLS. virNetClientSetTLSSession runs before the first call, synchronously:
 * the handshake (polling the fd in the direction gnutls waits on), the
 * check of the server's certificate (trusted CA, dates, CRL, and the host
 * name or address we connected to), then the server's verdict on ours:
 * one byte that must be 1; a closed connection (libvirt's daemon sends
 * nothing when it refuses a client) or another value means refused. From
 * then on the socket reads and writes through the session. Decrypted bytes
 * waiting inside gnutls are invisible to poll(): the socket owner checks
 * virNetSocketHasCachedData() before polling, and the loop's watch
 * callback reads until none is left.
 *
 * Timeouts (virNetClientSetReplyTimeout). A thread gives up waiting when
 * its deadline passes. Its record leaves the queue if nothing of it was
 * written; a partly written message is finished by a heap record of its
 * own (the stream must stay in step); a call already sent leaves its
 * serial in a short list of abandoned serials, so that the late reply is
 * dropped instead of being taken for a protocol error. The thread that
 * owned the socket hands it over as after a completed call.
 *
 * SASL. The caller runs the exchange with ordinary calls (AUTH_SASL_*),
 * then virNetClientSetSASLSession puts the session under the socket right
 * after the final reply was processed: from then on writes are encoded
 * (a packet the socket could not finish counts as not written, so the
 * same bytes are offered again) and reads decoded; decoded bytes the
 * socket keeps are cached data, handled as TLS's.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <glib.h>

#include "virnetclient.h"
#include "virnetclientstream.h"
#include "virnettlssession.h"
#include "virnetsaslcontext.h"
#include "virkeepalive.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netclient");

/* Receive buffer: big enough for a burst of small replies in one read. */
#define VIR_NET_CLIENT_RXBUF_SIZE (64 * 1024)

/* Serials of calls given up on whose late replies are dropped; beyond
 * this many the oldest is forgotten (its reply would then close the
 * connection as a protocol error). */
#define VIR_NET_CLIENT_ABANDONED_MAX 64

typedef enum {
    VIR_NET_CLIENT_MODE_WAIT_TX,    /* (part of) the message is not written */
    VIR_NET_CLIENT_MODE_WAIT_RX,    /* written, waiting for the reply */
    VIR_NET_CLIENT_MODE_COMPLETE,   /* done; removed from the queue */
    VIR_NET_CLIENT_MODE_FAILED,     /* connection closed; removed from the queue */
} virNetClientCallMode;

typedef struct _virNetClientCall virNetClientCall;
struct _virNetClientCall {
    virNetClientCallMode mode;
    virNetMessage *msg;
    bool expectReply;
    bool haveThread;        /* a thread waits on cond (record on its stack) */
    virNetClientStream *stream;   /* a stream record: completed by the stream's messages */
    bool streamClose;       /* ... only by its confirmation (finish, abort) */
    GCond cond;
    virNetClientCall *next;
};

struct _virNetClient {
    gint refs;
    GMutex lock;

    virNetSocket *sock;
    int wakefd;                     /* eventfd polled by the socket owner */
    virNetTLSSession *tls;          /* NULL: plain */
    virNetSASLSession *sasl;        /* the SASL layer, once authenticated */

    bool closed;
    int closeReason;
    virError closeError;            /* what failed calls report */

    /* Outgoing messages and waiting threads, in sending order. */
    virNetClientCall *calls;
    virNetClientCall *callsTail;
    size_t ntx;                     /* records in WAIT_TX */
    size_t nwaiters;                /* threads inside a Send function */
    bool haveTheBuck;               /* some thread owns the socket */
    bool ownerPollOut;              /* ... and polls it for POLLOUT */

    /* Incoming data. */
    char *rxbuf;
    size_t rxstart;
    size_t rxend;
    virNetMessage *rx;              /* message being received */
    size_t rxfill;                  /* bytes of rx->buffer filled */
    size_t rxfds;                   /* carrier bytes of rx still to come */
    virNetMessage *spare;           /* an empty message struct to reuse */

    virNetClientProgram **programs;
    size_t nprograms;

    virNetMessage *events;          /* received, not yet dispatched */
    size_t nevents;

    GPtrArray *streams;             /* virNetClientStream *, references held */
    size_t nStreamsFull;            /* streams holding a full window */

    virEventLoop *loop;
    int watch;
    int watchEvents;
    int eventTimer;
    bool eventTimerArmed;

    virKeepAlive *ka;

    virNetClientCloseFunc closeCb;
    void *closeOpaque;
    virFreeCallback closeFf;
    bool closeCbPending;

    gint serial;

    int replyTimeout;               /* ms a call waits for its reply; -1: no limit */
    size_t msgMax;                  /* largest message accepted; 0: the protocol's */
    bool strict;                    /* unknown or too many events close */
    GArray *abandoned;              /* unsigned int: serials of calls given up on */
};


static void virNetClientCloseLocked(virNetClient *client, int reason);
static void virNetClientRecordErrorLocked(virNetClient *client, const char *text);
static void virNetClientReportClosedLocked(virNetClient *client);
static void virNetClientUnlockAndNotify(virNetClient *client);


/* ---- life cycle --------------------------------------------------------- */

virNetClient *
virNetClientNewSocket(virNetSocket *sock)
{
    virNetClient *client;
    int wakefd;

    if (!sock)
        return NULL;
    if ((wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
        virReportSystemError(errno, "%s", "Unable to create wakeup eventfd");
        virNetSocketFree(sock);
        return NULL;
    }

    client = g_new0(virNetClient, 1);
    client->refs = 1;
    g_mutex_init(&client->lock);
    client->sock = sock;
    client->wakefd = wakefd;
    client->rxbuf = g_malloc(VIR_NET_CLIENT_RXBUF_SIZE);
    client->watch = -1;
    client->eventTimer = -1;
    client->replyTimeout = -1;
    client->abandoned = g_array_new(FALSE, FALSE, sizeof(unsigned int));
    client->streams = g_ptr_array_new_with_free_func((GDestroyNotify)virNetClientStreamUnref);

    VIR_DEBUG("client=%p sock=%p fd=%d", client, sock, virNetSocketGetFD(sock));
    return client;
}


virNetClient *
virNetClientNewUNIX(const char *path)
{
    virNetSocket *sock = virNetSocketNewConnectUNIX(path);

    return sock ? virNetClientNewSocket(sock) : NULL;
}


virNetClient *
virNetClientNewTCP(const char *host, const char *port)
{
    virNetSocket *sock = virNetSocketNewConnectTCP(host, port);

    return sock ? virNetClientNewSocket(sock) : NULL;
}


/* Wait until the socket is ready for ev (POLLIN / POLLOUT). Lock held:
 * nobody else may use the client before the TLS set-up is done. */
static int
virNetClientWaitSocket(virNetClient *client, short ev)
{
    struct pollfd pfd = { .fd = virNetSocketGetFD(client->sock), .events = ev };

    for (;;) {
        int r = poll(&pfd, 1, -1);

        if (r > 0)
            return 0;
        if (r < 0 && errno != EINTR && errno != EAGAIN) {
            virReportSystemError(errno, "%s", "poll on the client socket failed");
            return -1;
        }
    }
}


int
virNetClientSetTLSSession(virNetClient *client, virNetTLSContext *ctxt, const char *hostname)
{
    virNetTLSSession *sess = NULL;
    char byte = 0;
    bool eof = false;
    ssize_t n;
    int rc;

    g_mutex_lock(&client->lock);
    if (client->closed) {
        virNetClientReportClosedLocked(client);
        g_mutex_unlock(&client->lock);
        return -1;
    }
    if (client->tls || client->calls || client->rxend > 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "TLS must be set up before the first message");
        g_mutex_unlock(&client->lock);
        return -1;
    }
    if (!(sess = virNetTLSSessionNew(ctxt, hostname)))
        goto error;
    virNetSocketSetTLSSession(client->sock, sess);

    while ((rc = virNetTLSSessionHandshake(sess)) > 0) {
        if (virNetClientWaitSocket(client, virNetTLSSessionGetHandshakeStatus(sess) ==
                                   VIR_NET_TLS_HANDSHAKE_SENDING ? POLLOUT : POLLIN) < 0)
            goto error;
    }
    if (rc < 0)
        goto error;

    /* Our verdict on the server first, then the server's on us. */
    if (virNetTLSContextCheckCertificate(ctxt, sess) < 0)
        goto error;
    while ((n = virNetSocketRead(client->sock, &byte, 1, &eof)) == 0) {
        if (virNetClientWaitSocket(client, POLLIN) < 0)
            goto error;
    }
    if (n < 0 && !eof)
        goto error;
    if (n < 0 || byte != 1) {
        virReportError(VIR_ERR_RPC, "the server refused the TLS connection (%s): it did not "
                       "accept our certificate or our address",
                       n < 0 ? "it closed the connection" : "confirmation byte not 1");
        goto error;
    }
    client->tls = sess;
    VIR_DEBUG("client=%p: TLS session up with %s", client, hostname ? hostname : "-");
    g_mutex_unlock(&client->lock);
    return 0;

 error:
    /* The connection is unusable: later calls report this error. */
    virNetClientRecordErrorLocked(client, NULL);
    virNetClientCloseLocked(client, VIR_NET_CLIENT_CLOSE_ERROR);
    virNetTLSSessionUnref(sess);
    {
        virError *saved = virErrorPreserveLast();

        virNetClientUnlockAndNotify(client);
        if (saved)
            virErrorRestore(&saved);
    }
    return -1;
}


virNetClient *
virNetClientNewTLS(const char *host, const char *port, virNetTLSContext *ctxt)
{
    virNetClient *client = virNetClientNewTCP(host, port);

    if (!client)
        return NULL;
    if (virNetClientSetTLSSession(client, ctxt, host) < 0) {
        virError *saved = virErrorPreserveLast();

        virNetClientUnref(client);
        if (saved)
            virErrorRestore(&saved);
        return NULL;
    }
    return client;
}


bool
virNetClientIsEncrypted(virNetClient *client)
{
    bool ret;

    g_mutex_lock(&client->lock);
    ret = client->tls != NULL || virNetSocketHasSASLLayer(client->sock);
    g_mutex_unlock(&client->lock);
    return ret;
}


int
virNetClientGetTLSKeySize(virNetClient *client)
{
    int ret = 0;

    g_mutex_lock(&client->lock);
    if (client->tls)
        ret = virNetTLSSessionGetKeySize(client->tls);
    g_mutex_unlock(&client->lock);
    return ret;
}


bool
virNetClientIsLocal(virNetClient *client)
{
    return virNetSocketIsLocal(client->sock);
}


const char *
virNetClientLocalAddrString(virNetClient *client)
{
    return virNetSocketLocalAddrString(client->sock);
}


const char *
virNetClientRemoteAddrString(virNetClient *client)
{
    return virNetSocketRemoteAddrString(client->sock);
}


int
virNetClientSetSASLSession(virNetClient *client, virNetSASLSession *sess)
{
    g_mutex_lock(&client->lock);
    if (client->closed) {
        virNetClientReportClosedLocked(client);
        g_mutex_unlock(&client->lock);
        return -1;
    }
    if (client->sasl || client->ntx > 0 || client->rxend > client->rxstart || client->rx) {
        /* Bytes already read or queued would be on the wrong side of the
         * layer: the exchange must be complete and nothing else in flight. */
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "the SASL layer must start between calls, with nothing in flight");
        g_mutex_unlock(&client->lock);
        return -1;
    }
    client->sasl = virNetSASLSessionRef(sess);
    virNetSocketSetSASLSession(client->sock, sess);
    g_mutex_unlock(&client->lock);
    return 0;
}


virNetClient *
virNetClientRef(virNetClient *client)
{
    if (client)
        g_atomic_int_inc(&client->refs);
    return client;
}


static void
virNetClientFreeCall(virNetClientCall *call)
{
    virNetMessageFree(call->msg);
    g_free(call);
}


static void
virNetClientDispose(virNetClient *client)
{
    virNetClientCall *call;
    virNetMessage *msg;

    VIR_DEBUG("client=%p", client);

    /* Nothing else can reach the client now: no lock needed. */
    virKeepAliveFree(client->ka);
    if (client->closeFf)
        client->closeFf(client->closeOpaque);

    while ((call = client->calls)) {
        client->calls = call->next;
        /* Only heap records can be left: a waiting thread holds a ref. */
        if (!call->haveThread)
            virNetClientFreeCall(call);
    }
    while ((msg = virNetMessageQueueServe(&client->events)))
        virNetMessageFree(msg);
    virNetMessageFree(client->rx);
    virNetMessageFree(client->spare);
    for (size_t i = 0; i < client->nprograms; i++)
        virNetClientProgramUnref(client->programs[i]);
    g_free(client->programs);
    /* Empty: a registered stream holds a reference on the client. */
    g_ptr_array_free(client->streams, TRUE);

    virNetSocketFree(client->sock);
    virNetTLSSessionUnref(client->tls);
    virNetSASLSessionUnref(client->sasl);
    VIR_FORCE_CLOSE(client->wakefd);
    g_free(client->rxbuf);
    g_array_unref(client->abandoned);
    virErrorClear(&client->closeError);
    g_mutex_clear(&client->lock);
    g_free(client);
}


void
virNetClientUnref(virNetClient *client)
{
    if (client && g_atomic_int_dec_and_test(&client->refs))
        virNetClientDispose(client);
}


/* Free callback of the loop's watch and timer. */
static void
virNetClientUnrefOpaque(void *opaque)
{
    virNetClientUnref(opaque);
}


/* ---- small helpers (lock held) ----------------------------------------- */

/* Remember why the connection is going away (the first cause wins): the
 * error every failed and later call reports. text NULL means the calling
 * thread's last error (an I/O error just reported), if there is one. The
 * calling thread's own last error is left as it was. */
static void
virNetClientRecordErrorLocked(virNetClient *client, const char *text)
{
    virError *saved;

    if (client->closeError.code != VIR_ERR_OK)
        return;
    if (!text) {
        virError *err = virGetLastError();

        if (err && err->code != VIR_ERR_OK) {
            virErrorCopy(&client->closeError, err);
            return;
        }
        text = "connection closed";
    }
    saved = virErrorPreserveLast();
    virReportError(VIR_ERR_RPC, "%s", text);
    virErrorCopy(&client->closeError, virGetLastError());
    if (saved)
        virErrorRestore(&saved);
    else
        virResetLastError();
}


/* Make the close error the calling thread's last error. */
static void
virNetClientReportClosedLocked(virNetClient *client)
{
    if (client->closeError.code == VIR_ERR_OK)
        virNetClientRecordErrorLocked(client, "connection closed");
    virErrorSetLast(&client->closeError);
}


static void
virNetClientWakeOwnerLocked(virNetClient *client)
{
    uint64_t one = 1;

    if (!client->haveTheBuck)
        return;
    if (write(client->wakefd, &one, sizeof(one)) < 0 && errno != EAGAIN)
        VIR_WARN("cannot wake the socket owner: %s", g_strerror(errno));
}


static void
virNetClientDrainWakeup(virNetClient *client)
{
    uint64_t val;

    if (read(client->wakefd, &val, sizeof(val)) < 0 && errno != EAGAIN)
        VIR_DEBUG("wakeup read: %s", g_strerror(errno));
}


/* Watch the socket from the loop only while no thread is doing I/O:
 * two readers must never race. */
static void
virNetClientUpdateWatchLocked(virNetClient *client)
{
    int events = 0;

    if (client->watch < 0)
        return;
    if (!client->haveTheBuck && client->nwaiters == 0) {
        /* A stream holding a full window: its reader must catch up first. */
        if (client->nStreamsFull == 0)
            events = VIR_EVENT_HANDLE_READABLE;
        if (client->ntx > 0)
            events |= VIR_EVENT_HANDLE_WRITABLE;
    }
    if (events == client->watchEvents)
        return;
    if (virEventLoopUpdateHandle(client->loop, client->watch, events) == 0)
        client->watchEvents = events;
}


static void
virNetClientQueueCallLocked(virNetClient *client, virNetClientCall *call)
{
    call->next = NULL;
    if (client->callsTail)
        client->callsTail->next = call;
    else
        client->calls = call;
    client->callsTail = call;
    if (call->mode == VIR_NET_CLIENT_MODE_WAIT_TX)
        client->ntx++;
}


static void
virNetClientRemoveCallLocked(virNetClient *client, virNetClientCall *call)
{
    virNetClientCall **pp = &client->calls;
    virNetClientCall *prev = NULL;

    while (*pp && *pp != call) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return;
    *pp = call->next;
    if (client->callsTail == call)
        client->callsTail = prev;
    call->next = NULL;
}


/* A late reply to serial may come: remember to drop it. */
static void
virNetClientRememberAbandonedLocked(virNetClient *client, unsigned int serial)
{
    if (client->abandoned->len == VIR_NET_CLIENT_ABANDONED_MAX)
        g_array_remove_index(client->abandoned, 0);
    g_array_append_val(client->abandoned, serial);
}


/* Was serial given up on? Then it is forgotten: one reply per call. */
static bool
virNetClientForgetAbandonedLocked(virNetClient *client, unsigned int serial)
{
    for (guint i = 0; i < client->abandoned->len; i++) {
        if (g_array_index(client->abandoned, unsigned int, i) == serial) {
            g_array_remove_index(client->abandoned, i);
            return true;
        }
    }
    return false;
}


/* The waiting thread of call gives up (its deadline passed). Nothing of
 * the message went out: the record just leaves the queue. Part of it did:
 * a heap record takes over the rest of the bytes (and fds), so that the
 * stream stays in step, and nobody waits for its reply. Sent: the reply,
 * if it comes, is dropped. */
static void
virNetClientAbandonCallLocked(virNetClient *client, virNetClientCall *call)
{
    virNetMessage *msg = call->msg;
    unsigned int serial = msg->header.serial;
    virNetClientCall *heir, **pp;

    if (call->mode == VIR_NET_CLIENT_MODE_WAIT_TX &&
        (msg->bufferOffset > 0 || msg->donefds > 0)) {
        heir = g_new0(virNetClientCall, 1);
        heir->mode = VIR_NET_CLIENT_MODE_WAIT_TX;
        heir->msg = virNetMessageNew(false);
        *heir->msg = *msg;
        heir->msg->next = NULL;
        memset(msg, 0, sizeof(*msg));
        for (pp = &client->calls; *pp != call; pp = &(*pp)->next)
            ;
        heir->next = call->next;
        *pp = heir;
        if (client->callsTail == call)
            client->callsTail = heir;
        call->next = NULL;
    } else {
        if (call->mode == VIR_NET_CLIENT_MODE_WAIT_TX)
            client->ntx--;
        virNetClientRemoveCallLocked(client, call);
    }
    if (call->expectReply)
        virNetClientRememberAbandonedLocked(client, serial);
    call->mode = VIR_NET_CLIENT_MODE_FAILED;
}


/* Record done: drop it from the queue and tell its thread, or free it. */
static void
virNetClientCompleteCallLocked(virNetClient *client, virNetClientCall *call)
{
    call->mode = VIR_NET_CLIENT_MODE_COMPLETE;
    virNetClientRemoveCallLocked(client, call);
    if (call->haveThread)
        g_cond_signal(&call->cond);
    else
        virNetClientFreeCall(call);
}


static void
virNetClientArmEventTimerLocked(virNetClient *client)
{
    if (client->eventTimer < 0 || client->eventTimerArmed || !client->events)
        return;
    if (virEventLoopUpdateTimeout(client->loop, client->eventTimer, 0) == 0)
        client->eventTimerArmed = true;
}


/* Release the lock; first run the close callback if the client closed
 * since it last ran. This is the only place that runs it. */
static void
virNetClientUnlockAndNotify(virNetClient *client)
{
    virNetClientCloseFunc cb;
    void *opaque;
    int reason;

    if (!client->closeCbPending) {
        g_mutex_unlock(&client->lock);
        return;
    }
    client->closeCbPending = false;
    cb = client->closeCb;
    opaque = client->closeOpaque;
    reason = client->closeReason;
    if (!cb) {
        g_mutex_unlock(&client->lock);
        return;
    }
    virNetClientRef(client);
    g_mutex_unlock(&client->lock);
    VIR_DEBUG("client=%p running close callback, reason %d", client, reason);
    cb(client, reason, opaque);
    virNetClientUnref(client);
}


/* ---- writing ------------------------------------------------------------ */

/* Write queued messages in order until the socket would block. A message's
 * fds follow its bytes. -1 on an I/O error (reported). */
static int
virNetClientFlushLocked(virNetClient *client)
{
    virNetClientCall *call = client->calls;

    while (call && client->ntx > 0) {
        virNetClientCall *next = call->next;
        virNetMessage *msg = call->msg;

        if (call->mode != VIR_NET_CLIENT_MODE_WAIT_TX) {
            call = next;
            continue;
        }
        while (msg->bufferOffset < msg->bufferLength) {
            size_t want = msg->bufferLength - msg->bufferOffset;
            ssize_t n = virNetSocketWrite(client->sock, msg->buffer + msg->bufferOffset, want);

            if (n < 0)
                return -1;
            if (n == 0)
                return 0;   /* the socket is full: wait for POLLOUT */
            /* Less than asked: the socket is full, or (SASL) one packet
             * went out and the next piece follows. */
            msg->bufferOffset += n;
        }
        while (msg->donefds < msg->nfds) {
            int rc = virNetSocketSendFD(client->sock, msg->fds[msg->donefds]);

            if (rc < 0)
                return -1;
            if (rc == 0)
                return 0;
            msg->donefds++;
        }
        client->ntx--;
        /* A stream's finish or abort whose stream ended meanwhile (an
         * error from the server) gets no confirmation any more. */
        if (call->expectReply &&
            !(call->stream && virNetClientStreamIsDoneLocked(call->stream)))
            call->mode = VIR_NET_CLIENT_MODE_WAIT_RX;
        else
            virNetClientCompleteCallLocked(client, call);
        call = next;
    }
    return 0;
}


/* ---- reading ------------------------------------------------------------ */

static virNetClientProgram *
virNetClientFindProgramLocked(virNetClient *client, virNetMessage *msg)
{
    for (size_t i = 0; i < client->nprograms; i++) {
        if (virNetClientProgramMatches(client->programs[i], msg))
            return client->programs[i];
    }
    return NULL;
}


/* Move a received message's contents into the waiting call's message and
 * keep the emptied struct for the next receive. */
static void
virNetClientHandOverReplyLocked(virNetClient *client, virNetClientCall *call,
                                virNetMessage *reply)
{
    virNetMessage *msg = call->msg;
    bool tracked = msg->tracked;

    virNetMessageClear(msg);
    *msg = *reply;
    msg->tracked = tracked;
    msg->next = NULL;

    memset(reply, 0, sizeof(*reply));
    if (!client->spare)
        client->spare = reply;
    else
        g_free(reply);
}


/* The registered stream a message names, or NULL. */
static virNetClientStream *
virNetClientFindStreamLocked(virNetClient *client, const virNetMessageHeader *hdr)
{
    for (guint i = 0; i < client->streams->len; i++) {
        virNetClientStream *st = g_ptr_array_index(client->streams, i);

        if (virNetClientStreamMatches(st, hdr))
            return st;
    }
    return NULL;
}


/* Wake the threads waiting on st: all of them (closing: the stream is
 * over), or only those waiting for data. Records still being written stay
 * queued; the writer completes them (FlushLocked). */
static void
virNetClientWakeStreamLocked(virNetClient *client, virNetClientStream *st, bool closing)
{
    virNetClientCall *call = client->calls;

    while (call) {
        virNetClientCall *next = call->next;

        if (call->stream == st && call->mode == VIR_NET_CLIENT_MODE_WAIT_RX &&
            (closing || !call->streamClose))
            virNetClientCompleteCallLocked(client, call);
        call = next;
    }
}


/* Queue a message without waiting (heap record). */
static void
virNetClientQueueNoReplyLocked(virNetClient *client, virNetMessage *msg)
{
    virNetClientCall *call = g_new0(virNetClientCall, 1);

    call->mode = VIR_NET_CLIENT_MODE_WAIT_TX;
    call->msg = msg;
    virNetClientQueueCallLocked(client, call);
}


/* The server ended a stream with an error (the payload of msg). */
static void
virNetClientStreamErrorLocked(virNetClient *client, virNetClientStream *st,
                              virNetMessage *msg)
{
    virNetMessageError rerr = { 0 };
    virError *saved = virErrorPreserveLast();

    if (virNetMessageDecodePayload(msg, (xdrproc_t)xdr_virNetMessageError, &rerr) == 0)
        virNetMessageErrorToLast(&rerr);
    /* else: "Unable to decode message payload" is the last error */
    virNetClientStreamSetErrorLocked(st, virGetLastError());
    xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&rerr);
    if (saved)
        virErrorRestore(&saved);
    else
        virResetLastError();
    virNetClientWakeStreamLocked(client, st, true);
}


/* A REPLY that no call waits for but that names a stream: libvirt's
 * daemon reports a failed stream write that way. True when handled. */
static bool
virNetClientStreamReplyLocked(virNetClient *client, virNetMessage *msg)
{
    virNetClientStream *st = virNetClientFindStreamLocked(client, &msg->header);

    if (!st || msg->header.status != VIR_NET_ERROR)
        return false;
    virNetClientStreamErrorLocked(client, st, msg);
    virNetMessageFree(msg);
    return true;
}


/* A STREAM or STREAM_HOLE message. Takes msg. */
static int
virNetClientHandleStreamLocked(virNetClient *client, virNetMessage *msg)
{
    virNetClientStream *st = virNetClientFindStreamLocked(client, &msg->header);
    virNetMessage *abort;

    if (!st) {
        /* Data still in flight after a stream ended. */
        VIR_DEBUG("dropping stream message serial=%u proc=%d status=%d: no such stream",
                  msg->header.serial, msg->header.proc, msg->header.status);
        virNetMessageFree(msg);
        return 0;
    }
    if (msg->header.type == VIR_NET_STREAM_HOLE && msg->header.status != VIR_NET_CONTINUE) {
        virReportError(VIR_ERR_RPC, "stream hole with status %d", msg->header.status);
        virNetMessageFree(msg);
        return -1;
    }
    switch ((virNetMessageStatus)msg->header.status) {
    case VIR_NET_CONTINUE:
        switch (virNetClientStreamQueuePacketLocked(st, msg)) {
        case VIR_NET_CLIENT_STREAM_FULL:
            client->nStreamsFull++;
            virNetClientUpdateWatchLocked(client);
            break;
        case VIR_NET_CLIENT_STREAM_OVERFLOW:
            /* Aborted here: tell the server; its confirmation finds the
             * stream over and changes nothing. */
            if ((abort = virNetClientStreamAbortMessage(st)))
                virNetClientQueueNoReplyLocked(client, abort);
            virNetClientWakeStreamLocked(client, st, true);
            return 0;
        case VIR_NET_CLIENT_STREAM_QUEUED:
            break;
        }
        virNetClientWakeStreamLocked(client, st, false);
        return 0;

    case VIR_NET_OK:
        virNetClientStreamSetClosedLocked(st);
        virNetMessageFree(msg);
        virNetClientWakeStreamLocked(client, st, true);
        return 0;

    case VIR_NET_ERROR:
        virNetClientStreamErrorLocked(client, st, msg);
        virNetMessageFree(msg);
        return 0;
    }
    virReportError(VIR_ERR_RPC, "stream message with unknown status %d", msg->header.status);
    virNetMessageFree(msg);
    return -1;
}


/* A complete message (header decoded, fds received). Takes msg.
 * -1 on a protocol error (reported). */
static int
virNetClientHandleMessageLocked(virNetClient *client, virNetMessage *msg)
{
    virNetMessage *response = NULL;
    virNetClientCall *call;

    /* Every message is a sign of life; keepalive ones stop here. */
    if (virKeepAliveCheckMessage(client->ka, msg, &response)) {
        virNetMessageFree(msg);
        if (response)
            virNetClientQueueNoReplyLocked(client, response);
        return 0;
    }

    switch ((virNetMessageType)msg->header.type) {
    case VIR_NET_REPLY:
    case VIR_NET_REPLY_WITH_FDS:
        for (call = client->calls; call; call = call->next) {
            if (call->mode == VIR_NET_CLIENT_MODE_WAIT_RX && !call->stream &&
                call->msg->header.serial == msg->header.serial &&
                call->msg->header.prog == msg->header.prog &&
                call->msg->header.vers == msg->header.vers)
                break;
        }
        if (!call && virNetClientStreamReplyLocked(client, msg))
            return 0;
        if (!call) {
            if (virNetClientForgetAbandonedLocked(client, msg->header.serial)) {
                VIR_DEBUG("client=%p: late reply to abandoned call %u dropped",
                          client, msg->header.serial);
                virNetMessageFree(msg);
                return 0;
            }
            virReportError(VIR_ERR_RPC,
                           "no call waiting for reply with prog %#x vers %u serial %u",
                           msg->header.prog, msg->header.vers, msg->header.serial);
            virNetMessageFree(msg);
            return -1;
        }
        virNetClientHandOverReplyLocked(client, call, msg);
        virNetClientCompleteCallLocked(client, call);
        return 0;

    case VIR_NET_MESSAGE:
        if (client->strict) {
            virNetClientProgram *prog = virNetClientFindProgramLocked(client, msg);

            if (!prog || !virNetClientProgramHasEvent(prog, msg->header.proc) ||
                client->nevents >= VIR_NET_CLIENT_STRICT_EVENTS_MAX) {
                virReportError(VIR_ERR_RPC, "%s event prog=%#x proc=%d from the peer",
                               prog && virNetClientProgramHasEvent(prog, msg->header.proc) ?
                               "one queued event too many:" : "unexpected",
                               msg->header.prog, msg->header.proc);
                virNetMessageFree(msg);
                return -1;
            }
        }
        if (!virNetClientFindProgramLocked(client, msg)) {
            VIR_DEBUG("dropping event prog=%#x vers=%u proc=%d: no such program",
                      msg->header.prog, msg->header.vers, msg->header.proc);
            virNetMessageFree(msg);
            return 0;
        }
        virNetMessageQueuePush(&client->events, msg);
        client->nevents++;
        virNetClientArmEventTimerLocked(client);
        return 0;

    case VIR_NET_STREAM:
    case VIR_NET_STREAM_HOLE:
        return virNetClientHandleStreamLocked(client, msg);

    case VIR_NET_CALL:
    case VIR_NET_CALL_WITH_FDS:
    default:
        VIR_DEBUG("dropping message prog=%#x proc=%d of type %d",
                  msg->header.prog, msg->header.proc, msg->header.type);
        virNetMessageFree(msg);
        return 0;
    }
}


/* client->rx holds all its bytes. */
static int
virNetClientRxCompleteLocked(virNetClient *client)
{
    virNetMessage *msg = client->rx;

    if (virNetMessageDecodeHeader(msg) < 0)
        return -1;
    if (msg->header.type == VIR_NET_REPLY_WITH_FDS) {
        if (!virNetSocketHasPassFD(client->sock)) {
            virReportError(VIR_ERR_RPC, "%s",
                           "server sent file descriptors on a socket that cannot carry them");
            return -1;
        }
        if (virNetMessageDecodeNumFDs(msg) < 0)
            return -1;
        if (msg->nfds > 0) {
            client->rxfds = msg->nfds;
            return 0;
        }
    }
    client->rx = NULL;
    return virNetClientHandleMessageLocked(client, msg);
}


static int
virNetClientStartRxLocked(virNetClient *client, const char *lenword)
{
    const unsigned char *u = (const unsigned char *)lenword;
    size_t len = ((size_t)u[0] << 24) | ((size_t)u[1] << 16) | ((size_t)u[2] << 8) | u[3];
    virNetMessage *msg;

    /* The connection's own limit, before anything is sized from it. */
    if (client->msgMax && len > client->msgMax) {
        virReportError(VIR_ERR_RPC, "message of %zu bytes exceeds this connection's limit of %zu",
                       len, client->msgMax);
        return -1;
    }
    msg = client->spare ? client->spare : virNetMessageNew(false);

    client->spare = NULL;
    msg->buffer = g_malloc(VIR_NET_MESSAGE_LEN_MAX);
    memcpy(msg->buffer, lenword, VIR_NET_MESSAGE_LEN_MAX);
    msg->bufferLength = VIR_NET_MESSAGE_LEN_MAX;
    /* Refuses a bad length before sizing the buffer from it. */
    if (virNetMessageDecodeLength(msg) < 0) {
        virNetMessageFree(msg);
        return -1;
    }
    client->rx = msg;
    client->rxfill = VIR_NET_MESSAGE_LEN_MAX;
    return 0;
}


/* Carve messages (and fd carrier bytes) out of the receive buffer. */
static int
virNetClientParseLocked(virNetClient *client)
{
    while (client->rxstart < client->rxend) {
        size_t avail = client->rxend - client->rxstart;
        virNetMessage *rx = client->rx;

        if (client->rxfds > 0) {
            int fd = virNetSocketTakeFD(client->sock);

            if (fd < 0)
                return -1;
            rx->fds[rx->donefds++] = fd;
            client->rxstart++;
            if (--client->rxfds == 0) {
                client->rx = NULL;
                if (virNetClientHandleMessageLocked(client, rx) < 0)
                    return -1;
            }
        } else if (!rx) {
            if (avail < VIR_NET_MESSAGE_LEN_MAX)
                break;
            if (virNetClientStartRxLocked(client, client->rxbuf + client->rxstart) < 0)
                return -1;
            client->rxstart += VIR_NET_MESSAGE_LEN_MAX;
        } else {
            size_t want = rx->bufferLength - client->rxfill;
            size_t take = avail < want ? avail : want;

            memcpy(rx->buffer + client->rxfill, client->rxbuf + client->rxstart, take);
            client->rxfill += take;
            client->rxstart += take;
            if (client->rxfill == rx->bufferLength &&
                virNetClientRxCompleteLocked(client) < 0)
                return -1;
        }
    }

    /* At most a partial length word is left: move it to the front. */
    if (client->rxstart > 0) {
        size_t left = client->rxend - client->rxstart;

        if (left)
            memmove(client->rxbuf, client->rxbuf + client->rxstart, left);
        client->rxstart = 0;
        client->rxend = left;
    }
    return 0;
}


/* One read from the socket, then parse. 0 ok (also when nothing was
 * there), -1 on EOF (*eof set) or error (reported). */
static int
virNetClientReadLocked(virNetClient *client, bool *eof)
{
    virNetMessage *rx = client->rx;
    ssize_t n;

    *eof = false;

    /* The rest of a large message goes straight into its buffer. */
    if (rx && client->rxfds == 0 && client->rxend == 0 &&
        rx->bufferLength - client->rxfill >= VIR_NET_CLIENT_RXBUF_SIZE) {
        n = virNetSocketRead(client->sock, rx->buffer + client->rxfill,
                             rx->bufferLength - client->rxfill, eof);
        if (n <= 0)
            return n;
        client->rxfill += n;
        if (client->rxfill == rx->bufferLength)
            return virNetClientRxCompleteLocked(client);
        return 0;
    }

    n = virNetSocketRead(client->sock, client->rxbuf + client->rxend,
                         VIR_NET_CLIENT_RXBUF_SIZE - client->rxend, eof);
    if (n <= 0)
        return n;
    client->rxend += n;
    return virNetClientParseLocked(client);
}


/* Read failed: close, remembering why. */
static void
virNetClientReadFailedLocked(virNetClient *client, bool eof)
{
    if (eof) {
        VIR_DEBUG("client=%p: end of file from the server", client);
        virNetClientRecordErrorLocked(client, "connection closed");
        virNetClientCloseLocked(client, VIR_NET_CLIENT_CLOSE_EOF);
    } else {
        VIR_DEBUG("client=%p: %s", client, virGetLastErrorMessage());
        virNetClientRecordErrorLocked(client, NULL);
        virNetClientCloseLocked(client, VIR_NET_CLIENT_CLOSE_ERROR);
    }
}


static void
virNetClientWriteFailedLocked(virNetClient *client)
{
    VIR_DEBUG("client=%p: %s", client, virGetLastErrorMessage());
    virNetClientRecordErrorLocked(client, NULL);
    virNetClientCloseLocked(client, VIR_NET_CLIENT_CLOSE_ERROR);
}


/* ---- closing ------------------------------------------------------------ */

static void
virNetClientCloseLocked(virNetClient *client, int reason)
{
    virNetClientCall *call;
    virNetMessage *msg;

    if (client->closed)
        return;
    VIR_DEBUG("client=%p reason=%d", client, reason);

    client->closed = true;
    client->closeReason = reason;
    if (client->closeError.code == VIR_ERR_OK)
        virNetClientRecordErrorLocked(client, "connection closed");

    /* Shut down, but keep the fd: the owner may be polling it right now. */
    virNetSocketClose(client->sock);

    call = client->calls;
    client->calls = client->callsTail = NULL;
    client->ntx = 0;
    while (call) {
        virNetClientCall *next = call->next;

        call->next = NULL;
        if (call->haveThread) {
            call->mode = VIR_NET_CLIENT_MODE_FAILED;
            g_cond_signal(&call->cond);
        } else {
            virNetClientFreeCall(call);
        }
        call = next;
    }

    g_clear_pointer(&client->rx, virNetMessageFree);
    client->rxfds = 0;
    client->rxstart = client->rxend = 0;

    /* Open streams end with the connection's error. */
    for (guint i = 0; i < client->streams->len; i++) {
        virNetClientStream *st = g_ptr_array_index(client->streams, i);

        virNetClientStreamSetErrorLocked(st, &client->closeError);
        (void)virNetClientStreamForgetFullLocked(st);
    }
    client->nStreamsFull = 0;

    if (client->ka)
        virKeepAliveStop(client->ka);

    if (client->watch >= 0) {
        virEventLoopRemoveHandle(client->loop, client->watch);
        client->watch = -1;
    }
    /* Events that came before the end are still delivered, unless we
     * closed ourselves: then nobody wants them any more. */
    if (reason == VIR_NET_CLIENT_CLOSE_CLIENT) {
        while ((msg = virNetMessageQueueServe(&client->events)))
            virNetMessageFree(msg);
        client->nevents = 0;
    }
    if (client->eventTimer >= 0 && !client->events) {
        virEventLoopRemoveTimeout(client->loop, client->eventTimer);
        client->eventTimer = -1;
    }

    virNetClientWakeOwnerLocked(client);
    client->closeCbPending = true;
}


static void
virNetClientCloseInternal(virNetClient *client, int reason, const char *text)
{
    g_mutex_lock(&client->lock);
    if (!client->closed) {
        virNetClientRecordErrorLocked(client, text);
        virNetClientCloseLocked(client, reason);
    }
    virNetClientUnlockAndNotify(client);
}


void
virNetClientClose(virNetClient *client)
{
    if (!client)
        return;
    virNetClientCloseInternal(client, VIR_NET_CLIENT_CLOSE_CLIENT, "connection closed");
}


bool
virNetClientIsOpen(virNetClient *client)
{
    bool open;

    g_mutex_lock(&client->lock);
    open = !client->closed;
    g_mutex_unlock(&client->lock);
    return open;
}


void
virNetClientSetCloseCallback(virNetClient *client, virNetClientCloseFunc cb,
                             void *opaque, virFreeCallback ff)
{
    virFreeCallback oldFf;
    void *oldOpaque;

    g_mutex_lock(&client->lock);
    oldFf = client->closeFf;
    oldOpaque = client->closeOpaque;
    client->closeCb = cb;
    client->closeOpaque = opaque;
    client->closeFf = ff;
    g_mutex_unlock(&client->lock);

    if (oldFf)
        oldFf(oldOpaque);
}


/* ---- the I/O loop of the socket owner ----------------------------------- */

/* Run by the thread that owns the socket until its own record is complete
 * or failed, or deadline (monotonic us, -1: none) passed: then -2.
 * Lock held on entry and exit, released only inside poll(). */
static int
virNetClientIOEventLoopLocked(virNetClient *client, virNetClientCall *thiscall,
                              gint64 deadline)
{
    int sockfd = virNetSocketGetFD(client->sock);

    for (;;) {
        struct pollfd fds[2];
        int timeout = -1;
        bool eof;
        int r;

        if (thiscall->mode == VIR_NET_CLIENT_MODE_COMPLETE)
            return 0;
        if (thiscall->mode == VIR_NET_CLIENT_MODE_FAILED || client->closed)
            return -1;

        /* Write what we can without waiting (the fast path: our own
         * call goes out here, before the first poll). */
        if (client->ntx > 0 && virNetClientFlushLocked(client) < 0) {
            virNetClientWriteFailedLocked(client);
            continue;
        }
        if (thiscall->mode == VIR_NET_CLIENT_MODE_COMPLETE)
            return 0;

        fds[0].fd = sockfd;
        fds[0].events = POLLIN;
        fds[0].revents = 0;
        if (client->ntx > 0)
            fds[0].events |= POLLOUT;
        fds[1].fd = client->wakefd;
        fds[1].events = POLLIN;
        fds[1].revents = 0;
        client->ownerPollOut = client->ntx > 0;

        if (deadline >= 0) {
            gint64 left = deadline - g_get_monotonic_time();

            if (left <= 0)
                return -2;
            timeout = (int)MIN((left + 999) / 1000, G_MAXINT);
        }

        if (virNetSocketHasCachedData(client->sock)) {
            fds[0].revents = POLLIN;
            r = 1;
        } else {
            g_mutex_unlock(&client->lock);
            r = poll(fds, 2, timeout);
            g_mutex_lock(&client->lock);
        }
        client->ownerPollOut = false;

        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            virReportSystemError(errno, "%s", "poll on the client socket failed");
            virNetClientWriteFailedLocked(client);
            continue;
        }
        if (fds[1].revents)
            virNetClientDrainWakeup(client);
        if (client->closed)
            continue;

        if (fds[0].revents & POLLOUT) {
            if (virNetClientFlushLocked(client) < 0) {
                virNetClientWriteFailedLocked(client);
                continue;
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
            if (virNetClientReadLocked(client, &eof) < 0) {
                virNetClientReadFailedLocked(client, eof);
                continue;
            }
        }
    }
}


/* The owner is done: wake one thread that still waits for its call, so
 * that it takes over the socket. */
static void
virNetClientPassTheBuckLocked(virNetClient *client)
{
    client->haveTheBuck = false;
    for (virNetClientCall *call = client->calls; call; call = call->next) {
        if (call->haveThread &&
            (call->mode == VIR_NET_CLIENT_MODE_WAIT_TX ||
             call->mode == VIR_NET_CLIENT_MODE_WAIT_RX)) {
            g_cond_signal(&call->cond);
            return;
        }
    }
}


/* Queue the caller's record (on its stack) and wait until it completes:
 * its message sent (and, with expectReply, the reply in its place, or for
 * a stream record the stream's answer). A record without a message waits
 * for its stream only, and returns at once when the stream already has
 * something. 0, or -1 when the connection closed first. */
static int
virNetClientRunCall(virNetClient *client, virNetClientCall *call)
{
    unsigned int serial = call->msg ? call->msg->header.serial : 0;
    gint64 deadline = -1;
    int timeout;
    int rv = -1;

    call->haveThread = true;
    g_mutex_lock(&client->lock);
    if (client->closed) {
        virNetClientReportClosedLocked(client);
        g_mutex_unlock(&client->lock);
        return -1;
    }
    if (!call->msg && call->stream && virNetClientStreamHasEventLocked(call->stream)) {
        g_mutex_unlock(&client->lock);
        return 0;
    }
    /* a reply timeout bounds calls, not stream traffic */
    timeout = call->expectReply && !call->stream ? client->replyTimeout : -1;
    if (timeout >= 0)
        deadline = g_get_monotonic_time() + (gint64)timeout * 1000;

    g_cond_init(&call->cond);
    virNetClientQueueCallLocked(client, call);
    client->nwaiters++;

    if (client->haveTheBuck) {
        /* Another thread polls the socket. Write our message from here if
         * it goes out at once; otherwise the owner must poll for POLLOUT. */
        if (virNetClientFlushLocked(client) < 0)
            virNetClientWriteFailedLocked(client);
        else if (client->ntx > 0 && !client->ownerPollOut)
            virNetClientWakeOwnerLocked(client);

        for (;;) {
            if (call->mode == VIR_NET_CLIENT_MODE_COMPLETE) {
                rv = 0;
                goto done;
            }
            if (call->mode == VIR_NET_CLIENT_MODE_FAILED)
                goto done;
            if (!client->haveTheBuck)
                break;
            if (deadline < 0) {
                g_cond_wait(&call->cond, &client->lock);
            } else if (!g_cond_wait_until(&call->cond, &client->lock, deadline) &&
                       call->mode != VIR_NET_CLIENT_MODE_COMPLETE &&
                       call->mode != VIR_NET_CLIENT_MODE_FAILED) {
                virNetClientAbandonCallLocked(client, call);
                rv = -2;
                goto done;
            }
        }
    }

    client->haveTheBuck = true;
    virNetClientUpdateWatchLocked(client);
    rv = virNetClientIOEventLoopLocked(client, call, deadline);
    /* out of the queue before another thread takes the socket */
    if (rv == -2)
        virNetClientAbandonCallLocked(client, call);
    virNetClientPassTheBuckLocked(client);

 done:
    if (rv == -2) {
        VIR_DEBUG("client=%p: no reply to serial %u within %d ms",
                  client, serial, timeout);
        virReportError(VIR_ERR_OPERATION_TIMEOUT, "no reply within %d ms", timeout);
        rv = -1;
    } else if (call->mode == VIR_NET_CLIENT_MODE_FAILED) {
        virNetClientReportClosedLocked(client);
        rv = -1;
    }
    client->nwaiters--;
    virNetClientUpdateWatchLocked(client);
    g_cond_clear(&call->cond);
    virNetClientUnlockAndNotify(client);
    return rv;
}


void
virNetClientSetReplyTimeout(virNetClient *client, int ms)
{
    g_mutex_lock(&client->lock);
    client->replyTimeout = ms < 0 ? -1 : ms;
    g_mutex_unlock(&client->lock);
}


/* Queue msg and wait until it is sent (and, with expectReply, until the
 * reply replaced it). 0, or -1 when the connection closed first. */
static int
virNetClientSendAndWait(virNetClient *client, virNetMessage *msg, bool expectReply)
{
    virNetClientCall call = {
        .mode = VIR_NET_CLIENT_MODE_WAIT_TX,
        .msg = msg,
        .expectReply = expectReply,
    };

    return virNetClientRunCall(client, &call);
}


int
virNetClientSendStream(virNetClient *client, virNetClientStream *st, virNetMessage *msg,
                       virNetClientStreamSendMode mode)
{
    virNetClientCall call = {
        .mode = VIR_NET_CLIENT_MODE_WAIT_TX,
        .msg = msg,
    };
    int rv;

    switch (mode) {
    case VIR_NET_CLIENT_STREAM_SEND_NONBLOCK:
        return virNetClientSendNoReply(client, msg, true);
    case VIR_NET_CLIENT_STREAM_SEND_BLOCK:
        break;
    case VIR_NET_CLIENT_STREAM_SEND_CLOSE:
        call.expectReply = true;
        call.stream = st;
        call.streamClose = true;
        break;
    }
    rv = virNetClientRunCall(client, &call);
    virNetMessageFree(msg);
    return rv;
}


int
virNetClientWaitStream(virNetClient *client, virNetClientStream *st)
{
    virNetClientCall call = {
        .mode = VIR_NET_CLIENT_MODE_WAIT_RX,
        .stream = st,
    };

    return virNetClientRunCall(client, &call);
}


int
virNetClientAddStream(virNetClient *client, virNetClientStream *st)
{
    int rv = 0;

    g_mutex_lock(&client->lock);
    if (client->closed) {
        virNetClientReportClosedLocked(client);
        rv = -1;
    } else {
        g_ptr_array_add(client->streams, virNetClientStreamRef(st));
    }
    g_mutex_unlock(&client->lock);
    return rv;
}


void
virNetClientRemoveStream(virNetClient *client, virNetClientStream *st)
{
    g_mutex_lock(&client->lock);
    if (g_ptr_array_find(client->streams, st, NULL)) {
        /* Unread data goes with it: reading may resume. */
        if (virNetClientStreamForgetFullLocked(st) && !client->closed &&
            client->nStreamsFull > 0)
            client->nStreamsFull--;
        g_ptr_array_remove(client->streams, st);
        virNetClientUpdateWatchLocked(client);
    }
    g_mutex_unlock(&client->lock);
}


void
virNetClientSetMessageMax(virNetClient *client, size_t bytes)
{
    g_mutex_lock(&client->lock);
    client->msgMax = bytes;
    g_mutex_unlock(&client->lock);
}


void
virNetClientStreamDrained(virNetClient *client)
{
    g_mutex_lock(&client->lock);
    if (client->nStreamsFull > 0)
        client->nStreamsFull--;
    virNetClientUpdateWatchLocked(client);
    g_mutex_unlock(&client->lock);
}


void
virNetClientSetStrict(virNetClient *client, bool strict)
{
    g_mutex_lock(&client->lock);
    client->strict = strict;
    g_mutex_unlock(&client->lock);
}


virEventLoop *
virNetClientGetLoop(virNetClient *client)
{
    virEventLoop *loop;

    g_mutex_lock(&client->lock);
    loop = client->loop;
    g_mutex_unlock(&client->lock);
    return loop;
}


int
virNetClientSendWithReply(virNetClient *client, virNetMessage *msg)
{
    return virNetClientSendAndWait(client, msg, true);
}


int
virNetClientSendNoReply(virNetClient *client, virNetMessage *msg, bool nonblock)
{
    virNetClientCall *call;
    int rv = 0;

    if (!nonblock) {
        rv = virNetClientSendAndWait(client, msg, false);
        virNetMessageFree(msg);
        return rv;
    }

    g_mutex_lock(&client->lock);
    if (client->closed) {
        virNetClientReportClosedLocked(client);
        g_mutex_unlock(&client->lock);
        virNetMessageFree(msg);
        return -1;
    }
    call = g_new0(virNetClientCall, 1);
    call->mode = VIR_NET_CLIENT_MODE_WAIT_TX;
    call->msg = msg;
    virNetClientQueueCallLocked(client, call);

    if (virNetClientFlushLocked(client) < 0) {
        virNetClientWriteFailedLocked(client);
        virNetClientReportClosedLocked(client);
        rv = -1;
    } else if (client->ntx > 0) {
        /* The rest goes when the socket takes it: the owner polls for it,
         * or the loop's watch does. */
        if (client->haveTheBuck && !client->ownerPollOut)
            virNetClientWakeOwnerLocked(client);
        virNetClientUpdateWatchLocked(client);
    }
    virNetClientUnlockAndNotify(client);
    return rv;
}


unsigned int
virNetClientNewSerial(virNetClient *client)
{
    return (unsigned int)g_atomic_int_add(&client->serial, 1) + 1;
}


int
virNetClientAddProgram(virNetClient *client, virNetClientProgram *prog)
{
    g_mutex_lock(&client->lock);
    client->programs = g_renew(virNetClientProgram *, client->programs,
                               client->nprograms + 1);
    client->programs[client->nprograms++] = virNetClientProgramRef(prog);
    g_mutex_unlock(&client->lock);
    return 0;
}


size_t
virNetClientPendingEvents(virNetClient *client)
{
    size_t n;

    g_mutex_lock(&client->lock);
    n = client->nevents;
    g_mutex_unlock(&client->lock);
    return n;
}


/* ---- the event loop side ------------------------------------------------ */

/* The socket between calls: events, pings, EOF; and the tail of queued
 * messages when no thread owns the socket. */
static void
virNetClientWatchCallback(int watch, int fd G_GNUC_UNUSED, int events, void *opaque)
{
    virNetClient *client = opaque;
    virError *saved;
    bool eof;

    g_mutex_lock(&client->lock);
    if (client->closed || watch != client->watch) {
        g_mutex_unlock(&client->lock);
        return;
    }
    if (client->haveTheBuck || client->nwaiters > 0) {
        /* A thread does the I/O now (we were already reported ready). */
        virNetClientUpdateWatchLocked(client);
        g_mutex_unlock(&client->lock);
        return;
    }

    /* Errors here belong to the connection, not to the loop thread. */
    saved = virErrorPreserveLast();

    if ((events & VIR_EVENT_HANDLE_WRITABLE) && client->ntx > 0 &&
        virNetClientFlushLocked(client) < 0)
        virNetClientWriteFailedLocked(client);

    if (!client->closed &&
        (events & (VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_HANGUP |
                   VIR_EVENT_HANDLE_ERROR))) {
        /* Then whatever the TLS layer still holds decrypted: epoll would
         * not report it. */
        do {
            if (virNetClientReadLocked(client, &eof) < 0) {
                virNetClientReadFailedLocked(client, eof);
                break;
            }
        } while (!client->closed && virNetSocketHasCachedData(client->sock));
    }

    /* A PONG queued by what we just read goes out now if it can. */
    if (!client->closed && client->ntx > 0 &&
        virNetClientFlushLocked(client) < 0)
        virNetClientWriteFailedLocked(client);

    if (saved)
        virErrorRestore(&saved);
    else
        virResetLastError();

    virNetClientUpdateWatchLocked(client);
    virNetClientUnlockAndNotify(client);
}


/* Dispatch queued event messages, one at a time, without the lock. */
static void
virNetClientEventTimerCallback(int timer, void *opaque)
{
    virNetClient *client = opaque;

    g_mutex_lock(&client->lock);
    if (timer != client->eventTimer) {
        g_mutex_unlock(&client->lock);
        return;
    }
    for (;;) {
        virNetMessage *msg = virNetMessageQueueServe(&client->events);
        virNetClientProgram *prog;

        if (!msg)
            break;
        client->nevents--;
        prog = virNetClientProgramRef(virNetClientFindProgramLocked(client, msg));
        g_mutex_unlock(&client->lock);

        if (prog) {
            virNetClientProgramDispatch(prog, client, msg);
            virNetClientProgramUnref(prog);
        }
        virNetMessageFree(msg);

        g_mutex_lock(&client->lock);
        if (timer != client->eventTimer)
            break;  /* closed by us meanwhile: the rest was dropped */
    }
    if (timer == client->eventTimer) {
        if (client->closed) {
            virEventLoopRemoveTimeout(client->loop, client->eventTimer);
            client->eventTimer = -1;
        } else {
            virEventLoopUpdateTimeout(client->loop, client->eventTimer, -1);
        }
        client->eventTimerArmed = false;
    }
    g_mutex_unlock(&client->lock);
}


int
virNetClientAttachLoop(virNetClient *client, virEventLoop *loop)
{
    int rv = -1;

    g_mutex_lock(&client->lock);
    if (client->loop) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "an event loop is already attached to this client");
        goto cleanup;
    }
    if (client->closed) {
        virNetClientReportClosedLocked(client);
        goto cleanup;
    }
    client->loop = loop;

    client->watchEvents = 0;
    if (!client->haveTheBuck && client->nwaiters == 0) {
        client->watchEvents = VIR_EVENT_HANDLE_READABLE;
        if (client->ntx > 0)
            client->watchEvents |= VIR_EVENT_HANDLE_WRITABLE;
    }
    virNetClientRef(client);
    client->watch = virEventLoopAddHandle(loop, virNetSocketGetFD(client->sock),
                                          client->watchEvents,
                                          virNetClientWatchCallback, client,
                                          virNetClientUnrefOpaque);
    if (client->watch < 0) {
        virNetClientUnref(client);  /* not the last reference: the caller holds one */
        client->loop = NULL;
        goto cleanup;
    }

    virNetClientRef(client);
    client->eventTimer = virEventLoopAddTimeout(loop, client->events ? 0 : -1,
                                                virNetClientEventTimerCallback,
                                                client, virNetClientUnrefOpaque);
    if (client->eventTimer < 0) {
        virNetClientUnref(client);
        virEventLoopRemoveHandle(loop, client->watch);
        client->watch = -1;
        client->loop = NULL;
        goto cleanup;
    }
    client->eventTimerArmed = client->events != NULL;
    rv = 0;

 cleanup:
    g_mutex_unlock(&client->lock);
    return rv;
}


/* ---- keepalive ---------------------------------------------------------- */

static int
virNetClientKeepAliveSendMessage(void *owner, virNetMessage *msg)
{
    return virNetClientSendNoReply(owner, msg, true);
}


static void
virNetClientKeepAliveDeadCallback(void *owner)
{
    virNetClientCloseInternal(owner, VIR_NET_CLIENT_CLOSE_KEEPALIVE,
                              "connection closed due to keepalive timeout");
}


static void
virNetClientKeepAliveRef(void *owner)
{
    virNetClientRef(owner);
}


static void
virNetClientKeepAliveUnref(void *owner)
{
    virNetClientUnref(owner);
}


int
virNetClientKeepAliveStart(virNetClient *client, int interval, unsigned int count)
{
    int rv = -1;

    g_mutex_lock(&client->lock);
    if (!client->loop) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "keepalive needs an event loop attached to the client");
        goto cleanup;
    }
    if (client->closed) {
        virNetClientReportClosedLocked(client);
        goto cleanup;
    }
    if (!client->ka)
        client->ka = virKeepAliveNew(client->loop, client,
                                     virNetClientKeepAliveSendMessage,
                                     virNetClientKeepAliveDeadCallback,
                                     virNetClientKeepAliveRef,
                                     virNetClientKeepAliveUnref);
    rv = virKeepAliveStart(client->ka, interval, count);

 cleanup:
    g_mutex_unlock(&client->lock);
    return rv;
}


void
virNetClientKeepAliveStop(virNetClient *client)
{
    g_mutex_lock(&client->lock);
    if (client->ka)
        virKeepAliveStop(client->ka);
    g_mutex_unlock(&client->lock);
}
