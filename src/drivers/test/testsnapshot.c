/*
 * testsnapshot.c: the test driver's domain snapshots, as libvirt 9.0's
 * test driver keeps them: metadata only (no disk is touched), a tree by
 * parent name, one current snapshot per domain, the definition of the
 * domain at creation for reverting.
 *
 * A domain's snapshots are testSnapshot records in dom->snapshots, in
 * creation order (so parents come before children, except after a
 * redefinition); dom->currentSnapshot names the current one.
 *
 * Locking: every entry point takes state->lock for its whole run (see
 * testdriverpriv.h); nothing here blocks.
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

typedef struct {
    char *name;
    char *parent;               /* NULL: a root */
    char *description;
    int state;                  /* a virDomainState, or VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT */
    long long creationTime;
    char *memory;               /* "no", "internal", "external" */
    char *memoryFile;           /* an external memory snapshot's file */
    virDomainDef *dom;          /* NULL: no rollback information */
} testSnapshot;

static const char *const testSnapshotStates[] = {
    "nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed",
    "pmsuspended", "disk-snapshot",
};

static void
testSnapshotFree(gpointer p)
{
    testSnapshot *snap = p;

    g_free(snap->name);
    g_free(snap->parent);
    g_free(snap->description);
    g_free(snap->memory);
    g_free(snap->memoryFile);
    virDomainDefFree(snap->dom);
    g_free(snap);
}

void
testDomainSnapshotsClear(testDomain *dom)
{
    if (dom->snapshots)
        g_ptr_array_free(dom->snapshots, TRUE);
    dom->snapshots = NULL;
    g_clear_pointer(&dom->currentSnapshot, g_free);
    dom->obj.nsnapshots = 0;
}

int
testDomainSnapshotCount(testDomain *dom)
{
    return dom->snapshots ? (int)dom->snapshots->len : 0;
}

/* After every change of the list: the count the domain list filters see. */
static void
testSnapshotCountSync(testDomain *dom)
{
    dom->obj.nsnapshots = (unsigned int)testDomainSnapshotCount(dom);
}

static testSnapshot *
testSnapshotFind(testDomain *dom, const char *name, bool report)
{
    guint i;

    for (i = 0; dom->snapshots && i < dom->snapshots->len; i++) {
        testSnapshot *snap = g_ptr_array_index(dom->snapshots, i);
        if (strcmp(snap->name, name) == 0)
            return snap;
    }
    if (report)
        virReportError(VIR_ERR_NO_DOMAIN_SNAPSHOT,
                       "no domain snapshot with matching name '%s'", name);
    return NULL;
}

static bool
testSnapshotIsCurrent(const testDomain *dom, const testSnapshot *snap)
{
    return dom->currentSnapshot && strcmp(dom->currentSnapshot, snap->name) == 0;
}

static void
testSnapshotSetCurrent(testDomain *dom, const char *name)
{
    g_free(dom->currentSnapshot);
    dom->currentSnapshot = g_strdup(name);
}

/* Is snap a child (descendants: a descendant) of parent (NULL: a root)? */
static bool
testSnapshotUnder(testDomain *dom, const testSnapshot *snap, const testSnapshot *parent,
                  bool descendants)
{
    const testSnapshot *cur = snap;
    int depth = 0;

    if (!parent)
        return snap->parent == NULL;
    while (cur && cur->parent && depth++ <= (int)dom->snapshots->len) {
        if (strcmp(cur->parent, parent->name) == 0)
            return true;
        if (!descendants)
            return false;
        cur = testSnapshotFind(dom, cur->parent, false);
    }
    return false;
}

static bool
testSnapshotHasChildren(testDomain *dom, const testSnapshot *snap)
{
    guint i;

    for (i = 0; i < dom->snapshots->len; i++) {
        testSnapshot *s = g_ptr_array_index(dom->snapshots, i);
        if (s->parent && strcmp(s->parent, snap->name) == 0)
            return true;
    }
    return false;
}

