#!/bin/sh
# scenario.sh: the conformance scenario (scenario.py, libvirt-python and
# virsh) against virtnetd; its transcript must equal scenario.expected,
# the transcript of libvirtd 9.0 (recorded by `differential.sh --record`,
# which also checks it against a live libvirtd). Needs no root.
. "$(dirname "$0")/common.sh"
need_python_libvirt
need_virsh
start_virtnetd
timeout 150 "$PY" "$CONF_HERE/scenario.py" "$VN_URI" "$VN_DIR/virtnetd.txt" \
    2> "$VN_DIR/scenario.err"
rc=$?
virtnetd_alive "after the scenario"
"$PY" "$CONF_HERE/compare.py" "$CONF_HERE/scenario.expected" \
    "$VN_DIR/virtnetd.txt" libvirtd-9.0 virtnetd || {
    CONF_KEEP=1
    fail "virtnetd's transcript ($VN_DIR/virtnetd.txt) differs from libvirtd's (scenario.expected)"
}
[ $rc = 0 ] || {
    cat "$VN_DIR/scenario.err"
    fail "scenario.py exited with status $rc"
}
stop_virtnetd
echo "PASS: scenario transcript equals libvirtd 9.0's"
