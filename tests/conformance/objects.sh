#!/bin/sh
# objects.sh: networks, storage pools and volumes, host interfaces, node
# devices and secrets against libvirt 9.0's own test driver, in the
# client's own process (libvirt.open("test:///default"), no libvirtd):
#  1. objects.py: every procedure through libvirt-python, step by step on
#     both, values, errors and events compared;
#  2. the virsh commands of objects-virsh.cmds, one virsh process against
#     test:///default and one against virtnetd, outputs compared;
#  3. virsh net-event / pool-event / nodedev-event --timeout against
#     virtnetd while another virsh changes the objects.
# Needs python3-libvirt and virsh; no root.
. "$(dirname "$0")/common.sh"
need_python_libvirt
need_virsh
start_virtnetd
status=0
watchers=

echo "--- libvirt-python: objects.py"
timeout 60 "$PY" "$CONF_HERE/objects.py" "$VN_URI" || status=1
virtnetd_alive "after objects.py"

# The daemon drops test:///default with its last connection: a fresh one.
echo "--- virsh: objects-virsh.cmds"
cmds=$(grep -v '^#' "$CONF_HERE/objects-virsh.cmds" | sed "s|@DIR@|$CONF_HERE/objects|g" |
       awk 'NF { printf "%s; ", $0 }')
# generated UUIDs become <uuid#N> by first appearance
norm() {
    "$PY" -c '
import re, sys
known = set(re.findall(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", open(sys.argv[1]).read()))
seen = {}
def sub(m):
    u = m.group(0)
    return u if u in known else seen.setdefault(u, "<uuid#%d>" % (len(seen) + 1))
print(re.sub(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", sub, sys.stdin.read()), end="")
' "$CONF_HERE/objects-virsh.uuids"
}
virsh -c test:///default "$cmds" 2>&1 | norm > "$VN_DIR/virsh-libvirt.txt"
virsh -c "$VN_URI" "$cmds" 2>&1 | norm > "$VN_DIR/virsh-virtnetd.txt"
if ! diff -u "$VN_DIR/virsh-libvirt.txt" "$VN_DIR/virsh-virtnetd.txt"; then
    echo "virsh output differs (- libvirt's test driver, + virtnetd)"
    status=1
fi
lines=$(wc -l < "$VN_DIR/virsh-libvirt.txt")
[ "$lines" -gt 200 ] || { echo "virsh gave only $lines lines"; status=1; }
virtnetd_alive "after the virsh commands"

echo "--- virsh events"
# one watcher per event type (virsh takes one --event)
for w in net:lifecycle pool:lifecycle pool:refresh nodedev:lifecycle nodedev:update; do
    virsh -c "$VN_URI" "${w%%:*}-event" --event "${w#*:}" --loop --timeout 4 \
        > "$VN_DIR/${w%%:*}-${w#*:}.txt" 2>&1 &
    watchers="$watchers $!"
done
# the watchers register before the changes: wait until the daemon has them
sleep 1
virsh -q -c "$VN_URI" "net-define $CONF_HERE/objects/net1.xml; net-start vnet1;
    net-destroy vnet1; net-undefine vnet1; pool-define $CONF_HERE/objects/pool1.xml;
    pool-build vpool1; pool-start vpool1; pool-refresh vpool1; pool-destroy vpool1;
    pool-delete vpool1; pool-undefine vpool1; nodedev-create $CONF_HERE/objects/vhba.xml;
    nodedev-destroy scsi_host12" > /dev/null 2>&1
for p in $watchers; do
    wait "$p"
done
for w in net-lifecycle pool-lifecycle pool-refresh nodedev-lifecycle nodedev-update; do
    grep "^event '" "$VN_DIR/$w.txt"
done > "$VN_DIR/events.txt"
cat > "$VN_DIR/events.expected" <<EXPECTED
event 'lifecycle' for network vnet1: Defined
event 'lifecycle' for network vnet1: Started
event 'lifecycle' for network vnet1: Stopped
event 'lifecycle' for network vnet1: Undefined
event 'lifecycle' for storage pool vpool1: Defined
event 'lifecycle' for storage pool vpool1: Created
event 'lifecycle' for storage pool vpool1: Started
event 'lifecycle' for storage pool vpool1: Stopped
event 'lifecycle' for storage pool vpool1: Deleted
event 'lifecycle' for storage pool vpool1: Undefined
event 'refresh' for storage pool vpool1
event 'lifecycle' for node device scsi_host12: Created
event 'lifecycle' for node device scsi_host12: Deleted
EXPECTED
if ! diff -u "$VN_DIR/events.expected" "$VN_DIR/events.txt"; then
    echo "virsh *-event output differs (- expected, + virtnetd)"
    status=1
fi

virtnetd_alive "at the end"
stop_virtnetd
[ $status = 0 ] || { CONF_KEEP=1; fail "virtnetd differs from libvirt's test driver"; }
echo "PASS: networks, storage, interfaces, node devices as libvirt's test driver"
