/*
 * virerror.h: errors as values (code, domain, level, message, extras).
 *
 * Each thread has one "last error". A failing function reports an error and
 * returns -1/NULL; the caller either handles it or passes the failure up.
 * A new report replaces the thread's last error (as libvirt's clients
 * expect); code whose cleanup may report errors of its own keeps the cause
 * with virErrorPreserveLast()/virErrorRestore(). Codes and domains are
 * libvirt's numbers (wire facts): they travel in virNetMessageError and
 * clients interpret them.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <glib.h>

typedef enum {
    VIR_ERR_NONE = 0,
    VIR_ERR_WARNING = 1,
    VIR_ERR_ERROR = 2,
} virErrorLevel;

/* Error domains (the part of the system that raised the error). */
typedef enum {
    VIR_FROM_NONE = 0,
    VIR_FROM_XML = 5,
    VIR_FROM_DOM = 6,
    VIR_FROM_RPC = 7,
    VIR_FROM_CONF = 9,
    VIR_FROM_QEMU = 10,
    VIR_FROM_NET = 11,          /* libvirt's network device utilities (macvlan) */
    VIR_FROM_TEST = 12,
    VIR_FROM_REMOTE = 13,
    VIR_FROM_LXC = 17,
    VIR_FROM_STORAGE = 18,
    VIR_FROM_NETWORK = 19,
    VIR_FROM_DOMAIN = 20,
    VIR_FROM_NODEDEV = 22,
    VIR_FROM_SECURITY = 24,
    VIR_FROM_INTERFACE = 26,
    VIR_FROM_SECRET = 30,
    VIR_FROM_CPU = 31,
    VIR_FROM_NWFILTER = 33,
    VIR_FROM_DOMAIN_SNAPSHOT = 35,
    VIR_FROM_STREAMS = 38,
    VIR_FROM_EVENT = 40,
    VIR_FROM_URI = 45,
    VIR_FROM_AUTH = 46,
    VIR_FROM_CGROUP = 54,
    VIR_FROM_THREAD = 61,
    VIR_FROM_ADMIN = 62,
    VIR_FROM_LOGGING = 63,
    VIR_FROM_DOMAIN_CHECKPOINT = 69,
} virErrorDomain;

