/*
 * virnetserverclient.c: one client connection on the server.
 *
 * Reading: the loop thread reads up to 64 KiB at a time into a per-thread
 * scratch buffer and carves messages out of it, so an idle client holds no
 * buffer at all. A partial message lives in client->rx (sized from its
 * checked length word). Complete messages go to the receive queue and are
 * dispatched in order while request slots are free; once all slots are
 * taken (max_client_requests) the socket is not read any more. A slot is
 * released when its reply has been completely written, so a client that
 * never reads its replies cannot make the server queue without bound.
 *
 * Writing: replies may be queued from any thread. When the transmit queue
 * was empty the queuing thread writes at once (no wake-up of the loop);
 * whatever does not fit in the socket waits for WRITABLE on the loop.
 * Consecutive queued messages go out in one writev.
 *
 * Locking: client->lock guards everything below it in the struct. It is
 * never held while calling the dispatch callback, the close hook or the
 * private data free function. Closing from another thread waits for a
 * dispatch batch in progress on the loop thread (hookDone), as replacing
 * the close hook waits for a running hook: after either, the server they
 * call into may be freed. Lock order: client -> keepalive.
 *
 * References: the creator's (the server's) reference; one for the loop
 * watch (dropped by the watch's free callback); one per job in flight.
 *
 * TLS: a client of a TLS service starts in handshake state. The loop
 * drives gnutls' handshake, watching the fd for whichever direction gnutls
 * waits on; nothing is read or written meanwhile (messages queued by then,
 * e.g. a broadcast event, wait). When the handshake completes the peer's
 * certificate is checked; a refused client is closed at once, without a
 * byte, as libvirt's daemon does, and its client sees the connection end.
 * An accepted one gets the confirmation byte 1, ahead of anything
 * queued, and only then are RPC messages read. Decrypted bytes may wait
 * inside gnutls where epoll cannot see them: the read path loops while
 * the socket reports cached data, and when reading had to stop (request
 * limit) the kick timer resumes it once a slot frees up.
 *
 * Streams: a stream registers itself (virNetServerClientAddStream) and the
 * read path routes the client's STREAM / STREAM_HOLE messages straight to
 * it, by serial, without a request slot. A stream that holds a window of
 * unconsumed data is "full"; while any is, the socket is not read
 * (nStreamsFull, maintained from what the stream reports). Closing the
 * client tells every registered stream (CLOSED to its owner).
 *
 * SASL: the remote program hands over the session of a completed exchange
 * (virNetServerClientSetSASLSession) before its final reply is queued.
 * That reply still travels in clear; the session goes under the socket
 * once a message has been completely written (libvirt's timing), so the
 * writer stops gathering messages into one writev while a session is
 * pending. From then on reads are decoded and writes encoded by the
 * socket; decoded bytes it keeps count as cached data, like TLS's.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

#include "virnetserverclient.h"
#include "virnetserverstream.h"
#include "virnettlssession.h"
#include "virnetsaslcontext.h"
#include "virkeepalive.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netserverclient");

#define VIR_NET_SERVER_CLIENT_SCRATCH 65536
/* Most messages sent in one writev. */
#define VIR_NET_SERVER_CLIENT_IOV_MAX 64
/* Unsent data beyond this (events the peer does not read) closes it. */
#define VIR_NET_SERVER_CLIENT_TX_MAX (64ULL * 1024 * 1024)
/* Queues longer than this are freed by a thread of their own when the
 * client closes: freeing 64 MiB of small events takes tens of ms, which
 * the loop thread must not spend. */
#define VIR_NET_SERVER_CLIENT_FREE_INLINE_MAX 1024

struct _virNetServerClient {
    gint refs;
    unsigned long long id;
    int auth;
    bool readonly;
    size_t nrequests_max;

    GMutex lock;
    virNetSocket *sock;
    virEventLoop *loop;
    int watch;
    int watchEvents;            /* mask currently registered */
    int kickTimer;              /* on-demand zero-second timer, or -1 */
    int handshakeTimeout;       /* seconds; 0: none */
    size_t preauthMessageMax;   /* until authenticated; 0: no extra limit */
    size_t preauthBufferMax;
    int handshakeTimer;         /* closes a handshake that takes too long, or -1 */
    bool authenticated;
    bool closed;
    bool delayedClose;          /* close once tx is empty */
    bool wantClose;             /* close from the loop at next chance */
    bool quiesce;               /* stop reading new calls */
    bool dispatching;           /* the loop thread is dispatching a batch */
    GThread *dispatchThread;    /* that thread, while dispatching */
    virNetTLSSession *tls;      /* NULL on a plain connection */
    bool tlsHandshaking;        /* handshake or certificate check pending */
    virNetSASLSession *sasl;    /* to install once the next message is out */
    char *saslUsername;         /* authenticated SASL identity */
    long long timestamp;        /* connection time, seconds since the epoch (fixed) */

    /* Statistics: bytes read and written, calls received. */
    unsigned long long bytesRx;
    unsigned long long bytesTx;
    unsigned long long calls;

    char lenbuf[4];             /* length word being assembled */
    size_t lenhave;
    virNetMessage *rx;          /* message being read */
    size_t rxfds;               /* fd carrier bytes still to consume */
    bool rxLarge;               /* the last message was read directly */
    virNetMessage *rxQueue;     /* complete, not yet dispatched */
    virNetMessage *rxTail;      /* last of rxQueue (valid while rxQueue != NULL) */
    size_t rxCount;             /* messages in rxQueue */
    size_t rxBytes;             /* declared lengths of rx and rxQueue */

    virNetMessage *tx;          /* queue: head is being written */
    virNetMessage *txTail;      /* last of tx (valid while tx != NULL) */
    size_t txBytes;             /* unsent bytes in the queue */
    size_t txCount;             /* messages in the queue */
    size_t nrequests;           /* calls dispatched and not yet answered */

    GPtrArray *streams;         /* virNetServerStream *, references held */
    size_t nStreamsFull;        /* streams holding a full window */

    virKeepAlive *keepalive;
    int kaInterval;
    unsigned int kaCount;

    virNetServerClientDispatchFunc dispatchFunc;
    void *dispatchOpaque;
    virNetServerClientCloseFunc closeHook;
    void *closeOpaque;
    GThread *hookThread;        /* running the close hook now, or NULL */
    GCond hookDone;             /* signalled when it returns */
    void *privateData;
    virNetServerClientFreeFunc privateDataFree;
    virNetServerClientPrivateCloseFunc privateDataClose;
};

