/*
 * secretdriver.c: the secret driver, see secretdriver.h (files, rules,
 * threading).
 *
 * State: one per daemon, made by the first connection that uses the
 * driver and freed at shutdown: the secrets (secretObj) in an array kept
 * sorted by UUID.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "secretdriver.h"
#include "virconnect.h"
#include "virobjectdrivers.h"
#include "virobjectevent.h"
#include "virsecretdef.h"
#include "virdomaindef.h"
#include "virerror.h"
#include "virlog.h"
#include "virnoiolock.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_SECRET

VIR_LOG_INIT("secret.driver");

typedef struct {
    virSecretDef *def;
    unsigned char *value;       /* NULL: no value */
    size_t valueLen;
} secretObj;

typedef struct {
    virNoIOMutex lock;
    GMutex jobLock;             /* changes (workers only) */
    char *configDir;
    GPtrArray *secrets;         /* secretObj *, sorted by UUID */
    virObjectEventRegistry *events;
} secretState;

static GMutex secretStateMutex;
static secretState *secretDrv;

/* Values leave memory wiped. */
static void
secretValueFree(unsigned char *value, size_t len)
{
    if (value) {
        volatile unsigned char *p = value;
        size_t i;

        for (i = 0; i < len; i++)
            p[i] = 0;
        g_free(value);
    }
}

static void
secretObjFree(secretObj *obj)
{
    virSecretDefFree(obj->def);
    secretValueFree(obj->value, obj->valueLen);
    g_free(obj);
}

static gint
secretObjCompare(gconstpointer a, gconstpointer b)
{
    return memcmp((*(secretObj *const *)a)->def->uuid, (*(secretObj *const *)b)->def->uuid,
                  VIR_UUID_BUFLEN);
}

static secretState *
secretGet(void)
{
    secretState *s = g_atomic_pointer_get(&secretDrv);

    if (!s)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "secret state driver is not active");
    return s;
}

static char *
secretFilePath(secretState *s, const unsigned char *uuid, const char *ext)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    virDomainUUIDFormat(uuid, uuidstr);
    return g_strdup_printf("%s/%s.%s", s->configDir, uuidstr, ext);
}

