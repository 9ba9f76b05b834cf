/*
 * lxccgroup.c: a container's cgroups (lxccgroup.h).
 *
 * No locking: an lxcCgroup belongs to the thread using it. Every function
 * but lxcCgroupHas / lxcCgroupControllerName / lxcCgroupPath does file I/O
 * in /sys and calls virNoIOCheck first: callers hold no virNoIOMutex.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <glib.h>

#include "lxccgroup.h"
#include "lxcconf.h"
#include "virerror.h"
#include "virlog.h"
#include "virnoiolock.h"
#include "virpublic.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_CGROUP

VIR_LOG_INIT("drivers.lxc.cgroup");

/* libvirt's ranges (vircgroup.h) */
#define LXC_CPU_SHARES_MIN 2ULL
#define LXC_CPU_SHARES_MAX 262144ULL
#define LXC_CPU_PERIOD_MIN 1000ULL
#define LXC_CPU_PERIOD_MAX 1000000ULL
#define LXC_CPU_QUOTA_MIN 1000LL
#define LXC_CPU_QUOTA_MAX 17592186044415LL

#define LXC_FREEZE_WAIT_MS 1000
#define LXC_V1_UNLIMITED_BYTES 0x7FFFFFFFFFFFF000ULL

typedef struct {
    const char *v1;             /* the v1 hierarchy's name */
    const char *v2;             /* the v2 controller; NULL: a core feature of v2 */
    const char *noV2;           /* not in v2's files at all: why */
} lxcCgroupControllerInfo;

static const lxcCgroupControllerInfo lxcCgroupControllers[LXC_CGROUP_LAST] = {
    [LXC_CGROUP_MEMORY] = { "memory", "memory" },
    [LXC_CGROUP_CPU] = { "cpu", "cpu" },
    [LXC_CGROUP_CPUACCT] = { "cpuacct", NULL },
    [LXC_CGROUP_BLKIO] = { "blkio", "io" },
    [LXC_CGROUP_FREEZER] = { "freezer", NULL },
    [LXC_CGROUP_CPUSET] = { "cpuset", "cpuset" },
    /* v2 controls devices with BPF programs, which virtnet does not load */
    [LXC_CGROUP_DEVICES] = { "devices", NULL, "cgroup v2 has no devices files (BPF programs: not done)" },
};


const char *
lxcCgroupControllerName(lxcCgroupController c)
{
    return lxcCgroupControllers[c].v1;
}


static bool
lxcCgroupIsFS(const char *path, long magic)
{
    struct statfs sb;

    return statfs(path, &sb) == 0 && (long)sb.f_type == magic;
}


lxcCgroup *
lxcCgroupNew(const char *name)
{
    lxcCgroup *cg = g_new0(lxcCgroup, 1);
    g_autofree char *leaf = lxcCgroupName(name);
    g_autofree char *ctlpath = NULL;
    g_autofree char *controllers = NULL;
    g_auto(GStrv) v2list = NULL;
    g_autoptr(GString) why = g_string_new(NULL);
    const char *v2root = NULL;
    size_t i;

    virNoIOCheck("probing cgroups");
    if (lxcCgroupIsFS("/sys/fs/cgroup", CGROUP2_SUPER_MAGIC))
        v2root = "/sys/fs/cgroup";
    else if (lxcCgroupIsFS("/sys/fs/cgroup/unified", CGROUP2_SUPER_MAGIC))
        v2root = "/sys/fs/cgroup/unified";
    if (v2root) {
        ctlpath = g_build_filename(v2root, "cgroup.controllers", NULL);
        if (g_file_get_contents(ctlpath, &controllers, NULL, NULL))
            v2list = g_strsplit_set(g_strstrip(controllers), " ", -1);
    }

    for (i = 0; i < LXC_CGROUP_LAST; i++) {
        const lxcCgroupControllerInfo *info = &lxcCgroupControllers[i];
        g_autofree char *v1root = g_build_filename("/sys/fs/cgroup", info->v1, NULL);
        bool v1 = lxcCgroupIsFS(v1root, CGROUP_SUPER_MAGIC);

        if (info->noV2 && !v1) {
            if (v2root)
                g_string_append_printf(why, "%sno %s controller: %s", why->len ? "; " : "",
                                       info->v1, info->noV2);
            else
                g_string_append_printf(why, "%sno %s controller (not mounted as cgroup v1)",
                                       why->len ? "; " : "", info->v1);
        } else if (info->noV2) {
            cg->dir[i] = g_build_filename(v1root, "virtnet-lxc", leaf, NULL);
        } else if (v2root && info->v2 && v2list &&
            g_strv_contains((const char *const *)v2list, info->v2)) {
            cg->dir[i] = g_build_filename(v2root, "virtnet-lxc", leaf, NULL);
            cg->v2[i] = true;
        } else if (v1) {
            cg->dir[i] = g_build_filename(v1root, "virtnet-lxc", leaf, NULL);
        } else if (v2root && !info->v2) {
            /* CPU accounting and the freezer are built into v2 */
            cg->dir[i] = g_build_filename(v2root, "virtnet-lxc", leaf, NULL);
            cg->v2[i] = true;
        } else {
            g_string_append_printf(why, "%sno %s controller (neither in cgroup v2 nor "
                                   "mounted as cgroup v1)", why->len ? "; " : "", info->v1);
        }
    }
    cg->why = g_string_free(g_steal_pointer(&why), FALSE);
    return cg;
}


