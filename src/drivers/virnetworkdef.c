/*
 * virnetworkdef.c: network definitions, see virnetworkdef.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "virnetworkdef.h"
#include "virnetaddr.h"
#include "virdomaindef.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

/* libvirt's element and attribute order (virNetworkDefFormatBuf). */
static const char *const networkSchema[] = {
    "network@connections@ipv6@trustGuestRxFilters",
    "network/name#",
    "network/uuid#",
    "network/metadata^",
    "network/forward@dev@mode@managed",
    "network/forward/driver@name",
    "network/forward/nat@ipv6",
    "network/forward/nat/address@start@end",
    "network/forward/nat/port@start@end",
    "network/forward/pf@dev",
    "network/forward/interface@dev",
    "network/forward/address*",
    "network/bridge@name@zone@stp@delay@macTableManager",
    "network/mtu@size",
    "network/mac@address",
    "network/domain@name@localOnly",
    "network/dns@enable@forwardPlainNames",
    "network/dns/forwarder@domain@addr",
    "network/dns/txt@name@value",
    "network/dns/srv@service@protocol@domain@target@port@priority@weight",
    "network/dns/host!@ip",
    "network/dns/host/hostname#",
    "network/vlan*",
    "network/bandwidth*",
    "network/port@isolated",
    "network/ip!@family@address@netmask@prefix@localPtr",
    "network/ip/tftp@root",
    "network/ip/dhcp",
    "network/ip/dhcp/range@start@end",
    "network/ip/dhcp/range/lease@expiry@unit",
    "network/ip/dhcp/host@mac@id@name@ip",
    "network/ip/dhcp/host/lease@expiry@unit",
    "network/ip/dhcp/bootp@file@server",
    "network/route@family@address@netmask@prefix@gateway@metric",
    "network/virtualport*",
    "network/portgroup!@name@default@trustGuestRxFilters",
    "network/portgroup/vlan*",
    "network/portgroup/bandwidth*",
    "network/portgroup/virtualport*",
    NULL
};

/* virNetworkForwardType, "none" first */
static const char *const forwardModes[] = {
    "none", "nat", "route", "open", "bridge", "private", "vepa", "passthrough", "hostdev", NULL
};

static bool
virNetworkInList(const char *const *list, const char *s)
{
    for (; *list; list++) {
        if (strcmp(*list, s) == 0)
            return true;
    }
    return false;
}

const char *
virNetworkDefName(const virXMLTree *def)
{
    return virXMLTreeChildText(def, "name");
}

void
virNetworkDefUUID(const virXMLTree *def, unsigned char *uuid)
{
    const char *text = virXMLTreeChildText(def, "uuid");

    memset(uuid, 0, VIR_UUID_BUFLEN);
    if (text)
        virDomainUUIDParse(text, uuid);
}

const char *
virNetworkDefBridge(const virXMLTree *def)
{
    return virXMLTreeAttr(virXMLTreeChild(def, "bridge", 0), "name");
}

/* The forward mode in force (none without <forward>). */
static const char *
virNetworkDefForwardMode(const virXMLTree *def)
{
    virXMLTree *fwd = virXMLTreeChild(def, "forward", 0);

    return fwd ? virXMLTreeAttr(fwd, "mode") : "none";
}

/* ---- checks and defaults ---- */

/* yes / no attributes (libvirt's virXMLPropTristateBool wording) */
static int
virNetworkCheckYesNo(const virXMLTree *elem, const char *attr)
{
    const char *value = virXMLTreeAttr(elem, attr);

    if (!value || strcmp(value, "yes") == 0 || strcmp(value, "no") == 0)
        return 0;
    virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                       "Invalid value for attribute '%s' in element '%s': '%s'.",
                       attr, elem->name, value);
    return -1;
}

/* An address attribute rewritten the way libvirt formats it; family
 * (AF_INET / AF_INET6) out. -1 (nothing reported) when invalid. */
static int
virNetworkNormalizeAddr(virXMLTree *elem, const char *attr, int *family)
{
    const char *text = virXMLTreeAttr(elem, attr);
    virNetAddr addr;
    g_autofree char *norm = NULL;

    if (!text || virNetAddrParse(text, &addr) < 0)
        return -1;
    norm = virNetAddrFormat(&addr);
    virXMLTreeSetAttr(elem, attr, norm);
    if (family)
        *family = addr.family;
    return 0;
}

/* ---- records (shared by parsing and updates: partial, the update's
 * matching forms of a delete) ---- */

static int
virNetworkAddrFamily(const char *text)
{
    virNetAddr a;

    return text && virNetAddrParse(text, &a) == 0 ? a.family : 0;
}

static int
virNetworkCheckDHCPRange(const char *name, virXMLTree *range)
{
    if (!virXMLTreeAttr(range, "start")) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Missing 'start' attribute in dhcp range for network '%s'", name);
        return -1;
    }
    if (!virXMLTreeAttr(range, "end")) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Missing 'end' attribute in dhcp range for network '%s'", name);
        return -1;
    }
    virNetworkNormalizeAddr(range, "start", NULL);
    virNetworkNormalizeAddr(range, "end", NULL);
    return 0;
}

/* libvirt's virNetworkDHCPHostDefParseXML checks of one host entry. */
static int
virNetworkCheckDHCPHost(const char *name, const virXMLTree *ip, virXMLTree *h, bool partial)
{
    const char *mac = virXMLTreeAttr(h, "mac");
    const char *id = virXMLTreeAttr(h, "id");
    const char *hname = virXMLTreeAttr(h, "name");
    const char *addr = virXMLTreeAttr(h, "ip");
    bool v6 = virNetworkAddrFamily(virXMLTreeAttr(ip, "address")) == AF_INET6;
    unsigned char m[6];
    virNetAddr a;

    if (mac && v6) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Invalid to specify MAC address '%s' in network '%s' IPv6 static host definition",
                       mac, name);
        return -1;
    }
    if (mac && virNetMACParse(mac, m) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "Cannot parse MAC address '%s' in network '%s'",
                       mac, name);
        return -1;
    }
    if (mac && (m[0] & 1)) {
        virReportError(VIR_ERR_XML_ERROR,
                       "expected unicast mac address, found multicast '%s' in network '%s'",
                       mac, name);
        return -1;
    }
    if (id && id[strspn(id, "0123456789abcdefABCDEF:")]) {
        virReportError(VIR_ERR_XML_ERROR, "Invalid character '%c' in id '%s' of network '%s'",
                       id[strspn(id, "0123456789abcdefABCDEF:")], id, name);
        return -1;
    }
    if (hname && !g_ascii_isalnum(hname[0])) {
        virReportError(VIR_ERR_XML_ERROR, "Cannot use host name '%s' in network '%s'",
                       hname, name);
        return -1;
    }
    if (addr && virNetAddrParse(addr, &a) < 0) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Invalid IP address in static host definition for network '%s'", name);
        return -1;
    }
    if (partial) {
        if (!mac && !hname && !addr) {
            virReportError(VIR_ERR_XML_ERROR,
                           "At least one of name, mac, or ip attribute must be specified for static host definition in network '%s' ",
                           name);
            return -1;
        }
    } else if (v6 && !id && !hname) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Static host definition in IPv6 network '%s' must have id or name attribute",
                       name);
        return -1;
    } else if (!v6 && !mac && !hname) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Static host definition in IPv4 network '%s' must have mac or name attribute",
                       name);
        return -1;
    } else if (!addr) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Missing IP address in static host definition for network '%s'", name);
        return -1;
    }
    if (addr)
        virNetworkNormalizeAddr(h, "ip", NULL);
    return 0;
}

