/*
 * lxcdriverpriv.h: the LXC driver's state and domains, shared by the files
 * of the driver (lxcdriver.c: life cycle, monitor, state files, console;
 * lxcdomaintune.c: tuning, statistics, suspend / resume through the
 * container's cgroups; lxcdomainagent.c: the guest agent API;
 * lxcdomaindevice.c: device attach / detach / update). Not for use outside
 * src/drivers/lxc.
 *
 * Locking (lxcdriver.c says it in full): drv->lock, a virNoIOMutex, guards
 * the domain list and every domain; it is never held across I/O. A call
 * that reads or writes files (cgroups, definitions) takes a job on the
 * domain (lxcDomainBeginJob) and releases the lock meanwhile; a call to
 * the guest agent takes a reference on the domain's agent and releases the
 * lock.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>
#include <glib.h>

#include "lxcagent.h"
#include "lxccgroup.h"
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
    lxcAgent *agent;            /* this run's guest agent (a channel in the XML), or NULL */
    bool agentSeen;             /* it connected once in this run */
    int agentTimeout;           /* seconds, or VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_* */
    virStream *console;         /* the console's stream in use (a reference), or NULL */
    virConnect *autoDestroyConn; /* START_AUTODESTROY: the connection whose close destroys
                                  * this run, or NULL; an identity, no reference: its
                                  * close clears it */
    bool autoDestroyDue;        /* that connection closed: the destroy is queued */
} lxcDomain;

struct _lxcDriverState {
    virNoIOMutex lock;          /* never held across I/O or waits (lookups run inline) */
    GMutex statusLock;          /* orders state file writes and removals; held across I/O */
    GCond cond;
    char *stateDir;
    char *configDir;
    char *autostartDir;
    char *controller;
    char *agent;                /* virtnet-agent, passed to the controllers */
    int exitTimeout;
    GPtrArray *domains;         /* lxcDomain * */
    virEventThread *evthread;
    virEventLoop *loop;
    virEventThread *agentThread; /* the agents' connections: a thread of their own, so
                                  * that no agent can delay the monitors */
    virEventLoop *agentLoop;
    GThread *autoDestroyThread; /* destroys what closed connections left (lazy) */
    GAsyncQueue *autoDestroyQueue; /* its work: UUIDs (g_malloc'd), then the end mark */
};

/* The state for an API call: NULL with an error after lxcDriverShutdown. */
lxcDriverState *lxcGetState(void);
/* Lock held. NULL with VIR_ERR_NO_DOMAIN. */
lxcDomain *lxcDomainFromRef(lxcDriverState *drv, const virDomainRef *ref);
/* The same for a running domain: else VIR_ERR_OPERATION_INVALID "domain
 * is not running". */
lxcDomain *lxcDomainActiveFromRef(lxcDriverState *drv, const virDomainRef *ref);
/* Lock held; waits for the domain's job and takes it (the lock is released
 * meanwhile). The domain may have gone: NULL with an error then. */
lxcDomain *lxcDomainBeginJob(lxcDriverState *drv, lxcDomain *dom);
void lxcDomainEndJob(lxcDriverState *drv, lxcDomain *dom);
/* For a job that neither starts nor stops the domain: also handles an end
 * of the container that came meanwhile (dom may be gone on return). */
void lxcDomainEndModifyJob(lxcDriverState *drv, lxcDomain *dom);
/* Lock held: a lifecycle event to the registrations. */
void lxcEmitLifecycle(lxcDomain *dom, int event, int detail);
/* Lock held: an agent lifecycle event. */
void lxcEmitAgentLifecycle(lxcDomain *dom, int state, int reason);
/* Lock held: METADATA_CHANGE of the domain ref names. */
void lxcEmitMetadataChange(const virDomainRef *ref, int type, const char *nsuri);
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

/* A call that changes a domain (lxcdomaintune.c): the domain under its
 * job, with the definitions the AFFECT_* flags select. */
typedef struct {
    lxcDriverState *drv;
    lxcDomain *dom;
    virDomainDef *live;         /* the definitions the flags select */
    virDomainDef *config;
    lxcCgroup *cg;              /* when live */
    char *name;
} lxcModify;

/* Take ref's domain under a job with the definitions flags (AFFECT_*)
 * select; the lock is not held on return (0) and the job is (end it with
 * lxcModifyEnd). live and config stay the domain's: touch them only with
 * the lock held again (lxcModifyLock). */
int lxcModifyBegin(lxcModify *m, const virDomainRef *ref, unsigned int flags);
void lxcModifyLock(lxcModify *m);
/* Lock held: save what changed (the state file for live, the definition
 * for config), end the job, release the lock. Returns ret, or -1 when the
 * definition's file could not be written. */
int lxcModifyEnd(lxcModify *m, bool saveLive, bool saveConfig, int ret);

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
char *lxcDomainGetMetadata(virConnect *conn, const virDomainRef *ref, int type, const char *uri,
                           unsigned int flags);
