/*
 * storagedriver.c: the storage driver with its dir backend, see
 * storagedriver.h (threading, directories) and storagedir.h (the files).
 *
 * State: one per daemon, made by the first connection that uses the
 * driver (storageConnectOpen) and freed at shutdown. A pool is an entry of
 * a virObjectList (its definitions, active / persistent / autostart) whose
 * private data (storagePool) holds its volumes and sizes while active.
 *
 * Reservation rules (all under s->lock):
 *  - a volume being written is in its pool's list with building set; one
 *    being read, wiped, resized or deleted has inUse > 0; both count in
 *    the pool's asyncjobs, and libvirt's errors refuse what would clash
 *    ("volume 'x' is still in use.", "... is still being allocated.",
 *    "pool 'p' has asynchronous jobs running.");
 *  - a clone and a wipe run in the I/O helper (virjob.h, docs/jobs.md):
 *    the volume's job is set while it runs, so a building volume's info
 *    shows the clone's progress;
 *  - a refresh marks the pool scanning; volume operations wait for the
 *    scan to end (workers only) before they reserve anything;
 *  - pool-level operations hold s->jobLock throughout, so the pool list
 *    only changes under it: what they checked before their file work
 *    still holds when they commit.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "storagedriver.h"
#include "storagedir.h"
#include "virconnect.h"
#include "virobjectdrivers.h"
#include "virobjectevent.h"
#include "virobjectlist.h"
#include "virjob.h"
#include "virstoragedef.h"
#include "virerror.h"
#include "virlog.h"
#include "virnoiolock.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

VIR_LOG_INIT("storage.driver");

typedef struct {
    virXMLTree *def;            /* name, key, sizes, target (path, format, perms) */
    storageDirVolFacts st;       /* the file as last seen */
    int inUse;
    bool building;
    virJob *job;                /* a clone or wipe in the I/O helper, or NULL */
} storageVol;

typedef struct {
    GPtrArray *vols;            /* storageVol * (empty while inactive) */
    storageDirPoolFacts st;      /* zero while inactive */
    int asyncjobs;
    bool scanning;
} storagePool;

typedef struct {
    virNoIOMutex lock;
    GCond cond;                 /* a scan or a volume job ended */
    GMutex jobLock;             /* pool-level operations (workers only) */
    char *configDir;
    char *autostartDir;
    char *stateDir;
    virObjectList *pools;
    virObjectEventRegistry *events;
} storageState;

/* storageStateMutex orders making and freeing the state; storageDrv is
 * read atomically (inline calls never take the mutex). */
static GMutex storageStateMutex;
static storageState *storageDrv;

/* The longest pool name: virFileWriteAtomic's ".NAME.xml.XXXXXX". */
#define STORAGE_POOL_NAME_MAX (NAME_MAX - strlen("..xml.XXXXXX"))

static void
storageVolFree(storageVol *vol)
{
    virXMLTreeFree(vol->def);
    g_free(vol);
}

static void
storagePoolFree(void *data)
{
    storagePool *pool = data;

    g_ptr_array_free(pool->vols, TRUE);
    g_free(pool);
}

static storagePool *
storagePoolData(virObjectListEntry *e)
{
    if (!e->priv) {
        storagePool *pool = g_new0(storagePool, 1);

        pool->vols = g_ptr_array_new_with_free_func((GDestroyNotify)storageVolFree);
        e->priv = pool;
    }
    return e->priv;
}

static storageState *
storageGet(void)
{
    storageState *s = g_atomic_pointer_get(&storageDrv);

    if (!s)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "storage state driver is not active");
    return s;
}

static char *
storageFilePath(const char *dir, const char *name)
{
    return g_strdup_printf("%s/%s.xml", dir, name);
}

static void
storageEmit(storageState *s, const virObjectListEntry *e, int event, bool refresh)
{
    virStoragePoolRef ref = { .name = e->name };

    memcpy(ref.uuid, e->uuid, VIR_UUID_BUFLEN);
    if (refresh)
        virObjectEventStoragePoolRefresh(s->events, &ref);
    else
        virObjectEventStoragePoolLifecycle(s->events, &ref, event, 0);
}

/* ---- pools: finding them ---- */

/* libvirt's storagePoolObjFindByUUID(uuid, name). */
static virObjectListEntry *
storagePoolFromRef(storageState *s, const virStoragePoolRef *ref)
{
    virObjectListEntry *e = virObjectListFindByUUID(s->pools, ref->uuid);

    if (!e) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virObjectEventUUIDKey(ref->uuid, uuidstr);
        virReportError(VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching uuid '%s' (%s)",
                       uuidstr, ref->name);
    }
    return e;
}

static virObjectListEntry *
storagePoolByName(storageState *s, const char *name)
{
    return virObjectListGetByName(s->pools, name, VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_POOL,
                                  "storage pool");
}

static bool
storagePoolCheckActive(const virObjectListEntry *e, bool active)
{
    if (e->active == active)
        return true;
    if (active)
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is not active", e->name);
    else
        virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is still active", e->name);
    return false;
}

static bool
storagePoolCheckNoJobs(virObjectListEntry *e)
{
    if (storagePoolData(e)->asyncjobs > 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "pool '%s' has asynchronous jobs running.",
                       e->name);
        return false;
    }
    return true;
}

/* Run body with s and e, the pool ref names (lock held). */
#define WITH_POOL(ref, body) \
    do { \
        storageState *s = storageGet(); \
        virObjectListEntry *e; \
        if (s) { \
            virNoIOMutexLock(&s->lock); \
            if ((e = storagePoolFromRef(s, (ref)))) { \
                storagePool *pool = storagePoolData(e); \
                (void)pool; \
                body; \
            } \
            virNoIOMutexUnlock(&s->lock); \
        } \
    } while (0)

static virStoragePoolRef *
storagePoolMakeRef(const virObjectListEntry *e)
{
    return virStoragePoolRefNew(e->name, e->uuid);
}

/* ---- volumes: finding them ---- */

static storageVol *
storageVolFind(storagePool *pool, const char *name)
{
    guint i;

    for (i = 0; i < pool->vols->len; i++) {
        storageVol *v = g_ptr_array_index(pool->vols, i);

        if (strcmp(virStorageVolDefName(v->def), name) == 0)
            return v;
    }
    return NULL;
}

static virStorageVolRef *
storageVolMakeRef(const virObjectListEntry *e, const storageVol *v)
{
    return virStorageVolRefNew(e->name, virStorageVolDefName(v->def),
                               virStorageVolDefKey(v->def));
}

/* libvirt's virStorageVolDefFromVol: the pool by name, active, the volume
 * by name. Lock held. */
static storageVol *
storageVolFromRef(storageState *s, const virStorageVolRef *ref, virObjectListEntry **pe)
{
    virObjectListEntry *e = storagePoolByName(s, ref->pool);
    storageVol *v;

    if (!e || !storagePoolCheckActive(e, true))
        return NULL;
    if (!(v = storageVolFind(storagePoolData(e), ref->name))) {
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                       ref->name);
        return NULL;
    }
    *pe = e;
    return v;
}

static bool
storageVolCheckIdle(const storageVol *v)
{
    if (v->inUse) {
        virReportError(VIR_ERR_OPERATION_INVALID, "volume '%s' is still in use.",
                       virStorageVolDefName(v->def));
        return false;
    }
    if (v->building) {
        virReportError(VIR_ERR_OPERATION_INVALID, "volume '%s' is still being allocated.",
                       virStorageVolDefName(v->def));
        return false;
    }
    return true;
}

static void
storageVolApplyStat(storageVol *v, const storageDirVolFacts *st)
{
    v->st = *st;
    virStorageVolDefSetFacts(v->def, st->type == VIR_STORAGE_VOL_DIR ? "dir" : "file",
                             st->format, st->capacity, st->allocation, st->mode,
                             (long)st->uid, (long)st->gid);
}

static void
storagePoolAccount(storagePool *pool, long long delta)
{
    pool->st.allocation += (unsigned long long)delta;
    pool->st.available -= (unsigned long long)delta;
}

/* Wait until pool e (by name) is not being scanned; the entry may have
 * changed or gone meanwhile: the active one, or NULL with the error.
 * Lock held (released while waiting). */
static virObjectListEntry *
storagePoolWaitScan(storageState *s, const char *name)
{
    virObjectListEntry *e;

    for (;;) {
        if (!(e = storagePoolByName(s, name)) || !storagePoolCheckActive(e, true))
            return NULL;
        if (!storagePoolData(e)->scanning)
            return e;
        virNoIOMutexCondWait(&s->cond, &s->lock);
    }
}

/* ---- pools: state on disk ---- */

/* A permission value of a definition's target: mode (octal), owner or
 * group; -1 when absent. */
