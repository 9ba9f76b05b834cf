#!/bin/bash
# test-lxc-net.sh: containers' network interfaces (veth pairs) through stock
# virsh and a virtnetd of our own, all inside a network namespace this test
# makes (unshare -n): the host's interfaces are never touched, nothing but
# that namespace is reached. A bridge vnbr0 there (made with `ip`), then:
#   - a container with <interface type='bridge'> and <interface
#     type='ethernet'>: the host ends vnet0 (a port of vnbr0, up) and vnet2,
#     the container ends eth0 (the definition's MAC, up: <link state='up'/>)
#     and in1 (<guest dev>, down, as libvirt leaves it), the live XML's
#     <target dev>/<guest dev> (no actual=: libvirt drops it once started),
#     domiflist;
#   - domifstat by name and by MAC: UDP sent to the container over the
#     bridge moves its counters, seen from the container's side (libvirt
#     swaps the host end's), between two reads of the container's
#     /proc/net/dev;
#   - a daemon restart keeps the names (the live XML in the state file);
#   - live attach-interface / detach-interface (the end moved in keeps its
#     name and stays down, as libvirt's), errors;
#   - destroy: no vnet link left;
#   - <ip> and <route> (IPv4 and IPv6): the XML as libvirt prints them, the
#     addresses and routes inside the container (ip -j in its network
#     namespace), the link up for an address alone; a live attach keeps
#     them in the XML and sets none (as libvirt's); bad addresses refused
#     with libvirt's words; a route the kernel refuses fails the start and
#     leaves nothing.
#
# Skips (77) without root, virsh, ip, or network namespaces.
#
# Run by `make check`, or by hand from a build directory:
#   VIRTNET_TEST_BUILDDIR=. /path/to/tests/test-lxc-net.sh
set -u

BUILD=${VIRTNET_TEST_BUILDDIR:-.}
BUILD=$(cd "$BUILD" && pwd)
SRC=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
VIRTNETD=$BUILD/daemon/virtnetd
CTRL=$BUILD/src/drivers/lxc/virtnet_lxc

skip() { echo "skip: $*"; exit 77; }
if [ -z "${VN_LXC_NET_NS:-}" ]; then
    [ "$(id -u)" = 0 ] || skip "LXC containers need root"
    command -v virsh > /dev/null || skip "virsh is not installed (libvirt-clients)"
    command -v ip > /dev/null || skip "ip (iproute2) is not installed"
    unshare -pfmiu true 2> /dev/null || skip "the kernel refuses PID/mount/UTS/IPC namespaces"
    unshare -n true 2> /dev/null || skip "the kernel refuses network namespaces"
    for f in "$VIRTNETD" "$CTRL"; do
        [ -x "$f" ] || { echo "FAIL $f is missing (build it first)"; exit 1; }
    done
    VN_LXC_NET_NS=1 exec unshare -n "$0" "$@"
fi

. "$SRC/tests/lxc-test-lib.sh"

ip link add vnbr0 type bridge 2> /dev/null || skip "no bridge devices in this kernel"
ip link add vnprobe0 type veth peer name vnprobe1 2> /dev/null || skip "no veth devices in this kernel"
ip link del vnprobe0
ip link set lo up
ip link set vnbr0 up
ip addr add 10.77.0.1/24 dev vnbr0

lxc_test_begin lxcnet
lxc_daemon_start
V uri || { grep -q "no connection driver available" "$TMP/err" && skip "this virtnetd has no LXC driver"; }

# the links of this namespace whose names start with vnet
vnets() { ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep '^vnet' || true; }
# a link's flags (hex), from inside the container: its own sysfs
cflags() { cat "/proc/$INIT/root/sys/class/net/$1/flags" 2> /dev/null; }
up() { [ $(( $(cflags "$1") & 1 )) = 1 ]; }
# the container's eth0 counters: rx_packets tx_packets (its /proc/net/dev)
cstats() { awk '$1 == "eth0:" { print $3, $11 }' "/proc/$INIT/net/dev"; }

