/*
 * virstorageapi.c: the storage API over the connection's storage driver,
 * see virstorageapi.h.
 */
#include <string.h>

#include "virapicheck.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

#define DRV(conn) ((conn)->objects.storage)
#define CHECK_POOL(conn, pool, ret) \
    CHECK_OBJECT(conn, pool, name, VIR_ERR_INVALID_STORAGE_POOL, ret)
#define CHECK_VOL(conn, vol, ret) \
    CHECK_OBJECT(conn, vol, name, VIR_ERR_INVALID_STORAGE_VOL, ret)

int
virConnectNumOfStoragePools(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD_TO(DRV(conn), connectNumOfStoragePools, -1, conn);
}

int
virConnectListStoragePools(virConnect *conn, char **names, int maxnames)
{
    CHECK_CONN(conn, -1);
    CHECK_ARRAY(names, maxnames, -1);
    FORWARD_TO(DRV(conn), connectListStoragePools, -1, conn, names, maxnames);
}

int
virConnectNumOfDefinedStoragePools(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD_TO(DRV(conn), connectNumOfDefinedStoragePools, -1, conn);
}

int
virConnectListDefinedStoragePools(virConnect *conn, char **names, int maxnames)
{
    CHECK_CONN(conn, -1);
    CHECK_ARRAY(names, maxnames, -1);
    FORWARD_TO(DRV(conn), connectListDefinedStoragePools, -1, conn, names, maxnames);
}

int
virConnectListAllStoragePools(virConnect *conn, virStoragePoolRef ***pools, unsigned int flags)
{
    CHECK_CONN(conn, -1);
    FORWARD_LIST(DRV(conn), connectListAllStoragePools, virStoragePoolRefListFree, pools,
                 flags, conn);
}

char *
virConnectFindStoragePoolSources(virConnect *conn, const char *type, const char *srcSpec,
                                 unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(type, NULL);
    CHECK_READONLY(conn, NULL);
    FORWARD_TO(DRV(conn), connectFindStoragePoolSources, NULL, conn, type, srcSpec, flags);
}

virStoragePoolRef *
virStoragePoolLookupByName(virConnect *conn, const char *name)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(name, NULL);
    FORWARD_TO(DRV(conn), storagePoolLookupByName, NULL, conn, name);
}

virStoragePoolRef *
virStoragePoolLookupByUUID(virConnect *conn, const unsigned char *uuid)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(uuid, NULL);
    FORWARD_TO(DRV(conn), storagePoolLookupByUUID, NULL, conn, uuid);
}

virStoragePoolRef *
virStoragePoolLookupByVolume(virConnect *conn, const virStorageVolRef *vol)
{
    CHECK_VOL(conn, vol, NULL);
    FORWARD_TO(DRV(conn), storagePoolLookupByVolume, NULL, conn, vol);
}

virStoragePoolRef *
virStoragePoolLookupByTargetPath(virConnect *conn, const char *path)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(path, NULL);
    FORWARD_TO(DRV(conn), storagePoolLookupByTargetPath, NULL, conn, path);
}

virStoragePoolRef *
virStoragePoolCreateXML(virConnect *conn, const char *xml, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(xml, NULL);
    CHECK_READONLY(conn, NULL);
    FORWARD_TO(DRV(conn), storagePoolCreateXML, NULL, conn, xml, flags);
}

virStoragePoolRef *
virStoragePoolDefineXML(virConnect *conn, const char *xml, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_READONLY(conn, NULL);
    CHECK_NONNULL(xml, NULL);
    FORWARD_TO(DRV(conn), storagePoolDefineXML, NULL, conn, xml, flags);
}

