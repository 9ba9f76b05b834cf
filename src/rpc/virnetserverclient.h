/*
 * virnetserverclient.h: the server's end of one client connection.
 *
 * The client's I/O runs on the I/O thread of the loop it was attached to:
 * reading complete messages, handing each to the server's dispatch
 * callback, writing the transmit queue. Replies may be queued from any
 * thread; when the queue was empty the reply is written at once from the
 * queuing thread and only a remainder waits for the loop.
 *
 * At most max_client_requests calls per client are in flight: when the
 * limit is reached the client's socket is not read until a reply is queued.
 *
 * Delayed close: virNetServerClientDelayedClose() stops reading and closes
 * the connection once every call in flight has been answered and every
 * queued message has been written.
 *
 * Locking: one mutex per client for its queues and state. The dispatch and
 * close callbacks run without it. References: the server holds one; each
 * job in flight holds one.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "virnetsocket.h"
#include "virnettlscontext.h"
#include "virnetmessage.h"
#include "virevent.h"

typedef struct _virNetServerClient virNetServerClient;

typedef enum {
    VIR_NET_SERVER_SERVICE_AUTH_NONE = 0,
    VIR_NET_SERVER_SERVICE_AUTH_SASL = 2,   /* REMOTE_AUTH_SASL */
    VIR_NET_SERVER_SERVICE_AUTH_POLKIT = 3, /* REMOTE_AUTH_POLKIT */
} virNetServerServiceAuth;

/* A complete, header-decoded message arrived. Takes ownership of msg.
 * Runs on the I/O thread without the client lock held. */
typedef void (*virNetServerClientDispatchFunc)(virNetServerClient *client,
                                               virNetMessage *msg,
                                               void *opaque);
typedef void (*virNetServerClientCloseFunc)(virNetServerClient *client, void *opaque);
typedef void (*virNetServerClientFreeFunc)(void *data);

virNetServerClient *virNetServerClientNew(unsigned long long id,
                                          virNetSocket *sock,
                                          int auth,
                                          bool readonly,
                                          size_t nrequests_max);
/* A client that first does a TLS handshake with the server context tls
 * (none when NULL), then has its certificate checked and gets libvirt's
 * confirmation byte before any RPC. NULL on error (sock is freed). */
virNetServerClient *virNetServerClientNewTLS(unsigned long long id,
                                             virNetSocket *sock,
                                             int auth,
                                             bool readonly,
                                             size_t nrequests_max,
                                             virNetTLSContext *tls);
/* Close a TLS client whose handshake is not done this many seconds after
 * virNetServerClientInit (0: never). Set before Init. */
void virNetServerClientSetHandshakeTimeout(virNetServerClient *client, int seconds);
/* Until it authenticates (services with auth): the largest message it may
 * send, and the bytes of partial and queued messages it may make the
 * server hold. Beyond either it is closed. 0: no limit beyond the
 * protocol's. */
void virNetServerClientSetPreauthLimits(virNetServerClient *client, size_t messageMax,
                                        size_t bufferMax);
virNetServerClient *virNetServerClientRef(virNetServerClient *client);
void virNetServerClientUnref(virNetServerClient *client);

/* Start I/O on loop. dispatch gets every non-keepalive message. */
int virNetServerClientInit(virNetServerClient *client, virEventLoop *loop,
                           virNetServerClientDispatchFunc dispatch,
                           void *opaque);

unsigned long long virNetServerClientGetID(virNetServerClient *client);
int virNetServerClientGetAuth(virNetServerClient *client);
void virNetServerClientSetAuthenticated(virNetServerClient *client);
bool virNetServerClientIsAuthenticated(virNetServerClient *client);
bool virNetServerClientGetReadonly(virNetServerClient *client);
bool virNetServerClientIsLocal(virNetServerClient *client);
bool virNetServerClientHasTLSSession(virNetServerClient *client);
/* The TLS cipher's key size in bytes, -1 without TLS. */
int virNetServerClientGetTLSKeySize(virNetServerClient *client);
/* TLS, a UNIX socket or an active SASL layer: libvirt's "secure" (no SSF
 * needed from SASL). */
bool virNetServerClientIsSecure(virNetServerClient *client);

/* A completed SASL exchange: the session (a reference is taken) goes
 * under the socket once the next message, the final auth reply, has been
 * completely written; username is the authenticated identity (copied). */
typedef struct _virNetSASLSession virNetSASLSession;
void virNetServerClientSetSASLSession(virNetServerClient *client, virNetSASLSession *sess,
                                      const char *username);
/* The SASL username once authenticated that way, else NULL. Valid as long
 * as the client. */
