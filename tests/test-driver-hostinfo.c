/*
 * test-driver-hostinfo.c: virhostinfo's reading of /proc, /sys and
 * dmidecode, on a made-up host tree (virHostInfoSetRoot): the counters,
 * the cells, the pages and pools, KSM, suspend's refusal, SMBIOS and the
 * capabilities' topology, with libvirt's errors.
 */
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "testutils.h"
#include "virerror.h"
#include "virhostinfo.h"

static char *root;

static void
put(const char *rel, const char *text)
{
    g_autofree char *path = g_build_filename(root, rel, NULL);
    g_autofree char *dir = g_path_get_dirname(path);

    g_mkdir_with_parents(dir, 0755);
    g_file_set_contents(path, text, -1, NULL);
}

static char *
get(const char *rel)
{
    g_autofree char *path = g_build_filename(root, rel, NULL);
    char *text = NULL;

    g_file_get_contents(path, &text, NULL, NULL);
    return text;
}

static void
makeHost(void)
{
    put("/proc/stat", "cpu  10 20 30 40 50 60 70 80 0 0\n"
                      "cpu0 1 2 3 4 5 6 7 8 0 0\n"
                      "cpu1 9 18 27 36 45 54 63 72 0 0\nintr 1 2 3\n");
    put("/proc/meminfo", "MemTotal:        8000000 kB\nMemFree:         5000000 kB\n"
                         "MemAvailable:    6000000 kB\nBuffers:           1000 kB\n"
                         "Cached:            2000 kB\nSwapCached:          0 kB\n");
    put("/sys/devices/system/node/node0/meminfo",
        "Node 0 MemTotal:       8000000 kB\nNode 0 MemFree:        4000000 kB\n"
        "Node 0 MemUsed:        4000000 kB\n");
    put("/sys/devices/system/node/node0/cpulist", "0-1\n");
    put("/sys/devices/system/node/node0/distance", "10\n");
    put("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages", "7\n");
    put("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", "8\n");
    put("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "7\n");
    put("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "8\n");
    put("/sys/devices/system/cpu/present", "0-1\n");
    put("/sys/devices/system/cpu/online", "0\n");
    put("/sys/devices/system/cpu/cpu0/topology/physical_package_id", "0\n");
    put("/sys/devices/system/cpu/cpu0/topology/die_id", "0\n");
    put("/sys/devices/system/cpu/cpu0/topology/core_id", "0\n");
    put("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "0\n");
    put("/sys/devices/system/cpu/cpu1/topology/physical_package_id", "0\n");
    put("/sys/devices/system/cpu/cpu1/topology/die_id", "0\n");
    put("/sys/devices/system/cpu/cpu1/topology/core_id", "1\n");
    put("/sys/devices/system/cpu/cpu1/topology/thread_siblings_list", "1\n");
    put("/sys/kernel/mm/ksm/pages_to_scan", "100\n");
    put("/sys/kernel/mm/ksm/sleep_millisecs", "20\n");
    put("/sys/kernel/mm/ksm/pages_shared", "3\n");
    put("/sys/kernel/mm/ksm/pages_sharing", "4\n");
    put("/sys/kernel/mm/ksm/pages_unshared", "5\n");
    put("/sys/kernel/mm/ksm/pages_volatile", "6\n");
    put("/sys/kernel/mm/ksm/full_scans", "7\n");
    /* no merge_across_nodes: a kernel without it */
}

static int
testCPUStats(const void *data G_GNUC_UNUSED)
{
    unsigned long long tick = 1000000000ULL / (unsigned long long)sysconf(_SC_CLK_TCK);
    virNodeCPUStats p[4];
    int n = 0;

    VIR_TEST_ASSERT_INT(virHostInfoGetCPUStats(-1, NULL, &n), 0);
    VIR_TEST_ASSERT_INT(n, 4);
    VIR_TEST_ASSERT_INT(virHostInfoGetCPUStats(-1, p, &n), 0);
    VIR_TEST_ASSERT_STR(p[0].field, "kernel");
    VIR_TEST_ASSERT(p[0].value == (30 + 60 + 70) * tick);
    VIR_TEST_ASSERT_STR(p[1].field, "user");
    VIR_TEST_ASSERT(p[1].value == (10 + 20) * tick);
    VIR_TEST_ASSERT(p[2].value == 40 * tick && p[3].value == 50 * tick);
    VIR_TEST_ASSERT_INT(virHostInfoGetCPUStats(1, p, &n), 0);
    VIR_TEST_ASSERT(p[1].value == (9 + 18) * tick);
    VIR_TEST_ASSERT_INT(virHostInfoGetCPUStats(2, p, &n), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "Invalid cpuNum in virHostCPUGetStatsLinux");
    n = 3;
    VIR_TEST_ASSERT_INT(virHostInfoGetCPUStats(-1, p, &n), -1);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(),
                        "nparams in virHostCPUGetStatsLinux must be equal to 4");
    return 0;
}

static int
testMemory(const void *data G_GNUC_UNUSED)
{
    virNodeMemoryStats p[4];
    unsigned long long cells[4] = { 0 };
    int n = 0;

    VIR_TEST_ASSERT_INT(virHostInfoGetMemoryStats(-1, NULL, &n), 0);
    VIR_TEST_ASSERT_INT(n, 4);
    VIR_TEST_ASSERT_INT(virHostInfoGetMemoryStats(-1, p, &n), 0);
    VIR_TEST_ASSERT_STR(p[0].field, "total");
    VIR_TEST_ASSERT(p[0].value == 8000000 && p[1].value == 5000000);
    VIR_TEST_ASSERT_STR(p[2].field, "buffers");
    VIR_TEST_ASSERT(p[2].value == 1000 && p[3].value == 2000);
    n = 0;
    VIR_TEST_ASSERT_INT(virHostInfoGetMemoryStats(0, NULL, &n), 0);
    VIR_TEST_ASSERT_INT(n, 2);
    VIR_TEST_ASSERT_INT(virHostInfoGetMemoryStats(0, p, &n), 0);
    VIR_TEST_ASSERT(p[1].value == 4000000);
    VIR_TEST_ASSERT_INT(virHostInfoGetMemoryStats(1, p, &n), -1);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(),
                        "cellNum in virHostMemGetStats must be less than or equal to 0");

    VIR_TEST_ASSERT_INT(virHostInfoGetCellsFreeMemory(cells, 0, 4), 1);
    VIR_TEST_ASSERT(cells[0] == 4000000ULL * 1024);
    VIR_TEST_ASSERT_INT(virHostInfoGetCellsFreeMemory(cells, 1, 1), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_INTERNAL_ERROR);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "internal error: start cell 1 out of range (0-0)");
    return 0;
}

