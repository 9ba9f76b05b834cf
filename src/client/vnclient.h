/*
 * vnclient.h: virtnet's client API: connections to virtnetd (or libvirtd)
 * and the domains behind them, spoken over libvirt's remote protocol.
 *
 * One vnConnect is one connection (a UNIX or TCP socket) with an event
 * thread of its own, which runs keepalive and delivers events. Any thread
 * may call on a connection at once. docs/client.md describes the API.
 *
 * Conventions (libvirt's): a failing function returns -1 or NULL and sets
 * the calling thread's last error (vnGetLastError()); every function that
 * asks the server clears it first. Local accessors (vnDomainGetName, ...,
 * vnConnectIsAlive, the Ref/Free/Close functions) leave it alone unless they
 * fail, so a failure can be reported with the domain's name. Strings returned as `char *` belong to the caller
 * (release with free()); `const char *` ones live as long as their object.
 * The numbers of states, events, details and flags are libvirt's: they
 * travel on the wire.
 */
#pragma once

#include <stdbool.h>

#include "virerror.h"
#include "virpublic.h"

typedef struct _vnConnect vnConnect;
typedef struct _vnDomain vnDomain;
/* Snapshots and checkpoints (libvirt's "moments"): a name and a domain,
 * one object type under two names (vnmoment.c). */
typedef struct _vnDomainMoment vnDomainSnapshot;
typedef struct _vnDomainMoment vnDomainCheckpoint;

/* ---- errors ------------------------------------------------------------ */

/* The calling thread's last error (code, domain, message as the server sent
 * them), or NULL. Owned by the thread; valid until its next API call. */
const virError *vnGetLastError(void);
/* Its message, or "unknown error"; never NULL. */
const char *vnGetLastErrorMessage(void);
/* Its code (virErrorNumber), VIR_ERR_OK without an error. */
int vnGetLastErrorCode(void);
void vnResetLastError(void);

/* ---- connections ------------------------------------------------------- */

/* uri: "DRIVER[+TRANSPORT]://[HOST[:PORT]]/PATH[?PARAMS]", e.g.
 *   test:///default                                   (default UNIX socket)
 *   test+unix:///default?socket=/run/virtnet/libvirt-sock
 *   test+tcp://127.0.0.1:16509/default
 *   test+tls://localhost:16514/default?pkipath=DIR   (libvirt's TLS)
 * The server is asked to open the URI without transport, host and the
 * parameters the client itself uses ("test:///default"). NULL means the
 * default URI "test:///default". */
vnConnect *vnConnectOpen(const char *uri, unsigned int flags);

/* Return the credential as a malloc'd string (the library frees and wipes
 * it), or NULL when it is not available (the exchange then fails).
 * prompt is SASL's text for it. Called from inside vnConnectOpenAuth. */
typedef char *(*vnAuthCallback)(int type, const char *prompt, void *opaque);

/* vnConnectOpen that can authenticate: when the server asks for SASL
 * (AUTH_LIST), the exchange of libvirt's client runs with credentials
 * from cb (may be NULL: then only mechanisms needing none can work).
 * URI parameters: auth=sasl or auth=sasl.MECH (only that mechanism, e.g.
 * sasl.digest-md5; a mechanism the server does not offer fails), and for
 * the tls transport pkipath=DIR, no_verify=1, tls_priority=P as in
 * libvirt. On plain TCP the negotiated layer must reach an SSF of 56
 * (DIGEST-MD5); the connection is then encrypted by SASL.
 * Authentication failures are VIR_ERR_AUTH_FAILED. */
vnConnect *vnConnectOpenAuth(const char *uri, unsigned int flags, vnAuthCallback cb,
                             void *opaque);
vnConnect *vnConnectRef(vnConnect *conn);
/* Drops the caller's reference; domains hold references of their own. The
 * last reference sends CONNECT_CLOSE, closes the socket and stops the event
 * thread (when that happens inside one of the connection's own callbacks,
 * the teardown finishes on a helper thread). Returns the references left
 * (0: closed), or -1. */
