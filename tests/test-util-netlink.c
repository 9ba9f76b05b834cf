/*
 * test-util-netlink.c: virnetlink's rtnetlink requests. The encoding and
 * decoding without privileges; the calls themselves (veth pair, bridge
 * port, move into another network namespace with a new name and MAC, up,
 * counters, delete, errors) as root in a network namespace the test makes
 * for itself (unshare(CLONE_NEWNET)): the host's interfaces are never
 * touched. Those cases skip without root or network namespaces.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <glib.h>

#include "testutils.h"
#include "virnetlink.h"
#include "virerror.h"

static const unsigned char testMAC[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static int
testEncodeVeth(const void *data G_GNUC_UNUSED)
{
    /* little-endian layout of: new link "a", kind veth, peer "b" */
    static const uint8_t expected[88] = {
        88, 0, 0, 0, RTM_NEWLINK, 0, 0x05, 0x06, 1, 0, 0, 0, 0, 0, 0, 0,   /* nlmsghdr */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,                 /* ifinfomsg */
        6, 0, IFLA_IFNAME, 0, 'a', 0, 0, 0,
        48, 0, IFLA_LINKINFO, 0,
        9, 0, IFLA_INFO_KIND, 0, 'v', 'e', 't', 'h', 0, 0, 0, 0,
        32, 0, IFLA_INFO_DATA, 0,
        28, 0, 1 /* VETH_INFO_PEER */, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,                 /* peer's ifinfomsg */
        6, 0, IFLA_IFNAME, 0, 'b', 0, 0, 0,
    };
    virNetlinkMsg msg = { 0 };
    const uint8_t *bytes;
    size_t len;
    int rc;

    if (G_BYTE_ORDER != G_LITTLE_ENDIAN)
        return VIR_TEST_SKIP;
    virNetlinkEncodeVethCreate(&msg, "a", "b");
    ((struct nlmsghdr *)msg.buf->data)->nlmsg_seq = 1;
    bytes = virNetlinkMsgData(&msg, &len);
    rc = virTestCompareBytes("veth request", bytes, len, expected, sizeof(expected));
    virNetlinkMsgClear(&msg);
    return rc;
}


/* msg, its sequence number set as a call sets it, against expected */
static int
testCompareMsg(const char *what, virNetlinkMsg *msg, const uint8_t *expected, size_t len)
{
    const uint8_t *bytes;
    size_t got;
    int rc;

    ((struct nlmsghdr *)msg->buf->data)->nlmsg_seq = 1;
    bytes = virNetlinkMsgData(msg, &got);
    rc = virTestCompareBytes(what, bytes, got, expected, len);
    virNetlinkMsgClear(msg);
    return rc;
}


static int
testEncodeMacvlan(const void *data G_GNUC_UNUSED)
{
    /* little-endian layout of: new link "m", kind macvlan (mode bridge),
     * on link 5, the MAC */
    static const uint8_t expected[88] = {
        88, 0, 0, 0, RTM_NEWLINK, 0, 0x05, 0x06, 1, 0, 0, 0, 0, 0, 0, 0,   /* nlmsghdr */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,                 /* ifinfomsg */
        6, 0, IFLA_IFNAME, 0, 'm', 0, 0, 0,
        28, 0, IFLA_LINKINFO, 0,
        12, 0, IFLA_INFO_KIND, 0, 'm', 'a', 'c', 'v', 'l', 'a', 'n', 0,
        12, 0, IFLA_INFO_DATA, 0,
        8, 0, IFLA_MACVLAN_MODE, 0, MACVLAN_MODE_BRIDGE, 0, 0, 0,
        8, 0, IFLA_LINK, 0, 5, 0, 0, 0,
        10, 0, IFLA_ADDRESS, 0, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0, 0,
    };
    virNetlinkMsg msg = { 0 };

    if (G_BYTE_ORDER != G_LITTLE_ENDIAN)
        return VIR_TEST_SKIP;
    virNetlinkEncodeMacvlanCreate(&msg, "m", 5, MACVLAN_MODE_BRIDGE, testMAC);
    return testCompareMsg("macvlan request", &msg, expected, sizeof(expected));
}


