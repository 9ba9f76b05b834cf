/*
 * virnetworkdriver.h: the network driver table. One entry per public
 * libvirt network API, same name less the "vir" prefix, same arguments (a
 * network passed as its virNetworkRef); NULL entries answer
 * VIR_ERR_NO_SUPPORT (virnetworkapi.c does that). How a connection gets
 * its table: virobjectdrivers.h.
 */
#pragma once

#include "virobjecttypes.h"

typedef struct _virNetworkDriver virNetworkDriver;
struct _virNetworkDriver {
    const char *name;
    /* A secondary driver's (virobjectdrivers.h): a connection takes it / lets
     * it go (purge its event registrations). */
    int (*connectOpen)(virConnect *conn);
    int (*connectClose)(virConnect *conn);

    int (*connectNumOfNetworks)(virConnect *conn);
    int (*connectListNetworks)(virConnect *conn, char **names, int maxnames);
    int (*connectNumOfDefinedNetworks)(virConnect *conn);
    int (*connectListDefinedNetworks)(virConnect *conn, char **names, int maxnames);
    /* *nets: NULL-terminated, the caller frees with virNetworkRefListFree */
    int (*connectListAllNetworks)(virConnect *conn, virNetworkRef ***nets, unsigned int flags);
    virNetworkRef *(*networkLookupByName)(virConnect *conn, const char *name);
    virNetworkRef *(*networkLookupByUUID)(virConnect *conn, const unsigned char *uuid);
    virNetworkRef *(*networkCreateXML)(virConnect *conn, const char *xml);
    virNetworkRef *(*networkCreateXMLFlags)(virConnect *conn, const char *xml, unsigned int flags);
    virNetworkRef *(*networkDefineXML)(virConnect *conn, const char *xml);
    virNetworkRef *(*networkDefineXMLFlags)(virConnect *conn, const char *xml, unsigned int flags);
    int (*networkUndefine)(virConnect *conn, const virNetworkRef *net);
    int (*networkUpdate)(virConnect *conn, const virNetworkRef *net, unsigned int command,
                         unsigned int section, int parentIndex, const char *xml,
                         unsigned int flags);
    int (*networkCreate)(virConnect *conn, const virNetworkRef *net);
    int (*networkDestroy)(virConnect *conn, const virNetworkRef *net);
    char *(*networkGetXMLDesc)(virConnect *conn, const virNetworkRef *net, unsigned int flags);
    char *(*networkGetBridgeName)(virConnect *conn, const virNetworkRef *net);
    int (*networkGetAutostart)(virConnect *conn, const virNetworkRef *net, int *autostart);
    int (*networkSetAutostart)(virConnect *conn, const virNetworkRef *net, int autostart);
    int (*networkIsActive)(virConnect *conn, const virNetworkRef *net);
    int (*networkIsPersistent)(virConnect *conn, const virNetworkRef *net);
    /* returns a callback ID >= 0; net NULL: every network */
    int (*connectNetworkEventRegisterAny)(virConnect *conn, const virNetworkRef *net,
                                          int eventID,
                                          virConnectNetworkEventGenericCallback cb,
                                          void *opaque, virFreeCallback ff);
    int (*connectNetworkEventDeregisterAny)(virConnect *conn, int callbackID);
};
