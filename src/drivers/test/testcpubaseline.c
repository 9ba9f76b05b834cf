/*
 * testcpubaseline.c: virConnectBaselineCPU as libvirt 9.0's test driver
 * answers it (docs/test-driver.md): the host CPU definitions are parsed,
 * the first one's architecture picks the family, and the result is the
 * guest CPU all of them can run.
 *
 * x86 works on feature bitmaps: every feature of libvirt's x86 CPU map is
 * one CPUID/MSR bit, so a set of features is a set of bits. The baseline
 * is the intersection of the CPUs' models and features; the model chosen
 * to describe it is the one that needs the fewest extra features, disabled
 * ones costing more (libvirt's scoring, quirks included). ppc64 needs the
 * same model everywhere; arm answers the first CPU's model; s390 has no
 * baseline. The map is data (cpumap.list, cpumodels.list: headers made by
 * generators/vnlists.py); its tables are built once, on first use.
 *
 * Locking: none besides the one-time table build (g_once); the call works
 * on its own data.
 */
#include <string.h>
#include <glib.h>
#include <libxml/tree.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virerror.h"
#include "virdomaindef.h"
#include "virxmltree.h"
#include "testcpumodels.h"
#include "testcpumap.h"

#define VIR_FROM_THIS VIR_FROM_CPU

#define TEST_CPU_NFEATURES (G_N_ELEMENTS(x86Features) - 1)
#define TEST_CPU_WORDS ((TEST_CPU_NFEATURES + 63) / 64)

/* A set of x86 features: bit i is x86Features[i]. */
typedef struct {
    guint64 w[TEST_CPU_WORDS];
} testCPUBits;

typedef struct {
    const char *name;
    int vendor;                 /* index in x86Vendors, -1: none */
    bool guest;                 /* may describe a guest CPU */
    testCPUBits bits;
    const char *const *removed; /* disabled in a guest CPU of this model */
} testCPUModel;

static testCPUModel testCPUModels[G_N_ELEMENTS(x86ModelFeatures) - 1];

/* A host CPU definition as parsed (libvirt's virCPUDef, type host). */
typedef struct {
    char *arch;
    char *model;
    char *vendor;
    GPtrArray *features;        /* char *, in input order */
} testHostCPU;

/* A feature of the result: a name from the map and its policy. */
typedef struct {
    const char *name;
    bool disable;
} testCPUFeature;

static void
testHostCPUFree(testHostCPU *cpu)
{
    if (!cpu)
        return;
    g_free(cpu->arch);
    g_free(cpu->model);
    g_free(cpu->vendor);
    if (cpu->features)
        g_ptr_array_unref(cpu->features);
    g_free(cpu);
}

static int
testCPUFind(const char *const *list, const char *name)
{
    for (int i = 0; list[i]; i++) {
        if (strcmp(list[i], name) == 0)
            return i;
    }
    return -1;
}

static const char *const *
testCPUEntry(const vnListEntry *table, const char *key)
{
    for (; table->key; table++) {
        if (strcmp(table->key, key) == 0)
            return table->words;
    }
    return NULL;
}

static void
testCPUBitsSet(testCPUBits *bits, int i)
{
    bits->w[i / 64] |= G_GUINT64_CONSTANT(1) << (i % 64);
}

static bool
testCPUBitsHas(const testCPUBits *bits, int i)
{
    return (bits->w[i / 64] >> (i % 64)) & 1;
}

static gpointer
testCPUModelsBuild(gpointer unused G_GNUC_UNUSED)
{
    for (size_t i = 0; x86ModelFeatures[i].key; i++) {
        testCPUModel *m = &testCPUModels[i];
        const char *const *vendor;

        m->name = x86ModelFeatures[i].key;
        vendor = testCPUEntry(x86ModelVendor, m->name);
        m->vendor = vendor ? testCPUFind(x86Vendors, vendor[0]) : -1;
        m->guest = testCPUFind(x86NoGuestModels, m->name) < 0;
        m->removed = testCPUEntry(x86ModelRemoved, m->name);
        for (const char *const *f = x86ModelFeatures[i].words; *f; f++)
            testCPUBitsSet(&m->bits, testCPUFind(x86Features, *f));
    }
    return NULL;
}

