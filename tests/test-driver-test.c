/*
 * test-driver-test.c: the test driver through virconnect.h: the default
 * node, every operation's state/reason and events, error codes, event
 * registrations, shared state, node files, XML round trips, threads.
 *
 * Expected values were checked against libvirt 9.0's own test driver
 * (virsh -c test:///default, libvirt-python); see docs/test-driver.md.
 */
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include <glib.h>
#include <libxml/parser.h>

#include "testutils.h"
#include "virconnect.h"
#include "testdriver.h"
#include "virdomaindef.h"
#include "virerror.h"

#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"

#define ASSERT_ERROR(code_, domain_) \
    do { \
        virError *e_ = virGetLastError(); \
        if (!e_) \
            VIR_TEST_FAIL("expected error %d, got none", (int)(code_)); \
        if (e_->code != (int)(code_) || e_->domain != (int)(domain_)) \
            VIR_TEST_FAIL("error %d/%d (%s), expected %d/%d", e_->code, e_->domain, \
                          e_->message, (int)(code_), (int)(domain_)); \
    } while (0)

#define ASSERT_ERROR_MSG(code_, domain_, text_) \
    do { \
        ASSERT_ERROR(code_, domain_); \
        if (!strstr(virGetLastErrorMessage(), (text_))) \
            VIR_TEST_FAIL("message '%s' lacks '%s'", virGetLastErrorMessage(), (text_)); \
    } while (0)

