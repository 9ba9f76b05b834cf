/*
 * admindispatch.c: the hand-written part of the admin program's dispatch
 * (admin_protocol_server.h): who may connect, the "connection" the
 * generated handlers use, and the procedures whose shape is not an API
 * call (@generate: none): opening, closing, and our metrics.
 *
 * Ownership: every admin client's private data is the daemon object
 * (borrowed: it outlives the admin server and its clients).
 * Locking: nothing of its own; the calls lock what they touch.
 */
#include <string.h>
#include <unistd.h>

#include "admindispatch.h"
#include "virconnect.h"
#include "virerror.h"
#include "virlog.h"
#include "virmetrics.h"

#define VIR_FROM_THIS VIR_FROM_ADMIN

VIR_LOG_INIT("daemon.admindispatch");


int
adminClientInitHook(virNetServer *srv G_GNUC_UNUSED, virNetServerClient *client,
                    void *opaque)
{
    uid_t uid;
    gid_t gid;
    pid_t pid;

    /* libvirtd's rule: only the daemon's own user administers it, whatever
     * the socket's permissions let through. */
    if (virNetServerClientGetUNIXIdentity(client, &uid, &gid, &pid) < 0) {
        VIR_WARN("admin: refusing client %llu: no UNIX credentials",
                 virNetServerClientGetID(client));
        return -1;
    }
    if (uid != geteuid()) {
        VIR_WARN("admin: refusing client %llu (pid %lld) with uid %lld",
                 virNetServerClientGetID(client), (long long)pid, (long long)uid);
        return -1;
    }
    virNetServerClientSetPrivateData(client, opaque, NULL);
    return 0;
}


virAdmDaemon *
adminConnGet(virNetServerCall *call)
{
    virAdmDaemon *dmn = virNetServerClientGetPrivateData(call->client);

    if (!dmn)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "admin client without a daemon");
    return dmn;
}


void
adminConnRelease(virAdmDaemon *dmn G_GNUC_UNUSED)
{
    /* Borrowed: nothing to drop, and the thread's error stays. */
}


int
adminDispatchConnectOpen(virNetServerCall *call G_GNUC_UNUSED, admin_connect_open_args *args)
{
    unsigned int flags = args->flags;

    virDriverCheckFlags(flags, 0, -1);
    return 0;
}


int
adminDispatchConnectClose(virNetServerCall *call)
{
    /* The reply goes out first. */
    virNetServerClientDelayedClose(call->client);
    return 0;
}


/* ---- metrics ---------------------------------------------------------- */

static void
adminMetricsProc(admin_proc_metrics *dst, virNetServerProgram *prog,
                 const virNetServerProcMetrics *src)
{
    dst->prog = virNetServerProgramGetID(prog);
    dst->vers = virNetServerProgramGetVersion(prog);
    dst->proc = src->proc;
    dst->name = g_strdup(src->name);
    dst->calls = src->op.calls;
    dst->errors = src->op.errors;
    dst->inflight = src->op.inflight;
    dst->sum_us = src->op.sumUs;
    dst->buckets.buckets_len = VIR_METRICS_BUCKETS;
    dst->buckets.buckets_val = g_new0(uint64_t, VIR_METRICS_BUCKETS);
    memcpy(dst->buckets.buckets_val, src->op.buckets, sizeof(src->op.buckets));
}


int
adminDispatchServerGetMetrics(virNetServerCall *call, admin_server_get_metrics_args *args,
                              admin_server_get_metrics_ret *ret)
{
    virAdmDaemon *dmn = adminConnGet(call);
    g_autoptr(GPtrArray) clients = NULL;
    GArray *procs;
    virNetServer *srv;
    virMetricsMemory mem;
    unsigned int flags = args->flags;

    G_STATIC_ASSERT(VIR_METRICS_BUCKETS <= ADMIN_METRICS_BUCKETS_MAX);
    virDriverCheckFlags(flags, 0, -1);
    if (!dmn || !(srv = virAdmDaemonGetServer(dmn, args->srv.name)))
        return -1;

    ret->bounds_us.bounds_us_len = VIR_METRICS_BUCKETS;
    ret->bounds_us.bounds_us_val = g_new0(uint64_t, VIR_METRICS_BUCKETS);
    memcpy(ret->bounds_us.bounds_us_val, virMetricsBucketBoundsUs,
           sizeof(virMetricsBucketBoundsUs));

    procs = g_array_new(FALSE, TRUE, sizeof(admin_proc_metrics));
    for (size_t p = 0; p < virNetServerGetNPrograms(srv); p++) {
        virNetServerProgram *prog = virNetServerGetProgram(srv, p);
        virNetServerProcMetrics *list = NULL;
        size_t n = virNetServerProgramGetMetrics(prog, &list);

        for (size_t i = 0; i < n; i++) {
            admin_proc_metrics m = { 0 };

            adminMetricsProc(&m, prog, &list[i]);
            g_array_append_val(procs, m);
        }
        g_free(list);
    }
    ret->procs.procs_len = procs->len;
    ret->procs.procs_val = (admin_proc_metrics *)(void *)g_array_free(procs, FALSE);

    clients = virNetServerGetClients(srv);
    ret->clients.clients_len = clients->len;
    ret->clients.clients_val = g_new0(admin_client_metrics, clients->len + 1);
    for (guint i = 0; i < clients->len; i++) {
        virNetServerClient *client = g_ptr_array_index(clients, i);
        admin_client_metrics *m = &ret->clients.clients_val[i];
        virNetServerClientStats st;

        virNetServerClientGetStats(client, &st);
        m->id = virNetServerClientGetID(client);
        m->transport = virNetServerClientGetTransport(client);
        m->bytes_rx = st.bytesRx;
        m->bytes_tx = st.bytesTx;
        m->calls = st.calls;
        m->inflight = st.inflight;
    }
    virMetricsMemoryGet(&mem);
    ret->process.rss = mem.rssBytes;
    ret->process.heap_in_use = mem.heapInUseBytes;
    ret->process.heap_free = mem.heapFreeBytes;
    ret->process.heap_mapped = mem.heapMappedBytes;
    virNetServerUnref(srv);
    return 0;
}
