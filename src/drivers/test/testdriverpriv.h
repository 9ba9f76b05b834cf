/*
 * testdriverpriv.h: the test driver's state, shared by its source files
 * (testdriver.c: connections, the node and the domain lifecycle; each
 * further group of the API may live in a file of its own).
 *
 * Locking (see testdriver.h): state->lock, a virNoIOMutex, guards
 * everything in the state; every entry point takes it for its whole run
 * and never does blocking work under it. A connection's state is
 * conn->privateData.
 */
#pragma once

#include "testdriver.h"
#include "virnoiolock.h"
#include "virdomainobj.h"
#include "virdomainevent.h"
#include "virjob.h"
#include "virobjectlist.h"
#include "virobjectdrivers.h"
#include "testmoment.h"

/* An IOThread's polling values (SET_IOTHREAD_PARAMS, the iothread stats
 * group), kept per domain apart from the definitions, as libvirt does. */
typedef struct {
    unsigned int id;
    unsigned long long maxNs;
    unsigned int grow;
    unsigned int shrink;
} testIOThreadPoll;

typedef struct {
    virDomainObj obj;           /* first: the list code sees a virDomainObj */
    GArray *iothreads;          /* testIOThreadPoll (testdomaintune.c) */
    testMomentList snapshots;   /* testSnapshot * (testsnapshot.c) */
    testMomentList checkpoints; /* testCheckpoint * (testcheckpoint.c) */
    long long timeSeconds;      /* the guest's clock (GET_TIME / SET_TIME) */
    unsigned int timeNSeconds;
    /* Running with a persistent config to return to (libvirt's newDef):
     * persistent at start, or defined while running; an undefine does not
     * clear it. Its STOPPED event carries ID -1; without it (a domain
     * transient all along) the event carries the last ID, as libvirt. */
    bool hasNewDef;
    /* Long jobs (testsave.c): the running one, published once its helper
     * runs; jobBusy reserves the domain from the check to the end;
     * jobAPI names the call holding it; completed: the last one's stats. */
    virJob *job;
    bool jobBusy;
    const char *jobAPI;
    virJobInfo completed;
    bool fsFrozen[2];           /* the guest's "/" and "/boot" (FS freeze / thaw) */
    unsigned int taint;         /* 1 << libvirt's virDomainTaintFlags (testdomaininfo.c) */
    char *deprecation;          /* the deprecated configuration it uses, or NULL */
} testDomain;

typedef struct _testState testState;

/* A NUMA cell of the node: its memory and free memory, in KiB. */
typedef struct {
    unsigned long long mem;
    unsigned long long freeMem;
} testCell;
struct _testState {
    char *key;                  /* "/default" or the node file's path */
    unsigned int serial;        /* unique in the process: names its managed-save images */
    int refs;                   /* open connections; under testStatesLock */

    virNoIOMutex lock;          /* the driver lock: all below; never across I/O (inline calls) */
    virNodeInfo nodeInfo;
    unsigned int ncells;        /* NUMA cells shown in the capabilities */
    testCell cells[2];          /* the default node's (ncells of them) */
    unsigned long long freeMem;
    int nextDomID;
    GPtrArray *domains;         /* testDomain *, in creation order */
    GPtrArray *domainsByName;   /* the same, by name (testDomainsByName);
                                 * NULL after a domain came, went or was
                                 * renamed */
    virDomainEventRegistry *events; /* own lock, taken after ->lock */

    /* The other objects (testnetwork.c, teststorage.c, testinterface.c,
     * testnodedev.c); all events of every kind go to ->events. */
    virObjectList *networks;
    virObjectList *pools;       /* priv: testPool (teststorage.c) */
    virObjectList *ifaces;
    virObjectList *ifacesBackup;    /* during an interface transaction */
    virObjectList *devices;
};

/* The domain a caller's handle designates, or NULL with an error. */
testDomain *testDomainFromRef(testState *state, const virDomainRef *ref);
/* The running domain a handle designates, or NULL with libvirt's
 * "domain is not running" (state->lock held). */
testDomain *testDomainActiveFromRef(testState *state, const virDomainRef *ref);
/* Adds dom to the state's list / drops it (and frees it). */
void testDomainAdd(testState *state, testDomain *dom);
void testDomainRemove(testState *state, testDomain *dom);
/* The domains sorted by name, built again only after the list or a name
 * changed (testDomainAdd, testDomainRemove, testDomainNameChanged): how
 * the calls that answer in libvirt's name order avoid a sort per call. */