/* A modifying call on a pool: (pool, flags) or (pool). */
#define POOL_CHANGE(entry, ...) \
    do { \
        CHECK_POOL(conn, pool, -1); \
        CHECK_READONLY(conn, -1); \
        FORWARD_TO(DRV(conn), entry, -1, conn, pool, ##__VA_ARGS__); \
    } while (0)

int
virStoragePoolBuild(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags)
{
    POOL_CHANGE(storagePoolBuild, flags);
}

int
virStoragePoolUndefine(virConnect *conn, const virStoragePoolRef *pool)
{
    POOL_CHANGE(storagePoolUndefine);
}

int
virStoragePoolCreate(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags)
{
    POOL_CHANGE(storagePoolCreate, flags);
}

int
virStoragePoolDestroy(virConnect *conn, const virStoragePoolRef *pool)
{
    POOL_CHANGE(storagePoolDestroy);
}

int
virStoragePoolDelete(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags)
{
    POOL_CHANGE(storagePoolDelete, flags);
}

int
virStoragePoolRefresh(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags)
{
    POOL_CHANGE(storagePoolRefresh, flags);
}

int
virStoragePoolSetAutostart(virConnect *conn, const virStoragePoolRef *pool, int autostart)
{
    POOL_CHANGE(storagePoolSetAutostart, autostart);
}

int
virStoragePoolGetInfo(virConnect *conn, const virStoragePoolRef *pool, virStoragePoolInfo *info)
{
    CHECK_POOL(conn, pool, -1);
    CHECK_NONNULL(info, -1);
    memset(info, 0, sizeof(*info));
    FORWARD_TO(DRV(conn), storagePoolGetInfo, -1, conn, pool, info);
}

char *
virStoragePoolGetXMLDesc(virConnect *conn, const virStoragePoolRef *pool, unsigned int flags)
{
    CHECK_POOL(conn, pool, NULL);
    FORWARD_TO(DRV(conn), storagePoolGetXMLDesc, NULL, conn, pool, flags);
}

int
virStoragePoolGetAutostart(virConnect *conn, const virStoragePoolRef *pool, int *autostart)
{
    CHECK_POOL(conn, pool, -1);
    CHECK_NONNULL(autostart, -1);
    FORWARD_TO(DRV(conn), storagePoolGetAutostart, -1, conn, pool, autostart);
}

int
virStoragePoolNumOfVolumes(virConnect *conn, const virStoragePoolRef *pool)
{
    CHECK_POOL(conn, pool, -1);
    FORWARD_TO(DRV(conn), storagePoolNumOfVolumes, -1, conn, pool);
}

int
virStoragePoolListVolumes(virConnect *conn, const virStoragePoolRef *pool, char **names,
                          int maxnames)
{
    CHECK_POOL(conn, pool, -1);
    CHECK_ARRAY(names, maxnames, -1);
    FORWARD_TO(DRV(conn), storagePoolListVolumes, -1, conn, pool, names, maxnames);
}

int
virStoragePoolListAllVolumes(virConnect *conn, const virStoragePoolRef *pool,
                             virStorageVolRef ***vols, unsigned int flags)
{
    CHECK_POOL(conn, pool, -1);
    FORWARD_LIST(DRV(conn), storagePoolListAllVolumes, virStorageVolRefListFree, vols, flags,
                 conn, pool);
}

int
virStoragePoolIsActive(virConnect *conn, const virStoragePoolRef *pool)
{
    CHECK_POOL(conn, pool, -1);
    FORWARD_TO(DRV(conn), storagePoolIsActive, -1, conn, pool);
}

int
virStoragePoolIsPersistent(virConnect *conn, const virStoragePoolRef *pool)
{
    CHECK_POOL(conn, pool, -1);
    FORWARD_TO(DRV(conn), storagePoolIsPersistent, -1, conn, pool);
}

virStorageVolRef *
virStorageVolLookupByName(virConnect *conn, const virStoragePoolRef *pool, const char *name)
{
    CHECK_POOL(conn, pool, NULL);
    CHECK_NONNULL(name, NULL);
    FORWARD_TO(DRV(conn), storageVolLookupByName, NULL, conn, pool, name);
}

virStorageVolRef *
virStorageVolLookupByKey(virConnect *conn, const char *key)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(key, NULL);
    FORWARD_TO(DRV(conn), storageVolLookupByKey, NULL, conn, key);
}

virStorageVolRef *
virStorageVolLookupByPath(virConnect *conn, const char *path)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(path, NULL);
    FORWARD_TO(DRV(conn), storageVolLookupByPath, NULL, conn, path);
}

virStorageVolRef *
virStorageVolCreateXML(virConnect *conn, const virStoragePoolRef *pool, const char *xml,
                       unsigned int flags)
{
    CHECK_POOL(conn, pool, NULL);
    CHECK_NONNULL(xml, NULL);
    CHECK_READONLY(conn, NULL);
    FORWARD_TO(DRV(conn), storageVolCreateXML, NULL, conn, pool, xml, flags);
}

