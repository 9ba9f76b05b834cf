/*
 * virhostinfo.c: the real host's data (see virhostinfo.h).
 *
 * No state but the root prefix (set once by tests before use) and the
 * SMBIOS text, read once: computed without a lock and published with an
 * atomic compare-and-swap, so no lock is ever held across the I/O. Each
 * call reads the files it needs afresh: the kernel's counters move.
 *
 * The messages quote libvirt 9.0's, function names included
 * ("nparams in virHostCPUGetStatsLinux must be equal to 4"): clients see
 * the same words from either daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>

#include "virhostinfo.h"
#include "vircommand.h"
#include "virconnect.h"
#include "virerror.h"
#include "virnoiolock.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_NONE


#define VIR_HOST_NODE_DIR "/sys/devices/system/node"
#define VIR_HOST_HUGEPAGES_DIR "/sys/kernel/mm/hugepages"
#define VIR_HOST_KSM_DIR "/sys/kernel/mm/ksm"
#define VIR_HOST_CPU_STATS 4
#define VIR_HOST_MEMORY_STATS_ALL 4
#define VIR_HOST_MEMORY_STATS_CELL 2

static char *virHostInfoRoot;
static char *virHostInfoSMBIOS;

void
virHostInfoSetRoot(const char *root)
{
    g_free(virHostInfoRoot);
    virHostInfoRoot = g_strdup(root);
}

/* The host path under the root; the caller frees it. */
static char * G_GNUC_PRINTF(1, 2)
virHostInfoPath(const char *fmt, ...)
{
    g_autofree char *rel = NULL;
    va_list ap;

    va_start(ap, fmt);
    rel = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return g_strconcat(virHostInfoRoot ? virHostInfoRoot : "", rel, NULL);
}

static bool
virHostInfoExists(const char *path)
{
    virNoIOCheck("stat");
    return access(path, F_OK) == 0;
}

/* The whole (small, virtual) file; NULL with errno set. */
static char *
virHostInfoRead(const char *path)
{
    int fd, saved;
    char *buf;

    virNoIOCheck("read");
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return NULL;
    buf = virFileReadFD(fd, 1024 * 1024, NULL);
    saved = errno;
    close(fd);
    errno = saved;
    return buf;
}

/* Write text to a sysfs file; -1 with errno set. */
static int
virHostInfoWrite(const char *path, const char *text)
{
    int fd, saved = 0;

    virNoIOCheck("write");
    if ((fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0)
        return -1;
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        saved = errno ? errno : EIO;
    if (close(fd) < 0 && !saved)
        saved = errno;
    errno = saved;
    return saved ? -1 : 0;
}

static char *
virHostInfoReadReport(const char *path)
{
    char *buf = virHostInfoRead(path);

    if (!buf)
        virReportSystemError(errno, "cannot open %s", path);
    return buf;
}

/* ---- NUMA cells ---- */

int
virHostInfoGetMaxNode(void)
{
    g_autofree char *dir = virHostInfoPath(VIR_HOST_NODE_DIR);
    GDir *d;
    const char *name;
    int max = -1;

    virNoIOCheck("opendir");
    if ((d = g_dir_open(dir, 0, NULL))) {
        while ((name = g_dir_read_name(d))) {
            char *end;
            long n;

            if (!g_str_has_prefix(name, "node") || !g_ascii_isdigit(name[4]))
                continue;
            n = strtol(name + 4, &end, 10);
            if (*end == '\0' && n <= G_MAXINT && n > max)
                max = (int)n;
        }
        g_dir_close(d);
    }
    if (max < 0)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "NUMA isn't available on this host");
    return max;
}

/* libvirt treats the host as NUMA when libnuma works; here: when the
 * kernel lists nodes. */
static bool
virHostInfoHasNUMA(void)
{
    g_autofree char *path = virHostInfoPath(VIR_HOST_NODE_DIR "/node0");

    return virHostInfoExists(path);
}

/* A "Key: value kB" line of a meminfo file (a node's start with "Node N "):
 * the value in KiB of key (with its colon), or -1. */
static long long
virHostInfoMeminfoValue(const char *text, const char *key)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

    for (size_t i = 0; lines[i]; i++) {
        char hdr[81];
        unsigned long long val;
        const char *p = lines[i];

        if (g_str_has_prefix(p, "Node ")) {
            p = strchr(p + 5, ' ');
            if (!p)
                continue;
            p++;
        }
        if (sscanf(p, "%80s %llu kB", hdr, &val) == 2 && strcmp(hdr, key) == 0)
            return (long long)val;
    }
    return -1;
}

/* A cell's memory and free memory in bytes (node -1: the whole host),
 * as libnuma's numa_node_size64. -1 (no error reported) when unreadable. */