void
lxcCgroupFree(lxcCgroup *cg)
{
    size_t i;

    if (!cg)
        return;
    for (i = 0; i < LXC_CGROUP_LAST; i++)
        g_free(cg->dir[i]);
    g_free(cg->why);
    g_free(cg);
}


bool
lxcCgroupHas(const lxcCgroup *cg, lxcCgroupController c)
{
    return cg && cg->dir[c] != NULL;
}


char *
lxcCgroupPath(const lxcCgroup *cg, lxcCgroupController c, const char *file)
{
    return g_build_filename(cg->dir[c], file, NULL);
}


/* ---- raw files ---- */

static int
lxcCgroupWritePath(const char *path, const char *value, bool report)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t n = -1;
    int err;

    if (fd >= 0)
        n = write(fd, value, strlen(value));
    err = errno;
    if (fd >= 0)
        close(fd);
    if (n < 0) {
        if (report)
            virReportSystemError(err, "Unable to write to '%s'", path);
        errno = err;
        return -1;
    }
    return 0;
}


static int
lxcCgroupWrite(lxcCgroup *cg, lxcCgroupController c, const char *file, const char *value)
{
    g_autofree char *path = lxcCgroupPath(cg, c, file);

    virNoIOCheck("writing a cgroup file");
    return lxcCgroupWritePath(path, value, true);
}


static char *
lxcCgroupRead(lxcCgroup *cg, lxcCgroupController c, const char *file)
{
    g_autofree char *path = lxcCgroupPath(cg, c, file);
    g_autoptr(GError) gerr = NULL;
    char *text = NULL;

    virNoIOCheck("reading a cgroup file");
    if (!g_file_get_contents(path, &text, NULL, &gerr)) {
        int err = EIO;

        if (gerr && gerr->domain == G_FILE_ERROR) {
            switch (gerr->code) {
            case G_FILE_ERROR_NOENT: err = ENOENT; break;
            case G_FILE_ERROR_ACCES: err = EACCES; break;
            case G_FILE_ERROR_PERM: err = EPERM; break;
            default: break;
            }
        }
        virReportSystemError(err, "Unable to read from '%s'", path);
        return NULL;
    }
    return g_strchomp(text);
}


static int
lxcCgroupReadU64(lxcCgroup *cg, lxcCgroupController c, const char *file,
                 unsigned long long *value)
{
    g_autofree char *text = lxcCgroupRead(cg, c, file);
    char *end;

    if (!text)
        return -1;
    errno = 0;
    *value = g_ascii_strtoull(text, &end, 10);
    if (errno || end == text || *end) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse '%s' as an integer", text);
        return -1;
    }
    return 0;
}


static int
lxcCgroupReadI64(lxcCgroup *cg, lxcCgroupController c, const char *file, long long *value)
{
    g_autofree char *text = lxcCgroupRead(cg, c, file);
    char *end;

    if (!text)
        return -1;
    errno = 0;
    *value = g_ascii_strtoll(text, &end, 10);
    if (errno || end == text || *end) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse '%s' as an integer", text);
        return -1;
    }
    return 0;
}


static int
lxcCgroupWriteU64(lxcCgroup *cg, lxcCgroupController c, const char *file,
                  unsigned long long value)
{
    char buf[32];

    g_snprintf(buf, sizeof(buf), "%llu", value);
    return lxcCgroupWrite(cg, c, file, buf);
}


/* The value of "KEY N" in a flat keyed file (memory.stat, cpu.stat). */
static bool
lxcCgroupKeyed(const char *text, const char *key, unsigned long long *value)
{
    size_t len = strlen(key);
    const char *p = text;

    while (p && *p) {
        if (strncmp(p, key, len) == 0 && p[len] == ' ') {
            *value = g_ascii_strtoull(p + len + 1, NULL, 10);
            return true;
        }
        if ((p = strchr(p, '\n')))
            p++;
    }
    return false;
}


static int
lxcCgroupNeed(lxcCgroup *cg, lxcCgroupController c)
{
    if (lxcCgroupHas(cg, c))
        return 0;
    virReportError(VIR_ERR_OPERATION_INVALID, "cgroup %s controller is not mounted",
                   lxcCgroupControllers[c].v1);
    return -1;
}


/* ---- creation and removal ---- */

/* A new v1 cpuset group has no CPUs and no memory nodes (no task may join
 * it): it gets its parent's, as libvirt's do. -1 with errno. */
static int
lxcCgroupCpusetInherit(const char *parent, const char *child)
{
    static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *from = g_build_filename(parent, files[i], NULL);
        g_autofree char *to = g_build_filename(child, files[i], NULL);
        g_autofree char *have = NULL;
        g_autofree char *value = NULL;

        if (g_file_get_contents(to, &have, NULL, NULL) && *g_strstrip(have))
            continue;
        if (!g_file_get_contents(from, &value, NULL, NULL)) {
            errno = EIO;
            return -1;
        }
        if (lxcCgroupWritePath(to, g_strstrip(value), false) < 0)
            return -1;
    }
    return 0;
}