static int
virNetworkCheckDNSHost(const char *name, virXMLTree *host, bool partial)
{
    const char *addr = virXMLTreeAttr(host, "ip");
    size_t i, nnames = 0;

    if (!addr && !partial) {
        virReportError(VIR_ERR_XML_DETAIL, "Missing IP address in network '%s' DNS HOST record",
                       name);
        return -1;
    }
    if (addr && virNetworkNormalizeAddr(host, "ip", NULL) < 0) {
        virReportError(VIR_ERR_XML_DETAIL, "Invalid IP address in network '%s' DNS HOST record",
                       name);
        return -1;
    }
    for (i = 0; virXMLTreeChild(host, "hostname", i); i++) {
        const char *text = virXMLTreeText(virXMLTreeChild(host, "hostname", i));

        if (text && !text[0]) {
            virReportError(VIR_ERR_XML_DETAIL,
                           "Missing hostname in network '%s' DNS HOST record", name);
            return -1;
        }
        nnames += text != NULL;
    }
    if (nnames == 0 && !partial) {
        virReportError(VIR_ERR_XML_DETAIL, "Missing hostname in network '%s' DNS HOST record",
                       name);
        return -1;
    }
    if (!addr && nnames == 0) {
        virReportError(VIR_ERR_XML_DETAIL,
                       "Missing ip and hostname in network '%s' DNS HOST record", name);
        return -1;
    }
    return 0;
}

/* An optional SRV number (port, priority, weight): allowed with a target
 * only, at most max (port at least 1). */
static int
virNetworkCheckSrvNumber(const char *name, const virXMLTree *srv, const char *attr,
                         unsigned long long min, const char *invalid)
{
    const char *text = virXMLTreeAttr(srv, attr);
    const char *service = virXMLTreeAttr(srv, "service");
    unsigned long long v;
    bool valid;

    if (!text)
        return 0;
    valid = virXMLParseULL(text, &v) == 0 && v <= G_MAXUINT;
    if (valid && !virXMLTreeAttr(srv, "target")) {
        virReportError(VIR_ERR_XML_DETAIL,
                       "DNS SRV %s attribute not permitted without target for service '%s' in network '%s'",
                       attr, service ? service : "(null)", name);
        return -1;
    }
    if (!valid || v < min || v > 65535) {
        virReportError(VIR_ERR_XML_DETAIL, "%s DNS SRV %s attribute for service '%s' in network '%s'",
                       invalid, attr, service ? service : "(null)", name);
        return -1;
    }
    return 0;
}

static int
virNetworkCheckDNSSrv(const char *name, virXMLTree *srv, bool partial)
{
    static const char serviceChars[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+/*";
    const char *service = virXMLTreeAttr(srv, "service");
    const char *protocol = virXMLTreeAttr(srv, "protocol");

    if (!service && !partial) {
        virReportError(VIR_ERR_XML_DETAIL,
                       "missing required service attribute in DNS SRV record of network '%s'",
                       name);
        return -1;
    }
    if (service && strlen(service) > 255) {
        virReportError(VIR_ERR_XML_DETAIL,
                       "service attribute '%s' in network '%s' is too long, limit is %d bytes",
                       service, name, 255);
        return -1;
    }
    if (service && service[strspn(service, serviceChars)]) {
        virReportError(VIR_ERR_XML_DETAIL,
                       "invalid character in service attribute '%s' in DNS SRV record of network '%s'",
                       service, name);
        return -1;
    }
    if (!protocol && !partial) {
        virReportError(VIR_ERR_XML_DETAIL,
                       "missing required protocol attribute in DNS SRV record '%s' of network '%s'",
                       service, name);
        return -1;
    }
    /* protocol characters: the service's less "_" and "*" */
    if (protocol && (protocol[strspn(protocol, serviceChars)] || strpbrk(protocol, "_*"))) {
        virReportError(VIR_ERR_XML_DETAIL,
                       "invalid character in protocol attribute '%s' in DNS SRV record of network '%s'",
                       protocol, name);
        return -1;
    }
    return (virNetworkCheckSrvNumber(name, srv, "port", 1, "invalid") < 0 ||
            virNetworkCheckSrvNumber(name, srv, "priority", 0, "Invalid") < 0 ||
            virNetworkCheckSrvNumber(name, srv, "weight", 0, "invalid") < 0) ? -1 : 0;
}

static int
virNetworkCheckDNSTxt(const char *name, virXMLTree *txt, bool partial)
{
    const char *tname = virXMLTreeAttr(txt, "name");

    if (!tname) {
        virReportError(VIR_ERR_XML_DETAIL,
                       "missing required name attribute in DNS TXT record of network %s", name);
        return -1;
    }
    if (strpbrk(tname, " ,")) {
        virReportError(VIR_ERR_XML_DETAIL,
                       "prohibited character in DNS TXT record name '%s' of network %s",
                       tname, name);
        return -1;
    }
    if (!virXMLTreeAttr(txt, "value") && !partial) {
        virReportError(VIR_ERR_XML_DETAIL,
                       "missing required value attribute in DNS TXT record named '%s' of network %s",
                       tname, name);
        return -1;
    }
    return 0;
}

/* libvirt's virXMLPropUInt: an unsigned attribute; absent is fine. */
static int
virNetworkUIntAttr(const virXMLTree *elem, const char *attr, unsigned long long *value)
{
    const char *text = virXMLTreeAttr(elem, attr);

    *value = 0;
    if (!text)
        return 0;
    if (virXMLParseULL(text, value) < 0 || *value > G_MAXUINT) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value", attr, elem->name, text);
        return -1;
    }
    return 1;
}

