/*
 * virnettlssession.c: a TLS session on a socket fd (see virnettlssession.h).
 *
 * Transport: our own pull/push functions on the fd (recv, and sendmsg
 * with MSG_NOSIGNAL so that a peer gone away is an error, not SIGPIPE);
 * the fd is non-blocking, so gnutls returns GNUTLS_E_AGAIN where a plain
 * read or write would return EAGAIN.
 *
 * Reading: one call returns what the current record still holds, and
 * goes on with the next records while they arrive full-sized (bulk
 * transfer) and the caller's buffer has room; small records end a call,
 * so that an idle socket costs no extra recv() returning EAGAIN.
 *
 * Writing: small iovecs are gathered into one record of up to the maximum
 * record size (pipelined small replies cost one record and one syscall,
 * not one each); a large buffer goes to gnutls directly.
 *
 * Ownership: the session holds a reference on its context; it does not own
 * the fd. No lock (the socket's owner serialises calls).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <glib.h>

#include "virnettlssession.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.nettlssession");

struct _virNetTLSSession {
    gint refs;
    virNetTLSContext *ctxt;
    gnutls_session_t session;
    int fd;
    bool isServer;
    bool handshakeComplete;
    char *hostname;
    char *peerDN;
    char *wbuf;             /* gathers small iovecs into one record */
    size_t wbufSize;
};


static ssize_t
virNetTLSSessionPull(gnutls_transport_ptr_t opaque, void *buf, size_t len)
{
    virNetTLSSession *sess = opaque;
    ssize_t n;

    do {
        n = recv(sess->fd, buf, len, 0);
    } while (n < 0 && errno == EINTR);
    return n;
}


