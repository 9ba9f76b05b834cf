/*
 * virnetsocket.c: UNIX and TCP sockets, non-blocking, with fd passing.
 *
 * Ownership: the socket owns its fd. No locking: the owner of the socket
 * serialises all calls (see virnetsocket.h).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include "virnetsocket.h"
#include "virnettlssession.h"
#include "virnetsaslcontext.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netsocket");

/* The kernel delivers at most one carrier byte per read, but a peer may
 * attach several fds to it; keep room for the protocol maximum. */
#define VIR_NET_SOCKET_MAX_FDS_PER_READ 32

struct _virNetSocket {
    int fd;
    virNetSocketFamily family;
    bool listening;
    bool inherited;        /* listening socket shared with the process that passed it */
    char *localAddr;
    char *remoteAddr;
    char *unlinkPath;      /* listening UNIX socket file to remove on free */
    int port;
    GQueue recvFDs;        /* fds received with data, not yet taken */
    bool hasCreds;
    uid_t uid;
    gid_t gid;
    pid_t pid;
    virNetTLSSession *tls;  /* records go through it once its handshake is done */

    /* SASL layer (virNetSocketSetSASLSession). saslLayer: the session
     * negotiated an SSF > 0, so every byte is encoded / decoded; with
     * SSF 0 (TLS, UNIX) SASL would pass bytes unchanged and the socket
     * skips it. The encoded and decoded buffers belong to the session and
     * stay valid until its next Encode / Decode, which only this socket
     * calls once the session is installed. */
    virNetSASLSession *sasl;
    bool saslLayer;
    const char *saslEncoded;       /* packet being written */
    size_t saslEncodedLength;
    size_t saslEncodedOffset;
    size_t saslEncodedRawLength;   /* plaintext bytes it carries */
    const char *saslDecoded;       /* decoded bytes not yet delivered */
    size_t saslDecodedLength;
    size_t saslDecodedOffset;
    char *saslWire;                /* VIR_NET_SASL_BUFSIZE: one read from the wire */
    char *saslPlain;               /* gathers a writev into one packet */
};


static char *
virNetSocketFormatAddr(const struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (sa->sa_family == AF_UNIX) {
        const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
        if (len <= offsetof(struct sockaddr_un, sun_path) || un->sun_path[0] == '\0')
            return g_strdup("");
        return g_strndup(un->sun_path, len - offsetof(struct sockaddr_un, sun_path));
    }
    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return g_strdup("unknown");
    return g_strdup_printf("%s;%s", host, serv);
}


static int
virNetSocketPortOf(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)ss)->sin_port);
    if (ss->ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
    return 0;
}


/* Wrap fd, reading its addresses and (for UNIX) peer credentials. */
static virNetSocket *
virNetSocketWrap(int fd, bool listening)
{
    virNetSocket *sock;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (virSetNonBlock(fd) < 0 || virSetCloseExec(fd) < 0) {
        virReportSystemError(errno, "%s", "Unable to configure socket");
        VIR_FORCE_CLOSE(fd);
        return NULL;
    }

    sock = g_new0(virNetSocket, 1);
    sock->fd = fd;
    sock->listening = listening;

    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        sock->family = ss.ss_family == AF_UNIX ? VIR_NET_SOCKET_UNIX : VIR_NET_SOCKET_TCP;
        sock->localAddr = virNetSocketFormatAddr((struct sockaddr *)&ss, len);
        sock->port = virNetSocketPortOf(&ss);
    } else {
        sock->family = VIR_NET_SOCKET_UNIX;
        sock->localAddr = g_strdup("");
    }

    len = sizeof(ss);
    if (!listening && getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
        sock->remoteAddr = virNetSocketFormatAddr((struct sockaddr *)&ss, len);
    else
        sock->remoteAddr = g_strdup("");

    if (sock->family == VIR_NET_SOCKET_UNIX && !listening) {
        struct ucred cr;
        socklen_t crlen = sizeof(cr);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) == 0) {
            sock->hasCreds = true;
            sock->uid = cr.uid;
            sock->gid = cr.gid;
            sock->pid = cr.pid;
        }
    }
    if (sock->family == VIR_NET_SOCKET_TCP && !listening) {
        int on = 1;
        /* Small request/reply messages: never wait for Nagle. */
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) < 0)
            VIR_DEBUG("TCP_NODELAY failed: %s", g_strerror(errno));
    }
    return sock;
}