int vnConnectClose(vnConnect *conn);
/* False once the connection died (EOF, keepalive timeout, I/O error). */
bool vnConnectIsAlive(vnConnect *conn);

typedef void (*vnConnectCloseFunc)(vnConnect *conn, int reason, void *opaque);
typedef void (*vnFreeCallback)(void *opaque);

/* A callback run (from the event thread) when the connection dies on its
 * own, not when it is closed with vnConnectClose. Tells the server with
 * CONNECT_REGISTER_CLOSE_CALLBACK / UNREGISTER, as virsh does. One at a
 * time. */
int vnConnectRegisterCloseCallback(vnConnect *conn, vnConnectCloseFunc cb,
                                   void *opaque, vnFreeCallback ff);
int vnConnectUnregisterCloseCallback(vnConnect *conn, vnConnectCloseFunc cb);

/* The driver's name ("Test"), valid as long as conn. */
const char *vnConnectGetType(vnConnect *conn);
/* Versions as major * 1000000 + minor * 1000 + release. */
int vnConnectGetVersion(vnConnect *conn, unsigned long *hvVer);
int vnConnectGetLibVersion(vnConnect *conn, unsigned long *libVer);
char *vnConnectGetHostname(vnConnect *conn);
/* The URI as the server knows it ("test:///default"). */
char *vnConnectGetURI(vnConnect *conn);
char *vnConnectGetCapabilities(vnConnect *conn);
/* 1 when the channel is safe from eavesdropping (a UNIX socket, or the
 * server says so), 0 if not, -1 on error. */
int vnConnectIsSecure(vnConnect *conn);
/* type may be NULL. */
int vnConnectGetMaxVcpus(vnConnect *conn, const char *type);

int vnNodeGetInfo(vnConnect *conn, virNodeInfo *info);
/* The host's SMBIOS description (XML). */
char *vnConnectGetSysinfo(vnConnect *conn, unsigned int flags);
/* A domain XML made from a native configuration ("lxc-tools" on LXC). */
char *vnConnectDomainXMLFromNative(vnConnect *conn, const char *nativeFormat,
                                   const char *nativeConfig, unsigned int flags);
/* The guest CPU the host CPUs given (XML documents) all run, as XML;
 * flags 1: with every feature of its model listed. */
char *vnConnectBaselineCPU(vnConnect *conn, const char **xmlCPUs, unsigned int nxmlCPUs,
                           unsigned int flags);

int vnNodeGetSecurityModel(vnConnect *conn, virSecurityModel *secmodel);

/* ---- listing domains --------------------------------------------------- */

/* Returns the number of matching domains. With domains != NULL, *domains
 * gets a NULL-terminated array of them (free each with vnDomainFree and
 * the array with free()). flags 0 = all domains. */
int vnConnectListAllDomains(vnConnect *conn, vnDomain ***domains, unsigned int flags);
int vnConnectNumOfDomains(vnConnect *conn);
/* Ids of running domains, at most maxids; returns how many were stored. */
int vnConnectListDomains(vnConnect *conn, int *ids, int maxids);
int vnConnectNumOfDefinedDomains(vnConnect *conn);
/* Names of inactive domains (free each with free()), at most maxnames. */
int vnConnectListDefinedDomains(vnConnect *conn, char **names, int maxnames);

/* ---- domains ------------------------------------------------------------ */

vnDomain *vnDomainLookupByName(vnConnect *conn, const char *name);
vnDomain *vnDomainLookupByUUID(vnConnect *conn, const unsigned char *uuid);
vnDomain *vnDomainLookupByUUIDString(vnConnect *conn, const char *uuidstr);
vnDomain *vnDomainLookupByID(vnConnect *conn, int id);

vnDomain *vnDomainRef(vnDomain *dom);
/* Drops a reference (the object is local: the domain stays). */
int vnDomainFree(vnDomain *dom);
/* The connection, without a new reference. */
vnConnect *vnDomainGetConnect(vnDomain *dom);

