/*
 * testcheckpoint.c: the test driver's domain checkpoints, as libvirt 9.0's
 * test driver keeps them: metadata only (no bitmap is made), for a running
 * domain without snapshots, in a moment tree (testmoment.h) with the
 * rules snapshots follow: a new checkpoint's parent is the current one,
 * and it becomes current.
 *
 * A checkpoint lists every disk of the domain it was taken of, each with
 * its mode (bitmap, or none for empty and read-only disks); libvirt's
 * test driver never fills in a size, so XML_SIZE only checks that the
 * domain runs.
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

/* A disk's mode, libvirt's values and names. */
enum {
    TEST_CHECKPOINT_DISK_DEFAULT,
    TEST_CHECKPOINT_DISK_NONE,
    TEST_CHECKPOINT_DISK_BITMAP,
};
static const char *const testCheckpointDiskModes[] = { "default", "no", "bitmap", NULL };

typedef struct {
    char *name;                 /* the target, once aligned to the domain */
    int mode;
    char *bitmap;               /* NULL: none */
} testCheckpointDisk;

typedef struct {
    testMoment m;               /* first */
    char *description;
    GArray *disks;              /* testCheckpointDisk */
} testCheckpoint;

static void
testCheckpointDiskClear(gpointer p)
{
    testCheckpointDisk *disk = p;

    g_free(disk->name);
    g_free(disk->bitmap);
}

static GArray *
testCheckpointDisksNew(void)
{
    GArray *disks = g_array_new(FALSE, TRUE, sizeof(testCheckpointDisk));

    g_array_set_clear_func(disks, testCheckpointDiskClear);
    return disks;
}

static void
testCheckpointFree(gpointer p)
{
    testCheckpoint *chk = p;

    testMomentClear(&chk->m);
    g_free(chk->description);
    g_array_unref(chk->disks);
    g_free(chk);
}

void
testDomainCheckpointsClear(testDomain *dom)
{
    testMomentListClear(&dom->checkpoints);
    dom->obj.ncheckpoints = 0;
}

static void
testCheckpointsChanged(testDomain *dom)
{
    dom->obj.ncheckpoints = (unsigned int)testMomentListCount(&dom->checkpoints);
}

static const testMomentKind testCheckpointKind = {
    .noun = "checkpoint",
    .notFound = VIR_ERR_NO_DOMAIN_CHECKPOINT,
    .list = offsetof(testDomain, checkpoints),
    .topological = VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL,
    .changed = testCheckpointsChanged,
};

/* ---- XML ---- */

static char *
testCheckpointFormat(const testCheckpoint *chk, unsigned int flags)
{
    GString *buf = g_string_new("<domaincheckpoint>\n  <name>");
    guint i;

    testMomentXMLEscape(buf, chk->m.name);
    g_string_append(buf, "</name>\n");
    if (chk->description) {
        g_string_append(buf, "  <description>");
        testMomentXMLEscape(buf, chk->description);
        g_string_append(buf, "</description>\n");
    }
    if (chk->m.parent) {
        g_string_append(buf, "  <parent>\n    <name>");
        testMomentXMLEscape(buf, chk->m.parent);
        g_string_append(buf, "</name>\n  </parent>\n");
    }
    if (chk->m.creationTime)
        g_string_append_printf(buf, "  <creationTime>%lld</creationTime>\n",
                               chk->m.creationTime);
    if (chk->disks->len) {
        g_string_append(buf, "  <disks>\n");
        for (i = 0; i < chk->disks->len; i++) {
            const testCheckpointDisk *disk = &g_array_index(chk->disks, testCheckpointDisk, i);

            if (!disk->name)
                continue;
            g_string_append(buf, "    <disk name='");
            testMomentXMLEscape(buf, disk->name);
            g_string_append_c(buf, '\'');
            if (disk->mode != TEST_CHECKPOINT_DISK_DEFAULT)
                g_string_append_printf(buf, " checkpoint='%s'",
                                       testCheckpointDiskModes[disk->mode]);
            if (disk->bitmap) {
                g_string_append(buf, " bitmap='");
                testMomentXMLEscape(buf, disk->bitmap);
                g_string_append_c(buf, '\'');
            }
            g_string_append(buf, "/>\n");
        }
        g_string_append(buf, "  </disks>\n");
    }
    if (chk->m.dom && !(flags & VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN))
        testMomentFormatDomain(buf, chk->m.dom);
    g_string_append(buf, "</domaincheckpoint>\n");
    return g_string_free(buf, FALSE);
}

