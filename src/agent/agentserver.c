/*
 * agentserver.c: the agent's RPC server (agentserver.h).
 *
 * The handlers below are the generated program's hand-written side
 * (protocol/qemu_agent_protocol_server.h): each finds the server through
 * the client's private data and calls the agentGuest operation. A power
 * request is answered first and carried out a moment later from a thread
 * of its own, so that the reply can leave before the guest goes down.
 * Every client gets READY from the server's ready hook, once its I/O is
 * set up.
 *
 * Locking: none of its own; the server's objects lock themselves.
 */
#include <string.h>

#include "agentserver.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetserver.h"
#include "virnetserverclient.h"
#include "virnetserverservice.h"
#include "qemu_agent_protocol.h"
#include "qemu_agent_protocol_server.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("agent.server");

#define AGENT_POWER_DELAY_MS 100    /* for the reply to leave first */

struct _agentServer {
    agentGuest *guest;
    virEventLoop *loop;
    virNetServer *srv;
    virNetServerProgram *prog;
    gint nextID;                /* of the clients agentServerAddSocket adds */
};

typedef struct {
    agentGuest *guest;
    int mode;
} agentPowerRequest;


static agentGuest *
agentCallGuest(virNetServerCall *call)
{
    agentServer *srv = virNetServerClientGetPrivateData(call->client);

    return srv->guest;
}


/* ------------------------------------------------------------------ */
/* Handlers                                                            */

int
qemuAgentDispatchSync(virNetServerCall *call G_GNUC_UNUSED, qemu_agent_sync_args *args,
                      qemu_agent_sync_ret *ret)
{
    ret->id = args->id;
    return 0;
}


int
qemuAgentDispatchPing(virNetServerCall *call G_GNUC_UNUSED)
{
    return 0;
}


/* The calls that only read the guest: handler = operation. */
#define AGENT_READ_HANDLER(Name, type) \
    int \
    qemuAgentDispatch##Name(virNetServerCall *call, type *ret) \
    { \
        return agentGuest##Name(agentCallGuest(call), ret); \
    }

AGENT_READ_HANDLER(Info, qemu_agent_info_ret)
AGENT_READ_HANDLER(GetHostname, qemu_agent_get_hostname_ret)
AGENT_READ_HANDLER(GetInterfaces, qemu_agent_get_interfaces_ret)
AGENT_READ_HANDLER(GetFSInfo, qemu_agent_get_fsinfo_ret)
AGENT_READ_HANDLER(GetUsers, qemu_agent_get_users_ret)
AGENT_READ_HANDLER(GetOSInfo, qemu_agent_get_os_info_ret)
AGENT_READ_HANDLER(GetTimezone, qemu_agent_get_timezone_ret)
AGENT_READ_HANDLER(GetTime, qemu_agent_get_time_ret)
AGENT_READ_HANDLER(GetVcpus, qemu_agent_get_vcpus_ret)


int
qemuAgentDispatchSetUserPassword(virNetServerCall *call, qemu_agent_set_user_password_args *args)
{
    return agentGuestSetUserPassword(agentCallGuest(call), args->user, args->password,
                                     args->crypted != 0);
}


int
qemuAgentDispatchSSHGetAuthorizedKeys(virNetServerCall *call,
                                      qemu_agent_ssh_get_authorized_keys_args *args,
                                      qemu_agent_ssh_get_authorized_keys_ret *ret)
{
    return agentGuestSSHGetKeys(agentCallGuest(call), args->user, ret);
}


int
qemuAgentDispatchSSHAddAuthorizedKeys(virNetServerCall *call,
                                      qemu_agent_ssh_add_authorized_keys_args *args)
{
    return agentGuestSSHAddKeys(agentCallGuest(call), args->user, args->keys.keys_val,
                                args->keys.keys_len, args->reset != 0);
}


int
qemuAgentDispatchSSHRemoveAuthorizedKeys(virNetServerCall *call,
                                         qemu_agent_ssh_remove_authorized_keys_args *args)
{
    return agentGuestSSHRemoveKeys(agentCallGuest(call), args->user, args->keys.keys_val,
                                   args->keys.keys_len);
}


int
qemuAgentDispatchSetVcpus(virNetServerCall *call, qemu_agent_set_vcpus_args *args,
                          qemu_agent_set_vcpus_ret *ret)
{
    return agentGuestSetVcpus(agentCallGuest(call), args, ret);
}


