#!/bin/sh
# dbus.sh: libvirt-dbus (the bridge cockpit-machines uses) on a private
# session bus, its Test connection redirected to virtnetd (the dbusuri.so
# shim: libvirt-dbus hard-codes test:///default, which libvirt's client
# library would serve in-process). gdbus asks it for the domain's
# properties, stats, vCPUs, memory, scheduler, guest information and
# snapshots; every call must answer, and with root, libvirtd and namespaces
# the transcript against a private libvirtd 9.0 must be the same.
. "$(dirname "$0")/../conformance/common.sh"
command -v libvirt-dbus > /dev/null 2>&1 || skip "libvirt-dbus is not installed (install-deps.sh --with-peers)"
command -v dbus-daemon > /dev/null 2>&1 || skip "dbus-daemon is not installed (package dbus)"
command -v gdbus > /dev/null 2>&1 || skip "gdbus is not installed (package libglib2.0-bin)"
SHIM=$CONF_BUILDDIR/tests/peers/dbusuri.so
[ -f "$SHIM" ] || fail "no $SHIM: make check builds it"
start_virtnetd
conf_tmpdir OUT

# session SOCKETURI OUT: a bus, libvirt-dbus on it, the calls; transcript in OUT
session() {
    bus="$OUT/bus-$$-$2"
    dbus-daemon --session --nofork --address="unix:path=$bus" > "$OUT/dbus.out" 2>&1 &
    dpid=$!
    CONF_PIDS="$CONF_PIDS $dpid"
    i=0
    while [ ! -S "$bus" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    export DBUS_SESSION_BUS_ADDRESS="unix:path=$bus"
    LD_PRELOAD="$SHIM" VIRTNET_DBUS_TEST_URI="$1" libvirt-dbus --session > "$OUT/libvirt-dbus.out" 2>&1 &
    lpid=$!
    CONF_PIDS="$CONF_PIDS $lpid"
    i=0
    until gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.NameHasOwner org.libvirt 2> /dev/null | grep -q true; do
        [ $i -lt 100 ] || { cat "$OUT/libvirt-dbus.out"; fail "libvirt-dbus did not start"; }
        sleep 0.1
        i=$((i + 1))
    done
    C="gdbus call --session --dest org.libvirt"
    T=/org/libvirt/Test
    {
        dom=$($C --object-path $T --method org.libvirt.Connect.DomainLookupByName test |
              sed -E "s/^\(objectpath '([^']*)',\)$/\1/")
        echo "DomainLookupByName: $dom"
        call() {  # call LABEL OBJECT METHOD ARGS...
            label=$1 obj=$2 method=$3
            shift 3
            printf '%s: ' "$label"
            $C --object-path "$obj" --method "$method" "$@" 2>&1
        }
        call ListDomains $T org.libvirt.Connect.ListDomains 0
        call Properties "$dom" org.freedesktop.DBus.Properties.GetAll org.libvirt.Domain
        call GetStats "$dom" org.libvirt.Domain.GetStats 0 0
        call GetAllDomainStats $T org.libvirt.Connect.GetAllDomainStats 0 0
        call GetVcpus "$dom" org.libvirt.Domain.GetVcpus 0
        call GetVcpuPinInfo "$dom" org.libvirt.Domain.GetVcpuPinInfo 0
        call MemoryStats "$dom" org.libvirt.Domain.MemoryStats 0
        call GetMemoryParameters "$dom" org.libvirt.Domain.GetMemoryParameters 0
        call GetSchedulerParameters "$dom" org.libvirt.Domain.GetSchedulerParameters 0
        call GetControlInfo "$dom" org.libvirt.Domain.GetControlInfo 0
        call GetTime "$dom" org.libvirt.Domain.GetTime 0
        call GetHostname "$dom" org.libvirt.Domain.GetHostname 0
        call NodeGetCPUStats $T org.libvirt.Connect.NodeGetCPUStats -- -1 0
        call NodeGetCPUMap $T org.libvirt.Connect.NodeGetCPUMap 0
        call GetSysinfo $T org.libvirt.Connect.GetSysinfo 0
        call SetMemory "$dom" org.libvirt.Domain.SetMemory 1048576 0
        call SnapshotCreateXML "$dom" org.libvirt.Domain.SnapshotCreateXML \
            '<domainsnapshot><name>s1</name></domainsnapshot>' 0
        call ListDomainSnapshots "$dom" org.libvirt.Domain.ListDomainSnapshots 0
        call SnapshotCurrent "$dom" org.libvirt.Domain.SnapshotCurrent 0
        call UpdatedAfter "$dom" org.freedesktop.DBus.Properties.Get org.libvirt.Domain Updated
        # the objects beside domains
        call ListNetworks $T org.libvirt.Connect.ListNetworks 0
        call ListStoragePools $T org.libvirt.Connect.ListStoragePools 0
        call ListInterfaces $T org.libvirt.Connect.ListInterfaces 0
        call ListNodeDevices $T org.libvirt.Connect.ListNodeDevices 0
        net=$($C --object-path $T --method org.libvirt.Connect.NetworkLookupByName default |
              sed -E "s/^\(objectpath '([^']*)',\)$/\1/")
        call NetworkProperties "$net" org.freedesktop.DBus.Properties.GetAll org.libvirt.Network
        pool=$($C --object-path $T --method org.libvirt.Connect.StoragePoolLookupByName default-pool |
               sed -E "s/^\(objectpath '([^']*)',\)$/\1/")
        call PoolProperties "$pool" org.freedesktop.DBus.Properties.GetAll org.libvirt.StoragePool
        call PoolGetInfo "$pool" org.libvirt.StoragePool.GetInfo
    } > "$OUT/$2.raw"
    kill $lpid $dpid 2> /dev/null
    wait $lpid $dpid 2> /dev/null
    unset DBUS_SESSION_BUS_ADDRESS
    # the clock's numbers, and the test driver's made-up vCPU times
    # and the node devices in name order (libvirt lists them in its hash
    # table's order)
    sed -E -e "s/('cpu\.time'|'state\.time'|'cpu_time'): <(uint64|int64) [0-9]+>/\1: <N>/g" \
        -e "s/\(uint64 [0-9]{9,}, uint32 [0-9]+\)/(TIME)/" "$OUT/$2.raw" |
        awk '/^ListNodeDevices: \(\[objectpath / {
                 list = $0; sub(/^ListNodeDevices: \(\[objectpath /, "", list); sub(/\],\)$/, "", list)
                 n = split(list, item, ", ")
                 for (i = 2; i <= n; i++) { v = item[i]; j = i - 1
                     while (j > 0 && item[j] > v) { item[j + 1] = item[j]; j-- }
                     item[j + 1] = v }
                 out = item[1]; for (i = 2; i <= n; i++) out = out ", " item[i]
                 print "ListNodeDevices: ([objectpath " out "],)"; next }
             { print }' > "$OUT/$2.txt"
}

