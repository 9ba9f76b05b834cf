/*
 * testdomaintune.c: the test driver's tuning calls: memory (size and
 * limits), vCPUs (count, pinning, emulator pinning), IOThreads and the
 * scheduler, as libvirt 9.0's test driver answers them.
 *
 * Locking: every entry point takes state->lock for its whole run (see
 * testdriverpriv.h); nothing here blocks. Pinning lives in the
 * definition's kept <cputune> (<vcpupin>, <emulatorpin>, <iothreadpin>,
 * as libvirt formats them), so the XML and the pin info calls read the
 * same state; the IOThreads are the definition's iothreadids, their
 * polling values the domain's iothreads list (libvirt keeps those apart
 * from the definitions, in the domain object).
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "vircpumap.h"
#include "virdomaindef.h"
#include "virdomainobj.h"
#include "virerror.h"
#include "virpublic.h"
#include "virtypedparams.h"

#define VIR_FROM_THIS VIR_FROM_TEST

#define TEST_MAX_VCPUS 32

/* The domain's default map: its <vcpu cpuset>, else every host CPU. */
static virCPUMap
testDomainDefaultCPUMap(const testState *state, const virDomainDef *def)
{
    unsigned int n = testStateMaxCPUs(state), i;
    virCPUMap map;

    if (def->vcpuCpuset && virCPUMapParse(def->vcpuCpuset, n, &map))
        return map;
    map = virCPUMapNew(n);
    for (i = 0; i < n; i++)
        virCPUMapSet(&map, i);
    return map;
}

/* ---- pins: <cputune><vcpupin vcpu= cpuset=>, <emulatorpin cpuset=>,
 * <iothreadpin iothread= cpuset=> ---- */

/* The pin element called name whose attribute key is id (key NULL: the
 * first one), or NULL. */
static virDomainXMLNode *
testPinFind(virDomainDef *def, const char *name, const char *key, unsigned int id)
{
    g_autoptr(GPtrArray) pins =
        virDomainXMLNodeChildren(virDomainDefTopElement(def, "cputune", false), name);
    guint i;

    for (i = 0; pins && i < pins->len; i++) {
        const char *v = key ? virDomainXMLNodeAttr(pins->pdata[i], NULL, key) : NULL;

        if (!key || (v && g_ascii_isdigit(*v) && g_ascii_strtoull(v, NULL, 10) == id))
            return pins->pdata[i];
    }
    return NULL;
}

/* A pin's map (bits as its cpuset names them), false when there is none. */
static bool
testPinMap(virDomainDef *def, const char *name, const char *key, unsigned int id,
           virCPUMap *map)
{
    virDomainXMLNode *pin = testPinFind(def, name, key, id);
    const char *cpuset = pin ? virDomainXMLNodeAttr(pin, NULL, "cpuset") : NULL;

    return cpuset && virCPUMapParse(cpuset, 0, map);
}

/* Set a pin to the caller's map (libvirt keeps it as given, formatted as a
 * cpuset): the elements called name are written again in the order of
 * their ids' ranks (rank(def, id): a vCPU's number, an IOThread's place). */
static void
testPinSet(virDomainDef *def, const char *name, const char *key, unsigned int id,
           const unsigned char *cpumap, int cpumaplen,
           int (*rank)(const virDomainDef *def, unsigned int id))
{
    virCPUMap map = virCPUMapFromBytes(cpumap, (size_t)cpumaplen);
    g_autofree char *cpuset = virCPUMapFormat(&map);
    virDomainXMLNode *cputune = virDomainDefTopElement(def, "cputune", true);
    g_autoptr(GPtrArray) pins = NULL;
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) sets = g_ptr_array_new_with_free_func(g_free);
    guint i, j;

    g_free(map.bits);
    /* the others, by rank, with the new one in its place */
    pins = virDomainXMLNodeChildren(cputune, name);
    for (i = 0; key && i < pins->len; i++) {
        const char *v = virDomainXMLNodeAttr(pins->pdata[i], NULL, key);
        const char *c = virDomainXMLNodeAttr(pins->pdata[i], NULL, "cpuset");
        unsigned int other = v ? (unsigned int)g_ascii_strtoull(v, NULL, 10) : 0;

        if (!v || other == id)
            continue;
        for (j = 0; j < ids->len; j++) {
            if (rank(def, *(unsigned int *)ids->pdata[j]) > rank(def, other))
                break;
        }
        g_ptr_array_insert(ids, (gint)j, g_memdup2(&other, sizeof(other)));
        g_ptr_array_insert(sets, (gint)j, g_strdup(c ? c : ""));
    }
    for (j = 0; j < ids->len; j++) {
        if (rank(def, *(unsigned int *)ids->pdata[j]) > rank(def, id))
            break;
    }
    g_ptr_array_insert(ids, (gint)j, g_memdup2(&id, sizeof(id)));
    g_ptr_array_insert(sets, (gint)j, g_strdup(cpuset));
    virDomainXMLNodeRemoveChildren(cputune, name);
    for (i = 0; i < ids->len; i++) {
        virDomainXMLNode *pin = virDomainXMLNodeAddChildOrdered(cputune, name, virDomainCputuneOrder);

        if (key) {
            g_autofree char *text = g_strdup_printf("%u", *(unsigned int *)ids->pdata[i]);
            virDomainXMLNodeSetAttr(pin, key, text);
        }
        virDomainXMLNodeSetAttr(pin, "cpuset", sets->pdata[i]);
    }
}