static void virNetServerClientUpdateEventsLocked(virNetServerClient *client);
static void virNetServerClientCloseInternal(virNetServerClient *client);


virNetServerClient *
virNetServerClientNew(unsigned long long id, virNetSocket *sock, int auth,
                      bool readonly, size_t nrequests_max)
{
    virNetServerClient *client = g_new0(virNetServerClient, 1);

    client->refs = 1;
    client->id = id;
    client->sock = sock;
    client->auth = auth;
    client->authenticated = auth == VIR_NET_SERVER_SERVICE_AUTH_NONE;
    client->readonly = readonly;
    client->nrequests_max = nrequests_max ? nrequests_max : 1;
    client->watch = -1;
    client->kickTimer = -1;
    client->handshakeTimer = -1;
    client->streams = g_ptr_array_new();
    client->timestamp = g_get_real_time() / G_USEC_PER_SEC;
    g_mutex_init(&client->lock);
    g_cond_init(&client->hookDone);
    VIR_DEBUG("client %llu created from %s", id, virNetSocketRemoteAddrString(sock));
    return client;
}


virNetServerClient *
virNetServerClientNewTLS(unsigned long long id, virNetSocket *sock, int auth,
                         bool readonly, size_t nrequests_max, virNetTLSContext *tls)
{
    virNetServerClient *client = virNetServerClientNew(id, sock, auth, readonly, nrequests_max);

    if (!tls)
        return client;
    if (!(client->tls = virNetTLSSessionNew(tls, NULL))) {
        virNetServerClientUnref(client);
        return NULL;
    }
    virNetSocketSetTLSSession(sock, client->tls);
    client->tlsHandshaking = true;
    return client;
}


void
virNetServerClientSetPreauthLimits(virNetServerClient *client, size_t messageMax,
                                   size_t bufferMax)
{
    g_mutex_lock(&client->lock);
    client->preauthMessageMax = messageMax;
    client->preauthBufferMax = bufferMax;
    g_mutex_unlock(&client->lock);
}


void
virNetServerClientSetHandshakeTimeout(virNetServerClient *client, int seconds)
{
    g_mutex_lock(&client->lock);
    client->handshakeTimeout = CLAMP(seconds, 0, G_MAXINT / 1000);
    g_mutex_unlock(&client->lock);
}


virNetServerClient *
virNetServerClientRef(virNetServerClient *client)
{
    g_atomic_int_inc(&client->refs);
    return client;
}


void
virNetServerClientUnref(virNetServerClient *client)
{
    if (!client || !g_atomic_int_dec_and_test(&client->refs))
        return;

    VIR_DEBUG("client %llu freed", client->id);
    if (client->privateDataFree)
        client->privateDataFree(client->privateData);
    virKeepAliveFree(client->keepalive);
    virNetMessageQueueFree(client->tx);
    virNetMessageQueueFree(client->rxQueue);
    virNetMessageFree(client->rx);
    virNetSocketFree(client->sock);
    virNetTLSSessionUnref(client->tls);
    virNetSASLSessionUnref(client->sasl);
    g_free(client->saslUsername);
    /* Empty: closing took every stream out. */
    g_ptr_array_free(client->streams, TRUE);
    g_cond_clear(&client->hookDone);
    g_mutex_clear(&client->lock);
    g_free(client);
}


static void
virNetServerClientUnrefCb(void *opaque)
{
    virNetServerClientUnref(opaque);
}


/* ---- accessors ---------------------------------------------------------- */

unsigned long long virNetServerClientGetID(virNetServerClient *client) { return client->id; }
int virNetServerClientGetAuth(virNetServerClient *client) { return client->auth; }
bool virNetServerClientGetReadonly(virNetServerClient *client) { return client->readonly; }
virEventLoop *virNetServerClientGetLoop(virNetServerClient *client) { return client->loop; }

void
virNetServerClientSetAuthenticated(virNetServerClient *client)
{
    g_mutex_lock(&client->lock);
    client->authenticated = true;
    g_mutex_unlock(&client->lock);
}


bool
virNetServerClientIsAuthenticated(virNetServerClient *client)
{
    bool ret;

    g_mutex_lock(&client->lock);
    ret = client->authenticated;
    g_mutex_unlock(&client->lock);
    return ret;
}


bool
virNetServerClientHasTLSSession(virNetServerClient *client)
{
    return client->tls != NULL;
}


int
virNetServerClientGetTLSKeySize(virNetServerClient *client)
{
    if (!client->tls) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "the client has no TLS session");
        return -1;
    }
    return virNetTLSSessionGetKeySize(client->tls);
}


bool
virNetServerClientIsSecure(virNetServerClient *client)
{
    bool ret;

    g_mutex_lock(&client->lock);
    ret = client->tls || virNetSocketIsLocal(client->sock) ||
          virNetSocketHasSASLLayer(client->sock);
    g_mutex_unlock(&client->lock);
    return ret;
}


void
virNetServerClientSetSASLSession(virNetServerClient *client, virNetSASLSession *sess,
                                 const char *username)
{
    g_mutex_lock(&client->lock);
    virNetSASLSessionUnref(client->sasl);
    client->sasl = virNetSASLSessionRef(sess);
    g_free(client->saslUsername);
    client->saslUsername = g_strdup(username);
    g_mutex_unlock(&client->lock);
}


const char *
virNetServerClientGetSASLUsername(virNetServerClient *client)
{
    const char *ret;

    g_mutex_lock(&client->lock);
    ret = client->saslUsername;
    g_mutex_unlock(&client->lock);
    return ret;
}


const char *
virNetServerClientGetTLSPeerDN(virNetServerClient *client)
{
    const char *dn = NULL;

    g_mutex_lock(&client->lock);
    if (client->tls && !client->tlsHandshaking)
        dn = virNetTLSSessionGetPeerDN(client->tls);
    g_mutex_unlock(&client->lock);
    return dn;
}


bool
virNetServerClientIsLocal(virNetServerClient *client)
{
    return virNetSocketIsLocal(client->sock);
}


int
virNetServerClientGetUNIXIdentity(virNetServerClient *client,
                                  uid_t *uid, gid_t *gid, pid_t *pid)
{
    return virNetSocketGetUNIXIdentity(client->sock, uid, gid, pid);
}


long long
virNetServerClientGetTimestamp(virNetServerClient *client)
{
    return client->timestamp;
}


