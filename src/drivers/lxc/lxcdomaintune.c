/*
 * lxcdomaintune.c: the LXC driver's tuning and statistics, with real
 * effect on the container through its cgroups (lxccgroup.h): suspend and
 * resume (freezer), memory limits and usage, scheduler (cpu shares,
 * period, quota), block I/O weight, per-device tunables and counters, CPU
 * time. What each call accepts, answers and refuses is libvirt 9.0's LXC
 * driver's (docs/lxc-driver.md).
 *
 * Locking (lxcdriverpriv.h): cgroup files are I/O, never touched with
 * drv->lock held. A call that changes something takes the domain's job,
 * decides under the lock, drops it for the cgroup writes and the file of
 * the persistent definition, and takes it again to commit. Getters run
 * inline on the daemon's event loop thread, which must never wait for a
 * job: they copy what they need under the lock and read the (virtual,
 * non-blocking) cgroup files without it; a container that stopped
 * meanwhile is reported as not running.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "lxccgroup.h"
#include "lxcdriverpriv.h"
#include "lxcconf.h"
#include "virconnect.h"
#include "virdomainobj.h"
#include "virdomaindef.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetlink.h"
#include "virpublic.h"
#include "virtypedparams.h"

#define VIR_FROM_THIS VIR_FROM_LXC

VIR_LOG_INIT("drivers.lxc.tune");

#define LXC_NB_MEM_PARAM 3
#define LXC_NB_BLKIO_PARAM 6
#define LXC_NB_BLOCK_STAT_PARAM 4
#define LXC_NB_CPU_STATS_PARAM 3

/* libvirt's order of <cputune>'s children */
static const char *const lxcCputuneOrder[] = { "shares", "period", "quota", NULL };
static const char *const lxcBlkiotuneOrder[] = { "weight", "device", NULL };

static void
lxcReportNotRunning(void)
{
    virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
}


/* ---- getters: the running domain's cgroups, without a job ---- */

/* The cgroups of the running domain ref designates; NULL with an error
 * (not running: libvirt's "domain is not running"). *defOut (optional)
 * gets a copy of its live definition. No lock held on entry or return. */
static lxcCgroup *
lxcDomainRunningCgroup(const virDomainRef *ref, virDomainDef **defOut)
{
    g_autofree char *name = NULL;

    WITH_DOMAIN(ref, {
        if (!virDomainObjIsActive(&dom->obj)) {
            lxcReportNotRunning();
        } else {
            name = g_strdup(dom->obj.live->name);
            if (defOut)
                *defOut = virDomainDefCopy(dom->obj.live);
        }
    });
    return name ? lxcCgroupNew(name) : NULL;
}


/* A cgroup read failed: if the container stopped meanwhile, say so
 * instead (its group is gone), as libvirt's lock would have ordered it. */
static void
lxcCgroupReadFailed(const virDomainRef *ref)
{
    bool stopped = false;

    WITH_DOMAIN(ref, { stopped = !virDomainObjIsActive(&dom->obj); });
    if (stopped)
        lxcReportNotRunning();
}


static int
lxcNeed(const lxcCgroup *cg, lxcCgroupController c, const char *msg)
{
    if (lxcCgroupHas(cg, c))
        return 0;
    virReportError(VIR_ERR_OPERATION_INVALID, "%s", msg);
    return -1;
}

#define LXC_NO_MEMORY "cgroup memory controller is not mounted"
#define LXC_NO_CPU "cgroup CPU controller is not mounted"
#define LXC_NO_CPUACCT "cgroup CPUACCT controller is not mounted"
#define LXC_NO_BLKIO "blkio cgroup isn't mounted"


/* ---- setters: under the domain's job ---- */

int
lxcModifyBegin(lxcModify *m, const virDomainRef *ref, unsigned int flags)
{
    memset(m, 0, sizeof(*m));
    if (!(m->drv = lxcGetState()))
        return -1;
    virNoIOMutexLock(&m->drv->lock);
    if (!(m->dom = lxcDomainFromRef(m->drv, ref)) ||
        !(m->dom = lxcDomainBeginJob(m->drv, m->dom))) {
        virNoIOMutexUnlock(&m->drv->lock);
        return -1;
    }
    if (virDomainObjGetDefs(&m->dom->obj, flags, &m->live, &m->config) < 0) {
        lxcDomainEndJob(m->drv, m->dom);
        virNoIOMutexUnlock(&m->drv->lock);
        m->dom = NULL;
        return -1;
    }
    m->name = g_strdup(virDomainObjCurrentDef(&m->dom->obj)->name);
    virNoIOMutexUnlock(&m->drv->lock);
    if (m->live)
        m->cg = lxcCgroupNew(m->name);
    return 0;
}


void
lxcModifyLock(lxcModify *m)
{
    virNoIOMutexLock(&m->drv->lock);
}


/* Lock held: save what changed (the state file for live, the definition
 * for config), end the job, release the lock. */
int
lxcModifyEnd(lxcModify *m, bool saveLive, bool saveConfig, int ret)
{
    g_autofree char *xml = NULL;

    if (!m->dom)
        goto out;
    if (ret == 0 && saveLive && m->dom->obj.live && m->dom->mon)
        lxcDomainWriteStatus(m->drv, m->dom->mon);      /* the job keeps dom */
    if (ret == 0 && saveConfig && m->dom->obj.def) {
        xml = virDomainDefFormat(m->dom->obj.def, -1);
        virNoIOMutexUnlock(&m->drv->lock);
        if (lxcDomainSaveConfig(m->drv, m->name, xml) < 0)
            ret = -1;
        virNoIOMutexLock(&m->drv->lock);
    }
    lxcDomainEndModifyJob(m->drv, m->dom);
    virNoIOMutexUnlock(&m->drv->lock);
 out:
    lxcCgroupFree(m->cg);
    g_free(m->name);
    return ret;
}


/* ---- metadata ---- */

/* libvirt's LXC driver: the definitions' description, title or element of
 * a namespace; reading is from memory, under the lock. */
char *
lxcDomainGetMetadata(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, int type,
                     const char *uri, unsigned int flags)
{
    char *ret = NULL;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, NULL);
    WITH_DOMAIN(ref, { ret = virDomainObjGetMetadata(&dom->obj, type, uri, flags); });
    return ret;
}


