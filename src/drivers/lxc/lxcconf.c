/*
 * lxcconf.c: the LXC-specific parts of a domain definition (lxcconf.h).
 *
 * Stateless: every function works on what it is given.
 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <libxml/tree.h>

#include "lxcconf.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_LXC

#define virReportUnsupported(...) \
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, __VA_ARGS__)

static void lxcInterfaceFillMAC(virDomainXMLNode *iface, unsigned char *mac);
static void lxcInterfaceNormalize(virDomainXMLNode *iface, const lxcDevice *dev);

/* libvirt's order of an <interface>'s children, where a <mac>, an <ip> or a <route> goes */
static const char *const lxcInterfaceOrder[] = {
    "mac", "source", "vlan", "virtualport", "bandwidth", "portOptions", "ip", "route", "script",
    "downscript", "backenddomain", "target", "guest", "model", "driver", "backend", "filterref",
    "tune", "teaming", "link", "mtu", "coalesce", "boot", "rom", "alias", "address", "acpi", NULL
};

void
lxcConfigFree(lxcConfig *cfg)
{
    size_t i;

    if (!cfg)
        return;
    for (i = 0; i < cfg->nenv; i++)
        g_free(cfg->env[i]);
    g_free(cfg->env);
    g_free(cfg->initdir);
    for (i = 0; i < cfg->nfss; i++) {
        g_free(cfg->fss[i].src);
        g_free(cfg->fss[i].dst);
    }
    g_free(cfg->fss);
    for (i = 0; i < cfg->ndevs; i++)
        lxcDeviceFree(cfg->devs[i]);
    g_free(cfg->devs);
    for (i = 0; i < cfg->nblkioDevs; i++)
        g_free(cfg->blkioDevs[i].path);
    g_free(cfg->blkioDevs);
    g_free(cfg);
}


void
lxcDeviceFree(lxcDevice *dev)
{
    size_t i;

    if (!dev)
        return;
    g_free(dev->elem);
    g_free(dev->typeName);
    g_free(dev->source);
    g_free(dev->target);
    g_free(dev->netType);
    g_free(dev->netBridge);
    g_free(dev->netHost);
    g_free(dev->netDirectDev);
    g_free(dev->netDirectMode);
    g_free(dev->netGuest);
    for (i = 0; i < dev->nnetRoutes; i++)
        g_free(dev->netRoutes[i].familyName);
    g_free(dev->netRoutes);
    g_free(dev->netIPs);
    g_free(dev->usbStartupPolicy);
    g_free(dev->usbGuestReset);
    g_free(dev);
}


static bool
lxcIsElement(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && !node->ns &&
           (!name || strcmp((const char *)node->name, name) == 0);
}


static xmlNodePtr
lxcChild(xmlNodePtr parent, const char *name)
{
    xmlNodePtr cur;

    for (cur = parent ? parent->children : NULL; cur; cur = cur->next) {
        if (lxcIsElement(cur, name))
            return cur;
    }
    return NULL;
}


static char *
lxcProp(xmlNodePtr node, const char *name)
{
    xmlChar *v = node ? xmlGetNoNsProp(node, (const xmlChar *)name) : NULL;
    char *ret = v ? g_strdup((const char *)v) : NULL;

    xmlFree(v);
    return ret;
}


static char *
lxcText(xmlNodePtr node)
{
    xmlChar *v = xmlNodeGetContent(node);
    char *ret = g_strdup(v ? (const char *)v : "");

    xmlFree(v);
    return ret;
}


static int
lxcParseOS(lxcConfig *cfg, xmlNodePtr os)
{
    xmlNodePtr cur;

    for (cur = os ? os->children : NULL; cur; cur = cur->next) {
        const char *name;

        if (!lxcIsElement(cur, NULL))
            continue;
        name = (const char *)cur->name;
        if (strcmp(name, "initenv") == 0) {
            g_autofree char *var = lxcProp(cur, "name");
            g_autofree char *value = lxcText(cur);

            if (!var || !*var || strchr(var, '=')) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "<initenv> needs a name without '='");
                return -1;
            }
            cfg->env = g_renew(char *, cfg->env, cfg->nenv + 1);
            cfg->env[cfg->nenv++] = g_strdup_printf("%s=%s", var, value);
        } else if (strcmp(name, "initdir") == 0) {
            g_free(cfg->initdir);
            cfg->initdir = lxcText(cur);
            if (cfg->initdir[0] != '/') {
                virReportError(VIR_ERR_XML_ERROR,
                               "<initdir> '%s' is not an absolute path",
                               cfg->initdir);
                return -1;
            }
        } else if (strcmp(name, "inituser") == 0 || strcmp(name, "initgroup") == 0) {
            virReportUnsupported("<%s> is not supported by virtnet's LXC driver", name);
            return -1;
        }
    }
    return 0;
}


static int
lxcParseFeatures(lxcConfig *cfg, xmlNodePtr features)
{
    xmlNodePtr cur;

    for (cur = features ? features->children : NULL; cur; cur = cur->next) {
        if (!lxcIsElement(cur, NULL))
            continue;
        if (strcmp((const char *)cur->name, "privnet") == 0) {
            cfg->privnet = true;
        } else {
            virReportUnsupported("feature '%s' is not supported by virtnet's LXC driver",
                                 (const char *)cur->name);
            return -1;
        }
    }
    return 0;
}


/* libvirt's scaled-integer units for <source usage='N' units='U'/>. */
static int
lxcParseUsage(const char *value, const char *units, unsigned long long *kib)
{
    unsigned long long n, mult = 1024;
    char *end = NULL;

    if (!value)
        return 0;
    n = g_ascii_strtoull(value, &end, 10);
    if (!*value || *end) {
        virReportError(VIR_ERR_XML_ERROR, "invalid filesystem usage '%s'", value);
        return -1;
    }
    if (units && *units) {
        static const struct { const char *u; unsigned long long m; } tab[] = {
            { "b", 1 }, { "bytes", 1 }, { "k", 1024 }, { "KiB", 1024 }, { "KB", 1000 },
            { "M", 1024ULL * 1024 }, { "MiB", 1024ULL * 1024 }, { "MB", 1000ULL * 1000 },
            { "G", 1024ULL * 1024 * 1024 }, { "GiB", 1024ULL * 1024 * 1024 },
            { "GB", 1000ULL * 1000 * 1000 },
        };
        size_t i;

        mult = 0;
        for (i = 0; i < G_N_ELEMENTS(tab); i++) {
            if (strcmp(tab[i].u, units) == 0)
                mult = tab[i].m;
        }
        if (!mult) {
            virReportError(VIR_ERR_INVALID_ARG, "unknown suffix '%s'", units);
            return -1;
        }
    }
    if (n && G_MAXUINT64 / n < mult) {
        virReportError(VIR_ERR_OVERFLOW, "%s", "filesystem usage too large");
        return -1;
    }
    *kib = (n * mult + 1023) / 1024;
    return 0;
}


static int
lxcParseFilesystem(lxcConfig *cfg, xmlNodePtr node)
{
    g_autofree char *type = lxcProp(node, "type");
    g_autofree char *accessmode = lxcProp(node, "accessmode");
    xmlNodePtr source = lxcChild(node, "source");
    xmlNodePtr target = lxcChild(node, "target");
    lxcFS fs = { 0 };
    size_t i;

    if (!type || strcmp(type, "mount") == 0) {
        fs.type = LXC_FS_MOUNT;
    } else if (strcmp(type, "ram") == 0) {
        fs.type = LXC_FS_RAM;
    } else {
        virReportUnsupported("filesystem type '%s' is not supported by virtnet's LXC driver "
                             "(only 'mount' and 'ram')", type);
        return -1;
    }
    if (accessmode && strcmp(accessmode, "passthrough") != 0) {
        virReportUnsupported("filesystem accessmode '%s' is not supported", accessmode);
        return -1;
    }
    fs.dst = lxcProp(target, "dir");
    if (!fs.dst || fs.dst[0] != '/') {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "missing or relative filesystem target dir");
        goto error;
    }
    fs.readonly = lxcChild(node, "readonly") != NULL;
    if (fs.type == LXC_FS_MOUNT) {
        fs.src = lxcProp(source, "dir");
        if (!fs.src || fs.src[0] != '/') {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "missing or relative filesystem source dir");
            goto error;
        }
    } else {
        g_autofree char *usage = lxcProp(source, "usage");
        g_autofree char *units = lxcProp(source, "units");

        if (lxcParseUsage(usage, units, &fs.usageKiB) < 0)
            goto error;
        if (strcmp(fs.dst, "/") == 0) {
            virReportUnsupported("%s", "a 'ram' filesystem cannot be the container's root");
            goto error;
        }
    }
    for (i = 0; i < cfg->nfss; i++) {
        if (strcmp(cfg->fss[i].dst, fs.dst) == 0) {
            virReportError(VIR_ERR_XML_ERROR, "filesystem target '%s' used twice",
                           fs.dst);
            goto error;
        }
    }
    cfg->fss = g_renew(lxcFS, cfg->fss, cfg->nfss + 1);
    cfg->fss[cfg->nfss++] = fs;
    return 0;

 error:
    g_free(fs.src);
    g_free(fs.dst);
    return -1;
}


