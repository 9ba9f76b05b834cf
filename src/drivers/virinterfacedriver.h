/*
 * virinterfacedriver.h: the host interface driver table. One entry per
 * public libvirt interface API, same name less the "vir" prefix, same
 * arguments; NULL entries answer VIR_ERR_NO_SUPPORT (virinterfaceapi.c).
 * How a connection gets its table: virobjectdrivers.h.
 */
#pragma once

#include "virobjecttypes.h"

typedef struct _virInterfaceDriver virInterfaceDriver;
struct _virInterfaceDriver {
    const char *name;
    /* A secondary driver's (virobjectdrivers.h). */
    int (*connectOpen)(virConnect *conn);
    int (*connectClose)(virConnect *conn);

    int (*connectNumOfInterfaces)(virConnect *conn);
    int (*connectListInterfaces)(virConnect *conn, char **names, int maxnames);
    int (*connectNumOfDefinedInterfaces)(virConnect *conn);
    int (*connectListDefinedInterfaces)(virConnect *conn, char **names, int maxnames);
    int (*connectListAllInterfaces)(virConnect *conn, virInterfaceRef ***ifaces,
                                    unsigned int flags);
    virInterfaceRef *(*interfaceLookupByName)(virConnect *conn, const char *name);
    virInterfaceRef *(*interfaceLookupByMACString)(virConnect *conn, const char *mac);
    char *(*interfaceGetXMLDesc)(virConnect *conn, const virInterfaceRef *iface,
                                 unsigned int flags);
    virInterfaceRef *(*interfaceDefineXML)(virConnect *conn, const char *xml, unsigned int flags);
    int (*interfaceUndefine)(virConnect *conn, const virInterfaceRef *iface);
    int (*interfaceCreate)(virConnect *conn, const virInterfaceRef *iface, unsigned int flags);
    int (*interfaceDestroy)(virConnect *conn, const virInterfaceRef *iface, unsigned int flags);
    int (*interfaceIsActive)(virConnect *conn, const virInterfaceRef *iface);
    int (*interfaceChangeBegin)(virConnect *conn, unsigned int flags);
    int (*interfaceChangeCommit)(virConnect *conn, unsigned int flags);
    int (*interfaceChangeRollback)(virConnect *conn, unsigned int flags);
};
