/*
 * testutils.c: see testutils.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sched.h>
#include <sys/wait.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "testutils.h"

int virTestFailures;
static int virTestPasses;
static int virTestSkips;
static char *virTestDir;

bool
virTestVerbose(void)
{
    return getenv("VIRTNET_TEST_VERBOSE") != NULL;
}

int
virTestRun(const char *name, int (*body)(const void *data), const void *data)
{
    gint64 start = g_get_monotonic_time();
    int rc = body(data);
    double ms = (g_get_monotonic_time() - start) / 1000.0;

    if (rc == 0) {
        virTestPasses++;
        printf("ok   %s (%.1f ms)\n", name, ms);
    } else if (rc == VIR_TEST_SKIP) {
        virTestSkips++;
        printf("skip %s\n", name);
    } else {
        virTestFailures++;
        printf("FAIL %s\n", name);
    }
    fflush(stdout);
    return rc;
}

int
virTestResult(void)
{
    printf("%d passed, %d failed, %d skipped\n", virTestPasses, virTestFailures, virTestSkips);
    if (virTestFailures)
        return 1;
    if (virTestPasses == 0 && virTestSkips > 0)
        return VIR_TEST_SKIP;
    return 0;
}

int
virTestCompareBytes(const char *what, const void *actual, size_t alen,
                    const void *expected, size_t elen)
{
    const unsigned char *a = actual, *e = expected;
    size_t i, n = alen < elen ? alen : elen;

    for (i = 0; i < n && a[i] == e[i]; i++)
        ;
    if (i == n && alen == elen)
        return 0;
    fprintf(stderr, "  %s: differs at byte %zu (lengths %zu, expected %zu)\n",
            what, i, alen, elen);
    fprintf(stderr, "    actual:  ");
    for (size_t j = i; j < alen && j < i + 16; j++)
        fprintf(stderr, "%02x ", a[j]);
    fprintf(stderr, "\n    expected:");
    for (size_t j = i; j < elen && j < i + 16; j++)
        fprintf(stderr, " %02x", e[j]);
    fprintf(stderr, "\n");
    return -1;
}

static void
virTestRemoveDir(void)
{
    if (virTestDir && !getenv("VIRTNET_TEST_KEEP")) {
        char *cmd = g_strdup_printf("rm -rf '%s'", virTestDir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", virTestDir);
        g_free(cmd);
    }
}

const char *
virTestTempDir(void)
{
    if (!virTestDir) {
        g_autoptr(GError) err = NULL;
        virTestDir = g_dir_make_tmp("virtnet-test-XXXXXX", &err);
        if (!virTestDir) {
            fprintf(stderr, "cannot make temp dir: %s\n", err->message);
            abort();
        }
        atexit(virTestRemoveDir);
    }
    return virTestDir;
}


bool
virTestCanUnshare(int flags, const char *what, char **why)
{
    pid_t pid;
    int status = 0;

    if (geteuid() != 0) {
        *why = g_strdup("not running as root");
        return false;
    }
    if ((pid = fork()) == 0)
        _exit(unshare(flags) < 0 ? errno : 0);
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
        *why = g_strdup_printf("the kernel refuses new %s namespaces (%s)", what,
                               pid > 0 && WIFEXITED(status) ? g_strerror(WEXITSTATUS(status))
                                                            : "fork failed");
        return false;
    }
    return true;
}