static const testCPUModel *
testCPUModelFind(const char *name)
{
    static GOnce once = G_ONCE_INIT;

    g_once(&once, testCPUModelsBuild, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(testCPUModels); i++) {
        if (strcmp(testCPUModels[i].name, name) == 0)
            return &testCPUModels[i];
    }
    return NULL;
}

/* ---- parsing (libvirt's virCPUDefParseXML for a host CPU) ---- */

static char *
testCPUProp(xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    char *ret = g_strdup((const char *)v);

    xmlFree(v);
    return ret;
}

/* The first child element called name, or NULL. */
static xmlNodePtr
testCPUChild(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    }
    return NULL;
}

/* XPath's string(./name[1]): NULL when absent or empty, as libvirt's
 * virXPathString. */
static char *
testCPUChildText(xmlNodePtr node, const char *name)
{
    xmlNodePtr c = testCPUChild(node, name);
    xmlChar *v;
    char *ret = NULL;

    if (!c)
        return NULL;
    v = xmlNodeGetContent(c);
    if (v && *v)
        ret = g_strdup((const char *)v);
    xmlFree(v);
    return ret;
}

/* libvirt's virXMLPropUInt (base 10) on an element of the CPU. */
static int
testCPUPropUInt(xmlNodePtr node, const char *name, bool required, bool nonzero)
{
    g_autofree char *text = testCPUProp(node, name);
    char *end = NULL;
    guint64 v;

    if (!text) {
        if (!required)
            return 0;
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "Missing required attribute '%s' in element '%s'", name,
                           (const char *)node->name);
        return -1;
    }
    errno = 0;
    v = g_ascii_strtoull(text, &end, 10);
    if (errno || end == text || *end || strchr(text, '-') || v > G_MAXUINT) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value", name,
                           (const char *)node->name, text);
        return -1;
    }
    if (nonzero && v == 0) {
        virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                           "Invalid value for attribute '%s' in element '%s': "
                           "Zero is not permitted", name, (const char *)node->name);
        return -1;
    }
    return 0;
}

static bool
testCPUArchKnown(const char *arch)
{
    const char *const *const lists[] = { x86Archs, ppc64Archs, armArchs, s390Archs, otherArchs };

    for (size_t i = 0; i < G_N_ELEMENTS(lists); i++) {
        if (testCPUFind(lists[i], arch) >= 0)
            return true;
    }
    return false;
}