virNetServerClientTransport
virNetServerClientGetTransport(virNetServerClient *client)
{
    if (virNetSocketIsLocal(client->sock))
        return VIR_NET_SERVER_CLIENT_TRANS_UNIX;
    return client->tls ? VIR_NET_SERVER_CLIENT_TRANS_TLS : VIR_NET_SERVER_CLIENT_TRANS_TCP;
}


void
virNetServerClientGetStats(virNetServerClient *client, virNetServerClientStats *stats)
{
    g_mutex_lock(&client->lock);
    stats->bytesRx = client->bytesRx;
    stats->bytesTx = client->bytesTx;
    stats->calls = client->calls;
    stats->inflight = client->nrequests;
    g_mutex_unlock(&client->lock);
}


const char *
virNetServerClientRemoteAddrString(virNetServerClient *client)
{
    return virNetSocketRemoteAddrString(client->sock);
}


const char *
virNetServerClientLocalAddrString(virNetServerClient *client)
{
    return virNetSocketLocalAddrString(client->sock);
}


void
virNetServerClientSetPrivateData(virNetServerClient *client, void *data,
                                 virNetServerClientFreeFunc ff)
{
    g_mutex_lock(&client->lock);
    if (client->privateDataFree && client->privateData)
        client->privateDataFree(client->privateData);
    client->privateData = data;
    client->privateDataFree = ff;
    g_mutex_unlock(&client->lock);
}


void
virNetServerClientSetPrivateDataCloseFunc(virNetServerClient *client,
                                          virNetServerClientPrivateCloseFunc cf)
{
    g_mutex_lock(&client->lock);
    client->privateDataClose = cf;
    g_mutex_unlock(&client->lock);
}


void *
virNetServerClientGetPrivateData(virNetServerClient *client)
{
    void *data;

    g_mutex_lock(&client->lock);
    data = client->privateData;
    g_mutex_unlock(&client->lock);
    return data;
}


void
virNetServerClientSetCloseHook(virNetServerClient *client,
                               virNetServerClientCloseFunc cf, void *opaque)
{
    g_mutex_lock(&client->lock);
    /* A hook already running on another thread still uses its opaque (the
     * server): whoever replaces it, typically to free that opaque, waits. */
    while (client->hookThread && client->hookThread != g_thread_self())
        g_cond_wait(&client->hookDone, &client->lock);
    client->closeHook = cf;
    client->closeOpaque = opaque;
    g_mutex_unlock(&client->lock);
}


bool
virNetServerClientIsClosed(virNetServerClient *client)
{
    bool ret;

    g_mutex_lock(&client->lock);
    ret = client->closed;
    g_mutex_unlock(&client->lock);
    return ret;
}


bool
virNetServerClientWantsClose(virNetServerClient *client)
{
    bool ret;

    g_mutex_lock(&client->lock);
    ret = client->wantClose || client->delayedClose;
    g_mutex_unlock(&client->lock);
    return ret;
}


size_t
virNetServerClientQueuedBytes(virNetServerClient *client)
{
    size_t ret;

    g_mutex_lock(&client->lock);
    ret = client->txBytes;
    g_mutex_unlock(&client->lock);
    return ret;
}


size_t
virNetServerClientRequestsInFlight(virNetServerClient *client)
{
    size_t ret;

    g_mutex_lock(&client->lock);
    ret = client->nrequests;
    g_mutex_unlock(&client->lock);
    return ret;
}


/* ---- event mask and deferred work -------------------------------------- */

static bool
virNetServerClientCanReadLocked(virNetServerClient *client)
{
    return !client->closed && !client->wantClose && !client->delayedClose &&
           !client->quiesce && !client->rxQueue && !client->tlsHandshaking &&
           client->nrequests < client->nrequests_max && client->nStreamsFull == 0;
}


static void
virNetServerClientKick(int timer G_GNUC_UNUSED, void *opaque);

/* Time to close: asked to, or a delayed close with nothing left to send
 * (a peer still in its TLS handshake can be sent nothing at all). Nothing
 * left includes the replies of calls in flight: a handler that asks for
 * the close (admin's connectClose) runs before its reply is queued. */
static bool
virNetServerClientCloseDueLocked(virNetServerClient *client)
{
    return client->wantClose ||
           (client->delayedClose &&
            ((!client->tx && client->nrequests == 0) || client->tlsHandshaking));
}

/* Run the deferred work (dispatch of queued calls, delayed close) from the
 * loop thread soon. The timer exists only while work is pending. */
static void
virNetServerClientScheduleKickLocked(virNetServerClient *client)
{
    if (client->kickTimer >= 0 || client->closed || !client->loop)
        return;
    virNetServerClientRef(client);
    client->kickTimer = virEventLoopAddTimeout(client->loop, 0, virNetServerClientKick,
                                               client, virNetServerClientUnrefCb);
    if (client->kickTimer < 0)
        virNetServerClientUnref(client);
}


static void
virNetServerClientUpdateEventsLocked(virNetServerClient *client)
{
    int events = 0;

    if (client->closed || client->watch < 0)
        return;
    if (client->tlsHandshaking) {
        /* Only the handshake's own direction. */
        if (!client->wantClose && !client->delayedClose)
            events = virNetTLSSessionGetHandshakeStatus(client->tls) ==
                     VIR_NET_TLS_HANDSHAKE_SENDING ? VIR_EVENT_HANDLE_WRITABLE
                                                   : VIR_EVENT_HANDLE_READABLE;
    } else {
        if (virNetServerClientCanReadLocked(client))
            events |= VIR_EVENT_HANDLE_READABLE;
        if (client->tx)
            events |= VIR_EVENT_HANDLE_WRITABLE;
    }
    if (events != client->watchEvents) {
        client->watchEvents = events;
        virEventLoopUpdateHandle(client->loop, client->watch, events);
    }
    /* Queued calls whose slot just freed up, decrypted bytes waiting in
     * the TLS layer, or a close with nothing left to send: the socket
     * will not wake us, so the timer must. */
    if ((client->rxQueue && client->nrequests < client->nrequests_max && !client->quiesce) ||
        (virNetServerClientCanReadLocked(client) && virNetSocketHasCachedData(client->sock)) ||
        virNetServerClientCloseDueLocked(client))
        virNetServerClientScheduleKickLocked(client);
}


/* ---- writing ------------------------------------------------------------ */

