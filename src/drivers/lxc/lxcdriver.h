/*
 * lxcdriver.h: the LXC driver (lxc:///system): real process containers,
 * one controller process (virtnet_lxc) per running container, each serving
 * libvirt's LXC monitor program on a UNIX socket that this driver connects
 * to. See docs/lxc-driver.md.
 *
 * URIs: lxc:///system and lxc:/// (root only); anything with a host is
 * declined (a remote URI).
 *
 * Directories (read when the driver's state is first created):
 *   VIRTNET_LXC_STATE_DIR   running state: NAME.xml (controller and init
 *                           PIDs, monitor socket, live definition), the
 *                           controller's NAME.sock and NAME.exit, and the
 *                           console log NAME.log. Default RUNSTATEDIR/virtnet/lxc.
 *   VIRTNET_LXC_CONFIG_DIR  persistent definitions NAME.xml and
 *                           autostart/NAME.xml links. Default SYSCONFDIR/virtnet/lxc
 *                           (configure's directories: /run, /etc in the package).
 *   VIRTNET_LXC_CONTROLLER  the controller binary. Default: the installed
 *                           one, else the build tree's next to the program.
 *   VIRTNET_LXC_EXIT_TIMEOUT  seconds a controller whose container ended
 *                           keeps its EXIT for a client (default 300).
 *
 * Threading: one lock (the driver lock) guards every domain; long steps
 * (spawning a controller, waiting for a container to die) run under a
 * per-domain job with the lock released. Monitor events are dispatched
 * from the driver's own event thread. Events to API clients are raised
 * with the driver lock held, in the order of the state changes.
 */
#pragma once

#include "virdriver.h"

/* Register the LXC driver with virConnectRegisterDriver. The driver's state
 * (domains, monitor connections, event thread) is created by the first
 * connectOpen and lives until lxcDriverShutdown(). */
int lxcDriverRegister(void);

/* Daemon exit: close every monitor connection and forget the domains. The
 * containers keep running; a new state (the next open) finds them again
 * from the state directory. Call with no driver call in flight. */
void lxcDriverShutdown(void);

/* Re-read the state and config directories as a freshly started daemon
 * would, keeping the open connections and their event registrations: the
 * tests' "daemon restart" in one process. Returns 0 or -1. Call with no
 * driver call in flight. */
int lxcDriverReload(void);

extern const virConnectDriver lxcConnectDriver;
