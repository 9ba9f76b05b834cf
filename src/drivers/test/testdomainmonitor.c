/*
 * testdomainmonitor.c: the test driver's watch on its guests: perf events,
 * the balloon's statistics period, signals to the guest's processes, as
 * libvirt 9.0's test driver answers them (docs/test-driver.md).
 *
 * Locking (testdriverpriv.h): every entry takes state->lock for its whole
 * run; nothing here blocks. The values live in the definition's XML, as
 * libvirt's: <perf><event name= enabled=/></perf> and the balloon's
 * <stats period=/>.
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virdomaindef.h"
#include "virdomainobj.h"
#include "virerror.h"
#include "virpublic.h"
#include "virtypedparams.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* libvirt's perf events, in its order (the order of <perf> and of
 * virDomainGetPerfEvents). */
static const char *const testPerfEvents[] = {
    "cmt", "mbmt", "mbml", "cpu_cycles", "instructions", "cache_references",
    "cache_misses", "branch_instructions", "branch_misses", "bus_cycles",
    "stalled_cycles_frontend", "stalled_cycles_backend", "ref_cpu_cycles",
    "cpu_clock", "task_clock", "page_faults", "context_switches", "cpu_migrations",
    "page_faults_min", "page_faults_maj", "alignment_faults", "emulation_faults",
};
#define TEST_NPERF G_N_ELEMENTS(testPerfEvents)

/* libvirt's order of <memballoon>'s children */
static const char *const testMemballoonOrder[] = { "stats", "alias", "address", "driver", NULL };

/* The state of each event in def's <perf>: 0 unset, 1 enabled, -1 not. */
static void
testPerfRead(virDomainDef *def, int *state)
{
    g_autoptr(GPtrArray) events =
        virDomainXMLNodeChildren(virDomainDefTopElement(def, "perf", false), "event");
    guint i;
    size_t e;

    memset(state, 0, TEST_NPERF * sizeof(*state));
    for (i = 0; i < events->len; i++) {
        const virDomainXMLNode *ev = g_ptr_array_index(events, i);
        const char *name = virDomainXMLNodeAttr(ev, NULL, "name");
        const char *enabled = virDomainXMLNodeAttr(ev, NULL, "enabled");

        for (e = 0; name && e < TEST_NPERF; e++) {
            if (strcmp(name, testPerfEvents[e]) == 0)
                state[e] = enabled && strcmp(enabled, "yes") == 0 ? 1 : -1;
        }
    }
}

int
testDomainSetPerfEvents(virConnect *conn, const virDomainRef *ref,
                        virTypedParameter *params, int nparams, unsigned int flags)
{
    testState *state = conn->privateData;
    virTypedParamsKey keys[TEST_NPERF];
    int events[TEST_NPERF];
    testDomain *dom;
    virDomainDef *def;
    int ret = -1;
    size_t e;
    int i;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    for (e = 0; e < TEST_NPERF; e++) {
        keys[e].name = testPerfEvents[e];
        keys[e].type = VIR_TYPED_PARAM_BOOLEAN;
    }
    if (virTypedParamsValidate(params, nparams, keys, TEST_NPERF) < 0)
        return -1;
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainFromRef(state, ref)) &&
        (def = virDomainObjGetOneDef(&dom->obj, flags, NULL))) {
        virDomainXMLNode *perf = virDomainDefTopElement(def, "perf", true);

        testPerfRead(def, events);
        for (i = 0; i < nparams; i++) {
            for (e = 0; e < TEST_NPERF; e++) {
                if (strcmp(params[i].field, testPerfEvents[e]) == 0)
                    events[e] = params[i].value.b ? 1 : -1;
            }
        }
        /* written again in libvirt's order */
        virDomainXMLNodeRemoveChildren(perf, "event");
        for (e = 0; e < TEST_NPERF; e++) {
            virDomainXMLNode *ev;

            if (!events[e])
                continue;
            ev = virDomainXMLNodeAddChildOrdered(perf, "event", NULL);
            virDomainXMLNodeSetAttr(ev, "name", testPerfEvents[e]);
            virDomainXMLNodeSetAttr(ev, "enabled", events[e] > 0 ? "yes" : "no");
        }
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}


int
testDomainGetPerfEvents(virConnect *conn, const virDomainRef *ref,
                        virTypedParameter **params, int *nparams, unsigned int flags)
{
    testState *state = conn->privateData;
    virTypedParameter *par = NULL;
    int npar = 0, maxpar = 0, ret = -1;
    int events[TEST_NPERF];
    testDomain *dom;
    virDomainDef *def;
    size_t e;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_TYPED_PARAM_STRING_OKAY, -1);
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainFromRef(state, ref)) &&
        (def = virDomainObjGetOneDef(&dom->obj, flags, NULL))) {
        testPerfRead(def, events);
        for (e = 0; e < TEST_NPERF; e++)
            virTypedParamsAddBoolean(&par, &npar, &maxpar, testPerfEvents[e], events[e] > 0);
        *params = par;
        *nparams = npar;
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}


int
testDomainSetMemoryStatsPeriod(virConnect *conn, const virDomainRef *ref, int period,
                               unsigned int flags)
{
    testState *state = conn->privateData;
    g_autoptr(GPtrArray) balloons = NULL;
    virDomainXMLNode *balloon = NULL;
    testDomain *dom;
    virDomainDef *def;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)) ||
        !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    balloons = virDomainDefDevices(def, "memballoon");
    if (balloons->len > 0) {
        const char *model;

        balloon = g_ptr_array_index(balloons, 0);
        model = virDomainXMLNodeAttr(balloon, NULL, "model");
        if (model && strcmp(model, "none") == 0)
            balloon = NULL;
    }
    if (!balloon) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "No memory balloon device configured, can not set the collection period");
        goto cleanup;
    }
    if (period) {
        g_autofree char *text = g_strdup_printf("%d", period);

        virDomainXMLNodeSetAttr(virDomainXMLNodeEnsureChild(balloon, "stats",
                                                            testMemballoonOrder),
                                "period", text);
    } else {
        virDomainXMLNodeRemoveChildren(balloon, "stats");
    }
    ret = 0;

 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}


int
testDomainSendProcessSignal(virConnect *conn, const virDomainRef *ref, long long pid_value,
                            unsigned int signum, unsigned int flags)
{
    testState *state = conn->privateData;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (pid_value != 1) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "only sending a signal to pid 1 is supported");
        return -1;
    }
    if (signum >= VIR_DOMAIN_PROCESS_SIGNAL_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "signum value %d is out of range", (int)signum);
        return -1;
    }
    virNoIOMutexLock(&state->lock);
    /* the guest has no processes: nothing to do */
    if (testDomainFromRef(state, ref))
        ret = 0;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}