/* libvirt's filters: each pair of flags selects within its group. */
static bool
testSnapshotFilter(testDomain *dom, const testSnapshot *snap, unsigned int flags)
{
    unsigned int state = flags & (VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE |
                                  VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |
                                  VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY);
    unsigned int location = flags & (VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL |
                                     VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL);
    unsigned int leaves = flags & (VIR_DOMAIN_SNAPSHOT_LIST_LEAVES |
                                   VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES);
    bool external = snap->memory && strcmp(snap->memory, "external") == 0;

    /* every snapshot has metadata here */
    if ((flags & (VIR_DOMAIN_SNAPSHOT_LIST_METADATA | VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA)) ==
        VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA)
        return false;
    if (leaves == VIR_DOMAIN_SNAPSHOT_LIST_LEAVES && testSnapshotHasChildren(dom, snap))
        return false;
    if (leaves == VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES && !testSnapshotHasChildren(dom, snap))
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

/* The snapshots a listing selects: under `from` (NULL: the whole domain,
 * ROOTS meaning roots only; a snapshot: its children, DESCENDANTS all of
 * them), filtered. A new array of borrowed records. */
static GPtrArray *
testSnapshotSelect(testDomain *dom, const testSnapshot *from, unsigned int flags)
{
    GPtrArray *out = g_ptr_array_new();
    bool tree = flags & VIR_DOMAIN_SNAPSHOT_LIST_ROOTS;   /* == DESCENDANTS */
    guint i;

    for (i = 0; dom->snapshots && i < dom->snapshots->len; i++) {
        testSnapshot *s = g_ptr_array_index(dom->snapshots, i);

        if (from ? !testSnapshotUnder(dom, s, from, tree) : (tree && s->parent))
            continue;
        if (testSnapshotFilter(dom, s, flags))
            g_ptr_array_add(out, s);
    }
    return out;
}

#define TEST_SNAPSHOT_LIST_FLAGS \
    (VIR_DOMAIN_SNAPSHOT_LIST_ROOTS | VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL | \
     VIR_DOMAIN_SNAPSHOT_FILTERS_ALL)

/* ---- XML ---- */

static void
testXMLEscape(GString *buf, const char *s)
{
    g_autofree char *esc = g_markup_escape_text(s, -1);
    g_string_append(buf, esc);
}

static char *
testSnapshotFormat(const testSnapshot *snap)
{
    GString *buf = g_string_new("<domainsnapshot>\n  <name>");
    g_autoptr(GPtrArray) disks = NULL;
    guint i;

    testXMLEscape(buf, snap->name);
    g_string_append(buf, "</name>\n");
    if (snap->description) {
        g_string_append(buf, "  <description>");
        testXMLEscape(buf, snap->description);
        g_string_append(buf, "</description>\n");
    }
    g_string_append_printf(buf, "  <state>%s</state>\n", testSnapshotStates[snap->state]);
    if (snap->parent) {
        g_string_append(buf, "  <parent>\n    <name>");
        testXMLEscape(buf, snap->parent);
        g_string_append(buf, "</name>\n  </parent>\n");
    }
    g_string_append_printf(buf, "  <creationTime>%lld</creationTime>\n", snap->creationTime);
    if (snap->memory) {
        g_string_append_printf(buf, "  <memory snapshot='%s'", snap->memory);
        if (snap->memoryFile) {
            g_string_append(buf, " file='");
            testXMLEscape(buf, snap->memoryFile);
            g_string_append_c(buf, '\'');
        }
        g_string_append(buf, "/>\n");
    }
    if (snap->dom) {
        g_auto(GStrv) lines = NULL;
        g_autofree char *xml = NULL;

        disks = virDomainDefDevices(snap->dom, "disk");
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
                testXMLEscape(buf, dev);
                g_string_append_printf(buf, "' snapshot='%s'/>\n", skip ? "no" : "internal");
            }
            g_string_append(buf, "  </disks>\n");
        }
        xml = virDomainDefFormat(snap->dom, -1);
        lines = g_strsplit(xml, "\n", -1);
        for (i = 0; lines[i]; i++) {
            if (lines[i][0])
                g_string_append_printf(buf, "  %s\n", lines[i]);
        }
    }
    g_string_append(buf, "</domainsnapshot>\n");
    return g_string_free(buf, FALSE);
}