GPtrArray *testDomainsByName(testState *state);
void testDomainNameChanged(testState *state);
/* Raise a lifecycle event for dom (state->lock held). */
void testEmitLifecycle(testState *state, const testDomain *dom, int event, int detail);
/* Raise a metadata change event for dom (state->lock held). */
void testEmitMetadataChange(testState *state, const testDomain *dom, int type, const char *nsuri);
/* A new domain object with its persistent definition (may be NULL). */
testDomain *testDomainNew(virDomainDef *def);
/* Start dom with live as its live definition (NULL: a copy of the
 * persistent one), in state_ / reason. */
void testDomainStart(testState *state, testDomain *dom, virDomainDef *live, int state_,
                     int reason);
/* Stop dom, raise STOPPED / detail, drop it when transient. */
void testDomainStopAndNotify(testState *state, testDomain *dom, int reason, int detail);

/* teststream.c: calls that open a stream */
char *testDomainScreenshot(virConnect *conn, const virDomainRef *ref, virStream *st,
                           unsigned int screen, unsigned int flags);

/* An element of a node file, or (file='F') the root element of the
 * document F (relative to the node file's directory) put in the node
 * document in its place, as libvirt does; NULL with the error. */
xmlNodePtr testNodeFileElement(xmlNodePtr node, const char *path);

/* The state of the other objects: created with the state, filled from a
 * node document (the default one, or a node file at path; NULL for the
 * default), freed with it. Each returns -1 with libvirt's error. */
void testObjectsInit(testState *state);
void testObjectsFree(testState *state);
int testNetworksLoad(testState *state, xmlNodePtr root, const char *path);
int testInterfacesLoad(testState *state, xmlNodePtr root, const char *path);
int testPoolsLoad(testState *state, xmlNodePtr root, const char *path);
int testDevicesLoad(testState *state, xmlNodePtr root, const char *path);

/* A pool's private data (teststorage.c). */
void testPoolFree(void *data);

/* Every kind's event deregistration: the state's one registry. */
int testConnectObjectEventDeregisterAny(virConnect *conn, int callbackID);

/* The driver tables of the other kinds (testObjectDrivers: all of them). */
extern const virObjectDrivers testObjectDrivers;
extern const virNetworkDriver testNetworkDriver;
extern const virStorageDriver testStorageDriver;
extern const virInterfaceDriver testInterfaceDriver;
extern const virNodeDeviceDriver testNodeDeviceDriver;

/* The node's CPUs as libvirt counts them for CPU maps (testdomainstats.c). */
unsigned int testStateMaxCPUs(const testState *state);
/* def's interface called device (target name or MAC address), or NULL
 * with libvirt's "'X' is not a known interface" (testdomainstats.c). */
virDomainXMLNode *testDomainFindNet(const virDomainDef *def, const char *device);

/* Append IOThread id's polling values to dom (testdomaintune.c). */
void testDomainIOThreadPollAdd(testDomain *dom, unsigned int id);

/* The driver table's entries of the API groups in files of their own. */
#define TEST_DECL(ret, name, ...) ret name(virConnect *conn, __VA_ARGS__)
/* testdomainstats.c: statistics and the host */
TEST_DECL(int, testDomainBlockStats, const virDomainRef *ref, const char *path,
          virDomainBlockStatsStruct *stats);
TEST_DECL(int, testDomainInterfaceStats, const virDomainRef *ref, const char *device,
          virDomainInterfaceStatsStruct *stats);
TEST_DECL(int, testDomainMemoryStats, const virDomainRef *ref, virDomainMemoryStatStruct *stats,
          unsigned int nr_stats, unsigned int flags);
TEST_DECL(int, testDomainGetBlockInfo, const virDomainRef *ref, const char *path,
          virDomainBlockInfo *info, unsigned int flags);
TEST_DECL(int, testConnectGetAllDomainStats, const virDomainRef *doms, int ndoms,
          unsigned int stats, virDomainStatsRecord ***retStats, unsigned int flags);
TEST_DECL(int, testNodeGetCellsFreeMemory, unsigned long long *cells, int startCell,
          int maxcells);
TEST_DECL(int, testNodeGetCPUStats, int cpuNum, virNodeCPUStats *params, int *nparams,
          unsigned int flags);
TEST_DECL(int, testNodeGetCPUMap, unsigned char **cpumap, unsigned int *online,
          unsigned int flags);
