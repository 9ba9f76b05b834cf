#!/bin/bash
# test-lxc-userns-differential.sh: the user namespace scenario of
# tests/lxc-differential.py (`URI userns`, scenario 21: <idmap> errors at
# define, the maps and host IDs of the init, the owner of what it makes in
# a host directory and of its device nodes, what it sees inside, maps the
# kernel refuses at start) against libvirtd 9.0's LXC driver and against
# virtnetd; the traces must be the same.
#
# A run of its own, with daemons of its own: test-lxc-differential.sh's
# daemons see fake USB devices mounted over /sys/bus, and while a mount
# hides part of the host's sysfs the kernel lets no user namespace mount a
# sysfs of its own (both daemons' containers would fail alike).
# libvirtd runs in a mount namespace of its own (tests/libvirtd-ns.sh).
#
# Skips (77) without root, user namespaces (or where the kernel refuses a
# sysfs in one), libvirtd's LXC driver (libvirt-daemon-driver-lxc),
# python3-libvirt, or a virtnetd with the LXC driver registered.
set -u

BUILD=${VIRTNET_TEST_BUILDDIR:-.}
BUILD=$(cd "$BUILD" && pwd)
SRC=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
PY=/usr/bin/python3
VIRTNETD=$BUILD/daemon/virtnetd
CTRL=$BUILD/src/drivers/lxc/virtnet_lxc
. "$SRC/tests/libvirtd-ns.sh"
. "$SRC/tests/lxc-test-lib.sh"

skip() { echo "skip: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "LXC containers need root"
unshare -pfmiu true 2> /dev/null || skip "the kernel refuses PID/mount/UTS/IPC namespaces"
unshare -Urnm sh -c 'mount -t sysfs sysfs /sys' 2> /dev/null ||
    skip "the kernel refuses a sysfs in a user namespace here (user namespaces off, or a mount hides part of /sys)"
[ -x "$LIBVIRTD" ] || skip "libvirtd is not installed"
ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_lxc.so > /dev/null 2>&1 ||
    skip "libvirtd's LXC driver is not installed (libvirt-daemon-driver-lxc)"
"$PY" -c 'import libvirt' 2> /dev/null || skip "python3-libvirt is not installed"
for f in "$VIRTNETD" "$CTRL"; do
    [ -x "$f" ] || { echo "FAIL $f is missing (build it first)"; exit 1; }
done

lxc_test_begin lxcusernsdiff
LOOPDEV=
cleanup() {
    [ -n "$DPID" ] && destroy_all_domains "$URI"
    [ -n "$LPID" ] && destroy_all_domains "lxc+unix:///system?socket=$L/sock/libvirt-sock"
    libvirtd_ns_stop
    [ -n "$LOOPDEV" ] && losetup -d "$LOOPDEV" 2> /dev/null
    lxc_test_cleanup
}
trap cleanup EXIT

if ! libvirtd_ns_start "$TMP/libvirtd" > "$TMP/libvirtd.start"; then
    echo "SKIP: the reference libvirtd did not start:"; cat "$TMP/libvirtd.start"
    tail -20 "$L/libvirtd.log" 2> /dev/null
    exit 77
fi
URI=
lxc_daemon_start
lxc_diff_virtnetd_ready "$URI"

# a block device for the disk nodes (left out on both without one)
truncate -s 1M "$TMP/disk.img"
if LOOPDEV=$(losetup -f --show "$TMP/disk.img" 2> "$TMP/losetup.err"); then
    export LXC_DIFF_LOOP=$LOOPDEV
else
    LOOPDEV=
    echo "note no loop device (the disk nodes are left out): $(cat "$TMP/losetup.err")"
fi

LXC_DIFF_MODE=userns
LXC_DIFF_TIMEOUT=120
lxc_diff_run_virtnetd "$URI"
# the run holds what it must on its own: the init is the mapped root
lxc_diff_expect "dtu uid_map: ['0 100000 65536']" "dtu gid_map: ['0 100000 65536']" \
    "dtu status: ['Uid: 100000 100000 100000 100000', 'Gid: 100000 100000 100000 100000', 'Groups:']" \
    "dtu host owner of made: 100000:100000" "dtu inside: ids 0 0 0" \
    "dtu inside: console written" \
    "dtu2 uid_map: ['0 100000 1000', '1000 101000 64536']" \
    "dtu overlapping start refused: domain 17, uid_map: Invalid argument"
if [ -n "$LOOPDEV" ] && ! grep -qxF "dtu host owner of /dev/vdb: 100000:100000" "$TMP/virtnetd.trace"; then
    echo "FAIL the live disk node is not the mapped root's"; cat "$TMP/virtnetd.full"; exit 1
fi

# the /dev tmpfs of each container (the controller's, DIR/NAME.dev) is
# gone with it, refused starts' too, and never was in the host's mounts
if ls -d "$TMP/run/lxc"/*.dev 2> /dev/null || grep -q "$TMP/run/lxc/.*\.dev" /proc/self/mountinfo; then
    echo "FAIL a container's /dev was left behind"; exit 1
fi

compare_with_reference "lxc+unix:///system?socket=$L/sock/libvirt-sock" 3