static long
storagePermValue(const virXMLTree *def, const char *what)
{
    const virXMLTree *perms = virXMLTreeChild(virXMLTreeChild(def, "target", 0),
                                              "permissions", 0);
    const char *text = virXMLTreeChildText(perms, what);

    if (!text)
        return -1;
    return strtol(text, NULL, strcmp(what, "mode") == 0 ? 8 : 10);
}

static int
storageWriteDef(const char *dir, const char *name, const virXMLTree *def)
{
    g_autofree char *path = storageFilePath(dir, name);
    g_autofree char *xml = virXMLTreeFormat(def);

    if (g_mkdir_with_parents(dir, 0700) < 0) {
        virReportSystemError(errno, "cannot create directory '%s'", dir);
        return -1;
    }
    return virFileWriteAtomic(path, xml, strlen(xml), 0600);
}

/* What a start does on disk (no lock): build the directory when asked,
 * scan it, record the live definition in the state directory. The
 * volumes found, or NULL with the error. */
static GPtrArray *
storagePoolStartFiles(storageState *s, const char *name, const virXMLTree *def, bool build,
                      storageDirPoolFacts *pst)
{
    const char *path = virStoragePoolDefTargetPath(def);
    g_autoptr(GPtrArray) found = NULL;
    g_autoptr(virXMLTree) live = virXMLTreeCopy(def);

    if (build && storageDirPoolBuild(path, storagePermValue(def, "mode"),
                                     storagePermValue(def, "owner"),
                                     storagePermValue(def, "group")) < 0)
        return NULL;
    if (!(found = storageDirPoolScan(path, pst)))
        return NULL;
    virStoragePoolDefSetPerms(live, pst->mode, (long)pst->uid, (long)pst->gid);
    if (storageWriteDef(s->stateDir, name, live) < 0)
        return NULL;
    return g_steal_pointer(&found);
}

/* Take the result of a scan into an active pool (lock held): found's
 * entries become its volumes, pst its sizes and the live definition's
 * permissions. */
static void
storagePoolTakeScan(virObjectListEntry *e, GPtrArray *found, const storageDirPoolFacts *pst)
{
    storagePool *pool = storagePoolData(e);
    const char *dir = virStoragePoolDefTargetPath(e->def);
    guint i;

    g_ptr_array_set_size(pool->vols, 0);
    for (i = 0; i < found->len; i++) {
        storageDirEntry *d = g_ptr_array_index(found, i);
        g_autofree char *path = g_strdup_printf("%s/%s", dir, d->name);
        storageVol *v = g_new0(storageVol, 1);

        v->def = virStorageVolDefNew(d->name, path);
        storageVolApplyStat(v, &d->st);
        g_ptr_array_add(pool->vols, v);
    }
    pool->st = *pst;
    if (e->persistent && !e->newDef)
        e->newDef = virXMLTreeCopy(e->def);
    virStoragePoolDefSetPerms(e->def, pst->mode, (long)pst->uid, (long)pst->gid);
}

/* The pool stopped (lock held): no volumes, persistent definition back,
 * gone when transient. True when e is gone. */
static bool
storagePoolStopped(storageState *s, virObjectListEntry *e)
{
    storagePool *pool = storagePoolData(e);

    g_ptr_array_set_size(pool->vols, 0);
    memset(&pool->st, 0, sizeof(pool->st));
    return virObjectListEntryDeactivate(s->pools, e);
}

static void
storageRemoveStateFile(storageState *s, const char *name)
{
    g_autofree char *path = storageFilePath(s->stateDir, name);

    if (virFileRemove(path) < 0)
        VIR_WARN("cannot remove %s: %s", path, g_strerror(errno));
}

/* libvirt's checks of a pool definition before it is added: its name
 * makes a file name, its type has a backend. */
static int
storagePoolDefAccept(const virXMLTree *def)
{
    const char *name = virStoragePoolDefName(def);
    int type = virStoragePoolDefType(def);

    if (strchr(name, '\n')) {
        virReportError(VIR_ERR_XML_DETAIL, "invalid char in name: %c", '\n');
        return -1;
    }
    if (storageDirNameCheck("pool", name, STORAGE_POOL_NAME_MAX) < 0)
        return -1;
    if (type != 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "missing backend for pool type %d (%s)", type,
                       virStoragePoolTypeNames[type]);
        return -1;
    }
    return 0;
}

/* ---- state ---- */

static void
storageStateFree(storageState *s)
{
    if (!s)
        return;
    virObjectListFree(s->pools);
    virObjectEventRegistryFree(s->events);
    g_free(s->configDir);
    g_free(s->autostartDir);
    g_free(s->stateDir);
    virNoIOMutexClear(&s->lock);
    g_cond_clear(&s->cond);
    g_mutex_clear(&s->jobLock);
    g_free(s);
}

/* The definitions NAME.xml of dir, parsed: name -> tree. */
static GHashTable *
storageReadDefs(const char *dir)
{
    GHashTable *defs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify)virXMLTreeFree);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *ent;

    while (d && (ent = g_dir_read_name(d))) {
        g_autofree char *path = NULL;
        g_autofree char *xml = NULL;
        g_autofree char *name = NULL;
        virXMLTree *def;

        if (!g_str_has_suffix(ent, ".xml") || ent[0] == '.')
            continue;
        path = g_build_filename(dir, ent, NULL);
        name = g_strndup(ent, strlen(ent) - 4);
        if (!g_file_get_contents(path, &xml, NULL, NULL) ||
            !(def = virStoragePoolDefParseString(xml))) {
            VIR_WARN("ignoring storage pool file %s: %s", path, virGetLastErrorMessage());
            continue;
        }
        if (strcmp(virStoragePoolDefName(def), name) != 0 || storagePoolDefAccept(def) < 0) {
            VIR_WARN("ignoring storage pool file %s: not a dir pool called '%s'", path, name);
            virXMLTreeFree(def);
            continue;
        }
        g_hash_table_insert(defs, g_steal_pointer(&name), def);
    }
    return defs;
}

/* Start e (no lock: the state is not published yet). */
static void
storageStateStart(storageState *s, virObjectListEntry *e)
{
    storageDirPoolFacts pst;
    g_autoptr(GPtrArray) found = storagePoolStartFiles(s, e->name, e->def, false, &pst);

    if (!found) {
        VIR_WARN("Failed to start storage pool '%s': %s", e->name, virGetLastErrorMessage());
        storageRemoveStateFile(s, e->name);
        storagePoolStopped(s, e);
        return;
    }
    e->active = true;
    storagePoolTakeScan(e, found, &pst);
}

static storageState *
storageStateNew(void)
{
    storageState *s = g_new0(storageState, 1);
    const char *env;
    g_autoptr(GHashTable) configs = NULL;
    g_autoptr(GHashTable) states = NULL;
    const char *dirs[3];
    GHashTableIter it;
    gpointer key, value;
    size_t i;

    virNoIOMutexInit(&s->lock);
    g_cond_init(&s->cond);
    g_mutex_init(&s->jobLock);
    env = g_getenv("VIRTNET_STORAGE_CONFIG_DIR");
    s->configDir = g_strdup(env && *env ? env : VIRTNET_SYSCONFDIR "/virtnet/storage");
    s->autostartDir = g_build_filename(s->configDir, "autostart", NULL);
    env = g_getenv("VIRTNET_STORAGE_STATE_DIR");
    s->stateDir = g_strdup(env && *env ? env : VIRTNET_RUNSTATEDIR "/virtnet/storage");
    s->pools = virObjectListNew("pool", VIR_FROM_STORAGE, storagePoolFree);
    s->events = virObjectEventRegistryNew();
    dirs[0] = s->configDir;
    dirs[1] = s->autostartDir;
    dirs[2] = s->stateDir;
    for (i = 0; i < G_N_ELEMENTS(dirs); i++) {
        int n;

        if (g_mkdir_with_parents(dirs[i], 0700) < 0) {
            virReportSystemError(errno, "cannot create directory %s", dirs[i]);
            storageStateFree(s);
            return NULL;
        }
        /* never acknowledged: the rename is the commit */
        if ((n = virFileRemoveAtomicTemps(dirs[i])) > 0)
            VIR_WARN("removed %d unfinished temporary file(s) from %s (left by a crash)", n,
                     dirs[i]);
    }
    VIR_DEBUG("storage definitions in %s, state in %s", s->configDir, s->stateDir);

    configs = storageReadDefs(s->configDir);
    g_hash_table_iter_init(&it, configs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        virXMLTree *def = value;
        unsigned char uuid[VIR_UUID_BUFLEN];
        g_autofree char *link = storageFilePath(s->autostartDir, key);
        virObjectListEntry *e;

        virStoragePoolDefUUID(def, uuid);
        if (!(e = virObjectListAssignDef(s->pools, key, uuid, def, false, false))) {
            VIR_WARN("ignoring storage pool '%s': %s", (char *)key, virGetLastErrorMessage());
            continue;
        }
        g_hash_table_iter_steal(&it);
        g_free(key);
        e->autostart = g_file_test(link, G_FILE_TEST_EXISTS);
    }

    /* pools active when the daemon stopped start again */
    states = storageReadDefs(s->stateDir);
    g_hash_table_iter_init(&it, states);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        virXMLTree *def = value;
        unsigned char uuid[VIR_UUID_BUFLEN];
        virObjectListEntry *e;

        virStoragePoolDefUUID(def, uuid);
        if (!(e = virObjectListAssignDef(s->pools, key, uuid, def, true, false))) {
            VIR_WARN("ignoring the state of storage pool '%s': %s", (char *)key,
                     virGetLastErrorMessage());
            storageRemoveStateFile(s, key);
            continue;
        }
        g_hash_table_iter_steal(&it);
        g_free(key);
        storageStateStart(s, e);
    }

    for (i = 0; i < virObjectListSize(s->pools); i++) {
        virObjectListEntry *e = virObjectListAt(s->pools, i);

        if (e->autostart && !e->active)
            storageStateStart(s, e);
    }
    return s;
}

