/*
 * virpublic.h: libvirt's public API values and plain types, as facts (the
 * numbers of include/libvirt/libvirt-*.h): domain states and their
 * reasons, event IDs, event types and details, flags of the calls, driver
 * feature numbers, the info structs. They travel on the wire; the drivers,
 * the daemon and our client library all use this one definition.
 */
#pragma once

#define VIR_UUID_BUFLEN 16
#define VIR_UUID_STRING_BUFLEN 37

/* virConnectOpen flags */
#define VIR_CONNECT_RO 1

/* Streams: virStreamNew flags, virStreamRecvFlags flags, stream events
 * (the values of virEventHandleType), virDomainOpenConsole flags, and the
 * sparse flags of virStorageVolUpload / virStorageVolDownload. */
#define VIR_STREAM_NONBLOCK (1 << 0)
#define VIR_STREAM_RECV_STOP_AT_HOLE (1 << 0)
#define VIR_STREAM_EVENT_READABLE (1 << 0)
#define VIR_STREAM_EVENT_WRITABLE (1 << 1)
#define VIR_STREAM_EVENT_ERROR (1 << 2)
#define VIR_STREAM_EVENT_HANGUP (1 << 3)
#define VIR_DOMAIN_CONSOLE_FORCE (1 << 0)   /* abort a console another client holds */
#define VIR_DOMAIN_CONSOLE_SAFE (1 << 1)    /* only a console that can refuse a second client */
#define VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM (1 << 0)
#define VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM (1 << 0)

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
    VIR_DOMAIN_EVENT_ID_RTC_CHANGE = 2,
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB = 8,
    VIR_DOMAIN_EVENT_ID_PMWAKEUP = 11,
    VIR_DOMAIN_EVENT_ID_PMSUSPEND = 12,
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED = 15,
    VIR_DOMAIN_EVENT_ID_TUNABLE = 17,
    VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE = 18,
    VIR_DOMAIN_EVENT_ID_DEVICE_ADDED = 19,
    VIR_DOMAIN_EVENT_ID_JOB_COMPLETED = 21,
    VIR_DOMAIN_EVENT_ID_METADATA_CHANGE = 23,
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

/* virDomainEventID: IDs below this are valid registrations (libvirt 9.0
 * knows 27). */
#define VIR_DOMAIN_EVENT_ID_LAST 27

/* State reasons (virDomainGetState's reason, per state). */
typedef enum {
    VIR_DOMAIN_RUNNING_UNKNOWN = 0,
    VIR_DOMAIN_RUNNING_BOOTED = 1,
    VIR_DOMAIN_RUNNING_MIGRATED = 2,
    VIR_DOMAIN_RUNNING_RESTORED = 3,
    VIR_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,
    VIR_DOMAIN_RUNNING_UNPAUSED = 5,
    VIR_DOMAIN_RUNNING_MIGRATION_CANCELED = 6,
    VIR_DOMAIN_RUNNING_SAVE_CANCELED = 7,
    VIR_DOMAIN_RUNNING_WAKEUP = 8,
    VIR_DOMAIN_RUNNING_CRASHED = 9,
} virDomainRunningReason;

typedef enum {
    VIR_DOMAIN_PAUSED_UNKNOWN = 0,
    VIR_DOMAIN_PAUSED_USER = 1,
    VIR_DOMAIN_PAUSED_MIGRATION = 2,
    VIR_DOMAIN_PAUSED_SAVE = 3,
    VIR_DOMAIN_PAUSED_DUMP = 4,
    VIR_DOMAIN_PAUSED_IOERROR = 5,
    VIR_DOMAIN_PAUSED_WATCHDOG = 6,
    VIR_DOMAIN_PAUSED_FROM_SNAPSHOT = 7,
    VIR_DOMAIN_PAUSED_SHUTTING_DOWN = 8,
    VIR_DOMAIN_PAUSED_SNAPSHOT = 9,
    VIR_DOMAIN_PAUSED_CRASHED = 10,
    VIR_DOMAIN_PAUSED_STARTING_UP = 11,
} virDomainPausedReason;

typedef enum {
    VIR_DOMAIN_SHUTDOWN_UNKNOWN = 0,
    VIR_DOMAIN_SHUTDOWN_USER = 1,
} virDomainShutdownReason;

typedef enum {
    VIR_DOMAIN_SHUTOFF_UNKNOWN = 0,
    VIR_DOMAIN_SHUTOFF_SHUTDOWN = 1,
    VIR_DOMAIN_SHUTOFF_DESTROYED = 2,
    VIR_DOMAIN_SHUTOFF_CRASHED = 3,
    VIR_DOMAIN_SHUTOFF_MIGRATED = 4,
    VIR_DOMAIN_SHUTOFF_SAVED = 5,
    VIR_DOMAIN_SHUTOFF_FAILED = 6,
    VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT = 7,
    VIR_DOMAIN_SHUTOFF_DAEMON = 8,
} virDomainShutoffReason;

typedef enum {
    VIR_DOMAIN_CRASHED_UNKNOWN = 0,
    VIR_DOMAIN_CRASHED_PANICKED = 1,
} virDomainCrashedReason;