int
lxcCgroupCreate(lxcCgroup *cg, pid_t pid)
{
    g_autoptr(GString) why = g_string_new(cg->why);
    g_autofree char *pidstr = g_strdup_printf("%d", (int)pid);
    bool any = false;
    size_t i;

    virNoIOCheck("creating cgroups");
    for (i = 0; i < LXC_CGROUP_LAST; i++) {
        g_autofree char *base = NULL;
        g_autofree char *root = NULL;
        g_autofree char *procs = NULL;
        int err = 0;

        if (!cg->dir[i])
            continue;
        base = g_path_get_dirname(cg->dir[i]);
        root = g_path_get_dirname(base);
        if (cg->v2[i] && lxcCgroupControllers[i].v2) {
            /* enable it for virtnet-lxc/ and for the container's group;
             * the root is exempt from the no-internal-processes rule */
            g_autofree char *enable = g_strdup_printf("+%s", lxcCgroupControllers[i].v2);
            g_autofree char *rootCtl = g_build_filename(root, "cgroup.subtree_control", NULL);
            g_autofree char *baseCtl = g_build_filename(base, "cgroup.subtree_control", NULL);

            if (lxcCgroupWritePath(rootCtl, enable, false) < 0 ||
                (mkdir(base, 0755) < 0 && errno != EEXIST) ||
                lxcCgroupWritePath(baseCtl, enable, false) < 0)
                err = errno;
        } else if (mkdir(base, 0755) < 0 && errno != EEXIST) {
            err = errno;
        }
        procs = g_build_filename(cg->dir[i], "cgroup.procs", NULL);
        if (!err && mkdir(cg->dir[i], 0755) < 0 && errno != EEXIST)
            err = errno;
        if (!err && i == LXC_CGROUP_CPUSET && !cg->v2[i] &&
            (lxcCgroupCpusetInherit(root, base) < 0 ||
             lxcCgroupCpusetInherit(base, cg->dir[i]) < 0))
            err = errno;
        if (!err && lxcCgroupWritePath(procs, pidstr, false) < 0)
            err = errno;
        if (err) {
            g_string_append_printf(why, "%s%s controller at %s: %s", why->len ? "; " : "",
                                   lxcCgroupControllers[i].v1, cg->dir[i], g_strerror(err));
            rmdir(cg->dir[i]);
            g_clear_pointer(&cg->dir[i], g_free);
            continue;
        }
        any = true;
    }
    g_free(cg->why);
    cg->why = g_strdup(why->str);
    if (!any) {
        virReportError(VIR_ERR_OPERATION_FAILED, "no cgroup for the container: %s", why->str);
        return -1;
    }
    return 0;
}



int
lxcCgroupAddTask(const lxcCgroup *cg, pid_t pid)
{
    g_autofree char *pidstr = g_strdup_printf("%d", (int)pid);
    int err = 0;
    size_t i;

    virNoIOCheck("moving a task into cgroups");
    for (i = 0; i < LXC_CGROUP_LAST; i++) {
        g_autofree char *procs = NULL;

        if (!cg->dir[i])
            continue;
        procs = g_build_filename(cg->dir[i], "cgroup.procs", NULL);
        if (lxcCgroupWritePath(procs, pidstr, false) < 0)
            err = errno;
    }
    errno = err;
    return err ? -1 : 0;
}

void
lxcCgroupRemove(lxcCgroup *cg)
{
    size_t i;

    virNoIOCheck("removing cgroups");
    for (i = 0; i < LXC_CGROUP_LAST; i++) {
        int tries = 0;

        if (!cg->dir[i])
            continue;
        /* EBUSY while a killed init is still leaving the group */
        while (rmdir(cg->dir[i]) < 0 && errno == EBUSY && ++tries < 200)
            virSleepMs(5);
        if (access(cg->dir[i], F_OK) == 0)
            VIR_WARN("cannot remove cgroup %s: %s", cg->dir[i], g_strerror(EBUSY));
    }
}


/* ---- memory ---- */

