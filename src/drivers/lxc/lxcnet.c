/*
 * lxcnet.c: a container's veth pairs (see lxcnet.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
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


/* The container end's addresses and routes, from a thread of our own
 * that enters the container's network namespace (a thread's namespace is
 * its own: the caller's stays as it was). */
typedef struct {
    int nsFd;
    const lxcDevice *dev;
    const char *guest;
    virError *err;              /* the thread's error, for the caller */
} lxcNetGuestJob;

static int
lxcNetGuestAddAll(const lxcNetGuestJob *job)
{
    const lxcDevice *dev = job->dev;
    size_t i;

    if (setns(job->nsFd, CLONE_NEWNET) < 0) {
        virReportSystemError(errno, "%s", "cannot enter the container's network namespace");
        return -1;
    }
    for (i = 0; i < dev->nnetIPs; i++) {
        const lxcNetIP *ip = &dev->netIPs[i];
        virNetlinkAddr a = { .family = ip->family, .addr = ip->addr,
                             .peer = ip->hasPeer ? ip->peer : NULL };
        int prefix = lxcNetIPPrefix(ip);

        if (prefix < 0) {
            g_autofree char *text = lxcNetAddrFormat(ip->family, ip->addr);

            virReportError(VIR_ERR_INTERNAL_ERROR, "Failed to determine prefix for IP address '%s'",
                           text);
            return -1;
        }
        a.prefix = (unsigned int)prefix;
        if (virNetlinkAddrAdd(job->guest, &a) < 0)
            return -1;
    }
    for (i = 0; i < dev->nnetRoutes; i++) {
        const lxcNetRoute *r = &dev->netRoutes[i];
        virNetlinkRoute route = { .family = r->family, .dst = r->addr, .gateway = r->gateway,
                                  .metric = lxcNetRouteMetric(r) };
        int prefix = lxcNetRoutePrefix(r);

        if (prefix < 0) {
            g_autofree char *text = lxcNetAddrFormat(r->family, r->addr);

            virReportError(VIR_ERR_INTERNAL_ERROR, "Failed to determine prefix for route with "
                           "destination '%s'", text);
            return -1;
        }
        route.prefix = (unsigned int)prefix;
        if (virNetlinkRouteAdd(job->guest, &route) < 0)
            return -1;
    }
    return 0;
}


static gpointer
lxcNetGuestThread(gpointer opaque)
{
    lxcNetGuestJob *job = opaque;

    if (lxcNetGuestAddAll(job) < 0) {
        job->err = virErrorPreserveLast();
        return GINT_TO_POINTER(-1);
    }
    return GINT_TO_POINTER(0);
}


static int
lxcNetGuestConfigure(int nsFd, const lxcDevice *dev, const char *guest)
{
    lxcNetGuestJob job = { .nsFd = nsFd, .dev = dev, .guest = guest };
    GThread *thread;
    int rc;

    if (dev->nnetIPs == 0 && dev->nnetRoutes == 0)
        return 0;
    thread = g_thread_new("lxc-net-guest", lxcNetGuestThread, &job);
    rc = GPOINTER_TO_INT(g_thread_join(thread));
    if (rc < 0)
        virErrorRestore(&job.err);
    return rc;
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
    /* up with <link state='up'/> or an address, as libvirt's */
    virNetlinkLinkChange move = { .nsFd = nsFd, .newName = guest,
                                  .up = guest && (dev->netLinkUp || dev->nnetIPs > 0) };

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
        virNetlinkLinkModify(p, &move) < 0 ||
        (guest && lxcNetGuestConfigure(nsFd, dev, guest) < 0)) {
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
