/*
 * lxcdomainagent.c: the LXC driver's guest agent API (lxcdriverpriv.h,
 * docs/agent.md): host name, interfaces, file systems, guest information,
 * the clock, passwords, SSH keys, vCPUs, agent shutdown and reboot, the
 * response timeout, and the AGENT_LIFECYCLE events; as libvirt 9.0 defines
 * these calls (its QEMU driver's semantics and errors).
 *
 * A call takes the driver lock only to find the domain and a reference on
 * its agent, then talks to the agent without any driver lock: a slow or
 * stuck agent holds up nothing but its own domain's agent calls (which
 * wait at most LXC_AGENT_WAIT_SECONDS for their turn, lxcagent.h).
 * Connection events come from the agent loop's thread and take the lock
 * to raise AGENT_LIFECYCLE: CONNECTED with reason DOMAIN_STARTED for a
 * run's first connection, CHANNEL afterwards; DISCONNECTED (CHANNEL) when
 * a connected agent goes away while the domain runs.
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "lxcdriverpriv.h"
#include "lxcconf.h"
#include "virconnect.h"
#include "virdomaindef.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetlink.h"
#include "qemu_agent_protocol.h"

#define VIR_FROM_THIS VIR_FROM_LXC

VIR_LOG_INIT("drivers.lxc.domainagent");

#define LXC_AGENT_SHUTDOWN_TIMEOUT 60   /* libvirt's VIR_DOMAIN_QEMU_AGENT_COMMAND_SHUTDOWN */
#define LXC_GUEST_VCPU_MAX_ID 4096      /* libvirt's QEMU_GUEST_VCPU_MAX_ID */

#define XDR_VOID ((xdrproc_t)(void (*)(void))xdr_void)
#define XFREE(type, p) xdr_free((xdrproc_t)xdr_##type, (char *)(p))

/* ------------------------------------------------------------------ */
/* The agent of a run                                                  */

static lxcDomain *
lxcDomainFindByAgent(lxcDriverState *drv, lxcAgent *agent)
{
    for (guint i = 0; i < drv->domains->len; i++) {
        lxcDomain *dom = g_ptr_array_index(drv->domains, i);
        if (dom->agent == agent)
            return dom;
    }
    return NULL;
}


static void
lxcDomainAgentConnected(lxcAgent *agent, void *opaque)
{
    lxcDriverState *drv = opaque;
    lxcDomain *dom;

    virNoIOMutexLock(&drv->lock);
    if ((dom = lxcDomainFindByAgent(drv, agent)) && virDomainObjIsActive(&dom->obj)) {
        int reason = dom->agentSeen ? VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL
                                    : VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_DOMAIN_STARTED;

        dom->agentSeen = true;
        lxcEmitAgentLifecycle(dom, VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED,
                              reason);
    }
    virNoIOMutexUnlock(&drv->lock);
}


static void
lxcDomainAgentDisconnected(lxcAgent *agent, void *opaque)
{
    lxcDriverState *drv = opaque;
    lxcDomain *dom;

    virNoIOMutexLock(&drv->lock);
    if ((dom = lxcDomainFindByAgent(drv, agent)) && virDomainObjIsActive(&dom->obj))
        lxcEmitAgentLifecycle(dom, VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED,
                              VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL);
    virNoIOMutexUnlock(&drv->lock);
}


static const lxcAgentCallbacks lxcDomainAgentCallbacks = {
    .connected = lxcDomainAgentConnected,
    .disconnected = lxcDomainAgentDisconnected,
};


/* Does the live definition ask for a guest agent? */
static bool
lxcDomainDefWantsAgent(const virDomainDef *def)
{
    g_autofree char *xml = virDomainDefFormat(def, -1);
    g_autoptr(lxcConfig) cfg = lxcConfigParse(xml, def);

    virResetLastError();
    return cfg && cfg->agent;
}


void
lxcDomainAgentInit(lxcDriverState *drv, lxcDomain *dom)
{
    g_autofree char *path = NULL;

    lxcDomainAgentClose(dom);
    dom->agentSeen = false;
    if (!dom->obj.live || !lxcDomainDefWantsAgent(dom->obj.live))
        return;
    path = g_strdup_printf("%s/%s.agent", drv->stateDir, dom->obj.live->name);
    dom->agent = lxcAgentNew(path, drv->agentLoop, &lxcDomainAgentCallbacks, drv);
}


void
lxcDomainAgentStarted(lxcDriverState *drv G_GNUC_UNUSED, lxcDomain *dom)
{
    if (dom->agent && lxcAgentConnect(dom->agent) < 0) {
        VIR_WARN("cannot connect to the guest agent of '%s': %s",
                 virDomainObjCurrentDef(&dom->obj)->name, virGetLastErrorMessage());
        virResetLastError();
    }
}


