/*
 * virnetclientstream.h: the client's end of one stream (see
 * virnet_protocol.x for the messages, virnetserverstream.h for the
 * server's end).
 *
 * A stream is created unbound; the call that opens it binds it
 * (virNetClientProgramCallStream: the call's serial, registered on the
 * client before the call goes out, so that data right behind the reply
 * finds it). Then:
 *  - Send: one data message (at most VIR_NET_STREAM_CHUNK bytes) per call.
 *    Blocking: returns once the message is written. Non-blocking: queued;
 *    -2 while a window of the stream's data waits to be written.
 *  - Recv: data the server sent, 0 at its end of data; -2 when nothing is
 *    there (non-blocking); holes read as zeroes, or -3 with stopAtHole
 *    (then RecvHole says how long the hole is).
 *  - SendHole / RecvHole: sparse streams.
 *  - Finish / Abort: the closing handshake (STREAM OK or ERROR, answered
 *    by the server's confirmation); the stream leaves the client.
 * An error the server sent (STREAM / ERROR) is kept: every later operation
 * reports it. The connection's end is such an error too.
 *
 * Flow control: received data is held per stream. While a stream holds a
 * window (VIR_NET_STREAM_WINDOW), the event loop stops reading the
 * connection; a thread waiting for a reply or a stream still reads (it
 * must reach its answer), so a stream the application neglects can grow
 * beyond that while other calls run, up to VIR_NET_CLIENT_STREAM_RX_MAX:
 * then the stream is aborted with an error rather than held without bound.
 *
 * Events (for non-blocking use): READABLE (data, end, error), WRITABLE
 * (room in the window), ERROR, HANGUP (the server ended the stream or the
 * connection died): the values of virEventHandleType, which are libvirt's
 * virStreamEventType. Delivered from a zero-second timer on the client's
 * event loop, level-triggered, without locks.
 *
 * Locking: st->lock guards the stream. The client's lock comes first
 * (client -> stream -> event loop): the client routes messages to the
 * stream with its own lock held; the stream calls the client only without
 * its own lock.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "virnetmessage.h"
#include "virnetclientprogram.h"
#include "virevent.h"

typedef struct _virNetClientStream virNetClientStream;

/* The most received data a stream may hold before it is aborted. */
#define VIR_NET_CLIENT_STREAM_RX_MAX (32 * 1024 * 1024)

typedef void (*virNetClientStreamEventFunc)(virNetClientStream *st, int events, void *opaque);

/* flow: virNetStreamFlow bits; holes: a sparse stream. */
virNetClientStream *virNetClientStreamNew(unsigned int flow, bool holes);
virNetClientStream *virNetClientStreamRef(virNetClientStream *st);
void virNetClientStreamUnref(virNetClientStream *st);

/* Bytes sent (> 0), -2 would block (nonblock), -1 error. */
int virNetClientStreamSend(virNetClientStream *st, const char *data, size_t nbytes,
                           bool nonblock);
/* Bytes received (> 0), 0 at the end of data, -2 would block, -3 at a
 * hole (stopAtHole), -1 error. */
int virNetClientStreamRecv(virNetClientStream *st, char *data, size_t nbytes,
                           bool nonblock, bool stopAtHole);
int virNetClientStreamSendHole(virNetClientStream *st, long long length);
/* The hole at the read position (0 when in data); consumes it. */
int virNetClientStreamRecvHole(virNetClientStream *st, long long *length);
int virNetClientStreamFinish(virNetClientStream *st);
/* Abort a stream that is open; a stream already ended (an error, a
 * finish) is only released. */
int virNetClientStreamAbort(virNetClientStream *st);
/* Release without waiting: an open stream is aborted in the background. */
void virNetClientStreamClose(virNetClientStream *st);

int virNetClientStreamEventAddCallback(virNetClientStream *st, int events,
                                       virNetClientStreamEventFunc cb, void *opaque,
                                       virFreeCallback ff);
int virNetClientStreamEventUpdateCallback(virNetClientStream *st, int events);
int virNetClientStreamEventRemoveCallback(virNetClientStream *st);

/* ---- for virNetClient and virNetClientProgram ---- */
/* -1 when st was used before (a stream serves one call). */
int virNetClientStreamBind(virNetClientStream *st, virNetClient *client,
                           const virNetMessageHeader *call);
/* Forget the binding after the opening call failed. */
void virNetClientStreamUnbind(virNetClientStream *st);
bool virNetClientStreamMatches(virNetClientStream *st, const virNetMessageHeader *hdr);
/* A call opened it (the stream cannot serve another). */
bool virNetClientStreamIsBound(virNetClientStream *st);
/* Called with the client's lock held: */
typedef enum {
    VIR_NET_CLIENT_STREAM_QUEUED = 0,
    VIR_NET_CLIENT_STREAM_FULL,         /* became full: the client counts it */
    VIR_NET_CLIENT_STREAM_OVERFLOW,     /* aborted locally: tell the server */
} virNetClientStreamQueueResult;
virNetClientStreamQueueResult virNetClientStreamQueuePacketLocked(virNetClientStream *st,
                                                                  virNetMessage *msg);
void virNetClientStreamSetErrorLocked(virNetClientStream *st, const virError *err);
void virNetClientStreamSetClosedLocked(virNetClientStream *st);
/* Something for a reader: data, a hole, the end, an error, closed. */
bool virNetClientStreamHasEventLocked(virNetClientStream *st);
/* Over: an error, or closed. */
bool virNetClientStreamIsDoneLocked(virNetClientStream *st);
/* The client drops its count of this stream: whether it was full. */
bool virNetClientStreamForgetFullLocked(virNetClientStream *st);
/* The abort message of a stream (for the overflow). */
virNetMessage *virNetClientStreamAbortMessage(virNetClientStream *st);
