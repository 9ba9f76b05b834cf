/*
 * virobjectevent.c: a driver's event callback registry, see
 * virobjectevent.h.
 */
#include <limits.h>
#include <string.h>
#include <glib.h>

#include "virobjectevent.h"
#include "virerror.h"
#include "virlog.h"

/* libvirt reports these from its generic event code, without a domain. */
#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("drivers.objectevent");

typedef struct {
    int callbackID;
    virConnect *conn;               /* not referenced: PurgeConn runs on close */
    virObjectEventKind kind;
    int eventID;
    bool legacy;
    char *filter;                   /* NULL: every object */
    virObjectEventFunc cb;
    void *opaque;
    virFreeCallback ff;
    bool deleted;                   /* removed while a dispatch runs */
} virObjectEventReg;

typedef struct {
    virFreeCallback ff;
    void *opaque;
} virObjectEventPendingFree;

struct _virObjectEventRegistry {
    GMutex lock;
    GArray *regs;                   /* virObjectEventReg, registration order */
    int nextID;
    GThread *dispatching;           /* thread inside a dispatch (atomic) */
    unsigned int depth;             /* nesting of dispatches in that thread */
    GArray *pending;                /* virObjectEventPendingFree */
};

static void
virObjectEventRegClear(gpointer data)
{
    virObjectEventReg *e = data;

    g_free(e->filter);
}

virObjectEventRegistry *
virObjectEventRegistryNew(void)
{
    virObjectEventRegistry *reg = g_new0(virObjectEventRegistry, 1);

    g_mutex_init(&reg->lock);
    reg->regs = g_array_new(FALSE, TRUE, sizeof(virObjectEventReg));
    g_array_set_clear_func(reg->regs, virObjectEventRegClear);
    reg->pending = g_array_new(FALSE, TRUE, sizeof(virObjectEventPendingFree));
    return reg;
}

static void
virObjectEventRunFrees(GArray *frees)
{
    guint i;

    for (i = 0; frees && i < frees->len; i++) {
        virObjectEventPendingFree *p = &g_array_index(frees, virObjectEventPendingFree, i);
        p->ff(p->opaque);
    }
}

void
virObjectEventRegistryFree(virObjectEventRegistry *reg)
{
    guint i;

    if (!reg)
        return;
    for (i = 0; i < reg->regs->len; i++) {
        virObjectEventReg *e = &g_array_index(reg->regs, virObjectEventReg, i);
        if (!e->deleted && e->ff)
            e->ff(e->opaque);
    }
    virObjectEventRunFrees(reg->pending);
    g_array_free(reg->regs, TRUE);
    g_array_free(reg->pending, TRUE);
    g_mutex_clear(&reg->lock);
    g_free(reg);
}

/* Lock unless this thread is inside a dispatch (and so holds the lock).
 * Returns whether it locked. */
static bool
virObjectEventRegistryLock(virObjectEventRegistry *reg)
{
    if (g_atomic_pointer_get(&reg->dispatching) == (gpointer)g_thread_self())
        return false;
    g_mutex_lock(&reg->lock);
    return true;
}

static void
virObjectEventRegistryUnlock(virObjectEventRegistry *reg, bool locked)
{
    if (locked)
        g_mutex_unlock(&reg->lock);
}

/* Take entry i out: at once, or (inside a dispatch) by marking it and
 * deferring its free function. Outside a dispatch the free function to
 * run after unlocking is appended to frees. */
static void
virObjectEventRegistryTake(virObjectEventRegistry *reg, guint i, GArray *frees)
{
    virObjectEventReg *e = &g_array_index(reg->regs, virObjectEventReg, i);
    virObjectEventPendingFree p = { e->ff, e->opaque };

    if (reg->depth > 0) {
        e->deleted = true;
        if (p.ff)
            g_array_append_val(reg->pending, p);
        return;
    }
    if (p.ff)
        g_array_append_val(frees, p);
    g_array_remove_index(reg->regs, i);
}