static int
testEncodeAddr(const void *data G_GNUC_UNUSED)
{
    /* 10.0.0.2/24 on link 7: its broadcast address computed, as libvirt's */
    static const uint8_t expected4[40] = {
        40, 0, 0, 0, RTM_NEWADDR, 0, 0x05, 0x06, 1, 0, 0, 0, 0, 0, 0, 0,   /* nlmsghdr */
        AF_INET, 24, 0, 0, 7, 0, 0, 0,                                  /* ifaddrmsg */
        8, 0, IFA_LOCAL, 0, 10, 0, 0, 2,
        8, 0, IFA_BROADCAST, 0, 10, 0, 0, 255,
    };
    /* 10.0.0.2/32 peer 10.0.0.1: the peer, no broadcast */
    static const uint8_t expectedPeer[40] = {
        40, 0, 0, 0, RTM_NEWADDR, 0, 0x05, 0x06, 1, 0, 0, 0, 0, 0, 0, 0,
        AF_INET, 32, 0, 0, 7, 0, 0, 0,
        8, 0, IFA_LOCAL, 0, 10, 0, 0, 2,
        8, 0, IFA_ADDRESS, 0, 10, 0, 0, 1,
    };
    /* fd00::2/64: no broadcast in IPv6 */
    static const uint8_t expected6[44] = {
        44, 0, 0, 0, RTM_NEWADDR, 0, 0x05, 0x06, 1, 0, 0, 0, 0, 0, 0, 0,
        AF_INET6, 64, 0, 0, 3, 0, 0, 0,
        20, 0, IFA_LOCAL, 0, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    };
    static const unsigned char a4[4] = { 10, 0, 0, 2 }, p4[4] = { 10, 0, 0, 1 };
    static const unsigned char a6[16] = { 0xfd, [15] = 2 };
    virNetlinkAddr addr = { .family = AF_INET, .addr = a4, .prefix = 24 };
    virNetlinkMsg msg = { 0 };

    if (G_BYTE_ORDER != G_LITTLE_ENDIAN)
        return VIR_TEST_SKIP;
    virNetlinkEncodeAddrAdd(&msg, 7, &addr);
    if (testCompareMsg("IPv4 address", &msg, expected4, sizeof(expected4)) < 0)
        return -1;
    addr.prefix = 32;
    addr.peer = p4;
    virNetlinkEncodeAddrAdd(&msg, 7, &addr);
    if (testCompareMsg("IPv4 address with a peer", &msg, expectedPeer, sizeof(expectedPeer)) < 0)
        return -1;
    addr = (virNetlinkAddr){ .family = AF_INET6, .addr = a6, .prefix = 64 };
    virNetlinkEncodeAddrAdd(&msg, 3, &addr);
    return testCompareMsg("IPv6 address", &msg, expected6, sizeof(expected6));
}


static int
testEncodeRoute(const void *data G_GNUC_UNUSED)
{
    /* 10.1.0.0/16 via 10.0.0.1 on link 7, metric 5 */
    static const uint8_t expected[60] = {
        60, 0, 0, 0, RTM_NEWROUTE, 0, 0x05, 0x06, 1, 0, 0, 0, 0, 0, 0, 0,  /* nlmsghdr */
        AF_INET, 16, 0, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST,
        0, 0, 0, 0,                                                     /* rtmsg */
        8, 0, RTA_DST, 0, 10, 1, 0, 0,
        8, 0, RTA_GATEWAY, 0, 10, 0, 0, 1,
        8, 0, RTA_OIF, 0, 7, 0, 0, 0,
        8, 0, RTA_PRIORITY, 0, 5, 0, 0, 0,
    };
    /* the IPv6 default route via fd00::1 on link 3: no destination */
    static const uint8_t expected6[64] = {
        64, 0, 0, 0, RTM_NEWROUTE, 0, 0x05, 0x06, 1, 0, 0, 0, 0, 0, 0, 0,
        AF_INET6, 0, 0, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST,
        0, 0, 0, 0,
        20, 0, RTA_GATEWAY, 0, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        8, 0, RTA_OIF, 0, 3, 0, 0, 0,
        8, 0, RTA_PRIORITY, 0, 1, 0, 0, 0,
    };
    static const unsigned char dst[4] = { 10, 1, 0, 0 }, gw[4] = { 10, 0, 0, 1 };
    static const unsigned char any6[16] = { 0 }, gw6[16] = { 0xfd, [15] = 1 };
    virNetlinkRoute route = { .family = AF_INET, .dst = dst, .prefix = 16, .gateway = gw,
                              .metric = 5 };
    virNetlinkMsg msg = { 0 };

    if (G_BYTE_ORDER != G_LITTLE_ENDIAN)
        return VIR_TEST_SKIP;
    virNetlinkEncodeRouteAdd(&msg, 7, &route);
    if (testCompareMsg("IPv4 route", &msg, expected, sizeof(expected)) < 0)
        return -1;
    route = (virNetlinkRoute){ .family = AF_INET6, .dst = any6, .prefix = 0, .gateway = gw6,
                               .metric = 1 };
    virNetlinkEncodeRouteAdd(&msg, 3, &route);
    return testCompareMsg("IPv6 default route", &msg, expected6, sizeof(expected6));
}


