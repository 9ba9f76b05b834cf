/*
 * virnetserverprogram.h: one RPC program (number + version) on the server,
 * with its generated procedure table.
 *
 * The table comes from generators/virnetgen.py: one entry per procedure in
 * the .x file, sorted by number, with the flags taken from the annotations
 * in the .x comments. An entry with a NULL handler is a procedure we know
 * but do not implement: it answers VIR_ERR_NO_SUPPORT.
 *
 * Handlers return 0 and fill *ret, or -1 after reporting an error (or
 * filling rerr). They run where the entry's exec class says.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <rpc/rpc.h>

#include "virnetmessage.h"

typedef struct _virNetServer virNetServer;
typedef struct _virNetServerClient virNetServerClient;
typedef struct _virNetServerProgram virNetServerProgram;

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

typedef int (*virNetServerProgramDispatchFunc)(virNetServer *server,
                                               virNetServerClient *client,
                                               virNetMessage *msg,
                                               virNetMessageError *rerr,
                                               void *args,
                                               void *ret);

typedef struct _virNetServerProgramProc virNetServerProgramProc;
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
};

virNetServerProgram *virNetServerProgramNew(unsigned int program,
                                            unsigned int version,
                                            const virNetServerProgramProc *procs,
                                            size_t nprocs);
virNetServerProgram *virNetServerProgramRef(virNetServerProgram *prog);
void virNetServerProgramUnref(virNetServerProgram *prog);

/* Reports the error for a call refused on a read-only connection. The
 * default is VIR_ERR_OPERATION_DENIED "read only access prevents <api>"
 * from VIR_FROM_RPC; a program whose clients expect the error from a
 * particular error domain (libvirt's API reports it per object) sets its
 * own. Set before the server starts. */
typedef void (*virNetServerProgramDeniedFunc)(const virNetServerProgramProc *proc);
void virNetServerProgramSetReadonlyDeniedFunc(virNetServerProgram *prog,
                                              virNetServerProgramDeniedFunc func);

unsigned int virNetServerProgramGetID(virNetServerProgram *prog);
unsigned int virNetServerProgramGetVersion(virNetServerProgram *prog);
bool virNetServerProgramMatches(virNetServerProgram *prog, virNetMessage *msg);
/* The table entry for a procedure number, or NULL when unknown. */
const virNetServerProgramProc *virNetServerProgramGetProc(virNetServerProgram *prog,
                                                          int procedure);

/* Run one incoming message of this program: for a call, decode the args,
 * run the handler and queue the reply (or error reply) on the client.
 * Takes ownership of msg. Returns -1 when the client must be closed (the
 * message could not be answered at all). Handlers may hand fds back by
 * virNetMessageAddFD(msg, fd) on the call message: fds past the ones that
 * came with the call go out with the reply. */
int virNetServerProgramDispatch(virNetServerProgram *prog,
                                virNetServer *server,
                                virNetServerClient *client,
                                virNetMessage *msg);

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
