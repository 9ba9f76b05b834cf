/*
 * admin.h: the daemon as the admin program's driver. virt-admin's calls
 * (protocol/admin_protocol.x) arrive as these functions, one per
 * procedure, named as libvirt-admin's API (virAdmServerListClients); the
 * generated dispatch handlers call them (admin_protocol_server.c), the
 * hand-written ones are in admindispatch.c.
 *
 * A virAdmDaemon is the "connection" every call gets: the servers the
 * daemon runs, by name (libvirtd's names: "libvirtd" and "admin", so
 * virt-admin's defaults work), and the daemon-wide settings the program
 * changes (logging here; the idle timeout through a hook of virtnetd).
 * Servers and clients travel as value handles (virAdmServerRef,
 * virAdmClientRef: the wire's admin_server / admin_client), looked up by
 * name and per-server ID on every call.
 *
 * Errors are libvirt's: an unknown server is VIR_ERR_NO_SERVER "No server
 * named 'X'", an unknown client VIR_ERR_NO_CLIENT, a flag VIR_ERR_INVALID_ARG.
 */
#pragma once

#include <stdbool.h>

#include "virnetserver.h"
#include "virtypedparams.h"

typedef struct _virAdmDaemon virAdmDaemon;

/* A server, by name. */
typedef struct _virAdmServerRef virAdmServerRef;
struct _virAdmServerRef {
    char *name;
};

/* A client of a server: per-server ID, connection time (seconds since the
 * epoch), transport (virNetServerClientTransport). */
typedef struct _virAdmClientRef virAdmClientRef;
struct _virAdmClientRef {
    virAdmServerRef srv;
    unsigned long long id;
    long long timestamp;
    unsigned int transport;
};

void virAdmServerRefFree(virAdmServerRef *ref);
void virAdmServerRefListFree(virAdmServerRef **list);
void virAdmClientRefFree(virAdmClientRef *ref);
void virAdmClientRefListFree(virAdmClientRef **list);

/* What the daemon does for calls that reach beyond its servers. */
typedef struct {
    /* Exit after timeout seconds without clients (0: never). */
    int (*setTimeout)(unsigned int timeout, void *opaque);
} virAdmDaemonHooks;

/* hooks must outlive the daemon object. */
virAdmDaemon *virAdmDaemonNew(const virAdmDaemonHooks *hooks, void *opaque);
void virAdmDaemonFree(virAdmDaemon *dmn);
/* Manage srv under its name (a reference is taken); before clients come. */
void virAdmDaemonAddServer(virAdmDaemon *dmn, virNetServer *srv);
/* The server called name, with a reference; NULL with VIR_ERR_NO_SERVER. */
virNetServer *virAdmDaemonGetServer(virAdmDaemon *dmn, const char *name);

/* ---- the admin program's API (admin_protocol.x) ---- */

int virAdmConnectGetLibVersion(virAdmDaemon *dmn, unsigned long long *libVer);
/* NULL-terminated, in the order the servers were added; the count. */
int virAdmConnectListServers(virAdmDaemon *dmn, virAdmServerRef ***servers,
                             unsigned int flags);
virAdmServerRef *virAdmConnectLookupServer(virAdmDaemon *dmn, const char *name,
                                           unsigned int flags);

/* minWorkers, maxWorkers, nWorkers, freeWorkers, prioWorkers, jobQueueDepth */
int virAdmServerGetThreadpoolParameters(virAdmDaemon *dmn, const virAdmServerRef *srv,
                                        virTypedParameter **params, int *nparams,
                                        unsigned int flags);
/* Any of minWorkers, maxWorkers, prioWorkers (UINT), applied at once. */
int virAdmServerSetThreadpoolParameters(virAdmDaemon *dmn, const virAdmServerRef *srv,
                                        virTypedParameter *params, int nparams,
                                        unsigned int flags);

/* NULL-terminated, by ID; the count. */
int virAdmServerListClients(virAdmDaemon *dmn, const virAdmServerRef *srv,
                            virAdmClientRef ***clients, unsigned int flags);
virAdmClientRef *virAdmServerLookupClient(virAdmDaemon *dmn, const virAdmServerRef *srv,
                                          unsigned long long id, unsigned int flags);
/* readonly, then what identifies the peer (libvirt's names and order). */
int virAdmClientGetInfo(virAdmDaemon *dmn, const virAdmClientRef *clnt,
                        virTypedParameter **params, int *nparams, unsigned int flags);
/* Close the connection now; its calls in flight finish unanswered. */
int virAdmClientClose(virAdmDaemon *dmn, const virAdmClientRef *clnt, unsigned int flags);

/* nclients_max, nclients, nclients_unauth_max, nclients_unauth */
int virAdmServerGetClientLimits(virAdmDaemon *dmn, const virAdmServerRef *srv,
                                virTypedParameter **params, int *nparams,
                                unsigned int flags);
/* Any of nclients_max, nclients_unauth_max (UINT). */
int virAdmServerSetClientLimits(virAdmDaemon *dmn, const virAdmServerRef *srv,
                                virTypedParameter *params, int nparams,
                                unsigned int flags);
int virAdmServerUpdateTLSFiles(virAdmDaemon *dmn, const virAdmServerRef *srv,
                               unsigned int flags);

/* The outputs as log_outputs writes them; the count. */
int virAdmConnectGetLoggingOutputs(virAdmDaemon *dmn, char **outputs, unsigned int flags);
/* The filters as libvirtd prints them ("1:*rpc* 3:*util* "), NULL when
 * there are none; the count. */
int virAdmConnectGetLoggingFilters(virAdmDaemon *dmn, char **filters, unsigned int flags);
/* NULL or "": the defaults. A bad entry: an error, nothing changes. */
int virAdmConnectSetLoggingOutputs(virAdmDaemon *dmn, const char *outputs,
                                   unsigned int flags);
int virAdmConnectSetLoggingFilters(virAdmDaemon *dmn, const char *filters,
                                   unsigned int flags);
int virAdmConnectSetDaemonTimeout(virAdmDaemon *dmn, unsigned int timeout,
                                  unsigned int flags);
