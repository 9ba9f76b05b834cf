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
};
