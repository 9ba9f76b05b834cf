#!/bin/bash
# test-lxc-agent-virsh.sh: the guest agent of a real container through a
# virtnetd of our own, with stock virsh and libvirt-python: the
# agent-lifecycle event, domhostname/domifaddr --source agent, domfsinfo,
# guestinfo, domtime, set-user-password, get/set-user-sshkeys, guestvcpus,
# guest-agent-timeout, reboot and shutdown --mode agent; each checked
# against the container's own files and namespaces. Then
# tests/lxc-agent-python.py does the same through libvirt-python, kills
# the agent (disconnected event, VIR_ERR_AGENT_UNRESPONSIVE, connected
# again) and reads the guest information.
#
# Skips (77) without root, virsh, namespaces or tzdata; the Python part
# is skipped alone without python3-libvirt.
#
#   VIRTNET_TEST_BUILDDIR=. tests/test-lxc-agent-virsh.sh
set -u

BUILD=${VIRTNET_TEST_BUILDDIR:-.}
BUILD=$(cd "$BUILD" && pwd)
SRC=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
VIRTNETD=$BUILD/daemon/virtnetd
CTRL=$BUILD/src/drivers/lxc/virtnet_lxc
AGENT=$BUILD/src/agent/virtnet-agent
INIT=$BUILD/tests/lxc-test-init
PY=/usr/bin/python3

. "$SRC/tests/lxc-test-lib.sh"