static int
lxcCgroupSetLimit(lxcCgroup *cg, const char *v1file, const char *v2file, unsigned long long kib)
{
    char buf[32];

    if (lxcCgroupNeed(cg, LXC_CGROUP_MEMORY) < 0)
        return -1;
    if (kib > (unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED) {
        virReportError(VIR_ERR_INVALID_ARG, "Memory '%llu' must be less than %llu", kib,
                       (unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED);
        return -1;
    }
    if (kib == (unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED)
        g_strlcpy(buf, cg->v2[LXC_CGROUP_MEMORY] ? "max" : "-1", sizeof(buf));
    else
        g_snprintf(buf, sizeof(buf), "%llu", kib << 10);
    return lxcCgroupWrite(cg, LXC_CGROUP_MEMORY, cg->v2[LXC_CGROUP_MEMORY] ? v2file : v1file,
                          buf);
}


static int
lxcCgroupGetLimit(lxcCgroup *cg, const char *v1file, const char *v2file, unsigned long long *kib)
{
    g_autofree char *text = NULL;

    if (lxcCgroupNeed(cg, LXC_CGROUP_MEMORY) < 0 ||
        !(text = lxcCgroupRead(cg, LXC_CGROUP_MEMORY,
                               cg->v2[LXC_CGROUP_MEMORY] ? v2file : v1file)))
        return -1;
    if (strcmp(text, "max") == 0) {
        *kib = VIR_DOMAIN_MEMORY_PARAM_UNLIMITED;
        return 0;
    }
    *kib = g_ascii_strtoull(text, NULL, 10) >> 10;
    /* v1 says "no limit" with the largest page-aligned value (what the
     * root group holds), libvirt's unlimited */
    if (*kib >= (unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED ||
        *kib >= (LXC_V1_UNLIMITED_BYTES >> 10))
        *kib = VIR_DOMAIN_MEMORY_PARAM_UNLIMITED;
    return 0;
}


int
lxcCgroupSetMemoryHardLimit(lxcCgroup *cg, unsigned long long kib)
{
    return lxcCgroupSetLimit(cg, "memory.limit_in_bytes", "memory.max", kib);
}

int
lxcCgroupGetMemoryHardLimit(lxcCgroup *cg, unsigned long long *kib)
{
    return lxcCgroupGetLimit(cg, "memory.limit_in_bytes", "memory.max", kib);
}

int
lxcCgroupSetMemorySoftLimit(lxcCgroup *cg, unsigned long long kib)
{
    return lxcCgroupSetLimit(cg, "memory.soft_limit_in_bytes", "memory.high", kib);
}

int
lxcCgroupGetMemorySoftLimit(lxcCgroup *cg, unsigned long long *kib)
{
    return lxcCgroupGetLimit(cg, "memory.soft_limit_in_bytes", "memory.high", kib);
}

int
lxcCgroupSetMemSwapHardLimit(lxcCgroup *cg, unsigned long long kib)
{
    return lxcCgroupSetLimit(cg, "memory.memsw.limit_in_bytes", "memory.swap.max", kib);
}

int
lxcCgroupGetMemSwapHardLimit(lxcCgroup *cg, unsigned long long *kib)
{
    return lxcCgroupGetLimit(cg, "memory.memsw.limit_in_bytes", "memory.swap.max", kib);
}


static int
lxcCgroupGetUsage(lxcCgroup *cg, const char *v1file, const char *v2file, unsigned long long *kib)
{
    unsigned long long bytes;

    if (lxcCgroupNeed(cg, LXC_CGROUP_MEMORY) < 0 ||
        lxcCgroupReadU64(cg, LXC_CGROUP_MEMORY, cg->v2[LXC_CGROUP_MEMORY] ? v2file : v1file,
                         &bytes) < 0)
        return -1;
    *kib = bytes >> 10;
    return 0;
}

int
lxcCgroupGetMemoryUsage(lxcCgroup *cg, unsigned long long *kib)
{
    return lxcCgroupGetUsage(cg, "memory.usage_in_bytes", "memory.current", kib);
}

int
lxcCgroupGetMemSwapUsage(lxcCgroup *cg, unsigned long long *kib)
{
    return lxcCgroupGetUsage(cg, "memory.memsw.usage_in_bytes", "memory.swap.current", kib);
}


/* ---- CPU ---- */

int
lxcCgroupSetCpuShares(lxcCgroup *cg, unsigned long long shares)
{
    if (lxcCgroupNeed(cg, LXC_CGROUP_CPU) < 0)
        return -1;
    if (shares < LXC_CPU_SHARES_MIN || shares > LXC_CPU_SHARES_MAX) {
        virReportError(VIR_ERR_INVALID_ARG, "shares '%llu' must be in range [%llu, %llu]",
                       shares, LXC_CPU_SHARES_MIN, LXC_CPU_SHARES_MAX);
        return -1;
    }
    return lxcCgroupWriteU64(cg, LXC_CGROUP_CPU,
                             cg->v2[LXC_CGROUP_CPU] ? "cpu.weight" : "cpu.shares", shares);
}

int
lxcCgroupGetCpuShares(lxcCgroup *cg, unsigned long long *shares)
{
    if (lxcCgroupNeed(cg, LXC_CGROUP_CPU) < 0)
        return -1;
    return lxcCgroupReadU64(cg, LXC_CGROUP_CPU,
                            cg->v2[LXC_CGROUP_CPU] ? "cpu.weight" : "cpu.shares", shares);
}


/* cpu.max: "QUOTA|max PERIOD" */
static int
lxcCgroupReadCpuMax(lxcCgroup *cg, unsigned long long *period, long long *quota)
{
    g_autofree char *text = lxcCgroupRead(cg, LXC_CGROUP_CPU, "cpu.max");
    char *space;

    if (!text)
        return -1;
    if (!(space = strchr(text, ' '))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "Invalid 'cpu.max' data.");
        return -1;
    }
    *period = g_ascii_strtoull(space + 1, NULL, 10);
    *quota = strncmp(text, "max", 3) == 0 ? LXC_CPU_QUOTA_MAX : g_ascii_strtoll(text, NULL, 10);
    return 0;
}


static int
lxcCgroupSetPeriod(lxcCgroup *cg, unsigned long long period)
{
    unsigned long long oldPeriod;
    long long quota;
    g_autofree char *value = NULL;

    if (period < LXC_CPU_PERIOD_MIN || period > LXC_CPU_PERIOD_MAX) {
        virReportError(VIR_ERR_INVALID_ARG, "cfs_period '%llu' must be in range (%llu, %llu)",
                       period, LXC_CPU_PERIOD_MIN, LXC_CPU_PERIOD_MAX);
        return -1;
    }
    if (!cg->v2[LXC_CGROUP_CPU])
        return lxcCgroupWriteU64(cg, LXC_CGROUP_CPU, "cpu.cfs_period_us", period);
    if (lxcCgroupReadCpuMax(cg, &oldPeriod, &quota) < 0)
        return -1;
    value = quota == LXC_CPU_QUOTA_MAX ? g_strdup_printf("max %llu", period)
                                       : g_strdup_printf("%lld %llu", quota, period);
    return lxcCgroupWrite(cg, LXC_CGROUP_CPU, "cpu.max", value);
}


static int
lxcCgroupSetQuota(lxcCgroup *cg, long long quota)
{
    char buf[32];

    if (quota >= 0 && (quota < LXC_CPU_QUOTA_MIN || quota > LXC_CPU_QUOTA_MAX)) {
        virReportError(VIR_ERR_INVALID_ARG, "cfs_quota '%lld' must be in range (%llu, %llu)",
                       quota, (unsigned long long)LXC_CPU_QUOTA_MIN,
                       (unsigned long long)LXC_CPU_QUOTA_MAX);
        return -1;
    }
    if (!cg->v2[LXC_CGROUP_CPU]) {
        g_snprintf(buf, sizeof(buf), "%lld", quota);
        return lxcCgroupWrite(cg, LXC_CGROUP_CPU, "cpu.cfs_quota_us", buf);
    }
    if (quota < 0 || quota == LXC_CPU_QUOTA_MAX)
        g_strlcpy(buf, "max", sizeof(buf));
    else
        g_snprintf(buf, sizeof(buf), "%lld", quota);
    return lxcCgroupWrite(cg, LXC_CGROUP_CPU, "cpu.max", buf);
}


int
lxcCgroupSetCpuPeriodQuota(lxcCgroup *cg, unsigned long long period, long long quota)
{
    unsigned long long oldPeriod = 0;
    long long oldQuota;

    if (period == 0 && quota == 0)
        return 0;
    if (lxcCgroupNeed(cg, LXC_CGROUP_CPU) < 0)
        return -1;
    if (period) {
        if (lxcCgroupGetCpuPeriodQuota(cg, &oldPeriod, &oldQuota) < 0 ||
            lxcCgroupSetPeriod(cg, period) < 0)
            return -1;
    }
    if (quota && lxcCgroupSetQuota(cg, quota) < 0) {
        if (period) {
            virError *saved = virErrorPreserveLast();

            lxcCgroupSetPeriod(cg, oldPeriod);
            virErrorRestore(&saved);
        }
        return -1;
    }
    return 0;
}


int
lxcCgroupGetCpuPeriodQuota(lxcCgroup *cg, unsigned long long *period, long long *quota)
{
    if (lxcCgroupNeed(cg, LXC_CGROUP_CPU) < 0)
        return -1;
    if (cg->v2[LXC_CGROUP_CPU])
        return lxcCgroupReadCpuMax(cg, period, quota);
    if (lxcCgroupReadU64(cg, LXC_CGROUP_CPU, "cpu.cfs_period_us", period) < 0 ||
        lxcCgroupReadI64(cg, LXC_CGROUP_CPU, "cpu.cfs_quota_us", quota) < 0)
        return -1;
    return 0;
}


int
lxcCgroupGetCpuUsage(lxcCgroup *cg, unsigned long long *total, unsigned long long *user,
                     unsigned long long *sys)
{
    g_autofree char *stat = NULL;
    unsigned long long u = 0, s = 0;

    if (lxcCgroupNeed(cg, LXC_CGROUP_CPUACCT) < 0)
        return -1;
    if (cg->v2[LXC_CGROUP_CPUACCT]) {
        unsigned long long usage = 0;

        if (!(stat = lxcCgroupRead(cg, LXC_CGROUP_CPUACCT, "cpu.stat")))
            return -1;
        lxcCgroupKeyed(stat, "usage_usec", &usage);
        lxcCgroupKeyed(stat, "user_usec", &u);
        lxcCgroupKeyed(stat, "system_usec", &s);
        *total = usage * 1000;
        if (user)
            *user = u * 1000;
        if (sys)
            *sys = s * 1000;
        return 0;
    }
    if (lxcCgroupReadU64(cg, LXC_CGROUP_CPUACCT, "cpuacct.usage", total) < 0)
        return -1;
    if (user || sys) {
        long hz = sysconf(_SC_CLK_TCK);

        if (!(stat = lxcCgroupRead(cg, LXC_CGROUP_CPUACCT, "cpuacct.stat")))
            return -1;
        lxcCgroupKeyed(stat, "user", &u);
        lxcCgroupKeyed(stat, "system", &s);
        if (hz <= 0)
            hz = 100;
        if (user)
            *user = u * (1000000000ULL / (unsigned long long)hz);
        if (sys)
            *sys = s * (1000000000ULL / (unsigned long long)hz);
    }
    return 0;
}


/* ---- block I/O ---- */

/* The weight file this host offers: BFQ's, else the generic one. */
static const char *
lxcCgroupWeightFile(lxcCgroup *cg)
{
    bool v2 = cg->v2[LXC_CGROUP_BLKIO];
    const char *files[2] = { v2 ? "io.bfq.weight" : "blkio.bfq.weight",
                             v2 ? "io.weight" : "blkio.weight" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *path = lxcCgroupPath(cg, LXC_CGROUP_BLKIO, files[i]);

        if (access(path, F_OK) == 0)
            return files[i];
    }
    /* libvirt's wording differs between its v1 and v2 backends */
    virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                   v2 ? "blkio weight is valid only for bfq or cfq scheduler"
                      : "blkio device weight is valid only for bfq or cfq scheduler");
    return NULL;
}


int
lxcCgroupSetBlkioWeight(lxcCgroup *cg, unsigned int weight)
{
    const char *file;
    char buf[32];

    virNoIOCheck("probing a cgroup file");
    if (lxcCgroupNeed(cg, LXC_CGROUP_BLKIO) < 0 || !(file = lxcCgroupWeightFile(cg)))
        return -1;
    if (strcmp(file, "io.weight") == 0)
        g_snprintf(buf, sizeof(buf), "default %u", weight);
    else
        g_snprintf(buf, sizeof(buf), "%u", weight);
    return lxcCgroupWrite(cg, LXC_CGROUP_BLKIO, file, buf);
}


int
lxcCgroupGetBlkioWeight(lxcCgroup *cg, unsigned int *weight)
{
    const char *file;
    g_autofree char *text = NULL;
    const char *p;

    virNoIOCheck("probing a cgroup file");
    if (lxcCgroupNeed(cg, LXC_CGROUP_BLKIO) < 0 || !(file = lxcCgroupWeightFile(cg)) ||
        !(text = lxcCgroupRead(cg, LXC_CGROUP_BLKIO, file)))
        return -1;
    /* "default N" (v2, and BFQ's file) or "N" */
    p = g_str_has_prefix(text, "default ") ? text + strlen("default ") : text;
    *weight = (unsigned int)g_ascii_strtoull(p, NULL, 10);
    return 0;
}


/* The files of the per-device tunables: v1's, v2's and the key in v2's
 * io.max (NULL: io.weight's "MAJ:MIN N" lines). */
static const struct {
    const char *v1;
    const char *v2;
    const char *v2key;
} lxcBlkioDeviceFiles[LXC_BLKIO_DEVICE_LAST] = {
    [LXC_BLKIO_DEVICE_WEIGHT] = { "blkio.weight_device", "io.weight", NULL },
    [LXC_BLKIO_DEVICE_READ_IOPS] = { "blkio.throttle.read_iops_device", "io.max", "riops=" },
    [LXC_BLKIO_DEVICE_WRITE_IOPS] = { "blkio.throttle.write_iops_device", "io.max", "wiops=" },
    [LXC_BLKIO_DEVICE_READ_BPS] = { "blkio.throttle.read_bps_device", "io.max", "rbps=" },
    [LXC_BLKIO_DEVICE_WRITE_BPS] = { "blkio.throttle.write_bps_device", "io.max", "wbps=" },
};


/* "MAJ:MIN " of the block device at path, libvirt's errors. */
static char *
lxcCgroupBlockDevString(const char *path)
{
    struct stat sb;

    if (stat(path, &sb) < 0) {
        virReportSystemError(errno, "Path '%s' is not accessible", path);
        return NULL;
    }
    if (!S_ISBLK(sb.st_mode)) {
        virReportSystemError(EINVAL, "Path '%s' must be a block device", path);
        return NULL;
    }
    return g_strdup_printf("%u:%u ", major(sb.st_rdev), minor(sb.st_rdev));
}


/* p's file; a device weight needs the weight file of CFQ (v1) or of the
 * io controller (v2), libvirt's error without it. */
static const char *
lxcCgroupBlkioDeviceFile(lxcCgroup *cg, lxcBlkioDeviceParam p)
{
    const char *file = cg->v2[LXC_CGROUP_BLKIO] ? lxcBlkioDeviceFiles[p].v2
                                                : lxcBlkioDeviceFiles[p].v1;

    if (p == LXC_BLKIO_DEVICE_WEIGHT) {
        g_autofree char *path = lxcCgroupPath(cg, LXC_CGROUP_BLKIO, file);

        if (access(path, F_OK) < 0) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "blkio device weight is valid only for cfq scheduler");
            return NULL;
        }
    }
    return file;
}


