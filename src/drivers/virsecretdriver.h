/*
 * virsecretdriver.h: the secret driver table. One entry per public libvirt
 * secret API, same name less the "vir" prefix, same arguments (a secret
 * passed as its virSecretRef); NULL entries answer VIR_ERR_NO_SUPPORT
 * (virsecretapi.c). How a connection gets its table: virobjectdrivers.h.
 */
#pragma once

#include <stddef.h>

#include "virobjecttypes.h"

typedef struct _virSecretDriver virSecretDriver;
struct _virSecretDriver {
    const char *name;
    /* A secondary driver's (virobjectdrivers.h). */
    int (*connectOpen)(virConnect *conn);
    int (*connectClose)(virConnect *conn);

    int (*connectNumOfSecrets)(virConnect *conn);
    /* uuids: UUID strings */
    int (*connectListSecrets)(virConnect *conn, char **uuids, int maxuuids);
    int (*connectListAllSecrets)(virConnect *conn, virSecretRef ***secrets, unsigned int flags);
    virSecretRef *(*secretLookupByUUID)(virConnect *conn, const unsigned char *uuid);
    virSecretRef *(*secretLookupByUsage)(virConnect *conn, int usageType, const char *usageID);
    virSecretRef *(*secretDefineXML)(virConnect *conn, const char *xml, unsigned int flags);
    char *(*secretGetXMLDesc)(virConnect *conn, const virSecretRef *secret, unsigned int flags);
    int (*secretSetValue)(virConnect *conn, const virSecretRef *secret,
                          const unsigned char *value, size_t valuelen, unsigned int flags);
    /* *value: valuelen bytes the caller frees (wipe them first) */
    int (*secretGetValue)(virConnect *conn, const virSecretRef *secret, unsigned char **value,
                          size_t *valuelen, unsigned int flags);
    int (*secretUndefine)(virConnect *conn, const virSecretRef *secret);

    int (*connectSecretEventRegisterAny)(virConnect *conn, const virSecretRef *secret,
                                         int eventID, virConnectSecretEventGenericCallback cb,
                                         void *opaque, virFreeCallback ff);
    int (*connectSecretEventDeregisterAny)(virConnect *conn, int callbackID);
};