/* Drop a pin (an IOThread deleted); <cputune> goes once empty. */
static void
testPinRemove(virDomainDef *def, const char *name, const char *key, unsigned int id)
{
    virDomainXMLNode *pin = testPinFind(def, name, key, id);

    if (!pin)
        return;
    virDomainXMLNodeRemoveChild(virDomainDefTopElement(def, "cputune", false), pin);
    virDomainDefDropEmpty(def, "cputune");
}

static int
testVcpuRank(const virDomainDef *def G_GNUC_UNUSED, unsigned int id)
{
    return (int)id;
}

static int
testIOThreadRank(const virDomainDef *def, unsigned int id)
{
    return virDomainIOThreadIDIndex(def, id);
}

/* A vCPU's map: its pin, else the default. */
static virCPUMap
testDomainVcpuCPUMap(const testState *state, virDomainDef *def, unsigned int vcpu)
{
    virCPUMap map;

    if (testPinMap(def, "vcpupin", "vcpu", vcpu, &map))
        return map;
    return testDomainDefaultCPUMap(state, def);
}

/* ---- memory ---- */

/* The domain under the lock, or NULL with an error (the lock is held
 * either way: callers unlock). */
#define TEST_LOCKED_DOMAIN(conn, ref, state, dom) \
    testState *state = (conn)->privateData; \
    testDomain *dom; \
    virNoIOMutexLock(&state->lock); \
    dom = testDomainFromRef(state, (ref))

int
testDomainSetMemoryFlags(virConnect *conn, const virDomainRef *ref, unsigned long memory,
                         unsigned int flags)
{
    virDomainDef *def;
    bool live = false;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_DOMAIN_MEM_MAXIMUM, -1);
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, &live)))
        goto cleanup;
    if (flags & VIR_DOMAIN_MEM_MAXIMUM) {
        if (live) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "cannot resize the maximum memory on an active domain");
            goto cleanup;
        }
        def->memory = memory;
        if (def->currentMemory > memory)
            def->currentMemory = memory;
    } else {
        if (memory > def->memory) {
            virReportError(VIR_ERR_INVALID_ARG, "%s", "cannot set memory higher than max memory");
            goto cleanup;
        }
        def->currentMemory = memory;
    }
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSetMemory(virConnect *conn, const virDomainRef *ref, unsigned long memory)
{
    return testDomainSetMemoryFlags(conn, ref, memory, VIR_DOMAIN_AFFECT_LIVE);
}

int
testDomainSetMaxMemory(virConnect *conn, const virDomainRef *ref, unsigned long memory)
{
    return testDomainSetMemoryFlags(conn, ref, memory, VIR_DOMAIN_MEM_MAXIMUM);
}

int
testDomainSetMemoryParameters(virConnect *conn, const virDomainRef *ref,
                              virTypedParameter *params, int nparams, unsigned int flags)
{
    static const virTypedParamsKey spec[] = {
        { VIR_DOMAIN_MEMORY_HARD_LIMIT, VIR_TYPED_PARAM_ULLONG },
        { VIR_DOMAIN_MEMORY_SOFT_LIMIT, VIR_TYPED_PARAM_ULLONG },
        { VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT, VIR_TYPED_PARAM_ULLONG },
    };
    const virTypedParameter *hard, *soft, *swap;
    virDomainDef *def;
    const virDomainDef *cur;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsValidate(params, nparams, spec, G_N_ELEMENTS(spec)) < 0)
        return -1;
    hard = virTypedParamsGet(params, nparams, VIR_DOMAIN_MEMORY_HARD_LIMIT);
    soft = virTypedParamsGet(params, nparams, VIR_DOMAIN_MEMORY_SOFT_LIMIT);
    swap = virTypedParamsGet(params, nparams, VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT);

    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    /* libvirt checks the pair against the current definition's values */
    cur = virDomainObjCurrentDef(&dom->obj);
    if ((hard || swap) &&
        (hard ? hard->value.ul : cur->hardLimit) > (swap ? swap->value.ul : cur->swapHardLimit)) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "memory hard_limit tunable value must be lower than or equal to swap_hard_limit");
        goto cleanup;
    }
    if (soft)
        def->softLimit = soft->value.ul;
    if (hard)
        def->hardLimit = hard->value.ul;
    if (swap)
        def->swapHardLimit = swap->value.ul;
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetMemoryParameters(virConnect *conn, const virDomainRef *ref,
                              virTypedParameter *params, int *nparams, unsigned int flags)
{
    virDomainDef *def;
    int ret = -1, n = 0, max = 0;
    virTypedParameter *list = NULL;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (*nparams == 0) {
        *nparams = 3;
        return 0;
    }
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    virTypedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_MEMORY_HARD_LIMIT, def->hardLimit);
    virTypedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_MEMORY_SOFT_LIMIT, def->softLimit);
    virTypedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT,
                            def->swapHardLimit);
    if (*nparams > n)
        *nparams = n;
    memcpy(params, list, sizeof(*params) * *nparams);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    g_free(list);       /* no strings: the values were copied */
    return ret;
}

