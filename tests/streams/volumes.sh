#!/bin/sh
# volumes.sh: volume upload and download (docs/streams.md).
#
#  1. The test driver (no root needed): 1 GiB up and down through virsh,
#     the sha256 of both sides equal (hashed while streaming, nothing of it
#     on disk); a sparse 1 GiB file with 4 data extents up and down with
#     --sparse, its holes kept (stat's allocated blocks) and its bytes
#     equal; offsets and lengths; then volumes.py: 16 streams at once on one
#     connection between calls, a slow reader of a download (the daemon's
#     resident memory grows by less than 64 MiB), aborts from either side,
#     a client killed mid-upload. The daemon must stop with status 0 (under
#     ASan: no leak).
#  2. As root, the dir pools of lxc:///system: a dir pool on tmpfs gets the
#     1 GiB through virsh (the file in place, hashes equal), the sparse
#     file keeps its holes on the pool's disk file system too; then the
#     transcript of volumes.py transcript (offsets, lengths, holes, errors,
#     sizes, events) against libvirtd 9.0's storage driver (in a mount
#     namespace: tests/libvirtd-ns.sh), which must be the same.
. "$(dirname "$0")/../conformance/common.sh"
need_virsh
need_python_libvirt
HERE=$(cd "$(dirname "$0")" && pwd)
GiB=1073741824
MiB=1048576
start_virtnetd
T=$VN_DIR
V="virsh -q -c $VN_URI"

now() { date +%s.%N; }
rate() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.0f MiB/s", n / 1048576 / (b - a) }'; }

# up_down VIRSH POOL VOL [BYTES]: 1 GiB (or BYTES) up and down, the hashes
# compared; VIRSH is virsh or virtnet with its options
up_down() {
    _v=$1 _pool=$2 _vol=$3 _n=${4:-$GiB}
    rm -f "$T/up.sha" "$T/down.sha" "$T/fifo"
    _t0=$(now)
    "$PY" "$HERE/volumes.py" gen $_n 1 "$T/up.sha" |
        $_v vol-upload --pool "$_pool" "$_vol" /dev/stdin > "$T/up.out" 2>&1 ||
        fail "$_v vol-upload of $_n bytes: $(cat "$T/up.out")"
    _t1=$(now)
    # through a fifo: virsh ends a download to /dev/stdout with a newline
    mkfifo "$T/fifo"
    "$PY" "$HERE/volumes.py" sha256 "$T/fifo" > "$T/down.sha" &
    _h=$!
    $_v vol-download --pool "$_pool" "$_vol" "$T/fifo" > "$T/down.out" 2>&1 ||
        { kill "$_h"; fail "$_v vol-download of $_n bytes: $(cat "$T/down.out")"; }
    wait "$_h" || fail "hashing the download failed"
    _t2=$(now)
    [ -s "$T/up.sha" ] && cmp -s "$T/up.sha" "$T/down.sha" ||
        fail "$_v, $_n bytes: sha256 up $(cat "$T/up.sha"), down $(cat "$T/down.sha")"
    echo "ok   $(basename "${_v%% *}"): $((_n / MiB)) MiB up ($(rate "$_t0" "$_t1" $_n)) and down" \
         "($(rate "$_t1" "$_t2" $_n)): sha256 equal"
}

# sparse VIRSH POOL VOL: the sparse file up and down with --sparse
sparse() {
    _v=$1 _pool=$2 _vol=$3
    $_v vol-upload --sparse --pool "$_pool" "$_vol" "$T/sparse.img" > "$T/up.out" 2>&1 ||
        fail "vol-upload --sparse: $(cat "$T/up.out")"
    _alloc=$($_v vol-info --bytes --pool "$_pool" "$_vol" | awk '/^Allocation/ { print $2 }')
    [ "$_alloc" -le $((8 * MiB)) ] ||
        fail "the sparse volume has $_alloc bytes allocated (the file: $((src_blocks * 512)))"
    rm -f "$T/sparse.out"
    $_v vol-download --sparse --pool "$_pool" "$_vol" "$T/sparse.out" > "$T/down.out" 2>&1 ||
        fail "vol-download --sparse: $(cat "$T/down.out")"
    _blocks=$(stat -c %b "$T/sparse.out")
    # (a file system may add a block of its own: an extent tree's)
    [ "$_blocks" -le $((src_blocks * 2)) ] ||
        fail "the sparse download has $_blocks blocks allocated, the file $src_blocks"
    cmp -s "$T/sparse.img" "$T/sparse.out" || fail "the sparse download differs from the file"
    echo "ok   $(basename "${_v%% *}"): a sparse 1 GiB file with 4 extents up and down: holes kept (blocks of 512" \
         "bytes: the file $src_blocks, the download $_blocks; volume allocation $_alloc), bytes equal"
}

