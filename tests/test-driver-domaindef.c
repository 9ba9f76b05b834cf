/*
 * test-driver-domaindef.c: domain XML parsing and formatting edge cases
 * (src/drivers/virdomaindef.c).
 */
#include <string.h>
#include <glib.h>

#include "testutils.h"
#include "virdomaindef.h"
#include "virerror.h"

#define UUID1 "c7a5fdbd-edaf-9455-926a-d65c16db1809"

#define ASSERT_ERROR(code_, domain_) \
    do { \
        virError *e_ = virGetLastError(); \
        if (!e_) \
            VIR_TEST_FAIL("expected error %d, got none", code_); \
        if (e_->code != (code_) || e_->domain != (domain_)) \
            VIR_TEST_FAIL("error %d/%d (%s), expected %d/%d", e_->code, e_->domain, \
                          e_->message, code_, domain_); \
    } while (0)

/* Parse must fail with code/domain; the message must contain text. */
static int
expectParseError(const char *xml, int code, int domain, const char *text)
{
    virDomainDef *def;

    virResetLastError();
    def = virDomainDefParseString(xml);
    if (def) {
        virDomainDefFree(def);
        VIR_TEST_FAIL("parse of %s succeeded", xml);
    }
    ASSERT_ERROR(code, domain);
    if (text && !strstr(virGetLastErrorMessage(), text))
        VIR_TEST_FAIL("message '%s' lacks '%s'", virGetLastErrorMessage(), text);
    return 0;
}

static char *
parseFormat(const char *xml, int id)
{
    g_autoptr(virDomainDef) def = virDomainDefParseString(xml);

    if (!def) {
        fprintf(stderr, "  parse failed: %s\n", virGetLastErrorMessage());
        return NULL;
    }
    return virDomainDefFormat(def, id);
}

static const char minimalXML[] =
    "<domain type='test'><name>aa</name><uuid>" UUID1 "</uuid>"
    "<memory>1024</memory><os><type>hvm</type></os></domain>";

static const char minimalFormatted[] =
    "<domain type='test'>\n"
    "  <name>aa</name>\n"
    "  <uuid>" UUID1 "</uuid>\n"
    "  <memory unit='KiB'>1024</memory>\n"
    "  <currentMemory unit='KiB'>1024</currentMemory>\n"
    "  <vcpu placement='static'>1</vcpu>\n"
    "  <os>\n"
    "    <type>hvm</type>\n"
    "    <boot dev='hd'/>\n"
    "  </os>\n"
    "  <clock offset='utc'/>\n"
    "  <on_poweroff>destroy</on_poweroff>\n"
    "  <on_reboot>restart</on_reboot>\n"
    "  <on_crash>destroy</on_crash>\n"
    "  <devices>\n"
    "  </devices>\n"
    "</domain>\n";

static int
testMinimal(const void *data G_GNUC_UNUSED)
{
    g_autofree char *out = parseFormat(minimalXML, -1);
    g_autofree char *withId = parseFormat(minimalXML, 7);

    VIR_TEST_ASSERT(out);
    VIR_TEST_ASSERT_STR(out, minimalFormatted);
    VIR_TEST_ASSERT(withId);
    VIR_TEST_ASSERT(g_str_has_prefix(withId, "<domain type='test' id='7'>\n"));
    return 0;
}

static const char fullXML[] =
    "<?xml version='1.0'?>\n"
    "<!-- leading comment -->\n"
    "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
    "  <devices>\n"
    "    <emulator>/usr/bin/qemu</emulator>\n"
    "    <disk type=\"file\" device=\"disk\">\n"
    "      <source file='/var/lib/a &amp; b.img'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "      <boot order='1'/>\n"
    "    </disk>\n"
    "    <!-- a comment, dropped -->\n"
    "    <frobnicator speed='11'>  spaced text  </frobnicator>\n"
    "    <console type='pty'><target type='serial' port='0'/></console>\n"
    "  </devices>\n"
    "  <name>full</name>\n"
    "  <description>line one\nline &lt;two&gt;</description>\n"
    "  <metadata><app:info xmlns:app='http://example.org/app'>x</app:info></metadata>\n"
    "  <uuid>" UUID1 "</uuid>\n"
    "  <memory unit='MiB'>512</memory>\n"
    "  <currentMemory unit='KiB'>262144</currentMemory>\n"
    "  <vcpu placement='auto' cpuset='0-3' current='2'>4</vcpu>\n"
    "  <os>\n"
    "    <boot dev='network'/>\n"
    "    <type arch='x86_64' machine='pc-q35'>hvm</type>\n"
    "    <loader readonly='yes' type='pflash'>/usr/share/OVMF.fd</loader>\n"
    "    <boot dev='cdrom'/>\n"
    "    <bootmenu enable='yes'/>\n"
    "  </os>\n"
    "  <features><acpi/><apic/></features>\n"
    "  <clock offset='localtime'><timer name='rtc' tickpolicy='catchup'/></clock>\n"
    "  <on_crash>coredump-restart</on_crash>\n"
    "  <on_reboot>destroy</on_reboot>\n"
    "  <qemu:commandline><qemu:arg value='-foo'/></qemu:commandline>\n"
    "</domain>\n";

