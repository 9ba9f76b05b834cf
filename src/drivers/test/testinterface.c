/*
 * testinterface.c: the test driver's host interfaces (libvirt's test
 * driver: definitions in memory, started and stopped by a flag, and
 * libvirt's change transactions: a copy of the interfaces to go back to).
 * See testdriverpriv.h for the state and its lock.
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virinterfacedef.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

#define IFACE_BY_NAME(state, name) \
    virObjectListGetByName((state)->ifaces, (name), VIR_FROM_TEST, VIR_ERR_NO_INTERFACE, \
                           "interface")

#define WITH_IFACE(conn, name, body) \
    do { \
        testState *state = (conn)->privateData; \
        virObjectListEntry *e; \
        virNoIOMutexLock(&state->lock); \
        if ((e = IFACE_BY_NAME(state, (name)))) { \
            body; \
        } \
        virNoIOMutexUnlock(&state->lock); \
    } while (0)

static virInterfaceRef *
testIfaceMakeRef(const virObjectListEntry *e)
{
    return virInterfaceRefNew(e->name, virInterfaceDefMAC(e->def));
}

int
testInterfacesLoad(testState *state, xmlNodePtr root, const char *path)
{
    xmlNodePtr cur;

    for (cur = root->children; cur; cur = cur->next) {
        virXMLTree *def;

        if (cur->type != XML_ELEMENT_NODE || strcmp((const char *)cur->name, "interface") != 0)
            continue;
        if (!(cur = testNodeFileElement(cur, path)) || !(def = virInterfaceDefParseNode(cur)))
            return -1;
        virObjectListAssignDefByName(state->ifaces, virInterfaceDefName(def), def)->active = true;
    }
    return 0;
}

static int
testIfaceCount(virConnect *conn, bool active)
{
    testState *state = conn->privateData;
    int n;

    virNoIOMutexLock(&state->lock);
    n = virObjectListCount(state->ifaces, active);
    virNoIOMutexUnlock(&state->lock);
    return n;
}

static int
testIfaceNames(virConnect *conn, bool active, char **names, int maxnames)
{
    testState *state = conn->privateData;
    int n;

    virNoIOMutexLock(&state->lock);
    n = virObjectListGetNames(state->ifaces, active, names, maxnames);
    virNoIOMutexUnlock(&state->lock);
    return n;
}

static int
testConnectNumOfInterfaces(virConnect *conn)
{
    return testIfaceCount(conn, true);
}

static int
testConnectNumOfDefinedInterfaces(virConnect *conn)
{
    return testIfaceCount(conn, false);
}

static int
testConnectListInterfaces(virConnect *conn, char **names, int maxnames)
{
    return testIfaceNames(conn, true, names, maxnames);
}

static int
testConnectListDefinedInterfaces(virConnect *conn, char **names, int maxnames)
{
    return testIfaceNames(conn, false, names, maxnames);
}

static int
testConnectListAllInterfaces(virConnect *conn, virInterfaceRef ***ifaces, unsigned int flags)
{
    testState *state = conn->privateData;
    GPtrArray *list = g_ptr_array_new();
    size_t i;

    virDriverCheckFlags(flags, VIR_CONNECT_LIST_INTERFACES_INACTIVE |
                        VIR_CONNECT_LIST_INTERFACES_ACTIVE, -1);
    virNoIOMutexLock(&state->lock);
    for (i = 0; i < virObjectListSize(state->ifaces); i++) {
        virObjectListEntry *e = virObjectListAt(state->ifaces, i);

        if (virObjectListEntryMatches(e, flags))
            g_ptr_array_add(list, testIfaceMakeRef(e));
    }
    virNoIOMutexUnlock(&state->lock);
    return virObjectRefListFinish(list, virObjectRefCompareName, (void ***)ifaces);
}

static virInterfaceRef *
testInterfaceLookupByName(virConnect *conn, const char *name)
{
    virInterfaceRef *ret = NULL;

    WITH_IFACE(conn, name, ret = testIfaceMakeRef(e));
    return ret;
}

static virInterfaceRef *
testInterfaceLookupByMACString(virConnect *conn, const char *mac)
{
    testState *state = conn->privateData;
    virObjectListEntry *found = NULL;
    virInterfaceRef *ret = NULL;
    int count = 0;
    size_t i;

    virNoIOMutexLock(&state->lock);
    for (i = 0; i < virObjectListSize(state->ifaces); i++) {
        virObjectListEntry *e = virObjectListAt(state->ifaces, i);
        const char *have = virInterfaceDefMAC(e->def);

        if (have && g_ascii_strcasecmp(have, mac) == 0) {
            found = e;
            count++;
        }
    }
    if (count == 1)
        ret = virInterfaceRefNew(found->name, mac);
    virNoIOMutexUnlock(&state->lock);
    if (count == 0)
        virReportError(VIR_ERR_NO_INTERFACE, "no interface with matching mac '%s'", mac);
    else if (count > 1)
        virReportError(VIR_ERR_MULTIPLE_INTERFACES, "%s", "");
    return ret;
}

static char *
testInterfaceGetXMLDesc(virConnect *conn, const virInterfaceRef *iface, unsigned int flags)
{
    char *ret = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    WITH_IFACE(conn, iface->name, ret = virInterfaceDefFormat(e->def));
    return ret;
}

static virInterfaceRef *
testInterfaceDefineXML(virConnect *conn, const char *xml, unsigned int flags)
{
    testState *state = conn->privateData;
    virXMLTree *def;
    virInterfaceRef *ret;

    virDriverCheckFlags(flags, VIR_INTERFACE_DEFINE_VALIDATE, NULL);
    if (!(def = virInterfaceDefParseString(xml)))
        return NULL;
    virNoIOMutexLock(&state->lock);
    ret = testIfaceMakeRef(virObjectListAssignDefByName(state->ifaces, virInterfaceDefName(def),
                                                        def));
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static int
testInterfaceUndefine(virConnect *conn, const virInterfaceRef *iface)
{
    int ret = -1;

    WITH_IFACE(conn, iface->name, {
        virObjectListRemove(state->ifaces, e);
        ret = 0;
    });
    return ret;
}

/* Start (active true) or stop an interface. */
static int
testIfaceSetActive(virConnect *conn, const virInterfaceRef *iface, bool active)
{
    int ret = -1;

    WITH_IFACE(conn, iface->name, {
        if (e->active == active) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s", "");
        } else {
            e->active = active;
            ret = 0;
        }
    });
    return ret;
}