MAC0=52:54:00:77:00:01 MAC1=52:54:00:77:00:02 MAC2=52:54:00:77:00:03
VN=vnnet-$$
cat > "$TMP/dom.xml" <<EOF
<domain type='lxc'>
  <name>$VN</name>
  <memory unit='KiB'>131072</memory>
  <os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg><initarg>sleep 60</initarg></os>
  <devices>
    <console type='pty'/>
    <interface type='bridge'>
      <mac address='$MAC0'/><source bridge='vnbr0'/><link state='up'/>
    </interface>
    <interface type='ethernet'>
      <mac address='$MAC1'/><guest dev='in1'/>
    </interface>
  </devices>
</domain>
EOF

# ---- start ----------------------------------------------------------------------
check "define" V define "$TMP/dom.xml"
check "start" V start $VN
INIT=$(sed -n "s/.* initpid='\([0-9]*\)'.*/\1/p" "$TMP/run/lxc/$VN.xml" | head -1)
check "the init's PID" test -n "$INIT"
check "host end vnet0 exists" eval 'ip link show vnet0 > /dev/null'
check "  ... a port of vnbr0" eval 'ip -o link show vnet0 | grep -q "master vnbr0"'
check "  ... up" eval 'ip -o link show vnet0 | grep -q "<[^>]*UP"'
check "host end vnet2 (ethernet: no bridge)" eval '! ip -o link show vnet2 | grep -q master'
check "the container ends are not on the host" eval '! ip link show vnet1 2>/dev/null && ! ip link show vnet3 2>/dev/null'
check "container: eth0 with the definition's MAC" \
    grep -qx "$MAC0" "/proc/$INIT/root/sys/class/net/eth0/address"
check "  ... up (<link state='up'/>)" up eth0
check "container: in1 (<guest dev>) with its MAC" \
    grep -qx "$MAC1" "/proc/$INIT/root/sys/class/net/in1/address"
check "  ... down, as libvirt leaves it" eval '! up in1'
check "container: lo up" up lo
V dumpxml $VN
check "live XML: <target dev='vnet0'/>" grep -q "<target dev='vnet0'/>" "$TMP/out"
check "live XML: <guest dev='eth0'/>" grep -q "<guest dev='eth0'/>" "$TMP/out"
check "live XML: <target dev='vnet2'/>" grep -q "<target dev='vnet2'/>" "$TMP/out"
check "live XML: <guest dev='in1'/>" grep -q "<guest dev='in1'/>" "$TMP/out"
V dumpxml --inactive $VN
check "the definition keeps no names" eval '! grep -q "<target dev=\|actual=" "$TMP/out"'
V domiflist $VN
check "domiflist: vnet0 bridge vnbr0" grep -Eq "^ *vnet0 +bridge +vnbr0 +- +$MAC0" "$TMP/out"
check "domiflist: vnet2 ethernet" grep -Eq "^ *vnet2 +ethernet +- +- +$MAC1" "$TMP/out"

# ---- statistics -----------------------------------------------------------------
nsenter -t "$INIT" -n ip addr add 10.77.0.2/24 dev eth0
for _ in 1 2 3 4 5; do echo vn-test > /dev/udp/10.77.0.2/9; done
# delivered once the ARP answer came back: wait until the container saw them
for _ in $(seq 1 50); do
    read -r RX0 TX0 < <(cstats)
    [ "$RX0" -ge 5 ] && break
    sleep 0.1
done
read -r RX0 TX0 < <(cstats)
check "domifstat vnet0" V domifstat $VN vnet0
RX=$(awk '$2 == "rx_packets" { print $3 }' "$TMP/out")
TX=$(awk '$2 == "tx_packets" { print $3 }' "$TMP/out")
RXB=$(awk '$2 == "rx_bytes" { print $3 }' "$TMP/out")
read -r RX1 TX1 < <(cstats)
echo "    container eth0 rx $RX0..$RX1 tx $TX0..$TX1; domifstat rx $RX tx $TX rx_bytes $RXB"
check "  ... the container's rx (at least the 5 datagrams)" \
    eval '[ "$RX" -ge 5 ] && [ "$RX" -ge "$RX0" ] && [ "$RX" -le "$RX1" ] && [ "$RXB" -ge 250 ]'
