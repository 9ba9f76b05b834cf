/*
 * test-rpc-message.c: the message codec (src/rpc/virnetmessage.c).
 *
 * Every encoding check compares against bytes written out literally below
 * (libvirt's wire format: u_int length including itself, six big-endian
 * header words prog/vers/proc/type/serial/status, XDR payload), never
 * against bytes produced by the code under test. Decoding checks start
 * from literal bytes as well, fed the way the server client feeds them:
 * the 4-byte length word first, then the rest of the message.
 *
 * Memory: run under --enable-sanitizers to check that failed decodes free
 * what they decoded (LeakSanitizer reports at exit).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "testutils.h"
#include "virnetmessage.h"
#include "virerror.h"
#include "virlog.h"
#include "demo_protocol.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* The libvirt remote program, as used in the header case of the brief. */
#define TEST_REMOTE_PROGRAM 0x20008086


/* ---- helpers ----------------------------------------------------------- */

/* A message as the server's reader builds it: length word first, checked,
 * then the remaining bytes copied in. NULL (with the codec's error) when
 * the length word is refused; aborts the test when len disagrees. */
static virNetMessage *
testDecodeStart(const unsigned char *bytes, size_t len)
{
    virNetMessage *msg = virNetMessageNew(false);

    msg->buffer = g_memdup2(bytes, 4);
    msg->bufferLength = 4;
    if (virNetMessageDecodeLength(msg) < 0) {
        virNetMessageFree(msg);
        return NULL;
    }
    if (msg->bufferLength != len) {
        fprintf(stderr, "  length word says %zu, test data has %zu bytes\n",
                msg->bufferLength, len);
        virNetMessageFree(msg);
        return NULL;
    }
    memcpy(msg->buffer + 4, bytes + 4, len - 4);
    return msg;
}


/* Compare a finished outgoing message with the expected bytes. */
static int
testCheckEncoded(const char *what, virNetMessage *msg,
                 const unsigned char *expected, size_t elen)
{
    if (msg->bufferOffset != 0) {
        fprintf(stderr, "  %s: bufferOffset %zu after encoding, expected 0\n",
                what, msg->bufferOffset);
        return -1;
    }
    return virTestCompareBytes(what, msg->buffer, msg->bufferLength, expected, elen);
}


static void
testSetHeader(virNetMessage *msg, unsigned prog, unsigned vers, int proc,
              int type, unsigned serial, int status)
{
    msg->header.prog = prog;
    msg->header.vers = vers;
    msg->header.proc = proc;
    msg->header.type = type;
    msg->header.serial = serial;
    msg->header.status = status;
}


/* An empty (void) payload: rpcgen's xdr_void takes no arguments, so it
 * cannot be cast to xdrproc_t cleanly. */
static bool_t
testVoidFilter(XDR *xdrs G_GNUC_UNUSED, void *data G_GNUC_UNUSED)
{
    return TRUE;
}


/* ---- header ------------------------------------------------------------ */

static const unsigned char remoteCall[] = {
    0x00, 0x00, 0x00, 0x1c,     /* length 28 */
    0x20, 0x00, 0x80, 0x86,     /* prog */
    0x00, 0x00, 0x00, 0x01,     /* vers */
    0x00, 0x00, 0x00, 0x01,     /* proc */
    0x00, 0x00, 0x00, 0x00,     /* type CALL */
    0x00, 0x00, 0x00, 0x07,     /* serial */
    0x00, 0x00, 0x00, 0x00,     /* status OK */
};

static int
testHeaderEncode(const void *data G_GNUC_UNUSED)
{
    virNetMessage *msg = virNetMessageNew(false);
    int ret = -1;

    testSetHeader(msg, TEST_REMOTE_PROGRAM, 1, 1, VIR_NET_CALL, 7, VIR_NET_OK);
    if (virNetMessageEncodeHeader(msg) < 0)
        goto cleanup;
    /* Buffer starts at the initial size (payload area + length word). */
    if (msg->bufferLength != 65536 + 4 || msg->bufferOffset != 28) {
        fprintf(stderr, "  after header: length %zu offset %zu\n",
                msg->bufferLength, msg->bufferOffset);
        goto cleanup;
    }
    if (virNetMessageEncodePayloadEmpty(msg) < 0)
        goto cleanup;
    ret = testCheckEncoded("remote call header", msg, remoteCall, sizeof(remoteCall));
 cleanup:
    virNetMessageFree(msg);
    return ret;
}


static int
testHeaderDecode(const void *data G_GNUC_UNUSED)
{
    static const unsigned char bytes[] = {
        0x00, 0x00, 0x00, 0x1c,
        0x20, 0x00, 0x80, 0x86,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x05,     /* type REPLY_WITH_FDS */
        0xfe, 0xdc, 0xba, 0x98,     /* serial: high bit set */
        0x00, 0x00, 0x00, 0x02,     /* status CONTINUE */
    };
    virNetMessage *msg;

    if (!(msg = testDecodeStart(remoteCall, sizeof(remoteCall))))
        VIR_TEST_FAIL("length refused: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(msg->bufferOffset, 4);
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(msg->bufferOffset, 28);
    VIR_TEST_ASSERT_INT(msg->header.prog, 0x20008086);
    VIR_TEST_ASSERT_INT(msg->header.vers, 1);
    VIR_TEST_ASSERT_INT(msg->header.proc, 1);
    VIR_TEST_ASSERT_INT(msg->header.type, VIR_NET_CALL);
    VIR_TEST_ASSERT_INT(msg->header.serial, 7);
    VIR_TEST_ASSERT_INT(msg->header.status, VIR_NET_OK);
    virNetMessageFree(msg);

    if (!(msg = testDecodeStart(bytes, sizeof(bytes))))
        VIR_TEST_FAIL("length refused: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(msg->header.type, VIR_NET_REPLY_WITH_FDS);
    VIR_TEST_ASSERT_INT(msg->header.serial, 0xfedcba98u);
    VIR_TEST_ASSERT_INT(msg->header.status, VIR_NET_CONTINUE);
    virNetMessageFree(msg);

    /* A buffer shorter than a header is refused, without reading past it. */
    msg = virNetMessageNew(false);
    msg->buffer = g_memdup2(remoteCall, 27);
    msg->bufferLength = 27;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_RPC);
    virNetMessageFree(msg);
    virResetLastError();
    return 0;
}


/* ---- calls, replies, events -------------------------------------------- */

static int
testCallAdd(const void *data G_GNUC_UNUSED)
{
    static const unsigned char expected[] = {
        0x00, 0x00, 0x00, 0x24,     /* 36 */
        0x44, 0x45, 0x4d, 0x4f,     /* DEMO */
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x03,     /* ADD */
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x28,     /* a = 40 */
        0x00, 0x00, 0x00, 0x02,     /* b = 2 */
    };
    virNetMessage *msg = virNetMessageNew(true);
    demo_add_args args = { .a = 40, .b = 2 };
    demo_add_args dec = { 0 };

    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_ADD, VIR_NET_CALL, 1, VIR_NET_OK);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_demo_add_args, &args), 0);
    if (testCheckEncoded("add call", msg, expected, sizeof(expected)) < 0)
        return -1;
    VIR_TEST_ASSERT(msg->tracked);
    virNetMessageFree(msg);

    if (!(msg = testDecodeStart(expected, sizeof(expected))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_add_args, &dec), 0);
    VIR_TEST_ASSERT_INT(dec.a, 40);
    VIR_TEST_ASSERT_INT(dec.b, 2);
    VIR_TEST_ASSERT_INT(msg->bufferOffset, 36);
    virNetMessageFree(msg);
    return 0;
}


