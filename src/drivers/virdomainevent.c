/*
 * virdomainevent.c: domain event registrations on a driver's registry,
 * see virdomainevent.h.
 */
#include <string.h>
#include <glib.h>

#include "virdomainevent.h"
#include "virerror.h"
#include "virlog.h"

/* libvirt reports these from its generic event code, without a domain. */
#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("drivers.domainevent");

virDomainEventRegistry *
virDomainEventRegistryNew(void)
{
    return virObjectEventRegistryNew();
}

void
virDomainEventRegistryFree(virDomainEventRegistry *reg)
{
    virObjectEventRegistryFree(reg);
}

int
virDomainEventRegistryAddLegacy(virDomainEventRegistry *reg, virConnect *conn,
                                virConnectDomainEventCallback cb,
                                void *opaque, virFreeCallback ff)
{
    if (virObjectEventRegistryAdd(reg, conn, VIR_OBJECT_EVENT_DOMAIN,
                                  VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL, true,
                                  VIR_OBJECT_EVENT_CALLBACK(cb), opaque, ff) < 0)
        return -1;
    return 0;
}

int
virDomainEventRegistryAdd(virDomainEventRegistry *reg, virConnect *conn,
                          const virDomainRef *dom, int eventID,
                          virConnectDomainEventGenericCallback cb,
                          void *opaque, virFreeCallback ff)
{
    char key[VIR_UUID_STRING_BUFLEN];

    if (eventID < 0 || eventID >= VIR_DOMAIN_EVENT_ID_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "unknown event ID %d", eventID);
        return -1;
    }
    if (dom)
        virObjectEventUUIDKey(dom->uuid, key);
    return virObjectEventRegistryAdd(reg, conn, VIR_OBJECT_EVENT_DOMAIN, eventID,
                                     dom ? key : NULL, false, VIR_OBJECT_EVENT_CALLBACK(cb),
                                     opaque, ff);
}

int
virDomainEventRegistryRemoveLegacy(virDomainEventRegistry *reg, virConnect *conn,
                                   virConnectDomainEventCallback cb)
{
    return virObjectEventRegistryRemoveLegacy(reg, conn, VIR_OBJECT_EVENT_DOMAIN,
                                              VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_OBJECT_EVENT_CALLBACK(cb));
}

int
virDomainEventRegistryRemove(virDomainEventRegistry *reg, virConnect *conn, int callbackID)
{
    return virObjectEventRegistryRemove(reg, conn, callbackID);
}

int
virDomainEventRegistryPurgeConn(virDomainEventRegistry *reg, virConnect *conn)
{
    return virObjectEventRegistryPurgeConn(reg, conn);
}

int
virDomainEventRegistryCount(virDomainEventRegistry *reg, virConnect *conn)
{
    return virObjectEventRegistryCount(reg, conn);
}

/* A domain event being dispatched. */
typedef struct {
    const virDomainRef *dom;
    int event;
    int detail;
} virDomainEventData;

/* Calls a registration with the event ID's own callback type. */
static void
virDomainEventInvoke(virConnect *conn, virObjectEventFunc cb, void *opaque, int eventID,
                     const void *event)
{
    const virDomainEventData *data = event;

    switch (eventID) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        ((virConnectDomainEventCallback)cb)(conn, data->dom, data->event, data->detail, opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_REBOOT:
        ((virConnectDomainEventRebootCallback)cb)(conn, data->dom, opaque);
        break;
    default:
        ((virConnectDomainEventGenericCallback)cb)(conn, data->dom, opaque);
        break;
    }
}

static void
virDomainEventRegistryDispatch(virDomainEventRegistry *reg, const virDomainRef *dom,
                               int eventID, int event, int detail)
{
    virDomainEventData data = { dom, event, detail };
    char key[VIR_UUID_STRING_BUFLEN];

    virObjectEventUUIDKey(dom->uuid, key);
    virObjectEventRegistryDispatch(reg, VIR_OBJECT_EVENT_DOMAIN, eventID, key,
                                   virDomainEventInvoke, &data);
}

void
virDomainEventRegistryDispatchLifecycle(virDomainEventRegistry *reg, const virDomainRef *dom,
                                        int event, int detail)
{
    VIR_DEBUG("lifecycle event %d/%d for %s", event, detail, dom->name);
    virDomainEventRegistryDispatch(reg, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, event, detail);
}

void
virDomainEventRegistryDispatchReboot(virDomainEventRegistry *reg, const virDomainRef *dom)
{
    VIR_DEBUG("reboot event for %s", dom->name);
    virDomainEventRegistryDispatch(reg, dom, VIR_DOMAIN_EVENT_ID_REBOOT, 0, 0);
}
