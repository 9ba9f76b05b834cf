/*
 * teststorage.c: the test driver's storage pools and volumes (libvirt's
 * test driver: in-memory pools of 100 GiB whose volumes only count their
 * allocation; nothing on disk). See testdriverpriv.h for the state and its
 * lock, docs/test-driver.md for what matches libvirt.
 *
 * Every entry point takes state->lock for its whole run; events go to the
 * state's registry under it.
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virstoragedef.h"
#include "virobjectevent.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

#define TEST_POOL_CAPACITY (100ULL * 1024 * 1024 * 1024)

/* A pool's private data: its sizes and volumes. */
typedef struct {
    unsigned long long capacity;
    unsigned long long allocation;
    unsigned long long available;
    GPtrArray *vols;            /* virXMLTree * (volume definitions) */
} testPool;

void
testPoolFree(void *data)
{
    testPool *pool = data;

    g_ptr_array_free(pool->vols, TRUE);
    g_free(pool);
}

static testPool *
testPoolData(virObjectListEntry *e)
{
    if (!e->priv) {
        testPool *pool = g_new0(testPool, 1);

        pool->vols = g_ptr_array_new_with_free_func((GDestroyNotify)virXMLTreeFree);
        e->priv = pool;
    }
    return e->priv;
}

/* libvirt's testStoragePoolObjSetDefaults */
static void
testPoolSetDefaults(testPool *pool)
{
    pool->capacity = TEST_POOL_CAPACITY;
    pool->allocation = 0;
    pool->available = TEST_POOL_CAPACITY;
}

static void
testPoolAccount(testPool *pool, long long delta)
{
    pool->allocation += (unsigned long long)delta;
    pool->available = pool->capacity - pool->allocation;
}

#define POOL_BY_NAME(state, name) \
    virObjectListGetByName((state)->pools, (name), VIR_FROM_TEST, VIR_ERR_NO_STORAGE_POOL, \
                           "storage pool")
#define POOL_BY_UUID(state, uuid) \
    virObjectListGetByUUID((state)->pools, (uuid), VIR_FROM_TEST, VIR_ERR_NO_STORAGE_POOL, \
                           "storage pool")

/* The pool named name, which must be active (want 1) / inactive (0) /
 * either (-1); NULL with libvirt's error. */
static virObjectListEntry *
testPoolGet(testState *state, const char *name, int want)
{
    virObjectListEntry *e = POOL_BY_NAME(state, name);

    if (e && want == 1 && !e->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is not active", name);
        return NULL;
    }
    if (e && want == 0 && e->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is active", name);
        return NULL;
    }
    return e;
}

/* Run body on the pool named name in state want (see testPoolGet). */
#define WITH_POOL(conn, name, want, body) \
    do { \
        testState *state = (conn)->privateData; \
        virObjectListEntry *e; \
        virNoIOMutexLock(&state->lock); \
        if ((e = testPoolGet(state, (name), (want)))) { \
            testPool *pool = testPoolData(e); \
            (void)pool; \
            body; \
        } \
        virNoIOMutexUnlock(&state->lock); \
    } while (0)

static virStoragePoolRef *
testPoolMakeRef(const virObjectListEntry *e)
{
    return virStoragePoolRefNew(e->name, e->uuid);
}

static void
testPoolEmit(testState *state, const virObjectListEntry *e, int event, bool refresh)
{
    virStoragePoolRef ref = { .name = e->name };

    memcpy(ref.uuid, e->uuid, VIR_UUID_BUFLEN);
    if (refresh)
        virObjectEventStoragePoolRefresh(state->events, &ref);
    else
        virObjectEventStoragePoolLifecycle(state->events, &ref, event, 0);
}

static virXMLTree *
testVolFind(testPool *pool, const char *name)
{
    guint i;

    for (i = 0; i < pool->vols->len; i++) {
        virXMLTree *v = g_ptr_array_index(pool->vols, i);

        if (strcmp(virStorageVolDefName(v), name) == 0)
            return v;
    }
    return NULL;
}

