/*
 * virdomainevent.h: a driver's domain event registrations, on the driver's
 * event callback registry (virobjectevent.h: one registry per driver for
 * every object kind, its locking, dispatch and free rules).
 *
 * Domains add two things: legacy lifecycle registrations, keyed by
 * (connection, callback): a second one with the same key is refused
 * (VIR_ERR_INVALID_ARG, "event callback already tracked"), removing an
 * unknown one too; and callback-API registrations filtered by the
 * domain's UUID. Legacy registrations take a callback ID like any other.
 */
#pragma once

#include <stdbool.h>

#include "virdriver.h"
#include "virobjectevent.h"

typedef virObjectEventRegistry virDomainEventRegistry;

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
/* A job ended well: its statistics (callbacks must not keep params). */
void virDomainEventRegistryDispatchJobCompleted(virDomainEventRegistry *reg,
                                                const virDomainRef *dom,
                                                virTypedParameter *params, int nparams);
