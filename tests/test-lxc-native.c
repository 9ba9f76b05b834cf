/*
 * test-lxc-native.c: lxc-tools configurations read into domain XML
 * (lxcnative.h) without a daemon or root: the keys' XML, the errors of bad
 * input (libvirt's codes and words; the comparison with libvirtd itself is
 * tests/lxc-differential.py's scenario 15), and hostile input (every
 * prefix of a configuration, random bytes) that must give an error or XML
 * the domain parser takes, never a crash.
 */
#include <string.h>
#include <glib.h>

#include "testutils.h"
#include "lxcnative.h"
#include "virdomaindef.h"
#include "virerror.h"

static const char testConfig[] =
    "# a comment\n"
    "lxc.utsname = box\n"
    "lxc.rootfs = /srv/box & co\n"
    "lxc.mount.entry = /srv/data srv/data none bind,ro 0 0\n"
    "lxc.mount.entry = proc proc proc defaults 0 0\n"
    "lxc.mount.entry = tmpfs run tmpfs size=2M 0 0\n"
    "lxc.network.type = veth\n"
    "lxc.network.link = br0\n"
    "lxc.network.hwaddr = 2:0:0:AA:bb:cc\n"
    "lxc.network.ipv4 = 10.0.0.2/8\n"
    "lxc.network.ipv4.gateway = 10.0.0.1\n"
    "lxc.cgroup.memory.limit_in_bytes = 1G\n"
    "lxc.cgroup.cpu.shares = 100\n"
    "lxc.cgroup.blkio.device_weight = 8:0 50\n"
    "lxc.cap.drop = mknod\n"
    "lxc.idmap = u 0 1000 10\n";

static int
testKeys(const void *data G_GNUC_UNUSED)
{
    static const char *const want[] = {
        "<name>box</name>", "<memory unit='KiB'>1048576</memory>",
        "<source dir='/srv/box &amp; co'/>", "<target dir='/srv/data'/>", "<readonly/>",
        "<source usage='2048' units='KiB'/>", "<mac address='02:00:00:aa:bb:cc'/>",
        "<source bridge='br0'/>", "<ip address='10.0.0.2' family='ipv4' prefix='8'/>",
        "gateway='10.0.0.1'", "<link state='down'/>", "<hard_limit unit='KiB'>1048576</hard_limit>",
        "<shares>100</shares>", "<path>/dev/block/8:0</path>", "<weight>50</weight>",
        "<mknod state='off'/>", "<uid start='1000' target='0' count='10'/>",
    };
    g_autofree char *xml = lxcNativeToXML(testConfig);
    g_autoptr(virDomainDef) def = NULL;
    size_t i;

    if (!xml)
        VIR_TEST_FAIL("no XML: %s", virGetLastErrorMessage());
    if (!(def = virDomainDefParseStringFlags(xml, VIR_DOMAIN_DEF_PARSE_SKIP_VALIDATE)))
        VIR_TEST_FAIL("XML refused: %s\n%s", virGetLastErrorMessage(), xml);
    for (i = 0; i < G_N_ELEMENTS(want); i++) {
        if (!strstr(xml, want[i]))
            VIR_TEST_FAIL("'%s' missing from\n%s", want[i], xml);
    }
    /* the basic mount (/proc) is the driver's own: left out */
    if (strstr(xml, "<target dir='/proc'/>"))
        VIR_TEST_FAIL("/proc kept:\n%s", xml);
    return 0;
}

