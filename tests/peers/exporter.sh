#!/bin/sh
# exporter.sh: Debian's prometheus-libvirt-exporter (kumina's, on libvirt's
# client library) scrapes virtnetd: libvirt_up is 1 and every metric family
# the exporter emits is there, with the values the test driver fixes. With
# root, libvirtd and namespaces, the same scrape of a private libvirtd 9.0
# must show the same families, labels and fixed values.
#
# The exporter listens on 127.0.0.1 only and talks to the daemons over
# their UNIX sockets.
. "$(dirname "$0")/../conformance/common.sh"
EXPORTER=$(command -v prometheus-libvirt-exporter) ||
    skip "prometheus-libvirt-exporter is not installed (install-deps.sh --with-peers)"
command -v curl > /dev/null 2>&1 || skip "curl is not installed"
start_virtnetd
conf_tmpdir OUT

# scrape URI FILE: run the exporter on a free loopback port, fetch /metrics
scrape() {
    for try in 1 2 3 4 5; do
        port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
        "$EXPORTER" --web.listen-address="127.0.0.1:$port" --libvirt.uri="$1" \
            > "$2.log" 2>&1 &
        pid=$!
        CONF_PIDS="$CONF_PIDS $pid"
        i=0
        while [ $i -lt 50 ]; do
            if curl -sf "http://127.0.0.1:$port/metrics" > "$2.raw" 2> /dev/null; then
                kill "$pid"
                wait "$pid" 2> /dev/null
                grep '^libvirt' "$2.raw" | sort > "$2"
                return 0
            fi
            kill -0 "$pid" 2> /dev/null || break    # port taken: another one
            sleep 0.1
            i=$((i + 1))
        done
        kill "$pid" 2> /dev/null
        wait "$pid" 2> /dev/null
    done
    cat "$2.log"
    return 1
}

# families: metric names and label names, values of the clock-free ones
families() {
    sed -E -e 's/="[^"]*"/=/g' -e 's/ .*$//' "$1" | sort -u
}
fixed() {
    grep -E '^libvirt_(up|domains_number|domain_state_code|domain_info_(maximum_memory_bytes|memory_usage_bytes|virtual_cpus))' "$1"
}

scrape "$VN_URI" "$OUT/vn.txt" || fail "the exporter did not answer against virtnetd"
virtnetd_alive "after the scrape"
status=0
npass=0
nfail=0
check() {  # desc=DESCRIPTION check COMMAND...
    if "$@" > /dev/null 2>&1; then
        echo "ok - $desc"
        npass=$((npass + 1))
    else
        echo "not ok - $desc"
        nfail=$((nfail + 1))
        status=1
    fi
}
desc="libvirt_up 1" check grep -qx 'libvirt_up 1' "$OUT/vn.txt"
for fam in domains_number domain_state_code domain_info_cpu_time_seconds_total \
    domain_info_maximum_memory_bytes domain_info_memory_usage_bytes domain_info_virtual_cpus \
    domain_block_stats_read_bytes_total domain_block_stats_read_requests_total \
    domain_block_stats_write_bytes_total domain_block_stats_write_requests_total \
    domain_interface_stats_receive_bytes_total domain_interface_stats_receive_packets_total \
    domain_interface_stats_receive_errors_total domain_interface_stats_receive_drops_total \
    domain_interface_stats_transmit_bytes_total domain_interface_stats_transmit_packets_total \
    domain_interface_stats_transmit_errors_total domain_interface_stats_transmit_drops_total; do
    desc="family libvirt_$fam" check grep -q "^libvirt_$fam[{ ]" "$OUT/vn.txt"
done
desc="block stats of vda (/guest/diskimage1)" check \
    grep -q 'target_device="vda"' "$OUT/vn.txt"
desc="memory: 8 GiB maximum, 2 GiB used" check \
    grep -q 'libvirt_domain_info_memory_usage_bytes{.*} 2.147483648e+09' "$OUT/vn.txt"

if [ "$(id -u)" = 0 ] && command -v libvirtd > /dev/null 2>&1 &&
    unshare --mount --net --propagation private true 2> /dev/null; then
    conf_tmpdir LV_DIR
    lv_pid=$("$CONF_SRCDIR/tests/remote-trace/start-libvirtd.sh" "$LV_DIR") ||
        fail "libvirtd did not start"
    CONF_PIDS="$CONF_PIDS $lv_pid"
    scrape "test+unix:///default?socket=$LV_DIR/libvirt-sock" "$OUT/lv.txt" ||
        fail "the exporter did not answer against libvirtd"
    families "$OUT/lv.txt" > "$OUT/lv.fam"
    families "$OUT/vn.txt" > "$OUT/vn.fam"
    desc="same families and labels as against libvirtd $(libvirtd --version | awk '{print $NF}')" \
        check diff -u "$OUT/lv.fam" "$OUT/vn.fam"
    diff -u "$OUT/lv.fam" "$OUT/vn.fam"
    fixed "$OUT/lv.txt" > "$OUT/lv.fixed"
    fixed "$OUT/vn.txt" > "$OUT/vn.fixed"
    desc="same clock-free values as against libvirtd" check diff -u "$OUT/lv.fixed" "$OUT/vn.fixed"
    diff -u "$OUT/lv.fixed" "$OUT/vn.fixed"
else
    echo "# no comparison with libvirtd (needs root, libvirtd and namespaces)"
fi
echo "$npass passed, $nfail failed"
exit $status
