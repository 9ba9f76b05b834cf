#!/bin/sh
# trace-virsh.sh DIR LOG [PROXY-OPTIONS...]: trace what virsh calls.
#
# DIR is a directory where start-libvirtd.sh runs libvirtd. Starts
# trace-proxy.py on DIR/trace-sock (with PROXY-OPTIONS, e.g. --refuse 273)
# and runs each virsh action through it; LOG gets the proxy's JSON lines
# with a "### action" line before each action. A python connection kept
# open on the side (not traced) holds the test driver's state between
# actions: test:///default is shared by a daemon's connections and reset
# when the last one closes.
set -u
dir=$(cd "${1:?usage: trace-virsh.sh DIR LOG [PROXY-OPTIONS...]}" && pwd)
log=${2:?}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
uri="test+unix:///default?socket=$dir/trace-sock"
direct="test+unix:///default?socket=$dir/libvirt-sock"
: > "$log"

python3 "$here/trace-proxy.py" "$@" "$dir/trace-sock" "$dir/libvirt-sock" "$log" &
proxy=$!
/usr/bin/python3 -c 'import libvirt, sys, time
c = libvirt.open(sys.argv[1]); sys.stdout.write("held\n"); sys.stdout.flush()
time.sleep(100000)' "$direct" > "$dir/holder.out" &
holder=$!
i=0
while { [ ! -S "$dir/trace-sock" ] || ! grep -q held "$dir/holder.out"; } && [ $i -lt 100 ]; do
    sleep 0.1; i=$((i+1))
done

cat > "$dir/vt1.xml" <<XML
<domain type='test'>
  <name>vt1</name>
  <uuid>11111111-2222-3333-4444-555555555555</uuid>
  <memory>65536</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
XML
sed -e 's/vt1/vt2/' -e 's/11111111-/22222222-/' "$dir/vt1.xml" > "$dir/vt2.xml"

act() {
    echo "### virsh $*" >> "$log"
    timeout 60 virsh -q -c "$uri" "$@" > "$dir/virsh.out" 2>&1
    rc=$?
    sed 's/^/### | /' "$dir/virsh.out" | head -n 8 >> "$log"
    echo "### rc=$rc" >> "$log"
    sleep 0.2
}

act uri
act list --all
act dominfo test
act dominfo 1
act dominfo 6695eb01-f6a4-8304-79aa-97f2502e193f
act domstate test
act domstate --reason test
act define "$dir/vt1.xml"
act start vt1
act create "$dir/vt2.xml"
act destroy vt2
act shutdown vt1
act start vt1
act reboot vt1
act suspend vt1
act resume vt1
act destroy vt1
act autostart vt1
act autostart --disable vt1
act dumpxml vt1
act domid test
act domuuid test
act domname 1
act undefine vt1
# the *_FLAGS procedures: virsh uses them only when given flags
act define --validate "$dir/vt1.xml"
act start --paused vt1
act shutdown --mode acpi vt1
act destroy --graceful vt1
act undefine vt1
act nodeinfo
act capabilities
act version
act hostname
act list

# events: a listener, and a second virsh changing a domain meanwhile
events() {
    echo "### virsh event $* (listener), then changes from another virsh" >> "$log"
    virsh -c "$uri" event "$@" > "$dir/event.out" 2>&1 &
    ev=$!
    sleep 1
    for a in "start vt1" "suspend vt1" "resume vt1" \
             "destroy vt1" "create $dir/vt2.xml" "destroy vt2" "undefine vt1" \
             "define $dir/vt1.xml"; do
        echo "### (other virsh) $a" >> "$log"
        # shellcheck disable=SC2086
        timeout 60 virsh -q -c "$uri" $a > /dev/null 2>&1
        sleep 0.3
    done
    echo "### (idle $idle s)" >> "$log"
    sleep "$idle"
    echo "### SIGINT to the listener" >> "$log"
    kill -INT $ev 2>/dev/null
    wait $ev
    sed 's/^/### | /' "$dir/event.out" >> "$log"
}
# vt1 exists before the listeners start (the holder keeps it): --domain vt1
# needs it; each run ends by defining it again
echo "### (other virsh) define $dir/vt1.xml" >> "$log"
virsh -q -c "$uri" define "$dir/vt1.xml" > /dev/null 2>&1
idle=12 events --all --loop
idle=1 events --event lifecycle --loop
idle=1 events --event lifecycle --domain vt1 --loop

kill $holder $proxy
wait $holder $proxy 2>/dev/null
