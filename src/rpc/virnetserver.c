/*
 * virnetserver.c: services, clients, programs and the worker pool.
 *
 * A complete message comes from a client's I/O on the loop thread
 * (virNetServerDispatchNewMessage). Its procedure's exec class decides
 * where it runs: inline right there, or as a job on the thread pool
 * (priority jobs for the prio class). Programs are fixed before
 * virNetServerStart and never change afterwards, so lookups take no lock.
 *
 * Locking: srv->lock guards the client list, counters and the client
 * limits of cfg (max_clients, max_anonymous_clients: set at run time by
 * virNetServerSetClientLimits); it is never held while calling into a
 * client, a service callback or a handler, with one exception: toggling
 * the services' accept watches (virNetServerServiceToggle only updates
 * loop watches, which never calls back). The rest of cfg is fixed. The
 * thread pool has its own lock and run-time setters; srv->lock is not
 * held around them.
 * References: the server holds one reference on each client in its list,
 * dropped by the client's close hook; each job holds one on its client.
 */
#include <errno.h>
#include <poll.h>

#include "virnetserver.h"
#include "virkeepalive.h"
#include "virthreadpool.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netserver");

#define VIR_NET_SERVER_MAX_PROGRAMS 16

struct _virNetServer {
    gint refs;
    char *name;
    virNetServerConfig cfg;
    virEventLoop *loop;
    virThreadPool *workers;

    virNetServerProgram *programs[VIR_NET_SERVER_MAX_PROGRAMS];
    size_t nprograms;
    virNetServerClientInitHook initHook;
    void *initOpaque;

    GMutex lock;
    GPtrArray *services;
    GPtrArray *clients;           /* references held */
    size_t nclients_unauth;
    unsigned long long nextClientID;
    bool started;
    bool shuttingDown;
    bool servicesEnabled;
};

typedef struct {
    virNetServer *srv;
    virNetServerClient *client;
    virNetServerProgram *prog;
    const virNetServerProgramProc *proc;   /* looked up once, on the loop thread */
    virNetMessage *msg;
} virNetServerJob;


void
virNetServerConfigDefaults(virNetServerConfig *cfg)
{
    cfg->min_workers = 5;
    cfg->max_workers = 20;
    cfg->prio_workers = 5;
    cfg->max_queued_jobs = 0;
    cfg->max_clients = 5000;
    cfg->max_anonymous_clients = 20;
    cfg->max_client_requests = 5;
    cfg->keepalive_interval = 5;
    cfg->keepalive_count = 5;
    cfg->keepalive_all = false;
    cfg->tls_handshake_timeout = 60;
    cfg->preauth_message_max = VIR_NET_SERVER_PREAUTH_MESSAGE_MAX;
    cfg->preauth_buffer_max = VIR_NET_SERVER_PREAUTH_BUFFER_MAX;
}


static void
virNetServerHandleJob(void *jobdata, void *opaque G_GNUC_UNUSED)
{
    virNetServerJob *job = jobdata;

    if (virNetServerProgramDispatch(job->prog, job->srv, job->client, job->msg, job->proc) < 0)
        virNetServerClientClose(job->client);
    virNetServerClientUnref(job->client);
    virNetServerProgramUnref(job->prog);
    g_free(job);
}


virNetServer *
virNetServerNew(const char *name, const virNetServerConfig *cfg, virEventLoop *loop)
{
    virNetServer *srv = g_new0(virNetServer, 1);

    srv->refs = 1;
    srv->name = g_strdup(name);
    srv->cfg = *cfg;
    srv->loop = loop;
    g_mutex_init(&srv->lock);
    srv->services = g_ptr_array_new();
    srv->clients = g_ptr_array_new();
    srv->nextClientID = 1;
    if (!(srv->workers = virThreadPoolNew(cfg->min_workers, cfg->max_workers,
                                          cfg->prio_workers, cfg->max_queued_jobs,
                                          virNetServerHandleJob, name, srv))) {
        virNetServerUnref(srv);
        return NULL;
    }
    return srv;
}


virNetServer *
virNetServerRef(virNetServer *srv)
{
    g_atomic_int_inc(&srv->refs);
    return srv;
}


