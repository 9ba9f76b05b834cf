/*
 * demoserver.h: the demo program's server side (handlers of
 * protocol/demo_protocol.x) and a helper to build a server around it.
 * Used by tools/virtnet-demo-server, the tests and the benchmarks.
 */
#pragma once

#include "virnetserver.h"
#include "demo_protocol_server.h"

/* A server on loop with the demo program registered. *progret (optional)
 * receives the program (borrowed) for sending events. */
virNetServer *demoServerNew(const virNetServerConfig *cfg, virEventLoop *loop,
                            virNetServerProgram **progret);

/* Calls answered by this process (all threads). */
unsigned long long demoServerCalls(void);