static int
testEncodeChange(const void *data G_GNUC_UNUSED)
{
    virNetlinkLinkChange chg = { .nsPid = 4321, .newName = "eth0", .mac = testMAC, .up = true };
    virNetlinkMsg msg = { 0 };
    const struct nlmsghdr *nh;
    const struct ifinfomsg *ifi;
    const struct rtattr *rta;
    unsigned int seen = 0;
    size_t len;
    int rlen;

    virNetlinkEncodeLinkChange(&msg, 7, &chg, 5);
    nh = (const struct nlmsghdr *)virNetlinkMsgData(&msg, &len);
    VIR_TEST_ASSERT_INT(nh->nlmsg_len, len);
    VIR_TEST_ASSERT_INT(nh->nlmsg_type, RTM_NEWLINK);
    VIR_TEST_ASSERT_INT(nh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
    ifi = NLMSG_DATA(nh);
    VIR_TEST_ASSERT_INT(ifi->ifi_index, 7);
    VIR_TEST_ASSERT_INT(ifi->ifi_flags, IFF_UP);
    VIR_TEST_ASSERT_INT(ifi->ifi_change, IFF_UP);
    rlen = (int)(nh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)));
    for (rta = IFLA_RTA(ifi); RTA_OK(rta, rlen); rta = RTA_NEXT(rta, rlen)) {
        uint32_t v = 0;

        if (RTA_PAYLOAD(rta) == 4)
            memcpy(&v, RTA_DATA(rta), 4);
        switch (rta->rta_type) {
        case IFLA_IFNAME:
            VIR_TEST_ASSERT_STR((const char *)RTA_DATA(rta), "eth0");
            VIR_TEST_ASSERT_INT(RTA_PAYLOAD(rta), 5);
            break;
        case IFLA_NET_NS_PID:
            VIR_TEST_ASSERT_INT(v, 4321);
            break;
        case IFLA_ADDRESS:
            VIR_TEST_ASSERT_INT(RTA_PAYLOAD(rta), 6);
            VIR_TEST_ASSERT(memcmp(RTA_DATA(rta), testMAC, 6) == 0);
            break;
        case IFLA_MASTER:
            VIR_TEST_ASSERT_INT(v, 5);
            break;
        default:
            VIR_TEST_FAIL("unexpected attribute %u", rta->rta_type);
        }
        seen |= 1u << rta->rta_type;
    }
    VIR_TEST_ASSERT_INT(rlen, 0);
    VIR_TEST_ASSERT_INT(seen, (1u << IFLA_IFNAME) | (1u << IFLA_NET_NS_PID) |
                        (1u << IFLA_ADDRESS) | (1u << IFLA_MASTER));
    virNetlinkMsgClear(&msg);

    /* a namespace by descriptor */
    chg = (virNetlinkLinkChange){ .nsFd = 12 };
    virNetlinkEncodeLinkChange(&msg, 3, &chg, 0);
    nh = (const struct nlmsghdr *)virNetlinkMsgData(&msg, &len);
    rta = IFLA_RTA((const struct ifinfomsg *)NLMSG_DATA(nh));
    VIR_TEST_ASSERT_INT(len, NLMSG_LENGTH(sizeof(struct ifinfomsg)) + RTA_LENGTH(4));
    VIR_TEST_ASSERT_INT(rta->rta_type, IFLA_NET_NS_FD);
    VIR_TEST_ASSERT_INT(*(const uint32_t *)RTA_DATA(rta), 12);
    virNetlinkMsgClear(&msg);

    /* nothing asked: the index alone */
    chg = (virNetlinkLinkChange){ 0 };
    virNetlinkEncodeLinkChange(&msg, 3, &chg, 0);
    nh = (const struct nlmsghdr *)virNetlinkMsgData(&msg, &len);
    VIR_TEST_ASSERT_INT(len, NLMSG_LENGTH(sizeof(struct ifinfomsg)));
    VIR_TEST_ASSERT_INT(((const struct ifinfomsg *)NLMSG_DATA(nh))->ifi_change, 0);
    virNetlinkMsgClear(&msg);
    return 0;
}


