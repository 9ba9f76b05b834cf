#!/bin/bash
# test-storage.sh: the storage and secret drivers of lxc:///system (the
# secondary drivers) through virtnetd.
#
#  1. differential: tests/storage-differential.py against libvirtd 9.0's
#     lxc:///system (its storage and secret drivers, in a mount namespace:
#     tests/libvirtd-ns.sh) and against virtnetd, each with a dir pool in a
#     directory of its own; the traces (values, errors, events) must be
#     identical. Skipped when libvirtd or its drivers are missing.
#  2. tests/storage-checks.py against virtnetd alone (and tools/virtnet's
#     listing commands against virsh's output on the same objects): the files on disk
#     (volumes created, cloned, wiped with every algorithm, resized,
#     deleted; secrets' modes), names that would leave the pool refused
#     with nothing written, a restart keeping everything, and kill -9
#     during pool defines and volume creates (fsync slowed down by
#     tests/fault/vnfault.so) leaving no half-written definition or volume;
#     clones and wipes in virtnet_iohelper (progress seen from another
#     connection, the helper killed, the daemon stopped during a clone).
#
# Root only (the LXC driver opens for root): skips (77) otherwise. Every
# file goes to a temporary directory.
set -u

BUILD=${VIRTNET_TEST_BUILDDIR:-.}
BUILD=$(cd "$BUILD" && pwd)
SRC=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
PY=/usr/bin/python3
VIRTNETD=$BUILD/daemon/virtnetd
SHIM=$BUILD/tests/fault/vnfault.so
. "$SRC/tests/libvirtd-ns.sh"

