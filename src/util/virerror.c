/*
 * virerror.c: per-thread last error.
 *
 * Ownership: each thread owns its last error (a GPrivate whose destructor
 * frees it when the thread exits, so worker threads do not leak). Callers
 * get borrowed pointers (virGetLastError) or owned copies
 * (virErrorPreserveLast, freed by virErrorRestore/virErrorFree).
 * Locking: none; nothing here is shared between threads.
 *
 * A report always replaces the thread's previous error: that is what
 * libvirt's clients expect; code that must keep the first cause across
 * cleanup brackets the cleanup with virErrorPreserveLast/virErrorRestore.
 */
#include <errno.h>
#include <string.h>

#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("util.error");

/* Message templates per code. Clients compare these texts, so they follow
 * libvirt's wording; "%s" alone means the message is shown unprefixed. */
typedef struct {
    const char *name;       /* short text, used when there is no detail */
    const char *withInfo;   /* template with one %s for the detail */
} virErrorTemplate;

static const virErrorTemplate virErrorTemplates[] = {
    [VIR_ERR_INTERNAL_ERROR] = { "internal error", "internal error: %s" },
    [VIR_ERR_NO_MEMORY] = { "out of memory", "out of memory: %s" },
    [VIR_ERR_NO_SUPPORT] = {
        "this function is not supported by the connection driver",
        "this function is not supported by the connection driver: %s" },
    [VIR_ERR_UNKNOWN_HOST] = { "unknown host", "unknown host %s" },
    [VIR_ERR_NO_CONNECT] = {
        "no connection driver available",
        "no connection driver available for %s" },
    [VIR_ERR_INVALID_CONN] = {
        "invalid connection pointer in", "invalid connection pointer in %s" },
    [VIR_ERR_INVALID_DOMAIN] = {
        "invalid domain pointer in", "invalid domain pointer in %s" },
    [VIR_ERR_INVALID_ARG] = { "invalid argument", "invalid argument: %s" },
    [VIR_ERR_OPERATION_FAILED] = { "operation failed", "operation failed: %s" },
    [VIR_ERR_OS_TYPE] = { "unknown OS type", "unknown OS type %s" },
    [VIR_ERR_NO_SOURCE] = {
        "missing source information for device", "missing source information for device %s" },
    [VIR_ERR_NO_TARGET] = {
        "missing target information for device", "missing target information for device %s" },
    [VIR_ERR_NO_NAME] = {
        "missing name information", "missing name information in %s" },
    [VIR_ERR_NO_OS] = {
        "missing operating system information",
        "missing operating system information for %s" },
    [VIR_ERR_XML_ERROR] = {
        "XML description is invalid or not well formed", "XML error: %s" },
    [VIR_ERR_DOM_EXIST] = {
        "this domain exists already", "domain %s exists already" },
    [VIR_ERR_OPERATION_DENIED] = {
        "operation forbidden for read only access", "operation forbidden: %s" },
    [VIR_ERR_OPEN_FAILED] = {
        "failed to open configuration file",
        "failed to open configuration file %s" },
    [VIR_ERR_READ_FAILED] = {
        "failed to read configuration file",
        "failed to read configuration file %s" },
    [VIR_ERR_PARSE_FAILED] = {
        "failed to parse configuration file",
        "failed to parse configuration file %s" },
    [VIR_ERR_CONF_SYNTAX] = {
        "configuration file syntax error",
        "configuration file syntax error: %s" },
    [VIR_ERR_WRITE_FAILED] = {
        "failed to write configuration file",
        "failed to write configuration file: %s" },
    [VIR_ERR_XML_DETAIL] = { "parser error", "%s" },
    [VIR_ERR_INVALID_NETWORK] = {
        "invalid network pointer in", "invalid network pointer in %s" },
    [VIR_ERR_NETWORK_EXIST] = {
        "this network exists already", "network %s exists already" },
    [VIR_ERR_SYSTEM_ERROR] = { "system call error", "%s" },
    [VIR_ERR_RPC] = { "RPC error", "%s" },
    [VIR_ERR_GNUTLS_ERROR] = { "GNUTLS call error", "%s" },
    [VIR_ERR_NO_DOMAIN] = { "Domain not found", "Domain not found: %s" },
    [VIR_ERR_NO_NETWORK] = { "Network not found", "Network not found: %s" },
    [VIR_ERR_INVALID_MAC] = { "invalid MAC address", "invalid MAC address: %s" },
    [VIR_ERR_INVALID_STORAGE_POOL] = {
        "invalid storage pool pointer in", "invalid storage pool pointer in %s" },
    [VIR_ERR_INVALID_STORAGE_VOL] = {
        "invalid storage volume pointer in", "invalid storage volume pointer in %s" },
    [VIR_ERR_NO_STORAGE_POOL] = {
        "Storage pool not found", "Storage pool not found: %s" },
    [VIR_ERR_NO_STORAGE_VOL] = {
        "Storage volume not found", "Storage volume not found: %s" },
    [VIR_ERR_INVALID_NODE_DEVICE] = {
        "invalid node device pointer", "invalid node device pointer in %s" },
    [VIR_ERR_NO_NODE_DEVICE] = {
        "Node device not found", "Node device not found: %s" },
    [VIR_ERR_NO_INTERFACE] = { "Interface not found", "Interface not found: %s" },
    [VIR_ERR_INVALID_INTERFACE] = {
        "invalid interface pointer in", "invalid interface pointer in %s" },
    [VIR_ERR_MULTIPLE_INTERFACES] = {
        "multiple matching interfaces found", "multiple matching interfaces found: %s" },
    [VIR_ERR_INVALID_SECRET] = { "Invalid secret", "Invalid secret: %s" },
    [VIR_ERR_NO_SECRET] = { "Secret not found", "Secret not found: %s" },
    [VIR_ERR_AUTH_FAILED] = {
        "authentication failed", "authentication failed: %s" },
    [VIR_ERR_OPERATION_INVALID] = {
        "Requested operation is not valid",
        "Requested operation is not valid: %s" },
    [VIR_ERR_CONFIG_UNSUPPORTED] = {
        "unsupported configuration", "unsupported configuration: %s" },
    [VIR_ERR_OPERATION_TIMEOUT] = {
        "Timed out during operation", "Timed out during operation: %s" },
    [VIR_ERR_NO_DOMAIN_SNAPSHOT] = {
        "Domain snapshot not found", "Domain snapshot not found: %s" },
    [VIR_ERR_INVALID_STREAM] = {
        "invalid stream pointer", "invalid stream pointer in %s" },
    [VIR_ERR_ARGUMENT_UNSUPPORTED] = {
        "argument unsupported", "argument unsupported: %s" },
    [VIR_ERR_STORAGE_PROBE_FAILED] = {
        "Storage pool probe failed", "Storage pool probe failed: %s" },
    [VIR_ERR_STORAGE_POOL_BUILT] = {
        "Storage pool already built", "Storage pool already built: %s" },
    [VIR_ERR_SNAPSHOT_REVERT_RISKY] = { "revert requires force", "revert requires force: %s" },
    [VIR_ERR_OPERATION_ABORTED] = {
        "operation aborted", "operation aborted: %s" },
    [VIR_ERR_AUTH_CANCELLED] = {
        "authentication cancelled", "authentication cancelled: %s" },
    [VIR_ERR_NO_DOMAIN_METADATA] = { "metadata not found", "metadata not found: %s" },
    [VIR_ERR_OVERFLOW] = { "numerical overflow", "numerical overflow: %s" },
    [VIR_ERR_OPERATION_UNSUPPORTED] = {
        "Operation not supported", "Operation not supported: %s" },
    [VIR_ERR_RESOURCE_BUSY] = { "resource busy", "resource busy: %s" },
    [VIR_ERR_STORAGE_VOL_EXIST] = {
        "this storage volume exists already", "storage volume %s exists already" },
    [VIR_ERR_AUTH_UNAVAILABLE] = {
        "authentication unavailable", "authentication unavailable: %s" },
    [VIR_ERR_NO_SERVER] = { "Server not found", "Server not found: %s" },
    [VIR_ERR_NO_CLIENT] = { "Client not found", "Client not found: %s" },
    [VIR_ERR_XML_INVALID_SCHEMA] = {
        "XML document failed to validate against schema",
        "XML document failed to validate against schema: %s" },
    [VIR_ERR_NO_DOMAIN_CHECKPOINT] = {
        "Domain checkpoint not found", "Domain checkpoint not found: %s" },
    [VIR_ERR_AGENT_UNRESPONSIVE] = {
        "Guest agent is not responding", "Guest agent is not responding: %s" },
    [VIR_ERR_AGENT_UNSYNCED] = {
        "guest agent replied with wrong id to guest-sync command",
        "guest agent replied with wrong id to guest-sync command: %s" },
    [VIR_ERR_DEVICE_MISSING] = { "device not found", "device not found: %s" },
    [VIR_ERR_NO_HOSTNAME] = { "no hostname found", "no hostname found: %s" },
};