/* Lifecycle event details, per event type. */
typedef enum {
    VIR_DOMAIN_EVENT_DEFINED_ADDED = 0,
    VIR_DOMAIN_EVENT_DEFINED_UPDATED = 1,
    VIR_DOMAIN_EVENT_DEFINED_RENAMED = 2,
    VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT = 3,
} virDomainEventDefinedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_UNDEFINED_REMOVED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED_RENAMED = 1,
} virDomainEventUndefinedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_STARTED_BOOTED = 0,
    VIR_DOMAIN_EVENT_STARTED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_STARTED_RESTORED = 2,
    VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT = 3,
    VIR_DOMAIN_EVENT_STARTED_WAKEUP = 4,
} virDomainEventStartedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_SUSPENDED_PAUSED = 0,
    VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_SUSPENDED_IOERROR = 2,
    VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG = 3,
    VIR_DOMAIN_EVENT_SUSPENDED_RESTORED = 4,
    VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT = 5,
    VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR = 6,
} virDomainEventSuspendedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_RESUMED_UNPAUSED = 0,
    VIR_DOMAIN_EVENT_RESUMED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT = 2,
} virDomainEventResumedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,
    VIR_DOMAIN_EVENT_STOPPED_DESTROYED = 1,
    VIR_DOMAIN_EVENT_STOPPED_CRASHED = 2,
    VIR_DOMAIN_EVENT_STOPPED_MIGRATED = 3,
    VIR_DOMAIN_EVENT_STOPPED_SAVED = 4,
    VIR_DOMAIN_EVENT_STOPPED_FAILED = 5,
    VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT = 6,
} virDomainEventStoppedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED = 0,
    VIR_DOMAIN_EVENT_SHUTDOWN_GUEST = 1,
    VIR_DOMAIN_EVENT_SHUTDOWN_HOST = 2,
} virDomainEventShutdownDetailType;

/* Flags of the calls in virdriver.h. */
typedef enum {
    VIR_DOMAIN_AFFECT_CURRENT = 0,
    VIR_DOMAIN_AFFECT_LIVE = 1 << 0,
    VIR_DOMAIN_AFFECT_CONFIG = 1 << 1,
} virDomainModificationImpact;

typedef enum {
    VIR_DOMAIN_VCPU_CURRENT = VIR_DOMAIN_AFFECT_CURRENT,
    VIR_DOMAIN_VCPU_LIVE = VIR_DOMAIN_AFFECT_LIVE,
    VIR_DOMAIN_VCPU_CONFIG = VIR_DOMAIN_AFFECT_CONFIG,
    VIR_DOMAIN_VCPU_MAXIMUM = 1 << 2,
    VIR_DOMAIN_VCPU_GUEST = 1 << 3,
    VIR_DOMAIN_VCPU_HOTPLUGGABLE = 1 << 4,
} virDomainVcpuFlags;

typedef enum {
    VIR_DOMAIN_XML_SECURE = 1 << 0,
    VIR_DOMAIN_XML_INACTIVE = 1 << 1,
    VIR_DOMAIN_XML_UPDATE_CPU = 1 << 2,
    VIR_DOMAIN_XML_MIGRATABLE = 1 << 3,
} virDomainXMLFlags;

typedef enum {
    VIR_CONNECT_LIST_DOMAINS_ACTIVE = 1 << 0,
    VIR_CONNECT_LIST_DOMAINS_INACTIVE = 1 << 1,
    VIR_CONNECT_LIST_DOMAINS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_DOMAINS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_DOMAINS_RUNNING = 1 << 4,
    VIR_CONNECT_LIST_DOMAINS_PAUSED = 1 << 5,
    VIR_CONNECT_LIST_DOMAINS_SHUTOFF = 1 << 6,
    VIR_CONNECT_LIST_DOMAINS_OTHER = 1 << 7,
    VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE = 1 << 8,
    VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE = 1 << 9,
    VIR_CONNECT_LIST_DOMAINS_AUTOSTART = 1 << 10,
    VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART = 1 << 11,
    VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT = 1 << 12,
    VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT = 1 << 13,
    VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT = 1 << 14,
    VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT = 1 << 15,
} virConnectListAllDomainsFlags;

typedef enum {
    VIR_DOMAIN_NONE = 0,
    VIR_DOMAIN_START_PAUSED = 1 << 0,
    VIR_DOMAIN_START_AUTODESTROY = 1 << 1,
    VIR_DOMAIN_START_BYPASS_CACHE = 1 << 2,
    VIR_DOMAIN_START_FORCE_BOOT = 1 << 3,
    VIR_DOMAIN_START_VALIDATE = 1 << 4,
} virDomainCreateFlags;

typedef enum {
    VIR_DOMAIN_DEFINE_VALIDATE = 1 << 0,
} virDomainDefineFlags;

typedef enum {
    VIR_DOMAIN_DESTROY_DEFAULT = 0,
    VIR_DOMAIN_DESTROY_GRACEFUL = 1 << 0,
} virDomainDestroyFlagsValues;

typedef enum {
    VIR_DOMAIN_SHUTDOWN_DEFAULT = 0,
    VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN = 1 << 0,
    VIR_DOMAIN_SHUTDOWN_GUEST_AGENT = 1 << 1,
    VIR_DOMAIN_SHUTDOWN_INITCTL = 1 << 2,
    VIR_DOMAIN_SHUTDOWN_SIGNAL = 1 << 3,
    VIR_DOMAIN_SHUTDOWN_PARAVIRT = 1 << 4,
} virDomainShutdownFlagValues;

typedef enum {
    VIR_DOMAIN_REBOOT_DEFAULT = 0,
    VIR_DOMAIN_REBOOT_ACPI_POWER_BTN = 1 << 0,
    VIR_DOMAIN_REBOOT_GUEST_AGENT = 1 << 1,
    VIR_DOMAIN_REBOOT_INITCTL = 1 << 2,
    VIR_DOMAIN_REBOOT_SIGNAL = 1 << 3,
    VIR_DOMAIN_REBOOT_PARAVIRT = 1 << 4,
} virDomainRebootFlagValues;

typedef enum {
    VIR_DOMAIN_UNDEFINE_MANAGED_SAVE = 1 << 0,
    VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA = 1 << 1,
    VIR_DOMAIN_UNDEFINE_NVRAM = 1 << 2,
    VIR_DOMAIN_UNDEFINE_KEEP_NVRAM = 1 << 3,
    VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA = 1 << 4,
} virDomainUndefineFlagsValues;

/* Security model of the node and label of a domain (virNodeGetSecurityModel,
 * virDomainGetSecurityLabel); sizes are libvirt's VIR_SECURITY_*_BUFLEN. */
#define VIR_SECURITY_MODEL_BUFLEN 257
#define VIR_SECURITY_DOI_BUFLEN 257
#define VIR_SECURITY_LABEL_BUFLEN 4097