static const unsigned char echoCall[] = {
    0x00, 0x00, 0x00, 0x28,     /* 40 */
    0x44, 0x45, 0x4d, 0x4f,
    0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x02,     /* ECHO */
    0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02,     /* serial 2 */
    0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x05,     /* string length */
    'h', 'e', 'l', 'l',
    'o', 0x00, 0x00, 0x00,      /* padded to 4 */
};

static int
testCallEcho(const void *data G_GNUC_UNUSED)
{
    virNetMessage *msg = virNetMessageNew(true);
    demo_echo_args args = { .text = (char *)"hello" };
    demo_echo_args dec = { 0 };

    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_ECHO, VIR_NET_CALL, 2, VIR_NET_OK);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_demo_echo_args, &args), 0);
    if (testCheckEncoded("echo call", msg, echoCall, sizeof(echoCall)) < 0)
        return -1;
    virNetMessageFree(msg);

    if (!(msg = testDecodeStart(echoCall, sizeof(echoCall))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_echo_args, &dec), 0);
    VIR_TEST_ASSERT_STR(dec.text, "hello");
    xdr_free((xdrproc_t)xdr_demo_echo_args, (char *)&dec);
    virNetMessageFree(msg);
    return 0;
}


static int
testReplyOK(const void *data G_GNUC_UNUSED)
{
    static const unsigned char expected[] = {
        0x00, 0x00, 0x00, 0x24,     /* 36 */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x03,     /* ADD */
        0x00, 0x00, 0x00, 0x01,     /* REPLY */
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00,     /* OK */
        0x00, 0x00, 0x00, 0x00,     /* hyper sum = 42 */
        0x00, 0x00, 0x00, 0x2a,
    };
    static const unsigned char nullReply[] = {
        0x00, 0x00, 0x00, 0x1c,
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01,     /* NULL */
        0x00, 0x00, 0x00, 0x01,     /* REPLY */
        0x00, 0x00, 0x00, 0x03,
        0x00, 0x00, 0x00, 0x00,
    };
    virNetMessage *msg = virNetMessageNew(true);
    demo_add_ret ret = { .sum = 42 };

    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_ADD, VIR_NET_REPLY, 1, VIR_NET_OK);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_demo_add_ret, &ret), 0);
    if (testCheckEncoded("add reply", msg, expected, sizeof(expected)) < 0)
        return -1;

    /* Re-using the message for another reply (void result). */
    virNetMessageClear(msg);
    VIR_TEST_ASSERT(msg->tracked);
    VIR_TEST_ASSERT(msg->buffer == NULL);
    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_NULL, VIR_NET_REPLY, 3, VIR_NET_OK);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageEncodePayloadEmpty(msg), 0);
    if (testCheckEncoded("null reply", msg, nullReply, sizeof(nullReply)) < 0)
        return -1;
    virNetMessageFree(msg);
    return 0;
}


/* Error reply for an ADD call with serial 9: code 42 (NO_DOMAIN), domain 10
 * (QEMU), message "Domain not found: x", level 2, str1 "x". */
static const unsigned char errorReply[] = {
    0x00, 0x00, 0x00, 0x68,     /* 104 */
    0x44, 0x45, 0x4d, 0x4f,
    0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x03,     /* ADD */
    0x00, 0x00, 0x00, 0x01,     /* REPLY */
    0x00, 0x00, 0x00, 0x09,     /* serial 9 */
    0x00, 0x00, 0x00, 0x01,     /* ERROR */
    0x00, 0x00, 0x00, 0x2a,     /* code 42 */
    0x00, 0x00, 0x00, 0x0a,     /* domain 10 */
    0x00, 0x00, 0x00, 0x01,     /* message: present */
    0x00, 0x00, 0x00, 0x13,     /* 19 bytes */
    'D', 'o', 'm', 'a', 'i', 'n', ' ', 'n', 'o', 't', ' ', 'f',
    'o', 'u', 'n', 'd', ':', ' ', 'x', 0x00,
    0x00, 0x00, 0x00, 0x02,     /* level ERROR */
    0x00, 0x00, 0x00, 0x00,     /* dom: NULL */
    0x00, 0x00, 0x00, 0x01,     /* str1: present */
    0x00, 0x00, 0x00, 0x01,
    'x', 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,     /* str2: NULL */
    0x00, 0x00, 0x00, 0x00,     /* str3: NULL */
    0x00, 0x00, 0x00, 0x00,     /* int1 */
    0x00, 0x00, 0x00, 0x00,     /* int2 */
    0x00, 0x00, 0x00, 0x00,     /* net: NULL */
};

static const virNetMessageHeader addCall9 = {
    .prog = DEMO_PROGRAM, .vers = 1, .proc = DEMO_PROC_ADD,
    .type = VIR_NET_CALL, .serial = 9, .status = VIR_NET_OK,
};