/* ---- vCPUs ---- */

int
testDomainGetMaxVcpus(virConnect *conn, const virDomainRef *ref)
{
    virDomainDef *def;
    int ret = -1;

    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (dom && (def = virDomainObjGetOneDef(&dom->obj, VIR_DOMAIN_AFFECT_LIVE, NULL)))
        ret = (int)def->maxVcpus;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSetVcpusFlags(virConnect *conn, const virDomainRef *ref, unsigned int nvcpus,
                        unsigned int flags)
{
    virDomainDef *live, *config;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_DOMAIN_VCPU_MAXIMUM, -1);
    if (nvcpus > TEST_MAX_VCPUS) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "requested cpu amount exceeds maximum supported amount (%d > %d)",
                       nvcpus, TEST_MAX_VCPUS);
        return -1;
    }
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || virDomainObjGetDefs(&dom->obj, flags, &live, &config) < 0)
        goto cleanup;
    if (live && live->maxVcpus < nvcpus) {
        virReportError(VIR_ERR_INVALID_ARG, "requested cpu amount exceeds maximum (%d > %d)",
                       nvcpus, live->maxVcpus);
        goto cleanup;
    }
    if (config && !(flags & VIR_DOMAIN_VCPU_MAXIMUM) && config->maxVcpus < nvcpus) {
        virReportError(VIR_ERR_INVALID_ARG, "requested cpu amount exceeds maximum (%d > %d)",
                       nvcpus, config->maxVcpus);
        goto cleanup;
    }
    if (live)
        live->vcpus = nvcpus;
    if (config) {
        if (flags & VIR_DOMAIN_VCPU_MAXIMUM) {
            config->maxVcpus = nvcpus;
            if (config->vcpus > nvcpus)
                config->vcpus = nvcpus;
        } else {
            config->vcpus = nvcpus;
        }
    }
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSetVcpus(virConnect *conn, const virDomainRef *ref, unsigned int nvcpus)
{
    return testDomainSetVcpusFlags(conn, ref, nvcpus, VIR_DOMAIN_AFFECT_LIVE);
}

