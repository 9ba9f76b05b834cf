/*
 * testdriver.c: the test driver, see testdriver.h and docs/test-driver.md.
 *
 * Model: a state per URI (test:///default, or a node file's path) holds
 * the node description, the domains and the event registry. A domain has
 * a persistent definition (NULL for a transient domain) and, while it
 * runs, a live definition (a copy made at start, or createXML's own).
 * The values, messages and error codes follow libvirt's test driver,
 * checked against libvirt 9.0 (docs/test-driver.md lists them).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "testdriverpriv.h"
#include "virutil.h"
#include "virnoiolock.h"
#include "virconnect.h"
#include "virdomaindef.h"
#include "virdomainevent.h"
#include "virdomainobjlist.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_TEST

VIR_LOG_INIT("drivers.test");

#define TEST_MODEL "i686"
#define TEST_EMULATOR "/usr/bin/test-hv"
#define TEST_MAX_VCPUS 32
#define TEST_HV_VERSION 2                 /* "0.0.2" */
#define TEST_HOST_UUID "11111111-2222-3333-4444-555555555555"

static const virNodeInfo testDefaultNodeInfo = {
    .model = TEST_MODEL,
    .memory = 3 * 1024 * 1024,            /* KiB */
    .cpus = 16,
    .mhz = 1400,
    .nodes = 2,
    .sockets = 2,
    .cores = 2,
    .threads = 2,
};

/* The default node: one running persistent domain, written the way
 * libvirt's test driver shows it (interface name filled in). */
static const char testDefaultNodeXML[] =
    "<node>\n"
    "  <domain type='test'>\n"
    "    <name>test</name>\n"
    "    <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>\n"
    "    <memory>8388608</memory>\n"
    "    <currentMemory>2097152</currentMemory>\n"
    "    <vcpu>2</vcpu>\n"
    "    <os>\n"
    "      <type>hvm</type>\n"
    "    </os>\n"
    "    <devices>\n"
    "      <disk type='file' device='disk'>\n"
    "        <source file='/guest/diskimage1'/>\n"
    "        <target dev='vda' bus='virtio'/>\n"
    "        <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n"
    "      </disk>\n"
    "      <interface type='network'>\n"
    "        <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "        <source network='default'/>\n"
    "        <target dev='testnet0'/>\n"
    "        <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>\n"
    "      </interface>\n"
    "      <memballoon model='virtio'>\n"
    "        <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n"
    "      </memballoon>\n"
    "    </devices>\n"
    "  </domain>\n"
    /* the other objects of libvirt's default node */
    "  <network>\n"
    "    <name>default</name>\n"
    "    <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>\n"
    "    <bridge name='virbr0'/>\n"
    "    <forward/>\n"
    "    <ip address='192.168.122.1' netmask='255.255.255.0'>\n"
    "      <dhcp>\n"
    "        <range start='192.168.122.2' end='192.168.122.254'/>\n"
    "      </dhcp>\n"
    "    </ip>\n"
    "  </network>\n"
    "  <interface type='ethernet' name='eth1'>\n"
    "    <start mode='onboot'/>\n"
    "    <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "    <mtu size='1492'/>\n"
    "    <protocol family='ipv4'>\n"
    "      <ip address='192.168.0.5' prefix='24'/>\n"
    "      <route gateway='192.168.0.1'/>\n"
    "    </protocol>\n"
    "  </interface>\n"
    "  <pool type='dir'>\n"
    "    <name>default-pool</name>\n"
    "    <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>\n"
    "    <target>\n"
    "      <path>/default-pool</path>\n"
    "    </target>\n"
    "  </pool>\n"
    "  <device>\n"
    "    <name>computer</name>\n"
    "    <capability type='system'>\n"
    "      <hardware>\n"
    "        <vendor>Libvirt</vendor>\n"
    "        <version>Test driver</version>\n"
    "        <serial>123456</serial>\n"
    "        <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
    "      </hardware>\n"
    "      <firmware>\n"
    "        <vendor>Libvirt</vendor>\n"
    "        <version>Test Driver</version>\n"
    "        <release_date>01/22/2007</release_date>\n"
    "      </firmware>\n"
    "    </capability>\n"
    "  </device>\n"
    "  <device>\n"
    "    <name>scsi_host1</name>\n"
    "    <parent>computer</parent>\n"
    "    <capability type='scsi_host'>\n"
    "      <host>1</host>\n"
    "      <unique_id>0</unique_id>\n"
    "      <capability type='fc_host'>\n"
    "        <wwnn>2000000012341234</wwnn>\n"
    "        <wwpn>1000000012341234</wwpn>\n"
    "        <fabric_wwn>2000000043214321</fabric_wwn>\n"
    "      </capability>\n"
    "      <capability type='vport_ops'>\n"
    "        <max_vports>127</max_vports>\n"
    "        <vports>1</vports>\n"
    "      </capability>\n"
    "    </capability>\n"
    "  </device>\n"
    "  <device>\n"
    "    <name>scsi_host2</name>\n"
    "    <parent>computer</parent>\n"
    "    <capability type='scsi_host'>\n"
    "      <host>2</host>\n"
    "      <unique_id>1</unique_id>\n"
    "      <capability type='fc_host'>\n"
    "        <wwnn>2000000056785678</wwnn>\n"
    "        <wwpn>1000000056785678</wwpn>\n"
    "        <fabric_wwn>2000000087658765</fabric_wwn>\n"
    "      </capability>\n"
    "      <capability type='vport_ops'>\n"
    "        <max_vports>127</max_vports>\n"
    "        <vports>0</vports>\n"
    "      </capability>\n"
    "    </capability>\n"
    "  </device>\n"
    "  <device>\n"
    "    <name>scsi_host11</name>\n"
    "    <parent>scsi_host1</parent>\n"
    "    <capability type='scsi_host'>\n"
    "      <host>11</host>\n"
    "      <unique_id>10</unique_id>\n"
    "      <capability type='fc_host'>\n"
    "        <wwnn>2000000034563456</wwnn>\n"
    "        <wwpn>1000000034563456</wwpn>\n"
    "        <fabric_wwn>2000000043214321</fabric_wwn>\n"
    "      </capability>\n"
    "    </capability>\n"
    "  </device>\n"
    "</node>\n";

static const char testSysinfoXML[] =
    "<sysinfo type='smbios'>\n"
    "  <bios>\n"
    "    <entry name='vendor'>LENOVO</entry>\n"
    "    <entry name='version'>G4ETA1WW (2.61 )</entry>\n"
    "    <entry name='date'>05/07/2014</entry>\n"
    "    <entry name='release'>2.61</entry>\n"
    "  </bios>\n"
    "</sysinfo>\n";

static GMutex testStatesLock;
static GPtrArray *testStates;   /* open states, under testStatesLock */

/* ------------------------------------------------------------------ */
/* Domains                                                             */

static void
testDomainFree(testDomain *dom)
{
    if (!dom)
        return;
    virDomainObjClear(&dom->obj);
    virJobInfoClear(&dom->completed);
    g_array_unref(dom->iothreads);
    testDomainSnapshotsClear(dom);
    g_free(dom->deprecation);
    testDomainCheckpointsClear(dom);
    g_free(dom);
}

testDomain *
testDomainNew(virDomainDef *def)
{
    testDomain *dom = g_new0(testDomain, 1);

    virDomainObjInit(&dom->obj, def);
    dom->iothreads = g_array_new(FALSE, FALSE, sizeof(testIOThreadPoll));
    dom->timeSeconds = 627319920;   /* libvirt's test guests' clock */
    return dom;
}