static int
testErrorReply(const void *data G_GNUC_UNUSED)
{
    virNetMessage *msg = virNetMessageNew(true);
    virNetMessageError rerr = { 0 };
    virNetMessageError dec = { 0 };
    char *message = g_strdup("Domain not found: x");
    char *str1 = g_strdup("x");
    int fd;

    rerr.code = 42;
    rerr.domain = 10;
    rerr.message = &message;
    rerr.level = VIR_ERR_ERROR;
    rerr.str1 = &str1;
    rerr.int1 = 0;

    /* A message that had fds attached: the error reply must drop them. */
    if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
        VIR_TEST_FAIL("open /dev/null: %s", g_strerror(errno));
    VIR_TEST_ASSERT_INT(virNetMessageAddFD(msg, fd), 0);
    close(fd);

    VIR_TEST_ASSERT_INT(virNetMessageEncodeErrorReply(msg, &addCall9, &rerr), 0);
    if (testCheckEncoded("error reply", msg, errorReply, sizeof(errorReply)) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(msg->nfds, 0);
    VIR_TEST_ASSERT_INT(msg->header.type, VIR_NET_REPLY);
    VIR_TEST_ASSERT_INT(msg->header.status, VIR_NET_ERROR);
    /* The caller's struct is left alone. */
    VIR_TEST_ASSERT(rerr.message == &message);
    VIR_TEST_ASSERT_STR(message, "Domain not found: x");
    g_free(message);
    g_free(str1);
    virNetMessageFree(msg);

    /* Decode it back. */
    if (!(msg = testDecodeStart(errorReply, sizeof(errorReply))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(msg->header.status, VIR_NET_ERROR);
    VIR_TEST_ASSERT_INT(msg->header.serial, 9);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_virNetMessageError, &dec), 0);
    VIR_TEST_ASSERT_INT(dec.code, 42);
    VIR_TEST_ASSERT_INT(dec.domain, 10);
    VIR_TEST_ASSERT(dec.message != NULL);
    VIR_TEST_ASSERT_STR(*dec.message, "Domain not found: x");
    VIR_TEST_ASSERT_INT(dec.level, 2);
    VIR_TEST_ASSERT(dec.dom == NULL);
    VIR_TEST_ASSERT(dec.str1 != NULL);
    VIR_TEST_ASSERT_STR(*dec.str1, "x");
    VIR_TEST_ASSERT(dec.str2 == NULL && dec.str3 == NULL && dec.net == NULL);
    xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&dec);
    virNetMessageFree(msg);
    return 0;
}


/* The error reply built from the thread's last error (rerr NULL): the
 * report below yields exactly the same struct, hence the same bytes. */
static int
testErrorReplyFromLast(const void *data G_GNUC_UNUSED)
{
    virNetMessage *msg = virNetMessageNew(true);
    virNetMessageError empty = { 0 };

    virErrorReportFull(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__,
                       "%s", "x");
    VIR_TEST_ASSERT_INT(virNetMessageEncodeErrorReply(msg, &addCall9, NULL), 0);
    if (testCheckEncoded("error reply from last error", msg, errorReply, sizeof(errorReply)) < 0)
        return -1;

    /* An empty struct is filled from the last error too (and left for the
     * caller to free). */
    VIR_TEST_ASSERT_INT(virNetMessageEncodeErrorReply(msg, &addCall9, &empty), 0);
    if (testCheckEncoded("error reply into empty struct", msg, errorReply, sizeof(errorReply)) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(empty.code, 42);
    xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&empty);
    virNetMessageFree(msg);
    virResetLastError();
    return 0;
}


static int
testEvent(const void *data G_GNUC_UNUSED)
{
    static const unsigned char expected[] = {
        0x00, 0x00, 0x00, 0x2c,     /* 44 */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x0a,     /* TICK */
        0x00, 0x00, 0x00, 0x02,     /* MESSAGE */
        0x00, 0x00, 0x00, 0x00,     /* serial 0 */
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x03,     /* seq */
        0x00, 0x00, 0x00, 0x06,
        't', 'i', 'c', 'k', ' ', '3', 0x00, 0x00,
    };
    virNetMessage *msg = virNetMessageNew(false);
    demo_tick_msg tick = { .seq = 3, .text = (char *)"tick 3" };
    demo_tick_msg dec = { 0 };

    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_TICK, VIR_NET_MESSAGE, 0, VIR_NET_OK);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_demo_tick_msg, &tick), 0);
    if (testCheckEncoded("tick event", msg, expected, sizeof(expected)) < 0)
        return -1;
    virNetMessageFree(msg);

    if (!(msg = testDecodeStart(expected, sizeof(expected))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(msg->header.type, VIR_NET_MESSAGE);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_tick_msg, &dec), 0);
    VIR_TEST_ASSERT_INT(dec.seq, 3);
    VIR_TEST_ASSERT_STR(dec.text, "tick 3");
    xdr_free((xdrproc_t)xdr_demo_tick_msg, (char *)&dec);
    virNetMessageFree(msg);
    return 0;
}


