/*
 * remote.h: the daemon's side of libvirt's remote program: per-client
 * state (the driver connection and event registrations) and the dispatch
 * handlers declared in the generated remote_protocol_server.h.
 */
#pragma once

#include "virnetserver.h"
#include "virnetsaslcontext.h"
#include "remote_protocol_server.h"

/* Register the hypervisor drivers (test, ...). */
void remoteDriversRegister(void);
void remoteDriversShutdown(void);

/* The remote program with the daemon's policies set. */
virNetServerProgram *remoteProgramNew(void);

/* Client init hook for virNetServerSetClientInitHook; opaque is the remote
 * program (used to send events). */
int remoteClientInitHook(virNetServer *srv, virNetServerClient *client, void *opaque);

/* The SASL server context used by AUTH_SASL_* (a reference is taken; NULL
 * drops it). Set at start-up, before the services accept clients, when
 * one of them has auth "sasl". Without one, SASL calls fail as
 * "authentication failed". */
void remoteSetSASLContext(virNetSASLContext *ctxt);