/* Error codes (what went wrong). */
typedef enum {
    VIR_ERR_OK = 0,
    VIR_ERR_INTERNAL_ERROR = 1,
    VIR_ERR_NO_MEMORY = 2,
    VIR_ERR_NO_SUPPORT = 3,
    VIR_ERR_UNKNOWN_HOST = 4,
    VIR_ERR_NO_CONNECT = 5,
    VIR_ERR_INVALID_CONN = 6,
    VIR_ERR_INVALID_DOMAIN = 7,
    VIR_ERR_INVALID_ARG = 8,
    VIR_ERR_OPERATION_FAILED = 9,
    VIR_ERR_OS_TYPE = 16,
    VIR_ERR_NO_SOURCE = 19,
    VIR_ERR_NO_TARGET = 20,
    VIR_ERR_NO_NAME = 21,
    VIR_ERR_NO_OS = 22,
    VIR_ERR_XML_ERROR = 27,
    VIR_ERR_DOM_EXIST = 28,
    VIR_ERR_OPERATION_DENIED = 29,
    VIR_ERR_OPEN_FAILED = 30,
    VIR_ERR_READ_FAILED = 31,
    VIR_ERR_PARSE_FAILED = 32,
    VIR_ERR_CONF_SYNTAX = 33,
    VIR_ERR_WRITE_FAILED = 34,
    VIR_ERR_XML_DETAIL = 35,
    VIR_ERR_INVALID_NETWORK = 36,
    VIR_ERR_NETWORK_EXIST = 37,
    VIR_ERR_SYSTEM_ERROR = 38,
    VIR_ERR_RPC = 39,
    VIR_ERR_GNUTLS_ERROR = 40,
    VIR_ERR_NO_DOMAIN = 42,
    VIR_ERR_NO_NETWORK = 43,
    VIR_ERR_INVALID_MAC = 44,
    VIR_ERR_AUTH_FAILED = 45,
    VIR_ERR_INVALID_STORAGE_POOL = 46,
    VIR_ERR_INVALID_STORAGE_VOL = 47,
    VIR_ERR_NO_STORAGE_POOL = 49,
    VIR_ERR_NO_STORAGE_VOL = 50,
    VIR_ERR_INVALID_NODE_DEVICE = 52,
    VIR_ERR_NO_NODE_DEVICE = 53,
    VIR_ERR_OPERATION_INVALID = 55,
    VIR_ERR_NO_INTERFACE = 57,
    VIR_ERR_INVALID_INTERFACE = 58,
    VIR_ERR_MULTIPLE_INTERFACES = 59,
    VIR_ERR_INVALID_SECRET = 65,
    VIR_ERR_NO_SECRET = 66,
    VIR_ERR_CONFIG_UNSUPPORTED = 67,
    VIR_ERR_OPERATION_TIMEOUT = 68,
    VIR_ERR_NO_DOMAIN_SNAPSHOT = 72,
    VIR_ERR_INVALID_STREAM = 73,
    VIR_ERR_ARGUMENT_UNSUPPORTED = 74,
    VIR_ERR_STORAGE_PROBE_FAILED = 75,
    VIR_ERR_STORAGE_POOL_BUILT = 76,
    VIR_ERR_SNAPSHOT_REVERT_RISKY = 77,
    VIR_ERR_OPERATION_ABORTED = 78,
    VIR_ERR_AUTH_CANCELLED = 79,
    VIR_ERR_NO_DOMAIN_METADATA = 80,
    VIR_ERR_OVERFLOW = 82,
    VIR_ERR_OPERATION_UNSUPPORTED = 84,
    VIR_ERR_RESOURCE_BUSY = 87,
    VIR_ERR_STORAGE_VOL_EXIST = 90,
    VIR_ERR_XML_INVALID_SCHEMA = 92,
    VIR_ERR_AUTH_UNAVAILABLE = 94,
    VIR_ERR_NO_SERVER = 95,
    VIR_ERR_NO_CLIENT = 96,
    VIR_ERR_NO_DOMAIN_CHECKPOINT = 103,
    VIR_ERR_AGENT_UNRESPONSIVE = 86,
    VIR_ERR_AGENT_UNSYNCED = 97,
    VIR_ERR_DEVICE_MISSING = 99,
    VIR_ERR_NO_HOSTNAME = 108,
} virErrorNumber;

typedef struct _virError virError;
struct _virError {
    int code;          /* virErrorNumber */
    int domain;        /* virErrorDomain */
    char *message;     /* human-readable, already prefixed for the code */
    int level;         /* virErrorLevel */
    char *str1;
    char *str2;
    char *str3;
    int int1;
    int int2;
};

/* Report an error in the calling thread. The message is formatted, then
 * prefixed by a short text for the code ("internal error: ...",
 * "Domain not found: ..."), as libvirt's clients expect to print it.
 * Every report replaces the thread's last error and is logged at debug
 * priority. */
void virErrorReportFull(int domain, int code, const char *file,
                        const char *func, size_t line,
                        const char *fmt, ...) G_GNUC_PRINTF(6, 7);
void virErrorReportSystemFull(int domain, int errnum, const char *file,
                              const char *func, size_t line,
                              const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* Each .c file defines VIR_FROM_THIS before using these. */
#define virReportError(code, ...) \
    virErrorReportFull(VIR_FROM_THIS, code, __FILE__, __func__, __LINE__, __VA_ARGS__)
#define virReportSystemError(errnum, ...) \
    virErrorReportSystemFull(VIR_FROM_THIS, errnum, __FILE__, __func__, __LINE__, __VA_ARGS__)

/* The calling thread's last error, or NULL. Owned by the thread. */
virError *virGetLastError(void);
/* Message of the last error, or "unknown error"; never NULL. */
const char *virGetLastErrorMessage(void);
int virGetLastErrorCode(void);
void virResetLastError(void);

/* Store a complete error (e.g. one decoded from the wire) as the calling
 * thread's last error, replacing any previous one. Strings are copied. */
void virErrorSetLast(const virError *err);

/* Save and restore around cleanup code that may report errors itself. */
virError *virErrorPreserveLast(void);
void virErrorRestore(virError **saved);

void virErrorCopy(virError *dst, const virError *src);
void virErrorClear(virError *err);
void virErrorFree(virError *err);

/* Short text for a code, as used in message prefixes ("internal error"). */
const char *virErrorCodeName(int code);
