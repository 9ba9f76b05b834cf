/*
 * test-lxc-conf-direct.c: an LXC <interface type='direct'> (lxcconf.h)
 * without a container: the parser's checks and libvirt 9.0's words for a
 * missing <source>, <source dev> or a bad mode, the mode printed back
 * (vepa when none is given), and what a start refuses (<vlan> outside
 * passthrough, <bandwidth>, <virtualport>) with libvirt's errors, in
 * libvirt's order. The macvlan links themselves: tests/test-util-netlink.c;
 * the comparison with libvirtd: tests/test-lxc-net-differential.sh.
 */
#include <string.h>
#include <glib.h>

#include "testutils.h"
#include "testlxcconf.h"
#include "virerror.h"

/* A domain with one direct <interface> holding body. */
static char *
testDomain(const char *body)
{
    return g_strdup_printf("<domain type='lxc'><name>dir</name><memory>131072</memory>"
                           "<os><type>exe</type><init>/bin/sh</init></os><devices>"
                           "<interface type='direct'><mac address='52:54:00:00:00:01'/>"
                           "%s</interface></devices></domain>", body);
}


/* Parse body's domain: its config and, formatted, its XML. */
static lxcConfig *
testParse(const char *body, char **formatted)
{
    g_autofree char *xml = testDomain(body);

    return testLXCConfigParse(xml, formatted);
}


static int
testModes(const void *data G_GNUC_UNUSED)
{
    static const char *const modes[][2] = {
        { "<source dev='eth9'/>", "<source dev='eth9' mode='vepa'/>" },
        { "<source dev='eth9' mode='vepa'/>", "<source dev='eth9' mode='vepa'/>" },
        { "<source dev='eth9' mode='bridge'/>", "<source dev='eth9' mode='bridge'/>" },
        { "<source dev='eth9' mode='private'/>", "<source dev='eth9' mode='private'/>" },
        { "<source dev='eth9' mode='passthrough'/>", "<source dev='eth9' mode='passthrough'/>" },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(modes); i++) {
        g_autofree char *out = NULL;
        g_autoptr(lxcConfig) cfg = testParse(modes[i][0], &out);

        VIR_TEST_ASSERT(cfg != NULL);
        VIR_TEST_ASSERT_INT(cfg->ndevs, 1);
        VIR_TEST_ASSERT_STR(cfg->devs[0]->netDirectDev, "eth9");
        if (!strstr(out, modes[i][1]))
            VIR_TEST_FAIL("%s: printed as\n%s", modes[i][0], out);
        /* a start takes it */
        VIR_TEST_ASSERT_INT(lxcConfigCheckStart(cfg), 0);
    }
    return 0;
}


/* what the parser refuses (define) and what a start refuses */
static const struct {
    const char *body;
    bool atStart;
    int domain;
    int code;
    const char *message;
} testBads[] = {
    { "", false, VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
      "interface type='direct' requires a 'source' element" },
    { "<source/>", false, VIR_FROM_XML, VIR_ERR_XML_ERROR,
      "Missing required attribute 'dev' in element 'source'" },
    { "<source mode='bridge'/>", false, VIR_FROM_XML, VIR_ERR_XML_ERROR,
      "Missing required attribute 'dev' in element 'source'" },
    { "<source dev='eth9' mode='passthru'/>", false, VIR_FROM_XML, VIR_ERR_XML_ERROR,
      "Invalid value for attribute 'mode' in element 'source': 'passthru'." },
    { "<source dev='eth9' mode=''/>", false, VIR_FROM_XML, VIR_ERR_XML_ERROR,
      "Invalid value for attribute 'mode' in element 'source': ''." },
    { "<source dev='eth9' mode='bridge'/><vlan><tag id='4'/></vlan>", true, VIR_FROM_DOMAIN,
      VIR_ERR_CONFIG_UNSUPPORTED,
      "interface 52:54:00:00:00:01 - vlan tag not supported for this connection type" },
    { "<source dev='eth9'/><bandwidth><inbound average='1'/></bandwidth>", true, VIR_FROM_LXC,
      VIR_ERR_CONFIG_UNSUPPORTED, "Unable to set network bandwidth on direct interfaces" },
    { "<source dev='eth9'/><virtualport type='802.1Qbh'><parameters profileid='p'/>"
      "</virtualport>", true, VIR_FROM_LXC, VIR_ERR_CONFIG_UNSUPPORTED,
      "Unable to set port profile on direct interfaces" },
    /* libvirt's order: the vlan first, then bandwidth, then the port profile */
    { "<source dev='eth9'/><virtualport type='802.1Qbh'><parameters profileid='p'/>"
      "</virtualport><bandwidth><inbound average='1'/></bandwidth><vlan><tag id='4'/></vlan>",
      true, VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "vlan tag not supported" },
    { "<source dev='eth9'/><virtualport type='802.1Qbh'><parameters profileid='p'/>"
      "</virtualport><bandwidth><inbound average='1'/></bandwidth>", true, VIR_FROM_LXC,
      VIR_ERR_CONFIG_UNSUPPORTED, "Unable to set network bandwidth on direct interfaces" },
};

static int
testErrors(const void *data G_GNUC_UNUSED)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(testBads); i++) {
        g_autoptr(lxcConfig) cfg = NULL;
        const virError *err;

        virResetLastError();
        cfg = testParse(testBads[i].body, NULL);
        if (testBads[i].atStart) {
            if (!cfg)
                VIR_TEST_FAIL("refused at define: %s: %s", testBads[i].body,
                              virGetLastErrorMessage());
            if (lxcConfigCheckStart(cfg) == 0)
                VIR_TEST_FAIL("a start accepts: %s", testBads[i].body);
        } else if (cfg) {
            VIR_TEST_FAIL("accepted: %s", testBads[i].body);
        }
        err = virGetLastError();
        VIR_TEST_ASSERT(err != NULL);
        VIR_TEST_ASSERT_INT(err->domain, testBads[i].domain);
        VIR_TEST_ASSERT_INT(err->code, testBads[i].code);
        if (!strstr(err->message, testBads[i].message))
            VIR_TEST_FAIL("%s: got '%s', wanted '%s'", testBads[i].body, err->message,
                          testBads[i].message);
    }
    return 0;
}


/* type='network': refused at start (no network driver), naming why */
static int
testNetwork(const void *data G_GNUC_UNUSED)
{
    g_autofree char *xml = g_strdup_printf(
        "<domain type='lxc'><name>net</name><memory>131072</memory>"
        "<os><type>exe</type><init>/bin/sh</init></os><devices>"
        "<interface type='network'><source network='default'/></interface></devices></domain>");
    g_autoptr(virDomainDef) def = virDomainDefParseString(xml);
    g_autoptr(lxcConfig) cfg = NULL;

    VIR_TEST_ASSERT(def != NULL);
    VIR_TEST_ASSERT((cfg = lxcConfigParse(xml, def)) != NULL);
    VIR_TEST_ASSERT_INT(lxcConfigCheckStart(cfg), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_CONFIG_UNSUPPORTED);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "there is no network driver"));
    return 0;
}


int
main(void)
{
    virTestRun("modes printed as libvirt prints them", testModes, NULL);
    virTestRun("bad input: libvirt's codes, domains and words", testErrors, NULL);
    virTestRun("type 'network' refused", testNetwork, NULL);
    return virTestResult();
}
