/*
 * remote.h: the daemon's side of libvirt's remote program. The generated
 * remote_protocol_server.c holds the dispatch table and the handlers the
 * generator writes (one per @generate: server / both procedure); the
 * hand-written ones (@generate: none) are remote.c (connection, features,
 * events, close callbacks) and remotesasl.c (SASL authentication).
 *
 * Per client, a remoteClientPrivate holds the driver connection, the SASL
 * exchange in progress, the client's event registrations and whether the
 * client is gone; priv->lock guards them all. Handlers take a reference on
 * the connection (remoteConnGet) and call the driver without the lock.
 */
#pragma once

#include <glib.h>

#include "virnetserver.h"
#include "virnetsaslcontext.h"
#include "remote_protocol_server.h"

typedef struct {
    GMutex lock;
    virNetSASLSession *sasl;    /* a SASL exchange in progress */
    virConnect *conn;
    bool gone;                  /* the client closed: no conn may be set any more */
    virNetServerProgram *prog;
    bool closeCallback;
    GArray *callbackIDs;        /* int: this client's callback registrations */
    GArray *objectCallbackIDs;  /* remoteObjectCallbackID: those of the other kinds */
} remoteClientPrivate;

/* A registration of the other object kinds (remoteobjects.c): libvirtd
 * keeps one list per kind, and so checks a deregistration per kind. */
typedef struct {
    int kind;                   /* index into remoteobjects.c's kinds */
    int callbackID;
} remoteObjectCallbackID;

/* An event relay's target (remote_protocol_server.h's
 * remoteEventRelayTarget reads it): the client and program of one
 * registration. New: callback ID -1 until set; the driver frees it with
 * remoteEventRelayFree once the registration is gone. */
typedef struct _remoteEventRelay remoteEventRelay;
remoteEventRelay *remoteEventRelayNew(virNetServerCall *call, bool legacy);
void remoteEventRelayFree(void *opaque);
void remoteEventRelaySetID(remoteEventRelay *relay, int callbackID);

/* Register the hypervisor drivers (test, lxc). */
void remoteDriversRegister(void);
void remoteDriversShutdown(void);

/* Client init hook for virNetServerSetClientInitHook; opaque is the remote
 * program (used to send events). */
int remoteClientInitHook(virNetServer *srv, virNetServerClient *client, void *opaque);

/* The SASL server context used by AUTH_SASL_* (a reference is taken; NULL
 * drops it). Set at start-up, before the services accept clients, when
 * one of them has auth "sasl". Without one, SASL calls fail as
 * "authentication failed". */
void remoteSetSASLContext(virNetSASLContext *ctxt);

/* Move a NULL-terminated list of n strings the driver allocated into a
 * reply's string array (the list's strings are taken; the caller frees the
 * list itself with g_free, or g_strfreev for what is left). */
void remoteStringsToWire(char **list, int n, remote_str **val, u_int *len);

/* A handler's hold on the client's connection, released on return. */
typedef virConnect remoteConnHold;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(remoteConnHold, remoteConnRelease)

#define REMOTE_CONN(conn) \
    g_autoptr(remoteConnHold) conn = remoteConnGet(call); \
    if (!conn) \
        return -1