/* Send the fds of msg after its bytes. 1 done, 0 would block, -1 error. */
static int
virNetServerClientSendFDsLocked(virNetServerClient *client, virNetMessage *msg)
{
    while (msg->donefds < msg->nfds) {
        int rv = virNetSocketSendFD(client->sock, msg->fds[msg->donefds]);
        if (rv <= 0)
            return rv;
        msg->donefds++;
    }
    return 1;
}


/* Write as much of the queue as the socket takes. -1 on error (the caller
 * closes), 0 otherwise. Completed messages are freed; replies release
 * their request slot. */
static int
virNetServerClientWriteLocked(virNetServerClient *client)
{
    /* The TLS handshake owns the socket until it is done. */
    if (client->tlsHandshaking)
        return 0;
    while (client->tx) {
        struct iovec iov[VIR_NET_SERVER_CLIENT_IOV_MAX];
        int niov = 0;
        ssize_t n;

        /* A message whose bytes are out but fds are not: finish the fds. */
        if (client->tx->bufferOffset == client->tx->bufferLength) {
            int rv = virNetServerClientSendFDsLocked(client, client->tx);
            if (rv < 0)
                return -1;
            if (rv == 0)
                return 0;
        } else {
            for (virNetMessage *m = client->tx; m && niov < VIR_NET_SERVER_CLIENT_IOV_MAX;
                 m = m->next) {
                iov[niov].iov_base = m->buffer + m->bufferOffset;
                iov[niov].iov_len = m->bufferLength - m->bufferOffset;
                niov++;
                if (m->nfds)   /* fds must follow their message's bytes */
                    break;
                if (client->sasl)   /* the layer starts right after this one */
                    break;
            }
            n = virNetSocketWritev(client->sock, iov, niov);
            if (n < 0)
                return -1;
            if (n == 0)
                return 0;
            client->txBytes -= n;
            client->bytesTx += n;
            for (virNetMessage *m = client->tx; m && n > 0; m = m->next) {
                size_t left = m->bufferLength - m->bufferOffset;
                size_t take = (size_t)n < left ? (size_t)n : left;
                m->bufferOffset += take;
                n -= take;
            }
        }

        /* Retire fully written messages (bytes and fds). */
        while (client->tx && client->tx->bufferOffset == client->tx->bufferLength) {
            virNetMessage *m = client->tx;
            if (m->donefds < m->nfds) {
                int rv = virNetServerClientSendFDsLocked(client, m);
                if (rv < 0)
                    return -1;
                if (rv == 0)
                    return 0;
            }
            virNetMessageQueueServe(&client->tx);
            client->txCount--;
            if (m->tracked && client->nrequests > 0)
                client->nrequests--;
            virNetMessageFree(m);
            if (client->sasl) {
                /* The final auth reply is out: what follows, both ways,
                 * goes through the SASL layer. */
                VIR_DEBUG("client %llu: SASL layer on", client->id);
                virNetSocketSetSASLSession(client->sock, client->sasl);
                g_clear_pointer(&client->sasl, virNetSASLSessionUnref);
            }
        }
    }
    return 0;
}


int
virNetServerClientSendMessage(virNetServerClient *client, virNetMessage *msg)
{
    bool wasEmpty;
    int ret = 0;

    g_mutex_lock(&client->lock);
    if (client->closed || client->wantClose) {
        if (msg->tracked && client->nrequests > 0)
            client->nrequests--;
        g_mutex_unlock(&client->lock);
        VIR_DEBUG("client %llu closed: dropping message", client->id);
        virNetMessageFree(msg);
        return -1;
    }
    if (client->txBytes + msg->bufferLength > VIR_NET_SERVER_CLIENT_TX_MAX) {
        VIR_WARN("client %llu does not read its messages (%zu bytes queued); closing it",
                 client->id, client->txBytes);
        virNetMessageFree(msg);
        client->wantClose = true;
        virNetServerClientUpdateEventsLocked(client);
        g_mutex_unlock(&client->lock);
        return -1;
    }
    wasEmpty = client->tx == NULL;
    /* A message that waits behind others keeps only its bytes: encoded
     * buffers start at VIR_NET_MESSAGE_INITIAL (64 KiB) however small the
     * message, so a queue of small events would pin ~1500 times what
     * TX_MAX counts. Copy rather than realloc, so that the big buffer is
     * freed whole and reused by the next message. */
    if ((!wasEmpty || client->dispatching) && msg->bufferLength < VIR_NET_MESSAGE_INITIAL / 2)
        virNetMessageShrink(msg);
    client->txBytes += msg->bufferLength - msg->bufferOffset;
    /* Append in O(1): a client that reads slowly may have a long queue
     * (events), and walking it for every message is quadratic. */
    msg->next = NULL;
    if (wasEmpty)
        client->tx = msg;
    else
        client->txTail->next = msg;
    client->txTail = msg;
    client->txCount++;
    /* While the loop thread dispatches a batch of calls read together, the
     * replies wait and leave in one writev at the end of the batch (one
     * syscall and one event-mask update instead of one per reply).
     * Otherwise nobody else is writing: try right away, from this thread. */
    if (client->dispatching) {
        g_mutex_unlock(&client->lock);
        return 0;
    }
    if (wasEmpty && client->watch >= 0 && virNetServerClientWriteLocked(client) < 0) {
        VIR_DEBUG("client %llu: write failed: %s", client->id, virGetLastErrorMessage());
        client->wantClose = true;
        ret = -1;
    }
    virNetServerClientUpdateEventsLocked(client);
    g_mutex_unlock(&client->lock);
    return ret;
}


void
virNetServerClientRequestDone(virNetServerClient *client)
{
    g_mutex_lock(&client->lock);
    if (client->nrequests > 0)
        client->nrequests--;
    virNetServerClientUpdateEventsLocked(client);
    g_mutex_unlock(&client->lock);
}


/* ---- reading ------------------------------------------------------------ */

/* Append a complete message to the receive queue in O(1): one read may
 * carry thousands of small calls. */
static void
virNetServerClientRxAppendLocked(virNetServerClient *client, virNetMessage *m)
{
    m->next = NULL;
    if (client->rxQueue)
        client->rxTail->next = m;
    else
        client->rxQueue = m;
    client->rxTail = m;
    client->rxCount++;
}


/* A stream message goes to its stream, not to the receive queue: it is no
 * call and takes no request slot. One for no stream of ours (data still
 * in flight after the stream ended) is dropped. */