vnDomain *vnDomainDefineXML(vnConnect *conn, const char *xml);
vnDomain *vnDomainDefineXMLFlags(vnConnect *conn, const char *xml, unsigned int flags);
/* Starts a transient domain. */
vnDomain *vnDomainCreateXML(vnConnect *conn, const char *xmlDesc, unsigned int flags);
/* Start a defined domain; dom's id is updated. */
int vnDomainCreate(vnDomain *dom);
int vnDomainCreateWithFlags(vnDomain *dom, unsigned int flags);
int vnDomainDestroy(vnDomain *dom);
int vnDomainDestroyFlags(vnDomain *dom, unsigned int flags);
int vnDomainShutdown(vnDomain *dom);
int vnDomainShutdownFlags(vnDomain *dom, unsigned int flags);
int vnDomainReboot(vnDomain *dom, unsigned int flags);
int vnDomainSuspend(vnDomain *dom);
int vnDomainResume(vnDomain *dom);
int vnDomainUndefine(vnDomain *dom);
int vnDomainUndefineFlags(vnDomain *dom, unsigned int flags);

int vnDomainGetInfo(vnDomain *dom, virDomainInfo *info);
/* reason may be NULL; its values depend on the state (libvirt's
 * virDomain*Reason enums; vnDomainStateReasonToString names them). */
int vnDomainGetState(vnDomain *dom, int *state, int *reason, unsigned int flags);
char *vnDomainGetXMLDesc(vnDomain *dom, unsigned int flags);
char *vnDomainGetOSType(vnDomain *dom);
int vnDomainGetAutostart(vnDomain *dom, int *autostart);
int vnDomainSetAutostart(vnDomain *dom, int autostart);
/* 1 yes, 0 no, -1 error */
int vnDomainIsActive(vnDomain *dom);
int vnDomainIsPersistent(vnDomain *dom);
int vnDomainHasManagedSaveImage(vnDomain *dom, unsigned int flags);
int vnDomainGetSecurityLabel(vnDomain *dom, virSecurityLabel *seclabel);

/* Statistics, memory, vCPUs, guest information (libvirt's calls of the
 * same names; the VIR_DOMAIN_AFFECT_* / VIR_DOMAIN_MEM_* / VIR_DOMAIN_VCPU_*
 * flags are libvirt's). Memory sizes are in KiB. */
int vnDomainBlockStats(vnDomain *dom, const char *path, virDomainBlockStatsStruct *stats);
int vnDomainInterfaceStats(vnDomain *dom, const char *device,
                           virDomainInterfaceStatsStruct *stats);
int vnDomainSetMaxMemory(vnDomain *dom, unsigned long memory);
int vnDomainSetMemory(vnDomain *dom, unsigned long memory);
int vnDomainSetMemoryFlags(vnDomain *dom, unsigned long memory, unsigned int flags);
int vnDomainGetMaxVcpus(vnDomain *dom);
int vnDomainSetVcpus(vnDomain *dom, unsigned int nvcpus);
int vnDomainSetVcpusFlags(vnDomain *dom, unsigned int nvcpus, unsigned int flags);
int vnDomainGetVcpusFlags(vnDomain *dom, unsigned int flags);
/* The scheduler's name; *nparams (may be NULL) its parameter count. */
char *vnDomainGetSchedulerType(vnDomain *dom, int *nparams);
/* 1 when the persistent definition changed since start, else 0 */
int vnDomainIsUpdated(vnDomain *dom);
char *vnDomainGetHostname(vnDomain *dom, unsigned int flags);
int vnDomainGetTime(vnDomain *dom, long long *seconds, unsigned int *nseconds,
                    unsigned int flags);
/* type: VIR_DOMAIN_METADATA_*; uri (and key) for an element */
char *vnDomainGetMetadata(vnDomain *dom, int type, const char *uri, unsigned int flags);
int vnDomainSetMetadata(vnDomain *dom, int type, const char *metadata, const char *key,
                        const char *uri, unsigned int flags);