void
lxcDomainAgentClose(lxcDomain *dom)
{
    if (!dom->agent)
        return;
    lxcAgentClose(dom->agent);
    lxcAgentUnref(g_steal_pointer(&dom->agent));
}


/* The domain's connected agent (a reference) and its response timeout,
 * with libvirt's errors otherwise. No lock held on return. */
static lxcAgent *
lxcDomainAgentAcquire(const virDomainRef *ref, int *timeout)
{
    lxcDriverState *drv = lxcGetState();
    lxcAgent *agent = NULL;
    lxcDomain *dom;

    if (!drv)
        return NULL;
    virNoIOMutexLock(&drv->lock);
    if (!(dom = lxcDomainActiveFromRef(drv, ref)))
        goto cleanup;
    if (!dom->agent) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s", "QEMU guest agent is not configured");
        goto cleanup;
    }
    if (!lxcAgentIsConnected(dom->agent)) {
        virReportError(VIR_ERR_AGENT_UNRESPONSIVE, "%s", "QEMU guest agent is not connected");
        goto cleanup;
    }
    agent = lxcAgentRef(dom->agent);
    *timeout = dom->agentTimeout;
 cleanup:
    virNoIOMutexUnlock(&drv->lock);
    return agent;
}


/* One agent command of the domain: lxcAgentCall's results, -1 when the
 * agent cannot be had. */
static int
lxcDomainAgentRun(const virDomainRef *ref, int proc, xdrproc_t argsFilter, void *args,
                  xdrproc_t retFilter, void *ret, int timeoutOverride)
{
    int timeout = 0;
    lxcAgent *agent = lxcDomainAgentAcquire(ref, &timeout);
    int rc;

    if (!agent)
        return -1;
    rc = lxcAgentCall(agent, proc, argsFilter, args, retFilter, ret,
                      timeoutOverride ? timeoutOverride : timeout);
    lxcAgentUnref(agent);
    return rc;
}


/* The domain must exist and run (for the answers without the agent). */
static int
lxcDomainCheckRunning(const virDomainRef *ref)
{
    lxcDriverState *drv = lxcGetState();
    int ret = -1;

    if (!drv)
        return -1;
    virNoIOMutexLock(&drv->lock);
    if (lxcDomainActiveFromRef(drv, ref))
        ret = 0;
    virNoIOMutexUnlock(&drv->lock);
    return ret;
}


/* Does the domain have the agent channel: 1, 0, or -1 with an error. */
static int
lxcDomainHasAgent(const virDomainRef *ref)
{
    int ret = -1;

    WITH_DOMAIN(ref, { ret = dom->agent != NULL; });
    return ret;
}


/* ------------------------------------------------------------------ */
/* Facts                                                               */

char *
lxcDomainGetHostname(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                     unsigned int flags)
{
    qemu_agent_get_hostname_ret ret = { 0 };
    char *hostname = NULL;
    int rc;

    virDriverCheckFlags(flags, VIR_DOMAIN_GET_HOSTNAME_LEASE | VIR_DOMAIN_GET_HOSTNAME_AGENT,
                        NULL);
    if ((flags & VIR_DOMAIN_GET_HOSTNAME_LEASE) && (flags & VIR_DOMAIN_GET_HOSTNAME_AGENT)) {
        virDriverReportInvalidArg(flags, "Flags '%s' and '%s' are mutually exclusive",
                                  "VIR_DOMAIN_GET_HOSTNAME_LEASE", "VIR_DOMAIN_GET_HOSTNAME_AGENT");
        return NULL;
    }
    /* no source named: the agent when the container has one, else the
     * leases (libvirt's LXC driver only knows those) */
    if (!flags && lxcDomainHasAgent(ref) == 0)
        flags = VIR_DOMAIN_GET_HOSTNAME_LEASE;
    if (flags & VIR_DOMAIN_GET_HOSTNAME_LEASE) {
        /* a container has no interface with a DHCP lease */
        if (lxcDomainCheckRunning(ref) < 0)
            return NULL;
    } else {
        int timeout = 0;
        lxcAgent *agent = lxcDomainAgentAcquire(ref, &timeout);

        if (!agent)
            return NULL;
        /* as libvirt: a command that fails means "no host name" */
        rc = lxcAgentCall(agent, QEMU_AGENT_PROC_GET_HOSTNAME, XDR_VOID, NULL,
                          (xdrproc_t)xdr_qemu_agent_get_hostname_ret, &ret, timeout);
        lxcAgentUnref(agent);
        if (rc == 0)
            hostname = g_steal_pointer(&ret.hostname);
        XFREE(qemu_agent_get_hostname_ret, &ret);
    }
    if (!hostname || !*hostname) {
        g_free(hostname);
        virReportError(VIR_ERR_NO_HOSTNAME, "no hostname found for domain %s", ref->name);
        return NULL;
    }
    return hostname;
}


