/*
 * virnetlink.c: rtnetlink requests by hand (see virnetlink.h).
 *
 * A request is one message; the kernel answers with the object asked for
 * (RTM_GETLINK) and an NLMSG_ERROR carrying 0 (the ack we ask for) or
 * -errno. Each call has a socket of its own, closed before it returns.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <linux/neighbour.h>
#include <linux/if_addr.h>
#include <arpa/inet.h>

#include "virnetlink.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

/* ---- encoding ---- */

static void
virNetlinkMsgPad(virNetlinkMsg *msg)
{
    static const uint8_t zero[4] = { 0 };
    size_t pad = NLMSG_ALIGN(msg->buf->len) - msg->buf->len;

    g_byte_array_append(msg->buf, zero, pad);
}


void
virNetlinkMsgInit(virNetlinkMsg *msg, uint16_t type, uint16_t flags, size_t hdrlen)
{
    struct nlmsghdr nh = { .nlmsg_type = type, .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags };

    msg->buf = g_byte_array_new();
    g_byte_array_append(msg->buf, (const uint8_t *)&nh, sizeof(nh));
    g_byte_array_set_size(msg->buf, NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen));
    memset(msg->buf->data + sizeof(nh), 0, msg->buf->len - sizeof(nh));
}


void
virNetlinkMsgClear(virNetlinkMsg *msg)
{
    if (msg->buf)
        g_byte_array_unref(msg->buf);
    msg->buf = NULL;
}


void *
virNetlinkMsgHeader(virNetlinkMsg *msg)
{
    return msg->buf->data + NLMSG_HDRLEN;
}


void
virNetlinkMsgAddAttr(virNetlinkMsg *msg, uint16_t type, const void *data, size_t len)
{
    struct rtattr rta = { .rta_len = (unsigned short)RTA_LENGTH(len), .rta_type = type };

    virNetlinkMsgPad(msg);
    g_byte_array_append(msg->buf, (const uint8_t *)&rta, sizeof(rta));
    if (len)
        g_byte_array_append(msg->buf, data, len);
    virNetlinkMsgPad(msg);
}


void
virNetlinkMsgAddString(virNetlinkMsg *msg, uint16_t type, const char *s)
{
    virNetlinkMsgAddAttr(msg, type, s, strlen(s) + 1);
}


void
virNetlinkMsgAddU32(virNetlinkMsg *msg, uint16_t type, uint32_t v)
{
    virNetlinkMsgAddAttr(msg, type, &v, sizeof(v));
}


size_t
virNetlinkMsgNestStart(virNetlinkMsg *msg, uint16_t type)
{
    virNetlinkMsgPad(msg);
    virNetlinkMsgAddAttr(msg, type, NULL, 0);
    return msg->buf->len - RTA_LENGTH(0);
}


void
virNetlinkMsgNestEnd(virNetlinkMsg *msg, size_t offset)
{
    struct rtattr *rta = (struct rtattr *)(msg->buf->data + offset);

    rta->rta_len = (unsigned short)(msg->buf->len - offset);
}


const uint8_t *
virNetlinkMsgData(virNetlinkMsg *msg, size_t *len)
{
    struct nlmsghdr *nh = (struct nlmsghdr *)msg->buf->data;

    nh->nlmsg_len = msg->buf->len;
    *len = msg->buf->len;
    return msg->buf->data;
}


void
virNetlinkEncodeVethCreate(virNetlinkMsg *msg, const char *name, const char *peer)
{
    size_t info, data, peerInfo;
    struct ifinfomsg *ifi;

    virNetlinkMsgInit(msg, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifinfomsg));
    ifi = virNetlinkMsgHeader(msg);
    ifi->ifi_family = AF_UNSPEC;
    virNetlinkMsgAddString(msg, IFLA_IFNAME, name);
    info = virNetlinkMsgNestStart(msg, IFLA_LINKINFO);
    virNetlinkMsgAddString(msg, IFLA_INFO_KIND, "veth");
    data = virNetlinkMsgNestStart(msg, IFLA_INFO_DATA);
    /* VETH_INFO_PEER holds an ifinfomsg, then the peer's attributes */
    peerInfo = virNetlinkMsgNestStart(msg, VETH_INFO_PEER);
    g_byte_array_set_size(msg->buf, msg->buf->len + NLMSG_ALIGN(sizeof(struct ifinfomsg)));
    memset(msg->buf->data + msg->buf->len - NLMSG_ALIGN(sizeof(struct ifinfomsg)), 0,
           NLMSG_ALIGN(sizeof(struct ifinfomsg)));
    virNetlinkMsgAddString(msg, IFLA_IFNAME, peer);
    virNetlinkMsgNestEnd(msg, peerInfo);
    virNetlinkMsgNestEnd(msg, data);
    virNetlinkMsgNestEnd(msg, info);
}