/* libvirt's guest agent channel, the only channel we serve:
 * <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/>.
 * A <source> is accepted and its path ignored: the socket is always the
 * controller's, in the state directory. */
static int
lxcParseChannel(lxcConfig *cfg, xmlNodePtr node)
{
    g_autofree char *type = lxcProp(node, "type");
    xmlNodePtr target = lxcChild(node, "target");
    g_autofree char *ttype = lxcProp(target, "type");
    g_autofree char *tname = lxcProp(target, "name");

    if (!type || strcmp(type, "unix") != 0 || !ttype || strcmp(ttype, "virtio") != 0 ||
        !tname || strcmp(tname, LXC_AGENT_CHANNEL) != 0) {
        virReportUnsupported("channel type '%s' target '%s' name '%s' is not supported by "
                             "virtnet's LXC driver (only the guest agent channel: unix, "
                             "virtio, " LXC_AGENT_CHANNEL ")", type ? type : "",
                             ttype ? ttype : "", tname ? tname : "");
        return -1;
    }
    if (cfg->agent) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "only one guest agent channel is allowed");
        return -1;
    }
    cfg->agent = true;
    return 0;
}


/* A number in <PARENT><NAME>N</NAME>: 0 when absent. */
static int
lxcParseTune(xmlNodePtr parent, const char *name, bool isSigned, void *out)
{
    xmlNodePtr node = lxcChild(parent, name);
    g_autofree char *text = node ? lxcText(node) : NULL;
    char *end = NULL;

    if (!text)
        return 0;
    errno = 0;
    if (isSigned)
        *(long long *)out = g_ascii_strtoll(g_strstrip(text), &end, 10);
    else if (text[0] != '-')
        *(unsigned long long *)out = g_ascii_strtoull(g_strstrip(text), &end, 10);
    if (errno || !end || end == text || *end) {
        virReportError(VIR_ERR_XML_ERROR, "invalid value '%s' of <%s><%s>", text,
                       (const char *)parent->name, name);
        return -1;
    }
    return 0;
}


static const char *const lxcBlkioDeviceNames[LXC_BLKIO_DEVICE_LAST][3] = {
    /* element, parameter, libvirt's words in "could not parse %s %s" */
    { "weight", "device_weight", "weight" },
    { "read_iops_sec", "device_read_iops_sec", "read iops sec" },
    { "write_iops_sec", "device_write_iops_sec", "write iops sec" },
    { "read_bytes_sec", "device_read_bytes_sec", "read bytes sec" },
    { "write_bytes_sec", "device_write_bytes_sec", "write bytes sec" },
};

const char *
lxcBlkioDeviceElement(lxcBlkioDeviceParam p)
{
    return lxcBlkioDeviceNames[p][0];
}

const char *
lxcBlkioDeviceParamName(lxcBlkioDeviceParam p)
{
    return lxcBlkioDeviceNames[p][1];
}


/* <blkiotune>'s <device>s, as libvirt reads them: a <path>, each number
 * an unsigned integer (32 bits for the weight and the iops), libvirt's
 * CONFIG_UNSUPPORTED errors. */
static int
lxcParseBlkioDevices(lxcConfig *cfg, xmlNodePtr blkiotune)
{
    xmlNodePtr cur;
    size_t i, j;

    for (cur = blkiotune->children; cur; cur = cur->next) {
        lxcBlkioDevice dev = { NULL, { 0 } };
        xmlNodePtr path;
        size_t p;

        if (!lxcIsElement(cur, "device"))
            continue;
        if (!(path = lxcChild(cur, "path")) || !*(dev.path = lxcText(path))) {
            g_free(dev.path);
            virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__, __func__,
                               __LINE__, "%s", "missing per-device path");
            return -1;
        }
        for (p = 0; p < LXC_BLKIO_DEVICE_LAST; p++) {
            xmlNodePtr node = lxcChild(cur, lxcBlkioDeviceNames[p][0]);
            g_autofree char *text = node ? lxcText(node) : NULL;
            bool wide = p == LXC_BLKIO_DEVICE_READ_BPS || p == LXC_BLKIO_DEVICE_WRITE_BPS;
            char *end = NULL;
            bool bad;

            if (!text)
                continue;
            /* libvirt's virStrToLong_ui / _ull: strtoull's syntax; a
             * negative 32-bit value wraps ("-1" is the largest) */
            errno = 0;
            dev.value[p] = strtoull(text, &end, 10);
            bad = errno || end == text || *end;
            if (!wide && memchr(text, '-', end - text)) {
                if (-dev.value[p] > G_MAXUINT)
                    bad = true;
                else
                    dev.value[p] &= 0xffffffffULL;
            }
            if (bad || (!wide && dev.value[p] > G_MAXUINT)) {
                virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__,
                                   __func__, __LINE__, "could not parse %s %s",
                                   lxcBlkioDeviceNames[p][2], text);
                g_free(dev.path);
                return -1;
            }
        }
        cfg->blkioDevs = g_renew(lxcBlkioDevice, cfg->blkioDevs, cfg->nblkioDevs + 1);
        cfg->blkioDevs[cfg->nblkioDevs++] = dev;
    }
    /* libvirt's validation, once all are read */
    for (i = 0; i < cfg->nblkioDevs; i++) {
        for (j = 0; j < i; j++) {
            if (strcmp(cfg->blkioDevs[j].path, cfg->blkioDevs[i].path) == 0) {
                virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__,
                                   __func__, __LINE__, "duplicate blkio device path '%s'",
                                   cfg->blkioDevs[i].path);
                return -1;
            }
        }
    }
    return 0;
}


/* ------------------------------------------------------------------ */
/* Disks, host devices, interfaces                                     */

/* libvirt's device elements and the names of their kinds (what its
 * "device type '%s' cannot be attached" says). */
static const char *const lxcDeviceTypeNames[][2] = {
    { "disk", "disk" }, { "lease", "lease" }, { "filesystem", "filesystem" },
    { "interface", "net" }, { "input", "input" }, { "sound", "sound" }, { "video", "video" },
    { "hostdev", "hostdev" }, { "watchdog", "watchdog" }, { "controller", "controller" },
    { "graphics", "graphics" }, { "hub", "hub" }, { "redirdev", "redirdev" },
    { "smartcard", "smartcard" }, { "serial", "chr" }, { "parallel", "chr" },
    { "console", "chr" }, { "channel", "chr" }, { "memballoon", "memballoon" },
    { "nvram", "nvram" }, { "rng", "rng" }, { "shmem", "shmem" }, { "tpm", "tpm" },
    { "panic", "panic" }, { "memory", "memory" }, { "iommu", "iommu" }, { "vsock", "vsock" },
    { "audio", "audio" }, { "crypto", "crypto" },
};

static int
lxcParseMAC(const char *text, unsigned char *mac)
{
    unsigned int b[6];
    char end;
    size_t i;

    if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
               &end) != 6 || strlen(text) != 17) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "unable to parse mac address '%s'", text);
        return -1;
    }
    for (i = 0; i < 6; i++)
        mac[i] = (unsigned char)b[i];
    if (mac[0] & 1) {
        virReportError(VIR_ERR_XML_ERROR, "expected unicast mac address, found multicast '%s'",
                       text);
        return -1;
    }
    return 0;
}


/* A host device's path: absolute, no '.' or '..' component, at least two
 * components (its node is made below the container's /dev at the path
 * without the first one, as libvirt makes it). */
static bool
lxcDevicePathValid(const char *path)
{
    g_auto(GStrv) parts = NULL;
    size_t i, n = 0;

    if (!path || path[0] != '/')
        return false;
    parts = g_strsplit(path, "/", -1);
    for (i = 0; parts[i]; i++) {
        if (!*parts[i])
            continue;
        if (strcmp(parts[i], ".") == 0 || strcmp(parts[i], "..") == 0)
            return false;
        n++;
    }
    return n >= 2;
}


