/*
 * virdomainevent.c: a driver's domain event callback registry, see
 * virdomainevent.h.
 */
#include <limits.h>
#include <string.h>
#include <glib.h>

#include "virdomainevent.h"
#include "virerror.h"
#include "virlog.h"

/* libvirt reports these from its generic event code, without a domain. */
#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("drivers.domainevent");

typedef struct {
    int callbackID;
    virConnect *conn;               /* not referenced: PurgeConn runs on close */
    int eventID;
    bool legacy;
    bool hasFilter;
    unsigned char uuid[VIR_UUID_BUFLEN];
    virConnectDomainEventGenericCallback cb;
    void *opaque;
    virFreeCallback ff;
    bool deleted;                   /* removed while a dispatch runs */
} virDomainEventReg;

typedef struct {
    virFreeCallback ff;
    void *opaque;
} virDomainEventPendingFree;

struct _virDomainEventRegistry {
    GMutex lock;
    GArray *regs;                   /* virDomainEventReg, registration order */
    int nextID;
    GThread *dispatching;           /* thread inside a dispatch (atomic) */
    unsigned int depth;             /* nesting of dispatches in that thread */
    GArray *pending;                /* virDomainEventPendingFree */
};

virDomainEventRegistry *
virDomainEventRegistryNew(void)
{
    virDomainEventRegistry *reg = g_new0(virDomainEventRegistry, 1);

    g_mutex_init(&reg->lock);
    reg->regs = g_array_new(FALSE, TRUE, sizeof(virDomainEventReg));
    reg->pending = g_array_new(FALSE, TRUE, sizeof(virDomainEventPendingFree));
    return reg;
}

void
virDomainEventRegistryFree(virDomainEventRegistry *reg)
{
    guint i;

    if (!reg)
        return;
    for (i = 0; i < reg->regs->len; i++) {
        virDomainEventReg *e = &g_array_index(reg->regs, virDomainEventReg, i);
        if (!e->deleted && e->ff)
            e->ff(e->opaque);
    }
    for (i = 0; i < reg->pending->len; i++) {
        virDomainEventPendingFree *p = &g_array_index(reg->pending, virDomainEventPendingFree, i);
        p->ff(p->opaque);
    }
    g_array_free(reg->regs, TRUE);
    g_array_free(reg->pending, TRUE);
    g_mutex_clear(&reg->lock);
    g_free(reg);
}

/* Lock unless this thread is inside a dispatch (and so holds the lock).
 * Returns whether it locked. */
static bool
virDomainEventRegistryLock(virDomainEventRegistry *reg)
{
    if (g_atomic_pointer_get(&reg->dispatching) == (gpointer)g_thread_self())
        return false;
    g_mutex_lock(&reg->lock);
    return true;
}

static bool
virDomainEventRegistryInDispatch(virDomainEventRegistry *reg)
{
    return reg->depth > 0;
}

/* Take entry i out: at once, or (inside a dispatch) by marking it and
 * deferring its free function. Outside a dispatch the caller runs the
 * returned free function after unlocking. */
static void
virDomainEventRegistryTake(virDomainEventRegistry *reg, guint i,
                           virDomainEventPendingFree *out)
{
    virDomainEventReg *e = &g_array_index(reg->regs, virDomainEventReg, i);

    out->ff = NULL;
    out->opaque = NULL;
    if (virDomainEventRegistryInDispatch(reg)) {
        e->deleted = true;
        if (e->ff) {
            virDomainEventPendingFree p = { e->ff, e->opaque };
            g_array_append_val(reg->pending, p);
        }
        return;
    }
    out->ff = e->ff;
    out->opaque = e->opaque;
    g_array_remove_index(reg->regs, i);
}

