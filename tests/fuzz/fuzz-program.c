/*
 * fuzz-program.c: a fuzz harness generic over a program's generated
 * tables: the server's procedure table (<prefix>Procs[], from
 * protocol/NAME_protocol_server.c) and the client's event table
 * (<prefix>ClientEvents[], from NAME_protocol_client.c). One registry line
 * below makes a program fuzzable; a harness is a program and a mode:
 *
 *   decode    the input is one message of the program, decoded the way its
 *             receiver decodes it: a call with its procedure's argument
 *             filter, a reply with its result filter (or the error struct),
 *             an event with the client's event filter and then through
 *             virNetClientProgramDispatch. The procedure is the header's
 *             (a number the table lacks picks entry number % count, so
 *             every filter is reachable). Whatever decodes must encode
 *             again in no more bytes, and decoding and encoding that must
 *             give the same bytes (XDR is canonical); then xdr_free.
 *   dispatch  the input is a client's byte stream (fuzzpeer.h) to a real
 *             server with the program: its generated table with every
 *             handler replaced by a stub (valid results, an error, an
 *             error nobody reported, or an fd passed back, by the call's
 *             serial). A stub's results are its type's shortest all-zero
 *             encoding, decoded: valid results (empty strings, no
 *             entries), as a handler must return.
 *   real      the same stream to the program's real handlers, for the
 *             programs whose registry line gives a server (demo:
 *             tools/demo; remote: the daemon's handlers on a confined
 *             test driver, fuzzremote.c), with a fixup that tames the
 *             calls and a check after each input; an input of even size
 *             goes in lockstep (each call after the replies to those
 *             before it), an odd one pipelined.
 *
 * Selection: --program=NAME --mode=decode|dispatch|real on the command
 * line (libFuzzer ignores flags that start with "--"), or FUZZ_PROGRAM and
 * FUZZ_MODE. tests/fuzz/run-fuzz.sh names a harness NAME (decode),
 * NAME-dispatch or NAME-real; tests/fuzz/test-fuzz-corpus.c replays every
 * harness's corpus in `make check`.
 *
 * Must never crash, leak, hang or trip a sanitizer.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-program.h"
#include "fuzzpeer.h"
#include "fuzzremote.h"
#include "testprogram.h"
#include "testxdr.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetclientprogram.h"
#include "remote_protocol_server.h"
#include "remote_protocol_client.h"
#include "lxc_monitor_protocol_server.h"
#include "lxc_monitor_protocol_client.h"
#include "demo_protocol_server.h"
#include "demo_protocol_client.h"
#include "demoserver.h"
#include "gentest_protocol_server.h"
#include "gentest_protocol_client.h"
#include "admin_protocol_server.h"
#include "iohelper_protocol_server.h"
#include "qemu_agent_protocol_server.h"
#include "qemu_agent_protocol_client.h"

#define VIR_FROM_THIS VIR_FROM_RPC

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    virTestProgram p;
    /* The real mode: a server with the real handlers (NULL: no such
     * mode), a fixup of its calls (fuzzpeer.h), a check after each input,
     * the calls that open a session, put before each generated stream seed,
     * and a writer of seeds of its own (each NULL: none). */
    fuzzPeerNewServerFunc realServer;
    fuzzPeerFixupFunc fixup;
    void (*realCheck)(void);
    void (*realPrologue)(GByteArray *stream, size_t rest);
    int (*realSeeds)(const char *dir);
} fuzzProgram;

typedef enum {
    FUZZ_DECODE,
    FUZZ_DISPATCH,
    FUZZ_REAL,
} fuzzMode;

static const char *const fuzzModeNames[] = { "decode", "dispatch", "real" };


/* ---- the demo program's real handlers ---------------------------------- */

#define FUZZ_DEMO_SLEEP_MAX_MS 2
#define FUZZ_DEMO_EMIT_MAX 16

static virNetServer *
fuzzDemoServer(const virNetServerConfig *cfg, virEventLoop *loop, void *opaque G_GNUC_UNUSED)
{
    return demoServerNew(cfg, loop, NULL);
}


/* SLEEP's ms and EMIT's count are meant to be slow / large: clamped. EMIT
 * with close_after != 0 closes the connection after its reply (a wrong
 * version or a truncated argument makes it an error reply instead, but
 * any such call counts as closing). */
