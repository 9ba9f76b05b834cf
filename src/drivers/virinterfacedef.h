/*
 * virinterfacedef.h: a host interface definition (the <interface> XML of
 * libvirt's interface API), kept as a virXMLTree in libvirt's shape
 * (virxmltree.h): ethernet, bridge, bond and vlan interfaces, their start
 * mode, MTU, protocols and addresses, links, and the interfaces a bridge
 * or bond holds (one level of nesting deeper than libvirt needs).
 * Errors are libvirt's codes and messages (VIR_FROM_INTERFACE).
 */
#pragma once

#include "virxmltree.h"

virXMLTree *virInterfaceDefParseString(const char *xml);
virXMLTree *virInterfaceDefParseNode(xmlNodePtr node);
char *virInterfaceDefFormat(const virXMLTree *def);
const char *virInterfaceDefName(const virXMLTree *def);
/* The MAC address (ethernet interfaces), or NULL */
const char *virInterfaceDefMAC(const virXMLTree *def);
