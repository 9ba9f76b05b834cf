/*
 * vnobjects.h: the objects beside domains in virtnet's client API:
 * networks, storage pools and volumes, host interfaces, node devices and
 * secrets (libvirt's APIs of the same names with "vn" for "vir").
 * Included by vnclient.h; docs/client.md describes them.
 *
 * An object is a local handle, as a vnDomain: it holds a reference on its
 * connection; ...Ref / ...Free count references (Free destroys nothing on
 * the server). The local accessors (...GetName, ...GetUUID, ...) do not
 * call the server. Lists are NULL-terminated arrays: free each element
 * with its ...Free and the array with free(). Errors, strings and flags
 * follow vnclient.h's conventions.
 */
#pragma once

#include <stddef.h>

typedef struct _vnNetwork vnNetwork;
typedef struct _vnStoragePool vnStoragePool;
typedef struct _vnStorageVol vnStorageVol;
typedef struct _vnInterface vnInterface;
typedef struct _vnNodeDevice vnNodeDevice;
typedef struct _vnSecret vnSecret;

/* ---- networks -------------------------------------------------------- */

int vnConnectListAllNetworks(vnConnect *conn, vnNetwork ***nets, unsigned int flags);
int vnConnectNumOfNetworks(vnConnect *conn);
int vnConnectListNetworks(vnConnect *conn, char **names, int maxnames);
int vnConnectNumOfDefinedNetworks(vnConnect *conn);
int vnConnectListDefinedNetworks(vnConnect *conn, char **names, int maxnames);
vnNetwork *vnNetworkLookupByName(vnConnect *conn, const char *name);
vnNetwork *vnNetworkLookupByUUID(vnConnect *conn, const unsigned char *uuid);
vnNetwork *vnNetworkCreateXML(vnConnect *conn, const char *xml);
vnNetwork *vnNetworkCreateXMLFlags(vnConnect *conn, const char *xml, unsigned int flags);
vnNetwork *vnNetworkDefineXML(vnConnect *conn, const char *xml);
vnNetwork *vnNetworkDefineXMLFlags(vnConnect *conn, const char *xml, unsigned int flags);
int vnNetworkUndefine(vnNetwork *net);
int vnNetworkCreate(vnNetwork *net);
int vnNetworkDestroy(vnNetwork *net);
char *vnNetworkGetXMLDesc(vnNetwork *net, unsigned int flags);
char *vnNetworkGetBridgeName(vnNetwork *net);
int vnNetworkGetAutostart(vnNetwork *net, int *autostart);
int vnNetworkSetAutostart(vnNetwork *net, int autostart);
int vnNetworkIsActive(vnNetwork *net);
int vnNetworkIsPersistent(vnNetwork *net);
vnNetwork *vnNetworkRef(vnNetwork *net);
int vnNetworkFree(vnNetwork *net);
const char *vnNetworkGetName(vnNetwork *net);
int vnNetworkGetUUIDString(vnNetwork *net, char *buf);

/* ---- storage pools ----------------------------------------------------- */

int vnConnectListAllStoragePools(vnConnect *conn, vnStoragePool ***pools, unsigned int flags);
int vnConnectNumOfStoragePools(vnConnect *conn);
int vnConnectListStoragePools(vnConnect *conn, char **names, int maxnames);
int vnConnectNumOfDefinedStoragePools(vnConnect *conn);
int vnConnectListDefinedStoragePools(vnConnect *conn, char **names, int maxnames);
vnStoragePool *vnStoragePoolLookupByName(vnConnect *conn, const char *name);
vnStoragePool *vnStoragePoolLookupByUUID(vnConnect *conn, const unsigned char *uuid);
vnStoragePool *vnStoragePoolLookupByVolume(vnStorageVol *vol);
vnStoragePool *vnStoragePoolLookupByTargetPath(vnConnect *conn, const char *path);
vnStoragePool *vnStoragePoolCreateXML(vnConnect *conn, const char *xml, unsigned int flags);
vnStoragePool *vnStoragePoolDefineXML(vnConnect *conn, const char *xml, unsigned int flags);
int vnStoragePoolBuild(vnStoragePool *pool, unsigned int flags);
int vnStoragePoolUndefine(vnStoragePool *pool);
int vnStoragePoolCreate(vnStoragePool *pool, unsigned int flags);
int vnStoragePoolDestroy(vnStoragePool *pool);
int vnStoragePoolDelete(vnStoragePool *pool, unsigned int flags);
int vnStoragePoolRefresh(vnStoragePool *pool, unsigned int flags);
/* state, capacity, allocation, available (bytes) */
int vnStoragePoolGetInfo(vnStoragePool *pool, virStoragePoolInfo *info);
char *vnStoragePoolGetXMLDesc(vnStoragePool *pool, unsigned int flags);
int vnStoragePoolGetAutostart(vnStoragePool *pool, int *autostart);
int vnStoragePoolSetAutostart(vnStoragePool *pool, int autostart);
int vnStoragePoolNumOfVolumes(vnStoragePool *pool);
int vnStoragePoolListVolumes(vnStoragePool *pool, char **names, int maxnames);
int vnStoragePoolListAllVolumes(vnStoragePool *pool, vnStorageVol ***vols, unsigned int flags);
int vnStoragePoolIsActive(vnStoragePool *pool);
int vnStoragePoolIsPersistent(vnStoragePool *pool);
vnStoragePool *vnStoragePoolRef(vnStoragePool *pool);
int vnStoragePoolFree(vnStoragePool *pool);
const char *vnStoragePoolGetName(vnStoragePool *pool);
int vnStoragePoolGetUUIDString(vnStoragePool *pool, char *buf);
/* "running", "inactive", ... (virsh's words) */
const char *vnStoragePoolStateToString(int state);