/* libvirt's virNetworkIPDefParseXML checks, in its order. */
static int
virNetworkCheckIP(const char *name, virXMLTree *ip)
{
    g_autofree char *address = g_strdup(virXMLTreeAttr(ip, "address"));
    const char *netmask = virXMLTreeAttr(ip, "netmask");
    const char *family = virXMLTreeAttr(ip, "family");
    unsigned long long prefix = 0;
    int afamily = 0, mfamily = 0;
    virXMLTree *dhcp;
    size_t i;

    if (!address) {
        virReportError(VIR_ERR_XML_ERROR, "Missing required address attribute in network '%s'",
                       name);
        return -1;
    }
    if (virNetworkNormalizeAddr(ip, "address", &afamily) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "Invalid address '%s' in network '%s'", address, name);
        return -1;
    }
    if (netmask && virNetworkNormalizeAddr(ip, "netmask", &mfamily) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "Invalid netmask '%s' in network '%s'", netmask, name);
        return -1;
    }
    if (virNetworkUIntAttr(ip, "prefix", &prefix) < 0 || virNetworkCheckYesNo(ip, "localPtr") < 0)
        return -1;
    if (!family || strcmp(family, "ipv4") == 0) {
        if (afamily != AF_INET) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "%s family specified for non-IPv4 address '%s' in network '%s'",
                           family ? "ipv4" : "no", address, name);
            return -1;
        }
        if (netmask && mfamily != AF_INET) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Invalid netmask '%s' for address '%s' in network '%s' (both must be IPv4)",
                           netmask, address, name);
            return -1;
        }
        if (netmask && prefix > 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Network '%s' IP address cannot have both a prefix and a netmask",
                           name);
            return -1;
        }
        if (!netmask && prefix > 32) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Invalid IPv4 prefix '%llu' in network '%s'",
                           prefix, name);
            return -1;
        }
    } else if (strcmp(family, "ipv6") == 0) {
        if (afamily != AF_INET6) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Family 'ipv6' specified for non-IPv6 address '%s' in network '%s'",
                           address, name);
            return -1;
        }
        if (netmask) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "netmask not allowed for IPv6 address '%s' in network '%s'",
                           address, name);
            return -1;
        }
        if (prefix > 128) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Invalid IPv6 prefix '%llu' in network '%s'",
                           prefix, name);
            return -1;
        }
    } else {
        virReportError(VIR_ERR_XML_ERROR, "Unrecognized family '%s' in network '%s'",
                       family, name);
        return -1;
    }
    {
        g_autofree char *p = g_strdup_printf("%llu", prefix);
        virXMLTreeSetAttr(ip, "prefix", prefix ? p : NULL);
    }
    /* dhcp: written only with ranges or hosts */
    if ((dhcp = virXMLTreeChild(ip, "dhcp", 0))) {
        for (i = 0; virXMLTreeChild(dhcp, "range", i); i++) {
            if (virNetworkCheckDHCPRange(name, virXMLTreeChild(dhcp, "range", i)) < 0)
                return -1;
        }
        for (i = 0; virXMLTreeChild(dhcp, "host", i); i++) {
            if (virNetworkCheckDHCPHost(name, ip, virXMLTreeChild(dhcp, "host", i), false) < 0)
                return -1;
        }
        if (!virXMLTreeChild(dhcp, "range", 0) && !virXMLTreeChild(dhcp, "host", 0)) {
            virXMLTreeRemoveChild(ip, dhcp);
            virXMLTreeFree(dhcp);
        }
    }
    if (virXMLTreeChild(ip, "tftp", 0) && afamily != AF_INET) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Unsupported <tftp> element in an IPv6 element in network '%s'", name);
        return -1;
    }
    return 0;
}

/* libvirt's checks of <forward> against the rest of the definition. */
static int
virNetworkCheckForward(const char *name, virXMLTree *def)
{
    virXMLTree *fwd = virXMLTreeChild(def, "forward", 0);
    virXMLTree *bridge = virXMLTreeChild(def, "bridge", 0);
    const char *mode, *dev;
    size_t nifs, i;

    if (!fwd)
        return 0;
    if (!(mode = virXMLTreeAttr(fwd, "mode"))) {
        virXMLTreeSetAttr(fwd, "mode", "nat");
        mode = "nat";
    } else if (!virNetworkInList(forwardModes, mode)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown forwarding type '%s'", mode);
        return -1;
    }
    if (strcmp(mode, "none") == 0) {
        virXMLTreeRemoveChild(def, fwd);
        virXMLTreeFree(fwd);
        return 0;
    }
    if (strcmp(mode, "hostdev") == 0)
        virXMLTreeSetAttr(fwd, "managed",
                          g_strcmp0(virXMLTreeAttr(fwd, "managed"), "yes") == 0 ? "yes" : "no");
    else
        virXMLTreeSetAttr(fwd, "managed", NULL);

    /* dev='x' is the first <interface dev='x'/> */
    if ((dev = virXMLTreeAttr(fwd, "dev"))) {
        virXMLTree *first = virXMLTreeChild(fwd, "interface", 0);

        if (first && g_strcmp0(virXMLTreeAttr(first, "dev"), dev) != 0) {
            virReportError(VIR_ERR_XML_ERROR,
                           "<forward dev='%s'> must match first <interface dev='%s'/> in network %s",
                           dev, virXMLTreeAttr(first, "dev"), name);
            return -1;
        }
        if (!first) {
            virXMLTree *iface = virXMLTreeNew("interface");

            virXMLTreeSetAttr(iface, "dev", dev);
            virXMLTreeAddChild(fwd, iface, 0);
        }
    }
    for (i = 0; virXMLTreeChild(fwd, "interface", i); i++) {
        virXMLTree *iface = virXMLTreeChild(fwd, "interface", i);
        size_t j;

        if (!virXMLTreeAttr(iface, "dev")) {
            virReportError(VIR_ERR_XML_ERROR,
                           "Missing required dev attribute in <forward> <interface> element of network %s",
                           name);
            return -1;
        }
        for (j = 0; j < i; j++) {
            if (strcmp(virXMLTreeAttr(virXMLTreeChild(fwd, "interface", j), "dev"),
                       virXMLTreeAttr(iface, "dev")) == 0) {
                virReportError(VIR_ERR_XML_ERROR,
                               "interface '%s' can only be listed once in network %s",
                               virXMLTreeAttr(iface, "dev"), name);
                return -1;
            }
        }
    }
    nifs = virXMLTreeCountChildren(fwd, "interface");
    if (nifs && !virXMLTreeChild(fwd, "pf", 0))
        virXMLTreeSetAttr(fwd, "dev", virXMLTreeAttr(virXMLTreeChild(fwd, "interface", 0), "dev"));

    if (strcmp(mode, "nat") == 0 || strcmp(mode, "route") == 0 || strcmp(mode, "open") == 0) {
        if (!virXMLTreeChild(def, "ip", 0)) {
            virReportError(VIR_ERR_XML_ERROR,
                           "%s forwarding requested, but no IP address provided for network '%s'",
                           mode, name);
            return -1;
        }
        if (nifs > 1) {
            virReportError(VIR_ERR_XML_ERROR,
                           "multiple forwarding interfaces specified for network '%s', only one is supported",
                           name);
            return -1;
        }
        if (strcmp(mode, "open") == 0 && nifs) {
            virReportError(VIR_ERR_XML_ERROR,
                           "forward dev not allowed for network '%s' with forward mode='%s'",
                           name, mode);
            return -1;
        }
        return 0;
    }
    if (strcmp(mode, "bridge") != 0) {
        static const struct {
            const char *attr;
            const char *what;
        } banned[] = {
            { "name", "bridge name" }, { "zone", "bridge zone" },
            { "macTableManager", "bridge macTableManager setting" },
        };
        for (i = 0; i < G_N_ELEMENTS(banned); i++) {
            if (virXMLTreeAttr(bridge, banned[i].attr)) {
                virReportError(VIR_ERR_XML_ERROR, "%s not allowed in %s mode (network '%s')",
                               banned[i].what, mode, name);
                return -1;
            }
        }
    }
    if (virXMLTreeAttr(bridge, "delay") || virXMLTreeAttr(bridge, "stp") ||
        virXMLTreeAttr(bridge, "zone")) {
        virReportError(VIR_ERR_XML_ERROR,
                       "bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in %s (network '%s')",
                       mode, name);
        return -1;
    }
    if (virXMLTreeAttr(bridge, "name") && (nifs || virXMLTreeChild(fwd, "pf", 0))) {
        virReportError(VIR_ERR_XML_ERROR,
                       "A network with forward mode='%s' can specify a bridge name or a forward dev, but not both (network '%s')",
                       mode, name);
        return -1;
    }
    if (virXMLTreeChild(def, "mtu", 0)) {
        virReportError(VIR_ERR_XML_ERROR,
                       "mtu size only allowed in open, route, nat, and isolated mode, not in %s (network '%s')",
                       mode, name);
        return -1;
    }
    return 0;
}

