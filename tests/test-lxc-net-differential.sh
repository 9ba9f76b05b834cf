#!/bin/bash
# test-lxc-net-differential.sh: the interface scenarios of
# tests/lxc-differential.py (`URI net`: <interface> with <ip> and <route>,
# the live XML, domiflist's view, the stats' structure, the addresses,
# links and routes inside the container, a live attach, bad input, a start
# the kernel refuses; <interface type='direct'>: macvlan links on the host
# links vnlow0 / vnpt0 made here; <bandwidth>: the tc command lines, what
# tc shows) against libvirtd 9.0's LXC driver and
# against virtnetd; the traces must be the same, section by section.
#
# Both daemons run in one network namespace this test makes (unshare -n),
# with a bridge vnbr0 there: the host's interfaces are never touched.
# libvirtd runs in a mount namespace of its own inside it
# (tests/libvirtd-ns.sh).
#
# Skips (77) without root, namespaces, ip (iproute2), libvirtd's LXC
# driver (libvirt-daemon-driver-lxc), python3-libvirt, or a virtnetd with
# the LXC driver registered.
set -u

BUILD=${VIRTNET_TEST_BUILDDIR:-.}
BUILD=$(cd "$BUILD" && pwd)
SRC=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
PY=/usr/bin/python3
VIRTNETD=$BUILD/daemon/virtnetd
CTRL=$BUILD/src/drivers/lxc/virtnet_lxc
. "$SRC/tests/libvirtd-ns.sh"

skip() { echo "skip: $*"; exit 77; }
if [ -z "${VN_LXC_NETDIFF_NS:-}" ]; then
    [ "$(id -u)" = 0 ] || skip "LXC containers need root"
    unshare -pfmiu true 2> /dev/null || skip "the kernel refuses PID/mount/UTS/IPC namespaces"
    unshare -n true 2> /dev/null || skip "the kernel refuses network namespaces"
    command -v ip > /dev/null || skip "ip (iproute2) is not installed"
    command -v nsenter > /dev/null || skip "nsenter (util-linux) is not installed"
    [ -x "$LIBVIRTD" ] || skip "libvirtd is not installed"
    ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_lxc.so > /dev/null 2>&1 ||
        skip "libvirtd's LXC driver is not installed (libvirt-daemon-driver-lxc)"
    "$PY" -c 'import libvirt' 2> /dev/null || skip "python3-libvirt is not installed"
    for f in "$VIRTNETD" "$CTRL"; do
        [ -x "$f" ] || { echo "FAIL $f is missing (build it first)"; exit 1; }
    done
    VN_LXC_NETDIFF_NS=1 exec unshare -n "$0" "$@"
fi

ip link add vnbr0 type bridge 2> /dev/null || skip "no bridge devices in this kernel"
ip link add vnprobe0 type veth peer name vnprobe1 2> /dev/null || skip "no veth devices in this kernel"
ip link del vnprobe0
# the host links of the direct interfaces (macvlan): veth ends, as this
# kernel may have no dummy links
ip link add vnlow0 type veth peer name vnlow1 || skip "no veth devices in this kernel"
ip link add vnpt0 type veth peer name vnpt1
ip link add link vnlow0 name vnprobe0 type macvlan 2> /dev/null ||
    skip "no macvlan devices in this kernel"
ip link del vnprobe0
ip link set lo up
ip link set vnbr0 up
ip addr add 10.77.0.1/24 dev vnbr0
ip addr add fd77::1/64 dev vnbr0 nodad

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vn-lxcnetdiff.XXXXXX")
DPID=
cleanup() {
    if [ -n "$DPID" ]; then destroy_all_domains "lxc+unix:///system?socket=$TMP/run/libvirt-sock"; fi
    [ -n "$LPID" ] && destroy_all_domains "lxc+unix:///system?socket=$L/sock/libvirt-sock"
    if [ -n "$DPID" ]; then kill -9 "$DPID" 2> /dev/null; wait "$DPID" 2> /dev/null; fi
    libvirtd_ns_stop
    [ -z "${VIRTNET_TEST_KEEP:-}" ] && rm -rf "$TMP"
}
trap cleanup EXIT

