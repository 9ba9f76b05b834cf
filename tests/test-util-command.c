/*
 * test-util-command.c: vircommand.h: a program run to its end, its exit
 * status, libvirt's words for a failure with the program's stderr, the
 * time limit, a program that is not there, the argv as libvirt prints it.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "testutils.h"
#include "vircommand.h"
#include "virerror.h"

static int
testRun(const void *data G_GNUC_UNUSED)
{
    const char *ok[] = { "sh", "-c", "exit 0", NULL };
    const char *fails[] = { "sh", "-c", "echo 'no such thing' >&2; exit 3", NULL };
    int status = -1;

    VIR_TEST_ASSERT_INT(virCommandRunArgv("/bin/sh", ok, 5000, NULL), 0);
    /* a status asked for: any is success */
    VIR_TEST_ASSERT_INT(virCommandRunArgv("/bin/sh", fails, 5000, &status), 0);
    VIR_TEST_ASSERT_INT(status, 3);
    /* else libvirt's words, stderr as the program wrote it */
    virResetLastError();
    VIR_TEST_ASSERT_INT(virCommandRunArgv("/bin/sh", fails, 5000, NULL), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_INTERNAL_ERROR);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(),
                        "internal error: Child process (sh -c 'echo '\\''no such thing'\\'' "
                        ">&2; exit 3') unexpected exit status 3: no such thing\n");
    return 0;
}


static int
testLimits(const void *data G_GNUC_UNUSED)
{
    const char *slow[] = { "sh", "-c", "sleep 30", NULL };
    const char *none[] = { "vn-none", NULL };
    gint64 t0 = g_get_monotonic_time();

    /* killed at the limit (generous bound: a loaded machine) */
    VIR_TEST_ASSERT_INT(virCommandRunArgv("/bin/sh", slow, 200, NULL), -1);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "did not end within 200 ms"));
    VIR_TEST_ASSERT(g_get_monotonic_time() - t0 < 20 * G_USEC_PER_SEC);
    VIR_TEST_ASSERT_INT(virCommandRunArgv("/nonexistent/vn-none", none, 5000, NULL), -1);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "Cannot run vn-none"));
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), g_strerror(ENOENT)));
    return 0;
}


int
main(void)
{
    virTestRun("exit status, libvirt's words with stderr", testRun, NULL);
    virTestRun("time limit, missing program", testLimits, NULL);
    return virTestResult();
}