static int
virNetSocketFillUNIXAddr(const char *path, struct sockaddr_un *addr)
{
    memset(addr, 0, sizeof(*addr));
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(addr->sun_path)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "UNIX socket path '%s' too long", path);
        return -1;
    }
    strcpy(addr->sun_path, path);
    return 0;
}


virNetSocket *
virNetSocketNewListenUNIX(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
    struct sockaddr_un addr;
    g_autofree char *dir = g_path_get_dirname(path);
    virNetSocket *sock;
    int fd;

    if (virNetSocketFillUNIXAddr(path, &addr) < 0)
        return NULL;
    if (g_mkdir_with_parents(dir, 0755) < 0) {
        virReportSystemError(errno, "Cannot create directory '%s'", dir);
        return NULL;
    }
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", "Failed to create socket");
        return NULL;
    }
    /* A stale socket file from a previous run would make bind fail. The
     * caller holds the pid-file lock, so no live server owns it. */
    if (unlink(path) < 0 && errno != ENOENT) {
        virReportSystemError(errno, "Failed to remove stale socket '%s'", path);
        VIR_FORCE_CLOSE(fd);
        return NULL;
    }
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        virReportSystemError(errno, "Failed to bind socket to '%s'", path);
        VIR_FORCE_CLOSE(fd);
        return NULL;
    }
    if (chmod(path, mode) < 0) {
        virReportSystemError(errno, "Failed to set mode of '%s'", path);
        unlink(path);
        VIR_FORCE_CLOSE(fd);
        return NULL;
    }
    if ((uid != (uid_t)-1 || gid != (gid_t)-1) && chown(path, uid, gid) < 0) {
        virReportSystemError(errno, "Failed to change ownership of '%s'", path);
        unlink(path);
        VIR_FORCE_CLOSE(fd);
        return NULL;
    }
    if (!(sock = virNetSocketWrap(fd, true))) {
        unlink(path);
        return NULL;
    }
    g_free(sock->localAddr);
    sock->localAddr = g_strdup(path);
    sock->unlinkPath = g_strdup(path);
    return sock;
}


int
virNetSocketNewListenTCP(const char *host, const char *port,
                         virNetSocket ***socksret, size_t *nsocksret)
{
    struct addrinfo hints = { 0 }, *ai = NULL, *runp;
    g_autoptr(GPtrArray) socks = g_ptr_array_new();
    g_autofree char *boundPort = NULL;
    int rc, lastErrno = 0;
    bool addrInUse = false;

    hints.ai_flags = AI_PASSIVE | AI_ADDRCONFIG;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = AF_UNSPEC;
    if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
        /* AI_ADDRCONFIG hides loopback-only families on isolated hosts. */
        hints.ai_flags = AI_PASSIVE;
        if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
            virReportError(VIR_ERR_SYSTEM_ERROR, "Unable to resolve address '%s' service '%s': %s",
                           host ? host : "*", port, gai_strerror(rc));
            return -1;
        }
    }

    for (runp = ai; runp; runp = runp->ai_next) {
        struct sockaddr_storage ss;
        int fd, on = 1;
        virNetSocket *sock;

        memcpy(&ss, runp->ai_addr, runp->ai_addrlen);
        /* With port 0, bind later families to the port the first one got. */
        if (boundPort) {
            int p = atoi(boundPort);
            if (ss.ss_family == AF_INET)
                ((struct sockaddr_in *)&ss)->sin_port = htons(p);
            else if (ss.ss_family == AF_INET6)
                ((struct sockaddr_in6 *)&ss)->sin6_port = htons(p);
        }
        if ((fd = socket(runp->ai_family, runp->ai_socktype | SOCK_CLOEXEC,
                         runp->ai_protocol)) < 0) {
            if (errno == EAFNOSUPPORT)
                continue;
            lastErrno = errno;
            continue;
        }
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
            VIR_DEBUG("SO_REUSEADDR failed: %s", g_strerror(errno));
        if (runp->ai_family == AF_INET6 &&
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0)
            VIR_DEBUG("IPV6_V6ONLY failed: %s", g_strerror(errno));
        if (bind(fd, (struct sockaddr *)&ss, runp->ai_addrlen) < 0) {
            lastErrno = errno;
            if (errno == EADDRINUSE)
                addrInUse = true;
            VIR_FORCE_CLOSE(fd);
            continue;
        }
        if (!(sock = virNetSocketWrap(fd, true)))
            goto error;
        g_ptr_array_add(socks, sock);
        if (!boundPort && strcmp(port, "0") == 0)
            boundPort = g_strdup_printf("%d", sock->port);
    }
    freeaddrinfo(ai);
    ai = NULL;

    if (socks->len == 0) {
        virReportSystemError(lastErrno ? lastErrno : EADDRNOTAVAIL,
                             "Unable to bind to %s port %s%s", host ? host : "*", port,
                             addrInUse ? " (address in use)" : "");
        return -1;
    }
    *nsocksret = socks->len;
    *socksret = (virNetSocket **)g_ptr_array_steal(socks, NULL);
    return (int)*nsocksret;

 error:
    if (ai)
        freeaddrinfo(ai);
    for (guint i = 0; i < socks->len; i++)
        virNetSocketFree(g_ptr_array_index(socks, i));
    return -1;
}