const char *
lxcDeviceNodeName(const lxcDevice *dev)
{
    const char *p;

    if (dev->kind == LXC_DEV_DISK)
        return dev->target;
    for (p = dev->target; *p == '/'; p++)
        ;
    p = strchr(p, '/');
    while (p && *p == '/')
        p++;
    return p;
}


static int
lxcParseDisk(lxcDevice *dev, xmlNodePtr node, bool validate)
{
    g_autofree char *type = lxcProp(node, "type");
    g_autofree char *device = lxcProp(node, "device");

    if (!type || strcmp(type, "block") != 0 || (device && strcmp(device, "disk") != 0)) {
        virReportUnsupported("disk type '%s' device '%s' is not supported by virtnet's LXC "
                             "driver (only type 'block', device 'disk')", type ? type : "",
                             device ? device : "disk");
        return -1;
    }
    dev->source = lxcProp(lxcChild(node, "source"), "dev");
    dev->target = lxcProp(lxcChild(node, "target"), "dev");
    dev->readonly = lxcChild(node, "readonly") != NULL;
    /* libvirt's validation (not of a detach's XML) */
    if (!dev->target) {
        virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_NO_TARGET, __FILE__, __func__, __LINE__,
                           "%s", dev->source ? dev->source : "");
        return -1;
    }
    if (validate && !dev->source) {
        virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_NO_SOURCE, __FILE__, __func__, __LINE__,
                           "%s", dev->target);
        return -1;
    }
    /* the node is /dev/TARGET in the container */
    if (!*dev->target || strchr(dev->target, '/') || strcmp(dev->target, ".") == 0 ||
        strcmp(dev->target, "..") == 0) {
        virReportError(VIR_ERR_XML_ERROR, "invalid disk target '%s'", dev->target);
        return -1;
    }
    if (dev->source && dev->source[0] != '/') {
        virReportError(VIR_ERR_XML_ERROR, "disk source '%s' is not an absolute path",
                       dev->source);
        return -1;
    }
    return 0;
}


/* An error libvirt's domain XML parser reports (VIR_FROM_DOMAIN). */
#define lxcReportDomainError(code, msg) \
    virErrorReportFull(VIR_FROM_DOMAIN, code, __FILE__, __func__, __LINE__, "%s", msg)


/* An enumerated attribute of libvirt's (values: NULL ended, none of them
 * its zero value); *out NULL when absent. */
static int
lxcParseEnumAttr(xmlNodePtr node, const char *name, const char *const *values, char **out)
{
    g_autofree char *text = lxcProp(node, name);
    size_t i;

    *out = NULL;
    if (!text)
        return 0;
    for (i = 0; values[i]; i++) {
        if (strcmp(values[i], text) == 0) {
            *out = g_steal_pointer(&text);
            return 0;
        }
    }
    virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                       "Invalid value for attribute '%s' in element '%s': '%s'.", name,
                       (const char *)node->name, text);
    return -1;
}


void
lxcDeviceSetUSBAddress(lxcDevice *dev, unsigned int bus, unsigned int device)
{
    dev->usbBus = bus;
    dev->usbDevice = device;
    g_free(dev->source);
    g_free(dev->target);
    /* digits only: a path no XML can steer */
    dev->source = g_strdup_printf("/dev/bus/usb/%03u/%03u", bus, device);
    dev->target = g_strdup(dev->source);
}


/* <hostdev mode='subsystem' type='usb'>, libvirt's checks and words. */
static int
lxcParseHostdevUSB(lxcDevice *dev, xmlNodePtr node, xmlNodePtr source)
{
    static const char *const policies[] = { "mandatory", "requisite", "optional", NULL };
    static const char *const resets[] = { "off", "uninitialized", "on", NULL };
    static const char *const bools[] = { "yes", "no", NULL };
    g_autofree char *managed = lxcProp(node, "managed");
    g_autofree char *autoAddress = NULL;
    g_autofree char *missing = NULL;
    xmlNodePtr vendor, product, address;
    unsigned int bus = 0, device = 0;

    dev->usb = true;
    dev->chr = true;
    dev->usbManaged = managed && strcmp(managed, "yes") == 0;
    if (!source) {
        lxcReportDomainError(VIR_ERR_XML_ERROR, "Missing <source> element in hostdev device");
        return -1;
    }
    if (lxcParseEnumAttr(source, "startupPolicy", policies, &dev->usbStartupPolicy) < 0 ||
        lxcParseEnumAttr(source, "autoAddress", bools, &autoAddress) < 0 ||
        lxcParseEnumAttr(source, "guestReset", resets, &dev->usbGuestReset) < 0)
        return -1;
    vendor = lxcChild(source, "vendor");
    product = lxcChild(source, "product");
    if (vendor) {
        if (virDomainXMLPropUInt(vendor, "id", 0, true, true, &dev->usbVendor) < 0)
            return -1;
        if (!product) {
            lxcReportDomainError(VIR_ERR_INTERNAL_ERROR, "missing product");
            return -1;
        }
    }
    if (product) {
        if (virDomainXMLPropUInt(product, "id", 0, true, false, &dev->usbProduct) < 0)
            return -1;
        if (!vendor) {
            lxcReportDomainError(VIR_ERR_INTERNAL_ERROR, "missing vendor");
            return -1;
        }
    }
    if ((address = lxcChild(source, "address")) &&
        (virDomainXMLPropUInt(address, "bus", 0, true, false, &bus) < 0 ||
         virDomainXMLPropUInt(address, "device", 0, true, false, &device) < 0))
        return -1;
    /* only in a live definition of ours (lxcConfigSetUSBAddress) */
    missing = lxcProp(source, "missing");
    dev->usbMissing = missing && strcmp(missing, "yes") == 0;
    lxcDeviceSetUSBAddress(dev, bus, device);
    return 0;
}


static int
lxcParseHostdev(lxcDevice *dev, xmlNodePtr node)
{
    g_autofree char *mode = lxcProp(node, "mode");
    g_autofree char *type = lxcProp(node, "type");
    xmlNodePtr source = lxcChild(node, "source");
    xmlNodePtr path;

    if (mode && type && strcmp(mode, "subsystem") == 0 && strcmp(type, "usb") == 0)
        return lxcParseHostdevUSB(dev, node, source);
    if (!mode || strcmp(mode, "capabilities") != 0 || !type ||
        (strcmp(type, "storage") != 0 && strcmp(type, "misc") != 0)) {
        virReportUnsupported("hostdev mode '%s' type '%s' is not supported by virtnet's LXC "
                             "driver (only mode 'capabilities', type 'storage' or 'misc', "
                             "and mode 'subsystem', type 'usb')",
                             mode ? mode : "", type ? type : "");
        return -1;
    }
    dev->chr = strcmp(type, "misc") == 0;
    path = lxcChild(source, dev->chr ? "char" : "block");
    if (path)
        dev->target = g_strstrip(lxcText(path));
    if (!lxcDevicePathValid(dev->target)) {
        virReportError(VIR_ERR_XML_ERROR, "hostdev %s path '%s' is not an absolute device path",
                       dev->chr ? "char" : "block", dev->target ? dev->target : "");
        return -1;
    }
    dev->source = g_strdup(dev->target);
    return 0;
}


/* ---- an interface's <ip> and <route> (libvirt's guestIP) ---- */

/* The errors of libvirt's parsers of <ip> (domain), <route> (network) and
 * their numbers (xml). */
#define lxcIPError(domain, code, ...) \
    virErrorReportFull(domain, code, __FILE__, __func__, __LINE__, __VA_ARGS__)

static size_t
lxcNetAddrLen(int family)
{
    return family == AF_INET6 ? 16 : 4;
}


/* A numeric address as libvirt reads one (getaddrinfo, numeric only, so
 * that the IPv4 forms inet_aton knows are taken as libvirt takes them);
 * family AF_UNSPEC: either. Its family, or -1. */
static int
lxcNetAddrParse(const char *text, int family, unsigned char *addr)
{
    struct addrinfo hints = { .ai_family = family, .ai_flags = AI_NUMERICHOST };
    struct addrinfo *res = NULL;
    int got = -1;

    if (!text || family < 0 || getaddrinfo(text, NULL, &hints, &res) != 0)
        return -1;
    if (res->ai_family == AF_INET) {
        memcpy(addr, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
        got = AF_INET;
    } else if (res->ai_family == AF_INET6) {
        memcpy(addr, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
        got = AF_INET6;
    }
    freeaddrinfo(res);
    return got;
}


char *
lxcNetAddrFormat(int family, const unsigned char *addr)
{
    struct sockaddr_storage ss = { 0 };
    char host[NI_MAXHOST];
    socklen_t len;

    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

        sin->sin_family = AF_INET;
        memcpy(&sin->sin_addr, addr, 4);
        len = sizeof(*sin);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

        sin6->sin6_family = AF_INET6;
        memcpy(&sin6->sin6_addr, addr, 16);
        len = sizeof(*sin6);
    }
    if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL, 0,
                    NI_NUMERICHOST) != 0)
        return g_strdup("");
    return g_strdup(host);
}