static int
testDecode(const void *data G_GNUC_UNUSED)
{
    struct rtnl_link_stats64 st = { .rx_bytes = 1000, .rx_packets = 10, .rx_errors = 1,
                                    .rx_dropped = 2, .rx_missed_errors = 3, .tx_bytes = 2000,
                                    .tx_packets = 20, .tx_errors = 4, .tx_dropped = 5 };
    virNetlinkLinkInfo info;
    virNetlinkMsg msg = { 0 };
    struct ifinfomsg *ifi;
    const uint8_t *bytes;
    size_t len;

    virNetlinkMsgInit(&msg, RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
    ifi = virNetlinkMsgHeader(&msg);
    ifi->ifi_index = 9;
    ifi->ifi_flags = IFF_UP | IFF_BROADCAST;
    virNetlinkMsgAddString(&msg, IFLA_IFNAME, "vnet0");
    virNetlinkMsgAddU32(&msg, IFLA_MASTER, 4);
    virNetlinkMsgAddAttr(&msg, IFLA_ADDRESS, testMAC, 6);
    virNetlinkMsgAddAttr(&msg, IFLA_STATS64, &st, sizeof(st));
    bytes = virNetlinkMsgData(&msg, &len);
    VIR_TEST_ASSERT_INT(virNetlinkDecodeLink(bytes, len, &info), 0);
    VIR_TEST_ASSERT_INT(info.index, 9);
    VIR_TEST_ASSERT_INT(info.flags, IFF_UP | IFF_BROADCAST);
    VIR_TEST_ASSERT_INT(info.masterIndex, 4);
    VIR_TEST_ASSERT(memcmp(info.mac, testMAC, 6) == 0);
    VIR_TEST_ASSERT_INT(info.rxBytes, 1000);
    VIR_TEST_ASSERT_INT(info.rxPackets, 10);
    VIR_TEST_ASSERT_INT(info.rxErrors, 1);
    VIR_TEST_ASSERT_INT(info.rxDropped, 5);     /* dropped + missed, as /proc/net/dev */
    VIR_TEST_ASSERT_INT(info.txBytes, 2000);
    VIR_TEST_ASSERT_INT(info.txPackets, 20);
    VIR_TEST_ASSERT_INT(info.txErrors, 4);
    VIR_TEST_ASSERT_INT(info.txDropped, 5);
    /* truncated, or another message */
    VIR_TEST_ASSERT_INT(virNetlinkDecodeLink(bytes, len - 8, &info), -1);
    VIR_TEST_ASSERT_INT(virNetlinkDecodeLink(bytes, 10, &info), -1);
    ((struct nlmsghdr *)msg.buf->data)->nlmsg_type = RTM_NEWADDR;
    VIR_TEST_ASSERT_INT(virNetlinkDecodeLink(bytes, len, &info), -1);
    virNetlinkMsgClear(&msg);
    return 0;
}


static int
testDecodeNeighbor(const void *data G_GNUC_UNUSED)
{
    static const uint8_t ip[4] = { 10, 77, 0, 2 };
    static const struct { int family; int state; bool lladdr; bool taken; } cases[] = {
        { AF_INET, NUD_REACHABLE, true, true },
        { AF_INET, NUD_STALE, true, true },
        { AF_INET, 0, true, true },
        { AF_INET, NUD_PERMANENT, true, false },    /* libvirt takes only these two */
        { AF_INET, NUD_FAILED, true, false },
        { AF_INET6, NUD_REACHABLE, true, false },
        { AF_INET, NUD_REACHABLE, false, false },   /* no link-layer address */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        virNetlinkNeighbor nb = { 0 };
        virNetlinkMsg msg = { 0 };
        struct ndmsg *nd;
        const uint8_t *bytes;
        size_t len;
        int rc;

        virNetlinkMsgInit(&msg, RTM_NEWNEIGH, 0, sizeof(struct ndmsg));
        nd = virNetlinkMsgHeader(&msg);
        nd->ndm_family = (unsigned char)cases[i].family;
        nd->ndm_state = (uint16_t)cases[i].state;
        virNetlinkMsgAddAttr(&msg, NDA_DST, ip, sizeof(ip));
        if (cases[i].lladdr)
            virNetlinkMsgAddAttr(&msg, NDA_LLADDR, testMAC, 6);
        bytes = virNetlinkMsgData(&msg, &len);
        rc = virNetlinkDecodeNeighbor(bytes, len, &nb);
        virNetlinkMsgClear(&msg);
        if (rc != (cases[i].taken ? 0 : -1))
            VIR_TEST_FAIL("case %zu: %d", i, rc);
        if (cases[i].taken) {
            VIR_TEST_ASSERT_STR(nb.ip, "10.77.0.2");
            VIR_TEST_ASSERT(memcmp(nb.mac, testMAC, 6) == 0);
        }
    }
    return 0;
}


/* ---- as root, in a network namespace of the test's own ---- */

static bool testInNetns;

/* A child in a network namespace of its own: it waits for a byte on
 * *ctl, then reads eth0 and exits 0 when it has testMAC and is up, 2
 * when it is missing, 3 for another MAC, 4 when down. */
static pid_t
testSpawnNetnsChild(int *ctl)
{
    int p[2];
    pid_t pid;

    if (pipe(p) < 0)
        return -1;
    if ((pid = fork()) == 0) {
        virNetlinkLinkInfo info;
        char c;

        close(p[1]);
        if (unshare(CLONE_NEWNET) < 0)
            _exit(1);
        if (write(STDERR_FILENO, "", 0) < 0 || read(p[0], &c, 1) != 1)
            _exit(1);
        if (virNetlinkLinkGet("eth0", &info) < 0)
            _exit(2);
        if (memcmp(info.mac, testMAC, 6) != 0)
            _exit(3);
        _exit(info.flags & IFF_UP ? 0 : 4);
    }
    close(p[0]);
    *ctl = p[1];
    return pid;
}


static int
testCalls(const void *data G_GNUC_UNUSED)
{
    virNetlinkLinkInfo host, br, peer;
    g_autofree char *numbered = NULL;
    g_autofree char *peerName = NULL;
    g_autofree char *vt9 = g_strdup("vt9");
    g_autofree char *vt0 = g_strdup("vt0");
    g_autofree char *vtpeer = g_strdup("vtpeer");
    virNetlinkLinkChange chg = { 0 };
    struct sockaddr_ll sll = { .sll_family = AF_PACKET };
    uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0, 1, 2, 3, 0x88, 0xb5 };
    g_autofree char *nsPath = NULL;
    g_autoptr(GArray) nbs = NULL;
    int ctl = -1, status = 0, fd, nsFd, rc;
    pid_t child;

    if (!testInNetns)
        return VIR_TEST_SKIP;
    /* a dump (the neighbour table: empty in a new namespace) ends */
    VIR_TEST_ASSERT_INT(virNetlinkNeighbors(&nbs), 0);
    VIR_TEST_ASSERT_INT(nbs->len, 0);
    if (system("ip link add tbr0 type bridge 2>/dev/null") != 0)
        return VIR_TEST_SKIP;

    /* both ends named from the pattern, then one given */
    VIR_TEST_ASSERT_INT(virNetlinkVethCreate("vt%d", &numbered, &peerName), 0);
    VIR_TEST_ASSERT_STR(numbered, "vt0");
    VIR_TEST_ASSERT_STR(peerName, "vt1");
    VIR_TEST_ASSERT_INT(virNetlinkVethCreate("vt%d", &numbered, &vt9), -EEXIST);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "unable to create vt0 <-> vt9 veth pair"));
    /* after the last one made (vt1), free: vt2 */
    g_clear_pointer(&numbered, g_free);
    VIR_TEST_ASSERT_INT(virNetlinkVethCreate("vt%d", &numbered, &vtpeer), 0);
    VIR_TEST_ASSERT_STR(numbered, "vt2");
    VIR_TEST_ASSERT_INT(virNetlinkLinkDelete("vt2", 0), 0);
    VIR_TEST_ASSERT_INT(virNetlinkLinkGet("vtpeer", &peer), -ENODEV);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "vtpeer"));
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), g_strerror(ENODEV)));

    /* the host end: a bridge port, up */
    chg.master = "tbr0";
    chg.up = true;
    VIR_TEST_ASSERT_INT(virNetlinkLinkModify("vt0", &chg), 0);
    VIR_TEST_ASSERT_INT(virNetlinkLinkGet("vt0", &host), 0);
    VIR_TEST_ASSERT_INT(virNetlinkLinkGet("tbr0", &br), 0);
    VIR_TEST_ASSERT_INT(host.masterIndex, br.index);
    VIR_TEST_ASSERT(host.flags & IFF_UP);
    chg.master = "nobr0";
    VIR_TEST_ASSERT(virNetlinkLinkModify("vt0", &chg) < 0);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "Unable to add bridge nobr0 port vt0"));

    /* the other end: into another namespace, as eth0 with a MAC, up */
    if ((child = testSpawnNetnsChild(&ctl)) < 0)
        VIR_TEST_FAIL("fork: %s", g_strerror(errno));
    /* the child has unshared once the namespace link differs from ours */
    for (int i = 0; i < 500; i++) {
        g_autofree char *a = g_strdup_printf("/proc/%d/ns/net", (int)child);
        g_autofree char *la = g_file_read_link(a, NULL);
        g_autofree char *lb = g_file_read_link("/proc/self/ns/net", NULL);

        if (la && lb && strcmp(la, lb) != 0)
            break;
        g_usleep(10000);
    }
    /* by an open namespace, as the driver and the controller do */
    nsPath = g_strdup_printf("/proc/%d/ns/net", (int)child);
    if ((nsFd = open(nsPath, O_RDONLY | O_CLOEXEC)) < 0)
        VIR_TEST_FAIL("open %s: %s", nsPath, g_strerror(errno));
    chg = (virNetlinkLinkChange){ .nsFd = nsFd, .newName = "eth0", .mac = testMAC, .up = true };
    rc = virNetlinkLinkModify("vt1", &chg);
    close(nsFd);
    if (rc < 0) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        VIR_TEST_FAIL("move: %s", virGetLastErrorMessage());
    }
    VIR_TEST_ASSERT_INT(virNetlinkLinkGet("vt1", &peer), -ENODEV);

    /* a frame sent on the host end is counted there (once the kernel gave
     * the link its queue: it does that asynchronously after the carrier
     * came up, and drops what comes before, so send until one counts) */
    if ((fd = socket(AF_PACKET, SOCK_RAW, 0)) < 0)
        VIR_TEST_FAIL("packet socket: %s", g_strerror(errno));
    sll.sll_ifindex = host.index;
    sll.sll_halen = 6;
    memset(sll.sll_addr, 0xff, 6);
    for (int i = 0; i < 500; i++) {
        VIR_TEST_ASSERT_INT(sendto(fd, frame, sizeof(frame), 0, (struct sockaddr *)&sll,
                                   sizeof(sll)), sizeof(frame));
        VIR_TEST_ASSERT_INT(virNetlinkLinkGet("vt0", &peer), 0);
        if (peer.txPackets > host.txPackets)
            break;
        g_usleep(10000);
    }
    close(fd);
    VIR_TEST_ASSERT(peer.txPackets >= host.txPackets + 1);
    VIR_TEST_ASSERT(peer.txBytes >= host.txBytes + sizeof(frame));

    VIR_TEST_ASSERT_INT(write(ctl, "g", 1), 1);
    close(ctl);
    VIR_TEST_ASSERT_INT(waitpid(child, &status, 0), child);
    VIR_TEST_ASSERT(WIFEXITED(status));
    VIR_TEST_ASSERT_INT(WEXITSTATUS(status), 0);

    /* its namespace is gone with the child: so is the pair */
    for (int i = 0; i < 500 && if_nametoindex("vt0") > 0; i++)
        g_usleep(10000);
    VIR_TEST_ASSERT_INT(virNetlinkLinkGet("vt0", &peer), -ENODEV);
    VIR_TEST_ASSERT_INT(virNetlinkLinkDelete("vt0", 0), -ENODEV);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "Unable to delete interface vt0"));
    /* by index: a link of the same name made since is not the one */
    VIR_TEST_ASSERT_INT(virNetlinkVethCreate("vt%d", &vt0, &vt9), 0);
    VIR_TEST_ASSERT_INT(virNetlinkLinkDelete("vt0", host.index), -ENODEV);
    VIR_TEST_ASSERT_INT(virNetlinkLinkGet("vt0", &peer), 0);
    VIR_TEST_ASSERT(peer.index != host.index);
    VIR_TEST_ASSERT_INT(virNetlinkLinkDelete("vt0", peer.index), 0);
    VIR_TEST_ASSERT_INT(virNetlinkLinkGet("vt9", &peer), -ENODEV);
    return 0;
}