static int
testCallWithFDs(const void *data G_GNUC_UNUSED)
{
    static const unsigned char expected[] = {
        0x00, 0x00, 0x00, 0x28,     /* 40 */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x0c,     /* PASS_FD */
        0x00, 0x00, 0x00, 0x04,     /* CALL_WITH_FDS */
        0x00, 0x00, 0x00, 0x05,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x02,     /* nfds */
        0x00, 0x00, 0x00, 0x02,
        'h', 'i', 0x00, 0x00,
    };
    static const unsigned char tooMany[] = {
        0x00, 0x00, 0x00, 0x20,     /* 32 */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x0c,
        0x00, 0x00, 0x00, 0x04,
        0x00, 0x00, 0x00, 0x05,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x21,     /* nfds 33 > 32 */
    };
    virNetMessage *msg = virNetMessageNew(true);
    demo_pass_fd_args args = { .text = (char *)"hi" };
    demo_pass_fd_args dec = { 0 };
    int fd, dupfd;

    if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
        VIR_TEST_FAIL("open /dev/null: %s", g_strerror(errno));
    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_PASS_FD, VIR_NET_CALL_WITH_FDS, 5, VIR_NET_OK);
    VIR_TEST_ASSERT_INT(virNetMessageAddFD(msg, fd), 0);
    VIR_TEST_ASSERT_INT(virNetMessageAddFD(msg, fd), 0);
    VIR_TEST_ASSERT(msg->fds[0] != fd && msg->fds[1] != fd && msg->fds[0] != msg->fds[1]);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeNumFDs(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_demo_pass_fd_args, &args), 0);
    if (testCheckEncoded("call with fds", msg, expected, sizeof(expected)) < 0)
        return -1;
    /* Encoding leaves the fds for the sender. */
    VIR_TEST_ASSERT_INT(msg->nfds, 2);
    virNetMessageFree(msg);

    /* At most 32 fds per message. */
    msg = virNetMessageNew(false);
    for (int i = 0; i < 32; i++)
        VIR_TEST_ASSERT_INT(virNetMessageAddFD(msg, fd), 0);
    VIR_TEST_ASSERT_INT(virNetMessageAddFD(msg, fd), -1);
    VIR_TEST_ASSERT_INT(msg->nfds, 32);
    virNetMessageFree(msg);
    close(fd);

    /* Decoding: the nfds word, slots empty until the fds arrive. */
    if (!(msg = testDecodeStart(expected, sizeof(expected))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(msg->header.type, VIR_NET_CALL_WITH_FDS);
    VIR_TEST_ASSERT_INT(virNetMessageDecodeNumFDs(msg), 0);
    VIR_TEST_ASSERT_INT(msg->nfds, 2);
    VIR_TEST_ASSERT_INT(msg->bufferOffset, 32);
    VIR_TEST_ASSERT(msg->fds[0] == -1 && msg->fds[1] == -1);
    VIR_TEST_ASSERT_INT(virNetMessageDupFD(msg, 0), -1);
    VIR_TEST_ASSERT_INT(virNetMessageDupFD(msg, 2), -1);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_pass_fd_args, &dec), 0);
    VIR_TEST_ASSERT_STR(dec.text, "hi");
    xdr_free((xdrproc_t)xdr_demo_pass_fd_args, (char *)&dec);
    /* A received fd can be duplicated out of its slot. */
    if ((msg->fds[1] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
        VIR_TEST_FAIL("open /dev/null: %s", g_strerror(errno));
    if ((dupfd = virNetMessageDupFD(msg, 1)) < 0)
        VIR_TEST_FAIL("DupFD: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT(dupfd != msg->fds[1]);
    close(dupfd);
    virNetMessageFree(msg);

    if (!(msg = testDecodeStart(tooMany, sizeof(tooMany))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodeNumFDs(msg), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_RPC);
    VIR_TEST_ASSERT_INT(msg->nfds, 0);
    virNetMessageFree(msg);

    /* No room for the nfds word at all. */
    if (!(msg = testDecodeStart(remoteCall, sizeof(remoteCall))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodeNumFDs(msg), -1);
    virNetMessageFree(msg);
    virResetLastError();
    return 0;
}


/* ---- length word ------------------------------------------------------- */

typedef struct {
    unsigned char word[4];
    bool ok;
    size_t length;          /* bufferLength after success */
} LengthCase;

static const LengthCase lengthCases[] = {
    { { 0x00, 0x00, 0x00, 0x00 }, false, 0 },
    { { 0x00, 0x00, 0x00, 0x04 }, false, 0 },
    { { 0x00, 0x00, 0x00, 0x1b }, false, 0 },           /* 27 */
    { { 0x00, 0x00, 0x00, 0x1c }, true, 28 },           /* 28: header only */
    { { 0x00, 0x00, 0x00, 0x1d }, true, 29 },
    { { 0x00, 0x04, 0x00, 0x04 }, true, 262148 },
    { { 0x02, 0x00, 0x00, 0x04 }, true, 33554436 },     /* max + length word */
    { { 0x02, 0x00, 0x00, 0x05 }, false, 0 },
    { { 0x02, 0x00, 0x00, 0x09 }, false, 0 },           /* max + 5 */
    { { 0x7f, 0xff, 0xff, 0xff }, false, 0 },
    { { 0x80, 0x00, 0x00, 0x00 }, false, 0 },
    { { 0xff, 0xff, 0xff, 0xff }, false, 0 },
    { { 0xff, 0xff, 0xff, 0xfc }, false, 0 },
    { { 0x00, 0x00, 0x00, 0x03 }, false, 0 },           /* below 4: must not wrap to huge */
};

static int
testDecodeLength(const void *data G_GNUC_UNUSED)
{
    for (size_t i = 0; i < G_N_ELEMENTS(lengthCases); i++) {
        const LengthCase *c = &lengthCases[i];
        virNetMessage *msg = virNetMessageNew(false);
        unsigned int word = ((unsigned int)c->word[0] << 24) | ((unsigned int)c->word[1] << 16) |
                            ((unsigned int)c->word[2] << 8) | c->word[3];
        char *before;
        int rc;

        msg->buffer = g_memdup2(c->word, 4);
        msg->bufferLength = 4;
        before = msg->buffer;
        virResetLastError();
        rc = virNetMessageDecodeLength(msg);
        if (c->ok) {
            if (rc != 0)
                VIR_TEST_FAIL("length %u refused: %s", word, virGetLastErrorMessage());
            VIR_TEST_ASSERT_INT(msg->bufferLength, c->length);
            VIR_TEST_ASSERT_INT(msg->bufferOffset, 4);
            /* The length word is still at the start of the buffer. */
            VIR_TEST_ASSERT(memcmp(msg->buffer, c->word, 4) == 0);
            /* The whole buffer is usable (ASan checks the last byte). */
            msg->buffer[msg->bufferLength - 1] = 0x5a;
            VIR_TEST_ASSERT_INT(virNetMessageCheckLength(word), 0);
        } else {
            if (rc != -1)
                VIR_TEST_FAIL("length %u accepted", word);
            VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_RPC);
            /* Refused before any allocation: buffer untouched. */
            VIR_TEST_ASSERT(msg->buffer == before);
            VIR_TEST_ASSERT_INT(msg->bufferLength, 4);
            VIR_TEST_ASSERT(memcmp(msg->buffer, c->word, 4) == 0);
            VIR_TEST_ASSERT_INT(virNetMessageCheckLength(word), -1);
        }
        virNetMessageFree(msg);
    }

    /* Fewer than 4 bytes: nothing to decode. */
    {
        virNetMessage *msg = virNetMessageNew(false);
        msg->buffer = g_memdup2("\0\0\0", 3);
        msg->bufferLength = 3;
        VIR_TEST_ASSERT_INT(virNetMessageDecodeLength(msg), -1);
        VIR_TEST_ASSERT_INT(msg->bufferLength, 3);
        virNetMessageFree(msg);
    }
    virResetLastError();
    return 0;
}


/* ---- payload decoding failures ----------------------------------------- */

static int
testPayloadTruncated(const void *data G_GNUC_UNUSED)
{
    static const unsigned char truncatedEcho[] = {
        0x00, 0x00, 0x00, 0x24,     /* 36: string cut after 4 bytes */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x05,
        'h', 'e', 'l', 'l',
    };
    static const unsigned char truncatedAdd[] = {
        0x00, 0x00, 0x00, 0x20,     /* 32: b missing */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x03,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x28,
    };
    /* Error struct cut inside str1: message already decoded must be freed. */
    static const unsigned char truncatedError[] = {
        0x00, 0x00, 0x00, 0x50,     /* 80 */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x03,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x09,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x2a,
        0x00, 0x00, 0x00, 0x0a,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x13,
        'D', 'o', 'm', 'a', 'i', 'n', ' ', 'n', 'o', 't', ' ', 'f',
        'o', 'u', 'n', 'd', ':', ' ', 'x', 0x00,
        0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,     /* str1 present ... */
        0x00, 0x00, 0x00, 0x08,     /* ... 8 bytes, only 0 follow */
    };
    virNetMessage *msg;
    demo_echo_args echo = { 0 };
    demo_add_args add = { 0 };
    virNetMessageError rerr = { 0 };

    if (!(msg = testDecodeStart(truncatedEcho, sizeof(truncatedEcho))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_echo_args, &echo), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_RPC);
    VIR_TEST_ASSERT(echo.text == NULL);
    VIR_TEST_ASSERT_INT(msg->bufferOffset, 28);
    virNetMessageFree(msg);

    if (!(msg = testDecodeStart(truncatedAdd, sizeof(truncatedAdd))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_add_args, &add), -1);
    virNetMessageFree(msg);

    if (!(msg = testDecodeStart(truncatedError, sizeof(truncatedError))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_virNetMessageError, &rerr), -1);
    VIR_TEST_ASSERT(rerr.message == NULL && rerr.str1 == NULL);
    virNetMessageFree(msg);

    /* A header-only message has no payload for a filter that wants one. */
    if (!(msg = testDecodeStart(remoteCall, sizeof(remoteCall))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_add_args, &add), -1);
    /* ... and is exactly right for a void one. */
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)testVoidFilter, NULL), 0);
    virNetMessageFree(msg);
    virResetLastError();
    return 0;
}