static const struct {
    const char *text;
    int domain;
    int code;               /* 0: NULL without an error (libvirt's generic one) */
    const char *message;
} testBads[] = {
    { "lxc.rootfs = /r\n", 0, 0, NULL },
    { "lxc.utsname = a\nx y\n", VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX,
      "memory conf:2: expecting an assignment" },
    { "lxc.utsname = 'a\n", VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX, "memory conf:1: unterminated string" },
    { "lxc.utsname = a\nlxc.rootfs = /r\nlxc.cgroup.memory.limit_in_bytes = 1Q\n", VIR_FROM_LXC,
      VIR_ERR_INTERNAL_ERROR, "failed to convert size: '1Q'" },
    { "lxc.utsname = a\nlxc.rootfs = /r\nlxc.cgroup.memory.limit_in_bytes = 20000E\n", VIR_FROM_LXC,
      VIR_ERR_INTERNAL_ERROR, "failed to convert size: '20000E'" },
    { "lxc.utsname = a\nlxc.rootfs = /r\nlxc.net.0.type = veth\nlxc.net.0.ipv4 = 1.2.3.4\n",
      VIR_FROM_LXC, VIR_ERR_INVALID_ARG, "Invalid CIDR address: '1.2.3.4'" },
    { "lxc.utsname = a\nlxc.rootfs = /r\nlxc.net.0.zzz = 1\n", 0, 0, NULL },
    { "lxc.utsname = a\nlxc.rootfs = /r\nlxc.cgroup.cpuset.cpus = 2-1\n", VIR_FROM_NONE,
      VIR_ERR_INVALID_ARG, "Failed to parse bitmap '2-1'" },
    { "lxc.utsname = a\nlxc.rootfs = /r\nlxc.tty = 100000\n", VIR_FROM_LXC,
      VIR_ERR_CONFIG_UNSUPPORTED, "too many consoles" },
};

static int
testErrors(const void *data G_GNUC_UNUSED)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(testBads); i++) {
        g_autofree char *xml = NULL;
        virError *err;

        virResetLastError();
        if ((xml = lxcNativeToXML(testBads[i].text)))
            VIR_TEST_FAIL("%s: accepted:\n%s", testBads[i].text, xml);
        err = virGetLastError();
        if (!testBads[i].code) {
            if (err)
                VIR_TEST_FAIL("%s: an error where libvirt has none: %s", testBads[i].text,
                              err->message);
            continue;
        }
        if (!err)
            VIR_TEST_FAIL("%s: no error", testBads[i].text);
        VIR_TEST_ASSERT_INT(err->domain, testBads[i].domain);
        VIR_TEST_ASSERT_INT(err->code, testBads[i].code);
        if (!strstr(err->message, testBads[i].message))
            VIR_TEST_FAIL("%s: got '%s', wanted '%s'", testBads[i].text, err->message,
                          testBads[i].message);
    }
    return 0;
}

/* Whatever comes back must be well-formed XML with a <domain> root; the
 * domain parser may still refuse it with an error (a memory limit under
 * 1 KiB makes <memory> 0, refused as libvirt refuses it). */
static int
testOne(const char *text)
{
    g_autofree char *xml = NULL;
    g_autoptr(virDomainDef) def = NULL;
    xmlDocPtr doc;

    virResetLastError();
    if (!(xml = lxcNativeToXML(text)))
        return 0;
    if (!(doc = virDomainXMLParseString(xml, "native", "domain", VIR_FROM_DOMAIN)))
        VIR_TEST_FAIL("not XML (%s) for input:\n%s\n%s", virGetLastErrorMessage(), text, xml);
    xmlFreeDoc(doc);
    if (!(def = virDomainDefParseString(xml)) && !virGetLastError())
        VIR_TEST_FAIL("refused without an error for input:\n%s\n%s", text, xml);
    return 0;
}

static int
testHostile(const void *data G_GNUC_UNUSED)
{
    static const char alphabet[] = "lxc.net0123456789 =\t\n\r#'\"/:;-%^,&<>ugKMGiB";
    g_autoptr(GRand) rand = g_rand_new_with_seed(42);
    size_t i, j, n = strlen(testConfig);
    char buf[512];

    for (i = 0; i <= n; i++) {
        g_autofree char *prefix = g_strndup(testConfig, i);
        if (testOne(prefix) < 0)
            return -1;
    }
    for (i = 0; i < 2000; i++) {
        /* a good configuration with a few bytes changed, or noise */
        size_t len = i % 2 ? n : (size_t)g_rand_int_range(rand, 0, sizeof(buf));
        if (i % 2)
            memcpy(buf, testConfig, n);
        for (j = 0; j < len; j++) {
            if (!(i % 2) || g_rand_int_range(rand, 0, 20) == 0)
                buf[j] = alphabet[g_rand_int_range(rand, 0, sizeof(alphabet) - 1)];
        }
        buf[len] = '\0';
        if (testOne(buf) < 0)
            return -1;
    }
    return 0;
}

int
main(void)
{
    virTestRun("the keys' XML", testKeys, NULL);
    virTestRun("bad input: libvirt's codes, domains and words", testErrors, NULL);
    virTestRun("hostile input: an error or XML the parser takes", testHostile, NULL);
    return virTestResult();
}
