/*
 * virnetmessage.c: encoding and decoding of RPC messages.
 *
 * Ownership: a message has one owner at a time (see virnetmessage.h); no
 * locking here. All length checks happen before any allocation sized by
 * peer-controlled data.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "virnetmessage.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netmessage");

/* Encode buffers all start at the same size; each thread keeps one spare,
 * so a call's reply does not cost a 64 KiB malloc and free (and glibc's
 * consolidation of such frees) every time. */
#define VIR_NET_MESSAGE_ENCODE_SIZE (VIR_NET_MESSAGE_INITIAL + VIR_NET_MESSAGE_LEN_MAX)
static GPrivate virNetMessageSpare = G_PRIVATE_INIT(g_free);

static char *
virNetMessageBufferNew(void)
{
    char *buf = g_private_get(&virNetMessageSpare);

    if (buf) {
        g_private_set(&virNetMessageSpare, NULL);
        return buf;
    }
    return g_malloc(VIR_NET_MESSAGE_ENCODE_SIZE);
}


/* Stream data buffers (a message of up to VIR_NET_STREAM_CHUNK bytes of
 * data, 256 KiB) are made on one thread and freed on another (the loop
 * thread and a stream's file thread): a few are kept for the whole
 * process, so that a stream does not map, fault in and unmap 256 KiB per
 * message (glibc serves such sizes with mmap). At most
 * VIR_NET_MESSAGE_STREAM_KEEP (4 MiB) stay allocated when no stream runs. */
#define VIR_NET_MESSAGE_STREAM_SIZE \
    (VIR_NET_MESSAGE_LEN_MAX + VIR_NET_MESSAGE_HEADER_MAX + VIR_NET_STREAM_CHUNK)
#define VIR_NET_MESSAGE_STREAM_KEEP 16
static GMutex virNetMessageStreamLock;
static char *virNetMessageStreamBufs[VIR_NET_MESSAGE_STREAM_KEEP];
static size_t virNetMessageStreamKept;

static char *
virNetMessageStreamBufferNew(void)
{
    char *buf = NULL;

    g_mutex_lock(&virNetMessageStreamLock);
    if (virNetMessageStreamKept > 0)
        buf = virNetMessageStreamBufs[--virNetMessageStreamKept];
    g_mutex_unlock(&virNetMessageStreamLock);
    return buf ? buf : g_malloc(VIR_NET_MESSAGE_STREAM_SIZE);
}


size_t
virNetMessageStreamBuffersKept(void)
{
    size_t n;

    g_mutex_lock(&virNetMessageStreamLock);
    n = virNetMessageStreamKept;
    g_mutex_unlock(&virNetMessageStreamLock);
    return n;
}


/* Put msg's first keep bytes into a stream buffer (len: what is needed,
 * more than the buffer holds now and at most VIR_NET_MESSAGE_STREAM_SIZE). */
static void virNetMessageBufferRelease(char *buf, size_t capacity);

static void
virNetMessageUseStreamBuffer(virNetMessage *msg, size_t keep)
{
    char *buf = virNetMessageStreamBufferNew();

    memcpy(buf, msg->buffer, keep);
    virNetMessageBufferRelease(msg->buffer, msg->bufferCapacity);
    msg->buffer = buf;
    msg->bufferCapacity = VIR_NET_MESSAGE_STREAM_SIZE;
}


static void
virNetMessageBufferRelease(char *buf, size_t capacity)
{
    if (buf && capacity == VIR_NET_MESSAGE_STREAM_SIZE) {
        g_mutex_lock(&virNetMessageStreamLock);
        if (virNetMessageStreamKept < VIR_NET_MESSAGE_STREAM_KEEP) {
            virNetMessageStreamBufs[virNetMessageStreamKept++] = buf;
            buf = NULL;
        }
        g_mutex_unlock(&virNetMessageStreamLock);
        g_free(buf);
    } else if (buf && capacity == VIR_NET_MESSAGE_ENCODE_SIZE &&
               !g_private_get(&virNetMessageSpare)) {
        g_private_set(&virNetMessageSpare, buf);
    } else {
        g_free(buf);
    }
}

/* Smallest valid message: length word + header. */
#define VIR_NET_MESSAGE_MIN (VIR_NET_MESSAGE_LEN_MAX + VIR_NET_MESSAGE_HEADER_MAX)

virNetMessage *
virNetMessageNew(bool tracked)
{
    virNetMessage *msg = g_new0(virNetMessage, 1);

    msg->tracked = tracked;
    return msg;
}