/* Whether a line of file (a /proc/net table) holds every word of want. */
static bool
testProcHas(const char *file, const char *const *want)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    size_t i, j;

    if (!g_file_get_contents(file, &text, NULL, NULL))
        return false;
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        g_auto(GStrv) words = g_strsplit_set(lines[i], " \t", -1);
        bool all = true;

        for (j = 0; want[j] && all; j++)
            all = g_strv_contains((const char *const *)words, want[j]);
        if (all)
            return true;
    }
    return false;
}


static int
testAddrRoute(const void *data G_GNUC_UNUSED)
{
    static const unsigned char a4[4] = { 10, 0, 0, 2 }, dst4[4] = { 10, 1, 0, 0 };
    static const unsigned char gw4[4] = { 10, 0, 0, 1 }, far4[4] = { 192, 168, 9, 1 };
    static const unsigned char a6[16] = { 0xfd, [15] = 2 }, gw6[16] = { 0xfd, [15] = 1 };
    static const unsigned char dst6[16] = { 0xfd, 0x01 };
    /* /proc/net/route: Iface Destination Gateway Flags RefCnt Use Metric Mask
     * (little-endian hex); /proc/net/if_inet6: address index prefix ...;
     * /proc/net/ipv6_route: dst len src len gateway metric ... */
    static const char *const route4[] = { "vr0", "0000010A", "0100000A", "5", "0000FFFF", NULL };
    static const char *const addr6[] = { "fd000000000000000000000000000002", "40", "vr0", NULL };
    static const char *const route6[] = { "fd010000000000000000000000000000", "40",
                                          "fd000000000000000000000000000001", "00000001",
                                          "vr0", NULL };
    virNetlinkAddr addr = { .family = AF_INET, .addr = a4, .prefix = 24 };
    virNetlinkRoute route = { .family = AF_INET, .dst = dst4, .prefix = 16, .gateway = gw4,
                              .metric = 5 };
    virNetlinkLinkChange up = { .up = true };
    g_autofree char *a = g_strdup("vr0");
    g_autofree char *b = g_strdup("vr1");

    if (!testInNetns)
        return VIR_TEST_SKIP;
    VIR_TEST_ASSERT_INT(virNetlinkVethCreate("vr%d", &a, &b), 0);
    VIR_TEST_ASSERT_INT(virNetlinkLinkModify("vr1", &up), 0);
    VIR_TEST_ASSERT_INT(virNetlinkLinkModify("vr0", &up), 0);
    VIR_TEST_ASSERT_INT(virNetlinkAddrAdd("vr0", &addr), 0);
    VIR_TEST_ASSERT_INT(virNetlinkAddrAdd("vr0", &addr), -EEXIST);
    VIR_TEST_ASSERT_STR(virGetLastErrorMessage(), "Failed to add IP address 10.0.0.2/24 to vr0: "
                        "File exists");
    VIR_TEST_ASSERT_INT(virNetlinkRouteAdd("vr0", &route), 0);
    VIR_TEST_ASSERT(testProcHas("/proc/net/route", route4));
    /* a gateway no address of the link reaches */
    route.gateway = far4;
    VIR_TEST_ASSERT(virNetlinkRouteAdd("vr0", &route) < 0);
    VIR_TEST_ASSERT(g_str_has_prefix(virGetLastErrorMessage(), "Error adding route to vr0: "));
    VIR_TEST_ASSERT(virNetlinkAddrAdd("nosuch0", &addr) < 0);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "Unable to get interface index for nosuch0"));

    addr = (virNetlinkAddr){ .family = AF_INET6, .addr = a6, .prefix = 64 };
    route = (virNetlinkRoute){ .family = AF_INET6, .dst = dst6, .prefix = 64, .gateway = gw6,
                               .metric = 1 };
    VIR_TEST_ASSERT_INT(virNetlinkAddrAdd("vr0", &addr), 0);
    VIR_TEST_ASSERT(testProcHas("/proc/net/if_inet6", addr6));
    VIR_TEST_ASSERT_INT(virNetlinkRouteAdd("vr0", &route), 0);
    VIR_TEST_ASSERT(testProcHas("/proc/net/ipv6_route", route6));
    VIR_TEST_ASSERT_INT(virNetlinkLinkDelete("vr0", 0), 0);
    return 0;
}