/* Set under the domain's job, saved (the state file for live, the
 * definition's file for config), then METADATA_CHANGE, as libvirt's. */
int
lxcDomainSetMetadata(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, int type,
                     const char *metadata, const char *key, const char *uri,
                     unsigned int flags)
{
    virDomainRef *evref;
    lxcModify m;
    int ret;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (lxcModifyBegin(&m, ref, flags) < 0)
        return -1;
    lxcModifyLock(&m);
    if ((m.live && virDomainDefSetMetadata(m.live, type, metadata, key, uri) < 0) ||
        (m.config && virDomainDefSetMetadata(m.config, type, metadata, key, uri) < 0))
        return lxcModifyEnd(&m, false, false, -1);
    evref = virDomainObjMakeRef(&m.dom->obj);
    if ((ret = lxcModifyEnd(&m, m.live != NULL, m.config != NULL, 0)) == 0) {
        lxcDriverState *drv = lxcGetState();

        virNoIOMutexLock(&drv->lock);
        lxcEmitMetadataChange(evref, type, uri);
        virNoIOMutexUnlock(&drv->lock);
    }
    virDomainRefFree(evref);
    return ret;
}


/* ---- suspend / resume ---- */

/* Freeze (suspend) or thaw (resume) a running container's cgroup, with
 * libvirt's LXC answers: suspending a paused domain does nothing; resuming
 * a running one is OPERATION_INVALID. The freezer write is done without
 * the driver lock. */
static int
lxcDomainSetFrozen(const virDomainRef *ref, bool freeze)
{
    lxcModify m;
    int rc;

    if (lxcModifyBegin(&m, ref, VIR_DOMAIN_AFFECT_CURRENT) < 0)
        return -1;
    lxcModifyLock(&m);
    if (!virDomainObjIsActive(&m.dom->obj)) {
        lxcReportNotRunning();
        return lxcModifyEnd(&m, false, false, -1);
    }
    if (!freeze && m.dom->obj.state == VIR_DOMAIN_RUNNING) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is already running");
        return lxcModifyEnd(&m, false, false, -1);
    }
    /* already where the call would take it */
    if ((m.dom->obj.state == VIR_DOMAIN_PAUSED) == freeze)
        return lxcModifyEnd(&m, false, false, 0);
    virNoIOMutexUnlock(&m.drv->lock);
    rc = freeze ? lxcCgroupFreeze(m.cg) : lxcCgroupThaw(m.cg);
    lxcModifyLock(&m);
    if (rc < 0) {
        VIR_WARN("cannot %s '%s': %s", freeze ? "freeze" : "thaw", m.name,
                 virGetLastErrorMessage());
        virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                       freeze ? "Suspend operation failed" : "Resume operation failed");
        return lxcModifyEnd(&m, false, false, -1);
    }
    if (freeze) {
        m.dom->obj.state = VIR_DOMAIN_PAUSED;
        m.dom->obj.reason = VIR_DOMAIN_PAUSED_USER;
        lxcEmitLifecycle(m.dom, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    } else {
        m.dom->obj.state = VIR_DOMAIN_RUNNING;
        m.dom->obj.reason = VIR_DOMAIN_RUNNING_UNPAUSED;
        lxcEmitLifecycle(m.dom, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    }
    return lxcModifyEnd(&m, true, false, 0);
}


int
lxcDomainSuspend(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref)
{
    return lxcDomainSetFrozen(ref, true);
}


int
lxcDomainResume(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref)
{
    return lxcDomainSetFrozen(ref, false);
}


/* ---- info ---- */

int
lxcDomainGetInfo(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, virDomainInfo *info)
{
    g_autofree char *name = NULL;
    g_autoptr(lxcCgroup) cg = NULL;
    unsigned long long kib;
    int ret = -1;

    WITH_DOMAIN(ref, {
        const virDomainDef *def = virDomainObjCurrentDef(&dom->obj);
        info->state = (unsigned char)dom->obj.state;
        info->maxMem = (unsigned long)def->memory;
        info->memory = (unsigned long)def->currentMemory;
        info->nrVirtCpu = (unsigned short)def->vcpus;
        info->cpuTime = 0;
        if (virDomainObjIsActive(&dom->obj))
            name = g_strdup(def->name);
        ret = 0;
    });
    if (ret < 0 || !name)
        return ret;
    /* running: CPU time and memory use from its cgroups, as libvirt */
    cg = lxcCgroupNew(name);
    if (!lxcCgroupHas(cg, LXC_CGROUP_CPUACCT) ||
        lxcCgroupGetCpuUsage(cg, &info->cpuTime, NULL, NULL) < 0) {
        lxcCgroupReadFailed(ref);
        if (virGetLastErrorCode() == VIR_ERR_OPERATION_INVALID)
            return -1;
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "Cannot read cputime for domain");
        return -1;
    }
    /* no memory accounting (kernel support): 0, as libvirt */
    info->memory = lxcCgroupHas(cg, LXC_CGROUP_MEMORY) &&
                   lxcCgroupGetMemoryUsage(cg, &kib) == 0 ? (unsigned long)kib : 0;
    virResetLastError();
    return 0;
}


/* ---- memory ---- */

int
lxcDomainSetMemoryFlags(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                        unsigned long memory, unsigned int flags)
{
    lxcModify m;
    unsigned long long oldmax = 0;
    int rc;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_DOMAIN_MEM_MAXIMUM, -1);
    if (lxcModifyBegin(&m, ref, flags) < 0)
        return -1;
    lxcModifyLock(&m);
    if (flags & VIR_DOMAIN_MEM_MAXIMUM) {
        if (m.live) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "Cannot resize the max memory on an active domain");
            return lxcModifyEnd(&m, false, false, -1);
        }
        if (m.config) {
            m.config->memory = memory;
            if (m.config->currentMemory > memory)
                m.config->currentMemory = memory;
        }
        return lxcModifyEnd(&m, false, m.config != NULL, 0);
    }
    if (m.live)
        oldmax = m.live->memory;
    if (m.config && (!oldmax || oldmax > m.config->memory))
        oldmax = m.config->memory;
    if (memory > oldmax) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Cannot set memory higher than max memory");
        return lxcModifyEnd(&m, false, false, -1);
    }
    if (m.live) {
        virNoIOMutexUnlock(&m.drv->lock);
        rc = lxcCgroupSetMemoryHardLimit(m.cg, memory);
        lxcModifyLock(&m);
        if (rc < 0) {
            VIR_WARN("cannot set the memory of '%s': %s", m.name, virGetLastErrorMessage());
            virReportError(VIR_ERR_OPERATION_FAILED, "%s", "Failed to set memory for domain");
            return lxcModifyEnd(&m, false, false, -1);
        }
        m.live->currentMemory = memory;
    }
    if (m.config)
        m.config->currentMemory = memory;
    return lxcModifyEnd(&m, m.live != NULL, m.config != NULL, 0);
}


