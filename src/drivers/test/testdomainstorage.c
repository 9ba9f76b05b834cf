/*
 * testdomainstorage.c: the test driver's block I/O tuning and the guest's
 * filesystems (freeze, thaw, trim), as libvirt 9.0's test driver answers
 * them (docs/test-driver.md).
 *
 * Locking (testdriverpriv.h): every entry takes state->lock for its whole
 * run; nothing here blocks.
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virdomainobj.h"
#include "virdomaindef.h"
#include "virerror.h"
#include "virpublic.h"
#include "virtypedparams.h"

#define VIR_FROM_THIS VIR_FROM_TEST

#define TEST_NB_BLKIO_PARAM 6

static const char *const testBlkioDeviceParams[] = {
    "device_weight", "device_read_iops_sec", "device_write_iops_sec",
    "device_read_bytes_sec", "device_write_bytes_sec",
};
static const char *const testBlkiotuneOrder[] = { "weight", "device", NULL };

/* ---- block I/O tuning ---- */

int
testDomainSetBlkioParameters(virConnect *conn, const virDomainRef *ref,
                             virTypedParameter *params, int nparams, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    virDomainDef *def;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virDomainBlkioParamsValidate(params, nparams, "virtnet's test driver") < 0)
        return -1;
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainFromRef(state, ref)) &&
        (def = virDomainObjGetOneDef(&dom->obj, flags, NULL))) {
        const virTypedParameter *w = virTypedParamsGet(params, nparams, VIR_DOMAIN_BLKIO_WEIGHT);

        if (w) {
            g_autofree char *text = g_strdup_printf("%u", w->value.ui);

            /* libvirt does not write a weight of 0 */
            virDomainDefSetChildText(def, "blkiotune", "weight", w->value.ui ? text : NULL,
                                     testBlkiotuneOrder);
        }
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}


int
testDomainGetBlkioParameters(virConnect *conn, const virDomainRef *ref,
                             virTypedParameter *params, int *nparams, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    virDomainDef *def;
    int max = TEST_NB_BLKIO_PARAM, n = 0, ret = -1;
    size_t i;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (*nparams == 0) {
        *nparams = TEST_NB_BLKIO_PARAM;
        return 0;
    }
    if (*nparams < max)
        max = *nparams;
    *nparams = 0;
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainFromRef(state, ref)) &&
        (def = virDomainObjGetOneDef(&dom->obj, flags, NULL))) {
        g_autofree char *weight = virDomainDefGetChildText(def, "blkiotune", "weight");

        memset(&params[n], 0, sizeof(params[n]));
        g_strlcpy(params[n].field, VIR_DOMAIN_BLKIO_WEIGHT, sizeof(params[n].field));
        params[n].type = VIR_TYPED_PARAM_UINT;
        params[n++].value.ui = weight ? (unsigned int)g_ascii_strtoull(weight, NULL, 10) : 0;
        for (i = 0; i < G_N_ELEMENTS(testBlkioDeviceParams) && n < max; i++) {
            memset(&params[n], 0, sizeof(params[n]));
            g_strlcpy(params[n].field, testBlkioDeviceParams[i], sizeof(params[n].field));
            params[n].type = VIR_TYPED_PARAM_STRING;
            params[n++].value.s = g_strdup("");
        }
        *nparams = n;
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}


/* ---- a disk's I/O throttling: <disk><iotune><total_bytes_sec>... ---- */

/* indexes of the pairs libvirt checks: total vs read / write (bytes,
 * iops, their maxima), a value vs its maximum */
enum { TOTAL_BPS, READ_BPS, WRITE_BPS, TOTAL_IOPS, READ_IOPS, WRITE_IOPS, MAX_OFFSET = 6 };
#define TEST_BLOCK_IOTUNE_MAX 1000000000000000ULL

/* libvirt's order of <disk>'s children */
static const char *const testDiskOrder[] = {
    "driver", "auth", "source", "backingStore", "backenddomain", "geometry", "blockio",
    "mirror", "target", "iotune", "readonly", "shareable", "transient", "serial", "wwn",
    "vendor", "product", "encryption", "boot", "alias", "address", NULL
};

/* libvirt's virDomainDiskByName: a name without a leading '/' is a target
 * name, else a source path (the first disk that has it). */
static virDomainXMLNode *
testDomainFindDisk(const virDomainDef *def, const char *name)
{
    static const char *const sources[] = { "file", "dev", "dir", "name", "volume" };
    g_autoptr(GPtrArray) disks = virDomainDefDevices(def, "disk");
    guint i;
    size_t k;

    for (i = 0; i < disks->len; i++) {
        virDomainXMLNode *disk = g_ptr_array_index(disks, i);
        const char *v;

        if (*name != '/') {
            if ((v = virDomainXMLNodeAttr(disk, "target", "dev")) && strcmp(v, name) == 0)
                return disk;
            continue;
        }
        for (k = 0; k < G_N_ELEMENTS(sources); k++) {
            if ((v = virDomainXMLNodeAttr(disk, "source", sources[k])))
                break;
        }
        if (v && strcmp(v, name) == 0)
            return disk;
    }
    return NULL;
}

