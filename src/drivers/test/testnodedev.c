/*
 * testnodedev.c: the test driver's node devices (libvirt's test driver:
 * the devices of the node description, none of them "active"; creating a
 * vHBA copies scsi_host11 as scsi_host12 with the new WWNs, as libvirt's
 * mock does). See testdriverpriv.h for the state and its lock.
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virnodedevdef.h"
#include "virobjectevent.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

#define DEV_BY_NAME(state, name) \
    virObjectListGetByName((state)->devices, (name), VIR_FROM_TEST, VIR_ERR_NO_NODE_DEVICE, \
                           "node device")

#define WITH_DEV(conn, name, body) \
    do { \
        testState *state = (conn)->privateData; \
        virObjectListEntry *e; \
        virNoIOMutexLock(&state->lock); \
        if ((e = DEV_BY_NAME(state, (name)))) { \
            body; \
        } \
        virNoIOMutexUnlock(&state->lock); \
    } while (0)

static void
testDeviceEmit(testState *state, const char *name, int event)
{
    virNodeDeviceRef ref = { .name = (char *)name };

    virObjectEventNodeDeviceLifecycle(state->events, &ref, event, 0);
}

int
testDevicesLoad(testState *state, xmlNodePtr root, const char *path)
{
    xmlNodePtr cur;

    for (cur = root->children; cur; cur = cur->next) {
        virXMLTree *def;

        if (cur->type != XML_ELEMENT_NODE || strcmp((const char *)cur->name, "device") != 0)
            continue;
        if (!(cur = testNodeFileElement(cur, path)) || !(def = virNodeDeviceDefParseNode(cur)))
            return -1;
        virObjectListAssignDefByName(state->devices, virNodeDeviceDefName(def), def);
    }
    return 0;
}

/* The capability cap (NULL: any) as libvirt's virNodeDeviceObjHasCapStr. */
static bool
testDeviceHasCap(const virObjectListEntry *e, const char *cap)
{
    size_t i;

    if (!cap)
        return true;
    for (i = 0; virNodeDevCapTypeNames[i]; i++) {
        if (strcmp(virNodeDevCapTypeNames[i], cap) == 0)
            return virNodeDeviceDefHasCap(e->def, (int)i);
    }
    return false;
}

static int
testNodeNumOfDevices(virConnect *conn, const char *cap, unsigned int flags)
{
    testState *state = conn->privateData;
    int n = 0;
    size_t i;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    for (i = 0; i < virObjectListSize(state->devices); i++)
        n += testDeviceHasCap(virObjectListAt(state->devices, i), cap);
    virNoIOMutexUnlock(&state->lock);
    return n;
}

static int
testNodeListDevices(virConnect *conn, const char *cap, char **names, int maxnames,
                    unsigned int flags)
{
    testState *state = conn->privateData;
    int n = 0;
    size_t i;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    for (i = 0; i < virObjectListSize(state->devices) && n < maxnames; i++) {
        virObjectListEntry *e = virObjectListAt(state->devices, i);

        if (testDeviceHasCap(e, cap))
            names[n++] = g_strdup(e->name);
    }
    virNoIOMutexUnlock(&state->lock);
    return n;
}

static int
testConnectListAllNodeDevices(virConnect *conn, virNodeDeviceRef ***devices, unsigned int flags)
{
    const unsigned int capFlags = (1U << 22) - 1;
    testState *state = conn->privateData;
    GPtrArray *list = g_ptr_array_new();
    size_t i;
    int c;

    virDriverCheckFlags(flags, capFlags, -1);
    virNoIOMutexLock(&state->lock);
    for (i = 0; i < virObjectListSize(state->devices); i++) {
        virObjectListEntry *e = virObjectListAt(state->devices, i);
        bool match = !(flags & capFlags);

        for (c = 0; !match && virNodeDevCapTypeNames[c]; c++)
            match = (flags & (1U << c)) && virNodeDeviceDefHasCap(e->def, c);
        if (match)
            g_ptr_array_add(list, virNodeDeviceRefNew(e->name));
    }
    virNoIOMutexUnlock(&state->lock);
    return virObjectRefListFinish(list, virObjectRefCompareName, (void ***)devices);
}