/* <bridge>: in the modes with a bridge, always there with stp and delay. */
static int
virNetworkCheckBridge(const char *name, virXMLTree *def)
{
    const char *mode = virNetworkDefForwardMode(def);
    virXMLTree *bridge = virXMLTreeChild(def, "bridge", 0);
    const char *delay = virXMLTreeAttr(bridge, "delay");
    const char *mtm = virXMLTreeAttr(bridge, "macTableManager");
    unsigned long long d = 0;
    g_autofree char *dtext = NULL;

    if (delay && virXMLParseULL(delay, &d) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "Invalid delay value in network '%s'", name);
        return -1;
    }
    if (mtm && strcmp(mtm, "kernel") != 0 && strcmp(mtm, "libvirt") != 0) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Invalid macTableManager setting '%s' in network '%s'", mtm, name);
        return -1;
    }
    if (strcmp(mode, "none") != 0 && strcmp(mode, "nat") != 0 && strcmp(mode, "route") != 0 &&
        strcmp(mode, "open") != 0) {
        if (bridge && !bridge->nattrs) {
            virXMLTreeRemoveChild(def, bridge);
            virXMLTreeFree(bridge);
        }
        return 0;
    }
    if (!bridge)
        bridge = virXMLTreeAddChild(def, virXMLTreeNew("bridge"), -1);
    virXMLTreeSetAttr(bridge, "stp",
                      g_strcmp0(virXMLTreeAttr(bridge, "stp"), "off") == 0 ? "off" : "on");
    dtext = g_strdup_printf("%llu", d);
    virXMLTreeSetAttr(bridge, "delay", dtext);
    return 0;
}

static int
virNetworkCheckMAC(const char *name, virXMLTree *def)
{
    virXMLTree *mac = virXMLTreeChild(def, "mac", 0);
    const char *text = virXMLTreeAttr(mac, "address");
    unsigned char addr[6];
    g_autofree char *norm = NULL;

    if (!mac)
        return 0;
    if (!text) {
        virXMLTreeRemoveChild(def, mac);
        virXMLTreeFree(mac);
        return 0;
    }
    if (virNetMACParse(text, addr) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "Invalid bridge mac address '%s' in network '%s'",
                       text, name);
        return -1;
    }
    if (addr[0] & 1) {
        virReportError(VIR_ERR_XML_ERROR,
                       "Invalid multicast bridge mac address '%s' in network '%s'", text, name);
        return -1;
    }
    norm = virNetMACFormat(addr);
    virXMLTreeSetAttr(mac, "address", norm);
    return 0;
}

static int
virNetworkCheckDNS(const char *name, virXMLTree *def)
{
    virXMLTree *dns = virXMLTreeChild(def, "dns", 0);
    size_t i;

    if (!dns)
        return 0;
    if (virNetworkCheckYesNo(dns, "enable") < 0 ||
        virNetworkCheckYesNo(dns, "forwardPlainNames") < 0)
        return -1;
    for (i = 0; virXMLTreeChild(dns, "host", i); i++) {
        if (virNetworkCheckDNSHost(name, virXMLTreeChild(dns, "host", i), false) < 0)
            return -1;
    }
    for (i = 0; virXMLTreeChild(dns, "srv", i); i++) {
        if (virNetworkCheckDNSSrv(name, virXMLTreeChild(dns, "srv", i), false) < 0)
            return -1;
    }
    for (i = 0; virXMLTreeChild(dns, "txt", i); i++) {
        if (virNetworkCheckDNSTxt(name, virXMLTreeChild(dns, "txt", i), false) < 0)
            return -1;
    }
    /* libvirt writes <dns> only when it says something */
    if (!dns->nattrs && !dns->nchildren) {
        virXMLTreeRemoveChild(def, dns);
        virXMLTreeFree(dns);
    }
    return 0;
}