/* libvirt's unsigned numbers: strtoul's, a '-' allowed by <ip>'s prefix
 * (its "-1" meaning UINT_MAX), the whole text used. */
static bool
lxcParseUInt(const char *s, bool allowMinus, unsigned int *v)
{
    unsigned long val;
    char *end;

    if (!allowMinus && strchr(s, '-'))
        return false;
    errno = 0;
    val = strtoul(s, &end, 10);
    if (end != s && memchr(s, '-', (size_t)(end - s))) {
        if (-val > UINT_MAX)
            return false;
        val &= 0xffffffffUL;
    }
    if (errno || end == s || *end || val > UINT_MAX)
        return false;
    *v = (unsigned int)val;
    return true;
}


static int
lxcParseIP(lxcDevice *dev, xmlNodePtr node)
{
    g_autofree char *address = lxcProp(node, "address");
    g_autofree char *familyName = lxcProp(node, "family");
    g_autofree char *prefix = lxcProp(node, "prefix");
    g_autofree char *peer = lxcProp(node, "peer");
    lxcNetIP ip = { 0 };
    unsigned char any[16];
    int family;

    if (!address) {
        lxcIPError(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "%s", "Missing required address in <ip>");
        return -1;
    }
    if (familyName && strcmp(familyName, "ipv4") == 0)
        family = AF_INET;
    else if (familyName && strcmp(familyName, "ipv6") == 0)
        family = AF_INET6;
    else
        family = lxcNetAddrParse(address, AF_UNSPEC, any);
    if ((ip.family = lxcNetAddrParse(address, family, ip.addr)) < 0) {
        lxcIPError(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "Invalid address '%s' in <ip>", address);
        return -1;
    }
    if (prefix && (!lxcParseUInt(prefix, true, &ip.prefix) ||
                   ip.prefix > (ip.family == AF_INET6 ? 128u : 32u))) {
        lxcIPError(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "Invalid prefix value '%s' in <ip>",
                   prefix);
        return -1;
    }
    if (peer) {
        if (lxcNetAddrParse(peer, ip.family, ip.peer) < 0) {
            lxcIPError(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "Invalid peer '%s' in <ip>", peer);
            return -1;
        }
        ip.hasPeer = true;
    }
    dev->netIPs = g_renew(lxcNetIP, dev->netIPs, dev->nnetIPs + 1);
    dev->netIPs[dev->nnetIPs++] = ip;
    return 0;
}


/* An optional number of a <route>, as libvirt's XML reader takes it. */
static int
lxcParseRouteUInt(xmlNodePtr node, const char *name, bool nonzero, unsigned int *v, bool *has)
{
    g_autofree char *text = lxcProp(node, name);

    *v = 0;
    if (has)
        *has = text != NULL;
    if (!text)
        return 0;
    if (!lxcParseUInt(text, false, v)) {
        lxcIPError(VIR_FROM_XML, VIR_ERR_XML_ERROR, "Invalid value for attribute '%s' in element "
                   "'route': '%s'. Expected non-negative integer value", name, text);
        return -1;
    }
    if (nonzero && *v == 0) {
        lxcIPError(VIR_FROM_XML, VIR_ERR_XML_ERROR, "Invalid value for attribute '%s' in element "
                   "'route': Zero is not permitted", name);
        return -1;
    }
    return 0;
}


/* addr with only its first prefix bits (len bytes) */
static void
lxcNetAddrMask(unsigned char *out, const unsigned char *addr, size_t len, unsigned int prefix)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned int bits = prefix >= 8 * (i + 1) ? 8 : prefix > 8 * i ? prefix - 8 * i : 0;

        out[i] = addr[i] & (unsigned char)(0xff00u >> bits);
    }
}


static int
lxcParseRoute(lxcDevice *dev, xmlNodePtr node)
{
    /* libvirt's words, after the name it gives a domain's interface */
    static const char what[] = "guest interface";
    g_autofree char *family = lxcProp(node, "family");
    g_autofree char *address = lxcProp(node, "address");
    g_autofree char *netmask = lxcProp(node, "netmask");
    g_autofree char *gateway = lxcProp(node, "gateway");
    lxcNetRoute r = { 0 };
    unsigned char masked[16];
    int gwFamily;

    if (lxcParseRouteUInt(node, "prefix", false, &r.prefix, &r.hasPrefix) < 0 ||
        lxcParseRouteUInt(node, "metric", true, &r.metric, NULL) < 0)
        return -1;
    if (!address || !gateway) {
        lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: Missing required %s attribute in "
                   "route definition", what, address ? "gateway" : "address");
        return -1;
    }
    if ((r.family = lxcNetAddrParse(address, AF_UNSPEC, r.addr)) < 0) {
        lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: Bad network address '%s' in route "
                   "definition", what, address);
        return -1;
    }
    if ((gwFamily = lxcNetAddrParse(gateway, AF_UNSPEC, r.gateway)) < 0) {
        lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: Bad gateway address '%s' in route "
                   "definition", what, gateway);
        return -1;
    }
    if (!family || strcmp(family, "ipv4") == 0) {
        if (r.family != AF_INET) {
            lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: %s family specified for "
                       "non-IPv4 address '%s' in route definition", what,
                       family ? "IPv4" : "No", address);
            return -1;
        }
        if (gwFamily != AF_INET) {
            /* (libvirt names the address here, not the gateway) */
            lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: %s family specified for "
                       "non-IPv4 gateway '%s' in route definition", what,
                       family ? "IPv4" : "No", address);
            return -1;
        }
        if (netmask) {
            int maskFamily = lxcNetAddrParse(netmask, AF_UNSPEC, masked);

            if (maskFamily < 0) {
                lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: Bad netmask address '%s' "
                           "in route definition", what, netmask);
                return -1;
            }
            if (maskFamily != AF_INET) {
                lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: Invalid netmask '%s' for "
                           "address '%s' (both must be IPv4)", what, netmask, address);
                return -1;
            }
            if (r.hasPrefix) {
                lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: Route definition cannot "
                           "have both a prefix and a netmask", what);
                return -1;
            }
            memcpy(r.netmask, masked, 4);
            r.hasNetmask = true;
        }
        if (r.prefix > 32) {
            lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: Invalid prefix %u specified in "
                       "route definition, must be 0 - 32", what, r.prefix);
            return -1;
        }
    } else if (strcmp(family, "ipv6") == 0) {
        if (r.family != AF_INET6) {
            lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: ipv6 family specified for "
                       "non-IPv6 address '%s' in route definition", what, address);
            return -1;
        }
        if (netmask) {
            lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: Specifying netmask invalid for "
                       "IPv6 address '%s' in route definition", what, address);
            return -1;
        }
        if (gwFamily != AF_INET6) {
            lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: ipv6 specified for non-IPv6 "
                       "gateway address '%s' in route definition", what, gateway);
            return -1;
        }
        if (r.prefix > 128) {
            lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: Invalid prefix %u specified in "
                       "route definition, must be 0 - 128", what, r.prefix);
            return -1;
        }
    } else {
        lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: Unrecognized family '%s' in route "
                   "definition", what, family);
        return -1;
    }
    /* the destination must be a network address (no prefix: 0) */
    if (r.hasNetmask) {
        size_t i;

        for (i = 0; i < 4; i++)
            masked[i] = r.addr[i] & r.netmask[i];
    } else {
        lxcNetAddrMask(masked, r.addr, lxcNetAddrLen(r.family), r.prefix);
    }
    if (memcmp(masked, r.addr, lxcNetAddrLen(r.family)) != 0) {
        lxcIPError(VIR_FROM_NETWORK, VIR_ERR_XML_ERROR, "%s: Address '%s' in route definition is "
                   "not a network address", what, address);
        return -1;
    }
    r.familyName = g_steal_pointer(&family);
    dev->netRoutes = g_renew(lxcNetRoute, dev->netRoutes, dev->nnetRoutes + 1);
    dev->netRoutes[dev->nnetRoutes++] = r;
    return 0;
}


static bool
lxcNetAddrIsZero(const unsigned char *addr, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (addr[i])
            return false;
    }
    return true;
}


/* libvirt's prefix of an address: the given one, the netmask's, the
 * natural one (0 for the any address). */