static int
virHostInfoNodeMemory(int node, unsigned long long *total, unsigned long long *free)
{
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    long long t, f;

    if (node < 0 && virHostInfoHasNUMA()) {
        int max = virHostInfoGetMaxNode();

        *total = *free = 0;
        for (int n = 0; n <= max; n++) {
            unsigned long long nt, nf;

            if (virHostInfoNodeMemory(n, &nt, &nf) < 0)
                continue;
            *total += nt;
            *free += nf;
        }
        return 0;
    }
    path = node < 0 ? virHostInfoPath("/proc/meminfo")
                    : virHostInfoPath(VIR_HOST_NODE_DIR "/node%d/meminfo", node);
    if (!(text = virHostInfoRead(path)))
        return -1;
    t = virHostInfoMeminfoValue(text, "MemTotal:");
    f = virHostInfoMeminfoValue(text, "MemFree:");
    if (t < 0 || f < 0)
        return -1;
    *total = (unsigned long long)t * 1024;
    *free = (unsigned long long)f * 1024;
    return 0;
}

/* ---- CPU and memory statistics ---- */

int
virHostInfoGetCPUStats(int cpuNum, virNodeCPUStats *params, int *nparams)
{
    g_autofree char *path = virHostInfoPath("/proc/stat");
    g_autofree char *text = NULL;
    g_autofree char *header = NULL;
    g_auto(GStrv) lines = NULL;
    unsigned long long tick = 1000000000ULL / (unsigned long long)sysconf(_SC_CLK_TCK);

    if (*nparams == 0) {
        *nparams = VIR_HOST_CPU_STATS;
        return 0;
    }
    if (*nparams != VIR_HOST_CPU_STATS) {
        virDriverReportInvalidArg(nparams, "nparams in %s must be equal to %d",
                                  "virHostCPUGetStatsLinux", VIR_HOST_CPU_STATS);
        return -1;
    }
    if (!(text = virHostInfoReadReport(path)))
        return -1;
    header = cpuNum == VIR_NODE_CPU_STATS_ALL_CPUS ? g_strdup("cpu ")
                                                   : g_strdup_printf("cpu%d ", cpuNum);
    lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        unsigned long long v[10] = { 0 };
        static const struct {
            const char *field;
            int from[3];            /* the /proc/stat columns summed, -1 ends */
        } map[VIR_HOST_CPU_STATS] = {
            { VIR_NODE_CPU_STATS_KERNEL, { 2, 5, 6 } },
            { VIR_NODE_CPU_STATS_USER, { 0, 1, -1 } },
            { VIR_NODE_CPU_STATS_IDLE, { 3, -1, -1 } },
            { VIR_NODE_CPU_STATS_IOWAIT, { 4, -1, -1 } },
        };

        if (!g_str_has_prefix(lines[i], header) ||
            sscanf(lines[i], "%*s %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
                   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) < 4)
            continue;
        for (int p = 0; p < VIR_HOST_CPU_STATS; p++) {
            unsigned long long sum = 0;

            for (int k = 0; k < 3 && map[p].from[k] >= 0; k++)
                sum += v[map[p].from[k]];
            g_strlcpy(params[p].field, map[p].field, sizeof(params[p].field));
            params[p].value = sum * tick;
        }
        return 0;
    }
    virDriverReportInvalidArg(cpuNum, "Invalid cpuNum in %s", "virHostCPUGetStatsLinux");
    return -1;
}

int
virHostInfoGetMemoryStats(int cellNum, virNodeMemoryStats *params, int *nparams)
{
    static const char *const conv[][2] = {
        { "MemTotal:", VIR_NODE_MEMORY_STATS_TOTAL },
        { "MemFree:", VIR_NODE_MEMORY_STATS_FREE },
        { "Buffers:", VIR_NODE_MEMORY_STATS_BUFFERS },
        { "Cached:", VIR_NODE_MEMORY_STATS_CACHED },
    };
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    int want, found = 0;

    if (!virHostInfoHasNUMA() && cellNum == 0)
        cellNum = VIR_NODE_MEMORY_STATS_ALL_CELLS;
    if (cellNum == VIR_NODE_MEMORY_STATS_ALL_CELLS) {
        path = virHostInfoPath("/proc/meminfo");
    } else {
        int max = virHostInfoGetMaxNode();

        if (max < 0)
            return -1;
        if (cellNum > max) {
            virDriverReportInvalidArg(cellNum, "cellNum in %s must be less than or equal to %d",
                                      "virHostMemGetStats", max);
            return -1;
        }
        path = virHostInfoPath(VIR_HOST_NODE_DIR "/node%d/meminfo", cellNum);
    }
    if (!(text = virHostInfoReadReport(path)))
        return -1;
    want = cellNum == VIR_NODE_MEMORY_STATS_ALL_CELLS ? VIR_HOST_MEMORY_STATS_ALL
                                                      : VIR_HOST_MEMORY_STATS_CELL;
    if (*nparams == 0) {
        *nparams = want;
        return 0;
    }
    if (*nparams != want) {
        virDriverReportInvalidArg(nparams, "nparams in %s must be %d", "virHostMemGetStatsLinux",
                                  want);
        return -1;
    }
    /* the counters in the file's order, as many as asked */
    lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i] && found < want; i++) {
        for (size_t c = 0; c < G_N_ELEMENTS(conv); c++) {
            long long v = virHostInfoMeminfoValue(lines[i], conv[c][0]);

            if (v < 0)
                continue;
            g_strlcpy(params[found].field, conv[c][1], sizeof(params[found].field));
            params[found++].value = (unsigned long long)v;
            break;
        }
    }
    if (found == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no available memory line found");
        return -1;
    }
    return 0;
}