/* Parse and check a tree whose root is <network> (consumed). */
static virXMLTree *
virNetworkDefCheck(virXMLTree *tree)
{
    g_autoptr(virXMLTree) def = tree;
    const char *name, *uuid, *mtu;
    unsigned char raw[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    unsigned long long v;
    size_t i;

    virXMLTreeNormalize(def, networkSchema);
    if (!(name = virNetworkDefName(def))) {
        virReportError(VIR_ERR_NO_NAME, "%s", "");
        return NULL;
    }
    if (strchr(name, '/')) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_DETAIL, __FILE__, __func__, __LINE__,
                           "invalid char in name: %c", '/');
        return NULL;
    }
    if (!(uuid = virXMLTreeChildText(def, "uuid"))) {
        virDomainUUIDGenerate(raw);
    } else if (virDomainUUIDParse(uuid, raw) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed uuid element");
        return NULL;
    }
    virDomainUUIDFormat(raw, uuidstr);
    /* uuid right after name */
    virXMLTreeSetChildText(def, "uuid", uuidstr);
    if (virXMLTreeAttr(def, "ipv6") && strcmp(virXMLTreeAttr(def, "ipv6"), "yes") != 0 &&
        strcmp(virXMLTreeAttr(def, "ipv6"), "no") != 0) {
        virReportError(VIR_ERR_XML_ERROR, "Invalid ipv6 setting '%s' in network '%s'",
                       virXMLTreeAttr(def, "ipv6"), name);
        return NULL;
    }
    if (g_strcmp0(virXMLTreeAttr(def, "ipv6"), "no") == 0)
        virXMLTreeSetAttr(def, "ipv6", NULL);
    virXMLTreeSetAttr(def, "connections", NULL);
    if (virNetworkCheckYesNo(def, "trustGuestRxFilters") < 0 ||
        virNetworkCheckYesNo(virXMLTreeChild(def, "domain", 0), "localOnly") < 0)
        return NULL;
    if ((mtu = virXMLTreeAttr(virXMLTreeChild(def, "mtu", 0), "size")) &&
        (virXMLParseULL(mtu, &v) < 0 || v > G_MAXUINT)) {
        virReportError(VIR_ERR_XML_ERROR, "Invalid mtu size '%s' in network '%s'", mtu, name);
        return NULL;
    }
    if (virNetworkCheckMAC(name, def) < 0 || virNetworkCheckDNS(name, def) < 0)
        return NULL;
    for (i = 0; virXMLTreeChild(def, "ip", i); i++) {
        if (virNetworkCheckIP(name, virXMLTreeChild(def, "ip", i)) < 0)
            return NULL;
    }
    for (i = 0; virXMLTreeChild(def, "portgroup", i); i++) {
        if (!virXMLTreeAttr(virXMLTreeChild(def, "portgroup", i), "name")) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "Missing required name attribute in portgroup");
            return NULL;
        }
    }
    if (virNetworkCheckForward(name, def) < 0 || virNetworkCheckBridge(name, def) < 0)
        return NULL;
    virXMLTreeNormalize(def, networkSchema);
    return g_steal_pointer(&def);
}

virXMLTree *
virNetworkDefParseString(const char *xml)
{
    virXMLTree *tree = virXMLTreeParse(xml, "(network_definition)", "network",
                                       VIR_FROM_NETWORK);

    return tree ? virNetworkDefCheck(tree) : NULL;
}

virXMLTree *
virNetworkDefParseNode(xmlNodePtr node)
{
    return virNetworkDefCheck(virXMLTreeFromNode(node));
}

char *
virNetworkDefFormat(const virXMLTree *def)
{
    return virXMLTreeFormat(def);
}

/* ---- updates (libvirt's virNetworkDefUpdateSection) ---- */

typedef struct {
    const char *name;           /* the network's */
    virXMLTree *def;
    unsigned int command;
    virXMLTree *item;           /* the parsed update element */
} virNetworkUpdate;

static bool
virNetworkUpdateIsAdd(const virNetworkUpdate *u)
{
    return u->command == VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST ||
           u->command == VIR_NETWORK_UPDATE_COMMAND_ADD_LAST;
}

static int
virNetworkUpdateUnknownCommand(const virNetworkUpdate *u)
{
    virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "unrecognized network update command code %d",
                   u->command);
    return -1;
}

static int
virNetworkUpdateNoModify(const char *what)
{
    virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s cannot be modified, only added or deleted",
                   what);
    return -1;
}

/* Add item to parent at the place the command says (the schema's order is
 * restored afterwards); the tree takes a copy. */
static void
virNetworkUpdateInsert(const virNetworkUpdate *u, virXMLTree *parent)
{
    virXMLTreeAddChild(parent, virXMLTreeCopy(u->item),
                       u->command == VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST ? 0 : -1);
}

static void
virNetworkUpdateDelete(virXMLTree *parent, virXMLTree *child)
{
    virXMLTreeRemoveChild(parent, child);
    virXMLTreeFree(child);
}

/* A copy of item takes old's place. */
static void
virNetworkUpdateReplace(virXMLTree *parent, virXMLTree *old, const virXMLTree *item)
{
    size_t i;

    for (i = 0; parent->children[i] != old; i++)
        ;
    virXMLTreeAddChild(parent, virXMLTreeCopy(item), (ssize_t)i);
    virNetworkUpdateDelete(parent, old);
}

/* The <ip> a DHCP update works on (libvirt's virNetworkIPDefByIndex). */
static virXMLTree *
virNetworkUpdateIP(const virNetworkUpdate *u, int parentIndex, const char *what)
{
    virXMLTree *ip;
    size_t i;

    if (parentIndex >= 0) {
        if (!(ip = virXMLTreeChild(u->def, "ip", (size_t)parentIndex)))
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "couldn't update dhcp %s entry - no <ip> element found at index %d in network '%s'",
                           what, parentIndex, u->name);
        return ip;
    }
    for (i = 0; (ip = virXMLTreeChild(u->def, "ip", i)); i++) {
        if (virXMLTreeChild(ip, "dhcp", 0))
            return ip;
    }
    for (i = 0; (ip = virXMLTreeChild(u->def, "ip", i)); i++) {
        if (!strchr(virXMLTreeAttr(ip, "address"), ':'))
            return ip;
    }
    if ((ip = virXMLTreeChild(u->def, "ip", 0)))
        return ip;
    virReportError(VIR_ERR_OPERATION_INVALID,
                   "couldn't update dhcp %s entry - no <ip> element found in network '%s'",
                   what, u->name);
    return NULL;
}

/* Only one <ip> of a family may have DHCP. */
static int
virNetworkUpdateCheckMultiDHCP(const virNetworkUpdate *u, const virXMLTree *ip)
{
    int family = virNetworkAddrFamily(virXMLTreeAttr(ip, "address"));
    virXMLTree *other;
    size_t i;

    for (i = 0; (other = virXMLTreeChild(u->def, "ip", i)); i++) {
        if (other != ip && virXMLTreeChild(other, "dhcp", 0) &&
            virNetworkAddrFamily(virXMLTreeAttr(other, "address")) == family) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "dhcp is supported only for a single %s address on each network",
                           family == AF_INET ? "IPv4" : "IPv6");
            return -1;
        }
    }
    return 0;
}

