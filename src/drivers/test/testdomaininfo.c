/*
 * testdomaininfo.c: what the test driver's guests tell and let be set:
 * hostname, clock, control state, reset, metadata (title, description,
 * namespaced elements), as libvirt 9.0's test driver answers them.
 *
 * Locking: every entry point takes state->lock for its whole run (see
 * testdriverpriv.h); nothing here blocks.
 */
#include <string.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virconnect.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* The domain, which must be running (libvirt's virDomainObjCheckActive),
 * under the lock; NULL with an error (the lock is held either way). */
static testDomain *
testDomainLockActive(testState *state, const virDomainRef *ref)
{
    testDomain *dom;

    virNoIOMutexLock(&state->lock);
    dom = testDomainFromRef(state, ref);
    if (dom && !virDomainObjIsActive(&dom->obj)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return NULL;
    }
    return dom;
}

int
testDomainReset(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    int ret;

    virDriverCheckFlags(flags, 0, -1);
    /* nothing to do for a made-up guest */
    ret = testDomainLockActive(state, ref) ? 0 : -1;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

char *
testDomainGetHostname(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    char *ret = NULL;

    virDriverCheckFlags(flags, 0, NULL);
    if (testDomainLockActive(state, ref))
        ret = g_strdup_printf("%shost", ref->name);
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetControlInfo(virConnect *conn, const virDomainRef *ref, virDomainControlInfo *info,
                         unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if ((dom = testDomainLockActive(state, ref))) {
        /* libvirt's test driver derives a made-up control state from the
         * guest clock's seconds */
        long long s = dom->timeSeconds;

        memset(info, 0, sizeof(*info));
        if (s > 0 && s < 10000) {
            info->state = VIR_DOMAIN_CONTROL_JOB;
            info->stateTime = s;
        } else if (s >= 10000 && s < 30000) {
            info->state = VIR_DOMAIN_CONTROL_OCCUPIED;
            info->stateTime = s - 10000;
        } else if (s >= 30000 && s < 60000) {
            info->state = VIR_DOMAIN_CONTROL_ERROR;
            info->details = (unsigned int)(s % 4);  /* a VIR_DOMAIN_CONTROL_ERROR_REASON_* */
            info->stateTime = s - 30000;
        } else {
            info->state = VIR_DOMAIN_CONTROL_OK;
        }
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetTime(virConnect *conn, const virDomainRef *ref, long long *seconds,
                  unsigned int *nseconds, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainFromRef(state, ref))) {
        if (dom->obj.state != VIR_DOMAIN_RUNNING) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        } else {
            *seconds = dom->timeSeconds;
            *nseconds = dom->timeNSeconds;
            ret = 0;
        }
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSetTime(virConnect *conn, const virDomainRef *ref, long long seconds,
                  unsigned int nseconds, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_TIME_SYNC, -1);
    if ((dom = testDomainLockActive(state, ref))) {
        dom->timeSeconds = seconds;
        dom->timeNSeconds = nseconds;
        ret = 0;
    }
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

char *
testDomainGetMetadata(virConnect *conn, const virDomainRef *ref, int type, const char *uri,
                      unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    char *ret = NULL;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, NULL);
    virNoIOMutexLock(&state->lock);
    if ((dom = testDomainFromRef(state, ref)))
        ret = virDomainObjGetMetadata(&dom->obj, type, uri, flags);
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSetMetadata(virConnect *conn, const virDomainRef *ref, int type, const char *metadata,
                      const char *key, const char *uri, unsigned int flags)
{
    testState *state = conn->privateData;
    virDomainDef *live, *config;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)) ||
        virDomainObjGetDefs(&dom->obj, flags, &live, &config) < 0)
        goto cleanup;
    if ((live && virDomainDefSetMetadata(live, type, metadata, key, uri) < 0) ||
        (config && virDomainDefSetMetadata(config, type, metadata, key, uri) < 0))
        goto cleanup;
    testEmitMetadataChange(state, dom, type, uri);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainSetUserPassword(virConnect *conn, const virDomainRef *ref,
                          const char *user G_GNUC_UNUSED, const char *password G_GNUC_UNUSED,
                          unsigned int flags)
{
    testState *state = conn->privateData;
    int ret;

    virDriverCheckFlags(flags, VIR_DOMAIN_PASSWORD_ENCRYPTED, -1);
    /* a made-up guest has no users to change */
    ret = testDomainLockActive(state, ref) ? 0 : -1;
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

int
testDomainGetLaunchSecurityInfo(virConnect *conn G_GNUC_UNUSED,
                                const virDomainRef *ref G_GNUC_UNUSED,
                                virTypedParameter **params, int *nparams, unsigned int flags)
{
    /* libvirt's client always adds the typed-string flag, which libvirt's
     * test driver refuses: every real caller gets that error */
    virDriverCheckFlags(flags, 0, -1);
    *params = NULL;
    *nparams = 0;
    return 0;
}

static const char *const testLifecycleTypes[] = { "poweroff", "reboot", "crash" };

int
testDomainSetLifecycleAction(virConnect *conn, const virDomainRef *ref, unsigned int type,
                             unsigned int action, unsigned int flags)
{
    testState *state = conn->privateData;
    virDomainDef *defs[2];
    testDomain *dom;
    int ret = -1;
    size_t i;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (type >= G_N_ELEMENTS(testLifecycleTypes) ||
        action > VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "invalid lifecycle type or action");
        return -1;
    }
    /* core dumps are for crashes only */
    if (type != VIR_DOMAIN_LIFECYCLE_CRASH &&
        (action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY ||
         action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART)) {
        virDriverReportDomainError(VIR_ERR_CONFIG_UNSUPPORTED,
                                   "Lifecycle event '%s' doesn't support '%s' action",
                                   testLifecycleTypes[type],
                                   virDomainLifecycleActionToString((int)action));
        return -1;
    }
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)) ||
        virDomainObjGetDefs(&dom->obj, flags, &defs[0], &defs[1]) < 0)
        goto cleanup;
    for (i = 0; i < G_N_ELEMENTS(defs); i++) {
        if (!defs[i])
            continue;
        if (type == VIR_DOMAIN_LIFECYCLE_POWEROFF)
            defs[i]->onPoweroff = (int)action;
        else if (type == VIR_DOMAIN_LIFECYCLE_REBOOT)
            defs[i]->onReboot = (int)action;
        else
            defs[i]->onCrash = (int)action;
    }
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

