#!/bin/sh
# run-bench.sh: virtnetd and libvirtd 9.0 side by side, with tools/virtnet-bench.
#
#   make bench-compare [SHORT=1] [PERF=1]            (from the build directory)
#   BUILD=/path/to/build [SHORT=1] [PERF=1] [REPEAT=N] [IDLE=N] [SUBS=N]
#       [OUT=DIR] [REPORT_ONLY=1] [ONLY=stats] [STATS_DECODE=all|changed]
#       tests/bench/run-bench.sh
#
# Both daemons serve test:///default on UNIX sockets in a private temporary
# directory; nothing else is contacted. libvirtd runs as root in its own mount
# and network namespaces (tmpfs over its state directories), like
# tests/remote-trace/start-libvirtd.sh; without root, libvirtd or unshare only
# virtnetd is measured. Both run with default settings except max_clients,
# raised to 20000 so that the idle workload can hold 10,000 connections
# (the default, 5000 in both, would stop accepting halfway).
#
# Every point runs against virtnetd and then at once against libvirtd, REPEAT
# times (3; SHORT=1: fewer points, 1 run), so both see the same machine; the
# table shows the median run. The 1-connection round trip is also measured
# pinned (taskset), next to the raw ping-pong floor with the same placement.
# Results in OUT (BUILD/bench-out): results.csv (every run), median.csv,
# table.txt (table and targets), bench.png (gnuplot). PERF=1 also records a
# perf profile of virtnetd during a 256-connection null run
# (perf-virtnetd.txt). REPORT_ONLY=1 prints the table, the targets and the
# plot again from an existing OUT/results.csv. ONLY=stats runs the stats
# workload alone (its table rows and target); STATS_DECODE is its
# virtnet-bench --decode (default changed: see virtnet-bench(1)). A benchmark, not a test: the
# exit status is 0 unless a daemon could not be started; errors show in the
# table. Only the processes started here are stopped, by pid.
set -u

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(pwd)}
BUILD=$(cd "$BUILD" && pwd)
SHORT=${SHORT:-0}
PERF=${PERF:-0}
REPORT_ONLY=${REPORT_ONLY:-0}
ONLY=${ONLY:-}
case $ONLY in ""|stats) ;; *) echo "run-bench: ONLY=$ONLY: only ONLY=stats is known" >&2; exit 1 ;; esac
OUT=${OUT:-$BUILD/bench-out}
BENCH=$BUILD/tools/virtnet-bench
VIRTNETD=$BUILD/daemon/virtnetd

[ "$REPORT_ONLY" = 1 ] ||
for f in "$BENCH" "$VIRTNETD"; do
    [ -x "$f" ] || { echo "run-bench: $f is missing; build it first (make tools/virtnet-bench daemon/virtnetd)" >&2; exit 1; }
done

if [ "$SHORT" = 1 ]; then
    DUR=1; WARM=0.3; CONNS="1 16 256"; LONG=2; REPEAT=${REPEAT:-1}
else
    DUR=2; WARM=0.5; CONNS="1 4 16 64 256 1024"; LONG=5; REPEAT=${REPEAT:-3}
fi
IDLE=${IDLE:-10000}
SUBS=${SUBS:-1000}

# 10,000 idle connections: the daemons and the client need the fds.
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] && hard=1048576
ulimit -n "$hard" 2>/dev/null
if [ "$hard" -lt $((IDLE + 200)) ]; then
    echo "run-bench: the fd limit ($hard) is too low for $IDLE idle connections; using $((hard - 200))" >&2
    IDLE=$((hard - 200))