# tc, as both daemons run it for <bandwidth>: in each daemon's mount
# namespace /usr/sbin/tc is a script that writes its arguments to
# $LXC_DIFF_TC_LOG, then runs the real tc (a copy here); the scenario
# compares the command lines (this kernel may lack the qdiscs and actions
# libvirt asks for: the commands are compared even when they fail).
TCSETUP=
if command -v tc > /dev/null && [ -x /usr/sbin/tc ]; then
    cp /usr/sbin/tc "$TMP/tc.real"
    export LXC_DIFF_TC_LOG=$TMP/tc.log
    : > "$LXC_DIFF_TC_LOG"
    printf '#!/bin/sh\necho "$*" >> "%s"\nexec "%s" "$@"\n' "$LXC_DIFF_TC_LOG" "$TMP/tc.real" \
        > "$TMP/tc.fake"
    chmod 755 "$TMP/tc.fake"
    TCSETUP="mount --bind \"$TMP/tc.fake\" /usr/sbin/tc"
else
    echo "note no /usr/sbin/tc: the command lines of <bandwidth> are not compared"
fi
export LIBVIRTD_NS_SETUP=$TCSETUP

if ! libvirtd_ns_start "$TMP/libvirtd" > "$TMP/libvirtd.start"; then
    echo "SKIP: the reference libvirtd did not start:"; cat "$TMP/libvirtd.start"
    tail -20 "$L/libvirtd.log" 2> /dev/null
    exit 77
fi

mkdir -p "$TMP/run"
echo "unix_sock_dir = \"$TMP/run\"" > "$TMP/virtnetd.conf"
NS=()
[ -n "$TCSETUP" ] && NS=(unshare -m --propagation private bash -c "$TCSETUP
exec \"\$0\" \"\$@\"")
VIRTNET_LXC_STATE_DIR="$TMP/run/lxc" VIRTNET_LXC_CONFIG_DIR="$TMP/etc/lxc" \
    VIRTNET_LXC_CONTROLLER="$CTRL" \
    "${NS[@]}" "$VIRTNETD" -f "$TMP/virtnetd.conf" > "$TMP/virtnetd.out" 2> "$TMP/virtnetd.err" &
DPID=$!
for _ in $(seq 1 100); do
    grep -q '^virtnetd: ready' "$TMP/virtnetd.out" 2> /dev/null && break
    sleep 0.1
done
lxc_diff_virtnetd_ready "lxc+unix:///system?socket=$TMP/run/libvirt-sock"

LXC_DIFF_MODE=net
LXC_DIFF_TIMEOUT=120
lxc_diff_run_virtnetd "lxc+unix:///system?socket=$TMP/run/libvirt-sock"
# the run holds what it must on its own: addresses and routes inside
lxc_diff_expect "dtn inside addr eth0 inet 10.77.0.12/24 brd 10.77.0.255" \
    "dtn inside addr eth0 inet6 fd77::12/64 brd -" \
    "dtn inside route -4 10.78.0.0/16 via 10.77.0.1 dev eth0 proto boot metric 7" \
    "dtn inside route -6 fd78::/64 via fd77::1 dev eth0 proto boot metric 1" \
    "dtd inside macvlan eth2 52:54:00:77:02:04 down mode passthru" \
    "own dtd started again at once: ok" \
    "own dtd start network: error code 67 domain 17: unsupported configuration: interface type 'network' is not supported by virtnet's LXC driver (only 'bridge', 'ethernet' and 'direct': there is no network driver on lxc:///system)"

# Each section equal to that section of a complete reference run.
compare_with_reference "lxc+unix:///system?socket=$L/sock/libvirt-sock" 3
