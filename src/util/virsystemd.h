/*
 * virsystemd.h: what a daemon started by systemd (or by
 * systemd-socket-activate) is handed, without libsystemd.
 *
 * Socket activation: systemd passes listening sockets as file descriptors
 * 3, 4, ... and describes them in the environment: LISTEN_PID (the process
 * they are for), LISTEN_FDS (how many) and LISTEN_FDNAMES (their names,
 * ':'-separated; a socket unit's default name is its file name, e.g.
 * "virtnetd.socket").
 *
 * Readiness: with Type=notify, "READY=1" is sent as a datagram to the
 * socket named by NOTIFY_SOCKET (a path, or '@' for an abstract name).
 *
 * Ownership: virSystemdTakeListenFDs hands the descriptors to the caller.
 * Threading: call virSystemdTakeListenFDs before starting any thread (it
 * unsets environment variables).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct _virSystemdListenFD virSystemdListenFD;
struct _virSystemdListenFD {
    char *name;    /* from LISTEN_FDNAMES */
    int fd;        /* a listening stream socket, close-on-exec */
};

/* The descriptors passed to this process. Returns their number (0 when
 * none are for us: no LISTEN_PID, or another process's) and sets *fds to
 * an array the caller owns (free with virSystemdListenFDsFree), or -1 with
 * an error when the variables are for us but wrong: LISTEN_FDS or
 * LISTEN_FDNAMES missing or malformed, or a descriptor that is not a
 * listening stream socket. Either way LISTEN_PID, LISTEN_FDS and
 * LISTEN_FDNAMES are removed from the environment, so that children do
 * not see them, and on error every passed descriptor is closed. */
int virSystemdTakeListenFDs(virSystemdListenFD **fds);
/* Closes the descriptors still >= 0 and frees the names and the array. */
void virSystemdListenFDsFree(virSystemdListenFD *fds, size_t nfds);

/* True when this process is a systemd service (INVOCATION_ID is set). */
bool virSystemdIsService(void);

/* Send "READY=1" to $NOTIFY_SOCKET. 0 when sent or when there is no
 * NOTIFY_SOCKET; -1 with an error when sending failed. */
int virSystemdNotifyReady(void);