typedef struct {
    char model[VIR_SECURITY_MODEL_BUFLEN];
    char doi[VIR_SECURITY_DOI_BUFLEN];
} virSecurityModel;

typedef struct {
    char label[VIR_SECURITY_LABEL_BUFLEN];
    int enforcing;
} virSecurityLabel;


/* Why a connection closed (virConnectCloseReason). */
typedef enum {
    VIR_CONNECT_CLOSE_REASON_ERROR = 0,      /* I/O or protocol error */
    VIR_CONNECT_CLOSE_REASON_EOF = 1,        /* the server closed */
    VIR_CONNECT_CLOSE_REASON_KEEPALIVE = 2,  /* the server stopped answering */
    VIR_CONNECT_CLOSE_REASON_CLIENT = 3,     /* closed by the client */
} virConnectCloseReason;

/* Credential types an authentication asks for (virConnectCredentialType). */
typedef enum {
    VIR_CRED_USERNAME = 1,       /* authorization id (NULL: same as AUTHNAME) */
    VIR_CRED_AUTHNAME = 2,       /* who logs in */
    VIR_CRED_LANGUAGE = 3,
    VIR_CRED_CNONCE = 4,
    VIR_CRED_PASSPHRASE = 5,
    VIR_CRED_ECHOPROMPT = 6,
    VIR_CRED_NOECHOPROMPT = 7,
    VIR_CRED_REALM = 8,          /* NULL: the first realm the server offers */
    VIR_CRED_EXTERNAL = 9,
} virConnectCredentialType;

/* Features a connection supports (libvirt's virDrvFeature, internal to
 * libvirt but on the wire in CONNECT_SUPPORTS_FEATURE). The remote layer
 * answers PROGRAM_KEEPALIVE, REMOTE_EVENT_CALLBACK and REMOTE_CLOSE_CALLBACK
 * itself; a driver answers the rest. */
typedef enum {
    VIR_DRV_FEATURE_MIGRATION_V1 = 1,
    VIR_DRV_FEATURE_REMOTE = 2,
    VIR_DRV_FEATURE_MIGRATION_V2 = 3,
    VIR_DRV_FEATURE_MIGRATION_P2P = 4,
    VIR_DRV_FEATURE_MIGRATION_DIRECT = 5,
    VIR_DRV_FEATURE_MIGRATION_V3 = 6,
    VIR_DRV_FEATURE_MIGRATE_CHANGE_PROTECTION = 7,
    VIR_DRV_FEATURE_FD_PASSING = 8,
    VIR_DRV_FEATURE_TYPED_PARAM_STRING = 9,
    VIR_DRV_FEATURE_PROGRAM_KEEPALIVE = 10,
    VIR_DRV_FEATURE_XML_MIGRATABLE = 11,
    VIR_DRV_FEATURE_MIGRATION_OFFLINE = 12,
    VIR_DRV_FEATURE_MIGRATION_PARAMS = 13,
    VIR_DRV_FEATURE_REMOTE_EVENT_CALLBACK = 14,
    VIR_DRV_FEATURE_REMOTE_CLOSE_CALLBACK = 15,
    VIR_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER = 16,
} virDrvFeature;

/* ---- Networks, storage pools and volumes, interfaces, node devices,
 * secrets (libvirt-network.h, -storage.h, -interface.h, -nodedev.h,
 * -secret.h) ---- */

#define VIR_NETWORK_XML_INACTIVE (1 << 0)
#define VIR_NETWORK_CREATE_VALIDATE (1 << 0)
#define VIR_NETWORK_DEFINE_VALIDATE (1 << 0)

typedef enum {
    VIR_CONNECT_LIST_NETWORKS_INACTIVE = 1 << 0,
    VIR_CONNECT_LIST_NETWORKS_ACTIVE = 1 << 1,
    VIR_CONNECT_LIST_NETWORKS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_NETWORKS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_NETWORKS_AUTOSTART = 1 << 4,
    VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART = 1 << 5,
} virConnectListAllNetworksFlags;

typedef enum {
    VIR_NETWORK_UPDATE_COMMAND_NONE = 0,
    VIR_NETWORK_UPDATE_COMMAND_MODIFY = 1,
    VIR_NETWORK_UPDATE_COMMAND_DELETE = 2,
    VIR_NETWORK_UPDATE_COMMAND_ADD_LAST = 3,
    VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST = 4,
} virNetworkUpdateCommand;

typedef enum {
    VIR_NETWORK_SECTION_NONE = 0,
    VIR_NETWORK_SECTION_BRIDGE = 1,
    VIR_NETWORK_SECTION_DOMAIN = 2,
    VIR_NETWORK_SECTION_IP = 3,
    VIR_NETWORK_SECTION_IP_DHCP_HOST = 4,
    VIR_NETWORK_SECTION_IP_DHCP_RANGE = 5,
    VIR_NETWORK_SECTION_FORWARD = 6,
    VIR_NETWORK_SECTION_FORWARD_INTERFACE = 7,
    VIR_NETWORK_SECTION_FORWARD_PF = 8,
    VIR_NETWORK_SECTION_PORTGROUP = 9,
    VIR_NETWORK_SECTION_DNS_HOST = 10,
    VIR_NETWORK_SECTION_DNS_TXT = 11,
    VIR_NETWORK_SECTION_DNS_SRV = 12,
} virNetworkUpdateSection;

typedef enum {
    VIR_NETWORK_UPDATE_AFFECT_CURRENT = 0,
    VIR_NETWORK_UPDATE_AFFECT_LIVE = 1 << 0,
    VIR_NETWORK_UPDATE_AFFECT_CONFIG = 1 << 1,
} virNetworkUpdateFlags;

typedef enum {
    VIR_NETWORK_EVENT_DEFINED = 0,
    VIR_NETWORK_EVENT_UNDEFINED = 1,
    VIR_NETWORK_EVENT_STARTED = 2,
    VIR_NETWORK_EVENT_STOPPED = 3,
} virNetworkEventLifecycleType;