static void
virNetServerClientRouteStreamLocked(virNetServerClient *client, virNetMessage *m)
{
    virNetServerStream *st = NULL;
    virNetMessage *response = NULL;

    client->rxBytes -= MIN(client->rxBytes, m->bufferLength);
    /* A sign of life, like any message. */
    virKeepAliveCheckMessage(client->keepalive, m, &response);
    for (guint i = 0; i < client->streams->len; i++) {
        virNetServerStream *cand = g_ptr_array_index(client->streams, i);

        if (virNetServerStreamMatches(cand, &m->header)) {
            st = cand;
            break;
        }
    }
    if (!st) {
        VIR_DEBUG("client %llu: dropping %s message for no open stream (serial %u proc %d)",
                  client->id, virNetMessageTypeName(m->header.type), m->header.serial,
                  m->header.proc);
        virNetMessageFree(m);
        return;
    }
    switch (virNetServerStreamPushLocked(st, m)) {
    case 1:
        client->nStreamsFull++;
        break;
    case -1:
        if (client->nStreamsFull > 0)
            client->nStreamsFull--;
        break;
    }
}


/* Before authentication (on a service that requires it) a client may
 * send only small messages, and make the server hold only so much: a
 * length word is a promise of memory, counted when it arrives. */
static int
virNetServerClientCheckPreauthLocked(virNetServerClient *client, size_t len)
{
    if (client->authenticated)
        return 0;
    if (client->preauthMessageMax && len > client->preauthMessageMax) {
        VIR_WARN("client %llu (%s) sent a message of %zu bytes before authenticating "
                 "(at most %zu); closing it", client->id,
                 virNetSocketRemoteAddrString(client->sock), len, client->preauthMessageMax);
        return -1;
    }
    if (client->preauthBufferMax && client->rxBytes + len > client->preauthBufferMax) {
        VIR_WARN("client %llu (%s) would make the server buffer %zu bytes before "
                 "authenticating (at most %zu); closing it", client->id,
                 virNetSocketRemoteAddrString(client->sock), client->rxBytes + len,
                 client->preauthBufferMax);
        return -1;
    }
    return 0;
}


static size_t
virNetServerClientLenWord(virNetServerClient *client)
{
    const unsigned char *p = (const unsigned char *)client->lenbuf;

    return ((size_t)p[0] << 24) | ((size_t)p[1] << 16) | ((size_t)p[2] << 8) | p[3];
}


/* The message being read (client->rx) is complete: its header decoded,
 * its fds awaited, or it goes to its stream or the receive queue. -1 on a
 * protocol error. */
static int
virNetServerClientMessageReadLocked(virNetServerClient *client)
{
    virNetMessage *m = client->rx;

    if (virNetMessageDecodeHeader(m) < 0) {
        VIR_WARN("client %llu: %s", client->id, virGetLastErrorMessage());
        return -1;
    }
    if (m->header.type == VIR_NET_CALL_WITH_FDS) {
        if (!virNetSocketHasPassFD(client->sock)) {
            VIR_WARN("client %llu sent fds on a socket that cannot carry them", client->id);
            return -1;
        }
        if (virNetMessageDecodeNumFDs(m) < 0) {
            VIR_WARN("client %llu: %s", client->id, virGetLastErrorMessage());
            return -1;
        }
        if (m->nfds > 0) {
            client->rxfds = m->nfds;
            return 0;
        }
    }
    client->rx = NULL;
    if (m->header.type == VIR_NET_STREAM || m->header.type == VIR_NET_STREAM_HOLE)
        virNetServerClientRouteStreamLocked(client, m);
    else
        virNetServerClientRxAppendLocked(client, m);
    return 0;
}


/* Consume bytes from data into the message being read. Complete messages
 * are appended to the receive queue. Returns bytes consumed, or -1 on a
 * protocol error (the client is then closed). */
static ssize_t
virNetServerClientParseLocked(virNetServerClient *client, const char *data, size_t len)
{
    size_t used = 0;

    while (used < len) {
        if (client->rxfds > 0) {
            /* One carrier byte per fd follows a message that has fds. */
            virNetMessage *m = client->rx;
            int fd = virNetSocketTakeFD(client->sock);
            if (fd < 0)
                return -1;
            m->fds[m->donefds++] = fd;
            used++;
            if (--client->rxfds == 0) {
                client->rx = NULL;
                virNetServerClientRxAppendLocked(client, m);
            }
            continue;
        }
        if (!client->rx) {
            size_t want = 4 - client->lenhave;
            size_t take = len - used < want ? len - used : want;
            memcpy(client->lenbuf + client->lenhave, data + used, take);
            client->lenhave += take;
            used += take;
            if (client->lenhave < 4)
                break;
            client->lenhave = 0;
            /* The pre-auth limits apply to the length word itself: decoding
             * it allocates the whole message. */
            if (virNetServerClientCheckPreauthLocked(client, virNetServerClientLenWord(client)) < 0)
                return -1;
            client->rx = virNetMessageNew(false);
            client->rx->buffer = g_memdup2(client->lenbuf, 4);
            client->rx->bufferLength = 4;
            if (virNetMessageDecodeLength(client->rx) < 0) {
                VIR_WARN("client %llu: %s", client->id, virGetLastErrorMessage());
                return -1;
            }
            client->rxBytes += client->rx->bufferLength;
            continue;
        } else {
            virNetMessage *m = client->rx;
            size_t want = m->bufferLength - m->bufferOffset;
            size_t take = len - used < want ? len - used : want;
            memcpy(m->buffer + m->bufferOffset, data + used, take);
            m->bufferOffset += take;
            used += take;
            if (m->bufferOffset < m->bufferLength)
                break;
            if (virNetServerClientMessageReadLocked(client) < 0)
                return -1;
        }
    }
    return used;
}


/* What remains of a large message body (stream data, mostly) is read from
 * the socket straight into the message: no copy through the scratch
 * buffer. After such a message the next read through the scratch buffer
 * is short (another large one likely follows: its length and header, and
 * little else, go through the scratch buffer). */
#define VIR_NET_SERVER_CLIENT_DIRECT_MIN (32 * 1024)
#define VIR_NET_SERVER_CLIENT_AFTER_LARGE 4096

static ssize_t
virNetServerClientReadDirectLocked(virNetServerClient *client, bool *eof)
{
    virNetMessage *m = client->rx;
    ssize_t n;

    n = virNetSocketRead(client->sock, m->buffer + m->bufferOffset,
                         m->bufferLength - m->bufferOffset, eof);
    if (n <= 0)
        return n;
    client->bytesRx += n;
    m->bufferOffset += n;
    client->rxLarge = true;
    if (m->bufferOffset == m->bufferLength && virNetServerClientMessageReadLocked(client) < 0)
        return -1;
    return n;
}