static secretObj *
secretFindByUUID(secretState *s, const unsigned char *uuid)
{
    guint i;

    for (i = 0; i < s->secrets->len; i++) {
        secretObj *obj = g_ptr_array_index(s->secrets, i);

        if (memcmp(obj->def->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return obj;
    }
    return NULL;
}

static secretObj *
secretFindByUsage(secretState *s, int usageType, const char *usageID)
{
    guint i;

    for (i = 0; i < s->secrets->len; i++) {
        secretObj *obj = g_ptr_array_index(s->secrets, i);

        if (obj->def->usageType == usageType && g_strcmp0(obj->def->usageID, usageID) == 0)
            return obj;
    }
    return NULL;
}

/* libvirt's secretObjFromSecret. Lock held. */
static secretObj *
secretFromUUID(secretState *s, const unsigned char *uuid)
{
    secretObj *obj = secretFindByUUID(s, uuid);

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virDomainUUIDFormat(uuid, uuidstr);
        virReportError(VIR_ERR_NO_SECRET, "no secret with matching uuid '%s'", uuidstr);
    }
    return obj;
}

static virSecretRef *
secretMakeRef(const secretObj *obj)
{
    return virSecretRefNew(obj->def->uuid, obj->def->usageType, obj->def->usageID);
}

static void
secretEmit(secretState *s, const secretObj *obj, int event, bool valueChanged)
{
    virSecretRef ref = { .usageType = obj->def->usageType, .usageID = obj->def->usageID };

    memcpy(ref.uuid, obj->def->uuid, VIR_UUID_BUFLEN);
    if (valueChanged)
        virObjectEventSecretValueChanged(s->events, &ref);
    else
        virObjectEventSecretLifecycle(s->events, &ref, event, 0);
}

/* ---- files (no lock held) ---- */

static int
secretWriteConfig(secretState *s, const virSecretDef *def)
{
    g_autofree char *path = secretFilePath(s, def->uuid, "xml");
    g_autofree char *xml = virSecretDefFormat(def);

    return virFileWriteAtomic(path, xml, strlen(xml), 0600);
}

static int
secretWriteValue(secretState *s, const unsigned char *uuid, const unsigned char *value,
                 size_t len)
{
    g_autofree char *path = secretFilePath(s, uuid, "base64");
    char *b64 = g_base64_encode(value, len);
    int rc = virFileWriteAtomic(path, b64, strlen(b64), 0600);

    secretValueFree((unsigned char *)b64, strlen(b64));
    return rc;
}

/* Remove a secret's file ext ("xml", "base64"); a missing one is fine. */
static int
secretRemoveFile(secretState *s, const unsigned char *uuid, const char *ext)
{
    g_autofree char *path = secretFilePath(s, uuid, ext);

    if (virFileRemove(path) < 0) {
        virReportSystemError(errno, "cannot unlink '%s'", path);
        return -1;
    }
    return 0;
}

/* ---- state ---- */

static void
secretStateFree(secretState *s)
{
    if (!s)
        return;
    g_ptr_array_free(s->secrets, TRUE);
    virObjectEventRegistryFree(s->events);
    g_free(s->configDir);
    virNoIOMutexClear(&s->lock);
    g_mutex_clear(&s->jobLock);
    g_free(s);
}

/* Load UUID.xml and its value (the state is not published yet). */
static void
secretLoad(secretState *s, const char *file)
{
    g_autofree char *path = g_build_filename(s->configDir, file, NULL);
    g_autofree char *xml = NULL;
    g_autofree char *b64 = NULL;
    g_autofree char *valuePath = NULL;
    g_autoptr(virSecretDef) def = NULL;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    secretObj *obj;

    if (!g_file_get_contents(path, &xml, NULL, NULL) || !(def = virSecretDefParseString(xml))) {
        VIR_WARN("ignoring secret file %s: %s", path, virGetLastErrorMessage());
        return;
    }
    virDomainUUIDFormat(def->uuid, uuidstr);
    if (strncmp(file, uuidstr, strlen(uuidstr)) != 0 || strcmp(file + strlen(uuidstr), ".xml")) {
        VIR_WARN("ignoring secret file %s: <uuid> does not match secret file name", path);
        return;
    }
    if (def->ephemeral || secretFindByUUID(s, def->uuid) ||
        (def->usageType && secretFindByUsage(s, def->usageType, def->usageID))) {
        VIR_WARN("ignoring secret file %s: ephemeral or a duplicate", path);
        return;
    }
    obj = g_new0(secretObj, 1);
    obj->def = g_steal_pointer(&def);
    valuePath = secretFilePath(s, obj->def->uuid, "base64");
    if (g_file_get_contents(valuePath, &b64, NULL, NULL)) {
        gsize len = 0;
        size_t b64len = strlen(b64);

        obj->value = g_base64_decode(g_strstrip(b64), &len);
        obj->valueLen = len;
        secretValueFree((unsigned char *)g_steal_pointer(&b64), b64len);
    }
    g_ptr_array_add(s->secrets, obj);
}

static secretState *
secretStateNew(void)
{
    secretState *s = g_new0(secretState, 1);
    const char *env = g_getenv("VIRTNET_SECRET_CONFIG_DIR");
    g_autoptr(GDir) dir = NULL;
    const char *ent;
    int n;

    virNoIOMutexInit(&s->lock);
    g_mutex_init(&s->jobLock);
    s->configDir = g_strdup(env && *env ? env : VIRTNET_SYSCONFDIR "/virtnet/secrets");
    s->secrets = g_ptr_array_new_with_free_func((GDestroyNotify)secretObjFree);
    s->events = virObjectEventRegistryNew();
    if (g_mkdir_with_parents(s->configDir, 0700) < 0) {
        virReportSystemError(errno, "cannot create config directory '%s'", s->configDir);
        secretStateFree(s);
        return NULL;
    }
    if ((n = virFileRemoveAtomicTemps(s->configDir)) > 0)
        VIR_WARN("removed %d unfinished temporary file(s) from %s (left by a crash)", n,
                 s->configDir);
    dir = g_dir_open(s->configDir, 0, NULL);
    while (dir && (ent = g_dir_read_name(dir))) {
        if (ent[0] != '.' && g_str_has_suffix(ent, ".xml"))
            secretLoad(s, ent);
    }
    g_ptr_array_sort(s->secrets, secretObjCompare);
    VIR_DEBUG("%u secret(s) in %s", s->secrets->len, s->configDir);
    return s;
}

static int
secretConnectOpen(virConnect *conn G_GNUC_UNUSED)
{
    secretState *s;

    g_mutex_lock(&secretStateMutex);
    if (!g_atomic_pointer_get(&secretDrv)) {
        if (!(s = secretStateNew())) {
            g_mutex_unlock(&secretStateMutex);
            return -1;
        }
        g_atomic_pointer_set(&secretDrv, s);
    }
    g_mutex_unlock(&secretStateMutex);
    return 0;
}

static int
secretConnectClose(virConnect *conn)
{
    secretState *s = g_atomic_pointer_get(&secretDrv);

    if (s)
        virObjectEventRegistryPurgeConn(s->events, conn);
    return 0;
}

void
secretDriverShutdown(void)
{
    secretState *s;

    g_mutex_lock(&secretStateMutex);
    s = g_atomic_pointer_get(&secretDrv);
    g_atomic_pointer_set(&secretDrv, NULL);
    secretStateFree(s);
    g_mutex_unlock(&secretStateMutex);
}

/* ---- lists and lookups (inline) ---- */

static int
secretConnectNumOfSecrets(virConnect *conn G_GNUC_UNUSED)
{
    secretState *s = secretGet();
    int n;

    if (!s)
        return -1;
    virNoIOMutexLock(&s->lock);
    n = (int)s->secrets->len;
    virNoIOMutexUnlock(&s->lock);
    return n;
}

static int
secretConnectListSecrets(virConnect *conn G_GNUC_UNUSED, char **uuids, int maxuuids)
{
    secretState *s = secretGet();
    int n = 0;

    if (!s)
        return -1;
    virNoIOMutexLock(&s->lock);
    for (; n < maxuuids && (guint)n < s->secrets->len; n++) {
        secretObj *obj = g_ptr_array_index(s->secrets, n);

        uuids[n] = g_malloc(VIR_UUID_STRING_BUFLEN);
        virDomainUUIDFormat(obj->def->uuid, uuids[n]);
    }
    virNoIOMutexUnlock(&s->lock);
    return n;
}

static bool
secretFilterGroup(unsigned int flags, unsigned int yes, unsigned int no, bool value)
{
    if (!(flags & (yes | no)))
        return true;
    return (flags & (value ? yes : no)) != 0;
}

static int
secretConnectListAllSecrets(virConnect *conn G_GNUC_UNUSED, virSecretRef ***secrets,
                            unsigned int flags)
{
    secretState *s;
    GPtrArray *list;
    guint i;

    virDriverCheckFlags(flags, VIR_CONNECT_LIST_SECRETS_EPHEMERAL |
                        VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL |
                        VIR_CONNECT_LIST_SECRETS_PRIVATE |
                        VIR_CONNECT_LIST_SECRETS_NO_PRIVATE, -1);
    if (!(s = secretGet()))
        return -1;
    list = g_ptr_array_new();
    virNoIOMutexLock(&s->lock);
    for (i = 0; i < s->secrets->len; i++) {
        secretObj *obj = g_ptr_array_index(s->secrets, i);

        if (secretFilterGroup(flags, VIR_CONNECT_LIST_SECRETS_EPHEMERAL,
                              VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL, obj->def->ephemeral) &&
            secretFilterGroup(flags, VIR_CONNECT_LIST_SECRETS_PRIVATE,
                              VIR_CONNECT_LIST_SECRETS_NO_PRIVATE, obj->def->isPrivate))
            g_ptr_array_add(list, secretMakeRef(obj));
    }
    virNoIOMutexUnlock(&s->lock);
    return virObjectRefListFinish(list, virSecretRefCompare, (void ***)secrets);
}

static virSecretRef *
secretLookupByUUID(virConnect *conn G_GNUC_UNUSED, const unsigned char *uuid)
{
    secretState *s = secretGet();
    secretObj *obj;
    virSecretRef *ret = NULL;

    if (!s)
        return NULL;
    virNoIOMutexLock(&s->lock);
    if ((obj = secretFromUUID(s, uuid)))
        ret = secretMakeRef(obj);
    virNoIOMutexUnlock(&s->lock);
    return ret;
}

static virSecretRef *
secretLookupByUsage(virConnect *conn G_GNUC_UNUSED, int usageType, const char *usageID)
{
    secretState *s = secretGet();
    secretObj *obj;
    virSecretRef *ret = NULL;

    if (!s)
        return NULL;
    virNoIOMutexLock(&s->lock);
    if ((obj = secretFindByUsage(s, usageType, usageID)))
        ret = secretMakeRef(obj);
    virNoIOMutexUnlock(&s->lock);
    if (!ret)
        virReportError(VIR_ERR_NO_SECRET, "no secret with matching usage '%s'", usageID);
    return ret;
}

static char *
secretGetXMLDesc(virConnect *conn G_GNUC_UNUSED, const virSecretRef *ref,
                 unsigned int flags)
{
    secretState *s;
    secretObj *obj;
    char *ret = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    if (!(s = secretGet()))
        return NULL;
    virNoIOMutexLock(&s->lock);
    if ((obj = secretFromUUID(s, ref->uuid)))
        ret = virSecretDefFormat(obj->def);
    virNoIOMutexUnlock(&s->lock);
    return ret;
}

static int
secretGetValue(virConnect *conn G_GNUC_UNUSED, const virSecretRef *ref,
               unsigned char **value, size_t *valuelen, unsigned int flags)
{
    secretState *s;
    secretObj *obj;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (!(s = secretGet()))
        return -1;
    virNoIOMutexLock(&s->lock);
    if (!(obj = secretFromUUID(s, ref->uuid))) {
        /* reported */
    } else if (obj->def->isPrivate) {
        /* libvirt hands private values to its own daemons only, never to
         * a client */
        virReportError(VIR_ERR_INVALID_SECRET, "%s", "secret is private");
    } else if (!obj->value) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virDomainUUIDFormat(obj->def->uuid, uuidstr);
        virReportError(VIR_ERR_NO_SECRET, "secret '%s' does not have a value", uuidstr);
    } else {
        *value = g_memdup2(obj->value, obj->valueLen);
        *valuelen = obj->valueLen;
        ret = 0;
    }
    virNoIOMutexUnlock(&s->lock);
    return ret;
}