virStorageVolRef *
virStorageVolCreateXMLFrom(virConnect *conn, const virStoragePoolRef *pool, const char *xml,
                           const virStorageVolRef *clonevol, unsigned int flags)
{
    CHECK_POOL(conn, pool, NULL);
    CHECK_VOL(conn, clonevol, NULL);
    CHECK_NONNULL(xml, NULL);
    CHECK_READONLY(conn, NULL);
    FORWARD_TO(DRV(conn), storageVolCreateXMLFrom, NULL, conn, pool, xml, clonevol, flags);
}

/* A modifying call on a volume. */
#define VOL_CHANGE(entry, ...) \
    do { \
        CHECK_VOL(conn, vol, -1); \
        CHECK_READONLY(conn, -1); \
        FORWARD_TO(DRV(conn), entry, -1, conn, vol, __VA_ARGS__); \
    } while (0)

int
virStorageVolDelete(virConnect *conn, const virStorageVolRef *vol, unsigned int flags)
{
    VOL_CHANGE(storageVolDelete, flags);
}

int
virStorageVolWipe(virConnect *conn, const virStorageVolRef *vol, unsigned int flags)
{
    VOL_CHANGE(storageVolWipe, flags);
}

int
virStorageVolWipePattern(virConnect *conn, const virStorageVolRef *vol, unsigned int algorithm,
                         unsigned int flags)
{
    VOL_CHANGE(storageVolWipePattern, algorithm, flags);
}

int
virStorageVolResize(virConnect *conn, const virStorageVolRef *vol, unsigned long long capacity,
                    unsigned int flags)
{
    CHECK_VOL(conn, vol, -1);
    CHECK_READONLY(conn, -1);
    if (capacity == 0 && !(flags & VIR_STORAGE_VOL_RESIZE_SHRINK)) {
        virDriverReportInvalidArg(capacity,
                                  "capacity in %s cannot be zero without 'shrink' flags set",
                                  __func__);
        return -1;
    }
    FORWARD_TO(DRV(conn), storageVolResize, -1, conn, vol, capacity, flags);
}

int
virStorageVolGetInfo(virConnect *conn, const virStorageVolRef *vol, virStorageVolInfo *info)
{
    CHECK_VOL(conn, vol, -1);
    CHECK_NONNULL(info, -1);
    memset(info, 0, sizeof(*info));
    if (DRV(conn) && !DRV(conn)->storageVolGetInfo && DRV(conn)->storageVolGetInfoFlags)
        return DRV(conn)->storageVolGetInfoFlags(conn, vol, info, 0);
    FORWARD_TO(DRV(conn), storageVolGetInfo, -1, conn, vol, info);
}

int
virStorageVolGetInfoFlags(virConnect *conn, const virStorageVolRef *vol,
                          virStorageVolInfo *info, unsigned int flags)
{
    CHECK_VOL(conn, vol, -1);
    CHECK_NONNULL(info, -1);
    memset(info, 0, sizeof(*info));
    FORWARD_TO(DRV(conn), storageVolGetInfoFlags, -1, conn, vol, info, flags);
}

char *
virStorageVolGetXMLDesc(virConnect *conn, const virStorageVolRef *vol, unsigned int flags)
{
    CHECK_VOL(conn, vol, NULL);
    FORWARD_TO(DRV(conn), storageVolGetXMLDesc, NULL, conn, vol, flags);
}

char *
virStorageVolGetPath(virConnect *conn, const virStorageVolRef *vol)
{
    CHECK_VOL(conn, vol, NULL);
    FORWARD_TO(DRV(conn), storageVolGetPath, NULL, conn, vol);
}

int
virConnectStoragePoolEventRegisterAny(virConnect *conn, const virStoragePoolRef *pool,
                                      int eventID, virConnectStoragePoolEventGenericCallback cb,
                                      void *opaque, virFreeCallback ff)
{
    CHECK_CONN(conn, -1);
    if (pool)
        CHECK_POOL(conn, pool, -1);
    CHECK_EVENT_REGISTRATION(eventID, VIR_STORAGE_POOL_EVENT_ID_LAST, cb, -1);
    FORWARD_TO(DRV(conn), connectStoragePoolEventRegisterAny, -1, conn, pool, eventID, cb,
               opaque, ff);
}

int
virConnectStoragePoolEventDeregisterAny(virConnect *conn, int callbackID)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNEGATIVE(callbackID, -1);
    FORWARD_TO(DRV(conn), connectStoragePoolEventDeregisterAny, -1, conn, callbackID);
}
