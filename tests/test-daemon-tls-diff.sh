#!/bin/sh
# test-daemon-tls-diff.sh: runs tests/tls/differential.py with /usr/bin/python3
# (which has python3-libvirt): the TLS checks against a private libvirtd 9.0
# and against virtnetd; the transcripts must match. Exit 0 pass, 1 fail,
# 77 skip (not root; no libvirtd, virsh, certtool, unshare, nsenter).
HERE=$(cd "$(dirname "$0")" && pwd)
if [ ! -x /usr/bin/python3 ]; then
    echo "SKIP: /usr/bin/python3 is not installed"
    exit 77
fi
exec /usr/bin/python3 "$HERE/tls/differential.py" "$@"