void
virNetlinkEncodeMacvlanCreate(virNetlinkMsg *msg, const char *name, int lowerIndex,
                              uint32_t mode, const unsigned char *mac)
{
    size_t info, data;

    virNetlinkMsgInit(msg, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifinfomsg));
    ((struct ifinfomsg *)virNetlinkMsgHeader(msg))->ifi_family = AF_UNSPEC;
    virNetlinkMsgAddString(msg, IFLA_IFNAME, name);
    info = virNetlinkMsgNestStart(msg, IFLA_LINKINFO);
    virNetlinkMsgAddString(msg, IFLA_INFO_KIND, "macvlan");
    data = virNetlinkMsgNestStart(msg, IFLA_INFO_DATA);
    virNetlinkMsgAddU32(msg, IFLA_MACVLAN_MODE, mode);
    virNetlinkMsgNestEnd(msg, data);
    virNetlinkMsgNestEnd(msg, info);
    virNetlinkMsgAddU32(msg, IFLA_LINK, (uint32_t)lowerIndex);
    virNetlinkMsgAddAttr(msg, IFLA_ADDRESS, mac, 6);
}


void
virNetlinkEncodeLinkChange(virNetlinkMsg *msg, int index,
                           const virNetlinkLinkChange *chg, int masterIndex)
{
    struct ifinfomsg *ifi;

    /* by index: IFLA_IFNAME is the new name */
    virNetlinkMsgInit(msg, RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
    ifi = virNetlinkMsgHeader(msg);
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = index;
    if (chg->up) {
        ifi->ifi_flags = IFF_UP;
        ifi->ifi_change = IFF_UP;
    }
    if (chg->newName)
        virNetlinkMsgAddString(msg, IFLA_IFNAME, chg->newName);
    if (chg->nsPid > 0)
        virNetlinkMsgAddU32(msg, IFLA_NET_NS_PID, (uint32_t)chg->nsPid);
    else if (chg->nsFd > 0)
        virNetlinkMsgAddU32(msg, IFLA_NET_NS_FD, (uint32_t)chg->nsFd);
    if (chg->mac)
        virNetlinkMsgAddAttr(msg, IFLA_ADDRESS, chg->mac, 6);
    if (masterIndex > 0)
        virNetlinkMsgAddU32(msg, IFLA_MASTER, (uint32_t)masterIndex);
}


static size_t
virNetlinkAddrLen(int family)
{
    return family == AF_INET6 ? 16 : 4;
}


void
virNetlinkEncodeAddrAdd(virNetlinkMsg *msg, int index, const virNetlinkAddr *addr)
{
    size_t len = virNetlinkAddrLen(addr->family);
    struct ifaddrmsg *ifa;

    virNetlinkMsgInit(msg, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifaddrmsg));
    ifa = virNetlinkMsgHeader(msg);
    ifa->ifa_family = (unsigned char)addr->family;
    ifa->ifa_prefixlen = (unsigned char)addr->prefix;
    ifa->ifa_index = (unsigned int)index;
    virNetlinkMsgAddAttr(msg, IFA_LOCAL, addr->addr, len);
    if (addr->peer) {
        virNetlinkMsgAddAttr(msg, IFA_ADDRESS, addr->peer, len);
    } else if (addr->family == AF_INET) {
        uint32_t a, host = addr->prefix >= 32 ? 0 : 0xffffffffu >> addr->prefix;

        memcpy(&a, addr->addr, 4);
        a |= htonl(host);
        virNetlinkMsgAddAttr(msg, IFA_BROADCAST, &a, 4);
    }
}