static void
virNetMessageCloseFDs(virNetMessage *msg)
{
    for (size_t i = 0; i < msg->nfds; i++)
        VIR_FORCE_CLOSE(msg->fds[i]);
    g_clear_pointer(&msg->fds, g_free);
    msg->nfds = 0;
    msg->donefds = 0;
}


void
virNetMessageClear(virNetMessage *msg)
{
    bool tracked = msg->tracked;

    virNetMessageCloseFDs(msg);
    virNetMessageBufferRelease(msg->buffer, msg->bufferCapacity);
    memset(msg, 0, sizeof(*msg));
    msg->tracked = tracked;
}


void
virNetMessageFree(virNetMessage *msg)
{
    if (!msg)
        return;
    if (msg->cb)
        msg->cb(msg, msg->opaque);
    virNetMessageCloseFDs(msg);
    virNetMessageBufferRelease(msg->buffer, msg->bufferCapacity);
    g_free(msg);
}


void
virNetMessageShrink(virNetMessage *msg)
{
    size_t keep = msg->bufferLength - msg->bufferOffset;
    char *copy;

    if (msg->bufferCapacity <= keep + 64)
        return;
    copy = g_malloc(keep ? keep : 1);
    memcpy(copy, msg->buffer + msg->bufferOffset, keep);
    virNetMessageBufferRelease(msg->buffer, msg->bufferCapacity);
    msg->buffer = copy;
    msg->bufferLength = msg->bufferCapacity = keep;
    msg->bufferOffset = 0;
}


void
virNetMessageQueuePush(virNetMessage **queue, virNetMessage *msg)
{
    while (*queue)
        queue = &(*queue)->next;
    *queue = msg;
}


void
virNetMessageQueueFree(virNetMessage *queue)
{
    while (queue) {
        virNetMessage *next = queue->next;

        queue->next = NULL;
        virNetMessageFree(queue);
        queue = next;
    }
}


virNetMessage *
virNetMessageQueueServe(virNetMessage **queue)
{
    virNetMessage *msg = *queue;

    if (msg) {
        *queue = msg->next;
        msg->next = NULL;
    }
    return msg;
}


static unsigned int
virNetMessageGetU32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    return ((unsigned int)u[0] << 24) | ((unsigned int)u[1] << 16) |
           ((unsigned int)u[2] << 8) | (unsigned int)u[3];
}


static void
virNetMessagePutU32(char *p, unsigned int v)
{
    unsigned char *u = (unsigned char *)p;

    u[0] = v >> 24;
    u[1] = v >> 16;
    u[2] = v >> 8;
    u[3] = v;
}


int
virNetMessageCheckLength(unsigned int len)
{
    if (len < VIR_NET_MESSAGE_MIN) {
        virReportError(VIR_ERR_RPC,
                       "packet %u bytes received from peer too small, want at least %u",
                       len, (unsigned int)VIR_NET_MESSAGE_MIN);
        return -1;
    }
    if (len - VIR_NET_MESSAGE_LEN_MAX > VIR_NET_MESSAGE_MAX) {
        virReportError(VIR_ERR_RPC,
                       "packet %u bytes received from peer too large, want at most %u",
                       len, (unsigned int)(VIR_NET_MESSAGE_MAX + VIR_NET_MESSAGE_LEN_MAX));
        return -1;
    }
    return 0;
}


int
virNetMessageDecodeLength(virNetMessage *msg)
{
    unsigned int len;

    if (msg->bufferLength < VIR_NET_MESSAGE_LEN_MAX) {
        virReportError(VIR_ERR_RPC, "%s", "Unable to decode message length");
        return -1;
    }
    len = virNetMessageGetU32(msg->buffer);
    if (virNetMessageCheckLength(len) < 0)
        return -1;

    if (len > VIR_NET_MESSAGE_ENCODE_SIZE && len <= VIR_NET_MESSAGE_STREAM_SIZE) {
        virNetMessageUseStreamBuffer(msg, VIR_NET_MESSAGE_LEN_MAX);
    } else {
        msg->buffer = g_realloc(msg->buffer, len);
        msg->bufferCapacity = len;
    }
    msg->bufferLength = len;
    msg->bufferOffset = VIR_NET_MESSAGE_LEN_MAX;
    return 0;
}