static testHostCPU *
testHostCPUParseRoot(xmlNodePtr root)
{
    xmlNodePtr node;
    g_autofree char *migratable = NULL;
    testHostCPU *cpu;

    if (strcmp((const char *)root->name, "cpu") != 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "XML does not contain expected 'cpu' element");
        return NULL;
    }
    if (xmlHasProp(root, (const xmlChar *)"mode")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "Attribute mode is only allowed for guest CPU");
        return NULL;
    }
    if ((migratable = testCPUProp(root, "migratable"))) {
        if (strcmp(migratable, "on") != 0 && strcmp(migratable, "off") != 0)
            virErrorReportFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                               "Invalid value for attribute 'migratable' in element 'cpu': "
                               "'%s'.", migratable);
        else
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "Attribute migratable is only allowed for 'host-passthrough' / "
                           "'maximum' CPU mode");
        return NULL;
    }

    cpu = g_new0(testHostCPU, 1);
    cpu->features = g_ptr_array_new_with_free_func(g_free);
    if (!(cpu->arch = testCPUChildText(root, "arch"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "Missing CPU architecture");
        goto error;
    }
    if (!testCPUArchKnown(cpu->arch)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Unknown architecture %s", cpu->arch);
        goto error;
    }
    if ((node = testCPUChild(root, "signature")) &&
        (testCPUPropUInt(node, "family", true, true) < 0 ||
         testCPUPropUInt(node, "model", true, false) < 0 ||
         testCPUPropUInt(node, "stepping", true, false) < 0))
        goto error;
    if (!(cpu->model = testCPUChildText(root, "model"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "Missing CPU model name");
        goto error;
    }
    cpu->vendor = testCPUChildText(root, "vendor");
    if ((node = testCPUChild(root, "topology")) &&
        (testCPUPropUInt(node, "sockets", true, true) < 0 ||
         testCPUPropUInt(node, "dies", false, true) < 0 ||
         testCPUPropUInt(node, "cores", true, true) < 0 ||
         testCPUPropUInt(node, "threads", true, true) < 0))
        goto error;
    for (node = root->children; node; node = node->next) {
        char *name;

        if (node->type != XML_ELEMENT_NODE || strcmp((const char *)node->name, "feature") != 0)
            continue;
        /* a host CPU's feature policies are ignored */
        name = testCPUProp(node, "name");
        if (!name || !*name) {
            g_free(name);
            virReportError(VIR_ERR_XML_ERROR, "%s", "Invalid CPU feature name");
            goto error;
        }
        for (guint i = 0; i < cpu->features->len; i++) {
            if (strcmp(cpu->features->pdata[i], name) == 0) {
                virReportError(VIR_ERR_XML_ERROR, "CPU feature '%s' specified more than once",
                               name);
                g_free(name);
                goto error;
            }
        }
        g_ptr_array_add(cpu->features, name);
    }
    return cpu;

 error:
    testHostCPUFree(cpu);
    return NULL;
}

static testHostCPU *
testHostCPUParse(const char *xml)
{
    xmlDocPtr doc;
    testHostCPU *cpu;

    if (!(doc = virDomainXMLParseString(xml, "(CPU_definition)", NULL, VIR_FROM_CPU)))
        return NULL;
    cpu = testHostCPUParseRoot(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return cpu;
}

/* ---- x86 ---- */

/* A CPU's features (its model's and its own) as bits; *model its model. */
static int
testCPUx86FromHost(const testHostCPU *cpu, testCPUBits *bits, const testCPUModel **model)
{
    if (!(*model = testCPUModelFind(cpu->model))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unknown CPU model %s", cpu->model);
        return -1;
    }
    *bits = (*model)->bits;
    for (guint i = 0; i < cpu->features->len; i++) {
        int f = testCPUFind(x86Features, cpu->features->pdata[i]);

        if (f < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "Unknown CPU feature %s",
                           (const char *)cpu->features->pdata[i]);
            return -1;
        }
        testCPUBitsSet(bits, f);
    }
    return 0;
}

static bool
testCPUFeatureHas(GArray *features, const char *name)
{
    for (guint i = 0; i < features->len; i++) {
        if (strcmp(g_array_index(features, testCPUFeature, i).name, name) == 0)
            return true;
    }
    return false;
}

static void
testCPUFeatureAdd(GArray *features, const char *name, bool disable)
{
    testCPUFeature f = { name, disable };

    g_array_append_val(features, f);
}

/* The model's removed features, disabled unless listed already. */
static void
testCPUAddRemoved(GArray *features, const testCPUModel *model)
{
    for (const char *const *r = model->removed; r && *r; r++) {
        if (!testCPUFeatureHas(features, *r))
            testCPUFeatureAdd(features, *r, true);
    }
}

/* data described by model: the features it lacks (required), the ones
 * data lacks (disabled), then its removed features. */
static GArray *
testCPUx86Describe(const testCPUBits *data, const testCPUModel *model)
{
    GArray *features = g_array_new(FALSE, FALSE, sizeof(testCPUFeature));

    for (size_t i = 0; i < TEST_CPU_NFEATURES; i++) {
        if (testCPUBitsHas(data, i) && !testCPUBitsHas(&model->bits, i))
            testCPUFeatureAdd(features, x86Features[i], false);
    }
    for (size_t i = 0; i < TEST_CPU_NFEATURES; i++) {
        if (!testCPUBitsHas(data, i) && testCPUBitsHas(&model->bits, i))
            testCPUFeatureAdd(features, x86Features[i], true);
    }
    testCPUAddRemoved(features, model);
    return features;
}

/* libvirt's cost of a description: features, each disabled one costing
 * 2, 3, 4, ... instead of 1. Its loop stops at the shrinking count of
 * enabled ones, so trailing disabled features may go uncounted: kept, the
 * choice of model depends on it. */
static size_t
testCPUx86Cost(GArray *features, size_t *disabled)
{
    size_t enabled = features->len;
    size_t penalty = 2;

    *disabled = 0;
    for (size_t i = 0; i < enabled; i++) {
        if (g_array_index(features, testCPUFeature, i).disable) {
            enabled--;
            *disabled += penalty++;
        }
    }
    return enabled + *disabled;
}

/* The model describing data best (libvirt's x86Decode for a guest CPU
 * without signature): newest first, a lone preferred model wins outright,
 * otherwise the lowest cost. */
static const testCPUModel *
testCPUx86Decode(const testCPUBits *data, int vendor, const char *const *preferred,
                 GArray **features)
{
    const testCPUModel *best = NULL;
    size_t npreferred = g_strv_length((char **)preferred);

    *features = NULL;
    for (size_t i = G_N_ELEMENTS(testCPUModels); i-- > 0;) {
        const testCPUModel *cand = &testCPUModels[i];
        g_autoptr(GArray) candFeatures = NULL;
        bool isPreferred;
        size_t cost, disabled, bestCost, bestDisabled;

        if (vendor >= 0 && cand->vendor >= 0 && vendor != cand->vendor)
            continue;
        if (!cand->guest)
            continue;
        candFeatures = testCPUx86Describe(data, cand);
        isPreferred = testCPUFind(preferred, cand->name) >= 0;
        if (isPreferred && npreferred == 1) {
            g_clear_pointer(features, g_array_unref);
            *features = g_steal_pointer(&candFeatures);
            return cand;
        }
        if (best) {
            cost = testCPUx86Cost(candFeatures, &disabled);
            bestCost = testCPUx86Cost(*features, &bestDisabled);
            if (!(cost < bestCost || (cost == bestCost && disabled < bestDisabled) ||
                  (isPreferred && disabled < bestDisabled)))
                continue;
        }
        g_clear_pointer(features, g_array_unref);
        *features = g_steal_pointer(&candFeatures);
        best = cand;
    }
    if (!best)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "Cannot find suitable CPU model for given data");
    return best;
}

