/*
 * virstoragedef.h: storage pool and volume definitions (the <pool> and
 * <volume> XML), kept as virXMLTree in libvirt's shape (virxmltree.h).
 *
 * Pools: the type (one of libvirt's fourteen) decides which <source>
 * parts exist, whether a target path is needed and the default source
 * format, as libvirt's pool type table does. Sizes are not part of the
 * tree: the formatter takes them (capacity, allocation, available).
 * Volumes: name, key, type, capacity (required, scaled to bytes),
 * allocation (default: the capacity), target path, format (the pool
 * type's default), permissions; a backing store and what libvirt keeps
 * without looking in (encryption, features) as written.
 *
 * Errors are libvirt's codes and messages (VIR_FROM_STORAGE).
 */
#pragma once

#include <time.h>

#include "virxmltree.h"
#include "virobjectlist.h"
#include "virpublic.h"

/* The pool types, in virStoragePoolType order (the list-all filter bits
 * follow it: VIR_CONNECT_LIST_STORAGE_POOLS_DIR << index). */
extern const char *const virStoragePoolTypeNames[];
/* The index of a pool's type. */
int virStoragePoolDefType(const virXMLTree *def);

virXMLTree *virStoragePoolDefParseString(const char *xml);
virXMLTree *virStoragePoolDefParseNode(xmlNodePtr node);
char *virStoragePoolDefFormat(const virXMLTree *def, unsigned long long capacity,
                              unsigned long long allocation, unsigned long long available);
const char *virStoragePoolDefName(const virXMLTree *def);
void virStoragePoolDefUUID(const virXMLTree *def, unsigned char *uuid);
/* The target path, or NULL (network pools) */
const char *virStoragePoolDefTargetPath(const virXMLTree *def);
/* A pool's live target permissions (what its directory has). */
void virStoragePoolDefSetPerms(virXMLTree *def, unsigned int mode, long uid, long gid);
/* libvirt's virStoragePoolObjSourceFindDuplicate for directory pools:
 * another pool of pools on def's target path is refused
 * (VIR_ERR_OPERATION_FAILED "Storage source conflict with pool: 'x'"). */
int virStoragePoolCheckSourceConflict(const virObjectList *pools, const virXMLTree *def);
/* libvirt's virFileSanitizePath: no repeated or trailing slashes (a
 * leading "//" is kept, "///" is "/"); URIs untouched. */
char *virStorageSanitizePath(const char *path);
/* A <source> document (virConnectFindStoragePoolSources' srcSpec) for a
 * pool type: its host name, or NULL. -1 with the error when it does not
 * parse. */
int virStoragePoolSourceParseHost(const char *xml, char **host);

/* Volumes, for a pool of type poolType (its index). */
virXMLTree *virStorageVolDefParseString(int poolType, const char *xml);
virXMLTree *virStorageVolDefParseNode(int poolType, xmlNodePtr node);
char *virStorageVolDefFormat(const virXMLTree *def);
const char *virStorageVolDefName(const virXMLTree *def);
const char *virStorageVolDefKey(const virXMLTree *def);
const char *virStorageVolDefPath(const virXMLTree *def);
unsigned long long virStorageVolDefCapacity(const virXMLTree *def);
unsigned long long virStorageVolDefAllocation(const virXMLTree *def);
/* Set a size element (capacity, allocation) in bytes. */
void virStorageVolDefSetSize(virXMLTree *def, const char *element, unsigned long long bytes);
void virStorageVolDefSetKey(virXMLTree *def, const char *key);
void virStorageVolDefSetPath(virXMLTree *def, const char *path);
/* The format type, or NULL */
const char *virStorageVolDefFormatType(const virXMLTree *def);
/* virStorageVolType of a volume in a pool of type poolType */
int virStorageVolTypeForPool(int poolType);

/* A volume a driver found or made at path (name, key and target path),
 * its facts set from the file (libvirt's refreshVol): type ("file",
 * "dir"), format, sizes, permissions. */
virXMLTree *virStorageVolDefNew(const char *name, const char *path);
void virStorageVolDefSetFacts(virXMLTree *def, const char *type, const char *format,
                              unsigned long long capacity, unsigned long long allocation,
                              unsigned int mode, long uid, long gid);
/* The XML of such a volume: with <physical> (when non-zero) and the
 * file's times (atime, mtime, ctime; NULL: none) as libvirt writes them. */
char *virStorageVolDefFormatLive(const virXMLTree *def, unsigned long long physical,
                                 const struct timespec *times);
