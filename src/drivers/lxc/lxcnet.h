/*
 * lxcnet.h: a container's network interfaces, as libvirt's LXC driver
 * makes them: for each <interface type='bridge'|'ethernet'> a veth pair
 * (virnetlink.h), the host end (<target dev>, else vnetN) attached to the
 * bridge and up, shaped by tc after <bandwidth>, the other end (vnetM
 * while it is on the host) given the definition's MAC and moved into the
 * container's network namespace.
 *
 * For an <interface type='direct'> a macvlan link on the host link
 * <source dev> in its mode (passthrough: the host link gets the MAC
 * first), named <target dev> else macvlanN, moved in as the container end
 * of a pair is: nothing of it stays on the host.
 *
 * Used by the controller at start (the container's init is waiting to be
 * released) and by the driver for a live attach and at the end. Blocking
 * system calls: never on an event loop that others wait for. No state.
 */
#pragma once

#include <sys/types.h>
#include <glib.h>

#include "lxcconf.h"

/* Make dev's pair and put its container end into the network namespace
 * nsFd (an open /proc/PID/ns/net):
 * renamed guest, up when the definition says so (<link state='up'/> or
 * an <ip>), with its <ip> addresses and <route>s; or with guest NULL
 * keeping its name, down, without addresses (a live attach, as libvirt's).
 * The names made in *host and *peer, the host end's index in *hostIndex
 * (a direct interface: *host NULL, *hostIndex 0, *peer the macvlan's name
 * on the host and, with guest, its index in the namespace in
 * *guestIndex, else 0). On failure, with an error reported, nothing is
 * left on the host. */
int lxcNetSetup(const lxcDevice *dev, int nsFd, const char *guest, char **host, char **peer,
                int *hostIndex, int *guestIndex);
/* Delete the links of indexes (int) in the network namespace nsFd (the
 * macvlan links of a stopping container: its namespace's end would, but
 * later); failures are warnings. */
void lxcNetDeleteInside(int nsFd, const GArray *indexes);
/* dev's <bandwidth> on the host end host, as libvirt 9.0 sets it (tc,
 * each run with a time limit; directions swapped for a veth): an htb root
 * qdisc, class 1:1 (rate average, ceil peak, burst, a quantum from the
 * rate), an sfq below it and an fw filter for <inbound>; an ingress qdisc
 * with a u32 police filter for <outbound>; both qdiscs deleted first. The
 * link's deletion takes them away. 0, or -1 with tc's error. */
int lxcNetBandwidthSet(const char *host, const lxcDevice *dev);
/* The network namespace of process pid, opened; -1 with an error. */
int lxcNetOpenNamespace(pid_t pid);

/* Delete the pair by its host end (by index when > 0: the name may be
 * another container's by now); one already gone (its namespace ended) is
 * not an error. report: errors as errors (a detach), else a
 * warning in the log (a cleanup). */
int lxcNetTeardown(const char *host, int index, bool report);
