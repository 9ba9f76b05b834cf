#!/bin/sh
# virsh.sh [URI]: the virsh commands a person uses, against virtnetd (or
# against the daemon at URI: `virsh.sh 'test+unix:///default?socket=...'`
# checks the expectations below against libvirtd). Each command's exit
# status and output (stdout, or stderr when it fails) must be exactly
# libvirtd 9.0's; CPU time is the only value left out. Then
# `virsh event --loop --all --timeout 10` runs while another virsh changes
# a domain, and must print the events in order.
. "$(dirname "$0")/common.sh"
need_virsh
if [ $# -gt 0 ]; then
    URI=$1
    conf_tmpdir WORK
    VN_PID=
else
    start_virtnetd
    URI=$VN_URI
    WORK=$VN_DIR
fi
cd "$WORK" || fail "cd $WORK"
failures=0

# test:///default is reset when its last connection closes: a connection
# held open on the side keeps the state between the virsh runs. It is
# there once it has seen an event.
: > holder.out
virsh -c "$URI" event --loop --event lifecycle > holder.out 2>&1 &
holder=$!
CONF_PIDS="$CONF_PIDS $holder"
cat > probe.xml << 'EOF'
<domain type='test'>
  <name>probe</name>
  <uuid>11111111-2222-3333-4444-0000000000ff</uuid>
  <memory>1024</memory>
  <os><type>hvm</type></os>
</domain>
EOF
i=0
until grep -q "'probe'" holder.out; do
    [ $i -lt 50 ] || { cat holder.out; CONF_KEEP=1; fail "the holder virsh did not register"; }
    virsh -q -c "$URI" define probe.xml > /dev/null 2>&1
    sleep 0.1
    i=$((i + 1))
done
virsh -q -c "$URI" undefine probe > /dev/null 2>&1

# t RC ARGS... < EXPECTED: run virsh ARGS; its exit status must be RC and
# its stdout (RC 0) or stderr (otherwise) must be EXPECTED
t() {
    want_rc=$1
    shift
    cat > expected
    virsh -c "$URI" "$@" > stdout 2> stderr
    rc=$?
    if [ "$want_rc" = 0 ]; then got=stdout; else got=stderr; fi
    sed -i 's/^\(CPU time: *\).*/\1X/' "$got"
    # after an XML parse error libvirt quotes the line and points at the
    # column; left out (docs/conformance.md, "Normalizations")
    awk '/^error: /{ ctx = /^error: \(domain_definition\):[0-9]+:/; print; next }
         !ctx { print }' "$got" > filtered && mv filtered "$got"
    if [ $rc != "$want_rc" ] || ! diff -u expected "$got" > diff.out; then
        echo "FAIL: virsh $* (exit status $rc, expected $want_rc)"
        cat diff.out
        [ "$got" = stdout ] && sed 's/^/stderr: /' stderr
        failures=$((failures + 1))
    else
        echo "ok: virsh $*"
    fi
}

cat > vt1.xml << 'EOF'
<domain type='test'>
  <name>vt1</name>
  <uuid>11111111-2222-3333-4444-000000000001</uuid>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
EOF
printf "<domain type='test'><name>bad</name" > bad.xml

t 0 list --all << 'EOF'
 Id   Name   State
----------------------
 1    test   running

EOF
t 0 dominfo test << 'EOF'
Id:             1
Name:           test
UUID:           6695eb01-f6a4-8304-79aa-97f2502e193f
OS Type:        linux
State:          running
CPU(s):         2
CPU time:       X
Max memory:     8388608 KiB
Used memory:    2097152 KiB
Persistent:     yes
Autostart:      disable
Managed save:   no
Security model: testSecurity
Security DOI:   
Security label: libvirt-test (enforcing)

EOF
t 0 domstate test << 'EOF'
running

EOF
t 0 domstate --reason test << 'EOF'
running (unknown)

EOF
t 0 define vt1.xml << 'EOF'
Domain 'vt1' defined from vt1.xml

EOF
t 1 define bad.xml << 'EOF'
error: Failed to define domain from bad.xml
error: (domain_definition):1: expected '>'
EOF
t 0 list --all << 'EOF'
 Id   Name   State
-----------------------
 1    test   running
 -    vt1    shut off

EOF
t 0 list --inactive << 'EOF'
 Id   Name   State
-----------------------
 -    vt1    shut off

EOF
t 0 dominfo vt1 << 'EOF'
Id:             -
Name:           vt1
UUID:           11111111-2222-3333-4444-000000000001
OS Type:        linux
State:          shut off
CPU(s):         1
CPU time:       X
Max memory:     65536 KiB
Used memory:    65536 KiB
Persistent:     yes
Autostart:      disable
Managed save:   no
Security model: testSecurity
Security DOI:   

EOF
t 0 domstate --reason vt1 << 'EOF'
shut off (unknown)

EOF
t 0 start vt1 << 'EOF'
Domain 'vt1' started

EOF
t 1 start vt1 << 'EOF'
error: Domain is already active
EOF
t 0 domid vt1 << 'EOF'
2

EOF
t 0 domuuid vt1 << 'EOF'
11111111-2222-3333-4444-000000000001

EOF
t 0 domname 2 << 'EOF'
vt1

EOF
t 0 domname 11111111-2222-3333-4444-000000000001 << 'EOF'
vt1

EOF
t 0 domid 11111111-2222-3333-4444-000000000001 << 'EOF'
2

EOF
t 0 dominfo 2 << 'EOF'
Id:             2
Name:           vt1
UUID:           11111111-2222-3333-4444-000000000001
OS Type:        linux
State:          running
CPU(s):         1
CPU time:       X
Max memory:     65536 KiB
Used memory:    65536 KiB
Persistent:     yes
Autostart:      disable
Managed save:   no
Security model: testSecurity
Security DOI:   
Security label: libvirt-test (enforcing)

EOF
t 0 dumpxml vt1 << 'EOF'
<domain type='test' id='2'>
  <name>vt1</name>
  <uuid>11111111-2222-3333-4444-000000000001</uuid>
  <memory unit='KiB'>65536</memory>
  <currentMemory unit='KiB'>65536</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='i686'>hvm</type>
    <boot dev='hd'/>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
  </devices>
</domain>

EOF
t 0 suspend vt1 << 'EOF'
Domain 'vt1' suspended

EOF
t 0 domstate --reason vt1 << 'EOF'
paused (user)

EOF
t 0 list << 'EOF'
 Id   Name   State
----------------------
 1    test   running
 2    vt1    paused

EOF
t 1 suspend vt1 << 'EOF'
error: Failed to suspend domain 'vt1'
error: internal error: domain 'vt1' not running
EOF
t 0 resume vt1 << 'EOF'
Domain 'vt1' resumed

EOF
t 1 resume vt1 << 'EOF'
error: Failed to resume domain 'vt1'
error: internal error: domain 'vt1' not paused
EOF
t 0 domstate --reason vt1 << 'EOF'
running (unpaused)

EOF
t 0 reboot vt1 << 'EOF'
Domain 'vt1' is being rebooted

EOF
t 0 domstate --reason vt1 << 'EOF'
running (booted)

EOF
t 0 domid vt1 << 'EOF'
2

EOF
t 0 shutdown vt1 << 'EOF'
Domain 'vt1' is being shutdown

EOF
t 0 domstate --reason vt1 << 'EOF'
shut off (shutdown)

EOF
t 1 shutdown vt1 << 'EOF'
error: Failed to shutdown domain 'vt1'
error: internal error: domain 'vt1' not running
EOF
t 1 reboot vt1 << 'EOF'
error: Failed to reboot domain 'vt1'
error: Requested operation is not valid: domain is not running
EOF
t 0 domid vt1 << 'EOF'
-

EOF
t 0 start vt1 << 'EOF'
Domain 'vt1' started

EOF
t 0 domid vt1 << 'EOF'
3

EOF
t 0 destroy vt1 << 'EOF'
Domain 'vt1' destroyed

EOF
t 0 domstate --reason vt1 << 'EOF'
shut off (destroyed)

EOF
t 1 destroy vt1 << 'EOF'
error: Failed to destroy domain 'vt1'
error: Requested operation is not valid: domain is not running
EOF
t 0 autostart vt1 << 'EOF'
Domain 'vt1' marked as autostarted

EOF
t 0 dominfo vt1 << 'EOF'
Id:             -
Name:           vt1
UUID:           11111111-2222-3333-4444-000000000001
OS Type:        linux
State:          shut off
CPU(s):         1
CPU time:       X
Max memory:     65536 KiB
Used memory:    65536 KiB
Persistent:     yes
Autostart:      enable
Managed save:   no
Security model: testSecurity
Security DOI:   

EOF
t 0 list --all --autostart << 'EOF'
 Id   Name   State
-----------------------
 -    vt1    shut off

EOF
t 0 autostart --disable vt1 << 'EOF'
Domain 'vt1' unmarked as autostarted

EOF
t 0 dumpxml vt1 << 'EOF'
<domain type='test'>
  <name>vt1</name>
  <uuid>11111111-2222-3333-4444-000000000001</uuid>
  <memory unit='KiB'>65536</memory>
  <currentMemory unit='KiB'>65536</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='i686'>hvm</type>
    <boot dev='hd'/>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
  </devices>
</domain>

EOF
t 0 undefine vt1 << 'EOF'
Domain 'vt1' has been undefined

EOF
t 1 undefine vt1 << 'EOF'
error: failed to get domain 'vt1'
EOF
t 1 dominfo nosuch << 'EOF'
error: failed to get domain 'nosuch'
EOF
t 1 domstate nosuch << 'EOF'
error: failed to get domain 'nosuch'
EOF
t 1 domid nosuch << 'EOF'
error: failed to get domain 'nosuch'
EOF
t 1 domname 99 << 'EOF'
error: failed to get domain '99'
EOF
t 1 domuuid 99 << 'EOF'
error: failed to get domain '99'
EOF
t 1 start test << 'EOF'
error: Domain is already active
EOF
t 0 nodeinfo << 'EOF'
CPU model:           i686
CPU(s):              16
CPU frequency:       1400 MHz
CPU socket(s):       2
Core(s) per socket:  2
Thread(s) per core:  2
NUMA cell(s):        2
Memory size:         3145728 KiB

EOF
t 0 list --all << 'EOF'
 Id   Name   State
----------------------
 1    test   running

EOF

# version: the library lines are the client's own; the hypervisor's is the
# daemon's answer (TEST 0.0.2, as libvirt's test driver)
virsh -c "$URI" version > stdout 2> stderr
rc=$?
if [ $rc = 0 ] && grep -qx "Running hypervisor: TEST 0.0.2" stdout &&
    grep -qx "Using API: TEST [0-9.]*" stdout; then
    echo "ok: virsh version"
else
    echo "FAIL: virsh version (exit status $rc)"
    cat stdout stderr
    failures=$((failures + 1))
fi
# hostname: the daemon's host name (this host's, as libvirtd's would be)
virsh -c "$URI" hostname > stdout 2> stderr
rc=$?
h=$(head -n 1 stdout)
if [ $rc = 0 ] && [ -n "$h" ] &&
    { [ "$h" = "$(uname -n)" ] || [ "$h" = "$(hostname -f 2> /dev/null)" ]; }; then
    echo "ok: virsh hostname"
else
    echo "FAIL: virsh hostname (exit status $rc): '$h', expected '$(uname -n)'"
    cat stderr
    failures=$((failures + 1))
fi
# capabilities: host arch, guests hvm and xen on i686 with domain type test
virsh -c "$URI" capabilities > stdout 2> stderr
rc=$?
caps_ok=1
[ $rc = 0 ] || caps_ok=0
for pat in "<arch>i686</arch>" "<os_type>hvm</os_type>" "<os_type>xen</os_type>" \
    "<arch name='i686'>" "<domain type='test'/>" "<model>testSecurity</model>" \
    "<cells num='2'>"; do
    grep -qF "$pat" stdout || { echo "capabilities: no $pat"; caps_ok=0; }
done
if [ $caps_ok = 1 ]; then
    echo "ok: virsh capabilities"
else
    echo "FAIL: virsh capabilities (exit status $rc)"
    cat stderr
    failures=$((failures + 1))
fi

# events: virsh event --all in the background while another virsh changes
# a domain (10 s: nine virsh runs fit in it on a loaded machine, and under
# ASan). The watcher is known to be registered once it has printed the
# probe domain's event.
: > events.out
virsh -c "$URI" event --loop --all --timeout 10 > events.out 2> events.err &
watcher=$!
CONF_PIDS="$CONF_PIDS $watcher"
i=0
until grep -q "'probe'" events.out; do
    [ $i -lt 40 ] || { cat events.out events.err; CONF_KEEP=1; fail "virsh event did not register"; }
    virsh -q -c "$URI" define probe.xml > /dev/null 2>&1
    sleep 0.1
    i=$((i + 1))
done
virsh -q -c "$URI" undefine probe > /dev/null 2>&1
for cmd in "define vt1.xml" "start vt1" "suspend vt1" "resume vt1" \
    "reboot vt1" "shutdown vt1" "start vt1" "destroy vt1" "undefine vt1"; do
    # shellcheck disable=SC2086
    virsh -q -c "$URI" $cmd > /dev/null 2>&1 || {
        echo "FAIL: virsh $cmd (while watching events)"
        failures=$((failures + 1))
    }
done
wait $watcher
rc=$?
grep -v "'probe'" events.out > events.got
n=$(grep -c "^event '" events.out)
cat > events.want << EOF
event 'lifecycle' for domain 'vt1': Defined Added
event 'lifecycle' for domain 'vt1': Started Booted
event 'lifecycle' for domain 'vt1': Suspended Paused
event 'lifecycle' for domain 'vt1': Resumed Unpaused
event 'lifecycle' for domain 'vt1': Stopped Shutdown
event 'lifecycle' for domain 'vt1': Started Booted
event 'lifecycle' for domain 'vt1': Stopped Destroyed
event 'lifecycle' for domain 'vt1': Undefined Removed
event loop timed out
events received: $n

EOF
if [ $rc = 0 ] && diff -u events.want events.got; then
    echo "ok: virsh event --loop --all --timeout 10"
else
    echo "FAIL: virsh event --loop --all --timeout 10 (exit status $rc)"
    cat events.err
    failures=$((failures + 1))
fi

kill "$holder"
if [ -n "$VN_PID" ]; then
    virtnetd_alive "after the virsh commands"
    stop_virtnetd
fi
[ $failures = 0 ] || { CONF_KEEP=1; fail "$failures virsh check(s) failed"; }
echo "PASS: virsh output and exit status as libvirtd's"