skip() { echo "skip: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "LXC containers need root"
command -v virsh > /dev/null || skip "virsh is not installed (libvirt-clients)"
unshare -pfmiun true 2> /dev/null || skip "the kernel refuses PID/mount/UTS/IPC/network namespaces"
[ -e /usr/share/zoneinfo/Asia/Kolkata ] || skip "no time zone data (tzdata)"
for f in "$VIRTNETD" "$CTRL" "$AGENT" "$INIT"; do
    [ -x "$f" ] || { echo "FAIL $f is missing (build it first)"; exit 1; }
done

lxc_test_begin agent
EPID=
trap '[ -n "$EPID" ] && kill "$EPID" 2> /dev/null; lxc_test_cleanup' EXIT

# ---- a root file system with accounts and facts ------------------------
NAME=vnagsh$$_v
HOST=vnagsh$$v          # the host name: the domain name without '_'
ROOT=$TMP/root
mkdir -p "$ROOT"/{etc,proc,sys,dev,tmp,run,usr,root,data,home/alice}
for l in bin:usr/bin sbin:usr/sbin lib:usr/lib lib64:usr/lib64; do ln -s "${l#*:}" "$ROOT/${l%%:*}"; done
cp "$INIT" "$ROOT/testinit"
printf 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000:Alice:/home/alice:/bin/sh\n' > "$ROOT/etc/passwd"
printf 'root:*:19000:0:99999:7:::\nalice:!:19000:0:99999:7:::\n' > "$ROOT/etc/shadow"
chmod 640 "$ROOT/etc/shadow"
printf 'NAME="VN Agent Test"\nID=vnagenttest\nVERSION_ID="42"\nPRETTY_NAME="VN Agent Test 42"\n' \
    > "$ROOT/etc/os-release"
ln -s /usr/share/zoneinfo/Asia/Kolkata "$ROOT/etc/localtime"
chown 1000:1000 "$ROOT/home/alice"
"$PY" - "$ROOT/run/utmp" <<'EOF'
import struct, sys
# glibc's struct utmp on Linux: 384 bytes; USER_PROCESS = 7
rec = struct.pack("hi32s4s32s256shhiii4i20s", 7, 1, b"pts/3", b"ts/3", b"alice", b"",
                  0, 0, 0, 1700000000, 0, 0, 0, 0, 0, b"")
assert len(rec) == 384
open(sys.argv[1], "wb").write(rec)
EOF

domxml() {
    cat <<EOF
<domain type='lxc'>
  <name>$NAME</name>
  <memory unit='KiB'>262144</memory>
  <vcpu>1</vcpu>
  <os><type>exe</type><init>/testinit</init><initarg>catch-term</initarg></os>
  <features><privnet/></features>
  <devices>
    <console type='pty'/>
    <filesystem type='mount'><source dir='$ROOT'/><target dir='/'/></filesystem>
    <filesystem type='mount'><source dir='/usr'/><target dir='/usr'/><readonly/></filesystem>
    <filesystem type='ram'><source usage='8' units='MiB'/><target dir='/data'/></filesystem>
    <channel type='unix'>
      <source mode='bind'/>
      <target type='virtio' name='org.qemu.guest_agent.0'/>
    </channel>
  </devices>
</domain>
EOF
}

# ---- the daemon -----------------------------------------------------------
export VIRTNET_LXC_AGENT="$AGENT"
lxc_daemon_start
V uri || { echo "FAIL virsh uri:"; cat "$TMP/err"; exit 1; }

# wait_for FILE PATTERN [COUNT]: COUNT (default 1) matching lines, up to 15 s
wait_for() {
    for _ in $(seq 1 150); do
        [ "$(grep -c "$2" "$1" 2> /dev/null)" -ge "${3:-1}" ] && return 0
        sleep 0.1
    done
    return 1
}

# ---- virsh ----------------------------------------------------------------
domxml > "$TMP/dom.xml"
virsh -c "$URI" event --event agent-lifecycle --loop --timeout 60 > "$TMP/events" 2>&1 &
EPID=$!
sleep 0.5
check "virsh define and start (with the agent channel)" V define "$TMP/dom.xml"
check "virsh start" V start "$NAME"
check "agent-lifecycle event: connected (domain started)" \
    wait_for "$TMP/events" "agent-lifecycle.*$NAME.*connected.*domain started"

V domhostname --source agent "$NAME"
check "domhostname --source agent: the guest's host name" grep -qx "$HOST" "$TMP/out"

INITPID=$(sed -n "s/.* initpid='\([0-9]*\)'.*/\1/p" "$TMP/run/lxc/$NAME.xml" | head -1)
if command -v nsenter > /dev/null && command -v ip > /dev/null &&
   nsenter -t "$INITPID" -n ip addr add 192.0.2.88/24 dev lo 2> /dev/null; then
    V domifaddr --source agent "$NAME"
    check "domifaddr --source agent: an address added in the container" \
        grep -Eq "ipv4 +192\.0\.2\.88/24" "$TMP/out"
else
    echo "skip domifaddr address check (nsenter/ip missing or refused)"
fi
V domifaddr --source agent "$NAME"
check "domifaddr --source agent: loopback" grep -Eq "lo .*127\.0\.0\.1/8" "$TMP/out"

V domfsinfo "$NAME"
check "domfsinfo: the container's tmpfs" grep -Eq "^ */data +.*tmpfs" "$TMP/out"

V guestinfo "$NAME"
check "guestinfo: users, os, timezone, hostname, filesystems, interfaces" \
    sh -c "grep -Eq '^user.0.name +: alice' '$TMP/out' &&
           grep -Eq '^user.0.login-time +: 1700000000000' '$TMP/out' &&
           grep -Eq '^os.id +: vnagenttest' '$TMP/out' &&
           grep -Eq '^timezone.name +: Asia/Kolkata' '$TMP/out' &&
           grep -Eq '^timezone.offset +: 19800' '$TMP/out' &&
           grep -Eq '^hostname +: $HOST' '$TMP/out' &&
           grep -Eq '^fs.[0-9]+.mountpoint +: /data' '$TMP/out' &&
           grep -Eq '^if.count' '$TMP/out'"
V guestinfo --hostname "$NAME"
check "guestinfo --hostname: that group only" \
    sh -c "[ \$(grep -c ' : ' '$TMP/out') = 1 ] && grep -q 'hostname' '$TMP/out'"

V domtime "$NAME"
GT=$(sed -n 's/^Time: *//p' "$TMP/out")
NOW=$(date +%s)
check "domtime: the guest's clock" test -n "$GT" -a "$((GT - NOW))" -le 3 -a "$((NOW - GT))" -le 3
V domtime --now "$NAME"
check "domtime --now: refused as libvirt's LXC driver refuses it" grep -q "not supported" "$TMP/err"

V set-user-password "$NAME" alice 'Pass word 1'
HASH=$(sed -n 's/^alice:\([^:]*\):.*/\1/p' "$ROOT/etc/shadow")
check "set-user-password: a SHA-512 hash in the guest's shadow" \
    "$PY" -W ignore -c 'import crypt, sys; sys.exit(not (sys.argv[2].startswith("$6$") and crypt.crypt(sys.argv[1], sys.argv[2]) == sys.argv[2]))' \
    'Pass word 1' "$HASH"

printf 'ssh-ed25519 AAAAkeyA alice@one\nssh-rsa AAAAkeyB alice@two\n' > "$TMP/keys"
V set-user-sshkeys "$NAME" alice --reset --file "$TMP/keys"
check "set-user-sshkeys --reset: the file in the guest" cmp -s "$TMP/keys" "$ROOT/home/alice/.ssh/authorized_keys"
check "authorized_keys: 0600, alice's" \
    test "$(stat -c '%a %u' "$ROOT/home/alice/.ssh/authorized_keys")" = "600 1000"
printf 'ssh-rsa AAAAkeyB alice@two\n' > "$TMP/rm"
V set-user-sshkeys "$NAME" alice --remove --file "$TMP/rm"
V get-user-sshkeys "$NAME" alice
check "get-user-sshkeys after --remove" sh -c "grep -q keyA '$TMP/out' && ! grep -q keyB '$TMP/out'"

V guestvcpus "$NAME"
check "guestvcpus: none offlinable" grep -Eq "^offlinable +: *$" "$TMP/out"
V guestvcpus "$NAME" --cpulist 0 --disable
check "guestvcpus --disable: refused" grep -q "not offlinable" "$TMP/err"

check "guest-agent-timeout 10" V guest-agent-timeout "$NAME" --timeout 10
check "guest-agent-timeout kept in the state file" grep -q "agenttimeout='10'" "$TMP/run/lxc/$NAME.xml"
V guest-agent-timeout "$NAME" --timeout -5
check "guest-agent-timeout -5: refused" grep -q "less than the minimum" "$TMP/err"

# ---- libvirt-python -------------------------------------------------------
if "$PY" -c 'import libvirt' 2> /dev/null; then
    "$PY" "$SRC/tests/lxc-agent-python.py" "$URI" "$NAME" "$HOST" "$ROOT" > "$TMP/out" 2> "$TMP/err"
    rc=$?
    cat "$TMP/out"
    check "libvirt-python: events, guest info, keys, password, agent killed and back" test $rc = 0
else
    echo "skip libvirt-python part: python3-libvirt is not installed"
fi

# ---- power through the agent --------------------------------------------
ID1=$(virsh -c "$URI" domid "$NAME")
STARTS=$(grep -c "agent-lifecycle.*$NAME.*connected.*domain started" "$TMP/events")
V reboot --mode agent "$NAME"
for _ in $(seq 1 100); do
    ID2=$(virsh -c "$URI" domid "$NAME" 2> /dev/null)
    [ -n "$ID2" ] && [ "$ID2" != "$ID1" ] && [ "$ID2" != "-" ] && break
    sleep 0.1
done
check "reboot --mode agent: a new run" test -n "$ID2" -a "$ID2" != "$ID1" -a "$ID2" != "-"
check "agent connected again after the reboot (domain started)" \
    wait_for "$TMP/events" "agent-lifecycle.*$NAME.*connected.*domain started" $((STARTS + 1))
V shutdown --mode agent "$NAME"
for _ in $(seq 1 100); do
    virsh -c "$URI" domstate "$NAME" 2> /dev/null | grep -q "shut off" && break
    sleep 0.1
done
V domstate "$NAME"
check "shutdown --mode agent: shut off" grep -q "shut off" "$TMP/out"
V undefine "$NAME"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