/* Read what the socket has (one scratch buffer's worth). -1: close. */
static int
virNetServerClientReadLocked(virNetServerClient *client)
{
    /* One buffer per loop thread, freed when the thread exits. */
    static GPrivate scratchKey = G_PRIVATE_INIT(g_free);
    char *scratch = g_private_get(&scratchKey);
    ssize_t n, used;
    bool eof;

    if (client->rx && client->rxfds == 0 &&
        client->rx->bufferLength - client->rx->bufferOffset >= VIR_NET_SERVER_CLIENT_DIRECT_MIN) {
        n = virNetServerClientReadDirectLocked(client, &eof);
    } else {
        if (!scratch) {
            scratch = g_malloc(VIR_NET_SERVER_CLIENT_SCRATCH);
            g_private_set(&scratchKey, scratch);
        }
        n = virNetSocketRead(client->sock, scratch,
                             client->rxLarge ? VIR_NET_SERVER_CLIENT_AFTER_LARGE
                                             : VIR_NET_SERVER_CLIENT_SCRATCH, &eof);
        client->rxLarge = false;
        if (n > 0) {
            client->bytesRx += n;
            used = virNetServerClientParseLocked(client, scratch, n);
            if (used < 0)
                return -1;
            if (used < n) {
                /* Only possible after a protocol error; kept for clarity. */
                VIR_WARN("client %llu: %zd unparsed bytes", client->id, n - used);
                return -1;
            }
        }
    }
    if (n < 0) {
        if (eof)
            VIR_DEBUG("client %llu: end of file", client->id);
        else
            VIR_DEBUG("client %llu: %s", client->id, virGetLastErrorMessage());
        return -1;
    }
    return 0;
}


/* Dispatch queued complete messages while slots are free. Called from the
 * loop thread with the lock held; drops it around each dispatch. */
static void
virNetServerClientDispatchQueuedLocked(virNetServerClient *client)
{
    client->dispatching = true;
    client->dispatchThread = g_thread_self();
    while (client->rxQueue && !client->closed && !client->wantClose &&
           !client->delayedClose && !client->quiesce &&
           client->nrequests < client->nrequests_max) {
        virNetMessage *msg = virNetMessageQueueServe(&client->rxQueue);
        virNetMessage *response = NULL;

        client->rxCount--;
        client->rxBytes -= MIN(client->rxBytes, msg->bufferLength);
        if (virKeepAliveCheckMessage(client->keepalive, msg, &response)) {
            virNetMessageFree(msg);
            if (response) {
                g_mutex_unlock(&client->lock);
                virNetServerClientSendMessage(client, response);
                g_mutex_lock(&client->lock);
            }
            continue;
        }
        if (msg->header.type == VIR_NET_CALL || msg->header.type == VIR_NET_CALL_WITH_FDS) {
            msg->tracked = true;
            client->nrequests++;
            client->calls++;
        }
        g_mutex_unlock(&client->lock);
        client->dispatchFunc(client, msg, client->dispatchOpaque);
        g_mutex_lock(&client->lock);
    }
    client->dispatching = false;
    client->dispatchThread = NULL;
    g_cond_broadcast(&client->hookDone);
    /* The batch's replies (and any a worker queued meanwhile). The caller
     * updates the event mask. */
    if (client->tx && !client->closed && client->watch >= 0 &&
        virNetServerClientWriteLocked(client) < 0) {
        VIR_DEBUG("client %llu: write failed: %s", client->id, virGetLastErrorMessage());
        client->wantClose = true;
    }
}


/* Read and dispatch while we may, including what the TLS layer holds
 * decrypted (epoll does not see it). -1: close. */
static int
virNetServerClientReadAllLocked(virNetServerClient *client)
{
    do {
        if (virNetServerClientReadLocked(client) < 0)
            return -1;
        virNetServerClientDispatchQueuedLocked(client);
    } while (virNetServerClientCanReadLocked(client) &&
             virNetSocketHasCachedData(client->sock));
    return 0;
}


static void
virNetServerClientStopHandshakeTimerLocked(virNetServerClient *client)
{
    if (client->handshakeTimer >= 0) {
        virEventLoopRemoveTimeout(client->loop, client->handshakeTimer);
        client->handshakeTimer = -1;
    }
}


/* A peer that opened a TLS connection and did not finish the handshake in
 * time: it holds an anonymous-client slot, so close it. */
static void
virNetServerClientHandshakeTimeout(int timer, void *opaque)
{
    virNetServerClient *client = opaque;
    bool closeNow = false;

    virNetServerClientRef(client);
    g_mutex_lock(&client->lock);
    if (client->handshakeTimer == timer) {
        virNetServerClientStopHandshakeTimerLocked(client);
        if (!client->closed && client->tlsHandshaking) {
            VIR_WARN("client %llu (%s): TLS handshake not finished after %d s; closing the connection",
                     client->id, virNetSocketRemoteAddrString(client->sock),
                     client->handshakeTimeout);
            closeNow = true;
        }
    }
    g_mutex_unlock(&client->lock);
    if (closeNow)
        virNetServerClientCloseInternal(client);
    virNetServerClientUnref(client);
}


/* One step of the TLS handshake; on completion check the peer's
 * certificate and queue the confirmation byte (or refuse the client). */
static void
virNetServerClientHandshakeLocked(virNetServerClient *client)
{
    virNetMessage *confirm;
    int rc = virNetTLSSessionHandshake(client->tls);

    if (rc > 0)
        return;   /* more I/O: the event mask follows gnutls' direction */
    if (rc < 0) {
        VIR_WARN("client %llu (%s): %s", client->id,
                 virNetSocketRemoteAddrString(client->sock), virGetLastErrorMessage());
        virResetLastError();
        client->wantClose = true;
        return;
    }
    if (virNetTLSContextCheckCertificate(virNetTLSSessionGetContext(client->tls),
                                         client->tls) < 0) {
        VIR_WARN("client %llu (%s): %s; closing the connection", client->id,
                 virNetSocketRemoteAddrString(client->sock), virGetLastErrorMessage());
        virResetLastError();
        client->wantClose = true;
        return;
    }
    VIR_DEBUG("client %llu (%s): TLS session up, peer DN '%s'", client->id,
              virNetSocketRemoteAddrString(client->sock),
              virNetTLSSessionGetPeerDN(client->tls) ? virNetTLSSessionGetPeerDN(client->tls) : "");
    client->tlsHandshaking = false;
    virNetServerClientStopHandshakeTimerLocked(client);

    /* One byte, 1, in a TLS record: the client waits for it before its
     * first call. It goes ahead of anything queued meanwhile (nothing of
     * that was written yet). */
    confirm = virNetMessageNew(false);
    confirm->buffer = g_malloc(1);
    confirm->buffer[0] = 1;
    confirm->bufferLength = 1;
    confirm->next = client->tx;
    if (!client->tx)
        client->txTail = confirm;
    client->tx = confirm;
    client->txBytes += 1;
    client->txCount++;
    if (virNetServerClientWriteLocked(client) < 0)
        client->wantClose = true;
}


