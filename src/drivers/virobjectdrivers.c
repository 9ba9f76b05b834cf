/*
 * virobjectdrivers.c: the secondary drivers and a connection's tables,
 * see virobjectdrivers.h.
 *
 * Locking: the registered secondary tables are set at start (daemon
 * initialisation) and read under secondaryLock; a connection's tables are
 * set before the connection is handed out and never change.
 */
#include <glib.h>

#include "virobjectdrivers.h"
#include "virconnect.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("drivers.objectdrivers");

static GMutex secondaryLock;
static virObjectDrivers secondary;

#define VIR_OBJECT_DRIVER_KINDS 5

/* The table slots of a virObjectDrivers, in one order. */
static const void **
virObjectDriversSlot(virObjectDrivers *d, size_t i)
{
    switch (i) {
    case 0: return (const void **)&d->network;
    case 1: return (const void **)&d->storage;
    case 2: return (const void **)&d->iface;
    case 3: return (const void **)&d->nodeDevice;
    default: return (const void **)&d->secret;
    }
}

typedef int (*virObjectDriverHook)(virConnect *conn);

/* The name and the connection hooks of table i of d (non-NULL). */
#define HOOKS_OF(table) \
    do { \
        *name = (table)->name; \
        *open = (table)->connectOpen; \
        *close = (table)->connectClose; \
    } while (0)

static void
virObjectDriversHooks(const virObjectDrivers *d, size_t i, const char **name,
                      virObjectDriverHook *open, virObjectDriverHook *close)
{
    switch (i) {
    case 0: HOOKS_OF(d->network); break;
    case 1: HOOKS_OF(d->storage); break;
    case 2: HOOKS_OF(d->iface); break;
    case 3: HOOKS_OF(d->nodeDevice); break;
    default: HOOKS_OF(d->secret); break;
    }
}

int
virObjectDriversRegister(const virObjectDrivers *drivers)
{
    virObjectDrivers in = *drivers;
    size_t i;

    g_mutex_lock(&secondaryLock);
    for (i = 0; i < VIR_OBJECT_DRIVER_KINDS; i++) {
        const void **slot = virObjectDriversSlot(&secondary, i);
        const void *table = *virObjectDriversSlot(&in, i);

        if (table && !*slot) {
            *slot = table;
            VIR_DEBUG("registered secondary driver %zu", i);
        }
    }
    g_mutex_unlock(&secondaryLock);
    return 0;
}

int
virObjectDriversAttach(virConnect *conn)
{
    virObjectDrivers own = { 0 };
    virObjectDrivers shared = { 0 };
    size_t i;

    if (conn->driver->objectDrivers)
        own = *conn->driver->objectDrivers;
    if (conn->driver->secondaryDrivers) {
        g_mutex_lock(&secondaryLock);
        shared = secondary;
        g_mutex_unlock(&secondaryLock);
    }
    for (i = 0; i < VIR_OBJECT_DRIVER_KINDS; i++) {
        const void *table = *virObjectDriversSlot(&own, i);
        const void *second = *virObjectDriversSlot(&shared, i);

        if (!table && second) {
            const char *name;
            virObjectDriverHook open, close;

            virObjectDriversHooks(&shared, i, &name, &open, &close);
            if (open && open(conn) < 0) {
                VIR_DEBUG("secondary driver %s refused %p", name, conn);
                virObjectDriversDetach(conn);
                return -1;
            }
            /* recorded as secondary: Detach calls its close hook */
            *virObjectDriversSlot(&conn->secondary, i) = second;
            table = second;
        }
        *virObjectDriversSlot(&conn->objects, i) = table;
    }
    return 0;
}

void
virObjectDriversDetach(virConnect *conn)
{
    size_t i;

    for (i = 0; i < VIR_OBJECT_DRIVER_KINDS; i++) {
        const void **slot = virObjectDriversSlot(&conn->secondary, i);
        const char *name;
        virObjectDriverHook open, close;

        if (!*slot)
            continue;
        virObjectDriversHooks(&conn->secondary, i, &name, &open, &close);
        if (close)
            close(conn);
        *slot = NULL;
    }
}
