/*
 * test-lxc-conf-ip.c: an LXC interface's <ip> and <route> (lxcconf.h)
 * without a container: libvirt 9.0's checks and words for bad input, the
 * XML printed back as libvirt prints it, and the prefixes and metrics the
 * controller puts on the container end (natural prefixes, default routes,
 * metric 1). The container side is tests/test-lxc-net.sh (root), the
 * comparison with libvirtd tests/test-lxc-net-differential.sh.
 */
#include <string.h>
#include <sys/socket.h>
#include <glib.h>

#include "testutils.h"
#include "testlxcconf.h"
#include "virerror.h"

/* A domain with one <interface> holding body. */
static char *
testDomain(const char *body)
{
    return g_strdup_printf("<domain type='lxc'><name>ipt</name><memory>131072</memory>"
                           "<os><type>exe</type><init>/bin/sh</init></os><devices>"
                           "<interface type='bridge'><mac address='52:54:00:00:00:01'/>"
                           "<source bridge='br0'/>%s</interface></devices></domain>", body);
}


/* Parse body's domain: its config and, formatted, its XML. */
static lxcConfig *
testParse(const char *body, char **formatted)
{
    g_autofree char *xml = testDomain(body);

    return testLXCConfigParse(xml, formatted);
}


static int
testPrinted(const void *data G_GNUC_UNUSED)
{
    g_autofree char *out = NULL;
    g_autoptr(lxcConfig) cfg =
        testParse("<route metric='3' gateway='10.0.0.1' address='10.2.0.0' prefix='16' x='y'/>"
                  "<ip prefix='24' address='10.0.0.2' other='1'/>"
                  "<ip address='FD00:0:0::2'/>"
                  "<ip address='10.3' prefix='32' peer='10.0.0.9'/>"
                  "<route family='ipv6' address='::' prefix='0' gateway='fd00::1'/>"
                  "<route address='10.4.0.0' netmask='255.255.0.0' gateway='10.0.0.1'/>", &out);
    const char *expect =
        "<source bridge='br0'/>\n"
        "      <ip address='10.0.0.2' family='ipv4' prefix='24'/>\n"
        "      <ip address='fd00::2' family='ipv6'/>\n"
        "      <ip address='10.0.0.3' family='ipv4' prefix='32' peer='10.0.0.9'/>\n"
        "      <route address='10.2.0.0' prefix='16' gateway='10.0.0.1' metric='3'/>\n"
        "      <route family='ipv6' address='::' prefix='0' gateway='fd00::1'/>\n"
        "      <route address='10.4.0.0' netmask='255.255.0.0' gateway='10.0.0.1'/>\n";

    if (!cfg)
        VIR_TEST_FAIL("parse: %s", virGetLastErrorMessage());
    if (!strstr(out, expect))
        VIR_TEST_FAIL("printed:\n%s\nwanted within it:\n%s", out, expect);
    return 0;
}


static int
testPrefixes(const void *data G_GNUC_UNUSED)
{
    g_autoptr(lxcConfig) cfg =
        testParse("<ip address='10.0.0.2'/><ip address='172.16.0.2'/><ip address='192.168.0.2'/>"
                  "<ip address='224.0.0.5'/><ip address='fd00::2'/><ip address='10.0.0.3' prefix='30'/>"
                  "<route address='0.0.0.0' gateway='10.0.0.1'/>"
                  "<route address='0.0.0.0' netmask='0.0.0.0' gateway='10.0.0.1' metric='9'/>"
                  "<route address='10.4.0.0' netmask='255.255.0.0' gateway='10.0.0.1'/>"
                  "<route family='ipv6' address='fd01::' prefix='48' gateway='fd00::1'/>"
                  "<route family='ipv6' address='::' gateway='fd00::1'/>", NULL);
    const lxcDevice *dev;

    if (!cfg)
        VIR_TEST_FAIL("parse: %s", virGetLastErrorMessage());
    dev = cfg->devs[0];
    VIR_TEST_ASSERT_INT(dev->nnetIPs, 6);
    VIR_TEST_ASSERT_INT(dev->nnetRoutes, 5);
    /* class A, B, C; D has none (libvirt fails the start); IPv6 64; given */
    VIR_TEST_ASSERT_INT(lxcNetIPPrefix(&dev->netIPs[0]), 8);
    VIR_TEST_ASSERT_INT(lxcNetIPPrefix(&dev->netIPs[1]), 16);
    VIR_TEST_ASSERT_INT(lxcNetIPPrefix(&dev->netIPs[2]), 24);
    VIR_TEST_ASSERT_INT(lxcNetIPPrefix(&dev->netIPs[3]), -1);
    VIR_TEST_ASSERT_INT(lxcNetIPPrefix(&dev->netIPs[4]), 64);
    VIR_TEST_ASSERT_INT(lxcNetIPPrefix(&dev->netIPs[5]), 30);
    VIR_TEST_ASSERT_INT(dev->netIPs[4].family, AF_INET6);
    /* default routes, a netmask's bits, a given prefix */
    VIR_TEST_ASSERT_INT(lxcNetRoutePrefix(&dev->netRoutes[0]), 0);
    VIR_TEST_ASSERT_INT(lxcNetRoutePrefix(&dev->netRoutes[1]), 0);
    VIR_TEST_ASSERT_INT(lxcNetRoutePrefix(&dev->netRoutes[2]), 16);
    VIR_TEST_ASSERT_INT(lxcNetRoutePrefix(&dev->netRoutes[3]), 48);
    VIR_TEST_ASSERT_INT(lxcNetRoutePrefix(&dev->netRoutes[4]), 0);
    VIR_TEST_ASSERT_INT(lxcNetRouteMetric(&dev->netRoutes[0]), 1);
    VIR_TEST_ASSERT_INT(lxcNetRouteMetric(&dev->netRoutes[1]), 9);
    return 0;
}