static int
testCPUVendorCheck(const char *const *vendors, int *vendor, const char *name)
{
    if (*vendor < 0) {
        if ((*vendor = testCPUFind(vendors, name)) < 0) {
            virReportError(VIR_ERR_OPERATION_FAILED, "Unknown CPU vendor %s", name);
            return -1;
        }
    } else if (strcmp(vendors[*vendor], name) != 0) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "CPU vendors do not match");
        return -1;
    }
    return 0;
}

static int
testCompareFeatureNames(gconstpointer a, gconstpointer b)
{
    return strcmp(((const testCPUFeature *)a)->name, ((const testCPUFeature *)b)->name);
}

/* libvirt's x86 feature expansion of a guest CPU: every feature of its
 * model required, its own policies over them, its removed ones disabled. */
static GArray *
testCPUx86Expand(const testCPUModel *model, GArray *own)
{
    GArray *features = g_array_new(FALSE, FALSE, sizeof(testCPUFeature));

    for (size_t i = 0; i < TEST_CPU_NFEATURES; i++) {
        if (testCPUBitsHas(&model->bits, i))
            testCPUFeatureAdd(features, x86Features[i], false);
    }
    for (guint i = 0; i < own->len; i++) {
        testCPUFeature *f = &g_array_index(own, testCPUFeature, i);
        guint j;

        for (j = 0; j < features->len; j++) {
            if (strcmp(g_array_index(features, testCPUFeature, j).name, f->name) == 0) {
                g_array_index(features, testCPUFeature, j).disable = f->disable;
                break;
            }
        }
        if (j == features->len)
            testCPUFeatureAdd(features, f->name, f->disable);
    }
    testCPUAddRemoved(features, model);
    return features;
}

