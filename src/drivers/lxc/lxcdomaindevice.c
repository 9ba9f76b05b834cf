/*
 * lxcdomaindevice.c: device attach, detach and update on the LXC driver,
 * as libvirt 9.0's LXC driver does them (docs/lxc-driver.md, "Devices").
 *
 * - config (AFFECT_CONFIG): disks (a target used once), interfaces, host
 *   devices (each once) are added to or removed from the persistent
 *   definition; update replaces an interface; anything else is refused
 *   with libvirt's words.
 * - live (AFFECT_LIVE): a <disk type='block'> or a host device (storage:
 *   block, misc: character, USB: /dev/bus/usb/BBB/DDD, character, found
 *   on the host by lxcusb.h when only its ids are given) becomes a device
 *   node in the running container's /dev, or stops being one, its
 *   device allowed in the container's devices cgroup before (a disk with
 *   <readonly/> read only) and denied after (lxccgroup.h); an interface
 *   (bridge, ethernet) gets its veth pair, its container end moved into
 *   the container's network namespace (lxcnet.h), or loses it; update
 *   live is refused, as libvirt refuses it.
 *   No event: libvirt's LXC driver raises none for devices.
 *
 * The node is made from the daemon's worker thread without entering the
 * container: through /proc/INIT/root, the init's root as its own mount
 * namespace sees it, with openat2(RESOLVE_IN_ROOT) so that no symbolic
 * link the container controls resolves outside its root. No fork, no
 * setns (a threaded process cannot enter a mount namespace). The init's
 * start time is checked after the root is opened: a reused PID is never
 * taken for the container.
 *
 * Locking: every call runs under the domain's job (lxcModify); the
 * definitions are read and changed with drv->lock held, the device node
 * and the files are written with it released.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <linux/openat2.h>
#include <glib.h>

#include "lxccgroup.h"
#include "lxcconf.h"
#include "lxcnet.h"
#include "lxcusb.h"
#include "lxcdriverpriv.h"
#include "virconnect.h"
#include "virdomaindef.h"
#include "virdomainobj.h"
#include "virerror.h"
#include "virlog.h"
#include "virpublic.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_LXC

VIR_LOG_INIT("drivers.lxc.device");

typedef enum {
    LXC_DEVICE_ATTACH,
    LXC_DEVICE_DETACH,
    LXC_DEVICE_UPDATE,
} lxcDeviceAction;

/* ------------------------------------------------------------------ */
/* The devices of a definition                                         */

/* The definition's devices as lxcconf reads them (in document order;
 * dev->nth finds the kept node: virDomainDefDevices(def, dev->elem)). */
static lxcConfig *
lxcDeviceConfigOf(const virDomainDef *def)
{
    g_autofree char *xml = virDomainDefFormat(def, -1);

    return lxcConfigParse(xml, def);
}


static virDomainXMLNode *
lxcDeviceNode(const virDomainDef *def, const lxcDevice *dev)
{
    g_autoptr(GPtrArray) nodes = virDomainDefDevices(def, dev->elem);

    return dev->nth < nodes->len ? g_ptr_array_index(nodes, dev->nth) : NULL;
}


/* libvirt's virDomainHostdevMatch for the host devices we have: a USB
 * one by the given one's bus and device when it has both, else by vendor
 * and product; the others by type and path. */
static bool
lxcHostdevMatch(const lxcDevice *have, const lxcDevice *given)
{
    if (have->kind != LXC_DEV_HOSTDEV || given->kind != LXC_DEV_HOSTDEV ||
        have->usb != given->usb || have->chr != given->chr)
        return false;
    if (!given->usb)
        return strcmp(have->source, given->source) == 0;
    if (given->usbBus && given->usbDevice)
        return have->usbBus == given->usbBus && have->usbDevice == given->usbDevice;
    return have->usbVendor == given->usbVendor && have->usbProduct == given->usbProduct;
}


/* libvirt's disk lookup by target (a name starting with '/' is a source
 * path, the first match). */