/* libvirt validates the document against its schema first: the parts of
 * it a caller is likely to get wrong, with libxml2's words. */
static int
testCheckpointSchemaCheck(xmlNodePtr root)
{
    static const char *const known[] = {
        "name", "description", "parent", "creationTime", "disks", "domain", NULL
    };
    g_autofree char *detail = NULL;
    g_autofree char *ctime = NULL;
    const char *bad = NULL;
    xmlNodePtr cur, disk;

    for (cur = root->children; cur && !detail; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && !g_strv_contains(known, (const char *)cur->name))
            detail = g_strdup_printf("Element domaincheckpoint has extra content: %s\n",
                                     (const char *)cur->name);
    }
    if ((ctime = testMomentXMLChildText(root, "creationTime")) &&
        (!ctime[0] || strspn(ctime, "0123456789") != strlen(ctime)))
        bad = "creationTime";
    cur = testMomentXMLChild(root, "disks");
    for (disk = cur ? cur->children : NULL; disk && !bad; disk = disk->next) {
        g_autofree char *name = NULL;
        g_autofree char *mode = NULL;

        if (disk->type != XML_ELEMENT_NODE)
            continue;
        name = testMomentXMLAttr(disk, "name");
        mode = testMomentXMLAttr(disk, "checkpoint");
        if (strcmp((const char *)disk->name, "disk") != 0 || !name ||
            (mode && !g_strv_contains(testCheckpointDiskModes, mode)))
            bad = "disks";
    }
    if (!detail && bad)
        detail = g_strdup_printf("Extra element %s in interleave\n"
                                 "Element domaincheckpoint failed to validate content\n", bad);
    if (!detail)
        return 0;
    virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, __FILE__, __func__, __LINE__,
                       "Unable to validate doc against "
                       "/usr/share/libvirt/schemas/domaincheckpoint.rng\n%s", detail);
    return -1;
}

#define CHECKPOINT_ERROR(code, ...) \
    virErrorReportFull(VIR_FROM_DOMAIN_CHECKPOINT, code, __FILE__, __func__, __LINE__, \
                       __VA_ARGS__)

/* A checkpoint from its XML; redefine: name and creation time given. */
static testCheckpoint *
testCheckpointParse(const char *xml, bool redefine)
{
    testCheckpoint *chk = g_new0(testCheckpoint, 1);
    g_autofree char *ctime = NULL;
    xmlNodePtr root, cur;
    xmlDocPtr doc = NULL;

    chk->disks = testCheckpointDisksNew();
    if (!(doc = virDomainXMLParseString(xml, "(domain_checkpoint)", "domaincheckpoint",
                                        VIR_FROM_DOMAIN_CHECKPOINT)))
        goto error;
    root = xmlDocGetRootElement(doc);
    if (testCheckpointSchemaCheck(root) < 0)
        goto error;
    chk->m.name = testMomentXMLChildText(root, "name");
    chk->description = testMomentXMLChildText(root, "description");
    if (redefine) {
        if (!chk->m.name) {
            CHECKPOINT_ERROR(VIR_ERR_XML_ERROR, "%s", "a redefined checkpoint must have a name");
            goto error;
        }
        if (!(ctime = testMomentXMLChildText(root, "creationTime"))) {
            CHECKPOINT_ERROR(VIR_ERR_INTERNAL_ERROR, "%s",
                             "missing creationTime from existing checkpoint");
            goto error;
        }
        chk->m.creationTime = g_ascii_strtoll(ctime, NULL, 10);
        if ((cur = testMomentXMLChild(root, "parent")))
            chk->m.parent = testMomentXMLChildText(cur, "name");
        cur = testMomentXMLChild(root, "domain");
        if (cur && !(chk->m.dom = virDomainDefParseNode(cur)))
            goto error;
    } else {
        chk->m.creationTime = g_get_real_time() / G_USEC_PER_SEC;
        if (!chk->m.name)
            chk->m.name = g_strdup_printf("%lld", chk->m.creationTime);
    }
    cur = testMomentXMLChild(root, "disks");
    for (cur = cur ? cur->children : NULL; cur; cur = cur->next) {
        testCheckpointDisk disk = { NULL };
        g_autofree char *mode = NULL;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        disk.name = testMomentXMLAttr(cur, "name");
        mode = testMomentXMLAttr(cur, "checkpoint");
        disk.mode = TEST_CHECKPOINT_DISK_BITMAP;
        for (int i = 0; mode && testCheckpointDiskModes[i]; i++) {
            if (strcmp(mode, testCheckpointDiskModes[i]) == 0)
                disk.mode = i;
        }
        disk.bitmap = testMomentXMLAttr(cur, "bitmap");
        g_array_append_val(chk->disks, disk);
    }
    xmlFreeDoc(doc);
    return chk;

 error:
    if (doc)
        xmlFreeDoc(doc);
    testCheckpointFree(chk);
    return NULL;
}