/* The guest CPU as libvirt formats it. */
static char *
testCPUFormat(const char *model, bool forbid, const char *vendor, GArray *features)
{
    g_autoptr(virXMLTree) cpu = virXMLTreeNew("cpu");
    virXMLTree *elem;

    virXMLTreeSetAttr(cpu, "mode", "custom");
    virXMLTreeSetAttr(cpu, "match", "exact");
    elem = virXMLTreeSetChildText(cpu, "model", model);
    virXMLTreeSetAttr(elem, "fallback", forbid ? "forbid" : "allow");
    if (vendor)
        virXMLTreeSetChildText(cpu, "vendor", vendor);
    for (guint i = 0; features && i < features->len; i++) {
        testCPUFeature *f = &g_array_index(features, testCPUFeature, i);

        elem = virXMLTreeAddChild(cpu, virXMLTreeNew("feature"), -1);
        virXMLTreeSetAttr(elem, "policy", f->disable ? "disable" : "require");
        virXMLTreeSetAttr(elem, "name", f->name);
    }
    return virXMLTreeFormat(cpu);
}

static char *
testCPUx86Baseline(testHostCPU **cpus, unsigned int ncpus, bool expand)
{
    const testCPUModel *model;
    testCPUBits base;
    int vendor = -1;
    bool outputVendor = true;
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autoptr(GArray) features = NULL;
    bool empty = true;

    if (testCPUx86FromHost(cpus[0], &base, &model) < 0)
        return NULL;
    if (!cpus[0]->vendor)
        outputVendor = false;
    else if (testCPUVendorCheck(x86Vendors, &vendor, cpus[0]->vendor) < 0)
        return NULL;
    /* the distinct models, NULL-terminated */
    g_ptr_array_add(names, cpus[0]->model);
    g_ptr_array_add(names, NULL);
    for (unsigned int i = 1; i < ncpus; i++) {
        testCPUBits bits;
        const char *vn;

        if (testCPUFind((const char *const *)names->pdata, cpus[i]->model) < 0)
            g_ptr_array_insert(names, names->len - 1, cpus[i]->model);
        if (testCPUx86FromHost(cpus[i], &bits, &model) < 0)
            return NULL;
        if (cpus[i]->vendor && model->vendor >= 0 &&
            strcmp(cpus[i]->vendor, x86Vendors[model->vendor]) != 0) {
            virReportError(VIR_ERR_OPERATION_FAILED, "CPU vendor %s of model %s differs from "
                           "vendor %s", x86Vendors[model->vendor], model->name, cpus[i]->vendor);
            return NULL;
        }
        vn = cpus[i]->vendor;
        if (!vn) {
            outputVendor = false;
            vn = model->vendor >= 0 ? x86Vendors[model->vendor] : NULL;
        }
        if (vn && testCPUVendorCheck(x86Vendors, &vendor, vn) < 0)
            return NULL;
        for (size_t w = 0; w < TEST_CPU_WORDS; w++)
            base.w[w] &= bits.w[w];
    }
    for (size_t w = 0; w < TEST_CPU_WORDS; w++)
        empty = empty && !base.w[w];
    if (empty) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "CPUs are incompatible");
        return NULL;
    }
    if (!(model = testCPUx86Decode(&base, vendor, (const char *const *)names->pdata,
                                   &features)))
        return NULL;
    if (expand) {
        GArray *expanded = testCPUx86Expand(model, features);

        g_array_unref(features);
        features = expanded;
        g_array_sort(features, testCompareFeatureNames);
    }
    return testCPUFormat(model->name, names->len == 2 && strcmp(model->name, names->pdata[0]) == 0,
                         outputVendor && vendor >= 0 ? x86Vendors[vendor] : NULL, features);
}

