/*
 * testdomainstats.c: the test driver's statistics (block, interface,
 * memory, all-domain stats) and host calls (cells, CPU counters, CPU map,
 * free pages), as libvirt 9.0's test driver answers them.
 *
 * Locking: every entry point takes state->lock for its whole run, as in
 * testdriver.c; nothing here blocks. The statistics are made-up numbers
 * derived from the clock, as libvirt's are (docs/test-driver.md).
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virdomainobjlist.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* The node's CPUs as libvirt counts them for maps: nodes * sockets *
 * cores * threads. */
unsigned int
testStateMaxCPUs(const testState *state)
{
    return state->nodeInfo.nodes * state->nodeInfo.sockets * state->nodeInfo.cores *
           state->nodeInfo.threads;
}

/* Is path a disk of def, by target name or source file? */
static bool
testDomainHasDisk(const virDomainDef *def, const char *path, const char **source)
{
    g_autoptr(GPtrArray) disks = virDomainDefDevices(def, "disk");
    guint i;

    for (i = 0; i < disks->len; i++) {
        const virDomainXMLNode *disk = g_ptr_array_index(disks, i);
        const char *dev = virDomainXMLNodeAttr(disk, "target", "dev");
        const char *src = virDomainXMLNodeAttr(disk, "source", "file");

        if (!src)
            src = virDomainXMLNodeAttr(disk, "source", "dev");
        if ((dev && strcmp(dev, path) == 0) || (src && strcmp(src, path) == 0)) {
            if (source)
                *source = src;
            return true;
        }
    }
    return false;
}

/* libvirt's virDomainNetFind: the interface of def by target name or MAC
 * address, or NULL with libvirt's error. */
virDomainXMLNode *
testDomainFindNet(const virDomainDef *def, const char *device)
{
    g_autoptr(GPtrArray) nets = virDomainDefDevices(def, "interface");
    guint i;

    for (i = 0; i < nets->len; i++) {
        virDomainXMLNode *net = g_ptr_array_index(nets, i);
        const char *dev = virDomainXMLNodeAttr(net, "target", "dev");
        const char *mac = virDomainXMLNodeAttr(net, "mac", "address");

        if ((dev && strcmp(dev, device) == 0) || (mac && g_ascii_strcasecmp(mac, device) == 0))
            return net;
    }
    virDriverReportDomainError(VIR_ERR_INVALID_ARG, "'%s' is not a known interface", device);
    return NULL;
}

/* The running domain a call on statistics needs, or NULL with libvirt's
 * error (lock held). */
testDomain *
testDomainActiveFromRef(testState *state, const virDomainRef *ref)
{
    testDomain *dom = testDomainFromRef(state, ref);

    if (dom && !virDomainObjIsActive(&dom->obj)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return NULL;
    }
    return dom;
}