/* ---- snapshots (VIR_DOMAIN_SNAPSHOT_* flags are libvirt's) --------------- */

vnDomainSnapshot *vnDomainSnapshotCreateXML(vnDomain *dom, const char *xmlDesc,
                                            unsigned int flags);
vnDomainSnapshot *vnDomainSnapshotLookupByName(vnDomain *dom, const char *name,
                                               unsigned int flags);
vnDomainSnapshot *vnDomainSnapshotCurrent(vnDomain *dom, unsigned int flags);
int vnDomainSnapshotNum(vnDomain *dom, unsigned int flags);
/* *snapshots: a NULL-terminated array to free (each with
 * vnDomainSnapshotFree, then the array with free()); returns the count */
int vnDomainListAllSnapshots(vnDomain *dom, vnDomainSnapshot ***snapshots, unsigned int flags);
char *vnDomainSnapshotGetXMLDesc(vnDomainSnapshot *snap, unsigned int flags);
int vnDomainRevertToSnapshot(vnDomainSnapshot *snap, unsigned int flags);
int vnDomainSnapshotDelete(vnDomainSnapshot *snap, unsigned int flags);
/* Local: no call to the server. */
const char *vnDomainSnapshotGetName(vnDomainSnapshot *snap);
/* Its domain, without a new reference. */
vnDomain *vnDomainSnapshotGetDomain(vnDomainSnapshot *snap);
int vnDomainSnapshotFree(vnDomainSnapshot *snap);

/* ---- checkpoints (VIR_DOMAIN_CHECKPOINT_* flags are libvirt's) ------------ */

vnDomainCheckpoint *vnDomainCheckpointCreateXML(vnDomain *dom, const char *xmlDesc,
                                                unsigned int flags);
vnDomainCheckpoint *vnDomainCheckpointLookupByName(vnDomain *dom, const char *name,
                                                   unsigned int flags);
/* *checkpoints: as vnDomainListAllSnapshots */
int vnDomainListAllCheckpoints(vnDomain *dom, vnDomainCheckpoint ***checkpoints,
                               unsigned int flags);
int vnDomainCheckpointListAllChildren(vnDomainCheckpoint *checkpoint,
                                      vnDomainCheckpoint ***checkpoints, unsigned int flags);
vnDomainCheckpoint *vnDomainCheckpointGetParent(vnDomainCheckpoint *checkpoint,
                                                unsigned int flags);
char *vnDomainCheckpointGetXMLDesc(vnDomainCheckpoint *checkpoint, unsigned int flags);
int vnDomainCheckpointDelete(vnDomainCheckpoint *checkpoint, unsigned int flags);
/* Local: no call to the server. */
const char *vnDomainCheckpointGetName(vnDomainCheckpoint *checkpoint);
/* Its domain, without a new reference. */
vnDomain *vnDomainCheckpointGetDomain(vnDomainCheckpoint *checkpoint);
int vnDomainCheckpointFree(vnDomainCheckpoint *checkpoint);

/* Managed save: stop the domain, keeping its state for the next start. */
int vnDomainManagedSave(vnDomain *dom, unsigned int flags);
int vnDomainManagedSaveRemove(vnDomain *dom, unsigned int flags);
/* Long jobs (docs/jobs.md): save to a file (an absolute path on the
 * daemon's host), core dump, the managed-save image's definition, abort
 * the running job. */
int vnDomainSave(vnDomain *dom, const char *to);
int vnDomainSaveFlags(vnDomain *dom, const char *to, const char *dxml, unsigned int flags);
int vnDomainCoreDump(vnDomain *dom, const char *to, unsigned int flags);
int vnDomainCoreDumpWithFormat(vnDomain *dom, const char *to, unsigned int dumpformat,
                               unsigned int flags);
char *vnDomainManagedSaveGetXMLDesc(vnDomain *dom, unsigned int flags);
int vnDomainManagedSaveDefineXML(vnDomain *dom, const char *dxml, unsigned int flags);
int vnDomainAbortJob(vnDomain *dom);
/* A shut-off persistent domain's new name (dom keeps the old one). */
int vnDomainRename(vnDomain *dom, const char *new_name, unsigned int flags);