/* macvlan links on a link (a veth end: this kernel may have no dummy links): named from the pattern (a count of their
 * own), given, refused with libvirt's words */
static int
testMacvlan(const void *data G_GNUC_UNUSED)
{
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    g_autofree char *given = g_strdup("tmv9");
    g_autofree char *none = NULL;
    virNetlinkLinkInfo info;

    if (!testInNetns)
        return VIR_TEST_SKIP;
    if (system("ip link add tdum0 type veth peer name tdum1 2>/dev/null") != 0)
        return VIR_TEST_SKIP;
    VIR_TEST_ASSERT_INT(virNetlinkMacvlanCreate("tmv%d", &a, "tdum0", MACVLAN_MODE_VEPA,
                                                testMAC), 0);
    VIR_TEST_ASSERT_STR(a, "tmv0");
    VIR_TEST_ASSERT_INT(virNetlinkLinkGet("tmv0", &info), 0);
    VIR_TEST_ASSERT(memcmp(info.mac, testMAC, 6) == 0);
    VIR_TEST_ASSERT_INT(virNetlinkMacvlanCreate("tmv%d", &b, "tdum0", MACVLAN_MODE_BRIDGE,
                                                testMAC), 0);
    VIR_TEST_ASSERT_STR(b, "tmv1");
    VIR_TEST_ASSERT_INT(virNetlinkMacvlanCreate("tmv%d", &given, "tdum0", MACVLAN_MODE_PRIVATE,
                                                testMAC), 0);
    VIR_TEST_ASSERT_STR(given, "tmv9");
    /* a name taken; a lower link that is not there */
    VIR_TEST_ASSERT_INT(virNetlinkMacvlanCreate("tmv%d", &given, "tdum0", MACVLAN_MODE_VEPA,
                                                testMAC), -EEXIST);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(),
                           "error creating macvlan interface tmv9@tdum0 (52:54:00:12:34:56)"));
    VIR_TEST_ASSERT_INT(virNetlinkMacvlanCreate("tmv%d", &none, "tnone0", MACVLAN_MODE_VEPA,
                                                testMAC), -ENODEV);
    VIR_TEST_ASSERT(strstr(virGetLastErrorMessage(), "Unable to get index for interface tnone0"));
    VIR_TEST_ASSERT(none == NULL);
    /* passthrough: one on a link, and only one */
    g_clear_pointer(&none, g_free);
    VIR_TEST_ASSERT_INT(virNetlinkMacvlanCreate("tmv%d", &none, "tdum0", MACVLAN_MODE_PASSTHRU,
                                                testMAC), -EINVAL);
    VIR_TEST_ASSERT_INT(virNetlinkLinkDelete("tmv0", 0), 0);
    VIR_TEST_ASSERT_INT(virNetlinkLinkDelete("tmv1", 0), 0);
    VIR_TEST_ASSERT_INT(virNetlinkLinkDelete("tmv9", 0), 0);
    VIR_TEST_ASSERT_INT(virNetlinkLinkDelete("tdum0", 0), 0);
    return 0;
}


int
main(void)
{
    g_autofree char *why = NULL;

    virTestRun("encode a veth pair", testEncodeVeth, NULL);
    virTestRun("encode a macvlan link", testEncodeMacvlan, NULL);
    virTestRun("encode a link change", testEncodeChange, NULL);
    virTestRun("encode an address", testEncodeAddr, NULL);
    virTestRun("encode a route", testEncodeRoute, NULL);
    virTestRun("decode a link", testDecode, NULL);
    virTestRun("decode a neighbour (libvirt's ARP entries)", testDecodeNeighbor, NULL);
    if (!virTestCanUnshare(CLONE_NEWNET, "network", &why))
        fprintf(stderr, "skip: the calls: %s\n", why);
    else if (unshare(CLONE_NEWNET) < 0)
        fprintf(stderr, "skip: the calls: unshare: %s\n", g_strerror(errno));
    else
        testInNetns = true;
    virTestRun("veth, bridge port, namespace, counters, delete", testCalls, NULL);
    virTestRun("addresses and routes", testAddrRoute, NULL);
    virTestRun("macvlan links", testMacvlan, NULL);
    return virTestResult();
}
