/*
 * testnetwork.c: the test driver's networks (libvirt's test driver:
 * in-memory networks with their definitions, nothing behind them). See
 * testdriverpriv.h for the state and its lock, docs/test-driver.md for
 * what matches libvirt.
 *
 * Every entry point takes state->lock for its whole run; events go to the
 * state's registry under it, as for domains.
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virnetworkdef.h"
#include "virobjectevent.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

#define NET_BY_NAME(state, ref) \
    virObjectListGetByName((state)->networks, (ref)->name, VIR_FROM_TEST, VIR_ERR_NO_NETWORK, \
                           "network")
#define NET_BY_UUID(state, uuid) \
    virObjectListGetByUUID((state)->networks, (uuid), VIR_FROM_TEST, VIR_ERR_NO_NETWORK, \
                           "network")

/* Run body on the network ref names (by name, or by UUID as libvirt does
 * for some calls), under the state lock; e is the entry. */
#define WITH_NET(conn, ref, byUUID, body) \
    do { \
        testState *state = (conn)->privateData; \
        virObjectListEntry *e; \
        virNoIOMutexLock(&state->lock); \
        if ((e = (byUUID) ? NET_BY_UUID(state, (ref)->uuid) : NET_BY_NAME(state, ref))) { \
            body; \
        } \
        virNoIOMutexUnlock(&state->lock); \
    } while (0)

static virNetworkRef *
testNetworkMakeRef(const virObjectListEntry *e)
{
    return virNetworkRefNew(e->name, e->uuid);
}

static void
testNetworkEmit(testState *state, const virObjectListEntry *e, int event)
{
    virNetworkRef ref = { .name = e->name };

    memcpy(ref.uuid, e->uuid, VIR_UUID_BUFLEN);
    virObjectEventNetworkLifecycle(state->events, &ref, event, 0);
}

int
testNetworksLoad(testState *state, xmlNodePtr root, const char *path)
{
    xmlNodePtr cur;

    for (cur = root->children; cur; cur = cur->next) {
        virXMLTree *def;
        virObjectListEntry *e;
        unsigned char uuid[VIR_UUID_BUFLEN];

        if (cur->type != XML_ELEMENT_NODE || strcmp((const char *)cur->name, "network") != 0)
            continue;
        if (!(cur = testNodeFileElement(cur, path)) || !(def = virNetworkDefParseNode(cur)))
            return -1;
        virNetworkDefUUID(def, uuid);
        if (!(e = virObjectListAssignDef(state->networks, virNetworkDefName(def), uuid, def,
                                         false, false))) {
            virXMLTreeFree(def);
            return -1;
        }
        e->active = true;
    }
    return 0;
}

/* ---- lists ---- */

static int
testNetworkCount(virConnect *conn, bool active)
{
    testState *state = conn->privateData;
    int n;

    virNoIOMutexLock(&state->lock);
    n = virObjectListCount(state->networks, active);
    virNoIOMutexUnlock(&state->lock);
    return n;
}

static int
testNetworkNames(virConnect *conn, bool active, char **names, int maxnames)
{
    testState *state = conn->privateData;
    int n;

    virNoIOMutexLock(&state->lock);
    n = virObjectListGetNames(state->networks, active, names, maxnames);
    virNoIOMutexUnlock(&state->lock);
    return n;
}

static int
testConnectNumOfNetworks(virConnect *conn)
{
    return testNetworkCount(conn, true);
}

static int
testConnectNumOfDefinedNetworks(virConnect *conn)
{
    return testNetworkCount(conn, false);
}

static int
testConnectListNetworks(virConnect *conn, char **names, int maxnames)
{
    return testNetworkNames(conn, true, names, maxnames);
}

static int
testConnectListDefinedNetworks(virConnect *conn, char **names, int maxnames)
{
    return testNetworkNames(conn, false, names, maxnames);
}

static int
testConnectListAllNetworks(virConnect *conn, virNetworkRef ***nets, unsigned int flags)
{
    testState *state = conn->privateData;
    GPtrArray *list = g_ptr_array_new();
    size_t i;

    virDriverCheckFlags(flags, 0x3f, -1);
    virNoIOMutexLock(&state->lock);
    for (i = 0; i < virObjectListSize(state->networks); i++) {
        virObjectListEntry *e = virObjectListAt(state->networks, i);

        if (virObjectListEntryMatches(e, flags))
            g_ptr_array_add(list, testNetworkMakeRef(e));
    }
    virNoIOMutexUnlock(&state->lock);
    return virObjectRefListFinish(list, virObjectRefCompareName, (void ***)nets);
}

