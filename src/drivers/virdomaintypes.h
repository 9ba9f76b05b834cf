/*
 * virdomaintypes.h: what the driver layer adds to libvirt's public values
 * (virpublic.h): the domain handle drivers pass around, and the event
 * callback types.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "virpublic.h"
#include "virtypedparams.h"


typedef struct _virConnect virConnect;

/* What identifies a domain to a caller: the remote_nonnull_domain triple.
 * id is -1 when the domain is not running. */
typedef struct _virDomainRef virDomainRef;
struct _virDomainRef {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;
};

virDomainRef *virDomainRefNew(const char *name, const unsigned char *uuid, int id);
virDomainRef *virDomainRefCopy(const virDomainRef *ref);
void virDomainRefFree(virDomainRef *ref);
void virDomainRefListFree(virDomainRef **list);
/* Sort a GPtrArray of virDomainRef by name, NULL-terminate it and hand it
 * out as virConnectListAllDomains' result; returns the count. */
int virDomainRefListFinish(GPtrArray *list, virDomainRef ***doms);

/* One domain's statistics (virConnectGetAllDomainStats). */
typedef struct _virDomainStatsRecord virDomainStatsRecord;
struct _virDomainStatsRecord {
    virDomainRef *dom;
    virTypedParameter *params;
    int nparams;
};
/* A record for the domain (name, uuid, id) with no parameters yet: dom,
 * its name and room for nroom parameters are in the record's own
 * allocation (a driver that fills many records pays one each). With
 * nroom > 0, params points at the room: add at most nroom parameters
 * (virTypedParamsAdd* with *maxparams = nroom; it cannot grow the room).
 * With 0 the caller allocates params. Records come from here only:
 * virDomainStatsRecordListFree relies on it. */
virDomainStatsRecord *virDomainStatsRecordNew(const char *name, const unsigned char *uuid,
                                              int id, int nroom);
/* Frees a NULL-terminated list of records (and the records). */
void virDomainStatsRecordListFree(virDomainStatsRecord **list);

/* Guest agent results (virpublic.h's structs): NULL-terminated lists the
 * callee allocates, freed with these. */
void virDomainFSInfoFree(virDomainFSInfo *info);
void virDomainIOThreadInfoFree(virDomainIOThreadInfo *info);
void virDomainIOThreadInfoListFree(virDomainIOThreadInfo **list);
void virDomainFSInfoListFree(virDomainFSInfo **list);
void virDomainInterfaceFree(virDomainInterface *iface);
void virDomainInterfaceListFree(virDomainInterface **list);

/* What identifies a snapshot or a checkpoint (libvirt's "moments") to a
 * caller: its name and its domain (the remote_nonnull_domain_snapshot and
 * remote_nonnull_domain_checkpoint pairs). One type under both names, so
 * that generated code finds each kind's New/Free/ListFree. */
typedef struct _virDomainMomentRef virDomainMomentRef;
struct _virDomainMomentRef {
    char *name;
    virDomainRef dom;
};

virDomainMomentRef *virDomainMomentRefNew(const char *name, const virDomainRef *dom);
void virDomainMomentRefFree(virDomainMomentRef *ref);
void virDomainMomentRefListFree(virDomainMomentRef **list);

typedef virDomainMomentRef virDomainSnapshotRef;
#define virDomainSnapshotRefNew virDomainMomentRefNew
#define virDomainSnapshotRefFree virDomainMomentRefFree
#define virDomainSnapshotRefListFree virDomainMomentRefListFree
typedef virDomainMomentRef virDomainCheckpointRef;
#define virDomainCheckpointRefNew virDomainMomentRefNew
#define virDomainCheckpointRefFree virDomainMomentRefFree
#define virDomainCheckpointRefListFree virDomainMomentRefListFree



/* Lifecycle callback (legacy API and EVENT_ID_LIFECYCLE). */
typedef void (*virConnectDomainEventCallback)(virConnect *conn, const virDomainRef *dom,
                                              int event, int detail, void *opaque);
/* Generic callback type, cast to the event ID's own type, as in libvirt. */
typedef void (*virConnectDomainEventGenericCallback)(virConnect *conn,
                                                     const virDomainRef *dom, void *opaque);
#define VIR_DOMAIN_EVENT_CALLBACK(cb) ((virConnectDomainEventGenericCallback)(void (*)(void))(cb))
/* EVENT_ID_REBOOT */
typedef void (*virConnectDomainEventRebootCallback)(virConnect *conn, const virDomainRef *dom,
                                                    void *opaque);
/* EVENT_ID_AGENT_LIFECYCLE: state and reason are
 * VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_* / _REASON_* values */
typedef void (*virConnectDomainEventAgentLifecycleCallback)(virConnect *conn,
                                                           const virDomainRef *dom, int state,
                                                           int reason, void *opaque);
/* EVENT_ID_METADATA_CHANGE: type is a VIR_DOMAIN_METADATA_* value, nsuri
 * the namespace of an ELEMENT change (else NULL) */
typedef void (*virConnectDomainEventMetadataChangeCallback)(virConnect *conn,
                                                            const virDomainRef *dom, int type,
                                                            const char *nsuri, void *opaque);
/* EVENT_ID_JOB_COMPLETED: the job's statistics (VIR_DOMAIN_JOB_*) */
typedef void (*virConnectDomainEventJobCompletedCallback)(virConnect *conn,
                                                          const virDomainRef *dom,
                                                          virTypedParameter *params, int nparams,
                                                          void *opaque);

/* virDomainGetJobInfo (libvirt's virDomainJobInfo: times in ms, sizes in
 * bytes). */
typedef struct {
    int type;
    unsigned long long timeElapsed;
    unsigned long long timeRemaining;
    unsigned long long dataTotal;
    unsigned long long dataProcessed;
    unsigned long long dataRemaining;
    unsigned long long memTotal;
    unsigned long long memProcessed;
    unsigned long long memRemaining;
    unsigned long long fileTotal;
    unsigned long long fileProcessed;
    unsigned long long fileRemaining;
} virDomainJobInfo;



/* Whether a domain with these properties passes virConnectListAllDomains'
 * filter flags (each pair of flags selects within its group; none of a
 * group means no filter on it). A driver without managed save or
 * snapshots or checkpoints passes false for them. */
bool virConnectListAllDomainsFilterMatches(unsigned int flags, bool active, bool persistent,
                                           int state, bool autostart, bool managedSave,
                                           bool hasSnapshot, bool hasCheckpoint);
