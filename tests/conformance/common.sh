# common.sh: sourced by the conformance scripts (tests/conformance/*.sh).
#
# Finds the build (VIRTNET_TEST_BUILDDIR, exported by `make check`; else
# the current directory), the clients (virsh, /usr/bin/python3 with
# python3-libvirt), and starts a private virtnetd on sockets in a fresh
# directory. Everything started here is stopped by its pid on exit.

CONF_HERE=$(cd "$(dirname "$0")" && pwd)
CONF_SRCDIR=${VIRTNET_TEST_SRCDIR:-$(cd "$CONF_HERE/../.." && pwd)}
CONF_BUILDDIR=${VIRTNET_TEST_BUILDDIR:-$(pwd)}
PY=/usr/bin/python3
VIRTNETD=${VIRTNETD:-$CONF_BUILDDIR/daemon/virtnetd}
CONF_PIDS=
CONF_DIRS=

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

need_python_libvirt() {
    [ -x "$PY" ] && "$PY" -c 'import libvirt' 2>/dev/null ||
        skip "python3-libvirt is not installed ($PY cannot import libvirt)"
}

need_virsh() {
    command -v virsh > /dev/null 2>&1 ||
        skip "virsh is not installed (package libvirt-clients)"
}

need_virtnetd() {
    [ -x "$VIRTNETD" ] ||
        fail "no $VIRTNETD: build daemon/virtnetd first (or set VIRTNETD or VIRTNET_TEST_BUILDDIR)"
}

conf_cleanup() {
    for p in $CONF_PIDS; do
        kill "$p" 2> /dev/null
    done
    for p in $CONF_PIDS; do
        # not always our child (libvirtd is started by a helper): poll
        i=0
        while kill -0 "$p" 2> /dev/null && [ $i -lt 50 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        wait "$p" 2> /dev/null
    done
    # keep the directories of a failed run for a look
    if [ "${CONF_KEEP:-0}" = 1 ]; then
        echo "kept: $CONF_DIRS"
    else
        for d in $CONF_DIRS; do rm -rf "$d"; done
    fi
}
trap conf_cleanup EXIT
trap 'exit 1' INT TERM

conf_tmpdir() {  # conf_tmpdir VAR: VAR = a fresh directory, removed at exit
    # (under /tmp: UNIX socket paths must be short)
    _d=$(mktemp -d /tmp/virtnet-conf.XXXXXX) || fail "mktemp"
    CONF_DIRS="$CONF_DIRS $_d"
    eval "$1=\$_d"
}

# start_virtnetd: sets VN_DIR, VN_PID, VN_URI, VN_RO_URI
start_virtnetd() {
    need_virtnetd
    conf_tmpdir VN_DIR
    printf 'unix_sock_dir = "%s"\n' "$VN_DIR" > "$VN_DIR/virtnetd.conf"
    "$VIRTNETD" -f "$VN_DIR/virtnetd.conf" > "$VN_DIR/virtnetd.out" 2>&1 &
    VN_PID=$!
    CONF_PIDS="$CONF_PIDS $VN_PID"
    i=0
    until grep -q "virtnetd: ready" "$VN_DIR/virtnetd.out" 2> /dev/null; do
        if ! kill -0 "$VN_PID" 2> /dev/null || [ $i -ge 100 ]; then
            cat "$VN_DIR/virtnetd.out"
            fail "virtnetd did not start"
        fi
        sleep 0.1
        i=$((i + 1))
    done
    VN_URI="test+unix:///default?socket=$VN_DIR/libvirt-sock"
    VN_RO_URI="test+unix:///default?socket=$VN_DIR/libvirt-sock-ro"
}

# virtnetd_alive WHAT: fail unless the daemon still runs
virtnetd_alive() {
    kill -0 "$VN_PID" 2> /dev/null || {
        cat "$VN_DIR/virtnetd.out"
        fail "virtnetd is not running any more ($1)"
    }
}

# stop_virtnetd: SIGTERM, the daemon must exit 0 within 10 s
stop_virtnetd() {
    kill "$VN_PID"
    i=0
    while kill -0 "$VN_PID" 2> /dev/null && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -0 "$VN_PID" 2> /dev/null && fail "virtnetd did not stop within 10 s of SIGTERM"
    wait "$VN_PID"
    rc=$?
    CONF_PIDS=$(echo "$CONF_PIDS" | sed "s/ $VN_PID\b//")
    [ $rc = 0 ] || {
        cat "$VN_DIR/virtnetd.out"
        fail "virtnetd exited with status $rc after SIGTERM"
    }
}