int
virNetMessageDecodeHeader(virNetMessage *msg)
{
    XDR xdr;
    int ret = -1;

    if (msg->bufferLength < VIR_NET_MESSAGE_MIN) {
        virReportError(VIR_ERR_RPC, "%s", "Unable to decode message header");
        return -1;
    }
    msg->bufferOffset = VIR_NET_MESSAGE_LEN_MAX;
    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_DECODE);
    if (!xdr_virNetMessageHeader(&xdr, &msg->header)) {
        virReportError(VIR_ERR_RPC, "%s", "Unable to decode message header");
        goto cleanup;
    }
    msg->bufferOffset += xdr_getpos(&xdr);
    ret = 0;
 cleanup:
    xdr_destroy(&xdr);
    return ret;
}


int
virNetMessageDecodeNumFDs(virNetMessage *msg)
{
    XDR xdr;
    unsigned int numFDs;
    int ret = -1;

    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_DECODE);
    if (!xdr_u_int(&xdr, &numFDs)) {
        virReportError(VIR_ERR_RPC, "%s", "Unable to decode number of FDs");
        goto cleanup;
    }
    if (numFDs > VIR_NET_MESSAGE_NUM_FDS_MAX) {
        virReportError(VIR_ERR_RPC, "Received too many FDs %u, expected %d maximum",
                       numFDs, VIR_NET_MESSAGE_NUM_FDS_MAX);
        goto cleanup;
    }
    msg->bufferOffset += xdr_getpos(&xdr);

    virNetMessageCloseFDs(msg);
    msg->nfds = numFDs;
    msg->fds = g_new(int, numFDs ? numFDs : 1);
    for (size_t i = 0; i < numFDs; i++)
        msg->fds[i] = -1;
    ret = 0;
 cleanup:
    xdr_destroy(&xdr);
    return ret;
}


int
virNetMessageDecodePayload(virNetMessage *msg, xdrproc_t filter, void *data)
{
    XDR xdr;
    int ret = -1;

    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_DECODE);
    if (!filter(&xdr, data)) {
        /* Free what was decoded before the failure. */
        xdr_free(filter, data);
        virReportError(VIR_ERR_RPC, "%s", "Unable to decode message payload");
        goto cleanup;
    }
    if (msg->bufferOffset + xdr_getpos(&xdr) != msg->bufferLength) {
        /* Trailing bytes mean the peer and we disagree on the type. */
        xdr_free(filter, data);
        virReportError(VIR_ERR_RPC, "Unable to decode message payload: %zu trailing bytes",
                       msg->bufferLength - msg->bufferOffset - xdr_getpos(&xdr));
        goto cleanup;
    }
    msg->bufferOffset += xdr_getpos(&xdr);
    ret = 0;
 cleanup:
    xdr_destroy(&xdr);
    return ret;
}


int
virNetMessageEncodeHeader(virNetMessage *msg)
{
    XDR xdr;
    int ret = -1;

    /* Reuse the buffer when it is big enough (a decoded call turned into
     * its reply), else take a standard one. */
    if (msg->bufferCapacity < VIR_NET_MESSAGE_ENCODE_SIZE) {
        virNetMessageBufferRelease(msg->buffer, msg->bufferCapacity);
        msg->bufferCapacity = VIR_NET_MESSAGE_ENCODE_SIZE;
        msg->buffer = virNetMessageBufferNew();
    }
    msg->bufferLength = msg->bufferCapacity;
    msg->bufferOffset = VIR_NET_MESSAGE_LEN_MAX;

    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_ENCODE);
    if (!xdr_virNetMessageHeader(&xdr, &msg->header)) {
        virReportError(VIR_ERR_RPC, "%s", "Unable to encode message header");
        goto cleanup;
    }
    msg->bufferOffset += xdr_getpos(&xdr);
    virNetMessagePutU32(msg->buffer, msg->bufferOffset);
    ret = 0;
 cleanup:
    xdr_destroy(&xdr);
    return ret;
}


int
virNetMessageEncodeNumFDs(virNetMessage *msg)
{
    XDR xdr;
    unsigned int numFDs = msg->nfds;
    int ret = -1;

    if (numFDs > VIR_NET_MESSAGE_NUM_FDS_MAX) {
        virReportError(VIR_ERR_RPC, "Too many FDs to send %u, expected %d maximum",
                       numFDs, VIR_NET_MESSAGE_NUM_FDS_MAX);
        return -1;
    }
    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_ENCODE);
    if (!xdr_u_int(&xdr, &numFDs)) {
        virReportError(VIR_ERR_RPC, "%s", "Unable to encode number of FDs");
        goto cleanup;
    }
    msg->bufferOffset += xdr_getpos(&xdr);
    ret = 0;
 cleanup:
    xdr_destroy(&xdr);
    return ret;
}


