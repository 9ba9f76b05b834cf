/*
 * virnetserver.h: the RPC server: services, clients, programs, workers.
 *
 * Calls arrive from the client I/O on the server's loop thread and run
 * where their procedure's exec class says: inline on that thread, on a
 * priority worker, or on a normal worker. Programs are looked up by number
 * and version in a small array (there are a handful).
 *
 * Locking: the server mutex guards the client list, services and counters.
 * It is never held while calling into a client or a handler.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "virnetserverservice.h"
#include "virnetserverclient.h"
#include "virnetserverprogram.h"
#include "virevent.h"

/* Defaults of the pre-authentication limits: a SASL step carries at most
 * 64 KiB of data, so 256 KiB leaves room for every @noauth call. */
#define VIR_NET_SERVER_PREAUTH_MESSAGE_MAX (256 * 1024)
#define VIR_NET_SERVER_PREAUTH_BUFFER_MAX (1024 * 1024)

typedef struct _virNetServerConfig virNetServerConfig;
struct _virNetServerConfig {
    size_t min_workers;            /* default 5 */
    size_t max_workers;            /* default 20 */
    size_t prio_workers;           /* default 5 */
    size_t max_queued_jobs;        /* 0: unbounded */
    size_t max_clients;            /* default 5000 */
    size_t max_anonymous_clients;  /* default 20 */
    size_t max_client_requests;    /* default 5 */
    int keepalive_interval;        /* seconds; default 5, -1 disables */
    unsigned int keepalive_count;  /* default 5 */
    bool keepalive_all;            /* start keepalive on every client at
                                    * connect (otherwise on request) */
    int tls_handshake_timeout;     /* seconds a TLS client may take to
                                    * finish its handshake; default 60,
                                    * 0: no limit */
    size_t preauth_message_max;    /* largest message from a client that
                                    * has not authenticated yet (services
                                    * with auth); default 256 KiB */
    size_t preauth_buffer_max;     /* bytes such a client may make the
                                    * server buffer (partial and queued
                                    * messages, declared lengths); default
                                    * 1 MiB */
};

void virNetServerConfigDefaults(virNetServerConfig *cfg);

/* Called for each new client after it was accepted and limits checked;
 * return -1 to refuse it. */
typedef int (*virNetServerClientInitHook)(virNetServer *srv,
                                          virNetServerClient *client,
                                          void *opaque);

virNetServer *virNetServerNew(const char *name, const virNetServerConfig *cfg,
                              virEventLoop *loop);
virNetServer *virNetServerRef(virNetServer *srv);
void virNetServerUnref(virNetServer *srv);

const char *virNetServerGetName(virNetServer *srv);
virEventLoop *virNetServerGetLoop(virNetServer *srv);

int virNetServerAddService(virNetServer *srv, virNetServerService *svc);
int virNetServerAddProgram(virNetServer *srv, virNetServerProgram *prog);
void virNetServerSetClientInitHook(virNetServer *srv,
                                   virNetServerClientInitHook hook, void *opaque);

/* Add an already connected client (e.g. one end of a socketpair). */
int virNetServerAddClient(virNetServer *srv, virNetServerClient *client);

/* Start accepting on all services. */
int virNetServerStart(virNetServer *srv);

/* Graceful shutdown, in the loop thread or any other: stop accepting and
 * reading new calls, let calls in flight finish and their replies be sent
 * (at most timeout_ms), then close every client. */
void virNetServerShutdown(virNetServer *srv, int timeout_ms);

size_t virNetServerGetNClients(virNetServer *srv);
size_t virNetServerGetNUnauthClients(virNetServer *srv);
/* Mark a client authenticated (moves it out of the anonymous count). */
void virNetServerClientAuthDone(virNetServer *srv, virNetServerClient *client);
/* Queue an event to every connected client of a program (tests, demo). */
size_t virNetServerBroadcastEvent(virNetServer *srv, virNetServerProgram *prog,
                                  int procedure, xdrproc_t filter, void *data);
/* Thread pool counters (admin / tests). */
size_t virNetServerGetCurrentWorkers(virNetServer *srv);

/* ---- run-time administration (the admin program) ---- */

/* The worker pool's limits and state (libvirt's threadpool parameters). */
typedef struct {
    size_t minWorkers;
    size_t maxWorkers;
    size_t nWorkers;        /* normal workers alive */
    size_t freeWorkers;     /* of those, idle */
    size_t prioWorkers;
    size_t jobQueueDepth;
} virNetServerThreadPoolInfo;
void virNetServerGetThreadPoolInfo(virNetServer *srv, virNetServerThreadPoolInfo *info);
/* Change the pool live; -1 keeps a value. min > max, or max to or from 0:
 * VIR_ERR_INVALID_ARG and nothing changes. Extra workers leave once idle;
 * calls in flight finish. */
int virNetServerSetThreadPoolParameters(virNetServer *srv, long long minWorkers,
                                        long long maxWorkers, long long prioWorkers);

typedef struct {
    size_t maxClients;
    size_t nClients;
    size_t maxUnauthClients;
    size_t nUnauthClients;
} virNetServerClientLimits;
void virNetServerGetClientLimits(virNetServer *srv, virNetServerClientLimits *limits);
/* Change max_clients / max_anonymous_clients live; -1 keeps a value. The
 * unauthenticated limit above the overall one: VIR_ERR_INVALID_ARG,
 * nothing changes. Lowered below the clients connected: they stay, and
 * new connections wait (not refused) until enough leave. */
int virNetServerSetClientLimits(virNetServer *srv, long long maxClients,
                                long long maxUnauthClients);

/* The connected clients, each with a reference (free the array:
 * g_ptr_array_unref drops them). */
GPtrArray *virNetServerGetClients(virNetServer *srv);
/* The client with this ID (IDs are per server, from 1), with a
 * reference; NULL with VIR_ERR_NO_CLIENT. */
virNetServerClient *virNetServerLookupClient(virNetServer *srv, unsigned long long id);

/* Read the certificates, key and CRL of the server's TLS service again
 * from the same files; new connections use them. No TLS service, or files
 * that no longer load: -1 with an error, the running ones stay. Does
 * file I/O: never call it on the loop thread. */
int virNetServerUpdateTLSFiles(virNetServer *srv);

/* Per-procedure metrics of every program of the server (on by default). */
void virNetServerSetMetrics(virNetServer *srv, bool on);
/* The programs, fixed once the server started (borrowed). */
size_t virNetServerGetNPrograms(virNetServer *srv);
virNetServerProgram *virNetServerGetProgram(virNetServer *srv, size_t i);