typedef enum {
    VIR_NETWORK_EVENT_ID_LIFECYCLE = 0,
} virNetworkEventID;
#define VIR_NETWORK_EVENT_ID_LAST 1

typedef enum {
    VIR_STORAGE_POOL_INACTIVE = 0,
    VIR_STORAGE_POOL_BUILDING = 1,
    VIR_STORAGE_POOL_RUNNING = 2,
    VIR_STORAGE_POOL_DEGRADED = 3,
    VIR_STORAGE_POOL_INACCESSIBLE = 4,
} virStoragePoolState;

typedef enum {
    VIR_STORAGE_POOL_BUILD_NEW = 0,
    VIR_STORAGE_POOL_BUILD_REPAIR = 1 << 0,
    VIR_STORAGE_POOL_BUILD_RESIZE = 1 << 1,
    VIR_STORAGE_POOL_BUILD_NO_OVERWRITE = 1 << 2,
    VIR_STORAGE_POOL_BUILD_OVERWRITE = 1 << 3,
} virStoragePoolBuildFlags;

typedef enum {
    VIR_STORAGE_POOL_DELETE_NORMAL = 0,
    VIR_STORAGE_POOL_DELETE_ZEROED = 1 << 0,
} virStoragePoolDeleteFlags;

typedef enum {
    VIR_STORAGE_POOL_CREATE_NORMAL = 0,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD = 1 << 0,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE = 1 << 1,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE = 1 << 2,
} virStoragePoolCreateFlags;

#define VIR_STORAGE_POOL_DEFINE_VALIDATE (1 << 0)

/* state is a virStoragePoolState; sizes in bytes */
typedef struct {
    int state;
    unsigned long long capacity;
    unsigned long long allocation;
    unsigned long long available;
} virStoragePoolInfo;

typedef enum {
    VIR_STORAGE_VOL_FILE = 0,
    VIR_STORAGE_VOL_BLOCK = 1,
    VIR_STORAGE_VOL_DIR = 2,
    VIR_STORAGE_VOL_NETWORK = 3,
    VIR_STORAGE_VOL_NETDIR = 4,
    VIR_STORAGE_VOL_PLOOP = 5,
} virStorageVolType;

typedef enum {
    VIR_STORAGE_VOL_DELETE_NORMAL = 0,
    VIR_STORAGE_VOL_DELETE_ZEROED = 1 << 0,
    VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS = 1 << 1,
} virStorageVolDeleteFlags;

typedef enum {
    VIR_STORAGE_VOL_WIPE_ALG_ZERO = 0,
    VIR_STORAGE_VOL_WIPE_ALG_NNSA = 1,
    VIR_STORAGE_VOL_WIPE_ALG_DOD = 2,
    VIR_STORAGE_VOL_WIPE_ALG_BSI = 3,
    VIR_STORAGE_VOL_WIPE_ALG_GUTMANN = 4,
    VIR_STORAGE_VOL_WIPE_ALG_SCHNEIER = 5,
    VIR_STORAGE_VOL_WIPE_ALG_PFITZNER7 = 6,
    VIR_STORAGE_VOL_WIPE_ALG_PFITZNER33 = 7,
    VIR_STORAGE_VOL_WIPE_ALG_RANDOM = 8,
    VIR_STORAGE_VOL_WIPE_ALG_TRIM = 9,
} virStorageVolWipeAlgorithm;
#define VIR_STORAGE_VOL_WIPE_ALG_LAST 10

#define VIR_STORAGE_VOL_GET_PHYSICAL (1 << 0)

/* type is a virStorageVolType; sizes in bytes */
typedef struct {
    int type;
    unsigned long long capacity;
    unsigned long long allocation;
} virStorageVolInfo;

#define VIR_STORAGE_XML_INACTIVE (1 << 0)

typedef enum {
    VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE = 1 << 0,
    VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE = 1 << 1,
    VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART = 1 << 4,
    VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART = 1 << 5,
    /* one flag per pool type, from DIR (1 << 6) to ISCSI_DIRECT (1 << 19),
     * in the order of virStoragePoolTypeNames (virstoragedef.h) */
    VIR_CONNECT_LIST_STORAGE_POOLS_DIR = 1 << 6,
    VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT = 1 << 19,
} virConnectListAllStoragePoolsFlags;

typedef enum {
    VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA = 1 << 0,
    VIR_STORAGE_VOL_CREATE_REFLINK = 1 << 1,
    VIR_STORAGE_VOL_CREATE_VALIDATE = 1 << 2,
} virStorageVolCreateFlags;

typedef enum {
    VIR_STORAGE_VOL_RESIZE_ALLOCATE = 1 << 0,
    VIR_STORAGE_VOL_RESIZE_DELTA = 1 << 1,
    VIR_STORAGE_VOL_RESIZE_SHRINK = 1 << 2,
} virStorageVolResizeFlags;

typedef enum {
    VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE = 0,
    VIR_STORAGE_POOL_EVENT_ID_REFRESH = 1,
} virStoragePoolEventID;
#define VIR_STORAGE_POOL_EVENT_ID_LAST 2

typedef enum {
    VIR_STORAGE_POOL_EVENT_DEFINED = 0,
    VIR_STORAGE_POOL_EVENT_UNDEFINED = 1,
    VIR_STORAGE_POOL_EVENT_STARTED = 2,
    VIR_STORAGE_POOL_EVENT_STOPPED = 3,
    VIR_STORAGE_POOL_EVENT_CREATED = 4,
    VIR_STORAGE_POOL_EVENT_DELETED = 5,
} virStoragePoolEventLifecycleType;

typedef enum {
    VIR_CONNECT_LIST_INTERFACES_INACTIVE = 1 << 0,
    VIR_CONNECT_LIST_INTERFACES_ACTIVE = 1 << 1,
} virConnectListAllInterfacesFlags;

#define VIR_INTERFACE_XML_INACTIVE (1 << 0)
#define VIR_INTERFACE_DEFINE_VALIDATE (1 << 0)

