/*
 * lxcconf.h: what the LXC driver and its controller read from a container's
 * domain XML, beyond the common virDomainDef.
 *
 * The common parser (virdomaindef.h) models name, uuid, memory, vcpus,
 * <os><type>/<init>/<initarg> and keeps every other element as an opaque
 * subtree. This module reads the LXC-specific parts of the same document,
 * the way libvirt's LXC driver reads them:
 *
 *   <os><initenv name='X'>value</initenv>   environment of the init
 *   <os><initdir>/path</initdir>            its working directory
 *   <features><privnet/></features>         a private network namespace
 *   <devices><filesystem type='mount'>      a host directory bind-mounted
 *       <source dir='/host'/><target dir='/in/container'/><readonly/>
 *     (target '/' makes it the container's root)
 *   <devices><filesystem type='ram'>        a tmpfs, <source usage='N' units='KiB'/>
 *   <devices><console type='pty'/>           the console (always a pty here)
 *   <devices><channel type='unix'>           the guest agent: the controller runs
 *       <target type='virtio' name='org.qemu.guest_agent.0'/>   virtnet-agent inside
 *   <devices><emulator>                      accepted, ignored (our controller runs)
 *   <cputune><shares>/<period>/<quota>       the cgroup's CPU tunables at start
 *   <blkiotune><weight>                      its block I/O weight
 *   <blkiotune><device><path>, <weight>, <read|write_iops|bytes_sec>
 *                                            per-device tunables (libvirt's errors)
 *
 *   <devices><disk type='block' device='disk'>   a block device node /dev/TARGET
 *       <source dev='/dev/X'/><target dev='TARGET'/>
 *   <devices><hostdev mode='capabilities' type='storage'|'misc'>   a node at the
 *       <source><block>|<char>PATH</...></source>   same path in the container's /dev
 *   <devices><hostdev mode='subsystem' type='usb'>  the host's USB device (found
 *       <source startupPolicy=><vendor id/><product id/><address bus device/>
 *       at start by lxcusb.h) as /dev/bus/usb/BBB/DDD in the container
 *     (kept as libvirt prints it: lxcConfigNormalizeXML)
 *   <devices><interface type='bridge'|'ethernet'>   a veth pair (lxcnet.h);
 *       <interface type='direct'>                   a macvlan link (lxcnet.h);
 *       <mac>, <source bridge>, <target dev>, <guest dev>, <link state>,
 *       <ip address prefix family peer>, <route family address netmask
 *       prefix gateway metric> (set on the container end at start)
 *     (libvirt's <mac> filled in; other types are kept, a start refuses them)
 *
 * Anything the driver cannot honour is refused with a clear error
 * (VIR_ERR_CONFIG_UNSUPPORTED), never silently ignored: other devices
 * (other disk and hostdev types, ...), other features, other filesystem
 * types, <inituser>/<initgroup>, <numatune>.
 *
 * <idmap> (a user namespace) is the domain parser's (def->uidmap, gidmap:
 * virdomaindef.h); the controller realises it (lxccontroller.c).
 *
 * Objects are plain data, no locking.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "virdomaindef.h"

typedef enum {
    LXC_FS_MOUNT = 0,   /* bind mount of a host directory */
    LXC_FS_RAM,         /* tmpfs */
} lxcFSType;

typedef struct {
    lxcFSType type;
    char *src;                  /* host directory (MOUNT) */
    char *dst;                  /* absolute path in the container */
    bool readonly;
    unsigned long long usageKiB; /* RAM: size, 0 = tmpfs default */
} lxcFS;

/* The devices a container can have besides its filesystems and console,
 * as libvirt's LXC driver names them. */
typedef enum {
    LXC_DEV_DISK = 0,           /* <disk type='block' device='disk'> */
    LXC_DEV_HOSTDEV,            /* <hostdev mode='capabilities' type='storage'|'misc'>,
                                 * <hostdev mode='subsystem' type='usb'> */
    LXC_DEV_NET,                /* <interface> (bridge, ethernet: a veth pair) */
    LXC_DEV_OTHER,              /* another kind libvirt knows (a device call's input only) */
} lxcDeviceKind;

