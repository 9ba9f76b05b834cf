/*
 * test-util-file.c: the fd and file helpers of virutil.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib.h>

#include "testutils.h"
#include "virutil.h"
#include "virerror.h"

static int
testWriteAtomic(const void *data)
{
    g_autofree char *path = g_build_filename(virTestTempDir(), "state.xml", NULL);
    g_autofree char *bad = g_build_filename(virTestTempDir(), "no-such-dir", "x", NULL);
    g_autofree char *content = NULL;
    g_autoptr(GDir) dir = NULL;
    const char *entry;
    struct stat sb;
    gsize len;

    VIR_TEST_ASSERT_INT(virFileWriteAtomic(path, "first", 5, 0640), 0);
    VIR_TEST_ASSERT_INT(virFileWriteAtomic(path, "second\0bin", 10, 0600), 0);
    VIR_TEST_ASSERT(g_file_get_contents(path, &content, &len, NULL));
    VIR_TEST_ASSERT_INT(virTestCompareBytes("content", content, len, "second\0bin", 10), 0);
    VIR_TEST_ASSERT_INT(stat(path, &sb), 0);
    VIR_TEST_ASSERT_INT(sb.st_mode & 07777, 0600);

    /* No temporary file is left behind. */
    dir = g_dir_open(virTestTempDir(), 0, NULL);
    VIR_TEST_ASSERT(dir);
    while ((entry = g_dir_read_name(dir)))
        VIR_TEST_ASSERT(!g_str_has_prefix(entry, ".state.xml"));

    virResetLastError();
    VIR_TEST_ASSERT_INT(virFileWriteAtomic(bad, "x", 1, 0600), -1);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_SYSTEM_ERROR);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "no-such-dir") != NULL);
    virResetLastError();
    return 0;
}

static int
testFdHelpers(const void *data)
{
    int fds[2];
    int none = -1;

    VIR_TEST_ASSERT(pipe(fds) == 0);
    VIR_TEST_ASSERT_INT(virSetNonBlock(fds[0]), 0);
    VIR_TEST_ASSERT(fcntl(fds[0], F_GETFL) & O_NONBLOCK);
    VIR_TEST_ASSERT_INT(virSetCloseExec(fds[0]), 0);
    VIR_TEST_ASSERT(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);

    errno = ENOSPC;
    VIR_FORCE_CLOSE(fds[0]);
    VIR_TEST_ASSERT_INT(errno, ENOSPC);
    VIR_TEST_ASSERT_INT(fds[0], -1);
    VIR_FORCE_CLOSE(none);
    VIR_TEST_ASSERT_INT(none, -1);
    VIR_FORCE_CLOSE(fds[1]);
    VIR_TEST_ASSERT_INT(virSetNonBlock(1000000), -1);
    return 0;
}

/* A file of 4 MiB with one page of data at 1 MiB: a hole, the data, a
 * hole to the end; a pipe has no extents. */
static int
testDataExtent(const void *data)
{
    g_autofree char *path = g_build_filename(virTestTempDir(), "sparse", NULL);
    const off_t MiB = 1024 * 1024;
    char page[4096];
    off_t start, end;
    int fd, fds[2];

    memset(page, 'x', sizeof(page));
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    VIR_TEST_ASSERT(fd >= 0);
    VIR_TEST_ASSERT_INT(ftruncate(fd, 4 * MiB), 0);
    VIR_TEST_ASSERT_INT(pwrite(fd, page, sizeof(page), MiB), (ssize_t)sizeof(page));

    VIR_TEST_ASSERT_INT(virFileDataExtent(fd, 0, 4 * MiB, &start, &end), 0);
    if (start == 0 && end == 4 * MiB) {
        /* a file system without hole reporting: all data */
        close(fd);
        return 0;
    }
    VIR_TEST_ASSERT(start == MiB && end == MiB + 4096);
    VIR_TEST_ASSERT_INT(virFileDataExtent(fd, MiB + 100, 4 * MiB, &start, &end), 0);
    VIR_TEST_ASSERT(start == MiB + 100 && end == MiB + 4096);
    /* clamped to the end given */
    VIR_TEST_ASSERT_INT(virFileDataExtent(fd, 0, MiB + 10, &start, &end), 0);
    VIR_TEST_ASSERT(start == MiB && end == MiB + 10);
    /* only a hole left: both at the end */
    VIR_TEST_ASSERT_INT(virFileDataExtent(fd, 2 * MiB, 4 * MiB, &start, &end), 0);
    VIR_TEST_ASSERT(start == 4 * MiB && end == 4 * MiB);
    close(fd);

    VIR_TEST_ASSERT(pipe(fds) == 0);
    VIR_TEST_ASSERT_INT(virFileDataExtent(fds[0], 0, 10, &start, &end), -1);
    VIR_TEST_ASSERT_INT(errno, ESPIPE);
    close(fds[0]);
    close(fds[1]);
    return 0;
}

static int
testMonoTime(const void *data)
{
    uint64_t ms = virTimeMonoMs();
    uint64_t us = virTimeMonoUs();

    g_usleep(20 * 1000);
    VIR_TEST_ASSERT(virTimeMonoMs() - ms >= 19);
    VIR_TEST_ASSERT(virTimeMonoUs() - us >= 19000);
    VIR_TEST_ASSERT(virTimeMonoMs() - ms < 5000);
    return 0;
}

int
main(void)
{
    virTestRun("atomic file write", testWriteAtomic, NULL);
    virTestRun("fd helpers", testFdHelpers, NULL);
    virTestRun("data extents", testDataExtent, NULL);
    virTestRun("monotonic time", testMonoTime, NULL);
    return virTestResult();
}
