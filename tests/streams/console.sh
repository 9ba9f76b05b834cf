#!/bin/bash
# console.sh: `virsh console` into an LXC container of virtnetd's
# (console.py virsh: a command typed into its shell through a pty and the
# output read back, a second client refused, --force taking over, Ctrl-],
# tools/virtnet's console from a pipe and on a raw pty), the console log,
# then libvirt-python's transcript (console.py api), compared with libvirtd 9.0's LXC driver
# when it is installed: equal but for the lines marked "deviation" (libvirt's
# LXC driver lets two clients share a console and refuses --force).
#
# Skips (77) without root, namespaces, virsh or python3-libvirt.
set -u

BUILD=$(cd "${VIRTNET_TEST_BUILDDIR:-.}" && pwd)
SRC=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
VIRTNETD=$BUILD/daemon/virtnetd
VIRTNET=$BUILD/tools/virtnet
CTRL=$BUILD/src/drivers/lxc/virtnet_lxc
. "$SRC/tests/libvirtd-ns.sh"

skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL $*"; exit 1; }
[ "$(id -u)" = 0 ] || skip "LXC containers need root"
unshare -pfmiu true 2> /dev/null || skip "the kernel refuses PID/mount/UTS/IPC namespaces"
command -v virsh > /dev/null || skip "virsh is not installed (libvirt-clients)"
"$PY" -c 'import libvirt' 2> /dev/null || skip "python3-libvirt is not installed"

TMP=$(mktemp -d /tmp/vn-console.XXXXXX)
DPID=
NAME=vnst-console-$$
cleanup() {
    [ -n "$DPID" ] && virsh -c "$URI" destroy "$NAME" > /dev/null 2>&1
    if [ -n "$DPID" ]; then kill -TERM "$DPID" 2> /dev/null; wait "$DPID" 2> /dev/null; fi
    if [ -n "$LPID" ]; then
        virsh -c "$LURI" destroy "$NAME" > /dev/null 2>&1
        virsh -c "$LURI" undefine "$NAME" > /dev/null 2>&1
    fi
    libvirtd_ns_stop
    [ -z "${VIRTNET_TEST_KEEP:-}" ] && rm -rf "$TMP"
}
trap cleanup EXIT

mkdir -p "$TMP/run"
echo "unix_sock_dir = \"$TMP/run\"" > "$TMP/virtnetd.conf"
VIRTNET_LXC_STATE_DIR="$TMP/run/lxc" VIRTNET_LXC_CONFIG_DIR="$TMP/etc/lxc" \
    VIRTNET_LXC_CONTROLLER="$CTRL" \
    "$VIRTNETD" -f "$TMP/virtnetd.conf" > "$TMP/virtnetd.out" 2> "$TMP/virtnetd.err" &
DPID=$!
for _ in $(seq 1 100); do
    grep -q '^virtnetd: ready' "$TMP/virtnetd.out" 2> /dev/null && break
    sleep 0.1
done
URI="lxc+unix:///system?socket=$TMP/run/libvirt-sock"
LURI=

cat > "$TMP/dom.xml" <<EOF
<domain type='lxc'>
  <name>$NAME</name>
  <memory unit='KiB'>131072</memory>
  <os><type>exe</type><init>/bin/sh</init></os>
  <devices><console type='pty'/></devices>
</domain>
EOF

start() {   # start URI: define (again) and start the container
    virsh -c "$1" define "$TMP/dom.xml" > /dev/null 2> "$TMP/err" &&
        virsh -c "$1" start "$NAME" > /dev/null 2>> "$TMP/err" ||
        fail "cannot start the container on $1: $(cat "$TMP/err")"
}

start "$URI"
"$PY" "$SRC/tests/streams/console.py" virsh "$URI" "$NAME" "$VIRTNET" || exit 1
grep -q "hello-42" "$TMP/run/lxc/$NAME.log" ||
    fail "the console log lacks the console's output: $(tail -c 300 "$TMP/run/lxc/$NAME.log")"
echo "ok   the console log has what the console showed"

"$PY" "$SRC/tests/streams/console.py" api "$URI" "$NAME" > "$TMP/virtnetd.txt" 2>&1 ||
    fail "console.py api: $(cat "$TMP/virtnetd.txt")"
for want in "console: connected" "typed command's output: seen" \
            "deviation a second client: error 9/.* Active console session exists for this domain" \
            "deviation a client with FORCE: connected" \
            "deviation the first client after FORCE: error .*taken over by another client" \
            "unknown console: error 1/.* cannot find console device 'serial9'" \
            "console when the init exits: end of data" \
            "console of a shut-off domain: error 55/.* domain is not running"; do
    grep -q "^$want" "$TMP/virtnetd.txt" ||
        fail "libvirt-python's transcript lacks '$want':$(sed 's/^/\n    /' "$TMP/virtnetd.txt")"
done
# virtnetd must notice the init's exit by itself, never by the destroy
# console.py falls back to for libvirtd
grep '^note' "$TMP/virtnetd.txt" && fail "virtnetd did not notice the container's end"
virsh -c "$URI" undefine "$NAME" > /dev/null 2>&1
echo "ok   libvirt-python: $(wc -l < "$TMP/virtnetd.txt") steps as expected"

# the daemon leaves cleanly (under ASan: nothing leaked)
kill -TERM "$DPID"
wait "$DPID"
rc=$?
DPID=
[ $rc = 0 ] || fail "virtnetd exited with status $rc after SIGTERM: $(tail -30 "$TMP/virtnetd.err")"
echo "ok   virtnetd stops cleanly"

# ---- libvirtd 9.0's LXC driver, the reference ----------------------------------
[ -x "$LIBVIRTD" ] && ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_lxc.so \
    > /dev/null 2>&1 || { echo "note no libvirtd LXC driver to compare with"; exit 0; }
libvirtd_ns_start "$TMP/libvirtd" > "$TMP/libvirtd.start" ||
    fail "the reference libvirtd did not start: $(cat "$TMP/libvirtd.start")"
LURI="lxc+unix:///system?socket=$TMP/libvirtd/sock/libvirt-sock"
start "$LURI"
"$PY" "$SRC/tests/streams/console.py" api "$LURI" "$NAME" > "$TMP/libvirtd.txt" 2>&1 ||
    fail "console.py api against libvirtd: $(cat "$TMP/libvirtd.txt")"
if ! diff -u <(grep -v '^deviation\|^note' "$TMP/libvirtd.txt") \
             <(grep -v '^deviation\|^note' "$TMP/virtnetd.txt") > "$TMP/diff"; then
    echo "FAIL virtnetd's console transcript differs from libvirtd's (- libvirtd, + virtnetd):"
    sed 's/^/    /' "$TMP/diff"
    exit 1
fi
echo "ok   the same console transcript as libvirtd $("$LIBVIRTD" --version | awk '{print $NF}'), but for"
grep '^deviation' "$TMP/libvirtd.txt" | sed 's/^deviation/    libvirtd:/'
grep '^deviation' "$TMP/virtnetd.txt" | sed 's/^deviation/    virtnetd:/'
grep -h '^note' "$TMP/libvirtd.txt" | sed 's/^note/note libvirtd:/'
exit 0
