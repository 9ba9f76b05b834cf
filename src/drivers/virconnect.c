/*
 * virconnect.c: connections and the public-style API over the driver
 * tables, see virconnect.h.
 *
 * Each entry point checks its arguments as libvirt's public API does
 * (VIR_ERR_INVALID_CONN / INVALID_DOMAIN / INVALID_ARG, same wording),
 * refuses modifying calls on a read-only connection
 * (VIR_ERR_OPERATION_DENIED), reports VIR_ERR_NO_SUPPORT naming the API
 * for a NULL table entry, and otherwise forwards to the driver. The last
 * error of the calling thread is reset on entry, as in libvirt.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <glib.h>

#include "virconnect.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

VIR_LOG_INIT("drivers.connect");

#define VIR_CONNECT_MAX_DRIVERS 16

static GMutex driversLock;
static const virConnectDriver *drivers[VIR_CONNECT_MAX_DRIVERS];
static size_t ndrivers;

void
virDriverReportInvalidArgFull(int domain, const char *file, const char *func, size_t line,
                              const char *argname, const char *fmt, ...)
{
    int saved = errno;
    virError err = { 0 };
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    err.code = VIR_ERR_INVALID_ARG;
    err.domain = domain;
    err.level = VIR_ERR_ERROR;
    err.message = msg;
    err.str1 = (char *)func;
    err.str2 = (char *)argname;
    virErrorSetLast(&err);
    VIR_DEBUG("error at %s:%zu (%s): domain=%d code=%d: %s", file, line, func, domain,
              VIR_ERR_INVALID_ARG, msg);
    errno = saved;
}

int
virConnectRegisterDriver(const virConnectDriver *driver)
{
    size_t i;

    if (!driver || !driver->name) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "driver in virConnectRegisterDriver must not be NULL");
        return -1;
    }
    g_mutex_lock(&driversLock);
    for (i = 0; i < ndrivers; i++) {
        if (drivers[i] == driver) {
            g_mutex_unlock(&driversLock);
            return 0;
        }
    }
    if (ndrivers == VIR_CONNECT_MAX_DRIVERS) {
        g_mutex_unlock(&driversLock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "too many drivers, cannot register %s",
                       driver->name);
        return -1;
    }
    drivers[ndrivers++] = driver;
    g_mutex_unlock(&driversLock);
    VIR_DEBUG("registered driver %s", driver->name);
    return 0;
}

/* ---- argument checks, libvirt's wording ---- */

#define CHECK_CONN(conn, ret) \
    do { \
        virResetLastError(); \
        if (!(conn) || !(conn)->driver) { \
            virReportError(VIR_ERR_INVALID_CONN, "%s", __func__); \
            return ret; \
        } \
    } while (0)

#define CHECK_DOMAIN(conn, dom, ret) \
    do { \
        CHECK_CONN(conn, ret); \
        if (!(dom) || !(dom)->name) { \
            virReportError(VIR_ERR_INVALID_DOMAIN, "%s", __func__); \
            return ret; \
        } \
    } while (0)

