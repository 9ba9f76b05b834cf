/*
 * lxcnet.c: a container's veth pairs (see lxcnet.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <linux/if_link.h>
#include <sched.h>
#include <unistd.h>

#include "lxcnet.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetlink.h"
#include "vircommand.h"

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
    int index;                  /* out: guest's index there */
    virError *err;              /* the thread's error, for the caller */
} lxcNetGuestJob;

static int
lxcNetGuestAddAll(lxcNetGuestJob *job)
{
    const lxcDevice *dev = job->dev;
    virNetlinkLinkInfo info;
    size_t i;

    if (setns(job->nsFd, CLONE_NEWNET) < 0) {
        virReportSystemError(errno, "%s", "cannot enter the container's network namespace");
        return -1;
    }
    if (virNetlinkLinkGet(job->guest, &info) < 0)
        return -1;
    job->index = info.index;
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


/* guest's addresses and routes; its index there in *index when not NULL */
static int
lxcNetGuestConfigure(int nsFd, const lxcDevice *dev, const char *guest, int *index)
{
    lxcNetGuestJob job = { .nsFd = nsFd, .dev = dev, .guest = guest };
    GThread *thread;
    int rc;

    if (dev->nnetIPs == 0 && dev->nnetRoutes == 0 && !index)
        return 0;
    thread = g_thread_new("lxc-net-guest", lxcNetGuestThread, &job);
    rc = GPOINTER_TO_INT(g_thread_join(thread));
    if (rc < 0)
        virErrorRestore(&job.err);
    else if (index)
        *index = job.index;
    return rc;
}


/* Delete the links of indexes (in the namespace nsFd), from a thread
 * that enters it; warnings only (a cleanup). */
typedef struct {
    int nsFd;
    const GArray *indexes;
} lxcNetDeleteJob;

static gpointer
lxcNetDeleteThread(gpointer opaque)
{
    lxcNetDeleteJob *job = opaque;
    guint i;

    if (setns(job->nsFd, CLONE_NEWNET) < 0) {
        VIR_WARN("cannot enter the container's network namespace: %s", g_strerror(errno));
        return NULL;
    }
    for (i = 0; i < job->indexes->len; i++) {
        int index = g_array_index(job->indexes, int, i);
        g_autofree char *what = g_strdup_printf("#%d", index);
        int rc = virNetlinkLinkDelete(what, index);

        if (rc < 0 && rc != -ENODEV)
            VIR_WARN("%s", virGetLastErrorMessage());
        virResetLastError();
    }
    return NULL;
}


void
lxcNetDeleteInside(int nsFd, const GArray *indexes)
{
    lxcNetDeleteJob job = { .nsFd = nsFd, .indexes = indexes };

    if (nsFd < 0 || indexes->len == 0)
        return;
    g_thread_join(g_thread_new("lxc-net-delete", lxcNetDeleteThread, &job));
}


/* libvirt's macvlan modes, by their XML names */
static const struct {
    const char *name;
    uint32_t mode;
} lxcNetMacvlanModes[] = {
    { "vepa", MACVLAN_MODE_VEPA },
    { "private", MACVLAN_MODE_PRIVATE },
    { "bridge", MACVLAN_MODE_BRIDGE },
    { "passthrough", MACVLAN_MODE_PASSTHRU },
};


/* A passthrough takes the link's MAC: the link gets the interface's
 * first, as libvirt sets it (and, as libvirt's LXC driver, does not give
 * the old one back at the end). Its errors, in libvirt's order. */
static int
lxcNetPassthroughPrepare(const lxcDevice *dev)
{
    virNetlinkLinkInfo info;
    virNetlinkLinkChange mac = { .mac = dev->mac };
    int rc;

    if ((rc = virNetlinkLinkGet(dev->netDirectDev, &info)) < 0) {
        virResetLastError();
        virErrorReportSystemFull(VIR_FROM_NONE, -rc, __FILE__, __func__, __LINE__,
                                 "Cannot get interface MAC on '%s'", dev->netDirectDev);
        return -1;
    }
    if (dev->netVlan) {
        /* libvirt sets a VLAN only on an SR-IOV VF */
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__, __func__,
                           __LINE__, "vlan can only be set for SR-IOV VFs, but %s is not a VF",
                           dev->netDirectDev);
        return -1;
    }
    return virNetlinkLinkModify(dev->netDirectDev, &mac) < 0 ? -1 : 0;
}


