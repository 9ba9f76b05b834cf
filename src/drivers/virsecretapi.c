/*
 * virsecretapi.c: the secret API over the connection's secret driver, see
 * virsecretapi.h.
 */
#include "virapicheck.h"

#define VIR_FROM_THIS VIR_FROM_SECRET

#define DRV(conn) ((conn)->objects.secret)
#define CHECK_SECRET(conn, secret, ret) \
    CHECK_OBJECT(conn, secret, usageID, VIR_ERR_INVALID_SECRET, ret)

int
virConnectNumOfSecrets(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD_TO(DRV(conn), connectNumOfSecrets, -1, conn);
}

int
virConnectListSecrets(virConnect *conn, char **uuids, int maxuuids)
{
    CHECK_CONN(conn, -1);
    CHECK_ARRAY(uuids, maxuuids, -1);
    FORWARD_TO(DRV(conn), connectListSecrets, -1, conn, uuids, maxuuids);
}

int
virConnectListAllSecrets(virConnect *conn, virSecretRef ***secrets, unsigned int flags)
{
    CHECK_CONN(conn, -1);
    FORWARD_LIST(DRV(conn), connectListAllSecrets, virSecretRefListFree, secrets, flags, conn);
}

virSecretRef *
virSecretLookupByUUID(virConnect *conn, const unsigned char *uuid)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(uuid, NULL);
    FORWARD_TO(DRV(conn), secretLookupByUUID, NULL, conn, uuid);
}

virSecretRef *
virSecretLookupByUsage(virConnect *conn, int usageType, const char *usageID)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(usageID, NULL);
    FORWARD_TO(DRV(conn), secretLookupByUsage, NULL, conn, usageType, usageID);
}

virSecretRef *
virSecretDefineXML(virConnect *conn, const char *xml, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_READONLY(conn, NULL);
    CHECK_NONNULL(xml, NULL);
    FORWARD_TO(DRV(conn), secretDefineXML, NULL, conn, xml, flags);
}

char *
virSecretGetXMLDesc(virConnect *conn, const virSecretRef *secret, unsigned int flags)
{
    CHECK_SECRET(conn, secret, NULL);
    FORWARD_TO(DRV(conn), secretGetXMLDesc, NULL, conn, secret, flags);
}

int
virSecretSetValue(virConnect *conn, const virSecretRef *secret, const unsigned char *value,
                  size_t valuelen, unsigned int flags)
{
    CHECK_SECRET(conn, secret, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(value, -1);
    FORWARD_TO(DRV(conn), secretSetValue, -1, conn, secret, value, valuelen, flags);
}

int
virSecretGetValue(virConnect *conn, const virSecretRef *secret, unsigned char **value,
                  size_t *valuelen, unsigned int flags)
{
    CHECK_SECRET(conn, secret, -1);
    /* libvirt: a value is never given out on a read-only connection */
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(value, -1);
    CHECK_NONNULL(valuelen, -1);
    *value = NULL;
    *valuelen = 0;
    FORWARD_TO(DRV(conn), secretGetValue, -1, conn, secret, value, valuelen, flags);
}

int
virSecretUndefine(virConnect *conn, const virSecretRef *secret)
{
    CHECK_SECRET(conn, secret, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_TO(DRV(conn), secretUndefine, -1, conn, secret);
}

int
virConnectSecretEventRegisterAny(virConnect *conn, const virSecretRef *secret, int eventID,
                                 virConnectSecretEventGenericCallback cb,
                                 void *opaque, virFreeCallback ff)
{
    CHECK_CONN(conn, -1);
    if (secret)
        CHECK_SECRET(conn, secret, -1);
    CHECK_EVENT_REGISTRATION(eventID, VIR_SECRET_EVENT_ID_LAST, cb, -1);
    FORWARD_TO(DRV(conn), connectSecretEventRegisterAny, -1, conn, secret, eventID, cb,
               opaque, ff);
}

int
virConnectSecretEventDeregisterAny(virConnect *conn, int callbackID)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNEGATIVE(callbackID, -1);
    FORWARD_TO(DRV(conn), connectSecretEventDeregisterAny, -1, conn, callbackID);
}
