/*
 * lxcagentprocess.h: the guest agent process of one container, as its
 * controller (virtnet_lxc) runs it: virtnet-agent started inside the
 * container, watched, and started again when it ends.
 *
 * The controller binds a listening UNIX socket, DIR/NAME.agent (0600),
 * which the daemon connects to; the agent inherits it. The agent is
 * forked straight into the container's PID namespace (the controller's
 * thread switches its namespace for children around the fork, then back)
 * and is the controller's own child; it is given a pidfd of the init and
 * enters the init's other namespaces itself before anything else (see
 * src/agent/virtnet-agent.c). It dies with the controller (parent death
 * signal) and with the container (the PID namespace's end).
 *
 * An agent that ends is started again after a delay that doubles while it
 * keeps dying young (200 ms up to 10 s). The owner hears of every start
 * and end through its callback (the controller turns them into the
 * monitor's AGENT events).
 *
 * Threading: everything runs on the controller's event loop thread.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "lxccgroup.h"
#include "virevent.h"

typedef struct _lxcAgentProcess lxcAgentProcess;

/* started: true when an agent was started, false when one ended. */
typedef void (*lxcAgentProcessNotify)(lxcAgentProcess *ap, bool started, void *opaque);

/* sockPath: the socket to serve; agentPath: the virtnet-agent binary;
 * initPidfd: a pidfd of the container's init (borrowed); cg: the
 * container's cgroups to put the agent in (borrowed; NULL: none). Binds the
 * socket; NULL with an error. */
lxcAgentProcess *lxcAgentProcessNew(virEventLoop *loop, const char *sockPath,
                                    const char *agentPath, int initPidfd,
                                    const lxcCgroup *cg,
                                    lxcAgentProcessNotify notify, void *opaque);
/* Start the agent (and keep it running). -1 with an error. */
int lxcAgentProcessStart(lxcAgentProcess *ap);
/* No more restarts; the agent is killed. The socket stays until Free. */
void lxcAgentProcessStop(lxcAgentProcess *ap);
bool lxcAgentProcessRunning(lxcAgentProcess *ap);
/* Stops, removes the socket. */
void lxcAgentProcessFree(lxcAgentProcess *ap);