/* An interface's <ip>: the address of the container end (libvirt's
 * guestIP). prefix: as given (0: none); family: AF_INET or AF_INET6. */
typedef struct {
    int family;
    unsigned char addr[16];
    unsigned int prefix;
    bool hasPeer;               /* peer='': a point-to-point address */
    unsigned char peer[16];
} lxcNetIP;

/* An interface's <route>: family as written (NULL: none, IPv4), the
 * destination, its netmask (IPv4; hasNetmask) or prefix (hasPrefix), the
 * gateway, which sets the family of the route, and the metric (0: none). */
typedef struct {
    char *familyName;
    int family;
    unsigned char addr[16];
    bool hasNetmask;
    unsigned char netmask[4];
    bool hasPrefix;
    unsigned int prefix;
    unsigned char gateway[16];
    unsigned int metric;
} lxcNetRoute;

/* One direction of an interface's <bandwidth> (libvirt's units: average,
 * peak and floor in KiB/s, burst in KiB; 0: not given). */
typedef struct {
    bool given;
    unsigned long long average;
    unsigned long long peak;
    unsigned long long burst;
    unsigned long long floor;
} lxcNetRate;

typedef struct {
    lxcDeviceKind kind;
    char *elem;                 /* the element's name */
    char *typeName;             /* libvirt's name of the kind ("disk", "net", "chr", ...) */
    size_t nth;                 /* its index among the definition's <elem> devices */
    /* DISK: <source dev> (NULL: none) and <target dev>; HOSTDEV: the
     * <block> or <char> path, the same path inside the container */
    char *source;
    char *target;
    bool chr;                   /* HOSTDEV: type 'misc' or 'usb' (a character device) */
    /* HOSTDEV type 'usb': the <source>'s numbers (0: not given), its
     * startupPolicy (NULL: none), managed='yes', guestReset, and missing='yes'
     * (a live definition's: optional and not found at start, no node);
     * source and target are /dev/bus/usb/BBB/DDD of bus and device */
    bool usb;
    unsigned int usbVendor;
    unsigned int usbProduct;
    unsigned int usbBus;
    unsigned int usbDevice;
    char *usbStartupPolicy;
    char *usbGuestReset;
    bool usbManaged;
    bool usbMissing;
    bool readonly;              /* DISK: <readonly/> */
    /* NET: its type, its <mac> (macGiven false: none was given), <source
     * bridge>, <target dev> (the host end), <guest dev> (the container
     * end), <link
     * state='up'/>, its <ip>s and <route>s, <script> */
    char *netType;
    unsigned char mac[6];
    bool macGiven;
    char *netBridge;
    char *netHost;
    char *netGuest;
    bool netLinkUp;
    lxcNetIP *netIPs;
    size_t nnetIPs;
    lxcNetRoute *netRoutes;
    size_t nnetRoutes;
    bool netScript;
    bool netBandwidth;          /* <bandwidth> with <inbound> or <outbound> */
    lxcNetRate netIn;           /* <bandwidth><inbound>: the container's view */
    lxcNetRate netOut;          /* <bandwidth><outbound> */
    /* type 'direct': <source dev> (the host link), mode (vepa, private,
     * bridge, passthrough; vepa when not given); <virtualport>, <vlan> */
    char *netDirectDev;
    char *netDirectMode;
    bool netVirtualport;
    bool netVlan;
} lxcDevice;

