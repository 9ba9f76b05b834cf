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
#include "virapicheck.h"
#include "virobjectdrivers.h"
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

/* ---- argument checks (virapicheck.h) ---- */

#define CHECK_DOMAIN(conn, dom, ret) CHECK_OBJECT(conn, dom, name, VIR_ERR_INVALID_DOMAIN, ret)

/* A snapshot or a checkpoint (virDomainMomentRef). */
#define CHECK_SNAPSHOT(conn, snap, ret) \
    do { \
        CHECK_DOMAIN(conn, (snap) ? &(snap)->dom : NULL, ret); \
        CHECK_NONNULL((snap)->name, ret); \
    } while (0)

/* Forward to a table entry, or NO_SUPPORT. */
#define FORWARD(conn, entry, ret, ...) FORWARD_TO((conn)->driver, entry, ret, __VA_ARGS__)

#define FORWARD_PLAIN(conn, entry, flagsEntry, ret, ...) \
    FORWARD_PLAIN_TO((conn)->driver, entry, flagsEntry, ret, __VA_ARGS__)

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

/* The URI's auto_answer parameter (libvirt's ESX driver's): 0 or 1. */
static int
virConnectParseAutoAnswer(const char *uri, bool *autoAnswer)
{
    const char *query = strchr(uri, '?');
    g_auto(GStrv) pairs = NULL;

    *autoAnswer = false;
    if (!query)
        return 0;
    pairs = g_strsplit(query + 1, "&", -1);
    for (size_t i = 0; pairs[i]; i++) {
        const char *eq = strchr(pairs[i], '=');
        g_autofree char *value = NULL;

        if (!eq || (size_t)(eq - pairs[i]) != strlen("auto_answer") ||
            g_ascii_strncasecmp(pairs[i], "auto_answer", eq - pairs[i]) != 0)
            continue;
        value = g_uri_unescape_string(eq + 1, NULL);
        if (!value || (strcmp(value, "0") != 0 && strcmp(value, "1") != 0)) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "Query parameter 'auto_answer' has unexpected value '%s' "
                           "(should be 0 or 1)", value ? value : eq + 1);
            return -1;
        }
        *autoAnswer = value[0] == '1';
    }
    return 0;
}

virConnect *
virConnectOpen(const char *uri, unsigned int flags)
{
    bool autoAnswer = false;
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
    if (virConnectParseAutoAnswer(uri, &autoAnswer) < 0)
        return NULL;

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
        conn->autoAnswer = autoAnswer;
        rc = list[i]->connectOpen(conn, uri, flags);
        if (rc == VIR_DRV_OPEN_SUCCESS && virObjectDriversAttach(conn) < 0) {
            virError *saved = virErrorPreserveLast();   /* Close resets it */

            virConnectClose(conn);
            virErrorRestore(&saved);
            return NULL;
        }
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
    virObjectDriversDetach(conn);
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

/* The four answers below are the same for every driver that runs inside
 * the daemon (test, LXC): a driver sets its entry only to answer otherwise.
 * Secure: the caller talks to the daemon, not over a network; encryption is
 * the transport's business (the remote program answers for it). */
int
virConnectSupportsFeature(virConnect *conn, int feature)
{
    CHECK_CONN(conn, -1);
    if (conn->driver->connectSupportsFeature)
        return conn->driver->connectSupportsFeature(conn, feature);
    switch (feature) {
    case VIR_DRV_FEATURE_FD_PASSING:
    case VIR_DRV_FEATURE_TYPED_PARAM_STRING:
    case VIR_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER:
        return 1;
    default:
        return 0;
    }
}

int
virConnectIsSecure(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    return conn->driver->connectIsSecure ? conn->driver->connectIsSecure(conn) : 1;
}

int
virConnectIsEncrypted(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    return conn->driver->connectIsEncrypted ? conn->driver->connectIsEncrypted(conn) : 0;
}

int
virConnectIsAlive(virConnect *conn)
{
    CHECK_CONN(conn, -1);
    return conn->driver->connectIsAlive ? conn->driver->connectIsAlive(conn) : 1;
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

/* libvirt's virDispatchError: a failure its driver gave no reason for
 * gets libvirt's generic error, which libvirtd sends as the call's. */
static void
virConnectSetGenericError(void)
{
    virError generic = {
        .code = VIR_ERR_INTERNAL_ERROR,
        .domain = VIR_FROM_NONE,
        .level = VIR_ERR_ERROR,
        .message = (char *)"An error occurred, but the cause is unknown",
    };

    if (!virGetLastError())
        virErrorSetLast(&generic);
}

char *
virConnectDomainXMLFromNative(virConnect *conn, const char *nativeFormat,
                              const char *nativeConfig, unsigned int flags)
{
    char *xml;

    CHECK_CONN(conn, NULL);
    CHECK_READONLY(conn, NULL);
    CHECK_NONNULL(nativeFormat, NULL);
    CHECK_NONNULL(nativeConfig, NULL);
    if (!conn->driver->connectDomainXMLFromNative)
        NO_SUPPORT(NULL);
    /* libvirt's LXC parser fails without a reason on some inputs (no
     * name, no root): the client sees the generic error, as from libvirt */
    if (!(xml = conn->driver->connectDomainXMLFromNative(conn, nativeFormat, nativeConfig,
                                                         flags)))
        virConnectSetGenericError();
    return xml;
}

/* libvirt's virNodeGetFreeMemory returns the amount, 0 meaning failure:
 * a driver's 0 (libvirt's test driver on a node file) becomes libvirt's
 * generic error. */
int
virNodeGetFreeMemory(virConnect *conn, unsigned long long *freeMem)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNULL(freeMem, -1);
    *freeMem = 0;
    if (!conn->driver->nodeGetFreeMemory)
        NO_SUPPORT(-1);
    if (conn->driver->nodeGetFreeMemory(conn, freeMem) < 0)
        return -1;
    if (*freeMem == 0) {
        virConnectSetGenericError();
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

/* ---- statistics, tuning, guest information ---- */

int
virDomainGetMaxVcpus(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetMaxVcpus, -1, conn, dom);
}

int
virDomainSetMaxMemory(virConnect *conn, const virDomainRef *dom, unsigned long memory)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetMaxMemory, -1, conn, dom, memory);
}