int
virHostInfoGetCellsFreeMemory(unsigned long long *cells, int startCell, int maxCells)
{
    int max, last, n = 0;

    if (!virHostInfoHasNUMA()) {
        unsigned long long total, free;

        if (startCell != 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "start cell %d out of range (0-%d)",
                           startCell, 0);
            return -1;
        }
        if (virHostInfoNodeMemory(-1, &total, &free) < 0) {
            virReportSystemError(errno, "%s", "cannot read the free memory");
            return -1;
        }
        cells[0] = free;
        return 1;
    }
    if ((max = virHostInfoGetMaxNode()) < 0)
        return -1;
    if (startCell > max) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "start cell %d out of range (0-%d)", startCell,
                       max);
        return -1;
    }
    last = (int)MIN((long long)max, (long long)startCell + maxCells - 1);
    for (int cell = startCell; cell <= last; cell++) {
        unsigned long long total, free;

        /* as libvirt: an unreadable cell counts 0 */
        cells[n++] = virHostInfoNodeMemory(cell, &total, &free) < 0 ? 0 : free;
    }
    return n;
}

/* ---- pages ---- */

static unsigned int
virHostInfoSystemPageKiB(void)
{
    return (unsigned int)(sysconf(_SC_PAGESIZE) / 1024);
}

/* The file of a huge page pool (node -1: the host's), or NULL with
 * libvirt's error when the pool does not exist. */
static char *
virHostInfoHugePagePath(int node, unsigned int size, const char *file)
{
    g_autofree char *path = NULL;
    g_autofree char *nodedir = NULL;

    if (node < 0)
        path = virHostInfoPath(VIR_HOST_HUGEPAGES_DIR "/hugepages-%ukB/%s", size, file);
    else
        path = virHostInfoPath(VIR_HOST_NODE_DIR "/node%d/hugepages/hugepages-%ukB/%s", node,
                               size, file);
    if (virHostInfoExists(path))
        return g_steal_pointer(&path);
    nodedir = virHostInfoPath(VIR_HOST_NODE_DIR "/node%d", node);
    if (node < 0)
        virReportError(VIR_ERR_OPERATION_FAILED, "page size %u is not available", size);
    else if (!virHostInfoExists(nodedir))
        virReportError(VIR_ERR_OPERATION_FAILED, "NUMA node %d is not available", node);
    else
        virReportError(VIR_ERR_OPERATION_FAILED, "page size %u is not available on node %d",
                       size, node);
    return NULL;
}

/* A number file of a pool; -1 with the error code of errors. */
static int
virHostInfoReadCount(const char *path, unsigned long long *count, int code)
{
    g_autofree char *text = virHostInfoReadReport(path);
    char *end;

    if (!text)
        return -1;
    errno = 0;
    *count = g_ascii_strtoull(text, &end, 10);
    if (errno || end == text || (*end && *end != '\n')) {
        if (code == VIR_ERR_INTERNAL_ERROR)
            virReportError(code, "unable to parse: %s", text);
        else
            virReportError(code, "invalid number '%s' in '%s'", text, path);
        return -1;
    }
    return 0;
}

static int
virHostInfoFreePagesOf(int node, unsigned int size, unsigned long long *count)
{
    g_autofree char *path = NULL;

    if (size == virHostInfoSystemPageKiB()) {
        unsigned long long total, free;

        if (virHostInfoNodeMemory(node, &total, &free) < 0) {
            virReportSystemError(errno, "cannot read the memory of node %d", node);
            return -1;
        }
        *count = free / ((unsigned long long)size * 1024);
        return 0;
    }
    if (!(path = virHostInfoHugePagePath(node, size, "free_hugepages")))
        return -1;
    return virHostInfoReadCount(path, count, VIR_ERR_INTERNAL_ERROR);
}

/* libvirt's cell range of the page calls: the host's cells, or -1 (the
 * whole host) for cell 0 alone on a host without NUMA. */
