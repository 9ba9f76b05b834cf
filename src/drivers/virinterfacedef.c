/*
 * virinterfacedef.c: host interface definitions, see virinterfacedef.h.
 */
#include <string.h>
#include <glib.h>

#include "virinterfacedef.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_INTERFACE

/* The elements of an interface a bridge or bond holds (no start, mtu or
 * protocol: those are the top level's), under prefix. */
#define SUB_INTERFACE(prefix) \
    prefix "!@type@name", \
    prefix "/link@speed@state", \
    prefix "/mac@address", \
    prefix "/vlan@tag", \
    prefix "/vlan/interface@name"

/* libvirt's element and attribute order (virInterfaceDefDevFormat). */
static const char *const interfaceSchema[] = {
    "interface!@type@name",
    "interface/start@mode",
    "interface/mtu@size",
    "interface/protocol!@family",
    "interface/protocol/autoconf",
    "interface/protocol/dhcp@peerdns",
    "interface/protocol/ip@address@prefix",
    "interface/protocol/route@gateway",
    "interface/link@speed@state",
    "interface/mac@address",
    "interface/bridge!@stp@delay",
    SUB_INTERFACE("interface/bridge/interface"),
    "interface/bridge/interface/bond!@mode",
    "interface/bridge/interface/bond/miimon@freq@downdelay@updelay@carrier",
    "interface/bridge/interface/bond/arpmon@interval@target@validate",
    SUB_INTERFACE("interface/bridge/interface/bond/interface"),
    "interface/bond!@mode",
    "interface/bond/miimon@freq@downdelay@updelay@carrier",
    "interface/bond/arpmon@interval@target@validate",
    SUB_INTERFACE("interface/bond/interface"),
    "interface/vlan@tag",
    "interface/vlan/interface@name",
    NULL
};

static const char *const interfaceTypes[] = { "ethernet", "bridge", "bond", "vlan", NULL };

static bool
virInterfaceInList(const char *const *list, const char *s)
{
    for (; s && *list; list++) {
        if (strcmp(*list, s) == 0)
            return true;
    }
    return false;
}

const char *
virInterfaceDefName(const virXMLTree *def)
{
    return virXMLTreeAttr(def, "name");
}

const char *
virInterfaceDefMAC(const virXMLTree *def)
{
    return virXMLTreeAttr(virXMLTreeChild(def, "mac", 0), "address");
}

/* One interface element (top: the top level one) and what it holds. */
static int
virInterfaceCheck(virXMLTree *iface, const char *parentType)
{
    const char *type = virXMLTreeAttr(iface, "type");
    static const char *const holders[] = { "bridge", "bond", "vlan" };
    size_t i, j;

    if (!type) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "Missing required attribute 'type' in element 'interface'");
        return -1;
    }
    if (!virInterfaceInList(interfaceTypes, type)) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "Invalid value for attribute 'type' in element 'interface': '%s'.",
                           type);
        return -1;
    }
    if ((parentType && strcmp(parentType, "bond") == 0 && strcmp(type, "ethernet") != 0) ||
        (parentType && strcmp(parentType, "bridge") == 0 && strcmp(type, "bridge") == 0)) {
        virReportError(VIR_ERR_XML_ERROR, "interface has unsupported type '%s'", type);
        return -1;
    }
    if (!virInterfaceDefName(iface)) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "interface has no name");
        return -1;
    }
    if (!parentType) {
        const char *mode = virXMLTreeAttr(virXMLTreeChild(iface, "start", 0), "mode");
        const char *mtu = virXMLTreeAttr(virXMLTreeChild(iface, "mtu", 0), "size");
        static const char *const modes[] = { "none", "onboot", "hotplug", NULL };
        unsigned long long v;

        if (mode && !virInterfaceInList(modes, mode)) {
            virReportError(VIR_ERR_XML_ERROR, "unknown interface startmode %s", mode);
            return -1;
        }
        if (mtu && (virXMLParseULL(mtu, &v) < 0 || v > 100000)) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "value of the 'size' attribute of 'mtu' element must be at most 100000");
            return -1;
        }
    }
    if (strcmp(type, "ethernet") != 0) {
        virXMLTree *mac = virXMLTreeChild(iface, "mac", 0);

        if (mac) {
            virXMLTreeRemoveChild(iface, mac);
            virXMLTreeFree(mac);
        }
    }
    for (i = 0; i < G_N_ELEMENTS(holders); i++) {
        virXMLTree *holder = virXMLTreeChild(iface, holders[i], 0);
        virXMLTree *sub;

        if (strcmp(type, holders[i]) != 0) {
            if (holder) {
                virXMLTreeRemoveChild(iface, holder);
                virXMLTreeFree(holder);
            }
            continue;
        }
        if (!holder) {
            virReportError(VIR_ERR_XML_ERROR, "%s interface misses the %s element",
                           holders[i], holders[i]);
            return -1;
        }
        for (j = 0; strcmp(type, "vlan") != 0 && (sub = virXMLTreeChild(holder, "interface", j));
             j++) {
            if (virInterfaceCheck(sub, type) < 0)
                return -1;
        }
    }
    return 0;
}

static virXMLTree *
virInterfaceDefCheck(virXMLTree *tree)
{
    g_autoptr(virXMLTree) def = tree;

    virXMLTreeNormalize(def, interfaceSchema);
    if (virInterfaceCheck(def, NULL) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

virXMLTree *
virInterfaceDefParseString(const char *xml)
{
    virXMLTree *tree = virXMLTreeParse(xml, "(interface_definition)", "interface",
                                       VIR_FROM_INTERFACE);

    return tree ? virInterfaceDefCheck(tree) : NULL;
}

virXMLTree *
virInterfaceDefParseNode(xmlNodePtr node)
{
    return virInterfaceDefCheck(virXMLTreeFromNode(node));
}

char *
virInterfaceDefFormat(const virXMLTree *def)
{
    return virXMLTreeFormat(def);
}