static const char fullFormatted[] =
    "<domain type='kvm'>\n"
    "  <name>full</name>\n"
    "  <uuid>" UUID1 "</uuid>\n"
    "  <description>line one\nline &lt;two&gt;</description>\n"
    "  <metadata>\n"
    "    <app:info xmlns:app='http://example.org/app'>x</app:info>\n"
    "  </metadata>\n"
    "  <memory unit='KiB'>524288</memory>\n"
    "  <currentMemory unit='KiB'>262144</currentMemory>\n"
    "  <vcpu placement='auto' cpuset='0-3' current='2'>4</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='pc-q35'>hvm</type>\n"
    "    <loader readonly='yes' type='pflash'>/usr/share/OVMF.fd</loader>\n"
    "    <boot dev='network'/>\n"
    "    <boot dev='cdrom'/>\n"
    "    <bootmenu enable='yes'/>\n"
    "  </os>\n"
    "  <features>\n"
    "    <acpi/>\n"
    "    <apic/>\n"
    "  </features>\n"
    "  <clock offset='localtime'>\n"
    "    <timer name='rtc' tickpolicy='catchup'/>\n"
    "  </clock>\n"
    "  <on_poweroff>destroy</on_poweroff>\n"
    "  <on_reboot>destroy</on_reboot>\n"
    "  <on_crash>coredump-restart</on_crash>\n"
    "  <devices>\n"
    "    <emulator>/usr/bin/qemu</emulator>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/var/lib/a &amp; b.img'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "      <boot order='1'/>\n"
    "    </disk>\n"
    "    <frobnicator speed='11'>  spaced text  </frobnicator>\n"
    "    <console type='pty'>\n"
    "      <target type='serial' port='0'/>\n"
    "    </console>\n"
    "  </devices>\n"
    "  <qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
    "    <qemu:arg value='-foo'/>\n"
    "  </qemu:commandline>\n"
    "</domain>\n";

static int
testFullRoundTrip(const void *data G_GNUC_UNUSED)
{
    g_autofree char *once = parseFormat(fullXML, -1);
    g_autofree char *twice = NULL;
    g_autoptr(virDomainDef) def = virDomainDefParseString(fullXML);
    g_autoptr(virDomainDef) copy = NULL;
    g_autofree char *copied = NULL;

    VIR_TEST_ASSERT(once && def);
    VIR_TEST_ASSERT_STR(once, fullFormatted);
    twice = parseFormat(once, -1);
    VIR_TEST_ASSERT_STR(twice, once);

    VIR_TEST_ASSERT_STR(def->name, "full");
    VIR_TEST_ASSERT_STR(def->virtType, "kvm");
    VIR_TEST_ASSERT_INT(def->memory, 524288);
    VIR_TEST_ASSERT_INT(def->currentMemory, 262144);
    VIR_TEST_ASSERT_INT(def->maxVcpus, 4);
    VIR_TEST_ASSERT_INT(def->vcpus, 2);
    VIR_TEST_ASSERT_STR(def->osArch, "x86_64");
    VIR_TEST_ASSERT_STR(def->osMachine, "pc-q35");
    VIR_TEST_ASSERT_INT(def->nbootDevs, 2);
    VIR_TEST_ASSERT_INT(def->onReboot, VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY);
    VIR_TEST_ASSERT_INT(def->onCrash, VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART);

    copy = virDomainDefCopy(def);
    copied = virDomainDefFormat(copy, -1);
    VIR_TEST_ASSERT_STR(copied, once);
    return 0;
}

