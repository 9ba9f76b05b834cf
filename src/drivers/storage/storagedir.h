/*
 * storagedir.h: the "dir" pool backend's work on disk: a pool is a
 * directory, a volume a file (or a directory) in it. Everything here does
 * file I/O and takes no lock: the storage driver (storagedriver.c) calls
 * it with its lock released, on worker threads.
 *
 * Crash safety: a volume is written under a temporary name in the pool's
 * directory (STORAGE_DIR_TEMP_PREFIX NAME .XXXXXX), synced, then renamed to
 * its name without replacing anything, and the directory synced. A crash
 * leaves at most a temporary file, which was never acknowledged: the pool
 * scan removes them (it only runs while no volume is being written).
 *
 * Errors are reported as libvirt's storage backends report them
 * (VIR_FROM_STORAGE).
 */
#pragma once

#include <stdbool.h>
#include <time.h>
#include <sys/types.h>
#include <glib.h>

/* Names that start with this are the backend's temporary files. */
#define STORAGE_DIR_TEMP_PREFIX ".virtnet-vol-"

/* What a volume's file says about it (libvirt's refreshVol). */
typedef struct {
    int type;                   /* VIR_STORAGE_VOL_FILE or VIR_STORAGE_VOL_DIR */
    const char *format;         /* "raw", "qcow2", "qcow", "dir" (static) */
    unsigned long long capacity;
    unsigned long long allocation;
    unsigned long long physical;
    mode_t mode;                /* permission bits */
    uid_t uid;
    gid_t gid;
    struct timespec atime, mtime, ctime;
} storageDirVolFacts;

/* A pool's directory: sizes of its file system and its own permissions. */
typedef struct {
    unsigned long long capacity;
    unsigned long long allocation;
    unsigned long long available;
    mode_t mode;
    uid_t uid;
    gid_t gid;
} storageDirPoolFacts;

typedef struct {
    char *name;
    storageDirVolFacts st;
} storageDirEntry;

void storageDirEntryFree(storageDirEntry *entry);

/* A name that becomes one file name in a directory (kind: "volume",
 * "pool"): no '/', not "." or "..", no control characters, not the
 * temporary prefix, at most maxLen bytes. 0, or -1 with
 * VIR_ERR_OPERATION_INVALID. Called before any path is built. */
int storageDirNameCheck(const char *kind, const char *name, size_t maxLen);
/* The longest volume name (room for the temporary suffix). */
size_t storageDirVolNameMax(void);

/* ---- pools ---- */

/* Make the directory (parents with 0777 & umask), set mode (-1: 0711 for
 * a new directory, unchanged for an existing one) and owner (-1: keep). */
int storageDirPoolBuild(const char *path, long mode, long uid, long gid);
/* Whether the directory exists (libvirt's checkPool for dir pools). */
bool storageDirPoolExists(const char *path);
/* Scan the directory: its volumes (regular files and directories; names
 * with control characters and our temporary files skipped, the latter
 * removed) in a new array of storageDirEntry, and the pool's sizes. NULL
 * with the error. */
GPtrArray *storageDirPoolScan(const char *path, storageDirPoolFacts *pst);
int storageDirPoolDelete(const char *path);

/* ---- volumes ---- */

/* Stat and probe path: 0, -2 when it is neither a regular file nor a
 * directory (a scan skips it), -1 with the error. */
int storageDirVolStat(const char *path, storageDirVolFacts *st);

/* The progress of a long volume operation: done of total bytes. Return
 * false to stop it (the callback keeps the reason: the operation then
 * fails with VIR_ERR_OPERATION_ABORTED). Called at least every MiB. */
typedef bool (*storageDirProgressFunc)(unsigned long long done, unsigned long long total,
                                       void *opaque);

/* A volume to create (storageDirVolCreate). */
typedef struct {
    bool isDir;                 /* a directory; else a raw file */
    unsigned long long capacity;
    unsigned long long allocation;
    mode_t mode;                /* permission bits */
    long uid, gid;              /* -1: the caller's */
    const char *cloneFrom;      /* a raw file to copy, or NULL */
    unsigned long long cloneCapacity;   /* its first bytes to copy */
    const char *tempPath;       /* the temporary file to create (never an
                                 * existing one); NULL: a new unique name */
    storageDirProgressFunc progress;    /* may be NULL */
    void *opaque;
} storageDirVolSpec;

/* The name of a temporary file for volume name in dir (a random suffix),
 * for storageDirVolSpec.tempPath. */
char *storageDirVolTempPath(const char *dir, const char *name);

/* Create volume name in directory dir (its path: dir/name) through a
 * temporary file: a directory, else a raw file of capacity bytes with
 * allocation bytes allocated, or a copy of the raw file cloneFrom (its
 * first cloneCapacity bytes; zero blocks skipped when the new allocation
 * is smaller than that) extended to capacity. The temporary file is
 * removed on failure. */
int storageDirVolCreate(const char *dir, const char *name, const storageDirVolSpec *spec);
int storageDirVolDelete(const char *path, bool isDir);
/* Overwrite the volume's data with libvirt's algorithm (virStorageVolWipe
 * Algorithm, TRIM excluded: the caller refuses it): zero as libvirt (a
 * sparse file is truncated and extended; else the first allocation bytes
 * within the file), the others as scrub(1)'s pass sequences, which libvirt
 * runs, over the whole file. In place: the point of a wipe is that the
 * blocks holding the data are overwritten (a copy renamed over the volume
 * would leave them on the disk), so a wipe that stops leaves the volume
 * partly wiped, whole in size. progress counts the bytes of every pass. */
int storageDirVolWipe(const char *path, unsigned int algorithm, unsigned long long allocation,
                      storageDirProgressFunc progress, void *opaque);
/* libvirt's virFileResize: allocate (the first capacity bytes) when
 * asked, then set the size. */
int storageDirVolResize(const char *path, unsigned long long capacity, bool allocate);
