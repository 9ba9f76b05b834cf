#!/bin/sh
# test-daemon-tls.sh: stock virsh against virtnetd over TLS.
#
# virtnetd runs with listen_tls=1 on 127.0.0.1 (tls_port "0": the port is
# read from its start-up line), certificates from tests/tls/mkcerts.sh and
# tls_allowed_dn_list = ["C=GB,O=Acme,CN=client*"]. virsh connects with
#   test+tls://127.0.0.1:PORT/default?pkipath=DIR
# Cases: the good client lists domains (by address and by name); the
# others fail: other CA and expired are refused by virsh's own sanity
# check, and with no_sanity=1 by the daemon after the handshake, like a DN
# not on the list and a revoked certificate (the daemon logs each refusal
# with the peer's address). SIGHUP with a server certificate for another
# host: a virsh connected before keeps working, new ones refuse the
# server; SIGHUP back: new ones get in again.
#
# Exit 0 pass, 1 fail, 77 skip (no virsh, no certtool, daemon not built).
# VIRTNET_TEST_KEEP=1 keeps the temporary directory.

set -u

SRCDIR=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILDDIR=${VIRTNET_TEST_BUILDDIR:-.}
VIRTNETD=${VIRTNETD:-$BUILDDIR/daemon/virtnetd}
case $VIRTNETD in /*) ;; *) VIRTNETD=$(pwd)/$VIRTNETD ;; esac
if [ ! -x "$VIRTNETD" ]; then
    echo "skip: $VIRTNETD not built"
    exit 77
fi
if ! command -v virsh >/dev/null 2>&1; then
    echo "skip: virsh not installed (libvirt-clients)"
    exit 77
fi
if ! command -v certtool >/dev/null 2>&1; then
    echo "skip: certtool not installed (gnutls-bin)"
    exit 77
fi

T=$(mktemp -d /tmp/virtnetd-tls-XXXXXX) || exit 1
DPID=
BGPID=
cleanup() {
    [ -n "$BGPID" ] && kill "$BGPID" 2>/dev/null
    [ -n "$DPID" ] && kill -KILL "$DPID" 2>/dev/null
    if [ -n "${VIRTNET_TEST_KEEP:-}" ]; then
        echo "kept $T"
    else
        rm -rf "$T"
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

passes=0
fails=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
fail() {
    echo "FAIL $1"
    shift
    for l in "$@"; do
        echo "     $l"
    done
    fails=$((fails + 1))
}

if ! sh "$SRCDIR/tests/tls/mkcerts.sh" "$T/pki" >/dev/null; then
    echo "FAIL mkcerts.sh"
    exit 1
fi

# config CERTDIR: the daemon's configuration with that server directory.
config() {
    cat > "$T/virtnetd.conf" <<EOF
unix_sock_dir = "$T/run"
listen_tls = 1
tls_port = "0"
listen_addr = "127.0.0.1"
key_file = "$T/pki/$1/serverkey.pem"
cert_file = "$T/pki/$1/servercert.pem"
ca_file = "$T/pki/$1/cacert.pem"
crl_file = "$T/pki/$1/crl.pem"
tls_allowed_dn_list = ["C=GB,O=Acme,CN=client*"]
EOF
}
config server
mkdir -p "$T/run"
"$VIRTNETD" -f "$T/virtnetd.conf" -l > "$T/out" 2> "$T/err" &
DPID=$!
i=0
while ! grep -q '^virtnetd: ready' "$T/out" 2>/dev/null; do
    if ! kill -0 "$DPID" 2>/dev/null || [ $i -ge 100 ]; then
        echo "FAIL virtnetd did not start"
        sed 's/^/  | /' "$T/out" "$T/err"
        exit 1
    fi
    sleep 0.1
    i=$((i + 1))
done
PORT=$(sed -n 's/^virtnetd: listening on tls .* port \([0-9]*\).*/\1/p' "$T/out")
if [ -z "$PORT" ]; then
    echo "FAIL no TLS port in the start-up lines"
    sed 's/^/  | /' "$T/out" "$T/err"
    exit 1
fi

# vsh NAME WHO [HOST] [EXTRA]: virsh list with pkipath=$T/pki/WHO; output in $T/NAME.
vsh() {
    timeout 30 virsh -q -c "test+tls://${3:-127.0.0.1}:$PORT/default?pkipath=$T/pki/$2${4:-}" \
        list --name > "$T/$1" 2>&1
}

if vsh good good && grep -qx test "$T/good"; then
    ok "good client lists domains"
else
    fail "good client lists domains" "$(cat "$T/good")"
fi
if vsh goodname good localhost && grep -qx test "$T/goodname"; then
    ok "good client, server by name (localhost)"
else
    fail "good client, server by name (localhost)" "$(cat "$T/goodname")"
fi

for who in untrusted expired; do
    if vsh "$who" "$who"; then
        fail "$who: refused by virsh's own check" "$(cat "$T/$who")"
    else
        ok "$who: refused by virsh's own check"
    fi
done

# Refused by the daemon after the handshake: no confirmation byte.
for who in untrusted expired baddn revoked; do
    before=$(grep -c "certificate refused" "$T/err")
    if vsh "$who-srv" "$who" 127.0.0.1 "&no_sanity=1"; then
        fail "$who: refused by virtnetd" "virsh succeeded: $(cat "$T/$who-srv")"
    elif ! grep -q "confirmation" "$T/$who-srv"; then
        fail "$who: refused by virtnetd" "not refused after the handshake: $(cat "$T/$who-srv")"
    elif [ "$(grep -c "certificate refused" "$T/err")" -le "$before" ] ||
         ! tail -1 "$T/err" | grep -q "127.0.0.1;"; then
        fail "$who: refused by virtnetd" "no log line naming the peer: $(tail -2 "$T/err")"
    else
        ok "$who: refused by virtnetd after the handshake (logged)"
    fi
done

# SIGHUP: new certificates for new connections; connected clients stay.
(echo "list --name"; sleep 3; echo "list --name") |
    timeout 30 virsh -q -c "test+tls://127.0.0.1:$PORT/default?pkipath=$T/pki/good" \
    > "$T/longlived" 2>&1 &
BGPID=$!
sleep 1
config server-wrong
kill -HUP "$DPID"
sleep 0.5
if vsh wrong good; then
    fail "after SIGHUP: server certificate for another host refused by virsh" \
        "$(cat "$T/wrong")"
elif ! grep -qi "hostname\|host name" "$T/wrong"; then
    fail "after SIGHUP: server certificate for another host refused by virsh" \
        "other error: $(cat "$T/wrong")"
else
    ok "after SIGHUP: server certificate for another host refused by virsh"
fi
wait "$BGPID"
rc=$?
BGPID=
if [ $rc -eq 0 ] && [ "$(grep -c '^test$' "$T/longlived")" -eq 2 ]; then
    ok "after SIGHUP: a client connected before keeps working"
else
    fail "after SIGHUP: a client connected before keeps working" "$(cat "$T/longlived")"
fi
config server
kill -HUP "$DPID"
sleep 0.5
if vsh back good && grep -qx test "$T/back"; then
    ok "SIGHUP back: good client gets in again"
else
    fail "SIGHUP back: good client gets in again" "$(cat "$T/back")"
fi
if kill -0 "$DPID" 2>/dev/null; then
    ok "virtnetd still running"
else
    fail "virtnetd still running" "$(tail -5 "$T/err")"
fi

kill -TERM "$DPID"
wait "$DPID" 2>/dev/null
DPID=
echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
