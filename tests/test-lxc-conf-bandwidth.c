/*
 * test-lxc-conf-bandwidth.c: an LXC interface's <bandwidth> (lxcconf.h)
 * without a container: the rates parsed, the element printed back as
 * libvirt prints it, libvirt 9.0's errors for bad input. The tc command
 * lines: tests/test-lxc-net-differential.sh (against libvirtd).
 */
#include <string.h>
#include <glib.h>

#include "testutils.h"
#include "testlxcconf.h"
#include "virerror.h"

static lxcConfig *
testParse(const char *type, const char *body, char **formatted)
{
    g_autofree char *xml = g_strdup_printf(
        "<domain type='lxc'><name>bw</name><memory>131072</memory>"
        "<os><type>exe</type><init>/bin/sh</init></os><devices>"
        "<interface type='%s'><mac address='52:54:00:00:00:01'/><source bridge='br0'/>%s"
        "<target dev='h0'/></interface></devices></domain>", type, body);

    return testLXCConfigParse(xml, formatted);
}


static int
testPrinted(const void *data G_GNUC_UNUSED)
{
    g_autofree char *out = NULL;
    g_autofree char *empty = NULL;
    g_autofree char *zero = NULL;
    g_autoptr(lxcConfig) cfg =
        testParse("bridge", "<bandwidth><x/><outbound burst='7' average='5' y='1'/>"
                  "<inbound burst='3' peak='2' average='1'/></bandwidth>", &out);
    g_autoptr(lxcConfig) cfg2 = testParse("bridge", "<bandwidth/>", &empty);
    g_autoptr(lxcConfig) cfg3 = testParse("ethernet", "<bandwidth><inbound average='0'/>"
                                          "</bandwidth>", &zero);

    VIR_TEST_ASSERT(cfg && cfg2 && cfg3);
    VIR_TEST_ASSERT(cfg->devs[0]->netBandwidth);
    VIR_TEST_ASSERT(cfg->devs[0]->netIn.given && cfg->devs[0]->netOut.given);
    VIR_TEST_ASSERT_INT(cfg->devs[0]->netIn.average, 1);
    VIR_TEST_ASSERT_INT(cfg->devs[0]->netIn.peak, 2);
    VIR_TEST_ASSERT_INT(cfg->devs[0]->netIn.burst, 3);
    VIR_TEST_ASSERT_INT(cfg->devs[0]->netOut.burst, 7);
    /* libvirt's order: inbound, outbound; average, peak, floor, burst; after <source> */
    if (!strstr(out, "<source bridge='br0'/>\n      <bandwidth>\n"
                "        <inbound average='1' peak='2' burst='3'/>\n"
                "        <outbound average='5' burst='7'/>\n      </bandwidth>\n"))
        VIR_TEST_FAIL("printed as\n%s", out);
    /* without a direction: no <bandwidth>; a zero average: an empty one */
    VIR_TEST_ASSERT(!cfg2->devs[0]->netBandwidth);
    VIR_TEST_ASSERT(!strstr(empty, "bandwidth"));
    VIR_TEST_ASSERT(cfg3->devs[0]->netBandwidth);
    VIR_TEST_ASSERT(strstr(zero, "<bandwidth/>"));
    /* a start takes them */
    VIR_TEST_ASSERT_INT(lxcConfigCheckStart(cfg), 0);
    return 0;
}


static const struct {
    const char *type;
    const char *body;
    int code;
    const char *message;
} testBads[] = {
    { "bridge", "<bandwidth><inbound average='1k'/></bandwidth>", VIR_ERR_CONFIG_UNSUPPORTED,
      "could not convert bandwidth average value '1k'" },
    { "bridge", "<bandwidth><inbound average='-1'/></bandwidth>", VIR_ERR_CONFIG_UNSUPPORTED,
      "could not convert bandwidth average value '-1'" },
    { "bridge", "<bandwidth><inbound average='1' burst=''/></bandwidth>",
      VIR_ERR_CONFIG_UNSUPPORTED, "could not convert bandwidth burst value ''" },
    { "bridge", "<bandwidth><outbound peak='1'/></bandwidth>", VIR_ERR_XML_DETAIL,
      "Missing mandatory average or floor attributes" },
    { "bridge", "<bandwidth><inbound floor='1' peak='1'/></bandwidth>",
      VIR_ERR_CONFIG_UNSUPPORTED, "'peak' and 'burst' require 'average' attribute" },
    { "bridge", "<bandwidth><inbound average='1' floor='1'/></bandwidth>",
      VIR_ERR_CONFIG_UNSUPPORTED, "floor attribute is not supported for this config" },
    { "network", "<bandwidth><outbound average='1' floor='1'/></bandwidth>",
      VIR_ERR_CONFIG_UNSUPPORTED, "'floor' attribute allowed only in <inbound> element" },
    { "bridge", "<bandwidth><inbound average='1'/><inbound average='2'/></bandwidth>",
      VIR_ERR_XML_DETAIL, "Only one child <inbound> element allowed" },
    { "bridge", "<bandwidth classID='1'/>", VIR_ERR_XML_DETAIL,
      "classID attribute not supported on <bandwidth> in this usage context" },
};

static int
testErrors(const void *data G_GNUC_UNUSED)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(testBads); i++) {
        g_autoptr(lxcConfig) cfg = NULL;

        virResetLastError();
        if ((cfg = testParse(testBads[i].type, testBads[i].body, NULL)))
            VIR_TEST_FAIL("accepted: %s", testBads[i].body);
        VIR_TEST_ASSERT_INT(virGetLastError()->domain, VIR_FROM_NONE);
        VIR_TEST_ASSERT_INT(virGetLastErrorCode(), testBads[i].code);
        if (!strstr(virGetLastErrorMessage(), testBads[i].message))
            VIR_TEST_FAIL("%s: got '%s', wanted '%s'", testBads[i].body,
                          virGetLastErrorMessage(), testBads[i].message);
    }
    /* a floor on a type network interface's inbound is taken (the start refuses the type) */
    {
        g_autoptr(lxcConfig) cfg = testParse("network", "<bandwidth><inbound floor='1'/>"
                                             "</bandwidth>", NULL);

        VIR_TEST_ASSERT(cfg != NULL);
        VIR_TEST_ASSERT_INT(cfg->devs[0]->netIn.floor, 1);
    }
    return 0;
}


int
main(void)
{
    virTestRun("<bandwidth> parsed and printed as libvirt prints it", testPrinted, NULL);
    virTestRun("bad input: libvirt's codes and words", testErrors, NULL);
    return virTestResult();
}