static int
testInterfaceCreate(virConnect *conn, const virInterfaceRef *iface, unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    return testIfaceSetActive(conn, iface, true);
}

static int
testInterfaceDestroy(virConnect *conn, const virInterfaceRef *iface, unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    return testIfaceSetActive(conn, iface, false);
}

static int
testInterfaceIsActive(virConnect *conn, const virInterfaceRef *iface)
{
    int ret = -1;

    WITH_IFACE(conn, iface->name, ret = e->active);
    return ret;
}

/* A copy of a list of interfaces: their definitions (as libvirt's clone:
 * all inactive). */
static virObjectList *
testIfaceListCopy(virObjectList *src)
{
    virObjectList *copy = virObjectListNew("interface", VIR_FROM_INTERFACE, NULL);
    size_t i;

    for (i = 0; i < virObjectListSize(src); i++) {
        virObjectListEntry *e = virObjectListAt(src, i);

        virObjectListAssignDefByName(copy, e->name, virXMLTreeCopy(e->def));
    }
    return copy;
}

/* Begin (copy), commit (drop the copy) or roll back (take the copy). */
static int
testIfaceTransaction(virConnect *conn, int step)
{
    testState *state = conn->privateData;
    int ret = -1;

    virNoIOMutexLock(&state->lock);
    if (step == 0 && state->ifacesBackup) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "there is another transaction running.");
    } else if (step != 0 && !state->ifacesBackup) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       step == 1 ? "no transaction running, nothing to be committed."
                                 : "no transaction running, nothing to rollback.");
    } else {
        if (step == 0) {
            state->ifacesBackup = testIfaceListCopy(state->ifaces);
        } else if (step == 1) {
            virObjectListFree(g_steal_pointer(&state->ifacesBackup));
        } else {
            virObjectListFree(state->ifaces);
            state->ifaces = g_steal_pointer(&state->ifacesBackup);
        }
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static int
testInterfaceChangeBegin(virConnect *conn, unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    return testIfaceTransaction(conn, 0);
}

static int
testInterfaceChangeCommit(virConnect *conn, unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    return testIfaceTransaction(conn, 1);
}

static int
testInterfaceChangeRollback(virConnect *conn, unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    return testIfaceTransaction(conn, 2);
}

const virInterfaceDriver testInterfaceDriver = {
    .name = "Test",
    .connectNumOfInterfaces = testConnectNumOfInterfaces,
    .connectListInterfaces = testConnectListInterfaces,
    .connectNumOfDefinedInterfaces = testConnectNumOfDefinedInterfaces,
    .connectListDefinedInterfaces = testConnectListDefinedInterfaces,
    .connectListAllInterfaces = testConnectListAllInterfaces,
    .interfaceLookupByName = testInterfaceLookupByName,
    .interfaceLookupByMACString = testInterfaceLookupByMACString,
    .interfaceGetXMLDesc = testInterfaceGetXMLDesc,
    .interfaceDefineXML = testInterfaceDefineXML,
    .interfaceUndefine = testInterfaceUndefine,
    .interfaceCreate = testInterfaceCreate,
    .interfaceDestroy = testInterfaceDestroy,
    .interfaceIsActive = testInterfaceIsActive,
    .interfaceChangeBegin = testInterfaceChangeBegin,
    .interfaceChangeCommit = testInterfaceChangeCommit,
    .interfaceChangeRollback = testInterfaceChangeRollback,
};