/* libvirt's test driver answers two made-up file systems on the first
 * disk ("/" and "/boot", ext4, <dev>1 and <dev>2), or none without a
 * disk. */
int
testDomainGetFSInfo(virConnect *conn, const virDomainRef *ref, virDomainFSInfo ***info,
                    unsigned int flags)
{
    static const char *const mounts[] = { "/", "/boot" };
    testState *state = conn->privateData;
    g_autoptr(GPtrArray) disks = NULL;
    testDomain *dom;
    const char *dst = NULL;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (!(dom = testDomainLockActive(state, ref)))
        goto cleanup;
    disks = virDomainDefDevices(dom->obj.live, "disk");
    for (guint i = 0; i < disks->len && !dst; i++) {
        const virDomainXMLNode *disk = g_ptr_array_index(disks, i);
        const char *device = virDomainXMLNodeAttr(disk, NULL, "device");

        if (!device || strcmp(device, "disk") == 0)
            dst = virDomainXMLNodeAttr(disk, "target", "dev");
    }
    *info = g_new0(virDomainFSInfo *, dst ? G_N_ELEMENTS(mounts) + 1 : 1);
    for (size_t i = 0; dst && i < G_N_ELEMENTS(mounts); i++) {
        virDomainFSInfo *fs = g_new0(virDomainFSInfo, 1);

        fs->mountpoint = g_strdup(mounts[i]);
        fs->fstype = g_strdup("ext4");
        fs->name = g_strdup_printf("%s%zu", dst, i + 1);
        fs->ndevAlias = 1;
        fs->devAlias = g_new0(char *, 2);
        fs->devAlias[0] = g_strdup(dst);
        (*info)[i] = fs;
    }
    ret = dst ? (int)G_N_ELEMENTS(mounts) : 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

/* libvirt's test driver answers every source alike: one IPv4 address per
 * <interface>, 192.168.0.(1+i)/24, or for an interface on a network an
 * address in the network's range (no network here: libvirt's error for
 * one that does not exist). */
int
testDomainInterfaceAddresses(virConnect *conn, const virDomainRef *ref,
                             virDomainInterface ***ifaces, unsigned int source,
                             unsigned int flags)
{
    testState *state = conn->privateData;
    g_autoptr(GPtrArray) nets = NULL;
    GPtrArray *list = NULL;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    if (source >= VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LAST) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "Unknown IP address data source %d", source);
        return -1;
    }
    if (!(dom = testDomainLockActive(state, ref)))
        goto cleanup;
    nets = virDomainDefDevices(dom->obj.live, "interface");
    list = g_ptr_array_new_with_free_func((GDestroyNotify)virDomainInterfaceFree);
    for (guint i = 0; i < nets->len; i++) {
        const virDomainXMLNode *net = g_ptr_array_index(nets, i);
        const char *dev = virDomainXMLNodeAttr(net, "target", "dev");
        const char *mac = virDomainXMLNodeAttr(net, "mac", "address");
        const char *type = virDomainXMLNodeAttr(net, NULL, "type");
        virDomainInterface *iface;

        if (type && strcmp(type, "network") == 0) {
            virErrorReportFull(VIR_FROM_NETWORK, VIR_ERR_NO_NETWORK, __FILE__, __func__,
                               __LINE__, "no network with matching name '%s'",
                               virDomainXMLNodeAttr(net, "source", "network") ?
                               virDomainXMLNodeAttr(net, "source", "network") : "");
            goto cleanup;
        }
        iface = g_new0(virDomainInterface, 1);
        iface->name = dev ? g_strdup(dev) : g_strdup_printf("testnet%u", i);
        iface->hwaddr = mac ? g_ascii_strdown(mac, -1) : NULL;
        iface->naddrs = 1;
        iface->addrs = g_new0(virDomainIPAddress, 1);
        iface->addrs[0].type = VIR_IP_ADDR_TYPE_IPV4;
        iface->addrs[0].prefix = 24;
        iface->addrs[0].addr = g_strdup_printf("192.168.0.%u", 1 + i);
        g_ptr_array_add(list, iface);
    }
    ret = (int)list->len;
    g_ptr_array_add(list, NULL);
    g_ptr_array_set_free_func(list, NULL);
    *ifaces = (virDomainInterface **)g_ptr_array_free(g_steal_pointer(&list), FALSE);
 cleanup:
    if (list)
        g_ptr_array_free(list, TRUE);
    virNoIOMutexUnlock(&state->lock);
    return ret;
}


