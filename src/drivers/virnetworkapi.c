/*
 * virnetworkapi.c: the network API over the connection's network driver,
 * see virnetworkapi.h.
 */
#include "virapicheck.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

#define DRV(conn) ((conn)->objects.network)
#define CHECK_NET(conn, net, ret) CHECK_OBJECT(conn, net, name, VIR_ERR_INVALID_NETWORK, ret)

int
virConnectNumOfNetworks(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD_TO(DRV(conn), connectNumOfNetworks, -1, conn);
}

int
virConnectListNetworks(virConnect *conn, char **names, int maxnames)
{
    CHECK_CONN(conn, -1);
    CHECK_ARRAY(names, maxnames, -1);
    FORWARD_TO(DRV(conn), connectListNetworks, -1, conn, names, maxnames);
}

int
virConnectNumOfDefinedNetworks(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD_TO(DRV(conn), connectNumOfDefinedNetworks, -1, conn);
}

int
virConnectListDefinedNetworks(virConnect *conn, char **names, int maxnames)
{
    CHECK_CONN(conn, -1);
    CHECK_ARRAY(names, maxnames, -1);
    FORWARD_TO(DRV(conn), connectListDefinedNetworks, -1, conn, names, maxnames);
}

int
virConnectListAllNetworks(virConnect *conn, virNetworkRef ***nets, unsigned int flags)
{
    CHECK_CONN(conn, -1);
    FORWARD_LIST(DRV(conn), connectListAllNetworks, virNetworkRefListFree, nets, flags, conn);
}

virNetworkRef *
virNetworkLookupByName(virConnect *conn, const char *name)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(name, NULL);
    FORWARD_TO(DRV(conn), networkLookupByName, NULL, conn, name);
}

virNetworkRef *
virNetworkLookupByUUID(virConnect *conn, const unsigned char *uuid)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(uuid, NULL);
    FORWARD_TO(DRV(conn), networkLookupByUUID, NULL, conn, uuid);
}

virNetworkRef *
virNetworkCreateXML(virConnect *conn, const char *xml)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(xml, NULL);
    CHECK_READONLY(conn, NULL);
    FORWARD_PLAIN_TO(DRV(conn), networkCreateXML, networkCreateXMLFlags, NULL, conn, xml);
}

virNetworkRef *
virNetworkCreateXMLFlags(virConnect *conn, const char *xml, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(xml, NULL);
    CHECK_READONLY(conn, NULL);
    FORWARD_TO(DRV(conn), networkCreateXMLFlags, NULL, conn, xml, flags);
}

virNetworkRef *
virNetworkDefineXML(virConnect *conn, const char *xml)
{
    CHECK_CONN(conn, NULL);
    CHECK_READONLY(conn, NULL);
    CHECK_NONNULL(xml, NULL);
    FORWARD_PLAIN_TO(DRV(conn), networkDefineXML, networkDefineXMLFlags, NULL, conn, xml);
}

virNetworkRef *
virNetworkDefineXMLFlags(virConnect *conn, const char *xml, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_READONLY(conn, NULL);
    CHECK_NONNULL(xml, NULL);
    FORWARD_TO(DRV(conn), networkDefineXMLFlags, NULL, conn, xml, flags);
}

int
virNetworkUndefine(virConnect *conn, const virNetworkRef *net)
{
    CHECK_NET(conn, net, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_TO(DRV(conn), networkUndefine, -1, conn, net);
}

int
virNetworkUpdate(virConnect *conn, const virNetworkRef *net, unsigned int command,
                 unsigned int section, int parentIndex, const char *xml, unsigned int flags)
{
    CHECK_NET(conn, net, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(xml, -1);
    FORWARD_TO(DRV(conn), networkUpdate, -1, conn, net, command, section, parentIndex, xml,
               flags);
}

int
virNetworkCreate(virConnect *conn, const virNetworkRef *net)
{
    CHECK_NET(conn, net, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_TO(DRV(conn), networkCreate, -1, conn, net);
}

int
virNetworkDestroy(virConnect *conn, const virNetworkRef *net)
{
    CHECK_NET(conn, net, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_TO(DRV(conn), networkDestroy, -1, conn, net);
}

char *
virNetworkGetXMLDesc(virConnect *conn, const virNetworkRef *net, unsigned int flags)
{
    CHECK_NET(conn, net, NULL);
    FORWARD_TO(DRV(conn), networkGetXMLDesc, NULL, conn, net, flags);
}

char *
virNetworkGetBridgeName(virConnect *conn, const virNetworkRef *net)
{
    CHECK_NET(conn, net, NULL);
    FORWARD_TO(DRV(conn), networkGetBridgeName, NULL, conn, net);
}

int
virNetworkGetAutostart(virConnect *conn, const virNetworkRef *net, int *autostart)
{
    CHECK_NET(conn, net, -1);
    CHECK_NONNULL(autostart, -1);
    FORWARD_TO(DRV(conn), networkGetAutostart, -1, conn, net, autostart);
}

int
virNetworkSetAutostart(virConnect *conn, const virNetworkRef *net, int autostart)
{
    CHECK_NET(conn, net, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_TO(DRV(conn), networkSetAutostart, -1, conn, net, autostart);
}

int
virNetworkIsActive(virConnect *conn, const virNetworkRef *net)
{
    CHECK_NET(conn, net, -1);
    FORWARD_TO(DRV(conn), networkIsActive, -1, conn, net);
}

int
virNetworkIsPersistent(virConnect *conn, const virNetworkRef *net)
{
    CHECK_NET(conn, net, -1);
    FORWARD_TO(DRV(conn), networkIsPersistent, -1, conn, net);
}

int
virConnectNetworkEventRegisterAny(virConnect *conn, const virNetworkRef *net, int eventID,
                                  virConnectNetworkEventGenericCallback cb,
                                  void *opaque, virFreeCallback ff)
{
    CHECK_CONN(conn, -1);
    if (net)
        CHECK_NET(conn, net, -1);
    CHECK_EVENT_REGISTRATION(eventID, VIR_NETWORK_EVENT_ID_LAST, cb, -1);
    FORWARD_TO(DRV(conn), connectNetworkEventRegisterAny, -1, conn, net, eventID, cb,
               opaque, ff);
}

int
virConnectNetworkEventDeregisterAny(virConnect *conn, int callbackID)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNEGATIVE(callbackID, -1);
    FORWARD_TO(DRV(conn), connectNetworkEventDeregisterAny, -1, conn, callbackID);
}
