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

struct _virConnect {
    gint refs;
    const virConnectDriver *driver;
    void *privateData;       /* the driver's, set by connectOpen */
    char *uri;               /* as opened */
    unsigned int flags;      /* VIR_CONNECT_RO ... */
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
