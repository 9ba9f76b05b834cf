/*
 * virnodedevapi.c: the node device API over the connection's node device
 * driver, see virnodedevapi.h.
 */
#include "virapicheck.h"

#define VIR_FROM_THIS VIR_FROM_NODEDEV

#define DRV(conn) ((conn)->objects.nodeDevice)
/* A device is its name: libvirt checks the device object. */
#define CHECK_DEV(conn, name, ret) \
    do { \
        CHECK_CONN(conn, ret); \
        if (!(name)) { \
            virReportError(VIR_ERR_INVALID_NODE_DEVICE, "%s", __func__); \
            return ret; \
        } \
    } while (0)

int
virNodeNumOfDevices(virConnect *conn, const char *cap, unsigned int flags)
{
    CHECK_CONN(conn, -1);
    FORWARD_TO(DRV(conn), nodeNumOfDevices, -1, conn, cap, flags);
}

int
virNodeListDevices(virConnect *conn, const char *cap, char **names, int maxnames,
                   unsigned int flags)
{
    CHECK_CONN(conn, -1);
    CHECK_ARRAY(names, maxnames, -1);
    FORWARD_TO(DRV(conn), nodeListDevices, -1, conn, cap, names, maxnames, flags);
}

int
virConnectListAllNodeDevices(virConnect *conn, virNodeDeviceRef ***devices, unsigned int flags)
{
    CHECK_CONN(conn, -1);
    FORWARD_LIST(DRV(conn), connectListAllNodeDevices, virNodeDeviceRefListFree, devices,
                 flags, conn);
}

virNodeDeviceRef *
virNodeDeviceLookupByName(virConnect *conn, const char *name)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(name, NULL);
    FORWARD_TO(DRV(conn), nodeDeviceLookupByName, NULL, conn, name);
}

virNodeDeviceRef *
virNodeDeviceLookupSCSIHostByWWN(virConnect *conn, const char *wwnn, const char *wwpn,
                                 unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(wwnn, NULL);
    CHECK_NONNULL(wwpn, NULL);
    FORWARD_TO(DRV(conn), nodeDeviceLookupSCSIHostByWWN, NULL, conn, wwnn, wwpn, flags);
}

char *
virNodeDeviceGetXMLDesc(virConnect *conn, const char *name, unsigned int flags)
{
    CHECK_DEV(conn, name, NULL);
    FORWARD_TO(DRV(conn), nodeDeviceGetXMLDesc, NULL, conn, name, flags);
}

int
virNodeDeviceGetParent(virConnect *conn, const char *name, char **parentName)
{
    CHECK_DEV(conn, name, -1);
    CHECK_NONNULL(parentName, -1);
    *parentName = NULL;
    FORWARD_TO(DRV(conn), nodeDeviceGetParent, -1, conn, name, parentName);
}

int
virNodeDeviceNumOfCaps(virConnect *conn, const char *name)
{
    CHECK_DEV(conn, name, -1);
    FORWARD_TO(DRV(conn), nodeDeviceNumOfCaps, -1, conn, name);
}

int
virNodeDeviceListCaps(virConnect *conn, const char *name, char **names, int maxnames)
{
    CHECK_DEV(conn, name, -1);
    CHECK_ARRAY(names, maxnames, -1);
    FORWARD_TO(DRV(conn), nodeDeviceListCaps, -1, conn, name, names, maxnames);
}

virNodeDeviceRef *
virNodeDeviceCreateXML(virConnect *conn, const char *xmlDesc, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_READONLY(conn, NULL);
    CHECK_NONNULL(xmlDesc, NULL);
    FORWARD_TO(DRV(conn), nodeDeviceCreateXML, NULL, conn, xmlDesc, flags);
}

int
virNodeDeviceDestroy(virConnect *conn, const char *name)
{
    CHECK_DEV(conn, name, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_TO(DRV(conn), nodeDeviceDestroy, -1, conn, name);
}

int
virConnectNodeDeviceEventRegisterAny(virConnect *conn, const virNodeDeviceRef *dev, int eventID,
                                     virConnectNodeDeviceEventGenericCallback cb,
                                     void *opaque, virFreeCallback ff)
{
    CHECK_CONN(conn, -1);
    if (dev)
        CHECK_DEV(conn, dev->name, -1);
    CHECK_EVENT_REGISTRATION(eventID, VIR_NODE_DEVICE_EVENT_ID_LAST, cb, -1);
    FORWARD_TO(DRV(conn), connectNodeDeviceEventRegisterAny, -1, conn, dev, eventID, cb,
               opaque, ff);
}

int
virConnectNodeDeviceEventDeregisterAny(virConnect *conn, int callbackID)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNEGATIVE(callbackID, -1);
    FORWARD_TO(DRV(conn), connectNodeDeviceEventDeregisterAny, -1, conn, callbackID);
}