static const lxcDevice *
lxcFindDisk(const lxcConfig *cfg, const char *name)
{
    size_t i;

    for (i = 0; i < cfg->ndevs; i++) {
        const lxcDevice *d = cfg->devs[i];

        if (d->kind != LXC_DEV_DISK)
            continue;
        if (name[0] != '/' ? strcmp(d->target, name) == 0
                           : (d->source && strcmp(d->source, name) == 0))
            return d;
    }
    return NULL;
}


static const lxcDevice *
lxcFindHostdev(const lxcConfig *cfg, const lxcDevice *dev)
{
    size_t i;

    for (i = 0; i < cfg->ndevs; i++) {
        if (lxcHostdevMatch(cfg->devs[i], dev))
            return cfg->devs[i];
    }
    return NULL;
}


/* libvirt's virDomainNetFindIdx: by MAC when one was given; more than one
 * match or none is an error (VIR_FROM_DOMAIN). */
static const lxcDevice *
lxcFindNet(const lxcConfig *cfg, const lxcDevice *net)
{
    const lxcDevice *found = NULL;
    char mac[18] = "(<null>)";
    size_t i;

    if (net->macGiven)
        g_snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", net->mac[0], net->mac[1],
                   net->mac[2], net->mac[3], net->mac[4], net->mac[5]);
    for (i = 0; i < cfg->ndevs; i++) {
        const lxcDevice *d = cfg->devs[i];

        if (d->kind != LXC_DEV_NET || (net->macGiven && memcmp(d->mac, net->mac, 6) != 0))
            continue;
        if (found) {
            if (net->macGiven)
                virDriverReportDomainError(VIR_ERR_OPERATION_FAILED,
                                           "multiple devices matching MAC address %s found", mac);
            else
                virDriverReportDomainError(VIR_ERR_OPERATION_FAILED, "%s",
                                           "multiple matching devices found");
            return NULL;
        }
        found = d;
    }
    if (!found)
        virDriverReportDomainError(VIR_ERR_DEVICE_MISSING,
                                   "no device found at address '(<null>)' matching MAC address "
                                   "'%s' and alias '(<null>)'", mac);
    return found;
}


/* libvirt's virDiskNameToIndex: the letters after a known prefix, base
 * 26 ("a" 0, "z" 25, "aa" 26); -1 for another name. */
static int
lxcDiskNameToIndex(const char *name)
{
    static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd" };
    const char *p = NULL;
    size_t i;
    int idx = 0;

    for (i = 0; i < G_N_ELEMENTS(prefixes) && !p; i++) {
        if (g_str_has_prefix(name, prefixes[i]))
            p = name + strlen(prefixes[i]);
    }
    if (!p)
        return -1;
    for (i = 0; *p && g_ascii_islower(*p); i++, p++) {
        if (idx > G_MAXINT / 27)
            return -1;
        idx = (idx + (i < 1 ? 0 : 1)) * 26 + (*p - 'a');
    }
    return idx;
}


/* A disk's bus: its target's bus attribute, else the one libvirt derives
 * from the target's prefix. */
static const char *
lxcDiskBus(const virDomainXMLNode *node, const char *target)
{
    const char *bus = virDomainXMLNodeAttr(node, "target", "bus");

    if (bus)
        return bus;
    if (g_str_has_prefix(target, "hd"))
        return "ide";
    if (g_str_has_prefix(target, "sd"))
        return "scsi";
    if (g_str_has_prefix(target, "vd"))
        return "virtio";
    if (g_str_has_prefix(target, "xvd"))
        return "xen";
    if (g_str_has_prefix(target, "ubd"))
        return "uml";
    return "ide";
}


/* Where libvirt's virDomainDiskInsert puts a new disk: in front of the
 * first disk of its bus whose target sorts after it, else after the last
 * disk of its bus, else at the end of the disks. The node to put it in
 * front of, or NULL for after the last disk. */