int
virDomainSetMemory(virConnect *conn, const virDomainRef *dom, unsigned long memory)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetMemory, -1, conn, dom, memory);
}

int
virDomainSetMemoryFlags(virConnect *conn, const virDomainRef *dom, unsigned long memory,
                        unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetMemoryFlags, -1, conn, dom, memory, flags);
}

int
virDomainSetMemoryParameters(virConnect *conn, const virDomainRef *dom,
                             virTypedParameter *params, int nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetMemoryParameters, -1, conn, dom, params, nparams, flags);
}

int
virDomainGetMemoryParameters(virConnect *conn, const virDomainRef *dom,
                             virTypedParameter *params, int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetMemoryParameters, -1, conn, dom, params, nparams, flags);
}

int
virDomainSetVcpus(virConnect *conn, const virDomainRef *dom, unsigned int nvcpus)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetVcpus, -1, conn, dom, nvcpus);
}

int
virDomainSetVcpusFlags(virConnect *conn, const virDomainRef *dom, unsigned int nvcpus,
                       unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetVcpusFlags, -1, conn, dom, nvcpus, flags);
}

int
virDomainGetVcpus(virConnect *conn, const virDomainRef *dom, virVcpuInfo *info, int maxinfo,
                  unsigned char *cpumaps, int maplen)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetVcpus, -1, conn, dom, info, maxinfo, cpumaps, maplen);
}

int
virDomainPinVcpu(virConnect *conn, const virDomainRef *dom, unsigned int vcpu,
                 const unsigned char *cpumap, int cpumaplen)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainPinVcpu, -1, conn, dom, vcpu, cpumap, cpumaplen);
}

int
virDomainPinVcpuFlags(virConnect *conn, const virDomainRef *dom, unsigned int vcpu,
                      const unsigned char *cpumap, int cpumaplen, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainPinVcpuFlags, -1, conn, dom, vcpu, cpumap, cpumaplen, flags);
}

int
virDomainGetVcpuPinInfo(virConnect *conn, const virDomainRef *dom, int ncpumaps,
                        unsigned char *cpumaps, int maplen, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetVcpuPinInfo, -1, conn, dom, ncpumaps, cpumaps, maplen, flags);
}

int
virDomainPinEmulator(virConnect *conn, const virDomainRef *dom, const unsigned char *cpumap,
                     int cpumaplen, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainPinEmulator, -1, conn, dom, cpumap, cpumaplen, flags);
}

int
virDomainGetEmulatorPinInfo(virConnect *conn, const virDomainRef *dom, unsigned char *cpumaps,
                            int maplen, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetEmulatorPinInfo, -1, conn, dom, cpumaps, maplen, flags);
}

char *
virDomainGetSchedulerType(virConnect *conn, const virDomainRef *dom, int *nparams)
{
    CHECK_DOMAIN(conn, dom, NULL);
    FORWARD(conn, domainGetSchedulerType, NULL, conn, dom, nparams);
}

int
virDomainGetSchedulerParameters(virConnect *conn, const virDomainRef *dom,
                                virTypedParameter *params, int *nparams)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetSchedulerParameters, -1, conn, dom, params, nparams);
}

int
virDomainGetSchedulerParametersFlags(virConnect *conn, const virDomainRef *dom,
                                     virTypedParameter *params, int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetSchedulerParametersFlags, -1, conn, dom, params, nparams, flags);
}

int
virDomainSetSchedulerParameters(virConnect *conn, const virDomainRef *dom,
                                virTypedParameter *params, int nparams)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetSchedulerParameters, -1, conn, dom, params, nparams);
}

int
virDomainSetSchedulerParametersFlags(virConnect *conn, const virDomainRef *dom,
                                     virTypedParameter *params, int nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetSchedulerParametersFlags, -1, conn, dom, params, nparams, flags);
}

int
virDomainBlockStats(virConnect *conn, const virDomainRef *dom, const char *path,
                    virDomainBlockStatsStruct *stats)
{
    CHECK_DOMAIN(conn, dom, -1);
    /* a counter the driver does not fill stays -1, as libvirt's API has it */
    memset(stats, 0xff, sizeof(*stats));
    FORWARD(conn, domainBlockStats, -1, conn, dom, path, stats);
}

int
virDomainInterfaceStats(virConnect *conn, const virDomainRef *dom, const char *device,
                        virDomainInterfaceStatsStruct *stats)
{
    CHECK_DOMAIN(conn, dom, -1);
    memset(stats, 0xff, sizeof(*stats));
    FORWARD(conn, domainInterfaceStats, -1, conn, dom, device, stats);
}

int
virDomainMemoryStats(virConnect *conn, const virDomainRef *dom,
                     virDomainMemoryStatStruct *stats, unsigned int maxStats, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    if (!stats || maxStats == 0)
        return 0;
    FORWARD(conn, domainMemoryStats, -1, conn, dom, stats, maxStats, flags);
}

int
virDomainGetBlockInfo(virConnect *conn, const virDomainRef *dom, const char *path,
                      virDomainBlockInfo *info, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetBlockInfo, -1, conn, dom, path, info, flags);
}

int
virDomainGetControlInfo(virConnect *conn, const virDomainRef *dom, virDomainControlInfo *info,
                        unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetControlInfo, -1, conn, dom, info, flags);
}

int
virDomainReset(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainReset, -1, conn, dom, flags);
}

char *
virDomainGetHostname(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, NULL);
    CHECK_READONLY(conn, NULL);
    FORWARD(conn, domainGetHostname, NULL, conn, dom, flags);
}

int
virDomainGetTime(virConnect *conn, const virDomainRef *dom, long long *seconds,
                 unsigned int *nseconds, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainGetTime, -1, conn, dom, seconds, nseconds, flags);
}

int
virDomainSetTime(virConnect *conn, const virDomainRef *dom, long long seconds,
                 unsigned int nseconds, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetTime, -1, conn, dom, seconds, nseconds, flags);
}

char *
virDomainGetMetadata(virConnect *conn, const virDomainRef *dom, int type, const char *uri,
                     unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, NULL);
    FORWARD(conn, domainGetMetadata, NULL, conn, dom, type, uri, flags);
}

