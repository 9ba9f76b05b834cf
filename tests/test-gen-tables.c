/*
 * test-gen-tables.c: the tables generated from protocol/demo_protocol.x.
 *
 * Checks the server dispatch table (order, flags, exec class, handlers,
 * sizes and filters), the procedure name table, the typed wrappers (they
 * pass args / ret through to the hand-written handler) and the client event
 * table with its handler-struct wrapper.
 *
 * The handlers named by the table are written by hand in the demo server;
 * here they are tiny stubs that record their call.
 */
#include <stdlib.h>
#include <glib.h>

#include "testutils.h"
#include "demo_protocol_server.h"
#include "demo_protocol_client.h"
#include "demo_protocol_names.h"

/* xdr_void as an xdrproc_t, as the generated code spells it. */
#define XDR_VOID ((xdrproc_t)(void (*)(void))xdr_void)

/* ---- handler stubs: record which one ran and what it got */

static const char *lastHandler;
static void *lastArgs;
static void *lastRet;

#define RECORD(name, a, r) \
    do { lastHandler = (name); lastArgs = (a); lastRet = (r); } while (0)

int demoDispatchNull(virNetServerCall *call)
{ RECORD("Null", NULL, NULL); return 0; }
int demoDispatchEcho(virNetServerCall *call,
                     demo_echo_args *args, demo_echo_ret *ret)
{ RECORD("Echo", args, ret); return 0; }
int demoDispatchAdd(virNetServerCall *call,
                     demo_add_args *args, demo_add_ret *ret)
{ RECORD("Add", args, ret); return 0; }
int demoDispatchSleep(virNetServerCall *call,
                     demo_sleep_args *args)
{ RECORD("Sleep", args, NULL); return 0; }
int demoDispatchPrioNull(virNetServerCall *call)
{ RECORD("PrioNull", NULL, NULL); return 0; }
int demoDispatchBlob(virNetServerCall *call,
                     demo_blob_args *args, demo_blob_ret *ret)
{ RECORD("Blob", args, ret); return 0; }
int demoDispatchFail(virNetServerCall *call,
                     demo_fail_args *args)
{ RECORD("Fail", args, NULL); return -1; }
int demoDispatchCounter(virNetServerCall *call,
                     demo_counter_ret *ret)
{ RECORD("Counter", NULL, ret); return 0; }
int demoDispatchEmit(virNetServerCall *call,
                     demo_emit_args *args)
{ RECORD("Emit", args, NULL); return 0; }
int demoDispatchPassFD(virNetServerCall *call,
                     demo_pass_fd_args *args, demo_pass_fd_ret *ret)
{ RECORD("PassFd", args, ret); return 0; }

/* ---- what the table must say, written out from demo_protocol.x */

typedef struct {
    int proc;
    const char *name;
    const char *handler;   /* NULL: no handler in the table */
    size_t arg_size;
    xdrproc_t arg_filter;
    size_t ret_size;
    xdrproc_t ret_filter;
    unsigned int flags;
    virNetServerExecClass exec;
} expectedProc;

#define F(t) (xdrproc_t)xdr_##t