/* One flag per capability type, from SYSTEM (1 << 0) to VPD (1 << 21), in
 * the order of virNodeDevCapTypeNames (virnodedevdef.h); INACTIVE and
 * ACTIVE select by state. */
typedef enum {
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM = 1 << 0,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_FC_HOST = 1 << 9,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS = 1 << 10,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPD = 1 << 21,
    VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE = 1 << 30,
    VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE = 1U << 31,
} virConnectListAllNodeDeviceFlags;

#define VIR_NODE_DEVICE_CREATE_XML_VALIDATE (1 << 0)
#define VIR_NODE_DEVICE_DEFINE_XML_VALIDATE (1 << 0)

typedef enum {
    VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE = 0,
    VIR_NODE_DEVICE_EVENT_ID_UPDATE = 1,
} virNodeDeviceEventID;
#define VIR_NODE_DEVICE_EVENT_ID_LAST 2

typedef enum {
    VIR_NODE_DEVICE_EVENT_CREATED = 0,
    VIR_NODE_DEVICE_EVENT_DELETED = 1,
    VIR_NODE_DEVICE_EVENT_DEFINED = 2,
    VIR_NODE_DEVICE_EVENT_UNDEFINED = 3,
} virNodeDeviceEventLifecycleType;

typedef enum {
    VIR_SECRET_USAGE_TYPE_NONE = 0,
    VIR_SECRET_USAGE_TYPE_VOLUME = 1,
    VIR_SECRET_USAGE_TYPE_CEPH = 2,
    VIR_SECRET_USAGE_TYPE_ISCSI = 3,
    VIR_SECRET_USAGE_TYPE_TLS = 4,
    VIR_SECRET_USAGE_TYPE_VTPM = 5,
} virSecretUsageType;
#define VIR_SECRET_USAGE_TYPE_LAST 6

typedef enum {
    VIR_CONNECT_LIST_SECRETS_EPHEMERAL = 1 << 0,
    VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL = 1 << 1,
    VIR_CONNECT_LIST_SECRETS_PRIVATE = 1 << 2,
    VIR_CONNECT_LIST_SECRETS_NO_PRIVATE = 1 << 3,
} virConnectListAllSecretsFlags;

#define VIR_SECRET_DEFINE_VALIDATE (1 << 0)

typedef enum {
    VIR_SECRET_EVENT_ID_LIFECYCLE = 0,
    VIR_SECRET_EVENT_ID_VALUE_CHANGED = 1,
} virSecretEventID;
#define VIR_SECRET_EVENT_ID_LAST 2

typedef enum {
    VIR_SECRET_EVENT_DEFINED = 0,
    VIR_SECRET_EVENT_UNDEFINED = 1,
} virSecretEventLifecycleType;

/* ---- The domain and host API beyond the lifecycle ---- */

/* virDomainBlockStats / virDomainInterfaceStats results (-1: unknown). */
typedef struct {
    long long rd_req;
    long long rd_bytes;
    long long wr_req;
    long long wr_bytes;
    long long errs;
} virDomainBlockStatsStruct;

typedef struct {
    long long rx_bytes;
    long long rx_packets;
    long long rx_errs;
    long long rx_drop;
    long long tx_bytes;
    long long tx_packets;
    long long tx_errs;
    long long tx_drop;
} virDomainInterfaceStatsStruct;

/* virDomainMemoryStats: tag and value (KiB, or a count) */
typedef struct {
    int tag;
    unsigned long long val;
} virDomainMemoryStatStruct;

typedef enum {
    VIR_DOMAIN_MEMORY_STAT_SWAP_IN = 0,
    VIR_DOMAIN_MEMORY_STAT_SWAP_OUT = 1,
    VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT = 2,
    VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT = 3,
    VIR_DOMAIN_MEMORY_STAT_UNUSED = 4,
    VIR_DOMAIN_MEMORY_STAT_AVAILABLE = 5,
    VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON = 6,
    VIR_DOMAIN_MEMORY_STAT_RSS = 7,
    VIR_DOMAIN_MEMORY_STAT_USABLE = 8,
    VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE = 9,
    VIR_DOMAIN_MEMORY_STAT_DISK_CACHES = 10,
    VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC = 11,
    VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL = 12,
    VIR_DOMAIN_MEMORY_STAT_NR = 13,
} virDomainMemoryStatTags;

typedef struct {
    unsigned int number;
    int state;                  /* virVcpuState */
    unsigned long long cpuTime; /* ns */
    int cpu;
} virVcpuInfo;

#define VIR_VCPU_OFFLINE 0
#define VIR_VCPU_RUNNING 1

typedef struct {
    unsigned int state;         /* virDomainControlState */
    unsigned int details;
    unsigned long long stateTime; /* ms */
} virDomainControlInfo;

typedef enum {
    VIR_DOMAIN_CONTROL_OK = 0,
    VIR_DOMAIN_CONTROL_JOB = 1,
    VIR_DOMAIN_CONTROL_OCCUPIED = 2,
    VIR_DOMAIN_CONTROL_ERROR = 3,
} virDomainControlState;

typedef struct {
    unsigned long long capacity;
    unsigned long long allocation;
    unsigned long long physical;
} virDomainBlockInfo;

typedef struct {
    char *disk;
    int error;                  /* virDomainDiskErrorCode */
} virDomainDiskError;

/* virDomainGetNumaParameters: the memory modes and the parameters */
typedef enum {
    VIR_DOMAIN_NUMATUNE_MEM_STRICT = 0,
    VIR_DOMAIN_NUMATUNE_MEM_PREFERRED = 1,
    VIR_DOMAIN_NUMATUNE_MEM_INTERLEAVE = 2,
    VIR_DOMAIN_NUMATUNE_MEM_RESTRICTIVE = 3,
    VIR_DOMAIN_NUMATUNE_MEM_LAST = 4,
} virDomainNumatuneMemMode;
#define VIR_DOMAIN_NUMA_NODESET "numa_nodeset"
#define VIR_DOMAIN_NUMA_MODE "numa_mode"