static const virErrorTemplate *
virErrorTemplateFor(int code)
{
    static const virErrorTemplate unknown = { "unknown error", "%s" };

    if (code > 0 && (size_t)code < G_N_ELEMENTS(virErrorTemplates) &&
        virErrorTemplates[code].name)
        return &virErrorTemplates[code];
    return &unknown;
}

const char *
virErrorCodeName(int code)
{
    if (code == VIR_ERR_OK)
        return "no error";
    return virErrorTemplateFor(code)->name;
}

static void
virErrorFreeNotify(gpointer data)
{
    virErrorFree(data);
}

static GPrivate virErrorLast = G_PRIVATE_INIT(virErrorFreeNotify);

/* The thread's error object, created on first use; code 0 means "none". */
static virError *
virErrorThreadObject(void)
{
    virError *err = g_private_get(&virErrorLast);

    if (!err) {
        err = g_new0(virError, 1);
        g_private_set(&virErrorLast, err);
    }
    return err;
}

void
virErrorClear(virError *err)
{
    if (!err)
        return;
    g_clear_pointer(&err->message, g_free);
    g_clear_pointer(&err->str1, g_free);
    g_clear_pointer(&err->str2, g_free);
    g_clear_pointer(&err->str3, g_free);
    memset(err, 0, sizeof(*err));
}