/* Under the lock: the disk of the definition flags select, or NULL with
 * an error (a missing disk: INVALID_ARG in libvirt's words, which differ
 * between the setter and the getter). */
static virDomainXMLNode *
testIotuneDisk(testState *state, const virDomainRef *ref, unsigned int flags,
               const char *disk, bool getter)
{
    testDomain *dom;
    virDomainDef *def;
    virDomainXMLNode *node;

    if (!(dom = testDomainFromRef(state, ref)) ||
        !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        return NULL;
    if (!(node = testDomainFindDisk(def, disk))) {
        if (getter)
            virReportError(VIR_ERR_INVALID_ARG, "disk '%s' was not found in the domain config",
                           disk);
        else
            virReportError(VIR_ERR_INVALID_ARG,
                           "missing persistent configuration for disk '%s'", disk);
    }
    return node;
}

/* A disk's throttling: the numbers (0: unset) and the group name. */
typedef struct {
    unsigned long long v[VIR_DOMAIN_NIOTUNE];
    char *group;
} testIotune;

static void
testIotuneRead(virDomainXMLNode *disk, testIotune *tune)
{
    virDomainXMLNode *iotune = virDomainXMLNodeGetChild(disk, "iotune");
    size_t k;

    memset(tune, 0, sizeof(*tune));
    for (k = 0; iotune && k < VIR_DOMAIN_NIOTUNE; k++) {
        virDomainXMLNode *e = virDomainXMLNodeGetChild(iotune, virDomainIotuneParams[k]);
        g_autofree char *text = e ? virDomainXMLNodeText(e) : NULL;

        if (k == VIR_DOMAIN_IOTUNE_GROUP)
            tune->group = text && *text ? g_steal_pointer(&text) : NULL;
        else if (text)
            tune->v[k] = g_ascii_strtoull(text, NULL, 10);
    }
}

/* <iotune> as libvirt writes it: the values set, none when all are unset */
static void
testIotuneWrite(virDomainXMLNode *disk, const testIotune *tune)
{
    virDomainXMLNode *iotune;
    size_t k;

    virDomainXMLNodeRemoveChildren(disk, "iotune");
    iotune = virDomainXMLNodeAddChildOrdered(disk, "iotune", testDiskOrder);
    for (k = 0; k < VIR_DOMAIN_NIOTUNE; k++) {
        g_autofree char *text = k == VIR_DOMAIN_IOTUNE_GROUP ? g_strdup(tune->group) :
            tune->v[k] ? g_strdup_printf("%llu", tune->v[k]) : NULL;

        if (text)
            virDomainXMLNodeSetText(virDomainXMLNodeAddChildOrdered(iotune, virDomainIotuneParams[k],
                                                                    NULL), text);
    }
    if (!virDomainXMLNodeHasElements(iotune))
        virDomainXMLNodeRemoveChildren(disk, "iotune");
}

/* libvirt's checks of the values once the new ones are in */
static int
testIotuneCheck(const testIotune *t)
{
    static const char *const kinds[] = { "bytes_sec", "iops_sec", "bytes_sec_max",
                                         "iops_sec_max" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(kinds); i++) {
        size_t base = (i % 2 ? TOTAL_IOPS : TOTAL_BPS) + (i / 2 ? MAX_OFFSET : 0);

        if (t->v[base] && (t->v[base + 1] || t->v[base + 2])) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "total and read/write of %s cannot be set at the same time",
                           kinds[i]);
            return -1;
        }
    }
    for (i = TOTAL_BPS; i <= WRITE_IOPS; i++) {
        if (t->v[i] > t->v[i + MAX_OFFSET]) {
            /* libvirt names the fields (and ends with a blank) */
            virReportError(VIR_ERR_INVALID_ARG, "%s cannot be set higher than %s ",
                           virDomainIotuneParams[i], virDomainIotuneParams[i + MAX_OFFSET]);
            return -1;
        }
    }
    return 0;
}

