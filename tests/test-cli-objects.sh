#!/bin/bash
# test-cli-objects.sh: virtnet's commands on networks, pools, volumes,
# interfaces, node devices and secrets (tools/virtnetobjects.c) against
# virsh's: each command runs with both tools on the same virtnetd
# test:///default, and stdout, stderr and the exit status must be the same
# (but for the empty line virsh prints after a failed command too, which
# virtnet prints after a successful one only). Where virsh cannot answer
# (its nodedev-list asks libvirt's test driver for a filter it refuses),
# a "py:" line gives the reference: libvirt-python's listing. Skips (77)
# without virsh or python3-libvirt.
set -u

BUILD=${VIRTNET_TEST_BUILDDIR:-.}
SRC=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
VIRTNET=$BUILD/tools/virtnet
VIRTNETD=$BUILD/daemon/virtnetd
command -v virsh > /dev/null || { echo "skip: virsh is not installed"; exit 77; }
/usr/bin/python3 -c 'import libvirt' 2> /dev/null || { echo "skip: python3-libvirt is missing"; exit 77; }
for f in "$VIRTNET" "$VIRTNETD"; do
    [ -x "$f" ] || { echo "FAIL $f is missing (build it first)"; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vn-cliobj.XXXXXX")
DPID=
KEEPER=
cleanup() {
    [ -n "$KEEPER" ] && kill -9 "$KEEPER" 2> /dev/null && wait "$KEEPER" 2> /dev/null
    [ -n "$DPID" ] && kill -9 "$DPID" 2> /dev/null && wait "$DPID" 2> /dev/null
    [ -z "${VIRTNET_TEST_KEEP:-}" ] && rm -rf "$TMP"
}
trap cleanup EXIT

mkdir -p "$TMP/run"
echo "unix_sock_dir = \"$TMP/run\"" > "$TMP/virtnetd.conf"
"$VIRTNETD" -f "$TMP/virtnetd.conf" > "$TMP/daemon.out" 2> "$TMP/daemon.err" &
DPID=$!
for _ in $(seq 1 300); do
    grep -q '^virtnetd: ready' "$TMP/daemon.out" 2> /dev/null && break
    kill -0 "$DPID" 2> /dev/null || { echo "FAIL virtnetd exited:"; cat "$TMP/daemon.err"; exit 1; }
    sleep 0.1
done
URI="test+unix:///default?socket=$TMP/run/libvirt-sock"
# test:///default lives while a connection is open
KEEPER=$(/usr/bin/python3 "$SRC/tests/hold-connection.py" "$URI") || exit 1
virsh -q -c "$URI" vol-create-as default-pool vntv1 1M > /dev/null
virsh -q -c "$URI" vol-create-as default-pool vntv0 10K --allocation 0 > /dev/null

pass=0
fail=0
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    if [ "${line#py:}" != "$line" ]; then
        # py:EXPR|COMMAND: the reference is what EXPR (on c, a connection) prints
        expr=${line#py:}; line=${expr#*|}; expr=${expr%%|*}
        /usr/bin/python3 -c "import libvirt; c = libvirt.open('$URI'); print($expr); print()" \
            > "$TMP/ref.out" 2> "$TMP/ref.err"; rref=$?
    else
        # shellcheck disable=SC2086
        virsh -c "$URI" $line > "$TMP/ref.out" 2> "$TMP/ref.err"; rref=$?
        [ $rref = 0 ] || sed -i '${/^$/d}' "$TMP/ref.out"
    fi
    # shellcheck disable=SC2086
    "$VIRTNET" -c "$URI" $line > "$TMP/vn.out" 2> "$TMP/vn.err"; rvn=$?
    if [ $rref = $rvn ] && cmp -s "$TMP/ref.out" "$TMP/vn.out" && cmp -s "$TMP/ref.err" "$TMP/vn.err"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $line (virsh $rref, virtnet $rvn):"
        diff -u "$TMP/ref.out" "$TMP/vn.out" | sed 's/^/     /'
        diff -u "$TMP/ref.err" "$TMP/vn.err" | sed 's/^/     /'
    fi
done <<'EOF_CMDS'
net-list
net-list --all
net-list --inactive
net-info default
net-info dd8fe884-6c02-601e-7551-cca97df1c5df
net-info nosuch
net-dumpxml default
net-dumpxml default --inactive
pool-list
pool-list --all
pool-info default-pool
pool-info default-pool --bytes
pool-info dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566
pool-info nosuch
pool-dumpxml default-pool
vol-list default-pool
vol-list nosuch
vol-info vntv1 --pool default-pool
vol-info vntv0 --pool default-pool --bytes
vol-info /default-pool/vntv1
vol-info vntv1 --pool default-pool --physical
vol-info nosuch --pool default-pool
vol-dumpxml vntv1 --pool default-pool
iface-list
iface-list --all
iface-list --inactive
iface-dumpxml eth1
iface-dumpxml nosuch
iface-dumpxml 00:00:00:00:00:00
py:chr(10).join(sorted(d.name() for d in c.listAllDevices(0)))|nodedev-list
py:chr(10).join(sorted(c.listDevices("scsi_host", 0)))|nodedev-list --cap scsi_host
nodedev-list --cap nosuch
nodedev-dumpxml scsi_host1
nodedev-dumpxml nosuch
EOF_CMDS
echo "$pass commands print as virsh's, $fail differ"
[ $fail = 0 ]