void
virNetlinkEncodeRouteAdd(virNetlinkMsg *msg, int index, const virNetlinkRoute *route)
{
    size_t len = virNetlinkAddrLen(route->family);
    struct rtmsg *rtm;

    virNetlinkMsgInit(msg, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct rtmsg));
    rtm = virNetlinkMsgHeader(msg);
    rtm->rtm_family = (unsigned char)route->family;
    rtm->rtm_dst_len = (unsigned char)route->prefix;
    rtm->rtm_table = RT_TABLE_MAIN;
    rtm->rtm_protocol = RTPROT_BOOT;
    rtm->rtm_scope = RT_SCOPE_UNIVERSE;
    rtm->rtm_type = RTN_UNICAST;
    if (route->prefix > 0)
        virNetlinkMsgAddAttr(msg, RTA_DST, route->dst, len);
    virNetlinkMsgAddAttr(msg, RTA_GATEWAY, route->gateway, len);
    virNetlinkMsgAddU32(msg, RTA_OIF, (uint32_t)index);
    if (route->metric > 0)
        virNetlinkMsgAddU32(msg, RTA_PRIORITY, route->metric);
}


/* ---- decoding ---- */

int
virNetlinkDecodeLink(const void *data, size_t len, virNetlinkLinkInfo *info)
{
    const struct nlmsghdr *nh = data;
    const struct ifinfomsg *ifi;
    const struct rtattr *rta;
    int rlen;

    memset(info, 0, sizeof(*info));
    if (len < NLMSG_HDRLEN || nh->nlmsg_len > len || nh->nlmsg_type != RTM_NEWLINK ||
        nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
        return -1;
    ifi = NLMSG_DATA(nh);
    info->index = ifi->ifi_index;
    info->flags = ifi->ifi_flags;
    rlen = (int)(nh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)));
    for (rta = IFLA_RTA(ifi); RTA_OK(rta, rlen); rta = RTA_NEXT(rta, rlen)) {
        size_t plen = RTA_PAYLOAD(rta);

        if (rta->rta_type == IFLA_MASTER && plen >= 4) {
            uint32_t v;

            memcpy(&v, RTA_DATA(rta), 4);
            info->masterIndex = (int)v;
        } else if (rta->rta_type == IFLA_ADDRESS && plen == 6) {
            memcpy(info->mac, RTA_DATA(rta), 6);
        } else if (rta->rta_type == IFLA_STATS64 && plen >= sizeof(struct rtnl_link_stats64)) {
            struct rtnl_link_stats64 st;

            memcpy(&st, RTA_DATA(rta), sizeof(st));
            /* the counters of /proc/net/dev, which libvirt reads */
            info->rxBytes = st.rx_bytes;
            info->rxPackets = st.rx_packets;
            info->rxErrors = st.rx_errors;
            info->rxDropped = st.rx_dropped + st.rx_missed_errors;
            info->txBytes = st.tx_bytes;
            info->txPackets = st.tx_packets;
            info->txErrors = st.tx_errors;
            info->txDropped = st.tx_dropped;
        }
    }
    return 0;
}


/* ---- the calls ---- */

/* What a request's answers go to: each message of the request that is
 * not the end (may be NULL). */
typedef void (*virNetlinkReplyFunc)(const struct nlmsghdr *nh, void *opaque);

/* Send a request; read its answers until its ack, error or (a dump) its
 * end. 0 or -errno (not reported). */
static int
virNetlinkTalk(virNetlinkMsg *msg, virNetlinkReplyFunc reply, void *opaque)
{
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
    g_autofree uint8_t *buf = NULL;
    const size_t bufsize = 65536;
    const uint8_t *data;
    size_t len;
    int fd, ret = -EPROTO;

    if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) < 0)
        return -errno;
    ((struct nlmsghdr *)msg->buf->data)->nlmsg_seq = 1;
    data = virNetlinkMsgData(msg, &len);
    if (sendto(fd, data, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        ret = -errno;
        goto out;
    }
    buf = g_malloc(bufsize);
    for (;;) {
        ssize_t n = recv(fd, buf, bufsize, 0);
        const struct nlmsghdr *nh;
        int rest;

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ret = n < 0 ? -errno : -EPROTO;
            goto out;
        }
        rest = (int)n;
        for (nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, rest); nh = NLMSG_NEXT(nh, rest)) {
            if (nh->nlmsg_seq != 1)
                continue;
            if (nh->nlmsg_type == NLMSG_DONE) {
                ret = 0;
                goto out;
            }
            if (nh->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *err = NLMSG_DATA(nh);

                if (nh->nlmsg_len >= NLMSG_LENGTH(sizeof(*err)))
                    ret = err->error;
                goto out;
            }
            if (reply)
                reply(nh, opaque);
        }
    }
 out:
    close(fd);
    return ret;
}