static int
lxcNetNaturalPrefix(int family, const unsigned char *addr, unsigned int prefix,
                    const unsigned char *netmask)
{
    if (prefix > 0)
        return (int)prefix;
    if (netmask) {
        int bits = 0;
        size_t i;

        for (i = 0; i < 4; i++)
            bits += __builtin_popcount(netmask[i]);
        return bits;
    }
    if (lxcNetAddrIsZero(addr, lxcNetAddrLen(family)))
        return 0;
    if (family == AF_INET6)
        return 64;
    if ((addr[0] & 0x80) == 0)
        return 8;
    if ((addr[0] & 0xc0) == 0x80)
        return 16;
    if ((addr[0] & 0xe0) == 0xc0)
        return 24;
    return -1;
}


int
lxcNetIPPrefix(const lxcNetIP *ip)
{
    return lxcNetNaturalPrefix(ip->family, ip->addr, ip->prefix, NULL);
}


int
lxcNetRoutePrefix(const lxcNetRoute *route)
{
    if (lxcNetAddrIsZero(route->addr, lxcNetAddrLen(route->family)) &&
        ((route->hasPrefix && route->prefix == 0) ||
         (route->hasNetmask && lxcNetAddrIsZero(route->netmask, 4))))
        return 0;
    return lxcNetNaturalPrefix(route->family, route->addr, route->prefix,
                               route->hasNetmask ? route->netmask : NULL);
}


unsigned int
lxcNetRouteMetric(const lxcNetRoute *route)
{
    return route->metric > 0 ? route->metric : 1;
}


static void
lxcNodeSetAddr(virDomainXMLNode *node, const char *attr, int family, const unsigned char *addr)
{
    g_autofree char *text = lxcNetAddrFormat(family, addr);

    virDomainXMLNodeSetAttr(node, attr, text);
}


static void
lxcNodeSetUInt(virDomainXMLNode *node, const char *attr, unsigned int v)
{
    g_autofree char *text = g_strdup_printf("%u", v);

    virDomainXMLNodeSetAttr(node, attr, text);
}


void
lxcConfigFormatInterfaceIP(virDomainXMLNode *iface, const lxcDevice *dev)
{
    size_t i;

    virDomainXMLNodeRemoveChildren(iface, "ip");
    virDomainXMLNodeRemoveChildren(iface, "route");
    for (i = 0; i < dev->nnetIPs; i++) {
        const lxcNetIP *ip = &dev->netIPs[i];
        virDomainXMLNode *node = virDomainXMLNodeAddChildOrdered(iface, "ip", lxcInterfaceOrder);

        lxcNodeSetAddr(node, "address", ip->family, ip->addr);
        virDomainXMLNodeSetAttr(node, "family", ip->family == AF_INET6 ? "ipv6" : "ipv4");
        if (ip->prefix)
            lxcNodeSetUInt(node, "prefix", ip->prefix);
        if (ip->hasPeer)
            lxcNodeSetAddr(node, "peer", ip->family, ip->peer);
    }
    for (i = 0; i < dev->nnetRoutes; i++) {
        const lxcNetRoute *r = &dev->netRoutes[i];
        virDomainXMLNode *node = virDomainXMLNodeAddChildOrdered(iface, "route",
                                                                 lxcInterfaceOrder);

        if (r->familyName)
            virDomainXMLNodeSetAttr(node, "family", r->familyName);
        lxcNodeSetAddr(node, "address", r->family, r->addr);
        if (r->hasNetmask)
            lxcNodeSetAddr(node, "netmask", AF_INET, r->netmask);
        if (r->hasPrefix)
            lxcNodeSetUInt(node, "prefix", r->prefix);
        lxcNodeSetAddr(node, "gateway", r->family, r->gateway);
        if (r->metric)
            lxcNodeSetUInt(node, "metric", r->metric);
    }
}


/* Rewrite a parsed USB <hostdev> element as libvirt formats it: its
 * attributes mode, type, managed; its <source> with startupPolicy and
 * guestReset, <vendor>/<product> ids as 0x%04x when a vendor was given,
 * <address> when bus or device is not 0. Other children stay. */
static void
lxcHostdevUSBNormalize(xmlNodePtr node, const lxcDevice *dev)
{
    xmlNodePtr source = lxcChild(node, "source");
    xmlNodePtr cur;
    char num[32];

    while (node->properties)
        xmlRemoveProp(node->properties);
    xmlSetProp(node, (const xmlChar *)"mode", (const xmlChar *)"subsystem");
    xmlSetProp(node, (const xmlChar *)"type", (const xmlChar *)"usb");
    xmlSetProp(node, (const xmlChar *)"managed", (const xmlChar *)(dev->usbManaged ? "yes" : "no"));
    while (source->properties)
        xmlRemoveProp(source->properties);
    while ((cur = source->children)) {
        xmlUnlinkNode(cur);
        xmlFreeNode(cur);
    }
    if (dev->usbStartupPolicy)
        xmlSetProp(source, (const xmlChar *)"startupPolicy",
                   (const xmlChar *)dev->usbStartupPolicy);
    if (dev->usbGuestReset)
        xmlSetProp(source, (const xmlChar *)"guestReset", (const xmlChar *)dev->usbGuestReset);
    if (dev->usbVendor) {
        g_snprintf(num, sizeof(num), "0x%04x", dev->usbVendor);
        xmlSetProp(xmlNewChild(source, NULL, (const xmlChar *)"vendor", NULL),
                   (const xmlChar *)"id", (const xmlChar *)num);
        g_snprintf(num, sizeof(num), "0x%04x", dev->usbProduct);
        xmlSetProp(xmlNewChild(source, NULL, (const xmlChar *)"product", NULL),
                   (const xmlChar *)"id", (const xmlChar *)num);
    }
    if (dev->usbBus || dev->usbDevice) {
        xmlNodePtr addr = xmlNewChild(source, NULL, (const xmlChar *)"address", NULL);

        g_snprintf(num, sizeof(num), "%u", dev->usbBus);
        xmlSetProp(addr, (const xmlChar *)"bus", (const xmlChar *)num);
        g_snprintf(num, sizeof(num), "%u", dev->usbDevice);
        xmlSetProp(addr, (const xmlChar *)"device", (const xmlChar *)num);
    }
}


/* A <bandwidth> number: decimal digits only, as libvirt's
 * virStrToLong_ullp takes them (leading blanks allowed). */
static int
lxcParseRateValue(const char *text, const char *what, unsigned long long *out)
{
    const char *p = text;
    char *end = NULL;

    while (g_ascii_isspace(*p))
        p++;
    errno = 0;
    *out = g_ascii_strtoull(p, &end, 10);
    if (!*p || *p == '-' || *p == '+' || errno || !end || *end) {
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__, __func__,
                           __LINE__, "could not convert bandwidth %s value '%s'", what, text);
        return -1;
    }
    return 0;
}


/* An <inbound> or <outbound>, libvirt's checks in its order */
static int
lxcParseRate(xmlNodePtr node, lxcNetRate *rate)
{
    g_autofree char *average = lxcProp(node, "average");
    g_autofree char *peak = lxcProp(node, "peak");
    g_autofree char *burst = lxcProp(node, "burst");
    g_autofree char *floor = lxcProp(node, "floor");

    rate->given = true;
    if (average) {
        if (lxcParseRateValue(average, "average", &rate->average) < 0)
            return -1;
    } else if (!floor) {
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_XML_DETAIL, __FILE__, __func__, __LINE__,
                           "%s", "Missing mandatory average or floor attributes");
        return -1;
    }
    if ((peak || burst) && !average) {
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__, __func__,
                           __LINE__, "%s", "'peak' and 'burst' require 'average' attribute");
        return -1;
    }
    if ((peak && lxcParseRateValue(peak, "peak", &rate->peak) < 0) ||
        (burst && lxcParseRateValue(burst, "burst", &rate->burst) < 0) ||
        (floor && lxcParseRateValue(floor, "floor", &rate->floor) < 0))
        return -1;
    return 0;
}


/* <bandwidth> as libvirt's parser takes it on an interface: one <inbound>
 * and one <outbound> at most (other elements ignored), a floor only on
 * an inbound of an interface of type 'network', no classID. */
