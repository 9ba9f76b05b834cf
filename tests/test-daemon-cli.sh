#!/bin/bash
# test-daemon-cli.sh: tools/virtnet against a daemon/virtnetd of its own,
# checking output and exit status of each command (virsh's wording).
#
# Run by `make check` (VIRTNET_TEST_BUILDDIR set), or by hand from a build
# directory: VIRTNET_TEST_BUILDDIR=. /path/to/tests/test-daemon-cli.sh
set -u

BUILD=${VIRTNET_TEST_BUILDDIR:-.}
SRC=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
VIRTNET=$BUILD/tools/virtnet
VIRTNETD=$BUILD/daemon/virtnetd
for f in "$VIRTNET" "$VIRTNETD"; do
    if [ ! -x "$f" ]; then
        echo "FAIL $f is missing (build it first)"
        exit 1
    fi
done

# the connection that keeps test:///default's objects (hold-connection.py)
/usr/bin/python3 -c 'import libvirt' 2>/dev/null || { echo "skip: python3-libvirt is missing"; exit 77; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vn-cli.XXXXXX")
DPID=
LPID=
KEEPER=
cleanup() {
    [ -n "$LPID" ] && kill -9 "$LPID" 2>/dev/null
    [ -n "$KEEPER" ] && kill -9 "$KEEPER" 2>/dev/null
    [ -n "$DPID" ] && kill -9 "$DPID" 2>/dev/null
    [ -z "${VIRTNET_TEST_KEEP:-}" ] && rm -rf "$TMP"
}
trap cleanup EXIT

PASS=0
FAIL=0
ok()   { PASS=$((PASS + 1)); echo "ok   $1"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $1"; }

# ---- the daemon ------------------------------------------------------------
mkdir -p "$TMP/run"
cat > "$TMP/virtnetd.conf" <<EOF
unix_sock_dir = "$TMP/run"
EOF
"$VIRTNETD" -f "$TMP/virtnetd.conf" > "$TMP/daemon.out" 2> "$TMP/daemon.err" &
DPID=$!
for i in $(seq 1 300); do
    grep -q '^virtnetd: ready' "$TMP/daemon.out" 2>/dev/null && break
    if ! kill -0 "$DPID" 2>/dev/null; then
        echo "FAIL virtnetd exited at start:"; cat "$TMP/daemon.err"; exit 1
    fi
    sleep 0.1
done
if ! grep -q '^virtnetd: ready' "$TMP/daemon.out"; then
    echo "FAIL virtnetd did not get ready"; exit 1
fi
URI="test+unix:///default?socket=$TMP/run/libvirt-sock"
URIRO="test+unix:///default?socket=$TMP/run/libvirt-sock-ro"

# A connection kept open on the side: the test driver's state lives while
# one is open (as in docs/remote-procedures.md's traces).
KEEPER=$(/usr/bin/python3 "$SRC/tests/hold-connection.py" "$URI") || exit 1

# run NAME EXPECTED-STATUS ARGS...: stdout in $TMP/out, stderr in $TMP/err
run() {
    local name=$1 want=$2
    shift 2
    "$VIRTNET" "$@" > "$TMP/out" 2> "$TMP/err"
    local rc=$?
    if [ "$rc" != "$want" ]; then
        fail "$name: exit status $rc, expected $want"
        sed 's/^/    out: /' "$TMP/out"; sed 's/^/    err: /' "$TMP/err"
        return 1
    fi
    return 0
}

# expect NAME FILE: FILE equals stdin
expect() {
    if diff -u - "$2" > "$TMP/diff"; then
        ok "$1"
    else
        fail "$1"; sed 's/^/    /' "$TMP/diff"
    fi
}

# has NAME FILE TEXT: FILE contains the line TEXT
has() {
    if grep -qxF -- "$3" "$2"; then ok "$1"; else fail "$1: no line '$3' in:"; sed 's/^/    /' "$2"; fi
}

v() { run "$@"; }

# ---- reading ---------------------------------------------------------------
v "list" 0 -c "$URI" list && expect "list" "$TMP/out" <<'EOF'
 Id   Name   State
----------------------
 1    test   running

EOF

v "list -q" 0 -q -c "$URI" list --all && expect "list --all (quiet)" "$TMP/out" <<'EOF'
 Id   Name   State
----------------------
 1    test   running
EOF

v "nodeinfo" 0 -c "$URI" nodeinfo && expect "nodeinfo" "$TMP/out" <<'EOF'
CPU model:           i686
CPU(s):              16
CPU frequency:       1400 MHz
CPU socket(s):       2
Core(s) per socket:  2
Thread(s) per core:  2
NUMA cell(s):        2
Memory size:         3145728 KiB

EOF

if v "dominfo" 0 -c "$URI" dominfo test; then
    grep -v '^CPU time:' "$TMP/out" > "$TMP/out.f"
    expect "dominfo" "$TMP/out.f" <<'EOF'
Id:             1
Name:           test
UUID:           6695eb01-f6a4-8304-79aa-97f2502e193f
OS Type:        linux
State:          running
CPU(s):         2
Max memory:     8388608 KiB
Used memory:    2097152 KiB
Persistent:     yes
Autostart:      disable
Managed save:   no
Security model: testSecurity
Security DOI:   
Security label: libvirt-test (enforcing)

EOF
fi

v "domstate" 0 -q -c "$URI" domstate test && expect "domstate" "$TMP/out" <<< "running"
v "domstate --reason" 0 -q -c "$URI" domstate --reason test &&
    expect "domstate --reason" "$TMP/out" <<< "running (unknown)"
v "domstate by id" 0 -q -c "$URI" domstate 1 && expect "domstate by id" "$TMP/out" <<< "running"
v "domstate by uuid" 0 -q -c "$URI" domstate 6695eb01-f6a4-8304-79aa-97f2502e193f &&
    expect "domstate by uuid" "$TMP/out" <<< "running"
v "domname" 0 -q -c "$URI" domname 1 && expect "domname" "$TMP/out" <<< "test"
v "domid" 0 -q -c "$URI" domid test && expect "domid" "$TMP/out" <<< "1"
v "domuuid" 0 -q -c "$URI" domuuid test &&
    expect "domuuid" "$TMP/out" <<< "6695eb01-f6a4-8304-79aa-97f2502e193f"

v "hostname" 0 -q -c "$URI" hostname && expect "hostname" "$TMP/out" <<< "$(hostname)"
if v "version" 0 -c "$URI" version --daemon; then
    has "version: hypervisor" "$TMP/out" "Running hypervisor: TEST 0.0.2"
    has "version: daemon" "$TMP/out" "Running against daemon: 9.0.0"
fi
v "capabilities" 0 -c "$URI" capabilities && has "capabilities" "$TMP/out" "<capabilities>"
v "dumpxml" 0 -c "$URI" dumpxml test && has "dumpxml" "$TMP/out" "  <name>test</name>"

# ---- changing --------------------------------------------------------------
cat > "$TMP/vncli.xml" <<'EOF'
<domain type='test'>
  <name>vncli</name>
  <uuid>99999999-0000-0000-0000-000000000001</uuid>
  <memory>1048576</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
EOF
sed 's/vncli/vntrans/; s/-000000000001/-000000000002/' "$TMP/vncli.xml" > "$TMP/vntrans.xml"

v "define" 0 -c "$URI" define "$TMP/vncli.xml" &&
    expect "define" "$TMP/out" <<< "Domain 'vncli' defined from $TMP/vncli.xml
"
v "list --all" 0 -c "$URI" list --all && expect "list --all" "$TMP/out" <<'EOF'
 Id   Name    State
------------------------
 1    test    running
 -    vncli   shut off

EOF
v "list --inactive --name" 0 -q -c "$URI" list --inactive --name &&
    expect "list --inactive --name" "$TMP/out" <<< "vncli"

# the listener: everything, until SIGINT
"$VIRTNET" -c "$URI" event --loop > "$TMP/events" 2> "$TMP/events.err" &
LPID=$!
# wait until it is registered: a probe domain's DEFINED event shows up
sed 's/vncli/vnprobe/; s/-000000000001/-000000000003/' "$TMP/vncli.xml" > "$TMP/vnprobe.xml"
for i in $(seq 1 100); do
    "$VIRTNET" -q -c "$URI" define "$TMP/vnprobe.xml" > /dev/null 2>&1
    grep -q "vnprobe" "$TMP/events" && break
    sleep 0.1
done
"$VIRTNET" -q -c "$URI" undefine vnprobe > /dev/null 2>&1

v "start" 0 -c "$URI" start vncli && expect "start" "$TMP/out" <<< "Domain 'vncli' started
"
if v "start twice" 1 -c "$URI" start vncli; then
    expect "start twice: error" "$TMP/err" <<'EOF'
error: Failed to start domain 'vncli'
error: internal error: Domain 'vncli' is already running
EOF
fi
v "domstate after start" 0 -q -c "$URI" domstate --reason vncli &&
    expect "domstate after start" "$TMP/out" <<< "running (booted)"
v "suspend" 0 -c "$URI" suspend vncli && expect "suspend" "$TMP/out" <<< "Domain 'vncli' suspended
"
v "domstate paused" 0 -q -c "$URI" domstate --reason vncli &&
    expect "domstate paused" "$TMP/out" <<< "paused (user)"
v "resume" 0 -c "$URI" resume vncli && expect "resume" "$TMP/out" <<< "Domain 'vncli' resumed
"
v "reboot" 0 -c "$URI" reboot vncli && expect "reboot" "$TMP/out" <<< "Domain 'vncli' is being rebooted
"
v "shutdown" 0 -c "$URI" shutdown vncli &&
    expect "shutdown" "$TMP/out" <<< "Domain 'vncli' is being shutdown
"
v "destroy shut off" 1 -c "$URI" destroy vncli &&
    has "destroy shut off: error" "$TMP/err" "error: Requested operation is not valid: domain is not running"
v "start again" 0 -q -c "$URI" start vncli
v "destroy" 0 -c "$URI" destroy vncli && expect "destroy" "$TMP/out" <<< "Domain 'vncli' destroyed
"
v "autostart" 0 -c "$URI" autostart vncli &&
    expect "autostart" "$TMP/out" <<< "Domain 'vncli' marked as autostarted
"
v "dominfo autostart" 0 -c "$URI" dominfo vncli && has "dominfo: autostart" "$TMP/out" "Autostart:      enable"
has "dominfo: inactive id" "$TMP/out" "Id:             -"
has "dominfo: shut off" "$TMP/out" "State:          shut off"
v "autostart --disable" 0 -c "$URI" autostart --disable vncli &&
    expect "autostart --disable" "$TMP/out" <<< "Domain 'vncli' unmarked as autostarted
"
v "create" 0 -c "$URI" create "$TMP/vntrans.xml" &&
    expect "create" "$TMP/out" <<< "Domain 'vntrans' created from $TMP/vntrans.xml
"
v "list with transient" 0 -q -c "$URI" list && expect "list with transient" "$TMP/out" <<'EOF'
 Id   Name      State
-------------------------
 1    test      running
 4    vntrans   running
EOF
v "destroy transient" 0 -q -c "$URI" destroy vntrans
v "undefine" 0 -c "$URI" undefine vncli &&
    expect "undefine" "$TMP/out" <<< "Domain 'vncli' has been undefined
"

# the listener saw vncli's life, in order
for i in $(seq 1 50); do
    grep -q "vncli': Undefined" "$TMP/events" && break
    sleep 0.1
done
kill -INT "$LPID"
wait "$LPID"
lrc=$?
LPID=
[ "$lrc" = 0 ] && ok "event: exit status after SIGINT" || fail "event: exit status $lrc after SIGINT"
has "event: count line" "$TMP/events" "events received: $(grep -c "^event 'lifecycle'" "$TMP/events")"
grep -v -e vnprobe -e '^events received' "$TMP/events" > "$TMP/events.f"
expect "event --loop" "$TMP/events.f" <<'EOF'
event 'lifecycle' for domain 'vncli': Started Booted
event 'lifecycle' for domain 'vncli': Suspended Paused
event 'lifecycle' for domain 'vncli': Resumed Unpaused
event 'lifecycle' for domain 'vncli': Stopped Shutdown
event 'lifecycle' for domain 'vncli': Started Booted
event 'lifecycle' for domain 'vncli': Stopped Destroyed
event 'lifecycle' for domain 'vntrans': Started Booted
event 'lifecycle' for domain 'vntrans': Stopped Destroyed
event 'lifecycle' for domain 'vncli': Undefined Removed
event loop interrupted

EOF

v "event timeout" 0 -c "$URI" event --domain test --timeout 1 && expect "event timeout" "$TMP/out" <<'EOF'
event loop timed out
events received: 0

EOF
v "event --count" 0 -q -c "$URI" event --count 1 --timeout 1 &&
    has "event --count, timeout" "$TMP/out" "events received: 0"

# ---- errors ----------------------------------------------------------------
v "missing domain" 1 -c "$URI" dominfo nope && expect "missing domain" "$TMP/err" <<< "error: failed to get domain 'nope'"
[ -s "$TMP/out" ] && fail "missing domain: stdout not empty" || ok "missing domain: no output"
v "unknown command" 1 -c "$URI" frob && expect "unknown command" "$TMP/err" <<< "error: unknown command: 'frob'"
v "missing argument" 1 -c "$URI" dominfo &&
    expect "missing argument" "$TMP/err" <<< "error: command 'dominfo' requires <domain> option"
v "unknown option" 1 -c "$URI" list --bogus &&
    expect "unknown option" "$TMP/err" <<< "error: command 'list' doesn't support option --bogus"
v "define missing file" 1 -c "$URI" define "$TMP/nope.xml" &&
    has "define missing file" "$TMP/err" "error: Failed to open file '$TMP/nope.xml': No such file or directory"
echo "<domain" > "$TMP/bad.xml"
v "define bad xml" 1 -c "$URI" define "$TMP/bad.xml" &&
    has "define bad xml" "$TMP/err" "error: Failed to define domain from $TMP/bad.xml"
v "no daemon" 1 -c "test+unix:///default?socket=$TMP/none" list &&
    has "no daemon" "$TMP/err" "error: failed to connect to the hypervisor"

# ---- read-only ---------------------------------------------------------------
v "read-only list" 0 -r -c "$URI" list
v "read-only socket list" 0 -c "$URIRO" list
v "read-only define" 1 -r -c "$URI" define "$TMP/vncli.xml" &&
    has "read-only define" "$TMP/err" "error: Failed to define domain from $TMP/vncli.xml"
grep -q "^error: operation forbidden" "$TMP/err" && ok "read-only define: forbidden" ||
    { fail "read-only define: message"; cat "$TMP/err"; }
v "read-only socket destroy" 1 -c "$URIRO" destroy test
grep -q "^error: operation forbidden" "$TMP/err" && ok "read-only socket destroy: forbidden" ||
    { fail "read-only socket destroy: message"; cat "$TMP/err"; }
v "state unchanged" 0 -q -c "$URI" domstate test && expect "state unchanged" "$TMP/out" <<< "running"

# ---- admin stats: the daemon's own figures -----------------------------------
ADM="$TMP/run/libvirt-admin-sock"
# Under AddressSanitizer malloc is ASan's: glibc's mallinfo2 (the heap
# figures) sees nothing and says 0.
heap='[1-9][0-9]*'
[ -n "${ASAN_OPTIONS:-}" ] && heap='[0-9]+'
v "admin stats" 0 admin stats --socket "$ADM" &&
    grep -qE '^ libvirtd +REMOTE_PROC_DOMAIN_GET_STATE +[1-9]' "$TMP/out" &&
    grep -qE "^Process: RSS [1-9][0-9]* KiB, heap in use $heap KiB" "$TMP/out" &&
    ok "admin stats: procedures called and the process line" ||
    { fail "admin stats: output"; sed 's/^/    /' "$TMP/out"; }
v "admin stats --prometheus" 0 admin stats --socket "$ADM" --prometheus
for fam in virtnet_rpc_calls_total virtnet_client_calls_total \
           virtnet_process_resident_memory_bytes virtnet_heap_in_use_bytes; do
    grep -qx "# TYPE $fam [a-z]*" "$TMP/out" &&
        grep -qE "^$fam(\{[^}]*\})? [0-9]" "$TMP/out" && ok "prometheus: $fam" ||
        { fail "prometheus: $fam"; sed 's/^/    /' "$TMP/out" | head -20; }
done
# the resident set in bytes, as /proc says within a factor of two
rss=$(awk '$1 == "virtnet_process_resident_memory_bytes" { print $2 }' "$TMP/out")
prss=$(awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$DPID/status")
[ -n "$rss" ] && [ "$rss" -gt $((prss / 2)) ] && [ "$rss" -lt $((prss * 2)) ] &&
    ok "prometheus: resident memory $rss bytes (/proc: $prss)" ||
    fail "prometheus: resident memory '$rss' bytes, /proc says $prss"
v "admin stats on a missing socket" 1 admin stats --socket "$TMP/run/none"

# ---- the daemon stops cleanly ------------------------------------------------
kill "$KEEPER" 2>/dev/null
for i in $(seq 1 50); do kill -0 "$KEEPER" 2>/dev/null || break; sleep 0.1; done
kill -TERM "$DPID"
for i in $(seq 1 400); do
    kill -0 "$DPID" 2>/dev/null || break
    sleep 0.1
done
wait "$DPID"
drc=$?
DPID=
[ "$drc" = 0 ] && ok "virtnetd exits 0 on SIGTERM" || { fail "virtnetd exit status $drc"; cat "$TMP/daemon.err"; }

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
