/*
 * virutil.h: small helpers on file descriptors and time.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

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

/* Write the whole buffer to path atomically (temp file, fsync, rename,
 * fsync of the directory). Returns 0 or -1 with an error reported. */
int virFileWriteAtomic(const char *path, const void *data, size_t len, mode_t mode);