static const virDomainXMLNode *
lxcDiskInsertBefore(const virDomainDef *def, const virDomainXMLNode *node, const char *target)
{
    g_autoptr(GPtrArray) disks = virDomainDefDevices(def, "disk");
    const char *bus = lxcDiskBus(node, target);
    int index = lxcDiskNameToIndex(target);
    int at = -1;
    int i;

    for (i = (int)disks->len - 1; i >= 0; i--) {
        const virDomainXMLNode *d = g_ptr_array_index(disks, i);
        const char *dt = virDomainXMLNodeAttr(d, "target", "dev");

        if (!dt || strcmp(lxcDiskBus(d, dt), bus) != 0)
            continue;
        if (lxcDiskNameToIndex(dt) > index)
            at = i;
        else if (at == -1)
            at = i + 1;
    }
    return at >= 0 && (guint)at < disks->len ? g_ptr_array_index(disks, at) : NULL;
}


/* ------------------------------------------------------------------ */
/* Config                                                              */

/* def: a copy of the persistent definition; node is taken over. */
static int
lxcDeviceConfigApply(virDomainDef *def, const lxcDevice *dev, virDomainXMLNode *node,
                     lxcDeviceAction action)
{
    g_autoptr(virDomainXMLNode) owned = node;
    g_autoptr(lxcConfig) cfg = lxcDeviceConfigOf(def);
    const lxcDevice *found = NULL;

    if (!cfg)
        return -1;
    if (action == LXC_DEVICE_UPDATE) {
        if (dev->kind != LXC_DEV_NET) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "persistent update of device is not supported");
            return -1;
        }
        if (!(found = lxcFindNet(cfg, dev)))
            return -1;
        virDomainDefReplaceDevice(def, lxcDeviceNode(def, found), g_steal_pointer(&owned));
        return 0;
    }

    switch (dev->kind) {
    case LXC_DEV_DISK:
        found = lxcFindDisk(cfg, dev->target);
        if (action == LXC_DEVICE_ATTACH && found) {
            virReportError(VIR_ERR_INVALID_ARG, "target %s already exists.", dev->target);
            return -1;
        }
        if (action == LXC_DEVICE_DETACH && !found) {
            virReportError(VIR_ERR_INVALID_ARG, "no target device %s", dev->target);
            return -1;
        }
        break;
    case LXC_DEV_NET:
        if (action == LXC_DEVICE_DETACH && !(found = lxcFindNet(cfg, dev)))
            return -1;
        break;
    case LXC_DEV_HOSTDEV:
        found = lxcFindHostdev(cfg, dev);
        if (action == LXC_DEVICE_ATTACH && found) {
            virReportError(VIR_ERR_INVALID_ARG, "%s",
                           "device is already in the domain configuration");
            return -1;
        }
        if (action == LXC_DEVICE_DETACH && !found) {
            virReportError(VIR_ERR_INVALID_ARG, "%s",
                           "device not present in domain configuration");
            return -1;
        }
        break;
    case LXC_DEV_OTHER:
    default:
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "persistent %s of device is not supported",
                       action == LXC_DEVICE_ATTACH ? "attach" : "detach");
        return -1;
    }

    if (action == LXC_DEVICE_DETACH) {
        virDomainDefRemoveDevice(def, lxcDeviceNode(def, found));
    } else {
        const virDomainXMLNode *before = NULL;

        if (dev->kind == LXC_DEV_DISK)
            before = lxcDiskInsertBefore(def, owned, dev->target);
        virDomainDefAddDevice(def, g_steal_pointer(&owned), before);
    }
    return 0;
}


/* ------------------------------------------------------------------ */
/* Live: device nodes in the running container                         */

