/*
 * virnetsocket.h: a connected or listening socket (UNIX or TCP).
 *
 * All sockets are non-blocking and close-on-exec. Read and write go through
 * virNetSocketRead/Write so that the TLS and SASL layers can sit between the
 * RPC code and the fd later without touching their callers.
 *
 * Threading: a socket has no lock; its owner (server client, client, or
 * service) serialises access.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "virevent.h"

typedef struct _virNetSocket virNetSocket;

typedef enum {
    VIR_NET_SOCKET_UNIX = 1,
    VIR_NET_SOCKET_TCP,
} virNetSocketFamily;

/* Listen on a UNIX path (stale socket file removed; mode applied; a parent
 * directory is created with 0755 when missing). */
virNetSocket *virNetSocketNewListenUNIX(const char *path, mode_t mode,
                                        uid_t uid, gid_t gid);
/* Listen on host:port for every address the name resolves to (IPv4 and
 * IPv6, v6-only set on IPv6). host NULL means all addresses. port "0" picks
 * a free port (same one on all families where possible). Returns the
 * number of sockets in *socks (>= 1) or -1. */
int virNetSocketNewListenTCP(const char *host, const char *port,
                             virNetSocket ***socks, size_t *nsocks);
/* Connect (blocking connect, then switched to non-blocking). */
virNetSocket *virNetSocketNewConnectUNIX(const char *path);
virNetSocket *virNetSocketNewConnectTCP(const char *host, const char *port);
/* Wrap an already connected fd (takes ownership). */
virNetSocket *virNetSocketNewFD(int fd);
/* Wrap a listening fd handed over by another process (systemd's socket
 * activation; takes ownership of the fd). That process keeps the same
 * socket, so virNetSocketClose leaves it listening for the next activation
 * and freeing only closes our descriptor. */
virNetSocket *virNetSocketNewListenFD(int fd);
/* A connected socketpair, for tests and helper processes. */
int virNetSocketNewPair(virNetSocket **a, virNetSocket **b);

/* Accept one pending client: 0 with *client set, 0 with *client NULL when
 * nothing was pending (EAGAIN), -1 on error. */
int virNetSocketAccept(virNetSocket *sock, virNetSocket **client);
int virNetSocketListen(virNetSocket *sock, int backlog);

void virNetSocketFree(virNetSocket *sock);
/* Shut down both directions without freeing (wakes a peer). Not for a
 * socket from virNetSocketNewListenFD: it only stops being watched. */
void virNetSocketClose(virNetSocket *sock);

int virNetSocketGetFD(virNetSocket *sock);
virNetSocketFamily virNetSocketGetFamily(virNetSocket *sock);
bool virNetSocketIsLocal(virNetSocket *sock);
/* "127.0.0.1;4321", "::1;4321" or the UNIX path (or "" when unnamed). */
const char *virNetSocketLocalAddrString(virNetSocket *sock);
const char *virNetSocketRemoteAddrString(virNetSocket *sock);
int virNetSocketGetPort(virNetSocket *sock);
/* UNIX peer credentials, read at accept/connect time. -1 when not UNIX. */
int virNetSocketGetUNIXIdentity(virNetSocket *sock, uid_t *uid, gid_t *gid,
                                pid_t *pid);

/* Returns bytes moved (> 0), 0 when the call would block, -1 on error
 * or end of file (an error is reported; *eof is set on a clean EOF). */
ssize_t virNetSocketRead(virNetSocket *sock, char *buf, size_t len, bool *eof);
ssize_t virNetSocketWrite(virNetSocket *sock, const char *buf, size_t len);
ssize_t virNetSocketWritev(virNetSocket *sock, const struct iovec *iov, int iovcnt);

/* fd passing. Each fd travels with one carrier byte in the stream.
 * SendFD: 1 sent, 0 would block, -1 error.
 * Reads on UNIX sockets always use recvmsg with room for fds, so an fd that
 * arrives inside a bulk read is queued in the socket (the kernel would
 * otherwise close it) and its carrier byte is part of the data returned:
 * a reader that consumes a carrier byte from its buffer takes the fd with
 * virNetSocketTakeFD(). RecvFD reads exactly one carrier byte and returns
 * its fd: 1 received, 0 would block, -1 error. */
int virNetSocketSendFD(virNetSocket *sock, int fd);
int virNetSocketRecvFD(virNetSocket *sock, int *fd);
/* Next queued received fd (caller owns it), or -1 with an error when none. */
int virNetSocketTakeFD(virNetSocket *sock);
bool virNetSocketHasPassFD(virNetSocket *sock);

/* True when a layer below (TLS, SASL) holds decoded bytes that poll()
 * cannot see: a reader must drain them before waiting on the fd. */
bool virNetSocketHasCachedData(virNetSocket *sock);

/* Route Read/Write through a TLS session (takes a reference; NULL
 * removes it). Call once the session's handshake is done, or before it
 * starts and drive the handshake with the session's own functions: until
 * it completes, nobody may read or write the socket. fd passing is off
 * on a TLS socket. */
typedef struct _virNetTLSSession virNetTLSSession;
void virNetSocketSetTLSSession(virNetSocket *sock, virNetTLSSession *sess);

/* Route Read/Write through a SASL session's security layer (takes a
 * reference; NULL removes it). Call once the exchange is complete and
 * before any byte protected by the layer moves. When the session
 * negotiated an SSF > 0: writes are cut into pieces of at most
 * virNetSASLSessionGetMaxBufSize() bytes, each encoded into one packet;
 * a packet only partly written stays in the socket, Write reports 0
 * until all of it is out and then the plaintext length it carries (the
 * caller offers the same bytes again meanwhile, as for TLS). Reads decode
 * what the wire brought; decoded bytes the caller's buffer did not take
 * stay in the socket and virNetSocketHasCachedData() reports them. A read
 * that brought only part of a packet returns 0. With SSF 0 (TLS, UNIX)
 * SASL passes bytes unchanged, so the socket does not go through it.
 * Works above TLS. fd passing is off while a layer is active. */
typedef struct _virNetSASLSession virNetSASLSession;
void virNetSocketSetSASLSession(virNetSocket *sock, virNetSASLSession *sess);
/* A SASL session with SSF > 0 wraps the bytes. */
bool virNetSocketHasSASLLayer(virNetSocket *sock);
