/*
 * remotedomain.c: the hand-written handlers of the domain and host API
 * whose shape the generator does not map (@generate: none in
 * remote_protocol.x): results in caller-sized buffers of C structs or CPU
 * maps, typed parameters without a count in the reply, a non-int return.
 *
 * Each checks the sizes the client asked for against the protocol's
 * limits before allocating (libvirtd's checks and wording), calls the
 * driver API (virconnect.h) and fills the reply; whatever it put in *ret
 * is freed by the caller after encoding, or at once on failure.
 * Locking: none here (remote.c's rules for the connection hold).
 */
#include <string.h>

#include "remote.h"
#include "virconnect.h"
#include "virerror.h"
#include "virnettypedparams.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/* A size the client asked for over the protocol's limit: libvirtd's
 * error, with its words (what). */
static bool
remoteOverLimit(gint64 value, gint64 limit, const char *what)
{
    if (value <= limit)
        return false;
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", what);
    return true;
}

/* The reply's buffer of count CPU maps of maplen bytes, after libvirtd's
 * checks (countWhat: its words for a count over REMOTE_VCPUINFO_MAX). */
static char *
remoteCPUMapsNew(int count, int maplen, const char *countWhat)
{
    if (remoteOverLimit(count, REMOTE_VCPUINFO_MAX, countWhat))
        return NULL;
    if (count < 0 || maplen < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "maxinfo * maplen > REMOTE_CPUMAPS_MAX");
        return NULL;
    }
    if (remoteOverLimit((gint64)count * maplen, REMOTE_CPUMAPS_MAX,
                        "maxinfo * maplen > REMOTE_CPUMAPS_MAX"))
        return NULL;
    return g_new0(char, (gsize)count * maplen + 1);
}

/* libvirt's API returns the size itself, 0 meaning an error. */
int
remoteDispatchDomainGetMaxMemory(virNetServerCall *call, remote_domain_get_max_memory_args *args,
                                 remote_domain_get_max_memory_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    unsigned long long memory;
    REMOTE_CONN(conn);

    if (!(memory = virDomainGetMaxMemory(conn, &dom)))
        return -1;
    ret->memory = memory;
    return 0;
}


int
remoteDispatchDomainGetVcpus(virNetServerCall *call, remote_domain_get_vcpus_args *args,
                             remote_domain_get_vcpus_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    g_autofree virVcpuInfo *info = NULL;
    int n, i;
    REMOTE_CONN(conn);

    if (!(ret->cpumaps.cpumaps_val = remoteCPUMapsNew(args->maxinfo, args->maplen,
                                                      "maxinfo > REMOTE_VCPUINFO_MAX")))
        return -1;
    info = g_new0(virVcpuInfo, args->maxinfo + 1);
    if ((n = virDomainGetVcpus(conn, &dom, info, args->maxinfo,
                               (unsigned char *)ret->cpumaps.cpumaps_val, args->maplen)) < 0)
        return -1;
    ret->info.info_val = g_new0(remote_vcpu_info, n + 1);
    ret->info.info_len = n;
    for (i = 0; i < n; i++) {
        ret->info.info_val[i].number = info[i].number;
        ret->info.info_val[i].state = info[i].state;
        ret->info.info_val[i].cpu_time = info[i].cpuTime;
        ret->info.info_val[i].cpu = info[i].cpu;
    }
    /* the whole buffer, as libvirtd sends it */
    ret->cpumaps.cpumaps_len = args->maxinfo * args->maplen;
    return 0;
}


/* Both scheduler getters: the reply has the parameters, no count. */
static int
remoteSchedulerParameters(virNetServerCall *call, const remote_dom *rdom, int nparams,
                          bool withFlags, unsigned int flags,
                          virNetMessageTypedParam **val, u_int *len)
{
    virDomainRef dom = remoteDomFromWire(rdom);
    virTypedParameter *params;
    int n = nparams, rv = -1;
    REMOTE_CONN(conn);

    if (remoteOverLimit(nparams, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX, "nparams too large"))
        return -1;
    params = g_new0(virTypedParameter, nparams > 0 ? nparams : 1);
    if ((withFlags ? virDomainGetSchedulerParametersFlags(conn, &dom, params, &n, flags)
                   : virDomainGetSchedulerParameters(conn, &dom, params, &n)) == 0 &&
        virNetTypedParamsEncode(params, n, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX, flags,
                                val, len) == 0)
        rv = 0;
    virTypedParamsFree(params, n > 0 ? n : 0);
    return rv;
}