static int
testOsElements(const void *data G_GNUC_UNUSED)
{
    g_autofree char *kernel = parseFormat(
        "<domain type='test'><name>k</name><uuid>" UUID1 "</uuid><memory>1</memory>"
        "<os><type>xen</type><cmdline> ro quiet</cmdline><kernel>/boot/vmlinuz</kernel>"
        "<root>/dev/sda1</root><initrd>/boot/initrd</initrd></os></domain>", -1);
    g_autofree char *container = parseFormat(
        "<domain type='lxc'><name>c</name><uuid>" UUID1 "</uuid><memory>1</memory>"
        "<os><type>exe</type><initarg>--a</initarg><init>/sbin/init</init>"
        "<initarg>b c</initarg></os></domain>", -1);
    g_autofree char *linuxOs = parseFormat(
        "<domain type='test'><name>l</name><uuid>" UUID1 "</uuid><memory>1</memory>"
        "<os><type>linux</type></os></domain>", -1);
    g_autofree char *perDevice = parseFormat(
        "<domain type='test'><name>p</name><uuid>" UUID1 "</uuid><memory>1</memory>"
        "<os><type>hvm</type></os><devices><disk type='file'><boot order='1'/></disk>"
        "</devices></domain>", -1);

    VIR_TEST_ASSERT(kernel && container && linuxOs && perDevice);
    VIR_TEST_ASSERT(strstr(kernel,
                           "  <os>\n"
                           "    <type>xen</type>\n"
                           "    <kernel>/boot/vmlinuz</kernel>\n"
                           "    <initrd>/boot/initrd</initrd>\n"
                           "    <cmdline> ro quiet</cmdline>\n"
                           "    <root>/dev/sda1</root>\n"
                           "  </os>\n"));
    VIR_TEST_ASSERT(strstr(container,
                           "    <type>exe</type>\n"
                           "    <init>/sbin/init</init>\n"
                           "    <initarg>--a</initarg>\n"
                           "    <initarg>b c</initarg>\n"
                           "  </os>\n"));
    VIR_TEST_ASSERT(!strstr(linuxOs, "<boot"));
    VIR_TEST_ASSERT(!strstr(perDevice, "<boot dev"));
    return 0;
}

static int
testMemoryUnits(const void *data G_GNUC_UNUSED)
{
    static const struct {
        const char *value;
        const char *unit;
        unsigned long long kib;
    } cases[] = {
        { "1024", NULL, 1024 },
        { " 2048 ", "KiB", 2048 },
        { "3", "k", 3 },
        { "1048577", "b", 1025 },
        { "1048576", "bytes", 1024 },
        { "1", "MB", 977 },
        { "1", "KB", 1 },
        { "2", "M", 2048 },
        { "1", "MiB", 1024 },
        { "1", "GiB", 1048576 },
        { "1", "g", 1048576 },
        { "1", "GB", 976563 },
        { "1", "TiB", 1073741824ULL },
        { "1", "PiB", 1099511627776ULL },
        { "4", "EiB", 4503599627370496ULL },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = g_strdup_printf(
            "<domain type='test'><name>m</name><memory%s%s%s>%s</memory>"
            "<os><type>hvm</type></os></domain>",
            cases[i].unit ? " unit='" : "", cases[i].unit ? cases[i].unit : "",
            cases[i].unit ? "'" : "", cases[i].value);
        g_autoptr(virDomainDef) def = virDomainDefParseString(xml);

        if (!def)
            VIR_TEST_FAIL("%s %s: %s", cases[i].value, cases[i].unit, virGetLastErrorMessage());
        if (def->memory != cases[i].kib)
            VIR_TEST_FAIL("%s %s: %llu KiB, expected %llu", cases[i].value,
                          cases[i].unit ? cases[i].unit : "", def->memory, cases[i].kib);
        VIR_TEST_ASSERT_INT(def->currentMemory, def->memory);
    }

#define MEMXML(m) "<domain type='test'><name>m</name>" m "<os><type>hvm</type></os></domain>"
    if (expectParseError(MEMXML("<memory unit='zz'>1</memory>"), VIR_ERR_INVALID_ARG,
                         VIR_FROM_NONE, "unknown suffix 'zz'") < 0 ||
        expectParseError(MEMXML("<memory unit='KiBB'>1</memory>"), VIR_ERR_INVALID_ARG,
                         VIR_FROM_NONE, NULL) < 0 ||
        expectParseError(MEMXML("<memory unit='EiB'>8</memory>"), VIR_ERR_OVERFLOW,
                         VIR_FROM_NONE, "value too large") < 0 ||
        expectParseError(MEMXML("<memory>99999999999999999999999</memory>"),
                         VIR_ERR_XML_ERROR, VIR_FROM_XML, NULL) < 0 ||
        expectParseError(MEMXML("<memory>-5</memory>"), VIR_ERR_XML_ERROR, VIR_FROM_XML,
                         "Invalid value '-5'") < 0 ||
        expectParseError(MEMXML("<memory>abc</memory>"), VIR_ERR_XML_ERROR, VIR_FROM_XML,
                         NULL) < 0 ||
        expectParseError(MEMXML("<memory>0</memory>"), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                         "Memory size must be specified") < 0 ||
        expectParseError(MEMXML(""), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                         "Memory size must be specified") < 0)
        return -1;

    {
        /* currentMemory above memory, or 0: clamped to memory */
        g_autoptr(virDomainDef) a = virDomainDefParseString(
            MEMXML("<memory>1024</memory><currentMemory>4096</currentMemory>"));
        g_autoptr(virDomainDef) b = virDomainDefParseString(
            MEMXML("<memory>1024</memory><currentMemory unit='MB'>1</currentMemory>"));
        VIR_TEST_ASSERT(a && b);
        VIR_TEST_ASSERT_INT(a->currentMemory, 1024);
        VIR_TEST_ASSERT_INT(b->currentMemory, 977);
    }
#undef MEMXML
    return 0;
}