/* ---- storage volumes ----------------------------------------------------- */

vnStorageVol *vnStorageVolLookupByName(vnStoragePool *pool, const char *name);
vnStorageVol *vnStorageVolLookupByKey(vnConnect *conn, const char *key);
vnStorageVol *vnStorageVolLookupByPath(vnConnect *conn, const char *path);
vnStorageVol *vnStorageVolCreateXML(vnStoragePool *pool, const char *xml, unsigned int flags);
vnStorageVol *vnStorageVolCreateXMLFrom(vnStoragePool *pool, const char *xml,
                                        vnStorageVol *clonevol, unsigned int flags);
int vnStorageVolDelete(vnStorageVol *vol, unsigned int flags);
int vnStorageVolWipe(vnStorageVol *vol, unsigned int flags);
int vnStorageVolWipePattern(vnStorageVol *vol, unsigned int algorithm, unsigned int flags);
int vnStorageVolResize(vnStorageVol *vol, unsigned long long capacity, unsigned int flags);
/* type, capacity, allocation (bytes) */
int vnStorageVolGetInfo(vnStorageVol *vol, virStorageVolInfo *info);
int vnStorageVolGetInfoFlags(vnStorageVol *vol, virStorageVolInfo *info, unsigned int flags);
char *vnStorageVolGetXMLDesc(vnStorageVol *vol, unsigned int flags);
char *vnStorageVolGetPath(vnStorageVol *vol);
vnStorageVol *vnStorageVolRef(vnStorageVol *vol);
int vnStorageVolFree(vnStorageVol *vol);
const char *vnStorageVolGetName(vnStorageVol *vol);
const char *vnStorageVolGetKey(vnStorageVol *vol);
/* "file", "block", ... (virsh's words) */
const char *vnStorageVolTypeToString(int type);

/* ---- host interfaces ------------------------------------------------------ */

int vnConnectListAllInterfaces(vnConnect *conn, vnInterface ***ifaces, unsigned int flags);
int vnConnectNumOfInterfaces(vnConnect *conn);
int vnConnectListInterfaces(vnConnect *conn, char **names, int maxnames);
int vnConnectNumOfDefinedInterfaces(vnConnect *conn);
int vnConnectListDefinedInterfaces(vnConnect *conn, char **names, int maxnames);
vnInterface *vnInterfaceLookupByName(vnConnect *conn, const char *name);
vnInterface *vnInterfaceLookupByMACString(vnConnect *conn, const char *mac);
char *vnInterfaceGetXMLDesc(vnInterface *iface, unsigned int flags);
vnInterface *vnInterfaceDefineXML(vnConnect *conn, const char *xml, unsigned int flags);
int vnInterfaceUndefine(vnInterface *iface);
int vnInterfaceCreate(vnInterface *iface, unsigned int flags);
int vnInterfaceDestroy(vnInterface *iface, unsigned int flags);
int vnInterfaceIsActive(vnInterface *iface);
vnInterface *vnInterfaceRef(vnInterface *iface);
int vnInterfaceFree(vnInterface *iface);
const char *vnInterfaceGetName(vnInterface *iface);
const char *vnInterfaceGetMACString(vnInterface *iface);

/* ---- node devices ------------------------------------------------------ */

int vnConnectListAllNodeDevices(vnConnect *conn, vnNodeDevice ***devices, unsigned int flags);
/* cap: only devices with that capability ("scsi_host", ...), or NULL */
int vnNodeNumOfDevices(vnConnect *conn, const char *cap, unsigned int flags);
int vnNodeListDevices(vnConnect *conn, const char *cap, char **names, int maxnames,
                      unsigned int flags);
vnNodeDevice *vnNodeDeviceLookupByName(vnConnect *conn, const char *name);
char *vnNodeDeviceGetXMLDesc(vnNodeDevice *dev, unsigned int flags);
/* The parent's name (free() it); NULL without an error: no parent. */
char *vnNodeDeviceGetParent(vnNodeDevice *dev);
int vnNodeDeviceNumOfCaps(vnNodeDevice *dev);
int vnNodeDeviceListCaps(vnNodeDevice *dev, char **names, int maxnames);
vnNodeDevice *vnNodeDeviceRef(vnNodeDevice *dev);
int vnNodeDeviceFree(vnNodeDevice *dev);
const char *vnNodeDeviceGetName(vnNodeDevice *dev);

/* ---- secrets ----------------------------------------------------------- */

int vnConnectListAllSecrets(vnConnect *conn, vnSecret ***secrets, unsigned int flags);
int vnConnectNumOfSecrets(vnConnect *conn);
int vnConnectListSecrets(vnConnect *conn, char **uuids, int maxuuids);
vnSecret *vnSecretLookupByUUID(vnConnect *conn, const unsigned char *uuid);
vnSecret *vnSecretLookupByUsage(vnConnect *conn, int usageType, const char *usageID);
vnSecret *vnSecretDefineXML(vnConnect *conn, const char *xml, unsigned int flags);
char *vnSecretGetXMLDesc(vnSecret *secret, unsigned int flags);
int vnSecretUndefine(vnSecret *secret);
vnSecret *vnSecretRef(vnSecret *secret);
int vnSecretFree(vnSecret *secret);
int vnSecretGetUUIDString(vnSecret *secret, char *buf);
int vnSecretGetUsageType(vnSecret *secret);
const char *vnSecretGetUsageID(vnSecret *secret);
/* "none", "volume", "ceph", "iscsi", "tls", "vtpm" */
const char *vnSecretUsageTypeToString(int usageType);
