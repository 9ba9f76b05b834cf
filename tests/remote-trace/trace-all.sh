#!/bin/sh
# trace-all.sh OUTDIR: the whole trace, as docs/remote-procedures.md reports it.
#
# Starts a private libvirtd (start-libvirtd.sh), then records in OUTDIR:
#   virsh.jsonl / virsh.txt             virsh actions (trace-virsh.sh)
#   python.jsonl / python.txt           libvirt-python actions (trace-python.py)
#   python-legacy.*                     the same with CONNECT_SUPPORTS_FEATURE(14)
#                                       answered 0: the legacy event API
#   refuse-*.jsonl / refuse-*.txt       virsh actions with some procedures
#                                       answered "unknown procedure" / NO_SUPPORT
#   feature-*.jsonl / feature-*.txt     virsh actions with CONNECT_SUPPORTS_FEATURE
#                                       answers changed
#   raw.txt                             libvirtd's answers to odd calls (trace-raw.py),
#                                       also before authentication (a second
#                                       daemon with auth_unix_rw="sasl")
#   client-debug.log                    one virsh with client-side debug logging
#   client-debug-python.log             one python open (event loop registered), same
#   bytecompat.txt                      bytecompat.py over all the logs above (set
#                                       BUILD=dir of a configured build tree to also
#                                       check rpcgen's C filters)
# and stops the daemon. Run as root (the daemon needs its own namespaces).
set -u
out=${1:?usage: trace-all.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
dir="$out/daemon"
pid=$("$here/start-libvirtd.sh" "$dir") || exit 1
trap 'kill $pid 2>/dev/null' EXIT
decode() { python3 "$here/trace-decode.py" "$1.jsonl" > "$1.txt"; }

python3 "$here/trace-raw.py" "$dir/libvirt-sock" > "$out/raw.txt" 2>&1
sasl_pid=$("$here/start-libvirtd.sh" "$out/daemon-sasl" sasl) && {
    echo "--- daemon with auth_unix_rw=sasl" >> "$out/raw.txt"
    python3 "$here/trace-raw.py" "$out/daemon-sasl/libvirt-sock" sasl >> "$out/raw.txt" 2>&1
    kill "$sasl_pid"
}

"$here/trace-virsh.sh" "$dir" "$out/virsh.jsonl"; decode "$out/virsh"

py() {  # py NAME PROXY-OPTIONS...
    name=$1; shift
    : > "$out/$name.jsonl"
    python3 "$here/trace-proxy.py" "$@" "$dir/py-sock" "$dir/libvirt-sock" "$out/$name.jsonl" &
    proxy=$!
    while [ ! -S "$dir/py-sock" ]; do sleep 0.1; done
    timeout 120 /usr/bin/python3 "$here/trace-python.py" \
        "test+unix:///default?socket=$dir/py-sock" "$out/$name.jsonl"
    kill $proxy; wait $proxy 2>/dev/null; rm -f "$dir/py-sock"
    decode "$out/$name"
}
py python
py python-legacy --feature 14=0

# variant NAME "PROXY-OPTIONS" VIRSH-ARGS...: virsh actions through a proxy
# that refuses procedures or changes feature answers. A connection held
# open on the side keeps the test driver's state between the actions.
variant() {
    name=$1 opts=$2; shift 2
    : > "$out/$name.jsonl"
    # shellcheck disable=SC2086
    python3 "$here/trace-proxy.py" $opts \
        "$dir/rf-sock" "$dir/libvirt-sock" "$out/$name.jsonl" &
    proxy=$!
    /usr/bin/python3 -c 'import libvirt, sys, time
c = libvirt.open(sys.argv[1]); print("held", flush=True); time.sleep(100000)' \
        "test+unix:///default?socket=$dir/libvirt-sock" > "$dir/rf-holder.out" &
    holder=$!
    while [ ! -S "$dir/rf-sock" ] || ! grep -q held "$dir/rf-holder.out"; do
        sleep 0.1
    done
    for cmd in "$@"; do
        echo "### virsh $cmd ($opts)" >> "$out/$name.jsonl"
        # shellcheck disable=SC2086
        timeout 60 virsh -q -c "test+unix:///default?socket=$dir/rf-sock" $cmd \
            > "$dir/rf.out" 2>&1
        rc=$?
        sed 's/^/### | /' "$dir/rf.out" | head -n 6 >> "$out/$name.jsonl"
        echo "### rc=$rc" >> "$out/$name.jsonl"
    done
    kill $proxy $holder; wait $proxy $holder 2>/dev/null; rm -f "$dir/rf-sock"
    decode "$out/$name"
}
xml="$dir/vt1.xml"
for style in rpc nosupport; do
    r="--refuse-style $style --refuse"
    variant refuse-close-callback-$style "$r 360" "list --all"
    variant refuse-supports-feature-$style "$r 60" "list --all" "event --all --timeout 1"
    variant refuse-list-$style "$r 273,212" "define $xml" "list --all" "domstate test" \
        "undefine vt1"
    variant refuse-dominfo-$style "$r 122,121,426,183,151,15,19" "dominfo test"
    variant refuse-undefine-$style "$r 183,187,231" "define $xml" "undefine vt1" "list --all"
    variant refuse-define-$style "$r 11" "define $xml"
    variant refuse-start-$style "$r 9" "define $xml" "start vt1" "undefine vt1"
    variant refuse-events-$style "$r 316" "event --all --timeout 1"
done
variant feature-no-close-callback "--feature 15=0" "list --all"
variant feature-legacy-events "--feature 14=0" "event --all --timeout 1" \
    "event --event lifecycle --timeout 1" "define $xml" \
    "event --event lifecycle --domain vt1 --timeout 1" "undefine vt1"

LIBVIRT_DEBUG=1 LIBVIRT_LOG_FILTERS="1:rpc 1:remote" LIBVIRT_LOG_OUTPUTS="1:stderr" \
    virsh -c "test+unix:///default?socket=$dir/libvirt-sock" list --all \
    > /dev/null 2> "$out/client-debug.log"
LIBVIRT_DEBUG=1 LIBVIRT_LOG_FILTERS="1:rpc 1:remote" LIBVIRT_LOG_OUTPUTS="1:stderr" \
    /usr/bin/python3 -c 'import libvirt, sys
libvirt.virEventRegisterDefaultImpl()
libvirt.open(sys.argv[1]).close()' "test+unix:///default?socket=$dir/libvirt-sock" \
    2> "$out/client-debug-python.log"

# the layouts of protocol/remote_protocol.x against every captured payload
# (and through rpcgen's C filters when BUILD names a configured build tree)
python3 "$here/bytecompat.py" ${BUILD:+--build "$BUILD"} "$out"/*.jsonl \
    > "$out/bytecompat.txt" 2>&1
tail -n 1 "$out/bytecompat.txt"
