#!/bin/sh
# differential.sh: the same virt-admin script against libvirtd 9.0 and
# virtnetd; the transcripts (every command's output, errors and exit
# status) must be equal once the values that legitimately differ are
# normalised: the run directory, process IDs and connection times.
#
# libvirtd runs as root in its own mount and network namespaces
# (tests/remote-trace/start-libvirtd.sh); virtnetd from the build tree.
# Each daemon has two virsh clients connected (read-write and read-only)
# while the script runs. Skips (77) without root, libvirtd or virt-admin.
set -u
srcdir=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${VIRTNET_TEST_BUILDDIR:-$srcdir}

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (libvirtd runs in its own mount namespace)"
for tool in libvirtd virt-admin virsh unshare; do
    command -v $tool >/dev/null 2>&1 || skip "$tool is not installed (install-deps.sh --with-peers)"
done
/usr/bin/python3 -c "import libvirt" 2>/dev/null || skip "python3-libvirt is not installed (install-deps.sh --with-peers)"

tmp=$(mktemp -d /tmp/virtnet-admin-diff-XXXXXX)
lvpid= vnpid= holders=
cleanup() {
    for p in $holders $vnpid $lvpid; do kill "$p" 2>/dev/null; done
    for p in $holders $vnpid $lvpid; do wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

lvpid=$(sh "$srcdir/tests/remote-trace/start-libvirtd.sh" "$tmp/lv") ||
    skip "the reference libvirtd did not start"

mkdir -p "$tmp/vn"
cat > "$tmp/vn/virtnetd.conf" <<CONF
unix_sock_dir = "$tmp/vn"
unix_sock_rw_perms = "0770"
log_filters = "1:rpc 1:remote 1:daemon"
log_outputs = "1:file:$tmp/vn/libvirtd.log"
CONF
"$builddir/daemon/virtnetd" -f "$tmp/vn/virtnetd.conf" -p "$tmp/vn/virtnetd.pid" \
    > "$tmp/vn/out" 2>&1 &
vnpid=$!
i=0
while [ ! -S "$tmp/vn/libvirt-admin-sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
[ -S "$tmp/vn/libvirt-admin-sock" ] || { cat "$tmp/vn/out"; echo "FAIL: virtnetd did not start"; exit 1; }

# Two clients that stay connected: IDs 1 (read-write) and 2 (read-only),
# each connected before the next starts.
for d in lv vn; do
    for sock in libvirt-sock libvirt-sock-ro; do
        h=$(/usr/bin/python3 "$srcdir/tests/hold-connection.py" \
                "test+unix:///default?socket=$tmp/$d/$sock") || exit 1
        holders="$holders $h"
    done
done
# A worker that sent a holder's last reply is counted busy until it is back
# in the pool: let both thread pools settle (a slow sanitizer build needs
# it) before the transcripts compare freeWorkers.
pool() {
    virt-admin -c "libvirtd:///system?socket=$tmp/$1/libvirt-admin-sock" \
        srv-threadpool-info libvirtd 2>&1
}
i=0
while [ "$(pool lv)" != "$(pool vn)" ] && [ $i -lt 50 ]; do
    sleep 0.2
    i=$((i + 1))
done

run() {
    d=$1
    adm() {
        echo "== $*"
        virt-admin -c "libvirtd:///system?socket=$tmp/$d/libvirt-admin-sock" "$@" 2>&1
        echo "rc=$?"
    }
    # A resize starts or ends workers a moment after the call returns (a
    # new one counts as free once it waits for work): read the pool's
    # figures once they stopped moving, on both daemons alike.
    settled_pool() {
        echo "== srv-threadpool-info $1 (settled)"
        prev=$(virt-admin -c "libvirtd:///system?socket=$tmp/$d/libvirt-admin-sock" \
                   srv-threadpool-info "$1" 2>&1)
        same=0
        n=0
        while [ $same -lt 3 ] && [ $n -lt 50 ]; do
            sleep 0.1
            cur=$(virt-admin -c "libvirtd:///system?socket=$tmp/$d/libvirt-admin-sock" \
                      srv-threadpool-info "$1" 2>&1)
            if [ "$cur" = "$prev" ]; then same=$((same + 1)); else same=0; fi
            prev=$cur
            n=$((n + 1))
        done
        echo "$prev"
    }
    adm version
    # libvirtd keeps its servers in a hash table seeded at random: the
    # order of srv-list (and so each Id) changes from run to run
    echo "== srv-list (rows sorted, ids dropped)"
    virt-admin -c "libvirtd:///system?socket=$tmp/$d/libvirt-admin-sock" srv-list \
        > "$tmp/srvlist" 2>&1
    echo "rc=$?"
    head -n 2 "$tmp/srvlist"
    tail -n +3 "$tmp/srvlist" | sed 's/^ [0-9]*  */ N    /' | sort
    adm srv-threadpool-info libvirtd
    adm srv-threadpool-info admin
    adm srv-clients-info libvirtd
    adm srv-clients-info admin
    adm srv-clients-list libvirtd
    adm client-info libvirtd 1
    adm client-info libvirtd 2
    adm srv-threadpool-set libvirtd --min-workers 2 --max-workers 10
    settled_pool libvirtd
    adm srv-threadpool-set libvirtd --max-workers 20
    adm srv-threadpool-set libvirtd --min-workers 5
    settled_pool libvirtd
    adm srv-clients-set libvirtd --max-clients 100 --max-unauth-clients 10
    adm srv-clients-info libvirtd
    adm srv-clients-set libvirtd --max-clients 5000 --max-unauth-clients 20
    # bad input: libvirt's errors, nothing changes
    adm srv-threadpool-info nosuch
    adm srv-threadpool-set nosuch --min-workers 1
    adm srv-threadpool-set libvirtd --min-workers 30
    adm srv-threadpool-set libvirtd --max-workers 0
    adm srv-threadpool-set libvirtd --min-workers 0 --max-workers 0
    settled_pool libvirtd
    adm srv-clients-set libvirtd --max-clients 5
    adm srv-clients-set nosuch --max-clients 5
    adm srv-clients-info libvirtd
    adm srv-clients-info nosuch
    adm srv-clients-list nosuch
    adm client-info libvirtd 99
    adm client-info nosuch 1
    adm client-disconnect libvirtd 99
    adm srv-update-tls libvirtd
    adm srv-update-tls nosuch
    # logging, read and replaced live
    adm daemon-log-filters
    adm daemon-log-outputs
    adm daemon-log-filters "1:util 2:+rpc 3:foo*bar"
    adm daemon-log-filters
    adm daemon-log-filters "x:bad"
    adm daemon-log-filters ""
    adm daemon-log-filters
    adm daemon-log-outputs "4:stderr"
    adm daemon-log-outputs
    adm daemon-log-outputs "9:bad"
    adm daemon-log-outputs "1:nowhere"
    adm daemon-log-outputs "1:file"
    adm daemon-log-outputs ""
    adm daemon-log-outputs
    # a client goes
    adm client-disconnect libvirtd 2
    adm srv-clients-info libvirtd
    adm srv-clients-list libvirtd
    adm daemon-timeout --timeout 0
    adm help
}

normalise() {
    sed -e "s|$tmp/lv|DIR|g; s|$tmp/vn|DIR|g" \
        -e 's/^\(unix_process_id:\).*/\1 PID/' \
        -e 's/^\(connection_time:\).*/\1 TIME/' \
        -e 's/^\( [0-9]*  *[a-z]*  *\)[0-9-]* [0-9:+]*$/\1TIME/'
}

run lv | normalise > "$tmp/libvirtd.txt"
run vn | normalise > "$tmp/virtnetd.txt"

if ! grep -q "^ Id   Name" "$tmp/libvirtd.txt"; then
    cat "$tmp/libvirtd.txt" | head -20
    skip "virt-admin could not talk to the reference libvirtd"
fi
if diff -u "$tmp/libvirtd.txt" "$tmp/virtnetd.txt"; then
    n=$(grep -c '^== ' "$tmp/libvirtd.txt")
    echo "ok   $n virt-admin commands print the same against libvirtd and virtnetd"
    echo "1 passed, 0 failed"
    exit 0
fi
echo "FAIL virt-admin transcripts differ (- libvirtd, + virtnetd)"
echo "0 passed, 1 failed"
exit 1