static void
virNetServerClientHandleEvent(int watch G_GNUC_UNUSED, int fd G_GNUC_UNUSED,
                              int events, void *opaque)
{
    virNetServerClient *client = opaque;
    bool closeNow = false;

    virNetServerClientRef(client);
    g_mutex_lock(&client->lock);
    if (client->closed)
        goto cleanup;

    if (client->tlsHandshaking) {
        if ((events & (VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_WRITABLE)) &&
            !client->wantClose && !client->delayedClose)
            virNetServerClientHandshakeLocked(client);
    } else {
        if (events & VIR_EVENT_HANDLE_WRITABLE) {
            if (virNetServerClientWriteLocked(client) < 0)
                client->wantClose = true;
        }
        if ((events & VIR_EVENT_HANDLE_READABLE) && virNetServerClientCanReadLocked(client) &&
            virNetServerClientReadAllLocked(client) < 0)
            client->wantClose = true;
    }
    if ((events & (VIR_EVENT_HANDLE_ERROR | VIR_EVENT_HANDLE_HANGUP)) &&
        !(events & VIR_EVENT_HANDLE_READABLE))
        client->wantClose = true;

    if (virNetServerClientCloseDueLocked(client))
        closeNow = true;
    else
        virNetServerClientUpdateEventsLocked(client);
 cleanup:
    g_mutex_unlock(&client->lock);
    if (closeNow)
        virNetServerClientCloseInternal(client);
    virNetServerClientUnref(client);
}


static void
virNetServerClientKick(int timer, void *opaque)
{
    virNetServerClient *client = opaque;
    bool closeNow = false;

    virNetServerClientRef(client);
    g_mutex_lock(&client->lock);
    if (client->kickTimer == timer) {
        virEventLoopRemoveTimeout(client->loop, timer);
        client->kickTimer = -1;
    }
    if (!client->closed) {
        virNetServerClientDispatchQueuedLocked(client);
        /* Decrypted bytes the loop cannot see (reading was paused). */
        if (virNetServerClientCanReadLocked(client) &&
            virNetSocketHasCachedData(client->sock) &&
            virNetServerClientReadAllLocked(client) < 0)
            client->wantClose = true;
        if (virNetServerClientCloseDueLocked(client))
            closeNow = true;
        else
            virNetServerClientUpdateEventsLocked(client);
    }
    g_mutex_unlock(&client->lock);
    if (closeNow)
        virNetServerClientCloseInternal(client);
    virNetServerClientUnref(client);
}


/* ---- setup and teardown ------------------------------------------------- */