static virXMLTree *
testVolGet(testPool *pool, const char *name)
{
    virXMLTree *v = testVolFind(pool, name);

    if (!v)
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'", name);
    return v;
}

static virStorageVolRef *
testVolMakeRef(const virObjectListEntry *e, const virXMLTree *vol)
{
    return virStorageVolRefNew(e->name, virStorageVolDefName(vol), virStorageVolDefKey(vol));
}

/* A volume's path and key default to POOLPATH/NAME. */
static void
testVolPlace(const virObjectListEntry *e, virXMLTree *vol, bool force)
{
    g_autofree char *path = g_strdup_printf("%s/%s", virStoragePoolDefTargetPath(e->def),
                                            virStorageVolDefName(vol));

    if (force || !virStorageVolDefPath(vol))
        virStorageVolDefSetPath(vol, path);
    if (force || !virStorageVolDefKey(vol))
        virStorageVolDefSetKey(vol, virStorageVolDefPath(vol));
}

int
testPoolsLoad(testState *state, xmlNodePtr root, const char *path)
{
    xmlNodePtr cur;

    for (cur = root->children; cur; cur = cur->next) {
        virXMLTree *def;
        virObjectListEntry *e;
        testPool *pool;
        unsigned char uuid[VIR_UUID_BUFLEN];
        xmlNodePtr vcur;

        if (cur->type != XML_ELEMENT_NODE || strcmp((const char *)cur->name, "pool") != 0)
            continue;
        if (!(cur = testNodeFileElement(cur, path)) || !(def = virStoragePoolDefParseNode(cur)))
            return -1;
        virStoragePoolDefUUID(def, uuid);
        if (!(e = virObjectListAssignDef(state->pools, virStoragePoolDefName(def), uuid, def,
                                         false, false))) {
            virXMLTreeFree(def);
            return -1;
        }
        pool = testPoolData(e);
        testPoolSetDefaults(pool);
        e->active = true;
        for (vcur = cur->children; vcur; vcur = vcur->next) {
            virXMLTree *vol;

            if (vcur->type != XML_ELEMENT_NODE || strcmp((const char *)vcur->name, "volume") != 0)
                continue;
            if (!(vcur = testNodeFileElement(vcur, path)) ||
                !(vol = virStorageVolDefParseNode(virStoragePoolDefType(e->def), vcur)))
                return -1;
            testVolPlace(e, vol, false);
            g_ptr_array_add(pool->vols, vol);
            testPoolAccount(pool, (long long)virStorageVolDefAllocation(vol));
        }
    }
    return 0;
}

/* ---- pools: lists and lookups ---- */

static int
testPoolCount(virConnect *conn, bool active)
{
    testState *state = conn->privateData;
    int n;

    virNoIOMutexLock(&state->lock);
    n = virObjectListCount(state->pools, active);
    virNoIOMutexUnlock(&state->lock);
    return n;
}

static int
testPoolNames(virConnect *conn, bool active, char **names, int maxnames)
{
    testState *state = conn->privateData;
    int n;

    virNoIOMutexLock(&state->lock);
    n = virObjectListGetNames(state->pools, active, names, maxnames);
    virNoIOMutexUnlock(&state->lock);
    return n;
}

static int
testConnectNumOfStoragePools(virConnect *conn)
{
    return testPoolCount(conn, true);
}

static int
testConnectNumOfDefinedStoragePools(virConnect *conn)
{
    return testPoolCount(conn, false);
}

static int
testConnectListStoragePools(virConnect *conn, char **names, int maxnames)
{
    return testPoolNames(conn, true, names, maxnames);
}

static int
testConnectListDefinedStoragePools(virConnect *conn, char **names, int maxnames)
{
    return testPoolNames(conn, false, names, maxnames);
}

