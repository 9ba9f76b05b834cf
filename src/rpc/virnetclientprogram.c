/*
 * virnetclientprogram.c: one RPC program on the client side: typed calls
 * and the dispatch of the event messages the program declares.
 *
 * Locking: none. A program is immutable after creation (program, version,
 * event table, handlers), so any thread may use it; only the reference
 * count changes, and that is atomic.
 */
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "virnetclientprogram.h"
#include "virnetclient.h"
#include "virnetclientstream.h"
#include "virerror.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netclientprogram");

struct _virNetClientProgram {
    gint refs;

    unsigned int program;
    unsigned int version;
    const virNetClientProgramEvent *events;   /* caller's table, not copied */
    size_t nevents;
    const void *handlers;
    void *opaque;
};


virNetClientProgram *
virNetClientProgramNew(unsigned int program,
                       unsigned int version,
                       const virNetClientProgramEvent *events,
                       size_t nevents,
                       const void *handlers,
                       void *opaque)
{
    virNetClientProgram *prog = g_new0(virNetClientProgram, 1);

    prog->refs = 1;
    prog->program = program;
    prog->version = version;
    prog->events = events;
    prog->nevents = nevents;
    prog->handlers = handlers;
    prog->opaque = opaque;
    return prog;
}


virNetClientProgram *
virNetClientProgramRef(virNetClientProgram *prog)
{
    if (prog)
        g_atomic_int_inc(&prog->refs);
    return prog;
}


void
virNetClientProgramUnref(virNetClientProgram *prog)
{
    if (prog && g_atomic_int_dec_and_test(&prog->refs))
        g_free(prog);
}


unsigned int
virNetClientProgramGetProgram(virNetClientProgram *prog)
{
    return prog->program;
}


unsigned int
virNetClientProgramGetVersion(virNetClientProgram *prog)
{
    return prog->version;
}


const void *
virNetClientProgramGetHandlers(virNetClientProgram *prog)
{
    return prog->handlers;
}


bool
virNetClientProgramMatches(virNetClientProgram *prog, virNetMessage *msg)
{
    return prog->program == msg->header.prog &&
           prog->version == msg->header.vers;
}


static const virNetClientProgramEvent *
virNetClientProgramFindEvent(virNetClientProgram *prog, int proc)
{
    for (size_t i = 0; i < prog->nevents; i++) {
        if (prog->events[i].proc == proc)
            return &prog->events[i];
    }
    return NULL;
}


bool
virNetClientProgramHasEvent(virNetClientProgram *prog, int proc)
{
    const virNetClientProgramEvent *event = virNetClientProgramFindEvent(prog, proc);

    return event && event->func;
}


int
virNetClientProgramDispatch(virNetClientProgram *prog,
                            virNetClient *client,
                            virNetMessage *msg)
{
    const virNetClientProgramEvent *event;
    void *data;

    if (msg->header.type != VIR_NET_MESSAGE ||
        msg->header.status != VIR_NET_OK ||
        !virNetClientProgramMatches(prog, msg)) {
        VIR_WARN("ignoring message prog=%#x vers=%u proc=%d type=%d status=%d: not an event of program %#x",
                 msg->header.prog, msg->header.vers, msg->header.proc,
                 msg->header.type, msg->header.status, prog->program);
        return -1;
    }
    if (!(event = virNetClientProgramFindEvent(prog, msg->header.proc)) ||
        !event->func) {
        VIR_WARN("ignoring unknown event %d of program %#x",
                 msg->header.proc, prog->program);
        return -1;
    }

    /* The decoded struct lives only for the handler's call. */
    data = g_malloc0(event->msg_len ? event->msg_len : 1);
    if (virNetMessageDecodePayload(msg, event->msg_filter, data) < 0) {
        VIR_WARN("cannot decode event %s (%d) of program %#x: %s",
                 event->name ? event->name : "?", msg->header.proc,
                 prog->program, virGetLastErrorMessage());
        g_free(data);
        return -1;
    }
    VIR_DEBUG("dispatching event %s (%d) of program %#x",
              event->name ? event->name : "?", msg->header.proc, prog->program);
    event->func(prog, client, data, prog->opaque);
    xdr_free(event->msg_filter, data);
    g_free(data);
    return 0;
}


