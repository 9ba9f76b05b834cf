/*
 * virobjectevent.h: a driver's event callback registry, for every object
 * kind (docs/architecture.md rules 1-4).
 *
 * Each driver owns one registry in its private state and keeps there the
 * registrations made on it, of every object kind it serves (domains,
 * networks, storage pools, node devices, secrets), in an array it owns.
 * Every registration gets a callback ID unique within the registry,
 * counted from 0 across kinds (libvirt numbers them the same way). A
 * registration has a kind, an event ID, an optional filter (the key of one
 * object: its UUID for domains, networks, pools and secrets, its name for
 * node devices), a callback, an opaque pointer and a free function. An
 * identical (connection, kind, event ID, callback, filter) is refused, as
 * in libvirt ("event callback already tracked"); the same callback may be
 * registered with other filters or event IDs. A connection sees and
 * removes only its own registrations. Domains also have legacy
 * registrations (virdomainevent.h), keyed by (connection, callback).
 *
 * Dispatch: the driver calls virObjectEventRegistryDispatch at the point
 * its state changes. Matching callbacks run synchronously, in
 * registration order, in the calling thread, under the registry's lock,
 * so events reach each callback in the order they were raised and a
 * removal that returned is never followed by a call. Callbacks must be
 * cheap and must not block (the daemon's only queue a message).
 *
 * Lock order: driver lock -> registry lock -> whatever a callback takes.
 * A callback must never call into the driver; it may call this registry's
 * Add/Remove on the same registry from inside the dispatch: a removal
 * takes effect at once (its free function runs when the dispatch ends),
 * an addition does not receive the event being dispatched.
 *
 * Free functions run without the registry lock held: on removal, on
 * PurgeConn (the driver's connectClose), and on Free for leftovers.
 */
#pragma once

#include <stdbool.h>

#include "virobjecttypes.h"

typedef struct _virObjectEventRegistry virObjectEventRegistry;

typedef enum {
    VIR_OBJECT_EVENT_DOMAIN = 0,
    VIR_OBJECT_EVENT_NETWORK,
    VIR_OBJECT_EVENT_STORAGE_POOL,
    VIR_OBJECT_EVENT_NODE_DEVICE,
    VIR_OBJECT_EVENT_SECRET,
} virObjectEventKind;

/* Calls one registration's callback (cb, as registered: the invoker casts
 * it to the event ID's own type) with the event being dispatched. */
typedef void (*virObjectEventInvoke)(virConnect *conn, virObjectEventFunc cb, void *opaque,
                                     int eventID, const void *event);

virObjectEventRegistry *virObjectEventRegistryNew(void);
/* Runs the free functions of any registrations left. */
void virObjectEventRegistryFree(virObjectEventRegistry *reg);

/* Returns the callback ID (>= 0) or -1 (duplicate: VIR_ERR_INVALID_ARG).
 * filter NULL: every object of the kind. legacy: a domain legacy
 * registration (no filter, a callback ID like any other). */
int virObjectEventRegistryAdd(virObjectEventRegistry *reg, virConnect *conn,
                              virObjectEventKind kind, int eventID, const char *filter,
                              bool legacy, virObjectEventFunc cb, void *opaque,
                              virFreeCallback ff);
/* 0, or -1 with VIR_ERR_INVALID_ARG when conn has no such callback ID. */
int virObjectEventRegistryRemove(virObjectEventRegistry *reg, virConnect *conn,
                                 int callbackID);
/* Remove conn's legacy registration of cb (kind and event ID as added):
 * 0, or -1 with VIR_ERR_INVALID_ARG when there is none. */
int virObjectEventRegistryRemoveLegacy(virObjectEventRegistry *reg, virConnect *conn,
                                       virObjectEventKind kind, int eventID,
                                       virObjectEventFunc cb);

/* Remove every registration of conn (running the free functions);
 * returns how many there were. */
int virObjectEventRegistryPurgeConn(virObjectEventRegistry *reg, virConnect *conn);

/* Number of registrations (all connections, or conn's when non-NULL). */
int virObjectEventRegistryCount(virObjectEventRegistry *reg, virConnect *conn);

/* Raise an event of object key (see above): call invoke for every
 * matching registration now. */
void virObjectEventRegistryDispatch(virObjectEventRegistry *reg, virObjectEventKind kind,
                                    int eventID, const char *key,
                                    virObjectEventInvoke invoke, const void *event);

/* The filter / key form of a UUID (VIR_UUID_STRING_BUFLEN bytes). */
void virObjectEventUUIDKey(const unsigned char *uuid, char *key);

/* The registrations and dispatch of the kinds beside domains, with their
 * handles: filter NULL for all objects. The Add functions check the event
 * ID against the kind's range (VIR_ERR_INVALID_ARG, "unknown event ID"). */
int virObjectEventRegistryAddNetwork(virObjectEventRegistry *reg, virConnect *conn,
                                     const virNetworkRef *net, int eventID,
                                     virConnectNetworkEventGenericCallback cb,
                                     void *opaque, virFreeCallback ff);
int virObjectEventRegistryAddStoragePool(virObjectEventRegistry *reg, virConnect *conn,
                                         const virStoragePoolRef *pool, int eventID,
                                         virConnectStoragePoolEventGenericCallback cb,
                                         void *opaque, virFreeCallback ff);
int virObjectEventRegistryAddNodeDevice(virObjectEventRegistry *reg, virConnect *conn,
                                        const virNodeDeviceRef *dev, int eventID,
                                        virConnectNodeDeviceEventGenericCallback cb,
                                        void *opaque, virFreeCallback ff);
int virObjectEventRegistryAddSecret(virObjectEventRegistry *reg, virConnect *conn,
                                    const virSecretRef *secret, int eventID,
                                    virConnectSecretEventGenericCallback cb,
                                    void *opaque, virFreeCallback ff);

/* Lifecycle (event, detail) and the generic events without payload
 * (pool refresh, node device update, secret value changed). */
void virObjectEventNetworkLifecycle(virObjectEventRegistry *reg, const virNetworkRef *net,
                                    int event, int detail);
void virObjectEventStoragePoolLifecycle(virObjectEventRegistry *reg,
                                        const virStoragePoolRef *pool, int event, int detail);
void virObjectEventStoragePoolRefresh(virObjectEventRegistry *reg,
                                      const virStoragePoolRef *pool);
void virObjectEventNodeDeviceLifecycle(virObjectEventRegistry *reg, const virNodeDeviceRef *dev,
                                       int event, int detail);
void virObjectEventNodeDeviceUpdate(virObjectEventRegistry *reg, const virNodeDeviceRef *dev);
void virObjectEventSecretLifecycle(virObjectEventRegistry *reg, const virSecretRef *secret,
                                   int event, int detail);
void virObjectEventSecretValueChanged(virObjectEventRegistry *reg, const virSecretRef *secret);