int
virDomainSetMetadata(virConnect *conn, const virDomainRef *dom, int type, const char *metadata,
                     const char *key, const char *uri, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetMetadata, -1, conn, dom, type, metadata, key, uri, flags);
}

/* ---- devices ---- */

/* libvirt's checks of every device call: the domain, the XML, a
 * connection that may write. */
#define CHECK_DEVICE_CALL(conn, dom, xml) \
    do { \
        CHECK_DOMAIN(conn, dom, -1); \
        CHECK_NONNULL(xml, -1); \
        CHECK_READONLY(conn, -1); \
    } while (0)

int
virDomainAttachDevice(virConnect *conn, const virDomainRef *dom, const char *xml)
{
    CHECK_DEVICE_CALL(conn, dom, xml);
    FORWARD(conn, domainAttachDevice, -1, conn, dom, xml);
}

int
virDomainAttachDeviceFlags(virConnect *conn, const virDomainRef *dom, const char *xml,
                           unsigned int flags)
{
    CHECK_DEVICE_CALL(conn, dom, xml);
    FORWARD(conn, domainAttachDeviceFlags, -1, conn, dom, xml, flags);
}

int
virDomainDetachDevice(virConnect *conn, const virDomainRef *dom, const char *xml)
{
    CHECK_DEVICE_CALL(conn, dom, xml);
    FORWARD(conn, domainDetachDevice, -1, conn, dom, xml);
}

int
virDomainDetachDeviceFlags(virConnect *conn, const virDomainRef *dom, const char *xml,
                           unsigned int flags)
{
    CHECK_DEVICE_CALL(conn, dom, xml);
    FORWARD(conn, domainDetachDeviceFlags, -1, conn, dom, xml, flags);
}

int
virDomainUpdateDeviceFlags(virConnect *conn, const virDomainRef *dom, const char *xml,
                           unsigned int flags)
{
    CHECK_DEVICE_CALL(conn, dom, xml);
    FORWARD(conn, domainUpdateDeviceFlags, -1, conn, dom, xml, flags);
}

int
virNodeGetCellsFreeMemory(virConnect *conn, unsigned long long *cells, int startCell,
                          int maxcells)
{
    CHECK_CONN(conn, -1);
    /* as libvirt: a driver indexes its cells from startCell */
    CHECK_ARRAY(cells, maxcells, -1);
    CHECK_POSITIVE(maxcells, -1);
    CHECK_NONNEGATIVE(startCell, -1);
    FORWARD(conn, nodeGetCellsFreeMemory, -1, conn, cells, startCell, maxcells);
}

int
virNodeGetCPUStats(virConnect *conn, int cpuNum, virNodeCPUStats *params, int *nparams,
                   unsigned int flags)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNULL(nparams, -1);
    CHECK_NONNEGATIVE(*nparams, -1);
    if (cpuNum < 0 && cpuNum != VIR_NODE_CPU_STATS_ALL_CPUS) {
        virDriverReportInvalidArg(cpuNum, "cpuNum in %s only accepts %d as a negative value",
                                  __func__, VIR_NODE_CPU_STATS_ALL_CPUS);
        return -1;
    }
    FORWARD(conn, nodeGetCPUStats, -1, conn, cpuNum, params, nparams, flags);
}

int
virNodeGetCPUMap(virConnect *conn, unsigned char **cpumap, unsigned int *online,
                 unsigned int flags)
{
    CHECK_CONN(conn, -1);
    FORWARD(conn, nodeGetCPUMap, -1, conn, cpumap, online, flags);
}

int
virNodeGetFreePages(virConnect *conn, unsigned int npages, unsigned int *pages, int startCell,
                    unsigned int cellCount, unsigned long long *counts, unsigned int flags)
{
    CHECK_CONN(conn, -1);
    /* as libvirt: no pages or no cells is an error (a driver would loop
     * over cellCount cells filling nothing) */
    CHECK_NONZERO(npages, -1);
    CHECK_NONNULL(pages, -1);
    CHECK_NONZERO(cellCount, -1);
    CHECK_NONNULL(counts, -1);
    FORWARD(conn, nodeGetFreePages, -1, conn, npages, pages, startCell, cellCount, counts, flags);
}

int
virNodeGetMemoryStats(virConnect *conn, int cellNum, virNodeMemoryStats *params, int *nparams,
                      unsigned int flags)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNULL(nparams, -1);
    CHECK_NONNEGATIVE(*nparams, -1);
    if (cellNum < 0 && cellNum != VIR_NODE_MEMORY_STATS_ALL_CELLS) {
        virDriverReportInvalidArg(cellNum, "cellNum in %s only accepts %d as a negative value",
                                  __func__, VIR_NODE_MEMORY_STATS_ALL_CELLS);
        return -1;
    }
    FORWARD(conn, nodeGetMemoryStats, -1, conn, cellNum, params, nparams, flags);
}

int
virNodeGetMemoryParameters(virConnect *conn, virTypedParameter *params, int *nparams,
                           unsigned int flags)
{
    CHECK_CONN(conn, -1);
    CHECK_GET_PARAMS(params, nparams, -1);
    FORWARD(conn, nodeGetMemoryParameters, -1, conn, params, nparams, flags);
}

