#!/bin/sh
# domapi.sh: the domain and host API beyond the lifecycle, differentially:
# the same libvirt-python script (domapi.py) and the same virsh command list
# (domapi.virsh, one virsh process) against test:///default inside the
# client (libvirt's own test driver) and against virtnetd. Results, error
# codes, domains and messages and the events must be equal once the
# numbers the test driver derives from the clock are normalised.
. "$(dirname "$0")/common.sh"
need_python_libvirt
need_virsh
start_virtnetd
conf_tmpdir OUT

status=0
timeout 120 "$PY" "$CONF_HERE/domapi.py" "test:///default" "$OUT/ref.txt" 2> "$OUT/ref.err" ||
    { cat "$OUT/ref.err"; fail "domapi.py against test:///default failed"; }
timeout 120 "$PY" "$CONF_HERE/domapi.py" "$VN_URI" "$OUT/vn.txt" 2> "$OUT/vn.err" ||
    { cat "$OUT/vn.err"; fail "domapi.py against virtnetd failed"; }
virtnetd_alive "after domapi.py"
if diff -u "$OUT/ref.txt" "$OUT/vn.txt"; then
    echo "ok - libvirt-python: $(wc -l < "$OUT/ref.txt") calls equal"
else
    echo "not ok - libvirt-python transcripts differ"
    status=1
fi

# clock-derived statistics: their shape only
norm() {
    sed -E -e 's/^([a-z0-9]+ (rd|wr|rx|tx)_[a-z_]+|[a-z0-9]+ errs) [0-9]+$/\1 N/' \
        -e 's/^(CPU time: +)[0-9.]+s/\1Ns/' \
        -e 's/^( number of [a-z ]+: +| error count: +)[0-9]+/\1N/' \
        -e 's/<creationTime>[0-9]+</<creationTime>N</' \
        -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [-+][0-9]{4}/DATE/'
}
# checkpoint-create reads files: @OUT@ in the commands is their directory
cat > "$OUT/ck-redefine.xml" <<EOF
<domaincheckpoint><name>rd1</name><description>redefined</description>
  <parent><name>ck1</name></parent><creationTime>1000</creationTime>
  <disks><disk name='vda' checkpoint='bitmap' bitmap='rd1'/></disks></domaincheckpoint>
EOF
echo "<domaincheckpoint><name>rd2</name></domaincheckpoint>" > "$OUT/ck-bad.xml"
# cpu-baseline reads the <cpu> elements of a file
cat > "$OUT/cpus-intel.xml" <<EOF
<cpu><arch>x86_64</arch><model>Haswell</model><vendor>Intel</vendor><feature name='vmx'/></cpu>
<cpu><arch>x86_64</arch><model>Westmere</model><vendor>Intel</vendor></cpu>
EOF
echo "<cpu><arch>x86_64</arch><model>Haswell</model><vendor>Intel</vendor><feature name='vmx'/></cpu>" \
    > "$OUT/cpu-one.xml"
cat > "$OUT/cpus-mixed.xml" <<EOF
<cpu><arch>x86_64</arch><model>Haswell</model></cpu>
<cpu><arch>x86_64</arch><model>EPYC</model></cpu>
EOF
cat > "$OUT/cpus-vendors.xml" <<EOF
<cpu><arch>x86_64</arch><model>Haswell</model><vendor>Intel</vendor></cpu>
<cpu><arch>x86_64</arch><model>EPYC</model><vendor>AMD</vendor></cpu>
EOF
echo "<cpu><model>foo</model></cpu>" > "$OUT/cpu-noarch.xml"
# checkpoint-edit with an editor that changes nothing
export EDITOR=true VISUAL=true
# each command list in one virsh process (a fresh test driver each time)
nlists=0
for list in domapi.virsh domapi-tune.virsh; do
    nlists=$((nlists + 1))
    cmds=$(sed "s|@OUT@|$OUT|g" "$CONF_HERE/$list")
    # virsh 9.0 can hang on exit against the in-process driver: a timeout, once more
    for try in 1 2; do
        timeout 60 virsh -c test:///default "$cmds" > "$OUT/vref.raw" 2>&1 && break
    done
    timeout 60 virsh -c "$VN_URI" "$cmds" > "$OUT/vvn.raw" 2>&1
    norm < "$OUT/vref.raw" > "$OUT/vref.txt"
    norm < "$OUT/vvn.raw" > "$OUT/vvn.txt"
    virtnetd_alive "after the virsh commands of $list"
    if diff -u "$OUT/vref.txt" "$OUT/vvn.txt"; then
        echo "ok - virsh $list: $(tr ";" "\n" < "$CONF_HERE/$list" | grep -c .) commands, $(wc -l < "$OUT/vref.txt") lines equal"
    else
        echo "not ok - virsh outputs of $list differ"
        status=1
    fi
done
[ $status = 0 ] && echo "$((nlists + 1)) passed, 0 failed" || echo "failed"
exit $status
