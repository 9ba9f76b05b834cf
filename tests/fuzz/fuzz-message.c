/*
 * fuzz-message.c: libFuzzer harness for the message codec.
 *
 * The input is a byte stream as a peer would send it. Each message in it
 * goes the way the server client takes it: length word (checked before
 * any allocation), header, nfds word for *_WITH_FDS, then the payload,
 * decoded here with every demo filter, every filter of the I/O helper's
 * program (protocol/iohelper_protocol.x: what virtnet_iohelper and the
 * daemon send each other) and the error struct in turn. Any
 * payload that decodes is encoded again and must come out no longer than
 * it was (XDR is canonical up to padding bytes and bool/enum values, none
 * of which change sizes, and strings with an embedded NUL, which come back
 * shorter: xdr_string keeps only the part before it); an error struct
 * also goes through
 * virNetMessageErrorToLast and virNetMessageEncodeErrorReply.
 *
 * Must never crash, leak or trip a sanitizer. Build and run: see
 * tests/fuzz/run-fuzz.sh (`make fuzz`).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virnetmessage.h"
#include "virerror.h"
#include "virlog.h"
#include "demo_protocol.h"
#include "iohelper_protocol.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* At most this many messages per input (keeps one run short). */
#define FUZZ_MAX_MESSAGES 16

typedef struct {
    const char *name;
    xdrproc_t filter;
    size_t size;
} FuzzFilter;

#define FUZZ_FILTER(type) { #type, (xdrproc_t)xdr_##type, sizeof(type) }

static const FuzzFilter fuzzFilters[] = {
    FUZZ_FILTER(demo_echo_args),
    FUZZ_FILTER(demo_add_args),
    FUZZ_FILTER(demo_add_ret),
    FUZZ_FILTER(demo_sleep_args),
    FUZZ_FILTER(demo_blob_args),
    FUZZ_FILTER(demo_blob_ret),
    FUZZ_FILTER(demo_fail_args),
    FUZZ_FILTER(demo_counter_ret),
    FUZZ_FILTER(demo_emit_args),
    FUZZ_FILTER(demo_pass_fd_args),
    FUZZ_FILTER(demo_pass_fd_ret),
    FUZZ_FILTER(demo_tick_msg),
    FUZZ_FILTER(iohelper_hello_ret),
    FUZZ_FILTER(iohelper_header_args),
    FUZZ_FILTER(iohelper_progress_args),
    FUZZ_FILTER(iohelper_progress_ret),
    FUZZ_FILTER(iohelper_log_args),
    FUZZ_FILTER(iohelper_ask_args),
    FUZZ_FILTER(iohelper_ask_ret),
    FUZZ_FILTER(iohelper_done_args),
    FUZZ_FILTER(virNetMessageError),
};


static bool_t
fuzzVoidFilter(XDR *xdrs G_GNUC_UNUSED, void *data G_GNUC_UNUSED)
{
    return TRUE;
}


static void G_GNUC_NORETURN
fuzzFail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz-message: %s (%s)\n", what, detail ? detail : "");
    abort();
}


int
LLVMFuzzerInitialize(int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
    if (!getenv("FUZZ_VERBOSE"))
        virLogSetDefaultPriority(VIR_LOG_ERROR);
    return 0;
}


/* Encode hdr + (filter, data) again; the payload must have at most plen
 * bytes. */
static void
fuzzReencode(const virNetMessageHeader *hdr, const FuzzFilter *f, void *data,
             size_t plen)
{
    virNetMessage *enc = virNetMessageNew(false);

    enc->header = *hdr;
    /* nfds was checked on decode; a re-encoding without fds has the same
     * payload layout. */
    if (enc->header.type == VIR_NET_CALL_WITH_FDS)
        enc->header.type = VIR_NET_CALL;
    else if (enc->header.type == VIR_NET_REPLY_WITH_FDS)
        enc->header.type = VIR_NET_REPLY;
    if (virNetMessageEncodeHeader(enc) < 0)
        fuzzFail("cannot encode a header", virGetLastErrorMessage());
    if (virNetMessageEncodePayload(enc, f->filter, data) < 0) {
        /* Only possible when the decoded payload was at the size limit
         * and re-encoding it needs more: it cannot, same size. */
        fuzzFail("cannot re-encode a decoded payload", f->name);
    }
    if (enc->bufferLength > 28 + plen) {
        char detail[128];
        snprintf(detail, sizeof(detail), "%s: %zu payload bytes decoded, %zu encoded",
                 f->name, plen, enc->bufferLength - 28);
        fuzzFail("re-encoded payload is larger than the decoded one", detail);
    }
    virNetMessageFree(enc);
}


static void
fuzzErrorStruct(const virNetMessageHeader *hdr, virNetMessageError *rerr, size_t plen)
{
    virNetMessage *enc = virNetMessageNew(true);
    int receivedCode = rerr->code;   /* EncodeErrorReply refills a code-0 struct */
    virError *err;

    virNetMessageErrorToLast(rerr);
    err = virGetLastError();
    if (!err || err->code == VIR_ERR_OK || !err->message)
        fuzzFail("error from the wire did not become the last error", NULL);

    /* An error reply from the struct as received: no larger. A struct
     * with code 0 is refilled from the last error instead. */
    if (virNetMessageEncodeErrorReply(enc, hdr, rerr) < 0)
        fuzzFail("cannot encode an error reply", virGetLastErrorMessage());
    if (receivedCode != VIR_ERR_OK && enc->bufferLength > 28 + plen)
        fuzzFail("error reply re-encoded larger", NULL);
    if (enc->header.type != VIR_NET_REPLY || enc->header.status != VIR_NET_ERROR)
        fuzzFail("error reply has a wrong header", NULL);
    virNetMessageClear(enc);

    /* And one from the last error (what a failing handler produces). */
    if (virNetMessageEncodeErrorReply(enc, hdr, NULL) < 0)
        fuzzFail("cannot encode an error reply from the last error",
                 virGetLastErrorMessage());
    virNetMessageFree(enc);
    virResetLastError();
}