/* A direct interface: a macvlan link on <source dev> (named <target dev>,
 * else macvlanN), moved into the namespace as the container end of a
 * pair is. Nothing is left on the host: *hostIndex 0; *peer its name
 * there, *guestIndex its index in the namespace (with guest). */
static int
lxcNetSetupDirect(const lxcDevice *dev, int nsFd, const char *guest, char **peer,
                  int *guestIndex)
{
    g_autofree char *name = NULL;
    const char *pattern = "macvlan%d";
    virNetlinkLinkChange move = { .nsFd = nsFd, .newName = guest,
                                  .up = guest && (dev->netLinkUp || dev->nnetIPs > 0) };
    uint32_t mode = MACVLAN_MODE_VEPA;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(lxcNetMacvlanModes); i++) {
        if (strcmp(lxcNetMacvlanModes[i].name, dev->netDirectMode) == 0)
            mode = lxcNetMacvlanModes[i].mode;
    }
    /* a <target dev> with one %d is a pattern, as libvirt takes it */
    if (dev->netHost && strstr(dev->netHost, "%d") &&
        strchr(dev->netHost, '%') == strrchr(dev->netHost, '%'))
        pattern = dev->netHost;
    else if (dev->netHost)
        name = g_strdup(dev->netHost);
    if ((mode == MACVLAN_MODE_PASSTHRU && lxcNetPassthroughPrepare(dev) < 0) ||
        virNetlinkMacvlanCreate(pattern, &name, dev->netDirectDev, mode, dev->mac) < 0)
        return -1;
    if (virNetlinkLinkModify(name, &move) < 0) {
        virError *saved = virErrorPreserveLast();

        lxcNetTeardown(name, 0, false);
        virErrorRestore(&saved);
        return -1;
    }
    /* from here it is the container's: it ends with its namespace */
    if (guest && lxcNetGuestConfigure(nsFd, dev, guest, guestIndex) < 0)
        return -1;
    VIR_DEBUG("macvlan %s on %s (%s in the container)", name, dev->netDirectDev,
              guest ? guest : name);
    *peer = g_steal_pointer(&name);
    return 0;
}


/* How long one tc may take: a stuck one fails the start, not the daemon */
#define LXC_NET_TC_TIMEOUT_MS 30000

/* tc, found as libvirt finds it: in PATH, else where Debian puts it */
static char *
lxcNetTC(void)
{
    char *path = g_find_program_in_path("tc");

    if (!path && access("/usr/sbin/tc", X_OK) == 0)
        path = g_strdup("/usr/sbin/tc");
    if (!path && access("/sbin/tc", X_OK) == 0)
        path = g_strdup("/sbin/tc");
    return path;
}


static void
lxcNetTCAppendV(GPtrArray *argv, va_list ap)
{
    const char *arg;

    while ((arg = va_arg(ap, const char *)))
        g_ptr_array_add(argv, (gpointer)arg);
}


/* A tc command line being built: arguments appended up to a NULL */
static void
lxcNetTCAppend(GPtrArray *argv, ...)
{
    va_list ap;

    va_start(ap, argv);
    lxcNetTCAppendV(argv, ap);
    va_end(ap);
}


/* Run tc (the program at path) with argv (after "tc"); status: NULL, or
 * any exit status taken and returned there (libvirt's clearing, whose
 * failure is no error). */
static int
lxcNetTCRun(const char *path, GPtrArray *argv, int *status)
{
    g_ptr_array_add(argv, NULL);
    return virCommandRunArgv(path, (const char *const *)argv->pdata, LXC_NET_TC_TIMEOUT_MS,
                             status);
}


/* `tc ARGS...` (NULL-ended) run, as lxcNetTCRun */
static int
lxcNetTC1(const char *tc, int *status, ...)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    va_list ap;

    g_ptr_array_add(argv, (gpointer)"tc");
    va_start(ap, status);
    lxcNetTCAppendV(argv, ap);
    va_end(ap);
    return lxcNetTCRun(tc, argv, status);
}


