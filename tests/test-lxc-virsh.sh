#!/bin/bash
# test-lxc-virsh.sh: stock virsh against a virtnetd of our own with the LXC
# driver (lxc+unix:///system?socket=...): define / start / list / dominfo /
# domstate / destroy / undefine of a container running /bin/sh -c 'sleep 30',
# attach / detach of devices in a definition (attach-device, attach-disk,
# attach-interface, their detach-*), send-process-signal to the init,
# lxc-enter-namespace (a command in the container's namespaces),
# create / start --pass-fds (the file at the init's fd 3), autodestroy
# (create / start --autodestroy in a virsh that is then killed: the
# containers it started with the flag are destroyed, their processes gone;
# one it started without stays; a daemon stopped while such a virsh is
# connected destroys them before it exits, as libvirtd 9.0 does), then
# a daemon restart: a running
# container stays running with the same ID
# and can be destroyed; one that ended while the daemon was down is reported
# shut off (shutdown).
#
# Skips (77) without root, without virsh, where the kernel refuses
# namespaces, or when virtnetd has no LXC driver registered.
#
# Run by `make check`, or by hand from a build directory:
#   VIRTNET_TEST_BUILDDIR=. /path/to/tests/test-lxc-virsh.sh
set -u

BUILD=${VIRTNET_TEST_BUILDDIR:-.}
BUILD=$(cd "$BUILD" && pwd)
SRC=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
VIRTNETD=$BUILD/daemon/virtnetd
CTRL=$BUILD/src/drivers/lxc/virtnet_lxc

. "$SRC/tests/lxc-test-lib.sh"