int
virNodeSetMemoryParameters(virConnect *conn, virTypedParameter *params, int nparams,
                           unsigned int flags)
{
    CHECK_CONN(conn, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(params, -1);
    CHECK_NONNEGATIVE(nparams, -1);
    FORWARD(conn, nodeSetMemoryParameters, -1, conn, params, nparams, flags);
}

int
virNodeAllocPages(virConnect *conn, unsigned int npages, unsigned int *pageSizes,
                  unsigned long long *pageCounts, int startCell, unsigned int cellCount,
                  unsigned int flags)
{
    CHECK_CONN(conn, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONZERO(npages, -1);
    CHECK_NONNULL(pageSizes, -1);
    CHECK_NONNULL(pageCounts, -1);
    CHECK_NONZERO(cellCount, -1);
    FORWARD(conn, nodeAllocPages, -1, conn, npages, pageSizes, pageCounts, startCell, cellCount,
            flags);
}

int
virNodeSuspendForDuration(virConnect *conn, unsigned int target, unsigned long long duration,
                          unsigned int flags)
{
    CHECK_CONN(conn, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, nodeSuspendForDuration, -1, conn, target, duration, flags);
}

int
virConnectGetAllDomainStats(virConnect *conn, const virDomainRef *doms, int ndoms,
                            unsigned int stats, virDomainStatsRecord ***retStats,
                            unsigned int flags)
{
    CHECK_CONN(conn, -1);
    CHECK_NONNULL(retStats, -1);
    FORWARD(conn, connectGetAllDomainStats, -1, conn, doms, ndoms, stats, retStats, flags);
}

virDomainSnapshotRef *
virDomainSnapshotCreateXML(virConnect *conn, const virDomainRef *dom,
                           const char *xmlDesc, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, NULL);
    CHECK_READONLY(conn, NULL);
    FORWARD(conn, domainSnapshotCreateXML, NULL, conn, dom, xmlDesc, flags);
}

char *
virDomainSnapshotGetXMLDesc(virConnect *conn, const virDomainSnapshotRef *snap,
                            unsigned int flags)
{
    CHECK_SNAPSHOT(conn, snap, NULL);
    FORWARD(conn, domainSnapshotGetXMLDesc, NULL, conn, snap, flags);
}

int
virDomainSnapshotNum(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainSnapshotNum, -1, conn, dom, flags);
}

int
virDomainSnapshotListNames(virConnect *conn, const virDomainRef *dom, char **names,
                           int maxnames, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainSnapshotListNames, -1, conn, dom, names, maxnames, flags);
}

int
virDomainListAllSnapshots(virConnect *conn, const virDomainRef *dom,
                          virDomainSnapshotRef ***snapshots, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainListAllSnapshots, -1, conn, dom, snapshots, flags);
}

int
virDomainSnapshotNumChildren(virConnect *conn, const virDomainSnapshotRef *snap,
                             unsigned int flags)
{
    CHECK_SNAPSHOT(conn, snap, -1);
    FORWARD(conn, domainSnapshotNumChildren, -1, conn, snap, flags);
}

int
virDomainSnapshotListChildrenNames(virConnect *conn, const virDomainSnapshotRef *snap,
                                   char **names, int maxnames, unsigned int flags)
{
    CHECK_SNAPSHOT(conn, snap, -1);
    FORWARD(conn, domainSnapshotListChildrenNames, -1, conn, snap, names, maxnames, flags);
}

int
virDomainSnapshotListAllChildren(virConnect *conn, const virDomainSnapshotRef *snapshot,
                                 virDomainSnapshotRef ***snapshots, unsigned int flags)
{
    CHECK_SNAPSHOT(conn, snapshot, -1);
    FORWARD(conn, domainSnapshotListAllChildren, -1, conn, snapshot, snapshots, flags);
}

virDomainSnapshotRef *
virDomainSnapshotLookupByName(virConnect *conn, const virDomainRef *dom,
                              const char *name, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, NULL);
    FORWARD(conn, domainSnapshotLookupByName, NULL, conn, dom, name, flags);
}

int
virDomainHasCurrentSnapshot(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainHasCurrentSnapshot, -1, conn, dom, flags);
}

virDomainSnapshotRef *
virDomainSnapshotGetParent(virConnect *conn,
                           const virDomainSnapshotRef *snap, unsigned int flags)
{
    CHECK_SNAPSHOT(conn, snap, NULL);
    FORWARD(conn, domainSnapshotGetParent, NULL, conn, snap, flags);
}

virDomainSnapshotRef *
virDomainSnapshotCurrent(virConnect *conn, const virDomainRef *dom,
                         unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, NULL);
    FORWARD(conn, domainSnapshotCurrent, NULL, conn, dom, flags);
}

int
virDomainSnapshotIsCurrent(virConnect *conn, const virDomainSnapshotRef *snap,
                           unsigned int flags)
{
    CHECK_SNAPSHOT(conn, snap, -1);
    FORWARD(conn, domainSnapshotIsCurrent, -1, conn, snap, flags);
}

int
virDomainSnapshotHasMetadata(virConnect *conn, const virDomainSnapshotRef *snap,
                             unsigned int flags)
{
    CHECK_SNAPSHOT(conn, snap, -1);
    FORWARD(conn, domainSnapshotHasMetadata, -1, conn, snap, flags);
}

int
virDomainRevertToSnapshot(virConnect *conn, const virDomainSnapshotRef *snap,
                          unsigned int flags)
{
    CHECK_SNAPSHOT(conn, snap, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainRevertToSnapshot, -1, conn, snap, flags);
}

int
virDomainSnapshotDelete(virConnect *conn, const virDomainSnapshotRef *snap, unsigned int flags)
{
    CHECK_SNAPSHOT(conn, snap, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSnapshotDelete, -1, conn, snap, flags);
}

/* libvirt's VIR_EXCLUSIVE_FLAGS (exclusive: a and b not both) and
 * VIR_REQUIRE_FLAG (a needs b) checks; false with the error reported. */
static bool
virConnectCheckFlagPair(unsigned int flags, unsigned int a, const char *aName, unsigned int b,
                        const char *bName, bool exclusive)
{
    if (exclusive && (flags & a) && (flags & b)) {
        virDriverReportInvalidArg(ctl, "Flags '%s' and '%s' are mutually exclusive", aName, bName);
        return false;
    }
    if (!exclusive && (flags & a) && !(flags & b)) {
        virDriverReportInvalidArg(ctl, "Flag '%s' is required by flag '%s'", bName, aName);
        return false;
    }
    return true;
}

virDomainCheckpointRef *
virDomainCheckpointCreateXML(virConnect *conn, const virDomainRef *dom, const char *xmlDesc,
                             unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, NULL);
    CHECK_NONNULL(xmlDesc, NULL);
    CHECK_READONLY(conn, NULL);
    if (!virConnectCheckFlagPair(flags, VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE,
                                 "VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE",
                                 VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE,
                                 "VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE", true) ||
        !virConnectCheckFlagPair(flags, VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE,
                                 "VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE",
                                 VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE,
                                 "VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE", false))
        return NULL;
    FORWARD(conn, domainCheckpointCreateXML, NULL, conn, dom, xmlDesc, flags);
}