static int
lxcOpenat2(int dirfd, const char *path, int flags)
{
    struct open_how how = {
        .flags = (unsigned long long)(flags | O_CLOEXEC),
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    long fd;

    do {
        fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
    } while (fd < 0 && errno == EAGAIN);
    return (int)fd;
}


/* Make (make) or remove the node name (below /dev, may have directories)
 * in the container whose init is pid, started at start; a node made is
 * owned by uid:gid (the mapped root of a container with <idmap>, as
 * libvirt chowns it; -1: root's). Lock not held. */
static int
lxcDeviceNodeChange(pid_t pid, unsigned long long start, const char *name, bool make,
                    mode_t mode, dev_t rdev, uid_t uid, gid_t gid)
{
    g_autofree char *rootPath = g_strdup_printf("/proc/%d/root", (int)pid);
    g_autofree char *shown = g_strdup_printf("/dev/%s", name);
    g_autofree char *dir = g_path_get_dirname(shown);
    g_autofree char *base = g_path_get_basename(shown);
    g_auto(GStrv) parts = g_strsplit(dir + 1, "/", -1);     /* "dev", subdirectories */
    g_autoptr(GString) sub = g_string_new(NULL);
    int rootfd, dirfd = -1, rc = -1;
    size_t i;

    if ((rootfd = open(rootPath, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
        !lxcProcessAlive(pid, start)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        goto cleanup;
    }
    for (i = 0; parts[i]; i++) {
        if (!*parts[i])
            continue;
        if (sub->len)
            g_string_append_c(sub, '/');
        g_string_append(sub, parts[i]);
        if (make && i > 0 && dirfd >= 0 && mkdirat(dirfd, parts[i], 0755) < 0 &&
            errno != EEXIST) {
            virReportSystemError(errno, "Unable to create %s", shown);
            goto cleanup;
        }
        VIR_FORCE_CLOSE(dirfd);
        if ((dirfd = lxcOpenat2(rootfd, sub->str, O_PATH | O_DIRECTORY)) < 0) {
            if (!make && errno == ENOENT) {
                rc = 0;
                goto cleanup;
            }
            virReportSystemError(errno, make ? "Unable to create device %s"
                                             : "Unable to remove device %s", shown);
            goto cleanup;
        }
    }
    if (make) {
        if (mknodat(dirfd, base, mode, rdev) < 0) {
            virReportSystemError(errno, "Unable to create device %s", shown);
            goto cleanup;
        }
        if (uid != (uid_t)-1 && fchownat(dirfd, base, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
            virReportSystemError(errno, "Failed to change owner of %s to %u:%u", shown,
                                 (unsigned int)uid, (unsigned int)gid);
            unlinkat(dirfd, base, 0);
            goto cleanup;
        }
    } else if (unlinkat(dirfd, base, 0) < 0 && errno != ENOENT) {
        virReportSystemError(errno, "Unable to remove device %s", shown);
        goto cleanup;
    }
    rc = 0;

 cleanup:
    VIR_FORCE_CLOSE(dirfd);
    if (rootfd >= 0)
        close(rootfd);
    return rc;
}


/* A disk's or host device's node made in the container (owned by uid:gid
 * unless -1: a user namespace's mapped root), the container's
 * device ACL (its devices cgroup) allowing it first, as libvirt's: denied
 * again when the node cannot be made. A container without the devices
 * controller has no ACL to change. Lock not held. */
static int
lxcDeviceNodeAttach(lxcCgroup *cg, const lxcDevice *dev, pid_t pid, unsigned long long start,
                    const char *name, mode_t mode, dev_t rdev, uid_t uid, gid_t gid)
{
    bool acl = lxcCgroupHas(cg, LXC_CGROUP_DEVICES);
    char type = S_ISCHR(mode) ? 'c' : 'b';
    int perms = lxcCgroupDevicePerms(dev);

    if (acl && lxcCgroupAllowDevice(cg, type, (int)major(rdev), (int)minor(rdev), perms) < 0)
        return -1;
    if (lxcDeviceNodeChange(pid, start, name, true, mode, rdev, uid, gid) < 0) {
        if (acl) {
            virError *saved = virErrorPreserveLast();

            if (lxcCgroupDenyDevice(cg, type, (int)major(rdev), (int)minor(rdev), perms) < 0)
                VIR_WARN("cannot deny device %s: %s", dev->source, virGetLastErrorMessage());
            virErrorRestore(&saved);
        }
        return -1;
    }
    return 0;
}


/* The node of the live definition's device found removed, then the
 * device (its source's, as the host has it now) denied in the ACL, all
 * access; a deny that fails only warns, as libvirt's. Lock not held. */
static int
lxcDeviceNodeDetach(lxcCgroup *cg, const lxcDevice *found, const char *domain, pid_t pid,
                    unsigned long long start, const char *name)
{
    if (lxcDeviceNodeChange(pid, start, name, false, 0, 0, (uid_t)-1, (gid_t)-1) < 0)
        return -1;
    if (lxcCgroupHas(cg, LXC_CGROUP_DEVICES) && found->source &&
        lxcCgroupDenyDevicePath(cg, found->source, LXC_CGROUP_DEVICE_RWM) != 0) {
        VIR_WARN("cannot deny device %s for domain %s: %s", found->source, domain,
                 virGetLastErrorMessage());
        virResetLastError();
    }
    return 0;
}


/* libvirt's checks of a live attach or detach that need no I/O, with the
 * lock held; *found: the live device a detach removes. */
static int
lxcDeviceLiveCheck(const lxcConfig *cfg, const lxcDevice *dev, lxcDeviceAction action,
                   const lxcDevice **found)
{
    const char *verb = action == LXC_DEVICE_ATTACH ? "attached" : "detached";

    switch (dev->kind) {
    case LXC_DEV_DISK:
        *found = lxcFindDisk(cfg, dev->target);
        if (action == LXC_DEVICE_ATTACH && *found) {
            virReportError(VIR_ERR_OPERATION_FAILED, "target %s already exists", dev->target);
            return -1;
        } else if (action == LXC_DEVICE_DETACH && !*found) {
            virReportError(VIR_ERR_OPERATION_FAILED, "disk %s not found", dev->target);
            return -1;
        }
        break;
    case LXC_DEV_HOSTDEV:
        *found = lxcFindHostdev(cfg, dev);
        if (action == LXC_DEVICE_ATTACH && *found) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           dev->usb ? "host USB device already exists"
                                    : "host device already exists");
            return -1;
        }
        if (action == LXC_DEVICE_DETACH && !*found) {
            if (dev->usb)
                virReportError(VIR_ERR_OPERATION_FAILED, "%s", "usb device not found");
            else
                virReportError(VIR_ERR_OPERATION_FAILED, "hostdev %s not found", dev->source);
            return -1;
        }
        break;
    case LXC_DEV_NET:
        if (action == LXC_DEVICE_ATTACH)
            return lxcConfigCheckInterface(dev);
        if (!(*found = lxcFindNet(cfg, dev)))
            return -1;
        if ((strcmp((*found)->netType, "bridge") != 0 &&
             strcmp((*found)->netType, "ethernet") != 0) || !(*found)->netHost) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "Only bridged veth devices can be detached");
            return -1;
        }
        return 0;
    case LXC_DEV_OTHER:
    default:
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "device type '%s' cannot be %s",
                       dev->typeName, verb);
        return -1;
    }
    return lxcConfigCheckDeviceNodes(cfg, dev);
}