int
testDomainBlockStats(virConnect *conn, const virDomainRef *ref, const char *path,
                     virDomainBlockStatsStruct *stats)
{
    testState *state = conn->privateData;
    unsigned long long base;
    testDomain *dom;
    int ret = -1;

    if (!*path) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "summary statistics are not supported yet");
        return -1;
    }
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainActiveFromRef(state, ref)))
        goto cleanup;
    if (!testDomainHasDisk(dom->obj.live, path, NULL)) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid path: %s", path);
        goto cleanup;
    }
    base = (unsigned long long)g_get_real_time();
    stats->rd_req = base / 10;
    stats->rd_bytes = base / 20;
    stats->wr_req = base / 30;
    stats->wr_bytes = base / 40;
    stats->errs = base / (1000LL * 1000LL * 2);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainInterfaceStats(virConnect *conn, const virDomainRef *ref, const char *device,
                         virDomainInterfaceStatsStruct *stats)
{
    testState *state = conn->privateData;
    unsigned long long base;
    testDomain *dom;
    int ret = -1;

    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainActiveFromRef(state, ref)) ||
        !testDomainFindNet(dom->obj.live, device))
        goto cleanup;
    base = (unsigned long long)g_get_real_time();
    stats->rx_bytes = base / 10;
    stats->rx_packets = base / 100;
    stats->rx_errs = base / (1000LL * 1000LL * 1);
    stats->rx_drop = base / (1000LL * 1000LL * 2);
    stats->tx_bytes = base / 20;
    stats->tx_packets = base / 110;
    stats->tx_errs = base / (1000LL * 1000LL * 3);
    stats->tx_drop = base / (1000LL * 1000LL * 4);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainMemoryStats(virConnect *conn, const virDomainRef *ref,
                      virDomainMemoryStatStruct *stats, unsigned int nr_stats,
                      unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainActiveFromRef(state, ref))) {
        g_autoptr(GPtrArray) balloons = virDomainDefDevices(dom->obj.live, "memballoon");
        /* libvirt counts the balloon in as an int */
        int cur = (int)dom->obj.live->currentMemory;
        bool balloon = false;
        guint i;
        const struct {
            int tag;
            unsigned long long val;
        } all[] = {
            { VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, cur },
            { VIR_DOMAIN_MEMORY_STAT_SWAP_IN, 0 },
            { VIR_DOMAIN_MEMORY_STAT_SWAP_OUT, 0 },
            { VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, 0 },
            { VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT, 0 },
            { VIR_DOMAIN_MEMORY_STAT_UNUSED, cur / 2 },
            { VIR_DOMAIN_MEMORY_STAT_AVAILABLE, cur },
            { VIR_DOMAIN_MEMORY_STAT_USABLE, cur / 2 },
            { VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE, 627319920 },
            { VIR_DOMAIN_MEMORY_STAT_DISK_CACHES, cur / 8 },
            { VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, 0 },
            { VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, 0 },
            { VIR_DOMAIN_MEMORY_STAT_RSS, cur / 2 },
        };

        /* a balloon unless <memballoon model='none'/> */
        for (i = 0; i < balloons->len; i++) {
            const char *model = virDomainXMLNodeAttr(g_ptr_array_index(balloons, i), NULL,
                                                     "model");
            balloon = !model || strcmp(model, "none") != 0;
        }
        ret = 0;
        for (i = 0; balloon && i < G_N_ELEMENTS(all) && (unsigned int)ret < nr_stats; i++) {
            stats[ret].tag = all[i].tag;
            stats[ret].val = all[i].val;
            ret++;
        }
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetBlockInfo(virConnect *conn, const virDomainRef *ref, const char *path,
                       virDomainBlockInfo *info, unsigned int flags)
{
    testState *state = conn->privateData;
    const char *source = NULL;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto cleanup;
    if (!testDomainHasDisk(virDomainObjCurrentDef(&dom->obj), path, &source)) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid path %s not assigned to domain", path);
        goto cleanup;
    }
    if (!source) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "disk '%s' does not currently have a source assigned", path);
        goto cleanup;
    }
    info->capacity = 1099506450432ULL;
    info->allocation = 1099511627776ULL;
    info->physical = 1099511627776ULL;
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

/* ---- all-domain statistics ---- */

#define TEST_STATS_SUPPORTED (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_IOTHREAD)

/* What a record needs from a domain, taken under the driver lock: the
 * record, named (one allocation), and the state; the parameters are added
 * after it is released, so that several callers build at once. */
typedef struct {
    virDomainStatsRecord *rec;
    int nroom;                  /* the parameters the groups add */
    int state;
    int reason;
    GArray *iothreads;          /* a copy of a running domain's (or NULL) */
} testStatsSnap;

/* Fill snap's record with the groups the test driver fills (state;
 * iothread: the polling values of a running domain's IOThreads, when it
 * has some) and hand it over. Takes snap's IOThreads. */