/* virDomainSetInterfaceParameters */
#define VIR_DOMAIN_BANDWIDTH_IN_AVERAGE "inbound.average"
#define VIR_DOMAIN_BANDWIDTH_IN_PEAK "inbound.peak"
#define VIR_DOMAIN_BANDWIDTH_IN_BURST "inbound.burst"
#define VIR_DOMAIN_BANDWIDTH_IN_FLOOR "inbound.floor"
#define VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE "outbound.average"
#define VIR_DOMAIN_BANDWIDTH_OUT_PEAK "outbound.peak"
#define VIR_DOMAIN_BANDWIDTH_OUT_BURST "outbound.burst"

/* virDomainSendProcessSignal: signals 0 (none) to 64 (SIGRTMAX) */
#define VIR_DOMAIN_PROCESS_SIGNAL_LAST 65

/* virDomainSendKey: the codesets (virKeycodeSet: linux, xt, atset1,
 * atset2, atset3, os_x, xt_kbd, usb, win32, qnum) and the most keys */
#define VIR_KEYCODE_SET_LAST 10
#define VIR_DOMAIN_SEND_KEY_MAX_KEYS 16

/* virDomainMemoryPeek */
#define VIR_MEMORY_VIRTUAL 1
#define VIR_MEMORY_PHYSICAL 2

/* virDomainGetMessages */
#define VIR_DOMAIN_MESSAGE_DEPRECATION 1
#define VIR_DOMAIN_MESSAGE_TAINTING 2

/* virDomainSetMemoryFlags */
#define VIR_DOMAIN_MEM_CURRENT 0
#define VIR_DOMAIN_MEM_LIVE 1
#define VIR_DOMAIN_MEM_CONFIG 2
#define VIR_DOMAIN_MEM_MAXIMUM 4

/* virDomainSetTime */
#define VIR_DOMAIN_TIME_SYNC 1

/* virDomainGetMetadata / SetMetadata types */
typedef enum {
    VIR_DOMAIN_METADATA_DESCRIPTION = 0,
    VIR_DOMAIN_METADATA_TITLE = 1,
    VIR_DOMAIN_METADATA_ELEMENT = 2,
    VIR_DOMAIN_METADATA_LAST = 3,
} virDomainMetadataType;

/* Stats groups of virConnectGetAllDomainStats */
typedef enum {
    VIR_DOMAIN_STATS_STATE = 1 << 0,
    VIR_DOMAIN_STATS_CPU_TOTAL = 1 << 1,
    VIR_DOMAIN_STATS_BALLOON = 1 << 2,
    VIR_DOMAIN_STATS_VCPU = 1 << 3,
    VIR_DOMAIN_STATS_INTERFACE = 1 << 4,
    VIR_DOMAIN_STATS_BLOCK = 1 << 5,
    VIR_DOMAIN_STATS_PERF = 1 << 6,
    VIR_DOMAIN_STATS_IOTHREAD = 1 << 7,
    VIR_DOMAIN_STATS_MEMORY = 1 << 8,
    VIR_DOMAIN_STATS_DIRTYRATE = 1 << 9,
    VIR_DOMAIN_STATS_VM = 1 << 10,
} virDomainStatsTypes;

/* its flags, past the VIR_CONNECT_LIST_DOMAINS_* filters it shares */
#define VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT (1U << 29)
#define VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING (1U << 30)
#define VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS (1U << 31)

/* Typed parameter names */
#define VIR_DOMAIN_SCHEDULER_WEIGHT "weight"
#define VIR_DOMAIN_SCHEDULER_CPU_SHARES "cpu_shares"
#define VIR_DOMAIN_SCHEDULER_VCPU_PERIOD "vcpu_period"
#define VIR_DOMAIN_SCHEDULER_VCPU_QUOTA "vcpu_quota"
#define VIR_DOMAIN_SCHEDULER_EMULATOR_PERIOD "emulator_period"
#define VIR_DOMAIN_SCHEDULER_EMULATOR_QUOTA "emulator_quota"
#define VIR_DOMAIN_SCHEDULER_GLOBAL_PERIOD "global_period"
#define VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA "global_quota"
#define VIR_DOMAIN_SCHEDULER_IOTHREAD_PERIOD "iothread_period"
#define VIR_DOMAIN_SCHEDULER_IOTHREAD_QUOTA "iothread_quota"
#define VIR_DOMAIN_MEMORY_HARD_LIMIT "hard_limit"
#define VIR_DOMAIN_MEMORY_SOFT_LIMIT "soft_limit"
#define VIR_DOMAIN_MEMORY_MIN_GUARANTEE "min_guarantee"
#define VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT "swap_hard_limit"
#define VIR_DOMAIN_MEMORY_PARAM_UNLIMITED 9007199254740991LL   /* KiB: 2^53 - 1 */
#define VIR_DOMAIN_BLKIO_WEIGHT "weight"

/* virNodeGetCPUStats */
#define VIR_NODE_CPU_STATS_FIELD_LENGTH 80
#define VIR_NODE_CPU_STATS_ALL_CPUS (-1)
#define VIR_NODE_CPU_STATS_KERNEL "kernel"
#define VIR_NODE_CPU_STATS_USER "user"
#define VIR_NODE_CPU_STATS_IDLE "idle"
#define VIR_NODE_CPU_STATS_IOWAIT "iowait"
typedef struct {
    char field[VIR_NODE_CPU_STATS_FIELD_LENGTH];
    unsigned long long value;
} virNodeCPUStats;

/* Host memory statistics (virNodeGetMemoryStats), values in KiB */
#define VIR_NODE_MEMORY_STATS_FIELD_LENGTH 80
#define VIR_NODE_MEMORY_STATS_ALL_CELLS (-1)
#define VIR_NODE_MEMORY_STATS_TOTAL "total"
#define VIR_NODE_MEMORY_STATS_FREE "free"
#define VIR_NODE_MEMORY_STATS_BUFFERS "buffers"
#define VIR_NODE_MEMORY_STATS_CACHED "cached"
/* libvirt's struct has virNodeCPUStats' layout: one type here */
typedef virNodeCPUStats virNodeMemoryStats;