static int
testPages(const void *data G_GNUC_UNUSED)
{
    unsigned int sys = (unsigned int)(sysconf(_SC_PAGESIZE) / 1024);
    unsigned int sizes[2] = { sys, 2048 };
    unsigned int bad[1] = { 3 };
    unsigned long long counts[4] = { 0 };
    unsigned long long five = 5, zero = 0;
    g_autofree char *nr = NULL;

    VIR_TEST_ASSERT_INT(virHostInfoGetFreePages(2, sizes, 0, 3, counts), 2);
    VIR_TEST_ASSERT(counts[0] == 4000000ULL * 1024 / (sys * 1024ULL));
    VIR_TEST_ASSERT(counts[1] == 7);
    VIR_TEST_ASSERT_INT(virHostInfoGetFreePages(1, bad, 0, 1, counts), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_FAILED);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(),
                        "operation failed: page size 3 is not available on node 0");
    VIR_TEST_ASSERT_INT(virHostInfoGetFreePages(1, bad, -1, 1, counts), -1);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "operation failed: page size 3 is not available");

    VIR_TEST_ASSERT_INT(virHostInfoAllocPages(1, sizes, &five, 0, 1, false), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_UNSUPPORTED);
    /* adding none writes nothing; setting does, and is read back */
    VIR_TEST_ASSERT_INT(virHostInfoAllocPages(1, sizes + 1, &zero, 0, 1, true), 1);
    nr = get("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages");
    VIR_TEST_ASSERT_STR(nr, "8\n");
    VIR_TEST_ASSERT_INT(virHostInfoAllocPages(1, sizes + 1, &five, 0, 1, false), 1);
    g_free(nr);
    nr = get("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages");
    VIR_TEST_ASSERT_STR(nr, "5");
    VIR_TEST_ASSERT_INT(virHostInfoAllocPages(1, sizes + 1, &five, 0, 1, true), 1);
    g_free(nr);
    nr = get("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages");
    VIR_TEST_ASSERT_STR(nr, "10");
    return 0;
}

