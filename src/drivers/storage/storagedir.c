/*
 * storagedir.c: the dir pool backend's file work, see storagedir.h.
 *
 * No locks and no shared state: every function works on the paths it is
 * given. virNoIOCheck guards the entry points (none may run under a
 * driver lock).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "storagedir.h"
#include "virerror.h"
#include "virlog.h"
#include "virnoiolock.h"
#include "virpublic.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

VIR_LOG_INIT("storage.dir");

/* What libvirt reports from its generic file helpers (virDirOpen,
 * virFileResize...) comes from VIR_FROM_NONE. */
#define virReportUtilError(errnum, ...) \
    virErrorReportSystemFull(VIR_FROM_NONE, errnum, __FILE__, __func__, __LINE__, __VA_ARGS__)

/* Big enough to stream, a multiple of 3 for the three-byte patterns. */
#define STORAGE_DIR_BUF (3 * 128 * 1024)
/* "." + XXXXXX after the name in a temporary file's name */
#define STORAGE_DIR_TEMP_SUFFIX_LEN 7

void
storageDirEntryFree(storageDirEntry *entry)
{
    if (!entry)
        return;
    g_free(entry->name);
    g_free(entry);
}

static bool
storageDirHasControlChars(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    }
    return false;
}

size_t
storageDirVolNameMax(void)
{
    return NAME_MAX - strlen(STORAGE_DIR_TEMP_PREFIX) - STORAGE_DIR_TEMP_SUFFIX_LEN;
}

int
storageDirNameCheck(const char *kind, const char *name, size_t maxLen)
{
    size_t len = strlen(name);

    if (strchr(name, '/')) {
        /* libvirt's own message for volumes */
        virReportError(VIR_ERR_OPERATION_INVALID, "%s name '%s' cannot contain '/'", kind,
                       name);
        return -1;
    }
    if (len == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s name '%s' is not a file name", kind,
                       name);
        return -1;
    }
    if (storageDirHasControlChars(name)) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "%s name cannot contain control characters", kind);
        return -1;
    }
    if (g_str_has_prefix(name, STORAGE_DIR_TEMP_PREFIX)) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "%s name '%s' starts with '%s', kept for temporary files", kind, name,
                       STORAGE_DIR_TEMP_PREFIX);
        return -1;
    }
    if (len > maxLen) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "%s name of %zu bytes is too long (at most %zu)", kind, len, maxLen);
        return -1;
    }
    return 0;
}

/* write(2) of the whole buffer, retried on EINTR and short writes. */
static int
storageDirWriteAll(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static ssize_t
storageDirReadFull(int fd, void *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t n = read(fd, (char *)buf + got, len - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

static void
storageDirSyncDir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        if (fsync(fd) < 0)
            VIR_WARN("cannot sync directory %s: %s", dir, g_strerror(errno));
        VIR_FORCE_CLOSE(fd);
    }
}

/* A long operation's progress (storageDirProgressFunc) as it goes. */
typedef struct {
    storageDirProgressFunc func;
    void *opaque;
    unsigned long long done;
    unsigned long long total;
} storageDirProgress;

/* n more bytes done: false, with the error, when the callback says stop. */
static bool
storageDirProgressAdd(storageDirProgress *prog, unsigned long long n)
{
    if (!prog)
        return true;
    prog->done += n;
    if (prog->func && !prog->func(prog->done, prog->total, prog->opaque)) {
        virReportError(VIR_ERR_OPERATION_ABORTED, "%s", "operation aborted");
        return false;
    }
    return true;
}

/* ---- pools ---- */

int
storageDirPoolBuild(const char *path, long mode, long uid, long gid)
{
    g_autofree char *parent = g_path_get_dirname(path);
    bool existed;

    virNoIOCheck("building a storage pool");
    if (!g_path_is_absolute(path)) {
        virReportError(VIR_ERR_INVALID_ARG, "path '%s' is not absolute", path);
        return -1;
    }
    if (g_mkdir_with_parents(parent, 0777) < 0) {
        virReportSystemError(errno, "cannot create path '%s'", parent);
        return -1;
    }
    existed = g_file_test(path, G_FILE_TEST_EXISTS);
    if (mode < 0 && !existed)
        mode = 0711;
    if (!existed && mkdir(path, mode < 0 ? 0711 : (mode_t)mode) < 0 && errno != EEXIST) {
        virReportSystemError(errno, "cannot create path '%s'", path);
        return -1;
    }
    if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
        virReportSystemError(ENOTDIR, "cannot create path '%s'", path);
        return -1;
    }
    if (mode >= 0 && chmod(path, (mode_t)mode) < 0) {
        virReportSystemError(errno, "cannot set mode of '%s' to %04o", path,
                             (unsigned int)mode);
        return -1;
    }
    if ((uid >= 0 || gid >= 0) && chown(path, (uid_t)uid, (gid_t)gid) < 0) {
        virReportSystemError(errno, "cannot chown '%s' to (%ld, %ld)", path, uid, gid);
        return -1;
    }
    return 0;
}