static int
testUUIDs(const void *data G_GNUC_UNUSED)
{
    g_autoptr(virDomainDef) gen1 = virDomainDefParseString(
        "<domain type='test'><name>u</name><memory>1</memory><os><type>hvm</type></os></domain>");
    g_autoptr(virDomainDef) gen2 = virDomainDefParseString(
        "<domain type='test'><name>u</name><memory>1</memory><os><type>hvm</type></os></domain>");
    g_autoptr(virDomainDef) upper = virDomainDefParseString(
        "<domain type='test'><name>u</name><uuid> ABCDEF0123456789ABCDEF0123456789 </uuid>"
        "<memory>1</memory><os><type>hvm</type></os></domain>");
    unsigned char raw[VIR_UUID_BUFLEN];
    char str[VIR_UUID_STRING_BUFLEN];

    VIR_TEST_ASSERT(gen1 && gen2 && upper);
    VIR_TEST_ASSERT(memcmp(gen1->uuid, gen2->uuid, VIR_UUID_BUFLEN) != 0);
    VIR_TEST_ASSERT_INT(gen1->uuid[6] >> 4, 4);             /* version 4 */
    VIR_TEST_ASSERT_INT(gen1->uuid[8] & 0xc0, 0x80);        /* RFC 4122 variant */
    virDomainUUIDFormat(upper->uuid, str);
    VIR_TEST_ASSERT_STR(str, "abcdef01-2345-6789-abcd-ef0123456789");

    VIR_TEST_ASSERT_INT(virDomainUUIDParse("c7a5-fdbd-edaf-9455-926a-d65c16db1809", raw), 0);
    VIR_TEST_ASSERT_INT(virDomainUUIDParse("c7a5fdbdedaf9455926ad65c16db18", raw), -1);
    VIR_TEST_ASSERT_INT(virDomainUUIDParse("c7a5fdbdedaf9455926ad65c16db1809aa", raw), -1);
    VIR_TEST_ASSERT_INT(virDomainUUIDParse("g7a5fdbdedaf9455926ad65c16db1809", raw), -1);

    return expectParseError("<domain type='test'><name>u</name><uuid>zzz</uuid>"
                            "<memory>1</memory><os><type>hvm</type></os></domain>",
                            VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN, "malformed uuid element");
}

static int
testNames(const void *data G_GNUC_UNUSED)
{
    g_autofree char *escaped = parseFormat(
        "<domain type='test'><name>a&amp;b&lt;c'd\" e </name><uuid>" UUID1 "</uuid>"
        "<memory>1</memory><os><type>hvm</type></os></domain>", -1);
    g_autoptr(virDomainDef) back = NULL;

    VIR_TEST_ASSERT(escaped);
    VIR_TEST_ASSERT(strstr(escaped, "<name>a&amp;b&lt;c&apos;d&quot; e </name>"));
    back = virDomainDefParseString(escaped);
    VIR_TEST_ASSERT(back);
    VIR_TEST_ASSERT_STR(back->name, "a&b<c'd\" e ");

#define NAMEXML(n) "<domain type='test'>" n "<memory>1</memory><os><type>hvm</type></os></domain>"
    if (expectParseError(NAMEXML(""), VIR_ERR_NO_NAME, VIR_FROM_DOMAIN,
                         "missing name information") < 0 ||
        expectParseError(NAMEXML("<name></name>"), VIR_ERR_NO_NAME, VIR_FROM_DOMAIN, NULL) < 0 ||
        expectParseError(NAMEXML("<name>a/b</name>"), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                         "cannot contain '/'") < 0 ||
        expectParseError(NAMEXML("<name>a\nb</name>"), VIR_ERR_XML_DETAIL, VIR_FROM_XML,
                         "invalid char in name") < 0)
        return -1;
#undef NAMEXML
    return 0;
}