void
virNetServerUnref(virNetServer *srv)
{
    GPtrArray *clients;

    if (!srv || !g_atomic_int_dec_and_test(&srv->refs))
        return;

    /* Jobs hold no server reference: finish them before tearing down. */
    virThreadPoolFree(srv->workers);
    /* Take the list under the lock: a client closing on the loop thread
     * removes itself from it. Clearing each hook waits for one that is
     * running, so no hook touches srv once it is freed. */
    g_mutex_lock(&srv->lock);
    clients = g_steal_pointer(&srv->clients);
    srv->clients = g_ptr_array_new();
    g_mutex_unlock(&srv->lock);
    for (guint i = 0; i < clients->len; i++) {
        virNetServerClient *client = g_ptr_array_index(clients, i);
        virNetServerClientSetCloseHook(client, NULL, NULL);
        virNetServerClientClose(client);
        virNetServerClientUnref(client);
    }
    g_ptr_array_free(clients, TRUE);
    g_ptr_array_free(srv->clients, TRUE);
    for (guint i = 0; i < srv->services->len; i++)
        virNetServerServiceFree(g_ptr_array_index(srv->services, i));
    g_ptr_array_free(srv->services, TRUE);
    for (size_t i = 0; i < srv->nprograms; i++)
        virNetServerProgramUnref(srv->programs[i]);
    g_mutex_clear(&srv->lock);
    g_free(srv->name);
    g_free(srv);
}


const char *virNetServerGetName(virNetServer *srv) { return srv->name; }
virEventLoop *virNetServerGetLoop(virNetServer *srv) { return srv->loop; }


int
virNetServerAddProgram(virNetServer *srv, virNetServerProgram *prog)
{
    if (srv->started) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "programs must be added before the server starts");
        return -1;
    }
    if (srv->nprograms >= VIR_NET_SERVER_MAX_PROGRAMS) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "too many programs (at most %d)",
                       VIR_NET_SERVER_MAX_PROGRAMS);
        return -1;
    }
    srv->programs[srv->nprograms++] = virNetServerProgramRef(prog);
    return 0;
}


void
virNetServerSetClientInitHook(virNetServer *srv, virNetServerClientInitHook hook,
                              void *opaque)
{
    srv->initHook = hook;
    srv->initOpaque = opaque;
}


static virNetServerProgram *
virNetServerFindProgram(virNetServer *srv, virNetMessage *msg)
{
    for (size_t i = 0; i < srv->nprograms; i++) {
        if (virNetServerProgramMatches(srv->programs[i], msg))
            return srv->programs[i];
    }
    return NULL;
}


static void
virNetServerDispatchNewMessage(virNetServerClient *client, virNetMessage *msg,
                               void *opaque)
{
    virNetServer *srv = opaque;
    virNetServerProgram *prog = virNetServerFindProgram(srv, msg);
    const virNetServerProgramProc *proc;
    virNetServerJob *job;

    if (!prog) {
        if (msg->header.type == VIR_NET_CALL || msg->header.type == VIR_NET_CALL_WITH_FDS) {
            virReportError(VIR_ERR_RPC, "Cannot find program %u version %u",
                           msg->header.prog, msg->header.vers);
            if (virNetServerProgramSendReplyError(client, msg, NULL) < 0)
                virNetServerClientClose(client);
        } else {
            VIR_WARN("client %llu: dropping %s message for unknown program %u",
                     virNetServerClientGetID(client),
                     virNetMessageTypeName(msg->header.type), msg->header.prog);
            if (msg->tracked)
                virNetServerClientRequestDone(client);
            virNetMessageFree(msg);
        }
        return;
    }

    proc = virNetServerProgramGetProc(prog, msg->header.proc);
    /* Unknown procedures only produce an error: cheap, answer inline. */
    if (!proc || !proc->func || proc->exec == VIR_NET_EXEC_INLINE) {
        /* held until the dispatch ends: once the reply is out, the server
         * (and its programs) may be freed by another thread */
        virNetServerProgramRef(prog);
        if (virNetServerProgramDispatch(prog, srv, client, msg, proc) < 0)
            virNetServerClientClose(client);
        virNetServerProgramUnref(prog);
        return;
    }

    job = g_new0(virNetServerJob, 1);
    job->srv = srv;
    job->client = virNetServerClientRef(client);
    job->prog = virNetServerProgramRef(prog);
    job->proc = proc;
    job->msg = msg;
    if (virThreadPoolSendJob(srv->workers,
                             proc->exec == VIR_NET_EXEC_PRIO ||
                             (proc->flags & VIR_NET_PROC_PRIORITY),
                             job) < 0) {
        /* Queue full: answer with the error rather than hold the call. */
        virNetServerClientUnref(job->client);
        virNetServerProgramUnref(job->prog);
        g_free(job);
        if (virNetServerProgramSendReplyError(client, msg, NULL) < 0)
            virNetServerClientClose(client);
    }
}