static xmlNodePtr
testXMLChild(xmlNodePtr parent, const char *name)
{
    xmlNodePtr cur;

    for (cur = parent ? parent->children : NULL; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && strcmp((const char *)cur->name, name) == 0)
            return cur;
    }
    return NULL;
}

static char *
testXMLChildText(xmlNodePtr parent, const char *name)
{
    xmlNodePtr node = testXMLChild(parent, name);
    xmlChar *text;
    char *ret;

    if (!node)
        return NULL;
    text = xmlNodeGetContent(node);
    ret = g_strdup(g_strstrip((char *)text));
    xmlFree(text);
    return ret;
}

static char *
testXMLAttr(xmlNodePtr node, const char *name)
{
    xmlChar *v = node ? xmlGetNoNsProp(node, (const xmlChar *)name) : NULL;
    char *ret = v ? g_strdup((const char *)v) : NULL;

    xmlFree(v);
    return ret;
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
    snap->name = testXMLChildText(root, "name");
    snap->description = testXMLChildText(root, "description");
    snap->state = -1;
    if (redefine) {
        if (!snap->name) {
            virErrorReportFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_XML_ERROR, __FILE__, __func__,
                               __LINE__, "%s", "a redefined snapshot must have a name");
            goto error;
        }
        if (!(ctime = testXMLChildText(root, "creationTime"))) {
            virErrorReportFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INTERNAL_ERROR, __FILE__,
                               __func__, __LINE__, "%s",
                               "missing creationTime from existing snapshot");
            goto error;
        }
        snap->creationTime = g_ascii_strtoll(ctime, NULL, 10);
        if (!(state = testXMLChildText(root, "state"))) {
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
        if ((parent = testXMLChild(root, "parent")))
            snap->parent = testXMLChildText(parent, "name");
        if ((cur = testXMLChild(root, "domain")) && !(snap->dom = virDomainDefParseNode(cur)))
            goto error;
    }
    if ((cur = testXMLChild(root, "memory"))) {
        snap->memory = testXMLAttr(cur, "snapshot");
        snap->memoryFile = testXMLAttr(cur, "file");
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
    disks = testXMLChild(root, "disks");
    for (cur = disks ? disks->children : NULL; cur; cur = cur->next) {
        g_autofree char *mode = NULL;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        mode = testXMLAttr(cur, "snapshot");
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

/* The domain and, when ref names one, the snapshot, under the lock; NULL
 * with an error (the lock is held either way: callers unlock). */
static testDomain *
testSnapshotLock(testState *state, const virDomainRef *domRef, const char *name,
                 testSnapshot **snap)
{
    testDomain *dom;

    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, domRef)))
        return NULL;
    if (name && !(*snap = testSnapshotFind(dom, name, true)))
        return NULL;
    return dom;
}

static virDomainSnapshotRef *
testSnapshotMakeRef(const testDomain *dom, const char *name)
{
    virDomainRef *domRef = virDomainObjMakeRef(&dom->obj);
    virDomainSnapshotRef *ref = virDomainSnapshotRefNew(name, domRef);

    virDomainRefFree(domRef);
    return ref;
}

