/*
 * lxcagent.c: the daemon's connection to a container's guest agent
 * (lxcagent.h).
 *
 * Connections are made from a zero-second timer on the agent loop (the
 * caller may hold the driver lock; a connect is I/O), replace the previous
 * one, and count as connected from READY on. The end of a connection is
 * handled from another timer on that loop, after any event the client
 * still holds was dispatched (so READY always comes first). A second READY
 * on one connection is a misbehaving agent: the connection is closed.
 *
 * Locking: agent->lock guards everything below it in the struct; it is
 * never held while calling the client or a callback. agent->cond wakes
 * callers waiting for their turn (busy) when a call ends or the agent goes.
 * References: the owner's, one per call in flight, one per loop timer
 * (dropped by the timer's free function, which runs on the loop thread
 * after any callback of the timer: nothing of the agent is used on that
 * thread once the last timer is gone).
 */
#include <string.h>
#include <glib.h>

#include "lxcagent.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetclient.h"
#include "virpublic.h"
#include "qemu_agent_protocol.h"
#include "qemu_agent_protocol_client.h"
#include "qemu_agent_protocol_names.h"

#define VIR_FROM_THIS VIR_FROM_LXC

VIR_LOG_INIT("drivers.lxc.agent");

/* libvirt's QEMU_AGENT_WAIT_TIME: the default timeout and the longest sync */
#define LXC_AGENT_WAIT_TIME 5

struct _lxcAgent {
    gint refs;
    char *sockPath;
    virEventLoop *loop;
    const lxcAgentCallbacks *cb;
    void *opaque;

    GMutex lock;
    GCond cond;
    virNetClient *client;           /* the current connection, or NULL */
    virNetClientProgram *prog;
    int connectTimer;
    int eofTimer;
    bool ready;                     /* READY arrived on the current connection */
    bool closed;                    /* lxcAgentClose ran */
    bool inSync;
    bool busy;                      /* a call runs */
    char *busyWith;                 /* its command */
};

static void lxcAgentReady(virNetClientProgram *prog, virNetClient *client,
                          qemu_agent_ready_msg *msg, void *opaque);

static const qemuAgentClientEventHandlers lxcAgentHandlers = {
    .ready = lxcAgentReady,
};


lxcAgent *
lxcAgentRef(lxcAgent *agent)
{
    if (agent)
        g_atomic_int_inc(&agent->refs);
    return agent;
}


void
lxcAgentUnref(lxcAgent *agent)
{
    if (!agent || !g_atomic_int_dec_and_test(&agent->refs))
        return;
    if (agent->client)
        virNetClientUnref(agent->client);
    if (agent->prog)
        virNetClientProgramUnref(agent->prog);
    g_mutex_clear(&agent->lock);
    g_cond_clear(&agent->cond);
    g_free(agent->busyWith);
    g_free(agent->sockPath);
    g_free(agent);
}


static void
lxcAgentUnrefOpaque(void *opaque)
{
    lxcAgentUnref(opaque);
}


/* "QEMU_AGENT_PROC_GET_FSINFO" -> "get-fsinfo", for messages */
static char *
lxcAgentCommandName(int proc)
{
    const char *name = qemuAgentProcedureName(proc);
    char *cmd;

    if (!name)
        return g_strdup_printf("%d", proc);
    cmd = g_ascii_strdown(name + strlen("QEMU_AGENT_PROC_"), -1);
    g_strdelimit(cmd, "_", '-');
    return cmd;
}


/* ------------------------------------------------------------------ */
/* Connections (agent loop thread)                                     */

static void
lxcAgentClosedCallback(virNetClient *client, int reason, void *opaque)
{
    lxcAgent *agent = opaque;

    g_mutex_lock(&agent->lock);
    VIR_DEBUG("agent connection %p closed (reason %d)", client, reason);
    if (client == agent->client && !agent->closed && agent->eofTimer >= 0)
        virEventLoopUpdateTimeout(agent->loop, agent->eofTimer, 0);
    g_cond_broadcast(&agent->cond);
    g_mutex_unlock(&agent->lock);
}


