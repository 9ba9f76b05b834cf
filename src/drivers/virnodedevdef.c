/*
 * virnodedevdef.c: node device definitions, see virnodedevdef.h.
 */
#include <string.h>
#include <glib.h>

#include "virnodedevdef.h"
#include "virdomaindef.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NODEDEV

const char *const virNodeDevCapTypeNames[] = {
    "system", "pci", "usb_device", "usb", "net", "scsi_host", "scsi_target", "scsi",
    "storage", "fc_host", "vports", "scsi_generic", "drm", "mdev_types", "mdev", "ccw", "css",
    "vdpa", "ap_card", "ap_queue", "ap_matrix", "vpd", NULL
};

#define CAP_SCSI_HOST 5
#define CAP_FC_HOST 9
#define CAP_VPORTS 10

/* libvirt's element order (virNodeDeviceDefFormat); the system and
 * scsi_host capabilities' contents. */
static const char *const deviceSchema[] = {
    "device",
    "device/name#",
    "device/path#",
    "device/devnode#@type",
    "device/parent#@wwnn@wwpn@fabric_wwn",
    "device/driver",
    "device/driver/name#",
    "device/capability@type",
    "device/capability/product#",
    "device/capability/hardware!",
    "device/capability/hardware/vendor#",
    "device/capability/hardware/version#",
    "device/capability/hardware/serial#",
    "device/capability/hardware/uuid#",
    "device/capability/firmware!",
    "device/capability/firmware/vendor#",
    "device/capability/firmware/version#",
    "device/capability/firmware/release_date#",
    "device/capability/host#",
    "device/capability/unique_id#",
    "device/capability/capability@type",
    "device/capability/capability/wwnn#",
    "device/capability/capability/wwpn#",
    "device/capability/capability/fabric_wwn#",
    "device/capability/capability/max_vports#",
    "device/capability/capability/vports#",
    NULL
};

static int
virNodeDevIndex(const char *s)
{
    int i;

    for (i = 0; s && virNodeDevCapTypeNames[i]; i++) {
        if (strcmp(virNodeDevCapTypeNames[i], s) == 0)
            return i;
    }
    return -1;
}

const char *
virNodeDeviceDefName(const virXMLTree *def)
{
    return virXMLTreeChildText(def, "name");
}

void
virNodeDeviceDefSetName(virXMLTree *def, const char *name)
{
    virXMLTreeSetChildText(def, "name", name);
    virXMLTreeNormalize(def, deviceSchema);
}

const char *
virNodeDeviceDefParent(const virXMLTree *def)
{
    return virXMLTreeChildText(def, "parent");
}

virXMLTree *
virNodeDeviceDefSCSIHost(const virXMLTree *def, const char *sub)
{
    virXMLTree *cap;
    size_t i, j;

    for (i = 0; (cap = virXMLTreeChild(def, "capability", i)); i++) {
        virXMLTree *s;

        if (g_strcmp0(virXMLTreeAttr(cap, "type"), "scsi_host") != 0)
            continue;
        if (!sub)
            return cap;
        for (j = 0; (s = virXMLTreeChild(cap, "capability", j)); j++) {
            if (g_strcmp0(virXMLTreeAttr(s, "type"), sub) == 0)
                return s;
        }
    }
    return NULL;
}

bool
virNodeDeviceDefHasCap(const virXMLTree *def, int cap)
{
    virXMLTree *c;
    size_t i;

    for (i = 0; (c = virXMLTreeChild(def, "capability", i)); i++) {
        if (virNodeDevIndex(virXMLTreeAttr(c, "type")) == cap)
            return true;
    }
    return (cap == CAP_FC_HOST && virNodeDeviceDefSCSIHost(def, "fc_host")) ||
           (cap == CAP_VPORTS && virNodeDeviceDefSCSIHost(def, "vport_ops"));
}

GPtrArray *
virNodeDeviceDefCaps(const virXMLTree *def)
{
    GPtrArray *caps = g_ptr_array_new();
    virXMLTree *c;
    size_t i;

    for (i = 0; (c = virXMLTreeChild(def, "capability", i)); i++)
        g_ptr_array_add(caps, (gpointer)virXMLTreeAttr(c, "type"));
    return caps;
}

/* An unsigned number element of a capability (what: its name in
 * libvirt's messages): required or optional. */
static int
virNodeDevCheckNumber(virXMLTree *cap, const char *name, const char *dev, bool required,
                      const char *what)
{
    const char *text = virXMLTreeChildText(cap, name);
    unsigned long long v;

    if (!text && !required)
        return 0;
    if (!text) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "no %s supplied for '%s'", what, dev);
        return -1;
    }
    if (virXMLParseULL(text, &v) < 0 || v > G_MAXINT) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "invalid %s supplied for '%s'", what, dev);
        return -1;
    }
    return 0;
}

static int
virNodeDevCheckSCSIHost(virXMLTree *cap, const char *dev, bool existing)
{
    virXMLTree *sub;
    size_t i;

    if (existing &&
        (virNodeDevCheckNumber(cap, "host", dev, true, "SCSI host ID") < 0 ||
         virNodeDevCheckNumber(cap, "unique_id", dev, false, "unique_id") < 0))
        return -1;
    for (i = 0; (sub = virXMLTreeChild(cap, "capability", i)); i++) {
        const char *type = virXMLTreeAttr(sub, "type");

        if (!type) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "missing SCSI host capability type for '%s'",
                           dev);
            return -1;
        }
        if (strcmp(type, "vport_ops") == 0) {
            /* libvirt reads none of it: the counts come from sysfs */
            virXMLTreeSetChildText(sub, "max_vports", "0");
            virXMLTreeSetChildText(sub, "vports", "0");
        } else if (strcmp(type, "fc_host") != 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "unknown SCSI host capability type '%s' for '%s'", type, dev);
            return -1;
        }
    }
    return 0;
}

