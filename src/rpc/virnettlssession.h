/*
 * virnettlssession.h: one TLS session on a connected socket's fd.
 *
 * Non-blocking throughout. The handshake is a state machine the caller
 * drives: virNetTLSSessionHandshake() returns 1 while it needs more I/O,
 * and virNetTLSSessionGetHandshakeStatus() says which way (wait for the fd
 * to become readable, or writable). Once complete, virNetSocketRead/Write
 * go through the session (virNetSocketSetTLSSession).
 *
 * Buffered data: gnutls decrypts a whole record at a time; what the
 * caller did not take yet stays inside gnutls where poll() cannot see it.
 * virNetTLSSessionPending() tells; readers must drain it before waiting
 * on the fd again.
 *
 * Writes: when a write returns 0 (would block), gnutls keeps the record it
 * already encrypted; the next write must offer the same bytes again (at
 * least as many), which every caller of virNetSocketWrite does since it
 * advances only by what was reported written.
 *
 * Threading: no lock; the socket's owner serialises every call.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "virnettlscontext.h"

typedef enum {
    VIR_NET_TLS_HANDSHAKE_COMPLETE = 0,
    VIR_NET_TLS_HANDSHAKE_SENDING,     /* wait until the fd is writable */
    VIR_NET_TLS_HANDSHAKE_RECVING,     /* wait until the fd is readable */
} virNetTLSHandshakeStatus;

/* hostname: on a client, the name or address the server's certificate
 * must match (NULL: not checked). Takes a reference on ctxt. */
virNetTLSSession *virNetTLSSessionNew(virNetTLSContext *ctxt, const char *hostname);
virNetTLSSession *virNetTLSSessionRef(virNetTLSSession *sess);
void virNetTLSSessionUnref(virNetTLSSession *sess);

/* The connected fd the records travel on (not owned). */
void virNetTLSSessionSetFD(virNetTLSSession *sess, int fd);

/* 0 complete, 1 call again when the fd is ready (see status), -1 failed
 * (error reported). */
int virNetTLSSessionHandshake(virNetTLSSession *sess);
virNetTLSHandshakeStatus virNetTLSSessionGetHandshakeStatus(virNetTLSSession *sess);

/* > 0 bytes, 0 would block, -1 error or end of stream (*eof set on a
 * clean end, including a peer that closed without a TLS alert). */
ssize_t virNetTLSSessionRead(virNetTLSSession *sess, char *buf, size_t len, bool *eof);
/* > 0 bytes taken, 0 would block, -1 error. */
ssize_t virNetTLSSessionWrite(virNetTLSSession *sess, const char *buf, size_t len);
ssize_t virNetTLSSessionWritev(virNetTLSSession *sess, const struct iovec *iov, int iovcnt);
/* Decrypted bytes held inside gnutls. */
size_t virNetTLSSessionPending(virNetTLSSession *sess);
/* Send a close alert, without waiting (best effort). */
void virNetTLSSessionBye(virNetTLSSession *sess);

virNetTLSContext *virNetTLSSessionGetContext(virNetTLSSession *sess);
const char *virNetTLSSessionGetHostname(virNetTLSSession *sess);
gnutls_session_t virNetTLSSessionGetGnutls(virNetTLSSession *sess);
bool virNetTLSSessionIsServer(virNetTLSSession *sess);
/* The peer's DN once its certificate was checked, else NULL. */
const char *virNetTLSSessionGetPeerDN(virNetTLSSession *sess);
void virNetTLSSessionSetPeerDN(virNetTLSSession *sess, const char *dn);
/* Cipher key size in bytes (the SSF SASL builds on), or -1. */
int virNetTLSSessionGetKeySize(virNetTLSSession *sess);