static void
lxcAgentEOFTimer(int timer, void *opaque)
{
    lxcAgent *agent = opaque;
    virNetClient *client;
    bool wasReady;

    g_mutex_lock(&agent->lock);
    client = agent->client ? virNetClientRef(agent->client) : NULL;
    g_mutex_unlock(&agent->lock);
    if (client && virNetClientPendingEvents(client) > 0) {
        virNetClientUnref(client);
        return;     /* its own timer dispatches them first */
    }
    if (client)
        virNetClientUnref(client);
    virEventLoopUpdateTimeout(agent->loop, timer, -1);

    g_mutex_lock(&agent->lock);
    if (agent->closed || (agent->client && virNetClientIsOpen(agent->client))) {
        g_mutex_unlock(&agent->lock);
        return;
    }
    wasReady = agent->ready;
    agent->ready = false;
    agent->inSync = false;
    g_cond_broadcast(&agent->cond);
    g_mutex_unlock(&agent->lock);
    VIR_INFO("guest agent at %s disconnected", agent->sockPath);
    if (wasReady && agent->cb->disconnected)
        agent->cb->disconnected(agent, agent->opaque);
}


static void
lxcAgentReady(virNetClientProgram *prog G_GNUC_UNUSED, virNetClient *client,
              qemu_agent_ready_msg *msg, void *opaque)
{
    lxcAgent *agent = opaque;
    bool again;

    g_mutex_lock(&agent->lock);
    if (agent->closed || client != agent->client) {
        g_mutex_unlock(&agent->lock);
        return;
    }
    again = agent->ready;
    agent->ready = true;
    agent->inSync = false;
    g_mutex_unlock(&agent->lock);
    if (again) {
        VIR_WARN("guest agent at %s greeted twice: closing its connection", agent->sockPath);
        virNetClientClose(client);
        return;
    }
    VIR_INFO("guest agent at %s connected (version %s)", agent->sockPath, msg->agent_version);
    if (agent->cb->connected)
        agent->cb->connected(agent, agent->opaque);
}


static void
lxcAgentConnectTimer(int timer, void *opaque)
{
    lxcAgent *agent = opaque;
    virNetClient *old = NULL, *client;
    virNetClientProgram *oldProg = NULL, *prog;
    bool wasReady;

    virEventLoopUpdateTimeout(agent->loop, timer, -1);
    g_mutex_lock(&agent->lock);
    if (agent->closed || (agent->client && virNetClientIsOpen(agent->client))) {
        g_mutex_unlock(&agent->lock);
        return;
    }
    old = g_steal_pointer(&agent->client);
    oldProg = g_steal_pointer(&agent->prog);
    /* the end of the previous connection may not have been handled yet */
    wasReady = agent->ready;
    agent->ready = false;
    agent->inSync = false;
    g_mutex_unlock(&agent->lock);
    if (wasReady && agent->cb->disconnected)
        agent->cb->disconnected(agent, agent->opaque);
    if (old) {
        virNetClientSetCloseCallback(old, NULL, NULL, NULL);
        virNetClientClose(old);
        virNetClientUnref(old);
        virNetClientProgramUnref(oldProg);
    }

    if (!(client = virNetClientNewUNIX(agent->sockPath))) {
        VIR_WARN("cannot connect to the guest agent at %s: %s", agent->sockPath,
                 virGetLastErrorMessage());
        virResetLastError();
        return;
    }
    /* the guest decides what it sends: bounded */
    virNetClientSetMessageMax(client, QEMU_AGENT_MESSAGE_MAX);
    virNetClientSetStrict(client, true);
    prog = qemuAgentClientProgramNew(&lxcAgentHandlers, agent);
    virNetClientAddProgram(client, prog);
    virNetClientSetCloseCallback(client, lxcAgentClosedCallback, lxcAgentRef(agent),
                                 lxcAgentUnrefOpaque);

    g_mutex_lock(&agent->lock);
    if (agent->closed) {
        g_mutex_unlock(&agent->lock);
        virNetClientSetCloseCallback(client, NULL, NULL, NULL);
        virNetClientClose(client);
        virNetClientUnref(client);
        virNetClientProgramUnref(prog);
        return;
    }
    agent->client = client;
    agent->prog = prog;
    g_mutex_unlock(&agent->lock);
    if (virNetClientAttachLoop(client, agent->loop) < 0) {
        VIR_WARN("cannot watch the guest agent at %s: %s", agent->sockPath,
                 virGetLastErrorMessage());
        virResetLastError();
        virNetClientClose(client);
    }
    VIR_DEBUG("connected to %s, waiting for READY", agent->sockPath);
}


