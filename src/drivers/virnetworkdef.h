/*
 * virnetworkdef.h: a network definition (the <network> XML), kept as a
 * virXMLTree in libvirt's shape (virxmltree.h).
 *
 * Parsing checks what libvirt's network parser checks for the elements
 * it models here (name, uuid, forward modes and their constraints,
 * bridge, mtu, mac, domain, dns, ip / dhcp, routes, portgroups), with its
 * error codes and messages, fills its defaults (a random UUID, forward
 * mode nat, the bridge's stp and delay in the modes that have a bridge)
 * and writes addresses back the way libvirt does. Elements libvirt keeps
 * without looking in (metadata, vlan, bandwidth, virtualport) are kept as
 * written.
 */
#pragma once

#include "virxmltree.h"
#include "virpublic.h"

/* xml: a whole document; NULL with libvirt's error (VIR_FROM_NETWORK). */
virXMLTree *virNetworkDefParseString(const char *xml);
/* A <network> element of a document parsed by the caller (node files). */
virXMLTree *virNetworkDefParseNode(xmlNodePtr node);
char *virNetworkDefFormat(const virXMLTree *def);

const char *virNetworkDefName(const virXMLTree *def);
void virNetworkDefUUID(const virXMLTree *def, unsigned char *uuid);
/* NULL when the network has no bridge name */
const char *virNetworkDefBridge(const virXMLTree *def);

/* libvirt's virNetworkDefUpdateSection: apply one update (command,
 * section: virpublic.h) given as XML to def; -1 with libvirt's error, def
 * unchanged. */
int virNetworkDefUpdateSection(virXMLTree *def, unsigned int command, unsigned int section,
                               int parentIndex, const char *xml);
