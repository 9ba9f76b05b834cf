#!/bin/sh
# badinput.sh: malformed XML, unknown URIs, unknown procedures, clients
# that go away mid-call and garbage bytes against virtnetd (badinput.py);
# the daemon must answer or close the offending connection, keep serving
# the others, and still stop cleanly on SIGTERM.
. "$(dirname "$0")/common.sh"
need_python_libvirt
start_virtnetd
timeout 120 "$PY" "$CONF_HERE/badinput.py" "$VN_DIR/libvirt-sock"
rc=$?
virtnetd_alive "after the bad input"
stop_virtnetd
[ $rc = 0 ] || fail "badinput.py exited with status $rc"