static int
lxcParseBandwidth(lxcDevice *dev, xmlNodePtr node)
{
    xmlNodePtr cur, in = NULL, out = NULL;
    g_autofree char *classID = lxcProp(node, "classID");

    if (classID) {
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_XML_DETAIL, __FILE__, __func__, __LINE__,
                           "%s", "classID attribute not supported on <bandwidth> in this "
                           "usage context");
        return -1;
    }
    for (cur = node->children; cur; cur = cur->next) {
        xmlNodePtr *slot = lxcIsElement(cur, "inbound") ? &in
                           : lxcIsElement(cur, "outbound") ? &out : NULL;

        if (!slot)
            continue;
        if (*slot) {
            virErrorReportFull(VIR_FROM_NONE, VIR_ERR_XML_DETAIL, __FILE__, __func__, __LINE__,
                               "Only one child <%s> element allowed", (const char *)cur->name);
            return -1;
        }
        *slot = cur;
    }
    if (in) {
        if (lxcParseRate(in, &dev->netIn) < 0)
            return -1;
        if (dev->netIn.floor && strcmp(dev->netType, "network") != 0) {
            virErrorReportFull(VIR_FROM_NONE, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__, __func__,
                               __LINE__, "%s", "floor attribute is not supported for this config");
            return -1;
        }
    }
    if (out) {
        if (lxcParseRate(out, &dev->netOut) < 0)
            return -1;
        if (dev->netOut.floor) {
            virErrorReportFull(VIR_FROM_NONE, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__, __func__,
                               __LINE__, "%s", "'floor' attribute allowed only in <inbound> "
                               "element");
            return -1;
        }
    }
    dev->netBandwidth = in || out;
    return 0;
}


/* <source dev='LINK' mode='MODE'/> of an interface of type 'direct', as
 * libvirt's parser requires it */
static int
lxcParseDirect(lxcDevice *dev, xmlNodePtr node)
{
    static const char *const modes[] = { "vepa", "private", "bridge", "passthrough", NULL };
    xmlNodePtr source = lxcChild(node, "source");

    if (!source) {
        virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "interface type='%s' requires a 'source' element", dev->netType);
        return -1;
    }
    if (!(dev->netDirectDev = lxcProp(source, "dev"))) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "Missing required attribute '%s' in element '%s'", "dev", "source");
        return -1;
    }
    if (lxcParseEnumAttr(source, "mode", modes, &dev->netDirectMode) < 0)
        return -1;
    if (!dev->netDirectMode)
        dev->netDirectMode = g_strdup("vepa");
    return 0;
}


static int
lxcParseInterface(lxcDevice *dev, xmlNodePtr node)
{
    g_autofree char *mac = lxcProp(lxcChild(node, "mac"), "address");

    dev->netType = lxcProp(node, "type");
    if (!dev->netType) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing interface type");
        return -1;
    }
    g_autofree char *state = lxcProp(lxcChild(node, "link"), "state");
    xmlNodePtr cur;

    if (mac) {
        if (lxcParseMAC(mac, dev->mac) < 0)
            return -1;
        dev->macGiven = true;
    }
    if (strcmp(dev->netType, "direct") == 0 && lxcParseDirect(dev, node) < 0)
        return -1;
    dev->netVirtualport = lxcChild(node, "virtualport") != NULL;
    dev->netVlan = lxcChild(node, "vlan") != NULL;
    dev->netBridge = lxcProp(lxcChild(node, "source"), "bridge");
    dev->netHost = lxcProp(lxcChild(node, "target"), "dev");
    dev->netGuest = lxcProp(lxcChild(node, "guest"), "dev");
    dev->netLinkUp = state && strcmp(state, "up") == 0;
    for (cur = node->children; cur; cur = cur->next) {
        if (lxcIsElement(cur, "ip") && lxcParseIP(dev, cur) < 0)
            return -1;
        if (lxcIsElement(cur, "route") && lxcParseRoute(dev, cur) < 0)
            return -1;
        if (lxcIsElement(cur, "script"))
            dev->netScript = true;
    }
    if (lxcChild(node, "bandwidth") && lxcParseBandwidth(dev, lxcChild(node, "bandwidth")) < 0)
        return -1;
    return 0;
}


/* One device element; NULL with an error. defineTime: only the kinds a
 * definition keeps (others refused); else any libvirt kind (OTHER).
 * validate: libvirt's checks of a whole device (not for a detach). */
static lxcDevice *
lxcParseDevice(xmlNodePtr node, bool defineTime, bool validate)
{
    g_autoptr(lxcDevice) dev = g_new0(lxcDevice, 1);
    const char *name = (const char *)node->name;
    size_t i;
    int rc = 0;

    dev->elem = g_strdup(name);
    for (i = 0; i < G_N_ELEMENTS(lxcDeviceTypeNames) && !dev->typeName; i++) {
        if (strcmp(lxcDeviceTypeNames[i][0], name) == 0)
            dev->typeName = g_strdup(lxcDeviceTypeNames[i][1]);
    }
    if (strcmp(name, "disk") == 0) {
        dev->kind = LXC_DEV_DISK;
        rc = lxcParseDisk(dev, node, validate);
    } else if (strcmp(name, "hostdev") == 0) {
        dev->kind = LXC_DEV_HOSTDEV;
        rc = lxcParseHostdev(dev, node);
    } else if (strcmp(name, "interface") == 0) {
        dev->kind = LXC_DEV_NET;
        rc = lxcParseInterface(dev, node);
    } else if (defineTime) {
        virReportUnsupported("device <%s> is not supported by virtnet's LXC driver", name);
        return NULL;
    } else if (!dev->typeName) {
        virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__, __func__,
                           __LINE__, "unknown device type '%s'", name);
        return NULL;
    } else {
        dev->kind = LXC_DEV_OTHER;
    }
    return rc < 0 ? NULL : g_steal_pointer(&dev);
}


static int
lxcConfigAddDevice(lxcConfig *cfg, xmlNodePtr node)
{
    lxcDevice *dev = lxcParseDevice(node, true, true);
    size_t i;

    if (!dev)
        return -1;
    for (i = 0; i < cfg->ndevs; i++) {
        const lxcDevice *o = cfg->devs[i];

        if (strcmp(o->elem, dev->elem) == 0)
            dev->nth++;
        if (dev->kind == LXC_DEV_DISK && o->kind == LXC_DEV_DISK &&
            strcmp(o->target, dev->target) == 0) {
            virReportError(VIR_ERR_XML_ERROR, "target '%s' duplicated for disk sources '%s' and '%s'",
                           dev->target, o->source ? o->source : "", dev->source ? dev->source : "");
            lxcDeviceFree(dev);
            return -1;
        }
    }
    cfg->devs = g_renew(lxcDevice *, cfg->devs, cfg->ndevs + 1);
    cfg->devs[cfg->ndevs++] = dev;
    return 0;
}


lxcDevice *
lxcConfigParseDevice(const char *xml, bool validate, virDomainXMLNode **node)
{
    xmlDocPtr doc;
    g_autoptr(lxcDevice) dev = NULL;

    if (!(doc = virDomainXMLParseString(xml, "(device_definition)", NULL, VIR_FROM_DOMAIN)))
        return NULL;
    dev = lxcParseDevice(xmlDocGetRootElement(doc), false, validate);
    if (dev && dev->usb)
        lxcHostdevUSBNormalize(xmlDocGetRootElement(doc), dev);
    if (dev && node)
        *node = virDomainXMLNodeFromXML(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    if (dev && node && dev->kind == LXC_DEV_NET) {
        if (!dev->macGiven)
            lxcInterfaceFillMAC(*node, dev->mac);
        lxcConfigFormatInterfaceIP(*node, dev);
        lxcInterfaceNormalize(*node, dev);
    }
    return g_steal_pointer(&dev);
}



static void
lxcInterfaceFillMAC(virDomainXMLNode *iface, unsigned char *mac)
{
    g_autofree char *text = NULL;
    guint32 r = g_random_int();

    mac[0] = 0x52;
    mac[1] = 0x54;
    mac[2] = 0x00;
    mac[3] = (unsigned char)(r >> 16);
    mac[4] = (unsigned char)(r >> 8);
    mac[5] = (unsigned char)r;
    text = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                           mac[4], mac[5]);
    virDomainXMLNodeSetAttr(virDomainXMLNodeAddChildOrdered(iface, "mac", lxcInterfaceOrder),
                            "address", text);
}


static void
lxcFormatRate(virDomainXMLNode *bw, const char *name, const lxcNetRate *rate)
{
    static const char *const order[] = { "inbound", "outbound", NULL };
    const struct { const char *attr; unsigned long long v; } attrs[] = {
        { "average", rate->average }, { "peak", rate->peak }, { "floor", rate->floor },
        { "burst", rate->burst },
    };
    virDomainXMLNode *node;
    size_t i;

    if (!rate->given || (!rate->average && !rate->floor))
        return;
    node = virDomainXMLNodeAddChildOrdered(bw, name, order);
    for (i = 0; i < G_N_ELEMENTS(attrs); i++) {
        if (attrs[i].v) {
            g_autofree char *text = g_strdup_printf("%llu", attrs[i].v);

            virDomainXMLNodeSetAttr(node, attrs[i].attr, text);
        }
    }
}