static bool
fuzzDemoFixup(unsigned char *m, size_t len, size_t argsOff)
{
    unsigned int prog = fuzzPeerGetU32(m + 4);
    unsigned int vers = fuzzPeerGetU32(m + 8);
    int proc = (int)fuzzPeerGetU32(m + 12);
    int type = (int)fuzzPeerGetU32(m + 16);

    if (prog != DEMO_PROGRAM)
        return true;
    if (len >= argsOff + 4) {
        unsigned char *arg = m + argsOff;

        if (proc == DEMO_PROC_SLEEP && fuzzPeerGetU32(arg) > FUZZ_DEMO_SLEEP_MAX_MS)
            fuzzPeerPutU32(arg, FUZZ_DEMO_SLEEP_MAX_MS);
        if (proc == DEMO_PROC_EMIT && fuzzPeerGetU32(arg) > FUZZ_DEMO_EMIT_MAX)
            fuzzPeerPutU32(arg, FUZZ_DEMO_EMIT_MAX);
    }
    return !(vers == DEMO_PROTOCOL_VERSION && proc == DEMO_PROC_EMIT &&
             (type == VIR_NET_CALL || type == VIR_NET_CALL_WITH_FDS) &&
             (len < argsOff + 8 || fuzzPeerGetU32(m + argsOff + 4) != 0));
}


/* ---- the registry -------------------------------------------------------- */

/* One line per program: its description (testprogram.h), then for the
 * real mode the server of its real handlers, a fixup, a check after each
 * input, a prologue of its stream seeds and a writer of seeds of its
 * own, or NULLs (no real mode). */
static const fuzzProgram fuzzPrograms[] = {
    { VIR_TEST_PROGRAM(remote, remote, REMOTE),
      fuzzRemoteServer, NULL, fuzzRemoteCheck, fuzzRemotePrologue, fuzzRemoteWriteSeeds },
    { VIR_TEST_PROGRAM(lxc_monitor, lxcMonitor, LXC_MONITOR), NULL, NULL, NULL, NULL, NULL },
    { VIR_TEST_PROGRAM(demo, demo, DEMO), fuzzDemoServer, fuzzDemoFixup, NULL, NULL, NULL },
    { VIR_TEST_PROGRAM(gentest, gentest, GENTEST), NULL, NULL, NULL, NULL, NULL },
    { VIR_TEST_PROGRAM_NO_EVENTS(admin, admin, ADMIN), NULL, NULL, NULL, NULL, NULL },
    { VIR_TEST_PROGRAM_NO_EVENTS(iohelper, iohelper, IOHELPER), NULL, NULL, NULL, NULL, NULL },
    { VIR_TEST_PROGRAM(qemu_agent, qemuAgent, QEMU_AGENT), NULL, NULL, NULL, NULL, NULL },
};


/* ---- state ---------------------------------------------------------------- */

static const fuzzProgram *fuzzProg;
static fuzzMode fuzzCurMode;
static virNetServerProgramProc *fuzzStubProcs;  /* the table, stub handlers */
static ssize_t *fuzzStubRetLen;                 /* per entry: its results' zero length */
static virNetClientProgram *fuzzClientProg;     /* events, every one ignored */
/* A handlers struct of every program: all members NULL (ignored events). */
static const void *fuzzNoHandlers[1024];
static int fuzzDevNull = -1;


static void G_GNUC_NORETURN
fuzzFail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz-program (%s, %s): %s (%s)\n", fuzzProg ? fuzzProg->p.name : "?",
            fuzzModeNames[fuzzCurMode], what, detail ? detail : "");
    abort();
}


/* ---- stub handlers ---------------------------------------------------------- */

#define FUZZ_ZERO_MAX 4096

/* Valid results for a stub: the shortest all-zero encoding of the type
 * decoded (empty strings, no list entries, first union arms); -1 when the
 * type has none. */
static int
fuzzStubResults(const virNetServerProgramProc *proc, void *ret)
{
    ssize_t k = fuzzStubRetLen[proc - fuzzStubProcs];
    char zeros[FUZZ_ZERO_MAX] = { 0 };
    XDR xdr;
    bool ok;

    if (k < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "stub of %s: no results", proc->name);
        return -1;
    }
    xdrmem_create(&xdr, zeros, k, XDR_DECODE);
    ok = proc->ret_filter(&xdr, ret);
    xdr_destroy(&xdr);
    if (!ok)
        fuzzFail("the all-zero results stopped decoding", proc->name);
    return 0;
}


