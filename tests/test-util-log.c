/*
 * test-util-log.c: filter/output parsing and what reaches a file output.
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "testutils.h"
#include "virlog.h"
#include "virerror.h"

static virLogSource alpha = { .name = "test.alpha" };
static virLogSource beta = { .name = "test.beta" };

#define LOG_TO(src, prio, ...) \
    do { \
        if (virLogEnabled(&(src), prio)) \
            virLogMessage(&(src), prio, __FILE__, __LINE__, __func__, __VA_ARGS__); \
    } while (0)

/* Runs first: the environment is read at first use. */
static int
testEnvironment(const void *data)
{
    g_autofree char *filters = virLogGetFilters();

    VIR_TEST_ASSERT_STR(filters, "2:env.test");
    VIR_TEST_ASSERT_INT(virLogGetDefaultPriority(), 2);
    virLogReset();
    return 0;
}

static int
testFilters(const void *data)
{
    g_autofree char *got = NULL;
    g_autofree char *after = NULL;
    g_autofree char *empty = NULL;
    const char *bad[] = { "9:bad", "rpc", "1:", "x:rpc", "+:rpc", "12:rpc" };

    VIR_TEST_ASSERT_INT(virLogSetFilters("1:rpc  +3:util.event\t4:foo"), 0);
    got = virLogGetFilters();
    VIR_TEST_ASSERT_STR(got, "1:rpc +3:util.event 4:foo");

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *input = g_strdup_printf("2:ok %s", bad[i]);
        g_autofree char *now = NULL;

        virResetLastError();
        VIR_TEST_ASSERT_INT(virLogSetFilters(input), -1);
        VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), bad[i]) != NULL);
        now = virLogGetFilters();
        VIR_TEST_ASSERT_STR(now, "1:rpc +3:util.event 4:foo");
    }

    VIR_TEST_ASSERT_INT(virLogSetFilters(""), 0);
    empty = virLogGetFilters();
    VIR_TEST_ASSERT_STR(empty, "");
    virResetLastError();
    virLogReset();
    return 0;
}

/* libvirt's matching: MATCH is a glob anywhere in the source's name. */
static int
testFilterGlobs(const void *data G_GNUC_UNUSED)
{
    virLogSource src = { .name = "rpc.netserverclient" };
    g_autofree char *path = g_build_filename(virTestTempDir(), "globs.log", NULL);
    g_autofree char *outputs = g_strdup_printf("1:file:%s", path);

    VIR_TEST_ASSERT_INT(virLogSetOutputs(outputs), 0);
    VIR_TEST_ASSERT_INT(virLogSetDefaultPriority(VIR_LOG_ERROR), 0);
    VIR_TEST_ASSERT_INT(virLogSetFilters("1:net*client"), 0);
    VIR_TEST_ASSERT(virLogEnabled(&src, VIR_LOG_DEBUG));
    VIR_TEST_ASSERT_INT(virLogSetFilters("1:serverclient"), 0);
    VIR_TEST_ASSERT(virLogEnabled(&src, VIR_LOG_DEBUG));
    VIR_TEST_ASSERT_INT(virLogSetFilters("1:net*daemon"), 0);
    VIR_TEST_ASSERT(!virLogEnabled(&src, VIR_LOG_DEBUG));
    VIR_TEST_ASSERT(virLogEnabled(&src, VIR_LOG_ERROR));
    virLogReset();
    return 0;
}

static int
testOutputs(const void *data)
{
    g_autofree char *path = g_build_filename(virTestTempDir(), "outputs.log", NULL);
    g_autofree char *good = g_strdup_printf("2:file:%s 4:stderr 3:journald", path);
    g_autofree char *got = NULL;
    g_autofree char *def = NULL;
    const char *bad[] = { "3:nowhere", "5:stderr", "stderr", "1:file:", "2:syslog:",
                          "1:file:/nonexistent-dir/x/y.log" };

    VIR_TEST_ASSERT_INT(virLogSetOutputs(good), 0);
    got = virLogGetOutputs();
    VIR_TEST_ASSERT_STR(got, good);
    VIR_TEST_ASSERT(g_file_test(path, G_FILE_TEST_EXISTS));

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *input = g_strdup_printf("4:stderr %s", bad[i]);
        g_autofree char *now = NULL;

        virResetLastError();
        VIR_TEST_ASSERT_INT(virLogSetOutputs(input), -1);
        VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), bad[i]) != NULL);
        now = virLogGetOutputs();
        VIR_TEST_ASSERT_STR(now, good);
    }

    VIR_TEST_ASSERT_INT(virLogSetDefaultPriority(0), -1);
    VIR_TEST_ASSERT_INT(virLogSetDefaultPriority(5), -1);
    VIR_TEST_ASSERT_INT(virLogSetDefaultPriority(4), 0);
    VIR_TEST_ASSERT_INT(virLogGetDefaultPriority(), 4);

    /* Empty outputs: back to stderr at the default priority. */
    VIR_TEST_ASSERT_INT(virLogSetOutputs(""), 0);
    def = virLogGetOutputs();
    VIR_TEST_ASSERT_STR(def, "4:stderr");
    virResetLastError();
    virLogReset();
    return 0;
}