TEST_DECL(int, testNodeGetFreePages, unsigned int npages, unsigned int *pages, int startCell,
          unsigned int cellCount, unsigned long long *counts, unsigned int flags);
/* testdomaintune.c: memory, vCPUs, the scheduler */
TEST_DECL(int, testDomainSetMemoryFlags, const virDomainRef *ref, unsigned long memory,
          unsigned int flags);
TEST_DECL(int, testDomainSetMemory, const virDomainRef *ref, unsigned long memory);
TEST_DECL(int, testDomainSetMaxMemory, const virDomainRef *ref, unsigned long memory);
TEST_DECL(int, testDomainSetMemoryParameters, const virDomainRef *ref,
          virTypedParameter *params, int nparams, unsigned int flags);
TEST_DECL(int, testDomainGetMemoryParameters, const virDomainRef *ref,
          virTypedParameter *params, int *nparams, unsigned int flags);
TEST_DECL(int, testDomainGetMaxVcpus, const virDomainRef *ref);
TEST_DECL(int, testDomainSetVcpusFlags, const virDomainRef *ref, unsigned int nvcpus,
          unsigned int flags);
TEST_DECL(int, testDomainSetVcpus, const virDomainRef *ref, unsigned int nvcpus);
TEST_DECL(int, testDomainGetVcpus, const virDomainRef *ref, virVcpuInfo *info, int maxinfo,
          unsigned char *cpumaps, int maplen);
TEST_DECL(int, testDomainPinVcpuFlags, const virDomainRef *ref, unsigned int vcpu,
          const unsigned char *cpumap, int cpumaplen, unsigned int flags);
TEST_DECL(int, testDomainPinVcpu, const virDomainRef *ref, unsigned int vcpu,
          const unsigned char *cpumap, int cpumaplen);
TEST_DECL(int, testDomainGetVcpuPinInfo, const virDomainRef *ref, int ncpumaps,
          unsigned char *cpumaps, int maplen, unsigned int flags);
TEST_DECL(int, testDomainPinEmulator, const virDomainRef *ref, const unsigned char *cpumap,
          int cpumaplen, unsigned int flags);
TEST_DECL(int, testDomainGetEmulatorPinInfo, const virDomainRef *ref, unsigned char *cpumaps,
          int maplen, unsigned int flags);
TEST_DECL(char *, testDomainGetSchedulerType, const virDomainRef *ref, int *nparams);
TEST_DECL(int, testDomainGetSchedulerParametersFlags, const virDomainRef *ref,
          virTypedParameter *params, int *nparams, unsigned int flags);
TEST_DECL(int, testDomainGetSchedulerParameters, const virDomainRef *ref,
          virTypedParameter *params, int *nparams);
TEST_DECL(int, testDomainSetSchedulerParametersFlags, const virDomainRef *ref,
          virTypedParameter *params, int nparams, unsigned int flags);
TEST_DECL(int, testDomainSetSchedulerParameters, const virDomainRef *ref,
          virTypedParameter *params, int nparams);
/* testdomaininfo.c: what the guest tells */
TEST_DECL(int, testDomainReset, const virDomainRef *ref, unsigned int flags);
TEST_DECL(char *, testDomainGetHostname, const virDomainRef *ref, unsigned int flags);
TEST_DECL(int, testDomainGetControlInfo, const virDomainRef *ref, virDomainControlInfo *info,
          unsigned int flags);
TEST_DECL(int, testDomainGetTime, const virDomainRef *ref, long long *seconds,
          unsigned int *nseconds, unsigned int flags);
TEST_DECL(int, testDomainSetTime, const virDomainRef *ref, long long seconds,
          unsigned int nseconds, unsigned int flags);
TEST_DECL(char *, testDomainGetMetadata, const virDomainRef *ref, int type, const char *uri,
          unsigned int flags);
TEST_DECL(int, testDomainSetUserPassword, const virDomainRef *ref, const char *user,
          const char *password, unsigned int flags);
TEST_DECL(int, testDomainGetLaunchSecurityInfo, const virDomainRef *ref,
          virTypedParameter **params, int *nparams, unsigned int flags);
TEST_DECL(int, testDomainSetLifecycleAction, const virDomainRef *ref, unsigned int type,
          unsigned int action, unsigned int flags);
TEST_DECL(int, testDomainGetFSInfo, const virDomainRef *ref, virDomainFSInfo ***info,
          unsigned int flags);
