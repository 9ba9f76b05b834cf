/*
 * test-lxc-conf-tune.c: the tunables an LXC definition holds for the
 * cgroups (lxcconf.h, virdomaindef.h) without a container: <blkiotune>'s
 * <device>s read with libvirt 9.0's checks and words (its number syntax:
 * "-1" is the largest 32-bit value) and printed as libvirt prints them; <vcpu cpuset> checked and printed as libvirt does. The
 * container side, compared with libvirtd, is tests/lxc-differential.py
 * (scenarios 19 and 20).
 */
#include <string.h>
#include <glib.h>

#include "testutils.h"
#include "testlxcconf.h"
#include "virdomaindef.h"
#include "virerror.h"
#include "virpublic.h"

static char *
testDomain(const char *vcpu, const char *blkiotune)
{
    return g_strdup_printf("<domain type='lxc'><name>tt</name><memory>131072</memory>%s"
                           "<os><type>exe</type><init>/bin/sh</init></os>%s</domain>",
                           vcpu, blkiotune);
}


static lxcConfig *
testParse(const char *blkiotune)
{
    g_autofree char *xml = testDomain("", blkiotune);

    return testLXCConfigParse(xml, NULL);
}


static int
testDevicesRead(const void *data G_GNUC_UNUSED)
{
    g_autoptr(lxcConfig) cfg =
        testParse("<blkiotune><weight>300</weight>"
                  "<device><path>/dev/a</path><write_bytes_sec>4294967296</write_bytes_sec>"
                  "<weight>10</weight></device>"
                  "<device><path>/dev/b</path><read_iops_sec> 5</read_iops_sec>"
                  "<write_iops_sec>-1</write_iops_sec></device></blkiotune>");

    VIR_TEST_ASSERT(cfg != NULL);
    VIR_TEST_ASSERT_INT(cfg->blkioWeight, 300);
    VIR_TEST_ASSERT_INT(cfg->nblkioDevs, 2);
    VIR_TEST_ASSERT(strcmp(cfg->blkioDevs[0].path, "/dev/a") == 0);
    VIR_TEST_ASSERT(cfg->blkioDevs[0].value[LXC_BLKIO_DEVICE_WRITE_BPS] == 4294967296ULL);
    VIR_TEST_ASSERT(cfg->blkioDevs[0].value[LXC_BLKIO_DEVICE_WEIGHT] == 10);
    VIR_TEST_ASSERT(cfg->blkioDevs[0].value[LXC_BLKIO_DEVICE_READ_IOPS] == 0);
    VIR_TEST_ASSERT(strcmp(cfg->blkioDevs[1].path, "/dev/b") == 0);
    VIR_TEST_ASSERT(cfg->blkioDevs[1].value[LXC_BLKIO_DEVICE_READ_IOPS] == 5);
    VIR_TEST_ASSERT(cfg->blkioDevs[1].value[LXC_BLKIO_DEVICE_WRITE_IOPS] == 4294967295ULL);
    VIR_TEST_ASSERT(strcmp(lxcBlkioDeviceParamName(LXC_BLKIO_DEVICE_READ_BPS),
                           "device_read_bytes_sec") == 0);
    VIR_TEST_ASSERT(strcmp(lxcBlkioDeviceElement(LXC_BLKIO_DEVICE_WRITE_IOPS),
                           "write_iops_sec") == 0);
    return 0;
}


static int
testDevicesPrinted(const void *data G_GNUC_UNUSED)
{
    static const struct {
        const char *in;
        const char *out;        /* NULL: no <blkiotune> left */
    } cases[] = {
        /* libvirt's order, numbers as numbers, zeros and other children dropped */
        { "<blkiotune><weight>300</weight><device><write_bytes_sec>007</write_bytes_sec>"
          "<x/><read_iops_sec>5</read_iops_sec><weight>0</weight><path>/dev/a</path>"
          "</device></blkiotune>",
          "<blkiotune><weight>300</weight><device><path>/dev/a</path>"
          "<read_iops_sec>5</read_iops_sec><write_bytes_sec>7</write_bytes_sec></device>"
          "</blkiotune>" },
        /* a device without a tunable is not printed, nor an empty <blkiotune> */
        { "<blkiotune><device><path>/dev/a</path><weight>0</weight></device></blkiotune>", NULL },
        { "<blkiotune><device><path>/dev/a</path></device><device><path>/dev/b</path>"
          "<write_iops_sec>1</write_iops_sec></device></blkiotune>",
          "<blkiotune><device><path>/dev/b</path><write_iops_sec>1</write_iops_sec></device>"
          "</blkiotune>" },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = testDomain("", cases[i].in);
        g_autofree char *out = lxcConfigNormalizeXML(xml);

        VIR_TEST_ASSERT(out != NULL);
        if (cases[i].out ? !strstr(out, cases[i].out) : !!strstr(out, "blkiotune"))
            VIR_TEST_FAIL("case %zu: got %s", i, out);
    }
    return 0;
}