char *
virDomainCheckpointGetXMLDesc(virConnect *conn, const virDomainCheckpointRef *checkpoint,
                              unsigned int flags)
{
    CHECK_SNAPSHOT(conn, checkpoint, NULL);
    if ((conn->flags & VIR_CONNECT_RO) && (flags & VIR_DOMAIN_CHECKPOINT_XML_SECURE)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "virDomainCheckpointGetXMLDesc with secure flag");
        return NULL;
    }
    FORWARD(conn, domainCheckpointGetXMLDesc, NULL, conn, checkpoint, flags);
}

int
virDomainListAllCheckpoints(virConnect *conn, const virDomainRef *dom,
                            virDomainCheckpointRef ***checkpoints, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainListAllCheckpoints, -1, conn, dom, checkpoints, flags);
}

int
virDomainCheckpointListAllChildren(virConnect *conn, const virDomainCheckpointRef *checkpoint,
                                   virDomainCheckpointRef ***checkpoints, unsigned int flags)
{
    CHECK_SNAPSHOT(conn, checkpoint, -1);
    FORWARD(conn, domainCheckpointListAllChildren, -1, conn, checkpoint, checkpoints, flags);
}

virDomainCheckpointRef *
virDomainCheckpointLookupByName(virConnect *conn, const virDomainRef *dom, const char *name,
                                unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, NULL);
    CHECK_NONNULL(name, NULL);
    FORWARD(conn, domainCheckpointLookupByName, NULL, conn, dom, name, flags);
}

virDomainCheckpointRef *
virDomainCheckpointGetParent(virConnect *conn, const virDomainCheckpointRef *checkpoint,
                             unsigned int flags)
{
    CHECK_SNAPSHOT(conn, checkpoint, NULL);
    FORWARD(conn, domainCheckpointGetParent, NULL, conn, checkpoint, flags);
}

int
virDomainCheckpointDelete(virConnect *conn, const virDomainCheckpointRef *checkpoint,
                          unsigned int flags)
{
    CHECK_SNAPSHOT(conn, checkpoint, -1);
    CHECK_READONLY(conn, -1);
    if (!virConnectCheckFlagPair(flags, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN,
                                 "VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN",
                                 VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY,
                                 "VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY", true))
        return -1;
    FORWARD(conn, domainCheckpointDelete, -1, conn, checkpoint, flags);
}

int
virDomainManagedSave(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainManagedSave, -1, conn, dom, flags);
}

int
virDomainManagedSaveRemove(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainManagedSaveRemove, -1, conn, dom, flags);
}

int
virDomainInjectNMI(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainInjectNMI, -1, conn, dom, flags);
}

int
virDomainBlockStatsFlags(virConnect *conn, const virDomainRef *dom, const char *path,
                         virTypedParameter *params, int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainBlockStatsFlags, -1, conn, dom, path, params, nparams, flags);
}

int
virDomainPMSuspendForDuration(virConnect *conn, const virDomainRef *dom, unsigned int target,
                              unsigned long long duration, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainPMSuspendForDuration, -1, conn, dom, target, duration, flags);
}

int
virDomainPMWakeup(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainPMWakeup, -1, conn, dom, flags);
}

int
virDomainGetCPUStats(virConnect *conn, const virDomainRef *dom, virTypedParameter *params,
                     unsigned int nparams, int start_cpu, unsigned int ncpus, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetCPUStats, -1, conn, dom, params, nparams, start_cpu, ncpus, flags);
}

int
virDomainGetDiskErrors(virConnect *conn, const virDomainRef *dom, virDomainDiskError *errors,
                       unsigned int maxerrors, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetDiskErrors, -1, conn, dom, errors, maxerrors, flags);
}

int
virDomainRename(virConnect *conn, const virDomainRef *dom, const char *new_name,
                unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainRename, -1, conn, dom, new_name, flags);
}

int
virDomainSetUserPassword(virConnect *conn, const virDomainRef *dom, const char *user,
                         const char *password, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetUserPassword, -1, conn, dom, user, password, flags);
}

int
virDomainGetLaunchSecurityInfo(virConnect *conn, const virDomainRef *dom,
                               virTypedParameter **params, int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainGetLaunchSecurityInfo, -1, conn, dom, params, nparams, flags);
}

int
virDomainSetLifecycleAction(virConnect *conn, const virDomainRef *dom, unsigned int type,
                            unsigned int action, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetLifecycleAction, -1, conn, dom, type, action, flags);
}

int
virDomainGetFSInfo(virConnect *conn, const virDomainRef *dom, virDomainFSInfo ***info,
                   unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(info, -1);
    *info = NULL;
    FORWARD(conn, domainGetFSInfo, -1, conn, dom, info, flags);
}

int
virDomainInterfaceAddresses(virConnect *conn, const virDomainRef *dom,
                            virDomainInterface ***ifaces, unsigned int source, unsigned int flags)
{
    if (ifaces)
        *ifaces = NULL;
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(ifaces, -1);
    /* only the agent source asks the guest: not on a read-only connection */
    if (source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT)
        CHECK_READONLY(conn, -1);
    FORWARD(conn, domainInterfaceAddresses, -1, conn, dom, ifaces, source, flags);
}

int
virDomainGetGuestInfo(virConnect *conn, const virDomainRef *dom, unsigned int types,
                      virTypedParameter **params, int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(params, -1);
    CHECK_NONNULL(nparams, -1);
    FORWARD(conn, domainGetGuestInfo, -1, conn, dom, types, params, nparams, flags);
}

int
virDomainAuthorizedSSHKeysGet(virConnect *conn, const virDomainRef *dom, const char *user,
                              char ***keys, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(user, -1);
    CHECK_NONNULL(keys, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainAuthorizedSSHKeysGet, -1, conn, dom, user, keys, flags);
}

int
virDomainAuthorizedSSHKeysSet(virConnect *conn, const virDomainRef *dom, const char *user,
                              const char **keys, unsigned int nkeys, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(user, -1);
    if (flags & (VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND |
                 VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE))
        CHECK_NONNULL(keys, -1);
    CHECK_EXCLUSIVE_FLAGS(flags, VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND,
                          VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainAuthorizedSSHKeysSet, -1, conn, dom, user, keys, nkeys, flags);
}