int
lxcDomainSetMemory(virConnect *conn, const virDomainRef *ref, unsigned long memory)
{
    return lxcDomainSetMemoryFlags(conn, ref, memory, VIR_DOMAIN_AFFECT_LIVE);
}


int
lxcDomainSetMaxMemory(virConnect *conn, const virDomainRef *ref, unsigned long memory)
{
    return lxcDomainSetMemoryFlags(conn, ref, memory, VIR_DOMAIN_MEM_MAXIMUM);
}


int
lxcDomainSetMemoryParameters(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                             virTypedParameter *params, int nparams, unsigned int flags)
{
    static const virTypedParamsKey spec[] = {
        { VIR_DOMAIN_MEMORY_HARD_LIMIT, VIR_TYPED_PARAM_ULLONG },
        { VIR_DOMAIN_MEMORY_SOFT_LIMIT, VIR_TYPED_PARAM_ULLONG },
        { VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT, VIR_TYPED_PARAM_ULLONG },
    };
    const virTypedParameter *hard, *soft, *swap;
    unsigned long long memLimit, swapLimit, liveHard = 0;
    lxcModify m;
    bool hardFirst;
    int rc = 0;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsValidate(params, nparams, spec, G_N_ELEMENTS(spec)) < 0)
        return -1;
    hard = virTypedParamsGet(params, nparams, VIR_DOMAIN_MEMORY_HARD_LIMIT);
    soft = virTypedParamsGet(params, nparams, VIR_DOMAIN_MEMORY_SOFT_LIMIT);
    swap = virTypedParamsGet(params, nparams, VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT);
    if (lxcModifyBegin(&m, ref, flags) < 0)
        return -1;
    if (m.live && lxcNeed(m.cg, LXC_CGROUP_MEMORY, LXC_NO_MEMORY) < 0) {
        lxcModifyLock(&m);
        return lxcModifyEnd(&m, false, false, -1);
    }
    lxcModifyLock(&m);
    /* libvirt checks the pair against the current definition */
    memLimit = hard ? hard->value.ul : virDomainObjCurrentDef(&m.dom->obj)->hardLimit;
    swapLimit = swap ? swap->value.ul : virDomainObjCurrentDef(&m.dom->obj)->swapHardLimit;
    if ((hard || swap) && memLimit > swapLimit) {
        virDriverReportDomainError(VIR_ERR_INVALID_ARG, "%s",
                                   "memory hard_limit tunable value must be lower than or "
                                   "equal to swap_hard_limit");
        return lxcModifyEnd(&m, false, false, -1);
    }
    if (m.live)
        liveHard = m.live->hardLimit;
    virNoIOMutexUnlock(&m.drv->lock);
    /* soft first; the hard limit before the swap limit when it goes down,
     * after it otherwise (the kernel wants memory <= memory+swap) */
    hardFirst = hard && liveHard > hard->value.ul;
    if (m.live) {
        if ((soft && (rc = lxcCgroupSetMemorySoftLimit(m.cg, soft->value.ul)) < 0) ||
            (hardFirst && (rc = lxcCgroupSetMemoryHardLimit(m.cg, hard->value.ul)) < 0) ||
            (swap && (rc = lxcCgroupSetMemSwapHardLimit(m.cg, swap->value.ul)) < 0) ||
            (hard && !hardFirst && (rc = lxcCgroupSetMemoryHardLimit(m.cg, hard->value.ul)) < 0))
            rc = -1;
    }
    lxcModifyLock(&m);
    if (rc < 0)
        return lxcModifyEnd(&m, false, false, -1);
    if (m.live) {
        if (soft)
            m.live->softLimit = soft->value.ul;
        if (hard)
            m.live->hardLimit = hard->value.ul;
        if (swap)
            m.live->swapHardLimit = swap->value.ul;
    }
    if (m.config) {
        if (soft)
            m.config->softLimit = soft->value.ul;
        if (hard)
            m.config->hardLimit = hard->value.ul;
        if (swap)
            m.config->swapHardLimit = swap->value.ul;
    }
    return lxcModifyEnd(&m, m.live != NULL, m.config != NULL, 0);
}


/* Which definition a getter with AFFECT_* flags reads: *config a copy of
 * the persistent one, or *name the running domain's (its cgroups). */
static int
lxcGetterDefs(const virDomainRef *ref, unsigned int flags, virDomainDef **config, char **name)
{
    int ret = -1;

    *config = NULL;
    *name = NULL;
    WITH_DOMAIN(ref, {
        virDomainDef *live;
        virDomainDef *persistent;
        if (virDomainObjGetDefs(&dom->obj, flags, &live, &persistent) == 0) {
            if (persistent)
                *config = virDomainDefCopy(persistent);
            else
                *name = g_strdup(live->name);
            ret = 0;
        }
    });
    return ret;
}