const char *virNetServerClientGetSASLUsername(virNetServerClient *client);
/* The client certificate's DN once the TLS check passed, else NULL. */
const char *virNetServerClientGetTLSPeerDN(virNetServerClient *client);
int virNetServerClientGetUNIXIdentity(virNetServerClient *client,
                                      uid_t *uid, gid_t *gid, pid_t *pid);
const char *virNetServerClientRemoteAddrString(virNetServerClient *client);

/* When the connection was accepted, in seconds since the epoch. */
long long virNetServerClientGetTimestamp(virNetServerClient *client);

/* How the client is connected: libvirt's virClientTransport numbers. */
typedef enum {
    VIR_NET_SERVER_CLIENT_TRANS_UNIX = 0,
    VIR_NET_SERVER_CLIENT_TRANS_TCP = 1,
    VIR_NET_SERVER_CLIENT_TRANS_TLS = 2,
} virNetServerClientTransport;
virNetServerClientTransport virNetServerClientGetTransport(virNetServerClient *client);

/* Counters kept for every client (under its lock, on the I/O paths that
 * hold it anyway): RPC bytes read and written (messages with their length
 * words; TLS or SASL framing not counted), calls received, calls in flight. */
typedef struct {
    unsigned long long bytesRx;
    unsigned long long bytesTx;
    unsigned long long calls;
    unsigned long long inflight;
} virNetServerClientStats;
void virNetServerClientGetStats(virNetServerClient *client, virNetServerClientStats *stats);
const char *virNetServerClientLocalAddrString(virNetServerClient *client);
virEventLoop *virNetServerClientGetLoop(virNetServerClient *client);

/* Private data for the program layer (e.g. the daemon's connection). */
void virNetServerClientSetPrivateData(virNetServerClient *client, void *data,
                                      virNetServerClientFreeFunc ff);
void *virNetServerClientGetPrivateData(virNetServerClient *client);

/* Called (once) when the connection closes, before the close hook, without
 * the client lock: the program layer releases what refers back to the
 * client (event registrations) here, so no reference cycle outlives it. */
typedef void (*virNetServerClientPrivateCloseFunc)(virNetServerClient *client, void *data);
void virNetServerClientSetPrivateDataCloseFunc(virNetServerClient *client,
                                               virNetServerClientPrivateCloseFunc cf);

/* Called (once) when the connection closes, without the client lock. */
void virNetServerClientSetCloseHook(virNetServerClient *client,
                                    virNetServerClientCloseFunc cf, void *opaque);

/* Queue an encoded message (takes ownership). A tracked message is a reply
 * and releases one request slot. Returns -1 when the client is closed
 * (msg is freed). */
int virNetServerClientSendMessage(virNetServerClient *client, virNetMessage *msg);

/* Release a request slot without sending (a call answered by nothing). */
void virNetServerClientRequestDone(virNetServerClient *client);

/* Keepalive. Started on request (the remote program does it when the client
 * announces keepalive support) or by the server for every client. */
int virNetServerClientInitKeepAlive(virNetServerClient *client, int interval,
                                    unsigned int count);
int virNetServerClientStartKeepAlive(virNetServerClient *client);

void virNetServerClientClose(virNetServerClient *client);
void virNetServerClientDelayedClose(virNetServerClient *client);
bool virNetServerClientIsClosed(virNetServerClient *client);
bool virNetServerClientWantsClose(virNetServerClient *client);

/* Streams (virnetserverstream.h) register here so that the client's
 * STREAM and STREAM_HOLE messages are routed to them as they are read (they
 * take no request slot). AddStream fails beyond VIR_NET_SERVER_STREAMS_MAX
 * or on a closed client. RemoveStream: drained says the stream was counted
 * full. StreamDrained: a full stream's owner consumed it below its window,
 * reading may resume. */
typedef struct _virNetServerStream virNetServerStream;
int virNetServerClientAddStream(virNetServerClient *client, virNetServerStream *st);
void virNetServerClientRemoveStream(virNetServerClient *client, virNetServerStream *st,
                                    bool drained);
void virNetServerClientStreamDrained(virNetServerClient *client);
size_t virNetServerClientStreamCount(virNetServerClient *client);

/* Stop / resume reading new calls (graceful shutdown). */
void virNetServerClientSetQuiesce(virNetServerClient *client, bool quiesce);
/* Bytes queued for sending and calls in flight (tests, shutdown). */
size_t virNetServerClientQueuedBytes(virNetServerClient *client);
size_t virNetServerClientRequestsInFlight(virNetServerClient *client);