/* ---- changes (workers; s->jobLock) ---- */

/* Whether the secret exists (0, or -1 with libvirt's error) and is
 * persistent (has files). Called with s->jobLock held: the answer holds
 * until it is released. */
static int
secretCheckExists(secretState *s, const unsigned char *uuid, bool *persistent)
{
    secretObj *obj;

    virNoIOMutexLock(&s->lock);
    if ((obj = secretFromUUID(s, uuid)))
        *persistent = !obj->def->ephemeral;
    virNoIOMutexUnlock(&s->lock);
    return obj ? 0 : -1;
}

/* libvirt's virSecretObjListAdd checks (lock held): the secret def
 * replaces, if any, in *old. */
static int
secretCheckDefine(secretState *s, const virSecretDef *def, secretObj **old)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    secretObj *obj;

    if ((*old = secretFindByUUID(s, def->uuid))) {
        virDomainUUIDFormat(def->uuid, uuidstr);
        if (g_strcmp0((*old)->def->usageID, def->usageID) != 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "a secret with UUID %s is already defined for use with %s",
                           uuidstr, (*old)->def->usageID);
            return -1;
        }
        if ((*old)->def->isPrivate && !def->isPrivate) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "cannot change private flag on existing secret");
            return -1;
        }
        return 0;
    }
    if ((obj = secretFindByUsage(s, def->usageType, def->usageID))) {
        virDomainUUIDFormat(obj->def->uuid, uuidstr);
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "a secret with UUID %s already defined for use with %s",
                       uuidstr, def->usageID);
        return -1;
    }
    return 0;
}