int
lxcDomainGetTime(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, long long *seconds,
                 unsigned int *nseconds, unsigned int flags)
{
    qemu_agent_get_time_ret ret = { 0 };

    virDriverCheckFlags(flags, 0, -1);
    if (lxcDomainAgentRun(ref, QEMU_AGENT_PROC_GET_TIME, XDR_VOID, NULL,
                          (xdrproc_t)xdr_qemu_agent_get_time_ret, &ret, 0) < 0)
        return -1;
    *seconds = ret.seconds;
    *nseconds = ret.nseconds;
    return 0;
}


static virDomainInterface **
lxcInterfacesFromWire(const qemu_agent_get_interfaces_ret *ret, int *n)
{
    virDomainInterface **list = g_new0(virDomainInterface *, ret->ifaces.ifaces_len + 1);

    for (u_int i = 0; i < ret->ifaces.ifaces_len; i++) {
        const qemu_agent_interface *w = &ret->ifaces.ifaces_val[i];
        virDomainInterface *iface = g_new0(virDomainInterface, 1);

        iface->name = g_strdup(w->name);
        iface->hwaddr = w->hwaddr ? g_strdup(*w->hwaddr) : NULL;
        iface->naddrs = w->addrs.addrs_len;
        iface->addrs = g_new0(virDomainIPAddress, iface->naddrs + 1);
        for (u_int j = 0; j < iface->naddrs; j++) {
            iface->addrs[j].type = w->addrs.addrs_val[j].type;
            iface->addrs[j].addr = g_strdup(w->addrs.addrs_val[j].addr);
            iface->addrs[j].prefix = w->addrs.addrs_val[j].prefix;
        }
        list[i] = iface;
    }
    *n = (int)ret->ifaces.ifaces_len;
    return list;
}


/* libvirt's ARP source: each interface (its host end's name, its MAC) with
 * every address the host's neighbour table has for its MAC. */
static int
lxcInterfacesFromARP(const virDomainRef *ref, virDomainInterface ***ifaces)
{
    g_autoptr(GPtrArray) nets = g_ptr_array_new_with_free_func(g_free);   /* "HOST MAC" */
    g_autoptr(GPtrArray) out = g_ptr_array_new();
    g_autoptr(GArray) table = NULL;
    bool running = false;
    guint i, j;
    int n;

    WITH_DOMAIN(ref, {
        running = virDomainObjIsActive(&dom->obj);
        if (running) {
            g_autoptr(GPtrArray) nodes = virDomainDefDevices(dom->obj.live, "interface");

            for (i = 0; i < nodes->len; i++) {
                const char *host = virDomainXMLNodeAttr(g_ptr_array_index(nodes, i),
                                                        "target", "dev");
                const char *mac = virDomainXMLNodeAttr(g_ptr_array_index(nodes, i),
                                                       "mac", "address");

                if (mac)
                    g_ptr_array_add(nets, g_strdup_printf("%s %s", host ? host : "", mac));
            }
        }
    });
    if (!running) {
        virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    if (nets->len && virNetlinkNeighbors(&table) < 0)
        return -1;
    for (i = 0; i < nets->len; i++) {
        g_auto(GStrv) f = g_strsplit(g_ptr_array_index(nets, i), " ", 2);

        for (j = 0; table && j < table->len; j++) {
            const virNetlinkNeighbor *nb = &g_array_index(table, virNetlinkNeighbor, j);
            g_autofree char *mac = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", nb->mac[0],
                                                   nb->mac[1], nb->mac[2], nb->mac[3],
                                                   nb->mac[4], nb->mac[5]);
            virDomainInterface *iface;

            if (g_ascii_strcasecmp(mac, f[1]) != 0)
                continue;
            iface = g_new0(virDomainInterface, 1);
            iface->name = *f[0] ? g_strdup(f[0]) : NULL;
            iface->hwaddr = g_steal_pointer(&mac);
            iface->naddrs = 1;
            iface->addrs = g_new0(virDomainIPAddress, 2);
            iface->addrs[0].type = VIR_IP_ADDR_TYPE_IPV4;
            iface->addrs[0].addr = g_strdup(nb->ip);
            g_ptr_array_add(out, iface);
        }
    }
    n = (int)out->len;
    g_ptr_array_add(out, NULL);
    *ifaces = (virDomainInterface **)g_ptr_array_steal(out, NULL);
    return n;
}


