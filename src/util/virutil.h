/*
 * virutil.h: small helpers on file descriptors and time.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Defines Type##ListFree(Type **list): frees a NULL-terminated list of
 * objects with Type##Free, then the list; NULL is fine. */
#define VIR_DEFINE_LIST_FREE(Type) \
    void \
    Type##ListFree(Type **list) \
    { \
        for (size_t i_ = 0; list && list[i_]; i_++) \
            Type##Free(list[i_]); \
        g_free(list); \
    }

int virSetNonBlock(int fd);
int virSetCloseExec(int fd);
/* Close and set to -1, preserving errno; safe on -1. */
void virForceClose(int *fd);
#define VIR_FORCE_CLOSE(fd) virForceClose(&(fd))

/* Comparators for g_array_sort / g_ptr_array_sort (GCompareFunc): an
 * array of ints, an array of C strings. */
int virCompareInt(const void *a, const void *b);
int virCompareString(const void *a, const void *b);

/* Monotonic time in milliseconds / microseconds. */
uint64_t virTimeMonoMs(void);
uint64_t virTimeMonoUs(void);

/* Write the whole buffer to path atomically (temp file DIR/.BASE.XXXXXX,
 * fsync, rename, fsync of the directory). Returns 0 or -1 with an error
 * reported. The rename is the commit: a temp file left by a crash was
 * never acknowledged. */
int virFileWriteAtomic(const char *path, const void *data, size_t len, mode_t mode);
/* Remove the temp files virFileWriteAtomic left in dir (a crash between
 * mkstemp and rename); returns how many, or -1 when dir cannot be read. */
int virFileRemoveAtomicTemps(const char *dir);
/* Read fd to its end (EINTR retried): a NUL-terminated buffer, its
 * length in *len (may be NULL); NULL with errno set (EFBIG beyond max
 * bytes). No error reported. */
char *virFileReadFD(int fd, size_t max, size_t *len);
/* unlink(2); a missing file is not an error. 0, or -1 with errno set. */
int virFileRemove(const char *path);
/* The data of fd at or after pos (SEEK_DATA / SEEK_HOLE): where it starts
 * and ends, both clamped to end; *dataStart == end when only a hole is
 * left. Moves fd's offset. 0, or -1 with errno set (ESPIPE: not a
 * seekable file). */
int virFileDataExtent(int fd, off_t pos, off_t end, off_t *dataStart, off_t *dataEnd);

/* The blocking helpers below and virFileWriteAtomic/virFileRemove check
 * that the caller holds no virNoIOMutex (virnoiolock.h). */
void virSleepMs(unsigned int ms);
/* waitpid(2), retried on EINTR. */
pid_t virProcessWaitPid(pid_t pid, int *status, int options);
