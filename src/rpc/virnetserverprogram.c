/*
 * virnetserverprogram.c: dispatch of one call through a generated table.
 *
 * Ownership: a program is immutable after creation and reference counted;
 * the table it points to is static generated data. No lock is needed.
 *
 * A call that opened a stream (call->stream): the stream starts once the
 * reply is queued, so that its first data follows the reply on the wire;
 * when the call fails it is cancelled before the error reply goes out.
 *
 * Metrics: one virMetricsOp per table entry plus one for calls of numbers
 * the table does not have, updated with atomic adds by whichever thread
 * runs the call (virmetrics.h). metricsOn is read and written atomically;
 * switching it only decides whether the calls that start from then on are
 * counted.
 *
 * A reply that borrows (virNetServerCallLend) lives in blocks the call
 * owns: virNetServerCallAlloc carves its arrays out of them, so that a
 * reply of many records costs a few allocations, and freeing it is
 * freeing the blocks and the API's result it points into.
 */
#include <string.h>
#include <unistd.h>

#include "virnetserverprogram.h"
#include "virnetserverclient.h"
#include "virnetserverstream.h"
#include "virlog.h"
#include "virmetrics.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netserverprogram");

struct _virNetServerProgram {
    gint refs;
    unsigned int program;
    unsigned int version;
    const virNetServerProgramProc *procs;
    size_t nprocs;
    bool sorted;
    gint metricsOn;
    virMetricsOp *metrics;      /* nprocs + 1: the last counts unknown numbers */
};

/* Arguments and results up to this size are decoded on the stack. */
#define VIR_NET_SERVER_PROGRAM_STACK_BUF 512

/* A borrowing reply's blocks: the first is this big, each next one twice
 * the last (up to the cap), or as big as the allocation that needs it. */
#define VIR_NET_SERVER_CALL_BLOCK_MIN 8192
#define VIR_NET_SERVER_CALL_BLOCK_CAP (1024 * 1024)

struct _virNetServerCallBlock {
    virNetServerCallBlock *next;
    size_t size;                /* bytes of data */
    size_t used;
    max_align_t data[];
};


void
virNetServerCallLend(virNetServerCall *call, GDestroyNotify freeFunc, void *data)
{
    if (call->lending)
        g_error("virNetServerCallLend: the reply of %s already borrows",
                call->proc ? call->proc->name : "a call");
    call->lending = true;
    call->lentFree = freeFunc;
    call->lent = data;
}


void *
virNetServerCallAlloc(virNetServerCall *call, size_t n, size_t size)
{
    const size_t align = G_ALIGNOF(max_align_t);
    virNetServerCallBlock *b = call->blocks;
    size_t bytes, need;
    void *p;

    if (!call->lending)
        g_error("virNetServerCallAlloc: the reply does not borrow (virNetServerCallLend)");
    if (size && n > (G_MAXSIZE - align) / size)
        g_error("virNetServerCallAlloc: %zu x %zu bytes overflow", n, size);
    bytes = n * size;
    need = (bytes + align - 1) & ~(align - 1);
    if (!b || b->size - b->used < need) {
        size_t cap = b ? MIN(b->size * 2, VIR_NET_SERVER_CALL_BLOCK_CAP)
                       : VIR_NET_SERVER_CALL_BLOCK_MIN;

        cap = MAX(cap, need);
        if (cap > G_MAXSIZE - sizeof(*b))
            g_error("virNetServerCallAlloc: %zu bytes overflow", cap);
        b = g_malloc(sizeof(*b) + cap);
        b->next = call->blocks;
        b->size = cap;
        b->used = 0;
        call->blocks = b;
    }
    p = (char *)b->data + b->used;
    b->used += need;
    memset(p, 0, bytes);
    return p;
}


/* Free what the handler put in ret: a reply that borrows frees its blocks
 * and what it borrowed from, any other is freed as XDR data. */
static void
virNetServerCallFreeReply(virNetServerCall *call, void *ret)
{
    if (!call->lending) {
        xdr_free(call->proc->ret_filter, ret);
        return;
    }
    while (call->blocks) {
        virNetServerCallBlock *next = call->blocks->next;

        g_free(call->blocks);
        call->blocks = next;
    }
    if (call->lentFree)
        call->lentFree(call->lent);
    call->lending = false;
    call->lentFree = NULL;
    call->lent = NULL;
}

virNetServerProgram *
virNetServerProgramNew(unsigned int program, unsigned int version,
                       const virNetServerProgramProc *procs, size_t nprocs)
{
    virNetServerProgram *prog = g_new0(virNetServerProgram, 1);

    prog->refs = 1;
    prog->program = program;
    prog->version = version;
    prog->procs = procs;
    prog->nprocs = nprocs;
    prog->sorted = true;
    prog->metricsOn = 1;
    prog->metrics = g_new0(virMetricsOp, nprocs + 1);
    for (size_t i = 1; i < nprocs; i++) {
        if (procs[i].proc <= procs[i - 1].proc)
            prog->sorted = false;
    }
    return prog;
}


