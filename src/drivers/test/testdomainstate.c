/*
 * testdomainstate.c: the test driver's state changes beyond the life
 * cycle: removing a managed-save image (testsave.c writes them), NMI,
 * rename, as libvirt 9.0's test driver does them.
 *
 * Locking: every entry point takes state->lock (see testdriverpriv.h) and
 * drops it before any file I/O.
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virdomainobjlist.h"
#include "virerror.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_TEST

int
testDomainManagedSaveRemove(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    g_autofree char *path = NULL;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainFromRef(state, ref))) {
        if (dom->obj.hasManagedSave)
            path = testManagedSavePath(state, dom);
        dom->obj.hasManagedSave = false;
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    if (path)
        virFileRemove(path);    /* the image, after the lock (file I/O) */
    return ret;
}

int
testDomainInjectNMI(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainFromRef(state, ref))) {
        if (!virDomainObjIsActive(&dom->obj))
            virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        else
            ret = 0;    /* a made-up guest takes it silently */
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainRename(virConnect *conn, const virDomainRef *ref, const char *new_name,
                 unsigned int flags)
{
    testState *state = conn->privateData;
    virDomainRef *old = NULL;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto cleanup;
    if (virDomainObjIsActive(&dom->obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "cannot rename active domain");
        goto cleanup;
    }
    if (!dom->obj.def) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "cannot rename a transient domain");
        goto cleanup;
    }
    if (virDomainObjListFindByName(state->domains, new_name)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_INVALID,
                                   "domain with name '%s' already exists", new_name);
        goto cleanup;
    }
    if (strchr(new_name, '/')) {
        virReportError(VIR_ERR_XML_ERROR, "name %s cannot contain '/'", new_name);
        goto cleanup;
    }
    old = virDomainObjMakeRef(&dom->obj);
    g_free(dom->obj.def->name);
    dom->obj.def->name = g_strdup(new_name);
    testDomainNameChanged(state);
    virDomainEventRegistryDispatchLifecycle(state->events, old, VIR_DOMAIN_EVENT_UNDEFINED,
                                            VIR_DOMAIN_EVENT_UNDEFINED_RENAMED);
    testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_RENAMED);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    virDomainRefFree(old);
    return ret;
}