int
lxcCgroupSetBlkioDevice(lxcCgroup *cg, lxcBlkioDeviceParam p, const char *path,
                        unsigned long long value)
{
    const char *key = cg->v2[LXC_CGROUP_BLKIO] ? lxcBlkioDeviceFiles[p].v2key : NULL;
    g_autofree char *dev = NULL;
    g_autofree char *line = NULL;
    const char *file;

    virNoIOCheck("writing a cgroup file");
    if (lxcCgroupNeed(cg, LXC_CGROUP_BLKIO) < 0 || !(file = lxcCgroupBlkioDeviceFile(cg, p)) ||
        !(dev = lxcCgroupBlockDevString(path)))
        return -1;
    if (key && value == 0)      /* v2: no limit */
        line = g_strdup_printf("%s%smax", dev, key);
    else
        line = g_strdup_printf("%s%s%llu", dev, key ? key : "", value);
    return lxcCgroupWrite(cg, LXC_CGROUP_BLKIO, file, line);
}


int
lxcCgroupGetBlkioDevice(lxcCgroup *cg, lxcBlkioDeviceParam p, const char *path,
                        unsigned long long *value)
{
    const char *key = cg->v2[LXC_CGROUP_BLKIO] ? lxcBlkioDeviceFiles[p].v2key : NULL;
    g_autofree char *dev = NULL;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    const char *file;
    size_t i;

    virNoIOCheck("reading a cgroup file");
    *value = 0;
    if (lxcCgroupNeed(cg, LXC_CGROUP_BLKIO) < 0 || !(file = lxcCgroupBlkioDeviceFile(cg, p)) ||
        !(dev = lxcCgroupBlockDevString(path)) ||
        !(text = lxcCgroupRead(cg, LXC_CGROUP_BLKIO, file)))
        return -1;
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        const char *v;
        char *end = NULL;

        if (!g_str_has_prefix(lines[i], dev))
            continue;
        v = lines[i] + strlen(dev);
        if (key) {
            if (!(v = strstr(v, key))) {
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               "Unable to find '%s' limit for block device '%s'", key, path);
                return -1;
            }
            v += strlen(key);
            if (g_str_has_prefix(v, "max"))
                return 0;
        }
        errno = 0;
        *value = g_ascii_strtoull(v, &end, 10);
        if (errno || end == v || (*end && *end != ' ')) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse '%s' as an integer", v);
            return -1;
        }
        return 0;
    }
    return 0;
}