int
lxcDomainGetMemoryParameters(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                             virTypedParameter *params, int *nparams, unsigned int flags)
{
    g_autoptr(virDomainDef) config = NULL;
    g_autofree char *name = NULL;
    g_autoptr(lxcCgroup) cg = NULL;
    unsigned long long vals[LXC_NB_MEM_PARAM];
    static const char *const names[LXC_NB_MEM_PARAM] = {
        VIR_DOMAIN_MEMORY_HARD_LIMIT, VIR_DOMAIN_MEMORY_SOFT_LIMIT,
        VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT,
    };
    int i;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_TYPED_PARAM_STRING_OKAY, -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (lxcGetterDefs(ref, flags, &config, &name) < 0)
        return -1;
    if (name) {
        cg = lxcCgroupNew(name);
        if (lxcNeed(cg, LXC_CGROUP_MEMORY, LXC_NO_MEMORY) < 0)
            return -1;
    }
    if (*nparams == 0) {
        *nparams = LXC_NB_MEM_PARAM;
        return 0;
    }
    if (config) {
        vals[0] = config->hardLimit;
        vals[1] = config->softLimit;
        vals[2] = config->swapHardLimit;
    } else if (lxcCgroupGetMemoryHardLimit(cg, &vals[0]) < 0 ||
               lxcCgroupGetMemorySoftLimit(cg, &vals[1]) < 0 ||
               lxcCgroupGetMemSwapHardLimit(cg, &vals[2]) < 0) {
        lxcCgroupReadFailed(ref);
        return -1;
    }
    for (i = 0; i < LXC_NB_MEM_PARAM && i < *nparams; i++) {
        memset(&params[i], 0, sizeof(params[i]));
        g_strlcpy(params[i].field, names[i], sizeof(params[i].field));
        params[i].type = VIR_TYPED_PARAM_ULLONG;
        params[i].value.ul = vals[i];
    }
    if (*nparams > LXC_NB_MEM_PARAM)
        *nparams = LXC_NB_MEM_PARAM;
    return 0;
}


int
lxcDomainMemoryStats(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                     virDomainMemoryStatStruct *stats, unsigned int nr_stats, unsigned int flags)
{
    g_autoptr(virDomainDef) live = NULL;
    g_autoptr(lxcCgroup) cg = NULL;
    unsigned long long swap, mem;
    unsigned int n = 0;

    virDriverCheckFlags(flags, 0, -1);
    if (!(cg = lxcDomainRunningCgroup(ref, &live)))
        return -1;
    if (lxcCgroupGetMemSwapUsage(cg, &swap) < 0 || lxcCgroupGetMemoryUsage(cg, &mem) < 0) {
        lxcCgroupReadFailed(ref);
        return -1;
    }
    /* libvirt's LXC driver reports memory+swap use as SWAP_IN */
    if (n < nr_stats)
        stats[n++] = (virDomainMemoryStatStruct){ VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON,
                                                  live->currentMemory };
    if (n < nr_stats)
        stats[n++] = (virDomainMemoryStatStruct){ VIR_DOMAIN_MEMORY_STAT_SWAP_IN, swap };
    if (n < nr_stats)
        stats[n++] = (virDomainMemoryStatStruct){ VIR_DOMAIN_MEMORY_STAT_RSS, mem };
    return (int)n;
}


/* ---- scheduler ---- */

static bool
lxcCgroupSupportsCpuBW(const lxcCgroup *cg)
{
    g_autofree char *path = NULL;

    if (!lxcCgroupHas(cg, LXC_CGROUP_CPU))
        return false;
    path = lxcCgroupPath(cg, LXC_CGROUP_CPU, cg->v2[LXC_CGROUP_CPU] ? "cpu.max"
                                                                    : "cpu.cfs_period_us");
    return access(path, F_OK) == 0;
}


char *
lxcDomainGetSchedulerType(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, int *nparams)
{
    g_autofree char *name = NULL;
    g_autoptr(lxcCgroup) cg = NULL;
    bool found = false;

    WITH_DOMAIN(ref, {
        found = true;
        if (virDomainObjIsActive(&dom->obj))
            name = g_strdup(dom->obj.live->name);
    });
    if (!found)
        return NULL;
    if (!name) {
        /* not running: libvirt's defaults */
        if (nparams)
            *nparams = 3;
        return g_strdup("posix");
    }
    cg = lxcCgroupNew(name);
    if (lxcNeed(cg, LXC_CGROUP_CPU, LXC_NO_CPU) < 0)
        return NULL;
    if (nparams)
        *nparams = lxcCgroupSupportsCpuBW(cg) ? 3 : 1;
    return g_strdup("posix");
}


static unsigned long long
lxcDefTuneULL(const virDomainDef *def, const char *parent, const char *child)
{
    g_autofree char *text = virDomainDefGetChildText(def, parent, child);

    return text ? g_ascii_strtoull(text, NULL, 10) : 0;
}


int
lxcDomainGetSchedulerParametersFlags(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                                     virTypedParameter *params, int *nparams,
                                     unsigned int flags)
{
    g_autoptr(virDomainDef) config = NULL;
    g_autofree char *name = NULL;
    g_autoptr(lxcCgroup) cg = NULL;
    unsigned long long shares = 0, period = 0;
    long long quota = 0;
    bool bw = false;
    int n = 0;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_TYPED_PARAM_STRING_OKAY, -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (lxcGetterDefs(ref, flags, &config, &name) < 0)
        return -1;
    if (config) {
        g_autofree char *q = virDomainDefGetChildText(config, "cputune", "quota");

        shares = lxcDefTuneULL(config, "cputune", "shares");
        period = lxcDefTuneULL(config, "cputune", "period");
        quota = q ? g_ascii_strtoll(q, NULL, 10) : 0;
        bw = *nparams > 1;
    } else {
        cg = lxcCgroupNew(name);
        if (lxcNeed(cg, LXC_CGROUP_CPU, LXC_NO_CPU) < 0)
            return -1;
        bw = *nparams > 1 && lxcCgroupSupportsCpuBW(cg);
        if (lxcCgroupGetCpuShares(cg, &shares) < 0 ||
            (bw && lxcCgroupGetCpuPeriodQuota(cg, &period, &quota) < 0)) {
            lxcCgroupReadFailed(ref);
            return -1;
        }
    }
    memset(params, 0, sizeof(*params) * (*nparams > 3 ? 3 : (*nparams < 1 ? 1 : *nparams)));
    g_strlcpy(params[n].field, VIR_DOMAIN_SCHEDULER_CPU_SHARES, sizeof(params[n].field));
    params[n].type = VIR_TYPED_PARAM_ULLONG;
    params[n++].value.ul = shares;
    if (bw && *nparams > n) {
        g_strlcpy(params[n].field, VIR_DOMAIN_SCHEDULER_VCPU_PERIOD, sizeof(params[n].field));
        params[n].type = VIR_TYPED_PARAM_ULLONG;
        params[n++].value.ul = period;
    }
    if (bw && *nparams > n) {
        g_strlcpy(params[n].field, VIR_DOMAIN_SCHEDULER_VCPU_QUOTA, sizeof(params[n].field));
        params[n].type = VIR_TYPED_PARAM_LLONG;
        params[n++].value.l = quota;
    }
    *nparams = n;
    return 0;
}