typedef struct {
    virNetlinkLinkInfo *info;
    bool got;
} virNetlinkLinkReply;

static void
virNetlinkLinkReplyOne(const struct nlmsghdr *nh, void *opaque)
{
    virNetlinkLinkReply *r = opaque;

    if (virNetlinkDecodeLink(nh, nh->nlmsg_len, r->info) == 0)
        r->got = true;
}


/* Where the next name search starts: after the last name made, as
 * libvirt's, so that the name of a container end just moved away is not
 * taken again at once. Per process, one for each kind of name as libvirt
 * counts vnetN and macvlanN apart. */
static gint virNetlinkNextVeth;
static gint virNetlinkNextMacvlan;

/* The first name from pattern free in this namespace, but other; the
 * search starts at *next. */
static char *
virNetlinkFreeName(const char *pattern, const char *other, gint *next)
{
    int i, start = g_atomic_int_get(next);

    for (i = 0; i < 65536; i++) {
        int n = (start + i) % 65536;
        char *cand;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        cand = g_strdup_printf(pattern, n);
#pragma GCC diagnostic pop
        if ((!other || strcmp(cand, other) != 0) && if_nametoindex(cand) == 0) {
            g_atomic_int_set(next, n + 1);
            return cand;
        }
        g_free(cand);
    }
    return NULL;
}


int
virNetlinkVethCreate(const char *pattern, char **name, char **peer)
{
    int attempt;

    for (attempt = 0; attempt < 64; attempt++) {
        g_autofree char *a = *name ? g_strdup(*name) : virNetlinkFreeName(pattern, *peer, &virNetlinkNextVeth);
        g_autofree char *b = *peer ? g_strdup(*peer) : virNetlinkFreeName(pattern, a, &virNetlinkNextVeth);
        virNetlinkMsg msg = { 0 };
        int rc;

        if (!a || !b) {
            virReportSystemError(ENOSPC, "no free interface name for '%s'", pattern);
            return -ENOSPC;
        }
        if (strlen(a) >= IFNAMSIZ || strlen(b) >= IFNAMSIZ) {
            virReportSystemError(ERANGE, "Network interface name '%s' is too long",
                                 strlen(a) >= IFNAMSIZ ? a : b);
            return -ERANGE;
        }
        virNetlinkEncodeVethCreate(&msg, a, b);
        rc = virNetlinkTalk(&msg, NULL, NULL);
        virNetlinkMsgClear(&msg);
        /* a name picked here was taken meanwhile: pick again */
        if (rc == -EEXIST && ((!*name && if_nametoindex(a) > 0) ||
                              (!*peer && if_nametoindex(b) > 0)))
            continue;
        if (rc < 0) {
            virReportSystemError(-rc, "unable to create %s <-> %s veth pair", a, b);
            return rc;
        }
        if (!*name)
            *name = g_steal_pointer(&a);
        if (!*peer)
            *peer = g_steal_pointer(&b);
        return 0;
    }
    virReportSystemError(EEXIST, "no free interface name for '%s'", pattern);
    return -EEXIST;
}


int
virNetlinkMacvlanCreate(const char *pattern, char **name, const char *lower, uint32_t mode,
                        const unsigned char *mac)
{
    g_autofree char *n = *name ? g_strdup(*name)
                               : virNetlinkFreeName(pattern, NULL, &virNetlinkNextMacvlan);
    virNetlinkMsg msg = { 0 };
    int lowerIndex, rc;

    if (strlen(lower) >= IFNAMSIZ) {
        virReportSystemError(ERANGE, "invalid interface name %s", lower);
        return -ERANGE;
    }
    if ((lowerIndex = (int)if_nametoindex(lower)) == 0) {
        rc = -errno;
        virReportSystemError(-rc, "Unable to get index for interface %s", lower);
        return rc;
    }
    if (!n) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "no unused %.*s names available",
                       (int)strcspn(pattern, "%"), pattern);
        return -ENOSPC;
    }
    if (strlen(n) >= IFNAMSIZ) {
        rc = -ERANGE;
    } else {
        virNetlinkEncodeMacvlanCreate(&msg, n, lowerIndex, mode, mac);
        rc = virNetlinkTalk(&msg, NULL, NULL);
        virNetlinkMsgClear(&msg);
    }
    if (rc < 0) {
        virErrorReportSystemFull(VIR_FROM_NET, -rc, __FILE__, __func__, __LINE__,
                                 "error creating macvlan interface %s@%s "
                                 "(%02x:%02x:%02x:%02x:%02x:%02x)", n, lower,
                                 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
        return rc;
    }
    g_free(*name);
    *name = g_steal_pointer(&n);
    return 0;
}