TEST_DECL(int, testDomainInterfaceAddresses, const virDomainRef *ref,
          virDomainInterface ***ifaces, unsigned int source, unsigned int flags);
TEST_DECL(int, testDomainSetMetadata, const virDomainRef *ref, int type, const char *metadata,
          const char *key, const char *uri, unsigned int flags);
/* testdomainstats.c, more */
TEST_DECL(int, testDomainGetCPUStats, const virDomainRef *ref, virTypedParameter *params,
          unsigned int nparams, int start_cpu, unsigned int ncpus, unsigned int flags);
TEST_DECL(int, testDomainGetDiskErrors, const virDomainRef *ref, virDomainDiskError *errors,
          unsigned int maxerrors, unsigned int flags);
/* testdomainstate.c: NMI, rename, managed-save removal */
TEST_DECL(int, testDomainManagedSaveRemove, const virDomainRef *ref, unsigned int flags);
TEST_DECL(int, testDomainInjectNMI, const virDomainRef *ref, unsigned int flags);
TEST_DECL(int, testDomainRename, const virDomainRef *ref, const char *new_name,
          unsigned int flags);
/* testmoment.c: the entry points' work snapshots and checkpoints share.
 * Each takes state->lock; testMomentLock returns with it held (callers
 * unlock), the others release it. */
typedef struct {
    const char *noun;                   /* "snapshot", "checkpoint" */
    int notFound;                       /* VIR_ERR_NO_DOMAIN_SNAPSHOT, ... */
    size_t list;                        /* offsetof(testDomain, the testMomentList) */
    testMomentFilter filter;            /* NULL: none */
    unsigned int topological;           /* the kind's LIST_TOPOLOGICAL */
    bool leavesPairIsNone;              /* LEAVES | NO_LEAVES: no filter (else: nothing) */
    void (*changed)(testDomain *dom);   /* after a deletion */
} testMomentKind;

testMomentList *testMomentKindList(const testMomentKind *kind, testDomain *dom);
/* The domain and, when name is given, its moment; NULL with the error. */
testDomain *testMomentLock(testState *state, const testMomentKind *kind,
                           const virDomainRef *domRef, const char *name, testMoment **moment);
/* The selection of a listing (kind flags, from NULL: the whole domain). */
GPtrArray *testMomentSelect(const testMomentKind *kind, testDomain *dom, const testMoment *from,
                            unsigned int flags);
/* Listing as references (refs NULL: the count only); -1 on error. */
int testMomentListRefs(testState *state, const testMomentKind *kind, const virDomainRef *domRef,
                   const char *from, virDomainMomentRef ***refs, unsigned int flags);
virDomainMomentRef *testMomentLookup(testState *state, const testMomentKind *kind,
                                     const virDomainRef *domRef, const char *name);
virDomainMomentRef *testMomentGetParent(testState *state, const testMomentKind *kind,
                                        const virDomainMomentRef *ref);
int testMomentDelete(testState *state, const testMomentKind *kind, const virDomainMomentRef *ref,
                     bool children, bool childrenOnly);

/* testsnapshot.c: snapshots */
void testDomainSnapshotsClear(testDomain *dom);
int testDomainSnapshotCount(testDomain *dom);
TEST_DECL(virDomainSnapshotRef *, testDomainSnapshotCreateXML, const virDomainRef *ref,
          const char *xmlDesc, unsigned int flags);
TEST_DECL(char *, testDomainSnapshotGetXMLDesc, const virDomainSnapshotRef *snap,
          unsigned int flags);
TEST_DECL(int, testDomainSnapshotNum, const virDomainRef *ref, unsigned int flags);
TEST_DECL(int, testDomainSnapshotListNames, const virDomainRef *ref, char **names,
          int maxnames, unsigned int flags);
TEST_DECL(int, testDomainListAllSnapshots, const virDomainRef *ref,
          virDomainSnapshotRef ***snapshots, unsigned int flags);
TEST_DECL(int, testDomainSnapshotNumChildren, const virDomainSnapshotRef *snap,
          unsigned int flags);
TEST_DECL(int, testDomainSnapshotListChildrenNames, const virDomainSnapshotRef *snap,
          char **names, int maxnames, unsigned int flags);
TEST_DECL(int, testDomainSnapshotListAllChildren, const virDomainSnapshotRef *snapshot,
          virDomainSnapshotRef ***snapshots, unsigned int flags);