static int
testPayloadTrailing(const void *data G_GNUC_UNUSED)
{
    static const unsigned char addPlus4[] = {
        0x00, 0x00, 0x00, 0x28,     /* 40: 4 bytes too many */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x03,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x28,
        0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00,
    };
    static const unsigned char echoPlus1[] = {
        0x00, 0x00, 0x00, 0x29,     /* 41: one stray byte */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x05,
        'h', 'e', 'l', 'l', 'o', 0x00, 0x00, 0x00,
        0xff,
    };
    static const unsigned char nullPlus4[] = {
        0x00, 0x00, 0x00, 0x20,     /* void payload with 4 bytes */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
    };
    virNetMessage *msg;
    demo_add_args add = { 0 };
    demo_echo_args echo = { 0 };

    if (!(msg = testDecodeStart(addPlus4, sizeof(addPlus4))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_add_args, &add), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_RPC);
    virNetMessageFree(msg);

    if (!(msg = testDecodeStart(echoPlus1, sizeof(echoPlus1))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_echo_args, &echo), -1);
    /* The string decoded before the check was freed and cleared. */
    VIR_TEST_ASSERT(echo.text == NULL);
    virNetMessageFree(msg);

    if (!(msg = testDecodeStart(nullPlus4, sizeof(nullPlus4))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)testVoidFilter, NULL), -1);
    virNetMessageFree(msg);
    virResetLastError();
    return 0;
}


/* A string of exactly the bound decodes; one byte more is refused, even
 * though the message really carries all its bytes. */
static int
testPayloadStringBound(const void *data G_GNUC_UNUSED)
{
    static const unsigned char header[] = {
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x02,     /* ECHO */
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00,
    };
    /* length word, string length word */
    static const unsigned char atBound[8] = {
        0x00, 0x40, 0x00, 0x20,     /* 28 + 4 + 4194304 */
        0x00, 0x40, 0x00, 0x00,     /* 4194304 */
    };
    static const unsigned char overBound[8] = {
        0x00, 0x40, 0x00, 0x24,     /* 28 + 4 + 4194305 + 3 pad */
        0x00, 0x40, 0x00, 0x01,     /* 4194305 */
    };
    static const unsigned char hugeShort[] = {
        0x00, 0x00, 0x00, 0x24,     /* 36: claims 4 GiB - 1 */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00,
        0xff, 0xff, 0xff, 0xff,
        'a', 'b', 'c', 'd',
    };
    const struct { const unsigned char *words; size_t len; bool ok; } cases[] = {
        { atBound, 28 + 4 + 4194304, true },
        { overBound, 28 + 4 + 4194308, false },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree unsigned char *bytes = g_malloc(cases[i].len);
        virNetMessage *msg;
        demo_echo_args echo = { 0 };

        memcpy(bytes, cases[i].words, 4);
        memcpy(bytes + 4, header, sizeof(header));
        memcpy(bytes + 28, cases[i].words + 4, 4);
        memset(bytes + 32, 'a', cases[i].len - 32);
        if (!(msg = testDecodeStart(bytes, cases[i].len)))
            VIR_TEST_FAIL("case %zu: length refused: %s", i, virGetLastErrorMessage());
        VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
        if (cases[i].ok) {
            VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_echo_args, &echo), 0);
            VIR_TEST_ASSERT_INT(strlen(echo.text), 4194304);
            xdr_free((xdrproc_t)xdr_demo_echo_args, (char *)&echo);
        } else {
            VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_echo_args, &echo), -1);
            VIR_TEST_ASSERT(echo.text == NULL);
        }
        virNetMessageFree(msg);
    }

    {
        virNetMessage *msg;
        demo_echo_args echo = { 0 };
        if (!(msg = testDecodeStart(hugeShort, sizeof(hugeShort))))
            return -1;
        VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
        VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_echo_args, &echo), -1);
        VIR_TEST_ASSERT(echo.text == NULL);
        virNetMessageFree(msg);
    }
    virResetLastError();
    return 0;
}


/* ---- buffer growth ----------------------------------------------------- */

static int
testGrowth(const void *data G_GNUC_UNUSED)
{
    static const unsigned char start[] = {
        0x00, 0x10, 0x00, 0x20,     /* 28 + 4 + 1 MiB */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x06,     /* BLOB */
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x0b,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x10, 0x00, 0x00,     /* opaque length 1048576 */
    };
    /* Buffer sizes (length word included) the codec must go through:
     * 65536 -> 262144 -> 1048576 -> 4194304 payload area. 1 MiB of data
     * plus header does not fit in 1 MiB, so the last step is needed. The
     * capacity is not visible after encoding (bufferLength becomes the
     * message length), so the steps are read from the codec's debug log:
     * this depends on the text of its VIR_DEBUG("grew message buffer..."). */
    static const char *const steps[] = {
        "grew message buffer to 262148 bytes",
        "grew message buffer to 1048580 bytes",
        "grew message buffer to 4194308 bytes",
    };
    const size_t blobLen = 1048576;
    g_autofree char *blob = g_malloc(blobLen);
    g_autofree char *logpath = g_build_filename(virTestTempDir(), "growth.log", NULL);
    g_autofree char *outputs = g_strdup_printf("1:file:%s", logpath);
    g_autofree char *log = NULL;
    virNetMessage *msg = virNetMessageNew(true);
    demo_blob_args args;
    demo_blob_args dec = { { 0, NULL } };
    const char *pos;

    for (size_t i = 0; i < blobLen; i++)
        blob[i] = (char)(i * 7 + 3);
    args.data.data_len = blobLen;
    args.data.data_val = blob;

    if (virLogSetOutputs(outputs) < 0 || virLogSetFilters("1:rpc.netmessage") < 0)
        VIR_TEST_FAIL("cannot set up logging: %s", virGetLastErrorMessage());

    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_BLOB, VIR_NET_CALL, 11, VIR_NET_OK);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(msg->bufferLength, 65540);
    VIR_TEST_ASSERT_INT(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_demo_blob_args, &args), 0);
    virLogReset();

    VIR_TEST_ASSERT_INT(msg->bufferLength, 1048608);
    if (virTestCompareBytes("blob call start", msg->buffer, sizeof(start), start, sizeof(start)) < 0)
        return -1;
    VIR_TEST_ASSERT(memcmp(msg->buffer + 32, blob, blobLen) == 0);

    if (!g_file_get_contents(logpath, &log, NULL, NULL))
        VIR_TEST_FAIL("no log written to %s", logpath);
    pos = log;
    for (size_t i = 0; i < G_N_ELEMENTS(steps); i++) {
        const char *hit = strstr(pos, steps[i]);
        if (!hit)
            VIR_TEST_FAIL("growth step '%s' missing (in order) from the log:\n%s", steps[i], log);
        pos = hit + strlen(steps[i]);
    }
    if (strstr(pos, "grew message buffer"))
        VIR_TEST_FAIL("buffer grew further than needed:\n%s", log);

    /* It decodes back as one message of the announced size. */
    {
        g_autofree unsigned char *copy = g_memdup2(msg->buffer, msg->bufferLength);
        size_t len = msg->bufferLength;
        virNetMessageFree(msg);
        if (!(msg = testDecodeStart(copy, len)))
            return -1;
    }
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_demo_blob_args, &dec), 0);
    VIR_TEST_ASSERT_INT(dec.data.data_len, blobLen);
    VIR_TEST_ASSERT(memcmp(dec.data.data_val, blob, blobLen) == 0);
    xdr_free((xdrproc_t)xdr_demo_blob_args, (char *)&dec);
    virNetMessageFree(msg);
    return 0;
}