int
virNetlinkLinkModify(const char *name, const virNetlinkLinkChange *chg)
{
    virNetlinkMsg msg = { 0 };
    int masterIndex = 0, index;
    int rc;

    if ((index = (int)if_nametoindex(name)) == 0) {
        rc = -errno;
        virReportSystemError(-rc, "Unable to get interface index for %s", name);
        return rc;
    }
    if (chg->newName && strlen(chg->newName) >= IFNAMSIZ) {
        virReportSystemError(ERANGE, "Network interface name '%s' is too long", chg->newName);
        return -ERANGE;
    }
    if (chg->master && (masterIndex = (int)if_nametoindex(chg->master)) == 0) {
        rc = -errno;
        virReportSystemError(-rc, "Unable to add bridge %s port %s", chg->master, name);
        return rc;
    }
    virNetlinkEncodeLinkChange(&msg, index, chg, masterIndex);
    rc = virNetlinkTalk(&msg, NULL, NULL);
    virNetlinkMsgClear(&msg);
    if (rc == 0)
        return 0;
    if (chg->master)
        virReportSystemError(-rc, "Unable to add bridge %s port %s", chg->master, name);
    else if (chg->nsPid > 0 || chg->nsFd > 0)
        virReportSystemError(-rc, "Unable to move interface %s%s%s into the container's "
                             "network namespace", name, chg->newName ? " as " : "",
                             chg->newName ? chg->newName : "");
    else if (chg->newName)
        virReportSystemError(-rc, "Unable to rename '%s' to '%s'", name, chg->newName);
    else if (chg->mac)
        virReportSystemError(-rc, "Cannot set interface MAC on '%s'", name);
    else
        virReportSystemError(-rc, "Cannot set interface flags on '%s'", name);
    return rc;
}


int
virNetlinkLinkDelete(const char *name, int index)
{
    virNetlinkMsg msg = { 0 };
    int rc;

    virNetlinkMsgInit(&msg, RTM_DELLINK, 0, sizeof(struct ifinfomsg));
    if (index > 0)
        ((struct ifinfomsg *)virNetlinkMsgHeader(&msg))->ifi_index = index;
    else
        virNetlinkMsgAddString(&msg, IFLA_IFNAME, name);
    rc = virNetlinkTalk(&msg, NULL, NULL);
    virNetlinkMsgClear(&msg);
    if (rc < 0)
        virReportSystemError(-rc, "Unable to delete interface %s", name);
    return rc;
}


int
virNetlinkLinkGet(const char *name, virNetlinkLinkInfo *info)
{
    virNetlinkLinkReply r = { .info = info };
    virNetlinkMsg msg = { 0 };
    int rc;

    virNetlinkMsgInit(&msg, RTM_GETLINK, 0, sizeof(struct ifinfomsg));
    virNetlinkMsgAddString(&msg, IFLA_IFNAME, name);
    rc = virNetlinkTalk(&msg, virNetlinkLinkReplyOne, &r);
    virNetlinkMsgClear(&msg);
    if (rc == 0 && !r.got)
        rc = -EPROTO;
    if (rc < 0)
        virReportSystemError(-rc, "Unable to read interface %s", name);
    return rc;
}


/* name's index, or -errno with libvirt's error */
static int
virNetlinkIndex(const char *name)
{
    int index = (int)if_nametoindex(name);

    if (index == 0) {
        index = -errno;
        virReportSystemError(-index, "Unable to get interface index for %s", name);
    }
    return index;
}