/* What a stub answers depends on the call's serial, so the fuzzer picks. */
static int
fuzzStubHandler(virNetServerCall *call, void *args G_GNUC_UNUSED, void *ret)
{
    switch (call->msg->header.serial % 4) {
    case 0:     /* results */
        return fuzzStubResults(call->proc, ret);
    case 1:
        virReportError(VIR_ERR_INTERNAL_ERROR, "stub of %s", call->proc->name);
        return -1;
    case 2:     /* a handler that forgot to report its error */
        return -1;
    default:    /* an fd back with the results */
        if (virNetMessageAddFD(call->msg, fuzzDevNull) < 0)
            return -1;
        return fuzzStubResults(call->proc, ret);
    }
}


static virNetServer *
fuzzStubServer(const virNetServerConfig *cfg, virEventLoop *loop, void *opaque)
{
    const virTestProgram *p = &((const fuzzProgram *)opaque)->p;
    virNetServer *srv = virNetServerNew("fuzz", cfg, loop);
    virNetServerProgram *prog;

    if (!srv)
        return NULL;
    prog = virNetServerProgramNew(p->prog, p->vers, fuzzStubProcs, *p->nprocs);
    if (virNetServerAddProgram(srv, prog) < 0) {
        virNetServerProgramUnref(prog);
        virNetServerUnref(srv);
        return NULL;
    }
    virNetServerProgramUnref(prog);
    return srv;
}


/* ---- decode ----------------------------------------------------------------- */

static const virNetServerProgramProc *
fuzzFindProc(int proc)
{
    size_t n = *fuzzProg->p.nprocs;

    for (size_t i = 0; i < n; i++) {
        if (fuzzProg->p.procs[i].proc == proc)
            return &fuzzProg->p.procs[i];
    }
    return n ? &fuzzProg->p.procs[(unsigned int)proc % n] : NULL;
}


static const virNetClientProgramEvent *
fuzzFindEvent(int proc)
{
    size_t n = fuzzProg->p.events ? *fuzzProg->p.nevents : 0;

    for (size_t i = 0; i < n; i++) {
        if (fuzzProg->p.events[i].proc == proc)
            return &fuzzProg->p.events[i];
    }
    return n ? &fuzzProg->p.events[(unsigned int)proc % n] : NULL;
}


/* Encode data with filter into at most max bytes: the length, or -1. */
static ssize_t
fuzzEncode(xdrproc_t filter, void *data, char *buf, size_t max)
{
    XDR xdr;
    ssize_t len = -1;

    xdrmem_create(&xdr, buf, max, XDR_ENCODE);
    if (filter(&xdr, data))
        len = xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    return len;
}


/* The payload at msg's offset, decoded with filter: it must encode in no
 * more bytes, and decode and encode again to the same bytes. */
static void
fuzzRoundTrip(virNetMessage *msg, xdrproc_t filter, size_t size, const char *name)
{
    size_t plen = msg->bufferLength - msg->bufferOffset;
    g_autofree void *a = g_malloc0(size ? size : 1);
    g_autofree void *b = g_malloc0(size ? size : 1);
    g_autofree char *enc1 = g_malloc(plen + 1);
    g_autofree char *enc2 = g_malloc(plen + 1);
    ssize_t len1, len2;
    XDR xdr;
    bool again;

    if (virNetMessageDecodePayload(msg, filter, a) < 0) {
        /* a failed decode frees what it had decoded: freeing again is
         * harmless, and LeakSanitizer checks nothing stayed */
        xdr_free(filter, a);
        virResetLastError();
        return;
    }
    if ((len1 = fuzzEncode(filter, a, enc1, plen)) < 0)
        fuzzFail("a decoded payload does not encode in as many bytes", name);
    xdrmem_create(&xdr, enc1, len1, XDR_DECODE);
    again = filter(&xdr, b) && (ssize_t)xdr_getpos(&xdr) == len1;
    xdr_destroy(&xdr);
    if (!again)
        fuzzFail("a re-encoded payload does not decode", name);
    len2 = fuzzEncode(filter, b, enc2, plen);
    if (len2 != len1 || memcmp(enc1, enc2, len1) != 0)
        fuzzFail("decoding and encoding again changes the bytes", name);
    xdr_free(filter, a);
    xdr_free(filter, b);
}