int
virNetClientProgramCall(virNetClientProgram *prog,
                        virNetClient *client,
                        unsigned int serial,
                        int proc,
                        size_t ninfds, const int *infds,
                        size_t *noutfds, int **outfds,
                        xdrproc_t args_filter, void *args,
                        xdrproc_t ret_filter, void *ret)
{
    virNetMessage *msg = virNetMessageNew(false);
    int *fds = NULL;
    size_t nfds = 0;
    int rv = -1;

    if (noutfds)
        *noutfds = 0;
    if (outfds)
        *outfds = NULL;

    msg->header.prog = prog->program;
    msg->header.vers = prog->version;
    msg->header.proc = proc;
    msg->header.type = ninfds > 0 ? VIR_NET_CALL_WITH_FDS : VIR_NET_CALL;
    msg->header.serial = serial;
    msg->header.status = VIR_NET_OK;

    for (size_t i = 0; i < ninfds; i++) {
        if (virNetMessageAddFD(msg, infds[i]) < 0)
            goto cleanup;
    }
    if (virNetMessageEncodeHeader(msg) < 0)
        goto cleanup;
    if (ninfds > 0 && virNetMessageEncodeNumFDs(msg) < 0)
        goto cleanup;
    if (virNetMessageEncodePayload(msg, args_filter, args) < 0)
        goto cleanup;

    /* On success msg now holds the reply, header decoded (and for
     * REPLY_WITH_FDS the fd count and the fds themselves), positioned at
     * the payload. */
    if (virNetClientSendWithReply(client, msg) < 0)
        goto cleanup;

    if (msg->header.type != VIR_NET_REPLY &&
        msg->header.type != VIR_NET_REPLY_WITH_FDS) {
        virReportError(VIR_ERR_RPC, "Unexpected message type %d (%s) in reply to proc %d",
                       msg->header.type, virNetMessageTypeName(msg->header.type), proc);
        goto cleanup;
    }
    if (msg->header.prog != prog->program || msg->header.vers != prog->version ||
        msg->header.proc != proc || msg->header.serial != serial) {
        virReportError(VIR_ERR_RPC,
                       "Reply prog=%#x vers=%u proc=%d serial=%u does not match the call prog=%#x vers=%u proc=%d serial=%u",
                       msg->header.prog, msg->header.vers, msg->header.proc,
                       msg->header.serial, prog->program, prog->version, proc, serial);
        goto cleanup;
    }

    switch ((virNetMessageStatus)msg->header.status) {
    case VIR_NET_OK:
        if (outfds && noutfds && msg->nfds > 0) {
            fds = g_new(int, msg->nfds);
            for (nfds = 0; nfds < msg->nfds; nfds++) {
                if ((fds[nfds] = virNetMessageDupFD(msg, nfds)) < 0)
                    goto cleanup;
            }
        }
        if (virNetMessageDecodePayload(msg, ret_filter, ret) < 0)
            goto cleanup;
        if (outfds && noutfds) {
            *outfds = g_steal_pointer(&fds);
            *noutfds = nfds;
            nfds = 0;
        }
        rv = 0;
        break;

    case VIR_NET_ERROR: {
        virNetMessageError err;

        memset(&err, 0, sizeof(err));
        if (virNetMessageDecodePayload(msg, (xdrproc_t)xdr_virNetMessageError, &err) < 0)
            goto cleanup;
        virNetMessageErrorToLast(&err);
        xdr_free((xdrproc_t)xdr_virNetMessageError, (char *)&err);
        break;
    }

    case VIR_NET_CONTINUE:
    default:
        virReportError(VIR_ERR_RPC, "Unexpected status %d in reply to proc %d",
                       msg->header.status, proc);
        break;
    }

 cleanup:
    for (size_t i = 0; i < nfds; i++)
        VIR_FORCE_CLOSE(fds[i]);
    g_free(fds);
    virNetMessageFree(msg);
    return rv;
}


int
virNetClientProgramCallStream(virNetClientProgram *prog,
                              virNetClient *client,
                              virNetClientStream *st,
                              int proc,
                              xdrproc_t args_filter, void *args,
                              xdrproc_t ret_filter, void *ret)
{
    virNetMessageHeader hdr = {
        .prog = prog->program, .vers = prog->version, .proc = proc,
        .type = VIR_NET_CALL, .serial = virNetClientNewSerial(client), .status = VIR_NET_OK,
    };
    int rv;

    if (virNetClientStreamBind(st, client, &hdr) < 0)
        return -1;
    if (virNetClientAddStream(client, st) < 0) {
        virNetClientStreamUnbind(st);
        return -1;
    }
    rv = virNetClientProgramCall(prog, client, hdr.serial, proc, 0, NULL, NULL, NULL,
                                 args_filter, args, ret_filter, ret);
    if (rv < 0) {
        virError *saved = virErrorPreserveLast();

        virNetClientRemoveStream(client, st);
        virNetClientStreamUnbind(st);
        virErrorRestore(&saved);
    }
    return rv;
}