/* A call that must fail (-1 / NULL) with the given error. */
#define ASSERT_FAILS_INT(call, code_, domain_, text_) \
    do { \
        virResetLastError(); \
        if ((call) != -1) \
            VIR_TEST_FAIL("%s did not fail", #call); \
        ASSERT_ERROR_MSG(code_, domain_, text_); \
    } while (0)

#define ASSERT_FAILS_PTR(call, code_, domain_, text_) \
    do { \
        void *p_; \
        virResetLastError(); \
        if ((p_ = (void *)(call))) { \
            g_free(p_); \
            VIR_TEST_FAIL("%s did not fail", #call); \
        } \
        ASSERT_ERROR_MSG(code_, domain_, text_); \
    } while (0)

#define ASSERT_OK(call) \
    do { \
        if ((call) < 0) \
            VIR_TEST_FAIL("%s failed: %s", #call, virGetLastErrorMessage()); \
    } while (0)

static virConnect *
openURI(const char *uri)
{
    virConnect *conn = virConnectOpen(uri, 0);

    if (!conn)
        fprintf(stderr, "  open %s: %s\n", uri, virGetLastErrorMessage());
    return conn;
}

static void
closeConn(virConnect **conn)
{
    if (*conn)
        virConnectClose(*conn);
    *conn = NULL;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainRef, virDomainRefFree);

static int
checkState(virConnect *conn, const virDomainRef *dom, int state, int reason)
{
    int s = -1, r = -1;

    if (virDomainGetState(conn, dom, &s, &r, 0) < 0)
        VIR_TEST_FAIL("getState(%s): %s", dom->name, virGetLastErrorMessage());
    if (s != state || r != reason)
        VIR_TEST_FAIL("%s: state %d/%d, expected %d/%d", dom->name, s, r, state, reason);
    return 0;
}

#define ASSERT_STATE(conn, dom, s, r) \
    do { if (checkState(conn, dom, s, r) < 0) return -1; } while (0)

static const char fooXML[] =
    "<domain type='test'><name>foo</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
    "<memory>1024</memory><os><type>hvm</type></os></domain>";
static const char fooXML2[] =
    "<domain type='test'><name>foo</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
    "<memory>2048</memory><os><type>hvm</type></os></domain>";
static const char trXML[] =
    "<domain type='test'><name>tr</name><uuid>22222222-2222-3333-4444-555555555555</uuid>"
    "<memory>1024</memory><os><type>hvm</type></os></domain>";
static const char barXML[] =
    "<domain type='test'><name>bar</name><uuid>33333333-2222-3333-4444-555555555555</uuid>"
    "<memory>1024</memory><os><type>hvm</type></os></domain>";

/* ------------------------------------------------------------------ */
/* Event collection                                                    */

typedef struct {
    GMutex lock;
    GString *log;       /* "tag:name:EVENT/detail:id;" ... */
    const char *tag;
    int frees;
    int calls;
} Collector;

static const char *const eventNames[] = {
    "DEFINED", "UNDEFINED", "STARTED", "SUSPENDED", "RESUMED", "STOPPED",
    "SHUTDOWN", "PMSUSPENDED", "CRASHED",
};

static void
collectorInit(Collector *c, const char *tag)
{
    memset(c, 0, sizeof(*c));
    g_mutex_init(&c->lock);
    c->log = g_string_new(NULL);
    c->tag = tag;
}

static void
collectorClear(Collector *c)
{
    g_string_free(c->log, TRUE);
    g_mutex_clear(&c->lock);
}

/* Take the log and reset it. */
static char *
collectorTake(Collector *c)
{
    char *s;

    g_mutex_lock(&c->lock);
    s = g_strdup(c->log->str);
    g_string_truncate(c->log, 0);
    g_mutex_unlock(&c->lock);
    return s;
}

static void
lifecycleCb(virConnect *conn G_GNUC_UNUSED, const virDomainRef *dom, int event, int detail,
            void *opaque)
{
    Collector *c = opaque;

    g_mutex_lock(&c->lock);
    g_string_append_printf(c->log, "%s:%s:%s/%d:%d;", c->tag, dom->name,
                           event >= 0 && event < (int)G_N_ELEMENTS(eventNames) ? eventNames[event] : "?",
                           detail, dom->id);
    c->calls++;
    g_mutex_unlock(&c->lock);
}

/* A second function with the same type, for "another callback". */
static void
lifecycleCb2(virConnect *conn, const virDomainRef *dom, int event, int detail, void *opaque)
{
    lifecycleCb(conn, dom, event, detail, opaque);
}

static void
rebootCb(virConnect *conn G_GNUC_UNUSED, const virDomainRef *dom, void *opaque)
{
    Collector *c = opaque;

    g_mutex_lock(&c->lock);
    g_string_append_printf(c->log, "%s:%s:REBOOT:%d;", c->tag, dom->name, dom->id);
    c->calls++;
    g_mutex_unlock(&c->lock);
}

static void
collectorFree(void *opaque)
{
    Collector *c = opaque;

    g_mutex_lock(&c->lock);
    c->frees++;
    g_mutex_unlock(&c->lock);
}

#define ASSERT_EVENTS(c, expected) \
    do { \
        g_autofree char *got_ = collectorTake(c); \
        VIR_TEST_ASSERT_STR(got_, expected); \
    } while (0)

/* ------------------------------------------------------------------ */
/* Default node                                                        */

static const char testDomainXML[] =
    "<domain type='test' id='1'>\n"
    "  <name>test</name>\n"
    "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>\n"
    "  <memory unit='KiB'>8388608</memory>\n"
    "  <currentMemory unit='KiB'>2097152</currentMemory>\n"
    "  <vcpu placement='static'>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='i686'>hvm</type>\n"
    "    <boot dev='hd'/>\n"
    "  </os>\n"
    "  <clock offset='utc'/>\n"
    "  <on_poweroff>destroy</on_poweroff>\n"
    "  <on_reboot>restart</on_reboot>\n"
    "  <on_crash>destroy</on_crash>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/guest/diskimage1'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n"
    "    </disk>\n"
    "    <interface type='network'>\n"
    "      <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "      <source network='default'/>\n"
    "      <target dev='testnet0'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>\n"
    "    </interface>\n"
    "    <memballoon model='virtio'>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n"
    "    </memballoon>\n"
    "  </devices>\n"
    "</domain>\n";

static int
testDefaultNode(const void *data G_GNUC_UNUSED)
{
    virConnect *conn = openURI("test:///default");
    g_autoptr(virDomainRef) dom = NULL;
    g_autofree char *xml = NULL, *caps = NULL, *uri = NULL, *host = NULL, *sysinfo = NULL;
    g_autofree char *ostype = NULL, *inactive = NULL;
    virNodeInfo node;
    virDomainInfo info;
    unsigned long long ver = 0, freeMem = 0;
    int ids[4] = { 0 };
    int autostart = -1;
    char uuidstr[VIR_UUID_STRING_BUFLEN], hostbuf[HOST_NAME_MAX + 1];
    xmlDocPtr doc;
    int ret = -1;

    if (!conn)
        return -1;
#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "  %s:%d: %s\n", __FILE__, __LINE__, #cond); goto cleanup; } } while (0)
    CHECK(virNodeGetInfo(conn, &node) == 0);
    CHECK(strcmp(node.model, "i686") == 0);
    CHECK(node.memory == 3145728 && node.cpus == 16 && node.mhz == 1400);
    CHECK(node.nodes == 2 && node.sockets == 2 && node.cores == 2 && node.threads == 2);
    CHECK(strcmp(virConnectGetType(conn), "TEST") == 0);
    CHECK(virConnectGetVersion(conn, &ver) == 0 && ver == 2);
    CHECK((uri = virConnectGetURI(conn)) && strcmp(uri, "test:///default") == 0);
    CHECK(gethostname(hostbuf, sizeof(hostbuf)) == 0);
    CHECK((host = virConnectGetHostname(conn)) && strcmp(host, hostbuf) == 0);
    CHECK(virConnectGetMaxVcpus(conn, NULL) == 32 && virConnectGetMaxVcpus(conn, "kvm") == 32);
    CHECK(virConnectIsSecure(conn) == 1 && virConnectIsEncrypted(conn) == 0);
    CHECK(virConnectIsAlive(conn) == 1);
    CHECK(virNodeGetFreeMemory(conn, &freeMem) == 0 && freeMem == 3145728);
    CHECK(virConnectSupportsFeature(conn, VIR_DRV_FEATURE_TYPED_PARAM_STRING) == 1);
    CHECK(virConnectSupportsFeature(conn, VIR_DRV_FEATURE_FD_PASSING) == 1);
    CHECK(virConnectSupportsFeature(conn, VIR_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER) == 1);
    CHECK(virConnectSupportsFeature(conn, VIR_DRV_FEATURE_MIGRATION_V3) == 0);
    CHECK(virConnectSupportsFeature(conn, VIR_DRV_FEATURE_XML_MIGRATABLE) == 0);
    CHECK(virConnectSupportsFeature(conn, 1000) == 0);

    CHECK(virConnectNumOfDomains(conn) == 1);
    CHECK(virConnectListDomains(conn, ids, 4) == 1 && ids[0] == 1);
    CHECK(virConnectNumOfDefinedDomains(conn) == 0);

    CHECK((dom = virDomainLookupByName(conn, "test")));
    CHECK(dom->id == 1 && strcmp(dom->name, "test") == 0);
    virDomainUUIDFormat(dom->uuid, uuidstr);
    CHECK(strcmp(uuidstr, TEST_UUID) == 0);
    CHECK(checkState(conn, dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN) == 0);
    CHECK(virDomainGetInfo(conn, dom, &info) == 0);
    CHECK(info.state == VIR_DOMAIN_RUNNING && info.maxMem == 8388608 && info.memory == 2097152);
    CHECK(info.nrVirtCpu == 2 && info.cpuTime > 0);
    CHECK((ostype = virDomainGetOSType(conn, dom)) && strcmp(ostype, "linux") == 0);
    CHECK(virDomainGetMaxMemory(conn, dom) == 8388608);
    CHECK(virDomainGetVcpusFlags(conn, dom, 0) == 2);
    CHECK(virDomainGetVcpusFlags(conn, dom, VIR_DOMAIN_VCPU_MAXIMUM) == 2);
    CHECK(virDomainGetVcpusFlags(conn, dom, VIR_DOMAIN_AFFECT_CONFIG) == 2);
    CHECK(virDomainGetAutostart(conn, dom, &autostart) == 0 && autostart == 0);
    CHECK(virDomainIsActive(conn, dom) == 1 && virDomainIsPersistent(conn, dom) == 1);
    CHECK(virDomainIsUpdated(conn, dom) == 0 && virDomainHasManagedSaveImage(conn, dom, 0) == 0);
    {
        /* libvirt: a label while active (running or paused) only */
        virSecurityLabel label;
        g_autoptr(virDomainRef) off = NULL;

        memset(&label, 'x', sizeof(label));
        CHECK(virDomainGetSecurityLabel(conn, dom, &label) == 0);
        CHECK(strcmp(label.label, "libvirt-test") == 0 && label.enforcing == 1);
        CHECK(virDomainSuspend(conn, dom) == 0);
        memset(&label, 'x', sizeof(label));
        CHECK(virDomainGetSecurityLabel(conn, dom, &label) == 0);
        CHECK(strcmp(label.label, "libvirt-test") == 0 && label.enforcing == 1);
        CHECK(virDomainResume(conn, dom) == 0);
        CHECK((off = virDomainDefineXML(conn, barXML)));
        memset(&label, 'x', sizeof(label));
        CHECK(virDomainGetSecurityLabel(conn, off, &label) == 0);
        CHECK(label.label[0] == '\0' && label.enforcing == 0);
        CHECK(virDomainUndefine(conn, off) == 0);
    }

    CHECK((xml = virDomainGetXMLDesc(conn, dom, 0)));
    if (strcmp(xml, testDomainXML) != 0) {
        fprintf(stderr, "  dumpxml differs:\n%s", xml);
        goto cleanup;
    }
    CHECK((inactive = virDomainGetXMLDesc(conn, dom, VIR_DOMAIN_XML_INACTIVE)));
    CHECK(g_str_has_prefix(inactive, "<domain type='test'>\n"));
    CHECK(strcmp(inactive + strlen("<domain type='test'>"),
                 testDomainXML + strlen("<domain type='test' id='1'>")) == 0);

    CHECK((caps = virConnectGetCapabilities(conn)));
    CHECK((doc = xmlReadMemory(caps, (int)strlen(caps), "caps", NULL, XML_PARSE_NONET)));
    xmlFreeDoc(doc);
    CHECK(strstr(caps, "<uuid>") && strstr(caps, "<arch>i686</arch>"));
    CHECK(strstr(caps, "<os_type>hvm</os_type>") && strstr(caps, "<domain type='test'/>"));
    CHECK(strstr(caps, "<cells num='2'>"));
    CHECK((sysinfo = virConnectGetSysinfo(conn, 0)) && g_str_has_prefix(sysinfo, "<sysinfo type='smbios'>"));
    ret = 0;
 cleanup:
#undef CHECK
    virConnectClose(conn);
    return ret;
}

/* ------------------------------------------------------------------ */
/* States and events of each operation                                 */

static int
testOperations(const void *data G_GNUC_UNUSED)
{
    virConnect *conn = openURI("test:///default");
    g_autoptr(virDomainRef) foo = NULL;
    g_autoptr(virDomainRef) tr = NULL;
    g_autoptr(virDomainRef) pr = NULL;
    g_autoptr(virDomainRef) test = NULL;
    Collector any, legacy, reboot;
    int ret = -1;

    if (!conn)
        return -1;
    collectorInit(&any, "A");
    collectorInit(&legacy, "L");
    collectorInit(&reboot, "R");
    if (virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb), &any, NULL) != 0 ||
        virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                         VIR_DOMAIN_EVENT_CALLBACK(rebootCb), &reboot, NULL) != 1 ||
        virConnectDomainEventRegister(conn, lifecycleCb, &legacy, NULL) != 0)
        goto cleanup;

#define STEP(call, anyExpected, rebootExpected) \
    do { \
        g_autofree char *a_ = NULL, *l_ = NULL, *r_ = NULL; \
        if ((call) < 0) { \
            fprintf(stderr, "  %s failed: %s\n", #call, virGetLastErrorMessage()); \
            goto cleanup; \
        } \
        a_ = collectorTake(&any); \
        l_ = collectorTake(&legacy); \
        r_ = collectorTake(&reboot); \
        if (strcmp(a_, anyExpected) != 0 || strcmp(r_, rebootExpected) != 0) { \
            fprintf(stderr, "  %s: events '%s' '%s', expected '%s' '%s'\n", #call, a_, r_, \
                    anyExpected, rebootExpected); \
            goto cleanup; \
        } \
        /* the legacy registration sees the same lifecycle events */ \
        if (strlen(l_) != strlen(a_) || (a_[0] && !strstr(l_, a_ + 2))) { \
            fprintf(stderr, "  %s: legacy events '%s' vs '%s'\n", #call, l_, a_); \
            goto cleanup; \
        } \
    } while (0)
#define STATE(dom, s, r) \
    do { if (checkState(conn, dom, s, r) < 0) goto cleanup; } while (0)
#define DEFINE(ref, xml) ((ref = virDomainDefineXML(conn, xml)) ? 0 : -1)

    /* define: DEFINED/ADDED, shut off (reason unknown), id -1 */
    STEP(DEFINE(foo, fooXML), "A:foo:DEFINED/0:-1;", "");
    STATE(foo, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    if (foo->id != -1 || virDomainIsPersistent(conn, foo) != 1 || virDomainIsActive(conn, foo) != 0)
        goto cleanup;
    /* redefine (same uuid): DEFINED/UPDATED */
    virDomainRefFree(foo);
    STEP(DEFINE(foo, fooXML2), "A:foo:DEFINED/1:-1;", "");
    /* start: STARTED/BOOTED, running/booted, next id (2) */
    STEP(virDomainCreate(conn, foo), "A:foo:STARTED/0:2;", "");
    STATE(foo, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    /* suspend: SUSPENDED/PAUSED, paused/user */
    STEP(virDomainSuspend(conn, foo), "A:foo:SUSPENDED/0:2;", "");
    STATE(foo, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    /* resume: RESUMED/UNPAUSED, running/unpaused */
    STEP(virDomainResume(conn, foo), "A:foo:RESUMED/0:2;", "");
    STATE(foo, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    /* reboot (on_reboot restart): running/booted and, as in libvirt's test
     * driver, no event at all (the REBOOT registration stays silent) */
    STEP(virDomainReboot(conn, foo, 0), "", "");
    STATE(foo, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    /* shutdown: STOPPED/SHUTDOWN, shutoff/shutdown */
    STEP(virDomainShutdown(conn, foo), "A:foo:STOPPED/0:-1;", "");
    STATE(foo, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    /* start again: id 3 */
    STEP(virDomainCreateWithFlags(conn, foo, 0), "A:foo:STARTED/0:3;", "");
    /* destroy: STOPPED/DESTROYED, shutoff/destroyed */
    STEP(virDomainDestroy(conn, foo), "A:foo:STOPPED/1:-1;", "");
    STATE(foo, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);
    /* a paused domain can be destroyed or shut down */
    STEP(virDomainCreate(conn, foo), "A:foo:STARTED/0:4;", "");
    STEP(virDomainSuspend(conn, foo), "A:foo:SUSPENDED/0:4;", "");
    STEP(virDomainShutdownFlags(conn, foo, 0), "A:foo:STOPPED/0:-1;", "");
    STEP(virDomainCreate(conn, foo), "A:foo:STARTED/0:5;", "");
    STEP(virDomainSuspend(conn, foo), "A:foo:SUSPENDED/0:5;", "");
    STEP(virDomainDestroyFlags(conn, foo, VIR_DOMAIN_DESTROY_GRACEFUL), "A:foo:STOPPED/1:-1;", "");
    /* redefine a running domain: DEFINED/UPDATED, live config unchanged */
    STEP(virDomainCreate(conn, foo), "A:foo:STARTED/0:6;", "");
    virDomainRefFree(foo);
    STEP(DEFINE(foo, fooXML), "A:foo:DEFINED/1:6;", "");
    if (virDomainGetMaxMemory(conn, foo) != 2048)
        goto cleanup;
    /* undefine a running persistent domain: UNDEFINED/REMOVED, goes on as transient */
    STEP(virDomainUndefine(conn, foo), "A:foo:UNDEFINED/0:6;", "");
    STATE(foo, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    if (virDomainIsPersistent(conn, foo) != 0)
        goto cleanup;
    /* destroying a transient domain removes it */
    STEP(virDomainDestroy(conn, foo), "A:foo:STOPPED/1:-1;", "");
    virResetLastError();
    if (virDomainIsActive(conn, foo) != -1 || virGetLastErrorCode() != VIR_ERR_NO_DOMAIN)
        goto cleanup;

    /* createXML: transient, STARTED/BOOTED */
    STEP((tr = virDomainCreateXML(conn, trXML, 0)) ? 0 : -1, "A:tr:STARTED/0:7;", "");
    STATE(tr, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    if (virDomainIsPersistent(conn, tr) != 0 || tr->id != 7)
        goto cleanup;
    /* defining a running transient domain makes it persistent: DEFINED/ADDED */
    {
        g_autoptr(virDomainRef) tr2 = NULL;
        STEP((tr2 = virDomainDefineXML(conn, trXML)) ? 0 : -1, "A:tr:DEFINED/0:7;", "");
        if (virDomainIsPersistent(conn, tr) != 1)
            goto cleanup;
        STEP(virDomainUndefineFlags(conn, tr, 0), "A:tr:UNDEFINED/0:7;", "");
    }
    /* shutting down a transient domain removes it */
    STEP(virDomainShutdown(conn, tr), "A:tr:STOPPED/0:-1;", "");
    if (virConnectNumOfDomains(conn) != 1)
        goto cleanup;

    /* createXML over a defined, shut off domain: runs it, stays persistent */
    virDomainRefFree(foo);
    STEP(DEFINE(foo, fooXML), "A:foo:DEFINED/0:-1;", "");
    {
        g_autoptr(virDomainRef) live = NULL;
        STEP((live = virDomainCreateXML(conn, fooXML2, 0)) ? 0 : -1, "A:foo:STARTED/0:8;", "");
        if (virDomainIsPersistent(conn, foo) != 1 || virDomainGetMaxMemory(conn, foo) != 2048)
            goto cleanup;
        STEP(virDomainDestroy(conn, foo), "A:foo:STOPPED/1:-1;", "");
        if (virDomainGetMaxMemory(conn, foo) != 1024)   /* back to the persistent config */
            goto cleanup;
    }
    /* undefine a shut off domain: UNDEFINED/REMOVED, gone */
    STEP(virDomainUndefine(conn, foo), "A:foo:UNDEFINED/0:-1;", "");
    if (virConnectNumOfDefinedDomains(conn) != 0)
        goto cleanup;

    /* on_poweroff restart: shutdown keeps it running, no event;
     * on_reboot destroy: reboot stops it, STOPPED/SHUTDOWN */
    STEP(DEFINE(pr, "<domain type='test'><name>pr</name><memory>1024</memory>"
                    "<os><type>hvm</type></os><on_poweroff>restart</on_poweroff>"
                    "<on_reboot>destroy</on_reboot></domain>"), "A:pr:DEFINED/0:-1;", "");
    STEP(virDomainCreate(conn, pr), "A:pr:STARTED/0:9;", "");
    STEP(virDomainShutdown(conn, pr), "", "");
    STATE(pr, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    STEP(virDomainReboot(conn, pr, 0), "A:pr:STOPPED/0:-1;", "");
    STATE(pr, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);

    /* the default domain too; autostart */
    if (!(test = virDomainLookupByID(conn, 1)))
        goto cleanup;
    STEP(virDomainSetAutostart(conn, test, 1), "", "");
    {
        int a = 0;
        if (virDomainGetAutostart(conn, test, &a) < 0 || a != 1)
            goto cleanup;
    }
    STEP(virDomainDestroy(conn, test), "A:test:STOPPED/1:-1;", "");
    STEP(virDomainCreate(conn, test), "A:test:STARTED/0:10;", "");

    /* a domain transient all along: its STOPPED event carries its last ID
     * (destroy, shutdown, reboot with on_reboot destroy), as libvirt's */
    virDomainRefFree(tr);
    STEP((tr = virDomainCreateXML(conn, trXML, 0)) ? 0 : -1, "A:tr:STARTED/0:11;", "");
    STEP(virDomainDestroy(conn, tr), "A:tr:STOPPED/1:11;", "");
    virDomainRefFree(tr);
    STEP((tr = virDomainCreateXML(conn, trXML, 0)) ? 0 : -1, "A:tr:STARTED/0:12;", "");
    STEP(virDomainShutdownFlags(conn, tr, 0), "A:tr:STOPPED/0:12;", "");
    virDomainRefFree(tr);
    STEP((tr = virDomainCreateXML(conn, "<domain type='test'><name>tr</name><memory>1024</memory>"
                                        "<os><type>hvm</type></os><on_reboot>destroy</on_reboot>"
                                        "</domain>", 0)) ? 0 : -1, "A:tr:STARTED/0:13;", "");
    STEP(virDomainReboot(conn, tr, 0), "A:tr:STOPPED/0:13;", "");
    if (virConnectNumOfDomains(conn) != 1)
        goto cleanup;

    /* setAutostart and undefine of a running transient domain succeed
     * (libvirt's test driver): autostart set, no event; UNDEFINED/REMOVED
     * each time, the domain keeps running, transient and listed */
    virDomainRefFree(tr);
    STEP((tr = virDomainCreateXML(conn, trXML, 0)) ? 0 : -1, "A:tr:STARTED/0:14;", "");
    STEP(virDomainSetAutostart(conn, tr, 1), "", "");
    {
        int a = 0;
        if (virDomainGetAutostart(conn, tr, &a) < 0 || a != 1)
            goto cleanup;
    }
    STEP(virDomainUndefine(conn, tr), "A:tr:UNDEFINED/0:14;", "");
    STATE(tr, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    if (virDomainIsPersistent(conn, tr) != 0 || virDomainIsActive(conn, tr) != 1 ||
        virConnectNumOfDomains(conn) != 2)
        goto cleanup;
    STEP(virDomainUndefineFlags(conn, tr, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE),
         "A:tr:UNDEFINED/0:14;", "");
    STEP(virDomainDestroy(conn, tr), "A:tr:STOPPED/1:14;", "");
    if (virConnectNumOfDomains(conn) != 1 || virConnectNumOfDefinedDomains(conn) != 1)
        goto cleanup;
    ret = 0;
#undef STEP
#undef STATE
#undef DEFINE
 cleanup:
    virConnectClose(conn);
    collectorClear(&any);
    collectorClear(&legacy);
    collectorClear(&reboot);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

static int
expectInt(int rc, const char *what, int code, int dom, const char *text)
{
    if (rc != -1)
        VIR_TEST_FAIL("%s returned %d, expected failure", what, rc);
    ASSERT_ERROR_MSG(code, dom, text);
    return 0;
}

static int
expectPtr(void *p, const char *what, int code, int dom, const char *text)
{
    if (p) {
        g_free(p);
        VIR_TEST_FAIL("%s succeeded, expected failure", what);
    }
    ASSERT_ERROR_MSG(code, dom, text);
    return 0;
}

static int
expectMessage(const char *what, const char *text)
{
    if (strcmp(virGetLastErrorMessage(), text) != 0)
        VIR_TEST_FAIL("%s: message '%s', expected exactly '%s'", what,
                      virGetLastErrorMessage(), text);
    return 0;
}

static int
testErrors(const void *data G_GNUC_UNUSED)
{
    virConnect *conn = openURI("test:///default");
    g_autoptr(virDomainRef) test = NULL;
    g_autoptr(virDomainRef) foo = NULL;
    g_autoptr(virDomainRef) tr = NULL;
    virDomainRef ghost = { .name = (char *)"ghost", .id = -1 };
    unsigned char uuid[VIR_UUID_BUFLEN] = { 1 };
    Collector c;
    int ret = -1;

    if (!conn)
        return -1;
    collectorInit(&c, "E");
    if (virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb), &c, NULL) < 0 ||
        !(test = virDomainLookupByName(conn, "test")) ||
        !(foo = virDomainDefineXML(conn, fooXML)) ||
        !(tr = virDomainCreateXML(conn, trXML, 0))) {
        fprintf(stderr, "  setup: %s\n", virGetLastErrorMessage());
        goto cleanup;
    }
    g_free(collectorTake(&c));
    memcpy(ghost.uuid, uuid, sizeof(uuid));

    {
#define FAIL_INT(call, code, dom, text) \
    do { if (expectInt(call, #call, code, dom, text) < 0) goto cleanup; } while (0)
#define FAIL_PTR(call, code, dom, text) \
    do { void *p_; virResetLastError(); p_ = (void *)(call); \
         if (expectPtr(p_, #call, code, dom, text) < 0) goto cleanup; } while (0)
/* the same, the message being exactly text */
#define FAIL_INT_EQ(call, code, dom, text) \
    do { FAIL_INT(call, code, dom, text); \
         if (expectMessage(#call, text) < 0) goto cleanup; } while (0)
#define FAIL_PTR_EQ(call, code, dom, text) \
    do { FAIL_PTR(call, code, dom, text); \
         if (expectMessage(#call, text) < 0) goto cleanup; } while (0)

        /* lookups */
        FAIL_PTR(virDomainLookupByName(conn, "nope"), VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                 "Domain not found");
        FAIL_PTR(virDomainLookupByID(conn, 99), VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found");
        FAIL_PTR(virDomainLookupByID(conn, 0), VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found");
        FAIL_PTR(virDomainLookupByUUID(conn, uuid), VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                 "Domain not found");
        /* a handle to a domain that is gone */
        FAIL_INT(virDomainCreate(conn, &ghost), VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                 "no domain with matching uuid '01000000-0000-0000-0000-000000000000' (ghost)");
        FAIL_INT(virDomainGetState(conn, &ghost, &(int){0}, NULL, 0), VIR_ERR_NO_DOMAIN,
                 VIR_FROM_TEST, "no domain with matching uuid");

        /* invalid operations for the state */
        FAIL_INT(virDomainCreate(conn, test), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                 "internal error: Domain 'test' is already running");
        FAIL_INT(virDomainDestroy(conn, foo), VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                 "Requested operation is not valid: domain is not running");
        FAIL_INT(virDomainReboot(conn, foo, 0), VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                 "domain is not running");
        FAIL_INT(virDomainShutdown(conn, foo), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                 "domain 'foo' not running");
        FAIL_INT(virDomainSuspend(conn, foo), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                 "domain 'foo' not running");
        FAIL_INT(virDomainResume(conn, foo), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                 "domain 'foo' not paused");
        FAIL_INT(virDomainResume(conn, test), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                 "domain 'test' not paused");
        if (virDomainSuspend(conn, test) < 0)
            goto cleanup;
        FAIL_INT(virDomainSuspend(conn, test), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                 "domain 'test' not running");
        if (virDomainResume(conn, test) < 0)
            goto cleanup;
        g_free(collectorTake(&c));      /* those two were real changes */
        FAIL_INT(virDomainGetVcpusFlags(conn, tr, VIR_DOMAIN_AFFECT_CONFIG),
                 VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                 "transient domains do not have any persistent config");
        FAIL_INT(virDomainGetVcpusFlags(conn, foo, VIR_DOMAIN_AFFECT_LIVE),
                 VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, "domain is not running");
        FAIL_INT(virDomainGetVcpusFlags(conn, test, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG),
                 VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "mutually exclusive");

        /* definitions; a document that is not well formed: libxml2's first
         * fatal error, the line and a pointer at the column, as libvirt */
        FAIL_PTR(virDomainDefineXML(conn, "<domain"), VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN,
                 "(domain_definition):1:");
        FAIL_PTR_EQ(virDomainDefineXML(conn, "<domain type='test'><name>bad</name"),
                    VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN,
                    "(domain_definition):1: expected '>'\n"
                    "<domain type='test'><name>bad</name\n"
                    "-----------------------------------^");
        FAIL_PTR_EQ(virDomainDefineXML(conn, "<domain type='test'>\n<name>a</name>\n"
                                             "\t<memory>1</memory></domai>\n"),
                    VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN,
                    "(domain_definition):3: Opening and ending tag mismatch: domain line 1 and domai\n"
                    "\t<memory>1</memory></domai>\n"
                    "\t--------------------------^");
        FAIL_PTR_EQ(virDomainDefineXML(conn, ""), VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN,
                    "(domain_definition):1: Document is empty\n(null)\n^");
        FAIL_PTR_EQ(virDomainCreateXML(conn, "junk", 0), VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN,
                    "(domain_definition):1: Start tag expected, '<' not found\njunk\n^");
        FAIL_PTR(virDomainDefineXML(conn, "<foo/>"), VIR_ERR_XML_ERROR, VIR_FROM_XML,
                 "expecting root element of 'domain', not 'foo'");
        FAIL_PTR(virDomainDefineXML(conn, "<domain type='test'><memory>1</memory>"
                                          "<os><type>hvm</type></os></domain>"),
                 VIR_ERR_NO_NAME, VIR_FROM_DOMAIN, "missing name information");
        FAIL_PTR(virDomainDefineXML(conn, "<domain type='test'><name>other</name><uuid>" TEST_UUID
                                          "</uuid><memory>1</memory><os><type>hvm</type></os></domain>"),
                 VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                 "operation failed: domain 'test' is already defined with uuid " TEST_UUID);
        FAIL_PTR(virDomainDefineXML(conn, "<domain type='test'><name>test</name>"
                                          "<memory>1</memory><os><type>hvm</type></os></domain>"),
                 VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                 "operation failed: domain 'test' already exists with uuid " TEST_UUID);
        FAIL_PTR(virDomainCreateXML(conn, "<domain type='test'><name>test</name>"
                                          "<memory>1</memory><os><type>hvm</type></os></domain>", 0),
                 VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN, "already exists with uuid");
        FAIL_PTR(virDomainCreateXML(conn, trXML, 0), VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                 "domain 'tr' is already active");

        /* flags: libvirt's virCheckFlags, no "invalid argument: " prefix;
         * str1 the function, str2 "flags" */
        FAIL_INT_EQ(virDomainDestroyFlags(conn, test, 0x62), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                    "unsupported flags (0x62) in function testDomainDestroyFlags");
        if (g_strcmp0(virGetLastError()->str1, "testDomainDestroyFlags") != 0 ||
            g_strcmp0(virGetLastError()->str2, "flags") != 0) {
            fprintf(stderr, "  str1/str2 of the flags error: %s/%s\n",
                    virGetLastError()->str1, virGetLastError()->str2);
            goto cleanup;
        }
        FAIL_INT_EQ(virDomainUndefineFlags(conn, foo, 0x1000), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                    "unsupported flags (0x1000) in function testDomainUndefineFlags");
        FAIL_INT_EQ(virDomainGetState(conn, test, &(int){0}, NULL, 1), VIR_ERR_INVALID_ARG,
                    VIR_FROM_TEST, "unsupported flags (0x1) in function testDomainGetState");
        FAIL_INT_EQ(virDomainCreateWithFlags(conn, foo, VIR_DOMAIN_START_PAUSED),
                    VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                    "unsupported flags (0x1) in function testDomainCreateWithFlags");
        FAIL_INT_EQ(virDomainShutdownFlags(conn, test, 1), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                    "unsupported flags (0x1) in function testDomainShutdownFlags");
        FAIL_INT(virDomainReboot(conn, test, 0x100), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                 "unsupported flags (0x100)");
        FAIL_PTR(virDomainGetXMLDesc(conn, test, VIR_DOMAIN_XML_UPDATE_CPU), VIR_ERR_INVALID_ARG,
                 VIR_FROM_TEST, "unsupported flags (0x4)");
        FAIL_PTR(virDomainDefineXMLFlags(conn, fooXML, 2), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                 "unsupported flags (0x2)");
        FAIL_PTR(virDomainCreateXML(conn, fooXML, 1), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                 "unsupported flags (0x1)");
        FAIL_INT(virDomainHasManagedSaveImage(conn, test, 1), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                 "unsupported flags");
        FAIL_INT(virDomainGetVcpusFlags(conn, test, VIR_DOMAIN_VCPU_GUEST), VIR_ERR_INVALID_ARG,
                 VIR_FROM_TEST, "unsupported flags (0x8)");
        FAIL_INT(virConnectListAllDomains(conn, NULL, 0x10000), VIR_ERR_INVALID_ARG,
                 VIR_FROM_TEST, "unsupported flags (0x10000)");
        FAIL_PTR(virConnectGetSysinfo(conn, 1), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                 "unsupported flags");

        /* argument checks of the API */
        FAIL_PTR(virConnectGetCapabilities(NULL), VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN,
                 "invalid connection pointer in virConnectGetCapabilities");
        FAIL_INT(virDomainCreate(conn, NULL), VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOMAIN,
                 "invalid domain pointer in virDomainCreate");
        FAIL_PTR(virDomainLookupByName(conn, NULL), VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                 "name in virDomainLookupByName must not be NULL");
        FAIL_PTR_EQ(virDomainLookupByID(conn, -1), VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                    "id in virDomainLookupByID must be zero or greater");
        FAIL_PTR(virDomainCreateXML(conn, NULL, 0), VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                 "xmlDesc in virDomainCreateXML must not be NULL");
        FAIL_INT(virConnectListDomains(conn, NULL, -1), VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                 "maxids in virConnectListDomains must be zero or greater");
        FAIL_INT(virConnectGetVersion(conn, NULL), VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                 "hvVer in virConnectGetVersion must not be NULL");
        FAIL_INT(virDomainGetInfo(conn, test, NULL), VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                 "must not be NULL");
        FAIL_INT_EQ(virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LAST,
                                                     VIR_DOMAIN_EVENT_CALLBACK(rebootCb), NULL, NULL),
                    VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "eventID must be less than 27");
        FAIL_INT(virConnectDomainEventRegisterAny(conn, NULL, 0, NULL, NULL, NULL),
                 VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "must not be NULL");
        FAIL_INT(virConnectDomainEventDeregisterAny(conn, -1), VIR_ERR_INVALID_ARG,
                 VIR_FROM_DOMAIN,
                 "callbackID in virConnectDomainEventDeregisterAny must be zero or greater");
        FAIL_INT(virConnectDomainEventRegister(conn, NULL, NULL, NULL), VIR_ERR_INVALID_ARG,
                 VIR_FROM_DOMAIN, "must not be NULL");
        FAIL_INT(virConnectClose(NULL), VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN,
                 "invalid connection pointer");
#undef FAIL_INT
#undef FAIL_PTR
#undef FAIL_INT_EQ
#undef FAIL_PTR_EQ
    }

    /* none of the failures raised an event or changed anything */
    {
        g_autofree char *evs = collectorTake(&c);
        if (strcmp(evs, "") != 0 || virConnectNumOfDomains(conn) != 2 ||
            virConnectNumOfDefinedDomains(conn) != 1) {
            fprintf(stderr, "  failures changed something: events '%s'\n", evs);
            goto cleanup;
        }
    }
    ret = 0;
 cleanup:
    virConnectClose(conn);
    collectorClear(&c);
    return ret;
}

static int
testOpenErrors(const void *data G_GNUC_UNUSED)
{
    g_autofree char *missing = g_build_filename(virTestTempDir(), "missing.xml", NULL);
    g_autofree char *uri = g_strdup_printf("test://%s", missing);
    virConnect *ro;
    g_autoptr(virDomainRef) dom = NULL;

    ASSERT_FAILS_PTR(virConnectOpen("test:///", 0), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                     "testOpen: supply a path or use test:///default");
    ASSERT_FAILS_PTR(virConnectOpen("test://", 0), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                     "supply a path");
    ASSERT_FAILS_PTR(virConnectOpen("foo:///bar", 0), VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                     "no connection driver available for foo:///bar");
    ASSERT_FAILS_PTR(virConnectOpen("test://remotehost/default", 0), VIR_ERR_NO_CONNECT,
                     VIR_FROM_NONE, "test://remotehost/default");
    ASSERT_FAILS_PTR(virConnectOpen("nocolon", 0), VIR_ERR_NO_CONNECT, VIR_FROM_NONE, "nocolon");
    {
        /* libvirt: code XML_ERROR, domain TEST, no reason appended */
        g_autofree char *msg = g_strdup_printf("XML error: failed to parse xml document '%s'",
                                               missing);
        ASSERT_FAILS_PTR(virConnectOpen(uri, 0), VIR_ERR_XML_ERROR, VIR_FROM_TEST, msg);
        VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), msg);
    }
    ASSERT_FAILS_PTR(virConnectOpen("test:///default", 0x100), VIR_ERR_INVALID_ARG,
                     VIR_FROM_DOMAIN, "unsupported flags");
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(),
                        "unsupported flags (0x100) in function virConnectOpen");

    /* NULL: the first driver's default */
    {
        virConnect *def = virConnectOpen(NULL, 0);
        g_autofree char *u = NULL;
        VIR_TEST_ASSERT(def);
        u = virConnectGetURI(def);
        VIR_TEST_ASSERT_STR(u, "test:///default");
        virConnectClose(def);
    }

    /* read-only: queries work, changes are denied */
    VIR_TEST_ASSERT((ro = virConnectOpen("test:///default", VIR_CONNECT_RO)));
    dom = virDomainLookupByName(ro, "test");
    VIR_TEST_ASSERT(dom);
    ASSERT_FAILS_INT(virDomainDestroy(ro, dom), VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                     "read only access prevents virDomainDestroy");
    ASSERT_FAILS_PTR(virDomainDefineXML(ro, fooXML), VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                     "read only access prevents virDomainDefineXML");
    VIR_TEST_ASSERT_INT(virDomainIsActive(ro, dom), 1);
    VIR_TEST_ASSERT_INT(virConnectClose(ro), 0);
    return 0;
}

/* A driver with nothing but open/close: every other call is NO_SUPPORT. */
static virDrvOpenStatus
bareOpen(virConnect *conn G_GNUC_UNUSED, const char *uri G_GNUC_UNUSED,
         unsigned int flags G_GNUC_UNUSED)
{
    return VIR_DRV_OPEN_SUCCESS;
}

static int bareClosed;

static int
bareClose(virConnect *conn G_GNUC_UNUSED)
{
    bareClosed++;
    return 0;
}

static const char *const bareSchemes[] = { "bare", NULL };
static const virConnectDriver bareDriver = {
    .name = "Bare",
    .uriSchemes = bareSchemes,
    .connectOpen = bareOpen,
    .connectClose = bareClose,
};

static int
testNoSupport(const void *data G_GNUC_UNUSED)
{
    virConnect *conn;
    virDomainRef dom = { .name = (char *)"x", .id = -1 };

    VIR_TEST_ASSERT_INT(virConnectRegisterDriver(&bareDriver), 0);
    VIR_TEST_ASSERT((conn = virConnectOpen("bare:///", 0)));
    VIR_TEST_ASSERT_STR(virConnectGetType(conn), "Bare");
    /* an in-daemon driver's answers, unless the driver gives its own */
    VIR_TEST_ASSERT_INT(virConnectSupportsFeature(conn, VIR_DRV_FEATURE_TYPED_PARAM_STRING), 1);
    VIR_TEST_ASSERT_INT(virConnectSupportsFeature(conn, VIR_DRV_FEATURE_PROGRAM_KEEPALIVE), 0);
    VIR_TEST_ASSERT_INT(virConnectIsSecure(conn), 1);
    VIR_TEST_ASSERT_INT(virConnectIsEncrypted(conn), 0);
    VIR_TEST_ASSERT_INT(virConnectIsAlive(conn), 1);
    ASSERT_FAILS_PTR(virConnectGetHostname(conn), VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN,
                     "this function is not supported by the connection driver: virConnectGetHostname");
    ASSERT_FAILS_INT(virDomainCreate(conn, &dom), VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN,
                     "virDomainCreate");
    ASSERT_FAILS_INT(virConnectDomainEventDeregisterAny(conn, 0), VIR_ERR_NO_SUPPORT,
                     VIR_FROM_DOMAIN, "virConnectDomainEventDeregisterAny");
    ASSERT_FAILS_INT(virConnectListAllDomains(conn, NULL, 0), VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN,
                     "virConnectListAllDomains");
    /* references: the driver's close runs on the last one */
    VIR_TEST_ASSERT(virConnectRef(conn) == conn);
    VIR_TEST_ASSERT_INT(virConnectClose(conn), 1);
    VIR_TEST_ASSERT_INT(bareClosed, 0);
    VIR_TEST_ASSERT_INT(virConnectClose(conn), 0);
    VIR_TEST_ASSERT_INT(bareClosed, 1);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Registrations                                                       */

static int
testRegistrations(const void *data G_GNUC_UNUSED)
{
    virConnect *c1 = openURI("test:///default");
    virConnect *c2 = openURI("test:///default");
    g_autoptr(virDomainRef) foo = NULL;
    g_autoptr(virDomainRef) bar = NULL;
    Collector all, onlyFoo, leg, leg2, other;
    int idAll, idFoo, idOther, idDupFilter;
    int ret = -1;

    collectorInit(&all, "all");
    collectorInit(&onlyFoo, "foo");
    collectorInit(&leg, "leg");
    collectorInit(&leg2, "leg2");
    collectorInit(&other, "c2");
    if (!c1 || !c2)
        goto cleanup;
#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "  %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, virGetLastErrorMessage()); goto cleanup; } } while (0)
#define CHECK_ERR(code, dom, text) \
    CHECK(virGetLastErrorCode() == (code) && virGetLastError()->domain == (dom) && \
          strstr(virGetLastErrorMessage(), text))

    if (!(foo = virDomainDefineXML(c1, fooXML)) || !(bar = virDomainDefineXML(c1, barXML)))
        goto cleanup;

    /* legacy: IDs are counted from 0, legacy registrations take one */
    CHECK(virConnectDomainEventRegister(c1, lifecycleCb, &leg, collectorFree) == 0);
    virResetLastError();
    CHECK(virConnectDomainEventRegister(c1, lifecycleCb, &leg, collectorFree) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "event callback already tracked");
    CHECK(virConnectDomainEventRegister(c1, lifecycleCb2, &leg2, collectorFree) == 0);
    /* the same function on another connection is another registration */
    CHECK(virConnectDomainEventRegister(c2, lifecycleCb, &other, collectorFree) == 0);
    idAll = virConnectDomainEventRegisterAny(c1, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                             VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb), &all,
                                             collectorFree);
    CHECK(idAll == 3);
    /* same callback, same (no) filter: refused; with a filter: accepted */
    virResetLastError();
    CHECK(virConnectDomainEventRegisterAny(c1, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb), &all,
                                           NULL) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "event callback already tracked");
    idFoo = virConnectDomainEventRegisterAny(c1, foo, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                             VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb), &onlyFoo,
                                             collectorFree);
    CHECK(idFoo == 4);
    virResetLastError();
    CHECK(virConnectDomainEventRegisterAny(c1, foo, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb), &onlyFoo,
                                           NULL) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "already tracked");
    /* another event ID (never raised here, accepted as libvirt does) */
    idDupFilter = virConnectDomainEventRegisterAny(c1, foo, 5 /* WATCHDOG */,
                                                   VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb),
                                                   &onlyFoo, NULL);
    CHECK(idDupFilter == 5);
    idOther = virConnectDomainEventRegisterAny(c2, bar, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                               VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb), &other,
                                               collectorFree);
    CHECK(idOther == 6);

    /* filters: the foo registration sees only foo */
    CHECK(virDomainCreate(c1, foo) == 0);
    CHECK(virDomainCreate(c1, bar) == 0);
    {
        g_autofree char *a = collectorTake(&all), *f = collectorTake(&onlyFoo);
        g_autofree char *l = collectorTake(&leg), *l2 = collectorTake(&leg2);
        g_autofree char *o = collectorTake(&other);
        CHECK(strcmp(a, "all:foo:STARTED/0:2;all:bar:STARTED/0:3;") == 0);
        CHECK(strcmp(f, "foo:foo:STARTED/0:2;") == 0);
        CHECK(strcmp(l, "leg:foo:STARTED/0:2;leg:bar:STARTED/0:3;") == 0);
        CHECK(strcmp(l2, "leg2:foo:STARTED/0:2;leg2:bar:STARTED/0:3;") == 0);
        /* c2: legacy (all) and its bar-only registration */
        CHECK(strcmp(o, "c2:foo:STARTED/0:2;c2:bar:STARTED/0:3;c2:bar:STARTED/0:3;") == 0);
    }

    /* unknown IDs, another connection's IDs, unknown legacy callbacks: refused */
    virResetLastError();
    CHECK(virConnectDomainEventDeregisterAny(c1, 999) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "could not find event callback 999 for deletion");
    CHECK(virConnectDomainEventDeregisterAny(c2, idAll) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "could not find event callback 3 for deletion");
    CHECK(virConnectDomainEventDeregister(c2, lifecycleCb2) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "not registered");

    /* removing one registration leaves the others working; its free runs once */
    CHECK(virConnectDomainEventDeregister(c1, lifecycleCb) == 0);
    CHECK(leg.frees == 1);
    virResetLastError();
    CHECK(virConnectDomainEventDeregister(c1, lifecycleCb) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "not registered");
    CHECK(virConnectDomainEventDeregisterAny(c1, idFoo) == 0);
    CHECK(onlyFoo.frees == 1);
    CHECK(virConnectDomainEventDeregisterAny(c1, idFoo) == -1);
    CHECK(virDomainDestroy(c1, foo) == 0);
    {
        g_autofree char *a = collectorTake(&all), *f = collectorTake(&onlyFoo);
        g_autofree char *l = collectorTake(&leg), *l2 = collectorTake(&leg2);
        g_autofree char *o = collectorTake(&other);
        CHECK(strcmp(a, "all:foo:STOPPED/1:-1;") == 0);
        CHECK(strcmp(f, "") == 0 && strcmp(l, "") == 0);
        CHECK(strcmp(l2, "leg2:foo:STOPPED/1:-1;") == 0);
        CHECK(strcmp(o, "c2:foo:STOPPED/1:-1;") == 0);
    }
    /* a legacy registration can be re-added after removal */
    CHECK(virConnectDomainEventRegister(c1, lifecycleCb, &leg, collectorFree) == 0);

    /* closing a connection purges its registrations and runs their frees */
    CHECK(other.frees == 0);
    closeConn(&c2);
    CHECK(other.frees == 2);
    CHECK(virDomainDestroy(c1, bar) == 0);
    {
        g_autofree char *o = collectorTake(&other);
        CHECK(strcmp(o, "") == 0);
    }
    closeConn(&c1);
    CHECK(all.frees == 1 && leg.frees == 2 && leg2.frees == 1);
    ret = 0;
#undef CHECK
#undef CHECK_ERR
 cleanup:
    closeConn(&c1);
    closeConn(&c2);
    collectorClear(&all);
    collectorClear(&onlyFoo);
    collectorClear(&leg);
    collectorClear(&leg2);
    collectorClear(&other);
    return ret;
}

/* A callback that removes its own registration from inside the dispatch. */
typedef struct {
    virConnect *conn;
    int id;
    int calls;
    int frees;
    int callsAfterFree;
} SelfRemover;

static void
selfRemoveCb(virConnect *conn G_GNUC_UNUSED, const virDomainRef *dom G_GNUC_UNUSED,
             int event G_GNUC_UNUSED, int detail G_GNUC_UNUSED, void *opaque)
{
    SelfRemover *s = opaque;

    s->calls++;
    if (s->frees)
        s->callsAfterFree++;
    if (s->id >= 0 && virConnectDomainEventDeregisterAny(s->conn, s->id) == 0)
        s->id = -1;
}

static void
selfRemoveFree(void *opaque)
{
    ((SelfRemover *)opaque)->frees++;
}

static int
testRemoveFromCallback(const void *data G_GNUC_UNUSED)
{
    virConnect *conn = openURI("test:///default");
    g_autoptr(virDomainRef) test = NULL;
    SelfRemover s = { .id = -1 };
    Collector after;
    int ret = -1;

    collectorInit(&after, "after");
    if (!conn || !(test = virDomainLookupByName(conn, "test")))
        goto cleanup;
    s.conn = conn;
    s.id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                            VIR_DOMAIN_EVENT_CALLBACK(selfRemoveCb), &s,
                                            selfRemoveFree);
    if (s.id < 0 ||
        virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb), &after, NULL) < 0)
        goto cleanup;
    if (virDomainSuspend(conn, test) < 0 || virDomainResume(conn, test) < 0)
        goto cleanup;
    {
        g_autofree char *evs = collectorTake(&after);
        if (s.calls != 1 || s.frees != 1 || s.id != -1 || s.callsAfterFree ||
            strcmp(evs, "after:test:SUSPENDED/0:1;after:test:RESUMED/0:1;") != 0) {
            fprintf(stderr, "  calls %d frees %d id %d events %s\n", s.calls, s.frees, s.id, evs);
            goto cleanup;
        }
    }
    ret = 0;
 cleanup:
    closeConn(&conn);
    collectorClear(&after);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Shared state                                                        */

static int
testSharedState(const void *data G_GNUC_UNUSED)
{
    virConnect *c1 = openURI("test:///default");
    virConnect *c2 = openURI("test:///default");
    g_autoptr(virDomainRef) foo = NULL;
    g_autoptr(virDomainRef) seen = NULL;
    g_autoptr(virDomainRef) test = NULL;
    Collector c;
    int ret = -1;

    collectorInit(&c, "c2");
    if (!c1 || !c2)
        goto cleanup;
    if (virConnectDomainEventRegisterAny(c2, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb), &c, NULL) != 0)
        goto cleanup;
    if (!(foo = virDomainDefineXML(c1, fooXML)) || virDomainCreate(c1, foo) < 0)
        goto cleanup;
    /* c2 sees c1's changes, and their events */
    if (!(seen = virDomainLookupByName(c2, "foo")) || seen->id != 2)
        goto cleanup;
    {
        g_autofree char *evs = collectorTake(&c);
        if (strcmp(evs, "c2:foo:DEFINED/0:-1;c2:foo:STARTED/0:2;") != 0) {
            fprintf(stderr, "  events %s\n", evs);
            goto cleanup;
        }
    }
    /* closing one connection keeps the state */
    if (testDriverOpenStates() != 1)
        goto cleanup;
    closeConn(&c1);
    if (virConnectNumOfDomains(c2) != 2 || testDriverOpenStates() != 1)
        goto cleanup;
    /* the last close drops it: a new connection starts afresh */
    closeConn(&c2);
    if (testDriverOpenStates() != 0)
        goto cleanup;
    if (!(c1 = openURI("test:///default")))
        goto cleanup;
    virResetLastError();
    if (virDomainLookupByName(c1, "foo") || virGetLastErrorCode() != VIR_ERR_NO_DOMAIN)
        goto cleanup;
    if (virConnectNumOfDomains(c1) != 1 || virConnectNumOfDefinedDomains(c1) != 0)
        goto cleanup;
    if (!(test = virDomainLookupByID(c1, 1)) || virDomainDestroy(c1, test) < 0 ||
        virDomainCreate(c1, test) < 0)
        goto cleanup;
    virDomainRefFree(test);
    if (!(test = virDomainLookupByName(c1, "test")) || test->id != 2)  /* IDs restart too */
        goto cleanup;
    ret = 0;
 cleanup:
    closeConn(&c1);
    closeConn(&c2);
    collectorClear(&c);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Node files                                                          */

static const char nodeFileXML[] =
    "<node>\n"
    "  <!-- a test node -->\n"
    "  <domain file='dom-file.xml'/>\n"
    "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
    "    <name>off</name>\n"
    "    <memory>2048</memory>\n"
    "    <os><type>hvm</type></os>\n"
    "    <test:runstate>5</test:runstate>\n"
    "  </domain>\n"
    "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
    "    <name>temp</name>\n"
    "    <memory>4096</memory>\n"
    "    <vcpu>3</vcpu>\n"
    "    <os><type>hvm</type></os>\n"
    "    <test:transient/>\n"
    "  </domain>\n"
    "  <network><name>ignored</name></network>\n"
    "  <cpu>\n"
    "    <mhz>6000</mhz>\n"
    "    <model>i986</model>\n"
    "    <active>50</active>\n"
    "    <nodes>4</nodes>\n"
    "    <sockets>4</sockets>\n"
    "    <cores>4</cores>\n"
    "    <threads>2</threads>\n"
    "  </cpu>\n"
    "  <memory>8192000</memory>\n"
    "</node>\n";

static const char domFileXML[] =
    "<domain type='test'>\n"
    "  <name>fc4</name>\n"
    "  <uuid>EF86180145B911CB88E3AFBFE5370493</uuid>\n"
    "  <os>\n"
    "    <type>xen</type>\n"
    "    <kernel>/boot/vmlinuz</kernel>\n"
    "    <root>/dev/sda1</root>\n"
    "  </os>\n"
    "  <memory>261072</memory>\n"
    "  <currentMemory>131072</currentMemory>\n"
    "  <devices><console tty='/dev/pts/5'/></devices>\n"
    "</domain>\n";

static char *
writeFile(const char *name, const char *content)
{
    char *path = g_build_filename(virTestTempDir(), name, NULL);

    if (!g_file_set_contents(path, content, -1, NULL)) {
        g_free(path);
        return NULL;
    }
    return path;
}

static int
expectOpenFails(const char *name, const char *content, int code, const char *text)
{
    g_autofree char *path = writeFile(name, content);
    g_autofree char *uri = g_strdup_printf("test://%s", path);
    virConnect *conn;

    virResetLastError();
    if ((conn = virConnectOpen(uri, 0))) {
        virConnectClose(conn);
        VIR_TEST_FAIL("open of %s succeeded", name);
    }
    if (virGetLastErrorCode() != code || !strstr(virGetLastErrorMessage(), text))
        VIR_TEST_FAIL("%s: error %d '%s', expected %d '%s'", name, virGetLastErrorCode(),
                      virGetLastErrorMessage(), code, text);
    return 0;
}

static int
expectOpenFailsExactly(const char *name, const char *content, int code, int domain,
                       const char *text)
{
    if (expectOpenFails(name, content, code, text) < 0)
        return -1;
    if (virGetLastError()->domain != domain || strcmp(virGetLastErrorMessage(), text) != 0)
        VIR_TEST_FAIL("%s: error domain %d '%s', expected %d '%s'", name,
                      virGetLastError()->domain, virGetLastErrorMessage(), domain, text);
    return 0;
}

static int
testNodeFile(const void *data G_GNUC_UNUSED)
{
    g_autofree char *domPath = writeFile("dom-file.xml", domFileXML);
    g_autofree char *nodePath = writeFile("node.xml", nodeFileXML);
    g_autofree char *uri = g_strdup_printf("test://%s", nodePath);
    virConnect *c1 = NULL, *c2 = NULL, *dflt = NULL;
    g_autoptr(virDomainRef) fc4 = NULL;
    g_autoptr(virDomainRef) off = NULL;
    g_autoptr(virDomainRef) temp = NULL;
    g_autofree char *xml = NULL, *gotURI = NULL;
    virNodeInfo node;
    int ret = -1;

    if (!domPath || !nodePath)
        return -1;
    if (!(c1 = openURI(uri)) || !(c2 = openURI(uri)) || !(dflt = openURI("test:///default")))
        goto cleanup;
#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "  %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, virGetLastErrorMessage()); goto cleanup; } } while (0)
    CHECK((gotURI = virConnectGetURI(c1)) && strcmp(gotURI, uri) == 0);
    {
        /* the same file by another path: the same state */
        g_autofree char *other = g_strdup_printf("test://%s/./node.xml", virTestTempDir());
        virConnect *c3 = openURI(other);
        virDomainRef *r;
        CHECK(c3);
        r = virDomainDefineXML(c3, fooXML);
        virDomainRefFree(r);
        closeConn(&c3);
        CHECK(r && virConnectNumOfDefinedDomains(c1) == 2);
        r = virDomainLookupByName(c1, "foo");
        CHECK(r && virDomainUndefine(c1, r) == 0);
        virDomainRefFree(r);
    }
    CHECK(virNodeGetInfo(c1, &node) == 0);
    CHECK(strcmp(node.model, "i986") == 0 && node.mhz == 6000 && node.memory == 8192000);
    CHECK(node.nodes == 4 && node.sockets == 4 && node.cores == 4 && node.threads == 2);
    CHECK(node.cpus == 50);     /* min(active, 4*4*4*2) */
    {
        /* libvirt's test driver has no free memory on a file node: 0,
         * which its API (and so libvirtd) reports as a generic error */
        unsigned long long freeMem = 1;
        virResetLastError();
        CHECK(virNodeGetFreeMemory(c1, &freeMem) == -1 && freeMem == 0);
        CHECK(virGetLastErrorCode() == VIR_ERR_INTERNAL_ERROR &&
              virGetLastError()->domain == VIR_FROM_NONE);
        CHECK(strcmp(virGetLastErrorMessage(), "An error occurred, but the cause is unknown") == 0);
    }

    CHECK((fc4 = virDomainLookupByName(c1, "fc4")) && fc4->id == 1);
    CHECK(checkState(c1, fc4, VIR_DOMAIN_RUNNING, 0) == 0);
    CHECK(virDomainIsPersistent(c1, fc4) == 1);
    CHECK((xml = virDomainGetXMLDesc(c1, fc4, 0)));
    CHECK(strstr(xml, "<uuid>ef861801-45b9-11cb-88e3-afbfe5370493</uuid>"));
    CHECK(strstr(xml, "<console tty='/dev/pts/5'/>") && strstr(xml, "<root>/dev/sda1</root>"));
    CHECK((off = virDomainLookupByName(c1, "off")) && off->id == -1);
    CHECK(checkState(c1, off, VIR_DOMAIN_SHUTOFF, 0) == 0);
    CHECK((temp = virDomainLookupByName(c1, "temp")) && temp->id == 2);
    CHECK(virDomainIsPersistent(c1, temp) == 0);
    CHECK(virDomainGetVcpusFlags(c1, temp, 0) == 3);
    CHECK(virConnectNumOfDomains(c1) == 2 && virConnectNumOfDefinedDomains(c1) == 1);

    /* the file's connections share a state, separate from the default one */
    CHECK(virDomainCreate(c2, off) == 0);
    CHECK(checkState(c1, off, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED) == 0);
    virResetLastError();
    {
        virDomainRef *none = virDomainLookupByName(dflt, "off");
        CHECK(!none && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN);
    }
    /* shutting the transient one down removes it */
    CHECK(virDomainShutdown(c1, temp) == 0);
    CHECK(virConnectNumOfDomains(c2) == 2);
    closeConn(&c1);
    closeConn(&c2);
    /* reopened: loaded afresh */
    CHECK((c1 = openURI(uri)));
    CHECK(virConnectNumOfDomains(c1) == 2 && virConnectNumOfDefinedDomains(c1) == 1);
    closeConn(&c1);

    /* broken node files: the open fails, nothing is kept; libvirt's
     * messages, domain TEST for the documents' errors */
    {
        g_autofree char *bad = g_build_filename(virTestTempDir(), "bad0.xml", NULL);
        g_autofree char *nope = g_build_filename(virTestTempDir(), "nope.xml", NULL);
        g_autofree char *msg1 = g_strdup_printf("%s:3: expected '>'\n</node>\n^", bad);
        g_autofree char *msg2 = g_strdup_printf("XML error: failed to parse xml document '%s'",
                                                nope);

        if (expectOpenFailsExactly("bad0.xml", "<node>\n  <domain type='test'><name>a</name\n"
                                   "</node>\n", VIR_ERR_XML_DETAIL, VIR_FROM_TEST, msg1) < 0 ||
            expectOpenFailsExactly("bad3.xml", "<node><domain file='nope.xml'/></node>",
                                   VIR_ERR_XML_ERROR, VIR_FROM_TEST, msg2) < 0)
            goto cleanup;
    }
    if (expectOpenFails("bad1.xml", "<node><domain", VIR_ERR_XML_DETAIL, "bad1.xml") < 0 ||
        expectOpenFails("bad2.xml", "<nodes/>", VIR_ERR_XML_ERROR,
                        "expecting root element of 'node', not 'nodes'") < 0 ||
        expectOpenFails("bad3.xml", "<node><domain file='nope.xml'/></node>", VIR_ERR_XML_ERROR,
                        "nope.xml") < 0 ||
        expectOpenFails("bad4.xml", "<node><cpu><nodes>x</nodes></cpu></node>", VIR_ERR_XML_ERROR,
                        "invalid node cpu nodes value") < 0 ||
        expectOpenFails("bad5.xml", "<node><memory>-1</memory></node>", VIR_ERR_XML_ERROR,
                        "invalid node memory value") < 0 ||
        expectOpenFails("bad6.xml", "<node><domain type='test'><name>a</name><memory>1</memory>"
                                    "<os><type>hvm</type></os></domain><domain type='test'>"
                                    "<name>a</name><memory>1</memory><os><type>hvm</type></os>"
                                    "</domain></node>", VIR_ERR_OPERATION_FAILED,
                        "already exists") < 0 ||
        expectOpenFails("bad7.xml", "<node><domain type='test'><name>a</name></domain></node>",
                        VIR_ERR_XML_ERROR, "Memory size") < 0 ||
        expectOpenFails("bad8.xml", "<node><domain type='test' xmlns:test='http://libvirt.org/"
                                    "schemas/domain/test/1.0'><name>a</name><memory>1</memory>"
                                    "<os><type>hvm</type></os><test:transient/>"
                                    "<test:runstate>5</test:runstate></domain></node>",
                        VIR_ERR_XML_ERROR, "transient domain cannot have runstate 'shutoff'") < 0)
        goto cleanup;
    ret = 0;
#undef CHECK
 cleanup:
    closeConn(&c1);
    closeConn(&c2);
    closeConn(&dflt);
    return ret;
}

/* ------------------------------------------------------------------ */
/* XML through the driver                                              */

static const char richXML[] =
    "<domain type='test'>\n"
    "  <name>rich</name>\n"
    "  <uuid>44444444-2222-3333-4444-555555555555</uuid>\n"
    "  <title>A rich domain</title>\n"
    "  <memory unit='GiB'>1</memory>\n"
    "  <vcpu current='1'>2</vcpu>\n"
    "  <os><type machine='pc'>hvm</type><boot dev='cdrom'/></os>\n"
    "  <features><acpi/><pae/></features>\n"
    "  <devices>\n"
    "    <disk type='file' device='cdrom'><source file='/iso/x.iso'/><target dev='hdc'/></disk>\n"
    "    <wormhole destination='andromeda' size='42'><stabilizer/></wormhole>\n"
    "  </devices>\n"
    "</domain>\n";

static int
testXMLThroughDriver(const void *data G_GNUC_UNUSED)
{
    virConnect *conn = openURI("test:///default");
    g_autoptr(virDomainRef) dom = NULL;
    g_autoptr(virDomainRef) again = NULL;
    g_autofree char *first = NULL, *second = NULL, *live = NULL, *inactive = NULL;
    g_autofree char *before = NULL, *after = NULL;
    g_autoptr(virDomainRef) test = NULL;
    Collector c;
    int ret = -1;

    collectorInit(&c, "x");
    if (!conn)
        goto cleanup;
#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "  %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, virGetLastErrorMessage()); goto cleanup; } } while (0)
    CHECK((dom = virDomainDefineXML(conn, richXML)));
    CHECK((first = virDomainGetXMLDesc(conn, dom, 0)));
    CHECK(strstr(first, "    <wormhole destination='andromeda' size='42'>\n"
                        "      <stabilizer/>\n"
                        "    </wormhole>\n"));
    CHECK(strstr(first, "<title>A rich domain</title>"));
    CHECK(strstr(first, "<memory unit='KiB'>1048576</memory>"));
    CHECK(strstr(first, "<vcpu placement='static' current='1'>2</vcpu>"));
    CHECK(strstr(first, "<type arch='i686' machine='pc'>hvm</type>"));
    /* define again from the output: same output (DEFINED/UPDATED) */
    CHECK((again = virDomainDefineXML(conn, first)));
    CHECK((second = virDomainGetXMLDesc(conn, again, 0)));
    CHECK(strcmp(first, second) == 0);

    /* running: live XML has the id; a new persistent config shows with INACTIVE */
    CHECK(virDomainCreate(conn, dom) == 0);
    {
        virDomainRef *unrelated = virDomainDefineXML(conn, fooXML);
        CHECK(unrelated);
        virDomainRefFree(unrelated);
    }
    {
        g_autofree char *changed = g_strdup(first);
        char *p = strstr(changed, "A rich domain");
        virDomainRef *r;
        memcpy(p, "A poor domain", 13);
        CHECK((r = virDomainDefineXML(conn, changed)));
        virDomainRefFree(r);
    }
    CHECK((live = virDomainGetXMLDesc(conn, dom, 0)));
    CHECK(g_str_has_prefix(live, "<domain type='test' id='2'>"));
    CHECK(strstr(live, "A rich domain"));
    CHECK((inactive = virDomainGetXMLDesc(conn, dom, VIR_DOMAIN_XML_INACTIVE)));
    CHECK(g_str_has_prefix(inactive, "<domain type='test'>") && strstr(inactive, "A poor domain"));

    /* invalid XML: an error, no event, nothing changed */
    CHECK((test = virDomainLookupByName(conn, "test")));
    CHECK((before = virDomainGetXMLDesc(conn, test, 0)));
    g_free(collectorTake(&c));
    CHECK(virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb), &c, NULL) >= 0);
    {
        static const char *const bad[] = {
            "<domain type='test'><name>test</name><uuid>" TEST_UUID "</uuid>"
            "<memory>1</memory><os><type>bogus</type></os></domain>",
            "<domain type='test'><name>test</name><uuid>" TEST_UUID "</uuid>"
            "<memory unit='zz'>1</memory><os><type>hvm</type></os></domain>",
            "<domain type='test'><name>test</name><uuid>" TEST_UUID "</uuid>",
            "<domain type='test'><name>test</name><uuid>" TEST_UUID "</uuid>"
            "<memory>1</memory><os><type>hvm</type></os><on_crash>x</on_crash></domain>",
        };
        size_t i;
        for (i = 0; i < G_N_ELEMENTS(bad); i++) {
            virDomainRef *r = virDomainDefineXML(conn, bad[i]);
            CHECK(!r);
            CHECK(virGetLastError() != NULL);
            r = virDomainCreateXML(conn, bad[i], 0);
            CHECK(!r);
        }
    }
    CHECK((after = virDomainGetXMLDesc(conn, test, 0)));
    CHECK(strcmp(before, after) == 0);
    CHECK(virConnectNumOfDomains(conn) == 2 && virConnectNumOfDefinedDomains(conn) == 1);
    {
        g_autofree char *evs = collectorTake(&c);
        CHECK(strcmp(evs, "") == 0);
    }

    /* listing */
    {
        virDomainRef **list = NULL;
        char *names[4] = { NULL };
        int ids[4] = { 0 };
        int n, i;
        CHECK((n = virConnectListAllDomains(conn, &list, 0)) == 3);
        CHECK(strcmp(list[0]->name, "foo") == 0 && strcmp(list[1]->name, "rich") == 0 &&
              strcmp(list[2]->name, "test") == 0 && list[3] == NULL);
        virDomainRefListFree(list);
        CHECK(virConnectListAllDomains(conn, &list, VIR_CONNECT_LIST_DOMAINS_ACTIVE) == 2);
        virDomainRefListFree(list);
        CHECK(virConnectListAllDomains(conn, &list, VIR_CONNECT_LIST_DOMAINS_SHUTOFF) == 1);
        CHECK(strcmp(list[0]->name, "foo") == 0);
        virDomainRefListFree(list);
        CHECK(virConnectListAllDomains(conn, &list, VIR_CONNECT_LIST_DOMAINS_TRANSIENT) == 0);
        virDomainRefListFree(list);
        CHECK(virConnectListAllDomains(conn, &list, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE) == 0);
        virDomainRefListFree(list);
        CHECK(virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART |
                                                   VIR_CONNECT_LIST_DOMAINS_RUNNING) == 2);
        CHECK(virConnectListDomains(conn, ids, 4) == 2 && ids[0] == 1 && ids[1] == 2);
        CHECK(virConnectListDomains(conn, ids, 1) == 1 && ids[0] == 1);
        CHECK((n = virConnectListDefinedDomains(conn, names, 4)) == 1);
        CHECK(strcmp(names[0], "foo") == 0);
        for (i = 0; i < n; i++)
            g_free(names[i]);
    }
    ret = 0;
#undef CHECK
 cleanup:
    closeConn(&conn);
    collectorClear(&c);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Threads                                                             */

#define THREADS 4
#define ROUNDS 50

typedef struct {
    int index;
    int failed;
} Worker;

/* Per-domain event order check: each domain's events must come in the
 * order define, start, suspend, resume, destroy, undefine. */
typedef struct {
    GMutex lock;
    GHashTable *next;   /* name -> expected step index (GINT) */
    int errors;
    int total;
} OrderChecker;

static const char *const orderSteps[] = {
    "DEFINED", "STARTED", "SUSPENDED", "RESUMED", "STOPPED", "UNDEFINED",
};

static void
orderCb(virConnect *conn G_GNUC_UNUSED, const virDomainRef *dom, int event,
        int detail G_GNUC_UNUSED, void *opaque)
{
    OrderChecker *o = opaque;
    int step;

    if (strncmp(dom->name, "w", 1) != 0)
        return;
    g_mutex_lock(&o->lock);
    step = GPOINTER_TO_INT(g_hash_table_lookup(o->next, dom->name));
    if (strcmp(eventNames[event], orderSteps[step]) != 0)
        o->errors++;
    g_hash_table_insert(o->next, g_strdup(dom->name),
                        GINT_TO_POINTER((step + 1) % (int)G_N_ELEMENTS(orderSteps)));
    o->total++;
    g_mutex_unlock(&o->lock);
}

static gpointer
workerThread(gpointer data)
{
    Worker *w = data;
    virConnect *conn = virConnectOpen("test:///default", 0);
    int i;

    if (!conn) {
        w->failed++;
        return NULL;
    }
    for (i = 0; i < ROUNDS; i++) {
        g_autofree char *xml = g_strdup_printf(
            "<domain type='test'><name>w%d</name><memory>1024</memory>"
            "<os><type>hvm</type></os></domain>", w->index);
        virDomainRef *dom = virDomainDefineXML(conn, xml);
        Collector scratch;
        int id;

        if (!dom) {
            w->failed++;
            continue;
        }
        /* registrations coming and going while others dispatch */
        collectorInit(&scratch, "s");
        id = virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(lifecycleCb), &scratch,
                                              NULL);
        if (id < 0 ||
            virDomainCreate(conn, dom) < 0 || virDomainSuspend(conn, dom) < 0 ||
            virDomainResume(conn, dom) < 0 || virDomainDestroy(conn, dom) < 0 ||
            virConnectDomainEventDeregisterAny(conn, id) < 0 ||
            virDomainUndefine(conn, dom) < 0)
            w->failed++;
        if (scratch.calls != 4)
            w->failed++;
        collectorClear(&scratch);
        virDomainRefFree(dom);
    }
    virConnectClose(conn);
    return NULL;
}

/* The names of all-domain statistics, in the order they came, as "a,b,". */
static char *
statsNames(virConnect *conn, int nroomCheck)
{
    virDomainStatsRecord **recs = NULL;
    GString *out = g_string_new(NULL);
    int n, i;

    if ((n = virConnectGetAllDomainStats(conn, NULL, 0, 0, &recs, 0)) < 0) {
        g_string_free(out, TRUE);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        g_string_append_printf(out, "%s,", recs[i]->dom->name);
        /* the state group is there for each: the record's own room is used */
        if (nroomCheck && (recs[i]->nparams < 2 ||
                           strcmp(recs[i]->params[0].field, "state.state") != 0))
            g_string_append(out, "(no state)");
    }
    virDomainStatsRecordListFree(recs);
    return g_string_free(out, FALSE);
}

/* getAllDomainStats answers by name, from an index the driver builds once
 * after the list or a name changed: every change must be seen. */
static int
testStatsOrder(const void *data G_GNUC_UNUSED)
{
    virConnect *conn = NULL;
    g_autoptr(virDomainRef) zed = NULL, alpha = NULL, mid = NULL;
    char *names = NULL;
    int ret = -1;

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "  %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, virGetLastErrorMessage()); goto cleanup; } } while (0)
#define XML(name) "<domain type='test'><name>" name "</name><memory>1024</memory>" \
                  "<os><type>hvm</type></os></domain>"
#define EXPECT_NAMES(want) \
    do { \
        g_free(names); \
        CHECK((names = statsNames(conn, 1))); \
        if (strcmp(names, (want)) != 0) { \
            fprintf(stderr, "  stats order %s, expected %s\n", names, (want)); \
            goto cleanup; \
        } \
    } while (0)

    CHECK((conn = openURI("test:///default")));
    EXPECT_NAMES("test,");
    CHECK((zed = virDomainDefineXML(conn, XML("zed"))));
    EXPECT_NAMES("test,zed,");
    CHECK((alpha = virDomainDefineXML(conn, XML("alpha"))));
    EXPECT_NAMES("alpha,test,zed,");
    CHECK(virDomainRename(conn, zed, "beta", 0) == 0);
    EXPECT_NAMES("alpha,beta,test,");
    CHECK(virDomainUndefine(conn, alpha) == 0);
    EXPECT_NAMES("beta,test,");
    /* a transient domain, and the name it keeps when it stops */
    CHECK((mid = virDomainCreateXML(conn, XML("mid"), 0)));
    EXPECT_NAMES("beta,mid,test,");
    CHECK(virDomainDestroy(conn, mid) == 0);
    EXPECT_NAMES("beta,test,");
    ret = 0;
 cleanup:
#undef EXPECT_NAMES
#undef XML
#undef CHECK
    g_free(names);
    closeConn(&conn);
    return ret;
}

static int
testThreads(const void *data G_GNUC_UNUSED)
{
    virConnect *conn = openURI("test:///default");
    GThread *threads[THREADS];
    Worker workers[THREADS];
    OrderChecker order = { 0 };
    int i, failed = 0;

    if (!conn)
        return -1;
    g_mutex_init(&order.lock);
    order.next = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(orderCb), &order, NULL) < 0) {
        virConnectClose(conn);
        return -1;
    }
    for (i = 0; i < THREADS; i++) {
        workers[i].index = i;
        workers[i].failed = 0;
        threads[i] = g_thread_new("worker", workerThread, &workers[i]);
    }
    for (i = 0; i < THREADS; i++) {
        g_thread_join(threads[i]);
        failed += workers[i].failed;
    }
    virConnectClose(conn);
    g_hash_table_unref(order.next);
    g_mutex_clear(&order.lock);
    VIR_TEST_ASSERT_INT(failed, 0);
    VIR_TEST_ASSERT_INT(order.errors, 0);
    VIR_TEST_ASSERT_INT(order.total, THREADS * ROUNDS * (int)G_N_ELEMENTS(orderSteps));
    return 0;
}

/* One baseline: the result, or the error message when expected starts
 * with "!". Expected values are libvirt 9.0's test driver's answers. */
static int
baselineCase(virConnect *conn, const char *const *cpus, unsigned int flags, const char *expected)
{
    g_autofree char *got = NULL;

    virResetLastError();
    got = virConnectBaselineCPU(conn, (const char **)cpus, g_strv_length((char **)cpus), flags);
    if (expected[0] == '!') {
        if (got)
            VIR_TEST_FAIL("baseline %s: expected error '%s', got %s", cpus[0], expected + 1, got);
        VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), expected + 1);
        return 0;
    }
    if (!got)
        VIR_TEST_FAIL("baseline %s: %s", cpus[0], virGetLastErrorMessage());
    VIR_TEST_ASSERT_STR(got, expected);
    return 0;
}

#define BL_CPU(model, extra) "<cpu><arch>x86_64</arch><model>" model "</model>" extra "</cpu>"

static int
testCPUBaseline(const void *data G_GNUC_UNUSED)
{
    virConnect *conn = openURI("test:///default");
    const char *const haswellVmx[] = { BL_CPU("Haswell", "<vendor>Intel</vendor>"
                                              "<feature name='vmx'/>"), NULL };
    const char *const intel[] = { haswellVmx[0], BL_CPU("Westmere", "<vendor>Intel</vendor>"),
                                  NULL };
    const char *const mixed[] = { BL_CPU("Haswell", ""), BL_CPU("EPYC", ""), NULL };
    const char *const epyc[] = { BL_CPU("EPYC", ""), NULL };
    const char *const vendors[] = { BL_CPU("Haswell", "<vendor>Intel</vendor>"),
                                    BL_CPU("EPYC", "<vendor>AMD</vendor>"), NULL };
    const char *const noArch[] = { "<cpu><model>foo</model></cpu>", NULL };
    const char *const unknown[] = { BL_CPU("Haswell", "<feature name='nosuch'/>"), NULL };
    const char *const ppc[] = { "<cpu><arch>ppc64</arch><model>POWER8</model></cpu>",
                                "<cpu><arch>ppc64</arch><model>POWER9</model></cpu>", NULL };
    const char *const none[] = { NULL };
    int ret = -1;

    if (!conn)
        return -1;
    if (baselineCase(conn, haswellVmx, 0,
                     "<cpu mode='custom' match='exact'>\n"
                     "  <model fallback='forbid'>Haswell</model>\n"
                     "  <vendor>Intel</vendor>\n"
                     "  <feature policy='require' name='vmx'/>\n"
                     "</cpu>\n") < 0 ||
        baselineCase(conn, intel, 0,
                     "<cpu mode='custom' match='exact'>\n"
                     "  <model fallback='allow'>Westmere</model>\n"
                     "  <vendor>Intel</vendor>\n"
                     "</cpu>\n") < 0 ||
        /* the cheapest description: a generic model and its extra features,
         * in map order, no vendor since not every CPU names one */
        baselineCase(conn, mixed, 0,
                     "<cpu mode='custom' match='exact'>\n"
                     "  <model fallback='allow'>kvm64</model>\n"
                     "  <feature policy='require' name='pclmuldq'/>\n"
                     "  <feature policy='require' name='ssse3'/>\n"
                     "  <feature policy='require' name='fma'/>\n"
                     "  <feature policy='require' name='sse4.1'/>\n"
                     "  <feature policy='require' name='sse4.2'/>\n"
                     "  <feature policy='require' name='movbe'/>\n"
                     "  <feature policy='require' name='popcnt'/>\n"
                     "  <feature policy='require' name='aes'/>\n"
                     "  <feature policy='require' name='xsave'/>\n"
                     "  <feature policy='require' name='avx'/>\n"
                     "  <feature policy='require' name='fsgsbase'/>\n"
                     "  <feature policy='require' name='bmi1'/>\n"
                     "  <feature policy='require' name='avx2'/>\n"
                     "  <feature policy='require' name='smep'/>\n"
                     "  <feature policy='require' name='bmi2'/>\n"
                     "  <feature policy='require' name='rdtscp'/>\n"
                     "  <feature policy='require' name='lahf_lm'/>\n"
                     "</cpu>\n") < 0 ||
        /* a removed feature comes out disabled */
        baselineCase(conn, epyc, 0,
                     "<cpu mode='custom' match='exact'>\n"
                     "  <model fallback='forbid'>EPYC</model>\n"
                     "  <feature policy='disable' name='monitor'/>\n"
                     "</cpu>\n") < 0 ||
        baselineCase(conn, vendors, 0, "!operation failed: CPU vendors do not match") < 0 ||
        baselineCase(conn, noArch, 0, "!XML error: Missing CPU architecture") < 0 ||
        baselineCase(conn, unknown, 0, "!internal error: Unknown CPU feature nosuch") < 0 ||
        baselineCase(conn, ppc, 0, "!operation failed: CPUs are incompatible") < 0 ||
        baselineCase(conn, none, 0, "!invalid argument: no CPUs given") < 0 ||
        baselineCase(conn, haswellVmx, 2,
                     "!unsupported flags (0x2) in function "
                     "testConnectBaselineCPU") < 0)
        goto cleanup;
    {
        /* expanded: every feature of the model, sorted by name */
        g_autofree char *got = virConnectBaselineCPU(conn, (const char **)intel, 2,
                                                     VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES);

        if (!got)
            VIR_TEST_FAIL("expand: %s", virGetLastErrorMessage());
        VIR_TEST_ASSERT(g_str_has_prefix(got, "<cpu mode='custom' match='exact'>\n"
                                         "  <model fallback='allow'>Westmere</model>\n"
                                         "  <vendor>Intel</vendor>\n"
                                         "  <feature policy='require' name='aes'/>\n"
                                         "  <feature policy='require' name='apic'/>\n"));
        VIR_TEST_ASSERT(g_str_has_suffix(got, "  <feature policy='require' name='syscall'/>\n"
                                         "  <feature policy='require' name='tsc'/>\n"
                                         "</cpu>\n"));
        g_auto(GStrv) parts = got ? g_strsplit(got, "<feature", -1) : NULL;

        VIR_TEST_ASSERT_INT((int)g_strv_length(parts) - 1, 32);
    }
    ret = 0;
 cleanup:
    virConnectClose(conn);
    return ret;
}

int
main(void)
{
    if (testDriverRegister() < 0 || testDriverRegister() < 0) {
        fprintf(stderr, "cannot register the test driver\n");
        return 1;
    }
    virTestRun("default node contents", testDefaultNode, NULL);
    virTestRun("operations: states, reasons, events", testOperations, NULL);
    virTestRun("error codes of failures", testErrors, NULL);
    virTestRun("open errors, read-only connections", testOpenErrors, NULL);
    virTestRun("NULL table entries: no support", testNoSupport, NULL);
    virTestRun("event registrations", testRegistrations, NULL);
    virTestRun("removing a registration from its callback", testRemoveFromCallback, NULL);
    virTestRun("connections share state, reset after last close", testSharedState, NULL);
    virTestRun("node files", testNodeFile, NULL);
    virTestRun("XML through the driver", testXMLThroughDriver, NULL);
    virTestRun("all-domain statistics by name after defines and renames", testStatsOrder, NULL);
    virTestRun("threads", testThreads, NULL);
    virTestRun("CPU baseline", testCPUBaseline, NULL);
    return virTestResult();
}