static bool
virObjectEventFilterEqual(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int
virObjectEventRegistryFind(virObjectEventRegistry *reg, virConnect *conn, bool legacy,
                           virObjectEventKind kind, int eventID, virObjectEventFunc cb,
                           const char *filter)
{
    guint i;

    for (i = 0; i < reg->regs->len; i++) {
        virObjectEventReg *e = &g_array_index(reg->regs, virObjectEventReg, i);

        if (!e->deleted && e->conn == conn && e->legacy == legacy && e->kind == kind &&
            e->eventID == eventID && e->cb == cb && virObjectEventFilterEqual(e->filter, filter))
            return (int)i;
    }
    return -1;
}

int
virObjectEventRegistryAdd(virObjectEventRegistry *reg, virConnect *conn,
                          virObjectEventKind kind, int eventID, const char *filter,
                          bool legacy, virObjectEventFunc cb, void *opaque, virFreeCallback ff)
{
    virObjectEventReg e = { 0 };
    bool locked = virObjectEventRegistryLock(reg);
    int id;

    if (virObjectEventRegistryFind(reg, conn, legacy, kind, eventID, cb, filter) >= 0) {
        virObjectEventRegistryUnlock(reg, locked);
        virReportError(VIR_ERR_INVALID_ARG, "%s", "event callback already tracked");
        return -1;
    }
    id = reg->nextID;
    reg->nextID = reg->nextID == INT_MAX ? 0 : reg->nextID + 1;
    e.callbackID = id;
    e.conn = conn;
    e.kind = kind;
    e.eventID = eventID;
    e.legacy = legacy;
    e.filter = g_strdup(filter);
    e.cb = cb;
    e.opaque = opaque;
    e.ff = ff;
    g_array_append_val(reg->regs, e);
    virObjectEventRegistryUnlock(reg, locked);
    VIR_DEBUG("registered callback %d (conn=%p kind=%d event=%d legacy=%d)",
              id, conn, kind, eventID, legacy);
    return id;
}

/* Remove the entry at index i (from Find), or report msg when i < 0. */
static int
virObjectEventRegistryRemoveAt(virObjectEventRegistry *reg, bool locked, int i,
                               const char *msg)
{
    g_autoptr(GArray) frees = g_array_new(FALSE, TRUE, sizeof(virObjectEventPendingFree));

    if (i < 0) {
        virObjectEventRegistryUnlock(reg, locked);
        virReportError(VIR_ERR_INVALID_ARG, "%s", msg);
        return -1;
    }
    virObjectEventRegistryTake(reg, (guint)i, frees);
    virObjectEventRegistryUnlock(reg, locked);
    virObjectEventRunFrees(frees);
    return 0;
}

int
virObjectEventRegistryRemoveLegacy(virObjectEventRegistry *reg, virConnect *conn,
                                   virObjectEventKind kind, int eventID, virObjectEventFunc cb)
{
    g_autofree char *msg = g_strdup_printf("event callback function %p not registered",
                                           (void *)(gsize)cb);
    bool locked = virObjectEventRegistryLock(reg);

    return virObjectEventRegistryRemoveAt(reg, locked,
                                          virObjectEventRegistryFind(reg, conn, true, kind,
                                                                     eventID, cb, NULL),
                                          msg);
}

int
virObjectEventRegistryRemove(virObjectEventRegistry *reg, virConnect *conn, int callbackID)
{
    g_autofree char *msg = g_strdup_printf("could not find event callback %d for deletion",
                                           callbackID);
    bool locked = virObjectEventRegistryLock(reg);
    int found = -1;
    guint i;

    for (i = 0; i < reg->regs->len && found < 0; i++) {
        virObjectEventReg *e = &g_array_index(reg->regs, virObjectEventReg, i);
        if (!e->deleted && e->conn == conn && e->callbackID == callbackID)
            found = (int)i;
    }
    if (virObjectEventRegistryRemoveAt(reg, locked, found, msg) < 0)
        return -1;
    VIR_DEBUG("removed callback %d", callbackID);
    return 0;
}

int
virObjectEventRegistryPurgeConn(virObjectEventRegistry *reg, virConnect *conn)
{
    g_autoptr(GArray) frees = g_array_new(FALSE, TRUE, sizeof(virObjectEventPendingFree));
    bool locked = virObjectEventRegistryLock(reg);
    int count = 0;
    guint i = 0;

    while (i < reg->regs->len) {
        virObjectEventReg *e = &g_array_index(reg->regs, virObjectEventReg, i);

        if (e->deleted || e->conn != conn) {
            i++;
            continue;
        }
        count++;
        virObjectEventRegistryTake(reg, i, frees);
        if (reg->depth > 0)
            i++;        /* marked, not removed */
    }
    virObjectEventRegistryUnlock(reg, locked);
    virObjectEventRunFrees(frees);
    return count;
}

int
virObjectEventRegistryCount(virObjectEventRegistry *reg, virConnect *conn)
{
    bool locked = virObjectEventRegistryLock(reg);
    int count = 0;
    guint i;

    for (i = 0; i < reg->regs->len; i++) {
        virObjectEventReg *e = &g_array_index(reg->regs, virObjectEventReg, i);
        if (!e->deleted && (!conn || e->conn == conn))
            count++;
    }
    virObjectEventRegistryUnlock(reg, locked);
    return count;
}

void
virObjectEventRegistryDispatch(virObjectEventRegistry *reg, virObjectEventKind kind,
                               int eventID, const char *key, virObjectEventInvoke invoke,
                               const void *event)
{
    g_autoptr(GArray) frees = NULL;
    bool locked = virObjectEventRegistryLock(reg);
    guint n, i;

    if (locked)
        g_atomic_pointer_set(&reg->dispatching, g_thread_self());
    reg->depth++;

    n = reg->regs->len;     /* registrations added by callbacks miss this event */
    for (i = 0; i < n; i++) {
        virObjectEventReg *e = &g_array_index(reg->regs, virObjectEventReg, i);
        virObjectEventFunc cb = e->cb;
        virConnect *conn = e->conn;
        void *opaque = e->opaque;

        if (e->deleted || e->kind != kind || e->eventID != eventID)
            continue;
        if (e->filter && strcmp(e->filter, key) != 0)
            continue;
        invoke(conn, cb, opaque, eventID, event);
    }

    reg->depth--;
    if (!locked)
        return;

    /* outermost dispatch: drop the registrations removed meanwhile */
    i = 0;
    while (i < reg->regs->len) {
        if (g_array_index(reg->regs, virObjectEventReg, i).deleted)
            g_array_remove_index(reg->regs, i);
        else
            i++;
    }
    if (reg->pending->len) {
        frees = reg->pending;
        reg->pending = g_array_new(FALSE, TRUE, sizeof(virObjectEventPendingFree));
    }
    g_atomic_pointer_set(&reg->dispatching, NULL);
    g_mutex_unlock(&reg->lock);
    virObjectEventRunFrees(frees);
}

void
virObjectEventUUIDKey(const unsigned char *uuid, char *key)
{
    size_t i;

    for (i = 0; i < VIR_UUID_BUFLEN; i++)
        g_snprintf(key + i * 2, 3, "%02x", uuid[i]);
}

/* ---- the kinds beside domains ---- */

/* What a dispatch of the kinds below carries: the object's handle and, for
 * lifecycle events, event and detail. */
typedef struct {
    const void *obj;
    int event;
    int detail;
} virObjectEventPayload;

/* Every lifecycle callback of these kinds is (conn, handle, event,
 * detail, opaque), every other (conn, handle, opaque): one invoker. */
typedef void (*virObjectEventLifecycleFunc)(virConnect *conn, const void *obj, int event,
                                            int detail, void *opaque);
typedef void (*virObjectEventGenericFunc)(virConnect *conn, const void *obj, void *opaque);

static void
virObjectEventInvokeObject(virConnect *conn, virObjectEventFunc cb, void *opaque,
                           int eventID, const void *event)
{
    const virObjectEventPayload *p = event;

    /* ID 0 is the lifecycle event of every kind */
    if (eventID == 0)
        ((virObjectEventLifecycleFunc)cb)(conn, p->obj, p->event, p->detail, opaque);
    else
        ((virObjectEventGenericFunc)cb)(conn, p->obj, opaque);
}

static int
virObjectEventRegistryAddChecked(virObjectEventRegistry *reg, virConnect *conn,
                                 virObjectEventKind kind, int eventID, int last,
                                 const char *filter, virObjectEventFunc cb, void *opaque,
                                 virFreeCallback ff)
{
    if (eventID < 0 || eventID >= last) {
        virReportError(VIR_ERR_INVALID_ARG, "unknown event ID %d", eventID);
        return -1;
    }
    return virObjectEventRegistryAdd(reg, conn, kind, eventID, filter, false, cb, opaque, ff);
}

static void
virObjectEventRaise(virObjectEventRegistry *reg, virObjectEventKind kind, int eventID,
                    const char *key, const void *obj, int event, int detail)
{
    virObjectEventPayload p = { obj, event, detail };

    VIR_DEBUG("event kind=%d id=%d %d/%d for %s", kind, eventID, event, detail, key);
    virObjectEventRegistryDispatch(reg, kind, eventID, key, virObjectEventInvokeObject, &p);
}

/* The key of a handle whose identity is its UUID. */
#define UUID_KEY(var, uuid) \
    char var[VIR_UUID_STRING_BUFLEN]; \
    virObjectEventUUIDKey(uuid, var)

/* Add a registration of a kind whose objects are keyed by UUID. */
static int
virObjectEventRegistryAddUUID(virObjectEventRegistry *reg, virConnect *conn,
                              virObjectEventKind kind, int eventID, int last,
                              const unsigned char *uuid, virObjectEventFunc cb, void *opaque,
                              virFreeCallback ff)
{
    char key[VIR_UUID_STRING_BUFLEN];

    if (uuid)
        virObjectEventUUIDKey(uuid, key);
    return virObjectEventRegistryAddChecked(reg, conn, kind, eventID, last, uuid ? key : NULL,
                                            cb, opaque, ff);
}

int
virObjectEventRegistryAddNetwork(virObjectEventRegistry *reg, virConnect *conn,
                                 const virNetworkRef *net, int eventID,
                                 virConnectNetworkEventGenericCallback cb,
                                 void *opaque, virFreeCallback ff)
{
    return virObjectEventRegistryAddUUID(reg, conn, VIR_OBJECT_EVENT_NETWORK, eventID,
                                         VIR_NETWORK_EVENT_ID_LAST, net ? net->uuid : NULL,
                                         VIR_OBJECT_EVENT_CALLBACK(cb), opaque, ff);
}

int
virObjectEventRegistryAddStoragePool(virObjectEventRegistry *reg, virConnect *conn,
                                     const virStoragePoolRef *pool, int eventID,
                                     virConnectStoragePoolEventGenericCallback cb,
                                     void *opaque, virFreeCallback ff)
{
    return virObjectEventRegistryAddUUID(reg, conn, VIR_OBJECT_EVENT_STORAGE_POOL, eventID,
                                         VIR_STORAGE_POOL_EVENT_ID_LAST,
                                         pool ? pool->uuid : NULL,
                                         VIR_OBJECT_EVENT_CALLBACK(cb), opaque, ff);
}

int
virObjectEventRegistryAddNodeDevice(virObjectEventRegistry *reg, virConnect *conn,
                                    const virNodeDeviceRef *dev, int eventID,
                                    virConnectNodeDeviceEventGenericCallback cb,
                                    void *opaque, virFreeCallback ff)
{
    return virObjectEventRegistryAddChecked(reg, conn, VIR_OBJECT_EVENT_NODE_DEVICE, eventID,
                                            VIR_NODE_DEVICE_EVENT_ID_LAST,
                                            dev ? dev->name : NULL,
                                            VIR_OBJECT_EVENT_CALLBACK(cb), opaque, ff);
}

int
virObjectEventRegistryAddSecret(virObjectEventRegistry *reg, virConnect *conn,
                                const virSecretRef *secret, int eventID,
                                virConnectSecretEventGenericCallback cb,
                                void *opaque, virFreeCallback ff)
{
    return virObjectEventRegistryAddUUID(reg, conn, VIR_OBJECT_EVENT_SECRET, eventID,
                                         VIR_SECRET_EVENT_ID_LAST, secret ? secret->uuid : NULL,
                                         VIR_OBJECT_EVENT_CALLBACK(cb), opaque, ff);
}

void
virObjectEventNetworkLifecycle(virObjectEventRegistry *reg, const virNetworkRef *net,
                               int event, int detail)
{
    UUID_KEY(key, net->uuid);
    virObjectEventRaise(reg, VIR_OBJECT_EVENT_NETWORK, VIR_NETWORK_EVENT_ID_LIFECYCLE, key,
                        net, event, detail);
}

void
virObjectEventStoragePoolLifecycle(virObjectEventRegistry *reg, const virStoragePoolRef *pool,
                                   int event, int detail)
{
    UUID_KEY(key, pool->uuid);
    virObjectEventRaise(reg, VIR_OBJECT_EVENT_STORAGE_POOL, VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
                        key, pool, event, detail);
}

void
virObjectEventStoragePoolRefresh(virObjectEventRegistry *reg, const virStoragePoolRef *pool)
{
    UUID_KEY(key, pool->uuid);
    virObjectEventRaise(reg, VIR_OBJECT_EVENT_STORAGE_POOL, VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                        key, pool, 0, 0);
}

void
virObjectEventNodeDeviceLifecycle(virObjectEventRegistry *reg, const virNodeDeviceRef *dev,
                                  int event, int detail)
{
    virObjectEventRaise(reg, VIR_OBJECT_EVENT_NODE_DEVICE, VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
                        dev->name, dev, event, detail);
}

void
virObjectEventNodeDeviceUpdate(virObjectEventRegistry *reg, const virNodeDeviceRef *dev)
{
    virObjectEventRaise(reg, VIR_OBJECT_EVENT_NODE_DEVICE, VIR_NODE_DEVICE_EVENT_ID_UPDATE,
                        dev->name, dev, 0, 0);
}

void
virObjectEventSecretLifecycle(virObjectEventRegistry *reg, const virSecretRef *secret,
                              int event, int detail)
{
    UUID_KEY(key, secret->uuid);
    virObjectEventRaise(reg, VIR_OBJECT_EVENT_SECRET, VIR_SECRET_EVENT_ID_LIFECYCLE, key,
                        secret, event, detail);
}

void
virObjectEventSecretValueChanged(virObjectEventRegistry *reg, const virSecretRef *secret)
{
    UUID_KEY(key, secret->uuid);
    virObjectEventRaise(reg, VIR_OBJECT_EVENT_SECRET, VIR_SECRET_EVENT_ID_VALUE_CHANGED, key,
                        secret, 0, 0);
}