/* The domain a caller's handle designates, or NULL with an error. */
testDomain *
testDomainFromRef(testState *state, const virDomainRef *ref)
{
    return (testDomain *)virDomainObjListFromRef(state->domains, ref, VIR_FROM_TEST);
}

void
testDomainAdd(testState *state, testDomain *dom)
{
    g_ptr_array_add(state->domains, dom);
    testDomainNameChanged(state);
}

void
testDomainRemove(testState *state, testDomain *dom)
{
    testDomainNameChanged(state);
    g_ptr_array_remove(state->domains, dom);    /* frees it */
}

void
testDomainNameChanged(testState *state)
{
    g_clear_pointer(&state->domainsByName, g_ptr_array_unref);
}

static gint
testDomainCompareName(gconstpointer a, gconstpointer b)
{
    const testDomain *x = *(testDomain *const *)a, *y = *(testDomain *const *)b;

    return strcmp(virDomainObjCurrentDef(&x->obj)->name, virDomainObjCurrentDef(&y->obj)->name);
}

GPtrArray *
testDomainsByName(testState *state)
{
    guint i;

    if (state->domainsByName)
        return state->domainsByName;
    state->domainsByName = g_ptr_array_sized_new(state->domains->len);
    for (i = 0; i < state->domains->len; i++)
        g_ptr_array_add(state->domainsByName, g_ptr_array_index(state->domains, i));
    g_ptr_array_sort(state->domainsByName, testDomainCompareName);
    return state->domainsByName;
}

void
testEmitLifecycle(testState *state, const testDomain *dom, int event, int detail)
{
    virDomainRef *ref = virDomainObjMakeRef(&dom->obj);

    virDomainEventRegistryDispatchLifecycle(state->events, ref, event, detail);
    virDomainRefFree(ref);
}

void
testEmitMetadataChange(testState *state, const testDomain *dom, int type, const char *nsuri)
{
    virDomainRef *ref = virDomainObjMakeRef(&dom->obj);

    virDomainEventRegistryDispatchMetadataChange(state->events, ref, type, nsuri);
    virDomainRefFree(ref);
}

/* Start: a live copy of the persistent definition unless one is given. */
void
testDomainStart(testState *state, testDomain *dom, virDomainDef *live, int state_, int reason)
{
    if (live) {
        virDomainDefFree(dom->obj.live);
        dom->obj.live = live;
    } else if (!dom->obj.live) {
        dom->obj.live = virDomainDefCopy(dom->obj.def);
    }
    dom->obj.hasManagedSave = false;
    dom->obj.id = state->nextDomID++;
    if (state->nextDomID == INT_MAX)
        state->nextDomID = 1;
    dom->obj.state = state_;
    dom->obj.reason = reason;
    dom->hasNewDef = dom->obj.def != NULL;
}

/* Stop, raise STOPPED/detail, and drop a transient domain. The event
 * carries ID -1, or the last ID when the domain had no persistent config
 * since it started (libvirt keeps the live definition's ID then). */
void
testDomainStopAndNotify(testState *state, testDomain *dom, int reason, int detail)
{
    virDomainRef *ref;
    int lastID = dom->obj.id;

    if (dom->obj.def) {
        virDomainDefFree(dom->obj.live);
        dom->obj.live = NULL;
    }
    dom->obj.id = -1;
    dom->obj.state = VIR_DOMAIN_SHUTOFF;
    dom->obj.reason = reason;
    ref = virDomainObjMakeRef(&dom->obj);
    if (!dom->hasNewDef)
        ref->id = lastID;
    dom->hasNewDef = false;
    if (!dom->obj.def)
        testDomainRemove(state, dom);
    virDomainEventRegistryDispatchLifecycle(state->events, ref, VIR_DOMAIN_EVENT_STOPPED, detail);
    virDomainRefFree(ref);
}

/* What libvirt's test driver does on guest shutdown / reboot: destroy and
 * preserve stop the domain, restart keeps it running (freshly booted). */
static bool
testDomainActionStops(int action)
{
    return action != VIR_DOMAIN_LIFECYCLE_ACTION_RESTART &&
           action != VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME;
}

/* Driver defaults applied to every new definition. */
static void
testDomainDefPostParse(virDomainDef *def)
{
    if (!def->osArch)
        def->osArch = g_strdup(TEST_MODEL);
}

/* ------------------------------------------------------------------ */
/* States                                                              */

static void
testStateFree(testState *state)
{
    if (!state)
        return;
    virDomainEventRegistryFree(state->events);
    testDomainNameChanged(state);
    g_ptr_array_free(state->domains, TRUE);
    testObjectsFree(state);
    virNoIOMutexClear(&state->lock);
    g_free(state->key);
    g_free(state);
}

static testState *
testStateNew(const char *key)
{
    testState *state = g_new0(testState, 1);

    static unsigned int serial;

    state->key = g_strdup(key);
    state->serial = g_atomic_int_add(&serial, 1);
    virNoIOMutexInit(&state->lock);
    state->nodeInfo = testDefaultNodeInfo;
    state->nextDomID = 1;
    state->domains = g_ptr_array_new_with_free_func((GDestroyNotify)testDomainFree);
    state->events = virDomainEventRegistryNew();
    testObjectsInit(state);
    return state;
}

/* An unsigned value of /node/cpu/NAME: 0 absent, 1 found, -1 invalid. */
static int
testNodeUInt(xmlNodePtr parent, const char *name, unsigned int *value)
{
    xmlNodePtr cur;

    for (cur = parent ? parent->children : NULL; cur; cur = cur->next) {
        xmlChar *text;
        char *end = NULL;
        guint64 v;
        int ret = 1;

        if (cur->type != XML_ELEMENT_NODE || strcmp((const char *)cur->name, name) != 0)
            continue;
        text = xmlNodeGetContent(cur);
        g_strstrip((char *)text);
        errno = 0;
        v = g_ascii_strtoull((const char *)text, &end, 10);
        if (!text[0] || !g_ascii_isdigit(text[0]) || *end || errno || v > UINT_MAX)
            ret = -1;
        else
            *value = (unsigned int)v;
        xmlFree(text);
        return ret;
    }
    return 0;
}

static xmlNodePtr
testNodeChild(xmlNodePtr parent, const char *name)
{
    xmlNodePtr cur;

    for (cur = parent->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && !cur->ns && strcmp((const char *)cur->name, name) == 0)
            return cur;
    }
    return NULL;
}