static void
fuzzDecodeOne(const uint8_t *data, size_t size)
{
    virNetMessage *msg;
    size_t payload;

    if (size < 28 || size > VIR_NET_MESSAGE_MAX + 4)
        return;
    msg = virNetMessageNew(false);
    msg->buffer = g_memdup2(data, size);
    msg->bufferLength = size;
    if (virNetMessageDecodeHeader(msg) < 0)
        fuzzFail("a header of 24 bytes did not decode", virGetLastErrorMessage());
    if ((msg->header.type == VIR_NET_CALL_WITH_FDS ||
         msg->header.type == VIR_NET_REPLY_WITH_FDS) &&
        virNetMessageDecodeNumFDs(msg) < 0)
        goto done;
    payload = msg->bufferOffset;

    switch ((virNetMessageType)msg->header.type) {
    case VIR_NET_CALL:
    case VIR_NET_CALL_WITH_FDS: {
        const virNetServerProgramProc *e = fuzzFindProc(msg->header.proc);

        if (e)
            fuzzRoundTrip(msg, e->arg_filter, e->arg_size, e->name);
        break;
    }
    case VIR_NET_REPLY:
    case VIR_NET_REPLY_WITH_FDS: {
        const virNetServerProgramProc *e = fuzzFindProc(msg->header.proc);
        virNetMessageError rerr = { 0 };

        if (msg->header.status == VIR_NET_OK) {
            if (e)
                fuzzRoundTrip(msg, e->ret_filter, e->ret_size, e->name);
            break;
        }
        fuzzRoundTrip(msg, (xdrproc_t)xdr_virNetMessageError, sizeof(rerr), "error");
        /* what a client does with an error reply */
        msg->bufferOffset = payload;
        if (virNetMessageDecodePayload(msg, (xdrproc_t)xdr_virNetMessageError, &rerr) == 0) {
            virError *err;

            virNetMessageErrorToLast(&rerr);
            err = virGetLastError();
            if (!err || err->code == VIR_ERR_OK || !err->message)
                fuzzFail("an error from the wire did not become the last error", NULL);
        }
        xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&rerr);
        break;
    }
    case VIR_NET_MESSAGE: {
        const virNetClientProgramEvent *ev = fuzzFindEvent(msg->header.proc);

        if (!ev)
            break;
        fuzzRoundTrip(msg, ev->msg_filter, ev->msg_len, ev->name);
        msg->bufferOffset = payload;
        (void)virNetClientProgramDispatch(fuzzClientProg, NULL, msg);
        break;
    }
    case VIR_NET_STREAM:
    case VIR_NET_STREAM_HOLE:
    default:
        break;
    }
 done:
    virNetMessageFree(msg);
    virResetLastError();
}


/* ---- selection ------------------------------------------------------------------ */

size_t
fuzzProgramCount(void)
{
    return G_N_ELEMENTS(fuzzPrograms);
}


const char *
fuzzProgramName(size_t i)
{
    return i < G_N_ELEMENTS(fuzzPrograms) ? fuzzPrograms[i].p.name : NULL;
}


static int
fuzzModeFind(const char *mode)
{
    for (size_t m = 0; m < G_N_ELEMENTS(fuzzModeNames); m++) {
        if (g_strcmp0(mode, fuzzModeNames[m]) == 0)
            return m;
    }
    return -1;
}


bool
fuzzProgramHasMode(size_t i, const char *mode)
{
    int m = fuzzModeFind(mode);

    return i < G_N_ELEMENTS(fuzzPrograms) && m >= 0 &&
           (m != FUZZ_REAL || fuzzPrograms[i].realServer);
}