static int
virDomainEventRegistryFind(virDomainEventRegistry *reg, virConnect *conn, bool legacy,
                           int eventID, virConnectDomainEventGenericCallback cb,
                           bool hasFilter, const unsigned char *uuid)
{
    guint i;

    for (i = 0; i < reg->regs->len; i++) {
        virDomainEventReg *e = &g_array_index(reg->regs, virDomainEventReg, i);

        if (e->deleted || e->conn != conn || e->legacy != legacy ||
            e->eventID != eventID || e->cb != cb || e->hasFilter != hasFilter)
            continue;
        if (hasFilter && memcmp(e->uuid, uuid, VIR_UUID_BUFLEN) != 0)
            continue;
        return (int)i;
    }
    return -1;
}

static int
virDomainEventRegistryAddInternal(virDomainEventRegistry *reg, virConnect *conn,
                                  bool legacy, const virDomainRef *dom, int eventID,
                                  virConnectDomainEventGenericCallback cb,
                                  void *opaque, virFreeCallback ff)
{
    virDomainEventReg e = { 0 };
    bool locked;
    int id;

    locked = virDomainEventRegistryLock(reg);
    if (virDomainEventRegistryFind(reg, conn, legacy, eventID, cb, dom != NULL,
                                   dom ? dom->uuid : NULL) >= 0) {
        if (locked)
            g_mutex_unlock(&reg->lock);
        virReportError(VIR_ERR_INVALID_ARG, "%s", "event callback already tracked");
        return -1;
    }
    id = reg->nextID;
    reg->nextID = reg->nextID == INT_MAX ? 0 : reg->nextID + 1;
    e.callbackID = id;
    e.conn = conn;
    e.eventID = eventID;
    e.legacy = legacy;
    e.hasFilter = dom != NULL;
    if (dom)
        memcpy(e.uuid, dom->uuid, VIR_UUID_BUFLEN);
    e.cb = cb;
    e.opaque = opaque;
    e.ff = ff;
    g_array_append_val(reg->regs, e);
    if (locked)
        g_mutex_unlock(&reg->lock);
    VIR_DEBUG("registered callback %d (conn=%p event=%d legacy=%d)", id, conn, eventID, legacy);
    return id;
}

int
virDomainEventRegistryAddLegacy(virDomainEventRegistry *reg, virConnect *conn,
                                virConnectDomainEventCallback cb,
                                void *opaque, virFreeCallback ff)
{
    if (virDomainEventRegistryAddInternal(reg, conn, true, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(cb), opaque, ff) < 0)
        return -1;
    return 0;
}

int
virDomainEventRegistryAdd(virDomainEventRegistry *reg, virConnect *conn,
                          const virDomainRef *dom, int eventID,
                          virConnectDomainEventGenericCallback cb,
                          void *opaque, virFreeCallback ff)
{
    if (eventID < 0 || eventID >= VIR_DOMAIN_EVENT_ID_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "unknown event ID %d", eventID);
        return -1;
    }
    return virDomainEventRegistryAddInternal(reg, conn, false, dom, eventID, cb, opaque, ff);
}

int
virDomainEventRegistryRemoveLegacy(virDomainEventRegistry *reg, virConnect *conn,
                                   virConnectDomainEventCallback cb)
{
    virDomainEventPendingFree p;
    bool locked = virDomainEventRegistryLock(reg);
    int i = virDomainEventRegistryFind(reg, conn, true, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                       VIR_DOMAIN_EVENT_CALLBACK(cb), false, NULL);

    if (i < 0) {
        if (locked)
            g_mutex_unlock(&reg->lock);
        virReportError(VIR_ERR_INVALID_ARG, "event callback function %p not registered",
                       (void *)(gsize)cb);
        return -1;
    }
    virDomainEventRegistryTake(reg, (guint)i, &p);
    if (locked)
        g_mutex_unlock(&reg->lock);
    if (p.ff)
        p.ff(p.opaque);
    return 0;
}

