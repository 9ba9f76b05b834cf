/*
 * virdomaintypes.h: the values the public API and the wire share: domain
 * handles, info structs, states, reasons, lifecycle events and details.
 * The numbers are libvirt's (include/libvirt/libvirt-domain.h), as facts.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define VIR_UUID_BUFLEN 16
#define VIR_UUID_STRING_BUFLEN 37

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

typedef struct {
    char model[32];
    unsigned long memory;    /* KiB */
    unsigned int cpus;
    unsigned int mhz;
    unsigned int nodes;
    unsigned int sockets;
    unsigned int cores;
    unsigned int threads;
} virNodeInfo;

typedef struct {
    unsigned char state;
    unsigned long maxMem;    /* KiB */
    unsigned long memory;    /* KiB */
    unsigned short nrVirtCpu;
    unsigned long long cpuTime;  /* ns */
} virDomainInfo;

typedef enum {
    VIR_DOMAIN_NOSTATE = 0,
    VIR_DOMAIN_RUNNING = 1,
    VIR_DOMAIN_BLOCKED = 2,
    VIR_DOMAIN_PAUSED = 3,
    VIR_DOMAIN_SHUTDOWN = 4,
    VIR_DOMAIN_SHUTOFF = 5,
    VIR_DOMAIN_CRASHED = 6,
    VIR_DOMAIN_PMSUSPENDED = 7,
} virDomainState;

/* Event IDs (virDomainEventID) */
typedef enum {
    VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0,
    VIR_DOMAIN_EVENT_ID_REBOOT = 1,
} virDomainEventID;

typedef enum {
    VIR_DOMAIN_EVENT_DEFINED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED = 1,
    VIR_DOMAIN_EVENT_STARTED = 2,
    VIR_DOMAIN_EVENT_SUSPENDED = 3,
    VIR_DOMAIN_EVENT_RESUMED = 4,
    VIR_DOMAIN_EVENT_STOPPED = 5,
    VIR_DOMAIN_EVENT_SHUTDOWN = 6,
    VIR_DOMAIN_EVENT_PMSUSPENDED = 7,
    VIR_DOMAIN_EVENT_CRASHED = 8,
} virDomainEventType;

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