bool
storageDirPoolExists(const char *path)
{
    virNoIOCheck("checking a storage pool");
    return g_file_test(path, G_FILE_TEST_EXISTS);
}

static int
storageDirPoolStatFS(const char *path, storageDirPoolFacts *pst)
{
    struct statvfs sv;
    struct stat sb;

    if (stat(path, &sb) < 0) {
        virReportSystemError(errno, "cannot stat path '%s'", path);
        return -1;
    }
    if (statvfs(path, &sv) < 0) {
        virReportSystemError(errno, "cannot statvfs path '%s'", path);
        return -1;
    }
    pst->capacity = (unsigned long long)sv.f_frsize * sv.f_blocks;
    pst->available = (unsigned long long)sv.f_bfree * sv.f_frsize;
    pst->allocation = pst->capacity - pst->available;
    pst->mode = sb.st_mode & 07777;
    pst->uid = sb.st_uid;
    pst->gid = sb.st_gid;
    return 0;
}

/* A temporary file or directory a crash left (a temporary directory
 * volume is empty until renamed). */
static void
storageDirRemoveTemp(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);

    if (unlink(path) < 0 && (errno != EISDIR || rmdir(path) < 0) && errno != ENOENT)
        VIR_WARN("cannot remove unfinished volume %s: %s", path, g_strerror(errno));
    else
        VIR_WARN("removed unfinished volume %s (left by a crash)", path);
}

GPtrArray *
storageDirPoolScan(const char *path, storageDirPoolFacts *pst)
{
    g_autoptr(GPtrArray) vols = g_ptr_array_new_with_free_func(
        (GDestroyNotify)storageDirEntryFree);
    DIR *dir;
    struct dirent *ent;

    virNoIOCheck("scanning a storage pool");
    if (!(dir = opendir(path))) {
        virReportUtilError(errno, "cannot open directory '%s'", path);
        return NULL;
    }
    while ((errno = 0, ent = readdir(dir))) {
        g_autofree char *vpath = NULL;
        storageDirEntry *e;
        int rc;

        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        if (storageDirHasControlChars(ent->d_name)) {
            VIR_WARN("Ignoring file with control characters under '%s'", path);
            continue;
        }
        if (g_str_has_prefix(ent->d_name, STORAGE_DIR_TEMP_PREFIX)) {
            storageDirRemoveTemp(path, ent->d_name);
            continue;
        }
        vpath = g_build_filename(path, ent->d_name, NULL);
        e = g_new0(storageDirEntry, 1);
        if ((rc = storageDirVolStat(vpath, &e->st)) < 0) {
            storageDirEntryFree(e);
            if (rc == -2)
                continue;
            closedir(dir);
            return NULL;
        }
        e->name = g_strdup(ent->d_name);
        g_ptr_array_add(vols, e);
    }
    if (errno != 0) {
        virReportUtilError(errno, "Unable to read directory '%s'", path);
        closedir(dir);
        return NULL;
    }
    closedir(dir);
    if (storageDirPoolStatFS(path, pst) < 0)
        return NULL;
    return g_steal_pointer(&vols);
}