static const struct {
    const char *vcpu;
    const char *blkiotune;
    int domain;
    int code;
    const char *message;
} testBads[] = {
    { "", "<blkiotune><device><read_iops_sec>5</read_iops_sec></device></blkiotune>",
      VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "missing per-device path" },
    { "", "<blkiotune><device><path></path><weight>5</weight></device></blkiotune>",
      VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "missing per-device path" },
    { "", "<blkiotune><device><path>/dev/a</path><read_bytes_sec>1x</read_bytes_sec>"
      "</device></blkiotune>",
      VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "could not parse read bytes sec 1x" },
    { "", "<blkiotune><device><path>/dev/a</path><weight>-4294967296</weight></device>"
      "</blkiotune>",
      VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "could not parse weight -4294967296" },
    { "", "<blkiotune><device><path>/dev/a</path><weight>5 </weight></device></blkiotune>",
      VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "could not parse weight 5 " },
    { "", "<blkiotune><device><path>/dev/a</path><write_iops_sec>4294967296</write_iops_sec>"
      "</device></blkiotune>",
      VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "could not parse write iops sec 4294967296" },
    { "", "<blkiotune><device><path>/dev/a</path><weight>1</weight></device>"
      "<device><path>/dev/a</path><weight>2</weight></device></blkiotune>",
      VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "duplicate blkio device path '/dev/a'" },
    { "<vcpu cpuset='0-'>1</vcpu>", "",
      VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "Failed to parse bitmap '0-'" },
    { "<vcpu cpuset='16384'>1</vcpu>", "",
      VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "Failed to parse bitmap '16384'" },
    { "<vcpu cpuset='^0'>1</vcpu>", "",
      VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "Invalid value of 'cpuset': ^0" },
    { "", "<numatune><memory mode='strict' nodeset='0'/></numatune>",
      VIR_FROM_LXC, VIR_ERR_CONFIG_UNSUPPORTED, "<numatune> (memory nodes) is not supported" },
};


static int
testErrors(const void *data G_GNUC_UNUSED)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(testBads); i++) {
        g_autofree char *xml = testDomain(testBads[i].vcpu, testBads[i].blkiotune);
        g_autoptr(virDomainDef) def = NULL;
        g_autoptr(lxcConfig) cfg = NULL;
        const virError *err;

        virResetLastError();
        if ((def = virDomainDefParseString(xml)) && (cfg = lxcConfigParse(xml, def)))
            VIR_TEST_FAIL("accepted: %s", xml);
        err = virGetLastError();
        VIR_TEST_ASSERT(err != NULL);
        if (err->domain != testBads[i].domain || err->code != testBads[i].code ||
            !strstr(err->message, testBads[i].message))
            VIR_TEST_FAIL("case %zu: got %d/%d '%s', wanted %d/%d '%s'", i, err->domain,
                          err->code, err->message, testBads[i].domain, testBads[i].code,
                          testBads[i].message);
    }
    return 0;
}


/* <vcpu cpuset> kept as libvirt formats it; with placement 'auto' not read. */
static int
testCpuset(const void *data G_GNUC_UNUSED)
{
    static const struct {
        const char *vcpu;
        const char *out;
    } cases[] = {
        { "<vcpu cpuset='0,1,2,5'>1</vcpu>", "cpuset='0-2,5'" },
        { "<vcpu cpuset='0-3,^1'>1</vcpu>", "cpuset='0,2-3'" },
        { "<vcpu cpuset=' 1 , 3 '>1</vcpu>", "cpuset='1,3'" },
        { "<vcpu placement='auto' cpuset='x'>1</vcpu>", "<vcpu" },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = testDomain(cases[i].vcpu, "");
        g_autoptr(virDomainDef) def = virDomainDefParseString(xml);
        g_autofree char *out = NULL;

        if (!def)
            VIR_TEST_FAIL("case %zu refused: %s", i, virGetLastErrorMessage());
        out = virDomainDefFormat(def, -1);
        if (!strstr(out, cases[i].out))
            VIR_TEST_FAIL("case %zu: wanted %s in %s", i, cases[i].out, out);
    }
    return 0;
}


int
main(void)
{
    virTestRun("<blkiotune><device>s read", testDevicesRead, NULL);
    virTestRun("<blkiotune><device>s printed as libvirt prints them", testDevicesPrinted, NULL);
    virTestRun("bad input: libvirt's codes, domains and words", testErrors, NULL);
    virTestRun("<vcpu cpuset> printed as libvirt prints it", testCpuset, NULL);
    return virTestResult();
}