/* An interface's parts as libvirt prints them: a direct interface's
 * <source> with its mode (the default too); <bandwidth> rewritten
 * (attributes average, peak, floor, burst, zeros and unknown parts left
 * out; none at all without an <inbound> or <outbound>). */
static void
lxcInterfaceNormalize(virDomainXMLNode *iface, const lxcDevice *dev)
{
    virDomainXMLNode *source = virDomainXMLNodeGetChild(iface, "source");

    if (dev->netDirectMode && source)
        virDomainXMLNodeSetAttr(source, "mode", dev->netDirectMode);
    if (virDomainXMLNodeGetChild(iface, "bandwidth")) {
        virDomainXMLNodeRemoveChildren(iface, "bandwidth");
        if (dev->netBandwidth) {
            virDomainXMLNode *bw = virDomainXMLNodeAddChildOrdered(iface, "bandwidth",
                                                                    lxcInterfaceOrder);

            lxcFormatRate(bw, "inbound", &dev->netIn);
            lxcFormatRate(bw, "outbound", &dev->netOut);
        }
    }
}


void
lxcConfigFillMACs(virDomainDef *def, const lxcConfig *cfg)
{
    g_autoptr(GPtrArray) ifaces = virDomainDefDevices(def, "interface");
    unsigned char mac[6];
    size_t i, j;

    for (i = 0; i < ifaces->len; i++) {
        virDomainXMLNode *iface = g_ptr_array_index(ifaces, i);

        if (!virDomainXMLNodeGetChild(iface, "mac"))
            lxcInterfaceFillMAC(iface, mac);
        for (j = 0; j < cfg->ndevs; j++) {
            if (cfg->devs[j]->kind == LXC_DEV_NET && cfg->devs[j]->nth == i) {
                lxcConfigFormatInterfaceIP(iface, cfg->devs[j]);
                lxcInterfaceNormalize(iface, cfg->devs[j]);
            }
        }
    }
}


/* <blkiotune>'s <device>s as libvirt prints them: its order of the
 * children, the numbers as numbers, no zero, no device without a
 * tunable, nothing else; an empty <blkiotune> dropped. */
static int
lxcBlkioNormalize(xmlNodePtr blkiotune)
{
    g_autoptr(lxcConfig) tmp = g_new0(lxcConfig, 1);
    xmlNodePtr cur, next;
    size_t i, p;

    if (lxcParseBlkioDevices(tmp, blkiotune) < 0)
        return -1;
    for (cur = blkiotune->children; cur; cur = next) {
        next = cur->next;
        if (lxcIsElement(cur, "device")) {
            xmlUnlinkNode(cur);
            xmlFreeNode(cur);
        }
    }
    for (i = 0; i < tmp->nblkioDevs; i++) {
        const lxcBlkioDevice *dev = &tmp->blkioDevs[i];
        xmlNodePtr node;

        for (p = 0; p < LXC_BLKIO_DEVICE_LAST && !dev->value[p]; p++)
            ;
        if (p == LXC_BLKIO_DEVICE_LAST)
            continue;
        node = xmlNewChild(blkiotune, NULL, BAD_CAST "device", NULL);
        xmlNewTextChild(node, NULL, BAD_CAST "path", BAD_CAST dev->path);
        for (p = 0; p < LXC_BLKIO_DEVICE_LAST; p++) {
            g_autofree char *text = g_strdup_printf("%llu", dev->value[p]);

            if (dev->value[p])
                xmlNewTextChild(node, NULL, BAD_CAST lxcBlkioDeviceNames[p][0], BAD_CAST text);
        }
    }
    if (!lxcChild(blkiotune, NULL)) {
        xmlUnlinkNode(blkiotune);
        xmlFreeNode(blkiotune);
    }
    return 0;
}


char *
lxcConfigNormalizeXML(const char *xml)
{
    xmlDocPtr doc;
    xmlNodePtr devices, cur, blkiotune;
    xmlChar *out = NULL;
    int len = 0;
    char *ret = NULL;

    if (!(doc = virDomainXMLParseString(xml, "(domain_definition)", "domain", VIR_FROM_DOMAIN)))
        return NULL;
    if ((blkiotune = lxcChild(xmlDocGetRootElement(doc), "blkiotune")) &&
        lxcBlkioNormalize(blkiotune) < 0)
        goto cleanup;
    devices = lxcChild(xmlDocGetRootElement(doc), "devices");
    for (cur = devices ? devices->children : NULL; cur; cur = cur->next) {
        g_autoptr(lxcDevice) dev = NULL;

        if (!lxcIsElement(cur, "hostdev"))
            continue;
        if (!(dev = lxcParseDevice(cur, true, true)))
            goto cleanup;
        if (dev->usb)
            lxcHostdevUSBNormalize(cur, dev);
    }
    xmlDocDumpMemory(doc, &out, &len);
    ret = g_strndup((const char *)out, len);
    xmlFree(out);

 cleanup:
    xmlFreeDoc(doc);
    return ret;
}


bool
lxcConfigHasUSB(const lxcConfig *cfg)
{
    size_t i;

    for (i = 0; i < cfg->ndevs; i++) {
        if (cfg->devs[i]->usb)
            return true;
    }
    return false;
}


void
lxcConfigSetUSBAddress(virDomainXMLNode *hostdev, unsigned int bus, unsigned int device,
                       bool missing)
{
    static const char *const order[] = { "vendor", "product", "address", NULL };
    virDomainXMLNode *source = virDomainXMLNodeEnsureChild(hostdev, "source", NULL);
    g_autofree char *reset = g_strdup(virDomainXMLNodeAttr(source, NULL, "guestReset"));
    char num[16];

    if (missing) {
        /* libvirt's order: startupPolicy, missing, guestReset */
        virDomainXMLNodeSetAttr(source, "guestReset", NULL);
        virDomainXMLNodeSetAttr(source, "missing", "yes");
        virDomainXMLNodeSetAttr(source, "guestReset", reset);
        return;
    }
    virDomainXMLNodeSetAttr(source, "missing", NULL);   /* found on a reboot */
    source = virDomainXMLNodeEnsureChild(source, "address", order);
    g_snprintf(num, sizeof(num), "%u", bus);
    virDomainXMLNodeSetAttr(source, "bus", num);
    g_snprintf(num, sizeof(num), "%u", device);
    virDomainXMLNodeSetAttr(source, "device", num);
}


int
lxcConfigCheckDeviceNodes(const lxcConfig *cfg, const lxcDevice *dev)
{
    if (lxcConfigRootFS(cfg))
        return 0;
    virReportUnsupported("%s '%s' needs a container with a root filesystem of its own "
                         "(<filesystem> with target '/'): this one shares the host's /dev",
                         dev->elem, dev->kind == LXC_DEV_DISK ? dev->target : dev->source);
    return -1;
}


int
lxcConfigCheckStart(const lxcConfig *cfg)
{
    size_t i;

    for (i = 0; i < cfg->ndevs; i++) {
        const lxcDevice *dev = cfg->devs[i];

        if (dev->kind == LXC_DEV_NET) {
            if (lxcConfigCheckInterface(dev) < 0)
                return -1;
        } else if (lxcConfigCheckDeviceNodes(cfg, dev) < 0) {
            return -1;
        }
    }
    return 0;
}


/* libvirt's checks of a direct interface, in its order: the <vlan> (only
 * a passthrough to an SR-IOV VF takes one), then what its LXC driver
 * cannot do on a link that leaves the host. */
static int
lxcConfigCheckDirect(const lxcDevice *dev)
{
    char mac[18];

    g_snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", dev->mac[0], dev->mac[1],
               dev->mac[2], dev->mac[3], dev->mac[4], dev->mac[5]);
    if (dev->netVlan && strcmp(dev->netDirectMode, "passthrough") != 0) {
        virErrorReportFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__, __func__,
                           __LINE__, "interface %s - vlan tag not supported for this connection "
                           "type", mac);
        return -1;
    }
    if (dev->netBandwidth) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "Unable to set network bandwidth on direct interfaces");
        return -1;
    }
    if (dev->netVirtualport) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "Unable to set port profile on direct interfaces");
        return -1;
    }
    /* a passthrough's <vlan>: lxcNetSetup, after it reads the link's MAC */
    return 0;
}