int lxcDomainSetMetadata(virConnect *conn, const virDomainRef *ref, int type,
                         const char *metadata, const char *key, const char *uri,
                         unsigned int flags);

/* lxcdomaindevice.c: attach, detach and update of devices */
int lxcDomainAttachDevice(virConnect *conn, const virDomainRef *ref, const char *xml);
int lxcDomainAttachDeviceFlags(virConnect *conn, const virDomainRef *ref, const char *xml,
                               unsigned int flags);
int lxcDomainDetachDevice(virConnect *conn, const virDomainRef *ref, const char *xml);
int lxcDomainDetachDeviceFlags(virConnect *conn, const virDomainRef *ref, const char *xml,
                               unsigned int flags);
int lxcDomainUpdateDeviceFlags(virConnect *conn, const virDomainRef *ref, const char *xml,
                               unsigned int flags);
/* lxcdriver.c: pid still runs the process that started at start (a
 * /proc start time: the guard against a reused PID) */
bool lxcProcessAlive(pid_t pid, unsigned long long start);

/* lxchost.c: the host calls, from the real host (virhostinfo.h). */
int lxcNodeGetCPUMap(virConnect *conn, unsigned char **cpumap, unsigned int *online,
                     unsigned int flags);
int lxcNodeGetCPUStats(virConnect *conn, int cpuNum, virNodeCPUStats *params, int *nparams,
                       unsigned int flags);
int lxcNodeGetMemoryStats(virConnect *conn, int cellNum, virNodeMemoryStats *params,
                          int *nparams, unsigned int flags);
int lxcNodeGetCellsFreeMemory(virConnect *conn, unsigned long long *cells, int startCell,
                              int maxcells);
int lxcNodeGetFreePages(virConnect *conn, unsigned int npages, unsigned int *pages, int startCell,
                        unsigned int cellCount, unsigned long long *counts, unsigned int flags);
int lxcNodeAllocPages(virConnect *conn, unsigned int npages, unsigned int *pageSizes,
                      unsigned long long *pageCounts, int startCell, unsigned int cellCount,
                      unsigned int flags);
int lxcNodeGetMemoryParameters(virConnect *conn, virTypedParameter *params, int *nparams,
                               unsigned int flags);
int lxcNodeSetMemoryParameters(virConnect *conn, virTypedParameter *params, int nparams,
                               unsigned int flags);
int lxcNodeSuspendForDuration(virConnect *conn, unsigned int target, unsigned long long duration,
                              unsigned int flags);
char *lxcConnectGetSysinfo(virConnect *conn, unsigned int flags);

/* lxcdomainagent.c: the guest agent of running domains. */

/* Domain start (lock held): the agent object of a run whose live
 * definition has the channel (none otherwise); it connects when the
 * controller reports the agent started (lxcDomainAgentStarted). */
void lxcDomainAgentInit(lxcDriverState *drv, lxcDomain *dom);
/* The controller started an agent (monitor event, lock held). */
void lxcDomainAgentStarted(lxcDriverState *drv, lxcDomain *dom);
/* The run ends (lock held): the connection closes, calls in flight fail. */
void lxcDomainAgentClose(lxcDomain *dom);

/* Shutdown and reboot with the agent mode: the guest agent asks the
 * container to end (or restart). */
int lxcDomainShutdownAgent(const virDomainRef *ref, bool reboot);

/* the driver table's entries */
char *lxcDomainGetHostname(virConnect *conn, const virDomainRef *ref, unsigned int flags);
int lxcDomainGetTime(virConnect *conn, const virDomainRef *ref, long long *seconds,
                     unsigned int *nseconds, unsigned int flags);
int lxcDomainSetUserPassword(virConnect *conn, const virDomainRef *ref, const char *user,
                             const char *password, unsigned int flags);
int lxcDomainGetFSInfo(virConnect *conn, const virDomainRef *ref, virDomainFSInfo ***info,
                       unsigned int flags);
int lxcDomainInterfaceAddresses(virConnect *conn, const virDomainRef *ref,
                                virDomainInterface ***ifaces, unsigned int source,
                                unsigned int flags);
int lxcDomainGetGuestInfo(virConnect *conn, const virDomainRef *ref, unsigned int types,
                          virTypedParameter **params, int *nparams, unsigned int flags);
int lxcDomainAuthorizedSSHKeysGet(virConnect *conn, const virDomainRef *ref, const char *user,
                                  char ***keys, unsigned int flags);
int lxcDomainAuthorizedSSHKeysSet(virConnect *conn, const virDomainRef *ref, const char *user,
                                  const char **keys, unsigned int nkeys, unsigned int flags);
int lxcDomainGetGuestVcpus(virConnect *conn, const virDomainRef *ref,
                           virTypedParameter **params, unsigned int *nparams,
                           unsigned int flags);
int lxcDomainSetGuestVcpus(virConnect *conn, const virDomainRef *ref, const char *cpumap,
                           int state, unsigned int flags);
int lxcDomainAgentSetResponseTimeout(virConnect *conn, const virDomainRef *ref, int timeout,
                                     unsigned int flags);
