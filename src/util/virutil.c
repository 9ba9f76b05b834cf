/*
 * virutil.c: small helpers on file descriptors and time.
 *
 * Ownership: stateless; every function works only on what it is given.
 * Locking: none needed, all helpers are reentrant.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <glib.h>

#include "virutil.h"
#include "virerror.h"
#include "virnoiolock.h"

#define VIR_FROM_THIS VIR_FROM_NONE

int
virSetNonBlock(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0)
        return -1;
    if (flags & O_NONBLOCK)
        return 0;
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ? -1 : 0;
}

int
virSetCloseExec(int fd)
{
    int flags = fcntl(fd, F_GETFD);

    if (flags < 0)
        return -1;
    if (flags & FD_CLOEXEC)
        return 0;
    return fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0 ? -1 : 0;
}

void
virForceClose(int *fd)
{
    int saved = errno;

    if (*fd >= 0) {
        /* Linux releases the descriptor even when close() fails (EINTR
         * included), so never retry: the number may already be reused. */
        close(*fd);
        *fd = -1;
    }
    errno = saved;
}

uint64_t
virTimeMonoUs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000ull;
}

uint64_t
virTimeMonoMs(void)
{
    return virTimeMonoUs() / 1000ull;
}

static int
virFileWriteAll(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= n;
    }
    return 0;
}

int
virFileWriteAtomic(const char *path, const void *data, size_t len, mode_t mode)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    int fd = -1;
    int dirfd = -1;

    virNoIOCheck("writing a file");
    if ((fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, mode)) < 0) {
        virReportSystemError(errno, "cannot create temporary file '%s'", tmp);
        return -1;
    }
    /* mkstemp applies the umask; set the requested mode explicitly. */
    if (fchmod(fd, mode) < 0) {
        virReportSystemError(errno, "cannot set mode of '%s'", tmp);
        goto error;
    }
    if (virFileWriteAll(fd, data, len) < 0) {
        virReportSystemError(errno, "cannot write '%s'", tmp);
        goto error;
    }
    if (fsync(fd) < 0) {
        virReportSystemError(errno, "cannot sync '%s'", tmp);
        goto error;
    }
    if (close(fd) < 0) {
        fd = -1;
        virReportSystemError(errno, "cannot close '%s'", tmp);
        goto error;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        virReportSystemError(errno, "cannot rename '%s' to '%s'", tmp, path);
        goto error;
    }
    /* Make the rename itself durable. */
    if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "cannot open directory '%s'", dir);
        return -1;
    }
    if (fsync(dirfd) < 0 && errno != EINVAL) {
        virReportSystemError(errno, "cannot sync directory '%s'", dir);
        VIR_FORCE_CLOSE(dirfd);
        return -1;
    }
    VIR_FORCE_CLOSE(dirfd);
    return 0;

 error:
    VIR_FORCE_CLOSE(fd);
    unlink(tmp);
    return -1;
}


/* DIR/.BASE.XXXXXX as g_mkstemp makes it: six characters of [A-Za-z0-9]. */
static bool
virFileIsAtomicTemp(const char *name)
{
    size_t len = strlen(name);

    if (len < 9 || name[0] != '.' || name[len - 7] != '.')
        return false;
    for (size_t i = len - 6; i < len; i++) {
        if (!g_ascii_isalnum(name[i]))
            return false;
    }
    return true;
}


int
virFileRemoveAtomicTemps(const char *dir)
{
    g_autoptr(GDir) d = NULL;
    const char *name;
    int count = 0;

    virNoIOCheck("removing files");
    if (!(d = g_dir_open(dir, 0, NULL)))
        return -1;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = NULL;

        if (!virFileIsAtomicTemp(name))
            continue;
        path = g_build_filename(dir, name, NULL);
        if (unlink(path) == 0)
            count++;
    }
    return count;
}


int
virFileRemove(const char *path)
{
    virNoIOCheck("removing a file");
    if (unlink(path) < 0 && errno != ENOENT)
        return -1;
    return 0;
}


void
virSleepMs(unsigned int ms)
{
    virNoIOCheck("sleeping");
    g_usleep((gulong)ms * 1000);
}


pid_t
virProcessWaitPid(pid_t pid, int *status, int options)
{
    pid_t r;

    if (!(options & WNOHANG))
        virNoIOCheck("waiting for a process");
    do {
        r = waitpid(pid, status, options);
    } while (r < 0 && errno == EINTR);
    return r;
}


int
virCompareInt(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return x < y ? -1 : x > y;
}


int
virCompareString(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}


int
virFileDataExtent(int fd, off_t pos, off_t end, off_t *dataStart, off_t *dataEnd)
{
    off_t d = lseek(fd, pos, SEEK_DATA);
    off_t h;

    if (d < 0) {
        if (errno != ENXIO)
            return -1;
        *dataStart = *dataEnd = end;    /* only a hole up to the end of the file */
        return 0;
    }
    if ((h = lseek(fd, d, SEEK_HOLE)) < 0)
        return -1;
    *dataStart = MIN(d, end);
    *dataEnd = MIN(h, end);
    return 0;
}


char *
virFileReadFD(int fd, size_t max, size_t *len)
{
    GString *buf = g_string_new(NULL);
    char chunk[8192];

    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            g_string_free(buf, TRUE);
            errno = err;
            return NULL;
        }
        if (n == 0)
            break;
        if (buf->len + (size_t)n > max) {
            g_string_free(buf, TRUE);
            errno = EFBIG;
            return NULL;
        }
        g_string_append_len(buf, chunk, n);
    }
    if (len)
        *len = buf->len;
    return g_string_free(buf, FALSE);
}