static virDomainStatsRecord *
testDomainStatsRecordFill(testStatsSnap *snap, unsigned int stats)
{
    virDomainStatsRecord *rec = g_steal_pointer(&snap->rec);
    int maxparams = snap->nroom;    /* the record's room, counted in testStatsSelect */

    if (stats & VIR_DOMAIN_STATS_STATE) {
        virTypedParamsAddInt(&rec->params, &rec->nparams, &maxparams, "state.state",
                             snap->state);
        virTypedParamsAddInt(&rec->params, &rec->nparams, &maxparams, "state.reason",
                             snap->reason);
    }
    if ((stats & VIR_DOMAIN_STATS_IOTHREAD) && snap->iothreads) {
        guint i;

        virTypedParamsAddUInt(&rec->params, &rec->nparams, &maxparams, "iothread.count",
                              snap->iothreads->len);
        for (i = 0; i < snap->iothreads->len; i++) {
            const testIOThreadPoll *p = &g_array_index(snap->iothreads, testIOThreadPoll, i);
            char name[VIR_TYPED_PARAM_FIELD_LENGTH];

            g_snprintf(name, sizeof(name), "iothread.%u.poll-max-ns", p->id);
            virTypedParamsAddULLong(&rec->params, &rec->nparams, &maxparams, name, p->maxNs);
            g_snprintf(name, sizeof(name), "iothread.%u.poll-grow", p->id);
            virTypedParamsAddUInt(&rec->params, &rec->nparams, &maxparams, name, p->grow);
            g_snprintf(name, sizeof(name), "iothread.%u.poll-shrink", p->id);
            virTypedParamsAddUInt(&rec->params, &rec->nparams, &maxparams, name, p->shrink);
        }
    }
    g_clear_pointer(&snap->iothreads, g_array_unref);
    return rec;
}

static bool
testStatsSelect(GArray *snaps, const testDomain *dom, unsigned int filter, unsigned int stats)
{
    const virDomainDef *def = virDomainObjCurrentDef(&dom->obj);
    testStatsSnap snap;

    if (!virConnectListAllDomainsFilterMatches(filter, virDomainObjIsActive(&dom->obj),
                                               dom->obj.def != NULL, dom->obj.state,
                                               dom->obj.autostart, dom->obj.hasManagedSave,
                                               dom->obj.nsnapshots > 0,
                                               dom->obj.ncheckpoints > 0))
        return false;
    snap.state = dom->obj.state;
    snap.reason = dom->obj.reason;
    snap.iothreads = NULL;
    snap.nroom = (stats & VIR_DOMAIN_STATS_STATE) ? 2 : 0;
    if ((stats & VIR_DOMAIN_STATS_IOTHREAD) && virDomainObjIsActive(&dom->obj) &&
        dom->iothreads->len > 0) {
        snap.iothreads = g_array_copy(dom->iothreads);
        snap.nroom += 1 + 3 * (int)dom->iothreads->len;
    }
    snap.rec = virDomainStatsRecordNew(def->name, def->uuid, dom->obj.id, snap.nroom);
    g_array_append_val(snaps, snap);
    return true;
}

static void
testDomainStatsRecordFree(gpointer rec)
{
    virDomainStatsRecordListFree((virDomainStatsRecord *[]){ rec, NULL });
}