void lxcDeviceFree(lxcDevice *dev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(lxcDevice, lxcDeviceFree);

/* The per-device block I/O tunables of <blkiotune><device> (libvirt's
 * virBlkioDevice), in the order of the typed parameters' names. */
typedef enum {
    LXC_BLKIO_DEVICE_WEIGHT = 0,        /* <weight>, device_weight */
    LXC_BLKIO_DEVICE_READ_IOPS,         /* <read_iops_sec>, device_read_iops_sec */
    LXC_BLKIO_DEVICE_WRITE_IOPS,        /* <write_iops_sec>, device_write_iops_sec */
    LXC_BLKIO_DEVICE_READ_BPS,          /* <read_bytes_sec>, device_read_bytes_sec */
    LXC_BLKIO_DEVICE_WRITE_BPS,         /* <write_bytes_sec>, device_write_bytes_sec */
    LXC_BLKIO_DEVICE_LAST
} lxcBlkioDeviceParam;

typedef struct {
    char *path;
    unsigned long long value[LXC_BLKIO_DEVICE_LAST];    /* 0: not set */
} lxcBlkioDevice;

/* A tunable's element name and typed parameter name. */
const char *lxcBlkioDeviceElement(lxcBlkioDeviceParam p);
const char *lxcBlkioDeviceParamName(lxcBlkioDeviceParam p);

typedef struct {
    char **env;                 /* "NAME=value", from <initenv> */
    size_t nenv;
    char *initdir;              /* NULL: "/" */
    lxcFS *fss;
    size_t nfss;
    bool privnet;               /* <features><privnet/> */
    bool agent;                 /* the guest agent channel */
    /* <cputune><shares|period|quota>, <blkiotune><weight>: 0 when absent */
    unsigned long long cpuShares;
    unsigned long long cpuPeriod;
    long long cpuQuota;
    unsigned int blkioWeight;
    lxcBlkioDevice *blkioDevs;  /* <blkiotune><device>s, in document order */
    size_t nblkioDevs;
    lxcDevice **devs;           /* disks, host devices, interfaces, in document order */
    size_t ndevs;
} lxcConfig;

/* The target name of libvirt's guest agent channel. */
#define LXC_AGENT_CHANNEL "org.qemu.guest_agent.0"

/* Read the LXC parts of a domain document (already accepted by the common
 * parser) and check the whole definition is one this driver runs: domain
 * type 'lxc', OS type 'exe'. NULL with an error reported otherwise. */
lxcConfig *lxcConfigParse(const char *xml, const virDomainDef *def);
void lxcConfigFree(lxcConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(lxcConfig, lxcConfigFree);

/* One device's XML (a device call's input, libvirt's "(device_definition)"
 * document): what it is, and in *node the element kept as is but for a
 * generated <mac> in an <interface> without one. An element libvirt does
 * not know is CONFIG_UNSUPPORTED "unknown device type 'X'" (VIR_FROM_DOMAIN);
 * one it knows that is not a disk, host device or interface comes back as
 * LXC_DEV_OTHER (the caller refuses it with its own words). validate:
 * libvirt's checks of a whole device (a disk's source), which a detach's
 * XML does not get. */
lxcDevice *lxcConfigParseDevice(const char *xml, bool validate, virDomainXMLNode **node);
/* xml with every <hostdev mode='subsystem' type='usb'> as libvirt prints
 * it (managed='no' added, ids as 0x%04x, no address 0/0, missing and
 * autoAddress dropped) and <blkiotune>'s <device>s too (libvirt's order,
 * no zero); a new string, or NULL with an error (a document
 * lxcConfigParse accepted does not fail). */
char *lxcConfigNormalizeXML(const char *xml);
/* Whether cfg has a USB host device. */
bool lxcConfigHasUSB(const lxcConfig *cfg);
/* Record in a USB <hostdev> of a live definition where its device was
 * found at start (bus, device) or that it was not (missing='yes'). */
void lxcConfigSetUSBAddress(virDomainXMLNode *hostdev, unsigned int bus, unsigned int device,
                            bool missing);
/* Set dev's USB address and the node path derived from it. */
void lxcDeviceSetUSBAddress(lxcDevice *dev, unsigned int bus, unsigned int device);
/* The <mac> libvirt gives an <interface> that has none (52:54:00:xx:xx:xx,
 * random), in each interface of def without one; the <ip>s and <route>s
 * of each written back as libvirt prints them (cfg: def's, parsed). */
void lxcConfigFillMACs(virDomainDef *def, const lxcConfig *cfg);
/* An interface's <ip> and <route> children as libvirt prints them: the
 * addresses in their canonical form, the attributes libvirt knows in its
 * order, every <ip> before every <route>. */
void lxcConfigFormatInterfaceIP(virDomainXMLNode *iface, const lxcDevice *dev);
/* The prefix libvirt puts on the container end for an <ip> (the given
 * one, else the natural one of the address's class, 64 for IPv6) and for
 * a <route>'s destination; -1 when there is none (a class D or E IPv4
 * address). The metric of a route: the given one, else 1. */
int lxcNetIPPrefix(const lxcNetIP *ip);
int lxcNetRoutePrefix(const lxcNetRoute *route);
unsigned int lxcNetRouteMetric(const lxcNetRoute *route);
/* An address as libvirt prints it (a new string). */
char *lxcNetAddrFormat(int family, const unsigned char *addr);
/* What a start cannot realise yet, refused with CONFIG_UNSUPPORTED naming
 * the device: interfaces of other types (lxcConfigCheckInterface); device
 * nodes in a container that shares the host's /dev (no root filesystem of
 * its own). */
int lxcConfigCheckStart(const lxcConfig *cfg);
/* An interface a start or a live attach can realise: type 'bridge' (with
 * a source bridge), 'ethernet' or 'direct' (no <bandwidth> or
 * <virtualport> there, a <vlan> only in passthrough mode and only on an
 * SR-IOV VF, which a macvlan's link is not here), no <script>; libvirt's
 * errors where it has them. */
int lxcConfigCheckInterface(const lxcDevice *dev);
/* Whether the container gets a network namespace of its own: <privnet/>
 * or an interface. */
bool lxcConfigPrivateNet(const lxcConfig *cfg);
/* The interface of a live definition that device names, by its <target
 * dev> or by its MAC (as libvirt finds it): false (nothing reported) when
 * none does, else its <target dev> in *host (NULL: none, a macvlan's) and
 * in *sharesHostView whether its counters are the container's own view (a
 * macvlan: not swapped). */
bool lxcConfigInterfaceFind(const virDomainDef *def, const char *device, char **host,
                            bool *sharesHostView);
/* Record in an <interface> of a live definition the names it got, as
 * libvirt shows them once started: <target dev='HOST'/> (host NULL: as it
 * was, a macvlan's), <guest dev='GUEST'/> (guest NULL: no <guest>, as
 * after a live attach). libvirt
 * drops the container end's name on the host (actual='vnetM') when the
 * start completes: it is not shown either. */
void lxcConfigSetInterfaceNames(virDomainXMLNode *iface, const char *host, const char *guest);
/* The part of it for one device node (a disk's, a host device's), also
 * checked before a live attach. */
int lxcConfigCheckDeviceNodes(const lxcConfig *cfg, const lxcDevice *dev);
/* The path of a device's node below the container's /dev ("vdb",
 * "loop0", "bus/usb/001/002"): a disk's target, a host device's path
 * without its first component (libvirt's rule). */
const char *lxcDeviceNodeName(const lxcDevice *dev);

/* The root filesystem (target '/'), or NULL when the container shares the
 * host's root. */
const lxcFS *lxcConfigRootFS(const lxcConfig *cfg);

/* Names derived from a domain name (which the common parser already
 * checked: not empty, no '/' or newline), shared by the driver and the
 * controller so that both build the same paths. */

/* The container's host name, as libvirt makes it: only [A-Za-z0-9.-],
 * no leading '-', at most 64 bytes. */
char *lxcHostName(const char *name);
/* The cgroup directory name under virtnet-lxc/: the domain name, with a
 * '_' in front when it could be mistaken for something else there ('.',
 * '..', a name starting with '.' or '_', or one looking like a cgroup
 * control file such as "memory.max" or "cgroup.procs"). */
char *lxcCgroupName(const char *name);