static int
testConnectListAllStoragePools(virConnect *conn, virStoragePoolRef ***pools, unsigned int flags)
{
    testState *state = conn->privateData;
    GPtrArray *list = g_ptr_array_new();
    size_t i;

    virDriverCheckFlags(flags, (1U << 20) - 1, -1);
    virNoIOMutexLock(&state->lock);
    for (i = 0; i < virObjectListSize(state->pools); i++) {
        virObjectListEntry *e = virObjectListAt(state->pools, i);
        unsigned int types = flags & ~0x3fU;

        if (!virObjectListEntryMatches(e, flags) ||
            (types && !(types & (VIR_CONNECT_LIST_STORAGE_POOLS_DIR <<
                                 virStoragePoolDefType(e->def)))))
            continue;
        g_ptr_array_add(list, testPoolMakeRef(e));
    }
    virNoIOMutexUnlock(&state->lock);
    return virObjectRefListFinish(list, virObjectRefCompareName, (void ***)pools);
}

static virStoragePoolRef *
testStoragePoolLookupByName(virConnect *conn, const char *name)
{
    virStoragePoolRef *ret = NULL;

    WITH_POOL(conn, name, -1, ret = testPoolMakeRef(e));
    return ret;
}

static virStoragePoolRef *
testStoragePoolLookupByUUID(virConnect *conn, const unsigned char *uuid)
{
    testState *state = conn->privateData;
    virObjectListEntry *e;
    virStoragePoolRef *ret = NULL;

    virNoIOMutexLock(&state->lock);
    if ((e = POOL_BY_UUID(state, uuid)))
        ret = testPoolMakeRef(e);
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static virStoragePoolRef *
testStoragePoolLookupByVolume(virConnect *conn, const virStorageVolRef *vol)
{
    return testStoragePoolLookupByName(conn, vol->pool);
}

static char *
testConnectFindStoragePoolSources(virConnect *conn G_GNUC_UNUSED, const char *type,
                                  const char *srcSpec, unsigned int flags)
{
    g_autofree char *host = NULL;
    int t = -1;
    size_t i;

    virDriverCheckFlags(flags, 0, NULL);
    for (i = 0; virStoragePoolTypeNames[i]; i++) {
        if (strcmp(virStoragePoolTypeNames[i], type) == 0)
            t = (int)i;
    }
    /* libvirt: "dir" (type 0) is unknown here; other unknown types fall
     * through to "does not support source discovery" */
    if (t == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "unknown storage pool type %s", type);
        return NULL;
    }
    if (srcSpec && virStoragePoolSourceParseHost(srcSpec, &host) < 0)
        return NULL;
    if (strcmp(type, "logical") == 0)
        return g_strdup("<sources>\n"
                        "  <source>\n"
                        "    <device path='/dev/sda20'/>\n"
                        "    <name>testvg1</name>\n"
                        "    <format type='lvm2'/>\n"
                        "  </source>\n"
                        "  <source>\n"
                        "    <device path='/dev/sda21'/>\n"
                        "    <name>testvg2</name>\n"
                        "    <format type='lvm2'/>\n"
                        "  </source>\n"
                        "</sources>\n");
    if (strcmp(type, "netfs") == 0) {
        if (!host) {
            virReportError(VIR_ERR_INVALID_ARG, "%s",
                           "hostname must be specified for netfs sources");
            return NULL;
        }
        return g_strdup_printf("<sources>\n"
                               "  <source>\n"
                               "    <host name='%s'/>\n"
                               "    <dir path='/testshare'/>\n"
                               "    <format type='nfs'/>\n"
                               "  </source>\n"
                               "</sources>\n", host);
    }
    virReportError(VIR_ERR_NO_SUPPORT, "pool type '%s' does not support source discovery", type);
    return NULL;
}

/* ---- pools: lifecycle ---- */

