/*
 * admindispatch.h: the daemon's side of libvirt's admin program. The
 * generated admin_protocol_server.c holds the dispatch table and the
 * handlers the generator writes (calls of the API in admin.h); the
 * hand-written ones and the hooks they need are in admindispatch.c.
 */
#pragma once

#include "virnetserver.h"
#include "admin_protocol_server.h"

/* Client init hook of the admin server (virNetServerSetClientInitHook);
 * opaque is the virAdmDaemon. Refuses a peer that is not the daemon's
 * own user, as libvirtd does. */
int adminClientInitHook(virNetServer *srv, virNetServerClient *client, void *opaque);