int
testConnectGetAllDomainStats(virConnect *conn, const virDomainRef *doms, int ndoms,
                             unsigned int stats, virDomainStatsRecord ***retStats,
                             unsigned int flags)
{
    testState *state = conn->privateData;
    unsigned int filter = flags & 0xffff;  /* the VIR_CONNECT_LIST_DOMAINS_* filters */
    g_autoptr(GPtrArray) recs = NULL;
    g_autoptr(GArray) snaps = NULL;
    guint i;
    int n;

    virDriverCheckFlags(flags, VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                        VIR_CONNECT_LIST_DOMAINS_INACTIVE |
                        VIR_CONNECT_LIST_DOMAINS_PERSISTENT |
                        VIR_CONNECT_LIST_DOMAINS_TRANSIENT |
                        VIR_CONNECT_LIST_DOMAINS_RUNNING |
                        VIR_CONNECT_LIST_DOMAINS_PAUSED |
                        VIR_CONNECT_LIST_DOMAINS_SHUTOFF |
                        VIR_CONNECT_LIST_DOMAINS_OTHER |
                        VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |
                        VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
                        VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS, -1);
    if (!stats) {
        stats = TEST_STATS_SUPPORTED;
    } else if ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) &&
               (stats & ~TEST_STATS_SUPPORTED)) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                       "Stats types bits 0x%x are not supported by this daemon",
                       stats & ~TEST_STATS_SUPPORTED);
        return -1;
    }

    snaps = g_array_new(FALSE, FALSE, sizeof(testStatsSnap));
    virNoIOMutexLock(&state->lock);
    if (ndoms > 0) {
        /* the listed domains, in the caller's order; each must exist */
        for (n = 0; n < ndoms; n++) {
            testDomain *dom = testDomainFromRef(state, &doms[n]);

            if (!dom) {
                virNoIOMutexUnlock(&state->lock);
                for (i = 0; i < snaps->len; i++) {
                    testDomainStatsRecordFree(g_array_index(snaps, testStatsSnap, i).rec);
                    g_clear_pointer(&g_array_index(snaps, testStatsSnap, i).iothreads,
                                    g_array_unref);
                }
                return -1;
            }
            testStatsSelect(snaps, dom, filter, stats);
        }
    } else {
        /* by name, as libvirt collects them (and lists domains) */
        GPtrArray *byName = testDomainsByName(state);

        for (i = 0; i < byName->len; i++)
            testStatsSelect(snaps, g_ptr_array_index(byName, i), filter, stats);
    }
    virNoIOMutexUnlock(&state->lock);

    recs = g_ptr_array_new_full(snaps->len + 1, testDomainStatsRecordFree);
    for (i = 0; i < snaps->len; i++)
        g_ptr_array_add(recs, testDomainStatsRecordFill(&g_array_index(snaps, testStatsSnap, i),
                                                        stats));
    n = (int)recs->len;
    g_ptr_array_add(recs, NULL);
    /* freeing only the array hands the records over */
    *retStats = (virDomainStatsRecord **)g_ptr_array_free(g_steal_pointer(&recs), FALSE);
    return n;
}

/* ---- the host ---- */

int
testNodeGetCellsFreeMemory(virConnect *conn, unsigned long long *cells, int startCell,
                           int maxcells)
{
    testState *state = conn->privateData;
    int cell, i = 0;

    virNoIOMutexLock(&state->lock);
    if (startCell >= (int)state->ncells) {
        virNoIOMutexUnlock(&state->lock);
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Range exceeds available cells");
        return -1;
    }
    /* libvirt's test driver answers each cell's memory, not its free memory */
    for (cell = startCell; cell < (int)state->ncells && i < maxcells; cell++, i++)
        cells[i] = state->cells[cell].mem;
    virNoIOMutexUnlock(&state->lock);
    return i;
}

int
testNodeGetCPUStats(virConnect *conn G_GNUC_UNUSED, int cpuNum G_GNUC_UNUSED,
                    virNodeCPUStats *params, int *nparams, unsigned int flags)
{
    static const virNodeCPUStats fixed[] = {
        { VIR_NODE_CPU_STATS_USER, 9797400000ULL },
        { VIR_NODE_CPU_STATS_KERNEL, 34678723400000ULL },
        { VIR_NODE_CPU_STATS_IDLE, 87264900000ULL },
        { VIR_NODE_CPU_STATS_IOWAIT, 763600000ULL },
    };
    int i;

    virDriverCheckFlags(flags, 0, -1);
    if (!params) {
        *nparams = G_N_ELEMENTS(fixed);
        return 0;
    }
    for (i = 0; i < *nparams && i < (int)G_N_ELEMENTS(fixed); i++)
        params[i] = fixed[i];
    *nparams = i;
    return 0;
}

int
testNodeGetCPUMap(virConnect *conn G_GNUC_UNUSED, unsigned char **cpumap,
                  unsigned int *online, unsigned int flags)
{
    virDriverCheckFlags(flags, 0, -1);
    /* libvirt's test driver: 8 CPUs, 0, 2 and 4 online */
    if (cpumap) {
        *cpumap = g_new0(unsigned char, 1);
        (*cpumap)[0] = 0x15;
    }
    if (online)
        *online = 3;
    return 8;
}