int
storageDirPoolDelete(const char *path)
{
    virNoIOCheck("deleting a storage pool");
    if (rmdir(path) < 0) {
        virReportSystemError(errno, "failed to remove pool '%s'", path);
        return -1;
    }
    return 0;
}

/* ---- volumes ---- */

static guint64
storageDirBE(const unsigned char *p, size_t n)
{
    guint64 v = 0;
    size_t i;

    for (i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/* The format of a regular file from its header: qcow / qcow2 (with their
 * virtual size), else raw. */
static void
storageDirProbe(int fd, storageDirVolFacts *st)
{
    unsigned char hdr[32];

    st->format = "raw";
    if (storageDirReadFull(fd, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr) ||
        memcmp(hdr, "QFI\xfb", 4) != 0)
        return;
    switch (storageDirBE(hdr + 4, 4)) {
    case 1:
        st->format = "qcow";
        st->capacity = storageDirBE(hdr + 24, 8);
        break;
    case 2:
    case 3:
        st->format = "qcow2";
        st->capacity = storageDirBE(hdr + 24, 8);
        break;
    default:
        break;
    }
}

int
storageDirVolStat(const char *path, storageDirVolFacts *st)
{
    struct stat sb;
    int fd;

    virNoIOCheck("reading a volume");
    memset(st, 0, sizeof(*st));
    if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0) {
        /* gone meanwhile, a dangling link, or a socket: not a volume */
        if (errno == ENOENT || errno == ELOOP || errno == ENXIO)
            return -2;
        virReportSystemError(errno, "cannot open volume '%s'", path);
        return -1;
    }
    if (fstat(fd, &sb) < 0) {
        virReportSystemError(errno, "cannot stat file '%s'", path);
        VIR_FORCE_CLOSE(fd);
        return -1;
    }
    if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
        VIR_FORCE_CLOSE(fd);
        return -2;
    }
    st->capacity = (unsigned long long)sb.st_size;
    st->allocation = (unsigned long long)sb.st_blocks * 512;
    st->physical = (unsigned long long)sb.st_size;
    if (S_ISDIR(sb.st_mode)) {
        st->type = VIR_STORAGE_VOL_DIR;
        st->format = "dir";
    } else {
        st->type = VIR_STORAGE_VOL_FILE;
        storageDirProbe(fd, st);
    }
    VIR_FORCE_CLOSE(fd);
    st->mode = sb.st_mode & 07777;
    st->uid = sb.st_uid;
    st->gid = sb.st_gid;
    st->atime = sb.st_atim;
    st->mtime = sb.st_mtim;
    st->ctime = sb.st_ctim;
    return 0;
}

/* Zeros from offset pos up to end: -1 with errno, or -2 when prog said
 * stop (the error reported). */
static int
storageDirWriteZeros(int fd, unsigned long long pos, unsigned long long end,
                     storageDirProgress *prog)
{
    g_autofree char *zeros = g_malloc0(STORAGE_DIR_BUF);

    if (lseek(fd, (off_t)pos, SEEK_SET) < 0)
        return -1;
    while (pos < end) {
        size_t n = (size_t)MIN((unsigned long long)STORAGE_DIR_BUF, end - pos);

        if (storageDirWriteAll(fd, zeros, n) < 0)
            return -1;
        pos += n;
        if (!storageDirProgressAdd(prog, n))
            return -2;
    }
    return 0;
}

/* Copy the first len bytes of src into fd; zero blocks become holes when
 * sparse. Returns the bytes copied (src may be shorter), or -1. */