static virNodeDeviceRef *
testNodeDeviceLookupByName(virConnect *conn, const char *name)
{
    virNodeDeviceRef *ret = NULL;

    WITH_DEV(conn, name, ret = virNodeDeviceRefNew(e->name));
    return ret;
}

static char *
testNodeDeviceGetXMLDesc(virConnect *conn, const char *name, unsigned int flags)
{
    char *ret = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    WITH_DEV(conn, name, ret = virNodeDeviceDefFormat(e->def));
    return ret;
}

static int
testNodeDeviceGetParent(virConnect *conn, const char *name, char **parentName)
{
    int ret = -1;

    WITH_DEV(conn, name, {
        *parentName = g_strdup(virNodeDeviceDefParent(e->def));
        ret = 0;
    });
    return ret;
}

static int
testNodeDeviceNumOfCaps(virConnect *conn, const char *name)
{
    int ret = -1;

    WITH_DEV(conn, name, {
        g_autoptr(GPtrArray) caps = virNodeDeviceDefCaps(e->def);
        ret = (int)caps->len;
    });
    return ret;
}

static int
testNodeDeviceListCaps(virConnect *conn, const char *name, char **names, int maxnames)
{
    int ret = -1;

    WITH_DEV(conn, name, {
        g_autoptr(GPtrArray) caps = virNodeDeviceDefCaps(e->def);
        guint i;

        for (i = 0; i < caps->len && (int)i < maxnames; i++)
            names[i] = g_strdup(g_ptr_array_index(caps, i));
        ret = (int)i;
    });
    return ret;
}

/* The fc_host WWNs of a definition (libvirt's virNodeDeviceGetWWNs). */
static int
testDeviceWWNs(const virXMLTree *def, const char **wwnn, const char **wwpn)
{
    virXMLTree *fc = virNodeDeviceDefSCSIHost(def, "fc_host");

    if (!fc) {
        virErrorReportFull(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__,
                           __LINE__, "%s", "Device is not a fibre channel HBA");
        return -1;
    }
    *wwnn = virXMLTreeChildText(fc, "wwnn");
    *wwpn = virXMLTreeChildText(fc, "wwpn");
    return 0;
}

/* A vport capable parent for def, as libvirt's
 * virNodeDeviceObjListGetParentHost finds it; -1 with its error. */
static int
testDeviceCheckParent(testState *state, const virXMLTree *def)
{
    virXMLTree *parentElem = virXMLTreeChild(def, "parent", 0);
    const char *parent = virNodeDeviceDefParent(def);
    const char *pwwnn = virXMLTreeAttr(parentElem, "wwnn");
    const char *pfabric = virXMLTreeAttr(parentElem, "fabric_wwn");
    virObjectListEntry *found = NULL;
    size_t i;

    for (i = 0; i < virObjectListSize(state->devices) && !found; i++) {
        virObjectListEntry *e = virObjectListAt(state->devices, i);
        virXMLTree *fc = virNodeDeviceDefSCSIHost(e->def, "fc_host");

        if (parent ? strcmp(e->name, parent) == 0 :
            pwwnn ? fc && g_strcmp0(virXMLTreeChildText(fc, "wwnn"), pwwnn) == 0 &&
                    g_strcmp0(virXMLTreeChildText(fc, "wwpn"),
                              virXMLTreeAttr(parentElem, "wwpn")) == 0 :
            pfabric ? fc && g_strcmp0(virXMLTreeChildText(fc, "fabric_wwn"), pfabric) == 0 :
            virNodeDeviceDefSCSIHost(e->def, "vport_ops") != NULL)
            found = e;
    }
    if (!found) {
        if (parent || pwwnn || pfabric)
            virErrorReportFull(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__,
                               __LINE__, "Could not find parent device for '%s'",
                               virNodeDeviceDefName(def));
        else
            virErrorReportFull(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__,
                               __LINE__, "%s", "Could not find any vport capable device");
        return -1;
    }
    if (!virNodeDeviceDefSCSIHost(found->def, "vport_ops")) {
        virErrorReportFull(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__,
                           __LINE__, "Parent device %s is not capable of vport operations",
                           found->name);
        return -1;
    }
    return 0;
}