# ---- 1. the test driver -------------------------------------------------------
# test:///default lives while a connection holds it: one keeps it between
# virsh's connections (connected before the first of them, however slow
# the daemon: a sanitizer build on a loaded machine)
"$PY" "$HERE/volumes.py" keep "$VN_URI" > "$T/keeper.out" 2>&1 &
KEEPER=$!
CONF_PIDS="$CONF_PIDS $KEEPER"
i=0
until grep -q '^connected' "$T/keeper.out" 2> /dev/null; do
    kill -0 "$KEEPER" 2> /dev/null && [ $i -lt 300 ] ||
        fail "the connection keeping test:///default: $(cat "$T/keeper.out")"
    sleep 0.1
    i=$((i + 1))
done
P=default-pool
$V vol-create-as $P big 1G --format raw > /dev/null || fail "vol-create-as big"
up_down "$V" $P big
$V vol-delete --pool $P big > /dev/null || fail "vol-delete big"

"$PY" "$HERE/volumes.py" sparse "$T/sparse.img" $GiB
src_blocks=$(stat -c %b "$T/sparse.img")
[ "$src_blocks" -le $((16 * MiB / 512)) ] || skip "$T cannot hold sparse files"
$V vol-create-as $P sp 1G --format raw > /dev/null || fail "vol-create-as sp"
sparse "$V" $P sp

# offsets and lengths: 1 MiB at 5 MiB + 3 (the uploaded piece is longer)
"$PY" "$HERE/volumes.py" gen $((2 * MiB)) 9 > "$T/piece"
$V vol-upload --pool $P --offset $((5 * MiB + 3)) --length $MiB sp "$T/piece" > "$T/up.out" 2>&1 &&
    fail "an upload longer than its --length succeeded"
grep -q "cannot write to stream" "$T/up.out" || fail "upload past --length: $(cat "$T/up.out")"
$V vol-download --pool $P --offset $((5 * MiB)) --length $((MiB + 6)) sp "$T/region" ||
    fail "vol-download --offset --length"
{ head -c 3 /dev/zero; head -c $MiB "$T/piece"; head -c 3 /dev/zero; } | cmp -s - "$T/region" ||
    fail "the region written with --offset --length does not read back"
echo "ok   --offset and --length: the first --length bytes written where asked, the rest refused"
# virtnet's vol-upload / vol-download (the client API's sparse helpers)
VNT="$CONF_BUILDDIR/tools/virtnet -q -c $VN_URI"
$V vol-delete --pool $P sp > /dev/null || fail "vol-delete sp"
$V vol-create-as $P sp 1G --format raw > /dev/null || fail "vol-create-as sp"
sparse "$VNT" $P sp
$V vol-create-as $P small 64M --format raw > /dev/null || fail "vol-create-as small"
up_down "$VNT" $P small $((64 * MiB))
$V vol-delete --pool $P small > /dev/null || fail "vol-delete small"
# a sparse upload from a pipe fails the same way in both (no holes in a pipe)
head -c 1000 /dev/zero | $V vol-upload --sparse --pool $P sp /dev/stdin > "$T/ref.err" 2>&1
echo "exit $?" >> "$T/ref.err"
head -c 1000 /dev/zero | $VNT vol-upload --sparse --pool $P sp /dev/stdin > "$T/vnt.err" 2>&1
echo "exit $?" >> "$T/vnt.err"
cmp -s "$T/ref.err" "$T/vnt.err" ||
    fail "sparse upload from a pipe: virsh says $(cat "$T/ref.err"), virtnet $(cat "$T/vnt.err")"
echo "ok   virtnet: a sparse upload from a pipe fails as virsh's: $(head -1 "$T/ref.err")"
$V vol-delete --pool $P sp > /dev/null || fail "vol-delete sp"

"$PY" "$HERE/volumes.py" parallel "$VN_URI" $P 16 || fail "16 streams at once"

$V vol-create-as $P slow 256M --format raw > /dev/null || fail "vol-create-as slow"
"$PY" "$HERE/volumes.py" gen $((256 * MiB)) 2 | $V vol-upload --pool $P slow /dev/stdin ||
    fail "upload of the slowly read volume"
r=$("$PY" "$HERE/volumes.py" slowread "$VN_URI" $P slow "$VN_PID") || fail "the slow reader: $r"
set -- $r
[ "$1" -lt 65536 ] || fail "a slow reader made the daemon grow by $1 KiB"
echo "ok   a slow reader ($(($2 / MiB)) MiB in 3 s): the daemon grew by $1 KiB"

"$PY" "$HERE/volumes.py" aborts "$VN_URI" $P || fail "aborts"
"$PY" "$HERE/volumes.py" killed "$VN_URI" $P slow || fail "a killed client"
$V vol-delete --pool $P slow > /dev/null || fail "vol-delete slow"
virtnetd_alive "after the streams"
kill "$KEEPER"
wait "$KEEPER" 2> /dev/null
stop_virtnetd