/* One message at data[0..]; returns the bytes it used, 0 to stop. */
static size_t
fuzzOneMessage(const uint8_t *data, size_t size)
{
    virNetMessage *msg = virNetMessageNew(false);
    size_t have = size < 4 ? size : 4;
    unsigned int word = 0;
    size_t len = 0, payloadOffset;
    int rc;

    msg->buffer = g_malloc(have ? have : 1);
    memcpy(msg->buffer, data, have);
    msg->bufferLength = have;
    if (have == 4)
        word = ((unsigned int)data[0] << 24) | ((unsigned int)data[1] << 16) |
               ((unsigned int)data[2] << 8) | data[3];

    /* A valid length word beyond the input: the reader would allocate
     * and wait for more. Stop here, as the allocation (up to 32 MiB, each
     * time) only slows the fuzzer down; test-rpc-message covers it. */
    if (have == 4 && word > size && virNetMessageCheckLength(word) == 0)
        goto done;
    rc = virNetMessageDecodeLength(msg);
    if (have == 4 && (rc == 0) != (virNetMessageCheckLength(word) == 0))
        fuzzFail("DecodeLength and CheckLength disagree", NULL);
    if (rc < 0) {
        /* Refused: nothing allocated, nothing changed. */
        if (msg->bufferLength != have)
            fuzzFail("refused length word changed the buffer", NULL);
        goto done;
    }
    if (have < 4)
        fuzzFail("length decoded from fewer than 4 bytes", NULL);
    len = msg->bufferLength;
    if (len != word || len < 28 || len > VIR_NET_MESSAGE_MAX + 4)
        fuzzFail("accepted length out of range", NULL);
    if (len > size) {
        /* The peer has not sent the whole message: the reader would wait. */
        len = 0;
        goto done;
    }
    memcpy(msg->buffer + 4, data + 4, len - 4);

    if (virNetMessageDecodeHeader(msg) < 0)
        fuzzFail("a header of 24 bytes did not decode", virGetLastErrorMessage());
    if (msg->bufferOffset != 28)
        fuzzFail("header decode left a wrong offset", NULL);
    (void)virNetMessageTypeName(msg->header.type);

    if (msg->header.type == VIR_NET_CALL_WITH_FDS ||
        msg->header.type == VIR_NET_REPLY_WITH_FDS) {
        if (virNetMessageDecodeNumFDs(msg) < 0)
            goto done;
        if (msg->nfds > VIR_NET_MESSAGE_NUM_FDS_MAX)
            fuzzFail("too many fds accepted", NULL);
        /* No fd has arrived: every slot is empty. */
        for (size_t i = 0; i <= msg->nfds; i++) {
            if (virNetMessageDupFD(msg, i) >= 0)
                fuzzFail("DupFD returned an fd for an empty slot", NULL);
        }
    }
    payloadOffset = msg->bufferOffset;

    for (size_t i = 0; i < G_N_ELEMENTS(fuzzFilters); i++) {
        const FuzzFilter *f = &fuzzFilters[i];
        union { char buf[256]; long long align; void *p; } u;

        if (f->size > sizeof(u.buf))
            fuzzFail("filter struct larger than the harness buffer", f->name);
        memset(&u, 0, sizeof(u));
        msg->bufferOffset = payloadOffset;
        if (virNetMessageDecodePayload(msg, f->filter, u.buf) < 0) {
            /* Failure frees what was decoded: the struct is all zero
             * again or holds only NULLs (checked by LeakSanitizer and
             * by freeing it once more here, which must be harmless). */
            xdr_free(f->filter, u.buf);
            continue;
        }
        if (msg->bufferOffset != msg->bufferLength)
            fuzzFail("payload decoded without consuming the message", f->name);
        /* Re-encode first: the error checks may refill a code-0 struct. */
        fuzzReencode(&msg->header, f, u.buf, len - payloadOffset);
        if (f->filter == (xdrproc_t)xdr_virNetMessageError)
            fuzzErrorStruct(&msg->header, (virNetMessageError *)u.buf,
                            len - payloadOffset);
        xdr_free(f->filter, u.buf);
    }

    msg->bufferOffset = payloadOffset;
    if (virNetMessageDecodePayload(msg, (xdrproc_t)fuzzVoidFilter, NULL) == 0 &&
        payloadOffset != len)
        fuzzFail("void payload accepted with trailing bytes", NULL);

 done:
    virNetMessageFree(msg);
    virResetLastError();
    return len;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t pos = 0;

    for (int n = 0; n < FUZZ_MAX_MESSAGES; n++) {
        size_t used = fuzzOneMessage(data + pos, size - pos);
        if (used == 0)
            break;
        pos += used;
        if (pos >= size)
            break;
    }
    return 0;
}
