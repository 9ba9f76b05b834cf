/*
 * virobjecttypes.h: what the driver layer adds to libvirt's public values
 * (virpublic.h) for the objects beside domains: the handles drivers pass
 * around (libvirt's remote_nonnull_* structs) and the event callback
 * types.
 *
 * A handle names an object; it does not hold it. Strings are owned by the
 * handle (Free frees them); lists are NULL-terminated arrays freed with
 * ...ListFree.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "virpublic.h"
#include "virevent.h"

typedef struct _virConnect virConnect;

typedef struct _virNetworkRef virNetworkRef;
struct _virNetworkRef {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
};

typedef struct _virStoragePoolRef virStoragePoolRef;
struct _virStoragePoolRef {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
};

/* A volume: its pool's name, its name and its key (for a file, its path). */
typedef struct _virStorageVolRef virStorageVolRef;
struct _virStorageVolRef {
    char *pool;
    char *name;
    char *key;
};

typedef struct _virInterfaceRef virInterfaceRef;
struct _virInterfaceRef {
    char *name;
    char *mac;              /* "" when the interface has none */
};

typedef struct _virNodeDeviceRef virNodeDeviceRef;
struct _virNodeDeviceRef {
    char *name;
};

/* usageID: the usage's identifying string ("" for usage type none). */
typedef struct _virSecretRef virSecretRef;
struct _virSecretRef {
    unsigned char uuid[VIR_UUID_BUFLEN];
    int usageType;          /* virSecretUsageType */
    char *usageID;
};

virNetworkRef *virNetworkRefNew(const char *name, const unsigned char *uuid);
void virNetworkRefFree(virNetworkRef *ref);
void virNetworkRefListFree(virNetworkRef **list);

virStoragePoolRef *virStoragePoolRefNew(const char *name, const unsigned char *uuid);
void virStoragePoolRefFree(virStoragePoolRef *ref);
void virStoragePoolRefListFree(virStoragePoolRef **list);

virStorageVolRef *virStorageVolRefNew(const char *pool, const char *name, const char *key);
void virStorageVolRefFree(virStorageVolRef *ref);
void virStorageVolRefListFree(virStorageVolRef **list);

virInterfaceRef *virInterfaceRefNew(const char *name, const char *mac);
void virInterfaceRefFree(virInterfaceRef *ref);
void virInterfaceRefListFree(virInterfaceRef **list);

virNodeDeviceRef *virNodeDeviceRefNew(const char *name);
void virNodeDeviceRefFree(virNodeDeviceRef *ref);
void virNodeDeviceRefListFree(virNodeDeviceRef **list);

virSecretRef *virSecretRefNew(const unsigned char *uuid, int usageType, const char *usageID);
void virSecretRefFree(virSecretRef *ref);
void virSecretRefListFree(virSecretRef **list);

/* Sort a GPtrArray of handles of one type with cmp, NULL-terminate it and
 * hand it out as a list (the array is consumed); returns the count. */
int virObjectRefListFinish(GPtrArray *list, GCompareFunc cmp, void ***out);
/* Orders for it: by name for handles whose first member is the name
 * (networks, pools, interfaces, node devices), volumes by name, secrets
 * by UUID. */
gint virObjectRefCompareName(gconstpointer a, gconstpointer b);
gint virStorageVolRefCompare(gconstpointer a, gconstpointer b);
gint virSecretRefCompare(gconstpointer a, gconstpointer b);

/* Event callbacks, as libvirt's: a lifecycle callback per kind, and a
 * generic one (the events without a payload: pool refresh, node device
 * update, secret value changed). */
typedef void (*virConnectNetworkEventLifecycleCallback)(virConnect *conn,
                                                        const virNetworkRef *net,
                                                        int event, int detail,
                                                        void *opaque);
typedef void (*virConnectNetworkEventGenericCallback)(virConnect *conn,
                                                      const virNetworkRef *net,
                                                      void *opaque);
typedef void (*virConnectStoragePoolEventLifecycleCallback)(virConnect *conn,
                                                            const virStoragePoolRef *pool,
                                                            int event, int detail,
                                                            void *opaque);
typedef void (*virConnectStoragePoolEventGenericCallback)(virConnect *conn,
                                                          const virStoragePoolRef *pool,
                                                          void *opaque);
typedef void (*virConnectNodeDeviceEventLifecycleCallback)(virConnect *conn,
                                                           const virNodeDeviceRef *dev,
                                                           int event, int detail,
                                                           void *opaque);
typedef void (*virConnectNodeDeviceEventGenericCallback)(virConnect *conn,
                                                         const virNodeDeviceRef *dev,
                                                         void *opaque);
typedef void (*virConnectSecretEventLifecycleCallback)(virConnect *conn,
                                                       const virSecretRef *secret,
                                                       int event, int detail,
                                                       void *opaque);
typedef void (*virConnectSecretEventGenericCallback)(virConnect *conn,
                                                     const virSecretRef *secret,
                                                     void *opaque);
/* Any of them, as registered (cast back to the event ID's own type). */
typedef void (*virObjectEventFunc)(void);
#define VIR_OBJECT_EVENT_CALLBACK(cb) ((virObjectEventFunc)(void (*)(void))(cb))
