/*
 * testsnapshot.c: the test driver's domain snapshots, as libvirt 9.0's
 * test driver keeps them: metadata only (no disk is touched), a tree by
 * parent name, one current snapshot per domain, the definition of the
 * domain at creation for reverting.
 *
 * A domain's snapshots are testSnapshot records in dom->snapshots, a
 * moment tree (testmoment.h) shared in its rules with checkpoints.
 *
 * Locking: every entry point takes state->lock for its whole run (see
 * testdriverpriv.h); nothing here blocks.
 */
#include <stddef.h>
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

typedef struct {
    testMoment m;               /* first; m.dom NULL: no rollback information */
    char *description;
    int state;                  /* a virDomainState, or VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT */
    char *memory;               /* "no", "internal", "external" */
    char *memoryFile;           /* an external memory snapshot's file */
} testSnapshot;

static const char *const testSnapshotStates[] = {
    "nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed",
    "pmsuspended", "disk-snapshot",
};

static void
testSnapshotFree(gpointer p)
{
    testSnapshot *snap = p;

    testMomentClear(&snap->m);
    g_free(snap->description);
    g_free(snap->memory);
    g_free(snap->memoryFile);
    g_free(snap);
}

void
testDomainSnapshotsClear(testDomain *dom)
{
    testMomentListClear(&dom->snapshots);
    dom->obj.nsnapshots = 0;
}

int
testDomainSnapshotCount(testDomain *dom)
{
    return testMomentListCount(&dom->snapshots);
}

/* After every change of the list: the count the domain list filters see. */
static void
testSnapshotCountSync(testDomain *dom)
{
    dom->obj.nsnapshots = (unsigned int)testDomainSnapshotCount(dom);
}

/* libvirt's filters: each pair of flags selects within its group. */
static bool
testSnapshotFilter(const testMoment *moment, unsigned int flags)
{
    const testSnapshot *snap = (const testSnapshot *)moment;
    unsigned int state = flags & (VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE |
                                  VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |
                                  VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY);
    unsigned int location = flags & (VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL |
                                     VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL);
    bool external = snap->memory && strcmp(snap->memory, "external") == 0;

    /* every snapshot has metadata here */
    if ((flags & (VIR_DOMAIN_SNAPSHOT_LIST_METADATA | VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA)) ==
        VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA)
        return false;
    if (state) {
        bool ok = false;

        if ((state & VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE) && snap->state == VIR_DOMAIN_SHUTOFF)
            ok = true;
        if ((state & VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY) &&
            snap->state == VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT)
            ok = true;
        if ((state & VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE) && snap->state != VIR_DOMAIN_SHUTOFF &&
            snap->state != VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT)
            ok = true;
        if (!ok)
            return false;
    }
    if (location == VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL && external)
        return false;
    if (location == VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL && !external)
        return false;
    return true;
}

static const testMomentKind testSnapshotKind = {
    .noun = "snapshot",
    .notFound = VIR_ERR_NO_DOMAIN_SNAPSHOT,
    .list = offsetof(testDomain, snapshots),
    .filter = testSnapshotFilter,
    .topological = VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL,
    .leavesPairIsNone = true,
    .changed = testSnapshotCountSync,
};

#define TEST_SNAPSHOT_LIST_FLAGS \
    (VIR_DOMAIN_SNAPSHOT_LIST_ROOTS | VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL | \
     VIR_DOMAIN_SNAPSHOT_FILTERS_ALL)

/* ---- XML ---- */

