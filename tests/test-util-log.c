/*
 * test-util-log.c: filter/output parsing and what reaches a file output.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
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

/* In a child with a private mount namespace, an empty tmpfs on
 * /run/systemd: first no journal (the journald output falls back to
 * stderr), then a datagram socket where journald listens, which must get
 * the entry with its fields. Returns the child's failure message or NULL. */
static const char *
testJournalChild(void)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    char buf[4096], err[256];
    int pipefd[2], fd;
    ssize_t n;

    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return "cannot make a private mount namespace";
    g_mkdir_with_parents("/run/systemd", 0755);
    if (mount("tmpfs", "/run/systemd", "tmpfs", 0, "mode=0755") < 0 ||
        mkdir("/run/systemd/journal", 0755) < 0)
        return "cannot mount a tmpfs on /run/systemd";

    /* No journal: the line goes to stderr. */
    if (pipe(pipefd) < 0 || dup2(pipefd[1], STDERR_FILENO) < 0)
        return "pipe";
    if (virLogSetOutputs("2:journald") < 0 || virLogSetDefaultPriority(1) < 0)
        return "journald output refused";
    LOG_TO(alpha, VIR_LOG_WARN, "no-journal-%d", 7);
    n = read(pipefd[0], err, sizeof(err) - 1);
    if (n <= 0)
        return "nothing on stderr without a journal";
    err[n] = '\0';
    if (!strstr(err, ": warning : test.alpha : testJournalChild:") || !strstr(err, "no-journal-7"))
        return "stderr fallback line malformed";

    g_strlcpy(addr.sun_path, "/run/systemd/journal/socket", sizeof(addr.sun_path));
    if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        return "cannot bind the journal socket";
    LOG_TO(alpha, VIR_LOG_INFO, "to-the-journal %s", "ok");
    LOG_TO(alpha, VIR_LOG_DEBUG, "below-the-output");
    n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
    if (n <= 0)
        return "no datagram at the journal socket";
    buf[n] = '\0';
    if (!strstr(buf, "MESSAGE=to-the-journal ok\n") || !strstr(buf, "PRIORITY=6\n") ||
        !strstr(buf, "VIRTNET_SOURCE=test.alpha\n") ||
        !strstr(buf, "CODE_FUNC=testJournalChild\n") || !strstr(buf, "CODE_LINE="))
        return "journal entry lacks a field";
    if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
        return "a message below the output's level reached the journal";
    if (fcntl(pipefd[0], F_SETFL, O_NONBLOCK) < 0 || read(pipefd[0], err, sizeof(err)) > 0)
        return "a journal entry was also written to stderr";
    return NULL;
}

static int
testJournalOutput(const void *data)
{
    int status, pipefd[2];
    char why[128] = "";
    pid_t pid;

    if (geteuid() != 0) {
        fprintf(stderr, "  journald output: needs root for a private mount namespace\n");
        return VIR_TEST_SKIP;
    }
    VIR_TEST_ASSERT_INT(pipe(pipefd), 0);
    if ((pid = fork()) == 0) {
        const char *msg = testJournalChild();
        if (msg && write(pipefd[1], msg, strlen(msg)) < 0)
            _exit(2);
        _exit(msg ? 1 : 0);
    }
    close(pipefd[1]);
    VIR_TEST_ASSERT(pid > 0);
    if (read(pipefd[0], why, sizeof(why) - 1) < 0)
        why[0] = '\0';
    close(pipefd[0]);
    VIR_TEST_ASSERT_INT(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        VIR_TEST_FAIL("journal child: %s", why[0] ? why : "crashed");
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
    virTestRun("journald output and its stderr fallback", testJournalOutput, NULL);
    return virTestResult();
}