/* The host's device behind a source path: its type (block, or character
 * for a misc host device) checked, libvirt's words. */
static int
lxcDeviceSourceStat(const lxcDevice *dev, mode_t *mode, dev_t *rdev)
{
    struct stat sb;

    if (stat(dev->source, &sb) < 0) {
        virReportSystemError(errno, "Unable to access %s", dev->source);
        return -1;
    }
    if (dev->chr ? !S_ISCHR(sb.st_mode) : !S_ISBLK(sb.st_mode)) {
        if (dev->usb)
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "USB source %s was not a character device",
                           dev->source);
        else if (dev->kind == LXC_DEV_DISK)
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Disk source %s must be a block device",
                           dev->source);
        else    /* libvirt's words, for a misc (character) device too */
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Hostdev source %s must be a block device",
                           dev->source);
        return -1;
    }
    *mode = 0700 | (dev->chr ? S_IFCHR : S_IFBLK);
    *rdev = sb.st_rdev;
    return 0;
}


/* An interface's pair made (a veth pair, its container end moved in
 * keeping its name, down, as libvirt's; the host end's name in *host) or
 * deleted (by *host). The namespace is opened, then the init's start
 * time checked: a reused PID never gets the interface. Lock not held. */
static int
lxcDeviceNetChange(pid_t pid, unsigned long long start, const lxcDevice *dev,
                   lxcDeviceAction action, char **host)
{
    g_autofree char *peer = NULL;
    int nsFd, index = 0, inside = 0, rc;

    if (action == LXC_DEVICE_DETACH)
        return lxcNetTeardown(*host, 0, true);
    if ((nsFd = lxcNetOpenNamespace(pid)) < 0 || !lxcProcessAlive(pid, start)) {
        VIR_FORCE_CLOSE(nsFd);
        virResetLastError();
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    rc = lxcNetSetup(dev, nsFd, NULL, host, &peer, &index, &inside);
    VIR_FORCE_CLOSE(nsFd);
    return rc;
}


/* A USB host device attached live that names only its vendor and
 * product: found on the host (lxcusb.h), its address and node path set in
 * dev, *name its node's. libvirt's live attach would take address 0/0
 * (/dev/bus/usb/000/000); one with an address is taken at its word, as
 * libvirt takes it. Lock not held. 1: located, 0: nothing to do. */
static int
lxcDeviceUSBLocate(lxcDevice *dev, char **name)
{
    unsigned int bus, device;

    if (!dev->usb || !dev->usbVendor || dev->usbBus || dev->usbDevice)
        return 0;
    if (lxcUSBFind(dev, true, &bus, &device) < 0)
        return -1;
    lxcDeviceSetUSBAddress(dev, bus, device);
    g_free(*name);
    *name = g_strdup(lxcDeviceNodeName(dev));
    return 1;
}


/* The live half, under m's job with the lock held on entry and return
 * (released for the I/O). node (taken over) goes into the live definition
 * on an attach. */
static int
lxcDeviceLiveApply(lxcModify *m, lxcDevice *dev, virDomainXMLNode *node,
                   lxcDeviceAction action)
{
    g_autoptr(virDomainXMLNode) owned = node;
    g_autoptr(lxcConfig) cfg = NULL;
    g_autofree char *name = NULL;
    const lxcDevice *found = NULL;
    pid_t pid = m->dom->initPid;
    unsigned long long start = m->dom->initStart;
    mode_t mode = 0;
    dev_t rdev = 0;
    uid_t uid = m->live->nuidmap ? m->live->uidmap[0].target : (uid_t)-1;
    gid_t gid = m->live->ngidmap ? m->live->gidmap[0].target : (gid_t)-1;
    int rc, located = 0;

    if (action == LXC_DEVICE_UPDATE) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s", "Unable to modify live devices");
        return -1;
    }
    if (!pid) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       dev->kind == LXC_DEV_HOSTDEV ? "Cannot attach hostdev until init PID is known"
                                                    : "Cannot attach disk until init PID is known");
        return -1;
    }
    if (!(cfg = lxcDeviceConfigOf(m->live)) || lxcDeviceLiveCheck(cfg, dev, action, &found) < 0)
        return -1;
    if (dev->kind == LXC_DEV_NET)
        name = action == LXC_DEVICE_DETACH ? g_strdup(found->netHost) : NULL;
    else
        name = g_strdup(lxcDeviceNodeName(action == LXC_DEVICE_ATTACH ? dev : found));

    virNoIOMutexUnlock(&m->drv->lock);
    if (dev->kind == LXC_DEV_NET)
        rc = lxcDeviceNetChange(pid, start, dev, action, &name);
    else if (action == LXC_DEVICE_ATTACH)
        rc = (located = lxcDeviceUSBLocate(dev, &name)) < 0 ||
             lxcDeviceSourceStat(dev, &mode, &rdev) < 0 ? -1 :
             lxcDeviceNodeAttach(m->cg, dev, pid, start, name, mode, rdev, uid, gid);
    else
        rc = lxcDeviceNodeDetach(m->cg, found, m->name, pid, start, name);
    lxcModifyLock(m);
    if (rc < 0)
        return -1;

    /* the job kept the live definition; found's node is found again in it */
    if (action == LXC_DEVICE_DETACH) {
        virDomainDefRemoveDevice(m->live, lxcDeviceNode(m->live, found));
    } else {
        const virDomainXMLNode *before = NULL;

        if (dev->kind == LXC_DEV_DISK)
            before = lxcDiskInsertBefore(m->live, owned, dev->target);
        if (dev->kind == LXC_DEV_NET)
            lxcConfigSetInterfaceNames(owned, name, NULL);
        if (located > 0)
            lxcConfigSetUSBAddress(owned, dev->usbBus, dev->usbDevice, false);
        virDomainDefAddDevice(m->live, g_steal_pointer(&owned), before);
    }
    VIR_INFO("container '%s': %s %s%s", m->name,
             action == LXC_DEVICE_ATTACH ? "made" : "removed",
             dev->kind == LXC_DEV_NET ? "interface " : "/dev/", name ? name : dev->netDirectDev);
    return 0;
}


