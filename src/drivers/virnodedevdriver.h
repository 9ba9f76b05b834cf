/*
 * virnodedevdriver.h: the node device driver table. One entry per public
 * libvirt node device API, same name less the "vir" prefix; a device is
 * passed as its name (libvirt's wire does the same). NULL entries answer
 * VIR_ERR_NO_SUPPORT (virnodedevapi.c). How a connection gets its table:
 * virobjectdrivers.h.
 */
#pragma once

#include "virobjecttypes.h"

typedef struct _virNodeDeviceDriver virNodeDeviceDriver;
struct _virNodeDeviceDriver {
    const char *name;
    /* A secondary driver's (virobjectdrivers.h). */
    int (*connectOpen)(virConnect *conn);
    int (*connectClose)(virConnect *conn);

    /* cap NULL: every device */
    int (*nodeNumOfDevices)(virConnect *conn, const char *cap, unsigned int flags);
    int (*nodeListDevices)(virConnect *conn, const char *cap, char **names, int maxnames,
                           unsigned int flags);
    int (*connectListAllNodeDevices)(virConnect *conn, virNodeDeviceRef ***devices,
                                     unsigned int flags);
    virNodeDeviceRef *(*nodeDeviceLookupByName)(virConnect *conn, const char *name);
    virNodeDeviceRef *(*nodeDeviceLookupSCSIHostByWWN)(virConnect *conn, const char *wwnn,
                                                       const char *wwpn, unsigned int flags);
    char *(*nodeDeviceGetXMLDesc)(virConnect *conn, const char *name, unsigned int flags);
    /* *parentName NULL: the device has no parent */
    int (*nodeDeviceGetParent)(virConnect *conn, const char *name, char **parentName);
    int (*nodeDeviceNumOfCaps)(virConnect *conn, const char *name);
    int (*nodeDeviceListCaps)(virConnect *conn, const char *name, char **names, int maxnames);
    virNodeDeviceRef *(*nodeDeviceCreateXML)(virConnect *conn, const char *xmlDesc,
                                             unsigned int flags);
    int (*nodeDeviceDestroy)(virConnect *conn, const char *name);

    int (*connectNodeDeviceEventRegisterAny)(virConnect *conn, const virNodeDeviceRef *dev,
                                             int eventID,
                                             virConnectNodeDeviceEventGenericCallback cb,
                                             void *opaque, virFreeCallback ff);
    int (*connectNodeDeviceEventDeregisterAny)(virConnect *conn, int callbackID);
};