int
fuzzProgramSelect(const char *name, const char *mode)
{
    const fuzzProgram *p = NULL;
    size_t idx = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(fuzzPrograms); i++) {
        if (g_strcmp0(fuzzPrograms[i].p.name, name) == 0) {
            p = &fuzzPrograms[i];
            idx = i;
        }
    }
    if (!p || !fuzzProgramHasMode(idx, mode)) {
        fprintf(stderr, "fuzz-program: unknown program '%s' or mode '%s' (programs:",
                name ? name : "", mode ? mode : "");
        for (size_t i = 0; i < G_N_ELEMENTS(fuzzPrograms); i++)
            fprintf(stderr, " %s%s", fuzzPrograms[i].p.name,
                    fuzzPrograms[i].realServer ? " (with real)" : "");
        fprintf(stderr, "; modes: decode dispatch real)\n");
        return -1;
    }
    if (fuzzDevNull < 0 && (fuzzDevNull = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
        perror("fuzz-program: /dev/null");
        return -1;
    }
    fuzzProg = p;
    fuzzCurMode = fuzzModeFind(mode);
    g_clear_pointer(&fuzzStubProcs, g_free);
    g_clear_pointer(&fuzzStubRetLen, g_free);
    fuzzStubProcs = g_memdup2(p->p.procs, *p->p.nprocs * sizeof(*p->p.procs));
    fuzzStubRetLen = g_new0(ssize_t, *p->p.nprocs + 1);
    for (size_t i = 0; i < *p->p.nprocs; i++) {
        if (fuzzStubProcs[i].func)
            fuzzStubProcs[i].func = fuzzStubHandler;
        fuzzStubRetLen[i] = virTestXDRZeroLen(p->p.procs[i].ret_filter, p->p.procs[i].ret_size,
                                              FUZZ_ZERO_MAX);
    }
    g_clear_pointer(&fuzzClientProg, virNetClientProgramUnref);
    if (p->p.events) {
        if (*p->p.nevents > G_N_ELEMENTS(fuzzNoHandlers))
            fuzzFail("more events than the empty handlers struct holds", p->p.name);
        fuzzClientProg = virNetClientProgramNew(p->p.prog, p->p.vers, p->p.events, *p->p.nevents,
                                                fuzzNoHandlers, NULL);
    }
    return 0;
}


void
fuzzProgramRun(const uint8_t *data, size_t size)
{
    switch (fuzzCurMode) {
    case FUZZ_DECODE:
        fuzzDecodeOne(data, size);
        break;
    case FUZZ_DISPATCH:
        fuzzPeerRun(data, size, fuzzStubServer, (void *)fuzzProg, NULL, false);
        break;
    case FUZZ_REAL:
        fuzzPeerRun(data, size, fuzzProg->realServer, NULL, fuzzProg->fixup, true);
        if (fuzzProg->realCheck)
            fuzzProg->realCheck();
        break;
    }
}


void
fuzzProgramInit(void)
{
    if (!getenv("FUZZ_VERBOSE"))
        virLogSetDefaultPriority(VIR_LOG_ERROR);
    fuzzPeerInit();
}


/* ---- seeds ------------------------------------------------------------------------ */


/* A message of the selected program with an all-zero payload of the type
 * (filter, size); NULL when the type has no all-zero encoding. */
static virNetMessage *
fuzzSeedMessage(int proc, int type, unsigned int serial, xdrproc_t filter, size_t size)
{
    ssize_t k = virTestXDRZeroLen(filter, size, FUZZ_ZERO_MAX);
    g_autofree char *zeros = NULL;
    virNetMessage *msg;

    if (k < 0)
        return NULL;
    zeros = g_malloc0(k + 1);
    msg = virNetMessageNew(false);
    msg->header = (virNetMessageHeader){ fuzzProg->p.prog, fuzzProg->p.vers, proc, type, serial,
                                         VIR_NET_OK };
    if (virNetMessageEncodeHeader(msg) < 0 ||
        (k ? virNetMessageEncodePayloadRaw(msg, zeros, k)
           : virNetMessageEncodePayloadEmpty(msg)) < 0) {
        virNetMessageFree(msg);
        return NULL;
    }
    return msg;
}


static int
fuzzSeedWrite(const char *dir, const char *kind, const char *name, const void *data, size_t len)
{
    g_autofree char *path = g_strdup_printf("%s/%s-%s", dir, kind, name);

    if (!g_file_set_contents(path, data, len, NULL)) {
        fprintf(stderr, "fuzz-program: cannot write %s\n", path);
        return -1;
    }
    return 0;
}


/* A stream seed: as it is for dispatch; for real (when the program has
 * that mode) after the program's prologue (e.g. CONNECT_OPEN), so that
 * the call reaches the handler's work instead of its first check. */
static int
fuzzSeedWriteStream(const char *dispatchDir, const char *realDir, const char *kind,
                    const char *name, const void *data, size_t len)
{
    g_autoptr(GByteArray) real = NULL;

    if (fuzzSeedWrite(dispatchDir, kind, name, data, len) < 0)
        return -1;
    if (!fuzzProg->realServer)
        return 0;
    real = g_byte_array_new();
    if (fuzzProg->realPrologue)
        fuzzProg->realPrologue(real, len);
    g_byte_array_append(real, data, len);
    return fuzzSeedWrite(realDir, kind, name, real->data, real->len);
}