static int
testParseNodeInfo(testState *state, xmlNodePtr root)
{
    xmlNodePtr cpu = testNodeChild(root, "cpu");
    xmlNodePtr mem = testNodeChild(root, "memory");
    virNodeInfo *info = &state->nodeInfo;
    static const struct {
        const char *name;
        size_t offset;
    } fields[] = {
        { "nodes", G_STRUCT_OFFSET(virNodeInfo, nodes) },
        { "sockets", G_STRUCT_OFFSET(virNodeInfo, sockets) },
        { "cores", G_STRUCT_OFFSET(virNodeInfo, cores) },
        { "threads", G_STRUCT_OFFSET(virNodeInfo, threads) },
    };
    unsigned int active, mhz;
    size_t i;
    int rc;

    for (i = 0; i < G_N_ELEMENTS(fields); i++) {
        unsigned int *field = G_STRUCT_MEMBER_P(info, fields[i].offset);
        if (testNodeUInt(cpu, fields[i].name, field) < 0) {
            virReportError(VIR_ERR_XML_ERROR, "invalid node cpu %s value", fields[i].name);
            return -1;
        }
    }
    info->cpus = info->cores * info->threads * info->sockets * info->nodes;
    if ((rc = testNodeUInt(cpu, "active", &active)) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "invalid node cpu active value");
        return -1;
    }
    if (rc > 0 && active < info->cpus)
        info->cpus = active;
    if ((rc = testNodeUInt(cpu, "mhz", &mhz)) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "invalid node cpu mhz value");
        return -1;
    }
    if (rc > 0)
        info->mhz = mhz;
    if (cpu && testNodeChild(cpu, "model")) {
        xmlChar *model = xmlNodeGetContent(testNodeChild(cpu, "model"));
        if (strlen((const char *)model) >= sizeof(info->model)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "Model %s too big for destination",
                           (const char *)model);
            xmlFree(model);
            return -1;
        }
        g_strlcpy(info->model, (const char *)model, sizeof(info->model));
        xmlFree(model);
    }
    if (mem) {
        xmlChar *text = xmlNodeGetContent(mem);
        char *end = NULL;
        guint64 v;

        g_strstrip((char *)text);
        errno = 0;
        v = g_ascii_strtoull((const char *)text, &end, 10);
        if (!text[0] || !g_ascii_isdigit(text[0]) || *end || errno || v > ULONG_MAX) {
            xmlFree(text);
            virReportError(VIR_ERR_XML_ERROR, "%s", "invalid node memory value");
            return -1;
        }
        info->memory = (unsigned long)v;
        xmlFree(text);
    }
    return 0;
}

/* libvirt's test-driver extensions inside a <domain> of a node file. */
static int
testParseDomainExtensions(xmlNodePtr domain, int *runstate, bool *transient)
{
    xmlNodePtr cur;

    *runstate = VIR_DOMAIN_RUNNING;
    *transient = false;
    for (cur = domain->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE || !cur->ns || !cur->ns->href ||
            strcmp((const char *)cur->ns->href, VIR_DOMAIN_TEST_NAMESPACE_HREF) != 0)
            continue;
        if (strcmp((const char *)cur->name, "transient") == 0) {
            *transient = true;
        } else if (strcmp((const char *)cur->name, "runstate") == 0) {
            xmlChar *text = xmlNodeGetContent(cur);
            char *end = NULL;
            guint64 v;

            g_strstrip((char *)text);
            v = g_ascii_strtoull((const char *)text, &end, 10);
            if (!text[0] || !g_ascii_isdigit(text[0]) || *end || v > VIR_DOMAIN_PMSUSPENDED) {
                virReportError(VIR_ERR_XML_ERROR, "runstate '%s' out of range", (const char *)text);
                xmlFree(text);
                return -1;
            }
            *runstate = (int)v;
            xmlFree(text);
        }
    }
    if (*transient && *runstate == VIR_DOMAIN_SHUTOFF) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "transient domain cannot have runstate 'shutoff'");
        return -1;
    }
    return 0;
}

xmlNodePtr
testNodeFileElement(xmlNodePtr node, const char *path)
{
    g_autofree char *abs = NULL;
    xmlChar *file = xmlGetNoNsProp(node, (const xmlChar *)"file");
    xmlDocPtr doc;
    xmlNodePtr copy;

    if (!file)
        return node;
    if (g_path_is_absolute((const char *)file) || !path) {
        abs = g_strdup((const char *)file);
    } else {
        g_autofree char *dir = g_path_get_dirname(path);
        abs = g_build_filename(dir, (const char *)file, NULL);
    }
    xmlFree(file);
    if (!(doc = virDomainXMLParseFile(abs, (const char *)node->name, VIR_FROM_TEST)))
        return NULL;
    copy = xmlDocCopyNode(xmlDocGetRootElement(doc), node->doc, 1);
    xmlFreeDoc(doc);
    if (!copy) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "Failed to copy XML node");
        return NULL;
    }
    xmlReplaceNode(node, copy);
    xmlFreeNode(node);
    return copy;
}

static int
testParseDomains(testState *state, xmlNodePtr root, const char *path)
{
    xmlNodePtr cur;

    for (cur = root->children; cur; cur = cur->next) {
        g_autoptr(virDomainDef) def = NULL;
        testDomain *dom;
        const virDomainDef *curDef;
        size_t i;
        int runstate;
        bool transient, err;

        if (cur->type != XML_ELEMENT_NODE || cur->ns ||
            strcmp((const char *)cur->name, "domain") != 0)
            continue;
        if (!(cur = testNodeFileElement(cur, path)) ||
            testParseDomainExtensions(cur, &runstate, &transient) < 0 ||
            !(def = virDomainDefParseNode(cur)))
            return -1;
        testDomainDefPostParse(def);
        if (virDomainObjListCheckAssign(state->domains, def, false, &err) || err) {
            if (!err)
                virDriverReportDomainError(VIR_ERR_OPERATION_FAILED,
                                     "domain '%s' is defined twice", def->name);
            return -1;
        }

        if (transient) {
            dom = testDomainNew(NULL);
            dom->obj.live = g_steal_pointer(&def);
        } else {
            dom = testDomainNew(g_steal_pointer(&def));
        }
        testDomainAdd(state, dom);
        if (runstate != VIR_DOMAIN_SHUTOFF)
            testDomainStart(state, dom, NULL, runstate, 0);
        dom->obj.reason = 0;
        testDomainCheckTaint(dom);
        /* polling values for a node file's IOThreads (libvirt: only these) */
        curDef = virDomainObjCurrentDef(&dom->obj);
        for (i = 0; i < curDef->niothreadids; i++)
            testDomainIOThreadPollAdd(dom, curDef->iothreadids[i].id);
    }
    return 0;
}

static int
testStateLoad(testState *state, xmlDocPtr doc, const char *path)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);

    if (testParseNodeInfo(state, root) < 0 || testParseDomains(state, root, path) < 0 ||
        testNetworksLoad(state, root, path) < 0 || testInterfacesLoad(state, root, path) < 0 ||
        testPoolsLoad(state, root, path) < 0 || testDevicesLoad(state, root, path) < 0)
        return -1;
    return 0;
}

static testState *
testStateOpenDefault(void)
{
    testState *state = testStateNew("/default");
    xmlDocPtr doc;
    unsigned int i;

    state->ncells = 2;
    for (i = 0; i < state->ncells; i++) {
        state->cells[i].mem = (i + 1) * 2048 * 1024;
        state->cells[i].freeMem = (i + 1) * 1024 * 1024;
    }
    state->freeMem = 3 * 1024 * 1024;
    if (!(doc = virDomainXMLParseString(testDefaultNodeXML, "test driver", "node", VIR_FROM_TEST)) ||
        testStateLoad(state, doc, NULL) < 0) {
        if (doc)
            xmlFreeDoc(doc);
        testStateFree(state);
        return NULL;
    }
    xmlFreeDoc(doc);
    return state;
}

static testState *
testStateOpenFile(const char *path)
{
    testState *state = testStateNew(path);
    xmlDocPtr doc;

    if (!(doc = virDomainXMLParseFile(path, "node", VIR_FROM_TEST)) || testStateLoad(state, doc, path) < 0) {
        if (doc)
            xmlFreeDoc(doc);
        testStateFree(state);
        return NULL;
    }
    xmlFreeDoc(doc);
    return state;
}

/* A reference to the state for key, loading it on first use. */
static testState *
testStateAcquire(const char *key)
{
    testState *state = NULL;
    guint i;

    g_mutex_lock(&testStatesLock);
    if (!testStates)
        testStates = g_ptr_array_new();
    for (i = 0; i < testStates->len; i++) {
        testState *s = g_ptr_array_index(testStates, i);
        if (strcmp(s->key, key) == 0) {
            state = s;
            break;
        }
    }
    if (!state) {
        state = strcmp(key, "/default") == 0 ? testStateOpenDefault() : testStateOpenFile(key);
        if (state)
            g_ptr_array_add(testStates, state);
    }
    if (state)
        state->refs++;
    g_mutex_unlock(&testStatesLock);
    return state;
}