static long long
storageDirCopy(int fd, const char *dstPath, const char *src, unsigned long long len,
               bool sparse, storageDirProgress *prog)
{
    g_autofree char *buf = g_malloc(STORAGE_DIR_BUF);
    g_autofree char *zeros = g_malloc0(STORAGE_DIR_BUF);
    unsigned long long done = 0;
    int in = open(src, O_RDONLY | O_CLOEXEC);

    if (in < 0) {
        virReportSystemError(errno, "could not open input path '%s'", src);
        return -1;
    }
    while (done < len) {
        size_t want = (size_t)MIN((unsigned long long)STORAGE_DIR_BUF, len - done);
        ssize_t n = storageDirReadFull(in, buf, want);

        if (n < 0) {
            virReportSystemError(errno, "failed reading from file '%s'", src);
            VIR_FORCE_CLOSE(in);
            return -1;
        }
        if (n == 0)
            break;
        if (sparse && memcmp(buf, zeros, (size_t)n) == 0) {
            if (lseek(fd, n, SEEK_CUR) < 0) {
                virReportSystemError(errno, "cannot extend file '%s'", dstPath);
                VIR_FORCE_CLOSE(in);
                return -1;
            }
        } else if (storageDirWriteAll(fd, buf, (size_t)n) < 0) {
            virReportSystemError(errno, "cannot write to '%s'", dstPath);
            VIR_FORCE_CLOSE(in);
            return -1;
        }
        done += (unsigned long long)n;
        if (!storageDirProgressAdd(prog, (unsigned long long)n)) {
            VIR_FORCE_CLOSE(in);
            return -1;
        }
    }
    VIR_FORCE_CLOSE(in);
    return (long long)done;
}

/* libvirt's createRawFile on the temporary file fd; path names the volume
 * in messages. */
static int
storageDirFillRaw(int fd, const char *path, const storageDirVolSpec *spec)
{
    unsigned long long capacity = spec->capacity;
    unsigned long long allocation = spec->allocation;
    const char *cloneFrom = spec->cloneFrom;
    unsigned long long cloneCapacity = cloneFrom ? spec->cloneCapacity : 0;
    bool needAlloc = !(cloneFrom && allocation < cloneCapacity);
    storageDirProgress prog = { spec->progress, spec->opaque, 0, 0 };
    unsigned long long pos = 0;
    int rc;

    if (ftruncate(fd, (off_t)capacity) < 0) {
        virReportSystemError(errno, "cannot extend file '%s'", path);
        return -1;
    }
    if (allocation && needAlloc) {
        if (fallocate(fd, 0, 0, (off_t)allocation) == 0) {
            needAlloc = false;
        } else if (errno != ENOSYS && errno != EOPNOTSUPP) {
            virReportSystemError(errno, "cannot allocate %llu bytes in file '%s'",
                                 allocation, path);
            return -1;
        }
    }
    /* what is left to do: the copy, then zeros up to the allocation */
    prog.total = cloneCapacity + (needAlloc && allocation > cloneCapacity ?
                                  allocation - cloneCapacity : 0);
    if (cloneFrom) {
        long long copied = storageDirCopy(fd, path, cloneFrom, cloneCapacity, !needAlloc,
                                          &prog);

        if (copied < 0)
            return -1;
        pos = (unsigned long long)copied;
        prog.done = cloneCapacity;      /* a shorter source: nothing more to copy */
    }
    if (needAlloc && allocation > pos &&
        (rc = storageDirWriteZeros(fd, pos, allocation, &prog)) < 0) {
        if (rc == -1)
            virReportSystemError(errno, "cannot fill file '%s'", path);
        return -1;
    }
    if (fsync(fd) < 0) {
        virReportSystemError(errno, "cannot sync data to file '%s'", path);
        return -1;
    }
    return 0;
}

/* rename without replacing: renameat2(RENAME_NOREPLACE), or link + unlink
 * for a file where the file system lacks it. */
static int
storageDirRenameNoReplace(const char *from, const char *to, bool isDir)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    if (isDir) {
        struct stat sb;

        if (lstat(to, &sb) == 0) {
            errno = EEXIST;
            return -1;
        }
        return rename(from, to);
    }
    if (link(from, to) < 0)
        return -1;
    return unlink(from) < 0 && errno != ENOENT ? -1 : 0;
}