int
lxcDomainInterfaceAddresses(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                            virDomainInterface ***ifaces, unsigned int source,
                            unsigned int flags)
{
    qemu_agent_get_interfaces_ret ret = { 0 };
    int n = 0;

    virDriverCheckFlags(flags, 0, -1);
    if (lxcDomainCheckRunning(ref) < 0)
        return -1;
    switch (source) {
    case VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE:
        /* leases are the network driver's (type 'network'), which we lack */
        *ifaces = g_new0(virDomainInterface *, 1);
        return 0;
    case VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP:
        return lxcInterfacesFromARP(ref, ifaces);
    case VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT:
        if (lxcDomainAgentRun(ref, QEMU_AGENT_PROC_GET_INTERFACES, XDR_VOID, NULL,
                              (xdrproc_t)xdr_qemu_agent_get_interfaces_ret, &ret, 0) < 0)
            return -1;
        *ifaces = lxcInterfacesFromWire(&ret, &n);
        XFREE(qemu_agent_get_interfaces_ret, &ret);
        return n;
    default:
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "Unknown IP address data source %d", source);
        return -1;
    }
}


int
lxcDomainGetFSInfo(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                   virDomainFSInfo ***info, unsigned int flags)
{
    qemu_agent_get_fsinfo_ret ret = { 0 };
    virDomainFSInfo **list;
    int n;

    virDriverCheckFlags(flags, 0, -1);
    if (lxcDomainAgentRun(ref, QEMU_AGENT_PROC_GET_FSINFO, XDR_VOID, NULL,
                          (xdrproc_t)xdr_qemu_agent_get_fsinfo_ret, &ret, 0) < 0)
        return -1;
    list = g_new0(virDomainFSInfo *, ret.fs.fs_len + 1);
    for (u_int i = 0; i < ret.fs.fs_len; i++) {
        list[i] = g_new0(virDomainFSInfo, 1);
        list[i]->mountpoint = g_strdup(ret.fs.fs_val[i].mountpoint);
        list[i]->name = g_strdup(ret.fs.fs_val[i].name);
        list[i]->fstype = g_strdup(ret.fs.fs_val[i].fstype);
        /* a container has no disks of the domain's under its mounts */
        list[i]->devAlias = g_new0(char *, 1);
    }
    *info = list;
    n = (int)ret.fs.fs_len;
    XFREE(qemu_agent_get_fsinfo_ret, &ret);
    return n;
}


/* ------------------------------------------------------------------ */
/* Guest information                                                   */

typedef struct {
    virTypedParameter *params;
    int n;
    int max;
} lxcParams;

#define ADD(kind, ...) virTypedParamsAdd##kind(&p->params, &p->n, &p->max, __VA_ARGS__)

static int
lxcGuestInfoUsers(lxcParams *p, const qemu_agent_get_users_ret *r)
{
    if (ADD(UInt, "user.count", r->users.users_len) < 0)
        return -1;
    for (u_int i = 0; i < r->users.users_len; i++) {
        g_autofree char *name = g_strdup_printf("user.%u.name", i);
        g_autofree char *login = g_strdup_printf("user.%u.login-time", i);

        if (ADD(String, name, r->users.users_val[i].name) < 0 ||
            ADD(ULLong, login, r->users.users_val[i].login_time_us / 1000) < 0)
            return -1;
    }
    return 0;
}


static int
lxcGuestInfoOS(lxcParams *p, const qemu_agent_get_os_info_ret *r)
{
    const struct { const char *name; qemu_agent_str_opt value; } fields[] = {
        { "os.id", r->id }, { "os.name", r->name }, { "os.pretty-name", r->pretty_name },
        { "os.version", r->os_version }, { "os.version-id", r->version_id },
        { "os.machine", r->machine }, { "os.variant", r->variant },
        { "os.variant-id", r->variant_id }, { "os.kernel-release", r->kernel_release },
        { "os.kernel-version", r->kernel_version },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        if (fields[i].value && ADD(String, fields[i].name, *fields[i].value) < 0)
            return -1;
    }
    return 0;
}


static int
lxcGuestInfoFS(lxcParams *p, const qemu_agent_get_fsinfo_ret *r)
{
    if (r->fs.fs_len == 0)
        return 0;
    if (ADD(UInt, "fs.count", r->fs.fs_len) < 0)
        return -1;
    for (u_int i = 0; i < r->fs.fs_len; i++) {
        const qemu_agent_fs *fs = &r->fs.fs_val[i];
        g_autofree char *name = g_strdup_printf("fs.%u.name", i);
        g_autofree char *mp = g_strdup_printf("fs.%u.mountpoint", i);
        g_autofree char *type = g_strdup_printf("fs.%u.fstype", i);
        g_autofree char *total = g_strdup_printf("fs.%u.total-bytes", i);
        g_autofree char *used = g_strdup_printf("fs.%u.used-bytes", i);
        g_autofree char *disks = g_strdup_printf("fs.%u.disk.count", i);

        if (ADD(String, name, fs->name) < 0 || ADD(String, mp, fs->mountpoint) < 0 ||
            ADD(String, type, fs->fstype) < 0 ||
            (fs->has_usage && (ADD(ULLong, total, fs->total_bytes) < 0 ||
                               ADD(ULLong, used, fs->used_bytes) < 0)) ||
            ADD(UInt, disks, 0) < 0)
            return -1;
    }
    return 0;
}