/* Replies between 64 KiB and 256 KiB, one after the other, share one kept
 * buffer: each takes it and gives it back (the kept buffers once filled
 * up to 16, 4 MiB no reply took back, one per such reply). */
static int
testGrowthReusesKept(const void *data G_GNUC_UNUSED)
{
    const size_t blobLen = 200 * 1024;
    g_autofree char *blob = g_malloc0(blobLen);
    demo_blob_args args = { { blobLen, blob } };
    size_t before = virNetMessageStreamBuffersKept();

    for (int i = 0; i < 20; i++) {
        virNetMessage *msg = virNetMessageNew(false);

        testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_BLOB, VIR_NET_REPLY, i, VIR_NET_OK);
        VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
        VIR_TEST_ASSERT_INT(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_demo_blob_args,
                                                       &args), 0);
        VIR_TEST_ASSERT_INT(msg->bufferLength, 28 + 4 + blobLen);
        virNetMessageFree(msg);
    }
    VIR_TEST_ASSERT(virNetMessageStreamBuffersKept() <= MAX(before, 1));
    return 0;
}


/* A filter writing a fixed-size opaque of the size in *data (no XDR
 * bound: only the message limit applies). */
static char *bigBuf;

static bool_t
testBigFilter(XDR *xdrs, void *data)
{
    u_int len = *(u_int *)data;

    return xdr_opaque(xdrs, bigBuf, len);
}


static int
testTooBig(const void *data G_GNUC_UNUSED)
{
    static const unsigned char maxStart[] = {
        0x02, 0x00, 0x00, 0x04,     /* 33554436: the largest valid length */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x03,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x0c,
        0x00, 0x00, 0x00, 0x00,
    };
    const u_int payloadMax = 33554408;  /* VIR_NET_MESSAGE_MAX - header */
    u_int len;
    virNetMessage *msg;
    int rc;

    bigBuf = g_malloc0(33 * 1024 * 1024 + 8);

    /* Exactly the maximum payload fits. */
    msg = virNetMessageNew(false);
    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_ADD, VIR_NET_REPLY, 12, VIR_NET_OK);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    len = payloadMax;
    if (virNetMessageEncodePayload(msg, (xdrproc_t)testBigFilter, &len) < 0)
        VIR_TEST_FAIL("max payload refused: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(msg->bufferLength, 33554436);
    if (virTestCompareBytes("max message start", msg->buffer, sizeof(maxStart),
                            maxStart, sizeof(maxStart)) < 0)
        return -1;
    /* ... and its length word is accepted by the receiver. */
    VIR_TEST_ASSERT_INT(virNetMessageCheckLength(33554436), 0);
    virNetMessageFree(msg);

    /* Four bytes more do not: an error, no crash, message still usable. */
    msg = virNetMessageNew(false);
    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_ADD, VIR_NET_REPLY, 12, VIR_NET_OK);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    len = payloadMax + 4;
    virResetLastError();
    rc = virNetMessageEncodePayload(msg, (xdrproc_t)testBigFilter, &len);
    VIR_TEST_ASSERT_INT(rc, -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_RPC);
    VIR_TEST_ASSERT(msg->bufferLength <= 33554436);
    virNetMessageFree(msg);

    /* 33 MiB: same. */
    msg = virNetMessageNew(false);
    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_ADD, VIR_NET_REPLY, 12, VIR_NET_OK);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    len = 33 * 1024 * 1024;
    VIR_TEST_ASSERT_INT(virNetMessageEncodePayload(msg, (xdrproc_t)testBigFilter, &len), -1);
    virNetMessageFree(msg);

    /* Raw (stream) payloads obey the same limit. */
    msg = virNetMessageNew(false);
    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_BLOB, VIR_NET_STREAM, 12, VIR_NET_CONTINUE);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageEncodePayloadRaw(msg, bigBuf, payloadMax + 1), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_RPC);
    virNetMessageClear(msg);
    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_BLOB, VIR_NET_STREAM, 12, VIR_NET_CONTINUE);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageEncodePayloadRaw(msg, bigBuf, payloadMax), 0);
    VIR_TEST_ASSERT_INT(msg->bufferLength, 33554436);
    VIR_TEST_ASSERT((unsigned char)msg->buffer[0] == 0x02 &&
                    (unsigned char)msg->buffer[3] == 0x04);
    virNetMessageFree(msg);

    g_clear_pointer(&bigBuf, g_free);
    virResetLastError();
    return 0;
}


static int
testStreamRaw(const void *data G_GNUC_UNUSED)
{
    static const unsigned char expected[] = {
        0x00, 0x00, 0x00, 0x21,     /* 33 */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x06,
        0x00, 0x00, 0x00, 0x03,     /* STREAM */
        0x00, 0x00, 0x00, 0x0d,
        0x00, 0x00, 0x00, 0x02,     /* CONTINUE */
        'a', 'b', 'c', 'd', 'e',    /* raw, unpadded */
    };
    virNetMessage *msg = virNetMessageNew(false);

    testSetHeader(msg, DEMO_PROGRAM, 1, DEMO_PROC_BLOB, VIR_NET_STREAM, 13, VIR_NET_CONTINUE);
    VIR_TEST_ASSERT_INT(virNetMessageEncodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageEncodePayloadRaw(msg, "abcde", 5), 0);
    if (testCheckEncoded("stream data", msg, expected, sizeof(expected)) < 0)
        return -1;
    virNetMessageFree(msg);
    return 0;
}