/* ------------------------------------------------------------------ */
/* The calls                                                           */

/* libvirt's order: the flags, the domain under a job, the impact
 * (CURRENT resolved; LIVE on a shut-off domain, CONFIG on a transient one
 * refused), update live refused before the XML is read, the XML, the
 * config on a copy, the live container, then the copy committed and
 * saved. */
static int
lxcDomainDeviceChange(const virDomainRef *ref, const char *xml, unsigned int flags,
                      lxcDeviceAction action)
{
    g_autoptr(lxcDevice) dev = NULL;
    g_autoptr(virDomainXMLNode) node = NULL;
    g_autoptr(virDomainDef) newConfig = NULL;
    lxcModify m;
    int rc = 0;

    if (lxcModifyBegin(&m, ref, flags) < 0)
        return -1;
    if (action == LXC_DEVICE_UPDATE && m.live) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s", "Unable to modify live devices");
        lxcModifyLock(&m);
        return lxcModifyEnd(&m, false, false, -1);
    }
    dev = lxcConfigParseDevice(xml, action != LXC_DEVICE_DETACH, &node);
    lxcModifyLock(&m);
    if (!dev)
        return lxcModifyEnd(&m, false, false, -1);

    if (m.config) {
        newConfig = virDomainDefCopy(m.config);
        rc = lxcDeviceConfigApply(newConfig, dev, virDomainXMLNodeCopy(node), action);
    }
    if (rc == 0 && m.live)
        rc = lxcDeviceLiveApply(&m, dev, virDomainXMLNodeCopy(node), action);
    if (rc == 0 && newConfig) {
        virDomainDefFree(m.dom->obj.def);
        m.dom->obj.def = g_steal_pointer(&newConfig);
    }
    return lxcModifyEnd(&m, m.live != NULL, m.config != NULL, rc);
}


int
lxcDomainAttachDeviceFlags(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                           const char *xml, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    return lxcDomainDeviceChange(ref, xml, flags, LXC_DEVICE_ATTACH);
}


int
lxcDomainAttachDevice(virConnect *conn, const virDomainRef *ref, const char *xml)
{
    return lxcDomainAttachDeviceFlags(conn, ref, xml, VIR_DOMAIN_AFFECT_LIVE);
}


int
lxcDomainDetachDeviceFlags(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                           const char *xml, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    return lxcDomainDeviceChange(ref, xml, flags, LXC_DEVICE_DETACH);
}


int
lxcDomainDetachDevice(virConnect *conn, const virDomainRef *ref, const char *xml)
{
    return lxcDomainDetachDeviceFlags(conn, ref, xml, VIR_DOMAIN_AFFECT_LIVE);
}


int
lxcDomainUpdateDeviceFlags(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                           const char *xml, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    return lxcDomainDeviceChange(ref, xml, flags, LXC_DEVICE_UPDATE);
}
