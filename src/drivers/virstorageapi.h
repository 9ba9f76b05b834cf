/*
 * virstorageapi.h: the storage pool and volume API the daemon calls
 * (libvirt's public storage API; objects passed as their handles). Each
 * function checks its arguments as libvirt's does, refuses modifying calls
 * on a read-only connection, and forwards to the connection's storage
 * driver (virstoragedriver.h), or reports VIR_ERR_NO_SUPPORT. Errors come
 * from VIR_FROM_STORAGE, as libvirt's. Included by virconnect.h.
 */
#pragma once

#include "virobjecttypes.h"

int virConnectNumOfStoragePools(virConnect *conn);
int virConnectListStoragePools(virConnect *conn, char **names, int maxnames);
int virConnectNumOfDefinedStoragePools(virConnect *conn);
int virConnectListDefinedStoragePools(virConnect *conn, char **names, int maxnames);
int virConnectListAllStoragePools(virConnect *conn, virStoragePoolRef ***pools,
                                  unsigned int flags);
char *virConnectFindStoragePoolSources(virConnect *conn, const char *type, const char *srcSpec,
                                       unsigned int flags);
virStoragePoolRef *virStoragePoolLookupByName(virConnect *conn, const char *name);
virStoragePoolRef *virStoragePoolLookupByUUID(virConnect *conn, const unsigned char *uuid);
virStoragePoolRef *virStoragePoolLookupByVolume(virConnect *conn, const virStorageVolRef *vol);
virStoragePoolRef *virStoragePoolLookupByTargetPath(virConnect *conn, const char *path);
virStoragePoolRef *virStoragePoolCreateXML(virConnect *conn, const char *xml, unsigned int flags);
virStoragePoolRef *virStoragePoolDefineXML(virConnect *conn, const char *xml, unsigned int flags);
int virStoragePoolBuild(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags);
int virStoragePoolUndefine(virConnect *conn, const virStoragePoolRef *pool);
int virStoragePoolCreate(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags);
int virStoragePoolDestroy(virConnect *conn, const virStoragePoolRef *pool);
int virStoragePoolDelete(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags);
int virStoragePoolRefresh(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags);
int virStoragePoolGetInfo(virConnect *conn, const virStoragePoolRef *pool,
                          virStoragePoolInfo *info);
char *virStoragePoolGetXMLDesc(virConnect *conn, const virStoragePoolRef *pool,
                               unsigned int flags);
int virStoragePoolGetAutostart(virConnect *conn, const virStoragePoolRef *pool, int *autostart);
int virStoragePoolSetAutostart(virConnect *conn, const virStoragePoolRef *pool, int autostart);
int virStoragePoolNumOfVolumes(virConnect *conn, const virStoragePoolRef *pool);
int virStoragePoolListVolumes(virConnect *conn, const virStoragePoolRef *pool, char **names,
                              int maxnames);
int virStoragePoolListAllVolumes(virConnect *conn, const virStoragePoolRef *pool,
                                 virStorageVolRef ***vols, unsigned int flags);
int virStoragePoolIsActive(virConnect *conn, const virStoragePoolRef *pool);
int virStoragePoolIsPersistent(virConnect *conn, const virStoragePoolRef *pool);

virStorageVolRef *virStorageVolLookupByName(virConnect *conn, const virStoragePoolRef *pool,
                                            const char *name);
virStorageVolRef *virStorageVolLookupByKey(virConnect *conn, const char *key);
virStorageVolRef *virStorageVolLookupByPath(virConnect *conn, const char *path);
virStorageVolRef *virStorageVolCreateXML(virConnect *conn, const virStoragePoolRef *pool,
                                         const char *xml, unsigned int flags);
virStorageVolRef *virStorageVolCreateXMLFrom(virConnect *conn, const virStoragePoolRef *pool,
                                             const char *xml, const virStorageVolRef *clonevol,
                                             unsigned int flags);
int virStorageVolDelete(virConnect *conn, const virStorageVolRef *vol, unsigned int flags);
int virStorageVolWipe(virConnect *conn, const virStorageVolRef *vol, unsigned int flags);
int virStorageVolWipePattern(virConnect *conn, const virStorageVolRef *vol,
                             unsigned int algorithm, unsigned int flags);
int virStorageVolGetInfo(virConnect *conn, const virStorageVolRef *vol, virStorageVolInfo *info);
int virStorageVolGetInfoFlags(virConnect *conn, const virStorageVolRef *vol,
                              virStorageVolInfo *info, unsigned int flags);
char *virStorageVolGetXMLDesc(virConnect *conn, const virStorageVolRef *vol, unsigned int flags);
char *virStorageVolGetPath(virConnect *conn, const virStorageVolRef *vol);
int virStorageVolResize(virConnect *conn, const virStorageVolRef *vol,
                        unsigned long long capacity, unsigned int flags);

int virConnectStoragePoolEventRegisterAny(virConnect *conn, const virStoragePoolRef *pool,
                                          int eventID,
                                          virConnectStoragePoolEventGenericCallback cb,
                                          void *opaque, virFreeCallback ff);
int virConnectStoragePoolEventDeregisterAny(virConnect *conn, int callbackID);