static char *
virNetlinkAddrFormat(int family, const unsigned char *addr)
{
    char text[INET6_ADDRSTRLEN];

    if (!inet_ntop(family, addr, text, sizeof(text)))
        return g_strdup("?");
    return g_strdup(text);
}


int
virNetlinkAddrAdd(const char *name, const virNetlinkAddr *addr)
{
    virNetlinkMsg msg = { 0 };
    int index, rc;

    if ((index = virNetlinkIndex(name)) < 0)
        return index;
    virNetlinkEncodeAddrAdd(&msg, index, addr);
    rc = virNetlinkTalk(&msg, NULL, NULL);
    virNetlinkMsgClear(&msg);
    if (rc < 0) {
        g_autofree char *ip = virNetlinkAddrFormat(addr->family, addr->addr);
        g_autofree char *peer = addr->peer ? virNetlinkAddrFormat(addr->family, addr->peer)
                                           : NULL;

        virReportSystemError(-rc, "Failed to add IP address %s/%u%s%s to %s", ip, addr->prefix,
                             peer ? " peer " : "", peer ? peer : "", name);
    }
    return rc;
}


int
virNetlinkRouteAdd(const char *name, const virNetlinkRoute *route)
{
    virNetlinkMsg msg = { 0 };
    int index, rc;

    if ((index = virNetlinkIndex(name)) < 0)
        return index;
    virNetlinkEncodeRouteAdd(&msg, index, route);
    rc = virNetlinkTalk(&msg, NULL, NULL);
    virNetlinkMsgClear(&msg);
    if (rc < 0)
        virReportSystemError(-rc, "Error adding route to %s", name);
    return rc;
}


/* One answer of the neighbour dump, as libvirt's ARP table takes it. */
int
virNetlinkDecodeNeighbor(const void *data, size_t len, virNetlinkNeighbor *nb)
{
    const struct nlmsghdr *nh = data;
    const struct ndmsg *nd;
    const struct rtattr *rta;
    bool dst = false, ll = false;
    int rlen;

    if (len < NLMSG_HDRLEN || nh->nlmsg_len > len || nh->nlmsg_type != RTM_NEWNEIGH ||
        nh->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)))
        return -1;
    nd = NLMSG_DATA(nh);
    if ((nd->ndm_family && nd->ndm_family != AF_INET) ||
        (nd->ndm_state && nd->ndm_state != NUD_STALE && nd->ndm_state != NUD_REACHABLE))
        return -1;
    rlen = (int)(nh->nlmsg_len - NLMSG_LENGTH(sizeof(*nd)));
    for (rta = (const struct rtattr *)((const char *)nd + NLMSG_ALIGN(sizeof(*nd)));
         RTA_OK(rta, rlen); rta = RTA_NEXT(rta, rlen)) {
        if (rta->rta_type == NDA_DST && RTA_PAYLOAD(rta) == 4) {
            if (!inet_ntop(AF_INET, RTA_DATA(rta), nb->ip, sizeof(nb->ip)))
                return -1;
            dst = true;
        } else if (rta->rta_type == NDA_LLADDR && RTA_PAYLOAD(rta) == 6) {
            memcpy(nb->mac, RTA_DATA(rta), 6);
            ll = true;
        }
    }
    return dst && ll ? 0 : -1;
}


static void
virNetlinkNeighborReply(const struct nlmsghdr *nh, void *opaque)
{
    GArray *list = opaque;
    virNetlinkNeighbor nb = { 0 };

    if (virNetlinkDecodeNeighbor(nh, nh->nlmsg_len, &nb) == 0)
        g_array_append_val(list, nb);
}


int
virNetlinkNeighbors(GArray **list)
{
    g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(virNetlinkNeighbor));
    virNetlinkMsg msg = { 0 };
    int rc;

    virNetlinkMsgInit(&msg, RTM_GETNEIGH, NLM_F_DUMP, sizeof(struct ndmsg));
    ((struct ndmsg *)virNetlinkMsgHeader(&msg))->ndm_family = AF_INET;
    rc = virNetlinkTalk(&msg, virNetlinkNeighborReply, out);
    virNetlinkMsgClear(&msg);
    if (rc < 0) {
        virReportSystemError(-rc, "%s", "unable to read the ARP table");
        return rc;
    }
    *list = g_steal_pointer(&out);
    return 0;
}
