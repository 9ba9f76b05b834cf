/*
 * lxcusb.c: finding the host's USB devices (lxcusb.h).
 *
 * Stateless; every call reads sysfs afresh.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "lxcusb.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

#define LXC_USB_SYSFS "/sys/bus/usb/devices"

typedef struct {
    unsigned int bus;
    unsigned int device;
} lxcUSBAddr;


/* An unsigned number at the start of a sysfs file of device name. */
static int
lxcUSBReadNumber(const char *name, const char *file, unsigned int base, unsigned int *value)
{
    g_autofree char *path = g_strdup_printf(LXC_USB_SYSFS "/%s/%s", name, file);
    g_autofree char *text = NULL;
    g_autoptr(GError) err = NULL;
    char *end = NULL;
    guint64 v;

    if (!g_file_get_contents(path, &text, NULL, &err)) {
        virReportSystemError(err->code == G_FILE_ERROR_NOENT ? ENOENT : EIO,
                             "Failed to open file '%s'", path);
        return -1;
    }
    errno = 0;
    v = g_ascii_strtoull(text, &end, base);
    if (end == text || errno || v > G_MAXUINT) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Could not parse usb file %s", path);
        return -1;
    }
    *value = (unsigned int)v;
    return 0;
}


/* Every device matching (byIds: vendor and product; byAddr: bus and
 * device, the first such only) appended to found. */
static int
lxcUSBSearch(const lxcDevice *dev, bool byIds, bool byAddr, GArray *found)
{
    DIR *dir = opendir(LXC_USB_SYSFS);
    struct dirent *de;
    int rc = -1;

    if (!dir) {
        virReportSystemError(errno, "cannot open directory '%s'", LXC_USB_SYSFS);
        return -1;
    }
    while ((errno = 0, de = readdir(dir))) {
        lxcUSBAddr addr;
        unsigned int vendor, product;
        const char *p = de->d_name;
        char *end = NULL;
        guint64 bus;

        if (strcmp(p, ".") == 0 || strcmp(p, "..") == 0 || strchr(p, ':'))
            continue;
        if (lxcUSBReadNumber(de->d_name, "idVendor", 16, &vendor) < 0 ||
            lxcUSBReadNumber(de->d_name, "idProduct", 16, &product) < 0)
            goto cleanup;
        if (g_str_has_prefix(p, "usb"))
            p += 3;
        errno = 0;
        bus = g_ascii_strtoull(p, &end, 10);
        if (end == p || errno || bus > G_MAXUINT || !g_ascii_isdigit(*p)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "Failed to parse dir name '%s'", de->d_name);
            goto cleanup;
        }
        addr.bus = (unsigned int)bus;
        if (lxcUSBReadNumber(de->d_name, "devnum", 10, &addr.device) < 0)
            goto cleanup;
        if (byIds && (vendor != dev->usbVendor || product != dev->usbProduct))
            continue;
        if (byAddr && (addr.bus != dev->usbBus || addr.device != dev->usbDevice))
            continue;
        g_array_append_val(found, addr);
        if (byAddr)
            break;
    }
    if (errno) {
        virReportSystemError(errno, "Unable to read directory '%s'", LXC_USB_SYSFS);
        goto cleanup;
    }
    rc = 0;

 cleanup:
    closedir(dir);
    return rc;
}


bool
lxcUSBMandatory(const lxcDevice *dev)
{
    /* libvirt's LXC driver never asks for a cold boot: a requisite device
     * is as optional as an optional one */
    return !dev->usbStartupPolicy || strcmp(dev->usbStartupPolicy, "mandatory") == 0;
}