int
virNetSocketListen(virNetSocket *sock, int backlog)
{
    if (listen(sock->fd, backlog > 0 ? backlog : SOMAXCONN) < 0) {
        virReportSystemError(errno, "%s", "Unable to listen on socket");
        return -1;
    }
    return 0;
}


virNetSocket *
virNetSocketNewConnectUNIX(const char *path)
{
    struct sockaddr_un addr;
    int fd;

    if (virNetSocketFillUNIXAddr(path, &addr) < 0)
        return NULL;
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", "Failed to create socket");
        return NULL;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        virReportSystemError(errno, "Failed to connect socket to '%s'", path);
        VIR_FORCE_CLOSE(fd);
        return NULL;
    }
    return virNetSocketWrap(fd, false);
}


virNetSocket *
virNetSocketNewConnectTCP(const char *host, const char *port)
{
    struct addrinfo hints = { 0 }, *ai = NULL, *runp;
    int rc, fd = -1, lastErrno = 0;

    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = AF_UNSPEC;
    if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
        virReportError(VIR_ERR_UNKNOWN_HOST, "Unable to resolve address '%s' service '%s': %s",
                       host, port, gai_strerror(rc));
        return NULL;
    }
    for (runp = ai; runp; runp = runp->ai_next) {
        if ((fd = socket(runp->ai_family, runp->ai_socktype | SOCK_CLOEXEC,
                         runp->ai_protocol)) < 0) {
            lastErrno = errno;
            continue;
        }
        if (connect(fd, runp->ai_addr, runp->ai_addrlen) == 0)
            break;
        lastErrno = errno;
        VIR_FORCE_CLOSE(fd);
    }
    freeaddrinfo(ai);
    if (fd < 0) {
        virReportSystemError(lastErrno ? lastErrno : ECONNREFUSED,
                             "unable to connect to server at '%s:%s'", host, port);
        return NULL;
    }
    return virNetSocketWrap(fd, false);
}


virNetSocket *
virNetSocketNewFD(int fd)
{
    return virNetSocketWrap(fd, false);
}


virNetSocket *
virNetSocketNewListenFD(int fd)
{
    virNetSocket *sock = virNetSocketWrap(fd, true);

    if (sock)
        sock->inherited = true;
    return sock;
}


int
virNetSocketNewPair(virNetSocket **a, virNetSocket **b)
{
    int sv[2];

    *a = *b = NULL;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        virReportSystemError(errno, "%s", "Unable to create socket pair");
        return -1;
    }
    if (!(*a = virNetSocketWrap(sv[0], false))) {
        VIR_FORCE_CLOSE(sv[1]);
        return -1;
    }
    if (!(*b = virNetSocketWrap(sv[1], false))) {
        virNetSocketFree(*a);
        *a = NULL;
        return -1;
    }
    return 0;
}


int
virNetSocketAccept(virNetSocket *sock, virNetSocket **client)
{
    int fd;

    *client = NULL;
    fd = accept4(sock->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        /* ECONNABORTED/EPROTO: the peer went away before we got to it. */
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED ||
            errno == EPROTO || errno == EINTR)
            return 0;
        int err = errno;

        virReportSystemError(err, "%s", "Unable to accept client");
        errno = err;    /* the caller backs off on EMFILE and friends */
        return -1;
    }
    if (!(*client = virNetSocketWrap(fd, false)))
        return -1;
    return 0;
}