lxcAgent *
lxcAgentNew(const char *sockPath, virEventLoop *loop, const lxcAgentCallbacks *callbacks,
            void *opaque)
{
    lxcAgent *agent = g_new0(lxcAgent, 1);

    agent->refs = 1;
    agent->sockPath = g_strdup(sockPath);
    agent->loop = loop;
    agent->cb = callbacks;
    agent->opaque = opaque;
    g_mutex_init(&agent->lock);
    g_cond_init(&agent->cond);
    agent->connectTimer = virEventLoopAddTimeout(loop, -1, lxcAgentConnectTimer,
                                                 lxcAgentRef(agent), lxcAgentUnrefOpaque);
    agent->eofTimer = virEventLoopAddTimeout(loop, -1, lxcAgentEOFTimer,
                                             lxcAgentRef(agent), lxcAgentUnrefOpaque);
    if (agent->connectTimer < 0 || agent->eofTimer < 0) {
        lxcAgentClose(agent);
        lxcAgentUnref(agent);
        return NULL;
    }
    return agent;
}


int
lxcAgentConnect(lxcAgent *agent)
{
    int rc = -1;

    g_mutex_lock(&agent->lock);
    if (!agent->closed && agent->connectTimer >= 0)
        rc = virEventLoopUpdateTimeout(agent->loop, agent->connectTimer, 0);
    g_mutex_unlock(&agent->lock);
    if (rc < 0)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "cannot connect to the guest agent");
    return rc;
}


void
lxcAgentClose(lxcAgent *agent)
{
    virNetClient *client;
    int timers[2];

    g_mutex_lock(&agent->lock);
    if (agent->closed) {
        g_mutex_unlock(&agent->lock);
        return;
    }
    agent->closed = true;
    agent->ready = false;
    client = agent->client ? virNetClientRef(agent->client) : NULL;
    timers[0] = agent->connectTimer;
    timers[1] = agent->eofTimer;
    agent->connectTimer = agent->eofTimer = -1;
    g_cond_broadcast(&agent->cond);
    g_mutex_unlock(&agent->lock);

    if (client) {
        virNetClientSetCloseCallback(client, NULL, NULL, NULL);
        virNetClientClose(client);      /* calls in flight fail now */
        virNetClientUnref(client);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(timers); i++) {
        if (timers[i] >= 0)
            virEventLoopRemoveTimeout(agent->loop, timers[i]);
    }
}


bool
lxcAgentIsConnected(lxcAgent *agent)
{
    bool ready;

    g_mutex_lock(&agent->lock);
    ready = agent->ready && !agent->closed;
    g_mutex_unlock(&agent->lock);
    return ready;
}


/* ------------------------------------------------------------------ */
/* Calls (any thread, no driver lock)                                  */

/* libvirt's response timeout in seconds -> a reply timeout in ms */
static int
lxcAgentTimeoutMs(int timeout)
{
    if (timeout == VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK)
        return -1;
    if (timeout == VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT)
        return LXC_AGENT_WAIT_TIME * 1000;
    return (int)MIN((gint64)timeout * 1000, G_MAXINT);
}


/* One exchange; -1 error (reported as libvirt reports the agent's), -2 the
 * agent does not know proc, -3 the connection ended meanwhile, -4 no
 * answer within the timeout (the caller reports). */