static int
virHostInfoPageCells(int *startCell, unsigned int cellCount, int *lastCell)
{
    int last = virHostInfoHasNUMA() ? virHostInfoGetMaxNode() : 0;

    if (last < 0)
        return -1;
    if (!virHostInfoHasNUMA() && *startCell == 0 && cellCount == 1)
        *startCell = -1;
    if (*startCell > last) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "start cell %d out of range (0-%d)", *startCell,
                       last);
        return -1;
    }
    *lastCell = (int)MIN((long long)last, (long long)*startCell + cellCount - 1);
    return 0;
}

int
virHostInfoGetFreePages(unsigned int npages, const unsigned int *pages, int startCell,
                        unsigned int cellCount, unsigned long long *counts)
{
    int last, n = 0;

    if (virHostInfoPageCells(&startCell, cellCount, &last) < 0)
        return -1;
    for (int cell = startCell; cell <= last; cell++) {
        for (unsigned int i = 0; i < npages; i++) {
            if (virHostInfoFreePagesOf(cell, pages[i], &counts[n]) < 0)
                return -1;
            n++;
        }
    }
    if (n == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no suitable info found");
        return -1;
    }
    return n;
}

/* One pool to count pages (add: count more); no write when nothing
 * changes. The kernel may give fewer than asked: an error, as libvirt's. */
static int
virHostInfoSetPool(int node, unsigned int size, unsigned long long count, bool add)
{
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    unsigned long long now;

    if (size == virHostInfoSystemPageKiB()) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "system pages pool can't be modified");
        return -1;
    }
    if (!(path = virHostInfoHugePagePath(node, size, "nr_hugepages")) ||
        virHostInfoReadCount(path, &now, VIR_ERR_OPERATION_FAILED) < 0)
        return -1;
    if (add) {
        if (count == 0)
            return 0;
        count += now;
    } else if (count == now) {
        return 0;
    }
    text = g_strdup_printf("%llu", count);
    if (virHostInfoWrite(path, text) < 0) {
        virReportSystemError(errno, "Unable to write to: %s", path);
        return -1;
    }
    if (virHostInfoReadCount(path, &now, VIR_ERR_OPERATION_FAILED) < 0)
        return -1;
    if (now != count) {
        virReportError(VIR_ERR_OPERATION_FAILED, "Unable to allocate %llu pages. Allocated only %llu",
                       count, now);
        return -1;
    }
    return 0;
}

int
virHostInfoAllocPages(unsigned int npages, const unsigned int *pageSizes,
                      const unsigned long long *pageCounts, int startCell,
                      unsigned int cellCount, bool add)
{
    int last, n = 0;

    if (virHostInfoPageCells(&startCell, cellCount, &last) < 0)
        return -1;
    for (int cell = startCell; cell <= last; cell++) {
        for (unsigned int i = 0; i < npages; i++) {
            if (virHostInfoSetPool(cell, pageSizes[i], pageCounts[i], add) < 0)
                return -1;
            n++;
        }
    }
    return n;
}

/* ---- KSM ---- */

/* libvirt's order of the parameters, their files and types */
static const struct {
    const char *name;
    const char *file;
    int type;
} virHostInfoKSM[] = {
    { VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN, "pages_to_scan", VIR_TYPED_PARAM_UINT },
    { VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS, "sleep_millisecs", VIR_TYPED_PARAM_UINT },
    { VIR_NODE_MEMORY_SHARED_PAGES_SHARED, "pages_shared", VIR_TYPED_PARAM_ULLONG },
    { VIR_NODE_MEMORY_SHARED_PAGES_SHARING, "pages_sharing", VIR_TYPED_PARAM_ULLONG },
    { VIR_NODE_MEMORY_SHARED_PAGES_UNSHARED, "pages_unshared", VIR_TYPED_PARAM_ULLONG },
    { VIR_NODE_MEMORY_SHARED_PAGES_VOLATILE, "pages_volatile", VIR_TYPED_PARAM_ULLONG },
    { VIR_NODE_MEMORY_SHARED_FULL_SCANS, "full_scans", VIR_TYPED_PARAM_ULLONG },
    { VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES, "merge_across_nodes", VIR_TYPED_PARAM_UINT },
};

int
virHostInfoGetMemoryParameters(virTypedParameter *params, int *nparams)
{
    int n = (int)G_N_ELEMENTS(virHostInfoKSM);

    if (*nparams == 0) {
        *nparams = n;
        return 0;
    }
    for (int i = 0; i < *nparams && i < n; i++) {
        g_autofree char *path = virHostInfoPath(VIR_HOST_KSM_DIR "/%s", virHostInfoKSM[i].file);
        g_autofree char *text = NULL;
        unsigned long long v;
        char *end;

        /* a file this kernel lacks leaves its slot empty, as libvirt */
        if (!virHostInfoExists(path))
            continue;
        if (!(text = virHostInfoRead(path))) {
            virReportSystemError(errno, "Failed to open file '%s'", path);
            return -1;
        }
        errno = 0;
        v = g_ascii_strtoull(text, &end, 10);
        if (errno || end == text || (*end && *end != '\n') ||
            (virHostInfoKSM[i].type == VIR_TYPED_PARAM_UINT && v > G_MAXUINT)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "failed to parse %s", virHostInfoKSM[i].file);
            return -1;
        }
        memset(&params[i], 0, sizeof(params[i]));
        g_strlcpy(params[i].field, virHostInfoKSM[i].name, sizeof(params[i].field));
        params[i].type = virHostInfoKSM[i].type;
        if (params[i].type == VIR_TYPED_PARAM_UINT)
            params[i].value.ui = (unsigned int)v;
        else
            params[i].value.ul = v;
    }
    return 0;
}