check "  ... the container's tx (its ARP answer)" \
    eval '[ "$TX" -ge 1 ] && [ "$TX" -ge "$TX0" ] && [ "$TX" -le "$TX1" ]'
check "domifstat by MAC" V domifstat $VN $MAC0
check "  ... the same interface" grep -Eq "rx_packets +[0-9]+" "$TMP/out"
check "domifstat eth0: not a known interface" eval '! V domifstat $VN eth0'
check "  ... libvirt's error" grep -q "'eth0' is not a known interface" "$TMP/err"

# the host learned the container's address from its ARP answer
check "domifaddr --source arp" V domifaddr $VN --source arp
check "  ... vnet0, its MAC, the address" grep -Eq "^ *vnet0 +$MAC0 +ipv4 +10\.77\.0\.2/0" "$TMP/out"
check "domifaddr (lease): none, as libvirt for a bridge" V domifaddr $VN
check "  ... empty" eval '! grep -q "$MAC0" "$TMP/out"'

# ---- a daemon restart: the names stay (the live XML of the state file) -----------
kill -TERM "$DPID"; wait "$DPID" 2> /dev/null; DPID=
lxc_daemon_start
check "after a daemon restart: domifstat vnet0" V domifstat $VN vnet0
check "  ... the live XML keeps <target dev='vnet0'/>" \
    eval 'V dumpxml $VN && grep -q "<target dev=.vnet0./>" "$TMP/out"'

echo "---- virsh domifstat / domiflist / domifaddr, as a user sees them"
virsh -c "$URI" domiflist $VN
virsh -c "$URI" domifstat $VN vnet0
virsh -c "$URI" domifaddr $VN --source arp

# ---- live attach / detach ---------------------------------------------------------
# the container's link with a MAC (its name), from its sysfs
clink() { grep -lx "$1" /proc/$INIT/root/sys/class/net/*/address 2> /dev/null | awk -F/ '{ print $(NF-1) }'; }
check "attach-interface --live bridge" V attach-interface $VN bridge vnbr0 --mac $MAC2 --live
V dumpxml $VN
HOST2=$(awk -v m="$MAC2" 'index($0, m) { f = 1 } f && /<target dev=/ { sub(/.*dev=./, ""); sub(/.\/>.*/, ""); print; exit }' "$TMP/out")
check "  ... live XML: its <target dev> ($HOST2)" eval '[ -n "$HOST2" ] && [ "$HOST2" != vnet0 ] && [ "$HOST2" != vnet2 ]'
check "  ... a port of vnbr0, up" eval 'ip -o link show "$HOST2" | grep "master vnbr0" | grep -q "<[^>]*UP"'
IN2=$(clink $MAC2)
check "  ... in the container with its MAC ($IN2: keeps its host name, as libvirt's)" \
    eval '[ -n "$IN2" ] && [[ "$IN2" == vnet* ]]'
check "  ... down, as libvirt leaves it" eval '! up "$IN2"'
V dumpxml --inactive $VN
check "  ... not in the definition (--live)" eval '! grep -q "$MAC2" "$TMP/out"'
check "detach-interface --live" V detach-interface $VN bridge --mac $MAC2 --live
check "  ... the host end is gone" eval '! ip link show "$HOST2" 2> /dev/null'
check "  ... the container end too" test -z "$(clink $MAC2)"
V dumpxml $VN
check "  ... not in the live XML" eval '! grep -q "$MAC2" "$TMP/out"'
check "detach-interface --live of one made at start (ethernet)" \
    V detach-interface $VN ethernet --mac $MAC1 --live
