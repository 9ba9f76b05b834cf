/*
 * virnetlink.h: network links through rtnetlink (NETLINK_ROUTE), by hand:
 * veth pairs, macvlan links, a link's name / MAC / state / bridge / network namespace,
 * its deletion and its counters. No libnl, no `ip` command.
 *
 * Every call opens its own netlink socket in the calling thread's network
 * namespace (or, for virNetlinkLinkModify's nsPid, moves the link to the
 * namespace of that process), sends one request and waits for the
 * kernel's answer: they are blocking system calls, for workers and
 * processes of their own, never the event loop. Errors are reported
 * (VIR_FROM_NONE, as libvirt's netdev utilities) naming the interface and
 * the errno, and returned as -errno so that a caller can tell EEXIST or
 * ENODEV apart.
 *
 * The message encoding (virNetlinkMsg*) is exposed for the unit test.
 * No shared state, no locking.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <glib.h>

/* A request being built: a netlink header, a fixed part, attributes. */
typedef struct {
    GByteArray *buf;
} virNetlinkMsg;

/* A new message of type (RTM_*) with NLM_F_REQUEST|NLM_F_ACK|flags and a
 * zeroed fixed part of hdrlen bytes (struct ifinfomsg, ...). */
void virNetlinkMsgInit(virNetlinkMsg *msg, uint16_t type, uint16_t flags, size_t hdrlen);
void virNetlinkMsgClear(virNetlinkMsg *msg);
/* The fixed part, to fill in. Valid until the next append. */
void *virNetlinkMsgHeader(virNetlinkMsg *msg);
/* Append an attribute (padded to 4 bytes). */
void virNetlinkMsgAddAttr(virNetlinkMsg *msg, uint16_t type, const void *data, size_t len);
void virNetlinkMsgAddString(virNetlinkMsg *msg, uint16_t type, const char *s);
void virNetlinkMsgAddU32(virNetlinkMsg *msg, uint16_t type, uint32_t v);
/* A nested attribute: its offset, for virNetlinkMsgNestEnd. */
size_t virNetlinkMsgNestStart(virNetlinkMsg *msg, uint16_t type);
void virNetlinkMsgNestEnd(virNetlinkMsg *msg, size_t offset);
/* The finished message (its length set in the header). */
const uint8_t *virNetlinkMsgData(virNetlinkMsg *msg, size_t *len);

/* Requests, encoded (the unit test checks them byte by byte). */
void virNetlinkEncodeVethCreate(virNetlinkMsg *msg, const char *name, const char *peer);
/* A macvlan link name on the link of index lowerIndex, in mode (a
 * MACVLAN_MODE_* of linux/if_link.h), with MAC mac (6 bytes). */
void virNetlinkEncodeMacvlanCreate(virNetlinkMsg *msg, const char *name, int lowerIndex,
                                   uint32_t mode, const unsigned char *mac);

/* An address (RTM_NEWADDR) or a route (RTM_NEWROUTE) on link index, as
 * libvirt's netdev utilities add them: family AF_INET or AF_INET6,
 * addresses of its length (4 or 16 bytes) in network order. An IPv4
 * address without a peer gets the broadcast address of its prefix. A
 * route is a static one (RTPROT_BOOT) in the main table through gateway;
 * prefix 0 (a default route) has no destination; metric 0: none. */
typedef struct {
    int family;
    const unsigned char *addr;
    unsigned int prefix;
    const unsigned char *peer;  /* NULL: none */
} virNetlinkAddr;

typedef struct {
    int family;
    const unsigned char *dst;
    unsigned int prefix;
    const unsigned char *gateway;
    unsigned int metric;
} virNetlinkRoute;

void virNetlinkEncodeAddrAdd(virNetlinkMsg *msg, int index, const virNetlinkAddr *addr);
void virNetlinkEncodeRouteAdd(virNetlinkMsg *msg, int index, const virNetlinkRoute *route);

/* The changes virNetlinkLinkModify makes, in one request: the kernel moves
 * the link to nsPid's or nsFd's namespace first, then renames it there, sets its
 * MAC, attaches it and brings it up. Unset fields change nothing. */
typedef struct {
    pid_t nsPid;                /* > 0: into this process's network namespace */
    int nsFd;                   /* > 0: into this network namespace (an open
                                 * /proc/PID/ns/net: no PID reuse can misdirect it) */
    const char *newName;        /* rename (in the new namespace with nsPid) */
    const unsigned char *mac;   /* 6 bytes */
    const char *master;         /* enslave to this link (a bridge) */
    bool up;                    /* bring it up */
} virNetlinkLinkChange;

/* index: the link's; masterIndex: chg->master's, 0 without one */
void virNetlinkEncodeLinkChange(virNetlinkMsg *msg, int index,
                                const virNetlinkLinkChange *chg, int masterIndex);

/* A link's state and counters (IFLA_STATS64). */
typedef struct {
    int index;
    unsigned int flags;         /* IFF_* */
    int masterIndex;            /* 0: none */
    unsigned char mac[6];
    uint64_t rxBytes, rxPackets, rxErrors, rxDropped;
    uint64_t txBytes, txPackets, txErrors, txDropped;
} virNetlinkLinkInfo;

/* Decode an RTM_NEWLINK answer; -1 when it is not one. */
int virNetlinkDecodeLink(const void *data, size_t len, virNetlinkLinkInfo *info);

/* The calls. 0 on success, -errno with an error reported. */
/* A veth pair *name <-> *peer; an end that is NULL is named after pattern
 * ("vnet%d": the first free N after the last one this process made, from
 * 0; another when the kernel finds it taken meanwhile) and the name
 * returned there. */
int virNetlinkVethCreate(const char *pattern, char **name, char **peer);
/* A macvlan link on lower (mode and mac as above), down, named *name, or
 * with *name NULL after pattern ("macvlan%d", counted apart from the
 * veth names) and the name returned there. libvirt's errors ("Unable to
 * get index for interface LOWER", "error creating macvlan interface
 * NAME@LOWER (MAC)"). */
int virNetlinkMacvlanCreate(const char *pattern, char **name, const char *lower, uint32_t mode,
                            const unsigned char *mac);
int virNetlinkLinkModify(const char *name, const virNetlinkLinkChange *chg);
/* By index when > 0 (a name may have been taken by another link since;
 * an index is not reused soon), else by name; name is for the error. */
int virNetlinkLinkDelete(const char *name, int index);
int virNetlinkLinkGet(const char *name, virNetlinkLinkInfo *info);
/* On the link called name in the calling thread's namespace; libvirt's
 * errors ("Failed to add IP address ...", "Error adding route to ..."). */
int virNetlinkAddrAdd(const char *name, const virNetlinkAddr *addr);
int virNetlinkRouteAdd(const char *name, const virNetlinkRoute *route);

/* An IPv4 neighbour (the host's ARP table) in the states libvirt reads:
 * reachable or stale. */
typedef struct {
    char ip[16];
    unsigned char mac[6];
} virNetlinkNeighbor;

/* Decode one RTM_NEWNEIGH answer; -1 when it is not one libvirt takes. */
int virNetlinkDecodeNeighbor(const void *data, size_t len, virNetlinkNeighbor *nb);
/* The calling thread's namespace's neighbours: a new array of
 * virNetlinkNeighbor. 0, or -errno with an error reported. */
int virNetlinkNeighbors(GArray **list);