static char *
testSnapshotFormat(const testSnapshot *snap)
{
    GString *buf = g_string_new("<domainsnapshot>\n  <name>");
    g_autoptr(GPtrArray) disks = NULL;
    guint i;

    testMomentXMLEscape(buf, snap->m.name);
    g_string_append(buf, "</name>\n");
    if (snap->description) {
        g_string_append(buf, "  <description>");
        testMomentXMLEscape(buf, snap->description);
        g_string_append(buf, "</description>\n");
    }
    g_string_append_printf(buf, "  <state>%s</state>\n", testSnapshotStates[snap->state]);
    if (snap->m.parent) {
        g_string_append(buf, "  <parent>\n    <name>");
        testMomentXMLEscape(buf, snap->m.parent);
        g_string_append(buf, "</name>\n  </parent>\n");
    }
    g_string_append_printf(buf, "  <creationTime>%lld</creationTime>\n", snap->m.creationTime);
    if (snap->memory) {
        g_string_append_printf(buf, "  <memory snapshot='%s'", snap->memory);
        if (snap->memoryFile) {
            g_string_append(buf, " file='");
            testMomentXMLEscape(buf, snap->memoryFile);
            g_string_append_c(buf, '\'');
        }
        g_string_append(buf, "/>\n");
    }
    if (snap->m.dom) {
        disks = virDomainDefDevices(snap->m.dom, "disk");
        if (disks->len) {
            g_string_append(buf, "  <disks>\n");
            for (i = 0; i < disks->len; i++) {
                const virDomainXMLNode *disk = g_ptr_array_index(disks, i);
                const char *dev = virDomainXMLNodeAttr(disk, "target", "dev");
                const char *device = virDomainXMLNodeAttr(disk, NULL, "device");
                /* cdroms and floppies are not snapshotted */
                bool skip = device && (strcmp(device, "cdrom") == 0 ||
                                       strcmp(device, "floppy") == 0);

                if (!dev)
                    continue;
                g_string_append(buf, "    <disk name='");
                testMomentXMLEscape(buf, dev);
                g_string_append_printf(buf, "' snapshot='%s'/>\n", skip ? "no" : "internal");
            }
            g_string_append(buf, "  </disks>\n");
        }
        testMomentFormatDomain(buf, snap->m.dom);
    }
    g_string_append(buf, "</domainsnapshot>\n");
    return g_string_free(buf, FALSE);
}

/* A snapshot from its XML; redefine: the whole record must be given. */
static testSnapshot *
testSnapshotParse(const char *xml, bool redefine)
{
    xmlDocPtr doc;
    xmlNodePtr root, disks, cur;
    testSnapshot *snap = g_new0(testSnapshot, 1);
    g_autofree char *state = NULL;
    g_autofree char *ctime = NULL;
    xmlNodePtr parent;

    if (!(doc = virDomainXMLParseString(xml, "(domain_snapshot)", "domainsnapshot",
                                        VIR_FROM_DOMAIN_SNAPSHOT))) {
        g_free(snap);
        return NULL;
    }
    root = xmlDocGetRootElement(doc);
    snap->m.name = testMomentXMLChildText(root, "name");
    snap->description = testMomentXMLChildText(root, "description");
    snap->state = -1;
    if (redefine) {
        if (!snap->m.name) {
            virErrorReportFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_XML_ERROR, __FILE__, __func__,
                               __LINE__, "%s", "a redefined snapshot must have a name");
            goto error;
        }
        if (!(ctime = testMomentXMLChildText(root, "creationTime"))) {
            virErrorReportFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INTERNAL_ERROR, __FILE__,
                               __func__, __LINE__, "%s",
                               "missing creationTime from existing snapshot");
            goto error;
        }
        snap->m.creationTime = g_ascii_strtoll(ctime, NULL, 10);
        if (!(state = testMomentXMLChildText(root, "state"))) {
            virErrorReportFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_XML_ERROR, __FILE__, __func__,
                               __LINE__, "%s", "missing state from existing snapshot");
            goto error;
        }
        for (snap->state = 0; snap->state < (int)G_N_ELEMENTS(testSnapshotStates); snap->state++) {
            if (strcmp(testSnapshotStates[snap->state], state) == 0)
                break;
        }
        if (snap->state == (int)G_N_ELEMENTS(testSnapshotStates)) {
            virErrorReportFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_CONFIG_UNSUPPORTED, __FILE__,
                               __func__, __LINE__, "Invalid state '%s' in domain snapshot XML",
                               state);
            goto error;
        }
        if ((parent = testMomentXMLChild(root, "parent")))
            snap->m.parent = testMomentXMLChildText(parent, "name");
        if ((cur = testMomentXMLChild(root, "domain")) && !(snap->m.dom = virDomainDefParseNode(cur)))
            goto error;
    }
    if ((cur = testMomentXMLChild(root, "memory"))) {
        snap->memory = testMomentXMLAttr(cur, "snapshot");
        snap->memoryFile = testMomentXMLAttr(cur, "file");
        if (snap->memory && strcmp(snap->memory, "manual") == 0) {
            virErrorReportFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_XML_ERROR, __FILE__, __func__,
                               __LINE__, "%s", "'manual' memory snapshot mode not supported");
            goto error;
        }
        if (snap->memory && strcmp(snap->memory, "external") == 0 && !snap->memoryFile) {
            virErrorReportFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_XML_ERROR, __FILE__, __func__,
                               __LINE__, "%s", "external memory snapshots require a filename");
            goto error;
        }
    }
    /* disks: the test driver refuses only the 'manual' mode */
    disks = testMomentXMLChild(root, "disks");
    for (cur = disks ? disks->children : NULL; cur; cur = cur->next) {
        g_autofree char *mode = NULL;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        mode = testMomentXMLAttr(cur, "snapshot");
        if (mode && strcmp(mode, "manual") == 0) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                           "'manual' snapshot mode is not supported by the test driver");
            goto error;
        }
    }
    xmlFreeDoc(doc);
    return snap;

 error:
    xmlFreeDoc(doc);
    testSnapshotFree(snap);
    return NULL;
}