/* Define (persistent, inactive) or create (transient, started) from xml. */
static virStoragePoolRef *
testPoolAssign(virConnect *conn, const char *xml, bool create)
{
    testState *state = conn->privateData;
    virXMLTree *def;
    virObjectListEntry *e = NULL;
    virStoragePoolRef *ret = NULL;
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (!(def = virStoragePoolDefParseString(xml)))
        return NULL;
    virStoragePoolDefUUID(def, uuid);
    virNoIOMutexLock(&state->lock);
    if (virStoragePoolCheckSourceConflict(state->pools, def) == 0)
        e = virObjectListAssignDef(state->pools, virStoragePoolDefName(def), uuid, def, false,
                                   create);
    if (!e) {
        virXMLTreeFree(def);
        goto cleanup;
    }
    if (!e->active)
        testPoolSetDefaults(testPoolData(e));
    if (create) {
        /* as libvirt's test driver: the pool is transient now */
        e->persistent = false;
        e->active = true;
        testPoolEmit(state, e, VIR_STORAGE_POOL_EVENT_STARTED, false);
    } else {
        testPoolEmit(state, e, VIR_STORAGE_POOL_EVENT_DEFINED, false);
    }
    ret = testPoolMakeRef(e);
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static virStoragePoolRef *
testStoragePoolCreateXML(virConnect *conn, const char *xml, unsigned int flags)
{
    virDriverCheckFlags(flags, 0, NULL);
    return testPoolAssign(conn, xml, true);
}

static virStoragePoolRef *
testStoragePoolDefineXML(virConnect *conn, const char *xml, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_STORAGE_POOL_DEFINE_VALIDATE, NULL);
    return testPoolAssign(conn, xml, false);
}

static int
testStoragePoolUndefine(virConnect *conn, const virStoragePoolRef *ref)
{
    int ret = -1;

    WITH_POOL(conn, ref->name, 0, {
        testPoolEmit(state, e, VIR_STORAGE_POOL_EVENT_UNDEFINED, false);
        virObjectListRemove(state->pools, e);
        ret = 0;
    });
    return ret;
}

/* Build and delete change nothing in the test driver: their events. */
static int
testStoragePoolBuild(virConnect *conn, const virStoragePoolRef *ref, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    WITH_POOL(conn, ref->name, 0, {
        testPoolEmit(state, e, VIR_STORAGE_POOL_EVENT_CREATED, false);
        ret = 0;
    });
    return ret;
}

static int
testStoragePoolDelete(virConnect *conn, const virStoragePoolRef *ref, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    WITH_POOL(conn, ref->name, 0, {
        testPoolEmit(state, e, VIR_STORAGE_POOL_EVENT_DELETED, false);
        ret = 0;
    });
    return ret;
}

static int
testStoragePoolCreate(virConnect *conn, const virStoragePoolRef *ref, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    WITH_POOL(conn, ref->name, 0, {
        e->active = true;
        testPoolEmit(state, e, VIR_STORAGE_POOL_EVENT_STARTED, false);
        ret = 0;
    });
    return ret;
}

static int
testStoragePoolDestroy(virConnect *conn, const virStoragePoolRef *ref)
{
    int ret = -1;

    WITH_POOL(conn, ref->name, 1, {
        e->active = false;
        testPoolEmit(state, e, VIR_STORAGE_POOL_EVENT_STOPPED, false);
        if (!e->persistent)
            virObjectListRemove(state->pools, e);
        ret = 0;
    });
    return ret;
}

static int
testStoragePoolRefresh(virConnect *conn, const virStoragePoolRef *ref, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    WITH_POOL(conn, ref->name, 1, {
        testPoolEmit(state, e, 0, true);
        ret = 0;
    });
    return ret;
}

/* ---- pools: queries ---- */

static int
testStoragePoolGetInfo(virConnect *conn, const virStoragePoolRef *ref, virStoragePoolInfo *info)
{
    int ret = -1;

    WITH_POOL(conn, ref->name, -1, {
        info->state = e->active ? VIR_STORAGE_POOL_RUNNING : VIR_STORAGE_POOL_INACTIVE;
        info->capacity = pool->capacity;
        info->allocation = pool->allocation;
        info->available = pool->available;
        ret = 0;
    });
    return ret;
}

static char *
testStoragePoolGetXMLDesc(virConnect *conn, const virStoragePoolRef *ref, unsigned int flags)
{
    char *ret = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    WITH_POOL(conn, ref->name, -1,
              ret = virStoragePoolDefFormat(e->def, pool->capacity, pool->allocation,
                                            pool->available));
    return ret;
}

