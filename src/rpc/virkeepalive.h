/*
 * virkeepalive.h: libvirt's keepalive program (PING / PONG), one per
 * connection, used by both the server client and the client.
 *
 * Every received message counts as a sign of life. When `interval` seconds
 * pass without one, a PING is sent; after `count` PINGs in a row go
 * unanswered the peer is declared dead and the owner closes the connection.
 * A PING from the peer is answered with a PONG whatever our own state.
 *
 * Locking: the keepalive has its own mutex and is called with the owner's
 * lock held (CheckMessage) or with none (the timer). It never calls back
 * into the owner while holding its own lock.
 */
#pragma once

#include <stdbool.h>

#include "virevent.h"
#include "virnetmessage.h"

#define KEEPALIVE_PROGRAM_ID 0x6b656570
#define KEEPALIVE_PROGRAM_VERSION 1

typedef struct _virKeepAlive virKeepAlive;

/* Queue msg (takes ownership) on the connection; 0 or -1. */
typedef int (*virKeepAliveSendFunc)(void *owner, virNetMessage *msg);
/* The peer is dead: close the connection. */
typedef void (*virKeepAliveDeadFunc)(void *owner);
/* Reference handling of owner while a timer callback runs. */
typedef void (*virKeepAliveRefFunc)(void *owner);

virKeepAlive *virKeepAliveNew(virEventLoop *loop, void *owner,
                              virKeepAliveSendFunc sendFunc,
                              virKeepAliveDeadFunc deadFunc,
                              virKeepAliveRefFunc ref,
                              virKeepAliveRefFunc unref);
void virKeepAliveFree(virKeepAlive *ka);

/* interval seconds (> 0), count >= 1. */
int virKeepAliveStart(virKeepAlive *ka, int interval, unsigned int count);
void virKeepAliveStop(virKeepAlive *ka);
bool virKeepAliveIsActive(virKeepAlive *ka);

/* Note activity for msg. If msg belongs to the keepalive program, return
 * true (the caller drops msg) and set *response to a PONG to send when msg
 * was a PING; otherwise false. */
bool virKeepAliveCheckMessage(virKeepAlive *ka, virNetMessage *msg,
                              virNetMessage **response);

/* Build a PING or PONG message (for either side). */
virNetMessage *virKeepAliveMessage(int proc);