static virNodeDeviceRef *
testNodeDeviceCreateXML(virConnect *conn, const char *xmlDesc, unsigned int flags)
{
    testState *state = conn->privateData;
    g_autoptr(virXMLTree) def = NULL;
    virObjectListEntry *model;
    virNodeDeviceRef *ret = NULL;
    const char *wwnn, *wwpn;

    virDriverCheckFlags(flags, VIR_NODE_DEVICE_CREATE_XML_VALIDATE, NULL);
    if (!(def = virNodeDeviceDefParseString(xmlDesc, false)) ||
        testDeviceWWNs(def, &wwnn, &wwpn) < 0)
        return NULL;
    virNoIOMutexLock(&state->lock);
    /* libvirt's mock: a copy of scsi_host11 named scsi_host12, with the
     * new WWNs (found without an error of its own when it is missing) */
    if (testDeviceCheckParent(state, def) == 0 &&
        (model = virObjectListFindByName(state->devices, "scsi_host11"))) {
        virXMLTree *copy = virXMLTreeCopy(model->def);
        virXMLTree *fc = virNodeDeviceDefSCSIHost(copy, "fc_host");

        virNodeDeviceDefSetName(copy, "scsi_host12");
        if (fc) {
            virXMLTreeSetChildText(fc, "wwnn", wwnn);
            virXMLTreeSetChildText(fc, "wwpn", wwpn);
        }
        virObjectListAssignDefByName(state->devices, "scsi_host12", copy);
        testDeviceEmit(state, "scsi_host12", VIR_NODE_DEVICE_EVENT_CREATED);
        ret = virNodeDeviceRefNew("scsi_host12");
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static int
testNodeDeviceDestroy(virConnect *conn, const char *name)
{
    int ret = -1;

    WITH_DEV(conn, name, {
        const char *wwnn;
        const char *wwpn;
        const char *parent = virNodeDeviceDefParent(e->def);

        /* libvirt's test driver reports these two, yet answers success */
        if (testDeviceWWNs(e->def, &wwnn, &wwpn) < 0) {
            /* error reported */
        } else if (!parent || !virObjectListFindByName(state->devices, parent)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find parent '%s' definition",
                           parent ? parent : "(null)");
        } else {
            testDeviceEmit(state, e->name, VIR_NODE_DEVICE_EVENT_DELETED);
            virObjectListRemove(state->devices, e);
        }
        ret = 0;
    });
    return ret;
}

static int
testConnectNodeDeviceEventRegisterAny(virConnect *conn, const virNodeDeviceRef *dev,
                                      int eventID,
                                      virConnectNodeDeviceEventGenericCallback cb,
                                      void *opaque, virFreeCallback ff)
{
    testState *state = conn->privateData;

    return virObjectEventRegistryAddNodeDevice(state->events, conn, dev, eventID, cb, opaque,
                                               ff);
}

const virNodeDeviceDriver testNodeDeviceDriver = {
    .name = "Test",
    .nodeNumOfDevices = testNodeNumOfDevices,
    .nodeListDevices = testNodeListDevices,
    .connectListAllNodeDevices = testConnectListAllNodeDevices,
    .nodeDeviceLookupByName = testNodeDeviceLookupByName,
    .nodeDeviceGetXMLDesc = testNodeDeviceGetXMLDesc,
    .nodeDeviceGetParent = testNodeDeviceGetParent,
    .nodeDeviceNumOfCaps = testNodeDeviceNumOfCaps,
    .nodeDeviceListCaps = testNodeDeviceListCaps,
    .nodeDeviceCreateXML = testNodeDeviceCreateXML,
    .nodeDeviceDestroy = testNodeDeviceDestroy,
    .connectNodeDeviceEventRegisterAny = testConnectNodeDeviceEventRegisterAny,
    .connectNodeDeviceEventDeregisterAny = testConnectObjectEventDeregisterAny,
};