# ---- 2. lxc:///system's dir pools ---------------------------------------------
if [ "$(id -u)" != 0 ]; then
    echo "note lxc:///system's dir pools need root: not tested"
    exit 0
fi
conf_tmpdir S
mkdir -p "$S/run" "$S/pool" "$S/lvpool"
# tmpfs for the 1 GiB (memory, not the shared disk)
SHM=$(mktemp -d /dev/shm/vn-streams.XXXXXX) || fail "no directory in /dev/shm"
CONF_DIRS="$CONF_DIRS $SHM"
printf 'unix_sock_dir = "%s"\n' "$S/run" > "$S/virtnetd.conf"
VIRTNET_LXC_STATE_DIR="$S/lxcstate" VIRTNET_LXC_CONFIG_DIR="$S/lxcconf" \
VIRTNET_STORAGE_CONFIG_DIR="$S/storage" VIRTNET_STORAGE_STATE_DIR="$S/state" \
VIRTNET_SECRET_CONFIG_DIR="$S/secrets" \
    "$VIRTNETD" -f "$S/virtnetd.conf" > "$S/virtnetd.out" 2>&1 &
VN_PID=$!
CONF_PIDS="$CONF_PIDS $VN_PID"
VN_DIR=$S
i=0
until grep -q "virtnetd: ready" "$S/virtnetd.out" 2> /dev/null; do
    kill -0 "$VN_PID" 2> /dev/null && [ $i -lt 100 ] || fail "virtnetd: $(cat "$S/virtnetd.out")"
    sleep 0.1
    i=$((i + 1))
done
U="lxc+unix:///system?socket=$S/run/libvirt-sock"
V="virsh -q -c $U"

$V pool-create-as vnshm dir --target "$SHM" > /dev/null || fail "pool-create-as on tmpfs"
$V vol-create-as vnshm big 1G --format raw > /dev/null || fail "vol-create-as big (dir)"
up_down "$V" vnshm big
[ "$(stat -c %s "$SHM/big")" = $GiB ] || fail "the volume's file is not 1 GiB"
$V vol-delete --pool vnshm big > /dev/null || fail "vol-delete big (dir)"
$V pool-destroy vnshm > /dev/null || fail "pool-destroy vnshm"

$V pool-create-as vndisk dir --target "$S/pool" > /dev/null || fail "pool-create-as"
$V vol-create-as vndisk sp 1G --format raw > /dev/null || fail "vol-create-as sp (dir)"
sparse "$V" vndisk sp
[ "$(stat -c %b "$S/pool/sp")" -le $((src_blocks * 2)) ] ||
    fail "the volume's file has $(stat -c %b "$S/pool/sp") blocks, the sparse file $src_blocks"
echo "ok   the dir pool's file keeps the holes: $(stat -c %b "$S/pool/sp") blocks"
$V vol-delete --pool vndisk sp > /dev/null || fail "vol-delete sp (dir)"
$V pool-destroy vndisk > /dev/null || fail "pool-destroy vndisk"

"$PY" "$HERE/volumes.py" transcript "$U" "lxc+unix:///system?socket=$S/run/libvirt-sock-ro" \
    "$S/pool" > "$S/virtnetd.txt" 2>&1 ||
    fail "volumes.py transcript against virtnetd: $(cat "$S/virtnetd.txt")"
virtnetd_alive "after the dir pool's streams"
stop_virtnetd
echo "ok   the transcript: $(wc -l < "$S/virtnetd.txt") lines"

. "$CONF_SRCDIR/tests/libvirtd-ns.sh"
if ! [ -x "$LIBVIRTD" ] ||
   ! ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_storage.so > /dev/null 2>&1; then
    echo "note no libvirtd with its storage driver to compare with"
    exit 0
fi
if ! libvirtd_ns_start "$S/libvirtd" > "$S/libvirtd.start"; then
    echo "note libvirtd did not start, no comparison: $(cat "$S/libvirtd.start")"
    exit 0
fi
"$PY" "$HERE/volumes.py" transcript "lxc+unix:///system?socket=$L/sock/libvirt-sock" \
    "lxc+unix:///system?socket=$L/sock/libvirt-sock-ro" "$S/lvpool" > "$S/libvirtd.txt" 2>&1
rc=$?
libvirtd_ns_stop
[ $rc = 0 ] || fail "volumes.py transcript against libvirtd: $(cat "$S/libvirtd.txt")"
if ! diff -u "$S/libvirtd.txt" "$S/virtnetd.txt"; then
    CONF_KEEP=1
    fail "virtnetd's volume streams differ from libvirtd's (- libvirtd, + virtnetd)"
fi
echo "ok   the same transcript as libvirtd $(libvirtd --version | awk '{print $NF}')"