/* The guest's filesystems: freeze / thaw the mount points given (none:
 * all), the count that changed; trim one (NULL: all). */
int vnDomainFSFreeze(vnDomain *dom, const char **mountpoints, unsigned int nmountpoints,
                     unsigned int flags);
int vnDomainFSThaw(vnDomain *dom, const char **mountpoints, unsigned int nmountpoints,
                   unsigned int flags);
int vnDomainFSTrim(vnDomain *dom, const char *mountPoint, unsigned long long minimum,
                   unsigned int flags);
/* IOThreads: pin one to the host CPUs of cpumap (cpumaplen bytes), add or
 * delete one by its id (flags: VIR_DOMAIN_AFFECT_LIVE / _CONFIG). */
int vnDomainPinIOThread(vnDomain *dom, unsigned int iothread_id, const unsigned char *cpumap,
                        int cpumaplen, unsigned int flags);
int vnDomainAddIOThread(vnDomain *dom, unsigned int iothread_id, unsigned int flags);
int vnDomainDelIOThread(vnDomain *dom, unsigned int iothread_id, unsigned int flags);

/* Keys to the guest: nkeycodes (1 to 16) codes of codeset (0 linux ... 9
 * qnum), held holdtime ms. */
int vnDomainSendKey(vnDomain *dom, unsigned int codeset, unsigned int holdtime,
                    const unsigned int *keycodes, int nkeycodes, unsigned int flags);

/* Local: no call to the server. */
const char *vnDomainGetName(vnDomain *dom);
int vnDomainGetUUID(vnDomain *dom, unsigned char *uuid);
int vnDomainGetUUIDString(vnDomain *dom, char *buf);
/* (unsigned int)-1 when the domain is not running. */
unsigned int vnDomainGetID(vnDomain *dom);

/* ---- events ------------------------------------------------------------- */

/* dom is valid for the call only (vnDomainRef it to keep it). */
typedef void (*vnLifecycleCallback)(vnConnect *conn, vnDomain *dom,
                                    int event, int detail, void *opaque);

/* Register cb for eventID (VIR_DOMAIN_EVENT_ID_LIFECYCLE) on one domain
 * (dom) or all (NULL). Returns a callback ID (>= 0, the client's own) or
 * -1. The same cb may be registered any number of times, with the same or
 * other filters; each registration is delivered and deregistered on its
 * own. Registrations with the same event ID and filter share one server
 * registration (libvirt's client does the same: the server refuses a
 * second identical one); the first one makes it, the last one's
 * deregistration removes it. Callbacks run on the connection's event
 * thread, one at a time, in the order the server sent the events (for one
 * event: in registration order), never inside a call; they may call the
 * API. ff (may be NULL) frees opaque once the registration is gone and its
 * callback no longer runs (deregistration or the connection's teardown). */
int vnConnectDomainEventRegisterAny(vnConnect *conn, vnDomain *dom, int eventID,
                                    vnLifecycleCallback cb, void *opaque,
                                    vnFreeCallback ff);
int vnConnectDomainEventDeregisterAny(vnConnect *conn, int callbackID);

/* ---- streams: consoles, screenshots, volume data (vnstream.h) ----------- */

#include "vnstream.h"

/* ---- names and UUIDs ---------------------------------------------------- */

/* virsh's words: "running", "shut off", ... */
const char *vnDomainStateToString(int state);
const char *vnDomainStateReasonToString(int state, int reason);
/* "Started", "Booted", ... ("unknown" for values out of range) */
const char *vnDomainEventToString(int event);
const char *vnDomainEventDetailToString(int event, int detail);

/* 32 hex digits, '-' anywhere between them; 0 or -1 (no error set). */
int vnUUIDParse(const char *str, unsigned char *uuid);
void vnUUIDFormat(const unsigned char *uuid, char *buf);

/* Networks, storage, interfaces, node devices, secrets. */
#include "vnobjects.h"