static bool
virNetworkAddrEqual(const char *a, const char *b)
{
    virNetAddr x, y;

    return a && b && virNetAddrParse(a, &x) == 0 && virNetAddrParse(b, &y) == 0 &&
           virNetAddrEqual(&x, &y);
}

static bool
virNetworkMACEqual(const char *a, const char *b)
{
    unsigned char x[6], y[6];

    return a && b && virNetMACParse(a, x) == 0 && virNetMACParse(b, y) == 0 &&
           memcmp(x, y, 6) == 0;
}

static int
virNetworkUpdateDHCPHost(virNetworkUpdate *u, int parentIndex)
{
    const virXMLTree *h = u->item;
    const char *mac, *hname, *addr;
    bool del = u->command == VIR_NETWORK_UPDATE_COMMAND_DELETE;
    virXMLTree *ip, *dhcp, *cur;
    size_t i;

    if (!(ip = virNetworkUpdateIP(u, parentIndex, "host")) ||
        virNetworkCheckDHCPHost(u->name, ip, u->item, del) < 0)
        return -1;
    /* read after the check, which rewrites them in libvirt's form */
    mac = virXMLTreeAttr(h, "mac");
    hname = virXMLTreeAttr(h, "name");
    addr = virXMLTreeAttr(h, "ip");
    if (!del && virNetworkAddrFamily(addr) !=
                virNetworkAddrFamily(virXMLTreeAttr(ip, "address"))) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "the address family of a host entry IP must match the address family of the dhcp element's parent");
        return -1;
    }
    if (!(dhcp = virXMLTreeChild(ip, "dhcp", 0)))
        dhcp = virXMLTreeAddChild(ip, virXMLTreeNew("dhcp"), -1);

    for (i = 0; (cur = virXMLTreeChild(dhcp, "host", i)); i++) {
        const char *cmac = virXMLTreeAttr(cur, "mac");
        bool macMatch = mac && cmac && virNetworkMACEqual(mac, cmac);
        bool nameMatch = hname && g_strcmp0(hname, virXMLTreeAttr(cur, "name")) == 0;
        bool ipMatch = addr && virNetworkAddrEqual(addr, virXMLTreeAttr(cur, "ip"));

        if (del ? ((!mac || !cmac || macMatch) && (!hname || nameMatch) && (!addr || ipMatch))
                : (macMatch || nameMatch || ipMatch))
            break;
    }
    switch (u->command) {
    case VIR_NETWORK_UPDATE_COMMAND_MODIFY:
        if (!cur) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "couldn't locate an existing dhcp host entry with \"mac='%s'\" \"name='%s'\" \"ip='%s'\" in network '%s'",
                           mac ? mac : "unknown", hname ? hname : "(null)",
                           addr ? virXMLTreeAttr(u->item, "ip") : "unknown", u->name);
            goto fail;
        }
        virNetworkUpdateReplace(dhcp, cur, u->item);
        return 0;
    case VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST:
    case VIR_NETWORK_UPDATE_COMMAND_ADD_LAST:
        if (virNetworkUpdateCheckMultiDHCP(u, ip) < 0)
            goto fail;
        if (cur) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "there is an existing dhcp host entry in network '%s' that matches \"<host mac='%s' name='%s' ip='%s'/>\"",
                           u->name, mac ? mac : "unknown", hname ? hname : "(null)",
                           addr ? virXMLTreeAttr(u->item, "ip") : "unknown");
            goto fail;
        }
        virNetworkUpdateInsert(u, dhcp);
        return 0;
    case VIR_NETWORK_UPDATE_COMMAND_DELETE:
        if (!cur) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "couldn't locate a matching dhcp host entry in network '%s'", u->name);
            goto fail;
        }
        virNetworkUpdateDelete(dhcp, cur);
        return 0;
    default:
        virNetworkUpdateUnknownCommand(u);
        goto fail;
    }
 fail:
    return -1;
}

static int
virNetworkUpdateDHCPRange(virNetworkUpdate *u, int parentIndex)
{
    virXMLTree *ip, *dhcp, *cur;
    const char *start, *end;
    size_t i;

    if (!(ip = virNetworkUpdateIP(u, parentIndex, "range")))
        return -1;
    if (u->command == VIR_NETWORK_UPDATE_COMMAND_MODIFY) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "dhcp ranges cannot be modified, only added or deleted");
        return -1;
    }
    if (virNetworkCheckDHCPRange(u->name, u->item) < 0)
        return -1;
    start = virXMLTreeAttr(u->item, "start");
    end = virXMLTreeAttr(u->item, "end");
    if (virNetworkAddrFamily(start) != virNetworkAddrFamily(virXMLTreeAttr(ip, "address"))) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "the address family of a dhcp range must match the address family of the dhcp element's parent");
        return -1;
    }
    if (!(dhcp = virXMLTreeChild(ip, "dhcp", 0)))
        dhcp = virXMLTreeAddChild(ip, virXMLTreeNew("dhcp"), -1);
    for (i = 0; (cur = virXMLTreeChild(dhcp, "range", i)); i++) {
        if (virNetworkAddrEqual(start, virXMLTreeAttr(cur, "start")) &&
            virNetworkAddrEqual(end, virXMLTreeAttr(cur, "end")))
            break;
    }
    if (virNetworkUpdateIsAdd(u)) {
        if (virNetworkUpdateCheckMultiDHCP(u, ip) < 0)
            return -1;
        if (cur) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "there is an existing dhcp range entry in network '%s' that matches \"<range start='%s' end='%s'/>\"",
                           u->name, virXMLTreeAttr(u->item, "start"),
                           virXMLTreeAttr(u->item, "end"));
            return -1;
        }
        virNetworkUpdateInsert(u, dhcp);
        return 0;
    }
    if (u->command != VIR_NETWORK_UPDATE_COMMAND_DELETE)
        return virNetworkUpdateUnknownCommand(u);
    if (!cur) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "couldn't locate a matching dhcp range entry in network '%s'", u->name);
        return -1;
    }
    virNetworkUpdateDelete(dhcp, cur);
    return 0;
}

static virXMLTree *
virNetworkUpdateDNS(virNetworkUpdate *u)
{
    virXMLTree *dns = virXMLTreeChild(u->def, "dns", 0);

    return dns ? dns : virXMLTreeAddChild(u->def, virXMLTreeNew("dns"), -1);
}

