/*
 * testhostcpu.c: the CPU models of an architecture, as libvirt 9.0's test
 * driver lists them (its CPU drivers' maps; docs/test-driver.md). The
 * names are data (cpumodels.list, made a header by generators/vnlists.py).
 *
 * Locking: none (constant data).
 */
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virerror.h"
#include "testcpumodels.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* Architectures sharing a CPU driver, and its models (an empty list: any
 * model is accepted). */
static const struct {
    const char *const *archs;
    const char *const *models;
} testCPUDrivers[] = {
    { x86Archs, x86Models },
    { ppc64Archs, ppc64Models },
    { armArchs, anyModels },
    { s390Archs, anyModels },
};

int
testConnectGetCPUModelNames(virConnect *conn G_GNUC_UNUSED, const char *arch, char ***models,
                            unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    for (size_t i = 0; i < G_N_ELEMENTS(testCPUDrivers); i++) {
        const char *const *list = testCPUDrivers[i].models;

        if (!g_strv_contains(testCPUDrivers[i].archs, arch))
            continue;
        if (models)
            *models = g_strdupv((char **)list);
        return (int)g_strv_length((char **)list);
    }
    if (!g_strv_contains(otherArchs, arch)) {
        virReportError(VIR_ERR_INVALID_ARG, "cannot find architecture %s", arch);
        return -1;
    }
    virErrorReportFull(VIR_FROM_CPU, VIR_ERR_NO_SUPPORT, __FILE__, __func__, __LINE__,
                       "'%s' architecture is not supported by CPU driver", arch);
    return -1;
}