/* Finish an encoded message: write the length word, and leave the buffer
 * ready for sending (offset 0, length = bytes to send). */
static void
virNetMessageFinish(virNetMessage *msg)
{
    virNetMessagePutU32(msg->buffer, msg->bufferOffset);
    msg->bufferLength = msg->bufferOffset;
    msg->bufferOffset = 0;
}


int
virNetMessageEncodePayload(virNetMessage *msg, xdrproc_t filter, void *data)
{
    XDR xdr;

    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_ENCODE);

    /* Grow by 4x until it fits or the maximum is reached. */
    while (!filter(&xdr, data)) {
        size_t newlen = (msg->bufferLength - VIR_NET_MESSAGE_LEN_MAX) * 4;

        xdr_destroy(&xdr);
        if (msg->bufferLength - VIR_NET_MESSAGE_LEN_MAX >= VIR_NET_MESSAGE_MAX) {
            virReportError(VIR_ERR_RPC, "%s",
                           "Unable to encode message payload: larger than the maximum message size");
            return -1;
        }
        if (newlen > VIR_NET_MESSAGE_MAX)
            newlen = VIR_NET_MESSAGE_MAX;
        /* The first step (64 KiB to 256 KiB) takes a kept stream buffer,
         * as a long stream message does: released, a buffer of that size
         * is kept, so making it here by realloc would fill the keep with
         * buffers no reply ever takes back (4 MiB after 16 large replies). */
        if (newlen + VIR_NET_MESSAGE_LEN_MAX <= VIR_NET_MESSAGE_STREAM_SIZE) {
            virNetMessageUseStreamBuffer(msg, msg->bufferOffset);
            msg->bufferLength = VIR_NET_MESSAGE_STREAM_SIZE;
        } else {
            msg->bufferLength = msg->bufferCapacity = newlen + VIR_NET_MESSAGE_LEN_MAX;
            msg->buffer = g_realloc(msg->buffer, msg->bufferLength);
        }
        xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                      msg->bufferLength - msg->bufferOffset, XDR_ENCODE);
        VIR_DEBUG("grew message buffer to %zu bytes", msg->bufferLength);
    }
    msg->bufferOffset += xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    virNetMessageFinish(msg);
    return 0;
}


char *
virNetMessageEncodePayloadRawBegin(virNetMessage *msg, size_t len)
{
    if (len > msg->bufferLength - msg->bufferOffset) {
        size_t need = msg->bufferOffset + len;

        if (need > VIR_NET_MESSAGE_MAX + VIR_NET_MESSAGE_LEN_MAX) {
            virReportError(VIR_ERR_RPC,
                           "Stream data too long to send (%zu bytes needed, %zu available)",
                           len, (size_t)(VIR_NET_MESSAGE_MAX + VIR_NET_MESSAGE_LEN_MAX) -
                           msg->bufferOffset);
            return NULL;
        }
        if (need <= VIR_NET_MESSAGE_STREAM_SIZE) {
            virNetMessageUseStreamBuffer(msg, msg->bufferOffset);
        } else {
            msg->buffer = g_realloc(msg->buffer, need);
            msg->bufferCapacity = need;
        }
        msg->bufferLength = need;
    }
    return msg->buffer + msg->bufferOffset;
}


void
virNetMessageEncodePayloadRawEnd(virNetMessage *msg, size_t used)
{
    msg->bufferOffset += used;
    virNetMessageFinish(msg);
}


int
virNetMessageEncodePayloadRaw(virNetMessage *msg, const char *data, size_t len)
{
    char *dst = virNetMessageEncodePayloadRawBegin(msg, len);

    if (!dst)
        return -1;
    if (len)
        memcpy(dst, data, len);
    virNetMessageEncodePayloadRawEnd(msg, len);
    return 0;
}


int
virNetMessageEncodePayloadEmpty(virNetMessage *msg)
{
    virNetMessageFinish(msg);
    return 0;
}


int
virNetMessageEncodeStreamHeader(virNetMessage *msg, const virNetMessageHeader *stream,
                                virNetMessageType type, virNetMessageStatus status)
{
    msg->header.prog = stream->prog;
    msg->header.vers = stream->vers;
    msg->header.proc = stream->proc;
    msg->header.serial = stream->serial;
    msg->header.type = type;
    msg->header.status = status;
    return virNetMessageEncodeHeader(msg);
}


size_t
virNetMessagePayloadLength(const virNetMessage *msg)
{
    return msg->bufferLength > msg->bufferOffset ? msg->bufferLength - msg->bufferOffset : 0;
}