int
virDomainEventRegistryRemove(virDomainEventRegistry *reg, virConnect *conn, int callbackID)
{
    virDomainEventPendingFree p = { 0 };
    bool locked = virDomainEventRegistryLock(reg);
    guint i;

    for (i = 0; i < reg->regs->len; i++) {
        virDomainEventReg *e = &g_array_index(reg->regs, virDomainEventReg, i);
        if (!e->deleted && e->conn == conn && e->callbackID == callbackID)
            break;
    }
    if (i == reg->regs->len) {
        if (locked)
            g_mutex_unlock(&reg->lock);
        virReportError(VIR_ERR_INVALID_ARG,
                       "could not find event callback %d for deletion", callbackID);
        return -1;
    }
    virDomainEventRegistryTake(reg, i, &p);
    if (locked)
        g_mutex_unlock(&reg->lock);
    if (p.ff)
        p.ff(p.opaque);
    VIR_DEBUG("removed callback %d", callbackID);
    return 0;
}

int
virDomainEventRegistryPurgeConn(virDomainEventRegistry *reg, virConnect *conn)
{
    g_autoptr(GArray) frees = g_array_new(FALSE, TRUE, sizeof(virDomainEventPendingFree));
    bool locked = virDomainEventRegistryLock(reg);
    int count = 0;
    guint i = 0;

    while (i < reg->regs->len) {
        virDomainEventReg *e = &g_array_index(reg->regs, virDomainEventReg, i);
        virDomainEventPendingFree p;

        if (e->deleted || e->conn != conn) {
            i++;
            continue;
        }
        count++;
        virDomainEventRegistryTake(reg, i, &p);
        if (p.ff)
            g_array_append_val(frees, p);
        if (virDomainEventRegistryInDispatch(reg))
            i++;        /* marked, not removed */
    }
    if (locked)
        g_mutex_unlock(&reg->lock);
    for (i = 0; i < frees->len; i++) {
        virDomainEventPendingFree *p = &g_array_index(frees, virDomainEventPendingFree, i);
        p->ff(p->opaque);
    }
    return count;
}

int
virDomainEventRegistryCount(virDomainEventRegistry *reg, virConnect *conn)
{
    bool locked = virDomainEventRegistryLock(reg);
    int count = 0;
    guint i;

    for (i = 0; i < reg->regs->len; i++) {
        virDomainEventReg *e = &g_array_index(reg->regs, virDomainEventReg, i);
        if (!e->deleted && (!conn || e->conn == conn))
            count++;
    }
    if (locked)
        g_mutex_unlock(&reg->lock);
    return count;
}

void
virDomainEventRegistryDispatch(virDomainEventRegistry *reg, const virDomainRef *dom,
                               int eventID, virDomainEventInvoker invoke, const void *data)
{
    g_autoptr(GArray) frees = NULL;
    bool locked = virDomainEventRegistryLock(reg);
    guint n, i;

    if (locked)
        g_atomic_pointer_set(&reg->dispatching, g_thread_self());
    reg->depth++;

    n = reg->regs->len;     /* registrations added by callbacks miss this event */
    for (i = 0; i < n; i++) {
        virDomainEventReg *e = &g_array_index(reg->regs, virDomainEventReg, i);

        if (e->deleted || e->eventID != eventID)
            continue;
        if (e->hasFilter && memcmp(e->uuid, dom->uuid, VIR_UUID_BUFLEN) != 0)
            continue;
        invoke(e->cb, e->conn, dom, data, e->opaque);
    }

    reg->depth--;
    if (!locked)
        return;

    /* outermost dispatch: drop the registrations removed meanwhile */
    i = 0;
    while (i < reg->regs->len) {
        if (g_array_index(reg->regs, virDomainEventReg, i).deleted)
            g_array_remove_index(reg->regs, i);
        else
            i++;
    }
    if (reg->pending->len) {
        frees = reg->pending;
        reg->pending = g_array_new(FALSE, TRUE, sizeof(virDomainEventPendingFree));
    }
    g_atomic_pointer_set(&reg->dispatching, NULL);
    g_mutex_unlock(&reg->lock);

    for (i = 0; frees && i < frees->len; i++) {
        virDomainEventPendingFree *p = &g_array_index(frees, virDomainEventPendingFree, i);
        p->ff(p->opaque);
    }
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