int
lxcConfigCheckInterface(const lxcDevice *dev)
{
    const char *type = dev->netType;

    if (dev->netScript) {
        virReportUnsupported("%s", "scripts are not supported on LXC network interfaces");
        return -1;
    }
    if (strcmp(type, "network") == 0) {
        /* libvirt would ask its network driver for the bridge */
        virReportUnsupported("interface type '%s' is not supported by virtnet's LXC driver "
                             "(only 'bridge', 'ethernet' and 'direct': there is no network "
                             "driver on lxc:///system)", type);
        return -1;
    }
    if (strcmp(type, "direct") == 0)
        return lxcConfigCheckDirect(dev);
    if (strcmp(type, "bridge") != 0 && strcmp(type, "ethernet") != 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unsupported network type %s", type);
        return -1;
    }
    if (strcmp(type, "bridge") == 0 && !dev->netBridge) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "No bridge name specified");
        return -1;
    }
    return 0;
}


bool
lxcConfigPrivateNet(const lxcConfig *cfg)
{
    size_t i;

    for (i = 0; i < cfg->ndevs; i++) {
        if (cfg->devs[i]->kind == LXC_DEV_NET)
            return true;
    }
    return cfg->privnet;
}


bool
lxcConfigInterfaceFind(const virDomainDef *def, const char *device, char **host,
                       bool *sharesHostView)
{
    g_autoptr(GPtrArray) ifaces = virDomainDefDevices(def, "interface");
    unsigned int want[6], have[6];
    char end;
    bool isMAC = sscanf(device, "%2x:%2x:%2x:%2x:%2x:%2x%c", &want[0], &want[1], &want[2],
                        &want[3], &want[4], &want[5], &end) == 6;
    size_t i;

    for (i = 0; i < ifaces->len; i++) {
        virDomainXMLNode *iface = g_ptr_array_index(ifaces, i);
        const char *name = virDomainXMLNodeAttr(iface, "target", "dev");
        const char *mac = virDomainXMLNodeAttr(iface, "mac", "address");
        const char *type = virDomainXMLNodeAttr(iface, NULL, "type");

        if (isMAC ? (mac && sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x", &have[0], &have[1], &have[2],
                                   &have[3], &have[4], &have[5]) == 6 &&
                     memcmp(want, have, sizeof(want)) == 0)
                  : name && strcmp(name, device) == 0) {
            *host = g_strdup(name);
            *sharesHostView = type && strcmp(type, "direct") == 0;
            return true;
        }
    }
    return false;
}


void
lxcConfigSetInterfaceNames(virDomainXMLNode *iface, const char *host, const char *guest)
{
    virDomainXMLNode *node;

    if (host) {
        node = virDomainXMLNodeEnsureChild(iface, "target", lxcInterfaceOrder);
        virDomainXMLNodeSetAttr(node, "dev", host);
    }
    if (guest) {
        node = virDomainXMLNodeEnsureChild(iface, "guest", lxcInterfaceOrder);
        virDomainXMLNodeSetAttr(node, "dev", guest);
    }
}


static int
lxcParseDevices(lxcConfig *cfg, xmlNodePtr devices)
{
    xmlNodePtr cur;

    for (cur = devices ? devices->children : NULL; cur; cur = cur->next) {
        const char *name;

        if (!lxcIsElement(cur, NULL))
            continue;
        name = (const char *)cur->name;
        if (strcmp(name, "filesystem") == 0) {
            if (lxcParseFilesystem(cfg, cur) < 0)
                return -1;
        } else if (strcmp(name, "console") == 0) {
            g_autofree char *type = lxcProp(cur, "type");

            if (type && strcmp(type, "pty") != 0) {
                virReportUnsupported("console type '%s' is not supported (only 'pty')", type);
                return -1;
            }
        } else if (strcmp(name, "channel") == 0) {
            if (lxcParseChannel(cfg, cur) < 0)
                return -1;
        } else if (strcmp(name, "emulator") == 0) {
            /* libvirt names its controller here; ours always runs */
        } else if (strcmp(name, "disk") == 0 || strcmp(name, "hostdev") == 0 ||
                   strcmp(name, "interface") == 0) {
            if (lxcConfigAddDevice(cfg, cur) < 0)
                return -1;
        } else {
            virReportUnsupported("device <%s> is not supported by virtnet's LXC driver", name);
            return -1;
        }
    }
    return 0;
}


lxcConfig *
lxcConfigParse(const char *xml, const virDomainDef *def)
{
    g_autoptr(lxcConfig) cfg = g_new0(lxcConfig, 1);
    xmlDocPtr doc;
    xmlNodePtr root, cur;
    int rc = 0;

    if (strcmp(def->virtType, "lxc") != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "domain type '%s' is not supported by the LXC driver (expected 'lxc')",
                       def->virtType);
        return NULL;
    }
    if (strcmp(def->osType, "exe") != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "OS type '%s' is not supported by the LXC driver (expected 'exe')",
                       def->osType);
        return NULL;
    }
    if (!(doc = virDomainXMLParseString(xml, "(domain_definition)", "domain", VIR_FROM_DOMAIN)))
        return NULL;
    root = xmlDocGetRootElement(doc);
    for (cur = root->children; cur && rc == 0; cur = cur->next) {
        const char *name;

        if (!lxcIsElement(cur, NULL))
            continue;
        name = (const char *)cur->name;
        if (strcmp(name, "os") == 0)
            rc = lxcParseOS(cfg, cur);
        else if (strcmp(name, "features") == 0)
            rc = lxcParseFeatures(cfg, cur);
        else if (strcmp(name, "devices") == 0)
            rc = lxcParseDevices(cfg, cur);
        else if (strcmp(name, "cputune") == 0) {
            if ((rc = lxcParseTune(cur, "shares", false, &cfg->cpuShares)) == 0 &&
                (rc = lxcParseTune(cur, "period", false, &cfg->cpuPeriod)) == 0)
                rc = lxcParseTune(cur, "quota", true, &cfg->cpuQuota);
        } else if (strcmp(name, "blkiotune") == 0) {
            unsigned long long weight = 0;

            if ((rc = lxcParseTune(cur, "weight", false, &weight)) == 0 && weight > G_MAXUINT) {
                virReportError(VIR_ERR_XML_ERROR, "%s", "invalid value of <blkiotune><weight>");
                rc = -1;
            }
            cfg->blkioWeight = (unsigned int)weight;
            if (rc == 0)
                rc = lxcParseBlkioDevices(cfg, cur);
        }
        else if (strcmp(name, "numatune") == 0) {
            virReportUnsupported("%s", "<numatune> (memory nodes) is not supported by "
                                 "virtnet's LXC driver");
            rc = -1;
        }
    }
    xmlFreeDoc(doc);
    if (rc < 0)
        return NULL;
    return g_steal_pointer(&cfg);
}


const lxcFS *
lxcConfigRootFS(const lxcConfig *cfg)
{
    size_t i;

    for (i = 0; i < cfg->nfss; i++) {
        if (cfg->fss[i].type == LXC_FS_MOUNT && strcmp(cfg->fss[i].dst, "/") == 0)
            return &cfg->fss[i];
    }
    return NULL;
}


/* ------------------------------------------------------------------ */
/* Names derived from a domain name                                    */

char *
lxcHostName(const char *name)
{
    GString *host = g_string_new(NULL);
    const char *p;

    for (p = name; *p && host->len < 64; p++) {
        if (g_ascii_isalnum(*p) || *p == '.' || (*p == '-' && host->len > 0))
            g_string_append_c(host, *p);
    }
    return g_string_free(host, FALSE);
}


char *
lxcCgroupName(const char *name)
{
    /* cgroup v1 and v2 control files are CONTROLLER.KEY (and "tasks" and
     * a few others in v1) */
    static const char *const reserved[] = {
        "cgroup", "memory", "cpu", "cpuacct", "cpuset", "io", "blkio", "pids", "rdma",
        "hugetlb", "misc", "devices", "freezer", "net_cls", "net_prio", "perf_event",
    };
    static const char *const files[] = { "tasks", "notify_on_release", "release_agent" };
    const char *dot = strchr(name, '.');
    size_t i;
    bool escape = name[0] == '.' || name[0] == '_';

    for (i = 0; !escape && dot && i < G_N_ELEMENTS(reserved); i++) {
        if ((size_t)(dot - name) == strlen(reserved[i]) &&
            strncmp(name, reserved[i], dot - name) == 0)
            escape = true;
    }
    for (i = 0; !escape && i < G_N_ELEMENTS(files); i++)
        escape = strcmp(name, files[i]) == 0;
    return escape ? g_strdup_printf("_%s", name) : g_strdup(name);
}