int
testDomainSetBlockIoTune(virConnect *conn, const virDomainRef *ref, const char *disk,
                         virTypedParameter *params, int nparams, unsigned int flags)
{
    testState *state = conn->privateData;
    virTypedParamsKey spec[VIR_DOMAIN_NIOTUNE];
    virDomainXMLNode *node;
    testIotune tune = { { 0 }, NULL };
    int ret = -1, i;
    size_t k;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    for (k = 0; k < VIR_DOMAIN_NIOTUNE; k++) {
        spec[k].name = virDomainIotuneParams[k];
        spec[k].type = k == VIR_DOMAIN_IOTUNE_GROUP ? VIR_TYPED_PARAM_STRING : VIR_TYPED_PARAM_ULLONG;
    }
    if (virTypedParamsValidate(params, nparams, spec, VIR_DOMAIN_NIOTUNE) < 0)
        return -1;
    virNoIOMutexLock(&state->lock);
    if (!(node = testIotuneDisk(state, ref, flags, disk, false)))
        goto cleanup;
    testIotuneRead(node, &tune);
    for (i = 0; i < nparams; i++) {
        for (k = 0; k < VIR_DOMAIN_NIOTUNE; k++) {
            if (strcmp(params[i].field, virDomainIotuneParams[k]) != 0)
                continue;
            if (k == VIR_DOMAIN_IOTUNE_GROUP) {
                g_free(tune.group);
                tune.group = g_strdup(params[i].value.s);
            } else if (params[i].value.ul > TEST_BLOCK_IOTUNE_MAX) {
                virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                               "block I/O throttle limit value must be no more than %llu",
                               TEST_BLOCK_IOTUNE_MAX);
                goto cleanup;
            } else {
                tune.v[k] = params[i].value.ul;
            }
        }
    }
    if (testIotuneCheck(&tune) < 0)
        goto cleanup;
    testIotuneWrite(node, &tune);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    g_free(tune.group);
    return ret;
}

int
testDomainGetBlockIoTune(virConnect *conn, const virDomainRef *ref, const char *disk,
                         virTypedParameter *params, int *nparams, unsigned int flags)
{
    testState *state = conn->privateData;
    virDomainXMLNode *node;
    testIotune tune;
    int ret = -1;
    size_t k;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_TYPED_PARAM_STRING_OKAY, -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (*nparams == 0) {
        *nparams = VIR_DOMAIN_NIOTUNE;
        return 0;
    }
    virNoIOMutexLock(&state->lock);
    if (!(node = testIotuneDisk(state, ref, flags, disk, true)))
        goto cleanup;
    testIotuneRead(node, &tune);
    if (*nparams > (int)VIR_DOMAIN_NIOTUNE)
        *nparams = VIR_DOMAIN_NIOTUNE;
    for (k = 0; k < (size_t)*nparams; k++) {
        memset(&params[k], 0, sizeof(params[k]));
        g_strlcpy(params[k].field, virDomainIotuneParams[k], sizeof(params[k].field));
        if (k == VIR_DOMAIN_IOTUNE_GROUP) {
            params[k].type = VIR_TYPED_PARAM_STRING;
            params[k].value.s = g_strdup(tune.group ? tune.group : "");
        } else {
            params[k].type = VIR_TYPED_PARAM_ULLONG;
            params[k].value.ul = tune.v[k];
        }
    }
    g_free(tune.group);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}


/* ---- the guest's filesystems: "/" and "/boot", as libvirt's ---- */

/* Index of a mount point the test driver's guests have, or -1 with
 * libvirt's error. */
static int
testMountIndex(const char *mountpoint)
{
    if (strcmp(mountpoint, "/") == 0)
        return 0;
    if (strcmp(mountpoint, "/boot") == 0)
        return 1;
    virReportError(VIR_ERR_OPERATION_INVALID, "mount point not found: %s", mountpoint);
    return -1;
}


/* Freeze (or thaw) the mount points given, all without any: how many
 * changed. Nothing changes on an error. */
static int
testDomainFSSet(virConnect *conn, const virDomainRef *ref, const char **mountpoints,
                unsigned int nmountpoints, bool freeze)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainActiveFromRef(state, ref))) {
        bool frozen[2] = { dom->fsFrozen[0], dom->fsFrozen[1] };
        unsigned int i;
        int changed = 0;

        for (i = 0; i < (nmountpoints ? nmountpoints : 2); i++) {
            int idx = nmountpoints ? testMountIndex(mountpoints[i]) : (int)i;

            if (idx < 0)
                goto cleanup;
            if (frozen[idx] != freeze) {
                frozen[idx] = freeze;
                changed++;
            }
        }
        memcpy(dom->fsFrozen, frozen, sizeof(frozen));
        ret = changed;
    }
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}


int
testDomainFSFreeze(virConnect *conn, const virDomainRef *ref, const char **mountpoints,
                   unsigned int nmountpoints, unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    return testDomainFSSet(conn, ref, mountpoints, nmountpoints, true);
}


int
testDomainFSThaw(virConnect *conn, const virDomainRef *ref, const char **mountpoints,
                 unsigned int nmountpoints, unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    return testDomainFSSet(conn, ref, mountpoints, nmountpoints, false);
}


int
testDomainFSTrim(virConnect *conn, const virDomainRef *ref, const char *mountPoint,
                 unsigned long long minimum G_GNUC_UNUSED, unsigned int flags)
{
    testState *state = conn->privateData;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if (testDomainActiveFromRef(state, ref) && (!mountPoint || testMountIndex(mountPoint) >= 0))
        ret = 0;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}