/* Enable or disable accepting, from the client counts. srv->lock held. */
static void
virNetServerCheckLimitsLocked(virNetServer *srv)
{
    bool enable = !srv->shuttingDown && srv->started;

    if (srv->cfg.max_clients && srv->clients->len >= srv->cfg.max_clients) {
        if (srv->servicesEnabled)
            VIR_WARN("%s: too many active clients (%u); suspending accept",
                     srv->name, srv->clients->len);
        enable = false;
    }
    if (srv->cfg.max_anonymous_clients &&
        srv->nclients_unauth >= srv->cfg.max_anonymous_clients) {
        if (srv->servicesEnabled)
            VIR_WARN("%s: too many unauthenticated clients (%zu); suspending accept",
                     srv->name, srv->nclients_unauth);
        enable = false;
    }
    if (enable == srv->servicesEnabled)
        return;
    srv->servicesEnabled = enable;
    for (guint i = 0; i < srv->services->len; i++)
        virNetServerServiceToggle(g_ptr_array_index(srv->services, i), enable);
}


/* Close hook: forget the client and drop the list's reference. */
static void
virNetServerRemoveClient(virNetServerClient *client, void *opaque)
{
    virNetServer *srv = opaque;
    bool found;

    g_mutex_lock(&srv->lock);
    found = g_ptr_array_remove_fast(srv->clients, client);
    if (found && !virNetServerClientIsAuthenticated(client) && srv->nclients_unauth > 0)
        srv->nclients_unauth--;
    virNetServerCheckLimitsLocked(srv);
    /* a descriptor is free again: a service that ran out may accept */
    for (guint i = 0; found && i < srv->services->len; i++)
        virNetServerServiceResume(g_ptr_array_index(srv->services, i));
    if (found)
        VIR_DEBUG("%s: client %llu gone", srv->name, virNetServerClientGetID(client));
    g_mutex_unlock(&srv->lock);
    /* Nothing of srv after its lock: the server may be going away. */
    if (found)
        virNetServerClientUnref(client);
}


int
virNetServerAddClient(virNetServer *srv, virNetServerClient *client)
{
    g_mutex_lock(&srv->lock);
    if (srv->shuttingDown) {
        g_mutex_unlock(&srv->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "server is shutting down");
        return -1;
    }
    g_ptr_array_add(srv->clients, virNetServerClientRef(client));
    if (!virNetServerClientIsAuthenticated(client))
        srv->nclients_unauth++;
    virNetServerCheckLimitsLocked(srv);
    g_mutex_unlock(&srv->lock);

    virNetServerClientSetCloseHook(client, virNetServerRemoveClient, srv);
    virNetServerClientInitKeepAlive(client, srv->cfg.keepalive_interval,
                                    srv->cfg.keepalive_count);
    if (srv->initHook && srv->initHook(srv, client, srv->initOpaque) < 0)
        goto error;
    if (virNetServerClientInit(client, srv->loop, virNetServerDispatchNewMessage, srv) < 0)
        goto error;
    if (srv->cfg.keepalive_all && virNetServerClientStartKeepAlive(client) < 0)
        goto error;
    return 0;

 error:
    virNetServerClientClose(client);
    return -1;
}


static int
virNetServerAcceptClient(virNetServerService *svc, virNetSocket *sock, void *opaque)
{
    virNetServer *srv = opaque;
    virNetServerClient *client;
    virNetTLSContext *tls;
    g_autofree char *addr = g_strdup(virNetSocketRemoteAddrString(sock));
    unsigned long long id;
    int ret;

    g_mutex_lock(&srv->lock);
    id = srv->nextClientID++;
    g_mutex_unlock(&srv->lock);

    /* The context current now; a later SIGHUP does not touch this client. */
    tls = virNetServerServiceGetTLSContext(svc);
    client = virNetServerClientNewTLS(id, sock,
                                      virNetServerServiceGetAuth(svc),
                                      virNetServerServiceIsReadonly(svc),
                                      srv->cfg.max_client_requests, tls);
    virNetTLSContextUnref(tls);
    if (!client) {
        VIR_WARN("%s: refused client %s: %s", srv->name, addr, virGetLastErrorMessage());
        return -1;
    }
    virNetServerClientSetHandshakeTimeout(client, srv->cfg.tls_handshake_timeout);
    virNetServerClientSetPreauthLimits(client, srv->cfg.preauth_message_max,
                                       srv->cfg.preauth_buffer_max);
    ret = virNetServerAddClient(srv, client);
    if (ret < 0)
        VIR_WARN("%s: refused client %s: %s", srv->name,
                 virNetSocketRemoteAddrString(sock), virGetLastErrorMessage());
    virNetServerClientUnref(client);
    return ret;
}