/* Bitmap disks without a bitmap name get the checkpoint's. */
static void
testCheckpointNameBitmaps(testCheckpoint *chk)
{
    guint i;

    for (i = 0; i < chk->disks->len; i++) {
        testCheckpointDisk *disk = &g_array_index(chk->disks, testCheckpointDisk, i);

        if (disk->mode == TEST_CHECKPOINT_DISK_BITMAP && !disk->bitmap)
            disk->bitmap = g_strdup(chk->m.name);
    }
}

/* A domain disk as checkpoints see it: its target, whether it can have a
 * bitmap (not empty, not read-only), and whether name designates it (its
 * target or its source). */
static bool
testCheckpointDomainDisk(const virDomainXMLNode *disk, const char *name, const char **target,
                         bool *usable)
{
    const char *file = virDomainXMLNodeAttr(disk, "source", "file");
    const char *dev = virDomainXMLNodeAttr(disk, "source", "dev");
    const char *type = virDomainXMLNodeAttr(disk, NULL, "type");
    bool empty;

    *target = virDomainXMLNodeAttr(disk, "target", "dev");
    if (type && strcmp(type, "network") == 0)
        empty = !virDomainXMLNodeGetChild(disk, "source");
    else if (type && strcmp(type, "block") == 0)
        empty = !dev;
    else
        empty = !file && !dev && !virDomainXMLNodeAttr(disk, "source", "volume");
    *usable = !empty && !virDomainXMLNodeGetChild(disk, "readonly");
    return name && ((*target && strcmp(*target, name) == 0) ||
                    (file && strcmp(file, name) == 0) || (dev && strcmp(dev, name) == 0));
}

/* libvirt's alignment of the disks to chk->m.dom: one entry per domain
 * disk in its order, those not asked for defaulted. */
