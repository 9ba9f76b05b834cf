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
