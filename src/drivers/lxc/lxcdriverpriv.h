/*
 * lxcdriverpriv.h: the LXC driver's state and domains, shared by the files
 * of the driver (lxcdriver.c: life cycle, monitor, state files;
 * lxcdomaintune.c: tuning, statistics, suspend / resume through the
 * container's cgroups). Not for use outside src/drivers/lxc.
 *
 * Locking (lxcdriver.c says it in full): drv->lock, a virNoIOMutex, guards
 * the domain list and every domain; it is never held across I/O. A call
 * that reads or writes files (cgroups, definitions) takes a job on the
 * domain (lxcDomainBeginJob) and releases the lock meanwhile.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>
#include <glib.h>

#include "virdomainobj.h"
#include "virdriver.h"
#include "virevent.h"
#include "virnoiolock.h"

typedef struct _lxcDriverState lxcDriverState;
typedef struct _lxcMonitor lxcMonitor;

typedef struct {
    virDomainObj obj;           /* first: the list code sees a virDomainObj;
                                 * obj.id is the controller's PID */
    pid_t ctrlPid;
    pid_t initPid;
    unsigned long long ctrlStart;   /* /proc start times: PID reuse guard */
    unsigned long long initStart;
    lxcMonitor *mon;
    bool gotExit;               /* this run's EXIT arrived */
    int exitStatus;
    bool monEOF;                /* this run's monitor connection ended */
    bool stopping;              /* cleanup in progress: no more state file writes */
} lxcDomain;

struct _lxcDriverState {
    virNoIOMutex lock;          /* never held across I/O or waits (lookups run inline) */
    GMutex statusLock;          /* orders state file writes and removals; held across I/O */
    GCond cond;
    char *stateDir;
    char *configDir;
    char *autostartDir;
    char *controller;
    int exitTimeout;
    GPtrArray *domains;         /* lxcDomain * */
    virEventThread *evthread;
    virEventLoop *loop;
};

/* The state for an API call: NULL with an error after lxcDriverShutdown. */
lxcDriverState *lxcGetState(void);
/* Lock held. NULL with VIR_ERR_NO_DOMAIN. */
lxcDomain *lxcDomainFromRef(lxcDriverState *drv, const virDomainRef *ref);
/* Lock held; waits for the domain's job and takes it (the lock is released
 * meanwhile). The domain may have gone: NULL with an error then. */
lxcDomain *lxcDomainBeginJob(lxcDriverState *drv, lxcDomain *dom);
void lxcDomainEndJob(lxcDriverState *drv, lxcDomain *dom);
/* For a job that neither starts nor stops the domain: also handles an end
 * of the container that came meanwhile (dom may be gone on return). */
void lxcDomainEndModifyJob(lxcDriverState *drv, lxcDomain *dom);
/* Lock held: a lifecycle event to the registrations. */
void lxcEmitLifecycle(lxcDomain *dom, int event, int detail);
/* Lock held on entry and return, released meanwhile: the state file of the
 * domain mon watches (which may be gone on return: find it again). */
void lxcDomainWriteStatus(lxcDriverState *drv, lxcMonitor *mon);
/* Lock not held: the persistent definition's file. */
int lxcDomainSaveConfig(lxcDriverState *drv, const char *name, const char *xml);

/* Run body with drv->lock held and dom the domain ref designates. */
#define WITH_DOMAIN(ref, body) \
    do { \
        lxcDriverState *drv_ = lxcGetState(); \
        lxcDomain *dom; \
        if (drv_) { \
            virNoIOMutexLock(&drv_->lock); \
            if ((dom = lxcDomainFromRef(drv_, (ref)))) { \
                body; \
            } \
            virNoIOMutexUnlock(&drv_->lock); \
        } \
    } while (0)

/* lxcdomaintune.c: the driver table's entries for tuning and statistics */
int lxcDomainSuspend(virConnect *conn, const virDomainRef *ref);
int lxcDomainResume(virConnect *conn, const virDomainRef *ref);
int lxcDomainGetInfo(virConnect *conn, const virDomainRef *ref, virDomainInfo *info);
int lxcDomainSetMemoryFlags(virConnect *conn, const virDomainRef *ref, unsigned long memory,
                            unsigned int flags);
int lxcDomainSetMemory(virConnect *conn, const virDomainRef *ref, unsigned long memory);
int lxcDomainSetMaxMemory(virConnect *conn, const virDomainRef *ref, unsigned long memory);
int lxcDomainSetMemoryParameters(virConnect *conn, const virDomainRef *ref,
                                 virTypedParameter *params, int nparams, unsigned int flags);
int lxcDomainGetMemoryParameters(virConnect *conn, const virDomainRef *ref,
                                 virTypedParameter *params, int *nparams, unsigned int flags);
int lxcDomainMemoryStats(virConnect *conn, const virDomainRef *ref,
                         virDomainMemoryStatStruct *stats, unsigned int nr_stats,
                         unsigned int flags);
char *lxcDomainGetSchedulerType(virConnect *conn, const virDomainRef *ref, int *nparams);
int lxcDomainGetSchedulerParametersFlags(virConnect *conn, const virDomainRef *ref,
                                         virTypedParameter *params, int *nparams,
                                         unsigned int flags);
int lxcDomainGetSchedulerParameters(virConnect *conn, const virDomainRef *ref,
                                    virTypedParameter *params, int *nparams);
int lxcDomainSetSchedulerParametersFlags(virConnect *conn, const virDomainRef *ref,
                                         virTypedParameter *params, int nparams,
                                         unsigned int flags);
int lxcDomainSetSchedulerParameters(virConnect *conn, const virDomainRef *ref,
                                    virTypedParameter *params, int nparams);
int lxcDomainBlockStats(virConnect *conn, const virDomainRef *ref, const char *path,
                        virDomainBlockStatsStruct *stats);
int lxcDomainBlockStatsFlags(virConnect *conn, const virDomainRef *ref, const char *path,
                             virTypedParameter *params, int *nparams, unsigned int flags);
int lxcDomainInterfaceStats(virConnect *conn, const virDomainRef *ref, const char *device,
                            virDomainInterfaceStatsStruct *stats);
int lxcDomainGetCPUStats(virConnect *conn, const virDomainRef *ref, virTypedParameter *params,
                         unsigned int nparams, int start_cpu, unsigned int ncpus,
                         unsigned int flags);
int lxcDomainSetBlkioParameters(virConnect *conn, const virDomainRef *ref,
                                virTypedParameter *params, int nparams, unsigned int flags);
int lxcDomainGetBlkioParameters(virConnect *conn, const virDomainRef *ref,
                                virTypedParameter *params, int *nparams, unsigned int flags);
int lxcNodeGetCPUMap(virConnect *conn, unsigned char **cpumap, unsigned int *online,
                     unsigned int flags);