static int
testMalformed(const void *data G_GNUC_UNUSED)
{
    if (expectParseError("<domain", VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN,
                         "(domain_definition):1:") < 0 ||
        expectParseError("", VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN, "(domain_definition)") < 0 ||
        expectParseError("<domain type='test'><name>x</name></domain><a/>", VIR_ERR_XML_DETAIL,
                         VIR_FROM_DOMAIN, "Extra content") < 0 ||
        expectParseError("<domain type='test'>\n<name>x</nam>\n</domain>", VIR_ERR_XML_DETAIL,
                         VIR_FROM_DOMAIN, "(domain_definition):2:") < 0 ||
        expectParseError("<foo/>", VIR_ERR_XML_ERROR, VIR_FROM_XML,
                         "expecting root element of 'domain', not 'foo'") < 0)
        return -1;
    return 0;
}

static int
testEntities(const void *data G_GNUC_UNUSED)
{
    g_autofree char *secret = g_build_filename(virTestTempDir(), "secret.txt", NULL);
    g_autofree char *xxe = NULL;

    VIR_TEST_ASSERT(g_file_set_contents(secret, "SECRET", -1, NULL));
    xxe = g_strdup_printf("<!DOCTYPE domain [<!ENTITY x SYSTEM 'file://%s'>]>"
                          "<domain type='test'><name>&x;</name><memory>1</memory>"
                          "<os><type>hvm</type></os></domain>", secret);

    if (expectParseError("<!DOCTYPE d [<!ENTITY x 'yy'>]><domain type='test'><name>&x;</name>"
                         "<memory>1</memory><os><type>hvm</type></os></domain>",
                         VIR_ERR_XML_ERROR, VIR_FROM_XML, "entity") < 0 ||
        expectParseError(xxe, VIR_ERR_XML_ERROR, VIR_FROM_XML, "entity") < 0 ||
        expectParseError("<domain type='test'><name>&undeclared;</name><memory>1</memory>"
                         "<os><type>hvm</type></os></domain>", VIR_ERR_XML_DETAIL,
                         VIR_FROM_DOMAIN, NULL) < 0)
        return -1;
    {
        /* predefined and character references are plain text */
        g_autoptr(virDomainDef) def = virDomainDefParseString(
            "<domain type='test'><name>&#65;&amp;</name><memory>1</memory>"
            "<os><type>hvm</type></os></domain>");
        VIR_TEST_ASSERT(def);
        VIR_TEST_ASSERT_STR(def->name, "A&");
    }
    return 0;
}

static int
testInvalidContent(const void *data G_GNUC_UNUSED)
{
#define D(attrs, body) "<domain" attrs "><name>x</name><memory>1</memory>" body "</domain>"
#define OS "<os><type>hvm</type></os>"
    if (expectParseError(D("", OS), VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN,
                         "missing domain type attribute") < 0 ||
        expectParseError(D(" type='bogus'", OS), VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
                         "invalid domain type bogus") < 0 ||
        expectParseError(D(" type='test'", ""), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                         "an os <type> must be specified") < 0 ||
        expectParseError(D(" type='test'", "<os><boot dev='hd'/></os>"), VIR_ERR_XML_ERROR,
                         VIR_FROM_DOMAIN, "an os <type> must be specified") < 0 ||
        expectParseError(D(" type='test'", "<os><type>bogus</type></os>"),
                         VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
                         "unknown OS type 'bogus'") < 0 ||
        expectParseError(D(" type='test'", "<os><type arch='z80'>hvm</type></os>"),
                         VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, "z80") < 0 ||
        expectParseError(D(" type='test'", "<os><type>hvm</type><boot dev='usb'/></os>"),
                         VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "unknown boot device") < 0 ||
        expectParseError(D(" type='test'", "<os><type>hvm</type><boot/></os>"),
                         VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "missing boot device") < 0 ||
        expectParseError(D(" type='test'", OS "<vcpu>0</vcpu>"), VIR_ERR_XML_ERROR,
                         VIR_FROM_DOMAIN, NULL) < 0 ||
        expectParseError(D(" type='test'", OS "<vcpu>x</vcpu>"), VIR_ERR_XML_ERROR,
                         VIR_FROM_XML, NULL) < 0 ||
        expectParseError(D(" type='test'", OS "<vcpu>70000</vcpu>"), VIR_ERR_CONFIG_UNSUPPORTED,
                         VIR_FROM_DOMAIN, NULL) < 0 ||
        expectParseError(D(" type='test'", OS "<vcpu current='4'>2</vcpu>"),
                         VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
                         "maximum vCPU count must not be less than current vCPU count") < 0 ||
        expectParseError(D(" type='test'", OS "<vcpu current='0'>2</vcpu>"),
                         VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, NULL) < 0 ||
        expectParseError(D(" type='test'", OS "<vcpu placement='dynamic'>2</vcpu>"),
                         VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, "placement") < 0 ||
        expectParseError(D(" type='test'", OS "<on_reboot>bogus</on_reboot>"),
                         VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
                         "unknown on_reboot action: bogus") < 0 ||
        expectParseError(D(" type='test'", OS "<on_poweroff>coredump-destroy</on_poweroff>"),
                         VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, NULL) < 0)
        return -1;
    {
        g_autoptr(virDomainDef) def = virDomainDefParseString(
            D(" type='test'", OS "<on_poweroff> restart </on_poweroff>"
              "<on_reboot>rename-restart</on_reboot><on_crash>preserve</on_crash>"));
        VIR_TEST_ASSERT(def);
        VIR_TEST_ASSERT_INT(def->onPoweroff, VIR_DOMAIN_LIFECYCLE_ACTION_RESTART);
        VIR_TEST_ASSERT_INT(def->onReboot, VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME);
        VIR_TEST_ASSERT_INT(def->onCrash, VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE);
    }
#undef D
#undef OS
    return 0;
}