static int
lxcAgentExchange(virNetClient *client, virNetClientProgram *prog, int proc, const char *cmd,
                 xdrproc_t argsFilter, void *args, xdrproc_t retFilter, void *ret, int ms)
{
    virError *err;

    virNetClientSetReplyTimeout(client, ms);
    if (virNetClientProgramCall(prog, client, virNetClientNewSerial(client), proc, 0, NULL,
                                NULL, NULL, argsFilter, args, retFilter, ret) == 0)
        return 0;
    err = virGetLastError();
    if (err && err->code == VIR_ERR_OPERATION_TIMEOUT && err->domain == VIR_FROM_RPC &&
        virNetClientIsOpen(client))
        return -4;
    if (!virNetClientIsOpen(client)) {
        virReportError(VIR_ERR_AGENT_UNRESPONSIVE, "%s",
                       "Guest agent disappeared while executing command");
        return -3;
    }
    if (err && err->code == VIR_ERR_NO_SUPPORT) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "unable to execute QEMU agent command '%s': The command %s has not been found",
                       cmd, cmd);
        return -2;
    }
    {
        g_autofree char *why = g_strdup(err && err->message ? err->message : "unknown error");

        virReportError(VIR_ERR_INTERNAL_ERROR, "unable to execute QEMU agent command '%s': %s",
                       cmd, why);
    }
    return -1;
}


int
lxcAgentCall(lxcAgent *agent, int proc, xdrproc_t argsFilter, void *args,
             xdrproc_t retFilter, void *ret, int timeout)
{
    g_autofree char *cmd = lxcAgentCommandName(proc);
    gint64 deadline = g_get_monotonic_time() + LXC_AGENT_WAIT_SECONDS * G_USEC_PER_SEC;
    virNetClient *client;
    virNetClientProgram *prog;
    bool needSync;
    int rc;

    g_mutex_lock(&agent->lock);
    while (!agent->closed && agent->ready && agent->busy) {
        if (!g_cond_wait_until(&agent->cond, &agent->lock, deadline) &&
            agent->busy && agent->ready && !agent->closed) {
            virReportError(VIR_ERR_OPERATION_TIMEOUT,
                           "cannot acquire the guest agent (held by command '%s')",
                           agent->busyWith);
            g_mutex_unlock(&agent->lock);
            return -1;
        }
    }
    if (agent->closed || !agent->ready || !agent->client) {
        g_mutex_unlock(&agent->lock);
        virReportError(VIR_ERR_AGENT_UNRESPONSIVE, "%s", "QEMU guest agent is not connected");
        return -1;
    }
    agent->busy = true;
    g_free(agent->busyWith);
    agent->busyWith = g_strdup(cmd);
    client = virNetClientRef(agent->client);
    prog = virNetClientProgramRef(agent->prog);
    needSync = !agent->inSync;
    g_mutex_unlock(&agent->lock);

    /* An agent that may be out of step (a new connection, a call it did
     * not answer in time) must answer a sync first, within 5 s (or the
     * caller's shorter timeout). */
    if (needSync) {
        qemu_agent_sync_args sargs = { ((guint64)g_random_int() << 32) | g_random_int() };
        qemu_agent_sync_ret sret = { 0 };
        int syncTimeout = timeout >= 0 && timeout < LXC_AGENT_WAIT_TIME ? timeout
                                                                        : LXC_AGENT_WAIT_TIME;

        rc = lxcAgentExchange(client, prog, QEMU_AGENT_PROC_SYNC, "sync",
                              (xdrproc_t)xdr_qemu_agent_sync_args, &sargs,
                              (xdrproc_t)xdr_qemu_agent_sync_ret, &sret, syncTimeout * 1000);
        if (rc == 0 && sret.id != sargs.id) {
            virReportError(VIR_ERR_AGENT_UNSYNCED, "Expected %llu, got %llu",
                           (unsigned long long)sargs.id, (unsigned long long)sret.id);
            rc = -1;
        }
        if (rc < 0)
            goto done;
        g_mutex_lock(&agent->lock);
        agent->inSync = true;
        g_mutex_unlock(&agent->lock);
    }
    rc = lxcAgentExchange(client, prog, proc, cmd, argsFilter, args, retFilter, ret,
                          lxcAgentTimeoutMs(timeout));

 done:
    if (rc == -4) {
        virReportError(VIR_ERR_AGENT_UNRESPONSIVE, "%s", "Guest agent not available for now");
        rc = -1;
    }
    g_mutex_lock(&agent->lock);
    if (rc < 0 && !(rc == -2 || virGetLastErrorCode() == VIR_ERR_INTERNAL_ERROR))
        agent->inSync = false;
    agent->busy = false;
    g_cond_broadcast(&agent->cond);
    g_mutex_unlock(&agent->lock);
    virNetClientProgramUnref(prog);
    virNetClientUnref(client);
    return rc;
}