static const expectedProc expected[] = {
    { DEMO_PROC_NULL, "DEMO_PROC_NULL", "Null", 0, XDR_VOID, 0, XDR_VOID,
      VIR_NET_PROC_READONLY | VIR_NET_PROC_NOAUTH, VIR_NET_EXEC_INLINE },
    { DEMO_PROC_ECHO, "DEMO_PROC_ECHO", "Echo",
      sizeof(demo_echo_args), F(demo_echo_args),
      sizeof(demo_echo_ret), F(demo_echo_ret),
      VIR_NET_PROC_READONLY, VIR_NET_EXEC_INLINE },
    { DEMO_PROC_ADD, "DEMO_PROC_ADD", "Add",
      sizeof(demo_add_args), F(demo_add_args),
      sizeof(demo_add_ret), F(demo_add_ret),
      VIR_NET_PROC_READONLY, VIR_NET_EXEC_WORKER },
    { DEMO_PROC_SLEEP, "DEMO_PROC_SLEEP", "Sleep",
      sizeof(demo_sleep_args), F(demo_sleep_args), 0, XDR_VOID,
      0, VIR_NET_EXEC_WORKER },
    { DEMO_PROC_PRIO_NULL, "DEMO_PROC_PRIO_NULL", "PrioNull",
      0, XDR_VOID, 0, XDR_VOID,
      VIR_NET_PROC_READONLY | VIR_NET_PROC_PRIORITY, VIR_NET_EXEC_PRIO },
    { DEMO_PROC_BLOB, "DEMO_PROC_BLOB", "Blob",
      sizeof(demo_blob_args), F(demo_blob_args),
      sizeof(demo_blob_ret), F(demo_blob_ret),
      0, VIR_NET_EXEC_WORKER },
    { DEMO_PROC_FAIL, "DEMO_PROC_FAIL", "Fail",
      sizeof(demo_fail_args), F(demo_fail_args), 0, XDR_VOID,
      0, VIR_NET_EXEC_INLINE },
    { DEMO_PROC_COUNTER, "DEMO_PROC_COUNTER", "Counter",
      0, XDR_VOID, sizeof(demo_counter_ret), F(demo_counter_ret),
      VIR_NET_PROC_READONLY, VIR_NET_EXEC_INLINE },
    { DEMO_PROC_EMIT, "DEMO_PROC_EMIT", "Emit",
      sizeof(demo_emit_args), F(demo_emit_args), 0, XDR_VOID,
      0, VIR_NET_EXEC_INLINE },
    { DEMO_PROC_TICK, "DEMO_PROC_TICK", NULL, 0, XDR_VOID, 0, XDR_VOID,
      VIR_NET_PROC_EVENT, VIR_NET_EXEC_WORKER },
    { DEMO_PROC_RESERVED, "DEMO_PROC_RESERVED", NULL, 0, XDR_VOID, 0, XDR_VOID,
      0, VIR_NET_EXEC_WORKER },
    { DEMO_PROC_PASS_FD, "DEMO_PROC_PASS_FD", "PassFd",
      sizeof(demo_pass_fd_args), F(demo_pass_fd_args),
      sizeof(demo_pass_fd_ret), F(demo_pass_fd_ret),
      0, VIR_NET_EXEC_WORKER },
};

#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

/* ---- server table */

static int
testCount(const void *data)
{
    VIR_TEST_ASSERT_INT(demoNProcs, 12);
    VIR_TEST_ASSERT_INT(demoNProcs, N_EXPECTED);
    return 0;
}

static int
testSorted(const void *data)
{
    size_t i;

    for (i = 1; i < demoNProcs; i++) {
        if (demoProcs[i - 1].proc >= demoProcs[i].proc)
            VIR_TEST_FAIL("entry %zu (%d) not after entry %zu (%d)",
                          i, demoProcs[i].proc, i - 1, demoProcs[i - 1].proc);
    }
    return 0;
}

static int
testEntry(const void *data)
{
    const expectedProc *e = data;
    const virNetServerProgramProc *p = NULL;
    size_t i;
    char fake_args[64], fake_ret[64];
    int want_rc;

    for (i = 0; i < demoNProcs; i++) {
        if (demoProcs[i].proc == e->proc)
            p = &demoProcs[i];
    }
    if (!p)
        VIR_TEST_FAIL("%s missing from demoProcs", e->name);

    VIR_TEST_ASSERT_STR(p->name, e->name);
    VIR_TEST_ASSERT_INT(p->flags, e->flags);
    VIR_TEST_ASSERT_INT(p->exec, e->exec);
    VIR_TEST_ASSERT_INT(p->arg_size, e->arg_size);
    VIR_TEST_ASSERT_INT(p->ret_size, e->ret_size);
    VIR_TEST_ASSERT(p->arg_filter == e->arg_filter);
    VIR_TEST_ASSERT(p->ret_filter == e->ret_filter);

    if (!e->handler) {
        VIR_TEST_ASSERT(p->func == NULL);
        return 0;
    }
    VIR_TEST_ASSERT(p->func != NULL);

    /* The wrapper must reach the right typed handler with args / ret
     * passed through (and NULL for the void side). */
    lastHandler = NULL;
    lastArgs = lastRet = NULL;
    want_rc = e->proc == DEMO_PROC_FAIL ? -1 : 0;
    VIR_TEST_ASSERT_INT(p->func(NULL, fake_args, fake_ret), want_rc);
    VIR_TEST_ASSERT_STR(lastHandler, e->handler);
    VIR_TEST_ASSERT(lastArgs == (e->arg_size ? (void *)fake_args : NULL));
    VIR_TEST_ASSERT(lastRet == (e->ret_size ? (void *)fake_ret : NULL));
    return 0;
}

/* ---- names */

