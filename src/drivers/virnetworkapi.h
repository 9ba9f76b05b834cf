/*
 * virnetworkapi.h: the network API the daemon calls (libvirt's public
 * network API; a network passed as its virNetworkRef). Each function
 * checks its arguments as libvirt's does, refuses modifying calls on a
 * read-only connection, and forwards to the connection's network driver
 * (virnetworkdriver.h), or reports VIR_ERR_NO_SUPPORT. Errors come from
 * VIR_FROM_NETWORK, as libvirt's. Included by virconnect.h.
 */
#pragma once

#include "virobjecttypes.h"

int virConnectNumOfNetworks(virConnect *conn);
int virConnectListNetworks(virConnect *conn, char **names, int maxnames);
int virConnectNumOfDefinedNetworks(virConnect *conn);
int virConnectListDefinedNetworks(virConnect *conn, char **names, int maxnames);
/* *nets (when nets is not NULL): free with virNetworkRefListFree */
int virConnectListAllNetworks(virConnect *conn, virNetworkRef ***nets, unsigned int flags);
virNetworkRef *virNetworkLookupByName(virConnect *conn, const char *name);
virNetworkRef *virNetworkLookupByUUID(virConnect *conn, const unsigned char *uuid);
virNetworkRef *virNetworkCreateXML(virConnect *conn, const char *xml);
virNetworkRef *virNetworkCreateXMLFlags(virConnect *conn, const char *xml, unsigned int flags);
virNetworkRef *virNetworkDefineXML(virConnect *conn, const char *xml);
virNetworkRef *virNetworkDefineXMLFlags(virConnect *conn, const char *xml, unsigned int flags);
int virNetworkUndefine(virConnect *conn, const virNetworkRef *net);
int virNetworkUpdate(virConnect *conn, const virNetworkRef *net, unsigned int command,
                     unsigned int section, int parentIndex, const char *xml, unsigned int flags);
int virNetworkCreate(virConnect *conn, const virNetworkRef *net);
int virNetworkDestroy(virConnect *conn, const virNetworkRef *net);
char *virNetworkGetXMLDesc(virConnect *conn, const virNetworkRef *net, unsigned int flags);
char *virNetworkGetBridgeName(virConnect *conn, const virNetworkRef *net);
int virNetworkGetAutostart(virConnect *conn, const virNetworkRef *net, int *autostart);
int virNetworkSetAutostart(virConnect *conn, const virNetworkRef *net, int autostart);
int virNetworkIsActive(virConnect *conn, const virNetworkRef *net);
int virNetworkIsPersistent(virConnect *conn, const virNetworkRef *net);
int virConnectNetworkEventRegisterAny(virConnect *conn, const virNetworkRef *net, int eventID,
                                      virConnectNetworkEventGenericCallback cb,
                                      void *opaque, virFreeCallback ff);
int virConnectNetworkEventDeregisterAny(virConnect *conn, int callbackID);