char *
storageDirVolTempPath(const char *dir, const char *name)
{
    static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    char suffix[STORAGE_DIR_TEMP_SUFFIX_LEN];
    size_t i;

    for (i = 0; i + 1 < sizeof(suffix); i++)
        suffix[i] = chars[g_random_int_range(0, (gint32)sizeof(chars) - 1)];
    suffix[i] = '\0';
    return g_strdup_printf("%s/%s%s.%s", dir, STORAGE_DIR_TEMP_PREFIX, name, suffix);
}

/* Create the temporary file (or directory) of spec: its descriptor (-1
 * for a directory), or -2 with the error; *tmp its name. */
static int
storageDirCreateTemp(const char *dir, const char *name, const char *path,
                     const storageDirVolSpec *spec, char **tmp)
{
    gint mode = (gint)spec->mode;
    int fd = -1;

    *tmp = spec->tempPath ? g_strdup(spec->tempPath)
                          : g_strdup_printf("%s/%s%s.XXXXXX", dir, STORAGE_DIR_TEMP_PREFIX, name);
    if (spec->isDir) {
        if (spec->tempPath ? mkdir(*tmp, (mode_t)mode) < 0 : !g_mkdtemp_full(*tmp, mode)) {
            virReportSystemError(errno, "cannot create path '%s'", path);
            return -2;
        }
        return -1;
    }
    fd = spec->tempPath ? open(*tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, (mode_t)mode)
                        : g_mkstemp_full(*tmp, O_RDWR | O_CLOEXEC, mode);
    if (fd < 0) {
        virReportSystemError(errno, "Failed to create file '%s'", path);
        return -2;
    }
    return fd;
}

int
storageDirVolCreate(const char *dir, const char *name, const storageDirVolSpec *spec)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *tmp = NULL;
    bool isDir = spec->isDir;
    struct stat sb;
    int fd;

    virNoIOCheck("creating a volume");
    if (lstat(path, &sb) == 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "volume target path '%s' already exists",
                       path);
        return -1;
    }
    if ((fd = storageDirCreateTemp(dir, name, path, spec, &tmp)) == -2)
        return -1;
    /* the mode as asked, whatever the umask */
    if (chmod(tmp, spec->mode) < 0 ||
        ((spec->uid >= 0 || spec->gid >= 0) &&
         chown(tmp, (uid_t)spec->uid, (gid_t)spec->gid) < 0)) {
        virReportSystemError(errno, "cannot set permissions of '%s'", path);
        goto error;
    }
    if (fd >= 0) {
        if (storageDirFillRaw(fd, path, spec) < 0)
            goto error;
        if (close(fd) < 0) {
            fd = -1;
            virReportSystemError(errno, "cannot close file '%s'", path);
            goto error;
        }
        fd = -1;
    }
    if (storageDirRenameNoReplace(tmp, path, isDir) < 0) {
        if (errno == EEXIST || errno == ENOTEMPTY)
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "volume target path '%s' already exists", path);
        else
            virReportSystemError(errno, "cannot create path '%s'", path);
        goto error;
    }
    storageDirSyncDir(dir);
    return 0;

 error:
    VIR_FORCE_CLOSE(fd);
    if (isDir)
        rmdir(tmp);
    else
        unlink(tmp);
    return -1;
}