int
remoteDispatchDomainGetSchedulerParameters(virNetServerCall *call,
                                           remote_domain_get_scheduler_parameters_args *args,
                                           remote_domain_get_scheduler_parameters_ret *ret)
{
    return remoteSchedulerParameters(call, &args->dom, args->nparams, false, 0,
                                     &ret->params.params_val, &ret->params.params_len);
}


int
remoteDispatchDomainGetSchedulerParametersFlags(
    virNetServerCall *call, remote_domain_get_scheduler_parameters_flags_args *args,
    remote_domain_get_scheduler_parameters_flags_ret *ret)
{
    return remoteSchedulerParameters(call, &args->dom, args->nparams, true, args->flags,
                                     &ret->params.params_val, &ret->params.params_len);
}


/* NODE_GET_CPU_STATS and NODE_GET_MEMORY_STATS (one layout): nparams 0
 * asks the count only. */
static int
remoteNodeStats(virNetServerCall *call, bool memory, int num, int nparams, unsigned int flags,
                remote_node_get_cpu_stats **val, u_int *len, int *count)
{
    g_autofree virNodeCPUStats *params = NULL;
    int n = nparams, i;
    REMOTE_CONN(conn);

    if (remoteOverLimit(nparams, memory ? REMOTE_NODE_MEMORY_STATS_MAX : REMOTE_NODE_CPU_STATS_MAX,
                        "nparams too large"))
        return -1;
    if (nparams > 0)
        params = g_new0(virNodeCPUStats, nparams);
    if ((memory ? virNodeGetMemoryStats(conn, num, params, &n, flags)
                : virNodeGetCPUStats(conn, num, params, &n, flags)) < 0)
        return -1;
    if (nparams > 0) {
        *val = g_new0(remote_node_get_cpu_stats, n + 1);
        *len = n;
        for (i = 0; i < n; i++) {
            (*val)[i].field = g_strndup(params[i].field, sizeof(params[i].field));
            (*val)[i].value = params[i].value;
        }
    }
    *count = n;
    return 0;
}


int
remoteDispatchNodeGetCPUStats(virNetServerCall *call, remote_node_get_cpu_stats_args *args,
                              remote_node_get_cpu_stats_ret *ret)
{
    return remoteNodeStats(call, false, args->cpuNum, args->nparams, args->flags,
                           &ret->params.params_val, &ret->params.params_len, &ret->nparams);
}


int
remoteDispatchNodeGetMemoryStats(virNetServerCall *call, remote_node_get_memory_stats_args *args,
                                 remote_node_get_memory_stats_ret *ret)
{
    return remoteNodeStats(call, true, args->cellNum, args->nparams, args->flags,
                           &ret->params.params_val, &ret->params.params_len, &ret->nparams);
}


/* Two arrays sized by the caller: one count per page size (libvirtd
 * trusts the client to send as many counts as sizes; we check). */
int
remoteDispatchNodeAllocPages(virNetServerCall *call, remote_node_alloc_pages_args *args,
                             remote_node_alloc_pages_ret *ret)
{
    int n;
    REMOTE_CONN(conn);

    if (args->pageCounts.pageCounts_len != args->pageSizes.pageSizes_len) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "page sizes and counts differ in number");
        return -1;
    }
    if ((n = virNodeAllocPages(conn, args->pageSizes.pageSizes_len, args->pageSizes.pageSizes_val,
                               (unsigned long long *)args->pageCounts.pageCounts_val,
                               args->startCell, args->cellCount, args->flags)) < 0)
        return -1;
    ret->ret = n;
    return 0;
}


/* Both pinning getters: ncpumaps maps of maplen bytes (the emulator's:
 * one), libvirtd's checks and words for each. */
static int
remotePinInfo(virNetServerCall *call, const remote_dom *rdom, bool emulator, int ncpumaps,
              int maplen, unsigned int flags, remote_domain_get_vcpu_pin_info_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(rdom);
    unsigned char *maps;
    REMOTE_CONN(conn);

    if (emulator && remoteOverLimit(maplen < 0 ? G_MAXINT64 : maplen, REMOTE_CPUMAPS_MAX,
                                    "maplen > REMOTE_CPUMAPS_MAX"))
        return -1;
    if (!(ret->cpumaps.cpumaps_val = remoteCPUMapsNew(ncpumaps, maplen,
                                                      "ncpumaps > REMOTE_VCPUINFO_MAX")))
        return -1;
    maps = (unsigned char *)ret->cpumaps.cpumaps_val;
    if ((ret->num = emulator ? virDomainGetEmulatorPinInfo(conn, &dom, maps, maplen, flags)
                             : virDomainGetVcpuPinInfo(conn, &dom, ncpumaps, maps, maplen,
                                                       flags)) < 0)
        return -1;
    ret->cpumaps.cpumaps_len = ncpumaps * maplen;
    return 0;
}