int
lxcDomainGetSchedulerParameters(virConnect *conn, const virDomainRef *ref,
                                virTypedParameter *params, int *nparams)
{
    return lxcDomainGetSchedulerParametersFlags(conn, ref, params, nparams, 0);
}


int
lxcDomainSetSchedulerParametersFlags(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                                     virTypedParameter *params, int nparams, unsigned int flags)
{
    static const virTypedParamsKey spec[] = {
        { VIR_DOMAIN_SCHEDULER_CPU_SHARES, VIR_TYPED_PARAM_ULLONG },
        { VIR_DOMAIN_SCHEDULER_VCPU_PERIOD, VIR_TYPED_PARAM_ULLONG },
        { VIR_DOMAIN_SCHEDULER_VCPU_QUOTA, VIR_TYPED_PARAM_LLONG },
    };
    lxcModify m;
    int i, rc = 0, applied = 0;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsValidate(params, nparams, spec, G_N_ELEMENTS(spec)) < 0)
        return -1;
    if (lxcModifyBegin(&m, ref, flags) < 0)
        return -1;
    if (m.live && lxcNeed(m.cg, LXC_CGROUP_CPU, LXC_NO_CPU) < 0) {
        lxcModifyLock(&m);
        return lxcModifyEnd(&m, false, false, -1);
    }
    /* the cgroup first, in the order given (libvirt stops at the first
     * failure, keeping what it applied before it) */
    for (i = 0; m.live && i < nparams && rc == 0; i++) {
        const virTypedParameter *p = &params[i];

        if (strcmp(p->field, VIR_DOMAIN_SCHEDULER_CPU_SHARES) == 0)
            rc = lxcCgroupSetCpuShares(m.cg, p->value.ul);
        else if (strcmp(p->field, VIR_DOMAIN_SCHEDULER_VCPU_PERIOD) == 0)
            rc = lxcCgroupSetCpuPeriodQuota(m.cg, p->value.ul, 0);
        else
            rc = lxcCgroupSetCpuPeriodQuota(m.cg, 0, p->value.l);
        if (rc == 0)
            applied++;
    }
    lxcModifyLock(&m);
    for (i = 0; i < nparams; i++) {
        const virTypedParameter *p = &params[i];
        bool isQuota = strcmp(p->field, VIR_DOMAIN_SCHEDULER_VCPU_QUOTA) == 0;
        bool isShares = strcmp(p->field, VIR_DOMAIN_SCHEDULER_CPU_SHARES) == 0;
        const char *child = isShares ? "shares" : isQuota ? "quota" : "period";
        g_autofree char *text = isQuota ? g_strdup_printf("%lld", p->value.l)
                                        : g_strdup_printf("%llu", p->value.ul);
        /* a period or quota of 0 leaves the live value, clears the config's */
        bool zero = !isShares && (isQuota ? p->value.l == 0 : p->value.ul == 0);

        if (m.live && i < applied && !zero)
            virDomainDefSetChildText(m.live, "cputune", child, text, lxcCputuneOrder);
        if (m.config && rc == 0)
            virDomainDefSetChildText(m.config, "cputune", child, zero ? NULL : text,
                                     lxcCputuneOrder);
    }
    return lxcModifyEnd(&m, m.live != NULL, m.config != NULL && rc == 0, rc);
}


int
lxcDomainSetSchedulerParameters(virConnect *conn, const virDomainRef *ref,
                                virTypedParameter *params, int nparams)
{
    return lxcDomainSetSchedulerParametersFlags(conn, ref, params, nparams, 0);
}


/* ---- block I/O ---- */

static int
lxcBlockCounters(const virDomainRef *ref, const char *path, bool flagsForm, long long *rdBytes,
                 long long *wrBytes, long long *rdReq, long long *wrReq)
{
    g_autoptr(lxcCgroup) cg = NULL;

    if (!(cg = lxcDomainRunningCgroup(ref, NULL)))
        return -1;
    if (lxcNeed(cg, LXC_CGROUP_BLKIO, LXC_NO_BLKIO) < 0)
        return -1;
    if (*path) {
        /* the container has no disks: libvirt looks the name up in them */
        virReportError(VIR_ERR_INVALID_ARG, "invalid path: %s", path);
        return -1;
    }
    if (lxcCgroupGetBlkioIoServiced(cg, rdBytes, wrBytes, rdReq, wrReq) < 0) {
        lxcCgroupReadFailed(ref);
        if (flagsForm && virGetLastErrorCode() != VIR_ERR_OPERATION_INVALID)
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "domain stats query failed");
        return -1;
    }
    return 0;
}


int
lxcDomainBlockStats(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref, const char *path,
                    virDomainBlockStatsStruct *stats)
{
    return lxcBlockCounters(ref, path, false, &stats->rd_bytes, &stats->wr_bytes,
                            &stats->rd_req, &stats->wr_req);
}