fi

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
work=$(mktemp -d /tmp/virtnet-bench.XXXXXX)
CSV=$OUT/results.csv
[ "$REPORT_ONLY" = 1 ] || rm -f "$CSV" "$OUT"/median.csv "$OUT"/table.txt "$OUT"/*.dat "$OUT"/bench.png "$OUT"/perf-virtnetd.txt

vpid=""; lpid=""; lwrap=""; holders=""
cleanup() {
    # only the processes started here, by pid
    for p in $holders $vpid $lpid $lwrap; do
        kill "$p" 2>/dev/null
    done
    for p in $holders $vpid $lpid $lwrap; do
        i=0
        while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$p" 2>/dev/null
    done
    vpid=""; lpid=""; lwrap=""; holders=""
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

wait_sock() {   # wait_sock SOCKET PID LOG
    i=0
    while [ ! -S "$1" ] && [ $i -lt 150 ]; do
        kill -0 "$2" 2>/dev/null || { cat "$3" >&2; return 1; }
        sleep 0.1; i=$((i + 1))
    done
    [ -S "$1" ]
}

if [ "$REPORT_ONLY" = 1 ]; then
    # only the report (table, targets, plot) from OUT/results.csv
    [ -s "$CSV" ] || { echo "run-bench: no $CSV to report on" >&2; exit 1; }
    LSOCK=""
    grep -q '^libvirtd,' "$CSV" && LSOCK=yes
    REPEAT=$(awk -F, '$1 == "virtnetd" && $2 == "null" && $3 == 1 && $4 == 1' "$CSV" | wc -l)
else
# ---- virtnetd
mkdir -p "$work/vt"
cat > "$work/vt/virtnetd.conf" <<CONF
unix_sock_dir = "$work/vt"
max_clients = 20000
CONF
"$VIRTNETD" -f "$work/vt/virtnetd.conf" > "$work/vt/virtnetd.log" 2>&1 &
vpid=$!
wait_sock "$work/vt/libvirt-sock" "$vpid" "$work/vt/virtnetd.log" || { echo "run-bench: virtnetd did not start" >&2; exit 1; }
VSOCK=$work/vt/libvirt-sock

# ---- libvirtd
LSOCK=""
if [ "$(id -u)" -ne 0 ]; then
    echo "run-bench: not root: libvirtd is skipped (it needs its own mount namespace); virtnetd only"
elif ! command -v libvirtd >/dev/null 2>&1; then
    echo "run-bench: libvirtd not installed (build-aux/install-deps.sh --with-peers): virtnetd only"
elif ! command -v unshare >/dev/null 2>&1; then
    echo "run-bench: unshare missing: libvirtd is skipped; virtnetd only"
else
    mkdir -p "$work/lv"
    cat > "$work/lv/libvirtd.conf" <<CONF
unix_sock_dir = "$work/lv"
unix_sock_group = "root"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0770"
auth_unix_rw = "none"
auth_unix_ro = "none"
listen_tls = 0
listen_tcp = 0
max_clients = 20000
log_outputs = "3:file:$work/lv/libvirtd.log"
CONF
    unshare --mount --net --propagation private sh -c '
        if [ -d /run/libvirt ]; then
            mount -t tmpfs tmpfs /run/libvirt
        else
            mount -t tmpfs tmpfs /run && mkdir /run/libvirt
        fi
        mount -t tmpfs tmpfs /var/lib/libvirt
        mount -t tmpfs tmpfs /var/cache/libvirt
        exec libvirtd -f "$1/libvirtd.conf" -p "$1/libvirtd.pid"' sh "$work/lv" \
        > "$work/lv/libvirtd.out" 2>&1 &
    lwrap=$!
    if wait_sock "$work/lv/libvirt-sock" "$lwrap" "$work/lv/libvirtd.out"; then
        i=0
        while [ ! -s "$work/lv/libvirtd.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        lpid=$(cat "$work/lv/libvirtd.pid" 2>/dev/null)
        [ "$lpid" = "$lwrap" ] && lwrap=""
        LSOCK=$work/lv/libvirt-sock
    else
        echo "run-bench: libvirtd did not start: virtnetd only" >&2
    fi
fi

echo "run-bench: virtnetd pid $vpid${lpid:+, libvirtd pid $lpid}; $(nproc) cores; results in $OUT"
echo "run-bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# run LABEL SOCK PID ARGS...: one virtnet-bench run, row appended to the CSV
run() {
    label=$1; sock=$2; pid=$3; shift 3
    timeout -k 5 600 "$BENCH" --socket "$sock" --daemon-pid "$pid" --label "$label" \
        --csv "$CSV" "$@" > "$work/run.out" 2>&1
    rc=$?
    printf '    %-9s' "$label"
    grep -E '^  (calls|events|fan-out|idle conns) ' "$work/run.out" | sed 's/^  *//' | \
        tr '\n' ';' | sed 's/;$//; s/;/; /g'
    echo
    case $rc in
    0) ;;
    3) grep -E '^virtnet-bench: ' "$work/run.out" | grep -v ' in flight, ' | head -3 | sed 's/^/      /' ;;
    *) echo "      (virtnet-bench exited with status $rc)" ;;
    esac
}

