/*
 * testutils.h: minimal test harness. A test program runs named cases with
 * virTestRun(); each prints "ok"/"FAIL" and main returns the overall status
 * (0 pass, 1 fail, 77 skip) for automake's harness.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define VIR_TEST_SKIP 77

extern int virTestFailures;

/* Run one case; body returns 0 pass, -1 fail, VIR_TEST_SKIP skip. */
int virTestRun(const char *name, int (*body)(const void *data), const void *data);
/* Final status for main(). */
int virTestResult(void);
bool virTestVerbose(void);

#define VIR_TEST_FAIL(...) \
    do { fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__); \
         fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); return -1; } while (0)

#define VIR_TEST_ASSERT(cond) \
    do { if (!(cond)) VIR_TEST_FAIL("assertion failed: %s", #cond); } while (0)

#define VIR_TEST_ASSERT_INT(actual, expected) \
    do { long long a_ = (long long)(actual), e_ = (long long)(expected); \
         if (a_ != e_) VIR_TEST_FAIL("%s == %lld, expected %lld", #actual, a_, e_); } while (0)

#define VIR_TEST_ASSERT_STR(actual, expected) \
    do { const char *a_ = (actual), *e_ = (expected); \
         if (!a_ || !e_ || strcmp(a_, e_) != 0) \
             VIR_TEST_FAIL("%s == \"%s\", expected \"%s\"", #actual, a_ ? a_ : "(null)", e_ ? e_ : "(null)"); } while (0)

/* Compare bytes; on mismatch prints both as hex from the first difference. */
int virTestCompareBytes(const char *what, const void *actual, size_t alen,
                        const void *expected, size_t elen);

/* A fresh temporary directory for this test (removed at exit unless
 * VIRTNET_TEST_KEEP is set). */
const char *virTestTempDir(void);

/* Whether this process may make the namespaces of unshare(2) flags (root,
 * and a kernel that lets a child unshare them); false with the reason in
 * *why (what names the namespaces, e.g. "PID/mount/UTS/IPC"). */
bool virTestCanUnshare(int flags, const char *what, char **why);
