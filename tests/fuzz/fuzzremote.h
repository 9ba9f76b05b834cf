/*
 * fuzzremote.h: the remote program's real handlers (daemon/remote*.c and
 * the generated remote_protocol_server.c) for the fuzz harness's "real"
 * mode (fuzz-program.c, harness remote-real), on the test driver alone,
 * confined so that no input reaches a file or a helper (fuzzremote.c).
 */
#pragma once

#include "fuzzpeer.h"

/* A server as virtnetd builds it (remoteServerProgramNew,
 * remoteClientInitHook); the first call registers the confined test
 * driver, the only driver of the process. */
virNetServer *fuzzRemoteServer(const virNetServerConfig *cfg, virEventLoop *loop,
                               void *opaque);

/* After each input: the test driver must hold no state any more (its
 * last connection closed), so the next input starts afresh; aborts. */
void fuzzRemoteCheck(void);

/* Append CONNECT_OPEN test:///default to stream, and calls without
 * arguments until rest more bytes make the input a read-write client's,
 * calls in lockstep (fuzzpeer.c): what the generated seeds of remote-real
 * start with. */
void fuzzRemotePrologue(GByteArray *stream, size_t rest);

/* Write the seeds of remote-real into dir (streams of real calls on the
 * default node's objects, each after CONNECT_OPEN); -1 on error. */
int fuzzRemoteWriteSeeds(const char *dir);