/* IOThreads: listed ids, ids filled in from the count, libvirt's rule
 * for writing <iothreadids>, add / delete, the parse errors. */
static int
testIOThreads(const void *data G_GNUC_UNUSED)
{
#define D(body) "<domain type='test'><name>x</name><memory>1</memory>" \
    "<os><type>hvm</type></os>" body "</domain>"
    g_autoptr(virDomainDef) def = NULL;
    g_autofree char *xml = NULL;

    /* the count alone: ids 1..3, not written out */
    def = virDomainDefParseString(D("<iothreads>3</iothreads>"));
    VIR_TEST_ASSERT(def);
    VIR_TEST_ASSERT_INT(def->niothreadids, 3);
    VIR_TEST_ASSERT_INT(def->iothreadids[2].id, 3);
    xml = virDomainDefFormat(def, -1);
    VIR_TEST_ASSERT(strstr(xml, "  <iothreads>3</iothreads>\n  <os>"));
    /* an added one makes them all written; deleting it again does not */
    virDomainIOThreadIDAdd(def, 9);
    g_free(xml);
    xml = virDomainDefFormat(def, -1);
    VIR_TEST_ASSERT(strstr(xml, "<iothreads>4</iothreads>\n  <iothreadids>\n"
                                "    <iothread id='1'/>\n"));
    VIR_TEST_ASSERT(strstr(xml, "    <iothread id='9'/>\n  </iothreadids>\n"));
    virDomainIOThreadIDDel(def, 9);
    g_free(xml);
    xml = virDomainDefFormat(def, -1);
    VIR_TEST_ASSERT(!strstr(xml, "iothreadids"));
    /* deleting from the middle writes out the ones after it */
    virDomainIOThreadIDDel(def, 1);
    VIR_TEST_ASSERT_INT(virDomainIOThreadIDIndex(def, 1), -1);
    VIR_TEST_ASSERT_INT(virDomainIOThreadIDIndex(def, 3), 1);
    g_free(xml);
    xml = virDomainDefFormat(def, -1);
    VIR_TEST_ASSERT(strstr(xml, "<iothreads>2</iothreads>\n  <iothreadids>\n"
                                "    <iothread id='2'/>\n    <iothread id='3'/>\n"));
    g_clear_pointer(&def, virDomainDefFree);

    /* listed ids first, then the lowest free ones; pool sizes kept */
    def = virDomainDefParseString(D("<iothreads>3</iothreads><iothreadids>"
                                    "<iothread id='2' thread_pool_min='1'/></iothreadids>"));
    VIR_TEST_ASSERT(def);
    VIR_TEST_ASSERT_INT(def->niothreadids, 3);
    VIR_TEST_ASSERT_INT(def->iothreadids[0].id, 2);
    VIR_TEST_ASSERT_INT(def->iothreadids[1].id, 1);
    VIR_TEST_ASSERT_INT(def->iothreadids[2].id, 3);
    g_free(xml);
    xml = virDomainDefFormat(def, -1);
    VIR_TEST_ASSERT(strstr(xml, "<iothread id='2' thread_pool_min='1'/>\n"
                                "    <iothread id='1'/>\n    <iothread id='3'/>\n"));

    if (expectParseError(D("<iothreadids><iothread id='1'/><iothread id='1'/></iothreadids>"),
                         VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                         "duplicate iothread id '1' found") < 0 ||
        expectParseError(D("<iothreadids><iothread id='0'/></iothreadids>"),
                         VIR_ERR_XML_ERROR, VIR_FROM_XML, "Zero is not permitted") < 0 ||
        expectParseError(D("<iothreadids><iothread/></iothreadids>"), VIR_ERR_XML_ERROR,
                         VIR_FROM_XML, "Missing required attribute 'id'") < 0 ||
        expectParseError(D("<iothreadids><iothread id='-1'/></iothreadids>"), VIR_ERR_XML_ERROR,
                         VIR_FROM_XML, "Expected non-negative integer value") < 0 ||
        expectParseError(D("<iothreadids><iothread id='1' thread_pool_max='x'/></iothreadids>"),
                         VIR_ERR_XML_ERROR, VIR_FROM_XML, "Expected integer value") < 0 ||
        expectParseError(D("<iothreads>-1</iothreads>"), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                         "invalid iothreads count '-1'") < 0)
        return -1;
#undef D
    return 0;
}