/* libvirt's taint messages, by its virDomainTaintFlags bit */
static const char *const testTaintMessages[] = {
    "custom configuration parameters specified",
    "custom monitor control commands issued",
    "running with undesirable elevated privileges",
    "network configuration using opaque shell scripts",
    "potentially unsafe disk format probing",
    "managing externally launched configuration",
    "potentially unsafe use of host CPU passthrough",
    "configuration potentially modified by hook script",
    "use of host cdrom passthrough",
    "custom device tree blob used",
    "custom guest agent control commands issued",
    "hypervisor feature autodetection override",
    "use of deprecated configuration settings",
    "custom device configuration",
};
enum {
    TEST_TAINT_HIGH_PRIVILEGES = 2,
    TEST_TAINT_SHELL_SCRIPTS = 3,
    TEST_TAINT_CDROM_PASSTHROUGH = 8,
    TEST_TAINT_CUSTOM_DTB = 9,
    TEST_TAINT_DEPRECATED_CONFIG = 12,
};

static bool
testAttrIs(const virDomainXMLNode *node, const char *child, const char *attr, const char *value)
{
    const char *v = virDomainXMLNodeAttr(node, child, attr);

    return v && strcmp(v, value) == 0;
}

/* What libvirt's test driver checks once, when it loads a node file's
 * domain: raw I/O of a disk or SCSI host device, a host CD-ROM, an
 * interface's script, a device tree, its "Deprecated-Test" CPU model
 * (custom mode). The taints stay with the domain object. */