int
remoteDispatchDomainGetVcpuPinInfo(virNetServerCall *call,
                                   remote_domain_get_vcpu_pin_info_args *args,
                                   remote_domain_get_vcpu_pin_info_ret *ret)
{
    return remotePinInfo(call, &args->dom, false, args->ncpumaps, args->maplen, args->flags,
                         ret);
}


int
remoteDispatchDomainGetEmulatorPinInfo(virNetServerCall *call,
                                       remote_domain_get_emulator_pin_info_args *args,
                                       remote_domain_get_emulator_pin_info_ret *ret)
{
    remote_domain_get_vcpu_pin_info_ret pin = { 0 };
    int rv = remotePinInfo(call, &args->dom, true, 1, args->maplen, args->flags, &pin);

    ret->cpumaps.cpumaps_val = pin.cpumaps.cpumaps_val;
    ret->cpumaps.cpumaps_len = pin.cpumaps.cpumaps_len;
    ret->ret = pin.num;
    return rv;
}


int
remoteDispatchNodeGetCPUMap(virNetServerCall *call, remote_node_get_cpu_map_args *args,
                            remote_node_get_cpu_map_ret *ret)
{
    g_autofree unsigned char *cpumap = NULL;
    unsigned int online = 0;
    int cpus;
    REMOTE_CONN(conn);

    if ((cpus = virNodeGetCPUMap(conn, args->need_map ? &cpumap : NULL,
                                 args->need_online ? &online : NULL, args->flags)) < 0)
        return -1;
    if (args->need_map) {
        ret->cpumap.cpumap_len = (cpus + 7) / 8;
        ret->cpumap.cpumap_val = g_new0(char, ret->cpumap.cpumap_len + 1);
        if (cpumap)
            memcpy(ret->cpumap.cpumap_val, cpumap, ret->cpumap.cpumap_len);
    }
    ret->online = online;
    ret->ret = cpus;
    return 0;
}


/* libvirt's test driver fills the table and answers 0: the whole table
 * is the reply (libvirtd would report its "unknown" error there). */
int
remoteDispatchNodeGetFreePages(virNetServerCall *call, remote_node_get_free_pages_args *args,
                               remote_node_get_free_pages_ret *ret)
{
    guint64 n = (guint64)args->pages.pages_len * args->cellCount;
    int filled;
    REMOTE_CONN(conn);

    if (remoteOverLimit(MIN(n, (guint64)G_MAXINT64), REMOTE_NODE_MAX_CELLS,
                        "the result won't fit into REMOTE_NODE_MAX_CELLS"))
        return -1;
    ret->counts.counts_val = g_new0(uint64_t, n + 1);
    if ((filled = virNodeGetFreePages(conn, args->pages.pages_len, args->pages.pages_val,
                                      args->startCell, args->cellCount,
                                      (unsigned long long *)ret->counts.counts_val,
                                      args->flags)) < 0)
        return -1;
    /* as many counts as the driver filled (cells past the host's last one
     * are left out); a driver that answers 0 filled the whole table */
    ret->counts.counts_len = filled > 0 ? (u_int)filled : (u_int)n;
    return 0;
}


/* The reply holds ncpus rows of nparams (start_cpu -1: one row); nparams
 * 0 asks the count, as libvirtd packs it. */