/* Sum "MAJ:MIN Read N" / "MAJ:MIN Write N" lines of a v1 throttle file. */
static int
lxcCgroupSumV1(lxcCgroup *cg, const char *file, long long *rd, long long *wr)
{
    g_autofree char *text = lxcCgroupRead(cg, LXC_CGROUP_BLKIO, file);
    g_auto(GStrv) lines = NULL;
    size_t i;

    if (!text)
        return -1;
    *rd = *wr = 0;
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], " ", -1);

        if (g_strv_length(f) != 3)
            continue;
        if (strcmp(f[1], "Read") == 0)
            *rd += g_ascii_strtoll(f[2], NULL, 10);
        else if (strcmp(f[1], "Write") == 0)
            *wr += g_ascii_strtoll(f[2], NULL, 10);
    }
    return 0;
}


int
lxcCgroupGetBlkioIoServiced(lxcCgroup *cg, long long *rdBytes, long long *wrBytes,
                            long long *rdReq, long long *wrReq)
{
    static const char *const keys[] = { "rbytes=", "wbytes=", "rios=", "wios=" };
    long long *vals[] = { rdBytes, wrBytes, rdReq, wrReq };
    g_autofree char *text = NULL;
    size_t i;

    if (lxcCgroupNeed(cg, LXC_CGROUP_BLKIO) < 0)
        return -1;
    if (!cg->v2[LXC_CGROUP_BLKIO]) {
        if (lxcCgroupSumV1(cg, "blkio.throttle.io_service_bytes", rdBytes, wrBytes) < 0 ||
            lxcCgroupSumV1(cg, "blkio.throttle.io_serviced", rdReq, wrReq) < 0)
            return -1;
        return 0;
    }
    if (!(text = lxcCgroupRead(cg, LXC_CGROUP_BLKIO, "io.stat")))
        return -1;
    for (i = 0; i < G_N_ELEMENTS(keys); i++) {
        const char *p = text;

        *vals[i] = 0;
        while ((p = strstr(p, keys[i]))) {
            p += strlen(keys[i]);
            *vals[i] += g_ascii_strtoll(p, NULL, 10);
        }
    }
    return 0;
}