static int
testStoragePoolGetAutostart(virConnect *conn, const virStoragePoolRef *ref, int *autostart)
{
    int ret = -1;

    WITH_POOL(conn, ref->name, -1, {
        *autostart = e->persistent && e->autostart;
        ret = 0;
    });
    return ret;
}

static int
testStoragePoolSetAutostart(virConnect *conn, const virStoragePoolRef *ref, int autostart)
{
    int ret = -1;

    WITH_POOL(conn, ref->name, -1, {
        if (!e->persistent) {
            virReportError(VIR_ERR_INVALID_ARG, "%s", "pool has no config file");
        } else {
            e->autostart = autostart != 0;
            ret = 0;
        }
    });
    return ret;
}

/* Is active / is persistent: by UUID, as libvirt's test driver. */
static int
testPoolState(virConnect *conn, const virStoragePoolRef *ref, bool persistent)
{
    testState *state = conn->privateData;
    virObjectListEntry *e;
    int ret = -1;

    virNoIOMutexLock(&state->lock);
    if ((e = POOL_BY_UUID(state, ref->uuid)))
        ret = persistent ? e->persistent : e->active;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static int
testStoragePoolIsActive(virConnect *conn, const virStoragePoolRef *ref)
{
    return testPoolState(conn, ref, false);
}

static int
testStoragePoolIsPersistent(virConnect *conn, const virStoragePoolRef *ref)
{
    return testPoolState(conn, ref, true);
}

static int
testStoragePoolNumOfVolumes(virConnect *conn, const virStoragePoolRef *ref)
{
    int ret = -1;

    WITH_POOL(conn, ref->name, 1, ret = (int)pool->vols->len);
    return ret;
}

static int
testVolCompare(gconstpointer a, gconstpointer b)
{
    return strcmp(virStorageVolDefName(*(virXMLTree *const *)a),
                  virStorageVolDefName(*(virXMLTree *const *)b));
}

/* The pool's volumes sorted by name (borrowed). */
static GPtrArray *
testPoolSortedVols(testPool *pool)
{
    GPtrArray *sorted = g_ptr_array_new();
    guint i;

    for (i = 0; i < pool->vols->len; i++)
        g_ptr_array_add(sorted, g_ptr_array_index(pool->vols, i));
    g_ptr_array_sort(sorted, testVolCompare);
    return sorted;
}

static int
testStoragePoolListVolumes(virConnect *conn, const virStoragePoolRef *ref, char **names,
                           int maxnames)
{
    int ret = -1;

    WITH_POOL(conn, ref->name, 1, {
        g_autoptr(GPtrArray) sorted = testPoolSortedVols(pool);
        guint i;

        for (i = 0; i < sorted->len && (int)i < maxnames; i++)
            names[i] = g_strdup(virStorageVolDefName(g_ptr_array_index(sorted, i)));
        ret = (int)i;
    });
    return ret;
}

static int
testStoragePoolListAllVolumes(virConnect *conn, const virStoragePoolRef *ref,
                              virStorageVolRef ***vols, unsigned int flags)
{
    testState *state = conn->privateData;
    virObjectListEntry *e;
    GPtrArray *list;
    guint i;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if (!(e = POOL_BY_UUID(state, ref->uuid))) {
        virNoIOMutexUnlock(&state->lock);
        return -1;
    }
    if (!e->active) {
        virNoIOMutexUnlock(&state->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "storage pool is not active");
        return -1;
    }
    list = g_ptr_array_new();
    for (i = 0; i < testPoolData(e)->vols->len; i++)
        g_ptr_array_add(list, testVolMakeRef(e, g_ptr_array_index(testPoolData(e)->vols, i)));
    virNoIOMutexUnlock(&state->lock);
    return virObjectRefListFinish(list, virStorageVolRefCompare, (void ***)vols);
}

/* ---- volumes ---- */

static virStorageVolRef *
testStorageVolLookupByName(virConnect *conn, const virStoragePoolRef *ref, const char *name)
{
    virStorageVolRef *ret = NULL;

    WITH_POOL(conn, ref->name, 1, {
        virXMLTree *vol = testVolGet(pool, name);
        if (vol)
            ret = testVolMakeRef(e, vol);
    });
    return ret;
}

/* The first volume of an active pool whose key (path) is value. */
static virStorageVolRef *
testVolLookup(virConnect *conn, const char *value, bool byPath)
{
    testState *state = conn->privateData;
    virStorageVolRef *ret = NULL;
    size_t i;
    guint j;

    virNoIOMutexLock(&state->lock);
    for (i = 0; i < virObjectListSize(state->pools) && !ret; i++) {
        virObjectListEntry *e = virObjectListAt(state->pools, i);
        testPool *pool = testPoolData(e);

        for (j = 0; e->active && j < pool->vols->len && !ret; j++) {
            virXMLTree *vol = g_ptr_array_index(pool->vols, j);
            const char *have = byPath ? virStorageVolDefPath(vol) : virStorageVolDefKey(vol);

            if (g_strcmp0(have, value) == 0)
                ret = testVolMakeRef(e, vol);
        }
    }
    virNoIOMutexUnlock(&state->lock);
    if (!ret)
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching %s '%s'",
                       byPath ? "path" : "key", value);
    return ret;
}

