/*
 * testdomaininfo.c: what the test driver's guests tell and let be set:
 * hostname, clock, control state, reset, metadata (title, description,
 * namespaced elements), as libvirt 9.0's test driver answers them.
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

/* The domain, which must be running (libvirt's virDomainObjCheckActive),
 * under the lock; NULL with an error (the lock is held either way). */
static testDomain *
testDomainLockActive(testState *state, const virDomainRef *ref)
{
    testDomain *dom;

    virNoIOMutexLock(&state->lock);
    dom = testDomainFromRef(state, ref);
    if (dom && !virDomainObjIsActive(&dom->obj)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return NULL;
    }
    return dom;
}

int
testDomainReset(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    int ret;

    virDriverCheckFlags(flags, 0, -1);
    /* nothing to do for a made-up guest */
    ret = testDomainLockActive(state, ref) ? 0 : -1;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

char *
testDomainGetHostname(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    char *ret = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    if (testDomainLockActive(state, ref))
        ret = g_strdup_printf("%shost", ref->name);
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetControlInfo(virConnect *conn, const virDomainRef *ref, virDomainControlInfo *info,
                         unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if ((dom = testDomainLockActive(state, ref))) {
        /* libvirt's test driver derives a made-up control state from the
         * guest clock's seconds */
        long long s = dom->timeSeconds;

        memset(info, 0, sizeof(*info));
        if (s > 0 && s < 10000) {
            info->state = VIR_DOMAIN_CONTROL_JOB;
            info->stateTime = s;
        } else if (s >= 10000 && s < 30000) {
            info->state = VIR_DOMAIN_CONTROL_OCCUPIED;
            info->stateTime = s - 10000;
        } else if (s >= 30000 && s < 60000) {
            info->state = VIR_DOMAIN_CONTROL_ERROR;
            info->details = (unsigned int)(s % 4);  /* a VIR_DOMAIN_CONTROL_ERROR_REASON_* */
            info->stateTime = s - 30000;
        } else {
            info->state = VIR_DOMAIN_CONTROL_OK;
        }
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetTime(virConnect *conn, const virDomainRef *ref, long long *seconds,
                  unsigned int *nseconds, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainFromRef(state, ref))) {
        if (dom->obj.state != VIR_DOMAIN_RUNNING) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        } else {
            *seconds = dom->timeSeconds;
            *nseconds = dom->timeNSeconds;
            ret = 0;
        }
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSetTime(virConnect *conn, const virDomainRef *ref, long long seconds,
                  unsigned int nseconds, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_TIME_SYNC, -1);
    if ((dom = testDomainLockActive(state, ref))) {
        dom->timeSeconds = seconds;
        dom->timeNSeconds = nseconds;
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static const char *const testMetadataElements[] = {
    [VIR_DOMAIN_METADATA_DESCRIPTION] = "description",
    [VIR_DOMAIN_METADATA_TITLE] = "title",
};

char *
testDomainGetMetadata(virConnect *conn, const virDomainRef *ref, int type, const char *uri,
                      unsigned int flags)
{
    testState *state = conn->privateData;
    virDomainDef *def;
    testDomain *dom;
    char *ret = NULL;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, NULL);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto cleanup;
    if (type < 0 || type >= VIR_DOMAIN_METADATA_LAST) {
        virDriverReportDomainError(VIR_ERR_INVALID_ARG, "unknown metadata type '%d'", type);
        goto cleanup;
    }
    if (!(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    if (type == VIR_DOMAIN_METADATA_ELEMENT)
        ret = uri ? virDomainDefGetMetadataElement(def, uri) : NULL;
    else
        ret = virDomainDefGetText(def, testMetadataElements[type]);
    if (!ret)
        virDriverReportDomainError(VIR_ERR_NO_DOMAIN_METADATA, "%s",
                                   "Requested metadata element is not present");
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static int
testDomainDefSetMetadata(virDomainDef *def, int type, const char *metadata, const char *key,
                         const char *uri)
{
    if (type == VIR_DOMAIN_METADATA_ELEMENT)
        return virDomainDefSetMetadataElement(def, metadata, key, uri);
    virDomainDefSetText(def, testMetadataElements[type], metadata);
    return 0;
}

int
testDomainSetMetadata(virConnect *conn, const virDomainRef *ref, int type, const char *metadata,
                      const char *key, const char *uri, unsigned int flags)
{
    testState *state = conn->privateData;
    virDomainDef *live, *config;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)) ||
        virDomainObjGetDefs(&dom->obj, flags, &live, &config) < 0)
        goto cleanup;
    if (type < 0 || type >= VIR_DOMAIN_METADATA_LAST) {
        virDriverReportDomainError(VIR_ERR_INVALID_ARG, "unknown metadata type '%d'", type);
        goto cleanup;
    }
    if ((live && testDomainDefSetMetadata(live, type, metadata, key, uri) < 0) ||
        (config && testDomainDefSetMetadata(config, type, metadata, key, uri) < 0))
        goto cleanup;
    testEmitMetadataChange(state, dom, type, uri);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSetUserPassword(virConnect *conn, const virDomainRef *ref,
                          const char *user G_GNUC_UNUSED, const char *password G_GNUC_UNUSED,
                          unsigned int flags)
{
    testState *state = conn->privateData;
    int ret;

    virDriverCheckFlags(flags, VIR_DOMAIN_PASSWORD_ENCRYPTED, -1);
    /* a made-up guest has no users to change */
    ret = testDomainLockActive(state, ref) ? 0 : -1;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetLaunchSecurityInfo(virConnect *conn G_GNUC_UNUSED,
                                const virDomainRef *ref G_GNUC_UNUSED,
                                virTypedParameter **params, int *nparams, unsigned int flags)
{
    /* libvirt's client always adds the typed-string flag, which libvirt's
     * test driver refuses: every real caller gets that error */
    virDriverCheckFlags(flags, 0, -1);
    *params = NULL;
    *nparams = 0;
    return 0;
}

static const char *const testLifecycleTypes[] = { "poweroff", "reboot", "crash" };

int
testDomainSetLifecycleAction(virConnect *conn, const virDomainRef *ref, unsigned int type,
                             unsigned int action, unsigned int flags)
{
    testState *state = conn->privateData;
    virDomainDef *defs[2];
    testDomain *dom;
    int ret = -1;
    size_t i;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (type >= G_N_ELEMENTS(testLifecycleTypes) ||
        action > VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "invalid lifecycle type or action");
        return -1;
    }
    /* core dumps are for crashes only */
    if (type != VIR_DOMAIN_LIFECYCLE_CRASH &&
        (action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY ||
         action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART)) {
        virDriverReportDomainError(VIR_ERR_CONFIG_UNSUPPORTED,
                                   "Lifecycle event '%s' doesn't support '%s' action",
                                   testLifecycleTypes[type],
                                   virDomainLifecycleActionToString((int)action));
        return -1;
    }
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)) ||
        virDomainObjGetDefs(&dom->obj, flags, &defs[0], &defs[1]) < 0)
        goto cleanup;
    for (i = 0; i < G_N_ELEMENTS(defs); i++) {
        if (!defs[i])
            continue;
        if (type == VIR_DOMAIN_LIFECYCLE_POWEROFF)
            defs[i]->onPoweroff = (int)action;
        else if (type == VIR_DOMAIN_LIFECYCLE_REBOOT)
            defs[i]->onReboot = (int)action;
        else
            defs[i]->onCrash = (int)action;
    }
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}