void
virNetSocketFree(virNetSocket *sock)
{
    if (!sock)
        return;
    if (sock->unlinkPath)
        unlink(sock->unlinkPath);
    while (!g_queue_is_empty(&sock->recvFDs)) {
        int fd = GPOINTER_TO_INT(g_queue_pop_head(&sock->recvFDs));
        VIR_FORCE_CLOSE(fd);
    }
    virNetTLSSessionUnref(sock->tls);
    virNetSASLSessionUnref(sock->sasl);
    g_free(sock->saslWire);
    g_free(sock->saslPlain);
    VIR_FORCE_CLOSE(sock->fd);
    g_free(sock->unlinkPath);
    g_free(sock->localAddr);
    g_free(sock->remoteAddr);
    g_free(sock);
}


void
virNetSocketClose(virNetSocket *sock)
{
    if (sock && sock->fd >= 0 && !sock->inherited)
        shutdown(sock->fd, SHUT_RDWR);
}


int virNetSocketGetFD(virNetSocket *sock) { return sock->fd; }
virNetSocketFamily virNetSocketGetFamily(virNetSocket *sock) { return sock->family; }
bool virNetSocketIsLocal(virNetSocket *sock) { return sock->family == VIR_NET_SOCKET_UNIX; }
const char *virNetSocketLocalAddrString(virNetSocket *sock) { return sock->localAddr; }
const char *virNetSocketRemoteAddrString(virNetSocket *sock) { return sock->remoteAddr; }
int virNetSocketGetPort(virNetSocket *sock) { return sock->port; }
bool
virNetSocketHasPassFD(virNetSocket *sock)
{
    return sock->family == VIR_NET_SOCKET_UNIX && !sock->tls && !sock->saslLayer;
}


void
virNetSocketSetTLSSession(virNetSocket *sock, virNetTLSSession *sess)
{
    virNetTLSSessionUnref(sock->tls);
    sock->tls = virNetTLSSessionRef(sess);
    if (sess)
        virNetTLSSessionSetFD(sess, sock->fd);
}


void
virNetSocketSetSASLSession(virNetSocket *sock, virNetSASLSession *sess)
{
    int ssf = 0;

    if (sess && (ssf = virNetSASLSessionGetSSF(sess)) < 0) {
        /* A session that cannot say: assume a layer, so that a broken
         * one fails loudly instead of sending plaintext. */
        VIR_WARN("%s: %s", sock->remoteAddr, virGetLastErrorMessage());
        ssf = 1;
    }
    virNetSASLSessionUnref(sock->sasl);
    sock->sasl = sess ? virNetSASLSessionRef(sess) : NULL;
    sock->saslLayer = sess && ssf > 0;
    sock->saslEncoded = NULL;
    sock->saslEncodedLength = sock->saslEncodedOffset = sock->saslEncodedRawLength = 0;
    sock->saslDecoded = NULL;
    sock->saslDecodedLength = sock->saslDecodedOffset = 0;
    if (sock->saslLayer && !sock->saslWire)
        sock->saslWire = g_malloc(VIR_NET_SASL_BUFSIZE);
    VIR_DEBUG("%s: SASL session %p installed, SSF %d (%s)", sock->remoteAddr, sess, ssf,
              sock->saslLayer ? "layer on" : "no layer");
}


bool
virNetSocketHasSASLLayer(virNetSocket *sock)
{
    return sock->saslLayer;
}


bool
virNetSocketHasCachedData(virNetSocket *sock)
{
    if (sock->saslLayer && sock->saslDecodedOffset < sock->saslDecodedLength)
        return true;
    return sock->tls && virNetTLSSessionPending(sock->tls) > 0;
}


int
virNetSocketGetUNIXIdentity(virNetSocket *sock, uid_t *uid, gid_t *gid, pid_t *pid)
{
    if (!sock->hasCreds) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "peer credentials are only available on UNIX sockets");
        return -1;
    }
    if (uid)
        *uid = sock->uid;
    if (gid)
        *gid = sock->gid;
    if (pid)
        *pid = sock->pid;
    return 0;
}


/* recvmsg with room for fds; queue any received fd (they come one per
 * carrier byte, and the kernel ends a read right after such a byte). */