/* ---- connections ---- */

static int
storageConnectOpen(virConnect *conn G_GNUC_UNUSED)
{
    storageState *s;

    g_mutex_lock(&storageStateMutex);
    if (!g_atomic_pointer_get(&storageDrv)) {
        if (!(s = storageStateNew())) {
            g_mutex_unlock(&storageStateMutex);
            return -1;
        }
        g_atomic_pointer_set(&storageDrv, s);
    }
    g_mutex_unlock(&storageStateMutex);
    return 0;
}

static int
storageConnectClose(virConnect *conn)
{
    storageState *s = g_atomic_pointer_get(&storageDrv);

    if (s)
        virObjectEventRegistryPurgeConn(s->events, conn);
    return 0;
}

void
storageDriverShutdown(void)
{
    storageState *s;

    g_mutex_lock(&storageStateMutex);
    s = g_atomic_pointer_get(&storageDrv);
    g_atomic_pointer_set(&storageDrv, NULL);
    storageStateFree(s);
    g_mutex_unlock(&storageStateMutex);
}

/* ---- pools: lists and lookups (inline) ---- */

static int
storageConnectNumOfPools(bool active)
{
    storageState *s = storageGet();
    int n;

    if (!s)
        return -1;
    virNoIOMutexLock(&s->lock);
    n = virObjectListCount(s->pools, active);
    virNoIOMutexUnlock(&s->lock);
    return n;
}

static int
storageConnectListPools(bool active, char **names, int maxnames)
{
    storageState *s = storageGet();
    int n;

    if (!s)
        return -1;
    virNoIOMutexLock(&s->lock);
    n = virObjectListGetNames(s->pools, active, names, maxnames);
    virNoIOMutexUnlock(&s->lock);
    return n;
}

static int
storageConnectNumOfStoragePools(virConnect *conn G_GNUC_UNUSED)
{
    return storageConnectNumOfPools(true);
}

static int
storageConnectNumOfDefinedStoragePools(virConnect *conn G_GNUC_UNUSED)
{
    return storageConnectNumOfPools(false);
}

static int
storageConnectListStoragePools(virConnect *conn G_GNUC_UNUSED, char **names, int maxnames)
{
    return storageConnectListPools(true, names, maxnames);
}

static int
storageConnectListDefinedStoragePools(virConnect *conn G_GNUC_UNUSED, char **names,
                                      int maxnames)
{
    return storageConnectListPools(false, names, maxnames);
}

static int
storageConnectListAllStoragePools(virConnect *conn G_GNUC_UNUSED, virStoragePoolRef ***pools,
                                  unsigned int flags)
{
    storageState *s;
    GPtrArray *list;
    size_t i;

    virDriverCheckFlags(flags, (1U << 20) - 1, -1);
    if (!(s = storageGet()))
        return -1;
    list = g_ptr_array_new();
    virNoIOMutexLock(&s->lock);
    for (i = 0; i < virObjectListSize(s->pools); i++) {
        virObjectListEntry *e = virObjectListAt(s->pools, i);
        unsigned int types = flags & ~0x3fU;

        if (!virObjectListEntryMatches(e, flags) ||
            (types && !(types & (VIR_CONNECT_LIST_STORAGE_POOLS_DIR <<
                                 virStoragePoolDefType(e->def)))))
            continue;
        g_ptr_array_add(list, storagePoolMakeRef(e));
    }
    virNoIOMutexUnlock(&s->lock);
    return virObjectRefListFinish(list, virObjectRefCompareName, (void ***)pools);
}

static char *
storageConnectFindStoragePoolSources(virConnect *conn G_GNUC_UNUSED, const char *type,
                                     const char *srcSpec G_GNUC_UNUSED, unsigned int flags)
{
    size_t i;

    virDriverCheckFlags(flags, 0, NULL);
    for (i = 0; virStoragePoolTypeNames[i]; i++) {
        if (strcmp(virStoragePoolTypeNames[i], type) != 0)
            continue;
        if (i == 0)
            virReportError(VIR_ERR_NO_SUPPORT, "pool type '%s' does not support source "
                           "discovery", type);
        else
            virReportError(VIR_ERR_INTERNAL_ERROR, "missing backend for pool type %zu (%s)",
                           i, type);
        return NULL;
    }
    virReportError(VIR_ERR_INTERNAL_ERROR, "unknown storage pool type %s", type);
    return NULL;
}

static virStoragePoolRef *
storagePoolLookupByName(virConnect *conn G_GNUC_UNUSED, const char *name)
{
    storageState *s = storageGet();
    virObjectListEntry *e;
    virStoragePoolRef *ret = NULL;

    if (!s)
        return NULL;
    virNoIOMutexLock(&s->lock);
    if ((e = storagePoolByName(s, name)))
        ret = storagePoolMakeRef(e);
    virNoIOMutexUnlock(&s->lock);
    return ret;
}

static virStoragePoolRef *
storagePoolLookupByUUID(virConnect *conn G_GNUC_UNUSED, const unsigned char *uuid)
{
    storageState *s = storageGet();
    virObjectListEntry *e;
    virStoragePoolRef *ret = NULL;

    if (!s)
        return NULL;
    virNoIOMutexLock(&s->lock);
    if ((e = virObjectListGetByUUID(s->pools, uuid, VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_POOL,
                                    "storage pool")))
        ret = storagePoolMakeRef(e);
    virNoIOMutexUnlock(&s->lock);
    return ret;
}

static virStoragePoolRef *
storagePoolLookupByVolume(virConnect *conn, const virStorageVolRef *vol)
{
    return storagePoolLookupByName(conn, vol->pool);
}

static virStoragePoolRef *
storagePoolLookupByTargetPath(virConnect *conn G_GNUC_UNUSED, const char *path)
{
    storageState *s = storageGet();
    g_autofree char *clean = virStorageSanitizePath(path);
    virStoragePoolRef *ret = NULL;
    size_t i;

    if (!s)
        return NULL;
    virNoIOMutexLock(&s->lock);
    for (i = 0; i < virObjectListSize(s->pools) && !ret; i++) {
        virObjectListEntry *e = virObjectListAt(s->pools, i);

        if (e->active && g_strcmp0(virStoragePoolDefTargetPath(e->def), clean) == 0)
            ret = storagePoolMakeRef(e);
    }
    virNoIOMutexUnlock(&s->lock);
    if (!ret && strcmp(path, clean) == 0)
        virReportError(VIR_ERR_NO_STORAGE_POOL,
                       "no storage pool with matching target path '%s'", path);
    else if (!ret)
        virReportError(VIR_ERR_NO_STORAGE_POOL,
                       "no storage pool with matching target path '%s' (%s)", path, clean);
    return ret;
}

/* ---- pools: define, start, stop (workers; s->jobLock) ---- */