static int
testFileOutput(const void *data)
{
    g_autofree char *path = g_build_filename(virTestTempDir(), "levels.log", NULL);
    g_autofree char *outputs = g_strdup_printf("2:file:%s", path);
    g_autofree char *content = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GRegex) re = NULL;

    VIR_TEST_ASSERT_INT(virLogSetDefaultPriority(1), 0);
    VIR_TEST_ASSERT_INT(virLogSetFilters("4:test.beta"), 0);
    VIR_TEST_ASSERT_INT(virLogSetOutputs(outputs), 0);

    VIR_TEST_ASSERT(!virLogEnabled(&alpha, VIR_LOG_DEBUG)); /* below the output */
    VIR_TEST_ASSERT(virLogEnabled(&alpha, VIR_LOG_INFO));
    VIR_TEST_ASSERT(!virLogEnabled(&beta, VIR_LOG_WARN));   /* filtered */

    LOG_TO(alpha, VIR_LOG_DEBUG, "alpha-debug");
    LOG_TO(alpha, VIR_LOG_INFO, "alpha-info %d", 42);
    LOG_TO(beta, VIR_LOG_WARN, "beta-warn");
    LOG_TO(beta, VIR_LOG_ERROR, "beta-error");
    /* Direct calls are filtered as well. */
    virLogMessage(&beta, VIR_LOG_INFO, __FILE__, __LINE__, __func__, "beta-direct");

    /* Filters changed: the cached priority must follow. */
    VIR_TEST_ASSERT_INT(virLogSetFilters("4:test 1:test.beta"), 0);
    LOG_TO(beta, VIR_LOG_WARN, "beta-first-filter-wins");
    VIR_TEST_ASSERT_INT(virLogSetFilters("2:beta"), 0);
    LOG_TO(beta, VIR_LOG_INFO, "beta-substring");

    VIR_TEST_ASSERT(g_file_get_contents(path, &content, NULL, NULL));
    if (virTestVerbose())
        fprintf(stderr, "%s", content);
    lines = g_strsplit(content, "\n", -1);
    VIR_TEST_ASSERT_INT(g_strv_length(lines), 4); /* three lines + "" */
    VIR_TEST_ASSERT_STR(lines[3], "");

    re = g_regex_new("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000: "
                     "\\d+: info : test\\.alpha : testFileOutput:\\d+ : alpha-info 42$",
                     0, 0, NULL);
    VIR_TEST_ASSERT(re != NULL);
    if (!g_regex_match(re, lines[0], 0, NULL))
        VIR_TEST_FAIL("unexpected line format: %s", lines[0]);
    VIR_TEST_ASSERT(strstr(lines[1], ": error : test.beta : testFileOutput:") != NULL);
    VIR_TEST_ASSERT(g_str_has_suffix(lines[1], " : beta-error"));
    VIR_TEST_ASSERT(g_str_has_suffix(lines[2], " : beta-substring"));

    virLogReset();
    return 0;
}

typedef struct {
    int id;
} LogThread;

static gpointer
testThreadLogger(gpointer opaque)
{
    LogThread *lt = opaque;

    for (int i = 0; i < 200; i++)
        LOG_TO(alpha, VIR_LOG_INFO, "thread %d line %d %s", lt->id, i,
               "padding-padding-padding-padding-padding-padding-padding");
    return NULL;
}

static int
testConcurrentLines(const void *data)
{
    g_autofree char *path = g_build_filename(virTestTempDir(), "threads.log", NULL);
    g_autofree char *outputs = g_strdup_printf("1:file:%s", path);
    g_autofree char *content = NULL;
    g_auto(GStrv) lines = NULL;
    GThread *th[4];
    LogThread lt[4];
    guint n;

    VIR_TEST_ASSERT_INT(virLogSetOutputs(outputs), 0);
    VIR_TEST_ASSERT_INT(virLogSetDefaultPriority(1), 0);
    for (int i = 0; i < 4; i++) {
        lt[i].id = i;
        th[i] = g_thread_new("logger", testThreadLogger, &lt[i]);
    }
    for (int i = 0; i < 4; i++)
        g_thread_join(th[i]);

    VIR_TEST_ASSERT(g_file_get_contents(path, &content, NULL, NULL));
    lines = g_strsplit(content, "\n", -1);
    n = g_strv_length(lines);
    VIR_TEST_ASSERT_INT(n, 801);
    for (guint i = 0; i + 1 < n; i++) {
        if (!g_str_has_suffix(lines[i], "padding-padding"))
            VIR_TEST_FAIL("interleaved line: %s", lines[i]);
    }
    virLogReset();
    return 0;
}

int
main(void)
{
    g_setenv("VIRTNET_LOG_FILTERS", "2:env.test", TRUE);
    g_setenv("VIRTNET_DEBUG", "2", TRUE);
    g_unsetenv("VIRTNET_LOG_OUTPUTS");

    virTestRun("environment read at first use", testEnvironment, NULL);
    virTestRun("filter parsing", testFilters, NULL);
    virTestRun("filters are globs", testFilterGlobs, NULL);
    virTestRun("output parsing", testOutputs, NULL);
    virTestRun("file output levels and filters", testFileOutput, NULL);
    virTestRun("lines from threads do not interleave", testConcurrentLines, NULL);
    return virTestResult();
}
