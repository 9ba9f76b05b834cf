/*
 * test-util-command.c: vircommand.h: a program run to its end, its exit
 * status, libvirt's words for a failure with the program's stderr, the
 * time limit, a program that is not there, the argv as libvirt prints it,
 * the program's output returned within its bound.
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


/* stdout returned (both pipes read: a child filling stderr while we wait
 * on stdout must not hang), its bound, nothing returned on failure */
static int
testOutput(const void *data G_GNUC_UNUSED)
{
    const char *both[] = { "sh", "-c", "i=0; while [ $i -lt 2000 ]; do "
                           "echo err$i >&2; echo out$i; i=$((i + 1)); done", NULL };
    const char *big[] = { "sh", "-c", "head -c 70000 /dev/zero", NULL };
    const char *fails[] = { "sh", "-c", "echo partial; exit 1", NULL };
    g_autofree char *out = NULL;
    char *none = NULL;

    VIR_TEST_ASSERT_INT(virCommandRunArgvOutput("/bin/sh", both, 20000, NULL, 1 << 20, &out), 0);
    VIR_TEST_ASSERT(g_str_has_prefix(out, "out0\nout1\n"));
    VIR_TEST_ASSERT(g_str_has_suffix(out, "out1999\n"));
    VIR_TEST_ASSERT(!strstr(out, "err"));
    VIR_TEST_ASSERT_INT(virCommandRunArgvOutput("/bin/sh", big, 20000, NULL, 65536, &none), -1);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "wrote more than 65536 bytes"));
    VIR_TEST_ASSERT(none == NULL);
    VIR_TEST_ASSERT_INT(virCommandRunArgvOutput("/bin/sh", fails, 20000, NULL, 1024, &none), -1);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "unexpected exit status 1"));
    VIR_TEST_ASSERT(none == NULL);
    return 0;
}


int
main(void)
{
    virTestRun("exit status, libvirt's words with stderr", testRun, NULL);
    virTestRun("time limit, missing program", testLimits, NULL);
    virTestRun("stdout returned, bounded", testOutput, NULL);
    return virTestResult();
}