/* libvirt's virCheckNonNullArg / virCheckNonNegativeArg: no prefix */
#define CHECK_NONNULL(arg, ret) \
    do { \
        if (!(arg)) { \
            virDriverReportInvalidArg(arg, "%s in %s must not be NULL", #arg, __func__); \
            return ret; \
        } \
    } while (0)

#define CHECK_NONNEGATIVE(arg, ret) \
    do { \
        if ((arg) < 0) { \
            virDriverReportInvalidArg(arg, "%s in %s must be zero or greater", \
                                      #arg, __func__); \
            return ret; \
        } \
    } while (0)

#define CHECK_READONLY(conn, ret) \
    do { \
        if ((conn)->flags & VIR_CONNECT_RO) { \
            virReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s", __func__); \
            return ret; \
        } \
    } while (0)

#define NO_SUPPORT(ret) \
    do { \
        virReportError(VIR_ERR_NO_SUPPORT, "%s", __func__); \
        return ret; \
    } while (0)

/* Forward to a table entry, or NO_SUPPORT. */
#define FORWARD(conn, entry, ret, ...) \
    do { \
        if (!(conn)->driver->entry) \
            NO_SUPPORT(ret); \
        return (conn)->driver->entry(__VA_ARGS__); \
    } while (0)

/* The plain form of an API that has a ...Flags form: the driver's plain
 * entry, else its flags entry with no flags, as every driver's plain entry
 * would do. */
#define FORWARD_PLAIN(conn, entry, flagsEntry, ret, ...) \
    do { \
        if ((conn)->driver->entry) \
            return (conn)->driver->entry(__VA_ARGS__); \
        if ((conn)->driver->flagsEntry) \
            return (conn)->driver->flagsEntry(__VA_ARGS__, 0); \
        NO_SUPPORT(ret); \
    } while (0)

/* ---- connections ---- */

static bool
virConnectDriverHasScheme(const virConnectDriver *driver, const char *scheme)
{
    const char *const *s;

    for (s = driver->uriSchemes; s && *s; s++) {
        if (g_ascii_strcasecmp(*s, scheme) == 0)
            return true;
    }
    return false;
}

virConnect *
virConnectOpen(const char *uri, unsigned int flags)
{
    g_autofree char *defaultURI = NULL;
    g_autofree char *scheme = NULL;
    const virConnectDriver *list[VIR_CONNECT_MAX_DRIVERS];
    size_t n, i;
    const char *colon;

    virResetLastError();
    if (flags & ~VIR_CONNECT_RO) {
        virDriverReportInvalidArg(flags, "unsupported flags (0x%x) in function %s",
                                  flags & ~VIR_CONNECT_RO, __func__);
        return NULL;
    }

    g_mutex_lock(&driversLock);
    n = ndrivers;
    memcpy(list, drivers, n * sizeof(list[0]));
    g_mutex_unlock(&driversLock);

    if (!uri) {
        if (n == 0 || !list[0]->uriSchemes || !list[0]->uriSchemes[0]) {
            virErrorReportFull(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, __FILE__, __func__, __LINE__,
                               "%s", "");
            return NULL;
        }
        uri = defaultURI = g_strdup_printf("%s:///default", list[0]->uriSchemes[0]);
    }

    if (!(colon = strchr(uri, ':')) || colon == uri) {
        virErrorReportFull(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, __FILE__, __func__, __LINE__,
                           "%s", uri);
        return NULL;
    }
    scheme = g_strndup(uri, colon - uri);

    for (i = 0; i < n; i++) {
        virConnect *conn;
        virDrvOpenStatus rc;

        if (!virConnectDriverHasScheme(list[i], scheme) || !list[i]->connectOpen)
            continue;
        conn = g_new0(virConnect, 1);
        conn->refs = 1;
        conn->driver = list[i];
        conn->uri = g_strdup(uri);
        conn->flags = flags;
        rc = list[i]->connectOpen(conn, uri, flags);
        if (rc == VIR_DRV_OPEN_SUCCESS) {
            VIR_DEBUG("opened %s with driver %s: %p", uri, list[i]->name, conn);
            return conn;
        }
        g_free(conn->uri);
        g_free(conn);
        if (rc == VIR_DRV_OPEN_ERROR) {
            if (!virGetLastError())
                virReportError(VIR_ERR_OPEN_FAILED, "%s", uri);
            return NULL;
        }
    }
    virErrorReportFull(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, __FILE__, __func__, __LINE__,
                       "%s", uri);
    return NULL;
}

virConnect *
virConnectRef(virConnect *conn)
{
    CHECK_CONN(conn, NULL);
    g_atomic_int_inc(&conn->refs);
    return conn;
}

int
virConnectClose(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    if (!g_atomic_int_dec_and_test(&conn->refs))
        return 1;
    VIR_DEBUG("closing %p (%s)", conn, conn->uri);
    if (conn->driver->connectClose)
        conn->driver->connectClose(conn);
    g_free(conn->uri);
    g_free(conn);
    return 0;
}

const char *
virConnectGetType(virConnect *conn)
{
    const char *type;

    CHECK_CONN(conn, NULL);
    if (conn->driver->connectGetType && (type = conn->driver->connectGetType(conn)))
        return type;
    return conn->driver->name;
}

int
virConnectGetVersion(virConnect *conn, unsigned long long *hvVer)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNULL(hvVer, -1);
    FORWARD(conn, connectGetVersion, -1, conn, hvVer);
}

char *
virConnectGetHostname(virConnect *conn)
{
    CHECK_CONN(conn, NULL);
    FORWARD(conn, connectGetHostname, NULL, conn);
}

char *
virConnectGetURI(virConnect *conn)
{
    CHECK_CONN(conn, NULL);
    if (!conn->driver->connectGetURI)
        return g_strdup(conn->uri);
    return conn->driver->connectGetURI(conn);
}

char *
virConnectGetCapabilities(virConnect *conn)
{
    CHECK_CONN(conn, NULL);
    FORWARD(conn, connectGetCapabilities, NULL, conn);
}

char *
virConnectGetSysinfo(virConnect *conn, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    FORWARD(conn, connectGetSysinfo, NULL, conn, flags);
}

int
virConnectSupportsFeature(virConnect *conn, int feature)
{
    CHECK_CONN(conn, -1);
    if (!conn->driver->connectSupportsFeature)
        return 0;
    return conn->driver->connectSupportsFeature(conn, feature);
}

int
virConnectIsSecure(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD(conn, connectIsSecure, -1, conn);
}

int
virConnectIsEncrypted(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD(conn, connectIsEncrypted, -1, conn);
}

int
virConnectIsAlive(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD(conn, connectIsAlive, -1, conn);
}

int
virConnectGetMaxVcpus(virConnect *conn, const char *type)
{
    CHECK_CONN(conn, -1);
    FORWARD(conn, connectGetMaxVcpus, -1, conn, type);
}

int
virNodeGetInfo(virConnect *conn, virNodeInfo *info)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNULL(info, -1);
    FORWARD(conn, nodeGetInfo, -1, conn, info);
}

/* libvirt's virNodeGetFreeMemory returns the amount, 0 meaning failure:
 * a driver's 0 (libvirt's test driver on a node file) becomes libvirt's
 * generic error, which libvirtd sends as the call's error. */
int
virNodeGetFreeMemory(virConnect *conn, unsigned long long *freeMem)
{
    virError generic = {
        .code = VIR_ERR_INTERNAL_ERROR,
        .domain = VIR_FROM_NONE,
        .level = VIR_ERR_ERROR,
        .message = (char *)"An error occurred, but the cause is unknown",
    };

    CHECK_CONN(conn, -1);
    CHECK_NONNULL(freeMem, -1);
    *freeMem = 0;
    if (!conn->driver->nodeGetFreeMemory)
        NO_SUPPORT(-1);
    if (conn->driver->nodeGetFreeMemory(conn, freeMem) < 0)
        return -1;
    if (*freeMem == 0) {
        if (!virGetLastError())
            virErrorSetLast(&generic);
        return -1;
    }
    return 0;
}

int
virNodeGetSecurityModel(virConnect *conn, virSecurityModel *secmodel)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNULL(secmodel, -1);
    FORWARD(conn, nodeGetSecurityModel, -1, conn, secmodel);
}

/* ---- listing and lookup ---- */

int
virConnectNumOfDomains(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD(conn, connectNumOfDomains, -1, conn);
}

int
virConnectListDomains(virConnect *conn, int *ids, int maxids)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNEGATIVE(maxids, -1);
    if (maxids > 0)
        CHECK_NONNULL(ids, -1);
    FORWARD(conn, connectListDomains, -1, conn, ids, maxids);
}