TEST_DECL(virDomainSnapshotRef *, testDomainSnapshotLookupByName, const virDomainRef *ref,
          const char *name, unsigned int flags);
TEST_DECL(int, testDomainHasCurrentSnapshot, const virDomainRef *ref, unsigned int flags);
TEST_DECL(virDomainSnapshotRef *, testDomainSnapshotGetParent,
          const virDomainSnapshotRef *snap, unsigned int flags);
TEST_DECL(virDomainSnapshotRef *, testDomainSnapshotCurrent, const virDomainRef *ref,
          unsigned int flags);
TEST_DECL(int, testDomainSnapshotIsCurrent, const virDomainSnapshotRef *snap,
          unsigned int flags);
TEST_DECL(int, testDomainSnapshotHasMetadata, const virDomainSnapshotRef *snap,
          unsigned int flags);
TEST_DECL(int, testDomainRevertToSnapshot, const virDomainSnapshotRef *snap,
          unsigned int flags);
TEST_DECL(int, testDomainSnapshotDelete, const virDomainSnapshotRef *snap, unsigned int flags);
/* testcheckpoint.c: checkpoints */
void testDomainCheckpointsClear(testDomain *dom);
TEST_DECL(virDomainCheckpointRef *, testDomainCheckpointCreateXML, const virDomainRef *ref,
          const char *xmlDesc, unsigned int flags);
TEST_DECL(char *, testDomainCheckpointGetXMLDesc, const virDomainCheckpointRef *checkpoint,
          unsigned int flags);
TEST_DECL(int, testDomainListAllCheckpoints, const virDomainRef *ref,
          virDomainCheckpointRef ***checkpoints, unsigned int flags);
TEST_DECL(int, testDomainCheckpointListAllChildren, const virDomainCheckpointRef *checkpoint,
          virDomainCheckpointRef ***checkpoints, unsigned int flags);
TEST_DECL(virDomainCheckpointRef *, testDomainCheckpointLookupByName, const virDomainRef *ref,
          const char *name, unsigned int flags);
TEST_DECL(virDomainCheckpointRef *, testDomainCheckpointGetParent,
          const virDomainCheckpointRef *checkpoint, unsigned int flags);
TEST_DECL(int, testDomainCheckpointDelete, const virDomainCheckpointRef *checkpoint,
          unsigned int flags);
/* testsave.c: save, restore, core dumps, jobs, questions */
TEST_DECL(int, testDomainManagedSave, const virDomainRef *ref, unsigned int flags);
TEST_DECL(int, testDomainSaveFlags, const virDomainRef *ref, const char *to, const char *dxml,
          unsigned int flags);
TEST_DECL(int, testDomainRestoreFlags, const char *from, const char *dxml, unsigned int flags);
TEST_DECL(char *, testDomainSaveImageGetXMLDesc, const char *file, unsigned int flags);
TEST_DECL(int, testDomainSaveImageDefineXML, const char *file, const char *dxml,
          unsigned int flags);
TEST_DECL(int, testDomainCoreDumpWithFormat, const virDomainRef *ref, const char *to,
          unsigned int dumpformat, unsigned int flags);
TEST_DECL(char *, testDomainManagedSaveGetXMLDesc, const virDomainRef *ref, unsigned int flags);
TEST_DECL(int, testDomainManagedSaveDefineXML, const virDomainRef *ref, const char *dxml,
          unsigned int flags);
TEST_DECL(int, testDomainGetJobInfo, const virDomainRef *ref, virDomainJobInfo *info);
TEST_DECL(int, testDomainGetJobStats, const virDomainRef *ref, int *type,
          virTypedParameter **params, int *nparams, unsigned int flags);
TEST_DECL(int, testDomainAbortJobFlags, const virDomainRef *ref, unsigned int flags);
TEST_DECL(int, testDomainStartManagedSave, const virDomainRef *ref);
/* Before a task on dom (state->lock held): the pending question, then the
 * definition's question for task (asked now, or for a helper in *helperQ). */
int testDomainTaskQuestions(virConnect *conn, testDomain *dom, const char *task,
                            virQuestion **helperQ);
char *testManagedSavePath(testState *state, const testDomain *dom);
void testStateRemoveManagedSaves(testState *state);
/* testdomainstorage.c: block I/O tuning, the guest's filesystems */
TEST_DECL(int, testDomainSetBlkioParameters, const virDomainRef *ref,
          virTypedParameter *params, int nparams, unsigned int flags);