check "  ... vnet2 is gone" eval '! ip link show vnet2 2> /dev/null'
check "  ... in1 too" test -z "$(clink $MAC1)"
check "attach-interface --live network: refused" eval '! V attach-interface $VN network default --live'
check "  ... naming the type" grep -q "interface type 'network' is not supported" "$TMP/err"
check "attach-interface --live to a missing bridge: refused" \
    eval '! V attach-interface $VN bridge vnnobr0 --mac $MAC2 --live'
check "  ... libvirt's words and the errno" grep -Eq "Unable to add bridge vnnobr0 port vnet[0-9]+: No such device" "$TMP/err"
check "  ... nothing left" eval '[ "$(vnets)" = vnet0 ] && [ -z "$(clink $MAC2)" ]'
check "attach-interface --live again (destroy must remove it too)" V attach-interface $VN bridge vnbr0 --mac $MAC2 --live

# ---- destroy ------------------------------------------------------------------
check "destroy" V destroy $VN
for _ in $(seq 1 50); do [ -z "$(vnets)" ] && break; sleep 0.1; done
check "no vnet link left" test -z "$(vnets)"
check "undefine" V undefine $VN

# ---- <ip> and <route> on the container end ---------------------------------------
# what the container's namespace holds, one line per address / route
caddrs() { nsenter -t "$INIT" -n ip -j addr show dev "$1" |
           python3 -c 'import json, sys
for l in json.load(sys.stdin):
    for a in l["addr_info"]:
        if a.get("scope") != "link":
            print(a["family"], a["local"] + "/" + str(a["prefixlen"]), "brd", a.get("broadcast", "-"))'; }
croutes() { nsenter -t "$INIT" -n ip -j "$1" route show dev "$2" |
            python3 -c 'import json, sys
for r in json.load(sys.stdin):
    if "gateway" in r:
        print(r["dst"], "via", r["gateway"], "proto", r.get("protocol", "boot"), "metric", r.get("metric", 0))'; }
VI=$VN-ip
cat > "$TMP/ip.xml" <<XML
<domain type='lxc'>
  <name>$VI</name>
  <memory unit='KiB'>131072</memory>
  <os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg><initarg>sleep 60</initarg></os>
  <devices>
    <console type='pty'/>
    <interface type='bridge'>
      <mac address='$MAC0'/><source bridge='vnbr0'/>
      <ip address='10.77.0.12' prefix='24'/>
      <ip address='fd77:0:0::12' prefix='64' family='ipv6'/>
      <ip address='10.79.1' prefix='32' peer='10.79.0.9'/>
      <route gateway='10.77.0.1' address='10.78.0.0' prefix='16' metric='7'/>
      <route family='ipv6' address='fd78::' prefix='64' gateway='fd77::1'/>
      <route address='0.0.0.0' prefix='0' gateway='10.77.0.1'/>
    </interface>
  </devices>
</domain>
XML
check "<ip>/<route>: define" V define "$TMP/ip.xml"
V dumpxml --inactive $VI
check "  ... <ip> as libvirt prints it (address, family, prefix)" \
    grep -q "<ip address='10.77.0.12' family='ipv4' prefix='24'/>" "$TMP/out"
check "  ... an IPv6 address in its canonical form" \
    grep -q "<ip address='fd77::12' family='ipv6' prefix='64'/>" "$TMP/out"
check "  ... an IPv4 short form read as libvirt reads it, with its peer" \
    grep -q "<ip address='10.79.0.1' family='ipv4' prefix='32' peer='10.79.0.9'/>" "$TMP/out"
check "  ... <route> attributes in libvirt's order" \
    grep -q "<route address='10.78.0.0' prefix='16' gateway='10.77.0.1' metric='7'/>" "$TMP/out"
check "  ... its family kept" \
    grep -q "<route family='ipv6' address='fd78::' prefix='64' gateway='fd77::1'/>" "$TMP/out"
check "  ... every <ip> before every <route>, after <source>" eval \
    'tr -d "\n " < "$TMP/out" | grep -q "<sourcebridge=.vnbr0./><ip[^>]*/><ip[^>]*/><ip[^>]*/><route[^>]*/><route[^>]*/><route[^>]*/>"'
check "start" V start $VI
INIT=$(sed -n "s/.* initpid='\([0-9]*\)'.*/\1/p" "$TMP/run/lxc/$VI.xml" | head -1)
check "the init's PID" test -n "$INIT"
check "container: eth0 up (an address, no <link state>)" up eth0
caddrs eth0 > "$TMP/addrs"
croutes -4 eth0 > "$TMP/routes4"
croutes -6 eth0 > "$TMP/routes6"
sed 's/^/    /' "$TMP/addrs" "$TMP/routes4" "$TMP/routes6"
check "  ... 10.77.0.12/24 with its broadcast" grep -qx "inet 10.77.0.12/24 brd 10.77.0.255" "$TMP/addrs"
check "  ... the peer address 10.79.0.1/32 (no broadcast)" grep -qx "inet 10.79.0.1/32 brd -" "$TMP/addrs"
check "  ... fd77::12/64" grep -qx "inet6 fd77::12/64 brd -" "$TMP/addrs"
check "  ... 10.78.0.0/16 via 10.77.0.1, static (boot), metric 7" \
    grep -qx "10.78.0.0/16 via 10.77.0.1 proto boot metric 7" "$TMP/routes4"
check "  ... the default route, metric 1 (libvirt's default)" \
    grep -qx "default via 10.77.0.1 proto boot metric 1" "$TMP/routes4"
check "  ... fd78::/64 via fd77::1" grep -qx "fd78::/64 via fd77::1 proto boot metric 1" "$TMP/routes6"
check "container: lo up" up lo
# a datagram from the container: the host learns its address and MAC (ARP)
nsenter -t "$INIT" -n bash -c 'echo vn-test > /dev/udp/10.77.0.1/9'
for _ in $(seq 1 50); do ip neigh show 10.77.0.12 | grep -qi "$MAC0" && break; sleep 0.1; done
check "the container's address works: the host's neighbour 10.77.0.12 is its MAC" \
    eval 'ip neigh show 10.77.0.12 | grep -qi "$MAC0"'
V dumpxml $VI
check "live XML keeps them" grep -q "<route address='0.0.0.0' prefix='0' gateway='10.77.0.1'/>" "$TMP/out"
cat > "$TMP/ipdev.xml" <<XML
<interface type='bridge'><mac address='$MAC2'/><source bridge='vnbr0'/>
  <ip address='10.77.0.13' prefix='24'/><route address='10.80.0.0' prefix='16' gateway='10.77.0.1'/>
</interface>
XML
check "attach-device --live with <ip> and <route>" V attach-device $VI "$TMP/ipdev.xml" --live
IN2=$(grep -lx "$MAC2" /proc/$INIT/root/sys/class/net/*/address 2> /dev/null | awk -F/ '{ print $(NF-1) }')
check "  ... in the container ($IN2), down, no address: libvirt sets none on a live attach" \
    eval '[ -n "$IN2" ] && ! up "$IN2" && [ -z "$(caddrs "$IN2")" ]'
V dumpxml $VI
check "  ... the live XML keeps them as libvirt prints them" \
    grep -q "<ip address='10.77.0.13' family='ipv4' prefix='24'/>" "$TMP/out"
check "destroy" V destroy $VI
check "undefine" V undefine $VI
for _ in $(seq 1 50); do [ -z "$(vnets)" ] && break; sleep 0.1; done

# bad input: libvirt's errors, nothing defined
bad() { # label, sed expression on ip.xml, the error expected
    sed "$2" "$TMP/ip.xml" > "$TMP/bad.xml"
    check "$1: refused" eval '! V define "$TMP/bad.xml"'
    check "  ... $3" grep -qF "$3" "$TMP/err"
}
bad "a bad address" "s|10.77.0.12'|10.77.0.300'|" "Invalid address '10.77.0.300' in <ip>"
bad "an IPv6 address said ipv4" "s|fd77:0:0::12' prefix='64' family='ipv6'|fd77::12' family='ipv4'|" \
    "Invalid address 'fd77::12' in <ip>"
bad "an IPv4 prefix of 33" "s|prefix='24'/>|prefix='33'/>|" "Invalid prefix value '33' in <ip>"
bad "an <ip> without address" "s|<ip address='10.77.0.12'|<ip|" "Missing required address in <ip>"
bad "a bad peer" "s|peer='10.79.0.9'|peer='fd77::9'|" "Invalid peer 'fd77::9' in <ip>"
bad "a route to a host address" "s|address='10.78.0.0' prefix='16'|address='10.78.0.1' prefix='16'|" \
    "guest interface: Address '10.78.0.1' in route definition is not a network address"
bad "a route without gateway" "s|<route gateway='10.77.0.1'|<route|" \
    "guest interface: Missing required gateway attribute in route definition"
bad "an IPv6 route without family" "s|<route family='ipv6'|<route|" \
    "guest interface: No family specified for non-IPv4 address 'fd78::' in route definition"
bad "a route metric of 0" "s|metric='7'|metric='0'|" \
    "Invalid value for attribute 'metric' in element 'route': Zero is not permitted"
check "  ... nothing defined" eval '! V dominfo $VI'

# a route through a gateway the container cannot reach: the start fails, nothing left
sed "s|<route gateway='10.77.0.1' address='10.78.0.0'|<route gateway='10.99.0.1' address='10.78.0.0'|; s|$VI|$VI-unreach|" \
    "$TMP/ip.xml" > "$TMP/unreach.xml"
check "a route the kernel refuses: start fails" eval '! V create "$TMP/unreach.xml"'
check "  ... libvirt's words and the errno" grep -q "Error adding route to eth0: Network is unreachable" "$TMP/err"
for _ in $(seq 1 50); do [ -z "$(vnets)" ] && break; sleep 0.1; done
check "  ... nothing left" test -z "$(vnets)"

# ---- refused before anything is made --------------------------------------------
sed "s|<source bridge='vnbr0'/>|<source bridge='vnnobr0'/>|; s|$VN|$VN-nobr|" "$TMP/dom.xml" > "$TMP/nobr.xml"
check "a missing bridge: start fails" eval '! V create "$TMP/nobr.xml"'
check "  ... naming it and the errno" grep -Eq "Unable to add bridge vnnobr0 port vnet[0-9]+: No such device" "$TMP/err"
check "  ... nothing left" test -z "$(vnets)"
sed "s|<interface type='ethernet'>|<interface type='network'><source network='default'/>|; s|$VN|$VN-nw|" "$TMP/dom.xml" \
    > "$TMP/network.xml"
check "type 'network': refused" eval '! V create "$TMP/network.xml"'
check "  ... naming it" grep -q "interface type 'network' is not supported by virtnet's LXC driver" "$TMP/err"
check "  ... nothing left" test -z "$(vnets)"
# <bandwidth> tc refuses (a burst beyond tc's range: tc's own check, on any kernel)
sed "s|<link state='up'/>|<link state='up'/><bandwidth><inbound average='10' burst='4294967295'/></bandwidth>|; s|$VN|$VN-bw|" \
    "$TMP/dom.xml" > "$TMP/bw.xml"
if command -v tc > /dev/null; then
    check "<bandwidth> tc refuses: start fails" eval '! V create "$TMP/bw.xml"'
    check "  ... libvirt's words: the command line and tc's error" grep -Eq \
        "Child process \(tc class add dev vnet[0-9]+ parent 1: classid 1:1 htb rate 10kbps burst 4294967295kb quantum 1\) unexpected exit status 1: Illegal \"burst\"" "$TMP/err"
    check "  ... nothing left" test -z "$(vnets)"
fi

kill -TERM "$DPID"; wait "$DPID" 2> /dev/null; DPID=
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