int
virHostInfoSetMemoryParameters(const virTypedParameter *params, int nparams)
{
    static const virTypedParamsKey keys[] = {
        { VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN, VIR_TYPED_PARAM_UINT },
        { VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS, VIR_TYPED_PARAM_UINT },
        { VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES, VIR_TYPED_PARAM_UINT },
    };

    if (virTypedParamsValidate(params, nparams, keys, G_N_ELEMENTS(keys)) < 0)
        return -1;
    /* all files first: nothing is written when one is missing */
    for (int i = 0; i < nparams; i++) {
        g_autofree char *path = virHostInfoPath(VIR_HOST_KSM_DIR "/%s",
                                                strchr(params[i].field, '_') + 1);

        if (!virHostInfoExists(path)) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "Parameter '%s' is not supported by this kernel", params[i].field);
            return -1;
        }
    }
    for (int i = 0; i < nparams; i++) {
        g_autofree char *path = virHostInfoPath(VIR_HOST_KSM_DIR "/%s",
                                                strchr(params[i].field, '_') + 1);
        g_autofree char *text = g_strdup_printf("%u", params[i].value.ui);

        if (virHostInfoWrite(path, text) < 0) {
            virReportSystemError(errno, "failed to set %s", params[i].field);
            return -1;
        }
    }
    return 0;
}

/* ---- power management ---- */

/* libvirt asks systemd-logind over the system bus (CanSuspend, ...; its
 * Debian build has no pm-utils fallback); no bus or no logind: nothing is
 * supported. A host where logind may answer gets an explicit refusal
 * instead: this daemon does not suspend hosts (docs/lxc-driver.md). */
int
virHostInfoSuspend(unsigned int target, unsigned long long duration G_GNUC_UNUSED)
{
    static const char *const names[] = { "Suspend-to-RAM", "Suspend-to-Disk", "Hybrid-Suspend" };
    g_autofree char *bus = virHostInfoPath("/run/dbus/system_bus_socket");
    g_autofree char *seats = virHostInfoPath("/run/systemd/seats");
    bool logind = virHostInfoExists(bus) && virHostInfoExists(seats);

    if (target >= G_N_ELEMENTS(names)) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Invalid suspend target");
        return -1;
    }
    if (!logind) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s", names[target]);
        return -1;
    }
    virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "suspending the host is not supported by this daemon");
    return -1;
}

/* ---- SMBIOS ---- */

/* dmidecode's output (NULL when it fails, as libvirt's reading), within
 * 10 s: a hung tool does not hold the worker for ever. */
static char *
virHostInfoRunDmidecode(void)
{
    static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };
    static const char *const argv[] = { "dmidecode", "-q", "-t", "0,1,2,3,4,11,17", NULL };
    g_autofree char *prog = NULL;
    char *out = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(dirs) && !prog; i++) {
        g_autofree char *p = virHostInfoPath("%s/dmidecode", dirs[i]);

        if (access(p, X_OK) == 0)
            prog = g_steal_pointer(&p);
    }
    if (!prog)
        return NULL;
    if (virCommandRunArgvOutput(prog, argv, 10 * 1000, NULL, 4 * 1024 * 1024, &out) < 0) {
        virResetLastError();    /* the caller reports the SMBIOS missing */
        return NULL;
    }
    return out;
}


/* libvirt's sections: dmidecode's title, the element, its entries
 * (dmidecode's key, the entry's name); a device without any is left out. */
typedef struct {
    const char *title;
    const char *element;
    bool many;
    const char *const (*keys)[2];
    size_t nkeys;
} virHostInfoSection;