static int
virNodeDevCheckSystem(virXMLTree *cap, const char *dev)
{
    virXMLTree *hw = virXMLTreeChild(cap, "hardware", 0);
    const char *text = virXMLTreeChildText(hw, "uuid");
    unsigned char uuid[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    if (!text) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "no system UUID supplied for '%s'", dev);
        return -1;
    }
    if (virDomainUUIDParse(text, uuid) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "malformed uuid element for '%s'", dev);
        return -1;
    }
    if (!virXMLTreeChild(cap, "firmware", 0))
        virXMLTreeAddChild(cap, virXMLTreeNew("firmware"), -1);
    virDomainUUIDFormat(uuid, uuidstr);
    virXMLTreeSetChildText(hw, "uuid", uuidstr);
    return 0;
}

static virXMLTree *
virNodeDeviceDefCheck(virXMLTree *tree, bool existing)
{
    g_autoptr(virXMLTree) def = tree;
    g_autoptr(GPtrArray) kept = g_ptr_array_new();
    const char *name;
    virXMLTree *cap, *parent;
    size_t i;

    if (!existing)
        virXMLTreeSetChildText(def, "name", "new device");
    /* capabilities not modelled here are kept as written */
    for (i = 0; (cap = virXMLTreeChild(def, "capability", i)); ) {
        const char *type = virXMLTreeAttr(cap, "type");

        if (type && strcmp(type, "system") != 0 && strcmp(type, "scsi_host") != 0 &&
            virNodeDevIndex(type) >= 0) {
            virXMLTreeRemoveChild(def, cap);
            cap->flags |= VIR_XML_TREE_VERBATIM;
            g_ptr_array_add(kept, cap);
        } else {
            i++;
        }
    }
    virXMLTreeNormalize(def, deviceSchema);
    for (i = 0; i < kept->len; i++)
        virXMLTreeAddChild(def, g_ptr_array_index(kept, i), -1);
    if (!(name = virNodeDeviceDefName(def))) {
        virReportError(VIR_ERR_NO_NAME, "%s", "");
        return NULL;
    }
    parent = virXMLTreeChild(def, "parent", 0);
    if (virXMLTreeAttr(parent, "wwnn") && !virXMLTreeAttr(parent, "wwpn")) {
        virReportError(VIR_ERR_XML_ERROR,
                       "when providing parent wwnn='%s', the wwpn must also be provided",
                       virXMLTreeAttr(parent, "wwnn"));
        return NULL;
    }
    if (!virXMLTreeAttr(parent, "wwnn") && virXMLTreeAttr(parent, "wwpn")) {
        virReportError(VIR_ERR_XML_ERROR,
                       "when providing parent wwpn='%s', the wwnn must also be provided",
                       virXMLTreeAttr(parent, "wwpn"));
        return NULL;
    }
    if (!virXMLTreeChild(def, "capability", 0)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "no device capabilities for '%s'", name);
        return NULL;
    }
    for (i = 0; (cap = virXMLTreeChild(def, "capability", i)); i++) {
        const char *type = virXMLTreeAttr(cap, "type");

        if (!type) {
            virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                               "Missing required attribute 'type' in element 'capability'");
            return NULL;
        }
        if (virNodeDevIndex(type) < 0) {
            virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                               "Invalid value for attribute 'type' in element 'capability': '%s'.",
                               type);
            return NULL;
        }
        if (strcmp(type, "system") == 0 && virNodeDevCheckSystem(cap, name) < 0)
            return NULL;
        if (strcmp(type, "scsi_host") == 0 &&
                 virNodeDevCheckSCSIHost(cap, name, existing) < 0)
            return NULL;
    }
    return g_steal_pointer(&def);
}

virXMLTree *
virNodeDeviceDefParseString(const char *xml, bool existing)
{
    virXMLTree *tree = virXMLTreeParse(xml, "(node_device_definition)", "device",
                                       VIR_FROM_NODEDEV);

    return tree ? virNodeDeviceDefCheck(tree, existing) : NULL;
}

virXMLTree *
virNodeDeviceDefParseNode(xmlNodePtr node)
{
    return virNodeDeviceDefCheck(virXMLTreeFromNode(node), true);
}

/* libvirt writes the parent's name only */
char *
virNodeDeviceDefFormat(const virXMLTree *def)
{
    g_autoptr(virXMLTree) out = virXMLTreeCopy(def);
    virXMLTree *parent = virXMLTreeChild(out, "parent", 0);

    if (parent) {
        virXMLTreeSetAttr(parent, "wwnn", NULL);
        virXMLTreeSetAttr(parent, "wwpn", NULL);
        virXMLTreeSetAttr(parent, "fabric_wwn", NULL);
        if (!virXMLTreeText(parent)) {
            virXMLTreeRemoveChild(out, parent);
            virXMLTreeFree(parent);
        }
    }
    return virXMLTreeFormat(out);
}