/* ---- errors ------------------------------------------------------------ */

static int
testSaveError(const void *data G_GNUC_UNUSED)
{
    virNetMessageError rerr = { 0 };

    /* From the thread's last error. */
    virErrorReportFull(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__,
                       "%s", "x");
    virNetMessageSaveError(&rerr);
    VIR_TEST_ASSERT_INT(rerr.code, 42);
    VIR_TEST_ASSERT_INT(rerr.domain, 10);
    VIR_TEST_ASSERT_INT(rerr.level, VIR_ERR_ERROR);
    VIR_TEST_ASSERT(rerr.message && rerr.str1);
    VIR_TEST_ASSERT_STR(*rerr.message, "Domain not found: x");
    VIR_TEST_ASSERT_STR(*rerr.str1, "x");
    VIR_TEST_ASSERT(rerr.str2 == NULL && rerr.str3 == NULL);
    VIR_TEST_ASSERT(rerr.dom == NULL && rerr.net == NULL);

    /* First error wins: a later report does not overwrite the struct. */
    virErrorReportFull(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__, __LINE__,
                       "%s", "cleanup failed");
    virNetMessageSaveError(&rerr);
    VIR_TEST_ASSERT_INT(rerr.code, 42);
    VIR_TEST_ASSERT_STR(*rerr.message, "Domain not found: x");

    /* Round trip into the thread's last error. */
    virResetLastError();
    virNetMessageErrorToLast(&rerr);
    {
        virError *err = virGetLastError();
        VIR_TEST_ASSERT(err != NULL);
        VIR_TEST_ASSERT_INT(err->code, 42);
        VIR_TEST_ASSERT_INT(err->domain, 10);
        VIR_TEST_ASSERT_INT(err->level, VIR_ERR_ERROR);
        VIR_TEST_ASSERT_STR(err->message, "Domain not found: x");
        VIR_TEST_ASSERT_STR(err->str1, "x");
        VIR_TEST_ASSERT(err->str2 == NULL && err->str3 == NULL);
        VIR_TEST_ASSERT_INT(err->int1, 0);
        /* Copied, not borrowed. */
        VIR_TEST_ASSERT(err->message != *rerr.message);
    }
    xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&rerr);
    memset(&rerr, 0, sizeof(rerr));

    /* A function that failed without reporting: a generic internal error. */
    virResetLastError();
    virNetMessageSaveError(&rerr);
    VIR_TEST_ASSERT_INT(rerr.code, VIR_ERR_INTERNAL_ERROR);
    VIR_TEST_ASSERT_INT(rerr.domain, VIR_FROM_RPC);
    VIR_TEST_ASSERT_INT(rerr.level, VIR_ERR_ERROR);
    VIR_TEST_ASSERT(rerr.message != NULL);
    xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&rerr);
    memset(&rerr, 0, sizeof(rerr));

    /* From the wire: every field, including str2/str3/int1/int2. */
    {
        char *msgtxt = g_strdup("operation failed: a b c"), *s1 = g_strdup("a");
        char *s2 = g_strdup("b"), *s3 = g_strdup("c");
        virError *err;

        rerr.code = VIR_ERR_OPERATION_FAILED;
        rerr.domain = VIR_FROM_LXC;
        rerr.level = VIR_ERR_WARNING;
        rerr.message = &msgtxt;
        rerr.str1 = &s1;
        rerr.str2 = &s2;
        rerr.str3 = &s3;
        rerr.int1 = -5;
        rerr.int2 = 77;
        virNetMessageErrorToLast(&rerr);
        err = virGetLastError();
        VIR_TEST_ASSERT(err != NULL);
        VIR_TEST_ASSERT_INT(err->code, VIR_ERR_OPERATION_FAILED);
        VIR_TEST_ASSERT_INT(err->domain, VIR_FROM_LXC);
        VIR_TEST_ASSERT_INT(err->level, VIR_ERR_WARNING);
        VIR_TEST_ASSERT_STR(err->message, "operation failed: a b c");
        VIR_TEST_ASSERT_STR(err->str1, "a");
        VIR_TEST_ASSERT_STR(err->str2, "b");
        VIR_TEST_ASSERT_STR(err->str3, "c");
        VIR_TEST_ASSERT_INT(err->int1, -5);
        VIR_TEST_ASSERT_INT(err->int2, 77);
        g_free(msgtxt); g_free(s1); g_free(s2); g_free(s3);
        memset(&rerr, 0, sizeof(rerr));
    }

    /* A peer's error with code 0 and no message still is an error. */
    virNetMessageErrorToLast(&rerr);
    {
        virError *err = virGetLastError();
        VIR_TEST_ASSERT(err != NULL);
        VIR_TEST_ASSERT_INT(err->code, VIR_ERR_RPC);
        VIR_TEST_ASSERT_INT(err->domain, VIR_FROM_RPC);
        VIR_TEST_ASSERT(err->message != NULL);
    }
    virResetLastError();
    return 0;
}


/* A struct with code 0 that still holds strings (decoded from a peer that
 * sent code 0, or filled half-way) is started over: its strings must be
 * freed, not leaked (LeakSanitizer checks this in a sanitizer build). */
static int
testSaveErrorCodeZero(const void *data G_GNUC_UNUSED)
{
    static const unsigned char codeZero[] = {
        0x00, 0x00, 0x00, 0x5c,     /* 92 */
        0x44, 0x45, 0x4d, 0x4f,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x03,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x09,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00,     /* code 0 */
        0x00, 0x00, 0x00, 0x00,     /* domain 0 */
        0x00, 0x00, 0x00, 0x01,     /* message present */
        0x00, 0x00, 0x00, 0x05,
        'o', 'o', 'p', 's', '!', 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,     /* str1 present */
        0x00, 0x00, 0x00, 0x01,
        'y', 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x07,     /* int1 7 */
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
    };
    virNetMessage *msg;
    virNetMessage *reply = virNetMessageNew(true);
    virNetMessageError rerr = { 0 };

    if (!(msg = testDecodeStart(codeZero, sizeof(codeZero))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_virNetMessageError, &rerr), 0);
    VIR_TEST_ASSERT_INT(rerr.code, 0);
    VIR_TEST_ASSERT(rerr.message && rerr.str1);
    virNetMessageFree(msg);

    /* Filled from the last error instead; the old strings are gone. */
    virErrorReportFull(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__,
                       "%s", "x");
    VIR_TEST_ASSERT_INT(virNetMessageEncodeErrorReply(reply, &addCall9, &rerr), 0);
    if (testCheckEncoded("error reply over a code-0 struct", reply,
                         errorReply, sizeof(errorReply)) < 0)
        return -1;
    VIR_TEST_ASSERT_INT(rerr.int1, 0);
    xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&rerr);
    virNetMessageFree(reply);
    virResetLastError();
    return 0;
}


