/*
 * virnetserverprogram.h: one RPC program (number + version) on the server,
 * with its generated procedure table.
 *
 * The table comes from generators/virnetgen.py: one entry per procedure in
 * the .x file, sorted by number, with the flags taken from the annotations
 * in the .x comments. An entry with a NULL handler is a procedure we know
 * but do not implement: it answers VIR_ERR_NO_SUPPORT.
 *
 * Handlers get the call's context (virNetServerCall) and its decoded
 * args / zeroed ret; they return 0 and fill *ret, or -1 after reporting an
 * error (or filling call->rerr). They run where the entry's exec class
 * says. Whatever a handler put in *ret is freed (xdr_free) after the reply
 * is encoded, or at once when it fails; unless the reply borrows
 * (virNetServerCallLend): then the call frees what the reply borrows from
 * and the memory the reply took from virNetServerCallAlloc, never *ret's
 * pointers one by one.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <rpc/rpc.h>
#include <glib.h>

#include "virnetmessage.h"
#include "virmetrics.h"

typedef struct _virNetServer virNetServer;
typedef struct _virNetServerClient virNetServerClient;
typedef struct _virNetServerProgram virNetServerProgram;
typedef struct _virNetServerStream virNetServerStream;

typedef enum {
    VIR_NET_EXEC_WORKER = 0,   /* a normal worker thread (may block) */
    VIR_NET_EXEC_PRIO,         /* a priority worker (must not wait behind slow calls) */
    VIR_NET_EXEC_INLINE,       /* on the I/O thread: cheap, never blocks */
} virNetServerExecClass;

typedef enum {
    VIR_NET_PROC_READONLY = (1 << 0),  /* allowed on a read-only connection */
    VIR_NET_PROC_NOAUTH = (1 << 1),    /* allowed before authentication */
    VIR_NET_PROC_PRIORITY = (1 << 2),  /* high priority (jumps the job queue) */
    VIR_NET_PROC_EVENT = (1 << 3),     /* an event message, not a call */
} virNetServerProcFlags;

typedef struct _virNetServerProgramProc virNetServerProgramProc;
typedef struct _virNetServerCallBlock virNetServerCallBlock;

/* One call being answered: what a handler may need besides its args. The
 * dispatcher owns it; it lives for the handler's run. */
typedef struct _virNetServerCall virNetServerCall;
struct _virNetServerCall {
    virNetServer *server;
    virNetServerClient *client;
    virNetServerProgram *prog;
    virNetMessage *msg;                    /* the call (fds in, fds out) */
    virNetMessageError *rerr;              /* an error to answer instead of the last one */
    const virNetServerProgramProc *proc;   /* its table entry */
    virNetServerStream *stream;            /* a stream the call opened (a reference):
                                            * started once the reply is queued,
                                            * cancelled if the call fails */
    /* A reply that borrows (virNetServerCallLend); the dispatcher's */
    bool lending;
    GDestroyNotify lentFree;
    void *lent;
    virNetServerCallBlock *blocks;         /* virNetServerCallAlloc's memory */
};

/* A reply that borrows instead of copying: the handler hands the API's
 * result to the call (data, freed with freeFunc; data may be NULL) and
 * points the reply's strings into it, the reply's arrays taken from
 * virNetServerCallAlloc. Such a reply is never xdr_free'd: once it is
 * encoded, or when the call fails, the dispatcher frees the call's blocks
 * and then data. At most once per call, before any virNetServerCallAlloc. */
void virNetServerCallLend(virNetServerCall *call, GDestroyNotify freeFunc, void *data);
/* n zeroed elements of size bytes for a reply that borrows, carved from
 * blocks that live until the reply is encoded. Aborts, as g_malloc does,
 * when the memory cannot be had (or before virNetServerCallLend). */
void *virNetServerCallAlloc(virNetServerCall *call, size_t n, size_t size);

typedef int (*virNetServerProgramDispatchFunc)(virNetServerCall *call,
                                               void *args,
                                               void *ret);

struct _virNetServerProgramProc {
    int proc;
    const char *name;                      /* "REMOTE_PROC_DOMAIN_DESTROY" */
    const char *api;                       /* "virDomainDestroy" (for messages) */
    virNetServerProgramDispatchFunc func;  /* NULL: not implemented */
    size_t arg_size;
    xdrproc_t arg_filter;
    size_t ret_size;
    xdrproc_t ret_filter;
    unsigned int flags;                    /* virNetServerProcFlags */
    virNetServerExecClass exec;
    /* The error domain of the read-only refusal of a call that is not
     * READONLY, and of the "not supported" answer of one without func
     * (libvirt's API reports both from the object's domain: VIR_FROM_DOMAIN
     * for virDomain*); 0 is VIR_FROM_NONE. */
    int denied_domain;
};

virNetServerProgram *virNetServerProgramNew(unsigned int program,
                                            unsigned int version,
                                            const virNetServerProgramProc *procs,
                                            size_t nprocs);
virNetServerProgram *virNetServerProgramRef(virNetServerProgram *prog);
void virNetServerProgramUnref(virNetServerProgram *prog);

unsigned int virNetServerProgramGetID(virNetServerProgram *prog);
unsigned int virNetServerProgramGetVersion(virNetServerProgram *prog);
bool virNetServerProgramMatches(virNetServerProgram *prog, virNetMessage *msg);
/* The table entry for a procedure number, or NULL when unknown. */
const virNetServerProgramProc *virNetServerProgramGetProc(virNetServerProgram *prog,
                                                          int procedure);

/* Run one incoming message of this program: for a call, decode the args,
 * run the handler and queue the reply (or error reply) on the client.
 * proc is the message's table entry, looked up once by the caller (NULL:
 * not a procedure of ours). Takes ownership of msg. Returns -1 when the
 * client must be closed (the message could not be answered at all).
 * Handlers may hand fds back by virNetMessageAddFD(call->msg, fd): fds past
 * the ones that came with the call go out with the reply. */
int virNetServerProgramDispatch(virNetServerProgram *prog,
                                virNetServer *server,
                                virNetServerClient *client,
                                virNetMessage *msg,
                                const virNetServerProgramProc *proc);

/* Per-procedure metrics (virmetrics.h): every call of this program is
 * counted while they are on (the default). The number of a call with no
 * table entry counts as procedure -1, "unknown". */
void virNetServerProgramSetMetrics(virNetServerProgram *prog, bool on);

typedef struct {
    int proc;                   /* -1: numbers without a table entry */
    const char *name;           /* the table's name ("REMOTE_PROC_...") */
    virMetricsOp op;
} virNetServerProcMetrics;
/* A snapshot: every procedure of the table but events (and "unknown"
 * once it counted something), in table order. *out is the caller's
 * (g_free); returns its length. */
size_t virNetServerProgramGetMetrics(virNetServerProgram *prog,
                                     virNetServerProcMetrics **out);

/* Answer msg (a call) with an error reply built from rerr, or from the
 * thread's last error when rerr is NULL or empty. Takes ownership of msg. */
int virNetServerProgramSendReplyError(virNetServerClient *client,
                                      virNetMessage *msg,
                                      virNetMessageError *rerr);

/* Build a MESSAGE (event) for this program and queue it on the client. */
int virNetServerProgramSendEvent(virNetServerProgram *prog,
                                 virNetServerClient *client,
                                 int procedure,
                                 xdrproc_t filter, void *data);