static int
lxcGuestInfoInterfaces(lxcParams *p, const qemu_agent_get_interfaces_ret *r)
{
    if (r->ifaces.ifaces_len == 0)
        return 0;
    if (ADD(UInt, "if.count", r->ifaces.ifaces_len) < 0)
        return -1;
    for (u_int i = 0; i < r->ifaces.ifaces_len; i++) {
        const qemu_agent_interface *it = &r->ifaces.ifaces_val[i];
        g_autofree char *name = g_strdup_printf("if.%u.name", i);
        g_autofree char *hw = g_strdup_printf("if.%u.hwaddr", i);
        g_autofree char *count = g_strdup_printf("if.%u.addr.count", i);

        if (ADD(String, name, it->name) < 0 ||
            (it->hwaddr && ADD(String, hw, *it->hwaddr) < 0) ||
            ADD(UInt, count, it->addrs.addrs_len) < 0)
            return -1;
        for (u_int j = 0; j < it->addrs.addrs_len; j++) {
            const qemu_agent_ip_address *a = &it->addrs.addrs_val[j];
            g_autofree char *type = g_strdup_printf("if.%u.addr.%u.type", i, j);
            g_autofree char *addr = g_strdup_printf("if.%u.addr.%u.addr", i, j);
            g_autofree char *prefix = g_strdup_printf("if.%u.addr.%u.prefix", i, j);

            if (ADD(String, type, a->type == VIR_IP_ADDR_TYPE_IPV6 ? "ipv6" : "ipv4") < 0 ||
                ADD(String, addr, a->addr) < 0 || ADD(UInt, prefix, a->prefix) < 0)
                return -1;
        }
    }
    return 0;
}

#undef ADD

#define LXC_GUEST_INFO_TYPES \
    (VIR_DOMAIN_GUEST_INFO_USERS | VIR_DOMAIN_GUEST_INFO_OS | VIR_DOMAIN_GUEST_INFO_TIMEZONE | \
     VIR_DOMAIN_GUEST_INFO_HOSTNAME | VIR_DOMAIN_GUEST_INFO_FILESYSTEM | \
     VIR_DOMAIN_GUEST_INFO_DISKS | VIR_DOMAIN_GUEST_INFO_INTERFACES)

/* One group's command: 0 done or left out (unknown to the agent when no
 * group was asked for), -1 error. */
static int
lxcGuestInfoCommand(lxcAgent *agent, int timeout, bool reportUnsupported, int proc,
                    xdrproc_t filter, void *ret)
{
    int rc = lxcAgentCall(agent, proc, XDR_VOID, NULL, filter, ret, timeout);

    if (rc == -2 && !reportUnsupported) {
        virResetLastError();
        return 1;
    }
    return rc < 0 ? -1 : 0;
}


int
lxcDomainGetGuestInfo(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, unsigned int types,
                      virTypedParameter **params, int *nparams, unsigned int flags)
{
    qemu_agent_get_users_ret users = { 0 };
    qemu_agent_get_os_info_ret os = { 0 };
    qemu_agent_get_timezone_ret tz = { 0 };
    qemu_agent_get_hostname_ret host = { 0 };
    qemu_agent_get_fsinfo_ret fs = { 0 };
    qemu_agent_get_interfaces_ret ifs = { 0 };
    lxcParams p = { 0 };
    bool report = types != 0;
    unsigned int want = types ? types : LXC_GUEST_INFO_TYPES;
    lxcAgent *agent;
    int timeout = 0;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (types & ~LXC_GUEST_INFO_TYPES) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported guest information types '0x%x'",
                       types & ~LXC_GUEST_INFO_TYPES);
        return -1;
    }
    if (!(agent = lxcDomainAgentAcquire(ref, &timeout)))
        return -1;