static const char *const virHostInfoBIOSKeys[][2] = {
    { "Vendor", "vendor" }, { "Version", "version" }, { "Release Date", "date" },
    { "BIOS Revision", "release" },
};
static const char *const virHostInfoSystemKeys[][2] = {
    { "Manufacturer", "manufacturer" }, { "Product Name", "product" }, { "Version", "version" },
    { "Serial Number", "serial" }, { "UUID", "uuid" }, { "SKU Number", "sku" },
    { "Family", "family" },
};
static const char *const virHostInfoBoardKeys[][2] = {
    { "Manufacturer", "manufacturer" }, { "Product Name", "product" }, { "Version", "version" },
    { "Serial Number", "serial" }, { "Asset Tag", "asset" },
    { "Location In Chassis", "location" },
};
static const char *const virHostInfoChassisKeys[][2] = {
    { "Manufacturer", "manufacturer" }, { "Version", "version" },
    { "Serial Number", "serial" }, { "Asset Tag", "asset" }, { "SKU Number", "sku" },
};
static const char *const virHostInfoProcessorKeys[][2] = {
    { "Socket Designation", "socket_destination" }, { "Type", "type" }, { "Family", "family" },
    { "Manufacturer", "manufacturer" }, { "Signature", "signature" }, { "Version", "version" },
    { "External Clock", "external_clock" }, { "Max Speed", "max_speed" },
    { "Status", "status" }, { "Serial Number", "serial_number" },
    { "Part Number", "part_number" },
};
static const char *const virHostInfoMemoryKeys[][2] = {
    { "Size", "size" }, { "Form Factor", "form_factor" }, { "Locator", "locator" },
    { "Bank Locator", "bank_locator" }, { "Type", "type" }, { "Type Detail", "type_detail" },
    { "Speed", "speed" }, { "Manufacturer", "manufacturer" },
    { "Serial Number", "serial_number" }, { "Part Number", "part_number" },
};

#define VIR_HOST_INFO_SECTION(title, element, many, keys) \
    { title, element, many, keys, G_N_ELEMENTS(keys) }

static const virHostInfoSection virHostInfoSections[] = {
    VIR_HOST_INFO_SECTION("BIOS Information", "bios", false, virHostInfoBIOSKeys),
    VIR_HOST_INFO_SECTION("System Information", "system", false, virHostInfoSystemKeys),
    VIR_HOST_INFO_SECTION("Base Board Information", "baseBoard", true, virHostInfoBoardKeys),
    VIR_HOST_INFO_SECTION("Chassis Information", "chassis", false, virHostInfoChassisKeys),
    VIR_HOST_INFO_SECTION("Processor Information", "processor", true,
                          virHostInfoProcessorKeys),
    VIR_HOST_INFO_SECTION("Memory Device", "memory_device", true, virHostInfoMemoryKeys),
};

/* The value of "\tKey: value" in a block of lines, trailing blanks cut. */
static char *
virHostInfoDMIValue(char **lines, const char *key)
{
    size_t klen = strlen(key);

    for (size_t i = 0; lines[i] && *lines[i]; i++) {
        const char *p = lines[i];

        while (*p == '\t' || *p == ' ')
            p++;
        if (strncmp(p, key, klen) == 0 && p[klen] == ':' && p[klen + 1] == ' ')
            return g_strchomp(g_strdup(p + klen + 2));
    }
    return NULL;
}

static void
virHostInfoFormatSection(GString *xml, const virHostInfoSection *s, char **lines)
{
    g_autoptr(GString) entries = g_string_new(NULL);
    g_autofree char *size = NULL;

    /* libvirt leaves empty memory slots out */
    if (strcmp(s->element, "memory_device") == 0 &&
        (size = virHostInfoDMIValue(lines, "Size")) && strcmp(size, "No Module Installed") == 0)
        return;
    for (size_t k = 0; k < s->nkeys; k++) {
        g_autofree char *v = virHostInfoDMIValue(lines, s->keys[k][0]);
        g_autofree char *esc = NULL;

        if (!v)
            continue;
        esc = g_markup_escape_text(v, -1);
        g_string_append_printf(entries, "    <entry name='%s'>%s</entry>\n", s->keys[k][1], esc);
    }
    if (entries->len)
        g_string_append_printf(xml, "  <%s>\n%s  </%s>\n", s->element, entries->str, s->element);
}

static char *
virHostInfoFormatSMBIOS(const char *dmi)
{
    g_auto(GStrv) lines = g_strsplit(dmi, "\n", -1);
    g_autoptr(GString) xml = g_string_new("<sysinfo type='smbios'>\n");

    for (size_t s = 0; s < G_N_ELEMENTS(virHostInfoSections); s++) {
        for (size_t i = 0; lines[i]; i++) {
            if (strcmp(g_strchomp(lines[i]), virHostInfoSections[s].title) != 0)
                continue;
            virHostInfoFormatSection(xml, &virHostInfoSections[s], lines + i + 1);
            if (!virHostInfoSections[s].many)
                break;
        }
    }
    g_string_append(xml, "</sysinfo>\n");
    return g_string_free(g_steal_pointer(&xml), FALSE);
}

char *
virHostInfoGetSysinfo(void)
{
    char *text = g_atomic_pointer_get(&virHostInfoSMBIOS);
    g_autofree char *dmi = NULL;

    if (!text) {
        if (!(dmi = virHostInfoRunDmidecode()))
            return NULL;
        text = virHostInfoFormatSMBIOS(dmi);
        /* another thread may have been first: keep its text */
        if (!g_atomic_pointer_compare_and_exchange(&virHostInfoSMBIOS, NULL, text)) {
            g_free(text);
            text = g_atomic_pointer_get(&virHostInfoSMBIOS);
        }
    }
    return g_strdup(text);
}