int
testDomainGetVcpus(virConnect *conn, const virDomainRef *ref, virVcpuInfo *info, int maxinfo,
                   unsigned char *cpumaps, int maplen)
{
    unsigned long long base = (unsigned long long)g_get_real_time();
    int ret = -1, i;

    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom)
        goto cleanup;
    if (!virDomainObjIsActive(&dom->obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot list vcpus for an inactive domain");
        goto cleanup;
    }
    if (maxinfo > (int)dom->obj.live->vcpus)
        maxinfo = (int)dom->obj.live->vcpus;
    memset(info, 0, sizeof(*info) * maxinfo);
    if (cpumaps)
        memset(cpumaps, 0, (size_t)maxinfo * maplen);
    for (i = 0; i < maxinfo; i++) {
        virCPUMap map = testDomainVcpuCPUMap(state, dom->obj.live, (unsigned int)i);

        if (cpumaps)
            virCPUMapToBytes(&map, cpumaps + (size_t)i * maplen, maplen);
        info[i].number = (unsigned int)i;
        info[i].state = VIR_VCPU_RUNNING;
        info[i].cpu = virCPUMapLast(&map);
        info[i].cpuTime = base / 10;   /* made up, growing */
        g_free(map.bits);
    }
    ret = maxinfo;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainPinVcpuFlags(virConnect *conn, const virDomainRef *ref, unsigned int vcpu,
                       const unsigned char *cpumap, int cpumaplen, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom)
        goto cleanup;
    if (!virDomainObjIsActive(&dom->obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "cannot pin vcpus on an inactive domain");
        goto cleanup;
    }
    if (vcpu >= dom->obj.live->vcpus) {
        virReportError(VIR_ERR_INVALID_ARG, "requested vcpu '%d' is not present in the domain",
                       vcpu);
        goto cleanup;
    }
    testPinSet(dom->obj.live, "vcpupin", "vcpu", vcpu, cpumap, cpumaplen, testVcpuRank);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainPinVcpu(virConnect *conn, const virDomainRef *ref, unsigned int vcpu,
                  const unsigned char *cpumap, int cpumaplen)
{
    return testDomainPinVcpuFlags(conn, ref, vcpu, cpumap, cpumaplen, 0);
}

int
testDomainGetVcpuPinInfo(virConnect *conn, const virDomainRef *ref, int ncpumaps,
                         unsigned char *cpumaps, int maplen, unsigned int flags)
{
    virDomainDef *def;
    int ret = -1, i;

    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    if (ncpumaps > (int)def->maxVcpus)
        ncpumaps = (int)def->maxVcpus;
    for (i = 0; i < ncpumaps; i++) {
        virCPUMap map = testDomainVcpuCPUMap(state, def, (unsigned int)i);
        virCPUMapToBytes(&map, cpumaps + (size_t)i * maplen, maplen);
        g_free(map.bits);
    }
    ret = ncpumaps;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainPinEmulator(virConnect *conn, const virDomainRef *ref, const unsigned char *cpumap,
                      int cpumaplen, unsigned int flags)
{
    virDomainDef *def;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    if (virCPUMapIsEmpty(cpumap, cpumaplen)) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Empty cpu list for pinning");
        goto cleanup;
    }
    testPinSet(def, "emulatorpin", NULL, 0, cpumap, cpumaplen, testVcpuRank);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetEmulatorPinInfo(virConnect *conn, const virDomainRef *ref,
                             unsigned char *cpumaps, int maplen, unsigned int flags)
{
    virDomainDef *def;
    virCPUMap map;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    if (!testPinMap(def, "emulatorpin", NULL, 0, &map))
        map = testDomainDefaultCPUMap(state, def);
    virCPUMapToBytes(&map, cpumaps, maplen);
    g_free(map.bits);
    ret = 1;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

/* ---- IOThreads: the definition's iothreadids (and <iothreadpin>s); their
 * polling values in dom->iothreads, which libvirt's test driver fills for
 * the domains of a node file and on every add, whichever definition it
 * goes to, and empties on delete ---- */

#define TEST_IOTHREAD_POLL_MAX_NS 32768

/* Append an IOThread's polling values (libvirt's defaults). */
void
testDomainIOThreadPollAdd(testDomain *dom, unsigned int id)
{
    testIOThreadPoll poll = { id, TEST_IOTHREAD_POLL_MAX_NS, 0, 0 };

    g_array_append_val(dom->iothreads, poll);
}

static testIOThreadPoll *
testDomainIOThreadPollFind(testDomain *dom, unsigned int id, guint *idx)
{
    guint i;

    for (i = 0; i < dom->iothreads->len; i++) {
        testIOThreadPoll *poll = &g_array_index(dom->iothreads, testIOThreadPoll, i);

        if (poll->id == id) {
            if (idx)
                *idx = i;
            return poll;
        }
    }
    return NULL;
}

/* libvirt's check of an IOThread id given to add, delete, set */
static bool
testIOThreadIDValid(unsigned int id)
{
    if (id == 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "invalid value of 0 for iothread_id");
        return false;
    }
    return true;
}

int
testDomainGetIOThreadInfo(virConnect *conn, const virDomainRef *ref,
                          virDomainIOThreadInfo ***info, unsigned int flags)
{
    virDomainIOThreadInfo **list;
    virDomainDef *def;
    int ret = -1;
    size_t i;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    list = g_new0(virDomainIOThreadInfo *, def->niothreadids + 1);
    for (i = 0; i < def->niothreadids; i++) {
        unsigned int id = def->iothreadids[i].id, b;
        virCPUMap map;
        int last;

        /* its pin, else the <vcpu cpuset>, else (libvirt's test driver)
         * as many CPUs as the definition has vCPUs */
        if (!testPinMap(def, "iothreadpin", "iothread", id, &map) &&
            !(def->vcpuCpuset && virCPUMapParse(def->vcpuCpuset, 0, &map))) {
            map = virCPUMapNew(def->vcpus);
            for (b = 0; b < def->vcpus; b++)
                virCPUMapSet(&map, b);
        }
        list[i] = g_new0(virDomainIOThreadInfo, 1);
        list[i]->iothread_id = id;
        last = virCPUMapLast(&map);
        list[i]->cpumaplen = last < 0 ? 1 : last / 8 + 1;
        list[i]->cpumap = g_new0(unsigned char, list[i]->cpumaplen);
        virCPUMapToBytes(&map, list[i]->cpumap, list[i]->cpumaplen);
        g_free(map.bits);
    }
    *info = list;
    ret = (int)def->niothreadids;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainPinIOThread(virConnect *conn, const virDomainRef *ref, unsigned int iothread_id,
                      const unsigned char *cpumap, int cpumaplen, unsigned int flags)
{
    virDomainDef *def;
    int ret = -1, idx;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    if (virCPUMapIsEmpty(cpumap, cpumaplen)) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Empty iothread cpumap list for pinning");
        goto cleanup;
    }
    if ((idx = virDomainIOThreadIDIndex(def, iothread_id)) < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "iothreadid %d not found", (int)iothread_id);
        goto cleanup;
    }
    /* a pinned IOThread is written in <iothreadids> from now on */
    def->iothreadids[idx].autofill = false;
    testPinSet(def, "iothreadpin", "iothread", iothread_id, cpumap, cpumaplen,
               testIOThreadRank);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainAddIOThread(virConnect *conn, const virDomainRef *ref, unsigned int iothread_id,
                      unsigned int flags)
{
    virDomainDef *def;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!testIOThreadIDValid(iothread_id))
        return -1;
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    if (virDomainIOThreadIDIndex(def, iothread_id) >= 0) {
        virDriverReportDomainError(VIR_ERR_INVALID_ARG,
                                   "an IOThread is already using iothread_id '%u'", iothread_id);
        goto cleanup;
    }
    virDomainIOThreadIDAdd(def, iothread_id);
    testDomainIOThreadPollAdd(dom, iothread_id);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

/* The disk (its target name in *user) or controller (*user NULL) of def
 * that runs on IOThread id; false when none does. */
static bool
testIOThreadUser(const virDomainDef *def, unsigned int id, const char **user)
{
    static const char *const kinds[] = { "disk", "controller" };
    size_t k;
    guint i;

    for (k = 0; k < G_N_ELEMENTS(kinds); k++) {
        g_autoptr(GPtrArray) devs = virDomainDefDevices(def, kinds[k]);

        for (i = 0; i < devs->len; i++) {
            const char *v = virDomainXMLNodeAttr(devs->pdata[i], "driver", "iothread");

            if (v && g_ascii_isdigit(*v) && g_ascii_strtoull(v, NULL, 10) == id) {
                *user = k == 0 ? virDomainXMLNodeAttr(devs->pdata[i], "target", "dev") : NULL;
                if (k == 0 && !*user)
                    *user = "";
                return true;
            }
        }
    }
    return false;
}

int
testDomainDelIOThread(virConnect *conn, const virDomainRef *ref, unsigned int iothread_id,
                      unsigned int flags)
{
    virDomainDef *def;
    const char *user;
    guint idx;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!testIOThreadIDValid(iothread_id))
        return -1;
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    if (virDomainIOThreadIDIndex(def, iothread_id) < 0) {
        virDriverReportDomainError(VIR_ERR_INVALID_ARG,
                                   "cannot find IOThread '%u' in iothreadids list", iothread_id);
        goto cleanup;
    }
    /* these checks are libvirt's shared ones: VIR_FROM_DOMAIN */
    if (testIOThreadUser(def, iothread_id, &user)) {
        if (user)
            virDriverReportDomainError(VIR_ERR_INVALID_ARG,
                                       "cannot remove IOThread %u since it is being used by "
                                       "disk '%s'", iothread_id, user);
        else
            virDriverReportDomainError(VIR_ERR_INVALID_ARG,
                                       "cannot remove IOThread '%u' since it is being used by "
                                       "controller", iothread_id);
        goto cleanup;
    }
    virDomainIOThreadIDDel(def, iothread_id);
    testPinRemove(def, "iothreadpin", "iothread", iothread_id);
    if (testDomainIOThreadPollFind(dom, iothread_id, &idx))
        g_array_remove_index(dom->iothreads, idx);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSetIOThreadParams(virConnect *conn, const virDomainRef *ref, unsigned int iothread_id,
                            virTypedParameter *params, int nparams, unsigned int flags)
{
    static const virTypedParamsKey spec[] = {
        { VIR_DOMAIN_IOTHREAD_POLL_MAX_NS, VIR_TYPED_PARAM_ULLONG },
        { VIR_DOMAIN_IOTHREAD_POLL_GROW, VIR_TYPED_PARAM_UINT },
        { VIR_DOMAIN_IOTHREAD_POLL_SHRINK, VIR_TYPED_PARAM_UINT },
    };
    const virTypedParameter *p;
    testIOThreadPoll *poll;
    virDomainDef *def;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE, -1);
    if (!testIOThreadIDValid(iothread_id))
        return -1;
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    if (virDomainIOThreadIDIndex(def, iothread_id) < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "cannot find IOThread '%u' in iothreadids",
                       iothread_id);
        goto cleanup;
    }
    /* libvirt fails without a word when the IOThread has no polling values
     * (one defined in the XML rather than added) */
    if (!(poll = testDomainIOThreadPollFind(dom, iothread_id, NULL)) ||
        virTypedParamsValidate(params, nparams, spec, G_N_ELEMENTS(spec)) < 0)
        goto cleanup;
    if ((p = virTypedParamsGet(params, nparams, VIR_DOMAIN_IOTHREAD_POLL_MAX_NS)))
        poll->maxNs = p->value.ul;
    if ((p = virTypedParamsGet(params, nparams, VIR_DOMAIN_IOTHREAD_POLL_GROW)))
        poll->grow = p->value.ui;
    if ((p = virTypedParamsGet(params, nparams, VIR_DOMAIN_IOTHREAD_POLL_SHRINK)))
        poll->shrink = p->value.ui;
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

/* ---- the scheduler: libvirt's test driver has a fixed "fair" one with
 * a weight of 50 that setting does not change ---- */

char *
testDomainGetSchedulerType(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref G_GNUC_UNUSED,
                           int *nparams)
{
    if (nparams)
        *nparams = 1;
    return g_strdup("fair");
}

int
testDomainGetSchedulerParametersFlags(virConnect *conn, const virDomainRef *ref,
                                      virTypedParameter *params, int *nparams, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (dom) {
        memset(&params[0], 0, sizeof(params[0]));
        g_strlcpy(params[0].field, VIR_DOMAIN_SCHEDULER_WEIGHT, sizeof(params[0].field));
        params[0].type = VIR_TYPED_PARAM_UINT;
        params[0].value.ui = 50;
        *nparams = 1;
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetSchedulerParameters(virConnect *conn, const virDomainRef *ref,
                                 virTypedParameter *params, int *nparams)
{
    return testDomainGetSchedulerParametersFlags(conn, ref, params, nparams, 0);
}

int
testDomainSetSchedulerParametersFlags(virConnect *conn, const virDomainRef *ref,
                                      virTypedParameter *params, int nparams, unsigned int flags)
{
    static const virTypedParamsKey spec[] = {
        { VIR_DOMAIN_SCHEDULER_WEIGHT, VIR_TYPED_PARAM_UINT },
    };
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (virTypedParamsValidate(params, nparams, spec, G_N_ELEMENTS(spec)) < 0)
        return -1;
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (dom)
        ret = 0;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSetSchedulerParameters(virConnect *conn, const virDomainRef *ref,
                                 virTypedParameter *params, int nparams)
{
    return testDomainSetSchedulerParametersFlags(conn, ref, params, nparams, 0);
}


/* ---- NUMA memory tuning: <numatune><memory mode= nodeset=|placement=/> ---- */

static const char *const testNumaModes[] = { "strict", "preferred", "interleave", "restrictive" };
static const char *const testNumatuneOrder[] = { "memory", "memnode", NULL };

/* The mode of def's <numatune><memory>, or -1 when none is given. */
static int
testNumaMode(virDomainDef *def)
{
    virDomainXMLNode *mem =
        virDomainXMLNodeGetChild(virDomainDefTopElement(def, "numatune", false), "memory");
    const char *mode;
    size_t i;

    if (!mem)
        return -1;
    if (!(mode = virDomainXMLNodeAttr(mem, NULL, "mode")))
        return VIR_DOMAIN_NUMATUNE_MEM_STRICT;
    for (i = 0; i < G_N_ELEMENTS(testNumaModes); i++) {
        if (strcmp(mode, testNumaModes[i]) == 0)
            return (int)i;
    }
    return VIR_DOMAIN_NUMATUNE_MEM_STRICT;
}

int
testDomainSetNumaParameters(virConnect *conn, const virDomainRef *ref,
                            virTypedParameter *params, int nparams, unsigned int flags)
{
    static const virTypedParamsKey spec[] = {
        { VIR_DOMAIN_NUMA_MODE, VIR_TYPED_PARAM_INT },
        { VIR_DOMAIN_NUMA_NODESET, VIR_TYPED_PARAM_STRING },
    };
    g_autofree char *nodeset = NULL;
    virDomainXMLNode *numatune, *mem;
    virDomainDef *def;
    bool live = false;
    int mode = -1, ret = -1;
    int i;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsValidate(params, nparams, spec, G_N_ELEMENTS(spec)) < 0)
        return -1;
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, &live)))
        goto cleanup;
    for (i = 0; i < nparams; i++) {
        if (strcmp(params[i].field, VIR_DOMAIN_NUMA_MODE) == 0) {
            mode = params[i].value.i;
            if (mode < 0 || mode >= VIR_DOMAIN_NUMATUNE_MEM_LAST) {
                virReportError(VIR_ERR_INVALID_ARG, "unsupported numatune mode: '%d'", mode);
                goto cleanup;
            }
        } else {
            virCPUMap map;
            bool ok = virCPUMapParse(params[i].value.s, 0, &map);

            g_free(nodeset);
            nodeset = ok ? virCPUMapFormat(&map) : NULL;
            g_free(map.bits);
            if (!ok) {
                /* libvirt's bitmap parser reports from no error domain */
                virErrorReportFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __FILE__, __func__,
                                   __LINE__, "Failed to parse bitmap '%s'", params[i].value.s);
                goto cleanup;
            }
            if (!*nodeset) {
                virReportError(VIR_ERR_OPERATION_INVALID, "Invalid nodeset of 'numatune': %s",
                               params[i].value.s);
                goto cleanup;
            }
        }
    }
    if (live && mode != -1 && testNumaMode(def) != -1 && testNumaMode(def) != mode) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "can't change numatune mode for running domain");
        goto cleanup;
    }
    if (mode == -1 && !nodeset) {
        ret = 0;
        goto cleanup;
    }
    numatune = virDomainDefTopElement(def, "numatune", false);
    mem = virDomainXMLNodeGetChild(numatune, "memory");
    /* a first <memory> with a mode only: libvirt's placement follows the
     * vCPUs', and a static one needs a nodeset */
    if (!mem && !nodeset && (!def->vcpuPlacement || strcmp(def->vcpuPlacement, "auto") != 0)) {
        virDriverReportDomainError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                                   "nodeset for NUMA memory tuning must be set if 'placement' "
                                   "is 'static'");
        goto cleanup;
    }
    if (!mem) {
        numatune = virDomainDefTopElement(def, "numatune", true);
        mem = virDomainXMLNodeAddChildOrdered(numatune, "memory", testNumatuneOrder);
        virDomainXMLNodeSetAttr(mem, "mode", testNumaModes[VIR_DOMAIN_NUMATUNE_MEM_STRICT]);
        if (!nodeset)
            virDomainXMLNodeSetAttr(mem, "placement", "auto");
    }
    if (mode != -1)
        virDomainXMLNodeSetAttr(mem, "mode", testNumaModes[mode]);
    if (nodeset) {
        virDomainXMLNodeSetAttr(mem, "placement", NULL);
        virDomainXMLNodeSetAttr(mem, "nodeset", nodeset);
    }
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetNumaParameters(virConnect *conn, const virDomainRef *ref,
                            virTypedParameter *params, int *nparams, unsigned int flags)
{
    virDomainDef *def;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (*nparams == 0) {
        *nparams = 2;
        return 0;
    }
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (dom && (def = virDomainObjGetOneDef(&dom->obj, flags, NULL))) {
        virDomainXMLNode *mem =
            virDomainXMLNodeGetChild(virDomainDefTopElement(def, "numatune", false), "memory");
        const char *nodeset = mem ? virDomainXMLNodeAttr(mem, NULL, "nodeset") : NULL;
        int mode = testNumaMode(def);

        memset(params, 0, *nparams * sizeof(*params));
        g_strlcpy(params[0].field, VIR_DOMAIN_NUMA_MODE, sizeof(params[0].field));
        params[0].type = VIR_TYPED_PARAM_INT;
        params[0].value.i = mode < 0 ? VIR_DOMAIN_NUMATUNE_MEM_STRICT : mode;
        if (*nparams > 1) {
            g_strlcpy(params[1].field, VIR_DOMAIN_NUMA_NODESET, sizeof(params[1].field));
            params[1].type = VIR_TYPED_PARAM_STRING;
            params[1].value.s = g_strdup(nodeset ? nodeset : "");
            *nparams = 2;
        }
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}


/* ---- interface bandwidth: <interface><bandwidth><inbound|outbound/> ---- */

/* The typed parameters, and the attribute of <inbound> (i < 4) or
 * <outbound> each is, in libvirt's order of the parameters. */
static const struct {
    const char *param;
    const char *attr;
} testBandwidthParams[] = {
    { VIR_DOMAIN_BANDWIDTH_IN_AVERAGE, "average" },
    { VIR_DOMAIN_BANDWIDTH_IN_PEAK, "peak" },
    { VIR_DOMAIN_BANDWIDTH_IN_BURST, "burst" },
    { VIR_DOMAIN_BANDWIDTH_IN_FLOOR, "floor" },
    { VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE, "average" },
    { VIR_DOMAIN_BANDWIDTH_OUT_PEAK, "peak" },
    { VIR_DOMAIN_BANDWIDTH_OUT_BURST, "burst" },
};
#define TEST_NBANDWIDTH G_N_ELEMENTS(testBandwidthParams)
#define TEST_BANDWIDTH_IS_IN(i) ((i) < 4)

/* libvirt's order of <interface>'s children (and of a rate's attributes) */
static const char *const testInterfaceOrder[] = {
    "mac", "source", "vlan", "virtualport", "bandwidth", "port", "ip", "route",
    "portForward", "script", "downscript", "backenddomain", "target", "guest", "model",
    "driver", "backend", "filterref", "tune", "teaming", "link", "mtu", "coalesce", "boot",
    "rom", "alias", "address", "acpi", NULL
};
static const char *const testBandwidthOrder[] = { "inbound", "outbound", NULL };
static const char *const testRateAttrOrder[] = { "average", "peak", "floor", "burst" };

/* Write one direction: values of the rate's attributes by testRateAttrOrder
 * (0: absent); no average nor floor removes the element (libvirt needs one). */
static void
testBandwidthSetRate(virDomainXMLNode *bw, const char *name, const unsigned long long *v)
{
    virDomainXMLNode *rate;
    size_t i;

    virDomainXMLNodeRemoveChildren(bw, name);
    if (!v[0] && !v[2])
        return;
    rate = virDomainXMLNodeAddChildOrdered(bw, name, testBandwidthOrder);
    for (i = 0; i < G_N_ELEMENTS(testRateAttrOrder); i++) {
        g_autofree char *text = g_strdup_printf("%llu", v[i]);

        if (v[i])
            virDomainXMLNodeSetAttr(rate, testRateAttrOrder[i], text);
    }
}

/* The index of attr in testRateAttrOrder. */
static size_t
testRateAttrIndex(const char *attr)
{
    size_t i = 0;

    while (strcmp(testRateAttrOrder[i], attr) != 0)
        i++;
    return i;
}

int
testDomainSetInterfaceParameters(virConnect *conn, const virDomainRef *ref, const char *device,
                                 virTypedParameter *params, int nparams, unsigned int flags)
{
    virTypedParamsKey spec[TEST_NBANDWIDTH];
    unsigned long long in[4] = { 0 }, out[4] = { 0 };
    bool inGiven = false, outGiven = false;
    virDomainXMLNode *net, *bw;
    virDomainDef *def;
    int ret = -1;
    size_t k;
    int i;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    for (k = 0; k < TEST_NBANDWIDTH; k++) {
        spec[k].name = testBandwidthParams[k].param;
        spec[k].type = VIR_TYPED_PARAM_UINT;
    }
    if (virTypedParamsValidate(params, nparams, spec, TEST_NBANDWIDTH) < 0)
        return -1;
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)) ||
        !(net = testDomainFindNet(def, device)))
        goto cleanup;
    for (i = 0; i < nparams; i++) {
        for (k = 0; k < TEST_NBANDWIDTH; k++) {
            const char *attr = testBandwidthParams[k].attr;

            if (strcmp(params[i].field, testBandwidthParams[k].param) != 0)
                continue;
            (TEST_BANDWIDTH_IS_IN(k) ? in : out)[testRateAttrIndex(attr)] = params[i].value.ui;
            /* an average (or floor) given, even 0, replaces that direction */
            if (strcmp(attr, "average") == 0 || strcmp(attr, "floor") == 0)
                *(TEST_BANDWIDTH_IS_IN(k) ? &inGiven : &outGiven) = true;
        }
    }
    bw = virDomainXMLNodeGetChild(net, "bandwidth");
    if (!bw)
        bw = virDomainXMLNodeAddChildOrdered(net, "bandwidth", testInterfaceOrder);
    if (inGiven || in[0] || in[2])
        testBandwidthSetRate(bw, "inbound", in);
    if (outGiven || out[0])
        testBandwidthSetRate(bw, "outbound", out);
    /* ours: an empty <bandwidth> goes (libvirt writes it open and empty) */
    if (!virDomainXMLNodeHasElements(bw))
        virDomainXMLNodeRemoveChildren(net, "bandwidth");
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetInterfaceParameters(virConnect *conn, const virDomainRef *ref, const char *device,
                                 virTypedParameter *params, int *nparams, unsigned int flags)
{
    virDomainXMLNode *net;
    virDomainDef *def;
    int ret = -1;
    size_t k;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (*nparams == 0) {
        *nparams = TEST_NBANDWIDTH;
        return 0;
    }
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)) ||
        !(net = testDomainFindNet(def, device)))
        goto cleanup;
    if (*nparams > (int)TEST_NBANDWIDTH)
        *nparams = TEST_NBANDWIDTH;
    for (k = 0; k < (size_t)*nparams; k++) {
        virDomainXMLNode *rate = virDomainXMLNodeGetChild(
            virDomainXMLNodeGetChild(net, "bandwidth"),
            TEST_BANDWIDTH_IS_IN(k) ? "inbound" : "outbound");
        const char *v = rate ? virDomainXMLNodeAttr(rate, NULL, testBandwidthParams[k].attr) : NULL;

        memset(&params[k], 0, sizeof(params[k]));
        g_strlcpy(params[k].field, testBandwidthParams[k].param, sizeof(params[k].field));
        params[k].type = VIR_TYPED_PARAM_UINT;
        params[k].value.ui = v ? (unsigned int)g_ascii_strtoull(v, NULL, 10) : 0;
    }
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}