/* ---- ppc64, arm ---- */

static char *
testCPUppc64Baseline(testHostCPU **cpus, unsigned int ncpus)
{
    const char *const *modelVendor;
    int vendor = -1;

    if (testCPUFind(ppc64Models, cpus[0]->model) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unknown CPU model %s", cpus[0]->model);
        return NULL;
    }
    modelVendor = testCPUEntry(ppc64ModelVendor, cpus[0]->model);
    for (unsigned int i = 0; i < ncpus; i++) {
        int vnd;

        if (strcmp(cpus[i]->model, cpus[0]->model) != 0) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s", "CPUs are incompatible");
            return NULL;
        }
        if (!cpus[i]->vendor)
            continue;
        if ((vnd = testCPUFind(ppc64Vendors, cpus[i]->vendor)) < 0) {
            virReportError(VIR_ERR_OPERATION_FAILED, "Unknown CPU vendor %s", cpus[i]->vendor);
            return NULL;
        }
        if (modelVendor) {
            if (strcmp(modelVendor[0], ppc64Vendors[vnd]) != 0) {
                virReportError(VIR_ERR_OPERATION_FAILED, "CPU vendor %s of model %s differs "
                               "from vendor %s", modelVendor[0], cpus[0]->model,
                               ppc64Vendors[vnd]);
                return NULL;
            }
        } else if (testCPUVendorCheck(ppc64Vendors, &vendor, cpus[i]->vendor) < 0) {
            return NULL;
        }
    }
    return testCPUFormat(cpus[0]->model, true, vendor >= 0 ? ppc64Vendors[vendor] : NULL,
                         NULL);
}

static char *
testCPUBaseline(testHostCPU **cpus, unsigned int ncpus, bool expand)
{
    const char *arch = cpus[0]->arch;

    if (testCPUFind(x86Archs, arch) >= 0)
        return testCPUx86Baseline(cpus, ncpus, expand);
    if (testCPUFind(ppc64Archs, arch) >= 0)
        return testCPUppc64Baseline(cpus, ncpus);
    if (testCPUFind(armArchs, arch) >= 0)
        return testCPUFormat(cpus[0]->model, false, NULL, NULL);
    if (testCPUFind(s390Archs, arch) >= 0)
        virReportError(VIR_ERR_NO_SUPPORT, "cannot compute baseline CPU of %s architecture",
                       arch);
    else
        virReportError(VIR_ERR_NO_SUPPORT, "'%s' architecture is not supported by CPU driver",
                       arch);
    return NULL;
}

char *
testConnectBaselineCPU(virConnect *conn G_GNUC_UNUSED, const char **xmlCPUs,
                       unsigned int nxmlCPUs, unsigned int flags)
{
    testHostCPU **cpus;
    char *ret = NULL;
    unsigned int n;

    if (flags & ~(unsigned int)VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES) {
        /* the test driver's own check (its error domain) */
        virDriverReportInvalidArgFull(VIR_FROM_TEST, __FILE__, __func__, __LINE__, "flags",
                                      "unsupported flags (0x%x) in function %s",
                                      flags & ~(unsigned int)VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES,
                                      __func__);
        return NULL;
    }
    if (nxmlCPUs == 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "no CPUs given");
        return NULL;
    }
    cpus = g_new0(testHostCPU *, nxmlCPUs);
    for (n = 0; n < nxmlCPUs; n++) {
        if (!(cpus[n] = testHostCPUParse(xmlCPUs[n])))
            goto cleanup;
    }
    ret = testCPUBaseline(cpus, nxmlCPUs, flags & VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES);

 cleanup:
    for (unsigned int i = 0; i < n; i++)
        testHostCPUFree(cpus[i]);
    g_free(cpus);
    return ret;
}
