/*
 * virnetserverservice.h: a listening service: one or more sockets with the
 * same auth type and read-only flag, handing accepted sockets to the server.
 *
 * Threading: accept runs on the loop's thread. The service can be disabled
 * (e.g. when max_clients is reached) without closing its sockets.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "virnetsocket.h"
#include "virnettlscontext.h"
#include "virevent.h"

typedef struct _virNetServerService virNetServerService;

/* New connection: takes ownership of sock (return -1 to refuse: the socket
 * is then closed by the callee). */
typedef int (*virNetServerServiceAcceptFunc)(virNetServerService *svc,
                                             virNetSocket *sock,
                                             void *opaque);

virNetServerService *virNetServerServiceNewUNIX(const char *path, mode_t mask,
                                                gid_t grp, int auth,
                                                bool readonly,
                                                size_t max_queued_clients);
virNetServerService *virNetServerServiceNewTCP(const char *host, const char *port,
                                               int auth, bool readonly,
                                               size_t max_queued_clients);
/* Listening sockets passed by systemd (takes ownership of the fds):
 * closing the service leaves them listening for the next activation. */
virNetServerService *virNetServerServiceNewFDs(int *fds, size_t nfds,
                                               int auth, bool readonly);
void virNetServerServiceFree(virNetServerService *svc);

int virNetServerServiceGetAuth(virNetServerService *svc);

/* TLS: every client accepted from now on first does a TLS handshake with
 * this (server) context and has its certificate checked. Takes a
 * reference; replaces the previous context (clients already connected
 * keep theirs); NULL turns TLS off for new clients. */
void virNetServerServiceSetTLSContext(virNetServerService *svc, virNetTLSContext *ctxt);
/* A new reference to the current context, or NULL. */
virNetTLSContext *virNetServerServiceGetTLSContext(virNetServerService *svc);
bool virNetServerServiceHasTLS(virNetServerService *svc);
bool virNetServerServiceIsReadonly(virNetServerService *svc);
int virNetServerServiceGetPort(virNetServerService *svc);
size_t virNetServerServiceGetNSockets(virNetServerService *svc);
virNetSocket *virNetServerServiceGetSocket(virNetServerService *svc, size_t i);

int virNetServerServiceStart(virNetServerService *svc, virEventLoop *loop,
                             virNetServerServiceAcceptFunc func, void *opaque);
void virNetServerServiceToggle(virNetServerService *svc, bool enabled);
/* Accept again at once after running out of descriptors (a client left). */
void virNetServerServiceResume(virNetServerService *svc);
void virNetServerServiceClose(virNetServerService *svc);