int
lxcNetBandwidthSet(const char *host, const lxcDevice *dev)
{
    /* swapped, as libvirt's for a veth: what the container receives
     * (<inbound>) leaves the host end (its root qdisc); what it sends
     * (<outbound>) enters the host end (its ingress) */
    const lxcNetRate *tx = &dev->netIn;
    const lxcNetRate *rx = &dev->netOut;
    g_autofree char *tc = NULL;
    int ignored;

    if (!dev->netBandwidth)
        return 0;
    if (!(tc = lxcNetTC())) {
        virReportSystemError(ENOENT, "%s", "Cannot find tc in PATH");
        return -1;
    }
    /* whatever was there goes first (failures ignored, as libvirt's) */
    if (lxcNetTC1(tc, &ignored, "qdisc", "del", "dev", host, "root", NULL) < 0 ||
        lxcNetTC1(tc, &ignored, "qdisc", "del", "dev", host, "ingress", NULL) < 0)
        return -1;
    if (tx->given && tx->average) {
        g_autofree char *average = g_strdup_printf("%llukbps", tx->average);
        g_autofree char *peak = tx->peak ? g_strdup_printf("%llukbps", tx->peak) : NULL;
        g_autofree char *burst = tx->burst ? g_strdup_printf("%llukb", tx->burst) : NULL;
        /* HTB's quantum: the rate's bytes per second over an MTU of 1500, at least 1 */
        unsigned long long r2q = MAX(tx->average * 1024 / 8 / 1500, 1);
        g_autofree char *quantum = g_strdup_printf("%llu", r2q);
        g_autoptr(GPtrArray) cls = g_ptr_array_new();

        if (lxcNetTC1(tc, NULL, "qdisc", "add", "dev", host, "root", "handle", "1:", "htb",
                      "default", "1", NULL) < 0)
            return -1;
        g_ptr_array_add(cls, (gpointer)"tc");
        lxcNetTCAppend(cls, "class", "add", "dev", host, "parent", "1:", "classid", "1:1", "htb",
                       "rate", average, NULL);
        /* ceil and burst only when given, in that order */
        if (peak)
            lxcNetTCAppend(cls, "ceil", peak, NULL);
        if (burst)
            lxcNetTCAppend(cls, "burst", burst, NULL);
        lxcNetTCAppend(cls, "quantum", quantum, NULL);
        if (lxcNetTCRun(tc, cls, NULL) < 0)
            return -1;
        if (lxcNetTC1(tc, NULL, "qdisc", "add", "dev", host, "parent", "1:1", "handle", "2:",
                      "sfq", "perturb", "10", NULL) < 0 ||
            lxcNetTC1(tc, NULL, "filter", "add", "dev", host, "parent", "1:0", "protocol",
                      "all", "prio", "1", "handle", "1", "fw", "flowid", "1", NULL) < 0)
            return -1;
    }
    if (rx->given) {
        g_autofree char *average = g_strdup_printf("%llukbps", rx->average);
        /* without a burst: the average's worth, within what tc keeps (bytes in a uint) */
        g_autofree char *burst = g_strdup_printf("%llukb", rx->burst ? rx->burst
                                                 : MIN(rx->average, G_MAXUINT / 1024));

        if (lxcNetTC1(tc, NULL, "qdisc", "add", "dev", host, "ingress", NULL) < 0 ||
            lxcNetTC1(tc, NULL, "filter", "add", "dev", host, "parent", "ffff:", "protocol",
                      "all", "u32", "match", "u32", "0", "0", "police", "rate", average,
                      "burst", burst, "mtu", "64kb", "drop", "flowid", ":1", NULL) < 0)
            return -1;
    }
    return 0;
}


int
lxcNetSetup(const lxcDevice *dev, int nsFd, const char *guest, char **host, char **peer,
            int *hostIndex, int *guestIndex)
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

    *guestIndex = 0;
    if (lxcConfigCheckInterface(dev) < 0)
        return -1;
    if (strcmp(dev->netType, "direct") == 0) {
        *host = NULL;
        *hostIndex = 0;
        return lxcNetSetupDirect(dev, nsFd, guest, peer, guestIndex);
    }
    if (strcmp(dev->netType, "bridge") == 0)
        hostChg.master = dev->netBridge;
    if (virNetlinkVethCreate("vnet%d", &h, &p) < 0)
        return -1;
    /* the MAC first, on the host: a failure then leaves the container as it was */
    if (virNetlinkLinkGet(h, &info) < 0 ||
        virNetlinkLinkModify(p, &peerMAC) < 0 ||
        virNetlinkLinkModify(h, &hostChg) < 0 ||
        lxcNetBandwidthSet(h, dev) < 0 ||
        virNetlinkLinkModify(p, &move) < 0 ||
        (guest && lxcNetGuestConfigure(nsFd, dev, guest, NULL) < 0)) {
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
