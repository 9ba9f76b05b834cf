/*
 * test-util-conf.c: libvirtd.conf syntax, schema errors and getters.
 */
#include <limits.h>
#include <string.h>
#include <glib.h>

#include "testutils.h"
#include "virconf.h"
#include "virerror.h"

static const virConfSchemaEntry schema[] = {
    { "listen_addr", VIR_CONF_STRING },
    { "unix_sock_group", VIR_CONF_STRING },
    { "max_clients", VIR_CONF_INT },
    { "min_workers", VIR_CONF_INT },
    { "log_level", VIR_CONF_INT },
    { "access_drivers", VIR_CONF_LIST },
    { NULL, 0 },
};

static const char *goodConf =
    "# virtnetd.conf\n"
    "\n"
    "listen_addr = \"192.168.0.1\"   # trailing comment\n"
    "unix_sock_group='libvirt'\n"
    "max_clients = 5000\n"
    "min_workers = -12\n"
    "log_level = 1\n"
    "access_drivers = [ \"polkit\",   # first\n"
    "   # a comment line inside the list\n"
    "                   'nop',\n"
    "                   \"\"\"trip\"le\"\"\",\n"
    "                 ]\n"
    "\n";

static int
testGood(const void *data)
{
    virConf *conf = virConfReadString(goodConf, "good.conf", schema);
    g_autofree char *addr = NULL;
    g_autofree char *group = NULL;
    g_auto(GStrv) drivers = NULL;
    char *untouched = (char *)"keep";
    int i = 0;
    long long ll = 0;
    bool b = false;
    int ret = -1;

    if (!conf)
        VIR_TEST_FAIL("parse failed: %s", virGetLastErrorMessage());

    if (virConfGetString(conf, "listen_addr", &addr) != 1 ||
        virConfGetString(conf, "unix_sock_group", &group) != 1 ||
        virConfGetInt(conf, "max_clients", &i) != 1 ||
        virConfGetLLong(conf, "min_workers", &ll) != 1 ||
        virConfGetBool(conf, "log_level", &b) != 1 ||
        virConfGetStringList(conf, "access_drivers", &drivers) != 1)
        goto cleanup;
    if (g_strcmp0(addr, "192.168.0.1") != 0 || g_strcmp0(group, "libvirt") != 0 ||
        i != 5000 || ll != -12 || !b)
        goto cleanup;
    if (g_strv_length(drivers) != 3 || g_strcmp0(drivers[0], "polkit") != 0 ||
        g_strcmp0(drivers[1], "nop") != 0 || g_strcmp0(drivers[2], "trip\"le") != 0)
        goto cleanup;
    /* Absent key: 0, value untouched. */
    if (virConfGetString(conf, "tcp_port", &untouched) != 0 ||
        g_strcmp0(untouched, "keep") != 0)
        goto cleanup;
    if (virConfGetLine(conf, "max_clients") != 5 ||
        virConfGetLine(conf, "access_drivers") != 8 ||
        virConfGetLine(conf, "nope") != 0)
        goto cleanup;
    if (g_strcmp0(virConfGetName(conf), "good.conf") != 0)
        goto cleanup;
    ret = 0;

 cleanup:
    virConfFree(conf);
    if (ret < 0)
        VIR_TEST_FAIL("unexpected values (addr=%s group=%s i=%d ll=%lld)",
                      addr, group, i, ll);
    return 0;
}

static int
testMisc(const void *data)
{
    virConf *conf;
    g_autofree char *s = NULL;
    g_autofree char *multi = NULL;
    g_auto(GStrv) empty = NULL;
    long long ll = 0;

    /* No schema: anything goes; a key set twice keeps the last value;
     * ';' separates; no newline at the end; triple quotes span lines. */
    conf = virConfReadString("a = 1; a = 2\nb = \"x\" ; c = []\n"
                             "d = \"\"\"line1\nline2\"\"\"\ne = +7", NULL, NULL);
    if (!conf)
        VIR_TEST_FAIL("parse failed: %s", virGetLastErrorMessage());
    VIR_TEST_ASSERT_INT(virConfGetLLong(conf, "a", &ll), 1);
    VIR_TEST_ASSERT_INT(ll, 2);
    VIR_TEST_ASSERT_INT(virConfGetString(conf, "b", &s), 1);
    VIR_TEST_ASSERT_STR(s, "x");
    VIR_TEST_ASSERT_INT(virConfGetStringList(conf, "c", &empty), 1);
    VIR_TEST_ASSERT(empty && empty[0] == NULL);
    VIR_TEST_ASSERT_INT(virConfGetString(conf, "d", &multi), 1);
    VIR_TEST_ASSERT_STR(multi, "line1\nline2");
    VIR_TEST_ASSERT_INT(virConfGetLine(conf, "e"), 5);
    VIR_TEST_ASSERT_INT(virConfGetLLong(conf, "e", &ll), 1);
    VIR_TEST_ASSERT_INT(ll, 7);
    virConfFree(conf);

    /* Backslashes are plain characters. */
    conf = virConfReadString("p = \"C:\\dir\\\"\n", "bs.conf", NULL);
    VIR_TEST_ASSERT(conf != NULL);
    g_clear_pointer(&s, g_free);
    VIR_TEST_ASSERT_INT(virConfGetString(conf, "p", &s), 1);
    VIR_TEST_ASSERT_STR(s, "C:\\dir\\");
    virConfFree(conf);
    return 0;
}