static virNetworkRef *
testNetworkLookupByName(virConnect *conn, const char *name)
{
    virNetworkRef key = { .name = (char *)name };
    virNetworkRef *ret = NULL;

    WITH_NET(conn, &key, false, ret = testNetworkMakeRef(e));
    return ret;
}

static virNetworkRef *
testNetworkLookupByUUID(virConnect *conn, const unsigned char *uuid)
{
    virNetworkRef key = { 0 };
    virNetworkRef *ret = NULL;

    memcpy(key.uuid, uuid, VIR_UUID_BUFLEN);
    WITH_NET(conn, &key, true, ret = testNetworkMakeRef(e));
    return ret;
}

/* ---- lifecycle ---- */

/* Define (persistent config) or create (live and started) from xml. */
static virNetworkRef *
testNetworkAssign(virConnect *conn, const char *xml, bool live)
{
    testState *state = conn->privateData;
    virXMLTree *def;
    virObjectListEntry *e;
    virNetworkRef *ret = NULL;
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (!(def = virNetworkDefParseString(xml)))
        return NULL;
    virNetworkDefUUID(def, uuid);
    virNoIOMutexLock(&state->lock);
    if (!(e = virObjectListAssignDef(state->networks, virNetworkDefName(def), uuid, def, live,
                                     live))) {
        virXMLTreeFree(def);
    } else {
        if (live)
            e->active = true;
        testNetworkEmit(state, e, live ? VIR_NETWORK_EVENT_STARTED : VIR_NETWORK_EVENT_DEFINED);
        ret = testNetworkMakeRef(e);
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static virNetworkRef *
testNetworkCreateXMLFlags(virConnect *conn, const char *xml, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_NETWORK_CREATE_VALIDATE, NULL);
    return testNetworkAssign(conn, xml, true);
}

static virNetworkRef *
testNetworkDefineXMLFlags(virConnect *conn, const char *xml, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_NETWORK_DEFINE_VALIDATE, NULL);
    return testNetworkAssign(conn, xml, false);
}

static int
testNetworkUndefine(virConnect *conn, const virNetworkRef *net)
{
    int ret = -1;

    WITH_NET(conn, net, false, {
        if (e->active) {
            virReportError(VIR_ERR_OPERATION_INVALID, "Network '%s' is still running", net->name);
        } else {
            testNetworkEmit(state, e, VIR_NETWORK_EVENT_UNDEFINED);
            virObjectListRemove(state->networks, e);
            ret = 0;
        }
    });
    return ret;
}

static int
testNetworkCreate(virConnect *conn, const virNetworkRef *net)
{
    int ret = -1;

    WITH_NET(conn, net, false, {
        if (e->active) {
            virReportError(VIR_ERR_OPERATION_INVALID, "Network '%s' is already running",
                           net->name);
        } else {
            e->active = true;
            testNetworkEmit(state, e, VIR_NETWORK_EVENT_STARTED);
            ret = 0;
        }
    });
    return ret;
}

/* As libvirt's test driver: stopped (the live definition stays in
 * force), dropped when transient; no "not running" check. */
static int
testNetworkDestroy(virConnect *conn, const virNetworkRef *net)
{
    int ret = -1;

    WITH_NET(conn, net, false, {
        e->active = false;
        testNetworkEmit(state, e, VIR_NETWORK_EVENT_STOPPED);
        if (!e->persistent)
            virObjectListRemove(state->networks, e);
        ret = 0;
    });
    return ret;
}

static int
testNetworkUpdate(virConnect *conn, const virNetworkRef *net, unsigned int command,
                  unsigned int section, int parentIndex, const char *xml, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, VIR_NETWORK_UPDATE_AFFECT_LIVE | VIR_NETWORK_UPDATE_AFFECT_CONFIG,
                        -1);
    WITH_NET(conn, net, true, {
        g_autoptr(virXMLTree) live = NULL;
        g_autoptr(virXMLTree) config = NULL;

        if (!(flags & (VIR_NETWORK_UPDATE_AFFECT_LIVE | VIR_NETWORK_UPDATE_AFFECT_CONFIG)))
            flags |= e->active ? VIR_NETWORK_UPDATE_AFFECT_LIVE : VIR_NETWORK_UPDATE_AFFECT_CONFIG;
        if (!e->active && (flags & VIR_NETWORK_UPDATE_AFFECT_LIVE)) {
            virErrorReportFull(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID, __FILE__, __func__,
                               __LINE__, "%s", "network is not running");
        } else if ((flags & VIR_NETWORK_UPDATE_AFFECT_CONFIG) && !e->persistent) {
            virErrorReportFull(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID, __FILE__, __func__,
                               __LINE__, "%s",
                               "cannot change persistent config of a transient network");
        } else {
            /* an active persistent network keeps its config apart */
            if ((flags & VIR_NETWORK_UPDATE_AFFECT_CONFIG) && e->active && !e->newDef)
                e->newDef = virXMLTreeCopy(e->def);
            if (flags & VIR_NETWORK_UPDATE_AFFECT_LIVE)
                live = virXMLTreeCopy(e->def);
            if (flags & VIR_NETWORK_UPDATE_AFFECT_CONFIG)
                config = virXMLTreeCopy(virObjectListEntryPersistentDef(e));
            if ((!live || virNetworkDefUpdateSection(live, command, section, parentIndex,
                                                     xml) == 0) &&
                (!config || virNetworkDefUpdateSection(config, command, section, parentIndex,
                                                       xml) == 0)) {
                if (config && e->active) {
                    virXMLTreeFree(e->newDef);
                    e->newDef = g_steal_pointer(&config);
                } else if (config) {
                    virXMLTreeFree(e->def);
                    e->def = g_steal_pointer(&config);
                }
                if (live) {
                    virXMLTreeFree(e->def);
                    e->def = g_steal_pointer(&live);
                }
                ret = 0;
            }
        }
    });
    return ret;
}