static virStoragePoolRef *
storagePoolDefineXML(virConnect *conn G_GNUC_UNUSED, const char *xml, unsigned int flags)
{
    storageState *s;
    g_autoptr(virXMLTree) def = NULL;
    unsigned char uuid[VIR_UUID_BUFLEN];
    g_autofree char *name = NULL;
    virObjectListEntry *e;
    virStoragePoolRef *ret = NULL;
    int rc;

    virDriverCheckFlags(flags, VIR_STORAGE_POOL_DEFINE_VALIDATE, NULL);
    if (!(s = storageGet()) || !(def = virStoragePoolDefParseString(xml)) ||
        storagePoolDefAccept(def) < 0)
        return NULL;
    name = g_strdup(virStoragePoolDefName(def));
    virStoragePoolDefUUID(def, uuid);

    g_mutex_lock(&s->jobLock);
    virNoIOMutexLock(&s->lock);
    rc = virObjectListCheckDef(s->pools, name, uuid, false);
    if (rc == 0)
        rc = virStoragePoolCheckSourceConflict(s->pools, def);
    virNoIOMutexUnlock(&s->lock);
    if (rc == 0)
        rc = storageWriteDef(s->configDir, name, def);
    if (rc == 0) {
        virNoIOMutexLock(&s->lock);
        e = virObjectListAssignDef(s->pools, name, uuid, g_steal_pointer(&def), false, false);
        storageEmit(s, e, VIR_STORAGE_POOL_EVENT_DEFINED, false);
        ret = storagePoolMakeRef(e);
        virNoIOMutexUnlock(&s->lock);
        VIR_INFO("Defining storage pool '%s'", name);
    }
    g_mutex_unlock(&s->jobLock);
    return ret;
}

static int
storagePoolUndefine(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref)
{
    storageState *s = storageGet();
    g_autofree char *config = NULL;
    g_autofree char *link = NULL;
    virObjectListEntry *e;
    int ret = -1;

    if (!s)
        return -1;
    g_mutex_lock(&s->jobLock);
    virNoIOMutexLock(&s->lock);
    e = storagePoolFromRef(s, ref);
    if (e && storagePoolCheckActive(e, false) && storagePoolCheckNoJobs(e)) {
        config = storageFilePath(s->configDir, e->name);
        link = storageFilePath(s->autostartDir, e->name);
    }
    virNoIOMutexUnlock(&s->lock);
    if (config) {
        if (virFileRemove(config) < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot remove config for %s", ref->name);
        } else {
            if (virFileRemove(link) < 0)
                VIR_ERROR("Failed to delete autostart link '%s': %s", link, g_strerror(errno));
            virNoIOMutexLock(&s->lock);
            if ((e = virObjectListFindByUUID(s->pools, ref->uuid))) {
                storageEmit(s, e, VIR_STORAGE_POOL_EVENT_UNDEFINED, false);
                virObjectListRemove(s->pools, e);
            }
            virNoIOMutexUnlock(&s->lock);
            ret = 0;
        }
    }
    g_mutex_unlock(&s->jobLock);
    return ret;
}

/* What libvirt's dir backend says to build flags (its
 * virStorageBackendFileSystemBuild). */
static int
storagePoolBuildCheck(unsigned int flags, const char *name)
{
    const char *func = "virStorageBackendFileSystemBuild";

    if (flags & ~(unsigned int)(VIR_STORAGE_POOL_BUILD_OVERWRITE |
                                VIR_STORAGE_POOL_BUILD_NO_OVERWRITE)) {
        virDriverReportInvalidArgFull(VIR_FROM_THIS, __FILE__, func, __LINE__, "flags",
                                      "unsupported flags (0x%x) in function %s",
                                      flags & ~(unsigned int)(VIR_STORAGE_POOL_BUILD_OVERWRITE |
                                                              VIR_STORAGE_POOL_BUILD_NO_OVERWRITE),
                                      func);
        return -1;
    }
    if ((flags & VIR_STORAGE_POOL_BUILD_OVERWRITE) &&
        (flags & VIR_STORAGE_POOL_BUILD_NO_OVERWRITE)) {
        virDriverReportInvalidArgFull(VIR_FROM_THIS, __FILE__, func, __LINE__, "flags",
                                      "Flags '%s' and '%s' are mutually exclusive",
                                      "VIR_STORAGE_POOL_BUILD_OVERWRITE",
                                      "VIR_STORAGE_POOL_BUILD_NO_OVERWRITE");
        return -1;
    }
    if (flags) {
        /* libvirt formats a file system for these: a dir pool has no
         * source device */
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "No source device specified when formatting pool '%s'", name);
        return -1;
    }
    return 0;
}

static unsigned int
storageCreateBuildFlags(unsigned int flags)
{
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE)
        return VIR_STORAGE_POOL_BUILD_OVERWRITE;
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)
        return VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
    return 0;
}

#define STORAGE_CREATE_FLAGS (VIR_STORAGE_POOL_CREATE_WITH_BUILD | \
                              VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE | \
                              VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)

/* Start: an existing pool (ref), or def as a new transient one. */
static virStoragePoolRef *
storagePoolStart(storageState *s, const virStoragePoolRef *ref, virXMLTree *newDef,
                 unsigned int flags)
{
    g_autoptr(virXMLTree) def = newDef;
    g_autoptr(GPtrArray) found = NULL;
    g_autofree char *name = NULL;
    unsigned char uuid[VIR_UUID_BUFLEN];
    storageDirPoolFacts pst;
    virObjectListEntry *e = NULL;
    virStoragePoolRef *ret = NULL;
    int rc = -1;

    g_mutex_lock(&s->jobLock);
    virNoIOMutexLock(&s->lock);
    if (def) {
        virStoragePoolDefUUID(def, uuid);
        if (virObjectListCheckDef(s->pools, virStoragePoolDefName(def), uuid, true) == 0 &&
            virStoragePoolCheckSourceConflict(s->pools, def) == 0)
            rc = 0;
    } else if ((e = storagePoolFromRef(s, ref))) {
        if (e->active)
            virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is already active",
                           e->name);
        else
            rc = 0;
        memcpy(uuid, e->uuid, VIR_UUID_BUFLEN);
        def = virXMLTreeCopy(e->def);
    }
    if (rc == 0)
        name = g_strdup(virStoragePoolDefName(def));
    virNoIOMutexUnlock(&s->lock);
    if (rc < 0)
        goto cleanup;

    if (storagePoolBuildCheck(storageCreateBuildFlags(flags), name) < 0)
        goto cleanup;
    VIR_INFO("Starting up storage pool '%s'", name);
    if (!(found = storagePoolStartFiles(s, name, def, flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD,
                                        &pst)))
        goto cleanup;

    virNoIOMutexLock(&s->lock);
    if (newDef)
        e = virObjectListAssignDef(s->pools, name, uuid, g_steal_pointer(&def), true, true);
    else
        e = virObjectListFindByUUID(s->pools, uuid);
    e->active = true;
    storagePoolTakeScan(e, found, &pst);
    storageEmit(s, e, VIR_STORAGE_POOL_EVENT_STARTED, false);
    ret = storagePoolMakeRef(e);
    virNoIOMutexUnlock(&s->lock);

 cleanup:
    g_mutex_unlock(&s->jobLock);
    return ret;
}

static virStoragePoolRef *
storagePoolCreateXML(virConnect *conn G_GNUC_UNUSED, const char *xml, unsigned int flags)
{
    storageState *s;
    virXMLTree *def;

    virDriverCheckFlags(flags, STORAGE_CREATE_FLAGS, NULL);
    if (!(s = storageGet()) || !(def = virStoragePoolDefParseString(xml)))
        return NULL;
    if (storagePoolDefAccept(def) < 0) {
        virXMLTreeFree(def);
        return NULL;
    }
    return storagePoolStart(s, NULL, def, flags);
}

static int
storagePoolCreate(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                  unsigned int flags)
{
    storageState *s;
    virStoragePoolRef *started;

    virDriverCheckFlags(flags, STORAGE_CREATE_FLAGS, -1);
    if (!(s = storageGet()) || !(started = storagePoolStart(s, ref, NULL, flags)))
        return -1;
    virStoragePoolRefFree(started);
    return 0;
}

static int
storagePoolBuild(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                 unsigned int flags)
{
    storageState *s = storageGet();
    g_autoptr(virXMLTree) def = NULL;
    virObjectListEntry *e;
    int ret = -1;

    if (!s)
        return -1;
    g_mutex_lock(&s->jobLock);
    virNoIOMutexLock(&s->lock);
    if ((e = storagePoolFromRef(s, ref))) {
        if (e->active)
            virReportError(VIR_ERR_OPERATION_INVALID, "storage pool '%s' is already active",
                           e->name);
        else
            def = virXMLTreeCopy(e->def);
    }
    virNoIOMutexUnlock(&s->lock);
    if (def && storagePoolBuildCheck(flags, ref->name) == 0 &&
        storageDirPoolBuild(virStoragePoolDefTargetPath(def), storagePermValue(def, "mode"),
                            storagePermValue(def, "owner"),
                            storagePermValue(def, "group")) == 0) {
        virNoIOMutexLock(&s->lock);
        if ((e = virObjectListFindByUUID(s->pools, ref->uuid)))
            storageEmit(s, e, VIR_STORAGE_POOL_EVENT_CREATED, false);
        virNoIOMutexUnlock(&s->lock);
        ret = 0;
    }
    g_mutex_unlock(&s->jobLock);
    return ret;
}