void
testDomainCheckTaint(testDomain *dom)
{
    const virDomainDef *def = virDomainObjCurrentDef(&dom->obj);
    g_autoptr(GPtrArray) disks = virDomainDefDevices(def, "disk");
    g_autoptr(GPtrArray) hostdevs = virDomainDefDevices(def, "hostdev");
    g_autoptr(GPtrArray) nets = virDomainDefDevices(def, "interface");
    g_autofree char *model = virDomainDefGetChildText(def, "cpu", "model");
    const virDomainXMLNode *cpu = virDomainDefTopElement((virDomainDef *)def, "cpu", false);

    for (guint i = 0; i < disks->len; i++) {
        const virDomainXMLNode *disk = g_ptr_array_index(disks, i);

        if (testAttrIs(disk, NULL, "rawio", "yes"))
            dom->taint |= 1U << TEST_TAINT_HIGH_PRIVILEGES;
        if (testAttrIs(disk, NULL, "device", "cdrom") && testAttrIs(disk, NULL, "type", "block") &&
            virDomainXMLNodeAttr(disk, "source", "dev"))
            dom->taint |= 1U << TEST_TAINT_CDROM_PASSTHROUGH;
    }
    for (guint i = 0; i < hostdevs->len; i++) {
        const virDomainXMLNode *hostdev = g_ptr_array_index(hostdevs, i);

        if (testAttrIs(hostdev, NULL, "type", "scsi") && testAttrIs(hostdev, NULL, "rawio", "yes"))
            dom->taint |= 1U << TEST_TAINT_HIGH_PRIVILEGES;
    }
    for (guint i = 0; i < nets->len; i++) {
        if (virDomainXMLNodeAttr(g_ptr_array_index(nets, i), "script", "path"))
            dom->taint |= 1U << TEST_TAINT_SHELL_SCRIPTS;
    }
    if (cpu && model && strcmp(model, "Deprecated-Test") == 0 &&
        (!virDomainXMLNodeAttr(cpu, NULL, "mode") || testAttrIs(cpu, NULL, "mode", "custom"))) {
        dom->taint |= 1U << TEST_TAINT_DEPRECATED_CONFIG;
        g_free(dom->deprecation);
        dom->deprecation = g_strdup("CPU model Deprecated-Test");
    }
    for (size_t i = 0; i < def->nosExtra; i++) {
        if (strcmp(virDomainXMLNodeName(def->osExtra[i]), "dtb") == 0)
            dom->taint |= 1U << TEST_TAINT_CUSTOM_DTB;
    }
}


/* No flags: every kind; the taints first, in libvirt's order. */
int
testDomainGetMessages(virConnect *conn, const virDomainRef *ref, char ***msgs,
                      unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    GPtrArray *list;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_MESSAGE_DEPRECATION | VIR_DOMAIN_MESSAGE_TAINTING, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto cleanup;
    list = g_ptr_array_new();
    for (size_t i = 0; i < G_N_ELEMENTS(testTaintMessages); i++) {
        if ((!flags || (flags & VIR_DOMAIN_MESSAGE_TAINTING)) && (dom->taint & (1U << i)))
            g_ptr_array_add(list, g_strdup_printf("tainted: %s", testTaintMessages[i]));
    }
    if ((!flags || (flags & VIR_DOMAIN_MESSAGE_DEPRECATION)) && dom->deprecation)
        g_ptr_array_add(list, g_strdup_printf("deprecated configuration: %s", dom->deprecation));
    ret = (int)list->len;
    g_ptr_array_add(list, NULL);
    *msgs = (char **)g_ptr_array_free(list, FALSE);
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}