/* ---- queries ---- */

static char *
testNetworkGetXMLDesc(virConnect *conn, const virNetworkRef *net, unsigned int flags)
{
    char *ret = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    WITH_NET(conn, net, false, ret = virNetworkDefFormat(e->def));
    return ret;
}

static char *
testNetworkGetBridgeName(virConnect *conn, const virNetworkRef *net)
{
    char *ret = NULL;

    WITH_NET(conn, net, false, {
        if (!virNetworkDefBridge(e->def))
            virReportError(VIR_ERR_INTERNAL_ERROR, "network '%s' does not have a bridge name.",
                           e->name);
        else
            ret = g_strdup(virNetworkDefBridge(e->def));
    });
    return ret;
}

static int
testNetworkGetAutostart(virConnect *conn, const virNetworkRef *net, int *autostart)
{
    int ret = -1;

    WITH_NET(conn, net, false, {
        *autostart = e->autostart;
        ret = 0;
    });
    return ret;
}

static int
testNetworkSetAutostart(virConnect *conn, const virNetworkRef *net, int autostart)
{
    int ret = -1;

    WITH_NET(conn, net, false, {
        e->autostart = autostart != 0;
        ret = 0;
    });
    return ret;
}

static int
testNetworkIsActive(virConnect *conn, const virNetworkRef *net)
{
    int ret = -1;

    WITH_NET(conn, net, true, ret = e->active);
    return ret;
}

static int
testNetworkIsPersistent(virConnect *conn, const virNetworkRef *net)
{
    int ret = -1;

    WITH_NET(conn, net, true, ret = e->persistent);
    return ret;
}

/* ---- events ---- */

static int
testConnectNetworkEventRegisterAny(virConnect *conn, const virNetworkRef *net, int eventID,
                                   virConnectNetworkEventGenericCallback cb,
                                   void *opaque, virFreeCallback ff)
{
    testState *state = conn->privateData;

    return virObjectEventRegistryAddNetwork(state->events, conn, net, eventID, cb, opaque, ff);
}

const virNetworkDriver testNetworkDriver = {
    .name = "Test",
    .connectNumOfNetworks = testConnectNumOfNetworks,
    .connectListNetworks = testConnectListNetworks,
    .connectNumOfDefinedNetworks = testConnectNumOfDefinedNetworks,
    .connectListDefinedNetworks = testConnectListDefinedNetworks,
    .connectListAllNetworks = testConnectListAllNetworks,
    .networkLookupByName = testNetworkLookupByName,
    .networkLookupByUUID = testNetworkLookupByUUID,
    .networkCreateXMLFlags = testNetworkCreateXMLFlags,
    .networkDefineXMLFlags = testNetworkDefineXMLFlags,
    .networkUndefine = testNetworkUndefine,
    .networkUpdate = testNetworkUpdate,
    .networkCreate = testNetworkCreate,
    .networkDestroy = testNetworkDestroy,
    .networkGetXMLDesc = testNetworkGetXMLDesc,
    .networkGetBridgeName = testNetworkGetBridgeName,
    .networkGetAutostart = testNetworkGetAutostart,
    .networkSetAutostart = testNetworkSetAutostart,
    .networkIsActive = testNetworkIsActive,
    .networkIsPersistent = testNetworkIsPersistent,
    .connectNetworkEventRegisterAny = testConnectNetworkEventRegisterAny,
    .connectNetworkEventDeregisterAny = testConnectObjectEventDeregisterAny,
};