# both ARGS...: the same run on virtnetd, then on libvirtd, REPEAT times
# (alternating, so that both see the same machine); the table takes the
# median run of each.
both() {
    echo "  $*"
    r=0
    while [ $r -lt "$REPEAT" ]; do
        run virtnetd "$VSOCK" "$vpid" "$@"
        [ -n "$LSOCK" ] && run libvirtd "$LSOCK" "$lpid" "$@"
        r=$((r + 1))
    done
}

# once ARGS...: long runs (events, idle) are not repeated
once() {
    REPEAT_SAVED=$REPEAT; REPEAT=1
    both "$@"
    REPEAT=$REPEAT_SAVED
}

start=$(date +%s)

if [ "$ONLY" != stats ]; then
# ---- the floor: raw UNIX ping-pong through the same client engine
echo "pingpong (the floor: an echo thread over a UNIX socketpair)"
r=0
while [ $r -lt "$REPEAT" ]; do
    timeout 60 "$BENCH" --workload pingpong --connections 1 --inflight 1 --duration "$DUR" \
        --warmup "$WARM" --label floor --csv "$CSV" | grep -E 'calls |latency' | sed 's/^/  /'
    r=$((r + 1))
done
if [ -x "$BUILD/tests/bench/bench-rpc" ]; then
    "$BUILD/tests/bench/bench-rpc" --calls 20000 --seconds 1 --threads 1 2>/dev/null | \
        grep -E 'raw UNIX' | sed 's/^/  bench-rpc (blocking read\/write): /'
fi