static int
testKSM(const void *data G_GNUC_UNUSED)
{
    virTypedParameter p[8];
    virTypedParameter set[2];
    g_autofree char *scan = NULL;
    int n = 0;

    VIR_TEST_ASSERT_INT(virHostInfoGetMemoryParameters(NULL, &n), 0);
    VIR_TEST_ASSERT_INT(n, 8);
    memset(p, 0, sizeof(p));
    VIR_TEST_ASSERT_INT(virHostInfoGetMemoryParameters(p, &n), 0);
    VIR_TEST_ASSERT_STR(p[0].field, "shm_pages_to_scan");
    VIR_TEST_ASSERT_INT(p[0].type, VIR_TYPED_PARAM_UINT);
    VIR_TEST_ASSERT_INT(p[0].value.ui, 100);
    VIR_TEST_ASSERT_STR(p[6].field, "shm_full_scans");
    VIR_TEST_ASSERT(p[6].type == VIR_TYPED_PARAM_ULLONG && p[6].value.ul == 7);
    VIR_TEST_ASSERT_STR(p[7].field, "");             /* the kernel lacks it */

    memset(set, 0, sizeof(set));
    g_strlcpy(set[0].field, "shm_pages_to_scan", sizeof(set[0].field));
    set[0].type = VIR_TYPED_PARAM_UINT;
    set[0].value.ui = 250;
    g_strlcpy(set[1].field, "shm_merge_across_nodes", sizeof(set[1].field));
    set[1].type = VIR_TYPED_PARAM_UINT;
    /* a missing file refuses the whole call before anything is written */
    VIR_TEST_ASSERT_INT(virHostInfoSetMemoryParameters(set, 2), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID);
    scan = get("/sys/kernel/mm/ksm/pages_to_scan");
    VIR_TEST_ASSERT_STR(scan, "100\n");
    VIR_TEST_ASSERT_INT(virHostInfoSetMemoryParameters(set, 1), 0);
    g_free(scan);
    scan = get("/sys/kernel/mm/ksm/pages_to_scan");
    VIR_TEST_ASSERT_STR(scan, "250");
    g_strlcpy(set[0].field, "shm_pages_shared", sizeof(set[0].field));
    VIR_TEST_ASSERT_INT(virHostInfoSetMemoryParameters(set, 1), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_ARGUMENT_UNSUPPORTED);
    return 0;
}

static int
testSuspend(const void *data G_GNUC_UNUSED)
{
    VIR_TEST_ASSERT_INT(virHostInfoSuspend(0, 60), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_ARGUMENT_UNSUPPORTED);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "argument unsupported: Suspend-to-RAM");
    VIR_TEST_ASSERT_INT(virHostInfoSuspend(3, 60), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
    return 0;
}

