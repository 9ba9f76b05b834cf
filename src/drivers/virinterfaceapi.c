/*
 * virinterfaceapi.c: the interface API over the connection's interface
 * driver, see virinterfaceapi.h.
 */
#include "virapicheck.h"

#define VIR_FROM_THIS VIR_FROM_INTERFACE

#define DRV(conn) ((conn)->objects.iface)
#define CHECK_IFACE(conn, iface, ret) \
    CHECK_OBJECT(conn, iface, name, VIR_ERR_INVALID_INTERFACE, ret)

int
virConnectNumOfInterfaces(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD_TO(DRV(conn), connectNumOfInterfaces, -1, conn);
}

int
virConnectListInterfaces(virConnect *conn, char **names, int maxnames)
{
    CHECK_CONN(conn, -1);
    CHECK_ARRAY(names, maxnames, -1);
    FORWARD_TO(DRV(conn), connectListInterfaces, -1, conn, names, maxnames);
}

int
virConnectNumOfDefinedInterfaces(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD_TO(DRV(conn), connectNumOfDefinedInterfaces, -1, conn);
}

int
virConnectListDefinedInterfaces(virConnect *conn, char **names, int maxnames)
{
    CHECK_CONN(conn, -1);
    CHECK_ARRAY(names, maxnames, -1);
    FORWARD_TO(DRV(conn), connectListDefinedInterfaces, -1, conn, names, maxnames);
}

int
virConnectListAllInterfaces(virConnect *conn, virInterfaceRef ***ifaces, unsigned int flags)
{
    CHECK_CONN(conn, -1);
    FORWARD_LIST(DRV(conn), connectListAllInterfaces, virInterfaceRefListFree, ifaces, flags,
                 conn);
}

virInterfaceRef *
virInterfaceLookupByName(virConnect *conn, const char *name)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(name, NULL);
    FORWARD_TO(DRV(conn), interfaceLookupByName, NULL, conn, name);
}

virInterfaceRef *
virInterfaceLookupByMACString(virConnect *conn, const char *mac)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(mac, NULL);
    FORWARD_TO(DRV(conn), interfaceLookupByMACString, NULL, conn, mac);
}

char *
virInterfaceGetXMLDesc(virConnect *conn, const virInterfaceRef *iface, unsigned int flags)
{
    CHECK_IFACE(conn, iface, NULL);
    FORWARD_TO(DRV(conn), interfaceGetXMLDesc, NULL, conn, iface, flags);
}

virInterfaceRef *
virInterfaceDefineXML(virConnect *conn, const char *xml, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_READONLY(conn, NULL);
    CHECK_NONNULL(xml, NULL);
    FORWARD_TO(DRV(conn), interfaceDefineXML, NULL, conn, xml, flags);
}

int
virInterfaceUndefine(virConnect *conn, const virInterfaceRef *iface)
{
    CHECK_IFACE(conn, iface, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_TO(DRV(conn), interfaceUndefine, -1, conn, iface);
}

int
virInterfaceCreate(virConnect *conn, const virInterfaceRef *iface, unsigned int flags)
{
    CHECK_IFACE(conn, iface, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_TO(DRV(conn), interfaceCreate, -1, conn, iface, flags);
}

int
virInterfaceDestroy(virConnect *conn, const virInterfaceRef *iface, unsigned int flags)
{
    CHECK_IFACE(conn, iface, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_TO(DRV(conn), interfaceDestroy, -1, conn, iface, flags);
}

int
virInterfaceIsActive(virConnect *conn, const virInterfaceRef *iface)
{
    CHECK_IFACE(conn, iface, -1);
    FORWARD_TO(DRV(conn), interfaceIsActive, -1, conn, iface);
}

/* A transaction step: (flags) on the connection. */
#define CHANGE_STEP(entry) \
    do { \
        CHECK_CONN(conn, -1); \
        CHECK_READONLY(conn, -1); \
        FORWARD_TO(DRV(conn), entry, -1, conn, flags); \
    } while (0)

int
virInterfaceChangeBegin(virConnect *conn, unsigned int flags)
{
    CHANGE_STEP(interfaceChangeBegin);
}

int
virInterfaceChangeCommit(virConnect *conn, unsigned int flags)
{
    CHANGE_STEP(interfaceChangeCommit);
}

int
virInterfaceChangeRollback(virConnect *conn, unsigned int flags)
{
    CHANGE_STEP(interfaceChangeRollback);
}