/* ---- entry points ---- */

/* testMomentLock for a snapshot. */
static testDomain *
testSnapshotLock(testState *state, const virDomainRef *domRef, const char *name,
                 testSnapshot **snap)
{
    testMoment *moment = NULL;
    testDomain *dom = testMomentLock(state, &testSnapshotKind, domRef, name, &moment);

    if (snap)
        *snap = (testSnapshot *)moment;
    return dom;
}

virDomainSnapshotRef *
testDomainSnapshotCreateXML(virConnect *conn, const virDomainRef *ref, const char *xmlDesc,
                            unsigned int flags)
{
    testState *state = conn->privateData;
    bool redefine = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    virDomainSnapshotRef *ret = NULL;
    testSnapshot *snap = NULL;
    testDomain *dom;

    virDriverCheckFlags(flags, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
                        VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT | VIR_DOMAIN_SNAPSHOT_CREATE_HALT |
                        VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE | VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC |
                        VIR_DOMAIN_SNAPSHOT_CREATE_LIVE | VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE,
                        NULL);
    if (!(dom = testSnapshotLock(state, ref, NULL, NULL)))
        goto cleanup;
    if (testMomentListCount(&dom->checkpoints) > 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot create snapshot while checkpoint exists");
        goto cleanup;
    }
    if (!dom->obj.def && (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot halt after transient domain snapshot");
        goto cleanup;
    }
    if (!(snap = testSnapshotParse(xmlDesc, redefine)))
        goto cleanup;
    if (redefine) {
        testMomentListAdd(&dom->snapshots, &snap->m, testSnapshotFree);
        if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT)
            testMomentListSetCurrent(&dom->snapshots, snap->m.name);
        ret = testMomentMakeRef(&dom->obj, snap->m.name);
        snap = NULL;
        testSnapshotCountSync(dom);
        goto cleanup;
    }

    snap->m.creationTime = g_get_real_time() / G_USEC_PER_SEC;
    if (!snap->m.name)
        snap->m.name = g_strdup_printf("%lld", snap->m.creationTime);
    if (testMomentListFind(&dom->snapshots, snap->m.name)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_FAILED, "domain moment %s already exists",
                                   snap->m.name);
        goto cleanup;
    }
    snap->state = dom->obj.state;
    if (!snap->memory || strcmp(snap->memory, "external") != 0) {
        g_free(snap->memory);
        snap->memory = g_strdup(snap->state == VIR_DOMAIN_SHUTOFF ? "no" : "internal");
    }
    snap->m.dom = virDomainDefCopy(virDomainObjCurrentDef(&dom->obj));
    snap->m.parent = g_strdup(dom->snapshots.current);
    testMomentListAdd(&dom->snapshots, &snap->m, testSnapshotFree);
    testSnapshotCountSync(dom);
    testMomentListSetCurrent(&dom->snapshots, snap->m.name);
    ret = testMomentMakeRef(&dom->obj, snap->m.name);
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT) && virDomainObjIsActive(&dom->obj)) {
        /* a transient domain was refused above: dom stays */
        testDomainStopAndNotify(state, dom, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT,
                                VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
    }
    snap = NULL;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    if (snap)
        testSnapshotFree(snap);
    return ret;
}

