/*
 * demoserver.c: handlers of the demo program.
 *
 * Handlers run where the generated table puts them (inline on the loop
 * thread, or on a worker); they share no state but an atomic call counter.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "demoserver.h"
#include "virlog.h"
#include "virutil.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("demo.server");

static uint64_t demoCalls;

unsigned long long
demoServerCalls(void)
{
    return __atomic_load_n(&demoCalls, __ATOMIC_RELAXED);
}

static void
demoCount(void)
{
    __atomic_add_fetch(&demoCalls, 1, __ATOMIC_RELAXED);
}


int
demoDispatchNull(virNetServerCall *call G_GNUC_UNUSED)
{
    demoCount();
    return 0;
}


int
demoDispatchEcho(virNetServerCall *call G_GNUC_UNUSED, demo_echo_args *args, demo_echo_ret *ret)
{
    demoCount();
    ret->text = strdup(args->text);
    return 0;
}


int
demoDispatchAdd(virNetServerCall *call G_GNUC_UNUSED, demo_add_args *args, demo_add_ret *ret)
{
    demoCount();
    ret->sum = (int64_t)args->a + (int64_t)args->b;
    return 0;
}


int
demoDispatchSleep(virNetServerCall *call G_GNUC_UNUSED, demo_sleep_args *args)
{
    demoCount();
    if (args->ms > 60000) {
        virReportError(VIR_ERR_INVALID_ARG, "sleep of %u ms is longer than a minute", args->ms);
        return -1;
    }
    g_usleep((gulong)args->ms * 1000);
    return 0;
}


int
demoDispatchPrioNull(virNetServerCall *call G_GNUC_UNUSED)
{
    demoCount();
    return 0;
}


int
demoDispatchBlob(virNetServerCall *call G_GNUC_UNUSED, demo_blob_args *args, demo_blob_ret *ret)
{
    uint32_t a = 1, b = 0;   /* Adler-32 */

    demoCount();
    for (u_int i = 0; i < args->data.data_len; i++) {
        a = (a + (unsigned char)args->data.data_val[i]) % 65521;
        b = (b + a) % 65521;
    }
    ret->length = args->data.data_len;
    ret->checksum = (b << 16) | a;
    return 0;
}


int
demoDispatchFail(virNetServerCall *call G_GNUC_UNUSED, demo_fail_args *args)
{
    demoCount();
    virErrorReportFull(VIR_FROM_RPC, args->code, __FILE__, __func__, __LINE__,
                       "%s", args->message);
    return -1;
}


int
demoDispatchCounter(virNetServerCall *call, demo_counter_ret *ret)
{
    demoCount();
    ret->calls = demoServerCalls();
    ret->workers = virNetServerGetCurrentWorkers(call->server);
    return 0;
}


int
demoDispatchEmit(virNetServerCall *call, demo_emit_args *args)
{
    demoCount();
    for (unsigned int i = 0; i < args->count; i++) {
        g_autofree char *text = g_strdup_printf("tick %u", i);
        demo_tick_msg tick = { .seq = i, .text = text };
        if (demoSendTick(call->prog, call->client, &tick) < 0)
            return -1;
    }
    /* Runs inline on the loop thread: the reply is queued before the
     * loop can act on the close, so reply and events all go out first. */
    if (args->close_after)
        virNetServerClientDelayedClose(call->client);
    return 0;
}


int
demoDispatchPassFD(virNetServerCall *call, demo_pass_fd_args *args, demo_pass_fd_ret *ret)
{
    size_t len = strlen(args->text);
    virNetMessage *msg = call->msg;
    size_t nin = msg->nfds;
    int pipefd[2];

    demoCount();
    for (size_t i = 0; i < nin; i++) {
        if (write(msg->fds[i], args->text, len) != (ssize_t)len) {
            virReportSystemError(errno, "cannot write to passed fd %zu", i);
            return -1;
        }
    }
    ret->received = nin;

    /* Hand one fd back: a pipe holding the text. */
    if (pipe(pipefd) < 0) {
        virReportSystemError(errno, "%s", "cannot create pipe");
        return -1;
    }
    if (write(pipefd[1], args->text, len) != (ssize_t)len ||
        virNetMessageAddFD(msg, pipefd[0]) < 0) {
        if (virGetLastErrorCode() == VIR_ERR_OK)
            virReportSystemError(errno, "%s", "cannot fill pipe");
        close(pipefd[0]);
        close(pipefd[1]);
        return -1;
    }
    close(pipefd[0]);
    close(pipefd[1]);
    return 0;
}


virNetServer *
demoServerNew(const virNetServerConfig *cfg, virEventLoop *loop,
              virNetServerProgram **progret)
{
    virNetServer *srv = virNetServerNew("demo", cfg, loop);
    virNetServerProgram *prog;

    if (!srv)
        return NULL;
    prog = demoServerProgramNew();
    if (virNetServerAddProgram(srv, prog) < 0) {
        virNetServerProgramUnref(prog);
        virNetServerUnref(srv);
        return NULL;
    }
    /* The server keeps its own reference. */
    virNetServerProgramUnref(prog);
    if (progret)
        *progret = prog;
    return srv;
}
