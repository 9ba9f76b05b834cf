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

/* A domain event being dispatched: the kind's invoker and its data. */
typedef struct {
    const virDomainRef *dom;
    virDomainEventInvoker invoke;
    const void *data;
} virDomainEventPayload;

static void
virDomainEventInvoke(virConnect *conn, virObjectEventFunc cb, void *opaque,
                     int eventID G_GNUC_UNUSED, const void *event)
{
    const virDomainEventPayload *p = event;

    p->invoke((virConnectDomainEventGenericCallback)cb, conn, p->dom, p->data, opaque);
}

void
virDomainEventRegistryDispatch(virDomainEventRegistry *reg, const virDomainRef *dom,
                               int eventID, virDomainEventInvoker invoke, const void *data)
{
    virDomainEventPayload p = { dom, invoke, data };
    char key[VIR_UUID_STRING_BUFLEN];

    virObjectEventUUIDKey(dom->uuid, key);
    virObjectEventRegistryDispatch(reg, VIR_OBJECT_EVENT_DOMAIN, eventID, key,
                                   virDomainEventInvoke, &p);
}

/* ---- one invoker per event ID: the callback's own type, the event's
 * values from data ---- */

#define VIR_DOMAIN_EVENT_CB(type, cb) ((type)(void (*)(void))(cb))

typedef struct {
    int event;
    int detail;
} virDomainEventLifecycleData;

static void
virDomainEventInvokeLifecycle(virConnectDomainEventGenericCallback cb, virConnect *conn,
                              const virDomainRef *dom, const void *data, void *opaque)
{
    const virDomainEventLifecycleData *d = data;

    VIR_DOMAIN_EVENT_CB(virConnectDomainEventCallback, cb)(conn, dom, d->event, d->detail, opaque);
}

void
virDomainEventRegistryDispatchLifecycle(virDomainEventRegistry *reg, const virDomainRef *dom,
                                        int event, int detail)
{
    virDomainEventLifecycleData d = { event, detail };

    VIR_DEBUG("lifecycle event %d/%d for %s", event, detail, dom->name);
    virDomainEventRegistryDispatch(reg, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                   virDomainEventInvokeLifecycle, &d);
}

static void
virDomainEventInvokeDomainOnly(virConnectDomainEventGenericCallback cb, virConnect *conn,
                               const virDomainRef *dom, const void *data G_GNUC_UNUSED,
                               void *opaque)
{
    cb(conn, dom, opaque);
}

void
virDomainEventRegistryDispatchReboot(virDomainEventRegistry *reg, const virDomainRef *dom)
{
    VIR_DEBUG("reboot event for %s", dom->name);
    virDomainEventRegistryDispatch(reg, dom, VIR_DOMAIN_EVENT_ID_REBOOT,
                                   virDomainEventInvokeDomainOnly, NULL);
}

typedef struct {
    int type;
    const char *nsuri;
} virDomainEventMetadataData;

static void
virDomainEventInvokeMetadataChange(virConnectDomainEventGenericCallback cb, virConnect *conn,
                                   const virDomainRef *dom, const void *data, void *opaque)
{
    const virDomainEventMetadataData *d = data;

    VIR_DOMAIN_EVENT_CB(virConnectDomainEventMetadataChangeCallback, cb)(conn, dom, d->type,
                                                                        d->nsuri, opaque);
}

void
virDomainEventRegistryDispatchMetadataChange(virDomainEventRegistry *reg,
                                             const virDomainRef *dom, int type,
                                             const char *nsuri)
{
    virDomainEventMetadataData d = { type, nsuri };

    virDomainEventRegistryDispatch(reg, dom, VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
                                   virDomainEventInvokeMetadataChange, &d);
}

typedef struct {
    virTypedParameter *params;
    int nparams;
} virDomainEventJobCompletedData;

static void
virDomainEventInvokeJobCompleted(virConnectDomainEventGenericCallback cb, virConnect *conn,
                                 const virDomainRef *dom, const void *data, void *opaque)
{
    const virDomainEventJobCompletedData *d = data;

    VIR_DOMAIN_EVENT_CB(virConnectDomainEventJobCompletedCallback, cb)(conn, dom, d->params,
                                                                      d->nparams, opaque);
}

void
virDomainEventRegistryDispatchJobCompleted(virDomainEventRegistry *reg, const virDomainRef *dom,
                                           virTypedParameter *params, int nparams)
{
    virDomainEventJobCompletedData d = { params, nparams };

    virDomainEventRegistryDispatch(reg, dom, VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
                                   virDomainEventInvokeJobCompleted, &d);
}