/* <idmap> as libvirt's parser reads it: every <idmap>'s <uid>s and <gid>s,
 * each list sorted by start, written after <os>; numbers as strtoul reads
 * them in base 10 without a sign; both maps or neither and root mapped,
 * unless validation is skipped; copies keep the maps. */
static int
testIdmap(const void *data G_GNUC_UNUSED)
{
#define D(body) "<domain type='lxc'><name>x</name><memory>1</memory>" \
    "<os><type>exe</type></os>" body "</domain>"
#define MAP(u, g) "<idmap><uid start='0' target='" u "' count='10'/>" \
    "<gid start='0' target='" g "' count='10'/></idmap>"
    static const char *const badNumbers[] = {
        "", "-1", "- 1", "0x10", "10 ", "1e3", "4294967296", "99999999999999999999", "a",
    };
    static const char *const goodNumbers[][2] = {
        { "4294967295", "4294967295" }, { "+7", "7" }, { " 8", "8" }, { "010", "10" },
    };
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) copy = NULL;
    g_autofree char *xml = NULL;
    size_t i;

    def = virDomainDefParseString(D("<features/><idmap><gid start='5' target='300' count='2'/>"
                                    "<uid start='10' target='200' count='5'/><foo/>"
                                    "<gid start='0' target='100' count='5'/></idmap>"
                                    "<idmap><uid start='0' target='100' count='10'/></idmap>"));
    VIR_TEST_ASSERT(def);
    VIR_TEST_ASSERT_INT(def->nuidmap, 2);
    VIR_TEST_ASSERT_INT(def->ngidmap, 2);
    VIR_TEST_ASSERT_INT(def->uidmap[0].start, 0);
    VIR_TEST_ASSERT_INT(def->uidmap[1].target, 200);
    VIR_TEST_ASSERT_INT(def->gidmap[1].count, 2);
    xml = virDomainDefFormat(def, -1);
    VIR_TEST_ASSERT(strstr(xml, "  </os>\n  <idmap>\n"
                                "    <uid start='0' target='100' count='10'/>\n"
                                "    <uid start='10' target='200' count='5'/>\n"
                                "    <gid start='0' target='100' count='5'/>\n"
                                "    <gid start='5' target='300' count='2'/>\n"
                                "  </idmap>\n  <features/>\n"));
    VIR_TEST_ASSERT(!strstr(xml, "foo"));
    copy = virDomainDefCopy(def);
    VIR_TEST_ASSERT(copy && copy->nuidmap == 2 && copy->gidmap[1].target == 300);
    g_clear_pointer(&def, virDomainDefFree);

    /* an empty <idmap> is no map: not written */
    def = virDomainDefParseString(D("<idmap/>"));
    VIR_TEST_ASSERT(def && !def->nuidmap && !def->ngidmap);
    g_free(xml);
    xml = virDomainDefFormat(def, -1);
    VIR_TEST_ASSERT(!strstr(xml, "idmap"));
    g_clear_pointer(&def, virDomainDefFree);

    for (i = 0; i < G_N_ELEMENTS(goodNumbers); i++) {
        g_autofree char *text = g_strdup_printf(D(MAP("%s", "1")), goodNumbers[i][0]);
        g_autofree char *want = g_strdup_printf("target='%s'", goodNumbers[i][1]);

        def = virDomainDefParseString(text);
        VIR_TEST_ASSERT(def);
        g_free(xml);
        xml = virDomainDefFormat(def, -1);
        if (!strstr(xml, want))
            VIR_TEST_FAIL("'%s' read, %s not in\n%s", goodNumbers[i][0], want, xml);
        g_clear_pointer(&def, virDomainDefFree);
    }
    for (i = 0; i < G_N_ELEMENTS(badNumbers); i++) {
        g_autofree char *text = g_strdup_printf(D(MAP("%s", "1")), badNumbers[i]);

        if (expectParseError(text, VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                             "invalid idmap start/target/count settings") < 0)
            VIR_TEST_FAIL("target '%s' was accepted", badNumbers[i]);
    }
    if (expectParseError(D("<idmap><uid start='0' target='1'/><gid start='0' target='1' "
                           "count='1'/></idmap>"), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                         "invalid idmap start/target/count settings") < 0 ||
        expectParseError(D("<idmap><uid start='0' target='1' count='1'/></idmap>"),
                         VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
                         "uid and gid should be mapped both") < 0 ||
        expectParseError(D("<idmap><gid start='0' target='1' count='1'/></idmap>"),
                         VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
                         "uid and gid should be mapped both") < 0 ||
        expectParseError(D("<idmap><uid start='1' target='1' count='1'/>"
                           "<gid start='0' target='1' count='1'/></idmap>"),
                         VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
                         "You must map the root user of container") < 0 ||
        expectParseError(D("<idmap><uid start='0' target='1' count='1'/>"
                           "<gid start='2' target='1' count='1'/></idmap>"),
                         VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
                         "You must map the root user of container") < 0)
        return -1;
    /* overlaps are the kernel's to refuse (at start), as in libvirt */
    def = virDomainDefParseString(D("<idmap><uid start='0' target='1' count='10'/>"
                                    "<uid start='5' target='100' count='10'/>"
                                    "<gid start='0' target='1' count='0'/></idmap>"));
    VIR_TEST_ASSERT(def);
    g_clear_pointer(&def, virDomainDefFree);
    /* without validation (domxml-from-native): a lone uid map at 1000 kept */
    def = virDomainDefParseStringFlags(D("<idmap><uid start='1000' target='0' count='10'/>"
                                         "</idmap>"), VIR_DOMAIN_DEF_PARSE_SKIP_VALIDATE);
    VIR_TEST_ASSERT(def && def->nuidmap == 1 && !def->ngidmap);
    g_free(xml);
    xml = virDomainDefFormat(def, -1);
    VIR_TEST_ASSERT(strstr(xml, "<idmap>\n    <uid start='1000' target='0' count='10'/>\n"
                                "  </idmap>\n"));