static int
storagePoolDestroy(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref)
{
    storageState *s = storageGet();
    virObjectListEntry *e;
    g_autofree char *name = NULL;

    if (!s)
        return -1;
    g_mutex_lock(&s->jobLock);
    virNoIOMutexLock(&s->lock);
    if ((e = storagePoolFromRef(s, ref)) && storagePoolCheckActive(e, true) &&
        storagePoolCheckNoJobs(e)) {
        name = g_strdup(e->name);
        VIR_INFO("Destroying storage pool '%s'", name);
        storageEmit(s, e, VIR_STORAGE_POOL_EVENT_STOPPED, false);
        storagePoolStopped(s, e);
    }
    virNoIOMutexUnlock(&s->lock);
    /* the reply follows the removal: a crash before it leaves the pool
     * active again, as the client was never told otherwise */
    if (name)
        storageRemoveStateFile(s, name);
    g_mutex_unlock(&s->jobLock);
    return name ? 0 : -1;
}

static int
storagePoolDelete(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                  unsigned int flags)
{
    storageState *s = storageGet();
    g_autofree char *path = NULL;
    virObjectListEntry *e;
    int ret = -1;

    if (!s)
        return -1;
    g_mutex_lock(&s->jobLock);
    virNoIOMutexLock(&s->lock);
    if ((e = storagePoolFromRef(s, ref)) && storagePoolCheckActive(e, false) &&
        storagePoolCheckNoJobs(e))
        path = g_strdup(virStoragePoolDefTargetPath(e->def));
    virNoIOMutexUnlock(&s->lock);
    if (path && flags) {
        virDriverReportInvalidArgFull(VIR_FROM_THIS, __FILE__, "virStorageBackendDeleteLocal",
                                      __LINE__, "flags",
                                      "unsupported flags (0x%x) in function %s", flags,
                                      "virStorageBackendDeleteLocal");
    } else if (path && storageDirPoolDelete(path) == 0) {
        virNoIOMutexLock(&s->lock);
        if ((e = virObjectListFindByUUID(s->pools, ref->uuid)))
            storageEmit(s, e, VIR_STORAGE_POOL_EVENT_DELETED, false);
        virNoIOMutexUnlock(&s->lock);
        ret = 0;
    }
    g_mutex_unlock(&s->jobLock);
    return ret;
}

static int
storagePoolRefresh(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                   unsigned int flags)
{
    storageState *s = storageGet();
    g_autofree char *path = NULL;
    g_autoptr(GPtrArray) found = NULL;
    storageDirPoolFacts pst;
    virObjectListEntry *e;
    bool gone = false;

    virDriverCheckFlags(flags, 0, -1);
    if (!s)
        return -1;
    g_mutex_lock(&s->jobLock);
    virNoIOMutexLock(&s->lock);
    if ((e = storagePoolFromRef(s, ref)) && storagePoolCheckActive(e, true) &&
        storagePoolCheckNoJobs(e)) {
        storagePoolData(e)->scanning = true;
        path = g_strdup(virStoragePoolDefTargetPath(e->def));
    }
    virNoIOMutexUnlock(&s->lock);
    if (!path) {
        g_mutex_unlock(&s->jobLock);
        return -1;
    }
    found = storageDirPoolScan(path, &pst);
    virNoIOMutexLock(&s->lock);
    e = virObjectListFindByUUID(s->pools, ref->uuid);
    storagePoolData(e)->scanning = false;
    g_cond_broadcast(&s->cond);
    if (found) {
        storagePoolTakeScan(e, found, &pst);
        storageEmit(s, e, 0, true);
    } else {
        /* as libvirt: a pool that cannot be read stops */
        g_autofree char *name = g_strdup(e->name);

        storageEmit(s, e, VIR_STORAGE_POOL_EVENT_STOPPED, false);
        storagePoolStopped(s, e);
        virNoIOMutexUnlock(&s->lock);
        storageRemoveStateFile(s, name);
        gone = true;
    }
    if (!gone)
        virNoIOMutexUnlock(&s->lock);
    g_mutex_unlock(&s->jobLock);
    return found ? 0 : -1;
}

static int
storagePoolSetAutostart(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                        int autostart)
{
    storageState *s = storageGet();
    g_autofree char *config = NULL;
    g_autofree char *link = NULL;
    virObjectListEntry *e;
    bool change = false;
    int ret = -1;

    if (!s)
        return -1;
    g_mutex_lock(&s->jobLock);
    virNoIOMutexLock(&s->lock);
    if ((e = storagePoolFromRef(s, ref))) {
        if (!e->persistent) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "pool has no config file");
        } else {
            config = storageFilePath(s->configDir, e->name);
            link = storageFilePath(s->autostartDir, e->name);
            change = e->autostart != (autostart != 0);
            ret = 0;
        }
    }
    virNoIOMutexUnlock(&s->lock);
    if (ret == 0 && change) {
        if (autostart) {
            if (g_mkdir_with_parents(s->autostartDir, 0700) < 0) {
                virReportSystemError(errno, "cannot create autostart directory %s",
                                     s->autostartDir);
                ret = -1;
            } else if (symlink(config, link) < 0) {
                virReportSystemError(errno, "Failed to create symlink '%s' to '%s'", link,
                                     config);
                ret = -1;
            }
        } else if (virFileRemove(link) < 0 && errno != ENOTDIR) {
            virReportSystemError(errno, "Failed to delete symlink '%s'", link);
            ret = -1;
        }
        if (ret == 0) {
            virNoIOMutexLock(&s->lock);
            if ((e = virObjectListFindByUUID(s->pools, ref->uuid)))
                e->autostart = autostart != 0;
            virNoIOMutexUnlock(&s->lock);
        }
    }
    g_mutex_unlock(&s->jobLock);
    return ret;
}

/* ---- pools: queries (inline) ---- */

static int
storagePoolGetInfo(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                   virStoragePoolInfo *info)
{
    int ret = -1;

    WITH_POOL(ref, {
        info->state = e->active ? VIR_STORAGE_POOL_RUNNING : VIR_STORAGE_POOL_INACTIVE;
        info->capacity = pool->st.capacity;
        info->allocation = pool->st.allocation;
        info->available = pool->st.available;
        ret = 0;
    });
    return ret;
}

static char *
storagePoolGetXMLDesc(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                      unsigned int flags)
{
    char *ret = NULL;

    virDriverCheckFlags(flags, VIR_STORAGE_XML_INACTIVE, NULL);
    WITH_POOL(ref, {
        const virXMLTree *def = (flags & VIR_STORAGE_XML_INACTIVE) && e->newDef ? e->newDef
                                                                               : e->def;
        ret = virStoragePoolDefFormat(def, pool->st.capacity, pool->st.allocation,
                                      pool->st.available);
    });
    return ret;
}

static int
storagePoolGetAutostart(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                        int *autostart)
{
    int ret = -1;

    WITH_POOL(ref, {
        *autostart = e->autostart;
        ret = 0;
    });
    return ret;
}

static int
storagePoolIsActive(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref)
{
    int ret = -1;

    WITH_POOL(ref, ret = e->active);
    return ret;
}

static int
storagePoolIsPersistent(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref)
{
    int ret = -1;

    WITH_POOL(ref, ret = e->persistent);
    return ret;
}

static int
storagePoolNumOfVolumes(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref)
{
    int ret = -1;

    WITH_POOL(ref, {
        if (storagePoolCheckActive(e, true))
            ret = (int)pool->vols->len;
    });
    return ret;
}

static gint
storageVolCompare(gconstpointer a, gconstpointer b)
{
    return strcmp(virStorageVolDefName((*(storageVol *const *)a)->def),
                  virStorageVolDefName((*(storageVol *const *)b)->def));
}

static int
storagePoolListVolumes(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                       char **names, int maxnames)
{
    int ret = -1;

    WITH_POOL(ref, {
        if (storagePoolCheckActive(e, true)) {
            g_autoptr(GPtrArray) sorted = g_ptr_array_copy(pool->vols, NULL, NULL);
            guint i;

            g_ptr_array_set_free_func(sorted, NULL);    /* borrowed */
            g_ptr_array_sort(sorted, storageVolCompare);
            for (i = 0; i < sorted->len && (int)i < maxnames; i++) {
                storageVol *v = g_ptr_array_index(sorted, i);
                names[i] = g_strdup(virStorageVolDefName(v->def));
            }
            ret = (int)i;
        }
    });
    return ret;
}