# ---- one connection, one call in flight, pinned. On a VM a wake-up across
# vCPUs costs tens of microseconds (the idle vCPU is halted), on the same
# vCPU a few: unpinned 1x1 runs flip between the two. So the round-trip
# target is judged with the same placement for the floor and the daemon:
# "same" = client and daemon (or echo thread) on CPU 0, "cross" = the
# daemon on CPU 1. The daemon's affinity is restored afterwards.
ncpu=$(nproc)
if [ "$ncpu" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
    for place in same cross; do
        dcpu=0; [ $place = cross ] && dcpu=1
        echo "  pinned 1x1, $place CPU (client on CPU 0, server on CPU $dcpu)"
        r=0
        while [ $r -lt "$REPEAT" ]; do
            printf '    %-16s' "floor-$place"
            taskset -c 0 "$BENCH" --workload pingpong --echo-cpu $dcpu --duration "$DUR" \
                --warmup "$WARM" --label floor-$place --csv "$CSV" | grep -E '^  calls ' | sed 's/^  *//'
            for d in virtnetd libvirtd; do
                if [ $d = virtnetd ]; then pid=$vpid; sock=$VSOCK; else pid=$lpid; sock=$LSOCK; fi
                [ -n "$sock" ] || continue
                taskset -a -p -c $dcpu "$pid" > /dev/null
                printf '    %-16s' "$d-$place"
                taskset -c 0 "$BENCH" --socket "$sock" --daemon-pid "$pid" --workload null \
                    --connections 1 --inflight 1 --duration "$DUR" --warmup "$WARM" \
                    --label $d-$place --csv "$CSV" | grep -E '^  calls ' | sed 's/^  *//'
                taskset -a -p -c 0-$((ncpu - 1)) "$pid" > /dev/null
            done
            r=$((r + 1))
        done
    done
fi

for w in null lookup-info; do
    for k in 1 4; do
        for n in $CONNS; do
            both --workload $w --connections $n --inflight $k --duration "$DUR" --warmup "$WARM"
        done
    done
done
for w in list define-undefine; do
    both --workload $w --connections 1 --inflight 1 --duration "$DUR" --warmup "$WARM"
    both --workload $w --connections 16 --inflight 4 --duration "$DUR" --warmup "$WARM"
done
once --workload events --connections "$SUBS" --duration "$LONG" --warmup "$WARM"
once --workload idle --connections "$IDLE" --duration "$LONG" --warmup "$WARM"
fi   # ONLY

# ---- statistics: getAllDomainStats over NDOMS running domains, every group
# the test driver fills. A held connection keeps the domains (libvirtd's
# test driver drops its state with its last connection).
NDOMS=${NDOMS:-100}
hold() {    # hold SOCK NAME: define NDOMS domains, keep them
    /usr/bin/python3 "$here/hold-domains.py" "$1" "$NDOMS" > "$work/hold-$2.out" 2>&1 &
    holders="$holders $!"
    i=0
    until grep -q '^ready' "$work/hold-$2.out" 2>/dev/null; do
        [ $i -lt 300 ] || { cat "$work/hold-$2.out" >&2; return 1; }
        sleep 0.1; i=$((i + 1))
    done
}
if /usr/bin/python3 -c 'import libvirt' 2>/dev/null &&
    hold "$VSOCK" vt && { [ -z "$LSOCK" ] || hold "$LSOCK" lv; }; then
    echo "stats: $NDOMS domains each ($(cat "$work/hold-vt.out"))"
    for n in 16 256; do
        both --workload stats --decode "${STATS_DECODE:-changed}" --connections $n --inflight 1 \
            --duration "$DUR" --warmup "$WARM"
    done
else
    echo "stats: skipped (python3-libvirt is needed to define the domains)"
fi

if [ "$PERF" = 1 ]; then
    if command -v perf >/dev/null 2>&1; then
        echo "perf: virtnetd during null, 256 connections x 1 in flight"
        "$BENCH" --socket "$VSOCK" --workload null --connections 256 --inflight 1 \
            --duration 6 --warmup 0.5 > "$work/perf-run.out" 2>&1 &
        bpid=$!
        sleep 1.5
        perf record -q -g -p "$vpid" -o "$OUT/perf.data" -- sleep 4 > /dev/null 2>&1
        wait $bpid
        grep -E 'calls |latency' "$work/perf-run.out" | sed 's/^/  /'
        perf report -i "$OUT/perf.data" --stdio --no-children --sort symbol \
            --percent-limit 0.7 -g none 2>/dev/null | grep -v '^$' > "$OUT/perf-virtnetd.txt"
        perf report -i "$OUT/perf.data" --stdio --children --sort symbol \
            --percent-limit 3 -g none 2>/dev/null | grep -v '^$' > "$OUT/perf-virtnetd-children.txt"
        grep '%' "$OUT/perf-virtnetd.txt" | head -25 | sed 's/^/  /'
    else
        echo "perf: not installed (linux-perf); no profile"
    fi
fi

echo "run-bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(($(date +%s) - start)) s"
fi   # REPORT_ONLY

# ---- the median run of each point (by calls/s; events by events/s), with
# the errors of all its runs
awk -F, '
NR == 1 { print; next }
{
    key = $1 "," $2 "," $3 "," $4
    if (!(key in cnt)) { order[++n] = key; cnt[key] = 0 }
    i = ++cnt[key]; row[key, i] = $0; val[key, i] = ($2 == "events") ? $18 : $7
    e[key] += $11; l[key] += $12; f[key] += $13
}
END {
    for (j = 1; j <= n; j++) {
        k = order[j]; m = cnt[k]
        for (a = 1; a <= m; a++) idx[a] = a
        for (a = 2; a <= m; a++)
            for (b = a; b > 1 && val[k, idx[b]] < val[k, idx[b - 1]]; b--) {
                t = idx[b]; idx[b] = idx[b - 1]; idx[b - 1] = t
            }
        # errors, lost calls and failed connections: the sums over all runs
        nf = split(row[k, idx[int((m + 1) / 2)]], fld, ",")
        fld[11] = e[k]; fld[12] = l[k]; fld[13] = f[k]
        out = fld[1]
        for (a = 2; a <= nf; a++) out = out "," fld[a]
        print out
    }
}' "$CSV" > "$OUT/median.csv"

# ---- the table
awk -F, -v lv="${LSOCK:+1}" '
function ratio(a, b) { return (b > 0 && a >= 0) ? sprintf("%.1fx", a / b) : "-" }
function fmt(v) { return v == "" ? "-" : v }
NR == 1 { next }
$1 == "floor" { floor_rate = $7; floor_p50 = $8; next }
$1 ~ /-(same|cross)$/ { pin[$1] = $7; next }
{
    key = $2 "," $3 "," $4
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    rate[$1, key] = ($2 == "events") ? $18 : $7
    p99[$1, key] = $9
    err[$1, key] = $11 "/" $12
    cpu[$1, key] = ($14 >= 0 && $5 > 0) ? sprintf("%.0f", 100 * $14 / $5) : "-"
    rssc[$1, key] = $17
}
END {
    printf "%-16s %6s %3s | %10s %10s %7s | %10s %10s %7s | %s\n", "workload", "conns", "K",
        "calls/s vt", "calls/s lv", "vt/lv", "p99us vt", "p99us lv", "lv/vt", "cpu% vt lv | err/lost vt lv"
    for (i = 1; i <= n; i++) {
        k = order[i]; split(k, f, ",")
        vr = rate["virtnetd", k]; lr = lv ? rate["libvirtd", k] : ""
        vp = p99["virtnetd", k]; lp = lv ? p99["libvirtd", k] : ""
        printf "%-16s %6s %3s | %10.0f %10s %7s | %10.1f %10s %7s | %4s %4s | %s %s%s\n", f[1], f[2], f[3],
            vr, (lr == "" ? "-" : sprintf("%.0f", lr)), (lr == "" ? "-" : ratio(vr, lr)),
            vp, (lp == "" ? "-" : sprintf("%.1f", lp)), (lp == "" ? "-" : ratio(lp, vp)),
            cpu["virtnetd", k], (lv ? cpu["libvirtd", k] : "-"),
            err["virtnetd", k], (lv ? err["libvirtd", k] : "-"),
            (f[1] == "idle" ? sprintf("   rss/idle conn: vt %s B, lv %s", rssc["virtnetd", k], (lv ? rssc["libvirtd", k] " B" : "-")) : "")
    }
    printf "events: calls/s = events/s raised and delivered to every subscriber; p99 = reply -> last subscriber\n"
    printf "idle: calls/s and p99 of the 4 busy connections beside the idle ones\n"
    printf "cpu%%: the daemon'"'"'s CPU time in %% of one core; a low figure with low calls/s means other\n"
    printf "      processes had the cores (the run was starved), not that the daemon was slow\n"
    if (floor_rate > 0)
        printf "floor: raw UNIX ping-pong, same client engine: %.0f round trips/s, mean %.1f us, p50 %.1f us\n",
            floor_rate, 1e6 / floor_rate, floor_p50
    for (pi = 1; pi <= 2; pi++) {
        pl = (pi == 1) ? "same" : "cross"
        if (!(("floor-" pl) in pin)) continue
        printf "pinned 1x1 null, %-5s CPU: floor %.1f us, virtnetd %.1f us (%.2fx), libvirtd %s (mean round trips)\n",
            pl, 1e6 / pin["floor-" pl], 1e6 / pin["virtnetd-" pl], pin["floor-" pl] / pin["virtnetd-" pl],
            (("libvirtd-" pl) in pin) ? sprintf("%.1f us (%.2fx)", 1e6 / pin["libvirtd-" pl], pin["floor-" pl] / pin["libvirtd-" pl]) : "-"
    }
    printf "median of %s run(s) per point\n", reps
}' reps="$REPEAT" "$OUT/median.csv" | tee "$OUT/table.txt"

# ---- the targets (docs/performance.md)
awk -F, -v lv="${LSOCK:+1}" '
NR == 1 { next }
$1 == "floor" { floor = $7; floorp50 = $8; next }
$1 ~ /-(same|cross)$/ { pin[$1] = $7; next }
$1 == "virtnetd" && $2 == "null" && $3 == 1 && $4 == 1 { nullp50 = $8 }
{ k = $2 "," $3 "," $4; rate[$1, k] = $7; p99[$1, k] = $9; err[$1] += $11 + $12 + $13
  if ($2 == "events") { evp99[$1] = $9; evmax[$1] = $10; evn = $3 }
  if ($2 == "idle") { idlerss[$1] = $17; idlep99[$1] = $9 } }
function verdict(ok) { return ok ? "met" : "MISSED" }
END {
    print "targets:"
    npin = 0
    for (pi = 1; pi <= 2; pi++) {
        pl = (pi == 1) ? "same" : "cross"
        if (!((("floor-" pl) in pin) && (("virtnetd-" pl) in pin) && pin["virtnetd-" pl] > 0)) continue
        r = pin["floor-" pl] / pin["virtnetd-" pl]; npin++
        printf "  null 1x1 round trip <= 1.5x raw ping-pong (pinned, %s CPU): %.2fx  %s\n",
            pl, r, verdict(r <= 1.5)
    }
    if (!npin && floor > 0 && rate["virtnetd", "null,1,1"] > 0) {
        r = floor / rate["virtnetd", "null,1,1"]
        printf "  null 1x1 round trip <= 1.5x raw ping-pong (unpinned): %.2fx (mean), %.2fx (p50)  %s\n",
            r, (floorp50 > 0 ? nullp50 / floorp50 : 0), verdict(r <= 1.5)
    }
    if (lv) {
        split("null lookup-info", ws, " ")
        for (wi = 1; wi <= 2; wi++) for (ni = 16; ni <= 256; ni *= 16) for (k = 1; k <= 4; k += 3) {
            key = ws[wi] "," ni "," k
            if (!((("virtnetd", key) in rate) && (("libvirtd", key) in rate))) continue
            rr = rate["libvirtd", key] > 0 ? rate["virtnetd", key] / rate["libvirtd", key] : 0
            pr = p99["virtnetd", key] > 0 ? p99["libvirtd", key] / p99["virtnetd", key] : 0
            printf "  %-12s %4d conns x %d: calls/s %.1fx (>= 5x) %s, p99 1/%.1f (<= 1/5) %s\n",
                ws[wi], ni, k, rr, verdict(rr >= 5), pr, verdict(pr >= 5)
        }
    }
    if (lv) for (ni = 16; ni <= 256; ni *= 16) {
        key = "stats," ni ",1"
        if (!((("virtnetd", key) in rate) && (("libvirtd", key) in rate))) continue
        rr = rate["libvirtd", key] > 0 ? rate["virtnetd", key] / rate["libvirtd", key] : 0
        printf "  %-12s %4d conns x 1: calls/s %.1fx (>= 5x) %s\n", "stats", ni, rr, verdict(rr >= 5)
    }
    if (("virtnetd") in idlerss)
        printf "  idle: %s B per idle connection (<= 4096) %s; busy p99 %.0f us (< 2000) %s\n",
            idlerss["virtnetd"], verdict(idlerss["virtnetd"] >= 0 && idlerss["virtnetd"] <= 4096),
            idlep99["virtnetd"], verdict(idlep99["virtnetd"] < 2000)
    if (("virtnetd") in evp99)
        printf "  events to %d subscribers: p99 %.0f us, max %.0f us (<= 20000) %s\n",
            evn, evp99["virtnetd"], evmax["virtnetd"], verdict(evmax["virtnetd"] <= 20000)
    printf "  zero failed or lost calls on virtnetd: %d  %s\n", err["virtnetd"], verdict(err["virtnetd"] == 0)
}' "$OUT/median.csv" | tee -a "$OUT/table.txt"

# ---- the plot: calls/s and p99 against connections
for d in virtnetd libvirtd; do
    for w in null lookup-info; do
        for k in 1 4; do
            awk -F, -v d=$d -v w=$w -v k=$k '$1 == d && $2 == w && $4 == k { print $3, $7, $9 }' \
                "$OUT/median.csv" > "$OUT/$d-$w-$k.dat"
        done
    done
done
if [ "$ONLY" = stats ]; then
    echo "run-bench: ONLY=stats: no plot (it draws the other workloads)"
elif command -v gnuplot >/dev/null 2>&1; then
    if gnuplot -e "dir='$OUT'" "$here/plot.gp" 2> "$work/gnuplot.err"; then
        echo "run-bench: plot in $OUT/bench.png"
    else
        echo "run-bench: gnuplot failed:" >&2
        cat "$work/gnuplot.err" >&2
    fi
else
    echo "run-bench: gnuplot not installed (gnuplot-nox): no plot"
fi
exit 0
