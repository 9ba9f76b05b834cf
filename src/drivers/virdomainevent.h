/*
 * virdomainevent.h: a driver's domain event callback registry
 * (docs/architecture.md rules 1-4).
 *
 * Each driver owns one registry in its private state. It holds the
 * registrations made on that driver, in an array it owns:
 *   - legacy lifecycle registrations, keyed by (connection, callback):
 *     a second one with the same key is refused (VIR_ERR_INVALID_ARG,
 *     "event callback already tracked"), removing an unknown one too;
 *   - callback-API registrations: event ID, optional domain filter (by
 *     UUID), callback, opaque, free function. The same callback may be
 *     registered for other filters or event IDs; an identical
 *     (connection, callback, event ID, filter) is refused as in libvirt.
 * Every registration gets a callback ID unique within the registry,
 * counted from 0 (libvirt's numbering; legacy registrations take one too).
 * A connection only sees and removes its own registrations.
 *
 * Dispatch: the driver calls virDomainEventRegistryDispatch* at the point
 * its state changes. Matching callbacks run synchronously, in registration
 * order, in the calling thread, under the registry's lock, so events reach
 * each callback in the order they were raised and a removal that returned
 * is never followed by a call. Callbacks must be cheap and must not block
 * (the daemon's only queue a message to a client).
 *
 * Lock order: driver lock -> registry lock -> whatever a callback takes
 * (e.g. a client's lock). So a callback must never call into the driver,
 * and code that holds a lock a callback may take must not call the driver
 * or this registry. A callback may call the registry's own Add/Remove
 * functions on the same registry (from inside the dispatch): a removal
 * there takes effect at once, its free function runs when the dispatch
 * ends; an addition does not receive the event being dispatched.
 *
 * Free functions run without the registry lock held: on removal, on
 * PurgeConn (the driver's connectClose), and on Free for leftovers.
 */
#pragma once

#include <stdbool.h>

#include "virdriver.h"

typedef struct _virDomainEventRegistry virDomainEventRegistry;

virDomainEventRegistry *virDomainEventRegistryNew(void);
/* Runs the free functions of any registrations left. */
void virDomainEventRegistryFree(virDomainEventRegistry *reg);

/* Legacy API: 0 or -1 (duplicate: VIR_ERR_INVALID_ARG). */
int virDomainEventRegistryAddLegacy(virDomainEventRegistry *reg, virConnect *conn,
                                    virConnectDomainEventCallback cb,
                                    void *opaque, virFreeCallback ff);
/* 0, or -1 with VIR_ERR_INVALID_ARG when (conn, cb) is not registered. */
int virDomainEventRegistryRemoveLegacy(virDomainEventRegistry *reg, virConnect *conn,
                                       virConnectDomainEventCallback cb);

/* Callback API: returns the callback ID (>= 0) or -1. dom NULL: all
 * domains; otherwise only events of the domain with dom's UUID. */
int virDomainEventRegistryAdd(virDomainEventRegistry *reg, virConnect *conn,
                              const virDomainRef *dom, int eventID,
                              virConnectDomainEventGenericCallback cb,
                              void *opaque, virFreeCallback ff);
/* 0, or -1 with VIR_ERR_INVALID_ARG when conn has no such callback ID. */
int virDomainEventRegistryRemove(virDomainEventRegistry *reg, virConnect *conn,
                                 int callbackID);

/* Remove every registration of conn (running the free functions);
 * returns how many there were. */
int virDomainEventRegistryPurgeConn(virDomainEventRegistry *reg, virConnect *conn);

/* Number of registrations (all connections, or conn's when non-NULL). */
int virDomainEventRegistryCount(virDomainEventRegistry *reg, virConnect *conn);

/* Raise an event: call every registration of eventID that matches dom,
 * now. invoke calls one callback: it casts cb to the event ID's own
 * callback type and passes the event's values from data (the typed
 * Dispatch* functions below are the ones drivers use). */
typedef void (*virDomainEventInvoker)(virConnectDomainEventGenericCallback cb, virConnect *conn,
                                      const virDomainRef *dom, const void *data, void *opaque);
void virDomainEventRegistryDispatch(virDomainEventRegistry *reg, const virDomainRef *dom,
                                    int eventID, virDomainEventInvoker invoke, const void *data);

void virDomainEventRegistryDispatchLifecycle(virDomainEventRegistry *reg,
                                             const virDomainRef *dom,
                                             int event, int detail);
void virDomainEventRegistryDispatchReboot(virDomainEventRegistry *reg,
                                          const virDomainRef *dom);
void virDomainEventRegistryDispatchMetadataChange(virDomainEventRegistry *reg,
                                                  const virDomainRef *dom, int type,
                                                  const char *nsuri);