#define GROUP(bit, proc, type, var, add) \
    if (want & (bit)) { \
        int rc_ = lxcGuestInfoCommand(agent, timeout, report, proc, \
                                      (xdrproc_t)xdr_##type, &var); \
        if (rc_ < 0 || (rc_ == 0 && (add) < 0)) \
            goto cleanup; \
    }
    GROUP(VIR_DOMAIN_GUEST_INFO_USERS, QEMU_AGENT_PROC_GET_USERS, qemu_agent_get_users_ret,
          users, lxcGuestInfoUsers(&p, &users));
    GROUP(VIR_DOMAIN_GUEST_INFO_OS, QEMU_AGENT_PROC_GET_OS_INFO, qemu_agent_get_os_info_ret,
          os, lxcGuestInfoOS(&p, &os));
    GROUP(VIR_DOMAIN_GUEST_INFO_TIMEZONE, QEMU_AGENT_PROC_GET_TIMEZONE,
          qemu_agent_get_timezone_ret, tz,
          ((tz.zone && virTypedParamsAddString(&p.params, &p.n, &p.max, "timezone.name",
                                               *tz.zone) < 0) ||
           virTypedParamsAddInt(&p.params, &p.n, &p.max, "timezone.offset", tz.offset) < 0)
              ? -1 : 0);
    GROUP(VIR_DOMAIN_GUEST_INFO_HOSTNAME, QEMU_AGENT_PROC_GET_HOSTNAME,
          qemu_agent_get_hostname_ret, host,
          virTypedParamsAddString(&p.params, &p.n, &p.max, "hostname", host.hostname));
    GROUP(VIR_DOMAIN_GUEST_INFO_FILESYSTEM, QEMU_AGENT_PROC_GET_FSINFO,
          qemu_agent_get_fsinfo_ret, fs, lxcGuestInfoFS(&p, &fs));
    /* VIR_DOMAIN_GUEST_INFO_DISKS: a container has no disks of its own */
    GROUP(VIR_DOMAIN_GUEST_INFO_INTERFACES, QEMU_AGENT_PROC_GET_INTERFACES,
          qemu_agent_get_interfaces_ret, ifs, lxcGuestInfoInterfaces(&p, &ifs));
#undef GROUP

    *params = g_steal_pointer(&p.params);
    *nparams = p.n;
    ret = 0;

 cleanup:
    XFREE(qemu_agent_get_users_ret, &users);
    XFREE(qemu_agent_get_os_info_ret, &os);
    XFREE(qemu_agent_get_timezone_ret, &tz);
    XFREE(qemu_agent_get_hostname_ret, &host);
    XFREE(qemu_agent_get_fsinfo_ret, &fs);
    XFREE(qemu_agent_get_interfaces_ret, &ifs);
    virTypedParamsFree(p.params, p.n);
    lxcAgentUnref(agent);
    return ret;
}


/* ------------------------------------------------------------------ */
/* Accounts                                                            */

int
lxcDomainSetUserPassword(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                         const char *user, const char *password, unsigned int flags)
{
    qemu_agent_set_user_password_args args = {
        .user = (char *)user,
        .password = (char *)password,
        .crypted = !!(flags & VIR_DOMAIN_PASSWORD_ENCRYPTED),
    };

    virDriverCheckFlags(flags, VIR_DOMAIN_PASSWORD_ENCRYPTED, -1);
    return lxcDomainAgentRun(ref, QEMU_AGENT_PROC_SET_USER_PASSWORD,
                             (xdrproc_t)xdr_qemu_agent_set_user_password_args, &args,
                             XDR_VOID, NULL, 0) < 0 ? -1 : 0;
}


int
lxcDomainAuthorizedSSHKeysGet(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                              const char *user, char ***keys, unsigned int flags)
{
    qemu_agent_ssh_get_authorized_keys_args args = { .user = (char *)user };
    qemu_agent_ssh_get_authorized_keys_ret ret = { 0 };
    char **list;

    virDriverCheckFlags(flags, 0, -1);
    if (lxcDomainAgentRun(ref, QEMU_AGENT_PROC_SSH_GET_AUTHORIZED_KEYS,
                          (xdrproc_t)xdr_qemu_agent_ssh_get_authorized_keys_args, &args,
                          (xdrproc_t)xdr_qemu_agent_ssh_get_authorized_keys_ret, &ret, 0) < 0)
        return -1;
    list = g_new0(char *, ret.keys.keys_len + 1);
    for (u_int i = 0; i < ret.keys.keys_len; i++)
        list[i] = g_strdup(ret.keys.keys_val[i]);
    *keys = list;
    XFREE(qemu_agent_ssh_get_authorized_keys_ret, &ret);
    return (int)g_strv_length(list);
}