static virStorageVolRef *
testStorageVolLookupByKey(virConnect *conn, const char *key)
{
    return testVolLookup(conn, key, false);
}

static virStorageVolRef *
testStorageVolLookupByPath(virConnect *conn, const char *path)
{
    return testVolLookup(conn, path, true);
}

/* Create a volume from xml (from: the volume to clone, by name; it only
 * has to exist in the pool). */
static virStorageVolRef *
testVolCreate(virConnect *conn, const virStoragePoolRef *ref, const char *xml, const char *from)
{
    virStorageVolRef *ret = NULL;

    WITH_POOL(conn, ref->name, 1, {
        g_autoptr(virXMLTree) vol = virStorageVolDefParseString(virStoragePoolDefType(e->def),
                                                                xml);

        if (!vol) {
            /* error reported */
        } else if (testVolFind(pool, virStorageVolDefName(vol))) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s", "storage vol already exists");
        } else if (from && !testVolGet(pool, from)) {
            /* error reported */
        } else if (pool->allocation + virStorageVolDefAllocation(vol) > pool->capacity) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "Not enough free space in pool for volume '%s'",
                           virStorageVolDefName(vol));
        } else {
            testVolPlace(e, vol, true);
            testPoolAccount(pool, (long long)virStorageVolDefAllocation(vol));
            ret = testVolMakeRef(e, vol);
            g_ptr_array_add(pool->vols, g_steal_pointer(&vol));
        }
    });
    return ret;
}

static virStorageVolRef *
testStorageVolCreateXML(virConnect *conn, const virStoragePoolRef *ref, const char *xml,
                        unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_STORAGE_VOL_CREATE_VALIDATE, NULL);
    return testVolCreate(conn, ref, xml, NULL);
}

static virStorageVolRef *
testStorageVolCreateXMLFrom(virConnect *conn, const virStoragePoolRef *ref, const char *xml,
                            const virStorageVolRef *clonevol, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_STORAGE_VOL_CREATE_VALIDATE, NULL);
    return testVolCreate(conn, ref, xml, clonevol->name);
}

/* Run body on the volume vol (its pool active), v the volume's tree. */
#define WITH_VOL(conn, ref, body) \
    WITH_POOL(conn, (ref)->pool, 1, { \
        virXMLTree *v = testVolGet(pool, (ref)->name); \
        if (v) { \
            body; \
        } \
    })

static int
testStorageVolDelete(virConnect *conn, const virStorageVolRef *ref, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    WITH_VOL(conn, ref, {
        testPoolAccount(pool, -(long long)virStorageVolDefAllocation(v));
        g_ptr_array_remove(pool->vols, v);
        ret = 0;
    });
    return ret;
}