static int
testNames(const void *data)
{
    size_t i;

    for (i = 0; i < N_EXPECTED; i++)
        VIR_TEST_ASSERT_STR(demoProcedureName(expected[i].proc), expected[i].name);
    VIR_TEST_ASSERT(demoProcedureName(0) == NULL);
    VIR_TEST_ASSERT(demoProcedureName(13) == NULL);
    VIR_TEST_ASSERT(demoProcedureName(-1) == NULL);
    return 0;
}

/* ---- client event table */

static int tickCalls;
static unsigned int tickSeq;
static void *tickOpaque;

static void
onTick(virNetClientProgram *prog, virNetClient *client,
       demo_tick_msg *msg, void *opaque)
{
    tickCalls++;
    tickSeq = msg->seq;
    tickOpaque = opaque;
}

static int
testClientEvents(const void *data)
{
    static const demoClientEventHandlers handlers = { .tick = onTick };
    static const demoClientEventHandlers none = { .tick = NULL };
    virNetClientProgram *prog;
    demo_tick_msg msg = { .seq = 42, .text = (char *)"tick" };
    int opaque;

    VIR_TEST_ASSERT_INT(demoClientNEvents, 1);
    VIR_TEST_ASSERT_INT(demoClientEvents[0].proc, DEMO_PROC_TICK);
    VIR_TEST_ASSERT_STR(demoClientEvents[0].name, "DEMO_PROC_TICK");
    VIR_TEST_ASSERT_INT(demoClientEvents[0].msg_len, sizeof(demo_tick_msg));
    VIR_TEST_ASSERT(demoClientEvents[0].msg_filter == (xdrproc_t)xdr_demo_tick_msg);
    VIR_TEST_ASSERT(demoClientEvents[0].func != NULL);

    /* The wrapper fetches the program's handlers and calls .tick. */
    if (!(prog = demoClientProgramNew(&handlers, &opaque)))
        VIR_TEST_FAIL("demoClientProgramNew failed");
    VIR_TEST_ASSERT_INT(virNetClientProgramGetProgram(prog), DEMO_PROGRAM);
    VIR_TEST_ASSERT_INT(virNetClientProgramGetVersion(prog), DEMO_PROTOCOL_VERSION);
    tickCalls = 0;
    demoClientEvents[0].func(prog, NULL, &msg, &opaque);
    virNetClientProgramUnref(prog);
    VIR_TEST_ASSERT_INT(tickCalls, 1);
    VIR_TEST_ASSERT_INT(tickSeq, 42);
    VIR_TEST_ASSERT(tickOpaque == &opaque);

    /* A NULL member: the event is ignored. */
    if (!(prog = demoClientProgramNew(&none, NULL)))
        VIR_TEST_FAIL("demoClientProgramNew failed");
    demoClientEvents[0].func(prog, NULL, &msg, NULL);
    virNetClientProgramUnref(prog);
    VIR_TEST_ASSERT_INT(tickCalls, 1);
    return 0;
}

static int
testServerProgram(const void *data)
{
    virNetServerProgram *prog = demoServerProgramNew();
    const virNetServerProgramProc *p;

    if (!prog)
        VIR_TEST_FAIL("demoServerProgramNew failed");
    VIR_TEST_ASSERT_INT(virNetServerProgramGetID(prog), DEMO_PROGRAM);
    VIR_TEST_ASSERT_INT(virNetServerProgramGetVersion(prog), DEMO_PROTOCOL_VERSION);
    p = virNetServerProgramGetProc(prog, DEMO_PROC_ECHO);
    VIR_TEST_ASSERT(p != NULL);
    VIR_TEST_ASSERT_STR(p ? p->name : NULL, "DEMO_PROC_ECHO");
    VIR_TEST_ASSERT(virNetServerProgramGetProc(prog, 13) == NULL);
    virNetServerProgramUnref(prog);
    return 0;
}

int
main(void)
{
    size_t i;

    virTestRun("demoProcs has 12 entries", testCount, NULL);
    virTestRun("demoProcs is sorted", testSorted, NULL);
    for (i = 0; i < N_EXPECTED; i++) {
        char *name = g_strdup_printf("entry %s", expected[i].name);
        virTestRun(name, testEntry, &expected[i]);
        g_free(name);
    }
    virTestRun("demoProcedureName", testNames, NULL);
    virTestRun("client event table", testClientEvents, NULL);
    virTestRun("demoServerProgramNew", testServerProgram, NULL);
    return virTestResult();
}
