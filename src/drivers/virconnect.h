/*
 * virconnect.h: a connection to a driver, and the API the daemon calls.
 *
 * Each function checks its arguments (VIR_ERR_INVALID_ARG), forwards to the
 * connection's driver table, and reports VIR_ERR_NO_SUPPORT for a NULL
 * entry; the names are libvirt's public API names. Drivers register once
 * at start (virConnectRegisterDriver); virConnectOpen asks each in turn,
 * by URI scheme. An unknown URI fails with VIR_ERR_NO_CONNECT.
 *
 * Threading: a virConnect may be used from several threads at once; the
 * driver does its own locking. Reference counted.
 */
#pragma once

#include "virdriver.h"
#include "virobjectdrivers.h"

struct _virConnect {
    gint refs;
    const virConnectDriver *driver;
    void *privateData;       /* the driver's, set by connectOpen */
    char *uri;               /* as opened */
    unsigned int flags;      /* VIR_CONNECT_RO ... */
    bool autoAnswer;         /* the URI's auto_answer=1: questions get their
                              * default answer (virquestion.h) */
    virObjectDrivers objects;    /* the other kinds' tables (virobjectdrivers.h) */
    virObjectDrivers secondary;  /* those of them that are secondary drivers */
};

/* libvirt's virReportInvalidArg (virCheckFlags, virCheckNonNullArg...):
 * VIR_ERR_INVALID_ARG whose message is the text as given, without the
 * "invalid argument: " prefix virReportError adds; str1 is the reporting
 * function, str2 the argument's name, as libvirt sets them. */
void virDriverReportInvalidArgFull(int domain, const char *file, const char *func,
                                   size_t line, const char *argname,
                                   const char *fmt, ...) G_GNUC_PRINTF(6, 7);