int
lxcUSBFind(const lxcDevice *dev, bool mandatory, unsigned int *bus, unsigned int *device)
{
    g_autoptr(GArray) found = g_array_new(FALSE, FALSE, sizeof(lxcUSBAddr));
    bool byIds = dev->usbVendor != 0;
    bool byAddr = dev->usbBus != 0 || !byIds;

    if (!dev->usbVendor && !dev->usbBus)
        return 0;
    if (lxcUSBSearch(dev, byIds, byAddr, found) < 0)
        return -1;
    if (found->len == 0) {
        if (!mandatory)
            return 0;
        if (byIds && byAddr)
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "Did not find USB device %04x:%04x bus:%u device:%u",
                           dev->usbVendor, dev->usbProduct, dev->usbBus, dev->usbDevice);
        else if (byIds)
            virReportError(VIR_ERR_INTERNAL_ERROR, "Did not find USB device %04x:%04x",
                           dev->usbVendor, dev->usbProduct);
        else
            virReportError(VIR_ERR_INTERNAL_ERROR, "Did not find USB device bus:%u device:%u",
                           dev->usbBus, dev->usbDevice);
        return -1;
    }
    if (found->len > 1) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       "Multiple USB devices for %x:%x, use <address> to specify one",
                       dev->usbVendor, dev->usbProduct);
        return -1;
    }
    *bus = g_array_index(found, lxcUSBAddr, 0).bus;
    *device = g_array_index(found, lxcUSBAddr, 0).device;
    return 1;
}


GArray *
lxcUSBFindAll(const lxcConfig *cfg)
{
    g_autoptr(GArray) places = g_array_new(FALSE, TRUE, sizeof(lxcUSBPlace));
    size_t i, j, nth = 0;

    for (i = 0; i < cfg->ndevs; i++) {
        const lxcDevice *dev = cfg->devs[i];
        lxcUSBPlace place = { 0 };
        int rc;

        if (dev->kind != LXC_DEV_HOSTDEV)
            continue;
        place.nth = nth++;
        if (!dev->usb)
            continue;
        if ((rc = lxcUSBFind(dev, lxcUSBMandatory(dev), &place.bus, &place.device)) < 0)
            return NULL;
        place.missing = rc == 0;
        /* one device for two host devices of the definition: libvirt's words */
        for (j = 0; rc > 0 && j < places->len; j++) {
            const lxcUSBPlace *o = &g_array_index(places, lxcUSBPlace, j);

            if (!o->missing && o->bus == place.bus && o->device == place.device) {
                virReportError(VIR_ERR_INTERNAL_ERROR, "Device %03u:%03u is already in use",
                               place.bus, place.device);
                return NULL;
            }
        }
        g_array_append_val(places, place);
    }
    return g_steal_pointer(&places);
}


void
lxcUSBRecord(virDomainDef *live, const GArray *places)
{
    g_autoptr(GPtrArray) nodes = virDomainDefDevices(live, "hostdev");
    guint i;

    for (i = 0; i < places->len; i++) {
        const lxcUSBPlace *place = &g_array_index(places, lxcUSBPlace, i);

        if (place->nth < nodes->len)
            lxcConfigSetUSBAddress(g_ptr_array_index(nodes, place->nth), place->bus,
                                   place->device, place->missing);
    }
}


const lxcUSBPlace *
lxcUSBInUse(const GArray *places, const virDomainDef *other)
{
    g_autoptr(GPtrArray) nodes = virDomainDefDevices(other, "hostdev");
    guint i, j;

    for (i = 0; i < nodes->len; i++) {
        const virDomainXMLNode *node = g_ptr_array_index(nodes, i);
        const char *mode = virDomainXMLNodeAttr(node, NULL, "mode");
        const char *type = virDomainXMLNodeAttr(node, NULL, "type");
        const virDomainXMLNode *source = virDomainXMLNodeGetChild(node, "source");
        const char *missing = source ? virDomainXMLNodeAttr(source, NULL, "missing") : NULL;
        const char *bus = source ? virDomainXMLNodeAttr(source, "address", "bus") : NULL;
        const char *device = source ? virDomainXMLNodeAttr(source, "address", "device") : NULL;

        if (!mode || !type || strcmp(mode, "subsystem") != 0 || strcmp(type, "usb") != 0 ||
            (missing && strcmp(missing, "yes") == 0) || !bus || !device)
            continue;
        for (j = 0; j < places->len; j++) {
            const lxcUSBPlace *p = &g_array_index(places, lxcUSBPlace, j);

            /* the live definition's numbers are ours, written in decimal */
            if (!p->missing && p->bus == g_ascii_strtoull(bus, NULL, 10) &&
                p->device == g_ascii_strtoull(device, NULL, 10))
                return p;
        }
    }
    return NULL;
}