int
lxcDomainAuthorizedSSHKeysSet(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                              const char *user, const char **keys, unsigned int nkeys,
                              unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND |
                        VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE, -1);
    if (nkeys > QEMU_AGENT_SSH_KEYS_MAX) {
        virReportError(VIR_ERR_INVALID_ARG, "too many keys: %u (at most %u)", nkeys,
                       QEMU_AGENT_SSH_KEYS_MAX);
        return -1;
    }
    if (flags & VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE) {
        qemu_agent_ssh_remove_authorized_keys_args args = {
            .user = (char *)user, .keys = { nkeys, (char **)keys },
        };

        return lxcDomainAgentRun(ref, QEMU_AGENT_PROC_SSH_REMOVE_AUTHORIZED_KEYS,
                                 (xdrproc_t)xdr_qemu_agent_ssh_remove_authorized_keys_args,
                                 &args, XDR_VOID, NULL, 0) < 0 ? -1 : 0;
    } else {
        qemu_agent_ssh_add_authorized_keys_args args = {
            .user = (char *)user, .keys = { nkeys, (char **)keys },
            .reset = !(flags & VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND),
        };

        return lxcDomainAgentRun(ref, QEMU_AGENT_PROC_SSH_ADD_AUTHORIZED_KEYS,
                                 (xdrproc_t)xdr_qemu_agent_ssh_add_authorized_keys_args,
                                 &args, XDR_VOID, NULL, 0) < 0 ? -1 : 0;
    }
}


/* ------------------------------------------------------------------ */
/* vCPUs                                                               */

/* A set of vCPU ids as libvirt formats bitmaps: "0-3,5" ("" when empty). */
static char *
lxcFormatCPUs(const bool *set)
{
    GString *s = g_string_new(NULL);

    for (int i = 0; i < LXC_GUEST_VCPU_MAX_ID; i++) {
        int j = i;

        if (!set[i])
            continue;
        while (j + 1 < LXC_GUEST_VCPU_MAX_ID && set[j + 1])
            j++;
        if (s->len)
            g_string_append_c(s, ',');
        if (j == i)
            g_string_append_printf(s, "%d", i);
        else
            g_string_append_printf(s, "%d-%d", i, j);
        i = j;
    }
    return g_string_free(s, FALSE);
}


/* libvirt's bitmap syntax: "0-3,^2,7". false (with an error) when it is not. */
static bool
lxcParseCPUs(const char *text, bool *set)
{
    g_auto(GStrv) parts = g_strsplit(text, ",", -1);
    bool any = false;

    memset(set, 0, LXC_GUEST_VCPU_MAX_ID * sizeof(bool));
    for (size_t i = 0; parts[i]; i++) {
        char *s = g_strstrip(parts[i]), *end;
        bool neg = *s == '^';
        unsigned long lo, hi;

        if (neg)
            s++;
        if (!g_ascii_isdigit(*s))
            goto error;
        lo = hi = strtoul(s, &end, 10);
        if (*end == '-' && !neg) {
            if (!g_ascii_isdigit(end[1]))
                goto error;
            hi = strtoul(end + 1, &end, 10);
        }
        if (*end || hi < lo || hi >= LXC_GUEST_VCPU_MAX_ID)
            goto error;
        for (unsigned long c = lo; c <= hi; c++)
            set[c] = !neg;
        any = true;
    }
    if (any)
        return true;
 error:
    virReportError(VIR_ERR_INVALID_ARG, "Failed to parse bitmap '%s'", text);
    return false;
}


int
lxcDomainGetGuestVcpus(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                       virTypedParameter **params, unsigned int *nparams, unsigned int flags)
{
    qemu_agent_get_vcpus_ret ret = { 0 };
    g_autofree bool *ids = g_new0(bool, LXC_GUEST_VCPU_MAX_ID);
    g_autofree bool *online = g_new0(bool, LXC_GUEST_VCPU_MAX_ID);
    g_autofree bool *offlinable = g_new0(bool, LXC_GUEST_VCPU_MAX_ID);
    const bool *sets[] = { ids, online, offlinable };
    const char *names[] = { "vcpus", "online", "offlinable" };
    lxcParams p = { 0 };

    virDriverCheckFlags(flags, 0, -1);
    if (lxcDomainAgentRun(ref, QEMU_AGENT_PROC_GET_VCPUS, XDR_VOID, NULL,
                          (xdrproc_t)xdr_qemu_agent_get_vcpus_ret, &ret, 0) < 0)
        return -1;
    for (u_int i = 0; i < ret.vcpus.vcpus_len; i++) {
        const qemu_agent_vcpu *v = &ret.vcpus.vcpus_val[i];

        if (v->id >= LXC_GUEST_VCPU_MAX_ID) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "vcpu id '%u' reported by guest agent is out of range", v->id);
            XFREE(qemu_agent_get_vcpus_ret, &ret);
            return -1;
        }
        ids[v->id] = true;
        online[v->id] = v->online != 0;
        offlinable[v->id] = v->offlinable != 0;
    }
    XFREE(qemu_agent_get_vcpus_ret, &ret);
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *text = lxcFormatCPUs(sets[i]);

        if (virTypedParamsAddString(&p.params, &p.n, &p.max, names[i], text) < 0) {
            virTypedParamsFree(p.params, p.n);
            return -1;
        }
    }
    *params = p.params;
    *nparams = (unsigned int)p.n;
    return 0;
}