int
remoteDispatchDomainGetCPUStats(virNetServerCall *call, remote_domain_get_cpu_stats_args *args,
                                remote_domain_get_cpu_stats_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    virTypedParameter *params = NULL;
    guint64 cells = (guint64)args->nparams * (args->ncpus ? args->ncpus : 1);
    int n, rv = -1;
    REMOTE_CONN(conn);

    if (remoteOverLimit(args->nparams, REMOTE_NODE_CPU_STATS_MAX, "nparams too large") ||
        remoteOverLimit(MIN(cells, (guint64)G_MAXINT64), REMOTE_DOMAIN_GET_CPU_STATS_MAX,
                        "nparams too large"))
        return -1;
    if (cells > 0)
        params = g_new0(virTypedParameter, cells);
    if ((n = virDomainGetCPUStats(conn, &dom, params, args->nparams, args->start_cpu,
                                  args->ncpus, args->flags)) < 0)
        goto cleanup;
    /* only the count was asked */
    if (args->nparams == 0 || args->ncpus == 0) {
        ret->nparams = n;
        rv = 0;
        goto cleanup;
    }
    if (virNetTypedParamsEncode(params, (int)cells, REMOTE_DOMAIN_GET_CPU_STATS_MAX,
                                args->flags, &ret->params.params_val,
                                &ret->params.params_len) < 0)
        goto cleanup;
    ret->nparams = n;
    rv = 0;
 cleanup:
    virTypedParamsFree(params, (int)cells);
    return rv;
}


/* The buffer is the size the client asked for, checked first (libvirtd's
 * check and words; libvirt's client refuses larger sizes itself). */
int
remoteDispatchDomainMemoryPeek(virNetServerCall *call, remote_domain_memory_peek_args *args,
                               remote_domain_memory_peek_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    REMOTE_CONN(conn);

    if (remoteOverLimit(args->size, REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX,
                        "size > maximum buffer size"))
        return -1;
    ret->buffer.buffer_val = g_new0(char, args->size + 1);
    ret->buffer.buffer_len = args->size;
    return virDomainMemoryPeek(conn, &dom, args->offset, args->size, ret->buffer.buffer_val,
                               args->flags);
}


int
remoteDispatchDomainGetMessages(virNetServerCall *call, remote_domain_get_messages_args *args,
                                remote_domain_get_messages_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    g_auto(GStrv) msgs = NULL;
    int n;
    REMOTE_CONN(conn);

    if ((n = virDomainGetMessages(conn, &dom, &msgs, args->flags)) < 0)
        return -1;
    if (n > REMOTE_DOMAIN_MESSAGES_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Number of msgs %d, which exceeds max limit: %d",
                       n, REMOTE_DOMAIN_MESSAGES_MAX);
        return -1;
    }
    remoteStringsToWire(msgs, n, &ret->msgs.msgs_val, &ret->msgs.msgs_len);
    return 0;
}


/* need_results 0: the count only; the count is in ret either way. */
int
remoteDispatchConnectGetCPUModelNames(virNetServerCall *call,
                                      remote_connect_get_cpu_model_names_args *args,
                                      remote_connect_get_cpu_model_names_ret *ret)
{
    g_auto(GStrv) models = NULL;
    int n;
    REMOTE_CONN(conn);

    if ((n = virConnectGetCPUModelNames(conn, args->arch, args->need_results ? &models : NULL,
                                        args->flags)) < 0)
        return -1;
    if (n > REMOTE_CONNECT_CPU_MODELS_MAX) {
        virReportError(VIR_ERR_RPC, "Too many CPU models '%d' for limit '%d'",
                       n, REMOTE_CONNECT_CPU_MODELS_MAX);
        return -1;
    }
    if (models)
        remoteStringsToWire(models, n, &ret->models.models_val, &ret->models.models_len);
    ret->ret = n;
    return 0;
}


/* The files are the call's descriptors; they stay the message's (closed
 * with it): the driver uses them during the call only. */
int
remoteDispatchDomainCreateXMLWithFiles(virNetServerCall *call,
                                       remote_domain_create_xml_with_files_args *args,
                                       remote_domain_create_xml_with_files_ret *ret)
{
    virDomainRef *dom;
    REMOTE_CONN(conn);

    if (!(dom = virDomainCreateXMLWithFiles(conn, args->xml_desc, call->msg->nfds,
                                            call->msg->fds, args->flags)))
        return -1;
    remoteDomToWire(&ret->dom, dom);
    virDomainRefFree(dom);
    return 0;
}


/* As CREATE_WITH_FLAGS: the reply carries the domain with its new ID. */
int
remoteDispatchDomainCreateWithFiles(virNetServerCall *call,
                                    remote_domain_create_with_files_args *args,
                                    remote_domain_create_with_files_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    virDomainRef *started;
    REMOTE_CONN(conn);

    if (virDomainCreateWithFiles(conn, &dom, call->msg->nfds, call->msg->fds, args->flags) < 0 ||
        !(started = virDomainLookupByUUID(conn, dom.uuid)))
        return -1;
    remoteDomToWire(&ret->dom, started);
    virDomainRefFree(started);
    return 0;
}