int
virConnectNumOfDefinedDomains(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    FORWARD(conn, connectNumOfDefinedDomains, -1, conn);
}

int
virConnectListDefinedDomains(virConnect *conn, char **names, int maxnames)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNEGATIVE(maxnames, -1);
    if (maxnames > 0)
        CHECK_NONNULL(names, -1);
    FORWARD(conn, connectListDefinedDomains, -1, conn, names, maxnames);
}

int
virConnectListAllDomains(virConnect *conn, virDomainRef ***doms, unsigned int flags)
{
    virDomainRef **list = NULL;
    int ret;

    CHECK_CONN(conn, -1);
    if (doms)
        *doms = NULL;
    if (!conn->driver->connectListAllDomains)
        NO_SUPPORT(-1);
    ret = conn->driver->connectListAllDomains(conn, doms ? doms : &list, flags);
    virDomainRefListFree(list);
    return ret;
}

virDomainRef *
virDomainLookupByName(virConnect *conn, const char *name)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(name, NULL);
    FORWARD(conn, domainLookupByName, NULL, conn, name);
}

virDomainRef *
virDomainLookupByUUID(virConnect *conn, const unsigned char *uuid)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(uuid, NULL);
    FORWARD(conn, domainLookupByUUID, NULL, conn, uuid);
}