/* ---- CPUs and the capabilities' topology ---- */

/* A sysfs CPU list ("0-3,5"): the bits set in *map (of *nbits), or -1. */
static int
virHostInfoParseCPUList(const char *path, unsigned char **map, unsigned int *nbits)
{
    g_autofree char *text = virHostInfoRead(path);
    g_auto(GStrv) ranges = NULL;

    if (!text) {
        virReportSystemError(errno, "Unable to read from '%s'", path);
        return -1;
    }
    *nbits = 0;
    *map = NULL;
    ranges = g_strsplit(g_strstrip(text), ",", -1);
    for (size_t i = 0; ranges[i] && *ranges[i]; i++) {
        char *end;
        unsigned long first = strtoul(ranges[i], &end, 10), last = first;

        if (*end == '-')
            last = strtoul(end + 1, &end, 10);
        if (last < first || last > 65535) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot parse the CPU list '%s' of %s", text,
                           path);
            g_clear_pointer(map, g_free);
            return -1;
        }
        if (last + 1 > *nbits) {
            *map = g_realloc(*map, (last + 8) / 8);
            memset(*map + (*nbits + 7) / 8, 0, (last + 8) / 8 - (*nbits + 7) / 8);
            *nbits = (unsigned int)last + 1;
        }
        for (unsigned long b = first; b <= last; b++)
            (*map)[b / 8] |= 1 << (b % 8);
    }
    return 0;
}

static bool
virHostInfoBit(const unsigned char *map, unsigned int nbits, unsigned int bit)
{
    return bit < nbits && (map[bit / 8] >> (bit % 8)) & 1;
}

int
virHostInfoGetCPUMap(unsigned char **cpumap, unsigned int *online)
{
    g_autofree char *presentPath = virHostInfoPath("/sys/devices/system/cpu/present");
    g_autofree char *onlinePath = virHostInfoPath("/sys/devices/system/cpu/online");
    g_autofree unsigned char *present = NULL;
    g_autofree unsigned char *on = NULL;
    unsigned int npresent, non, count = 0;

    if (virHostInfoParseCPUList(presentPath, &present, &npresent) < 0)
        return -1;
    if (!cpumap && !online)
        return (int)npresent;
    if (virHostInfoParseCPUList(onlinePath, &on, &non) < 0)
        return -1;
    for (unsigned int i = 0; i < non; i++)
        count += virHostInfoBit(on, non, i);
    if (online)
        *online = count;
    if (cpumap) {
        *cpumap = g_new0(unsigned char, (npresent + 7) / 8);
        memcpy(*cpumap, on, MIN((non + 7) / 8, (npresent + 7) / 8));
    }
    return (int)npresent;
}

/* The huge page sizes the host offers (KiB, ascending), with the system
 * page size first. */
static GArray *
virHostInfoPageSizes(void)
{
    g_autofree char *dir = virHostInfoPath(VIR_HOST_HUGEPAGES_DIR);
    GArray *sizes = g_array_new(FALSE, FALSE, sizeof(unsigned int));
    unsigned int sys = virHostInfoSystemPageKiB();
    const char *name;
    GDir *d;

    virNoIOCheck("opendir");
    if ((d = g_dir_open(dir, 0, NULL))) {
        while ((name = g_dir_read_name(d))) {
            unsigned int size;
            char unit[4];

            if (sscanf(name, "hugepages-%u%3s", &size, unit) == 2 && strcmp(unit, "kB") == 0)
                g_array_append_val(sizes, size);
        }
        g_dir_close(d);
    }
    g_array_sort(sizes, virCompareInt);
    g_array_prepend_val(sizes, sys);
    return sizes;
}

char *
virHostInfoFormatPages(void)
{
    g_autoptr(GArray) sizes = virHostInfoPageSizes();
    GString *xml = g_string_new(NULL);

    for (guint i = 0; i < sizes->len; i++)
        g_string_append_printf(xml, "      <pages unit='KiB' size='%u'/>\n",
                               g_array_index(sizes, unsigned int, i));
    return g_string_free(xml, FALSE);
}

/* A small number file of sysfs; -1 when missing. */
static long long
virHostInfoReadNumber(const char *path)
{
    g_autofree char *text = virHostInfoRead(path);

    return text ? g_ascii_strtoll(text, NULL, 10) : -1;
}

static long long
virHostInfoReadNumberIn(const char *dir, const char *file)
{
    g_autofree char *path = g_build_filename(dir, file, NULL);

    return virHostInfoReadNumber(path);
}

