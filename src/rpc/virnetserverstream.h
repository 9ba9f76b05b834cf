/*
 * virnetserverstream.h: the server's end of one stream: bulk data and
 * consoles carried on the connection of calls (STREAM and STREAM_HOLE
 * messages, see virnet_protocol.x).
 *
 * Opening. A procedure that opens a stream makes one in its handler
 * (virNetServerStreamNew, from the call): it is registered on the client at
 * once, so that the client's STREAM messages with the call's serial reach
 * it. When the handler succeeds the dispatcher queues the reply and then
 * starts the stream (START to the owner): whatever the owner sends leaves
 * after the reply. When the handler or its reply fails, the stream is
 * cancelled (CLOSED to the owner, nothing on the wire).
 *
 * The owner (the daemon's stream glue) moves the data:
 *  - from the client: packets in order (data, holes, finish, abort) taken
 *    with virNetServerStreamRecv; a finish or an abort is answered with
 *    virNetServerStreamConfirm, which ends the stream;
 *  - to the client: virNetServerStreamSendData (or DataNew/DataSend to fill
 *    the message in place), SendHole, SendEOF, while CanSend says the
 *    window has room; a data stream ends with EOF, then the client's
 *    finish;
 *  - virNetServerStreamAbort ends it from our side with the calling
 *    thread's last error, which the client receives (STREAM / ERROR).
 *
 * Flow control: a window of VIR_NET_STREAM_WINDOW bytes each way.
 * Sending: CanSend is false while that much of the stream's data waits in
 * the client's transmit queue; the owner gets WRITABLE once it drained.
 * Receiving: while one stream holds a window of data its owner has not
 * taken, the client's socket is not read at all (its calls wait too), so a
 * client cannot make the server hold more than a window and one message
 * per stream. At most VIR_NET_SERVER_STREAMS_MAX streams per client.
 *
 * Events to the owner's handler: START from the dispatcher's thread;
 * INCOMING and WRITABLE from a zero-second timer on the client's loop;
 * CLOSED (the client went away or sent something the stream refuses, or
 * the call failed) from the thread that saw it. No lock is held. After
 * CLOSED the handler is not called again and nothing can be sent.
 *
 * Locking: st->lock guards the stream. The client's lock comes first
 * (client -> stream -> event loop): the client calls in with its lock held
 * to route messages and when it frees a sent message; the stream never
 * calls the client or the handler with its own lock held.
 *
 * References: the creator's; the call's until it is started or cancelled;
 * the client's registry until the stream ends; one per queued message;
 * the timer's.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "virevent.h"
#include "virnetmessage.h"
#include "virnetserverprogram.h"

#define VIR_NET_SERVER_STREAMS_MAX 64

typedef enum {
    VIR_NET_SERVER_STREAM_START = (1 << 0),      /* the reply is queued: go */
    VIR_NET_SERVER_STREAM_INCOMING = (1 << 1),   /* packets from the client wait */
    VIR_NET_SERVER_STREAM_WRITABLE = (1 << 2),   /* the send window has room again */
    VIR_NET_SERVER_STREAM_CLOSED = (1 << 3),     /* over: stop, release everything */
} virNetServerStreamEvent;

typedef void (*virNetServerStreamHandler)(virNetServerStream *st, int events, void *opaque);

typedef enum {
    VIR_NET_SERVER_STREAM_PACKET_DATA,     /* data and len */
    VIR_NET_SERVER_STREAM_PACKET_HOLE,     /* hole: bytes of zeroes not sent */
    VIR_NET_SERVER_STREAM_PACKET_FINISH,   /* answer with Confirm(0 or -1) */
    VIR_NET_SERVER_STREAM_PACKET_ABORT,    /* answer with Confirm */
} virNetServerStreamPacketType;

typedef struct {
    virNetServerStreamPacketType type;
    const char *data;
    size_t len;
    long long hole;
    virNetMessage *msg;    /* holds the data: virNetServerStreamPacketClear */
} virNetServerStreamPacket;

/* A stream for the call being handled (flow: virNetStreamFlow bits), or
 * NULL with an error (too many streams, the client closed). The call
 * keeps a reference until it is started or cancelled. */
virNetServerStream *virNetServerStreamNew(virNetServerCall *call, unsigned int flow);
virNetServerStream *virNetServerStreamRef(virNetServerStream *st);
void virNetServerStreamUnref(virNetServerStream *st);

/* The owner: set before the handler returns. ff frees opaque when the
 * stream is freed. */
void virNetServerStreamSetHandler(virNetServerStream *st, virNetServerStreamHandler handler,
                                  void *opaque, GDestroyNotify ff);
/* Holes (STREAM_HOLE) are allowed both ways: a sparse transfer. */
void virNetServerStreamSetAllowHoles(virNetServerStream *st, bool allow);
bool virNetServerStreamGetAllowHoles(virNetServerStream *st);
unsigned int virNetServerStreamGetFlow(virNetServerStream *st);
virEventLoop *virNetServerStreamGetLoop(virNetServerStream *st);

/* The dispatcher: after the reply was queued, or instead of starting. */
void virNetServerStreamStart(virNetServerStream *st);
void virNetServerStreamCancel(virNetServerStream *st);

/* The next packet from the client: 1 (pkt filled), 0 none queued. */
int virNetServerStreamRecv(virNetServerStream *st, virNetServerStreamPacket *pkt);
void virNetServerStreamPacketClear(virNetServerStreamPacket *pkt);

/* True while the send window has room. When false the owner gets
 * WRITABLE once it has. */
bool virNetServerStreamCanSend(virNetServerStream *st);
/* 0, or -1 with an error when the stream is over. */
int virNetServerStreamSendData(virNetServerStream *st, const char *data, size_t len);
/* A data message with room for len (<= VIR_NET_STREAM_CHUNK) bytes at
 * *buf; DataSend queues it with the first `used` (> 0) of them, or frees
 * it (used 0). NULL / -1 with an error. */
virNetMessage *virNetServerStreamDataNew(virNetServerStream *st, size_t len, char **buf);
int virNetServerStreamDataSend(virNetServerStream *st, virNetMessage *msg, size_t used);
int virNetServerStreamSendHole(virNetServerStream *st, long long length);
int virNetServerStreamSendEOF(virNetServerStream *st);

/* Answer the client's finish or abort: rc 0 sends OK, rc < 0 the calling
 * thread's last error. The stream is over. */
int virNetServerStreamConfirm(virNetServerStream *st, int rc);
/* End the stream with the calling thread's last error (the client gets
 * it). No CLOSED event follows. Does nothing on a stream that is over. */
void virNetServerStreamAbort(virNetServerStream *st);
bool virNetServerStreamIsClosed(virNetServerStream *st);

/* ---- for virNetServerClient ---- */
bool virNetServerStreamMatches(virNetServerStream *st, const virNetMessageHeader *hdr);
/* A STREAM or STREAM_HOLE message for st (ownership taken), called with
 * the client's lock held. Returns 1 when the stream became full, -1 when
 * it stopped being full, 0 otherwise: the client counts full streams. */
int virNetServerStreamPushLocked(virNetServerStream *st, virNetMessage *msg);
/* The client closed (no client lock held): CLOSED to the owner. */
void virNetServerStreamClientClosed(virNetServerStream *st);