virDomainRef *
virDomainLookupByID(virConnect *conn, int id)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNEGATIVE(id, NULL);
    FORWARD(conn, domainLookupByID, NULL, conn, id);
}

/* ---- life cycle ---- */

virDomainRef *
virDomainDefineXML(virConnect *conn, const char *xml)
{
    CHECK_CONN(conn, NULL);
    CHECK_READONLY(conn, NULL);
    CHECK_NONNULL(xml, NULL);
    FORWARD_PLAIN(conn, domainDefineXML, domainDefineXMLFlags, NULL, conn, xml);
}

virDomainRef *
virDomainDefineXMLFlags(virConnect *conn, const char *xml, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_READONLY(conn, NULL);
    CHECK_NONNULL(xml, NULL);
    FORWARD(conn, domainDefineXMLFlags, NULL, conn, xml, flags);
}

virDomainRef *
virDomainCreateXML(virConnect *conn, const char *xmlDesc, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_READONLY(conn, NULL);
    CHECK_NONNULL(xmlDesc, NULL);
    FORWARD(conn, domainCreateXML, NULL, conn, xmlDesc, flags);
}

int
virDomainCreate(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_PLAIN(conn, domainCreate, domainCreateWithFlags, -1, conn, dom);
}

int
virDomainCreateWithFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainCreateWithFlags, -1, conn, dom, flags);
}

int
virDomainDestroy(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_PLAIN(conn, domainDestroy, domainDestroyFlags, -1, conn, dom);
}

int
virDomainDestroyFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainDestroyFlags, -1, conn, dom, flags);
}

int
virDomainShutdown(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_PLAIN(conn, domainShutdown, domainShutdownFlags, -1, conn, dom);
}

int
virDomainShutdownFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainShutdownFlags, -1, conn, dom, flags);
}

int
virDomainReboot(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainReboot, -1, conn, dom, flags);
}

int
virDomainSuspend(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSuspend, -1, conn, dom);
}

int
virDomainResume(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainResume, -1, conn, dom);
}

int
virDomainUndefine(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_PLAIN(conn, domainUndefine, domainUndefineFlags, -1, conn, dom);
}

int
virDomainUndefineFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainUndefineFlags, -1, conn, dom, flags);
}

/* ---- queries ---- */

int
virDomainGetInfo(virConnect *conn, const virDomainRef *dom, virDomainInfo *info)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(info, -1);
    memset(info, 0, sizeof(*info));
    FORWARD(conn, domainGetInfo, -1, conn, dom, info);
}

int
virDomainGetState(virConnect *conn, const virDomainRef *dom, int *state, int *reason,
                  unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(state, -1);
    FORWARD(conn, domainGetState, -1, conn, dom, state, reason, flags);
}

