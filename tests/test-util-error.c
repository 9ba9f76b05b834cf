/*
 * test-util-error.c: per-thread errors, message prefixes, preserve/restore.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "testutils.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

typedef struct {
    int code;
    const char *expected;
} PrefixCase;

static const PrefixCase prefixCases[] = {
    { VIR_ERR_INTERNAL_ERROR, "internal error: detail" },
    { VIR_ERR_NO_DOMAIN, "Domain not found: detail" },
    { VIR_ERR_NO_SUPPORT, "this function is not supported by the connection driver: detail" },
    { VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: detail" },
    { VIR_ERR_INVALID_ARG, "invalid argument: detail" },
    { VIR_ERR_OPERATION_DENIED, "operation forbidden: detail" },
    { VIR_ERR_AUTH_FAILED, "authentication failed: detail" },
    { VIR_ERR_XML_ERROR, "XML error: detail" },
    { VIR_ERR_OPERATION_FAILED, "operation failed: detail" },
    { VIR_ERR_CONF_SYNTAX, "configuration file syntax error: detail" },
    { VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: detail" },
    { VIR_ERR_OPERATION_TIMEOUT, "Timed out during operation: detail" },
    { VIR_ERR_OPERATION_UNSUPPORTED, "Operation not supported: detail" },
    { VIR_ERR_DOM_EXIST, "domain detail exists already" },
    { VIR_ERR_OS_TYPE, "unknown OS type detail" },
    { VIR_ERR_RPC, "detail" },
    { VIR_ERR_XML_DETAIL, "detail" },
    { VIR_ERR_NO_CLIENT, "Client not found: detail" },
};

/* Codes travel on the wire: libvirt 9.0's numbers (virterror.h). */
static int
testWireCodes(const void *data G_GNUC_UNUSED)
{
    static const struct { int code; int libvirt; } codes[] = {
        { VIR_ERR_INVALID_ARG, 8 }, { VIR_ERR_RPC, 39 }, { VIR_ERR_OPERATION_INVALID, 55 },
        { VIR_ERR_OPERATION_UNSUPPORTED, 84 }, { VIR_ERR_AUTH_UNAVAILABLE, 94 },
        { VIR_ERR_NO_SERVER, 95 }, { VIR_ERR_NO_CLIENT, 96 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(codes); i++) {
        if (codes[i].code != codes[i].libvirt) {
            fprintf(stderr, "code %d, libvirt's is %d\n", codes[i].code, codes[i].libvirt);
            return -1;
        }
    }
    return 0;
}

static int
testPrefixes(const void *data)
{
    for (size_t i = 0; i < G_N_ELEMENTS(prefixCases); i++) {
        virError *err;

        virReportError(prefixCases[i].code, "%s", "detail");
        err = virGetLastError();
        VIR_TEST_ASSERT(err != NULL);
        VIR_TEST_ASSERT_INT(err->code, prefixCases[i].code);
        VIR_TEST_ASSERT_INT(err->domain, VIR_FROM_TEST);
        VIR_TEST_ASSERT_INT(err->level, VIR_ERR_ERROR);
        VIR_TEST_ASSERT_STR(err->message, prefixCases[i].expected);
        VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), prefixCases[i].expected);
        VIR_TEST_ASSERT_INT(virGetLastErrorCode(), prefixCases[i].code);
    }
    VIR_TEST_ASSERT_STR(virErrorCodeName(VIR_ERR_INTERNAL_ERROR), "internal error");
    VIR_TEST_ASSERT_STR(virErrorCodeName(VIR_ERR_NO_DOMAIN), "Domain not found");
    VIR_TEST_ASSERT_STR(virErrorCodeName(VIR_ERR_RPC), "RPC error");
    virResetLastError();
    return 0;
}

static int
testReplaceAndReset(const void *data)
{
    int saved;

    virReportError(VIR_ERR_INTERNAL_ERROR, "first %d", 1);
    virReportError(VIR_ERR_INVALID_ARG, "second %d", 2);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "invalid argument: second 2");

    errno = EBADF;
    virReportError(VIR_ERR_INTERNAL_ERROR, "keeps errno");
    saved = errno;
    VIR_TEST_ASSERT_INT(saved, EBADF);

    virResetLastError();
    VIR_TEST_ASSERT(virGetLastError() == NULL);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_OK);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "unknown error");
    return 0;
}

static int
testSystemError(const void *data)
{
    g_autofree char *expected = g_strdup_printf("cannot open 'x.conf': %s",
                                                g_strerror(ENOENT));
    virError *err;

    virReportSystemError(ENOENT, "cannot open '%s'", "x.conf");
    err = virGetLastError();
    VIR_TEST_ASSERT(err != NULL);
    VIR_TEST_ASSERT_INT(err->code, VIR_ERR_SYSTEM_ERROR);
    VIR_TEST_ASSERT_INT(err->domain, VIR_FROM_TEST);
    VIR_TEST_ASSERT_STR(err->message, expected);
    virResetLastError();
    return 0;
}