static int
storagePoolListAllVolumes(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                          virStorageVolRef ***vols, unsigned int flags)
{
    GPtrArray *list = NULL;

    virDriverCheckFlags(flags, 0, -1);
    WITH_POOL(ref, {
        if (storagePoolCheckActive(e, true)) {
            guint i;

            list = g_ptr_array_new();
            for (i = 0; i < pool->vols->len; i++)
                g_ptr_array_add(list, storageVolMakeRef(e, g_ptr_array_index(pool->vols, i)));
        }
    });
    if (!list)
        return -1;
    return virObjectRefListFinish(list, virStorageVolRefCompare, (void ***)vols);
}

/* ---- volumes: lookups (inline) ---- */

static virStorageVolRef *
storageVolLookupByName(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                       const char *name)
{
    virStorageVolRef *ret = NULL;

    WITH_POOL(ref, {
        storageVol *v = NULL;

        if (storagePoolCheckActive(e, true) && !(v = storageVolFind(pool, name)))
            virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                           name);
        if (v)
            ret = storageVolMakeRef(e, v);
    });
    return ret;
}

/* The first volume of an active pool whose key (byPath: path) is value;
 * NULL without an error when there is none, with one (*failed) when the
 * driver is down. */
static virStorageVolRef *
storageVolSearch(const char *value, bool byPath, bool *failed)
{
    storageState *s = storageGet();
    virStorageVolRef *ret = NULL;
    size_t i;
    guint j;

    *failed = !s;
    if (!s)
        return NULL;
    virNoIOMutexLock(&s->lock);
    for (i = 0; i < virObjectListSize(s->pools) && !ret; i++) {
        virObjectListEntry *e = virObjectListAt(s->pools, i);
        storagePool *pool = storagePoolData(e);

        for (j = 0; e->active && j < pool->vols->len && !ret; j++) {
            storageVol *v = g_ptr_array_index(pool->vols, j);
            const char *have = byPath ? virStorageVolDefPath(v->def)
                                      : virStorageVolDefKey(v->def);

            if (g_strcmp0(have, value) == 0)
                ret = storageVolMakeRef(e, v);
        }
    }
    virNoIOMutexUnlock(&s->lock);
    return ret;
}

static virStorageVolRef *
storageVolLookupByKey(virConnect *conn G_GNUC_UNUSED, const char *key)
{
    bool failed;
    virStorageVolRef *ret = storageVolSearch(key, false, &failed);

    if (!ret && !failed)
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching key %s", key);
    return ret;
}

static virStorageVolRef *
storageVolLookupByPath(virConnect *conn G_GNUC_UNUSED, const char *path)
{
    g_autofree char *clean = virStorageSanitizePath(path);
    bool failed;
    virStorageVolRef *ret = storageVolSearch(clean, true, &failed);

    if (ret || failed)
        return ret;
    if (strcmp(path, clean) == 0)
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching path '%s'", path);
    else
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching path '%s' (%s)",
                       path, clean);
    return ret;
}

static char *
storageVolGetPath(virConnect *conn G_GNUC_UNUSED, const virStorageVolRef *ref)
{
    storageState *s = storageGet();
    virObjectListEntry *e;
    storageVol *v;
    char *ret = NULL;

    if (!s)
        return NULL;
    virNoIOMutexLock(&s->lock);
    if ((v = storageVolFromRef(s, ref, &e)))
        ret = g_strdup(virStorageVolDefPath(v->def));
    virNoIOMutexUnlock(&s->lock);
    return ret;
}

/* ---- volumes: file work (workers) ---- */

/* Reserve the volume ref names for file work (lock held): wait for a scan
 * of its pool to end, check it is idle (libvirt's errors), mark it in use
 * and count the pool's job. The pool entry and the volume stay valid
 * until storageVolEnd: nothing removes either while they are reserved. */
static storageVol *
storageVolBegin(storageState *s, const virStorageVolRef *ref, virObjectListEntry **pe)
{
    virObjectListEntry *e = storagePoolWaitScan(s, ref->pool);
    storageVol *v;

    if (!e)
        return NULL;
    if (!(v = storageVolFind(storagePoolData(e), ref->name))) {
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                       ref->name);
        return NULL;
    }
    if (!storageVolCheckIdle(v))
        return NULL;
    v->inUse++;
    storagePoolData(e)->asyncjobs++;
    *pe = e;
    return v;
}

static void
storageVolEnd(storageState *s, virObjectListEntry *e, storageVol *v)
{
    v->inUse--;
    storagePoolData(e)->asyncjobs--;
    g_cond_broadcast(&s->cond);
}

/* Run a clone or wipe of v in the I/O helper (no lock held; v reserved:
 * building or in use). v's job is set meanwhile, for its info. */
static int
storageVolJobRun(storageState *s, storageVol *v, const virJobParams *p)
{
    virJob *job = virJobStart(p);
    int rc;

    if (!job)
        return -1;
    virNoIOMutexLock(&s->lock);
    v->job = job;
    virNoIOMutexUnlock(&s->lock);
    rc = virJobWait(job);
    virNoIOMutexLock(&s->lock);
    v->job = NULL;
    virNoIOMutexUnlock(&s->lock);
    virJobFree(job);
    return rc;
}

/* The permission values of a volume definition (mode -1: 0600). */
static void
storageVolPerms(const virXMLTree *def, mode_t *mode, long *uid, long *gid)
{
    long m = storagePermValue(def, "mode");

    *mode = m < 0 ? 0600 : (mode_t)m;
    *uid = storagePermValue(def, "owner");
    *gid = storagePermValue(def, "group");
}

/* What libvirt's dir backend refuses in a volume to build (flags: the
 * create flags); clone: the source's format when cloning. */
static int
storageVolBuildCheck(const virXMLTree *def, const char *cloneFormat, unsigned int flags)
{
    const char *format = virStorageVolDefFormatType(def);
    const virXMLTree *target = virXMLTreeChild(def, "target", 0);

    if (g_strcmp0(format, "dir") == 0 && !cloneFormat) {
        if (flags) {
            virDriverReportInvalidArgFull(VIR_FROM_THIS, __FILE__, "createFileDir", __LINE__,
                                          "flags", "unsupported flags (0x%x) in function %s",
                                          flags, "createFileDir");
            return -1;
        }
        if (virXMLTreeChild(def, "backingStore", 0)) {
            virReportError(VIR_ERR_NO_SUPPORT, "%s",
                           "backing storage not supported for directories volumes");
            return -1;
        }
        return 0;
    }
    if (g_strcmp0(format, "raw") != 0 || (cloneFormat && strcmp(cloneFormat, "raw") != 0) ||
        virXMLTreeChild(target, "encryption", 0)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "creation of non-raw file images is not supported without qemu-img.");
        return -1;
    }
    if (flags & VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "metadata preallocation is not supported for raw volumes");
        return -1;
    }
    if (virXMLTreeChild(def, "backingStore", 0)) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s", "backing storage not supported for raw volumes");
        return -1;
    }
    return 0;
}

