# lxc-test-lib.sh: sourced by the shell tests that run containers through
# a virtnetd of their own (test-lxc-virsh.sh, test-lxc-agent-virsh.sh).

# Kill what a failed test left running: each container's init and
# controller, found by the pids in the state files in $1.
lxc_kill_leftovers() {
    local f pid init
    for f in "$1"/*.xml; do
        [ -e "$f" ] || continue
        pid=$(sed -n "s/.* pid='\([0-9]*\)'.*/\1/p" "$f" | head -1)
        init=$(sed -n "s/.* initpid='\([0-9]*\)'.*/\1/p" "$f" | head -1)
        [ -n "$init" ] && kill -9 "$init" 2> /dev/null
        [ -n "$pid" ] && kill -9 "$pid" 2> /dev/null
    done
}

# lxc_test_begin NAME: a temporary directory $TMP (vn-NAME.XXXXXX), removed
# at exit with the daemon $DPID and the containers it left (VIRTNET_TEST_KEEP
# keeps it); the counters PASS / FAIL and ok, fail (which shows the last
# virsh output) and check NAME COMMAND... (ok when the command succeeds).
lxc_test_begin() {
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/vn-$1.XXXXXX")
    DPID=
    trap lxc_test_cleanup EXIT
    PASS=0
    FAIL=0
}
lxc_test_cleanup() {
    if [ -n "$DPID" ]; then kill -9 "$DPID" 2> /dev/null; wait "$DPID" 2> /dev/null; fi
    lxc_kill_leftovers "$TMP/run/lxc"
    [ -z "${VIRTNET_TEST_KEEP:-}" ] && rm -rf "$TMP"
}
ok()   { PASS=$((PASS + 1)); echo "ok   $1"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $1"; sed 's/^/    /' "$TMP/out" "$TMP/err" 2> /dev/null; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }

# lxc_daemon_start: $VIRTNETD with its sockets in $TMP/run, the LXC state
# in $TMP/run/lxc, definitions in $TMP/etc/lxc, the controller $CTRL (and
# the agent of VIRTNET_LXC_AGENT when set); its PID in DPID, once ready.
# URI names it; V runs virsh on it, output in $TMP/out and $TMP/err.
lxc_daemon_start() {
    mkdir -p "$TMP/run" "$TMP/etc"
    echo "unix_sock_dir = \"$TMP/run\"" > "$TMP/virtnetd.conf"
    export VIRTNET_LXC_STATE_DIR="$TMP/run/lxc"
    export VIRTNET_LXC_CONFIG_DIR="$TMP/etc/lxc"
    export VIRTNET_LXC_CONTROLLER="$CTRL"
    "$VIRTNETD" -f "$TMP/virtnetd.conf" > "$TMP/daemon.out" 2> "$TMP/daemon.err" &
    DPID=$!
    for _ in $(seq 1 300); do
        grep -q '^virtnetd: ready' "$TMP/daemon.out" 2> /dev/null && break
        kill -0 "$DPID" 2> /dev/null || { echo "FAIL virtnetd exited:"; cat "$TMP/daemon.err"; exit 1; }
        sleep 0.1
    done
    URI="lxc+unix:///system?socket=$TMP/run/libvirt-sock"
}
V() { virsh -c "$URI" "$@" > "$TMP/out" 2> "$TMP/err"; }