int
virDomainGetGuestVcpus(virConnect *conn, const virDomainRef *dom, virTypedParameter **params,
                       unsigned int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(params, -1);
    CHECK_NONNULL(nparams, -1);
    FORWARD(conn, domainGetGuestVcpus, -1, conn, dom, params, nparams, flags);
}

int
virDomainSetGuestVcpus(virConnect *conn, const virDomainRef *dom, const char *cpumap, int state,
                       unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(cpumap, -1);
    FORWARD(conn, domainSetGuestVcpus, -1, conn, dom, cpumap, state, flags);
}

int
virDomainAgentSetResponseTimeout(virConnect *conn, const virDomainRef *dom, int timeout,
                                 unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainAgentSetResponseTimeout, -1, conn, dom, timeout, flags);
}

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

/* ---- Save, restore, core dumps, jobs ---------------------------------- */

int
virDomainSave(virConnect *conn, const virDomainRef *dom, const char *to)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(to, -1);
    if (conn->driver->domainSave)
        return conn->driver->domainSave(conn, dom, to);
    FORWARD(conn, domainSaveFlags, -1, conn, dom, to, NULL, 0);
}

int
virDomainSaveFlags(virConnect *conn, const virDomainRef *dom, const char *to, const char *dxml,
                   unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(to, -1);
    FORWARD(conn, domainSaveFlags, -1, conn, dom, to, dxml, flags);
}

int
virDomainRestore(virConnect *conn, const char *from)
{
    CHECK_CONN(conn, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(from, -1);
    if (conn->driver->domainRestore)
        return conn->driver->domainRestore(conn, from);
    FORWARD(conn, domainRestoreFlags, -1, conn, from, NULL, 0);
}

int
virDomainRestoreFlags(virConnect *conn, const char *from, const char *dxml, unsigned int flags)
{
    CHECK_CONN(conn, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(from, -1);
    FORWARD(conn, domainRestoreFlags, -1, conn, from, dxml, flags);
}

char *
virDomainSaveImageGetXMLDesc(virConnect *conn, const char *file, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(file, NULL);
    if ((conn->flags & VIR_CONNECT_RO) && (flags & VIR_DOMAIN_SAVE_IMAGE_XML_SECURE)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "virDomainSaveImageGetXMLDesc with secure flag");
        return NULL;
    }
    FORWARD(conn, domainSaveImageGetXMLDesc, NULL, conn, file, flags);
}

int
virDomainSaveImageDefineXML(virConnect *conn, const char *file, const char *dxml,
                            unsigned int flags)
{
    CHECK_CONN(conn, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(file, -1);
    CHECK_NONNULL(dxml, -1);
    FORWARD(conn, domainSaveImageDefineXML, -1, conn, file, dxml, flags);
}

int
virDomainCoreDump(virConnect *conn, const virDomainRef *dom, const char *to, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(to, -1);
    if (conn->driver->domainCoreDump)
        return conn->driver->domainCoreDump(conn, dom, to, flags);
    FORWARD(conn, domainCoreDumpWithFormat, -1, conn, dom, to,
            VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, flags);
}

int
virDomainCoreDumpWithFormat(virConnect *conn, const virDomainRef *dom, const char *to,
                            unsigned int dumpformat, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(to, -1);
    FORWARD(conn, domainCoreDumpWithFormat, -1, conn, dom, to, dumpformat, flags);
}

char *
virDomainManagedSaveGetXMLDesc(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, NULL);
    if ((conn->flags & VIR_CONNECT_RO) && (flags & VIR_DOMAIN_SAVE_IMAGE_XML_SECURE)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "virDomainManagedSaveGetXMLDesc with secure flag");
        return NULL;
    }
    FORWARD(conn, domainManagedSaveGetXMLDesc, NULL, conn, dom, flags);
}

int
virDomainManagedSaveDefineXML(virConnect *conn, const virDomainRef *dom, const char *dxml,
                              unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainManagedSaveDefineXML, -1, conn, dom, dxml, flags);
}

int
virDomainGetJobInfo(virConnect *conn, const virDomainRef *dom, virDomainJobInfo *info)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(info, -1);
    memset(info, 0, sizeof(*info));
    FORWARD(conn, domainGetJobInfo, -1, conn, dom, info);
}

int
virDomainGetJobStats(virConnect *conn, const virDomainRef *dom, int *type,
                     virTypedParameter **params, int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(type, -1);
    CHECK_NONNULL(params, -1);
    CHECK_NONNULL(nparams, -1);
    if ((flags & VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED) &&
        !(flags & VIR_DOMAIN_JOB_STATS_COMPLETED)) {
        virDriverReportInvalidArg(flags, "%s",
                                  "flags 'VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED' requires "
                                  "'VIR_DOMAIN_JOB_STATS_COMPLETED'");
        return -1;
    }
    FORWARD(conn, domainGetJobStats, -1, conn, dom, type, params, nparams, flags);
}

int
virDomainAbortJob(virConnect *conn, const virDomainRef *dom)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD_PLAIN(conn, domainAbortJob, domainAbortJobFlags, -1, conn, dom);
}

int
virDomainAbortJobFlags(virConnect *conn, const virDomainRef *dom, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainAbortJobFlags, -1, conn, dom, flags);
}

/* The save parameters: "file" and "dxml", strings, each at most once
 * (either may be absent: NULL). */
static int
virDomainSaveParamsRead(const virTypedParameter *params, int nparams, const char **file,
                        const char **dxml)
{
    static const virTypedParamsKey keys[] = {
        { VIR_DOMAIN_SAVE_PARAM_FILE, VIR_TYPED_PARAM_STRING },
        { VIR_DOMAIN_SAVE_PARAM_DXML, VIR_TYPED_PARAM_STRING },
    };
    const virTypedParameter *p;

    if (virTypedParamsValidate(params, nparams, keys, G_N_ELEMENTS(keys)) < 0)
        return -1;
    p = virTypedParamsGet(params, nparams, VIR_DOMAIN_SAVE_PARAM_FILE);
    *file = p ? p->value.s : NULL;
    p = virTypedParamsGet(params, nparams, VIR_DOMAIN_SAVE_PARAM_DXML);
    *dxml = p ? p->value.s : NULL;
    return 0;
}

