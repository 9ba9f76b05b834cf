/*
 * testdomaintune.c: the test driver's tuning calls: memory (size and
 * limits), vCPUs (count, pinning, emulator pinning) and the scheduler, as
 * libvirt 9.0's test driver answers them.
 *
 * Locking: every entry point takes state->lock for its whole run (see
 * testdriverpriv.h); nothing here blocks. Values libvirt keeps in the
 * definition that ours do not model (memory limits, pinning) live in the
 * domain's testDomainTune of that definition.
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

#define TEST_MAX_VCPUS 32

void
testDomainTuneInit(testDomainTune *tune)
{
    memset(tune, 0, sizeof(*tune));
}

void
testDomainTuneClear(testDomainTune *tune)
{
    if (tune->emulatorPin)
        g_bytes_unref(tune->emulatorPin);
    if (tune->vcpuPins)
        g_ptr_array_unref(tune->vcpuPins);
    testDomainTuneInit(tune);
}

static void
testBytesUnref(gpointer b)
{
    if (b)
        g_bytes_unref(b);
}

void
testDomainTuneCopy(testDomainTune *dst, const testDomainTune *src)
{
    guint i;

    testDomainTuneClear(dst);
    if (src->emulatorPin)
        dst->emulatorPin = g_bytes_ref(src->emulatorPin);
    if (src->vcpuPins) {
        dst->vcpuPins = g_ptr_array_new_with_free_func(testBytesUnref);
        for (i = 0; i < src->vcpuPins->len; i++) {
            GBytes *b = g_ptr_array_index(src->vcpuPins, i);
            g_ptr_array_add(dst->vcpuPins, b ? g_bytes_ref(b) : NULL);
        }
    }
}

testDomainTune *
testDomainTuneOf(testDomain *dom, const virDomainDef *def)
{
    return def == dom->obj.live ? &dom->liveTune : &dom->tune;
}

/* ---- CPU maps ---- */

/* A map of the node's CPUs: bit i set for host CPU i. */
typedef struct {
    guint8 *bits;
    unsigned int nbits;
} testCPUMap;

static testCPUMap
testCPUMapNew(unsigned int nbits)
{
    testCPUMap map = { g_new0(guint8, (nbits + 7) / 8 + 1), nbits };
    return map;
}

static void
testCPUMapSet(testCPUMap *map, unsigned int bit)
{
    if (bit < map->nbits)
        map->bits[bit / 8] |= 1u << (bit % 8);
}

static bool
testCPUMapIsSet(const testCPUMap *map, unsigned int bit)
{
    return bit < map->nbits && (map->bits[bit / 8] & (1u << (bit % 8)));
}

static int
testCPUMapLast(const testCPUMap *map)
{
    int i;

    for (i = (int)map->nbits - 1; i >= 0; i--) {
        if (testCPUMapIsSet(map, (unsigned int)i))
            return i;
    }
    return -1;
}

/* From a caller's map of len bytes (libvirt: virBitmapNewData). */
static testCPUMap
testCPUMapFromBytes(const guint8 *data, size_t len)
{
    testCPUMap map = testCPUMapNew((unsigned int)len * 8);

    memcpy(map.bits, data, len);
    return map;
}

/* A cpuset string ("0-3,^2,6"), with nbits bits; false when malformed. */
static bool
testCPUMapParse(const char *str, unsigned int nbits, testCPUMap *out)
{
    g_auto(GStrv) parts = g_strsplit(str, ",", -1);
    size_t i;

    *out = testCPUMapNew(nbits);
    for (i = 0; parts[i]; i++) {
        char *p = g_strstrip(parts[i]);
        bool neg = *p == '^';
        char *end = NULL;
        guint64 a, b;

        if (neg)
            p++;
        a = g_ascii_strtoull(p, &end, 10);
        if (end == p)
            return false;
        b = a;
        if (*end == '-' && !neg) {
            p = end + 1;
            b = g_ascii_strtoull(p, &end, 10);
            if (end == p || b < a)
                return false;
        }
        if (*end)
            return false;
        for (; a <= b && a < nbits; a++) {
            if (neg)
                out->bits[a / 8] &= ~(1u << (a % 8));
            else
                testCPUMapSet(out, (unsigned int)a);
        }
    }
    return true;
}