int
lxcDomainBlockStatsFlags(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                         const char *path, virTypedParameter *params, int *nparams,
                         unsigned int flags)
{
    long long vals[LXC_NB_BLOCK_STAT_PARAM];
    static const char *const names[LXC_NB_BLOCK_STAT_PARAM] = {
        "wr_bytes", "wr_operations", "rd_bytes", "rd_operations",
    };
    int i, n = 0;

    virDriverCheckFlags(flags, VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (*nparams == 0) {
        *nparams = LXC_NB_BLOCK_STAT_PARAM;
        return 0;
    }
    if (lxcBlockCounters(ref, path, true, &vals[2], &vals[0], &vals[3], &vals[1]) < 0)
        return -1;
    for (i = 0; i < LXC_NB_BLOCK_STAT_PARAM && n < *nparams; i++) {
        if (vals[i] == -1)
            continue;
        memset(&params[n], 0, sizeof(params[n]));
        g_strlcpy(params[n].field, names[i], sizeof(params[n].field));
        params[n].type = VIR_TYPED_PARAM_LLONG;
        params[n++].value.l = vals[i];
    }
    *nparams = n;
    return 0;
}


/* ---- per-device block I/O tunables (<blkiotune><device>) ---- */

typedef struct {
    lxcBlkioDevice *devs;
    size_t n;
} lxcBlkioList;

static void
lxcBlkioListClear(lxcBlkioList *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        g_free(l->devs[i].path);
    g_clear_pointer(&l->devs, g_free);
    l->n = 0;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(lxcBlkioList, lxcBlkioListClear);


/* def's <blkiotune><device>s (the parser checked them at define). */
static int
lxcBlkioListOf(const virDomainDef *def, lxcBlkioList *l)
{
    g_autofree char *xml = virDomainDefFormat(def, -1);
    g_autoptr(lxcConfig) cfg = lxcConfigParse(xml, def);

    if (!cfg)
        return -1;
    l->devs = g_steal_pointer(&cfg->blkioDevs);
    l->n = cfg->nblkioDevs;
    cfg->nblkioDevs = 0;
    return 0;
}


/* Write l back into def's <blkiotune> as libvirt formats it: a device
 * with no tunable left is not written. */
static void
lxcBlkioListWrite(virDomainDef *def, const lxcBlkioList *l)
{
    static const char *const deviceOrder[] = {
        "path", "weight", "read_iops_sec", "write_iops_sec", "read_bytes_sec",
        "write_bytes_sec", NULL
    };
    virDomainXMLNode *blkiotune = virDomainDefTopElement(def, "blkiotune", true);
    size_t i, p;

    virDomainXMLNodeRemoveChildren(blkiotune, "device");
    for (i = 0; i < l->n; i++) {
        const lxcBlkioDevice *dev = &l->devs[i];
        virDomainXMLNode *node;

        for (p = 0; p < LXC_BLKIO_DEVICE_LAST && !dev->value[p]; p++)
            ;
        if (p == LXC_BLKIO_DEVICE_LAST)
            continue;
        node = virDomainXMLNodeAddChildOrdered(blkiotune, "device", lxcBlkiotuneOrder);
        virDomainXMLNodeSetText(virDomainXMLNodeAddChildOrdered(node, "path", deviceOrder),
                                dev->path);
        for (p = 0; p < LXC_BLKIO_DEVICE_LAST; p++) {
            g_autofree char *text = g_strdup_printf("%llu", dev->value[p]);

            if (dev->value[p])
                virDomainXMLNodeSetText(
                    virDomainXMLNodeAddChildOrdered(node, lxcBlkioDeviceElement(p), deviceOrder),
                    text);
        }
    }
    virDomainDefDropEmpty(def, "blkiotune");
}


/* libvirt's "PATH,VALUE,PATH,VALUE" of a device parameter (an even
 * number of fields; values unsigned, 32 bits but for the bytes), its
 * INVALID_ARG errors. */
static int
lxcBlkioParse(const char *str, lxcBlkioDeviceParam p, lxcBlkioList *out)
{
    const char *name = lxcBlkioDeviceParamName(p);
    bool wide = p == LXC_BLKIO_DEVICE_READ_BPS || p == LXC_BLKIO_DEVICE_WRITE_BPS;
    const char *cur = str;
    size_t commas = 0;

    out->devs = NULL;
    out->n = 0;
    if (!*str)
        return 0;
    for (cur = str; (cur = strchr(cur, ',')); cur++)
        commas++;
    if (!(commas & 1))
        goto parse_error;
    out->devs = g_new0(lxcBlkioDevice, (commas + 1) / 2);
    for (cur = str;;) {
        const char *comma = strchr(cur, ',');
        lxcBlkioDevice *dev = &out->devs[out->n];
        const char *value;
        char *end = NULL;

        if (!comma)
            goto parse_error;
        dev->path = g_strndup(cur, comma - cur);
        out->n++;
        value = comma + 1;
        /* libvirt's virStrToLong_uip / _ullp: strtoull's syntax, no '-' */
        errno = 0;
        dev->value[p] = strtoull(value, &end, 10);
        if (errno || end == value || memchr(value, '-', end - value) ||
            (!wide && dev->value[p] > G_MAXUINT)) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "invalid value '%s' for parameter '%s' of device '%s'",
                           value, name, dev->path);
            lxcBlkioListClear(out);
            return -1;
        }
        if (!*end)
            break;
        if (*end != ',')
            goto parse_error;
        cur = end + 1;
    }
    return 0;

 parse_error:
    lxcBlkioListClear(out);
    virReportError(VIR_ERR_INVALID_ARG, "unable to parse blkio device '%s' '%s'", name, str);
    return -1;
}


/* libvirt's merge of a parameter's devices into a definition's: a known
 * path gets the value (0 too), a new one is appended when it sets one. */
static void
lxcBlkioMerge(lxcBlkioList *dest, const lxcBlkioList *src, lxcBlkioDeviceParam p)
{
    size_t i, j;

    for (i = 0; i < src->n; i++) {
        const lxcBlkioDevice *s = &src->devs[i];

        for (j = 0; j < dest->n && strcmp(dest->devs[j].path, s->path) != 0; j++)
            ;
        if (j < dest->n) {
            dest->devs[j].value[p] = s->value[p];
        } else if (s->value[p]) {
            dest->devs = g_renew(lxcBlkioDevice, dest->devs, dest->n + 1);
            memset(&dest->devs[dest->n], 0, sizeof(dest->devs[dest->n]));
            dest->devs[dest->n].path = g_strdup(s->path);
            dest->devs[dest->n++].value[p] = s->value[p];
        }
    }
}


static lxcBlkioDeviceParam
lxcBlkioParamOf(const char *field)
{
    lxcBlkioDeviceParam p;

    for (p = 0; p < LXC_BLKIO_DEVICE_LAST; p++) {
        if (strcmp(field, lxcBlkioDeviceParamName(p)) == 0)
            break;
    }
    return p;
}


