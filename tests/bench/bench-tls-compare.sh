#!/bin/sh
# bench-tls-compare.sh [SECONDS] [ROUNDS]: virtnetd and libvirtd 9.0 side by
# side over TLS, in the same run, on the same certificates
# (tests/tls/mkcerts.sh), with plain TCP and UNIX for reference.
#
# libvirtd runs as root in its own mount and network namespaces, as
# tests/tls/differential.py does; its clients run there with nsenter.
# Both daemons: listen_tls + listen_tcp on 127.0.0.1, auth "none",
# tls_allowed_dn_list = ["C=GB,O=Acme,CN=client*"]. Client:
# tests/tls/bench-tls-client.py (/usr/bin/python3 with python3-libvirt).
# Each figure: best of ROUNDS (default 2) x SECONDS (default 3), the daemons
# alternating. Not a test: needs root, libvirtd, certtool, a built virtnetd
# (VIRTNETD=..., default ./daemon/virtnetd).
set -u
SECS=${1:-3}
ROUNDS=${2:-2}
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
VIRTNETD=${VIRTNETD:-./daemon/virtnetd}
case $VIRTNETD in /*) ;; *) VIRTNETD=$(pwd)/$VIRTNETD ;; esac
PY=/usr/bin/python3
CLIENT=$SRCDIR/tests/tls/bench-tls-client.py
for t in libvirtd certtool unshare nsenter ip; do
    command -v $t >/dev/null 2>&1 || { echo "bench-tls-compare: $t not found" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench-tls-compare: must run as root" >&2; exit 1; }
[ -x "$VIRTNETD" ] || { echo "bench-tls-compare: no $VIRTNETD" >&2; exit 1; }
$PY -c 'import libvirt' 2>/dev/null || { echo "bench-tls-compare: no python3-libvirt" >&2; exit 1; }

T=$(mktemp -d /tmp/virtnet-tlsbench-XXXXXX) || exit 1
LVPID=
VNPID=
cleanup() {
    [ -n "$VNPID" ] && kill "$VNPID" 2>/dev/null
    [ -n "$LVPID" ] && kill "$LVPID" 2>/dev/null
    sleep 0.3
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

sh "$SRCDIR/tests/tls/mkcerts.sh" "$T/pki" >/dev/null || exit 1

conf() {  # RUNDIR TLSPORT TCPPORT
    cat <<EOF
unix_sock_dir = "$1"
unix_sock_group = "root"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0770"
auth_unix_rw = "none"
auth_unix_ro = "none"
listen_addr = "127.0.0.1"
listen_tls = 1
tls_port = "$2"
auth_tls = "none"
listen_tcp = 1
tcp_port = "$3"
auth_tcp = "none"
key_file = "$T/pki/server/serverkey.pem"
cert_file = "$T/pki/server/servercert.pem"
ca_file = "$T/pki/server/cacert.pem"
crl_file = "$T/pki/server/crl.pem"
tls_allowed_dn_list = ["C=GB,O=Acme,CN=client*"]
EOF
}

# libvirtd in its own namespaces (ports 16514 / 16509 there)
mkdir -p "$T/lv" "$T/vn/run"
conf "$T/lv" 16514 16509 > "$T/lv/libvirtd.conf"
echo 'log_outputs = "3:file:'"$T"'/lv/libvirtd.log"' >> "$T/lv/libvirtd.conf"
unshare --mount --net --propagation private sh -c '
    ip link set lo up || exit 1
    if [ -d /run/libvirt ]; then
        mount -t tmpfs tmpfs /run/libvirt
    else
        mount -t tmpfs tmpfs /run && mkdir /run/libvirt
    fi
    mount -t tmpfs tmpfs /var/lib/libvirt
    mount -t tmpfs tmpfs /var/cache/libvirt
    exec libvirtd -l -f "$1/libvirtd.conf" -p "$1/libvirtd.pid"' sh "$T/lv" \
    > "$T/lv/out" 2>&1 &
LVPID=$!
NS="nsenter --net=/proc/$LVPID/ns/net"

conf "$T/vn/run" 0 0 > "$T/vn/virtnetd.conf"
"$VIRTNETD" -f "$T/vn/virtnetd.conf" -l > "$T/vn/out" 2> "$T/vn/err" &
VNPID=$!

i=0
until grep -q '^virtnetd: ready' "$T/vn/out" 2>/dev/null &&
      $NS $PY -c 'import socket
for p in (16509, 16514): socket.create_connection(("127.0.0.1", p), 1).close()' 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then
        echo "bench-tls-compare: daemons did not start" >&2
        cat "$T/lv/out" "$T/vn/out" "$T/vn/err" >&2
        exit 1
    fi
    sleep 0.1
done
VTLS=$(sed -n 's/^virtnetd: listening on tls .* port \([0-9]*\).*/\1/p' "$T/vn/out")
VTCP=$(sed -n 's/^virtnetd: listening on tcp .* port \([0-9]*\).*/\1/p' "$T/vn/out")
PKI="$T/pki/good"