static void
testStateRelease(testState *state)
{
    bool last;

    g_mutex_lock(&testStatesLock);
    last = --state->refs == 0;
    if (last)
        g_ptr_array_remove(testStates, state);
    g_mutex_unlock(&testStatesLock);
    if (last) {
        VIR_DEBUG("last connection to %s closed, dropping its state", state->key);
        testStateRemoveManagedSaves(state);
        testStateFree(state);
    }
}

size_t
testDriverOpenStates(void)
{
    size_t n;

    g_mutex_lock(&testStatesLock);
    n = testStates ? testStates->len : 0;
    g_mutex_unlock(&testStatesLock);
    return n;
}

/* ------------------------------------------------------------------ */
/* Connections                                                         */

static virDrvOpenStatus
testConnectOpen(virConnect *conn, const char *uri, unsigned int flags)
{
    g_autoptr(GUri) parsed = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *path, *host;
    testState *state;

    if (!uri || g_ascii_strncasecmp(uri, "test:", 5) != 0)
        return VIR_DRV_OPEN_DECLINED;
    virDriverCheckFlags(flags, VIR_CONNECT_RO, VIR_DRV_OPEN_ERROR);

    if (!(parsed = g_uri_parse(uri, G_URI_FLAGS_NONE, &gerr))) {
        virErrorReportFull(VIR_FROM_URI, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__, __LINE__,
                           "Unable to parse URI %s: %s", uri, gerr->message);
        return VIR_DRV_OPEN_ERROR;
    }
    host = g_uri_get_host(parsed);
    if (host && *host)
        return VIR_DRV_OPEN_DECLINED;     /* remote: not ours */
    path = g_uri_get_path(parsed);
    if (!path || !path[0] || strcmp(path, "/") == 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "testOpen: supply a path or use test:///default");
        return VIR_DRV_OPEN_ERROR;
    }
    if (!g_path_is_absolute(path)) {
        virReportError(VIR_ERR_INVALID_ARG, "testOpen: the path '%s' is not absolute", path);
        return VIR_DRV_OPEN_ERROR;
    }
    if (strcmp(path, "/default") == 0) {
        state = testStateAcquire(path);
    } else {
        /* one state per file, however its path is spelt */
        g_autofree char *real = realpath(path, NULL);
        state = testStateAcquire(real ? real : path);
    }
    if (!state)
        return VIR_DRV_OPEN_ERROR;
    conn->privateData = state;
    return VIR_DRV_OPEN_SUCCESS;
}

static int
testConnectClose(virConnect *conn)
{
    testState *state = conn->privateData;

    if (!state)
        return 0;
    virDomainEventRegistryPurgeConn(state->events, conn);
    conn->privateData = NULL;
    testStateRelease(state);
    return 0;
}

static const char *
testConnectGetType(virConnect *conn G_GNUC_UNUSED)
{
    return "TEST";
}

static int
testConnectGetVersion(virConnect *conn G_GNUC_UNUSED, unsigned long long *hvVer)
{
    *hvVer = TEST_HV_VERSION;
    return 0;
}

static char *
testConnectGetHostname(virConnect *conn G_GNUC_UNUSED)
{
    char buf[HOST_NAME_MAX + 1];

    if (gethostname(buf, sizeof(buf)) < 0) {
        virReportSystemError(errno, "%s", "failed to determine host name");
        return NULL;
    }
    buf[sizeof(buf) - 1] = '\0';
    return g_strdup(buf);
}

static char *
testConnectGetURI(virConnect *conn)
{
    return g_strdup(conn->uri);
}

static char *
testConnectGetCapabilities(virConnect *conn)
{
    testState *state = conn->privateData;
    GString *buf = g_string_new("<capabilities>\n\n  <host>\n");
    static const char *const osTypes[] = { "hvm", "xen" };
    unsigned int i, c, cpusPerCell;
    virNodeInfo info;
    unsigned int ncells;

    virNoIOMutexLock(&state->lock);
    info = state->nodeInfo;
    ncells = state->ncells;
    virNoIOMutexUnlock(&state->lock);

    g_string_append(buf, "    <uuid>" TEST_HOST_UUID "</uuid>\n");
    g_string_append(buf, "    <cpu>\n      <arch>" TEST_MODEL "</arch>\n"
                         "      <features>\n        <pae/>\n        <nonpae/>\n"
                         "      </features>\n");
    /* page sizes: 4 KiB (cell 0's) or 8 KiB (cell 1's), 2 MiB, 1 GiB */
    g_string_append(buf, "      <pages unit='KiB' size='4'/>\n      <pages unit='KiB' size='8'/>\n"
                         "      <pages unit='KiB' size='2048'/>\n"
                         "      <pages unit='KiB' size='1048576'/>\n    </cpu>\n");
    g_string_append(buf, "    <power_management/>\n    <iommu support='no'/>\n");
    if (ncells) {
        cpusPerCell = info.cpus / ncells;
        g_string_append_printf(buf, "    <topology>\n      <cells num='%u'>\n", ncells);
        for (i = 0; i < ncells; i++) {
            g_string_append_printf(buf, "        <cell id='%u'>\n", i);
            g_string_append_printf(buf, "          <memory unit='KiB'>%u</memory>\n",
                                   (i + 1) * 2048 * 1024);
            g_string_append_printf(buf, "          <pages unit='KiB' size='%u'>%u</pages>\n"
                                   "          <pages unit='KiB' size='2048'>0</pages>\n"
                                   "          <pages unit='KiB' size='1048576'>0</pages>\n",
                                   i % 2 ? 8 : 4, (i + 1) * 2048 * 1024 / (i % 2 ? 8 : 4));
            g_string_append_printf(buf, "          <cpus num='%u'>\n", cpusPerCell);
            for (c = 0; c < cpusPerCell; c++) {
                unsigned int id = i * cpusPerCell + c;
                g_string_append_printf(buf, "            <cpu id='%u' socket_id='%u' die_id='0' "
                                       "core_id='%u' siblings='%u'/>\n", id, i, c, id);
            }
            g_string_append(buf, "          </cpus>\n        </cell>\n");
        }
        g_string_append(buf, "      </cells>\n    </topology>\n");
    }
    g_string_append(buf, "    <secmodel>\n      <model>testSecurity</model>\n"
                         "      <doi></doi>\n    </secmodel>\n  </host>\n\n");
    for (i = 0; i < G_N_ELEMENTS(osTypes); i++) {
        g_string_append_printf(buf, "  <guest>\n    <os_type>%s</os_type>\n", osTypes[i]);
        g_string_append(buf, "    <arch name='" TEST_MODEL "'>\n      <wordsize>32</wordsize>\n"
                             "      <emulator>" TEST_EMULATOR "</emulator>\n"
                             "      <domain type='test'/>\n    </arch>\n"
                             "    <features>\n      <pae/>\n      <nonpae/>\n"
                             "    </features>\n  </guest>\n\n");
    }
    g_string_append(buf, "</capabilities>\n");
    return g_string_free(buf, FALSE);
}

static char *
testConnectGetSysinfo(virConnect *conn G_GNUC_UNUSED, unsigned int flags)
{
    virDriverCheckFlags(flags, 0, NULL);
    return g_strdup(testSysinfoXML);
}

static int
testConnectGetMaxVcpus(virConnect *conn G_GNUC_UNUSED, const char *type G_GNUC_UNUSED)
{
    return TEST_MAX_VCPUS;
}