/* ---- CPUs and memory nodes ---- */

int
lxcCgroupSetCpusetCpus(lxcCgroup *cg, const char *cpus)
{
    if (lxcCgroupNeed(cg, LXC_CGROUP_CPUSET) < 0)
        return -1;
    return lxcCgroupWrite(cg, LXC_CGROUP_CPUSET, "cpuset.cpus", cpus);
}


int
lxcCgroupSetCpusetMems(lxcCgroup *cg, const char *mems)
{
    if (lxcCgroupNeed(cg, LXC_CGROUP_CPUSET) < 0)
        return -1;
    return lxcCgroupWrite(cg, LXC_CGROUP_CPUSET, "cpuset.mems", mems);
}


/* ---- device access ---- */

/* libvirt's virLXCCgroupSetupDeviceACL defaults (lxc_container.h numbers) */
static const struct {
    char type;
    int major;
    int minor;
} lxcCgroupDefaultDevices[] = {
    { 'c', 1, 3 },      /* null */
    { 'c', 1, 5 },      /* zero */
    { 'c', 1, 7 },      /* full */
    { 'c', 1, 8 },      /* random */
    { 'c', 1, 9 },      /* urandom */
    { 'c', 5, 0 },      /* tty */
    { 'c', 5, 2 },      /* ptmx */
    { 'c', 10, 229 },   /* fuse */
};
#define LXC_DEV_MAJ_PTY 136


static int
lxcCgroupDeviceLine(lxcCgroup *cg, const char *file, char type, int major, int minor,
                    int perms)
{
    char maj[16] = "*", min[16] = "*";
    g_autofree char *line = NULL;

    if (lxcCgroupNeed(cg, LXC_CGROUP_DEVICES) < 0)
        return -1;
    if (major >= 0)
        g_snprintf(maj, sizeof(maj), "%d", major);
    if (minor >= 0)
        g_snprintf(min, sizeof(min), "%d", minor);
    line = g_strdup_printf("%c %s:%s %s%s%s", type, maj, min,
                           perms & LXC_CGROUP_DEVICE_READ ? "r" : "",
                           perms & LXC_CGROUP_DEVICE_WRITE ? "w" : "",
                           perms & LXC_CGROUP_DEVICE_MKNOD ? "m" : "");
    return lxcCgroupWrite(cg, LXC_CGROUP_DEVICES, file, line);
}


int
lxcCgroupAllowDevice(lxcCgroup *cg, char type, int major, int minor, int perms)
{
    return lxcCgroupDeviceLine(cg, "devices.allow", type, major, minor, perms);
}


int
lxcCgroupDenyDevice(lxcCgroup *cg, char type, int major, int minor, int perms)
{
    return lxcCgroupDeviceLine(cg, "devices.deny", type, major, minor, perms);
}


