/*
 * virstoragedriver.h: the storage driver table (pools and volumes). One
 * entry per public libvirt storage API, same name less the "vir" prefix,
 * same arguments (a pool / volume passed as its handle); NULL entries
 * answer VIR_ERR_NO_SUPPORT (virstorageapi.c does that). How a connection
 * gets its table: virobjectdrivers.h.
 */
#pragma once

#include "virobjecttypes.h"

typedef struct _virStorageDriver virStorageDriver;
struct _virStorageDriver {
    const char *name;
    /* A secondary driver's (virobjectdrivers.h). */
    int (*connectOpen)(virConnect *conn);
    int (*connectClose)(virConnect *conn);

    int (*connectNumOfStoragePools)(virConnect *conn);
    int (*connectListStoragePools)(virConnect *conn, char **names, int maxnames);
    int (*connectNumOfDefinedStoragePools)(virConnect *conn);
    int (*connectListDefinedStoragePools)(virConnect *conn, char **names, int maxnames);
    int (*connectListAllStoragePools)(virConnect *conn, virStoragePoolRef ***pools,
                                      unsigned int flags);
    char *(*connectFindStoragePoolSources)(virConnect *conn, const char *type,
                                           const char *srcSpec, unsigned int flags);
    virStoragePoolRef *(*storagePoolLookupByName)(virConnect *conn, const char *name);
    virStoragePoolRef *(*storagePoolLookupByUUID)(virConnect *conn, const unsigned char *uuid);
    virStoragePoolRef *(*storagePoolLookupByVolume)(virConnect *conn,
                                                    const virStorageVolRef *vol);
    virStoragePoolRef *(*storagePoolLookupByTargetPath)(virConnect *conn, const char *path);
    virStoragePoolRef *(*storagePoolCreateXML)(virConnect *conn, const char *xml,
                                               unsigned int flags);
    virStoragePoolRef *(*storagePoolDefineXML)(virConnect *conn, const char *xml,
                                               unsigned int flags);
    int (*storagePoolBuild)(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags);
    int (*storagePoolUndefine)(virConnect *conn, const virStoragePoolRef *pool);
    int (*storagePoolCreate)(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags);
    int (*storagePoolDestroy)(virConnect *conn, const virStoragePoolRef *pool);
    int (*storagePoolDelete)(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags);
    int (*storagePoolRefresh)(virConnect *conn, const virStoragePoolRef *pool,
                              unsigned int flags);
    int (*storagePoolGetInfo)(virConnect *conn, const virStoragePoolRef *pool,
                              virStoragePoolInfo *info);
    char *(*storagePoolGetXMLDesc)(virConnect *conn, const virStoragePoolRef *pool,
                                   unsigned int flags);
    int (*storagePoolGetAutostart)(virConnect *conn, const virStoragePoolRef *pool,
                                   int *autostart);
    int (*storagePoolSetAutostart)(virConnect *conn, const virStoragePoolRef *pool,
                                   int autostart);
    int (*storagePoolNumOfVolumes)(virConnect *conn, const virStoragePoolRef *pool);
    int (*storagePoolListVolumes)(virConnect *conn, const virStoragePoolRef *pool,
                                  char **names, int maxnames);
    int (*storagePoolListAllVolumes)(virConnect *conn, const virStoragePoolRef *pool,
                                     virStorageVolRef ***vols, unsigned int flags);
    int (*storagePoolIsActive)(virConnect *conn, const virStoragePoolRef *pool);
    int (*storagePoolIsPersistent)(virConnect *conn, const virStoragePoolRef *pool);

    virStorageVolRef *(*storageVolLookupByName)(virConnect *conn, const virStoragePoolRef *pool,
                                                const char *name);
    virStorageVolRef *(*storageVolLookupByKey)(virConnect *conn, const char *key);
    virStorageVolRef *(*storageVolLookupByPath)(virConnect *conn, const char *path);
    virStorageVolRef *(*storageVolCreateXML)(virConnect *conn, const virStoragePoolRef *pool,
                                             const char *xml, unsigned int flags);
    virStorageVolRef *(*storageVolCreateXMLFrom)(virConnect *conn,
                                                 const virStoragePoolRef *pool,
                                                 const char *xml,
                                                 const virStorageVolRef *clonevol,
                                                 unsigned int flags);
    int (*storageVolDelete)(virConnect *conn, const virStorageVolRef *vol, unsigned int flags);
    int (*storageVolWipe)(virConnect *conn, const virStorageVolRef *vol, unsigned int flags);
    int (*storageVolWipePattern)(virConnect *conn, const virStorageVolRef *vol,
                                 unsigned int algorithm, unsigned int flags);
    int (*storageVolGetInfo)(virConnect *conn, const virStorageVolRef *vol,
                             virStorageVolInfo *info);
    int (*storageVolGetInfoFlags)(virConnect *conn, const virStorageVolRef *vol,
                                  virStorageVolInfo *info, unsigned int flags);
    char *(*storageVolGetXMLDesc)(virConnect *conn, const virStorageVolRef *vol,
                                  unsigned int flags);
    char *(*storageVolGetPath)(virConnect *conn, const virStorageVolRef *vol);
    int (*storageVolResize)(virConnect *conn, const virStorageVolRef *vol,
                            unsigned long long capacity, unsigned int flags);

    int (*connectStoragePoolEventRegisterAny)(virConnect *conn, const virStoragePoolRef *pool,
                                              int eventID,
                                              virConnectStoragePoolEventGenericCallback cb,
                                              void *opaque, virFreeCallback ff);
    int (*connectStoragePoolEventDeregisterAny)(virConnect *conn, int callbackID);
};