#undef MAP
#undef D
    return 0;
}

static int
testTestNamespaceDropped(const void *data G_GNUC_UNUSED)
{
    g_autofree char *out = parseFormat(
        "<domain type='test' xmlns:test='" VIR_DOMAIN_TEST_NAMESPACE_HREF "'>"
        "<name>t</name><uuid>" UUID1 "</uuid><memory>1</memory><os><type>hvm</type></os>"
        "<test:runstate>5</test:runstate><test:transient/></domain>", -1);

    VIR_TEST_ASSERT(out);
    VIR_TEST_ASSERT(!strstr(out, "runstate"));
    VIR_TEST_ASSERT(!strstr(out, "transient"));
    return 0;
}

static gpointer
parseThread(gpointer data G_GNUC_UNUSED)
{
    int i;

    for (i = 0; i < 200; i++) {
        g_autoptr(virDomainDef) def = virDomainDefParseString(fullXML);
        g_autofree char *out = def ? virDomainDefFormat(def, i) : NULL;
        if (!out)
            return GINT_TO_POINTER(1);
    }
    return NULL;
}

static int
testThreads(const void *data G_GNUC_UNUSED)
{
    GThread *threads[4];
    size_t i;
    int failed = 0;

    for (i = 0; i < G_N_ELEMENTS(threads); i++)
        threads[i] = g_thread_new("parse", parseThread, NULL);
    for (i = 0; i < G_N_ELEMENTS(threads); i++)
        failed += GPOINTER_TO_INT(g_thread_join(threads[i]));
    VIR_TEST_ASSERT_INT(failed, 0);
    return 0;
}

int
main(void)
{
    virTestRun("minimal domain, libvirt's defaults", testMinimal, NULL);
    virTestRun("full domain round trip, unknown elements kept", testFullRoundTrip, NULL);
    virTestRun("os children", testOsElements, NULL);
    virTestRun("memory units and limits", testMemoryUnits, NULL);
    virTestRun("uuids", testUUIDs, NULL);
    virTestRun("names and escaping", testNames, NULL);
    virTestRun("malformed documents", testMalformed, NULL);
    virTestRun("entities refused, not expanded", testEntities, NULL);
    virTestRun("invalid content", testInvalidContent, NULL);
    virTestRun("IOThreads", testIOThreads, NULL);
    virTestRun("idmap", testIdmap, NULL);
    virTestRun("test namespace dropped", testTestNamespaceDropped, NULL);
    virTestRun("parsing from several threads", testThreads, NULL);
    return virTestResult();
}
