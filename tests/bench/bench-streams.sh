#!/bin/sh
# bench-streams.sh: volume upload and download throughput, virtnetd beside
# libvirtd 9.0 and beside a raw socket copy of the same bytes (make
# bench-streams; docs/performance.md, "Streams"). Not a test: prints the
# figures and the targets, never fails on numbers.
#
# Both daemons serve lxc:///system with a dir pool on tmpfs (/dev/shm: the
# disk is not measured), one raw volume of BYTES each; the client is
# tests/bench/bench-stream (our client library) for both. Each of REPEAT
# rounds runs, in turn: virtnetd, libvirtd, raw floor, for upload then
# download; the table shows the median round by MiB/s.
#
# BUILD (the build directory), BYTES (1 GiB), REPEAT (5), OUT (BUILD/bench-out).
# Root only (lxc:///system; libvirtd in a mount namespace: tests/libvirtd-ns.sh).
set -u
BUILD=${BUILD:-.}
BUILD=$(cd "$BUILD" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BYTES=${BYTES:-1073741824}
REPEAT=${REPEAT:-5}
OUT=${OUT:-$BUILD/bench-out}
BENCH=$BUILD/tests/bench/bench-stream
VIRTNETD=$BUILD/daemon/virtnetd

[ "$(id -u)" = 0 ] || { echo "bench-streams: lxc:///system needs root"; exit 0; }
[ -x "$BENCH" ] && [ -x "$VIRTNETD" ] || { echo "bench-streams: build $BENCH and $VIRTNETD first"; exit 1; }
mkdir -p "$OUT"
T=$(mktemp -d /tmp/vn-bench-streams.XXXXXX)
SHM=$(mktemp -d /dev/shm/vn-bench-streams.XXXXXX)
VPID=
. "$SRC/tests/libvirtd-ns.sh"
cleanup() {
    [ -n "$VPID" ] && kill "$VPID" 2> /dev/null && wait "$VPID" 2> /dev/null
    libvirtd_ns_stop
    rm -rf "$T" "$SHM"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir -p "$T/vn/run" "$SHM/vn" "$SHM/lv" "$SHM/raw"
# the floor's file allocated as the volumes are (vol-create-as allocates)
fallocate -l "$BYTES" "$SHM/raw/v" || { echo "bench-streams: fallocate $SHM/raw/v failed"; exit 1; }
printf 'unix_sock_dir = "%s"\n' "$T/vn/run" > "$T/vn/virtnetd.conf"
VIRTNET_LXC_STATE_DIR="$T/vn/lxcstate" VIRTNET_LXC_CONFIG_DIR="$T/vn/lxcconf" \
VIRTNET_STORAGE_CONFIG_DIR="$T/vn/storage" VIRTNET_STORAGE_STATE_DIR="$T/vn/state" \
VIRTNET_SECRET_CONFIG_DIR="$T/vn/secrets" \
    "$VIRTNETD" -f "$T/vn/virtnetd.conf" > "$T/vn/out" 2>&1 &
VPID=$!
for _ in $(seq 1 100); do
    grep -q "virtnetd: ready" "$T/vn/out" 2> /dev/null && break
    sleep 0.1
done
VURI="lxc+unix:///system?socket=$T/vn/run/libvirt-sock"
LURI=
if [ -x "$LIBVIRTD" ] && libvirtd_ns_start "$T/lv" > "$T/lv.start"; then
    LURI="lxc+unix:///system?socket=$L/sock/libvirt-sock"
    LVPID=$(cat "$L/libvirtd.pid" 2> /dev/null || echo "$LPID")
else
    echo "bench-streams: no libvirtd, virtnetd alone: $(cat "$T/lv.start" 2> /dev/null)"
fi

prepare() {  # URI DIR
    virsh -q -c "$1" pool-create-as vnbench dir --target "$2" > /dev/null &&
        virsh -q -c "$1" vol-create-as vnbench v "$BYTES" --format raw > /dev/null
}
prepare "$VURI" "$SHM/vn" || { echo "bench-streams: no pool in virtnetd"; exit 1; }
[ -z "$LURI" ] || prepare "$LURI" "$SHM/lv" || { echo "bench-streams: no pool in libvirtd"; exit 1; }

CSV=$OUT/streams.csv
: > "$CSV"
for r in $(seq 1 "$REPEAT"); do
    for op in upload download; do
        "$BENCH" --uri "$VURI" --pool vnbench --vol v --op $op --bytes "$BYTES" \
            --daemon-pid "$VPID" --label "virtnetd $r" >> "$CSV" || exit 1
        [ -z "$LURI" ] || "$BENCH" --uri "$LURI" --pool vnbench --vol v --op $op \
            --bytes "$BYTES" --daemon-pid "$LVPID" --label "libvirtd $r" >> "$CSV" || exit 1
        "$BENCH" --raw "$SHM/raw/v" --op $op --bytes "$BYTES" --label "raw $r" >> "$CSV" || exit 1
    done
done

# the median run of each (daemon, op) by MiB/s
awk -v bytes="$BYTES" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" '
{ k = $1 " " $3; n[k]++; rate[k, n[k]] = $6; line[k, n[k]] = $0 }
function median(k,    i, j, t, idx, m) {
    m = n[k]
    for (i = 1; i <= m; i++) idx[i] = i
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
        if (rate[k, idx[j]] < rate[k, idx[i]]) { t = idx[i]; idx[i] = idx[j]; idx[j] = t }
    return line[k, idx[int((m + 1) / 2)]]
}
END {
    printf "streams: %d MiB per run, %d runs, median by MiB/s (load %s)\n", bytes / 1048576, n["virtnetd upload"], load
    printf "%-9s %-9s %9s %14s %14s\n", "op", "daemon", "MiB/s", "daemon cpu s/GiB", "client cpu s/GiB"
    for (o = 1; o <= 2; o++) {
        op = o == 1 ? "upload" : "download"
        for (d = 1; d <= 3; d++) {
            dm = d == 1 ? "virtnetd" : d == 2 ? "libvirtd" : "raw"
            k = dm " " op
            if (!(k in n)) continue
            split(median(k), f, " ")
            printf "%-9s %-9s %9.1f %16.3f %16.3f\n", op, dm, f[6], f[7], f[8]
            r[dm, op] = f[6]; c[dm, op] = f[7]
        }
        if (("libvirtd " op) in n)
            printf "  %s: virtnetd %.2fx the MiB/s of libvirtd, %.2fx its CPU per GiB; %.0f%% of the raw floor\n",
                op, r["virtnetd", op] / r["libvirtd", op], c["virtnetd", op] / c["libvirtd", op],
                100 * r["virtnetd", op] / r["raw", op]
        else
            printf "  %s: virtnetd at %.0f%% of the raw floor\n", op, 100 * r["virtnetd", op] / r["raw", op]
        ok = (("libvirtd " op) in n && r["virtnetd", op] >= 2 * r["libvirtd", op]) ||
             r["virtnetd", op] >= 0.7 * r["raw", op]
        printf "  target (>= 2x libvirtd or >= 70%% of the floor): %s\n", ok ? "met" : "NOT met"
    }
}' "$CSV" | tee "$OUT/streams.txt"