/* Decoded error reply bytes -> thread's last error. */
static int
testErrorReplyToLast(const void *data G_GNUC_UNUSED)
{
    virNetMessage *msg;
    virNetMessageError rerr = { 0 };
    virError *err;

    if (!(msg = testDecodeStart(errorReply, sizeof(errorReply))))
        return -1;
    VIR_TEST_ASSERT_INT(virNetMessageDecodeHeader(msg), 0);
    VIR_TEST_ASSERT_INT(virNetMessageDecodePayload(msg, (xdrproc_t)xdr_virNetMessageError, &rerr), 0);
    virNetMessageErrorToLast(&rerr);
    xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&rerr);
    virNetMessageFree(msg);

    err = virGetLastError();
    VIR_TEST_ASSERT(err != NULL);
    VIR_TEST_ASSERT_INT(err->code, VIR_ERR_NO_DOMAIN);
    VIR_TEST_ASSERT_INT(err->domain, VIR_FROM_QEMU);
    VIR_TEST_ASSERT_STR(err->message, "Domain not found: x");
    VIR_TEST_ASSERT_STR(err->str1, "x");
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "Domain not found: x");
    virResetLastError();
    return 0;
}


/* ---- queue and lifecycle ----------------------------------------------- */

static int freeCalls;

static void
testFreeCb(virNetMessage *msg G_GNUC_UNUSED, void *opaque)
{
    freeCalls += GPOINTER_TO_INT(opaque);
}


static int
testQueue(const void *data G_GNUC_UNUSED)
{
    virNetMessage *queue = NULL;
    virNetMessage *m[4];

    VIR_TEST_ASSERT(virNetMessageQueueServe(&queue) == NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(m); i++) {
        m[i] = virNetMessageNew(false);
        m[i]->header.serial = i + 1;
        virNetMessageQueuePush(&queue, m[i]);
    }
    VIR_TEST_ASSERT(queue == m[0]);
    for (size_t i = 0; i < 2; i++) {
        virNetMessage *s = virNetMessageQueueServe(&queue);
        VIR_TEST_ASSERT(s == m[i]);
        VIR_TEST_ASSERT(s->next == NULL);
        VIR_TEST_ASSERT_INT(s->header.serial, i + 1);
    }
    /* Pushing after serving keeps FIFO order. */
    virNetMessageQueuePush(&queue, m[0]);
    VIR_TEST_ASSERT(virNetMessageQueueServe(&queue) == m[2]);
    VIR_TEST_ASSERT(virNetMessageQueueServe(&queue) == m[3]);
    VIR_TEST_ASSERT(virNetMessageQueueServe(&queue) == m[0]);
    VIR_TEST_ASSERT(virNetMessageQueueServe(&queue) == NULL);
    VIR_TEST_ASSERT(queue == NULL);

    /* Free runs the callback once; Clear keeps tracked and runs nothing. */
    freeCalls = 0;
    m[1]->tracked = true;
    m[1]->cb = testFreeCb;
    m[1]->opaque = GINT_TO_POINTER(1);
    m[1]->buffer = g_malloc(10);
    m[1]->bufferLength = 10;
    virNetMessageClear(m[1]);
    VIR_TEST_ASSERT(m[1]->tracked);
    VIR_TEST_ASSERT(m[1]->buffer == NULL && m[1]->bufferLength == 0);
    VIR_TEST_ASSERT(m[1]->cb == NULL);
    VIR_TEST_ASSERT_INT(freeCalls, 0);
    m[2]->cb = testFreeCb;
    m[2]->opaque = GINT_TO_POINTER(1);
    for (size_t i = 0; i < G_N_ELEMENTS(m); i++)
        virNetMessageFree(m[i]);
    VIR_TEST_ASSERT_INT(freeCalls, 1);
    virNetMessageFree(NULL);
    return 0;
}


static int
testTypeNames(const void *data G_GNUC_UNUSED)
{
    VIR_TEST_ASSERT_STR(virNetMessageTypeName(0), "call");
    VIR_TEST_ASSERT_STR(virNetMessageTypeName(1), "reply");
    VIR_TEST_ASSERT_STR(virNetMessageTypeName(2), "message");
    VIR_TEST_ASSERT_STR(virNetMessageTypeName(3), "stream");
    VIR_TEST_ASSERT_STR(virNetMessageTypeName(4), "call-with-fds");
    VIR_TEST_ASSERT_STR(virNetMessageTypeName(5), "reply-with-fds");
    VIR_TEST_ASSERT_STR(virNetMessageTypeName(6), "stream-hole");
    VIR_TEST_ASSERT_STR(virNetMessageTypeName(7), "unknown");
    VIR_TEST_ASSERT_STR(virNetMessageTypeName(-1), "unknown");
    return 0;
}


int
main(void)
{
    virTestRun("header encode (remote program call)", testHeaderEncode, NULL);
    virTestRun("large replies reuse one kept buffer", testGrowthReusesKept, NULL);
    virTestRun("header decode", testHeaderDecode, NULL);
    virTestRun("call with int payload (add)", testCallAdd, NULL);
    virTestRun("call with string payload (echo)", testCallEcho, NULL);
    virTestRun("reply OK", testReplyOK, NULL);
    virTestRun("error reply from a filled struct", testErrorReply, NULL);
    virTestRun("error reply from the last error", testErrorReplyFromLast, NULL);
    virTestRun("event message (tick)", testEvent, NULL);
    virTestRun("call with fds: nfds word", testCallWithFDs, NULL);
    virTestRun("stream data, raw payload", testStreamRaw, NULL);
    virTestRun("length word limits", testDecodeLength, NULL);
    virTestRun("truncated payload refused", testPayloadTruncated, NULL);
    virTestRun("trailing bytes refused", testPayloadTrailing, NULL);
    virTestRun("string bound", testPayloadStringBound, NULL);
    virTestRun("buffer growth x4 for 1 MiB", testGrowth, NULL);
    virTestRun("payload over the maximum", testTooBig, NULL);
    virTestRun("save error / error to last", testSaveError, NULL);
    virTestRun("decoded error reply to last error", testErrorReplyToLast, NULL);
    virTestRun("save error over a code-0 struct with strings", testSaveErrorCodeZero, NULL);
    virTestRun("queue order, clear and free", testQueue, NULL);
    virTestRun("type names", testTypeNames, NULL);
    return virTestResult();
}