int
lxcDomainGetBlkioParameters(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                            virTypedParameter *params, int *nparams, unsigned int flags)
{
    g_autoptr(virDomainDef) config = NULL;
    g_autoptr(virDomainDef) live = NULL;
    g_autofree char *name = NULL;
    g_autoptr(lxcCgroup) cg = NULL;
    g_auto(lxcBlkioList) list = { NULL, 0 };
    unsigned int weight = 0;
    int max = LXC_NB_BLKIO_PARAM, n = 0;
    lxcBlkioDeviceParam p;
    size_t i;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_TYPED_PARAM_STRING_OKAY, -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (*nparams == 0) {
        if (lxcGetterDefs(ref, VIR_DOMAIN_AFFECT_CURRENT, &config, &name) < 0)
            return -1;
        *nparams = LXC_NB_BLKIO_PARAM;
        return 0;
    }
    if (*nparams < max)
        max = *nparams;
    if (lxcGetterDefs(ref, flags, &config, &name) < 0)
        return -1;
    if (name) {
        if (!(cg = lxcDomainRunningCgroup(ref, &live)))
            return -1;
        if (lxcNeed(cg, LXC_CGROUP_BLKIO, LXC_NO_BLKIO) < 0)
            return -1;
        if (lxcCgroupGetBlkioWeight(cg, &weight) < 0) {
            lxcCgroupReadFailed(ref);
            return -1;
        }
    } else {
        weight = (unsigned int)lxcDefTuneULL(config, "blkiotune", "weight");
    }
    if (lxcBlkioListOf(live ? live : config, &list) < 0)
        return -1;
    memset(&params[n], 0, sizeof(params[n]));
    g_strlcpy(params[n].field, VIR_DOMAIN_BLKIO_WEIGHT, sizeof(params[n].field));
    params[n].type = VIR_TYPED_PARAM_UINT;
    params[n++].value.ui = weight;
    /* "PATH,VALUE,..." of the devices that set each one */
    for (p = 0; p < LXC_BLKIO_DEVICE_LAST && n < max; p++) {
        g_autoptr(GString) text = g_string_new(NULL);

        for (i = 0; i < list.n; i++) {
            if (list.devs[i].value[p])
                g_string_append_printf(text, "%s%s,%llu", text->len ? "," : "",
                                       list.devs[i].path, list.devs[i].value[p]);
        }
        memset(&params[n], 0, sizeof(params[n]));
        g_strlcpy(params[n].field, lxcBlkioDeviceParamName(p), sizeof(params[n].field));
        params[n].type = VIR_TYPED_PARAM_STRING;
        params[n++].value.s = g_string_free(g_steal_pointer(&text), FALSE);
    }
    *nparams = n;
    return 0;
}


/* The live half of a set: each parameter in order, on the cgroup, each
 * value read back from the kernel into the live definition's copy (l,
 * *weight); libvirt goes on after a parameter that fails, keeping what
 * it applied. Lock not held. */
static int
lxcBlkioSetLive(lxcCgroup *cg, const virTypedParameter *params, int nparams,
                lxcBlkioList *l, unsigned int *weight, bool *weightSet)
{
    int i, rc = 0;

    for (i = 0; i < nparams; i++) {
        lxcBlkioDeviceParam p = lxcBlkioParamOf(params[i].field);
        g_auto(lxcBlkioList) given = { NULL, 0 };
        size_t j;

        if (p == LXC_BLKIO_DEVICE_LAST) {
            if (lxcCgroupSetBlkioWeight(cg, params[i].value.ui) < 0 ||
                lxcCgroupGetBlkioWeight(cg, weight) < 0)
                rc = -1;
            else
                *weightSet = true;
            continue;
        }
        if (lxcBlkioParse(params[i].value.s, p, &given) < 0) {
            rc = -1;
            continue;
        }
        for (j = 0; j < given.n; j++) {
            if (lxcCgroupSetBlkioDevice(cg, p, given.devs[j].path, given.devs[j].value[p]) < 0 ||
                lxcCgroupGetBlkioDevice(cg, p, given.devs[j].path, &given.devs[j].value[p]) < 0)
                break;
        }
        if (j != given.n)
            rc = -1;
        else
            lxcBlkioMerge(l, &given, p);
    }
    return rc;
}


int
lxcDomainSetBlkioParameters(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                            virTypedParameter *params, int nparams, unsigned int flags)
{
    g_auto(lxcBlkioList) liveList = { NULL, 0 };
    g_auto(lxcBlkioList) configList = { NULL, 0 };
    unsigned int liveWeight = 0;
    bool liveWeightSet = false;
    lxcModify m;
    int i, rc = 0;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virDomainBlkioParamsCheckTypes(params, nparams) < 0)
        return -1;
    if (lxcModifyBegin(&m, ref, flags) < 0)
        return -1;
    if (m.live && lxcNeed(m.cg, LXC_CGROUP_BLKIO, LXC_NO_BLKIO) < 0) {
        lxcModifyLock(&m);
        return lxcModifyEnd(&m, false, false, -1);
    }
    /* the definitions' device lists: the job keeps them as they are */
    lxcModifyLock(&m);
    if ((m.live && lxcBlkioListOf(m.live, &liveList) < 0) ||
        (m.config && lxcBlkioListOf(m.config, &configList) < 0))
        return lxcModifyEnd(&m, false, false, -1);
    virNoIOMutexUnlock(&m.drv->lock);

    if (m.live)
        rc = lxcBlkioSetLive(m.cg, params, nparams, &liveList, &liveWeight, &liveWeightSet);
    for (i = 0; m.config && rc == 0 && i < nparams; i++) {
        lxcBlkioDeviceParam p = lxcBlkioParamOf(params[i].field);
        g_auto(lxcBlkioList) given = { NULL, 0 };

        if (p == LXC_BLKIO_DEVICE_LAST)
            continue;
        if (lxcBlkioParse(params[i].value.s, p, &given) < 0)
            rc = -1;
        else
            lxcBlkioMerge(&configList, &given, p);
    }

    lxcModifyLock(&m);
    if (m.live) {
        /* what the kernel took stays, even when a later parameter failed */
        if (liveWeightSet) {
            g_autofree char *text = g_strdup_printf("%u", liveWeight);

            virDomainDefSetChildText(m.live, "blkiotune", "weight", text, lxcBlkiotuneOrder);
        }
        lxcBlkioListWrite(m.live, &liveList);
    }
    if (m.config && rc == 0) {
        const virTypedParameter *weight = virTypedParamsGet(params, nparams,
                                                            VIR_DOMAIN_BLKIO_WEIGHT);

        if (weight) {
            g_autofree char *text = g_strdup_printf("%u", weight->value.ui);

            virDomainDefSetChildText(m.config, "blkiotune", "weight", text, lxcBlkiotuneOrder);
        }
        lxcBlkioListWrite(m.config, &configList);
    }
    return lxcModifyEnd(&m, m.live != NULL, m.config != NULL, rc);
}