int
storageDirVolDelete(const char *path, bool isDir)
{
    virNoIOCheck("deleting a volume");
    if ((isDir ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT) {
        if (isDir)
            virReportSystemError(errno, "cannot remove directory '%s'", path);
        else
            virReportSystemError(errno, "cannot unlink file '%s'", path);
        return -1;
    }
    {
        g_autofree char *dir = g_path_get_dirname(path);
        storageDirSyncDir(dir);
    }
    return 0;
}

/* ---- wiping ---- */

/* scrub(1)'s pass sequences, which libvirt runs for every algorithm but
 * zero: "r" a pseudo-random pass, "v" a verification of the pass before,
 * else one to three bytes of pattern in hex, repeated. */
static const char *const storageDirWipePasses[VIR_STORAGE_VOL_WIPE_ALG_LAST][36] = {
    [VIR_STORAGE_VOL_WIPE_ALG_NNSA] = { "r", "r", "00", "v", NULL },
    [VIR_STORAGE_VOL_WIPE_ALG_DOD] = { "r", "00", "ff", "v", NULL },
    [VIR_STORAGE_VOL_WIPE_ALG_BSI] = { "ff", "fe", "fd", "fb", "f7", "ef", "df", "bf", "7f",
                                       NULL },
    [VIR_STORAGE_VOL_WIPE_ALG_GUTMANN] = {
        "r", "r", "r", "r", "55", "aa", "924924", "492492", "249249", "00", "11", "22",
        "33", "44", "55", "66", "77", "88", "99", "aa", "bb", "cc", "dd", "ee", "ff",
        "924924", "492492", "249249", "6db6db", "b6db6d", "db6db6", "r", "r", "r", "r",
        NULL },
    [VIR_STORAGE_VOL_WIPE_ALG_SCHNEIER] = { "00", "ff", "r", "r", "r", "r", "r", NULL },
    [VIR_STORAGE_VOL_WIPE_ALG_PFITZNER7] = { "r", "r", "r", "r", "r", "r", "r", NULL },
    [VIR_STORAGE_VOL_WIPE_ALG_PFITZNER33] = {
        "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r",
        "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r",
        NULL },
    [VIR_STORAGE_VOL_WIPE_ALG_RANDOM] = { "r", NULL },
};

/* Fill buf (a multiple of 3 bytes) with the pattern of pass, or
 * pseudo-random bytes from *rng (xorshift64*). */
static void
storageDirWipeFill(unsigned char *buf, size_t len, const char *pass, guint64 *rng)
{
    size_t i;

    if (strcmp(pass, "r") == 0) {
        for (i = 0; i < len; i += 8) {
            guint64 x;

            *rng ^= *rng >> 12;
            *rng ^= *rng << 25;
            *rng ^= *rng >> 27;
            x = *rng * 0x2545F4914F6CDD1DULL;
            memcpy(buf + i, &x, MIN((size_t)8, len - i));
        }
    } else {
        unsigned char pat[3];
        size_t n = strlen(pass) / 2;

        for (i = 0; i < n; i++) {
            char hex[3] = { pass[2 * i], pass[2 * i + 1], 0 };
            pat[i] = (unsigned char)strtoul(hex, NULL, 16);
        }
        for (i = 0; i < len; i++)
            buf[i] = pat[i % n];
    }
}

/* One pass over the first len bytes of fd: write the pattern, or (verify)
 * read back and compare with the previous pass's pattern. */
static int
storageDirWipePass(int fd, const char *path, unsigned long long len, const char *pass,
                   const char *previous, guint64 *rng, storageDirProgress *prog)
{
    g_autofree unsigned char *buf = g_malloc(STORAGE_DIR_BUF);
    g_autofree unsigned char *got = NULL;
    bool verify = strcmp(pass, "v") == 0;
    unsigned long long pos = 0;

    if (verify) {
        got = g_malloc(STORAGE_DIR_BUF);
        storageDirWipeFill(buf, STORAGE_DIR_BUF, previous, rng);
    } else if (strcmp(pass, "r") != 0) {
        storageDirWipeFill(buf, STORAGE_DIR_BUF, pass, rng);
    }
    if (lseek(fd, 0, SEEK_SET) < 0) {
        virReportSystemError(errno, "Failed to seek to the start in volume with path '%s'",
                             path);
        return -1;
    }
    while (pos < len) {
        size_t n = (size_t)MIN((unsigned long long)STORAGE_DIR_BUF, len - pos);

        if (verify) {
            if (storageDirReadFull(fd, got, n) != (ssize_t)n) {
                virReportSystemError(errno ? errno : EIO,
                                     "cannot read back volume with path '%s'", path);
                return -1;
            }
            if (memcmp(got, buf, n) != 0) {
                virReportError(VIR_ERR_OPERATION_FAILED,
                               "verification of the wipe of volume '%s' failed at byte %llu",
                               path, pos);
                return -1;
            }
            if (!storageDirProgressAdd(prog, n))
                return -1;
        } else {
            if (strcmp(pass, "r") == 0)
                storageDirWipeFill(buf, n, pass, rng);
            if (storageDirWriteAll(fd, buf, n) < 0) {
                virReportSystemError(errno,
                                     "Failed to write %zu bytes to storage volume with "
                                     "path '%s'", n, path);
                return -1;
            }
            if (!storageDirProgressAdd(prog, n))
                return -1;
        }
        pos += n;
    }
    if (!verify && fdatasync(fd) < 0) {
        virReportSystemError(errno, "cannot sync data to volume with path '%s'", path);
        return -1;
    }
    return 0;
}

int
storageDirVolWipe(const char *path, unsigned int algorithm, unsigned long long allocation,
                  storageDirProgressFunc progress, void *opaque)
{
    storageDirProgress prog = { progress, opaque, 0, 0 };
    struct stat sb;
    int fd;
    int ret = -1;

    virNoIOCheck("wiping a volume");
    if (algorithm >= VIR_STORAGE_VOL_WIPE_ALG_LAST || algorithm == VIR_STORAGE_VOL_WIPE_ALG_TRIM) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported algorithm %u", algorithm);
        return -1;
    }
    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "Failed to open storage volume with path '%s'", path);
        return -1;
    }
    if (fstat(fd, &sb) < 0) {
        virReportSystemError(errno, "Failed to stat storage volume with path '%s'", path);
        goto cleanup;
    }
    VIR_DEBUG("wiping %s with algorithm %u", path, algorithm);
    if (algorithm == VIR_STORAGE_VOL_WIPE_ALG_ZERO) {
        if (S_ISREG(sb.st_mode) && sb.st_blocks < sb.st_size / 512) {
            /* sparse: drop every block, keep the size */
            if (ftruncate(fd, 0) < 0 || ftruncate(fd, sb.st_size) < 0) {
                virReportSystemError(errno,
                                     "Failed to truncate volume with path '%s' to %ju bytes",
                                     path, (uintmax_t)sb.st_size);
                goto cleanup;
            }
            ret = 0;
        } else {
            prog.total = MIN(allocation, (unsigned long long)sb.st_size);
            ret = storageDirWipePass(fd, path, prog.total, "00", NULL, NULL, &prog);
        }
    } else {
        const char *const *passes = storageDirWipePasses[algorithm];
        guint64 rng = ((guint64)g_random_int() << 32) | g_random_int() | 1;
        size_t i;

        for (i = 0; passes[i]; i++)
            prog.total += (unsigned long long)sb.st_size;
        for (i = 0; passes[i]; i++) {
            if (storageDirWipePass(fd, path, (unsigned long long)sb.st_size, passes[i],
                                   i ? passes[i - 1] : NULL, &rng, &prog) < 0)
                goto cleanup;
        }
        ret = 0;
    }

 cleanup:
    VIR_FORCE_CLOSE(fd);
    return ret;
}

int
storageDirVolResize(const char *path, unsigned long long capacity, bool allocate)
{
    int fd;

    virNoIOCheck("resizing a volume");
    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0) {
        virReportUtilError(errno, "Unable to open '%s'", path);
        return -1;
    }
    if (allocate && capacity > 0 && fallocate(fd, 0, 0, (off_t)capacity) < 0) {
        struct stat sb;

        /* no fallocate on this file system: write zeros past the end */
        if ((errno != EOPNOTSUPP && errno != ENOSYS) || fstat(fd, &sb) < 0 ||
            storageDirWriteZeros(fd, (unsigned long long)sb.st_size, capacity, NULL) < 0) {
            virReportUtilError(errno, "Failed to pre-allocate space for file '%s'", path);
            VIR_FORCE_CLOSE(fd);
            return -1;
        }
    }
    if (ftruncate(fd, (off_t)capacity) < 0) {
        virReportUtilError(errno, "Failed to truncate file '%s'", path);
        VIR_FORCE_CLOSE(fd);
        return -1;
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        virReportUtilError(errno, "Unable to save '%s'", path);
        VIR_FORCE_CLOSE(fd);
        return -1;
    }
    return 0;
}