static int
testNodeGetInfo(virConnect *conn, virNodeInfo *info)
{
    testState *state = conn->privateData;

    virNoIOMutexLock(&state->lock);
    *info = state->nodeInfo;
    virNoIOMutexUnlock(&state->lock);
    return 0;
}

static int
testNodeGetFreeMemory(virConnect *conn, unsigned long long *freeMem)
{
    testState *state = conn->privateData;

    virNoIOMutexLock(&state->lock);
    *freeMem = state->freeMem;
    virNoIOMutexUnlock(&state->lock);
    return 0;
}

/* libvirt's test driver reports a fixed security model and label. */
static int
testNodeGetSecurityModel(virConnect *conn G_GNUC_UNUSED, virSecurityModel *secmodel)
{
    memset(secmodel, 0, sizeof(*secmodel));
    g_strlcpy(secmodel->model, "testSecurity", sizeof(secmodel->model));
    return 0;
}

/* ------------------------------------------------------------------ */
/* Listing and lookup                                                  */

static int
testCountDomains(virConnect *conn, bool active)
{
    testState *state = conn->privateData;
    int count;

    virNoIOMutexLock(&state->lock);
    count = virDomainObjListCount(state->domains, active);
    virNoIOMutexUnlock(&state->lock);
    return count;
}

static int
testConnectNumOfDomains(virConnect *conn)
{
    return testCountDomains(conn, true);
}

static int
testConnectNumOfDefinedDomains(virConnect *conn)
{
    return testCountDomains(conn, false);
}

static int
testConnectListDomains(virConnect *conn, int *ids, int maxids)
{
    testState *state = conn->privateData;
    int n;

    virNoIOMutexLock(&state->lock);
    n = virDomainObjListGetActiveIDs(state->domains, ids, maxids);
    virNoIOMutexUnlock(&state->lock);
    return n;
}

static int
testConnectListDefinedDomains(virConnect *conn, char **names, int maxnames)
{
    testState *state = conn->privateData;
    int n;

    virNoIOMutexLock(&state->lock);
    n = virDomainObjListGetInactiveNames(state->domains, names, maxnames);
    virNoIOMutexUnlock(&state->lock);
    return n;
}

static int
testConnectListAllDomains(virConnect *conn, virDomainRef ***doms, unsigned int flags)
{
    testState *state = conn->privateData;
    int n;

    virDriverCheckFlags(flags, 0xffff, -1);
    virNoIOMutexLock(&state->lock);
    n = virDomainObjListExport(state->domains, flags, doms);
    virNoIOMutexUnlock(&state->lock);
    return n;
}

/* libvirt's test driver reports a bare VIR_ERR_NO_DOMAIN on look-ups. */
static virDomainRef *
testDomainLookupByName(virConnect *conn, const char *name)
{
    testState *state = conn->privateData;
    virDomainRef *ref;

    virNoIOMutexLock(&state->lock);
    ref = virDomainObjMakeRef(virDomainObjListFindByName(state->domains, name));
    virNoIOMutexUnlock(&state->lock);
    if (!ref)
        virReportError(VIR_ERR_NO_DOMAIN, "%s", "");
    return ref;
}

static virDomainRef *
testDomainLookupByUUID(virConnect *conn, const unsigned char *uuid)
{
    testState *state = conn->privateData;
    virDomainRef *ref;

    virNoIOMutexLock(&state->lock);
    ref = virDomainObjMakeRef(virDomainObjListFindByUUID(state->domains, uuid));
    virNoIOMutexUnlock(&state->lock);
    if (!ref)
        virReportError(VIR_ERR_NO_DOMAIN, "%s", "");
    return ref;
}

static virDomainRef *
testDomainLookupByID(virConnect *conn, int id)
{
    testState *state = conn->privateData;
    virDomainRef *ref;

    virNoIOMutexLock(&state->lock);
    ref = virDomainObjMakeRef(virDomainObjListFindByID(state->domains, id));
    virNoIOMutexUnlock(&state->lock);
    if (!ref)
        virReportError(VIR_ERR_NO_DOMAIN, "%s", "");
    return ref;
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */

static virDomainRef *
testDomainDefineXMLFlags(virConnect *conn, const char *xml, unsigned int flags)
{
    testState *state = conn->privateData;
    g_autoptr(virDomainDef) def = NULL;
    virDomainRef *ref;
    testDomain *dom;
    bool err, updated = false;

    virDriverCheckFlags(flags, VIR_DOMAIN_DEFINE_VALIDATE, NULL);
    if (!(def = virDomainDefParseString(xml)))
        return NULL;
    testDomainDefPostParse(def);

    virNoIOMutexLock(&state->lock);
    dom = (testDomain *)virDomainObjListCheckAssign(state->domains, def, false, &err);
    if (err) {
        virNoIOMutexUnlock(&state->lock);
        return NULL;
    }
    if (dom) {
        updated = dom->obj.def != NULL;
        virDomainDefFree(dom->obj.def);
        dom->obj.def = g_steal_pointer(&def);
        if (virDomainObjIsActive(&dom->obj))
            dom->hasNewDef = true;
    } else {
        dom = testDomainNew(g_steal_pointer(&def));
        testDomainAdd(state, dom);
    }
    testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_DEFINED,
                      updated ? VIR_DOMAIN_EVENT_DEFINED_UPDATED : VIR_DOMAIN_EVENT_DEFINED_ADDED);
    ref = virDomainObjMakeRef(&dom->obj);
    virNoIOMutexUnlock(&state->lock);
    return ref;
}

static virDomainRef *
testDomainCreateXML(virConnect *conn, const char *xml, unsigned int flags)
{
    testState *state = conn->privateData;
    g_autoptr(virDomainDef) def = NULL;
    virDomainRef *ref;
    testDomain *dom;
    bool err;

    virDriverCheckFlags(flags, VIR_DOMAIN_START_VALIDATE, NULL);
    if (!(def = virDomainDefParseString(xml)))
        return NULL;
    testDomainDefPostParse(def);

    virNoIOMutexLock(&state->lock);
    dom = (testDomain *)virDomainObjListCheckAssign(state->domains, def, true, &err);
    if (err) {
        virNoIOMutexUnlock(&state->lock);
        return NULL;
    }
    if (!dom) {
        dom = testDomainNew(NULL);
        testDomainAdd(state, dom);
    }
    testDomainStart(state, dom, g_steal_pointer(&def), VIR_DOMAIN_RUNNING,
                    VIR_DOMAIN_RUNNING_BOOTED);
    testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    ref = virDomainObjMakeRef(&dom->obj);
    virNoIOMutexUnlock(&state->lock);
    return ref;
}

