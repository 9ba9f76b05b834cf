/*
 * lxcagent.h: the daemon's connection to one container's guest agent
 * (virtnet-agent, protocol/qemu_agent_protocol.x, docs/agent.md).
 *
 * A virNetClient with the generated qemu_agent client program, on the
 * UNIX socket the container's controller serves (<state dir>/NAME.agent),
 * attached to the driver's agent loop. The agent counts as connected once
 * its READY greeting arrived, and until the connection ends; the owner
 * hears of both through its callbacks, on the loop's thread.
 *
 * Calls (lxcAgentCall) are libvirt's agent commands: one at a time per
 * agent (a caller waits at most LXC_AGENT_WAIT_SECONDS for the one before
 * it), each bounded by a response timeout in seconds with libvirt's
 * meaning (VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK: as long as the agent
 * is connected; _DEFAULT: 5 s; _NOWAIT: only an answer already there),
 * preceded by a SYNC (at most 5 s) whenever the agent may be out of step
 * (a new connection, a call that timed out). Messages from the agent are
 * at most QEMU_AGENT_MESSAGE_MAX bytes: a longer one ends the connection.
 * Errors are libvirt's: VIR_ERR_AGENT_UNRESPONSIVE when the agent is not
 * connected, does not answer in time or goes away during a call;
 * VIR_ERR_INTERNAL_ERROR "unable to execute QEMU agent command" with the
 * agent's own message when it refuses.
 *
 * Threading and locking: calls run on any thread, never holding a driver
 * lock (they may wait for seconds); agent->lock guards the object's state
 * and is never held across I/O or a callback. Reference counted: the
 * owner holds one, each call in flight another.
 */
#pragma once

#include <stdbool.h>
#include <rpc/rpc.h>

#include "virevent.h"

typedef struct _lxcAgent lxcAgent;

/* Seconds a call waits for the agent's previous call to end. */
#define LXC_AGENT_WAIT_SECONDS 30

typedef struct {
    /* READY arrived: the agent is connected. */
    void (*connected)(lxcAgent *agent, void *opaque);
    /* A connected agent's connection ended (the agent died or closed it;
     * never after lxcAgentClose). */
    void (*disconnected)(lxcAgent *agent, void *opaque);
} lxcAgentCallbacks;

/* Not connected yet: lxcAgentConnect does. callbacks must outlive it. */
lxcAgent *lxcAgentNew(const char *sockPath, virEventLoop *loop,
                      const lxcAgentCallbacks *callbacks, void *opaque);
lxcAgent *lxcAgentRef(lxcAgent *agent);
void lxcAgentUnref(lxcAgent *agent);

/* Connect (again) unless a connection is open: 0, or -1 with an error. */
int lxcAgentConnect(lxcAgent *agent);
/* Our side is done (the domain stops): calls in flight fail, no callback
 * runs any more. */
void lxcAgentClose(lxcAgent *agent);
bool lxcAgentIsConnected(lxcAgent *agent);

/* One agent command: proc of the program with its args and ret (ret
 * zeroed by the caller, freed with xdr_free on success), timeout in
 * seconds as above. 0; -1 with an error; -2 with an error when the agent
 * does not know the command (the caller may ignore it). */
int lxcAgentCall(lxcAgent *agent, int proc, xdrproc_t argsFilter, void *args,
                 xdrproc_t retFilter, void *ret, int timeout);