virDomainSnapshotRef *
testDomainSnapshotCreateXML(virConnect *conn, const virDomainRef *ref, const char *xmlDesc,
                            unsigned int flags)
{
    testState *state = conn->privateData;
    bool redefine = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    virDomainSnapshotRef *ret = NULL;
    testSnapshot *snap = NULL, *old;
    testDomain *dom;

    virDriverCheckFlags(flags, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
                        VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT | VIR_DOMAIN_SNAPSHOT_CREATE_HALT |
                        VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE | VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC |
                        VIR_DOMAIN_SNAPSHOT_CREATE_LIVE | VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE,
                        NULL);
    if (!(dom = testSnapshotLock(state, ref, NULL, NULL)))
        goto cleanup;
    if (!dom->obj.def && (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot halt after transient domain snapshot");
        goto cleanup;
    }
    if (!(snap = testSnapshotParse(xmlDesc, redefine)))
        goto cleanup;
    if (!dom->snapshots)
        dom->snapshots = g_ptr_array_new_with_free_func(testSnapshotFree);

    if (redefine) {
        if ((old = testSnapshotFind(dom, snap->name, false)))
            g_ptr_array_remove(dom->snapshots, old);
        g_ptr_array_add(dom->snapshots, snap);
        if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT)
            testSnapshotSetCurrent(dom, snap->name);
        ret = testSnapshotMakeRef(dom, snap->name);
        snap = NULL;
        testSnapshotCountSync(dom);
        goto cleanup;
    }

    snap->creationTime = g_get_real_time() / G_USEC_PER_SEC;
    if (!snap->name)
        snap->name = g_strdup_printf("%lld", snap->creationTime);
    if (testSnapshotFind(dom, snap->name, false)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_FAILED, "domain moment %s already exists",
                                   snap->name);
        goto cleanup;
    }
    snap->state = dom->obj.state;
    if (!snap->memory || strcmp(snap->memory, "external") != 0) {
        g_free(snap->memory);
        snap->memory = g_strdup(snap->state == VIR_DOMAIN_SHUTOFF ? "no" : "internal");
    }
    snap->dom = virDomainDefCopy(virDomainObjCurrentDef(&dom->obj));
    snap->parent = g_strdup(dom->currentSnapshot);
    g_ptr_array_add(dom->snapshots, snap);
    testSnapshotCountSync(dom);
    testSnapshotSetCurrent(dom, snap->name);
    ret = testSnapshotMakeRef(dom, snap->name);
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
        g_autoptr(GPtrArray) sel = testSnapshotSelect(dom, from ? snap : NULL, flags);

        for (n = 0; names && n < maxnames && n < (int)sel->len; n++)
            names[n] = g_strdup(((testSnapshot *)g_ptr_array_index(sel, n))->name);
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

/* Listing as objects; snapshots NULL asks the count. */
static int
testSnapshotList(testState *state, const virDomainRef *domRef, const char *from,
                 virDomainSnapshotRef ***snapshots, unsigned int flags)
{
    testSnapshot *snap = NULL;
    testDomain *dom;
    int n = -1;

    if ((dom = testSnapshotLock(state, domRef, from, &snap))) {
        g_autoptr(GPtrArray) sel = testSnapshotSelect(dom, from ? snap : NULL, flags);
        guint i;

        n = (int)sel->len;
        if (snapshots) {
            *snapshots = g_new0(virDomainSnapshotRef *, sel->len + 1);
            for (i = 0; i < sel->len; i++)
                (*snapshots)[i] = testSnapshotMakeRef(dom, ((testSnapshot *)
                                                            g_ptr_array_index(sel, i))->name);
        }
    }
    virNoIOMutexUnlock(&state->lock);
    return n;
}