typedef struct {
    const char *text;
    const char *expect[3];   /* substrings of the error message */
    int code;
} ErrorCase;

static const ErrorCase errorCases[] = {
    { "max_clients = 1\n\n# x\nmax_clinets = 2\n",
      { "bad.conf:4:", "unknown setting 'max_clinets'", NULL }, VIR_ERR_CONFIG_UNSUPPORTED },
    { "listen_addr = \"a\"\nmax_clients = \"many\"\n",
      { "bad.conf:2:", "setting 'max_clients' expects an integer", NULL }, VIR_ERR_CONFIG_UNSUPPORTED },
    { "access_drivers = \"polkit\"\n",
      { "bad.conf:1:", "setting 'access_drivers' expects a list of strings", NULL }, VIR_ERR_CONFIG_UNSUPPORTED },
    { "listen_addr = [ \"a\" ]\n",
      { "bad.conf:1:", "'listen_addr' expects a string", NULL }, VIR_ERR_CONFIG_UNSUPPORTED },
    { "listen_addr = \"unterminated\n",
      { "bad.conf:1:", "unterminated string", NULL }, VIR_ERR_CONF_SYNTAX },
    { "listen_addr \"x\"\n",
      { "bad.conf:1:", "expected '='", NULL }, VIR_ERR_CONF_SYNTAX },
    { "max_clients = 12abc\n",
      { "bad.conf:1:", "expected end of line", NULL }, VIR_ERR_CONF_SYNTAX },
    { "max_clients =\n",
      { "bad.conf:1:", "expected a value", NULL }, VIR_ERR_CONF_SYNTAX },
    { "\n\naccess_drivers = [ \"a\"\n \"b\" ]\n",
      { "bad.conf:4:", "expected ',' or ']'", NULL }, VIR_ERR_CONF_SYNTAX },
    { "access_drivers = [ \"a\", 3 ]\n",
      { "bad.conf:1:", "quoted string", NULL }, VIR_ERR_CONF_SYNTAX },
    { "access_drivers = [ \"a\",\n",
      { "bad.conf:2:", "found end of file", NULL }, VIR_ERR_CONF_SYNTAX },
    { "max_clients = 99999999999999999999\n",
      { "bad.conf:1:", "out of range", NULL }, VIR_ERR_CONF_SYNTAX },
    { "= 3\n",
      { "bad.conf:1:", "expected a setting name", NULL }, VIR_ERR_CONF_SYNTAX },
    { "log_level = \"\"\"never\nclosed\n",
      { "bad.conf:1:", "unterminated triple-quoted string", NULL }, VIR_ERR_CONF_SYNTAX },
};

static int
testErrors(const void *data)
{
    for (size_t i = 0; i < G_N_ELEMENTS(errorCases); i++) {
        const ErrorCase *c = &errorCases[i];
        virConf *conf;
        const char *msg;

        virResetLastError();
        if ((conf = virConfReadString(c->text, "bad.conf", schema))) {
            virConfFree(conf);
            VIR_TEST_FAIL("case %zu parsed but should fail: %s", i, c->text);
        }
        msg = virGetLastErrorMessage();
        for (size_t j = 0; j < G_N_ELEMENTS(c->expect) && c->expect[j]; j++) {
            if (!strstr(msg, c->expect[j]))
                VIR_TEST_FAIL("case %zu: message '%s' lacks '%s'", i, msg, c->expect[j]);
        }
        if (virGetLastErrorCode() != c->code)
            VIR_TEST_FAIL("case %zu: code %d, expected %d (%s)", i,
                          virGetLastErrorCode(), c->code, msg);
    }
    virResetLastError();
    return 0;
}