TEST_DECL(int, testDomainGetBlkioParameters, const virDomainRef *ref,
          virTypedParameter *params, int *nparams, unsigned int flags);
TEST_DECL(int, testDomainFSFreeze, const virDomainRef *ref, const char **mountpoints,
          unsigned int nmountpoints, unsigned int flags);
TEST_DECL(int, testDomainFSThaw, const virDomainRef *ref, const char **mountpoints,
          unsigned int nmountpoints, unsigned int flags);
TEST_DECL(int, testDomainFSTrim, const virDomainRef *ref, const char *mountPoint,
          unsigned long long minimum, unsigned int flags);
/* testdomaintune.c: NUMA memory tuning, interface bandwidth */
TEST_DECL(int, testDomainSetNumaParameters, const virDomainRef *ref, virTypedParameter *params,
          int nparams, unsigned int flags);
TEST_DECL(int, testDomainGetNumaParameters, const virDomainRef *ref, virTypedParameter *params,
          int *nparams, unsigned int flags);
TEST_DECL(int, testDomainSetInterfaceParameters, const virDomainRef *ref, const char *device,
          virTypedParameter *params, int nparams, unsigned int flags);
TEST_DECL(int, testDomainGetInterfaceParameters, const virDomainRef *ref, const char *device,
          virTypedParameter *params, int *nparams, unsigned int flags);
/* testdomaintune.c: IOThreads; testdomainstorage.c: block I/O tuning */
TEST_DECL(int, testDomainGetIOThreadInfo, const virDomainRef *ref, virDomainIOThreadInfo ***info,
          unsigned int flags);
TEST_DECL(int, testDomainPinIOThread, const virDomainRef *ref, unsigned int iothread_id,
          const unsigned char *cpumap, int cpumaplen, unsigned int flags);
TEST_DECL(int, testDomainAddIOThread, const virDomainRef *ref, unsigned int iothread_id,
          unsigned int flags);
TEST_DECL(int, testDomainDelIOThread, const virDomainRef *ref, unsigned int iothread_id,
          unsigned int flags);
TEST_DECL(int, testDomainSetIOThreadParams, const virDomainRef *ref, unsigned int iothread_id,
          virTypedParameter *params, int nparams, unsigned int flags);
TEST_DECL(int, testDomainSetBlockIoTune, const virDomainRef *ref, const char *disk,
          virTypedParameter *params, int nparams, unsigned int flags);
TEST_DECL(int, testDomainGetBlockIoTune, const virDomainRef *ref, const char *disk,
          virTypedParameter *params, int *nparams, unsigned int flags);
/* testdomainmonitor.c: perf events, the balloon's statistics period,
 * signals to the guest's processes */
TEST_DECL(int, testDomainSetPerfEvents, const virDomainRef *ref, virTypedParameter *params,
          int nparams, unsigned int flags);
TEST_DECL(int, testDomainGetPerfEvents, const virDomainRef *ref, virTypedParameter **params,
          int *nparams, unsigned int flags);
TEST_DECL(int, testDomainSetMemoryStatsPeriod, const virDomainRef *ref, int period,
          unsigned int flags);
TEST_DECL(int, testDomainSendProcessSignal, const virDomainRef *ref, long long pid_value,
          unsigned int signum, unsigned int flags);
/* testguestio.c: keys to the guest, its memory */
TEST_DECL(int, testDomainSendKey, const virDomainRef *ref, unsigned int codeset,
          unsigned int holdtime, const unsigned int *keycodes, int nkeycodes,
          unsigned int flags);
TEST_DECL(int, testDomainMemoryPeek, const virDomainRef *ref, unsigned long long start,
          size_t size, void *buffer, unsigned int flags);
/* testdomaininfo.c: the domain's messages */
/* Taint a domain of a node file as libvirt's test driver does at load. */
void testDomainCheckTaint(testDomain *dom);
TEST_DECL(int, testDomainGetMessages, const virDomainRef *ref, char ***msgs, unsigned int flags);
/* testhostcpu.c: CPU models */
TEST_DECL(int, testConnectGetCPUModelNames, const char *arch, char ***models,
          unsigned int flags);
/* testcpubaseline.c: the baseline of host CPUs */
TEST_DECL(char *, testConnectBaselineCPU, const char **xmlCPUs, unsigned int nxmlCPUs,
          unsigned int flags);
#undef TEST_DECL