void
virErrorFree(virError *err)
{
    if (!err)
        return;
    virErrorClear(err);
    g_free(err);
}

void
virErrorCopy(virError *dst, const virError *src)
{
    if (!dst || dst == src)
        return;
    virErrorClear(dst);
    if (!src)
        return;
    dst->code = src->code;
    dst->domain = src->domain;
    dst->level = src->level;
    dst->message = g_strdup(src->message);
    dst->str1 = g_strdup(src->str1);
    dst->str2 = g_strdup(src->str2);
    dst->str3 = g_strdup(src->str3);
    dst->int1 = src->int1;
    dst->int2 = src->int2;
}

/* Substitute the single "%s" of a template (kept out of printf so the
 * format is not a runtime string). */
static char *
virErrorFillTemplate(const char *tmpl, const char *detail)
{
    const char *pos = strstr(tmpl, "%s");

    if (!pos)
        return g_strdup(tmpl);
    return g_strdup_printf("%.*s%s%s", (int)(pos - tmpl), tmpl, detail, pos + 2);
}

static void
virErrorStore(int domain, int code, const char *file, const char *func,
              size_t line, char *detail)
{
    virError *err = virErrorThreadObject();
    const virErrorTemplate *tmpl = virErrorTemplateFor(code);
    char *message;

    if (detail && *detail)
        message = virErrorFillTemplate(tmpl->withInfo, detail);
    else
        message = g_strdup(tmpl->name);

    virErrorClear(err);
    err->domain = domain;
    err->code = code;
    err->level = VIR_ERR_ERROR;
    err->message = message;
    err->str1 = detail;

    /* Debug, not error priority: a daemon reports an error for every
     * failed client call, which would flood the logs at error level. */
    if (virLogEnabled(&virLogSelf, VIR_LOG_DEBUG))
        virLogMessage(&virLogSelf, VIR_LOG_DEBUG, file, line, func,
                      "error: domain=%d code=%d: %s", domain, code, message);
}

void
virErrorReportFull(int domain, int code, const char *file,
                   const char *func, size_t line,
                   const char *fmt, ...)
{
    int saved = errno;
    char *detail = NULL;
    va_list ap;

    if (code == VIR_ERR_OK) {
        virResetLastError();
        errno = saved;
        return;
    }
    if (fmt) {
        va_start(ap, fmt);
        detail = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
    virErrorStore(domain, code, file, func, line, detail);
    errno = saved;
}

void
virErrorReportSystemFull(int domain, int errnum, const char *file,
                         const char *func, size_t line,
                         const char *fmt, ...)
{
    int saved = errno;
    g_autofree char *msg = NULL;
    va_list ap;

    if (fmt) {
        va_start(ap, fmt);
        msg = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
    virErrorStore(domain, VIR_ERR_SYSTEM_ERROR, file, func, line,
                  msg ? g_strdup_printf("%s: %s", msg, g_strerror(errnum))
                      : g_strdup(g_strerror(errnum)));
    virErrorThreadObject()->int1 = errnum;
    errno = saved;
}

virError *
virGetLastError(void)
{
    virError *err = g_private_get(&virErrorLast);

    if (!err || err->code == VIR_ERR_OK)
        return NULL;
    return err;
}

const char *
virGetLastErrorMessage(void)
{
    virError *err = virGetLastError();

    if (!err || !err->message)
        return "unknown error";
    return err->message;
}

int
virGetLastErrorCode(void)
{
    virError *err = virGetLastError();

    return err ? err->code : VIR_ERR_OK;
}

void
virResetLastError(void)
{
    virErrorClear(g_private_get(&virErrorLast));
}

void
virErrorSetLast(const virError *err)
{
    int saved = errno;

    if (!err || err->code == VIR_ERR_OK)
        virResetLastError();
    else
        virErrorCopy(virErrorThreadObject(), err);
    errno = saved;
}

virError *
virErrorPreserveLast(void)
{
    virError *last = virGetLastError();
    virError *copy;

    if (!last)
        return NULL;
    copy = g_new0(virError, 1);
    virErrorCopy(copy, last);
    return copy;
}

void
virErrorRestore(virError **saved)
{
    if (!saved || !*saved)
        return;
    virErrorSetLast(*saved);
    virErrorFree(*saved);
    *saved = NULL;
}