status=0
npass=0
nfail=0
result() {
    if [ "$1" = 0 ]; then
        echo "ok - $2"; npass=$((npass + 1))
    else
        echo "not ok - $2"; nfail=$((nfail + 1)); status=1
    fi
}
session "test+unix:///default?socket=$VN_DIR/libvirt-sock" vn
virtnetd_alive "after libvirt-dbus"
cat "$OUT/vn.txt"
# libvirt's test driver refuses the typed-string flag libvirt-dbus passes
# to the scheduler getter (libvirtd answers the same)
! grep 'Error' "$OUT/vn.txt" | grep -v '^GetSchedulerParameters: .*unsupported flags (0x4)'
result $? "every call answered"
grep -q "^Properties: .*'SchedulerType': <<('fair', 1)>>, 'Updated': <<false>>" "$OUT/vn.txt"
result $? "domain properties complete (SchedulerType)"
grep -q "^GetStats: ({'state.state': <<1>>, 'state.reason': <<0>>},)" "$OUT/vn.txt"
result $? "GetStats"
grep -q "^ListNetworks: (\[objectpath '/org/libvirt/Test/network/_dd8fe884_6c02_601e_7551_cca97df1c5df'\],)" "$OUT/vn.txt"
result $? "networks"
grep -q "^PoolGetInfo: ((2, uint64 107374182400, uint64 0, uint64 107374182400),)" "$OUT/vn.txt"
result $? "storage pools"
grep -q "^ListDomainSnapshots: (\[objectpath '/org/libvirt/Test/domainsnapshot/_[0-9a-f_]*_s1'\],)" "$OUT/vn.txt"
result $? "snapshots"

if [ "$(id -u)" = 0 ] && command -v libvirtd > /dev/null 2>&1 &&
    unshare --mount --net --propagation private true 2> /dev/null; then
    conf_tmpdir LV_DIR
    lv_pid=$("$CONF_SRCDIR/tests/remote-trace/start-libvirtd.sh" "$LV_DIR") ||
        fail "libvirtd did not start"
    CONF_PIDS="$CONF_PIDS $lv_pid"
    session "test+unix:///default?socket=$LV_DIR/libvirt-sock" lv
    diff -u "$OUT/lv.txt" "$OUT/vn.txt"
    result $? "same answers as libvirtd $(libvirtd --version | awk '{print $NF}')"
else
    echo "# no comparison with libvirtd (needs root, libvirtd and namespaces)"
fi
echo "$npass passed, $nfail failed"
exit $status
