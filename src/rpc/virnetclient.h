/*
 * virnetclient.h: the client end of one connection.
 *
 * Many threads may call virNetClientSendWithReply() at once. Each call is
 * queued; one waiting thread at a time owns the socket and does the I/O for
 * all of them (sending queued calls, matching replies to callers by serial);
 * when its own reply arrives it hands the socket over to another waiter.
 * When no call is in progress and an event loop is attached, the loop
 * watches the socket instead. Event messages (type MESSAGE) are queued and
 * dispatched to their program from a zero-second timer on that loop, never
 * from inside a call. Keepalive PINGs from the server are answered by
 * whoever owns the socket.
 *
 * Locking: one mutex per client guards all of its state; program event
 * callbacks and the close callback run without it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "virnetsocket.h"
#include "virnettlscontext.h"
#include "virnetmessage.h"
#include "virnetclientprogram.h"
#include "virevent.h"

typedef void (*virNetClientCloseFunc)(virNetClient *client, int reason, void *opaque);

typedef enum {
    VIR_NET_CLIENT_CLOSE_EOF = 0,       /* the server closed */
    VIR_NET_CLIENT_CLOSE_ERROR,         /* I/O or protocol error */
    VIR_NET_CLIENT_CLOSE_KEEPALIVE,     /* the server stopped answering */
    VIR_NET_CLIENT_CLOSE_CLIENT,        /* we closed */
} virNetClientCloseReason;

virNetClient *virNetClientNewUNIX(const char *path);
virNetClient *virNetClientNewTCP(const char *host, const char *port);
virNetClient *virNetClientNewSocket(virNetSocket *sock); /* takes ownership */
/* TCP, then TLS as virNetClientSetTLSSession(client, ctxt, host). */
virNetClient *virNetClientNewTLS(const char *host, const char *port, virNetTLSContext *ctxt);

/* Before the first message: TLS handshake with a client context, check of
 * the server's certificate (which must match hostname, a name or IP
 * address; NULL skips that check), then the server's confirmation byte as
 * libvirt's daemon sends it (1: our certificate was accepted; a closed
 * connection: refused). Blocks. -1 with an error: the client is closed. */
int virNetClientSetTLSSession(virNetClient *client, virNetTLSContext *ctxt,
                              const char *hostname);
/* TLS, or a SASL layer with SSF > 0. */
bool virNetClientIsEncrypted(virNetClient *client);
/* The TLS cipher's key size in bytes; 0 without TLS, -1 on error. */
int virNetClientGetTLSKeySize(virNetClient *client);
/* A UNIX socket. */
bool virNetClientIsLocal(virNetClient *client);
/* The socket's addresses ("IP;PORT", or the UNIX path). */
const char *virNetClientLocalAddrString(virNetClient *client);
const char *virNetClientRemoteAddrString(virNetClient *client);

/* After a completed SASL exchange (made with ordinary calls): every later
 * byte goes through the session's security layer (a reference is taken;
 * with SSF 0 nothing changes on the wire). Call right after the final
 * reply was processed, with no call in flight. -1 with an error. */
typedef struct _virNetSASLSession virNetSASLSession;
int virNetClientSetSASLSession(virNetClient *client, virNetSASLSession *sess);

virNetClient *virNetClientRef(virNetClient *client);
void virNetClientUnref(virNetClient *client);

/* Attach the loop that watches the socket between calls and runs event
 * dispatch and keepalive timers. Without one, events are queued and only
 * dispatched once a loop is attached. */
int virNetClientAttachLoop(virNetClient *client, virEventLoop *loop);

int virNetClientAddProgram(virNetClient *client, virNetClientProgram *prog);

/* Next serial number for a call (thread-safe, starts at 1). */
unsigned int virNetClientNewSerial(virNetClient *client);

/* Send msg (a fully encoded CALL) and wait for the reply, which replaces
 * the contents of msg. Returns 0 when a reply (OK or ERROR status) arrived,
 * -1 when the connection failed first, or when the reply timeout passed
 * (VIR_ERR_OPERATION_TIMEOUT; the connection stays open and a late reply
 * is dropped). */
int virNetClientSendWithReply(virNetClient *client, virNetMessage *msg);
/* How long later calls wait for their reply, in ms (-1: no limit, the
 * default; 0: only what is already there). For peers that may hang (a
 * guest agent): the connection survives a timeout. */
void virNetClientSetReplyTimeout(virNetClient *client, int ms);
/* Refuse (as a protocol error that closes the connection) any incoming
 * message longer than bytes, length word included, before anything is
 * allocated for it; 0: the protocol's maximum (the default). */
void virNetClientSetMessageMax(virNetClient *client, size_t bytes);
/* A peer that is not trusted to behave (a guest agent): an event no
 * program of ours handles, or more than VIR_NET_CLIENT_STRICT_EVENTS_MAX
 * events waiting for dispatch, is a protocol error that closes the
 * connection (instead of being dropped, or queued without bound). */
#define VIR_NET_CLIENT_STRICT_EVENTS_MAX 256
void virNetClientSetStrict(virNetClient *client, bool strict);

/* Send a message that expects no reply (event, keepalive, stream data).
 * Takes ownership of msg. Blocks until it is written when nonblock is false. */
int virNetClientSendNoReply(virNetClient *client, virNetMessage *msg, bool nonblock);

/* Streams (virnetclientstream.h). A stream registers before the call that
 * opens it is sent, and leaves after its finish or abort. SendStream takes
 * msg: NONBLOCK queues it; BLOCK returns once it is written; CLOSE (a
 * finish or abort) returns once the server confirmed or the stream ended
 * otherwise. WaitStream returns when the stream has something for a
 * reader (data, a hole, its end, an error), reading the socket itself if
 * no other thread does. StreamDrained: a stream the client counted full
 * was read below its window. -1 when the connection closed. */
typedef struct _virNetClientStream virNetClientStream;
typedef enum {
    VIR_NET_CLIENT_STREAM_SEND_NONBLOCK,
    VIR_NET_CLIENT_STREAM_SEND_BLOCK,
    VIR_NET_CLIENT_STREAM_SEND_CLOSE,
} virNetClientStreamSendMode;
int virNetClientAddStream(virNetClient *client, virNetClientStream *st);
void virNetClientRemoveStream(virNetClient *client, virNetClientStream *st);
int virNetClientSendStream(virNetClient *client, virNetClientStream *st, virNetMessage *msg,
                           virNetClientStreamSendMode mode);
int virNetClientWaitStream(virNetClient *client, virNetClientStream *st);
void virNetClientStreamDrained(virNetClient *client);
/* The attached loop, or NULL. */
virEventLoop *virNetClientGetLoop(virNetClient *client);

/* Keepalive: ping after `interval` seconds without traffic, close the
 * connection after `count` unanswered pings. Needs an attached loop. */
int virNetClientKeepAliveStart(virNetClient *client, int interval, unsigned int count);
void virNetClientKeepAliveStop(virNetClient *client);

void virNetClientSetCloseCallback(virNetClient *client, virNetClientCloseFunc cb,
                                  void *opaque, virFreeCallback ff);
/* Close the connection: waiting calls fail, the close callback runs once. */
void virNetClientClose(virNetClient *client);
bool virNetClientIsOpen(virNetClient *client);

/* Number of event messages received and not yet dispatched (tests). */
size_t virNetClientPendingEvents(virNetClient *client);