# run DAEMON ARGS...: the client's figure, under nsenter for libvirtd
run() {
    if [ "$1" = lv ]; then
        shift
        $NS $PY "$CLIENT" "$@"
    else
        shift
        $PY "$CLIENT" "$@"
    fi
}

# best LABEL LVARGS -- VNARGS: best of ROUNDS for each, alternating
best() {
    label=$1; shift
    lvargs=""; while [ "$1" != -- ]; do lvargs="$lvargs $1"; shift; done; shift
    lb=0; vb=0; r=0
    while [ $r -lt "$ROUNDS" ]; do
        # shellcheck disable=SC2086
        l=$(run lv $lvargs) || l=0
        v=$(run vn "$@") || v=0
        [ "$l" -gt "$lb" ] && lb=$l
        [ "$v" -gt "$vb" ] && vb=$v
        r=$((r + 1))
    done
    ratio=$(awk -v a="$vb" -v b="$lb" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    printf '| %s | %s | %s | %s |\n' "$label" "$lb" "$vb" "$ratio"
}

echo "bench-tls-compare: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(libvirtd --version), ${ROUNDS} x ${SECS} s, best"
echo
echo "| per second | libvirtd | virtnetd | virtnetd/libvirtd |"
echo "|---|---:|---:|---:|"
best "TLS handshakes (connect + handshake + byte + close)" \
    handshake 16514 "$PKI" "$SECS" -- handshake "$VTLS" "$PKI" "$SECS"
best "TLS: open + getLibVersion + close" \
    opens "test+tls://127.0.0.1:16514/default?pkipath=$PKI" "$SECS" -- \
    opens "test+tls://127.0.0.1:$VTLS/default?pkipath=$PKI" "$SECS"
best "TLS: getLibVersion, 1 connection" \
    calls "test+tls://127.0.0.1:16514/default?pkipath=$PKI" "$SECS" -- \
    calls "test+tls://127.0.0.1:$VTLS/default?pkipath=$PKI" "$SECS"
best "TLS: getLibVersion, 4 processes" \
    calls "test+tls://127.0.0.1:16514/default?pkipath=$PKI" "$SECS" 4 -- \
    calls "test+tls://127.0.0.1:$VTLS/default?pkipath=$PKI" "$SECS" 4
best "TCP: open + getLibVersion + close" \
    opens "test+tcp://127.0.0.1:16509/default" "$SECS" -- \
    opens "test+tcp://127.0.0.1:$VTCP/default" "$SECS"
best "TCP: getLibVersion, 1 connection" \
    calls "test+tcp://127.0.0.1:16509/default" "$SECS" -- \
    calls "test+tcp://127.0.0.1:$VTCP/default" "$SECS"
best "UNIX: getLibVersion, 1 connection" \
    calls "test+unix:///default?socket=$T/lv/libvirt-sock" "$SECS" -- \
    calls "test+unix:///default?socket=$T/vn/run/libvirt-sock" "$SECS"
if ! kill -0 "$VNPID" 2>/dev/null; then
    echo "bench-tls-compare: virtnetd died" >&2
    tail -5 "$T/vn/err" >&2
    exit 1
fi