int
virNetServerAddService(virNetServer *srv, virNetServerService *svc)
{
    g_mutex_lock(&srv->lock);
    g_ptr_array_add(srv->services, svc);
    g_mutex_unlock(&srv->lock);
    if (srv->started)
        return virNetServerServiceStart(svc, srv->loop, virNetServerAcceptClient, srv);
    return 0;
}


int
virNetServerStart(virNetServer *srv)
{
    g_mutex_lock(&srv->lock);
    srv->started = true;
    srv->servicesEnabled = true;
    for (guint i = 0; i < srv->services->len; i++) {
        if (virNetServerServiceStart(g_ptr_array_index(srv->services, i), srv->loop,
                                     virNetServerAcceptClient, srv) < 0) {
            g_mutex_unlock(&srv->lock);
            return -1;
        }
    }
    virNetServerCheckLimitsLocked(srv);
    g_mutex_unlock(&srv->lock);
    return 0;
}


/* Snapshot of the client list with references, for work outside the lock. */
GPtrArray *
virNetServerGetClients(virNetServer *srv)
{
    GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)virNetServerClientUnref);

    g_mutex_lock(&srv->lock);
    for (guint i = 0; i < srv->clients->len; i++)
        g_ptr_array_add(list, virNetServerClientRef(g_ptr_array_index(srv->clients, i)));
    g_mutex_unlock(&srv->lock);
    return list;
}


void
virNetServerShutdown(virNetServer *srv, int timeout_ms)
{
    g_autoptr(GPtrArray) clients = NULL;
    uint64_t deadline = virTimeMonoMs() + (timeout_ms > 0 ? timeout_ms : 0);

    VIR_INFO("%s: shutting down", srv->name);
    g_mutex_lock(&srv->lock);
    srv->shuttingDown = true;
    for (guint i = 0; i < srv->services->len; i++)
        virNetServerServiceClose(g_ptr_array_index(srv->services, i));
    g_mutex_unlock(&srv->lock);

    clients = virNetServerGetClients(srv);
    for (guint i = 0; i < clients->len; i++)
        virNetServerClientSetQuiesce(g_ptr_array_index(clients, i), true);

    /* Calls in flight finish; their replies are queued (and mostly written
     * by the worker that produced them). */
    virThreadPoolDrain(srv->workers);

    /* Give the remaining bytes a chance to leave, then close everyone. */
    for (guint i = 0; i < clients->len; i++) {
        virNetServerClient *client = g_ptr_array_index(clients, i);
        virNetServerClientDelayedClose(client);
    }
    for (guint i = 0; i < clients->len; i++) {
        virNetServerClient *client = g_ptr_array_index(clients, i);
        while (!virNetServerClientIsClosed(client) &&
               virNetServerClientQueuedBytes(client) > 0 &&
               virTimeMonoMs() < deadline)
            g_usleep(1000);
        virNetServerClientClose(client);
    }
}


size_t
virNetServerGetNClients(virNetServer *srv)
{
    size_t n;

    g_mutex_lock(&srv->lock);
    n = srv->clients->len;
    g_mutex_unlock(&srv->lock);
    return n;
}


size_t
virNetServerGetNUnauthClients(virNetServer *srv)
{
    size_t n;

    g_mutex_lock(&srv->lock);
    n = srv->nclients_unauth;
    g_mutex_unlock(&srv->lock);
    return n;
}


void
virNetServerClientAuthDone(virNetServer *srv, virNetServerClient *client)
{
    g_mutex_lock(&srv->lock);
    if (!virNetServerClientIsAuthenticated(client)) {
        virNetServerClientSetAuthenticated(client);
        if (srv->nclients_unauth > 0)
            srv->nclients_unauth--;
        virNetServerCheckLimitsLocked(srv);
    }
    g_mutex_unlock(&srv->lock);
}


size_t
virNetServerBroadcastEvent(virNetServer *srv, virNetServerProgram *prog,
                           int procedure, xdrproc_t filter, void *data)
{
    g_autoptr(GPtrArray) clients = virNetServerGetClients(srv);
    size_t sent = 0;

    for (guint i = 0; i < clients->len; i++) {
        if (virNetServerProgramSendEvent(prog, g_ptr_array_index(clients, i),
                                         procedure, filter, data) == 0)
            sent++;
    }
    return sent;
}


size_t
virNetServerGetCurrentWorkers(virNetServer *srv)
{
    return virThreadPoolGetCurrentWorkers(srv->workers);
}


