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