static int
testDomainCreateWithFlags(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto cleanup;
    if (dom->obj.state == VIR_DOMAIN_SHUTOFF && dom->obj.hasManagedSave) {
        /* from its image, read by a helper: without the lock (testsave.c) */
        virNoIOMutexUnlock(&state->lock);
        return testDomainStartManagedSave(conn, ref);
    }
    if (dom->obj.state != VIR_DOMAIN_SHUTOFF) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Domain '%s' is already running",
                       virDomainObjCurrentDef(&dom->obj)->name);
        goto cleanup;
    }
    if (testDomainTaskQuestions(conn, dom, "start", NULL) < 0)
        goto cleanup;
    testDomainStart(state, dom, NULL, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

/* The files are not used: the test driver's guests take none (as
 * libvirt's, which ignores them too). */
static virDomainRef *
testDomainCreateXMLWithFiles(virConnect *conn, const char *xml, unsigned int nfiles G_GNUC_UNUSED,
                             const int *files G_GNUC_UNUSED, unsigned int flags)
{
    return testDomainCreateXML(conn, xml, flags);
}

static int
testDomainCreateWithFiles(virConnect *conn, const virDomainRef *ref,
                          unsigned int nfiles G_GNUC_UNUSED, const int *files G_GNUC_UNUSED,
                          unsigned int flags)
{
    return testDomainCreateWithFlags(conn, ref, flags);
}

static int
testDomainDestroyFlags(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_DESTROY_GRACEFUL, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto cleanup;
    if (!virDomainObjIsActive(&dom->obj)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        goto cleanup;
    }
    if (dom->job)
        virJobAbort(dom->job);  /* a save of a destroyed domain cannot succeed */
    testDomainStopAndNotify(state, dom, VIR_DOMAIN_SHUTOFF_DESTROYED,
                            VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static int
testDomainShutdownFlags(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto cleanup;
    if (dom->obj.state == VIR_DOMAIN_SHUTOFF) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' not running",
                       virDomainObjCurrentDef(&dom->obj)->name);
        goto cleanup;
    }
    if (testDomainTaskQuestions(conn, dom, "shutdown", NULL) < 0)
        goto cleanup;
    if (testDomainActionStops(virDomainObjCurrentDef(&dom->obj)->onPoweroff)) {
        testDomainStopAndNotify(state, dom, VIR_DOMAIN_SHUTOFF_SHUTDOWN,
                                VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    } else {
        dom->obj.state = VIR_DOMAIN_RUNNING;
        dom->obj.reason = VIR_DOMAIN_RUNNING_BOOTED;
    }
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static int
testDomainReboot(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_REBOOT_ACPI_POWER_BTN | VIR_DOMAIN_REBOOT_GUEST_AGENT |
                       VIR_DOMAIN_REBOOT_INITCTL | VIR_DOMAIN_REBOOT_SIGNAL |
                       VIR_DOMAIN_REBOOT_PARAVIRT, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto cleanup;
    if (!virDomainObjIsActive(&dom->obj)) {
        virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        goto cleanup;
    }
    if (testDomainActionStops(virDomainObjCurrentDef(&dom->obj)->onReboot)) {
        testDomainStopAndNotify(state, dom, VIR_DOMAIN_SHUTOFF_SHUTDOWN,
                                VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    } else {
        /* As libvirt's test driver: running again, and no event. */
        dom->obj.state = VIR_DOMAIN_RUNNING;
        dom->obj.reason = VIR_DOMAIN_RUNNING_BOOTED;
    }
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static int
testDomainSuspend(virConnect *conn, const virDomainRef *ref)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto cleanup;
    if (dom->obj.state == VIR_DOMAIN_SHUTOFF || dom->obj.state == VIR_DOMAIN_PAUSED) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' not running",
                       virDomainObjCurrentDef(&dom->obj)->name);
        goto cleanup;
    }
    dom->obj.state = VIR_DOMAIN_PAUSED;
    dom->obj.reason = VIR_DOMAIN_PAUSED_USER;
    testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static int
testDomainResume(virConnect *conn, const virDomainRef *ref)
{
    testState *state = conn->privateData;
    testDomain *dom;
    int ret = -1;

    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto cleanup;
    if (dom->obj.state != VIR_DOMAIN_PAUSED) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' not paused",
                       virDomainObjCurrentDef(&dom->obj)->name);
        goto cleanup;
    }
    dom->obj.state = VIR_DOMAIN_RUNNING;
    dom->obj.reason = VIR_DOMAIN_RUNNING_UNPAUSED;
    testEmitLifecycle(state, dom, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    return ret;
}

static int
testDomainUndefineFlags(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    g_autofree char *managedSave = NULL;
    testState *state = conn->privateData;
    testDomain *dom;
    virDomainRef *evref;
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                       VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA, -1);
    virNoIOMutexLock(&state->lock);
    if (!(dom = testDomainFromRef(state, ref)))
        goto cleanup;
    if (dom->obj.hasManagedSave && !(flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "Refusing to undefine while domain managed save image exists");
        goto cleanup;
    }
    /* libvirt documents that snapshot metadata blocks undefining an
     * inactive domain unless the caller says to drop it */
    if (!virDomainObjIsActive(&dom->obj) && testDomainSnapshotCount(dom) &&
        !(flags & VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "cannot delete inactive domain with %d snapshots",
                       testDomainSnapshotCount(dom));
        goto cleanup;
    }
    if (dom->obj.hasManagedSave)
        managedSave = testManagedSavePath(state, dom);
    /* libvirt: UNDEFINED/REMOVED whatever the domain, even a transient
     * one (which stays as it is, and may be undefined again) */
    evref = virDomainObjMakeRef(&dom->obj);
    if (virDomainObjIsActive(&dom->obj)) {
        /* keeps running, as a transient domain */
        virDomainDefFree(dom->obj.def);
        dom->obj.def = NULL;
    } else {
        testDomainRemove(state, dom);
    }
    virDomainEventRegistryDispatchLifecycle(state->events, evref, VIR_DOMAIN_EVENT_UNDEFINED,
                                            VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    virDomainRefFree(evref);
    ret = 0;
 cleanup:
    virNoIOMutexUnlock(&state->lock);
    if (managedSave)
        virFileRemove(managedSave);     /* after the lock: file I/O */
    return ret;
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

/* Run fn on the domain under the driver lock. */
#define WITH_DOMAIN(conn, ref, ret, body) \
    do { \
        testState *state_ = (conn)->privateData; \
        testDomain *dom; \
        virNoIOMutexLock(&state_->lock); \
        if ((dom = testDomainFromRef(state_, (ref)))) { \
            body; \
        } \
        virNoIOMutexUnlock(&state_->lock); \
    } while (0)

static int
testDomainGetInfo(virConnect *conn, const virDomainRef *ref, virDomainInfo *info)
{
    int ret = -1;

    WITH_DOMAIN(conn, ref, ret, {
        const virDomainDef *def = virDomainObjCurrentDef(&dom->obj);
        info->state = (unsigned char)dom->obj.state;
        info->maxMem = (unsigned long)def->memory;
        info->memory = (unsigned long)def->currentMemory;
        info->nrVirtCpu = (unsigned short)def->vcpus;
        info->cpuTime = (unsigned long long)g_get_real_time() * 1000;
        ret = 0;
    });
    return ret;
}

static int
testDomainGetState(virConnect *conn, const virDomainRef *ref, int *state, int *reason,
                   unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    WITH_DOMAIN(conn, ref, ret, {
        *state = dom->obj.state;
        if (reason)
            *reason = dom->obj.reason;
        ret = 0;
    });
    return ret;
}

static char *
testDomainGetXMLDesc(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    char *ret = NULL;

    virDriverCheckFlags(flags, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE |
                       VIR_DOMAIN_XML_MIGRATABLE, NULL);
    WITH_DOMAIN(conn, ref, ret, {
        if ((flags & VIR_DOMAIN_XML_INACTIVE) && dom->obj.def)
            ret = virDomainDefFormat(dom->obj.def, -1);
        else if (flags & VIR_DOMAIN_XML_INACTIVE)
            ret = virDomainDefFormat(virDomainObjCurrentDef(&dom->obj), -1);
        else
            ret = virDomainDefFormat(virDomainObjCurrentDef(&dom->obj), dom->obj.id);
    });
    return ret;
}

static char *
testDomainGetOSType(virConnect *conn, const virDomainRef *ref)
{
    char *ret = NULL;

    /* libvirt's test driver answers "linux" whatever the <os><type>. */
    WITH_DOMAIN(conn, ref, ret, { ret = g_strdup("linux"); });
    return ret;
}

static unsigned long long
testDomainGetMaxMemory(virConnect *conn, const virDomainRef *ref)
{
    unsigned long long ret = 0;

    WITH_DOMAIN(conn, ref, ret, { ret = virDomainObjCurrentDef(&dom->obj)->memory; });
    return ret;
}

static int
testDomainGetVcpusFlags(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                       VIR_DOMAIN_VCPU_MAXIMUM, -1);
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virDriverReportDomainError(VIR_ERR_INVALID_ARG, "%s",
                             "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        return -1;
    }
    WITH_DOMAIN(conn, ref, ret, {
        const virDomainDef *def = NULL;
        bool live = flags & VIR_DOMAIN_AFFECT_LIVE;
        bool config = flags & VIR_DOMAIN_AFFECT_CONFIG;

        if (!live && !config) {
            live = virDomainObjIsActive(&dom->obj);
            config = !live;
        }
        if (live && !virDomainObjIsActive(&dom->obj)) {
            virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        } else if (config && !dom->obj.def) {
            virDriverReportDomainError(VIR_ERR_OPERATION_INVALID, "%s",
                                 "transient domains do not have any persistent config");
        } else {
            def = live ? dom->obj.live : dom->obj.def;
        }
        if (def)
            ret = (int)((flags & VIR_DOMAIN_VCPU_MAXIMUM) ? def->maxVcpus : def->vcpus);
    });
    return ret;
}

static int
testDomainGetAutostart(virConnect *conn, const virDomainRef *ref, int *autostart)
{
    int ret = -1;

    WITH_DOMAIN(conn, ref, ret, {
        *autostart = dom->obj.autostart;
        ret = 0;
    });
    return ret;
}

static int
testDomainSetAutostart(virConnect *conn, const virDomainRef *ref, int autostart)
{
    int ret = -1;

    /* libvirt's test driver sets it for transient domains too */
    WITH_DOMAIN(conn, ref, ret, {
        dom->obj.autostart = autostart != 0;
        ret = 0;
    });
    return ret;
}

static int
testDomainIsActive(virConnect *conn, const virDomainRef *ref)
{
    int ret = -1;

    WITH_DOMAIN(conn, ref, ret, { ret = virDomainObjIsActive(&dom->obj); });
    return ret;
}

static int
testDomainGetSecurityLabel(virConnect *conn, const virDomainRef *ref, virSecurityLabel *seclabel)
{
    int ret = -1;

    /* libvirt: a label only while the domain is active (running or
     * paused); an empty label, enforcing 0, when shut off */
    WITH_DOMAIN(conn, ref, ret, {
        memset(seclabel, 0, sizeof(*seclabel));
        if (virDomainObjIsActive(&dom->obj)) {
            g_strlcpy(seclabel->label, "libvirt-test", sizeof(seclabel->label));
            seclabel->enforcing = 1;
        }
        ret = 0;
    });
    return ret;
}

static int
testDomainIsPersistent(virConnect *conn, const virDomainRef *ref)
{
    int ret = -1;

    WITH_DOMAIN(conn, ref, ret, { ret = dom->obj.def != NULL; });
    return ret;
}

static int
testDomainIsUpdated(virConnect *conn, const virDomainRef *ref)
{
    int ret = -1;

    /* libvirt's test driver always answers 0 */
    WITH_DOMAIN(conn, ref, ret, { ret = 0; });
    return ret;
}

static int
testDomainHasManagedSaveImage(virConnect *conn, const virDomainRef *ref, unsigned int flags)
{
    int ret = -1;

    virDriverCheckFlags(flags, 0, -1);
    WITH_DOMAIN(conn, ref, ret, { ret = dom->obj.hasManagedSave; });
    return ret;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */

static int
testConnectDomainEventRegister(virConnect *conn, virConnectDomainEventCallback cb,
                               void *opaque, virFreeCallback ff)
{
    testState *state = conn->privateData;

    return virDomainEventRegistryAddLegacy(state->events, conn, cb, opaque, ff);
}

static int
testConnectDomainEventDeregister(virConnect *conn, virConnectDomainEventCallback cb)
{
    testState *state = conn->privateData;

    return virDomainEventRegistryRemoveLegacy(state->events, conn, cb);
}

static int
testConnectDomainEventRegisterAny(virConnect *conn, const virDomainRef *dom, int eventID,
                                  virConnectDomainEventGenericCallback cb,
                                  void *opaque, virFreeCallback ff)
{
    testState *state = conn->privateData;

    return virDomainEventRegistryAdd(state->events, conn, dom, eventID, cb, opaque, ff);
}

static int
testConnectDomainEventDeregisterAny(virConnect *conn, int callbackID)
{
    testState *state = conn->privateData;

    return virDomainEventRegistryRemove(state->events, conn, callbackID);
}

/* ------------------------------------------------------------------ */

static const char *const testURISchemes[] = { "test", NULL };

const virConnectDriver testConnectDriver = {
    .name = "Test",
    .uriSchemes = testURISchemes,
    .connectOpen = testConnectOpen,
    .connectClose = testConnectClose,
    .connectGetType = testConnectGetType,
    .connectGetVersion = testConnectGetVersion,
    .connectGetHostname = testConnectGetHostname,
    .connectGetURI = testConnectGetURI,
    .connectGetCapabilities = testConnectGetCapabilities,
    .connectGetSysinfo = testConnectGetSysinfo,
    .connectGetMaxVcpus = testConnectGetMaxVcpus,
    .nodeGetInfo = testNodeGetInfo,
    .nodeGetFreeMemory = testNodeGetFreeMemory,
    .nodeGetSecurityModel = testNodeGetSecurityModel,
    .connectNumOfDomains = testConnectNumOfDomains,
    .connectListDomains = testConnectListDomains,
    .connectNumOfDefinedDomains = testConnectNumOfDefinedDomains,
    .connectListDefinedDomains = testConnectListDefinedDomains,
    .connectListAllDomains = testConnectListAllDomains,
    .domainLookupByName = testDomainLookupByName,
    .domainLookupByUUID = testDomainLookupByUUID,
    .domainLookupByID = testDomainLookupByID,
    .domainDefineXMLFlags = testDomainDefineXMLFlags,
    .domainCreateXML = testDomainCreateXML,
    .domainCreateWithFlags = testDomainCreateWithFlags,
    .domainDestroyFlags = testDomainDestroyFlags,
    .domainShutdownFlags = testDomainShutdownFlags,
    .domainReboot = testDomainReboot,
    .domainSuspend = testDomainSuspend,
    .domainResume = testDomainResume,
    .domainUndefineFlags = testDomainUndefineFlags,
    .domainGetInfo = testDomainGetInfo,
    .domainGetState = testDomainGetState,
    .domainGetXMLDesc = testDomainGetXMLDesc,
    .domainGetOSType = testDomainGetOSType,
    .domainGetMaxMemory = testDomainGetMaxMemory,
    .domainGetVcpusFlags = testDomainGetVcpusFlags,
    .domainGetAutostart = testDomainGetAutostart,
    .domainSetAutostart = testDomainSetAutostart,
    .domainIsActive = testDomainIsActive,
    .domainGetSecurityLabel = testDomainGetSecurityLabel,
    .domainIsPersistent = testDomainIsPersistent,
    .domainIsUpdated = testDomainIsUpdated,
    .domainHasManagedSaveImage = testDomainHasManagedSaveImage,
    .domainGetMaxVcpus = testDomainGetMaxVcpus,
    .domainSetMaxMemory = testDomainSetMaxMemory,
    .domainSetMemory = testDomainSetMemory,
    .domainSetMemoryFlags = testDomainSetMemoryFlags,
    .domainSetMemoryParameters = testDomainSetMemoryParameters,
    .domainGetMemoryParameters = testDomainGetMemoryParameters,
    .domainSetVcpus = testDomainSetVcpus,
    .domainSetVcpusFlags = testDomainSetVcpusFlags,
    .domainGetVcpus = testDomainGetVcpus,
    .domainPinVcpu = testDomainPinVcpu,
    .domainPinVcpuFlags = testDomainPinVcpuFlags,
    .domainGetVcpuPinInfo = testDomainGetVcpuPinInfo,
    .domainPinEmulator = testDomainPinEmulator,
    .domainGetEmulatorPinInfo = testDomainGetEmulatorPinInfo,
    .domainGetSchedulerType = testDomainGetSchedulerType,
    .domainGetSchedulerParameters = testDomainGetSchedulerParameters,
    .domainGetSchedulerParametersFlags = testDomainGetSchedulerParametersFlags,
    .domainSetSchedulerParameters = testDomainSetSchedulerParameters,
    .domainSetSchedulerParametersFlags = testDomainSetSchedulerParametersFlags,
    .domainBlockStats = testDomainBlockStats,
    .domainInterfaceStats = testDomainInterfaceStats,
    .domainMemoryStats = testDomainMemoryStats,
    .domainGetBlockInfo = testDomainGetBlockInfo,
    .domainGetControlInfo = testDomainGetControlInfo,
    .domainReset = testDomainReset,
    .domainGetHostname = testDomainGetHostname,
    .domainGetTime = testDomainGetTime,
    .domainSetTime = testDomainSetTime,
    .domainGetMetadata = testDomainGetMetadata,
    .domainSetMetadata = testDomainSetMetadata,
    .nodeGetCellsFreeMemory = testNodeGetCellsFreeMemory,
    .nodeGetCPUStats = testNodeGetCPUStats,
    .nodeGetCPUMap = testNodeGetCPUMap,
    .nodeGetFreePages = testNodeGetFreePages,
    .connectGetAllDomainStats = testConnectGetAllDomainStats,
    .domainSnapshotCreateXML = testDomainSnapshotCreateXML,
    .domainSnapshotGetXMLDesc = testDomainSnapshotGetXMLDesc,
    .domainSnapshotNum = testDomainSnapshotNum,
    .domainSnapshotListNames = testDomainSnapshotListNames,
    .domainListAllSnapshots = testDomainListAllSnapshots,
    .domainSnapshotNumChildren = testDomainSnapshotNumChildren,
    .domainSnapshotListChildrenNames = testDomainSnapshotListChildrenNames,
    .domainSnapshotListAllChildren = testDomainSnapshotListAllChildren,
    .domainSnapshotLookupByName = testDomainSnapshotLookupByName,
    .domainHasCurrentSnapshot = testDomainHasCurrentSnapshot,
    .domainSnapshotGetParent = testDomainSnapshotGetParent,
    .domainSnapshotCurrent = testDomainSnapshotCurrent,
    .domainSnapshotIsCurrent = testDomainSnapshotIsCurrent,
    .domainSnapshotHasMetadata = testDomainSnapshotHasMetadata,
    .domainRevertToSnapshot = testDomainRevertToSnapshot,
    .domainSnapshotDelete = testDomainSnapshotDelete,
    .domainCheckpointCreateXML = testDomainCheckpointCreateXML,
    .domainCheckpointGetXMLDesc = testDomainCheckpointGetXMLDesc,
    .domainListAllCheckpoints = testDomainListAllCheckpoints,
    .domainCheckpointListAllChildren = testDomainCheckpointListAllChildren,
    .domainCheckpointLookupByName = testDomainCheckpointLookupByName,
    .domainCheckpointGetParent = testDomainCheckpointGetParent,
    .domainCheckpointDelete = testDomainCheckpointDelete,
    .domainGetCPUStats = testDomainGetCPUStats,
    .domainGetDiskErrors = testDomainGetDiskErrors,
    .domainManagedSave = testDomainManagedSave,
    .domainManagedSaveGetXMLDesc = testDomainManagedSaveGetXMLDesc,
    .domainManagedSaveDefineXML = testDomainManagedSaveDefineXML,
    .domainSaveFlags = testDomainSaveFlags,
    .domainRestoreFlags = testDomainRestoreFlags,
    .domainSaveImageGetXMLDesc = testDomainSaveImageGetXMLDesc,
    .domainSaveImageDefineXML = testDomainSaveImageDefineXML,
    .domainCoreDumpWithFormat = testDomainCoreDumpWithFormat,
    .domainGetJobInfo = testDomainGetJobInfo,
    .domainGetJobStats = testDomainGetJobStats,
    .domainAbortJobFlags = testDomainAbortJobFlags,
    .domainManagedSaveRemove = testDomainManagedSaveRemove,
    .domainInjectNMI = testDomainInjectNMI,
    .domainSetBlkioParameters = testDomainSetBlkioParameters,
    .domainGetBlkioParameters = testDomainGetBlkioParameters,
    .domainSetNumaParameters = testDomainSetNumaParameters,
    .domainGetNumaParameters = testDomainGetNumaParameters,
    .domainSetInterfaceParameters = testDomainSetInterfaceParameters,
    .domainGetIOThreadInfo = testDomainGetIOThreadInfo,
    .domainPinIOThread = testDomainPinIOThread,
    .domainAddIOThread = testDomainAddIOThread,
    .domainDelIOThread = testDomainDelIOThread,
    .domainSetIOThreadParams = testDomainSetIOThreadParams,
    .domainSetBlockIoTune = testDomainSetBlockIoTune,
    .domainGetBlockIoTune = testDomainGetBlockIoTune,
    .domainGetInterfaceParameters = testDomainGetInterfaceParameters,
    .domainSetMemoryStatsPeriod = testDomainSetMemoryStatsPeriod,
    .domainGetPerfEvents = testDomainGetPerfEvents,
    .domainSetPerfEvents = testDomainSetPerfEvents,
    .domainSendProcessSignal = testDomainSendProcessSignal,
    .domainSendKey = testDomainSendKey,
    .domainMemoryPeek = testDomainMemoryPeek,
    .domainGetMessages = testDomainGetMessages,
    .domainCreateXMLWithFiles = testDomainCreateXMLWithFiles,
    .domainCreateWithFiles = testDomainCreateWithFiles,
    .connectGetCPUModelNames = testConnectGetCPUModelNames,
    .connectBaselineCPU = testConnectBaselineCPU,
    .domainFSFreeze = testDomainFSFreeze,
    .domainFSThaw = testDomainFSThaw,
    .domainFSTrim = testDomainFSTrim,
    .domainRename = testDomainRename,
    .domainSetUserPassword = testDomainSetUserPassword,
    .domainGetFSInfo = testDomainGetFSInfo,
    .domainInterfaceAddresses = testDomainInterfaceAddresses,
    .domainGetLaunchSecurityInfo = testDomainGetLaunchSecurityInfo,
    .domainSetLifecycleAction = testDomainSetLifecycleAction,
    .connectDomainEventRegister = testConnectDomainEventRegister,
    .connectDomainEventDeregister = testConnectDomainEventDeregister,
    .connectDomainEventRegisterAny = testConnectDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = testConnectDomainEventDeregisterAny,
    .domainScreenshot = testDomainScreenshot,
    .objectDrivers = &testObjectDrivers,
};

int
testDriverRegister(void)
{
    return virConnectRegisterDriver(&testConnectDriver);
}