skip() { echo "skip: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "LXC containers need root"
command -v virsh > /dev/null || skip "virsh is not installed (libvirt-clients)"
unshare -pfmiu true 2> /dev/null || skip "the kernel refuses PID/mount/UTS/IPC namespaces"
for f in "$VIRTNETD" "$CTRL"; do
    [ -x "$f" ] || { echo "FAIL $f is missing (build it first)"; exit 1; }
done

lxc_test_begin lxc

mkdir -p "$TMP/run" "$TMP/etc"
cat > "$TMP/virtnetd.conf" <<EOF
unix_sock_dir = "$TMP/run"
EOF
export VIRTNET_LXC_STATE_DIR="$TMP/run/lxc"
export VIRTNET_LXC_CONFIG_DIR="$TMP/etc/lxc"
export VIRTNET_LXC_CONTROLLER="$CTRL"
export VIRTNET_LXC_EXIT_TIMEOUT=60

start_daemon() {
    : > "$TMP/daemon.out"
    "$VIRTNETD" -f "$TMP/virtnetd.conf" >> "$TMP/daemon.out" 2>> "$TMP/daemon.err" &
    DPID=$!
    for _ in $(seq 1 300); do
        grep -q '^virtnetd: ready' "$TMP/daemon.out" 2> /dev/null && return 0
        kill -0 "$DPID" 2> /dev/null || { echo "FAIL virtnetd exited:"; cat "$TMP/daemon.err"; exit 1; }
        sleep 0.1
    done
    echo "FAIL virtnetd did not get ready"
    exit 1
}

stop_daemon() {
    kill -TERM "$DPID"
    for _ in $(seq 1 100); do
        kill -0 "$DPID" 2> /dev/null || break
        sleep 0.1
    done
    kill -9 "$DPID" 2> /dev/null
    wait "$DPID" 2> /dev/null
    DPID=
}

URI="lxc+unix:///system?socket=$TMP/run/libvirt-sock"

start_daemon
if ! V uri; then
    if grep -q "no connection driver available" "$TMP/err"; then
        skip "this virtnetd has no LXC driver (lxcDriverRegister() is not called from daemon/remote.c)"
    fi
    echo "FAIL virsh uri:"; cat "$TMP/err"; exit 1
fi
check "virsh uri" grep -q "^lxc" "$TMP/out"

domxml() {
    cat <<EOF
<domain type='lxc'>
  <name>$1</name>
  <memory unit='KiB'>262144</memory>
  <vcpu>1</vcpu>
  <os>
    <type>exe</type>
    <init>/bin/sh</init>
    <initarg>-c</initarg>
    <initarg>$2</initarg>
  </os>
  <devices>
    <console type='pty'/>
  </devices>
</domain>
EOF
}

# Container names end in this run's PID: cgroups are per name, and two runs
# at once (the normal and the sanitizer suite, two work trees) must not meet.
VN1=vn1-$$ VN2=vn2-$$ VN3=vn3-$$

# ---- the basic life cycle ---------------------------------------------------
domxml $VN1 "sleep 30" > "$TMP/vn1.xml"
check "define" V define "$TMP/vn1.xml"
check "define: virsh's message" grep -q "Domain '$VN1' defined from" "$TMP/out"
check "start" V start $VN1
check "start: virsh's message" grep -q "Domain '$VN1' started" "$TMP/out"
V list
ID=$(awk -v n="$VN1" '$2 == n { print $1 }' "$TMP/out")
check "list: running with an ID" grep -Eq "^ *[0-9]+ +$VN1 +running" "$TMP/out"
check "the ID is the controller's PID" grep -qx virtnet_lxc "/proc/$ID/comm"
check "dominfo" V dominfo $VN1
check "dominfo: Id" grep -Eq "^Id: +$ID$" "$TMP/out"
check "dominfo: running" grep -Eq "^State: +running$" "$TMP/out"
check "dominfo: OS type" grep -Eq "^OS Type: +exe$" "$TMP/out"
check "dominfo: memory" grep -Eq "^Max memory: +262144 KiB$" "$TMP/out"
check "dominfo: persistent" grep -Eq "^Persistent: +yes$" "$TMP/out"
V domstate --reason $VN1
check "domstate: running (booted)" grep -qx "running (booted)" "$TMP/out"
check "start twice fails" eval '! V start $VN1'
# (virsh checks virDomainIsActive itself before it calls create)
check "start twice: already active" grep -Eq "already active|Requested operation is not valid" "$TMP/err"
check "destroy" V destroy $VN1
check "destroy: virsh's message" grep -q "Domain '$VN1' destroyed" "$TMP/out"
V domstate --reason $VN1
check "domstate: shut off (destroyed)" grep -qx "shut off (destroyed)" "$TMP/out"
check "controller gone" eval "! kill -0 $ID 2> /dev/null || grep -q '^State:.*Z' /proc/$ID/status"
check "undefine" V undefine $VN1
check "undefine: virsh's message" grep -q "Domain '$VN1' has been undefined" "$TMP/out"
V list --all
check "list --all: empty" eval '! grep -q $VN1 "$TMP/out"'

# ---- devices: virsh's attach / detach commands on the definition -------------
# (the device calls' cases and the live device nodes are compared with
# libvirtd by tests/lxc-differential.py; here virsh's own commands, which
# build the XML themselves or take it from dumpxml)
VN5=vn5-$$
domxml $VN5 "sleep 30" > "$TMP/vn5.xml"
V define "$TMP/vn5.xml"
echo "<hostdev mode='capabilities' type='misc'><source><char>/dev/net/tun</char></source></hostdev>" \
    > "$TMP/tun.xml"
check "attach-device --config" V attach-device $VN5 "$TMP/tun.xml" --config
check "attach-device: virsh's message" grep -q "Device attached successfully" "$TMP/out"
check "attach-device twice fails" eval '! V attach-device $VN5 "$TMP/tun.xml" --config'
check "attach-device twice: libvirt's error" grep -q "device is already in the domain configuration" "$TMP/err"
check "attach-disk --config" V attach-disk $VN5 /dev/vn-no-such-disk vdb --sourcetype block --config
check "attach-interface --config" V attach-interface $VN5 network default --mac 52:54:00:0a:0b:0c --config
check "attach to a shut-off domain with --live fails" eval '! V attach-device $VN5 "$TMP/tun.xml" --live'
check "  ... domain is not running" grep -q "domain is not running" "$TMP/err"
V domblklist $VN5 --inactive
check "domblklist: vdb" grep -Eq "^ *vdb +/dev/vn-no-such-disk$" "$TMP/out"
V domiflist $VN5 --inactive
check "domiflist: the interface" grep -q "52:54:00:0a:0b:0c" "$TMP/out"
V dumpxml --inactive $VN5
check "dumpxml: the host device" grep -q "<char>/dev/net/tun</char>" "$TMP/out"
check "start with a disk but no root of its own: refused" eval '! V start $VN5'
check "  ... naming it" grep -q "disk .vdb. needs a container with a root filesystem of its own" "$TMP/err"
check "detach-disk --config" V detach-disk $VN5 vdb --config
check "start with an interface: refused" eval '! V start $VN5'
check "  ... naming it" grep -q "interface type 'network' is not supported" "$TMP/err"
check "detach-interface --config" V detach-interface $VN5 network --mac 52:54:00:0a:0b:0c --config
check "detach-device --config" V detach-device $VN5 "$TMP/tun.xml" --config
V dumpxml --inactive $VN5
check "dumpxml: no device left" eval '! grep -Eq "<disk|<interface|<hostdev" "$TMP/out"'
check "undefine vn5" V undefine $VN5

# ---- signals to the init (send-process-signal) ---------------------------------
# libvirt's LXC driver: the init (PID 1) only, the signal number as Linux's.
VN4=vn4-$$
domxml $VN4 "trap 'touch $TMP/vn4.usr1' USR1; while :; do sleep 0.05; done" > "$TMP/vn4.xml"
V define "$TMP/vn4.xml" && V start $VN4
check "signal: started" V domstate $VN4
check "signal: SIGUSR1 to the init" V send-process-signal $VN4 1 usr1
for _ in $(seq 1 100); do [ -e "$TMP/vn4.usr1" ] && break; sleep 0.05; done
check "signal: the init's trap ran" test -e "$TMP/vn4.usr1"
check "signal: 0 (nop)" V send-process-signal $VN4 1 nop
check "signal: another pid refused" eval '! V send-process-signal $VN4 2 term'
check "signal: its message" grep -q "Only the init process may be killed" "$TMP/err"
check "signal: SIGKILL" V send-process-signal $VN4 1 kill
for _ in $(seq 1 100); do
    V domstate --reason $VN4
    grep -q "shut off" "$TMP/out" && break
    sleep 0.1
done
check "signal: killed init: shut off (shutdown)" grep -qx "shut off (shutdown)" "$TMP/out"
check "signal: shut off refused" eval '! V send-process-signal $VN4 1 usr1'
check "signal: not running" grep -q "domain is not running" "$TMP/err"
check "undefine vn4" V undefine $VN4

# ---- lxc-enter-namespace: a command run in the container's namespaces ---------
# virsh opens them through the lxc program (virDomainLxcOpenNamespace), joins
# them and runs the command: it sees the container's host name (its UTS
# namespace: the domain's name) and the container's init as its PID 1 (PID
# and mount namespaces: the container's /proc).
VNN=vnn-$$
domxml $VNN "sleep 30; : marker-$VNN" > "$TMP/vnn.xml"
V define "$TMP/vnn.xml"
check "enter: shut off refused" eval '! V lxc-enter-namespace $VNN --noseclabel -- /bin/hostname'
check "enter: not running" grep -q "domain is not running" "$TMP/err"
V start $VNN
check "enter: hostname" V lxc-enter-namespace $VNN --noseclabel -- /bin/hostname
check "enter: the container's host name" grep -qx "$VNN" "$TMP/out"
check "enter: not the host's" eval '[ "$(hostname)" != "$VNN" ]'
check "enter: PID 1" V lxc-enter-namespace $VNN --noseclabel -- /bin/sh -c \
    'tr "\0" " " < /proc/1/cmdline; echo; readlink /proc/self/ns/uts'
cp "$TMP/out" "$TMP/enter.out"
check "enter: PID 1 is the container's init" grep -q "sleep 30; : marker-$VNN" "$TMP/enter.out"
INIT=$(pgrep -x -f "/bin/sh -c sleep 30; : marker-$VNN")
INIT_UTS=$(readlink "/proc/$INIT/ns/uts")
check "enter: the init's UTS namespace" eval '[ -n "$INIT_UTS" ] && grep -qxF "$INIT_UTS" "$TMP/enter.out"'
V destroy $VNN
check "undefine vnn" V undefine $VNN

# ---- creation with files: virsh's --pass-fds N becomes the init's fd 3 --------
VNF=vnf-$$ VNG=vng-$$
FILES_SH='echo with-files &gt;&amp;3; if [ -e /proc/self/fd/4 ]; then echo fd4=open &gt;&amp;3; else echo fd4=closed &gt;&amp;3; fi'
domxml $VNF "$FILES_SH" > "$TMP/vnf.xml"
domxml $VNG "$FILES_SH" > "$TMP/vng.xml"
exec 7> "$TMP/vnf.out"
check "create --pass-fds" V create "$TMP/vnf.xml" --pass-fds 7
exec 7>&-
V define "$TMP/vng.xml"
exec 7> "$TMP/vng.out"
check "start --pass-fds" V start $VNG --pass-fds 7
exec 7>&-
for f in vnf vng; do
    for _ in $(seq 1 100); do grep -q '^fd4' "$TMP/$f.out" && break; sleep 0.05; done
    check "$f: the init wrote to its fd 3, the passed file" grep -qx with-files "$TMP/$f.out"
    check "$f: nothing at the init's fd 4" grep -qx fd4=closed "$TMP/$f.out"
done
for _ in $(seq 1 100); do
    V domstate $VNG
    grep -q "shut off" "$TMP/out" && break
    sleep 0.1
done
check "undefine vng" V undefine $VNG

# ---- autodestroy: the connection that started them dies ------------------------
# An interactive virsh reads its commands from a FIFO, so that it stays
# connected until it is killed (SIGKILL: no CONNECT_CLOSE, the socket just ends).
VNA=vna-$$ VNB=vnb-$$ VNC=vnc-$$ VNR=vnr-$$
for n in vna vnb vnc vnr; do domxml $n-$$ "sleep 60" > "$TMP/$n.xml"; done
V define "$TMP/vnb.xml" && V define "$TMP/vnc.xml" && V define "$TMP/vnr.xml"
# pids of a running domain: its controller (the ID) and init (state file)
dom_pids() {
    sed -n "s/.* pid='\([0-9]*\)'.*/\1/p" "$TMP/run/lxc/$1.xml" 2> /dev/null | head -1
    sed -n "s/.* initpid='\([0-9]*\)'.*/\1/p" "$TMP/run/lxc/$1.xml" 2> /dev/null | head -1
}
gone() {    # every pid given is gone (or a zombie)
    local p
    for p in "$@"; do
        [ -e "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" 2> /dev/null && return 1
    done
    return 0
}
wait_running() {    # wait_running NAME...: each is listed running
    local n
    for _ in $(seq 1 200); do
        V list
        for n in "$@"; do grep -Eq " $n +running" "$TMP/out" || { sleep 0.05; continue 2; }; done
        return 0
    done
    return 1
}
autodestroy_virsh() {    # A B C: a virsh that creates A, starts B with --autodestroy, C without
    rm -f "$TMP/virsh.fifo" && mkfifo "$TMP/virsh.fifo"
    virsh -c "$URI" < "$TMP/virsh.fifo" > "$TMP/virsh-ad.out" 2>&1 &
    VSH=$!
    exec 8> "$TMP/virsh.fifo"
    printf 'create %s --autodestroy\nstart %s --autodestroy\nstart %s\n' \
        "$TMP/$1.xml" $2 $3 >&8
}
autodestroy_virsh vna $VNB $VNC
check "autodestroy: virsh started vna, vnb, vnc" wait_running $VNA $VNB $VNC
# vnr: started with the flag, destroyed by another connection and started
# again without it: the record went with the first run
printf 'start %s --autodestroy\n' $VNR >&8
check "autodestroy: virsh started vnr" wait_running $VNR
check "autodestroy: destroy vnr" V destroy $VNR
# (a second start of a name asks about its console log: auto_answer appends)
check "autodestroy: start vnr again" virsh -q -c "$URI&auto_answer=1" start $VNR
PIDS=$(for n in $VNA $VNB $VNC $VNR; do dom_pids $n; done)
check "autodestroy: eight processes found" test "$(echo $PIDS | wc -w)" = 8
PIDS_AD=$(dom_pids $VNA; dom_pids $VNB)
PIDS_C=$(dom_pids $VNC; dom_pids $VNR)
kill -9 $VSH
wait $VSH 2> /dev/null
exec 8>&-
for _ in $(seq 1 200); do
    V list --all
    grep -Eq " $VNB +shut off" "$TMP/out" && ! grep -q " $VNA " "$TMP/out" && break
    sleep 0.05
done
check "autodestroy: the transient vna is gone" eval '! grep -q " $VNA " "$TMP/out"'
V domstate --reason $VNB
check "autodestroy: vnb shut off (destroyed)" grep -qx "shut off (destroyed)" "$TMP/out"
V domstate --reason $VNC
check "autodestroy: vnc (no flag) still running" grep -qx "running (booted)" "$TMP/out"
V domstate --reason $VNR
check "autodestroy: vnr (started again without it) still running" grep -qx "running (booted)" "$TMP/out"
for _ in $(seq 1 100); do gone $PIDS_AD && break; sleep 0.05; done
check "autodestroy: the controllers and inits of vna, vnb are gone" gone $PIDS_AD
check "autodestroy: those of vnc, vnr are not" eval '! gone $PIDS_C'
check "autodestroy: destroy vnc" V destroy $VNC
check "autodestroy: destroy vnr" V destroy $VNR
check "undefine vnr" V undefine $VNR

# the daemon stops while the virsh is connected: it closes the connection
# and so destroys the domains started with the flag before it exits
# (libvirtd 9.0 does the same). New names: a second start of a name asks
# whether to replace its console log.
check "undefine vnb" V undefine $VNB
check "undefine vnc" V undefine $VNC
VNA=vnd-$$ VNB=vne-$$ VNC=vng2-$$
domxml $VNA "sleep 60" > "$TMP/vnd.xml"
domxml $VNB "sleep 60" > "$TMP/vne.xml"
domxml $VNC "sleep 60" > "$TMP/vng2.xml"
V define "$TMP/vne.xml" && V define "$TMP/vng2.xml"
autodestroy_virsh vnd $VNB $VNC
check "autodestroy: a second virsh started vnd, vne, vng2" wait_running $VNA $VNB $VNC
PIDS_AD=$(dom_pids $VNA; dom_pids $VNB)
PIDS_C=$(dom_pids $VNC)
stop_daemon
check "autodestroy: the daemon's stop destroyed vnd, vne" gone $PIDS_AD
check "autodestroy: vng2 outlives the daemon" eval '! gone $PIDS_C'
kill -9 $VSH 2> /dev/null
wait $VSH 2> /dev/null
exec 8>&-
start_daemon
V list --all
check "autodestroy: after restart vne shut off, vng2 running, no vnd" eval \
    'grep -Eq " $VNB +shut off" "$TMP/out" && grep -Eq " $VNC +running" "$TMP/out" && ! grep -q " $VNA " "$TMP/out"'
V destroy $VNC
check "undefine vne" V undefine $VNB
check "undefine vng2" V undefine $VNC

# ---- daemon restart ------------------------------------------------------------
domxml $VN2 "sleep 30" > "$TMP/vn2.xml"
domxml $VN3 "while [ ! -e $TMP/vn3.go ]; do sleep 0.05; done" > "$TMP/vn3.xml"
V define "$TMP/vn2.xml" && V start $VN2 && V define "$TMP/vn3.xml" && V start $VN3
check "two containers started" V list
ID2=$(awk -v n="$VN2" '$2 == n { print $1 }' "$TMP/out")
INIT3=$(sed -n "s/.* initpid='\([0-9]*\)'.*/\1/p" "$TMP/run/lxc/$VN3.xml")

stop_daemon
check "containers outlive the daemon" kill -0 "$ID2"
touch "$TMP/vn3.go"
for _ in $(seq 1 100); do
    [ -e "/proc/$INIT3" ] && ! grep -q '^State:.*Z' "/proc/$INIT3/status" 2> /dev/null || break
    sleep 0.05
done
start_daemon
V list --all
check "after restart: vn2 running with the same ID" grep -Eq "^ *$ID2 +$VN2 +running" "$TMP/out"
check "after restart: vn3 shut off" grep -Eq "^ *- +$VN3 +shut off" "$TMP/out"
V domstate --reason $VN3
check "after restart: vn3 shut off (shutdown)" grep -qx "shut off (shutdown)" "$TMP/out"
check "after restart: destroy vn2" V destroy $VN2
V domstate --reason $VN2
check "after restart: vn2 shut off (destroyed)" grep -qx "shut off (destroyed)" "$TMP/out"
check "undefine vn2" V undefine $VN2
check "undefine vn3" V undefine $VN3
stop_daemon

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
