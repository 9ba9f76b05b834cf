/*
 * lxchost.c: the LXC driver's host calls (node CPU and memory statistics,
 * free memory per cell, pages, KSM parameters, host suspend, sysinfo, the
 * CPU map), answered from the real host by virhostinfo.c as libvirt 9.0's
 * LXC driver answers them. No driver state, no lock: each call reads the
 * host's files on the worker that runs it (the procedures are
 * `@exec: worker`).
 *
 * Flags: libvirt checks most of them in its host utilities (error domain
 * VIR_FROM_NONE, the utility's name in the message), the page and sysinfo
 * calls in the LXC driver itself (VIR_FROM_LXC); so do we.
 */
#include <glib.h>

#include "lxcdriverpriv.h"
#include "virconnect.h"
#include "virerror.h"
#include "virhostinfo.h"
#include "virpublic.h"

#define VIR_FROM_THIS VIR_FROM_LXC

/* libvirt's flag check of a host utility: its name, VIR_FROM_NONE. */
static bool
lxcHostFlagsOK(unsigned int flags, unsigned int allowed, const char *utility)
{
    if (!(flags & ~allowed))
        return true;
    virDriverReportInvalidArgFull(VIR_FROM_NONE, __FILE__, utility, __LINE__, "flags",
                                  "unsupported flags (0x%x) in function %s", flags & ~allowed,
                                  utility);
    return false;
}

int
lxcNodeGetCPUStats(virConnect *conn G_GNUC_UNUSED, int cpuNum, virNodeCPUStats *params,
                   int *nparams, unsigned int flags)
{
    if (!lxcHostFlagsOK(flags, 0, "virHostCPUGetStats"))
        return -1;
    return virHostInfoGetCPUStats(cpuNum, params, nparams);
}

int
lxcNodeGetMemoryStats(virConnect *conn G_GNUC_UNUSED, int cellNum, virNodeMemoryStats *params,
                      int *nparams, unsigned int flags)
{
    if (!lxcHostFlagsOK(flags, 0, "virHostMemGetStats"))
        return -1;
    return virHostInfoGetMemoryStats(cellNum, params, nparams);
}

int
lxcNodeGetCellsFreeMemory(virConnect *conn G_GNUC_UNUSED, unsigned long long *cells,
                          int startCell, int maxcells)
{
    return virHostInfoGetCellsFreeMemory(cells, startCell, maxcells);
}

int
lxcNodeGetFreePages(virConnect *conn G_GNUC_UNUSED, unsigned int npages, unsigned int *pages,
                    int startCell, unsigned int cellCount, unsigned long long *counts,
                    unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    return virHostInfoGetFreePages(npages, pages, startCell, cellCount, counts);
}

int
lxcNodeAllocPages(virConnect *conn G_GNUC_UNUSED, unsigned int npages, unsigned int *pageSizes,
                  unsigned long long *pageCounts, int startCell, unsigned int cellCount,
                  unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_NODE_ALLOC_PAGES_SET, -1);
    return virHostInfoAllocPages(npages, pageSizes, pageCounts, startCell, cellCount,
                                 !(flags & VIR_NODE_ALLOC_PAGES_SET));
}

int
lxcNodeGetMemoryParameters(virConnect *conn G_GNUC_UNUSED, virTypedParameter *params,
                           int *nparams, unsigned int flags)
{
    if (!lxcHostFlagsOK(flags, VIR_TYPED_PARAM_STRING_OKAY, "virHostMemGetParameters"))
        return -1;
    return virHostInfoGetMemoryParameters(params, nparams);
}

int
lxcNodeSetMemoryParameters(virConnect *conn G_GNUC_UNUSED, virTypedParameter *params,
                           int nparams, unsigned int flags)
{
    if (!lxcHostFlagsOK(flags, 0, "virHostMemSetParameters"))
        return -1;
    return virHostInfoSetMemoryParameters(params, nparams);
}

int
lxcNodeSuspendForDuration(virConnect *conn G_GNUC_UNUSED, unsigned int target,
                          unsigned long long duration, unsigned int flags)
{
    if (!lxcHostFlagsOK(flags, 0, "virNodeSuspend"))
        return -1;
    return virHostInfoSuspend(target, duration);
}

char *
lxcConnectGetSysinfo(virConnect *conn G_GNUC_UNUSED, unsigned int flags)
{
    char *xml;

    virDriverCheckFlags(flags, 0, NULL);
    if (!(xml = virHostInfoGetSysinfo()))
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "Host SMBIOS information is not available");
    return xml;
}

int
lxcNodeGetCPUMap(virConnect *conn G_GNUC_UNUSED, unsigned char **cpumap, unsigned int *online,
                 unsigned int flags)
{
    if (!lxcHostFlagsOK(flags, 0, "virHostCPUGetMap"))
        return -1;
    return virHostInfoGetCPUMap(cpumap, online);
}