static int
testStorageVolGetInfo(virConnect *conn, const virStorageVolRef *ref, virStorageVolInfo *info)
{
    int ret = -1;

    WITH_VOL(conn, ref, {
        info->type = virStorageVolTypeForPool(virStoragePoolDefType(e->def));
        info->capacity = virStorageVolDefCapacity(v);
        info->allocation = virStorageVolDefAllocation(v);
        ret = 0;
    });
    return ret;
}

static char *
testStorageVolGetXMLDesc(virConnect *conn, const virStorageVolRef *ref, unsigned int flags)
{
    char *ret = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    WITH_VOL(conn, ref, ret = virStorageVolDefFormat(v));
    return ret;
}

static char *
testStorageVolGetPath(virConnect *conn, const virStorageVolRef *ref)
{
    char *ret = NULL;

    WITH_VOL(conn, ref, ret = g_strdup(virStorageVolDefPath(v)));
    return ret;
}

static int
testConnectStoragePoolEventRegisterAny(virConnect *conn, const virStoragePoolRef *pool,
                                       int eventID,
                                       virConnectStoragePoolEventGenericCallback cb,
                                       void *opaque, virFreeCallback ff)
{
    testState *state = conn->privateData;

    return virObjectEventRegistryAddStoragePool(state->events, conn, pool, eventID, cb,
                                                opaque, ff);
}

const virStorageDriver testStorageDriver = {
    .name = "Test",
    .connectNumOfStoragePools = testConnectNumOfStoragePools,
    .connectListStoragePools = testConnectListStoragePools,
    .connectNumOfDefinedStoragePools = testConnectNumOfDefinedStoragePools,
    .connectListDefinedStoragePools = testConnectListDefinedStoragePools,
    .connectListAllStoragePools = testConnectListAllStoragePools,
    .connectFindStoragePoolSources = testConnectFindStoragePoolSources,
    .storagePoolLookupByName = testStoragePoolLookupByName,
    .storagePoolLookupByUUID = testStoragePoolLookupByUUID,
    .storagePoolLookupByVolume = testStoragePoolLookupByVolume,
    .storagePoolCreateXML = testStoragePoolCreateXML,
    .storagePoolDefineXML = testStoragePoolDefineXML,
    .storagePoolBuild = testStoragePoolBuild,
    .storagePoolUndefine = testStoragePoolUndefine,
    .storagePoolCreate = testStoragePoolCreate,
    .storagePoolDestroy = testStoragePoolDestroy,
    .storagePoolDelete = testStoragePoolDelete,
    .storagePoolRefresh = testStoragePoolRefresh,
    .storagePoolGetInfo = testStoragePoolGetInfo,
    .storagePoolGetXMLDesc = testStoragePoolGetXMLDesc,
    .storagePoolGetAutostart = testStoragePoolGetAutostart,
    .storagePoolSetAutostart = testStoragePoolSetAutostart,
    .storagePoolNumOfVolumes = testStoragePoolNumOfVolumes,
    .storagePoolListVolumes = testStoragePoolListVolumes,
    .storagePoolListAllVolumes = testStoragePoolListAllVolumes,
    .storagePoolIsActive = testStoragePoolIsActive,
    .storagePoolIsPersistent = testStoragePoolIsPersistent,
    .storageVolLookupByName = testStorageVolLookupByName,
    .storageVolLookupByKey = testStorageVolLookupByKey,
    .storageVolLookupByPath = testStorageVolLookupByPath,
    .storageVolCreateXML = testStorageVolCreateXML,
    .storageVolCreateXMLFrom = testStorageVolCreateXMLFrom,
    .storageVolDelete = testStorageVolDelete,
    .storageVolGetInfo = testStorageVolGetInfo,
    .storageVolGetXMLDesc = testStorageVolGetXMLDesc,
    .storageVolGetPath = testStorageVolGetPath,
    .connectStoragePoolEventRegisterAny = testConnectStoragePoolEventRegisterAny,
    .connectStoragePoolEventDeregisterAny = testConnectObjectEventDeregisterAny,
};