/* Create a volume from xml in the pool ref, a copy of clone if given. */
static virStorageVolRef *
storageVolCreate(const virStoragePoolRef *ref, const char *xml, const virStorageVolRef *clone,
                 unsigned int flags)
{
    storageState *s = storageGet();
    g_autoptr(virXMLTree) def = NULL;
    virObjectListEntry *e, *srcE = NULL;
    storageVol *v = NULL, *srcV = NULL;
    g_autofree char *dir = NULL;
    g_autofree char *srcPath = NULL;
    unsigned long long capacity, allocation, srcCapacity = 0;
    virStorageVolRef *ret = NULL;
    storageDirVolFacts st;
    const char *name;
    mode_t mode;
    long uid, gid;
    int rc;

    if (!s)
        return NULL;
    virNoIOMutexLock(&s->lock);
    if (!(e = storagePoolFromRef(s, ref)) || !(e = storagePoolWaitScan(s, e->name)))
        goto cleanup;
    if (clone) {
        if (!(srcE = storagePoolWaitScan(s, clone->pool)))
            goto cleanup;
        if (!(srcV = storageVolFind(storagePoolData(srcE), clone->name))) {
            virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                           clone->name);
            goto cleanup;
        }
    }
    if (!(def = virStorageVolDefParseString(virStoragePoolDefType(e->def), xml)))
        goto cleanup;
    name = virStorageVolDefName(def);
    if (storageVolFind(storagePoolData(e), name)) {
        if (clone)
            virReportError(VIR_ERR_INTERNAL_ERROR, "storage volume name '%s' already in use.",
                           name);
        else
            virReportError(VIR_ERR_STORAGE_VOL_EXIST, "'%s'", name);
        goto cleanup;
    }
    capacity = virStorageVolDefCapacity(def);
    allocation = virStorageVolDefAllocation(def);
    if (clone) {
        srcCapacity = virStorageVolDefCapacity(srcV->def);
        /* libvirt: at least the source's capacity; an allocation left out
         * (which the parser made the capacity) follows it */
        if (capacity < srcCapacity) {
            if (allocation == capacity)
                allocation = srcCapacity;
            capacity = srcCapacity;
            virStorageVolDefSetSize(def, "capacity", capacity);
            virStorageVolDefSetSize(def, "allocation", allocation);
        }
        if (srcV->building) {
            virReportError(VIR_ERR_OPERATION_INVALID, "volume '%s' is still being allocated.",
                           clone->name);
            goto cleanup;
        }
    }
    if (storageDirNameCheck("volume", name, storageDirVolNameMax()) < 0 ||
        storageVolBuildCheck(def, srcV ? virStorageVolDefFormatType(srcV->def) : NULL,
                             flags & ~(unsigned int)VIR_STORAGE_VOL_CREATE_VALIDATE &
                             ~(unsigned int)VIR_STORAGE_VOL_CREATE_REFLINK) < 0)
        goto cleanup;
    dir = g_strdup(virStoragePoolDefTargetPath(e->def));
    {
        g_autofree char *path = g_strdup_printf("%s/%s", dir, name);

        virStorageVolDefSetPath(def, path);
        virStorageVolDefSetKey(def, path);
    }
    storageVolPerms(def, &mode, &uid, &gid);

    v = g_new0(storageVol, 1);
    v->def = virXMLTreeCopy(def);
    v->building = true;
    g_ptr_array_add(storagePoolData(e)->vols, v);
    storagePoolData(e)->asyncjobs++;
    if (srcV) {
        srcV->inUse++;
        storagePoolData(srcE)->asyncjobs++;
        srcPath = g_strdup(virStorageVolDefPath(srcV->def));
    }
    virNoIOMutexUnlock(&s->lock);

    if (srcPath) {
        virJobVolume vol = {
            .source = srcPath, .sourceCapacity = srcCapacity, .capacity = capacity,
            .allocation = allocation, .mode = mode, .uid = uid, .gid = gid,
        };
        g_autofree char *path = g_build_filename(dir, name, NULL);
        g_autofree char *tmp = storageDirVolTempPath(dir, name);
        virJobParams p = {
            .helperOp = IOHELPER_OP_VOL_CLONE, .what = "clone", .kind = "volume",
            .name = name, .path = path, .atomic = true, .tempPath = tmp, .volume = &vol,
        };

        rc = storageVolJobRun(s, v, &p);
    } else {
        storageDirVolSpec spec = {
            .isDir = g_strcmp0(virStorageVolDefFormatType(def), "dir") == 0,
            .capacity = capacity, .allocation = allocation, .mode = mode, .uid = uid,
            .gid = gid,
        };

        rc = storageDirVolCreate(dir, name, &spec);
    }
    if (rc == 0)
        rc = storageDirVolStat(virStorageVolDefPath(def), &st) == 0 ? 0 : -1;

    virNoIOMutexLock(&s->lock);
    v->building = false;
    storagePoolData(e)->asyncjobs--;
    if (srcV)
        storageVolEnd(s, srcE, srcV);
    g_cond_broadcast(&s->cond);
    if (rc < 0) {
        g_ptr_array_remove(storagePoolData(e)->vols, v);
        goto cleanup;
    }
    storageVolApplyStat(v, &st);
    storagePoolAccount(storagePoolData(e), (long long)st.allocation);
    VIR_INFO("Creating volume '%s' in storage pool '%s'", name, e->name);
    ret = storageVolMakeRef(e, v);

 cleanup:
    virNoIOMutexUnlock(&s->lock);
    return ret;
}

static virStorageVolRef *
storageVolCreateXML(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                    const char *xml, unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA |
                        VIR_STORAGE_VOL_CREATE_VALIDATE, NULL);
    return storageVolCreate(ref, xml, NULL, flags);
}

static virStorageVolRef *
storageVolCreateXMLFrom(virConnect *conn G_GNUC_UNUSED, const virStoragePoolRef *ref,
                        const char *xml, const virStorageVolRef *clonevol,
                        unsigned int flags)
{
    virDriverCheckFlags(flags, VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA |
                        VIR_STORAGE_VOL_CREATE_REFLINK | VIR_STORAGE_VOL_CREATE_VALIDATE, NULL);
    return storageVolCreate(ref, xml, clonevol, flags);
}

static int
storageVolDelete(virConnect *conn G_GNUC_UNUSED, const virStorageVolRef *ref,
                 unsigned int flags)
{
    storageState *s = storageGet();
    g_autofree char *path = NULL;
    virObjectListEntry *e;
    storageVol *v;
    bool isDir;
    int rc;

    virDriverCheckFlags(flags, VIR_STORAGE_VOL_DELETE_ZEROED |
                        VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS, -1);
    if (!s)
        return -1;
    virNoIOMutexLock(&s->lock);
    if (!(v = storageVolBegin(s, ref, &e))) {
        virNoIOMutexUnlock(&s->lock);
        return -1;
    }
    path = g_strdup(virStorageVolDefPath(v->def));
    isDir = v->st.type == VIR_STORAGE_VOL_DIR;
    virNoIOMutexUnlock(&s->lock);

    if (flags) {
        virDriverReportInvalidArgFull(VIR_FROM_THIS, __FILE__, "virStorageBackendVolDeleteLocal",
                                      __LINE__, "flags", "unsupported flags (0x%x) in function %s",
                                      flags, "virStorageBackendVolDeleteLocal");
        rc = -1;
    } else {
        rc = storageDirVolDelete(path, isDir);
    }

    virNoIOMutexLock(&s->lock);
    storageVolEnd(s, e, v);
    if (rc == 0) {
        VIR_INFO("Deleting volume '%s' from storage pool '%s'", ref->name, e->name);
        storagePoolAccount(storagePoolData(e), -(long long)v->st.allocation);
        g_ptr_array_remove(storagePoolData(e)->vols, v);
    }
    virNoIOMutexUnlock(&s->lock);
    return rc;
}

static int
storageVolWipePattern(virConnect *conn G_GNUC_UNUSED, const virStorageVolRef *ref,
                      unsigned int algorithm, unsigned int flags)
{
    storageState *s = storageGet();
    g_autofree char *path = NULL;
    unsigned long long allocation;
    storageDirVolFacts st;
    virObjectListEntry *e;
    storageVol *v;
    int rc = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (algorithm >= VIR_STORAGE_VOL_WIPE_ALG_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "wiping algorithm %d not supported", algorithm);
        return -1;
    }
    if (!s)
        return -1;
    virNoIOMutexLock(&s->lock);
    if (!(v = storageVolBegin(s, ref, &e))) {
        virNoIOMutexUnlock(&s->lock);
        return -1;
    }
    path = g_strdup(virStorageVolDefPath(v->def));
    allocation = v->st.allocation;
    virNoIOMutexUnlock(&s->lock);

    if (algorithm == VIR_STORAGE_VOL_WIPE_ALG_TRIM) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s", "'trim' algorithm not supported");
    } else {
        virJobVolume vol = { .allocation = allocation, .algorithm = algorithm };
        virJobParams p = {
            .helperOp = IOHELPER_OP_VOL_WIPE, .what = "wipe", .kind = "volume",
            .name = ref->name, .path = path, .volume = &vol,
        };

        if (storageVolJobRun(s, v, &p) == 0 && storageDirVolStat(path, &st) == 0)
            rc = 0;
    }

    virNoIOMutexLock(&s->lock);
    storageVolEnd(s, e, v);
    if (rc == 0)
        storageVolApplyStat(v, &st);
    virNoIOMutexUnlock(&s->lock);
    return rc;
}

static int
storageVolWipe(virConnect *conn, const virStorageVolRef *ref, unsigned int flags)
{
    return storageVolWipePattern(conn, ref, VIR_STORAGE_VOL_WIPE_ALG_ZERO, flags);
}