int
virDomainSaveParams(virConnect *conn, const virDomainRef *dom, virTypedParameter *params,
                    int nparams, unsigned int flags)
{
    const char *file, *dxml;

    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    if (virDomainSaveParamsRead(params, nparams, &file, &dxml) < 0)
        return -1;
    if (file)
        FORWARD(conn, domainSaveFlags, -1, conn, dom, file, dxml, flags);
    if (dxml) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "a new definition for a managed save is not supported");
        return -1;
    }
    FORWARD(conn, domainManagedSave, -1, conn, dom, flags);
}

int
virDomainRestoreParams(virConnect *conn, virTypedParameter *params, int nparams,
                       unsigned int flags)
{
    const char *file, *dxml;

    CHECK_CONN(conn, -1);
    CHECK_READONLY(conn, -1);
    if (virDomainSaveParamsRead(params, nparams, &file, &dxml) < 0)
        return -1;
    if (!file) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "missing path to restore from");
        return -1;
    }
    FORWARD(conn, domainRestoreFlags, -1, conn, file, dxml, flags);
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

/* ---- block I/O tuning ---- */

int
virDomainSetBlkioParameters(virConnect *conn, const virDomainRef *dom,
                            virTypedParameter *params, int nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSetBlkioParameters, -1, conn, dom, params, nparams, flags);
}

int
virDomainGetBlkioParameters(virConnect *conn, const virDomainRef *dom,
                            virTypedParameter *params, int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    FORWARD(conn, domainGetBlkioParameters, -1, conn, dom, params, nparams, flags);
}


/* ---- NUMA memory tuning ---- */

int
virDomainSetNumaParameters(virConnect *conn, const virDomainRef *dom,
                           virTypedParameter *params, int nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_SET_PARAMS(conn, params, nparams, -1);
    FORWARD(conn, domainSetNumaParameters, -1, conn, dom, params, nparams, flags);
}

int
virDomainGetNumaParameters(virConnect *conn, const virDomainRef *dom,
                           virTypedParameter *params, int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_GET_PARAMS(params, nparams, -1);
    FORWARD(conn, domainGetNumaParameters, -1, conn, dom, params, nparams, flags);
}


/* ---- interface bandwidth ---- */

int
virDomainSetInterfaceParameters(virConnect *conn, const virDomainRef *dom, const char *device,
                                virTypedParameter *params, int nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_SET_PARAMS(conn, params, nparams, -1);
    FORWARD(conn, domainSetInterfaceParameters, -1, conn, dom, device, params, nparams, flags);
}

int
virDomainGetInterfaceParameters(virConnect *conn, const virDomainRef *dom, const char *device,
                                virTypedParameter *params, int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_GET_PARAMS(params, nparams, -1);
    FORWARD(conn, domainGetInterfaceParameters, -1, conn, dom, device, params, nparams, flags);
}


/* ---- IOThreads and block I/O tuning ---- */

int
virDomainGetIOThreadInfo(virConnect *conn, const virDomainRef *dom,
                         virDomainIOThreadInfo ***info, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(info, -1);
    *info = NULL;
    FORWARD(conn, domainGetIOThreadInfo, -1, conn, dom, info, flags);
}

int
virDomainPinIOThread(virConnect *conn, const virDomainRef *dom, unsigned int iothread_id,
                     const unsigned char *cpumap, int cpumaplen, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(cpumap, -1);
    CHECK_POSITIVE(cpumaplen, -1);
    FORWARD(conn, domainPinIOThread, -1, conn, dom, iothread_id, cpumap, cpumaplen, flags);
}

int
virDomainAddIOThread(virConnect *conn, const virDomainRef *dom, unsigned int iothread_id,
                     unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainAddIOThread, -1, conn, dom, iothread_id, flags);
}

int
virDomainDelIOThread(virConnect *conn, const virDomainRef *dom, unsigned int iothread_id,
                     unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONZERO(iothread_id, -1);
    FORWARD(conn, domainDelIOThread, -1, conn, dom, iothread_id, flags);
}

int
virDomainSetIOThreadParams(virConnect *conn, const virDomainRef *dom, unsigned int iothread_id,
                           virTypedParameter *params, int nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_SET_PARAMS(conn, params, nparams, -1);
    if (!conn->driver->domainSetIOThreadParams)
        NO_SUPPORT(-1);
    /* libvirt's test driver fails without a reason for an IOThread that
     * has no polling values */
    if (conn->driver->domainSetIOThreadParams(conn, dom, iothread_id, params, nparams,
                                              flags) < 0) {
        virConnectSetGenericError();
        return -1;
    }
    return 0;
}

int
virDomainSetBlockIoTune(virConnect *conn, const virDomainRef *dom, const char *disk,
                        virTypedParameter *params, int nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(disk, -1);
    CHECK_POSITIVE(nparams, -1);
    CHECK_NONNULL(params, -1);
    FORWARD(conn, domainSetBlockIoTune, -1, conn, dom, disk, params, nparams, flags);
}

int
virDomainGetBlockIoTune(virConnect *conn, const virDomainRef *dom, const char *disk,
                        virTypedParameter *params, int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_GET_PARAMS(params, nparams, -1);
    if (*nparams != 0)
        CHECK_NONNULL(disk, -1);
    FORWARD(conn, domainGetBlockIoTune, -1, conn, dom, disk, params, nparams, flags);
}


/* ---- the balloon's statistics period, perf events, signals ---- */

int
virDomainSetMemoryStatsPeriod(virConnect *conn, const virDomainRef *dom, int period,
                              unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNEGATIVE(period, -1);
    FORWARD(conn, domainSetMemoryStatsPeriod, -1, conn, dom, period, flags);
}

int
virDomainGetPerfEvents(virConnect *conn, const virDomainRef *dom,
                       virTypedParameter **params, int *nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(params, -1);
    CHECK_NONNULL(nparams, -1);
    FORWARD(conn, domainGetPerfEvents, -1, conn, dom, params, nparams, flags);
}