#define virDriverReportInvalidArg(argname, ...) \
    virDriverReportInvalidArgFull(VIR_FROM_THIS, __FILE__, __func__, __LINE__, \
                                  #argname, __VA_ARGS__)

/* libvirt's virCheckFlags, for a driver entry: flags outside allowed are
 * VIR_ERR_INVALID_ARG naming the entry, and the entry returns ret. */
#define virDriverCheckFlags(flags, allowed, ret) \
    do { \
        if ((flags) & ~(unsigned int)(allowed)) { \
            virDriverReportInvalidArg(flags, "unsupported flags (0x%x) in function %s", \
                                      (flags) & ~(unsigned int)(allowed), __func__); \
            return ret; \
        } \
    } while (0)

/* Errors libvirt's drivers report from its domain-object code. */
#define virDriverReportDomainError(code, ...) \
    virErrorReportFull(VIR_FROM_DOMAIN, code, __FILE__, __func__, __LINE__, __VA_ARGS__)

int virConnectRegisterDriver(const virConnectDriver *driver);
/* NULL uri: the first registered driver's default ("test:///default"). */
virConnect *virConnectOpen(const char *uri, unsigned int flags);
virConnect *virConnectRef(virConnect *conn);
/* Drops a reference; the driver's connectClose runs on the last one. */
int virConnectClose(virConnect *conn);

const char *virConnectGetType(virConnect *conn);
int virConnectGetVersion(virConnect *conn, unsigned long long *hvVer);
char *virConnectGetHostname(virConnect *conn);
char *virConnectGetURI(virConnect *conn);
char *virConnectGetCapabilities(virConnect *conn);
char *virConnectGetSysinfo(virConnect *conn, unsigned int flags);
/* A domain XML made from a hypervisor's own configuration (the LXC
 * driver: nativeFormat "lxc-tools"); a failure the driver gives no reason
 * for gets libvirt's generic error. */
char *virConnectDomainXMLFromNative(virConnect *conn, const char *nativeFormat,
                                    const char *nativeConfig, unsigned int flags);
int virConnectSupportsFeature(virConnect *conn, int feature);
int virConnectIsSecure(virConnect *conn);
int virConnectIsEncrypted(virConnect *conn);
int virConnectIsAlive(virConnect *conn);
int virConnectGetMaxVcpus(virConnect *conn, const char *type);
int virNodeGetInfo(virConnect *conn, virNodeInfo *info);
/* Free memory in bytes. As libvirt's API, where 0 means failure: a driver
 * answer of 0 fails with libvirt's generic error (VIR_ERR_INTERNAL_ERROR,
 * VIR_FROM_NONE, "An error occurred, but the cause is unknown"). */
int virNodeGetFreeMemory(virConnect *conn, unsigned long long *freeMem);
int virNodeGetSecurityModel(virConnect *conn, virSecurityModel *secmodel);

int virConnectNumOfDomains(virConnect *conn);
int virConnectListDomains(virConnect *conn, int *ids, int maxids);
int virConnectNumOfDefinedDomains(virConnect *conn);
int virConnectListDefinedDomains(virConnect *conn, char **names, int maxnames);
int virConnectListAllDomains(virConnect *conn, virDomainRef ***domains, unsigned int flags);

virDomainRef *virDomainLookupByName(virConnect *conn, const char *name);
virDomainRef *virDomainLookupByUUID(virConnect *conn, const unsigned char *uuid);
virDomainRef *virDomainLookupByID(virConnect *conn, int id);
virDomainRef *virDomainDefineXML(virConnect *conn, const char *xml);
virDomainRef *virDomainDefineXMLFlags(virConnect *conn, const char *xml, unsigned int flags);
virDomainRef *virDomainCreateXML(virConnect *conn, const char *xmlDesc, unsigned int flags);
int virDomainCreate(virConnect *conn, const virDomainRef *dom);
int virDomainCreateWithFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainDestroy(virConnect *conn, const virDomainRef *dom);
int virDomainDestroyFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainShutdown(virConnect *conn, const virDomainRef *dom);
int virDomainShutdownFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainReboot(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainSuspend(virConnect *conn, const virDomainRef *dom);
int virDomainResume(virConnect *conn, const virDomainRef *dom);
int virDomainUndefine(virConnect *conn, const virDomainRef *dom);
int virDomainUndefineFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainGetInfo(virConnect *conn, const virDomainRef *dom, virDomainInfo *info);
int virDomainGetState(virConnect *conn, const virDomainRef *dom, int *state, int *reason,
                      unsigned int flags);
char *virDomainGetXMLDesc(virConnect *conn, const virDomainRef *dom, unsigned int flags);
char *virDomainGetOSType(virConnect *conn, const virDomainRef *dom);
unsigned long long virDomainGetMaxMemory(virConnect *conn, const virDomainRef *dom);
int virDomainGetVcpusFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainGetAutostart(virConnect *conn, const virDomainRef *dom, int *autostart);
int virDomainSetAutostart(virConnect *conn, const virDomainRef *dom, int autostart);
int virDomainIsActive(virConnect *conn, const virDomainRef *dom);
int virDomainIsPersistent(virConnect *conn, const virDomainRef *dom);
int virDomainIsUpdated(virConnect *conn, const virDomainRef *dom);
int virDomainHasManagedSaveImage(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainGetSecurityLabel(virConnect *conn, const virDomainRef *dom,
                              virSecurityLabel *seclabel);

/* The domain and host API beyond the lifecycle: statistics, tuning, guest
 * information (docs/remote-procedures.md). */
int virDomainGetMaxVcpus(virConnect *conn, const virDomainRef *dom);
int virDomainSetMaxMemory(virConnect *conn, const virDomainRef *dom, unsigned long memory);
int virDomainSetMemory(virConnect *conn, const virDomainRef *dom, unsigned long memory);
int virDomainSetMemoryFlags(virConnect *conn, const virDomainRef *dom, unsigned long memory,
                            unsigned int flags);
int virDomainSetMemoryParameters(virConnect *conn, const virDomainRef *dom,
                                 virTypedParameter *params, int nparams, unsigned int flags);
int virDomainGetMemoryParameters(virConnect *conn, const virDomainRef *dom,
                                 virTypedParameter *params, int *nparams, unsigned int flags);
int virDomainSetVcpus(virConnect *conn, const virDomainRef *dom, unsigned int nvcpus);
int virDomainSetVcpusFlags(virConnect *conn, const virDomainRef *dom, unsigned int nvcpus,
                           unsigned int flags);
int virDomainGetVcpus(virConnect *conn, const virDomainRef *dom, virVcpuInfo *info, int maxinfo,
                      unsigned char *cpumaps, int maplen);
int virDomainPinVcpu(virConnect *conn, const virDomainRef *dom, unsigned int vcpu,
                     const unsigned char *cpumap, int cpumaplen);
int virDomainPinVcpuFlags(virConnect *conn, const virDomainRef *dom, unsigned int vcpu,
                          const unsigned char *cpumap, int cpumaplen, unsigned int flags);
int virDomainGetVcpuPinInfo(virConnect *conn, const virDomainRef *dom, int ncpumaps,
                            unsigned char *cpumaps, int maplen, unsigned int flags);
int virDomainPinEmulator(virConnect *conn, const virDomainRef *dom, const unsigned char *cpumap,
                         int cpumaplen, unsigned int flags);
int virDomainGetEmulatorPinInfo(virConnect *conn, const virDomainRef *dom, unsigned char *cpumaps,
                                int maplen, unsigned int flags);
char *virDomainGetSchedulerType(virConnect *conn, const virDomainRef *dom, int *nparams);
int virDomainGetSchedulerParameters(virConnect *conn, const virDomainRef *dom,
                                    virTypedParameter *params, int *nparams);
int virDomainGetSchedulerParametersFlags(virConnect *conn, const virDomainRef *dom,
                                         virTypedParameter *params, int *nparams,
                                         unsigned int flags);
int virDomainSetSchedulerParameters(virConnect *conn, const virDomainRef *dom,
                                    virTypedParameter *params, int nparams);
int virDomainSetSchedulerParametersFlags(virConnect *conn, const virDomainRef *dom,
                                         virTypedParameter *params, int nparams,
                                         unsigned int flags);
int virDomainBlockStats(virConnect *conn, const virDomainRef *dom, const char *path,
                        virDomainBlockStatsStruct *stats);
int virDomainInterfaceStats(virConnect *conn, const virDomainRef *dom, const char *device,
                            virDomainInterfaceStatsStruct *stats);
int virDomainMemoryStats(virConnect *conn, const virDomainRef *dom,
                         virDomainMemoryStatStruct *stats, unsigned int maxStats,
                         unsigned int flags);
int virDomainGetBlockInfo(virConnect *conn, const virDomainRef *dom, const char *path,
                          virDomainBlockInfo *info, unsigned int flags);
int virDomainGetControlInfo(virConnect *conn, const virDomainRef *dom, virDomainControlInfo *info,
                            unsigned int flags);
int virDomainReset(virConnect *conn, const virDomainRef *dom, unsigned int flags);
char *virDomainGetHostname(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainGetTime(virConnect *conn, const virDomainRef *dom, long long *seconds,
                     unsigned int *nseconds, unsigned int flags);
int virDomainSetTime(virConnect *conn, const virDomainRef *dom, long long seconds,
                     unsigned int nseconds, unsigned int flags);
char *virDomainGetMetadata(virConnect *conn, const virDomainRef *dom, int type, const char *uri,
                           unsigned int flags);
int virDomainSetMetadata(virConnect *conn, const virDomainRef *dom, int type, const char *metadata,
                         const char *key, const char *uri, unsigned int flags);
int virDomainAttachDevice(virConnect *conn, const virDomainRef *dom, const char *xml);
int virDomainAttachDeviceFlags(virConnect *conn, const virDomainRef *dom, const char *xml,
                               unsigned int flags);
int virDomainDetachDevice(virConnect *conn, const virDomainRef *dom, const char *xml);
int virDomainDetachDeviceFlags(virConnect *conn, const virDomainRef *dom, const char *xml,
                               unsigned int flags);
int virDomainUpdateDeviceFlags(virConnect *conn, const virDomainRef *dom, const char *xml,
                               unsigned int flags);
int virNodeGetCellsFreeMemory(virConnect *conn, unsigned long long *cells, int startCell,
                              int maxcells);
int virNodeGetCPUStats(virConnect *conn, int cpuNum, virNodeCPUStats *params, int *nparams,
                       unsigned int flags);
int virNodeGetCPUMap(virConnect *conn, unsigned char **cpumap, unsigned int *online,
                     unsigned int flags);
int virNodeGetFreePages(virConnect *conn, unsigned int npages, unsigned int *pages, int startCell,
                        unsigned int cellCount, unsigned long long *counts, unsigned int flags);
int virNodeGetMemoryStats(virConnect *conn, int cellNum, virNodeMemoryStats *params, int *nparams,
                          unsigned int flags);
int virNodeGetMemoryParameters(virConnect *conn, virTypedParameter *params, int *nparams,
                               unsigned int flags);
int virNodeSetMemoryParameters(virConnect *conn, virTypedParameter *params, int nparams,
                               unsigned int flags);
int virNodeAllocPages(virConnect *conn, unsigned int npages, unsigned int *pageSizes,
                      unsigned long long *pageCounts, int startCell, unsigned int cellCount,
                      unsigned int flags);
int virNodeSuspendForDuration(virConnect *conn, unsigned int target, unsigned long long duration,
                              unsigned int flags);
int virConnectGetAllDomainStats(virConnect *conn, const virDomainRef *doms, int ndoms,
                                unsigned int stats, virDomainStatsRecord ***retStats,
                                unsigned int flags);

/* Snapshots. */
virDomainSnapshotRef *virDomainSnapshotCreateXML(virConnect *conn, const virDomainRef *dom,
                                                 const char *xmlDesc, unsigned int flags);
char *virDomainSnapshotGetXMLDesc(virConnect *conn, const virDomainSnapshotRef *snap,
                                  unsigned int flags);
int virDomainSnapshotNum(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainSnapshotListNames(virConnect *conn, const virDomainRef *dom, char **names,
                               int maxnames, unsigned int flags);
int virDomainListAllSnapshots(virConnect *conn, const virDomainRef *dom,
                              virDomainSnapshotRef ***snapshots, unsigned int flags);
int virDomainSnapshotNumChildren(virConnect *conn, const virDomainSnapshotRef *snap,
                                 unsigned int flags);
int virDomainSnapshotListChildrenNames(virConnect *conn, const virDomainSnapshotRef *snap,
                                       char **names, int maxnames, unsigned int flags);
int virDomainSnapshotListAllChildren(virConnect *conn, const virDomainSnapshotRef *snapshot,
                                     virDomainSnapshotRef ***snapshots, unsigned int flags);
virDomainSnapshotRef *virDomainSnapshotLookupByName(virConnect *conn, const virDomainRef *dom,
                                                    const char *name, unsigned int flags);
int virDomainHasCurrentSnapshot(virConnect *conn, const virDomainRef *dom, unsigned int flags);
virDomainSnapshotRef *virDomainSnapshotGetParent(virConnect *conn, const virDomainSnapshotRef *snap,
                                                 unsigned int flags);
virDomainSnapshotRef *virDomainSnapshotCurrent(virConnect *conn, const virDomainRef *dom,
                                               unsigned int flags);
int virDomainSnapshotIsCurrent(virConnect *conn, const virDomainSnapshotRef *snap,
                               unsigned int flags);
int virDomainSnapshotHasMetadata(virConnect *conn, const virDomainSnapshotRef *snap,
                                 unsigned int flags);
int virDomainRevertToSnapshot(virConnect *conn, const virDomainSnapshotRef *snap,
                              unsigned int flags);
int virDomainSnapshotDelete(virConnect *conn, const virDomainSnapshotRef *snap, unsigned int flags);

/* Checkpoints. */
virDomainCheckpointRef *virDomainCheckpointCreateXML(virConnect *conn, const virDomainRef *dom,
                                                     const char *xmlDesc, unsigned int flags);
char *virDomainCheckpointGetXMLDesc(virConnect *conn, const virDomainCheckpointRef *checkpoint,
                                    unsigned int flags);
int virDomainListAllCheckpoints(virConnect *conn, const virDomainRef *dom,
                                virDomainCheckpointRef ***checkpoints, unsigned int flags);
int virDomainCheckpointListAllChildren(virConnect *conn, const virDomainCheckpointRef *checkpoint,
                                       virDomainCheckpointRef ***checkpoints, unsigned int flags);
virDomainCheckpointRef *virDomainCheckpointLookupByName(virConnect *conn,
                                                        const virDomainRef *dom,
                                                        const char *name, unsigned int flags);
virDomainCheckpointRef *virDomainCheckpointGetParent(virConnect *conn,
                                                     const virDomainCheckpointRef *checkpoint,
                                                     unsigned int flags);
int virDomainCheckpointDelete(virConnect *conn, const virDomainCheckpointRef *checkpoint,
                              unsigned int flags);

/* Managed save, power management, NMI, rename, CPU statistics, disk errors. */
int virDomainManagedSave(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainManagedSaveRemove(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainInjectNMI(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainBlockStatsFlags(virConnect *conn, const virDomainRef *dom, const char *path,
                             virTypedParameter *params, int *nparams, unsigned int flags);
int virDomainPMSuspendForDuration(virConnect *conn, const virDomainRef *dom, unsigned int target,
                                  unsigned long long duration, unsigned int flags);
int virDomainPMWakeup(virConnect *conn, const virDomainRef *dom, unsigned int flags);
int virDomainGetCPUStats(virConnect *conn, const virDomainRef *dom, virTypedParameter *params,
                         unsigned int nparams, int start_cpu, unsigned int ncpus,
                         unsigned int flags);
int virDomainGetDiskErrors(virConnect *conn, const virDomainRef *dom, virDomainDiskError *errors,
                           unsigned int maxerrors, unsigned int flags);
int virDomainRename(virConnect *conn, const virDomainRef *dom, const char *new_name,
                    unsigned int flags);

/* User password, launch security, lifecycle actions. */
int virDomainSetUserPassword(virConnect *conn, const virDomainRef *dom, const char *user,
                             const char *password, unsigned int flags);
int virDomainGetLaunchSecurityInfo(virConnect *conn, const virDomainRef *dom,
                                   virTypedParameter **params, int *nparams, unsigned int flags);
int virDomainSetLifecycleAction(virConnect *conn, const virDomainRef *dom, unsigned int type,
                                unsigned int action, unsigned int flags);

/* Block I/O tuning. */
int virDomainSetBlkioParameters(virConnect *conn, const virDomainRef *dom,
                                virTypedParameter *params, int nparams, unsigned int flags);
int virDomainGetBlkioParameters(virConnect *conn, const virDomainRef *dom,
                                virTypedParameter *params, int *nparams, unsigned int flags);

/* NUMA memory tuning. */
int virDomainSetNumaParameters(virConnect *conn, const virDomainRef *dom,
                               virTypedParameter *params, int nparams, unsigned int flags);
int virDomainGetNumaParameters(virConnect *conn, const virDomainRef *dom,
                               virTypedParameter *params, int *nparams, unsigned int flags);

/* Interface bandwidth (device: the target name or MAC address). */
int virDomainSetInterfaceParameters(virConnect *conn, const virDomainRef *dom,
                                    const char *device, virTypedParameter *params, int nparams,
                                    unsigned int flags);
int virDomainGetInterfaceParameters(virConnect *conn, const virDomainRef *dom,
                                    const char *device, virTypedParameter *params, int *nparams,
                                    unsigned int flags);

/* IOThreads (info: a NULL-terminated list, the count returned) and block
 * I/O tuning (disk: the target name or the source path). */
int virDomainGetIOThreadInfo(virConnect *conn, const virDomainRef *dom,
                             virDomainIOThreadInfo ***info, unsigned int flags);
int virDomainPinIOThread(virConnect *conn, const virDomainRef *dom, unsigned int iothread_id,
                         const unsigned char *cpumap, int cpumaplen, unsigned int flags);
int virDomainAddIOThread(virConnect *conn, const virDomainRef *dom, unsigned int iothread_id,
                         unsigned int flags);
int virDomainDelIOThread(virConnect *conn, const virDomainRef *dom, unsigned int iothread_id,
                         unsigned int flags);
int virDomainSetIOThreadParams(virConnect *conn, const virDomainRef *dom,
                               unsigned int iothread_id, virTypedParameter *params, int nparams,
                               unsigned int flags);
int virDomainSetBlockIoTune(virConnect *conn, const virDomainRef *dom, const char *disk,
                            virTypedParameter *params, int nparams, unsigned int flags);
int virDomainGetBlockIoTune(virConnect *conn, const virDomainRef *dom, const char *disk,
                            virTypedParameter *params, int *nparams, unsigned int flags);

/* The balloon's statistics period, perf events, signals to the guest. */
int virDomainSetMemoryStatsPeriod(virConnect *conn, const virDomainRef *dom, int period,
                                  unsigned int flags);
int virDomainGetPerfEvents(virConnect *conn, const virDomainRef *dom,
                           virTypedParameter **params, int *nparams, unsigned int flags);
int virDomainSetPerfEvents(virConnect *conn, const virDomainRef *dom,
                           virTypedParameter *params, int nparams, unsigned int flags);
int virDomainSendProcessSignal(virConnect *conn, const virDomainRef *dom, long long pid_value,
                               unsigned int signum, unsigned int flags);

/* Keys to the guest, its memory, its messages; creation with files (the
 * descriptors stay the caller's); the CPU models of an architecture
 * (models NULL: the count only; a NULL-terminated list otherwise). */
int virDomainSendKey(virConnect *conn, const virDomainRef *dom, unsigned int codeset,
                     unsigned int holdtime, const unsigned int *keycodes, int nkeycodes,
                     unsigned int flags);
int virDomainMemoryPeek(virConnect *conn, const virDomainRef *dom, unsigned long long start,
                        size_t size, void *buffer, unsigned int flags);
int virDomainGetMessages(virConnect *conn, const virDomainRef *dom, char ***msgs,
                         unsigned int flags);
virDomainRef *virDomainCreateXMLWithFiles(virConnect *conn, const char *xmlDesc,
                                          unsigned int nfiles, const int *files,
                                          unsigned int flags);
int virDomainCreateWithFiles(virConnect *conn, const virDomainRef *dom, unsigned int nfiles,
                             const int *files, unsigned int flags);
int virConnectGetCPUModelNames(virConnect *conn, const char *arch, char ***models,
                               unsigned int flags);
/* The guest CPU the host CPUs given (XML documents) all run, as XML. */
#define VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES (1 << 0)
char *virConnectBaselineCPU(virConnect *conn, const char **xmlCPUs, unsigned int nxmlCPUs,
                            unsigned int flags);

/* The guest's filesystems. */
int virDomainFSFreeze(virConnect *conn, const virDomainRef *dom, const char **mountpoints,
                      unsigned int nmountpoints, unsigned int flags);
int virDomainFSThaw(virConnect *conn, const virDomainRef *dom, const char **mountpoints,
                    unsigned int nmountpoints, unsigned int flags);
int virDomainFSTrim(virConnect *conn, const virDomainRef *dom, const char *mountPoint,
                    unsigned long long minimum, unsigned int flags);

/* The guest agent (docs/agent.md). Lists the callee allocates are
 * NULL-terminated; the return value is their length. */
int virDomainGetFSInfo(virConnect *conn, const virDomainRef *dom, virDomainFSInfo ***info,
                       unsigned int flags);
int virDomainInterfaceAddresses(virConnect *conn, const virDomainRef *dom,
                                virDomainInterface ***ifaces, unsigned int source,
                                unsigned int flags);
int virDomainGetGuestInfo(virConnect *conn, const virDomainRef *dom, unsigned int types,
                          virTypedParameter **params, int *nparams, unsigned int flags);
int virDomainAuthorizedSSHKeysGet(virConnect *conn, const virDomainRef *dom, const char *user,
                                  char ***keys, unsigned int flags);
int virDomainAuthorizedSSHKeysSet(virConnect *conn, const virDomainRef *dom, const char *user,
                                  const char **keys, unsigned int nkeys, unsigned int flags);
int virDomainGetGuestVcpus(virConnect *conn, const virDomainRef *dom, virTypedParameter **params,
                           unsigned int *nparams, unsigned int flags);
int virDomainSetGuestVcpus(virConnect *conn, const virDomainRef *dom, const char *cpumap,
                           int state, unsigned int flags);
int virDomainAgentSetResponseTimeout(virConnect *conn, const virDomainRef *dom, int timeout,
                                     unsigned int flags);

int virConnectDomainEventRegister(virConnect *conn, virConnectDomainEventCallback cb,
                                  void *opaque, virFreeCallback ff);
int virConnectDomainEventDeregister(virConnect *conn, virConnectDomainEventCallback cb);
int virConnectDomainEventRegisterAny(virConnect *conn, const virDomainRef *dom, int eventID,
                                     virConnectDomainEventGenericCallback cb,
                                     void *opaque, virFreeCallback ff);
int virConnectDomainEventDeregisterAny(virConnect *conn, int callbackID);

/* Streams (virstream.h): st is the stream of the call (the daemon's);
 * the driver attaches what it carries. Not on a read-only connection. */
int virDomainOpenConsole(virConnect *conn, const virDomainRef *dom, const char *dev_name,
                         virStream *st, unsigned int flags);
/* The image's MIME type (the caller frees it); the image goes on st. */
char *virDomainScreenshot(virConnect *conn, const virDomainRef *dom, virStream *st,
                          unsigned int screen, unsigned int flags);
/* Save, restore, core dumps, jobs (docs/jobs.md): run by a helper process. */
int virDomainSave(virConnect *conn, const virDomainRef *dom, const char *to);
int virDomainSaveFlags(virConnect *conn, const virDomainRef *dom, const char *to,
                       const char *dxml, unsigned int flags);
int virDomainRestore(virConnect *conn, const char *from);
int virDomainRestoreFlags(virConnect *conn, const char *from, const char *dxml,
                          unsigned int flags);
char *virDomainSaveImageGetXMLDesc(virConnect *conn, const char *file, unsigned int flags);
int virDomainSaveImageDefineXML(virConnect *conn, const char *file, const char *dxml,
                                unsigned int flags);
int virDomainCoreDump(virConnect *conn, const virDomainRef *dom, const char *to,
                      unsigned int flags);
int virDomainCoreDumpWithFormat(virConnect *conn, const virDomainRef *dom, const char *to,
                                unsigned int dumpformat, unsigned int flags);
char *virDomainManagedSaveGetXMLDesc(virConnect *conn, const virDomainRef *dom,
                                     unsigned int flags);
int virDomainManagedSaveDefineXML(virConnect *conn, const virDomainRef *dom, const char *dxml,
                                  unsigned int flags);
int virDomainGetJobInfo(virConnect *conn, const virDomainRef *dom, virDomainJobInfo *info);
int virDomainGetJobStats(virConnect *conn, const virDomainRef *dom, int *type,
                         virTypedParameter **params, int *nparams, unsigned int flags);
int virDomainAbortJob(virConnect *conn, const virDomainRef *dom);
int virDomainAbortJobFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags);
/* The typed-parameter forms ("file", "dxml"), on the driver's save and
 * restore: a save without "file" is a managed save (as libvirt's qemu
 * driver); a restore without one fails ("missing path to restore from"). */
int virDomainSaveParams(virConnect *conn, const virDomainRef *dom,
                        virTypedParameter *params, int nparams, unsigned int flags);
int virDomainRestoreParams(virConnect *conn, virTypedParameter *params, int nparams,
                           unsigned int flags);
/* libvirt-lxc's API: descriptors of the running container's namespaces
 * (*fdlist, allocated; the caller closes them and frees the list), for
 * setns(). Returns their count, or -1 with *fdlist NULL. Its errors come
 * from no error domain, as libvirt-lxc's. */
int virDomainLxcOpenNamespace(virConnect *conn, const virDomainRef *dom, int **fdlist,
                              unsigned int flags);
/* The API of the other object kinds. */
#include "virnetworkapi.h"
#include "virstorageapi.h"
#include "virinterfaceapi.h"
#include "virnodedevapi.h"
#include "virsecretapi.h"
