/*
 * virnetmessage.h: one RPC message: length word, header, payload, fds.
 *
 * Wire layout (all XDR, big-endian):
 *   u_int length            whole message, length word included (>= 28)
 *   virNetMessageHeader     prog, vers, proc, type, serial, status (24 bytes)
 *   [u_int nfds]            only for CALL_WITH_FDS / REPLY_WITH_FDS
 *   payload                 args, ret, event data, error or stream bytes
 * The fds themselves follow the message on a UNIX socket, one per sendmsg.
 *
 * Ownership: a message belongs to whoever holds the pointer; queues link
 * messages through ->next. Buffers of outgoing messages start at
 * VIR_NET_MESSAGE_INITIAL bytes and grow by 4x up to VIR_NET_MESSAGE_MAX;
 * incoming buffers are sized from the length word, after it was checked.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <rpc/rpc.h>

#include "virnet_protocol.h"
#include "virerror.h"

typedef struct _virNetMessage virNetMessage;
typedef void (*virNetMessageFreeCallback)(virNetMessage *msg, void *opaque);

struct _virNetMessage {
    bool tracked;          /* counts against the client's request limit */

    char *buffer;          /* length word + header + payload */
    size_t bufferLength;   /* bytes valid (decode) or to send (encode) */
    size_t bufferOffset;   /* decode/encode/send position */
    size_t bufferCapacity; /* bytes allocated (0: unknown, freed plainly) */

    virNetMessageHeader header;

    int *fds;
    size_t nfds;
    size_t donefds;        /* fds already sent / received */

    virNetMessageFreeCallback cb;   /* run by virNetMessageFree */
    void *opaque;

    virNetMessage *next;
};

virNetMessage *virNetMessageNew(bool tracked);
/* Free buffer and fds, reset to an empty message; keeps ->tracked. */
void virNetMessageClear(virNetMessage *msg);
void virNetMessageFree(virNetMessage *msg);

/* Keep only the bytes still to send (an encoded message that waits in a
 * queue), returning its large encode buffer for reuse by this thread. */
void virNetMessageShrink(virNetMessage *msg);

/* Append: walks the queue, so only for short queues; a long-lived queue
 * keeps its own tail pointer. */
void virNetMessageQueuePush(virNetMessage **queue, virNetMessage *msg);
/* Free every message of a queue, in one pass. */
void virNetMessageQueueFree(virNetMessage *queue);
virNetMessage *virNetMessageQueueServe(virNetMessage **queue);

/* Decode the length word in msg->buffer[0..3]. Refuses lengths below
 * 4 + header or above VIR_NET_MESSAGE_MAX + 4 before allocating, then sizes
 * the buffer to hold the whole message (bufferLength = total length). */
int virNetMessageDecodeLength(virNetMessage *msg);
/* Check a length word value without a message: 0 ok, -1 with an error. */
int virNetMessageCheckLength(unsigned int len);
int virNetMessageDecodeHeader(virNetMessage *msg);
int virNetMessageDecodeNumFDs(virNetMessage *msg);
/* Decode the payload with filter into data (caller zeroes data). A payload
 * that does not decode exactly (garbage or trailing bytes) is an error. */
int virNetMessageDecodePayload(virNetMessage *msg, xdrproc_t filter, void *data);

/* Encoding: header first, then optionally nfds, then one payload call. */
int virNetMessageEncodeHeader(virNetMessage *msg);
int virNetMessageEncodeNumFDs(virNetMessage *msg);
int virNetMessageEncodePayload(virNetMessage *msg, xdrproc_t filter, void *data);
/* How many 256 KiB buffers are kept for reuse now (for tests). */
size_t virNetMessageStreamBuffersKept(void);

int virNetMessageEncodePayloadRaw(virNetMessage *msg, const char *data, size_t len);
int virNetMessageEncodePayloadEmpty(virNetMessage *msg);
/* A raw payload written in place (stream data read straight into the
 * message): Begin makes room for up to len bytes after the header and
 * returns where they go (NULL with an error beyond the maximum size); End
 * finishes the message with the first `used` of them. */
char *virNetMessageEncodePayloadRawBegin(virNetMessage *msg, size_t len);
void virNetMessageEncodePayloadRawEnd(virNetMessage *msg, size_t used);

/* Streams (see virnet_protocol.x): which way a stream's data flows, as the
 * procedure that opens it says (the .x annotation `@stream`). */
typedef enum {
    VIR_NET_STREAM_READ = (1 << 0),    /* server -> client: download, console output */
    VIR_NET_STREAM_WRITE = (1 << 1),   /* client -> server: upload, console input */
} virNetStreamFlow;

/* Data messages carry at most this many bytes: what libvirt's daemon sends
 * and every client takes. */
#define VIR_NET_STREAM_CHUNK VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX
/* The window: per stream and direction, the stream data a side holds
 * (queued to send, or received and not yet consumed) before it stops
 * producing or reading. Four chunks keep the pipe full. */
#define VIR_NET_STREAM_WINDOW (4 * VIR_NET_STREAM_CHUNK)

/* Start encoding a message of stream `stream` (its prog, vers, proc and
 * serial: the opening call's header) of the given type and status; the
 * payload follows. */
int virNetMessageEncodeStreamHeader(virNetMessage *msg, const virNetMessageHeader *stream,
                                    virNetMessageType type, virNetMessageStatus status);
/* The bytes of a stream data message (payload of a decoded one). */
size_t virNetMessagePayloadLength(const virNetMessage *msg);

/* Copy the calling thread's last error into rerr (first error wins: does
 * nothing when rerr->code is already set). Never fails. */
void virNetMessageSaveError(virNetMessageError *rerr);
/* Set the calling thread's last error from a decoded wire error. */
void virNetMessageErrorToLast(const virNetMessageError *rerr);

/* Fill msg (cleared first) with a complete error reply for the call in
 * header `call`, from rerr (or the thread's last error when rerr is NULL
 * or empty). */
int virNetMessageEncodeErrorReply(virNetMessage *msg,
                                  const virNetMessageHeader *call,
                                  virNetMessageError *rerr);

/* Add an fd to an outgoing message (dup'ed; the caller keeps its own). */
int virNetMessageAddFD(virNetMessage *msg, int fd);
/* Take a received fd out of the message (the caller owns it). */
int virNetMessageDupFD(virNetMessage *msg, size_t slot);

const char *virNetMessageTypeName(int type);