int
virDomainSetPerfEvents(virConnect *conn, const virDomainRef *dom,
                       virTypedParameter *params, int nparams, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_SET_PARAMS(conn, params, nparams, -1);
    FORWARD(conn, domainSetPerfEvents, -1, conn, dom, params, nparams, flags);
}

int
virDomainSendProcessSignal(virConnect *conn, const virDomainRef *dom, long long pid_value,
                           unsigned int signum, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONZERO(pid_value, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainSendProcessSignal, -1, conn, dom, pid_value, signum, flags);
}


/* ---- keys, memory, messages, creation with files, CPU models ---- */

int
virDomainSendKey(virConnect *conn, const virDomainRef *dom, unsigned int codeset,
                 unsigned int holdtime, const unsigned int *keycodes, int nkeycodes,
                 unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_NONNULL(keycodes, -1);
    CHECK_POSITIVE(nkeycodes, -1);
    if (codeset >= VIR_KEYCODE_SET_LAST) {
        virDriverReportInvalidArg(codeset, "Unsupported codeset '%d'", (int)codeset);
        return -1;
    }
    if (nkeycodes > VIR_DOMAIN_SEND_KEY_MAX_KEYS) {
        virDriverReportInvalidArg(nkeycodes, "nkeycodes must be <= %d",
                                  VIR_DOMAIN_SEND_KEY_MAX_KEYS);
        return -1;
    }
    FORWARD(conn, domainSendKey, -1, conn, dom, codeset, holdtime, keycodes, nkeycodes, flags);
}

int
virDomainMemoryPeek(virConnect *conn, const virDomainRef *dom, unsigned long long start,
                    size_t size, void *buffer, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_EXCLUSIVE_FLAGS(flags, VIR_MEMORY_VIRTUAL, VIR_MEMORY_PHYSICAL, -1);
    /* size 0 tests the access */
    if (size > 0)
        CHECK_NONNULL(buffer, -1);
    FORWARD(conn, domainMemoryPeek, -1, conn, dom, start, size, buffer, flags);
}

int
virDomainGetMessages(virConnect *conn, const virDomainRef *dom, char ***msgs,
                     unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(msgs, -1);
    FORWARD(conn, domainGetMessages, -1, conn, dom, msgs, flags);
}

/* Files need a driver that takes descriptors (libvirt asks the feature). */
static int
virConnectCheckFiles(virConnect *conn, unsigned int nfiles)
{
    int rc;

    if (nfiles == 0)
        return 0;
    if ((rc = virConnectSupportsFeature(conn, VIR_DRV_FEATURE_FD_PASSING)) > 0)
        return 0;
    if (rc == 0)
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "fd passing is not supported by this connection");
    return -1;
}

virDomainRef *
virDomainCreateXMLWithFiles(virConnect *conn, const char *xmlDesc, unsigned int nfiles,
                            const int *files, unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    CHECK_NONNULL(xmlDesc, NULL);
    CHECK_READONLY(conn, NULL);
    if (virConnectCheckFiles(conn, nfiles) < 0)
        return NULL;
    FORWARD(conn, domainCreateXMLWithFiles, NULL, conn, xmlDesc, nfiles, files, flags);
}

int
virDomainCreateWithFiles(virConnect *conn, const virDomainRef *dom, unsigned int nfiles,
                         const int *files, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    if (virConnectCheckFiles(conn, nfiles) < 0)
        return -1;
    FORWARD(conn, domainCreateWithFiles, -1, conn, dom, nfiles, files, flags);
}

int
virConnectGetCPUModelNames(virConnect *conn, const char *arch, char ***models,
                           unsigned int flags)
{
    if (models)
        *models = NULL;
    CHECK_CONN(conn, -1);
    CHECK_NONNULL(arch, -1);
    FORWARD(conn, connectGetCPUModelNames, -1, conn, arch, models, flags);
}

char *
virConnectBaselineCPU(virConnect *conn, const char **xmlCPUs, unsigned int nxmlCPUs,
                      unsigned int flags)
{
    CHECK_CONN(conn, NULL);
    FORWARD(conn, connectBaselineCPU, NULL, conn, xmlCPUs, nxmlCPUs, flags);
}


/* ---- the guest's filesystems ---- */

/* libvirt's checks of a mount point list: given with its count, or
 * neither (every filesystem). */
#define CHECK_MOUNTPOINTS(mountpoints, nmountpoints, ret) \
    do { \
        if (nmountpoints) { \
            CHECK_NONNULL(mountpoints, ret); \
        } else if (mountpoints) { \
            virDriverReportInvalidArg(mountpoints, "mountpoints in %s must be NULL", __func__); \
            return ret; \
        } \
    } while (0)

int
virDomainFSFreeze(virConnect *conn, const virDomainRef *dom, const char **mountpoints,
                  unsigned int nmountpoints, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_MOUNTPOINTS(mountpoints, nmountpoints, -1);
    FORWARD(conn, domainFSFreeze, -1, conn, dom, mountpoints, nmountpoints, flags);
}

int
virDomainFSThaw(virConnect *conn, const virDomainRef *dom, const char **mountpoints,
                unsigned int nmountpoints, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    CHECK_MOUNTPOINTS(mountpoints, nmountpoints, -1);
    FORWARD(conn, domainFSThaw, -1, conn, dom, mountpoints, nmountpoints, flags);
}

int
virDomainFSTrim(virConnect *conn, const virDomainRef *dom, const char *mountPoint,
                unsigned long long minimum, unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainFSTrim, -1, conn, dom, mountPoint, minimum, flags);
}

/* libvirt-lxc.c reports from no error domain (its read-only refusal and its
 * "not supported" too). */
#undef VIR_FROM_THIS
#define VIR_FROM_THIS VIR_FROM_NONE

int
virDomainLxcOpenNamespace(virConnect *conn, const virDomainRef *dom, int **fdlist,
                          unsigned int flags)
{
    CHECK_DOMAIN(conn, dom, -1);
    CHECK_NONNULL(fdlist, -1);
    *fdlist = NULL;
    CHECK_READONLY(conn, -1);
    FORWARD(conn, domainLxcOpenNamespace, -1, conn, dom, fdlist, flags);
}
