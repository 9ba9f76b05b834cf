/*
 * virsecretapi.h: the secret API the daemon calls (libvirt's public secret
 * API; a secret passed as its virSecretRef). Each function checks its
 * arguments as libvirt's does, refuses modifying calls and reading a value
 * on a read-only connection, and forwards to the connection's secret
 * driver (virsecretdriver.h), or reports VIR_ERR_NO_SUPPORT. Errors come
 * from VIR_FROM_SECRET. Included by virconnect.h.
 */
#pragma once

#include <stddef.h>

#include "virobjecttypes.h"

int virConnectNumOfSecrets(virConnect *conn);
/* uuids: UUID strings the caller frees */
int virConnectListSecrets(virConnect *conn, char **uuids, int maxuuids);
int virConnectListAllSecrets(virConnect *conn, virSecretRef ***secrets, unsigned int flags);
virSecretRef *virSecretLookupByUUID(virConnect *conn, const unsigned char *uuid);
virSecretRef *virSecretLookupByUsage(virConnect *conn, int usageType, const char *usageID);
virSecretRef *virSecretDefineXML(virConnect *conn, const char *xml, unsigned int flags);
char *virSecretGetXMLDesc(virConnect *conn, const virSecretRef *secret, unsigned int flags);
int virSecretSetValue(virConnect *conn, const virSecretRef *secret, const unsigned char *value,
                      size_t valuelen, unsigned int flags);
/* *value: *valuelen bytes, the caller wipes and frees them */
int virSecretGetValue(virConnect *conn, const virSecretRef *secret, unsigned char **value,
                      size_t *valuelen, unsigned int flags);
int virSecretUndefine(virConnect *conn, const virSecretRef *secret);
int virConnectSecretEventRegisterAny(virConnect *conn, const virSecretRef *secret, int eventID,
                                     virConnectSecretEventGenericCallback cb,
                                     void *opaque, virFreeCallback ff);
int virConnectSecretEventDeregisterAny(virConnect *conn, int callbackID);
