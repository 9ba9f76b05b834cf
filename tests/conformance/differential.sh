#!/bin/sh
# differential.sh [--record]: the conformance scenario (scenario.py)
# against a private libvirtd 9.0 and against virtnetd; the two transcripts
# must be equal (compare.py: a difference in a step marked [deviation] is
# reported, not failed). libvirtd's transcript must also equal
# scenario.expected, which scenario.sh uses without root; --record
# rewrites scenario.expected from libvirtd instead.
#
# libvirtd runs as root in its own mount and network namespaces
# (tests/remote-trace/start-libvirtd.sh); without root, libvirtd or
# namespaces the test is skipped.
. "$(dirname "$0")/common.sh"
record=0
[ "${1:-}" = --record ] && record=1
need_python_libvirt
need_virsh
[ "$(id -u)" = 0 ] ||
    skip "not root: the private libvirtd needs its own mount and network namespaces"
command -v libvirtd > /dev/null 2>&1 ||
    skip "libvirtd is not installed (package libvirt-daemon)"
unshare --mount --net --propagation private true 2> /dev/null ||
    skip "cannot create mount and network namespaces (unshare failed)"
lv_version=$(libvirtd --version 2> /dev/null | awk '{print $NF}')
echo "libvirtd $lv_version"

conf_tmpdir LV_DIR
lv_pid=$("$CONF_SRCDIR/tests/remote-trace/start-libvirtd.sh" "$LV_DIR") || {
    cat "$LV_DIR/libvirtd.out" 2> /dev/null
    fail "libvirtd did not start"
}
CONF_PIDS="$CONF_PIDS $lv_pid"
LV_URI="test+unix:///default?socket=$LV_DIR/libvirt-sock"
start_virtnetd

# both at once: each daemon has its own state
timeout 150 "$PY" "$CONF_HERE/scenario.py" "$LV_URI" "$LV_DIR/libvirtd.txt" \
    2> "$LV_DIR/scenario.err" &
lv_run=$!
timeout 150 "$PY" "$CONF_HERE/scenario.py" "$VN_URI" "$VN_DIR/virtnetd.txt" \
    2> "$VN_DIR/scenario.err"
vn_rc=$?
wait $lv_run
lv_rc=$?
[ $lv_rc = 0 ] || {
    cat "$LV_DIR/scenario.err"
    fail "scenario.py against libvirtd exited with status $lv_rc (transcript $LV_DIR/libvirtd.txt)"
}
virtnetd_alive "after the scenario"

status=0
echo "--- libvirtd $lv_version vs virtnetd"
"$PY" "$CONF_HERE/compare.py" "$LV_DIR/libvirtd.txt" "$VN_DIR/virtnetd.txt" \
    libvirtd virtnetd || status=1
[ $vn_rc = 0 ] || {
    cat "$VN_DIR/scenario.err"
    echo "scenario.py against virtnetd exited with status $vn_rc"
    status=1
}
case $lv_version in
9.0.*)
    if [ $record = 1 ]; then
        cp "$LV_DIR/libvirtd.txt" "$CONF_HERE/scenario.expected"
        echo "recorded $CONF_HERE/scenario.expected"
    else
        echo "--- scenario.expected vs libvirtd $lv_version"
        CONFORMANCE_STRICT=1 "$PY" "$CONF_HERE/compare.py" \
            "$CONF_HERE/scenario.expected" "$LV_DIR/libvirtd.txt" \
            scenario.expected libvirtd || {
            echo "scenario.expected is out of date: run $0 --record"
            status=1
        }
    fi ;;
*)
    echo "libvirtd is not 9.0: scenario.expected not checked" ;;
esac
stop_virtnetd
[ $status = 0 ] || { CONF_KEEP=1; fail "the transcripts differ"; }
echo "PASS: virtnetd's transcript equals libvirtd's"