static int
testPreserveRestore(const void *data)
{
    virError *saved;

    virReportError(VIR_ERR_NO_DOMAIN, "the cause");
    saved = virErrorPreserveLast();
    VIR_TEST_ASSERT(saved != NULL);
    VIR_TEST_ASSERT(saved != virGetLastError());

    /* Cleanup reports an error of its own. */
    virReportError(VIR_ERR_INTERNAL_ERROR, "cleanup failed");
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "internal error: cleanup failed");

    virErrorRestore(&saved);
    VIR_TEST_ASSERT(saved == NULL);
    VIR_TEST_ASSERT_INT(virGetLastErrorCode(), VIR_ERR_NO_DOMAIN);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "Domain not found: the cause");

    /* Nothing to preserve: restoring leaves the later error alone. */
    virResetLastError();
    saved = virErrorPreserveLast();
    VIR_TEST_ASSERT(saved == NULL);
    virReportError(VIR_ERR_INTERNAL_ERROR, "later");
    virErrorRestore(&saved);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "internal error: later");
    virResetLastError();
    return 0;
}

typedef struct {
    GMutex lock;
    GCond cond;
    int step;
    bool sawMainError;
    char *ownMessage;
} ThreadData;

static gpointer
testThreadMain(gpointer opaque)
{
    ThreadData *td = opaque;

    /* The main thread has an error set: not visible here. */
    g_mutex_lock(&td->lock);
    td->sawMainError = virGetLastError() != NULL;
    virReportError(VIR_ERR_OPERATION_FAILED, "in thread");
    td->ownMessage = g_strdup(virGetLastErrorMessage());
    td->step = 1;
    g_cond_broadcast(&td->cond);
    while (td->step != 2)
        g_cond_wait(&td->cond, &td->lock);
    g_mutex_unlock(&td->lock);
    /* Exits with an error set: the thread's destructor must free it. */
    return NULL;
}

static int
testPerThread(const void *data)
{
    ThreadData td = { 0 };
    GThread *th;
    int ret = 0;

    g_mutex_init(&td.lock);
    g_cond_init(&td.cond);
    virReportError(VIR_ERR_INTERNAL_ERROR, "in main");

    th = g_thread_new("err-test", testThreadMain, &td);
    g_mutex_lock(&td.lock);
    while (td.step != 1)
        g_cond_wait(&td.cond, &td.lock);
    /* The thread's error is not visible here either. */
    if (virGetLastErrorCode() != VIR_ERR_INTERNAL_ERROR ||
        g_strcmp0(virGetLastErrorMessage(), "internal error: in main") != 0)
        ret = -1;
    td.step = 2;
    g_cond_broadcast(&td.cond);
    g_mutex_unlock(&td.lock);
    g_thread_join(th);

    VIR_TEST_ASSERT_INT(ret, 0);
    VIR_TEST_ASSERT(!td.sawMainError);
    VIR_TEST_ASSERT_STR(td.ownMessage, "operation failed: in thread");
    g_free(td.ownMessage);
    g_mutex_clear(&td.lock);
    g_cond_clear(&td.cond);
    virResetLastError();
    return 0;
}

static int
testSetFromStruct(const void *data)
{
    char message[] = "Domain not found: from the wire";
    char s1[] = "one";
    virError src = {
        .code = VIR_ERR_NO_DOMAIN,
        .domain = VIR_FROM_REMOTE,
        .message = message,
        .level = VIR_ERR_ERROR,
        .str1 = s1,
        .str2 = NULL,
        .str3 = NULL,
        .int1 = 7,
        .int2 = -3,
    };
    virError *err;
    virError copy = { 0 };

    virErrorSetLast(&src);
    err = virGetLastError();
    VIR_TEST_ASSERT(err != NULL);
    VIR_TEST_ASSERT(err->message != message);
    VIR_TEST_ASSERT(err->str1 != s1);
    /* The stored strings are copies: changing the source changes nothing. */
    message[0] = 'X';
    s1[0] = 'X';
    VIR_TEST_ASSERT_STR(err->message, "Domain not found: from the wire");
    VIR_TEST_ASSERT_STR(err->str1, "one");
    VIR_TEST_ASSERT(err->str2 == NULL);
    VIR_TEST_ASSERT_INT(err->code, VIR_ERR_NO_DOMAIN);
    VIR_TEST_ASSERT_INT(err->domain, VIR_FROM_REMOTE);
    VIR_TEST_ASSERT_INT(err->int1, 7);
    VIR_TEST_ASSERT_INT(err->int2, -3);

    virErrorCopy(&copy, err);
    VIR_TEST_ASSERT(copy.message != err->message);
    VIR_TEST_ASSERT_STR(copy.message, err->message);
    virErrorClear(&copy);
    VIR_TEST_ASSERT(copy.message == NULL);
    VIR_TEST_ASSERT_INT(copy.code, 0);

    /* Setting an "OK" error clears. */
    src.code = VIR_ERR_OK;
    virErrorSetLast(&src);
    VIR_TEST_ASSERT(virGetLastError() == NULL);
    return 0;
}

int
main(void)
{
    virTestRun("error codes are libvirt's numbers", testWireCodes, NULL);
    virTestRun("message prefixes per code", testPrefixes, NULL);
    virTestRun("a new report replaces, reset clears", testReplaceAndReset, NULL);
    virTestRun("system error text", testSystemError, NULL);
    virTestRun("preserve and restore", testPreserveRestore, NULL);
    virTestRun("errors are per thread", testPerThread, NULL);
    virTestRun("set from struct copies strings", testSetFromStruct, NULL);
    return virTestResult();
}