char *
virDomainGetXMLDesc(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, NULL);
    if ((conn->flags & VIR_CONNECT_RO) && (flags & VIR_DOMAIN_XML_SECURE)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "virDomainGetXMLDesc with secure flag");
        return NULL;
    }
    FORWARD(conn, domainGetXMLDesc, NULL, conn, dom, flags);
}

char *
virDomainGetOSType(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, NULL);
    FORWARD(conn, domainGetOSType, NULL, conn, dom);
}

unsigned long long
virDomainGetMaxMemory(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, 0);
    FORWARD(conn, domainGetMaxMemory, 0, conn, dom);
}

int
virDomainGetVcpusFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetVcpusFlags, -1, conn, dom, flags);
}

int
virDomainGetAutostart(virConnect *conn, const virDomainRef *dom, int *autostart)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(autostart, -1);
    FORWARD(conn, domainGetAutostart, -1, conn, dom, autostart);
}

int
virDomainSetAutostart(virConnect *conn, const virDomainRef *dom, int autostart)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetAutostart, -1, conn, dom, autostart);
}

int
virDomainIsActive(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainIsActive, -1, conn, dom);
}

int
virDomainIsPersistent(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainIsPersistent, -1, conn, dom);
}

int
virDomainIsUpdated(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainIsUpdated, -1, conn, dom);
}

int
virDomainHasManagedSaveImage(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainHasManagedSaveImage, -1, conn, dom, flags);
}

int
virDomainGetSecurityLabel(virConnect *conn, const virDomainRef *dom, virSecurityLabel *seclabel)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(seclabel, -1);
    FORWARD(conn, domainGetSecurityLabel, -1, conn, dom, seclabel);
}

/* ---- events ---- */

int
virConnectDomainEventRegister(virConnect *conn, virConnectDomainEventCallback cb,
                              void *opaque, virFreeCallback ff)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNULL(cb, -1);
    FORWARD(conn, connectDomainEventRegister, -1, conn, cb, opaque, ff);
}

int
virConnectDomainEventDeregister(virConnect *conn, virConnectDomainEventCallback cb)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNULL(cb, -1);
    FORWARD(conn, connectDomainEventDeregister, -1, conn, cb);
}

int
virConnectDomainEventRegisterAny(virConnect *conn, const virDomainRef *dom, int eventID,
                                 virConnectDomainEventGenericCallback cb,
                                 void *opaque, virFreeCallback ff)
{
    CHECK_CONN(conn, -1);
    if (dom && !dom->name) {
        virReportError(VIR_ERR_INVALID_DOMAIN, "%s", __func__);
        return -1;
    }
    CHECK_NONNULL(cb, -1);
    CHECK_NONNEGATIVE(eventID, -1);
    if (eventID >= VIR_DOMAIN_EVENT_ID_LAST) {
        virDriverReportInvalidArg(eventID, "eventID must be less than %d",
                                  VIR_DOMAIN_EVENT_ID_LAST);
        return -1;
    }
    FORWARD(conn, connectDomainEventRegisterAny, -1, conn, dom, eventID, cb, opaque, ff);
}

int
virConnectDomainEventDeregisterAny(virConnect *conn, int callbackID)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNEGATIVE(callbackID, -1);
    FORWARD(conn, connectDomainEventDeregisterAny, -1, conn, callbackID);
}


/* ---- streams ---- */

int
virDomainOpenConsole(virConnect *conn, const virDomainRef *dom, const char *dev_name,
                     virStream *st, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(st, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainOpenConsole, -1, conn, dom, dev_name, st, flags);
}

char *
virDomainScreenshot(virConnect *conn, const virDomainRef *dom, virStream *st,
                    unsigned int screen, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, NULL);
    CHECK_NONNULL(st, NULL);
    CHECK_READONLY(conn, NULL);
    FORWARD(conn, domainScreenshot, NULL, conn, dom, st, screen, flags);
}
