/*
 * virdriver.h: the internal driver API. One entry per public libvirt API
 * call, same name less the "vir" prefix, same arguments (a domain is passed
 * as its virDomainRef), so the daemon's dispatch glue only forwards. A
 * driver table is static and const; NULL entries answer VIR_ERR_NO_SUPPORT
 * (virconnect.c does that, not each caller).
 *
 * Events follow docs/architecture.md rules 1-4: each driver keeps its own
 * callback registrations in its private state (see virdomainevent.h) and
 * raises events where its state really changes.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "virdomaintypes.h"
#include <glib.h>

#include "virevent.h"
#include "virstream.h"

typedef struct _virConnect virConnect;
/* The tables of the other object kinds (virobjectdrivers.h). */
typedef struct _virObjectDrivers virObjectDrivers;

/* connectOpen results */
typedef enum {
    VIR_DRV_OPEN_SUCCESS = 0,
    VIR_DRV_OPEN_DECLINED = -2,   /* not my URI: try the next driver */
    VIR_DRV_OPEN_ERROR = -1,
} virDrvOpenStatus;

typedef struct _virConnectDriver virConnectDriver;
struct _virConnectDriver {
    const char *name;                       /* "Test" */
    const char *const *uriSchemes;          /* NULL-terminated: "test", ... */

    virDrvOpenStatus (*connectOpen)(virConnect *conn, const char *uri, unsigned int flags);
    int (*connectClose)(virConnect *conn);
    const char *(*connectGetType)(virConnect *conn);
    int (*connectGetVersion)(virConnect *conn, unsigned long long *hvVer);
    char *(*connectGetHostname)(virConnect *conn);
    char *(*connectGetURI)(virConnect *conn);
    char *(*connectGetCapabilities)(virConnect *conn);
    char *(*connectGetSysinfo)(virConnect *conn, unsigned int flags);
    char *(*connectDomainXMLFromNative)(virConnect *conn, const char *nativeFormat,
                                        const char *nativeConfig, unsigned int flags);
    int (*connectSupportsFeature)(virConnect *conn, int feature);
    int (*connectIsSecure)(virConnect *conn);
    int (*connectIsEncrypted)(virConnect *conn);
    int (*connectIsAlive)(virConnect *conn);
    int (*connectGetMaxVcpus)(virConnect *conn, const char *type);
    int (*nodeGetInfo)(virConnect *conn, virNodeInfo *info);
    int (*nodeGetFreeMemory)(virConnect *conn, unsigned long long *freeMem);
    int (*nodeGetSecurityModel)(virConnect *conn, virSecurityModel *secmodel);

    int (*connectNumOfDomains)(virConnect *conn);
    int (*connectListDomains)(virConnect *conn, int *ids, int maxids);
    int (*connectNumOfDefinedDomains)(virConnect *conn);
    int (*connectListDefinedDomains)(virConnect *conn, char **names, int maxnames);
    /* *doms: NULL-terminated array the caller frees with virDomainRefListFree */
    int (*connectListAllDomains)(virConnect *conn, virDomainRef ***doms, unsigned int flags);