static virSecretRef *
secretDefineXML(virConnect *conn G_GNUC_UNUSED, const char *xml, unsigned int flags)
{
    secretState *s;
    g_autoptr(virSecretDef) def = NULL;
    secretObj *old;
    bool wasPersistent = false;
    unsigned char *value = NULL;
    size_t valueLen = 0;
    virSecretRef *ret = NULL;
    int rc;

    virDriverCheckFlags(flags, VIR_SECRET_DEFINE_VALIDATE, NULL);
    if (!(s = secretGet()) || !(def = virSecretDefParseString(xml)))
        return NULL;

    g_mutex_lock(&s->jobLock);
    virNoIOMutexLock(&s->lock);
    rc = secretCheckDefine(s, def, &old);
    if (rc == 0 && old) {
        wasPersistent = !old->def->ephemeral;
        if (old->value)
            value = g_memdup2(old->value, old->valueLen);
        valueLen = old->valueLen;
    }
    virNoIOMutexUnlock(&s->lock);
    if (rc < 0)
        goto cleanup;

    /* as libvirt: a secret turning persistent keeps its value on disk; one
     * turning ephemeral loses its files */
    if (!def->ephemeral) {
        if (!wasPersistent && value && secretWriteValue(s, def->uuid, value, valueLen) < 0)
            goto cleanup;
        if (secretWriteConfig(s, def) < 0) {
            if (!wasPersistent && value)
                secretRemoveFile(s, def->uuid, "base64");
            goto cleanup;
        }
    } else if (wasPersistent) {
        if (secretRemoveFile(s, def->uuid, "xml") < 0)
            goto cleanup;
        secretRemoveFile(s, def->uuid, "base64");
    }

    virNoIOMutexLock(&s->lock);
    if ((old = secretFindByUUID(s, def->uuid))) {
        virSecretDefFree(old->def);
        old->def = g_steal_pointer(&def);
    } else {
        old = g_new0(secretObj, 1);
        old->def = g_steal_pointer(&def);
        g_ptr_array_add(s->secrets, old);
        g_ptr_array_sort(s->secrets, secretObjCompare);
    }
    secretEmit(s, old, VIR_SECRET_EVENT_DEFINED, false);
    ret = secretMakeRef(old);
    virNoIOMutexUnlock(&s->lock);

 cleanup:
    g_mutex_unlock(&s->jobLock);
    secretValueFree(value, valueLen);
    return ret;
}