static int
lxcCgroupDevicePath(lxcCgroup *cg, const char *file, const char *path, int perms)
{
    struct stat sb;

    virNoIOCheck("reading a device node");
    if (stat(path, &sb) < 0) {
        virReportSystemError(errno, "Path '%s' is not accessible", path);
        return -1;
    }
    if (!S_ISCHR(sb.st_mode) && !S_ISBLK(sb.st_mode))
        return 1;
    return lxcCgroupDeviceLine(cg, file, S_ISCHR(sb.st_mode) ? 'c' : 'b',
                               (int)major(sb.st_rdev), (int)minor(sb.st_rdev), perms);
}


int
lxcCgroupAllowDevicePath(lxcCgroup *cg, const char *path, int perms)
{
    return lxcCgroupDevicePath(cg, "devices.allow", path, perms);
}


int
lxcCgroupDenyDevicePath(lxcCgroup *cg, const char *path, int perms)
{
    return lxcCgroupDevicePath(cg, "devices.deny", path, perms);
}


int
lxcCgroupDevicePerms(const lxcDevice *dev)
{
    if (dev->kind == LXC_DEV_DISK)
        return (dev->readonly ? LXC_CGROUP_DEVICE_READ : LXC_CGROUP_DEVICE_RW) |
               LXC_CGROUP_DEVICE_MKNOD;
    return LXC_CGROUP_DEVICE_RWM;
}


int
lxcCgroupSetupDeviceACL(lxcCgroup *cg, const lxcConfig *cfg)
{
    size_t i;

    if (!lxcCgroupHas(cg, LXC_CGROUP_DEVICES))
        return 0;
    if (lxcCgroupWrite(cg, LXC_CGROUP_DEVICES, "devices.deny", "a") < 0)
        return -1;
    for (i = 0; i < G_N_ELEMENTS(lxcCgroupDefaultDevices); i++) {
        if (lxcCgroupAllowDevice(cg, lxcCgroupDefaultDevices[i].type,
                                 lxcCgroupDefaultDevices[i].major,
                                 lxcCgroupDefaultDevices[i].minor, LXC_CGROUP_DEVICE_RWM) < 0)
            return -1;
    }
    /* libvirt's order: every disk, then every host device */
    for (i = 0; i < cfg->ndevs; i++) {
        const lxcDevice *dev = cfg->devs[i];

        if (dev->kind == LXC_DEV_DISK && dev->source &&
            lxcCgroupAllowDevicePath(cg, dev->source, lxcCgroupDevicePerms(dev)) < 0)
            return -1;
    }
    for (i = 0; i < cfg->ndevs; i++) {
        const lxcDevice *dev = cfg->devs[i];

        if (dev->kind == LXC_DEV_HOSTDEV && !dev->usbMissing &&
            lxcCgroupAllowDevicePath(cg, dev->source, lxcCgroupDevicePerms(dev)) < 0)
            return -1;
    }
    return lxcCgroupAllowDevice(cg, 'c', LXC_DEV_MAJ_PTY, -1, LXC_CGROUP_DEVICE_RWM);
}


/* ---- freezer ---- */

int
lxcCgroupIsFrozen(lxcCgroup *cg)
{
    g_autofree char *text = NULL;
    unsigned long long frozen = 0;

    if (lxcCgroupNeed(cg, LXC_CGROUP_FREEZER) < 0)
        return -1;
    if (!cg->v2[LXC_CGROUP_FREEZER]) {
        if (!(text = lxcCgroupRead(cg, LXC_CGROUP_FREEZER, "freezer.state")))
            return -1;
        return strcmp(text, "FROZEN") == 0;
    }
    if (!(text = lxcCgroupRead(cg, LXC_CGROUP_FREEZER, "cgroup.events")))
        return -1;
    lxcCgroupKeyed(text, "frozen", &frozen);
    return frozen == 1;
}


int
lxcCgroupThaw(lxcCgroup *cg)
{
    if (lxcCgroupNeed(cg, LXC_CGROUP_FREEZER) < 0)
        return -1;
    return lxcCgroupWrite(cg, LXC_CGROUP_FREEZER,
                          cg->v2[LXC_CGROUP_FREEZER] ? "cgroup.freeze" : "freezer.state",
                          cg->v2[LXC_CGROUP_FREEZER] ? "0" : "THAWED");
}


int
lxcCgroupFreeze(lxcCgroup *cg)
{
    int waited = 0;
    int rc;

    if (lxcCgroupNeed(cg, LXC_CGROUP_FREEZER) < 0)
        return -1;
    /* v1 may stop half way (FREEZING) while a task is busy in the
     * kernel; writing FROZEN again retries it */
    do {
        if (lxcCgroupWrite(cg, LXC_CGROUP_FREEZER,
                           cg->v2[LXC_CGROUP_FREEZER] ? "cgroup.freeze" : "freezer.state",
                           cg->v2[LXC_CGROUP_FREEZER] ? "1" : "FROZEN") < 0)
            goto error;
        if ((rc = lxcCgroupIsFrozen(cg)) < 0)
            goto error;
        if (rc == 1)
            return 0;
        virSleepMs(10);
        waited += 10;
    } while (waited < LXC_FREEZE_WAIT_MS);
    virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s", "the container did not freeze in time");
 error:
    {
        virError *saved = virErrorPreserveLast();

        lxcCgroupThaw(cg);
        virErrorRestore(&saved);
    }
    return -1;
}
