#!/bin/sh
# multiclient.sh: 50 libvirt-python connections registered for lifecycle
# events while one more changes 20 domains (multiclient.py); every client
# must get every event exactly once, in order. Prints delivery times.
. "$(dirname "$0")/common.sh"
need_python_libvirt
start_virtnetd
timeout 120 "$PY" "$CONF_HERE/multiclient.py" "$VN_URI" 50 20
rc=$?
virtnetd_alive "after the multi-client run"
stop_virtnetd
[ $rc = 0 ] || fail "multiclient.py exited with status $rc"
