/*
 * virinterfaceapi.h: the host interface API the daemon calls (libvirt's
 * public interface API; an interface passed as its virInterfaceRef). Each
 * function checks its arguments as libvirt's does, refuses modifying calls
 * on a read-only connection, and forwards to the connection's interface
 * driver (virinterfacedriver.h), or reports VIR_ERR_NO_SUPPORT. Errors
 * come from VIR_FROM_INTERFACE. Included by virconnect.h.
 */
#pragma once

#include "virobjecttypes.h"

int virConnectNumOfInterfaces(virConnect *conn);
int virConnectListInterfaces(virConnect *conn, char **names, int maxnames);
int virConnectNumOfDefinedInterfaces(virConnect *conn);
int virConnectListDefinedInterfaces(virConnect *conn, char **names, int maxnames);
int virConnectListAllInterfaces(virConnect *conn, virInterfaceRef ***ifaces, unsigned int flags);
virInterfaceRef *virInterfaceLookupByName(virConnect *conn, const char *name);
virInterfaceRef *virInterfaceLookupByMACString(virConnect *conn, const char *mac);
char *virInterfaceGetXMLDesc(virConnect *conn, const virInterfaceRef *iface, unsigned int flags);
virInterfaceRef *virInterfaceDefineXML(virConnect *conn, const char *xml, unsigned int flags);
int virInterfaceUndefine(virConnect *conn, const virInterfaceRef *iface);
int virInterfaceCreate(virConnect *conn, const virInterfaceRef *iface, unsigned int flags);
int virInterfaceDestroy(virConnect *conn, const virInterfaceRef *iface, unsigned int flags);
int virInterfaceIsActive(virConnect *conn, const virInterfaceRef *iface);
int virInterfaceChangeBegin(virConnect *conn, unsigned int flags);
int virInterfaceChangeCommit(virConnect *conn, unsigned int flags);
int virInterfaceChangeRollback(virConnect *conn, unsigned int flags);