static int
testCheckpointAlignDisks(testCheckpoint *chk)
{
    g_autoptr(GPtrArray) domDisks = NULL;
    g_autoptr(GArray) given = chk->disks;
    g_autofree int *taken = NULL;       /* per domain disk: index in given + 1, or 0 */
    guint i, j;

    chk->disks = testCheckpointDisksNew();
    if (!chk->m.dom) {
        CHECKPOINT_ERROR(VIR_ERR_INTERNAL_ERROR, "%s", "missing domain in checkpoint");
        return -1;
    }
    domDisks = virDomainDefDevices(chk->m.dom, "disk");
    if (given->len > domDisks->len) {
        CHECKPOINT_ERROR(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                         "too many disk checkpoint requests for domain");
        return -1;
    }
    if (!domDisks->len) {
        CHECKPOINT_ERROR(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                         "domain must have at least one disk to perform checkpoints");
        return -1;
    }
    taken = g_new0(int, domDisks->len);
    for (i = 0; i < given->len; i++) {
        testCheckpointDisk *disk = &g_array_index(given, testCheckpointDisk, i);
        const char *target = NULL;
        bool usable = false;

        for (j = 0; j < domDisks->len; j++) {
            if (testCheckpointDomainDisk(g_ptr_array_index(domDisks, j), disk->name, &target,
                                         &usable))
                break;
        }
        if (j == domDisks->len) {
            CHECKPOINT_ERROR(VIR_ERR_CONFIG_UNSUPPORTED, "no disk named '%s'", disk->name);
            return -1;
        }
        if (taken[j]) {
            CHECKPOINT_ERROR(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' specified twice", disk->name);
            return -1;
        }
        taken[j] = (int)i + 1;
        if (!usable && disk->mode != TEST_CHECKPOINT_DISK_NONE) {
            CHECKPOINT_ERROR(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' is empty or readonly",
                             disk->name);
            return -1;
        }
        g_free(disk->name);
        disk->name = g_strdup(target);
    }
    for (j = 0; j < domDisks->len; j++) {
        testCheckpointDisk disk = { NULL };
        const char *target = NULL;
        bool usable = false;

        if (taken[j]) {
            testCheckpointDisk *old = &g_array_index(given, testCheckpointDisk, taken[j] - 1);

            disk = *old;
            memset(old, 0, sizeof(*old));       /* moved */
        } else {
            testCheckpointDomainDisk(g_ptr_array_index(domDisks, j), NULL, &target, &usable);
            disk.name = g_strdup(target);
            /* without <disks>, every usable disk gets a bitmap */
            disk.mode = usable && !given->len ? TEST_CHECKPOINT_DISK_BITMAP
                                              : TEST_CHECKPOINT_DISK_NONE;
        }
        g_array_append_val(chk->disks, disk);
    }
    testCheckpointNameBitmaps(chk);
    return 0;
}

/* ---- entry points ---- */

/* libvirt's checks of a redefinition; sets *current when it becomes the
 * current one. */
static int
testCheckpointRedefinePrep(testDomain *dom, testCheckpoint *chk, bool *current)
{
    const virDomainDef *def = virDomainObjCurrentDef(&dom->obj);

    if (testMomentListCheckParent(&dom->checkpoints, &chk->m) < 0)
        return -1;
    if (chk->m.dom) {
        if (memcmp(chk->m.dom->uuid, def->uuid, VIR_UUID_BUFLEN) != 0) {
            char uuid[VIR_UUID_STRING_BUFLEN];

            virDomainUUIDFormat(def->uuid, uuid);
            CHECKPOINT_ERROR(VIR_ERR_INVALID_ARG, "definition for checkpoint %s must use uuid %s",
                             chk->m.name, uuid);
            return -1;
        }
        if (testCheckpointAlignDisks(chk) < 0)
            return -1;
    } else {
        testCheckpointNameBitmaps(chk);
    }
    /* under the current one, or the first: it becomes current */
    *current = !dom->checkpoints.current ||
               (chk->m.parent && strcmp(chk->m.parent, dom->checkpoints.current) == 0);
    return 0;
}

virDomainCheckpointRef *
testDomainCheckpointCreateXML(virConnect *conn, const virDomainRef *ref, const char *xmlDesc,
                              unsigned int flags)
{
    testState *state = conn->privateData;
    bool redefine = flags & VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE;
    virDomainCheckpointRef *ret = NULL;
    testCheckpoint *chk = NULL;
    bool current = !redefine;
    testDomain *dom;

    virDriverCheckFlags(flags, VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
                        VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE, NULL);
    if (!(dom = testMomentLock(state, &testCheckpointKind, ref, NULL, NULL)))
        goto cleanup;
    if (testDomainSnapshotCount(dom) > 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot create checkpoint while snapshot exists");
        goto cleanup;
    }
    if (!virDomainObjIsActive(&dom->obj)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot create checkpoint for inactive domain");
        goto cleanup;
    }
    if (!(chk = testCheckpointParse(xmlDesc, redefine)))
        goto cleanup;
    if (redefine) {
        if (testCheckpointRedefinePrep(dom, chk, &current) < 0)
            goto cleanup;
    } else {
        chk->m.dom = virDomainDefCopy(virDomainObjCurrentDef(&dom->obj));
        if (testCheckpointAlignDisks(chk) < 0)
            goto cleanup;
        if (testMomentListFind(&dom->checkpoints, chk->m.name)) {
            virDriverReportDomainError(VIR_ERR_OPERATION_FAILED, "domain moment %s already exists",
                                       chk->m.name);
            goto cleanup;
        }
        chk->m.parent = g_strdup(dom->checkpoints.current);
    }
    /* a redefinition replaces the record of its name; children keep it as parent */
    testMomentListAdd(&dom->checkpoints, &chk->m, testCheckpointFree);
    if (current)
        testMomentListSetCurrent(&dom->checkpoints, chk->m.name);
    testCheckpointsChanged(dom);
    ret = testMomentMakeRef(&dom->obj, chk->m.name);
    chk = NULL;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    if (chk)
        testCheckpointFree(chk);
    return ret;
}

char *
testDomainCheckpointGetXMLDesc(virConnect *conn, const virDomainCheckpointRef *ref,
                               unsigned int flags)
{
    testState *state = conn->privateData;
    testMoment *chk = NULL;
    testDomain *dom;
    char *ret = NULL;

    virDriverCheckFlags(flags, VIR_DOMAIN_CHECKPOINT_XML_SECURE |
                        VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN | VIR_DOMAIN_CHECKPOINT_XML_SIZE, NULL);
    if ((dom = testMomentLock(state, &testCheckpointKind, &ref->dom, ref->name, &chk))) {
        /* libvirt's test driver sets sizes it never marks valid: not shown */
        if ((flags & VIR_DOMAIN_CHECKPOINT_XML_SIZE) && !virDomainObjIsActive(&dom->obj))
            virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        else
            ret = testCheckpointFormat((testCheckpoint *)chk, flags);
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainListAllCheckpoints(virConnect *conn, const virDomainRef *ref,
                             virDomainCheckpointRef ***checkpoints, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DOMAIN_CHECKPOINT_LIST_ROOTS |
                        VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL |
                        VIR_DOMAIN_CHECKPOINT_FILTERS_ALL, -1);
    return testMomentListRefs(conn->privateData, &testCheckpointKind, ref, NULL, checkpoints,
                              flags);
}

int
testDomainCheckpointListAllChildren(virConnect *conn, const virDomainCheckpointRef *checkpoint,
                                    virDomainCheckpointRef ***checkpoints, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS |
                        VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL |
                        VIR_DOMAIN_CHECKPOINT_FILTERS_ALL, -1);
    return testMomentListRefs(conn->privateData, &testCheckpointKind, &checkpoint->dom,
                          checkpoint->name, checkpoints, flags);
}

virDomainCheckpointRef *
testDomainCheckpointLookupByName(virConnect *conn, const virDomainRef *ref, const char *name,
                                 unsigned int flags)
{
    virDriverCheckFlags(flags, 0, NULL);
    return testMomentLookup(conn->privateData, &testCheckpointKind, ref, name);
}

virDomainCheckpointRef *
testDomainCheckpointGetParent(virConnect *conn, const virDomainCheckpointRef *ref,
                              unsigned int flags)
{
    virDriverCheckFlags(flags, 0, NULL);
    return testMomentGetParent(conn->privateData, &testCheckpointKind, ref);
}

int
testDomainCheckpointDelete(virConnect *conn, const virDomainCheckpointRef *ref,
                           unsigned int flags)
{
    /* METADATA_ONLY: there is only metadata */
    virDriverCheckFlags(flags, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN |
                        VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY |
                        VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY, -1);
    return testMomentDelete(conn->privateData, &testCheckpointKind, ref,
                            flags & VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN,
                            flags & VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY);
}