int
lxcDomainSetGuestVcpus(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                       const char *cpumap, int state, unsigned int flags)
{
    qemu_agent_get_vcpus_ret cur = { 0 };
    qemu_agent_set_vcpus_args args = { 0 };
    qemu_agent_set_vcpus_ret sret = { 0 };
    g_autofree bool *map = g_new0(bool, LXC_GUEST_VCPU_MAX_ID);
    g_autofree char *missing = NULL;
    int timeout = 0;
    lxcAgent *agent;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (state != 0 && state != 1) {
        virDriverReportInvalidArg(state, "%s", "unsupported state value");
        return -1;
    }
    if (!lxcParseCPUs(cpumap, map) || !(agent = lxcDomainAgentAcquire(ref, &timeout)))
        return -1;
    if (lxcAgentCall(agent, QEMU_AGENT_PROC_GET_VCPUS, XDR_VOID, NULL,
                     (xdrproc_t)xdr_qemu_agent_get_vcpus_ret, &cur, timeout) < 0)
        goto cleanup;
    args.vcpus.vcpus_val = g_new0(qemu_agent_vcpu_state, cur.vcpus.vcpus_len + 1);
    for (u_int i = 0; i < cur.vcpus.vcpus_len; i++) {
        const qemu_agent_vcpu *v = &cur.vcpus.vcpus_val[i];

        if (v->id >= LXC_GUEST_VCPU_MAX_ID || !map[v->id])
            continue;
        if (!state && !v->offlinable) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "vCPU '%u' is not offlinable", v->id);
            goto cleanup;
        }
        args.vcpus.vcpus_val[args.vcpus.vcpus_len].id = v->id;
        args.vcpus.vcpus_val[args.vcpus.vcpus_len++].online = state;
        map[v->id] = false;
    }
    if (*(missing = lxcFormatCPUs(map))) {
        virReportError(VIR_ERR_INVALID_ARG, "guest is missing vCPUs '%s'", missing);
        goto cleanup;
    }
    if (lxcAgentCall(agent, QEMU_AGENT_PROC_SET_VCPUS,
                     (xdrproc_t)xdr_qemu_agent_set_vcpus_args, &args,
                     (xdrproc_t)xdr_qemu_agent_set_vcpus_ret, &sret, timeout) < 0)
        goto cleanup;
    ret = 0;

 cleanup:
    g_free(args.vcpus.vcpus_val);
    XFREE(qemu_agent_get_vcpus_ret, &cur);
    lxcAgentUnref(agent);
    return ret;
}


/* ------------------------------------------------------------------ */
/* Power and the timeout                                               */

int
lxcDomainShutdownAgent(const virDomainRef *ref, bool reboot)
{
    qemu_agent_shutdown_args args = {
        .mode = reboot ? QEMU_AGENT_SHUTDOWN_REBOOT : QEMU_AGENT_SHUTDOWN_POWERDOWN,
    };
    int rc = lxcDomainAgentRun(ref, QEMU_AGENT_PROC_SHUTDOWN,
                               (xdrproc_t)xdr_qemu_agent_shutdown_args, &args, XDR_VOID, NULL,
                               LXC_AGENT_SHUTDOWN_TIMEOUT);

    /* the agent goes down with the guest: gone before its answer is fine */
    if (rc == -3) {
        virResetLastError();
        return 0;
    }
    return rc < 0 ? -1 : 0;
}


int
lxcDomainAgentSetResponseTimeout(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                                 int timeout, unsigned int flags)
{
    lxcDriverState *drv;
    lxcDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (timeout < VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK) {
        virReportError(VIR_ERR_INVALID_ARG, "guest agent timeout '%d' is less than the minimum '%d'",
                       timeout, VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK);
        return -1;
    }
    if (!(drv = lxcGetState()))
        return -1;
    virNoIOMutexLock(&drv->lock);
    if ((dom = lxcDomainFromRef(drv, ref))) {
        dom->agentTimeout = timeout;
        /* kept in the state file: a restarted daemon keeps it */
        if (virDomainObjIsActive(&dom->obj) && dom->mon)
            lxcDomainWriteStatus(drv, dom->mon);
        ret = 0;
    }
    virNoIOMutexUnlock(&drv->lock);
    return ret;
}