static ssize_t
virNetSocketRecvData(virNetSocket *sock, char *buf, size_t len)
{
    struct iovec iov = { .iov_base = buf, .iov_len = len };
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int) * VIR_NET_SOCKET_MAX_FDS_PER_READ)];
    } control;
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
                         .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
    struct cmsghdr *cmsg;
    ssize_t n;

    if (sock->family != VIR_NET_SOCKET_UNIX)
        return read(sock->fd, buf, len);

    n = recvmsg(sock->fd, &mh, MSG_CMSG_CLOEXEC);
    if (n <= 0)
        return n;
    for (cmsg = CMSG_FIRSTHDR(&mh); cmsg; cmsg = CMSG_NXTHDR(&mh, cmsg)) {
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
            size_t nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (size_t i = 0; i < nfds; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
                g_queue_push_tail(&sock->recvFDs, GINT_TO_POINTER(fd));
            }
        }
    }
    if (mh.msg_flags & MSG_CTRUNC)
        VIR_WARN("peer %s sent more file descriptors than expected; some were dropped",
                 sock->remoteAddr);
    return n;
}


/* Bytes from below the SASL layer: the TLS session or the fd. */
static ssize_t
virNetSocketReadWire(virNetSocket *sock, char *buf, size_t len, bool *eof)
{
    ssize_t n;

    if (sock->tls)
        return virNetTLSSessionRead(sock->tls, buf, len, eof);
 retry:
    n = virNetSocketRecvData(sock, buf, len);
    if (n > 0)
        return n;
    if (n == 0) {
        if (eof)
            *eof = true;
        virReportError(VIR_ERR_SYSTEM_ERROR, "%s", "End of file while reading data");
        return -1;
    }
    if (errno == EINTR)
        goto retry;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return 0;
    virReportSystemError(errno, "%s", "Cannot recv data");
    return -1;
}


/* Deliver decoded bytes; read and decode one wire chunk when none are
 * left. 0 when what arrived was only part of a packet (it stays inside
 * the session). */
static ssize_t
virNetSocketReadSASL(virNetSocket *sock, char *buf, size_t len, bool *eof)
{
    const char *out;
    size_t outlen, take;
    ssize_t n;

    if (sock->saslDecodedOffset == sock->saslDecodedLength) {
        n = virNetSocketReadWire(sock, sock->saslWire, VIR_NET_SASL_BUFSIZE, eof);
        if (n <= 0)
            return n;
        if (virNetSASLSessionDecode(sock->sasl, sock->saslWire, n, &out, &outlen) < 0)
            return -1;
        if (outlen == 0)
            return 0;
        sock->saslDecoded = out;
        sock->saslDecodedLength = outlen;
        sock->saslDecodedOffset = 0;
    }
    take = sock->saslDecodedLength - sock->saslDecodedOffset;
    if (take > len)
        take = len;
    memcpy(buf, sock->saslDecoded + sock->saslDecodedOffset, take);
    sock->saslDecodedOffset += take;
    if (sock->saslDecodedOffset == sock->saslDecodedLength) {
        sock->saslDecoded = NULL;
        sock->saslDecodedLength = sock->saslDecodedOffset = 0;
    }
    return take;
}


ssize_t
virNetSocketRead(virNetSocket *sock, char *buf, size_t len, bool *eof)
{
    if (eof)
        *eof = false;
    if (sock->saslLayer)
        return len ? virNetSocketReadSASL(sock, buf, len, eof) : 0;
    return virNetSocketReadWire(sock, buf, len, eof);
}


int
virNetSocketTakeFD(virNetSocket *sock)
{
    if (g_queue_is_empty(&sock->recvFDs)) {
        virReportError(VIR_ERR_RPC, "%s", "Expected a file descriptor from the peer, got none");
        return -1;
    }
    return GPOINTER_TO_INT(g_queue_pop_head(&sock->recvFDs));
}


ssize_t
virNetSocketWrite(virNetSocket *sock, const char *buf, size_t len)
{
    struct iovec iov = { .iov_base = (char *)buf, .iov_len = len };

    return virNetSocketWritev(sock, &iov, 1);
}