static int
testSysinfo(const void *data G_GNUC_UNUSED)
{
    g_autofree char *xml = NULL;
    g_autofree char *prog = g_build_filename(root, "usr/sbin/dmidecode", NULL);

    /* no dmidecode, then one that fails: not available (and not kept) */
    VIR_TEST_ASSERT(virHostInfoGetSysinfo() == NULL);
    put("usr/sbin/dmidecode", "#!/bin/sh\necho '/dev/mem: No such file or directory' >&2\nexit 1\n");
    chmod(prog, 0755);
    VIR_TEST_ASSERT(virHostInfoGetSysinfo() == NULL);
    put("usr/sbin/dmidecode",
        "#!/bin/sh\ncat <<'E'\nBIOS Information\n\tVendor: SeaBIOS\n\tVersion: 1.16\n"
        "\tRelease Date: 04/01/2014\n\tBIOS Revision: 0.0\n\n"
        "System Information\n\tManufacturer: QEMU & Co\n\tProduct Name: Standard PC    \n\n"
        "Memory Device\n\tSize: No Module Installed\n\tLocator: DIMM 1\n\n"
        "Memory Device\n\tSize: 8 GB\n\tLocator: DIMM 0\n\tType: RAM\n\n"
        "Processor Information\n\tSocket Designation: CPU 0\n\tType: Central Processor\n"
        "E\n");
    chmod(prog, 0755);
    xml = virHostInfoGetSysinfo();
    VIR_TEST_ASSERT_STR(xml, "<sysinfo type='smbios'>\n"
                        "  <bios>\n"
                        "    <entry name='vendor'>SeaBIOS</entry>\n"
                        "    <entry name='version'>1.16</entry>\n"
                        "    <entry name='date'>04/01/2014</entry>\n"
                        "    <entry name='release'>0.0</entry>\n"
                        "  </bios>\n"
                        "  <system>\n"
                        "    <entry name='manufacturer'>QEMU &amp; Co</entry>\n"
                        "    <entry name='product'>Standard PC</entry>\n"
                        "  </system>\n"
                        "  <processor>\n"
                        "    <entry name='socket_destination'>CPU 0</entry>\n"
                        "    <entry name='type'>Central Processor</entry>\n"
                        "  </processor>\n"
                        "  <memory_device>\n"
                        "    <entry name='size'>8 GB</entry>\n"
                        "    <entry name='locator'>DIMM 0</entry>\n"
                        "    <entry name='type'>RAM</entry>\n"
                        "  </memory_device>\n"
                        "</sysinfo>\n");
    return 0;
}

static int
testTopology(const void *data G_GNUC_UNUSED)
{
    g_autofree char *topo = virHostInfoFormatTopology();
    g_autofree char *pages = virHostInfoFormatPages();
    g_autofree unsigned char *map = NULL;
    unsigned int online = 0;

    VIR_TEST_ASSERT(topo && strstr(topo, "<cells num='1'>"));
    VIR_TEST_ASSERT(strstr(topo, "<cell id='0'>\n          <memory unit='KiB'>8000000</memory>"));
    VIR_TEST_ASSERT(strstr(topo, "<pages unit='KiB' size='2048'>10</pages>"));
    VIR_TEST_ASSERT(strstr(topo, "<sibling id='0' value='10'/>"));
    VIR_TEST_ASSERT(strstr(topo, "<cpu id='1' socket_id='0' die_id='0' core_id='1' "
                                 "siblings='1'/>"));
    VIR_TEST_ASSERT(pages && strstr(pages, "<pages unit='KiB' size='2048'/>"));
    VIR_TEST_ASSERT_INT(virHostInfoGetCPUMap(&map, &online), 2);
    VIR_TEST_ASSERT_INT(online, 1);
    VIR_TEST_ASSERT_INT(map[0], 1);
    return 0;
}

int
main(void)
{
    root = g_strdup(virTestTempDir());
    makeHost();
    virHostInfoSetRoot(root);
    virTestRun("CPU statistics", testCPUStats, NULL);
    virTestRun("memory statistics and cells", testMemory, NULL);
    virTestRun("free pages and page pools", testPages, NULL);
    virTestRun("KSM parameters", testKSM, NULL);
    virTestRun("host suspend refused", testSuspend, NULL);
    virTestRun("SMBIOS from dmidecode", testSysinfo, NULL);
    virTestRun("capabilities' topology and the CPU map", testTopology, NULL);
    virHostInfoSetRoot(NULL);
    g_free(root);
    return virTestResult();
}