/* The domain's default map: its <vcpu cpuset>, else every host CPU. */
static testCPUMap
testDomainDefaultCPUMap(const testState *state, const virDomainDef *def)
{
    unsigned int n = testStateMaxCPUs(state), i;
    testCPUMap map;

    if (def->vcpuCpuset && testCPUMapParse(def->vcpuCpuset, n, &map))
        return map;
    map = testCPUMapNew(n);
    for (i = 0; i < n; i++)
        testCPUMapSet(&map, i);
    return map;
}

/* A vCPU's map: its pin, else the default. */
static testCPUMap
testDomainVcpuCPUMap(const testState *state, testDomain *dom, const virDomainDef *def,
                     unsigned int vcpu)
{
    testDomainTune *tune = testDomainTuneOf(dom, def);
    GBytes *pin = tune->vcpuPins && vcpu < tune->vcpuPins->len ?
        g_ptr_array_index(tune->vcpuPins, vcpu) : NULL;

    if (pin) {
        gsize len;
        const guint8 *data = g_bytes_get_data(pin, &len);
        return testCPUMapFromBytes(data, len);
    }
    return testDomainDefaultCPUMap(state, def);
}

/* Copy a map into a caller's maplen bytes (libvirt: virBitmapToDataBuf). */
static void
testCPUMapToBytes(const testCPUMap *map, unsigned char *buf, int maplen)
{
    unsigned int i;

    memset(buf, 0, maplen);
    for (i = 0; i < map->nbits && i < (unsigned int)maplen * 8; i++) {
        if (testCPUMapIsSet(map, i))
            buf[i / 8] |= 1u << (i % 8);
    }
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
        testCPUMap map = testDomainVcpuCPUMap(state, dom, dom->obj.live, (unsigned int)i);

        if (cpumaps)
            testCPUMapToBytes(&map, cpumaps + (size_t)i * maplen, maplen);
        info[i].number = (unsigned int)i;
        info[i].state = VIR_VCPU_RUNNING;
        info[i].cpu = testCPUMapLast(&map);
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
    testDomainTune *tune;
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
    tune = &dom->liveTune;
    if (!tune->vcpuPins)
        tune->vcpuPins = g_ptr_array_new_with_free_func(testBytesUnref);
    while (tune->vcpuPins->len <= vcpu)
        g_ptr_array_add(tune->vcpuPins, NULL);
    testBytesUnref(g_ptr_array_index(tune->vcpuPins, vcpu));
    g_ptr_array_index(tune->vcpuPins, vcpu) = g_bytes_new(cpumap, cpumaplen);
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
        testCPUMap map = testDomainVcpuCPUMap(state, dom, def, (unsigned int)i);
        testCPUMapToBytes(&map, cpumaps + (size_t)i * maplen, maplen);
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
    testDomainTune *tune;
    bool empty = true;
    int ret = -1, i;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    for (i = 0; i < cpumaplen && empty; i++)
        empty = cpumap[i] == 0;
    if (empty) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Empty cpu list for pinning");
        goto cleanup;
    }
    tune = testDomainTuneOf(dom, def);
    testBytesUnref(tune->emulatorPin);
    tune->emulatorPin = g_bytes_new(cpumap, cpumaplen);
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
    testCPUMap map;
    testDomainTune *tune;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    TEST_LOCKED_DOMAIN(conn, ref, state, dom);
    if (!dom || !(def = virDomainObjGetOneDef(&dom->obj, flags, NULL)))
        goto cleanup;
    tune = testDomainTuneOf(dom, def);
    if (tune->emulatorPin) {
        gsize len;
        const guint8 *data = g_bytes_get_data(tune->emulatorPin, &len);
        map = testCPUMapFromBytes(data, len);
    } else {
        map = testDomainDefaultCPUMap(state, def);
    }
    testCPUMapToBytes(&map, cpumaps, maplen);
    g_free(map.bits);
    ret = 1;
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