void
virNetServerGetThreadPoolInfo(virNetServer *srv, virNetServerThreadPoolInfo *info)
{
    info->minWorkers = virThreadPoolGetMinWorkers(srv->workers);
    info->maxWorkers = virThreadPoolGetMaxWorkers(srv->workers);
    info->nWorkers = virThreadPoolGetCurrentWorkers(srv->workers);
    info->freeWorkers = virThreadPoolGetFreeWorkers(srv->workers);
    info->prioWorkers = virThreadPoolGetPriorityWorkers(srv->workers);
    info->jobQueueDepth = virThreadPoolGetJobQueueDepth(srv->workers);
}


int
virNetServerSetThreadPoolParameters(virNetServer *srv, long long minWorkers,
                                    long long maxWorkers, long long prioWorkers)
{
    return virThreadPoolSetParameters(srv->workers, minWorkers, maxWorkers, prioWorkers);
}


void
virNetServerGetClientLimits(virNetServer *srv, virNetServerClientLimits *limits)
{
    g_mutex_lock(&srv->lock);
    limits->maxClients = srv->cfg.max_clients;
    limits->nClients = srv->clients->len;
    limits->maxUnauthClients = srv->cfg.max_anonymous_clients;
    limits->nUnauthClients = srv->nclients_unauth;
    g_mutex_unlock(&srv->lock);
}


int
virNetServerSetClientLimits(virNetServer *srv, long long maxClients,
                            long long maxUnauthClients)
{
    size_t max, maxUnauth;

    g_mutex_lock(&srv->lock);
    max = maxClients >= 0 ? (size_t)maxClients : srv->cfg.max_clients;
    maxUnauth = maxUnauthClients >= 0 ? (size_t)maxUnauthClients
                                      : srv->cfg.max_anonymous_clients;
    if (max < maxUnauth) {
        g_mutex_unlock(&srv->lock);
        /* libvirt's wording (its check is this one, worded backwards). */
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "The overall maximum number of clients waiting for authentication "
                       "must not be less than the overall maximum number of clients");
        return -1;
    }
    srv->cfg.max_clients = max;
    srv->cfg.max_anonymous_clients = maxUnauth;
    /* Connected clients stay; new ones wait in the backlog while over. */
    virNetServerCheckLimitsLocked(srv);
    g_mutex_unlock(&srv->lock);
    return 0;
}


virNetServerClient *
virNetServerLookupClient(virNetServer *srv, unsigned long long id)
{
    virNetServerClient *found = NULL;

    g_mutex_lock(&srv->lock);
    for (guint i = 0; i < srv->clients->len; i++) {
        virNetServerClient *client = g_ptr_array_index(srv->clients, i);
        if (virNetServerClientGetID(client) == id) {
            found = virNetServerClientRef(client);
            break;
        }
    }
    g_mutex_unlock(&srv->lock);
    if (!found)
        virReportError(VIR_ERR_NO_CLIENT, "No client with matching ID '%llu'", id);
    return found;
}


int
virNetServerUpdateTLSFiles(virNetServer *srv)
{
    virNetServerService *svc = NULL;
    virNetTLSContext *old = NULL;
    virNetTLSContext *fresh;

    g_mutex_lock(&srv->lock);
    for (guint i = 0; i < srv->services->len && !old; i++) {
        svc = g_ptr_array_index(srv->services, i);
        old = virNetServerServiceGetTLSContext(svc);
    }
    g_mutex_unlock(&srv->lock);
    if (!old) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "no tls service found, unable to update tls files");
        return -1;
    }
    /* Reading certificates is file I/O: this runs on a worker (the admin
     * call), never on the loop thread, and holds no lock meanwhile. */
    fresh = virNetTLSContextReload(old);
    virNetTLSContextUnref(old);
    if (!fresh)
        return -1;
    /* Services live as long as the server. New connections use the
     * fresh context; connected clients keep their session. */
    virNetServerServiceSetTLSContext(svc, fresh);
    virNetTLSContextUnref(fresh);
    VIR_INFO("%s: TLS certificates reloaded", srv->name);
    return 0;
}


void
virNetServerSetMetrics(virNetServer *srv, bool on)
{
    for (size_t i = 0; i < srv->nprograms; i++)
        virNetServerProgramSetMetrics(srv->programs[i], on);
}


size_t
virNetServerGetNPrograms(virNetServer *srv)
{
    return srv->nprograms;
}


virNetServerProgram *
virNetServerGetProgram(virNetServer *srv, size_t i)
{
    return i < srv->nprograms ? srv->programs[i] : NULL;
}