/* The end of a DNS HOST or SRV update, once count records of dns matched
 * (found: the last one): an add needs none, a delete exactly one. The
 * words of libvirt's messages: existing ("... at least one %s in network"),
 * kind ("couldn't locate a matching %s record"), several ("%s were found"). */
static int
virNetworkUpdateDNSApply(virNetworkUpdate *u, virXMLTree *dns, int count, virXMLTree *found,
                         const char *existing, const char *kind, const char *several)
{
    if (virNetworkUpdateIsAdd(u)) {
        if (count > 0) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "there is already at least one %s in network %s", existing, u->name);
            return -1;
        }
        virNetworkUpdateInsert(u, dns);
        return 0;
    }
    if (u->command != VIR_NETWORK_UPDATE_COMMAND_DELETE)
        return virNetworkUpdateUnknownCommand(u);
    if (count == 0) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "couldn't locate a matching %s record in network %s", kind, u->name);
        return -1;
    }
    if (count > 1) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s were found in network %s", several,
                       u->name);
        return -1;
    }
    virNetworkUpdateDelete(dns, found);
    return 0;
}

static int
virNetworkUpdateDNSHost(virNetworkUpdate *u)
{
    bool isAdd = virNetworkUpdateIsAdd(u);
    const char *addr = virXMLTreeAttr(u->item, "ip");
    virXMLTree *dns, *cur, *found = NULL;
    size_t i, j, k, nnames = virXMLTreeCountChildren(u->item, "hostname");
    int count = 0;

    if (u->command == VIR_NETWORK_UPDATE_COMMAND_MODIFY)
        return virNetworkUpdateNoModify("DNS HOST records");
    if (virNetworkCheckDNSHost(u->name, u->item, !isAdd) < 0)
        return -1;
    addr = virXMLTreeAttr(u->item, "ip");
    dns = virNetworkUpdateDNS(u);
    for (i = 0; (cur = virXMLTreeChild(dns, "host", i)); i++) {
        bool match = addr && virNetworkAddrEqual(addr, virXMLTreeAttr(cur, "ip"));

        /* when adding, only the address counts: one name may have several */
        for (j = 0; !isAdd && !match && j < nnames; j++) {
            const char *n = virXMLTreeText(virXMLTreeChild(u->item, "hostname", j));

            for (k = 0; !match && virXMLTreeChild(cur, "hostname", k); k++)
                match = g_strcmp0(n, virXMLTreeText(virXMLTreeChild(cur, "hostname", k))) == 0;
        }
        if (match) {
            count++;
            found = cur;
        }
    }
    return virNetworkUpdateDNSApply(u, dns, count, found, "DNS HOST record with a matching field",
                                    "DNS HOST", "multiple matching DNS HOST records");
}

static int
virNetworkUpdateDNSTxt(virNetworkUpdate *u)
{
    const char *tname = virXMLTreeAttr(u->item, "name");
    virXMLTree *dns, *cur;
    size_t i;

    if (u->command == VIR_NETWORK_UPDATE_COMMAND_MODIFY)
        return virNetworkUpdateNoModify("DNS TXT records");
    if (virNetworkCheckDNSTxt(u->name, u->item, !virNetworkUpdateIsAdd(u)) < 0)
        return -1;
    dns = virNetworkUpdateDNS(u);
    for (i = 0; (cur = virXMLTreeChild(dns, "txt", i)); i++) {
        if (g_strcmp0(tname, virXMLTreeAttr(cur, "name")) == 0)
            break;
    }
    if (virNetworkUpdateIsAdd(u)) {
        if (cur) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "there is already a DNS TXT record with name '%s' in network %s",
                           tname, u->name);
            return -1;
        }
        virNetworkUpdateInsert(u, dns);
        return 0;
    }
    if (u->command != VIR_NETWORK_UPDATE_COMMAND_DELETE)
        return virNetworkUpdateUnknownCommand(u);
    if (!cur) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "couldn't locate a matching DNS TXT record in network %s", u->name);
        return -1;
    }
    virNetworkUpdateDelete(dns, cur);
    return 0;
}

static int
virNetworkUpdateDNSSrv(virNetworkUpdate *u)
{
    static const char *const keys[] = { "domain", "service", "protocol", "target" };
    bool isAdd = virNetworkUpdateIsAdd(u);
    virXMLTree *dns, *cur, *found = NULL;
    int count = 0;
    size_t i, k;

    if (u->command == VIR_NETWORK_UPDATE_COMMAND_MODIFY)
        return virNetworkUpdateNoModify("DNS SRV records");
    if (virNetworkCheckDNSSrv(u->name, u->item, !isAdd) < 0)
        return -1;
    dns = virNetworkUpdateDNS(u);
    for (i = 0; (cur = virXMLTreeChild(dns, "srv", i)); i++) {
        bool match = true;

        for (k = 0; k < G_N_ELEMENTS(keys) && match; k++) {
            const char *v = virXMLTreeAttr(u->item, keys[k]);
            match = !v || g_strcmp0(v, virXMLTreeAttr(cur, keys[k])) == 0;
        }
        if (match) {
            count++;
            found = cur;
        }
    }
    return virNetworkUpdateDNSApply(u, dns, count, found,
                                    "DNS SRV record matching all specified fields", "DNS SRV",
                                    "multiple DNS SRV records matching all specified fields");
}

static int
virNetworkUpdateForwardInterface(virNetworkUpdate *u)
{
    const char *dev = virXMLTreeAttr(u->item, "dev");
    virXMLTree *fwd = virXMLTreeChild(u->def, "forward", 0);
    virXMLTree *cur = NULL;
    size_t i;

    if (u->command == VIR_NETWORK_UPDATE_COMMAND_MODIFY)
        return virNetworkUpdateNoModify("forward interface entries");
    if (!dev) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing dev attribute in <interface> element");
        return -1;
    }
    for (i = 0; fwd && (cur = virXMLTreeChild(fwd, "interface", i)); i++) {
        if (g_strcmp0(dev, virXMLTreeAttr(cur, "dev")) == 0)
            break;
    }
    if (virNetworkUpdateIsAdd(u)) {
        if (cur) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "there is an existing interface entry in network '%s' that matches \"<interface dev='%s'>\"",
                           u->name, dev);
            return -1;
        }
        if (!fwd) {
            fwd = virXMLTreeAddChild(u->def, virXMLTreeNew("forward"), -1);
            virXMLTreeSetAttr(fwd, "mode", "nat");
        }
        virNetworkUpdateInsert(u, fwd);
        return 0;
    }
    if (u->command != VIR_NETWORK_UPDATE_COMMAND_DELETE)
        return virNetworkUpdateUnknownCommand(u);
    if (!cur) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "couldn't find an interface entry in network '%s' matching <interface dev='%s'>",
                       u->name, dev);
        return -1;
    }
    virNetworkUpdateDelete(fwd, cur);
    return 0;
}

