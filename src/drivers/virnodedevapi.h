/*
 * virnodedevapi.h: the node device API the daemon calls (libvirt's public
 * node device API; a device passed as its name, as on libvirt's wire).
 * Each function checks its arguments as libvirt's does, refuses modifying
 * calls on a read-only connection, and forwards to the connection's node
 * device driver (virnodedevdriver.h), or reports VIR_ERR_NO_SUPPORT.
 * Errors come from VIR_FROM_NODEDEV. Included by virconnect.h.
 */
#pragma once

#include "virobjecttypes.h"

int virNodeNumOfDevices(virConnect *conn, const char *cap, unsigned int flags);
int virNodeListDevices(virConnect *conn, const char *cap, char **names, int maxnames,
                       unsigned int flags);
int virConnectListAllNodeDevices(virConnect *conn, virNodeDeviceRef ***devices,
                                 unsigned int flags);
virNodeDeviceRef *virNodeDeviceLookupByName(virConnect *conn, const char *name);
virNodeDeviceRef *virNodeDeviceLookupSCSIHostByWWN(virConnect *conn, const char *wwnn,
                                                   const char *wwpn, unsigned int flags);
char *virNodeDeviceGetXMLDesc(virConnect *conn, const char *name, unsigned int flags);
/* 0 with *parentName NULL: no parent (libvirt's API returns NULL then,
 * without an error) */
int virNodeDeviceGetParent(virConnect *conn, const char *name, char **parentName);
int virNodeDeviceNumOfCaps(virConnect *conn, const char *name);
int virNodeDeviceListCaps(virConnect *conn, const char *name, char **names, int maxnames);
virNodeDeviceRef *virNodeDeviceCreateXML(virConnect *conn, const char *xmlDesc,
                                         unsigned int flags);
int virNodeDeviceDestroy(virConnect *conn, const char *name);
int virConnectNodeDeviceEventRegisterAny(virConnect *conn, const virNodeDeviceRef *dev,
                                         int eventID,
                                         virConnectNodeDeviceEventGenericCallback cb,
                                         void *opaque, virFreeCallback ff);
int virConnectNodeDeviceEventDeregisterAny(virConnect *conn, int callbackID);