static gpointer
agentPowerThread(gpointer opaque)
{
    g_autofree agentPowerRequest *req = opaque;

    g_usleep(AGENT_POWER_DELAY_MS * 1000);
    if (agentGuestShutdownNow(req->guest, req->mode) < 0)
        VIR_ERROR("power request failed: %s", virGetLastErrorMessage());
    return NULL;
}


int
qemuAgentDispatchShutdown(virNetServerCall *call, qemu_agent_shutdown_args *args)
{
    agentGuest *guest = agentCallGuest(call);
    agentPowerRequest *req;
    GThread *th;

    if (agentGuestShutdownCheck(guest, args->mode) < 0)
        return -1;
    req = g_new0(agentPowerRequest, 1);
    req->guest = guest;
    req->mode = args->mode;
    if (!(th = g_thread_try_new("agent-power", agentPowerThread, req, NULL))) {
        g_free(req);
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "cannot start the power request");
        return -1;
    }
    g_thread_unref(th);
    return 0;
}


int
qemuAgentDispatchExec(virNetServerCall *call, qemu_agent_exec_args *args,
                      qemu_agent_exec_ret *ret)
{
    return agentGuestExec(agentCallGuest(call), args, ret);
}


/* ------------------------------------------------------------------ */
/* Clients                                                             */

/* A new client's I/O is set up: READY, the agent's greeting. */
static int
agentServerClientReady(virNetServer *s G_GNUC_UNUSED, virNetServerClient *client, void *opaque)
{
    agentServer *srv = opaque;
    qemu_agent_ready_msg msg = { .agent_version = (char *)agentGuestVersion() };

    VIR_DEBUG("client %llu connected", virNetServerClientGetID(client));
    virNetServerClientSetPrivateData(client, srv, NULL);
    return qemuAgentSendReady(srv->prog, client, &msg);
}


/* ------------------------------------------------------------------ */

agentServer *
agentServerNew(agentGuest *guest, virEventLoop *loop)
{
    agentServer *srv = g_new0(agentServer, 1);
    virNetServerConfig cfg;

    virNetServerConfigDefaults(&cfg);
    cfg.min_workers = 1;
    cfg.max_workers = 2;
    cfg.prio_workers = 0;
    cfg.max_clients = 8;
    cfg.max_anonymous_clients = 8;
    cfg.keepalive_interval = -1;

    srv->guest = guest;
    srv->loop = loop;
    if (!(srv->srv = virNetServerNew("virtnet-agent", &cfg, loop)))
        goto error;
    srv->prog = qemuAgentServerProgramNew();
    if (virNetServerAddProgram(srv->srv, srv->prog) < 0)
        goto error;
    virNetServerSetClientReadyHook(srv->srv, agentServerClientReady, srv);
    return srv;

 error:
    agentServerFree(srv);
    return NULL;
}


int
agentServerAddListenFD(agentServer *srv, int fd)
{
    virNetServerService *svc = virNetServerServiceNewFDs(&fd, 1,
                                                         VIR_NET_SERVER_SERVICE_AUTH_NONE, false);

    if (!svc)
        return -1;
    if (virNetServerAddService(srv->srv, svc) < 0) {
        virNetServerServiceFree(svc);
        return -1;
    }
    return 0;
}


int
agentServerAddSocket(agentServer *srv, virNetSocket *sock)
{
    virNetServerClient *client = virNetServerClientNew((unsigned long long)
                                                       g_atomic_int_add(&srv->nextID, 1) + 1,
                                                       sock,
                                                       VIR_NET_SERVER_SERVICE_AUTH_NONE,
                                                       false, 5);
    int rc;

    if (!client)
        return -1;
    rc = virNetServerAddClient(srv->srv, client);
    virNetServerClientUnref(client);
    return rc;
}


int
agentServerStart(agentServer *srv)
{
    return virNetServerStart(srv->srv);
}


void
agentServerShutdown(agentServer *srv, int timeout_ms)
{
    if (srv->srv)
        virNetServerShutdown(srv->srv, timeout_ms);
}


void
agentServerFree(agentServer *srv)
{
    if (!srv)
        return;
    if (srv->srv) {
        virNetServerShutdown(srv->srv, 1000);
        virNetServerUnref(srv->srv);
    }
    if (srv->prog)
        virNetServerProgramUnref(srv->prog);
    g_free(srv);
}