static int
testGetterRanges(const void *data)
{
    virConf *conf = virConfReadString("big = 3000000000\nneg = -1\nlow = -3000000000\n"
                                      "two = 2\ns = \"1\"\nl = [\"1\"]\n"
                                      "maxu = 4294967295\n", "r.conf", NULL);
    int i = 11;
    unsigned int u = 11;
    long long ll = 0;
    bool b = true;
    char *s = NULL;
    char **l = NULL;

    VIR_TEST_ASSERT(conf != NULL);
    VIR_TEST_ASSERT_INT(virConfGetInt(conf, "big", &i), -1);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "r.conf:1:") != NULL);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "'big'") != NULL);
    VIR_TEST_ASSERT_INT(virConfGetInt(conf, "low", &i), -1);
    VIR_TEST_ASSERT_INT(i, 11);
    VIR_TEST_ASSERT_INT(virConfGetUInt(conf, "big", &u), 1);
    VIR_TEST_ASSERT_INT(u, 3000000000u);
    VIR_TEST_ASSERT_INT(virConfGetUInt(conf, "maxu", &u), 1);
    VIR_TEST_ASSERT_INT(u, UINT_MAX);
    VIR_TEST_ASSERT_INT(virConfGetUInt(conf, "neg", &u), -1);
    VIR_TEST_ASSERT_INT(u, UINT_MAX);
    VIR_TEST_ASSERT_INT(virConfGetInt(conf, "neg", &i), 1);
    VIR_TEST_ASSERT_INT(i, -1);
    VIR_TEST_ASSERT_INT(virConfGetLLong(conf, "low", &ll), 1);
    VIR_TEST_ASSERT_INT(ll, -3000000000LL);

    VIR_TEST_ASSERT_INT(virConfGetBool(conf, "two", &b), -1);
    VIR_TEST_ASSERT(b);
    VIR_TEST_ASSERT_INT(virConfGetBool(conf, "neg", &b), -1);
    VIR_TEST_ASSERT_INT(virConfGetBool(conf, "s", &b), -1);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "'s' expects an integer") != NULL);
    VIR_TEST_ASSERT_INT(virConfGetBool(conf, "absent", &b), 0);

    /* Wrong types for every getter. */
    VIR_TEST_ASSERT_INT(virConfGetString(conf, "two", &s), -1);
    VIR_TEST_ASSERT(s == NULL);
    VIR_TEST_ASSERT_INT(virConfGetString(conf, "l", &s), -1);
    VIR_TEST_ASSERT_INT(virConfGetStringList(conf, "s", &l), -1);
    VIR_TEST_ASSERT(l == NULL);
    VIR_TEST_ASSERT_INT(virConfGetLLong(conf, "l", &ll), -1);
    VIR_TEST_ASSERT_INT(virConfGetUInt(conf, "s", &u), -1);
    virConfFree(conf);

    conf = virConfReadString("t = 1\nf = 0\n", "b.conf", NULL);
    VIR_TEST_ASSERT(conf != NULL);
    VIR_TEST_ASSERT_INT(virConfGetBool(conf, "t", &b), 1);
    VIR_TEST_ASSERT(b);
    VIR_TEST_ASSERT_INT(virConfGetBool(conf, "f", &b), 1);
    VIR_TEST_ASSERT(!b);
    virConfFree(conf);
    virResetLastError();
    return 0;
}

static int
testFile(const void *data)
{
    g_autofree char *path = g_build_filename(virTestTempDir(), "virtnetd.conf", NULL);
    g_autofree char *missing = g_build_filename(virTestTempDir(), "missing.conf", NULL);
    virConf *conf;
    int v = 0;

    VIR_TEST_ASSERT(g_file_set_contents(path, "# hi\nmax_clients = 7\nmin_workers = x\n", -1, NULL));
    conf = virConfReadFile(path, schema);
    VIR_TEST_ASSERT(conf == NULL);
    {
        g_autofree char *want = g_strdup_printf("%s:3:", path);
        VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), want) != NULL);
    }

    VIR_TEST_ASSERT(g_file_set_contents(path, "max_clients = 7\n", -1, NULL));
    conf = virConfReadFile(path, schema);
    VIR_TEST_ASSERT(conf != NULL);
    VIR_TEST_ASSERT_STR(virConfGetName(conf), path);
    VIR_TEST_ASSERT_INT(virConfGetInt(conf, "max_clients", &v), 1);
    VIR_TEST_ASSERT_INT(v, 7);
    virConfFree(conf);

    VIR_TEST_ASSERT(virConfReadFile(missing, schema) == NULL);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_SYSTEM_ERROR);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "missing.conf") != NULL);
    virResetLastError();
    return 0;
}

int
main(void)
{
    virTestRun("strings, ints, lists, comments", testGood, NULL);
    virTestRun("separators, duplicates, triple quotes", testMisc, NULL);
    virTestRun("schema and syntax errors", testErrors, NULL);
    virTestRun("getter types and ranges", testGetterRanges, NULL);
    virTestRun("reading files", testFile, NULL);
    return virTestResult();
}