/* Host memory parameters (KSM, /sys/kernel/mm/ksm) */
#define VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN "shm_pages_to_scan"
#define VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS "shm_sleep_millisecs"
#define VIR_NODE_MEMORY_SHARED_PAGES_SHARED "shm_pages_shared"
#define VIR_NODE_MEMORY_SHARED_PAGES_SHARING "shm_pages_sharing"
#define VIR_NODE_MEMORY_SHARED_PAGES_UNSHARED "shm_pages_unshared"
#define VIR_NODE_MEMORY_SHARED_PAGES_VOLATILE "shm_pages_volatile"
#define VIR_NODE_MEMORY_SHARED_FULL_SCANS "shm_full_scans"
#define VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES "shm_merge_across_nodes"

/* virNodeSuspendForDuration targets */
typedef enum {
    VIR_NODE_SUSPEND_TARGET_MEM = 0,
    VIR_NODE_SUSPEND_TARGET_DISK = 1,
    VIR_NODE_SUSPEND_TARGET_HYBRID = 2,
} virNodeSuspendTarget;

/* virNodeAllocPages flags */
typedef enum {
    VIR_NODE_ALLOC_PAGES_ADD = 0,
    VIR_NODE_ALLOC_PAGES_SET = 1 << 0,
} virNodeAllocPagesFlags;

/* Snapshots: create, list, revert and delete flags */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE = 1 << 0,
    VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT = 1 << 1,
    VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA = 1 << 2,
    VIR_DOMAIN_SNAPSHOT_CREATE_HALT = 1 << 3,
    VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY = 1 << 4,
    VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT = 1 << 5,
    VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE = 1 << 6,
    VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC = 1 << 7,
    VIR_DOMAIN_SNAPSHOT_CREATE_LIVE = 1 << 8,
    VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE = 1 << 9,
} virDomainSnapshotCreateFlags;

typedef enum {
    VIR_DOMAIN_SNAPSHOT_LIST_ROOTS = 1 << 0,
    VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS = 1 << 0,
    VIR_DOMAIN_SNAPSHOT_LIST_METADATA = 1 << 1,
    VIR_DOMAIN_SNAPSHOT_LIST_LEAVES = 1 << 2,
    VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES = 1 << 3,
    VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA = 1 << 4,
    VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE = 1 << 5,
    VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE = 1 << 6,
    VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY = 1 << 7,
    VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL = 1 << 8,
    VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL = 1 << 9,
    VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL = 1 << 10,
} virDomainSnapshotListFlags;

#define VIR_DOMAIN_SNAPSHOT_FILTERS_ALL \
    (VIR_DOMAIN_SNAPSHOT_LIST_METADATA | VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA | \
     VIR_DOMAIN_SNAPSHOT_LIST_LEAVES | VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES | \
     VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE | \
     VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL | \
     VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL)

#define VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING (1 << 0)
#define VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED (1 << 1)
#define VIR_DOMAIN_SNAPSHOT_REVERT_FORCE (1 << 2)
#define VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN (1 << 0)
#define VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY (1 << 1)
#define VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY (1 << 2)
/* a snapshot's state past the domain states */
#define VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT 8

/* Checkpoints: create, XML, list and delete flags */
#define VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE (1 << 0)
#define VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE (1 << 1)
#define VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE (1 << 2)
#define VIR_DOMAIN_CHECKPOINT_XML_SECURE (1 << 0)
#define VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN (1 << 1)
#define VIR_DOMAIN_CHECKPOINT_XML_SIZE (1 << 2)
#define VIR_DOMAIN_CHECKPOINT_LIST_ROOTS (1 << 0)
#define VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS (1 << 0)
#define VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL (1 << 1)
#define VIR_DOMAIN_CHECKPOINT_LIST_LEAVES (1 << 2)
#define VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES (1 << 3)
#define VIR_DOMAIN_CHECKPOINT_FILTERS_ALL \
    (VIR_DOMAIN_CHECKPOINT_LIST_LEAVES | VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES)
#define VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN (1 << 0)
#define VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY (1 << 1)
#define VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY (1 << 2)

/* virDomainGetCPUStats */
#define VIR_DOMAIN_CPU_STATS_CPUTIME "cpu_time"
#define VIR_DOMAIN_CPU_STATS_USERTIME "user_time"
#define VIR_DOMAIN_CPU_STATS_SYSTEMTIME "system_time"
#define VIR_DOMAIN_CPU_STATS_VCPUTIME "vcpu_time"

/* virDomainGetDiskErrors */
#define VIR_DOMAIN_DISK_ERROR_NONE 0
#define VIR_DOMAIN_DISK_ERROR_UNSPEC 1
#define VIR_DOMAIN_DISK_ERROR_NO_SPACE 2
#define VIR_DOMAIN_DISK_ERROR_LAST 3

/* virDomainManagedSave */
#define VIR_DOMAIN_SAVE_BYPASS_CACHE (1 << 0)
#define VIR_DOMAIN_SAVE_RUNNING (1 << 1)
#define VIR_DOMAIN_SAVE_PAUSED (1 << 2)
#define VIR_DOMAIN_SAVE_IMAGE_XML_SECURE (1 << 0)
/* virDomainSaveParams, virDomainRestoreParams */
#define VIR_DOMAIN_SAVE_PARAM_FILE "file"
#define VIR_DOMAIN_SAVE_PARAM_DXML "dxml"
/* virDomainAbortJobFlags */
#define VIR_DOMAIN_ABORT_JOB_POSTCOPY (1 << 0)

/* Core dumps (virDomainCoreDump, virDomainCoreDumpWithFormat) */
#define VIR_DUMP_CRASH (1 << 0)
#define VIR_DUMP_LIVE (1 << 1)
#define VIR_DUMP_BYPASS_CACHE (1 << 2)
#define VIR_DUMP_RESET (1 << 3)
#define VIR_DUMP_MEMORY_ONLY (1 << 4)
#define VIR_DOMAIN_CORE_DUMP_FORMAT_RAW 0