/* ---- interfaces, CPU statistics ---- */

int
lxcDomainInterfaceStats(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                        const char *device, virDomainInterfaceStatsStruct *stats)
{
    g_autofree char *host = NULL;
    virNetlinkLinkInfo info;
    bool running = false, found = false, own = false;
    int rc;

    WITH_DOMAIN(ref, {
        running = virDomainObjIsActive(&dom->obj);
        if (!running)
            lxcReportNotRunning();
        else
            found = lxcConfigInterfaceFind(dom->obj.live, device, &host, &own);
    });
    if (!running)
        return -1;
    if (!found) {
        virDriverReportDomainError(VIR_ERR_INVALID_ARG, "'%s' is not a known interface", device);
        return -1;
    }
    /* libvirt's words: it reads the host's /proc/net/dev by <target dev> */
    if (!host) {
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__, __LINE__,
                           "%s", "Interface name not provided");
        return -1;
    }
    /* the host end's counters (a netlink request: on a worker, procedure
     * 65 is @exec: worker, as the kernel may make it wait for its lock) */
    if ((rc = virNetlinkLinkGet(host, &info)) == -ENODEV) {
        virResetLastError();
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__, __LINE__,
                           "%s", "/proc/net/dev: Interface not found");
    }
    if (rc < 0)
        return -1;
    /* what leaves the host end of a pair enters the container: libvirt
     * reports the container's view, the host end's counters swapped */
    stats->rx_bytes = (long long)(own ? info.rxBytes : info.txBytes);
    stats->rx_packets = (long long)(own ? info.rxPackets : info.txPackets);
    stats->rx_errs = (long long)(own ? info.rxErrors : info.txErrors);
    stats->rx_drop = (long long)(own ? info.rxDropped : info.txDropped);
    stats->tx_bytes = (long long)(own ? info.txBytes : info.rxBytes);
    stats->tx_packets = (long long)(own ? info.txPackets : info.rxPackets);
    stats->tx_errs = (long long)(own ? info.txErrors : info.rxErrors);
    stats->tx_drop = (long long)(own ? info.txDropped : info.rxDropped);
    return 0;
}


int
lxcDomainGetCPUStats(virConnect *conn G_GNUC_UNUSED, const virDomainRef *ref,
                     virTypedParameter *params, unsigned int nparams, int start_cpu,
                     unsigned int ncpus, unsigned int flags)
{
    g_autoptr(lxcCgroup) cg = NULL;
    unsigned long long vals[LXC_NB_CPU_STATS_PARAM];
    static const char *const names[LXC_NB_CPU_STATS_PARAM] = {
        VIR_DOMAIN_CPU_STATS_CPUTIME, VIR_DOMAIN_CPU_STATS_USERTIME,
        VIR_DOMAIN_CPU_STATS_SYSTEMTIME,
    };
    g_autofree char *percpu = NULL;
    g_auto(GStrv) cpus = NULL;
    unsigned int i, n;

    virDriverCheckFlags(flags, VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (!(cg = lxcDomainRunningCgroup(ref, NULL)))
        return -1;
    if (lxcNeed(cg, LXC_CGROUP_CPUACCT, LXC_NO_CPUACCT) < 0)
        return -1;
    if (start_cpu == -1) {
        if (nparams == 0)
            return LXC_NB_CPU_STATS_PARAM;
        if (lxcCgroupGetCpuUsage(cg, &vals[0], &vals[1], &vals[2]) < 0) {
            lxcCgroupReadFailed(ref);
            return -1;
        }
        n = MIN(nparams, LXC_NB_CPU_STATS_PARAM);
        for (i = 0; i < n; i++) {
            memset(&params[i], 0, sizeof(params[i]));
            g_strlcpy(params[i].field, names[i], sizeof(params[i].field));
            params[i].type = VIR_TYPED_PARAM_ULLONG;
            params[i].value.ul = vals[i];
        }
        return (int)n;
    }
    /* per host CPU: "cpu_time" of each, from cpuacct.usage_percpu (v1) */
    if (nparams == 0 && ncpus != 0)
        return 1;
    if (cg->v2[LXC_CGROUP_CPUACCT]) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "per-CPU statistics are not available with cgroup v2");
        return -1;
    }
    {
        g_autofree char *path = lxcCgroupPath(cg, LXC_CGROUP_CPUACCT, "cpuacct.usage_percpu");

        if (!g_file_get_contents(path, &percpu, NULL, NULL)) {
            lxcCgroupReadFailed(ref);
            if (virGetLastErrorCode() != VIR_ERR_OPERATION_INVALID)
                virReportSystemError(EIO, "Unable to read from '%s'", path);
            return -1;
        }
    }
    cpus = g_strsplit(g_strstrip(percpu), " ", -1);
    if (ncpus == 0)
        return (int)g_strv_length(cpus);
    if ((unsigned int)start_cpu >= g_strv_length(cpus)) {
        virReportError(VIR_ERR_INVALID_ARG, "start_cpu %d larger than maximum of %u",
                       start_cpu, g_strv_length(cpus) - 1);
        return -1;
    }
    for (i = 0; i < ncpus && (unsigned int)start_cpu + i < g_strv_length(cpus); i++) {
        virTypedParameter *p = &params[i * nparams];

        memset(p, 0, sizeof(*p));
        g_strlcpy(p->field, VIR_DOMAIN_CPU_STATS_CPUTIME, sizeof(p->field));
        p->type = VIR_TYPED_PARAM_ULLONG;
        p->value.ul = g_ascii_strtoull(cpus[start_cpu + i], NULL, 10);
    }
    return 1;
}


/* ---- the host ---- */