int
testDomainListAllSnapshots(virConnect *conn, const virDomainRef *ref,
                           virDomainSnapshotRef ***snapshots, unsigned int flags)
{
    virDriverCheckFlags(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapshotList(conn->privateData, ref, NULL, snapshots, flags);
}

int
testDomainSnapshotListAllChildren(virConnect *conn, const virDomainSnapshotRef *snapshot,
                                  virDomainSnapshotRef ***snapshots, unsigned int flags)
{
    virDriverCheckFlags(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapshotList(conn->privateData, &snapshot->dom, snapshot->name, snapshots,
                            flags);
}

virDomainSnapshotRef *
testDomainSnapshotLookupByName(virConnect *conn, const virDomainRef *ref, const char *name,
                               unsigned int flags)
{
    testState *state = conn->privateData;
    virDomainSnapshotRef *ret = NULL;
    testSnapshot *snap = NULL;
    testDomain *dom;

    virDriverCheckFlags(flags, 0, NULL);
    if ((dom = testSnapshotLock(state, ref, name, &snap)))
        ret = testSnapshotMakeRef(dom, snap->name);
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainHasCurrentSnapshot(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if ((dom = testSnapshotLock(state, ref, NULL, NULL)))
        ret = dom->currentSnapshot != NULL;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

virDomainSnapshotRef *
testDomainSnapshotGetParent(virConnect *conn, const virDomainSnapshotRef *ref,
                            unsigned int flags)
{
    testState *state = conn->privateData;
    virDomainSnapshotRef *ret = NULL;
    testSnapshot *snap = NULL;
    testDomain *dom;

    virDriverCheckFlags(flags, 0, NULL);
    if ((dom = testSnapshotLock(state, &ref->dom, ref->name, &snap))) {
        if (!snap->parent)
            virReportError(VIR_ERR_NO_DOMAIN_SNAPSHOT, "snapshot '%s' does not have a parent",
                           snap->name);
        else
            ret = testSnapshotMakeRef(dom, snap->parent);
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

virDomainSnapshotRef *
testDomainSnapshotCurrent(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    virDomainSnapshotRef *ret = NULL;
    testDomain *dom;

    virDriverCheckFlags(flags, 0, NULL);
    if ((dom = testSnapshotLock(state, ref, NULL, NULL))) {
        if (!dom->currentSnapshot)
            virReportError(VIR_ERR_NO_DOMAIN_SNAPSHOT, "%s",
                           "the domain does not have a current snapshot");
        else
            ret = testSnapshotMakeRef(dom, dom->currentSnapshot);
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
        ret = testSnapshotIsCurrent(dom, snap);
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
    testState *state = conn->privateData;
    testSnapshot *snap = NULL;
    testDomain *dom;
    int ret = -1;
    guint i;

    virDriverCheckFlags(flags, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                        VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY, -1);
    if (!(dom = testSnapshotLock(state, &ref->dom, ref->name, &snap)))
        goto cleanup;
    if (flags & (VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN | VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        /* the descendants go; the current one among them hands over to snap */
        g_autoptr(GPtrArray) gone = g_ptr_array_new();

        for (i = 0; i < dom->snapshots->len; i++) {
            testSnapshot *s = g_ptr_array_index(dom->snapshots, i);
            if (testSnapshotUnder(dom, s, snap, true))
                g_ptr_array_add(gone, s);
        }
        for (i = 0; i < gone->len; i++) {
            testSnapshot *s = g_ptr_array_index(gone, i);
            if (testSnapshotIsCurrent(dom, s))
                testSnapshotSetCurrent(dom, snap->name);
            g_ptr_array_remove(dom->snapshots, s);
        }
    } else {
        /* the children move up to snap's parent */
        for (i = 0; i < dom->snapshots->len; i++) {
            testSnapshot *s = g_ptr_array_index(dom->snapshots, i);
            if (s->parent && strcmp(s->parent, snap->name) == 0) {
                g_free(s->parent);
                s->parent = g_strdup(snap->parent);
            }
        }
    }
    if (!(flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        if (testSnapshotIsCurrent(dom, snap)) {
            testSnapshot *parent = snap->parent ? testSnapshotFind(dom, snap->parent, false)
                                                : NULL;
            testSnapshotSetCurrent(dom, parent ? parent->name : NULL);
        }
        g_ptr_array_remove(dom->snapshots, snap);
    }
    testSnapshotCountSync(dom);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
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
    if (!snap->dom) {
        virReportError(VIR_ERR_SNAPSHOT_REVERT_RISKY, "snapshot '%s' lacks domain '%s' rollback info",
                       snap->name, virDomainObjCurrentDef(&dom->obj)->name);
        goto cleanup;
    }
    testSnapshotSetCurrent(dom, NULL);
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
            dom->obj.def = virDomainDefCopy(snap->dom);
        }
        testDomainStart(state, dom, dom->obj.def ? NULL : virDomainDefCopy(snap->dom),
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
        dom->obj.def = virDomainDefCopy(snap->dom);
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
    testSnapshotSetCurrent(dom, snap->name);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}