static int
virNetworkUpdatePortGroup(virNetworkUpdate *u)
{
    const char *pname = virXMLTreeAttr(u->item, "name");
    bool isDefault = g_strcmp0(virXMLTreeAttr(u->item, "default"), "yes") == 0;
    virXMLTree *named = NULL, *dflt = NULL, *cur;
    size_t i;

    if (!pname) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "Missing required name attribute in portgroup");
        return -1;
    }
    for (i = 0; (cur = virXMLTreeChild(u->def, "portgroup", i)); i++) {
        if (g_strcmp0(pname, virXMLTreeAttr(cur, "name")) == 0)
            named = cur;
        if (g_strcmp0(virXMLTreeAttr(cur, "default"), "yes") == 0)
            dflt = cur;
    }
    if (!named && !virNetworkUpdateIsAdd(u)) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "couldn't find a portgroup entry in network '%s' matching <portgroup name='%s'>",
                       u->name, pname);
        return -1;
    }
    if (named && virNetworkUpdateIsAdd(u)) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "there is an existing portgroup entry in network '%s' that matches \"<portgroup name='%s'>\"",
                       u->name, pname);
        return -1;
    }
    if (u->command != VIR_NETWORK_UPDATE_COMMAND_DELETE && isDefault && dflt && dflt != named) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "a different portgroup entry in network '%s' is already set as the default. Only one default is allowed.",
                       u->name);
        return -1;
    }
    switch (u->command) {
    case VIR_NETWORK_UPDATE_COMMAND_MODIFY:
        virNetworkUpdateReplace(u->def, named, u->item);
        return 0;
    case VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST:
    case VIR_NETWORK_UPDATE_COMMAND_ADD_LAST:
        virNetworkUpdateInsert(u, u->def);
        return 0;
    case VIR_NETWORK_UPDATE_COMMAND_DELETE:
        virNetworkUpdateDelete(u->def, named);
        return 0;
    default:
        return virNetworkUpdateUnknownCommand(u);
    }
}

/* The element an update section is about, and its handler. */
static const struct {
    unsigned int section;
    const char *element;        /* NULL: libvirt cannot update the section */
    const char *noSupport;      /* its name in "can't update '%s' section" */
} networkSections[] = {
    { VIR_NETWORK_SECTION_BRIDGE, NULL, "bridge" },
    { VIR_NETWORK_SECTION_DOMAIN, NULL, "domain" },
    { VIR_NETWORK_SECTION_IP, NULL, "ip" },
    { VIR_NETWORK_SECTION_IP_DHCP_HOST, "host", NULL },
    { VIR_NETWORK_SECTION_IP_DHCP_RANGE, "range", NULL },
    { VIR_NETWORK_SECTION_FORWARD, NULL, "forward" },
    { VIR_NETWORK_SECTION_FORWARD_INTERFACE, "interface", NULL },
    { VIR_NETWORK_SECTION_FORWARD_PF, NULL, "forward pf" },
    { VIR_NETWORK_SECTION_PORTGROUP, "portgroup", NULL },
    { VIR_NETWORK_SECTION_DNS_HOST, "host", NULL },
    { VIR_NETWORK_SECTION_DNS_TXT, "txt", NULL },
    { VIR_NETWORK_SECTION_DNS_SRV, "srv", NULL },
};

int
virNetworkDefUpdateSection(virXMLTree *def, unsigned int command, unsigned int section,
                           int parentIndex, const char *xml)
{
    g_autoptr(virXMLTree) work = virXMLTreeCopy(def);
    g_autoptr(virXMLTree) item = NULL;
    g_autoptr(virXMLTree) checked = NULL;
    virNetworkUpdate u = { virNetworkDefName(def), work, command, NULL };
    size_t i;
    int rc = -1;

    if (!(item = virXMLTreeParse(xml, "network_update_xml", NULL, VIR_FROM_NETWORK)))
        return -1;
    u.item = item;
    for (i = 0; i < G_N_ELEMENTS(networkSections); i++) {
        if (networkSections[i].section == section)
            break;
    }
    if (i == G_N_ELEMENTS(networkSections)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "can't update unrecognized section of network");
        return -1;
    }
    if (!networkSections[i].element) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "can't update '%s' section of network '%s'",
                       networkSections[i].noSupport, u.name);
        return -1;
    }
    if (strcmp(item->name, networkSections[i].element) != 0) {
        virReportError(VIR_ERR_XML_ERROR,
                       "unexpected element <%s>, expecting <%s>, while updating network '%s'",
                       item->name, networkSections[i].element, u.name);
        return -1;
    }
    switch (section) {
    case VIR_NETWORK_SECTION_IP_DHCP_HOST:
        rc = virNetworkUpdateDHCPHost(&u, parentIndex);
        break;
    case VIR_NETWORK_SECTION_IP_DHCP_RANGE:
        rc = virNetworkUpdateDHCPRange(&u, parentIndex);
        break;
    case VIR_NETWORK_SECTION_FORWARD_INTERFACE:
        rc = virNetworkUpdateForwardInterface(&u);
        break;
    case VIR_NETWORK_SECTION_PORTGROUP:
        rc = virNetworkUpdatePortGroup(&u);
        break;
    case VIR_NETWORK_SECTION_DNS_HOST:
        rc = virNetworkUpdateDNSHost(&u);
        break;
    case VIR_NETWORK_SECTION_DNS_TXT:
        rc = virNetworkUpdateDNSTxt(&u);
        break;
    case VIR_NETWORK_SECTION_DNS_SRV:
        rc = virNetworkUpdateDNSSrv(&u);
        break;
    }
    if (rc < 0)
        return -1;
    /* <forward dev> is the first interface's: derived again */
    if (virXMLTreeChild(work, "forward", 0))
        virXMLTreeSetAttr(virXMLTreeChild(work, "forward", 0), "dev", NULL);
    /* as libvirt, a format / parse round makes sure the result is valid */
    if (!(checked = virNetworkDefCheck(g_steal_pointer(&work))))
        return -1;
    for (i = 0; i < def->nchildren; i++)
        virXMLTreeFree(def->children[i]);
    g_free(def->children);
    def->children = g_steal_pointer(&checked->children);
    def->nchildren = checked->nchildren;
    checked->nchildren = 0;
    return 0;
}
