/*
 * remoteguest.c: the hand-written handlers of the guest agent API whose
 * shape the generator does not map (@generate: none in remote_protocol.x):
 * lists of records with lists inside (file systems and their disks,
 * interfaces and their addresses), a list of strings the callee
 * allocates, typed parameters counted by an unsigned int.
 *
 * Each calls the driver API (virconnect.h) and moves the results into the
 * reply; whatever it put in *ret is freed by the caller after encoding,
 * or at once on failure. Locking: none here (remote.c's rules hold).
 */
#include <string.h>

#include "remote.h"
#include "virconnect.h"
#include "virerror.h"
#include "virnettypedparams.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/* A list longer than the protocol allows: libvirtd's checks, codes and
 * wording (its typo included). */
#define REMOTE_CHECK_LEN(n, max, code, fmt) \
    do { \
        if ((n) > (max)) { \
            virReportError(code, fmt, (int)(n), (int)(max)); \
            goto cleanup; \
        } \
    } while (0)


int
remoteDispatchDomainGetFSInfo(virNetServerCall *call, remote_domain_get_fsinfo_args *args,
                              remote_domain_get_fsinfo_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    virDomainFSInfo **info = NULL;
    int n, rv = -1;
    REMOTE_CONN(conn);

    if ((n = virDomainGetFSInfo(conn, &dom, &info, args->flags)) < 0)
        return -1;
    REMOTE_CHECK_LEN(n, REMOTE_DOMAIN_FSINFO_MAX, VIR_ERR_RPC,
                     "Too many mountpoints in fsinfo: %d for limit %d");
    ret->info.info_val = g_new0(remote_domain_fsinfo, n + 1);
    ret->info.info_len = n;
    for (int i = 0; i < n; i++) {
        remote_domain_fsinfo *w = &ret->info.info_val[i];

        REMOTE_CHECK_LEN(info[i]->ndevAlias, REMOTE_DOMAIN_FSINFO_DISKS_MAX, VIR_ERR_RPC,
                         "Too many disks in fsinfo: %d for limit %d");
        w->mountpoint = g_steal_pointer(&info[i]->mountpoint);
        w->name = g_steal_pointer(&info[i]->name);
        w->fstype = g_steal_pointer(&info[i]->fstype);
        w->dev_aliases.dev_aliases_val = g_new0(remote_str, info[i]->ndevAlias + 1);
        w->dev_aliases.dev_aliases_len = info[i]->ndevAlias;
        for (size_t j = 0; j < info[i]->ndevAlias; j++)
            w->dev_aliases.dev_aliases_val[j] = g_steal_pointer(&info[i]->devAlias[j]);
    }
    ret->ret = n;
    rv = 0;
 cleanup:
    virDomainFSInfoListFree(info);
    return rv;
}


int
remoteDispatchDomainInterfaceAddresses(virNetServerCall *call,
                                       remote_domain_interface_addresses_args *args,
                                       remote_domain_interface_addresses_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    virDomainInterface **ifaces = NULL;
    int n, rv = -1;
    REMOTE_CONN(conn);

    if ((n = virDomainInterfaceAddresses(conn, &dom, &ifaces, args->source, args->flags)) < 0)
        return -1;
    REMOTE_CHECK_LEN(n, REMOTE_DOMAIN_INTERFACE_MAX, VIR_ERR_INTERNAL_ERROR,
                     "Number of interfaces, %d exceeds the max limit: %d");
    ret->ifaces.ifaces_val = g_new0(remote_domain_interface, n + 1);
    ret->ifaces.ifaces_len = n;
    for (int i = 0; i < n; i++) {
        virDomainInterface *iface = ifaces[i];
        remote_domain_interface *w = &ret->ifaces.ifaces_val[i];

        REMOTE_CHECK_LEN(iface->naddrs, REMOTE_DOMAIN_IP_ADDR_MAX, VIR_ERR_INTERNAL_ERROR,
                         "Number of interfaces, %d exceeds the max limit: %d");
        w->name = g_steal_pointer(&iface->name);
        if (iface->hwaddr) {
            w->hwaddr = g_new0(remote_str, 1);
            *w->hwaddr = g_steal_pointer(&iface->hwaddr);
        }
        w->addrs.addrs_val = g_new0(remote_domain_ip_addr, iface->naddrs + 1);
        w->addrs.addrs_len = iface->naddrs;
        for (unsigned int j = 0; j < iface->naddrs; j++) {
            w->addrs.addrs_val[j].type = iface->addrs[j].type;
            w->addrs.addrs_val[j].addr = g_steal_pointer(&iface->addrs[j].addr);
            w->addrs.addrs_val[j].prefix = iface->addrs[j].prefix;
        }
    }
    rv = 0;
 cleanup:
    virDomainInterfaceListFree(ifaces);
    return rv;
}


int
remoteDispatchDomainAuthorizedSSHKeysGet(virNetServerCall *call,
                                         remote_domain_authorized_ssh_keys_get_args *args,
                                         remote_domain_authorized_ssh_keys_get_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    char **keys = NULL;
    int n, rv = -1;
    REMOTE_CONN(conn);

    if ((n = virDomainAuthorizedSSHKeysGet(conn, &dom, args->user, &keys, args->flags)) < 0)
        return -1;
    REMOTE_CHECK_LEN(n, REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX, VIR_ERR_INTERNAL_ERROR,
                     "Number of keys %d, which exceeds max liit: %d");
    remoteStringsToWire(keys, n, &ret->keys.keys_val, &ret->keys.keys_len);
    rv = 0;
 cleanup:
    g_strfreev(keys);
    return rv;
}


/* Typed parameters the callee allocates, counted by an unsigned int. */
int
remoteDispatchDomainGetGuestVcpus(virNetServerCall *call,
                                  remote_domain_get_guest_vcpus_args *args,
                                  remote_domain_get_guest_vcpus_ret *ret)
{
    virDomainRef dom = remoteDomFromWire(&args->dom);
    virTypedParameter *params = NULL;
    unsigned int n = 0;
    int rv = -1;
    REMOTE_CONN(conn);

    if (virDomainGetGuestVcpus(conn, &dom, &params, &n, args->flags) < 0)
        return -1;
    if (virNetTypedParamsEncode(params, (int)n, REMOTE_DOMAIN_GUEST_VCPU_PARAMS_MAX,
                                VIR_TYPED_PARAM_STRING_OKAY, &ret->params.params_val,
                                &ret->params.params_len) == 0)
        rv = 0;
    virTypedParamsFree(params, (int)n);
    return rv;
}