char *
testDomainSnapshotGetXMLDesc(virConnect *conn, const virDomainSnapshotRef *ref,
                             unsigned int flags)
{
    testState *state = conn->privateData;
    testSnapshot *snap = NULL;
    char *ret = NULL;

    virDriverCheckFlags(flags, 1 /* VIR_DOMAIN_SNAPSHOT_XML_SECURE */, NULL);
    if (testSnapshotLock(state, &ref->dom, ref->name, &snap))
        ret = testSnapshotFormat(snap);
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

/* Counting and listing by names: the selection's size, and its names. */
static int
testSnapshotNames(testState *state, const virDomainRef *domRef, const char *from,
                  char **names, int maxnames, unsigned int flags)
{
    testSnapshot *snap = NULL;
    testDomain *dom;
    int n = -1;

    if ((dom = testSnapshotLock(state, domRef, from, &snap))) {
        g_autoptr(GPtrArray) sel = testMomentSelect(&testSnapshotKind, dom,
                                                    from ? &snap->m : NULL, flags);

        for (n = 0; names && n < maxnames && n < (int)sel->len; n++)
            names[n] = g_strdup(((testMoment *)g_ptr_array_index(sel, n))->name);
        if (!names)
            n = (int)sel->len;
    }
    virNoIOMutexUnlock(&state->lock);
    return n;
}

int
testDomainSnapshotNum(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    virDriverCheckFlags(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapshotNames(conn->privateData, ref, NULL, NULL, 0, flags);
}

int
testDomainSnapshotListNames(virConnect *conn, const virDomainRef *ref, char **names,
                            int maxnames, unsigned int flags)
{
    virDriverCheckFlags(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapshotNames(conn->privateData, ref, NULL, names, maxnames, flags);
}

int
testDomainSnapshotNumChildren(virConnect *conn, const virDomainSnapshotRef *snap,
                              unsigned int flags)
{
    virDriverCheckFlags(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapshotNames(conn->privateData, &snap->dom, snap->name, NULL, 0, flags);
}

int
testDomainSnapshotListChildrenNames(virConnect *conn, const virDomainSnapshotRef *snap,
                                    char **names, int maxnames, unsigned int flags)
{
    virDriverCheckFlags(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapshotNames(conn->privateData, &snap->dom, snap->name, names, maxnames, flags);
}

int
testDomainListAllSnapshots(virConnect *conn, const virDomainRef *ref,
                           virDomainSnapshotRef ***snapshots, unsigned int flags)
{
    virDriverCheckFlags(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testMomentListRefs(conn->privateData, &testSnapshotKind, ref, NULL, snapshots, flags);
}

int
testDomainSnapshotListAllChildren(virConnect *conn, const virDomainSnapshotRef *snapshot,
                                  virDomainSnapshotRef ***snapshots, unsigned int flags)
{
    virDriverCheckFlags(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testMomentListRefs(conn->privateData, &testSnapshotKind, &snapshot->dom, snapshot->name,
                          snapshots, flags);
}

virDomainSnapshotRef *
testDomainSnapshotLookupByName(virConnect *conn, const virDomainRef *ref, const char *name,
                               unsigned int flags)
{
    virDriverCheckFlags(flags, 0, NULL);
    return testMomentLookup(conn->privateData, &testSnapshotKind, ref, name);
}

int
testDomainHasCurrentSnapshot(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if ((dom = testSnapshotLock(state, ref, NULL, NULL)))
        ret = dom->snapshots.current != NULL;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

virDomainSnapshotRef *
testDomainSnapshotGetParent(virConnect *conn, const virDomainSnapshotRef *ref,
                            unsigned int flags)
{
    virDriverCheckFlags(flags, 0, NULL);
    return testMomentGetParent(conn->privateData, &testSnapshotKind, ref);
}

virDomainSnapshotRef *
testDomainSnapshotCurrent(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    virDomainSnapshotRef *ret = NULL;
    testDomain *dom;

    virDriverCheckFlags(flags, 0, NULL);
    if ((dom = testSnapshotLock(state, ref, NULL, NULL))) {
        if (!dom->snapshots.current)
            virReportError(VIR_ERR_NO_DOMAIN_SNAPSHOT, "%s",
                           "the domain does not have a current snapshot");
        else
            ret = testMomentMakeRef(&dom->obj, dom->snapshots.current);
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSnapshotIsCurrent(virConnect *conn, const virDomainSnapshotRef *ref,
                            unsigned int flags)
{
    testState *state = conn->privateData;
    testSnapshot *snap = NULL;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if ((dom = testSnapshotLock(state, &ref->dom, ref->name, &snap)))
        ret = testMomentListIsCurrent(&dom->snapshots, &snap->m);
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSnapshotHasMetadata(virConnect *conn, const virDomainSnapshotRef *ref,
                              unsigned int flags)
{
    testState *state = conn->privateData;
    testSnapshot *snap = NULL;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (testSnapshotLock(state, &ref->dom, ref->name, &snap))
        ret = 1;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSnapshotDelete(virConnect *conn, const virDomainSnapshotRef *ref, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                        VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY, -1);
    return testMomentDelete(conn->privateData, &testSnapshotKind, ref,
                            flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN,
                            flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY);
}

int
testDomainRevertToSnapshot(virConnect *conn, const virDomainSnapshotRef *ref,
                           unsigned int flags)
{
    testState *state = conn->privateData;
    testSnapshot *snap = NULL;
    testDomain *dom;
    int ret = -1;
    bool toActive;

    virDriverCheckFlags(flags, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                        VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED | VIR_DOMAIN_SNAPSHOT_REVERT_FORCE, -1);
    if (!(dom = testSnapshotLock(state, &ref->dom, ref->name, &snap)))
        goto cleanup;
    toActive = snap->state == VIR_DOMAIN_RUNNING || snap->state == VIR_DOMAIN_PAUSED;
    if (!dom->obj.def && !toActive &&
        !(flags & (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED))) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "transient domain needs to request run or pause to revert to inactive snapshot");
        goto cleanup;
    }
    if (!snap->m.dom) {
        virReportError(VIR_ERR_SNAPSHOT_REVERT_RISKY, "snapshot '%s' lacks domain '%s' rollback info",
                       snap->m.name, virDomainObjCurrentDef(&dom->obj)->name);
        goto cleanup;
    }
    testMomentListSetCurrent(&dom->snapshots, NULL);
    if (toActive) {
        /* a transient domain would be dropped once stopped: it keeps its
         * object and starts again from the snapshot's definition */
        if (virDomainObjIsActive(&dom->obj) && dom->obj.def)
            testDomainStopAndNotify(state, dom, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT,
                                    VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        else if (virDomainObjIsActive(&dom->obj))
            testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_STOPPED,
                              VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        if (dom->obj.def) {
            virDomainDefFree(dom->obj.def);
            dom->obj.def = virDomainDefCopy(snap->m.dom);
        }
        testDomainStart(state, dom, dom->obj.def ? NULL : virDomainDefCopy(snap->m.dom),
                        VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
        testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_STARTED,
                          VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
        if (!(flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) &&
            (snap->state == VIR_DOMAIN_PAUSED || (flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED))) {
            dom->obj.state = VIR_DOMAIN_PAUSED;
            dom->obj.reason = VIR_DOMAIN_PAUSED_FROM_SNAPSHOT;
            testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_SUSPENDED,
                              VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
        }
    } else if (!dom->obj.def) {
        /* a transient domain asked to run or pause: it runs on */
        testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_STOPPED,
                          VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_STARTED,
                          VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
    } else {
        virDomainDefFree(dom->obj.def);
        dom->obj.def = virDomainDefCopy(snap->m.dom);
        if (virDomainObjIsActive(&dom->obj)) {
            dom->hasNewDef = true;
            testDomainStopAndNotify(state, dom, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT,
                                    VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        }
        /* libvirt's test driver announces a start it does not do */
        if (flags & (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)) {
            testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_STARTED,
                              VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
            if (flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)
                testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_SUSPENDED,
                                  VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
        }
    }
    testMomentListSetCurrent(&dom->snapshots, snap->m.name);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}
