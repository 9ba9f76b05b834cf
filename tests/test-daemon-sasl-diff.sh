#!/bin/sh
# test-daemon-sasl-diff.sh: runs tests/sasl/differential.py with /usr/bin/python3 (which
# has python3-libvirt); see that file. Exit 0 pass, 1 fail, 77 skip.
HERE=$(cd "$(dirname "$0")" && pwd)
if [ ! -x /usr/bin/python3 ]; then
    echo "SKIP: /usr/bin/python3 is not installed"
    exit 77
fi
exec /usr/bin/python3 "$HERE/sasl/differential.py" "$@"