static ssize_t
virNetTLSSessionVecPush(gnutls_transport_ptr_t opaque, const giovec_t *iov, int iovcnt)
{
    virNetTLSSession *sess = opaque;
    struct msghdr mh = { .msg_iov = (struct iovec *)iov, .msg_iovlen = iovcnt };
    ssize_t n;

    do {
        n = sendmsg(sess->fd, &mh, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
}


virNetTLSSession *
virNetTLSSessionNew(virNetTLSContext *ctxt, const char *hostname)
{
    virNetTLSSession *sess = g_new0(virNetTLSSession, 1);
    bool isServer = virNetTLSContextIsServer(ctxt);
    int rc;

    sess->refs = 1;
    sess->fd = -1;
    sess->isServer = isServer;
    sess->ctxt = virNetTLSContextRef(ctxt);
    sess->hostname = g_strdup(hostname);

    if ((rc = gnutls_init(&sess->session, isServer ? GNUTLS_SERVER : GNUTLS_CLIENT)) < 0) {
        virReportError(VIR_ERR_GNUTLS_ERROR, "cannot create a TLS session: %s",
                       gnutls_strerror(rc));
        sess->session = NULL;
        virNetTLSSessionUnref(sess);
        return NULL;
    }
    if (virNetTLSContextSetupSession(ctxt, sess->session) < 0) {
        virNetTLSSessionUnref(sess);
        return NULL;
    }
    gnutls_transport_set_ptr(sess->session, sess);
    gnutls_transport_set_pull_function(sess->session, virNetTLSSessionPull);
    gnutls_transport_set_vec_push_function(sess->session, virNetTLSSessionVecPush);
    VIR_DEBUG("session %p (%s, host %s)", sess, isServer ? "server" : "client",
              hostname ? hostname : "-");
    return sess;
}


virNetTLSSession *
virNetTLSSessionRef(virNetTLSSession *sess)
{
    if (sess)
        g_atomic_int_inc(&sess->refs);
    return sess;
}


void
virNetTLSSessionUnref(virNetTLSSession *sess)
{
    if (!sess || !g_atomic_int_dec_and_test(&sess->refs))
        return;
    if (sess->session)
        gnutls_deinit(sess->session);
    virNetTLSContextUnref(sess->ctxt);
    g_free(sess->hostname);
    g_free(sess->peerDN);
    g_free(sess->wbuf);
    g_free(sess);
}


void
virNetTLSSessionSetFD(virNetTLSSession *sess, int fd)
{
    sess->fd = fd;
}


int
virNetTLSSessionHandshake(virNetTLSSession *sess)
{
    int rc;

    if (sess->handshakeComplete)
        return 0;
    rc = gnutls_handshake(sess->session);
    if (rc == 0) {
        sess->handshakeComplete = true;
        VIR_DEBUG("session %p: handshake complete (%s)", sess,
                  gnutls_protocol_get_name(gnutls_protocol_get_version(sess->session)));
        return 0;
    }
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED)
        return 1;
    virReportError(VIR_ERR_AUTH_FAILED, "TLS handshake failed: %s", gnutls_strerror(rc));
    return -1;
}


virNetTLSHandshakeStatus
virNetTLSSessionGetHandshakeStatus(virNetTLSSession *sess)
{
    if (sess->handshakeComplete)
        return VIR_NET_TLS_HANDSHAKE_COMPLETE;
    return gnutls_record_get_direction(sess->session) == 0 ? VIR_NET_TLS_HANDSHAKE_RECVING
                                                           : VIR_NET_TLS_HANDSHAKE_SENDING;
}


static size_t
virNetTLSSessionMaxRecord(virNetTLSSession *sess)
{
    size_t max = gnutls_record_get_max_size(sess->session);

    return max ? max : 16384;
}


ssize_t
virNetTLSSessionRead(virNetTLSSession *sess, char *buf, size_t len, bool *eof)
{
    size_t total = 0, full = virNetTLSSessionMaxRecord(sess);
    bool dummy;

    if (!eof)
        eof = &dummy;
    *eof = false;
    while (total < len) {
        ssize_t n = gnutls_record_recv(sess->session, buf + total, len - total);

        if (n > 0) {
            total += n;
            /* The rest of this record: no syscall needed. A full-sized
             * record suggests more follow: try the next one too. */
            if (gnutls_record_check_pending(sess->session) > 0 || (size_t)n >= full)
                continue;
            break;
        }
        if (n == GNUTLS_E_INTERRUPTED)
            continue;
        if (n == GNUTLS_E_AGAIN)
            break;
        if (total > 0)
            break;   /* hand over what we have; the condition repeats next time */
        if (n == 0 || n == GNUTLS_E_PREMATURE_TERMINATION) {
            *eof = true;
            virReportError(VIR_ERR_SYSTEM_ERROR, "%s", "End of file while reading data");
            return -1;
        }
        virReportError(VIR_ERR_GNUTLS_ERROR, "cannot read TLS data: %s",
                       gnutls_strerror((int)n));
        return -1;
    }
    return total;
}


/* One record send; returns > 0, 0 would block, -1 error (reported). */
static ssize_t
virNetTLSSessionSendRecord(virNetTLSSession *sess, const char *buf, size_t len)
{
    for (;;) {
        ssize_t n = gnutls_record_send(sess->session, buf, len);

        if (n >= 0)
            return n;
        if (n == GNUTLS_E_INTERRUPTED)
            continue;
        if (n == GNUTLS_E_AGAIN)
            return 0;
        virReportError(VIR_ERR_GNUTLS_ERROR, "cannot write TLS data: %s",
                       gnutls_strerror((int)n));
        return -1;
    }
}


ssize_t
virNetTLSSessionWrite(virNetTLSSession *sess, const char *buf, size_t len)
{
    size_t total = 0;

    while (total < len) {
        ssize_t n = virNetTLSSessionSendRecord(sess, buf + total, len - total);

        if (n < 0)
            return total > 0 ? (ssize_t)total : -1;
        if (n == 0)
            break;
        total += n;
    }
    return total;
}


ssize_t
virNetTLSSessionWritev(virNetTLSSession *sess, const struct iovec *iov, int iovcnt)
{
    size_t max = virNetTLSSessionMaxRecord(sess), total = 0, off = 0;
    int i = 0;

    while (i < iovcnt) {
        size_t left = iov[i].iov_len - off;
        const char *p;
        size_t len;
        ssize_t n;

        if (left == 0) {
            i++;
            off = 0;
            continue;
        }
        if (left >= max || i + 1 == iovcnt) {
            p = (const char *)iov[i].iov_base + off;
            len = left;
        } else {
            /* Gather this and the following iovecs into one record. */
            size_t fill = 0, o = off;

            if (sess->wbufSize < max) {
                g_free(sess->wbuf);
                sess->wbuf = g_malloc(max);
                sess->wbufSize = max;
            }
            for (int j = i; j < iovcnt && fill < max; j++, o = 0) {
                size_t take = MIN(iov[j].iov_len - o, max - fill);

                memcpy(sess->wbuf + fill, (const char *)iov[j].iov_base + o, take);
                fill += take;
            }
            p = sess->wbuf;
            len = fill;
        }
        n = virNetTLSSessionSendRecord(sess, p, len);
        if (n < 0)
            return total > 0 ? (ssize_t)total : -1;
        if (n == 0)
            break;
        total += n;
        /* Advance (i, off) by n bytes. */
        while (n > 0 && i < iovcnt) {
            size_t rest = iov[i].iov_len - off;

            if ((size_t)n < rest) {
                off += n;
                n = 0;
            } else {
                n -= rest;
                i++;
                off = 0;
            }
        }
    }
    return total;
}


size_t
virNetTLSSessionPending(virNetTLSSession *sess)
{
    return sess->handshakeComplete ? gnutls_record_check_pending(sess->session) : 0;
}


void
virNetTLSSessionBye(virNetTLSSession *sess)
{
    if (sess->handshakeComplete)
        (void)gnutls_bye(sess->session, GNUTLS_SHUT_WR);
}


virNetTLSContext *virNetTLSSessionGetContext(virNetTLSSession *sess) { return sess->ctxt; }
const char *virNetTLSSessionGetHostname(virNetTLSSession *sess) { return sess->hostname; }
gnutls_session_t virNetTLSSessionGetGnutls(virNetTLSSession *sess) { return sess->session; }
bool virNetTLSSessionIsServer(virNetTLSSession *sess) { return sess->isServer; }
const char *virNetTLSSessionGetPeerDN(virNetTLSSession *sess) { return sess->peerDN; }


void
virNetTLSSessionSetPeerDN(virNetTLSSession *sess, const char *dn)
{
    g_free(sess->peerDN);
    sess->peerDN = g_strdup(dn);
}


int
virNetTLSSessionGetKeySize(virNetTLSSession *sess)
{
    size_t size = gnutls_cipher_get_key_size(gnutls_cipher_get(sess->session));

    if (size == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no cipher key size for the TLS session");
        return -1;
    }
    return (int)size;
}
