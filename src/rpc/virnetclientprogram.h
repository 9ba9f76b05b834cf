/*
 * virnetclientprogram.h: one RPC program as seen by a client: typed calls
 * (through the generated stubs) and the table of event messages it accepts.
 *
 * Event handlers are the ones the program was created with; they run from
 * the client's event loop (a zero-second timer), never inside a call.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <rpc/rpc.h>

#include "virnetmessage.h"

typedef struct _virNetClient virNetClient;
typedef struct _virNetClientProgram virNetClientProgram;
typedef struct _virNetClientStream virNetClientStream;

typedef void (*virNetClientProgramDispatchFunc)(virNetClientProgram *prog,
                                                virNetClient *client,
                                                void *msg,
                                                void *opaque);

typedef struct _virNetClientProgramEvent virNetClientProgramEvent;
struct _virNetClientProgramEvent {
    int proc;
    const char *name;
    virNetClientProgramDispatchFunc func;
    size_t msg_len;
    xdrproc_t msg_filter;
};

/* handlers: the generated per-program struct of typed callbacks (kept by
 * pointer, must outlive the program); opaque is passed to each callback. */
virNetClientProgram *virNetClientProgramNew(unsigned int program,
                                            unsigned int version,
                                            const virNetClientProgramEvent *events,
                                            size_t nevents,
                                            const void *handlers,
                                            void *opaque);
virNetClientProgram *virNetClientProgramRef(virNetClientProgram *prog);
void virNetClientProgramUnref(virNetClientProgram *prog);

unsigned int virNetClientProgramGetProgram(virNetClientProgram *prog);
unsigned int virNetClientProgramGetVersion(virNetClientProgram *prog);
const void *virNetClientProgramGetHandlers(virNetClientProgram *prog);
bool virNetClientProgramMatches(virNetClientProgram *prog, virNetMessage *msg);

/* Does the program handle event proc? */
bool virNetClientProgramHasEvent(virNetClientProgram *prog, int proc);

/* Decode and dispatch one event message. 0, or -1 when the message is not
 * a known event (logged; the caller drops it). */
int virNetClientProgramDispatch(virNetClientProgram *prog,
                                virNetClient *client,
                                virNetMessage *msg);

/* A synchronous call. args/ret may be NULL with filter xdr_void. On an
 * error reply the server's error becomes the thread's last error and -1 is
 * returned; so it is on a transport failure. noutfds/outfds receive fds
 * passed back by the server (REPLY_WITH_FDS); infds are sent with the call. */
int virNetClientProgramCall(virNetClientProgram *prog,
                            virNetClient *client,
                            unsigned int serial,
                            int proc,
                            size_t ninfds, const int *infds,
                            size_t *noutfds, int **outfds,
                            xdrproc_t args_filter, void *args,
                            xdrproc_t ret_filter, void *ret);

/* A call that opens st (a new virNetClientStream, see virnetclientstream.h):
 * st takes the call's serial and is registered on the client before the
 * call goes out (the stream's first data may follow the reply at once);
 * when the call fails, st is released again. */
int virNetClientProgramCallStream(virNetClientProgram *prog,
                                  virNetClient *client,
                                  virNetClientStream *st,
                                  int proc,
                                  xdrproc_t args_filter, void *args,
                                  xdrproc_t ret_filter, void *ret);
