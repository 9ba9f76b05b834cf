/*
 * lxcnet.c: a container's veth pairs (see lxcnet.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "lxcnet.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetlink.h"

#define VIR_FROM_THIS VIR_FROM_LXC

VIR_LOG_INIT("lxc.net");

int
lxcNetOpenNamespace(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/ns/net", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        virReportSystemError(errno, "cannot open the network namespace %s", path);
    return fd;
}


int
lxcNetSetup(const lxcDevice *dev, int nsFd, const char *guest, char **host, char **peer,
            int *hostIndex)
{
    virNetlinkLinkInfo info;
    g_autofree char *h = dev->netHost && !g_str_has_prefix(dev->netHost, "vnet")
                         ? g_strdup(dev->netHost) : NULL;
    g_autofree char *p = NULL;
    virNetlinkLinkChange hostChg = { .up = true };
    virNetlinkLinkChange peerMAC = { .mac = dev->mac };
    virNetlinkLinkChange move = { .nsFd = nsFd, .newName = guest, .up = guest && dev->netLinkUp };

    if (lxcConfigCheckInterface(dev) < 0)
        return -1;
    if (strcmp(dev->netType, "bridge") == 0)
        hostChg.master = dev->netBridge;
    if (virNetlinkVethCreate("vnet%d", &h, &p) < 0)
        return -1;
    /* the MAC first, on the host: a failure then leaves the container as it was */
    if (virNetlinkLinkGet(h, &info) < 0 ||
        virNetlinkLinkModify(p, &peerMAC) < 0 ||
        virNetlinkLinkModify(h, &hostChg) < 0 ||
        virNetlinkLinkModify(p, &move) < 0) {
        virError *saved = virErrorPreserveLast();

        lxcNetTeardown(h, 0, false);
        virErrorRestore(&saved);
        return -1;
    }
    VIR_DEBUG("interface %s <-> %s (%s in the container)", h, p, guest ? guest : p);
    *hostIndex = info.index;
    *host = g_steal_pointer(&h);
    *peer = g_steal_pointer(&p);
    return 0;
}


int
lxcNetTeardown(const char *host, int index, bool report)
{
    int rc = virNetlinkLinkDelete(host, index);

    if (rc == -ENODEV || rc == 0) {
        if (rc)
            virResetLastError();
        return 0;
    }
    if (!report) {
        VIR_WARN("%s", virGetLastErrorMessage());
        virResetLastError();
    }
    return -1;
}