virNetServerProgram *
virNetServerProgramRef(virNetServerProgram *prog)
{
    g_atomic_int_inc(&prog->refs);
    return prog;
}


void
virNetServerProgramUnref(virNetServerProgram *prog)
{
    if (prog && g_atomic_int_dec_and_test(&prog->refs)) {
        g_free(prog->metrics);
        g_free(prog);
    }
}


unsigned int virNetServerProgramGetID(virNetServerProgram *prog) { return prog->program; }
unsigned int virNetServerProgramGetVersion(virNetServerProgram *prog) { return prog->version; }


bool
virNetServerProgramMatches(virNetServerProgram *prog, virNetMessage *msg)
{
    return prog->program == msg->header.prog && prog->version == msg->header.vers;
}


const virNetServerProgramProc *
virNetServerProgramGetProc(virNetServerProgram *prog, int procedure)
{
    if (prog->sorted) {
        size_t lo = 0, hi = prog->nprocs;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (prog->procs[mid].proc == procedure)
                return &prog->procs[mid];
            if (prog->procs[mid].proc < procedure)
                lo = mid + 1;
            else
                hi = mid;
        }
        return NULL;
    }
    for (size_t i = 0; i < prog->nprocs; i++) {
        if (prog->procs[i].proc == procedure)
            return &prog->procs[i];
    }
    return NULL;
}


void
virNetServerProgramSetMetrics(virNetServerProgram *prog, bool on)
{
    g_atomic_int_set(&prog->metricsOn, on);
}


size_t
virNetServerProgramGetMetrics(virNetServerProgram *prog, virNetServerProcMetrics **out)
{
    virNetServerProcMetrics *list = g_new0(virNetServerProcMetrics, prog->nprocs + 1);
    size_t n = 0;

    for (size_t i = 0; i <= prog->nprocs; i++) {
        virMetricsOpSnapshot(&prog->metrics[i], &list[n].op);
        if (i == prog->nprocs) {
            if (list[n].op.calls == 0)
                continue;
            list[n].proc = -1;
            list[n].name = "unknown";
        } else {
            if (prog->procs[i].flags & VIR_NET_PROC_EVENT)
                continue;
            list[n].proc = prog->procs[i].proc;
            list[n].name = prog->procs[i].name;
        }
        n++;
    }
    *out = list;
    return n;
}


int
virNetServerProgramSendReplyError(virNetServerClient *client,
                                  virNetMessage *msg,
                                  virNetMessageError *rerr)
{
    virNetMessageHeader call = msg->header;

    if (virNetMessageEncodeErrorReply(msg, &call, rerr) < 0) {
        VIR_WARN("cannot encode error reply for client %llu; closing it",
                 virNetServerClientGetID(client));
        virNetMessageFree(msg);
        return -1;
    }
    VIR_DEBUG("client %llu: error reply to proc %d serial %u",
              virNetServerClientGetID(client), call.proc, call.serial);
    return virNetServerClientSendMessage(client, msg);
}


/* Decide whether the call may run at all; reports the error if not. */
static int
virNetServerProgramCheckCall(virNetServerClient *client,
                             virNetMessage *msg,
                             const virNetServerProgramProc *proc)
{
    if (!proc || (proc->flags & VIR_NET_PROC_EVENT)) {
        virReportError(VIR_ERR_NO_SUPPORT, "unknown procedure: %d", msg->header.proc);
        return -1;
    }
    if (!(proc->flags & VIR_NET_PROC_NOAUTH) &&
        !virNetServerClientIsAuthenticated(client)) {
        /* VIR_ERR_RPC rather than AUTH_FAILED: old clients only know this. */
        virReportError(VIR_ERR_RPC, "%s", "authentication required");
        return -1;
    }
    if (!(proc->flags & VIR_NET_PROC_READONLY) &&
        virNetServerClientGetReadonly(client)) {
        virErrorReportFull(proc->denied_domain, VIR_ERR_OPERATION_DENIED, __FILE__, __func__,
                           __LINE__, "read only access prevents %s",
                           proc->api ? proc->api : proc->name);
        return -1;
    }
    if (!proc->func) {
        /* libvirt's API: "...not supported by the connection driver: virX" */
        virErrorReportFull(proc->denied_domain, VIR_ERR_NO_SUPPORT, __FILE__, __func__,
                           __LINE__, "%s", proc->api ? proc->api : proc->name);
        return -1;
    }
    return 0;
}