static int
secretSetValue(virConnect *conn G_GNUC_UNUSED, const virSecretRef *ref,
               const unsigned char *value, size_t valuelen, unsigned int flags)
{
    secretState *s;
    secretObj *obj;
    bool persistent = false;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (!(s = secretGet()))
        return -1;
    g_mutex_lock(&s->jobLock);
    ret = secretCheckExists(s, ref->uuid, &persistent);
    if (ret == 0 && persistent && secretWriteValue(s, ref->uuid, value, valuelen) < 0)
        ret = -1;
    if (ret == 0) {
        virNoIOMutexLock(&s->lock);
        obj = secretFindByUUID(s, ref->uuid);
        secretValueFree(obj->value, obj->valueLen);
        obj->value = g_memdup2(value, valuelen ? valuelen : 1);
        obj->valueLen = valuelen;
        secretEmit(s, obj, 0, true);
        virNoIOMutexUnlock(&s->lock);
    }
    g_mutex_unlock(&s->jobLock);
    return ret;
}

static int
secretUndefine(virConnect *conn G_GNUC_UNUSED, const virSecretRef *ref)
{
    secretState *s = secretGet();
    secretObj *obj;
    bool persistent = false;
    int ret = -1;

    if (!s)
        return -1;
    g_mutex_lock(&s->jobLock);
    ret = secretCheckExists(s, ref->uuid, &persistent);
    if (ret == 0 && persistent && secretRemoveFile(s, ref->uuid, "xml") < 0)
        ret = -1;
    if (ret == 0) {
        /* the definition is gone: a value file left would never load */
        if (persistent && secretRemoveFile(s, ref->uuid, "base64") < 0)
            VIR_WARN("%s", virGetLastErrorMessage());
        virNoIOMutexLock(&s->lock);
        obj = secretFindByUUID(s, ref->uuid);
        secretEmit(s, obj, VIR_SECRET_EVENT_UNDEFINED, false);
        g_ptr_array_remove(s->secrets, obj);
        virNoIOMutexUnlock(&s->lock);
    }
    g_mutex_unlock(&s->jobLock);
    return ret;
}

/* ---- events ---- */

static int
secretConnectSecretEventRegisterAny(virConnect *conn, const virSecretRef *secret, int eventID,
                                    virConnectSecretEventGenericCallback cb, void *opaque,
                                    virFreeCallback ff)
{
    secretState *s = secretGet();

    if (!s)
        return -1;
    return virObjectEventRegistryAddSecret(s->events, conn, secret, eventID, cb, opaque, ff);
}

static int
secretConnectSecretEventDeregisterAny(virConnect *conn, int callbackID)
{
    secretState *s = secretGet();

    if (!s)
        return -1;
    return virObjectEventRegistryRemove(s->events, conn, callbackID);
}

static const virSecretDriver secretDriver = {
    .name = "secret",
    .connectOpen = secretConnectOpen,
    .connectClose = secretConnectClose,
    .connectNumOfSecrets = secretConnectNumOfSecrets,
    .connectListSecrets = secretConnectListSecrets,
    .connectListAllSecrets = secretConnectListAllSecrets,
    .secretLookupByUUID = secretLookupByUUID,
    .secretLookupByUsage = secretLookupByUsage,
    .secretDefineXML = secretDefineXML,
    .secretGetXMLDesc = secretGetXMLDesc,
    .secretSetValue = secretSetValue,
    .secretGetValue = secretGetValue,
    .secretUndefine = secretUndefine,
    .connectSecretEventRegisterAny = secretConnectSecretEventRegisterAny,
    .connectSecretEventDeregisterAny = secretConnectSecretEventDeregisterAny,
};

int
secretDriverRegister(void)
{
    const virObjectDrivers drivers = { .secret = &secretDriver };

    return virObjectDriversRegister(&drivers);
}