    virDomainRef *(*domainLookupByName)(virConnect *conn, const char *name);
    virDomainRef *(*domainLookupByUUID)(virConnect *conn, const unsigned char *uuid);
    virDomainRef *(*domainLookupByID)(virConnect *conn, int id);
    virDomainRef *(*domainDefineXML)(virConnect *conn, const char *xml);
    virDomainRef *(*domainDefineXMLFlags)(virConnect *conn, const char *xml, unsigned int flags);
    virDomainRef *(*domainCreateXML)(virConnect *conn, const char *xml, unsigned int flags);
    int (*domainCreate)(virConnect *conn, const virDomainRef *dom);
    int (*domainCreateWithFlags)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainDestroy)(virConnect *conn, const virDomainRef *dom);
    int (*domainDestroyFlags)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainShutdown)(virConnect *conn, const virDomainRef *dom);
    int (*domainShutdownFlags)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainReboot)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainSuspend)(virConnect *conn, const virDomainRef *dom);
    int (*domainResume)(virConnect *conn, const virDomainRef *dom);
    int (*domainUndefine)(virConnect *conn, const virDomainRef *dom);
    int (*domainUndefineFlags)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainGetInfo)(virConnect *conn, const virDomainRef *dom, virDomainInfo *info);
    int (*domainGetState)(virConnect *conn, const virDomainRef *dom, int *state, int *reason,
                          unsigned int flags);
    char *(*domainGetXMLDesc)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    char *(*domainGetOSType)(virConnect *conn, const virDomainRef *dom);
    unsigned long long (*domainGetMaxMemory)(virConnect *conn, const virDomainRef *dom);
    int (*domainGetVcpusFlags)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainGetAutostart)(virConnect *conn, const virDomainRef *dom, int *autostart);
    int (*domainSetAutostart)(virConnect *conn, const virDomainRef *dom, int autostart);
    int (*domainIsActive)(virConnect *conn, const virDomainRef *dom);
    int (*domainIsPersistent)(virConnect *conn, const virDomainRef *dom);
    int (*domainIsUpdated)(virConnect *conn, const virDomainRef *dom);
    int (*domainHasManagedSaveImage)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainGetSecurityLabel)(virConnect *conn, const virDomainRef *dom,
                                  virSecurityLabel *seclabel);

    /* Statistics, tuning, guest information. */
    int (*domainGetMaxVcpus)(virConnect *conn, const virDomainRef *dom);
    int (*domainSetMaxMemory)(virConnect *conn, const virDomainRef *dom, unsigned long memory);
    int (*domainSetMemory)(virConnect *conn, const virDomainRef *dom, unsigned long memory);
    int (*domainSetMemoryFlags)(virConnect *conn, const virDomainRef *dom, unsigned long memory,
                                 unsigned int flags);
    int (*domainSetMemoryParameters)(virConnect *conn, const virDomainRef *dom,
                                      virTypedParameter *params, int nparams, unsigned int flags);
    int (*domainGetMemoryParameters)(virConnect *conn, const virDomainRef *dom,
                                      virTypedParameter *params, int *nparams, unsigned int flags);
    int (*domainSetVcpus)(virConnect *conn, const virDomainRef *dom, unsigned int nvcpus);
    int (*domainSetVcpusFlags)(virConnect *conn, const virDomainRef *dom, unsigned int nvcpus,
                                unsigned int flags);
    int (*domainGetVcpus)(virConnect *conn, const virDomainRef *dom, virVcpuInfo *info,
                           int maxinfo, unsigned char *cpumaps, int maplen);
    int (*domainPinVcpu)(virConnect *conn, const virDomainRef *dom, unsigned int vcpu,
                          const unsigned char *cpumap, int cpumaplen);
    int (*domainPinVcpuFlags)(virConnect *conn, const virDomainRef *dom, unsigned int vcpu,
                               const unsigned char *cpumap, int cpumaplen, unsigned int flags);
    int (*domainGetVcpuPinInfo)(virConnect *conn, const virDomainRef *dom, int ncpumaps,
                                 unsigned char *cpumaps, int maplen, unsigned int flags);
    int (*domainPinEmulator)(virConnect *conn, const virDomainRef *dom,
                              const unsigned char *cpumap, int cpumaplen, unsigned int flags);
    int (*domainGetEmulatorPinInfo)(virConnect *conn, const virDomainRef *dom,
                                     unsigned char *cpumaps, int maplen, unsigned int flags);
    char *(*domainGetSchedulerType)(virConnect *conn, const virDomainRef *dom, int *nparams);
    int (*domainGetSchedulerParameters)(virConnect *conn, const virDomainRef *dom,
                                         virTypedParameter *params, int *nparams);
    int (*domainGetSchedulerParametersFlags)(virConnect *conn, const virDomainRef *dom,
                                              virTypedParameter *params, int *nparams,
                                              unsigned int flags);
    int (*domainSetSchedulerParameters)(virConnect *conn, const virDomainRef *dom,
                                         virTypedParameter *params, int nparams);
    int (*domainSetSchedulerParametersFlags)(virConnect *conn, const virDomainRef *dom,
                                              virTypedParameter *params, int nparams,
                                              unsigned int flags);
    int (*domainBlockStats)(virConnect *conn, const virDomainRef *dom, const char *path,
                             virDomainBlockStatsStruct *stats);
    int (*domainInterfaceStats)(virConnect *conn, const virDomainRef *dom, const char *device,
                                 virDomainInterfaceStatsStruct *stats);
    int (*domainMemoryStats)(virConnect *conn, const virDomainRef *dom,
                              virDomainMemoryStatStruct *stats, unsigned int nr_stats,
                              unsigned int flags);
    int (*domainGetBlockInfo)(virConnect *conn, const virDomainRef *dom, const char *path,
                               virDomainBlockInfo *info, unsigned int flags);
    int (*domainGetControlInfo)(virConnect *conn, const virDomainRef *dom,
                                 virDomainControlInfo *info, unsigned int flags);
    int (*domainReset)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    char *(*domainGetHostname)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainGetTime)(virConnect *conn, const virDomainRef *dom, long long *seconds,
                          unsigned int *nseconds, unsigned int flags);
    int (*domainSetTime)(virConnect *conn, const virDomainRef *dom, long long seconds,
                          unsigned int nseconds, unsigned int flags);
    char *(*domainGetMetadata)(virConnect *conn, const virDomainRef *dom, int type, const char *uri,
                               unsigned int flags);
    int (*domainSetMetadata)(virConnect *conn, const virDomainRef *dom, int type,
                              const char *metadata, const char *key, const char *uri,
                              unsigned int flags);
    /* devices: the plain forms are the driver's own (libvirt's LXC driver
     * makes them AFFECT_LIVE, not AFFECT_CURRENT) */
    int (*domainAttachDevice)(virConnect *conn, const virDomainRef *dom, const char *xml);
    int (*domainAttachDeviceFlags)(virConnect *conn, const virDomainRef *dom, const char *xml,
                                   unsigned int flags);
    int (*domainDetachDevice)(virConnect *conn, const virDomainRef *dom, const char *xml);
    int (*domainDetachDeviceFlags)(virConnect *conn, const virDomainRef *dom, const char *xml,
                                   unsigned int flags);
    int (*domainUpdateDeviceFlags)(virConnect *conn, const virDomainRef *dom, const char *xml,
                                   unsigned int flags);
    int (*nodeGetCellsFreeMemory)(virConnect *conn, unsigned long long *cells, int startCell,
                                   int maxcells);
    int (*nodeGetCPUStats)(virConnect *conn, int cpuNum, virNodeCPUStats *params, int *nparams,
                            unsigned int flags);
    int (*nodeGetCPUMap)(virConnect *conn, unsigned char **cpumap, unsigned int *online,
                          unsigned int flags);
    int (*nodeGetFreePages)(virConnect *conn, unsigned int npages, unsigned int *pages,
                             int startCell, unsigned int cellCount, unsigned long long *counts,
                             unsigned int flags);
    int (*nodeGetMemoryStats)(virConnect *conn, int cellNum, virNodeMemoryStats *params,
                              int *nparams, unsigned int flags);
    int (*nodeGetMemoryParameters)(virConnect *conn, virTypedParameter *params, int *nparams,
                                   unsigned int flags);
    int (*nodeSetMemoryParameters)(virConnect *conn, virTypedParameter *params, int nparams,
                                   unsigned int flags);
    int (*nodeAllocPages)(virConnect *conn, unsigned int npages, unsigned int *pageSizes,
                          unsigned long long *pageCounts, int startCell, unsigned int cellCount,
                          unsigned int flags);
    int (*nodeSuspendForDuration)(virConnect *conn, unsigned int target,
                                  unsigned long long duration, unsigned int flags);
    int (*connectGetAllDomainStats)(virConnect *conn, const virDomainRef *doms, int ndoms,
                                     unsigned int stats, virDomainStatsRecord ***retStats,
                                     unsigned int flags);

    /* Snapshots. */
    virDomainSnapshotRef *(*domainSnapshotCreateXML)(virConnect *conn, const virDomainRef *dom,
                                                     const char *xmlDesc, unsigned int flags);
    char *(*domainSnapshotGetXMLDesc)(virConnect *conn, const virDomainSnapshotRef *snap,
                                      unsigned int flags);
    int (*domainSnapshotNum)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainSnapshotListNames)(virConnect *conn, const virDomainRef *dom, char **names,
                                   int maxnames, unsigned int flags);
    int (*domainListAllSnapshots)(virConnect *conn, const virDomainRef *dom,
                                  virDomainSnapshotRef ***snapshots, unsigned int flags);
    int (*domainSnapshotNumChildren)(virConnect *conn, const virDomainSnapshotRef *snap,
                                     unsigned int flags);
    int (*domainSnapshotListChildrenNames)(virConnect *conn, const virDomainSnapshotRef *snap,
                                           char **names, int maxnames, unsigned int flags);
    int (*domainSnapshotListAllChildren)(virConnect *conn, const virDomainSnapshotRef *snapshot,
                                         virDomainSnapshotRef ***snapshots, unsigned int flags);
    virDomainSnapshotRef *(*domainSnapshotLookupByName)(virConnect *conn, const virDomainRef *dom,
                                                        const char *name, unsigned int flags);
    int (*domainHasCurrentSnapshot)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    virDomainSnapshotRef *(*domainSnapshotGetParent)(virConnect *conn,
                                                     const virDomainSnapshotRef *snap,
                                                     unsigned int flags);
    virDomainSnapshotRef *(*domainSnapshotCurrent)(virConnect *conn, const virDomainRef *dom,
                                                   unsigned int flags);
    int (*domainSnapshotIsCurrent)(virConnect *conn, const virDomainSnapshotRef *snap,
                                   unsigned int flags);
    int (*domainSnapshotHasMetadata)(virConnect *conn, const virDomainSnapshotRef *snap,
                                     unsigned int flags);
    int (*domainRevertToSnapshot)(virConnect *conn, const virDomainSnapshotRef *snap,
                                  unsigned int flags);
    int (*domainSnapshotDelete)(virConnect *conn, const virDomainSnapshotRef *snap,
                                unsigned int flags);

    /* Checkpoints. */
    virDomainCheckpointRef *(*domainCheckpointCreateXML)(virConnect *conn,
                                                         const virDomainRef *dom,
                                                         const char *xmlDesc, unsigned int flags);
    char *(*domainCheckpointGetXMLDesc)(virConnect *conn, const virDomainCheckpointRef *checkpoint,
                                        unsigned int flags);
    int (*domainListAllCheckpoints)(virConnect *conn, const virDomainRef *dom,
                                    virDomainCheckpointRef ***checkpoints, unsigned int flags);
    int (*domainCheckpointListAllChildren)(virConnect *conn,
                                           const virDomainCheckpointRef *checkpoint,
                                           virDomainCheckpointRef ***checkpoints, unsigned int flags);
    virDomainCheckpointRef *(*domainCheckpointLookupByName)(virConnect *conn,
                                                            const virDomainRef *dom,
                                                            const char *name, unsigned int flags);
    virDomainCheckpointRef *(*domainCheckpointGetParent)(virConnect *conn,
                                                         const virDomainCheckpointRef *checkpoint,
                                                         unsigned int flags);
    int (*domainCheckpointDelete)(virConnect *conn, const virDomainCheckpointRef *checkpoint,
                                  unsigned int flags);

    /* Managed save, power management, NMI, rename, CPU statistics, disk errors. */
    int (*domainManagedSave)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainManagedSaveRemove)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainInjectNMI)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainBlockStatsFlags)(virConnect *conn, const virDomainRef *dom, const char *path,
                                 virTypedParameter *params, int *nparams, unsigned int flags);
    int (*domainPMSuspendForDuration)(virConnect *conn, const virDomainRef *dom,
                                      unsigned int target, unsigned long long duration,
                                      unsigned int flags);
    int (*domainPMWakeup)(virConnect *conn, const virDomainRef *dom, unsigned int flags);
    int (*domainGetCPUStats)(virConnect *conn, const virDomainRef *dom, virTypedParameter *params,
                             unsigned int nparams, int start_cpu, unsigned int ncpus,
                             unsigned int flags);
    int (*domainGetDiskErrors)(virConnect *conn, const virDomainRef *dom,
                               virDomainDiskError *errors, unsigned int maxerrors,
                               unsigned int flags);
    int (*domainRename)(virConnect *conn, const virDomainRef *dom, const char *new_name,
                        unsigned int flags);

    /* User password, launch security, lifecycle actions. */
    int (*domainSetUserPassword)(virConnect *conn, const virDomainRef *dom, const char *user,
                                 const char *password, unsigned int flags);
    int (*domainGetLaunchSecurityInfo)(virConnect *conn, const virDomainRef *dom,
                                       virTypedParameter **params, int *nparams,
                                       unsigned int flags);
    int (*domainSetLifecycleAction)(virConnect *conn, const virDomainRef *dom, unsigned int type,
                                    unsigned int action, unsigned int flags);

    /* Block I/O tuning. */
    int (*domainSetBlkioParameters)(virConnect *conn, const virDomainRef *dom,
                                    virTypedParameter *params, int nparams, unsigned int flags);
    int (*domainGetBlkioParameters)(virConnect *conn, const virDomainRef *dom,
                                    virTypedParameter *params, int *nparams, unsigned int flags);

    /* NUMA memory tuning. */
    int (*domainSetNumaParameters)(virConnect *conn, const virDomainRef *dom,
                                   virTypedParameter *params, int nparams, unsigned int flags);
    int (*domainGetNumaParameters)(virConnect *conn, const virDomainRef *dom,
                                   virTypedParameter *params, int *nparams, unsigned int flags);

    /* Interface bandwidth (device: the target name or MAC address). */
    int (*domainSetInterfaceParameters)(virConnect *conn, const virDomainRef *dom,
                                        const char *device, virTypedParameter *params,
                                        int nparams, unsigned int flags);
    int (*domainGetInterfaceParameters)(virConnect *conn, const virDomainRef *dom,
                                        const char *device, virTypedParameter *params,
                                        int *nparams, unsigned int flags);

    /* IOThreads and block I/O tuning. */
    int (*domainGetIOThreadInfo)(virConnect *conn, const virDomainRef *dom,
                                 virDomainIOThreadInfo ***info, unsigned int flags);
    int (*domainPinIOThread)(virConnect *conn, const virDomainRef *dom,
                             unsigned int iothread_id, const unsigned char *cpumap,
                             int cpumaplen, unsigned int flags);
    int (*domainAddIOThread)(virConnect *conn, const virDomainRef *dom,
                             unsigned int iothread_id, unsigned int flags);
    int (*domainDelIOThread)(virConnect *conn, const virDomainRef *dom,
                             unsigned int iothread_id, unsigned int flags);
    int (*domainSetIOThreadParams)(virConnect *conn, const virDomainRef *dom,
                                   unsigned int iothread_id, virTypedParameter *params,
                                   int nparams, unsigned int flags);
    int (*domainSetBlockIoTune)(virConnect *conn, const virDomainRef *dom, const char *disk,
                                virTypedParameter *params, int nparams, unsigned int flags);
    int (*domainGetBlockIoTune)(virConnect *conn, const virDomainRef *dom, const char *disk,
                                virTypedParameter *params, int *nparams, unsigned int flags);

    /* The balloon's statistics period, perf events, signals to the guest. */
    int (*domainSetMemoryStatsPeriod)(virConnect *conn, const virDomainRef *dom, int period,
                                      unsigned int flags);
    int (*domainGetPerfEvents)(virConnect *conn, const virDomainRef *dom,
                               virTypedParameter **params, int *nparams, unsigned int flags);
    int (*domainSetPerfEvents)(virConnect *conn, const virDomainRef *dom,
                               virTypedParameter *params, int nparams, unsigned int flags);
    int (*domainSendProcessSignal)(virConnect *conn, const virDomainRef *dom,
                                   long long pid_value, unsigned int signum, unsigned int flags);

    /* Keys, memory, messages, creation with files, CPU models. */
    int (*domainSendKey)(virConnect *conn, const virDomainRef *dom, unsigned int codeset,
                         unsigned int holdtime, const unsigned int *keycodes, int nkeycodes,
                         unsigned int flags);
    int (*domainMemoryPeek)(virConnect *conn, const virDomainRef *dom, unsigned long long start,
                            size_t size, void *buffer, unsigned int flags);
    int (*domainGetMessages)(virConnect *conn, const virDomainRef *dom, char ***msgs,
                             unsigned int flags);
    virDomainRef *(*domainCreateXMLWithFiles)(virConnect *conn, const char *xml,
                                              unsigned int nfiles, const int *files,
                                              unsigned int flags);
    int (*domainCreateWithFiles)(virConnect *conn, const virDomainRef *dom, unsigned int nfiles,
                                 const int *files, unsigned int flags);
    int (*connectGetCPUModelNames)(virConnect *conn, const char *arch, char ***models,
                                   unsigned int flags);
    char *(*connectBaselineCPU)(virConnect *conn, const char **xmlCPUs, unsigned int nxmlCPUs,
                                unsigned int flags);

    /* The guest's filesystems. */
    int (*domainFSFreeze)(virConnect *conn, const virDomainRef *dom, const char **mountpoints,
                          unsigned int nmountpoints, unsigned int flags);
    int (*domainFSThaw)(virConnect *conn, const virDomainRef *dom, const char **mountpoints,
                        unsigned int nmountpoints, unsigned int flags);
    int (*domainFSTrim)(virConnect *conn, const virDomainRef *dom, const char *mountPoint,
                        unsigned long long minimum, unsigned int flags);

    /* The guest agent: the guest's own view (docs/agent.md). */
    int (*domainGetFSInfo)(virConnect *conn, const virDomainRef *dom, virDomainFSInfo ***info,
                           unsigned int flags);
    int (*domainInterfaceAddresses)(virConnect *conn, const virDomainRef *dom,
                                    virDomainInterface ***ifaces, unsigned int source,
                                    unsigned int flags);
    int (*domainGetGuestInfo)(virConnect *conn, const virDomainRef *dom, unsigned int types,
                              virTypedParameter **params, int *nparams, unsigned int flags);
    int (*domainAuthorizedSSHKeysGet)(virConnect *conn, const virDomainRef *dom,
                                      const char *user, char ***keys, unsigned int flags);
    int (*domainAuthorizedSSHKeysSet)(virConnect *conn, const virDomainRef *dom,
                                      const char *user, const char **keys, unsigned int nkeys,
                                      unsigned int flags);
    int (*domainGetGuestVcpus)(virConnect *conn, const virDomainRef *dom,
                               virTypedParameter **params, unsigned int *nparams,
                               unsigned int flags);
    int (*domainSetGuestVcpus)(virConnect *conn, const virDomainRef *dom, const char *cpumap,
                               int state, unsigned int flags);
    int (*domainAgentSetResponseTimeout)(virConnect *conn, const virDomainRef *dom, int timeout,
                                         unsigned int flags);

    /* Events. Legacy API: one lifecycle callback per (conn, callback). */
    int (*connectDomainEventRegister)(virConnect *conn, virConnectDomainEventCallback cb,
                                      void *opaque, virFreeCallback ff);
    int (*connectDomainEventDeregister)(virConnect *conn, virConnectDomainEventCallback cb);
    /* Callback API: returns a callback ID >= 0; dom NULL means all domains. */
    int (*connectDomainEventRegisterAny)(virConnect *conn, const virDomainRef *dom,
                                         int eventID, virConnectDomainEventGenericCallback cb,
                                         void *opaque, virFreeCallback ff);
    int (*connectDomainEventDeregisterAny)(virConnect *conn, int callbackID);

    /* Streams (virstream.h): the entry attaches the stream's source or sink
     * and returns; the bytes move afterwards. */
    int (*domainOpenConsole)(virConnect *conn, const virDomainRef *dom, const char *dev_name,
                             virStream *st, unsigned int flags);
    char *(*domainScreenshot)(virConnect *conn, const virDomainRef *dom, virStream *st,
                              unsigned int screen, unsigned int flags);
    /* Save, restore, core dumps, jobs. */
    int (*domainSave)(virConnect *conn, const virDomainRef *dom, const char *to);
    int (*domainSaveFlags)(virConnect *conn, const virDomainRef *dom, const char *to,
                           const char *dxml, unsigned int flags);
    int (*domainRestore)(virConnect *conn, const char *from);
    int (*domainRestoreFlags)(virConnect *conn, const char *from, const char *dxml,
                              unsigned int flags);
    char *(*domainSaveImageGetXMLDesc)(virConnect *conn, const char *file, unsigned int flags);
    int (*domainSaveImageDefineXML)(virConnect *conn, const char *file, const char *dxml,
                                    unsigned int flags);
    int (*domainCoreDump)(virConnect *conn, const virDomainRef *dom, const char *to,
                          unsigned int flags);
    int (*domainCoreDumpWithFormat)(virConnect *conn, const virDomainRef *dom, const char *to,
                                    unsigned int dumpformat, unsigned int flags);
    char *(*domainManagedSaveGetXMLDesc)(virConnect *conn, const virDomainRef *dom,
                                         unsigned int flags);
    int (*domainManagedSaveDefineXML)(virConnect *conn, const virDomainRef *dom,
                                      const char *dxml, unsigned int flags);
    int (*domainGetJobInfo)(virConnect *conn, const virDomainRef *dom, virDomainJobInfo *info);
    int (*domainGetJobStats)(virConnect *conn, const virDomainRef *dom, int *type,
                             virTypedParameter **params, int *nparams, unsigned int flags);
    int (*domainAbortJob)(virConnect *conn, const virDomainRef *dom);
    int (*domainAbortJobFlags)(virConnect *conn, const virDomainRef *dom, unsigned int flags);

    /* libvirt-lxc's API (the lxc program): the container's namespaces. */
    int (*domainLxcOpenNamespace)(virConnect *conn, const virDomainRef *dom, int **fdlist,
                                  unsigned int flags);

    /* Networks, storage, interfaces, node devices, secrets: the driver's
     * own tables (NULL entries: none of that kind), and whether a kind it
     * lacks takes the registered secondary driver (virobjectdrivers.h). */
    const virObjectDrivers *objectDrivers;
    bool secondaryDrivers;
};