static int
storageVolResize(virConnect *conn G_GNUC_UNUSED, const virStorageVolRef *ref,
                 unsigned long long capacity, unsigned int flags)
{
    storageState *s = storageGet();
    g_autofree char *path = NULL;
    unsigned long long abs, cur, alloc, delta = 0;
    storageDirVolFacts st;
    virObjectListEntry *e;
    storageVol *v;
    int rc = -1;

    virDriverCheckFlags(flags, VIR_STORAGE_VOL_RESIZE_ALLOCATE | VIR_STORAGE_VOL_RESIZE_DELTA |
                        VIR_STORAGE_VOL_RESIZE_SHRINK, -1);
    if (!s)
        return -1;
    virNoIOMutexLock(&s->lock);
    if (!(v = storageVolBegin(s, ref, &e)))
        goto unlock;
    cur = virStorageVolDefCapacity(v->def);
    alloc = virStorageVolDefAllocation(v->def);
    if (flags & VIR_STORAGE_VOL_RESIZE_DELTA)
        abs = (flags & VIR_STORAGE_VOL_RESIZE_SHRINK) ? cur - MIN(capacity, cur) : cur + capacity;
    else
        abs = capacity;
    if (abs < alloc) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "can't shrink capacity below existing allocation");
        goto end;
    }
    if (abs < cur && !(flags & VIR_STORAGE_VOL_RESIZE_SHRINK)) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "Can't shrink capacity below current capacity unless shrink flag "
                       "explicitly specified");
        goto end;
    }
    if (flags & VIR_STORAGE_VOL_RESIZE_ALLOCATE)
        delta = abs - alloc;
    if (delta > storagePoolData(e)->st.available) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "Not enough space left in storage pool");
        goto end;
    }
    if (g_strcmp0(virStorageVolDefFormatType(v->def), "raw") != 0) {
        if (flags & VIR_STORAGE_VOL_RESIZE_ALLOCATE)
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                           "preallocate is only supported for raw type volume");
        else
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "unable to find qemu-img");
        goto end;
    }
    path = g_strdup(virStorageVolDefPath(v->def));
    virNoIOMutexUnlock(&s->lock);

    if (storageDirVolResize(path, abs, flags & VIR_STORAGE_VOL_RESIZE_ALLOCATE) == 0 &&
        storageDirVolStat(path, &st) == 0)
        rc = 0;

    virNoIOMutexLock(&s->lock);
    if (rc == 0) {
        storageVolApplyStat(v, &st);
        storagePoolAccount(storagePoolData(e), (long long)delta);
    }
 end:
    storageVolEnd(s, e, v);
 unlock:
    virNoIOMutexUnlock(&s->lock);
    return rc;
}

/* ---- volumes: what the file says now (workers) ---- */

/* A volume still being written has no file under its name yet: what it
 * will be, with the bytes written so far (lock held). */
static void
storageVolBuildingFacts(storageVol *v)
{
    const char *format = virStorageVolDefFormatType(v->def);
    virJobInfo info = { 0 };

    v->st.type = g_strcmp0(format, "dir") == 0 ? VIR_STORAGE_VOL_DIR : VIR_STORAGE_VOL_FILE;
    v->st.capacity = virStorageVolDefCapacity(v->def);
    if (v->job) {
        virJobGetInfo(v->job, &info);
        v->st.allocation = v->st.physical = info.dataProcessed;
        virJobInfoClear(&info);
    }
}

/* Stat the volume ref names again (libvirt's refreshVol before info and
 * XML) and run body with v on the result (lock held); a volume being
 * written: its facts so far. */
#define WITH_VOL_REFRESHED(ref, ...) \
    do { \
        storageState *s = storageGet(); \
        g_autofree char *path_ = NULL; \
        storageDirVolFacts st_; \
        virObjectListEntry *e_; \
        storageVol *v; \
        int rc_ = -1; \
        if (!s) \
            break; \
        virNoIOMutexLock(&s->lock); \
        if ((v = storageVolFromRef(s, (ref), &e_)) && v->building) { \
            storageVolBuildingFacts(v); \
            __VA_ARGS__; \
            virNoIOMutexUnlock(&s->lock); \
            break; \
        } \
        if (v) \
            path_ = g_strdup(virStorageVolDefPath(v->def)); \
        virNoIOMutexUnlock(&s->lock); \
        if (path_ && (rc_ = storageDirVolStat(path_, &st_)) == -2) \
            virReportError(VIR_ERR_NO_STORAGE_VOL, \
                           "no storage vol with matching path '%s'", path_); \
        if (rc_ != 0) \
            break; \
        virNoIOMutexLock(&s->lock); \
        if ((v = storageVolFromRef(s, (ref), &e_))) { \
            if (!v->building) \
                storageVolApplyStat(v, &st_); \
            __VA_ARGS__; \
        } \
        virNoIOMutexUnlock(&s->lock); \
    } while (0)

static int
storageVolGetInfoFlags(virConnect *conn G_GNUC_UNUSED, const virStorageVolRef *ref,
                       virStorageVolInfo *info, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, VIR_STORAGE_VOL_GET_PHYSICAL, -1);
    WITH_VOL_REFRESHED(ref, {
        info->type = v->st.type;
        info->capacity = virStorageVolDefCapacity(v->def);
        info->allocation = (flags & VIR_STORAGE_VOL_GET_PHYSICAL) ? v->st.physical
                                                                  : v->st.allocation;
        ret = 0;
    });
    return ret;
}

static int
storageVolGetInfo(virConnect *conn, const virStorageVolRef *ref, virStorageVolInfo *info)
{
    return storageVolGetInfoFlags(conn, ref, info, 0);
}

static char *
storageVolGetXMLDesc(virConnect *conn G_GNUC_UNUSED, const virStorageVolRef *ref,
                     unsigned int flags)
{
    char *ret = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    WITH_VOL_REFRESHED(ref, {
        const struct timespec times[3] = { v->st.atime, v->st.mtime, v->st.ctime };

        ret = virStorageVolDefFormatLive(v->def, v->st.physical, times);
    });
    return ret;
}

/* ---- events ---- */

static int
storageConnectStoragePoolEventRegisterAny(virConnect *conn, const virStoragePoolRef *pool,
                                          int eventID,
                                          virConnectStoragePoolEventGenericCallback cb,
                                          void *opaque, virFreeCallback ff)
{
    storageState *s = storageGet();

    if (!s)
        return -1;
    return virObjectEventRegistryAddStoragePool(s->events, conn, pool, eventID, cb, opaque, ff);
}

static int
storageConnectStoragePoolEventDeregisterAny(virConnect *conn, int callbackID)
{
    storageState *s = storageGet();

    if (!s)
        return -1;
    return virObjectEventRegistryRemove(s->events, conn, callbackID);
}

static const virStorageDriver storageDriver = {
    .name = "storage",
    .connectOpen = storageConnectOpen,
    .connectClose = storageConnectClose,
    .connectNumOfStoragePools = storageConnectNumOfStoragePools,
    .connectListStoragePools = storageConnectListStoragePools,
    .connectNumOfDefinedStoragePools = storageConnectNumOfDefinedStoragePools,
    .connectListDefinedStoragePools = storageConnectListDefinedStoragePools,
    .connectListAllStoragePools = storageConnectListAllStoragePools,
    .connectFindStoragePoolSources = storageConnectFindStoragePoolSources,
    .storagePoolLookupByName = storagePoolLookupByName,
    .storagePoolLookupByUUID = storagePoolLookupByUUID,
    .storagePoolLookupByVolume = storagePoolLookupByVolume,
    .storagePoolLookupByTargetPath = storagePoolLookupByTargetPath,
    .storagePoolCreateXML = storagePoolCreateXML,
    .storagePoolDefineXML = storagePoolDefineXML,
    .storagePoolBuild = storagePoolBuild,
    .storagePoolUndefine = storagePoolUndefine,
    .storagePoolCreate = storagePoolCreate,
    .storagePoolDestroy = storagePoolDestroy,
    .storagePoolDelete = storagePoolDelete,
    .storagePoolRefresh = storagePoolRefresh,
    .storagePoolGetInfo = storagePoolGetInfo,
    .storagePoolGetXMLDesc = storagePoolGetXMLDesc,
    .storagePoolGetAutostart = storagePoolGetAutostart,
    .storagePoolSetAutostart = storagePoolSetAutostart,
    .storagePoolNumOfVolumes = storagePoolNumOfVolumes,
    .storagePoolListVolumes = storagePoolListVolumes,
    .storagePoolListAllVolumes = storagePoolListAllVolumes,
    .storagePoolIsActive = storagePoolIsActive,
    .storagePoolIsPersistent = storagePoolIsPersistent,
    .storageVolLookupByName = storageVolLookupByName,
    .storageVolLookupByKey = storageVolLookupByKey,
    .storageVolLookupByPath = storageVolLookupByPath,
    .storageVolCreateXML = storageVolCreateXML,
    .storageVolCreateXMLFrom = storageVolCreateXMLFrom,
    .storageVolDelete = storageVolDelete,
    .storageVolWipe = storageVolWipe,
    .storageVolWipePattern = storageVolWipePattern,
    .storageVolGetInfo = storageVolGetInfo,
    .storageVolGetInfoFlags = storageVolGetInfoFlags,
    .storageVolGetXMLDesc = storageVolGetXMLDesc,
    .storageVolGetPath = storageVolGetPath,
    .storageVolResize = storageVolResize,
    .connectStoragePoolEventRegisterAny = storageConnectStoragePoolEventRegisterAny,
    .connectStoragePoolEventDeregisterAny = storageConnectStoragePoolEventDeregisterAny,
};

int
storageDriverRegister(void)
{
    const virObjectDrivers drivers = { .storage = &storageDriver };

    return virObjectDriversRegister(&drivers);
}