/* Jobs (virDomainGetJobInfo, virDomainGetJobStats) */
#define VIR_DOMAIN_JOB_NONE 0
#define VIR_DOMAIN_JOB_BOUNDED 1
#define VIR_DOMAIN_JOB_UNBOUNDED 2
#define VIR_DOMAIN_JOB_COMPLETED 3
#define VIR_DOMAIN_JOB_FAILED 4
#define VIR_DOMAIN_JOB_CANCELLED 5
#define VIR_DOMAIN_JOB_STATS_COMPLETED (1 << 0)
#define VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED (1 << 1)
#define VIR_DOMAIN_JOB_OPERATION_UNKNOWN 0
#define VIR_DOMAIN_JOB_OPERATION_SAVE 2
#define VIR_DOMAIN_JOB_OPERATION_RESTORE 3
#define VIR_DOMAIN_JOB_OPERATION_DUMP 8
#define VIR_DOMAIN_JOB_OPERATION "operation"
#define VIR_DOMAIN_JOB_TIME_ELAPSED "time_elapsed"
#define VIR_DOMAIN_JOB_DATA_TOTAL "data_total"
#define VIR_DOMAIN_JOB_DATA_PROCESSED "data_processed"
#define VIR_DOMAIN_JOB_DATA_REMAINING "data_remaining"
#define VIR_DOMAIN_JOB_MEMORY_TOTAL "memory_total"
#define VIR_DOMAIN_JOB_MEMORY_PROCESSED "memory_processed"
#define VIR_DOMAIN_JOB_MEMORY_REMAINING "memory_remaining"
#define VIR_DOMAIN_JOB_SUCCESS "success"
#define VIR_DOMAIN_JOB_ERRMSG "errmsg"

/* The guest agent (virDomainGetHostname, virDomainInterfaceAddresses,
 * virDomainGetGuestInfo, virDomainAuthorizedSSHKeysSet,
 * virDomainAgentSetResponseTimeout, EVENT_ID_AGENT_LIFECYCLE). */
#define VIR_DOMAIN_GET_HOSTNAME_LEASE (1 << 0)
#define VIR_DOMAIN_GET_HOSTNAME_AGENT (1 << 1)
#define VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE 0
#define VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT 1
#define VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP 2
#define VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LAST 3
#define VIR_IP_ADDR_TYPE_IPV4 0
#define VIR_IP_ADDR_TYPE_IPV6 1
typedef enum {
    VIR_DOMAIN_GUEST_INFO_USERS = 1 << 0,
    VIR_DOMAIN_GUEST_INFO_OS = 1 << 1,
    VIR_DOMAIN_GUEST_INFO_TIMEZONE = 1 << 2,
    VIR_DOMAIN_GUEST_INFO_HOSTNAME = 1 << 3,
    VIR_DOMAIN_GUEST_INFO_FILESYSTEM = 1 << 4,
    VIR_DOMAIN_GUEST_INFO_DISKS = 1 << 5,
    VIR_DOMAIN_GUEST_INFO_INTERFACES = 1 << 6,
} virDomainGuestInfoTypes;
#define VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND (1 << 0)
#define VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE (1 << 1)
#define VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK (-2)
#define VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT (-1)
#define VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_NOWAIT 0
#define VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED 1
#define VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED 2
#define VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_UNKNOWN 0
#define VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_DOMAIN_STARTED 1
#define VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL 2

/* virDomainGetIOThreadInfo: one IOThread and the host CPUs it may run on */
typedef struct {
    unsigned int iothread_id;
    unsigned char *cpumap;
    int cpumaplen;
} virDomainIOThreadInfo;
#define VIR_DOMAIN_IOTHREAD_POLL_MAX_NS "poll_max_ns"
#define VIR_DOMAIN_IOTHREAD_POLL_GROW "poll_grow"
#define VIR_DOMAIN_IOTHREAD_POLL_SHRINK "poll_shrink"

/* virDomainSetBlockIoTune / virDomainGetBlockIoTune */
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC "total_bytes_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC "read_bytes_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC "write_bytes_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC "total_iops_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC "read_iops_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC "write_iops_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX "total_bytes_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX "read_bytes_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX "write_bytes_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX "total_iops_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX "read_iops_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX "write_iops_sec_max"
#define VIR_DOMAIN_BLOCK_IOTUNE_SIZE_IOPS_SEC "size_iops_sec"
#define VIR_DOMAIN_BLOCK_IOTUNE_GROUP_NAME "group_name"
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH "total_bytes_sec_max_length"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX_LENGTH "read_bytes_sec_max_length"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX_LENGTH "write_bytes_sec_max_length"
#define VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX_LENGTH "total_iops_sec_max_length"
#define VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX_LENGTH "read_iops_sec_max_length"
#define VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX_LENGTH "write_iops_sec_max_length"

/* virDomainGetFSInfo: one mounted file system of the guest */
typedef struct {
    char *mountpoint;
    char *name;                 /* its device in the guest */
    char *fstype;
    size_t ndevAlias;
    char **devAlias;            /* the domain's disks under it */
} virDomainFSInfo;

/* virDomainInterfaceAddresses: one interface and its addresses */
typedef struct {
    int type;                   /* VIR_IP_ADDR_TYPE_* */
    char *addr;
    unsigned int prefix;
} virDomainIPAddress;

typedef struct {
    char *name;
    char *hwaddr;               /* may be NULL */
    unsigned int naddrs;
    virDomainIPAddress *addrs;
} virDomainInterface;

/* virDomainSetUserPassword, virDomainSetLifecycleAction */
#define VIR_DOMAIN_PASSWORD_ENCRYPTED (1 << 0)
#define VIR_DOMAIN_LIFECYCLE_POWEROFF 0
#define VIR_DOMAIN_LIFECYCLE_REBOOT 1
#define VIR_DOMAIN_LIFECYCLE_CRASH 2