int
fuzzProgramWriteSeeds(const char *dir)
{
    g_autofree char *decodeDir = g_build_filename(dir, fuzzProg->p.name, NULL);
    g_autofree char *dispatchDir = g_strdup_printf("%s/%s-dispatch", dir, fuzzProg->p.name);
    g_autofree char *realDir = g_strdup_printf("%s/%s-real", dir, fuzzProg->p.name);
    GByteArray *all = g_byte_array_new();
    virNetMessage *msg = virNetMessageNew(false);
    virNetMessageHeader call = { fuzzProg->p.prog, fuzzProg->p.vers, 1, VIR_NET_CALL, 1, VIR_NET_OK };
    virNetMessageError rerr = { 0 };
    char *text = g_strdup("an error as a seed");
    int ret = -1;

    if (g_mkdir_with_parents(decodeDir, 0755) < 0 || g_mkdir_with_parents(dispatchDir, 0755) < 0 ||
        (fuzzProg->realServer && g_mkdir_with_parents(realDir, 0755) < 0) ||
        (fuzzProg->realSeeds && fuzzProg->realSeeds(realDir) < 0))
        goto cleanup;
    for (size_t i = 0; i < *fuzzProg->p.nprocs; i++) {
        const virNetServerProgramProc *e = &fuzzProg->p.procs[i];
        virNetMessage *m;

        if (e->flags & VIR_NET_PROC_EVENT)
            continue;
        if ((m = fuzzSeedMessage(e->proc, VIR_NET_CALL, i + 1, e->arg_filter, e->arg_size))) {
            if (fuzzSeedWrite(decodeDir, "call", e->name, m->buffer, m->bufferLength) < 0 ||
                fuzzSeedWriteStream(dispatchDir, realDir, "call", e->name, m->buffer,
                                    m->bufferLength) < 0) {
                virNetMessageFree(m);
                goto cleanup;
            }
            g_byte_array_append(all, (guint8 *)m->buffer, m->bufferLength);
            virNetMessageFree(m);
        }
        if ((m = fuzzSeedMessage(e->proc, VIR_NET_REPLY, i + 1, e->ret_filter, e->ret_size))) {
            int rc = fuzzSeedWrite(decodeDir, "reply", e->name, m->buffer, m->bufferLength);

            virNetMessageFree(m);
            if (rc < 0)
                goto cleanup;
        }
    }
    for (size_t i = 0; fuzzProg->p.events && i < *fuzzProg->p.nevents; i++) {
        const virNetClientProgramEvent *ev = &fuzzProg->p.events[i];
        virNetMessage *m = fuzzSeedMessage(ev->proc, VIR_NET_MESSAGE, 0, ev->msg_filter,
                                           ev->msg_len);
        int rc = 0;

        /* a client's event: the server drops it */
        if (m && (fuzzSeedWrite(decodeDir, "event", ev->name, m->buffer, m->bufferLength) < 0 ||
                  fuzzSeedWriteStream(dispatchDir, realDir, "event", ev->name, m->buffer,
                                      m->bufferLength) < 0))
            rc = -1;

        virNetMessageFree(m);
        if (rc < 0)
            goto cleanup;
    }
    rerr.code = VIR_ERR_INTERNAL_ERROR;
    rerr.domain = VIR_FROM_RPC;
    rerr.level = 2;
    rerr.message = &text;
    if (virNetMessageEncodeErrorReply(msg, &call, &rerr) < 0 ||
        fuzzSeedWrite(decodeDir, "reply", "error", msg->buffer, msg->bufferLength) < 0 ||
        (all->len && fuzzSeedWriteStream(dispatchDir, realDir, "calls", "all", all->data,
                                         all->len) < 0))
        goto cleanup;
    ret = 0;
 cleanup:
    g_free(text);
    virNetMessageFree(msg);
    g_byte_array_free(all, TRUE);
    return ret;
}


/* ---- libFuzzer ------------------------------------------------------------------- */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *name = getenv("FUZZ_PROGRAM");
    const char *mode = getenv("FUZZ_MODE");

    for (int i = 1; i < *argc; i++) {
        const char *a = (*argv)[i];

        if (g_str_has_prefix(a, "--program="))
            name = a + strlen("--program=");
        else if (g_str_has_prefix(a, "--mode="))
            mode = a + strlen("--mode=");
    }
    fuzzProgramInit();
    if (fuzzProgramSelect(name, mode ? mode : "decode") < 0)
        exit(2);
    return 0;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzzProgramRun(data, size);
    return 0;
}
