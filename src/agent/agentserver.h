/*
 * agentserver.h: the agent's RPC server: the generated qemu_agent server
 * program (protocol/qemu_agent_protocol.x), its handlers over an
 * agentGuest, and the READY greeting every new client gets.
 *
 * virtnet-agent serves the listening socket the LXC controller passes it;
 * tests and the fuzz harness add connected sockets directly.
 *
 * Threading: handlers run on the server's workers (two) or inline (sync,
 * ping, info); the greeting is sent from the server's ready hook, once the
 * new client's I/O is set up.
 */
#pragma once

#include "agentguest.h"
#include "virevent.h"
#include "virnetsocket.h"

typedef struct _agentServer agentServer;

/* A server on loop answering from guest (borrowed: it must outlive the
 * server). NULL with an error. */
agentServer *agentServerNew(agentGuest *guest, virEventLoop *loop);
void agentServerFree(agentServer *srv);

/* Accept clients on a listening socket (takes the fd). */
int agentServerAddListenFD(agentServer *srv, int fd);
/* Serve one connected socket (takes it). */
int agentServerAddSocket(agentServer *srv, virNetSocket *sock);
int agentServerStart(agentServer *srv);
/* Stop: calls in flight finish (at most timeout_ms), clients are closed. */
void agentServerShutdown(agentServer *srv, int timeout_ms);