int
testNodeGetFreePages(virConnect *conn G_GNUC_UNUSED, unsigned int npages,
                     unsigned int *pages G_GNUC_UNUSED, int startCell G_GNUC_UNUSED,
                     unsigned int cellCount, unsigned long long *counts, unsigned int flags)
{
    unsigned long long x = 6;
    unsigned int i, j;

    virDriverCheckFlags(flags, 0, -1);
    /* made-up counts that grow along the table, as libvirt's */
    for (i = 0; i < cellCount; i++) {
        for (j = 0; j < npages; j++) {
            x = x * 2 + 7;
            counts[i * npages + j] = x;
        }
    }
    return 0;
}


/* ---- CPU time and disk errors ---- */

#define TEST_TOTAL_CPUTIME 48772617035ULL

static void
testSetULLong(virTypedParameter *param, const char *name, unsigned long long value)
{
    memset(param, 0, sizeof(*param));
    g_strlcpy(param->field, name, sizeof(param->field));
    param->type = VIR_TYPED_PARAM_ULLONG;
    param->value.ul = value;
}

int
testDomainGetCPUStats(virConnect *conn, const virDomainRef *ref, virTypedParameter *params,
                      unsigned int nparams, int start_cpu, unsigned int ncpus,
                      unsigned int flags)
{
    testState *state = conn->privateData;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_TYPED_PARAM_STRING_OKAY, -1);
    virNoIOMutexLock(&state->lock);
    if (!testDomainActiveFromRef(state, ref))
        goto cleanup;
    if (start_cpu == -1) {
        /* the total: made-up fixed figures, as libvirt's */
        static const struct {
            const char *name;
            unsigned long long value;
        } total[] = {
            { VIR_DOMAIN_CPU_STATS_CPUTIME, TEST_TOTAL_CPUTIME },
            { VIR_DOMAIN_CPU_STATS_USERTIME, 5540000000ULL },
            { VIR_DOMAIN_CPU_STATS_SYSTEMTIME, 6460000000ULL },
        };
        unsigned int i;

        if (nparams == 0) {
            ret = G_N_ELEMENTS(total);
            goto cleanup;
        }
        for (i = 0; i < nparams && i < G_N_ELEMENTS(total); i++)
            testSetULLong(&params[i], total[i].name, total[i].value);
        ret = (int)i;
    } else {
        /* per CPU of the node's cores (libvirt counts nodeInfo.cores) */
        int cpus = (int)state->nodeInfo.cores;
        unsigned long long per = TEST_TOTAL_CPUTIME / (unsigned long long)cpus;
        int i, last;

        if (nparams == 0 && ncpus != 0) {
            ret = 2;
            goto cleanup;
        }
        if (ncpus == 0) {
            ret = cpus;
            goto cleanup;
        }
        if (start_cpu >= cpus) {
            virReportError(VIR_ERR_INVALID_ARG, "start_cpu %d larger than maximum of %d",
                           start_cpu, cpus - 1);
            goto cleanup;
        }
        last = MIN(cpus, start_cpu + (int)ncpus);
        for (i = start_cpu; i < last; i++) {
            testSetULLong(&params[(i - start_cpu) * nparams], VIR_DOMAIN_CPU_STATS_CPUTIME,
                          per + i);
            if (nparams > 1)
                testSetULLong(&params[(i - start_cpu) * nparams + 1],
                              VIR_DOMAIN_CPU_STATS_VCPUTIME, per + i - 1234567890);
        }
        ret = nparams > 1 ? 2 : 1;
    }
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetDiskErrors(virConnect *conn, const virDomainRef *ref, virDomainDiskError *errors,
                        unsigned int maxerrors, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainActiveFromRef(state, ref))) {
        g_autoptr(GPtrArray) disks = virDomainDefDevices(dom->obj.live, "disk");
        unsigned int i;

        /* every disk in error, the errors taking turns */
        if (!errors) {
            ret = (int)disks->len;
        } else {
            for (i = 0; i < disks->len && i < maxerrors; i++) {
                const char *dev = virDomainXMLNodeAttr(g_ptr_array_index(disks, i), "target",
                                                       "dev");
                errors[i].disk = g_strdup(dev ? dev : "");
                errors[i].error = (int)(i % (VIR_DOMAIN_DISK_ERROR_LAST - 1)) + 1;
            }
            ret = (int)i;
        }
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}