static int
virNetServerProgramDispatchCall(virNetServerProgram *prog,
                                virNetServer *server,
                                virNetServerClient *client,
                                virNetMessage *msg,
                                const virNetServerProgramProc *proc)
{
    virNetMessageError rerr = { 0 };
    virNetServerCall call = {
        .server = server, .client = client, .prog = prog, .msg = msg, .rerr = &rerr,
        .proc = proc,
    };
    union { char buf[VIR_NET_SERVER_PROGRAM_STACK_BUF]; long long align; } argStack, retStack;
    void *args = NULL, *ret = NULL;
    size_t nfdsIn = msg->nfds;
    virMetricsOp *op = NULL;
    uint64_t start = 0;
    int rv;

    if (g_atomic_int_get(&prog->metricsOn)) {
        bool ours = proc && proc >= prog->procs && proc < prog->procs + prog->nprocs;
        op = &prog->metrics[ours ? (size_t)(proc - prog->procs) : prog->nprocs];
        start = virMetricsOpBegin(op);
    }
    virResetLastError();
    if (virNetServerProgramCheckCall(client, msg, proc) < 0)
        goto error;

    args = proc->arg_size <= sizeof(argStack) ? argStack.buf : g_malloc(proc->arg_size);
    ret = proc->ret_size <= sizeof(retStack) ? retStack.buf : g_malloc(proc->ret_size);
    memset(args, 0, proc->arg_size);
    memset(ret, 0, proc->ret_size);

    if (virNetMessageDecodePayload(msg, proc->arg_filter, args) < 0)
        goto error;

    rv = proc->func(&call, args, ret);
    xdr_free(proc->arg_filter, args);
    if (rv < 0) {
        /* What a failing handler put in ret (a half-filled list) goes. */
        virNetServerCallFreeReply(&call, ret);
        goto error;
    }

    /* fds that came with the call are consumed; extra ones go back. */
    for (size_t i = 0; i < nfdsIn; i++) {
        if (msg->fds[i] >= 0)
            close(msg->fds[i]);
    }
    if (nfdsIn) {
        memmove(msg->fds, msg->fds + nfdsIn, (msg->nfds - nfdsIn) * sizeof(int));
        msg->nfds -= nfdsIn;
    }
    msg->donefds = 0;
    msg->header.type = msg->nfds ? VIR_NET_REPLY_WITH_FDS : VIR_NET_REPLY;
    msg->header.status = VIR_NET_OK;
    if (virNetMessageEncodeHeader(msg) < 0 ||
        (msg->nfds && virNetMessageEncodeNumFDs(msg) < 0) ||
        virNetMessageEncodePayload(msg, proc->ret_filter, ret) < 0) {
        virNetServerCallFreeReply(&call, ret);
        msg->header.type = VIR_NET_CALL;
        goto error;
    }
    virNetServerCallFreeReply(&call, ret);
    if (args != argStack.buf)
        g_free(args);
    if (ret != retStack.buf)
        g_free(ret);
    rv = virNetServerClientSendMessage(client, msg);
    if (call.stream) {
        if (rv == 0)
            virNetServerStreamStart(call.stream);
        else
            virNetServerStreamCancel(call.stream);
        virNetServerStreamUnref(call.stream);
    }
    if (op)
        virMetricsOpEnd(op, start, false);
    return rv;

 error:
    if (args != argStack.buf)
        g_free(args);
    if (ret != retStack.buf)
        g_free(ret);
    if (call.stream) {
        virError *saved = virErrorPreserveLast();

        virNetServerStreamCancel(call.stream);
        virNetServerStreamUnref(call.stream);
        virErrorRestore(&saved);
    }
    rv = virNetServerProgramSendReplyError(client, msg, &rerr);
    xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&rerr);
    if (op)
        virMetricsOpEnd(op, start, true);
    return rv;
}


int
virNetServerProgramDispatch(virNetServerProgram *prog,
                            virNetServer *server,
                            virNetServerClient *client,
                            virNetMessage *msg,
                            const virNetServerProgramProc *proc)
{
    switch ((virNetMessageType)msg->header.type) {
    case VIR_NET_CALL:
    case VIR_NET_CALL_WITH_FDS:
        if (msg->header.status != VIR_NET_OK) {
            virReportError(VIR_ERR_RPC, "Unexpected message status %d",
                           msg->header.status);
            return virNetServerProgramSendReplyError(client, msg, NULL);
        }
        return virNetServerProgramDispatchCall(prog, server, client, msg, proc);

    case VIR_NET_STREAM:
    case VIR_NET_STREAM_HOLE:
    case VIR_NET_MESSAGE:
    case VIR_NET_REPLY:
    case VIR_NET_REPLY_WITH_FDS:
    default:
        /* Nothing to answer: a reply to a non-call would confuse the peer. */
        VIR_WARN("client %llu sent an unexpected %s message (proc %d); dropped",
                 virNetServerClientGetID(client),
                 virNetMessageTypeName(msg->header.type), msg->header.proc);
        if (msg->tracked)
            virNetServerClientRequestDone(client);
        virNetMessageFree(msg);
        return 0;
    }
}


int
virNetServerProgramSendEvent(virNetServerProgram *prog,
                             virNetServerClient *client,
                             int procedure,
                             xdrproc_t filter, void *data)
{
    virNetMessage *msg = virNetMessageNew(false);

    msg->header.prog = prog->program;
    msg->header.vers = prog->version;
    msg->header.proc = procedure;
    msg->header.type = VIR_NET_MESSAGE;
    msg->header.serial = 0;
    msg->header.status = VIR_NET_OK;
    if (virNetMessageEncodeHeader(msg) < 0 ||
        virNetMessageEncodePayload(msg, filter, data) < 0) {
        virNetMessageFree(msg);
        return -1;
    }
    return virNetServerClientSendMessage(client, msg);
}