skip() { echo "skip: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "lxc:///system opens for root only"
"$PY" -c 'import libvirt' 2> /dev/null || skip "python3-libvirt is not installed"
[ -x "$VIRTNETD" ] || { echo "FAIL $VIRTNETD is missing (build it first)"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vn-storage.XXXXXX")
DPID=
cleanup() {
    if [ -n "$DPID" ]; then kill -9 "$DPID" 2> /dev/null; wait "$DPID" 2> /dev/null; fi
    libvirtd_ns_stop
    [ -z "${VIRTNET_TEST_KEEP:-}" ] && rm -rf "$TMP"
}
trap cleanup EXIT

# virtnetd with every directory under $TMP/vn; extra environment in $@.
start_virtnetd() {
    mkdir -p "$TMP/vn/run"
    echo "unix_sock_dir = \"$TMP/vn/run\"" > "$TMP/vn/virtnetd.conf"
    echo 'log_level = 1' >> "$TMP/vn/virtnetd.conf"
    echo "log_outputs = \"1:file:$TMP/vn/virtnetd.log\"" >> "$TMP/vn/virtnetd.conf"
    rm -f "$TMP/vn/ready"
    env VIRTNET_LXC_STATE_DIR="$TMP/vn/lxcstate" VIRTNET_LXC_CONFIG_DIR="$TMP/vn/lxcconf" \
        VIRTNET_STORAGE_CONFIG_DIR="$TMP/vn/storage" VIRTNET_STORAGE_STATE_DIR="$TMP/vn/state" \
        VIRTNET_SECRET_CONFIG_DIR="$TMP/vn/secrets" "$@" \
        "$VIRTNETD" -f "$TMP/vn/virtnetd.conf" > "$TMP/vn/out" 2>> "$TMP/vn/err" &
    DPID=$!
    for _ in $(seq 1 100); do
        grep -q '^virtnetd: ready' "$TMP/vn/out" 2> /dev/null && return 0
        kill -0 "$DPID" 2> /dev/null || break
        sleep 0.1
    done
    echo "FAIL virtnetd did not start:"; cat "$TMP/vn/err"; exit 1
}
# SIGTERM must end it with status 0 (and a sanitizer build without a
# report); SIGKILL is the crash test.
stop_virtnetd() {
    local sig=${1:-TERM} rc
    kill -"$sig" "$DPID" 2> /dev/null
    wait "$DPID" 2> /dev/null
    rc=$?
    DPID=
    if [ "$sig" = TERM ] && [ $rc != 0 ]; then
        echo "FAIL virtnetd exited with status $rc on SIGTERM:"; tail -30 "$TMP/vn/err"; fail=1
    fi
}
VN_URI="lxc+unix:///system?socket=$TMP/vn/run/libvirt-sock"

fail=0

# ---- 1. differential ----------------------------------------------------------
start_virtnetd
mkdir -p "$TMP/vn/pools" "$TMP/lv/pools"
timeout 120 "$PY" "$SRC/tests/storage-differential.py" "$VN_URI" "$TMP/vn/pools" \
    > "$TMP/vn.trace" 2> "$TMP/vn.stderr" ||
    { echo "FAIL the scenario did not run against virtnetd:"; cat "$TMP/vn.stderr"; exit 1; }
if [ ! -x "$LIBVIRTD" ] || [ ! -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_storage.so ] &&
        ! ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_storage.so > /dev/null 2>&1; then
    echo "skip differential: libvirtd or its storage driver is not installed"
elif ! ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_lxc.so > /dev/null 2>&1; then
    echo "skip differential: libvirtd's LXC driver is not installed"
elif ! libvirtd_ns_start "$TMP/libvirtd" > "$TMP/libvirtd.start"; then
    echo "skip differential: $(cat "$TMP/libvirtd.start")"
else
    timeout 120 "$PY" "$SRC/tests/storage-differential.py" \
        "lxc+unix:///system?socket=$L/sock/libvirt-sock" "$TMP/lv/pools" \
        > "$TMP/lv.trace" 2> "$TMP/lv.stderr" ||
        { echo "FAIL the scenario did not run against libvirtd:"; cat "$TMP/lv.stderr"; exit 1; }
    libvirtd_ns_stop
    if cmp -s "$TMP/lv.trace" "$TMP/vn.trace"; then
        echo "ok   differential: $(wc -l < "$TMP/vn.trace") trace lines identical to libvirtd 9.0's"
    else
        echo "FAIL differential (- libvirtd 9.0, + virtnetd):"
        diff -u "$TMP/lv.trace" "$TMP/vn.trace" | sed 's/^/     /'
        fail=1
    fi
fi
stop_virtnetd

# ---- 2. virtnetd alone: the files -------------------------------------------------
checks() {
    timeout 120 "$PY" "$SRC/tests/storage-checks.py" "$1" "$VN_URI" "$TMP/checks" "$TMP/acks" \
        > "$TMP/checks-$1.out" 2>&1
    local rc=$?
    sed 's/^/     /' "$TMP/checks-$1.out"
    [ $rc = 0 ] || { echo "FAIL storage-checks.py $1 (rc $rc)"; fail=1; }
}
mkdir -p "$TMP/checks"
start_virtnetd
checks disk
# virtnet's listing commands print as virsh's on these pools and secrets
for cmd in "pool-list --all" "vol-list vntc1" "vol-info vntv --pool vntc1" \
           "vol-info $TMP/checks/c1/vnts --bytes" "secret-list" "pool-dumpxml vntc2"; do
    # shellcheck disable=SC2086
    virsh -c "$VN_URI" $cmd > "$TMP/ref.out" 2>&1
    # shellcheck disable=SC2086
    "$BUILD/tools/virtnet" -c "$VN_URI" $cmd > "$TMP/vn.out" 2>&1
    if cmp -s "$TMP/ref.out" "$TMP/vn.out"; then
        echo "     ok   virtnet $cmd prints as virsh"
    else
        echo "FAIL virtnet $cmd (- virsh, + virtnet):"; diff -u "$TMP/ref.out" "$TMP/vn.out"; fail=1
    fi
done
stop_virtnetd
start_virtnetd
checks restart
stop_virtnetd

# clone and wipe in the I/O helper, paced to 64 MiB/s so that they last;
# the step ends the daemon with SIGTERM during a clone
start_virtnetd VIRTNET_JOB_BANDWIDTH=64
VNT_DAEMON_PID=$DPID checks jobs
stop_virtnetd

# kill -9 while pools are defined and volumes written, fsync slowed down to
# widen the window between a temporary file and its rename
# (an ASan daemon does not start with the shim preloaded: there the kill
# lands without the slowdown)
if ldd "$VIRTNETD" 2> /dev/null | grep -q libasan; then
    SHIM_ENV=
    echo "     (sanitizer build: kill -9 without vnfault.so)"
else
    SHIM_ENV="LD_PRELOAD=$SHIM VNFAULT_FSYNC_DELAY_MS=20 VNFAULT_FILE_FAULTS_ONLY_PID=1"
fi
if [ -e "$SHIM" ]; then
    # shellcheck disable=SC2086
    start_virtnetd $SHIM_ENV
    "$PY" "$SRC/tests/storage-checks.py" crash "$VN_URI" "$TMP/checks" "$TMP/acks" \
        > "$TMP/crash.out" 2>&1 &
    CPID=$!
    # the first volume acknowledged, then a little more (a loaded machine
    # running the ASan build took more than 5 s to get there)
    for _ in $(seq 1 600); do grep -q '^vol ' "$TMP/acks" 2> /dev/null && break; sleep 0.1; done
    sleep 0.7
    stop_virtnetd KILL
    wait "$CPID"
    if ! grep -q '^vol ' "$TMP/acks" 2> /dev/null; then
        echo "FAIL the crash step acknowledged no volume in 60 s: $(tail -5 "$TMP/crash.out")"
        exit 1
    fi
    echo "     kill -9 after $(grep -c '^pool ' "$TMP/acks") pool definitions and $(grep -c '^vol ' "$TMP/acks") volumes acknowledged;" \
         "left: $(find "$TMP/vn/storage" "$TMP/checks/crash" -name '.*' | wc -l) temporary file(s)"
    start_virtnetd
    checks recovered
    stop_virtnetd
else
    echo "skip crash: $SHIM is missing"
fi
if grep -q "Sanitizer\|runtime error" "$TMP/vn/err"; then
    echo "FAIL the sanitizers reported:"; grep -A20 "Sanitizer\|runtime error" "$TMP/vn/err" | head -60
    fail=1
fi
exit $fail
