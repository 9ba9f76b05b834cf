#!/bin/sh
# count-calls.sh: instructions and heap allocations per call that virtnetd
# spends on one workload of tools/virtnet-bench, counted by callgrind. The
# counts do not depend on the machine's load, unlike calls/s: use them to
# compare two builds of the daemon.
#
#   BUILD=/path/to/build [CALLS=N] [NDOMS=N] [WORKLOAD=stats]
#       [OUT=DIR] tests/bench/count-calls.sh
#
# virtnetd runs under valgrind --tool=callgrind on a private UNIX socket;
# for the stats workload tests/bench/hold-domains.py first defines and
# starts NDOMS (100) domains. The counters are zeroed once the daemon is
# ready (callgrind_control -z), CALLS (1000) calls are made on one
# connection, one in flight, and the counters are dumped: everything the
# daemon ran in between (every thread: event loop, workers) divided by
# CALLS. Allocations are the calls to malloc, calloc and realloc, frees the
# calls to free. OUT (BUILD/bench-out) keeps callgrind.out.counted for
# callgrind_annotate. Only the processes started here are stopped, by pid.
set -u

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(pwd)}
BUILD=$(cd "$BUILD" && pwd)
CALLS=${CALLS:-1000}
NDOMS=${NDOMS:-100}
WORKLOAD=${WORKLOAD:-stats}
OUT=${OUT:-$BUILD/bench-out}
BENCH=$BUILD/tools/virtnet-bench
VIRTNETD=$BUILD/daemon/virtnetd

for t in valgrind callgrind_control; do
    command -v $t >/dev/null 2>&1 || { echo "count-calls: $t is missing (apt-get install valgrind)" >&2; exit 77; }
done
for f in "$BENCH" "$VIRTNETD"; do
    [ -x "$f" ] || { echo "count-calls: $f is missing; build it first" >&2; exit 1; }
done

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
work=$(mktemp -d /tmp/virtnet-count.XXXXXX)
vpid=""; hpid=""
cleanup() {
    for p in $hpid $vpid; do
        kill "$p" 2>/dev/null
    done
    for p in $hpid $vpid; do
        i=0
        while kill -0 "$p" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$p" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

cat > "$work/virtnetd.conf" <<CONF
unix_sock_dir = "$work"
CONF
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
    "$VIRTNETD" -f "$work/virtnetd.conf" > "$work/virtnetd.log" 2>&1 &
vpid=$!
i=0
while [ ! -S "$work/libvirt-sock" ] && [ $i -lt 600 ]; do
    kill -0 "$vpid" 2>/dev/null || { cat "$work/virtnetd.log" >&2; exit 1; }
    sleep 0.1; i=$((i + 1))
done
[ -S "$work/libvirt-sock" ] || { echo "count-calls: virtnetd did not start" >&2; exit 1; }

if [ "$WORKLOAD" = stats ]; then
    /usr/bin/python3 "$here/hold-domains.py" "$work/libvirt-sock" "$NDOMS" > "$work/hold.out" 2>&1 &
    hpid=$!
    i=0
    until grep -q '^ready' "$work/hold.out" 2>/dev/null; do
        [ $i -lt 1200 ] && kill -0 "$hpid" 2>/dev/null || { cat "$work/hold.out" >&2; exit 1; }
        sleep 0.1; i=$((i + 1))
    done
fi

# a short run first, so that one-time costs (the connection's setup, the
# workers' first allocations) stay out of the count
"$BENCH" --socket "$work/libvirt-sock" --workload "$WORKLOAD" --connections 1 --inflight 1 \
    --calls 20 > "$work/warm.out" 2>&1 || { cat "$work/warm.out" >&2; exit 1; }
callgrind_control -z "$vpid" > /dev/null 2>&1 || exit 1
"$BENCH" --socket "$work/libvirt-sock" --workload "$WORKLOAD" --connections 1 --inflight 1 \
    --calls "$CALLS" > "$work/run.out" 2>&1 || { cat "$work/run.out" >&2; exit 1; }
rm -f "$work"/callgrind.out.*
callgrind_control -d "$vpid" > /dev/null 2>&1 || exit 1
i=0
while ! ls "$work"/callgrind.out.* > /dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
dump=$(ls "$work"/callgrind.out.* | head -1)
cp "$dump" "$OUT/callgrind.out.counted"

# Sum the instructions (the totals line) and the calls to the allocator's
# entry points (calls= lines below a cfn= naming them; callgrind names a
# function once in full, then by its number).
awk -v calls="$CALLS" -v label="$WORKLOAD" '
function fname(s,   id) {
    if (match(s, /^\([0-9]+\)/)) {
        id = substr(s, RSTART, RLENGTH)
        s = substr(s, RLENGTH + 1)
        sub(/^ /, "", s)
        if (s != "")
            names[id] = s
        else
            s = names[id]
    }
    return s
}
/^totals:/ || /^summary:/ { total = $2 }
/^c?fn=/ {
    eq = index($0, "=")
    n = fname(substr($0, eq + 1))
    if ($0 ~ /^cfn=/) callee = n
    next
}
/^calls=/ {
    split(substr($0, 7), c, " ")
    if (callee == "malloc" || callee == "calloc" || callee == "realloc")
        allocs += c[1]
    else if (callee == "free")
        frees += c[1]
}
END {
    printf "%s: %d calls: %.0f instructions per call, %.1f allocations and %.1f frees per call\n",
           label, calls, total / calls, allocs / calls, frees / calls
}' "$dump"