/* Bytes below the SASL layer: into the TLS session or the fd. */
static ssize_t
virNetSocketWritevWire(virNetSocket *sock, const struct iovec *iov, int iovcnt)
{
    struct msghdr mh = { .msg_iov = (struct iovec *)iov, .msg_iovlen = iovcnt };
    ssize_t n;

    if (sock->tls)
        return virNetTLSSessionWritev(sock->tls, iov, iovcnt);
 retry:
    n = sendmsg(sock->fd, &mh, MSG_NOSIGNAL);
    if (n >= 0)
        return n;
    if (errno == EINTR)
        goto retry;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return 0;
    virReportSystemError(errno, "%s", "Cannot write data");
    return -1;
}


/* One SASL packet at a time: encode up to GetMaxBufSize plaintext bytes
 * (gathered from the iovecs), then report them written only once the
 * whole packet is on the wire; until then 0 ("would block"), and the
 * caller offers the same bytes again, as for TLS. */
static ssize_t
virNetSocketWritevSASL(virNetSocket *sock, const struct iovec *iov, int iovcnt)
{
    struct iovec wire;
    ssize_t n;

    if (!sock->saslEncoded) {
        size_t max = virNetSASLSessionGetMaxBufSize(sock->sasl);
        const char *plain;
        size_t tosend = 0;
        int i = 0;

        while (i < iovcnt && iov[i].iov_len == 0)
            i++;
        if (i == iovcnt)
            return 0;
        if (iov[i].iov_len >= max || i + 1 == iovcnt) {
            plain = iov[i].iov_base;
            tosend = iov[i].iov_len < max ? iov[i].iov_len : max;
        } else {
            /* Several small pieces (pipelined replies): one packet. */
            if (!sock->saslPlain)
                sock->saslPlain = g_malloc(VIR_NET_SASL_BUFSIZE);
            if (max > VIR_NET_SASL_BUFSIZE)
                max = VIR_NET_SASL_BUFSIZE;
            for (; i < iovcnt && tosend < max; i++) {
                size_t take = iov[i].iov_len < max - tosend ? iov[i].iov_len : max - tosend;
                memcpy(sock->saslPlain + tosend, iov[i].iov_base, take);
                tosend += take;
            }
            plain = sock->saslPlain;
        }
        if (virNetSASLSessionEncode(sock->sasl, plain, tosend,
                                    &sock->saslEncoded, &sock->saslEncodedLength) < 0)
            return -1;
        sock->saslEncodedOffset = 0;
        sock->saslEncodedRawLength = tosend;
    }

    wire.iov_base = (char *)sock->saslEncoded + sock->saslEncodedOffset;
    wire.iov_len = sock->saslEncodedLength - sock->saslEncodedOffset;
    n = virNetSocketWritevWire(sock, &wire, 1);
    if (n <= 0)
        return n;
    sock->saslEncodedOffset += n;
    if (sock->saslEncodedOffset < sock->saslEncodedLength)
        return 0;
    n = sock->saslEncodedRawLength;
    sock->saslEncoded = NULL;
    sock->saslEncodedLength = sock->saslEncodedOffset = sock->saslEncodedRawLength = 0;
    return n;
}


ssize_t
virNetSocketWritev(virNetSocket *sock, const struct iovec *iov, int iovcnt)
{
    if (sock->saslLayer)
        return virNetSocketWritevSASL(sock, iov, iovcnt);
    return virNetSocketWritevWire(sock, iov, iovcnt);
}


int
virNetSocketSendFD(virNetSocket *sock, int fd)
{
    char byte = 0;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
                         .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
    struct cmsghdr *cmsg;

    if (!virNetSocketHasPassFD(sock)) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "Sending file descriptors is not supported on this socket");
        return -1;
    }
    memset(&control, 0, sizeof(control));
    cmsg = CMSG_FIRSTHDR(&mh);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
 retry:
    if (sendmsg(sock->fd, &mh, MSG_NOSIGNAL) < 0) {
        if (errno == EINTR)
            goto retry;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        virReportSystemError(errno, "Failed to send file descriptor %d", fd);
        return -1;
    }
    return 1;
}


int
virNetSocketRecvFD(virNetSocket *sock, int *fd)
{
    char byte;
    ssize_t n;

    *fd = -1;
    if (!virNetSocketHasPassFD(sock)) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "Receiving file descriptors is not supported on this socket");
        return -1;
    }
    if (g_queue_is_empty(&sock->recvFDs)) {
        bool eof;
        if ((n = virNetSocketRead(sock, &byte, 1, &eof)) <= 0)
            return n;
    }
    if ((*fd = virNetSocketTakeFD(sock)) < 0)
        return -1;
    return 1;
}
