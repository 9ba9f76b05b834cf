#!/bin/sh
# golibvirt.sh: a small program on Debian's go-libvirt (golibvirt.go, built
# here with the packaged sources, offline) asks virtnetd for statistics,
# vCPUs, the scheduler and snapshots. Every call must answer (the one bad
# disk with libvirt's error); with root, libvirtd and namespaces the
# program's output against a private libvirtd 9.0 must be the same.
. "$(dirname "$0")/../conformance/common.sh"
GOSRC=/usr/share/gocode/src/github.com/digitalocean/go-libvirt
command -v go > /dev/null 2>&1 || skip "go is not installed (golang-go, install-deps.sh --with-peers)"
[ -f "$GOSRC/libvirt.go" ] ||
    skip "go-libvirt is not installed (golang-github-digitalocean-go-libvirt-dev)"

# built once per build tree, again when the program changes
BIN=$CONF_BUILDDIR/tests/peers/golibvirt
if [ ! -x "$BIN" ] || [ "$CONF_HERE/golibvirt.go" -nt "$BIN" ]; then
    mkdir -p "$CONF_BUILDDIR/tests/peers/gocache"
    GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off \
        GOCACHE="$CONF_BUILDDIR/tests/peers/gocache" \
        go build -o "$BIN" "$CONF_HERE/golibvirt.go" || fail "cannot build golibvirt.go"
fi
start_virtnetd
conf_tmpdir OUT
timeout 60 "$BIN" "$VN_DIR/libvirt-sock" > "$OUT/vn.txt" 2>&1 || {
    cat "$OUT/vn.txt"
    fail "golibvirt against virtnetd"
}
virtnetd_alive "after golibvirt"
cat "$OUT/vn.txt"
status=0
npass=0
nfail=0
result() {  # result OK DESCRIPTION
    if [ "$1" = 0 ]; then
        echo "ok - $2"; npass=$((npass + 1))
    else
        echo "not ok - $2"; nfail=$((nfail + 1)); status=1
    fi
}
bad=$(grep ': error' "$OUT/vn.txt" | grep -v '^DomainBlockStats(sdz): error invalid argument: invalid path: sdz$')
[ -z "$bad" ]
result $? "every call answered${bad:+ (errors: $bad)}"
grep -q '^DomainGetSchedulerParameters: \[weight=50\]$' "$OUT/vn.txt"
result $? "scheduler parameters"
grep -q '^DomainListAllSnapshots: \[s1\] count=1$' "$OUT/vn.txt"
result $? "snapshots"

if [ "$(id -u)" = 0 ] && command -v libvirtd > /dev/null 2>&1 &&
    unshare --mount --net --propagation private true 2> /dev/null; then
    conf_tmpdir LV_DIR
    lv_pid=$("$CONF_SRCDIR/tests/remote-trace/start-libvirtd.sh" "$LV_DIR") ||
        fail "libvirtd did not start"
    CONF_PIDS="$CONF_PIDS $lv_pid"
    timeout 60 "$BIN" "$LV_DIR/libvirt-sock" > "$OUT/lv.txt" 2>&1
    diff -u "$OUT/lv.txt" "$OUT/vn.txt"
    result $? "same output as against libvirtd $(libvirtd --version | awk '{print $NF}')"
else
    echo "# no comparison with libvirtd (needs root, libvirtd and namespaces)"
fi
echo "$npass passed, $nfail failed"
exit $status