static void
virHostInfoFormatCell(GString *xml, int node, int maxNode, GArray *sizes)
{
    g_autofree char *cpulist = virHostInfoPath(VIR_HOST_NODE_DIR "/node%d/cpulist", node);
    g_autofree char *distPath = virHostInfoPath(VIR_HOST_NODE_DIR "/node%d/distance", node);
    g_autofree char *dist = virHostInfoRead(distPath);
    g_autofree unsigned char *cpus = NULL;
    unsigned long long total = 0, free, hugeBytes = 0;
    unsigned int ncpus = 0, count = 0;
    unsigned int sys = virHostInfoSystemPageKiB();

    virHostInfoNodeMemory(node, &total, &free);
    g_string_append_printf(xml, "        <cell id='%d'>\n"
                                "          <memory unit='KiB'>%llu</memory>\n", node,
                           total / 1024);
    for (guint i = 1; i < sizes->len; i++) {
        unsigned int size = g_array_index(sizes, unsigned int, i);
        g_autofree char *path = virHostInfoPath(
            VIR_HOST_NODE_DIR "/node%d/hugepages/hugepages-%ukB/nr_hugepages", node, size);
        long long n = virHostInfoReadNumber(path);

        hugeBytes += n > 0 ? (unsigned long long)n * size * 1024 : 0;
    }
    for (guint i = 0; i < sizes->len; i++) {
        unsigned int size = g_array_index(sizes, unsigned int, i);
        unsigned long long n;

        if (size == sys) {
            n = (total - MIN(total, hugeBytes)) / ((unsigned long long)sys * 1024);
        } else {
            g_autofree char *path = virHostInfoPath(
                VIR_HOST_NODE_DIR "/node%d/hugepages/hugepages-%ukB/nr_hugepages", node, size);
            long long v = virHostInfoReadNumber(path);

            n = v > 0 ? (unsigned long long)v : 0;
        }
        g_string_append_printf(xml, "          <pages unit='KiB' size='%u'>%llu</pages>\n", size,
                               n);
    }
    if (dist) {
        g_auto(GStrv) values = g_strsplit(g_strstrip(dist), " ", -1);

        g_string_append(xml, "          <distances>\n");
        for (int i = 0; i <= maxNode && values[i]; i++)
            g_string_append_printf(xml, "            <sibling id='%d' value='%s'/>\n", i,
                                   values[i]);
        g_string_append(xml, "          </distances>\n");
    }
    if (virHostInfoParseCPUList(cpulist, &cpus, &ncpus) < 0) {
        virResetLastError();
        ncpus = 0;
    }
    for (unsigned int c = 0; c < ncpus; c++)
        count += virHostInfoBit(cpus, ncpus, c);
    g_string_append_printf(xml, "          <cpus num='%u'>\n", count);
    for (unsigned int c = 0; c < ncpus; c++) {
        g_autofree char *topo = NULL;
        g_autofree char *sibPath = NULL;
        g_autofree char *siblings = NULL;
        long long socket, die, core;

        if (!virHostInfoBit(cpus, ncpus, c))
            continue;
        topo = virHostInfoPath("/sys/devices/system/cpu/cpu%u/topology", c);
        socket = virHostInfoReadNumberIn(topo, "physical_package_id");
        die = virHostInfoReadNumberIn(topo, "die_id");
        core = virHostInfoReadNumberIn(topo, "core_id");
        sibPath = g_build_filename(topo, "thread_siblings_list", NULL);
        siblings = virHostInfoRead(sibPath);
        g_string_append_printf(xml, "            <cpu id='%u' socket_id='%lld' die_id='%lld' "
                               "core_id='%lld' siblings='%s'/>\n", c, socket, MAX(die, 0), core,
                               siblings ? g_strstrip(siblings) : "");
    }
    g_string_append(xml, "          </cpus>\n        </cell>\n");
}

char *
virHostInfoFormatTopology(void)
{
    g_autoptr(GArray) sizes = NULL;
    GString *xml;
    int max, n = 0;

    if (!virHostInfoHasNUMA())
        return NULL;
    if ((max = virHostInfoGetMaxNode()) < 0) {
        virResetLastError();
        return NULL;
    }
    sizes = virHostInfoPageSizes();
    for (int node = 0; node <= max; node++) {
        g_autofree char *dir = virHostInfoPath(VIR_HOST_NODE_DIR "/node%d", node);

        n += virHostInfoExists(dir);
    }
    xml = g_string_new(NULL);
    g_string_append_printf(xml, "    <topology>\n      <cells num='%d'>\n", n);
    for (int node = 0; node <= max; node++) {
        g_autofree char *dir = virHostInfoPath(VIR_HOST_NODE_DIR "/node%d", node);

        if (virHostInfoExists(dir))
            virHostInfoFormatCell(xml, node, max, sizes);
    }
    g_string_append(xml, "      </cells>\n    </topology>\n");
    return g_string_free(xml, FALSE);
}