int
virNetServerClientInit(virNetServerClient *client, virEventLoop *loop,
                       virNetServerClientDispatchFunc dispatch, void *opaque)
{
    int ret = -1;

    g_mutex_lock(&client->lock);
    client->loop = loop;
    client->dispatchFunc = dispatch;
    client->dispatchOpaque = opaque;
    client->watchEvents = VIR_EVENT_HANDLE_READABLE;   /* TLS: the client speaks first */
    virNetServerClientRef(client);
    client->watch = virEventLoopAddHandle(loop, virNetSocketGetFD(client->sock),
                                          client->watchEvents,
                                          virNetServerClientHandleEvent,
                                          client, virNetServerClientUnrefCb);
    if (client->watch < 0) {
        virNetServerClientUnref(client);
        goto cleanup;
    }
    if (client->tlsHandshaking && client->handshakeTimeout > 0) {
        virNetServerClientRef(client);
        client->handshakeTimer = virEventLoopAddTimeout(loop, client->handshakeTimeout * 1000,
                                                        virNetServerClientHandshakeTimeout,
                                                        client, virNetServerClientUnrefCb);
        if (client->handshakeTimer < 0) {
            virNetServerClientUnref(client);
            goto cleanup;
        }
    }
    if (client->keepalive && client->kaInterval > 0 &&
        virKeepAliveStart(client->keepalive, client->kaInterval, client->kaCount) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    g_mutex_unlock(&client->lock);
    return ret;
}


static int
virNetServerClientKeepAliveSend(void *owner, virNetMessage *msg)
{
    return virNetServerClientSendMessage(owner, msg);
}


static void
virNetServerClientKeepAliveDead(void *owner)
{
    virNetServerClient *client = owner;

    VIR_WARN("client %llu (%s) stopped answering keepalive pings; closing it",
             client->id, virNetSocketRemoteAddrString(client->sock));
    virNetServerClientClose(client);
}


static void
virNetServerClientKeepAliveRef(void *owner)
{
    virNetServerClientRef(owner);
}


static void
virNetServerClientKeepAliveUnref(void *owner)
{
    virNetServerClientUnref(owner);
}


int
virNetServerClientInitKeepAlive(virNetServerClient *client, int interval,
                                unsigned int count)
{
    if (interval <= 0)
        return 0;
    g_mutex_lock(&client->lock);
    client->kaInterval = interval;
    client->kaCount = count;
    g_mutex_unlock(&client->lock);
    return 0;
}


int
virNetServerClientStartKeepAlive(virNetServerClient *client)
{
    int ret = 0;

    g_mutex_lock(&client->lock);
    if (client->closed || client->kaInterval <= 0 || !client->loop) {
        g_mutex_unlock(&client->lock);
        return 0;
    }
    if (!client->keepalive)
        client->keepalive = virKeepAliveNew(client->loop, client,
                                            virNetServerClientKeepAliveSend,
                                            virNetServerClientKeepAliveDead,
                                            virNetServerClientKeepAliveRef,
                                            virNetServerClientKeepAliveUnref);
    if (!virKeepAliveIsActive(client->keepalive))
        ret = virKeepAliveStart(client->keepalive, client->kaInterval, client->kaCount);
    g_mutex_unlock(&client->lock);
    return ret;
}


static gpointer
virNetServerClientFreeQueuesThread(gpointer data)
{
    virNetMessage **queues = data;

    virNetMessageQueueFree(queues[0]);
    virNetMessageQueueFree(queues[1]);
    g_free(queues);
    return NULL;
}


/* Free the queues of a closed client: inline when short, else on a
 * thread of its own (the close usually runs on the loop thread). */
static void
virNetServerClientDropQueues(virNetMessage *tx, virNetMessage *rx, size_t count)
{
    virNetMessage **queues;
    GThread *thread;

    if (count <= VIR_NET_SERVER_CLIENT_FREE_INLINE_MAX) {
        virNetMessageQueueFree(tx);
        virNetMessageQueueFree(rx);
        return;
    }
    queues = g_new(virNetMessage *, 2);
    queues[0] = tx;
    queues[1] = rx;
    VIR_DEBUG("freeing %zu queued messages on a thread of their own", count);
    if (!(thread = g_thread_try_new("vn-free-queue", virNetServerClientFreeQueuesThread,
                                    queues, NULL))) {
        virNetServerClientFreeQueuesThread(queues);
        return;
    }
    g_thread_unref(thread);
}


/* Tear down: stop I/O, drop queues, run the close hook (once). */
static void
virNetServerClientCloseInternal(virNetServerClient *client)
{
    virNetServerClientCloseFunc hook;
    void *hookOpaque;
    virNetServerClientPrivateCloseFunc privClose;
    void *privData;
    virNetMessage *dropTx, *dropRx;
    size_t ndrop;
    GPtrArray *streams;

    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        return;
    }
    VIR_DEBUG("client %llu closing", client->id);
    client->closed = true;
    if (client->watch >= 0) {
        virEventLoopRemoveHandle(client->loop, client->watch);
        client->watch = -1;
    }
    if (client->kickTimer >= 0) {
        virEventLoopRemoveTimeout(client->loop, client->kickTimer);
        client->kickTimer = -1;
    }
    virNetServerClientStopHandshakeTimerLocked(client);
    if (client->keepalive)
        virKeepAliveStop(client->keepalive);
    virNetSocketClose(client->sock);
    /* Take both queues whole: O(1) here, one pass to free them later. */
    dropTx = g_steal_pointer(&client->tx);
    dropRx = g_steal_pointer(&client->rxQueue);
    ndrop = client->txCount + client->rxCount;
    client->txTail = client->rxTail = NULL;
    client->txCount = client->rxCount = 0;
    client->txBytes = 0;
    streams = g_steal_pointer(&client->streams);
    client->streams = g_ptr_array_new();
    client->nStreamsFull = 0;
    hook = client->closeHook;
    hookOpaque = client->closeOpaque;
    client->closeHook = NULL;
    if (hook)
        client->hookThread = g_thread_self();
    privClose = client->privateDataClose;
    privData = client->privateData;
    client->privateDataClose = NULL;
    /* A dispatch on the loop thread still uses its opaque (the server),
     * which the caller may free next: wait for it (it stops at closed). */
    while (client->dispatching && client->dispatchThread != g_thread_self())
        g_cond_wait(&client->hookDone, &client->lock);
    virNetServerClientRef(client);
    g_mutex_unlock(&client->lock);

    virNetServerClientDropQueues(dropTx, dropRx, ndrop);
    /* Streams first: their owners release what they hold of the
     * connection before the program layer forgets it. */
    for (guint i = 0; i < streams->len; i++) {
        virNetServerStream *st = g_ptr_array_index(streams, i);

        virNetServerStreamClientClosed(st);
        virNetServerStreamUnref(st);
    }
    g_ptr_array_free(streams, TRUE);
    if (privClose)
        privClose(client, privData);
    if (hook) {
        hook(client, hookOpaque);
        g_mutex_lock(&client->lock);
        client->hookThread = NULL;
        g_cond_broadcast(&client->hookDone);
        g_mutex_unlock(&client->lock);
    }
    virNetServerClientUnref(client);
}


void
virNetServerClientClose(virNetServerClient *client)
{
    virNetServerClientCloseInternal(client);
}


void
virNetServerClientDelayedClose(virNetServerClient *client)
{
    g_mutex_lock(&client->lock);
    if (!client->closed) {
        client->delayedClose = true;
        virNetServerClientUpdateEventsLocked(client);
    }
    g_mutex_unlock(&client->lock);
}


int
virNetServerClientAddStream(virNetServerClient *client, virNetServerStream *st)
{
    int ret = -1;

    g_mutex_lock(&client->lock);
    if (client->closed || client->wantClose || client->delayedClose) {
        virReportError(VIR_ERR_RPC, "%s", "the client connection is closed");
    } else if (client->streams->len >= VIR_NET_SERVER_STREAMS_MAX) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       "too many open streams on this connection (at most %d)",
                       VIR_NET_SERVER_STREAMS_MAX);
    } else {
        g_ptr_array_add(client->streams, virNetServerStreamRef(st));
        ret = 0;
    }
    g_mutex_unlock(&client->lock);
    return ret;
}


void
virNetServerClientRemoveStream(virNetServerClient *client, virNetServerStream *st,
                               bool drained)
{
    bool found;

    g_mutex_lock(&client->lock);
    found = g_ptr_array_remove_fast(client->streams, st);
    if (found && drained && client->nStreamsFull > 0)
        client->nStreamsFull--;
    virNetServerClientUpdateEventsLocked(client);
    g_mutex_unlock(&client->lock);
    if (found)
        virNetServerStreamUnref(st);
}


void
virNetServerClientStreamDrained(virNetServerClient *client)
{
    g_mutex_lock(&client->lock);
    if (client->nStreamsFull > 0)
        client->nStreamsFull--;
    virNetServerClientUpdateEventsLocked(client);
    g_mutex_unlock(&client->lock);
}


size_t
virNetServerClientStreamCount(virNetServerClient *client)
{
    size_t n;

    g_mutex_lock(&client->lock);
    n = client->streams->len;
    g_mutex_unlock(&client->lock);
    return n;
}


void
virNetServerClientSetQuiesce(virNetServerClient *client, bool quiesce)
{
    g_mutex_lock(&client->lock);
    client->quiesce = quiesce;
    virNetServerClientUpdateEventsLocked(client);
    g_mutex_unlock(&client->lock);
}