static virNetMessageString
virNetMessageStringNew(const char *s)
{
    virNetMessageString r;

    if (!s)
        return NULL;
    r = g_new0(char *, 1);
    *r = g_strdup(s);
    return r;
}


void
virNetMessageSaveError(virNetMessageError *rerr)
{
    virError *err;

    if (rerr->code != VIR_ERR_OK)
        return;
    /* Code 0 but strings (e.g. a struct decoded from the wire): free them
     * rather than leak them when starting over. */
    xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)rerr);
    memset(rerr, 0, sizeof(*rerr));
    err = virGetLastError();
    if (err && err->code != VIR_ERR_OK) {
        rerr->code = err->code;
        rerr->domain = err->domain;
        rerr->message = virNetMessageStringNew(err->message);
        rerr->level = err->level;
        rerr->str1 = virNetMessageStringNew(err->str1);
        rerr->str2 = virNetMessageStringNew(err->str2);
        rerr->str3 = virNetMessageStringNew(err->str3);
        rerr->int1 = err->int1;
        rerr->int2 = err->int2;
    } else {
        rerr->code = VIR_ERR_INTERNAL_ERROR;
        rerr->domain = VIR_FROM_RPC;
        rerr->level = VIR_ERR_ERROR;
        rerr->message = virNetMessageStringNew(
            "internal error: a function failed without reporting an error");
    }
}


void
virNetMessageErrorToLast(const virNetMessageError *rerr)
{
    virError err = {
        .code = rerr->code,
        .domain = rerr->domain,
        .level = rerr->level,
        .message = rerr->message ? *rerr->message : (char *)"unknown error",
        .str1 = rerr->str1 ? *rerr->str1 : NULL,
        .str2 = rerr->str2 ? *rerr->str2 : NULL,
        .str3 = rerr->str3 ? *rerr->str3 : NULL,
        .int1 = rerr->int1,
        .int2 = rerr->int2,
    };

    if (err.code == VIR_ERR_OK) {
        err.code = VIR_ERR_RPC;
        err.domain = VIR_FROM_RPC;
        err.level = VIR_ERR_ERROR;
    }
    virErrorSetLast(&err);
}


int
virNetMessageEncodeErrorReply(virNetMessage *msg,
                              const virNetMessageHeader *call,
                              virNetMessageError *rerr)
{
    virNetMessageError local = { 0 };
    virNetMessageError *e = rerr ? rerr : &local;
    int ret;

    virNetMessageSaveError(e);   /* no-op when e is already filled */

    virNetMessageCloseFDs(msg);
    msg->header = *call;
    msg->header.type = VIR_NET_REPLY;
    msg->header.status = VIR_NET_ERROR;
    ret = virNetMessageEncodeHeader(msg);
    if (ret == 0)
        ret = virNetMessageEncodePayload(msg, (xdrproc_t)xdr_virNetMessageError, e);
    if (e == &local)
        xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&local);
    return ret;
}


int
virNetMessageAddFD(virNetMessage *msg, int fd)
{
    int newfd;

    if (msg->nfds >= VIR_NET_MESSAGE_NUM_FDS_MAX) {
        virReportError(VIR_ERR_RPC, "Too many FDs in one message (at most %d)",
                       VIR_NET_MESSAGE_NUM_FDS_MAX);
        return -1;
    }
    if ((newfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "Unable to duplicate FD %d", fd);
        return -1;
    }
    msg->fds = g_renew(int, msg->fds, msg->nfds + 1);
    msg->fds[msg->nfds++] = newfd;
    return 0;
}


int
virNetMessageDupFD(virNetMessage *msg, size_t slot)
{
    int fd;

    if (slot >= msg->nfds || msg->fds[slot] < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "No FD available at slot %zu", slot);
        return -1;
    }
    if ((fd = fcntl(msg->fds[slot], F_DUPFD_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "Unable to duplicate FD %d", msg->fds[slot]);
        return -1;
    }
    return fd;
}


const char *
virNetMessageTypeName(int type)
{
    switch ((virNetMessageType)type) {
    case VIR_NET_CALL: return "call";
    case VIR_NET_REPLY: return "reply";
    case VIR_NET_MESSAGE: return "message";
    case VIR_NET_STREAM: return "stream";
    case VIR_NET_CALL_WITH_FDS: return "call-with-fds";
    case VIR_NET_REPLY_WITH_FDS: return "reply-with-fds";
    case VIR_NET_STREAM_HOLE: return "stream-hole";
    }
    return "unknown";
}