typedef struct {
    const char *body;
    int domain;
    int code;
    const char *message;
} testBad;

static const testBad testBads[] = {
    { "<ip address='10.0.0.256'/>", VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
      "Invalid address '10.0.0.256' in <ip>" },
    { "<ip address='fd00::1' family='ipv4'/>", VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
      "Invalid address 'fd00::1' in <ip>" },
    { "<ip address='host.example'/>", VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
      "Invalid address 'host.example' in <ip>" },
    { "<ip prefix='24'/>", VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "Missing required address in <ip>" },
    { "<ip address='10.0.0.2' prefix='33'/>", VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
      "Invalid prefix value '33' in <ip>" },
    { "<ip address='fd00::2' prefix='129'/>", VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
      "Invalid prefix value '129' in <ip>" },
    { "<ip address='10.0.0.2' prefix=''/>", VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
      "Invalid prefix value '' in <ip>" },
    { "<ip address='10.0.0.2' peer='fd00::1'/>", VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
      "Invalid peer 'fd00::1' in <ip>" },
    { "<route address='10.1.0.1' prefix='16' gateway='10.0.0.1'/>", VIR_FROM_NETWORK,
      VIR_ERR_XML_ERROR,
      "guest interface: Address '10.1.0.1' in route definition is not a network address" },
    { "<route address='10.1.0.0' gateway='10.0.0.1'/>", VIR_FROM_NETWORK, VIR_ERR_XML_ERROR,
      "guest interface: Address '10.1.0.0' in route definition is not a network address" },
    { "<route address='10.1.0.0' prefix='16'/>", VIR_FROM_NETWORK, VIR_ERR_XML_ERROR,
      "guest interface: Missing required gateway attribute in route definition" },
    { "<route family='ipv4' address='fd01::' prefix='64' gateway='10.0.0.1'/>", VIR_FROM_NETWORK,
      VIR_ERR_XML_ERROR,
      "guest interface: IPv4 family specified for non-IPv4 address 'fd01::' in route definition" },
    { "<route address='10.1.0.0' netmask='255.255.0.0' prefix='16' gateway='10.0.0.1'/>",
      VIR_FROM_NETWORK, VIR_ERR_XML_ERROR,
      "guest interface: Route definition cannot have both a prefix and a netmask" },
    { "<route address='10.1.0.0' netmask='x' gateway='10.0.0.1'/>", VIR_FROM_NETWORK,
      VIR_ERR_XML_ERROR, "guest interface: Bad netmask address 'x' in route definition" },
    { "<route address='10.1.0.0' prefix='-1' gateway='10.0.0.1'/>", VIR_FROM_XML,
      VIR_ERR_XML_ERROR, "Invalid value for attribute 'prefix' in element 'route': '-1'. "
      "Expected non-negative integer value" },
    { "<route address='10.1.0.0' prefix='16' gateway='10.0.0.1' metric='0'/>", VIR_FROM_XML,
      VIR_ERR_XML_ERROR, "Invalid value for attribute 'metric' in element 'route': "
      "Zero is not permitted" },
};

static int
testErrors(const void *data G_GNUC_UNUSED)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(testBads); i++) {
        g_autoptr(lxcConfig) cfg = NULL;
        const virError *err;

        virResetLastError();
        if ((cfg = testParse(testBads[i].body, NULL)))
            VIR_TEST_FAIL("accepted: %s", testBads[i].body);
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


int
main(void)
{
    virTestRun("<ip> and <route> printed as libvirt prints them", testPrinted, NULL);
    virTestRun("prefixes and metrics put on the container end", testPrefixes, NULL);
    virTestRun("bad input: libvirt's codes, domains and words", testErrors, NULL);
    return virTestResult();
}
